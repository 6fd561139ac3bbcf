/* The clinical atlas: body regions, muscles with their trigger-point sites and referral
 * zones, the eight condition guides, and the red-flag and contraindication questions, all
 * compiled in from the data/ tables; plus the referral ranking that turns a pain map into the
 * muscles worth checking. Pure data and computation: no store, no printing. */
#ifndef KNEAD_ATLAS_H
#define KNEAD_ATLAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "knead/error.h"

#define KN_REGION_MAX 32 /* longest sided region id + NUL, with room to spare */

typedef struct kn_region {
    const char *id;      /* base id, without side */
    const char *label;   /* plain-language name */
    const char *view;    /* front, back, side, top, sole */
    bool paired;         /* true: always given as <id>_l or <id>_r */
    const char *aliases; /* "; "-separated other names */
    const char *source;
} kn_region;

size_t kn_region_count(void);
const kn_region *kn_region_at(size_t i);
const kn_region *kn_region_find(const char *base_id);

/* Checks a sided region id ("neck_side_r", "vertex"); on success *region is its base
 * region and *side is 'l', 'r' or 0 for a midline region. field names it in errors. */
kn_rc kn_region_parse(const char *sided, const char *field, const kn_region **region, char *side,
                      kn_err *err);

/* ---- sided regions ----
 * Every paired region counted twice (<id>_l, <id>_r) and every midline region once: the
 * marks a pain map can hold. They are numbered 0..kn_sided_count()-1 in body-map order. */
#define KN_SIDED_MAX 128

typedef struct kn_regionset {
    uint64_t bits[KN_SIDED_MAX / 64];
} kn_regionset;

size_t kn_sided_count(void);
/* The index of a sided id ("temple_r", "vertex"), or -1. */
int kn_sided_find(const char *sided);
/* The index of an exact sided id ("neck_back_r": lower case, as stored), or -1; a hash
 * lookup built with the atlas, for checking many stored records quickly. */
int kn_sided_lookup(const char *exact_id);
/* Like kn_sided_find, with the error message of kn_region_parse. */
kn_rc kn_sided_parse(const char *sided, const char *field, int *index, kn_err *err);
const char *kn_sided_id(int index);
const kn_region *kn_sided_region(int index);
char kn_sided_side(int index); /* 'l', 'r' or 0 (midline) */
/* The index of region r on side ('l'/'r'; ignored for midline regions), or -1. */
int kn_sided_of(const kn_region *r, char side);

static inline bool kn_regionset_has(const kn_regionset *s, int i)
{
    return (s->bits[i >> 6] >> (i & 63)) & 1u;
}
static inline void kn_regionset_add(kn_regionset *s, int i)
{
    s->bits[i >> 6] |= (uint64_t)1 << (i & 63);
}
static inline bool kn_regionset_empty(const kn_regionset *s)
{
    return !(s->bits[0] | s->bits[1]);
}
int kn_regionset_count(const kn_regionset *s);
/* The next member at or after i, or -1: for (i = kn_regionset_next(s, 0); i >= 0; ...). */
int kn_regionset_next(const kn_regionset *s, int i);

/* ---- muscles and their referral zones (data/muscles.tsv, data/referrals.tsv) ---- */
typedef enum kn_zone_kind {
    KN_ZONE_PRIMARY,   /* "essential": felt by nearly everyone with an active TrP */
    KN_ZONE_SECONDARY, /* "spillover": felt by some people only */
} kn_zone_kind;

typedef struct kn_zone {
    const kn_region *region;
    kn_zone_kind kind;
    bool both_sides;  /* refers to this region on both sides of the body, not only its own */
    char tier;        /* evidence: 'A' experimental, 'B' provoked in patients, 'C' clinical maps */
    const char *trp;  /* which trigger point refers here ("all" = the muscle's TrPs at large) */
    const char *note; /* which part of the region ("" = none) */
    const char *source;
} kn_zone;

#define KN_MUSCLE_SITES_MAX 4

typedef struct kn_muscle {
    const char *id;
    const char *name;
    const char *area;
    const kn_region *sites[KN_MUSCLE_SITES_MAX]; /* regions where its trigger points lie */
    size_t nsites;
    const char *sites_text; /* where the trigger points lie, in words */
    const char *studies;    /* patient studies naming the muscle ("" = none) */
    bool seed;              /* from the seed table; false: added by knead from the manuals */
    const char *source;
    const kn_zone *zones;
    size_t nzones;
} kn_muscle;

size_t kn_muscle_count(void);
const kn_muscle *kn_muscle_at(size_t i);
const kn_muscle *kn_muscle_find(const char *id);

