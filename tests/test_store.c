/* Tests of the store's list reads (src/store/sqlite.c): check-ins with their tags and
 * treatments and sessions with their work and techniques read back over a range exactly as
 * written, days with no tags or treatments and sessions with no techniques included, in list order,
 * while another person's rows are interleaved with them; the lighter reads for analysis; and read
 * transactions (one snapshot, joining an open transaction, never blocking a writer). */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "knead/store.h"

typedef struct fixture {
    char *dir;
    char *path;
    kn_store *st;
    int64_t a, b; /* two persons whose records are written turn about */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = kt_tmpdir();
    f->path = kt_path(f->dir, "knead.db");
    kn_err err = {0};
    if (kn_store_open(f->path, KN_STORE_CREATE, &f->st, &err) != KN_OK)
        fail_msg("open %s: %s", f->path, err.msg);
    f->a = kt_add_person(f->st, "Person A", "+01:00");
    f->b = kt_add_person(f->st, "Person B", "+01:00");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kn_store_close(f->st);
    free(f->path);
    kt_rmtree(f->dir);
    free(f);
    return 0;
}

static kn_day day_of(const char *date)
{
    kn_day d;
    kn_err err = {0};
    if (kn_date_parse(date, "test", &d, &err) != KN_OK)
        fail_msg("%s", err.msg);
    return d;
}

