/* Reports built from stored records: the day-by-day diary and its summary. */
#ifndef KNEAD_REPORT_H
#define KNEAD_REPORT_H

#include "knead/store.h"

typedef struct kn_diary_day {
    kn_day day;
    kn_pain *pains; /* borrowed from the diary's lists */
    size_t npains;
    kn_checkin *checkin; /* NULL = none that day */
    kn_session *sessions;
    size_t nsessions;
} kn_diary_day;

typedef struct kn_diary {
    kn_person person;
    kn_day from, to; /* the range asked for (KN_DAY_ANY = open) */
    kn_pain_list pains;
    kn_checkin_list checkins;
    kn_session_list sessions;
    kn_diary_day *days; /* days with anything recorded, oldest first */
    size_t ndays;
} kn_diary;

kn_rc kn_diary_load(kn_store *st, int64_t person, kn_day from, kn_day to, kn_diary *out,
                    kn_err *err);
void kn_diary_free(kn_diary *d);

/* Per sided region: entries, days, mean and worst intensity over the diary. */
typedef struct kn_region_summary {
    char region[KN_REGION_MAX];
    int entries;
    int days;
    double mean;
    int worst;
} kn_region_summary;

typedef struct kn_diary_summary {
    int days_with_pain_entries;
    int checkins;
    int sessions;
    int pain_entries;
    kn_region_summary *regions; /* most days first */
    size_t nregions;
} kn_diary_summary;

kn_rc kn_diary_summarize(const kn_diary *d, kn_diary_summary *out, kn_err *err);
void kn_diary_summary_free(kn_diary_summary *s);

#endif
