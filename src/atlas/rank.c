/* The referral ranking: which muscles' trigger points best explain a pain map. Each muscle
 * side is a weighted pattern over the sided regions (primary zones, secondary zones, its own
 * trigger-point sites); its score is the cosine between that pattern and the map, so that
 * intensity counts and a big pattern does not win merely by being big. The patterns are
 * precomputed once into an inverted index (region -> muscle sides), so a ranking touches only
 * the muscles that refer to a marked region. The scoring is documented in docs/RANKING.md.
 * kn_rank_reference computes the ranking step by step as documented; kn_rank gives exactly
 * its results, faster (the fast path at the end), and hands it the maps it cannot take. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atlas/load.h"

/* Pattern weights (docs/RANKING.md): roughly the share of people with an active trigger
 * point in the muscle who feel pain in the region. */
#define W_PRIMARY 0.9f   /* "nearly everyone" */
#define W_SECONDARY 0.4f /* "some people" */
#define W_SITE 0.5f      /* local pain at the muscle's own trigger-point site */
#define TIER_A 1.0f
#define TIER_B 0.9f
#define TIER_C 0.8f
#define UNGIVEN_WEIGHT 0.5f /* a mark without intensity counts as moderate (5 of 10) */

#define CAND_MAX 256 /* two sides per muscle */
#define CAND_WORDS (CAND_MAX / 64)

typedef struct entry {
    uint16_t cand;
    uint16_t count; /* 1, + 256 when the region is one of its primary zones */
    float z;        /* pattern weight times evidence tier */
} entry;

typedef struct model {
    size_t ncand;
    const kn_muscle *muscle0; /* kn_muscle_at(0): candidate c is muscle c / 2 */
    float norm[CAND_MAX];     /* length of the pattern (kind weights) */
    float inv_norm[CAND_MAX]; /* 1 / norm, or 0 for an empty pattern */
    kn_regionset primary[CAND_MAX], secondary[CAND_MAX], local[CAND_MAX], all[CAND_MAX];
    float (*z)[KN_SIDED_MAX];                  /* z[cand][region] */
    entry *entries;                            /* the inverted index: entries of region i are */
    uint32_t start[KN_SIDED_MAX + 1];          /* entries[start[i] .. start[i+1]) */
    uint64_t listed[KN_SIDED_MAX][CAND_WORDS]; /* by region: the candidates it lists */
} model;

static model M;

static void free_model(void)
{
    free(M.z);
    free(M.entries);
    memset(&M, 0, sizeof M);
}

static float tier_factor(char tier)
{
    return tier == 'A' ? TIER_A : tier == 'B' ? TIER_B : TIER_C;
}

/* Adds one reason (a zone or a trigger-point site) for region t to hurt: the reasons combine
 * like independent chances (noisy-OR), so a region that is both a referral zone and the
 * muscle's own site weighs more than either, and never more than 1. miss[] and zmiss[] hold
 * the chance that no reason applies, without and with the evidence discount. */
static void put(float (*miss)[KN_SIDED_MAX], float (*zmiss)[KN_SIDED_MAX], size_t c, int t,
                float kind, float tier)
{
    if (t < 0)
        return;
    miss[c][t] *= 1.0f - kind;
    zmiss[c][t] *= 1.0f - kind * tier;
}

static void build_candidate(float (*miss)[KN_SIDED_MAX], float (*zmiss)[KN_SIDED_MAX], size_t c,
                            const kn_muscle *m, char side)
{
    for (int t = 0; t < KN_SIDED_MAX; t++)
        miss[c][t] = zmiss[c][t] = 1.0f;
    for (size_t j = 0; j < m->nzones; j++) {
        const kn_zone *zn = &m->zones[j];
        float kind = zn->kind == KN_ZONE_PRIMARY ? W_PRIMARY : W_SECONDARY;
        kn_regionset *set = zn->kind == KN_ZONE_PRIMARY ? &M.primary[c] : &M.secondary[c];
        /* A midline region has one index, so it counts for either side by construction. */
        int same = kn_sided_of(zn->region, side);
        put(miss, zmiss, c, same, kind, tier_factor(zn->tier));
        kn_regionset_add(set, same);
        if (zn->both_sides) {
            int other = kn_sided_of(zn->region, side == 'l' ? 'r' : 'l');
            put(miss, zmiss, c, other, kind, tier_factor(zn->tier));
            kn_regionset_add(set, other);
        }
    }
    for (size_t s = 0; s < m->nsites; s++) {
        int t = kn_sided_of(m->sites[s], side);
        put(miss, zmiss, c, t, W_SITE, TIER_C);
        if (!kn_regionset_has(&M.primary[c], t) && !kn_regionset_has(&M.secondary[c], t))
            kn_regionset_add(&M.local[c], t);
    }
    double sq = 0;
    for (int t = 0; t < KN_SIDED_MAX; t++) {
        double k = 1.0 - miss[c][t];
        M.z[c][t] = 1.0f - zmiss[c][t];
        sq += k * k;
        if (k > 0)
            kn_regionset_add(&M.all[c], t);
    }
    M.norm[c] = (float)sqrt(sq);
    M.inv_norm[c] = sq > 0 ? (float)(1.0 / sqrt(sq)) : 0.0f;
}

