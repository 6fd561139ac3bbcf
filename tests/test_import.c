/* Tests of CSV import and export (src/interop/import.c, export.c) through the library: each
 * kind imports, a re-import adds nothing, a bad row anywhere leaves the database unchanged
 * with a FILE:LINE message, unknown headers are refused, and export then import into a fresh
 * database gives the same diary, absent fields included. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "knead/interop.h"

#define PAIN_HEADER "at,region,intensity,qualities,note\n"
#define CHECKIN_HEADER                                                                             \
    "date,stress,sleep_hours,sleep_quality,routine,pain_free,tags,treatments,peg_pain,"            \
    "peg_enjoyment,peg_activity,note\n"
#define SESSION_HEADER "at,minutes,therapist,work,techniques,pre_pain,post_pain,note\n"

/* Every test gets a directory, a database in it and one person living at UTC+02:00. */
typedef struct fixture {
    char *dir;
    kn_store *st;
    int64_t person;
} fixture;

static kn_store *open_store(const char *dir, const char *name)
{
    char *path = kt_path(dir, name);
    kn_store *st = NULL;
    kn_err err = {0};
    if (kn_store_open(path, KN_STORE_CREATE, &st, &err) != KN_OK)
        fail_msg("open %s: %s", path, err.msg);
    free(path);
    return st;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = kt_tmpdir();
    f->st = open_store(f->dir, "knead.db");
    f->person = kt_add_person(f->st, "Test Person", "+02:00");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kn_store_close(f->st);
    kt_rmtree(f->dir);
    free(f);
    return 0;
}

/* Writes text to dir/name and returns the path (the caller frees it). */
static char *write_csv(const fixture *f, const char *name, const char *text)
{
    char *path = kt_path(f->dir, name);
    kt_write_file(path, text);
    return path;
}

static kn_rc import1(kn_store *st, int64_t person, const char *path, kn_import_result *res,
                     kn_err *err)
{
    const char *paths[] = {path};
    return kn_import_files(st, person, paths, 1, NULL, NULL, res, err);
}

/* Imports one file that must succeed. */
static kn_import_result import_ok(kn_store *st, int64_t person, const char *path)
{
    kn_import_result res;
    kn_err err = {0};
    if (import1(st, person, path, &res, &err) != KN_OK)
        fail_msg("import %s: %s", path, err.msg);
    return res;
}

static kn_counts counts(kn_store *st, int64_t person)
{
    kn_counts c;
    assert_int_equal(kn_store_counts(st, person, &c), KN_OK);
    return c;
}

static void assert_counts(kn_store *st, int64_t person, int64_t pain, int64_t checkins,
                          int64_t sessions)
{
    kn_counts c = counts(st, person);
    assert_int_equal(c.pain, pain);
    assert_int_equal(c.checkins, checkins);
    assert_int_equal(c.sessions, sessions);
}

static int64_t utc_of(const char *iso)
{
    kn_instant t;
    kn_err err = {0};
    if (kn_instant_parse(iso, NULL, "test", &t, &err) != KN_OK)
        fail_msg("%s", err.msg);
    return t.utc;
}

static kn_qualities qualities_of(const char *list)
{
    kn_qualities q;
    kn_err err = {0};
    assert_int_equal(kn_qualities_parse(list, ';', "test", &q, &err), KN_OK);
    return q;
}

/* ---- each kind imports ---- */

static const char pain_csv[] =
    PAIN_HEADER "2025-03-01T09:00:00+01:00,neck_side_r,6,aching;stiffness,\"woke up, stiff\"\n"
                "2025-03-01T23:30,temple_r,4,,\n"
                "2025-03-02T07:15:00Z,vertex,0,throbbing,\"said \"\"ouch\"\"\nthen sat down\"\n";

static void test_pain_imports(void **state)
{
    fixture *f = *state;
    char *path = write_csv(f, "pain.csv", pain_csv);
    kn_import_result res = import_ok(f->st, f->person, path);
    assert_int_equal(res.read, 3);
    assert_int_equal(res.added, 3);
    assert_int_equal(res.skipped, 0);

    kn_pain_list l;
    assert_int_equal(kn_store_pain_list(f->st, f->person, KN_DAY_ANY, KN_DAY_ANY, &l), KN_OK);
    assert_int_equal(l.n, 3);
    const kn_pain *p = &l.items[0];
    assert_int_equal(p->at.utc, utc_of("2025-03-01T08:00:00Z"));
    assert_int_equal(p->at.offset_min, 60);
    assert_int_equal(p->day, kn_day_from_civil(2025, 3, 1));
    assert_string_equal(p->region, "neck_side_r");
    assert_int_equal(p->intensity, 6);
    assert_int_equal(p->qualities, qualities_of("aching;stiffness"));
    assert_string_equal(p->note, "woke up, stiff");
    /* no offset in the cell: the person's zone supplies it */
    p = &l.items[1];
    assert_int_equal(p->at.utc, utc_of("2025-03-01T21:30:00Z"));
    assert_int_equal(p->at.offset_min, 120);
    assert_int_equal(p->day, kn_day_from_civil(2025, 3, 1));
    assert_int_equal(p->qualities, 0);
    assert_null(p->note);
    p = &l.items[2];
    assert_int_equal(p->at.offset_min, 0);
    assert_string_equal(p->region, "vertex");
    assert_int_equal(p->intensity, 0);
    assert_string_equal(p->note, "said \"ouch\"\nthen sat down");
    kn_pain_list_free(&l);
    free(path);
}

static const char checkin_csv[] = CHECKIN_HEADER
    "2025-03-01,7,5.5,4,disrupted,,travel;deadline,ibuprofen:400mg;heat pack,6,5,7,\"bad, day\"\n"
    "2025-03-02,,8,,normal,yes,,,,,,\n"
    "2025-03-03,,,,,,,,,,,\n";

