/* Tests of the synthetic demo person (src/interop/demo.c): the same seed and end give the same
 * diary, options are checked before anything is written, and the story the demo tells (pain
 * follows stress, short nights and broken routine, eases after massage, sits on the right)
 * holds in the generated data, read back through the store. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knead/interop.h"

#define STORY_DAYS 365
#define NSEEDS 3 /* the story must hold for every seed tried, not one lucky one */

static const uint64_t story_seeds[NSEEDS] = {1, 2, 20250630};

static kn_day end_day(void)
{
    return kn_day_from_civil(2025, 6, 30);
}

static kn_store *open_store(const char *dir, const char *name)
{
    char *path = kt_path(dir, name);
    kn_store *st = NULL;
    kn_err err = {0};
    kn_rc rc = kn_store_open(path, KN_STORE_CREATE, &st, &err);
    if (rc != KN_OK)
        fail_msg("open %s: %s", path, err.msg);
    free(path);
    return st;
}

static int64_t make_demo(kn_store *st, int days, uint64_t seed, const char *name)
{
    kn_demo_opts o = {.days = days, .seed = seed, .end = end_day(), .name = name};
    kn_err err = {0};
    int64_t person = 0;
    kn_rc rc = kn_demo_create(st, &o, &person, &err);
    if (rc != KN_OK)
        fail_msg("kn_demo_create: %s", err.msg);
    assert_true(person > 0);
    return person;
}

/* Every record of a person as export text (CSV and JSON of all three kinds). */
static char *export_all(kn_store *st, int64_t person)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    static const kn_kind kinds[] = {KN_KIND_PAIN, KN_KIND_CHECKIN, KN_KIND_SESSION};
    static const kn_format formats[] = {KN_FORMAT_CSV, KN_FORMAT_JSON};
    for (size_t k = 0; k < 3; k++) {
        for (size_t f = 0; f < 2; f++) {
            kn_err err = {0};
            kn_rc rc = kn_export(st, person, kinds[k], formats[f], out, &err);
            if (rc != KN_OK)
                fail_msg("kn_export: %s", err.msg);
        }
    }
    assert_int_equal(fclose(out), 0);
    return text;
}

static void test_same_seed_same_diary(void **state)
{
    (void)state;
    char *dir = kt_tmpdir();
    kn_store *a = open_store(dir, "a.db");
    kn_store *b = open_store(dir, "b.db");
    int64_t pa = make_demo(a, 200, 7, NULL);
    int64_t pb = make_demo(b, 200, 7, NULL);

    kn_counts ca, cb;
    assert_int_equal(kn_store_counts(a, pa, &ca), KN_OK);
    assert_int_equal(kn_store_counts(b, pb, &cb), KN_OK);
    assert_true(ca.pain > 200);
    assert_true(ca.checkins > 150);
    assert_true(ca.sessions > 20);
    assert_int_equal(ca.pain, cb.pain);
    assert_int_equal(ca.checkins, cb.checkins);
    assert_int_equal(ca.sessions, cb.sessions);

    char *ea = export_all(a, pa);
    char *eb = export_all(b, pb);
    assert_true(strlen(ea) > 10000);
    assert_string_equal(ea, eb);
    free(ea);
    free(eb);
    kn_store_close(a);
    kn_store_close(b);
    kt_rmtree(dir);
}

static void test_different_seed_differs(void **state)
{
    (void)state;
    char *dir = kt_tmpdir();
    kn_store *st = open_store(dir, "d.db");
    int64_t p7 = make_demo(st, 120, 7, NULL);
    int64_t p8 = make_demo(st, 120, 8, NULL);
    char *e7 = export_all(st, p7);
    char *e8 = export_all(st, p8);
    assert_true(strcmp(e7, e8) != 0);
    free(e7);
    free(e8);
    kn_store_close(st);
    kt_rmtree(dir);
}

