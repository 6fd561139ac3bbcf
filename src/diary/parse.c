/* Field parsers shared by the CLI and the importers: each rejects bad text with a message
 * that starts with the field's name and the offending value. */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "base/buf.h"
#include "knead/atlas.h"
#include "knead/diary.h"
#include "diary/distance.h"

kn_rc kn_parse_int(const char *s, long lo, long hi, const char *field, int *out, kn_err *err)
{
    long v;
    bool range = false;
    if (isdigit((unsigned char)s[0]) && (!s[1] || (isdigit((unsigned char)s[1]) && !s[2]))) {
        /* the common cell, one or two digits and nothing else: what strtol would say */
        v = s[1] ? (s[0] - '0') * 10 + (s[1] - '0') : s[0] - '0';
    } else {
        const char *p = s;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            return kn_err_set(err, KN_EINVAL, "%s: a number is required", field);
        char *end = NULL;
        errno = 0;
        v = strtol(p, &end, 10);
        while (end && isspace((unsigned char)*end))
            end++;
        if (end == p || *end != '\0')
            return kn_err_field(err, KN_EINVAL, field, "%s '%s': not a whole number", field, s);
        range = errno == ERANGE;
    }
    if (range || v < lo || v > hi)
        return kn_err_field(err, KN_EINVAL, field, "%s %s: must be %ld-%ld", field, s, lo, hi);
    *out = (int)v;
    return KN_OK;
}

kn_rc kn_parse_id(const char *s, const char *field, int64_t *out, kn_err *err)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || end == s || *end != '\0' || errno == ERANGE || v < 1)
        return kn_err_field(err, KN_EINVAL, field, "%s '%s': not an id (a positive whole number)",
                            field, s);
    *out = (int64_t)v;
    return KN_OK;
}

kn_rc kn_parse_tenths(const char *s, double lo, double hi, const char *field, double *out,
                      kn_err *err)
{
    /* digits, optionally '.' and one digit: one decimal is the resolution we store */
    const char *p = s;
    long whole = 0;
    int tenths = 0, digits = 0;
    while (isdigit((unsigned char)*p) && digits < 6) {
        whole = whole * 10 + (*p++ - '0');
        digits++;
    }
    if (!digits)
        goto malformed;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            goto malformed;
        tenths = *p++ - '0';
        if (isdigit((unsigned char)*p))
            return kn_err_field(err, KN_EINVAL, field, "%s %s: at most one decimal (e.g. 7.5)",
                                field, s);
    }
    if (*p)
        goto malformed;
    double v = (double)whole + tenths / 10.0;
    if (v < lo || v > hi)
        return kn_err_field(err, KN_EINVAL, field, "%s %s: must be %g-%g", field, s, lo, hi);
    *out = round(v * 10.0) / 10.0;
    return KN_OK;
malformed:
    return kn_err_field(err, KN_EINVAL, field, "%s '%s': not a number (e.g. 7.5)", field, s);
}

static int valid_utf8_text(const char *s, int allow_newlines)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x20 && !(allow_newlines && (*p == '\n' || *p == '\r' || *p == '\t')))
            return 0;
        if (*p < 0x80) {
            p++;
            continue;
        }
        int n = (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0 || (*p == 0xC0 || *p == 0xC1))
            return 0;
        for (int i = 1; i <= n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        p += n + 1;
    }
    return 1;
}

kn_rc kn_parse_text(const char *s, size_t max, const char *field, char **out, kn_err *err)
{
    size_t len = strlen(s);
    if (len > max)
        return kn_err_field(err, KN_EINVAL, field, "%s: too long (%zu bytes, at most %zu)", field,
                            len, max);
    if (!valid_utf8_text(s, 1))
        return kn_err_set(err, KN_EINVAL, "%s: not valid UTF-8 text", field);
    char *copy = kn_strdup(s);
    if (!copy)
        return kn_err_set(err, KN_ENOMEM, "%s: out of memory", field);
    *out = copy;
    return KN_OK;
}

