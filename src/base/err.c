/* Error records: formatting and prefixing the messages that travel up to the faces. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "knead/error.h"

/* Writes the message and the field (NULL = none) of err; no value or reason yet. */
static void record(kn_err *err, kn_rc code, const char *field, const char *fmt, va_list ap)
{
    kn_vsnprintf_c(err->msg, sizeof err->msg, fmt, ap);
    err->code = code;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    err->value_at = err->value_len = err->reason_at = 0;
}

kn_rc kn_err_set(kn_err *err, kn_rc code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        record(err, code, NULL, fmt, ap);
        va_end(ap);
    }
    return code;
}

kn_rc kn_err_about(kn_err *err, kn_rc code, const char *field, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        record(err, code, field, fmt, ap);
        va_end(ap);
    }
    return code;
}

kn_rc kn_err_field(kn_err *err, kn_rc code, const char *field, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    record(err, code, field, fmt, ap);
    va_end(ap);
    size_t flen = strlen(field);
    assert(flen < sizeof err->field && strncmp(err->msg, field, flen) == 0 &&
           "a field error's message begins with its field");
    const char *rest = err->msg + flen;
    const char *colon = strstr(rest, ": ");
    if (rest[0] == ' ' && colon) {
        err->value_at = (unsigned short)(flen + 1);
        err->value_len = (unsigned short)(colon - rest - 1);
    }
    err->reason_at = (unsigned short)(colon ? colon + 2 - err->msg : (long)flen);
    return code;
}

const char *kn_err_value(const kn_err *err, char *out, size_t cap)
{
    size_t n = err->value_len < cap ? err->value_len : cap - 1;
    memcpy(out, err->msg + err->value_at, n);
    out[n] = '\0';
    return out;
}

const char *kn_err_reason(const kn_err *err)
{
    return err->msg + err->reason_at;
}

void kn_err_prefix(kn_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    char prefix[KN_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    kn_vsnprintf_c(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char joined[2 * KN_ERRMSG_MAX + 2];
    int plen = kn_snprintf_c(joined, sizeof joined, "%s: %s", prefix, err->msg);
    memcpy(err->msg, joined, sizeof err->msg - 1);
    err->msg[sizeof err->msg - 1] = '\0';
    /* the field's value and reason move along with the text (a prefix that does not fit
     * leaves only the message) */
    size_t shift = plen > 0 ? strlen(prefix) + 2 : 0;
    if (err->field[0] && err->reason_at + shift < sizeof err->msg) {
        if (err->value_len)
            err->value_at = (unsigned short)(err->value_at + shift);
        err->reason_at = (unsigned short)(err->reason_at + shift);
    } else {
        err->field[0] = '\0';
        err->value_at = err->value_len = err->reason_at = 0;
    }
}

void kn_err_clear(kn_err *err)
{
    if (err) {
        err->code = KN_OK;
        err->msg[0] = '\0';
        err->field[0] = '\0';
        err->value_at = err->value_len = err->reason_at = 0;
    }
}
