/* What the commands that correct the record (edit, delete, log's repeats, person delete)
 * share: records described in words for the sentences they print. */
#ifndef KN_CLI_CORRECT_H
#define KN_CLI_CORRECT_H

#include <stddef.h>

#include "cli/cli.h"
#include "knead/diary.h"

/* "back of neck, right" for neck_back_r (the id itself when it is not a region). */
void cli_region_words(const char *sided, char *buf, size_t cap);
/* "2026-12-01 09:00" in the instant's own offset. */
void cli_when_words(kn_instant at, char *buf, size_t cap);
/* "back of neck, right, 6/10 on 2026-11-30" */
void cli_pain_words(const kn_pain *p, char *buf, size_t cap);

struct cli_args;
/* The check-in fields of the checkin command's options (--stress ... --note) into c. */
kn_rc cli_parse_checkin(const struct cli_args *a, kn_checkin *c, kn_err *err);

int cmd_edit(cli_ctx *ctx, int argc, char **argv);
int cmd_delete(cli_ctx *ctx, int argc, char **argv);
/* knead person delete ID [--yes] */
int cmd_person_delete(cli_ctx *ctx, int argc, char **argv);

#endif
