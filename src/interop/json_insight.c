/* The JSON of the insights (docs/INSIGHTS.md): part of the one encoder every face shares.
 * The field names are a contract with the reference implementation; absent figures are
 * null, never 0. It is the one document knead writes through a streaming generator (yajl)
 * rather than a jansson tree: a clinic asks for the insights of many persons at once, and
 * building, printing and freeing a tree of some two thousand values a person took twice as
 * long as generating the text straight from the record. Numbers are printed as jansson
 * prints them (kn_json_write_exact), so the text is the same. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "base/buf.h"
#include "base/text.h"
#include "knead/interop.h"

/* Far above the insights of decades of diary. */
#define INSIGHTS_JSON_MAX ((size_t)256 << 20)

typedef struct writer {
    yajl_gen g;
    int bad; /* a yajl call failed: the text is not to be used */
} writer;

static void check(writer *w, yajl_gen_status st)
{
    if (st != yajl_gen_status_ok)
        w->bad = 1;
}

/* A key: ASCII literals only. */
#define KEY(w, s) check((w), yajl_gen_string((w)->g, (const unsigned char *)(s), sizeof(s) - 1))
/* A key and its value, written by put (one of the value writers below). */
#define PUT(w, key, put, v)                                                                        \
    do {                                                                                           \
        KEY(w, key);                                                                               \
        put(w, v);                                                                                 \
    } while (0)

static void text(writer *w, const char *s)
{
    check(w, yajl_gen_string(w->g, (const unsigned char *)s, strlen(s)));
}

/* Writes the decimal digits of v at the end of buf (which holds 20 or more) and returns
 * where they begin. */
