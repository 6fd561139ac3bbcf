/* The tailored session plan: from a person's recent pain map, its trigger-point ranking,
 * pain burden, screening limits, stated pressure preferences and the pressure past feedback
 * showed they tolerate, a deterministic plan of warm-up, focus blocks and closing whose
 * minutes add up to the session length and whose every block says why (docs/CARE.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knead/care.h"
#include "knead/insight.h"

#define FOCUS_BLOCK_MIN 8   /* minutes: less is not worth a muscle */
#define FOCUS_BLOCK_ROOM 12 /* focus minutes per block, so that burden can weigh */

typedef struct focus {
    const kn_muscle *muscle;
    char side;
    kn_regionset explains; /* marked regions it explains */
    kn_regionset primary, secondary, local;
    kn_regionset work; /* its trigger-point sites on that side, less avoid zones */
    double score;
    long burden;
} focus;

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void regionset_or(kn_regionset *into, const kn_regionset *add)
{
    for (size_t i = 0; i < sizeof into->bits / sizeof into->bits[0]; i++)
        into->bits[i] |= add->bits[i];
}

static void regionset_minus(kn_regionset *from, const kn_regionset *take)
{
    for (size_t i = 0; i < sizeof from->bits / sizeof from->bits[0]; i++)
        from->bits[i] &= ~take->bits[i];
}

/* The sites of m on side ('b' = both) as sided regions. */
static kn_regionset sites_of(const kn_muscle *m, char side)
{
    kn_regionset s = {{0}};
    for (size_t i = 0; i < m->nsites; i++) {
        const kn_region *r = m->sites[i];
        if (!r->paired || side != 'b') {
            int k = kn_sided_of(r, side == 'b' ? 'l' : side);
            if (k >= 0)
                kn_regionset_add(&s, k);
            continue;
        }
        kn_regionset_add(&s, kn_sided_of(r, 'l'));
        kn_regionset_add(&s, kn_sided_of(r, 'r'));
    }
    return s;
}

static const kn_candidate *find_candidate(const kn_ranking *r, const kn_muscle *m, char side)
{
    for (size_t i = 0; i < r->ntop; i++)
        if (r->top[i].muscle == m && r->top[i].side == side)
            return &r->top[i];
    return NULL;
}

static bool have_focus(const focus *f, size_t n, const kn_muscle *m, char side)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].muscle == m && f[i].side == side)
            return true;
    return false;
}

static long burden_of(const kn_plan_input *in, const kn_regionset *set)
{
    long b = 0;
    for (int i = kn_regionset_next(set, 0); i >= 0; i = kn_regionset_next(set, i + 1))
        b += in->burden[i];
    return b;
}

/* Candidates in the order they are worth a block: the cover first (together they explain the
 * whole map), then the rest of the ranking by score. */
static size_t gather_focus(const kn_plan_input *in, focus *out, size_t cap)
{
    size_t n = 0;
    const kn_ranking *r = &in->ranking;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t count = pass == 0 ? r->ncover : r->ntop;
        for (size_t i = 0; i < count && n < cap; i++) {
            const kn_muscle *m = pass == 0 ? r->cover[i].muscle : r->top[i].muscle;
            char side = pass == 0 ? r->cover[i].side : r->top[i].side;
            if (have_focus(out, n, m, side))
                continue;
            focus f = {.muscle = m, .side = side};
            const kn_candidate *c = find_candidate(r, m, side);
            if (c) {
                f.primary = c->primary;
                f.secondary = c->secondary;
                f.local = c->local;
                f.score = c->score;
                regionset_or(&f.explains, &c->primary);
                regionset_or(&f.explains, &c->secondary);
                regionset_or(&f.explains, &c->local);
            }
            if (pass == 0)
                regionset_or(&f.explains, &r->cover[i].explains);
            if (!c)
                f.primary = f.explains;
            f.work = sites_of(m, side);
            regionset_minus(&f.work, &in->avoid);
            f.burden = burden_of(in, &f.explains);
            if (kn_regionset_empty(&f.work) || f.burden <= 0)
                continue;
            out[n++] = f;
        }
    }
    return n;
}

