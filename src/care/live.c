/* Live sessions: started against the screening gate, fed by timestamped pressure and
 * discomfort feedback (refused over the pressure cap or on an avoid zone, flagged at
 * discomfort 8 and over), finished into a diary record and a SOAP note filled in from the
 * events, signed, and after that changed only by amendments that keep every version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "knead/care.h"

#define NOTE_CAP 8000

static kn_rc store_err(kn_store *st, kn_err *err)
{
    return kn_store_error(st, err);
}

static kn_rc live_get(kn_store *st, int64_t id, kn_live_session *out, kn_err *err)
{
    if (kn_store_live_get(st, id, out) != KN_OK)
        return store_err(st, err);
    if (out->state == KN_SESSION_RECORDED)
        return kn_err_set(err, KN_EREFUSED,
                          "session %lld: was added after the fact (session add), not run live",
                          (long long)id);
    return KN_OK;
}

kn_rc kn_live_start(kn_store *st, int64_t person, int64_t plan, int64_t therapist, kn_instant at,
                    int pre_pain, int64_t *id, kn_err *err)
{
    kn_gate gate;
    kn_rc rc = kn_care_gate(st, person, &gate, err);
    if (rc != KN_OK)
        return rc;
    if (gate.blocking)
        return kn_err_set(err, KN_EREFUSED, "no session: %s", gate.message);
    int64_t open = 0;
    if (kn_store_live_open(st, person, &open) != KN_OK)
        return store_err(st, err);
    if (open)
        return kn_err_about(err, KN_EREFUSED, "open_session",
                            "session %lld is still open for this person: finish it or cancel it "
                            "first",
                            (long long)open);
    kn_session s;
    kn_session_init(&s);
    kn_therapist t;
    kn_therapist_init(&t);
    if (plan) {
        kn_plan p;
        if (kn_store_plan_get(st, plan, &p) != KN_OK) {
            rc = store_err(st, err);
            goto clear_all;
        }
        if (p.person_id != person) {
            rc = kn_err_field(err, KN_EREFUSED, "plan", "plan %lld: is another person's plan",
                              (long long)plan);
            goto clear_all;
        }
    }
    if (therapist && kn_store_therapist_get(st, therapist, &t) != KN_OK) {
        rc = store_err(st, err);
        goto clear_all;
    }
    s.person_id = person;
    s.at = at;
    s.day = kn_instant_day(at);
    s.minutes = 1; /* until it is finished */
    s.pre_pain = pre_pain;
    s.therapist = kn_strdup(therapist ? t.name : KN_THERAPIST_NOT_RECORDED);
    if (!s.therapist) {
        rc = kn_err_set(err, KN_ENOMEM, "out of memory");
        goto clear_all;
    }
    if (kn_store_live_start(st, &s, plan, therapist) != KN_OK) {
        rc = store_err(st, err);
        goto clear_all;
    }
    *id = s.id;
clear_all:
    kn_therapist_clear(&t);
    kn_session_clear(&s);
    return rc;
}

kn_rc kn_live_feedback(kn_store *st, kn_session_event *e, bool *ease_off, kn_err *err)
{
    *ease_off = false;
    kn_live_session live;
    kn_rc rc = live_get(st, e->session_id, &live, err);
    if (rc != KN_OK)
        return rc;
    if (live.state != KN_SESSION_OPEN)
        return kn_err_set(err, KN_EREFUSED, "session %lld: is %s; feedback goes to open sessions",
                          (long long)e->session_id, kn_session_state_name(live.state));
    if (e->at.utc < live.started.utc) {
        char at[KN_INSTANT_LEN], started[KN_INSTANT_LEN];
        kn_instant_format(e->at, at);
        kn_instant_format(live.started, started);
        return kn_err_field(err, KN_EREFUSED, "at",
                            "at %s: before session %lld started (%s); feedback belongs to the "
                            "session's own time",
                            at, (long long)e->session_id, started);
    }
    int region = kn_sided_find(e->region);
    if (region < 0)
        return kn_sided_parse(e->region, "region", &region, err);
    kn_gate gate;
    if ((rc = kn_care_gate(st, live.person_id, &gate, err)) != KN_OK)
        return rc;
    kn_intake_answers intake;
    int version;
    bool found;
    if ((rc = kn_intake_latest(st, live.person_id, &intake, &version, &found, err)) != KN_OK)
        return rc;
    bool intake_avoid = found && kn_regionset_has(&intake.avoid, region);
    kn_intake_answers_clear(&intake);
    if (kn_regionset_has(&gate.avoid, region) || intake_avoid)
        return kn_err_field(err, KN_EREFUSED, "region",
                            "region %s: is an avoid zone (%s): no work there; move on", e->region,
                            intake_avoid ? "the person's intake" : "the screening");
    if (gate.max_pressure && e->pressure > gate.max_pressure)
        return kn_err_field(err, KN_EREFUSED, "pressure",
                            "pressure %d: above the screening cap of %d: work at %d or less",
                            e->pressure, gate.max_pressure, gate.max_pressure);
    e->warned = e->discomfort != KN_NONE && e->discomfort >= KN_DISCOMFORT_EASE_OFF;
    if (kn_store_event_add(st, e) != KN_OK)
        return store_err(st, err);
    *ease_off = e->warned;
    return KN_OK;
}

