/* Export of a person's records as CSV (the import formats of docs/CSV.md, so an export imports
 * back as the same diary) or as a JSON array of the shared encoder's records; and the full
 * export of everything stored of a person (docs/EXPORT.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"
#include "knead/interop.h"

/* The JSON flags of kn_json_write, so an exported record looks like any other. */
#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15))

/* ---- CSV cells ---- */

static void put_int(FILE *out, int v)
{
    if (v != KN_NONE)
        fprintf(out, "%d", v);
}

static void put_instant(FILE *out, kn_instant t)
{
    char s[KN_INSTANT_LEN];
    kn_instant_format(t, s);
    fputs(s, out);
}

static void put_words(FILE *out, kn_buf *cell, char *const *words, size_t n)
{
    kn_buf_reset(cell);
    for (size_t i = 0; i < n; i++) {
        if (i)
            kn_buf_putc(cell, ';');
        kn_buf_puts(cell, words[i]);
    }
    kn_csv_write_field(out, kn_buf_str(cell));
}

static void put_pain(FILE *out, const kn_pain *p)
{
    char q[512];
    put_instant(out, p->at);
    putc(',', out);
    kn_csv_write_field(out, p->region);
    putc(',', out);
    put_int(out, p->intensity);
    putc(',', out);
    if (kn_qualities_format(p->qualities, ';', q, sizeof q))
        fputs(q, out);
    putc(',', out);
    kn_csv_write_field(out, p->note);
    putc('\n', out);
}

static void put_checkin(FILE *out, kn_buf *cell, const kn_checkin *c)
{
    char date[KN_DATE_LEN];
    kn_date_format(c->day, date);
    fputs(date, out);
    putc(',', out);
    put_int(out, c->stress);
    putc(',', out);
    if (!isnan(c->sleep_hours)) {
        char hours[32];
        kn_snprintf_c(hours, sizeof hours, "%.1f", c->sleep_hours);
        fputs(hours, out);
    }
    putc(',', out);
    put_int(out, c->sleep_quality);
    putc(',', out);
    if (c->routine != KN_ROUTINE_NONE)
        fputs(c->routine == KN_ROUTINE_DISRUPTED ? "disrupted" : "normal", out);
    putc(',', out);
    if (c->pain_free == 1)
        fputs("yes", out);
    putc(',', out);
    put_words(out, cell, c->tags, c->ntags);
    putc(',', out);
    kn_buf_reset(cell);
    for (size_t i = 0; i < c->ntreatments; i++) {
        if (i)
            kn_buf_putc(cell, ';');
        kn_buf_puts(cell, c->treatments[i].name);
        if (c->treatments[i].dose)
            kn_buf_printf(cell, ":%s", c->treatments[i].dose);
    }
    kn_csv_write_field(out, kn_buf_str(cell));
    for (int i = 0; i < 3; i++) {
        putc(',', out);
        put_int(out, c->peg[i]);
    }
    putc(',', out);
    kn_csv_write_field(out, c->note);
    putc('\n', out);
}

static void put_session(FILE *out, kn_buf *cell, const kn_session *s)
{
    put_instant(out, s->at);
    putc(',', out);
    put_int(out, s->minutes);
    putc(',', out);
    kn_csv_write_field(out, s->therapist);
    putc(',', out);
    kn_buf_reset(cell);
    for (size_t i = 0; i < s->nwork; i++) {
        const kn_work *w = &s->work[i];
        kn_buf_printf(cell, "%s%s:%d", i ? ";" : "", w->region, w->pressure);
        if (w->discomfort != KN_NONE)
            kn_buf_printf(cell, ":%d", w->discomfort);
    }
    kn_csv_write_field(out, kn_buf_str(cell));
    putc(',', out);
    put_words(out, cell, s->techniques, s->ntechniques);
    putc(',', out);
    put_int(out, s->pre_pain);
    putc(',', out);
    put_int(out, s->post_pain);
    putc(',', out);
    kn_csv_write_field(out, s->note);
    putc('\n', out);
}

/* ---- JSON ---- */

/* Writes one element of the array; the array is streamed, because a whole diary as one
 * jansson tree would take many times the memory of the records themselves. */
static kn_rc put_json(FILE *out, json_t *v, size_t i, kn_err *err)
{
    if (!v)
        return kn_err_set(err, KN_ENOMEM, "cannot encode JSON (out of memory)");
    fputs(i ? ",\n" : "\n", out);
    int rc = json_dumpf(v, out, JSON_FLAGS);
    json_decref(v);
    return rc == 0 ? KN_OK : kn_err_set(err, KN_EIO, "cannot write JSON output");
}

/* ---- by kind ---- */

static kn_rc export_pain(kn_store *st, int64_t person, kn_format format, FILE *out, kn_err *err)
{
    kn_pain_list l;
    kn_rc rc = kn_store_pain_list(st, person, KN_DAY_ANY, KN_DAY_ANY, &l);
    if (rc != KN_OK)
        return kn_store_error(st, err);
    for (size_t i = 0; i < l.n && rc == KN_OK; i++) {
        if (format == KN_FORMAT_CSV)
            put_pain(out, &l.items[i]);
        else
            rc = put_json(out, kn_json_pain(&l.items[i]), i, err);
    }
    kn_pain_list_free(&l);
    return rc;
}

