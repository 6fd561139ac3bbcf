/* Regression tests of issue 11's friction, through the real binary: sub-command help, plan
 * previews and --save, readable intake, therapists by name, state errors, a sentence for
 * every write, absent values as null, feedback inside its session, medicines with doses. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Runs knead on w and expects status; frees the run. */
static void expect(int status, kn_run r)
{
    if (r.status != status)
        fail_msg("exit %d, not %d: %s%s", r.status, status, r.out, r.err);
    kt_run_free(&r);
}

/* Runs knead on w's database with the NULL-terminated args. */
static kn_run run_args(kt_world *w, const char *const *args)
{
    const char *argv[40] = {"--db", w->db};
    size_t n = 2;
    for (size_t i = 0; args[i] && n < 39; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return kt_knead(w->dir, NULL, argv);
}

/* A person (Maya, UTC) with a therapist (1, Dana Reyes) and some pain to plan for. */
static void make_world(kt_world *w)
{
    kt_world_make(w, "Maya", "UTC");
    expect(0, kt_world_run(w, "therapist", "add", "--name", "Dana Reyes", NULL));
    expect(0, kt_world_run(w, "log", "--region", "neck_back_r,shoulder_top_r", "--intensity", "6",
                           "--date", "2026-12-01", NULL));
}

/* ---- 6. help COMMAND SUBCOMMAND prints that sub-command's usage ---- */

static void test_help_of_a_subcommand(void **state)
{
    (void)state;
    static const char *const subs[][2] = {
        {"session", "add"},     {"session", "start"},  {"session", "feedback"},
        {"session", "finish"},  {"session", "note"},   {"session", "sign"},
        {"session", "amend"},   {"session", "show"},   {"session", "cancel"},
        {"therapist", "add"},   {"therapist", "list"}, {"therapist", "show"},
        {"therapist", "match"}, {"person", "add"},     {"person", "list"},
        {"person", "delete"},   {"edit", "pain"},      {"edit", "checkin"},
        {"edit", "session"},    {"delete", "pain"},    {"delete", "checkin"},
        {"delete", "session"},  {"clearance", "add"},  {"clearance", "list"},
    };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        kn_run r = kt_kneadl(NULL, "help", subs[i][0], subs[i][1], NULL);
        kt_ok(&r);
        char want[64];
        snprintf(want, sizeof want, "usage: knead %s %s", subs[i][0], subs[i][1]);
        if (strncmp(r.out, want, strlen(want)) != 0)
            fail_msg("help %s %s printed: %s", subs[i][0], subs[i][1], r.out);
        /* only that one: no other sub-command's usage line */
        char other[64];
        snprintf(other, sizeof other, "knead %s ", subs[i][0]);
        const char *second = strstr(r.out + strlen("usage: "), other);
        if (second && strncmp(second + strlen(other), subs[i][1], strlen(subs[i][1])) != 0)
            fail_msg("help %s %s printed another sub-command: %s", subs[i][0], subs[i][1], r.out);
        kt_run_free(&r);
    }
    kn_run r = kt_kneadl(NULL, "help", "session", "show", NULL);
    kt_ok(&r);
    assert_null(strstr(r.out, "session add"));
    kt_run_free(&r);
    r = kt_kneadl(NULL, "help", "session", "bogus", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "bogus"));
    kt_run_free(&r);
    expect(0, kt_kneadl(NULL, "help", "session", NULL));
}

/* ---- 4. state errors exit 1, with the reason ---- */

