/* The JSON of the care workflow (plans, therapists, intakes, live sessions and their notes):
 * part of the one encoder every face shares. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "knead/interop.h"

static json_t *side_json(char side)
{
    if (side == 'l')
        return json_string("l");
    if (side == 'r')
        return json_string("r");
    if (side == 'b')
        return json_string("both");
    return json_null();
}

json_t *kn_json_plan(const kn_plan *p, const kn_gate *gate)
{
    json_t *blocks = json_array();
    for (size_t i = 0; i < p->nblocks; i++) {
        const kn_plan_block *b = &p->blocks[i];
        json_array_append_new(
            blocks, json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:s, s:i, s:o, s:s}", "kind",
                              kn_block_kind_name(b->kind), "minutes", b->minutes, "regions",
                              kn_json_regionset(&b->regions), "muscle",
                              b->muscle ? json_string(b->muscle->id) : json_null(), "name",
                              b->muscle ? json_string(b->muscle->name) : json_null(), "side",
                              side_json(b->side), "technique", b->technique, "pressure",
                              b->pressure, "pressure_reason",
                              b->pressure_reason[0] ? json_string(b->pressure_reason) : json_null(),
                              "why", b->why));
    }
    json_t *v = json_object();
    if (gate)
        json_object_set_new(v, "gate", kn_json_gate(gate));
    /* a preview (knead plan without --save) is not stored and has no id */
    json_object_set_new(v, "id", p->id ? json_integer((json_int_t)p->id) : json_null());
    json_object_set_new(v, "saved", json_boolean(p->id != 0));
    json_object_set_new(v, "person", json_integer((json_int_t)p->person_id));
    json_object_set_new(v, "therapist",
                        p->therapist_id ? json_integer((json_int_t)p->therapist_id) : json_null());
    char at[KN_INSTANT_LEN];
    kn_instant_format(p->at, at);
    json_object_set_new(v, "at", json_string(at));
    json_object_set_new(v, "minutes", json_integer(p->minutes));
    json_object_set_new(v, "max_pressure",
                        p->max_pressure ? json_integer(p->max_pressure) : json_null());
    json_object_set_new(v, "avoid_regions", kn_json_regionset(&p->avoid));
    json_object_set_new(v, "blocks", blocks);
    json_object_set_new(v, "notice", json_string(KN_NOT_A_DIAGNOSIS));
    return v;
}

json_t *kn_json_therapist(const kn_therapist *t)
{
    json_t *spec = json_array();
    for (size_t i = 0; i < t->nspecialties; i++)
        json_array_append_new(spec, json_string(t->specialties[i]));
    return json_pack("{s:I, s:s, s:o, s:b, s:b, s:o}", "id", (json_int_t)t->id, "name", t->name,
                     "license", t->license ? json_string(t->license) : json_null(),
                     "board_certified", t->board_certified, "amta_member", t->amta_member,
                     "specialties", spec);
}

json_t *kn_json_therapist_matches(const kn_therapist_match *m, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:o, s:f, s:b, s:s}", "therapist",
                                           kn_json_therapist(m[i].therapist), "score", m[i].score,
                                           "licensed", m[i].licensed, "reasons", m[i].reasons));
    return json_pack("{s:o, s:s}", "matches", a, "notice", KN_NOT_A_DIAGNOSIS);
}

json_t *kn_json_intake(const kn_intake_answers *a, int version)
{
    /* The answers in their one canonical form (the stored one, kn_intake_to_json), with the
     * version: every answer the intake holds, in the same shape wherever it is shown. */
    char *text = NULL;
    kn_err err = {0};
    if (kn_intake_to_json(a, &text, &err) != KN_OK)
        return NULL;
    json_t *v = json_loads(text, 0, NULL);
    free(text);
    /* pain_since in every shown intake (the stored form leaves it out when not given), and
     * each answer resolved to the day its pain began on the day of the intake */
    json_t *onsets = json_object();
    for (int i = 0; v && onsets && i < (int)kn_sided_count(); i++) {
        if (!a->pain_since[i] || a->onset[i].day == KN_DAY_ANY)
            continue;
        char date[KN_DATE_LEN];
        kn_date_format(a->onset[i].day, date);
        json_object_set_new(onsets, kn_sided_id(i),
                            json_pack("{s:s, s:b}", "onset", date, "exact", a->onset[i].exact));
    }
    if (v && !json_object_get(v, "pain_since"))
        json_object_set_new(v, "pain_since", json_object());
    if (v && onsets)
        json_object_set(v, "pain_onsets", onsets);
    json_decref(onsets);
    if (v && json_object_set_new(v, "version", json_integer(version)) != 0) {
        json_decref(v);
        return NULL;
    }
    return v;
}

