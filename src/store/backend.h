/* The operations a storage backend implements. kn_store (store.c) validates, keeps the last
 * error message and dispatches here; SQLite is the first backend, PostgreSQL the next. */
#ifndef KN_STORE_BACKEND_H
#define KN_STORE_BACKEND_H

#include "knead/store.h"

typedef struct kn_store_ops {
    const char *name;
    void (*close)(void *impl);
    int (*schema_version)(void *impl);
    kn_rc (*begin)(void *impl, kn_err *err);
    kn_rc (*commit)(void *impl, kn_err *err);
    void (*rollback)(void *impl);
    /* Begins a deferred read transaction unless one is open (then *began is false and the
     * reads join it). commit or rollback ends it. */
    kn_rc (*begin_read)(void *impl, bool *began, kn_err *err);
    kn_rc (*person_add)(void *impl, kn_person *p, kn_err *err);
    kn_rc (*person_get)(void *impl, int64_t id, kn_person *out, kn_err *err);
    kn_rc (*person_list)(void *impl, kn_person_list *out, kn_err *err);
    kn_rc (*pain_add)(void *impl, kn_pain *p, bool *added, kn_err *err);
    /* Optional (NULL: kn_store adds one by one). Entries are already validated; on an error
     * *failed is the index of the entry at fault. */
    kn_rc (*pain_add_many)(void *impl, const kn_pain *items, size_t n, size_t *added,
                           size_t *failed, kn_err *err);
    kn_rc (*pain_list)(void *impl, int64_t person, kn_day from, kn_day to, kn_pain_list *out,
                       kn_err *err);
    kn_rc (*checkin_get)(void *impl, int64_t person, kn_day day, kn_checkin *out, bool *found,
                         kn_err *err);
    kn_rc (*checkin_replace)(void *impl, const kn_checkin *c, kn_err *err);
    kn_rc (*checkin_list)(void *impl, int64_t person, kn_day from, kn_day to, kn_checkin_list *out,
                          kn_err *err);
    kn_rc (*session_add)(void *impl, kn_session *s, bool *added, kn_err *err);
    kn_rc (*session_list)(void *impl, int64_t person, kn_day from, kn_day to, kn_session_list *out,
                          kn_err *err);
    /* Adds the person's diary in range to out (empty, and inside a read transaction). */
    kn_rc (*digest_read)(void *impl, int64_t person, kn_day from, kn_day to, kn_digest *out,
                         kn_err *err);
    kn_rc (*counts)(void *impl, int64_t person, kn_counts *out, kn_err *err);
    /* Screenings (schema 2). answers_json is the stored form of s->answers
     * (kn_screening_answers_to_json); a backend reads it back with
     * kn_screening_answers_from_stored. limit 0 = every screening, newest first. */
    kn_rc (*screening_add)(void *impl, kn_screening *s, const char *answers_json, kn_err *err);
    kn_rc (*screening_list)(void *impl, int64_t person, size_t limit, kn_screening_list *out,
                            kn_err *err);
} kn_store_ops;

/* Reads the stored answers of a screening (kn_screening_answers_from_json, except that
 * answers to questions the tables no longer hold are passed over). */
kn_rc kn_screening_answers_from_stored(const char *text, kn_screening *s, kn_err *err);

/* Opens the SQLite backend at path (see kn_store_open for the rules). */
kn_rc kn_sqlite_open(const char *path, int flags, void **impl, kn_err *err);
extern const kn_store_ops kn_sqlite_ops;

/* The operations of the care workflow's records (schema 3), a second table of the same
 * backend so that each stays readable. */
