/* Time zones without the C library's process-wide TZ: a zone is an opened, immutable object
 * built from its TZif file (RFC 8536): the transitions of the file's table, and past its last
 * transition the POSIX TZ rule of the file's footer (RFC 8536 section 3.3, POSIX.1 section
 * 8.3). Named zones are built once and cached for the life of the process, so any thread may
 * ask for an offset at any time; nothing here reads or changes TZ. */
#include "knead/time.h"
#include "base/zone_internal.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZIF_MAX ((size_t)1 << 20)
#define ZONEINFO "/usr/share/zoneinfo"

/* One end of daylight time in a POSIX rule: Jn (1-365, no leap day), n (0-365) or Mm.w.d. */
typedef struct tz_date {
    char kind; /* 'J', 'N' or 'M' */
    int n, month, week, weekday;
    int32_t secs; /* local time of day of the change, may lie outside 0-24 h */
} tz_date;

/* A POSIX TZ rule: standard time, and daylight time between start and end when has_dst. */
typedef struct tz_rule {
    int32_t std_off, dst_off; /* seconds east of UTC */
    bool has_dst;
    tz_date start, end;
} tz_rule;

struct kn_zone {
    char *name; /* NULL: UTC */
    bool fixed; /* UTC, Z or an offset: fixed_min always */
    int32_t fixed_min;
    size_t n;       /* transitions */
    int64_t *at;    /* transition instants, ascending */
    int32_t *utoff; /* the UT offset in seconds from at[i] on */
    int32_t before; /* the offset before the first transition */
    bool has_rule;  /* from the last transition on, the footer's rule decides */
    tz_rule rule;   /* (when !has_rule the last transition's offset stays) */
    struct kn_zone *next_cached;
};

/* ---- the TZif table ---- */

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
    for (int i = 0; i < 6; i++) {
        counts[i] = (size_t)(uint32_t)be_int(p + 20 + 4 * i, 4);
        if (counts[i] > len)
            return false;
    }
    return true;
}

static size_t tzif_data_len(const size_t c[6], size_t time_width)
{
    return c[3] * time_width + c[3] + c[4] * 6 + c[5] + c[2] * (time_width + 4) + c[1] + c[0];
}

/* ---- the POSIX TZ rule of the footer ---- */

/* A zone abbreviation: three or more letters, or <...> quoted. */
static bool rule_name(const char **p)
{
    const char *s = *p;
    if (*s == '<') {
        while (*s && *s != '>')
            s++;
        if (*s != '>')
            return false;
        *p = s + 1;
        return true;
    }
    while (isalpha((unsigned char)*s))
        s++;
    if (s - *p < 3)
        return false;
    *p = s;
    return true;
}

/* [+-]hh[:mm[:ss]] with hours up to max_hours, as seconds. */
static bool rule_time(const char **p, int max_hours, int32_t *out)
{
    const char *s = *p;
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    int part[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (i > 0 && *s != ':')
            break;
        if (i > 0)
            s++;
        if (!isdigit((unsigned char)*s))
            return false;
        int v = 0;
        while (isdigit((unsigned char)*s) && v <= 1000)
            v = v * 10 + (*s++ - '0');
        part[i] = v;
    }
    if (part[0] > max_hours || part[1] > 59 || part[2] > 59)
        return false;
    *out = (int32_t)(sign * (part[0] * 3600 + part[1] * 60 + part[2]));
    *p = s;
    return true;
}

static bool rule_number(const char **p, int lo, int hi, int *out)
{
    if (!isdigit((unsigned char)**p))
        return false;
    int v = 0;
    while (isdigit((unsigned char)**p) && v <= hi)
        v = v * 10 + (*(*p)++ - '0');
    *out = v;
    return v >= lo && v <= hi;
}

