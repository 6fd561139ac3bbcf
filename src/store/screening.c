/* Screening records: the answers to the red-flag and contraindication questions, their
 * validation, and their stored JSON form (the answers column of the screening table).
 * The verdict itself is worked out in the care layer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "store/backend.h"

static const char *const answer_names[] = {"skipped", "no", "yes"};

const char *kn_answer_name(kn_answer a)
{
    return (unsigned)a < 3 ? answer_names[a] : "?";
}

void kn_screening_init(kn_screening *s)
{
    memset(s, 0, sizeof *s);
    s->verdict = KN_VERDICT_CLEAR;
    s->max_pressure = KN_NONE;
}

static void clear_where(kn_screen_answer *a)
{
    for (size_t i = 0; i < a->nwhere; i++)
        free(a->where[i]);
    free(a->where);
    a->where = NULL;
    a->nwhere = 0;
}

void kn_screening_clear(kn_screening *s)
{
    for (size_t i = 0; i < s->nanswers; i++)
        clear_where(&s->answers[i]);
    free(s->answers);
    kn_screening_init(s);
}

void kn_screening_list_free(kn_screening_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        kn_screening_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

const kn_screen_answer *kn_screening_find(const kn_screening *s, const char *question)
{
    for (size_t i = 0; i < s->nanswers; i++)
        if (strcmp(s->answers[i].question, question) == 0)
            return &s->answers[i];
    return NULL;
}

kn_rc kn_screening_answer(kn_screening *s, const char *question, kn_answer answer,
                          const char *const *where, size_t nwhere, kn_err *err)
{
    const kn_question *q = kn_question_find(question);
    if (!q)
        return kn_err_field(err, KN_EINVAL, "question", "question %s: no such question", question);
    if (nwhere && (!q->asks_where || answer != KN_ANSWER_YES))
        return kn_err_set(err, KN_EINVAL,
                          "%s: only a yes to a question that asks where takes "
                          "regions",
                          question);
    if (nwhere > KN_SIDED_MAX)
        return kn_err_set(err, KN_EINVAL, "%s: too many regions", question);
    for (size_t i = 0; i < nwhere; i++) {
        int index;
        kn_rc rc = kn_sided_parse(where[i], question, &index, err);
        if (rc != KN_OK)
            return rc;
    }
    kn_screen_answer *a = (kn_screen_answer *)kn_screening_find(s, question);
    if (!a) {
        kn_screen_answer *grown = realloc(s->answers, (s->nanswers + 1) * sizeof *grown);
        if (!grown)
            return kn_err_set(err, KN_ENOMEM, "out of memory");
        s->answers = grown;
        a = &s->answers[s->nanswers++];
        memset(a, 0, sizeof *a);
        snprintf(a->question, sizeof a->question, "%s", q->id);
    }
    clear_where(a);
    a->answer = answer;
    a->given = (kn_instant){0, 0};
    if (!nwhere)
        return KN_OK;
    a->where = calloc(nwhere, sizeof *a->where);
    if (!a->where)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < nwhere; i++) {
        a->where[i] = kn_strdup(where[i]);
        if (!a->where[i])
            return kn_err_set(err, KN_ENOMEM, "out of memory");
        a->nwhere++;
    }
    return KN_OK;
}

kn_rc kn_screening_validate(const kn_screening *s, kn_err *err)
{
    if ((unsigned)s->verdict > KN_VERDICT_EMERGENCY)
        return kn_err_set(err, KN_EINVAL, "screening: unknown verdict");
    if (s->max_pressure != KN_NONE && (s->max_pressure < 1 || s->max_pressure > 10))
        return kn_err_set(err, KN_EINVAL, "screening: pressure cap %d: must be 1-10",
                          s->max_pressure);
    for (size_t i = 0; i < s->nanswers; i++) {
        const kn_screen_answer *a = &s->answers[i];
        const kn_question *q = kn_question_find(a->question);
        if (!q)
            return kn_err_set(err, KN_EINVAL, "screening: %s: no such question", a->question);
        if ((unsigned)a->answer > KN_ANSWER_YES)
            return kn_err_set(err, KN_EINVAL, "screening: %s: unknown answer", a->question);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->answers[j].question, a->question) == 0)
                return kn_err_set(err, KN_EINVAL, "screening: %s answered twice", a->question);
        if (a->nwhere && (!q->asks_where || a->answer != KN_ANSWER_YES))
            return kn_err_set(err, KN_EINVAL, "screening: %s: takes no regions", a->question);
        for (size_t j = 0; j < a->nwhere; j++) {
            int index;
            kn_rc rc = kn_sided_parse(a->where[j], a->question, &index, err);
            if (rc != KN_OK)
                return rc;
        }
    }
    return KN_OK;
}

kn_rc kn_screening_answers_to_json(const kn_screening *s, char **out, kn_err *err)
{
    *out = NULL;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < s->nanswers; i++) {
        const kn_screen_answer *a = &s->answers[i];
        json_t *item =
            json_pack("{s:s, s:s}", "question", a->question, "answer", kn_answer_name(a->answer));
        if (item && a->nwhere) {
            json_t *where = json_array();
            for (size_t j = 0; j < a->nwhere; j++)
                json_array_append_new(where, json_string(a->where[j]));
            json_object_set_new(item, "where", where);
        }
        if (item && a->given.utc) {
            char given[KN_INSTANT_LEN];
            kn_instant_format(a->given, given);
            json_object_set_new(item, "given", json_string(given));
        }
        if (!item || json_array_append_new(arr, item) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    if (arr)
        *out = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return *out ? KN_OK : kn_err_set(err, KN_ENOMEM, "cannot encode the answers (out of memory)");
}

/* One answer value: "yes"/"no"/"skip"/"skipped", true/false/null, or an object with "answer"
 * and "where". Stored answers to a question the tables no longer hold are passed over (the
 * stored verdict still stands); in new answers they are an error. */
