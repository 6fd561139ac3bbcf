/* knead session start | feedback | finish | note | sign | amend | show | cancel: a massage
 * session run live, with pressure and discomfort feedback, a SOAP note filled in from it,
 * signing and amendments (dated by the clock, each with who signed), and cancelling. Each command
 * is one transaction; the library decides what is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "knead/interop.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

static int session_id(const cli_args *a, const char *cmd, int64_t *id)
{
    kn_err err = {0};
    if (a->npos != 1)
        return cli_error(CLI_USAGE, "session %s: give one session id", cmd);
    if (kn_parse_id(a->pos[0], "session", id, &err) != KN_OK)
        return cli_fail(&err);
    return CLI_OK;
}

/* The instant of --at (in zone), or now. */
static kn_rc when(const cli_args *a, const char *zone, kn_instant *at, kn_err *err)
{
    if (cli_has(a, "--at"))
        return kn_instant_parse(cli_get(a, "--at"), zone, "--at", at, err);
    return kn_instant_now(zone, at, err);
}

/* The zone of the session's person, for instants given without an offset. */
static int session_zone(kn_store *st, int64_t id, kn_person *p)
{
    kn_live_session live;
    if (kn_store_live_get(st, id, &live) != KN_OK || kn_store_person_get(st, live.person_id, p))
        return cli_store_fail(st);
    return CLI_OK;
}

/* A plan made before a stricter screening: which of its blocks change now, and why, on
 * standard error (standard output carries only the sentence naming the session). */
static int plan_changes(kn_store *st, int64_t person, int64_t id)
{
    kn_plan *plan = calloc(2, sizeof *plan);
    kn_plan_change changes[KN_PLAN_CHANGES_MAX];
    size_t n = 0;
    kn_gate gate;
    kn_err err = {0};
    int rc = CLI_OK;
    if (!plan)
        return cli_error(CLI_FAIL, "out of memory");
    if (kn_store_plan_get(st, id, &plan[0]) != KN_OK)
        rc = cli_store_fail(st);
    else if (kn_care_gate(st, person, &gate, &err) != KN_OK)
        rc = cli_fail(&err);
    if (rc == CLI_OK) {
        kn_plan_clamp(&plan[0], &gate, &plan[1], changes, &n);
        cli_print_plan_changes(stderr, &plan[0], changes, n);
    }
    free(plan);
    return rc;
}

