/* Regression tests of the friction a new user hit, through the real binary: the demo's own
 * database, read commands on a read-only database, forgiving region, quality, tag and
 * treatment spellings, and the small surprises of log, diary, plan, intake, --therapist,
 * exit codes, write messages, sub-command help and absent values in JSON. */
#define _GNU_SOURCE
#include "harness.h"

#include <fcntl.h>
#include <grp.h>
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

static kn_run knead(world *w, ...)
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

static world *new_world(void)
{
    world *w = calloc(1, sizeof *w);
    assert_non_null(w);
    w->dir = kt_tmpdir();
    w->db = kt_path(w->dir, "k.db");
    expect(0, knead(w, "person", "add", "--name", "Maya", "--born", "1988", "--tz", "Europe/Berlin",
                    NULL));
    return w;
}

static void free_world(world *w)
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

/* ---- 2. a read-only database can be read ---- */

/* Runs knead with args as a user who may not write db (nobody, when the tests run as root:
 * root writes any file whatever its mode). Returns the exit status; the output is dropped. */
static int run_unprivileged(const char *dir, const char *const *args, char **err_text)
{
    char *err_path = kt_path(dir, "stderr.txt");
    const char *argv[32] = {KNEAD_BIN};
    size_t n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY), out = open("/dev/null", O_WRONLY),
            e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (in < 0 || out < 0 || e < 0)
            _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(e, 2);
        if (geteuid() == 0) {
            struct passwd *pw = getpwnam("nobody");
            uid_t uid = pw ? pw->pw_uid : 65534;
            gid_t gid = pw ? pw->pw_gid : 65534;
            if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
                _exit(125);
        }
        execv(KNEAD_BIN, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    assert_true(waitpid(pid, &status, 0) == pid);
    *err_text = kt_read_file(err_path);
    free(err_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void test_read_commands_work_on_a_read_only_database(void **state)
{
    (void)state;
    world *w = new_world();
    expect(0, knead(w, "log", "--region", "neck_back_r", "--intensity", "5", "--at",
                    "2026-03-01T08:00", NULL));
    expect(0, knead(w, "therapist", "add", "--name", "Dana", NULL));
    uint64_t before = kt_file_digest(w->db);
    assert_int_equal(chmod(w->db, 0444), 0);
    /* the directory stays writable (SQLite keeps its shared-memory index there) */
    assert_int_equal(chmod(w->dir, 0777), 0);
    const char *const reads[][8] = {
        {"diary", "--all"},
        {"diary", "--json"},
        {"insights"},
        {"brief"},
        {"triggers"},
        {"condition", "--person", "1"},
        {"export", "--kind", "pain"},
        {"person", "list"},
        {"therapist", "list"},
        {"screen", "--show"},
        {"therapist", "match"},
    };
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        const char *args[12] = {"--db", w->db};
        size_t n = 2;
        for (size_t k = 0; reads[i][k]; k++)
            args[n++] = reads[i][k];
        args[n] = NULL;
        char *err = NULL;
        int status = run_unprivileged(w->dir, args, &err);
        int want = 0;
        if (status != want || strstr(err, "cannot write") || strstr(err, "read-only"))
            fail_msg("knead %s on a read-only database: exit %d: %s", reads[i][0], status, err);
        free(err);
    }
    /* a write still says plainly why it cannot */
    char *err = NULL;
    const char *const log[] = {"--db",        w->db,         "log", "--region",
                               "neck_back_r", "--intensity", "4",   NULL};
    assert_int_equal(run_unprivileged(w->dir, log, &err), 1);
    assert_non_null(strstr(err, "read-only"));
    free(err);
    /* in a directory the user may not write either, the file is read as it stands */
    char *shm = kt_path(w->dir, "k.db-shm"), *wal = kt_path(w->dir, "k.db-wal");
    unlink(shm);
    unlink(wal);
    assert_int_equal(chmod(w->dir, 0755), 0);
    const char *const diary[] = {"--db", w->db, "diary", "--json", NULL};
    int status = run_unprivileged(w->dir, diary, &err);
    if (status != 0)
        fail_msg("diary in a read-only directory: exit %d: %s", status, err);
    free(err);
    free(shm);
    free(wal);
    assert_true(kt_file_digest(w->db) == before);
    free_world(w);
}

/* ---- 3. forgiving spellings of regions, qualities, tags and treatments ---- */

static void test_spellings_are_normalised(void **state)
{
    (void)state;
    world *w = new_world();
    expect(0, knead(w, "log", "--region", "Neck_Back_R, Temple_r", "--intensity", "5", "--quality",
                    "Aching, THROBBING", "--at", "2026-03-01T08:00", NULL));
    kn_run r = knead(w, "log", "--region", "neck_bak_r", "--intensity", "5", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "did you mean neck_back_r"));
    kt_run_free(&r);
    expect(0, knead(w, "checkin", "--date", "2026-03-01", "--tag", " Long  Drive ", "--treatment",
                    "Ibuprofen 400mg", NULL));
    expect(0, knead(w, "checkin", "--date", "2026-03-02", "--tag", "long drive", "--treatment",
                    "ibuprofen:200mg", NULL));
    r = knead(w, "diary", "--all", "--json", NULL);
    ok(&r);
    /* stored as the canonical ids and one tag, one treatment with its dose apart */
    assert_non_null(strstr(r.out, "\"neck_back_r\""));
    assert_non_null(strstr(r.out, "\"temple_r\""));
    assert_null(strstr(r.out, "Neck_Back_R"));
    assert_null(strstr(r.out, "Long"));
    assert_null(strstr(r.out, "Ibuprofen"));
    assert_non_null(strstr(r.out, "\"400mg\""));
    kt_run_free(&r);
    r = knead(w, "export", "--kind", "checkin", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "long drive"));
    assert_non_null(strstr(r.out, "ibuprofen:400mg"));
    assert_non_null(strstr(r.out, "ibuprofen:200mg"));
    kt_run_free(&r);
    free_world(w);
}

/* ---- 4. log --date, the diary's default range, sub-command help ---- */

static void test_log_date_diary_default_and_help(void **state)
{
    (void)state;
    world *w = new_world();
    kn_run r = knead(w, "log", "--region", "neck_back_r", "--intensity", "4", "--date",
                     "2026-03-04", NULL);
    ok(&r);
    /* 12:00 in the person's zone (Europe/Berlin, +01:00 in March) */
    assert_non_null(strstr(r.out, "2026-03-04T12:00:00+01:00"));
    kt_run_free(&r);
    expect(2, knead(w, "log", "--region", "neck_back_r", "--intensity", "4", "--date", "2026-03-04",
                    "--at", "2026-03-04T08:00", NULL));
    /* an entry older than a month is not in the default diary, but is with --all */
    r = knead(w, "diary", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "last 30 days"));
    assert_null(strstr(r.out, "2026-03-04"));
    kt_run_free(&r);
    r = knead(w, "diary", "--all", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "2026-03-04"));
    kt_run_free(&r);
    expect(2, knead(w, "diary", "--all", "--last", "3", NULL));
    r = knead(w, "help", "session", "show", NULL);
    ok(&r);
    assert_non_null(strstr(r.out, "knead session show"));
    kt_run_free(&r);
    free_world(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_leaves_the_own_database_alone),
        cmocka_unit_test(test_read_commands_work_on_a_read_only_database),
        cmocka_unit_test(test_spellings_are_normalised),
        cmocka_unit_test(test_log_date_diary_default_and_help),
    };
    return cmocka_run_group_tests_name("friction", tests, NULL, NULL);
}
