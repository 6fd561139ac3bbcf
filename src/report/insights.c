/* The insights of a person as a short plain-words report (knead insights): chronic
 * regions, flares, what goes with more pain, whether massage helps and whether pain and PEG
 * improved, with "not enough data yet" where that is the truth. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knead/report.h"
#include "report/page.h"

/* Far more than the longest report (a line per region, flare and test). */
#define INSIGHTS_REPORT_CAP (4u << 20)

static const char *date_of(kn_day d, char buf[KN_DATE_LEN])
{
    if (d == KN_DAY_ANY)
        return "-";
    kn_date_format(d, buf);
    return buf;
}

static void chronic_section(page *p, const kn_insights *ins)
{
    char a[KN_DATE_LEN], b[KN_DATE_LEN];
    put(p, "\nLong-lasting pain (ICD-11 chronic: over three months, in at least three months)\n");
    if (!ins->nchronic) {
        put(p, "  No pain above 0 recorded in this range.\n");
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
            put(p, "  %-18s %s  %s to %s, %d day%s with pain in %d month%s, mean %.1f\n", c->region,
                c->chronic ? "chronic    " : "not chronic", date_of(c->first, a),
                date_of(c->last, b), c->entry_days, c->entry_days == 1 ? "" : "s", c->months,
                c->months == 1 ? "" : "s", c->mean_intensity);
        }
    if (!chronic)
        put(p, "  No region meets the chronic definition yet.\n");
}

static void flares_section(page *p, const kn_insights *ins)
{
    char a[KN_DATE_LEN], b[KN_DATE_LEN], c[KN_DATE_LEN];
    put(p, "\nFlares (worst pain at least 2 above the median of the 28 days before)\n");
    if (ins->days_logged < KN_INSIGHT_BASELINE_MIN_DAYS + 1) {
        put(p, "  Not enough data yet: a baseline needs %d logged days.\n",
            KN_INSIGHT_BASELINE_MIN_DAYS);
        return;
    }
    if (!ins->nflares) {
        put(p, "  None.\n");
        return;
    }
    for (size_t i = 0; i < ins->nflares; i++) {
        const kn_flare *f = &ins->flares[i];
        put(p, "  %s to %s: %d flare day%s, peak %d on %s (usual %.1f)\n", date_of(f->start, a),
            date_of(f->end, b), f->days, f->days == 1 ? "" : "s", f->peak, date_of(f->peak_date, c),
            f->baseline);
    }
}

static void factor_line(page *p, const kn_factor_test *t)
{
    const char *when = t->lag == 0 ? "the same day" : "the next day";
    if (t->kind == KN_FACTOR_CONTINUOUS)
        put(p, "  %-22s %s: rho %+.2f, p %.3g, q %.3g, %d days%s\n", t->factor, when, t->rho, t->p,
            t->q, t->n, t->driver ? "  <- likely driver" : "");
    else
        put(p,
            "  %-22s %s: pain %+.1f with it (95%% CI %+.1f to %+.1f), p %.3g, q %.3g, "
            "%d/%d days%s\n",
            t->factor, when, t->diff, t->ci_low, t->ci_high, t->p, t->q, t->n_with, t->n_without,
            t->driver ? "  <- likely driver" : "");
}

static void factors_section(page *p, const kn_insights *ins)
{
    put(p, "\nWhat goes with more pain (associations in your diary, not proof of a cause)\n");
    if (!ins->nfactors) {
        put(p, "  Not enough data yet: a factor needs %d days with both it and pain recorded.\n",
            KN_INSIGHT_MIN_PAIRS);
        return;
    }
    size_t drivers = 0;
    for (size_t i = 0; i < ins->nfactors; i++)
        if (ins->factors[i].driver) {
            if (!drivers++)
                put(p, "  Likely drivers (q < 0.05 and a sizeable effect):\n");
            factor_line(p, &ins->factors[i]);
        }
    if (!drivers)
        put(p, "  No factor stands out once chance is accounted for.\n");
    if (drivers < ins->nfactors)
        put(p, "  The other tests (q: adjusted for testing %zu at once):\n", ins->nfactors);
    for (size_t i = 0; i < ins->nfactors; i++)
        if (!ins->factors[i].driver)
            factor_line(p, &ins->factors[i]);
    if (ins->nskipped)
        put(p, "  Not tested (too little or no varying data): %zu\n", ins->nskipped);
}