/* The events as work items: one per region and pressure used, in the order first used, with
 * the highest discomfort reported at that pressure. */
static kn_rc events_to_work(const kn_event_list *ev, kn_session *s, kn_err *err)
{
    for (size_t i = 0; i < ev->n; i++) {
        const kn_session_event *e = &ev->items[i];
        kn_work *same = NULL;
        for (size_t k = 0; k < s->nwork; k++)
            if (strcmp(s->work[k].region, e->region) == 0 && s->work[k].pressure == e->pressure)
                same = &s->work[k];
        if (same) {
            if (e->discomfort != KN_NONE &&
                (same->discomfort == KN_NONE || e->discomfort > same->discomfort))
                same->discomfort = e->discomfort;
            continue;
        }
        kn_work w = {.pressure = e->pressure, .discomfort = e->discomfort};
        snprintf(w.region, sizeof w.region, "%s", e->region);
        kn_rc rc = kn_session_add_work(s, &w, err);
        if (rc != KN_OK)
            return rc;
    }
    return KN_OK;
}

/* The treatment and response the events show, in words, for the note's objective part:
 * "Treatment: 58 min; Back of neck (right) pressure 7 (discomfort 9), 5 (discomfort 4); ...",
 * the regions by name (a note is read by people). */
static kn_rc events_text(const kn_session *s, const kn_event_list *ev, kn_buf *b)
{
    kn_rc rc = kn_buf_printf(b, "Treatment: %d min", s->minutes);
    char name[KN_LABEL_MAX];
    for (size_t i = 0; i < s->nwork && rc == KN_OK; i++) {
        bool same_region = i > 0 && strcmp(s->work[i].region, s->work[i - 1].region) == 0;
        if (same_region)
            rc = kn_buf_printf(b, ", %d", s->work[i].pressure);
        else
            rc = kn_buf_printf(b, "; %s pressure %d",
                               kn_name_region(s->work[i].region, name, sizeof name),
                               s->work[i].pressure);
        if (rc == KN_OK && s->work[i].discomfort != KN_NONE)
            rc = kn_buf_printf(b, " (discomfort %d)", s->work[i].discomfort);
    }
    const char *lead = ". Response:";
    for (size_t i = 0; i < ev->n && rc == KN_OK; i++) {
        const kn_session_event *e = &ev->items[i];
        if (e->warned)
            rc = kn_buf_printf(b, "%s discomfort %d at %s pressure %d, eased off", lead,
                               e->discomfort, kn_name_region(e->region, name, sizeof name),
                               e->pressure);
        if (rc == KN_OK && e->guarding)
            rc = kn_buf_printf(b, "%s guarding at %s", e->warned ? ";" : lead,
                               kn_name_region(e->region, name, sizeof name));
        if (e->warned || e->guarding)
            lead = ";";
    }
    if (rc == KN_OK && (s->pre_pain != KN_NONE || s->post_pain != KN_NONE)) {
        char pre[8] = "?", post[8] = "?";
        if (s->pre_pain != KN_NONE)
            snprintf(pre, sizeof pre, "%d", s->pre_pain);
        if (s->post_pain != KN_NONE)
            snprintf(post, sizeof post, "%d", s->post_pain);
        rc = kn_buf_printf(b, ". Pain %s/10 before, %s/10 after", pre, post);
    }
    if (rc == KN_OK)
        rc = kn_buf_puts(b, ".");
    return rc;
}

