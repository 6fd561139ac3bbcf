/* Growable byte buffers with a size cap. */
#include "base/buf.h"
#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kn_buf_init(kn_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void kn_buf_free(kn_buf *b)
{
    free(b->data);
    kn_buf_init(b, b->max);
}

void kn_buf_reset(kn_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static kn_rc buf_reserve(kn_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return KN_ETOOBIG;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return KN_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data)
        return KN_ENOMEM;
    b->data = data;
    b->cap = cap;
    return KN_OK;
}

kn_rc kn_buf_append(kn_buf *b, const void *data, size_t n)
{
    kn_rc rc = buf_reserve(b, n);
    if (rc != KN_OK)
        return rc;
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return KN_OK;
}

kn_rc kn_buf_putc(kn_buf *b, char c)
{
    if (b->len + 1 < b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return KN_OK;
    }
    return kn_buf_append(b, &c, 1);
}

kn_rc kn_buf_puts(kn_buf *b, const char *s)
{
    return kn_buf_append(b, s, strlen(s));
}

kn_rc kn_buf_vprintf(kn_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = kn_vsnprintf_c(NULL, 0, fmt, ap);
    kn_rc rc = n < 0 ? KN_EINVAL : buf_reserve(b, (size_t)n);
    if (rc == KN_OK) {
        kn_vsnprintf_c(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
    return rc;
}

kn_rc kn_buf_printf(kn_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kn_rc rc = kn_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *kn_buf_str(const kn_buf *b)
{
    return b->data ? b->data : "";
}

char *kn_buf_dup(const kn_buf *b)
{
    return kn_strdup(kn_buf_str(b));
}

char *kn_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}
