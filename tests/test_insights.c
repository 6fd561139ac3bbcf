/* Tests of the insight engine (src/insight/): the statistics against scipy figures
 * (tests/stats_reference.py printed them), each section's definition on small hand-made
 * diaries whose answers can be worked out by hand, the fixed datasets of tests/data/insights/
 * against their reference values (bench/insights_ref.py made them) through the real binary,
 * and the command's errors. */
#include "harness.h"

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "knead/insight.h"
#include "knead/interop.h"
#include "knead/report.h"

#define TOL 1e-9

static void assert_close(double got, double want)
{
    if (!(fabs(got - want) <= TOL * fmax(1.0, fabs(want))))
        fail_msg("got %.17g, want %.17g", got, want);
}

/* ---- statistics against scipy ---- */

static void test_ranks_average_ties(void **state)
{
    (void)state;
    const double x[] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8};
    const double want[] = {4.5, 1.5, 6, 1.5, 8, 12, 3, 10, 8, 4.5, 8, 11};
    double r[12];
    assert_int_equal(kn_stat_ranks(x, 12, r), KN_OK);
    for (size_t i = 0; i < 12; i++)
        assert_close(r[i], want[i]);
}

/* The average rank of x[i] by definition: the values below it, then the mean of the places
 * its ties take. */
static double rank_by_definition(const double *x, size_t n, size_t i)
{
    size_t below = 0, equal = 0;
    for (size_t k = 0; k < n; k++) {
        below += x[k] < x[i];
        equal += x[k] == x[i];
    }
    return (double)below + ((double)equal + 1.0) / 2.0;
}

/* Ranks take two paths (counting for whole numbers and tenths in a small range, sorting
 * otherwise): both must give the definition's ranks on every kind of diary value. */
static void test_ranks_of_every_kind_of_value(void **state)
{
    (void)state;
    enum { N = 300, KINDS = 7 };
    uint64_t seed = 12345;
    for (int kind = 0; kind < KINDS; kind++)
        for (int round_no = 0; round_no < 20; round_no++) {
            double x[N], r[N];
            size_t n = 1 + (size_t)round_no * 15 % N;
            for (size_t i = 0; i < n; i++) {
                seed = seed * 6364136223846793005u + 1442695040888963407u;
                int v = (int)(seed >> 33) % 241;
                switch (kind) {
                case 0:
                    x[i] = v % 11;
                    break; /* 0-10 ratings */
                case 1:
                    x[i] = v / 10.0;
                    break; /* sleep hours in tenths */
                case 2:
                    x[i] = v * 0.1;
                    break; /* tenths a bit off k / 10 */
                case 3:
                    x[i] = v / 3.0;
                    break; /* means of three */
                case 4:
                    x[i] = v - 120;
                    break; /* negative whole numbers */
                case 5:
                    x[i] = v * 100.0;
                    break; /* beyond the counting range */
                default:
                    x[i] = v % 2 ? 0.0 : -0.0;
                    break; /* -0 ties with 0 */
                }
            }
            assert_int_equal(kn_stat_ranks(x, n, r), KN_OK);
            for (size_t i = 0; i < n; i++)
                if (r[i] != rank_by_definition(x, n, i))
                    fail_msg("kind %d, n %zu: rank of x[%zu] = %.17g is %.17g, not %.17g", kind, n,
                             i, x[i], r[i], rank_by_definition(x, n, i));
        }
}

static void test_spearman_matches_scipy(void **state)
{
    (void)state;
    const double x[] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8};
    const double y[] = {2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5};
    double rho, p;
    assert_int_equal(kn_stat_spearman(x, y, 12, &rho, &p), KN_OK);
    assert_close(rho, 0.14157968636401569);
    assert_close(p, 0.66072682928682291);
    /* a perfect monotone relation: p is 0 by definition */
    const double up[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const double sq[] = {1, 4, 9, 16, 25, 36, 49, 64, 81, 100};
    assert_int_equal(kn_stat_spearman(up, sq, 10, &rho, &p), KN_OK);
    assert_close(rho, 1.0);
    assert_close(p, 0.0);
    /* a constant series: rho undefined */
    const double flat[] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    assert_int_equal(kn_stat_spearman(up, flat, 10, &rho, &p), KN_OK);
    assert_true(isnan(rho));
}

static void test_welch_matches_scipy(void **state)
{
    (void)state;
    const double a[] = {6, 7, 5, 8, 7, 9, 6, 7};
    const double b[] = {4, 5, 3, 5, 6, 4, 2, 5, 4, 3, 5};
    double diff, p, lo, hi;
    assert_int_equal(kn_stat_welch(a, 8, b, 11, &diff, &p, &lo, &hi), KN_OK);
    assert_close(diff, 2.6931818181818183);
    assert_close(p, 0.0002635012247251754);
    assert_close(lo, 1.4881847225548934);
    assert_close(hi, 3.898178913808743);
    const double c[] = {3, 3, 3, 3, 3}, d[] = {4, 4, 4, 4, 4};
    assert_int_equal(kn_stat_welch(c, 5, d, 5, &diff, &p, &lo, &hi), KN_EINVAL);
}

