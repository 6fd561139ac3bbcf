/* The one JSON encoder: every face (CLI --json, export, later HTTP) encodes records here, so
 * the same record always has the same shape. Absent values are null, never 0. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "knead/interop.h"

static json_t *opt_int(int v)
{
    return v == KN_NONE ? json_null() : json_integer(v);
}

static json_t *opt_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *date_str(kn_day d)
{
    char buf[KN_DATE_LEN];
    kn_date_format(d, buf);
    return json_string(buf);
}

static json_t *instant_str(kn_instant t)
{
    char buf[KN_INSTANT_LEN];
    kn_instant_format(t, buf);
    return json_string(buf);
}

static json_t *words(char *const *w, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(w[i]));
    return a;
}

json_t *kn_json_person(const kn_person *p)
{
    return json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)p->id, "name", p->name, "born",
                     opt_int(p->born), "tz", p->zone ? p->zone : "UTC");
}

json_t *kn_json_pain(const kn_pain *p)
{
    json_t *q = json_array();
    for (size_t i = 0; i < kn_quality_count(); i++)
        if (p->qualities & ((kn_qualities)1 << i))
            json_array_append_new(q, json_string(kn_quality_name(i)));
    return json_pack("{s:I, s:o, s:o, s:s, s:i, s:o, s:o}", "id", (json_int_t)p->id, "at",
                     instant_str(p->at), "date", date_str(p->day), "region", p->region, "intensity",
                     p->intensity, "qualities", q, "note", opt_str(p->note));
}

json_t *kn_json_checkin(const kn_checkin *c)
{
    json_t *treatments = json_array();
    for (size_t i = 0; i < c->ntreatments; i++)
        json_array_append_new(treatments, json_pack("{s:s, s:o}", "name", c->treatments[i].name,
                                                    "dose", opt_str(c->treatments[i].dose)));
    json_t *peg = c->peg[0] == KN_NONE ? json_null()
                                       : json_pack("{s:i, s:i, s:i}", "pain", c->peg[0],
                                                   "enjoyment", c->peg[1], "activity", c->peg[2]);
    json_t *routine =
        c->routine == KN_ROUTINE_NONE
            ? json_null()
            : json_string(c->routine == KN_ROUTINE_DISRUPTED ? "disrupted" : "normal");
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "date", date_str(c->day),
                     "stress", opt_int(c->stress), "sleep_hours",
                     isnan(c->sleep_hours) ? json_null() : json_real(c->sleep_hours),
                     "sleep_quality", opt_int(c->sleep_quality), "routine", routine, "pain_free",
                     c->pain_free == KN_NONE ? json_null() : json_true(), "tags",
                     words(c->tags, c->ntags), "treatments", treatments, "peg", peg, "note",
                     opt_str(c->note));
}

json_t *kn_json_session(const kn_session *s)
{
    json_t *work = json_array();
    for (size_t i = 0; i < s->nwork; i++)
        json_array_append_new(work, json_pack("{s:s, s:i, s:o}", "region", s->work[i].region,
                                              "pressure", s->work[i].pressure, "discomfort",
                                              opt_int(s->work[i].discomfort)));
    return json_pack("{s:I, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)s->id,
                     "at", instant_str(s->at), "date", date_str(s->day), "therapist",
                     opt_str(kn_session_therapist(s)), "minutes", s->minutes, "work", work,
                     "techniques", words(s->techniques, s->ntechniques), "pre_pain",
                     opt_int(s->pre_pain), "post_pain", opt_int(s->post_pain), "note",
                     opt_str(s->note));
}

json_t *kn_json_region(const kn_region *r)
{
    json_t *ids = json_array();
    if (r->paired) {
        char id[KN_REGION_MAX + 2];
        snprintf(id, sizeof id, "%s_l", r->id);
        json_array_append_new(ids, json_string(id));
        snprintf(id, sizeof id, "%s_r", r->id);
        json_array_append_new(ids, json_string(id));
    } else {
        json_array_append_new(ids, json_string(r->id));
    }
    json_t *aliases = json_array();
    const char *p = r->aliases;
    while (p && *p) {
        const char *end = strstr(p, "; ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        json_array_append_new(aliases, json_stringn(p, len));
        p = end ? end + 2 : NULL;
    }
    return json_pack("{s:s, s:s, s:s, s:b, s:o, s:o, s:s}", "id", r->id, "label", r->label, "view",
                     r->view, "paired", r->paired, "ids", ids, "aliases", aliases, "source",
                     r->source);
}

static json_t *day_or_null(kn_day d)
{
    return d == KN_DAY_ANY ? json_null() : date_str(d);
}

json_t *kn_json_diary(const kn_diary *d, const kn_diary_summary *s)
{
    json_t *regions = json_array();
    for (size_t i = 0; i < s->nregions; i++) {
        const kn_region_summary *r = &s->regions[i];
        json_array_append_new(regions, json_pack("{s:s, s:i, s:i, s:f, s:i}", "region", r->region,
                                                 "entries", r->entries, "days", r->days,
                                                 "mean_intensity", r->mean, "worst", r->worst));
    }
    json_t *summary =
        json_pack("{s:i, s:i, s:i, s:i, s:o}", "days_with_pain_entries", s->days_with_pain_entries,
                  "pain_entries", s->pain_entries, "checkins", s->checkins, "sessions", s->sessions,
                  "regions", regions);
    json_t *days = json_array();
    for (size_t i = 0; i < d->ndays; i++) {
        const kn_diary_day *day = &d->days[i];
        json_t *pains = json_array();
        for (size_t j = 0; j < day->npains; j++)
            json_array_append_new(pains, kn_json_pain(&day->pains[j]));
        json_t *sessions = json_array();
        for (size_t j = 0; j < day->nsessions; j++)
            json_array_append_new(sessions, kn_json_session(&day->sessions[j]));
        json_array_append_new(
            days, json_pack("{s:o, s:o, s:o, s:o}", "date", date_str(day->day), "pain", pains,
                            "checkin", day->checkin ? kn_json_checkin(day->checkin) : json_null(),
                            "sessions", sessions));
    }
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "person", kn_json_person(&d->person), "from",
                     day_or_null(d->from), "to", day_or_null(d->to), "summary", summary, "days",
                     days);
}

static kn_rc write_json(json_t *v, FILE *out, size_t flags, kn_err *err)
{
    if (!v)
        return kn_err_set(err, KN_ENOMEM, "cannot encode JSON (out of memory)");
    int rc = json_dumpf(v, out, JSON_INDENT(2) | flags);
    json_decref(v);
    if (rc != 0 || fputc('\n', out) == EOF)
        return kn_err_set(err, KN_EIO, "cannot write JSON output");
    return KN_OK;
}

kn_rc kn_json_write(json_t *v, FILE *out, kn_err *err)
{
    return write_json(v, out, JSON_REAL_PRECISION(15), err);
}

kn_rc kn_json_write_exact(json_t *v, FILE *out, kn_err *err)
{
    return write_json(v, out, JSON_REAL_PRECISION(17), err);
}

/* ---- the clinical atlas and screening ---- */

