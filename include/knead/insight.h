/* Insights from a person's diary: which regions are chronic, when pain flares, which factors
 * go with more pain (with honest statistics), whether massage is followed by less pain, and
 * whether pain and PEG scores improved. The definitions are docs/INSIGHTS.md; they are a
 * contract shared with the reference implementation in bench/. Doubles that have no value
 * are NAN; days that have none are KN_DAY_ANY. */
#ifndef KNEAD_INSIGHT_H
#define KNEAD_INSIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "knead/diary.h"
#include "knead/digest.h"
#include "knead/error.h"
#include "knead/store.h"

#define KN_FACTOR_NAME_MAX (KN_WORD_MAX + 16) /* "treatment:" + a word */
/* Thresholds of docs/INSIGHTS.md that a report of the insights also states. */
#define KN_INSIGHT_MIN_PAIRS 10        /* days pairing a factor with pain, for a test */
#define KN_INSIGHT_BASELINE_MIN_DAYS 7 /* days with a value behind a flare baseline */
#define KN_INSIGHT_OUTCOME_WINDOW 14   /* days with a value in each pain outcome window */

/* What can be said of a region's pain lasting over three months (docs/INSIGHTS.md "chronic"). */
typedef enum kn_chronic_status {
    KN_CHRONIC_YES,                /* over three months, by the diary or by the intake */
    KN_CHRONIC_TOO_LITTLE_HISTORY, /* the diary spans 90 days or less and no onset was told */
    KN_CHRONIC_NOT_YET,            /* the diary spans longer, but in fewer than three months */
    KN_CHRONIC_UNDER_THREE_MONTHS  /* the intake says it began three months ago or less */
} kn_chronic_status;

typedef enum kn_chronic_basis { KN_BASIS_DIARY, KN_BASIS_INTAKE } kn_chronic_basis;

typedef struct kn_chronic_region {
    char region[KN_REGION_MAX];
    kn_day first, last;    /* local days of the first and last entry with intensity >= 1;
                            * KN_DAY_ANY for a region only the intake names */
    int span_days;         /* last - first */
    int months;            /* distinct calendar months with such entries */
    int entry_days;        /* distinct days with such entries (0: only the intake names it) */
    double mean_intensity; /* NAN when entry_days is 0 */
    bool chronic;          /* status == KN_CHRONIC_YES */
    kn_chronic_status status;
    kn_chronic_basis basis;
    kn_day onset; /* when the intake says the pain began; KN_DAY_ANY when it did not say */
    bool onset_exact;
} kn_chronic_region;

/* When a region's pain began, as an intake told it. */
typedef struct kn_told_onset {
    const char *region; /* sided region id */
    kn_day onset;
    bool exact;
} kn_told_onset;

typedef struct kn_flare {
    kn_day start, end;
    int days; /* flare days in the run */
    int peak;
    kn_day peak_date; /* earliest day with the peak */
    double baseline;  /* of the start day */
} kn_flare;

typedef enum kn_factor_kind { KN_FACTOR_CONTINUOUS, KN_FACTOR_BINARY } kn_factor_kind;

typedef struct kn_factor_test {
    char factor[KN_FACTOR_NAME_MAX]; /* "stress", "routine", "tag:long drive", ... */
    kn_factor_kind kind;
    int lag; /* 0: pain the same day, 1: the next day */
    int n;
    int n_with, n_without;        /* binary only */
    double rho;                   /* continuous only, else NAN */
    double diff, ci_low, ci_high; /* binary only, else NAN */
    double p, q;
    /* A factor that goes with more pain beyond chance (q < 0.05, a sizeable effect). Never a
     * treatment: people take a painkiller because the day is bad, so the pain likely came
     * first; such a finding is worse_days instead. */
    bool driver;
    bool worse_days; /* a treatment taken on worse days (q < 0.05, a sizeable rise) */
} kn_factor_test;

/* True for a factor that is a treatment ("treatment:ibuprofen"). */
bool kn_factor_is_treatment(const char *factor);

typedef enum kn_skip_reason {
    KN_SKIP_TOO_FEW_PAIRS,           /* fewer than 10 pairs */
    KN_SKIP_TOO_FEW_WITH_OR_WITHOUT, /* binary: fewer than 5 with or without */
    KN_SKIP_CONSTANT                 /* no variation: the statistic is undefined */
} kn_skip_reason;

typedef struct kn_factor_skip {
    char factor[KN_FACTOR_NAME_MAX];
    kn_factor_kind kind;
    int lag;
    int n;
    kn_skip_reason reason;
} kn_factor_skip;

