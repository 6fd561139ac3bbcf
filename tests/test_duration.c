/* How long a pain has lasted, as the intake tells it: the "pain since" parser (dates and
 * durations, exact or approximate) and the intake's pain_since answers, stored with the
 * intake version (schema 7) and shown resolved to the day the pain began. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "knead/diary.h"
#include "knead/insight.h"
#include "knead/store.h"
#include "knead/time.h"

static void test_parse_onset_good(void **state)
{
    (void)state;
    kn_day today = kn_day_from_civil(2026, 12, 4);
    kn_err err = {0};
    kn_onset o;
    assert_int_equal(kn_parse_onset("2024-03-15", today, "f", &o, &err), KN_OK);
    assert_int_equal(o.day, kn_day_from_civil(2024, 3, 15));
    assert_true(o.exact);
    /* a month: its last day, approximate */
    assert_int_equal(kn_parse_onset("2024-02", today, "f", &o, &err), KN_OK);
    assert_int_equal(o.day, kn_day_from_civil(2024, 2, 29));
    assert_false(o.exact);
    assert_int_equal(kn_parse_onset(" since 2019 ", today, "f", &o, &err), KN_OK);
    assert_int_equal(o.day, kn_day_from_civil(2019, 12, 31));
    assert_false(o.exact);
    /* this year: at the latest today */
    assert_int_equal(kn_parse_onset("since 2026", today, "f", &o, &err), KN_OK);
    assert_int_equal(o.day, today);
    assert_int_equal(kn_parse_onset("3 weeks", today, "f", &o, &err), KN_OK);
    assert_int_equal(o.day, today - 21);
    assert_false(o.exact);
    assert_int_equal(kn_parse_onset("8 Months ago", today, "f", &o, &err), KN_OK);
    assert_int_equal(o.day, kn_day_from_civil(2026, 4, 4));
    assert_int_equal(kn_parse_onset("2 years", today, "f", &o, &err), KN_OK);
    assert_int_equal(o.day, kn_day_from_civil(2024, 12, 4));
    assert_int_equal(kn_parse_onset("1 day", today, "f", &o, &err), KN_OK);
    assert_int_equal(o.day, today - 1);
    /* 31 March minus one month: the last day of February */
    assert_int_equal(kn_parse_onset("1 month", kn_day_from_civil(2026, 3, 31), "f", &o, &err),
                     KN_OK);
    assert_int_equal(o.day, kn_day_from_civil(2026, 2, 28));
}

static void test_parse_onset_bad(void **state)
{
    (void)state;
    kn_day today = kn_day_from_civil(2026, 12, 4);
    static const char *const bad[] = {
        "",           "   ",        "soon",          "2 fortnights", "0 years", "-3 weeks",
        "2 years x",  "2027-01-01", "2027-01",       "since 2027",   "1850",    "2024-13",
        "2024-02-30", "200 years",  "since 3 weeks", "years",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kn_err err = {0};
        kn_onset o;
        assert_int_equal(kn_parse_onset(bad[i], today, "pain_since.neck", &o, &err), KN_EINVAL);
        assert_non_null(strstr(err.msg, "pain_since.neck"));
    }
}

/* The intake's pain_since: refused when bad (naming the field, nothing stored), kept as said,
 * and shown with the day it resolves to on the day of the intake. */
