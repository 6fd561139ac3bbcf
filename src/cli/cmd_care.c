/* knead therapist, intake, plan and brief: the care workflow before a session. Each parses its
 * arguments, calls the library inside one transaction and prints text or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "knead/interop.h"
#include "knead/report.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))
#define ANSWERS_MAX (1 << 20)

static int parse_days(const cli_args *a, int *days, kn_err *err)
{
    *days = 30;
    if (cli_has(a, "--days") &&
        kn_parse_int(cli_get(a, "--days"), 1, 3650, "--days", days, err) != KN_OK)
        return cli_fail(err);
    return CLI_OK;
}

/* ---- therapist ---- */

static void print_therapist(const kn_therapist *t)
{
    printf("%lld  %s", (long long)t->id, t->name);
    if (t->license)
        printf(", licence %s", t->license);
    if (t->board_certified)
        printf(", board certified");
    if (t->amta_member)
        printf(", AMTA member");
    printf("\n");
    if (t->nspecialties) {
        printf("    specialties: ");
        for (size_t i = 0; i < t->nspecialties; i++) {
            char name[KN_LABEL_MAX];
            printf("%s%s", i ? "; " : "", kn_name_specialty(t->specialties[i], name, sizeof name));
        }
        printf("\n");
    }
}

static int therapist_add(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--name", true, false},
                                   {"--license", true, false},
                                   {"--board-certified", false, false},
                                   {"--amta-member", false, false},
                                   {"--specialty", true, true}};
    cli_args a;
    int rc;
    if (!cli_parse_options("therapist add", "therapist", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    if (!cli_has(&a, "--name"))
        return cli_error(CLI_USAGE, "therapist add: --name is required");
    kn_err err = {0};
    kn_therapist t;
    kn_therapist_init(&t);
    t.name = strdup(cli_get(&a, "--name"));
    t.license = cli_has(&a, "--license") ? strdup(cli_get(&a, "--license")) : NULL;
    t.board_certified = cli_has(&a, "--board-certified");
    t.amta_member = cli_has(&a, "--amta-member");
    kn_rc krc = KN_OK;
    for (size_t i = 0; krc == KN_OK && i < cli_count(&a, "--specialty"); i++)
        krc = kn_therapist_add_specialty(&t, cli_nth(&a, "--specialty", i), &err);
    if (krc == KN_OK)
        krc = kn_therapist_validate(&t, &err);
    if (krc != KN_OK) {
        kn_therapist_clear(&t);
        return cli_fail(&err);
    }
    kn_store *st;
    if ((rc = cli_open(ctx, false, &st)) != CLI_OK) {
        kn_therapist_clear(&t);
        return rc;
    }
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
    } else {
        krc = kn_store_therapist_add(st, &t);
        if (krc != KN_OK)
            kn_store_error(st, &err);
        rc = cli_write_done(st, krc, &err);
        if (rc == CLI_OK)
            printf("Added therapist %lld: %s.\n", (long long)t.id, t.name);
    }
    kn_therapist_clear(&t);
    kn_store_close(st);
    return rc;
}

