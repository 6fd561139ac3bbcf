/* Building a diary digest (include/knead/digest.h): growing its record arrays under a cap
 * and interning region and word names through a small open-addressing hash. */
#include <stdlib.h>
#include <string.h>

#include "knead/digest.h"

void kn_digest_init(kn_digest *d)
{
    memset(d, 0, sizeof *d);
}

void kn_digest_reset(kn_digest *d)
{
    d->npains = d->ncheckins = d->nmarks = d->nsessions = 0;
    d->nregions = d->nwords = 0;
    if (d->region_names.slot)
        memset(d->region_names.slot, 0, d->region_names.nslot * sizeof *d->region_names.slot);
    if (d->word_names.slot)
        memset(d->word_names.slot, 0, d->word_names.nslot * sizeof *d->word_names.slot);
}

void kn_digest_free(kn_digest *d)
{
    free(d->pains);
    free(d->checkins);
    free(d->marks);
    free(d->sessions);
    free(d->regions);
    free(d->words);
    free(d->region_names.slot);
    free(d->word_names.slot);
    kn_digest_init(d);
}

/* Room for one more item in an array of *n items (of elem bytes) holding *cap, up to max. */
static kn_rc grow(void **items, size_t n, size_t *cap, size_t elem, size_t max)
{
    if (n < *cap)
        return KN_OK;
    if (n >= max)
        return KN_ENOMEM;
    size_t ncap = *cap ? *cap * 2 : 64;
    if (ncap > max)
        ncap = max;
    void *p = realloc(*items, ncap * elem);
    if (!p)
        return KN_ENOMEM;
    *items = p;
    *cap = ncap;
    return KN_OK;
}

#define GROW(d, field, cap, max)                                                                   \
    grow((void **)&(d)->field, (d)->n##field, &(d)->cap, sizeof *(d)->field, (max))

/* A hash of the name taken eight bytes at a time (names are short: a handful of words). */
static size_t name_hash(unsigned kind, const char *s, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ ((uint64_t)kind << 32) ^ len;
    for (; len >= 8; s += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < len; i++)
        w = w << 8 | (unsigned char)s[i];
    h = (h ^ w) * 0xff51afd7ed558ccdu;
    return (size_t)(h ^ h >> 29);
}

/* The name of entry i of a table and its kind (0 for regions). */
typedef const char *(*name_of_fn)(const kn_digest *d, size_t i, unsigned *kind);

static const char *region_name(const kn_digest *d, size_t i, unsigned *kind)
{
    *kind = 0;
    return d->regions[i];
}

static const char *word_name(const kn_digest *d, size_t i, unsigned *kind)
{
    *kind = (unsigned)d->words[i].kind;
    return d->words[i].name;
}

/* Doubles the slots of t (n names in it) and puts the names back. */
static kn_rc names_grow(kn_digest_names *t, const kn_digest *d, size_t n, name_of_fn name_of)
{
    size_t nslot = t->nslot ? t->nslot * 2 : 64;
    uint16_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return KN_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        unsigned kind;
        const char *name = name_of(d, i, &kind);
        size_t h = name_hash(kind, name, strlen(name)) & (nslot - 1);
        while (slot[h])
            h = (h + 1) & (nslot - 1);
        slot[h] = (uint16_t)(i + 1);
    }
    free(t->slot);
    t->slot = slot;
    t->nslot = nslot;
    return KN_OK;
}

/* The slot of table t that holds the name (*found) or the free slot where it goes. */
static size_t names_probe(const kn_digest_names *t, const kn_digest *d, name_of_fn name_of,
                          unsigned kind, const char *s, size_t len, bool *found)
{
    size_t h = name_hash(kind, s, len) & (t->nslot - 1);
    for (; t->slot[h]; h = (h + 1) & (t->nslot - 1)) {
        unsigned k;
        const char *name = name_of(d, t->slot[h] - 1u, &k);
        /* name lies in a field longer than len (the callers check), so memcmp reads only
         * that field even when name is shorter. */
        if (k == kind && memcmp(name, s, len) == 0 && name[len] == '\0') {
            *found = true;
            return h;
        }
    }
    *found = false;
    return h;
}

/* Looks the name up in table t of n names: *out is its index when there (*found), else the
 * slot where the new name n goes, with room made for it (the cap allowing). */
static kn_rc names_lookup(kn_digest_names *t, const kn_digest *d, size_t n, name_of_fn name_of,
                          unsigned kind, const char *s, size_t len, size_t *out, bool *found)
{
    *found = false;
    if (t->nslot) {
        size_t h = names_probe(t, d, name_of, kind, s, len, found);
        if (*found) {
            *out = t->slot[h] - 1u;
            return KN_OK;
        }
        *out = h;
    }
    if (n >= KN_DIGEST_NAMES_MAX)
        return KN_ETOOBIG;
    if (2 * (n + 1) > t->nslot) {
        kn_rc rc = names_grow(t, d, n, name_of);
        if (rc != KN_OK)
            return rc;
        *out = names_probe(t, d, name_of, kind, s, len, found);
    }
    return KN_OK;
}