static kn_rc add_plan_techniques(kn_store *st, int64_t plan, kn_session *s, kn_err *err)
{
    kn_plan p;
    if (kn_store_plan_get(st, plan, &p) != KN_OK)
        return store_err(st, err);
    for (size_t i = 0; i < p.nblocks; i++) {
        bool have = false;
        for (size_t k = 0; k < s->ntechniques; k++)
            have |= strcmp(s->techniques[k], p.blocks[i].technique) == 0;
        kn_rc rc = have ? KN_OK : kn_session_add_technique(s, p.blocks[i].technique, err);
        if (rc != KN_OK)
            return rc;
    }
    return KN_OK;
}

static char *dup_or_null(const char *s)
{
    return s && *s ? kn_strdup(s) : NULL;
}

kn_rc kn_live_finish(kn_store *st, int64_t id, kn_instant at, int minutes, int post_pain,
                     const kn_note_fields *f, kn_err *err)
{
    kn_live_session live;
    kn_rc rc = live_get(st, id, &live, err);
    if (rc != KN_OK)
        return rc;
    if (live.state != KN_SESSION_OPEN)
        return kn_err_set(err, KN_EREFUSED,
                          "session %lld: is already %s (edit its note before signing, amend "
                          "it after)",
                          (long long)id, kn_session_state_name(live.state));
    if (at.utc < live.started.utc) {
        char when[KN_INSTANT_LEN], started[KN_INSTANT_LEN];
        kn_instant_format(at, when);
        kn_instant_format(live.started, started);
        return kn_err_field(err, KN_EREFUSED, "at", "at %s: before session %lld started (%s)", when,
                            (long long)id, started);
    }
    kn_session s;
    kn_event_list ev = {0};
    kn_session_note note = {0};
    kn_buf objective;
    kn_buf_init(&objective, NOTE_CAP);
    if (kn_store_session_get(st, id, &s) != KN_OK)
        return store_err(st, err);
    if (kn_store_event_list(st, id, &ev) != KN_OK) {
        rc = store_err(st, err);
        goto free_all;
    }
    if (ev.n == 0) {
        rc = kn_err_set(err, KN_EREFUSED,
                        "session %lld: no feedback recorded; record the feedback on the "
                        "regions worked first",
                        (long long)id);
        goto free_all;
    }
    for (size_t i = 0; i < ev.n; i++) {
        if (ev.items[i].at.utc <= at.utc)
            continue;
        char when[KN_INSTANT_LEN], last[KN_INSTANT_LEN];
        kn_instant_format(at, when);
        kn_instant_format(ev.items[i].at, last);
        rc = kn_err_field(err, KN_EREFUSED, "at",
                          "at %s: before feedback recorded at %s; a session ends after its "
                          "feedback",
                          when, last);
        goto free_all;
    }
    if ((rc = events_to_work(&ev, &s, err)) != KN_OK)
        goto free_all;
    if (live.plan_id && (rc = add_plan_techniques(st, live.plan_id, &s, err)) != KN_OK)
        goto free_all;
    int64_t elapsed = (at.utc - live.started.utc + 30) / 60;
    s.minutes = minutes > 0 ? minutes : (int)(elapsed < 1 ? 1 : elapsed > 600 ? 600 : elapsed);
    s.post_pain = post_pain;
    if (f->objective)
        rc = kn_buf_printf(&objective, "%s\n", f->objective);
    if (rc == KN_OK)
        rc = events_text(&s, &ev, &objective);
    if (rc != KN_OK) {
        rc = kn_err_set(err, rc, "the note is too long");
        goto free_all;
    }
    if (kn_store_live_finish(st, &s, at) != KN_OK) {
        rc = store_err(st, err);
        goto free_all;
    }
    note.session_id = id;
    note.at = at;
    note.therapist_id = live.therapist_id;
    note.subjective = dup_or_null(f->subjective);
    note.objective = kn_buf_dup(&objective);
    note.assessment = dup_or_null(f->assessment);
    note.plan = dup_or_null(f->plan);
    if (kn_store_note_add(st, &note) != KN_OK)
        rc = store_err(st, err);
free_all:
    kn_buf_free(&objective);
    kn_session_note_clear(&note);
    kn_event_list_free(&ev);
    kn_session_clear(&s);
    return rc;
}

