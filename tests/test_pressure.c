/* Tests of pressure learning (kn_pressure_learn, kn_care_pressure_seen, docs/CARE.md
 * "Pressure"): the pure rule on small feedback histories (one step less after discomfort 8 or
 * more, one step more only towards a stated preference after an easy session, never above the
 * cap or below 1), and the real loop through the binary: live sessions' feedback changes the
 * next plan's pressure both ways, with the reason in the plan's text and JSON. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "knead/care.h"

static int learn(int preference, int pressure, int discomfort, int cap, char *reason)
{
    kn_pressure_seen seen = {pressure, discomfort, kn_day_from_civil(2026, 11, 26)};
    return kn_pressure_learn(preference, pressure ? &seen : NULL, cap, reason,
                             KN_PLAN_PRESSURE_REASON_MAX);
}

static void test_too_much_steps_down(void **state)
{
    (void)state;
    char why[KN_PLAN_PRESSURE_REASON_MAX];
    assert_int_equal(learn(0, 7, 8, 0, why), 6);
    assert_string_equal(why, "7 was too much last time (discomfort 8 on 2026-11-26)");
    /* discomfort wins over a preference above it */
    assert_int_equal(learn(9, 7, 9, 0, why), 6);
    assert_non_null(strstr(why, "7 was too much last time"));
    /* and a preference below the step down is kept */
    assert_int_equal(learn(4, 7, 8, 0, why), 4);
    /* never below 1 */
    assert_int_equal(learn(0, 1, 10, 0, why), 1);
}

static void test_easy_steps_up_one_towards_the_preference(void **state)
{
    (void)state;
    char why[KN_PLAN_PRESSURE_REASON_MAX];
    assert_int_equal(learn(8, 6, 3, 0, why), 7); /* one step, not 8 */
    assert_string_equal(why, "the client prefers 8; 6 was comfortable last time (discomfort 3)");
    assert_int_equal(learn(7, 6, KN_DISCOMFORT_EASY, 0, why), 7);
    /* not easy enough: stay */
    assert_int_equal(learn(7, 6, KN_DISCOMFORT_EASY + 1, 0, why), 6);
    assert_non_null(strstr(why, "the client prefers 7"));
    assert_non_null(strstr(why, "stay at 6"));
    /* no stated preference: no step up */
    assert_int_equal(learn(0, 6, 1, 0, why), 6);
    assert_string_equal(why, "6 was comfortable last time (discomfort 1)");
    /* the preference reached: stay */
    assert_int_equal(learn(6, 6, 0, 0, why), 6);
    /* a preference lower than what was used is the client's say */
    assert_int_equal(learn(4, 6, 2, 0, why), 4);
    assert_non_null(strstr(why, "the client prefers 4"));
}

static void test_the_cap_holds(void **state)
{
    (void)state;
    char why[KN_PLAN_PRESSURE_REASON_MAX];
    assert_int_equal(learn(8, 6, 3, 6, why), 6);
    assert_non_null(strstr(why, "capped at 6 by the screening"));
    assert_int_equal(learn(8, 0, 0, 4, why), 4);
    assert_int_equal(learn(0, 9, 2, 5, why), 5);
}

static void test_nothing_to_learn_from(void **state)
{
    (void)state;
    char why[KN_PLAN_PRESSURE_REASON_MAX];
    assert_int_equal(learn(0, 0, 0, 0, why), KN_PRESSURE_DEFAULT);
    assert_string_equal(why, "moderate: no preference or feedback yet");
    assert_int_equal(learn(7, 0, 0, 0, why), 7);
    assert_string_equal(why, "the client prefers 7");
}

/* A plan made before a stricter screening says why its pressure is lower now. */
static void test_a_clamped_block_says_why(void **state)
{
    (void)state;
    kn_plan *plan = calloc(2, sizeof *plan);
    assert_non_null(plan);
    plan[0].nblocks = 1;
    plan[0].blocks[0] = (kn_plan_block){.kind = KN_BLOCK_FOCUS, .minutes = 20, .pressure = 7};
    kn_regionset_add(&plan[0].blocks[0].regions, kn_sided_find("neck_back_r"));
    snprintf(plan[0].blocks[0].pressure_reason, sizeof plan[0].blocks[0].pressure_reason,
             "the client prefers 7");
    kn_gate gate = {.screened = true, .verdict = KN_VERDICT_CAUTION, .max_pressure = 4};
    kn_plan_change changes[KN_PLAN_CHANGES_MAX];
    size_t n = 0;
    kn_plan_clamp(&plan[0], &gate, &plan[1], changes, &n);
    assert_int_equal(n, 1);
    assert_int_equal(plan[1].blocks[0].pressure, 4);
    assert_string_equal(plan[1].blocks[0].pressure_reason,
                        "capped at 4 by the current screening (planned at 7)");
    free(plan);
}

/* ---- through the binary ---- */

typedef struct world {
    char *dir;
    char *db;
} world;