static json_t *session_events_json(const kn_event_list *ev)
{
    json_t *a = json_array();
    for (size_t i = 0; i < ev->n; i++) {
        const kn_session_event *e = &ev->items[i];
        char at[KN_INSTANT_LEN];
        kn_instant_format(e->at, at);
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:i, s:o, s:b, s:b, s:o}", "at", at, "region", e->region,
                         "pressure", e->pressure, "discomfort",
                         e->discomfort == KN_NONE ? json_null() : json_integer(e->discomfort),
                         "guarding", e->guarding, "ease_off", e->warned, "note",
                         e->note ? json_string(e->note) : json_null()));
    }
    return a;
}

static json_t *opt_text(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *opt_id(int64_t id)
{
    return id ? json_integer((json_int_t)id) : json_null();
}

/* Each version with when it was signed and by whom: the first version is signed with the
 * session (null until then), an amendment when it is written, by its writer. */
static json_t *notes_json(const kn_live_session *live, const kn_note_list *notes)
{
    json_t *a = json_array();
    for (size_t i = 0; i < notes->n; i++) {
        const kn_session_note *n = &notes->items[i];
        char at[KN_INSTANT_LEN], signed_at[KN_INSTANT_LEN];
        kn_instant_format(n->at, at);
        bool is_signed = n->version > 1 || live->state == KN_SESSION_SIGNED;
        kn_instant_format(n->version > 1 ? n->at : live->signed_at, signed_at);
        int64_t signer = n->version > 1 ? n->therapist_id : live->signed_by;
        json_array_append_new(
            a, json_pack("{s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "version",
                         n->version, "at", at, "subjective", opt_text(n->subjective), "objective",
                         opt_text(n->objective), "assessment", opt_text(n->assessment), "plan",
                         opt_text(n->plan), "reason", opt_text(n->reason), "written_by",
                         opt_id(n->therapist_id), "signed_at",
                         is_signed ? json_string(signed_at) : json_null(), "signed_by",
                         is_signed ? opt_id(signer) : json_null()));
    }
    return a;
}

json_t *kn_json_live_session(const kn_live_session *live, const kn_session *s,
                             const kn_event_list *events, const kn_note_list *notes,
                             const kn_plan *plan)
{
    json_t *v = json_object();
    json_object_set_new(v, "id", json_integer((json_int_t)live->id));
    json_object_set_new(v, "state", json_string(kn_session_state_name(live->state)));
    /* the therapist on record the session was started with (null: none, or added after the
     * fact, when the session's therapist is only a name) */
    json_object_set_new(v, "therapist_id", opt_id(live->therapist_id));
    json_object_set_new(v, "session", kn_json_session(s));
    json_object_set_new(v, "events", session_events_json(events));
    json_object_set_new(v, "notes", notes_json(live, notes));
    json_object_set_new(v, "plan", plan ? kn_json_plan(plan, NULL) : json_null());
    return v;
}

static json_t *date_json(kn_day d)
{
    if (d == KN_DAY_ANY)
        return json_null();
    char buf[KN_DATE_LEN];
    kn_date_format(d, buf);
    return json_string(buf);
}

json_t *kn_json_brief(const kn_brief *b)
{
    json_t *v = json_object();
    json_object_set_new(v, "gate", kn_json_gate(&b->gate));
    json_object_set_new(v, "person", kn_json_person(&b->person));
    json_object_set_new(v, "to", date_json(b->today));
    json_object_set_new(v, "days", json_integer(b->days));
    kn_regionset avoid = b->gate.avoid;
    for (size_t i = 0; i < sizeof avoid.bits / sizeof avoid.bits[0]; i++)
        avoid.bits[i] |= b->intake.avoid.bits[i];
    json_object_set_new(v, "avoid_regions", kn_json_regionset(&avoid));
    json_object_set_new(v, "max_pressure",
                        b->gate.max_pressure ? json_integer(b->gate.max_pressure) : json_null());
    json_t *worst = json_array();
    for (size_t i = 0; i < b->map.n; i++)
        json_array_append_new(
            worst, json_pack("{s:s, s:f, s:i, s:i}", "region", kn_sided_id(b->map.region[i]),
                             "mean", (double)b->map.intensity[i], "burden",
                             b->burden[b->map.region[i]], "days_with_pain", b->map.days[i]));
    json_object_set_new(v, "regions", worst);
    json_t *chronic = json_array(), *unsure = json_array();
    for (size_t i = 0; i < b->insights.nchronic; i++) {
        const kn_chronic_region *c = &b->insights.chronic[i];
        if (c->status == KN_CHRONIC_TOO_LITTLE_HISTORY)
            json_array_append_new(unsure, json_string(c->region));
        if (!c->chronic)
            continue;
        json_t *since = date_json(c->basis == KN_BASIS_INTAKE ? c->onset : c->first);
        json_array_append_new(chronic, json_pack("{s:s, s:s, s:o, s:o}", "region", c->region,
                                                 "basis", kn_chronic_basis_name(c->basis), "since",
                                                 since, "onset", date_json(c->onset)));
    }
    json_object_set_new(v, "chronic", chronic);
    json_object_set_new(v, "chronic_unknown", unsure);
    json_t *flares = json_array();
    for (size_t i = 0; i < b->insights.nflares; i++) {
        const kn_flare *f = &b->insights.flares[i];
        if (f->end > b->today - b->days)
            json_array_append_new(flares, json_pack("{s:o, s:o, s:i, s:f}", "start",
                                                    date_json(f->start), "end", date_json(f->end),
                                                    "peak", f->peak, "baseline", f->baseline));
    }
    json_object_set_new(v, "flares", flares);
    json_t *drivers = json_array();
    for (size_t i = 0; i < b->insights.nfactors; i++) {
        const kn_factor_test *t = &b->insights.factors[i];
        if (t->driver)
            json_array_append_new(drivers, json_pack("{s:s, s:i, s:f}", "factor", t->factor, "lag",
                                                     t->lag, "q", t->q));
    }
    json_object_set_new(v, "drivers", drivers);
    json_t *cands = json_array();
    for (size_t i = 0; i < b->ranking.ntop; i++)
        json_array_append_new(
            cands, json_pack("{s:s, s:s, s:o, s:f}", "muscle", b->ranking.top[i].muscle->id, "name",
                             b->ranking.top[i].muscle->name, "side",
                             side_json(b->ranking.top[i].side), "score", b->ranking.top[i].score));
    json_object_set_new(v, "candidates", cands);
    json_t *sessions = json_array();
    for (size_t i = 0; i < b->nrecent; i++) {
        const kn_massage_effect *e = b->recent[i].effect;
        json_t *s = kn_json_session(b->recent[i].session);
        json_object_set_new(s, "change",
                            e && !isnan(e->change) ? json_real(e->change) : json_null());
        json_array_append_new(sessions, s);
    }
    json_object_set_new(v, "sessions", sessions);
    json_t *peg = json_array();
    for (size_t i = 0; i < b->npeg; i++)
        json_array_append_new(peg, json_pack("{s:o, s:f}", "date", date_json(b->peg[i].day),
                                             "score", b->peg[i].score));
    json_object_set_new(v, "peg", peg);
    json_object_set_new(v, "peg_trend",
                        b->insights.peg.present
                            ? json_string(kn_trend_category_name(b->insights.peg.category))
                            : json_null());
    json_object_set_new(
        v, "intake", b->has_intake ? kn_json_intake(&b->intake, b->intake_version) : json_null());
    json_object_set_new(v, "medications_not_recognised",
                        kn_json_unknown_medications(b->intake.medications, b->intake.nmedications));
    json_object_set_new(v, "screening",
                        b->has_screening ? kn_json_screening_cleared(
                                               &b->screening, b->clearances.items, b->clearances.n)
                                         : json_null());
    json_object_set_new(v, "notice", json_string(KN_NOT_A_DIAGNOSIS));
    return v;
}

json_t *kn_json_intake_result(const kn_intake_result *r)
{
    json_t *reasons = json_array();
    for (size_t i = 0; r->changed && i < r->screen.nreasons; i++)
        json_array_append_new(reasons, json_string(r->screen.reasons[i]->id));
    return json_pack(
        "{s:i, s:b, s:o, s:o, s:o}", "version", r->version, "changed", r->changed, "verdict",
        r->changed && r->screening_id ? json_string(kn_verdict_name(r->screen.verdict))
                                      : json_null(),
        "max_pressure",
        r->changed && r->screen.max_pressure ? json_integer(r->screen.max_pressure) : json_null(),
        "reasons", reasons);
}

static json_t *instant_json(kn_instant t)
{
    char at[KN_INSTANT_LEN];
    kn_instant_format(t, at);
    return json_string(at);
}

static json_t *day_json(kn_instant t)
{
    char d[KN_DATE_LEN];
    kn_date_format(kn_instant_day(t), d);
    return json_string(d);
}

json_t *kn_json_clearance(const kn_clearance *c)
{
    const kn_question *q = kn_question_find(c->question);
    return json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:s, s:o, s:o}", "id", (json_int_t)c->id,
                     "person", (json_int_t)c->person_id, "question", c->question, "text",
                     q ? json_string(q->text) : json_null(), "at", instant_json(c->at), "date",
                     day_json(c->at), "cleared_by", c->cleared_by ? c->cleared_by : "", "note",
                     c->note ? json_string(c->note) : json_null(), "max_pressure",
                     c->max_pressure == KN_NONE ? json_null() : json_integer(c->max_pressure));
}