void kn_atlas_build_ranking(void)
{
    size_t nm = kn_muscle_count();
    if (2 * nm > CAND_MAX) {
        kn_atlas_problem("ranking: more than %d muscles", CAND_MAX / 2);
        nm = CAND_MAX / 2;
    }
    M.ncand = 2 * nm;
    size_t rows = M.ncand ? M.ncand : 1;
    float(*miss)[KN_SIDED_MAX] = malloc(rows * sizeof *miss);
    float(*zmiss)[KN_SIDED_MAX] = malloc(rows * sizeof *zmiss);
    M.z = calloc(rows, sizeof *M.z);
    if (!miss || !zmiss || !M.z)
        goto fail;
    M.muscle0 = kn_muscle_at(0);
    for (size_t m = 0; m < nm; m++) {
        build_candidate(miss, zmiss, 2 * m, kn_muscle_at(m), 'l');
        build_candidate(miss, zmiss, 2 * m + 1, kn_muscle_at(m), 'r');
    }
    size_t nsided = kn_sided_count(), total = 0;
    for (size_t c = 0; c < M.ncand; c++)
        total += (size_t)kn_regionset_count(&M.all[c]);
    M.entries = malloc((total ? total : 1) * sizeof *M.entries);
    if (!M.entries)
        goto fail;
    size_t n = 0;
    for (size_t t = 0; t < nsided; t++) {
        M.start[t] = (uint32_t)n;
        for (size_t c = 0; c < M.ncand; c++)
            if (M.z[c][t] > 0 && kn_regionset_has(&M.all[c], (int)t)) {
                bool primary = kn_regionset_has(&M.primary[c], (int)t);
                M.entries[n++] = (entry){(uint16_t)c, (uint16_t)(1 + 256 * primary), M.z[c][t]};
                M.listed[t][c / 64] |= (uint64_t)1 << (c % 64);
            }
    }
    for (size_t t = nsided; t <= KN_SIDED_MAX; t++)
        M.start[t] = (uint32_t)n;
    free(zmiss);
    free(miss);
    return;
fail:
    free(zmiss);
    free(miss);
    free_model();
    M.ncand = 0;
    kn_atlas_problem("ranking: out of memory");
}

/* ---- pain maps ---- */

void kn_painmap_init(kn_painmap *m)
{
    memset(m, 0, sizeof *m);
}

kn_rc kn_painmap_add(kn_painmap *m, const char *sided, double intensity, const char *field,
                     kn_err *err)
{
    int i;
    kn_rc rc = kn_sided_parse(sided, field, &i, err);
    if (rc != KN_OK)
        return rc;
    if (intensity > 10 || intensity == 0 || isnan(intensity))
        return kn_err_set(err, KN_EINVAL, "%s %s: intensity must be above 0 and at most 10", field,
                          sided);
    float given = intensity < 0 ? -1.0f : (float)intensity;
    int k = kn_painmap_find(m, i);
    if (k >= 0) {
        if (given > m->intensity[k]) { /* marked twice: the stronger mark counts */
            m->intensity[k] = given;
            m->weight[k] = given / 10.0f;
        }
        return KN_OK;
    }
    kn_regionset_add(&m->set, i);
    m->region[m->n] = (uint8_t)i;
    m->intensity[m->n] = given;
    m->weight[m->n] = given < 0 ? UNGIVEN_WEIGHT : given / 10.0f;
    m->n++;
    return KN_OK;
}

kn_rc kn_painmap_add_days(kn_painmap *m, const char *sided, double mean, int days, int window,
                          const char *field, kn_err *err)
{
    if (window < 1 || window > UINT16_MAX)
        return kn_err_set(err, KN_EINVAL, "%s %s: a window of %d days must be 1-%d", field, sided,
                          window, UINT16_MAX);
    if (m->n && m->window != window)
        return kn_err_set(err, KN_EINVAL,
                          "%s %s: a window of %d days, but the map's marks have %d (0: by hand)",
                          field, sided, window, m->window);
    if (days < 1 || days > window)
        return kn_err_set(err, KN_EINVAL, "%s %s: %d days with pain must be 1-%d", field, sided,
                          days, window);
    if (!(mean > 0 && mean <= 10))
        return kn_err_set(err, KN_EINVAL, "%s %s: intensity must be above 0 and at most 10", field,
                          sided);
    int i;
    kn_rc rc = kn_sided_parse(sided, field, &i, err);
    if (rc != KN_OK)
        return rc;
    int k = kn_painmap_find(m, i);
    if (k < 0 && (rc = kn_painmap_add(m, sided, mean, field, err)) != KN_OK)
        return rc;
    /* The burden over the most the window could hold: mean x days / (10 x window). */
    float weight = (float)(mean / 10.0 * days / window);
    if (k < 0)
        k = (int)m->n - 1;
    else if (weight <= m->weight[k])
        return KN_OK; /* marked twice: the heavier mark counts */
    m->intensity[k] = (float)mean;
    m->weight[k] = weight;
    m->days[k] = (uint16_t)days;
    m->window = window;
    return KN_OK;
}