static kn_instant instant_of(const char *iso)
{
    kn_instant t;
    kn_err err = {0};
    if (kn_instant_parse(iso, NULL, "test", &t, &err) != KN_OK)
        fail_msg("%s", err.msg);
    return t;
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ---- check-ins ---- */

/* A check-in of person on date; tags and treatments ("NAME[:DOSE]") are ';'-separated, ""
 * for none. */
static kn_checkin checkin(int64_t person, const char *date, int stress, const char *tags,
                          const char *treatments, const char *note)
{
    kn_checkin c;
    kn_checkin_init(&c);
    c.person_id = person;
    c.day = day_of(date);
    c.stress = stress;
    kn_err err = {0};
    char *list = strdup(tags), *save = NULL;
    for (char *w = strtok_r(list, ";", &save); w; w = strtok_r(NULL, ";", &save))
        assert_int_equal(kn_checkin_add_tag(&c, w, &err), KN_OK);
    free(list);
    list = strdup(treatments);
    for (char *w = strtok_r(list, ";", &save); w; w = strtok_r(NULL, ";", &save)) {
        kn_treatment t;
        assert_int_equal(kn_parse_treatment(w, "test", &t, &err), KN_OK);
        assert_int_equal(kn_checkin_add_treatment(&c, &t, &err), KN_OK);
        free(t.name);
        free(t.dose);
    }
    free(list);
    c.note = note ? strdup(note) : NULL;
    return c;
}

static void put_checkin(kn_store *st, const kn_checkin *c)
{
    bool changed = false;
    assert_int_equal(kn_store_begin(st), KN_OK);
    if (kn_store_checkin_put(st, c, &changed) != KN_OK)
        fail_msg("check-in put: %s", kn_store_errmsg(st));
    assert_int_equal(kn_store_commit(st), KN_OK);
    assert_true(changed);
}

/* The check-ins of person in [from, to] must be want[first .. first+n), field for field. */
static void assert_checkins(kn_store *st, int64_t person, kn_day from, kn_day to,
                            const kn_checkin *want, size_t first, size_t n)
{
    kn_checkin_list l;
    assert_int_equal(kn_store_checkin_list(st, person, from, to, &l), KN_OK);
    assert_int_equal(l.n, n);
    for (size_t i = 0; i < n; i++)
        if (!kn_checkin_equal(&l.items[i], &want[first + i]))
            fail_msg("check-in %zu of the range differs from the one written", i);
    kn_checkin_list_free(&l);
}

static void test_checkins_with_lists_over_a_range(void **state)
{
    fixture *f = *state;
    kn_checkin a[] = {
        checkin(f->a, "2025-03-01", 4, "travel;gym", "ibuprofen:400 mg;heat", NULL),
        checkin(f->a, "2025-03-02", KN_NONE, "", "", NULL), /* a day with neither */
        checkin(f->a, "2025-03-03", 7, "deadline", "", "a long day"),
        checkin(f->a, "2025-03-05", 2, "", "heat", NULL),
        checkin(f->a, "2025-03-07", 0, "gym;long drive;travel", "ibuprofen;heat:20 min", NULL),
    };
    kn_checkin b[] = {
        checkin(f->b, "2025-03-01", 5, "sick child", "paracetamol:1 g", NULL),
        checkin(f->b, "2025-03-03", 3, "", "", NULL),
        checkin(f->b, "2025-03-05", 6, "deadline;gym", "", NULL),
        checkin(f->b, "2025-03-07", KN_NONE, "", "heat", "b's note"),
    };
    a[1].sleep_hours = 7.5;
    a[1].routine = KN_ROUTINE_DISRUPTED;
    a[4].pain_free = 1;
    a[4].peg[0] = 3, a[4].peg[1] = 4, a[4].peg[2] = 5;
    /* Turn about, so that the rows of the two persons (and their tags) interleave. */
    for (size_t i = 0; i < 5; i++) {
        put_checkin(f->st, &a[i]);
        if (i < 4)
            put_checkin(f->st, &b[i]);
    }
    assert_checkins(f->st, f->a, KN_DAY_ANY, KN_DAY_ANY, a, 0, 5);
    assert_checkins(f->st, f->b, KN_DAY_ANY, KN_DAY_ANY, b, 0, 4);
    assert_checkins(f->st, f->a, day_of("2025-03-02"), day_of("2025-03-05"), a, 1, 3);
    assert_checkins(f->st, f->a, day_of("2025-03-05"), day_of("2025-03-05"), a, 3, 1);
    assert_checkins(f->st, f->a, KN_DAY_ANY, day_of("2025-03-01"), a, 0, 1);
    assert_checkins(f->st, f->a, day_of("2025-03-06"), KN_DAY_ANY, a, 4, 1);
    assert_checkins(f->st, f->a, day_of("2025-03-04"), day_of("2025-03-04"), a, 0, 0);
    assert_checkins(f->st, f->b, day_of("2025-03-02"), day_of("2025-03-02"), b, 0, 0);

    /* The merge reads the day back: the same check-in again changes nothing; new tags
     * replace the old ones and every other field stays. */
    bool changed = true;
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    assert_int_equal(kn_store_checkin_put(f->st, &a[0], &changed), KN_OK);
    assert_false(changed);
    kn_checkin update = checkin(f->a, "2025-03-01", KN_NONE, "rain", "", NULL);
    assert_int_equal(kn_store_checkin_put(f->st, &update, &changed), KN_OK);
    assert_int_equal(kn_store_commit(f->st), KN_OK);
    assert_true(changed);
    kn_checkin_clear(&update);
    kn_checkin merged = checkin(f->a, "2025-03-01", 4, "rain", "ibuprofen:400 mg;heat", NULL);
    assert_checkins(f->st, f->a, KN_DAY_ANY, day_of("2025-03-01"), &merged, 0, 1);
    kn_checkin_clear(&merged);
    for (size_t i = 0; i < 5; i++)
        kn_checkin_clear(&a[i]);
    for (size_t i = 0; i < 4; i++)
        kn_checkin_clear(&b[i]);
}

/* Every value of each small field and NULL, on check-ins with and without notes, tags and
 * treatments: the digest read (which packs the small fields into one column) must give the
 * same check-ins, tags and treatments as the full read, over the whole diary and a range. */
static void test_checkin_digest_read(void **state)
{
    fixture *f = *state;
    enum { N = 16 };
    kn_checkin want[N];
    for (int i = 0; i < N; i++) {
        char date[16];
        snprintf(date, sizeof date, "2025-04-%02d", i + 1);
        want[i] = checkin(f->a, date, i <= 10 ? i : KN_NONE, i % 3 ? "gym" : "",
                          i % 4 ? "" : "heat:20 min", i % 2 ? "a note" : NULL);
        kn_checkin *c = &want[i];
        c->sleep_quality = i < 11 ? 10 - i : KN_NONE;
        c->sleep_hours = i % 5 == 4 ? NAN : 0.1 * (i * 15 % 241);
        c->routine = (kn_routine)(i % 3 - 1);
        c->pain_free = i % 2 ? 1 : KN_NONE;
        for (int k = 0; k < 3; k++) /* all three or none (validation) */
            c->peg[k] = i == 11 ? KN_NONE : (i + 4 * k) % 11;
        put_checkin(f->st, c);
    }
    /* The full read is what was written (test_checkins_with_lists_over_a_range)... */
    kn_checkin_list l;
    assert_int_equal(kn_store_checkin_list(f->st, f->a, KN_DAY_ANY, KN_DAY_ANY, &l), KN_OK);
    assert_int_equal(l.n, N);
    for (int i = 0; i < N; i++)
        assert_true(kn_checkin_equal(&l.items[i], &want[i]));
    kn_checkin_list_free(&l);
    /* ... and the digest holds the same: N check-ins, 10 tags, 4 treatments. */
    assert_int_equal(kt_assert_digest_of_lists(f->st, f->a, KN_DAY_ANY, KN_DAY_ANY), N + 10 + 4);
    assert_int_equal(
        kt_assert_digest_of_lists(f->st, f->a, day_of("2025-04-04"), day_of("2025-04-09")),
        6 + 4 + 2);
    for (int i = 0; i < N; i++)
        kn_checkin_clear(&want[i]);
}

/* ---- sessions ---- */

/* A session; work is ';'-separated "REGION:PRESSURE[:DISCOMFORT]", techniques ';'-separated
 * ("" for none). */
static kn_session session(int64_t person, const char *at, const char *work, const char *techniques)
{
    kn_session s;
    kn_session_init(&s);
    s.person_id = person;
    s.at = instant_of(at);
    s.day = kn_instant_day(s.at);
    s.therapist = strdup("Kim");
    s.minutes = 45;
    kn_err err = {0};
    char *list = strdup(work), *save = NULL;
    for (char *w = strtok_r(list, ";", &save); w; w = strtok_r(NULL, ";", &save)) {
        kn_work wk;
        assert_int_equal(kn_parse_work(w, "test", &wk, &err), KN_OK);
        assert_int_equal(kn_session_add_work(&s, &wk, &err), KN_OK);
    }
    free(list);
    list = strdup(techniques);
    for (char *w = strtok_r(list, ";", &save); w; w = strtok_r(NULL, ";", &save))
        assert_int_equal(kn_session_add_technique(&s, w, &err), KN_OK);
    free(list);
    return s;
}

static void add_session(kn_store *st, kn_session *s)
{
    bool added = false;
    assert_int_equal(kn_store_begin(st), KN_OK);
    if (kn_store_session_add(st, s, &added) != KN_OK)
        fail_msg("session add: %s", kn_store_errmsg(st));
    assert_int_equal(kn_store_commit(st), KN_OK);
    assert_true(added);
}

static void assert_session(const kn_session *got, const kn_session *want)
{
    assert_int_equal(got->id, want->id);
    assert_int_equal(got->person_id, want->person_id);
    assert_int_equal(got->at.utc, want->at.utc);
    assert_int_equal(got->at.offset_min, want->at.offset_min);
    assert_int_equal(got->day, want->day);
    assert_int_equal(got->minutes, want->minutes);
    assert_int_equal(got->pre_pain, want->pre_pain);
    assert_int_equal(got->post_pain, want->post_pain);
    assert_true(same_text(got->therapist, want->therapist));
    assert_true(same_text(got->note, want->note));
    assert_int_equal(got->nwork, want->nwork);
    for (size_t i = 0; i < want->nwork; i++) {
        assert_string_equal(got->work[i].region, want->work[i].region);
        assert_int_equal(got->work[i].pressure, want->work[i].pressure);
        assert_int_equal(got->work[i].discomfort, want->work[i].discomfort);
    }
    assert_int_equal(got->ntechniques, want->ntechniques);
    for (size_t i = 0; i < want->ntechniques; i++)
        assert_string_equal(got->techniques[i], want->techniques[i]);
}

/* The sessions of person in [from, to] must be want[order[0]], want[order[1]], ... */
static void assert_sessions(kn_store *st, int64_t person, kn_day from, kn_day to,
                            const kn_session *want, const int *order, size_t n)
{
    kn_session_list l;
    assert_int_equal(kn_store_session_list(st, person, from, to, &l), KN_OK);
    assert_int_equal(l.n, n);
    for (size_t i = 0; i < n; i++)
        assert_session(&l.items[i], &want[order[i]]);
    kn_session_list_free(&l);
}

static void test_sessions_with_lists_over_a_range(void **state)
{
    fixture *f = *state;
    kn_session a[] = {
        session(f->a, "2025-03-01T18:00:00+01:00", "neck_side_r:5:2;scapula_l:3",
                "effleurage;trigger point"),
        /* the same day, earlier, written later: it comes first */
        session(f->a, "2025-03-01T09:00:00+01:00", "vertex:2", ""),
        session(f->a, "2025-03-04T10:00:00Z", "lowback_l:6:4", ""),
        session(f->a, "2025-03-06T10:00:00+01:00", "calf_l:3;calf_r:3:1;lowback_r:7", "stretching"),
    };
    kn_session b[] = {
        session(f->b, "2025-03-01T12:00:00+01:00", "calf_r:4", "effleurage"),
        session(f->b, "2025-03-04T12:00:00+01:00", "scapula_r:5", "kneading;stretching"),
    };
    a[0].pre_pain = 6;
    a[0].post_pain = 3;
    a[1].note = strdup("short one");
    a[2].pre_pain = 5;
    add_session(f->st, &a[0]);
    add_session(f->st, &b[0]);
    add_session(f->st, &a[1]);
    add_session(f->st, &a[2]);
    add_session(f->st, &b[1]);
    add_session(f->st, &a[3]);

    /* A session still open (live) is left out. */
    kn_session open = session(f->a, "2025-03-05T10:00:00+01:00", "", "");
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    if (kn_store_live_start(f->st, &open, 0, 0) != KN_OK)
        fail_msg("live start: %s", kn_store_errmsg(f->st));
    assert_int_equal(kn_store_commit(f->st), KN_OK);
    kn_session_clear(&open);

    static const int all_a[] = {1, 0, 2, 3}, all_b[] = {0, 1};
    assert_sessions(f->st, f->a, KN_DAY_ANY, KN_DAY_ANY, a, all_a, 4);
    assert_sessions(f->st, f->b, KN_DAY_ANY, KN_DAY_ANY, b, all_b, 2);
    assert_sessions(f->st, f->a, day_of("2025-03-01"), day_of("2025-03-01"), a, all_a, 2);
    assert_sessions(f->st, f->a, day_of("2025-03-02"), day_of("2025-03-05"), a, all_a + 2, 1);
    assert_sessions(f->st, f->a, day_of("2025-03-05"), day_of("2025-03-05"), a, all_a, 0);
    /* The digest has the same sessions (the open one left out too). */
    assert_int_equal(kt_assert_digest_of_lists(f->st, f->a, KN_DAY_ANY, KN_DAY_ANY), 4);
    assert_int_equal(
        kt_assert_digest_of_lists(f->st, f->a, day_of("2025-03-02"), day_of("2025-03-05")), 1);

    for (size_t i = 0; i < 4; i++)
        kn_session_clear(&a[i]);
    for (size_t i = 0; i < 2; i++)
        kn_session_clear(&b[i]);
}

/* ---- pain entries ---- */

static kn_pain pain(int64_t person, const char *at, const char *region, int intensity,
                    const char *note)
{
    kn_pain p;
    kn_pain_init(&p);
    p.person_id = person;
    p.at = instant_of(at);
    p.day = kn_instant_day(p.at);
    snprintf(p.region, sizeof p.region, "%s", region);
    p.intensity = intensity;
    p.qualities = 3;
    p.note = note ? strdup(note) : NULL;
    return p;
}

static void test_pain_in_list_order(void **state)
{
    fixture *f = *state;
    kn_pain want[] = {
        pain(f->a, "2025-03-01T20:00:00+01:00", "neck_side_r", 5, "evening"),
        pain(f->a, "2025-03-01T08:00:00+01:00", "neck_side_r", 3, NULL),
        pain(f->a, "2025-03-01T08:00:00+01:00", "temple_r", 4, NULL),
        /* 2025-03-01 in UTC, but the 2nd where it was felt */
        pain(f->a, "2025-03-02T00:30:00+01:00", "vertex", 2, NULL),
        pain(f->a, "2025-03-02T00:10:00+02:00", "vertex", 1, NULL),
    };
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    for (size_t i = 0; i < 5; i++) {
        bool added = false;
        kn_pain other = pain(f->b, "2025-03-01T10:00:00+01:00", "calf_r", (int)i, NULL);
        other.at.utc += (int64_t)i;
        assert_int_equal(kn_store_pain_add(f->st, &want[i], &added), KN_OK);
        assert_int_equal(kn_store_pain_add(f->st, &other, &added), KN_OK);
        kn_pain_clear(&other);
    }
    assert_int_equal(kn_store_commit(f->st), KN_OK);
    /* By day, then instant, then id. */
    static const int order[] = {1, 2, 0, 4, 3};
    kn_pain_list l;
    assert_int_equal(kn_store_pain_list(f->st, f->a, KN_DAY_ANY, KN_DAY_ANY, &l), KN_OK);
    assert_int_equal(l.n, 5);
    for (size_t i = 0; i < 5; i++) {
        const kn_pain *got = &l.items[i], *w = &want[order[i]];
        assert_int_equal(got->id, w->id);
        assert_int_equal(got->at.utc, w->at.utc);
        assert_int_equal(got->at.offset_min, w->at.offset_min);
        assert_int_equal(got->day, w->day);
        assert_string_equal(got->region, w->region);
        assert_int_equal(got->intensity, w->intensity);
        assert_int_equal(got->qualities, w->qualities);
        assert_true(same_text(got->note, w->note));
    }
    kn_pain_list_free(&l);
    /* The digest: the day, region and intensity of the same entries, in day order. */
    assert_int_equal(kt_assert_digest_of_lists(f->st, f->a, KN_DAY_ANY, KN_DAY_ANY), 5);
    assert_int_equal(kt_assert_digest_of_lists(f->st, f->a, day_of("2025-03-02"), KN_DAY_ANY), 2);
    assert_int_equal(kn_store_pain_list(f->st, f->a, day_of("2025-03-02"), KN_DAY_ANY, &l), KN_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.items[0].id, want[4].id);
    kn_pain_list_free(&l);
    for (size_t i = 0; i < 5; i++)
        kn_pain_clear(&want[i]);
}

/* ---- migration ---- */

/* Every row of sql on db, as text: columns split by '|', rows by newlines. */
static char *rows_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *v = sqlite3_column_text(st, i);
            int n = snprintf(out + len, cap - len, "%s%c", v ? (const char *)v : "NULL",
                             i + 1 < sqlite3_column_count(st) ? '|' : '\n');
            assert_true(n > 0 && (size_t)n < cap - len);
            len += (size_t)n;
        }
    sqlite3_finalize(st);
    return out;
}

