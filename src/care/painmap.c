/* The pain map of a person's recent diary, for the referral ranking and the condition
 * guides: each region logged in the last days, with the mean of its daily worst and the days
 * it hurt, weighted by both (its burden: a region felt on one day weighs as one day). */
#include <string.h>

#include "knead/care.h"

/* The sum of each region's daily worst over the pains (ordered by local day), and its days
 * with pain: days whose worst is above 0 (a day logged at 0 is a day without pain there). */
static void daily_worst_sums(const kn_pain_list *pains, double sum[KN_SIDED_MAX],
                             int ndays[KN_SIDED_MAX])
{
    int worst[KN_SIDED_MAX];
    for (int i = 0; i < KN_SIDED_MAX; i++) {
        worst[i] = -1;
        sum[i] = 0;
        ndays[i] = 0;
    }
    for (size_t k = 0; k <= pains->n; k++) {
        bool day_ends = k == pains->n || (k > 0 && pains->items[k].day != pains->items[k - 1].day);
        if (day_ends) {
            for (int i = 0; i < KN_SIDED_MAX; i++) {
                if (worst[i] < 0)
                    continue;
                sum[i] += worst[i];
                ndays[i] += worst[i] > 0;
                worst[i] = -1;
            }
        }
        if (k == pains->n)
            break;
        int i = kn_sided_find(pains->items[k].region);
        if (i >= 0 && pains->items[k].intensity > worst[i])
            worst[i] = pains->items[k].intensity;
    }
}

kn_rc kn_care_painmap(kn_store *st, int64_t person, kn_day today, int days, kn_painmap *out,
                      size_t *entries, kn_err *err)
{
    int burden[KN_SIDED_MAX];
    return kn_care_painmap_burden(st, person, today, days, out, burden, entries, err);
}

kn_rc kn_care_painmap_burden(kn_store *st, int64_t person, kn_day today, int days, kn_painmap *out,
                             int burden[KN_SIDED_MAX], size_t *entries, kn_err *err)
{
    kn_painmap_init(out);
    *entries = 0;
    for (int i = 0; i < KN_SIDED_MAX; i++)
        burden[i] = 0;
    if (days < 1)
        return kn_err_field(err, KN_EINVAL, "days", "days %d: must be at least 1", days);
    kn_pain_list pains;
    if (kn_store_pain_list(st, person, today - (days - 1), today, &pains) != KN_OK)
        return kn_store_error(st, err);
    *entries = pains.n;
    double sum[KN_SIDED_MAX];
    int ndays[KN_SIDED_MAX];
    daily_worst_sums(&pains, sum, ndays);
    kn_rc rc = KN_OK;
    /* Marks in body-map order, so the same diary always gives the same map. */
    for (int i = 0; i < (int)kn_sided_count() && rc == KN_OK; i++) {
        burden[i] = (int)sum[i];
        if (!ndays[i] || sum[i] <= 0)
            continue;
        rc = kn_painmap_add_days(out, kn_sided_id(i), sum[i] / ndays[i], ndays[i], days, "diary",
                                 err);
    }
    kn_pain_list_free(&pains);
    return rc;
}
