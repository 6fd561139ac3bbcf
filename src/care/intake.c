/* The intake: a person's goals, conditions, medications, contraindication answers, avoid
 * zones and pressure preferences, parsed and validated from a JSON answers document, kept in
 * a canonical stored form so that a changed answer (and only that) makes a new version, and
 * turned into the screening answers it implies. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "knead/care.h"

#define INTAKE_TEXT_MAX 4000
#define INTAKE_LIST_MAX 50

void kn_intake_answers_init(kn_intake_answers *a)
{
    memset(a, 0, sizeof *a);
    a->recent_injury = a->recent_surgery = a->pregnant = a->clots = KN_NONE;
    a->pressure = KN_NONE;
    for (int i = 0; i < KN_SIDED_MAX; i++)
        a->onset[i] = (kn_onset){.day = KN_DAY_ANY, .exact = false};
}

static void free_words(char **w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(w[i]);
    free(w);
}

void kn_intake_answers_clear(kn_intake_answers *a)
{
    free(a->goals);
    free(a->notes);
    free(a->screening);
    free_words(a->conditions, a->nconditions);
    free_words(a->medications, a->nmedications);
    free_words(a->skin_conditions, a->nskin_conditions);
    free_words(a->allergies, a->nallergies);
    for (int i = 0; i < KN_SIDED_MAX; i++)
        free(a->pain_since[i]);
    kn_intake_answers_init(a);
}

static kn_rc text_of(json_t *v, const char *key, char **out, kn_err *err)
{
    if (json_is_null(v))
        return KN_OK;
    if (!json_is_string(v))
        return kn_err_set(err, KN_EINVAL, "%s: must be text", key);
    size_t len = json_string_length(v);
    if (len > INTAKE_TEXT_MAX)
        return kn_err_set(err, KN_EINVAL, "%s: longer than %d characters", key, INTAKE_TEXT_MAX);
    if (len == 0)
        return KN_OK;
    *out = strdup(json_string_value(v));
    return *out ? KN_OK : kn_err_set(err, KN_ENOMEM, "%s: out of memory", key);
}

static kn_rc words_of(json_t *v, const char *key, char ***out, size_t *n, kn_err *err)
{
    if (json_is_null(v))
        return KN_OK;
    if (!json_is_array(v))
        return kn_err_set(err, KN_EINVAL, "%s: must be a list of words", key);
    if (json_array_size(v) > INTAKE_LIST_MAX)
        return kn_err_set(err, KN_EINVAL, "%s: more than %d items", key, INTAKE_LIST_MAX);
    *out = calloc(json_array_size(v) + 1, sizeof **out);
    if (!*out)
        return kn_err_set(err, KN_ENOMEM, "%s: out of memory", key);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item) || json_string_length(item) == 0 ||
            json_string_length(item) > KN_WORD_MAX)
            return kn_err_set(err, KN_EINVAL, "%s[%zu]: must be a word of 1-%d characters", key, i,
                              KN_WORD_MAX);
        (*out)[*n] = strdup(json_string_value(item));
        if (!(*out)[*n])
            return kn_err_set(err, KN_ENOMEM, "%s: out of memory", key);
        (*n)++;
    }
    return KN_OK;
}

static kn_rc yes_no_of(json_t *v, const char *key, int *out, kn_err *err)
{
    if (json_is_null(v))
        return KN_OK;
    if (!json_is_boolean(v))
        return kn_err_set(err, KN_EINVAL, "%s: must be true or false", key);
    *out = json_is_true(v) ? 1 : 0;
    return KN_OK;
}

static kn_rc regions_of(json_t *v, const char *key, kn_regionset *out, kn_err *err)
{
    if (json_is_null(v))
        return KN_OK;
    if (!json_is_array(v))
        return kn_err_set(err, KN_EINVAL, "%s: must be a list of region ids", key);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        char field[64];
        snprintf(field, sizeof field, "%s[%zu]", key, i);
        if (!json_is_string(item))
            return kn_err_set(err, KN_EINVAL, "%s: must be a region id", field);
        int k;
        kn_rc rc = kn_sided_parse(json_string_value(item), field, &k, err);
        if (rc != KN_OK)
            return rc;
        kn_regionset_add(out, k);
    }
    return KN_OK;
}

static kn_rc pressure_of(json_t *v, const char *key, int *out, kn_err *err)
{
    if (json_is_null(v))
        return KN_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 10)
        return kn_err_set(err, KN_EINVAL, "%s: must be a whole number 1-10", key);
    *out = (int)json_integer_value(v);
    return KN_OK;
}

static kn_rc pressures_of(json_t *v, const char *key, int *out, kn_err *err)
{
    if (json_is_null(v))
        return KN_OK;
    if (!json_is_object(v))
        return kn_err_set(err, KN_EINVAL, "%s: must map region ids to pressures 1-10", key);
    const char *region;
    json_t *p;
    json_object_foreach(v, region, p)
    {
        char field[96];
        snprintf(field, sizeof field, "%s.%s", key, region);
        int k;
        kn_rc rc = kn_sided_parse(region, field, &k, err);
        if (rc == KN_OK)
            rc = pressure_of(p, field, &out[k], err);
        if (rc == KN_OK && json_is_null(p))
            rc = kn_err_set(err, KN_EINVAL, "%s: must be a whole number 1-10", field);
        if (rc != KN_OK)
            return rc;
    }
    return KN_OK;
}

/* "pain_since": region id -> when its pain began (kn_parse_onset), checked against today;
 * the answer is kept as said (trimmed) and resolved on the day the intake is recorded. */
