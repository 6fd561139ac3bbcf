/* The storage interface: every read and write of diary records goes through it, and no SQL
 * exists outside src/store/. SQLite is the embedded implementation; PostgreSQL will
 * implement the same operations. A kn_store keeps its last error message. */
#ifndef KNEAD_STORE_H
#define KNEAD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "knead/diary.h"
#include "knead/digest.h"
#include "knead/error.h"

typedef struct kn_store kn_store;

enum {
    KN_STORE_READ = 0,        /* the database must exist */
    KN_STORE_CREATE = 1 << 0, /* create the file and schema when missing */
    /* open for reading only (SQLITE_OPEN_READONLY): works on a file the user may not write;
     * an older schema is brought up to date only when the file is writable */
    KN_STORE_READONLY = 1 << 1
};

/* The schema version this build writes (PRAGMA user_version). */
#define KN_SCHEMA_VERSION 7

/* Opens path. A file that is not a knead database is refused (KN_EFOREIGN), never changed. */
kn_rc kn_store_open(const char *path, int flags, kn_store **out, kn_err *err);
void kn_store_close(kn_store *st);
const char *kn_store_errmsg(const kn_store *st);
kn_rc kn_store_errcode(const kn_store *st);
/* The handle's last error, whole (code, message and field), copied into err: the one way a
 * store error reaches a caller's kn_err. Returns its code (KN_EDB should it say none). */
kn_rc kn_store_error(const kn_store *st, kn_err *err);
int kn_store_schema_version(kn_store *st);

/* Every command is one transaction: begin, then commit or rollback. */
kn_rc kn_store_begin(kn_store *st);
kn_rc kn_store_commit(kn_store *st);
void kn_store_rollback(kn_store *st);
/* A read transaction around several reads: they see one snapshot of the database, and the
 * file is locked once rather than once a statement. It is deferred (BEGIN, not BEGIN
 * IMMEDIATE), so it never keeps a writer waiting. End it with kn_store_commit or
 * kn_store_rollback (the same for a read), and only when it began (KN_OK). Inside a
 * transaction already open it starts nothing and the commit or rollback that ends it ends
 * nothing: the reads run in the open transaction. No write may run in a read transaction, and
 * kn_store_begin cannot start inside one. */
kn_rc kn_store_begin_read(kn_store *st);

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
/* Adds n pain entries in order, each as kn_store_pain_add would (one that repeats a stored
 * entry, or an earlier one of items, is skipped), in far fewer statements: the bulk path of
 * import. *added counts the entries added; ids are not set. On an error *failed is the index
 * of the entry at fault and the message is that entry's; entries before it may have been
 * written, so the caller rolls the transaction back. */
kn_rc kn_store_pain_add_many(kn_store *st, const kn_pain *items, size_t n, size_t *added,
                             size_t *failed);
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

/* What analysis reads of the person's diary in range (kn_insights_load), as a digest: the
 * same pain entries, check-ins (with their tags and treatments) and sessions (not those still
 * open) as the lists above, in day order (entries of one day in no set order). out is emptied first
 * (kn_digest_reset) and keeps its memory; the reads see one snapshot. */
kn_rc kn_store_digest_read(kn_store *st, int64_t person, kn_day from, kn_day to, kn_digest *out);

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
    /* When the answer was given, for one carried over from an earlier screening; utc 0 =
     * given in this screening (kn_screen_answer_given in knead/care.h reads it). */
    kn_instant given;
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

/* ---- clearances (schema 5) ----
 * A clinician's recorded decision that lifts the red flag of one question for a person
 * (docs/SCREENING.md): dated by the clock, kept for good (there is no delete). The care
 * layer decides when one applies (kn_screen_evaluate_cleared in knead/care.h). */
#define KN_CLEARED_BY_MAX 200
#define KN_CLEARANCE_NOTE_MAX 2000

typedef struct kn_clearance {
    int64_t id;
    int64_t person_id;
    char question[KN_QUESTION_ID_MAX];
    kn_instant at;
    char *cleared_by; /* the clinician, as given */
    char *note;       /* NULL = none */
    int max_pressure; /* the cap it sets instead, 1-10, or KN_NONE = none */
} kn_clearance;

