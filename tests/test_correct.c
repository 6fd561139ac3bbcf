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
#include <sqlite3.h>

#include "knead/store.h"

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
        fail_msg("exit %d: %s (out: %s)", r->status, r->err, r->out);
}

/* Runs a command that must succeed and returns the number it prints first. */
static long long knead_id(kn_run r)
{
    ok(&r);
    long long id = strtoll(r.out + strcspn(r.out, "0123456789"), NULL, 10);
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
    long long id = knead_id(knead(w, "session", "start", "--person", "1", "--therapist", "1",
                                  "--pre", "6", "--at", start, NULL));
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
    assert_non_null(strstr(objective, "Back of neck (right) pressure 5 (discomfort 8)"));
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

/* The pain entries of the diary of person as JSON (an array of the days' entries). */
static json_t *diary_pain(world *w, const char *person)
{
    kn_run r = knead(w, "diary", "--person", person, "--json", NULL);
    ok(&r);
    json_t *d = json_of(&r);
    kt_run_free(&r);
    json_t *all = json_array();
    json_t *days = json_object_get(d, "days");
    for (size_t i = 0; i < json_array_size(days); i++)
        json_array_extend(all, json_object_get(json_array_get(days, i), "pain"));
    json_decref(d);
    return all;
}

static kn_run log_again(world *w)
{
    return knead(w, "log", "--region", "neck_back_r", "--intensity", "7", "--at",
                 "2026-11-30T09:00Z", NULL);
}

/* Item 4: logging the same instant and region again says so, and changes only with
 * --replace. */
static void test_log_repeat_needs_replace(void **state)
{
    world *w = *state;
    kn_run r = knead(w, "log", "--region", "neck_back_r", "--intensity", "6", "--at",
                     "2026-11-30T09:00Z", NULL);
    ok(&r);
    kt_run_free(&r);
    refused(w, 1,
            "an entry for back of neck, right at 2026-11-30 09:00 is already there (6/10): use "
            "--replace to change it, or knead edit pain 1",
            log_again);
    r = knead(w, "log", "--region", "neck_back_r", "--intensity", "7", "--at", "2026-11-30T09:00Z",
              "--replace", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "Replaced 1 pain entry"));
    kt_run_free(&r);
    json_t *pain = diary_pain(w, "1");
    assert_int_equal(json_array_size(pain), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(pain, 0), "id")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(pain, 0), "intensity")), 7);
    json_decref(pain);
}

static kn_run edit_other(world *w)
{
    return knead(w, "edit", "pain", "2", "--person", "1", "--intensity", "1", NULL);
}
static kn_run delete_other(world *w)
{
    return knead(w, "delete", "pain", "2", "--person", "1", NULL);
}
static kn_run delete_missing_checkin(world *w)
{
    return knead(w, "delete", "checkin", "2026-11-29", "--person", "1", NULL);
}
static kn_run delete_other_session(world *w)
{
    return knead(w, "delete", "session", "2", "--person", "1", NULL);
}

/* Item 1: a pain entry, check-in or session is changed or deleted only through its own
 * person, with one sentence saying what was done; diary shows the ids. */
