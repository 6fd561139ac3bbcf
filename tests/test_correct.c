/* Tests of correction, ownership and the audit trail of notes, through the real binary:
 * signing and amending dated by the clock with who signed, a therapist's objective that keeps
 * the generated treatment record, cancelling an open session (one open session a person),
 * duplicate pain entries, editing and deleting diary records of the chosen person only,
 * implausible dates, erasing a person, and the full export read back unchanged. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

typedef struct world {
    char *dir;
    char *db;
} world;

static kn_run knead(world *w, ...)
{
    va_list ap;
    va_start(ap, w);
    kn_run r = kt_kneadv(w->dir, w->db, ap);
    va_end(ap);
    return r;
}

static void ok(kn_run *r)
{
    if (r->status != 0)
        fail_msg("exit %d: %s", r->status, r->err);
}

/* Runs a command that must succeed and returns the number it prints first. */
static long long knead_id(kn_run r)
{
    ok(&r);
    long long id = strtoll(r.out, NULL, 10);
    kt_run_free(&r);
    return id;
}

/* Runs a command that must fail with status and say says, leaving the database unchanged. */
static void refused(world *w, int status, const char *says, kn_run (*run)(world *))
{
    uint64_t before = kt_file_digest(w->db);
    kn_run r = run(w);
    if (r.status != status || !strstr(r.err, says))
        fail_msg("want exit %d saying '%s'; got exit %d: %s%s", status, says, r.status, r.err,
                 r.out);
    assert_true(kt_file_digest(w->db) == before);
    kt_run_free(&r);
}