typedef struct kn_clearance_list {
    kn_clearance *items; /* oldest first */
    size_t n, cap;
} kn_clearance_list;

void kn_clearance_clear(kn_clearance *c);
void kn_clearance_list_free(kn_clearance_list *l);
/* A known question, a clinician's name, a note and cap within their limits. */
kn_rc kn_clearance_validate(const kn_clearance *c, kn_err *err);
kn_rc kn_store_clearance_add(kn_store *st, kn_clearance *c); /* validated; sets c->id */
kn_rc kn_store_clearance_list(kn_store *st, int64_t person, kn_clearance_list *out);

/* ---- the care workflow (schema 3): therapists, intakes, plans, live sessions, notes ---- */

typedef struct kn_therapist {
    int64_t id;
    char *name;
    char *license; /* NULL = none given */
    bool board_certified;
    bool amta_member;
    char **specialties; /* condition ids or technique words, as given */
    size_t nspecialties;
} kn_therapist;

typedef struct kn_therapist_list {
    kn_therapist *items;
    size_t n, cap;
} kn_therapist_list;

void kn_therapist_init(kn_therapist *t);
void kn_therapist_clear(kn_therapist *t);
void kn_therapist_list_free(kn_therapist_list *l);
kn_rc kn_therapist_validate(const kn_therapist *t, kn_err *err);
kn_rc kn_therapist_add_specialty(kn_therapist *t, const char *specialty, kn_err *err);

kn_rc kn_store_therapist_add(kn_store *st, kn_therapist *t); /* sets t->id */
kn_rc kn_store_therapist_get(kn_store *st, int64_t id, kn_therapist *out);
kn_rc kn_store_therapist_list(kn_store *st, kn_therapist_list *out);

/* When the pain of one region began, as the intake told it ("pain_since"), resolved to a day
 * on the day of the intake (schema 7). */
typedef struct kn_intake_onset {
    char region[KN_REGION_MAX]; /* sided region id */
    kn_day onset;
    bool exact; /* a full date; false for a month, a year or a duration */
} kn_intake_onset;

/* One version of a person's intake: the answers in their canonical JSON form (the care layer
 * reads and writes it), the screening it ran and the pain onsets it gave. */
typedef struct kn_intake {
    int64_t id;
    int64_t person_id;
    int version; /* 1, 2, ... per person */
    kn_instant at;
    char *answers;
    int64_t screening_id;    /* 0 = none */
    kn_intake_onset *onsets; /* owned; by region id */
    size_t nonsets;
} kn_intake;

void kn_intake_clear(kn_intake *i);
/* Adds the next version (sets id and version). */
kn_rc kn_store_intake_add(kn_store *st, kn_intake *i);
kn_rc kn_store_intake_latest(kn_store *st, int64_t person, kn_intake *out, bool *found);

/* A session plan as stored (made by the care layer, kn_plan_make). */
#define KN_PLAN_BLOCKS_MAX 10
#define KN_PLAN_WHY_MAX 1200 /* region names in words */
#define KN_PLAN_PRESSURE_REASON_MAX 200
#define KN_TECHNIQUE_MAX 64

typedef enum kn_block_kind { KN_BLOCK_WARMUP, KN_BLOCK_FOCUS, KN_BLOCK_CLOSING } kn_block_kind;

typedef struct kn_plan_block {
    kn_block_kind kind;
    int minutes;
    kn_regionset regions;    /* where to work (never an avoid zone) */
    const kn_muscle *muscle; /* focus blocks only */
    char side;               /* 'l', 'r', 'b' (both) or 0 */
    char technique[KN_TECHNIQUE_MAX];
    int pressure; /* target on the spoken 1-10 scale */
    char why[KN_PLAN_WHY_MAX];
    char pressure_reason[KN_PLAN_PRESSURE_REASON_MAX]; /* "" in plans stored before it */
} kn_plan_block;

