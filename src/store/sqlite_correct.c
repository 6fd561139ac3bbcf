/* The SQLite backend of correcting the record: reading, changing and deleting one pain entry,
 * check-in or session, finding the entry a new one would repeat, and erasing a person with
 * everything of theirs. Statements are prepared, run and finalised per call (these run a few
 * times per command). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/backend.h"
#include "store/sqlite_shared.h"

typedef struct q {
    sqlite3 *db;
    const char *path;
    sqlite3_stmt *st;
} q;

static kn_rc q_error(q *x, kn_err *err, const char *what)
{
    return kn_sqlite_error(x->db, x->path, what, "a referenced record does not exist", err);
}

static kn_rc q_prepare(void *impl, q *x, const char *sql, kn_err *err)
{
    x->db = kn_sqlite_db(impl);
    x->path = kn_sqlite_path(impl);
    x->st = NULL;
    if (sqlite3_prepare_v2(x->db, sql, -1, &x->st, NULL) != SQLITE_OK)
        return q_error(x, err, "prepare");
    return KN_OK;
}

static void q_done(q *x)
{
    sqlite3_finalize(x->st);
    x->st = NULL;
}

static kn_rc q_exec(q *x, kn_err *err, const char *what)
{
    kn_rc rc = sqlite3_step(x->st) == SQLITE_DONE ? KN_OK : q_error(x, err, what);
    q_done(x);
    return rc;
}

/* Runs sql with ?1 bound to id. */
static kn_rc run_id(void *impl, const char *sql, int64_t id, kn_err *err, const char *what)
{
    q x;
    kn_rc rc = q_prepare(impl, &x, sql, err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, id);
    return q_exec(&x, err, what);
}

/* ---- pain entries ---- */

#define PAIN_COLUMNS "id, person_id, at_utc, offset_min, region, intensity, qualities, note"

static kn_rc read_pain(q *x, kn_pain *out, kn_err *err)
{
    int oom = 0;
    out->id = sqlite3_column_int64(x->st, 0);
    out->person_id = sqlite3_column_int64(x->st, 1);
    out->at = (kn_instant){sqlite3_column_int64(x->st, 2), sqlite3_column_int(x->st, 3)};
    out->day = kn_instant_day(out->at);
    snprintf(out->region, sizeof out->region, "%s", (const char *)sqlite3_column_text(x->st, 4));
    out->intensity = sqlite3_column_int(x->st, 5);
    out->qualities = (kn_qualities)sqlite3_column_int64(x->st, 6);
    out->note = col_opt_text(x->st, 7, &oom);
    return oom ? kn_err_set(err, KN_ENOMEM, "out of memory") : KN_OK;
}

static kn_rc sqx_pain_get(void *impl, int64_t id, kn_pain *out, bool *found, kn_err *err)
{
    q x;
    *found = false;
    kn_rc rc = q_prepare(impl, &x, "SELECT " PAIN_COLUMNS " FROM pain WHERE id = ?", err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, id);
    int step = sqlite3_step(x.st);
    if (step == SQLITE_ROW) {
        *found = true;
        rc = read_pain(&x, out, err);
    } else if (step != SQLITE_DONE) {
        rc = q_error(&x, err, "read pain entry");
    }
    q_done(&x);
    return rc;
}

static kn_rc sqx_pain_find(void *impl, int64_t person, int64_t at_utc, const char *region,
                           kn_pain *out, bool *found, kn_err *err)
{
    q x;
    *found = false;
    kn_rc rc = q_prepare(
        impl, &x,
        "SELECT " PAIN_COLUMNS " FROM pain WHERE person_id = ? AND at_utc = ? AND region = ?", err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, person);
    sqlite3_bind_int64(x.st, 2, at_utc);
    sqlite3_bind_text(x.st, 3, region, -1, SQLITE_STATIC);
    int step = sqlite3_step(x.st);
    if (step == SQLITE_ROW) {
        *found = true;
        rc = read_pain(&x, out, err);
    } else if (step != SQLITE_DONE) {
        rc = q_error(&x, err, "read pain entry");
    }
    q_done(&x);
    return rc;
}