/* ---- sources (data/sources.tsv): the keys that source cells cite ---- */
typedef struct kn_source {
    const char *key;      /* what the tables' source cells cite: never shown to people */
    const char *citation; /* the full published source: authors, title, year, publisher */
    const char *kind;
    const char *mark;       /* the short mark a line of text carries: "Davies 2013" */
    const char *url;        /* "" when there is none */
    const char *provenance; /* where knead took it from, for maintainers only */
} kn_source;

size_t kn_source_count(void);
const kn_source *kn_source_at(size_t i);
const kn_source *kn_source_find(const char *key);

/* ---- readable names (src/atlas/names.c) ----
 * Ids (region, muscle, condition, question, status) stay in JSON; text for people names
 * things through these. Each writes into buf (cap bytes, KN_LABEL_MAX is enough) and returns
 * it; an id the atlas does not know comes back as its words (underscores as spaces). */
#define KN_LABEL_MAX 256

/* "Temple, side of head (right)" for "temple_r"; "Top of head" for "vertex"; a base id
 * ("temple") gives its label. */
const char *kn_name_region(const char *sided, char *buf, size_t cap);
/* The same for sided region number index. */
const char *kn_name_sided(int index, char *buf, size_t cap);
/* The regions of set in body-map order, "; "-separated (labels may hold commas); "" if none. */
const char *kn_name_regions(const kn_regionset *set, char *buf, size_t cap);
/* "Upper trapezius" for "upper_trapezius". */
const char *kn_name_muscle(const char *id, char *buf, size_t cap);
/* "TMJ disorder" for "tmjd". */
const char *kn_name_condition(const char *id, char *buf, size_t cap);
/* What a question asks about: "sudden thunderclap headache" for "thunderclap". */
const char *kn_name_question(const char *id, char *buf, size_t cap);
/* The words of a status or category id: "no important change" for "no_important_change". */
const char *kn_name_term(const char *id, char *buf, size_t cap);
/* A therapist's specialty as written, or the name of the condition (id or tag) or muscle
 * (id) it gives: "Stiff neck (...)" for "stiff_neck", "trigger point" as it is. */
const char *kn_name_specialty(const char *text, char *buf, size_t cap);
/* The full citation of a source key ("Simons DG, Travell JG, ..."), or NULL if unknown. */
const char *kn_name_source(const char *key);

/* ---- citations: a short mark where a line cites, the full citations once at the end ----
 * A text output collects what it cites in a kn_citations (zeroed first) and closes with a
 * "Sources" list of kn_citation_line, one line per source, in the order first cited. */
#define KN_CITE_MAX 64

typedef struct kn_citations {
    const kn_source *cited[KN_CITE_MAX];
    size_t n;
} kn_citations;

/* The marks of the sources a source cell cites, in its order, "; "-separated ("Do 2019;
 * massage contraindication lists"), into buf; "" when it cites none. Whatever else the cell
 * says (a reference file, a section, a note) is left out. Each source is added to c (c may
 * be NULL). */
const char *kn_cite(kn_citations *c, const char *cell, char *buf, size_t cap);
/* text with each source key it names replaced by its mark ("temporalis (DV)" becomes
 * "temporalis (Davies 2013)"), into buf; each source added to c (c may be NULL). */
const char *kn_cite_text(kn_citations *c, const char *text, char *buf, size_t cap);
/* "Davies 2013: Davies C, Davies A. The Trigger Point Therapy Workbook ... URL" into buf. */
const char *kn_citation_line(const kn_source *s, char *buf, size_t cap);

/* ---- condition guides (data/conditions.tsv, condition_muscles.tsv, condition_codes.tsv) */
#define KN_CONDITION_REGIONS_MAX 12

typedef struct kn_condition_muscle {
    const kn_muscle *muscle;
    bool first; /* assess first; false: then */
    const char *note;
    const char *source;
} kn_condition_muscle;

typedef struct kn_code {
    const char *system; /* "icd11", "snomed", "icd10cm" */
    const char *code;
    const char *meaning;
    const char *role; /* "condition", "chronic_pain", "body_site" */
    bool confirmed;   /* unconfirmed codes are kept for review, never shown */
    const char *note;
    const char *source;
} kn_code;

typedef struct kn_condition {
    const char *id;  /* tmjd, headache, carpal_tunnel, stiff_neck, sciatica, ... */
    const char *tag; /* TMJD, HA, CTS, NECK, SCI, HEEL, ITB, SIJ */
    const char *name;
    const char *summary;
    const char *presentation;                        /* items separated by " | " */
    const kn_region *core[KN_CONDITION_REGIONS_MAX]; /* its typical pain map */
    size_t ncore;
    const kn_region *other[KN_CONDITION_REGIONS_MAX]; /* where it often spreads */
    size_t nother;
    const char *self_care; /* items separated by " | " */
    const char *self_care_source;
    const char *source;
    const kn_condition_muscle *muscles; /* in the order to assess them */
    size_t nmuscles;
    const kn_code *codes;
    size_t ncodes;
    /* Its usual course (data/condition_course.tsv): an acute one settles within settles_days;
     * any other can last for months or years (settles_days 0). */
    bool acute;
    int settles_days;
    const char *course_note;
    const char *course_source;
} kn_condition;

