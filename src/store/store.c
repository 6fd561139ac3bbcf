/* The storage interface: validates records before they reach a backend, runs the merge rule
 * for check-ins, and keeps the handle's last error message. */
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"

struct kn_store {
    const kn_store_ops *ops;
    void *impl;
    kn_err last;
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
    return done(st, st->ops->commit(st->impl, &st->last));
}

void kn_store_rollback(kn_store *st)
{
    st->ops->rollback(st->impl);
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