static kn_rc sqx_pain_update(void *impl, const kn_pain *p, kn_err *err)
{
    char date[KN_DATE_LEN];
    kn_date_format(p->day, date);
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "UPDATE pain SET at_utc = ?, offset_min = ?, local_date = ?, region = ?, "
                         "intensity = ?, qualities = ?, note = ? WHERE id = ?",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, p->at.utc);
    sqlite3_bind_int(x.st, 2, p->at.offset_min);
    sqlite3_bind_text(x.st, 3, date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(x.st, 4, p->region, -1, SQLITE_STATIC);
    sqlite3_bind_int(x.st, 5, p->intensity);
    sqlite3_bind_int64(x.st, 6, (sqlite3_int64)p->qualities);
    bind_opt_text(x.st, 7, p->note);
    sqlite3_bind_int64(x.st, 8, p->id);
    if (sqlite3_step(x.st) != SQLITE_DONE) {
        rc = sqlite3_extended_errcode(x.db) == SQLITE_CONSTRAINT_UNIQUE
                 ? kn_err_field(err, KN_EREFUSED, "region",
                                "region: an entry for that region and instant is already there")
                 : q_error(&x, err, "change pain entry");
    }
    q_done(&x);
    return rc;
}

static kn_rc sqx_pain_delete(void *impl, int64_t id, kn_err *err)
{
    return run_id(impl, "DELETE FROM pain WHERE id = ?", id, err, "delete pain entry");
}

/* ---- check-ins and sessions ---- */

static kn_rc sqx_checkin_delete(void *impl, int64_t person, kn_day day, kn_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM checkin_tag WHERE person_id = ? AND local_date = ?",
        "DELETE FROM checkin_treatment WHERE person_id = ? AND local_date = ?",
        "DELETE FROM checkin WHERE person_id = ? AND local_date = ?",
    };
    char date[KN_DATE_LEN];
    kn_date_format(day, date);
    kn_rc rc = KN_OK;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0] && rc == KN_OK; i++) {
        q x;
        if ((rc = q_prepare(impl, &x, sql[i], err)) != KN_OK)
            return rc;
        sqlite3_bind_int64(x.st, 1, person);
        sqlite3_bind_text(x.st, 2, date, -1, SQLITE_TRANSIENT);
        rc = q_exec(&x, err, "delete check-in");
    }
    return rc;
}

static kn_rc sqx_session_update(void *impl, const kn_session *s, kn_err *err)
{
    char date[KN_DATE_LEN];
    kn_date_format(s->day, date);
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "UPDATE session SET at_utc = ?, offset_min = ?, local_date = ?, "
                         "therapist = ?, minutes = ?, pre_pain = ?, post_pain = ?, note = ? "
                         "WHERE id = ?",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, s->at.utc);
    sqlite3_bind_int(x.st, 2, s->at.offset_min);
    sqlite3_bind_text(x.st, 3, date, -1, SQLITE_TRANSIENT);
    bind_opt_text(x.st, 4, s->therapist);
    sqlite3_bind_int(x.st, 5, s->minutes);
    bind_opt_int(x.st, 6, s->pre_pain);
    bind_opt_int(x.st, 7, s->post_pain);
    bind_opt_text(x.st, 8, s->note);
    sqlite3_bind_int64(x.st, 9, s->id);
    if (sqlite3_step(x.st) != SQLITE_DONE) {
        rc = sqlite3_extended_errcode(x.db) == SQLITE_CONSTRAINT_UNIQUE
                 ? kn_err_field(err, KN_EINVAL, "at", "at: a session at that instant is recorded")
                 : q_error(&x, err, "change session");
    }
    q_done(&x);
    if (rc != KN_OK)
        return rc;
    if ((rc = run_id(impl, "DELETE FROM session_work WHERE session_id = ?", s->id, err,
                     "change session")) != KN_OK ||
        (rc = run_id(impl, "DELETE FROM session_technique WHERE session_id = ?", s->id, err,
                     "change session")) != KN_OK)
        return rc;
    for (size_t i = 0; i < s->nwork && rc == KN_OK; i++) {
        if ((rc = q_prepare(impl, &x,
                            "INSERT INTO session_work(session_id, pos, region, pressure, "
                            "discomfort) VALUES (?, ?, ?, ?, ?)",
                            err)) != KN_OK)
            return rc;
        sqlite3_bind_int64(x.st, 1, s->id);
        sqlite3_bind_int(x.st, 2, (int)i);
        bind_opt_text(x.st, 3, s->work[i].region);
        sqlite3_bind_int(x.st, 4, s->work[i].pressure);
        bind_opt_int(x.st, 5, s->work[i].discomfort);
        rc = q_exec(&x, err, "change session");
    }
    for (size_t i = 0; i < s->ntechniques && rc == KN_OK; i++) {
        if ((rc = q_prepare(impl, &x,
                            "INSERT INTO session_technique(session_id, pos, technique) VALUES "
                            "(?, ?, ?)",
                            err)) != KN_OK)
            return rc;
        sqlite3_bind_int64(x.st, 1, s->id);
        sqlite3_bind_int(x.st, 2, (int)i);
        bind_opt_text(x.st, 3, s->techniques[i]);
        rc = q_exec(&x, err, "change session");
    }
    return rc;
}

