/* The insight engine: turns one person's pain entries, check-ins and sessions into the
 * sections of docs/INSIGHTS.md (days logged, chronic regions, flares, factors, massage,
 * outcomes). Everything works on a dense array of the days in range, so each section is one
 * pass over it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knead/insight.h"

#define MIN_PER_GROUP 5
#define BASELINE_WINDOW 28
#define FLARE_RISE 2
#define FLARE_MAX_GAP 2
#define MASSAGE_WINDOW 3
#define MASSAGE_MIN_DAYS 2
#define DRIVER_Q 0.05
#define DRIVER_RHO 0.3
#define DRIVER_DIFF 1.0
/* The definitions compare exact values (means of integers); doubles carry rounding, so a
 * threshold is met within this much (docs/INSIGHTS.md). */
#define EXACT_EPS 1e-9
/* ICD-11: chronic pain persists or recurs for longer than three months. */
#define CHRONIC_DAYS 90
#define CHRONIC_MONTHS 3

const char *kn_skip_reason_name(kn_skip_reason r)
{
    switch (r) {
    case KN_SKIP_TOO_FEW_PAIRS:
        return "too_few_pairs";
    case KN_SKIP_TOO_FEW_WITH_OR_WITHOUT:
        return "too_few_with_or_without";
    case KN_SKIP_CONSTANT:
        return "constant";
    }
    return "?";
}

const char *kn_trend_category_name(kn_trend_category c)
{
    switch (c) {
    case KN_TREND_SUBSTANTIAL:
        return "substantial";
    case KN_TREND_IMPORTANT:
        return "important";
    case KN_TREND_NO_IMPORTANT_CHANGE:
        return "no_important_change";
    case KN_TREND_WORSE:
        return "worse";
    }
    return "?";
}

const char *kn_chronic_status_name(kn_chronic_status s)
{
    switch (s) {
    case KN_CHRONIC_YES:
        return "chronic";
    case KN_CHRONIC_TOO_LITTLE_HISTORY:
        return "too_little_history";
    case KN_CHRONIC_NOT_YET:
        return "not_yet_three_months";
    case KN_CHRONIC_UNDER_THREE_MONTHS:
        return "under_three_months";
    }
    return "?";
}

const char *kn_chronic_basis_name(kn_chronic_basis b)
{
    return b == KN_BASIS_INTAKE ? "intake" : "diary";
}

bool kn_factor_is_treatment(const char *factor)
{
    return strncmp(factor, "treatment:", strlen("treatment:")) == 0;
}

const char *kn_factor_kind_name(kn_factor_kind k)
{
    return k == KN_FACTOR_CONTINUOUS ? "continuous" : "binary";
}

/* The days of the data in range, densely: index i is day first + i. */
typedef struct day_grid {
    kn_day first;
    size_t n;
    int *worst;                        /* daily worst, -1 = no value */
    const kn_digest_checkin **checkin; /* NULL = none that day */
} day_grid;

static bool in_range(kn_day d, kn_day from, kn_day to)
{
    return (from == KN_DAY_ANY || d >= from) && (to == KN_DAY_ANY || d <= to);
}

/* The daily worst at day d, or -1 when d has none or lies outside the grid. */
static int worst_at(const day_grid *g, int64_t d)
{
    int64_t i = d - g->first;
    if (i < 0 || (uint64_t)i >= g->n)
        return -1;
    return g->worst[i];
}

/* Widens [lo, hi] to take d when d lies in the range. */
static void widen(kn_day *lo, kn_day *hi, kn_day d, kn_day from, kn_day to)
{
    if (!in_range(d, from, to))
        return;
    if (*lo == KN_DAY_ANY || d < *lo)
        *lo = d;
    if (*hi == KN_DAY_ANY || d > *hi)
        *hi = d;
}