/* Picks up to max blocks from the candidates, greedily: each time the one with the largest
 * gain, where gain = (pain burden it newly explains + OVERLAP_WEIGHT x burden it explains that
 * earlier picks explain too) x (0.5 + its ranking score). New burden counts most (a weighted
 * set cover over burden, so the blocks go where the pain is); overlap still counts, since
 * several muscles can feed the same pain. The gain becomes the block's share of the minutes.
 * Returns how many were picked. */
#define OVERLAP_WEIGHT 0.35

static size_t choose_focus(const kn_plan_input *in, focus *f, size_t n, size_t max)
{
    kn_regionset covered = {{0}};
    size_t chosen = 0;
    double gains[KN_RANK_TOP_MAX + KN_SIDED_MAX];
    while (chosen < max) {
        size_t best = n;
        double best_gain = 0;
        for (size_t i = chosen; i < n; i++) {
            double fresh = 0, again = 0;
            for (int r = kn_regionset_next(&f[i].explains, 0); r >= 0;
                 r = kn_regionset_next(&f[i].explains, r + 1)) {
                if (kn_regionset_has(&covered, r))
                    again += in->burden[r];
                else
                    fresh += in->burden[r];
            }
            double gain = (fresh + OVERLAP_WEIGHT * again) * (0.5 + f[i].score);
            if (gain > best_gain) {
                best = i;
                best_gain = gain;
            }
        }
        if (best == n)
            break;
        focus pick = f[best];
        f[best] = f[chosen];
        gains[chosen] = best_gain;
        f[chosen++] = pick;
        regionset_or(&covered, &pick.explains);
    }
    for (size_t i = 0; i < chosen; i++) /* in tenths: the split needs whole numbers */
        f[i].burden = (long)lround(gains[i] * 10);
    return chosen;
}

int kn_pressure_learn(int preference, const kn_pressure_seen *seen, int cap, char *reason,
                      size_t reason_cap)
{
    char said[KN_PLAN_PRESSURE_REASON_MAX] = "";
    int p;
    if (preference)
        snprintf(said, sizeof said, "the client prefers %d", preference);
    if (!seen || seen->pressure < 1) {
        p = preference ? preference : KN_PRESSURE_DEFAULT;
        snprintf(reason, reason_cap, "%s",
                 preference ? said : "moderate: no preference or feedback yet");
    } else if (seen->discomfort >= KN_DISCOMFORT_EASE_OFF) {
        int y, m, d;
        kn_day_to_civil(seen->day, &y, &m, &d);
        p = seen->pressure > 1 ? seen->pressure - 1 : 1;
        if (preference && preference < p)
            p = preference;
        snprintf(reason, reason_cap, "%d was too much last time (discomfort %d on %04d-%02d-%02d)",
                 seen->pressure, seen->discomfort, y, m, d);
    } else if (preference && preference < seen->pressure) {
        p = preference;
        snprintf(reason, reason_cap, "%s; %d was used last time (discomfort %d)", said,
                 seen->pressure, seen->discomfort);
    } else if (preference > seen->pressure && seen->discomfort <= KN_DISCOMFORT_EASY) {
        p = seen->pressure + 1; /* one step a session, whatever the gap */
        snprintf(reason, reason_cap, "%s; %d was comfortable last time (discomfort %d)", said,
                 seen->pressure, seen->discomfort);
    } else if (preference > seen->pressure) {
        p = seen->pressure;
        snprintf(reason, reason_cap,
                 "%s, but %d was not yet easy last time (discomfort %d): stay at %d", said,
                 seen->pressure, seen->discomfort, seen->pressure);
    } else {
        p = seen->pressure;
        snprintf(reason, reason_cap, "%d was comfortable last time (discomfort %d)", seen->pressure,
                 seen->discomfort);
    }
    if (cap && p > cap) {
        char why[KN_PLAN_PRESSURE_REASON_MAX];
        snprintf(why, sizeof why, "%s", reason);
        snprintf(reason, reason_cap, "capped at %d by the screening (%s)", cap, why);
        p = cap;
    }
    return p;
}

/* The target pressure for one region and the reason, in words. */
static int region_pressure(const kn_plan_input *in, int region, char *reason, size_t cap)
{
    int pref =
        in->pressure_pref_region[region] ? in->pressure_pref_region[region] : in->pressure_pref;
    return kn_pressure_learn(pref, &in->seen[region], in->max_pressure, reason, cap);
}

