/* knead import, export and demo: CSV and JSON of one kind, or the full export of a person
 * (docs/EXPORT.md) and reading it back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "knead/interop.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

/* A progress bar on a terminal, shown only once an import has run for a second. */
typedef struct progress {
    struct timespec start;
    bool tty;
    bool shown;
} progress;

static double elapsed(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void show_progress(void *ctx, int64_t done, int64_t total)
{
    progress *p = ctx;
    if (!p->tty || elapsed(&p->start) < 1.0)
        return;
    p->shown = true;
    if (total > 0) {
        int pct = (int)(100 * done / total);
        int bar = pct * 30 / 100;
        fprintf(stderr, "\rimporting [%.*s%*s] %3d%%", bar, "##############################",
                30 - bar, "", pct);
    } else {
        fprintf(stderr, "\rimporting %lld MB", (long long)(done >> 20));
    }
    fflush(stderr);
}

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false}};
    cli_args a;
    int rc = cli_parse("import", opts, NOPTS(opts), argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help("import") : rc;
    if (!a.npos) {
        cli_error(CLI_USAGE, "import: give at least one FILE");
        cli_usage_hint("import");
        return CLI_USAGE;
    }
    kn_store *st;
    if (kn_import_is_full(a.pos[0])) {
        /* A full export holds its person: it makes the database it goes into. */
        if (a.npos != 1 || cli_has(&a, "--person"))
            return cli_error(CLI_USAGE, "import: a full export is imported alone, without "
                                        "--person (it holds its person)");
        if ((rc = cli_open(ctx, true, &st)) != CLI_OK)
            return rc;
        kn_err err = {0};
        int64_t person = 0;
        if (kn_import_all(st, a.pos[0], &person, &err) != KN_OK)
            rc = cli_fail_as(CLI_FAIL, &err);
        else
            printf("Imported the full export of person %lld from %s.\n", (long long)person,
                   a.pos[0]);
        kn_store_close(st);
        return rc;
    }
    kn_person p;
    if ((rc = cli_open_person(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    progress prog = {.tty = isatty(2) != 0};
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    kn_import_result res = {0};
    kn_err err = {0};
    kn_rc krc = kn_import_files(st, p.id, a.pos, a.npos, show_progress, &prog, &res, &err);
    if (prog.shown)
        fprintf(stderr, "\r%50s\r", "");
    if (krc != KN_OK) {
        rc = cli_fail_as(CLI_FAIL, &err);
        goto close_store;
    }
    printf("Imported %lld row%s for %s: %lld added, %lld already recorded.\n", (long long)res.read,
           res.read == 1 ? "" : "s", p.name, (long long)res.added, (long long)res.skipped);
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

int cmd_export(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false}, {"--kind", true, false},
                                   {"--format", true, false}, {"-o", true, false},
                                   {"--output", true, false}, {"--all", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("export", "export", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    bool all = cli_has(&a, "--all");
    if (all && (cli_has(&a, "--kind") || cli_has(&a, "--format")))
        return cli_error(CLI_USAGE, "export: --all is every kind, as JSON (docs/EXPORT.md): "
                                    "leave out --kind and --format");
    if (!all && !cli_has(&a, "--kind"))
        return cli_error(CLI_USAGE, "export: --kind pain|checkin|session (or --all) is required");
    kn_err err = {0};
    kn_kind kind = KN_KIND_PAIN;
    kn_format format = KN_FORMAT_CSV;
    if ((!all && kn_kind_parse(cli_get(&a, "--kind"), "--kind", &kind, &err) != KN_OK) ||
        (cli_has(&a, "--format") &&
         kn_format_parse(cli_get(&a, "--format"), "--format", &format, &err) != KN_OK))
        return cli_fail(&err);
    const char *path = cli_get(&a, "-o") ? cli_get(&a, "-o") : cli_get(&a, "--output");
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person_read(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    /* Write to a temporary file and rename, so a failed export leaves no half file. */
    char tmp[4096] = "";
    FILE *out = stdout;
    if (path && strcmp(path, "-") != 0) {
        snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path);
        int fd = mkstemp(tmp);
        out = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!out) {
            rc = cli_error(CLI_FAIL, "-o %s: cannot write there", path);
            if (fd >= 0) {
                close(fd);
                unlink(tmp);
            }
            goto close_store;
        }
    }
    kn_rc krc =
        all ? kn_export_all(st, p.id, out, &err) : kn_export(st, p.id, kind, format, out, &err);
    if (out != stdout) {
        if (fclose(out) != 0 && krc == KN_OK)
            krc = kn_err_set(&err, KN_EIO, "-o %s: write failed", path);
        if (krc == KN_OK && rename(tmp, path) != 0)
            krc = kn_err_set(&err, KN_EIO, "-o %s: cannot write there", path);
        if (krc != KN_OK)
            unlink(tmp);
    } else if (fflush(stdout) != 0 && krc == KN_OK) {
        krc = kn_err_set(&err, KN_EIO, "cannot write to standard output");
    }
    if (krc != KN_OK)
        rc = cli_fail_as(CLI_FAIL, &err);
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

int cmd_demo(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--days", true, false},
                                   {"--seed", true, false},
                                   {"--end", true, false},
                                   {"--name", true, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("demo", "demo", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    kn_err err = {0};
    kn_demo_opts o = {.days = 120, .seed = 1, .end = kn_today(NULL), .name = cli_get(&a, "--name")};
    kn_rc krc = KN_OK;
    if (cli_has(&a, "--days"))
        krc = kn_parse_int(cli_get(&a, "--days"), 1, 3650, "--days", &o.days, &err);
    if (krc == KN_OK && cli_has(&a, "--seed")) {
        int64_t seed;
        const char *s = cli_get(&a, "--seed");
        krc = strcmp(s, "0") == 0 ? (seed = 0, KN_OK) : kn_parse_id(s, "--seed", &seed, &err);
        o.seed = (uint64_t)seed;
    }
    if (krc == KN_OK && cli_has(&a, "--end"))
        krc = kn_date_parse(cli_get(&a, "--end"), "--end", &o.end, &err);
    if (krc == KN_OK && o.name && (!*o.name || strlen(o.name) > KN_NAME_MAX))
        krc = kn_err_set(&err, KN_EINVAL, "--name: must be 1-%d bytes", KN_NAME_MAX);
    if (krc != KN_OK)
        return cli_fail(&err);
    /* The demo never lands among the user's own persons (after which every command would
     * need --person): without --db or $KNEAD_DB it gets a database of its own beside the
     * default one. */
    cli_ctx demo = *ctx;
    char path[4096];
    if (ctx->db_is_default) {
        const char *slash = strrchr(ctx->db_path, '/');
        int dir = slash ? (int)(slash - ctx->db_path) : 0;
        if (snprintf(path, sizeof path, "%.*s%sknead-demo.db", dir, ctx->db_path,
                     slash ? "/" : "") >= (int)sizeof path)
            return cli_error(CLI_FAIL, "demo: the database path is too long");
        demo.db_path = path;
    }
    kn_store *st;
    rc = cli_open(&demo, true, &st);
    if (rc != CLI_OK)
        return rc;
    int64_t person = 0;
    kn_person_list all;
    if (ctx->db_is_default && kn_store_person_list(st, &all) == KN_OK) {
        size_t n = all.n;
        kn_person_list_free(&all);
        if (n) {
            rc = cli_error(CLI_FAIL,
                           "demo: %s already holds the demo; use it with 'knead --db %s COMMAND', "
                           "or remove the file for a new one",
                           demo.db_path, demo.db_path);
            goto close_store;
        }
    }
    if (kn_demo_create(st, &o, &person, &err) != KN_OK) {
        rc = cli_fail_as(CLI_FAIL, &err);
        goto close_store;
    }
    char end[KN_DATE_LEN];
    kn_date_format(o.end, end);
    printf("created demo person %lld (%s) with %d days of diary up to %s in %s\n",
           (long long)person, o.name ? o.name : "Demo Person", o.days, end, demo.db_path);
    if (ctx->db_is_default)
        printf("use it with: knead --db %s COMMAND\n", demo.db_path);
close_store:
    kn_store_close(st);
    return rc;
}