/* KN_EINVAL: two check-ins share a day (*dup_day), which a diary never holds. */
static kn_rc grid_build(const kn_digest *in, kn_day from, kn_day to, day_grid *g, kn_insights *out,
                        kn_day *dup_day)
{
    kn_day lo = KN_DAY_ANY, hi = KN_DAY_ANY;
    for (size_t i = 0; i < in->npains; i++)
        widen(&lo, &hi, in->pains[i].day, from, to);
    for (size_t i = 0; i < in->ncheckins; i++)
        widen(&lo, &hi, in->checkins[i].day, from, to);
    out->first_day = lo;
    out->last_day = hi;
    g->first = lo;
    g->n = lo == KN_DAY_ANY ? 0 : (size_t)(hi - lo) + 1;
    if (g->n == 0)
        return KN_OK;
    g->worst = malloc(g->n * sizeof *g->worst);
    g->checkin = calloc(g->n, sizeof *g->checkin);
    if (!g->worst || !g->checkin)
        return KN_ENOMEM;
    for (size_t i = 0; i < g->n; i++)
        g->worst[i] = -1;
    for (size_t i = 0; i < in->npains; i++) {
        const kn_digest_pain *p = &in->pains[i];
        if (!in_range(p->day, from, to))
            continue;
        size_t k = (size_t)(p->day - lo);
        if (p->intensity > g->worst[k])
            g->worst[k] = p->intensity;
    }
    for (size_t i = 0; i < in->ncheckins; i++) {
        const kn_digest_checkin *c = &in->checkins[i];
        if (!in_range(c->day, from, to))
            continue;
        size_t k = (size_t)(c->day - lo);
        if (g->checkin[k]) {
            *dup_day = c->day;
            return KN_EINVAL;
        }
        g->checkin[k] = c;
        if (c->pain_free == 1 && g->worst[k] < 0)
            g->worst[k] = 0;
    }
    return KN_OK;
}

static void grid_free(day_grid *g)
{
    free(g->worst);
    free(g->checkin);
}

/* ---- chronic regions ---- */

/* What a region's entries with intensity >= 1 add up to, taken in day order. */
typedef struct region_acc {
    const char *region;
    kn_day first, last;
    int last_month, months, days, entries;
    long sum;
} region_acc;

static int region_acc_cmp(const void *a, const void *b)
{
    return strcmp(((const region_acc *)a)->region, ((const region_acc *)b)->region);
}

typedef struct day_index {
    kn_day day;
    size_t index;
} day_index;