static void test_state_errors_exit_1(void **state)
{
    (void)state;
    kt_world w;
    /* a database without a person is a state too; several persons need --person (usage) */
    char *dir = kt_tmpdir();
    char *db = kt_path(dir, "empty.db");
    expect(0, kt_kneaddb(dir, db, "init", NULL));
    kn_run r = kt_kneaddb(dir, db, "diary", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "holds no person yet"));
    kt_run_free(&r);
    expect(0, kt_kneaddb(dir, db, "person", "add", "--name", "A", NULL));
    expect(0, kt_kneaddb(dir, db, "person", "add", "--name", "B", NULL));
    expect(2, kt_kneaddb(dir, db, "diary", NULL));
    free(db);
    kt_rmtree(dir);
    kt_world_make(&w, "Maya", "UTC");
    expect(0, kt_world_run(&w, "therapist", "add", "--name", "Dana Reyes", NULL));
    /* no pain yet: nothing to aim a plan at */
    r = kt_world_run(&w, "plan", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "nothing to aim a plan at"));
    kt_run_free(&r);
    expect(0, kt_world_run(&w, "log", "--region", "neck_back_r", "--intensity", "6", "--at",
                           "2026-12-01T08:00", NULL));
    /* session 1: started, one feedback, finished, signed; session 2 open */
    expect(0, kt_world_run(&w, "session", "start", "--at", "2026-12-01T10:00", NULL));
    static const char *const steps[][16] = {
        {"1", "second open session", "session", "start", "--at", "2026-12-01T10:05"},
        {"1", "no feedback recorded", "session", "finish", "1", "--at", "2026-12-01T10:30"},
        {"1", "only a finished session is signed", "session", "sign", "1", "--therapist", "1"},
        {"1", "amendments are for signed", "session", "amend", "1", "--therapist", "1", "--reason",
         "x", "--subjective", "y"},
        {"1", "finish it first", "session", "note", "1", "--subjective", "x"},
        {"0", "", "session", "feedback", "1", "--region", "neck_back_r", "--pressure", "4", "--at",
         "2026-12-01T10:20"},
        {"0", "", "session", "finish", "1", "--at", "2026-12-01T11:00"},
        {"1", "already finished", "session", "finish", "1", "--at", "2026-12-01T11:10"},
        {"1", "feedback goes to open sessions", "session", "feedback", "1", "--region",
         "neck_back_r", "--pressure", "4", "--at", "2026-12-01T11:20"},
        {"1", "only an open session is cancelled", "session", "cancel", "1"},
        {"0", "", "session", "sign", "1", "--therapist", "1"},
        {"1", "only a finished session is signed", "session", "sign", "1", "--therapist", "1"},
        {"1", "signed and locked", "session", "note", "1", "--subjective", "x"},
        {"1", "only an open session is cancelled", "session", "cancel", "1"},
        {"1", "cannot be edited", "edit", "session", "1", "--minutes", "5"},
        {"1", "cannot be deleted", "delete", "session", "1"},
        {"1", "no such therapist", "session", "amend", "1", "--therapist", "9", "--reason", "x",
         "--subjective", "y"},
        {"0", "", "session", "start", "--at", "2026-12-02T10:00"},
        {"0", "", "session", "cancel", "2"},
        {"1", "only an open session is cancelled", "session", "cancel", "2"},
        {"1", "feedback goes to open sessions", "session", "feedback", "2", "--region",
         "neck_back_r", "--pressure", "4"},
        {"1", "no such session", "session", "sign", "99", "--therapist", "1"},
        {"1", "no such plan", "session", "start", "--plan", "77"},
        {"1", "already there", "log", "--region", "neck_back_r", "--intensity", "3", "--at",
         "2026-12-01T08:00"},
        {"1", "nothing to clear", "clearance", "add", "--question", "pregnancy", "--by", "Dr X"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        const char *const *args = &steps[i][2];
        if (strcmp(steps[i][1], "second open session") == 0) {
            r = run_args(&w, args);
            if (r.status != 1 || !strstr(r.err, "still open"))
                fail_msg("a second open session: exit %d: %s", r.status, r.err);
            kt_run_free(&r);
            continue;
        }
        r = run_args(&w, args);
        int want = steps[i][0][0] - '0';
        if (r.status != want || (want && !strstr(r.err, steps[i][1])))
            fail_msg("step %zu (%s %s): exit %d, not %d, wanted '%s': %s", i, args[0], args[1],
                     r.status, want, steps[i][1], r.err);
        kt_run_free(&r);
    }
    kt_world_free(&w);
}

/* ---- 8. feedback and the end inside the session's own time ---- */

