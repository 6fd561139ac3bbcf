/* Dates, instants and zones. The local day of a record is the civil date in the UTC offset
 * in force where it was recorded; IANA zones are resolved through the system tz database. */
#include "knead/time.h"

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
        return kn_err_set(err, KN_EINVAL, "%s %s: year must be 1900-2999", field, s);
    if (m < 1 || m > 12)
        return kn_err_set(err, KN_EINVAL, "%s %s: month must be 01-12", field, s);
    if (d < 1 || d > days_in_month(y, m))
        return kn_err_set(err, KN_EINVAL, "%s %s: no such day in that month", field, s);
    return KN_OK;
}

kn_rc kn_date_parse(const char *s, const char *field, kn_day *out, kn_err *err)
{
    int y, m, d;
    const char *p = s;
    if (!parse_ymd(&p, &y, &m, &d) || *p != '\0')
        return kn_err_set(err, KN_EINVAL, "%s '%s': not a date (want YYYY-MM-DD)", field, s);
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

/* Parses Z, +HH:MM, +HHMM or +HH; returns 0 when s is not an offset. */
static int parse_offset(const char *s, int32_t *offset_min)
{
    if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
        *offset_min = 0;
        return 1;
    }
    if (s[0] != '+' && s[0] != '-')
        return 0;
    int sign = s[0] == '-' ? -1 : 1;
    const char *p = s + 1;
    int hh, mm = 0;
    if (!read_digits(&p, 2, &hh))
        return 0;
    if (*p == ':')
        p++;
    if (*p && !read_digits(&p, 2, &mm))
        return 0;
    if (*p || hh > 14 || mm > 59 || (hh == 14 && mm > 0))
        return 0;
    *offset_min = (int32_t)(sign * (hh * 60 + mm));
    return 1;
}

static int is_fixed_zone(const char *zone, int32_t *offset_min)
{
    if (strcmp(zone, "UTC") == 0 || strcmp(zone, "Z") == 0) {
        *offset_min = 0;
        return 1;
    }
    return parse_offset(zone, offset_min);
}

kn_rc kn_zone_validate(const char *zone, const char *field, kn_err *err)
{
    int32_t off;
    if (!zone || !*zone)
        return kn_err_set(err, KN_EINVAL, "%s: must not be empty", field);
    if (is_fixed_zone(zone, &off))
        return KN_OK;
    if (zone[0] == '+' || zone[0] == '-')
        return kn_err_set(err, KN_EINVAL, "%s %s: offset must be +HH:MM between -14:00 and +14:00",
                          field, zone);
    /* An IANA name: letters, digits, '/', '_', '-', '+', no "..", and present in the tz data. */
    size_t len = strlen(zone);
    int ok = len < KN_ZONE_MAX && isalpha((unsigned char)zone[0]) && !strstr(zone, "..");
    for (size_t i = 0; ok && i < len; i++) {
        unsigned char c = (unsigned char)zone[i];
        ok = isalnum(c) || c == '/' || c == '_' || c == '-' || c == '+';
    }
    char path[KN_ZONE_MAX + 32];
    FILE *f = NULL;
    if (ok) {
        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
        f = fopen(path, "rb");
    }
    char magic[4] = {0};
    int is_tzif = f && fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
    if (f)
        fclose(f);
    if (!is_tzif)
        return kn_err_set(err, KN_EINVAL,
                          "%s %s: unknown time zone (use an IANA name such as Europe/Berlin, "
                          "UTC, or an offset such as +01:00)",
                          field, zone);
    return KN_OK;
}

/* Runs the C library's zone conversion under TZ=zone, restoring the caller's TZ after. */
typedef struct tz_swap {
    char *saved;
    int had;
} tz_swap;

static void tz_enter(tz_swap *sw, const char *zone)
{
    const char *old = getenv("TZ");
    sw->had = old != NULL;
    sw->saved = old ? strdup(old) : NULL;
    setenv("TZ", zone, 1);
    tzset();
}

