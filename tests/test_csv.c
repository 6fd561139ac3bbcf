/* Tests of the CSV reader and field writer (src/interop/csv.c): RFC 4180 quoting, line ends
 * inside and between records, the BOM, blank lines, ragged rows, every malformed input with
 * its message, line numbers, block boundaries, and a write-then-read round trip. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "knead/interop.h"

/* Reads text (len bytes) to the end and describes what the reader saw: each record as
 * "LINE:[field][field]\n", then "ERR LINE: message" if it stopped on an error. */
static char *dump_n(const char *text, size_t len)
{
    FILE *in = fmemopen((void *)text, len, "rb");
    assert_non_null(in);
    kn_csv *csv = NULL;
    kn_err err = {0};
    assert_int_equal(kn_csv_open(in, &csv, &err), KN_OK);
    kn_buf out;
    kn_buf_init(&out, (size_t)1 << 30);
    int rc;
    while ((rc = kn_csv_next(csv, &err)) > 0) {
        assert_int_equal(kn_buf_printf(&out, "%ld:", kn_csv_line(csv)), KN_OK);
        for (size_t i = 0; i < kn_csv_nfields(csv); i++)
            assert_int_equal(kn_buf_printf(&out, "[%s]", kn_csv_field(csv, i)), KN_OK);
        assert_int_equal(kn_buf_putc(&out, '\n'), KN_OK);
    }
    if (rc < 0) {
        assert_int_equal(err.code, KN_EINVAL);
        assert_int_equal(kn_buf_printf(&out, "ERR %ld: %s", kn_csv_line(csv), err.msg), KN_OK);
        /* the reader stays stopped */
        assert_true(kn_csv_next(csv, &err) < 0);
    }
    kn_csv_free(csv);
    fclose(in);
    char *s = kn_buf_dup(&out);
    kn_buf_free(&out);
    assert_non_null(s);
    return s;
}

static char *dump(const char *text)
{
    return dump_n(text, strlen(text));
}

