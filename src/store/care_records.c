/* Records of the care workflow that the store keeps (therapists, intakes, plans, live
 * sessions, their events and notes): initialisers, release, validation and names. */
#include <stdlib.h>
#include <string.h>

#include "knead/store.h"

void kn_therapist_init(kn_therapist *t)
{
    memset(t, 0, sizeof *t);
}

void kn_therapist_clear(kn_therapist *t)
{
    free(t->name);
    free(t->license);
    for (size_t i = 0; i < t->nspecialties; i++)
        free(t->specialties[i]);
    free(t->specialties);
    kn_therapist_init(t);
}

void kn_therapist_list_free(kn_therapist_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        kn_therapist_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

kn_rc kn_therapist_validate(const kn_therapist *t, kn_err *err)
{
    if (blank(t->name))
        return kn_err_field(err, KN_EINVAL, "name", "name: must not be empty");
    if (strlen(t->name) > KN_NAME_MAX)
        return kn_err_field(err, KN_EINVAL, "name", "name: longer than %d characters", KN_NAME_MAX);
    if (t->license && (blank(t->license) || strlen(t->license) > KN_WORD_MAX))
        return kn_err_field(err, KN_EINVAL, "license", "license: must be 1-%d characters",
                            KN_WORD_MAX);
    if (t->nspecialties > KN_LIST_MAX)
        return kn_err_field(err, KN_EINVAL, "specialty", "specialty: more than %d", KN_LIST_MAX);
    for (size_t i = 0; i < t->nspecialties; i++)
        if (blank(t->specialties[i]) || strlen(t->specialties[i]) > KN_WORD_MAX)
            return kn_err_field(err, KN_EINVAL, "specialty",
                                "specialty '%s': must be 1-%d characters", t->specialties[i],
                                KN_WORD_MAX);
    return KN_OK;
}

kn_rc kn_therapist_add_specialty(kn_therapist *t, const char *specialty, kn_err *err)
{
    char **grown = realloc(t->specialties, (t->nspecialties + 1) * sizeof *grown);
    if (!grown)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    t->specialties = grown;
    if (!(t->specialties[t->nspecialties] = strdup(specialty)))
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    t->nspecialties++;
    return KN_OK;
}

void kn_intake_clear(kn_intake *i)
{
    free(i->answers);
    free(i->onsets);
    memset(i, 0, sizeof *i);
}

const char *kn_block_kind_name(kn_block_kind k)
{
    switch (k) {
    case KN_BLOCK_WARMUP:
        return "warmup";
    case KN_BLOCK_FOCUS:
        return "focus";
    case KN_BLOCK_CLOSING:
        return "closing";
    }
    return "?";
}

const char *kn_session_state_name(kn_session_state s)
{
    switch (s) {
    case KN_SESSION_RECORDED:
        return "recorded";
    case KN_SESSION_OPEN:
        return "open";
    case KN_SESSION_FINISHED:
        return "finished";
    case KN_SESSION_SIGNED:
        return "signed";
    case KN_SESSION_CANCELLED:
        return "cancelled";
    }
    return "?";
}

void kn_event_list_free(kn_event_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].note);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void kn_session_note_clear(kn_session_note *n)
{
    free(n->subjective);
    free(n->objective);
    free(n->assessment);
    free(n->plan);
    free(n->reason);
    memset(n, 0, sizeof *n);
}

void kn_note_list_free(kn_note_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        kn_session_note_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}