static kn_rc pain_since_of(json_t *v, const char *key, kn_intake_answers *a, kn_err *err)
{
    if (json_is_null(v))
        return KN_OK;
    if (!json_is_object(v))
        return kn_err_set(err, KN_EINVAL,
                          "%s: must map region ids to when the pain began (\"2 years\", "
                          "\"2024-03\")",
                          key);
    const char *region;
    json_t *said;
    kn_day today = kn_today(NULL);
    json_object_foreach(v, region, said)
    {
        char field[96];
        snprintf(field, sizeof field, "%s.%s", key, region);
        int k;
        kn_rc rc = kn_sided_parse(region, field, &k, err);
        if (rc != KN_OK)
            return rc;
        if (!json_is_string(said))
            return kn_err_set(err, KN_EINVAL, "%s: must be text (\"2 years\", \"2024-03\")", field);
        kn_onset probe;
        if ((rc = kn_parse_onset(json_string_value(said), today, field, &probe, err)) != KN_OK)
            return rc;
        if (a->pain_since[k])
            return kn_err_set(err, KN_EINVAL, "%s: given twice", field);
        const char *s = json_string_value(said);
        while (*s == ' ' || *s == '\t')
            s++;
        size_t len = strlen(s);
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (!(a->pain_since[k] = strndup(s, len)))
            return kn_err_set(err, KN_ENOMEM, "%s: out of memory", field);
    }
    return KN_OK;
}

static const char *const intake_keys[] = {
    "goals",          "conditions",      "medications",   "recent_injury", "injury_regions",
    "recent_surgery", "surgery_regions", "pregnant",      "clots",         "skin_conditions",
    "skin_regions",   "allergies",       "avoid_regions", "pressure",      "pressure_by_region",
    "notes",          "screening",       "pain_since",
};

static bool known_key(const char *key)
{
    for (size_t i = 0; i < sizeof intake_keys / sizeof intake_keys[0]; i++)
        if (strcmp(intake_keys[i], key) == 0)
            return true;
    return false;
}

