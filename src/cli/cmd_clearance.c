/* knead clearance: a clinician's recorded clearance of one red flag of the latest screening
 * (add, list). Clearances are dated by the clock and never deleted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "knead/care.h"
#include "knead/interop.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

/* The edit distance of a and b (ids are short), capped at 99. */
static int distance(const char *a, const char *b)
{
    size_t n = strlen(b);
    if (strlen(a) >= KN_QUESTION_ID_MAX || n >= KN_QUESTION_ID_MAX)
        return 99;
    int row[KN_QUESTION_ID_MAX];
    for (size_t j = 0; j <= n; j++)
        row[j] = (int)j;
    for (size_t i = 1; a[i - 1]; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= n; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[n];
}

/* The question ids within two edits of id, or that contain it, as help. */
static void suggest(const char *id, char *buf, size_t cap)
{
    buf[0] = 0;
    for (size_t i = 0; i < kn_question_count(); i++) {
        const char *q = kn_question_at(i)->id;
        bool near = distance(id, q) <= 2 || (strlen(id) >= 3 && strstr(q, id));
        if (near && strlen(buf) + strlen(q) + 3 < cap)
            snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", buf[0] ? ", " : "", q);
    }
}

static void print_clearance(const kn_clearance *c)
{
    const kn_question *q = kn_question_find(c->question);
    char at[KN_DATE_LEN];
    kn_date_format(kn_instant_day(c->at), at);
    printf("%s: %s (cleared by %s on %s", q ? kn_outcome_name(q->outcome) : "?",
           q ? q->text : c->question, c->cleared_by, at);
    if (c->max_pressure != KN_NONE)
        printf("; pressure at most %d of 10", c->max_pressure);
    printf(")\n");
    if (c->note)
        printf("    note: %s\n", c->note);
}

static int clearance_add(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},       {"--question", true, false},
                                   {"--by", true, false},           {"--note", true, false},
                                   {"--max-pressure", true, false}, {"--json", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("clearance add", "clearance", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    if (!cli_has(&a, "--question"))
        return cli_error(CLI_USAGE, "clearance add: --question ID is required (knead screen "
                                    "--questions lists them)");
    if (!cli_has(&a, "--by"))
        return cli_error(CLI_USAGE, "clearance add: --by NAME (the clinician) is required");
    const char *id = cli_get(&a, "--question");
    if (!kn_question_find(id)) {
        char near[400];
        suggest(id, near, sizeof near);
        if (*near)
            return cli_error(CLI_USAGE, "--question %s: no such question; did you mean %s?", id,
                             near);
        return cli_error(CLI_USAGE, "--question %s: no such question (knead screen --questions)",
                         id);
    }
    kn_err err = {0};
    kn_clearance c = {.max_pressure = KN_NONE};
    snprintf(c.question, sizeof c.question, "%s", id);
    if (cli_has(&a, "--max-pressure") &&
        kn_parse_int(cli_get(&a, "--max-pressure"), 1, 10, "--max-pressure", &c.max_pressure,
                     &err) != KN_OK)
        return cli_fail(&err);
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    c.person_id = p.id;
    c.cleared_by = strdup(cli_get(&a, "--by"));
    c.note = cli_has(&a, "--note") ? strdup(cli_get(&a, "--note")) : NULL;
    if (!c.cleared_by || (cli_has(&a, "--note") && !c.note)) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto clear_clearance;
    }
    if (kn_instant_now(p.zone, &c.at, &err) != KN_OK) {
        rc = cli_fail(&err);
        goto clear_clearance;
    }
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto clear_clearance;
    }
    rc = cli_write_done(st, kn_clearance_record(st, &c, &err), &err);
    if (rc != CLI_OK)
        goto clear_clearance;
    if (cli_has(&a, "--json")) {
        if (kn_json_write(kn_json_clearance(&c), stdout, &err) != KN_OK)
            rc = cli_fail(&err);
    } else {
        printf("Clearance %lld recorded for %s.\n", (long long)c.id, p.name);
        print_clearance(&c);
    }
clear_clearance:
    kn_clearance_clear(&c);
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

static int clearance_list(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false}, {"--json", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("clearance list", "clearance", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    kn_err err = {0};
    kn_clearance_list l = {0};
    if (kn_store_clearance_list(st, p.id, &l) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    if (cli_has(&a, "--json")) {
        json_t *v = json_array();
        for (size_t i = 0; i < l.n; i++)
            json_array_append_new(v, kn_json_clearance(&l.items[i]));
        if (kn_json_write(v, stdout, &err) != KN_OK)
            rc = cli_fail(&err);
    } else if (!l.n) {
        printf("No clearances for %s.\n", p.name);
    } else {
        printf("Clearances for %s, oldest first:\n", p.name);
        for (size_t i = 0; i < l.n; i++)
            print_clearance(&l.items[i]);
    }
close_store:
    kn_clearance_list_free(&l);
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

int cmd_clearance(cli_ctx *ctx, int argc, char **argv)
{
    const char *sub = argc ? argv[0] : "";
    if (strcmp(sub, "add") == 0)
        return clearance_add(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return clearance_list(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
        return cli_help("clearance");
    cli_error(CLI_USAGE, "clearance: unknown subcommand '%s' (add, list)", sub);
    cli_usage_hint("clearance");
    return CLI_USAGE;
}
