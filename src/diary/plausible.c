/* Plausible dates: a diary record dated before the person was born, or more than a day
 * ahead of the clock, is a typing slip (a wrong year, a swapped day and month), never a
 * record; refusing it keeps such dates out of every statistic. */
#include <stdio.h>
#include <time.h>

#include "knead/diary.h"

/* A day of slack ahead of the clock (KN_FUTURE_SLACK_S): a device whose clock runs a little
 * fast, or a zone east of the one the clock was read in, still records today. */

/* The text of a date is written only for a message: an import checks every row. */
kn_rc kn_plausible_day(kn_day day, int born, const char *field, kn_err *err)
{
    char date[KN_DATE_LEN];
    int year, month, mday;
    kn_day_to_civil(day, &year, &month, &mday);
    if (born != KN_NONE && year < born) {
        kn_date_format(day, date);
        return kn_err_field(err, KN_EINVAL, field, "%s %s: before the person's birth year (%d)",
                            field, date, born);
    }
    kn_day latest = (kn_day)(((int64_t)time(NULL) + KN_FUTURE_SLACK_S) / 86400);
    if (day > latest) {
        kn_date_format(day, date);
        return kn_err_field(err, KN_EINVAL, field, "%s %s: more than a day in the future", field,
                            date);
    }
    return KN_OK;
}

kn_rc kn_plausible_instant(kn_instant at, int born, const char *field, kn_err *err)
{
    char when[KN_INSTANT_LEN];
    int year, month, mday;
    kn_day_to_civil(kn_instant_day(at), &year, &month, &mday);
    if (born != KN_NONE && year < born) {
        kn_instant_format(at, when);
        return kn_err_field(err, KN_EINVAL, field, "%s %s: before the person's birth year (%d)",
                            field, when, born);
    }
    if (at.utc > (int64_t)time(NULL) + KN_FUTURE_SLACK_S) {
        kn_instant_format(at, when);
        return kn_err_field(err, KN_EINVAL, field, "%s %s: more than a day in the future", field,
                            when);
    }
    return KN_OK;
}