static void test_ttest_1samp_matches_scipy(void **state)
{
    (void)state;
    const double c[] = {-1.5, -0.5, -2, 0.5, -1, -1.25, 0};
    assert_close(kn_stat_ttest_1samp_p(c, 7), 0.047484287647623732);
    const double same[] = {-1, -1, -1};
    assert_true(isnan(kn_stat_ttest_1samp_p(same, 3)));
    assert_true(isnan(kn_stat_ttest_1samp_p(c, 1)));
}

static void test_bh_monotone_and_capped(void **state)
{
    (void)state;
    /* sorted: 0.01 0.03 0.04 0.2 0.9 -> *5/rank: 0.05 0.075 0.0667 0.25 0.9 -> monotone
     * from the top: 0.05 0.0667 0.0667 0.25 0.9 */
    const double p[] = {0.04, 0.9, 0.01, 0.2, 0.03};
    const double want[] = {0.2 / 3, 0.9, 0.05, 0.25, 0.2 / 3};
    double q[5];
    assert_int_equal(kn_stat_bh(p, 5, q), KN_OK);
    for (size_t i = 0; i < 5; i++)
        assert_close(q[i], want[i]);
    const double big[] = {0.8, 0.9};
    assert_int_equal(kn_stat_bh(big, 2, q), KN_OK);
    assert_close(q[0], 0.9);
    assert_close(q[1], 0.9);
}

/* ---- sections on hand-made diaries ---- */

#define MAXREC 400

typedef struct diary {
    kn_pain pains[MAXREC];
    size_t npains;
    kn_checkin checkins[MAXREC];
    size_t ncheckins;
    kn_session sessions[16];
    size_t nsessions;
} diary;

static const kn_day D0 = 20454; /* 2026-01-01 */

static void pain(diary *d, int day, const char *region, int intensity)
{
    assert_true(d->npains < MAXREC);
    kn_pain *p = &d->pains[d->npains++];
    kn_pain_init(p);
    p->day = D0 + day;
    p->at = (kn_instant){(int64_t)(D0 + day) * 86400 + 12 * 3600 + (int64_t)d->npains, 0};
    snprintf(p->region, sizeof p->region, "%s", region);
    p->intensity = intensity;
}

static kn_checkin *checkin(diary *d, int day)
{
    assert_true(d->ncheckins < MAXREC);
    kn_checkin *c = &d->checkins[d->ncheckins++];
    kn_checkin_init(c);
    c->day = D0 + day;
    return c;
}

static void compute(diary *d, kn_day from, kn_day to, kn_insights *out)
{
    kn_insight_input in = {d->pains,     d->npains,   d->checkins,
                           d->ncheckins, d->sessions, d->nsessions};
    kn_err err = {0};
    assert_int_equal(kn_insights_compute(&in, from, to, out, &err), KN_OK);
}

static void diary_free(diary *d)
{
    for (size_t i = 0; i < d->ncheckins; i++)
        kn_checkin_clear(&d->checkins[i]);
    for (size_t i = 0; i < d->nsessions; i++)
        kn_session_clear(&d->sessions[i]);
    free(d);
}

static diary *diary_new(void)
{
    diary *d = calloc(1, sizeof *d);
    assert_non_null(d);
    return d;
}

static void test_flares_join_within_two_days(void **state)
{
    (void)state;
    diary *d = diary_new();
    for (int i = 0; i < 10; i++)
        pain(d, i, "neck_back_r", 2);
    pain(d, 10, "temple_r", 5); /* baseline 2: flare */
    pain(d, 12, "temple_r", 5); /* 2 days later: same flare, peak tie keeps day 10 */
    pain(d, 15, "temple_r", 6); /* 3 days later: a new flare */
    pain(d, 16, "temple_r", 3); /* not a flare day */
    kn_insights ins;
    compute(d, KN_DAY_ANY, KN_DAY_ANY, &ins);
    assert_int_equal(ins.days_logged, 14);
    assert_int_equal(ins.nflares, 2);
    assert_int_equal(ins.flares[0].start, D0 + 10);
    assert_int_equal(ins.flares[0].end, D0 + 12);
    assert_int_equal(ins.flares[0].days, 2);
    assert_int_equal(ins.flares[0].peak, 5);
    assert_int_equal(ins.flares[0].peak_date, D0 + 10);
    assert_close(ins.flares[0].baseline, 2);
    assert_int_equal(ins.flares[1].start, D0 + 15);
    assert_int_equal(ins.flares[1].days, 1);
    assert_int_equal(ins.flares[1].peak, 6);
    kn_insights_free(&ins);
    diary_free(d);
}