static int day_index_cmp(const void *a, const void *b)
{
    const day_index *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The order in which to take the pain entries: NULL when they are in day order already (as
 * the store lists them), else their indexes sorted by day. */
static kn_rc day_order(const kn_digest *in, day_index **out)
{
    *out = NULL;
    size_t i = 1;
    while (i < in->npains && in->pains[i - 1].day <= in->pains[i].day)
        i++;
    if (i >= in->npains)
        return KN_OK;
    day_index *order = malloc(in->npains * sizeof *order);
    if (!order)
        return KN_ENOMEM;
    for (i = 0; i < in->npains; i++)
        order[i] = (day_index){in->pains[i].day, i};
    qsort(order, in->npains, sizeof *order, day_index_cmp);
    *out = order;
    return KN_OK;
}

/* The calendar month of a day (year * 12 + month), remembering the days [lo, hi] of the last
 * one found: entries come in day order, so a diary's years take a few dozen conversions. */
typedef struct month_cache {
    kn_day lo, hi;
    int month;
} month_cache;

static int month_of(month_cache *c, kn_day d)
{
    if (d >= c->lo && d <= c->hi)
        return c->month;
    int y, m, dd;
    kn_day_to_civil(d, &y, &m, &dd);
    c->month = y * 12 + m;
    c->lo = d - (dd - 1);
    c->hi = (m == 12 ? kn_day_from_civil(y + 1, 1, 1) : kn_day_from_civil(y, m + 1, 1)) - 1;
    return c->month;
}

static kn_rc chronic_regions(const kn_digest *in, kn_day from, kn_day to, kn_insights *out)
{
    region_acc *acc = calloc(in->nregions ? in->nregions : 1, sizeof *acc);
    day_index *order = NULL;
    kn_rc rc = acc ? day_order(in, &order) : KN_ENOMEM;
    if (rc != KN_OK)
        goto free_table;
    for (size_t i = 0; i < in->nregions; i++)
        acc[i] = (region_acc){.region = in->regions[i], .last = KN_DAY_ANY, .last_month = -1};
    month_cache months = {.lo = 1, .hi = 0}; /* empty */
    for (size_t k = 0; k < in->npains; k++) {
        const kn_digest_pain *p = &in->pains[order ? order[k].index : k];
        if (p->intensity < 1 || !in_range(p->day, from, to))
            continue;
        region_acc *a = &acc[p->region];
        if (p->day != a->last) {
            int mo = month_of(&months, p->day);
            if (a->days++ == 0)
                a->first = p->day;
            if (mo != a->last_month)
                a->months++;
            a->last = p->day;
            a->last_month = mo;
        }
        a->sum += p->intensity;
        a->entries++;
    }
    /* The regions with such entries, by name. */
    size_t n = 0;
    for (size_t i = 0; i < in->nregions; i++)
        if (acc[i].entries)
            acc[n++] = acc[i];
    rc = KN_ENOMEM;
    out->chronic = calloc(n ? n : 1, sizeof *out->chronic);
    if (!out->chronic)
        goto free_table;
    if (n)
        qsort(acc, n, sizeof *acc, region_acc_cmp);
    for (size_t i = 0; i < n; i++) {
        const region_acc *a = &acc[i];
        kn_chronic_region *c = &out->chronic[out->nchronic++];
        snprintf(c->region, sizeof c->region, "%s", a->region);
        c->first = a->first;
        c->last = a->last;
        c->span_days = c->last - c->first;
        c->months = a->months;
        c->entry_days = a->days;
        c->mean_intensity = (double)a->sum / (double)a->entries;
        c->chronic = c->span_days > CHRONIC_DAYS && c->months >= CHRONIC_MONTHS;
        c->status = c->chronic                     ? KN_CHRONIC_YES
                    : c->span_days <= CHRONIC_DAYS ? KN_CHRONIC_TOO_LITTLE_HISTORY
                                                   : KN_CHRONIC_NOT_YET;
        c->basis = KN_BASIS_DIARY;
        c->onset = KN_DAY_ANY;
    }
    rc = KN_OK;
free_table:
    free(order);
    free(acc);
    return rc;
}

static int chronic_region_cmp(const void *a, const void *b)
{
    return strcmp(((const kn_chronic_region *)a)->region, ((const kn_chronic_region *)b)->region);
}

/* A diary that shows the pain over three months has said it; else the pain has lasted at
 * least from its onset to the later of the day it was told and its last day in the diary. */
static void told_onset(kn_chronic_region *c, const kn_told_onset *o, kn_day told_on)
{
    c->onset = o->onset;
    c->onset_exact = o->exact;
    if (c->status == KN_CHRONIC_YES)
        return;
    kn_day known_until = told_on;
    if (c->entry_days && c->last > known_until)
        known_until = c->last;
    c->basis = KN_BASIS_INTAKE;
    c->chronic = known_until - o->onset > CHRONIC_DAYS;
    c->status = c->chronic ? KN_CHRONIC_YES : KN_CHRONIC_UNDER_THREE_MONTHS;
}

kn_rc kn_insights_add_onsets(kn_insights *ins, const kn_told_onset *onsets, size_t n,
                             kn_day told_on, kn_err *err)
{
    if (!n)
        return KN_OK;
    /* room for every onset naming a region the diary does not */
    kn_chronic_region *grown = realloc(ins->chronic, (ins->nchronic + n) * sizeof *ins->chronic);
    if (!grown)
        return kn_err_set(err, KN_ENOMEM, "insights: out of memory");
    ins->chronic = grown;
    size_t listed = ins->nchronic;
    for (size_t i = 0; i < n; i++) {
        kn_chronic_region key = {0};
        snprintf(key.region, sizeof key.region, "%s", onsets[i].region);
        kn_chronic_region *c = bsearch(&key, ins->chronic, listed, sizeof key, chronic_region_cmp);
        if (!c) {
            c = &ins->chronic[ins->nchronic++];
            *c = key;
            c->first = c->last = KN_DAY_ANY;
            c->mean_intensity = NAN;
            c->status = KN_CHRONIC_TOO_LITTLE_HISTORY;
        }
        told_onset(c, &onsets[i], told_on);
    }
    if (ins->nchronic > listed)
        qsort(ins->chronic, ins->nchronic, sizeof *ins->chronic, chronic_region_cmp);
    return KN_OK;
}

/* The onsets of the person's latest intake, if there is one. */
static kn_rc latest_onsets(kn_store *st, int64_t person, kn_insights *out, kn_err *err)
{
    kn_intake intake = {0};
    bool found = false;
    kn_told_onset *told = NULL;
    kn_rc rc = kn_store_intake_latest(st, person, &intake, &found);
    if (rc != KN_OK) {
        kn_store_error(st, err);
        goto free_intake;
    }
    if (!found || !intake.nonsets)
        goto free_intake;
    rc = KN_ENOMEM;
    if (!(told = calloc(intake.nonsets, sizeof *told))) {
        kn_err_set(err, rc, "insights: out of memory");
        goto free_intake;
    }
    for (size_t i = 0; i < intake.nonsets; i++)
        told[i] = (kn_told_onset){intake.onsets[i].region, intake.onsets[i].onset,
                                  intake.onsets[i].exact};
    rc = kn_insights_add_onsets(out, told, intake.nonsets, kn_instant_day(intake.at), err);
    free(told);
free_intake:
    kn_intake_clear(&intake);
    return rc;
}

/* ---- flares ---- */

/* The median of a histogram of daily worst values 0-10 holding count values. */
static double hist_median(const int hist[11], int count)
{
    int lo_rank = (count - 1) / 2, hi_rank = count / 2; /* 0-based ranks of the middle */
    int seen = 0, lo = -1, hi = -1;
    for (int v = 0; v <= 10 && hi < 0; v++) {
        if (lo < 0 && seen + hist[v] > lo_rank)
            lo = v;
        if (seen + hist[v] > hi_rank)
            hi = v;
        seen += hist[v];
    }
    return (lo + hi) / 2.0;
}

static kn_rc find_flares(const day_grid *g, kn_insights *out)
{
    int hist[11] = {0};
    int count = 0;
    size_t cap = 0;
    kn_flare *cur = NULL;
    kn_day last_flare_day = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (i >= 1 && g->worst[i - 1] >= 0) {
            hist[g->worst[i - 1]]++;
            count++;
        }
        if (i >= BASELINE_WINDOW + 1 && g->worst[i - BASELINE_WINDOW - 1] >= 0) {
            hist[g->worst[i - BASELINE_WINDOW - 1]]--;
            count--;
        }
        int w = g->worst[i];
        if (w < 0 || count < KN_INSIGHT_BASELINE_MIN_DAYS)
            continue;
        double base = hist_median(hist, count);
        if (w < base + FLARE_RISE)
            continue;
        kn_day d = g->first + (kn_day)i;
        if (cur && d - last_flare_day <= FLARE_MAX_GAP) {
            cur->end = d;
            cur->days++;
            if (w > cur->peak) {
                cur->peak = w;
                cur->peak_date = d;
            }
        } else {
            if (out->nflares == cap) {
                size_t ncap = cap ? cap * 2 : 8;
                kn_flare *grown = realloc(out->flares, ncap * sizeof *grown);
                if (!grown)
                    return KN_ENOMEM;
                out->flares = grown;
                cap = ncap;
            }
            cur = &out->flares[out->nflares++];
            *cur = (kn_flare){
                .start = d, .end = d, .days = 1, .peak = w, .peak_date = d, .baseline = base};
        }
        last_flare_day = d;
    }
    return KN_OK;
}

