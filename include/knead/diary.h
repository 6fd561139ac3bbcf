/* Domain records of a chronic-pain diary (person, pain entry, daily check-in, massage
 * session) and their validation. An absent value is KN_NONE (integers), NAN (doubles) or
 * NULL (text): unknown is never zero. */
#ifndef KNEAD_DIARY_H
#define KNEAD_DIARY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "knead/atlas.h"
#include "knead/error.h"
#include "knead/time.h"

#define KN_NONE INT_MIN
#define KN_NAME_MAX 200
#define KN_NOTE_MAX 4000
#define KN_WORD_MAX 100 /* tags, treatments, doses, techniques */
#define KN_LIST_MAX 50  /* items in a tag, treatment, technique or work list */

/* Pain qualities: a fixed vocabulary, stored as a bit set in vocabulary order. */
typedef uint32_t kn_qualities;
size_t kn_quality_count(void);
const char *kn_quality_name(size_t i);
/* Parses a list of qualities separated by sep (',' or ';'); empty string = none. */
kn_rc kn_qualities_parse(const char *s, char sep, const char *field, kn_qualities *out,
                         kn_err *err);
/* Writes the names joined by sep into out (size cap); returns false when it does not fit. */
bool kn_qualities_format(kn_qualities q, char sep, char *out, size_t cap);

typedef struct kn_person {
    int64_t id;
    char *name;
    int born;   /* year or KN_NONE */
    char *zone; /* IANA zone or fixed offset; never NULL in a stored person ("UTC") */
} kn_person;

typedef struct kn_pain {
    int64_t id;
    int64_t person_id;
    kn_instant at;
    kn_day day; /* local day of at */
    char region[KN_REGION_MAX];
    int intensity; /* 0-10 */
    kn_qualities qualities;
    char *note; /* NULL = none */
} kn_pain;

typedef struct kn_treatment {
    char *name;
    char *dose; /* NULL = none */
} kn_treatment;

typedef enum kn_routine {
    KN_ROUTINE_NONE = -1,
    KN_ROUTINE_NORMAL = 0,
    KN_ROUTINE_DISRUPTED = 1
} kn_routine;

typedef struct kn_checkin {
    int64_t person_id;
    kn_day day;
    int stress;         /* 0-10 or KN_NONE */
    double sleep_hours; /* 0-24 in tenths, or NAN */
    int sleep_quality;  /* 0-10 or KN_NONE */
    kn_routine routine;
    int pain_free; /* 1 or KN_NONE */
    char **tags;
    size_t ntags;
    kn_treatment *treatments;
    size_t ntreatments;
    int peg[3]; /* pain, enjoyment, activity: 0-10 each, or all KN_NONE */
    char *note;
} kn_checkin;

typedef struct kn_work {
    char region[KN_REGION_MAX];
    int pressure;   /* 1-10 */
    int discomfort; /* 0-10 or KN_NONE */
} kn_work;

typedef struct kn_session {
    int64_t id;
    int64_t person_id;
    kn_instant at;
    kn_day day;
    char *therapist; /* the name; KN_THERAPIST_NOT_RECORDED for a live session without one */
    int minutes;     /* 1-600 */
    kn_work *work;
    size_t nwork;
    char **techniques;
    size_t ntechniques;
    int pre_pain;  /* 0-10 or KN_NONE */
    int post_pain; /* 0-10 or KN_NONE */
    char *note;
} kn_session;

/* The placeholder a live session started without --therapist stores as its therapist's name
 * (the column takes text); it is read as absent. */
#define KN_THERAPIST_NOT_RECORDED "not recorded"
/* The session's therapist name, or NULL when none was recorded (the placeholder included). */
const char *kn_session_therapist(const kn_session *s);

/* Initialisers set every optional field to absent. */
void kn_person_init(kn_person *p);
void kn_pain_init(kn_pain *p);
void kn_checkin_init(kn_checkin *c);
void kn_session_init(kn_session *s);
/* Free what the record owns and re-initialise it. */
void kn_person_clear(kn_person *p);
void kn_pain_clear(kn_pain *p);
void kn_checkin_clear(kn_checkin *c);
void kn_session_clear(kn_session *s);