static int live_start(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},
                                   {"--plan", true, false},
                                   {"--therapist", true, false},
                                   {"--pre", true, false},
                                   {"--at", true, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("session start", "session", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    kn_err err = {0};
    int64_t plan = 0, therapist = 0;
    int pre = KN_NONE;
    if ((cli_has(&a, "--plan") && kn_parse_id(cli_get(&a, "--plan"), "--plan", &plan, &err)) ||
        (cli_has(&a, "--pre") && kn_parse_int(cli_get(&a, "--pre"), 0, 10, "--pre", &pre, &err)))
        return cli_fail(&err);
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    kn_instant at;
    int64_t id = 0;
    if (cli_has(&a, "--therapist") &&
        (rc = cli_therapist(st, cli_get(&a, "--therapist"), &therapist, NULL)) != CLI_OK)
        goto close_store;
    if (when(&a, p.zone, &at, &err) != KN_OK ||
        kn_plausible_instant(at, p.born, "--at", &err) != KN_OK) {
        rc = cli_fail(&err);
        goto close_store;
    }
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    rc = cli_write_done(st, kn_live_start(st, p.id, plan, therapist, at, pre, &id, &err), &err);
    if (rc == CLI_OK) {
        char when_text[KN_INSTANT_LEN];
        kn_instant_format(at, when_text);
        printf("Started session %lld for %s at %s.\n", (long long)id, p.name, when_text);
    }
    if (rc == CLI_OK && plan)
        rc = plan_changes(st, p.id, plan);
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

static int live_feedback(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--region", true, false},     {"--pressure", true, false},
                                   {"--discomfort", true, false}, {"--guarding", false, false},
                                   {"--note", true, false},       {"--at", true, false}};
    cli_args a;
    int rc = cli_parse("session feedback", opts, NOPTS(opts), argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help("session") : rc;
    int64_t id;
    if ((rc = session_id(&a, "feedback", &id)) != CLI_OK)
        return rc;
    if (!cli_has(&a, "--region") || !cli_has(&a, "--pressure"))
        return cli_error(CLI_USAGE, "session feedback: --region and --pressure are required");
    kn_err err = {0};
    kn_session_event e = {.session_id = id, .discomfort = KN_NONE};
    int region;
    if (kn_sided_parse(cli_get(&a, "--region"), "--region", &region, &err) != KN_OK ||
        kn_parse_int(cli_get(&a, "--pressure"), 1, 10, "--pressure", &e.pressure, &err) != KN_OK ||
        (cli_has(&a, "--discomfort") &&
         kn_parse_int(cli_get(&a, "--discomfort"), 0, 10, "--discomfort", &e.discomfort, &err) !=
             KN_OK) ||
        (cli_has(&a, "--note") &&
         kn_parse_text(cli_get(&a, "--note"), KN_NOTE_MAX, "--note", &e.note, &err) != KN_OK))
        return cli_fail(&err);
    snprintf(e.region, sizeof e.region, "%s", kn_sided_id(region));
    e.guarding = cli_has(&a, "--guarding");
    kn_store *st;
    if ((rc = cli_open(ctx, false, &st)) != CLI_OK) {
        free(e.note);
        return rc;
    }
    kn_person p;
    kn_person_init(&p);
    bool ease_off = false;
    if ((rc = session_zone(st, id, &p)) != CLI_OK)
        goto close_store;
    if (when(&a, p.zone, &e.at, &err) != KN_OK ||
        kn_plausible_instant(e.at, p.born, "--at", &err) != KN_OK) {
        rc = cli_fail(&err);
        goto close_store;
    }
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    rc = cli_write_done(st, kn_live_feedback(st, &e, &ease_off, &err), &err);
    char name[KN_LABEL_MAX];
    kn_name_region(e.region, name, sizeof name);
    if (rc == CLI_OK && ease_off)
        printf("EASE OFF NOW: discomfort %d at %s; lower the pressure below %d and check in.\n",
               e.discomfort, name, e.pressure);
    else if (rc == CLI_OK)
        printf("Recorded feedback in session %lld: %s at pressure %d%s.\n", (long long)id, name,
               e.pressure, e.discomfort == KN_NONE ? "" : ", with discomfort reported");
close_store:
    free(e.note);
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

static void note_fields(const cli_args *a, kn_note_fields *f)
{
    f->subjective = cli_get(a, "--subjective");
    f->objective = cli_get(a, "--objective");
    f->assessment = cli_get(a, "--assessment");
    f->plan = cli_get(a, "--plan");
}

/* finish, note, sign and amend share their shape: a session id, note fields, one call. */
typedef enum { OP_FINISH, OP_NOTE, OP_SIGN, OP_AMEND } live_op;

static int live_change(cli_ctx *ctx, live_op op, int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"--post", true, false},      {"--minutes", true, false},    {"--subjective", true, false},
        {"--objective", true, false}, {"--assessment", true, false}, {"--plan", true, false},
        {"--reason", true, false},    {"--at", true, false},         {"--therapist", true, false}};
    static const char *const names[] = {"finish", "note", "sign", "amend"};
    char cmd[32];
    snprintf(cmd, sizeof cmd, "session %s", names[op]);
    cli_args a;
    int rc = cli_parse(cmd, opts, NOPTS(opts), argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help("session") : rc;
    int64_t id;
    if ((rc = session_id(&a, names[op], &id)) != CLI_OK)
        return rc;
    kn_err err = {0};
    int post = KN_NONE, minutes = 0;
    if (op != OP_FINISH && (cli_has(&a, "--post") || cli_has(&a, "--minutes")))
        return cli_error(CLI_USAGE, "%s: --post and --minutes belong to session finish", cmd);
    if (op != OP_AMEND && cli_has(&a, "--reason"))
        return cli_error(CLI_USAGE, "%s: --reason belongs to session amend", cmd);
    bool signs = op == OP_SIGN || op == OP_AMEND;
    /* A signature or an amendment is dated by the clock: one dated by hand could claim to
     * come before what it signs or amends. */
    if (signs && cli_has(&a, "--at"))
        return cli_error(CLI_USAGE,
                         "%s: --at is not taken; a signature or amendment is dated "
                         "by the clock",
                         cmd);
    if (!signs && cli_has(&a, "--therapist"))
        return cli_error(CLI_USAGE, "%s: --therapist belongs to session sign and amend", cmd);
    if (signs && !cli_has(&a, "--therapist"))
        return cli_error(CLI_USAGE, "%s: --therapist ID is required (who %s)", cmd,
                         op == OP_SIGN ? "signs" : "amends");
    int64_t therapist = 0;
    if (op == OP_SIGN && (cli_has(&a, "--subjective") || cli_has(&a, "--objective") ||
                          cli_has(&a, "--assessment") || cli_has(&a, "--plan")))
        return cli_error(CLI_USAGE, "session sign: takes no note fields (sign locks the note)");
    if ((cli_has(&a, "--post") &&
         kn_parse_int(cli_get(&a, "--post"), 0, 10, "--post", &post, &err) != KN_OK) ||
        (cli_has(&a, "--minutes") &&
         kn_parse_int(cli_get(&a, "--minutes"), 1, 600, "--minutes", &minutes, &err) != KN_OK))
        return cli_fail(&err);
    kn_note_fields f;
    note_fields(&a, &f);
    kn_store *st;
    if ((rc = cli_open(ctx, false, &st)) != CLI_OK)
        return rc;
    kn_person p;
    kn_person_init(&p);
    kn_instant at;
    if ((rc = session_zone(st, id, &p)) != CLI_OK)
        goto close_store;
    if (signs && (rc = cli_therapist(st, cli_get(&a, "--therapist"), &therapist, NULL)) != CLI_OK)
        goto close_store;
    if (when(&a, p.zone, &at, &err) != KN_OK ||
        kn_plausible_instant(at, p.born, "--at", &err) != KN_OK) {
        rc = cli_fail(&err);
        goto close_store;
    }
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    kn_rc krc = op == OP_FINISH ? kn_live_finish(st, id, at, minutes, post, &f, &err)
                : op == OP_NOTE ? kn_live_note_edit(st, id, at, &f, &err)
                : op == OP_SIGN
                    ? kn_live_sign(st, id, at, therapist, &err)
                    : kn_live_amend(st, id, at, therapist, cli_get(&a, "--reason"), &f, &err);
    rc = cli_write_done(st, krc, &err);
    if (rc == CLI_OK)
        printf(op == OP_FINISH ? "Finished session %lld: its note is version 1.\n"
               : op == OP_NOTE ? "Edited the note of session %lld.\n"
               : op == OP_SIGN ? "Signed and locked session %lld.\n"
                               : "Amended the note of session %lld: a new version is kept.\n",
               (long long)id);
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

static int live_cancel(cli_ctx *ctx, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse("session cancel", NULL, 0, argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help("session") : rc;
    int64_t id;
    if ((rc = session_id(&a, "cancel", &id)) != CLI_OK)
        return rc;
    kn_store *st;
    if ((rc = cli_open(ctx, false, &st)) != CLI_OK)
        return rc;
    kn_err err = {0};
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    rc = cli_write_done(st, kn_live_cancel(st, id, &err), &err);
    if (rc == CLI_OK)
        printf("Cancelled session %lld: it is kept, marked cancelled, and left out of the "
               "insights.\n",
               (long long)id);
close_store:
    kn_store_close(st);
    return rc;
}

/* The therapist's name for the record (or that of the id when the name cannot be read). */
static void therapist_name(kn_store *st, int64_t id, char *buf, size_t cap)
{
    kn_therapist t;
    kn_therapist_init(&t);
    if (id && kn_store_therapist_get(st, id, &t) == KN_OK)
        snprintf(buf, cap, "%s (therapist %lld)", t.name, (long long)id);
    else if (id)
        snprintf(buf, cap, "therapist %lld", (long long)id);
    else
        snprintf(buf, cap, "not recorded");
    kn_therapist_clear(&t);
}

static void print_note(kn_store *st, const kn_live_session *live, const kn_session_note *n)
{
    char at[KN_INSTANT_LEN], who[KN_NAME_MAX + 32];
    kn_instant_format(n->at, at);
    if (n->version == 1)
        printf("\nNote (version 1, %s)\n", at);
    else
        printf("\nAmendment %d (%s): %s\n", n->version - 1, at, n->reason ? n->reason : "");
    if (n->version == 1 && live->state == KN_SESSION_SIGNED) {
        kn_instant_format(live->signed_at, at);
        therapist_name(st, live->signed_by, who, sizeof who);
        printf("  Signed %s by %s\n", at, who);
    } else if (n->version > 1) {
        therapist_name(st, n->therapist_id, who, sizeof who);
        printf("  Signed %s by %s\n", at, who);
    }
    printf("  S: %s\n  O: %s\n  A: %s\n  P: %s\n", n->subjective ? n->subjective : "-",
           n->objective ? n->objective : "-", n->assessment ? n->assessment : "-",
           n->plan ? n->plan : "-");
}

/* The plan against what was done: each block's target and what the events show. */
static void print_plan_vs_done(const kn_plan *plan, const kn_event_list *ev)
{
    printf("\nPlan %lld against what was done\n", (long long)plan->id);
    for (size_t i = 0; i < plan->nblocks; i++) {
        const kn_plan_block *b = &plan->blocks[i];
        if (b->kind != KN_BLOCK_FOCUS)
            continue;
        int used = 0, discomfort = -1;
        for (size_t k = 0; k < ev->n; k++) {
            int r = kn_sided_find(ev->items[k].region);
            if (r < 0 || !kn_regionset_has(&b->regions, r))
                continue;
            if (ev->items[k].pressure > used)
                used = ev->items[k].pressure;
            if (ev->items[k].discomfort != KN_NONE && ev->items[k].discomfort > discomfort)
                discomfort = ev->items[k].discomfort;
        }
        printf("  %-28s target %d", b->muscle ? b->muscle->name : kn_block_kind_name(b->kind),
               b->pressure);
        if (b->pressure_reason[0])
            printf(" (%s)", b->pressure_reason);
        printf(", ");
        if (used)
            printf("worked up to %d", used);
        else
            printf("not worked");
        if (discomfort >= 0)
            printf(", discomfort up to %d", discomfort);
        printf("\n");
    }
}

static int live_show(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--json", false, false}};
    cli_args a;
    int rc = cli_parse("session show", opts, NOPTS(opts), argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help("session") : rc;
    int64_t id;
    if ((rc = session_id(&a, "show", &id)) != CLI_OK)
        return rc;
    kn_store *st;
    if ((rc = cli_open_read(ctx, &st)) != CLI_OK)
        return rc;
    kn_err err = {0};
    kn_live_session live;
    kn_session s;
    kn_session_init(&s);
    kn_event_list ev = {0};
    kn_note_list notes = {0};
    kn_plan *plan = calloc(1, sizeof *plan);
    if (!plan || kn_store_live_get(st, id, &live) != KN_OK ||
        kn_store_session_get(st, id, &s) != KN_OK || kn_store_event_list(st, id, &ev) != KN_OK ||
        kn_store_note_list(st, id, &notes) != KN_OK ||
        (live.plan_id && kn_store_plan_get(st, live.plan_id, plan) != KN_OK)) {
        rc = plan ? cli_store_fail(st) : cli_error(CLI_FAIL, "out of memory");
        goto free_all;
    }
    if (cli_has(&a, "--json")) {
        if (kn_json_write(kn_json_live_session(&live, &s, &ev, &notes, live.plan_id ? plan : NULL),
                          stdout, &err) != KN_OK)
            rc = cli_fail(&err);
        goto free_all;
    }
    char at[KN_INSTANT_LEN];
    kn_instant_format(s.at, at);
    const char *who = kn_session_therapist(&s);
    printf("Session %lld (%s), %s, %d min %s%s\n", (long long)id, kn_session_state_name(live.state),
           at, s.minutes, who ? "with " : "", who ? who : "(therapist not recorded)");
    if (ev.n)
        printf("\nTimeline\n");
    for (size_t i = 0; i < ev.n; i++) {
        const kn_session_event *e = &ev.items[i];
        kn_instant_format(e->at, at);
        char name[KN_LABEL_MAX];
        printf("  %.5s  %-36s pressure %2d", at + 11, kn_name_region(e->region, name, sizeof name),
               e->pressure);
        if (e->discomfort != KN_NONE)
            printf("  discomfort %2d", e->discomfort);
        if (e->guarding)
            printf("  guarding");
        if (e->warned)
            printf("  EASED OFF");
        if (e->note)
            printf("  \"%s\"", e->note);
        printf("\n");
    }
    if (live.plan_id)
        print_plan_vs_done(plan, &ev);
    for (size_t i = 0; i < notes.n; i++)
        print_note(st, &live, &notes.items[i]);
    if (live.state == KN_SESSION_SIGNED) {
        kn_instant_format(live.signed_at, at);
        printf("\nSigned %s; changes only by amendment.\n", at);
    }
free_all:
    free(plan);
    kn_note_list_free(&notes);
    kn_event_list_free(&ev);
    kn_session_clear(&s);
    kn_store_close(st);
    return rc;
}

int cmd_session_live(cli_ctx *ctx, const char *sub, int argc, char **argv)
{
    if (strcmp(sub, "start") == 0)
        return live_start(ctx, argc, argv);
    if (strcmp(sub, "feedback") == 0)
        return live_feedback(ctx, argc, argv);
    if (strcmp(sub, "finish") == 0)
        return live_change(ctx, OP_FINISH, argc, argv);
    if (strcmp(sub, "note") == 0)
        return live_change(ctx, OP_NOTE, argc, argv);
    if (strcmp(sub, "sign") == 0)
        return live_change(ctx, OP_SIGN, argc, argv);
    if (strcmp(sub, "amend") == 0)
        return live_change(ctx, OP_AMEND, argc, argv);
    if (strcmp(sub, "show") == 0)
        return live_show(ctx, argc, argv);
    if (strcmp(sub, "cancel") == 0)
        return live_cancel(ctx, argc, argv);
    return -1;
}
