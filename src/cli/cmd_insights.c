/* knead insights: the insights of a person (src/insight/) as the plain-words report of
 * src/report/insights.c or as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "knead/insight.h"
#include "knead/interop.h"
#include "knead/report.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

int cmd_insights(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},
                                   {"--from", true, false},
                                   {"--to", true, false},
                                   {"--json", false, false},
                                   {"--details", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("insights", "insights", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    kn_err err = {0};
    kn_day from, to;
    kn_rc krc = cli_date_range(&a, &from, &to, &err);
    if (krc != KN_OK)
        return cli_fail(&err);
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person_read(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    kn_insights ins;
    if (kn_insights_load(st, p.id, from, to, &ins, &err) != KN_OK) {
        rc = cli_fail_as(CLI_FAIL, &err);
        goto free_insights;
    }
    if (cli_has(&a, "--json")) {
        char *text = NULL;
        size_t len = 0;
        if (kn_json_insights_text(&ins, true, &text, &len, &err) != KN_OK)
            rc = cli_fail_as(CLI_FAIL, &err);
        else if (fwrite(text, 1, len, stdout) != len)
            rc = cli_error(CLI_FAIL, "cannot write to standard output");
        free(text);
    } else {
        char *text = NULL;
        if (kn_insights_render(&p, &ins, cli_has(&a, "--details"), &text, &err) != KN_OK)
            rc = cli_fail_as(CLI_FAIL, &err);
        else if (fputs(text, stdout) == EOF)
            rc = cli_error(CLI_FAIL, "cannot write to standard output");
        free(text);
    }
free_insights:
    kn_insights_free(&ins);
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}