int kn_painmap_find(const kn_painmap *m, int i)
{
    if (i < 0 || i >= KN_SIDED_MAX || !kn_regionset_has(&m->set, i))
        return -1;
    for (size_t k = 0; k < m->n; k++)
        if (m->region[k] == i)
            return (int)k;
    return -1;
}

kn_rc kn_painmap_parse(kn_painmap *m, const char *arg, const char *field, kn_err *err)
{
    char id[KN_REGION_MAX];
    const char *colon = strchr(arg, ':');
    size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
    if (len >= sizeof id)
        return kn_err_set(err, KN_EINVAL, "%s %.40s...: unknown region", field, arg);
    memcpy(id, arg, len);
    id[len] = '\0';
    double intensity = -1;
    if (colon) {
        char *end;
        long v = strtol(colon + 1, &end, 10);
        if (!colon[1] || *end || v < 1 || v > 10)
            return kn_err_set(err, KN_EINVAL, "%s %s: intensity after ':' must be 1-10", field,
                              arg);
        intensity = (double)v;
    }
    return kn_painmap_add(m, id, intensity, field, err);
}

/* ---- ranking ---- */

static double map_norm(const kn_painmap *map)
{
    double sq = 0;
    for (size_t k = 0; k < map->n; k++)
        sq += (double)map->weight[k] * map->weight[k];
    return sqrt(sq);
}

double kn_rank_score(const kn_painmap *map, const kn_muscle *m, char side)
{
    kn_atlas_ready();
    size_t mi = (size_t)(m - kn_muscle_at(0));
    size_t c = 2 * mi + (side == 'r');
    double wn = map_norm(map);
    if (c >= M.ncand || wn == 0 || M.norm[c] == 0)
        return 0;
    double dot = 0;
    for (size_t k = 0; k < map->n; k++)
        dot += (double)map->weight[k] * M.z[c][map->region[k]];
    return dot / (wn * M.norm[c]);
}

/* Population count and next member, inline (the library may be built without a hardware
 * popcount instruction). */
static inline int popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555u);
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return (int)((x * 0x0101010101010101u) >> 56);
}

static inline int set_count(const kn_regionset *s)
{
    return popcount64(s->bits[0]) + popcount64(s->bits[1]);
}

static inline int set_next(const kn_regionset *s, int i)
{
    for (; i < KN_SIDED_MAX; i = (i | 63) + 1) {
        uint64_t w = s->bits[i >> 6] >> (i & 63);
        if (w)
            return i + __builtin_ctzll(w);
    }
    return -1;
}

/* Runs the statement that follows once for each member i, ascending, of the bitset of
 * nwords words at words (a continue moves on to the next member). */