/* The index of the name in the digest's regions (a region) or words (a tag or treatment of
 * kind), added when new. */
static kn_rc intern(kn_digest *d, bool region, unsigned kind, const char *s, size_t len,
                    uint16_t *out)
{
    if (len >= (region ? sizeof d->regions[0] : sizeof d->words[0].name))
        return KN_EINVAL;
    kn_digest_names *t = region ? &d->region_names : &d->word_names;
    size_t *n = region ? &d->nregions : &d->nwords;
    size_t at = 0;
    bool found;
    kn_rc rc = names_lookup(t, d, *n, region ? region_name : word_name, kind, s, len, &at, &found);
    if (rc != KN_OK || found) {
        if (found)
            *out = (uint16_t)at;
        return rc;
    }
    rc = region ? GROW(d, regions, regions_cap, KN_DIGEST_NAMES_MAX)
                : GROW(d, words, words_cap, KN_DIGEST_NAMES_MAX);
    if (rc != KN_OK)
        return rc;
    char *name = region ? d->regions[*n] : d->words[*n].name;
    if (!region)
        d->words[*n].kind = (kn_word_kind)kind;
    memcpy(name, s, len);
    name[len] = '\0';
    *out = (uint16_t)(*n)++;
    t->slot[at] = (uint16_t)*n;
    return KN_OK;
}

/* Appends a copy of item (elem bytes) to a record array of *n holding *cap. */
static kn_rc push(void **items, size_t *n, size_t *cap, size_t elem, const void *item)
{
    kn_rc rc = grow(items, *n, cap, elem, KN_DIGEST_RECORDS_MAX);
    if (rc != KN_OK)
        return rc;
    memcpy((char *)*items + *n * elem, item, elem);
    (*n)++;
    return KN_OK;
}

#define PUSH(d, field, item)                                                                       \
    push((void **)&(d)->field, &(d)->n##field, &(d)->field##_cap, sizeof *(d)->field, (item))

kn_rc kn_digest_add_pain(kn_digest *d, kn_day day, const char *region, size_t len, int intensity)
{
    kn_digest_pain p = {.day = day, .intensity = (int16_t)intensity};
    kn_rc rc = intern(d, true, 0, region, len, &p.region);
    return rc == KN_OK ? PUSH(d, pains, &p) : rc;
}

kn_rc kn_digest_add_checkin(kn_digest *d, const kn_digest_checkin *c)
{
    return PUSH(d, checkins, c);
}

kn_rc kn_digest_add_mark(kn_digest *d, kn_day day, kn_word_kind kind, const char *name, size_t len)
{
    kn_digest_mark m = {.day = day};
    kn_rc rc = intern(d, false, (unsigned)kind, name, len, &m.word);
    return rc == KN_OK ? PUSH(d, marks, &m) : rc;
}

kn_rc kn_digest_add_session(kn_digest *d, const kn_digest_session *s)
{
    return PUSH(d, sessions, s);
}

kn_rc kn_digest_add_records(kn_digest *d, const kn_pain *pains, size_t npains,
                            const kn_checkin *checkins, size_t ncheckins,
                            const kn_session *sessions, size_t nsessions)
{
    kn_rc rc = KN_OK;
    for (size_t i = 0; rc == KN_OK && i < npains; i++)
        rc = kn_digest_add_pain(d, pains[i].day, pains[i].region, strlen(pains[i].region),
                                pains[i].intensity);
    for (size_t i = 0; rc == KN_OK && i < ncheckins; i++) {
        const kn_checkin *c = &checkins[i];
        kn_digest_checkin dc = {.day = c->day,
                                .stress = c->stress,
                                .sleep_hours = c->sleep_hours,
                                .sleep_quality = c->sleep_quality,
                                .routine = c->routine,
                                .pain_free = c->pain_free,
                                .peg = {c->peg[0], c->peg[1], c->peg[2]}};
        rc = kn_digest_add_checkin(d, &dc);
        for (size_t k = 0; rc == KN_OK && k < c->ntags; k++)
            rc = kn_digest_add_mark(d, c->day, KN_WORD_TAG, c->tags[k], strlen(c->tags[k]));
        for (size_t k = 0; rc == KN_OK && k < c->ntreatments; k++) {
            const char *name = c->treatments[k].name;
            rc = kn_digest_add_mark(d, c->day, KN_WORD_TREATMENT, name, strlen(name));
        }
    }
    for (size_t i = 0; rc == KN_OK && i < nsessions; i++) {
        const kn_session *s = &sessions[i];
        kn_digest_session ds = {s->at, s->day, s->pre_pain, s->post_pain};
        rc = kn_digest_add_session(d, &ds);
    }
    return rc;
}

const char *kn_digest_failure(kn_rc rc)
{
    return rc == KN_EINVAL    ? "a region, tag or treatment name is longer than its field"
           : rc == KN_ETOOBIG ? "a diary beyond the digest's caps (names of tags and treatments)"
                              : "out of memory";
}