/* A block's pressure: the lightest of its regions', with that region's reason. */
static int set_pressure(const kn_plan_input *in, const kn_regionset *work, char *reason, size_t cap)
{
    int best = 11;
    snprintf(reason, cap, "moderate: no preference or feedback yet");
    for (int i = kn_regionset_next(work, 0); i >= 0; i = kn_regionset_next(work, i + 1)) {
        char why[KN_PLAN_PRESSURE_REASON_MAX];
        int p = region_pressure(in, i, why, sizeof why);
        if (p < best) {
            best = p;
            snprintf(reason, cap, "%s", why);
        }
    }
    if (best == 11) /* no site left to work: what the client said, under the cap */
        best = kn_pressure_learn(in->pressure_pref, NULL, in->max_pressure, reason, cap);
    return best;
}

/* Appends the names of set's regions to buf as "a; b and c" (a name may hold a comma). */
static void list_regions(char *buf, size_t cap, const kn_regionset *set)
{
    int total = kn_regionset_count(set), k = 0;
    size_t len = strlen(buf);
    for (int i = kn_regionset_next(set, 0); i >= 0 && len < cap;
         i = kn_regionset_next(set, i + 1)) {
        const char *sep = k == 0 ? "" : k == total - 1 ? " and " : "; ";
        char name[KN_LABEL_MAX];
        snprintf(buf + len, cap - len, "%s%s", sep, kn_name_sided(i, name, sizeof name));
        len = strlen(buf);
        k++;
    }
}

static void append(char *buf, size_t cap, const char *fmt, const char *arg)
{
    size_t len = strlen(buf);
    if (len < cap)
        snprintf(buf + len, cap - len, fmt, arg);
}

static void focus_why(const kn_plan_input *in, const focus *f, bool first, int pressure,
                      const char *pressure_reason, char *why, size_t cap)
{
    kn_regionset chronic = f->explains;
    for (size_t i = 0; i < sizeof chronic.bits / sizeof chronic.bits[0]; i++)
        chronic.bits[i] &= in->chronic.bits[i];
    why[0] = 0;
    snprintf(why, cap, "%s explains %d of the %d marked regions (", f->muscle->name,
             kn_regionset_count(&f->explains), kn_regionset_count(&in->map.set));
    list_regions(why, cap, &f->explains);
    append(why, cap, "%s)", "");
    if (!kn_regionset_empty(&f->local)) {
        append(why, cap, "%s", "; pain at its own trigger-point sites (");
        list_regions(why, cap, &f->local);
        append(why, cap, "%s)", "");
    }
    if (!kn_regionset_empty(&chronic) &&
        kn_regionset_count(&chronic) == kn_regionset_count(&f->explains)) {
        append(why, cap, "%s",
               kn_regionset_count(&chronic) == 1 ? "; it is chronic" : "; all of them chronic");
    } else if (!kn_regionset_empty(&chronic)) {
        append(why, cap, "%s", "; chronic: ");
        list_regions(why, cap, &chronic);
    }
    if (first && in->flares > 0) {
        char flares[64];
        snprintf(flares, sizeof flares, "; pain flared %d time%s in the last %d days", in->flares,
                 in->flares == 1 ? "" : "s", in->days);
        append(why, cap, "%s", flares);
    }
    char pr[KN_PLAN_PRESSURE_REASON_MAX + 32];
    snprintf(pr, sizeof pr, "; pressure %d: %s", pressure, pressure_reason);
    append(why, cap, "%s", pr);
}

static const char *focus_technique(const focus *f, int pressure)
{
    if (pressure <= 3)
        return "myofascial release (light)";
    if (!kn_regionset_empty(&f->local) || !kn_regionset_empty(&f->primary))
        return "trigger-point pressure release";
    return "neuromuscular technique";
}