static kn_rc sqx_session_delete(void *impl, int64_t id, kn_err *err)
{
    /* children first: nothing refers to a session row once these are gone */
    static const char *const sql[] = {
        "DELETE FROM session_event WHERE session_id = ?",
        "DELETE FROM session_note WHERE session_id = ?",
        "DELETE FROM live_session WHERE session_id = ?",
        "DELETE FROM session_work WHERE session_id = ?",
        "DELETE FROM session_technique WHERE session_id = ?",
        "DELETE FROM session WHERE id = ?",
    };
    kn_rc rc = KN_OK;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0] && rc == KN_OK; i++)
        rc = run_id(impl, sql[i], id, err, "delete session");
    return rc;
}

/* ---- a person and everything of theirs ---- */

#define OF_SESSIONS "(SELECT id FROM session WHERE person_id = ?1)"

static kn_rc sqx_person_footprint(void *impl, int64_t person, kn_footprint *out, kn_err *err)
{
    q x;
    kn_rc rc =
        q_prepare(impl, &x,
                  "SELECT (SELECT count(*) FROM pain WHERE person_id = ?1), "
                  "(SELECT count(*) FROM checkin WHERE person_id = ?1), "
                  "(SELECT count(*) FROM session WHERE person_id = ?1), "
                  "(SELECT count(*) FROM session_event WHERE session_id IN " OF_SESSIONS "), "
                  "(SELECT count(*) FROM session_note WHERE session_id IN " OF_SESSIONS "), "
                  "(SELECT count(*) FROM intake WHERE person_id = ?1), "
                  "(SELECT count(*) FROM screening WHERE person_id = ?1), "
                  "(SELECT count(*) FROM clearance WHERE person_id = ?1), "
                  "(SELECT count(*) FROM plan WHERE person_id = ?1)",
                  err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, person);
    if (sqlite3_step(x.st) == SQLITE_ROW) {
        int64_t *fields[] = {&out->pain,       &out->checkins,   &out->sessions,
                             &out->events,     &out->notes,      &out->intakes,
                             &out->screenings, &out->clearances, &out->plans};
        for (int i = 0; i < 9; i++)
            *fields[i] = sqlite3_column_int64(x.st, i);
    } else {
        rc = q_error(&x, err, "count records");
    }
    q_done(&x);
    return rc;
}

static kn_rc sqx_person_delete(void *impl, int64_t person, kn_err *err)
{
    /* Children before parents, so that no reference is left dangling at any step: session
     * records, then the sessions and the plans live sessions referred to, intakes before
     * the screenings they ran. */
    static const char *const sql[] = {
        "DELETE FROM session_event WHERE session_id IN " OF_SESSIONS,
        "DELETE FROM session_note WHERE session_id IN " OF_SESSIONS,
        "DELETE FROM live_session WHERE session_id IN " OF_SESSIONS,
        "DELETE FROM session_work WHERE session_id IN " OF_SESSIONS,
        "DELETE FROM session_technique WHERE session_id IN " OF_SESSIONS,
        "DELETE FROM session WHERE person_id = ?1",
        "DELETE FROM plan_block WHERE plan_id IN (SELECT id FROM plan WHERE person_id = ?1)",
        "DELETE FROM plan WHERE person_id = ?1",
        "DELETE FROM intake_onset WHERE intake_id IN (SELECT id FROM intake WHERE person_id = ?1)",
        "DELETE FROM intake WHERE person_id = ?1",
        "DELETE FROM screening WHERE person_id = ?1",
        "DELETE FROM clearance WHERE person_id = ?1",
        "DELETE FROM checkin_tag WHERE person_id = ?1",
        "DELETE FROM checkin_treatment WHERE person_id = ?1",
        "DELETE FROM checkin WHERE person_id = ?1",
        "DELETE FROM pain WHERE person_id = ?1",
        "DELETE FROM person WHERE id = ?1",
    };
    kn_rc rc = KN_OK;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0] && rc == KN_OK; i++)
        rc = run_id(impl, sql[i], person, err, "delete person");
    return rc;
}

/* ---- a person's full record, row by row ---- */

/* Parents before children, so rows written back in this order never refer ahead. The
 * therapists are those the person's plans, live sessions and notes name. */