static void test_edit_and_delete_own_records(void **state)
{
    world *w = *state;
    assert_int_equal(knead_id(knead(w, "person", "add", "--name", "Ben", "--tz", "UTC", NULL)), 2);
    kn_run r = knead(w, "log", "--person", "1", "--region", "neck_back_r", "--intensity", "6",
                     "--quality", "aching", "--at", "2026-11-30T09:00Z", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "log", "--person", "2", "--region", "calf_l", "--intensity", "5", "--at",
              "2026-11-30T09:00Z", NULL);
    ok(&r);
    kt_run_free(&r);
    refused(w, 1, "no pain entry 2 for this person", edit_other);
    refused(w, 1, "no pain entry 2 for this person", delete_other);

    r = knead(w, "diary", "--person", "1", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "[pain 1]"));
    kt_run_free(&r);
    r = knead(w, "edit", "pain", "1", "--person", "1", "--intensity", "3", "--region",
              "neck_back_l", NULL);
    ok(&r);
    assert_string_equal(r.out, "Changed pain entry 1: now back of neck, left, 3/10 on 2026-11-30 "
                               "(was back of neck, right, 6/10 on 2026-11-30).\n");
    kt_run_free(&r);
    json_t *pain = diary_pain(w, "1");
    json_t *e = json_array_get(pain, 0);
    assert_int_equal(json_integer_value(json_object_get(e, "intensity")), 3);
    assert_string_equal(json_string_value(json_object_get(e, "region")), "neck_back_l");
    assert_string_equal(json_string_value(json_array_get(json_object_get(e, "qualities"), 0)),
                        "aching");
    json_decref(pain);
    r = knead(w, "delete", "pain", "1", "--person", "1", NULL);
    ok(&r);
    assert_string_equal(r.out, "Deleted pain entry 1 (back of neck, left, 3/10 on 2026-11-30).\n");
    kt_run_free(&r);
    pain = diary_pain(w, "1");
    assert_int_equal(json_array_size(pain), 0);
    json_decref(pain);
    pain = diary_pain(w, "2"); /* Ben's entry untouched */
    assert_int_equal(json_array_size(pain), 1);
    json_decref(pain);

    /* check-ins by date */
    r = knead(w, "checkin", "--person", "1", "--date", "2026-11-30", "--stress", "4", "--tag",
              "work", "--treatment", "ibuprofen:400mg", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "edit", "checkin", "2026-11-30", "--person", "1", "--stress", "6", NULL);
    ok(&r);
    assert_string_equal(r.out, "Changed the check-in of 2026-11-30.\n");
    kt_run_free(&r);
    r = knead(w, "diary", "--person", "1", "--json", NULL);
    ok(&r);
    json_t *d = json_of(&r);
    kt_run_free(&r);
    json_t *c = json_object_get(json_array_get(json_object_get(d, "days"), 0), "checkin");
    assert_int_equal(json_integer_value(json_object_get(c, "stress")), 6);
    assert_int_equal(json_array_size(json_object_get(c, "tags")), 1);
    json_decref(d);
    refused(w, 1, "no check-in on 2026-11-29 for this person", delete_missing_checkin);
    r = knead(w, "delete", "checkin", "2026-11-30", "--person", "2", NULL); /* Ben has none */
    assert_int_equal(r.status, 1);
    kt_run_free(&r);
    r = knead(w, "delete", "checkin", "2026-11-30", "--person", "1", NULL);
    ok(&r);
    assert_string_equal(r.out,
                        "Deleted the check-in of 2026-11-30 (with its 1 tag and 1 treatment).\n");
    kt_run_free(&r);

    /* sessions by id; Ben's is not Maya's; a signed one is amended, never edited or deleted */
    assert_int_equal(
        knead_id(knead(w, "session", "add", "--person", "1", "--minutes", "45", "--therapist",
                       "Dana Reyes", "--work", "neck_back_r:5", "--at", "2026-11-29T10:00Z", NULL)),
        1);
    assert_int_equal(
        knead_id(knead(w, "session", "add", "--person", "2", "--minutes", "30", "--therapist",
                       "dana reyes", "--work", "calf_l:4", "--at", "2026-11-29T10:00Z", NULL)),
        2);
    refused(w, 1, "no session 2 for this person", delete_other_session);
    r = knead(w, "edit", "session", "1", "--person", "1", "--minutes", "50", "--post", "2", NULL);
    ok(&r);
    assert_string_equal(r.out, "Changed session 1: now 2026-11-29, 50 min with Dana Reyes (was "
                               "2026-11-29, 45 min with Dana Reyes).\n");
    kt_run_free(&r);
    r = knead(w, "diary", "--person", "1", "--json", NULL);
    ok(&r);
    d = json_of(&r);
    kt_run_free(&r);
    json_t *ses = json_array_get(
        json_object_get(json_array_get(json_object_get(d, "days"), 0), "sessions"), 0);
    assert_int_equal(json_integer_value(json_object_get(ses, "minutes")), 50);
    assert_int_equal(json_integer_value(json_object_get(ses, "post_pain")), 2);
    assert_int_equal(json_array_size(json_object_get(ses, "work")), 1);
    json_decref(d);
    r = knead(w, "delete", "session", "1", "--person", "1", NULL);
    ok(&r);
    assert_string_equal(r.out, "Deleted session 1 (2026-11-29, 50 min with Dana Reyes).\n");
    kt_run_free(&r);

    char sid[32];
    finished_session(w, "2026-11-28", sid);
    r = knead(w, "session", "sign", sid, "--therapist", "1", NULL);
    ok(&r);
    kt_run_free(&r);
    const char *const verbs[][6] = {{"edit", "session", sid, "--person", "1", "--minutes"},
                                    {"delete", "session", sid, "--person", "1", NULL}};
    for (size_t i = 0; i < 2; i++) {
        uint64_t before = kt_file_digest(w->db);
        const char *argv[12] = {"--db", w->db};
        size_t n = 2;
        for (size_t k = 0; k < 6 && verbs[i][k]; k++)
            argv[n++] = verbs[i][k];
        if (i == 0)
            argv[n++] = "20";
        argv[n] = NULL;
        r = kt_knead(w->dir, NULL, argv);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "is signed"));
        assert_non_null(strstr(r.err, "amend"));
        assert_true(kt_file_digest(w->db) == before);
        kt_run_free(&r);
    }
}

