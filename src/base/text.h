/* Text that must read the same in every locale: numbers in files, JSON and messages are
 * written with a '.' decimal point whatever LC_NUMERIC the process runs under, and error
 * numbers become text without strerror's shared buffer. Layer-private to the library. */
#ifndef KN_BASE_TEXT_H
#define KN_BASE_TEXT_H

#include <stdarg.h>
#include <stddef.h>

/* snprintf in the "C" locale for the calling thread only (uselocale), then back to the
 * thread's own locale. Same return value as snprintf. */
int kn_snprintf_c(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int kn_vsnprintf_c(char *out, size_t cap, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* kn_errno_text is public: include/knead/error.h. */

#endif
