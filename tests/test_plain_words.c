/* Text for people carries no internal references (issue 11): on the demo's database, with an
 * intake that raises a red flag a clinician then clears, a saved plan, a live session and a
 * second person with a standing emergency, every text command prints names and readable
 * citations, never a region, muscle, condition or question id, a source key, a reference
 * file (".md"), a section number, or any identifier with an underscore. Ids stay in JSON.
 *
 * Not scanned: the three listings of the words a person types (knead regions, knead
 * condition, knead screen --questions), which exist to show the ids next to their names. */
#include "harness.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knead/atlas.h"

#define MAX_WORDS 4096
#define MAX_ARGS 16

/* The words of the atlas's own readable text (labels, names, questions, advice, guides),
 * lower case: an id that is also one of them ("masseter", "headache", "fever") cannot be
 * told from the word, so only the ids that are no such word count as leaks. */
static char *vocabulary[MAX_WORDS * 4];
static size_t nvocabulary;

static void learn(const char *text)
{
    const char *p = text;
    while (p && *p) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        const char *start = p;
        while (isalnum((unsigned char)*p))
            p++;
        if (p > start && nvocabulary < sizeof vocabulary / sizeof vocabulary[0]) {
            char *w = strndup(start, (size_t)(p - start));
            for (char *c = w; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            vocabulary[nvocabulary++] = w;
        }
    }
}

static bool in_vocabulary(const char *id)
{
    for (size_t i = 0; i < nvocabulary; i++)
        if (strcmp(vocabulary[i], id) == 0)
            return true;
    return false;
}

/* The ids that must not reach a person: every sided region id, and every base region,
 * muscle, condition and question id that is not an ordinary word of the atlas's text. */
static const char *ids[MAX_WORDS];
static size_t nids;

static void forbid_id(const char *id)
{
    if (strchr(id, '_') || !in_vocabulary(id)) {
        assert_true(nids < MAX_WORDS);
        ids[nids++] = id;
    }
}

static void collect(void)
{
    for (size_t i = 0; i < kn_region_count(); i++) {
        learn(kn_region_at(i)->label);
        learn(kn_region_at(i)->aliases);
    }
    for (size_t i = 0; i < kn_muscle_count(); i++) {
        learn(kn_muscle_at(i)->name);
        learn(kn_muscle_at(i)->sites_text);
    }
    for (size_t i = 0; i < kn_condition_count(); i++) {
        const kn_condition *c = kn_condition_at(i);
        learn(c->name);
        learn(c->summary);
        learn(c->presentation);
        learn(c->self_care);
    }
    for (size_t i = 0; i < kn_question_count(); i++) {
        learn(kn_question_at(i)->text);
        learn(kn_question_at(i)->topic);
        learn(kn_question_at(i)->advice);
    }
    for (int i = 0; i < (int)kn_sided_count(); i++)
        forbid_id(kn_sided_id(i));
    for (size_t i = 0; i < kn_region_count(); i++)
        forbid_id(kn_region_at(i)->id);
    for (size_t i = 0; i < kn_muscle_count(); i++)
        forbid_id(kn_muscle_at(i)->id);
    for (size_t i = 0; i < kn_condition_count(); i++)
        forbid_id(kn_condition_at(i)->id);
    for (size_t i = 0; i < kn_question_count(); i++)
        forbid_id(kn_question_at(i)->id);
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Whether word occurs in line as a whole word (case as given); '-' joins a source key. */
static bool has_word(const char *line, const char *word, bool dash_joins)
{
    size_t len = strlen(word);
    for (const char *p = strstr(line, word); p; p = strstr(p + 1, word)) {
        bool starts = p == line || !(word_char(p[-1]) || (dash_joins && p[-1] == '-'));
        bool ends = !(word_char(p[len]) || (dash_joins && p[len] == '-'));
        if (starts && ends)
            return true;
    }
    return false;
}

/* A section number of a reference: "section 3.3", "guide 2", "md 4.1" (a bare "6.0" is a
 * value, not a section). */
static bool has_section(const char *line)
{
    static const char *const before[] = {"section ", "sections ", "guide ", "md "};
    for (size_t i = 0; i < sizeof before / sizeof before[0]; i++)
        for (const char *p = strstr(line, before[i]); p; p = strstr(p + 1, before[i]))
            if (isdigit((unsigned char)p[strlen(before[i])]))
                return true;
    return false;
}

/* An identifier with an underscore: letters or digits on both sides of it. */
static bool has_underscore_id(const char *line)
{
    for (const char *p = strchr(line, '_'); p; p = strchr(p + 1, '_'))
        if (p > line && isalnum((unsigned char)p[-1]) && isalnum((unsigned char)p[1]))
            return true;
    return false;
}

/* The first leak of line, described into why; false when the line is clean. */
static bool leaks(const char *raw, char *why, size_t cap)
{
    /* the full citations of the Sources lists are real titles (one holds "SNNOOP10"), and
     * "SNOMED CT" is the code system's own name: neither is an internal reference */
    char *line = strdup(raw);
    assert_non_null(line);
    for (size_t i = 0; i < kn_source_count(); i++) {
        const char *c = kn_source_at(i)->citation;
        for (char *p = strstr(line, c); p; p = strstr(p, c))
            memset(p, ' ', strlen(c));
    }
    for (char *p = strstr(line, "SNOMED CT"); p; p = strstr(p, "SNOMED CT"))
        memset(p, ' ', strlen("SNOMED"));
    bool found = true;
    if (strstr(line, ".md"))
        snprintf(why, cap, "a reference file (.md)");
    else if (has_section(line))
        snprintf(why, cap, "a section number");
    else if (has_underscore_id(line))
        snprintf(why, cap, "an identifier with an underscore");
    else {
        found = false;
        for (size_t i = 0; i < nids && !found; i++)
            if (has_word(line, ids[i], false)) {
                snprintf(why, cap, "the id '%s'", ids[i]);
                found = true;
            }
        for (size_t i = 0; i < kn_source_count() && !found; i++)
            if (has_word(line, kn_source_at(i)->key, true)) {
                snprintf(why, cap, "the source key '%s'", kn_source_at(i)->key);
                found = true;
            }
    }
    free(line);
    return found;
}

/* Reports the first line of text that leaks, naming the command; counts the leaking
 * commands (the test fails at the end, having listed them all). */
static int leaking;

static void scan(const char *command, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *line = strndup(p, len);
        char why[128];
        bool bad = leaks(line, why, sizeof why);
        if (bad)
            print_error("knead %s prints %s in: %s\n", command, why, line);
        free(line);
        if (bad) {
            leaking++;
            return;
        }
        p += len + (end != NULL);
    }
}

