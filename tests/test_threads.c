/* Eight threads, each with its own store handle on one database, run the whole care loop at
 * once for their own person (log, check-in, import, insights, ranking, screening, brief,
 * plan, live session); every result must equal the same work done on one thread in a
 * database of its own. The suite also runs this under ThreadSanitizer (make test). */
#include "harness.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knead/atlas.h"
#include "knead/care.h"
#include "knead/insight.h"
#include "knead/interop.h"
#include "knead/knead.h"
#include "knead/report.h"
#include "knead/store.h"

#define NTHREADS 8
#define ROUNDS 10
#define DEMO_DAYS 90

typedef struct job {
    const char *db;
    const char *csv; /* the person's file to import */
    int index;
    int64_t person, therapist;
    kn_day end;
    char *result; /* everything the work produced, as text */
    size_t len;
    FILE *out;
    char failure[600]; /* "" unless a step failed */
} job;

static void failed(job *j, const char *step, const char *why)
{
    if (!j->failure[0])
        snprintf(j->failure, sizeof j->failure, "person %d: %s: %s", j->index, step, why);
}

/* Runs one write step in its own transaction, as the faces do. */
#define WRITE(j, st, step, call)                                                               \
    do {                                                                                       \
        if (kn_store_begin(st) != KN_OK) {                                                     \
            failed(j, step, kn_store_errmsg(st));                                              \
            goto close_store;                                                                  \
        }                                                                                      \
        kn_rc write_rc_ = (call);                                                              \
        if (write_rc_ != KN_OK || kn_store_commit(st) != KN_OK) {                              \
            if (write_rc_ != KN_OK)                                                            \
                kn_store_rollback(st);                                                         \
            failed(j, step, err.msg[0] ? err.msg : kn_store_errmsg(st));                       \
            goto close_store;                                                                  \
        }                                                                                      \
    } while (0)

static kn_rc log_pain(kn_store *st, job *j, int round, kn_err *err)
{
    kn_pain p;
    kn_pain_init(&p);
    p.person_id = j->person;
    p.day = j->end;
    p.at = (kn_instant){.utc = (int64_t)j->end * 86400 + 8 * 3600 + round * 60};
    snprintf(p.region, sizeof p.region, "%s", round % 2 ? "temple_r" : "neck_back_r");
    p.intensity = 3 + (round + j->index) % 6;
    bool added = false;
    kn_rc rc = kn_store_pain_add(st, &p, &added);
    if (rc != KN_OK)
        kn_err_set(err, rc, "%s", kn_store_errmsg(st));
    return rc;
}

static kn_rc check_in(kn_store *st, job *j, int round, kn_err *err)
{
    kn_checkin c;
    kn_checkin_init(&c);
    c.person_id = j->person;
    c.day = j->end - round;
    c.stress = (j->index + round) % 11;
    c.sleep_hours = 5.5 + round;
    bool changed = false;
    kn_rc rc = kn_store_checkin_put(st, &c, &changed);
    if (rc != KN_OK)
        kn_err_set(err, rc, "%s", kn_store_errmsg(st));
    return rc;
}

static void put_json(job *j, json_t *v)
{
    json_object_del(v, "id"); /* row ids depend on how the threads interleave */
    char *text = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT);
    fprintf(j->out, "%s\n", text ? text : "(null)");
    free(text);
    json_decref(v);
}

static void put_session(job *j, kn_store *st, int64_t id)
{
    kn_session s;
    if (kn_store_session_get(st, id, &s) != KN_OK) {
        failed(j, "session get", kn_store_errmsg(st));
        return;
    }
    put_json(j, kn_json_session(&s));
    kn_session_clear(&s);
}