static void test_flare_baseline_needs_seven_days(void **state)
{
    (void)state;
    diary *d = diary_new();
    for (int i = 0; i < 6; i++)
        pain(d, i, "neck_back_r", 1);
    pain(d, 6, "neck_back_r", 9); /* only 6 days before it: no baseline, no flare */
    pain(d, 7, "neck_back_r", 9); /* median of 1,1,1,1,1,1,9 = 1: a flare at the very start */
    kn_insights ins;
    compute(d, KN_DAY_ANY, KN_DAY_ANY, &ins);
    assert_int_equal(ins.nflares, 1);
    assert_int_equal(ins.flares[0].start, D0 + 7);
    assert_close(ins.flares[0].baseline, 1);
    kn_insights_free(&ins);
    /* the window is 28 days: values older than that leave it (even count: mean of middles) */
    d->npains = 0;
    for (int i = 0; i < 4; i++)
        pain(d, i, "neck_back_r", 8);
    for (int i = 30; i < 38; i++)
        pain(d, i, "neck_back_r", i < 34 ? 2 : 3);
    pain(d, 38, "neck_back_r", 5); /* window days 10-37: 2,2,2,2,3,3,3,3 -> 2.5: 5 >= 4.5 */
    compute(d, KN_DAY_ANY, KN_DAY_ANY, &ins);
    assert_int_equal(ins.nflares, 1);
    assert_int_equal(ins.flares[0].start, D0 + 38);
    assert_close(ins.flares[0].baseline, 2.5);
    kn_insights_free(&ins);
    diary_free(d);
}

static void test_chronic_definition(void **state)
{
    (void)state;
    diary *d = diary_new();
    pain(d, 0, "neck_back_r", 4);  /* Jan 1 */
    pain(d, 0, "neck_back_r", 6);  /* the same day twice: one entry day */
    pain(d, 45, "neck_back_r", 0); /* intensity 0 does not count */
    pain(d, 91, "neck_back_r", 2); /* Apr 2: span 91 > 90, months Jan+Apr = 2 */
    pain(d, 0, "temple_r", 3);     /* Jan 1 */
    pain(d, 40, "temple_r", 3);    /* Feb 10 */
    pain(d, 91, "temple_r", 3);    /* Apr 2: span 91, 3 months: chronic */
    pain(d, 0, "calf_l", 5);
    pain(d, 90, "calf_l", 5); /* span 90: not over 90 */
    kn_insights ins;
    compute(d, KN_DAY_ANY, KN_DAY_ANY, &ins);
    assert_int_equal(ins.nchronic, 3);
    assert_string_equal(ins.chronic[0].region, "calf_l");
    assert_int_equal(ins.chronic[0].span_days, 90);
    assert_false(ins.chronic[0].chronic);
    assert_string_equal(ins.chronic[1].region, "neck_back_r");
    assert_int_equal(ins.chronic[1].span_days, 91);
    assert_int_equal(ins.chronic[1].months, 2);
    assert_int_equal(ins.chronic[1].entry_days, 2);
    assert_close(ins.chronic[1].mean_intensity, 4);
    assert_false(ins.chronic[1].chronic);
    assert_string_equal(ins.chronic[2].region, "temple_r");
    assert_int_equal(ins.chronic[2].months, 3);
    assert_true(ins.chronic[2].chronic);
    kn_insights_free(&ins);
    diary_free(d);
}

static void test_factor_thresholds(void **state)
{
    (void)state;
    diary *d = diary_new();
    for (int i = 0; i < 20; i++) {
        pain(d, i, "neck_back_r", 2 + i % 5);
        kn_checkin *c = checkin(d, i);
        c->stress = i % 7;
        if (i < 9)
            c->sleep_quality = i; /* 9 pairs at lag 0: one short */
        if (i >= 10)
            c->sleep_hours = 5 + i * 0.25; /* exactly 10 pairs at lag 0, 9 at lag 1 */
        c->routine = i < 4 ? KN_ROUTINE_DISRUPTED : KN_ROUTINE_NORMAL; /* 4 with: short */
        if (i % 4 == 0)
            kn_checkin_add_tag(c, "long drive", NULL); /* 5 with, 15 without */
    }
    kn_insights ins;
    compute(d, KN_DAY_ANY, KN_DAY_ANY, &ins);
    bool sleep_hours_lag0 = false, sleep_hours_lag1_skipped = false;
    bool sleep_quality_skipped = false, routine_skipped = false, tag_tested = false;
    for (size_t i = 0; i < ins.nfactors; i++) {
        const kn_factor_test *t = &ins.factors[i];
        if (strcmp(t->factor, "sleep_hours") == 0 && t->lag == 0 && t->n == 10)
            sleep_hours_lag0 = true;
        if (strcmp(t->factor, "tag:long drive") == 0 && t->lag == 0) {
            tag_tested = true;
            assert_int_equal(t->n_with, 5);
            assert_int_equal(t->n_without, 15);
        }
        assert_true(t->q >= t->p);
        assert_true(t->q <= 1.0);
        if (i > 0) /* sorted by lag, then factor */
            assert_true(ins.factors[i - 1].lag < t->lag ||
                        (ins.factors[i - 1].lag == t->lag &&
                         strcmp(ins.factors[i - 1].factor, t->factor) < 0));
    }
    for (size_t i = 0; i < ins.nskipped; i++) {
        const kn_factor_skip *s = &ins.skipped[i];
        if (strcmp(s->factor, "sleep_hours") == 0 && s->lag == 1) {
            sleep_hours_lag1_skipped = s->n == 9 && s->reason == KN_SKIP_TOO_FEW_PAIRS;
        }
        if (strcmp(s->factor, "sleep_quality") == 0 && s->lag == 0)
            sleep_quality_skipped = s->n == 9 && s->reason == KN_SKIP_TOO_FEW_PAIRS;
        if (strcmp(s->factor, "routine") == 0 && s->lag == 0)
            routine_skipped = s->reason == KN_SKIP_TOO_FEW_WITH_OR_WITHOUT;
    }
    assert_true(sleep_hours_lag0);
    assert_true(sleep_hours_lag1_skipped);
    assert_true(sleep_quality_skipped);
    assert_true(routine_skipped);
    assert_true(tag_tested);
    kn_insights_free(&ins);
    diary_free(d);
}