/* Splits focus minutes: FOCUS_BLOCK_MIN each, the rest by burden (largest remainder). */
static void split_minutes(const focus *f, size_t n, int total, int *minutes)
{
    long burden = 0;
    for (size_t i = 0; i < n; i++)
        burden += f[i].burden;
    int rest = total - (int)n * FOCUS_BLOCK_MIN, given = 0;
    double frac[KN_PLAN_FOCUS_MAX];
    for (size_t i = 0; i < n; i++) {
        double share = burden > 0 ? (double)rest * (double)f[i].burden / (double)burden : 0;
        minutes[i] = FOCUS_BLOCK_MIN + (int)floor(share);
        frac[i] = share - floor(share);
        given += minutes[i];
    }
    while (given < total) { /* the largest remainders, earlier blocks on ties */
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (frac[i] > frac[best])
                best = i;
        minutes[best]++;
        frac[best] = -1;
        given++;
    }
}

kn_rc kn_plan_make(const kn_plan_input *in, kn_plan *out, kn_err *err)
{
    memset(out, 0, sizeof *out);
    if (in->minutes < KN_PLAN_MINUTES_MIN || in->minutes > KN_PLAN_MINUTES_MAX)
        return kn_err_field(err, KN_EINVAL, "minutes", "minutes %d: must be %d-%d", in->minutes,
                            KN_PLAN_MINUTES_MIN, KN_PLAN_MINUTES_MAX);
    out->minutes = in->minutes;
    out->max_pressure = in->max_pressure;
    out->avoid = in->avoid;
    focus f[KN_RANK_TOP_MAX + KN_SIDED_MAX];
    size_t nf = gather_focus(in, f, sizeof f / sizeof f[0]);
    if (nf == 0)
        return kn_err_field(err, KN_EREFUSED, "days",
                            "days %d: no pain outside avoid zones in that window: nothing to "
                            "aim a plan at (log pain first, or widen the window)",
                            in->days);
    int warmup = clamp((int)lround(in->minutes * 0.10), 3, 10);
    int closing = clamp((int)lround(in->minutes * 0.08), 2, 8);
    int focus_total = in->minutes - warmup - closing;
    size_t nblocks = (size_t)(focus_total / FOCUS_BLOCK_ROOM);
    if (nblocks < 1)
        nblocks = 1;
    if (nblocks > KN_PLAN_FOCUS_MAX)
        nblocks = KN_PLAN_FOCUS_MAX;
    nblocks = choose_focus(in, f, nf, nblocks);
    int minutes[KN_PLAN_FOCUS_MAX];
    split_minutes(f, nblocks, focus_total, minutes); /* focus_total >= 10 at 15 minutes */

    kn_regionset all = {{0}};
    int lightest = 10;
    kn_plan_block *warm = &out->blocks[out->nblocks++];
    for (size_t i = 0; i < nblocks; i++) {
        kn_plan_block *b = &out->blocks[out->nblocks++];
        b->kind = KN_BLOCK_FOCUS;
        b->minutes = minutes[i];
        b->regions = f[i].work;
        b->muscle = f[i].muscle;
        b->side = f[i].side;
        b->pressure = set_pressure(in, &f[i].work, b->pressure_reason, sizeof b->pressure_reason);
        snprintf(b->technique, sizeof b->technique, "%s", focus_technique(&f[i], b->pressure));
        focus_why(in, &f[i], i == 0, b->pressure, b->pressure_reason, b->why, sizeof b->why);
        regionset_or(&all, &f[i].work);
        regionset_or(&all, &f[i].explains);
        if (b->pressure < lightest)
            lightest = b->pressure;
    }
    regionset_minus(&all, &in->avoid); /* the marks explained may lie in an avoid zone */
    int gentle = lightest < 3 ? lightest : 3;
    *warm = (kn_plan_block){.kind = KN_BLOCK_WARMUP,
                            .minutes = warmup,
                            .regions = all,
                            .technique = "effleurage and broad compression",
                            .pressure = gentle};
    snprintf(warm->pressure_reason, sizeof warm->pressure_reason,
             "gentle: 3 at most, and never firmer than the lightest focus block");
    snprintf(warm->why, sizeof warm->why,
             "warm the tissue of the areas to be worked before focused pressure; ask for "
             "feedback on pressure from the start");
    kn_plan_block *close = &out->blocks[out->nblocks++];
    *close = (kn_plan_block){.kind = KN_BLOCK_CLOSING,
                             .minutes = closing,
                             .regions = all,
                             .technique = "gentle stretching and effleurage",
                             .pressure = gentle};
    memcpy(close->pressure_reason, warm->pressure_reason, sizeof close->pressure_reason);
    snprintf(close->why, sizeof close->why,
             "lengthen the worked muscles and settle the tissue; ask for pain 0-10 after "
             "the session");
    return KN_OK;
}

