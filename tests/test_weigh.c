/* Days hurt weigh as much as how much: a region that hurts a little every day outweighs one
 * that hurt hard on a single day, in the pain map (kn_painmap_add_days), the brief's body map,
 * the referral ranking of `knead triggers` and the condition matcher, and every one of them
 * shows the day counts (text and JSON). */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "knead/atlas.h"
#include "knead/time.h"

#define DAILY "jaw_r"                  /* A: 4 on 25 of the last 30 days */
#define ONCE "temple_r"                /* B: 8 on one day */
#define DAILY_NAME "Lower jaw (right)" /* what text prints for them */
#define ONCE_NAME "Temple, side of head (right)"
#define DAILY_DAYS 25
#define WINDOW 30

/* A person whose lower jaw hurts at 4 on each of the last 25 days (logged at 0, no pain
 * there, on the three days before) and whose temple hurt at 8 on one of them. The temple
 * comes first in body-map order, so an order that ignores the days puts it first. */
static void make_world(kt_world *w)
{
    kt_world_make(w, "Maya", "UTC");
    char csv[4096] = "at,region,intensity,qualities,note\n";
    kn_day today = kn_today("UTC");
    for (int i = 0; i < DAILY_DAYS + 3; i++) {
        char date[KN_DATE_LEN], row[128];
        kn_date_format(today - i, date);
        snprintf(row, sizeof row, "%sT08:00:00Z," DAILY ",%d,aching,\n", date,
                 i < DAILY_DAYS ? 4 : 0);
        strcat(csv, row);
        if (i == 3) {
            snprintf(row, sizeof row, "%sT12:00:00Z," ONCE ",8,throbbing,\n", date);
            strcat(csv, row);
        }
    }
    char *path = kt_path(w->dir, "pain.csv");
    kt_write_file(path, csv);
    kn_run r = kt_world_run(w, "import", path, NULL);
    kt_ok(&r);
    kt_run_free(&r);
    free(path);
}

/* The object of region in an array of {"region": ...} objects, or NULL. */
static json_t *region_entry(json_t *arr, const char *region)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "region")), region) == 0)
            return e;
    }
    return NULL;
}

static bool set_has(json_t *arr, const char *region)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        if (strcmp(json_string_value(e), region) == 0)
            return true;
    }
    return false;
}

/* Whether a ranked candidate explains region (any of its zones or its own sites). */
static bool explains(json_t *cand, const char *region)
{
    return set_has(json_object_get(cand, "primary"), region) ||
           set_has(json_object_get(cand, "secondary"), region) ||
           set_has(json_object_get(cand, "local"), region);
}

static void assert_days(json_t *o, int daily, int once, int window)
{
    json_t *days = json_object_get(o, "days_with_pain");
    assert_int_equal(json_integer_value(json_object_get(days, DAILY)), daily);
    assert_int_equal(json_integer_value(json_object_get(days, ONCE)), once);
    assert_int_equal(json_integer_value(json_object_get(o, "window_days")), window);
}

/* ---- the map ---- */