static kn_rc parse_doc(json_t *doc, kn_intake_answers *a, kn_err *err)
{
    if (!json_is_object(doc))
        return kn_err_set(err, KN_EINVAL, "intake answers: must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v)
    {
        if (!known_key(key))
            return kn_err_set(err, KN_EINVAL, "%s: not an intake question (see docs/CARE.md)", key);
    }
#define G(k) json_object_get(doc, k) ? json_object_get(doc, k) : json_null()
    kn_rc rc = text_of(G("goals"), "goals", &a->goals, err);
    if (rc == KN_OK)
        rc = words_of(G("conditions"), "conditions", &a->conditions, &a->nconditions, err);
    if (rc == KN_OK)
        rc = words_of(G("medications"), "medications", &a->medications, &a->nmedications, err);
    if (rc == KN_OK)
        rc = yes_no_of(G("recent_injury"), "recent_injury", &a->recent_injury, err);
    if (rc == KN_OK)
        rc = regions_of(G("injury_regions"), "injury_regions", &a->injury_regions, err);
    if (rc == KN_OK)
        rc = yes_no_of(G("recent_surgery"), "recent_surgery", &a->recent_surgery, err);
    if (rc == KN_OK)
        rc = regions_of(G("surgery_regions"), "surgery_regions", &a->surgery_regions, err);
    if (rc == KN_OK)
        rc = yes_no_of(G("pregnant"), "pregnant", &a->pregnant, err);
    if (rc == KN_OK)
        rc = yes_no_of(G("clots"), "clots", &a->clots, err);
    if (rc == KN_OK)
        rc = words_of(G("skin_conditions"), "skin_conditions", &a->skin_conditions,
                      &a->nskin_conditions, err);
    if (rc == KN_OK)
        rc = regions_of(G("skin_regions"), "skin_regions", &a->skin_regions, err);
    if (rc == KN_OK)
        rc = words_of(G("allergies"), "allergies", &a->allergies, &a->nallergies, err);
    if (rc == KN_OK)
        rc = regions_of(G("avoid_regions"), "avoid_regions", &a->avoid, err);
    if (rc == KN_OK)
        rc = pressure_of(G("pressure"), "pressure", &a->pressure, err);
    if (rc == KN_OK)
        rc =
            pressures_of(G("pressure_by_region"), "pressure_by_region", a->pressure_by_region, err);
    if (rc == KN_OK)
        rc = text_of(G("notes"), "notes", &a->notes, err);
    if (rc == KN_OK)
        rc = pain_since_of(G("pain_since"), "pain_since", a, err);
    json_t *screening = G("screening");
#undef G
    if (rc == KN_OK && !json_is_null(screening)) {
        /* an object of answers, or the stored list form (an intake made on a terminal) */
        if (!json_is_object(screening) && !json_is_array(screening))
            return kn_err_set(err, KN_EINVAL, "screening: must map question ids to answers");
        a->screening = json_dumps(screening, JSON_COMPACT | JSON_SORT_KEYS);
        if (!a->screening)
            return kn_err_set(err, KN_ENOMEM, "screening: out of memory");
        /* validate it now, so that a bad answer is refused with the intake */
        kn_screening probe;
        kn_screening_init(&probe);
        rc = kn_screening_answers_from_json(a->screening, &probe, err);
        kn_screening_clear(&probe);
        if (rc != KN_OK)
            kn_err_prefix(err, "screening");
    }
    return rc;
}

kn_rc kn_intake_parse(const char *json_text, kn_intake_answers *out, kn_err *err)
{
    kn_intake_answers_init(out);
    json_error_t jerr;
    json_t *doc = json_loads(json_text, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc)
        return kn_err_set(err, KN_EINVAL, "intake answers: not JSON (line %d: %s)", jerr.line,
                          jerr.text);
    kn_rc rc = parse_doc(doc, out, err);
    json_decref(doc);
    if (rc != KN_OK)
        kn_intake_answers_clear(out);
    return rc;
}

static json_t *words_json(char *const *w, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(w[i]));
    return a;
}

static json_t *regions_json(const kn_regionset *set)
{
    json_t *a = json_array();
    for (int i = kn_regionset_next(set, 0); i >= 0; i = kn_regionset_next(set, i + 1))
        json_array_append_new(a, json_string(kn_sided_id(i)));
    return a;
}

static json_t *yes_no_json(int v)
{
    return v == KN_NONE ? json_null() : json_boolean(v == 1);
}

static json_t *text_json(const char *s)
{
    return s ? json_string(s) : json_null();
}