static void test_feedback_inside_the_session(void **state)
{
    (void)state;
    kt_world w;
    make_world(&w);
    expect(0, kt_world_run(&w, "session", "start", "--at", "2026-12-01T10:00", NULL));
    kn_run r = kt_world_run(&w, "session", "feedback", "1", "--region", "neck_back_r", "--pressure",
                            "4", "--at", "2026-12-01T09:59", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "before session 1 started"));
    kt_run_free(&r);
    expect(0, kt_world_run(&w, "session", "feedback", "1", "--region", "neck_back_r", "--pressure",
                           "4", "--at", "2026-12-01T10:20", NULL));
    /* an end before the feedback would put the feedback after the session's end */
    r = kt_world_run(&w, "session", "finish", "1", "--at", "2026-12-01T10:10", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "before feedback recorded at 2026-12-01T10:20"));
    kt_run_free(&r);
    r = kt_world_run(&w, "session", "finish", "1", "--at", "2026-12-01T09:00", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "before session 1 started"));
    kt_run_free(&r);
    expect(0, kt_world_run(&w, "session", "finish", "1", "--at", "2026-12-01T11:00", NULL));
    /* after the end the session is closed: no more feedback */
    r = kt_world_run(&w, "session", "feedback", "1", "--region", "neck_back_r", "--pressure", "4",
                     "--at", "2026-12-01T11:30", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "is finished"));
    kt_run_free(&r);
    /* nothing of the refused feedback was stored */
    r = kt_world_run(&w, "session", "show", "1", "--json", NULL);
    kt_ok(&r);
    json_t *v = kt_json_of(&r);
    assert_int_equal(json_array_size(json_object_get(v, "events")), 1);
    json_decref(v);
    kt_run_free(&r);
    kt_world_free(&w);
}

/* ---- 1. plan without --save is a preview; --save stores it ---- */

static void test_plan_preview_and_save(void **state)
{
    (void)state;
    kt_world w;
    make_world(&w);
    uint64_t before = kt_file_digest(w.db);
    kn_run r = kt_world_run(&w, "plan", "--minutes", "30", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "Plan preview for Maya"));
    assert_non_null(strstr(r.out, "Preview only: not saved. Add --save to keep it.\n"));
    kt_run_free(&r);
    r = kt_world_run(&w, "plan", "--json", NULL);
    kt_ok(&r);
    json_t *v = kt_json_of(&r);
    assert_true(json_is_null(json_object_get(v, "id")));
    assert_true(json_is_false(json_object_get(v, "saved")));
    json_decref(v);
    kt_run_free(&r);
    /* nothing stored: no plan 1 to show or to start a session by */
    assert_true(kt_file_digest(w.db) == before);
    r = kt_world_run(&w, "plan", "--show", "1", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "no such plan"));
    kt_run_free(&r);
    expect(1, kt_world_run(&w, "session", "start", "--plan", "1", NULL));
    /* --save stores it and says its id */
    r = kt_world_run(&w, "plan", "--minutes", "30", "--save", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "Plan 1 for Maya"));
    assert_non_null(strstr(r.out, "Saved as plan 1"));
    assert_null(strstr(r.out, "Preview"));
    kt_run_free(&r);
    r = kt_world_run(&w, "plan", "--save", "--json", NULL);
    kt_ok(&r);
    v = kt_json_of(&r);
    assert_int_equal(json_integer_value(json_object_get(v, "id")), 2);
    assert_true(json_is_true(json_object_get(v, "saved")));
    json_decref(v);
    kt_run_free(&r);
    expect(0, kt_world_run(&w, "plan", "--show", "1", NULL));
    expect(2, kt_world_run(&w, "plan", "--show", "1", "--save", NULL));
    expect(0, kt_world_run(&w, "session", "start", "--plan", "1", NULL));
    kt_world_free(&w);
}

/* ---- 2. intake --show is readable text; 9. medicines with doses are recognised ---- */