static void test_person_and_span(void **state)
{
    (void)state;
    char *dir = kt_tmpdir();
    kn_store *st = open_store(dir, "p.db");
    int64_t plain = make_demo(st, 30, 3, NULL);
    int64_t maya = make_demo(st, 1, 3, "Maya");

    kn_person p;
    kn_person_init(&p);
    assert_int_equal(kn_store_person_get(st, plain, &p), KN_OK);
    assert_string_equal(p.name, "Demo Person");
    assert_int_equal(p.born, 1988);
    assert_string_equal(p.zone, "Europe/Berlin");
    kn_person_clear(&p);
    assert_int_equal(kn_store_person_get(st, maya, &p), KN_OK);
    assert_string_equal(p.name, "Maya");
    kn_person_clear(&p);

    /* Nothing falls outside the days asked for. */
    kn_counts all, inside;
    assert_int_equal(kn_store_counts(st, plain, &all), KN_OK);
    kn_pain_list pains = {0};
    kn_checkin_list checkins = {0};
    kn_session_list sessions = {0};
    kn_day from = end_day() - 29;
    assert_int_equal(kn_store_pain_list(st, plain, from, end_day(), &pains), KN_OK);
    assert_int_equal(kn_store_checkin_list(st, plain, from, end_day(), &checkins), KN_OK);
    assert_int_equal(kn_store_session_list(st, plain, from, end_day(), &sessions), KN_OK);
    inside.pain = (int64_t)pains.n;
    inside.checkins = (int64_t)checkins.n;
    inside.sessions = (int64_t)sessions.n;
    assert_true(all.pain > 0);
    assert_int_equal(all.pain, inside.pain);
    assert_int_equal(all.checkins, inside.checkins);
    assert_int_equal(all.sessions, inside.sessions);
    kn_pain_list_free(&pains);
    kn_checkin_list_free(&checkins);
    kn_session_list_free(&sessions);
    kn_store_close(st);
    kt_rmtree(dir);
}

static void assert_nothing_written(kn_store *st)
{
    kn_person_list people = {0};
    assert_int_equal(kn_store_person_list(st, &people), KN_OK);
    assert_int_equal(people.n, 0);
    kn_person_list_free(&people);
}

static void test_bad_options(void **state)
{
    (void)state;
    char *dir = kt_tmpdir();
    kn_store *st = open_store(dir, "bad.db");
    kn_err err = {0};
    int64_t person = -1;

    kn_demo_opts o = {.days = 0, .seed = 1, .end = end_day()};
    assert_int_equal(kn_demo_create(st, &o, &person, &err), KN_EINVAL);
    assert_string_equal(err.msg, "days 0: must be 1-3650");
    assert_string_equal(err.field, "days");
    assert_string_equal(kn_err_reason(&err), "must be 1-3650");
    o.days = 3651;
    assert_int_equal(kn_demo_create(st, &o, &person, &err), KN_EINVAL);
    assert_string_equal(err.msg, "days 3651: must be 1-3650");
    assert_nothing_written(st);

    /* A name the store refuses fails inside the transaction, which is rolled back. */
    char long_name[KN_NAME_MAX + 2];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    o.days = 10;
    o.name = long_name;
    kn_err_clear(&err);
    assert_int_equal(kn_demo_create(st, &o, &person, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "name"));
    assert_nothing_written(st);

    /* The store is usable after the rollback. */
    o.name = NULL;
    assert_int_equal(kn_demo_create(st, &o, &person, &err), KN_OK);
    assert_int_equal(person, 1);
    kn_store_close(st);
    kt_rmtree(dir);
}

/* ---- the story, read back through the store ---- */

/* One diary laid out by day: the worst pain (from entries, 0 on a pain-free day, -1 when
 * the day says nothing about pain), the check-in and whether a session took place. */
typedef struct story {
    kn_day from;
    size_t n;
    int *worst;
    const kn_checkin **checkin;
    bool *session;
    bool *entries;
    kn_pain_list pains;
    kn_checkin_list checkins;
    kn_session_list sessions;
} story;

typedef struct story_set {
    char *dir;
    kn_store *st;
    story stories[NSEEDS];
} story_set;

