/* A digest of one person's diary: only what analysis reads of it (docs/INSIGHTS.md), held
 * compactly. Region and word (tag, treatment) names are interned, and records name them by
 * index, so that building a digest of years of diary takes a handful of allocations rather
 * than one per record, and analysis compares indexes instead of names. The store fills one
 * straight from its rows (kn_store_digest_read); kn_digest_add_records makes one from full
 * records. */
#ifndef KNEAD_DIGEST_H
#define KNEAD_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "knead/diary.h"
#include "knead/error.h"

/* Caps that keep a digest bounded: distinct names (an index is 16 bits) and records of one
 * kind (far above decades of diary). Going over one is KN_ENOMEM. */
#define KN_DIGEST_NAMES_MAX 65535u
#define KN_DIGEST_RECORDS_MAX (1u << 24)

typedef struct kn_digest_pain {
    kn_day day;
    uint16_t region; /* index into regions */
    int16_t intensity;
} kn_digest_pain;

typedef struct kn_digest_checkin {
    kn_day day;
    int stress;         /* 0-10 or KN_NONE */
    double sleep_hours; /* or NAN */
    int sleep_quality;  /* 0-10 or KN_NONE */
    kn_routine routine;
    int pain_free; /* 1 or KN_NONE */
    int peg[3];    /* or KN_NONE each */
} kn_digest_checkin;

typedef enum kn_word_kind { KN_WORD_TAG, KN_WORD_TREATMENT } kn_word_kind;

typedef struct kn_digest_word {
    kn_word_kind kind;
    char name[KN_WORD_MAX + 1]; /* a treatment's name without its dose */
} kn_digest_word;

/* Word word is listed by the check-in of day. */
typedef struct kn_digest_mark {
    kn_day day;
    uint16_t word; /* index into words */
} kn_digest_mark;

typedef struct kn_digest_session {
    kn_instant at;
    kn_day day;
    int pre_pain, post_pain; /* 0-10 or KN_NONE */
} kn_digest_session;

/* The hash of an interned name table: slots hold an index + 1 (0 = free). */
typedef struct kn_digest_names {
    uint16_t *slot;
    size_t nslot; /* a power of two, at least twice the names */
} kn_digest_names;

typedef struct kn_digest {
    kn_digest_pain *pains;
    size_t npains, pains_cap;
    kn_digest_checkin *checkins;
    size_t ncheckins, checkins_cap;
    kn_digest_mark *marks;
    size_t nmarks, marks_cap;
    kn_digest_session *sessions;
    size_t nsessions, sessions_cap;
    char (*regions)[KN_REGION_MAX];
    size_t nregions, regions_cap;
    kn_digest_word *words;
    size_t nwords, words_cap;
    kn_digest_names region_names, word_names;
} kn_digest;

/* A digest with nothing in it (the same as a zeroed struct). */
void kn_digest_init(kn_digest *d);
/* Empties d but keeps its memory, for the next person's diary. */
void kn_digest_reset(kn_digest *d);
void kn_digest_free(kn_digest *d);

/* Adding records. Names come with their length (they need not end in NUL); a name longer
 * than its field holds is KN_EINVAL. Records may come in any order. */
kn_rc kn_digest_add_pain(kn_digest *d, kn_day day, const char *region, size_t len, int intensity);
kn_rc kn_digest_add_checkin(kn_digest *d, const kn_digest_checkin *c);
kn_rc kn_digest_add_mark(kn_digest *d, kn_day day, kn_word_kind kind, const char *name, size_t len);
kn_rc kn_digest_add_session(kn_digest *d, const kn_digest_session *s);
/* Adds full records: each pain entry, each check-in with its tags and treatments (marks of
 * its day), each session. */
kn_rc kn_digest_add_records(kn_digest *d, const kn_pain *pains, size_t npains,
                            const kn_checkin *checkins, size_t ncheckins,
                            const kn_session *sessions, size_t nsessions);
/* What a failed kn_digest_add_* (its kn_rc) means, for a message. */
const char *kn_digest_failure(kn_rc rc);

#endif
