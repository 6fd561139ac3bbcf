/* Screening: every emergency and refer answer gives its verdict, avoid and caution answers
 * give regions and pressure caps, answers round-trip through the store and their JSON,
 * history is kept, the gate reflects the latest verdict, schema 1 databases migrate, and
 * the diary pain map averages each region's daily worst. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "knead/care.h"

/* A screening that answers question `yes` with yes (where given) and all others no. */
static void only_yes(kn_screening *s, const char *yes, const char *const *where, size_t nwhere)
{
    kn_screening_init(s);
    kn_err err = {0};
    for (size_t i = 0; i < kn_question_count(); i++) {
        const kn_question *q = kn_question_at(i);
        bool is = yes && strcmp(q->id, yes) == 0;
        assert_int_equal(kn_screening_answer(s, q->id, is ? KN_ANSWER_YES : KN_ANSWER_NO,
                                             is ? where : NULL, is ? nwhere : 0, &err),
                         KN_OK);
    }
}

static void test_each_answer_gives_its_verdict(void **state)
{
    (void)state;
    size_t emergencies = 0, refers = 0;
    for (size_t i = 0; i < kn_question_count(); i++) {
        const kn_question *q = kn_question_at(i);
        kn_screening s;
        only_yes(&s, q->id, NULL, 0);
        kn_screen_result r;
        kn_err err = {0};
        assert_int_equal(kn_screen_evaluate(&s, &r, &err), KN_OK);
        assert_int_equal(r.nreasons, 1);
        assert_ptr_equal(r.reasons[0], q);
        assert_int_equal(r.nunanswered, 0);
        switch (q->outcome) {
        case KN_OUTCOME_EMERGENCY:
            assert_int_equal(r.verdict, KN_VERDICT_EMERGENCY);
            emergencies++;
            break;
        case KN_OUTCOME_REFER:
            assert_int_equal(r.verdict, KN_VERDICT_REFER);
            refers++;
            break;
        case KN_OUTCOME_AVOID:
            assert_int_equal(r.verdict, KN_VERDICT_CAUTION);
            /* Somewhere to avoid: the table's regions, or "ask where". */
            assert_true(!kn_regionset_empty(&r.avoid) || r.nunplaced == 1);
            break;
        case KN_OUTCOME_CAUTION:
            assert_int_equal(r.verdict, KN_VERDICT_CAUTION);
            assert_int_equal(r.max_pressure, q->max_pressure);
            break;
        }
        kn_screening_clear(&s);
    }
    assert_true(emergencies >= 5);
    assert_true(refers >= 10);
}

static void test_clear_unanswered_and_combined(void **state)
{
    (void)state;
    kn_screen_result r;
    kn_err err = {0};
    kn_screening s;
    only_yes(&s, NULL, NULL, 0);
    assert_int_equal(kn_screen_evaluate(&s, &r, &err), KN_OK);
    assert_int_equal(r.verdict, KN_VERDICT_CLEAR);
    assert_int_equal(r.nreasons, 0);
    kn_screening_clear(&s);

    /* Nothing answered: clear, but every question unanswered. */
    assert_int_equal(kn_screen_evaluate(&s, &r, &err), KN_OK);
    assert_int_equal(r.verdict, KN_VERDICT_CLEAR);
    assert_int_equal(r.nunanswered, kn_question_count());

    /* The most serious answer decides; reasons come most serious first; the lowest cap. */
    assert_int_equal(kn_screening_answer(&s, "osteoporosis", KN_ANSWER_YES, NULL, 0, &err), KN_OK);
    assert_int_equal(kn_screening_answer(&s, "nerve_pain", KN_ANSWER_YES, NULL, 0, &err), KN_OK);
    assert_int_equal(kn_screening_answer(&s, "cancer", KN_ANSWER_YES, NULL, 0, &err), KN_OK);
    assert_int_equal(kn_screen_evaluate(&s, &r, &err), KN_OK);
    assert_int_equal(r.verdict, KN_VERDICT_REFER);
    assert_string_equal(r.reasons[0]->id, "cancer");
    assert_int_equal(r.max_pressure, 3);
    assert_int_equal(kn_screening_answer(&s, "cauda_equina", KN_ANSWER_YES, NULL, 0, &err), KN_OK);
    assert_int_equal(kn_screen_evaluate(&s, &r, &err), KN_OK);
    assert_int_equal(r.verdict, KN_VERDICT_EMERGENCY);
    assert_string_equal(r.reasons[0]->id, "cauda_equina");
    /* A later answer to the same question replaces the earlier one. */
    assert_int_equal(kn_screening_answer(&s, "cauda_equina", KN_ANSWER_NO, NULL, 0, &err), KN_OK);
    assert_int_equal(kn_screen_evaluate(&s, &r, &err), KN_OK);
    assert_int_equal(r.verdict, KN_VERDICT_REFER);
    kn_screening_clear(&s);
}

