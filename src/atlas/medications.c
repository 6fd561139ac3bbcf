/* Medications that change what pressure is safe (data/medications.tsv): each with its drug
 * class and the screening question a person taking it answers yes, so that an intake's
 * medication list feeds the red-flag screening. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "atlas/load.h"

extern const char kn_data_medications_tsv[];

#define MEDICATION_CAP 128

static kn_table table;
static kn_medication medications[MEDICATION_CAP];
static size_t nmedications;
static bool loaded;

static void free_medications(void)
{
    kn_table_free(&table);
}

void kn_atlas_load_medications(void)
{
    if (loaded)
        return;
    loaded = true;
    static const char *const names[] = {"name", "class", "question", "note", "source"};
    int c[5];
    if (!kn_atlas_table("medications.tsv", kn_data_medications_tsv, &table, names, c, 5))
        return;
    atexit(free_medications);
    for (size_t i = 1; i < table.nrows; i++) {
        char **row = table.rows[i];
        kn_atlas_check_source("medications.tsv", i, row[c[4]]);
        if (!kn_atlas_valid_id(row[c[0]]) || !*row[c[1]]) {
            kn_atlas_problem("medications.tsv row %zu: a lower-case name and a class are needed",
                             i);
            continue;
        }
        const kn_question *q = kn_question_find(row[c[2]]);
        if (!q) {
            kn_atlas_problem("medications.tsv row %zu: unknown question '%s'", i, row[c[2]]);
            continue;
        }
        if (nmedications == MEDICATION_CAP) {
            kn_atlas_problem("medications.tsv: more than %d rows", MEDICATION_CAP);
            break;
        }
        medications[nmedications++] =
            (kn_medication){row[c[0]], row[c[1]], q, row[c[3]], row[c[4]]};
    }
}

size_t kn_medication_count(void)
{
    kn_atlas_load_medications();
    return nmedications;
}

const kn_medication *kn_medication_at(size_t i)
{
    kn_atlas_load_medications();
    return i < nmedications ? &medications[i] : NULL;
}

const kn_medication *kn_medication_match(const char *text)
{
    kn_atlas_load_medications();
    /* the first word, lower-cased: "Warfarin 5 mg" and "warfarin:5mg" are warfarin */
    char word[64];
    size_t n = 0;
    while (text[n] && n + 1 < sizeof word && isalpha((unsigned char)text[n])) {
        word[n] = (char)tolower((unsigned char)text[n]);
        n++;
    }
    word[n] = 0;
    for (size_t i = 0; i < nmedications && n; i++)
        if (strcmp(medications[i].name, word) == 0)
            return &medications[i];
    return NULL;
}