typedef struct world {
    char *dir;
    char *db;
} world;

/* Runs knead with the space-separated words of command (a word in '...' may hold spaces),
 * expects exit 0 and scans what it prints; returns the run (the caller frees it). */
static kn_run run_scan(world *w, const char *command, bool check)
{
    char *copy = strdup(command), *argv[MAX_ARGS + 3];
    int n = 0;
    argv[n++] = "--db";
    argv[n++] = w->db;
    for (char *p = copy; *p && n < MAX_ARGS;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char stop = ' ';
        if (*p == '\'') {
            stop = '\'';
            p++;
        }
        argv[n++] = p;
        while (*p && *p != stop)
            p++;
        if (*p)
            *p++ = '\0';
    }
    argv[n] = NULL;
    kn_run r = kt_knead(w->dir, NULL, (const char *const *)argv);
    free(copy);
    if (r.status != 0)
        fail_msg("knead %s: exit %d: %s", command, r.status, r.err);
    if (check) {
        scan(command, r.out);
        scan(command, r.err);
    }
    return r;
}

static void run_scan_free(world *w, const char *command)
{
    kn_run r = run_scan(w, command, true);
    kt_run_free(&r);
}

static const char *const intake_answers =
    "{\"goals\": \"less neck pain\", \"medications\": [\"warfarin 5 mg\", \"zorbex\"],"
    " \"conditions\": [\"migraine\"], \"avoid_regions\": [\"calf_l\"],"
    " \"recent_injury\": true, \"injury_regions\": [\"knee_front_r\"], \"pressure\": 5,"
    " \"pressure_by_region\": {\"neck_back_r\": 4},"
    " \"pain_since\": {\"neck_side_r\": \"2 years\", \"jaw_r\": \"2024-03\"},"
    " \"screening\": {\"fever\": \"yes\"}}";

/* The commands that print text for people, on person 1 (the demo person) unless told. */
static const char *const reads[] = {
    "brief --person 1",
    "brief --person 1 --format markdown",
    "brief --person 2",
    "insights --person 2",
    "triggers --person 2",
    "insights --person 1",
    "insights --person 1 --details",
    "diary --person 1 --last 10",
    "triggers --person 1",
    "triggers temple_r jaw_l:6 --person 1",
    "triggers temple_r jaw_l:6 --person 2",
    "condition --match temple_r jaw_r",
    "condition --match temple_r jaw_r --person 2",
    "condition --person 1",
    "condition --match neck_side_r neck_back_r shoulder_top_r --duration '2 years'",
    "screen --show --person 1",
    "screen --history --person 1",
    "screen --show --person 2",
    "clearance list --person 1",
    "intake --show --person 1",
    "therapist list",
    "therapist show 1",
    "therapist show 2",
    "therapist match --person 1",
    "plan --person 1",
    "plan --show 1 --person 1",
    "session show 3",
    "person list",
};

