/* Checking the clinical tables: every loader records what is wrong with a row here instead of
 * stopping, and kn_atlas_check reports the lot, plus the checks that span tables. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "atlas/load.h"

#define PROBLEM_CAP 64
#define PROBLEM_LEN 240

static char problems[PROBLEM_CAP][PROBLEM_LEN];
static size_t nproblems; /* may exceed PROBLEM_CAP: only the first ones keep their text */

void kn_atlas_problem(const char *fmt, ...)
{
    if (nproblems < PROBLEM_CAP) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(problems[nproblems], PROBLEM_LEN, fmt, ap);
        va_end(ap);
    }
    nproblems++;
}

bool kn_atlas_table(const char *file, const char *text, kn_table *t, const char *const *names,
                    int *cols, int ncols)
{
    if (kn_table_parse(text, t) != 0) {
        kn_atlas_problem("%s: malformed (every row needs the header's number of cells)", file);
        return false;
    }
    bool ok = true;
    for (int i = 0; i < ncols; i++) {
        cols[i] = kn_table_col(t, names[i]);
        if (cols[i] < 0) {
            kn_atlas_problem("%s: no column '%s'", file, names[i]);
            ok = false;
        }
    }
    if (!ok)
        kn_table_free(t);
    return ok;
}

bool kn_atlas_valid_id(const char *id)
{
    if (!*id)
        return false;
    for (const char *p = id; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
            return false;
    return true;
}

size_t kn_atlas_region_list(const char *file, size_t row, const char *column, const char *list,
                            const kn_region **out, size_t cap)
{
    size_t n = 0;
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char id[KN_REGION_MAX];
        if (len == 0 || len >= sizeof id) {
            kn_atlas_problem("%s row %zu: %s: empty or overlong region id", file, row, column);
        } else {
            memcpy(id, p, len);
            id[len] = '\0';
            const kn_region *r = kn_region_find(id);
            if (!r)
                kn_atlas_problem("%s row %zu: %s: unknown region '%s'", file, row, column, id);
            else if (n == cap)
                kn_atlas_problem("%s row %zu: %s: more than %zu regions", file, row, column, cap);
            else
                out[n++] = r;
        }
        p = end ? end + 1 : p + len;
    }
    return n;
}

/* Every region of the body map lies in some muscle's zones or trigger-point sites, so a
 * pain map can always be explained in full (the cover never leaves a mark out). */
void kn_atlas_check_regions_covered(void)
{
    for (size_t i = 0; i < kn_region_count(); i++) {
        const kn_region *r = kn_region_at(i);
        bool found = false;
        for (size_t m = 0; m < kn_muscle_count() && !found; m++) {
            const kn_muscle *mu = kn_muscle_at(m);
            for (size_t z = 0; z < mu->nzones && !found; z++)
                found = mu->zones[z].region == r;
            for (size_t s = 0; s < mu->nsites && !found; s++)
                found = mu->sites[s] == r;
        }
        if (!found)
            kn_atlas_problem("region %s: no muscle refers there or has a trigger point there",
                             r->id);
    }
}

size_t kn_atlas_check(void (*report)(void *ctx, const char *problem), void *ctx)
{
    kn_atlas_ready();
    for (size_t i = 0; report && i < nproblems; i++)
        report(ctx, i < PROBLEM_CAP ? problems[i] : "(more problems not kept)");
    return nproblems;
}
