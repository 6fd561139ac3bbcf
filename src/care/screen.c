/* Screening before massage: turns the answers to the red-flag and contraindication
 * questions into a verdict (emergency, refer, caution, clear), the regions to avoid and a
 * pressure cap; stores it, dated, with the person; and builds the gate message that every
 * guide and ranking for that person shows first while the latest verdict is serious. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "knead/care.h"

static kn_verdict verdict_of(kn_outcome o)
{
    switch (o) {
    case KN_OUTCOME_EMERGENCY:
        return KN_VERDICT_EMERGENCY;
    case KN_OUTCOME_REFER:
        return KN_VERDICT_REFER;
    case KN_OUTCOME_AVOID:
    case KN_OUTCOME_CAUTION:
        break;
    }
    return KN_VERDICT_CAUTION;
}

const char *kn_verdict_advice(kn_verdict v)
{
    switch (v) {
    case KN_VERDICT_EMERGENCY:
        return "Seek medical care now; no massage until a physician has seen you.";
    case KN_VERDICT_REFER:
        return "See a physician before massage.";
    case KN_VERDICT_CAUTION:
        return "Massage with the limits below.";
    case KN_VERDICT_CLEAR:
        break;
    }
    return "No red flag or contraindication reported.";
}

static bool triggered(const kn_question *q, const kn_screen_answer *a)
{
    return a &&
           ((a->answer == KN_ANSWER_YES && q->on_yes) || (a->answer == KN_ANSWER_NO && !q->on_yes));
}

/* The regions a triggered question puts off limits: where the answer said, else the
 * question's own regions on both sides. */
static void add_avoid(const kn_question *q, const kn_screen_answer *a, kn_screen_result *out)
{
    if (a->nwhere) {
        for (size_t i = 0; i < a->nwhere; i++) {
            int idx = kn_sided_find(a->where[i]);
            if (idx >= 0)
                kn_regionset_add(&out->avoid, idx);
        }
        return;
    }
    for (size_t k = 0; k < q->navoid; k++) {
        kn_regionset_add(&out->avoid, kn_sided_of(q->avoid[k], 'l'));
        kn_regionset_add(&out->avoid, kn_sided_of(q->avoid[k], 'r'));
    }
    if (q->asks_where && !q->navoid)
        out->unplaced[out->nunplaced++] = q;
}

/* The latest clearance of q recorded at or after `given`, or NULL. */
static const kn_clearance *clearance_for(const kn_question *q, kn_instant given,
                                         const kn_clearance *c, size_t n)
{
    const kn_clearance *found = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].question, q->id) == 0 && c[i].at.utc >= given.utc)
            found = &c[i];
    return found;
}

static void add_cap(kn_screen_result *out, int cap)
{
    if (cap > 0 && (!out->max_pressure || cap < out->max_pressure))
        out->max_pressure = cap;
}

kn_rc kn_screen_evaluate_cleared(const kn_screening *s, const kn_clearance *c, size_t nc,
                                 kn_screen_result *out, kn_err *err)
{
    memset(out, 0, sizeof *out);
    kn_rc rc = kn_screening_validate(s, err);
    if (rc != KN_OK)
        return rc;
    size_t nq = kn_question_count();
    if (nq > KN_SCREEN_QUESTIONS_MAX)
        return kn_err_set(err, KN_ENOMEM, "screening: more than %d questions",
                          KN_SCREEN_QUESTIONS_MAX);
    /* Reasons most serious first: one pass per outcome, table order within it. */
    for (int o = KN_OUTCOME_EMERGENCY; o >= KN_OUTCOME_CAUTION; o--) {
        for (size_t i = 0; i < nq; i++) {
            const kn_question *q = kn_question_at(i);
            if ((int)q->outcome != o)
                continue;
            const kn_screen_answer *a = kn_screening_find(s, q->id);
            if (!a || a->answer == KN_ANSWER_SKIPPED) {
                out->unanswered[out->nunanswered++] = q;
                continue;
            }
            if (!triggered(q, a))
                continue;
            kn_instant given = kn_screen_answer_given(s, a);
            const kn_clearance *cl = clearance_for(q, given, c, nc);
            if (cl) {
                out->cleared[out->ncleared] = q;
                out->clearance[out->ncleared++] = cl;
                add_cap(out, cl->max_pressure == KN_NONE ? 0 : cl->max_pressure);
                continue;
            }
            out->given[out->nreasons] = given;
            out->reasons[out->nreasons++] = q;
            if (verdict_of(q->outcome) > out->verdict)
                out->verdict = verdict_of(q->outcome);
            add_avoid(q, a, out);
            add_cap(out, q->max_pressure);
        }
    }
    /* A cleared caution's own cap is lifted, but a clearance's cap alone still limits. */
    if (out->verdict == KN_VERDICT_CLEAR && out->max_pressure)
        out->verdict = KN_VERDICT_CAUTION;
    return KN_OK;
}

