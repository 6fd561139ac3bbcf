/* Tests of the care workflow (src/care/, src/report/brief.c, the therapist, intake, plan,
 * brief and live session commands): the whole loop end to end through the real binary
 * (intake -> brief -> plan -> a live session with an ease-off warning and a refused
 * over-cap pressure -> finish -> sign -> a refused edit -> an amendment -> the next plan
 * uses the learned pressure), a refer verdict refusing plans, and properties of the plan
 * maker on many random maps (avoid zones never worked, minutes always adding up). */
#include "harness.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "knead/care.h"

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

static json_t *json_of(kn_run *r)
{
    json_error_t jerr;
    json_t *v = json_loads(r->out, 0, &jerr);
    if (!v)
        fail_msg("not JSON (%s): %s", jerr.text, r->out);
    return v;
}

/* A person with 20 days of neck, temple and shoulder pain ending today (UTC). */
static void make_world(world *w)
{
    w->dir = kt_tmpdir();
    w->db = kt_path(w->dir, "k.db");
    kn_run r = knead(w, "init", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(w, "person", "add", "--name", "Maya", "--tz", "UTC", NULL);
    ok(&r);
    kt_run_free(&r);
    char csv[8192] = "at,region,intensity,qualities,note\n";
    kn_day today = kn_today("UTC");
    for (int i = 0; i < 20; i++) {
        char date[KN_DATE_LEN], row[256];
        kn_date_format(today - 19 + i, date);
        snprintf(row, sizeof row,
                 "%sT08:00:00Z,neck_back_r,%d,aching,\n%sT12:00:00Z,temple_r,%d,throbbing,\n"
                 "%sT18:00:00Z,shoulder_top_r,4,stiffness,\n",
                 date, 5 + i % 3, date, 3 + i % 4, date);
        strcat(csv, row);
    }
    char *path = kt_path(w->dir, "pain.csv");
    kt_write_file(path, csv);
    r = knead(w, "import", path, NULL);
    ok(&r);
    kt_run_free(&r);
    free(path);
}

static void free_world(world *w)
{
    free(w->db);
    kt_rmtree(w->dir);
}

static char *write_answers(world *w, const char *name, const char *json)
{
    char *path = kt_path(w->dir, name);
    kt_write_file(path, json);
    return path;
}

/* The plan as JSON; checks the blocks add up and keep off avoid and over the cap. */
static json_t *plan_json(world *w, int minutes, int cap, const char *avoid)
{
    char m[16];
    snprintf(m, sizeof m, "%d", minutes);
    kn_run r = knead(w, "plan", "--minutes", m, "--save", "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    kt_run_free(&r);
    assert_non_null(json_object_get(v, "gate")); /* the gate comes with every plan */
    int sum = 0;
    size_t i, k;
    json_t *b, *reg;
    json_array_foreach(json_object_get(v, "blocks"), i, b)
    {
        sum += (int)json_integer_value(json_object_get(b, "minutes"));
        assert_true(json_integer_value(json_object_get(b, "pressure")) <= cap);
        assert_true(strlen(json_string_value(json_object_get(b, "why"))) > 10);
        json_array_foreach(json_object_get(b, "regions"), k, reg)
        {
            assert_string_not_equal(json_string_value(reg), avoid);
        }
    }
    assert_int_equal(sum, minutes);
    return v;
}

/* The lowest pressure of a focus block that works region, or 0 when none does. */
static int pressure_on(json_t *plan, const char *region, const char **why)
{
    size_t i, k;
    json_t *b, *reg;
    int found = 0;
    json_array_foreach(json_object_get(plan, "blocks"), i, b)
    {
        if (strcmp(json_string_value(json_object_get(b, "kind")), "focus") != 0)
            continue;
        json_array_foreach(json_object_get(b, "regions"), k, reg)
        {
            if (strcmp(json_string_value(reg), region) != 0)
                continue;
            int p = (int)json_integer_value(json_object_get(b, "pressure"));
            if (!found || p < found) {
                found = p;
                *why = json_string_value(json_object_get(b, "why"));
            }
        }
    }
    return found;
}

static void test_whole_loop(void **state)
{
    (void)state;
    world w;
    make_world(&w);
    /* intake: warfarin means blood thinners: caution with a pressure cap of 4 */
    char *answers = write_answers(
        &w, "intake.json",
        "{\"goals\": \"turn my head when driving\", \"medications\": [\"Warfarin 5 mg\"],"
        " \"conditions\": [\"tension headache\"], \"avoid_regions\": [\"shoulder_top_l\"],"
        " \"pressure\": 7, \"pregnant\": false, \"clots\": false,"
        " \"notes\": \"the right side is the worst\"}");
    kn_run r = knead(&w, "intake", "--answers", answers, NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "version 1"));
    assert_non_null(strstr(r.out, "caution"));
    kt_run_free(&r);
    r = knead(&w, "intake", "--answers", answers, NULL); /* the same answers: no new version */
    ok(&r);
    assert_non_null(strstr(r.out, "unchanged"));
    kt_run_free(&r);
    r = knead(&w, "intake", "--answers", answers, "--json", NULL);
    ok(&r);
    json_t *rec = json_of(&r);
    kt_run_free(&r);
    assert_int_equal(json_integer_value(json_object_get(rec, "version")), 1);
    assert_true(json_is_false(json_object_get(rec, "changed")));
    assert_true(json_is_null(json_object_get(rec, "verdict")));
    json_decref(rec);

    /* brief: the verdict before anything else */
    r = knead(&w, "brief", NULL);
    ok(&r);
    assert_true(strncmp(r.out, "Screening verdict: CAUTION", 26) == 0);
    assert_non_null(strstr(r.out, "Avoid: Top of shoulder (left)"));
    assert_non_null(strstr(r.out, "Pressure cap: 4"));
    assert_non_null(strstr(r.out, "turn my head when driving"));
    assert_non_null(strstr(r.out, "Warfarin 5 mg"));
    assert_non_null(strstr(r.out, "Back of neck"));
    kt_run_free(&r);
    r = knead(&w, "brief", "--format", "markdown", NULL);
    ok(&r);
    assert_true(strncmp(r.out, "**Screening verdict: CAUTION.**", 31) == 0);
    kt_run_free(&r);
    /* --json is --format json; with another --format it is a usage error */
    r = knead(&w, "brief", "--format", "json", NULL);
    ok(&r);
    kn_run rj = knead(&w, "brief", "--json", NULL);
    ok(&rj);
    assert_string_equal(rj.out, r.out);
    kt_run_free(&rj);
    kt_run_free(&r);
    r = knead(&w, "brief", "--json", "--format", "text", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--json"));
    kt_run_free(&r);

    /* plan, then a live session against it */
    json_t *plan = plan_json(&w, 60, 4, "shoulder_top_l");
    const char *why = NULL;
    assert_int_equal(pressure_on(plan, "neck_back_r", &why), 4); /* preference 7, cap 4 */
    char plan_id[32];
    snprintf(plan_id, sizeof plan_id, "%lld",
             (long long)json_integer_value(json_object_get(plan, "id")));
    size_t nblocks = json_array_size(json_object_get(plan, "blocks"));
    json_decref(plan);
    r = knead(&w, "plan", "--show", plan_id, "--json", NULL); /* stored, read back whole */
    ok(&r);
    plan = json_of(&r);
    kt_run_free(&r);
    assert_int_equal(json_array_size(json_object_get(plan, "blocks")), nblocks);
    assert_int_equal(pressure_on(plan, "neck_back_r", &why), 4);
    json_decref(plan);
    r = knead(&w, "session", "start", "--plan", plan_id, "--pre", "6", NULL);
    ok(&r);
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", strtoll(r.out + strcspn(r.out, "0123456789"), NULL, 10));
    kt_run_free(&r);
    r = knead(&w, "session", "feedback", sid, "--region", "neck_back_r", "--pressure", "4",
              "--discomfort", "9", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "EASE OFF"));
    kt_run_free(&r);
    r = knead(&w, "session", "feedback", sid, "--region", "neck_back_r", "--pressure", "6", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "cap of 4"));
    kt_run_free(&r);
    r = knead(&w, "session", "feedback", sid, "--region", "shoulder_top_l", "--pressure", "2",
              NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "avoid zone"));
    kt_run_free(&r);
    r = knead(&w, "session", "feedback", sid, "--region", "neck_back_r", "--pressure", "2",
              "--discomfort", "3", "--guarding", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(&w, "session", "finish", sid, "--post", "3", "--subjective", "neck 6/10",
              "--assessment", "tolerates 2 on the neck", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(&w, "session", "feedback", sid, "--region", "neck_back_r", "--pressure", "2",
              NULL); /* finished: no more feedback */
    assert_int_equal(r.status, 1);
    kt_run_free(&r);
    r = knead(&w, "therapist", "add", "--name", "Dana", NULL);
    ok(&r);
    char tid[32];
    snprintf(tid, sizeof tid, "%lld", strtoll(r.out + strcspn(r.out, "0123456789"), NULL, 10));
    kt_run_free(&r);
    r = knead(&w, "session", "sign", sid, "--therapist", tid, NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(&w, "session", "note", sid, "--assessment", "rewritten", NULL);
    assert_int_equal(r.status, 1); /* signed: locked */
    assert_non_null(strstr(r.err, "amend"));
    kt_run_free(&r);
    r = knead(&w, "session", "amend", sid, "--therapist", tid, "--assessment",
              "tolerates 2; 4 was too much", NULL);
    assert_int_equal(r.status, 2); /* an amendment needs its reason */
    assert_non_null(strstr(r.err, "--reason"));
    kt_run_free(&r);
    r = knead(&w, "session", "amend", sid, "--therapist", tid, "--reason", "clearer assessment",
              "--assessment", "tolerates 2; 4 was too much", NULL);
    ok(&r);
    kt_run_free(&r);

    /* show: the timeline, the original note and the amendment */
    r = knead(&w, "session", "show", sid, "--json", NULL);
    ok(&r);
    json_t *show = json_of(&r);
    kt_run_free(&r);
    assert_string_equal(json_string_value(json_object_get(show, "state")), "signed");
    json_t *events = json_object_get(show, "events");
    assert_int_equal(json_array_size(events), 2); /* refused feedback is not recorded */
    assert_true(json_is_true(json_object_get(json_array_get(events, 0), "ease_off")));
    json_t *notes = json_object_get(show, "notes");
    assert_int_equal(json_array_size(notes), 2);
    json_t *original = json_array_get(notes, 0), *amended = json_array_get(notes, 1);
    assert_string_equal(json_string_value(json_object_get(original, "assessment")),
                        "tolerates 2 on the neck");
    assert_non_null(strstr(json_string_value(json_object_get(original, "objective")),
                           "Back of neck (right) pressure 4 (discomfort 9), 2 (discomfort 3)"));
    assert_non_null(strstr(json_string_value(json_object_get(original, "objective")), "guarding"));
    assert_string_equal(json_string_value(json_object_get(amended, "reason")),
                        "clearer assessment");
    assert_string_equal(json_string_value(json_object_get(amended, "subjective")), "neck 6/10");
    json_t *work = json_object_get(json_object_get(show, "session"), "work");
    assert_int_equal(json_array_size(work), 2);
    assert_non_null(json_object_get(show, "plan"));
    json_decref(show);

    /* the session feeds the insights like any other */
    r = knead(&w, "insights", "--json", NULL);
    ok(&r);
    json_t *ins = json_of(&r);
    kt_run_free(&r);
    json_t *sessions = json_object_get(json_object_get(ins, "massage"), "sessions");
    assert_int_equal(json_array_size(sessions), 1);
    assert_int_equal(
        (int)json_number_value(json_object_get(json_array_get(sessions, 0), "immediate")), -3);
    json_decref(ins);

    /* the next plan uses what the feedback showed: 4 was too much on the neck, so one step
     * less, not the preferred 7 */
    plan = plan_json(&w, 45, 4, "shoulder_top_l");
    why = NULL;
    assert_int_equal(pressure_on(plan, "neck_back_r", &why), 3);
    assert_non_null(strstr(why, "4 was too much last time (discomfort 9 on "));
    json_decref(plan);

    /* a changed answer makes version 2; the brief shows it */
    char *changed = write_answers(
        &w, "intake2.json",
        "{\"goals\": \"turn my head when driving\", \"medications\": [\"Warfarin 5 mg\"],"
        " \"avoid_regions\": [\"shoulder_top_l\"], \"pressure\": 5}");
    r = knead(&w, "intake", "--answers", changed, NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "version 2"));
    kt_run_free(&r);
    free(changed);
    free(answers);
    free_world(&w);
}

/* Regression: the brief cut lines at 2048 bytes, so a long intake note lost its end. */
static void test_brief_keeps_long_notes(void **state)
{
    (void)state;
    world w;
    make_world(&w);
    char doc[4200] = "{\"notes\": \"";
    size_t len = strlen(doc);
    for (size_t i = 0; i < 3000; i++)
        doc[len++] = (char)('a' + i % 26);
    strcpy(doc + len, "THE END\"}");
    char *path = write_answers(&w, "long.json", doc);
    kn_run r = knead(&w, "intake", "--answers", path, "--json", NULL);
    ok(&r);
    json_t *rec = json_of(&r);
    assert_true(json_is_true(json_object_get(rec, "changed")));
    /* It answers no screening question: no screening is stored, so no verdict. */
    assert_true(json_is_null(json_object_get(rec, "verdict")));
    json_decref(rec);
    kt_run_free(&r);
    r = knead(&w, "brief", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "THE END"));
    kt_run_free(&r);
    free(path);
    free_world(&w);
}

