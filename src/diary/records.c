/* Diary records: their life cycle, the pain-quality vocabulary, validation of whole
 * records, and the merge rule for a second check-in on the same day. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "knead/diary.h"
#include "diary/distance.h"

static const char *const quality_names[] = {
    "aching",   "throbbing", "shooting",  "stabbing", "sharp",  "burning", "electric",
    "tingling", "numbness",  "stiffness", "cramping", "tender", "dull",
};
#define NQUALITIES (sizeof quality_names / sizeof quality_names[0])

size_t kn_quality_count(void)
{
    return NQUALITIES;
}

const char *kn_quality_name(size_t i)
{
    return i < NQUALITIES ? quality_names[i] : NULL;
}

kn_rc kn_qualities_parse(const char *s, char sep, const char *field, kn_qualities *out, kn_err *err)
{
    kn_qualities q = 0;
    const char *p = s;
    while (*p) {
        const char *end = strchr(p, sep);
        size_t len = end ? (size_t)(end - p) : strlen(p);
        /* "Aching, Throbbing" means aching,throbbing */
        while (len && *p == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        size_t i = 0;
        for (; i < NQUALITIES; i++)
            if (len && strncasecmp(quality_names[i], p, len) == 0 && quality_names[i][len] == '\0')
                break;
        if (i == NQUALITIES) {
            /* the closest quality, so a typo needs no trip to the help */
            char given[64];
            size_t n = len < sizeof given ? len : sizeof given - 1, best = 0, dist = SIZE_MAX;
            for (size_t k = 0; k < n; k++)
                given[k] = (char)tolower((unsigned char)p[k]);
            given[n] = 0;
            for (size_t k = 0; k < NQUALITIES; k++) {
                size_t d = kn_diary_edit_distance(given, quality_names[k]);
                if (d < dist)
                    dist = d, best = k;
            }
            return kn_err_field(
                err, KN_EINVAL, field,
                "%s '%.*s': unknown quality; did you mean %s? (one of aching, "
                "throbbing, shooting, stabbing, sharp, burning, electric, tingling, "
                "numbness, stiffness, cramping, tender, dull)",
                field, (int)(len > 60 ? 60 : len), p, quality_names[best]);
        }
        q |= (kn_qualities)1 << i;
        if (!end)
            break;
        p = end + 1;
        if (!*p)
            return kn_err_set(err, KN_EINVAL, "%s: empty item in list", field);
    }
    *out = q;
    return KN_OK;
}

bool kn_qualities_format(kn_qualities q, char sep, char *out, size_t cap)
{
    size_t len = 0;
    if (cap)
        out[0] = '\0';
    for (size_t i = 0; i < NQUALITIES; i++) {
        if (!(q & ((kn_qualities)1 << i)))
            continue;
        size_t n = strlen(quality_names[i]);
        if (len + n + 2 > cap)
            return false;
        if (len)
            out[len++] = sep;
        memcpy(out + len, quality_names[i], n + 1);
        len += n;
    }
    return true;
}

void kn_person_init(kn_person *p)
{
    memset(p, 0, sizeof *p);
    p->born = KN_NONE;
}

void kn_pain_init(kn_pain *p)
{
    memset(p, 0, sizeof *p);
    p->intensity = KN_NONE;
}

void kn_checkin_init(kn_checkin *c)
{
    memset(c, 0, sizeof *c);
    c->stress = KN_NONE;
    c->sleep_hours = NAN;
    c->sleep_quality = KN_NONE;
    c->routine = KN_ROUTINE_NONE;
    c->pain_free = KN_NONE;
    c->peg[0] = c->peg[1] = c->peg[2] = KN_NONE;
}

const char *kn_session_therapist(const kn_session *s)
{
    if (!s->therapist || !*s->therapist || strcmp(s->therapist, KN_THERAPIST_NOT_RECORDED) == 0)
        return NULL;
    return s->therapist;
}

void kn_session_init(kn_session *s)
{
    memset(s, 0, sizeof *s);
    s->minutes = KN_NONE;
    s->pre_pain = KN_NONE;
    s->post_pain = KN_NONE;
}

void kn_person_clear(kn_person *p)
{
    free(p->name);
    free(p->zone);
    kn_person_init(p);
}