kn_rc kn_screen_evaluate(const kn_screening *s, kn_screen_result *out, kn_err *err)
{
    return kn_screen_evaluate_cleared(s, NULL, 0, out, err);
}

static kn_rc load_clearances(kn_store *st, int64_t person, kn_clearance_list *out, kn_err *err)
{
    kn_rc rc = kn_store_clearance_list(st, person, out);
    return rc == KN_OK ? KN_OK : kn_store_error(st, err);
}

size_t kn_screening_answered(const kn_screening *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nanswers; i++)
        n += s->answers[i].answer != KN_ANSWER_SKIPPED;
    return n;
}

kn_instant kn_screen_answer_given(const kn_screening *s, const kn_screen_answer *a)
{
    return a->given.utc ? a->given : s->at;
}

kn_rc kn_screen_carry(kn_screening *s, const kn_screening *earlier, kn_err *err)
{
    for (size_t i = 0; i < earlier->nanswers; i++) {
        const kn_screen_answer *old = &earlier->answers[i];
        const kn_screen_answer *now = kn_screening_find(s, old->question);
        if (old->answer == KN_ANSWER_SKIPPED || (now && now->answer != KN_ANSWER_SKIPPED) ||
            !kn_question_find(old->question))
            continue;
        kn_rc rc = kn_screening_answer(s, old->question, old->answer,
                                       (const char *const *)old->where, old->nwhere, err);
        if (rc != KN_OK)
            return rc;
        kn_screen_answer *carried = (kn_screen_answer *)kn_screening_find(s, old->question);
        carried->given = kn_screen_answer_given(earlier, old);
    }
    return KN_OK;
}

kn_rc kn_screen_carry_latest(kn_store *st, int64_t person, kn_screening *s, kn_err *err)
{
    kn_screening latest;
    kn_screening_init(&latest);
    bool found = false;
    kn_rc rc = kn_store_screening_latest(st, person, &latest, &found);
    if (rc != KN_OK)
        rc = kn_store_error(st, err);
    else if (found)
        rc = kn_screen_carry(s, &latest, err);
    kn_screening_clear(&latest);
    return rc;
}

kn_rc kn_screen_record(kn_store *st, kn_screening *s, kn_screen_result *out, kn_err *err)
{
    kn_clearance_list cl;
    kn_rc rc = load_clearances(st, s->person_id, &cl, err);
    if (rc != KN_OK)
        return rc;
    /* An answer of this screening comes after every clearance recorded so far, even within
     * the clock's second (or with --at in the past): a new yes raises a cleared flag again. */
    for (size_t i = 0; i < s->nanswers; i++) {
        kn_screen_answer *a = &s->answers[i];
        int64_t last = INT64_MIN;
        for (size_t k = 0; !a->given.utc && k < cl.n; k++)
            if (strcmp(cl.items[k].question, a->question) == 0 && cl.items[k].at.utc > last)
                last = cl.items[k].at.utc;
        if (!a->given.utc && last >= s->at.utc)
            a->given = (kn_instant){last + 1, s->at.offset_min};
    }
    /* The verdict stored is the one told: clearances recorded so far count. */
    rc = kn_screen_evaluate_cleared(s, cl.items, cl.n, out, err);
    if (rc != KN_OK)
        goto free_clearances;
    s->verdict = out->verdict;
    s->max_pressure = out->max_pressure ? out->max_pressure : KN_NONE;
    rc = kn_store_screening_add(st, s);
    if (rc != KN_OK)
        rc = kn_store_error(st, err);
free_clearances:
    /* out borrows the clearances: it is told only about the questions, not their records. */
    out->ncleared = 0;
    kn_clearance_list_free(&cl);
    return rc;
}

kn_rc kn_clearance_record(kn_store *st, kn_clearance *c, kn_err *err)
{
    kn_rc rc = kn_clearance_validate(c, err);
    if (rc != KN_OK)
        return rc;
    const kn_question *q = kn_question_find(c->question);
    kn_screening s;
    kn_screening_init(&s);
    kn_clearance_list cl = {0};
    bool found = false;
    if ((rc = kn_store_screening_latest(st, c->person_id, &s, &found)) != KN_OK) {
        rc = kn_store_error(st, err);
        goto clear_screening;
    }
    if ((rc = load_clearances(st, c->person_id, &cl, err)) != KN_OK)
        goto clear_screening;
    kn_screen_result r;
    if (found && (rc = kn_screen_evaluate_cleared(&s, cl.items, cl.n, &r, err)) != KN_OK)
        goto clear_screening;
    bool raised = false;
    for (size_t i = 0; found && i < r.nreasons; i++)
        raised = raised || r.reasons[i] == q;
    /* Cleared already: a newer clearance may change its cap. */
    for (size_t i = 0; found && i < r.ncleared; i++)
        raised = raised || r.cleared[i] == q;
    if (!raised) {
        rc = kn_err_set(err, KN_EREFUSED,
                        "clearance: the latest screening does not raise \"%s\": nothing to "
                        "clear",
                        q->text);
        goto clear_screening;
    }
    if ((rc = kn_store_clearance_add(st, c)) != KN_OK)
        rc = kn_store_error(st, err);
clear_screening:
    kn_clearance_list_free(&cl);
    kn_screening_clear(&s);
    return rc;
}

