/* The synthetic demo person: a desk worker with chronic right neck and shoulder pain and
 * right temple headaches (Maya of docs/users), whose diary follows stress, short nights,
 * broken routine and a weekly massage. The story and its knobs are told in docs/DEMO.md.
 * Everything is drawn from one seeded GSL stream, so a seed and an end day give one diary. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "base/buf.h"
#include "knead/interop.h"

/* ---- the knobs of the story ---- */
#define DEMO_BORN 1988
#define DEMO_ZONE "Europe/Berlin"
#define DEMO_THERAPIST "Dana Reyes"
#define WARMUP_DAYS 28 /* simulated before the diary so it opens mid-story, not cold */

#define PAIN_BASELINE 4.5    /* before the average massage relief (~0.6) */
#define PAIN_PER_STRESS 0.35 /* per stress point away from STRESS_CENTRE */
#define STRESS_CENTRE 4.0    /* her usual stress */
#define PAIN_SHORT_SLEEP 1.6 /* after a night under SHORT_SLEEP_H */
#define SHORT_SLEEP_H 6.0
#define PAIN_DISRUPTED 1.0 /* travel or a sick child */
#define RELIEF_PEAK 1.5    /* the day after a massage */
#define RELIEF_DECAY 0.65  /* per following day: gone after about four days */
#define FLARE_KEEP 0.7     /* day-to-day persistence of slow flares */
#define FLARE_SD 0.5
#define DAILY_SD 0.6
#define PAIN_FREE_BELOW 1.5 /* latent level under which the day is pain-free */

#define DEADLINE_WEEK_P 0.3
#define EPISODE_START_P 0.045 /* travel or sick-child episodes of 1-3 days: ~8% of days */
#define GYM_P 0.22
#define SESSION_WEEKDAY 3 /* Thursday (0 = Monday) */
#define SESSION_SKIP_P 0.08
#define NOTHING_P 0.05    /* days with nothing recorded */
#define NO_CHECKIN_P 0.10 /* days with pain entries but no check-in */

enum { EP_NONE, EP_TRAVEL, EP_SICK_CHILD };
enum { REC_ALL, REC_NO_CHECKIN, REC_NOTHING };

/* One simulated day: the hidden state behind what gets written. */
typedef struct demo_day {
    kn_day day;
    int weekday; /* 0 = Monday */
    bool deadline_week;
    int episode;       /* EP_* */
    bool episode_edge; /* first or last day of a travel episode: the long drive */
    bool gym;
    int stress;
    double sleep; /* hours slept the night before this day, in tenths */
    int sleep_quality;
    double pain; /* latent pain level */
    bool session;
    bool pain_free;
    int record; /* REC_* */
} demo_day;

