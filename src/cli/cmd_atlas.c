/* knead triggers, condition and screen: the muscles worth checking for a pain map, the
 * condition guides, and the red-flag screening before massage. For a person, a serious
 * screening verdict is printed before anything else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "knead/care.h"
#include "knead/interop.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))
#define DEFAULT_DAYS 30
#define DEFAULT_TOP 5
#define ANSWERS_MAX (1 << 20) /* an answers file is a few kilobytes */

static const char *side_word(char side)
{
    return side == 'l' ? "left" : side == 'r' ? "right" : "both sides";
}

/* Region names, "; "-separated: a label may hold a comma ("Temple, side of head"). */
static void print_set(const kn_regionset *s)
{
    char names[4096];
    printf("%s", kn_name_regions(s, names, sizeof names));
}

static void print_map(const kn_painmap *m)
{
    for (size_t k = 0; k < m->n; k++) {
        char name[KN_LABEL_MAX];
        printf("%s%s", k ? "; " : "", kn_name_sided(m->region[k], name, sizeof name));
        if (m->days[k])
            printf(" (%.1f, %d day%s)", m->intensity[k], m->days[k], m->days[k] == 1 ? "" : "s");
        else if (m->intensity[k] >= 0)
            printf(" (%.1f)", m->intensity[k]);
    }
}

/* Adds the positional regions ("temple_r", "jaw_r:6", or comma-separated) to map. */
static kn_rc map_from_args(const cli_args *a, kn_painmap *map, kn_err *err)
{
    kn_rc rc = KN_OK;
    for (size_t i = 0; i < a->npos && rc == KN_OK; i++) {
        char *list = strdup(a->pos[i]);
        if (!list)
            return kn_err_set(err, KN_ENOMEM, "out of memory");
        char *save = NULL;
        for (char *r = strtok_r(list, ",", &save); r && rc == KN_OK; r = strtok_r(NULL, ",", &save))
            rc = kn_painmap_parse(map, r, "region", err);
        free(list);
    }
    return rc;
}

/* The person's pain map over the last --days days (default 30), and their gate. */
static int person_map(kn_store *st, const cli_args *a, kn_person *p, int *days, kn_painmap *map,
                      size_t *entries, kn_gate *gate)
{
    kn_err err = {0};
    *days = DEFAULT_DAYS;
    if (cli_has(a, "--days") &&
        kn_parse_int(cli_get(a, "--days"), 1, 3650, "--days", days, &err) != KN_OK)
        return cli_fail(&err);
    int rc = cli_person(st, a, p);
    if (rc != CLI_OK)
        return rc;
    if (kn_care_gate(st, p->id, gate, &err) != KN_OK ||
        kn_care_painmap(st, p->id, kn_today(p->zone), *days, map, entries, &err) != KN_OK)
        return cli_fail_as(CLI_FAIL, &err);
    return CLI_OK;
}

/* The gate first: for a blocking verdict, on its own lines before everything else. */
static void print_gate(const kn_gate *g, const kn_person *p)
{
    if (g->blocking)
        printf("!! %s\n\n", g->message);
    else if (!g->screened)
        printf("%s (knead screen --person %lld)\n\n", g->message, (long long)p->id);
    else
        printf("%s\n\n", g->message);
}

static void print_ranking(const kn_painmap *map, const kn_ranking *r)
{
    printf("Muscles worth checking for ");
    print_map(map);
    printf(":\n");
    for (size_t k = 0; k < r->ntop; k++) {
        const kn_candidate *c = &r->top[k];
        char head[160];
        snprintf(head, sizeof head, "%s, %s", c->muscle->name, side_word(c->side));
        printf("%3zu. %-58s %.2f\n     ", k + 1, head, c->score);
        const char *sep = "";
        if (!kn_regionset_empty(&c->primary)) {
            printf("primary zone: ");
            print_set(&c->primary);
            sep = " · ";
        }
        if (!kn_regionset_empty(&c->secondary)) {
            printf("%ssecondary zone: ", sep);
            print_set(&c->secondary);
            sep = " · ";
        }
        if (!kn_regionset_empty(&c->local)) {
            printf("%sat its trigger points: ", sep);
            print_set(&c->local);
        }
        printf("\n");
    }
    printf("Together these explain the whole map: ");
    for (size_t k = 0; k < r->ncover; k++)
        printf("%s%s (%s)", k ? ", " : "", r->cover[k].muscle->name, side_word(r->cover[k].side));
    printf("\n");
    if (!kn_regionset_empty(&r->unexplained)) {
        printf("Not explained by the muscles listed: ");
        print_set(&r->unexplained);
        printf(" (see the line above, or --top)\n");
    }
    printf("%s\n", KN_NOT_A_DIAGNOSIS);
}