static void test_checkin_imports(void **state)
{
    fixture *f = *state;
    char *path = write_csv(f, "checkin.csv", checkin_csv);
    kn_import_result res = import_ok(f->st, f->person, path);
    assert_int_equal(res.read, 3);
    assert_int_equal(res.added, 3);

    kn_checkin_list l;
    assert_int_equal(kn_store_checkin_list(f->st, f->person, KN_DAY_ANY, KN_DAY_ANY, &l), KN_OK);
    assert_int_equal(l.n, 3);
    const kn_checkin *c = &l.items[0];
    assert_int_equal(c->day, kn_day_from_civil(2025, 3, 1));
    assert_int_equal(c->stress, 7);
    assert_true(fabs(c->sleep_hours - 5.5) < 1e-9);
    assert_int_equal(c->sleep_quality, 4);
    assert_int_equal(c->routine, KN_ROUTINE_DISRUPTED);
    assert_int_equal(c->pain_free, KN_NONE);
    assert_int_equal(c->ntags, 2);
    assert_string_equal(c->tags[0], "travel");
    assert_string_equal(c->tags[1], "deadline");
    assert_int_equal(c->ntreatments, 2);
    assert_string_equal(c->treatments[0].name, "ibuprofen");
    assert_string_equal(c->treatments[0].dose, "400mg");
    assert_string_equal(c->treatments[1].name, "heat pack");
    assert_null(c->treatments[1].dose);
    assert_int_equal(c->peg[0], 6);
    assert_int_equal(c->peg[1], 5);
    assert_int_equal(c->peg[2], 7);
    assert_string_equal(c->note, "bad, day");
    c = &l.items[1];
    assert_int_equal(c->stress, KN_NONE);
    assert_true(fabs(c->sleep_hours - 8.0) < 1e-9);
    assert_int_equal(c->sleep_quality, KN_NONE);
    assert_int_equal(c->routine, KN_ROUTINE_NORMAL);
    assert_int_equal(c->pain_free, 1);
    assert_int_equal(c->ntags, 0);
    assert_int_equal(c->peg[0], KN_NONE);
    assert_null(c->note);
    /* a day with nothing recorded but the date: every field absent, none 0 */
    c = &l.items[2];
    assert_int_equal(c->stress, KN_NONE);
    assert_true(isnan(c->sleep_hours));
    assert_int_equal(c->sleep_quality, KN_NONE);
    assert_int_equal(c->routine, KN_ROUTINE_NONE);
    assert_int_equal(c->pain_free, KN_NONE);
    assert_int_equal(c->peg[1], KN_NONE);
    kn_checkin_list_free(&l);
    free(path);
}

static const char session_csv[] = SESSION_HEADER
    "2025-03-03T17:00,60,Sam Lee,neck_side_r:6:7;shoulder_top_r:5,trigger point;stretching,6,3,"
    "\"felt looser\"\n"
    "2025-03-10T17:00:00+02:00,45,\"Lee, Sam\",temple_l:3:,,,,\n";

static void test_session_imports(void **state)
{
    fixture *f = *state;
    char *path = write_csv(f, "session.csv", session_csv);
    kn_import_result res = import_ok(f->st, f->person, path);
    assert_int_equal(res.read, 2);
    assert_int_equal(res.added, 2);

    kn_session_list l;
    assert_int_equal(kn_store_session_list(f->st, f->person, KN_DAY_ANY, KN_DAY_ANY, &l), KN_OK);
    assert_int_equal(l.n, 2);
    const kn_session *s = &l.items[0];
    assert_int_equal(s->at.utc, utc_of("2025-03-03T15:00:00Z"));
    assert_int_equal(s->minutes, 60);
    assert_string_equal(s->therapist, "Sam Lee");
    assert_int_equal(s->nwork, 2);
    assert_string_equal(s->work[0].region, "neck_side_r");
    assert_int_equal(s->work[0].pressure, 6);
    assert_int_equal(s->work[0].discomfort, 7);
    assert_string_equal(s->work[1].region, "shoulder_top_r");
    assert_int_equal(s->work[1].pressure, 5);
    assert_int_equal(s->work[1].discomfort, KN_NONE);
    assert_int_equal(s->ntechniques, 2);
    assert_string_equal(s->techniques[1], "stretching");
    assert_int_equal(s->pre_pain, 6);
    assert_int_equal(s->post_pain, 3);
    assert_string_equal(s->note, "felt looser");
    s = &l.items[1];
    assert_string_equal(s->therapist, "Lee, Sam");
    assert_int_equal(s->nwork, 1);
    assert_int_equal(s->work[0].discomfort, KN_NONE);
    assert_int_equal(s->ntechniques, 0);
    assert_int_equal(s->pre_pain, KN_NONE);
    assert_int_equal(s->post_pain, KN_NONE);
    assert_null(s->note);
    kn_session_list_free(&l);
    free(path);
}

static void test_bom_and_crlf(void **state)
{
    fixture *f = *state;
    char *path = write_csv(f, "pain.csv",
                           "\xEF\xBB\xBF"
                           "at,region,intensity,qualities,note\r\n"
                           "2025-03-01T09:00Z,neck_side_r,6,,\"two\r\nlines\"\r\n"
                           "\r\n"
                           "2025-03-01T10:00Z,neck_side_r,5,,");
    kn_import_result res = import_ok(f->st, f->person, path);
    assert_int_equal(res.read, 2);
    kn_pain_list l;
    assert_int_equal(kn_store_pain_list(f->st, f->person, KN_DAY_ANY, KN_DAY_ANY, &l), KN_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0].note, "two\r\nlines");
    kn_pain_list_free(&l);
    free(path);
}

/* ---- duplicates and merging ---- */

static void test_reimport_adds_nothing(void **state)
{
    fixture *f = *state;
    char *paths[] = {write_csv(f, "pain.csv", pain_csv), write_csv(f, "checkin.csv", checkin_csv),
                     write_csv(f, "session.csv", session_csv)};
    kn_import_result res;
    kn_err err = {0};
    assert_int_equal(
        kn_import_files(f->st, f->person, (const char *const *)paths, 3, NULL, NULL, &res, &err),
        KN_OK);
    assert_int_equal(res.read, 8);
    assert_int_equal(res.added, 8);
    assert_counts(f->st, f->person, 3, 3, 2);
    assert_int_equal(
        kn_import_files(f->st, f->person, (const char *const *)paths, 3, NULL, NULL, &res, &err),
        KN_OK);
    assert_int_equal(res.read, 8);
    assert_int_equal(res.added, 0);
    assert_int_equal(res.skipped, 8);
    assert_counts(f->st, f->person, 3, 3, 2);
    for (int i = 0; i < 3; i++)
        free(paths[i]);
}

static void test_duplicates_within_a_file(void **state)
{
    fixture *f = *state;
    char *path = write_csv(f, "pain.csv",
                           PAIN_HEADER "2025-03-01T09:00Z,neck_side_r,6,,\n"
                                       "2025-03-01T11:00+02:00,neck_side_r,7,,same instant\n"
                                       "2025-03-01T09:00Z,neck_side_l,6,,other region\n");
    kn_import_result res = import_ok(f->st, f->person, path);
    assert_int_equal(res.read, 3);
    assert_int_equal(res.added, 2);
    assert_int_equal(res.skipped, 1);
    free(path);
}

