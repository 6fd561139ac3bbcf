/* The red-flag gate is never lifted by silence: a screening that answers nothing stores
 * nothing, unanswered questions carry their earlier answers over, a flag is lifted only by an
 * explicit no or a recorded clearance; plus the pure screening logic behind it. CLI tests run
 * the real binary. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "knead/care.h"

typedef struct fixture {
    char *dir;
    char *db;
} fixture;

static kn_run knead_in(const fixture *f, const char *in, ...)
{
    const char *argv[64] = {"--db", f->db};
    size_t n = 2;
    va_list ap;
    va_start(ap, in);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL && n < 63)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return kt_knead(NULL, in, argv);
}

#define knead(f, ...) knead_in(f, NULL, __VA_ARGS__)

static void ok(kn_run *r)
{
    if (r->status != 0)
        print_error("exit %d: %s\n", r->status, r->err);
    assert_int_equal(r->status, 0);
}

static json_t *json_of(const kn_run *r)
{
    json_error_t jerr;
    json_t *v = json_loads(r->out, 0, &jerr);
    if (!v)
        print_error("not JSON (%s): %s\n", jerr.text, r->out);
    assert_non_null(v);
    return v;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = kt_tmpdir();
    f->db = kt_path(f->dir, "k.db");
    kn_run r = knead(f, "person", "add", "--name", "Maya", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(f, "log", "--region", "jaw_r,tmj_ear_r,cheek_r", "--intensity", "6", NULL);
    ok(&r);
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

static char *write_file(const fixture *f, const char *name, const char *text)
{
    char *path = kt_path(f->dir, name);
    kt_write_file(path, text);
    return path;
}

static size_t screenings(const fixture *f)
{
    kn_run r = knead(f, "screen", "--history", "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    size_t n = json_array_size(v);
    json_decref(v);
    kt_run_free(&r);
    return n;
}

static const char *latest_verdict(const fixture *f, char *buf, size_t cap)
{
    kn_run r = knead(f, "screen", "--show", "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    snprintf(buf, cap, "%s", json_string_value(json_object_get(v, "verdict")));
    json_decref(v);
    kt_run_free(&r);
    return buf;
}

/* ---- 1: silence never lifts a red flag ---- */

static void test_silence_stores_nothing(void **state)
{
    fixture *f = *state;
    char verdict[32];
    kn_run r = knead(f, "screen", "--yes", "thunderclap", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "EMERGENCY"));
    kt_run_free(&r);
    assert_int_equal(screenings(f), 1);

    /* An empty answers file, q on the terminal, end of input: nothing stored, exit 1. */
    uint64_t before = kt_file_digest(f->db);
    char *empty = write_file(f, "empty.json", "{}");
    char *skips = write_file(f, "skips.json", "{\"thunderclap\": \"skip\", \"fever\": null}");
    const char *const files[] = {empty, skips};
    for (size_t i = 0; i < 2; i++) {
        r = knead(f, "screen", "--answers", files[i], NULL);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "nothing stored"));
        kt_run_free(&r);
    }
    const char *const inputs[] = {"q\n", "", "\n\n\n"};
    for (size_t i = 0; i < 3; i++) {
        r = knead_in(f, inputs[i], "screen", NULL);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "nothing stored"));
        kt_run_free(&r);
    }
    r = knead(f, "screen", "--update", NULL);
    assert_int_equal(r.status, 1);
    kt_run_free(&r);
    assert_true(kt_file_digest(f->db) == before);
    assert_int_equal(screenings(f), 1);
    assert_string_equal(latest_verdict(f, verdict, sizeof verdict), "emergency");
    r = knead(f, "plan", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "EMERGENCY"));
    kt_run_free(&r);
    free(empty);
    free(skips);
}