static void test_refer_refuses_plan_and_session(void **state)
{
    (void)state;
    world w;
    make_world(&w);
    kn_run r = knead(&w, "screen", "--yes", "fever", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(&w, "plan", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "no plan"));
    assert_non_null(strstr(r.err, "fever"));
    kt_run_free(&r);
    r = knead(&w, "session", "start", NULL);
    assert_int_equal(r.status, 1);
    kt_run_free(&r);
    r = knead(&w, "brief", NULL);
    ok(&r);
    assert_true(strncmp(r.out, "Screening verdict: REFER", 24) == 0);
    kt_run_free(&r);
    free_world(&w);
}

static void test_bad_input(void **state)
{
    (void)state;
    world w;
    make_world(&w);
    static const char *const bad[][2] = {
        {"{\"pressure\": 11}", "pressure"},
        {"{\"pressure\": \"deep\"}", "pressure"},
        {"{\"avoid_regions\": [\"neck_back\"]}", "avoid_regions[0]"},
        {"{\"pressure_by_region\": {\"calf_r\": 0}}", "pressure_by_region.calf_r"},
        {"{\"favourite_colour\": \"blue\"}", "favourite_colour"},
        {"{\"pregnant\": \"maybe\"}", "pregnant"},
        {"{\"screening\": {\"no_such_question\": \"yes\"}}", "no_such_question"},
        {"[1, 2]", "object"},
        {"{\"goals\": ", "not JSON"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *path = write_answers(&w, "bad.json", bad[i][0]);
        uint64_t before = kt_file_digest(w.db);
        kn_run r = knead(&w, "intake", "--answers", path, NULL);
        if (r.status != 2 || !strstr(r.err, bad[i][1]))
            fail_msg("%s: exit %d, %s", bad[i][0], r.status, r.err);
        assert_true(kt_file_digest(w.db) == before);
        kt_run_free(&r);
        free(path);
    }
    kn_run r = knead(&w, "plan", "--minutes", "5", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--minutes"));
    kt_run_free(&r);
    r = knead(&w, "session", "feedback", "99", "--region", "neck_back_r", "--pressure", "3", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "99"));
    kt_run_free(&r);
    r = knead(&w, "therapist", "add", "--name", "", NULL);
    assert_int_equal(r.status, 2);
    kt_run_free(&r);
    r = knead(&w, "brief", "--format", "pdf", NULL);
    assert_int_equal(r.status, 2);
    kt_run_free(&r);
    /* refused before anything is written */
    static const struct {
        const char *args[7];
        const char *says;
    } refused[] = {
        {{"session", "start", "--plan", "999"}, "no such plan"},
        {{"session", "start", "--therapist", "999"}, "no such therapist"},
        {{"session", "start", "--pre", "11"}, "--pre"},
        {{"therapist", "add", "--name", "Kim", "--license", ""}, "--license"},
        {{"plan", "--therapist", "999"}, "no such therapist"},
        {{"session", "sign", "1", "--therapist", "1"}, "no such session"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        uint64_t before = kt_file_digest(w.db);
        const char *argv[10] = {"--db", w.db};
        size_t n = 2;
        for (size_t k = 0; k < 7 && refused[i].args[k]; k++)
            argv[n++] = refused[i].args[k];
        argv[n] = NULL;
        r = kt_knead(w.dir, NULL, argv);
        if (r.status == 0 || !strstr(r.err, refused[i].says))
            fail_msg("case %zu: exit %d, %s", i, r.status, r.err);
        assert_true(kt_file_digest(w.db) == before);
        kt_run_free(&r);
    }
    free_world(&w);
}

static void test_therapist_match(void **state)
{
    (void)state;
    world w;
    make_world(&w);
    kn_run r = knead(&w, "therapist", "add", "--name", "Sam", "--specialty", "sciatica", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(&w, "therapist", "add", "--name", "Dana", "--license", "LMT-1", "--specialty",
              "headache", "--specialty", "trigger point therapy", "--board-certified", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(&w, "therapist", "add", "--name", "Lee", "--license", "LMT-2", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(&w, "therapist", "match", "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    kt_run_free(&r);
    json_t *m = json_object_get(v, "matches");
    assert_int_equal(json_array_size(m), 3);
    /* licensed first; among them the headache specialist; the unlicensed one last */
    json_t *first = json_object_get(json_array_get(m, 0), "therapist");
    json_t *last = json_object_get(json_array_get(m, 2), "therapist");
    assert_string_equal(json_string_value(json_object_get(first, "name")), "Dana");
    assert_string_equal(json_string_value(json_object_get(last, "name")), "Sam");
    assert_non_null(
        strstr(json_string_value(json_object_get(json_array_get(m, 0), "reasons")), "headache"));
    json_decref(v);
    free_world(&w);
}

/* Runs knead intake on a pseudo-terminal, typing one answer per prompt (a prompt ends in
 * "? " or ") "), and returns what the terminal showed. */
static char *intake_on_terminal(world *w, const char *const *answers, size_t n, int *status)
{
    int fd;
    pid_t pid = forkpty(&fd, NULL, NULL, NULL);
    assert_true(pid >= 0);
    if (pid == 0) {
        if (chdir(w->dir) != 0)
            _exit(127);
        execl(KNEAD_BIN, "knead", "--db", w->db, "intake", (char *)NULL);
        _exit(127);
    }
    size_t cap = 1 << 16, len = 0, typed = 0;
    char *seen = calloc(cap, 1);
    assert_non_null(seen);
    for (int idle = 0; idle < 50;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0) {
            idle++;
            continue;
        }
        ssize_t got = read(fd, seen + len, cap - len - 1);
        if (got <= 0)
            break;
        len += (size_t)got;
        seen[len] = 0;
        bool prompt = len >= 2 && seen[len - 1] == ' ' &&
                      (seen[len - 2] == '?' || seen[len - 2] == ')' || seen[len - 2] == ':');
        if (prompt && typed < n) {
            char line[256];
            snprintf(line, sizeof line, "%s\n", answers[typed++]);
            assert_true(write(fd, line, strlen(line)) == (ssize_t)strlen(line));
        }
    }
    close(fd);
    int ws = 0;
    waitpid(pid, &ws, 0);
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128;
    return seen;
}

static void test_intake_on_a_terminal(void **state)
{
    (void)state;
    world w;
    make_world(&w);
    /* goals, conditions, medications, injury, surgery, pregnant, clots, skin, allergies,
     * avoid (a bad id first: asked again), pressure, by region, notes, then q stops the
     * red-flag questions */
    static const char *const answers[] = {"less neck pain",
                                          "",
                                          "apixaban",
                                          "n",
                                          "n",
                                          "n",
                                          "n",
                                          "",
                                          "",
                                          "neck_front_l",
                                          "throat",
                                          "5",
                                          "neck_back_r:4",
                                          "drives a lot",
                                          "n",
                                          "q"};
    int status;
    char *seen = intake_on_terminal(&w, answers, sizeof answers / sizeof answers[0], &status);
    if (status != 0 || !strstr(seen, "version 1"))
        fail_msg("exit %d:\n%s", status, seen);
    assert_non_null(strstr(seen, "neck_front_l: not a region id"));
    assert_non_null(strstr(seen, "blood thinners or a bleeding disorder")); /* apixaban */
    assert_non_null(strstr(seen, "[1/")); /* the red-flag questions followed */
    free(seen);
    kn_run r = knead(&w, "intake", "--show", "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    kt_run_free(&r);
    assert_string_equal(json_string_value(json_object_get(v, "goals")), "less neck pain");
    assert_int_equal(json_integer_value(json_object_get(v, "pressure")), 5);
    assert_string_equal(json_string_value(json_array_get(json_object_get(v, "avoid_regions"), 0)),
                        "throat");
    assert_int_equal(json_integer_value(
                         json_object_get(json_object_get(v, "pressure_by_region"), "neck_back_r")),
                     4);
    /* every answer is shown, not only some (the shown form is the stored one) */
    assert_int_equal(json_integer_value(json_object_get(v, "version")), 1);
    assert_true(json_is_false(json_object_get(v, "clots")));
    assert_true(json_is_false(json_object_get(v, "pregnant")));
    assert_true(json_is_false(json_object_get(v, "recent_injury")));
    assert_true(json_is_array(json_object_get(v, "injury_regions")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(v, "medications"), 0)),
                        "apixaban");
    json_decref(v);
    free_world(&w);
}

/* ---- the plan maker on many maps ---- */

static uint64_t rng = 88172645463325252ull;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void test_plan_properties(void **state)
{
    (void)state;
    static const int lengths[] = {15, 20, 30, 45, 60, 75, 90, 120, 240};
    kn_plan_input *in = calloc(1, sizeof *in);
    kn_plan *plan = calloc(1, sizeof *plan);
    assert_non_null(in);
    assert_non_null(plan);
    int made = 0;
    for (int round = 0; round < 400; round++) {
        memset(in, 0, sizeof *in);
        kn_painmap_init(&in->map);
        int marks = 1 + (int)(next_random() % 8);
        for (int k = 0; k < marks; k++) {
            int r = (int)(next_random() % kn_sided_count());
            kn_err err = {0};
            assert_int_equal(kn_painmap_add(&in->map, kn_sided_id(r),
                                            1 + (double)(next_random() % 10), "test", &err),
                             KN_OK);
            in->burden[r] += 1 + (int)(next_random() % 60);
        }
        for (int k = 0; k < 6; k++)
            if (next_random() % 2)
                kn_regionset_add(&in->avoid, (int)(next_random() % kn_sided_count()));
        in->max_pressure = next_random() % 3 ? 0 : 1 + (int)(next_random() % 10);
        in->pressure_pref = (int)(next_random() % 11);
        in->minutes = lengths[next_random() % (sizeof lengths / sizeof lengths[0])];
        in->days = 30;
        kn_err err = {0};
        assert_int_equal(kn_rank(&in->map, 10, &in->ranking, &err), KN_OK);
        kn_rc rc = kn_plan_make(in, plan, &err);
        if (rc != KN_OK) {
            assert_int_equal(rc, KN_EINVAL); /* nothing outside the avoid zones to aim at */
            continue;
        }
        made++;
        int sum = 0;
        for (size_t b = 0; b < plan->nblocks; b++) {
            const kn_plan_block *blk = &plan->blocks[b];
            sum += blk->minutes;
            assert_true(blk->minutes >= 1);
            assert_true(blk->pressure >= 1 && blk->pressure <= 10);
            if (in->max_pressure)
                assert_true(blk->pressure <= in->max_pressure);
            for (int r = kn_regionset_next(&blk->regions, 0); r >= 0;
                 r = kn_regionset_next(&blk->regions, r + 1))
                assert_false(kn_regionset_has(&in->avoid, r));
        }
        assert_int_equal(sum, in->minutes);
        assert_int_equal(plan->blocks[0].kind, KN_BLOCK_WARMUP);
        assert_int_equal(plan->blocks[plan->nblocks - 1].kind, KN_BLOCK_CLOSING);
    }
    assert_true(made > 300); /* the property was checked on real plans, not skipped */
    free(in);
    free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_loop),
        cmocka_unit_test(test_brief_keeps_long_notes),
        cmocka_unit_test(test_refer_refuses_plan_and_session),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_therapist_match),
        cmocka_unit_test(test_intake_on_a_terminal),
        cmocka_unit_test(test_plan_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
