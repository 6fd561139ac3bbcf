/* Tests of the foundation commands through the real binary in a temporary directory: init,
 * person, log, checkin (and its merge rule), session add, diary, regions, help and exit
 * codes; the JSON of absent values; a table of bad inputs, each of which must name the
 * problem, exit 2 (usage) or 1 (failure) and leave the database byte for byte unchanged;
 * foreign and unwritable database files; and the store's migration of an empty file. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "knead/store.h"

typedef struct world {
    char *dir;
    char *db;
} world;

static kn_run run(world *w, const char *const *args)
{
    const char *argv[48] = {"--db", w->db};
    size_t n = 2;
    for (; args[n - 2] && n < 47; n++)
        argv[n] = args[n - 2];
    argv[n] = NULL;
    return kt_knead(w->dir, NULL, argv);
}

#define RUN(w, ...) run((w), (const char *const[]){__VA_ARGS__, NULL})

static void ok(kn_run *r)
{
    if (r->status != 0)
        fail_msg("exit %d: %s", r->status, r->err);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = kt_tmpdir();
    w->db = kt_path(w->dir, "k.db");
    kn_run r = RUN(w, "init");
    ok(&r);
    kt_run_free(&r);
    r = RUN(w, "person", "add", "--name", "Maya", "--born", "1988", "--tz", "Europe/Berlin");
    ok(&r);
    assert_string_equal(r.out, "1\n");
    kt_run_free(&r);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    free(w->db);
    kt_rmtree(w->dir);
    free(w);
    return 0;
}

static json_t *json_out(kn_run *r)
{
    json_error_t jerr;
    json_t *v = json_loads(r->out, 0, &jerr);
    if (!v)
        fail_msg("not JSON: %s", jerr.text);
    return v;
}

static void test_record_and_read_back(void **state)
{
    world *w = *state;
    kn_run r = RUN(w, "log", "--region", "neck_back_r,temple_r", "--intensity", "6", "--quality",
                   "aching,throbbing", "--at", "2026-03-01T00:30+01:00", "--note", "after drive");
    ok(&r);
    assert_non_null(strstr(r.out, "2 pain entries"));
    kt_run_free(&r);
    r = RUN(w, "checkin", "--date", "2026-03-01", "--stress", "7", "--sleep-hours", "5.5", "--tag",
            "long drive", "--treatment", "ibuprofen:400mg", "--treatment", "heat", "--peg",
            "6,5,5");
    ok(&r);
    kt_run_free(&r);
    /* a second check-in for the day updates it: given fields replace, the rest stay */
    r = RUN(w, "checkin", "--date", "2026-03-01", "--stress", "4", "--sleep-quality", "3");
    ok(&r);
    kt_run_free(&r);
    r = RUN(w, "therapist", "add", "--name", "Dana");
    ok(&r);
    kt_run_free(&r);
    r = RUN(w, "session", "add", "--minutes", "60", "--therapist", "Dana", "--work",
            "neck_back_r:6:4", "--work", "shoulder_top_r:5", "--technique", "trigger point release",
            "--pre", "6", "--post", "3", "--at", "2026-03-01T18:00+01:00");
    ok(&r);
    kt_run_free(&r);
    r = RUN(w, "diary", "--all", "--json");
    ok(&r);
    json_t *v = json_out(&r);
    kt_run_free(&r);
    json_t *day = json_array_get(json_object_get(v, "days"), 0);
    /* 00:30 at +01:00 is still 2026-03-01 locally (2026-02-28 in UTC) */
    assert_string_equal(json_string_value(json_object_get(day, "date")), "2026-03-01");
    assert_int_equal(json_array_size(json_object_get(day, "pain")), 2);
    json_t *c = json_object_get(day, "checkin");
    assert_int_equal(json_integer_value(json_object_get(c, "stress")), 4);
    assert_true(json_number_value(json_object_get(c, "sleep_hours")) == 5.5);
    assert_int_equal(json_integer_value(json_object_get(c, "sleep_quality")), 3);
    assert_true(json_is_null(json_object_get(c, "routine"))); /* unknown is not zero */
    assert_true(json_is_null(json_object_get(c, "pain_free")));
    assert_int_equal(json_array_size(json_object_get(c, "treatments")), 2);
    json_t *treat = json_array_get(json_object_get(c, "treatments"), 1);
    assert_true(json_is_null(json_object_get(treat, "dose")));
    json_t *s = json_array_get(json_object_get(day, "sessions"), 0);
    json_t *work = json_object_get(s, "work");
    assert_true(json_is_null(json_object_get(json_array_get(work, 1), "discomfort")));
    json_decref(v);
    r = RUN(w, "diary", "--all");
    ok(&r);
    assert_non_null(strstr(r.out, "Sun 2026-03-01"));
    assert_non_null(strstr(r.out, "\"after drive\""));
    kt_run_free(&r);
    r = RUN(w, "person", "list", "--json");
    ok(&r);
    v = json_out(&r);
    assert_string_equal(json_string_value(json_object_get(json_array_get(v, 0), "tz")),
                        "Europe/Berlin");
    json_decref(v);
    kt_run_free(&r);
}