static void test_checkin_merge(void **state)
{
    fixture *f = *state;
    char *first = write_csv(f, "a.csv", CHECKIN_HEADER "2025-03-01,5,7,,,,work,,,,,first\n");
    char *second = write_csv(f, "b.csv", CHECKIN_HEADER "2025-03-01,8,,6,,,,,,,,\n");
    import_ok(f->st, f->person, first);
    kn_import_result res = import_ok(f->st, f->person, second);
    assert_int_equal(res.added, 1);
    res = import_ok(f->st, f->person, second);
    assert_int_equal(res.added, 0);
    assert_int_equal(res.skipped, 1);
    kn_checkin_list l;
    assert_int_equal(kn_store_checkin_list(f->st, f->person, KN_DAY_ANY, KN_DAY_ANY, &l), KN_OK);
    assert_int_equal(l.n, 1);
    /* recorded later replaces, absent later keeps */
    assert_int_equal(l.items[0].stress, 8);
    assert_true(fabs(l.items[0].sleep_hours - 7.0) < 1e-9);
    assert_int_equal(l.items[0].sleep_quality, 6);
    assert_int_equal(l.items[0].ntags, 1);
    assert_string_equal(l.items[0].note, "first");
    kn_checkin_list_free(&l);
    free(first);
    free(second);
}

/* ---- errors: FILE:LINE, and nothing written ---- */

typedef struct bad_case {
    const char *text;
    long line;
    const char *msg; /* the message after "FILE:LINE: " */
} bad_case;

static const bad_case bad_cases[] = {
    {PAIN_HEADER "2025-03-01T09:00Z,neck_side_r,6,,\n2025-03-01T10:00Z,neck_side_r,11,,\n", 3,
     "intensity 11: must be 0-10"},
    {PAIN_HEADER "2025-03-01T09:00Z,neck_side_r,,,\n", 2, "intensity: a number is required"},
    {PAIN_HEADER "2025-03-01T09:00Z,neck_side,6,,\n", 2,
     "region neck_side: paired region needs a side: neck_side_l (left) or neck_side_r (right)"},
    {PAIN_HEADER "2025-03-01T09:00Z,elbow_q,6,,\n", 2,
     "region elbow_q: unknown region"},
    {PAIN_HEADER ",neck_side_r,6,,\n", 2, "at: is required"},
    {PAIN_HEADER "2025-03-01T09:00Z,neck_side_r,6,aching;achy,\n", 2,
     "qualities 'achy': unknown quality; did you mean aching? (one of aching, throbbing, "
     "shooting, stabbing, sharp, burning, electric, tingling, numbness, stiffness, cramping, "
     "tender, dull)"},
    {PAIN_HEADER "2025-03-01T09:00Z,neck_side_r,6,,\n2025-03-01T10:00Z,neck_side_r,6,\n", 3,
     "4 fields, but the pain header has 5"},
    {PAIN_HEADER "2025-03-01T09:00Z,neck_side_r,6,,\n\"2025-03-01T10:00Z\",neck_side_r,6,,\"open\n",
     3, "field 5: unterminated quoted field"},
    {PAIN_HEADER "2025-03-01T09:00Z,neck_side_r,6,,a\"b\n", 2,
     "field 5: quote inside an unquoted field (quote the whole field and double the quote)"},
    {CHECKIN_HEADER "2025-03-01,,,,weird,,,,,,,\n", 2,
     "routine 'weird': must be normal or disrupted"},
    {CHECKIN_HEADER "2025-03-01,,,,,no,,,,,,\n", 2, "pain_free 'no': must be yes or empty"},
    {CHECKIN_HEADER "2025-03-01,,,,,,,,5,,,\n", 2,
     "peg_pain, peg_enjoyment, peg_activity: give all three or none"},
    {CHECKIN_HEADER "2025-03-01,,7.25,,,,,,,,,\n", 2,
     "sleep_hours 7.25: at most one decimal (e.g. 7.5)"},
    {CHECKIN_HEADER "2025-02-30,,,,,,,,,,,\n", 2, "date 2025-02-30: no such day in that month"},
    {CHECKIN_HEADER "2025-03-01,11,,,,,,,,,,\n", 2, "stress 11: must be 0-10"},
    {CHECKIN_HEADER "2025-03-01,,,,,,a;;b,,,,,\n", 2, "tags 'a;;b': empty item in list"},
    {SESSION_HEADER "2025-03-03T17:00Z,0,Sam,neck_side_r:5,,,,\n", 2, "minutes 0: must be 1-600"},
    {SESSION_HEADER "2025-03-03T17:00Z,60,,neck_side_r:5,,,,\n", 2, "therapist: is required"},
    {SESSION_HEADER "2025-03-03T17:00Z,60,Sam,neck_side_r,,,,\n", 2,
     "work 'neck_side_r': want REGION:PRESSURE[:DISCOMFORT]"},
    {SESSION_HEADER "2025-03-03T17:00Z,60,Sam,,,,,\n", 2, "work: is required"},
    {SESSION_HEADER "2025-03-03T17:00Z,60,Sam,neck_side_r:11,,,,\n", 2,
     "work neck_side_r pressure 11: must be 1-10"},
};

static void test_bad_rows(void **state)
{
    fixture *f = *state;
    /* something already recorded must survive every failed import */
    char *good = write_csv(f, "good.csv", pain_csv);
    import_ok(f->st, f->person, good);
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        char *path = write_csv(f, "bad.csv", bad_cases[i].text);
        kn_import_result res;
        kn_err err = {0};
        kn_rc rc = import1(f->st, f->person, path, &res, &err);
        assert_int_not_equal(rc, KN_OK);
        char want[KN_ERRMSG_MAX];
        snprintf(want, sizeof want, "%s:%ld: %s", path, bad_cases[i].line, bad_cases[i].msg);
        if (strcmp(err.msg, want) != 0)
            fail_msg("case %zu:\n got  %s\n want %s", i, err.msg, want);
        assert_int_equal(res.added, 0);
        assert_counts(f->st, f->person, 3, 0, 0);
        free(path);
    }
    free(good);
}