static void test_unanswered_questions_carry_over(void **state)
{
    fixture *f = *state;
    char verdict[32];
    kn_run r = knead(f, "screen", "--yes", "thunderclap", "--yes", "fever", NULL);
    ok(&r);
    kt_run_free(&r);
    /* A file that answers other questions, or skips the flagged ones, keeps both flags. */
    char *other = write_file(
        f, "other.json", "{\"night_pain\": \"no\", \"thunderclap\": \"skip\", \"fever\": null}");
    r = knead(f, "screen", "--answers", other, "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(v, "verdict")), "emergency");
    json_decref(v);
    kt_run_free(&r);
    /* On the terminal: Enter skips the first question (an emergency one), then q. */
    r = knead_in(f, "\nq\n", "screen", NULL);
    assert_int_equal(r.status, 1);
    kt_run_free(&r);
    /* --yes of another question alone does not answer the earlier flags no. */
    r = knead(f, "screen", "--yes", "oil_allergy", NULL);
    ok(&r);
    kt_run_free(&r);
    assert_string_equal(latest_verdict(f, verdict, sizeof verdict), "emergency");
    /* An explicit no to thunderclap leaves the fever: refer. */
    r = knead(f, "screen", "--no", "thunderclap", NULL);
    ok(&r);
    kt_run_free(&r);
    assert_string_equal(latest_verdict(f, verdict, sizeof verdict), "refer");
    r = knead(f, "plan", NULL);
    assert_int_equal(r.status, 1);
    kt_run_free(&r);
    r = knead(f, "screen", "--no", "fever", NULL);
    ok(&r);
    kt_run_free(&r);
    assert_string_equal(latest_verdict(f, verdict, sizeof verdict), "caution");
    r = knead(f, "plan", NULL);
    ok(&r);
    kt_run_free(&r);
    free(other);
}

/* The pure carry-over: a skipped or missing answer takes the earlier one with its date; an
 * explicit answer replaces it. */
static void test_carry_keeps_the_date(void **state)
{
    (void)state;
    kn_err err = {0};
    kn_screening earlier, now;
    kn_screening_init(&earlier);
    kn_screening_init(&now);
    earlier.at = (kn_instant){1767225600, 0}; /* 2026-01-01 */
    now.at = (kn_instant){1767830400, 0};     /* 2026-01-08 */
    assert_int_equal(kn_screening_answer(&earlier, "fever", KN_ANSWER_YES, NULL, 0, &err), KN_OK);
    assert_int_equal(kn_screening_answer(&earlier, "cardiac", KN_ANSWER_YES, NULL, 0, &err), KN_OK);
    assert_int_equal(kn_screening_answer(&earlier, "dvt", KN_ANSWER_YES, NULL, 0, &err), KN_OK);
    assert_int_equal(kn_screening_answer(&now, "fever", KN_ANSWER_SKIPPED, NULL, 0, &err), KN_OK);
    assert_int_equal(kn_screening_answer(&now, "dvt", KN_ANSWER_NO, NULL, 0, &err), KN_OK);
    assert_int_equal(kn_screening_answered(&now), 1);
    assert_int_equal(kn_screen_carry(&now, &earlier, &err), KN_OK);
    const kn_screen_answer *a = kn_screening_find(&now, "fever");
    assert_int_equal(a->answer, KN_ANSWER_YES);
    assert_int_equal(kn_screen_answer_given(&now, a).utc, 1767225600);
    a = kn_screening_find(&now, "cardiac");
    assert_int_equal(a->answer, KN_ANSWER_YES);
    assert_int_equal(kn_screen_answer_given(&now, a).utc, 1767225600);
    a = kn_screening_find(&now, "dvt");
    assert_int_equal(a->answer, KN_ANSWER_NO);
    assert_int_equal(kn_screen_answer_given(&now, a).utc, 1767830400);
    kn_screen_result r;
    assert_int_equal(kn_screen_evaluate(&now, &r, &err), KN_OK);
    assert_int_equal(r.verdict, KN_VERDICT_EMERGENCY);
    /* The date survives the stored form. */
    char *text = NULL;
    assert_int_equal(kn_screening_answers_to_json(&now, &text, &err), KN_OK);
    assert_non_null(strstr(text, "\"given\""));
    free(text);
    kn_screening_clear(&earlier);
    kn_screening_clear(&now);
}

/* ---- 2: clearances ---- */

static void test_clearance_lifts_until_a_later_yes(void **state)
{
    fixture *f = *state;
    char verdict[32];
    kn_run r = knead(f, "screen", "--yes", "fever", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(f, "plan", NULL);
    assert_int_equal(r.status, 1);
    kt_run_free(&r);

    /* Bad clearances change nothing. */
    uint64_t before = kt_file_digest(f->db);
    r = knead(f, "clearance", "add", "--question", "fevr", "--by", "Dr Ana Ruiz", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--question"));
    assert_non_null(strstr(r.err, "did you mean fever"));
    kt_run_free(&r);
    r = knead(f, "clearance", "add", "--question", "fever", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--by"));
    kt_run_free(&r);
    r = knead(f, "clearance", "add", "--question", "fever", "--by", "Dr Ana Ruiz", "--max-pressure",
              "11", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--max-pressure"));
    kt_run_free(&r);
    r = knead(f, "clearance", "add", "--question", "night_pain", "--by", "Dr Ana Ruiz", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "does not raise"));
    kt_run_free(&r);
    r = knead(f, "clearance", "add", "--question", "fever", "--by", "Dr Ana Ruiz", "--at",
              "2026-01-01T10:00", NULL);
    assert_int_equal(r.status, 2);
    kt_run_free(&r);
    r = knead(f, "clearance", "add", "--question", "fever", "--by", "   ", NULL);
    assert_int_equal(r.status, 2);
    kt_run_free(&r);
    assert_true(kt_file_digest(f->db) == before);
    r = knead(f, "clearance", "list", "--json", NULL);
    ok(&r);
    assert_string_equal(r.out, "[]\n");
    kt_run_free(&r);

    r = knead(f, "clearance", "add", "--question", "fever", "--by", "Dr Ana Ruiz", "--note",
              "seen today, no infection", "--max-pressure", "5", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(f, "plan", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "pressure at most 5"));
    kt_run_free(&r);
    r = knead(f, "screen", "--show", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "cleared by Dr Ana Ruiz on "));
    assert_non_null(strstr(r.out, "seen today, no infection"));
    kt_run_free(&r);
    r = knead(f, "screen", "--show", "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(v, "verdict")), "caution");
    assert_string_equal(json_string_value(json_object_get(v, "stored_verdict")), "refer");
    json_t *c = json_array_get(json_object_get(v, "cleared"), 0);
    assert_string_equal(json_string_value(json_object_get(c, "question")), "fever");
    assert_string_equal(json_string_value(json_object_get(c, "cleared_by")), "Dr Ana Ruiz");
    assert_non_null(json_string_value(json_object_get(c, "date")));
    assert_int_equal(json_integer_value(json_object_get(c, "max_pressure")), 5);
    assert_int_equal(json_array_size(json_object_get(v, "reasons")), 0);
    json_decref(v);
    kt_run_free(&r);
    r = knead(f, "brief", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "Cleared: Do you have a fever"));
    assert_non_null(strstr(r.out, "cleared by Dr Ana Ruiz"));
    kt_run_free(&r);
    r = knead(f, "brief", "--json", NULL);
    ok(&r);
    v = json_of(&r);
    c = json_array_get(json_object_get(json_object_get(v, "screening"), "cleared"), 0);
    assert_string_equal(json_string_value(json_object_get(c, "cleared_by")), "Dr Ana Ruiz");
    json_decref(v);
    kt_run_free(&r);
    r = knead(f, "clearance", "list", "--json", NULL);
    ok(&r);
    v = json_of(&r);
    assert_int_equal(json_array_size(v), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(v, 0), "note")),
                        "seen today, no infection");
    json_decref(v);
    kt_run_free(&r);

    /* A screening that leaves fever unanswered keeps the clearance. */
    char *other = write_file(f, "other.json", "{\"night_pain\": \"no\"}");
    r = knead(f, "screen", "--answers", other, NULL);
    ok(&r);
    kt_run_free(&r);
    assert_string_equal(latest_verdict(f, verdict, sizeof verdict), "caution");
    /* A later yes raises it again; a clearance is never deleted. */
    r = knead(f, "screen", "--yes", "fever", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "REFER"));
    kt_run_free(&r);
    r = knead(f, "plan", NULL);
    assert_int_equal(r.status, 1);
    kt_run_free(&r);
    r = knead(f, "clearance", "delete", "1", NULL);
    assert_int_equal(r.status, 2);
    kt_run_free(&r);
    r = knead(f, "clearance", "list", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "Do you have a fever"));
    assert_null(strstr(r.out, "fever:"));
    kt_run_free(&r);
    free(other);
}

