/* The streaming CSV reader (RFC 4180) under import, and the field writer under export.
 * Input is read in large blocks and runs of ordinary bytes are copied in bulk, because a
 * million-row import spends its time here when it is not in SQLite. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "knead/interop.h"

#define BLOCK_SIZE (256 * 1024)
#define FIELD_MAX ((size_t)1 << 20)   /* longest field accepted: 1 MiB */
#define RECORD_MAX ((size_t)64 << 20) /* longest record accepted: 64 MiB */

struct kn_csv {
    FILE *in;
    char *block;
    size_t blen, bpos;
    int64_t block_base; /* input offset of block[0] */
    bool eof;
    bool bom_checked;
    bool after_cr; /* the last byte consumed was a CR, so a following LF ends no new line */
    bool failed;
    kn_buf text;    /* the fields of the record, each followed by a NUL */
    size_t *starts; /* where each field begins in text */
    size_t nfields, cap;
    bool any_quoted;  /* some field of the record was quoted (so it is not a blank line) */
    long line;        /* the line the next byte is on */
    long record_line; /* the line the current record starts on */
};

/* Bytes that end a run of ordinary bytes outside and inside quotes. */
static const unsigned char plain_stop[256] = {
    [0] = 1, [','] = 1, ['"'] = 1, ['\n'] = 1, ['\r'] = 1,
};
static const unsigned char quoted_stop[256] = {
    [0] = 1,
    ['"'] = 1,
    ['\n'] = 1,
    ['\r'] = 1,
};

kn_rc kn_csv_open(FILE *in, kn_csv **out, kn_err *err)
{
    *out = NULL;
    kn_csv *csv = calloc(1, sizeof *csv);
    if (!csv)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    csv->block = malloc(BLOCK_SIZE);
    if (!csv->block) {
        free(csv);
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    }
    csv->in = in;
    csv->line = 1;
    csv->record_line = 1;
    kn_buf_init(&csv->text, RECORD_MAX);
    *out = csv;
    return KN_OK;
}

void kn_csv_free(kn_csv *csv)
{
    if (!csv)
        return;
    kn_buf_free(&csv->text);
    free(csv->starts);
    free(csv->block);
    free(csv);
}

size_t kn_csv_nfields(const kn_csv *csv)
{
    return csv->nfields;
}

const char *kn_csv_field(const kn_csv *csv, size_t i)
{
    return i < csv->nfields ? csv->text.data + csv->starts[i] : NULL;
}

long kn_csv_line(const kn_csv *csv)
{
    return csv->record_line;
}

int64_t kn_csv_offset(const kn_csv *csv)
{
    return csv->block_base + (int64_t)csv->bpos;
}

/* Refills the block once it is used up; sets eof at the end of input. */
static int refill(kn_csv *csv, kn_err *err)
{
    csv->block_base += (int64_t)csv->blen;
    csv->bpos = csv->blen = 0;
    if (csv->eof)
        return 0;
    size_t n = fread(csv->block, 1, BLOCK_SIZE, csv->in);
    if (n < BLOCK_SIZE) {
        if (ferror(csv->in)) {
            char why[KN_ERRNO_TEXT_MAX];
            kn_err_set(err, KN_EIO, "read error: %s", kn_errno_text(errno, why, sizeof why));
            return -1;
        }
        csv->eof = true;
    }
    csv->blen = n;
    if (!csv->bom_checked) {
        csv->bom_checked = true;
        if (n >= 3 && memcmp(csv->block, "\xEF\xBB\xBF", 3) == 0)
            csv->bpos = 3;
    }
    return 0;
}

/* Messages name the field by its 1-based position, and the line when the record spans
 * several, so that a mistake in a long note is easy to find. */
static int malformed(kn_csv *csv, kn_err *err, const char *what)
{
    csv->failed = true;
    if (csv->line != csv->record_line)
        kn_err_set(err, KN_EINVAL, "field %zu: %s (line %ld)", csv->nfields, what, csv->line);
    else
        kn_err_set(err, KN_EINVAL, "field %zu: %s", csv->nfields, what);
    return -1;
}