static void tz_leave(tz_swap *sw)
{
    if (sw->had && sw->saved)
        setenv("TZ", sw->saved, 1);
    else
        unsetenv("TZ");
    free(sw->saved);
    tzset();
}

kn_rc kn_zone_offset_at(const char *zone, int64_t utc, int32_t *offset_min, kn_err *err)
{
    if (!zone) {
        *offset_min = 0;
        return KN_OK;
    }
    if (is_fixed_zone(zone, offset_min))
        return KN_OK;
    kn_rc rc = kn_zone_validate(zone, "zone", err);
    if (rc != KN_OK)
        return rc;
    tz_swap sw;
    tz_enter(&sw, zone);
    time_t t = (time_t)utc;
    struct tm tm;
    if (!localtime_r(&t, &tm)) {
        tz_leave(&sw);
        return kn_err_set(err, KN_EINVAL, "zone %s: cannot convert time", zone);
    }
    *offset_min = (int32_t)(tm.tm_gmtoff / 60);
    tz_leave(&sw);
    return KN_OK;
}

/* ---- zones opened once for many conversions ----
 * kn_zone_offset_at runs the C library under TZ=zone, and changing TZ makes the C library read
 * the zone's file again, twice a call: a local time costs four reads of the tz database, which
 * made a million-row import of local times take most of a minute. An opened IANA zone holds the
 * transitions of its TZif file (RFC 8536) and looks an instant up among them the way the C
 * library does (the type of the last transition at or before it). Instants before the first
 * transition or from the last one on (where the C library applies the file's rule string), and
 * files it cannot read, still go to kn_zone_offset_at, so the answers are the same. */

#define TZIF_MAX ((size_t)1 << 20)

struct kn_zone {
    char *name; /* NULL: UTC */
    bool fixed; /* UTC, Z or an offset: fixed_min always */
    int32_t fixed_min;
    size_t n;       /* transitions (0: every instant goes to kn_zone_offset_at) */
    int64_t *at;    /* transition instants, ascending */
    int32_t *utoff; /* the UT offset in seconds from at[i] on */
};

static int64_t be_int(const unsigned char *p, int width)
{
    uint64_t v = 0;
    for (int i = 0; i < width; i++)
        v = v << 8 | p[i];
    /* sign-extend the width-byte two's complement value */
    if (width < 8 && (v >> (8 * width - 1)) & 1)
        v |= ~(uint64_t)0 << (8 * width);
    return (int64_t)v;
}

/* The counts of a TZif header: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt. */
static bool tzif_header(const unsigned char *p, size_t len, size_t counts[6])
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return false;
    for (int i = 0; i < 6; i++)
        counts[i] = (size_t)(uint32_t)be_int(p + 20 + 4 * i, 4);
    return true;
}

static size_t tzif_data_len(const size_t c[6], size_t time_width)
{
    return c[3] * time_width + c[3] + c[4] * 6 + c[5] + c[2] * (time_width + 4) + c[1] + c[0];
}

