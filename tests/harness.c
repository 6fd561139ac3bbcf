/* Test helpers: temporary directories, files, and running the knead binary with its output
 * captured in files (no pipes, so no deadlock on large output). */
#define _XOPEN_SOURCE 700
#include "harness.h"

#include <fcntl.h>
#include <math.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

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

kn_run kt_kneaddb(const char *cwd, const char *db, ...)
{
    va_list ap;
    va_start(ap, db);
    kn_run r = kt_kneadv(cwd, db, ap);
    va_end(ap);
    return r;
}

void kt_run_ok(const char *cwd, const char *db, ...)
{
    va_list ap;
    va_start(ap, db);
    kn_run r = kt_kneadv(cwd, db, ap);
    va_end(ap);
    kt_ok(&r);
    kt_run_free(&r);
}

void kt_run_free(kn_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

void kt_ok(const kn_run *r)
{
    if (r->status != 0)
        fail_msg("exit %d: %s", r->status, r->err);
}

json_t *kt_json_of(const kn_run *r)
{
    json_error_t jerr;
    json_t *v = json_loads(r->out, 0, &jerr);
    if (!v)
        fail_msg("not JSON (%s): %s", jerr.text, r->out);
    return v;
}

kn_run kt_world_run(kt_world *w, ...)
{
    va_list ap;
    va_start(ap, w);
    kn_run r = kt_kneadv(w->dir, w->db, ap);
    va_end(ap);
    return r;
}

void kt_world_make(kt_world *w, const char *name, const char *zone)
{
    w->dir = kt_tmpdir();
    w->db = kt_path(w->dir, "k.db");
    kn_run r = kt_world_run(w, "init", NULL);
    kt_ok(&r);
    kt_run_free(&r);
    r = kt_world_run(w, "person", "add", "--name", name, "--tz", zone, NULL);
    kt_ok(&r);
    kt_run_free(&r);
}

void kt_world_free(kt_world *w)
{
    free(w->db);
    kt_rmtree(w->dir);
    w->db = w->dir = NULL;
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

/* ---- digests ---- */

/* A record of a digest with its names spelled out, to compare two digests whose names were
 * interned in another order. */
typedef struct digest_row {
    int64_t a, b, c, d;
    char name[KN_WORD_MAX + 1];
} digest_row;

static int digest_row_cmp(const void *x, const void *y)
{
    const digest_row *p = x, *q = y;
    const int64_t *u = &p->a, *v = &q->a;
    for (int i = 0; i < 4; i++)
        if (u[i] != v[i])
            return u[i] < v[i] ? -1 : 1;
    return strcmp(p->name, q->name);
}

/* The pain entries (kind 0), marks (1) and sessions (2) of d as sorted rows. */
static digest_row *digest_rows(const kn_digest *d, int kind, size_t *n)
{
    *n = kind == 0 ? d->npains : kind == 1 ? d->nmarks : d->nsessions;
    digest_row *rows = calloc(*n + 1, sizeof *rows);
    assert_non_null(rows);
    for (size_t i = 0; i < *n; i++) {
        digest_row *r = &rows[i];
        if (kind == 0) {
            const kn_digest_pain *p = &d->pains[i];
            assert_true(p->region < d->nregions);
            *r = (digest_row){.a = p->day, .b = p->intensity};
            snprintf(r->name, sizeof r->name, "%s", d->regions[p->region]);
        } else if (kind == 1) {
            const kn_digest_mark *m = &d->marks[i];
            assert_true(m->word < d->nwords);
            *r = (digest_row){.a = m->day, .b = d->words[m->word].kind};
            snprintf(r->name, sizeof r->name, "%s", d->words[m->word].name);
        } else {
            const kn_digest_session *s = &d->sessions[i];
            *r = (digest_row){
                .a = s->at.utc, .b = s->at.offset_min, .c = s->pre_pain, .d = s->post_pain};
            assert_int_equal(s->day, kn_instant_day(s->at));
        }
    }
    qsort(rows, *n, sizeof *rows, digest_row_cmp);
    return rows;
}

static bool same_double(double x, double y)
{
    return (isnan(x) && isnan(y)) || x == y;
}

size_t kt_assert_digest_of_lists(struct kn_store *st, int64_t person, int32_t from, int32_t to)
{
    kn_pain_list pains;
    kn_checkin_list checkins;
    kn_session_list sessions;
    assert_int_equal(kn_store_pain_list(st, person, from, to, &pains), KN_OK);
    assert_int_equal(kn_store_checkin_list(st, person, from, to, &checkins), KN_OK);
    assert_int_equal(kn_store_session_list(st, person, from, to, &sessions), KN_OK);
    kn_digest want, got;
    kn_digest_init(&want);
    kn_digest_init(&got);
    assert_int_equal(kn_digest_add_records(&want, pains.items, pains.n, checkins.items, checkins.n,
                                           sessions.items, sessions.n),
                     KN_OK);
    if (kn_store_digest_read(st, person, from, to, &got) != KN_OK)
        fail_msg("digest read: %s", kn_store_errmsg(st));
    size_t compared = 0;
    for (int kind = 0; kind < 3; kind++) {
        size_t nw, ng;
        digest_row *w = digest_rows(&want, kind, &nw), *g = digest_rows(&got, kind, &ng);
        assert_int_equal(ng, nw);
        for (size_t i = 0; i < nw; i++)
            if (digest_row_cmp(&w[i], &g[i]) != 0)
                fail_msg("digest record %zu of kind %d differs from the lists' (%s)", i, kind,
                         g[i].name);
        compared += nw;
        free(w);
        free(g);
    }
    /* Check-ins in day order, every field. */
    assert_int_equal(got.ncheckins, want.ncheckins);
    for (size_t i = 0; i < want.ncheckins; i++) {
        const kn_digest_checkin *x = &got.checkins[i], *y = &want.checkins[i];
        bool same = x->day == y->day && x->stress == y->stress &&
                    same_double(x->sleep_hours, y->sleep_hours) &&
                    x->sleep_quality == y->sleep_quality && x->routine == y->routine &&
                    x->pain_free == y->pain_free && x->peg[0] == y->peg[0] &&
                    x->peg[1] == y->peg[1] && x->peg[2] == y->peg[2];
        if (!same)
            fail_msg("digest check-in %zu differs from the list's", i);
        if (i > 0)
            assert_true(got.checkins[i - 1].day < x->day);
    }
    compared += want.ncheckins;
    for (size_t i = 1; i < got.npains; i++)
        assert_true(got.pains[i - 1].day <= got.pains[i].day);
    kn_digest_free(&want);
    kn_digest_free(&got);
    kn_pain_list_free(&pains);
    kn_checkin_list_free(&checkins);
    kn_session_list_free(&sessions);
    return compared;
}
