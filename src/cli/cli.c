/* Shared plumbing of the CLI: option parsing, errors on stderr, opening the store and
 * choosing the person. */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "knead/care.h"
#include "knead/diary.h"

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("knead: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

/* The library names the fields of the domain; this face says them as its options: "--" and
 * the field with '-' for '_', but for these. NULL keeps the library's word. */
static const struct {
    const char *field, *flag;
} field_flags[] = {
    {"database", "--db"}, {"note", NULL}, /* a session note as a whole: its parts are the options */
};

/* What to try next, said in this face's commands, for an error about a field. */
static const struct {
    const char *field;
    kn_rc code;
    const char *hint;
} field_hints[] = {
    {"region", KN_EINVAL, "(see 'knead regions')"},
    {"person", KN_ENOTFOUND, "(see 'knead person list')"},
    {"therapist", KN_ENOTFOUND, "(see 'knead therapist list')"},
    {"question", KN_EINVAL, "(see 'knead screen --questions')"},
    {"database", KN_ENOTFOUND, "(run 'knead init' or 'knead demo')"},
    {"open_session", KN_EREFUSED, "('knead session finish ID' or 'knead session cancel ID')"},
};

/* The field without the "--" of a name this face gave the library itself. */
static const char *bare_field(const char *field)
{
    return strncmp(field, "--", 2) == 0 ? field + 2 : field;
}

static const char *hint_for(const kn_err *err)
{
    const char *field = bare_field(err->field);
    for (size_t i = 0; i < sizeof field_hints / sizeof field_hints[0]; i++)
        if (strcmp(field_hints[i].field, field) == 0 && field_hints[i].code == err->code &&
            (strcmp(field, "region") != 0 || strstr(kn_err_reason(err), "unknown region")))
            return field_hints[i].hint;
    return NULL;
}

void cli_err_text(const kn_err *err, char *out, size_t cap)
{
    size_t flen = strlen(err->field);
    const char *flag = NULL;
    char made[KN_ERR_FIELD_MAX + 2];
    if (flen && strncmp(err->field, "--", 2) != 0 && strncmp(err->msg, err->field, flen) == 0) {
        bool listed = false;
        for (size_t i = 0; i < sizeof field_flags / sizeof field_flags[0]; i++)
            if (strcmp(field_flags[i].field, err->field) == 0) {
                flag = field_flags[i].flag;
                listed = true;
            }
        if (!listed) {
            snprintf(made, sizeof made, "--%s", err->field);
            for (char *c = made; *c; c++)
                *c = *c == '_' ? '-' : *c;
            flag = made;
        }
    }
    const char *hint = flen ? hint_for(err) : NULL;
    snprintf(out, cap, "%s%s%s%s", flag ? flag : "", flag ? err->msg + flen : err->msg,
             hint ? " " : "", hint ? hint : "");
}

int cli_fail_as(int code, const kn_err *err)
{
    char text[KN_ERRMSG_MAX + 64];
    cli_err_text(err, text, sizeof text);
    return cli_error(code, "%s", text);
}

int cli_fail(const kn_err *err)
{
    return cli_fail_as(err->code == KN_EINVAL ? CLI_USAGE : CLI_FAIL, err);
}

int cli_store_fail(kn_store *st)
{
    kn_err err;
    kn_store_error(st, &err);
    return cli_fail_as(CLI_FAIL, &err);
}

void cli_usage_hint(const char *cmd)
{
    fprintf(stderr, "Try 'knead help %s'.\n", cmd);
}

static int find_opt(const cli_opt *opts, size_t nopts, const char *name, size_t len)
{
    for (size_t i = 0; i < nopts; i++)
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

int cli_parse(const char *cmd, const cli_opt *opts, size_t nopts, int argc, char **argv,
              cli_args *out)
{
    memset(out, 0, sizeof *out);
    out->opts = opts;
    out->nopts = nopts;
    bool only_positional = false;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (only_positional || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (out->npos == CLI_MAX_VALUES) {
                cli_error(CLI_USAGE, "%s: too many arguments", cmd);
                return CLI_USAGE;
            }
            out->pos[out->npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_positional = true;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            out->help = true;
            continue;
        }
        const char *eq = strchr(arg, '=');
        size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
        int k = find_opt(opts, nopts, arg, len);
        if (k < 0) {
            cli_error(CLI_USAGE, "%s: unknown option %.*s", cmd, (int)len, arg);
            cli_usage_hint(cmd);
            return CLI_USAGE;
        }
        const char *value = NULL;
        if (opts[k].takes_value) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else {
                cli_error(CLI_USAGE, "%s: %s needs a value", cmd, opts[k].name);
                return CLI_USAGE;
            }
        } else if (eq) {
            cli_error(CLI_USAGE, "%s: %s takes no value", cmd, opts[k].name);
            return CLI_USAGE;
        } else {
            value = "";
        }
        if (out->nvalues[k] && !opts[k].repeatable) {
            cli_error(CLI_USAGE, "%s: %s given more than once", cmd, opts[k].name);
            return CLI_USAGE;
        }
        if (out->nvalues[k] == CLI_MAX_VALUES) {
            cli_error(CLI_USAGE, "%s: %s given too often", cmd, opts[k].name);
            return CLI_USAGE;
        }
        out->values[k][out->nvalues[k]++] = value;
    }
    return CLI_OK;
}

bool cli_parse_options(const char *cmd, const char *topic, const cli_opt *opts, size_t nopts,
                       int argc, char **argv, cli_args *out, int *status)
{
    *status = cli_parse(cmd, opts, nopts, argc, argv, out);
    if (*status != CLI_OK)
        return false;
    if (out->help) {
        *status = cli_help(topic);
        return false;
    }
    if (out->npos) {
        *status = cli_error(CLI_USAGE, "%s: unexpected argument '%s'", cmd, out->pos[0]);
        return false;
    }
    return true;
}

/* An option the command's table does not have is a mistake in the code, not in the input:
 * it stops the program with the name, so that a test of the command finds it. */
static int opt_index(const cli_args *a, const char *name)
{
    int k = find_opt(a->opts, a->nopts, name, strlen(name));
    if (k < 0) {
        fprintf(stderr, "knead: internal error: option %s is not in the command's table\n", name);
        abort();
    }
    return k;
}

const char *cli_get(const cli_args *a, const char *name)
{
    int k = opt_index(a, name);
    return k >= 0 && a->nvalues[k] ? a->values[k][a->nvalues[k] - 1] : NULL;
}

bool cli_has(const cli_args *a, const char *name)
{
    return cli_get(a, name) != NULL;
}

size_t cli_count(const cli_args *a, const char *name)
{
    int k = opt_index(a, name);
    return k >= 0 ? a->nvalues[k] : 0;
}

const char *cli_nth(const cli_args *a, const char *name, size_t i)
{
    int k = opt_index(a, name);
    return k >= 0 && i < a->nvalues[k] ? a->values[k][i] : NULL;
}

/* mkdir -p for the directory that will hold the default database. */
static int make_parents(const char *path)
{
    char dir[4096];
    if (strlen(path) >= sizeof dir)
        return -1;
    strcpy(dir, path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int open_store(const cli_ctx *ctx, int flags, kn_store **out)
{
    kn_err err = {0};
    char why[KN_ERRNO_TEXT_MAX];
    if ((flags & KN_STORE_CREATE) && ctx->db_is_default && make_parents(ctx->db_path) != 0)
        return cli_error(CLI_FAIL, "%s: cannot create its directory: %s", ctx->db_path,
                         kn_errno_text(errno, why, sizeof why));
    kn_rc rc = kn_store_open(ctx->db_path, flags, out, &err);
    if (rc != KN_OK)
        return cli_fail_as(CLI_FAIL, &err);
    return CLI_OK;
}

int cli_open(const cli_ctx *ctx, bool create, kn_store **out)
{
    return open_store(ctx, create ? KN_STORE_CREATE : KN_STORE_READ, out);
}

int cli_open_read(const cli_ctx *ctx, kn_store **out)
{
    return open_store(ctx, KN_STORE_READONLY, out);
}

int cli_person(kn_store *st, const cli_args *a, kn_person *out)
{
    const char *given = cli_get(a, "--person");
    kn_err err = {0};
    int64_t id = 0;
    if (given) {
        if (kn_parse_id(given, "--person", &id, &err) != KN_OK)
            return cli_fail(&err);
    } else {
        kn_person_list all;
        if (kn_store_person_list(st, &all) != KN_OK)
            return cli_store_fail(st);
        size_t n = all.n;
        if (n == 1)
            id = all.items[0].id;
        kn_person_list_free(&all);
        /* no person yet is a state of the database (exit 1); several, a missing option (2) */
        if (n != 1)
            return cli_error(n == 0 ? CLI_FAIL : CLI_USAGE,
                             n == 0 ? "--person: the database holds no person yet (knead person "
                                      "add --name NAME)"
                                    : "--person: required when the database holds several "
                                      "persons (see knead person list)");
    }
    if (kn_store_person_get(st, id, out) != KN_OK)
        return cli_store_fail(st);
    return CLI_OK;
}

static int open_person(const cli_ctx *ctx, int flags, const cli_args *a, kn_store **st,
                       kn_person *p)
{
    kn_person_init(p);
    int rc = open_store(ctx, flags, st);
    if (rc != CLI_OK)
        return rc;
    rc = cli_person(*st, a, p);
    if (rc != CLI_OK) {
        kn_person_clear(p);
        kn_store_close(*st);
        *st = NULL;
    }
    return rc;
}

int cli_open_person(const cli_ctx *ctx, const cli_args *a, kn_store **st, kn_person *p)
{
    return open_person(ctx, KN_STORE_READ, a, st, p);
}

int cli_open_person_read(const cli_ctx *ctx, const cli_args *a, kn_store **st, kn_person *p)
{
    return open_person(ctx, KN_STORE_READONLY, a, st, p);
}

int cli_therapist(kn_store *st, const char *given, int64_t *id, char **name)
{
    kn_err err = {0};
    if (kn_therapist_resolve(st, given, "--therapist", id, &err) != KN_OK)
        return cli_fail(&err);
    if (!name)
        return CLI_OK;
    kn_therapist t;
    kn_therapist_init(&t);
    int rc = CLI_OK;
    if (kn_store_therapist_get(st, *id, &t) != KN_OK)
        rc = cli_store_fail(st);
    else if (!(*name = strdup(t.name)))
        rc = cli_error(CLI_FAIL, "out of memory");
    kn_therapist_clear(&t);
    return rc;
}

kn_rc cli_date_range(const cli_args *a, kn_day *from, kn_day *to, kn_err *err)
{
    *from = *to = KN_DAY_ANY;
    kn_rc rc = KN_OK;
    if (cli_has(a, "--from"))
        rc = kn_date_parse(cli_get(a, "--from"), "--from", from, err);
    if (rc == KN_OK && cli_has(a, "--to"))
        rc = kn_date_parse(cli_get(a, "--to"), "--to", to, err);
    if (rc == KN_OK && *from != KN_DAY_ANY && *to != KN_DAY_ANY && *from > *to)
        rc = kn_err_set(err, KN_EINVAL, "--from %s: is after --to %s", cli_get(a, "--from"),
                        cli_get(a, "--to"));
    return rc;
}

int cli_write_done(kn_store *st, kn_rc rc, const kn_err *err)
{
    if (rc == KN_OK && kn_store_commit(st) == KN_OK)
        return CLI_OK;
    kn_store_rollback(st);
    return rc == KN_OK ? cli_store_fail(st) : cli_fail(err);
}

void cli_print_sources(const kn_citations *c)
{
    if (!c->n)
        return;
    printf("\nSources\n");
    for (size_t i = 0; i < c->n; i++) {
        char line[2048];
        printf("  %s\n", kn_citation_line(c->cited[i], line, sizeof line));
    }
}