static void test_bad_row_in_second_file(void **state)
{
    fixture *f = *state;
    char *before = write_csv(f, "before.csv", checkin_csv);
    import_ok(f->st, f->person, before);
    char *paths[] = {
        write_csv(f, "pain.csv", pain_csv),
        write_csv(f, "session.csv",
                  SESSION_HEADER "2025-03-03T17:00Z,60,Sam,neck_side_r:5,,,,\n"
                                 "2025-03-04T17:00Z,60,Sam,neck_side_r:5,,,,\n"
                                 "2025-03-05T17:00Z,60,Sam,neck_side_r:5,,12,,\n"),
    };
    kn_import_result res;
    kn_err err = {0};
    assert_int_not_equal(
        kn_import_files(f->st, f->person, (const char *const *)paths, 2, NULL, NULL, &res, &err),
        KN_OK);
    char want[KN_ERRMSG_MAX];
    snprintf(want, sizeof want, "%s:4: pre_pain 12: must be 0-10", paths[1]);
    assert_string_equal(err.msg, want);
    assert_counts(f->st, f->person, 0, 3, 0);
    /* the store is usable afterwards: the transaction was closed */
    import_ok(f->st, f->person, paths[0]);
    assert_counts(f->st, f->person, 3, 3, 0);
    free(before);
    free(paths[0]);
    free(paths[1]);
}

static void test_unknown_header(void **state)
{
    fixture *f = *state;
    static const char *const texts[] = {
        "at,region,intensity\n2025-03-01T09:00Z,neck_side_r,6\n",
        "at,region,intensity,qualities,note,extra\n",
        "At,region,intensity,qualities,note\n",
        "\n\nwhatever\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *path = write_csv(f, "odd.csv", texts[i]);
        kn_err err = {0};
        kn_import_result res;
        assert_int_equal(import1(f->st, f->person, path, &res, &err), KN_EINVAL);
        char want[600];
        snprintf(want, sizeof want, "%s:%d: unknown header row; ", path, i == 3 ? 3 : 1);
        assert_memory_equal(err.msg, want, strlen(want));
        assert_non_null(strstr(err.msg, "pain 'at,region,intensity,qualities,note'"));
        assert_non_null(strstr(err.msg, "checkin 'date,stress,sleep_hours,sleep_quality,routine,"
                                        "pain_free,tags,treatments,peg_pain,peg_enjoyment,"
                                        "peg_activity,note'"));
        assert_non_null(strstr(err.msg, "session 'at,minutes,therapist,work,techniques,pre_pain,"
                                        "post_pain,note'"));
        free(path);
    }
    char *path = write_csv(f, "empty.csv", "");
    kn_err err = {0};
    assert_int_equal(import1(f->st, f->person, path, NULL, &err), KN_EINVAL);
    char want[600];
    snprintf(want, sizeof want, "%s: empty file; ", path);
    assert_memory_equal(err.msg, want, strlen(want));
    free(path);
    assert_counts(f->st, f->person, 0, 0, 0);
}

static void test_header_only_imports_nothing(void **state)
{
    fixture *f = *state;
    char *path = write_csv(f, "pain.csv", PAIN_HEADER);
    kn_import_result res = import_ok(f->st, f->person, path);
    assert_int_equal(res.read, 0);
    assert_int_equal(res.added, 0);
    free(path);
}

static void test_no_such_person_or_file(void **state)
{
    fixture *f = *state;
    char *path = write_csv(f, "pain.csv", pain_csv);
    kn_err err = {0};
    assert_int_equal(import1(f->st, 99, path, NULL, &err), KN_ENOTFOUND);
    assert_string_equal(err.msg, "person 99: no such person");
    char *missing = kt_path(f->dir, "missing.csv");
    const char *paths[] = {path, missing};
    assert_int_equal(kn_import_files(f->st, f->person, paths, 2, NULL, NULL, NULL, &err), KN_EIO);
    char want[600];
    snprintf(want, sizeof want, "%s: cannot open: ", missing);
    assert_memory_equal(err.msg, want, strlen(want));
    assert_counts(f->st, f->person, 0, 0, 0);
    /* err may be NULL */
    assert_int_equal(import1(f->st, 99, path, NULL, NULL), KN_ENOTFOUND);
    free(missing);
    free(path);
}

static void test_stdin(void **state)
{
    fixture *f = *state;
    char *path = write_csv(f, "pain.csv", PAIN_HEADER "2025-03-01T09:00Z,neck_side_r,x,,\n");
    assert_non_null(freopen(path, "rb", stdin));
    kn_err err = {0};
    assert_int_equal(import1(f->st, f->person, "-", NULL, &err), KN_EINVAL);
    assert_string_equal(err.msg, "stdin:2: intensity 'x': not a whole number");
    free(path);
    path = write_csv(f, "pain2.csv", pain_csv);
    assert_non_null(freopen(path, "rb", stdin));
    kn_import_result res = import_ok(f->st, f->person, "-");
    assert_int_equal(res.added, 3);
    free(path);
}

/* ---- large files: pain entries go to the store many to a statement ---- */

/* A pain file of n rows ten minutes apart from 2025-01-01T00:00Z. Every 7th row repeats the
 * instant and region of the one before it (a duplicate), every 50th has a note, the offset
 * changes every 300 rows, and row bad (0-based; -1 = none) has intensity 11. *dups counts
 * the duplicates. */
static char *big_pain_csv(const fixture *f, const char *name, int n, int bad, int *dups)
{
    static const char *const regions[] = {"neck_side_r", "temple_l", "vertex", "scapula_r"};
    kn_buf text;
    kn_buf_init(&text, (size_t)1 << 30);
    assert_int_equal(kn_buf_puts(&text, PAIN_HEADER), KN_OK);
    *dups = 0;
    for (int i = 0; i < n; i++) {
        int k = i % 7 == 6 ? i - 1 : i; /* the row whose instant and region this one has */
        *dups += k != i;
        int64_t utc = utc_of("2025-01-01T00:00Z") + (int64_t)k * 600;
        kn_instant at = {utc, (k / 300) % 2 ? 60 : 0};
        char iso[KN_INSTANT_LEN];
        kn_instant_format(at, iso);
        assert_int_equal(kn_buf_printf(&text, "%s,%s,%d,%s,%s\n", iso, regions[k % 4],
                                       i == bad ? 11 : i % 11, i % 3 ? "aching" : "",
                                       i % 50 ? "" : "\"note, number\""),
                         KN_OK);
    }
    char *path = write_csv(f, name, kn_buf_str(&text));
    kn_buf_free(&text);
    return path;
}