size_t kn_condition_count(void);
const kn_condition *kn_condition_at(size_t i);
const kn_condition *kn_condition_find(const char *id);

/* ---- red flags and contraindications (data/questions.tsv) ---- */
typedef enum kn_outcome {
    KN_OUTCOME_CAUTION,   /* a pressure cap and/or technique limits */
    KN_OUTCOME_AVOID,     /* no work on the given regions */
    KN_OUTCOME_REFER,     /* see a physician before massage */
    KN_OUTCOME_EMERGENCY, /* seek care now */
} kn_outcome;

/* A screening verdict: the most serious outcome among the answers, in rising order. */
typedef enum kn_verdict {
    KN_VERDICT_CLEAR,
    KN_VERDICT_CAUTION,
    KN_VERDICT_REFER,
    KN_VERDICT_EMERGENCY,
} kn_verdict;

#define KN_QUESTION_ID_MAX 40
#define KN_QUESTION_REGIONS_MAX 8

typedef struct kn_question {
    const char *id;
    const char *text;  /* plain-language question */
    const char *topic; /* what it asks about, in a few words ("sudden thunderclap headache") */
    bool on_yes;       /* the answer that triggers it: yes (true) or no */
    kn_outcome outcome;
    const char *advice;
    const kn_region *avoid[KN_QUESTION_REGIONS_MAX]; /* both sides of paired regions */
    size_t navoid;
    int max_pressure;       /* 1-10 on the spoken pressure scale, or 0 = no cap */
    bool asks_where;        /* a yes is followed by "where?" (the regions to avoid) */
    const char *conditions; /* ";"-separated: "all" and/or condition ids */
    const char *source;
} kn_question;

size_t kn_question_count(void);
const kn_question *kn_question_at(size_t i);
const kn_question *kn_question_find(const char *id);
/* Whether q belongs to the red flags of condition id ("all" = asked of everyone). */
bool kn_question_in(const kn_question *q, const char *condition_id);

const char *kn_outcome_name(kn_outcome o);
const char *kn_verdict_name(kn_verdict v);
kn_rc kn_verdict_parse(const char *s, kn_verdict *out);

/* The one-line notice every output naming muscles or conditions carries. */
#define KN_NOT_A_DIAGNOSIS "Information for you and your therapist to discuss, not a diagnosis."

/* ---- medications that change what pressure is safe (data/medications.tsv) ---- */
typedef struct kn_medication {
    const char *name;            /* lower case: "warfarin" */
    const char *drug_class;      /* "anticoagulant", "antiplatelet" */
    const kn_question *question; /* the screening question taking it answers yes, or NULL:
                                    a medicine known that raises none (a pain reliever) */
    const char *note;
    const char *source;
    const char *brands;        /* ";"-separated brand names ("Clexane;Lovenox"), "" = none */
    const char *brands_source; /* where the brand names come from */
} kn_medication;

size_t kn_medication_count(void);
const kn_medication *kn_medication_at(size_t i);
/* The medication a free-text entry names, by drug or brand name, as a word of its own and
 * whatever the case, surrounding space, dose, units and frequency words ("Warfarin 5 mg",
 * " ELIQUIS ", "low-dose aspirin", "Eliquis 5mg twice daily", "ibuprofen 400 mg when needed"),
 * or NULL: a medicine the table does not know, to be asked about. */
const kn_medication *kn_medication_match(const char *text);
/* The "not recognised: ask about it" line for a medicine entry kn_medication_match does not
 * know, into buf. */
void kn_medication_unknown_text(const char *text, char *buf, size_t cap);

/* ---- table checks ----
 * Walks every table and calls report once per problem (an unknown region, a missing
 * source, a duplicate id...). Returns the number of problems; 0 for the shipped tables. */
size_t kn_atlas_check(void (*report)(void *ctx, const char *problem), void *ctx);

/* ---- pain maps and the referral ranking (docs/RANKING.md) ---- */
typedef struct kn_painmap {
    kn_regionset set;              /* the marked sided regions */
    size_t n;                      /* marks, in the order given: */
    uint8_t region[KN_SIDED_MAX];  /* its sided region */
    float weight[KN_SIDED_MAX];    /* 0-1: intensity / 10 (0.5 when not given), x the share
                                      of the window's days with pain for a diary's map */
    float intensity[KN_SIDED_MAX]; /* 0-10, or -1 when not given */
    uint16_t days[KN_SIDED_MAX];   /* days with pain in the window, 0 when not from a diary */
    int window;                    /* the diary's days the map covers, 0 when not from one */
} kn_painmap;

