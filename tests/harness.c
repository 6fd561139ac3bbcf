/* Test helpers: temporary directories, files, and running the knead binary with its output
 * captured in files (no pipes, so no deadlock on large output). */
#define _XOPEN_SOURCE 700
#include "harness.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "knead/store.h"

char *kt_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/knead-test-XXXXXX", base && *base ? base : "/tmp");
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *copy = strdup(dir);
    assert_non_null(copy);
    return copy;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void kt_rmtree(char *dir)
{
    if (!dir)
        return;
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

char *kt_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

void kt_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

char *kt_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *data = malloc(cap);
    assert_non_null(data);
    size_t got;
    while ((got = fread(data + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            cap *= 2;
            data = realloc(data, cap);
            assert_non_null(data);
        }
    }
    fclose(f);
    data[len] = '\0';
    return data;
}

uint64_t kt_file_digest(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    int c;
    while ((c = fgetc(f)) != EOF) {
        h ^= (uint64_t)(unsigned char)c;
        h *= 1099511628211ULL;
    }
    fclose(f);
    return h ? h : 1;
}

kn_run kt_knead(const char *cwd, const char *stdin_text, const char *const *argv)
{
    kn_run r = {0};
    char *dir = kt_tmpdir();
    char *in_path = kt_path(dir, "stdin");
    char *out_path = kt_path(dir, "stdout");
    char *err_path = kt_path(dir, "stderr");
    kt_write_file(in_path, stdin_text ? stdin_text : "");

    size_t argc = 0;
    while (argv[argc])
        argc++;
    const char **full = calloc(argc + 2, sizeof *full);
    assert_non_null(full);
    full[0] = KNEAD_BIN;
    for (size_t i = 0; i < argc; i++)
        full[i + 1] = argv[i];

    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open(in_path, O_RDONLY);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0)
            _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        if (cwd && chdir(cwd) != 0)
            _exit(126);
        execv(KNEAD_BIN, (char *const *)full);
        _exit(127);
    }
    int status = 0;
    assert_true(waitpid(pid, &status, 0) == pid);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = kt_read_file(out_path);
    r.err = kt_read_file(err_path);
    assert_non_null(r.out);
    assert_non_null(r.err);
    free(full);
    free(in_path);
    free(out_path);
    free(err_path);
    kt_rmtree(dir);
    return r;
}

kn_run kt_kneadv(const char *cwd, const char *db, va_list ap)
{
    const char *argv[64];
    size_t n = 0;
    if (db) {
        argv[n++] = "--db";
        argv[n++] = db;
    }
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL) {
        assert_true(n < 63);
        argv[n++] = a;
    }
    argv[n] = NULL;
    return kt_knead(cwd, NULL, argv);
}

kn_run kt_kneadl(const char *cwd, ...)
{
    va_list ap;
    va_start(ap, cwd);
    kn_run r = kt_kneadv(cwd, NULL, ap);
    va_end(ap);
    return r;
}

void kt_run_free(kn_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

int64_t kt_add_person(kn_store *st, const char *name, const char *zone)
{
    kn_person p;
    kn_person_init(&p);
    p.name = strdup(name);
    p.zone = strdup(zone);
    assert_int_equal(kn_store_begin(st), KN_OK);
    if (kn_store_person_add(st, &p) != KN_OK)
        fail_msg("person add: %s", kn_store_errmsg(st));
    assert_int_equal(kn_store_commit(st), KN_OK);
    int64_t id = p.id;
    kn_person_clear(&p);
    return id;
}