static void test_large_pain_file(void **state)
{
    fixture *f = *state;
    const int n = 9000; /* over two flushes of the importer, many statements and a tail */
    int dups;
    char *path = big_pain_csv(f, "big.csv", n, -1, &dups);
    kn_import_result res = import_ok(f->st, f->person, path);
    assert_int_equal(res.read, n);
    assert_int_equal(res.added, n - dups);
    assert_int_equal(res.skipped, dups);
    assert_counts(f->st, f->person, n - dups, 0, 0);

    kn_pain_list l;
    assert_int_equal(kn_store_pain_list(f->st, f->person, KN_DAY_ANY, KN_DAY_ANY, &l), KN_OK);
    assert_int_equal(l.n, (size_t)(n - dups));
    for (size_t j = 0; j < l.n; j++) {
        const kn_pain *p = &l.items[j];
        int i = (int)((p->at.utc - utc_of("2025-01-01T00:00Z")) / 600); /* the first row of it */
        assert_int_equal(p->at.offset_min, (i / 300) % 2 ? 60 : 0);
        assert_int_equal(p->day, kn_instant_day(p->at));
        assert_int_equal(p->intensity, i % 11); /* the first one stays */
        assert_int_equal(p->qualities, i % 3 ? qualities_of("aching") : 0);
        if (i % 50)
            assert_null(p->note);
        else
            assert_string_equal(p->note, "note, number");
    }
    kn_pain_list_free(&l);

    res = import_ok(f->st, f->person, path);
    assert_int_equal(res.added, 0);
    assert_int_equal(res.skipped, n);
    assert_counts(f->st, f->person, n - dups, 0, 0);
    free(path);
}

static void test_bad_row_late_in_large_file(void **state)
{
    fixture *f = *state;
    int dups;
    char *path = big_pain_csv(f, "big.csv", 9000, 8500, &dups);
    kn_import_result res;
    kn_err err = {0};
    assert_int_equal(import1(f->st, f->person, path, &res, &err), KN_EINVAL);
    char want[KN_ERRMSG_MAX];
    snprintf(want, sizeof want, "%s:8502: intensity 11: must be 0-10", path);
    assert_string_equal(err.msg, want);
    assert_int_equal(res.added, 0);
    assert_counts(f->st, f->person, 0, 0, 0);
    free(path);
}

/* n entries of person, a minute apart; entries i and i+1 share an instant when i % 10 == 9. */
static kn_pain *pain_entries(size_t n, int64_t person)
{
    kn_pain *items = calloc(n, sizeof *items);
    assert_non_null(items);
    for (size_t i = 0; i < n; i++) {
        kn_pain_init(&items[i]);
        items[i].person_id = person;
        items[i].at.utc =
            utc_of("2025-01-01T00:00Z") + 60 * (int64_t)(i % 10 == 0 && i ? i - 1 : i);
        items[i].day = kn_instant_day(items[i].at);
        strcpy(items[i].region, "temple_r");
        items[i].intensity = 5;
    }
    return items;
}

static void test_store_pain_add_many(void **state)
{
    fixture *f = *state;
    int64_t other = kt_add_person(f->st, "Test Person", "UTC");
    const size_t n = 1300;
    kn_pain *items = pain_entries(n, f->person);
    size_t added = 0, failed = 0;
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    assert_int_equal(kn_store_pain_add_many(f->st, items, n, &added, &failed), KN_OK);
    assert_int_equal(added, n - (n - 1) / 10);
    /* again: all already recorded; then entries of two people in one call */
    assert_int_equal(kn_store_pain_add_many(f->st, items, n, &added, &failed), KN_OK);
    assert_int_equal(added, 0);
    for (size_t i = 0; i < n; i += 2)
        items[i].person_id = other;
    assert_int_equal(kn_store_pain_add_many(f->st, items, n, &added, &failed), KN_OK);
    assert_int_equal(kn_store_commit(f->st), KN_OK);
    /* the even entries are new for the other person (their odd neighbours stay with the
     * first, so none of them repeats another); the odd ones are already recorded */
    assert_int_equal(added, n / 2);
    assert_counts(f->st, other, (int64_t)(n / 2), 0, 0);

    /* the entry at fault is named: an invalid one, and one of a person who does not exist */
    items[700].intensity = 11;
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    assert_int_equal(kn_store_pain_add_many(f->st, items, n, &added, &failed), KN_EINVAL);
    assert_int_equal(failed, 700);
    assert_string_equal(kn_store_errmsg(f->st), "intensity 11: must be 0-10");
    kn_store_rollback(f->st);
    items[700].intensity = 5;
    for (size_t i = 0; i < n; i++)
        items[i].person_id = f->person;
    items[900].person_id = 99;
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    assert_int_equal(kn_store_pain_add_many(f->st, items, n, &added, &failed), KN_ENOTFOUND);
    assert_int_equal(failed, 900);
    kn_store_rollback(f->st);
    /* one person who does not exist: the whole statement fails, one at a time finds the first */
    for (size_t i = 0; i < n; i++)
        items[i].person_id = 99;
    assert_int_equal(kn_store_begin(f->st), KN_OK);
    assert_int_equal(kn_store_pain_add_many(f->st, items, n, &added, &failed), KN_ENOTFOUND);
    assert_int_equal(failed, 0);
    kn_store_rollback(f->st);
    assert_counts(f->st, f->person, (int64_t)(n - (n - 1) / 10), 0, 0);
    free(items);
}

/* ---- local times: the person's zone is opened once per import ---- */

/* Local wall times every ten minutes for three hours either side of each change of offset in
 * the zone during the given years (DST gaps and folds included) parse to the same instant
 * with the opened zone as by the zone's name. */
static void check_zone(const char *name, const int *years, size_t nyears)
{
    kn_zone *z = NULL;
    kn_err err = {0};
    if (kn_zone_open(name, &z, &err) != KN_OK)
        fail_msg("open %s: %s", name, err.msg);
    int changes = 0;
    for (size_t y = 0; y < nyears; y++) {
        int64_t from = (int64_t)kn_day_from_civil(years[y], 1, 1) * 86400;
        int64_t to = (int64_t)kn_day_from_civil(years[y] + 1, 1, 1) * 86400;
        for (int64_t t = from; t < to; t += 6 * 3600) {
            int32_t a, b;
            assert_int_equal(kn_zone_offset(z, t, &a, &err), KN_OK);
            assert_int_equal(kn_zone_offset(z, t + 6 * 3600, &b, &err), KN_OK);
            if (a == b)
                continue;
            changes++;
            for (int64_t u = t - 3 * 3600; u <= t + 9 * 3600; u += 600) {
                int32_t want_off;
                assert_int_equal(kn_zone_offset_at(name, u, &want_off, &err), KN_OK);
                int32_t got_off;
                assert_int_equal(kn_zone_offset(z, u, &got_off, &err), KN_OK);
                assert_int_equal(got_off, want_off);
                char iso[KN_INSTANT_LEN];
                kn_instant local = {u, 0};
                kn_instant_format(local, iso);
                iso[19] = '\0'; /* the wall time without an offset */
                kn_instant want, got;
                assert_int_equal(kn_instant_parse(iso, name, "at", &want, &err), KN_OK);
                assert_int_equal(kn_instant_parse_in(iso, z, "at", &got, &err), KN_OK);
                if (got.utc != want.utc || got.offset_min != want.offset_min)
                    fail_msg("%s %s: %lld%+d, want %lld%+d", name, iso, (long long)got.utc,
                             got.offset_min, (long long)want.utc, want.offset_min);
            }
        }
    }
    assert_true(changes > 0);
    /* far from any change the file lists: the C library's rule, by name */
    static const int64_t far[] = {-2208988800, 32503680000};
    for (size_t i = 0; i < 2; i++) {
        int32_t a, b;
        assert_int_equal(kn_zone_offset_at(name, far[i], &a, &err), KN_OK);
        assert_int_equal(kn_zone_offset(z, far[i], &b, &err), KN_OK);
        assert_int_equal(a, b);
    }
    kn_zone_close(z);
}

