/* Sided regions: the marks a pain map can hold (each paired region on the left and on the
 * right, each midline region once), numbered so that sets of them are 128-bit bitsets. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "atlas/load.h"
#include "knead/atlas.h"

static char ids[KN_SIDED_MAX][KN_REGION_MAX];
static const kn_region *regions[KN_SIDED_MAX];
static char sides[KN_SIDED_MAX];
static int first_index[128]; /* per base region: its index (left side for paired ones) */
static size_t nsided;

/* The sided ids in an open-addressing hash table: kn_region_parse scans the atlas with
 * strcmp, which was an eighth of a million-row import when every entry was checked that
 * way. Slots hold a sided index + 1. */
#define ID_SLOTS 512
_Static_assert(ID_SLOTS >= 2 * KN_SIDED_MAX, "probes stay short");
static short id_slots[ID_SLOTS];

static size_t id_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h & (ID_SLOTS - 1);
}

static void hash_ids(void)
{
    for (size_t i = 0; i < nsided; i++) {
        size_t slot = id_hash(ids[i]);
        while (id_slots[slot])
            slot = (slot + 1) & (ID_SLOTS - 1);
        id_slots[slot] = (short)(i + 1);
    }
}

int kn_sided_lookup(const char *exact_id)
{
    kn_atlas_ready();
    for (size_t slot = id_hash(exact_id); id_slots[slot]; slot = (slot + 1) & (ID_SLOTS - 1))
        if (strcmp(ids[id_slots[slot] - 1], exact_id) == 0)
            return id_slots[slot] - 1;
    return -1;
}

void kn_atlas_load_sided(void)
{
    size_t n = kn_region_count();
    assert(n <= sizeof first_index / sizeof first_index[0]);
    for (size_t i = 0; i < n; i++) {
        const kn_region *r = kn_region_at(i);
        first_index[i] = (int)nsided;
        int count = r->paired ? 2 : 1;
        assert(nsided + (size_t)count <= KN_SIDED_MAX && "too many regions for kn_regionset");
        for (int k = 0; k < count; k++) {
            regions[nsided] = r;
            sides[nsided] = r->paired ? (k ? 'r' : 'l') : 0;
            if (r->paired)
                snprintf(ids[nsided], KN_REGION_MAX, "%s_%c", r->id, sides[nsided]);
            else
                snprintf(ids[nsided], KN_REGION_MAX, "%s", r->id);
            nsided++;
        }
    }
    hash_ids();
}

size_t kn_sided_count(void)
{
    kn_atlas_ready();
    return nsided;
}

int kn_sided_of(const kn_region *r, char side)
{
    kn_atlas_ready();
    if (!r)
        return -1;
    /* Regions live in one array in body-map order (regions.c), so the offset is the index. */
    size_t base = (size_t)(r - kn_region_at(0));
    if (base >= kn_region_count())
        return -1;
    int i = first_index[base];
    return r->paired && side == 'r' ? i + 1 : i;
}

int kn_sided_find(const char *sided)
{
    const kn_region *r;
    char side;
    if (kn_region_parse(sided, "region", &r, &side, NULL) != KN_OK)
        return -1;
    return kn_sided_of(r, side);
}

kn_rc kn_sided_parse(const char *sided, const char *field, int *index, kn_err *err)
{
    const kn_region *r;
    char side;
    kn_rc rc = kn_region_parse(sided, field, &r, &side, err);
    if (rc == KN_OK)
        *index = kn_sided_of(r, side);
    return rc;
}

const char *kn_sided_id(int index)
{
    kn_atlas_ready();
    return index >= 0 && (size_t)index < nsided ? ids[index] : NULL;
}

const kn_region *kn_sided_region(int index)
{
    kn_atlas_ready();
    return index >= 0 && (size_t)index < nsided ? regions[index] : NULL;
}

char kn_sided_side(int index)
{
    kn_atlas_ready();
    return index >= 0 && (size_t)index < nsided ? sides[index] : 0;
}

int kn_regionset_count(const kn_regionset *s)
{
    return __builtin_popcountll(s->bits[0]) + __builtin_popcountll(s->bits[1]);
}

int kn_regionset_next(const kn_regionset *s, int i)
{
    for (; i >= 0 && i < KN_SIDED_MAX; i = (i | 63) + 1) {
        uint64_t w = s->bits[i >> 6] >> (i & 63);
        if (w)
            return i + __builtin_ctzll(w);
    }
    return -1;
}