/* ---- 3: the brief says what is unanswered and when each red flag was answered ---- */

static void test_brief_dates_red_flags(void **state)
{
    fixture *f = *state;
    char *first = write_file(f, "first.json", "{\"fever\": \"yes\"}");
    char *second = write_file(f, "second.json", "{\"night_pain\": \"no\"}");
    kn_run r = knead(f, "screen", "--answers", first, "--at", "2026-01-05T09:00", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(f, "screen", "--answers", second, NULL);
    ok(&r);
    kt_run_free(&r);
    char expect[64];
    snprintf(expect, sizeof expect, "Unanswered: %zu of %zu questions", kn_question_count() - 2,
             kn_question_count());
    r = knead(f, "brief", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, expect));
    assert_non_null(strstr(r.out, "Red flag, answered yes on 2026-01-05: Do you have a fever"));
    /* The gate leads with the question as people read it, never its id. */
    assert_non_null(strstr(r.out, "Ask first: Do you have a fever"));
    assert_null(strstr(r.out, "fever,"));
    assert_null(strstr(r.out, ": fever"));
    kt_run_free(&r);
    r = knead(f, "brief", "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    json_t *sc = json_object_get(v, "screening");
    assert_int_equal(json_integer_value(json_object_get(sc, "unanswered_count")),
                     kn_question_count() - 2);
    json_t *reason = json_array_get(json_object_get(sc, "reasons"), 0);
    assert_string_equal(json_string_value(json_object_get(reason, "question")), "fever");
    assert_string_equal(json_string_value(json_object_get(reason, "given")), "2026-01-05");
    json_decref(v);
    kt_run_free(&r);
    free(first);
    free(second);
}

/* ---- 4: active cancer refers, a past cancer is a caution with a cap ---- */

static void test_cancer_split(void **state)
{
    fixture *f = *state;
    /* A screening stored before the split: "Have you ever had cancer?" answered yes. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO screening(person_id, at_utc, offset_min, verdict, "
                                  "max_pressure, answers) VALUES (1, 1735725600, 0, 'refer', 6, "
                                  "'[{\"question\": \"cancer\", \"answer\": \"yes\"}]')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    /* Read back as active cancer (the safe reading): it refers, and a screening that answers
     * only the new past-cancer question does not lift it. */
    kn_run r = knead(f, "screen", "--show", "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    json_t *reason = json_array_get(json_object_get(v, "reasons"), 0);
    assert_string_equal(json_string_value(json_object_get(reason, "question")), "cancer");
    assert_non_null(strstr(json_string_value(json_object_get(reason, "text")), "cancer now"));
    assert_string_equal(json_string_value(json_object_get(reason, "given")), "2025-01-01");
    json_decref(v);
    kt_run_free(&r);
    r = knead(f, "screen", "--yes", "cancer_past", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "REFER"));
    kt_run_free(&r);
    r = knead(f, "plan", NULL);
    assert_int_equal(r.status, 1);
    kt_run_free(&r);
    /* No active cancer, a past one: caution, the plan goes ahead under the cap. */
    r = knead(f, "screen", "--no", "cancer", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "CAUTION"));
    kt_run_free(&r);
    r = knead(f, "plan", "--json", NULL);
    ok(&r);
    v = json_of(&r);
    assert_int_equal(json_integer_value(json_object_get(v, "max_pressure")), 6);
    json_decref(v);
    kt_run_free(&r);
    /* A clearance sets a different cap. */
    r = knead(f, "clearance", "add", "--question", "cancer_past", "--by", "Dr Oyelaran",
              "--max-pressure", "7", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(f, "plan", "--json", NULL);
    ok(&r);
    v = json_of(&r);
    assert_int_equal(json_integer_value(json_object_get(v, "max_pressure")), 7);
    json_decref(v);
    kt_run_free(&r);
}

/* ---- 5: a plan made before a stricter screening is clamped to it ---- */

static void test_plan_clamped_to_current_screening(void **state)
{
    fixture *f = *state;
    kn_run r = knead(f, "screen", "--yes", "oil_allergy", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(f, "plan", "--save", "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    json_t *blocks = json_object_get(v, "blocks");
    size_t nblocks = json_array_size(blocks);
    size_t above = 0, only_jaw = 0;
    for (size_t i = 0; i < nblocks; i++) {
        json_t *b = json_array_get(blocks, i);
        above += json_integer_value(json_object_get(b, "pressure")) > 3;
        json_t *regions = json_object_get(b, "regions");
        only_jaw += json_array_size(regions) == 1 &&
                    strcmp(json_string_value(json_array_get(regions, 0)), "jaw_r") == 0;
    }
    assert_true(above > 0);
    assert_true(only_jaw > 0);
    json_decref(v);
    kt_run_free(&r);

    /* Stricter now: pressure at most 3, the right jaw off limits. */
    r = knead(f, "screen", "--yes", "nerve_pain", "--yes", "skin=jaw_r", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(f, "plan", "--show", "1", "--json", NULL);
    ok(&r);
    v = json_of(&r);
    blocks = json_object_get(v, "blocks");
    assert_int_equal(json_array_size(blocks), nblocks - only_jaw);
    for (size_t i = 0; i < json_array_size(blocks); i++) {
        json_t *b = json_array_get(blocks, i);
        assert_true(json_integer_value(json_object_get(b, "pressure")) <= 3);
        json_t *regions = json_object_get(b, "regions");
        for (size_t k = 0; k < json_array_size(regions); k++)
            assert_string_not_equal(json_string_value(json_array_get(regions, k)), "jaw_r");
    }
    json_t *changes = json_object_get(v, "changes");
    size_t lowered = 0, dropped = 0;
    for (size_t i = 0; i < json_array_size(changes); i++) {
        const char *kind = json_string_value(json_object_get(json_array_get(changes, i), "change"));
        lowered += strcmp(kind, "pressure") == 0;
        dropped += strcmp(kind, "dropped") == 0;
    }
    assert_int_equal(dropped, only_jaw);
    assert_true(lowered > 0);
    assert_int_equal(json_integer_value(json_object_get(v, "max_pressure")), 3);
    json_decref(v);
    kt_run_free(&r);
    r = knead(f, "plan", "--show", "1", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "Plan 1 changed by the current screening"));
    assert_non_null(strstr(r.out, "lowered to 3"));
    assert_non_null(strstr(r.out, "not to be done"));
    kt_run_free(&r);
    r = knead(f, "session", "start", "--plan", "1", NULL);
    ok(&r);
    assert_non_null(strstr(r.err, "Plan 1 changed by the current screening"));
    assert_non_null(strstr(r.err, "lowered to 3"));
    kt_run_free(&r);
}

/* The pure clamp: a blocking gate leaves nothing to do. */
static void test_clamp_under_a_blocking_gate(void **state)
{
    (void)state;
    kn_plan plan = {.id = 4, .minutes = 30, .nblocks = 2};
    plan.blocks[0] = (kn_plan_block){.kind = KN_BLOCK_WARMUP, .minutes = 10, .pressure = 3};
    plan.blocks[1] = (kn_plan_block){.kind = KN_BLOCK_FOCUS, .minutes = 20, .pressure = 6};
    kn_regionset_add(&plan.blocks[0].regions, kn_sided_find("calf_r"));
    kn_regionset_add(&plan.blocks[1].regions, kn_sided_find("calf_r"));
    kn_regionset_add(&plan.blocks[1].regions, kn_sided_find("calf_l"));
    kn_gate gate = {.screened = true, .verdict = KN_VERDICT_CAUTION, .max_pressure = 4};
    kn_regionset_add(&gate.avoid, kn_sided_find("calf_r"));
    kn_plan out;
    kn_plan_change ch[KN_PLAN_CHANGES_MAX];
    size_t n = 0;
    kn_plan_clamp(&plan, &gate, &out, ch, &n);
    assert_int_equal(out.nblocks, 1);
    assert_int_equal(out.blocks[0].pressure, 4);
    assert_false(kn_regionset_has(&out.blocks[0].regions, kn_sided_find("calf_r")));
    assert_true(kn_regionset_has(&out.blocks[0].regions, kn_sided_find("calf_l")));
    assert_int_equal(n, 3);
    assert_int_equal(ch[0].kind, KN_CHANGE_DROPPED);
    assert_int_equal(ch[0].block, 0);
    assert_int_equal(ch[1].kind, KN_CHANGE_REGIONS);
    assert_int_equal(ch[2].kind, KN_CHANGE_PRESSURE);
    assert_int_equal(ch[2].from, 6);
    gate.blocking = true;
    gate.verdict = KN_VERDICT_REFER;
    kn_plan_clamp(&plan, &gate, &out, ch, &n);
    assert_int_equal(out.nblocks, 0);
    assert_int_equal(n, 2);
}

/* ---- 6: blood thinners by brand name; a medicine not known is asked about ---- */

static void test_brands_match_their_drug(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"Eliquis", "apixaban"},       {"  XARELTO 20 mg ", "rivaroxaban"},
        {"pradaxa", "dabigatran"},     {"Lixiana", "edoxaban"},
        {"Savaysa", "edoxaban"},       {"Coumadin", "warfarin"},
        {"Jantoven", "warfarin"},      {"Marevan 1mg", "warfarin"},
        {"Plavix", "clopidogrel"},     {"Brilinta", "ticagrelor"},
        {"Clexane", "enoxaparin"},     {"Lovenox", "enoxaparin"},
        {"Fragmin", "dalteparin"},     {"low-dose aspirin 75 mg", "aspirin"},
        {"Warfarin 5 mg", "warfarin"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const kn_medication *m = kn_medication_match(cases[i][0]);
        if (!m)
            print_error("%s: not matched\n", cases[i][0]);
        assert_non_null(m);
        assert_string_equal(m->name, cases[i][1]);
        assert_string_equal(m->question->id, "blood_thinners");
    }
    /* Every drug of the table knows its brands, with their source; each brand matches it. */
    for (size_t i = 0; i < kn_medication_count(); i++) {
        const kn_medication *m = kn_medication_at(i);
        assert_true(strlen(m->brands) > 0);
        assert_true(strlen(m->brands_source) > 0);
        char brands[256];
        snprintf(brands, sizeof brands, "%s", m->brands);
        char *save = NULL;
        for (char *b = strtok_r(brands, ";", &save); b; b = strtok_r(NULL, ";", &save))
            assert_ptr_equal(kn_medication_match(b), m);
    }
    assert_null(kn_medication_match("Elixir of herbs"));
    assert_null(kn_medication_match("melatonin 3 mg"));
    /* a pain reliever is known, and raises no screening question */
    assert_string_equal(kn_medication_match("paracetamol 1g")->name, "paracetamol");
    assert_null(kn_medication_match("paracetamol 1g")->question);
    assert_string_equal(kn_medication_match("ibuprofen 400 mg when needed")->name, "ibuprofen");
    /* a dose written against the name does not hide it */
    assert_string_equal(kn_medication_match("Eliquis5mg twice daily")->name, "apixaban");
    assert_null(kn_medication_match(""));
    char line[200];
    kn_medication_unknown_text("  Herbal tea blend ", line, sizeof line);
    assert_string_equal(line, "Herbal tea blend: not recognised: ask about it");
}

static void test_unknown_medicine_is_asked_about(void **state)
{
    fixture *f = *state;
    char *path = write_file(f, "intake.json",
                            "{\"medications\": [\" ELIQUIS 5 mg \", \"Herbal tea blend\"]}");
    kn_run r = knead(f, "intake", "--answers", path, NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "Screening: caution"));
    assert_non_null(strstr(r.out, "Herbal tea blend: not recognised: ask about it"));
    assert_null(strstr(r.out, "ELIQUIS 5 mg: not recognised"));
    kt_run_free(&r);
    r = knead(f, "screen", "--show", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "Pressure: at most 4 of 10"));
    assert_non_null(strstr(r.out, "Herbal tea blend: not recognised: ask about it"));
    kt_run_free(&r);
    r = knead(f, "screen", "--show", "--json", NULL);
    ok(&r);
    json_t *v = json_of(&r);
    json_t *unknown = json_object_get(v, "medications_not_recognised");
    assert_int_equal(json_array_size(unknown), 1);
    assert_string_equal(json_string_value(json_array_get(unknown, 0)), "Herbal tea blend");
    json_decref(v);
    kt_run_free(&r);
    r = knead(f, "brief", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "Herbal tea blend: not recognised: ask about it"));
    kt_run_free(&r);
    r = knead(f, "brief", "--json", NULL);
    ok(&r);
    v = json_of(&r);
    unknown = json_object_get(v, "medications_not_recognised");
    assert_int_equal(json_array_size(unknown), 1);
    assert_int_equal(json_integer_value(json_object_get(v, "max_pressure")), 4);
    json_decref(v);
    kt_run_free(&r);
    free(path);
}