typedef struct kn_care_ops {
    kn_rc (*therapist_add)(void *impl, kn_therapist *t, kn_err *err);
    kn_rc (*therapist_get)(void *impl, int64_t id, kn_therapist *out, kn_err *err);
    kn_rc (*therapist_list)(void *impl, kn_therapist_list *out, kn_err *err);
    kn_rc (*intake_add)(void *impl, kn_intake *i, kn_err *err);
    kn_rc (*intake_latest)(void *impl, int64_t person, kn_intake *out, bool *found, kn_err *err);
    kn_rc (*intake_count)(void *impl, int64_t person, int *out, kn_err *err);
    kn_rc (*plan_add)(void *impl, kn_plan *p, kn_err *err);
    kn_rc (*plan_get)(void *impl, int64_t id, kn_plan *out, kn_err *err);
    kn_rc (*live_start)(void *impl, kn_session *s, int64_t plan_id, int64_t therapist_id,
                        kn_err *err);
    kn_rc (*live_get)(void *impl, int64_t id, kn_live_session *out, kn_err *err);
    kn_rc (*session_get)(void *impl, int64_t id, kn_session *out, kn_err *err);
    kn_rc (*event_add)(void *impl, kn_session_event *e, kn_err *err);
    kn_rc (*event_list)(void *impl, int64_t session, kn_event_list *out, kn_err *err);
    kn_rc (*live_finish)(void *impl, const kn_session *s, kn_instant ended, kn_err *err);
    kn_rc (*live_sign)(void *impl, int64_t id, kn_instant at, int64_t signed_by, kn_err *err);
    kn_rc (*live_cancel)(void *impl, int64_t id, kn_err *err);
    kn_rc (*live_open)(void *impl, int64_t person, int64_t *id, kn_err *err);
    kn_rc (*note_add)(void *impl, kn_session_note *n, kn_err *err);
    kn_rc (*note_replace)(void *impl, const kn_session_note *n, kn_err *err);
    kn_rc (*note_list)(void *impl, int64_t session, kn_note_list *out, kn_err *err);
} kn_care_ops;

/* Clearances (schema 5): a third table of the same backend. */
typedef struct kn_clearance_ops {
    kn_rc (*add)(void *impl, kn_clearance *c, kn_err *err);
    kn_rc (*list)(void *impl, int64_t person, kn_clearance_list *out, kn_err *err);
} kn_clearance_ops;

/* The SQLite handle and file path of an open SQLite backend (for src/store/sqlite_care.c). */
struct sqlite3;
struct sqlite3 *kn_sqlite_db(void *impl);
const char *kn_sqlite_path(void *impl);
extern const kn_care_ops kn_sqlite_care_ops;
extern const kn_clearance_ops kn_sqlite_clearance_ops;

/* The operations of correcting the record (one record read, changed or deleted by id, a
 * person erased), a third table of the same backend. */
typedef struct kn_correct_ops {
    kn_rc (*pain_get)(void *impl, int64_t id, kn_pain *out, bool *found, kn_err *err);
    kn_rc (*pain_find)(void *impl, int64_t person, int64_t at_utc, const char *region, kn_pain *out,
                       bool *found, kn_err *err);
    kn_rc (*pain_update)(void *impl, const kn_pain *p, kn_err *err);
    kn_rc (*pain_delete)(void *impl, int64_t id, kn_err *err);
    kn_rc (*checkin_delete)(void *impl, int64_t person, kn_day day, kn_err *err);
    kn_rc (*session_update)(void *impl, const kn_session *s, kn_err *err);
    kn_rc (*session_delete)(void *impl, int64_t id, kn_err *err);
    kn_rc (*person_footprint)(void *impl, int64_t person, kn_footprint *out, kn_err *err);
    kn_rc (*person_delete)(void *impl, int64_t person, kn_err *err);
    kn_rc (*person_rows)(void *impl, int64_t person, kn_rowset *out, kn_err *err);
    kn_rc (*person_rows_put)(void *impl, const kn_rowset *in, kn_err *err);
} kn_correct_ops;
/* The tables of a person's full record and how each row is chosen (?1 = the person). */
typedef struct kn_person_table {
    const char *name;
    const char *where;
} kn_person_table;
extern const kn_person_table kn_person_tables[];
extern const size_t kn_person_ntables;
extern const kn_correct_ops kn_sqlite_correct_ops;

#endif