typedef struct kn_plan {
    int64_t id;
    int64_t person_id;
    int64_t therapist_id; /* 0 = none */
    kn_instant at;
    int minutes;
    int max_pressure; /* the screening cap it respects, 0 = none */
    kn_regionset avoid;
    kn_plan_block blocks[KN_PLAN_BLOCKS_MAX];
    size_t nblocks;
} kn_plan;

const char *kn_block_kind_name(kn_block_kind k);
kn_rc kn_store_plan_add(kn_store *st, kn_plan *p); /* sets p->id */
kn_rc kn_store_plan_get(kn_store *st, int64_t id, kn_plan *out);

/* A session run live (knead session start ... finish ... sign). Its diary record is the
 * session row of the same id, kept up to date; sessions still open are left out of
 * kn_store_session_list. */
typedef enum kn_session_state {
    KN_SESSION_RECORDED, /* added after the fact (knead session add) */
    KN_SESSION_OPEN,
    KN_SESSION_FINISHED,
    KN_SESSION_SIGNED,
    KN_SESSION_CANCELLED /* abandoned while open: kept, left out of analysis */
} kn_session_state;

typedef struct kn_live_session {
    int64_t id; /* = the session id */
    int64_t person_id;
    int64_t plan_id;      /* 0 = none */
    int64_t therapist_id; /* 0 = none */
    kn_session_state state;
    kn_instant started;
    kn_instant ended; /* utc 0 = not yet */
    kn_instant signed_at;
    int64_t signed_by; /* the therapist who signed, 0 = not signed (or signed before schema 5) */
} kn_live_session;

const char *kn_session_state_name(kn_session_state s);

typedef struct kn_session_event {
    int64_t id;
    int64_t session_id;
    kn_instant at;
    char region[KN_REGION_MAX];
    int pressure;   /* 1-10 */
    int discomfort; /* 0-10 or KN_NONE */
    bool guarding;
    bool warned; /* discomfort at or above the ease-off line */
    char *note;
} kn_session_event;

typedef struct kn_event_list {
    kn_session_event *items;
    size_t n, cap;
} kn_event_list;

void kn_event_list_free(kn_event_list *l);

/* A version of a session's SOAP note: version 1 is written at finish (and may be edited
 * until the session is signed); every later version is an amendment with its reason. */
typedef struct kn_session_note {
    int64_t session_id;
    int version;
    kn_instant at;
    char *subjective, *objective, *assessment, *plan;
    char *reason;         /* amendments only */
    int64_t therapist_id; /* who wrote this version (0 = not recorded) */
} kn_session_note;

typedef struct kn_note_list {
    kn_session_note *items; /* oldest first */
    size_t n, cap;
} kn_note_list;

void kn_session_note_clear(kn_session_note *n);
void kn_note_list_free(kn_note_list *l);

/* Starts a live session: s (person, at, therapist name, pre pain) becomes an open session
 * row; sets s->id. */
kn_rc kn_store_live_start(kn_store *st, kn_session *s, int64_t plan_id, int64_t therapist_id);
/* The live state of session id (KN_SESSION_RECORDED for one added after the fact).
 * KN_ENOTFOUND when there is no such session. */
kn_rc kn_store_live_get(kn_store *st, int64_t id, kn_live_session *out);
/* The session row of id with its work and techniques (out initialised by the call). */
kn_rc kn_store_session_get(kn_store *st, int64_t id, kn_session *out);
kn_rc kn_store_event_add(kn_store *st, kn_session_event *e); /* sets e->id */
kn_rc kn_store_event_list(kn_store *st, int64_t session, kn_event_list *out);
/* Closes an open session: its row takes s's minutes, work, techniques, pre and post pain and
 * note; the live state becomes finished at ended. */