static void test_text_names_things(void **state)
{
    (void)state;
    world w = {kt_tmpdir(), NULL};
    w.db = kt_path(w.dir, "d.db");
    kn_run r = run_scan(&w, "demo", false);
    kt_run_free(&r);
    char *answers = kt_path(w.dir, "intake.json");
    kt_write_file(answers, intake_answers);
    char command[512];
    snprintf(command, sizeof command, "intake --answers '%s'", answers);
    r = run_scan(&w, command, true);
    kt_run_free(&r);
    r = run_scan(&w, "clearance add --question fever --by 'Dr Lee' --max-pressure 4", true);
    kt_run_free(&r);
    r = run_scan(&w, "therapist add --name 'Ann Kim' --license L1", true);
    kt_run_free(&r);
    r = run_scan(&w,
                 "therapist add --name 'Bo Lin' --license L2 --specialty stiff_neck "
                 "--specialty upper_trapezius --specialty 'trigger point'",
                 true);
    kt_run_free(&r);
    r = run_scan(&w, "plan --save", true);
    kt_run_free(&r);
    r = run_scan(&w, "session start --plan 1 --therapist 'Ann Kim' --pre 5", true);
    int session = 0;
    assert_int_equal(sscanf(r.out, "Started session %d", &session), 1);
    kt_run_free(&r);
    snprintf(command, sizeof command,
             "session feedback %d --region neck_back_r --pressure 4 --discomfort 3", session);
    r = run_scan(&w, command, true);
    kt_run_free(&r);
    snprintf(command, sizeof command, "session finish %d --post 3", session);
    r = run_scan(&w, command, true);
    kt_run_free(&r);
    r = run_scan(&w, "person add --name 'Sam Ortiz' --tz UTC", true);
    kt_run_free(&r);
    r = run_scan(&w, "screen --person 2 --yes thunderclap", true);
    kt_run_free(&r);

    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++)
        run_scan_free(&w, reads[i]);
    /* the intake names since when each region has hurt, as said */
    r = run_scan(&w, "intake --show --person 1", true);
    assert_non_null(strstr(r.out, "Pain since:"));
    assert_non_null(strstr(r.out, "Lower jaw (right): 2024-03; Side of neck (right): 2 years"));
    kt_run_free(&r);
    snprintf(command, sizeof command, "session show %d", session);
    run_scan_free(&w, command);
    /* writes say what they did in words too */
    run_scan_free(&w, "log --person 1 --region neck_back_r,jaw_l --intensity 5 --quality aching");
    run_scan_free(&w, "session add --person 1 --minutes 30 --therapist 'Ann Kim' --work "
                      "neck_back_r:5:3 --work jaw_r:4");
    run_scan_free(&w, "diary --person 1 --last 1");
    /* the JSON keeps the ids */
    r = run_scan(&w, "intake --show --person 1 --json", false);
    assert_non_null(strstr(r.out, "\"neck_side_r\""));
    kt_run_free(&r);
    r = run_scan(&w, "screen --show --person 1 --json", false);
    assert_non_null(strstr(r.out, "\"recent_injury\""));
    kt_run_free(&r);
    r = run_scan(&w, "condition tmjd --json", false);
    assert_non_null(strstr(r.out, "TS1"));
    kt_run_free(&r);
    /* every condition guide, with its closing list of sources */
    for (size_t i = 0; i < kn_condition_count(); i++) {
        snprintf(command, sizeof command, "condition %s", kn_condition_at(i)->id);
        r = run_scan(&w, command, true);
        assert_non_null(strstr(r.out, "\nSources\n  Simons 1999: Simons DG, Travell JG") ||
                        strstr(r.out, "\nSources\n  Travell 1992: Travell JG"));
        kt_run_free(&r);
    }
    assert_int_equal(leaking, 0);

    free(answers);
    free(w.db);
    kt_rmtree(w.dir);
}

/* The scanner itself finds each kind of leak, and passes names and citations. */
static void test_scanner_finds_leaks(void **state)
{
    (void)state;
    char why[128];
    assert_true(leaks("  forehead_r since 2026-08-07", why, sizeof why));
    assert_true(leaks("Ask first: thunderclap meningism", why, sizeof why));
    assert_string_equal(why, "the id 'meningism'");
    assert_true(leaks("Guide: tmjd", why, sizeof why));
    assert_true(leaks("(CONTRA (massage-practice.md 3.3))", why, sizeof why));
    assert_true(leaks("Sources: TS1; DV", why, sizeof why));
    assert_string_equal(why, "the source key 'TS1'");
    assert_true(leaks("cap: KNEAD (low medium)", why, sizeof why));
    assert_true(leaks("see section 9.2", why, sizeof why));
    assert_string_equal(why, "a section number");
    assert_true(leaks("conditions guide 2", why, sizeof why));
    assert_true(leaks("Since the first: +1.3 (no_important_change)", why, sizeof why));
    assert_false(
        leaks("  Temple, side of head (right) since 2026-08-07, mean 4.3", why, sizeof why));
    assert_false(leaks("Self-massage of the masseter and temporalis [2]", why, sizeof why));
    assert_false(leaks(kn_name_source("SNNOOP10"), why, sizeof why));
    assert_false(leaks("Codes: SNOMED CT 53620006", why, sizeof why));
    assert_false(leaks("Muscles worth checking for Lower jaw (left) (6.0):", why, sizeof why));
}

int main(void)
{
    collect();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scanner_finds_leaks),
        cmocka_unit_test(test_text_names_things),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
