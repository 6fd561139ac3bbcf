/* Dates and instants. The local day of a record is the civil date in the UTC offset in force
 * where it was recorded; the zones that give those offsets are in zone.c. */
#include "knead/time.h"
#include "base/zone_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Days from civil, after H. Hinnant's public-domain algorithm (proleptic Gregorian). */
kn_day kn_day_from_civil(int year, int month, int day)
{
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = (month + 9) % 12;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (kn_day)(era * 146097 + doe - 719468);
}

void kn_day_to_civil(kn_day d, int *year, int *month, int *day)
{
    int z = d + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int dd = doy - (153 * mp + 2) / 5 + 1;
    int mm = mp < 10 ? mp + 3 : mp - 9;
    *year = y + (mm <= 2);
    *month = mm;
    *day = dd;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

/* Reads exactly n digits. */
static int read_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return 0;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 1;
}

static int parse_ymd(const char **p, int *y, int *m, int *d)
{
    return read_digits(p, 4, y) && *(*p)++ == '-' && read_digits(p, 2, m) && *(*p)++ == '-' &&
           read_digits(p, 2, d);
}

static kn_rc check_ymd(const char *s, const char *field, int y, int m, int d, kn_err *err)
{
    if (y < 1900 || y > 2999)
        return kn_err_field(err, KN_EINVAL, field, "%s %s: year must be 1900-2999", field, s);
    if (m < 1 || m > 12)
        return kn_err_field(err, KN_EINVAL, field, "%s %s: month must be 01-12", field, s);
    if (d < 1 || d > days_in_month(y, m))
        return kn_err_field(err, KN_EINVAL, field, "%s %s: no such day in that month", field, s);
    return KN_OK;
}

kn_rc kn_date_parse(const char *s, const char *field, kn_day *out, kn_err *err)
{
    int y, m, d;
    const char *p = s;
    if (!parse_ymd(&p, &y, &m, &d) || *p != '\0')
        return kn_err_field(err, KN_EINVAL, field, "%s '%s': not a date (want YYYY-MM-DD)", field,
                            s);
    kn_rc rc = check_ymd(s, field, y, m, d, err);
    if (rc != KN_OK)
        return rc;
    *out = kn_day_from_civil(y, m, d);
    return KN_OK;
}

/* Written digit by digit: the store formats the day of every record it writes, and snprintf
 * was a twentieth of a large import. */
void kn_date_format(kn_day d, char out[KN_DATE_LEN])
{
    int y, m, dd;
    kn_day_to_civil(d, &y, &m, &dd);
    y %= 10000;
    if (y < 0) { /* no diary reaches these; written as before */
        snprintf(out, KN_DATE_LEN, "%04d-%02d-%02d", y, m, dd);
        return;
    }
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + dd / 10);
    out[9] = (char)('0' + dd % 10);
    out[10] = '\0';
}

/* The offset at utc from an opened zone, else from the zone's name. */
static kn_rc offset_at(const kn_zone *z, const char *zone, int64_t utc, int32_t *offset_min,
                       kn_err *err)
{
    return z ? kn_zone_offset(z, utc, offset_min, err)
             : kn_zone_offset_at(zone, utc, offset_min, err);
}

/* The offset in force at a local wall-clock time: try the offset at the naive instant, then
 * correct once (enough for DST gaps and folds, where the earlier offset wins). */
static kn_rc zone_offset_for_local(const kn_zone *z, const char *zone, int64_t local_as_utc,
                                   int32_t *offset_min, kn_err *err)
{
    int32_t off1, off2;
    kn_rc rc = offset_at(z, zone, local_as_utc, &off1, err);
    if (rc != KN_OK)
        return rc;
    rc = offset_at(z, zone, local_as_utc - off1 * 60, &off2, err);
    if (rc != KN_OK)
        return rc;
    *offset_min = off2;
    return KN_OK;
}

static kn_rc parse_instant(const char *s, const kn_zone *z, const char *zone, const char *field,
                           kn_instant *out, kn_err *err)
{
    int y, mo, d, h, mi, sec = 0;
    const char *p = s;
    if (!parse_ymd(&p, &y, &mo, &d) || (*p != 'T' && *p != 't' && *p != ' '))
        goto malformed;
    p++;
    if (!read_digits(&p, 2, &h) || *p++ != ':' || !read_digits(&p, 2, &mi))
        goto malformed;
    if (*p == ':') {
        p++;
        if (!read_digits(&p, 2, &sec))
            goto malformed;
        if (*p == '.' || *p == ',') { /* fractions of a second are dropped */
            p++;
            if (!isdigit((unsigned char)*p))
                goto malformed;
            while (isdigit((unsigned char)*p))
                p++;
        }
    }
    kn_rc rc = check_ymd(s, field, y, mo, d, err);
    if (rc != KN_OK)
        return rc;
    if (h > 23 || mi > 59 || sec > 59)
        return kn_err_field(err, KN_EINVAL, field, "%s %s: time of day out of range", field, s);
    int64_t local = (int64_t)kn_day_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    int32_t off;
    if (*p == '\0') {
        rc = zone_offset_for_local(z, zone, local, &off, err);
        if (rc != KN_OK)
            return rc;
    } else if (!kn_offset_parse(p, &off)) {
        return kn_err_field(err, KN_EINVAL, field,
                            "%s %s: bad UTC offset '%s' (want Z or +HH:MM within +-14:00)", field,
                            s, p);
    }
    out->utc = local - (int64_t)off * 60;
    out->offset_min = off;
    return KN_OK;
malformed:
    return kn_err_field(err, KN_EINVAL, field,
                        "%s '%s': not a time (want ISO-8601 such as 2026-03-01T08:30+01:00)", field,
                        s);
}

kn_rc kn_instant_parse(const char *s, const char *zone, const char *field, kn_instant *out,
                       kn_err *err)
{
    return parse_instant(s, NULL, zone, field, out, err);
}

kn_rc kn_instant_parse_in(const char *s, const kn_zone *zone, const char *field, kn_instant *out,
                          kn_err *err)
{
    return parse_instant(s, zone, NULL, field, out, err);
}

void kn_instant_format(kn_instant t, char out[KN_INSTANT_LEN])
{
    int64_t local = t.utc + (int64_t)t.offset_min * 60;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t secs = local - days * 86400;
    int y, m, d;
    kn_day_to_civil((kn_day)days, &y, &m, &d);
    int off = t.offset_min < 0 ? -t.offset_min : t.offset_min;
    snprintf(out, KN_INSTANT_LEN, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y % 10000, m, d,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
             t.offset_min < 0 ? '-' : '+', off / 60 % 100, off % 60);
}

kn_day kn_instant_day(kn_instant t)
{
    int64_t local = t.utc + (int64_t)t.offset_min * 60;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    return (kn_day)days;
}

kn_rc kn_instant_now(const char *zone, kn_instant *out, kn_err *err)
{
    int64_t now = (int64_t)time(NULL);
    int32_t off;
    kn_rc rc = kn_zone_offset_at(zone, now, &off, err);
    if (rc != KN_OK)
        return rc;
    out->utc = now;
    out->offset_min = off;
    return KN_OK;
}

kn_day kn_today(const char *zone)
{
    kn_instant now;
    if (kn_instant_now(zone, &now, NULL) != KN_OK) {
        now.utc = (int64_t)time(NULL);
        now.offset_min = 0;
    }
    return kn_instant_day(now);
}
