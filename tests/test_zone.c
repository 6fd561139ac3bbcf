/* Tests of the zone reader (src/base/zone.c) against the C library: for every zone of the
 * system's tz database, the offsets knead computes from the TZif table and its POSIX footer
 * rule must equal what localtime_r says under TZ=zone, from 1900 to 2999 (here, in a test of
 * its own, setting TZ is fine: the library never does). Also: footers the table alone cannot
 * answer, offsets asked from many threads at once, and that knead leaves TZ alone. */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "knead/time.h"

#define ZONE_TAB "/usr/share/zoneinfo/zone1970.tab"
#define MAX_ZONES 600

static size_t zone_names(char names[][KN_ZONE_MAX])
{
    FILE *f = fopen(ZONE_TAB, "r");
    if (!f)
        fail_msg("%s: cannot read the tz database's zone list", ZONE_TAB);
    char line[512];
    size_t n = 0;
    while (fgets(line, sizeof line, f) && n < MAX_ZONES) {
        if (line[0] == '#')
            continue;
        char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2)
            continue;
        char *name = tab2 + 1;
        name[strcspn(name, "\t\n")] = '\0';
        snprintf(names[n++], KN_ZONE_MAX, "%s", name);
    }
    fclose(f);
    return n;
}

static int32_t libc_offset(int64_t utc)
{
    time_t t = (time_t)utc;
    struct tm tm;
    assert_non_null(localtime_r(&t, &tm));
    return (int32_t)(tm.tm_gmtoff / 60);
}

static void compare(const char *zone, int64_t utc, size_t *checked)
{
    int32_t ours;
    kn_err err = {0};
    if (kn_zone_offset_at(zone, utc, &ours, &err) != KN_OK)
        fail_msg("%s: %s", zone, err.msg);
    int32_t theirs = libc_offset(utc);
    if (ours != theirs)
        fail_msg("%s at %lld: knead says %d min, the C library %d min", zone, (long long)utc, ours,
                 theirs);
    (*checked)++;
}

static void test_every_zone_matches_the_c_library(void **state)
{
    (void)state;
    static char names[MAX_ZONES][KN_ZONE_MAX];
    size_t n = zone_names(names), checked = 0;
    assert_true(n > 300);
    const int64_t y1900 = (int64_t)kn_day_from_civil(1900, 1, 1) * 86400;
    const int64_t y2100 = (int64_t)kn_day_from_civil(2100, 1, 1) * 86400;
    const int64_t y2999 = (int64_t)kn_day_from_civil(2999, 12, 31) * 86400;
    const int64_t y2045 = (int64_t)kn_day_from_civil(2045, 1, 1) * 86400;
    for (size_t i = 0; i < n; i++) {
        setenv("TZ", names[i], 1);
        tzset();
        for (int64_t t = y1900; t < y2100; t += 10 * 86400 + 3607)
            compare(names[i], t, &checked);
        for (int64_t t = y2100; t < y2999; t += 97 * 86400 + 11)
            compare(names[i], t, &checked);
        for (int64_t t = y2045; t < y2045 + 366 * 86400; t += 3600) /* every change of a year */
            compare(names[i], t, &checked);
    }
    unsetenv("TZ");
    tzset();
    assert_true(checked > n * 10000);
}

/* The hours around each change of daylight time, far past any table: the footer's rule. */
static void test_rules_past_the_table(void **state)
{
    (void)state;
    static const char *zones[] = {"Europe/Berlin",      "America/New_York",  "Australia/Sydney",
                                  "America/Santiago",   "Pacific/Auckland",  "Asia/Tehran",
                                  "America/Godthab",    "Africa/Casablanca", "Europe/Dublin",
                                  "Australia/Lord_Howe"};
    size_t checked = 0;
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        setenv("TZ", zones[i], 1);
        tzset();
        for (int year = 2030; year <= 2990; year += 160) {
            int64_t from = (int64_t)kn_day_from_civil(year, 1, 1) * 86400;
            for (int64_t t = from; t < from + 366 * 86400; t += 900)
                compare(zones[i], t, &checked);
        }
    }
    unsetenv("TZ");
    tzset();
    assert_true(checked > 100000);
}