/* ---- gathering the inputs from the store ---- */

/* Whether work w says more of its region's pressure than what one session showed so far:
 * a pressure that was too much wins, the lowest such; else the firmest with feedback. */
static bool tells_more(const kn_work *w, const kn_pressure_seen *so_far)
{
    bool too_much = w->discomfort >= KN_DISCOMFORT_EASE_OFF;
    bool was_too_much = so_far->discomfort >= KN_DISCOMFORT_EASE_OFF;
    if (so_far->pressure == 0 || too_much != was_too_much)
        return so_far->pressure == 0 || too_much;
    return too_much ? w->pressure < so_far->pressure : w->pressure > so_far->pressure;
}

kn_rc kn_care_pressure_seen(kn_store *st, int64_t person, kn_day today,
                            kn_pressure_seen seen[KN_SIDED_MAX], kn_err *err)
{
    memset(seen, 0, KN_SIDED_MAX * sizeof *seen);
    kn_session_list sessions;
    if (kn_store_session_list(st, person, today - (KN_RECENT_SESSION_DAYS - 1), today, &sessions) !=
        KN_OK)
        return kn_store_error(st, err);
    size_t first = sessions.n > KN_RECENT_SESSIONS ? sessions.n - KN_RECENT_SESSIONS : 0;
    for (size_t i = sessions.n; i-- > first;) { /* the latest first: it has the say */
        const kn_session *s = &sessions.items[i];
        kn_pressure_seen here[KN_SIDED_MAX];
        memset(here, 0, sizeof here);
        for (size_t k = 0; k < s->nwork; k++) {
            const kn_work *w = &s->work[k];
            int r = kn_sided_find(w->region);
            if (r < 0 || w->discomfort == KN_NONE || seen[r].pressure)
                continue;
            if (here[r].pressure == w->pressure && w->discomfort > here[r].discomfort)
                here[r].discomfort = w->discomfort;
            else if (tells_more(w, &here[r]))
                here[r] = (kn_pressure_seen){w->pressure, w->discomfort, s->day};
        }
        for (int r = 0; r < KN_SIDED_MAX; r++)
            if (!seen[r].pressure && here[r].pressure)
                seen[r] = here[r];
    }
    kn_session_list_free(&sessions);
    return KN_OK;
}

static kn_rc gather_insights(kn_store *st, int64_t person, kn_day today, int days,
                             kn_plan_input *out, kn_err *err)
{
    kn_insights ins;
    kn_rc rc = kn_insights_load(st, person, KN_DAY_ANY, today, &ins, err);
    for (size_t i = 0; rc == KN_OK && i < ins.nchronic; i++) {
        int k = kn_sided_find(ins.chronic[i].region);
        if (k >= 0 && ins.chronic[i].chronic)
            kn_regionset_add(&out->chronic, k);
    }
    for (size_t i = 0; rc == KN_OK && i < ins.nflares; i++)
        out->flares += ins.flares[i].start > today - days;
    kn_insights_free(&ins);
    return rc;
}

kn_rc kn_plan_gather(kn_store *st, int64_t person, kn_day today, int days, int minutes,
                     kn_plan_input *out, kn_err *err)
{
    memset(out, 0, sizeof *out);
    out->minutes = minutes;
    out->days = days;
    size_t entries;
    kn_rc rc =
        kn_care_painmap_burden(st, person, today, days, &out->map, out->burden, &entries, err);
    if (rc == KN_OK)
        rc = kn_rank(&out->map, 10, &out->ranking, err);
    if (rc == KN_OK)
        rc = gather_insights(st, person, today, days, out, err);
    kn_gate gate;
    if (rc == KN_OK)
        rc = kn_care_gate(st, person, &gate, err);
    if (rc != KN_OK)
        return rc;
    out->avoid = gate.avoid;
    out->max_pressure = gate.max_pressure;
    kn_intake_answers intake;
    int version;
    bool found;
    if ((rc = kn_intake_latest(st, person, &intake, &version, &found, err)) != KN_OK)
        return rc;
    if (found) {
        regionset_or(&out->avoid, &intake.avoid);
        out->pressure_pref = intake.pressure == KN_NONE ? 0 : intake.pressure;
        memcpy(out->pressure_pref_region, intake.pressure_by_region,
               sizeof out->pressure_pref_region);
    }
    kn_intake_answers_clear(&intake);
    return kn_care_pressure_seen(st, person, today, out->seen, err);
}

