/* Clearances: a clinician's recorded decision that lifts one question's red flag for a
 * person. Their validation, and their rows in the SQLite backend (schema 5, table
 * clearance): added and listed, never changed or deleted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/backend.h"
#include "store/sqlite_shared.h"

void kn_clearance_clear(kn_clearance *c)
{
    free(c->cleared_by);
    free(c->note);
    memset(c, 0, sizeof *c);
    c->max_pressure = KN_NONE;
}

void kn_clearance_list_free(kn_clearance_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        kn_clearance_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

kn_rc kn_clearance_validate(const kn_clearance *c, kn_err *err)
{
    if (!kn_question_find(c->question))
        return kn_err_field(err, KN_EINVAL, "question", "question %s: no such question",
                            c->question);
    if (blank(c->cleared_by))
        return kn_err_field(err, KN_EINVAL, "by", "by: the clinician who clears it is required");
    if (strlen(c->cleared_by) > KN_CLEARED_BY_MAX)
        return kn_err_field(err, KN_EINVAL, "by", "by: longer than %d characters",
                            KN_CLEARED_BY_MAX);
    if (c->note && strlen(c->note) > KN_CLEARANCE_NOTE_MAX)
        return kn_err_field(err, KN_EINVAL, "note", "note: longer than %d characters",
                            KN_CLEARANCE_NOTE_MAX);
    if (c->max_pressure != KN_NONE && (c->max_pressure < 1 || c->max_pressure > 10))
        return kn_err_field(err, KN_EINVAL, "max_pressure", "max_pressure %d: must be 1-10",
                            c->max_pressure);
    return KN_OK;
}

static kn_rc sql_error(void *impl, const char *what, kn_err *err)
{
    return kn_sqlite_error(kn_sqlite_db(impl), kn_sqlite_path(impl), what,
                           "the person does not exist", err);
}

static kn_rc sqcl_add(void *impl, kn_clearance *c, kn_err *err)
{
    sqlite3 *db = kn_sqlite_db(impl);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO clearance(person_id, question, at_utc, offset_min, "
                           "cleared_by, note, max_pressure) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_error(impl, "prepare", err);
    sqlite3_bind_int64(st, 1, c->person_id);
    sqlite3_bind_text(st, 2, c->question, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, c->at.utc);
    sqlite3_bind_int(st, 4, c->at.offset_min);
    bind_opt_text(st, 5, c->cleared_by);
    bind_opt_text(st, 6, c->note);
    bind_opt_int(st, 7, c->max_pressure);
    kn_rc rc = sqlite3_step(st) == SQLITE_DONE ? KN_OK : sql_error(impl, "add clearance", err);
    sqlite3_finalize(st);
    if (rc == KN_OK)
        c->id = sqlite3_last_insert_rowid(db);
    return rc;
}

static kn_rc sqcl_list(void *impl, int64_t person, kn_clearance_list *out, kn_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(kn_sqlite_db(impl),
                           "SELECT id, question, at_utc, offset_min, cleared_by, note, "
                           "max_pressure FROM clearance WHERE person_id = ? ORDER BY at_utc, id",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_error(impl, "prepare", err);
    sqlite3_bind_int64(st, 1, person);
    kn_rc rc = KN_OK;
    int step = SQLITE_DONE;
    while (rc == KN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        kn_clearance *c = list_slot((void **)&out->items, &out->n, &out->cap, sizeof *out->items);
        if (!c) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        out->n++;
        int oom = 0;
        c->id = sqlite3_column_int64(st, 0);
        c->person_id = person;
        snprintf(c->question, sizeof c->question, "%s", (const char *)sqlite3_column_text(st, 1));
        c->at = (kn_instant){sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3)};
        c->cleared_by = col_opt_text(st, 4, &oom);
        c->note = col_opt_text(st, 5, &oom);
        c->max_pressure = col_opt_int(st, 6);
        if (oom)
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = sql_error(impl, "read clearances", err);
    sqlite3_finalize(st);
    if (rc != KN_OK)
        kn_clearance_list_free(out);
    return rc;
}

const kn_clearance_ops kn_sqlite_clearance_ops = {
    .add = sqcl_add,
    .list = sqcl_list,
};
