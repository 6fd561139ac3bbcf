/* Care before massage: screening for red flags and contraindications (the verdict, stored
 * with the person and dated), the gate that puts a serious verdict in front of every guide
 * and ranking for that person, and the pain map of a person's recent diary. */
#ifndef KNEAD_CARE_H
#define KNEAD_CARE_H

#include <stdbool.h>
#include <stddef.h>

#include "knead/atlas.h"
#include "knead/error.h"
#include "knead/store.h"

#define KN_SCREEN_QUESTIONS_MAX 96

typedef struct kn_screen_result {
    kn_verdict verdict; /* the most serious outcome answered; clear when none */
    /* The questions whose answer triggered them, most serious outcome first, table order
     * within an outcome. */
    const kn_question *reasons[KN_SCREEN_QUESTIONS_MAX];
    size_t nreasons;
    kn_regionset avoid; /* sided regions to keep off (both sides unless the answer said) */
    /* Avoid questions answered yes without saying where: the area is not known. */
    const kn_question *unplaced[KN_SCREEN_QUESTIONS_MAX];
    size_t nunplaced;
    int max_pressure; /* the lowest cap on the spoken 1-10 scale, or 0 = no cap */
    const kn_question *unanswered[KN_SCREEN_QUESTIONS_MAX]; /* skipped or never asked */
    size_t nunanswered;
} kn_screen_result;

/* Works out the verdict of s's answers. Answers to unknown questions are refused. */
kn_rc kn_screen_evaluate(const kn_screening *s, kn_screen_result *out, kn_err *err);

/* Evaluates s, sets its verdict and pressure cap, and adds it to the store for
 * s->person_id at s->at, inside the caller's transaction (kn_store_begin). Earlier
 * screenings stay: the latest one counts. */
kn_rc kn_screen_record(kn_store *st, kn_screening *s, kn_screen_result *out, kn_err *err);

/* One-line advice for a verdict ("See a physician before massage."). */
const char *kn_verdict_advice(kn_verdict v);

#define KN_GATE_MESSAGE_MAX 800

/* What a guide, ranking or plan for a person must say first. */
typedef struct kn_gate {
    bool screened;                     /* the person has a screening on record */
    kn_verdict verdict;                /* of the latest screening (clear when none) */
    kn_instant at;                     /* when it was made */
    bool blocking;                     /* emergency or refer: message goes before anything else */
    int max_pressure;                  /* of the latest screening, or 0 = no cap */
    kn_regionset avoid;                /* regions to keep off, from the latest screening */
    char message[KN_GATE_MESSAGE_MAX]; /* never empty */
} kn_gate;

/* The gate for person from their latest screening. */
kn_rc kn_care_gate(kn_store *st, int64_t person, kn_gate *out, kn_err *err);

/* The pain map of person's diary over the `days` days ending on `today`: every region
 * logged, with intensity the mean of its daily worst over the days it was logged (regions
 * whose mean is 0 are left out). *entries is the number of pain entries read. */
kn_rc kn_care_painmap(kn_store *st, int64_t person, kn_day today, int days, kn_painmap *out,
                      size_t *entries, kn_err *err);

#endif