static kn_run log_before_birth(world *w)
{
    return knead(w, "log", "--region", "neck_back_r", "--intensity", "6", "--at",
                 "1987-06-01T09:00Z", NULL);
}
static kn_run log_future(world *w)
{
    return knead(w, "log", "--region", "neck_back_r", "--intensity", "6", "--at",
                 "2099-06-01T09:00Z", NULL);
}
static kn_run checkin_future(world *w)
{
    return knead(w, "checkin", "--date", "2099-01-01", "--stress", "3", NULL);
}
static kn_run checkin_before_birth(world *w)
{
    return knead(w, "checkin", "--date", "1900-01-01", "--stress", "3", NULL);
}
static kn_run session_before_birth(world *w)
{
    return knead(w, "session", "add", "--minutes", "30", "--therapist", "1", "--work",
                 "neck_back_r:4", "--at", "1970-01-01T10:00Z", NULL);
}
static kn_run start_future(world *w)
{
    return knead(w, "session", "start", "--at", "2099-01-01T10:00Z", NULL);
}
static char *csv_path;
static kn_run import_before_birth(world *w)
{
    return knead(w, "import", csv_path, NULL);
}

/* Item 8: dates before the person's birth year or more than a day ahead are refused, naming
 * the field, in every way a record is made. */
static void test_implausible_dates(void **state)
{
    world *w = *state;
    refused(w, 2, "--at 1987-06-01T09:00:00+00:00: before the person's birth year (1988)",
            log_before_birth);
    refused(w, 2, "--at 2099-06-01T09:00:00+00:00: more than a day in the future", log_future);
    refused(w, 2, "--date 2099-01-01: more than a day in the future", checkin_future);
    refused(w, 2, "--date 1900-01-01: before the person's birth year", checkin_before_birth);
    refused(w, 2, "--at 1970-01-01T10:00:00+00:00: before the person's birth year",
            session_before_birth);
    refused(w, 2, "--at 2099-01-01T10:00:00+00:00: more than a day in the future", start_future);
    long long sid = knead_id(knead(w, "session", "start", "--at", "2026-03-01T10:00Z", NULL));
    char id[32];
    snprintf(id, sizeof id, "%lld", sid);
    kn_run r = knead(w, "session", "feedback", id, "--region", "neck_back_r", "--pressure", "3",
                     "--at", "2099-01-01T10:00Z", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "more than a day in the future"));
    kt_run_free(&r);
    csv_path = kt_path(w->dir, "old.csv");
    kt_write_file(csv_path, "at,region,intensity,qualities,note\n"
                            "2026-03-01T08:00:00Z,neck_back_r,5,,\n"
                            "1980-03-01T08:00:00Z,neck_back_r,5,,\n");
    refused(w, 1, "old.csv:3: at 1980-03-01T08:00:00+00:00: before the person's birth year",
            import_before_birth);
    free(csv_path);
    /* today is fine */
    r = knead(w, "log", "--region", "neck_back_r", "--intensity", "6", NULL);
    ok(&r);
    kt_run_free(&r);
}