static void test_intake_pain_since(void **state)
{
    (void)state;
    kt_world w;
    kt_world_make(&w, "Maya", "UTC");
    char *bad = kt_path(w.dir, "bad.json"), *good = kt_path(w.dir, "good.json");
    kt_write_file(bad, "{\"pain_since\": {\"neck_side_r\": \"ages\"}}");
    kn_run r = kt_world_run(&w, "intake", "--answers", bad, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "pain_since.neck_side_r 'ages': not a date"));
    kt_run_free(&r);
    r = kt_world_run(&w, "intake", "--show", "--json", NULL);
    kt_ok(&r);
    assert_string_equal(r.out, "null\n");
    kt_run_free(&r);

    kt_write_file(good,
                  "{\"pain_since\": {\"neck_side_r\": \" 2 years \", \"jaw_r\": \"2024-03-15\"}}");
    r = kt_world_run(&w, "intake", "--answers", good, NULL);
    kt_ok(&r);
    kt_run_free(&r);
    r = kt_world_run(&w, "intake", "--show", "--json", NULL);
    json_t *v = kt_json_of(&r);
    kt_run_free(&r);
    json_t *since = json_object_get(v, "pain_since");
    assert_string_equal(json_string_value(json_object_get(since, "neck_side_r")), "2 years");
    assert_string_equal(json_string_value(json_object_get(since, "jaw_r")), "2024-03-15");
    json_t *onsets = json_object_get(v, "pain_onsets");
    kn_day today = kn_today("UTC");
    int y, m, d;
    kn_day_to_civil(today, &y, &m, &d);
    char want[KN_DATE_LEN];
    kn_date_format(kn_day_from_civil(y - 2, m, m == 2 && d == 29 ? 28 : d), want);
    json_t *neck = json_object_get(onsets, "neck_side_r");
    assert_string_equal(json_string_value(json_object_get(neck, "onset")), want);
    assert_true(json_is_false(json_object_get(neck, "exact")));
    json_t *jaw = json_object_get(onsets, "jaw_r");
    assert_string_equal(json_string_value(json_object_get(jaw, "onset")), "2024-03-15");
    assert_true(json_is_true(json_object_get(jaw, "exact")));
    json_decref(v);

    /* the same answers again: no new version */
    r = kt_world_run(&w, "intake", "--answers", good, NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "unchanged"));
    kt_run_free(&r);
    free(bad);
    free(good);
    kt_world_free(&w);
}

/* Logs intensity in region on each of the days days before today back to 1 day before. */
static void log_days(kt_world *w, const char *region, int days, int intensity)
{
    kn_day today = kn_today("UTC");
    char level[8];
    snprintf(level, sizeof level, "%d", intensity);
    for (int i = 1; i <= days; i++) {
        char date[KN_DATE_LEN];
        kn_date_format(today - i, date);
        kn_run r =
            kt_world_run(w, "log", "--date", date, "--region", region, "--intensity", level, NULL);
        kt_ok(&r);
        kt_run_free(&r);
    }
}

static void intake_since(kt_world *w, const char *json)
{
    char *path = kt_path(w->dir, "intake.json");
    kt_write_file(path, json);
    kn_run r = kt_world_run(w, "intake", "--answers", path, NULL);
    kt_ok(&r);
    kt_run_free(&r);
    free(path);
}

/* The chronic record of region in `knead insights --json` (a new reference). */
static json_t *chronic_of(kt_world *w, const char *region)
{
    kn_run r = kt_world_run(w, "insights", "--json", NULL);
    json_t *v = kt_json_of(&r);
    kt_run_free(&r);
    json_t *found = NULL, *c;
    size_t i;
    json_array_foreach(json_object_get(v, "chronic"), i,
                       c) if (strcmp(json_string_value(json_object_get(c, "region")), region) == 0)
        found = json_incref(c);
    json_decref(v);
    assert_non_null(found);
    return found;
}

static const char *status_of(json_t *c)
{
    return json_string_value(json_object_get(c, "status"));
}

static const char *basis_of(json_t *c)
{
    return json_string_value(json_object_get(c, "basis"));
}

/* Two weeks of diary for two years of pain: chronic by the intake, in the insights, their
 * text, the brief and its JSON; never "not chronic". */