kn_rc kn_intake_to_json(const kn_intake_answers *a, char **out, kn_err *err)
{
    json_t *pressures = json_object();
    for (int i = 0; i < (int)kn_sided_count(); i++)
        if (a->pressure_by_region[i])
            json_object_set_new(pressures, kn_sided_id(i), json_integer(a->pressure_by_region[i]));
    json_t *screening = a->screening ? json_loads(a->screening, 0, NULL) : json_null();
    json_t *doc = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "goals", text_json(a->goals), "conditions", words_json(a->conditions, a->nconditions),
        "medications", words_json(a->medications, a->nmedications), "recent_injury",
        yes_no_json(a->recent_injury), "injury_regions", regions_json(&a->injury_regions),
        "recent_surgery", yes_no_json(a->recent_surgery), "surgery_regions",
        regions_json(&a->surgery_regions), "pregnant", yes_no_json(a->pregnant), "clots",
        yes_no_json(a->clots), "skin_conditions",
        words_json(a->skin_conditions, a->nskin_conditions), "skin_regions",
        regions_json(&a->skin_regions), "allergies", words_json(a->allergies, a->nallergies),
        "avoid_regions", regions_json(&a->avoid), "pressure",
        a->pressure == KN_NONE ? json_null() : json_integer(a->pressure), "pressure_by_region",
        pressures, "notes", text_json(a->notes), "screening", screening ? screening : json_null());
    /* pain_since only when given, so that an intake made before it was asked keeps its
     * canonical form (and re-recording it makes no new version) */
    json_t *since = json_object();
    for (int i = 0; doc && since && i < (int)kn_sided_count(); i++)
        if (a->pain_since[i])
            json_object_set_new(since, kn_sided_id(i), json_string(a->pain_since[i]));
    if (doc && since && json_object_size(since))
        json_object_set(doc, "pain_since", since);
    json_decref(since);
    *out = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(doc);
    return *out ? KN_OK : kn_err_set(err, KN_ENOMEM, "intake: out of memory");
}

kn_rc kn_intake_resolve_onsets(kn_intake_answers *a, kn_day day, kn_err *err)
{
    for (int i = 0; i < (int)kn_sided_count(); i++) {
        if (!a->pain_since[i])
            continue;
        char field[96];
        snprintf(field, sizeof field, "pain_since.%s", kn_sided_id(i));
        kn_rc rc = kn_parse_onset(a->pain_since[i], day, field, &a->onset[i], err);
        if (rc != KN_OK)
            return rc;
    }
    return KN_OK;
}

/* The resolved onsets of a as stored records (*out owned by the caller). */
static kn_rc onsets_of(const kn_intake_answers *a, kn_intake_onset **out, size_t *n, kn_err *err)
{
    *out = NULL;
    *n = 0;
    size_t count = 0;
    for (int i = 0; i < (int)kn_sided_count(); i++)
        count += a->pain_since[i] && a->onset[i].day != KN_DAY_ANY;
    if (!count)
        return KN_OK;
    if (!(*out = calloc(count, sizeof **out)))
        return kn_err_set(err, KN_ENOMEM, "intake: out of memory");
    for (int i = 0; i < (int)kn_sided_count(); i++)
        if (a->pain_since[i] && a->onset[i].day != KN_DAY_ANY) {
            kn_intake_onset *o = &(*out)[(*n)++];
            snprintf(o->region, sizeof o->region, "%s", kn_sided_id(i));
            o->onset = a->onset[i].day;
            o->exact = a->onset[i].exact;
        }
    return KN_OK;
}

/* Answers question yes (at where, when it asks where), unless the intake's own screening
 * answers already said something about it. */
static kn_rc imply(kn_screening *s, const char *question, const kn_regionset *where, kn_err *err)
{
    if (kn_screening_find(s, question))
        return KN_OK;
    const char *ids[KN_SIDED_MAX];
    size_t n = 0;
    for (int i = where ? kn_regionset_next(where, 0) : -1; i >= 0;
         i = kn_regionset_next(where, i + 1))
        ids[n++] = kn_sided_id(i);
    return kn_screening_answer(s, question, KN_ANSWER_YES, ids, n, err);
}

static kn_rc imply_no(kn_screening *s, const char *question, kn_err *err)
{
    if (kn_screening_find(s, question))
        return KN_OK;
    return kn_screening_answer(s, question, KN_ANSWER_NO, NULL, 0, err);
}

static bool has_condition(const kn_intake_answers *a, const char *word)
{
    for (size_t i = 0; i < a->nconditions; i++)
        if (strstr(a->conditions[i], word))
            return true;
    return false;
}