static void test_painmap_weighs_days(void **state)
{
    (void)state;
    kn_painmap m;
    kn_painmap_init(&m);
    kn_err err = {0};
    assert_int_equal(kn_painmap_add_days(&m, DAILY, 4, DAILY_DAYS, WINDOW, "diary", &err), KN_OK);
    assert_int_equal(kn_painmap_add_days(&m, ONCE, 8, 1, WINDOW, "diary", &err), KN_OK);
    assert_int_equal(m.n, 2);
    assert_int_equal(m.window, WINDOW);
    int a = kn_painmap_find(&m, kn_sided_find(DAILY)), b = kn_painmap_find(&m, kn_sided_find(ONCE));
    /* the mean stays the mean; the weight is the burden over the most the window holds */
    assert_float_equal(m.intensity[a], 4, 1e-6);
    assert_float_equal(m.intensity[b], 8, 1e-6);
    assert_int_equal(m.days[a], DAILY_DAYS);
    assert_int_equal(m.days[b], 1);
    assert_float_equal(m.weight[a], 4.0 / 10 * DAILY_DAYS / WINDOW, 1e-6);
    assert_float_equal(m.weight[b], 8.0 / 10 * 1 / WINDOW, 1e-6);
    /* at the same mean, every day counts: 6 on all 30 days weighs twice 6 on 15 */
    kn_painmap h;
    kn_painmap_init(&h);
    assert_int_equal(kn_painmap_add_days(&h, "neck_back_r", 6, 30, 30, "diary", &err), KN_OK);
    assert_int_equal(kn_painmap_add_days(&h, "neck_back_l", 6, 15, 30, "diary", &err), KN_OK);
    assert_float_equal(h.weight[0], 2 * h.weight[1], 1e-6);
    /* marked twice: the heavier mark counts, whatever its mean */
    assert_int_equal(kn_painmap_add_days(&m, ONCE, 3, 20, WINDOW, "diary", &err), KN_OK);
    assert_int_equal(m.n, 2);
    assert_int_equal(m.days[b], 20);
    assert_float_equal(m.intensity[b], 3, 1e-6);
    assert_int_equal(kn_painmap_add_days(&m, ONCE, 9, 1, WINDOW, "diary", &err), KN_OK);
    assert_int_equal(m.days[b], 20);
    /* refused: no days, more days than the window, another window, a mean out of range */
    assert_int_equal(kn_painmap_add_days(&m, "cheek_r", 4, 0, WINDOW, "diary", &err), KN_EINVAL);
    assert_int_equal(kn_painmap_add_days(&m, "cheek_r", 4, 31, WINDOW, "diary", &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "cheek_r"));
    assert_int_equal(kn_painmap_add_days(&m, "cheek_r", 4, 3, 60, "diary", &err), KN_EINVAL);
    assert_int_equal(kn_painmap_add_days(&m, "cheek_r", 0, 3, WINDOW, "diary", &err), KN_EINVAL);
    assert_int_equal(kn_painmap_add_days(&m, "cheek_r", 11, 3, WINDOW, "diary", &err), KN_EINVAL);
    assert_int_equal(kn_painmap_add_days(&m, "cheek_r", NAN, 3, WINDOW, "diary", &err), KN_EINVAL);
    assert_int_equal(kn_painmap_add_days(&m, "nowhere_r", 4, 3, WINDOW, "diary", &err), KN_EINVAL);
    assert_int_equal(m.n, 2);
    /* a map marked by hand has no days and no window, and takes no diary marks */
    kn_painmap hand;
    kn_painmap_init(&hand);
    assert_int_equal(kn_painmap_parse(&hand, "jaw_r:4", "region", &err), KN_OK);
    assert_int_equal(hand.days[0], 0);
    assert_int_equal(hand.window, 0);
    assert_int_equal(kn_painmap_add_days(&hand, ONCE, 8, 1, WINDOW, "diary", &err), KN_EINVAL);
}

/* ---- the brief ---- */

static void test_brief_lists_daily_pain_above_one_day(void **state)
{
    (void)state;
    kt_world w;
    make_world(&w);
    kn_run r = kt_world_run(&w, "brief", NULL);
    kt_ok(&r);
    const char *map = strstr(r.out, "Worst regions");
    assert_non_null(map);
    const char *a = strstr(map, "Lower jaw"), *b = strstr(map, "Temple, side of head");
    assert_non_null(a);
    assert_non_null(b);
    assert_true(a < b);
    /* each with its mean and its days, on its own row */
    const char *a_end = strchr(a, '\n'), *b_end = strchr(b, '\n');
    const char *a_days = strstr(a, "4.0 on 25 of 30 days"),
               *b_days = strstr(b, "8.0 on 1 of 30 days");
    assert_non_null(a_days);
    assert_non_null(b_days);
    assert_true(a_days < a_end);
    assert_true(b_days < b_end);
    kt_run_free(&r);

    r = kt_world_run(&w, "brief", "--json", NULL);
    kt_ok(&r);
    json_t *v = kt_json_of(&r);
    json_t *regions = json_object_get(v, "regions");
    json_t *ja = region_entry(regions, DAILY), *jb = region_entry(regions, ONCE);
    assert_non_null(ja);
    assert_non_null(jb);
    assert_int_equal(json_integer_value(json_object_get(ja, "days_with_pain")), DAILY_DAYS);
    assert_int_equal(json_integer_value(json_object_get(jb, "days_with_pain")), 1);
    assert_int_equal(json_integer_value(json_object_get(ja, "burden")), 4 * DAILY_DAYS);
    assert_int_equal(json_integer_value(json_object_get(jb, "burden")), 8);
    json_decref(v);
    kt_run_free(&r);
    kt_world_free(&w);
}