/* ---- factors ---- */

typedef enum factor_source {
    SRC_STRESS,
    SRC_SLEEP_HOURS,
    SRC_SLEEP_QUALITY,
    SRC_ROUTINE,
    SRC_TAG,
    SRC_TREATMENT
} factor_source;

typedef struct factor {
    char name[KN_FACTOR_NAME_MAX];
    factor_source source;
    /* Tags and treatments: per day of the grid, 1 when its check-in lists the word, else 0
     * (found once here, not by comparing names on every test). */
    unsigned char *present;
} factor;

static int factor_cmp(const void *a, const void *b)
{
    return strcmp(((const factor *)a)->name, ((const factor *)b)->name);
}

/* The factor's value on day d (grid index) with check-in c: false when unknown. */
static bool factor_value(const factor *f, size_t d, const kn_digest_checkin *c, double *v)
{
    if (!c)
        return false;
    switch (f->source) {
    case SRC_STRESS:
        *v = c->stress;
        return c->stress != KN_NONE;
    case SRC_SLEEP_HOURS:
        *v = c->sleep_hours;
        return !isnan(c->sleep_hours);
    case SRC_SLEEP_QUALITY:
        *v = c->sleep_quality;
        return c->sleep_quality != KN_NONE;
    case SRC_ROUTINE:
        *v = c->routine == KN_ROUTINE_DISRUPTED;
        return c->routine != KN_ROUTINE_NONE;
    case SRC_TAG:
    case SRC_TREATMENT:
        *v = f->present[d];
        return true;
    }
    return false;
}

static void free_factors(factor *fs, size_t n)
{
    for (size_t i = 0; fs && i < n; i++)
        free(fs[i].present);
    free(fs);
}

/* Every factor that can be tested in range, sorted by name; tags and treatments with the
 * days that list them. */
