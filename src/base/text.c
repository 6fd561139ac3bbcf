/* Locale-independent formatting and thread-safe error text (see text.h). */
#define _GNU_SOURCE
#include "base/text.h"

#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    /* "C" always exists; should newlocale still fail, formatting falls back to the thread's
     * locale rather than failing. */
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

int kn_vsnprintf_c(char *out, size_t cap, const char *fmt, va_list ap)
{
    pthread_once(&c_locale_once, make_c_locale);
    locale_t previous = c_locale ? uselocale(c_locale) : (locale_t)0;
    int n = vsnprintf(out, cap, fmt, ap);
    if (previous)
        uselocale(previous);
    return n;
}

int kn_snprintf_c(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kn_vsnprintf_c(out, cap, fmt, ap);
    va_end(ap);
    return n;
}

const char *kn_errno_text(int errnum, char *out, size_t cap)
{
    /* GNU strerror_r returns a pointer that may or may not be out. */
    const char *text = strerror_r(errnum, out, cap);
    if (text != out && cap) {
        strncpy(out, text, cap - 1);
        out[cap - 1] = '\0';
    }
    return out;
}