static kn_rc export_checkins(kn_store *st, int64_t person, kn_format format, FILE *out,
                             kn_buf *cell, kn_err *err)
{
    kn_checkin_list l;
    kn_rc rc = kn_store_checkin_list(st, person, KN_DAY_ANY, KN_DAY_ANY, &l);
    if (rc != KN_OK)
        return kn_store_error(st, err);
    for (size_t i = 0; i < l.n && rc == KN_OK; i++) {
        if (format == KN_FORMAT_CSV)
            put_checkin(out, cell, &l.items[i]);
        else
            rc = put_json(out, kn_json_checkin(&l.items[i]), i, err);
    }
    kn_checkin_list_free(&l);
    return rc;
}

static kn_rc export_sessions(kn_store *st, int64_t person, kn_format format, FILE *out,
                             kn_buf *cell, kn_err *err)
{
    kn_session_list l;
    kn_rc rc = kn_store_session_list(st, person, KN_DAY_ANY, KN_DAY_ANY, &l);
    if (rc != KN_OK)
        return kn_store_error(st, err);
    for (size_t i = 0; i < l.n && rc == KN_OK; i++) {
        if (format == KN_FORMAT_CSV)
            put_session(out, cell, &l.items[i]);
        else
            rc = put_json(out, kn_json_session(&l.items[i]), i, err);
    }
    kn_session_list_free(&l);
    return rc;
}

kn_rc kn_export(kn_store *st, int64_t person, kn_kind kind, kn_format format, FILE *out,
                kn_err *err)
{
    kn_person p;
    kn_person_init(&p);
    /* a cell holds at most KN_LIST_MAX short items; the cap only guards against a bug */
    kn_buf cell;
    kn_buf_init(&cell, (size_t)1 << 20);
    kn_rc rc = kn_store_person_get(st, person, &p);
    if (rc == KN_ENOTFOUND) {
        kn_err_set(err, rc, "person %lld: no such person", (long long)person);
        goto clear_person;
    }
    if (rc != KN_OK) {
        kn_store_error(st, err);
        goto clear_person;
    }
    if (format == KN_FORMAT_CSV) {
        fputs(kn_kind_header(kind), out);
        putc('\n', out);
    } else {
        putc('[', out);
    }
    if (kind == KN_KIND_PAIN)
        rc = export_pain(st, person, format, out, err);
    else if (kind == KN_KIND_CHECKIN)
        rc = export_checkins(st, person, format, out, &cell, err);
    else
        rc = export_sessions(st, person, format, out, &cell, err);
    if (rc == KN_OK && format == KN_FORMAT_JSON)
        fputs("\n]\n", out);
    if (rc == KN_OK && ferror(out))
        rc = kn_err_set(err, KN_EIO, "cannot write the export");
clear_person:
    kn_buf_free(&cell);
    kn_person_clear(&p);
    return rc;
}

/* ---- the full export ---- */

static json_t *value_json(const kn_value *v)
{
    switch (v->type) {
    case KN_VALUE_INT:
        return json_integer((json_int_t)v->i);
    case KN_VALUE_REAL:
        return json_real(v->r);
    case KN_VALUE_TEXT:
        return json_string(v->text);
    case KN_VALUE_NULL:
        break;
    }
    return json_null();
}

static json_t *table_json(const kn_table_rows *t)
{
    json_t *rows = json_array();
    for (size_t r = 0; r < t->nrows; r++) {
        json_t *row = json_object();
        for (size_t c = 0; c < t->ncolumns; c++) {
            const kn_value *v = &t->values[r * t->ncolumns + c];
            /* a live session's therapist not recorded is stored as a placeholder (the column
             * takes text): in JSON it is null, as every absent value */
            bool absent = strcmp(t->table, "session") == 0 &&
                          strcmp(t->columns[c], "therapist") == 0 && v->type == KN_VALUE_TEXT &&
                          strcmp(v->text, KN_THERAPIST_NOT_RECORDED) == 0;
            json_object_set_new(row, t->columns[c], absent ? json_null() : value_json(v));
        }
        json_array_append_new(rows, row);
    }
    return json_pack("{s:s, s:o}", "table", t->table, "rows", rows);
}

kn_rc kn_export_all(kn_store *st, int64_t person, FILE *out, kn_err *err)
{
    kn_rowset rows;
    if (kn_store_begin_read(st) != KN_OK)
        return kn_store_error(st, err);
    kn_rc rc = kn_store_person_rows(st, person, &rows);
    if (rc != KN_OK)
        kn_store_error(st, err);
    kn_store_commit(st);
    if (rc != KN_OK)
        return rc;
    json_t *tables = json_array();
    for (size_t t = 0; t < rows.ntables; t++)
        json_array_append_new(tables, table_json(&rows.tables[t]));
    json_t *doc =
        json_pack("{s:s, s:i, s:i, s:I, s:o}", "format", KN_EXPORT_FORMAT, "format_version",
                  KN_EXPORT_VERSION, "schema_version", kn_store_schema_version(st), "person",
                  (json_int_t)person, "tables", tables);
    kn_rowset_free(&rows);
    /* every real at full precision: a value read back must be the value written */
    return kn_json_write_exact(doc, out, err);
}
