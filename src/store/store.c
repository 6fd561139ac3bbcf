/* The storage interface: validates records before they reach a backend, runs the merge rule
 * for check-ins, and keeps the handle's last error message. */
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"

struct kn_store {
    const kn_store_ops *ops;
    const kn_care_ops *care;
    const kn_clearance_ops *clearance;
    const kn_correct_ops *correct;
    void *impl;
    kn_err last;
    /* Read transactions begun inside an open transaction and not yet ended: their commit or
     * rollback leaves the open transaction alone. */
    int joined;
};

kn_rc kn_store_open(const char *path, int flags, kn_store **out, kn_err *err)
{
    *out = NULL;
    kn_store *st = calloc(1, sizeof *st);
    if (!st)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    kn_rc rc = kn_sqlite_open(path, flags, &st->impl, err);
    if (rc != KN_OK) {
        free(st);
        return rc;
    }
    st->ops = &kn_sqlite_ops;
    st->care = &kn_sqlite_care_ops;
    st->clearance = &kn_sqlite_clearance_ops;
    st->correct = &kn_sqlite_correct_ops;
    *out = st;
    return KN_OK;
}

void kn_store_close(kn_store *st)
{
    if (!st)
        return;
    st->ops->close(st->impl);
    free(st);
}

const char *kn_store_errmsg(const kn_store *st)
{
    return st->last.msg;
}

kn_rc kn_store_errcode(const kn_store *st)
{
    return st->last.code;
}

int kn_store_schema_version(kn_store *st)
{
    return st->ops->schema_version(st->impl);
}

/* Every entry point records its outcome in the handle. */
static kn_rc done(kn_store *st, kn_rc rc)
{
    if (rc == KN_OK)
        kn_err_clear(&st->last);
    st->last.code = rc;
    return rc;
}

kn_rc kn_store_begin(kn_store *st)
{
    return done(st, st->ops->begin(st->impl, &st->last));
}

kn_rc kn_store_commit(kn_store *st)
{
    if (st->joined > 0) {
        st->joined--;
        return done(st, KN_OK);
    }
    return done(st, st->ops->commit(st->impl, &st->last));
}

void kn_store_rollback(kn_store *st)
{
    if (st->joined > 0) {
        st->joined--;
        return;
    }
    st->ops->rollback(st->impl);
}

kn_rc kn_store_begin_read(kn_store *st)
{
    bool began = false;
    kn_rc rc = st->ops->begin_read(st->impl, &began, &st->last);
    if (rc == KN_OK && !began)
        st->joined++;
    return done(st, rc);
}

kn_rc kn_store_person_add(kn_store *st, kn_person *p)
{
    kn_rc rc = kn_person_validate(p, &st->last);
    if (rc == KN_OK)
        rc = st->ops->person_add(st->impl, p, &st->last);
    return done(st, rc);
}

kn_rc kn_store_person_get(kn_store *st, int64_t id, kn_person *out)
{
    return done(st, st->ops->person_get(st->impl, id, out, &st->last));
}

kn_rc kn_store_person_list(kn_store *st, kn_person_list *out)
{
    return done(st, st->ops->person_list(st->impl, out, &st->last));
}

kn_rc kn_store_pain_add(kn_store *st, kn_pain *p, bool *added)
{
    kn_rc rc = kn_pain_validate(p, &st->last);
    if (rc == KN_OK)
        rc = st->ops->pain_add(st->impl, p, added, &st->last);
    return done(st, rc);
}

kn_rc kn_store_pain_add_many(kn_store *st, const kn_pain *items, size_t n, size_t *added,
                             size_t *failed)
{
    kn_rc rc = KN_OK;
    *added = 0;
    *failed = 0;
    for (size_t i = 0; i < n && rc == KN_OK; i++) {
        rc = kn_pain_validate(&items[i], &st->last);
        *failed = i;
    }
    if (rc == KN_OK && st->ops->pain_add_many) {
        rc = st->ops->pain_add_many(st->impl, items, n, added, failed, &st->last);
    } else if (rc == KN_OK) {
        for (size_t i = 0; i < n && rc == KN_OK; i++) {
            kn_pain p = items[i]; /* a shallow copy: pain_add sets its id */
            bool one = false;
            rc = st->ops->pain_add(st->impl, &p, &one, &st->last);
            *added += one;
            *failed = i;
        }
    }
    return done(st, rc);
}