static void test_intake_show_and_medicines(void **state)
{
    (void)state;
    kt_world w;
    make_world(&w);
    char *answers = kt_path(w.dir, "intake.json");
    kt_write_file(answers, "{\"goals\": \"Fewer headaches\", \"pressure\": 6,"
                           " \"pregnant\": false, \"avoid_regions\": [\"jaw_r\"],"
                           " \"medications\": [\"ibuprofen 400 mg when needed\","
                           " \"Nurofen 200mg\", \"Eliquis 5mg twice daily\", \"Xarelto20mg\","
                           " \"mystery pill 20 mg\"]}");
    kn_run r = kt_world_run(&w, "intake", "--answers", answers, NULL);
    kt_ok(&r);
    /* only the unknown one is reported; Eliquis is a blood thinner whatever its dose */
    assert_non_null(strstr(r.out, "mystery pill 20 mg: not recognised"));
    assert_null(strstr(r.out, "ibuprofen 400 mg when needed: not recognised"));
    assert_null(strstr(r.out, "Nurofen 200mg: not recognised"));
    assert_null(strstr(r.out, "Eliquis 5mg twice daily: not recognised"));
    assert_null(strstr(r.out, "Xarelto20mg: not recognised"));
    assert_non_null(strstr(r.out, "blood thinners or a bleeding disorder"));
    kt_run_free(&r);
    r = kt_world_run(&w, "intake", "--answers", answers, "--json", NULL);
    kt_ok(&r);
    json_t *v = kt_json_of(&r);
    json_t *unknown = json_object_get(v, "medications_not_recognised");
    assert_int_equal(json_array_size(unknown), 1);
    json_decref(v);
    kt_run_free(&r);
    /* a pain reliever alone raises no red flag */
    char *ibu = kt_path(w.dir, "ibu.json");
    kt_write_file(ibu, "{\"medications\": [\"Ibuprofen 400 mg when needed\"],"
                       " \"screening\": {\"fever\": \"no\"}}");
    kt_world t;
    kt_world_make(&t, "Ben", "UTC");
    r = kt_world_run(&t, "intake", "--answers", ibu, NULL);
    kt_ok(&r);
    assert_null(strstr(r.out, "not recognised"));
    assert_null(strstr(r.out, "blood_thinners"));
    kt_run_free(&r);
    kt_world_free(&t);
    /* --show: readable lines, not JSON */
    r = kt_world_run(&w, "intake", "--show", NULL);
    kt_ok(&r);
    assert_true(r.out[0] != '{');
    assert_null(strstr(r.out, "\"goals\""));
    assert_non_null(strstr(r.out, "Intake of Maya, version 1"));
    assert_non_null(strstr(r.out, "Fewer headaches"));
    assert_non_null(strstr(r.out, "6 of 10"));
    assert_non_null(strstr(r.out, "Lower jaw (right)"));
    assert_null(strstr(r.out, "jaw_r"));
    assert_non_null(strstr(r.out, "Pregnant:"));
    assert_non_null(strstr(r.out, "mystery pill 20 mg: not recognised"));
    kt_run_free(&r);
    r = kt_world_run(&w, "intake", "--show", "--json", NULL);
    kt_ok(&r);
    v = kt_json_of(&r);
    assert_string_equal(json_string_value(json_object_get(v, "goals")), "Fewer headaches");
    assert_int_equal(json_integer_value(json_object_get(v, "version")), 1);
    json_decref(v);
    kt_run_free(&r);
    free(ibu);
    free(answers);
    kt_world_free(&w);
}

/* ---- 3. --therapist takes an id or a name that is exactly one therapist's ---- */

