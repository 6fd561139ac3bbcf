/* Calendar dates, instants with their UTC offset, and time zones (fixed offsets or IANA
 * names), which decide the local day of a diary record. */
#ifndef KNEAD_TIME_H
#define KNEAD_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "knead/error.h"

/* A civil date as days since 1970-01-01 (negative before). */
typedef int32_t kn_day;

#define KN_DATE_LEN 11    /* "YYYY-MM-DD" + NUL */
#define KN_INSTANT_LEN 26 /* "YYYY-MM-DDTHH:MM:SS+HH:MM" + NUL */
#define KN_ZONE_MAX 64

typedef struct kn_instant {
    int64_t utc;        /* seconds since the epoch */
    int32_t offset_min; /* UTC offset in force where it was recorded */
} kn_instant;

kn_day kn_day_from_civil(int year, int month, int day);
void kn_day_to_civil(kn_day d, int *year, int *month, int *day);
/* Parses YYYY-MM-DD (a real calendar date, years 1900-2999). field names it in errors. */
kn_rc kn_date_parse(const char *s, const char *field, kn_day *out, kn_err *err);
void kn_date_format(kn_day d, char out[KN_DATE_LEN]);

/* Parses ISO-8601 YYYY-MM-DD[T ]HH:MM[:SS[.frac]] followed by Z, +HH:MM, +HHMM or +HH.
 * Without an offset, zone (may be NULL for UTC) supplies the one in force at that local time. */
kn_rc kn_instant_parse(const char *s, const char *zone, const char *field, kn_instant *out,
                       kn_err *err);
void kn_instant_format(kn_instant t, char out[KN_INSTANT_LEN]);
/* The local calendar day of t in its own offset. */
kn_day kn_instant_day(kn_instant t);
/* Now, in zone (NULL = UTC). */
kn_rc kn_instant_now(const char *zone, kn_instant *out, kn_err *err);
kn_day kn_today(const char *zone);

/* A zone is "UTC", "Z", a fixed offset "+HH:MM"/"-HH:MM", or an IANA name ("Europe/Berlin"). */
kn_rc kn_zone_validate(const char *zone, const char *field, kn_err *err);
/* The UTC offset of zone at instant utc. */
kn_rc kn_zone_offset_at(const char *zone, int64_t utc, int32_t *offset_min, kn_err *err);

/* A zone opened for many conversions (an import converts every row): an IANA zone's tz data is
 * read once instead of at every call. The answers are those of kn_zone_offset_at and
 * kn_instant_parse. zone as for kn_zone_validate; NULL is UTC. */
typedef struct kn_zone kn_zone;
kn_rc kn_zone_open(const char *zone, kn_zone **out, kn_err *err);
void kn_zone_close(kn_zone *z);
kn_rc kn_zone_offset(const kn_zone *z, int64_t utc, int32_t *offset_min, kn_err *err);
kn_rc kn_instant_parse_in(const char *s, const kn_zone *zone, const char *field, kn_instant *out,
                          kn_err *err);

#endif