kn_rc kn_store_pain_list(kn_store *st, int64_t person, kn_day from, kn_day to, kn_pain_list *out)
{
    return done(st, st->ops->pain_list(st->impl, person, from, to, out, &st->last));
}

kn_rc kn_store_checkin_put(kn_store *st, const kn_checkin *c, bool *changed)
{
    kn_checkin merged;
    kn_checkin_init(&merged);
    bool found = false;
    *changed = false;
    kn_rc rc = kn_checkin_validate(c, &st->last);
    if (rc == KN_OK)
        rc = st->ops->checkin_get(st->impl, c->person_id, c->day, &merged, &found, &st->last);
    if (rc != KN_OK)
        goto clear_merged;
    if (!found) {
        merged.person_id = c->person_id;
        merged.day = c->day;
    }
    kn_checkin before;
    kn_checkin_init(&before);
    before.person_id = merged.person_id;
    before.day = merged.day;
    rc = kn_checkin_merge(&before, &merged, &st->last); /* a copy to compare against */
    if (rc == KN_OK)
        rc = kn_checkin_merge(&merged, c, &st->last);
    bool same = found && kn_checkin_equal(&before, &merged);
    kn_checkin_clear(&before);
    if (rc != KN_OK || same)
        goto clear_merged;
    rc = st->ops->checkin_replace(st->impl, &merged, &st->last);
    *changed = rc == KN_OK;
clear_merged:
    kn_checkin_clear(&merged);
    return done(st, rc);
}

kn_rc kn_store_checkin_list(kn_store *st, int64_t person, kn_day from, kn_day to,
                            kn_checkin_list *out)
{
    return done(st, st->ops->checkin_list(st->impl, person, from, to, out, &st->last));
}

kn_rc kn_store_session_add(kn_store *st, kn_session *s, bool *added)
{
    kn_rc rc = kn_session_validate(s, &st->last);
    if (rc == KN_OK)
        rc = st->ops->session_add(st->impl, s, added, &st->last);
    return done(st, rc);
}

kn_rc kn_store_session_list(kn_store *st, int64_t person, kn_day from, kn_day to,
                            kn_session_list *out)
{
    return done(st, st->ops->session_list(st->impl, person, from, to, out, &st->last));
}

kn_rc kn_store_digest_read(kn_store *st, int64_t person, kn_day from, kn_day to, kn_digest *out)
{
    kn_digest_reset(out);
    kn_rc rc = kn_store_begin_read(st);
    if (rc != KN_OK)
        return rc;
    rc = st->ops->digest_read(st->impl, person, from, to, out, &st->last);
    kn_store_rollback(st); /* ends the read transaction: nothing to keep */
    if (rc != KN_OK)
        kn_digest_reset(out);
    return done(st, rc);
}

kn_rc kn_store_counts(kn_store *st, int64_t person, kn_counts *out)
{
    return done(st, st->ops->counts(st->impl, person, out, &st->last));
}

kn_rc kn_store_screening_add(kn_store *st, kn_screening *s)
{
    char *json = NULL;
    kn_rc rc = kn_screening_validate(s, &st->last);
    if (rc == KN_OK)
        rc = kn_screening_answers_to_json(s, &json, &st->last);
    if (rc == KN_OK)
        rc = st->ops->screening_add(st->impl, s, json, &st->last);
    free(json);
    return done(st, rc);
}

kn_rc kn_store_screening_latest(kn_store *st, int64_t person, kn_screening *out, bool *found)
{
    kn_screening_list l;
    *found = false;
    kn_rc rc = st->ops->screening_list(st->impl, person, 1, &l, &st->last);
    if (rc == KN_OK && l.n) {
        kn_screening_clear(out);
        *out = l.items[0]; /* moved: the list gives up its only item */
        l.n = 0;
        *found = true;
    }
    if (rc == KN_OK)
        kn_screening_list_free(&l);
    return done(st, rc);
}

