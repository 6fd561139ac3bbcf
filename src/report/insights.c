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

/* What the diary or the intake says of one region's pain lasting over three months. */
static void chronic_line(page *p, const kn_chronic_region *c)
{
    char a[KN_DATE_LEN], b[KN_DATE_LEN], o[KN_DATE_LEN];
    char verdict[64];
    kn_name_term(kn_chronic_status_name(c->status), verdict, sizeof verdict);
    char name[KN_LABEL_MAX];
    put(p, "  %-36s %s", kn_name_region(c->region, name, sizeof name), verdict);
    if (c->onset != KN_DAY_ANY)
        put(p, ", as the intake says: pain since %s%s", c->onset_exact ? "" : "about ",
            date_of(c->onset, o));
    else if (c->status == KN_CHRONIC_TOO_LITTLE_HISTORY)
        put(p, ": the diary covers 90 days or less, and the intake does not say since when");
    if (c->entry_days)
        put(p, "\n  %-36s diary: %s to %s, %d day%s with pain in %d month%s, mean %.1f\n", "",
            date_of(c->first, a), date_of(c->last, b), c->entry_days, c->entry_days == 1 ? "" : "s",
            c->months, c->months == 1 ? "" : "s", c->mean_intensity);
    else
        put(p, "\n  %-36s diary: no pain logged there in this range\n", "");
}

static void chronic_section(page *p, const kn_insights *ins)
{
    put(p, "\nLong-lasting pain (ICD-11 chronic: over three months)\n");
    if (!ins->nchronic) {
        put(p, "  No pain above 0 recorded in this range.\n");
        return;
    }
    size_t chronic = 0;
    for (size_t i = 0; i < ins->nchronic; i++)
        chronic += ins->chronic[i].chronic;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ins->nchronic; i++)
            if (ins->chronic[i].chronic == (pass == 0))
                chronic_line(p, &ins->chronic[i]);
    if (!chronic)
        put(p, "  No region shows pain over three months yet: a diary shorter than three months "
               "cannot show it, and the intake can say since when a pain has lasted.\n");
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

/* A factor's name in words ("stress", "sleep hours", "a disrupted routine", "\"long drive\"
 * (your tag)", "taking ibuprofen"), never its id. */
void kn_report_factor_words(const char *factor, char *out, size_t cap)
{
    if (strncmp(factor, "tag:", 4) == 0)
        snprintf(out, cap, "\"%s\" (your tag)", factor + 4);
    else if (kn_factor_is_treatment(factor))
        snprintf(out, cap, "taking %s", factor + strlen("treatment:"));
    else if (strcmp(factor, "routine") == 0)
        snprintf(out, cap, "a disrupted routine");
    else if (strcmp(factor, "sleep_hours") == 0)
        snprintf(out, cap, "sleep hours");
    else if (strcmp(factor, "sleep_quality") == 0)
        snprintf(out, cap, "sleep quality");
    else
        snprintf(out, cap, "%s", factor);
}

/* The strength word of a finding: "strong, reliable" when the adjusted chance of a fluke (q)
 * is under 1 in 100, "reliable" under 1 in 20 (docs/INSIGHTS.md). */
static const char *strength(const kn_factor_test *t)
{
    if (!t->driver && !t->worse_days)
        return "weak pattern: beyond chance, but too small to matter much";
    return t->q < 0.01 ? "strong, reliable pattern" : "reliable pattern";
}

/* Beyond chance (the q threshold of a driver) whatever the size of the effect. */
static bool beyond_chance(const kn_factor_test *t)
{
    return t->driver || t->worse_days || t->q < 0.05;
}

static void factor_numbers(page *p, const kn_factor_test *t)
{
    if (t->kind == KN_FACTOR_CONTINUOUS)
        put(p, " (rho %+.2f, p %.3g, q %.3g, %d days)\n", t->rho, t->p, t->q, t->n);
    else
        put(p, " (pain %+.1f with it, 95%% CI %+.1f to %+.1f, p %.3g, q %.3g, %d/%d days)\n",
            t->diff, t->ci_low, t->ci_high, t->p, t->q, t->n_with, t->n_without);
}

static void factor_finding(page *p, const kn_factor_test *t, bool details)
{
    char what[KN_FACTOR_NAME_MAX + 32];
    kn_report_factor_words(t->factor, what, sizeof what);
    bool rises = t->kind == KN_FACTOR_CONTINUOUS ? t->rho > 0 : t->diff > 0;
    const char *more = rises ? "higher" : "lower";
    if (t->worse_days)
        put(p,
            "  - Days of %s are days of higher pain (%s): the pain likely came first, as "
            "people take a treatment because the day is bad; it is not a cause.\n",
            what, strength(t));
    else if (t->kind == KN_FACTOR_CONTINUOUS)
        put(p, "  - Your pain is %s %s when %s: %s.\n", more,
            t->lag == 0 ? "the same day" : "the next day",
            strcmp(t->factor, "sleep_hours") == 0     ? "you sleep longer"
            : strcmp(t->factor, "sleep_quality") == 0 ? "you sleep better"
                                                      : "stress is higher",
            strength(t));
    else
        put(p, "  - Your pain is %s %s %s: %s.\n", more,
            t->lag == 0 ? "on days with" : "the day after", what, strength(t));
    if (details) {
        put(p, "     ");
        factor_numbers(p, t);
    }
}

