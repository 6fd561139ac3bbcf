/* Readable names for the ids that can reach a person: regions, muscles, conditions, questions,
 * the words of statuses and categories, and the citations behind source keys. Ids stay in
 * JSON; every text output names things through these (docs/ARCHITECTURE.md). An id the atlas
 * does not know (a record written by an older table) is shown as its words, never raw. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "knead/atlas.h"

/* The id with its underscores turned into spaces: the last resort for an unknown id. */
static const char *words_of(const char *id, char *buf, size_t cap)
{
    if (!cap)
        return "";
    size_t n = 0;
    for (const char *p = id ? id : ""; *p && n + 1 < cap; p++)
        buf[n++] = *p == '_' ? ' ' : *p;
    buf[n] = '\0';
    return buf;
}

static const char *copy(const char *text, char *buf, size_t cap)
{
    if (!cap)
        return "";
    snprintf(buf, cap, "%s", text);
    return buf;
}

const char *kn_name_sided(int index, char *buf, size_t cap)
{
    const kn_region *r = index >= 0 ? kn_sided_region(index) : NULL;
    if (!r)
        return copy("an unknown region", buf, cap);
    char side = kn_sided_side(index);
    if (cap)
        snprintf(buf, cap, "%s%s", r->label,
                 side == 'l'   ? " (left)"
                 : side == 'r' ? " (right)"
                               : "");
    return cap ? buf : "";
}

const char *kn_name_region(const char *sided, char *buf, size_t cap)
{
    int i = sided ? kn_sided_find(sided) : -1;
    if (i >= 0)
        return kn_name_sided(i, buf, cap);
    const kn_region *r = sided ? kn_region_find(sided) : NULL; /* a base id: "temple" */
    if (r)
        return copy(r->label, buf, cap);
    return words_of(sided, buf, cap);
}

const char *kn_name_regions(const kn_regionset *set, char *buf, size_t cap)
{
    if (!cap)
        return "";
    size_t len = 0;
    buf[0] = '\0';
    for (int i = kn_regionset_next(set, 0); i >= 0 && len + 1 < cap;
         i = kn_regionset_next(set, i + 1)) {
        char name[KN_LABEL_MAX];
        snprintf(buf + len, cap - len, "%s%s", len ? "; " : "",
                 kn_name_sided(i, name, sizeof name));
        len = strlen(buf);
    }
    return buf;
}

const char *kn_name_muscle(const char *id, char *buf, size_t cap)
{
    const kn_muscle *m = id ? kn_muscle_find(id) : NULL;
    return m ? copy(m->name, buf, cap) : words_of(id, buf, cap);
}

const char *kn_name_condition(const char *id, char *buf, size_t cap)
{
    const kn_condition *c = id ? kn_condition_find(id) : NULL;
    return c ? copy(c->name, buf, cap) : words_of(id, buf, cap);
}

const char *kn_name_question(const char *id, char *buf, size_t cap)
{
    const kn_question *q = id ? kn_question_find(id) : NULL;
    return q ? copy(q->topic, buf, cap) : words_of(id, buf, cap);
}

/* The words of the statuses, categories and outcomes that records carry as ids. */
static const struct {
    const char *id, *words;
} terms[] = {
    {"no_important_change", "no important change"},
    {"important", "important improvement"},
    {"substantial", "substantial improvement"},
    {"worse", "worse"},
    {"chronic", "chronic"},
    {"too_little_history", "too little history to say"},
    {"not_yet_three_months", "not yet in three months"},
    {"under_three_months", "under three months so far"},
    {"too_few_pairs", "too few days with both values"},
    {"too_few_with_or_without", "too few days with it, or without it"},
    {"constant", "never changes"},
};

const char *kn_name_term(const char *id, char *buf, size_t cap)
{
    for (size_t i = 0; id && i < sizeof terms / sizeof terms[0]; i++)
        if (strcmp(terms[i].id, id) == 0)
            return copy(terms[i].words, buf, cap);
    return words_of(id, buf, cap);
}

const char *kn_name_specialty(const char *text, char *buf, size_t cap)
{
    char low[KN_LABEL_MAX];
    size_t n = 0;
    for (const char *p = text ? text : ""; *p && n + 1 < sizeof low; p++)
        low[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    low[n] = '\0';
    for (size_t i = 0; i < kn_condition_count(); i++) {
        const kn_condition *c = kn_condition_at(i);
        if (strcmp(low, c->id) == 0 || strcasecmp(text, c->tag) == 0)
            return copy(c->name, buf, cap);
    }
    const kn_muscle *m = kn_muscle_find(low);
    return copy(m ? m->name : text ? text : "", buf, cap);
}

const char *kn_name_source(const char *key)
{
    const kn_source *s = key ? kn_source_find(key) : NULL;
    return s ? s->citation : NULL;
}

/* ---- citations ---- */

static bool key_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* The longest source key that starts at p as a word of its own, or NULL. */
static const kn_source *key_at(const char *text, const char *p)
{
    if (p > text && key_char(p[-1]))
        return NULL;
    const kn_source *best = NULL;
    for (size_t i = 0; i < kn_source_count(); i++) {
        const kn_source *s = kn_source_at(i);
        size_t len = strlen(s->key);
        if (strncmp(p, s->key, len) == 0 && !key_char(p[len]) && (!best || len > strlen(best->key)))
            best = s;
    }
    return best;
}

static void cite_add(kn_citations *c, const kn_source *s)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->cited[i] == s)
            return;
    if (c->n < KN_CITE_MAX)
        c->cited[c->n++] = s;
}

const char *kn_cite(kn_citations *c, const char *cell, char *buf, size_t cap)
{
    if (!cap)
        return "";
    const kn_source *seen[KN_CITE_MAX];
    size_t nseen = 0, len = 0;
    buf[0] = '\0';
    for (const char *p = cell ? cell : ""; *p; p++) {
        const kn_source *s = key_at(cell, p);
        if (!s)
            continue;
        bool again = false;
        for (size_t i = 0; i < nseen; i++)
            again |= seen[i] == s;
        p += strlen(s->key) - 1;
        if (again || nseen == KN_CITE_MAX)
            continue;
        seen[nseen++] = s;
        if (c)
            cite_add(c, s);
        if (len + 1 < cap) {
            snprintf(buf + len, cap - len, "%s%s", len ? "; " : "", s->mark);
            len = strlen(buf);
        }
    }
    return buf;
}

const char *kn_cite_text(kn_citations *c, const char *text, char *buf, size_t cap)
{
    if (!cap)
        return "";
    size_t len = 0;
    for (const char *p = text ? text : ""; *p && len + 1 < cap;) {
        const kn_source *s = key_at(text, p);
        if (s) {
            if (c)
                cite_add(c, s);
            snprintf(buf + len, cap - len, "%s", s->mark);
            len = strlen(buf);
            p += strlen(s->key);
        } else {
            buf[len++] = *p++;
            buf[len] = '\0';
        }
    }
    buf[len < cap ? len : cap - 1] = '\0';
    return buf;
}

const char *kn_citation_line(const kn_source *s, char *buf, size_t cap)
{
    if (cap)
        snprintf(buf, cap, "%s: %s%s%s", s->mark, s->citation, *s->url ? " " : "", s->url);
    return cap ? buf : "";
}