static void test_help_and_regions(void **state)
{
    world *w = *state;
    kn_run r = RUN(w, "help");
    ok(&r);
    assert_non_null(strstr(r.out, "insights"));
    assert_non_null(strstr(r.out, "does not diagnose"));
    kt_run_free(&r);
    static const char *const commands[] = {"log",    "checkin", "session", "diary", "import",
                                           "export", "plan",    "intake",  "brief", "therapist"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        r = RUN(w, commands[i], "--help");
        ok(&r);
        assert_non_null(strstr(r.out, "usage: knead"));
        kt_run_free(&r);
    }
    r = RUN(w, "regions", "--json");
    ok(&r);
    json_t *v = json_out(&r);
    assert_int_equal(json_array_size(v), 55);
    json_decref(v);
    kt_run_free(&r);
    r = RUN(w, "frobnicate");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "knead: unknown command 'frobnicate'"));
    kt_run_free(&r);
}

typedef struct bad_input {
    const char *args[12];
    int status;
    const char *says; /* part of the message on stderr */
} bad_input;

static const bad_input bad_inputs[] = {
    {{"log", "--region", "neck_back_r", "--intensity", "11"}, 2, "--intensity 11: must be 0-10"},
    {{"log", "--region", "neck_back_r", "--intensity", "-1"}, 2, "--intensity"},
    {{"log", "--region", "neck_back_r", "--intensity", "five"}, 2, "--intensity"},
    {{"log", "--region", "neck_back_r", "--intensity", "5.5"}, 2, "--intensity"},
    {{"log", "--region", "neck_back", "--intensity", "5"}, 2, "needs a side"},
    {{"log", "--region", "vertex_l", "--intensity", "5"}, 2, "vertex"},
    {{"log", "--region", "elbow_q", "--intensity", "5"}, 2, "unknown region"},
    {{"log", "--region", "neck_back_r,", "--intensity", "5"}, 2, "--region"},
    {{"log", "--intensity", "5"}, 2, "--region"},
    {{"log", "--region", "neck_back_r"}, 2, "--intensity"},
    {{"log", "--region", "neck_back_r", "--intensity", "5", "--quality", "achy"},
     2,
     "unknown quality"},
    {{"log", "--region", "neck_back_r", "--intensity", "5", "--at", "2026-02-30T10:00Z"},
     2,
     "--at"},
    {{"log", "--region", "neck_back_r", "--intensity", "5", "--at", "2026-03-01T10:00+25:00"},
     2,
     "--at"},
    {{"log", "--region", "neck_back_r", "--intensity", "5", "--at", "yesterday"}, 2, "--at"},
    {{"log", "--region", "neck_back_r", "--intensity", "5", "--person", "7"}, 1, "7"},
    {{"log", "--region", "neck_back_r", "--intensity", "5", "--person", "x"}, 2, "--person"},
    {{"checkin", "--sleep-hours", "25"}, 2, "--sleep-hours 25: must be 0-24"},
    {{"checkin", "--sleep-hours", "7.25"}, 2, "--sleep-hours"},
    {{"checkin", "--stress", "11"}, 2, "--stress"},
    {{"checkin", "--sleep-quality", "-2"}, 2, "--sleep-quality"},
    {{"checkin", "--routine", "chaotic"}, 2, "--routine"},
    {{"checkin", "--peg", "5,5"}, 2, "--peg"},
    {{"checkin", "--peg", "5,5,11"}, 2, "--peg"},
    {{"checkin", "--date", "2026-13-01"}, 2, "--date"},
    {{"checkin", "--treatment", ":400mg"}, 2, "--treatment"},
    {{"checkin", "--tag", ""}, 2, "--tag"},
    {{"session", "add", "--minutes", "0", "--therapist", "Dana", "--work", "neck_back_r:5"},
     2,
     "--minutes"},
    {{"session", "add", "--minutes", "60", "--work", "neck_back_r:5"}, 2, "--therapist"},
    {{"session", "add", "--minutes", "60", "--therapist", "Dana", "--work", "neck_back_r:11"},
     2,
     "pressure"},
    {{"session", "add", "--minutes", "60", "--therapist", "Dana", "--work", "neck_back_r:5:12"},
     2,
     "discomfort"},
    {{"session", "add", "--minutes", "60", "--therapist", "Dana", "--work", "neck_back_r:5",
      "--pre", "12"},
     2,
     "--pre"},
    {{"session", "add", "--minutes", "60", "--therapist", "Dana"}, 2, "--work"},
    {{"person", "add", "--name", ""}, 2, "--name"},
    {{"person", "add", "--name", "Ann", "--born", "1492"}, 2, "--born"},
    {{"person", "add", "--name", "Ann", "--tz", "Mars/Olympus"}, 2, "--tz"},
    {{"diary", "--from", "2026-03-05", "--to", "2026-03-01"}, 2, "--from"},
    {{"diary", "--last", "0"}, 2, "--last"},
    {{"export", "--kind", "mood"}, 2, "--kind"},
    {{"export", "--kind", "pain", "--format", "xml"}, 2, "--format"},
    {{"import", "no-such-file.csv"}, 1, "no-such-file.csv"},
    {{"insights", "--to", "2026-02-29"}, 2, "--to"},
    {{"triggers", "calf_x"}, 2, "calf_x"},
};