/* People take a painkiller because the day is bad: a treatment on the worst days is reported
 * as taken on worse days, never as a driver, and the text names it in words with a strength
 * word and no numbers unless asked. */
static void test_treatment_is_not_a_driver(void **state)
{
    (void)state;
    diary *d = diary_new();
    for (int i = 0; i < 30; i++) {
        bool bad = i % 3 == 0;
        pain(d, i, "neck_back_r", (bad ? 7 : 2) + i % 2);
        kn_checkin *c = checkin(d, i);
        c->stress = bad ? 8 - i % 2 : 2 + i % 2;
        if (bad) {
            kn_treatment t = {.name = "ibuprofen", .dose = "400mg"};
            assert_int_equal(kn_checkin_add_treatment(c, &t, NULL), KN_OK);
        }
    }
    kn_insights ins;
    compute(d, KN_DAY_ANY, KN_DAY_ANY, &ins);
    bool seen = false, stress_driver = false;
    for (size_t i = 0; i < ins.nfactors; i++) {
        const kn_factor_test *t = &ins.factors[i];
        if (strcmp(t->factor, "treatment:ibuprofen") == 0 && t->lag == 0) {
            seen = true;
            assert_false(t->driver);
            assert_true(t->worse_days);
        }
        if (strcmp(t->factor, "stress") == 0 && t->lag == 0)
            stress_driver = t->driver;
    }
    assert_true(seen);
    assert_true(stress_driver);
    kn_person who;
    kn_person_init(&who);
    who.id = 1;
    who.name = strdup("Ana");
    char *text = NULL;
    kn_err err = {0};
    assert_int_equal(kn_insights_render(&who, &ins, false, &text, &err), KN_OK);
    assert_null(strstr(text, "driver"));
    assert_null(strstr(text, "treatment:"));
    assert_null(strstr(text, "rho"));
    assert_non_null(strstr(text, "Days of taking ibuprofen are days of higher pain (strong, "
                                 "reliable pattern): the pain likely came first"));
    assert_non_null(
        strstr(text, "Your pain is higher the same day when stress is higher: strong, reliable"));
    free(text);
    assert_int_equal(kn_insights_render(&who, &ins, true, &text, &err), KN_OK);
    assert_non_null(strstr(text, "(rho +"));
    free(text);
    kn_person_clear(&who);
    kn_insights_free(&ins);
    diary_free(d);
}

static void test_pain_outcome_baseline_zero(void **state)
{
    (void)state;
    diary *d = diary_new();
    for (int i = 0; i < 14; i++)
        checkin(d, i)->pain_free = 1; /* worst 0 on days without entries */
    for (int i = 14; i < 27; i++)
        pain(d, i, "heel_l", 3);
    kn_insights ins;
    compute(d, KN_DAY_ANY, KN_DAY_ANY, &ins);
    assert_int_equal(ins.days_logged, 27);
    assert_false(ins.pain.present); /* one day short of 28 */
    kn_insights_free(&ins);
    pain(d, 27, "heel_l", 3);
    compute(d, KN_DAY_ANY, KN_DAY_ANY, &ins);
    assert_true(ins.pain.present);
    assert_close(ins.pain.baseline, 0);
    assert_close(ins.pain.latest, 3);
    assert_true(isnan(ins.pain.percent));
    assert_int_equal(ins.pain.category, KN_TREND_WORSE);
    assert_int_equal(ins.pain.baseline_date, D0);
    assert_int_equal(ins.pain.latest_date, D0 + 27);
    kn_insights_free(&ins);
    diary_free(d);
}

static void test_peg_outcome_categories(void **state)
{
    (void)state;
    diary *d = diary_new();
    kn_checkin *c = checkin(d, 0);
    c->peg[0] = 8, c->peg[1] = 6, c->peg[2] = 7; /* 7 */
    c = checkin(d, 7);
    c->stress = 3; /* no PEG: ignored */
    c = checkin(d, 14);
    c->peg[0] = 5, c->peg[1] = 4, c->peg[2] = 3; /* 4: -3, -42.9 %: important */
    kn_insights ins;
    compute(d, KN_DAY_ANY, KN_DAY_ANY, &ins);
    assert_true(ins.peg.present);
    assert_close(ins.peg.baseline, 7);
    assert_close(ins.peg.latest, 4);
    assert_close(ins.peg.percent, -300.0 / 7);
    assert_int_equal(ins.peg.category, KN_TREND_IMPORTANT);
    kn_insights_free(&ins);
    /* only inside the range: the last PEG alone is baseline and latest */
    compute(d, D0 + 10, KN_DAY_ANY, &ins);
    assert_close(ins.peg.change, 0);
    assert_int_equal(ins.peg.category, KN_TREND_NO_IMPORTANT_CHANGE);
    kn_insights_free(&ins);
    diary_free(d);
}