#define assert_dump(text, want)                                                                    \
    do {                                                                                           \
        char *got_ = dump(text);                                                                   \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_plain_records(void **state)
{
    (void)state;
    assert_dump("a,b,c\n1,2,3\n", "1:[a][b][c]\n2:[1][2][3]\n");
    assert_dump("", "");
    assert_dump("one\n", "1:[one]\n");
    assert_dump("sp ace , x\n", "1:[sp ace ][ x]\n");
    assert_dump("caf\xC3\xA9,\xE2\x9C\x93\n", "1:[caf\xC3\xA9][\xE2\x9C\x93]\n");
}

static void test_quotes(void **state)
{
    (void)state;
    assert_dump("\"a,b\",\"c\"\"d\",\"\"\n", "1:[a,b][c\"d][]\n");
    assert_dump("\"\"\"\"\n", "1:[\"]\n");
    assert_dump("\"x\"\"\"\"y\",z\n", "1:[x\"\"y][z]\n");
    assert_dump("\"a\",\"\",\"\"\"\"\n", "1:[a][][\"]\n");
}

static void test_embedded_newlines(void **state)
{
    (void)state;
    assert_dump("x,\"l1\nl2\",y\nnext,1\n", "1:[x][l1\nl2][y]\n3:[next][1]\n");
    /* CRLF and lone CR inside quotes are kept as they are and count as one line each */
    assert_dump("\"a\r\nb\"\r\nc\r\n", "1:[a\r\nb]\n3:[c]\n");
    assert_dump("\"a\rb\"\nc\n", "1:[a\rb]\n3:[c]\n");
    assert_dump("\"a\n\nb\"\nc\n", "1:[a\n\nb]\n4:[c]\n");
    assert_dump("\"a\r\n\r\nb\"\r\nc\r\n", "1:[a\r\n\r\nb]\n4:[c]\n");
    assert_dump("\"\n\",\"\n\"\nz\n", "1:[\n][\n]\n4:[z]\n");
}

static void test_line_ends(void **state)
{
    (void)state;
    assert_dump("a,b\r\nc,d\r\n", "1:[a][b]\n2:[c][d]\n");
    assert_dump("a\rb\r", "1:[a]\n2:[b]\n");
    assert_dump("a\r\nb\nc\rd", "1:[a]\n2:[b]\n3:[c]\n4:[d]\n");
    assert_dump("\"a\"\r\n\"b\"\n", "1:[a]\n2:[b]\n");
}

static void test_bom(void **state)
{
    (void)state;
    assert_dump("\xEF\xBB\xBF"
                "at,region\n1,2\n",
                "1:[at][region]\n2:[1][2]\n");
    assert_dump("\xEF\xBB\xBF\"q\"\n", "1:[q]\n");
    assert_dump("\xEF\xBB\xBF", "");
    /* only at the start of the input is it a BOM; later it is text */
    assert_dump("a\n\xEF\xBB\xBF"
                "b\n",
                "1:[a]\n2:[\xEF\xBB\xBF"
                "b]\n");
}

static void test_final_record_without_newline(void **state)
{
    (void)state;
    assert_dump("a,b\nc,d", "1:[a][b]\n2:[c][d]\n");
    assert_dump("a,\"b\"", "1:[a][b]\n");
    assert_dump("a,", "1:[a][]\n");
    assert_dump("\"\"", "1:[]\n");
}

static void test_empty_fields_and_blank_lines(void **state)
{
    (void)state;
    assert_dump(",,\n", "1:[][][]\n");
    assert_dump("a,\n,b\n", "1:[a][]\n2:[][b]\n");
    /* blank lines are no records, but they count for line numbers */
    assert_dump("a\n\n\r\nb\n\n", "1:[a]\n4:[b]\n");
    assert_dump("\n\na\n", "3:[a]\n");
    /* a quoted empty field is a record */
    assert_dump("\"\"\n\nx\n", "1:[]\n3:[x]\n");
}

/* A record after the first lies in a block already read and takes the reader's fast path
 * (copied whole, split at the commas); whatever that path cannot take (quotes, a lone CR, a
 * NUL) must come out exactly as the byte-by-byte path reads it. */
static void test_records_after_the_first(void **state)
{
    (void)state;
    assert_dump("h\na,b\r\nc,d\r\ne\n", "1:[h]\n2:[a][b]\n3:[c][d]\n4:[e]\n");
    assert_dump("h\na\rb\nc\n", "1:[h]\n2:[a]\n3:[b]\n4:[c]\n");
    assert_dump("h\na,\"b\"\nc\n", "1:[h]\n2:[a][b]\n3:[c]\n");
    assert_dump("h\n\n\r\n\rx\n", "1:[h]\n5:[x]\n");
    assert_dump("h\n,,\n\n,\r\n", "1:[h]\n2:[][][]\n4:[][]\n");
    assert_dump("h\nx,y\r\r\nz\n", "1:[h]\n2:[x][y]\n4:[z]\n");
    assert_dump("h\n\"a\nb\",c\nd\n", "1:[h]\n2:[a\nb][c]\n4:[d]\n");
    assert_dump("h\na,b,\n", "1:[h]\n2:[a][b][]\n");
    assert_dump("h\nab\"c\n", "1:[h]\nERR 2: field 1: quote inside an unquoted field (quote the "
                              "whole field and double the quote)");
    char *got = dump_n("h\na\0b\n", 6);
    assert_string_equal(got, "1:[h]\nERR 2: field 1: NUL byte (not a text file?)");
    free(got);
    /* more fields than the reader had room for */
    assert_dump(
        "h\n1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20\n",
        "1:[h]\n2:[1][2][3][4][5][6][7][8][9][10][11][12][13][14][15][16][17][18][19][20]\n");
}

static void test_ragged_rows(void **state)
{
    (void)state;
    const char *text = "a,b,c\nd\ne,f\n";
    FILE *in = fmemopen((void *)text, strlen(text), "rb");
    kn_csv *csv;
    kn_err err = {0};
    assert_int_equal(kn_csv_open(in, &csv, &err), KN_OK);
    static const size_t want[] = {3, 1, 2};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(kn_csv_next(csv, &err), 1);
        assert_int_equal(kn_csv_nfields(csv), want[i]);
        assert_int_equal(kn_csv_line(csv), (long)i + 1);
    }
    assert_null(kn_csv_field(csv, 2));
    assert_int_equal(kn_csv_next(csv, &err), 0);
    assert_int_equal(kn_csv_next(csv, &err), 0);
    kn_csv_free(csv);
    fclose(in);
}

static void test_malformed(void **state)
{
    (void)state;
    assert_dump("ok\nab\"c,d\n", "1:[ok]\nERR 2: field 1: quote inside an unquoted field (quote "
                                 "the whole field and double the quote)");
    assert_dump("a,\"ab\"c\n", "ERR 1: field 2: text after a closing quote");
    assert_dump("a,\"ab\" \n", "ERR 1: field 2: text after a closing quote");
    assert_dump("a,\"bc\n", "ERR 1: field 2: unterminated quoted field");
    assert_dump("x\ny,\"z\n\n", "1:[x]\nERR 2: field 2: unterminated quoted field");
    assert_dump("a,\n\"b\nc\",\"d\ne\n",
                "1:[a][]\nERR 2: field 2: unterminated quoted field (opened on line 3)");
    /* an error on a later line of a multi-line record names that line too */
    assert_dump("z\n\"a\nb\"x\n", "1:[z]\nERR 2: field 1: text after a closing quote (line 3)");
    char *got = dump_n("a\0b\n", 4);
    assert_string_equal(got, "ERR 1: field 1: NUL byte (not a text file?)");
    free(got);
    got = dump_n("a,\"b\0\"\n", 7);
    assert_string_equal(got, "ERR 1: field 2: NUL byte (not a text file?)");
    free(got);
    got = dump_n("\"b\"\0\n", 5);
    assert_string_equal(got, "ERR 1: field 1: NUL byte (not a text file?)");
    free(got);
}