void kn_pain_clear(kn_pain *p)
{
    free(p->note);
    kn_pain_init(p);
}

static void free_words(char **words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(words[i]);
    free(words);
}

void kn_checkin_clear(kn_checkin *c)
{
    free_words(c->tags, c->ntags);
    for (size_t i = 0; i < c->ntreatments; i++) {
        free(c->treatments[i].name);
        free(c->treatments[i].dose);
    }
    free(c->treatments);
    free(c->note);
    kn_checkin_init(c);
}

void kn_session_clear(kn_session *s)
{
    free(s->therapist);
    free(s->work);
    free_words(s->techniques, s->ntechniques);
    free(s->note);
    kn_session_init(s);
}

static kn_rc check_range(int v, int lo, int hi, bool optional, const char *field, kn_err *err)
{
    if (v == KN_NONE) {
        if (optional)
            return KN_OK;
        return kn_err_set(err, KN_EINVAL, "%s: is required", field);
    }
    if (v < lo || v > hi)
        return kn_err_field(err, KN_EINVAL, field, "%s %d: must be %d-%d", field, v, lo, hi);
    return KN_OK;
}

static kn_rc check_note(const char *note, const char *field, kn_err *err)
{
    if (note && strlen(note) > KN_NOTE_MAX)
        return kn_err_field(err, KN_EINVAL, field, "%s: too long (at most %d bytes)", field,
                            KN_NOTE_MAX);
    return KN_OK;
}

kn_rc kn_person_validate(const kn_person *p, kn_err *err)
{
    if (!p->name || !*p->name)
        return kn_err_set(err, KN_EINVAL, "name: is required");
    if (strlen(p->name) > KN_NAME_MAX)
        return kn_err_set(err, KN_EINVAL, "name: too long (at most %d bytes)", KN_NAME_MAX);
    if (p->born != KN_NONE) {
        int this_year;
        int m, d;
        kn_day_to_civil(kn_today(NULL), &this_year, &m, &d);
        kn_rc rc = check_range(p->born, 1900, this_year, true, "born", err);
        if (rc != KN_OK)
            return rc;
    }
    return kn_zone_validate(p->zone ? p->zone : "UTC", "tz", err);
}

static bool region_known(const char *region)
{
    /* only what kn_region_parse accepts, so the check never says more than it does */
    return kn_sided_lookup(region) >= 0;
}

static kn_rc check_region(const char *region, const char *field, kn_err *err)
{
    if (region_known(region))
        return KN_OK;
    const kn_region *r;
    char side;
    return kn_region_parse(region, field, &r, &side, err); /* the message says why */
}

kn_rc kn_pain_validate(const kn_pain *p, kn_err *err)
{
    kn_rc rc = check_region(p->region, "region", err);
    if (rc == KN_OK)
        rc = check_range(p->intensity, 0, 10, false, "intensity", err);
    if (rc == KN_OK && p->qualities >> NQUALITIES)
        rc = kn_err_set(err, KN_EINVAL, "qualities: unknown quality bit");
    if (rc == KN_OK && p->day != kn_instant_day(p->at))
        rc = kn_err_set(err, KN_EINVAL, "at: local day does not match the instant");
    if (rc == KN_OK)
        rc = check_note(p->note, "note", err);
    return rc;
}

kn_rc kn_checkin_validate(const kn_checkin *c, kn_err *err)
{
    kn_rc rc = check_range(c->stress, 0, 10, true, "stress", err);
    if (rc == KN_OK && !isnan(c->sleep_hours) && (c->sleep_hours < 0 || c->sleep_hours > 24))
        rc = kn_err_set(err, KN_EINVAL, "sleep_hours %g: must be 0-24", c->sleep_hours);
    if (rc == KN_OK)
        rc = check_range(c->sleep_quality, 0, 10, true, "sleep_quality", err);
    if (rc == KN_OK && c->pain_free != KN_NONE && c->pain_free != 1)
        rc = kn_err_set(err, KN_EINVAL, "pain_free: must be yes or absent");
    int pegs = (c->peg[0] != KN_NONE) + (c->peg[1] != KN_NONE) + (c->peg[2] != KN_NONE);
    if (rc == KN_OK && pegs != 0 && pegs != 3)
        rc = kn_err_set(err, KN_EINVAL, "peg: give all three answers or none");
    static const char *const peg_fields[] = {"peg_pain", "peg_enjoyment", "peg_activity"};
    for (int i = 0; rc == KN_OK && i < 3; i++)
        rc = check_range(c->peg[i], 0, 10, true, peg_fields[i], err);
    if (rc == KN_OK && (c->ntags > KN_LIST_MAX || c->ntreatments > KN_LIST_MAX))
        rc = kn_err_set(err, KN_EINVAL, "tags: at most %d tags and treatments", KN_LIST_MAX);
    if (rc == KN_OK)
        rc = check_note(c->note, "note", err);
    return rc;
}