kn_rc kn_parse_word(const char *s, const char *field, char **out, kn_err *err)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (!len)
        return kn_err_set(err, KN_EINVAL, "%s: must not be empty", field);
    if (len > KN_WORD_MAX)
        return kn_err_field(err, KN_EINVAL, field, "%s: too long (at most %d bytes)", field,
                            KN_WORD_MAX);
    char word[KN_WORD_MAX + 1];
    memcpy(word, s, len);
    word[len] = '\0';
    if (!valid_utf8_text(word, 0))
        return kn_err_set(err, KN_EINVAL, "%s: not valid UTF-8 text", field);
    /* ';' separates list items in CSV cells and ':' separates a dose: neither fits in a word */
    if (strpbrk(word, ";"))
        return kn_err_field(err, KN_EINVAL, field, "%s '%s': must not contain ';'", field, word);
    char *copy = kn_strdup(word);
    if (!copy)
        return kn_err_set(err, KN_ENOMEM, "%s: out of memory", field);
    *out = copy;
    return KN_OK;
}

/* One habit is one factor in insights: "Long  Drive" and "long drive" are the same tag. */
static void normalise_word(char *w)
{
    char *o = w;
    for (const char *p = w; *p; p++) {
        if (isspace((unsigned char)*p)) {
            if (o > w && o[-1] != ' ')
                *o++ = ' ';
            continue;
        }
        *o++ = (char)tolower((unsigned char)*p);
    }
    while (o > w && o[-1] == ' ')
        o--;
    *o = '\0';
}

kn_rc kn_parse_tag(const char *s, const char *field, char **out, kn_err *err)
{
    kn_rc rc = kn_parse_word(s, field, out, err);
    if (rc == KN_OK)
        normalise_word(*out);
    return rc;
}

size_t kn_diary_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

kn_rc kn_parse_region(const char *s, const char *field, char out[KN_REGION_MAX], kn_err *err)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    char id[KN_REGION_MAX];
    if (len >= sizeof id)
        return kn_err_field(err, KN_EINVAL, field, "%s %.40s...: unknown region", field, s);
    for (size_t i = 0; i < len; i++)
        id[i] = (char)tolower((unsigned char)s[i]);
    id[len] = '\0';
    const kn_region *r;
    char side;
    kn_rc rc = kn_region_parse(id, field, &r, &side, err);
    if (rc == KN_OK) {
        memcpy(out, id, len + 1);
        return KN_OK;
    }
    if (!err || !strstr(err->msg, "unknown region"))
        return rc;
    /* the closest sided ids, so a typo needs no trip to 'knead regions' */
    char best[3][KN_REGION_MAX] = {{0}};
    size_t dist[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
    for (size_t i = 0; i < kn_region_count(); i++) {
        const kn_region *g = kn_region_at(i);
        for (int k = 0; k < (g->paired ? 2 : 1); k++) {
            char cand[KN_REGION_MAX];
            snprintf(cand, sizeof cand, g->paired ? "%s_%c" : "%s", g->id, k ? 'r' : 'l');
            size_t d = kn_diary_edit_distance(id, cand);
            for (int j = 0; j < 3; j++) {
                if (d < dist[j]) {
                    for (int m = 2; m > j; m--) {
                        dist[m] = dist[m - 1];
                        memcpy(best[m], best[m - 1], KN_REGION_MAX);
                    }
                    dist[j] = d;
                    snprintf(best[j], KN_REGION_MAX, "%s", cand);
                    break;
                }
            }
        }
    }
    return kn_err_field(err, KN_EINVAL, field, "%s %s: unknown region; did you mean %s, %s or %s?",
                        field, id, best[0], best[1], best[2]);
}

kn_rc kn_parse_routine(const char *s, const char *field, kn_routine *out, kn_err *err)
{
    if (strcmp(s, "normal") == 0)
        *out = KN_ROUTINE_NORMAL;
    else if (strcmp(s, "disrupted") == 0)
        *out = KN_ROUTINE_DISRUPTED;
    else
        return kn_err_field(err, KN_EINVAL, field, "%s '%s': must be normal or disrupted", field,
                            s);
    return KN_OK;
}

