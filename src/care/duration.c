/* How long each painful region of a person is known to have hurt, from the diary and the
 * intake's pain_since: what condition --match needs to tell an acute guide from a pain that
 * has lasted for months. Lower bounds only, so that nothing looks older than it is. */
#include "knead/care.h"
#include "knead/insight.h"

kn_rc kn_care_pain_durations(kn_store *st, int64_t person, kn_day today, int duration[KN_SIDED_MAX],
                             kn_err *err)
{
    for (int k = 0; k < KN_SIDED_MAX; k++)
        duration[k] = -1;
    kn_insights ins;
    kn_rc rc = kn_insights_load(st, person, KN_DAY_ANY, today, &ins, err);
    for (size_t i = 0; rc == KN_OK && i < ins.nchronic; i++) {
        const kn_chronic_region *c = &ins.chronic[i];
        int k = kn_sided_find(c->region);
        if (k < 0)
            continue;
        int days = c->entry_days ? c->span_days : -1;
        /* the intake's onset counts to today: the regions matched are hurting now */
        if (c->onset != KN_DAY_ANY && today - c->onset > days)
            days = today - c->onset;
        duration[k] = days;
    }
    kn_insights_free(&ins);
    return rc;
}