static void test_massage_windows(void **state)
{
    (void)state;
    diary *d = diary_new();
    int worst[] = {6, 6, 5, -1, 3, 2, -1, 4};
    for (int i = 0; i < 8; i++)
        if (worst[i] >= 0)
            pain(d, i, "neck_back_r", worst[i]);
    kn_session *s = &d->sessions[d->nsessions++];
    kn_session_init(s);
    s->day = D0 + 3;
    s->at = (kn_instant){(int64_t)(D0 + 3) * 86400, 0};
    s->pre_pain = 6;
    s->post_pain = 4;
    s = &d->sessions[d->nsessions++];
    kn_session_init(s);
    s->day = D0 + 1; /* before it only day 0: no pre */
    s->at = (kn_instant){(int64_t)(D0 + 1) * 86400, 0};
    kn_insights ins;
    compute(d, KN_DAY_ANY, KN_DAY_ANY, &ins);
    assert_int_equal(ins.massage.nsessions, 2);
    assert_int_equal(ins.massage.sessions[0].day, D0 + 1); /* sorted by instant */
    assert_true(isnan(ins.massage.sessions[0].pre));
    assert_true(isnan(ins.massage.sessions[0].change));
    assert_true(isnan(ins.massage.sessions[0].immediate));
    assert_close(ins.massage.sessions[1].pre, 17.0 / 3);
    assert_close(ins.massage.sessions[1].post, 2.5);
    assert_close(ins.massage.sessions[1].change, 2.5 - 17.0 / 3);
    assert_close(ins.massage.sessions[1].immediate, -2);
    assert_int_equal(ins.massage.n, 1);
    assert_true(isnan(ins.massage.p)); /* one change: no test */
    kn_insights_free(&ins);
    diary_free(d);
}

static void test_range_and_empty(void **state)
{
    (void)state;
    diary *d = diary_new();
    for (int i = 0; i < 40; i++)
        pain(d, i, "neck_back_r", i < 20 ? 7 : 2);
    kn_insights ins;
    compute(d, D0 + 20, D0 + 39, &ins);
    assert_int_equal(ins.days_logged, 20);
    assert_int_equal(ins.chronic[0].first, D0 + 20);
    assert_int_equal(ins.nflares, 0);
    kn_insights_free(&ins);
    compute(d, D0 + 100, D0 + 200, &ins);
    assert_int_equal(ins.days_logged, 0);
    assert_int_equal(ins.nchronic, 0);
    assert_int_equal(ins.nfactors, 0);
    assert_false(ins.peg.present);
    assert_false(ins.pain.present);
    assert_true(isnan(ins.massage.mean_change));
    kn_insights_free(&ins);
    diary_free(d);
}

/* The report says "not enough data yet" with the engine's own thresholds, and plain words
 * for what it found. */
static void test_report_words(void **state)
{
    (void)state;
    kn_person who;
    kn_person_init(&who);
    who.id = 3;
    who.name = strdup("Ana");
    diary *d = diary_new();
    for (int i = 0; i < 5; i++)
        pain(d, i, "neck_back_r", 4);
    kn_insights ins;
    compute(d, KN_DAY_ANY, KN_DAY_ANY, &ins);
    char *text = NULL;
    kn_err err = {0};
    assert_int_equal(kn_insights_render(&who, &ins, false, &text, &err), KN_OK);
    assert_non_null(strstr(text, "Insights for Ana (person 3)"));
    assert_non_null(strstr(text, "5 days with a pain value."));
    assert_non_null(strstr(text, "Back of neck (right)                 too little history to say"));
    assert_null(strstr(text, "not chronic"));
    assert_non_null(strstr(text, "5 days with pain in 1 month"));
    assert_non_null(strstr(text, "a baseline needs 7 logged days"));
    assert_non_null(strstr(text, "Not enough data yet to say whether stress matters (not tested: "
                                 "fewer than 10 days with both it and pain recorded)"));
    assert_non_null(strstr(text, "needs 28 logged days"));
    assert_non_null(strstr(text, "it does not diagnose"));
    free(text);
    kn_insights_free(&ins);
    compute(d, D0 + 100, D0 + 200, &ins);
    assert_int_equal(kn_insights_render(&who, &ins, false, &text, &err), KN_OK);
    assert_non_null(strstr(text, "Not enough data yet: nothing is recorded in this range."));
    free(text);
    kn_insights_free(&ins);
    diary_free(d);
    kn_person_clear(&who);
}

/* ---- the fixed datasets against the reference ---- */

/* Compares got with want (numbers within TOL, absolute or relative); describes the first
 * difference in why. The top-level "person" is skipped: the reference reads CSV files. */