static int therapist_list(cli_ctx *ctx, int argc, char **argv, bool show)
{
    static const cli_opt opts[] = {{"--json", false, false}};
    cli_args a;
    int rc =
        cli_parse(show ? "therapist show" : "therapist list", opts, NOPTS(opts), argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help("therapist") : rc;
    if (show ? a.npos != 1 : a.npos != 0)
        return cli_error(CLI_USAGE,
                         show ? "therapist show: give one therapist id"
                              : "therapist list: unexpected argument '%s'",
                         show ? "" : a.pos[0]);
    kn_err err = {0};
    int64_t id = 0;
    if (show && kn_parse_id(a.pos[0], "therapist", &id, &err) != KN_OK)
        return cli_fail(&err);
    kn_store *st;
    if ((rc = cli_open_read(ctx, &st)) != CLI_OK)
        return rc;
    kn_therapist_list l = {0};
    kn_therapist one;
    kn_therapist_init(&one);
    if (show ? kn_store_therapist_get(st, id, &one) != KN_OK
             : kn_store_therapist_list(st, &l) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    if (show) {
        l.items = &one;
        l.n = 1;
    }
    if (cli_has(&a, "--json")) {
        json_t *v = show ? kn_json_therapist(&one) : json_array();
        for (size_t i = 0; !show && i < l.n; i++)
            json_array_append_new(v, kn_json_therapist(&l.items[i]));
        if (kn_json_write(v, stdout, &err) != KN_OK)
            rc = cli_fail(&err);
    } else if (!l.n) {
        printf("No therapists yet (knead therapist add --name NAME).\n");
    } else {
        for (size_t i = 0; i < l.n; i++)
            print_therapist(&l.items[i]);
    }
    if (show) {
        l.items = NULL;
        l.n = 0;
    }
close_store:
    kn_therapist_clear(&one);
    kn_therapist_list_free(&l);
    kn_store_close(st);
    return rc;
}

static int therapist_match(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"--person", true, false}, {"--days", true, false}, {"--json", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("therapist match", "therapist", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    kn_err err = {0};
    int days;
    if ((rc = parse_days(&a, &days, &err)) != CLI_OK)
        return rc;
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person_read(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    kn_therapist_list l = {0};
    kn_therapist_match *m = NULL;
    if (kn_store_therapist_list(st, &l) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    m = calloc(l.n + 1, sizeof *m);
    kn_gate gate;
    if (!m || kn_therapist_match_rank(st, p.id, kn_today(p.zone), days, &l, m, &err) != KN_OK ||
        kn_care_gate(st, p.id, &gate, &err) != KN_OK) {
        rc = m ? cli_fail(&err) : cli_error(CLI_FAIL, "out of memory");
        goto close_store;
    }
    /* The screening first, as guides and rankings have it: a red flag before any therapist. */
    if (cli_has(&a, "--json")) {
        json_t *v = json_object();
        json_object_set_new(v, "gate", kn_json_gate(&gate));
        json_t *matches = kn_json_therapist_matches(m, l.n);
        json_object_update(v, matches);
        json_decref(matches);
        if (kn_json_write(v, stdout, &err) != KN_OK)
            rc = cli_fail(&err);
        goto close_store;
    }
    if (gate.blocking)
        printf("!! %s\n\n", gate.message);
    else if (!gate.screened)
        printf("%s (knead screen --person %lld)\n\n", gate.message, (long long)p.id);
    else
        printf("%s\n\n", gate.message);
    if (!l.n) {
        printf("No therapists yet (knead therapist add --name NAME).\n");
    } else {
        printf("Therapists for %s, best first (licensed first; the last %d days of diary)\n",
               p.name, days);
        for (size_t i = 0; i < l.n; i++)
            printf("%zu. %s (therapist %lld), score %.2f\n   %s\n", i + 1, m[i].therapist->name,
                   (long long)m[i].therapist->id, m[i].score, m[i].reasons);
        printf("%s\n", KN_NOT_A_DIAGNOSIS);
    }
close_store:
    free(m);
    kn_therapist_list_free(&l);
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

int cmd_therapist(cli_ctx *ctx, int argc, char **argv)
{
    const char *sub = argc ? argv[0] : "";
    if (strcmp(sub, "add") == 0)
        return therapist_add(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return therapist_list(ctx, argc - 1, argv + 1, false);
    if (strcmp(sub, "show") == 0)
        return therapist_list(ctx, argc - 1, argv + 1, true);
    if (strcmp(sub, "match") == 0)
        return therapist_match(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
        return cli_help("therapist");
    cli_error(CLI_USAGE, "therapist: unknown subcommand '%s' (add, list, show, match)", sub);
    cli_usage_hint("therapist");
    return CLI_USAGE;
}

/* ---- intake ---- */

static char *read_file(const char *path, kn_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        kn_err_set(err, KN_EIO, "%s: cannot read it", path);
        return NULL;
    }
    char *text = malloc(ANSWERS_MAX + 1);
    size_t n = text ? fread(text, 1, ANSWERS_MAX + 1, f) : 0;
    fclose(f);
    if (!text || n > ANSWERS_MAX) {
        free(text);
        kn_err_set(err, KN_EINVAL, "%s: larger than %d bytes: not an answers file", path,
                   ANSWERS_MAX);
        return NULL;
    }
    text[n] = 0;
    return text;
}

/* Asks one intake question; the answer (maybe empty) goes into doc under key as kind:
 * 't' text, 'w' words, 'b' yes/no, 'r' regions, 'p' pressure, 'm' region:pressure map,
 * 'o' region:since map ("neck:2 years, jaw:2024-03"). */
static void ask_field(json_t *doc, const char *key, char kind, const char *prompt)
{
    char line[2048];
    for (int tries = 0; tries < 3; tries++) {
        fprintf(stderr, "%s ", prompt);
        if (!cli_read_line(line, sizeof line) || !*line)
            return;
        json_t *v = NULL;
        if (kind == 't') {
            v = json_string(line);
        } else if (kind == 'b') {
            if (strchr("yYnN", line[0]) &&
                (line[1] == 0 || strcmp(line + 1, "es") == 0 || strcmp(line + 1, "o") == 0))
                v = json_boolean(line[0] == 'y' || line[0] == 'Y');
        } else if (kind == 'p') {
            char *end;
            long p = strtol(line, &end, 10);
            if (!*end && p >= 1 && p <= 10)
                v = json_integer(p);
        } else if (kind == 'o') {
            v = json_object();
            char *save = NULL;
            for (char *it = strtok_r(line, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
                char *colon = strchr(it, ':');
                while (*it == ' ')
                    it++;
                if (!colon || colon == it)
                    continue;
                *colon = 0;
                json_object_set_new(v, it, json_string(colon + 1));
            }
        } else if (kind == 'm') {
            v = json_object();
            char *save = NULL;
            for (char *it = strtok_r(line, ", ", &save); it; it = strtok_r(NULL, ", ", &save)) {
                char *colon = strchr(it, ':');
                if (!colon)
                    break;
                *colon = 0;
                json_object_set_new(v, it, json_integer(strtol(colon + 1, NULL, 10)));
            }
        } else {
            v = json_array();
            char *save = NULL;
            for (char *it = strtok_r(line, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
                while (*it == ' ')
                    it++;
                if (kind == 'r' && *it && kn_sided_find(it) < 0) {
                    fprintf(stderr, "  %s: not a region id (see knead regions)\n", it);
                    json_decref(v);
                    v = NULL;
                    break;
                }
                if (*it)
                    json_array_append_new(v, json_string(it));
            }
        }
        if (v) {
            json_object_set_new(doc, key, v);
            return;
        }
        if (kind != 'r' && kind != 'o')
            fprintf(stderr, "  (%s)\n", kind == 'b' ? "y or n" : "a whole number 1-10");
    }
}

/* The intake questions on the terminal, as an answers document. */
static char *ask_intake(void)
{
    json_t *doc = json_object();
    fprintf(stderr, "Intake. Enter leaves a question unanswered; lists are comma-separated; "
                    "regions are ids of 'knead regions'.\n");
    ask_field(doc, "goals", 't', "What do you want from massage?");
    ask_field(doc, "conditions", 'w', "Diagnosed conditions?");
    ask_field(doc, "medications", 'w', "Medications (blood thinners matter)?");
    ask_field(doc, "recent_injury", 'b', "An injury in the last 6 weeks? (y/n)");
    if (json_is_true(json_object_get(doc, "recent_injury")))
        ask_field(doc, "injury_regions", 'r', "  Where?");
    ask_field(doc, "recent_surgery", 'b', "Surgery in the last 6 weeks? (y/n)");
    if (json_is_true(json_object_get(doc, "recent_surgery")))
        ask_field(doc, "surgery_regions", 'r', "  Where?");
    ask_field(doc, "pregnant", 'b', "Are you pregnant? (y/n)");
    ask_field(doc, "clots", 'b', "Have you ever had a blood clot? (y/n)");
    ask_field(doc, "skin_conditions", 'w', "Skin conditions (rash, wound, infection)?");
    if (json_object_get(doc, "skin_conditions"))
        ask_field(doc, "skin_regions", 'r', "  Where?");
    ask_field(doc, "allergies", 'w', "Allergies to oils or lotions?");
    ask_field(doc, "avoid_regions", 'r', "Regions you want left out?");
    ask_field(doc, "pressure", 'p', "Preferred pressure, 1 (light) to 10 (deep)?");
    ask_field(doc, "pressure_by_region", 'm', "Pressure for some regions (REGION:N, ...)?");
    ask_field(doc, "pain_since", 'o',
              "Since when has each painful region hurt (REGION:2 years, REGION:2024-03, ...)?");
    ask_field(doc, "notes", 't', "What else should your therapist know?");
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

static void print_intake_result(const kn_person *p, const kn_intake_result *r,
                                const kn_intake_answers *a)
{
    char line[600];
    for (size_t i = 0; i < a->nmedications; i++)
        if (!kn_medication_match(a->medications[i])) {
            kn_medication_unknown_text(a->medications[i], line, sizeof line);
            printf("Medicine %s\n", line);
        }
    if (!r->changed) {
        printf("Intake of %s unchanged: still version %d.\n", p->name, r->version);
        return;
    }
    printf("Intake of %s recorded: version %d.\n", p->name, r->version);
    if (!r->screening_id) {
        printf("No screening stored: the intake answers no screening question (knead screen "
               "asks them).\n");
        return;
    }
    printf("Screening: %s. %s\n", kn_verdict_name(r->screen.verdict),
           kn_verdict_advice(r->screen.verdict));
    for (size_t i = 0; i < r->screen.nreasons; i++)
        printf("  %-9s %s: %s\n", kn_outcome_name(r->screen.reasons[i]->outcome),
               r->screen.reasons[i]->topic, r->screen.reasons[i]->advice);
    if (r->screen.max_pressure)
        printf("Pressure: at most %d of 10.\n", r->screen.max_pressure);
}

static void print_words(const char *label, char *const *w, size_t n)
{
    printf("  %-22s", label);
    if (!n)
        printf("none");
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", w[i]);
    printf("\n");
}

static void print_yes_no(const char *label, int v, const kn_regionset *where)
{
    printf("  %-22s%s", label, v == KN_NONE ? "not answered" : v ? "yes" : "no");
    if (where && v == 1 && !kn_regionset_empty(where)) {
        char names[4096];
        printf(" (%s)", kn_name_regions(where, names, sizeof names));
    }
    printf("\n");
}

static void print_regions(const char *label, const kn_regionset *r)
{
    printf("  %-22s", label);
    char names[4096];
    printf("%s\n", kn_regionset_empty(r) ? "none" : kn_name_regions(r, names, sizeof names));
}

/* The latest intake as a therapist reads it (knead intake --show without --json). */
static void print_intake(const kn_person *p, const kn_intake_answers *a, int version)
{
    printf("Intake of %s, version %d\n", p->name, version);
    printf("  %-22s%s\n", "Goals:", a->goals ? a->goals : "not recorded");
    print_words("Conditions:", a->conditions, a->nconditions);
    print_words("Medications:", a->medications, a->nmedications);
    char line[600];
    for (size_t i = 0; i < a->nmedications; i++)
        if (!kn_medication_match(a->medications[i])) {
            kn_medication_unknown_text(a->medications[i], line, sizeof line);
            printf("    medicine %s\n", line);
        }
    print_yes_no("Recent injury:", a->recent_injury, &a->injury_regions);
    print_yes_no("Recent surgery:", a->recent_surgery, &a->surgery_regions);
    print_yes_no("Pregnant:", a->pregnant, NULL);
    print_yes_no("Blood clots ever:", a->clots, NULL);
    print_words("Skin conditions:", a->skin_conditions, a->nskin_conditions);
    if (!kn_regionset_empty(&a->skin_regions))
        print_regions("  where:", &a->skin_regions);
    print_words("Oil/lotion allergies:", a->allergies, a->nallergies);
    print_regions("Leave out:", &a->avoid);
    printf("  %-22s", "Pressure:");
    if (a->pressure == KN_NONE)
        printf("no preference given");
    else
        printf("%d of 10", a->pressure);
    for (int k = 0; k < KN_SIDED_MAX; k++)
        if (a->pressure_by_region[k]) {
            char name[KN_LABEL_MAX];
            printf("; %s %d", kn_name_sided(k, name, sizeof name), a->pressure_by_region[k]);
        }
    printf("\n");
    /* since when each region has hurt, as the person said it */
    printf("  %-22s", "Pain since:");
    int said = 0;
    for (int k = 0; k < KN_SIDED_MAX; k++)
        if (a->pain_since[k]) {
            char name[KN_LABEL_MAX];
            printf("%s%s: %s", said++ ? "; " : "", kn_name_sided(k, name, sizeof name),
                   a->pain_since[k]);
        }
    printf("%s\n", said ? "" : "not recorded");
    printf("  %-22s%s\n", "Notes:", a->notes ? a->notes : "none");
}

int cmd_intake(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},
                                   {"--answers", true, false},
                                   {"--json", false, false},
                                   {"--show", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("intake", "intake", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    bool show = cli_has(&a, "--show");
    if (!show && !cli_has(&a, "--answers") && !isatty(STDIN_FILENO))
        return cli_error(CLI_USAGE, "intake: --answers FILE.json is needed when the input is not "
                                    "a terminal");
    kn_err err = {0};
    char *text = NULL;
    kn_intake_answers ans;
    kn_intake_answers_init(&ans);
    kn_screening extra;
    kn_screening_init(&extra);
    if (!show) {
        text = cli_has(&a, "--answers") ? read_file(cli_get(&a, "--answers"), &err) : ask_intake();
        if (!text)
            return cli_fail(&err);
        kn_rc krc = kn_intake_parse(text, &ans, &err);
        if (krc != KN_OK && cli_has(&a, "--answers"))
            kn_err_prefix(&err, "%s", cli_get(&a, "--answers"));
        free(text);
        if (krc != KN_OK)
            return cli_fail(&err);
        if (!cli_has(&a, "--answers")) { /* on a terminal: the red-flag questions too */
            if (kn_intake_screening(&ans, &extra, &err) != KN_OK ||
                cli_ask_screening(&extra, &err) != KN_OK ||
                kn_screening_answers_to_json(&extra, &text, &err) != KN_OK) {
                kn_intake_answers_clear(&ans);
                kn_screening_clear(&extra);
                return cli_fail(&err);
            }
            free(ans.screening);
            ans.screening = text;
        }
    }
    kn_store *st;
    kn_person p;
    if ((rc = (show ? cli_open_person_read : cli_open_person)(ctx, &a, &st, &p)) != CLI_OK)
        goto clear_answers;
    if (show) {
        int version;
        bool found;
        if (kn_intake_latest(st, p.id, &ans, &version, &found, &err) != KN_OK)
            rc = cli_fail(&err);
        else if (!found)
            printf(cli_has(&a, "--json") ? "null\n" : "No intake yet for %s.\n", p.name);
        else if (!cli_has(&a, "--json"))
            print_intake(&p, &ans, version);
        else if (kn_json_write(kn_json_intake(&ans, version), stdout, &err) != KN_OK)
            rc = cli_fail(&err);
        goto close_store;
    }
    kn_instant now;
    kn_intake_result r;
    if (kn_instant_now(p.zone, &now, &err) != KN_OK) {
        rc = cli_fail(&err);
        goto close_store;
    }
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    rc = cli_write_done(st, kn_intake_record(st, p.id, now, &ans, &r, &err), &err);
    if (rc == CLI_OK && cli_has(&a, "--json")) {
        json_t *v = kn_json_intake_result(&r);
        json_object_set_new(v, "medications_not_recognised",
                            kn_json_unknown_medications(ans.medications, ans.nmedications));
        if (kn_json_write(v, stdout, &err) != KN_OK)
            rc = cli_fail(&err);
    } else if (rc == CLI_OK)
        print_intake_result(&p, &r, &ans);
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
clear_answers:
    kn_screening_clear(&extra);
    kn_intake_answers_clear(&ans);
    return rc;
}

/* ---- plan ---- */

/* What the current screening changed in a plan made before it (kn_plan_clamp). */
void cli_print_plan_changes(FILE *out, const kn_plan *stored, const kn_plan_change *c, size_t n)
{
    if (!n)
        return;
    fprintf(out, "Plan %lld changed by the current screening:\n", (long long)stored->id);
    for (size_t i = 0; i < n; i++) {
        const kn_plan_block *b = &stored->blocks[c[i].block];
        fprintf(out, "  block %zu (%s", c[i].block + 1, kn_block_kind_name(b->kind));
        if (b->muscle)
            fprintf(out, ", %s", b->muscle->name);
        fprintf(out, "): %s", c[i].why);
        if (c[i].kind != KN_CHANGE_PRESSURE) {
            char names[4096];
            fprintf(out, " (%s)", kn_name_regions(&c[i].regions, names, sizeof names));
        }
        fprintf(out, "\n");
    }
}

static void print_plan(const kn_person *p, const kn_plan *plan, const kn_gate *gate,
                       const kn_plan *stored, const kn_plan_change *changes, size_t nchanges)
{
    printf("%s\n", gate->message);
    cli_print_plan_changes(stdout, stored, changes, nchanges);
    if (plan->id)
        printf("Plan %lld for %s: %d minutes", (long long)plan->id, p->name, plan->minutes);
    else
        printf("Plan preview for %s: %d minutes", p->name, plan->minutes);
    if (plan->max_pressure)
        printf(", pressure at most %d", plan->max_pressure);
    printf("\n");
    if (!kn_regionset_empty(&plan->avoid)) {
        char names[4096];
        printf("Avoid: %s\n", kn_name_regions(&plan->avoid, names, sizeof names));
    }
    for (size_t i = 0; i < plan->nblocks; i++) {
        const kn_plan_block *b = &plan->blocks[i];
        printf("\n%2d min  %-7s", b->minutes, kn_block_kind_name(b->kind));
        if (b->muscle)
            printf("  %s (%s)", b->muscle->name,
                   b->side == 'l'   ? "left"
                   : b->side == 'r' ? "right"
                                    : "both sides");
        char names[4096];
        printf("\n        %s, pressure %d, on %s", b->technique, b->pressure,
               kn_name_regions(&b->regions, names, sizeof names));
        printf("\n        why: %s\n", b->why);
    }
    printf("\n%s\n", KN_NOT_A_DIAGNOSIS);
}

int cmd_plan(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},    {"--minutes", true, false},
                                   {"--therapist", true, false}, {"--days", true, false},
                                   {"--json", false, false},     {"--show", true, false},
                                   {"--save", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("plan", "plan", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    bool save = cli_has(&a, "--save");
    if (save && cli_has(&a, "--show"))
        return cli_error(CLI_USAGE, "plan: --save makes a new plan; --show prints a saved one");
    kn_err err = {0};
    int minutes = 60, days;
    int64_t therapist = 0, show = 0;
    if ((rc = parse_days(&a, &days, &err)) != CLI_OK)
        return rc;
    if ((cli_has(&a, "--minutes") &&
         kn_parse_int(cli_get(&a, "--minutes"), KN_PLAN_MINUTES_MIN, KN_PLAN_MINUTES_MAX,
                      "--minutes", &minutes, &err) != KN_OK) ||
        (cli_has(&a, "--show") &&
         kn_parse_id(cli_get(&a, "--show"), "--show", &show, &err) != KN_OK))
        return cli_fail(&err);
    kn_store *st;
    kn_person p;
    /* only --save writes: a preview or --show reads, even a read-only database */
    if ((rc = (save ? cli_open_person : cli_open_person_read)(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    kn_plan *plan = calloc(1, sizeof *plan);
    kn_plan *clamped = calloc(1, sizeof *clamped);
    kn_plan_change changes[KN_PLAN_CHANGES_MAX];
    size_t nchanges = 0;
    kn_gate gate;
    if (!plan || !clamped) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto close_store;
    }
    if (show) {
        if (kn_store_plan_get(st, show, plan) != KN_OK)
            rc = cli_store_fail(st);
        else if (plan->person_id != p.id)
            rc = cli_error(CLI_FAIL, "plan %lld: is not a plan of %s (person %lld)",
                           (long long)show, p.name, (long long)p.id);
        else if (kn_care_gate(st, p.id, &gate, &err) != KN_OK)
            rc = cli_fail(&err);
        /* A plan made before a stricter screening is shown as the screening allows it now. */
        if (rc == CLI_OK)
            kn_plan_clamp(plan, &gate, clamped, changes, &nchanges);
    } else {
        if (cli_has(&a, "--therapist") &&
            (rc = cli_therapist(st, cli_get(&a, "--therapist"), &therapist, NULL)) != CLI_OK)
            goto close_store;
        kn_instant now;
        if (kn_instant_now(p.zone, &now, &err) != KN_OK) {
            rc = cli_fail(&err);
            goto close_store;
        }
        if ((save ? kn_store_begin(st) : kn_store_begin_read(st)) != KN_OK) {
            rc = cli_store_fail(st);
            goto close_store;
        }
        rc = cli_write_done(
            st, kn_plan_build(st, p.id, therapist, now, days, minutes, save, plan, &gate, &err),
            &err);
    }
    if (rc != CLI_OK)
        goto close_store;
    if (!show)
        *clamped = *plan;
    if (cli_has(&a, "--json")) {
        json_t *v = kn_json_plan(clamped, &gate);
        json_object_set_new(v, "changes", kn_json_plan_changes(plan, changes, nchanges));
        if (kn_json_write(v, stdout, &err) != KN_OK)
            rc = cli_fail(&err);
    } else {
        print_plan(&p, clamped, &gate, plan, changes, nchanges);
        if (!show && save)
            printf("Saved as plan %lld (knead session start --plan %lld).\n", (long long)plan->id,
                   (long long)plan->id);
        else if (!show)
            printf("Preview only: not saved. Add --save to keep it.\n");
    }
close_store:
    free(clamped);
    free(plan);
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

/* ---- brief ---- */

int cmd_brief(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},
                                   {"--days", true, false},
                                   {"--format", true, false},
                                   {"--json", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("brief", "brief", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    kn_err err = {0};
    int days;
    if ((rc = parse_days(&a, &days, &err)) != CLI_OK)
        return rc;
    /* --json, as every read command takes it, is --format json */
    const char *format = cli_has(&a, "--format") ? cli_get(&a, "--format") : "text";
    if (strcmp(format, "text") && strcmp(format, "markdown") && strcmp(format, "json"))
        return cli_error(CLI_USAGE, "--format %s: must be text, markdown or json", format);
    if (cli_has(&a, "--json")) {
        if (cli_has(&a, "--format") && strcmp(format, "json") != 0)
            return cli_error(CLI_USAGE, "--json: give either --json or --format %s, not both",
                             format);
        format = "json";
    }
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person_read(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    kn_brief *b = calloc(1, sizeof *b);
    if (!b) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto close_store;
    }
    if (kn_brief_load(st, p.id, kn_today(p.zone), days, b, &err) != KN_OK) {
        rc = cli_fail(&err);
        goto free_brief;
    }
    if (strcmp(format, "json") == 0) {
        if (kn_json_write(kn_json_brief(b), stdout, &err) != KN_OK)
            rc = cli_fail(&err);
    } else {
        char *page = NULL;
        if (kn_brief_render(b, strcmp(format, "markdown") == 0 ? KN_BRIEF_MARKDOWN : KN_BRIEF_TEXT,
                            &page, &err) != KN_OK)
            rc = cli_fail(&err);
        else
            fputs(page, stdout);
        free(page);
    }
free_brief:
    kn_brief_free(b);
close_store:
    free(b);
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}