static json_t *side_str(char side)
{
    return json_string(side == 'l' ? "l" : side == 'r' ? "r" : "both");
}

/* Scores to 3 decimals: more would suggest a precision the maps do not have. */
static json_t *score_real(double v)
{
    return json_real(round(v * 1000) / 1000);
}

json_t *kn_json_regionset(const kn_regionset *set)
{
    json_t *a = json_array();
    for (int i = kn_regionset_next(set, 0); i >= 0; i = kn_regionset_next(set, i + 1))
        json_array_append_new(a, json_string(kn_sided_id(i)));
    return a;
}

/* " | "-separated items as an array of strings. */
static json_t *items_array(const char *text)
{
    json_t *a = json_array();
    const char *p = text;
    while (p && *p) {
        const char *end = strstr(p, " | ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, len));
        p = end ? end + 3 : NULL;
    }
    return a;
}

/* ";"-separated ids as an array of strings. */
static json_t *ids_array(const char *text)
{
    json_t *a = json_array();
    const char *p = text;
    while (p && *p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, len));
        p = end ? end + 1 : NULL;
    }
    return a;
}

static json_t *map_regions(const kn_painmap *map, json_t **intensities)
{
    json_t *regions = json_array();
    *intensities = json_object();
    for (size_t k = 0; k < map->n; k++) {
        const char *id = kn_sided_id(map->region[k]);
        json_array_append_new(regions, json_string(id));
        json_object_set_new(*intensities, id,
                            map->intensity[k] < 0 ? json_null()
                                                  : json_real(round(map->intensity[k] * 10) / 10));
    }
    return regions;
}