static const char *const diary_queries[] = {
    "SELECT * FROM person ORDER BY id",
    "SELECT * FROM pain ORDER BY id",
    "SELECT * FROM checkin ORDER BY person_id, local_date",
    "SELECT * FROM checkin_tag ORDER BY person_id, local_date, pos",
    "SELECT * FROM checkin_treatment ORDER BY person_id, local_date, pos",
    "SELECT * FROM session ORDER BY id",
    "SELECT * FROM session_work ORDER BY session_id, pos",
    "SELECT * FROM session_technique ORDER BY session_id, pos",
    "SELECT * FROM therapist ORDER BY id",
    "SELECT session_id, state, plan_id, therapist_id, ended_utc, ended_offset, signed_utc, "
    "signed_offset FROM live_session ORDER BY session_id",
    "SELECT session_id, version, at_utc, offset_min, subjective, objective, assessment, plan, "
    "reason FROM session_note ORDER BY session_id, version",
};
#define NQUERIES (sizeof diary_queries / sizeof diary_queries[0])

/* A database of schema 3 opened by this knead is migrated in place: every row the same,
 * foreign keys and integrity intact, and the migrated tables work (a replaced check-in
 * drops its old tags and treatments through the cascade; analysis reads the same diary). */
static void test_migration_from_schema_3(void **state)
{
    (void)state;
    char *dir = kt_tmpdir();
    char *path = kt_path(dir, "old.db");
    char *fixture_path = kt_path(KNEAD_SOURCE_DIR, "tests/data/migration/schema3.sql");
    char *sql = kt_read_file(fixture_path);
    assert_non_null(sql);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("load %s: %s", fixture_path, sqlite3_errmsg(db));
    char *before[NQUERIES];
    for (size_t i = 0; i < NQUERIES; i++)
        before[i] = rows_text(db, diary_queries[i]);
    assert_non_null(strstr(before[2], "with a note, and 'quotes'"));
    assert_non_null(strstr(before[3], "long drive"));
    assert_non_null(strstr(before[9], "signed"));
    assert_non_null(strstr(before[10], "left side added"));
    sqlite3_close(db);

    kn_store *st = NULL;
    kn_err err = {0};
    if (kn_store_open(path, 0, &st, &err) != KN_OK)
        fail_msg("open %s: %s", path, err.msg);
    assert_int_equal(kn_store_schema_version(st), KN_SCHEMA_VERSION);
    kn_checkin_list all;
    assert_int_equal(kn_store_checkin_list(st, 1, KN_DAY_ANY, KN_DAY_ANY, &all), KN_OK);
    assert_int_equal(all.n, 16);
    assert_true(kt_assert_digest_of_lists(st, 1, KN_DAY_ANY, KN_DAY_ANY) > all.n);
    kn_store_close(st);

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (size_t i = 0; i < NQUERIES; i++) {
        char *after = rows_text(db, diary_queries[i]);
        if (strcmp(after, before[i]) != 0)
            fail_msg("%s: the rows changed in the migration", diary_queries[i]);
        free(after);
        free(before[i]);
    }
    char *fk = rows_text(db, "PRAGMA foreign_key_check");
    assert_string_equal(fk, "");
    free(fk);
    char *ok = rows_text(db, "PRAGMA integrity_check");
    assert_string_equal(ok, "ok\n");
    free(ok);
    char *plan = rows_text(db, "EXPLAIN QUERY PLAN SELECT local_date, region, intensity FROM pain "
                               "WHERE person_id = 1 ORDER BY local_date");
    assert_non_null(strstr(plan, "COVERING INDEX pain_by_day"));
    free(plan);
    /* The new tables kept their foreign keys and cascades. */
    assert_int_equal(sqlite3_exec(db,
                                  "PRAGMA foreign_keys = ON; DELETE FROM checkin WHERE "
                                  "person_id = 1 AND local_date = '2026-06-29'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    char *left = rows_text(db, "SELECT count(*) FROM checkin_tag WHERE local_date = '2026-06-29' "
                               "UNION ALL SELECT count(*) FROM checkin_treatment WHERE "
                               "local_date = '2026-06-29'");
    assert_string_equal(left, "0\n0\n");
    free(left);
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO checkin_tag VALUES (1, '2031-01-01', 0, "
                                      "'orphan')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);

    /* The store writes the new tables: a check-in put with other tags replaces them. */
    assert_int_equal(kn_store_open(path, 0, &st, &err), KN_OK);
    kn_checkin replaced = checkin(1, "2026-06-28", 5, "rain", "", NULL);
    bool changed = false;
    assert_int_equal(kn_store_begin(st), KN_OK);
    assert_int_equal(kn_store_checkin_put(st, &replaced, &changed), KN_OK);
    assert_int_equal(kn_store_commit(st), KN_OK);
    kn_checkin_list day;
    assert_int_equal(kn_store_checkin_list(st, 1, replaced.day, replaced.day, &day), KN_OK);
    assert_int_equal(day.n, 1);
    assert_int_equal(day.items[0].stress, 5);
    assert_int_equal(day.items[0].ntags, 1);
    assert_string_equal(day.items[0].tags[0], "rain");
    kn_checkin_list_free(&day);
    kn_checkin_clear(&replaced);
    kn_checkin_list_free(&all);
    kn_store_close(st);
    free(sql);
    free(fixture_path);
    free(path);
    kt_rmtree(dir);
}

/* ---- read transactions ---- */

static void add_one_pain(kn_store *st, int64_t person, const char *at)
{
    kn_pain p = pain(person, at, "vertex", 3, NULL);
    bool added = false;
    if (kn_store_pain_add(st, &p, &added) != KN_OK)
        fail_msg("pain add: %s", kn_store_errmsg(st));
    assert_true(added);
    kn_pain_clear(&p);
}

static int64_t pain_count(kn_store *st, int64_t person)
{
    kn_counts c;
    assert_int_equal(kn_store_counts(st, person, &c), KN_OK);
    return c.pain;
}

static void test_read_transaction(void **state)
{
    fixture *f = *state;
    /* A read transaction ends with commit or rollback; then writes run as before. */
    assert_int_equal(kn_store_begin_read(f->st), KN_OK);
    assert_int_equal(pain_count(f->st, f->a), 0);
    assert_int_equal(kn_store_commit(f->st), KN_OK);
    assert_int_equal(kn_store_begin_read(f->st), KN_OK);
    kn_store_rollback(f->st);
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    add_one_pain(f->st, f->a, "2025-03-01T08:00:00Z");
    assert_int_equal(kn_store_commit(f->st), KN_OK);

    /* Inside a write transaction it joins it: ending the read leaves the writes open. */
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    add_one_pain(f->st, f->a, "2025-03-01T09:00:00Z");
    assert_int_equal(kn_store_begin_read(f->st), KN_OK);
    assert_int_equal(pain_count(f->st, f->a), 2);
    kn_store_rollback(f->st);
    add_one_pain(f->st, f->a, "2025-03-01T10:00:00Z");
    assert_int_equal(kn_store_begin_read(f->st), KN_OK);
    assert_int_equal(kn_store_commit(f->st), KN_OK);
    assert_int_equal(kn_store_commit(f->st), KN_OK);
    assert_int_equal(pain_count(f->st, f->a), 3);

    /* No write transaction starts inside a read one. */
    assert_int_equal(kn_store_begin_read(f->st), KN_OK);
    assert_int_not_equal(kn_store_begin(f->st), KN_OK);
    kn_store_rollback(f->st);
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    kn_store_rollback(f->st);

    /* A reader keeps its snapshot and does not keep a writer on another handle waiting. */
    kn_store *writer = NULL;
    kn_err err = {0};
    assert_int_equal(kn_store_open(f->path, KN_STORE_READ, &writer, &err), KN_OK);
    assert_int_equal(kn_store_begin_read(f->st), KN_OK);
    assert_int_equal(pain_count(f->st, f->a), 3);
    assert_int_equal(kn_store_begin(writer), KN_OK);
    add_one_pain(writer, f->a, "2025-03-01T11:00:00Z");
    assert_int_equal(kn_store_commit(writer), KN_OK);
    assert_int_equal(pain_count(f->st, f->a), 3);
    assert_int_equal(kn_store_commit(f->st), KN_OK);
    assert_int_equal(pain_count(f->st, f->a), 4);
    kn_store_close(writer);
}

/* A second writer that cannot get the database within the busy timeout gets KN_EBUSY (a face
 * says "try again"), not a generic database failure; the first writer's work is unharmed. */
static void test_second_writer_busy(void **state)
{
    fixture *f = *state;
    kn_err err = {0};
    kn_store *other = NULL;
    assert_int_equal(kn_store_open(f->path, 0, &other, &err), KN_OK);
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    assert_int_equal(kn_store_begin(other), KN_EBUSY);
    assert_int_equal(kn_store_error(other, &err), KN_EBUSY);
    assert_non_null(strstr(err.msg, "busy; try again"));
    assert_int_equal(kn_store_commit(f->st), KN_OK);
    assert_int_equal(kn_store_begin(other), KN_OK);
    assert_int_equal(kn_store_commit(other), KN_OK);
    kn_store_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_checkins_with_lists_over_a_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkin_digest_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions_with_lists_over_a_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pain_in_list_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_transaction, setup, teardown),
        cmocka_unit_test(test_migration_from_schema_3),
        cmocka_unit_test_setup_teardown(test_second_writer_busy, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