static int64_t count_sql(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static kn_run erase_without_yes(world *w)
{
    return knead(w, "person", "delete", "1", NULL);
}

/* A person with a little of everything: diary, check-in with tag and treatment, a recorded
 * and a signed live session with an amendment, an intake, a screening and a plan. */
static void fill_person(world *w, const char *person, const char *day)
{
    char at[40];
    snprintf(at, sizeof at, "%sT08:00Z", day);
    kn_run r = knead(w, "log", "--person", person, "--region", "neck_back_r,temple_r",
                     "--intensity", "6", "--at", at, NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "checkin", "--person", person, "--date", day, "--stress", "5", "--tag", "work",
              "--treatment", "ibuprofen:400mg", NULL);
    ok(&r);
    kt_run_free(&r);
    snprintf(at, sizeof at, "%sT07:00Z", day);
    r = knead(w, "session", "add", "--person", person, "--minutes", "30", "--therapist", "1",
              "--work", "neck_back_r:4", "--technique", "effleurage", "--at", at, NULL);
    ok(&r);
    kt_run_free(&r);
    char *answers = kt_path(w->dir, "intake.json");
    kt_write_file(answers, "{\"goals\": \"sleep\", \"pressure\": 6, \"pain_since\": "
                           "{\"neck_back_r\": \"2 years\", \"jaw_r\": \"2024-03-15\"}}");
    r = knead(w, "intake", "--person", person, "--answers", answers, NULL);
    ok(&r);
    kt_run_free(&r);
    free(answers);
    r = knead(w, "screen", "--person", person, "--no", "night_pain", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "screen", "--person", person, "--yes", "cancer", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "clearance", "add", "--person", person, "--question", "cancer", "--by", "Dr Ito",
              NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "plan", "--person", person, "--minutes", "30", "--save", NULL);
    ok(&r);
    kt_run_free(&r);
}

/* Item 2: erasing a person leaves nothing of theirs and everything of everyone else. */
static void test_person_delete_erases_everything(void **state)
{
    world *w = *state;
    assert_int_equal(knead_id(knead(w, "person", "add", "--name", "Ben", "--tz", "UTC", NULL)), 2);
    char day[KN_DATE_LEN];
    kn_date_format(kn_today("UTC") - 1, day); /* the plan looks at the last 30 days */
    fill_person(w, "1", day);
    char sid[32];
    finished_session(w, "2026-03-06", sid); /* Maya's (the session's person is --person 1) */
    kn_run r = knead(w, "session", "sign", sid, "--therapist", "1", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "session", "amend", sid, "--therapist", "1", "--reason", "r", "--plan", "p", NULL);
    ok(&r);
    kt_run_free(&r);
    fill_person(w, "2", day);

    kn_store *st;
    kn_err err = {0};
    assert_int_equal(kn_store_open(w->db, KN_STORE_READ, &st, &err), KN_OK);
    kn_footprint maya, ben;
    assert_int_equal(kn_store_person_footprint(st, 1, &maya), KN_OK);
    assert_int_equal(kn_store_person_footprint(st, 2, &ben), KN_OK);
    kn_store_close(st);
    assert_int_equal(maya.pain, 2);
    assert_int_equal(maya.sessions, 2);
    assert_int_equal(maya.notes, 2);
    assert_true(maya.events >= 1 && maya.intakes == 1 && maya.plans == 1);
    assert_true(maya.screenings == 2 && maya.clearances == 1); /* the two screens' */

    refused(w, 2,
            "2 pain entries, 1 check-in, 2 sessions, 1 feedback event, 2 note versions, 1 intake "
            "version",
            erase_without_yes);
    r = knead(w, "person", "delete", "1", "--yes", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "Erased Maya (person 1)"));
    kt_run_free(&r);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(w->db, &db), SQLITE_OK);
    static const char *const none_left[] = {
        "SELECT count(*) FROM person WHERE id = 1",
        "SELECT count(*) FROM pain WHERE person_id = 1",
        "SELECT count(*) FROM checkin WHERE person_id = 1",
        "SELECT count(*) FROM checkin_tag WHERE person_id = 1",
        "SELECT count(*) FROM checkin_treatment WHERE person_id = 1",
        "SELECT count(*) FROM session WHERE person_id = 1",
        "SELECT count(*) FROM intake WHERE person_id = 1",
        "SELECT count(*) FROM screening WHERE person_id = 1",
        "SELECT count(*) FROM clearance WHERE person_id = 1",
        "SELECT count(*) FROM plan WHERE person_id = 1",
        "SELECT count(*) FROM plan_block WHERE plan_id NOT IN (SELECT id FROM plan)",
        "SELECT count(*) FROM session_work WHERE session_id NOT IN (SELECT id FROM session)",
        "SELECT count(*) FROM session_technique WHERE session_id NOT IN (SELECT id FROM session)",
        "SELECT count(*) FROM session_event WHERE session_id NOT IN (SELECT id FROM session)",
        "SELECT count(*) FROM session_note WHERE session_id NOT IN (SELECT id FROM session)",
        "SELECT count(*) FROM live_session WHERE session_id NOT IN (SELECT id FROM session)",
    };
    for (size_t i = 0; i < sizeof none_left / sizeof none_left[0]; i++)
        if (count_sql(db, none_left[i]) != 0)
            fail_msg("left behind: %s", none_left[i]);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM therapist"), 1); /* not the person's */
    sqlite3_close(db);
    assert_int_equal(kn_store_open(w->db, KN_STORE_READ, &st, &err), KN_OK);
    kn_footprint after;
    assert_int_equal(kn_store_person_footprint(st, 2, &after), KN_OK);
    kn_store_close(st);
    assert_memory_equal(&after, &ben, sizeof ben);
    assert_true(ben.pain == 2 && ben.checkins == 1 && ben.sessions == 1 && ben.plans == 1);
}

