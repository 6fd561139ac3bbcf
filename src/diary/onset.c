/* When a pain began, as a person tells it at intake: an onset date (YYYY-MM-DD, YYYY-MM,
 * "since YYYY") or how long it has lasted ("3 weeks", "8 months", "2 years"). An answer that
 * is not a full date is approximate, and gives the latest day it allows, so that an
 * approximate answer never makes a pain look older than it is. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knead/diary.h"

#define ONSET_TEXT_MAX 40
#define ONSET_YEARS_MAX 120

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* today minus n months, the day of the month kept where the month has it */
static kn_day months_before(kn_day today, long n)
{
    int y, m, d;
    kn_day_to_civil(today, &y, &m, &d);
    long total = (long)y * 12 + (m - 1) - n;
    y = (int)(total / 12);
    m = (int)(total % 12) + 1;
    if (d > month_days(y, m))
        d = month_days(y, m);
    return kn_day_from_civil(y, m, d);
}

/* digits only, exactly n of them */
static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return s[n] == '\0';
}

/* "N unit [ago]": the onset day, or KN_EINVAL */
static kn_rc duration_of(const char *s, kn_day today, kn_day *out)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (end == s || errno == ERANGE || n < 1 || !isspace((unsigned char)*end))
        return KN_EINVAL;
    while (isspace((unsigned char)*end))
        end++;
    char unit[16];
    size_t len = 0;
    while (isalpha((unsigned char)end[len]) && len < sizeof unit - 1) {
        unit[len] = (char)tolower((unsigned char)end[len]);
        len++;
    }
    unit[len] = 0;
    const char *rest = end + len;
    while (isspace((unsigned char)*rest))
        rest++;
    if (strncmp(rest, "ago", 3) == 0)
        rest += 3;
    if (*rest)
        return KN_EINVAL;
    if (len > 1 && unit[len - 1] == 's')
        unit[--len] = 0;
    long days;
    if (strcmp(unit, "day") == 0)
        days = n;
    else if (strcmp(unit, "week") == 0)
        days = n * 7;
    else if (strcmp(unit, "month") == 0 && n <= ONSET_YEARS_MAX * 12)
        return *out = months_before(today, n), KN_OK;
    else if (strcmp(unit, "year") == 0 && n <= ONSET_YEARS_MAX)
        return *out = months_before(today, n * 12), KN_OK;
    else
        return KN_EINVAL;
    if (days > ONSET_YEARS_MAX * 366L)
        return KN_EINVAL;
    *out = today - (kn_day)days;
    return KN_OK;
}

kn_rc kn_parse_onset(const char *s, kn_day today, const char *field, kn_onset *out, kn_err *err)
{
    char text[ONSET_TEXT_MAX + 1];
    const char *p = s ? s : "";
    while (isspace((unsigned char)*p))
        p++;
    size_t len = strlen(p);
    while (len && isspace((unsigned char)p[len - 1]))
        len--;
    if (!len)
        return kn_err_field(err, KN_EINVAL, field, "%s: when the pain began is required", field);
    if (len > ONSET_TEXT_MAX)
        return kn_err_field(err, KN_EINVAL, field, "%s: longer than %d characters", field,
                            ONSET_TEXT_MAX);
    memcpy(text, p, len);
    text[len] = 0;
    const char *t = text;
    bool since = false;
    if (strncmp(t, "since", 5) == 0 && isspace((unsigned char)t[5])) {
        since = true;
        t += 5;
        while (isspace((unsigned char)*t))
            t++;
    }
    kn_onset o = {.day = 0, .exact = false};
    kn_rc rc = KN_EINVAL;
    int y = 0, m = 0;
    if (strlen(t) == 10 && t[4] == '-' && t[7] == '-') {
        kn_err derr = {0};
        if ((rc = kn_date_parse(t, field, &o.day, &derr)) == KN_OK)
            o.exact = true;
    } else if (strlen(t) == 7 && t[4] == '-' && isdigit((unsigned char)t[5]) &&
               isdigit((unsigned char)t[6])) {
        char year[5] = {t[0], t[1], t[2], t[3], 0};
        m = (t[5] - '0') * 10 + (t[6] - '0');
        if (digits(year, 4) && m >= 1 && m <= 12) {
            y = atoi(year);
            o.day = kn_day_from_civil(y, m, month_days(y, m)); /* the latest day of it */
            rc = KN_OK;
        }
    } else if (digits(t, 4)) {
        y = atoi(t);
        o.day = kn_day_from_civil(y, 12, 31);
        rc = KN_OK;
    } else if (!since) {
        rc = duration_of(t, today, &o.day);
    }
    if (rc != KN_OK)
        return kn_err_field(err, KN_EINVAL, field,
                            "%s '%s': not a date (YYYY-MM-DD, YYYY-MM, since YYYY) or a duration "
                            "(3 weeks, 8 months, 2 years)",
                            field, text);
    if (o.day < kn_day_from_civil(1900, 1, 1))
        return kn_err_field(err, KN_EINVAL, field, "%s '%s': before 1900", field, text);
    if (!o.exact && o.day > today)
        o.day = today; /* "since 2026" in 2026: this year, so at the latest today */
    if (o.day > today)
        return kn_err_field(err, KN_EINVAL, field, "%s '%s': in the future", field, text);
    /* a month or year that has not begun yet */
    if (y && kn_day_from_civil(y, m ? m : 1, 1) > today)
        return kn_err_field(err, KN_EINVAL, field, "%s '%s': in the future", field, text);
    *out = o;
    return KN_OK;
}
