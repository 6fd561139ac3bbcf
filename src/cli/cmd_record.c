/* knead log, checkin and session add: recording the diary from the command line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/correct.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

/* --at TIME in the person's zone, --date DAY at 12:00 there (an entry for a day whose time
 * is not known sits at its middle; only for a command that has --date), or now. */
static kn_rc parse_at(const cli_args *a, bool takes_date, const kn_person *p, kn_instant *out,
                      kn_err *err)
{
    const char *at = cli_get(a, "--at");
    const char *date = takes_date ? cli_get(a, "--date") : NULL;
    if (at && date)
        return kn_err_set(err, KN_EINVAL, "--date: give either --date or --at, not both");
    if (at)
        return kn_instant_parse(at, p->zone, "--at", out, err);
    if (date) {
        kn_day day;
        char noon[KN_DATE_LEN + 8];
        if (kn_date_parse(date, "--date", &day, err) != KN_OK)
            return KN_EINVAL;
        kn_date_format(day, noon);
        strcat(noon, "T12:00");
        return kn_instant_parse(noon, p->zone, "--date", out, err);
    }
    return kn_instant_now(p->zone, out, err);
}

/* Runs one write under a transaction and reports the outcome. */
static int finish_write(kn_store *st, kn_rc rc)
{
    if (rc == KN_OK && kn_store_commit(st) == KN_OK)
        return CLI_OK;
    kn_store_rollback(st);
    return cli_store_fail(st);
}

