/* Care before massage: screening for red flags and contraindications (the verdict, stored
 * with the person and dated), the gate that puts a serious verdict in front of every guide
 * and ranking for that person, and the pain map of a person's recent diary. */
#ifndef KNEAD_CARE_H
#define KNEAD_CARE_H

#include <stdbool.h>
#include <stddef.h>

#include "knead/atlas.h"
#include "knead/error.h"
#include "knead/store.h"

#define KN_SCREEN_QUESTIONS_MAX 96

typedef struct kn_screen_result {
    kn_verdict verdict; /* the most serious outcome answered; clear when none */
    /* The questions whose answer triggered them, most serious outcome first, table order
     * within an outcome. */
    const kn_question *reasons[KN_SCREEN_QUESTIONS_MAX];
    kn_instant given[KN_SCREEN_QUESTIONS_MAX]; /* when each reason's answer was given */
    size_t nreasons;
    /* Triggered questions that a clearance recorded since the answer lifts, with it. */
    const kn_question *cleared[KN_SCREEN_QUESTIONS_MAX];
    const kn_clearance *clearance[KN_SCREEN_QUESTIONS_MAX];
    size_t ncleared;
    kn_regionset avoid; /* sided regions to keep off (both sides unless the answer said) */
    /* Avoid questions answered yes without saying where: the area is not known. */
    const kn_question *unplaced[KN_SCREEN_QUESTIONS_MAX];
    size_t nunplaced;
    int max_pressure; /* the lowest cap on the spoken 1-10 scale, or 0 = no cap */
    const kn_question *unanswered[KN_SCREEN_QUESTIONS_MAX]; /* skipped or never asked */
    size_t nunanswered;
} kn_screen_result;

/* Works out the verdict of s's answers. Answers to unknown questions are refused. */
kn_rc kn_screen_evaluate(const kn_screening *s, kn_screen_result *out, kn_err *err);
/* The same with the person's clearances (c, n; borrowed by out): a triggered question with a
 * clearance recorded at or after its answer was given is lifted (out->cleared), and that
 * clearance's cap, if any, counts instead. A later yes to it raises it again. */
kn_rc kn_screen_evaluate_cleared(const kn_screening *s, const kn_clearance *c, size_t n,
                                 kn_screen_result *out, kn_err *err);
/* Records a clearance of c->question for c->person_id at c->at, inside the caller's
 * transaction. Refused (KN_EREFUSED) when the person's latest screening does not raise that
 * question. */
kn_rc kn_clearance_record(kn_store *st, kn_clearance *c, kn_err *err);

/* Evaluates s, sets its verdict and pressure cap, and adds it to the store for
 * s->person_id at s->at, inside the caller's transaction (kn_store_begin). Earlier
 * screenings stay: the latest one counts. */
kn_rc kn_screen_record(kn_store *st, kn_screening *s, kn_screen_result *out, kn_err *err);

/* How many questions s answers yes or no (a skipped question is no answer). */
size_t kn_screening_answered(const kn_screening *s);
/* When answer a of s was given: its own date when carried over, else the screening's. */
kn_instant kn_screen_answer_given(const kn_screening *s, const kn_screen_answer *a);
/* Carries earlier's yes and no answers over into s for every question s leaves unanswered
 * (missing or skipped), each with the date it was given: silence never lifts a red flag, only
 * an explicit answer replaces an earlier one. */
kn_rc kn_screen_carry(kn_screening *s, const kn_screening *earlier, kn_err *err);
/* kn_screen_carry from the person's latest stored screening, if any. */
kn_rc kn_screen_carry_latest(kn_store *st, int64_t person, kn_screening *s, kn_err *err);

/* One-line advice for a verdict ("See a physician before massage."). */
const char *kn_verdict_advice(kn_verdict v);

#define KN_GATE_MESSAGE_MAX 800

/* What a guide, ranking or plan for a person must say first. */
typedef struct kn_gate {
    bool screened;                     /* the person has a screening on record */
    kn_verdict verdict;                /* of the latest screening (clear when none) */
    kn_instant at;                     /* when it was made */
    bool blocking;                     /* emergency or refer: message goes before anything else */
    int max_pressure;                  /* of the latest screening, or 0 = no cap */
    size_t cleared;                    /* red flags of it lifted by clearances */
    kn_regionset avoid;                /* regions to keep off, from the latest screening */
    char message[KN_GATE_MESSAGE_MAX]; /* never empty */
} kn_gate;

/* The gate for person from their latest screening. */
kn_rc kn_care_gate(kn_store *st, int64_t person, kn_gate *out, kn_err *err);