static bool rule_date(const char **p, tz_date *d)
{
    const char *s = *p;
    bool ok;
    if (*s == 'J') {
        s++;
        d->kind = 'J';
        ok = rule_number(&s, 1, 365, &d->n);
    } else if (*s == 'M') {
        s++;
        d->kind = 'M';
        ok = rule_number(&s, 1, 12, &d->month) && *s++ == '.' && rule_number(&s, 1, 5, &d->week) &&
             *s++ == '.' && rule_number(&s, 0, 6, &d->weekday);
    } else {
        d->kind = 'N';
        ok = rule_number(&s, 0, 365, &d->n);
    }
    d->secs = 2 * 3600;
    if (ok && *s == '/') {
        s++;
        ok = rule_time(&s, 167, &d->secs);
    }
    *p = s;
    return ok;
}

/* Parses a footer such as "CET-1CEST,M3.5.0,M10.5.0/3"; false when it is not one. */
static bool rule_parse(const char *s, tz_rule *r)
{
    int32_t west;
    memset(r, 0, sizeof *r);
    if (!rule_name(&s) || !rule_time(&s, 24, &west))
        return false;
    r->std_off = -west;
    if (!*s)
        return true;
    if (!rule_name(&s))
        return false;
    r->has_dst = true;
    r->dst_off = r->std_off + 3600;
    if (*s && *s != ',') {
        if (!rule_time(&s, 24, &west))
            return false;
        r->dst_off = -west;
    }
    if (!*s) { /* no dates given: the US rules, as the C library assumes */
        r->start = (tz_date){.kind = 'M', .month = 3, .week = 2, .weekday = 0, .secs = 7200};
        r->end = (tz_date){.kind = 'M', .month = 11, .week = 1, .weekday = 0, .secs = 7200};
        return true;
    }
    return *s++ == ',' && rule_date(&s, &r->start) && *s++ == ',' && rule_date(&s, &r->end) && !*s;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* The day of year y on which the change d happens. */
static kn_day rule_day(const tz_date *d, int y)
{
    kn_day jan1 = kn_day_from_civil(y, 1, 1);
    if (d->kind == 'J')
        return jan1 + d->n - 1 + (is_leap(y) && d->n >= 60);
    if (d->kind == 'N')
        return jan1 + d->n;
    kn_day first = kn_day_from_civil(y, d->month, 1);
    int weekday_of_first = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    kn_day day = first + (d->weekday - weekday_of_first + 7) % 7 + (d->week - 1) * 7;
    while (day >= first + month_days(y, d->month)) /* week 5: the last such day */
        day -= 7;
    return day;
}

static int32_t rule_offset(const tz_rule *r, int64_t utc)
{
    if (!r->has_dst)
        return r->std_off;
    int64_t local = utc + r->std_off;
    int y, m, d;
    kn_day_to_civil((kn_day)(local >= 0 ? local / 86400 : -((-local + 86399) / 86400)), &y, &m, &d);
    int64_t start = (int64_t)rule_day(&r->start, y) * 86400 + r->start.secs - r->std_off;
    int64_t end = (int64_t)rule_day(&r->end, y) * 86400 + r->end.secs - r->dst_off;
    bool dst = start < end ? utc >= start && utc < end : !(utc >= end && utc < start);
    return dst ? r->dst_off : r->std_off;
}

/* Reads the TZif data in buf into z: false when it is not TZif data this reader can use (leap
 * seconds, the "right/" zones, count a different second and are refused). */
static bool tzif_parse(const unsigned char *buf, size_t len, kn_zone *z)
{
    size_t c[6];
    if (!tzif_header(buf, len, c))
        return false;
    const unsigned char *p = buf;
    size_t width = 4, data = tzif_data_len(c, 4);
    bool v2 = buf[4] >= '2';
    if (v2) { /* skip the 32-bit data to the 64-bit header and data */
        if (44 + data > len || !tzif_header(buf + 44 + data, len - 44 - data, c))
            return false;
        p = buf + 44 + data;
        width = 8;
        data = tzif_data_len(c, 8);
    }
    size_t end = (size_t)(p - buf) + 44 + data;
    if (end > len || c[2] != 0 || c[4] == 0)
        return false;
    const unsigned char *times = p + 44, *idx = times + c[3] * width, *types = idx + c[3];
    z->at = malloc((c[3] ? c[3] : 1) * sizeof *z->at);
    z->utoff = malloc((c[3] ? c[3] : 1) * sizeof *z->utoff);
    if (!z->at || !z->utoff)
        return false;
    for (size_t i = 0; i < c[3]; i++) {
        z->at[i] = be_int(times + i * width, (int)width);
        if (idx[i] >= c[4] || (i && z->at[i] <= z->at[i - 1]))
            return false;
        z->utoff[i] = (int32_t)be_int(types + idx[i] * 6, 4);
    }
    z->n = c[3];
    /* before the first transition: the first standard-time type, as the C library does */
    size_t first_std = 0;
    while (first_std < c[4] && types[first_std * 6 + 4])
        first_std++;
    z->before = (int32_t)be_int(types + (first_std < c[4] ? first_std : 0) * 6, 4);
    /* the footer: "\n" rule "\n"; an empty rule leaves the last offset in force */
    if (v2 && end < len && buf[end] == '\n') {
        const unsigned char *nl = memchr(buf + end + 1, '\n', len - end - 1);
        size_t rule_len = nl ? (size_t)(nl - (buf + end + 1)) : 0;
        char rule[128];
        if (nl && rule_len > 0 && rule_len < sizeof rule) {
            memcpy(rule, buf + end + 1, rule_len);
            rule[rule_len] = '\0';
            z->has_rule = rule_parse(rule, &z->rule);
            if (!z->has_rule)
                return false;
        }
    }
    return z->n > 0 || z->has_rule;
}

/* Builds the zone from its TZif file, where the C library looks for it. */
static kn_rc load_tzif(kn_zone *z, const char *field, kn_err *err)
{
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = ZONEINFO;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, z->name);
    kn_rc rc = KN_OK;
    FILE *f = fopen(path, "rb");
    unsigned char *buf = malloc(TZIF_MAX);
    if (!buf) {
        rc = kn_err_set(err, KN_ENOMEM, "out of memory");
        goto close_file;
    }
    size_t len = f ? fread(buf, 1, TZIF_MAX, f) : 0;
    if (!f || len == TZIF_MAX || !tzif_parse(buf, len, z))
        rc = kn_err_field(err, KN_EINVAL, field,
                          "%s %s: unknown time zone (use an IANA name such as Europe/Berlin, "
                          "UTC, or an offset such as +01:00)",
                          field, z->name);
    free(buf);
close_file:
    if (f)
        fclose(f);
    return rc;
}