static int weekday_of(kn_day d)
{
    return (int)(((d % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
}

static int clamp_int(double v, int lo, int hi)
{
    long r = lround(v);
    return r < lo ? lo : r > hi ? hi : (int)r;
}

static bool chance(gsl_rng *rng, double p)
{
    return gsl_rng_uniform(rng) < p;
}

/* Picks an index with probability proportional to weights[i]. */
static size_t pick(gsl_rng *rng, const double *weights, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += weights[i];
    double u = gsl_rng_uniform(rng) * total;
    for (size_t i = 0; i + 1 < n; i++) {
        if (u < weights[i])
            return i;
        u -= weights[i];
    }
    return n - 1;
}

static kn_qualities quality(const char *name)
{
    for (size_t i = 0; i < kn_quality_count(); i++)
        if (strcmp(kn_quality_name(i), name) == 0)
            return (kn_qualities)1 << i;
    return 0;
}

/* mt19937 takes a 32-bit seed: mix all 64 bits in first (splitmix64), so nearby and large
 * seeds give unrelated diaries. */
static unsigned long seed32(uint64_t seed)
{
    uint64_t z = seed + 0x9e3779b97f4a7c15u;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (unsigned long)((z ^ (z >> 32)) & 0xffffffffu);
}

/* Draws the hidden daily story: weeks, episodes, stress, sleep, massage and latent pain. */
static void simulate(gsl_rng *rng, demo_day *days, size_t n, kn_day first)
{
    bool deadline = false;
    int episode = EP_NONE, episode_left = 0;
    double flare = 0;
    int since_session = 99;
    int prev_stress = 4;
    for (size_t i = 0; i < n; i++) {
        demo_day *d = &days[i];
        d->day = first + (kn_day)i;
        d->weekday = weekday_of(d->day);
        if (d->weekday == 0 || i == 0)
            deadline = chance(rng, DEADLINE_WEEK_P);
        d->deadline_week = deadline;

        bool starts = false;
        if (episode_left == 0 && chance(rng, EPISODE_START_P)) {
            episode = chance(rng, 0.6) ? EP_TRAVEL : EP_SICK_CHILD;
            episode_left = 1 + (int)gsl_rng_uniform_int(rng, 3);
            starts = true;
        }
        d->episode = episode_left > 0 ? episode : EP_NONE;
        d->episode_edge = d->episode == EP_TRAVEL && (starts || episode_left == 1);
        if (episode_left > 0)
            episode_left--;
        d->gym = d->episode == EP_NONE && chance(rng, GYM_P);

        /* Workdays are tenser than weekends; a deadline builds up towards Friday. */
        bool workday = d->weekday < 5;
        double stress = workday ? 4.5 : 2.5;
        if (deadline && workday)
            stress += 1.5 + 0.5 * d->weekday;
        if (d->episode == EP_SICK_CHILD)
            stress += 1.5;
        else if (d->episode == EP_TRAVEL)
            stress += 1.0;
        d->stress = clamp_int(stress + gsl_ran_gaussian(rng, 1.2), 0, 10);

        /* Last night's sleep: shorter after a tense day, much shorter with a sick child. */
        double sleep = 7.2 + gsl_ran_gaussian(rng, 0.7) - 0.25 * (prev_stress - 4);
        if (d->episode == EP_SICK_CHILD)
            sleep -= 1.2;
        else if (d->episode == EP_TRAVEL)
            sleep -= 0.8;
        sleep = sleep < 4.5 ? 4.5 : sleep > 9.0 ? 9.0 : sleep;
        d->sleep = round(sleep * 10) / 10;
        d->sleep_quality =
            clamp_int(2.0 + 1.6 * (d->sleep - 4.5) + gsl_ran_gaussian(rng, 1.0), 0, 10);

        d->session = d->weekday == SESSION_WEEKDAY && d->episode != EP_TRAVEL &&
                     !chance(rng, SESSION_SKIP_P);
        /* Relief starts the day after a session (the session is in the evening). */
        double relief = since_session >= 1 && since_session < 30
                            ? RELIEF_PEAK * pow(RELIEF_DECAY, since_session - 1)
                            : 0;
        flare = FLARE_KEEP * flare + gsl_ran_gaussian(rng, FLARE_SD);
        d->pain = PAIN_BASELINE + PAIN_PER_STRESS * (d->stress - STRESS_CENTRE) +
                  (d->sleep < SHORT_SLEEP_H ? PAIN_SHORT_SLEEP : 0) +
                  (d->episode != EP_NONE ? PAIN_DISRUPTED : 0) - relief + flare +
                  gsl_ran_gaussian(rng, DAILY_SD);
        d->pain_free = d->pain < PAIN_FREE_BELOW;

        double u = gsl_rng_uniform(rng);
        if (u < NOTHING_P && !d->session)
            d->record = REC_NOTHING;
        else if (u < NOTHING_P + NO_CHECKIN_P && d->weekday != 6)
            d->record = REC_NO_CHECKIN; /* the Sunday check-in with the PEG is rarely missed */
        else
            d->record = REC_ALL;

        since_session = d->session ? 0 : since_session + 1;
        prev_stress = d->stress;
    }
}

/* The writing side: the store, the person and the error to fill. */
typedef struct demo_out {
    kn_store *st;
    gsl_rng *rng;
    int64_t person;
    const char *zone;
    kn_err *err;
} demo_out;

static kn_rc store_failed(demo_out *o)
{
    kn_rc code = kn_store_error(o->st, o->err);
    kn_err_prefix(o->err, "demo");
    return code;
}

/* The instant of a local wall-clock minute of day. Entries fall between 08:00 and 22:00, and
 * zones change offset at night, so the offset at local noon holds for all of them. */
static kn_rc local_instant(demo_out *o, kn_day day, int minute, kn_instant *out)
{
    int32_t off;
    kn_rc rc = kn_zone_offset_at(o->zone, (int64_t)day * 86400 + 11 * 3600, &off, o->err);
    if (rc != KN_OK)
        return rc;
    out->utc = (int64_t)day * 86400 + (int64_t)minute * 60 - (int64_t)off * 60;
    out->offset_min = off;
    return KN_OK;
}

static const char *const neck_regions[] = {"neck_back_r", "shoulder_top_r", "neck_side_r",
                                           "scapula_r", "interscapular_r"};
static const double neck_weights[] = {30, 30, 20, 10, 10};
static const char *const head_regions[] = {"temple_r", "forehead_r", "occiput_r"};
static const double head_weights[] = {70, 15, 15};
static const char *const other_regions[] = {"shoulder_top_l", "neck_side_l", "lowback_r",
                                            "lowback_l"};
static const double other_weights[] = {35, 25, 20, 20};
static const char *const pain_notes[] = {"woke up with it", "after a long meeting",
                                         "screen all afternoon", "better after a walk",
                                         "could not turn my head to the right"};

/* Chooses the region and qualities of one entry: mostly the right neck and shoulder, temple
 * headaches more likely on tense and painful days, now and then the other side or low back. */
static void draw_region(gsl_rng *rng, const demo_day *d, int minute, kn_pain *p)
{
    double head_p = 0.15 + 0.08 * (d->pain - PAIN_BASELINE) + (d->stress >= 7 ? 0.15 : 0);
    head_p = head_p < 0.05 ? 0.05 : head_p > 0.7 ? 0.7 : head_p;
    double other_p = d->episode_edge ? 0.3 : 0.06; /* a long drive wakes the low back */
    const char *region;
    kn_qualities q = 0;
    if (chance(rng, other_p)) {
        region = other_regions[pick(rng, other_weights, 4)];
        q = chance(rng, 0.5) ? quality("aching") : quality("stiffness");
    } else if (chance(rng, head_p)) {
        region = head_regions[pick(rng, head_weights, 3)];
        q = quality("throbbing");
        if (chance(rng, 0.25))
            q |= quality("tender");
        if (chance(rng, 0.15))
            q |= quality("dull");
    } else {
        region = neck_regions[pick(rng, neck_weights, 5)];
        if (chance(rng, 0.7))
            q |= quality("aching");
        if (chance(rng, minute < 10 * 60 ? 0.7 : 0.35)) /* stiff in the morning */
            q |= quality("stiffness");
        if (chance(rng, 0.3))
            q |= quality("tender");
        if (!q)
            q = quality("aching");
    }
    snprintf(p->region, sizeof p->region, "%s", region);
    p->qualities = q;
}

/* 1-4 entries spread over the waking day, the worst of them near the latent level. */
static kn_rc write_pains(demo_out *o, const demo_day *d)
{
    kn_rc rc = KN_OK;
    kn_pain p;
    kn_pain_init(&p);
    gsl_rng *rng = o->rng;
    int n = clamp_int(1 + (d->pain - 3.0) / 1.5 + gsl_ran_gaussian(rng, 0.6), 1, 4);
    int worst = clamp_int(d->pain + gsl_ran_gaussian(rng, 0.5), 1, 10);
    int worst_at = (int)gsl_rng_uniform_int(rng, (unsigned long)n);
    /* One slot per entry across 08:00-22:00 keeps the times apart and in order. */
    int span = (22 - 8) * 60 / n;
    for (int i = 0; i < n; i++) {
        int minute = 8 * 60 + i * span + 5 * (int)gsl_rng_uniform_int(rng, (unsigned long)span / 5);
        kn_pain_clear(&p);
        p.person_id = o->person;
        rc = local_instant(o, d->day, minute, &p.at);
        if (rc != KN_OK)
            goto clear_pain;
        p.day = kn_instant_day(p.at);
        draw_region(rng, d, minute, &p);
        int drop = (int)gsl_rng_uniform_int(rng, 3);
        p.intensity = i == worst_at ? worst : (worst - drop < 1 ? 1 : worst - drop);
        if (chance(rng, 0.05)) {
            p.note = kn_strdup(pain_notes[gsl_rng_uniform_int(rng, 5)]);
            if (!p.note) {
                rc = kn_err_set(o->err, KN_ENOMEM, "demo: out of memory");
                goto clear_pain;
            }
        }
        bool added;
        if (kn_store_pain_add(o->st, &p, &added) != KN_OK) {
            rc = store_failed(o);
            goto clear_pain;
        }
    }
clear_pain:
    kn_pain_clear(&p);
    return rc;
}

/* The daily check-in; on Sundays it carries the PEG for the past week (week_pain: the mean
 * latent pain of the last seven days). */
static kn_rc write_checkin(demo_out *o, const demo_day *d, double week_pain)
{
    gsl_rng *rng = o->rng;
    kn_checkin c;
    kn_checkin_init(&c);
    c.person_id = o->person;
    c.day = d->day;
    c.stress = d->stress;
    c.sleep_hours = d->sleep;
    c.sleep_quality = d->sleep_quality;
    c.routine = d->episode != EP_NONE ? KN_ROUTINE_DISRUPTED : KN_ROUTINE_NORMAL;
    if (d->pain_free)
        c.pain_free = 1;

    const char *tags[4];
    size_t ntags = 0;
    if (d->deadline_week && d->weekday < 5)
        tags[ntags++] = "deadline";
    if (d->episode == EP_TRAVEL)
        tags[ntags++] = "travel";
    if (d->episode_edge)
        tags[ntags++] = "long drive";
    if (d->episode == EP_SICK_CHILD)
        tags[ntags++] = "sick child";
    if (d->gym)
        tags[ntags++] = "gym";

    char ibuprofen[] = "ibuprofen", dose[] = "400mg", heat[] = "heat";
    kn_treatment treatments[2];
    size_t ntreatments = 0;
    /* Ibuprofen on bad days, the heat pack on middling ones. */
    double ibuprofen_p = d->pain >= 6.5 ? 0.75 : d->pain >= 5.5 ? 0.25 : 0;
    if (chance(rng, ibuprofen_p))
        treatments[ntreatments++] = (kn_treatment){ibuprofen, dose};
    if (d->pain >= 4.5 && chance(rng, 0.3))
        treatments[ntreatments++] = (kn_treatment){heat, NULL};

    kn_rc rc = KN_OK;
    for (size_t i = 0; rc == KN_OK && i < ntags; i++)
        rc = kn_checkin_add_tag(&c, tags[i], o->err);
    for (size_t i = 0; rc == KN_OK && i < ntreatments; i++)
        rc = kn_checkin_add_treatment(&c, &treatments[i], o->err);
    if (rc != KN_OK)
        goto clear_checkin;

    if (d->weekday == 6) {
        c.peg[0] = clamp_int(week_pain + gsl_ran_gaussian(rng, 0.4), 0, 10);
        c.peg[1] = clamp_int(0.85 * week_pain + gsl_ran_gaussian(rng, 0.8), 0, 10);
        c.peg[2] = clamp_int(0.75 * week_pain + gsl_ran_gaussian(rng, 0.8), 0, 10);
    }
    if (d->episode == EP_SICK_CHILD && chance(rng, 0.3)) {
        c.note = kn_strdup("up twice in the night with the little one");
        if (!c.note) {
            rc = kn_err_set(o->err, KN_ENOMEM, "demo: out of memory");
            goto clear_checkin;
        }
    }
    bool changed;
    if (kn_store_checkin_put(o->st, &c, &changed) != KN_OK)
        rc = store_failed(o);
clear_checkin:
    kn_checkin_clear(&c);
    return rc;
}

static const char *const techniques[] = {"trigger point release", "neuromuscular",
                                         "myofascial release"};
static const char *const work_extra[] = {"neck_side_r", "scapula_r", "interscapular_r", "occiput_r",
                                         "shoulder_top_l"};
static const char *const session_notes[] = {
    "upper trapezius taut band, referral to the right temple reproduced",
    "levator scapulae tender at the insertion", "suboccipitals tight, eased well",
    "tolerated firmer pressure than last time"};

/* The Thursday-evening massage with Dana: the painful regions worked at moderate pressure,
 * pain lower afterwards. */
static kn_rc write_session(demo_out *o, const demo_day *d)
{
    gsl_rng *rng = o->rng;
    kn_rc rc = KN_OK;
    kn_session s;
    kn_session_init(&s);
    s.person_id = o->person;
    rc = local_instant(o, d->day, 18 * 60, &s.at);
    if (rc != KN_OK)
        goto clear_session;
    s.day = kn_instant_day(s.at);
    s.therapist = kn_strdup(DEMO_THERAPIST);
    if (!s.therapist) {
        rc = kn_err_set(o->err, KN_ENOMEM, "demo: out of memory");
        goto clear_session;
    }
    s.minutes = 60;
    s.pre_pain = clamp_int(d->pain + 0.5 + gsl_ran_gaussian(rng, 0.7), 1, 10);
    int eased = 1 + (int)gsl_rng_uniform_int(rng, 3);
    s.post_pain = s.pre_pain - eased < 0 ? 0 : s.pre_pain - eased;

    const char *regions[7] = {"neck_back_r", "shoulder_top_r"};
    size_t nregions = 2;
    for (size_t i = 0; i < 5; i++)
        if (chance(rng, i == 4 ? 0.2 : 0.5))
            regions[nregions++] = work_extra[i];
    for (size_t i = 0; rc == KN_OK && i < nregions; i++) {
        kn_work w = {.pressure = 4 + (int)gsl_rng_uniform_int(rng, 4)};
        snprintf(w.region, sizeof w.region, "%s", regions[i]);
        w.discomfort = clamp_int(2 + (s.pre_pain - 2) * 0.5 + gsl_ran_gaussian(rng, 1.0), 2, 7);
        rc = kn_session_add_work(&s, &w, o->err);
    }
    for (size_t i = 0; rc == KN_OK && i < 3; i++)
        if (i == 0 || chance(rng, 0.5))
            rc = kn_session_add_technique(&s, techniques[i], o->err);
    if (rc != KN_OK)
        goto clear_session;
    if (chance(rng, 0.35)) {
        s.note = kn_strdup(session_notes[gsl_rng_uniform_int(rng, 4)]);
        if (!s.note) {
            rc = kn_err_set(o->err, KN_ENOMEM, "demo: out of memory");
            goto clear_session;
        }
    }
    bool added;
    if (kn_store_session_add(o->st, &s, &added) != KN_OK)
        rc = store_failed(o);
clear_session:
    kn_session_clear(&s);
    return rc;
}

static kn_rc write_day(demo_out *o, const demo_day *d, double week_pain)
{
    kn_rc rc = KN_OK;
    if (d->record == REC_NOTHING)
        return KN_OK;
    if (!d->pain_free)
        rc = write_pains(o, d);
    if (rc == KN_OK && d->record == REC_ALL)
        rc = write_checkin(o, d, week_pain);
    if (rc == KN_OK && d->session)
        rc = write_session(o, d);
    return rc;
}

kn_rc kn_demo_create(kn_store *st, const kn_demo_opts *opts, int64_t *person, kn_err *err)
{
    kn_rc rc = KN_OK;
    demo_day *days = NULL;
    gsl_rng *rng = NULL;
    kn_person p;
    kn_person_init(&p);
    *person = 0;

    if (opts->days < 1 || opts->days > 3650)
        return kn_err_field(err, KN_EINVAL, "days", "days %d: must be 1-3650", opts->days);
    int y1, y2, m, dd;
    kn_day first = opts->end - (kn_day)opts->days + 1;
    kn_day_to_civil(first, &y1, &m, &dd);
    kn_day_to_civil(opts->end, &y2, &m, &dd);
    if (y1 < 1900 || y2 > 2999)
        return kn_err_field(err, KN_EINVAL, "end", "end: the diary must lie within 1900-2999");

    size_t n = (size_t)opts->days + WARMUP_DAYS;
    days = calloc(n, sizeof *days);
    rng = gsl_rng_alloc(gsl_rng_mt19937);
    p.name = kn_strdup(opts->name ? opts->name : "Demo Person");
    p.zone = kn_strdup(DEMO_ZONE);
    p.born = DEMO_BORN;
    if (!days || !rng || !p.name || !p.zone) {
        rc = kn_err_set(err, KN_ENOMEM, "demo: out of memory");
        goto free_all;
    }
    gsl_rng_set(rng, seed32(opts->seed));
    simulate(rng, days, n, first - WARMUP_DAYS);

    if (kn_store_begin(st) != KN_OK) {
        rc = kn_store_error(st, err);
        kn_err_prefix(err, "demo");
        goto free_all;
    }
    demo_out o = {.st = st, .rng = rng, .zone = p.zone, .err = err};
    if (kn_store_person_add(st, &p) != KN_OK) {
        rc = store_failed(&o);
        goto rollback;
    }
    o.person = p.id;
    for (size_t i = WARMUP_DAYS; i < n; i++) {
        double week_pain = 0;
        for (size_t k = i - 6; k <= i; k++)
            week_pain += days[k].pain < 0 ? 0 : days[k].pain;
        rc = write_day(&o, &days[i], week_pain / 7);
        if (rc != KN_OK)
            goto rollback;
    }
    if (kn_store_commit(st) != KN_OK) {
        rc = store_failed(&o);
        goto rollback;
    }
    *person = p.id;
    goto free_all;
rollback:
    kn_store_rollback(st);
free_all:
    kn_person_clear(&p);
    gsl_rng_free(rng);
    free(days);
    return rc;
}