/* The objective a therapist's text makes: the text, then the record generated from what was
 * done (the session's work and the events), which an edit must never lose. */
static kn_rc objective_with_record(kn_store *st, int64_t id, const char *text, char **out,
                                   kn_err *err)
{
    kn_session s;
    kn_event_list ev = {0};
    kn_buf b;
    kn_buf_init(&b, NOTE_CAP);
    kn_rc rc = KN_OK;
    if (kn_store_session_get(st, id, &s) != KN_OK)
        return store_err(st, err);
    if (kn_store_event_list(st, id, &ev) != KN_OK) {
        rc = store_err(st, err);
        goto free_all;
    }
    if (*text)
        rc = kn_buf_printf(&b, "%s\n", text);
    if (rc == KN_OK)
        rc = events_text(&s, &ev, &b);
    if (rc != KN_OK) {
        rc = kn_err_field(err, rc, "objective", "objective: the note is too long");
        goto free_all;
    }
    *out = kn_buf_dup(&b);
    if (!*out)
        rc = kn_err_set(err, KN_ENOMEM, "out of memory");
free_all:
    kn_buf_free(&b);
    kn_event_list_free(&ev);
    kn_session_clear(&s);
    return rc;
}

/* Copies the given fields over the note's. */
static kn_rc apply_fields(kn_store *st, kn_session_note *n, const kn_note_fields *f, kn_err *err)
{
    const char *given[] = {f->subjective, f->objective, f->assessment, f->plan};
    char **into[] = {&n->subjective, &n->objective, &n->assessment, &n->plan};
    for (size_t i = 0; i < 4; i++) {
        if (!given[i])
            continue;
        if (into[i] == &n->objective) {
            char *objective = NULL;
            kn_rc rc = objective_with_record(st, n->session_id, given[i], &objective, err);
            if (rc != KN_OK)
                return rc;
            free(n->objective);
            n->objective = objective;
            continue;
        }
        free(*into[i]);
        *into[i] = dup_or_null(given[i]);
        if (given[i][0] && !*into[i])
            return kn_err_set(err, KN_ENOMEM, "out of memory");
    }
    return KN_OK;
}

static bool no_fields(const kn_note_fields *f)
{
    return !f->subjective && !f->objective && !f->assessment && !f->plan;
}

/* The latest note version of a session in *latest (moved out of the list). */
static kn_rc latest_note(kn_store *st, int64_t id, kn_session_note *latest, kn_err *err)
{
    kn_note_list notes;
    if (kn_store_note_list(st, id, &notes) != KN_OK)
        return store_err(st, err);
    kn_rc rc = KN_OK;
    if (notes.n == 0) {
        rc = kn_err_set(err, KN_ENOTFOUND, "session %lld: has no note yet", (long long)id);
    } else {
        *latest = notes.items[notes.n - 1];
        notes.n--;
    }
    kn_note_list_free(&notes);
    return rc;
}

kn_rc kn_live_note_edit(kn_store *st, int64_t id, kn_instant at, const kn_note_fields *f,
                        kn_err *err)
{
    kn_live_session live;
    kn_rc rc = live_get(st, id, &live, err);
    if (rc != KN_OK)
        return rc;
    if (live.state == KN_SESSION_SIGNED)
        return kn_err_set(err, KN_EREFUSED,
                          "session %lld: is signed and locked; change it by an amendment with "
                          "its reason",
                          (long long)id);
    if (live.state == KN_SESSION_OPEN)
        return kn_err_set(err, KN_EREFUSED, "session %lld: is open; finish it first",
                          (long long)id);
    if (no_fields(f))
        return kn_err_field(err, KN_EINVAL, "note",
                            "note: give a subjective, objective, assessment or plan text");
    kn_session_note n = {0};
    if ((rc = latest_note(st, id, &n, err)) != KN_OK)
        return rc;
    n.at = at;
    if ((rc = apply_fields(st, &n, f, err)) == KN_OK && kn_store_note_replace(st, &n) != KN_OK)
        rc = store_err(st, err);
    kn_session_note_clear(&n);
    return rc;
}