static void test_therapist_by_id_or_name(void **state)
{
    (void)state;
    kt_world w;
    make_world(&w);
    expect(0, kt_world_run(&w, "therapist", "add", "--name", "Kim Lee", NULL));
    expect(0, kt_world_run(&w, "therapist", "add", "--name", "kim lee", "--license", "L2", NULL));
    /* every command that takes --therapist refuses an unknown or shared name, exit 1, with
     * the candidates, and writes nothing */
    static const char *const cmds[][12] = {
        {"session", "add", "--minutes", "30", "--work", "neck_back_r:4", "--at", "2026-12-01T09:00",
         "--therapist"},
        {"session", "start", "--at", "2026-12-01T10:00", "--therapist"},
        {"plan", "--save", "--therapist"},
        {"edit", "session", "1", "--therapist"},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        static const char *const bad[][2] = {
            {"Kim Lee", "2 therapists have that name (2 Kim Lee, 3 kim lee): give the id"},
            {"Bob", "no such therapist; on record: 1 Dana Reyes, 2 Kim Lee, 3 kim lee"},
            {"dana", "no such therapist; did you mean 1 Dana Reyes"},
            {"9", "--therapist 9: no such therapist"},
        };
        for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            const char *args[16];
            size_t n = 0;
            for (; cmds[i][n]; n++)
                args[n] = cmds[i][n];
            args[n++] = bad[k][0];
            args[n] = NULL;
            uint64_t before = kt_file_digest(w.db);
            kn_run r = run_args(&w, args);
            if (r.status != 1 || !strstr(r.err, bad[k][1]))
                fail_msg("%s %s --therapist %s: exit %d: %s", args[0], args[1], bad[k][0], r.status,
                         r.err);
            kt_run_free(&r);
            assert_true(kt_file_digest(w.db) == before);
        }
    }
    /* a name is taken whatever its case and space, and stored as the therapist's own */
    kn_run r = kt_world_run(&w, "session", "add", "--minutes", "30", "--work", "neck_back_r:4",
                            "--at", "2026-12-01T09:00", "--therapist", "  dana REYES ", NULL);
    kt_ok(&r);
    kt_run_free(&r);
    r = kt_world_run(&w, "diary", "--all", "--json", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "\"therapist\": \"Dana Reyes\""));
    kt_run_free(&r);
    expect(0, kt_world_run(&w, "edit", "session", "1", "--therapist", "3", NULL));
    r = kt_world_run(&w, "session", "show", "1", "--json", NULL);
    kt_ok(&r);
    json_t *v = kt_json_of(&r);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(v, "session"), "therapist")), "kim lee");
    json_decref(v);
    kt_run_free(&r);
    expect(0, kt_world_run(&w, "plan", "--save", "--therapist", "Dana Reyes", NULL));
    expect(0, kt_world_run(&w, "session", "start", "--at", "2026-12-02T10:00", "--therapist",
                           "dana reyes", NULL));
    expect(0, kt_world_run(&w, "session", "feedback", "2", "--region", "neck_back_r", "--pressure",
                           "4", "--at", "2026-12-02T10:10", NULL));
    expect(0, kt_world_run(&w, "session", "finish", "2", "--at", "2026-12-02T11:00", NULL));
    expect(1, kt_world_run(&w, "session", "sign", "2", "--therapist", "Kim Lee", NULL));
    expect(0, kt_world_run(&w, "session", "sign", "2", "--therapist", "DANA REYES", NULL));
    expect(1, kt_world_run(&w, "session", "amend", "2", "--therapist", "nobody", "--reason", "x",
                           "--plan", "y", NULL));
    expect(0, kt_world_run(&w, "session", "amend", "2", "--therapist", "2", "--reason", "x",
                           "--plan", "y", NULL));
    r = kt_world_run(&w, "session", "show", "2", "--json", NULL);
    kt_ok(&r);
    v = kt_json_of(&r);
    assert_int_equal(json_integer_value(json_object_get(v, "therapist_id")), 1);
    json_t *notes = json_object_get(v, "notes");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(notes, 0), "signed_by")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(notes, 1), "written_by")),
                     2);
    json_decref(v);
    kt_run_free(&r);
    kt_world_free(&w);
}

/* ---- 7. not recorded is null in JSON; the demo's sessions stay readable ---- */

static void test_absent_therapist_is_null(void **state)
{
    (void)state;
    kt_world w;
    make_world(&w);
    expect(0, kt_world_run(&w, "session", "start", "--at", "2026-12-01T10:00", NULL));
    kn_run r = kt_world_run(&w, "session", "show", "1", "--json", NULL);
    kt_ok(&r);
    assert_null(strstr(r.out, "not recorded"));
    json_t *v = kt_json_of(&r);
    assert_true(json_is_null(json_object_get(json_object_get(v, "session"), "therapist")));
    assert_true(json_is_null(json_object_get(v, "therapist_id")));
    json_decref(v);
    kt_run_free(&r);
    r = kt_world_run(&w, "session", "show", "1", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "(therapist not recorded)"));
    assert_null(strstr(r.out, "with not recorded"));
    kt_run_free(&r);
    expect(0, kt_world_run(&w, "session", "feedback", "1", "--region", "neck_back_r", "--pressure",
                           "4", "--at", "2026-12-01T10:10", NULL));
    expect(0, kt_world_run(&w, "session", "finish", "1", "--at", "2026-12-01T11:00", NULL));
    r = kt_world_run(&w, "diary", "--all", "--json", NULL);
    kt_ok(&r);
    assert_null(strstr(r.out, "not recorded"));
    assert_non_null(strstr(r.out, "\"therapist\": null"));
    kt_run_free(&r);
    r = kt_world_run(&w, "export", "--kind", "session", "--format", "json", NULL);
    kt_ok(&r);
    assert_null(strstr(r.out, "not recorded"));
    kt_run_free(&r);
    /* the full export too, and it reads back as the same absent therapist */
    char *full = kt_path(w.dir, "all.json"), *copy = kt_path(w.dir, "copy.db");
    expect(0, kt_world_run(&w, "export", "--all", "-o", full, NULL));
    char *text = kt_read_file(full);
    assert_non_null(text);
    assert_null(strstr(text, "not recorded"));
    free(text);
    expect(0, kt_kneaddb(w.dir, copy, "import", full, NULL));
    r = kt_kneaddb(w.dir, copy, "session", "show", "1", "--json", NULL);
    kt_ok(&r);
    v = kt_json_of(&r);
    assert_true(json_is_null(json_object_get(json_object_get(v, "session"), "therapist")));
    json_decref(v);
    kt_run_free(&r);
    r = kt_kneaddb(w.dir, copy, "session", "show", "1", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "(therapist not recorded)"));
    kt_run_free(&r);
    free(copy);
    free(full);
    kt_world_free(&w);
    /* the demo's sessions name their therapist as text: still read, as that name */
    char *dir = kt_tmpdir();
    char *db = kt_path(dir, "d.db");
    expect(0, kt_kneaddb(dir, db, "demo", "--days", "60", "--seed", "3", NULL));
    r = kt_kneaddb(dir, db, "session", "show", "1", "--json", NULL);
    kt_ok(&r);
    v = kt_json_of(&r);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(v, "session"), "therapist")),
        "Dana Reyes");
    assert_true(json_is_null(json_object_get(v, "therapist_id")));
    json_decref(v);
    kt_run_free(&r);
    free(db);
    kt_rmtree(dir);
}