void kn_painmap_init(kn_painmap *m);
/* The position of sided region i among the marks of m, or -1. */
int kn_painmap_find(const kn_painmap *m, int i);
/* Marks a sided region with an intensity in (0, 10], or intensity < 0 for "not given". A
 * region marked twice keeps the higher intensity. */
kn_rc kn_painmap_add(kn_painmap *m, const char *sided, double intensity, const char *field,
                     kn_err *err);
/* Marks a sided region from a diary of `window` days: its mean daily worst over the `days`
 * days it hurt (1 <= days <= window). Its weight is mean / 10 x days / window, the region's
 * burden (the sum of its daily worst) over the most the window could hold, so that a region
 * that hurts on one day weighs as little as it was felt (docs/RANKING.md). Every mark of a map
 * made this way must share the window. */
kn_rc kn_painmap_add_days(kn_painmap *m, const char *sided, double mean, int days, int window,
                          const char *field, kn_err *err);
/* Parses "REGION" or "REGION:INTENSITY" (intensity 1-10) and marks it. */
kn_rc kn_painmap_parse(kn_painmap *m, const char *arg, const char *field, kn_err *err);

#define KN_RANK_TOP_MAX 50

typedef struct kn_candidate {
    const kn_muscle *muscle;
    char side;              /* 'l', 'r', or 'b': both sides explain exactly the same marks */
    double score;           /* 0-1 */
    kn_regionset primary;   /* marked regions in its primary zones */
    kn_regionset secondary; /* ... in its secondary zones */
    kn_regionset local;     /* ... at its own trigger-point sites (and no zone) */
} kn_candidate;

typedef struct kn_cover_item {
    const kn_muscle *muscle;
    char side;
    kn_regionset explains; /* the marked regions it explains */
} kn_cover_item;

typedef struct kn_ranking {
    kn_candidate top[KN_RANK_TOP_MAX]; /* best first */
    size_t ntop;
    kn_cover_item cover[KN_SIDED_MAX]; /* a small set that explains the whole map */
    size_t ncover;
    kn_regionset unexplained; /* marked regions no listed candidate explains */
    kn_regionset uncovered;   /* marked regions no muscle at all explains */
} kn_ranking;

/* Ranks the muscles for map: the best top (1..KN_RANK_TOP_MAX) candidates, the cover and
 * the unexplained marks. No allocation; an empty map gives an empty ranking. */
kn_rc kn_rank(const kn_painmap *map, size_t top, kn_ranking *out, kn_err *err);
/* The score of one muscle on one side ('l' or 'r') for map. */
double kn_rank_score(const kn_painmap *map, const kn_muscle *m, char side);

/* ---- which condition guide a pain map resembles ---- */
#define KN_MATCH_MUSCLES_MAX 3

typedef struct kn_condition_match {
    const kn_condition *condition;
    double score;         /* 0-1: the mean of the two fits below */
    double map_fit;       /* how well the marks fit its typical pain map */
    double muscle_fit;    /* the best ranking score among its assess-first muscles */
    kn_regionset typical; /* the marks that lie in its typical pain map */
    const kn_muscle *muscles[KN_MATCH_MUSCLES_MAX]; /* its best-scoring assess-first muscles */
    char sides[KN_MATCH_MUSCLES_MAX];
    double muscle_scores[KN_MATCH_MUSCLES_MAX];
    size_t nmuscles;
    bool resembles;     /* score and fit high enough to name it (docs/RANKING.md) */
    int duration_days;  /* how long its marked regions are known to have hurt; -1 unknown */
    bool course_misfit; /* an acute guide for a pain that has lasted longer: ranked down */
} kn_condition_match;

/* Scores every condition guide against map, best first; *n is kn_condition_count(). */
kn_rc kn_condition_match_map(const kn_painmap *map, kn_condition_match *out, size_t cap, size_t *n,
                             kn_err *err);
/* Takes how long the pain has lasted into account (docs/RANKING.md "course"): duration[k] is
 * how many days the sided region k is known to have hurt, or -1. A guide of an acute course
 * whose marked regions have hurt for longer than it settles in gets half its score, is
 * marked course_misfit and is named only if it still scores enough; the order is best first
 * again. */
void kn_condition_match_course(kn_condition_match *m, size_t n, const int duration[KN_SIDED_MAX]);
/* Why the course of m's guide does not fit the pain's duration, in one plain sentence. */
void kn_condition_course_reason(const kn_condition_match *m, char *buf, size_t cap);
/* Why map resembles the guide of m, in one plain sentence, into buf (cap bytes). */
void kn_condition_match_reason(const kn_painmap *map, const kn_condition_match *m, char *buf,
                               size_t cap);

#endif
