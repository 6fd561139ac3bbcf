/* Matching therapists to a person: each specialty is weighed against the conditions the
 * person's pain map resembles or their intake names, the muscles ranked for the map and the
 * techniques a plan uses; credentials order the list (licensed first) and every point of the
 * score is given as a reason. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"
#include "knead/care.h"

#define W_CONDITION_MAP 3.0    /* times the match score of a resembled condition */
#define W_CONDITION_INTAKE 2.0 /* a condition the person says was diagnosed */
#define W_MUSCLE 1.0           /* a ranked muscle named by the specialty */
#define W_TECHNIQUE 0.5        /* a technique the plan uses */
#define W_BOARD 0.5
#define W_AMTA 0.25

static void lower(const char *in, char *out, size_t cap)
{
    size_t i = 0;
    for (; in[i] && i + 1 < cap; i++)
        out[i] = in[i] == '-' ? '_' : (char)tolower((unsigned char)in[i]);
    out[i] = 0;
}

/* Whether a specialty names condition c: its id, tag or name ("TMJ disorder"). */
static bool names_condition(const char *spec, const kn_condition *c)
{
    char name[160], tag[16];
    lower(c->name, name, sizeof name);
    lower(c->tag, tag, sizeof tag);
    return strcmp(spec, c->id) == 0 || strcmp(spec, tag) == 0 || strstr(name, spec) ||
           strstr(spec, c->id);
}

static void add_reason(char *buf, size_t cap, const char *text)
{
    size_t len = strlen(buf);
    if (len < cap)
        snprintf(buf + len, cap - len, "%s%s", len ? "; " : "", text);
}

static const char *const plan_techniques[] = {"trigger", "myofascial", "neuromuscular", "stretch"};

static void score_one(const kn_therapist *t, const kn_condition_match *cm, size_t ncm,
                      const kn_ranking *rank, const kn_intake_answers *intake,
                      kn_therapist_match *m)
{
    char why[400];
    m->therapist = t;
    m->licensed = t->license != NULL;
    m->score = 0;
    m->reasons[0] = 0;
    for (size_t s = 0; s < t->nspecialties; s++) {
        char spec[KN_WORD_MAX + 1], said_as[KN_LABEL_MAX];
        lower(t->specialties[s], spec, sizeof spec);
        kn_name_specialty(t->specialties[s], said_as, sizeof said_as);
        for (size_t i = 0; i < ncm; i++) {
            if (!cm[i].resembles || !names_condition(spec, cm[i].condition))
                continue;
            m->score += W_CONDITION_MAP * cm[i].score;
            kn_snprintf_c(why, sizeof why, "specialty '%s': the pain map resembles %s (%.2f)",
                          said_as, cm[i].condition->name, cm[i].score);
            add_reason(m->reasons, sizeof m->reasons, why);
        }
        for (size_t i = 0; intake && i < intake->nconditions; i++) {
            char said[KN_WORD_MAX + 1];
            lower(intake->conditions[i], said, sizeof said);
            const kn_condition *c = kn_condition_find(said);
            if (!(strcmp(said, spec) == 0 || (c && names_condition(spec, c))))
                continue;
            m->score += W_CONDITION_INTAKE;
            snprintf(why, sizeof why, "specialty '%s': diagnosed %s (intake)", said_as,
                     intake->conditions[i]);
            add_reason(m->reasons, sizeof m->reasons, why);
        }
        for (size_t i = 0; i < rank->ntop && i < 10; i++) {
            char mname[160];
            lower(rank->top[i].muscle->name, mname, sizeof mname);
            if (strcmp(spec, rank->top[i].muscle->id) != 0 && !strstr(spec, mname))
                continue;
            m->score += W_MUSCLE;
            snprintf(why, sizeof why, "specialty '%s': %s ranks #%zu for the pain map", said_as,
                     rank->top[i].muscle->name, i + 1);
            add_reason(m->reasons, sizeof m->reasons, why);
            break;
        }
        for (size_t i = 0; i < sizeof plan_techniques / sizeof plan_techniques[0]; i++) {
            if (!strstr(spec, plan_techniques[i]))
                continue;
            m->score += W_TECHNIQUE;
            snprintf(why, sizeof why, "specialty '%s': a technique the plan uses", said_as);
            add_reason(m->reasons, sizeof m->reasons, why);
            break;
        }
    }
    if (t->license) {
        snprintf(why, sizeof why, "licensed (%s)", t->license);
        add_reason(m->reasons, sizeof m->reasons, why);
    } else {
        add_reason(m->reasons, sizeof m->reasons, "no licence on record");
    }
    if (t->board_certified) {
        m->score += W_BOARD;
        add_reason(m->reasons, sizeof m->reasons, "board certified");
    }
    if (t->amta_member) {
        m->score += W_AMTA;
        add_reason(m->reasons, sizeof m->reasons, "AMTA member");
    }
}