static kn_rc list_factors(const kn_digest *in, const day_grid *g, factor **out, size_t *nout)
{
    static const struct {
        const char *name;
        factor_source source;
    } fixed[] = {{"stress", SRC_STRESS},
                 {"sleep_hours", SRC_SLEEP_HOURS},
                 {"sleep_quality", SRC_SLEEP_QUALITY},
                 {"routine", SRC_ROUTINE}};
    enum { NFIXED = sizeof fixed / sizeof fixed[0] };
    size_t n = 0;
    factor *fs = malloc((NFIXED + in->nwords) * sizeof *fs);
    /* The factor of each word, made when a day in range lists it (NULL: none yet). */
    factor **of_word = calloc(in->nwords ? in->nwords : 1, sizeof *of_word);
    if (!fs || !of_word)
        goto fail;
    for (size_t i = 0; i < NFIXED; i++) {
        snprintf(fs[n].name, sizeof fs[n].name, "%s", fixed[i].name);
        fs[n].source = fixed[i].source;
        fs[n++].present = NULL;
    }
    for (size_t i = 0; i < in->nmarks; i++) {
        const kn_digest_mark *m = &in->marks[i];
        int64_t k = (int64_t)m->day - g->first;
        if (g->n == 0 || k < 0 || (uint64_t)k >= g->n || !g->checkin[k])
            continue; /* out of range */
        factor *f = of_word[m->word];
        if (!f) {
            const kn_digest_word *w = &in->words[m->word];
            bool is_tag = w->kind == KN_WORD_TAG;
            f = of_word[m->word] = &fs[n];
            f->present = calloc(g->n, sizeof *f->present);
            if (!f->present)
                goto fail;
            snprintf(f->name, sizeof f->name, "%s:%s", is_tag ? "tag" : "treatment", w->name);
            f->source = is_tag ? SRC_TAG : SRC_TREATMENT;
            n++;
        }
        f->present[k] = 1;
    }
    free(of_word);
    qsort(fs, n, sizeof *fs, factor_cmp);
    *out = fs;
    *nout = n;
    return KN_OK;
fail:
    free(of_word);
    free_factors(fs, n);
    return KN_ENOMEM;
}

static bool is_continuous(const factor *f)
{
    return f->source == SRC_STRESS || f->source == SRC_SLEEP_HOURS ||
           f->source == SRC_SLEEP_QUALITY;
}

static void add_skip(kn_insights *out, const factor *f, int lag, int n, kn_skip_reason r)
{
    kn_factor_skip *s = &out->skipped[out->nskipped++];
    snprintf(s->factor, sizeof s->factor, "%s", f->name);
    s->kind = is_continuous(f) ? KN_FACTOR_CONTINUOUS : KN_FACTOR_BINARY;
    s->lag = lag;
    s->n = n;
    s->reason = r;
}

/* The days that can pair a factor with pain at one lag: day d of the grid has a check-in
 * and day d + lag a daily worst (pain[j] of day[j]). Found once for all the factors. */
typedef struct pairs {
    size_t n;
    size_t *day;
    double *pain;
} pairs;

static kn_rc pairs_find(const day_grid *g, int lag, pairs *out)
{
    out->n = 0;
    out->day = malloc((g->n + 1) * sizeof *out->day);
    out->pain = malloc((g->n + 1) * sizeof *out->pain);
    if (!out->day || !out->pain)
        return KN_ENOMEM;
    for (size_t d = 0; d + (size_t)lag < g->n; d++) {
        int w = g->worst[d + (size_t)lag];
        if (w < 0 || !g->checkin[d])
            continue;
        out->day[out->n] = d;
        out->pain[out->n++] = w;
    }
    return KN_OK;
}

static void pairs_free(pairs *p)
{
    free(p->day);
    free(p->pain);
}

/* Runs the test of one factor at one lag, reporting it or saying why it was skipped.
 * x, y and the with/without buffers hold up to pr->n values each. */
