/* The library's global state: kn_init run once from many threads at once, GSL's aborting
 * error handler turned off, and numbers written the same whatever the process's locale
 * (a host program that calls setlocale must not get "7,5" in a CSV or a JSON document). */
#define _GNU_SOURCE
#include "harness.h"

#include <gsl/gsl_cdf.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knead/atlas.h"
#include "knead/insight.h"
#include "knead/interop.h"
#include "knead/knead.h"
#include "knead/report.h"
#include "knead/store.h"

#define NTHREADS 8

static void *init_in_thread(void *arg)
{
    kn_err err;
    *(kn_rc *)arg = kn_init(&err);
    return NULL;
}

static void test_init_once_from_many_threads(void **state)
{
    (void)state;
    pthread_t t[NTHREADS];
    kn_rc rc[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, init_in_thread, &rc[i]), 0);
    for (int i = 0; i < NTHREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(rc[i], KN_OK);
    }
    /* the atlas is whole: every sided id is found by its hash as by the parser */
    size_t n = kn_sided_count();
    assert_true(n > 50);
    for (size_t i = 0; i < n; i++) {
        const char *id = kn_sided_id((int)i);
        assert_int_equal(kn_sided_lookup(id), (int)i);
        assert_int_equal(kn_sided_find(id), (int)i);
    }
    assert_int_equal(kn_sided_lookup("Neck_back_r"), -1); /* exact ids only */
    assert_int_equal(kn_sided_lookup("nowhere"), -1);
    assert_int_equal(kn_atlas_check(NULL, NULL), 0);
}

static void test_gsl_errors_come_back_as_values(void **state)
{
    (void)state;
    assert_int_equal(kn_init(NULL), KN_OK);
    /* a probability outside 0-1: GSL's default handler would abort the process here */
    assert_true(isnan(gsl_cdf_tdist_Pinv(1.5, 3.0)));
}

/* Everything knead writes about one demo person, as text: the CSV and JSON exports, the
 * whole-record export and the insights JSON. */
static char *everything_written(kn_store *st, int64_t person, kn_day end)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    kn_err err = {0};
    const kn_kind kinds[] = {KN_KIND_PAIN, KN_KIND_CHECKIN, KN_KIND_SESSION};
    const kn_format formats[] = {KN_FORMAT_CSV, KN_FORMAT_JSON};
    for (size_t k = 0; k < 3; k++)
        for (size_t f = 0; f < 2; f++)
            if (kn_export(st, person, kinds[k], formats[f], out, &err) != KN_OK)
                fail_msg("export: %s", err.msg);
    if (kn_export_all(st, person, out, &err) != KN_OK)
        fail_msg("export --all: %s", err.msg);
    kn_insights ins;
    if (kn_insights_load(st, person, end - 120, end, &ins, &err) != KN_OK)
        fail_msg("insights: %s", err.msg);
    char *json = NULL;
    size_t jlen = 0;
    if (kn_json_insights_text(&ins, true, &json, &jlen, &err) != KN_OK)
        fail_msg("insights json: %s", err.msg);
    fwrite(json, 1, jlen, out);
    free(json);
    kn_insights_free(&ins);
    kn_err_set(&err, KN_EINVAL, "sleep %.1f", 7.5);
    fputs(err.msg, out);
    assert_int_equal(fclose(out), 0);
    return text;
}

/* Builds a German locale (decimal comma) into dir; the test fails, not skips, without it. */
static void use_german_numbers(const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' 2>/dev/null", dir);
    if (system(cmd) != 0)
        fail_msg("localedef could not build de_DE.UTF-8 (is the 'locales' package installed?)");
    assert_int_equal(setenv("LOCPATH", dir, 1), 0);
    if (!setlocale(LC_ALL, "de_DE.UTF-8"))
        fail_msg("setlocale de_DE.UTF-8 failed");
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 7.5);
    assert_string_equal(probe, "7,5"); /* otherwise this test proves nothing */
}

static void test_numbers_do_not_follow_the_locale(void **state)
{
    (void)state;
    assert_int_equal(kn_init(NULL), KN_OK);
    char *dir = kt_tmpdir();
    char *db = kt_path(dir, "k.db");
    kn_store *st = NULL;
    kn_err err = {0};
    if (kn_store_open(db, KN_STORE_CREATE, &st, &err) != KN_OK)
        fail_msg("open: %s", err.msg);
    kn_day end = kn_day_from_civil(2026, 6, 30);
    kn_demo_opts opts = {.days = 120, .seed = 7, .end = end};
    int64_t person = 0;
    if (kn_demo_create(st, &opts, &person, &err) != KN_OK)
        fail_msg("demo: %s", err.msg);

    char *in_c = everything_written(st, person, end);
    assert_non_null(strstr(in_c, "sleep 7.5"));
    use_german_numbers(dir);
    char *in_german = everything_written(st, person, end);
    setlocale(LC_ALL, "C");
    assert_string_equal(in_german, in_c);

    free(in_german);
    free(in_c);
    kn_store_close(st);
    free(db);
    kt_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_once_from_many_threads),
        cmocka_unit_test(test_gsl_errors_come_back_as_values),
        cmocka_unit_test(test_numbers_do_not_follow_the_locale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