#define FOR_BITS(i, words, nwords)                                                                 \
    for (size_t w_##i = 0; w_##i < (nwords); w_##i++)                                              \
        for (uint64_t b_##i = (words)[w_##i]; b_##i; b_##i &= b_##i - 1)                           \
            for (size_t i = 64 * w_##i + (size_t)__builtin_ctzll(b_##i), once_##i = 1; once_##i;   \
                 once_##i = 0)

static inline kn_regionset set_and(const kn_regionset *a, const kn_regionset *b)
{
    return (kn_regionset){{a->bits[0] & b->bits[0], a->bits[1] & b->bits[1]}};
}

static inline bool set_equal(const kn_regionset *a, const kn_regionset *b)
{
    return a->bits[0] == b->bits[0] && a->bits[1] == b->bits[1];
}

static inline bool set_subset(const kn_regionset *a, const kn_regionset *b)
{
    return !(a->bits[0] & ~b->bits[0]) && !(a->bits[1] & ~b->bits[1]);
}

static void fill_candidate(const kn_painmap *map, size_t c, char side, float score,
                           kn_candidate *out)
{
    out->muscle = M.muscle0 + c / 2;
    out->side = side;
    out->score = score;
    out->primary = set_and(&map->set, &M.primary[c]);
    out->secondary = set_and(&map->set, &M.secondary[c]);
    out->local = set_and(&map->set, &M.local[c]);
}

static void add_cover_item(kn_ranking *out, size_t c, char side, const kn_regionset *explains)
{
    kn_cover_item *item = &out->cover[out->ncover++];
    item->muscle = M.muscle0 + c / 2;
    item->side = side;
    item->explains = *explains;
}

/* ==== The reference ranking ====
 * docs/RANKING.md step by step, for any map: kn_rank hands it the maps its fast path cannot
 * take (a region twice, a mark missing from the set, a weight outside (0, 1], more than 64
 * marks), and the tests check that the fast path gives exactly its results. */

/* A scored muscle side (or both sides, merged). */
typedef struct scored {
    uint16_t cand; /* the left candidate when merged */
    char side;
    float score;
    kn_regionset explains;
    int nexplains;
    int nprimary;
} scored;

/* Best first; ties: more marks in primary zones, then table order, then left before right. */
static bool better(const scored *a, const scored *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    if (a->nprimary != b->nprimary)
        return a->nprimary > b->nprimary;
    return a->cand < b->cand;
}

/* The marks of map that no pick but skip1 and skip2 explains. */
static kn_regionset needed_without(const kn_painmap *map, const scored *all, const uint16_t *picks,
                                   size_t npicks, size_t skip1, size_t skip2)
{
    kn_regionset need = map->set;
    for (size_t q = 0; q < npicks; q++)
        if (q != skip1 && q != skip2)
            for (int w = 0; w < KN_SIDED_MAX / 64; w++)
                need.bits[w] &= ~all[picks[q]].explains.bits[w];
    return need;
}

/* Greedy cover can take two muscles where one would do (a tight fit first, then a second
 * for the rest, when one wider pattern explains both). Replace any two picks by the
 * best-scoring single muscle that explains what only they explained, until none does. */
static size_t merge_pairs(const kn_painmap *map, const scored *all, size_t n, uint16_t *picks,
                          size_t npicks)
{
    /* After pruning, each pick explains a mark no other pick does, so what two picks leave
     * holds at least two marks: only muscles that explain two or more can replace them. */
    uint16_t wide[CAND_MAX];
    size_t nwide = 0;
    for (size_t j = 0; j < n && npicks > 1; j++)
        if (all[j].nexplains >= 2)
            wide[nwide++] = (uint16_t)j;
    bool merged = true;
    while (merged && npicks > 1) {
        merged = false;
        for (size_t p = 0; p < npicks && !merged; p++) {
            for (size_t q = p + 1; q < npicks && !merged; q++) {
                kn_regionset need = needed_without(map, all, picks, npicks, p, q);
                int best = -1;
                for (size_t w = 0; w < nwide; w++) {
                    size_t j = wide[w];
                    if (set_subset(&need, &all[j].explains) &&
                        (best < 0 || better(&all[j], &all[best])))
                        best = (int)j;
                }
                if (best < 0)
                    continue;
                picks[p] = (uint16_t)best;
                memmove(&picks[q], &picks[q + 1], (npicks - q - 1) * sizeof picks[0]);
                npicks--;
                merged = true;
            }
        }
    }
    return npicks;
}

/* Takes the marks in `covered` out of the running totals: each candidate's dot product
 * with the still-unexplained marks (gain) and how many of them it explains (left). */
static void take_out(const kn_regionset *covered, const float *weight, float *gain, uint8_t *left)
{
    for (int i = set_next(covered, 0); i >= 0; i = set_next(covered, i + 1))
        for (uint32_t e = M.start[i]; e < M.start[i + 1]; e++) {
            gain[M.entries[e].cand] -= weight[i] * M.entries[e].z;
            left[M.entries[e].cand]--;
        }
}

/* Greedy weighted set cover. The elements are the marks, weighted by intensity; a muscle
 * side covers the marks it explains (primary, secondary or local), and what it is worth is
 * its score on the marks not yet explained (the same weighting and size penalty as the
 * ranking). Repeatedly take the muscle worth most, drop any pick the others make redundant,
 * then merge pairs into single muscles where possible (merge_pairs). */
static void cover(const kn_painmap *map, const float *weight, float *gain, uint8_t *left,
                  const scored *all, size_t n, size_t first, kn_ranking *out)
{
    /* With every mark still unexplained, what a muscle is worth is its score: the first pick
     * is the best candidate, already known. Afterwards the totals are kept up to date as
     * marks get explained, so a round costs one pass over the candidates. */
    uint16_t picks[KN_SIDED_MAX];
    picks[0] = (uint16_t)first;
    size_t npicks = 1;
    kn_regionset remaining = map->set;
    kn_regionset covered = set_and(&all[first].explains, &remaining);
    for (int w = 0; w < KN_SIDED_MAX / 64; w++)
        remaining.bits[w] &= ~covered.bits[w];
    while (!kn_regionset_empty(&remaining) && npicks < KN_SIDED_MAX) {
        take_out(&covered, weight, gain, left);
        int best = -1;
        float best_gain = 0;
        for (size_t j = 0; j < n; j++) {
            size_t c = all[j].cand;
            if (!left[c])
                continue;
            float g = gain[c] * M.inv_norm[c];
            if (best < 0 || g > best_gain || (g == best_gain && better(&all[j], &all[best]))) {
                best = (int)j;
                best_gain = g;
            }
        }
        if (best < 0)
            break;
        picks[npicks++] = (uint16_t)best;
        covered = set_and(&all[best].explains, &remaining);
        for (int w = 0; w < KN_SIDED_MAX / 64; w++)
            remaining.bits[w] &= ~covered.bits[w];
    }
    out->uncovered = remaining;
    /* Later picks were chosen for what the earlier ones left; an early pick can become
     * redundant. Check the picks in reverse order of choice. */
    bool keep[KN_SIDED_MAX];
    for (size_t p = 0; p < npicks; p++)
        keep[p] = true;
    for (size_t p = npicks; p-- > 0;) {
        kn_regionset others = {{0, 0}};
        for (size_t q = 0; q < npicks; q++)
            if (q != p && keep[q])
                for (int w = 0; w < KN_SIDED_MAX / 64; w++)
                    others.bits[w] |= all[picks[q]].explains.bits[w];
        if (set_subset(&all[picks[p]].explains, &others))
            keep[p] = false;
    }
    size_t nkept = 0;
    for (size_t p = 0; p < npicks; p++)
        if (keep[p])
            picks[nkept++] = picks[p];
    npicks = merge_pairs(map, all, n, picks, nkept);
    for (size_t p = 0; p < npicks; p++)
        add_cover_item(out, all[picks[p]].cand, all[picks[p]].side, &all[picks[p]].explains);
}

/* Checks what both rankings check; KN_OK with *done set when the ranking is empty. */
static kn_rc rank_start(const kn_painmap *map, size_t top, kn_ranking *out, bool *done, kn_err *err)
{
    kn_atlas_ready();
    out->ntop = 0;
    out->ncover = 0;
    out->unexplained = map->set;
    out->uncovered = map->set;
    *done = true;
    if (top < 1 || top > KN_RANK_TOP_MAX)
        return kn_err_set(err, KN_EINVAL, "--top %zu: must be 1-%d", top, KN_RANK_TOP_MAX);
    if (map->n == 0)
        return KN_OK;
    if (M.ncand == 0)
        return kn_err_set(err, KN_ENOMEM, "the muscle tables could not be loaded");
    *done = false;
    return KN_OK;
}

kn_rc kn_rank_reference(const kn_painmap *map, size_t top, kn_ranking *out, kn_err *err)
{
    bool done;
    kn_rc rc = rank_start(map, top, out, &done, err);
    if (rc != KN_OK || done)
        return rc;
    float inv_wn = (float)(1.0 / map_norm(map));

    /* Accumulate each touched muscle side's dot product with the map; note each mark's
     * weight by region for the cover (only marked entries are ever read). */
    float weight[KN_SIDED_MAX];
    float acc[CAND_MAX];
    uint8_t seen[CAND_MAX];
    uint16_t touched[CAND_MAX];
    uint8_t left[CAND_MAX]; /* how many marks it explains (for the cover: still unexplained) */
    size_t ntouched = 0;
    memset(seen, 0, M.ncand);
    for (size_t k = 0; k < map->n; k++) {
        int i = map->region[k];
        float w = map->weight[k];
        weight[i] = w;
        for (uint32_t e = M.start[i]; e < M.start[i + 1]; e++) {
            uint16_t c = M.entries[e].cand;
            if (!seen[c]) {
                seen[c] = 1;
                acc[c] = 0;
                left[c] = 0;
                touched[ntouched++] = c;
            }
            acc[c] += w * M.entries[e].z;
            left[c]++;
        }
    }

    /* Score them; two sides that explain the same marks are one candidate ('b'). */
    scored all[CAND_MAX];
    size_t n = 0;
    for (size_t t = 0; t < ntouched; t++) {
        uint16_t c = touched[t];
        kn_regionset e = set_and(&map->set, &M.all[c]);
        uint16_t mate = c ^ 1;
        char side = (c & 1) ? 'r' : 'l';
        if (seen[mate]) {
            kn_regionset f = set_and(&map->set, &M.all[mate]);
            if (set_equal(&e, &f)) {
                if (c & 1)
                    continue; /* the left side stands for both */
                side = 'b';
            }
        }
        kn_regionset p = set_and(&map->set, &M.primary[c]);
        all[n++] = (scored){c, side, acc[c] * inv_wn * M.inv_norm[c], e, left[c], set_count(&p)};
    }

    if (n == 0)
        return KN_OK; /* only with broken tables: every region has some muscle */

    /* The best `top`, by insertion into a short sorted list. */
    size_t best[KN_RANK_TOP_MAX];
    size_t nbest = 0;
    float bar = -1; /* the score to beat once the list is full */
    for (size_t j = 0; j < n; j++) {
        if (all[j].score < bar)
            continue;
        size_t pos = nbest;
        while (pos > 0 && better(&all[j], &all[best[pos - 1]]))
            pos--;
        if (pos >= top)
            continue;
        for (size_t k = nbest < top ? nbest : top - 1; k > pos; k--)
            best[k] = best[k - 1];
        best[pos] = j;
        if (nbest < top)
            nbest++;
        if (nbest == top)
            bar = all[best[top - 1]].score;
    }
    kn_regionset explained = {{0, 0}};
    for (size_t r = 0; r < nbest; r++) {
        const scored *s = &all[best[r]];
        fill_candidate(map, s->cand, s->side, s->score, &out->top[r]);
        for (int w = 0; w < KN_SIDED_MAX / 64; w++)
            explained.bits[w] |= s->explains.bits[w];
    }
    out->ntop = nbest;
    for (int w = 0; w < KN_SIDED_MAX / 64; w++)
        out->unexplained.bits[w] = map->set.bits[w] & ~explained.bits[w];
    cover(map, weight, acc, left, all, n, best[0], out);
    return KN_OK;
}

/* ==== The fast path ====
 * The same ranking for a map that kn_painmap_add makes, of at most 64 marks: distinct
 * regions, all in its set, weights in (0, 1]. Every score is then finite and >= 0, so a
 * candidate's place in the order of better() is one integer (fast_key), and the order in
 * which candidates are met no longer matters; the arithmetic on each score and gain is the
 * reference's, operation for operation, so the results are the same to the last bit.
 * What makes it fast (docs/RANKING.md, "Speed"): sets of candidates are bitsets built from
 * the index (M.listed: the candidates each region lists) and sets of marks are 64-bit
 * masks, so a cover round looks only at the candidates that explain a mark still
 * unexplained and a pair merge finds its replacements by intersecting sets; the top list
 * and the cover's choice are made without branching on the data (mispredicted branches,
 * not arithmetic, were most of the reference's time); nothing is cleared per candidate
 * but two short arrays. */

#define FAST_MARKS 64

typedef struct candset {
    uint64_t w[CAND_WORDS];
} candset;

/* A ranking's working state, on the stack. By candidate c (muscle c / 2, the right side
 * when c is odd); only the candidates the marks touch are read. */
typedef struct fast {
    float weight[KN_SIDED_MAX]; /* by region: the weight of its mark */
    float gain[CAND_MAX];       /* dot product with the map (cover: its unexplained marks) */
    uint16_t count[CAND_MAX];   /* marks it explains + 256 x marks in its primary zones */
    uint64_t key[CAND_MAX];     /* fast_key */
    float score[CAND_MAX];
    char side[CAND_MAX];     /* 'l', 'r' or 'b' */
    candset cands;           /* the candidates (touched; of two merged sides, the left) */
    size_t n;                /* how many, */
    uint64_t keys[CAND_MAX]; /* ... and their keys, in table order */
} fast;

/* The order of better() as one integer, larger first: the score (finite and >= 0, so its
 * bits order like the numbers), the marks in primary zones, then table order. Never 0. */
static inline uint64_t fast_key(float score, unsigned nprimary, size_t c)
{
    uint32_t bits;
    memcpy(&bits, &score, sizeof bits);
    return (uint64_t)bits << 32 | (uint64_t)nprimary << 16 | (uint64_t)(0xffffu - c);
}

static inline size_t key_cand(uint64_t key)
{
    return 0xffffu - (key & 0xffffu);
}

/* Whether map is one kn_painmap_add could make, which the fast path needs; if so *inv_wn
 * is 1 / |w|, computed as the reference computes it (map_norm). */
static bool fast_fits(const kn_painmap *map, float *inv_wn)
{
    kn_regionset marked = {{0, 0}};
    double sq = 0;
    bool fits = map->n <= FAST_MARKS;
    for (size_t k = 0; k < map->n; k++) {
        int i = map->region[k];
        float w = map->weight[k];
        fits = fits && i < KN_SIDED_MAX && !kn_regionset_has(&marked, i) && w > 0 && w <= 1;
        if (i < KN_SIDED_MAX)
            kn_regionset_add(&marked, i);
        sq += (double)w * w;
    }
    *inv_wn = (float)(1.0 / sqrt(sq));
    return fits && set_equal(&marked, &map->set) && isfinite(*inv_wn);
}

/* Scores the candidates: of a muscle's two sides (one word of the set, the left one
 * first), the left stands for both when they explain the same marks. */
static void fast_score(fast *f, const kn_painmap *map, float inv_wn)
{
    f->n = 0;
    for (size_t w = 0; w < CAND_WORDS; w++) {
        for (uint64_t bits = f->cands.w[w]; bits; bits &= bits - 1) {
            size_t c = 64 * w + (size_t)__builtin_ctzll(bits);
            uint64_t mate = (uint64_t)1 << ((c + 1) % 64);
            uint64_t differ = ((M.all[c].bits[0] ^ M.all[c ^ 1].bits[0]) & map->set.bits[0]) |
                              ((M.all[c].bits[1] ^ M.all[c ^ 1].bits[1]) & map->set.bits[1]);
            bool even = !(c & 1), both = even & ((bits & mate) != 0) & !differ;
            char side = both ? 'b' : even ? 'l' : 'r';
            bits &= both ? ~mate : ~(uint64_t)0;
            f->cands.w[w] &= both ? ~mate : ~(uint64_t)0;
            float score = f->gain[c] * inv_wn * M.inv_norm[c];
            f->side[c] = side;
            f->score[c] = score;
            f->key[c] = f->keys[f->n++] = fast_key(score, f->count[c] >> 8, c);
        }
    }
}

/* The keys of the best `top` (<= TOP_FAST) candidates into best[], best first; returns
 * how many. Each key sinks through sorted registers without a branch on the data (only
 * five of them when top <= 5). */
#define TOP_FAST 8
static size_t fast_top_short(const fast *f, size_t top, uint64_t *best)
{
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    bool narrow = top <= 5;
#define SINK(hi, lo) lo = x > hi ? hi : x > lo ? x : lo
    for (size_t j = 0; j < f->n; j++) {
        uint64_t x = f->keys[j];
        if (!narrow) {
            SINK(s6, s7);
            SINK(s5, s6);
            SINK(s4, s5);
        }
        SINK(s3, s4);
        SINK(s2, s3);
        SINK(s1, s2);
        SINK(s0, s1);
        s0 = x > s0 ? x : s0;
    }
#undef SINK
    uint64_t slot[TOP_FAST] = {s0, s1, s2, s3, s4, s5, s6, s7};
    size_t nbest = 0;
    while (nbest < top && slot[nbest])
        best[nbest] = slot[nbest], nbest++;
    return nbest;
}

/* The best `top` candidates' keys into best[], best first, for top > TOP_FAST: insertion
 * into a sorted list. Returns how many. */
static size_t fast_top_long(const fast *f, size_t top, uint64_t *best)
{
    size_t nbest = 0;
    for (size_t j = 0; j < f->n; j++) {
        uint64_t x = f->keys[j];
        if (nbest == top && x < best[top - 1])
            continue;
        size_t pos = nbest < top ? nbest++ : top - 1;
        for (; pos > 0 && x > best[pos - 1]; pos--)
            best[pos] = best[pos - 1];
        best[pos] = x;
    }
    return nbest;
}

/* The marks of map, numbered in region order: what a candidate explains, or what is left
 * to explain, is then one 64-bit mask. */
typedef struct marks {
    size_t n;
    uint64_t all;               /* every mark */
    uint8_t region[FAST_MARKS]; /* by mark: its region */
    float weight[FAST_MARKS];   /* ... and weight */
} marks;

/* The marks that candidate c explains. */
static inline uint64_t marks_of(const marks *mk, size_t c)
{
    uint64_t m = 0;
    for (size_t b = 0; b < mk->n; b++)
        m |= (uint64_t)kn_regionset_has(&M.all[c], mk->region[b]) << b;
    return m;
}

static kn_regionset regions_of(const marks *mk, uint64_t m)
{
    kn_regionset s = {{0, 0}};
    for (; m; m &= m - 1)
        kn_regionset_add(&s, mk->region[__builtin_ctzll(m)]);
    return s;
}

/* The candidates listed for any mark of m. */
static inline candset listed_for(const marks *mk, uint64_t m)
{
    candset u = {{0}};
    for (; m; m &= m - 1) {
        int i = mk->region[__builtin_ctzll(m)];
        for (int w = 0; w < CAND_WORDS; w++)
            u.w[w] |= M.listed[i][w];
    }
    return u;
}

/* The reference's take_out, without the counts: the cover finds what is left by mark.
 * The marks go in region order, as there. */
static void fast_take_out(fast *f, const marks *mk, uint64_t covered)
{
    for (; covered; covered &= covered - 1) {
        int b = __builtin_ctzll(covered), i = mk->region[b];
        float w = mk->weight[b];
        for (uint32_t e = M.start[i]; e < M.start[i + 1]; e++)
            f->gain[M.entries[e].cand] -= w * M.entries[e].z;
    }
}

/* The candidate worth most on the marks in `remaining` (its gain over its pattern length,
 * ties by key), or -1: those that explain none of them are not looked at. Two passes
 * without a branch on the data: the highest gain, then the best key among those with it. */
static int fast_worth_most(const fast *f, const marks *mk, uint64_t remaining)
{
    candset some = listed_for(mk, remaining);
    for (int w = 0; w < CAND_WORDS; w++)
        some.w[w] &= f->cands.w[w];
    uint64_t keys[CAND_MAX];
    float order[CAND_MAX];
    size_t n = 0;
    float top = -INFINITY; /* every gain is finite */
    FOR_BITS(c, some.w, CAND_WORDS)
    {
        float o = f->gain[c] * M.inv_norm[c];
        keys[n] = f->key[c];
        order[n++] = o;
        top = o > top ? o : top;
    }
    uint64_t best = 0;
    for (size_t a = 0; a < n; a++) {
        uint64_t key = order[a] == top ? keys[a] : 0;
        best = key > best ? key : best;
    }
    return best ? (int)key_cand(best) : -1;
}

/* The best candidate that explains two or more marks, all of need among them, or -1: the
 * candidates listed for every mark of need. */
static int fast_replacement(const fast *f, const marks *mk, uint64_t need)
{
    candset all = f->cands;
    for (uint64_t m = need; m; m &= m - 1) {
        int i = mk->region[__builtin_ctzll(m)];
        for (int w = 0; w < CAND_WORDS; w++)
            all.w[w] &= M.listed[i][w];
    }
    uint64_t best_key = 0;
    FOR_BITS(c, all.w, CAND_WORDS)
    {
        if ((f->count[c] & 0xff) >= 2 && f->key[c] > best_key)
            best_key = f->key[c];
    }
    return best_key ? (int)key_cand(best_key) : -1;
}

/* The reference's merge_pairs (pm[]: what each pick explains). What only p and q explain
 * includes what only p explains and what only q explains, so a pair whose candidates for
 * these have none in common is passed over at the cost of one set intersection. */
static size_t fast_merge_pairs(const fast *f, const marks *mk, uint16_t *picks, uint64_t *pm,
                               size_t npicks)
{
    bool merged = true;
    while (merged && npicks > 1) {
        merged = false;
        candset fit[FAST_MARKS + 1]; /* by pick: the candidates listed for all it alone explains */
        uint64_t after[FAST_MARKS + 2]; /* by pick: what the later picks explain */
        after[npicks] = 0;
        for (size_t p = npicks; p-- > 0;)
            after[p] = after[p + 1] | pm[p];
        uint64_t before = 0;
        for (size_t p = 0; p < npicks; p++) {
            uint64_t alone = mk->all & ~(before | after[p + 1]);
            fit[p] = f->cands;
            for (; alone; alone &= alone - 1) {
                int i = mk->region[__builtin_ctzll(alone)];
                for (int w = 0; w < CAND_WORDS; w++)
                    fit[p].w[w] &= M.listed[i][w];
            }
            before |= pm[p];
        }
        for (size_t p = 0; p < npicks && !merged; p++) {
            for (size_t q = p + 1; q < npicks && !merged; q++) {
                uint64_t common = 0;
                for (int w = 0; w < CAND_WORDS; w++)
                    common |= fit[p].w[w] & fit[q].w[w];
                if (!common)
                    continue;
                uint64_t others = 0;
                for (size_t o = 0; o < npicks; o++)
                    others |= o != p && o != q ? pm[o] : 0;
                int best = fast_replacement(f, mk, mk->all & ~others);
                if (best < 0)
                    continue;
                picks[p] = (uint16_t)best;
                pm[p] = marks_of(mk, (size_t)best);
                for (size_t o = q; o + 1 < npicks; o++) {
                    picks[o] = picks[o + 1];
                    pm[o] = pm[o + 1];
                }
                npicks--;
                merged = true;
            }
        }
    }
    return npicks;
}

/* The reference's cover. */
static void fast_cover(fast *f, const marks *mk, const kn_painmap *map, size_t first,
                       kn_ranking *out)
{
    uint16_t picks[FAST_MARKS + 1];
    uint64_t pm[FAST_MARKS + 1];
    picks[0] = (uint16_t)first;
    pm[0] = marks_of(mk, first);
    size_t npicks = 1;
    uint64_t covered = pm[0], remaining = mk->all & ~covered;
    while (remaining) {
        fast_take_out(f, mk, covered);
        int best = fast_worth_most(f, mk, remaining);
        if (best < 0)
            break;
        picks[npicks] = (uint16_t)best;
        pm[npicks] = marks_of(mk, (size_t)best);
        covered = pm[npicks++] & remaining;
        remaining &= ~covered;
    }
    out->uncovered = regions_of(mk, remaining);
    /* Later picks can make earlier ones redundant: check in reverse order of choice. */
    bool keep[FAST_MARKS + 1];
    for (size_t p = 0; p < npicks; p++)
        keep[p] = true;
    for (size_t p = npicks; npicks > 1 && p-- > 0;) {
        uint64_t others = 0;
        for (size_t q = 0; q < npicks; q++)
            others |= q != p && keep[q] ? pm[q] : 0;
        keep[p] = (pm[p] & ~others) != 0;
    }
    size_t nkept = 0;
    for (size_t p = 0; p < npicks; p++)
        if (keep[p]) {
            pm[nkept] = pm[p];
            picks[nkept++] = picks[p];
        }
    npicks = fast_merge_pairs(f, mk, picks, pm, nkept);
    for (size_t p = 0; p < npicks; p++) {
        kn_regionset e = set_and(&map->set, &M.all[picks[p]]);
        add_cover_item(out, picks[p], f->side[picks[p]], &e);
    }
}

kn_rc kn_rank(const kn_painmap *map, size_t top, kn_ranking *out, kn_err *err)
{
    bool done;
    kn_rc rc = rank_start(map, top, out, &done, err);
    if (rc != KN_OK || done)
        return rc;
    float inv_wn;
    if (!fast_fits(map, &inv_wn))
        return kn_rank_reference(map, top, out, err);

    /* Accumulate as the reference does, mark by mark in the order given. */
    fast f;
    memset(f.gain, 0, M.ncand * sizeof f.gain[0]);
    memset(f.count, 0, M.ncand * sizeof f.count[0]);
    f.cands = (candset){{0}};
    for (size_t k = 0; k < map->n; k++) {
        int i = map->region[k];
        float w = map->weight[k];
        f.weight[i] = w;
        for (int v = 0; v < CAND_WORDS; v++)
            f.cands.w[v] |= M.listed[i][v];
        for (uint32_t e = M.start[i]; e < M.start[i + 1]; e++) {
            size_t c = M.entries[e].cand;
            f.gain[c] += w * M.entries[e].z;
            f.count[c] = (uint16_t)(f.count[c] + M.entries[e].count);
        }
    }

    fast_score(&f, map, inv_wn);
    uint64_t best[KN_RANK_TOP_MAX];
    size_t nbest = top <= TOP_FAST ? fast_top_short(&f, top, best) : fast_top_long(&f, top, best);
    if (nbest == 0)
        return KN_OK; /* only with broken tables: every region has some muscle */
    kn_regionset explained = {{0, 0}};
    for (size_t k = 0; k < nbest; k++) {
        size_t c = key_cand(best[k]);
        fill_candidate(map, c, f.side[c], f.score[c], &out->top[k]);
        for (int w = 0; w < KN_SIDED_MAX / 64; w++)
            explained.bits[w] |= M.all[c].bits[w];
    }
    out->ntop = nbest;
    for (int w = 0; w < KN_SIDED_MAX / 64; w++)
        out->unexplained.bits[w] = map->set.bits[w] & ~explained.bits[w];
    marks mk;
    mk.n = 0;
    FOR_BITS(i, map->set.bits, KN_SIDED_MAX / 64)
    {
        mk.region[mk.n] = (uint8_t)i;
        mk.weight[mk.n++] = f.weight[i];
    }
    mk.all = mk.n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << mk.n) - 1;
    fast_cover(&f, &mk, map, key_cand(best[0]), out);
    return KN_OK;
}