static int match_cmp(const void *a, const void *b)
{
    const kn_therapist_match *x = a, *y = b;
    if (x->licensed != y->licensed)
        return x->licensed ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->therapist->id < y->therapist->id ? -1 : x->therapist->id > y->therapist->id;
}

kn_rc kn_therapist_match_rank(kn_store *st, int64_t person, kn_day today, int days,
                              const kn_therapist_list *therapists, kn_therapist_match *out,
                              kn_err *err)
{
    kn_painmap map;
    size_t entries;
    kn_rc rc = kn_care_painmap(st, person, today, days, &map, &entries, err);
    if (rc != KN_OK)
        return rc;
    kn_ranking *rank = calloc(1, sizeof *rank);
    kn_condition_match cm[16];
    size_t ncm = 0;
    if (!rank)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    if ((rc = kn_rank(&map, 10, rank, err)) != KN_OK ||
        (rc = kn_condition_match_map(&map, cm, 16, &ncm, err)) != KN_OK)
        goto free_rank;
    kn_intake_answers intake;
    int version;
    bool found;
    if ((rc = kn_intake_latest(st, person, &intake, &version, &found, err)) != KN_OK)
        goto free_rank;
    for (size_t i = 0; i < therapists->n; i++)
        score_one(&therapists->items[i], cm, ncm, rank, found ? &intake : NULL, &out[i]);
    qsort(out, therapists->n, sizeof *out, match_cmp);
    kn_intake_answers_clear(&intake);
free_rank:
    free(rank);
    return rc;
}

/* given with its surrounding space left out, into buf; its length. */
static size_t trimmed(const char *given, char *buf, size_t cap)
{
    while (isspace((unsigned char)*given))
        given++;
    size_t len = strlen(given);
    while (len && isspace((unsigned char)given[len - 1]))
        len--;
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, given, len);
    buf[len] = 0;
    return len;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* Whether word occurs in name as the start of one of its words, whatever the case. */
static bool word_prefix(const char *name, const char *word, size_t len)
{
    for (const char *p = name; *p; p++)
        if ((p == name || !isalnum((unsigned char)p[-1])) && strncasecmp(p, word, len) == 0)
            return true;
    return false;
}

/* Appends "1 Dana Reyes, 2 Dan Ko" (the therapists of l that pick says, all when NULL). */
static void list_candidates(const kn_therapist_list *l, const bool *pick, char *buf, size_t cap)
{
    size_t used = strlen(buf);
    bool first = true;
    for (size_t i = 0; i < l->n && used + 1 < cap; i++) {
        if (pick && !pick[i])
            continue;
        int n = snprintf(buf + used, cap - used, "%s%lld %s", first ? "" : ", ",
                         (long long)l->items[i].id, l->items[i].name);
        used = n < 0 ? used : used + (size_t)n < cap ? used + (size_t)n : cap - 1;
        first = false;
    }
}

kn_rc kn_therapist_resolve(kn_store *st, const char *given, const char *field, int64_t *id,
                           kn_err *err)
{
    *id = 0;
    char want[KN_NAME_MAX + 1];
    size_t len = trimmed(given ? given : "", want, sizeof want);
    if (!len)
        return kn_err_set(err, KN_EINVAL, "%s: must not be empty (a therapist id or name)", field);
    kn_therapist_list l = {0};
    if (kn_store_therapist_list(st, &l) != KN_OK)
        return kn_store_error(st, err);
    bool *pick = calloc(l.n + 1, sizeof *pick);
    kn_rc rc = KN_OK;
    char names[KN_ERRMSG_MAX / 2] = "";
    if (!pick) {
        rc = kn_err_set(err, KN_ENOMEM, "out of memory");
        goto free_list;
    }
    size_t exact = 0, partial = 0;
    bool by_id = all_digits(want);
    for (size_t i = 0; i < l.n; i++) {
        const kn_therapist *t = &l.items[i];
        if (by_id ? strtoll(want, NULL, 10) == t->id : strcasecmp(t->name, want) == 0) {
            pick[i] = true;
            exact++;
            *id = t->id;
        }
    }
    if (exact == 1)
        goto free_list;
    *id = 0;
    if (exact > 1) {
        list_candidates(&l, pick, names, sizeof names);
        rc = kn_err_field(err, KN_EREFUSED, field,
                          "%s %s: %zu therapists have that name (%s): give the id", field, want,
                          exact, names);
        goto free_list;
    }
    for (size_t i = 0; !by_id && i < l.n; i++)
        partial += pick[i] = word_prefix(l.items[i].name, want, len);
    if (!l.n)
        rc = kn_err_field(err, KN_ENOTFOUND, field,
                          "%s %s: no such therapist; none is on record yet (add one first)", field,
                          want);
    else {
        list_candidates(&l, partial ? pick : NULL, names, sizeof names);
        rc = kn_err_field(err, KN_ENOTFOUND, field, "%s %s: no such therapist; %s %s", field, want,
                          partial ? "did you mean" : "on record:", names);
    }
free_list:
    free(pick);
    kn_therapist_list_free(&l);
    return rc;
}
