/* Shared by the atlas loaders: recording table problems (for kn_atlas_check) and the checks
 * every table row goes through. Layer-private. */
#ifndef KN_ATLAS_LOAD_H
#define KN_ATLAS_LOAD_H

#include <stdbool.h>

#include "atlas/table.h"
#include "knead/atlas.h"

/* Records one problem found while loading a table ("muscles.tsv row 4: ..."; row 1 is the
 * first data row). Loaders keep going past bad rows, so one check lists every problem. */
void kn_atlas_problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses text into t and looks up the named columns (cols[i] = index of names[i]). Bad text
 * or a missing column is recorded as a problem and leaves t empty; returns false then. */
bool kn_atlas_table(const char *file, const char *text, kn_table *t, const char *const *names,
                    int *cols, int ncols);

/* Checks a source cell: not empty and citing at least one key of data/sources.tsv. */
void kn_atlas_check_source(const char *file, size_t row, const char *source);
/* An id of lower-case letters, digits and underscores. */
bool kn_atlas_valid_id(const char *id);
/* Splits a ";"-separated list of base region ids into out (up to cap); records unknown ids
 * and overflow as problems. Returns the number stored. */
size_t kn_atlas_region_list(const char *file, size_t row, const char *column, const char *list,
                            const kn_region **out, size_t cap);

/* The referral ranking computed step by step as docs/RANKING.md describes it, for any map.
 * kn_rank gives exactly its results, faster; it hands this the maps its fast path cannot
 * take (not made by kn_painmap_add, or of more than 64 marks), and the tests compare the
 * two. Same contract as kn_rank. */
kn_rc kn_rank_reference(const kn_painmap *map, size_t top, kn_ranking *out, kn_err *err);

/* The atlas is built once, whole, by the first call of kn_atlas_ready (kn_init makes that
 * call up front); every accessor calls it, so no reader ever sees a table half-built. The
 * loaders below run only inside that build, in this order, each after what it refers to. */
void kn_atlas_ready(void);
void kn_atlas_load_sources(void);
void kn_atlas_load_regions(void);
void kn_atlas_load_sided(void);
void kn_atlas_load_muscles(void);
void kn_atlas_load_conditions(void);
void kn_atlas_load_questions(void);
void kn_atlas_load_medications(void);
void kn_atlas_check_regions_covered(void);
void kn_atlas_build_ranking(void);

#endif