typedef struct kn_massage_effect {
    kn_instant at;
    kn_day day;
    double pre, post, change; /* mean daily worst of the 3 days before and after */
    double immediate;         /* post_pain - pre_pain of the session record */
} kn_massage_effect;

typedef struct kn_massage_summary {
    kn_massage_effect *sessions;
    size_t nsessions;
    int n; /* sessions with a change */
    double mean_change;
    double p; /* one-sample t-test of the changes against 0 */
} kn_massage_summary;

typedef enum kn_trend_category {
    KN_TREND_SUBSTANTIAL,
    KN_TREND_IMPORTANT,
    KN_TREND_NO_IMPORTANT_CHANGE,
    KN_TREND_WORSE
} kn_trend_category;

typedef struct kn_trend {
    bool present; /* false: not enough data */
    double baseline, latest, change, percent;
    kn_day baseline_date, latest_date;
    kn_trend_category category;
} kn_trend;

typedef struct kn_insights {
    int64_t person;
    kn_day from, to;            /* the range asked for; KN_DAY_ANY = open */
    kn_day first_day, last_day; /* of the data in range; KN_DAY_ANY when there is none */
    int days_logged;
    kn_chronic_region *chronic;
    size_t nchronic;
    kn_flare *flares;
    size_t nflares;
    kn_factor_test *factors;
    size_t nfactors;
    kn_factor_skip *skipped;
    size_t nskipped;
    kn_massage_summary massage;
    kn_trend peg, pain;
} kn_insights;

/* The diary records the insights are computed from, all of one person. */
typedef struct kn_insight_input {
    const kn_pain *pains;
    size_t npains;
    const kn_checkin *checkins;
    size_t ncheckins;
    const kn_session *sessions;
    size_t nsessions;
} kn_insight_input;

/* Computes every section from a digest of the diary (records in any order, at most one
 * check-in a day: two on one day are KN_EINVAL). Records outside [from, to] are ignored. out
 * is filled from scratch; free it with kn_insights_free even on failure. */
kn_rc kn_insights_compute_digest(const kn_digest *in, kn_day from, kn_day to, kn_insights *out,
                                 kn_err *err);
/* The same from full records (digested first). */
kn_rc kn_insights_compute(const kn_insight_input *in, kn_day from, kn_day to, kn_insights *out,
                          kn_err *err);
/* Reads the digest of the person's diary in range from the store, computes the insights and
 * adds the onsets of the person's latest intake (kn_insights_add_onsets). */
kn_rc kn_insights_load(kn_store *st, int64_t person, kn_day from, kn_day to, kn_insights *out,
                       kn_err *err);
void kn_insights_free(kn_insights *ins);
/* Adds what an intake told on the local day told_on of when each region's pain began: a
 * region the diary does not show as chronic is chronic by the intake when its pain is known to
 * have lasted over 90 days (from the onset to the later of told_on and its last painful day
 * in the diary), else under three months; a region only the intake names is added. The
 * regions stay sorted by id. kn_insights_load does it with the latest intake. */
kn_rc kn_insights_add_onsets(kn_insights *ins, const kn_told_onset *onsets, size_t n,
                             kn_day told_on, kn_err *err);

const char *kn_skip_reason_name(kn_skip_reason r);
const char *kn_chronic_status_name(kn_chronic_status s);
const char *kn_chronic_basis_name(kn_chronic_basis b);
const char *kn_trend_category_name(kn_trend_category c);
const char *kn_factor_kind_name(kn_factor_kind k);

/* ---- statistics (GSL underneath), exposed for tests ---- */
/* Average ranks (ties share the mean of their positions, 1-based) of x[0..n) into ranks. */
kn_rc kn_stat_ranks(const double *x, size_t n, double *ranks);
/* Spearman's rho with average ranks and its two-sided p (t with n-2 df); NAN rho when
 * either series is constant or n < 3. */
kn_rc kn_stat_spearman(const double *x, const double *y, size_t n, double *rho, double *p);
/* Welch's unequal-variance t-test of mean(a) - mean(b): diff, two-sided p, 95 % interval. */
kn_rc kn_stat_welch(const double *a, size_t na, const double *b, size_t nb, double *diff, double *p,
                    double *ci_low, double *ci_high);
/* Two-sided one-sample t-test of x against 0; NAN when n < 2 or all values are equal
 * (within 1e-9: they are means of integers, whose doubles may differ in the last bits). */
double kn_stat_ttest_1samp_p(const double *x, size_t n);
/* Benjamini-Hochberg adjusted p-values (monotone, capped at 1). */
kn_rc kn_stat_bh(const double *p, size_t n, double *q);

#endif