static void test_opened_zones(void **state)
{
    (void)state;
    static const int years[] = {1970, 1996, 2025, 2036};
    check_zone("Europe/Berlin", years, 4);
    check_zone("America/New_York", years, 4);
    check_zone("Australia/Lord_Howe", years, 4); /* a half-hour change */
    check_zone("Europe/Dublin", years, 4);       /* "negative" summer time in the tz data */
    kn_zone *z = NULL;
    kn_err err = {0};
    int32_t off;
    assert_int_equal(kn_zone_open(NULL, &z, &err), KN_OK);
    assert_int_equal(kn_zone_offset(z, 0, &off, &err), KN_OK);
    assert_int_equal(off, 0);
    kn_zone_close(z);
    assert_int_equal(kn_zone_open("-03:30", &z, &err), KN_OK);
    assert_int_equal(kn_zone_offset(z, 0, &off, &err), KN_OK);
    assert_int_equal(off, -210);
    kn_zone_close(z);
    assert_int_equal(kn_zone_open("Mars/Olympus", &z, &err), KN_EINVAL);
    assert_null(z);
}

static void test_local_times_import(void **state)
{
    fixture *f = *state;
    int64_t berlin = kt_add_person(f->st, "Test Person", "Europe/Berlin");
    /* before, inside (02:30 does not exist) and after the spring gap, in the autumn fold
     * (02:30 happens twice: the earlier offset wins), after it, and in summer */
    static const char *const ats[] = {"2025-03-30T01:30", "2025-03-30T02:30", "2025-03-30T04:30",
                                      "2025-10-26T02:30", "2025-10-26T03:30", "2025-07-01T12:00"};
    kn_buf text;
    kn_buf_init(&text, (size_t)1 << 20);
    assert_int_equal(kn_buf_puts(&text, PAIN_HEADER), KN_OK);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(kn_buf_printf(&text, "%s,vertex,3,,\n", ats[i]), KN_OK);
    char *path = write_csv(f, "local.csv", kn_buf_str(&text));
    kn_buf_free(&text);
    kn_import_result res = import_ok(f->st, berlin, path);
    assert_int_equal(res.added, 6);
    kn_pain_list l;
    assert_int_equal(kn_store_pain_list(f->st, berlin, KN_DAY_ANY, KN_DAY_ANY, &l), KN_OK);
    assert_int_equal(l.n, 6);
    for (size_t i = 0; i < 6; i++) {
        kn_instant want;
        kn_err err = {0};
        assert_int_equal(kn_instant_parse(ats[i], "Europe/Berlin", "at", &want, &err), KN_OK);
        bool found = false;
        for (size_t j = 0; j < l.n; j++)
            found |= l.items[j].at.utc == want.utc && l.items[j].at.offset_min == want.offset_min;
        if (!found)
            fail_msg("%s: not imported as %lld%+d", ats[i], (long long)want.utc, want.offset_min);
    }
    kn_pain_list_free(&l);
    free(path);
}

/* ---- progress ---- */

typedef struct progress_log {
    int calls;
    int64_t last_done, last_total;
    bool monotonic;
} progress_log;

static void on_progress(void *ctx, int64_t done, int64_t total)
{
    progress_log *log = ctx;
    if (done < log->last_done)
        log->monotonic = false;
    log->calls++;
    log->last_done = done;
    log->last_total = total;
}

static void test_progress(void **state)
{
    fixture *f = *state;
    char *path = kt_path(f->dir, "big.csv");
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    fputs(PAIN_HEADER, out);
    const int rows = 40000; /* a minute apart through January */
    for (int i = 0; i < rows; i++)
        fprintf(out, "2025-01-%02dT%02d:%02d:00Z,neck_side_r,%d,,\n", 1 + i / 1440, i / 60 % 24,
                i % 60, i % 11);
    long size = ftell(out);
    assert_int_equal(fclose(out), 0);
    progress_log log = {.monotonic = true};
    const char *paths[] = {path};
    kn_import_result res;
    kn_err err = {0};
    if (kn_import_files(f->st, f->person, paths, 1, on_progress, &log, &res, &err) != KN_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(res.read, rows);
    assert_true(log.calls >= 2);
    assert_true(log.calls <= 4);
    assert_true(log.monotonic);
    assert_int_equal(log.last_done, size);
    assert_int_equal(log.last_total, size);
    free(path);
}

/* ---- export, and export then import ---- */

static char *export_text(kn_store *st, int64_t person, kn_kind kind, kn_format format)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    kn_err err = {0};
    if (kn_export(st, person, kind, format, out, &err) != KN_OK)
        fail_msg("export: %s", err.msg);
    assert_int_equal(fclose(out), 0);
    return text;
}

static bool str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void assert_same_pain(kn_store *a, int64_t pa, kn_store *b, int64_t pb)
{
    kn_pain_list la, lb;
    assert_int_equal(kn_store_pain_list(a, pa, KN_DAY_ANY, KN_DAY_ANY, &la), KN_OK);
    assert_int_equal(kn_store_pain_list(b, pb, KN_DAY_ANY, KN_DAY_ANY, &lb), KN_OK);
    assert_int_equal(la.n, lb.n);
    for (size_t i = 0; i < la.n; i++) {
        const kn_pain *x = &la.items[i], *y = &lb.items[i];
        assert_int_equal(x->at.utc, y->at.utc);
        assert_int_equal(x->at.offset_min, y->at.offset_min);
        assert_int_equal(x->day, y->day);
        assert_string_equal(x->region, y->region);
        assert_int_equal(x->intensity, y->intensity);
        assert_int_equal(x->qualities, y->qualities);
        assert_true(str_eq(x->note, y->note));
    }
    kn_pain_list_free(&la);
    kn_pain_list_free(&lb);
}

