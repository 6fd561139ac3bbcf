/* The JSON of the insights (docs/INSIGHTS.md): part of the one encoder every face shares.
 * The field names are a contract with the reference implementation; absent figures are
 * null, never 0. */
#include <math.h>
#include <stdio.h>

#include "knead/interop.h"

/* Objects are built key by key with keys known to be ASCII (no UTF-8 check of each key,
 * no format string to parse): the insights of many persons are mostly these small objects. */
static int put(json_t *o, const char *key, json_t *v)
{
    if (!o) {
        json_decref(v);
        return 1;
    }
    return json_object_set_new_nocheck(o, key, v) != 0; /* takes v even when it fails */
}

static int append(json_t *a, json_t *v)
{
    if (!a) {
        json_decref(v);
        return 1;
    }
    return json_array_append_new(a, v) != 0;
}

/* o, or NULL (o released) when any part of it could not be made: never half an object. */
static json_t *finish(json_t *o, int bad)
{
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

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
    return json_stringn_nocheck(buf, KN_DATE_LEN - 1);
}

static json_t *chronic_json(const kn_chronic_region *c)
{
    json_t *o = json_object();
    int bad = !o;
    bad |= put(o, "region", json_string(c->region));
    bad |= put(o, "first", day_or_null(c->first));
    bad |= put(o, "last", day_or_null(c->last));
    bad |= put(o, "span_days", json_integer(c->span_days));
    bad |= put(o, "months", json_integer(c->months));
    bad |= put(o, "entry_days", json_integer(c->entry_days));
    bad |= put(o, "mean_intensity", json_real(c->mean_intensity));
    bad |= put(o, "chronic", json_boolean(c->chronic));
    return finish(o, bad);
}

static json_t *flare_json(const kn_flare *f)
{
    json_t *o = json_object();
    int bad = !o;
    bad |= put(o, "start", day_or_null(f->start));
    bad |= put(o, "end", day_or_null(f->end));
    bad |= put(o, "days", json_integer(f->days));
    bad |= put(o, "peak", json_integer(f->peak));
    bad |= put(o, "peak_date", day_or_null(f->peak_date));
    bad |= put(o, "baseline", json_real(f->baseline));
    return finish(o, bad);
}

static json_t *factor_json(const kn_factor_test *t)
{
    json_t *o = json_object();
    int bad = !o;
    bool continuous = t->kind == KN_FACTOR_CONTINUOUS;
    bad |= put(o, "factor", json_string(t->factor));
    bad |= put(o, "kind", json_string(continuous ? "continuous" : "binary"));
    bad |= put(o, "lag", json_integer(t->lag));
    bad |= put(o, "n", json_integer(t->n));
    if (continuous) {
        bad |= put(o, "rho", real_or_null(t->rho));
    } else {
        bad |= put(o, "n_with", json_integer(t->n_with));
        bad |= put(o, "n_without", json_integer(t->n_without));
        bad |= put(o, "diff", real_or_null(t->diff));
        bad |= put(o, "ci_low", real_or_null(t->ci_low));
        bad |= put(o, "ci_high", real_or_null(t->ci_high));
    }
    bad |= put(o, "p", real_or_null(t->p));
    bad |= put(o, "q", real_or_null(t->q));
    bad |= put(o, "driver", json_boolean(t->driver));
    return finish(o, bad);
}

static json_t *skip_json(const kn_factor_skip *s)
{
    json_t *o = json_object();
    int bad = !o;
    bad |= put(o, "factor", json_string(s->factor));
    bad |= put(o, "lag", json_integer(s->lag));
    bad |= put(o, "n", json_integer(s->n));
    bad |= put(o, "reason", json_string(kn_skip_reason_name(s->reason)));
    return finish(o, bad);
}

static json_t *massage_json(const kn_massage_summary *m)
{
    json_t *sessions = json_array();
    int bad = !sessions;
    for (size_t i = 0; i < m->nsessions; i++) {
        const kn_massage_effect *e = &m->sessions[i];
        json_t *o = json_object();
        int part = !o;
        part |= put(o, "date", day_or_null(e->day));
        part |= put(o, "pre", real_or_null(e->pre));
        part |= put(o, "post", real_or_null(e->post));
        part |= put(o, "change", real_or_null(e->change));
        part |= put(o, "immediate", real_or_null(e->immediate));
        bad |= append(sessions, finish(o, part));
    }
    json_t *o = json_object();
    bad |= !o;
    bad |= put(o, "sessions", sessions);
    bad |= put(o, "n", json_integer(m->n));
    bad |= put(o, "mean_change", real_or_null(m->mean_change));
    bad |= put(o, "p", real_or_null(m->p));
    return finish(o, bad);
}

static json_t *trend_json(const kn_trend *t)
{
    if (!t->present)
        return json_null();
    json_t *o = json_object();
    int bad = !o;
    bad |= put(o, "baseline", json_real(t->baseline));
    bad |= put(o, "baseline_date", day_or_null(t->baseline_date));
    bad |= put(o, "latest", json_real(t->latest));
    bad |= put(o, "latest_date", day_or_null(t->latest_date));
    bad |= put(o, "change", json_real(t->change));
    bad |= put(o, "percent", real_or_null(t->percent));
    bad |= put(o, "category", json_string(kn_trend_category_name(t->category)));
    return finish(o, bad);
}

json_t *kn_json_insights(const kn_insights *ins)
{
    json_t *chronic = json_array(), *flares = json_array(), *factors = json_array(),
           *skipped = json_array(), *outcomes = json_object(), *o = json_object();
    int bad = !o;
    for (size_t i = 0; i < ins->nchronic; i++)
        bad |= append(chronic, chronic_json(&ins->chronic[i]));
    for (size_t i = 0; i < ins->nflares; i++)
        bad |= append(flares, flare_json(&ins->flares[i]));
    for (size_t i = 0; i < ins->nfactors; i++)
        bad |= append(factors, factor_json(&ins->factors[i]));
    for (size_t i = 0; i < ins->nskipped; i++)
        bad |= append(skipped, skip_json(&ins->skipped[i]));
    bad |= put(outcomes, "peg", trend_json(&ins->peg));
    bad |= put(outcomes, "pain", trend_json(&ins->pain));
    bad |= put(o, "person", json_integer((json_int_t)ins->person));
    bad |= put(o, "from", day_or_null(ins->from));
    bad |= put(o, "to", day_or_null(ins->to));
    bad |= put(o, "days_logged", json_integer(ins->days_logged));
    bad |= put(o, "chronic", chronic);
    bad |= put(o, "flares", flares);
    bad |= put(o, "factors", factors);
    bad |= put(o, "factors_skipped", skipped);
    bad |= put(o, "massage", massage_json(&ins->massage));
    bad |= put(o, "outcomes", outcomes);
    return finish(o, bad);
}
