/* Regression tests of issue 11's friction, through the real binary: sub-command help, plan
 * previews and --save, readable intake, therapists by name, state errors, a sentence for
 * every write, absent values as null, feedback inside its session, medicines with doses. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Runs knead on w and expects status; frees the run. */
static void expect(int status, kn_run r)
{
    if (r.status != status)
        fail_msg("exit %d, not %d: %s%s", r.status, status, r.out, r.err);
    kt_run_free(&r);
}

/* ---- 6. help COMMAND SUBCOMMAND prints that sub-command's usage ---- */

static void test_help_of_a_subcommand(void **state)
{
    (void)state;
    static const char *const subs[][2] = {
        {"session", "add"},     {"session", "start"},  {"session", "feedback"},
        {"session", "finish"},  {"session", "note"},   {"session", "sign"},
        {"session", "amend"},   {"session", "show"},   {"session", "cancel"},
        {"therapist", "add"},   {"therapist", "list"}, {"therapist", "show"},
        {"therapist", "match"}, {"person", "add"},     {"person", "list"},
        {"person", "delete"},   {"edit", "pain"},      {"edit", "checkin"},
        {"edit", "session"},    {"delete", "pain"},    {"delete", "checkin"},
        {"delete", "session"},  {"clearance", "add"},  {"clearance", "list"},
    };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        kn_run r = kt_kneadl(NULL, "help", subs[i][0], subs[i][1], NULL);
        kt_ok(&r);
        char want[64];
        snprintf(want, sizeof want, "usage: knead %s %s", subs[i][0], subs[i][1]);
        if (strncmp(r.out, want, strlen(want)) != 0)
            fail_msg("help %s %s printed: %s", subs[i][0], subs[i][1], r.out);
        /* only that one: no other sub-command's usage line */
        char other[64];
        snprintf(other, sizeof other, "knead %s ", subs[i][0]);
        const char *second = strstr(r.out + strlen("usage: "), other);
        if (second && strncmp(second + strlen(other), subs[i][1], strlen(subs[i][1])) != 0)
            fail_msg("help %s %s printed another sub-command: %s", subs[i][0], subs[i][1], r.out);
        kt_run_free(&r);
    }
    kn_run r = kt_kneadl(NULL, "help", "session", "show", NULL);
    kt_ok(&r);
    assert_null(strstr(r.out, "session add"));
    kt_run_free(&r);
    r = kt_kneadl(NULL, "help", "session", "bogus", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "bogus"));
    kt_run_free(&r);
    expect(0, kt_kneadl(NULL, "help", "session", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_of_a_subcommand),
    };
    return cmocka_run_group_tests_name("friction2", tests, NULL, NULL);
}
