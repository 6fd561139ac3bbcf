/* Matching therapists to a person: each specialty is weighed against the conditions the
 * person's pain map resembles or their intake names, the muscles ranked for the map and the
 * techniques a plan uses; credentials order the list (licensed first) and every point of the
 * score is given as a reason. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    char why[200];
    m->therapist = t;
    m->licensed = t->license != NULL;
    m->score = 0;
    m->reasons[0] = 0;
    for (size_t s = 0; s < t->nspecialties; s++) {
        char spec[KN_WORD_MAX + 1];
        lower(t->specialties[s], spec, sizeof spec);
        for (size_t i = 0; i < ncm; i++) {
            if (!cm[i].resembles || !names_condition(spec, cm[i].condition))
                continue;
            m->score += W_CONDITION_MAP * cm[i].score;
            snprintf(why, sizeof why, "specialty '%s': the pain map resembles %s (%.2f)",
                     t->specialties[s], cm[i].condition->name, cm[i].score);
            add_reason(m->reasons, sizeof m->reasons, why);
        }
        for (size_t i = 0; intake && i < intake->nconditions; i++) {
            char said[KN_WORD_MAX + 1];
            lower(intake->conditions[i], said, sizeof said);
            const kn_condition *c = kn_condition_find(said);
            if (!(strcmp(said, spec) == 0 || (c && names_condition(spec, c))))
                continue;
            m->score += W_CONDITION_INTAKE;
            snprintf(why, sizeof why, "specialty '%s': diagnosed %s (intake)", t->specialties[s],
                     intake->conditions[i]);
            add_reason(m->reasons, sizeof m->reasons, why);
        }
        for (size_t i = 0; i < rank->ntop && i < 10; i++) {
            char mname[160];
            lower(rank->top[i].muscle->name, mname, sizeof mname);
            if (strcmp(spec, rank->top[i].muscle->id) != 0 && !strstr(spec, mname))
                continue;
            m->score += W_MUSCLE;
            snprintf(why, sizeof why, "specialty '%s': %s ranks #%zu for the pain map",
                     t->specialties[s], rank->top[i].muscle->name, i + 1);
            add_reason(m->reasons, sizeof m->reasons, why);
            break;
        }
        for (size_t i = 0; i < sizeof plan_techniques / sizeof plan_techniques[0]; i++) {
            if (!strstr(spec, plan_techniques[i]))
                continue;
            m->score += W_TECHNIQUE;
            snprintf(why, sizeof why, "specialty '%s': a technique the plan uses",
                     t->specialties[s]);
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
