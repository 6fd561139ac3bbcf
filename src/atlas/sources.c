/* The sources the clinical tables cite (data/sources.tsv): every source cell of every table
 * must name at least one of these keys, so that a reviewer can trace each row. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "atlas/load.h"

extern const char kn_data_sources_tsv[];

#define SOURCE_CAP 64

static kn_table table;
static kn_source sources[SOURCE_CAP];
static size_t nsources;

void kn_atlas_load_sources(void)
{
    static const char *const names[] = {"key", "citation", "kind", "source", "mark", "url"};
    int c[6];
    if (!kn_atlas_table("sources.tsv", kn_data_sources_tsv, &table, names, c, 6))
        return;
    for (size_t i = 1; i < table.nrows; i++) {
        char **row = table.rows[i];
        if (!*row[c[0]] || !*row[c[1]] || !*row[c[3]] || !*row[c[4]]) {
            kn_atlas_problem("sources.tsv row %zu: key, citation, mark and source are required", i);
            continue;
        }
        /* what people read names the published source, never a file or section of ours */
        for (int k = 1; k <= 5; k += 3)
            if (strstr(row[c[k]], ".md") || strstr(row[c[k]], "section") || strchr(row[c[k]], '_'))
                kn_atlas_problem("sources.tsv row %zu (%s): an internal reference in '%.60s'", i,
                                 row[c[0]], row[c[k]]);
        if (kn_source_find(row[c[0]])) {
            kn_atlas_problem("sources.tsv row %zu: key %s given twice", i, row[c[0]]);
            continue;
        }
        if (nsources == SOURCE_CAP) {
            kn_atlas_problem("sources.tsv: more than %d sources", SOURCE_CAP);
            break;
        }
        sources[nsources++] =
            (kn_source){row[c[0]], row[c[1]], row[c[2]], row[c[4]], row[c[5]], row[c[3]]};
    }
}

size_t kn_source_count(void)
{
    kn_atlas_ready();
    return nsources;
}

const kn_source *kn_source_at(size_t i)
{
    kn_atlas_ready();
    return i < nsources ? &sources[i] : NULL;
}

const kn_source *kn_source_find(const char *key)
{
    kn_atlas_ready();
    for (size_t i = 0; i < nsources; i++)
        if (strcmp(sources[i].key, key) == 0)
            return &sources[i];
    return NULL;
}

/* Whether key occurs in text as a word of its own ("TS1" in "TS1 trapezius; DV"). */
static bool cites(const char *text, const char *key)
{
    size_t len = strlen(key);
    for (const char *p = strstr(text, key); p; p = strstr(p + 1, key)) {
        bool starts = p == text || !isalnum((unsigned char)p[-1]);
        bool ends = !isalnum((unsigned char)p[len]) && p[len] != '-';
        if (starts && ends)
            return true;
    }
    return false;
}

void kn_atlas_check_source(const char *file, size_t row, const char *source)
{
    kn_atlas_ready();
    if (!*source) {
        kn_atlas_problem("%s row %zu: no source", file, row);
        return;
    }
    for (size_t i = 0; i < nsources; i++)
        if (cites(source, sources[i].key))
            return;
    kn_atlas_problem("%s row %zu: source '%.80s' cites no key of sources.tsv", file, row, source);
}