static char *import_path;
static kn_run import_into_full(world *w)
{
    return knead(w, "import", import_path, NULL);
}

/* Item 3: the full export of a person reads back into an empty database unchanged: exported
 * again, the file is byte for byte the same, and so is the diary. */
static void test_full_export_round_trip(void **state)
{
    world *w = *state;
    assert_int_equal(knead_id(knead(w, "person", "add", "--name", "Ben", "--tz", "UTC", NULL)), 2);
    char day[KN_DATE_LEN];
    kn_date_format(kn_today("UTC") - 1, day);
    fill_person(w, "1", day);
    fill_person(w, "2", day);
    char sid[32];
    finished_session(w, "2026-03-06", sid);
    kn_run r = knead(w, "session", "sign", sid, "--therapist", "1", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "session", "amend", sid, "--therapist", "1", "--reason", "r", "--plan", "p", NULL);
    ok(&r);
    kt_run_free(&r);
    long long open =
        knead_id(knead(w, "session", "start", "--person", "1", "--at", "2026-03-07T10:00Z", NULL));
    char oid[32];
    snprintf(oid, sizeof oid, "%lld", open);
    r = knead(w, "session", "cancel", oid, NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "checkin", "--person", "1", "--date", "2026-03-07", "--sleep-hours", "6.5",
              "--note", "a \"quoted\"\nline", NULL);
    ok(&r);
    kt_run_free(&r);

    char *first = kt_path(w->dir, "first.json"), *second = kt_path(w->dir, "second.json");
    r = knead(w, "export", "--person", "1", "--all", "-o", first, NULL);
    ok(&r);
    kt_run_free(&r);
    world fresh = {.dir = w->dir, .db = kt_path(w->dir, "fresh.db")};
    /* a pain entry dated before the person's birth year is refused, naming it, and nothing
     * of the document is written */
    char *text = kt_read_file(first);
    char *at = strstr(strstr(text, "\"table\": \"pain\""), "\"at_utc\": ");
    assert_non_null(at);
    at += strlen("\"at_utc\": ");
    char *end = strchr(at, ',');
    char *tampered = malloc(strlen(text) + 16);
    assert_non_null(tampered);
    snprintf(tampered, strlen(text) + 16, "%.*s315532800%s", (int)(at - text), text, end);
    char *bad = kt_path(w->dir, "bad.json");
    kt_write_file(bad, tampered);
    r = knead(&fresh, "import", bad, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "tables.pain.rows[0].at_utc 1980-01-01"));
    assert_non_null(strstr(r.err, "before the person's birth year (1988)"));
    kt_run_free(&r);
    free(bad);
    free(tampered);
    free(text);
    r = knead(&fresh, "import", first, NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "person 1"));
    kt_run_free(&r);
    r = knead(&fresh, "export", "--all", "-o", second, NULL);
    ok(&r);
    kt_run_free(&r);
    char *a = kt_read_file(first), *b = kt_read_file(second);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    /* everything is there: the diary, the signed note versions, the cancelled session */
    assert_non_null(strstr(a, "\"table\": \"session_note\""));
    assert_non_null(strstr(a, "\"table\": \"intake_onset\""));
    assert_non_null(strstr(a, "\"state\": \"cancelled\""));
    assert_non_null(strstr(a, "\"signed_by\": 1"));
    assert_non_null(strstr(a, "\"tag\": \"work\""));
    assert_non_null(strstr(a, "\"name\": \"Dana Reyes\""));
    assert_null(strstr(a, "\"name\": \"Ben\"")); /* only the person exported */
    free(a);
    free(b);
    kn_run d1 = knead(w, "diary", "--person", "1", "--json", NULL);
    kn_run d2 = knead(&fresh, "diary", "--json", NULL);
    ok(&d1);
    ok(&d2);
    assert_string_equal(d1.out, d2.out);
    kt_run_free(&d1);
    kt_run_free(&d2);
    /* the intake's onsets came back: the chronic statuses are the same */
    kn_run i1 = knead(w, "insights", "--person", "1", "--json", NULL);
    kn_run i2 = knead(&fresh, "insights", "--json", NULL);
    ok(&i1);
    ok(&i2);
    assert_non_null(strstr(i1.out, "\"basis\": \"intake\""));
    assert_string_equal(i1.out, i2.out);
    kt_run_free(&i1);
    kt_run_free(&i2);
    kn_run s1 = knead(w, "session", "show", sid, "--json", NULL);
    kn_run s2 = knead(&fresh, "session", "show", sid, "--json", NULL);
    ok(&s2);
    assert_string_equal(s1.out, s2.out);
    kt_run_free(&s1);
    kt_run_free(&s2);

    /* into a database that holds a person: refused, nothing written */
    import_path = first;
    refused(w, 1, "empty database", import_into_full);
    /* the old exports still work */
    r = knead(w, "export", "--person", "1", "--kind", "pain", "--format", "json", NULL);
    ok(&r);
    assert_true(r.out[0] == '[');
    kt_run_free(&r);
    free(fresh.db);
    free(first);
    free(second);
}