json_t *kn_json_screening_cleared(const kn_screening *s, const kn_clearance *c, size_t n)
{
    kn_screen_result r;
    json_t *v = kn_json_screening(s);
    if (!v || kn_screen_evaluate_cleared(s, c, n, &r, NULL) != KN_OK) {
        json_decref(v);
        return NULL;
    }
    json_t *reasons = json_array();
    for (size_t k = 0; k < r.nreasons; k++) {
        const kn_question *q = r.reasons[k];
        const kn_screen_answer *a = kn_screening_find(s, q->id);
        json_t *where = json_array();
        for (size_t j = 0; a && j < a->nwhere; j++)
            json_array_append_new(where, json_string(a->where[j]));
        json_array_append_new(
            reasons, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "question", q->id, "text",
                               q->text, "outcome", kn_outcome_name(q->outcome), "advice", q->advice,
                               "source", q->source, "where", where, "given", day_json(r.given[k])));
    }
    json_t *cleared = json_array();
    for (size_t k = 0; k < r.ncleared; k++) {
        json_t *item = kn_json_clearance(r.clearance[k]);
        json_object_set_new(item, "outcome", json_string(kn_outcome_name(r.cleared[k]->outcome)));
        json_array_append_new(cleared, item);
    }
    json_t *unplaced = json_array();
    for (size_t k = 0; k < r.nunplaced; k++)
        json_array_append_new(unplaced, json_string(r.unplaced[k]->id));
    /* With no clearance the stored verdict and cap stand (the gate's rule). */
    kn_verdict verdict = n ? r.verdict : s->verdict;
    int cap = n ? r.max_pressure : (s->max_pressure == KN_NONE ? 0 : s->max_pressure);
    json_object_set_new(v, "verdict", json_string(kn_verdict_name(verdict)));
    json_object_set_new(v, "stored_verdict", json_string(kn_verdict_name(s->verdict)));
    json_object_set_new(v, "advice", json_string(kn_verdict_advice(verdict)));
    json_object_set_new(v, "reasons", reasons);
    json_object_set_new(v, "cleared", cleared);
    json_object_set_new(v, "avoid_regions", kn_json_regionset(&r.avoid));
    json_object_set_new(v, "avoid_unlocated", unplaced);
    json_object_set_new(v, "max_pressure", cap ? json_integer(cap) : json_null());
    json_object_set_new(v, "unanswered_count", json_integer((json_int_t)r.nunanswered));
    json_object_set_new(v, "questions", json_integer((json_int_t)kn_question_count()));
    return v;
}

json_t *kn_json_plan_changes(const kn_plan *plan, const kn_plan_change *c, size_t n)
{
    static const char *const names[] = {"pressure", "regions", "dropped"};
    json_t *v = json_array();
    for (size_t i = 0; i < n; i++) {
        const kn_plan_block *b = &plan->blocks[c[i].block];
        bool pressure = c[i].kind == KN_CHANGE_PRESSURE;
        json_array_append_new(
            v, json_pack("{s:I, s:s, s:o, s:s, s:o, s:o, s:o, s:s}", "block",
                         (json_int_t)c[i].block + 1, "kind", kn_block_kind_name(b->kind), "muscle",
                         b->muscle ? json_string(b->muscle->id) : json_null(), "change",
                         names[c[i].kind], "from", pressure ? json_integer(c[i].from) : json_null(),
                         "to", pressure ? json_integer(c[i].to) : json_null(), "regions",
                         kn_json_regionset(&c[i].regions), "why", c[i].why));
    }
    return v;
}

json_t *kn_json_unknown_medications(char *const *medications, size_t n)
{
    json_t *v = json_array();
    for (size_t i = 0; i < n; i++)
        if (!kn_medication_match(medications[i]))
            json_array_append_new(v, json_string(medications[i]));
    return v;
}
