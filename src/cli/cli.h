/* Shared plumbing of the knead command-line face: option parsing, opening the store,
 * choosing the person, and reporting errors. Commands only parse, call the library, print. */
#ifndef KN_CLI_H
#define KN_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "knead/error.h"
#include "knead/store.h"

/* Exit codes: 0 ok, 1 failure, 2 usage error. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef struct cli_ctx {
    const char *db_path; /* resolved: --db, $KNEAD_DB, or the XDG default */
    bool db_is_default;
    const char *argv0;
} cli_ctx;

/* One option of a command. */
typedef struct cli_opt {
    const char *name; /* "--person" */
    bool takes_value;
    bool repeatable;
} cli_opt;

#define CLI_MAX_VALUES 64

typedef struct cli_args {
    const cli_opt *opts;
    size_t nopts;
    const char *values[32][CLI_MAX_VALUES]; /* per option: its values, in order */
    size_t nvalues[32];
    const char *pos[CLI_MAX_VALUES]; /* positional arguments */
    size_t npos;
    bool help;
} cli_args;

/* Parses argv (after the command words) against opts. On a usage error prints it and returns
 * CLI_USAGE; otherwise CLI_OK. */
int cli_parse(const char *cmd, const cli_opt *opts, size_t nopts, int argc, char **argv,
              cli_args *out);
/* cli_parse for a command that takes options only, with its help under topic: true when the
 * command is to run; false when it is not, with *status the exit status (the help printed,
 * or the usage error, an unexpected argument among them, reported). */
bool cli_parse_options(const char *cmd, const char *topic, const cli_opt *opts, size_t nopts,
                       int argc, char **argv, cli_args *out, int *status);
/* The last value of an option, or NULL. */
const char *cli_get(const cli_args *a, const char *name);
bool cli_has(const cli_args *a, const char *name);
size_t cli_count(const cli_args *a, const char *name);
const char *cli_nth(const cli_args *a, const char *name, size_t i);

/* Prints "knead: message" on stderr and returns code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports a library error: KN_EINVAL from argument parsing is a usage error. */
int cli_fail(const kn_err *err);
/* The same with the exit code given. */
int cli_fail_as(int code, const kn_err *err);
/* A library error in this face's words: a field named as its option ("--pressure 11: must
 * be 1-10"), with a hint of the command to try where there is one. */
void cli_err_text(const kn_err *err, char *out, size_t cap);
int cli_store_fail(kn_store *st);

/* Opens the database; create says whether a missing one is made. */
int cli_open(const cli_ctx *ctx, bool create, kn_store **out);
/* Resolves --person: the given id, or the only person in the database. Loads the person. */
int cli_person(kn_store *st, const cli_args *a, kn_person *out);
/* cli_open (no creating) and cli_person together; on failure the store is closed again and
 * *p left initialised, so the caller only returns the status. */
int cli_open_person(const cli_ctx *ctx, const cli_args *a, kn_store **st, kn_person *p);
/* The same for commands that only read: the store is opened read-only, so they work on a
 * database the user may read but not write. */
int cli_open_read(const cli_ctx *ctx, kn_store **out);
int cli_open_person_read(const cli_ctx *ctx, const cli_args *a, kn_store **st, kn_person *p);

/* The therapist a --therapist value names (an id, or a name that is exactly one
 * therapist's; kn_therapist_resolve), with the name on record into *name when name is not
 * NULL (the caller frees it). Reports an unknown or ambiguous one (exit 1). */
int cli_therapist(kn_store *st, const char *given, int64_t *id, char **name);

/* --from and --to (inclusive local dates, KN_DAY_ANY when not given), checked in order. */
kn_rc cli_date_range(const cli_args *a, kn_day *from, kn_day *to, kn_err *err);
/* Ends a write command's transaction: commits when rc is KN_OK, else rolls back; reports
 * the failure (err's message, or the store's when the commit fails). */
int cli_write_done(kn_store *st, kn_rc rc, const kn_err *err);

/* Reads one line of stdin without its newline; false at end of input. */
bool cli_read_line(char *buf, size_t cap);
/* Asks the red-flag and contraindication questions on the terminal (prompts on stderr),
 * skipping those s already answers. */
kn_rc cli_ask_screening(kn_screening *s, kn_err *err);

/* Prints what kn_plan_clamp changed in stored (none: nothing). */
struct kn_plan_change;
void cli_print_plan_changes(FILE *out, const kn_plan *stored, const struct kn_plan_change *c,
                            size_t n);

/* Prints the help of a command (or the overview when name is NULL); returns CLI_OK. */
/* The closing "Sources" list of the citations c collected: one line per source, blank line
 * first; nothing when c is empty. */
void cli_print_sources(const kn_citations *c);

int cli_help(const char *name);
/* Prints the usage of one sub-command ("session show"); exit 2 when there is none. */
int cli_help_sub(const char *name, const char *sub);
void cli_usage_hint(const char *cmd);

/* Commands. Each gets the argv that follows its own name. */
int cmd_init(cli_ctx *ctx, int argc, char **argv);
int cmd_person(cli_ctx *ctx, int argc, char **argv);
int cmd_regions(cli_ctx *ctx, int argc, char **argv);
int cmd_log(cli_ctx *ctx, int argc, char **argv);
int cmd_checkin(cli_ctx *ctx, int argc, char **argv);
int cmd_session(cli_ctx *ctx, int argc, char **argv);
int cmd_diary(cli_ctx *ctx, int argc, char **argv);
int cmd_import(cli_ctx *ctx, int argc, char **argv);
int cmd_export(cli_ctx *ctx, int argc, char **argv);
int cmd_demo(cli_ctx *ctx, int argc, char **argv);
int cmd_triggers(cli_ctx *ctx, int argc, char **argv);
int cmd_condition(cli_ctx *ctx, int argc, char **argv);
int cmd_screen(cli_ctx *ctx, int argc, char **argv);
int cmd_insights(cli_ctx *ctx, int argc, char **argv);
int cmd_therapist(cli_ctx *ctx, int argc, char **argv);
int cmd_intake(cli_ctx *ctx, int argc, char **argv);
int cmd_plan(cli_ctx *ctx, int argc, char **argv);
int cmd_brief(cli_ctx *ctx, int argc, char **argv);
int cmd_clearance(cli_ctx *ctx, int argc, char **argv);
/* The live-session subcommands of knead session (start, feedback, finish, note, sign,
 * amend, show); returns -1 when sub is none of them. */
int cmd_session_live(cli_ctx *ctx, const char *sub, int argc, char **argv);

#endif