int cmd_triggers(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--top", true, false},
                                   {"--json", false, false},
                                   {"--person", true, false},
                                   {"--days", true, false}};
    cli_args a;
    int rc = cli_parse("triggers", opts, NOPTS(opts), argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help("triggers") : rc;
    kn_err err = {0};
    int top = DEFAULT_TOP;
    if (cli_has(&a, "--top") &&
        kn_parse_int(cli_get(&a, "--top"), 1, KN_RANK_TOP_MAX, "--top", &top, &err) != KN_OK)
        return cli_fail(&err);
    if (a.npos && cli_has(&a, "--days"))
        return cli_error(CLI_USAGE, "triggers: --days reads the diary; give it without regions");
    kn_painmap map;
    kn_painmap_init(&map);
    if (map_from_args(&a, &map, &err) != KN_OK)
        return cli_fail(&err);
    /* Regions alone need no database; with --person (or no regions) the person's latest
     * screening goes first, and without regions their diary gives the map. */
    bool for_person = cli_has(&a, "--person") || !a.npos;
    kn_store *st = NULL;
    kn_person p;
    kn_person_init(&p);
    kn_gate gate;
    int days = 0;
    size_t entries = 0;
    if (for_person) {
        rc = cli_open_read(ctx, &st);
        if (rc != CLI_OK)
            return rc;
        if (a.npos) {
            rc = cli_person(st, &a, &p);
            if (rc == CLI_OK && kn_care_gate(st, p.id, &gate, &err) != KN_OK)
                rc = cli_fail_as(CLI_FAIL, &err);
        } else {
            rc = person_map(st, &a, &p, &days, &map, &entries, &gate);
        }
        if (rc != CLI_OK)
            goto close_store;
    }
    kn_ranking r;
    if (kn_rank(&map, (size_t)top, &r, &err) != KN_OK) {
        rc = cli_fail(&err);
        goto close_store;
    }
    if (cli_has(&a, "--json")) {
        if (kn_json_write(kn_json_ranking(&map, &r, for_person ? &gate : NULL), stdout, &err) !=
            KN_OK)
            rc = cli_fail(&err);
        goto close_store;
    }
    if (for_person)
        print_gate(&gate, &p);
    if (for_person && !a.npos) {
        printf("Pain map of %s (person %lld), last %d day%s: %zu pain entr%s.\n", p.name,
               (long long)p.id, days, days == 1 ? "" : "s", entries, entries == 1 ? "y" : "ies");
        if (!map.n) {
            printf("No pain logged in that time: nothing to rank.\n");
            goto close_store;
        }
        printf("(the mean of each day's worst, on the days with pain; a region weighs by both)\n");
    }
    print_ranking(&map, &r);
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

/* ---- knead condition ---- */

/* The " | "-separated items, one a line, each source key in them as its mark. */
static void print_items(const char *items, const char *indent, kn_citations *cited)
{
    const char *p = items;
    while (p && *p) {
        const char *end = strstr(p, " | ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char item[2048], text[2048];
        snprintf(item, sizeof item, "%.*s", (int)len, p);
        printf("%s- %s\n", indent, kn_cite_text(cited, item, text, sizeof text));
        p = end ? end + 3 : NULL;
    }
}

static void print_regions(const kn_region *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        printf("%s%s", k ? "; " : "", list[k]->label);
}

static void print_guide(const kn_condition *c)
{
    kn_citations cited = {0};
    char marks[512];
    printf("%s\n%s (%s)\n\nTypical picture:\n", c->name, c->summary,
           kn_cite(&cited, c->source, marks, sizeof marks));
    print_items(c->presentation, "  ", &cited);
    printf("Typical pain map: ");
    print_regions(c->core, c->ncore);
    if (c->nother) {
        printf("; it may spread to ");
        print_regions(c->other, c->nother);
    }
    /* Red flags before any muscle list (conditions.md: screen red flags first). */
    printf("\n\nRed flags: ask these before massage (knead screen --person ID):\n");
    for (size_t q = 0; q < kn_question_count(); q++) {
        const kn_question *qu = kn_question_at(q);
        if (kn_question_in(qu, c->id))
            printf("  %-9s %s (%s)\n", kn_outcome_name(qu->outcome), qu->text,
                   kn_cite(&cited, qu->source, marks, sizeof marks));
    }
    /* the sources of the muscle list, as one mark for both of its lines */
    char cells[4096] = "";
    for (size_t k = 0; k < c->nmuscles; k++)
        if (strlen(cells) + strlen(c->muscles[k].source) + 3 < sizeof cells) {
            strcat(cells, "; ");
            strcat(cells, c->muscles[k].source);
        }
    printf("\nMuscles worth checking first (%s): ", kn_cite(&cited, cells, marks, sizeof marks));
    const char *sep = "";
    for (size_t k = 0; k < c->nmuscles; k++) {
        if (!c->muscles[k].first)
            continue;
        printf("%s%s", sep, c->muscles[k].muscle->name);
        if (*c->muscles[k].note) {
            char note[1024];
            printf(" (%s)", kn_cite_text(&cited, c->muscles[k].note, note, sizeof note));
        }
        sep = ", ";
    }
    printf("\n");
    sep = "Then: ";
    for (size_t k = 0; k < c->nmuscles; k++) {
        if (c->muscles[k].first)
            continue;
        printf("%s%s", sep, c->muscles[k].muscle->name);
        if (*c->muscles[k].note) {
            char note[1024];
            printf(" (%s)", kn_cite_text(&cited, c->muscles[k].note, note, sizeof note));
        }
        sep = ", ";
    }
    if (strcmp(sep, "Then: ") != 0)
        printf("\n");
    printf("\nSelf-care:\n");
    print_items(c->self_care, "  ", &cited);
    kn_cite(&cited, c->self_care_source, marks, sizeof marks);
    printf("\nCodes: ");
    bool any = false;
    for (size_t k = 0; k < c->ncodes; k++) {
        const kn_code *cd = &c->codes[k];
        if (!cd->confirmed)
            continue;
        const char *system = strcmp(cd->system, "snomed") == 0  ? "SNOMED CT"
                             : strcmp(cd->system, "icd11") == 0 ? "ICD-11"
                                                                : "ICD-10-CM";
        kn_cite(&cited, cd->source, marks, sizeof marks);
        printf("%s%s %s %s", any ? "; " : "", system, cd->code, cd->meaning);
        if (*cd->note)
            printf(" (%s)", cd->note);
        any = true;
    }
    printf("%s\n", any ? "" : "none confirmed yet");
    cli_print_sources(&cited);
    printf("%s\n", KN_NOT_A_DIAGNOSIS);
}

static void print_matches(const kn_painmap *map, const kn_condition_match *m, size_t n)
{
    printf("Pain map: ");
    print_map(map);
    printf("\n");
    bool any = false;
    for (size_t k = 0; k < n; k++) {
        if (!m[k].resembles)
            continue;
        if (!any)
            printf("It resembles:\n");
        any = true;
        char reason[4096];
        kn_condition_match_reason(map, &m[k], reason, sizeof reason);
        printf("  %s, %.2f\n    %s\n    Ask first:", m[k].condition->name, m[k].score, reason);
        const char *sep = " ";
        for (size_t q = 0; q < kn_question_count(); q++)
            if (kn_question_in(kn_question_at(q), m[k].condition->id)) {
                printf("%s%s", sep, kn_question_at(q)->topic);
                sep = "; ";
            }
        printf("\n");
        if (m[k].course_misfit) {
            kn_condition_course_reason(&m[k], reason, sizeof reason);
            printf("    %s\n", reason);
        }
    }
    for (size_t k = 0; k < n; k++)
        if (m[k].course_misfit && !m[k].resembles && !kn_regionset_empty(&m[k].typical)) {
            char why[300];
            kn_condition_course_reason(&m[k], why, sizeof why);
            printf("Not named: %s\n", why);
        }
    if (!any)
        printf("It resembles none of the %zu condition guides.\n", n);
    else
        printf("The questions: knead screen --questions; the guides: knead condition ID.\n");
    printf("%s\n", KN_NOT_A_DIAGNOSIS);
}

static int condition_list(bool json)
{
    kn_err err = {0};
    if (json)
        return kn_json_write(kn_json_conditions(), stdout, &err) == KN_OK ? CLI_OK : cli_fail(&err);
    for (size_t i = 0; i < kn_condition_count(); i++) {
        const kn_condition *c = kn_condition_at(i);
        printf("%-18s %s\n", c->id, c->name);
    }
    printf("\nknead condition ID shows a guide; knead condition --match REGION... says which\n"
           "guides a pain map resembles.\n%s\n",
           KN_NOT_A_DIAGNOSIS);
    return CLI_OK;
}

/* How long each region has hurt: the --duration given for all, else what the person's diary
 * and intake say, else unknown. */
static kn_rc pain_durations(kn_store *st, const kn_person *p, const char *given,
                            int duration[KN_SIDED_MAX], kn_err *err)
{
    kn_day today = kn_today(p ? p->zone : "UTC");
    if (!given) {
        for (int k = 0; k < KN_SIDED_MAX; k++)
            duration[k] = -1;
        return p ? kn_care_pain_durations(st, p->id, today, duration, err) : KN_OK;
    }
    kn_onset since;
    kn_rc rc = kn_parse_onset(given, today, "duration", &since, err);
    for (int k = 0; rc == KN_OK && k < KN_SIDED_MAX; k++)
        duration[k] = today - since.day;
    return rc;
}

int cmd_condition(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--json", false, false},
                                   {"--match", false, false},
                                   {"--person", true, false},
                                   {"--days", true, false},
                                   {"--duration", true, false}};
    cli_args a;
    int rc = cli_parse("condition", opts, NOPTS(opts), argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help("condition") : rc;
    bool json = cli_has(&a, "--json"), match = cli_has(&a, "--match");
    bool for_person = cli_has(&a, "--person");
    if (!match && !for_person && !a.npos)
        return condition_list(json);
    const kn_condition *c = NULL;
    if (!match) {
        if (a.npos > 1)
            return cli_error(CLI_USAGE, "condition: one guide at a time (or --match REGION...)");
        if (a.npos) {
            c = kn_condition_find(a.pos[0]);
            if (!c)
                return cli_error(CLI_USAGE, "condition %s: no such guide (see knead condition)",
                                 a.pos[0]);
        }
    } else if (!a.npos && !for_person) {
        return cli_error(CLI_USAGE, "condition --match: give regions, or --person ID");
    }
    if (cli_has(&a, "--duration") && !match)
        return cli_error(CLI_USAGE, "condition: --duration goes with --match");
    if (cli_has(&a, "--days") && (c || a.npos))
        return cli_error(CLI_USAGE, "condition: --days reads the diary; give it with --person "
                                    "alone");
    kn_err err = {0};
    kn_painmap map;
    kn_painmap_init(&map);
    if (match && map_from_args(&a, &map, &err) != KN_OK)
        return cli_fail(&err);
    kn_store *st = NULL;
    kn_person p;
    kn_person_init(&p);
    kn_gate gate;
    int days = 0;
    size_t entries = 0;
    if (for_person) {
        rc = cli_open_read(ctx, &st);
        if (rc != CLI_OK)
            return rc;
        if (c || a.npos) {
            rc = cli_person(st, &a, &p);
            if (rc == CLI_OK && kn_care_gate(st, p.id, &gate, &err) != KN_OK)
                rc = cli_fail_as(CLI_FAIL, &err);
        } else {
            rc = person_map(st, &a, &p, &days, &map, &entries, &gate);
        }
        if (rc != CLI_OK)
            goto close_store;
    }
    const kn_gate *g = for_person ? &gate : NULL;
    if (c) {
        if (json) {
            if (kn_json_write(kn_json_condition(c, g), stdout, &err) != KN_OK)
                rc = cli_fail(&err);
        } else {
            if (g)
                print_gate(g, &p);
            print_guide(c);
        }
        goto close_store;
    }
    kn_condition_match m[16];
    size_t n = 0;
    int duration[KN_SIDED_MAX];
    if (kn_condition_match_map(&map, m, 16, &n, &err) != KN_OK ||
        pain_durations(st, for_person ? &p : NULL, cli_get(&a, "--duration"), duration, &err) !=
            KN_OK) {
        rc = cli_fail(&err);
        goto close_store;
    }
    kn_condition_match_course(m, n, duration);
    if (json) {
        if (kn_json_write(kn_json_condition_matches(&map, m, n, g), stdout, &err) != KN_OK)
            rc = cli_fail(&err);
        goto close_store;
    }
    if (g)
        print_gate(g, &p);
    if (for_person && !a.npos) {
        printf("Pain map of %s (person %lld), last %d day%s: %zu pain entr%s.\n", p.name,
               (long long)p.id, days, days == 1 ? "" : "s", entries, entries == 1 ? "y" : "ies");
        if (!map.n) {
            printf("No pain logged in that time: nothing to compare.\n");
            goto close_store;
        }
    }
    print_matches(&map, m, n);
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

/* ---- knead screen ---- */

static int list_questions(bool json)
{
    kn_err err = {0};
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < kn_question_count(); i++)
            json_array_append_new(arr, kn_json_question(kn_question_at(i)));
        return kn_json_write(arr, stdout, &err) == KN_OK ? CLI_OK : cli_fail(&err);
    }
    for (size_t i = 0; i < kn_question_count(); i++) {
        const kn_question *q = kn_question_at(i);
        printf("%-20s %-9s %s\n", q->id, kn_outcome_name(q->outcome), q->text);
    }
    printf("\nOutcomes: emergency = seek care now; refer = see a physician before massage;\n"
           "avoid = no work on the regions concerned; caution = a pressure cap or other "
           "limits.\n");
    return CLI_OK;
}

/* "QUESTION" or "QUESTION=REGION,REGION" from --yes/--no. */
static kn_rc answer_flag(kn_screening *s, const char *flag, kn_answer answer, kn_err *err)
{
    char *copy = strdup(flag);
    if (!copy)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    char *eq = strchr(copy, '=');
    if (eq)
        *eq = '\0';
    const char *where[KN_SIDED_MAX];
    size_t nwhere = 0;
    kn_rc rc = KN_OK;
    char *save = NULL;
    for (char *r = eq ? strtok_r(eq + 1, ",", &save) : NULL; r && rc == KN_OK;
         r = strtok_r(NULL, ",", &save)) {
        if (nwhere == KN_SIDED_MAX)
            rc = kn_err_set(err, KN_EINVAL, "%s: too many regions", copy);
        else
            where[nwhere++] = r;
    }
    if (rc == KN_OK)
        rc = kn_screening_answer(s, copy, answer, where, nwhere, err);
    free(copy);
    return rc;
}

/* Reads one line of stdin without its newline; false at end of input. */
bool cli_read_line(char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, stdin))
        return false;
    if (!strchr(buf, '\n')) { /* an overlong line: the rest is not the next answer */
        int c;
        while ((c = getchar()) != EOF && c != '\n')
            ;
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    return true;
}

