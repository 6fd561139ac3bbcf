/* Muscles, their trigger-point sites and their referral zones, loaded once from
 * data/muscles.tsv and data/referrals.tsv (compiled in). Bad rows are skipped and recorded
 * for kn_atlas_check. */
#include <stdlib.h>
#include <string.h>

#include "atlas/load.h"

extern const char kn_data_muscles_tsv[];
extern const char kn_data_referrals_tsv[];

#define MUSCLE_CAP 128
#define ZONE_CAP 640

static kn_table muscle_table, zone_table;
static kn_muscle muscles[MUSCLE_CAP];
static size_t nmuscles;
static kn_zone zones[ZONE_CAP]; /* grouped by muscle, in muscle order */
static size_t nzones;

static const char *const areas[] = {"head_neck", "shoulder_back", "chest",   "arm_hand",
                                    "trunk",     "hip_thigh",     "leg_foot"};

static bool known_area(const char *area)
{
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++)
        if (strcmp(areas[i], area) == 0)
            return true;
    return false;
}

static kn_muscle *find_muscle(const char *id)
{
    for (size_t i = 0; i < nmuscles; i++)
        if (strcmp(muscles[i].id, id) == 0)
            return &muscles[i];
    return NULL;
}

/* studies: ";"-separated keys of sources.tsv, or empty. */
static void check_studies(size_t row, const char *id, const char *studies)
{
    const char *p = studies;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char key[32];
        if (len == 0 || len >= sizeof key) {
            kn_atlas_problem("muscles.tsv row %zu (%s): bad studies list", row, id);
            return;
        }
        memcpy(key, p, len);
        key[len] = '\0';
        if (!kn_source_find(key))
            kn_atlas_problem("muscles.tsv row %zu (%s): study %s is not in sources.tsv", row, id,
                             key);
        p = end ? end + 1 : p + len;
    }
}

static void load_muscle_rows(void)
{
    static const char *const names[] = {"id",       "name",    "area",   "trp_sites",
                                        "trp_text", "studies", "origin", "source"};
    int c[8];
    if (!kn_atlas_table("muscles.tsv", kn_data_muscles_tsv, &muscle_table, names, c, 8))
        return;
    for (size_t i = 1; i < muscle_table.nrows; i++) {
        char **row = muscle_table.rows[i];
        const char *id = row[c[0]];
        kn_atlas_check_source("muscles.tsv", i, row[c[7]]);
        if (!kn_atlas_valid_id(id)) {
            kn_atlas_problem("muscles.tsv row %zu: bad id '%s'", i, id);
            continue;
        }
        if (find_muscle(id)) {
            kn_atlas_problem("muscles.tsv row %zu: id %s given twice", i, id);
            continue;
        }
        if (nmuscles == MUSCLE_CAP) {
            kn_atlas_problem("muscles.tsv: more than %d muscles", MUSCLE_CAP);
            break;
        }
        if (!*row[c[1]] || !*row[c[4]])
            kn_atlas_problem("muscles.tsv row %zu (%s): name and trp_text are required", i, id);
        if (!known_area(row[c[2]]))
            kn_atlas_problem("muscles.tsv row %zu (%s): unknown area '%s'", i, id, row[c[2]]);
        bool seed = strcmp(row[c[6]], "seed") == 0;
        if (!seed && strcmp(row[c[6]], "added") != 0)
            kn_atlas_problem("muscles.tsv row %zu (%s): origin must be seed or added", i, id);
        kn_muscle *m = &muscles[nmuscles++];
        *m = (kn_muscle){.id = id,
                         .name = row[c[1]],
                         .area = row[c[2]],
                         .sites_text = row[c[4]],
                         .studies = row[c[5]],
                         .seed = seed,
                         .source = row[c[7]]};
        m->nsites = kn_atlas_region_list("muscles.tsv", i, "trp_sites", row[c[3]], m->sites,
                                         KN_MUSCLE_SITES_MAX);
        if (!m->nsites)
            kn_atlas_problem("muscles.tsv row %zu (%s): no trigger-point site", i, id);
        check_studies(i, id, m->studies);
    }
}

/* Reads one referral row into z; returns the muscle it belongs to, or NULL when the row is
 * unusable (the problem is recorded). */
