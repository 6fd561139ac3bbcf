/* What the SQLite backend's files (sqlite.c: the diary; sqlite_care.c: the care workflow)
 * share: binding and reading optional values, growing a list of records, and turning an
 * SQLite error into a knead error. Internal to src/store. */
#ifndef KN_STORE_SQLITE_SHARED_H
#define KN_STORE_SQLITE_SHARED_H

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "knead/diary.h"

/* The error of the last call on db as a knead error: what names the operation, path the
 * file; missing_ref says what a foreign-key failure means to the user. */
kn_rc kn_sqlite_error(sqlite3 *db, const char *path, const char *what, const char *missing_ref,
                      kn_err *err);

static inline void bind_opt_int(sqlite3_stmt *st, int i, int v)
{
    if (v == KN_NONE)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int(st, i, v);
}

static inline void bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
    if (!v)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Through the column's value: one column call instead of two (each takes SQLite's
 * statement checks), which counts when analysis reads a few for every row. The value is
 * unprotected, which is safe because a handle is used by one thread at a time. */
static inline int col_opt_int(sqlite3_stmt *st, int i)
{
    sqlite3_value *v = sqlite3_column_value(st, i);
    return sqlite3_value_type(v) == SQLITE_NULL ? KN_NONE : sqlite3_value_int(v);
}

/* A copy of the text of column i, NULL for NULL (which takes no allocation); *oom is set
 * when the copy could not be made. */
static inline char *col_opt_text(sqlite3_stmt *st, int i, int *oom)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NULL;
    const unsigned char *text = sqlite3_column_text(st, i);
    size_t len = (size_t)sqlite3_column_bytes(st, i);
    char *copy = text ? malloc(len + 1) : NULL;
    if (!copy) {
        *oom = 1;
        return NULL;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    return copy;
}

/* A zeroed slot for the next item of a growing list (NULL when out of memory); the caller
 * counts it in *n once it is its to free. */
static inline void *list_slot(void **items, size_t *n, size_t *cap, size_t elem)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        void *p = realloc(*items, ncap * elem);
        if (!p)
            return NULL;
        *items = p;
        *cap = ncap;
    }
    void *slot = (char *)*items + (*n) * elem;
    memset(slot, 0, elem);
    return slot;
}

#endif