/* The days with pain of each mark and the window they are counted in (null when the map is
 * not from a diary), and the weight each mark has in the ranking. */
static void map_days(json_t *o, const kn_painmap *map)
{
    json_t *days = json_object(), *weights = json_object();
    for (size_t k = 0; k < map->n; k++) {
        const char *id = kn_sided_id(map->region[k]);
        json_object_set_new(days, id, map->days[k] ? json_integer(map->days[k]) : json_null());
        json_object_set_new(weights, id, json_real(round(map->weight[k] * 10000) / 10000));
    }
    json_object_set_new(o, "days_with_pain", days);
    json_object_set_new(o, "window_days", map->window ? json_integer(map->window) : json_null());
    json_object_set_new(o, "weights", weights);
}

/* A new object that starts with "gate" when there is one. */
static json_t *gated(const kn_gate *gate)
{
    json_t *o = json_object();
    if (gate)
        json_object_set_new(o, "gate", kn_json_gate(gate));
    return o;
}

json_t *kn_json_gate(const kn_gate *g)
{
    json_t *verdict = g->screened ? json_string(kn_verdict_name(g->verdict)) : json_null();
    json_t *date = g->screened ? date_str(kn_instant_day(g->at)) : json_null();
    return json_pack("{s:b, s:o, s:o, s:b, s:o, s:o, s:s}", "screened", g->screened, "verdict",
                     verdict, "date", date, "blocking", g->blocking, "max_pressure",
                     g->max_pressure ? json_integer(g->max_pressure) : json_null(), "avoid_regions",
                     kn_json_regionset(&g->avoid), "message", g->message);
}

json_t *kn_json_ranking(const kn_painmap *map, const kn_ranking *r, const kn_gate *gate)
{
    json_t *o = gated(gate);
    json_t *intensities;
    json_object_set_new(o, "regions", map_regions(map, &intensities));
    json_object_set_new(o, "intensities", intensities);
    map_days(o, map);
    json_t *candidates = json_array();
    for (size_t k = 0; k < r->ntop; k++) {
        const kn_candidate *c = &r->top[k];
        json_array_append_new(
            candidates,
            json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "muscle", c->muscle->id, "name",
                      c->muscle->name, "side", side_str(c->side), "score", score_real(c->score),
                      "primary", kn_json_regionset(&c->primary), "secondary",
                      kn_json_regionset(&c->secondary), "local", kn_json_regionset(&c->local)));
    }
    json_object_set_new(o, "candidates", candidates);
    json_t *cover = json_array();
    for (size_t k = 0; k < r->ncover; k++)
        json_array_append_new(
            cover, json_pack("{s:s, s:s, s:o, s:o}", "muscle", r->cover[k].muscle->id, "name",
                             r->cover[k].muscle->name, "side", side_str(r->cover[k].side),
                             "explains", kn_json_regionset(&r->cover[k].explains)));
    json_object_set_new(o, "cover", cover);
    json_object_set_new(o, "unexplained", kn_json_regionset(&r->unexplained));
    json_object_set_new(o, "notice", json_string(KN_NOT_A_DIAGNOSIS));
    return o;
}