/* ---- 5. every write says what it did in one sentence ---- */

static void test_every_write_says_what_it_did(void **state)
{
    (void)state;
    kt_world w;
    make_world(&w);
    char *intake = kt_path(w.dir, "intake.json");
    kt_write_file(intake, "{\"goals\": \"less pain\", \"screening\": {\"fever\": \"no\"}}");
    char *csv = kt_path(w.dir, "pain.csv");
    kt_write_file(csv, "at,region,intensity,qualities,note\n2026-11-20T08:00:00Z,jaw_r,3,,\n");
    /* each write and the line its output must hold, in this order on one database */
    static const char *const steps[][16] = {
        {"Logged 1 pain entry for Maya at 2026-12-01T08:00:00+00:00.", "log", "--region", "jaw_r",
         "--intensity", "4", "--at", "2026-12-01T08:00"},
        {"Replaced 1 pain entry for Maya at 2026-12-01T08:00:00+00:00.", "log", "--region", "jaw_r",
         "--intensity", "5", "--at", "2026-12-01T08:00", "--replace"},
        {"Recorded the check-in of Maya for 2026-12-01.", "checkin", "--date", "2026-12-01",
         "--stress", "5"},
        {"Changed pain entry 3:", "edit", "pain", "3", "--intensity", "3"},
        {"Changed the check-in of 2026-12-01.", "edit", "checkin", "2026-12-01", "--stress", "4"},
        {"Intake of Maya recorded: version 1.", "intake", "--answers", "@intake"},
        {"Screening of Maya (person 1),", "screen", "--yes", "nerve_pain"},
        {"Clearance 1 recorded for Maya.", "clearance", "add", "--question", "nerve_pain", "--by",
         "Dr Ito"},
        {"Added therapist 2: Kim Lee.", "therapist", "add", "--name", "Kim Lee"},
        {"Saved as plan 1 (knead session start --plan 1).", "plan", "--save"},
        {"Added session 1 for Maya: 30 min with Kim Lee.", "session", "add", "--minutes", "30",
         "--therapist", "Kim Lee", "--work", "jaw_r:4", "--at", "2026-12-01T09:00"},
        {"Started session 2 for Maya at 2026-12-01T10:00:00+00:00.", "session", "start", "--at",
         "2026-12-01T10:00", "--therapist", "1"},
        {"Recorded feedback in session 2: Lower jaw (right) at pressure 4.", "session", "feedback",
         "2", "--region", "jaw_r", "--pressure", "4", "--at", "2026-12-01T10:10"},
        {"Finished session 2: its note is version 1.", "session", "finish", "2", "--at",
         "2026-12-01T11:00"},
        {"Edited the note of session 2.", "session", "note", "2", "--subjective", "better"},
        {"Signed and locked session 2.", "session", "sign", "2", "--therapist", "1"},
        {"Amended the note of session 2: a new version is kept.", "session", "amend", "2",
         "--therapist", "1", "--reason", "typo", "--plan", "stretch daily"},
        {"Started session 3 for Maya at 2026-12-02T10:00:00+00:00.", "session", "start", "--at",
         "2026-12-02T10:00"},
        {"Cancelled session 3:", "session", "cancel", "3"},
        {"Deleted session 1 (2026-12-01, 30 min with Kim Lee).", "delete", "session", "1"},
        {"Deleted pain entry 3", "delete", "pain", "3"},
        {"Deleted the check-in of 2026-12-01", "delete", "checkin", "2026-12-01"},
        {"Imported 1 row for Maya: 1 added, 0 already recorded.", "import", "@csv"},
        {"Erased Ben (person 2)", "person", "delete", "2", "--yes"},
    };
    expect(0, kt_world_run(&w, "person", "add", "--name", "Ben", NULL));
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        const char *args[16];
        size_t n = 0;
        for (; steps[i][n + 1]; n++)
            args[n] = strcmp(steps[i][n + 1], "@intake") == 0 ? intake
                      : strcmp(steps[i][n + 1], "@csv") == 0  ? csv
                                                              : steps[i][n + 1];
        if (strcmp(args[0], "person") != 0 && strcmp(args[0], "therapist") != 0 &&
            strcmp(args[0], "session") != 0 && strcmp(args[0], "clearance") != 0) {
            args[n++] = "--person";
            args[n++] = "1";
        } else if (strcmp(args[0], "clearance") == 0 ||
                   (strcmp(args[0], "session") == 0 &&
                    (strcmp(args[1], "add") == 0 || strcmp(args[1], "start") == 0))) {
            args[n++] = "--person";
            args[n++] = "1";
        }
        args[n] = NULL;
        kn_run r = run_args(&w, args);
        /* the sentence is a line of its own: at the start of the output or after a newline */
        const char *at = strstr(r.out, steps[i][0]);
        if (r.status != 0 || !at || (at != r.out && at[-1] != '\n'))
            fail_msg("%s %s: exit %d, wanted the line '%s': %s%s", args[0], args[1], r.status,
                     steps[i][0], r.out, r.err);
        kt_run_free(&r);
    }
    free(csv);
    free(intake);
    kt_world_free(&w);
}