static void run_round(job *j, kn_store *st, int round)
{
    kn_err err = {0};
    kn_instant at = {.utc = (int64_t)j->end * 86400 + 12 * 3600 + round * 3600};

    WRITE(j, st, "log", log_pain(st, j, round, &err));
    WRITE(j, st, "check-in", check_in(st, j, round, &err));
    if (round == 0) {
        kn_import_result res;
        const char *paths[] = {j->csv};
        if (kn_import_files(st, j->person, paths, 1, NULL, NULL, &res, &err) != KN_OK) {
            failed(j, "import", err.msg);
            return;
        }
    }

    kn_insights ins;
    char *text = NULL;
    size_t len = 0;
    if (kn_insights_load(st, j->person, j->end - DEMO_DAYS, j->end, &ins, &err) != KN_OK ||
        kn_json_insights_text(&ins, false, &text, &len, &err) != KN_OK) {
        failed(j, "insights", err.msg);
        kn_insights_free(&ins);
        return;
    }
    fputs(text, j->out);
    free(text);
    kn_insights_free(&ins);

    kn_painmap map;
    kn_ranking ranking;
    size_t entries = 0;
    if (kn_care_painmap(st, j->person, j->end, 30, &map, &entries, &err) != KN_OK ||
        kn_rank(&map, 5, &ranking, &err) != KN_OK) {
        failed(j, "ranking", err.msg);
        return;
    }
    for (size_t i = 0; i < ranking.ntop; i++)
        fprintf(j->out, "%s %c %.9f\n", ranking.top[i].muscle->id, ranking.top[i].side,
                ranking.top[i].score);

    kn_screening s;
    kn_screening_init(&s);
    s.person_id = j->person;
    s.at = at;
    kn_screen_result verdict;
    kn_answer headache = round == 1 && j->index % 2 ? KN_ANSWER_YES : KN_ANSWER_NO;
    if (kn_screening_answer(&s, "thunderclap", headache, NULL, 0, &err) != KN_OK ||
        kn_screening_answer(&s, "dvt", KN_ANSWER_NO, NULL, 0, &err) != KN_OK) {
        failed(j, "screening answers", err.msg);
        kn_screening_clear(&s);
        return;
    }
    if (kn_store_begin(st) != KN_OK ||
        (kn_screen_carry_latest(st, j->person, &s, &err) != KN_OK ||
         kn_screen_record(st, &s, &verdict, &err) != KN_OK)) {
        kn_store_rollback(st);
        failed(j, "screening", err.msg[0] ? err.msg : kn_store_errmsg(st));
        kn_screening_clear(&s);
        return;
    }
    kn_store_commit(st);
    kn_screening_clear(&s);
    fprintf(j->out, "verdict %s\n", kn_verdict_name(verdict.verdict));

    kn_brief brief;
    char *page = NULL;
    if (kn_brief_load(st, j->person, j->end, 30, &brief, &err) != KN_OK ||
        kn_brief_render(&brief, KN_BRIEF_TEXT, &page, &err) != KN_OK) {
        failed(j, "brief", err.msg);
        kn_brief_free(&brief);
        return;
    }
    fputs(page, j->out);
    free(page);
    kn_brief_free(&brief);

    kn_plan plan;
    kn_gate gate;
    if (kn_store_begin(st) != KN_OK) {
        failed(j, "plan", kn_store_errmsg(st));
        return;
    }
    kn_rc rc = kn_plan_build(st, j->person, j->therapist, at, 30, 45, true, &plan, &gate, &err);
    if (rc == KN_EREFUSED) { /* the red flag of this round: the plan must be refused */
        kn_store_rollback(st);
        fprintf(j->out, "plan refused: %s\n", err.msg);
        return;
    }
    if (rc != KN_OK || kn_store_commit(st) != KN_OK) {
        if (rc != KN_OK)
            kn_store_rollback(st);
        failed(j, "plan", err.msg[0] ? err.msg : kn_store_errmsg(st));
        return;
    }
    put_json(j, kn_json_plan(&plan, &gate));

    int64_t session = 0;
    bool ease_off = false;
    kn_session_event e = {.at = {.utc = at.utc + 300}, .pressure = 5, .discomfort = 2 + round % 8};
    kn_note_fields note = {.subjective = "better after the first block"};
    if (kn_store_begin(st) != KN_OK ||
        kn_live_start(st, j->person, plan.id, j->therapist, at, 5, &session, &err) != KN_OK) {
        kn_store_rollback(st);
        failed(j, "session start", err.msg);
        return;
    }
    kn_store_commit(st);
    e.session_id = session;
    snprintf(e.region, sizeof e.region, "neck_back_r");
    if (kn_store_begin(st) != KN_OK || kn_live_feedback(st, &e, &ease_off, &err) != KN_OK) {
        kn_store_rollback(st);
        failed(j, "feedback", err.msg);
        return;
    }
    kn_store_commit(st);
    kn_instant done = {.utc = at.utc + 45 * 60};
    if (kn_store_begin(st) != KN_OK ||
        kn_live_finish(st, session, done, 0, 3, &note, &err) != KN_OK) {
        kn_store_rollback(st);
        failed(j, "finish", err.msg);
        return;
    }
    kn_store_commit(st);
    put_session(j, st, session);
    return;
close_store:
    return;
}