#define NAMED_THERAPISTS                                                                           \
    "(SELECT therapist_id FROM plan WHERE person_id = ?1 UNION "                                   \
    "SELECT therapist_id FROM live_session WHERE session_id IN " OF_SESSIONS " UNION "             \
    "SELECT signed_by FROM live_session WHERE session_id IN " OF_SESSIONS " UNION "                \
    "SELECT therapist_id FROM session_note WHERE session_id IN " OF_SESSIONS ")"
const kn_person_table kn_person_tables[] = {
    {"therapist", "id IN " NAMED_THERAPISTS " ORDER BY id"},
    {"therapist_specialty", "therapist_id IN " NAMED_THERAPISTS " ORDER BY therapist_id, pos"},
    {"person", "id = ?1"},
    {"pain", "person_id = ?1 ORDER BY id"},
    {"checkin", "person_id = ?1 ORDER BY local_date"},
    {"checkin_tag", "person_id = ?1 ORDER BY local_date, pos"},
    {"checkin_treatment", "person_id = ?1 ORDER BY local_date, pos"},
    {"session", "person_id = ?1 ORDER BY id"},
    {"session_work", "session_id IN " OF_SESSIONS " ORDER BY session_id, pos"},
    {"session_technique", "session_id IN " OF_SESSIONS " ORDER BY session_id, pos"},
    {"screening", "person_id = ?1 ORDER BY id"},
    {"intake", "person_id = ?1 ORDER BY id"},
    {"intake_onset",
     "intake_id IN (SELECT id FROM intake WHERE person_id = ?1) ORDER BY intake_id, region"},
    {"clearance", "person_id = ?1 ORDER BY id"},
    {"plan", "person_id = ?1 ORDER BY id"},
    {"plan_block", "plan_id IN (SELECT id FROM plan WHERE person_id = ?1) ORDER BY plan_id, pos"},
    {"live_session", "session_id IN " OF_SESSIONS " ORDER BY session_id"},
    {"session_event", "session_id IN " OF_SESSIONS " ORDER BY id"},
    {"session_note", "session_id IN " OF_SESSIONS " ORDER BY session_id, version"},
};
const size_t kn_person_ntables = sizeof kn_person_tables / sizeof kn_person_tables[0];

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static kn_rc read_table(void *impl, const kn_person_table *t, int64_t person, kn_table_rows *out,
                        kn_err *err)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE %s", t->name, t->where);
    q x;
    kn_rc rc = q_prepare(impl, &x, sql, err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, person);
    out->table = dup_text(t->name);
    out->ncolumns = (size_t)sqlite3_column_count(x.st);
    out->columns = calloc(out->ncolumns ? out->ncolumns : 1, sizeof *out->columns);
    if (!out->table || !out->columns) {
        rc = kn_err_set(err, KN_ENOMEM, "out of memory");
        goto finalize;
    }
    for (size_t c = 0; c < out->ncolumns; c++)
        if (!(out->columns[c] = dup_text(sqlite3_column_name(x.st, (int)c)))) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            goto finalize;
        }
    int step;
    while (rc == KN_OK && (step = sqlite3_step(x.st)) == SQLITE_ROW) {
        if (out->nrows == out->cap) {
            size_t ncap = out->cap ? out->cap * 2 : 16;
            kn_value *v = realloc(out->values, ncap * out->ncolumns * sizeof *v);
            if (!v) {
                rc = kn_err_set(err, KN_ENOMEM, "out of memory");
                break;
            }
            out->values = v;
            out->cap = ncap;
        }
        kn_value *row = &out->values[out->nrows * out->ncolumns];
        memset(row, 0, out->ncolumns * sizeof *row);
        out->nrows++;
        for (size_t c = 0; c < out->ncolumns && rc == KN_OK; c++) {
            int type = sqlite3_column_type(x.st, (int)c);
            if (type == SQLITE_INTEGER) {
                row[c] = (kn_value){.type = KN_VALUE_INT, .i = sqlite3_column_int64(x.st, (int)c)};
            } else if (type == SQLITE_FLOAT) {
                row[c] =
                    (kn_value){.type = KN_VALUE_REAL, .r = sqlite3_column_double(x.st, (int)c)};
            } else if (type != SQLITE_NULL) {
                int oom = 0;
                row[c] =
                    (kn_value){.type = KN_VALUE_TEXT, .text = col_opt_text(x.st, (int)c, &oom)};
                if (oom)
                    rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            }
        }
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = q_error(&x, err, "read the person's records");
finalize:
    q_done(&x);
    return rc;
}