static char *digits_of(unsigned long long v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

/* Integers and the doubles below are written digit by digit: printf was most of the
 * generator's time, and most figures are whole numbers or halves. */
static void integer(writer *w, long long v)
{
    char buf[24];
    char *end = buf + sizeof buf;
    unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    char *start = digits_of(mag, end);
    if (v < 0)
        *--start = '-';
    check(w, yajl_gen_number(w->g, start, (size_t)(end - start)));
}

static void boolean(writer *w, bool v)
{
    check(w, yajl_gen_bool(w->g, v));
}

static void null(writer *w)
{
    check(w, yajl_gen_null(w->g));
}

/* A double with 17 significant digits, always with a '.' or an exponent (so that it reads
 * back as a real), the exponent without '+' or leading zeros: jansson's form. NAN (absent)
 * is null; no figure is infinite, and one that were would be null too, never invalid JSON. */
static void real(writer *w, double v)
{
    if (!isfinite(v)) {
        null(w);
        return;
    }
    /* A whole number or a half below 1e15 (so its 17 significant digits end in zeros):
     * its digits, then ".0" or ".5", as printf's form below gives it. */
    double mag = fabs(v), whole = floor(mag);
    if (mag < 1e15 && (mag == whole || mag - whole == 0.5)) {
        char out[24];
        char *end = out + sizeof out - 2;
        char *start = digits_of((unsigned long long)whole, end);
        end[0] = '.';
        end[1] = mag == whole ? '0' : '5';
        if (signbit(v))
            *--start = '-';
        check(w, yajl_gen_number(w->g, start, (size_t)(end + 2 - start)));
        return;
    }
    char buf[40];
    int n = kn_snprintf_c(buf, sizeof buf - 3, "%.17g", v);
    if (n < 0 || (size_t)n >= sizeof buf - 3) {
        w->bad = 1;
        return;
    }
    size_t len = (size_t)n;
    char *e = strchr(buf, 'e');
    if (!e && !strchr(buf, '.')) {
        memcpy(buf + len, ".0", 3);
        len += 2;
    } else if (e) {
        char *digits = e + 1 + (e[1] == '-' || e[1] == '+');
        char *from = digits;
        while (*from == '0' && from[1] != '\0')
            from++;
        char *to = e + 1 + (e[1] == '-');
        size_t keep = len - (size_t)(from - buf);
        memmove(to, from, keep + 1);
        len = (size_t)(to - buf) + keep;
    }
    check(w, yajl_gen_number(w->g, buf, len));
}

static void day(writer *w, kn_day d)
{
    if (d == KN_DAY_ANY) {
        null(w);
        return;
    }
    char buf[KN_DATE_LEN];
    kn_date_format(d, buf);
    check(w, yajl_gen_string(w->g, (const unsigned char *)buf, KN_DATE_LEN - 1));
}

static void map_open(writer *w)
{
    check(w, yajl_gen_map_open(w->g));
}

static void map_close(writer *w)
{
    check(w, yajl_gen_map_close(w->g));
}

static void array_open(writer *w)
{
    check(w, yajl_gen_array_open(w->g));
}

static void array_close(writer *w)
{
    check(w, yajl_gen_array_close(w->g));
}

static void chronic_json(writer *w, const kn_chronic_region *c)
{
    map_open(w);
    PUT(w, "region", text, c->region);
    PUT(w, "first", day, c->first);
    PUT(w, "last", day, c->last);
    PUT(w, "span_days", integer, c->span_days);
    PUT(w, "months", integer, c->months);
    PUT(w, "entry_days", integer, c->entry_days);
    PUT(w, "mean_intensity", real, c->mean_intensity);
    PUT(w, "chronic", boolean, c->chronic);
    PUT(w, "status", text, kn_chronic_status_name(c->status));
    PUT(w, "basis", text, kn_chronic_basis_name(c->basis));
    PUT(w, "onset", day, c->onset);
    KEY(w, "onset_exact");
    if (c->onset == KN_DAY_ANY)
        null(w);
    else
        boolean(w, c->onset_exact);
    map_close(w);
}

static void flare_json(writer *w, const kn_flare *f)
{
    map_open(w);
    PUT(w, "start", day, f->start);
    PUT(w, "end", day, f->end);
    PUT(w, "days", integer, f->days);
    PUT(w, "peak", integer, f->peak);
    PUT(w, "peak_date", day, f->peak_date);
    PUT(w, "baseline", real, f->baseline);
    map_close(w);
}

static void factor_json(writer *w, const kn_factor_test *t)
{
    bool continuous = t->kind == KN_FACTOR_CONTINUOUS;
    map_open(w);
    PUT(w, "factor", text, t->factor);
    PUT(w, "kind", text, kn_factor_kind_name(t->kind));
    PUT(w, "lag", integer, t->lag);
    PUT(w, "n", integer, t->n);
    if (continuous) {
        PUT(w, "rho", real, t->rho);
    } else {
        PUT(w, "n_with", integer, t->n_with);
        PUT(w, "n_without", integer, t->n_without);
        PUT(w, "diff", real, t->diff);
        PUT(w, "ci_low", real, t->ci_low);
        PUT(w, "ci_high", real, t->ci_high);
    }
    PUT(w, "p", real, t->p);
    PUT(w, "q", real, t->q);
    PUT(w, "driver", boolean, t->driver);
    PUT(w, "taken_on_worse_days", boolean, t->worse_days);
    map_close(w);
}

static void skip_json(writer *w, const kn_factor_skip *s)
{
    map_open(w);
    PUT(w, "factor", text, s->factor);
    PUT(w, "lag", integer, s->lag);
    PUT(w, "n", integer, s->n);
    PUT(w, "reason", text, kn_skip_reason_name(s->reason));
    map_close(w);
}

static void massage_json(writer *w, const kn_massage_summary *m)
{
    map_open(w);
    KEY(w, "sessions");
    array_open(w);
    for (size_t i = 0; i < m->nsessions; i++) {
        const kn_massage_effect *e = &m->sessions[i];
        map_open(w);
        PUT(w, "date", day, e->day);
        PUT(w, "pre", real, e->pre);
        PUT(w, "post", real, e->post);
        PUT(w, "change", real, e->change);
        PUT(w, "immediate", real, e->immediate);
        map_close(w);
    }
    array_close(w);
    PUT(w, "n", integer, m->n);
    PUT(w, "mean_change", real, m->mean_change);
    PUT(w, "p", real, m->p);
    map_close(w);
}

static void trend_json(writer *w, const kn_trend *t)
{
    if (!t->present) {
        null(w);
        return;
    }
    map_open(w);
    PUT(w, "baseline", real, t->baseline);
    PUT(w, "baseline_date", day, t->baseline_date);
    PUT(w, "latest", real, t->latest);
    PUT(w, "latest_date", day, t->latest_date);
    PUT(w, "change", real, t->change);
    PUT(w, "percent", real, t->percent);
    PUT(w, "category", text, kn_trend_category_name(t->category));
    map_close(w);
}

static void insights_json(writer *w, const kn_insights *ins)
{
    map_open(w);
    PUT(w, "person", integer, (long long)ins->person);
    PUT(w, "from", day, ins->from);
    PUT(w, "to", day, ins->to);
    PUT(w, "days_logged", integer, ins->days_logged);
    KEY(w, "chronic");
    array_open(w);
    for (size_t i = 0; i < ins->nchronic; i++)
        chronic_json(w, &ins->chronic[i]);
    array_close(w);
    KEY(w, "flares");
    array_open(w);
    for (size_t i = 0; i < ins->nflares; i++)
        flare_json(w, &ins->flares[i]);
    array_close(w);
    KEY(w, "factors");
    array_open(w);
    for (size_t i = 0; i < ins->nfactors; i++)
        factor_json(w, &ins->factors[i]);
    array_close(w);
    KEY(w, "factors_skipped");
    array_open(w);
    for (size_t i = 0; i < ins->nskipped; i++)
        skip_json(w, &ins->skipped[i]);
    array_close(w);
    PUT(w, "massage", massage_json, &ins->massage);
    KEY(w, "outcomes");
    map_open(w);
    PUT(w, "peg", trend_json, &ins->peg);
    PUT(w, "pain", trend_json, &ins->pain);
    map_close(w);
    map_close(w);
}

/* Appends the compact text of ins to out (no newline). The generator writes into its own
 * buffer, copied once at the end: a callback for every token cost more than the copy. */
static kn_rc generate(const kn_insights *ins, kn_buf *out)
{
    writer w = {.g = yajl_gen_alloc(NULL)};
    w.bad = !w.g;
    if (!w.bad)
        insights_json(&w, ins);
    const unsigned char *text = NULL;
    size_t len = 0;
    if (!w.bad)
        check(&w, yajl_gen_get_buf(w.g, &text, &len));
    if (!w.bad)
        w.bad = kn_buf_append(out, text, len) != KN_OK;
    if (w.g)
        yajl_gen_free(w.g);
    return w.bad ? KN_ENOMEM : KN_OK;
}

/* The indented form, laid out as every other document of knead is (jansson's JSON_INDENT(2):
 * one member or element per line, ": " after a key, "[]" and "{}" when empty), by one pass
 * over the compact text the generator wrote: the text is known to be valid JSON, so only
 * strings (where brackets and commas are text) need care. Parsing it again into a tree to
 * print it was over half the work of `knead insights --json`. */
static kn_rc indent(kn_buf *text)
{
    kn_buf pretty;
    kn_buf_init(&pretty, INSIGHTS_JSON_MAX);
    kn_rc rc = KN_OK;
    int depth = 0;
    const char *p = kn_buf_str(text), *end = p + text->len;
#define NEWLINE()                                                                                  \
    do {                                                                                           \
        rc = kn_buf_putc(&pretty, '\n');                                                           \
        for (int d = 0; rc == KN_OK && d < depth; d++)                                             \
            rc = kn_buf_puts(&pretty, "  ");                                                       \
    } while (0)
    while (rc == KN_OK && p < end) {
        char c = *p;
        if (c == '"') {
            const char *q = p + 1;
            while (q < end && *q != '"')
                q += *q == '\\' ? 2 : 1;
            rc = kn_buf_append(&pretty, p, (size_t)(q + 1 - p));
            p = q + 1;
            continue;
        }
        if (c == '{' || c == '[') {
            char close = c == '{' ? '}' : ']';
            if (p + 1 < end && p[1] == close) {
                rc = kn_buf_putc(&pretty, c);
                if (rc == KN_OK)
                    rc = kn_buf_putc(&pretty, close);
                p += 2;
                continue;
            }
            rc = kn_buf_putc(&pretty, c);
            depth++;
            NEWLINE();
        } else if (c == '}' || c == ']') {
            depth--;
            NEWLINE();
            if (rc == KN_OK)
                rc = kn_buf_putc(&pretty, c);
        } else if (c == ',') {
            rc = kn_buf_putc(&pretty, c);
            NEWLINE();
        } else if (c == ':') {
            rc = kn_buf_puts(&pretty, ": ");
        } else {
            rc = kn_buf_putc(&pretty, c);
        }
        p++;
    }
#undef NEWLINE
    if (rc == KN_OK) {
        kn_buf_free(text);
        *text = pretty;
    } else {
        kn_buf_free(&pretty);
    }
    return rc;
}

kn_rc kn_json_insights_text(const kn_insights *ins, bool pretty, char **out, size_t *len,
                            kn_err *err)
{
    *out = NULL;
    *len = 0;
    kn_buf text;
    kn_buf_init(&text, INSIGHTS_JSON_MAX);
    kn_rc rc = generate(ins, &text);
    if (rc == KN_OK && pretty)
        rc = indent(&text);
    if (rc == KN_OK)
        rc = kn_buf_putc(&text, '\n');
    if (rc != KN_OK) {
        kn_buf_free(&text);
        return kn_err_set(err, rc, "cannot encode the insights as JSON (out of memory)");
    }
    *len = text.len;
    *out = text.data; /* the buffer's bytes are the caller's now */
    return KN_OK;
}