/* Asks every question on the terminal (prompts on stderr, so --json output stays clean):
 * y or n, Enter to skip, q to stop asking. A yes to a question that asks where is followed
 * by "where?". */
kn_rc cli_ask_screening(kn_screening *s, kn_err *err)
{
    size_t n = kn_question_count();
    fprintf(stderr, "%zu questions. Answer y or n; Enter skips a question, q stops.\n", n);
    for (size_t i = 0; i < n; i++) {
        const kn_question *q = kn_question_at(i);
        if (kn_screening_find(s, q->id))
            continue; /* answered already (an intake's answers) */
        kn_answer answer = KN_ANSWER_SKIPPED;
        char line[256];
        bool answered = false;
        for (int tries = 0; tries < 3 && !answered; tries++) {
            fprintf(stderr, "[%zu/%zu] %s (y/n) ", i + 1, n, q->text);
            if (!cli_read_line(line, sizeof line)) {
                fprintf(stderr, "\n");
                return KN_OK; /* end of input: the rest stay unanswered */
            }
            if (strcmp(line, "q") == 0)
                return KN_OK;
            answered = true;
            if (strcmp(line, "y") == 0 || strcmp(line, "yes") == 0 || strcmp(line, "Y") == 0)
                answer = KN_ANSWER_YES;
            else if (strcmp(line, "n") == 0 || strcmp(line, "no") == 0 || strcmp(line, "N") == 0)
                answer = KN_ANSWER_NO;
            else if (*line)
                answered = false;
        }
        const char *where[KN_SIDED_MAX];
        size_t nwhere = 0;
        char list[1024] = "";
        if (answer == KN_ANSWER_YES && q->asks_where) {
            for (int tries = 0; tries < 3; tries++) {
                fprintf(stderr, "  Where? Region ids, comma-separated (knead regions); Enter "
                                "if you would rather not say: ");
                if (!cli_read_line(list, sizeof list))
                    break;
                nwhere = 0;
                bool ok = true;
                char *save = NULL;
                for (char *r = strtok_r(list, ", ", &save); r && nwhere < KN_SIDED_MAX;
                     r = strtok_r(NULL, ", ", &save)) {
                    if (kn_sided_find(r) < 0) {
                        fprintf(stderr, "  %s: not a region id\n", r);
                        ok = false;
                    }
                    where[nwhere++] = r;
                }
                if (ok)
                    break;
                nwhere = 0;
            }
        }
        kn_rc rc = kn_screening_answer(s, q->id, answer, where, nwhere, err);
        if (rc != KN_OK)
            return rc;
        if (answer == KN_ANSWER_YES && q->outcome == KN_OUTCOME_EMERGENCY)
            fprintf(stderr, "  !! %s\n", q->advice);
    }
    return KN_OK;
}

