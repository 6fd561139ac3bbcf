/* The referral ranking: which muscles' trigger points best explain a pain map. Each muscle
 * side is a weighted pattern over the sided regions (primary zones, secondary zones, its own
 * trigger-point sites); its score is the cosine between that pattern and the map, so that
 * intensity counts and a big pattern does not win merely by being big. The patterns are
 * precomputed once into an inverted index (region -> muscle sides), so a ranking touches only
 * the muscles that refer to a marked region. The scoring is documented in docs/RANKING.md. */
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

typedef struct entry {
    uint16_t cand;
    float z; /* pattern weight times evidence tier */
} entry;

typedef struct model {
    size_t ncand;
    float norm[CAND_MAX];     /* length of the pattern (kind weights) */
    float inv_norm[CAND_MAX]; /* 1 / norm, or 0 for an empty pattern */
    kn_regionset primary[CAND_MAX], secondary[CAND_MAX], local[CAND_MAX], all[CAND_MAX];
    float (*z)[KN_SIDED_MAX];         /* z[cand][region] */
    entry *entries;                   /* the inverted index: entries of region i are */
    uint32_t start[KN_SIDED_MAX + 1]; /* entries[start[i] .. start[i+1]) */
} model;

static model M;
static bool built;

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

static void build(void)
{
    if (built)
        return;
    built = true;
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
    atexit(free_model);
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
            if (M.z[c][t] > 0)
                M.entries[n++] = (entry){(uint16_t)c, M.z[c][t]};
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
    build();
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

/* Population count and next member, inline: the ranking calls them in its inner loops
 * (the library may be built without a hardware popcount instruction). */
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

static void fill_candidate(const kn_painmap *map, const scored *s, kn_candidate *out)
{
    size_t c = s->cand;
    out->muscle = kn_muscle_at(c / 2);
    out->side = s->side;
    out->score = s->score;
    out->primary = set_and(&map->set, &M.primary[c]);
    out->secondary = set_and(&map->set, &M.secondary[c]);
    out->local = set_and(&map->set, &M.local[c]);
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

/* Greedy weighted set cover. The elements are the marks, weighted by intensity; a muscle
 * side covers the marks it explains (primary, secondary or local), and what it is worth is
 * its score on the marks not yet explained (the same weighting and size penalty as the
 * ranking). Repeatedly take the muscle worth most, drop any pick the others make redundant,
 * then merge pairs into single muscles where possible (merge_pairs). */
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
    for (size_t p = 0; p < npicks; p++) {
        const scored *s = &all[picks[p]];
        out->cover[out->ncover++] =
            (kn_cover_item){kn_muscle_at(s->cand / 2), s->side, s->explains};
    }
}

kn_rc kn_rank(const kn_painmap *map, size_t top, kn_ranking *out, kn_err *err)
{
    build();
    out->ntop = 0;
    out->ncover = 0;
    out->unexplained = map->set;
    out->uncovered = map->set;
    if (top < 1 || top > KN_RANK_TOP_MAX)
        return kn_err_set(err, KN_EINVAL, "--top %zu: must be 1-%d", top, KN_RANK_TOP_MAX);
    if (map->n == 0)
        return KN_OK;
    if (M.ncand == 0)
        return kn_err_set(err, KN_ENOMEM, "the muscle tables could not be loaded");
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
        if (seen[mate]) {
            kn_regionset f = set_and(&map->set, &M.all[mate]);
            if (set_equal(&e, &f)) {
                if (c & 1)
                    continue; /* the left side stands for both */
                kn_regionset p = set_and(&map->set, &M.primary[c]);
                all[n++] =
                    (scored){c, 'b', acc[c] * inv_wn * M.inv_norm[c], e, left[c], set_count(&p)};
                continue;
            }
        }
        kn_regionset p = set_and(&map->set, &M.primary[c]);
        all[n++] = (scored){c,       (c & 1) ? 'r' : 'l', acc[c] * inv_wn * M.inv_norm[c], e,
                            left[c], set_count(&p)};
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
        fill_candidate(map, &all[best[r]], &out->top[r]);
        for (int w = 0; w < KN_SIDED_MAX / 64; w++)
            explained.bits[w] |= all[best[r]].explains.bits[w];
    }
    out->ntop = nbest;
    for (int w = 0; w < KN_SIDED_MAX / 64; w++)
        out->unexplained.bits[w] = map->set.bits[w] & ~explained.bits[w];
    cover(map, weight, acc, left, all, n, best[0], out);
    return KN_OK;
}