/* Reads the transitions of the TZif data in buf into z; false when it has none we can use. */
static bool tzif_parse(const unsigned char *buf, size_t len, kn_zone *z)
{
    size_t c[6];
    if (!tzif_header(buf, len, c) || c[3] > len || c[4] > len || c[5] > len || c[2] > len ||
        c[1] > len || c[0] > len)
        return false;
    const unsigned char *p = buf;
    size_t width = 4;
    size_t data = tzif_data_len(c, 4);
    if (buf[4] >= '2') { /* skip the 32-bit data to the 64-bit header and data */
        if (44 + data > len || !tzif_header(buf + 44 + data, len - 44 - data, c))
            return false;
        p = buf + 44 + data;
        width = 8;
        if (c[3] > len || c[4] > len || c[5] > len || c[2] > len || c[1] > len || c[0] > len)
            return false;
        data = tzif_data_len(c, 8);
    }
    /* leap seconds ("right/" zones) are the C library's business */
    if ((size_t)(p - buf) + 44 + data > len || c[2] != 0 || c[3] < 2 || c[4] == 0)
        return false;
    const unsigned char *times = p + 44, *idx = times + c[3] * width, *types = idx + c[3];
    z->at = malloc(c[3] * sizeof *z->at);
    z->utoff = malloc(c[3] * sizeof *z->utoff);
    if (!z->at || !z->utoff)
        return false;
    for (size_t i = 0; i < c[3]; i++) {
        z->at[i] = be_int(times + i * width, (int)width);
        if (idx[i] >= c[4] || (i && z->at[i] <= z->at[i - 1]))
            return false;
        z->utoff[i] = (int32_t)be_int(types + idx[i] * 6, 4);
    }
    z->n = c[3];
    return true;
}

/* Reads the zone's TZif file from where the C library looks for it. */
static void load_transitions(kn_zone *z)
{
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, z->name);
    FILE *f = fopen(path, "rb");
    unsigned char *buf = malloc(TZIF_MAX);
    size_t len = f && buf ? fread(buf, 1, TZIF_MAX, f) : 0;
    if (!f || !buf || len == TZIF_MAX || !tzif_parse(buf, len, z)) {
        free(z->at);
        free(z->utoff);
        z->at = NULL;
        z->utoff = NULL;
        z->n = 0;
    }
    free(buf);
    if (f)
        fclose(f);
}

kn_rc kn_zone_open(const char *zone, kn_zone **out, kn_err *err)
{
    *out = NULL;
    kn_zone *z = calloc(1, sizeof *z);
    if (!z)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    kn_rc rc = KN_OK;
    if (!zone)
        goto done;
    if (is_fixed_zone(zone, &z->fixed_min)) {
        z->fixed = true;
        goto done;
    }
    rc = kn_zone_validate(zone, "zone", err);
    if (rc == KN_OK) {
        z->name = strdup(zone);
        if (!z->name)
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
    }
    if (rc == KN_OK)
        load_transitions(z);
done:
    if (rc != KN_OK) {
        kn_zone_close(z);
        return rc;
    }
    *out = z;
    return KN_OK;
}

void kn_zone_close(kn_zone *z)
{
    if (!z)
        return;
    free(z->name);
    free(z->at);
    free(z->utoff);
    free(z);
}

kn_rc kn_zone_offset(const kn_zone *z, int64_t utc, int32_t *offset_min, kn_err *err)
{
    if (z->fixed || !z->name) {
        *offset_min = z->fixed ? z->fixed_min : 0;
        return KN_OK;
    }
    if (z->n < 2 || utc < z->at[0] || utc >= z->at[z->n - 1])
        return kn_zone_offset_at(z->name, utc, offset_min, err);
    size_t lo = 0, hi = z->n - 1; /* at[lo] <= utc < at[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->at[mid] <= utc)
            lo = mid;
        else
            hi = mid;
    }
    *offset_min = (int32_t)(z->utoff[lo] / 60); /* as tm_gmtoff / 60 */
    return KN_OK;
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
        return kn_err_set(err, KN_EINVAL, "%s %s: time of day out of range", field, s);
    int64_t local = (int64_t)kn_day_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    int32_t off;
    if (*p == '\0') {
        rc = zone_offset_for_local(z, zone, local, &off, err);
        if (rc != KN_OK)
            return rc;
    } else if (!parse_offset(p, &off)) {
        return kn_err_set(err, KN_EINVAL,
                          "%s %s: bad UTC offset '%s' (want Z or +HH:MM within +-14:00)", field, s,
                          p);
    }
    out->utc = local - (int64_t)off * 60;
    out->offset_min = off;
    return KN_OK;
malformed:
    return kn_err_set(err, KN_EINVAL,
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