static kn_muscle *read_zone(size_t i, char **row, const int *c, kn_zone *z)
{
    kn_muscle *m = find_muscle(row[c[0]]);
    kn_atlas_check_source("referrals.tsv", i, row[c[7]]);
    if (!m) {
        kn_atlas_problem("referrals.tsv row %zu: unknown muscle '%s'", i, row[c[0]]);
        return NULL;
    }
    const kn_region *r = kn_region_find(row[c[1]]);
    if (!r) {
        kn_atlas_problem("referrals.tsv row %zu (%s): unknown region '%s'", i, m->id, row[c[1]]);
        return NULL;
    }
    *z = (kn_zone){.region = r, .trp = row[c[4]], .note = row[c[6]], .source = row[c[7]]};
    if (strcmp(row[c[2]], "primary") == 0)
        z->kind = KN_ZONE_PRIMARY;
    else if (strcmp(row[c[2]], "secondary") == 0)
        z->kind = KN_ZONE_SECONDARY;
    else
        kn_atlas_problem("referrals.tsv row %zu (%s): kind must be primary or secondary", i, m->id);
    z->both_sides = strcmp(row[c[3]], "both") == 0;
    if (!z->both_sides && strcmp(row[c[3]], "same") != 0)
        kn_atlas_problem("referrals.tsv row %zu (%s): side must be same or both", i, m->id);
    if (z->both_sides && !r->paired)
        kn_atlas_problem("referrals.tsv row %zu (%s): %s is midline; it takes side same", i, m->id,
                         r->id);
    const char *tier = row[c[5]];
    if (strlen(tier) != 1 || !strchr("ABC", tier[0]))
        kn_atlas_problem("referrals.tsv row %zu (%s): tier must be A, B or C", i, m->id);
    z->tier = tier[0] ? tier[0] : 'C';
    if (!*z->trp)
        kn_atlas_problem("referrals.tsv row %zu (%s): trp is required ('all')", i, m->id);
    return m;
}

static void load_zone_rows(void)
{
    static const char *const names[] = {"muscle", "region", "kind", "side",
                                        "trp",    "tier",   "note", "source"};
    int c[8];
    if (!kn_atlas_table("referrals.tsv", kn_data_referrals_tsv, &zone_table, names, c, 8))
        return;
    /* Rows may come in any order; zones are stored grouped by muscle. */
    size_t n = zone_table.nrows - 1;
    kn_zone *tmp = calloc(n ? n : 1, sizeof *tmp);
    kn_muscle **owner = calloc(n ? n : 1, sizeof *owner);
    size_t count = 0;
    if (!tmp || !owner) {
        kn_atlas_problem("referrals.tsv: out of memory");
        goto free_tmp;
    }
    for (size_t i = 1; i < zone_table.nrows; i++) {
        kn_zone z;
        kn_muscle *m = read_zone(i, zone_table.rows[i], c, &z);
        if (!m)
            continue;
        bool dup = false;
        for (size_t k = 0; k < count && !dup; k++)
            dup = owner[k] == m && tmp[k].region == z.region;
        if (dup) {
            kn_atlas_problem("referrals.tsv row %zu (%s): region %s given twice", i, m->id,
                             z.region->id);
            continue;
        }
        owner[count] = m;
        tmp[count++] = z;
    }
    for (size_t m = 0; m < nmuscles; m++) {
        muscles[m].zones = &zones[nzones];
        for (size_t k = 0; k < count; k++) {
            if (owner[k] != &muscles[m])
                continue;
            if (nzones == ZONE_CAP) {
                kn_atlas_problem("referrals.tsv: more than %d zones", ZONE_CAP);
                goto free_tmp;
            }
            zones[nzones++] = tmp[k];
            muscles[m].nzones++;
        }
        bool primary = false;
        for (size_t z = 0; z < muscles[m].nzones; z++)
            primary |= muscles[m].zones[z].kind == KN_ZONE_PRIMARY;
        if (!primary)
            kn_atlas_problem("referrals.tsv: muscle %s has no primary zone", muscles[m].id);
    }
free_tmp:
    free(owner);
    free(tmp);
}

void kn_atlas_load_muscles(void)
{
    load_muscle_rows();
    load_zone_rows();
}

size_t kn_muscle_count(void)
{
    kn_atlas_ready();
    return nmuscles;
}

const kn_muscle *kn_muscle_at(size_t i)
{
    kn_atlas_ready();
    return i < nmuscles ? &muscles[i] : NULL;
}

const kn_muscle *kn_muscle_find(const char *id)
{
    kn_atlas_ready();
    return find_muscle(id);
}