/* ---- 7: therapist match leads with the red flag ---- */

static void test_therapist_match_leads_with_the_flag(void **state)
{
    fixture *f = *state;
    kn_run r = knead(f, "therapist", "add", "--name", "Dana", "--license", "LMT-1", "--specialty",
                     "tmjd", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(f, "screen", "--yes", "thunderclap", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(f, "therapist", "match", NULL);
    ok(&r);
    assert_true(strncmp(r.out, "!! EMERGENCY", 12) == 0);
    assert_non_null(strstr(r.out, "Dana"));
    assert_true(strstr(r.out, "EMERGENCY") < strstr(r.out, "Dana"));
    kt_run_free(&r);
    r = knead(f, "therapist", "match", "--json", NULL);
    ok(&r);
    assert_true(strncmp(r.out, "{\n  \"gate\"", 10) == 0);
    json_t *v = json_of(&r);
    json_t *gate = json_object_get(v, "gate");
    assert_true(json_is_true(json_object_get(gate, "blocking")));
    assert_string_equal(json_string_value(json_object_get(gate, "verdict")), "emergency");
    assert_int_equal(json_array_size(json_object_get(v, "matches")), 1);
    json_decref(v);
    kt_run_free(&r);
    /* Refer leads too. */
    r = knead(f, "screen", "--no", "thunderclap", "--yes", "fever", NULL);
    ok(&r);
    kt_run_free(&r);
    r = knead(f, "therapist", "match", NULL);
    ok(&r);
    assert_true(strncmp(r.out, "!! SEE A PHYSICIAN FIRST", 24) == 0);
    kt_run_free(&r);
}

/* An intake that answers no screening question stores no screening (it would read clear). */
static void test_intake_without_answers_stores_no_screening(void **state)
{
    fixture *f = *state;
    char *path = write_file(f, "goals.json", "{\"goals\": \"turn my head when driving\"}");
    kn_run r = knead(f, "intake", "--answers", path, NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "No screening stored"));
    kt_run_free(&r);
    assert_int_equal(screenings(f), 0);
    r = knead(f, "brief", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "No red-flag screening on record yet"));
    kt_run_free(&r);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_silence_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unanswered_questions_carry_over, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intake_without_answers_stores_no_screening, setup,
                                        teardown),
        cmocka_unit_test(test_carry_keeps_the_date),
        cmocka_unit_test_setup_teardown(test_clearance_lifts_until_a_later_yes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_brief_dates_red_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancer_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_clamped_to_current_screening, setup, teardown),
        cmocka_unit_test(test_clamp_under_a_blocking_gate),
        cmocka_unit_test(test_brands_match_their_drug),
        cmocka_unit_test_setup_teardown(test_unknown_medicine_is_asked_about, setup, teardown),
        cmocka_unit_test_setup_teardown(test_therapist_match_leads_with_the_flag, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