/* ---- names, offsets ---- */

/* Parses Z, +HH:MM, +HHMM or +HH; false when s is not an offset. */
bool kn_offset_parse(const char *s, int32_t *offset_min)
{
    if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
        *offset_min = 0;
        return true;
    }
    if (s[0] != '+' && s[0] != '-')
        return false;
    int sign = s[0] == '-' ? -1 : 1;
    const char *p = s + 1;
    int hh = 0, mm = 0;
    for (int i = 0; i < 2; i++) {
        if (!isdigit((unsigned char)*p))
            return false;
        hh = hh * 10 + (*p++ - '0');
    }
    if (*p == ':')
        p++;
    if (*p) {
        for (int i = 0; i < 2; i++) {
            if (!isdigit((unsigned char)*p))
                return false;
            mm = mm * 10 + (*p++ - '0');
        }
    }
    if (*p || hh > 14 || mm > 59 || (hh == 14 && mm > 0))
        return false;
    *offset_min = (int32_t)(sign * (hh * 60 + mm));
    return true;
}

static bool is_fixed_zone(const char *zone, int32_t *offset_min)
{
    if (strcmp(zone, "UTC") == 0 || strcmp(zone, "Z") == 0) {
        *offset_min = 0;
        return true;
    }
    return kn_offset_parse(zone, offset_min);
}

/* An IANA name: letters, digits, '/', '_', '-', '+', no "..", short. */
static bool iana_shaped(const char *zone)
{
    size_t len = strlen(zone);
    bool ok = len < KN_ZONE_MAX && isalpha((unsigned char)zone[0]) && !strstr(zone, "..");
    for (size_t i = 0; ok && i < len; i++) {
        unsigned char c = (unsigned char)zone[i];
        ok = isalnum(c) || c == '/' || c == '_' || c == '-' || c == '+';
    }
    return ok;
}