static kn_rc test_factor(const day_grid *g, const factor *f, int lag, const pairs *pr, double *x,
                         double *y, double *with, double *without, kn_insights *out)
{
    size_t n = 0, nw = 0, nwo = 0;
    bool continuous = is_continuous(f);
    for (size_t j = 0; j < pr->n; j++) {
        double v;
        if (!factor_value(f, pr->day[j], g->checkin[pr->day[j]], &v))
            continue;
        if (continuous) {
            x[n] = v;
            y[n++] = pr->pain[j];
        } else {
            /* Both slots written, one kept: no branch on a tag's days, which follow no
             * pattern a processor could predict. */
            bool on = v != 0;
            with[nw] = without[nwo] = pr->pain[j];
            nw += on;
            nwo += !on;
        }
    }
    if (!continuous)
        n = nw + nwo;
    if (n < KN_INSIGHT_MIN_PAIRS) {
        add_skip(out, f, lag, (int)n, KN_SKIP_TOO_FEW_PAIRS);
        return KN_OK;
    }
    kn_factor_test t = {.lag = lag,
                        .n = (int)n,
                        .n_with = 0,
                        .n_without = 0,
                        .rho = NAN,
                        .diff = NAN,
                        .ci_low = NAN,
                        .ci_high = NAN,
                        .p = NAN,
                        .q = NAN};
    snprintf(t.factor, sizeof t.factor, "%s", f->name);
    if (continuous) {
        t.kind = KN_FACTOR_CONTINUOUS;
        kn_rc rc = kn_stat_spearman(x, y, n, &t.rho, &t.p);
        if (rc != KN_OK)
            return rc;
        if (isnan(t.rho)) {
            add_skip(out, f, lag, (int)n, KN_SKIP_CONSTANT);
            return KN_OK;
        }
    } else {
        t.kind = KN_FACTOR_BINARY;
        t.n_with = (int)nw;
        t.n_without = (int)nwo;
        if (nw < MIN_PER_GROUP || nwo < MIN_PER_GROUP) {
            add_skip(out, f, lag, (int)n, KN_SKIP_TOO_FEW_WITH_OR_WITHOUT);
            return KN_OK;
        }
        if (kn_stat_welch(with, nw, without, nwo, &t.diff, &t.p, &t.ci_low, &t.ci_high) != KN_OK) {
            add_skip(out, f, lag, (int)n, KN_SKIP_CONSTANT);
            return KN_OK;
        }
    }
    out->factors[out->nfactors++] = t;
    return KN_OK;
}

static kn_rc factor_tests(const kn_digest *in, const day_grid *g, kn_insights *out)
{
    kn_rc rc = KN_OK;
    factor *fs = NULL;
    size_t nf = 0;
    double *buf = NULL, *q = NULL, *p = NULL;
    pairs pr[2] = {{0}, {0}};
    if ((rc = list_factors(in, g, &fs, &nf)) != KN_OK)
        return rc;
    rc = KN_ENOMEM;
    out->factors = calloc(2 * nf, sizeof *out->factors);
    out->skipped = calloc(2 * nf, sizeof *out->skipped);
    buf = malloc((4 * g->n + 1) * sizeof *buf);
    if (!out->factors || !out->skipped || !buf)
        goto free_work;
    for (int lag = 0; lag <= 1; lag++)
        if ((rc = pairs_find(g, lag, &pr[lag])) != KN_OK)
            goto free_work;
    for (int lag = 0; lag <= 1; lag++)
        for (size_t i = 0; i < nf; i++)
            if ((rc = test_factor(g, &fs[i], lag, &pr[lag], buf, buf + g->n, buf + 2 * g->n,
                                  buf + 3 * g->n, out)) != KN_OK)
                goto free_work;
    rc = KN_ENOMEM;
    p = malloc((out->nfactors + 1) * sizeof *p);
    q = malloc((out->nfactors + 1) * sizeof *q);
    if (!p || !q)
        goto free_work;
    for (size_t i = 0; i < out->nfactors; i++)
        p[i] = out->factors[i].p;
    if ((rc = kn_stat_bh(p, out->nfactors, q)) != KN_OK)
        goto free_work;
    for (size_t i = 0; i < out->nfactors; i++) {
        kn_factor_test *t = &out->factors[i];
        t->q = q[i];
        double effect = t->kind == KN_FACTOR_CONTINUOUS ? fabs(t->rho) : fabs(t->diff);
        double needed = t->kind == KN_FACTOR_CONTINUOUS ? DRIVER_RHO : DRIVER_DIFF;
        bool stands_out = t->q < DRIVER_Q && effect >= needed - EXACT_EPS;
        bool rises = t->kind == KN_FACTOR_CONTINUOUS ? t->rho > 0 : t->diff > 0;
        bool treatment = kn_factor_is_treatment(t->factor);
        t->driver = stands_out && !treatment;
        t->worse_days = stands_out && treatment && rises;
    }
    rc = KN_OK;
free_work:
    pairs_free(&pr[0]);
    pairs_free(&pr[1]);
    free(p);
    free(q);
    free(buf);
    free_factors(fs, nf);
    return rc;
}

