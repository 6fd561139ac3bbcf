/* The JSON of the insights (docs/INSIGHTS.md): part of the one encoder every face shares.
 * The field names are a contract with the reference implementation; absent figures are
 * null, never 0. */
#include <math.h>
#include <stdio.h>

#include "knead/interop.h"

static json_t *real_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *day_or_null(kn_day d)
{
    if (d == KN_DAY_ANY)
        return json_null();
    char buf[KN_DATE_LEN];
    kn_date_format(d, buf);
    return json_string(buf);
}

static json_t *chronic_json(const kn_chronic_region *c)
{
    return json_pack("{s:s, s:o, s:o, s:i, s:i, s:i, s:f, s:b}", "region", c->region, "first",
                     day_or_null(c->first), "last", day_or_null(c->last), "span_days", c->span_days,
                     "months", c->months, "entry_days", c->entry_days, "mean_intensity",
                     c->mean_intensity, "chronic", c->chronic);
}

static json_t *flare_json(const kn_flare *f)
{
    return json_pack("{s:o, s:o, s:i, s:i, s:o, s:f}", "start", day_or_null(f->start), "end",
                     day_or_null(f->end), "days", f->days, "peak", f->peak, "peak_date",
                     day_or_null(f->peak_date), "baseline", f->baseline);
}

static json_t *factor_json(const kn_factor_test *t)
{
    if (t->kind == KN_FACTOR_CONTINUOUS)
        return json_pack("{s:s, s:s, s:i, s:i, s:o, s:o, s:o, s:b}", "factor", t->factor, "kind",
                         "continuous", "lag", t->lag, "n", t->n, "rho", real_or_null(t->rho), "p",
                         real_or_null(t->p), "q", real_or_null(t->q), "driver", t->driver);
    return json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:b}", "factor",
                     t->factor, "kind", "binary", "lag", t->lag, "n", t->n, "n_with", t->n_with,
                     "n_without", t->n_without, "diff", real_or_null(t->diff), "ci_low",
                     real_or_null(t->ci_low), "ci_high", real_or_null(t->ci_high), "p",
                     real_or_null(t->p), "q", real_or_null(t->q), "driver", t->driver);
}

static json_t *skip_json(const kn_factor_skip *s)
{
    return json_pack("{s:s, s:i, s:i, s:s}", "factor", s->factor, "lag", s->lag, "n", s->n,
                     "reason", kn_skip_reason_name(s->reason));
}

static json_t *massage_json(const kn_massage_summary *m)
{
    json_t *sessions = json_array();
    for (size_t i = 0; i < m->nsessions; i++) {
        const kn_massage_effect *e = &m->sessions[i];
        json_array_append_new(
            sessions, json_pack("{s:o, s:o, s:o, s:o, s:o}", "date", day_or_null(e->day), "pre",
                                real_or_null(e->pre), "post", real_or_null(e->post), "change",
                                real_or_null(e->change), "immediate", real_or_null(e->immediate)));
    }
    return json_pack("{s:o, s:i, s:o, s:o}", "sessions", sessions, "n", m->n, "mean_change",
                     real_or_null(m->mean_change), "p", real_or_null(m->p));
}

static json_t *trend_json(const kn_trend *o)
{
    if (!o->present)
        return json_null();
    return json_pack("{s:f, s:o, s:f, s:o, s:f, s:o, s:s}", "baseline", o->baseline,
                     "baseline_date", day_or_null(o->baseline_date), "latest", o->latest,
                     "latest_date", day_or_null(o->latest_date), "change", o->change, "percent",
                     real_or_null(o->percent), "category", kn_trend_category_name(o->category));
}

json_t *kn_json_insights(const kn_insights *ins)
{
    json_t *chronic = json_array(), *flares = json_array(), *factors = json_array(),
           *skipped = json_array();
    for (size_t i = 0; i < ins->nchronic; i++)
        json_array_append_new(chronic, chronic_json(&ins->chronic[i]));
    for (size_t i = 0; i < ins->nflares; i++)
        json_array_append_new(flares, flare_json(&ins->flares[i]));
    for (size_t i = 0; i < ins->nfactors; i++)
        json_array_append_new(factors, factor_json(&ins->factors[i]));
    for (size_t i = 0; i < ins->nskipped; i++)
        json_array_append_new(skipped, skip_json(&ins->skipped[i]));
    json_t *outcomes =
        json_pack("{s:o, s:o}", "peg", trend_json(&ins->peg), "pain", trend_json(&ins->pain));
    return json_pack("{s:I, s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "person",
                     (json_int_t)ins->person, "from", day_or_null(ins->from), "to",
                     day_or_null(ins->to), "days_logged", ins->days_logged, "chronic", chronic,
                     "flares", flares, "factors", factors, "factors_skipped", skipped, "massage",
                     massage_json(&ins->massage), "outcomes", outcomes);
}