static void assert_same_checkins(kn_store *a, int64_t pa, kn_store *b, int64_t pb)
{
    kn_checkin_list la, lb;
    assert_int_equal(kn_store_checkin_list(a, pa, KN_DAY_ANY, KN_DAY_ANY, &la), KN_OK);
    assert_int_equal(kn_store_checkin_list(b, pb, KN_DAY_ANY, KN_DAY_ANY, &lb), KN_OK);
    assert_int_equal(la.n, lb.n);
    for (size_t i = 0; i < la.n; i++) {
        kn_checkin *x = &la.items[i], *y = &lb.items[i];
        assert_int_equal(x->day, y->day);
        assert_int_equal(x->stress, y->stress);
        assert_int_equal(isnan(x->sleep_hours), isnan(y->sleep_hours));
        if (!isnan(x->sleep_hours))
            assert_true(fabs(x->sleep_hours - y->sleep_hours) < 1e-9);
        assert_int_equal(x->sleep_quality, y->sleep_quality);
        assert_int_equal(x->routine, y->routine);
        assert_int_equal(x->pain_free, y->pain_free);
        assert_int_equal(x->ntags, y->ntags);
        for (size_t t = 0; t < x->ntags; t++)
            assert_string_equal(x->tags[t], y->tags[t]);
        assert_int_equal(x->ntreatments, y->ntreatments);
        for (size_t t = 0; t < x->ntreatments; t++) {
            assert_string_equal(x->treatments[t].name, y->treatments[t].name);
            assert_true(str_eq(x->treatments[t].dose, y->treatments[t].dose));
        }
        assert_memory_equal(x->peg, y->peg, sizeof x->peg);
        assert_true(str_eq(x->note, y->note));
        /* and the library's own comparison agrees */
        int64_t person = x->person_id;
        x->person_id = y->person_id;
        assert_true(kn_checkin_equal(x, y));
        x->person_id = person;
    }
    kn_checkin_list_free(&la);
    kn_checkin_list_free(&lb);
}

static void assert_same_sessions(kn_store *a, int64_t pa, kn_store *b, int64_t pb)
{
    kn_session_list la, lb;
    assert_int_equal(kn_store_session_list(a, pa, KN_DAY_ANY, KN_DAY_ANY, &la), KN_OK);
    assert_int_equal(kn_store_session_list(b, pb, KN_DAY_ANY, KN_DAY_ANY, &lb), KN_OK);
    assert_int_equal(la.n, lb.n);
    for (size_t i = 0; i < la.n; i++) {
        const kn_session *x = &la.items[i], *y = &lb.items[i];
        assert_int_equal(x->at.utc, y->at.utc);
        assert_int_equal(x->at.offset_min, y->at.offset_min);
        assert_int_equal(x->day, y->day);
        assert_string_equal(x->therapist, y->therapist);
        assert_int_equal(x->minutes, y->minutes);
        assert_int_equal(x->nwork, y->nwork);
        for (size_t w = 0; w < x->nwork; w++) {
            assert_string_equal(x->work[w].region, y->work[w].region);
            assert_int_equal(x->work[w].pressure, y->work[w].pressure);
            assert_int_equal(x->work[w].discomfort, y->work[w].discomfort);
        }
        assert_int_equal(x->ntechniques, y->ntechniques);
        for (size_t t = 0; t < x->ntechniques; t++)
            assert_string_equal(x->techniques[t], y->techniques[t]);
        assert_int_equal(x->pre_pain, y->pre_pain);
        assert_int_equal(x->post_pain, y->post_pain);
        assert_true(str_eq(x->note, y->note));
    }
    kn_session_list_free(&la);
    kn_session_list_free(&lb);
}

static const char tricky_pain_csv[] = PAIN_HEADER
    "2025-03-01T09:00:00-05:30,jaw_r,3,tender,\"a, b; \"\"c\"\"\r\nd\"\n"
    "2025-03-01T09:00:00-05:30,jaw_l,10,aching;throbbing;shooting;stabbing;sharp;burning;"
    "electric;tingling;numbness;stiffness;cramping;tender;dull,caf\xC3\xA9 \xE2\x9C\x93\n"
    "2025-12-31T23:59:59+14:00,vertex,1,,  spaced  \n";

static const char tricky_checkin_csv[] =
    CHECKIN_HEADER "2025-03-01,0,0,0,normal,yes,\"a,b;q\"\"t\",x:1 tablet;y,0,0,0,\"line\nbreak\"\n"
                   "2025-03-02,10,24,10,disrupted,,,,10,10,10,\n"
                   "2025-03-03,,7.5,,,,,,,,,\n";

static const char tricky_session_csv[] = SESSION_HEADER
    "2025-03-03T17:00:00+05:45,600,\"O'Brien, \"\"Pat\"\"\",neck_side_r:10:0;vertex:1,"
    "\"myofascial, slow\",0,10,\"n\"\n"
    "2025-03-04T08:00:00Z,1,Sam,temple_l:2,,,,\n";

static void test_export_import_round_trip(void **state)
{
    fixture *f = *state;
    char *paths[] = {write_csv(f, "pain.csv", tricky_pain_csv),
                     write_csv(f, "checkin.csv", tricky_checkin_csv),
                     write_csv(f, "session.csv", tricky_session_csv)};
    kn_import_result res;
    kn_err err = {0};
    kn_rc rc =
        kn_import_files(f->st, f->person, (const char *const *)paths, 3, NULL, NULL, &res, &err);
    if (rc != KN_OK)
        fail_msg("%s", err.msg);

    /* the data are also imported once more through the demo person, for volume */
    kn_demo_opts o = {.days = 60, .seed = 3, .end = kn_day_from_civil(2025, 1, 31)};
    int64_t demo = 0;
    assert_int_equal(kn_demo_create(f->st, &o, &demo, &err), KN_OK);

    static const kn_kind kinds[] = {KN_KIND_PAIN, KN_KIND_CHECKIN, KN_KIND_SESSION};
    static const char *const names[] = {"pain-out.csv", "checkin-out.csv", "session-out.csv"};
    const int64_t sources[] = {f->person, demo};
    for (size_t s = 0; s < 2; s++) {
        kn_store *fresh = open_store(f->dir, s ? "fresh-demo.db" : "fresh.db");
        int64_t person = kt_add_person(fresh, "Test Person", s ? "UTC" : "+02:00");
        char *out[3];
        char *text[3];
        for (size_t k = 0; k < 3; k++) {
            text[k] = export_text(f->st, sources[s], kinds[k], KN_FORMAT_CSV);
            out[k] = write_csv(f, names[k], text[k]);
        }
        if (kn_import_files(fresh, person, (const char *const *)out, 3, NULL, NULL, &res, &err) !=
            KN_OK)
            fail_msg("re-import: %s", err.msg);
        assert_same_pain(f->st, sources[s], fresh, person);
        assert_same_checkins(f->st, sources[s], fresh, person);
        assert_same_sessions(f->st, sources[s], fresh, person);
        /* the second export is the same text as the first */
        for (size_t k = 0; k < 3; k++) {
            char *again = export_text(fresh, person, kinds[k], KN_FORMAT_CSV);
            assert_string_equal(again, text[k]);
            free(again);
            free(text[k]);
            free(out[k]);
        }
        kn_store_close(fresh);
    }
    for (int i = 0; i < 3; i++)
        free(paths[i]);
}

