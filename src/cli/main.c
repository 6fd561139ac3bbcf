/* knead: the command-line face. Resolves the database path, then hands the rest of the
 * command line to one command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/correct.h"
#include "knead/knead.h"

typedef int (*command_fn)(cli_ctx *ctx, int argc, char **argv);

static const struct {
    const char *name;
    command_fn fn;
} commands[] = {
    {"init", cmd_init},           {"person", cmd_person},
    {"regions", cmd_regions},     {"log", cmd_log},
    {"checkin", cmd_checkin},     {"session", cmd_session},
    {"diary", cmd_diary},         {"import", cmd_import},
    {"export", cmd_export},       {"demo", cmd_demo},
    {"triggers", cmd_triggers},   {"condition", cmd_condition},
    {"screen", cmd_screen},       {"insights", cmd_insights},
    {"therapist", cmd_therapist}, {"intake", cmd_intake},
    {"plan", cmd_plan},           {"brief", cmd_brief},
    {"clearance", cmd_clearance}, {"edit", cmd_edit},
    {"delete", cmd_delete},
};

static char default_path[4096];

static int resolve_db(cli_ctx *ctx, const char *given)
{
    if (given) {
        if (!*given)
            return cli_error(CLI_USAGE, "--db: must not be empty");
        ctx->db_path = given;
        return CLI_OK;
    }
    const char *env = getenv("KNEAD_DB");
    if (env && *env) {
        ctx->db_path = env;
        return CLI_OK;
    }
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(default_path, sizeof default_path, "%s/knead/knead.db", xdg);
    else if (home && *home)
        snprintf(default_path, sizeof default_path, "%s/.local/share/knead/knead.db", home);
    else
        return cli_error(CLI_USAGE, "no database path: give --db PATH or set KNEAD_DB");
    ctx->db_path = default_path;
    ctx->db_is_default = true;
    return CLI_OK;
}

int main(int argc, char **argv)
{
    cli_ctx ctx = {.argv0 = argv[0]};
    kn_err err;
    if (kn_init(&err) != KN_OK)
        return cli_error(CLI_FAIL, "%s", err.msg);
    const char *db = NULL;
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc)
                return cli_error(CLI_USAGE, "--db needs a value");
            db = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            db = argv[i] + 5;
            i++;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            return cli_help(NULL);
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("knead 0.1.0\n");
            return CLI_OK;
        } else {
            cli_error(CLI_USAGE, "unknown option %s", argv[i]);
            fprintf(stderr, "Try 'knead help'.\n");
            return CLI_USAGE;
        }
    }
    if (i >= argc) {
        cli_help(NULL);
        return CLI_USAGE;
    }
    const char *name = argv[i];
    if (strcmp(name, "help") == 0) {
        /* "knead help session show": that sub-command's usage */
        if (i + 3 < argc)
            return cli_error(CLI_USAGE, "help: takes a command and at most one sub-command");
        if (i + 2 < argc)
            return cli_help_sub(argv[i + 1], argv[i + 2]);
        return cli_help(i + 1 < argc ? argv[i + 1] : NULL);
    }
    int rc = resolve_db(&ctx, db);
    if (rc != CLI_OK)
        return rc;
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (strcmp(commands[k].name, name) == 0)
            return commands[k].fn(&ctx, argc - i - 1, argv + i + 1);
    cli_error(CLI_USAGE, "unknown command '%s'", name);
    fprintf(stderr, "Try 'knead help'.\n");
    return CLI_USAGE;
}