kn_rc kn_store_screening_list(kn_store *st, int64_t person, kn_screening_list *out)
{
    return done(st, st->ops->screening_list(st->impl, person, 0, out, &st->last));
}

void kn_person_list_free(kn_person_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        kn_person_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void kn_pain_list_free(kn_pain_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        kn_pain_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void kn_checkin_list_free(kn_checkin_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        kn_checkin_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void kn_session_list_free(kn_session_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        kn_session_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- the care workflow ---- */

kn_rc kn_store_therapist_add(kn_store *st, kn_therapist *t)
{
    kn_rc rc = kn_therapist_validate(t, &st->last);
    if (rc == KN_OK)
        rc = st->care->therapist_add(st->impl, t, &st->last);
    return done(st, rc);
}

kn_rc kn_store_therapist_get(kn_store *st, int64_t id, kn_therapist *out)
{
    kn_therapist_init(out);
    return done(st, st->care->therapist_get(st->impl, id, out, &st->last));
}

kn_rc kn_store_therapist_list(kn_store *st, kn_therapist_list *out)
{
    memset(out, 0, sizeof *out);
    kn_rc rc = st->care->therapist_list(st->impl, out, &st->last);
    if (rc != KN_OK)
        kn_therapist_list_free(out);
    return done(st, rc);
}

kn_rc kn_store_intake_add(kn_store *st, kn_intake *i)
{
    if (!i->answers || !*i->answers)
        return done(st, kn_err_set(&st->last, KN_EINVAL, "intake: no answers"));
    return done(st, st->care->intake_add(st->impl, i, &st->last));
}

kn_rc kn_store_intake_latest(kn_store *st, int64_t person, kn_intake *out, bool *found)
{
    memset(out, 0, sizeof *out);
    kn_rc rc = st->care->intake_latest(st->impl, person, out, found, &st->last);
    if (rc != KN_OK)
        kn_intake_clear(out);
    return done(st, rc);
}

kn_rc kn_store_plan_add(kn_store *st, kn_plan *p)
{
    if (p->minutes < 1 || p->minutes > 600 || p->nblocks == 0)
        return done(st, kn_err_set(&st->last, KN_EINVAL, "plan: minutes or blocks missing"));
    for (size_t i = 0; i < p->nblocks; i++)
        if (p->blocks[i].pressure < 1 || p->blocks[i].pressure > 10 || !p->blocks[i].technique[0])
            return done(st, kn_err_set(&st->last, KN_EINVAL,
                                       "plan block %zu: pressure 1-10 and a technique are required",
                                       i));
    return done(st, st->care->plan_add(st->impl, p, &st->last));
}

kn_rc kn_store_plan_get(kn_store *st, int64_t id, kn_plan *out)
{
    return done(st, st->care->plan_get(st->impl, id, out, &st->last));
}

kn_rc kn_store_live_start(kn_store *st, kn_session *s, int64_t plan_id, int64_t therapist_id)
{
    kn_rc rc = KN_OK;
    if (!s->therapist || !*s->therapist)
        rc = kn_err_set(&st->last, KN_EINVAL, "therapist: is required");
    else if (s->day != kn_instant_day(s->at))
        rc = kn_err_set(&st->last, KN_EINVAL, "at: local day does not match the instant");
    else if (s->pre_pain != KN_NONE && (s->pre_pain < 0 || s->pre_pain > 10))
        rc = kn_err_set(&st->last, KN_EINVAL, "--pre %d: must be 0-10", s->pre_pain);
    if (rc == KN_OK)
        rc = st->care->live_start(st->impl, s, plan_id, therapist_id, &st->last);
    return done(st, rc);
}

kn_rc kn_store_live_get(kn_store *st, int64_t id, kn_live_session *out)
{
    return done(st, st->care->live_get(st->impl, id, out, &st->last));
}

kn_rc kn_store_session_get(kn_store *st, int64_t id, kn_session *out)
{
    kn_session_init(out);
    kn_rc rc = st->care->session_get(st->impl, id, out, &st->last);
    if (rc != KN_OK)
        kn_session_clear(out);
    return done(st, rc);
}

kn_rc kn_store_event_add(kn_store *st, kn_session_event *e)
{
    kn_rc rc = KN_OK;
    if (kn_sided_find(e->region) < 0)
        rc = kn_err_set(&st->last, KN_EINVAL, "--region %s: not a sided region id", e->region);
    else if (e->pressure < 1 || e->pressure > 10)
        rc = kn_err_set(&st->last, KN_EINVAL, "--pressure %d: must be 1-10", e->pressure);
    else if (e->discomfort != KN_NONE && (e->discomfort < 0 || e->discomfort > 10))
        rc = kn_err_set(&st->last, KN_EINVAL, "--discomfort %d: must be 0-10", e->discomfort);
    if (rc == KN_OK)
        rc = st->care->event_add(st->impl, e, &st->last);
    return done(st, rc);
}

kn_rc kn_store_event_list(kn_store *st, int64_t session, kn_event_list *out)
{
    memset(out, 0, sizeof *out);
    kn_rc rc = st->care->event_list(st->impl, session, out, &st->last);
    if (rc != KN_OK)
        kn_event_list_free(out);
    return done(st, rc);
}

kn_rc kn_store_live_finish(kn_store *st, const kn_session *s, kn_instant ended)
{
    kn_rc rc = kn_session_validate(s, &st->last);
    if (rc == KN_OK)
        rc = st->care->live_finish(st->impl, s, ended, &st->last);
    return done(st, rc);
}

kn_rc kn_store_live_sign(kn_store *st, int64_t id, kn_instant at, int64_t signed_by)
{
    if (signed_by <= 0)
        return done(st, kn_err_set(&st->last, KN_EINVAL, "--therapist: who signs is required"));
    return done(st, st->care->live_sign(st->impl, id, at, signed_by, &st->last));
}

kn_rc kn_store_live_cancel(kn_store *st, int64_t id)
{
    return done(st, st->care->live_cancel(st->impl, id, &st->last));
}

kn_rc kn_store_live_open(kn_store *st, int64_t person, int64_t *id)
{
    *id = 0;
    return done(st, st->care->live_open(st->impl, person, id, &st->last));
}

static kn_rc note_check(const kn_session_note *n, kn_err *err)
{
    const char *fields[] = {n->subjective, n->objective, n->assessment, n->plan, n->reason};
    static const char *const names[] = {"--subjective", "--objective", "--assessment", "--plan",
                                        "--reason"};
    for (size_t i = 0; i < 5; i++)
        if (fields[i] && strlen(fields[i]) > KN_NOTE_MAX)
            return kn_err_set(err, KN_EINVAL, "%s: longer than %d characters", names[i],
                              KN_NOTE_MAX);
    return KN_OK;
}

kn_rc kn_store_note_add(kn_store *st, kn_session_note *n)
{
    kn_rc rc = note_check(n, &st->last);
    if (rc == KN_OK)
        rc = st->care->note_add(st->impl, n, &st->last);
    return done(st, rc);
}

kn_rc kn_store_note_replace(kn_store *st, const kn_session_note *n)
{
    kn_rc rc = note_check(n, &st->last);
    if (rc == KN_OK)
        rc = st->care->note_replace(st->impl, n, &st->last);
    return done(st, rc);
}

kn_rc kn_store_note_list(kn_store *st, int64_t session, kn_note_list *out)
{
    memset(out, 0, sizeof *out);
    kn_rc rc = st->care->note_list(st->impl, session, out, &st->last);
    if (rc != KN_OK)
        kn_note_list_free(out);
    return done(st, rc);
}

kn_rc kn_store_clearance_add(kn_store *st, kn_clearance *c)
{
    kn_rc rc = kn_clearance_validate(c, &st->last);
    if (rc == KN_OK)
        rc = st->clearance->add(st->impl, c, &st->last);
    return done(st, rc);
}

kn_rc kn_store_clearance_list(kn_store *st, int64_t person, kn_clearance_list *out)
{
    return done(st, st->clearance->list(st->impl, person, out, &st->last));
}

/* ---- correcting the record ---- */

kn_rc kn_store_pain_get(kn_store *st, int64_t id, kn_pain *out, bool *found)
{
    kn_pain_init(out);
    kn_rc rc = st->correct->pain_get(st->impl, id, out, found, &st->last);
    if (rc != KN_OK)
        kn_pain_clear(out);
    return done(st, rc);
}

kn_rc kn_store_pain_find(kn_store *st, int64_t person, kn_instant at, const char *region,
                         kn_pain *out, bool *found)
{
    kn_pain_init(out);
    kn_rc rc = st->correct->pain_find(st->impl, person, at.utc, region, out, found, &st->last);
    if (rc != KN_OK)
        kn_pain_clear(out);
    return done(st, rc);
}

kn_rc kn_store_pain_update(kn_store *st, const kn_pain *p)
{
    kn_rc rc = kn_pain_validate(p, &st->last);
    if (rc == KN_OK)
        rc = st->correct->pain_update(st->impl, p, &st->last);
    return done(st, rc);
}

kn_rc kn_store_pain_delete(kn_store *st, int64_t id)
{
    return done(st, st->correct->pain_delete(st->impl, id, &st->last));
}

kn_rc kn_store_checkin_get(kn_store *st, int64_t person, kn_day day, kn_checkin *out, bool *found)
{
    kn_checkin_init(out);
    *found = false;
    kn_rc rc = st->ops->checkin_get(st->impl, person, day, out, found, &st->last);
    if (rc != KN_OK)
        kn_checkin_clear(out);
    return done(st, rc);
}

kn_rc kn_store_checkin_replace(kn_store *st, const kn_checkin *c)
{
    kn_rc rc = kn_checkin_validate(c, &st->last);
    if (rc == KN_OK)
        rc = st->ops->checkin_replace(st->impl, c, &st->last);
    return done(st, rc);
}

kn_rc kn_store_checkin_delete(kn_store *st, int64_t person, kn_day day)
{
    return done(st, st->correct->checkin_delete(st->impl, person, day, &st->last));
}

kn_rc kn_store_session_update(kn_store *st, const kn_session *s)
{
    kn_rc rc = kn_session_validate(s, &st->last);
    if (rc == KN_OK)
        rc = st->correct->session_update(st->impl, s, &st->last);
    return done(st, rc);
}

kn_rc kn_store_session_delete(kn_store *st, int64_t id)
{
    return done(st, st->correct->session_delete(st->impl, id, &st->last));
}

kn_rc kn_store_person_footprint(kn_store *st, int64_t person, kn_footprint *out)
{
    memset(out, 0, sizeof *out);
    return done(st, st->correct->person_footprint(st->impl, person, out, &st->last));
}

kn_rc kn_store_person_delete(kn_store *st, int64_t person)
{
    return done(st, st->correct->person_delete(st->impl, person, &st->last));
}

void kn_rowset_free(kn_rowset *r)
{
    for (size_t t = 0; t < r->ntables; t++) {
        kn_table_rows *tr = &r->tables[t];
        for (size_t i = 0; i < tr->nrows * tr->ncolumns; i++)
            free(tr->values[i].text);
        for (size_t c = 0; c < tr->ncolumns; c++)
            free(tr->columns[c]);
        free(tr->columns);
        free(tr->values);
        free(tr->table);
    }
    free(r->tables);
    memset(r, 0, sizeof *r);
}

const char *const *kn_store_person_tables(size_t *n)
{
    static const char *names[64];
    for (size_t i = 0; i < kn_person_ntables && i < 64; i++)
        names[i] = kn_person_tables[i].name;
    *n = kn_person_ntables;
    return names;
}

kn_rc kn_store_person_rows(kn_store *st, int64_t person, kn_rowset *out)
{
    memset(out, 0, sizeof *out);
    kn_rc rc = st->correct->person_rows(st->impl, person, out, &st->last);
    if (rc != KN_OK)
        kn_rowset_free(out);
    return done(st, rc);
}

kn_rc kn_store_person_rows_put(kn_store *st, const kn_rowset *in)
{
    return done(st, st->correct->person_rows_put(st->impl, in, &st->last));
}