static void story_load(kn_store *st, int64_t person, story *s)
{
    memset(s, 0, sizeof *s);
    s->from = end_day() - STORY_DAYS + 1;
    s->n = STORY_DAYS;
    assert_int_equal(kn_store_pain_list(st, person, s->from, end_day(), &s->pains), KN_OK);
    assert_int_equal(kn_store_checkin_list(st, person, s->from, end_day(), &s->checkins), KN_OK);
    assert_int_equal(kn_store_session_list(st, person, s->from, end_day(), &s->sessions), KN_OK);
    s->worst = malloc(s->n * sizeof *s->worst);
    s->checkin = calloc(s->n, sizeof *s->checkin);
    s->session = calloc(s->n, sizeof *s->session);
    s->entries = calloc(s->n, sizeof *s->entries);
    assert_true(s->worst && s->checkin && s->session && s->entries);
    for (size_t i = 0; i < s->n; i++)
        s->worst[i] = -1;
    for (size_t i = 0; i < s->pains.n; i++) {
        const kn_pain *p = &s->pains.items[i];
        size_t d = (size_t)(p->day - s->from);
        assert_true(d < s->n);
        s->entries[d] = true;
        if (p->intensity > s->worst[d])
            s->worst[d] = p->intensity;
    }
    for (size_t i = 0; i < s->checkins.n; i++) {
        const kn_checkin *c = &s->checkins.items[i];
        size_t d = (size_t)(c->day - s->from);
        assert_true(d < s->n);
        s->checkin[d] = c;
        if (c->pain_free == 1) {
            assert_false(s->entries[d]); /* a pain-free day has no entries */
            s->worst[d] = 0;
        }
    }
    for (size_t i = 0; i < s->sessions.n; i++) {
        size_t d = (size_t)(s->sessions.items[i].day - s->from);
        assert_true(d < s->n);
        s->session[d] = true;
    }
}

static void story_free(story *s)
{
    free(s->worst);
    free(s->checkin);
    free(s->session);
    free(s->entries);
    kn_pain_list_free(&s->pains);
    kn_checkin_list_free(&s->checkins);
    kn_session_list_free(&s->sessions);
}

static int setup_stories(void **state)
{
    story_set *set = calloc(1, sizeof *set);
    assert_non_null(set);
    set->dir = kt_tmpdir();
    set->st = open_store(set->dir, "story.db");
    for (size_t i = 0; i < NSEEDS; i++) {
        int64_t person = make_demo(set->st, STORY_DAYS, story_seeds[i], NULL);
        story_load(set->st, person, &set->stories[i]);
    }
    *state = set;
    return 0;
}

static int teardown_stories(void **state)
{
    story_set *set = *state;
    for (size_t i = 0; i < NSEEDS; i++)
        story_free(&set->stories[i]);
    kn_store_close(set->st);
    kt_rmtree(set->dir);
    free(set);
    return 0;
}

/* Running mean. */
typedef struct mean {
    double sum;
    int n;
} mean;

static void mean_add(mean *m, double v)
{
    m->sum += v;
    m->n++;
}

static double mean_of(const mean *m)
{
    assert_true(m->n > 0);
    return m->sum / m->n;
}

static void test_short_sleep_raises_pain(void **state)
{
    story_set *set = *state;
    for (size_t k = 0; k < NSEEDS; k++) {
        const story *s = &set->stories[k];
        mean shortn = {0}, longn = {0};
        for (size_t d = 0; d < s->n; d++) {
            const kn_checkin *c = s->checkin[d];
            if (!c || s->worst[d] < 0 || isnan(c->sleep_hours))
                continue;
            /* A check-in's sleep is the night before its day. */
            if (c->sleep_hours < 6.0)
                mean_add(&shortn, s->worst[d]);
            else if (c->sleep_hours >= 7.0)
                mean_add(&longn, s->worst[d]);
        }
        print_message("seed %llu: worst pain after short sleep %.2f (%d days), long %.2f (%d)\n",
                      (unsigned long long)story_seeds[k], mean_of(&shortn), shortn.n,
                      mean_of(&longn), longn.n);
        assert_true(shortn.n >= 10);
        assert_true(longn.n >= 50);
        assert_true(mean_of(&shortn) > mean_of(&longn) + 0.5);
    }
}

static void test_stress_raises_pain(void **state)
{
    story_set *set = *state;
    for (size_t k = 0; k < NSEEDS; k++) {
        const story *s = &set->stories[k];
        mean high = {0}, low = {0};
        for (size_t d = 0; d < s->n; d++) {
            const kn_checkin *c = s->checkin[d];
            if (!c || s->worst[d] < 0 || c->stress == KN_NONE)
                continue;
            if (c->stress >= 7)
                mean_add(&high, s->worst[d]);
            else if (c->stress <= 3)
                mean_add(&low, s->worst[d]);
        }
        print_message("seed %llu: worst pain at stress >= 7 %.2f (%d days), <= 3 %.2f (%d)\n",
                      (unsigned long long)story_seeds[k], mean_of(&high), high.n, mean_of(&low),
                      low.n);
        assert_true(high.n >= 20);
        assert_true(low.n >= 20);
        assert_true(mean_of(&high) > mean_of(&low) + 1.0);
    }
}