/* A record "<field>,end\n" with a field of n bytes of c, quoted or not. */
static char *long_field(size_t n, bool quoted)
{
    char *text = malloc(n + 16);
    assert_non_null(text);
    char *p = text;
    if (quoted)
        *p++ = '"';
    memset(p, 'x', n);
    p += n;
    if (quoted)
        *p++ = '"';
    strcpy(p, ",end\n");
    return text;
}

static void test_field_size_cap(void **state)
{
    (void)state;
    const size_t mib = (size_t)1 << 20;
    for (int quoted = 0; quoted < 2; quoted++) {
        char *text = long_field(mib, quoted);
        FILE *in = fmemopen(text, strlen(text), "rb");
        kn_csv *csv;
        kn_err err = {0};
        assert_int_equal(kn_csv_open(in, &csv, &err), KN_OK);
        assert_int_equal(kn_csv_next(csv, &err), 1);
        assert_int_equal(strlen(kn_csv_field(csv, 0)), mib);
        assert_string_equal(kn_csv_field(csv, 1), "end");
        kn_csv_free(csv);
        fclose(in);
        free(text);

        text = long_field(mib + 1, quoted);
        char *got = dump(text);
        assert_string_equal(got, "ERR 1: field 1: longer than 1 MiB");
        free(got);
        free(text);
    }
}

/* Records long enough that block boundaries fall inside quotes, on doubled quotes and
 * between CR and LF. */
static void test_block_boundaries(void **state)
{
    (void)state;
    kn_buf text;
    kn_buf_init(&text, (size_t)1 << 30);
    const int nrec = 60000;
    for (int i = 0; i < nrec; i++)
        assert_int_equal(
            kn_buf_printf(&text, "%d,\"q\"\"%d\r\nx\",%.*s\r\n", i, i, i % 7, "abcdefg"), KN_OK);
    FILE *in = fmemopen(text.data, text.len, "rb");
    kn_csv *csv;
    kn_err err = {0};
    assert_int_equal(kn_csv_open(in, &csv, &err), KN_OK);
    for (int i = 0; i < nrec; i++) {
        assert_int_equal(kn_csv_next(csv, &err), 1);
        assert_int_equal(kn_csv_nfields(csv), 3);
        assert_int_equal(kn_csv_line(csv), 2L * i + 1);
        char want[64];
        snprintf(want, sizeof want, "%d", i);
        assert_string_equal(kn_csv_field(csv, 0), want);
        snprintf(want, sizeof want, "q\"%d\r\nx", i);
        assert_string_equal(kn_csv_field(csv, 1), want);
        snprintf(want, sizeof want, "%.*s", i % 7, "abcdefg");
        assert_string_equal(kn_csv_field(csv, 2), want);
    }
    assert_int_equal(kn_csv_next(csv, &err), 0);
    assert_int_equal(kn_csv_offset(csv), (int64_t)text.len);
    kn_csv_free(csv);
    fclose(in);
    kn_buf_free(&text);
}

/* Reads text and checks that it holds two records: field, then "z" starting on z_line. */
static void check_split(const char *text, size_t len, const char *field, long z_line)
{
    FILE *in = fmemopen((void *)text, len, "rb");
    kn_csv *csv;
    kn_err err = {0};
    assert_int_equal(kn_csv_open(in, &csv, &err), KN_OK);
    if (kn_csv_next(csv, &err) != 1)
        fail_msg("%s", err.msg);
    assert_int_equal(kn_csv_nfields(csv), 1);
    assert_string_equal(kn_csv_field(csv, 0), field);
    assert_int_equal(kn_csv_next(csv, &err), 1);
    assert_string_equal(kn_csv_field(csv, 0), "z");
    assert_int_equal(kn_csv_line(csv), z_line);
    assert_int_equal(kn_csv_next(csv, &err), 0);
    kn_csv_free(csv);
    fclose(in);
}

/* The pairs that must be read together (CR LF, doubled quote, closing quote and what follows)
 * split at every position around the usual block sizes. */