/* The questions of the reasons at or above `level` into buf, as people read them (never
 * their ids): "Did a severe headache come on suddenly...? Do you have a fever...?". What
 * does not fit is counted, with where to see it. */
static void reason_texts(const kn_screen_result *r, kn_verdict level, char *buf, size_t cap)
{
    size_t len = 0, left = 0;
    buf[0] = 0;
    for (size_t i = 0; i < r->nreasons; i++) {
        if (verdict_of(r->reasons[i]->outcome) < level)
            continue;
        const char *text = r->reasons[i]->text;
        /* room kept for the count of the rest */
        if (left || len + strlen(text) + 2 + 40 >= cap) {
            left++;
            continue;
        }
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? " " : "", text);
    }
    if (left)
        snprintf(buf + len, cap - len, "%s(and %zu more in the screening)", len ? " " : "", left);
}

static void gate_message(kn_gate *g, const kn_screen_result *r)
{
    char date[KN_DATE_LEN];
    kn_date_format(kn_instant_day(g->at), date);
    char texts[520];
    reason_texts(r, g->verdict == KN_VERDICT_CLEAR ? KN_VERDICT_CAUTION : g->verdict, texts,
                 sizeof texts);
    const char *ask = *texts ? " Ask first: " : "";
    switch (g->verdict) {
    case KN_VERDICT_EMERGENCY:
        snprintf(g->message, sizeof g->message,
                 "EMERGENCY (screening of %s): seek medical care now. No massage until a "
                 "physician has seen this person; what follows is information only.%s%s",
                 date, ask, texts);
        return;
    case KN_VERDICT_REFER:
        snprintf(g->message, sizeof g->message,
                 "SEE A PHYSICIAN FIRST (screening of %s): see a physician before massage. "
                 "What follows is for that conversation, not for self-treatment.%s%s",
                 date, ask, texts);
        return;
    case KN_VERDICT_CAUTION: {
        char limits[200] = "";
        if (r->max_pressure)
            snprintf(limits, sizeof limits, "; pressure at most %d of 10", r->max_pressure);
        int navoid = kn_regionset_count(&r->avoid);
        if (navoid || r->nunplaced)
            snprintf(limits + strlen(limits), sizeof limits - strlen(limits),
                     "; %d region%s to avoid%s", navoid, navoid == 1 ? "" : "s",
                     r->nunplaced ? " and an area not yet located" : "");
        snprintf(g->message, sizeof g->message, "Screening of %s: caution%s.%s%s", date, limits,
                 *texts ? " Answered yes: " : "", texts);
        return;
    }
    case KN_VERDICT_CLEAR:
        break;
    }
    snprintf(g->message, sizeof g->message,
             "Screening of %s: no red flag or contraindication reported.", date);
}

kn_rc kn_care_gate(kn_store *st, int64_t person, kn_gate *out, kn_err *err)
{
    memset(out, 0, sizeof *out);
    kn_screening s;
    kn_screening_init(&s);
    kn_clearance_list cl = {0};
    bool found = false;
    kn_rc rc = kn_store_screening_latest(st, person, &s, &found);
    if (rc != KN_OK) {
        rc = kn_store_error(st, err);
        goto clear_screening;
    }
    if (!found) {
        snprintf(out->message, sizeof out->message,
                 "No red-flag screening on record yet: screen before massage.");
        goto clear_screening;
    }
    if ((rc = load_clearances(st, person, &cl, err)) != KN_OK)
        goto clear_screening;
    kn_screen_result r;
    rc = kn_screen_evaluate_cleared(&s, cl.items, cl.n, &r, err);
    if (rc != KN_OK)
        goto clear_screening;
    out->screened = true;
    out->at = s.at;
    /* The stored verdict stands even if the tables changed since: it is what was told.
     * Clearances recorded since are the exception: they are why it is worked out again. */
    if (cl.n) {
        out->verdict = r.verdict;
        out->max_pressure = r.max_pressure;
    } else {
        out->verdict = s.verdict;
        out->max_pressure = s.max_pressure == KN_NONE ? 0 : s.max_pressure;
    }
    out->blocking = out->verdict >= KN_VERDICT_REFER;
    out->cleared = r.ncleared;
    out->avoid = r.avoid;
    r.max_pressure = out->max_pressure;
    gate_message(out, &r);
    if (r.ncleared) {
        size_t len = strlen(out->message);
        snprintf(out->message + len, sizeof out->message - len,
                 " %zu red flag%s cleared by a clinician (shown with the screening).", r.ncleared,
                 r.ncleared == 1 ? "" : "s");
    }
clear_screening:
    kn_clearance_list_free(&cl);
    kn_screening_clear(&s);
    return rc;
}
