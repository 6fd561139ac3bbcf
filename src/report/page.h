/* A page of text being written (the brief, the insights report): a size-capped buffer that
 * keeps the first error, so a renderer writes line after line and checks once at the end.
 * Internal to src/report. */
#ifndef KN_REPORT_PAGE_H
#define KN_REPORT_PAGE_H

#include <stdarg.h>
#include <stdbool.h>

#include "base/buf.h"

typedef struct page {
    kn_buf b;
    bool md; /* Markdown rather than plain text */
    kn_rc rc;
} page;

static inline void put(page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void put(page *p, const char *fmt, ...)
{
    if (p->rc != KN_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    p->rc = kn_buf_vprintf(&p->b, fmt, ap);
    va_end(ap);
}

/* A factor's name in words ("stress", "a disrupted routine", "\"long drive\" (your tag)",
 * "taking ibuprofen"), never its id (src/report/insights.c). */
void kn_report_factor_words(const char *factor, char *out, size_t cap);

#endif