static void test_bad_inputs_change_nothing(void **state)
{
    world *w = *state;
    kn_run r = RUN(w, "log", "--region", "calf_l", "--intensity", "3", "--at", "2026-03-01T10:00Z");
    ok(&r);
    kt_run_free(&r);
    size_t n = sizeof bad_inputs / sizeof bad_inputs[0];
    assert_true(n >= 30);
    for (size_t i = 0; i < n; i++) {
        uint64_t before = kt_file_digest(w->db);
        r = run(w, bad_inputs[i].args);
        if (r.status != bad_inputs[i].status || !strstr(r.err, bad_inputs[i].says) ||
            strncmp(r.err, "knead: ", 7) != 0)
            fail_msg("case %zu (%s %s): exit %d, stderr: %s", i, bad_inputs[i].args[0],
                     bad_inputs[i].args[1] ? bad_inputs[i].args[1] : "", r.status, r.err);
        if (kt_file_digest(w->db) != before)
            fail_msg("case %zu changed the database", i);
        kt_run_free(&r);
    }
}

static void test_foreign_and_unwritable_files(void **state)
{
    world *w = *state;
    char *text = kt_path(w->dir, "notes.txt");
    kt_write_file(text, "this is not a database, and must stay as it is\n");
    uint64_t before = kt_file_digest(text);
    const char *argv[] = {"--db", text, "init", NULL};
    kn_run r = kt_knead(w->dir, NULL, argv);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "not a knead database"));
    assert_true(kt_file_digest(text) == before);
    kt_run_free(&r);
    /* SQLite, but another program's */
    char *other = kt_path(w->dir, "other.db");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'CREATE TABLE notes(x);' 2>/dev/null", other);
    if (system(cmd) == 0) {
        before = kt_file_digest(other);
        const char *argv2[] = {"--db", other, "person", "add", "--name", "X", NULL};
        r = kt_knead(w->dir, NULL, argv2);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "not a knead database"));
        assert_true(kt_file_digest(other) == before);
        kt_run_free(&r);
    }
    /* a read-only database: writes fail with a message, reads still work */
    if (geteuid() != 0) { /* root writes anyway */
        chmod(w->db, 0444);
        r = RUN(w, "log", "--region", "calf_l", "--intensity", "3");
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "cannot write"));
        kt_run_free(&r);
        chmod(w->db, 0644);
    }
    char *nodir = kt_path(w->dir, "no/such/dir/k.db");
    const char *argv3[] = {"--db", nodir, "init", NULL};
    r = kt_knead(w->dir, NULL, argv3);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "no/such/dir"));
    kt_run_free(&r);
    free(nodir);
    free(other);
    free(text);
}

static void test_empty_file_migrates(void **state)
{
    world *w = *state;
    char *empty = kt_path(w->dir, "empty.db");
    kt_write_file(empty, "");
    kn_store *st = NULL;
    kn_err err = {0};
    assert_int_equal(kn_store_open(empty, KN_STORE_CREATE, &st, &err), KN_OK);
    assert_int_equal(kn_store_schema_version(st), KN_SCHEMA_VERSION);
    kn_store_close(st);
    const char *argv[] = {"--db", empty, "person", "list", "--json", NULL};
    kn_run r = kt_knead(w->dir, NULL, argv);
    ok(&r);
    assert_string_equal(r.out, "[]\n");
    kt_run_free(&r);
    free(empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_record_and_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_help_and_regions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_inputs_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_and_unwritable_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file_migrates, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