static json_t *json_of(kn_run *r)
{
    json_error_t jerr;
    json_t *v = json_loads(r->out, 0, &jerr);
    if (!v)
        fail_msg("not JSON (%s): %s", jerr.text, r->out);
    return v;
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = kt_tmpdir();
    w->db = kt_path(w->dir, "k.db");
    kn_run r = knead(w, "init", NULL);
    ok(&r);
    kt_run_free(&r);
    assert_int_equal(knead_id(knead(w, "person", "add", "--name", "Maya", "--born", "1988", "--tz",
                                    "UTC", NULL)),
                     1);
    assert_int_equal(knead_id(knead(w, "therapist", "add", "--name", "Dana Reyes", NULL)), 1);
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

/* A live session with feedback on the neck, finished: its id as text in sid. */
static void finished_session(world *w, const char *at, char sid[32])
{
    char start[40], fb[40], end[40];
    snprintf(start, sizeof start, "%sT10:00Z", at);
    snprintf(fb, sizeof fb, "%sT10:20Z", at);
    snprintf(end, sizeof end, "%sT11:00Z", at);
    long long id = knead_id(
        knead(w, "session", "start", "--therapist", "1", "--pre", "6", "--at", start, NULL));
    snprintf(sid, 32, "%lld", id);
    kn_run r = knead(w, "session", "feedback", sid, "--region", "neck_back_r", "--pressure", "5",
                     "--discomfort", "8", "--at", fb, NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "session", "finish", sid, "--post", "3", "--at", end, NULL);
    ok(&r);
    kt_run_free(&r);
}

static json_t *show_json(world *w, const char *sid)
{
    kn_run r = knead(w, "session", "show", sid, "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    kt_run_free(&r);
    return v;
}

static const char *sid_now;

static kn_run sign_at(world *w)
{
    return knead(w, "session", "sign", sid_now, "--therapist", "1", "--at", "2026-01-01T00:00Z",
                 NULL);
}
static kn_run sign_nobody(world *w)
{
    return knead(w, "session", "sign", sid_now, NULL);
}
static kn_run sign_stranger(world *w)
{
    return knead(w, "session", "sign", sid_now, "--therapist", "99", NULL);
}
static kn_run amend_at(world *w)
{
    return knead(w, "session", "amend", sid_now, "--therapist", "1", "--reason", "typo", "--plan",
                 "x", "--at", "2026-01-02T00:00Z", NULL);
}

/* Item 5: a signature and an amendment take the clock's time and say who made them. */
static void test_sign_and_amend_by_clock_and_therapist(void **state)
{
    world *w = *state;
    char sid[32];
    finished_session(w, "2026-03-02", sid);
    sid_now = sid;
    refused(w, 2, "--at", sign_at);
    refused(w, 2, "--therapist", sign_nobody);
    refused(w, 1, "no such therapist", sign_stranger);
    kn_run r = knead(w, "session", "sign", sid, "--therapist", "1", NULL);
    ok(&r);
    kt_run_free(&r);
    refused(w, 2, "--at", amend_at);
    r = knead(w, "session", "amend", sid, "--therapist", "1", "--reason", "clearer plan", "--plan",
              "again in two weeks", NULL);
    ok(&r);
    kt_run_free(&r);

    json_t *show = show_json(w, sid);
    json_t *notes = json_object_get(show, "notes");
    assert_int_equal(json_array_size(notes), 2);
    json_t *first = json_array_get(notes, 0), *amendment = json_array_get(notes, 1);
    assert_int_equal(json_integer_value(json_object_get(first, "signed_by")), 1);
    assert_int_equal(json_integer_value(json_object_get(amendment, "signed_by")), 1);
    assert_int_equal(json_integer_value(json_object_get(amendment, "written_by")), 1);
    const char *signed_at = json_string_value(json_object_get(first, "signed_at"));
    const char *amended_at = json_string_value(json_object_get(amendment, "signed_at"));
    assert_non_null(signed_at);
    assert_non_null(amended_at);
    /* the clock, not the session's date: later than the finish, and in order */
    assert_true(strcmp(signed_at, "2026-03-02T11:00") > 0);
    assert_true(strcmp(amended_at, signed_at) >= 0);
    json_decref(show);

    r = knead(w, "session", "show", sid, NULL);
    ok(&r);
    char *line = strstr(r.out, "Signed ");
    assert_non_null(line);
    assert_non_null(strstr(line, "by Dana Reyes (therapist 1)"));
    assert_non_null(strstr(strstr(r.out, "Amendment 1"), "by Dana Reyes"));
    kt_run_free(&r);
}

/* Item 6: the therapist's objective is added to the generated record, never put in its place. */
static void test_objective_keeps_the_record(void **state)
{
    world *w = *state;
    char sid[32];
    finished_session(w, "2026-03-03", sid);
    kn_run r =
        knead(w, "session", "note", sid, "--objective", "taut band in the right levator", NULL);
    ok(&r);
    kt_run_free(&r);
    json_t *show = show_json(w, sid);
    const char *objective = json_string_value(
        json_object_get(json_array_get(json_object_get(show, "notes"), 0), "objective"));
    assert_non_null(objective);
    assert_non_null(strstr(objective, "taut band in the right levator"));
    assert_non_null(strstr(objective, "neck_back_r pressure 5 (discomfort 8)"));
    assert_non_null(strstr(objective, "eased off"));
    assert_non_null(strstr(objective, "Pain 6/10 before, 3/10 after"));
    json_decref(show);
}

static kn_run start_second(world *w)
{
    return knead(w, "session", "start", "--at", "2026-03-04T12:00Z", NULL);
}

/* Item 7: an open session is cancelled (kept, out of analysis); one open session a person. */
static void test_cancel_and_one_open_session(void **state)
{
    world *w = *state;
    long long open = knead_id(knead(w, "session", "start", "--at", "2026-03-04T10:00Z", NULL));
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", open);
    char says[64];
    snprintf(says, sizeof says, "session %lld is still open", open);
    refused(w, 1, says, start_second);
    kn_run r = start_second(w);
    assert_non_null(strstr(r.err, "session cancel"));
    kt_run_free(&r);
    r = knead(w, "session", "feedback", sid, "--region", "neck_back_r", "--pressure", "4", "--at",
              "2026-03-04T10:10Z", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "session", "cancel", sid, NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "Cancelled session"));
    kt_run_free(&r);
    r = knead(w, "session", "cancel", sid, NULL); /* once only */
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "cancelled"));
    kt_run_free(&r);
    json_t *show = show_json(w, sid);
    assert_string_equal(json_string_value(json_object_get(show, "state")), "cancelled");
    json_decref(show);
    /* left out of the diary and the insights */
    r = knead(w, "diary", "--json", "--from", "2026-03-04", "--to", "2026-03-04", NULL);
    ok(&r);
    json_t *diary = json_of(&r);
    kt_run_free(&r);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(diary, "summary"), "sessions")), 0);
    json_decref(diary);
    r = knead(w, "insights", "--json", NULL);
    ok(&r);
    json_t *ins = json_of(&r);
    kt_run_free(&r);
    json_t *sessions = json_object_get(json_object_get(ins, "massage"), "sessions");
    assert_true(json_is_array(sessions));
    assert_int_equal(json_array_size(sessions), 0);
    json_decref(ins);
    /* the person can start again */
    r = start_second(w);
    ok(&r);
    kt_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sign_and_amend_by_clock_and_therapist, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_objective_keeps_the_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_and_one_open_session, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