kn_rc kn_session_validate(const kn_session *s, kn_err *err)
{
    kn_rc rc = KN_OK;
    if (!s->therapist || !*s->therapist)
        rc = kn_err_set(err, KN_EINVAL, "therapist: is required");
    else if (strlen(s->therapist) > KN_NAME_MAX)
        rc = kn_err_set(err, KN_EINVAL, "therapist: too long (at most %d bytes)", KN_NAME_MAX);
    if (rc == KN_OK)
        rc = check_range(s->minutes, 1, 600, false, "minutes", err);
    if (rc == KN_OK && s->nwork == 0)
        rc = kn_err_set(err, KN_EINVAL, "work: at least one region worked is required");
    if (rc == KN_OK && (s->nwork > KN_LIST_MAX || s->ntechniques > KN_LIST_MAX))
        rc = kn_err_set(err, KN_EINVAL, "work: at most %d items", KN_LIST_MAX);
    for (size_t i = 0; rc == KN_OK && i < s->nwork; i++) {
        rc = check_region(s->work[i].region, "work", err);
        if (rc == KN_OK)
            rc = check_range(s->work[i].pressure, 1, 10, false, "work pressure", err);
        if (rc == KN_OK)
            rc = check_range(s->work[i].discomfort, 0, 10, true, "work discomfort", err);
    }
    if (rc == KN_OK)
        rc = check_range(s->pre_pain, 0, 10, true, "pre_pain", err);
    if (rc == KN_OK)
        rc = check_range(s->post_pain, 0, 10, true, "post_pain", err);
    if (rc == KN_OK && s->day != kn_instant_day(s->at))
        rc = kn_err_set(err, KN_EINVAL, "at: local day does not match the instant");
    if (rc == KN_OK)
        rc = check_note(s->note, "note", err);
    return rc;
}

/* Grows an array of elem-sized items by one; returns the new slot or NULL. */
static void *grow_one(void **items, size_t *n, size_t elem)
{
    void *p = realloc(*items, (*n + 1) * elem);
    if (!p)
        return NULL;
    *items = p;
    return (char *)p + (*n)++ * elem;
}

kn_rc kn_checkin_add_tag(kn_checkin *c, const char *tag, kn_err *err)
{
    for (size_t i = 0; i < c->ntags; i++)
        if (strcmp(c->tags[i], tag) == 0)
            return KN_OK;
    if (c->ntags >= KN_LIST_MAX)
        return kn_err_set(err, KN_EINVAL, "tag: at most %d tags a day", KN_LIST_MAX);
    char *copy = kn_strdup(tag);
    char **slot = copy ? grow_one((void **)&c->tags, &c->ntags, sizeof *c->tags) : NULL;
    if (!slot) {
        free(copy);
        return kn_err_set(err, KN_ENOMEM, "tag: out of memory");
    }
    *slot = copy;
    return KN_OK;
}

kn_rc kn_checkin_add_treatment(kn_checkin *c, const kn_treatment *t, kn_err *err)
{
    if (c->ntreatments >= KN_LIST_MAX)
        return kn_err_set(err, KN_EINVAL, "treatment: at most %d a day", KN_LIST_MAX);
    kn_treatment copy = {kn_strdup(t->name), kn_strdup(t->dose)};
    kn_treatment *slot = NULL;
    if (copy.name && (copy.dose || !t->dose))
        slot = grow_one((void **)&c->treatments, &c->ntreatments, sizeof *c->treatments);
    if (!slot) {
        free(copy.name);
        free(copy.dose);
        return kn_err_set(err, KN_ENOMEM, "treatment: out of memory");
    }
    *slot = copy;
    return KN_OK;
}