static void *run_job(void *arg)
{
    job *j = arg;
    kn_store *st = NULL;
    kn_err err = {0};
    if (kn_store_open(j->db, KN_STORE_READ, &st, &err) != KN_OK) {
        failed(j, "open", err.msg);
        return NULL;
    }
    for (int r = 0; r < ROUNDS && !j->failure[0]; r++)
        run_round(j, st, r);
    kn_store_close(st);
    return NULL;
}

/* A database with a therapist and NTHREADS demo persons; the person ids and therapist id
 * are the same in every database made this way. */
static void make_world(const char *db, job *jobs, const char *dir)
{
    kn_store *st = NULL;
    kn_err err = {0};
    if (kn_store_open(db, KN_STORE_CREATE, &st, &err) != KN_OK)
        fail_msg("open: %s", err.msg);
    kn_therapist t;
    kn_therapist_init(&t);
    t.name = "Dana Reyes";
    assert_int_equal(kn_store_begin(st), KN_OK);
    assert_int_equal(kn_store_therapist_add(st, &t), KN_OK);
    assert_int_equal(kn_store_commit(st), KN_OK);
    for (int i = 0; i < NTHREADS; i++) {
        job *j = &jobs[i];
        char name[32];
        snprintf(name, sizeof name, "Person %d", i);
        kn_demo_opts opts = {.days = DEMO_DAYS, .seed = 100 + (uint64_t)i,
                             .end = kn_day_from_civil(2026, 5, 31), .name = name};
        if (kn_demo_create(st, &opts, &j->person, &err) != KN_OK)
            fail_msg("demo: %s", err.msg);
        j->index = i;
        j->therapist = t.id;
        j->end = opts.end;
        j->db = db;
        char file[32];
        snprintf(file, sizeof file, "import-%d.csv", i);
        char *csv = kt_path(dir, file);
        char rows[4096] = "at,region,intensity,qualities,note\n";
        for (int d = 1; d <= 20; d++) {
            char row[128];
            snprintf(row, sizeof row, "2026-06-%02dT0%d:30:00Z,shoulder_top_r,%d,,\n", d % 28 + 1,
                     i % 9, (d + i) % 11);
            strcat(rows, row);
        }
        kt_write_file(csv, rows);
        j->csv = csv;
    }
    kn_store_close(st);
}

static void open_result(job *j)
{
    j->result = NULL;
    j->len = 0;
    j->out = open_memstream(&j->result, &j->len);
    assert_non_null(j->out);
    j->failure[0] = '\0';
}

static void test_eight_threads_match_one(void **state)
{
    (void)state;
    assert_int_equal(kn_init(NULL), KN_OK);
    char *dir = kt_tmpdir();
    char *shared = kt_path(dir, "shared.db"), *alone = kt_path(dir, "alone.db");
    job together[NTHREADS], one_by_one[NTHREADS];
    memset(together, 0, sizeof together);
    memset(one_by_one, 0, sizeof one_by_one);
    make_world(shared, together, dir);
    make_world(alone, one_by_one, dir);

    pthread_t threads[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        open_result(&together[i]);
        assert_int_equal(pthread_create(&threads[i], NULL, run_job, &together[i]), 0);
    }
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (int i = 0; i < NTHREADS; i++) {
        open_result(&one_by_one[i]);
        run_job(&one_by_one[i]);
    }

    for (int i = 0; i < NTHREADS; i++) {
        fclose(together[i].out);
        fclose(one_by_one[i].out);
        if (together[i].failure[0])
            fail_msg("in a thread: %s", together[i].failure);
        if (one_by_one[i].failure[0])
            fail_msg("alone: %s", one_by_one[i].failure);
        assert_true(together[i].len > 1000); /* the work did produce something */
        assert_non_null(strstr(together[i].result, "\"work\""));
        assert_string_equal(together[i].result, one_by_one[i].result);
        /* the odd persons' red flag of round 1 stopped that round's plan */
        assert_int_equal(strstr(together[i].result, "plan refused") != NULL, i % 2);
        free(together[i].result);
        free(one_by_one[i].result);
        free((char *)together[i].csv);
        free((char *)one_by_one[i].csv);
    }
    free(shared);
    free(alone);
    kt_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eight_threads_match_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