/* ---- 10. forgiving spellings: a quality typo gets the closest one, a dose with a space ---- */

static void test_quality_typo_and_spaced_dose(void **state)
{
    (void)state;
    kt_world w;
    make_world(&w);
    kn_run r = kt_world_run(&w, "log", "--region", "jaw_r", "--intensity", "3", "--quality",
                            "aching, THROBING", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(
        strstr(r.err, "--quality 'THROBING': unknown quality; did you mean throbbing?"));
    kt_run_free(&r);
    expect(0, kt_world_run(&w, "log", "--region", "Jaw_R , temple_r", "--intensity", "3",
                           "--quality", "Aching , DULL", "--at", "2026-12-02T08:00", NULL));
    expect(0, kt_world_run(&w, "checkin", "--date", "2026-12-02", "--treatment", "Ibuprofen 400 mg",
                           "--treatment", "Vitamin D3 1000 IU", NULL));
    r = kt_world_run(&w, "diary", "--from", "2026-12-02", "--to", "2026-12-02", "--json", NULL);
    kt_ok(&r);
    assert_non_null(strstr(r.out, "\"name\": \"ibuprofen\",\n"));
    assert_non_null(strstr(r.out, "\"dose\": \"400 mg\""));
    assert_non_null(strstr(r.out, "\"name\": \"vitamin d3\",\n"));
    assert_non_null(strstr(r.out, "\"dose\": \"1000 iu\""));
    kt_run_free(&r);
    kt_world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_of_a_subcommand),
        cmocka_unit_test(test_plan_preview_and_save),
        cmocka_unit_test(test_intake_show_and_medicines),
        cmocka_unit_test(test_therapist_by_id_or_name),
        cmocka_unit_test(test_absent_therapist_is_null),
        cmocka_unit_test(test_every_write_says_what_it_did),
        cmocka_unit_test(test_quality_typo_and_spaced_dose),
        cmocka_unit_test(test_state_errors_exit_1),
        cmocka_unit_test(test_feedback_inside_the_session),
    };
    return cmocka_run_group_tests_name("friction2", tests, NULL, NULL);
}