/* The pain map of person's diary over the `days` days ending on `today`: every region
 * that hurt, with its days with pain (a daily worst above 0), intensity the mean of its daily
 * worst on those days, and a weight for both (kn_painmap_add_days: its burden over 10 x days).
 * *entries is the number of pain entries read. */
kn_rc kn_care_painmap(kn_store *st, int64_t person, kn_day today, int days, kn_painmap *out,
                      size_t *entries, kn_err *err);
/* The same, with each region's pain burden: the sum of its daily worst over the window
 * (recent intensity x days). */
kn_rc kn_care_painmap_burden(kn_store *st, int64_t person, kn_day today, int days, kn_painmap *out,
                             int burden[KN_SIDED_MAX], size_t *entries, kn_err *err);

/* How many days each sided region of person is known to have hurt by today (-1: unknown): the
 * span of its painful days in the diary, or the days since the onset the latest intake gave,
 * whichever is longer (docs/RANKING.md "course"). */
kn_rc kn_care_pain_durations(kn_store *st, int64_t person, kn_day today, int duration[KN_SIDED_MAX],
                             kn_err *err);

/* ---- intake (docs/CARE.md): what a person tells their therapist before the first session.
 * Dated and versioned; a changed answer makes a new version. Absent answers stay absent
 * (KN_NONE, NULL, empty lists). */
typedef struct kn_intake_answers {
    char *goals;
    char **conditions; /* diagnosed conditions, free words */
    size_t nconditions;
    char **medications;
    size_t nmedications;
    int recent_injury; /* 1 yes, 0 no, KN_NONE not answered */
    kn_regionset injury_regions;
    int recent_surgery;
    kn_regionset surgery_regions;
    int pregnant;
    int clots; /* a history of blood clots */
    char **skin_conditions;
    size_t nskin_conditions;
    kn_regionset skin_regions;
    char **allergies; /* oils, lotions */
    size_t nallergies;
    kn_regionset avoid;                   /* regions the person asks to leave out */
    int pressure;                         /* preferred overall, 1-10, or KN_NONE */
    int pressure_by_region[KN_SIDED_MAX]; /* 1-10, 0 = none given */
    char *notes;                          /* what they want the therapist to know */
    char *screening; /* further red-flag answers as JSON text (knead screen --answers form) */
    /* When each painful region's pain began, as said ("2 years", "2024-03", "since 2019");
     * NULL = not given. onset is that answer resolved on the day of the intake (the day is
     * KN_DAY_ANY until the intake is recorded or read back from the store). */
    char *pain_since[KN_SIDED_MAX];
    kn_onset onset[KN_SIDED_MAX];
} kn_intake_answers;

void kn_intake_answers_init(kn_intake_answers *a);
void kn_intake_answers_clear(kn_intake_answers *a);
/* Parses an answers document (keys in docs/CARE.md); unknown keys and bad values are refused
 * with the key named. */
kn_rc kn_intake_parse(const char *json_text, kn_intake_answers *out, kn_err *err);
/* The canonical JSON text of the answers (the stored form; equal answers give equal text).
 * The caller frees it. */
kn_rc kn_intake_to_json(const kn_intake_answers *a, char **out, kn_err *err);
/* Resolves the pain_since answers to onset days as said on day (kn_intake_record does it on the
 * day of the intake). */
kn_rc kn_intake_resolve_onsets(kn_intake_answers *a, kn_day day, kn_err *err);
/* The screening answers an intake implies (blood thinners from the medications, clots,
 * pregnancy, injury, surgery, skin, allergies) plus its own "screening" answers. */
kn_rc kn_intake_screening(const kn_intake_answers *a, kn_screening *s, kn_err *err);

typedef struct kn_intake_result {
    int version;  /* the person's current intake version */
    bool changed; /* false: the same answers as the latest version, nothing stored */
    int64_t intake_id;
    kn_screen_result screen; /* the screening it ran */
    int64_t screening_id;
} kn_intake_result;

/* Records the intake for person at `at` inside the caller's transaction: a new version when
 * the answers differ from the latest, with the screening they imply stored beside it. */
kn_rc kn_intake_record(kn_store *st, int64_t person, kn_instant at, const kn_intake_answers *a,
                       kn_intake_result *out, kn_err *err);
/* The person's latest intake answers; *found false when there is none. */
kn_rc kn_intake_latest(kn_store *st, int64_t person, kn_intake_answers *out, int *version,
                       bool *found, kn_err *err);

/* The therapist --therapist names (field names it in errors): an id on record, or a name
 * that is exactly one therapist's, whatever the case and surrounding space. An unknown id
 * or name is KN_ENOTFOUND, a name several therapists share KN_EREFUSED; both messages list
 * the candidates (ids and names). */