static kn_rc zone_build(const char *zone, const char *field, kn_zone **out, kn_err *err)
{
    *out = NULL;
    if (zone && !*zone)
        return kn_err_set(err, KN_EINVAL, "%s: must not be empty", field);
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
    if (zone[0] == '+' || zone[0] == '-') {
        rc = kn_err_field(err, KN_EINVAL, field,
                          "%s %s: offset must be +HH:MM between -14:00 and +14:00", field, zone);
        goto done;
    }
    if (!iana_shaped(zone)) {
        rc = kn_err_field(err, KN_EINVAL, field,
                          "%s %s: unknown time zone (use an IANA name such as Europe/Berlin, "
                          "UTC, or an offset such as +01:00)",
                          field, zone);
        goto done;
    }
    if (!(z->name = strdup(zone)))
        rc = kn_err_set(err, KN_ENOMEM, "out of memory");
    else
        rc = load_tzif(z, field, err);
done:
    if (rc != KN_OK) {
        kn_zone_close(z);
        return rc;
    }
    *out = z;
    return KN_OK;
}

kn_rc kn_zone_open(const char *zone, kn_zone **out, kn_err *err)
{
    return zone_build(zone, "zone", out, err);
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
    (void)err;
    if (z->fixed || !z->name) {
        *offset_min = z->fixed ? z->fixed_min : 0;
        return KN_OK;
    }
    int32_t secs;
    if (z->n == 0 || utc < z->at[0]) {
        secs = z->n == 0 && z->has_rule ? rule_offset(&z->rule, utc) : z->before;
    } else if (utc >= z->at[z->n - 1]) {
        secs = z->has_rule ? rule_offset(&z->rule, utc) : z->utoff[z->n - 1];
    } else {
        size_t lo = 0, hi = z->n - 1; /* at[lo] <= utc < at[hi] */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (z->at[mid] <= utc)
                lo = mid;
            else
                hi = mid;
        }
        secs = z->utoff[lo];
    }
    /* as the C library's tm_gmtoff / 60: towards zero */
    *offset_min = (int32_t)(secs / 60);
    return KN_OK;
}

/* ---- the cache of named zones: built once, immutable, kept for the life of the process ---- */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static kn_zone *cache;

/* The cached zone of name, built on first use; NULL with err set when it is not a zone. */
static const kn_zone *cached(const char *name, const char *field, kn_err *err)
{
    pthread_mutex_lock(&cache_lock);
    kn_zone *z = cache;
    while (z && strcmp(z->name, name) != 0)
        z = z->next_cached;
    if (!z && zone_build(name, field, &z, err) == KN_OK) {
        z->next_cached = cache;
        cache = z;
    }
    pthread_mutex_unlock(&cache_lock);
    return z;
}

kn_rc kn_zone_validate(const char *zone, const char *field, kn_err *err)
{
    int32_t off;
    if (!zone || !*zone)
        return kn_err_set(err, KN_EINVAL, "%s: must not be empty", field);
    if (is_fixed_zone(zone, &off))
        return KN_OK;
    if (zone[0] == '+' || zone[0] == '-' || !iana_shaped(zone)) {
        kn_zone *never;
        return zone_build(zone, field, &never, err); /* refused: says why */
    }
    kn_err local = {0};
    kn_err *e = err ? err : &local;
    return cached(zone, field, e) ? KN_OK : e->code;
}

kn_rc kn_zone_offset_at(const char *zone, int64_t utc, int32_t *offset_min, kn_err *err)
{
    if (!zone) {
        *offset_min = 0;
        return KN_OK;
    }
    if (is_fixed_zone(zone, offset_min))
        return KN_OK;
    kn_err local = {0};
    kn_err *e = err ? err : &local;
    const kn_zone *z = cached(zone, "zone", e);
    return z ? kn_zone_offset(z, utc, offset_min, err) : e->code;
}