static void test_unknown_zones_are_refused(void **state)
{
    (void)state;
    kn_err err = {0};
    int32_t off;
    assert_int_equal(kn_zone_offset_at("Mars/Olympus", 0, &off, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "unknown time zone"));
    assert_int_equal(kn_zone_validate("../etc/passwd", "zone", &err), KN_EINVAL);
    assert_int_equal(kn_zone_validate("+15:00", "zone", &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "-14:00"));
    assert_int_equal(kn_zone_validate("", "zone", &err), KN_EINVAL);
    assert_int_equal(kn_zone_validate("Europe", "zone", &err), KN_EINVAL); /* a folder */
    assert_int_equal(kn_zone_validate("Europe/Berlin", "zone", &err), KN_OK);
    assert_int_equal(kn_zone_validate("-03:30", "zone", &err), KN_OK);
}

/* The library reads TZ nowhere and sets it nowhere. */
static void test_tz_is_left_alone(void **state)
{
    (void)state;
    setenv("TZ", "Asia/Tokyo", 1);
    kn_instant t;
    kn_err err = {0};
    assert_int_equal(kn_instant_parse("2026-07-01T12:00", "Europe/Berlin", "at", &t, &err), KN_OK);
    assert_int_equal(t.offset_min, 120);
    assert_int_equal(kn_instant_now("America/New_York", &t, &err), KN_OK);
    assert_string_equal(getenv("TZ"), "Asia/Tokyo");
    unsetenv("TZ");
    assert_int_equal(kn_instant_parse("2026-01-01T12:00", "Europe/Berlin", "at", &t, &err), KN_OK);
    assert_int_equal(t.offset_min, 60);
    assert_null(getenv("TZ"));
}

/* ---- many threads at once ---- */

#define THREADS 8
#define PER_THREAD 20000

static const char *const thread_zones[] = {"Europe/Berlin",
                                           "America/New_York",
                                           "Asia/Kolkata",
                                           "Australia/Adelaide",
                                           "America/Sao_Paulo",
                                           "UTC",
                                           "+05:45",
                                           "Pacific/Chatham"};

typedef struct worker {
    size_t index;
    int32_t offsets[PER_THREAD];
    kn_rc rc;
} worker;

static int64_t instant_of(size_t worker_index, size_t k)
{
    return (int64_t)kn_day_from_civil(1950, 1, 1) * 86400 +
           (int64_t)(k * 7919 + worker_index * 104729) * 3607;
}

static void *work(void *arg)
{
    worker *w = arg;
    for (size_t k = 0; k < PER_THREAD && w->rc == KN_OK; k++) {
        const char *zone = thread_zones[(w->index + k) % THREADS];
        w->rc = kn_zone_offset_at(zone, instant_of(w->index, k), &w->offsets[k], NULL);
    }
    return NULL;
}

static void test_threads_agree_with_one_thread(void **state)
{
    (void)state;
    worker *w = calloc(THREADS, sizeof *w);
    assert_non_null(w);
    pthread_t tid[THREADS];
    for (size_t i = 0; i < THREADS; i++) {
        w[i].index = i;
        assert_int_equal(pthread_create(&tid[i], NULL, work, &w[i]), 0);
    }
    for (size_t i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(tid[i], NULL), 0);
    for (size_t i = 0; i < THREADS; i++) {
        assert_int_equal(w[i].rc, KN_OK);
        for (size_t k = 0; k < PER_THREAD; k += 7) {
            int32_t one;
            const char *zone = thread_zones[(i + k) % THREADS];
            assert_int_equal(kn_zone_offset_at(zone, instant_of(i, k), &one, NULL), KN_OK);
            assert_int_equal(w[i].offsets[k], one);
        }
    }
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_zone_matches_the_c_library),
        cmocka_unit_test(test_rules_past_the_table),
        cmocka_unit_test(test_unknown_zones_are_refused),
        cmocka_unit_test(test_tz_is_left_alone),
        cmocka_unit_test(test_threads_agree_with_one_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