kn_rc kn_therapist_resolve(kn_store *st, const char *given, const char *field, int64_t *id,
                           kn_err *err);

/* ---- matching therapists to a person (docs/CARE.md) ---- */
#define KN_MATCH_REASONS_MAX 600

typedef struct kn_therapist_match {
    const kn_therapist *therapist; /* borrowed from the list given */
    double score;
    bool licensed;
    char reasons[KN_MATCH_REASONS_MAX];
} kn_therapist_match;

/* Ranks the therapists for person: their specialties against the conditions the person's
 * pain map of the `days` days ending on today resembles (and those the intake names), the
 * muscles ranked for it and the techniques a plan uses; licensed therapists first, then by
 * score. out has room for therapists->n. */
kn_rc kn_therapist_match_rank(kn_store *st, int64_t person, kn_day today, int days,
                              const kn_therapist_list *therapists, kn_therapist_match *out,
                              kn_err *err);

/* ---- session plans (docs/CARE.md) ---- */
#define KN_PLAN_FOCUS_MAX 6
#define KN_PLAN_MINUTES_MIN 15
#define KN_PLAN_MINUTES_MAX 240
#define KN_PRESSURE_DEFAULT 5     /* moderate, when nothing says otherwise */
#define KN_DISCOMFORT_TOLERATED 7 /* feedback up to this counts as tolerated */
#define KN_DISCOMFORT_EASE_OFF 8  /* from this on: ease off now, and one step less next time */
#define KN_DISCOMFORT_EASY 4      /* up to this at a pressure: the next may be one step firmer */

/* What the latest recent session that treated a region showed of pressure (pressure 0 where
 * no such session gave discomfort feedback for the region). When some pressure there brought
 * discomfort KN_DISCOMFORT_EASE_OFF or more, the lowest such pressure; otherwise the highest
 * pressure with feedback; discomfort is the highest reported at that pressure. */
typedef struct kn_pressure_seen {
    int pressure;   /* 1-10, 0 = nothing to learn from */
    int discomfort; /* 0-10 */
    kn_day day;     /* of the session */
} kn_pressure_seen;

/* The pressure to plan for one region from the client's stated preference (1-10, 0 = none),
 * what the latest session showed (seen, NULL or pressure 0 = nothing) and the screening cap
 * (1-10, 0 = none), with the reason in words for the therapist (docs/CARE.md "Pressure"):
 * discomfort KN_DISCOMFORT_EASE_OFF or more at P gives P-1; discomfort KN_DISCOMFORT_EASY or
 * less at P with a stated preference above P gives P+1; otherwise P; the stated preference
 * when lower; never above the cap, never below 1. Pure. */
int kn_pressure_learn(int preference, const kn_pressure_seen *seen, int cap, char *reason,
                      size_t reason_cap);

/* What a plan is made from; kn_plan_gather fills it from the store. Pressures are 1-10, 0
 * where nothing is known. */
typedef struct kn_plan_input {
    int minutes;
    int days;                 /* the window the pain map covers */
    kn_painmap map;           /* the recent pain map */
    kn_ranking ranking;       /* of map */
    int burden[KN_SIDED_MAX]; /* the sum of the daily worst over the window, per region */
    kn_regionset chronic;     /* regions whose pain is chronic (docs/INSIGHTS.md) */
    int flares;               /* flares in the window */
    kn_regionset avoid;       /* from the latest screening and intake */
    int max_pressure;         /* the screening cap, 0 = none */
    int pressure_pref;        /* the person's overall preference */
    int pressure_pref_region[KN_SIDED_MAX];
    kn_pressure_seen seen[KN_SIDED_MAX]; /* per region, from the latest sessions */
} kn_plan_input;

/* Makes the plan from its inputs: deterministic, every block explained, the minutes adding
 * up to in->minutes. KN_EINVAL when the map gives nothing to aim at. */
kn_rc kn_plan_make(const kn_plan_input *in, kn_plan *out, kn_err *err);

/* How a plan made earlier changes under the current screening (kn_plan_clamp). */
typedef enum kn_plan_change_kind {
    KN_CHANGE_PRESSURE, /* its pressure lowered to the cap */
    KN_CHANGE_REGIONS,  /* some of its regions are avoid zones now: left out */
    KN_CHANGE_DROPPED,  /* not to be done */
} kn_plan_change_kind;

#define KN_PLAN_CHANGE_WHY_MAX 400
#define KN_PLAN_CHANGES_MAX (3 * KN_PLAN_BLOCKS_MAX)