static void test_chronic_by_intake(void **state)
{
    (void)state;
    kt_world w;
    kt_world_make(&w, "Maya", "UTC");
    log_days(&w, "neck_side_r", 14, 5);
    log_days(&w, "temple_r", 14, 3);
    json_t *c = chronic_of(&w, "neck_side_r");
    assert_string_equal(status_of(c), "too_little_history");
    assert_true(json_is_false(json_object_get(c, "chronic")));
    json_decref(c);

    intake_since(&w, "{\"pain_since\": {\"neck_side_r\": \"2 years\", \"jaw_r\": \"since 2020\"}}");
    c = chronic_of(&w, "neck_side_r");
    assert_string_equal(status_of(c), "chronic");
    assert_string_equal(basis_of(c), "intake");
    assert_true(json_is_true(json_object_get(c, "chronic")));
    assert_true(json_is_false(json_object_get(c, "onset_exact")));
    assert_int_equal(json_integer_value(json_object_get(c, "entry_days")), 14);
    json_decref(c);
    /* a region the intake names and the diary does not */
    c = chronic_of(&w, "jaw_r");
    assert_string_equal(status_of(c), "chronic");
    assert_string_equal(json_string_value(json_object_get(c, "onset")), "2020-12-31");
    assert_int_equal(json_integer_value(json_object_get(c, "entry_days")), 0);
    assert_true(json_is_null(json_object_get(c, "first")));
    assert_true(json_is_null(json_object_get(c, "mean_intensity")));
    json_decref(c);
    /* the intake said nothing of the temple */
    c = chronic_of(&w, "temple_r");
    assert_string_equal(status_of(c), "too_little_history");
    assert_string_equal(basis_of(c), "diary");
    assert_true(json_is_null(json_object_get(c, "onset")));
    json_decref(c);

    kn_run r = kt_world_run(&w, "insights", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "chronic, as the intake says: pain since about "));
    assert_non_null(strstr(r.out, "too little history to say"));
    assert_null(strstr(r.out, "not chronic"));
    kt_run_free(&r);

    r = kt_world_run(&w, "brief", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "(as the intake says)"));
    assert_non_null(strstr(r.out, "1 region with too little history to say"));
    kt_run_free(&r);
    r = kt_world_run(&w, "brief", "--format", "json", NULL);
    json_t *v = kt_json_of(&r);
    kt_run_free(&r);
    json_t *chronic = json_object_get(v, "chronic");
    assert_int_equal(json_array_size(chronic), 2);
    json_t *neck = json_array_get(chronic, 1);
    assert_string_equal(json_string_value(json_object_get(neck, "region")), "neck_side_r");
    assert_string_equal(json_string_value(json_object_get(neck, "basis")), "intake");
    json_t *unknown = json_object_get(v, "chronic_unknown");
    assert_int_equal(json_array_size(unknown), 1);
    assert_string_equal(json_string_value(json_array_get(unknown, 0)), "temple_r");
    json_decref(v);
    kt_world_free(&w);
}

/* A recent pain by the intake is under three months, not chronic; four months of diary are
 * chronic by the diary, whatever the intake says. */
static void test_chronic_recent_and_by_diary(void **state)
{
    (void)state;
    kt_world w;
    kt_world_make(&w, "Maya", "UTC");
    log_days(&w, "neck_side_r", 14, 5);
    intake_since(&w, "{\"pain_since\": {\"neck_side_r\": \"3 weeks\"}}");
    json_t *c = chronic_of(&w, "neck_side_r");
    assert_string_equal(status_of(c), "under_three_months");
    assert_string_equal(basis_of(c), "intake");
    assert_true(json_is_false(json_object_get(c, "chronic")));
    json_decref(c);
    kn_run r = kt_world_run(&w, "insights", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "under three months so far"));
    kt_run_free(&r);

    /* every 8th day over four months */
    kn_day today = kn_today("UTC");
    for (int i = 20; i <= 130; i += 8) {
        char date[KN_DATE_LEN];
        kn_date_format(today - i, date);
        r = kt_world_run(&w, "log", "--date", date, "--region", "neck_side_r", "--intensity", "4",
                         NULL);
        kt_ok(&r);
        kt_run_free(&r);
    }
    c = chronic_of(&w, "neck_side_r");
    assert_string_equal(status_of(c), "chronic");
    assert_string_equal(basis_of(c), "diary");
    json_decref(c);
    kt_world_free(&w);
}

/* The pure rule: the pain is known to last to the later of the intake's day and the diary's
 * last painful day; regions stay sorted when the intake adds some. */