/* The screening as it stands with the clearances cl (n of them; none for an old one of the
 * history): with no clearance the stored verdict and cap stand, as in the gate. */
static void print_screening(const kn_screening *s, const kn_person *p, const kn_clearance *cl,
                            size_t n, kn_citations *cited)
{
    kn_screen_result r;
    kn_err err = {0};
    if (kn_screen_evaluate_cleared(s, cl, n, &r, &err) != KN_OK) {
        printf("(cannot show the reasons: %s)\n", err.msg);
        return;
    }
    kn_verdict v = n ? r.verdict : s->verdict;
    int cap = n ? (r.max_pressure ? r.max_pressure : KN_NONE) : s->max_pressure;
    char date[KN_DATE_LEN];
    kn_date_format(kn_instant_day(s->at), date);
    char verdict[16];
    snprintf(verdict, sizeof verdict, "%s", kn_verdict_name(v));
    for (char *c = verdict; *c; c++)
        *c = (char)(*c - 'a' + 'A');
    printf("Screening of %s (person %lld), %s: %s\n%s\n", p->name, (long long)p->id, date, verdict,
           kn_verdict_advice(v));
    for (size_t k = 0; k < r.nreasons; k++) {
        const kn_question *q = r.reasons[k];
        char given[KN_DATE_LEN];
        kn_date_format(kn_instant_day(r.given[k]), given);
        char marks[512];
        printf("  %-9s %s\n            %s (%s)\n            answered %s on %s\n",
               kn_outcome_name(q->outcome), q->text, q->advice,
               kn_cite(cited, q->source, marks, sizeof marks),
               kn_answer_name(kn_screening_find(s, q->id)->answer), given);
    }
    for (size_t k = 0; k < r.ncleared; k++) {
        const kn_clearance *c = r.clearance[k];
        char at[KN_DATE_LEN];
        kn_date_format(kn_instant_day(c->at), at);
        printf("  cleared   %s\n            cleared by %s on %s", r.cleared[k]->text, c->cleared_by,
               at);
        if (c->max_pressure != KN_NONE)
            printf("; pressure at most %d of 10", c->max_pressure);
        printf("%s%s\n", c->note ? "; note: " : "", c->note ? c->note : "");
    }
    if (!kn_regionset_empty(&r.avoid)) {
        printf("Avoid: ");
        print_set(&r.avoid);
        printf("\n");
    }
    for (size_t k = 0; k < r.nunplaced; k++)
        printf("Avoid also the area of \"%s\" (not located: ask where).\n", r.unplaced[k]->text);
    if (cap != KN_NONE)
        printf("Pressure: at most %d of 10 on the spoken scale.\n", cap);
    if (r.nunanswered)
        printf("%zu of %zu questions unanswered: the verdict covers only the answers given.\n",
               r.nunanswered, kn_question_count());
}

