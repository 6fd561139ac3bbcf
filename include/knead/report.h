/* Reports built from stored records: the day-by-day diary and its summary. */
#ifndef KNEAD_REPORT_H
#define KNEAD_REPORT_H

#include "knead/care.h"
#include "knead/insight.h"
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

/* ---- the brief a person hands their therapist (docs/CARE.md) ---- */
#define KN_BRIEF_SESSIONS 5
#define KN_BRIEF_PEG_POINTS 8

typedef struct kn_brief_session {
    const kn_session *session;       /* borrowed from the brief's list */
    const kn_massage_effect *effect; /* NULL when the insights have none for it */
} kn_brief_session;

typedef struct kn_peg_point {
    kn_day day;
    double score;
} kn_peg_point;

typedef struct kn_brief {
    kn_person person;
    kn_day today;
    int days;
    kn_gate gate;
    bool has_intake;
    int intake_version;
    kn_intake_answers intake;
    kn_painmap map;
    int burden[KN_SIDED_MAX];
    size_t entries;
    kn_ranking ranking;
    kn_insights insights; /* all the diary up to today */
    kn_session_list sessions;
    kn_brief_session recent[KN_BRIEF_SESSIONS]; /* newest first */
    size_t nrecent;
    kn_peg_point peg[KN_BRIEF_PEG_POINTS]; /* oldest first */
    size_t npeg;
    bool has_screening;
    kn_screening screening;       /* the latest */
    kn_clearance_list clearances; /* the person's, oldest first */
    kn_screen_result screen;      /* of the latest screening with the clearances */
} kn_brief;

/* Gathers the brief of person for the `days` days ending on today. */
kn_rc kn_brief_load(kn_store *st, int64_t person, kn_day today, int days, kn_brief *out,
                    kn_err *err);
void kn_brief_free(kn_brief *b);
/* The brief as a page of text or Markdown, the screening verdict first. */
typedef enum kn_brief_format { KN_BRIEF_TEXT, KN_BRIEF_MARKDOWN } kn_brief_format;
/* Writes the page into a malloc'd string *out (the caller frees it). */
kn_rc kn_brief_render(const kn_brief *b, kn_brief_format format, char **out, kn_err *err);

/* The insights of person who as a short plain-words report (the text of `knead insights`),
 * in a malloc'd string *out the caller frees. */
/* details adds the numbers behind each finding (effect, p, q, days). */
kn_rc kn_insights_render(const kn_person *who, const kn_insights *ins, bool details, char **out,
                         kn_err *err);

#endif
