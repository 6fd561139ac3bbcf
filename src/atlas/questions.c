/* The red-flag and contraindication questions (data/questions.tsv), asked before massage: each
 * has the answer that triggers it, its outcome (emergency, refer, avoid, caution), the
 * regions to avoid and the pressure cap it implies, and its source. */
#include <stdlib.h>
#include <string.h>

#include "atlas/load.h"

extern const char kn_data_questions_tsv[];

#define QUESTION_CAP 96

static kn_table table;
static kn_question questions[QUESTION_CAP];
static size_t nquestions;

static const char *const outcome_names[] = {"caution", "avoid", "refer", "emergency"};
static const char *const verdict_names[] = {"clear", "caution", "refer", "emergency"};

/* Each item of the conditions cell is "all" or the id of a condition guide. */
static void check_conditions(size_t row, const kn_question *q)
{
    const char *p = q->conditions;
    if (!*p)
        kn_atlas_problem("questions.tsv row %zu (%s): conditions is required", row, q->id);
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char id[64];
        if (len == 0 || len >= sizeof id) {
            kn_atlas_problem("questions.tsv row %zu (%s): bad conditions list", row, q->id);
            return;
        }
        memcpy(id, p, len);
        id[len] = '\0';
        if (strcmp(id, "all") != 0 && !kn_condition_find(id))
            kn_atlas_problem("questions.tsv row %zu (%s): unknown condition '%s'", row, q->id, id);
        p = end ? end + 1 : p + len;
    }
}

static void read_row(size_t i, char **row, const int *c)
{
    const char *id = row[c[0]];
    kn_atlas_check_source("questions.tsv", i, row[c[9]]);
    if (!kn_atlas_valid_id(id) || strlen(id) >= KN_QUESTION_ID_MAX || kn_question_find(id)) {
        kn_atlas_problem("questions.tsv row %zu: bad or repeated id '%s'", i, id);
        return;
    }
    if (nquestions == QUESTION_CAP) {
        kn_atlas_problem("questions.tsv: more than %d questions", QUESTION_CAP);
        return;
    }
    kn_question *q = &questions[nquestions++];
    *q = (kn_question){.id = id,
                       .text = row[c[1]],
                       .topic = row[c[10]],
                       .advice = row[c[4]],
                       .conditions = row[c[8]],
                       .source = row[c[9]]};
    size_t len = strlen(q->text);
    if (len < 2 || q->text[len - 1] != '?')
        kn_atlas_problem("questions.tsv row %zu (%s): the question must end with '?'", i, id);
    if (!*q->topic || strchr(q->topic, '_'))
        kn_atlas_problem("questions.tsv row %zu (%s): topic is required, in words", i, id);
    if (!*q->advice)
        kn_atlas_problem("questions.tsv row %zu (%s): advice is required", i, id);
    q->on_yes = strcmp(row[c[2]], "yes") == 0;
    if (!q->on_yes && strcmp(row[c[2]], "no") != 0)
        kn_atlas_problem("questions.tsv row %zu (%s): triggers_on must be yes or no", i, id);
    size_t k = 0;
    while (k < 4 && strcmp(row[c[3]], outcome_names[k]) != 0)
        k++;
    if (k == 4)
        kn_atlas_problem("questions.tsv row %zu (%s): unknown outcome '%s'", i, id, row[c[3]]);
    q->outcome = k < 4 ? (kn_outcome)k : KN_OUTCOME_REFER;
    q->navoid = kn_atlas_region_list("questions.tsv", i, "avoid_regions", row[c[5]], q->avoid,
                                     KN_QUESTION_REGIONS_MAX);
    if (*row[c[6]]) {
        char *end;
        long p = strtol(row[c[6]], &end, 10);
        if (*end || p < 1 || p > 10)
            kn_atlas_problem("questions.tsv row %zu (%s): max_pressure must be 1-10", i, id);
        else
            q->max_pressure = (int)p;
    }
    q->asks_where = strcmp(row[c[7]], "yes") == 0;
    if (!q->asks_where && strcmp(row[c[7]], "no") != 0)
        kn_atlas_problem("questions.tsv row %zu (%s): asks_where must be yes or no", i, id);
    /* An avoid question must say where: in the table, or by asking. */
    if (q->outcome == KN_OUTCOME_AVOID && !q->navoid && !q->asks_where)
        kn_atlas_problem("questions.tsv row %zu (%s): avoid needs regions or asks_where", i, id);
    check_conditions(i, q);
}

void kn_atlas_load_questions(void)
{
    static const char *const names[] = {"id",         "question",      "triggers_on",  "outcome",
                                        "advice",     "avoid_regions", "max_pressure", "asks_where",
                                        "conditions", "source",        "topic"};
    int c[11];
    if (!kn_atlas_table("questions.tsv", kn_data_questions_tsv, &table, names, c, 11))
        return;
    for (size_t i = 1; i < table.nrows; i++)
        read_row(i, table.rows[i], c);
}

size_t kn_question_count(void)
{
    kn_atlas_ready();
    return nquestions;
}

const kn_question *kn_question_at(size_t i)
{
    kn_atlas_ready();
    return i < nquestions ? &questions[i] : NULL;
}

const kn_question *kn_question_find(const char *id)
{
    kn_atlas_ready();
    for (size_t i = 0; i < nquestions; i++)
        if (strcmp(questions[i].id, id) == 0)
            return &questions[i];
    return NULL;
}

bool kn_question_in(const kn_question *q, const char *condition_id)
{
    size_t len = strlen(condition_id);
    for (const char *p = q->conditions; p && *p;) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, condition_id, len) == 0)
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

const char *kn_outcome_name(kn_outcome o)
{
    return (unsigned)o < 4 ? outcome_names[o] : "?";
}

const char *kn_verdict_name(kn_verdict v)
{
    return (unsigned)v < 4 ? verdict_names[v] : "?";
}

kn_rc kn_verdict_parse(const char *s, kn_verdict *out)
{
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(s, verdict_names[i]) == 0) {
            *out = (kn_verdict)i;
            return KN_OK;
        }
    }
    return KN_EINVAL;
}