/* The medicines of the person's intake that the table does not know: to be asked about.
 * Printed, or set on v (when given) as "medications_not_recognised". */
static int unknown_medications(kn_store *st, int64_t person, json_t *v)
{
    kn_intake_answers in;
    kn_intake_answers_init(&in);
    int version;
    bool found = false;
    kn_err err = {0};
    int rc = CLI_OK;
    if (kn_intake_latest(st, person, &in, &version, &found, &err) != KN_OK) {
        rc = cli_fail(&err);
    } else if (v) {
        json_object_set_new(v, "medications_not_recognised",
                            kn_json_unknown_medications(in.medications, in.nmedications));
    } else {
        char line[600];
        for (size_t i = 0; i < in.nmedications; i++)
            if (!kn_medication_match(in.medications[i])) {
                kn_medication_unknown_text(in.medications[i], line, sizeof line);
                printf("Medicine %s\n", line);
            }
    }
    kn_intake_answers_clear(&in);
    return rc;
}

static int screen_show(kn_store *st, const kn_person *p, bool history, bool json)
{
    kn_screening_list l;
    if (kn_store_screening_list(st, p->id, &l) != KN_OK)
        return cli_store_fail(st);
    kn_clearance_list cl = {0};
    if (kn_store_clearance_list(st, p->id, &cl) != KN_OK) {
        kn_screening_list_free(&l);
        return cli_store_fail(st);
    }
    int rc = CLI_OK;
    kn_err err = {0};
    size_t n = history ? l.n : (l.n ? 1 : 0);
    if (json) {
        json_t *v;
        if (history) {
            v = json_array();
            for (size_t i = 0; i < n; i++)
                json_array_append_new(v,
                                      i ? kn_json_screening(&l.items[i])
                                        : kn_json_screening_cleared(&l.items[i], cl.items, cl.n));
        } else {
            v = n ? kn_json_screening_cleared(&l.items[0], cl.items, cl.n) : NULL;
            if (v)
                rc = unknown_medications(st, p->id, v);
        }
        if (!history && !n)
            printf("null\n"); /* no screening yet */
        else if (kn_json_write(v, stdout, &err) != KN_OK)
            rc = cli_fail(&err);
    } else if (!n) {
        printf("No screening on record for %s yet (knead screen --person %lld).\n", p->name,
               (long long)p->id);
    } else {
        kn_citations cited = {0};
        for (size_t i = 0; i < n; i++) {
            if (i)
                printf("\n");
            /* Clearances concern the screening as it stands: the latest. */
            print_screening(&l.items[i], p, i ? NULL : cl.items, i ? 0 : cl.n, &cited);
            if (!i)
                rc = unknown_medications(st, p->id, NULL);
        }
        cli_print_sources(&cited);
    }
    kn_clearance_list_free(&cl);
    kn_screening_list_free(&l);
    return rc;
}