/* ---- the ranking ---- */

static void test_triggers_rank_daily_pain_first(void **state)
{
    (void)state;
    kt_world w;
    make_world(&w);
    kn_run r = kt_world_run(&w, "triggers", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, DAILY_NAME " (4.0, 25 days)"));
    assert_non_null(strstr(r.out, ONCE_NAME " (8.0, 1 day)"));
    kt_run_free(&r);

    r = kt_world_run(&w, "triggers", "--json", NULL);
    kt_ok(&r);
    json_t *v = kt_json_of(&r);
    assert_days(v, DAILY_DAYS, 1, WINDOW);
    json_t *weights = json_object_get(v, "weights");
    assert_true(json_real_value(json_object_get(weights, DAILY)) >
                json_real_value(json_object_get(weights, ONCE)));
    /* the muscles of the daily pain first: the best explains the jaw, not the temple */
    json_t *first = json_array_get(json_object_get(v, "candidates"), 0);
    assert_non_null(first);
    assert_true(explains(first, DAILY));
    assert_false(explains(first, ONCE));
    json_decref(v);
    kt_run_free(&r);

    /* the same means marked by hand, without days, rank the one strong mark's muscles
     * first: the days are what moved the diary's ranking */
    r = kt_world_run(&w, "triggers", "--json", DAILY ":4", ONCE ":8", NULL);
    kt_ok(&r);
    v = kt_json_of(&r);
    first = json_array_get(json_object_get(v, "candidates"), 0);
    assert_true(explains(first, ONCE));
    assert_true(json_is_null(json_object_get(json_object_get(v, "days_with_pain"), DAILY)));
    assert_true(json_is_null(json_object_get(v, "window_days")));
    json_decref(v);
    kt_run_free(&r);
    kt_world_free(&w);
}

/* The score of muscle (right side) among the candidates, or -1 when not listed. */
static double candidate_score(json_t *cands, const char *muscle)
{
    size_t i;
    json_t *c;
    json_array_foreach(cands, i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "muscle")), muscle) == 0 &&
            strcmp(json_string_value(json_object_get(c, "side")), "r") == 0)
            return json_real_value(json_object_get(c, "score"));
    }
    return -1;
}

/* condition --match --person reads the same weighted map: its days, and for each assess-first
 * muscle the score the ranking gives it. */
static void test_condition_match_uses_the_same_map(void **state)
{
    (void)state;
    kt_world w;
    make_world(&w);
    kn_run r = kt_world_run(&w, "triggers", "--json", "--top", "20", NULL);
    kt_ok(&r);
    json_t *t = kt_json_of(&r);
    kt_run_free(&r);
    r = kt_world_run(&w, "condition", "--match", "--person", "1", "--json", NULL);
    kt_ok(&r);
    json_t *c = kt_json_of(&r);
    kt_run_free(&r);
    assert_days(c, DAILY_DAYS, 1, WINDOW);
    assert_true(json_equal(json_object_get(c, "weights"), json_object_get(t, "weights")));
    size_t compared = 0, i, j;
    json_t *m, *mu;
    json_array_foreach(json_object_get(c, "matches"), i, m)
    {
        json_array_foreach(json_object_get(m, "muscles"), j, mu)
        {
            if (strcmp(json_string_value(json_object_get(mu, "side")), "r") != 0)
                continue;
            double s = candidate_score(json_object_get(t, "candidates"),
                                       json_string_value(json_object_get(mu, "muscle")));
            if (s < 0)
                continue;
            assert_float_equal(json_real_value(json_object_get(mu, "score")), s, 1e-9);
            compared++;
        }
    }
    assert_true(compared > 0);
    r = kt_world_run(&w, "condition", "--match", "--person", "1", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, DAILY_NAME " (4.0, 25 days)"));
    kt_run_free(&r);
    json_decref(t);
    json_decref(c);
    kt_world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_painmap_weighs_days),
        cmocka_unit_test(test_brief_lists_daily_pain_above_one_day),
        cmocka_unit_test(test_triggers_rank_daily_pain_first),
        cmocka_unit_test(test_condition_match_uses_the_same_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
