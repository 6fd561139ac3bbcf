/* knead triggers, condition and screen, run as the real binary: text and JSON output, usage
 * errors, the not-a-diagnosis notice, stored screenings, and the gate message first in
 * guides and rankings for a person whose latest verdict is emergency or refer. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "knead/atlas.h"

typedef struct fixture {
    char *dir;
    char *db;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = kt_tmpdir();
    f->db = kt_path(f->dir, "k.db");
    kn_run r = kt_kneadl(NULL, "--db", f->db, "person", "add", "--name", "Maya", NULL);
    assert_int_equal(r.status, 0);
    kt_run_free(&r);
    r = kt_kneadl(NULL, "--db", f->db, "log", "--region", "jaw_r,tmj_ear_r,cheek_r", "--intensity",
                  "6", NULL);
    assert_int_equal(r.status, 0);
    kt_run_free(&r);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->db);
    kt_rmtree(f->dir);
    free(f);
    return 0;
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    if (!v)
        print_error("not JSON (%s): %s\n", jerr.text, text);
    assert_non_null(v);
    return v;
}

static void test_triggers_text_and_json(void **state)
{
    (void)state;
    kn_run r = kt_kneadl(NULL, "triggers", "jaw_r:7", "tmj_ear_r", "cheek_r", "--top", "3", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Masseter, right"));
    assert_true(strstr(r.out, "Masseter") < strstr(r.out, "Lateral pterygoid"));
    assert_non_null(strstr(r.out, "Together these explain the whole map"));
    assert_int_equal(count(r.out, KN_NOT_A_DIAGNOSIS), 1);
    kt_run_free(&r);

    r = kt_kneadl(NULL, "triggers", "jaw_r:7,tmj_ear_r", "cheek_r", "--json", NULL);
    assert_int_equal(r.status, 0);
    json_t *v = parse(r.out);
    assert_int_equal(json_array_size(json_object_get(v, "regions")), 3);
    assert_null(json_object_get(v, "gate")); /* no person, no gate */
    json_t *cands = json_object_get(v, "candidates");
    assert_int_equal(json_array_size(cands), 5);
    json_t *first = json_array_get(cands, 0);
    assert_string_equal(json_string_value(json_object_get(first, "muscle")), "masseter");
    assert_string_equal(json_string_value(json_object_get(first, "name")), "Masseter");
    assert_string_equal(json_string_value(json_object_get(first, "side")), "r");
    assert_true(json_is_array(json_object_get(first, "primary")));
    assert_true(json_is_array(json_object_get(first, "secondary")));
    double last = 2;
    size_t i;
    json_t *c;
    json_array_foreach(cands, i, c)
    {
        double s = json_real_value(json_object_get(c, "score"));
        assert_true(s <= last && s > 0);
        last = s;
    }
    assert_true(json_array_size(json_object_get(v, "cover")) >= 1);
    assert_true(json_is_array(json_object_get(v, "unexplained")));
    assert_string_equal(json_string_value(json_object_get(v, "notice")), KN_NOT_A_DIAGNOSIS);
    json_decref(v);
    kt_run_free(&r);
}