static void test_avoid_regions(void **state)
{
    (void)state;
    kn_screen_result r;
    kn_err err = {0};
    kn_screening s;
    /* Varicose veins without where: the table's regions, both sides. */
    only_yes(&s, "varicose", NULL, 0);
    assert_int_equal(kn_screen_evaluate(&s, &r, &err), KN_OK);
    assert_true(kn_regionset_has(&r.avoid, kn_sided_find("calf_l")));
    assert_true(kn_regionset_has(&r.avoid, kn_sided_find("calf_r")));
    kn_screening_clear(&s);
    /* ... with where: only there. */
    const char *calf[] = {"calf_r"};
    only_yes(&s, "varicose", calf, 1);
    assert_int_equal(kn_screen_evaluate(&s, &r, &err), KN_OK);
    assert_int_equal(kn_regionset_count(&r.avoid), 1);
    assert_true(kn_regionset_has(&r.avoid, kn_sided_find("calf_r")));
    kn_screening_clear(&s);
    /* A skin infection with no place given cannot be located. */
    only_yes(&s, "skin", NULL, 0);
    assert_int_equal(kn_screen_evaluate(&s, &r, &err), KN_OK);
    assert_int_equal(r.nunplaced, 1);
    assert_true(kn_regionset_empty(&r.avoid));
    kn_screening_clear(&s);
    /* Pregnancy (a caution) keeps off the abdomen. */
    only_yes(&s, "pregnancy", NULL, 0);
    assert_int_equal(kn_screen_evaluate(&s, &r, &err), KN_OK);
    assert_int_equal(r.verdict, KN_VERDICT_CAUTION);
    assert_true(kn_regionset_has(&r.avoid, kn_sided_find("abdomen_upper")));
    kn_screening_clear(&s);
    /* Refusals: unknown question, bad region, regions for a question that does not ask. */
    kn_screening_init(&s);
    assert_int_equal(kn_screening_answer(&s, "no_such", KN_ANSWER_YES, NULL, 0, &err), KN_EINVAL);
    const char *bad[] = {"calf"};
    assert_int_equal(kn_screening_answer(&s, "varicose", KN_ANSWER_YES, bad, 1, &err), KN_EINVAL);
    assert_int_equal(kn_screening_answer(&s, "cancer", KN_ANSWER_YES, calf, 1, &err), KN_EINVAL);
    assert_int_equal(kn_screening_answer(&s, "varicose", KN_ANSWER_NO, calf, 1, &err), KN_EINVAL);
    assert_int_equal(s.nanswers, 0);
    kn_screening_clear(&s);
}

static void test_answers_json(void **state)
{
    (void)state;
    kn_err err = {0};
    kn_screening s;
    kn_screening_init(&s);
    const char *calf[] = {"calf_r", "knee_back_l"};
    assert_int_equal(kn_screening_answer(&s, "varicose", KN_ANSWER_YES, calf, 2, &err), KN_OK);
    assert_int_equal(kn_screening_answer(&s, "cancer", KN_ANSWER_NO, NULL, 0, &err), KN_OK);
    assert_int_equal(kn_screening_answer(&s, "fever", KN_ANSWER_SKIPPED, NULL, 0, &err), KN_OK);
    char *text;
    assert_int_equal(kn_screening_answers_to_json(&s, &text, &err), KN_OK);
    kn_screening back;
    kn_screening_init(&back);
    assert_int_equal(kn_screening_answers_from_json(text, &back, &err), KN_OK);
    free(text);
    assert_int_equal(back.nanswers, 3);
    const kn_screen_answer *v = kn_screening_find(&back, "varicose");
    assert_non_null(v);
    assert_int_equal(v->answer, KN_ANSWER_YES);
    assert_int_equal(v->nwhere, 2);
    assert_string_equal(v->where[1], "knee_back_l");
    assert_int_equal(kn_screening_find(&back, "fever")->answer, KN_ANSWER_SKIPPED);
    kn_screening_clear(&back);
    kn_screening_clear(&s);

    /* The friendly forms of an answers file. */
    static const char *const ok[] = {
        "{\"cancer\": \"yes\", \"fever\": false, \"skin\": null}",
        "{\"answers\": {\"cancer\": true, \"varicose\": {\"answer\": \"yes\", \"where\": "
        "[\"calf_l\"]}}}",
        "[{\"question\": \"cancer\", \"answer\": \"yes\"}]",
        "{\"cancer\": \"skip\"}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        kn_screening_init(&s);
        if (kn_screening_answers_from_json(ok[i], &s, &err) != KN_OK)
            print_error("%s: %s\n", ok[i], err.msg);
        assert_int_equal(kn_screening_answers_from_json(ok[i], &s, &err), KN_OK);
        assert_non_null(kn_screening_find(&s, "cancer"));
        kn_screening_clear(&s);
    }
    static const char *const bad[] = {
        "not json",
        "{\"no_such_question\": \"yes\"}",
        "{\"cancer\": \"maybe\"}",
        "{\"varicose\": {\"answer\": \"yes\", \"where\": [\"leg\"]}}",
        "[1, 2]",
        "42",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kn_screening_init(&s);
        assert_int_equal(kn_screening_answers_from_json(bad[i], &s, &err), KN_EINVAL);
        assert_non_null(strstr(err.msg, "answers"));
        kn_screening_clear(&s);
    }
}