/* The therapist who signs or amends must be on record. */
static kn_rc therapist_exists(kn_store *st, int64_t therapist, kn_err *err)
{
    if (therapist <= 0)
        return kn_err_field(err, KN_EINVAL, "therapist", "therapist: say which therapist (an id)");
    kn_therapist t;
    kn_therapist_init(&t);
    kn_rc rc = kn_store_therapist_get(st, therapist, &t) == KN_OK ? KN_OK : store_err(st, err);
    kn_therapist_clear(&t);
    return rc;
}

kn_rc kn_live_sign(kn_store *st, int64_t id, kn_instant at, int64_t therapist, kn_err *err)
{
    kn_live_session live;
    kn_rc rc = live_get(st, id, &live, err);
    if (rc != KN_OK)
        return rc;
    if ((rc = therapist_exists(st, therapist, err)) != KN_OK)
        return rc;
    if (live.state != KN_SESSION_FINISHED)
        return kn_err_set(err, KN_EREFUSED,
                          "session %lld: is %s; only a finished session is "
                          "signed",
                          (long long)id, kn_session_state_name(live.state));
    if (at.utc < live.ended.utc)
        return kn_err_set(err, KN_EREFUSED, "session %lld: the clock is before the session ended",
                          (long long)id);
    if (kn_store_live_sign(st, id, at, therapist) != KN_OK)
        return store_err(st, err);
    return KN_OK;
}

kn_rc kn_live_amend(kn_store *st, int64_t id, kn_instant at, int64_t therapist, const char *reason,
                    const kn_note_fields *f, kn_err *err)
{
    kn_live_session live;
    kn_rc rc = live_get(st, id, &live, err);
    if (rc != KN_OK)
        return rc;
    if (live.state != KN_SESSION_SIGNED)
        return kn_err_set(err, KN_EREFUSED,
                          "session %lld: is %s; amendments are for signed sessions (edit its note "
                          "instead)",
                          (long long)id, kn_session_state_name(live.state));
    if (!reason || !*reason)
        return kn_err_field(err, KN_EINVAL, "reason", "reason: an amendment needs its reason");
    if (no_fields(f))
        return kn_err_field(err, KN_EINVAL, "note",
                            "note: an amendment gives a subjective, objective, assessment or "
                            "plan text");
    if ((rc = therapist_exists(st, therapist, err)) != KN_OK)
        return rc;
    if (at.utc < live.signed_at.utc)
        return kn_err_set(err, KN_EREFUSED, "session %lld: the clock is before the signature",
                          (long long)id);
    kn_session_note n = {0};
    if ((rc = latest_note(st, id, &n, err)) != KN_OK)
        return rc;
    n.at = at;
    n.therapist_id = therapist;
    free(n.reason);
    n.reason = kn_strdup(reason);
    if (!n.reason)
        rc = kn_err_set(err, KN_ENOMEM, "out of memory");
    if (rc == KN_OK)
        rc = apply_fields(st, &n, f, err);
    if (rc == KN_OK && kn_store_note_add(st, &n) != KN_OK)
        rc = store_err(st, err);
    kn_session_note_clear(&n);
    return rc;
}

kn_rc kn_live_cancel(kn_store *st, int64_t id, kn_err *err)
{
    kn_live_session live;
    kn_rc rc = live_get(st, id, &live, err);
    if (rc != KN_OK)
        return rc;
    if (live.state != KN_SESSION_OPEN)
        return kn_err_set(err, KN_EREFUSED,
                          "session %lld: is %s; only an open session is cancelled", (long long)id,
                          kn_session_state_name(live.state));
    if (kn_store_live_cancel(st, id) != KN_OK)
        return store_err(st, err);
    return KN_OK;
}
