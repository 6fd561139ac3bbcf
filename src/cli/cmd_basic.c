/* knead init, person and regions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/correct.h"
#include "knead/interop.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

int cmd_init(cli_ctx *ctx, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse("init", NULL, 0, argc, argv, &a);
    if (rc != CLI_OK)
        return rc;
    if (a.help)
        return cli_help("init");
    if (a.npos)
        return cli_error(CLI_USAGE, "init: unexpected argument '%s'", a.pos[0]);
    kn_store *st;
    rc = cli_open(ctx, true, &st);
    if (rc != CLI_OK)
        return rc;
    printf("knead database ready at %s (schema %d)\n", ctx->db_path, kn_store_schema_version(st));
    kn_store_close(st);
    return CLI_OK;
}

static int person_add(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"--name", true, false}, {"--born", true, false}, {"--tz", true, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("person add", "person", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    kn_err err = {0};
    kn_person p;
    kn_person_init(&p);
    const char *name = cli_get(&a, "--name");
    const char *born = cli_get(&a, "--born");
    const char *tz = cli_get(&a, "--tz");
    if (!name) {
        rc = cli_error(CLI_USAGE, "person add: --name is required");
        goto clear_person;
    }
    kn_rc krc = KN_OK;
    while (*name == ' ')
        name++;
    if (!*name)
        krc = kn_err_set(&err, KN_EINVAL, "--name: must not be empty");
    if (krc == KN_OK)
        krc = kn_parse_text(name, KN_NAME_MAX, "--name", &p.name, &err);
    if (krc == KN_OK && born) {
        int this_year, month, day;
        kn_day_to_civil(kn_today(NULL), &this_year, &month, &day);
        krc = kn_parse_int(born, 1900, this_year, "--born", &p.born, &err);
    }
    if (krc == KN_OK && tz)
        krc = kn_zone_validate(tz, "--tz", &err);
    if (krc == KN_OK) {
        p.zone = strdup(tz ? tz : "UTC");
        if (!p.zone)
            krc = kn_err_set(&err, KN_ENOMEM, "out of memory");
    }
    if (krc == KN_OK)
        krc = kn_person_validate(&p, &err);
    if (krc != KN_OK) {
        rc = cli_fail(&err);
        goto clear_person;
    }
    kn_store *st;
    rc = cli_open(ctx, true, &st);
    if (rc != CLI_OK)
        goto clear_person;
    if (kn_store_begin(st) != KN_OK || kn_store_person_add(st, &p) != KN_OK ||
        kn_store_commit(st) != KN_OK) {
        kn_store_rollback(st);
        rc = cli_store_fail(st);
    } else {
        printf("%lld\n", (long long)p.id);
    }
    kn_store_close(st);
clear_person:
    kn_person_clear(&p);
    return rc;
}

static int person_list(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--json", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("person list", "person", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    kn_store *st;
    rc = cli_open_read(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    kn_person_list all;
    if (kn_store_person_list(st, &all) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    if (cli_has(&a, "--json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < all.n; i++)
            json_array_append_new(arr, kn_json_person(&all.items[i]));
        kn_err err = {0};
        if (kn_json_write(arr, stdout, &err) != KN_OK)
            rc = cli_fail(&err);
    } else if (all.n == 0) {
        printf("no persons yet (knead person add --name NAME)\n");
    } else {
        printf("%-4s  %-30s  %-5s  %s\n", "id", "name", "born", "zone");
        for (size_t i = 0; i < all.n; i++) {
            const kn_person *p = &all.items[i];
            char born[12] = "-";
            if (p->born != KN_NONE)
                snprintf(born, sizeof born, "%d", p->born);
            printf("%-4lld  %-30s  %-5s  %s\n", (long long)p->id, p->name, born, p->zone);
        }
    }
    kn_person_list_free(&all);
close_store:
    kn_store_close(st);
    return rc;
}

int cmd_person(cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        if (argc < 1) {
            cli_error(CLI_USAGE, "person: say add or list");
            cli_usage_hint("person");
            return CLI_USAGE;
        }
        return cli_help("person");
    }
    if (strcmp(argv[0], "add") == 0)
        return person_add(ctx, argc - 1, argv + 1);
    if (strcmp(argv[0], "list") == 0)
        return person_list(ctx, argc - 1, argv + 1);
    if (strcmp(argv[0], "delete") == 0)
        return cmd_person_delete(ctx, argc - 1, argv + 1);
    cli_error(CLI_USAGE, "person: unknown subcommand '%s' (add, list or delete)", argv[0]);
    return CLI_USAGE;
}

int cmd_regions(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    static const cli_opt opts[] = {{"--json", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("regions", "regions", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    if (cli_has(&a, "--json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < kn_region_count(); i++)
            json_array_append_new(arr, kn_json_region(kn_region_at(i)));
        kn_err err = {0};
        return kn_json_write(arr, stdout, &err) == KN_OK ? CLI_OK : cli_fail(&err);
    }
    printf("%-24s  %-6s  %s\n", "region ids", "view", "label");
    for (size_t i = 0; i < kn_region_count(); i++) {
        const kn_region *r = kn_region_at(i);
        char ids[2 * KN_REGION_MAX + 8];
        if (r->paired)
            snprintf(ids, sizeof ids, "%s_l %s_r", r->id, r->id);
        else
            snprintf(ids, sizeof ids, "%s", r->id);
        printf("%-24s  %-6s  %s\n", ids, r->view, r->label);
    }
    printf("\n%zu regions; paired ones take the person's own side (_l or _r).\n",
           kn_region_count());
    return CLI_OK;
}
