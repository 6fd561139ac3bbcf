/* Reading the tab-separated tables of data/ that are compiled into the binary. */
#include "atlas/table.h"

#include <stdlib.h>
#include <string.h>

int kn_table_parse(const char *text, kn_table *out)
{
    memset(out, 0, sizeof *out);
    out->text = strdup(text);
    if (!out->text)
        return -1;
    size_t lines = 1;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    out->rows = calloc(lines, sizeof *out->rows);
    if (!out->rows)
        goto fail;
    char *save = NULL;
    for (char *line = strtok_r(out->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (!len || line[0] == '#')
            continue;
        size_t cells = 1;
        for (const char *p = line; *p; p++)
            cells += *p == '\t';
        if (out->nrows == 0)
            out->ncols = cells;
        else if (cells != out->ncols)
            goto fail;
        char **row = calloc(cells, sizeof *row);
        if (!row)
            goto fail;
        out->rows[out->nrows++] = row;
        size_t j = 0;
        char *cell = line;
        for (;;) {
            row[j++] = cell;
            char *tab = strchr(cell, '\t');
            if (!tab)
                break;
            *tab = '\0';
            cell = tab + 1;
        }
    }
    return out->nrows ? 0 : -1;
fail:
    kn_table_free(out);
    return -1;
}

void kn_table_free(kn_table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        free(t->rows[i]);
    free(t->rows);
    free(t->text);
    memset(t, 0, sizeof *t);
}

int kn_table_col(const kn_table *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (strcmp(t->rows[0][j], name) == 0)
            return (int)j;
    return -1;
}