kn_rc kn_store_live_finish(kn_store *st, const kn_session *s, kn_instant ended);
/* Signs a finished session at `at` as therapist signed_by (who must exist). */
kn_rc kn_store_live_sign(kn_store *st, int64_t id, kn_instant at, int64_t signed_by);
/* Marks an open session cancelled (kept, left out of the diary lists and analysis). */
kn_rc kn_store_live_cancel(kn_store *st, int64_t id);
/* The person's open live session in *id (0 when none). */
kn_rc kn_store_live_open(kn_store *st, int64_t person, int64_t *id);
/* Adds the next version of the note (sets n->version). */
kn_rc kn_store_note_add(kn_store *st, kn_session_note *n);
/* Replaces version n->version in place (the care layer allows it only before signing). */
kn_rc kn_store_note_replace(kn_store *st, const kn_session_note *n);
kn_rc kn_store_note_list(kn_store *st, int64_t session, kn_note_list *out);

/* ---- correcting the record ----
 * One pain entry, check-in or session read, changed or deleted; the caller checks that it
 * belongs to the person meant (the CLI's ownership rule) and that a session is not signed. */

/* The pain entry of id into out (initialised by the call); *found is false when there is
 * none. */
kn_rc kn_store_pain_get(kn_store *st, int64_t id, kn_pain *out, bool *found);
/* The person's entry at that instant and region, the one a new entry would repeat. */
kn_rc kn_store_pain_find(kn_store *st, int64_t person, kn_instant at, const char *region,
                         kn_pain *out, bool *found);
/* Replaces the stored entry p->id with p (validated). */
kn_rc kn_store_pain_update(kn_store *st, const kn_pain *p);
kn_rc kn_store_pain_delete(kn_store *st, int64_t id);
/* The person's check-in of day into out (initialised by the call). */
kn_rc kn_store_checkin_get(kn_store *st, int64_t person, kn_day day, kn_checkin *out, bool *found);
/* Replaces the check-in of its day with c as given (no merge); validated. */
kn_rc kn_store_checkin_replace(kn_store *st, const kn_checkin *c);
/* Deletes the check-in of day with its tags and treatments. */
kn_rc kn_store_checkin_delete(kn_store *st, int64_t person, kn_day day);
/* Replaces the stored session s->id with s (validated), its work and techniques too. */
kn_rc kn_store_session_update(kn_store *st, const kn_session *s);
/* Deletes a session with its work, techniques, live state, events and notes. */
kn_rc kn_store_session_delete(kn_store *st, int64_t id);

/* What is stored of a person, counted (what erasing them deletes). */
typedef struct kn_footprint {
    int64_t pain, checkins, sessions, events, notes, intakes, screenings, clearances, plans;
} kn_footprint;
kn_rc kn_store_person_footprint(kn_store *st, int64_t person, kn_footprint *out);
/* Erases the person and everything of theirs (run it in one transaction). */
kn_rc kn_store_person_delete(kn_store *st, int64_t person);

/* ---- everything stored of a person, table by table (knead export --all, docs/EXPORT.md) ----
 * Rows as stored, column by column, so that nothing is lost or reinterpreted on the way out
 * and back in: the interop layer writes and reads them as JSON. */
typedef enum kn_value_type {
    KN_VALUE_NULL,
    KN_VALUE_INT,
    KN_VALUE_REAL,
    KN_VALUE_TEXT
} kn_value_type;

typedef struct kn_value {
    kn_value_type type;
    int64_t i;
    double r;
    char *text;
} kn_value;

typedef struct kn_table_rows {
    char *table;
    char **columns;
    size_t ncolumns;
    kn_value *values; /* nrows * ncolumns, row by row */
    size_t nrows, cap;
} kn_table_rows;

typedef struct kn_rowset {
    kn_table_rows *tables; /* in the order they are written back: parents first */
    size_t ntables;
} kn_rowset;

void kn_rowset_free(kn_rowset *r);
/* The names of the tables of a person's full record, in order; *n is their number. */
const char *const *kn_store_person_tables(size_t *n);
/* Every row of the person's tables, and the therapists their records name. */
kn_rc kn_store_person_rows(kn_store *st, int64_t person, kn_rowset *out);
/* Writes rows read by kn_store_person_rows back as they were, ids included, into a database
 * that holds no person yet (KN_EREFUSED otherwise). Tables must be among
 * kn_store_person_tables; an unknown column is refused with its name. */
kn_rc kn_store_person_rows_put(kn_store *st, const kn_rowset *in);

#endif