kn_rc kn_plan_build(kn_store *st, int64_t person, int64_t therapist, kn_instant at, int days,
                    int minutes, bool save, kn_plan *out, kn_gate *gate, kn_err *err)
{
    memset(out, 0, sizeof *out);
    kn_rc rc = kn_care_gate(st, person, gate, err);
    if (rc != KN_OK)
        return rc;
    if (gate->blocking)
        return kn_err_set(err, KN_EREFUSED, "no plan: %s", gate->message);
    kn_plan_input *in = calloc(1, sizeof *in);
    if (!in)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    rc = kn_plan_gather(st, person, kn_instant_day(at), days, minutes, in, err);
    if (rc == KN_OK)
        rc = kn_plan_make(in, out, err);
    free(in);
    if (rc != KN_OK)
        return rc;
    out->person_id = person;
    out->therapist_id = therapist;
    out->at = at;
    if (save && (rc = kn_store_plan_add(st, out)) != KN_OK)
        return kn_store_error(st, err);
    return KN_OK;
}

void kn_plan_clamp(const kn_plan *plan, const kn_gate *gate, kn_plan *out, kn_plan_change *changes,
                   size_t *nchanges)
{
    *out = *plan;
    out->nblocks = 0;
    *nchanges = 0;
    int cap = gate->max_pressure;
    if (cap && (!out->max_pressure || cap < out->max_pressure))
        out->max_pressure = cap;
    for (size_t w = 0; w < sizeof out->avoid.bits / sizeof out->avoid.bits[0]; w++)
        out->avoid.bits[w] |= gate->avoid.bits[w];
    for (size_t i = 0; i < plan->nblocks; i++) {
        kn_plan_block b = plan->blocks[i];
        kn_plan_change *c = &changes[*nchanges];
        memset(c, 0, sizeof *c);
        c->block = i;
        if (gate->blocking) {
            c->kind = KN_CHANGE_DROPPED;
            c->regions = b.regions;
            snprintf(c->why, sizeof c->why,
                     "not to be done: the current screening says %s; no massage until a "
                     "physician has cleared it",
                     gate->verdict == KN_VERDICT_EMERGENCY ? "seek medical care now"
                                                           : "see a physician first");
            (*nchanges)++;
            continue;
        }
        kn_regionset off = {{0}};
        for (size_t w = 0; w < sizeof off.bits / sizeof off.bits[0]; w++) {
            off.bits[w] = b.regions.bits[w] & gate->avoid.bits[w];
            b.regions.bits[w] &= ~gate->avoid.bits[w];
        }
        if (!kn_regionset_empty(&off)) {
            bool none = kn_regionset_empty(&b.regions);
            c = &changes[(*nchanges)++];
            memset(c, 0, sizeof *c);
            c->block = i;
            c->kind = none ? KN_CHANGE_DROPPED : KN_CHANGE_REGIONS;
            c->regions = off;
            snprintf(c->why, sizeof c->why,
                     "%s: the current screening puts %d of its regions "
                     "off limits",
                     none ? "not to be done" : "those regions left out", kn_regionset_count(&off));
            if (none)
                continue;
        }
        if (cap && b.pressure > cap) {
            c = &changes[(*nchanges)++];
            memset(c, 0, sizeof *c);
            c->block = i;
            c->kind = KN_CHANGE_PRESSURE;
            c->from = b.pressure;
            c->to = cap;
            snprintf(c->why, sizeof c->why,
                     "pressure %d lowered to %d: the current screening caps pressure at %d of 10",
                     b.pressure, cap, cap);
            snprintf(b.pressure_reason, sizeof b.pressure_reason,
                     "capped at %d by the current screening (planned at %d)", cap, b.pressure);
            b.pressure = cap;
        }
        out->blocks[out->nblocks++] = b;
    }
}