typedef struct fixture {
    char *dir;
    char *db;
    kn_store *st;
    int64_t person;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = kt_tmpdir();
    f->db = kt_path(f->dir, "k.db");
    kn_err err = {0};
    assert_int_equal(kn_store_open(f->db, KN_STORE_CREATE, &f->st, &err), KN_OK);
    f->person = kt_add_person(f->st, "Maya", "UTC");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kn_store_close(f->st);
    free(f->db);
    kt_rmtree(f->dir);
    free(f);
    return 0;
}

/* Records a screening answering only `yes` with yes, at the given UTC second. */
static kn_verdict record(fixture *f, const char *yes, int64_t at)
{
    kn_screening s;
    only_yes(&s, yes, NULL, 0);
    s.person_id = f->person;
    s.at = (kn_instant){at, 0};
    kn_screen_result r;
    kn_err err = {0};
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    assert_int_equal(kn_screen_record(f->st, &s, &r, &err), KN_OK);
    assert_int_equal(kn_store_commit(f->st), KN_OK);
    assert_true(s.id > 0);
    assert_int_equal(s.verdict, r.verdict);
    kn_screening_clear(&s);
    return r.verdict;
}

static void test_store_history_and_gate(void **state)
{
    fixture *f = *state;
    kn_err err = {0};
    assert_int_equal(kn_store_schema_version(f->st), KN_SCHEMA_VERSION);
    kn_gate g;
    assert_int_equal(kn_care_gate(f->st, f->person, &g, &err), KN_OK);
    assert_false(g.screened);
    assert_false(g.blocking);
    assert_true(strlen(g.message) > 10);

    assert_int_equal(record(f, "cancer", 1767225600), KN_VERDICT_REFER); /* 2026-01-01 */
    assert_int_equal(kn_care_gate(f->st, f->person, &g, &err), KN_OK);
    assert_true(g.screened && g.blocking);
    assert_int_equal(g.verdict, KN_VERDICT_REFER);
    assert_int_equal(g.max_pressure, 6);
    assert_non_null(strstr(g.message, "SEE A PHYSICIAN"));
    assert_non_null(strstr(g.message, "cancer"));
    assert_non_null(strstr(g.message, "2026-01-01"));

    assert_int_equal(record(f, "thunderclap", 1767312000), KN_VERDICT_EMERGENCY);
    assert_int_equal(kn_care_gate(f->st, f->person, &g, &err), KN_OK);
    assert_int_equal(g.verdict, KN_VERDICT_EMERGENCY);
    assert_non_null(strstr(g.message, "EMERGENCY"));

    /* An updated screening lifts the gate; the history keeps all three, newest first. */
    assert_int_equal(record(f, "blood_thinners", 1767398400), KN_VERDICT_CAUTION);
    assert_int_equal(kn_care_gate(f->st, f->person, &g, &err), KN_OK);
    assert_false(g.blocking);
    assert_int_equal(g.max_pressure, 4);
    assert_non_null(strstr(g.message, "caution"));
    kn_screening_list l;
    assert_int_equal(kn_store_screening_list(f->st, f->person, &l), KN_OK);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.items[0].verdict, KN_VERDICT_CAUTION);
    assert_int_equal(l.items[1].verdict, KN_VERDICT_EMERGENCY);
    assert_int_equal(l.items[2].verdict, KN_VERDICT_REFER);
    assert_int_equal(l.items[2].max_pressure, 6);
    assert_int_equal(l.items[0].nanswers, kn_question_count());
    assert_int_equal(kn_screening_find(&l.items[1], "thunderclap")->answer, KN_ANSWER_YES);
    kn_screening_list_free(&l);

    kn_screening latest;
    kn_screening_init(&latest);
    bool found = false;
    assert_int_equal(kn_store_screening_latest(f->st, f->person, &latest, &found), KN_OK);
    assert_true(found);
    assert_int_equal(latest.at.utc, 1767398400);
    kn_screening_clear(&latest);
    assert_int_equal(kn_store_screening_latest(f->st, f->person + 99, &latest, &found), KN_OK);
    assert_false(found);

    /* A screening for a person who does not exist is refused. */
    kn_screening s;
    only_yes(&s, NULL, NULL, 0);
    s.person_id = f->person + 99;
    s.at = (kn_instant){1767398400, 0};
    kn_screen_result r;
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    assert_int_not_equal(kn_screen_record(f->st, &s, &r, &err), KN_OK);
    kn_store_rollback(f->st);
    kn_screening_clear(&s);
}