kn_rc kn_intake_screening(const kn_intake_answers *a, kn_screening *s, kn_err *err)
{
    kn_rc rc = KN_OK;
    if (a->screening && (rc = kn_screening_answers_from_json(a->screening, s, err)) != KN_OK)
        return rc;
    for (size_t i = 0; i < a->nmedications && rc == KN_OK; i++) {
        const kn_medication *m = kn_medication_match(a->medications[i]);
        if (m && m->question)
            rc = imply(s, m->question->id, NULL, err);
    }
    if (rc == KN_OK && a->clots != KN_NONE)
        rc = a->clots ? imply(s, "clot_known", NULL, err) : imply_no(s, "clot_known", err);
    if (rc == KN_OK && a->pregnant != KN_NONE)
        rc = a->pregnant ? imply(s, "pregnancy", NULL, err) : imply_no(s, "pregnancy", err);
    if (rc == KN_OK && a->recent_injury != KN_NONE)
        rc = a->recent_injury ? imply(s, "recent_injury", &a->injury_regions, err)
                              : imply_no(s, "recent_injury", err);
    if (rc == KN_OK && a->recent_surgery != KN_NONE)
        rc = a->recent_surgery ? imply(s, "recent_surgery", &a->surgery_regions, err)
                               : imply_no(s, "recent_surgery", err);
    if (rc == KN_OK && a->nskin_conditions)
        rc = imply(s, "skin", &a->skin_regions, err);
    if (rc == KN_OK && a->nallergies)
        rc = imply(s, "oil_allergy", NULL, err);
    if (rc == KN_OK && has_condition(a, "osteoporosis"))
        rc = imply(s, "osteoporosis", NULL, err);
    return rc;
}

kn_rc kn_intake_record(kn_store *st, int64_t person, kn_instant at, const kn_intake_answers *a,
                       kn_intake_result *out, kn_err *err)
{
    memset(out, 0, sizeof *out);
    char *text = NULL;
    kn_intake latest = {0};
    kn_intake in = {0};
    kn_intake_answers resolved; /* only the onsets: a shallow copy of the pain_since texts */
    memcpy(&resolved, a, sizeof resolved);
    kn_screening s;
    kn_screening_init(&s);
    bool found = false;
    kn_rc rc = kn_intake_to_json(a, &text, err);
    if (rc != KN_OK)
        goto free_all;
    if ((rc = kn_store_intake_latest(st, person, &latest, &found)) != KN_OK) {
        rc = kn_store_error(st, err);
        goto free_all;
    }
    if (found && strcmp(latest.answers, text) == 0) {
        out->version = latest.version;
        out->intake_id = latest.id;
        out->screening_id = latest.screening_id;
        goto free_all; /* the same answers: nothing new to keep */
    }
    s.person_id = person;
    s.at = at;
    if ((rc = kn_intake_screening(a, &s, err)) != KN_OK ||
        (rc = kn_screen_carry_latest(st, person, &s, err)) != KN_OK)
        goto free_all;
    /* An intake that answers no screening question stores no screening: an empty one would
     * read as clear. */
    if (kn_screening_answered(&s) == 0)
        rc = kn_screen_evaluate(&s, &out->screen, err);
    else
        rc = kn_screen_record(st, &s, &out->screen, err);
    if (rc != KN_OK)
        goto free_all;
    in = (kn_intake){.person_id = person, .at = at, .answers = text, .screening_id = s.id};
    /* "2 years" said today: two years before the day of this intake */
    if ((rc = kn_intake_resolve_onsets(&resolved, kn_instant_day(at), err)) != KN_OK ||
        (rc = onsets_of(&resolved, &in.onsets, &in.nonsets, err)) != KN_OK)
        goto free_all;
    if ((rc = kn_store_intake_add(st, &in)) != KN_OK) {
        rc = kn_store_error(st, err);
        goto free_all;
    }
    out->changed = true;
    out->version = in.version;
    out->intake_id = in.id;
    out->screening_id = s.id;
free_all:
    free(in.onsets);
    kn_screening_clear(&s);
    kn_intake_clear(&latest);
    free(text);
    return rc;
}

kn_rc kn_intake_latest(kn_store *st, int64_t person, kn_intake_answers *out, int *version,
                       bool *found, kn_err *err)
{
    kn_intake_answers_init(out);
    *version = 0;
    kn_intake latest = {0};
    kn_rc rc = kn_store_intake_latest(st, person, &latest, found);
    if (rc != KN_OK)
        return kn_store_error(st, err);
    if (*found) {
        *version = latest.version;
        rc = kn_intake_parse(latest.answers, out, err);
        if (rc != KN_OK)
            kn_err_prefix(err, "stored intake version %d", latest.version);
        for (size_t i = 0; rc == KN_OK && i < latest.nonsets; i++) {
            int k = kn_sided_find(latest.onsets[i].region);
            if (k >= 0)
                out->onset[k] = (kn_onset){latest.onsets[i].onset, latest.onsets[i].exact};
        }
    }
    kn_intake_clear(&latest);
    return rc;
}
