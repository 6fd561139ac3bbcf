/* Rules of the layers that the compiler does not check: the library speaks the domain's
 * words, never a face's (no CLI flag and no command in a string of src/ outside src/cli),
 * and a face turns a field error into its own words. */
#include "harness.h"

#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knead/error.h"

/* The string literals of C text, comments left out, joined by newlines. */
static char *string_literals(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(n + 2), *o = out;
    assert_non_null(out);
    for (const char *p = text; *p;) {
        if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
        } else if (p[0] == '/' && p[1] == '/') {
            p += strcspn(p, "\n");
        } else if (*p == '\'') {
            p++;
            while (*p && *p != '\'')
                p += *p == '\\' && p[1] ? 2 : 1;
            if (*p)
                p++;
        } else if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    *o++ = *p++;
                *o++ = *p;
            }
            *o++ = '\n';
            if (*p)
                p++;
        } else {
            p++;
        }
    }
    *o = '\0';
    return out;
}

static size_t scan_dir(const char *dir, const regex_t *face_words, char *found, size_t cap)
{
    size_t hits = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0)
            continue;
        char *path = kt_path(dir, e->d_name);
        char *text = kt_read_file(path);
        assert_non_null(text);
        char *lits = string_literals(text);
        for (char *line = strtok(lits, "\n"); line; line = strtok(NULL, "\n"))
            if (regexec(face_words, line, 0, NULL, 0) == 0) {
                hits++;
                size_t used = strlen(found);
                snprintf(found + used, cap - used, "%s: \"%s\"\n", e->d_name, line);
            }
        free(lits);
        free(text);
        free(path);
    }
    closedir(d);
    return hits;
}

static void test_library_strings_name_no_flag_or_command(void **state)
{
    (void)state;
    regex_t face_words;
    /* an option ("--pressure") or a command of the CLI ("'knead regions'", "knead intake)") */
    assert_int_equal(regcomp(&face_words,
                             "(^|[^-])--[a-z]|'knead [a-z]|knead (init|demo|log|checkin|session|"
                             "screen|intake|plan|brief|regions|person|therapist|import|export)\\b",
                             REG_EXTENDED | REG_NOSUB),
                     0);
    static const char *const layers[] = {"base", "atlas",  "diary",   "store",  "insight",
                                         "care", "report", "interop", "usecase"};
    char found[8192] = "";
    size_t hits = 0;
    for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/src/%s", KNEAD_SOURCE_DIR, layers[i]);
        hits += scan_dir(dir, &face_words, found, sizeof found);
    }
    regfree(&face_words);
    if (hits)
        fail_msg("library strings in a face's words:\n%s", found);
}

/* The scan itself finds what it looks for. */
static void test_scan_sees_a_flag(void **state)
{
    (void)state;
    char *lits = string_literals("/* \"--not\" */ x = \"--days %d: must\"; c = '\"';");
    assert_string_equal(lits, "--days %d: must\n");
    free(lits);
}

/* A field error reaches the CLI as its option, with the command to look things up. */
static void test_field_errors_in_the_faces_words(void **state)
{
    (void)state;
    kn_err err;
    kn_err_field(&err, KN_EINVAL, "max_pressure", "max_pressure %d: must be 1-10", 11);
    assert_string_equal(err.field, "max_pressure");
    char value[16];
    assert_string_equal(kn_err_value(&err, value, sizeof value), "11");
    assert_string_equal(kn_err_reason(&err), "must be 1-10");
    kn_err_prefix(&err, "clearance");
    assert_string_equal(err.msg, "clearance: max_pressure 11: must be 1-10");
    assert_string_equal(kn_err_value(&err, value, sizeof value), "11");
    assert_string_equal(kn_err_reason(&err), "must be 1-10");

    char *dir = kt_tmpdir();
    char *db = kt_path(dir, "k.db");
    kt_run_ok(dir, db, "person", "add", "--name", "T", NULL);
    kn_run r = kt_kneaddb(dir, db, "clearance", "add", "--question", "thunderclap", "--by",
                          "Dr Lee", "--max-pressure", "11", NULL);
    assert_int_not_equal(r.status, 0);
    assert_non_null(strstr(r.err, "--max-pressure 11: must be 1-10"));
    kt_run_free(&r);
    char *csv = kt_path(dir, "bad.csv");
    kt_write_file(csv, "at,region,intensity,qualities,note\n2026-01-02T10:00Z,elbow_q,4,,\n");
    r = kt_kneaddb(dir, db, "import", csv, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(
        strstr(r.err, "bad.csv:2: region elbow_q: unknown region (see 'knead regions')"));
    kt_run_free(&r);
    r = kt_kneaddb(dir, db, "import", "--person", "9", csv, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "person 9: no such person (see 'knead person list')"));
    kt_run_free(&r);
    free(csv);
    free(db);
    kt_rmtree(dir);
}

/* Every option name the CLI's code asks for (cli_get, cli_has, cli_count, cli_nth) is in an
 * option table of the same file ({"--name", ...}); the shared helpers of cli.c, in the table
 * of some command. A misspelt name is a test failure here, and a stop with the name when run
 * (opt_index), never a silent NULL. */
static void test_option_names_are_in_tables(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/src/cli", KNEAD_SOURCE_DIR);
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *all = calloc(1, 1);
    assert_non_null(all);
    char *names[64];
    char *texts[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        size_t len = strlen(e->d_name);
        if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0)
            continue;
        char *path = kt_path(dir, e->d_name);
        texts[n] = kt_read_file(path);
        assert_non_null(texts[n]);
        names[n++] = strdup(e->d_name);
        all = realloc(all, strlen(all) + strlen(texts[n - 1]) + 1);
        assert_non_null(all);
        strcat(all, texts[n - 1]);
        free(path);
    }
    closedir(d);
    assert_true(n > 10);
    regex_t use;
    assert_int_equal(
        regcomp(&use, "cli_(has|get|count|nth)\\([^,()]+, \"(--[a-z-]+)\"", REG_EXTENDED), 0);
    char found[4096] = "";
    size_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        const char *own = strcmp(names[i], "cli.c") == 0 ? all : texts[i];
        regmatch_t m[3];
        for (const char *p = texts[i]; regexec(&use, p, 3, m, 0) == 0; p += m[0].rm_eo) {
            char entry[64];
            snprintf(entry, sizeof entry, "{\"%.*s\",", (int)(m[2].rm_eo - m[2].rm_so),
                     p + m[2].rm_so);
            checked++;
            if (!strstr(own, entry)) {
                size_t used = strlen(found);
                snprintf(found + used, sizeof found - used, "%s: %s\n", names[i], entry + 1);
            }
        }
    }
    regfree(&use);
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        free(texts[i]);
    }
    free(all);
    assert_true(checked > 100);
    if (*found)
        fail_msg("option names used but in no option table:\n%s", found);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_sees_a_flag),
        cmocka_unit_test(test_library_strings_name_no_flag_or_command),
        cmocka_unit_test(test_field_errors_in_the_faces_words),
        cmocka_unit_test(test_option_names_are_in_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