static void test_massage_relieves(void **state)
{
    story_set *set = *state;
    for (size_t k = 0; k < NSEEDS; k++) {
        const story *s = &set->stories[k];
        mean before = {0}, after = {0};
        int sessions = 0;
        for (size_t d = 3; d + 3 < s->n; d++) {
            if (!s->session[d])
                continue;
            sessions++;
            for (size_t j = 1; j <= 3; j++) {
                if (s->worst[d - j] >= 0)
                    mean_add(&before, s->worst[d - j]);
                if (s->worst[d + j] >= 0)
                    mean_add(&after, s->worst[d + j]);
            }
        }
        print_message("seed %llu: %d sessions; worst pain 3 days before %.2f, after %.2f\n",
                      (unsigned long long)story_seeds[k], sessions, mean_of(&before),
                      mean_of(&after));
        assert_true(sessions >= 40);
        assert_true(mean_of(&after) < mean_of(&before) - 0.4);
    }
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void test_right_side_dominates(void **state)
{
    story_set *set = *state;
    for (size_t k = 0; k < NSEEDS; k++) {
        const story *s = &set->stories[k];
        size_t right = 0, left = 0, temple = 0, throbbing_head = 0, head = 0;
        kn_qualities throbbing;
        assert_int_equal(kn_qualities_parse("throbbing", ',', "q", &throbbing, NULL), KN_OK);
        for (size_t i = 0; i < s->pains.n; i++) {
            const kn_pain *p = &s->pains.items[i];
            right += ends_with(p->region, "_r");
            left += ends_with(p->region, "_l");
            temple += strcmp(p->region, "temple_r") == 0;
            if (strncmp(p->region, "temple", 6) == 0 || strncmp(p->region, "forehead", 8) == 0) {
                head++;
                throbbing_head += (p->qualities & throbbing) != 0;
            }
        }
        print_message("seed %llu: %zu entries right, %zu left, %zu at the right temple\n",
                      (unsigned long long)story_seeds[k], right, left, temple);
        assert_true(left > 0); /* the other side does turn up now and then */
        assert_true(right > 3 * left);
        assert_true(temple >= 30);
        assert_int_equal(throbbing_head, head);
    }
}

static bool has_tag(const kn_checkin *c, const char *tag)
{
    for (size_t i = 0; i < c->ntags; i++)
        if (strcmp(c->tags[i], tag) == 0)
            return true;
    return false;
}

static bool has_treatment(const kn_checkin *c, const char *name)
{
    for (size_t i = 0; i < c->ntreatments; i++)
        if (strcmp(c->treatments[i].name, name) == 0)
            return true;
    return false;
}

static void test_checkins(void **state)
{
    story_set *set = *state;
    static const char *const tags[] = {"deadline", "long drive", "travel", "sick child", "gym"};
    for (size_t k = 0; k < NSEEDS; k++) {
        const story *s = &set->stories[k];
        int pegs = 0, sundays = 0, disrupted = 0, tagged[5] = {0};
        mean ibuprofen_bad = {0}, ibuprofen_mild = {0};
        for (size_t d = 0; d < s->n; d++) {
            int weekday = (int)(((s->from + (kn_day)d) % 7 + 7 + 3) % 7); /* 0 = Monday */
            sundays += weekday == 6;
            const kn_checkin *c = s->checkin[d];
            if (!c)
                continue;
            if (c->peg[0] != KN_NONE) {
                pegs++;
                assert_int_equal(weekday, 6); /* the weekly PEG comes on Sundays */
            }
            disrupted += c->routine == KN_ROUTINE_DISRUPTED;
            for (size_t t = 0; t < 5; t++)
                tagged[t] += has_tag(c, tags[t]);
            assert_true(c->stress >= 0 && c->stress <= 10);
            assert_true(c->sleep_hours >= 4.5 && c->sleep_hours <= 9.0);
            assert_true(fabs(c->sleep_hours * 10 - round(c->sleep_hours * 10)) < 1e-6);
            if (s->worst[d] >= 7)
                mean_add(&ibuprofen_bad, has_treatment(c, "ibuprofen"));
            else if (s->worst[d] >= 0 && s->worst[d] <= 4)
                mean_add(&ibuprofen_mild, has_treatment(c, "ibuprofen"));
        }
        print_message("seed %llu: %d PEGs on %d Sundays, %d disrupted days of %zu check-ins, "
                      "ibuprofen on %.0f%% of bad days, %.0f%% of mild ones\n",
                      (unsigned long long)story_seeds[k], pegs, sundays, disrupted, s->checkins.n,
                      100 * mean_of(&ibuprofen_bad), 100 * mean_of(&ibuprofen_mild));
        assert_true(pegs >= sundays * 8 / 10);
        assert_true(disrupted >= (int)s->checkins.n * 4 / 100);
        assert_true(disrupted <= (int)s->checkins.n * 14 / 100);
        for (size_t t = 0; t < 5; t++)
            if (tagged[t] == 0)
                fail_msg("seed %llu: no day tagged '%s'", (unsigned long long)story_seeds[k],
                         tags[t]);
        assert_true(mean_of(&ibuprofen_bad) > mean_of(&ibuprofen_mild) + 0.3);
    }
}

/* Gaps are part of a real diary: days with nothing, days without a check-in, a few
 * pain-free days. */
static void test_gaps_and_pain_free_days(void **state)
{
    story_set *set = *state;
    for (size_t k = 0; k < NSEEDS; k++) {
        const story *s = &set->stories[k];
        int nothing = 0, no_checkin = 0, pain_free = 0;
        for (size_t d = 0; d < s->n; d++) {
            if (!s->checkin[d] && !s->entries[d] && !s->session[d])
                nothing++;
            else if (!s->checkin[d])
                no_checkin++;
            if (s->checkin[d] && s->checkin[d]->pain_free == 1)
                pain_free++;
        }
        print_message("seed %llu: %d empty days, %d without check-in, %d pain-free\n",
                      (unsigned long long)story_seeds[k], nothing, no_checkin, pain_free);
        assert_true(nothing >= 5 && nothing <= 40);
        assert_true(no_checkin >= 15 && no_checkin <= 60);
        assert_true(pain_free >= 1 && pain_free <= 40);
    }
}

static void test_entries_and_sessions_are_plausible(void **state)
{
    story_set *set = *state;
    for (size_t k = 0; k < NSEEDS; k++) {
        const story *s = &set->stories[k];
        int per_day[STORY_DAYS] = {0};
        for (size_t i = 0; i < s->pains.n; i++) {
            const kn_pain *p = &s->pains.items[i];
            /* Local waking hours in Berlin's winter or summer offset. */
            assert_true(p->at.offset_min == 60 || p->at.offset_min == 120);
            int64_t local = p->at.utc + p->at.offset_min * 60 - (int64_t)p->day * 86400;
            assert_true(local >= 8 * 3600 && local < 22 * 3600);
            assert_true(p->intensity >= 1 && p->intensity <= 10);
            assert_true(p->qualities != 0);
            per_day[p->day - s->from]++;
        }
        for (size_t d = 0; d < s->n; d++)
            assert_true(per_day[d] <= 4);
        for (size_t i = 0; i < s->sessions.n; i++) {
            const kn_session *x = &s->sessions.items[i];
            assert_string_equal(x->therapist, "Dana Reyes");
            assert_int_equal(x->minutes, 60);
            assert_true(x->post_pain < x->pre_pain);
            assert_true(x->nwork >= 2 && x->ntechniques >= 1);
            for (size_t w = 0; w < x->nwork; w++) {
                assert_true(x->work[w].pressure >= 4 && x->work[w].pressure <= 7);
                assert_true(x->work[w].discomfort >= 2 && x->work[w].discomfort <= 7);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest plain[] = {
        cmocka_unit_test(test_same_seed_same_diary),
        cmocka_unit_test(test_different_seed_differs),
        cmocka_unit_test(test_person_and_span),
        cmocka_unit_test(test_bad_options),
    };
    const struct CMUnitTest story_tests[] = {
        cmocka_unit_test(test_short_sleep_raises_pain),
        cmocka_unit_test(test_stress_raises_pain),
        cmocka_unit_test(test_massage_relieves),
        cmocka_unit_test(test_right_side_dominates),
        cmocka_unit_test(test_checkins),
        cmocka_unit_test(test_gaps_and_pain_free_days),
        cmocka_unit_test(test_entries_and_sessions_are_plausible),
    };
    int failed = cmocka_run_group_tests_name("demo", plain, NULL, NULL);
    failed +=
        cmocka_run_group_tests_name("demo story", story_tests, setup_stories, teardown_stories);
    return failed ? 1 : 0;
}