/* A database made before screening existed (schema 1) gains the table, and every later one,
 * on open. */
static void test_schema_1_migrates(void **state)
{
    fixture *f = *state;
    kn_store_close(f->st);
    f->st = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            db,
            "DROP TABLE clearance; DROP TABLE session_note; DROP TABLE session_event; DROP TABLE "
            "live_session; DROP TABLE plan_block; DROP TABLE plan; DROP TABLE intake_onset; "
            "DROP TABLE intake; "
            "DROP TABLE therapist_specialty; DROP TABLE therapist; DROP TABLE "
            "screening; PRAGMA user_version = 1;",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    kn_err err = {0};
    assert_int_equal(kn_store_open(f->db, KN_STORE_READ, &f->st, &err), KN_OK);
    assert_int_equal(kn_store_schema_version(f->st), KN_SCHEMA_VERSION);
    assert_int_equal(record(f, "fever", 1767225600), KN_VERDICT_REFER);
}

static void test_diary_pain_map(void **state)
{
    fixture *f = *state;
    kn_day today = kn_day_from_civil(2026, 3, 10);
    /* temple_r: day 1 worst 6 (4 and 6), day 2 worst 2; jaw_l only long ago; neck 0. */
    static const struct {
        int day_offset, hour;
        const char *region;
        int intensity;
    } entries[] = {{0, 8, "temple_r", 4},
                   {0, 18, "temple_r", 6},
                   {-1, 9, "temple_r", 2},
                   {-40, 9, "jaw_l", 8},
                   {-2, 9, "neck_back_r", 0}};
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        kn_pain p;
        kn_pain_init(&p);
        p.person_id = f->person;
        p.day = today + entries[i].day_offset;
        p.at = (kn_instant){(int64_t)p.day * 86400 + entries[i].hour * 3600, 0};
        snprintf(p.region, sizeof p.region, "%s", entries[i].region);
        p.intensity = entries[i].intensity;
        bool added;
        assert_int_equal(kn_store_pain_add(f->st, &p, &added), KN_OK);
        kn_pain_clear(&p);
    }
    assert_int_equal(kn_store_commit(f->st), KN_OK);
    kn_painmap m;
    size_t n;
    kn_err err = {0};
    assert_int_equal(kn_care_painmap(f->st, f->person, today, 30, &m, &n, &err), KN_OK);
    assert_int_equal(n, 4);
    assert_int_equal(m.n, 1);
    assert_string_equal(kn_sided_id(m.region[0]), "temple_r");
    assert_float_equal(m.intensity[0], 4.0, 1e-6); /* mean of 6 and 2 */
    assert_int_equal(kn_care_painmap(f->st, f->person, today, 60, &m, &n, &err), KN_OK);
    assert_int_equal(m.n, 2);
    assert_int_equal(kn_care_painmap(f->st, f->person, today, 0, &m, &n, &err), KN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_answer_gives_its_verdict),
        cmocka_unit_test(test_clear_unanswered_and_combined),
        cmocka_unit_test(test_avoid_regions),
        cmocka_unit_test(test_answers_json),
        cmocka_unit_test_setup_teardown(test_store_history_and_gate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_1_migrates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_diary_pain_map, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