kn_rc kn_parse_treatment(const char *s, const char *field, kn_treatment *out, kn_err *err)
{
    out->name = out->dose = NULL;
    const char *colon = strchr(s, ':');
    size_t nlen = colon ? (size_t)(colon - s) : strlen(s);
    if (nlen > KN_WORD_MAX)
        return kn_err_set(err, KN_EINVAL, "%s: treatment name too long", field);
    char name[KN_WORD_MAX + 1];
    memcpy(name, s, nlen);
    name[nlen] = '\0';
    kn_rc rc = kn_parse_word(name, field, &out->name, err);
    if (rc != KN_OK)
        return rc;
    normalise_word(out->name);
    /* "Ibuprofen 400mg", "Ibuprofen 400 mg": from the first word after the name that starts
     * with a digit, the rest is the dose */
    char *space = strchr(out->name, ' ');
    while (space && !isdigit((unsigned char)space[1]))
        space = strchr(space + 1, ' ');
    if (!colon && space) {
        rc = kn_parse_word(space + 1, field, &out->dose, err);
        if (rc != KN_OK)
            goto fail;
        *space = '\0';
        return KN_OK;
    }
    if (colon) {
        if (strchr(colon + 1, ':')) {
            rc = kn_err_field(err, KN_EINVAL, field, "%s '%s': want NAME[:DOSE]", field, s);
            goto fail;
        }
        rc = kn_parse_word(colon + 1, field, &out->dose, err);
        if (rc != KN_OK) {
            kn_err_set(err, rc, "%s '%s': dose after ':' must not be empty", field, s);
            goto fail;
        }
    }
    return KN_OK;
fail:
    free(out->name);
    out->name = NULL;
    return rc;
}

kn_rc kn_parse_work(const char *s, const char *field, kn_work *out, kn_err *err)
{
    char copy[128];
    if (strlen(s) >= sizeof copy)
        return kn_err_set(err, KN_EINVAL, "%s: too long", field);
    strcpy(copy, s);
    char *parts[4] = {0};
    size_t n = 0;
    char *p = copy;
    while (n < 4) {
        parts[n++] = p;
        char *c = strchr(p, ':');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    if (n < 2 || n > 3)
        return kn_err_field(err, KN_EINVAL, field, "%s '%s': want REGION:PRESSURE[:DISCOMFORT]",
                            field, s);
    const kn_region *r;
    char side;
    kn_rc rc = kn_region_parse(parts[0], field, &r, &side, err);
    if (rc != KN_OK)
        return rc;
    strcpy(out->region, parts[0]);
    char sub[160];
    snprintf(sub, sizeof sub, "%s %s pressure", field, parts[0]);
    rc = kn_parse_int(parts[1], 1, 10, sub, &out->pressure, err);
    if (rc != KN_OK)
        return rc;
    out->discomfort = KN_NONE;
    if (n == 3 && parts[2][0]) {
        snprintf(sub, sizeof sub, "%s %s discomfort", field, parts[0]);
        rc = kn_parse_int(parts[2], 0, 10, sub, &out->discomfort, err);
    }
    return rc;
}

kn_rc kn_parse_peg(const char *s, const char *field, int peg[3], kn_err *err)
{
    static const char *const items[] = {"pain", "enjoyment", "activity"};
    char copy[64];
    if (strlen(s) >= sizeof copy)
        return kn_err_set(err, KN_EINVAL, "%s: too long", field);
    strcpy(copy, s);
    char *p = copy;
    for (int i = 0; i < 3; i++) {
        char *comma = strchr(p, ',');
        if ((i < 2) != (comma != NULL))
            return kn_err_field(err, KN_EINVAL, field,
                                "%s '%s': want three answers 0-10 as PAIN,ENJOYMENT,ACTIVITY",
                                field, s);
        if (comma)
            *comma = '\0';
        char sub[96];
        snprintf(sub, sizeof sub, "%s %s", field, items[i]);
        kn_rc rc = kn_parse_int(p, 0, 10, sub, &peg[i], err);
        if (rc != KN_OK)
            return rc;
        p = comma ? comma + 1 : p;
    }
    return KN_OK;
}