/* Makes room for one more field start. */
static int grow_starts(kn_csv *csv)
{
    if (csv->nfields == csv->cap) {
        size_t cap = csv->cap ? csv->cap * 2 : 16;
        size_t *starts = realloc(csv->starts, cap * sizeof *starts);
        if (!starts)
            return -1;
        csv->starts = starts;
        csv->cap = cap;
    }
    return 0;
}

static int begin_field(kn_csv *csv, kn_err *err)
{
    if (grow_starts(csv) < 0) {
        csv->failed = true;
        kn_err_set(err, KN_ENOMEM, "out of memory");
        return -1;
    }
    csv->starts[csv->nfields++] = csv->text.len;
    return 0;
}

static int append(kn_csv *csv, const char *p, size_t n, kn_err *err)
{
    if (csv->text.len - csv->starts[csv->nfields - 1] + n > FIELD_MAX)
        return malformed(csv, err, "longer than 1 MiB");
    if (kn_buf_append(&csv->text, p, n) != KN_OK) {
        csv->failed = true;
        if (csv->text.len + n > csv->text.max)
            kn_err_set(err, KN_ETOOBIG, "record longer than %zu MiB", RECORD_MAX >> 20);
        else
            kn_err_set(err, KN_ENOMEM, "out of memory");
        return -1;
    }
    return 0;
}

static int end_field(kn_csv *csv, kn_err *err)
{
    if (kn_buf_putc(&csv->text, '\0') != KN_OK) {
        csv->failed = true;
        kn_err_set(err, KN_ETOOBIG, "record longer than %zu MiB", RECORD_MAX >> 20);
        return -1;
    }
    return 0;
}

typedef enum state { FIELD_START, PLAIN, QUOTED, QUOTE_SEEN } state;

/* Reads one record into text/starts: 1 = a record, 0 = end of input, -1 = error. */
static int read_record(kn_csv *csv, kn_err *err)
{
    state st = FIELD_START;
    long quote_line = 0;
    for (;;) {
        if (csv->bpos == csv->blen) {
            if (refill(csv, err) < 0) {
                csv->failed = true;
                return -1;
            }
            if (csv->bpos == csv->blen) {
                switch (st) {
                case FIELD_START:
                    if (csv->nfields == 0)
                        return 0;
                    return begin_field(csv, err) < 0 ? -1 : end_field(csv, err) < 0 ? -1 : 1;
                case QUOTED:
                    /* where the quote opened is what helps; end of input is no place */
                    csv->failed = true;
                    if (quote_line != csv->record_line)
                        kn_err_set(err, KN_EINVAL,
                                   "field %zu: unterminated quoted field (opened on line %ld)",
                                   csv->nfields, quote_line);
                    else
                        kn_err_set(err, KN_EINVAL, "field %zu: unterminated quoted field",
                                   csv->nfields);
                    return -1;
                case PLAIN:
                case QUOTE_SEEN:
                    return end_field(csv, err) < 0 ? -1 : 1;
                }
            }
        }
        const char *p = csv->block + csv->bpos;
        const char *end = csv->block + csv->blen;
        switch (st) {
        case FIELD_START:
            if (csv->after_cr) {
                csv->after_cr = false;
                if (*p == '\n' && csv->nfields == 0) {
                    csv->bpos++;
                    csv->record_line = csv->line;
                    continue;
                }
            }
            if (begin_field(csv, err) < 0)
                return -1;
            if (*p == '"') {
                csv->bpos++;
                csv->any_quoted = true;
                quote_line = csv->line;
                st = QUOTED;
            } else {
                st = PLAIN;
            }
            break;
        case PLAIN: {
            const char *q = p;
            while (q < end && !plain_stop[(unsigned char)*q])
                q++;
            if (q > p && append(csv, p, (size_t)(q - p), err) < 0)
                return -1;
            csv->bpos += (size_t)(q - p);
            if (q == end)
                break;
            csv->bpos++;
            switch (*q) {
            case ',':
                if (end_field(csv, err) < 0)
                    return -1;
                st = FIELD_START;
                break;
            case '\r':
                csv->after_cr = true;
                /* fall through */
            case '\n':
                csv->line++;
                return end_field(csv, err) < 0 ? -1 : 1;
            case '"':
                return malformed(csv, err,
                                 "quote inside an unquoted field (quote the whole field and "
                                 "double the quote)");
            default:
                return malformed(csv, err, "NUL byte (not a text file?)");
            }
            break;
        }
        case QUOTED: {
            const char *q = p;
            while (q < end && !quoted_stop[(unsigned char)*q])
                q++;
            if (q == end) {
                if (q > p && append(csv, p, (size_t)(q - p), err) < 0)
                    return -1;
                csv->bpos += (size_t)(q - p);
                if (q > p)
                    csv->after_cr = false;
                break;
            }
            /* CR and LF stay in the field as they are; only line counting looks at them. */
            bool keep = *q == '\n' || *q == '\r';
            size_t n = (size_t)(q - p) + keep;
            if (n && append(csv, p, n, err) < 0)
                return -1;
            csv->bpos += (size_t)(q - p) + 1;
            if (*q == '\r') {
                csv->line++;
                csv->after_cr = true;
            } else if (*q == '\n') {
                if (!(csv->after_cr && q == p))
                    csv->line++;
                csv->after_cr = false;
            } else if (*q == '"') {
                csv->after_cr = false;
                st = QUOTE_SEEN;
            } else {
                return malformed(csv, err, "NUL byte (not a text file?)");
            }
            break;
        }
        case QUOTE_SEEN:
            csv->bpos++;
            switch (*p) {
            case '"':
                if (append(csv, "\"", 1, err) < 0)
                    return -1;
                st = QUOTED;
                break;
            case ',':
                if (end_field(csv, err) < 0)
                    return -1;
                st = FIELD_START;
                break;
            case '\r':
                csv->after_cr = true;
                /* fall through */
            case '\n':
                csv->line++;
                return end_field(csv, err) < 0 ? -1 : 1;
            case '\0':
                return malformed(csv, err, "NUL byte (not a text file?)");
            default:
                return malformed(csv, err, "text after a closing quote");
            }
            break;
        }
    }
}