static bool json_close(const json_t *got, const json_t *want, const char *path, char *why,
                       size_t cap, bool top)
{
    if (json_is_number(want) && json_is_number(got)) {
        double g = json_number_value(got), w = json_number_value(want);
        if (fabs(g - w) <= TOL * fmax(1.0, fabs(w)))
            return true;
        snprintf(why, cap, "%s: got %.17g, want %.17g", path, g, w);
        return false;
    }
    if (json_typeof(got) != json_typeof(want) && !(json_is_boolean(got) && json_is_boolean(want))) {
        snprintf(why, cap, "%s: types differ", path);
        return false;
    }
    char sub[512];
    if (json_is_object(want)) {
        if (json_object_size(got) != json_object_size(want)) {
            snprintf(why, cap, "%s: %zu keys, want %zu", path, json_object_size(got),
                     json_object_size(want));
            return false;
        }
        const char *key;
        json_t *w;
        json_object_foreach((json_t *)want, key, w)
        {
            if (top && strcmp(key, "person") == 0)
                continue;
            json_t *g = json_object_get(got, key);
            snprintf(sub, sizeof sub, "%s.%s", path, key);
            if (!g) {
                snprintf(why, cap, "%s: missing", sub);
                return false;
            }
            if (!json_close(g, w, sub, why, cap, false))
                return false;
        }
        return true;
    }
    if (json_is_array(want)) {
        if (json_array_size(got) != json_array_size(want)) {
            snprintf(why, cap, "%s: %zu items, want %zu", path, json_array_size(got),
                     json_array_size(want));
            return false;
        }
        for (size_t i = 0; i < json_array_size(want); i++) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            if (!json_close(json_array_get(got, i), json_array_get(want, i), sub, why, cap, false))
                return false;
        }
        return true;
    }
    if (json_equal((json_t *)got, (json_t *)want))
        return true;
    snprintf(why, cap, "%s: values differ", path);
    return false;
}

/* Imports one dataset into a new database and compares `knead insights --json` with its
 * expected.json. */
static void check_dataset(const char *dir, const char *name)
{
    char *tmp = kt_tmpdir();
    char *db = kt_path(tmp, "k.db");
    kn_run r = kt_kneadl(tmp, "--db", db, "init", NULL);
    assert_int_equal(r.status, 0);
    kt_run_free(&r);
    r = kt_kneadl(tmp, "--db", db, "person", "add", "--name", name, NULL);
    assert_int_equal(r.status, 0);
    kt_run_free(&r);
    const char *argv[40] = {"--db", db, "import"};
    size_t argc = 3;
    char *files[3] = {NULL, NULL, NULL};
    static const char *const kinds[] = {"pain.csv", "checkin.csv", "session.csv"};
    for (size_t k = 0; k < 3; k++) {
        files[k] = kt_path(dir, kinds[k]);
        char *text = kt_read_file(files[k]);
        if (text)
            argv[argc++] = files[k];
        free(text);
    }
    argv[argc] = NULL;
    r = kt_knead(tmp, NULL, argv);
    if (r.status != 0)
        fail_msg("%s: import: %s", name, r.err);
    kt_run_free(&r);
    argc = 0;
    argv[argc++] = "--db";
    argv[argc++] = db;
    argv[argc++] = "insights";
    argv[argc++] = "--json";
    char *args_path = kt_path(dir, "args");
    char *args = kt_read_file(args_path);
    for (char *tok = args ? strtok(args, " \t\n") : NULL; tok && argc < 38;
         tok = strtok(NULL, " \t\n"))
        argv[argc++] = tok;
    argv[argc] = NULL;
    r = kt_knead(tmp, NULL, argv);
    if (r.status != 0)
        fail_msg("%s: insights: %s", name, r.err);
    char *want_path = kt_path(dir, "expected.json");
    json_error_t jerr;
    json_t *want = json_load_file(want_path, 0, &jerr);
    json_t *got = json_loads(r.out, 0, &jerr);
    assert_non_null(want);
    assert_non_null(got);
    char why[1024] = "";
    if (!json_close(got, want, name, why, sizeof why, true))
        fail_msg("%s", why);
    json_decref(want);
    json_decref(got);
    kt_run_free(&r);
    free(want_path);
    free(args);
    free(args_path);
    for (size_t k = 0; k < 3; k++)
        free(files[k]);
    free(db);
    kt_rmtree(tmp);
}

/* A diary holds one check-in a day; two on one day are refused with the day named, not
 * silently merged. */
static void test_two_checkins_on_one_day_are_refused(void **state)
{
    (void)state;
    diary *d = diary_new();
    checkin(d, 3)->stress = 2;
    checkin(d, 3)->stress = 5;
    kn_insight_input in = {d->pains, d->npains, d->checkins, d->ncheckins, NULL, 0};
    kn_insights out;
    kn_err err = {0};
    assert_int_equal(kn_insights_compute(&in, KN_DAY_ANY, KN_DAY_ANY, &out, &err), KN_EINVAL);
    char date[KN_DATE_LEN];
    kn_date_format(D0 + 3, date);
    assert_non_null(strstr(err.msg, date));
    kn_insights_free(&out);
    /* Outside the range asked for they do not matter. */
    assert_int_equal(kn_insights_compute(&in, D0 + 4, KN_DAY_ANY, &out, &err), KN_OK);
    kn_insights_free(&out);
    diary_free(d);
}

/* The insights' JSON generator prints every double as jansson does for every other
 * document (17 significant digits, a '.' or an exponent, the exponent without '+' or
 * leading zeros), absent values as null, and the same object on one line or indented. */
/* A tag longer than a diary accepts (records made by hand, not validated) is refused with a
 * message, not cut or crashed on. */