/* Bad input to the new commands: a usage error (exit 2) or a failure (exit 1) that names the
 * problem, and the database byte for byte unchanged. */
static void test_bad_input_changes_nothing(void **state)
{
    world *w = *state;
    kn_run r = knead(w, "log", "--region", "neck_back_r", "--intensity", "6", "--at",
                     "2026-11-30T09:00Z", NULL);
    ok(&r);
    kt_run_free(&r);
    static const struct {
        const char *args[8];
        int status;
        const char *says;
    } bad[] = {
        {{"edit"}, 2, "say pain ID"},
        {{"edit", "pain"}, 2, "give one pain entry id"},
        {{"edit", "pain", "x", "--intensity", "3"}, 2, "pain entry"},
        {{"edit", "pain", "1"}, 2, "give --intensity"},
        {{"edit", "pain", "1", "--intensity", "11"}, 2, "--intensity"},
        {{"edit", "pain", "1", "--region", "elbow"}, 2, "--region"},
        {{"edit", "pain", "9", "--intensity", "3"}, 1, "no pain entry 9 for this person"},
        {{"delete", "pain", "1", "--intensity", "3"}, 2, "--intensity"},
        {{"edit", "checkin", "2026-13-01", "--stress", "3"}, 2, "date"},
        {{"edit", "checkin", "2026-11-30", "--stress", "3"}, 1, "no check-in on 2026-11-30"},
        {{"edit", "session", "1", "--minutes", "5"}, 1, "no session 1 for this person"},
        {{"edit", "session", "1"}, 2, "give a field"},
        {{"person", "delete"}, 2, "give one person id"},
        {{"person", "delete", "7", "--yes"}, 1, "no such person"},
        {{"session", "cancel"}, 2, "give one session id"},
        {{"session", "cancel", "5"}, 1, "no such session"},
        {{"export", "--all", "--kind", "pain"}, 2, "--all"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t before = kt_file_digest(w->db);
        const char *argv[12] = {"--db", w->db};
        size_t n = 2;
        for (size_t k = 0; k < 8 && bad[i].args[k]; k++)
            argv[n++] = bad[i].args[k];
        argv[n] = NULL;
        r = kt_knead(w->dir, NULL, argv);
        if (r.status != bad[i].status || !strstr(r.err, bad[i].says))
            fail_msg("case %zu: want exit %d saying '%s'; got exit %d: %s", i, bad[i].status,
                     bad[i].says, r.status, r.err);
        assert_true(kt_file_digest(w->db) == before);
        kt_run_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sign_and_amend_by_clock_and_therapist, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_objective_keeps_the_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_and_one_open_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_repeat_needs_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit_and_delete_own_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_implausible_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_delete_erases_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_export_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_changes_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
