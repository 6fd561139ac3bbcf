/* Medications that change what pressure is safe (data/medications.tsv): each with its drug
 * class and the screening question a person taking it answers yes, so that an intake's
 * medication list feeds the red-flag screening. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "atlas/load.h"

extern const char kn_data_medications_tsv[];

#define MEDICATION_CAP 128

static kn_table table;
static kn_medication medications[MEDICATION_CAP];
static size_t nmedications;

void kn_atlas_load_medications(void)
{
    static const char *const names[] = {"name",   "class",  "question",     "note",
                                        "source", "brands", "brands_source"};
    int c[7];
    if (!kn_atlas_table("medications.tsv", kn_data_medications_tsv, &table, names, c, 7))
        return;
    for (size_t i = 1; i < table.nrows; i++) {
        char **row = table.rows[i];
        kn_atlas_check_source("medications.tsv", i, row[c[4]]);
        if (*row[c[5]])
            kn_atlas_check_source("medications.tsv", i, row[c[6]]);
        if (!kn_atlas_valid_id(row[c[0]]) || !*row[c[1]]) {
            kn_atlas_problem("medications.tsv row %zu: a lower-case name and a class are needed",
                             i);
            continue;
        }
        /* "none": a medicine known (not asked about) that answers no screening question */
        bool none = strcmp(row[c[2]], "none") == 0;
        const kn_question *q = none ? NULL : kn_question_find(row[c[2]]);
        if (!q && !none) {
            kn_atlas_problem("medications.tsv row %zu: unknown question '%s'", i, row[c[2]]);
            continue;
        }
        if (nmedications == MEDICATION_CAP) {
            kn_atlas_problem("medications.tsv: more than %d rows", MEDICATION_CAP);
            break;
        }
        medications[nmedications++] =
            (kn_medication){row[c[0]], row[c[1]], q, row[c[3]], row[c[4]], row[c[5]], row[c[6]]};
    }
}

size_t kn_medication_count(void)
{
    kn_atlas_ready();
    return nmedications;
}

const kn_medication *kn_medication_at(size_t i)
{
    kn_atlas_ready();
    return i < nmedications ? &medications[i] : NULL;
}

/* Whether name (len bytes, any case) occurs in text as a word of its own. A dose written
 * against it ("Eliquis5mg", "5mg-apixaban") does not join it: digits end a word, as do the
 * spaces, units and frequency words around it ("ibuprofen 400 mg when needed"). */
static bool mentions(const char *text, const char *name, size_t len)
{
    if (!len)
        return false;
    for (const char *p = text; *p; p++) {
        if (p != text && isalpha((unsigned char)p[-1]))
            continue;
        if (strncasecmp(p, name, len) == 0 && !isalpha((unsigned char)p[len]))
            return true;
    }
    return false;
}

const kn_medication *kn_medication_match(const char *text)
{
    kn_atlas_ready();
    for (size_t i = 0; i < nmedications; i++) {
        const kn_medication *m = &medications[i];
        if (mentions(text, m->name, strlen(m->name)))
            return m;
        for (const char *b = m->brands; *b;) {
            size_t len = strcspn(b, ";");
            if (mentions(text, b, len))
                return m;
            b += len + (b[len] == ';');
        }
    }
    return NULL;
}

void kn_medication_unknown_text(const char *text, char *buf, size_t cap)
{
    while (isspace((unsigned char)*text))
        text++;
    size_t len = strlen(text);
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    snprintf(buf, cap, "%.*s: not recognised: ask about it", (int)len, text);
}
