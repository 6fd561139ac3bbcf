/* Growable byte buffers with a size cap (after Redis sds and curl dynbuf). The buffer owns
 * its bytes; kn_buf_dup returns a copy the caller frees. Contents are always NUL-terminated. */
#ifndef KN_BASE_BUF_H
#define KN_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "knead/error.h"

typedef struct kn_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* appends that would pass this size fail with KN_ETOOBIG */
} kn_buf;

void kn_buf_init(kn_buf *b, size_t max);
void kn_buf_free(kn_buf *b);
void kn_buf_reset(kn_buf *b);
kn_rc kn_buf_append(kn_buf *b, const void *data, size_t n);
kn_rc kn_buf_putc(kn_buf *b, char c);
kn_rc kn_buf_puts(kn_buf *b, const char *s);
kn_rc kn_buf_printf(kn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
kn_rc kn_buf_vprintf(kn_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* The contents ("" when empty); valid until the next change. */
const char *kn_buf_str(const kn_buf *b);
/* A malloc'd copy of the contents, or NULL when out of memory. */
char *kn_buf_dup(const kn_buf *b);

/* strdup that treats NULL as NULL. */
char *kn_strdup(const char *s);

#endif
