/* knead insights: chronic regions, flares, what goes with more pain, whether massage helps and
 * whether pain and PEG improved, as a short plain-words report or as JSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "knead/insight.h"
#include "knead/interop.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

static const char *date_of(kn_day d, char buf[KN_DATE_LEN])
{
    if (d == KN_DAY_ANY)
        return "-";
    kn_date_format(d, buf);
    return buf;
}

static void print_chronic(const kn_insights *ins)
{
    char a[KN_DATE_LEN], b[KN_DATE_LEN];
    printf("\nLong-lasting pain (ICD-11 chronic: over three months, in at least three months)\n");
    if (!ins->nchronic) {
        printf("  No pain above 0 recorded in this range.\n");
        return;
    }
    size_t chronic = 0;
    for (size_t i = 0; i < ins->nchronic; i++)
        chronic += ins->chronic[i].chronic;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ins->nchronic; i++) {
            const kn_chronic_region *c = &ins->chronic[i];
            if (c->chronic != (pass == 0))
                continue;
            printf("  %-18s %s  %s to %s, %d days with pain in %d month%s, mean %.1f\n", c->region,
                   c->chronic ? "chronic    " : "not chronic", date_of(c->first, a),
                   date_of(c->last, b), c->entry_days, c->months, c->months == 1 ? "" : "s",
                   c->mean_intensity);
        }
    if (!chronic)
        printf("  No region meets the chronic definition yet.\n");
}

static void print_flares(const kn_insights *ins)
{
    char a[KN_DATE_LEN], b[KN_DATE_LEN], c[KN_DATE_LEN];
    printf("\nFlares (worst pain at least 2 above the median of the 28 days before)\n");
    if (ins->days_logged < 8) {
        printf("  Not enough data yet: a baseline needs 7 logged days.\n");
        return;
    }
    if (!ins->nflares) {
        printf("  None.\n");
        return;
    }
    for (size_t i = 0; i < ins->nflares; i++) {
        const kn_flare *f = &ins->flares[i];
        printf("  %s to %s: %d flare day%s, peak %d on %s (usual %.1f)\n", date_of(f->start, a),
               date_of(f->end, b), f->days, f->days == 1 ? "" : "s", f->peak,
               date_of(f->peak_date, c), f->baseline);
    }
}

static void print_factor(const kn_factor_test *t)
{
    const char *when = t->lag == 0 ? "the same day" : "the next day";
    if (t->kind == KN_FACTOR_CONTINUOUS)
        printf("  %-22s %s: rho %+.2f, p %.3g, q %.3g, %d days%s\n", t->factor, when, t->rho, t->p,
               t->q, t->n, t->driver ? "  <- likely driver" : "");
    else
        printf("  %-22s %s: pain %+.1f with it (95%% CI %+.1f to %+.1f), p %.3g, q %.3g, "
               "%d/%d days%s\n",
               t->factor, when, t->diff, t->ci_low, t->ci_high, t->p, t->q, t->n_with, t->n_without,
               t->driver ? "  <- likely driver" : "");
}

static void print_factors(const kn_insights *ins)
{
    printf("\nWhat goes with more pain (associations in your diary, not proof of a cause)\n");
    if (!ins->nfactors) {
        printf("  Not enough data yet: a factor needs 10 days with both it and pain recorded.\n");
        return;
    }
    size_t drivers = 0;
    for (size_t i = 0; i < ins->nfactors; i++)
        if (ins->factors[i].driver) {
            if (!drivers++)
                printf("  Likely drivers (q < 0.05 and a sizeable effect):\n");
            print_factor(&ins->factors[i]);
        }
    if (!drivers)
        printf("  No factor stands out once chance is accounted for.\n");
    if (drivers < ins->nfactors)
        printf("  The other tests (q: adjusted for testing %zu at once):\n", ins->nfactors);
    for (size_t i = 0; i < ins->nfactors; i++)
        if (!ins->factors[i].driver)
            print_factor(&ins->factors[i]);
    if (ins->nskipped)
        printf("  Not tested (too little or no varying data): %zu\n", ins->nskipped);
}

static void print_massage(const kn_insights *ins)
{
    const kn_massage_summary *m = &ins->massage;
    printf("\nMassage (worst pain in the 3 days after a session against the 3 days before)\n");
    if (!m->nsessions) {
        printf("  No sessions in this range.\n");
        return;
    }
    if (!m->n) {
        printf("  %zu session%s, but not enough days logged around them yet.\n", m->nsessions,
               m->nsessions == 1 ? "" : "s");
        return;
    }
    printf("  %d of %zu sessions measurable: pain changed by %+.2f on average", m->n, m->nsessions,
           m->mean_change);
    if (isnan(m->p))
        printf(" (too few to test)\n");
    else
        printf(" (p %.3g%s)\n", m->p, m->p < 0.05 ? ", unlikely to be chance" : "");
}

static void print_outcome(const char *what, const kn_trend *o, const char *missing)
{
    char a[KN_DATE_LEN], b[KN_DATE_LEN];
    if (!o->present) {
        printf("  %s: %s\n", what, missing);
        return;
    }
    static const char *const words[] = {"a substantial improvement", "an important improvement",
                                        "no important change", "worse"};
    printf("  %s: %.1f (%s) -> %.1f (%s), change %+.1f", what, o->baseline,
           date_of(o->baseline_date, a), o->latest, date_of(o->latest_date, b), o->change);
    if (!isnan(o->percent))
        printf(" (%+.0f%%)", o->percent);
    printf(": %s\n", words[o->category]);
}

static void print_text(const kn_person *p, const kn_insights *ins)
{
    char a[KN_DATE_LEN], b[KN_DATE_LEN];
    printf("Insights for %s (person %lld)", p->name, (long long)p->id);
    if (ins->first_day != KN_DAY_ANY)
        printf(", %s to %s", date_of(ins->first_day, a), date_of(ins->last_day, b));
    printf("\n%d day%s with a pain value.\n", ins->days_logged, ins->days_logged == 1 ? "" : "s");
    if (!ins->days_logged && !ins->massage.nsessions) {
        printf("Not enough data yet: nothing is recorded in this range.\n");
        return;
    }
    print_chronic(ins);
    print_flares(ins);
    print_factors(ins);
    print_massage(ins);
    printf("\nOutcomes (IMMPACT: 30%% less is important, 50%% less is substantial)\n");
    print_outcome("PEG", &ins->peg, "not enough data yet: no complete PEG answers");
    print_outcome("Worst pain, first 14 vs last 14 logged days", &ins->pain,
                  "not enough data yet: needs 28 logged days");
    printf("\nknead reports patterns in your own diary for you and your therapist; it does not "
           "diagnose.\n");
}

int cmd_insights(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},
                                   {"--from", true, false},
                                   {"--to", true, false},
                                   {"--json", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("insights", "insights", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    kn_err err = {0};
    kn_day from, to;
    kn_rc krc = cli_date_range(&a, &from, &to, &err);
    if (krc != KN_OK)
        return cli_fail(&err);
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    kn_insights ins;
    if (kn_insights_load(st, p.id, from, to, &ins, &err) != KN_OK) {
        rc = cli_error(CLI_FAIL, "%s", err.msg);
        goto free_insights;
    }
    if (cli_has(&a, "--json")) {
        if (kn_json_write_exact(kn_json_insights(&ins), stdout, &err) != KN_OK)
            rc = cli_error(CLI_FAIL, "%s", err.msg);
    } else {
        print_text(&p, &ins);
    }
free_insights:
    kn_insights_free(&ins);
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}
