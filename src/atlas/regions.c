/* The body regions of the coded body map, loaded once from data/regions.tsv (compiled in).
 * Paired regions are always used with the person's own side: <id>_l or <id>_r. */
#include "knead/atlas.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "atlas/load.h"
#include "atlas/table.h"

extern const char kn_data_regions_tsv[];

#define REGION_CAP 128

static kn_table region_table;
static kn_region regions[REGION_CAP];
static size_t nregions;

void kn_atlas_load_regions(void)
{
    int rc = kn_table_parse(kn_data_regions_tsv, &region_table);
    assert(rc == 0 && "data/regions.tsv is malformed");
    (void)rc;
    int c_id = kn_table_col(&region_table, "id"), c_label = kn_table_col(&region_table, "label"),
        c_view = kn_table_col(&region_table, "view"),
        c_paired = kn_table_col(&region_table, "paired"),
        c_alias = kn_table_col(&region_table, "aliases"),
        c_source = kn_table_col(&region_table, "source");
    assert(c_id >= 0 && c_label >= 0 && c_view >= 0 && c_paired >= 0 && c_alias >= 0 &&
           c_source >= 0);
    for (size_t i = 1; i < region_table.nrows && nregions < REGION_CAP; i++) {
        char **row = region_table.rows[i];
        kn_region *r = &regions[nregions++];
        r->id = row[c_id];
        r->label = row[c_label];
        r->view = row[c_view];
        r->paired = strcmp(row[c_paired], "yes") == 0;
        r->aliases = row[c_alias];
        r->source = row[c_source];
    }
}

size_t kn_region_count(void)
{
    kn_atlas_ready();
    return nregions;
}

const kn_region *kn_region_at(size_t i)
{
    kn_atlas_ready();
    return i < nregions ? &regions[i] : NULL;
}

const kn_region *kn_region_find(const char *base_id)
{
    kn_atlas_ready();
    for (size_t i = 0; i < nregions; i++)
        if (strcmp(regions[i].id, base_id) == 0)
            return &regions[i];
    return NULL;
}

kn_rc kn_region_parse(const char *sided, const char *field, const kn_region **region, char *side,
                      kn_err *err)
{
    size_t len = strlen(sided);
    if (len == 0)
        return kn_err_set(err, KN_EINVAL, "%s: a region is required", field);
    if (len >= KN_REGION_MAX)
        return kn_err_set(err, KN_EINVAL, "%s %.40s...: unknown region", field, sided);
    const kn_region *exact = kn_region_find(sided);
    if (exact) {
        if (exact->paired)
            return kn_err_set(err, KN_EINVAL,
                              "%s %s: paired region needs a side: %s_l (left) or %s_r (right)",
                              field, sided, sided, sided);
        *region = exact;
        *side = 0;
        return KN_OK;
    }
    char base[KN_REGION_MAX];
    if (len > 2 && sided[len - 2] == '_') {
        memcpy(base, sided, len - 2);
        base[len - 2] = '\0';
        const kn_region *r = kn_region_find(base);
        char s = sided[len - 1];
        if (r && (s == 'l' || s == 'r')) {
            if (!r->paired)
                return kn_err_set(err, KN_EINVAL, "%s %s: %s is a midline region and takes no side",
                                  field, sided, base);
            *region = r;
            *side = s;
            return KN_OK;
        }
        if (r)
            return kn_err_set(err, KN_EINVAL, "%s %s: side must be _l or _r", field, sided);
    }
    return kn_err_set(err, KN_EINVAL, "%s %s: unknown region (see 'knead regions')", field, sided);
}