static void test_split_pairs(void **state)
{
    (void)state;
    static const size_t sizes[] = {4096, 65536, 131072, 262144, 1048576};
    const size_t max = 1048576 + 8;
    char *text = malloc(max + 64);
    char *want = malloc(max + 64);
    assert_non_null(text);
    assert_non_null(want);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (size_t n = sizes[s] - 4; n <= sizes[s] + 2; n++) {
            if (n < 8 || n > max)
                continue; /* never, but it tells the compiler the bounds of n */
            /* unquoted field, CRLF record end */
            memset(text, 'a', n);
            memcpy(text + n, "\r\nz\r\n", 5);
            memset(want, 'a', n);
            want[n] = '\0';
            if (n <= ((size_t)1 << 20))
                check_split(text, n + 5, want, 2);
            /* quoted field holding CRLF, then a doubled quote */
            text[0] = '"';
            memset(text + 1, 'a', n - 1);
            memcpy(text + n, "\r\nb\"\"\"\r\nz", 9);
            memset(want, 'a', n - 1);
            memcpy(want + n - 1, "\r\nb\"", 5);
            if (n + 3 <= ((size_t)1 << 20))
                check_split(text, n + 9, want, 3);
            /* doubled quote right at the split */
            memcpy(text + n, "\"\"\"\nz\n", 6);
            memset(want, 'a', n - 1);
            memcpy(want + n - 1, "\"", 2);
            if (n <= ((size_t)1 << 20))
                check_split(text, n + 6, want, 2);
        }
    }
    free(text);
    free(want);
}

static void test_offset(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF"
                       "ab,c\r\nd\n";
    FILE *in = fmemopen((void *)text, strlen(text), "rb");
    kn_csv *csv;
    kn_err err = {0};
    assert_int_equal(kn_csv_open(in, &csv, &err), KN_OK);
    assert_int_equal(kn_csv_offset(csv), 0);
    assert_int_equal(kn_csv_next(csv, &err), 1);
    assert_true(kn_csv_offset(csv) >= 8); /* the LF of CRLF may wait for the next call */
    assert_int_equal(kn_csv_next(csv, &err), 1);
    assert_int_equal(kn_csv_next(csv, &err), 0);
    assert_int_equal(kn_csv_offset(csv), (int64_t)strlen(text));
    kn_csv_free(csv);
    fclose(in);
}

static void test_writer_round_trip(void **state)
{
    (void)state;
    static const char *const fields[] = {
        "plain",    "with,comma", "with \"quote\"", "line1\nline2", "cr\r\nlf", "",
        " spaced ", "\"",         "lone\rcr",       "caf\xC3\xA9",  ",",        "end\n",
    };
    const size_t nf = sizeof fields / sizeof fields[0];
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    for (int rec = 0; rec < 3; rec++) {
        for (size_t i = 0; i < nf; i++) {
            if (i)
                putc(',', out);
            kn_csv_write_field(out, fields[(i + (size_t)rec) % nf]);
        }
        putc('\n', out);
    }
    assert_int_equal(fclose(out), 0);
    /* fields that need no quotes are written bare */
    assert_memory_equal(text, "plain,\"with,comma\",\"with \"\"quote\"\"\",", 36);

    FILE *in = fmemopen(text, len, "rb");
    kn_csv *csv;
    kn_err err = {0};
    assert_int_equal(kn_csv_open(in, &csv, &err), KN_OK);
    for (int rec = 0; rec < 3; rec++) {
        assert_int_equal(kn_csv_next(csv, &err), 1);
        assert_int_equal(kn_csv_nfields(csv), nf);
        for (size_t i = 0; i < nf; i++)
            assert_string_equal(kn_csv_field(csv, i), fields[(i + (size_t)rec) % nf]);
    }
    assert_int_equal(kn_csv_next(csv, &err), 0);
    kn_csv_free(csv);
    fclose(in);
    free(text);
}

static void test_temp_file(void **state)
{
    (void)state;
    char *dir = kt_tmpdir();
    char *path = kt_path(dir, "t.csv");
    kt_write_file(path, "at,note\r\n2025-01-01T10:00,\"two\r\nlines\"\r\n");
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    kn_csv *csv;
    kn_err err = {0};
    assert_int_equal(kn_csv_open(in, &csv, &err), KN_OK);
    assert_int_equal(kn_csv_next(csv, &err), 1);
    assert_int_equal(kn_csv_next(csv, &err), 1);
    assert_string_equal(kn_csv_field(csv, 1), "two\r\nlines");
    assert_int_equal(kn_csv_line(csv), 2);
    assert_int_equal(kn_csv_next(csv, &err), 0);
    kn_csv_free(csv);
    fclose(in);
    free(path);
    kt_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_records),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_embedded_newlines),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_final_record_without_newline),
        cmocka_unit_test(test_empty_fields_and_blank_lines),
        cmocka_unit_test(test_records_after_the_first),
        cmocka_unit_test(test_ragged_rows),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_field_size_cap),
        cmocka_unit_test(test_block_boundaries),
        cmocka_unit_test(test_split_pairs),
        cmocka_unit_test(test_offset),
        cmocka_unit_test(test_writer_round_trip),
        cmocka_unit_test(test_temp_file),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