static void test_overlong_tag_is_refused(void **state)
{
    (void)state;
    diary *d = diary_new();
    kn_checkin *c = checkin(d, 1);
    char tag[KN_WORD_MAX + 2];
    memset(tag, 'x', sizeof tag - 1);
    tag[sizeof tag - 1] = '\0';
    c->tags = malloc(sizeof *c->tags);
    assert_non_null(c->tags);
    c->tags[0] = strdup(tag);
    c->ntags = 1;
    kn_insight_input in = {d->pains, d->npains, d->checkins, d->ncheckins, NULL, 0};
    kn_insights out;
    kn_err err = {0};
    assert_int_equal(kn_insights_compute(&in, KN_DAY_ANY, KN_DAY_ANY, &out, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "longer than its field"));
    kn_insights_free(&out);
    diary_free(d);
}

static void test_json_numbers_print_as_jansson(void **state)
{
    (void)state;
    static const double values[] = {
        0.0, -0.0, 4.0, 4.5, 13.0 / 3.0, -2.0 / 3.0, 1e-5, 1.5e-300, 1e21, -2.5e-7, 1e100, 0.1,
        123456789012345678.0, 5e-324, 2.5, -7.5, 100.0, -3.0,
        /* whole numbers and halves near the end of the digit-by-digit path */
        1e14 + 0.5, 999999999999999.0, 1e15, 4503599627370497.0, -0.5, 0.25, NAN};
    enum { N = sizeof values / sizeof values[0] };
    kn_flare flares[N];
    kn_insights ins;
    memset(&ins, 0, sizeof ins);
    ins.person = 9007199254740993LL; /* 2^53 + 1: not a double */
    ins.from = ins.to = ins.first_day = ins.last_day = KN_DAY_ANY;
    ins.massage.mean_change = ins.massage.p = NAN;
    for (size_t i = 0; i < N; i++)
        flares[i] = (kn_flare){D0, D0, 1, 5, D0, values[i]};
    flares[0].peak = -12;
    flares[1].days = 0;
    ins.flares = flares;
    ins.nflares = N;
    char *text = NULL, *pretty = NULL;
    size_t len = 0, plen = 0;
    kn_err err = {0};
    assert_int_equal(kn_json_insights_text(&ins, false, &text, &len, &err), KN_OK);
    assert_int_equal(strlen(text), len);
    assert_ptr_equal(strchr(text, '\n'), text + len - 1); /* one line */
    const char *at = text;
    for (size_t i = 0; i < N; i++) {
        at = strstr(at, "\"baseline\":");
        assert_non_null(at);
        at += strlen("\"baseline\":");
        json_t *v = isnan(values[i]) ? json_null() : json_real(values[i]);
        char *want = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
        json_decref(v);
        size_t n = strcspn(at, "}");
        if (strlen(want) != n || strncmp(at, want, n) != 0)
            fail_msg("value %zu: got %.*s, want %s", i, (int)n, at, want);
        free(want);
    }
    assert_non_null(strstr(text, "\"mean_change\":null"));
    assert_non_null(strstr(text, "{\"person\":9007199254740993,"));
    assert_non_null(strstr(text, "\"days\":1,\"peak\":-12,"));
    assert_non_null(strstr(text, "\"days\":0,\"peak\":5,"));
    /* Indented: the same object. */
    assert_int_equal(kn_json_insights_text(&ins, true, &pretty, &plen, &err), KN_OK);
    assert_non_null(strstr(pretty, "\n  \"flares\": [\n"));
    assert_non_null(strstr(pretty, "\"chronic\": [],"));
    json_error_t jerr;
    json_t *a = json_loads(text, 0, &jerr), *b = json_loads(pretty, 0, &jerr);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    free(text);
    free(pretty);
}

static void test_datasets_match_reference(void **state)
{
    (void)state;
    const char *root = KNEAD_SOURCE_DIR "/tests/data/insights";
    DIR *d = opendir(root);
    assert_non_null(d);
    struct dirent *e;
    int checked = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char dir[1024], expected[1100];
        snprintf(dir, sizeof dir, "%s/%s", root, e->d_name);
        snprintf(expected, sizeof expected, "%s/expected.json", dir);
        char *text = kt_read_file(expected);
        if (!text)
            continue;
        free(text);
        check_dataset(dir, e->d_name);
        checked++;
    }
    closedir(d);
    assert_true(checked >= 8); /* the datasets are committed: none missing */
}

/* ---- the command ---- */

static char *new_db(char *dir)
{
    char *db = kt_path(dir, "k.db");
    kn_run r = kt_kneadl(dir, "--db", db, "init", NULL);
    assert_int_equal(r.status, 0);
    kt_run_free(&r);
    r = kt_kneadl(dir, "--db", db, "person", "add", "--name", "Ida", NULL);
    assert_int_equal(r.status, 0);
    kt_run_free(&r);
    return db;
}