static void test_add_onsets_rule(void **state)
{
    (void)state;
    kn_insights ins = {0};
    ins.chronic = calloc(2, sizeof *ins.chronic);
    assert_non_null(ins.chronic);
    ins.nchronic = 2;
    kn_day d0 = kn_day_from_civil(2026, 1, 1);
    ins.chronic[0] = (kn_chronic_region){.region = "calf_l",
                                         .first = d0,
                                         .last = d0 + 30,
                                         .span_days = 30,
                                         .months = 1,
                                         .entry_days = 5,
                                         .status = KN_CHRONIC_TOO_LITTLE_HISTORY,
                                         .onset = KN_DAY_ANY};
    ins.chronic[1] = ins.chronic[0];
    snprintf(ins.chronic[1].region, sizeof ins.chronic[1].region, "%s", "temple_r");
    /* told on d0 + 10 that the calf began on d0 - 60: 90 days to its last day, not over 90 */
    kn_told_onset told[] = {
        {"calf_l", d0 - 60, true}, {"temple_r", d0 - 61, true}, {"neck_side_r", d0 - 100, false}};
    kn_err err = {0};
    assert_int_equal(kn_insights_add_onsets(&ins, told, 3, d0 + 10, &err), KN_OK);
    assert_int_equal(ins.nchronic, 3);
    assert_string_equal(ins.chronic[0].region, "calf_l");
    assert_int_equal(ins.chronic[0].status, KN_CHRONIC_UNDER_THREE_MONTHS);
    assert_string_equal(ins.chronic[1].region, "neck_side_r");
    assert_int_equal(ins.chronic[1].status, KN_CHRONIC_YES);
    assert_int_equal(ins.chronic[1].basis, KN_BASIS_INTAKE);
    assert_int_equal(ins.chronic[1].entry_days, 0);
    assert_string_equal(ins.chronic[2].region, "temple_r");
    assert_int_equal(ins.chronic[2].status, KN_CHRONIC_YES);
    assert_true(ins.chronic[2].onset_exact);
    kn_insights_free(&ins);
}

/* The condition ranked first by `condition --match` for a right stiff-neck map, with more. */
static char *first_match(kt_world *w, const char *extra1, const char *extra2, json_t **out)
{
    kn_run r = kt_world_run(w, "condition", "--match", "neck_side_r:6", "neck_back_r:5",
                            "shoulder_top_r:4", "--json", extra1, extra2, NULL);
    json_t *v = kt_json_of(&r);
    kt_run_free(&r);
    json_t *first = json_array_get(json_object_get(v, "matches"), 0);
    char *id = strdup(json_string_value(json_object_get(first, "condition")));
    *out = v;
    return id;
}

static json_t *match_of(json_t *v, const char *id)
{
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(v, "matches"), i,
                       m) if (strcmp(json_string_value(json_object_get(m, "condition")), id) ==
                              0) return m;
    fail_msg("no match for %s", id);
    return NULL;
}

/* An acute wry neck ranks first for three days of neck pain and not for two years, whether
 * the duration is given or comes from the intake; the text says why. */