static kn_rc read_answer(const char *question, json_t *v, kn_screening *s, bool stored, kn_err *err)
{
    if (stored && !kn_question_find(question))
        return KN_OK;
    json_t *where = NULL;
    const char *given = NULL;
    if (json_is_object(v)) {
        where = json_object_get(v, "where");
        given = stored ? json_string_value(json_object_get(v, "given")) : NULL;
        v = json_object_get(v, "answer");
        if (where && !json_is_array(where))
            return kn_err_set(err, KN_EINVAL, "answers: %s: where must be a list of regions",
                              question);
    }
    kn_answer a;
    const char *text = json_is_string(v) ? json_string_value(v) : NULL;
    if (json_is_true(v) || (text && strcmp(text, "yes") == 0))
        a = KN_ANSWER_YES;
    else if (json_is_false(v) || (text && strcmp(text, "no") == 0))
        a = KN_ANSWER_NO;
    else if (!v || json_is_null(v) ||
             (text && (strcmp(text, "skip") == 0 || strcmp(text, "skipped") == 0)))
        a = KN_ANSWER_SKIPPED;
    else
        return kn_err_set(err, KN_EINVAL, "answers: %s: answer must be yes, no or skip", question);
    size_t n = where ? json_array_size(where) : 0;
    const char **regions = n ? calloc(n, sizeof *regions) : NULL;
    if (n && !regions)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    kn_rc rc = KN_OK;
    for (size_t i = 0; i < n && rc == KN_OK; i++) {
        regions[i] = json_string_value(json_array_get(where, i));
        if (!regions[i])
            rc = kn_err_set(err, KN_EINVAL, "answers: %s: where must be a list of regions",
                            question);
    }
    if (rc == KN_OK) {
        rc = kn_screening_answer(s, question, a, regions, n, err);
        if (rc != KN_OK)
            kn_err_prefix(err, "answers");
    }
    /* A carried-over answer keeps the date it was given (a clearance is weighed against it). */
    if (rc == KN_OK && given) {
        kn_screen_answer *stored_answer = (kn_screen_answer *)kn_screening_find(s, question);
        rc = kn_instant_parse(given, NULL, "given", &stored_answer->given, err);
        if (rc != KN_OK)
            kn_err_prefix(err, "answers: %s", question);
    }
    free(regions);
    return rc;
}

static kn_rc answers_from_json(const char *text, kn_screening *s, bool stored, kn_err *err)
{
    json_error_t jerr;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return kn_err_set(err, KN_EINVAL, "answers: not JSON (line %d: %s)", jerr.line, jerr.text);
    kn_rc rc = KN_OK;
    json_t *answers = json_is_object(root) && json_object_get(root, "answers")
                          ? json_object_get(root, "answers")
                          : root;
    if (json_is_array(answers)) {
        size_t i;
        json_t *item;
        json_array_foreach(answers, i, item)
        {
            const char *q = json_string_value(json_object_get(item, "question"));
            if (!json_is_object(item) || !q) {
                rc = kn_err_set(err, KN_EINVAL, "answers: item %zu: needs a question", i + 1);
                break;
            }
            rc = read_answer(q, item, s, stored, err);
            if (rc != KN_OK)
                break;
        }
    } else if (json_is_object(answers)) {
        const char *q;
        json_t *v;
        json_object_foreach(answers, q, v)
        {
            rc = read_answer(q, v, s, stored, err);
            if (rc != KN_OK)
                break;
        }
    } else {
        rc = kn_err_set(err, KN_EINVAL, "answers: expected an object of answers or a list");
    }
    json_decref(root);
    return rc;
}

kn_rc kn_screening_answers_from_json(const char *text, kn_screening *s, kn_err *err)
{
    return answers_from_json(text, s, false, err);
}

kn_rc kn_screening_answers_from_stored(const char *text, kn_screening *s, kn_err *err)
{
    return answers_from_json(text, s, true, err);
}