static kn_rc sqx_person_rows(void *impl, int64_t person, kn_rowset *out, kn_err *err)
{
    out->tables = calloc(kn_person_ntables, sizeof *out->tables);
    if (!out->tables)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    kn_rc rc = KN_OK;
    for (size_t t = 0; t < kn_person_ntables && rc == KN_OK; t++) {
        out->ntables++;
        rc = read_table(impl, &kn_person_tables[t], person, &out->tables[t], err);
    }
    if (rc == KN_OK && out->tables[2].nrows == 0)
        rc = kn_err_set(err, KN_ENOTFOUND, "person %lld: no such person", (long long)person);
    return rc;
}

/* A column name as written in SQL: only the letters, digits and underscores of the schema's
 * own names, so that a name from a file cannot be read as SQL. */
static bool plain_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static kn_rc put_table(void *impl, const kn_table_rows *t, kn_err *err)
{
    bool known = false;
    for (size_t i = 0; i < kn_person_ntables; i++)
        known |= strcmp(kn_person_tables[i].name, t->table) == 0;
    if (!known)
        return kn_err_set(err, KN_EINVAL, "tables.%s: not a table of a person's record", t->table);
    if (!t->nrows)
        return KN_OK;
    char sql[4096];
    size_t len = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s(", t->table);
    for (size_t c = 0; c < t->ncolumns && len < sizeof sql; c++) {
        if (!plain_name(t->columns[c]))
            return kn_err_set(err, KN_EINVAL, "tables.%s: '%.60s' is not a column name", t->table,
                              t->columns[c]);
        len += (size_t)snprintf(sql + len, sizeof sql - len, "%s%s", c ? ", " : "", t->columns[c]);
    }
    for (size_t c = 0; c < t->ncolumns && len < sizeof sql; c++)
        len += (size_t)snprintf(sql + len, sizeof sql - len, "%s", c ? ", ?" : ") VALUES (?");
    if (len + 2 >= sizeof sql)
        return kn_err_set(err, KN_EINVAL, "tables.%s: too many columns", t->table);
    memcpy(sql + len, ")", 2);
    q x;
    x.db = kn_sqlite_db(impl);
    x.path = kn_sqlite_path(impl);
    if (sqlite3_prepare_v2(x.db, sql, -1, &x.st, NULL) != SQLITE_OK)
        return kn_err_set(err, KN_EINVAL, "tables.%s: %s", t->table, sqlite3_errmsg(x.db));
    kn_rc rc = KN_OK;
    for (size_t r = 0; r < t->nrows && rc == KN_OK; r++) {
        const kn_value *row = &t->values[r * t->ncolumns];
        sqlite3_reset(x.st);
        for (size_t c = 0; c < t->ncolumns; c++) {
            int i = (int)c + 1;
            if (row[c].type == KN_VALUE_INT)
                sqlite3_bind_int64(x.st, i, row[c].i);
            else if (row[c].type == KN_VALUE_REAL)
                sqlite3_bind_double(x.st, i, row[c].r);
            else if (row[c].type == KN_VALUE_TEXT)
                sqlite3_bind_text(x.st, i, row[c].text, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(x.st, i);
        }
        if (sqlite3_step(x.st) != SQLITE_DONE)
            rc =
                kn_err_set(err, KN_EINVAL, "tables.%s[%zu]: %s", t->table, r, sqlite3_errmsg(x.db));
    }
    q_done(&x);
    return rc;
}

static kn_rc sqx_person_rows_put(void *impl, const kn_rowset *in, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x, "SELECT count(*) FROM person", err);
    if (rc != KN_OK)
        return rc;
    int64_t persons = sqlite3_step(x.st) == SQLITE_ROW ? sqlite3_column_int64(x.st, 0) : -1;
    q_done(&x);
    if (persons != 0)
        return kn_err_set(err, KN_EREFUSED,
                          "a full export is read into an empty database (this one holds %lld "
                          "person%s): read it into a new database",
                          (long long)persons, persons == 1 ? "" : "s");
    for (size_t t = 0; t < in->ntables && rc == KN_OK; t++)
        rc = put_table(impl, &in->tables[t], err);
    return rc;
}

const kn_correct_ops kn_sqlite_correct_ops = {
    .pain_get = sqx_pain_get,
    .pain_find = sqx_pain_find,
    .pain_update = sqx_pain_update,
    .pain_delete = sqx_pain_delete,
    .checkin_delete = sqx_checkin_delete,
    .session_update = sqx_session_update,
    .session_delete = sqx_session_delete,
    .person_footprint = sqx_person_footprint,
    .person_delete = sqx_person_delete,
    .person_rows = sqx_person_rows,
    .person_rows_put = sqx_person_rows_put,
};