int cmd_log(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},    {"--region", true, true},
                                   {"--intensity", true, false}, {"--quality", true, true},
                                   {"--at", true, false},        {"--note", true, false},
                                   {"--date", true, false},      {"--replace", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("log", "log", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    if (!cli_count(&a, "--region"))
        return cli_error(CLI_USAGE, "log: --region is required (see knead regions)");
    if (!cli_has(&a, "--intensity"))
        return cli_error(CLI_USAGE, "log: --intensity is required (0-10)");

    kn_err err = {0};
    kn_pain entry;
    kn_pain_init(&entry);
    char regions[CLI_MAX_VALUES][KN_REGION_MAX];
    size_t nregions = 0;
    kn_rc krc =
        kn_parse_int(cli_get(&a, "--intensity"), 0, 10, "--intensity", &entry.intensity, &err);
    for (size_t i = 0; krc == KN_OK && i < cli_count(&a, "--region"); i++) {
        char list[1024];
        const char *given = cli_nth(&a, "--region", i);
        size_t len = strlen(given);
        if (len == 0 || given[0] == ',' || given[len - 1] == ',' || strstr(given, ",,")) {
            krc = kn_err_set(&err, KN_EINVAL, "--region '%s': empty item in list", given);
            break;
        }
        snprintf(list, sizeof list, "%s", given);
        char *save = NULL;
        for (char *r = strtok_r(list, ",", &save); krc == KN_OK && r;
             r = strtok_r(NULL, ",", &save)) {
            if (nregions == CLI_MAX_VALUES)
                krc = kn_err_set(&err, KN_EINVAL, "--region: too many regions");
            if (krc == KN_OK)
                krc = kn_parse_region(r, "--region", regions[nregions], &err);
            if (krc == KN_OK)
                nregions++;
        }
    }
    if (krc == KN_OK && nregions == 0)
        krc = kn_err_set(&err, KN_EINVAL, "--region: give at least one region");
    for (size_t i = 0; krc == KN_OK && i < cli_count(&a, "--quality"); i++) {
        kn_qualities q;
        krc = kn_qualities_parse(cli_nth(&a, "--quality", i), ',', "--quality", &q, &err);
        entry.qualities |= q;
    }
    if (krc == KN_OK && cli_has(&a, "--note"))
        krc = kn_parse_text(cli_get(&a, "--note"), KN_NOTE_MAX, "--note", &entry.note, &err);
    if (krc != KN_OK) {
        rc = cli_fail(&err);
        goto clear_entry;
    }

    kn_store *st;
    kn_person p;
    rc = cli_open_person(ctx, &a, &st, &p);
    if (rc != CLI_OK)
        goto clear_entry;
    if (parse_at(&a, true, &p, &entry.at, &err) != KN_OK ||
        kn_plausible_instant(entry.at, p.born, "--at", &err) != KN_OK) {
        rc = cli_fail(&err);
        goto close_store;
    }
    entry.person_id = p.id;
    entry.day = kn_instant_day(entry.at);
    size_t added = 0, replaced = 0;
    bool replace = cli_has(&a, "--replace");
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    for (size_t i = 0; krc == KN_OK && i < nregions; i++) {
        bool was_added = false, found = false;
        memcpy(entry.region, regions[i], KN_REGION_MAX);
        kn_pain old;
        krc = kn_store_pain_find(st, p.id, entry.at, entry.region, &old, &found);
        if (krc != KN_OK) {
            kn_store_error(st, &err);
        } else if (found && !replace) {
            /* A second entry at the same instant and region is a correction or a slip:
             * saying nothing would leave the person believing the new value counts. */
            char where[KN_NAME_MAX], when[32];
            cli_region_words(old.region, where, sizeof where);
            cli_when_words(old.at, when, sizeof when);
            krc = kn_err_set(&err, KN_EREFUSED,
                             "an entry for %s at %s is already there (%d/10): use --replace to "
                             "change it, or knead edit pain %lld",
                             where, when, old.intensity, (long long)old.id);
        } else if (found) {
            entry.id = old.id;
            krc = kn_store_pain_update(st, &entry);
            if (krc != KN_OK)
                kn_store_error(st, &err);
            replaced++;
        } else {
            krc = kn_store_pain_add(st, &entry, &was_added);
            if (krc != KN_OK)
                kn_store_error(st, &err);
            added += was_added;
        }
        kn_pain_clear(&old);
    }
    rc = cli_write_done(st, krc, &err);
    if (rc == CLI_OK) {
        char at[KN_INSTANT_LEN];
        kn_instant_format(entry.at, at);
        if (replaced && !added)
            printf("Replaced %zu pain entr%s for %s at %s.\n", replaced,
                   replaced == 1 ? "y" : "ies", p.name, at);
        else if (replaced)
            printf("Logged %zu and replaced %zu pain entries for %s at %s.\n", added, replaced,
                   p.name, at);
        else
            printf("Logged %zu pain entr%s for %s at %s.\n", added, added == 1 ? "y" : "ies",
                   p.name, at);
    }
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
clear_entry:
    kn_pain_clear(&entry);
    return rc;
}

kn_rc cli_parse_checkin(const cli_args *a, kn_checkin *c, kn_err *err)
{
    const char *v;
    kn_rc rc = KN_OK;
    if ((v = cli_get(a, "--stress")))
        rc = kn_parse_int(v, 0, 10, "--stress", &c->stress, err);
    if (rc == KN_OK && (v = cli_get(a, "--sleep-hours")))
        rc = kn_parse_tenths(v, 0, 24, "--sleep-hours", &c->sleep_hours, err);
    if (rc == KN_OK && (v = cli_get(a, "--sleep-quality")))
        rc = kn_parse_int(v, 0, 10, "--sleep-quality", &c->sleep_quality, err);
    if (rc == KN_OK && (v = cli_get(a, "--routine")))
        rc = kn_parse_routine(v, "--routine", &c->routine, err);
    if (rc == KN_OK && cli_has(a, "--pain-free"))
        c->pain_free = 1;
    for (size_t i = 0; rc == KN_OK && i < cli_count(a, "--tag"); i++) {
        char *tag = NULL;
        rc = kn_parse_tag(cli_nth(a, "--tag", i), "--tag", &tag, err);
        if (rc == KN_OK)
            rc = kn_checkin_add_tag(c, tag, err);
        free(tag);
    }
    for (size_t i = 0; rc == KN_OK && i < cli_count(a, "--treatment"); i++) {
        kn_treatment t;
        rc = kn_parse_treatment(cli_nth(a, "--treatment", i), "--treatment", &t, err);
        if (rc == KN_OK) {
            rc = kn_checkin_add_treatment(c, &t, err);
            free(t.name);
            free(t.dose);
        }
    }
    if (rc == KN_OK && (v = cli_get(a, "--peg")))
        rc = kn_parse_peg(v, "--peg", c->peg, err);
    if (rc == KN_OK && (v = cli_get(a, "--note")))
        rc = kn_parse_text(v, KN_NOTE_MAX, "--note", &c->note, err);
    return rc;
}

int cmd_checkin(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},        {"--date", true, false},
                                   {"--stress", true, false},        {"--sleep-hours", true, false},
                                   {"--sleep-quality", true, false}, {"--routine", true, false},
                                   {"--pain-free", false, false},    {"--tag", true, true},
                                   {"--treatment", true, true},      {"--peg", true, false},
                                   {"--note", true, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("checkin", "checkin", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    kn_err err = {0};
    kn_checkin c;
    kn_checkin_init(&c);
    const char *date = cli_get(&a, "--date");
    kn_rc krc = cli_parse_checkin(&a, &c, &err);
    if (krc == KN_OK && date)
        krc = kn_date_parse(date, "--date", &c.day, &err);
    if (krc != KN_OK) {
        rc = cli_fail(&err);
        goto clear_checkin;
    }
    kn_store *st;
    kn_person p;
    rc = cli_open_person(ctx, &a, &st, &p);
    if (rc != CLI_OK)
        goto clear_checkin;
    c.person_id = p.id;
    if (!date)
        c.day = kn_today(p.zone);
    bool changed = false;
    if (kn_plausible_day(c.day, p.born, "--date", &err) != KN_OK) {
        rc = cli_fail(&err);
        goto close_store;
    }
    krc = kn_store_begin(st);
    if (krc == KN_OK)
        krc = kn_store_checkin_put(st, &c, &changed);
    rc = finish_write(st, krc);
    if (rc == CLI_OK) {
        char day[KN_DATE_LEN];
        kn_date_format(c.day, day);
        printf(changed ? "Recorded the check-in of %s for %s.\n"
                       : "The check-in of %s for %s is unchanged: nothing to record.\n",
               p.name, day);
    }
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
clear_checkin:
    kn_checkin_clear(&c);
    return rc;
}

static int session_add(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"--person", true, false}, {"--minutes", true, false},  {"--therapist", true, false},
        {"--work", true, true},    {"--technique", true, true}, {"--pre", true, false},
        {"--post", true, false},   {"--at", true, false},       {"--note", true, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("session add", "session", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    if (!cli_has(&a, "--minutes"))
        return cli_error(CLI_USAGE, "session add: --minutes is required");
    if (!cli_has(&a, "--therapist"))
        return cli_error(CLI_USAGE, "session add: --therapist is required");
    if (!cli_count(&a, "--work"))
        return cli_error(CLI_USAGE, "session add: --work REGION:PRESSURE[:DISCOMFORT] is required");
    kn_err err = {0};
    kn_session s;
    kn_session_init(&s);
    const char *v;
    kn_rc krc = kn_parse_int(cli_get(&a, "--minutes"), 1, 600, "--minutes", &s.minutes, &err);
    if (krc == KN_OK) {
        const char *t = cli_get(&a, "--therapist");
        while (*t == ' ')
            t++;
        krc = *t ? kn_parse_text(t, KN_NAME_MAX, "--therapist", &s.therapist, &err)
                 : kn_err_set(&err, KN_EINVAL, "--therapist: must not be empty");
    }
    for (size_t i = 0; krc == KN_OK && i < cli_count(&a, "--work"); i++) {
        kn_work w;
        krc = kn_parse_work(cli_nth(&a, "--work", i), "--work", &w, &err);
        if (krc == KN_OK)
            krc = kn_session_add_work(&s, &w, &err);
    }
    for (size_t i = 0; krc == KN_OK && i < cli_count(&a, "--technique"); i++) {
        char *t = NULL;
        krc = kn_parse_word(cli_nth(&a, "--technique", i), "--technique", &t, &err);
        if (krc == KN_OK)
            krc = kn_session_add_technique(&s, t, &err);
        free(t);
    }
    if (krc == KN_OK && (v = cli_get(&a, "--pre")))
        krc = kn_parse_int(v, 0, 10, "--pre", &s.pre_pain, &err);
    if (krc == KN_OK && (v = cli_get(&a, "--post")))
        krc = kn_parse_int(v, 0, 10, "--post", &s.post_pain, &err);
    if (krc == KN_OK && (v = cli_get(&a, "--note")))
        krc = kn_parse_text(v, KN_NOTE_MAX, "--note", &s.note, &err);
    if (krc != KN_OK) {
        rc = cli_fail(&err);
        goto clear_session;
    }
    kn_store *st;
    kn_person p;
    rc = cli_open_person(ctx, &a, &st, &p);
    if (rc != CLI_OK)
        goto clear_session;
    if (parse_at(&a, false, &p, &s.at, &err) != KN_OK ||
        kn_plausible_instant(s.at, p.born, "--at", &err) != KN_OK) {
        rc = cli_fail(&err);
        goto close_store;
    }
    /* the therapist on record that --therapist names: an id, or their name */
    int64_t therapist;
    free(s.therapist);
    s.therapist = NULL;
    if ((rc = cli_therapist(st, cli_get(&a, "--therapist"), &therapist, &s.therapist)) != CLI_OK)
        goto close_store;
    s.person_id = p.id;
    s.day = kn_instant_day(s.at);
    bool added = false;
    krc = kn_store_begin(st);
    if (krc == KN_OK)
        krc = kn_store_session_add(st, &s, &added);
    rc = finish_write(st, krc);
    if (rc == CLI_OK) {
        if (added)
            printf("Added session %lld for %s: %d min with %s.\n", (long long)s.id, p.name,
                   s.minutes, s.therapist);
        else
            printf("A session of %s is already recorded at that time: nothing added.\n", p.name);
    }
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
clear_session:
    kn_session_clear(&s);
    return rc;
}

int cmd_session(cli_ctx *ctx, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "add") == 0)
        return session_add(ctx, argc - 1, argv + 1);
    if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
        return cli_help("session");
    int live = argc >= 1 ? cmd_session_live(ctx, argv[0], argc - 1, argv + 1) : -1;
    if (live >= 0)
        return live;
    cli_error(CLI_USAGE,
              argc ? "session: unknown subcommand '%s' (add, start, feedback, finish, note, "
                     "sign, amend, show)"
                   : "session: say add, start, feedback, finish, note, sign, amend or show%s",
              argc ? argv[0] : "");
    cli_usage_hint("session");
    return CLI_USAGE;
}