/* ---- massage ---- */

static int session_cmp(const void *a, const void *b)
{
    const kn_massage_effect *x = a, *y = b;
    if (x->at.utc != y->at.utc)
        return x->at.utc < y->at.utc ? -1 : 1;
    return 0;
}

/* Mean daily worst of days from .. from+MASSAGE_WINDOW-1, NAN with too few values. */
static double window_mean(const day_grid *g, int64_t from)
{
    int n = 0, sum = 0;
    for (int64_t d = from; d < from + MASSAGE_WINDOW; d++) {
        int w = worst_at(g, d);
        if (w >= 0) {
            sum += w;
            n++;
        }
    }
    return n >= MASSAGE_MIN_DAYS ? (double)sum / n : NAN;
}

static kn_rc massage_effects(const kn_digest *in, kn_day from, kn_day to, const day_grid *g,
                             kn_insights *out)
{
    kn_massage_summary *m = &out->massage;
    m->mean_change = NAN;
    m->p = NAN;
    m->sessions = calloc(in->nsessions ? in->nsessions : 1, sizeof *m->sessions);
    double *changes = malloc((in->nsessions ? in->nsessions : 1) * sizeof *changes);
    if (!m->sessions || !changes) {
        free(changes);
        return KN_ENOMEM;
    }
    for (size_t i = 0; i < in->nsessions; i++) {
        const kn_digest_session *s = &in->sessions[i];
        if (!in_range(s->day, from, to))
            continue;
        kn_massage_effect *e = &m->sessions[m->nsessions++];
        e->at = s->at;
        e->day = s->day;
        e->pre = window_mean(g, (int64_t)s->day - MASSAGE_WINDOW);
        e->post = window_mean(g, (int64_t)s->day + 1);
        e->change = e->post - e->pre; /* NAN when either is */
        e->immediate = s->pre_pain != KN_NONE && s->post_pain != KN_NONE
                           ? (double)(s->post_pain - s->pre_pain)
                           : NAN;
    }
    qsort(m->sessions, m->nsessions, sizeof *m->sessions, session_cmp);
    double sum = 0;
    for (size_t i = 0; i < m->nsessions; i++)
        if (!isnan(m->sessions[i].change)) {
            changes[m->n++] = m->sessions[i].change;
            sum += m->sessions[i].change;
        }
    if (m->n > 0)
        m->mean_change = sum / m->n;
    m->p = kn_stat_ttest_1samp_p(changes, (size_t)m->n);
    free(changes);
    return KN_OK;
}

/* ---- outcomes ---- */

static void trend_finish(kn_trend *o)
{
    o->present = true;
    o->change = o->latest - o->baseline;
    o->percent = o->baseline == 0 ? NAN : 100.0 * o->change / o->baseline;
    if (isnan(o->percent))
        o->category = o->change >= 2 - EXACT_EPS ? KN_TREND_WORSE : KN_TREND_NO_IMPORTANT_CHANGE;
    else if (o->percent <= -50 + EXACT_EPS)
        o->category = KN_TREND_SUBSTANTIAL;
    else if (o->percent <= -30 + EXACT_EPS && o->change <= -2 + EXACT_EPS)
        o->category = KN_TREND_IMPORTANT;
    else if (o->percent >= 30 - EXACT_EPS && o->change >= 2 - EXACT_EPS)
        o->category = KN_TREND_WORSE;
    else
        o->category = KN_TREND_NO_IMPORTANT_CHANGE;
}