static const char *skip_why(kn_skip_reason r)
{
    switch (r) {
    case KN_SKIP_TOO_FEW_PAIRS:
        return "fewer than 10 days with both it and pain recorded";
    case KN_SKIP_TOO_FEW_WITH_OR_WITHOUT:
        return "fewer than 5 days with it, or fewer than 5 without";
    case KN_SKIP_CONSTANT:
        return "it did not vary";
    }
    return "too little data";
}

static void factors_section(page *p, const kn_insights *ins, bool details)
{
    put(p, "\nWhat goes with more pain (associations in your diary, not proof of a cause)\n");
    if (!ins->nfactors && !ins->nskipped) {
        put(p, "  Not enough data yet: a factor needs %d days with both it and pain recorded.\n",
            KN_INSIGHT_MIN_PAIRS);
        return;
    }
    size_t found = 0;
    for (int pass = 0; pass < 2; pass++) /* the sizeable findings first */
        for (size_t i = 0; i < ins->nfactors; i++) {
            const kn_factor_test *t = &ins->factors[i];
            if (beyond_chance(t) && (t->driver || t->worse_days) == (pass == 0)) {
                factor_finding(p, t, details);
                found++;
            }
        }
    if (!found && ins->nfactors)
        put(p, "  No factor stands out once chance is accounted for.\n");
    char what[KN_FACTOR_NAME_MAX + 32];
    for (int lag = 0; lag <= 1; lag++) {
        size_t listed = 0;
        for (size_t i = 0; i < ins->nfactors; i++) {
            const kn_factor_test *t = &ins->factors[i];
            if (beyond_chance(t) || t->lag != lag)
                continue;
            kn_report_factor_words(t->factor, what, sizeof what);
            put(p, "%s%s",
                listed++   ? ", "
                : lag == 0 ? "  - No clear pattern with pain the same day: "
                           : "  - No clear pattern with pain the day after: ",
                what);
        }
        if (listed)
            put(p, ".\n");
    }
    if (details)
        for (size_t i = 0; i < ins->nfactors; i++) {
            const kn_factor_test *t = &ins->factors[i];
            if (beyond_chance(t))
                continue;
            kn_report_factor_words(t->factor, what, sizeof what);
            put(p, "      %s, %s:", what, t->lag == 0 ? "same day" : "day after");
            factor_numbers(p, t);
        }
    for (size_t i = 0; i < ins->nskipped; i++) {
        const kn_factor_skip *s = &ins->skipped[i];
        if (s->lag == 1 && i > 0 && strcmp(ins->skipped[i - 1].factor, s->factor) == 0 &&
            ins->skipped[i - 1].reason == s->reason)
            continue; /* said once for both days */
        kn_report_factor_words(s->factor, what, sizeof what);
        put(p, "  - Not enough data yet to say whether %s matters (not tested: %s).\n", what,
            skip_why(s->reason));
    }
    if (details)
        put(p, "  (q: the chance of a fluke, adjusted for testing %zu factors at once)\n",
            ins->nfactors);
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

static void write_report(page *p, const kn_person *who, const kn_insights *ins, bool details)
{
    char a[KN_DATE_LEN], b[KN_DATE_LEN];
    put(p, "Insights for %s (person %lld)", who->name, (long long)who->id);
    if (ins->first_day != KN_DAY_ANY)
        put(p, ", %s to %s", date_of(ins->first_day, a), date_of(ins->last_day, b));
    put(p, "\n%d day%s with a pain value.\n", ins->days_logged, ins->days_logged == 1 ? "" : "s");
    if (!ins->days_logged && !ins->massage.nsessions) {
        put(p, "Not enough data yet: nothing is recorded in this range.\n");
        if (ins->nchronic) /* what the intake told */
            chronic_section(p, ins);
        return;
    }
    chronic_section(p, ins);
    flares_section(p, ins);
    factors_section(p, ins, details);
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

kn_rc kn_insights_render(const kn_person *who, const kn_insights *ins, bool details, char **out,
                         kn_err *err)
{
    page p = {.md = false, .rc = KN_OK};
    kn_buf_init(&p.b, INSIGHTS_REPORT_CAP);
    write_report(&p, who, ins, details);
    *out = p.rc == KN_OK ? kn_buf_dup(&p.b) : NULL;
    kn_buf_free(&p.b);
    return *out ? KN_OK : kn_err_set(err, KN_ENOMEM, "insights report: out of memory");
}
