/* How long a pain has lasted, as the intake tells it: the "pain since" parser (dates and
 * durations, exact or approximate) and the intake's pain_since answers, stored with the
 * intake version (schema 7) and shown resolved to the day the pain began. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "knead/diary.h"
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

    kt_write_file(good, "{\"pain_since\": {\"neck_side_r\": \" 2 years \", \"jaw_r\": \"2024-03-15\"}}");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_onset_good),
        cmocka_unit_test(test_parse_onset_bad),
        cmocka_unit_test(test_intake_pain_since),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