typedef struct kn_plan_change {
    size_t block; /* its index in the plan as stored */
    kn_plan_change_kind kind;
    int from, to;         /* pressures (KN_CHANGE_PRESSURE) */
    kn_regionset regions; /* the regions left out (KN_CHANGE_REGIONS, KN_CHANGE_DROPPED) */
    char why[KN_PLAN_CHANGE_WHY_MAX];
} kn_plan_change;

/* The plan as the current gate allows it: every block's pressure at most the gate's cap,
 * avoid zones taken out of its regions, and a block left with no region, or any block while
 * the gate blocks (emergency or refer), dropped. out gets the remaining blocks in order,
 * changes (room for KN_PLAN_CHANGES_MAX) says what changed and why. Pure. */
void kn_plan_clamp(const kn_plan *plan, const kn_gate *gate, kn_plan *out, kn_plan_change *changes,
                   size_t *nchanges);

#define KN_RECENT_SESSIONS 5 /* a region untreated in this many latest sessions: start afresh */
#define KN_RECENT_SESSION_DAYS 180

/* Gathers the inputs for person from the store: the pain map and burden of the `days` days
 * ending on today, chronic regions and flares (insights), the latest screening and intake,
 * and what recent sessions showed of pressure per region. */
kn_rc kn_plan_gather(kn_store *st, int64_t person, kn_day today, int days, int minutes,
                     kn_plan_input *out, kn_err *err);
/* Per region, what the latest session that treated it with discomfort feedback showed
 * (kn_pressure_seen), among the person's latest KN_RECENT_SESSIONS sessions of the
 * KN_RECENT_SESSION_DAYS days up to today. */
kn_rc kn_care_pressure_seen(kn_store *st, int64_t person, kn_day today,
                            kn_pressure_seen seen[KN_SIDED_MAX], kn_err *err);
/* Checks the gate (an emergency or refer verdict refuses with KN_EREFUSED and its message)
 * and makes the plan; with save it is stored (sets out->id) inside the caller's write
 * transaction, without it is a preview that writes nothing (out->id 0). gate is filled
 * either way. */
kn_rc kn_plan_build(kn_store *st, int64_t person, int64_t therapist, kn_instant at, int days,
                    int minutes, bool save, kn_plan *out, kn_gate *gate, kn_err *err);

/* ---- live sessions: start, feedback, finish with a SOAP note, sign, amend ---- */
typedef struct kn_note_fields {
    const char *subjective, *objective, *assessment, *plan; /* NULL = not given */
} kn_note_fields;

/* Starts a live session for person at `at` (plan and therapist 0 = none); refused
 * (KN_EREFUSED) while the latest screening says emergency or refer, or while another session
 * of the person is open. Sets *id. */
kn_rc kn_live_start(kn_store *st, int64_t person, int64_t plan, int64_t therapist, kn_instant at,
                    int pre_pain, int64_t *id, kn_err *err);
/* Records one feedback event of an open session. Refused (KN_EREFUSED, the reason in err)
 * when the pressure is above the screening cap or the region is an avoid zone; *ease_off is
 * set when the discomfort is KN_DISCOMFORT_EASE_OFF or more (the event is kept, marked). */
kn_rc kn_live_feedback(kn_store *st, kn_session_event *e, bool *ease_off, kn_err *err);
/* Closes an open session at `at`: the diary record gets its minutes (from start to finish, or
 * minutes when > 0), the regions and pressures with the discomfort reported (from the events),
 * the plan's techniques and the pain after; the SOAP note's first version is written with the
 * events filled in. */
kn_rc kn_live_finish(kn_store *st, int64_t id, kn_instant at, int minutes, int post_pain,
                     const kn_note_fields *f, kn_err *err);
/* Edits the note of a finished session in place; refused once it is signed. A new objective
 * is the therapist's text followed by the generated record of what was done. */
kn_rc kn_live_note_edit(kn_store *st, int64_t id, kn_instant at, const kn_note_fields *f,
                        kn_err *err);
/* Signs a finished session at `at` (the clock's time: a signature is never back-dated) as
 * therapist, who must exist. */
kn_rc kn_live_sign(kn_store *st, int64_t id, kn_instant at, int64_t therapist, kn_err *err);
/* Adds an amendment (a new note version with its reason, written by therapist, who must
 * exist) to a signed session. A new objective keeps the generated treatment record. */
kn_rc kn_live_amend(kn_store *st, int64_t id, kn_instant at, int64_t therapist, const char *reason,
                    const kn_note_fields *f, kn_err *err);
/* Abandons an open session: it is kept, marked cancelled, and left out of analysis. */
kn_rc kn_live_cancel(kn_store *st, int64_t id, kn_err *err);

#endif