json_t *kn_json_question(const kn_question *q)
{
    json_t *avoid = json_array();
    for (size_t k = 0; k < q->navoid; k++)
        json_array_append_new(avoid, json_string(q->avoid[k]->id));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:s}", "id", q->id, "question",
                     q->text, "triggers_on", q->on_yes ? "yes" : "no", "outcome",
                     kn_outcome_name(q->outcome), "advice", q->advice, "avoid_regions", avoid,
                     "max_pressure", q->max_pressure ? json_integer(q->max_pressure) : json_null(),
                     "asks_where", q->asks_where, "conditions", ids_array(q->conditions), "source",
                     q->source);
}

static json_t *regions_of(const kn_region *const *list, size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(a, json_string(list[k]->id));
    return a;
}

json_t *kn_json_condition(const kn_condition *c, const kn_gate *gate)
{
    json_t *o = gated(gate);
    json_t *assess = json_array();
    for (size_t k = 0; k < c->nmuscles; k++) {
        const kn_condition_muscle *cm = &c->muscles[k];
        json_array_append_new(assess,
                              json_pack("{s:s, s:s, s:b, s:o, s:s}", "muscle", cm->muscle->id,
                                        "name", cm->muscle->name, "first", cm->first, "note",
                                        *cm->note ? json_string(cm->note) : json_null(), "source",
                                        cm->source));
    }
    json_t *flags = json_array();
    for (size_t q = 0; q < kn_question_count(); q++)
        if (kn_question_in(kn_question_at(q), c->id))
            json_array_append_new(flags, kn_json_question(kn_question_at(q)));
    /* Only confirmed codes: the unconfirmed ones wait in the table for review. */
    json_t *codes = json_array();
    for (size_t k = 0; k < c->ncodes; k++) {
        const kn_code *cd = &c->codes[k];
        if (cd->confirmed)
            json_array_append_new(
                codes, json_pack("{s:s, s:s, s:s, s:s, s:o}", "system", cd->system, "code",
                                 cd->code, "meaning", cd->meaning, "role", cd->role, "note",
                                 *cd->note ? json_string(cd->note) : json_null()));
    }
    json_object_set_new(o, "id", json_string(c->id));
    json_object_set_new(o, "tag", json_string(c->tag));
    json_object_set_new(o, "name", json_string(c->name));
    json_object_set_new(o, "summary", json_string(c->summary));
    json_object_set_new(o, "presentation", items_array(c->presentation));
    json_object_set_new(o, "typical_regions",
                        json_pack("{s:o, s:o}", "core", regions_of(c->core, c->ncore), "other",
                                  regions_of(c->other, c->nother)));
    json_object_set_new(o, "assess", assess);
    json_object_set_new(o, "red_flags", flags);
    json_object_set_new(o, "codes", codes);
    json_object_set_new(o, "self_care", items_array(c->self_care));
    json_object_set_new(o, "self_care_source", json_string(c->self_care_source));
    json_object_set_new(o, "source", json_string(c->source));
    json_object_set_new(o, "notice", json_string(KN_NOT_A_DIAGNOSIS));
    return o;
}

json_t *kn_json_conditions(void)
{
    json_t *list = json_array();
    for (size_t i = 0; i < kn_condition_count(); i++) {
        const kn_condition *c = kn_condition_at(i);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "id", c->id, "tag", c->tag,
                                              "name", c->name, "summary", c->summary));
    }
    return json_pack("{s:o, s:s}", "conditions", list, "notice", KN_NOT_A_DIAGNOSIS);
}