kn_rc kn_session_add_work(kn_session *s, const kn_work *w, kn_err *err)
{
    if (s->nwork >= KN_LIST_MAX)
        return kn_err_set(err, KN_EINVAL, "work: at most %d regions", KN_LIST_MAX);
    kn_work *slot = grow_one((void **)&s->work, &s->nwork, sizeof *s->work);
    if (!slot)
        return kn_err_set(err, KN_ENOMEM, "work: out of memory");
    *slot = *w;
    return KN_OK;
}

kn_rc kn_session_add_technique(kn_session *s, const char *t, kn_err *err)
{
    if (s->ntechniques >= KN_LIST_MAX)
        return kn_err_set(err, KN_EINVAL, "technique: at most %d", KN_LIST_MAX);
    char *copy = kn_strdup(t);
    char **slot =
        copy ? grow_one((void **)&s->techniques, &s->ntechniques, sizeof *s->techniques) : NULL;
    if (!slot) {
        free(copy);
        return kn_err_set(err, KN_ENOMEM, "technique: out of memory");
    }
    *slot = copy;
    return KN_OK;
}

kn_rc kn_checkin_merge(kn_checkin *into, const kn_checkin *update, kn_err *err)
{
    if (update->stress != KN_NONE)
        into->stress = update->stress;
    if (!isnan(update->sleep_hours))
        into->sleep_hours = update->sleep_hours;
    if (update->sleep_quality != KN_NONE)
        into->sleep_quality = update->sleep_quality;
    if (update->routine != KN_ROUTINE_NONE)
        into->routine = update->routine;
    if (update->pain_free != KN_NONE)
        into->pain_free = update->pain_free;
    if (update->peg[0] != KN_NONE)
        memcpy(into->peg, update->peg, sizeof into->peg);
    if (update->note) {
        char *note = kn_strdup(update->note);
        if (!note)
            return kn_err_set(err, KN_ENOMEM, "note: out of memory");
        free(into->note);
        into->note = note;
    }
    if (update->ntags) {
        free_words(into->tags, into->ntags);
        into->tags = NULL;
        into->ntags = 0;
        for (size_t i = 0; i < update->ntags; i++) {
            kn_rc rc = kn_checkin_add_tag(into, update->tags[i], err);
            if (rc != KN_OK)
                return rc;
        }
    }
    if (update->ntreatments) {
        for (size_t i = 0; i < into->ntreatments; i++) {
            free(into->treatments[i].name);
            free(into->treatments[i].dose);
        }
        free(into->treatments);
        into->treatments = NULL;
        into->ntreatments = 0;
        for (size_t i = 0; i < update->ntreatments; i++) {
            kn_rc rc = kn_checkin_add_treatment(into, &update->treatments[i], err);
            if (rc != KN_OK)
                return rc;
        }
    }
    return KN_OK;
}

static bool str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

bool kn_checkin_equal(const kn_checkin *a, const kn_checkin *b)
{
    bool sleep_eq = (isnan(a->sleep_hours) && isnan(b->sleep_hours)) ||
                    fabs(a->sleep_hours - b->sleep_hours) < 1e-9;
    if (a->person_id != b->person_id || a->day != b->day || a->stress != b->stress || !sleep_eq ||
        a->sleep_quality != b->sleep_quality || a->routine != b->routine ||
        a->pain_free != b->pain_free || memcmp(a->peg, b->peg, sizeof a->peg) != 0 ||
        !str_eq(a->note, b->note) || a->ntags != b->ntags || a->ntreatments != b->ntreatments)
        return false;
    for (size_t i = 0; i < a->ntags; i++)
        if (!str_eq(a->tags[i], b->tags[i]))
            return false;
    for (size_t i = 0; i < a->ntreatments; i++)
        if (!str_eq(a->treatments[i].name, b->treatments[i].name) ||
            !str_eq(a->treatments[i].dose, b->treatments[i].dose))
            return false;
    return true;
}
