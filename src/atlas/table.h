/* Reading the tab-separated tables of data/ that are compiled into the binary. */
#ifndef KN_ATLAS_TABLE_H
#define KN_ATLAS_TABLE_H

#include <stddef.h>

/* A parsed table: rows of cells pointing into one owned copy of the text. */
typedef struct kn_table {
    char *text;
    char ***rows; /* rows[i][j]; row 0 is the header */
    size_t nrows;
    size_t ncols;
} kn_table;

/* Splits text into rows and cells; every row must have the header's number of cells.
 * Returns 0 on success. Tables are part of the build, so a bad one is a bug: callers assert. */
int kn_table_parse(const char *text, kn_table *out);
void kn_table_free(kn_table *t);
/* Column index of name in the header, or -1. */
int kn_table_col(const kn_table *t, const char *name);

#endif