static void test_cli_errors_and_empty(void **state)
{
    (void)state;
    char *dir = kt_tmpdir();
    char *db = new_db(dir);
    kn_run r =
        kt_kneadl(dir, "--db", db, "insights", "--from", "2026-03-01", "--to", "2026-02-01", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--from"));
    kt_run_free(&r);
    r = kt_kneadl(dir, "--db", db, "insights", "--from", "2026-02-30", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--from"));
    kt_run_free(&r);
    r = kt_kneadl(dir, "--db", db, "insights", "--person", "7", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "7"));
    kt_run_free(&r);
    r = kt_kneadl(dir, "--db", db, "insights", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Not enough data yet"));
    kt_run_free(&r);
    r = kt_kneadl(dir, "--db", db, "insights", "--json", NULL);
    assert_int_equal(r.status, 0);
    json_error_t jerr;
    json_t *v = json_loads(r.out, 0, &jerr);
    assert_non_null(v);
    assert_int_equal(json_integer_value(json_object_get(v, "days_logged")), 0);
    assert_true(json_is_null(json_object_get(json_object_get(v, "outcomes"), "pain")));
    assert_true(json_is_null(json_object_get(json_object_get(v, "massage"), "p")));
    json_decref(v);
    kt_run_free(&r);
    free(db);
    kt_rmtree(dir);
}

static void test_cli_demo_finds_stress(void **state)
{
    (void)state;
    char *dir = kt_tmpdir();
    char *db = kt_path(dir, "k.db");
    kn_run r = kt_kneadl(dir, "--db", db, "demo", "--days", "180", "--seed", "5", "--end",
                         "2026-06-30", NULL);
    assert_int_equal(r.status, 0);
    kt_run_free(&r);
    r = kt_kneadl(dir, "--db", db, "insights", "--json", NULL);
    assert_int_equal(r.status, 0);
    json_error_t jerr;
    json_t *v = json_loads(r.out, 0, &jerr);
    assert_non_null(v);
    bool stress_driver = false, neck_chronic = false;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(v, "factors"), i, t)
    {
        if (strcmp(json_string_value(json_object_get(t, "factor")), "stress") == 0 &&
            json_integer_value(json_object_get(t, "lag")) == 0)
            stress_driver = json_is_true(json_object_get(t, "driver"));
    }
    json_array_foreach(json_object_get(v, "chronic"), i, t)
    {
        if (strcmp(json_string_value(json_object_get(t, "region")), "neck_back_r") == 0)
            neck_chronic = json_is_true(json_object_get(t, "chronic"));
    }
    assert_true(stress_driver);
    assert_true(neck_chronic);
    json_decref(v);
    kt_run_free(&r);
    free(db);
    kt_rmtree(dir);
}

/* `insights --json` lays its text out as jansson does every other document (the indenter
 * works on the generator's compact text): a tag full of JSON's own punctuation included. */
static void test_indented_json_is_the_common_layout(void **state)
{
    (void)state;
    char *tmp = kt_tmpdir();
    char *db = kt_path(tmp, "k.db");
    kt_run_ok(tmp, db, "person", "add", "--name", "T", NULL);
    for (int d = 1; d <= 12; d++) {
        char date[16], pain[8], stress[8];
        snprintf(date, sizeof date, "2026-11-%02d", d);
        snprintf(pain, sizeof pain, "%d", d % 7);
        snprintf(stress, sizeof stress, "%d", d % 5);
        kt_run_ok(tmp, db, "log", "--date", date, "--region", "neck_back_r", "--intensity", pain,
                  NULL);
        kt_run_ok(tmp, db, "checkin", "--date", date, "--stress", stress, "--tag",
                  d % 2 ? "quo\"te [a], {b}: c\\d \xc3\xbc" : "plain", NULL);
    }
    kn_run r = kt_kneaddb(tmp, db, "insights", "--json", "--from", "2026-11-01", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "tag:quo\\\"te [a], {b}: c\\\\d"));
    json_error_t jerr;
    json_t *v = json_loads(r.out, 0, &jerr);
    if (!v)
        fail_msg("not JSON: %s", jerr.text);
    char *want = json_dumps(v, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    size_t n = strlen(want);
    assert_int_equal(strlen(r.out), n + 1);
    assert_memory_equal(r.out, want, n);
    assert_int_equal(r.out[n], '\n');
    free(want);
    json_decref(v);
    kt_run_free(&r);
    free(db);
    kt_rmtree(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranks_average_ties),
        cmocka_unit_test(test_indented_json_is_the_common_layout),
        cmocka_unit_test(test_ranks_of_every_kind_of_value),
        cmocka_unit_test(test_spearman_matches_scipy),
        cmocka_unit_test(test_welch_matches_scipy),
        cmocka_unit_test(test_ttest_1samp_matches_scipy),
        cmocka_unit_test(test_bh_monotone_and_capped),
        cmocka_unit_test(test_flares_join_within_two_days),
        cmocka_unit_test(test_flare_baseline_needs_seven_days),
        cmocka_unit_test(test_chronic_definition),
        cmocka_unit_test(test_factor_thresholds),
        cmocka_unit_test(test_pain_outcome_baseline_zero),
        cmocka_unit_test(test_peg_outcome_categories),
        cmocka_unit_test(test_massage_windows),
        cmocka_unit_test(test_range_and_empty),
        cmocka_unit_test(test_report_words),
        cmocka_unit_test(test_two_checkins_on_one_day_are_refused),
        cmocka_unit_test(test_overlong_tag_is_refused),
        cmocka_unit_test(test_json_numbers_print_as_jansson),
        cmocka_unit_test(test_treatment_is_not_a_driver),
        cmocka_unit_test(test_datasets_match_reference),
        cmocka_unit_test(test_cli_errors_and_empty),
        cmocka_unit_test(test_cli_demo_finds_stress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