static void test_export_csv_text(void **state)
{
    fixture *f = *state;
    char *path = write_csv(f, "checkin.csv", checkin_csv);
    import_ok(f->st, f->person, path);
    char *text = export_text(f->st, f->person, KN_KIND_CHECKIN, KN_FORMAT_CSV);
    assert_string_equal(text, CHECKIN_HEADER
                        "2025-03-01,7,5.5,4,disrupted,,travel;deadline,ibuprofen:400mg;heat "
                        "pack,6,5,7,\"bad, day\"\n"
                        "2025-03-02,,8.0,,normal,yes,,,,,,\n"
                        "2025-03-03,,,,,,,,,,,\n");
    free(text);
    free(path);
    path = write_csv(f, "pain.csv", pain_csv);
    import_ok(f->st, f->person, path);
    text = export_text(f->st, f->person, KN_KIND_PAIN, KN_FORMAT_CSV);
    assert_string_equal(text, PAIN_HEADER
                        "2025-03-01T09:00:00+01:00,neck_side_r,6,aching;stiffness,\"woke up, "
                        "stiff\"\n"
                        "2025-03-01T23:30:00+02:00,temple_r,4,,\n"
                        "2025-03-02T07:15:00+00:00,vertex,0,throbbing,\"said \"\"ouch\"\"\nthen "
                        "sat down\"\n");
    free(text);
    free(path);
    /* a person with nothing recorded exports the header alone, or an empty array */
    text = export_text(f->st, f->person, KN_KIND_SESSION, KN_FORMAT_CSV);
    assert_string_equal(text, SESSION_HEADER);
    free(text);
    text = export_text(f->st, f->person, KN_KIND_SESSION, KN_FORMAT_JSON);
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    assert_non_null(v);
    assert_true(json_is_array(v) && json_array_size(v) == 0);
    json_decref(v);
    free(text);
}

static void test_export_json(void **state)
{
    fixture *f = *state;
    char *paths[] = {write_csv(f, "pain.csv", pain_csv), write_csv(f, "checkin.csv", checkin_csv),
                     write_csv(f, "session.csv", session_csv)};
    kn_err err = {0};
    assert_int_equal(
        kn_import_files(f->st, f->person, (const char *const *)paths, 3, NULL, NULL, NULL, &err),
        KN_OK);
    static const kn_kind kinds[] = {KN_KIND_PAIN, KN_KIND_CHECKIN, KN_KIND_SESSION};
    static const size_t want[] = {3, 3, 2};
    for (size_t k = 0; k < 3; k++) {
        char *text = export_text(f->st, f->person, kinds[k], KN_FORMAT_JSON);
        json_error_t jerr;
        json_t *v = json_loads(text, 0, &jerr);
        if (!v)
            fail_msg("JSON export of %s: %s", kn_kind_name(kinds[k]), jerr.text);
        assert_true(json_is_array(v));
        assert_int_equal(json_array_size(v), want[k]);
        json_decref(v);
        free(text);
        free(paths[k]);
    }
    /* absent is null, never 0 */
    char *text = export_text(f->st, f->person, KN_KIND_CHECKIN, KN_FORMAT_JSON);
    json_t *v = json_loads(text, 0, NULL);
    json_t *last = json_array_get(v, 2);
    assert_true(json_is_null(json_object_get(last, "stress")));
    assert_true(json_is_null(json_object_get(last, "sleep_hours")));
    assert_true(json_is_null(json_object_get(last, "peg")));
    assert_true(json_is_null(json_object_get(last, "note")));
    json_decref(v);
    free(text);
    FILE *out = open_memstream(&text, &(size_t){0});
    assert_int_equal(kn_export(f->st, 99, KN_KIND_PAIN, KN_FORMAT_CSV, out, &err), KN_ENOTFOUND);
    assert_string_equal(err.msg, "person 99: no such person");
    fclose(out);
    free(text);
}

static void test_kind_and_format_names(void **state)
{
    (void)state;
    kn_err err = {0};
    kn_kind k;
    kn_format fmt;
    assert_int_equal(kn_kind_parse("checkin", "--kind", &k, &err), KN_OK);
    assert_int_equal(k, KN_KIND_CHECKIN);
    assert_string_equal(kn_kind_name(KN_KIND_SESSION), "session");
    assert_string_equal(kn_kind_header(KN_KIND_PAIN), "at,region,intensity,qualities,note");
    assert_int_equal(kn_kind_parse("pains", "--kind", &k, &err), KN_EINVAL);
    assert_string_equal(err.msg, "--kind 'pains': must be pain, checkin or session");
    assert_int_equal(kn_format_parse("json", "--format", &fmt, &err), KN_OK);
    assert_int_equal(fmt, KN_FORMAT_JSON);
    assert_int_equal(kn_format_parse("xml", "--format", &fmt, &err), KN_EINVAL);
    assert_string_equal(err.msg, "--format 'xml': must be csv or json");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_pain_imports),
        T(test_checkin_imports),
        T(test_session_imports),
        T(test_bom_and_crlf),
        T(test_reimport_adds_nothing),
        T(test_duplicates_within_a_file),
        T(test_checkin_merge),
        T(test_bad_rows),
        T(test_bad_row_in_second_file),
        T(test_unknown_header),
        T(test_header_only_imports_nothing),
        T(test_no_such_person_or_file),
        T(test_stdin),
        T(test_large_pain_file),
        T(test_bad_row_late_in_large_file),
        T(test_store_pain_add_many),
        cmocka_unit_test(test_opened_zones),
        T(test_local_times_import),
        T(test_progress),
        T(test_export_import_round_trip),
        T(test_export_csv_text),
        T(test_export_json),
        cmocka_unit_test(test_kind_and_format_names),
    };
    return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