static void test_triggers_usage_errors(void **state)
{
    (void)state;
    static const char *const bad[][3] = {{"triggers", "temple", NULL},
                                         {"triggers", "temple_r:11", NULL},
                                         {"triggers", "nowhere_r", NULL},
                                         {"triggers", "--top", "0"},
                                         {"triggers", "--top", "51"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *argv[5] = {bad[i][0], bad[i][1], bad[i][2], NULL, NULL};
        if (!strcmp(bad[i][1], "--top")) {
            argv[3] = "temple_r";
        }
        kn_run r = kt_knead(NULL, NULL, argv);
        assert_int_equal(r.status, 2);
        assert_non_null(strstr(r.err, "knead: "));
        assert_string_equal(r.out, "");
        kt_run_free(&r);
    }
    kn_run r = kt_kneadl(NULL, "triggers", "temple", NULL);
    assert_non_null(strstr(r.err, "temple_r"));
    kt_run_free(&r);
}

static void test_condition_guides_and_match(void **state)
{
    (void)state;
    kn_run r = kt_kneadl(NULL, "condition", NULL);
    assert_int_equal(r.status, 0);
    static const char *const ids[] = {"tmjd",       "headache", "carpal_tunnel",
                                      "stiff_neck", "sciatica", "plantar_fasciitis",
                                      "it_band",    "si_joint"};
    for (size_t i = 0; i < 8; i++)
        assert_non_null(strstr(r.out, ids[i]));
    kt_run_free(&r);

    r = kt_kneadl(NULL, "condition", "plantar_fasciitis", NULL);
    assert_int_equal(r.status, 0);
    /* Red flags before the muscle list; confirmed codes only; the notice once. */
    assert_true(strstr(r.out, "Red flags") < strstr(r.out, "Muscles worth checking first"));
    assert_non_null(strstr(r.out, "202882003"));
    assert_non_null(strstr(r.out, "Soleus"));
    assert_int_equal(count(r.out, KN_NOT_A_DIAGNOSIS), 1);
    kt_run_free(&r);

    r = kt_kneadl(NULL, "condition", "carpal_tunnel", "--json", NULL);
    assert_int_equal(r.status, 0);
    json_t *v = parse(r.out);
    assert_string_equal(json_string_value(json_object_get(v, "id")), "carpal_tunnel");
    assert_int_equal(json_array_size(json_object_get(v, "codes")), 0); /* none confirmed */
    assert_true(json_array_size(json_object_get(v, "red_flags")) >= 3);
    json_t *assess = json_object_get(v, "assess");
    assert_string_equal(json_string_value(json_object_get(json_array_get(assess, 0), "muscle")),
                        "scalenes");
    assert_true(json_array_size(json_object_get(v, "self_care")) >= 2);
    json_decref(v);
    kt_run_free(&r);

    r = kt_kneadl(NULL, "condition", "--match", "heel_sole_r:7", "sole_r", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Plantar fasciitis"));
    assert_non_null(strstr(r.out, "Ask first:"));
    assert_null(strstr(r.out, "TMJ disorder"));
    kt_run_free(&r);

    r = kt_kneadl(NULL, "condition", "--match", "heel_sole_r", "--json", NULL);
    assert_int_equal(r.status, 0);
    v = parse(r.out);
    json_t *best = json_array_get(json_object_get(v, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(best, "condition")), "plantar_fasciitis");
    assert_true(json_is_true(json_object_get(best, "resembles")));
    assert_true(strlen(json_string_value(json_object_get(best, "reason"))) > 20);
    assert_true(json_array_size(json_object_get(best, "red_flags")) >= 2);
    json_decref(v);
    kt_run_free(&r);

    r = kt_kneadl(NULL, "condition", "gout", NULL);
    assert_int_equal(r.status, 2);
    kt_run_free(&r);
    r = kt_kneadl(NULL, "condition", "--match", NULL);
    assert_int_equal(r.status, 2);
    kt_run_free(&r);
}

static void test_screen_questions(void **state)
{
    (void)state;
    kn_run r = kt_kneadl(NULL, "screen", "--questions", "--json", NULL);
    assert_int_equal(r.status, 0);
    json_t *v = parse(r.out);
    assert_int_equal(json_array_size(v), kn_question_count());
    json_t *q = json_array_get(v, 0);
    assert_non_null(json_object_get(q, "id"));
    assert_non_null(json_object_get(q, "question"));
    assert_non_null(json_object_get(q, "outcome"));
    json_decref(v);
    kt_run_free(&r);
    r = kt_kneadl(NULL, "screen", "--questions", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "cauda_equina"));
    kt_run_free(&r);
}

/* Whether out starts (after nothing else) with the gate of the verdict. */
static void assert_starts_with(const char *out, const char *prefix)
{
    if (strncmp(out, prefix, strlen(prefix)) != 0)
        print_error("output does not start with '%s':\n%s\n", prefix, out);
    assert_int_equal(strncmp(out, prefix, strlen(prefix)), 0);
}

static void test_screen_gates_guides_and_rankings(void **state)
{
    fixture *f = *state;
    /* No screening yet: a reminder, not a gate. */
    kn_run r = kt_kneadl(NULL, "--db", f->db, "triggers", NULL);
    assert_int_equal(r.status, 0);
    assert_starts_with(r.out, "No red-flag screening on record");
    assert_non_null(strstr(r.out, "Masseter"));
    kt_run_free(&r);

    /* Each emergency question answered yes gives EMERGENCY (checked for two), refer REFER. */
    r = kt_kneadl(NULL, "--db", f->db, "screen", "--yes", "jaw_claudication", "--json", NULL);
    assert_int_equal(r.status, 0);
    json_t *v = parse(r.out);
    assert_string_equal(json_string_value(json_object_get(v, "verdict")), "emergency");
    json_t *reason = json_array_get(json_object_get(v, "reasons"), 0);
    assert_string_equal(json_string_value(json_object_get(reason, "question")), "jaw_claudication");
    assert_string_equal(json_string_value(json_object_get(reason, "outcome")), "emergency");
    assert_non_null(json_string_value(json_object_get(reason, "source")));
    assert_true(json_is_array(json_object_get(v, "avoid_regions")));
    assert_true(json_is_null(json_object_get(v, "max_pressure")));
    json_decref(v);
    kt_run_free(&r);

    const char *const gated[][4] = {{"triggers", NULL},
                                    {"triggers", "temple_r", "--person", "1"},
                                    {"condition", "tmjd", "--person", "1"},
                                    {"condition", "--person", "1", NULL}};
    for (size_t i = 0; i < sizeof gated / sizeof gated[0]; i++) {
        const char *argv[8] = {"--db", f->db};
        for (size_t k = 0; k < 4 && gated[i][k]; k++)
            argv[2 + k] = gated[i][k];
        r = kt_knead(NULL, NULL, argv);
        assert_int_equal(r.status, 0);
        assert_starts_with(r.out, "!! EMERGENCY");
        kt_run_free(&r);
    }
    r = kt_kneadl(NULL, "--db", f->db, "triggers", "--json", NULL);
    assert_int_equal(r.status, 0);
    assert_starts_with(r.out, "{\n  \"gate\"");
    v = parse(r.out);
    json_t *gate = json_object_get(v, "gate");
    assert_true(json_is_true(json_object_get(gate, "blocking")));
    assert_string_equal(json_string_value(json_object_get(gate, "verdict")), "emergency");
    json_decref(v);
    kt_run_free(&r);

    /* Updated answers: refer now; the gate says so; the history keeps both. */
    r = kt_kneadl(NULL, "--db", f->db, "screen", "--update", "--no", "jaw_claudication", "--yes",
                  "night_pain", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ": REFER"));
    kt_run_free(&r);
    r = kt_kneadl(NULL, "--db", f->db, "condition", "tmjd", "--person", "1", "--json", NULL);
    assert_starts_with(r.out, "{\n  \"gate\"");
    v = parse(r.out);
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "gate"), "verdict")),
                        "refer");
    json_decref(v);
    kt_run_free(&r);
    r = kt_kneadl(NULL, "--db", f->db, "triggers", "--top", "2", NULL);
    assert_starts_with(r.out, "!! SEE A PHYSICIAN FIRST");
    kt_run_free(&r);
    r = kt_kneadl(NULL, "--db", f->db, "screen", "--history", "--json", NULL);
    assert_int_equal(r.status, 0);
    v = parse(r.out);
    assert_int_equal(json_array_size(v), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(v, 0), "verdict")),
                        "refer");
    assert_string_equal(json_string_value(json_object_get(json_array_get(v, 1), "verdict")),
                        "emergency");
    json_decref(v);
    kt_run_free(&r);

    /* A clear screening lifts the gate. */
    r = kt_kneadl(NULL, "--db", f->db, "screen", "--no", "night_pain", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ": CLEAR"));
    kt_run_free(&r);
    r = kt_kneadl(NULL, "--db", f->db, "triggers", NULL);
    assert_null(strstr(r.out, "!!"));
    assert_starts_with(r.out, "Screening of");
    kt_run_free(&r);
}