/* A session days_ago days back with one feedback on the back of the neck. */
static void session_with(world *w, int days_ago, const char *pressure, const char *discomfort)
{
    char at[64], date[KN_DATE_LEN];
    kn_date_format(kn_today("UTC") - days_ago, date);
    snprintf(at, sizeof at, "%sT10:00:00Z", date);
    kn_run r = kt_kneaddb(w->dir, w->db, "session", "start", "--at", at, NULL);
    kt_ok(&r);
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", strtoll(r.out + strcspn(r.out, "0123456789"), NULL, 10));
    kt_run_free(&r);
    r = kt_kneaddb(w->dir, w->db, "session", "feedback", sid, "--region", "neck_back_r",
                   "--pressure", pressure, "--discomfort", discomfort, NULL);
    kt_ok(&r);
    kt_run_free(&r);
    kt_run_ok(w->dir, w->db, "session", "finish", sid, "--post", "3", NULL);
}

/* The pressure of the focus block on the back of the neck in the next plan, and its reason. */
static int neck_pressure(world *w, char *reason, size_t cap)
{
    kn_run r = kt_kneaddb(w->dir, w->db, "plan", "--json", NULL);
    kt_ok(&r);
    json_error_t jerr;
    json_t *plan = json_loads(r.out, 0, &jerr);
    kt_run_free(&r);
    assert_non_null(plan);
    int found = 0;
    size_t i, k;
    json_t *b, *reg;
    json_array_foreach(json_object_get(plan, "blocks"), i, b)
    {
        if (strcmp(json_string_value(json_object_get(b, "kind")), "focus") != 0)
            continue;
        json_array_foreach(json_object_get(b, "regions"), k, reg)
        {
            if (strcmp(json_string_value(reg), "neck_back_r") == 0 && !found) {
                found = (int)json_integer_value(json_object_get(b, "pressure"));
                const char *why = json_string_value(json_object_get(b, "pressure_reason"));
                assert_non_null(why);
                snprintf(reason, cap, "%s", why);
                /* the block's explanation carries it too */
                assert_non_null(strstr(json_string_value(json_object_get(b, "why")), why));
            }
        }
    }
    json_decref(plan);
    assert_true(found > 0);
    return found;
}

static void test_feedback_moves_the_next_plan_both_ways(void **state)
{
    (void)state;
    world w = {kt_tmpdir(), NULL};
    w.db = kt_path(w.dir, "k.db");
    kt_run_ok(w.dir, w.db, "init", NULL);
    kt_run_ok(w.dir, w.db, "person", "add", "--name", "Ann", "--tz", "UTC", NULL);
    for (int d = 1; d <= 14; d++) {
        char date[KN_DATE_LEN];
        kn_date_format(kn_today("UTC") - d, date);
        kt_run_ok(w.dir, w.db, "log", "--region", "neck_back_r", "--intensity", "6", "--date", date,
                  NULL);
    }
    char *answers = kt_path(w.dir, "intake.json");
    kt_write_file(answers, "{\"pressure\": 8}");
    kt_run_ok(w.dir, w.db, "intake", "--answers", answers, NULL);
    char why[KN_PLAN_PRESSURE_REASON_MAX];
    assert_int_equal(neck_pressure(&w, why, sizeof why), 8);
    assert_string_equal(why, "the client prefers 8");

    /* easy at 6 with a preference of 8: one step up, to 7 (the old rule kept 6) */
    session_with(&w, 10, "6", "3");
    assert_int_equal(neck_pressure(&w, why, sizeof why), 7);
    assert_string_equal(why, "the client prefers 8; 6 was comfortable last time (discomfort 3)");

    /* too much at 7: one step down, whatever the preference, with the date */
    session_with(&w, 6, "7", "8");
    assert_int_equal(neck_pressure(&w, why, sizeof why), 6);
    char date[KN_DATE_LEN], expect[KN_PLAN_PRESSURE_REASON_MAX];
    kn_date_format(kn_today("UTC") - 6, date);
    snprintf(expect, sizeof expect, "7 was too much last time (discomfort 8 on %s)", date);
    assert_string_equal(why, expect);

    /* the latest session has the say: easy again at 6, up to 7 again */
    session_with(&w, 2, "6", "2");
    assert_int_equal(neck_pressure(&w, why, sizeof why), 7);

    /* a screening cap of 4 (blood thinners) holds over the preference and the feedback */
    kt_write_file(answers, "{\"pressure\": 8, \"medications\": [\"warfarin\"]}");
    kt_run_ok(w.dir, w.db, "intake", "--answers", answers, NULL);
    assert_int_equal(neck_pressure(&w, why, sizeof why), 4);
    assert_non_null(strstr(why, "capped at 4 by the screening"));

    /* the plan's text says it, in words for the therapist */
    kn_run r = kt_kneaddb(w.dir, w.db, "plan", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "pressure 4: capped at 4 by the screening (the client prefers "
                                  "8; 6 was comfortable last time (discomfort 2))"));
    kt_run_free(&r);
    free(answers);
    free(w.db);
    kt_rmtree(w.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_too_much_steps_down),
        cmocka_unit_test(test_easy_steps_up_one_towards_the_preference),
        cmocka_unit_test(test_the_cap_holds),
        cmocka_unit_test(test_nothing_to_learn_from),
        cmocka_unit_test(test_a_clamped_block_says_why),
        cmocka_unit_test(test_feedback_moves_the_next_plan_both_ways),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