static void massage_section(page *p, const kn_insights *ins)
{
    const kn_massage_summary *m = &ins->massage;
    put(p, "\nMassage (worst pain in the 3 days after a session against the 3 days before)\n");
    if (!m->nsessions) {
        put(p, "  No sessions in this range.\n");
        return;
    }
    if (!m->n) {
        put(p, "  %zu session%s, but not enough days logged around them yet.\n", m->nsessions,
            m->nsessions == 1 ? "" : "s");
        return;
    }
    put(p, "  %d of %zu sessions measurable: pain changed by %+.2f on average", m->n, m->nsessions,
        m->mean_change);
    if (isnan(m->p))
        put(p, " (too few to test)\n");
    else
        put(p, " (p %.3g%s)\n", m->p, m->p < 0.05 ? ", unlikely to be chance" : "");
}

static void outcome_line(page *p, const char *what, const kn_trend *o, const char *missing)
{
    char a[KN_DATE_LEN], b[KN_DATE_LEN];
    if (!o->present) {
        put(p, "  %s: %s\n", what, missing);
        return;
    }
    static const char *const words[] = {"a substantial improvement", "an important improvement",
                                        "no important change", "worse"};
    put(p, "  %s: %.1f (%s) -> %.1f (%s), change %+.1f", what, o->baseline,
        date_of(o->baseline_date, a), o->latest, date_of(o->latest_date, b), o->change);
    if (!isnan(o->percent))
        put(p, " (%+.0f%%)", o->percent);
    put(p, ": %s\n", words[o->category]);
}

static void write_report(page *p, const kn_person *who, const kn_insights *ins)
{
    char a[KN_DATE_LEN], b[KN_DATE_LEN];
    put(p, "Insights for %s (person %lld)", who->name, (long long)who->id);
    if (ins->first_day != KN_DAY_ANY)
        put(p, ", %s to %s", date_of(ins->first_day, a), date_of(ins->last_day, b));
    put(p, "\n%d day%s with a pain value.\n", ins->days_logged, ins->days_logged == 1 ? "" : "s");
    if (!ins->days_logged && !ins->massage.nsessions) {
        put(p, "Not enough data yet: nothing is recorded in this range.\n");
        return;
    }
    chronic_section(p, ins);
    flares_section(p, ins);
    factors_section(p, ins);
    massage_section(p, ins);
    put(p, "\nOutcomes (IMMPACT: 30%% less is important, 50%% less is substantial)\n");
    outcome_line(p, "PEG", &ins->peg, "not enough data yet: no complete PEG answers");
    char what[64], missing[64];
    snprintf(what, sizeof what, "Worst pain, first %d vs last %d logged days",
             KN_INSIGHT_OUTCOME_WINDOW, KN_INSIGHT_OUTCOME_WINDOW);
    snprintf(missing, sizeof missing, "not enough data yet: needs %d logged days",
             2 * KN_INSIGHT_OUTCOME_WINDOW);
    outcome_line(p, what, &ins->pain, missing);
    put(p, "\nknead reports patterns in your own diary for you and your therapist; it does not "
           "diagnose.\n");
}

kn_rc kn_insights_render(const kn_person *who, const kn_insights *ins, char **out, kn_err *err)
{
    page p = {.md = false, .rc = KN_OK};
    kn_buf_init(&p.b, INSIGHTS_REPORT_CAP);
    write_report(&p, who, ins);
    *out = p.rc == KN_OK ? kn_buf_dup(&p.b) : NULL;
    kn_buf_free(&p.b);
    return *out ? KN_OK : kn_err_set(err, KN_ENOMEM, "insights report: out of memory");
}