static void test_condition_course(void **state)
{
    (void)state;
    kt_world w;
    kt_world_make(&w, "Maya", "UTC");
    json_t *v;
    char *id = first_match(&w, "--duration", "3 days", &v);
    assert_string_equal(id, "stiff_neck");
    json_t *neck = match_of(v, "stiff_neck");
    assert_true(json_is_false(json_object_get(neck, "course_misfit")));
    assert_int_equal(json_integer_value(json_object_get(neck, "duration_days")), 3);
    assert_string_equal(json_string_value(json_object_get(neck, "course")), "acute");
    double acute_score = json_real_value(json_object_get(neck, "score"));
    free(id);
    json_decref(v);

    id = first_match(&w, "--duration", "2 years", &v);
    assert_string_not_equal(id, "stiff_neck");
    neck = match_of(v, "stiff_neck");
    assert_true(json_is_true(json_object_get(neck, "course_misfit")));
    assert_true(fabs(json_real_value(json_object_get(neck, "score")) - acute_score / 2) < 0.01);
    assert_non_null(
        strstr(json_string_value(json_object_get(neck, "course_reason")), "at least 2 years"));
    /* a guide of any course keeps its score */
    assert_true(json_is_false(json_object_get(match_of(v, "headache"), "course_misfit")));
    free(id);
    json_decref(v);

    kn_run r = kt_world_run(&w, "condition", "--match", "neck_side_r:6", "neck_back_r:5",
                            "shoulder_top_r:4", "--duration", "2 years", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "usually settles within 6 weeks, and this pain has lasted at "
                                  "least 2 years, so it is ranked down."));
    kt_run_free(&r);
    /* bad input: usage errors naming the option */
    r = kt_world_run(&w, "condition", "--match", "neck_side_r", "--duration", "ages", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--duration 'ages'"));
    kt_run_free(&r);
    r = kt_world_run(&w, "condition", "stiff_neck", "--duration", "3 days", NULL);
    assert_int_equal(r.status, 2);
    kt_run_free(&r);

    /* from the person's intake: two years of neck pain, two weeks in the diary */
    log_days(&w, "neck_side_r", 14, 6);
    log_days(&w, "neck_back_r", 14, 5);
    r = kt_world_run(&w, "condition", "--match", "--person", "1", "--json", NULL);
    v = kt_json_of(&r);
    kt_run_free(&r);
    neck = match_of(v, "stiff_neck");
    assert_true(json_is_false(json_object_get(neck, "course_misfit")));
    assert_int_equal(json_integer_value(json_object_get(neck, "duration_days")), 13);
    json_decref(v);
    intake_since(&w, "{\"pain_since\": {\"neck_side_r\": \"2 years\"}}");
    r = kt_world_run(&w, "condition", "--match", "--person", "1", "--json", NULL);
    v = kt_json_of(&r);
    kt_run_free(&r);
    neck = match_of(v, "stiff_neck");
    assert_true(json_is_true(json_object_get(neck, "course_misfit")));
    assert_true(json_integer_value(json_object_get(neck, "duration_days")) >= 730);
    json_decref(v);
    kt_world_free(&w);
}

/* A database of schema 6 (before pain_since) opens migrated: its intake reads back with no
 * onsets, its chronic statuses are the diary's, and a new intake stores its onsets. */
static void test_schema_6_migrates(void **state)
{
    (void)state;
    kt_world w;
    kt_world_make(&w, "Maya", "UTC");
    log_days(&w, "neck_side_r", 5, 4);
    intake_since(&w, "{\"goals\": \"sleep\"}");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(w.db, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "DROP TABLE intake_onset; PRAGMA user_version = 6;", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    kn_run r = kt_world_run(&w, "intake", "--show", "--json", NULL);
    json_t *v = kt_json_of(&r);
    kt_run_free(&r);
    assert_int_equal(json_integer_value(json_object_get(v, "version")), 1);
    assert_int_equal(json_object_size(json_object_get(v, "pain_onsets")), 0);
    json_decref(v);
    json_t *c = chronic_of(&w, "neck_side_r");
    assert_string_equal(status_of(c), "too_little_history");
    json_decref(c);
    assert_int_equal(sqlite3_open(w.db, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), KN_SCHEMA_VERSION);
    sqlite3_finalize(q);
    sqlite3_close(db);
    intake_since(&w, "{\"goals\": \"sleep\", \"pain_since\": {\"neck_side_r\": \"1 year\"}}");
    c = chronic_of(&w, "neck_side_r");
    assert_string_equal(status_of(c), "chronic");
    assert_string_equal(basis_of(c), "intake");
    json_decref(c);
    kt_world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_onset_good),
        cmocka_unit_test(test_parse_onset_bad),
        cmocka_unit_test(test_intake_pain_since),
        cmocka_unit_test(test_chronic_by_intake),
        cmocka_unit_test(test_chronic_recent_and_by_diary),
        cmocka_unit_test(test_add_onsets_rule),
        cmocka_unit_test(test_condition_course),
        cmocka_unit_test(test_schema_6_migrates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