int cmd_screen(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--questions", false, false}, {"--json", false, false},
                                   {"--person", true, false},     {"--answers", true, false},
                                   {"--yes", true, true},         {"--no", true, true},
                                   {"--update", false, false},    {"--show", false, false},
                                   {"--history", false, false},   {"--at", true, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("screen", "screen", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    bool json = cli_has(&a, "--json");
    if (cli_has(&a, "--questions"))
        return list_questions(json);
    bool show = cli_has(&a, "--show") || cli_has(&a, "--history");
    bool given = cli_has(&a, "--answers") || cli_count(&a, "--yes") || cli_count(&a, "--no");
    if (show && (given || cli_has(&a, "--update")))
        return cli_error(CLI_USAGE, "screen: --show and --history only read; answer without "
                                    "them");
    kn_store *st;
    kn_person p;
    if ((rc = (show ? cli_open_person_read : cli_open_person)(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    kn_screening s;
    kn_screening_init(&s);
    if (show) {
        rc = screen_show(st, &p, cli_has(&a, "--history"), json);
        goto close_store;
    }
    kn_err err = {0};
    kn_rc krc = KN_OK;
    s.person_id = p.id;
    if (cli_has(&a, "--at"))
        krc = kn_instant_parse(cli_get(&a, "--at"), p.zone, "--at", &s.at, &err);
    else
        krc = kn_instant_now(p.zone, &s.at, &err);
    /* Every screening starts from the answers of the latest (kn_screen_carry_latest, below);
     * --update only insists that there is one. */
    if (krc == KN_OK && cli_has(&a, "--update")) {
        kn_screening latest;
        kn_screening_init(&latest);
        bool found = false;
        kn_rc lrc = kn_store_screening_latest(st, p.id, &latest, &found);
        kn_screening_clear(&latest);
        if (lrc != KN_OK) {
            rc = cli_store_fail(st);
            goto close_store;
        }
        if (!found)
            krc = kn_err_set(&err, KN_EINVAL,
                             "--update: %s has no screening to update yet; answer without it",
                             p.name);
    }
    if (krc == KN_OK && cli_has(&a, "--answers")) {
        const char *path = cli_get(&a, "--answers");
        FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
        if (!f) {
            rc = cli_error(CLI_FAIL, "%s: cannot read", path);
            goto close_store;
        }
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        char chunk[4096];
        size_t got;
        size_t total = 0;
        while (mem && total <= ANSWERS_MAX && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
            fwrite(chunk, 1, got, mem);
            total += got;
        }
        if (f != stdin)
            fclose(f);
        if (!mem || fclose(mem) != 0) {
            free(text);
            rc = cli_error(CLI_FAIL, "out of memory");
            goto close_store;
        }
        krc = total > ANSWERS_MAX
                  ? kn_err_set(&err, KN_EINVAL, "larger than %d bytes: not an answers file",
                               ANSWERS_MAX)
                  : kn_screening_answers_from_json(text, &s, &err);
        free(text);
        if (krc != KN_OK)
            kn_err_prefix(&err, "%s", path);
    }
    for (size_t i = 0; krc == KN_OK && i < cli_count(&a, "--yes"); i++)
        krc = answer_flag(&s, cli_nth(&a, "--yes", i), KN_ANSWER_YES, &err);
    for (size_t i = 0; krc == KN_OK && i < cli_count(&a, "--no"); i++)
        krc = answer_flag(&s, cli_nth(&a, "--no", i), KN_ANSWER_NO, &err);
    if (krc == KN_OK && !given && !cli_has(&a, "--update"))
        krc = cli_ask_screening(&s, &err);
    if (krc != KN_OK) {
        rc = cli_fail(&err);
        goto close_store;
    }
    /* Silence is not an answer: a screening that answers nothing would otherwise be stored
     * as clear and lift every earlier red flag. */
    if (!kn_screening_answered(&s)) {
        rc = cli_error(CLI_FAIL, "screen: no question answered: nothing stored (answer yes or "
                                 "no to at least one question; the latest screening still "
                                 "stands)");
        goto close_store;
    }
    kn_screen_result r;
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    krc = kn_screen_carry_latest(st, p.id, &s, &err);
    /* --yes/--no alone stand for a full questionnaire: what they and the earlier answers
     * leave open was answered no (never an earlier yes: that is carried over above). */
    bool flags_only = !cli_has(&a, "--answers") && !cli_has(&a, "--update") &&
                      (cli_count(&a, "--yes") || cli_count(&a, "--no"));
    for (size_t i = 0; krc == KN_OK && flags_only && i < kn_question_count(); i++) {
        const kn_screen_answer *known = kn_screening_find(&s, kn_question_at(i)->id);
        if (!known || known->answer == KN_ANSWER_SKIPPED)
            krc = kn_screening_answer(&s, kn_question_at(i)->id, KN_ANSWER_NO, NULL, 0, &err);
    }
    if (krc != KN_OK || kn_screen_record(st, &s, &r, &err) != KN_OK ||
        kn_store_commit(st) != KN_OK) {
        kn_store_rollback(st);
        rc = err.msg[0] ? cli_fail_as(CLI_FAIL, &err) : cli_store_fail(st);
        goto close_store;
    }
    kn_clearance_list cl = {0};
    if (kn_store_clearance_list(st, p.id, &cl) != KN_OK) {
        rc = cli_store_fail(st);
    } else if (json) {
        json_t *v = kn_json_screening_cleared(&s, cl.items, cl.n);
        rc = v ? unknown_medications(st, p.id, v) : CLI_OK;
        if (rc == CLI_OK && kn_json_write(v, stdout, &err) != KN_OK)
            rc = cli_fail(&err);
        else if (rc != CLI_OK)
            json_decref(v);
    } else {
        kn_citations cited = {0};
        print_screening(&s, &p, cl.items, cl.n, &cited);
        rc = unknown_medications(st, p.id, NULL);
        cli_print_sources(&cited);
    }
    kn_clearance_list_free(&cl);
close_store:
    kn_screening_clear(&s);
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}
