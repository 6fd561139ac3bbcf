/* Regression tests of the friction a new user hit, through the real binary: the demo's own
 * database, read commands on a read-only database, forgiving region, quality, tag and
 * treatment spellings, and the small surprises of log, diary, plan, intake, --therapist,
 * exit codes, write messages, sub-command help and absent values in JSON. */
#define _GNU_SOURCE
#include "harness.h"

#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "knead/store.h"

typedef struct world {
    char *dir;
    char *db;
} world;

__attribute__((unused)) static kn_run knead(world *w, ...)
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

/* Runs knead and expects status; frees the run. */
static void expect(int status, kn_run r)
{
    if (r.status != status)
        fail_msg("exit %d, not %d: %s%s", r.status, status, r.out, r.err);
    kt_run_free(&r);
}

__attribute__((unused)) static world *new_world(void)
{
    world *w = calloc(1, sizeof *w);
    assert_non_null(w);
    w->dir = kt_tmpdir();
    w->db = kt_path(w->dir, "k.db");
    expect(0, knead(w, "person", "add", "--name", "Maya", "--born", "1988", "--tz", "Europe/Berlin",
                    NULL));
    return w;
}

__attribute__((unused)) static void free_world(world *w)
{
    free(w->db);
    kt_rmtree(w->dir);
    free(w);
}

/* ---- 1. the demo has its own database ---- */

static void test_demo_leaves_the_own_database_alone(void **state)
{
    (void)state;
    char *home = kt_tmpdir();
    setenv("HOME", home, 1);
    unsetenv("KNEAD_DB");
    unsetenv("XDG_DATA_HOME");
    expect(0, kt_kneadl(home, "person", "add", "--name", "Maya", NULL));
    kn_run r = kt_kneadl(home, "demo", "--days", "30", "--seed", "2", NULL);
    ok(&r);
    char *demo = kt_path(home, ".local/share/knead/knead-demo.db");
    assert_non_null(strstr(r.out, demo));
    assert_non_null(strstr(r.out, "knead --db"));
    kt_run_free(&r);
    /* the own database still holds one person: no --person needed */
    expect(0, kt_kneadl(home, "diary", NULL));
    r = kt_kneadl(home, "person", "list", "--json", NULL);
    ok(&r);
    json_t *v = json_loads(r.out, 0, NULL);
    assert_int_equal(json_array_size(v), 1);
    json_decref(v);
    kt_run_free(&r);
    /* the demo database holds the demo person, and is used with --db */
    r = kt_kneadl(home, "--db", demo, "person", "list", "--json", NULL);
    ok(&r);
    v = json_loads(r.out, 0, NULL);
    assert_int_equal(json_array_size(v), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(v, 0), "name")),
                        "Demo Person");
    json_decref(v);
    kt_run_free(&r);
    expect(0, kt_kneadl(home, "--db", demo, "insights", NULL));
    /* a second demo does not pile up persons there: it says so and stops */
    expect(1, kt_kneadl(home, "demo", NULL));
    /* --db (and $KNEAD_DB) still decide where it goes */
    char *own = kt_path(home, "mine.db");
    setenv("KNEAD_DB", own, 1);
    expect(0, kt_kneadl(home, "demo", "--days", "10", NULL));
    unsetenv("KNEAD_DB");
    expect(0, kt_kneadl(home, "--db", own, "diary", NULL));
    free(own);
    free(demo);
    kt_rmtree(home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_leaves_the_own_database_alone),
    };
    return cmocka_run_group_tests_name("friction", tests, NULL, NULL);
}