static void outcomes(const day_grid *g, kn_insights *out)
{
    const kn_digest_checkin *first = NULL, *last = NULL;
    for (size_t d = 0; d < g->n; d++) {
        const kn_digest_checkin *c = g->checkin[d];
        if (!c || c->peg[0] == KN_NONE || c->peg[1] == KN_NONE || c->peg[2] == KN_NONE)
            continue;
        if (!first)
            first = c;
        last = c;
    }
    if (first) {
        kn_trend *o = &out->peg;
        o->baseline = (first->peg[0] + first->peg[1] + first->peg[2]) / 3.0;
        o->latest = (last->peg[0] + last->peg[1] + last->peg[2]) / 3.0;
        o->baseline_date = first->day;
        o->latest_date = last->day;
        trend_finish(o);
    }
    if (out->days_logged < 2 * KN_INSIGHT_OUTCOME_WINDOW)
        return;
    kn_trend *o = &out->pain;
    int seen = 0, sum = 0;
    for (size_t d = 0; d < g->n && seen < KN_INSIGHT_OUTCOME_WINDOW; d++)
        if (g->worst[d] >= 0) {
            if (seen == 0)
                o->baseline_date = g->first + (kn_day)d;
            sum += g->worst[d];
            seen++;
        }
    o->baseline = (double)sum / KN_INSIGHT_OUTCOME_WINDOW;
    seen = sum = 0;
    for (size_t d = g->n; d-- > 0 && seen < KN_INSIGHT_OUTCOME_WINDOW;)
        if (g->worst[d] >= 0) {
            if (seen == 0)
                o->latest_date = g->first + (kn_day)d;
            sum += g->worst[d];
            seen++;
        }
    o->latest = (double)sum / KN_INSIGHT_OUTCOME_WINDOW;
    trend_finish(o);
}

/* ---- the whole ---- */

static void trend_init(kn_trend *o)
{
    *o = (kn_trend){.present = false,
                    .baseline = NAN,
                    .latest = NAN,
                    .change = NAN,
                    .percent = NAN,
                    .baseline_date = KN_DAY_ANY,
                    .latest_date = KN_DAY_ANY,
                    .category = KN_TREND_NO_IMPORTANT_CHANGE};
}

kn_rc kn_insights_compute_digest(const kn_digest *in, kn_day from, kn_day to, kn_insights *out,
                                 kn_err *err)
{
    memset(out, 0, sizeof *out);
    out->from = from;
    out->to = to;
    out->massage.mean_change = NAN;
    out->massage.p = NAN;
    trend_init(&out->peg);
    trend_init(&out->pain);
    day_grid g = {0};
    kn_day dup_day = KN_DAY_ANY;
    kn_rc rc = grid_build(in, from, to, &g, out, &dup_day);
    if (rc != KN_OK)
        goto free_grid;
    for (size_t i = 0; i < g.n; i++)
        out->days_logged += g.worst[i] >= 0;
    if ((rc = chronic_regions(in, from, to, out)) != KN_OK)
        goto free_grid;
    if ((rc = find_flares(&g, out)) != KN_OK)
        goto free_grid;
    if ((rc = factor_tests(in, &g, out)) != KN_OK)
        goto free_grid;
    if ((rc = massage_effects(in, from, to, &g, out)) != KN_OK)
        goto free_grid;
    outcomes(&g, out);
free_grid:
    grid_free(&g);
    if (rc == KN_EINVAL) {
        char date[KN_DATE_LEN];
        kn_date_format(dup_day, date);
        kn_err_set(err, rc, "insights: two check-ins on %s (a diary has one a day)", date);
    } else if (rc != KN_OK) {
        kn_err_set(err, rc, "insights: out of memory");
    }
    return rc;
}

kn_rc kn_insights_compute(const kn_insight_input *in, kn_day from, kn_day to, kn_insights *out,
                          kn_err *err)
{
    kn_digest d;
    kn_digest_init(&d);
    kn_rc rc = kn_digest_add_records(&d, in->pains, in->npains, in->checkins, in->ncheckins,
                                     in->sessions, in->nsessions);
    if (rc == KN_OK) {
        rc = kn_insights_compute_digest(&d, from, to, out, err);
    } else {
        memset(out, 0, sizeof *out);
        kn_err_set(err, rc, "insights: %s", kn_digest_failure(rc));
    }
    kn_digest_free(&d);
    return rc;
}

kn_rc kn_insights_load(kn_store *st, int64_t person, kn_day from, kn_day to, kn_insights *out,
                       kn_err *err)
{
    memset(out, 0, sizeof *out);
    kn_digest d;
    kn_digest_init(&d);
    kn_rc rc = kn_store_digest_read(st, person, from, to, &d);
    if (rc != KN_OK) {
        kn_store_error(st, err);
        goto free_digest;
    }
    rc = kn_insights_compute_digest(&d, from, to, out, err);
    out->person = person;
    if (rc == KN_OK)
        rc = latest_onsets(st, person, out, err);
free_digest:
    kn_digest_free(&d);
    return rc;
}

void kn_insights_free(kn_insights *ins)
{
    free(ins->chronic);
    free(ins->flares);
    free(ins->factors);
    free(ins->skipped);
    free(ins->massage.sessions);
    memset(ins, 0, sizeof *ins);
}