/* Validation at the boundary: the message names the field and says why. */
kn_rc kn_person_validate(const kn_person *p, kn_err *err);
kn_rc kn_pain_validate(const kn_pain *p, kn_err *err);
kn_rc kn_checkin_validate(const kn_checkin *c, kn_err *err);
kn_rc kn_session_validate(const kn_session *s, kn_err *err);

/* Field parsers shared by the CLI and the importers. field names the value in messages. */
kn_rc kn_parse_int(const char *s, long lo, long hi, const char *field, int *out, kn_err *err);
kn_rc kn_parse_id(const char *s, const char *field, int64_t *out, kn_err *err);
kn_rc kn_parse_tenths(const char *s, double lo, double hi, const char *field, double *out,
                      kn_err *err);
kn_rc kn_parse_text(const char *s, size_t max, const char *field, char **out, kn_err *err);
kn_rc kn_parse_word(const char *s, const char *field, char **out, kn_err *err);
kn_rc kn_parse_routine(const char *s, const char *field, kn_routine *out, kn_err *err);
/* A tag, normalised: lower case, surrounding space trimmed, inner runs of space one. */
kn_rc kn_parse_tag(const char *s, const char *field, char **out, kn_err *err);
/* A sided region id, without regard to case or surrounding space, into out; an unknown one
 * gets the closest ids in its message. */
kn_rc kn_parse_region(const char *s, const char *field, char out[KN_REGION_MAX], kn_err *err);
/* "NAME[:DOSE]" or "NAME DOSE" (a last word starting with a digit); the name normalised as
 * a tag. */
kn_rc kn_parse_treatment(const char *s, const char *field, kn_treatment *out, kn_err *err);
/* "R:PRESSURE[:DISCOMFORT]" */
kn_rc kn_parse_work(const char *s, const char *field, kn_work *out, kn_err *err);
/* "P,E,G" with sep ',' */
kn_rc kn_parse_peg(const char *s, const char *field, int peg[3], kn_err *err);

/* When a pain began, as told at intake (docs/CARE.md "pain_since"): an onset date
 * ("YYYY-MM-DD", exact; "YYYY-MM" or "since YYYY", approximate) or a duration before today
 * ("3 days", "3 weeks", "8 months", "2 years", with "ago" allowed; approximate). An approximate
 * answer gives the latest day it allows (the last day of the month or year, at the latest
 * today). A date in the future or before 1900 is refused. */
typedef struct kn_onset {
    kn_day day;
    bool exact;
} kn_onset;
kn_rc kn_parse_onset(const char *s, kn_day today, const char *field, kn_onset *out, kn_err *err);

/* Appending to the owned lists of a record (the item is copied). */
kn_rc kn_checkin_add_tag(kn_checkin *c, const char *tag, kn_err *err);
kn_rc kn_checkin_add_treatment(kn_checkin *c, const kn_treatment *t, kn_err *err);
kn_rc kn_session_add_work(kn_session *s, const kn_work *w, kn_err *err);
kn_rc kn_session_add_technique(kn_session *s, const char *t, kn_err *err);

/* Combines a later check-in for the same day into an earlier one: every field the update
 * records replaces the earlier value; fields it leaves absent keep theirs. */
kn_rc kn_checkin_merge(kn_checkin *into, const kn_checkin *update, kn_err *err);
bool kn_checkin_equal(const kn_checkin *a, const kn_checkin *b);

/* A record's date must be plausible: not before the person's birth year (born, KN_NONE =
 * unknown) nor more than a day ahead of the clock. The message names field. */
#define KN_FUTURE_SLACK_S 86400 /* how far ahead of the clock a record may be dated */
kn_rc kn_plausible_day(kn_day day, int born, const char *field, kn_err *err);
kn_rc kn_plausible_instant(kn_instant at, int born, const char *field, kn_err *err);

#endif
