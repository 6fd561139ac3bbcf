/* The statistics behind the insights: average ranks, Spearman's rho, Welch's t-test, the
 * one-sample t-test and Benjamini-Hochberg. Distributions come from GSL; tests compare every
 * figure with scipy on fixed data. */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "knead/insight.h"

typedef struct ranked {
    double value;
    size_t index;
} ranked;

/* A key whose unsigned order is the order of the doubles (-0 as 0). */
static uint64_t order_key(double v)
{
    uint64_t u;
    if (v == 0)
        v = 0;
    memcpy(&u, &v, sizeof u);
    return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}

/* Sorts r by value, ties in index order: a least-significant-byte-first radix sort of
 * order_key, stable, skipping the bytes all keys share (most of them for the small numbers of
 * a diary). tmp holds n more. */
static void radix_sort(ranked *r, ranked *tmp, uint64_t *keys, uint64_t *ktmp, size_t n)
{
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        keys[i] = order_key(r[i].value);
        for (int b = 0; b < 8; b++)
            count[b][keys[i] >> (8 * b) & 0xff]++;
    }
    for (int b = 0; b < 8; b++) {
        if (count[b][keys[0] >> (8 * b) & 0xff] == n)
            continue;
        size_t pos = 0;
        for (int v = 0; v < 256; v++) {
            size_t c = count[b][v];
            count[b][v] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t to = count[b][keys[i] >> (8 * b) & 0xff]++;
            tmp[to] = r[i];
            ktmp[to] = keys[i];
        }
        memcpy(r, tmp, n * sizeof *r);
        memcpy(keys, ktmp, n * sizeof *keys);
    }
}

/* The keys of a counting sort: diary values are whole numbers (0-10 ratings, daily worst
 * pain) or tenths (sleep hours) in a small range. */
#define COUNT_KEYS 4096
#define COUNT_SCALES 2

/* Ranks x by counting when every value is k / scale for a whole k in [0, COUNT_KEYS), scale
 * 1 or 10: k / scale == x exactly, so equal values have equal keys, different values
 * different keys, in the same order, and the ranks are those of sorting. false when x is
 * not of that kind. ranks holds the keys until the ranks replace them. */
static bool ranks_by_counting(const double *x, size_t n, double *ranks)
{
    static const double scales[COUNT_SCALES] = {1.0, 10.0};
    for (int s = 0; s < COUNT_SCALES; s++) {
        double scale = scales[s];
        size_t i = 0, keys = 0;
        for (; i < n; i++) {
            double scaled = x[i] * scale;
            if (!(scaled >= 0 && scaled < COUNT_KEYS))
                break;
            size_t k = (size_t)(scaled + 0.5); /* any whole k: the test below decides */
            if ((double)k / scale != x[i])
                break;
            ranks[i] = (double)k;
            if (k >= keys)
                keys = k + 1;
        }
        if (i < n)
            continue;
        assert(keys > 0 && "n > 0 values have a key");
        size_t count[COUNT_KEYS];
        memset(count, 0, keys * sizeof *count);
        for (i = 0; i < n; i++)
            count[(size_t)ranks[i]]++;
        /* The values of key k take positions below+1 .. below+count[k] (1-based): each gets
         * their mean, as in the sorting path. */
        double mean[COUNT_KEYS];
        memset(mean, 0, keys * sizeof *mean);
        size_t below = 0;
        for (size_t k = 0; k < keys; k++) {
            mean[k] = ((double)(below + 1) + (double)(below + count[k])) / 2.0;
            below += count[k];
        }
        for (i = 0; i < n; i++)
            ranks[i] = mean[(size_t)ranks[i]];
        return true;
    }
    return false;
}

kn_rc kn_stat_ranks(const double *x, size_t n, double *ranks)
{
    if (n == 0)
        return KN_OK;
    if (ranks_by_counting(x, n, ranks))
        return KN_OK;
    ranked *r = malloc(2 * n * sizeof *r);
    uint64_t *keys = malloc(2 * n * sizeof *keys);
    if (!r || !keys) {
        free(r);
        free(keys);
        return KN_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){x[i], i};
    radix_sort(r, r + n, keys, keys + n, n);
    free(keys);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && r[j].value == r[i].value)
            j++;
        /* positions i+1 .. j share their mean */
        double avg = ((double)(i + 1) + (double)j) / 2.0;
        for (size_t k = i; k < j; k++)
            ranks[r[k].index] = avg;
        i = j;
    }
    free(r);
    return KN_OK;
}

static bool constant(const double *x, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (x[i] != x[0])
            return false;
    return true;
}