static void test_screen_answers_file_and_terminal(void **state)
{
    fixture *f = *state;
    char *path = kt_path(f->dir, "answers.json");
    kt_write_file(path, "{\"varicose\": {\"answer\": \"yes\", \"where\": [\"calf_l\"]},"
                        " \"blood_thinners\": true, \"cancer\": \"no\"}");
    kn_run r = kt_kneadl(NULL, "--db", f->db, "screen", "--answers", path, "--json", NULL);
    assert_int_equal(r.status, 0);
    json_t *v = parse(r.out);
    assert_string_equal(json_string_value(json_object_get(v, "verdict")), "caution");
    assert_int_equal(json_integer_value(json_object_get(v, "max_pressure")), 4);
    json_t *avoid = json_object_get(v, "avoid_regions");
    assert_int_equal(json_array_size(avoid), 1);
    assert_string_equal(json_string_value(json_array_get(avoid, 0)), "calf_l");
    /* Questions the file leaves out stay unanswered. */
    assert_int_equal(json_array_size(json_object_get(v, "unanswered")), kn_question_count() - 3);
    json_decref(v);
    kt_run_free(&r);

    kt_write_file(path, "{\"cancer\": \"perhaps\"}");
    r = kt_kneadl(NULL, "--db", f->db, "screen", "--answers", path, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "cancer"));
    kt_run_free(&r);
    r = kt_kneadl(NULL, "--db", f->db, "screen", "--yes", "no_such_question", NULL);
    assert_int_equal(r.status, 2);
    kt_run_free(&r);
    free(path);

    /* On the terminal: y, n, skip, a where, then stop. The first question is an emergency. */
    const char *argv[] = {"--db", f->db, "screen", NULL};
    r = kt_knead(NULL, "n\nmaybe\nn\n\nq\n", argv);
    assert_int_equal(r.status, 0);
    /* The answers file's caution answers carry over: the terminal did not answer them. */
    assert_non_null(strstr(r.out, ": CAUTION"));
    assert_non_null(strstr(r.out, "unanswered"));
    assert_non_null(strstr(r.err, "(y/n)"));
    kt_run_free(&r);
    r = kt_knead(NULL, "y\n", argv);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ": EMERGENCY"));
    assert_non_null(strstr(r.err, "!! Go to emergency care now"));
    kt_run_free(&r);
}

static void test_help_entries(void **state)
{
    (void)state;
    static const char *const names[] = {"triggers", "condition", "screen"};
    for (size_t i = 0; i < 3; i++) {
        kn_run r = kt_kneadl(NULL, "help", names[i], NULL);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "usage: knead"));
        kt_run_free(&r);
    }
    kn_run r = kt_kneadl(NULL, "help", NULL);
    for (size_t i = 0; i < 3; i++)
        assert_non_null(strstr(r.out, names[i]));
    kt_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_triggers_text_and_json),
        cmocka_unit_test(test_triggers_usage_errors),
        cmocka_unit_test(test_condition_guides_and_match),
        cmocka_unit_test(test_screen_questions),
        cmocka_unit_test_setup_teardown(test_screen_gates_guides_and_rankings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_screen_answers_file_and_terminal, setup, teardown),
        cmocka_unit_test(test_help_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