/* The common record: it lies wholly in the block and holds no quote, NUL or lone CR. It is
 * copied in one piece and split where the commas were. 1 = read, 0 = leave it to
 * read_record (which also reports what went wrong, such as running out of memory). */
static int read_plain_record(kn_csv *csv)
{
    const char *p = csv->block + csv->bpos;
    size_t avail = csv->blen - csv->bpos;
    const char *nl = avail ? memchr(p, '\n', avail) : NULL;
    if (!nl)
        return 0;
    size_t n = (size_t)(nl - p); /* a block is far below FIELD_MAX and RECORD_MAX */
    size_t len = n && p[n - 1] == '\r' ? n - 1 : n; /* CRLF */
    if (kn_buf_append(&csv->text, p, len) != KN_OK || kn_buf_putc(&csv->text, '\0') != KN_OK)
        goto undo;
    char *t = csv->text.data;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && !plain_stop[(unsigned char)t[i]])
            continue;
        if (i < len && t[i] != ',')
            goto undo; /* a quote, a NUL or a CR */
        if (grow_starts(csv) < 0)
            goto undo;
        csv->starts[csv->nfields++] = start;
        t[i] = '\0';
        start = i + 1;
    }
    csv->bpos += n + 1;
    csv->line++;
    return 1;
undo:
    kn_buf_reset(&csv->text);
    csv->nfields = 0;
    return 0;
}

int kn_csv_next(kn_csv *csv, kn_err *err)
{
    if (csv->failed)
        return -1; /* the message of the first error stands; nothing after it is trusted */
    for (;;) {
        kn_buf_reset(&csv->text);
        csv->nfields = 0;
        csv->any_quoted = false;
        csv->record_line = csv->line;
        int rc = !csv->after_cr && read_plain_record(csv) ? 1 : read_record(csv, err);
        if (rc <= 0)
            return rc;
        /* A blank line is a lone empty field nobody quoted: not a record. */
        if (csv->nfields == 1 && csv->text.len == 1 && !csv->any_quoted)
            continue;
        return 1;
    }
}

void kn_csv_write_field(FILE *out, const char *s)
{
    if (!s)
        return;
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, out);
        return;
    }
    putc('"', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            putc('"', out);
        putc(*p, out);
    }
    putc('"', out);
}
