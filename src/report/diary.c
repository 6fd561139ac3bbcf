/* The day-by-day diary of a person and its summary: pain entries, check-in and sessions
 * grouped by local day, and per-region totals. */
#include <stdlib.h>
#include <string.h>

#include "knead/report.h"

/* Days with anything recorded, in order: a merge of three sorted lists. */
static kn_rc group_days(kn_diary *d, kn_err *err)
{
    size_t total = d->pains.n + d->checkins.n + d->sessions.n;
    d->days = calloc(total ? total : 1, sizeof *d->days);
    if (!d->days)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    size_t ip = 0, ic = 0, is = 0;
    while (ip < d->pains.n || ic < d->checkins.n || is < d->sessions.n) {
        kn_day next = INT32_MAX;
        if (ip < d->pains.n && d->pains.items[ip].day < next)
            next = d->pains.items[ip].day;
        if (ic < d->checkins.n && d->checkins.items[ic].day < next)
            next = d->checkins.items[ic].day;
        if (is < d->sessions.n && d->sessions.items[is].day < next)
            next = d->sessions.items[is].day;
        kn_diary_day *day = &d->days[d->ndays++];
        day->day = next;
        day->pains = &d->pains.items[ip];
        while (ip < d->pains.n && d->pains.items[ip].day == next) {
            ip++;
            day->npains++;
        }
        if (ic < d->checkins.n && d->checkins.items[ic].day == next)
            day->checkin = &d->checkins.items[ic++];
        day->sessions = &d->sessions.items[is];
        while (is < d->sessions.n && d->sessions.items[is].day == next) {
            is++;
            day->nsessions++;
        }
    }
    return KN_OK;
}

kn_rc kn_diary_load(kn_store *st, int64_t person, kn_day from, kn_day to, kn_diary *out,
                    kn_err *err)
{
    memset(out, 0, sizeof *out);
    kn_person_init(&out->person);
    out->from = from;
    out->to = to;
    /* One read transaction for the four reads: one snapshot, the file locked once. */
    kn_rc rc = kn_store_begin_read(st);
    if (rc != KN_OK) {
        kn_store_error(st, err);
        goto free_diary;
    }
    rc = kn_store_person_get(st, person, &out->person);
    if (rc == KN_OK)
        rc = kn_store_pain_list(st, person, from, to, &out->pains);
    if (rc == KN_OK)
        rc = kn_store_checkin_list(st, person, from, to, &out->checkins);
    if (rc == KN_OK)
        rc = kn_store_session_list(st, person, from, to, &out->sessions);
    if (rc != KN_OK)
        kn_store_error(st, err);
    kn_store_rollback(st); /* ends the read transaction: nothing to keep */
    if (rc != KN_OK)
        goto free_diary;
    rc = group_days(out, err);
    if (rc != KN_OK)
        goto free_diary;
    return KN_OK;
free_diary:
    kn_diary_free(out);
    return rc;
}

void kn_diary_free(kn_diary *d)
{
    kn_person_clear(&d->person);
    kn_pain_list_free(&d->pains);
    kn_checkin_list_free(&d->checkins);
    kn_session_list_free(&d->sessions);
    free(d->days);
    d->days = NULL;
    d->ndays = 0;
}

static int by_days_then_name(const void *a, const void *b)
{
    const kn_region_summary *x = a, *y = b;
    if (x->days != y->days)
        return y->days - x->days;
    return strcmp(x->region, y->region);
}

kn_rc kn_diary_summarize(const kn_diary *d, kn_diary_summary *out, kn_err *err)
{
    memset(out, 0, sizeof *out);
    out->checkins = (int)d->checkins.n;
    out->sessions = (int)d->sessions.n;
    out->pain_entries = (int)d->pains.n;
    /* One slot per sided region seen; the atlas has fewer than 128 sided ids. */
    size_t cap = 2 * kn_region_count();
    out->regions = calloc(cap, sizeof *out->regions);
    kn_day *last_day = calloc(cap, sizeof *last_day);
    double *sum = calloc(cap, sizeof *sum);
    kn_rc rc = KN_OK;
    if (!out->regions || !last_day || !sum) {
        rc = kn_err_set(err, KN_ENOMEM, "out of memory");
        goto free_scratch;
    }
    for (size_t i = 0; i < d->ndays; i++)
        out->days_with_pain_entries += d->days[i].npains > 0;
    for (size_t i = 0; i < d->pains.n; i++) {
        const kn_pain *p = &d->pains.items[i];
        size_t j = 0;
        while (j < out->nregions && strcmp(out->regions[j].region, p->region) != 0)
            j++;
        if (j == out->nregions) {
            if (j == cap)
                continue; /* cannot happen: regions are validated */
            strcpy(out->regions[j].region, p->region);
            out->nregions++;
            last_day[j] = KN_DAY_ANY;
        }
        kn_region_summary *r = &out->regions[j];
        r->entries++;
        sum[j] += p->intensity;
        if (p->intensity > r->worst)
            r->worst = p->intensity;
        if (last_day[j] != p->day) {
            r->days++;
            last_day[j] = p->day;
        }
    }
    for (size_t j = 0; j < out->nregions; j++)
        out->regions[j].mean = sum[j] / out->regions[j].entries;
    qsort(out->regions, out->nregions, sizeof *out->regions, by_days_then_name);
free_scratch:
    free(last_day);
    free(sum);
    if (rc != KN_OK)
        kn_diary_summary_free(out);
    return rc;
}

void kn_diary_summary_free(kn_diary_summary *s)
{
    free(s->regions);
    memset(s, 0, sizeof *s);
}
