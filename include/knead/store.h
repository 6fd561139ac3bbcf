/* The storage interface: every read and write of diary records goes through it, and no SQL
 * exists outside src/store/. SQLite is the embedded implementation; PostgreSQL will
 * implement the same operations. A kn_store keeps its last error message. */
#ifndef KNEAD_STORE_H
#define KNEAD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "knead/diary.h"
#include "knead/error.h"

typedef struct kn_store kn_store;

enum {
    KN_STORE_READ = 0,       /* the database must exist */
    KN_STORE_CREATE = 1 << 0 /* create the file and schema when missing */
};

/* The schema version this build writes (PRAGMA user_version). */
#define KN_SCHEMA_VERSION 2

/* Opens path. A file that is not a knead database is refused (KN_EFOREIGN), never changed. */
kn_rc kn_store_open(const char *path, int flags, kn_store **out, kn_err *err);
void kn_store_close(kn_store *st);
const char *kn_store_errmsg(const kn_store *st);
kn_rc kn_store_errcode(const kn_store *st);
int kn_store_schema_version(kn_store *st);

/* Every command is one transaction: begin, then commit or rollback. */
kn_rc kn_store_begin(kn_store *st);
kn_rc kn_store_commit(kn_store *st);
void kn_store_rollback(kn_store *st);

typedef struct kn_person_list {
    kn_person *items;
    size_t n;
} kn_person_list;
typedef struct kn_pain_list {
    kn_pain *items;
    size_t n, cap;
} kn_pain_list;
typedef struct kn_checkin_list {
    kn_checkin *items;
    size_t n, cap;
} kn_checkin_list;
typedef struct kn_session_list {
    kn_session *items;
    size_t n, cap;
} kn_session_list;

void kn_person_list_free(kn_person_list *l);
void kn_pain_list_free(kn_pain_list *l);
void kn_checkin_list_free(kn_checkin_list *l);
void kn_session_list_free(kn_session_list *l);

/* A day range: from/to inclusive; KN_DAY_ANY leaves that end open. */
#define KN_DAY_ANY INT32_MIN

kn_rc kn_store_person_add(kn_store *st, kn_person *p); /* sets p->id */
kn_rc kn_store_person_get(kn_store *st, int64_t id, kn_person *out);
kn_rc kn_store_person_list(kn_store *st, kn_person_list *out);

/* Adds a pain entry unless one for the same person, instant and region exists (then *added
 * is false and nothing changes). Sets p->id when added. */
kn_rc kn_store_pain_add(kn_store *st, kn_pain *p, bool *added);
kn_rc kn_store_pain_list(kn_store *st, int64_t person, kn_day from, kn_day to, kn_pain_list *out);

/* Records the check-in for its day, merging into an existing one (see kn_checkin_merge);
 * *changed says whether anything stored changed. */
kn_rc kn_store_checkin_put(kn_store *st, const kn_checkin *c, bool *changed);
kn_rc kn_store_checkin_list(kn_store *st, int64_t person, kn_day from, kn_day to,
                            kn_checkin_list *out);

/* Adds a session unless one for the same person and instant exists. Sets s->id when added. */
kn_rc kn_store_session_add(kn_store *st, kn_session *s, bool *added);
kn_rc kn_store_session_list(kn_store *st, int64_t person, kn_day from, kn_day to,
                            kn_session_list *out);

/* Number of pain entries, check-ins and sessions of a person (for summaries and tests). */
typedef struct kn_counts {
    int64_t pain, checkins, sessions;
} kn_counts;
kn_rc kn_store_counts(kn_store *st, int64_t person, kn_counts *out);

/* ---- screening for red flags and contraindications (schema 2) ----
 * One dated screening per row: the answers as given, the verdict and pressure cap they led
 * to. A new screening never replaces an old one: history is kept, the latest counts. The
 * verdict is worked out by the care layer (kn_screen_record in knead/care.h). */
typedef enum kn_answer { KN_ANSWER_SKIPPED = 0, KN_ANSWER_NO, KN_ANSWER_YES } kn_answer;

typedef struct kn_screen_answer {
    char question[KN_QUESTION_ID_MAX]; /* an id of data/questions.tsv */
    kn_answer answer;
    char **where; /* sided regions the answer applies to (questions that ask where) */
    size_t nwhere;
} kn_screen_answer;

typedef struct kn_screening {
    int64_t id;
    int64_t person_id;
    kn_instant at;
    kn_verdict verdict;
    int max_pressure; /* 1-10 on the spoken pressure scale, or KN_NONE = no cap */
    kn_screen_answer *answers;
    size_t nanswers;
} kn_screening;

typedef struct kn_screening_list {
    kn_screening *items; /* newest first */
    size_t n, cap;
} kn_screening_list;

void kn_screening_init(kn_screening *s);
void kn_screening_clear(kn_screening *s);
void kn_screening_list_free(kn_screening_list *l);
/* Records the answer to question (replacing an earlier answer to it); where lists sided
 * regions ("calf_r"). Unknown questions and regions are refused. */
kn_rc kn_screening_answer(kn_screening *s, const char *question, kn_answer answer,
                          const char *const *where, size_t nwhere, kn_err *err);
/* The answer to question, or NULL when it has none. */
const kn_screen_answer *kn_screening_find(const kn_screening *s, const char *question);
kn_rc kn_screening_validate(const kn_screening *s, kn_err *err);
const char *kn_answer_name(kn_answer a);

/* Answers as JSON text: an array of {"question", "answer": "yes|no|skipped", "where": [...]}
 * (the stored form). Reading also takes an object {"QUESTION": ANSWER, ...} or
 * {"answers": ...}, where ANSWER is "yes", "no", "skip", true, false, null, or
 * {"answer": ..., "where": [...]}. The caller frees the text. */
kn_rc kn_screening_answers_to_json(const kn_screening *s, char **out, kn_err *err);
kn_rc kn_screening_answers_from_json(const char *text, kn_screening *s, kn_err *err);

/* Adds a screening (validated; its verdict already set). Sets s->id. */
kn_rc kn_store_screening_add(kn_store *st, kn_screening *s);
/* The person's latest screening into out (initialised with kn_screening_init; cleared
 * first); *found is false when there is none. */
kn_rc kn_store_screening_latest(kn_store *st, int64_t person, kn_screening *out, bool *found);
/* Every screening of the person, newest first. */
kn_rc kn_store_screening_list(kn_store *st, int64_t person, kn_screening_list *out);

#endif