/* Two-sided p of Student's t with df degrees of freedom. */
static double t_two_sided(double t, double df)
{
    return 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
}

kn_rc kn_stat_spearman(const double *x, const double *y, size_t n, double *rho, double *p)
{
    *rho = NAN;
    *p = NAN;
    if (n < 3 || constant(x, n) || constant(y, n))
        return KN_OK;
    kn_rc rc = KN_ENOMEM;
    double *rx = malloc(n * sizeof *rx);
    double *ry = malloc(n * sizeof *ry);
    if (!rx || !ry)
        goto free_ranks;
    if ((rc = kn_stat_ranks(x, n, rx)) != KN_OK || (rc = kn_stat_ranks(y, n, ry)) != KN_OK)
        goto free_ranks;
    double r = gsl_stats_correlation(rx, 1, ry, 1, n);
    if (r > 1.0)
        r = 1.0;
    if (r < -1.0)
        r = -1.0;
    *rho = r;
    if (fabs(r) == 1.0) {
        *p = 0.0;
    } else {
        double df = (double)n - 2.0;
        *p = t_two_sided(r * sqrt(df / (1.0 - r * r)), df);
        if (!isfinite(*p)) /* GSL's error handler is off (kn_init): NaN is its error */
            *rho = *p = NAN;
    }
free_ranks:
    free(rx);
    free(ry);
    return rc;
}

/* The mean of x and its sample variance (n - 1), in two passes over doubles: GSL's running
 * mean takes a long double division per value, which was most of the time of a diary's
 * factor tests, and a sum of integer pain values is exact. */
static void mean_variance(const double *x, size_t n, double *mean, double *variance)
{
    double sum = 0, squares = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    double m = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        squares += (x[i] - m) * (x[i] - m);
    *mean = m;
    *variance = squares / ((double)n - 1.0);
}

kn_rc kn_stat_welch(const double *a, size_t na, const double *b, size_t nb, double *diff, double *p,
                    double *ci_low, double *ci_high)
{
    *diff = *p = *ci_low = *ci_high = NAN;
    if (na < 2 || nb < 2)
        return KN_EINVAL;
    double ma, mb, va, vb;
    mean_variance(a, na, &ma, &va);
    mean_variance(b, nb, &mb, &vb);
    va /= (double)na;
    vb /= (double)nb;
    *diff = ma - mb;
    double se2 = va + vb;
    if (!(se2 > 0))
        return KN_EINVAL;
    double se = sqrt(se2);
    double df = se2 * se2 / (va * va / ((double)na - 1.0) + vb * vb / ((double)nb - 1.0));
    *p = t_two_sided(*diff / se, df);
    double half = gsl_cdf_tdist_Pinv(0.975, df) * se;
    if (!isfinite(*p) || !isfinite(half)) { /* GSL's error, its handler being off (kn_init) */
        *diff = *p = NAN;
        return KN_EINVAL;
    }
    *ci_low = *diff - half;
    *ci_high = *diff + half;
    return KN_OK;
}

/* Whether every value equals the first within eps (exact equal means can differ in their
 * last bits: 14/3 - 13/3 and 8/3 - 7/3). */
static bool nearly_constant(const double *x, size_t n, double eps)
{
    for (size_t i = 1; i < n; i++)
        if (fabs(x[i] - x[0]) > eps)
            return false;
    return true;
}

double kn_stat_ttest_1samp_p(const double *x, size_t n)
{
    if (n < 2 || nearly_constant(x, n, 1e-9))
        return NAN;
    double m = gsl_stats_mean(x, 1, n);
    double sd = gsl_stats_sd_m(x, 1, n, m);
    if (!(sd > 0))
        return NAN;
    return t_two_sided(m / (sd / sqrt((double)n)), (double)n - 1.0);
}

typedef struct pval {
    double p;
    size_t index;
} pval;

static int pval_cmp(const void *a, const void *b)
{
    const pval *x = a, *y = b;
    if (x->p < y->p)
        return -1;
    if (x->p > y->p)
        return 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

kn_rc kn_stat_bh(const double *p, size_t n, double *q)
{
    if (n == 0)
        return KN_OK;
    pval *s = malloc(n * sizeof *s);
    if (!s)
        return KN_ENOMEM;
    for (size_t i = 0; i < n; i++)
        s[i] = (pval){p[i], i};
    qsort(s, n, sizeof *s, pval_cmp);
    double running = 1.0;
    for (size_t k = n; k-- > 0;) {
        double v = s[k].p * (double)n / (double)(k + 1);
        if (v < running)
            running = v;
        q[s[k].index] = running;
    }
    free(s);
    return KN_OK;
}