json_t *kn_json_condition_matches(const kn_painmap *map, const kn_condition_match *m, size_t n,
                                  const kn_gate *gate)
{
    json_t *o = gated(gate);
    json_t *intensities;
    json_object_set_new(o, "regions", map_regions(map, &intensities));
    json_t *matches = json_array();
    for (size_t k = 0; k < n; k++) {
        json_t *muscles = json_array();
        for (size_t j = 0; j < m[k].nmuscles; j++)
            json_array_append_new(muscles,
                                  json_pack("{s:s, s:o, s:o}", "muscle", m[k].muscles[j]->id,
                                            "side", side_str(m[k].sides[j]), "score",
                                            score_real(m[k].muscle_scores[j])));
        json_t *flags = json_array();
        for (size_t q = 0; q < kn_question_count(); q++)
            if (kn_question_in(kn_question_at(q), m[k].condition->id))
                json_array_append_new(flags, json_string(kn_question_at(q)->id));
        char reason[600];
        kn_condition_match_reason(map, &m[k], reason, sizeof reason);
        json_t *match = json_pack(
            "{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:s, s:o}", "condition", m[k].condition->id,
            "name", m[k].condition->name, "resembles", m[k].resembles, "score",
            score_real(m[k].score), "map_fit", score_real(m[k].map_fit), "muscle_fit",
            score_real(m[k].muscle_fit), "typical_regions", kn_json_regionset(&m[k].typical),
            "muscles", muscles, "reason", reason, "red_flags", flags);
        char course[300];
        kn_condition_course_reason(&m[k], course, sizeof course);
        json_object_set_new(match, "course", json_string(m[k].condition->acute ? "acute" : "any"));
        json_object_set_new(match, "duration_days",
                            m[k].duration_days >= 0 ? json_integer(m[k].duration_days)
                                                    : json_null());
        json_object_set_new(match, "course_misfit", json_boolean(m[k].course_misfit));
        json_object_set_new(match, "course_reason",
                            m[k].course_misfit ? json_string(course) : json_null());
        json_array_append_new(matches, match);
    }
    json_object_set_new(o, "intensities", intensities);
    map_days(o, map);
    json_object_set_new(o, "matches", matches);
    json_object_set_new(o, "notice", json_string(KN_NOT_A_DIAGNOSIS));
    return o;
}

json_t *kn_json_screening(const kn_screening *s)
{
    kn_screen_result r;
    if (kn_screen_evaluate(s, &r, NULL) != KN_OK)
        return NULL;
    json_t *reasons = json_array();
    for (size_t k = 0; k < r.nreasons; k++) {
        const kn_question *q = r.reasons[k];
        const kn_screen_answer *a = kn_screening_find(s, q->id);
        json_t *where = json_array();
        for (size_t j = 0; a && j < a->nwhere; j++)
            json_array_append_new(where, json_string(a->where[j]));
        json_array_append_new(reasons,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "question", q->id, "text",
                                        q->text, "outcome", kn_outcome_name(q->outcome), "advice",
                                        q->advice, "source", q->source, "where", where));
    }
    json_t *unplaced = json_array();
    for (size_t k = 0; k < r.nunplaced; k++)
        json_array_append_new(unplaced, json_string(r.unplaced[k]->id));
    json_t *unanswered = json_array();
    for (size_t k = 0; k < r.nunanswered; k++)
        json_array_append_new(unanswered, json_string(r.unanswered[k]->id));
    json_t *answers = json_array();
    for (size_t k = 0; k < s->nanswers; k++)
        json_array_append_new(answers, json_pack("{s:s, s:s}", "question", s->answers[k].question,
                                                 "answer", kn_answer_name(s->answers[k].answer)));
    return json_pack("{s:I, s:I, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                     (json_int_t)s->id, "person", (json_int_t)s->person_id, "at",
                     instant_str(s->at), "date", date_str(kn_instant_day(s->at)), "verdict",
                     kn_verdict_name(s->verdict), "advice", kn_verdict_advice(s->verdict),
                     "reasons", reasons, "avoid_regions", kn_json_regionset(&r.avoid),
                     "avoid_unlocated", unplaced, "max_pressure", opt_int(s->max_pressure),
                     "unanswered", unanswered, "answers", answers);
}
