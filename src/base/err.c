/* Error records: formatting and prefixing the messages that travel up to the faces. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "knead/error.h"

kn_rc kn_err_set(kn_err *err, kn_rc code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        kn_vsnprintf_c(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
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
    kn_snprintf_c(joined, sizeof joined, "%s: %s", prefix, err->msg);
    memcpy(err->msg, joined, sizeof err->msg - 1);
    err->msg[sizeof err->msg - 1] = '\0';
}

void kn_err_clear(kn_err *err)
{
    if (err) {
        err->code = KN_OK;
        err->msg[0] = '\0';
    }
}
