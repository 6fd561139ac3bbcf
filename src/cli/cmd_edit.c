/* knead edit and knead delete (pain entries by id, check-ins by date, sessions by id) and
 * knead person delete: correcting the record. A record is reached only through the person it
 * belongs to (--person or the only one); a signed session is changed only by amending its
 * note. Every write is one transaction and says in one sentence what it did. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/correct.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

void cli_region_words(const char *sided, char *buf, size_t cap)
{
    int i = kn_sided_find(sided);
    if (i < 0) {
        snprintf(buf, cap, "%s", sided);
        return;
    }
    const kn_region *r = kn_sided_region(i);
    char side = kn_sided_side(i);
    snprintf(buf, cap, "%s%s", r->label, side == 'l' ? ", left" : side == 'r' ? ", right" : "");
    if (buf[0] >= 'A' && buf[0] <= 'Z')
        buf[0] = (char)(buf[0] - 'A' + 'a');
}

void cli_when_words(kn_instant at, char *buf, size_t cap)
{
    char s[KN_INSTANT_LEN];
    kn_instant_format(at, s);
    snprintf(buf, cap, "%.10s %.5s", s, s + 11);
}

void cli_pain_words(const kn_pain *p, char *buf, size_t cap)
{
    char where[KN_NAME_MAX], date[KN_DATE_LEN];
    cli_region_words(p->region, where, sizeof where);
    kn_date_format(p->day, date);
    snprintf(buf, cap, "%s, %d/10 on %s", where, p->intensity, date);
}

static void session_words(const kn_session *s, char *buf, size_t cap)
{
    char date[KN_DATE_LEN];
    kn_date_format(s->day, date);
    const char *who = kn_session_therapist(s);
    snprintf(buf, cap, "%s, %d min %s%s", date, s->minutes, who ? "with " : "",
             who ? who : "(therapist not recorded)");
}

/* The one positional argument of an edit or delete: a record id, or a date for check-ins. */
static int one_key(const cli_args *a, const char *cmd, const char *what)
{
    if (a->npos != 1)
        return cli_error(CLI_USAGE, "%s: give one %s", cmd, what);
    return CLI_OK;
}

/* ---- pain entries ---- */

/* The pain entry id of person p into e; exit 1 when there is none of theirs. */
static int own_pain(kn_store *st, const kn_person *p, int64_t id, kn_pain *e)
{
    bool found = false;
    if (kn_store_pain_get(st, id, e, &found) != KN_OK)
        return cli_store_fail(st);
    if (!found || e->person_id != p->id)
        return cli_error(CLI_FAIL, "no pain entry %lld for this person", (long long)id);
    return CLI_OK;
}

static int pain_change(cli_ctx *ctx, bool del, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},
                                   {"--intensity", true, false},
                                   {"--region", true, false},
                                   {"--quality", true, true},
                                   {"--note", true, false}};
    const char *cmd = del ? "delete pain" : "edit pain";
    cli_args a;
    int rc = cli_parse(cmd, opts, del ? 1 : NOPTS(opts), argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help(del ? "delete" : "edit") : rc;
    if ((rc = one_key(&a, cmd, "pain entry id")) != CLI_OK)
        return rc;
    kn_err err = {0};
    int64_t id;
    if (kn_parse_id(a.pos[0], "pain entry", &id, &err) != KN_OK)
        return cli_fail(&err);
    if (!del && !cli_has(&a, "--intensity") && !cli_has(&a, "--region") &&
        !cli_has(&a, "--quality") && !cli_has(&a, "--note"))
        return cli_error(CLI_USAGE, "edit pain: give --intensity, --region, --quality or --note");
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    kn_pain e;
    kn_pain_init(&e);
    char was[KN_NAME_MAX + 32], now[KN_NAME_MAX + 32];
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    if ((rc = own_pain(st, &p, id, &e)) != CLI_OK) {
        kn_store_rollback(st);
        goto close_store;
    }
    cli_pain_words(&e, was, sizeof was);
    kn_rc krc = KN_OK;
    const char *v;
    if (!del && (v = cli_get(&a, "--intensity")))
        krc = kn_parse_int(v, 0, 10, "--intensity", &e.intensity, &err);
    if (krc == KN_OK && !del && (v = cli_get(&a, "--region"))) {
        const kn_region *reg;
        char side;
        krc = kn_region_parse(v, "--region", &reg, &side, &err);
        if (krc == KN_OK)
            snprintf(e.region, sizeof e.region, "%s", v);
    }
    if (krc == KN_OK && !del && cli_has(&a, "--quality")) {
        e.qualities = 0;
        for (size_t i = 0; krc == KN_OK && i < cli_count(&a, "--quality"); i++) {
            kn_qualities q;
            krc = kn_qualities_parse(cli_nth(&a, "--quality", i), ',', "--quality", &q, &err);
            e.qualities |= q;
        }
    }
    if (krc == KN_OK && !del && (v = cli_get(&a, "--note"))) {
        free(e.note);
        e.note = NULL;
        if (*v)
            krc = kn_parse_text(v, KN_NOTE_MAX, "--note", &e.note, &err);
    }
    if (krc == KN_OK) {
        krc = del ? kn_store_pain_delete(st, id) : kn_store_pain_update(st, &e);
        if (krc != KN_OK)
            kn_store_error(st, &err);
    }
    rc = cli_write_done(st, krc, &err);
    if (rc == CLI_OK && del) {
        printf("Deleted pain entry %lld (%s).\n", (long long)id, was);
    } else if (rc == CLI_OK) {
        cli_pain_words(&e, now, sizeof now);
        printf("Changed pain entry %lld: now %s (was %s).\n", (long long)id, now, was);
    }
close_store:
    kn_pain_clear(&e);
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

/* ---- check-ins ---- */

static int checkin_change(cli_ctx *ctx, bool del, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},      {"--stress", true, false},
                                   {"--sleep-hours", true, false}, {"--sleep-quality", true, false},
                                   {"--routine", true, false},     {"--pain-free", false, false},
                                   {"--tag", true, true},          {"--treatment", true, true},
                                   {"--peg", true, false},         {"--note", true, false}};
    const char *cmd = del ? "delete checkin" : "edit checkin";
    cli_args a;
    int rc = cli_parse(cmd, opts, del ? 1 : NOPTS(opts), argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help(del ? "delete" : "edit") : rc;
    if ((rc = one_key(&a, cmd, "date (YYYY-MM-DD)")) != CLI_OK)
        return rc;
    kn_err err = {0};
    kn_checkin given, old;
    kn_checkin_init(&given);
    kn_checkin_init(&old);
    kn_day day;
    if (kn_date_parse(a.pos[0], "date", &day, &err) != KN_OK ||
        (!del && cli_parse_checkin(&a, &given, &err) != KN_OK)) {
        rc = cli_fail(&err);
        goto clear_given;
    }
    bool any = false;
    for (size_t i = 1; i < NOPTS(opts); i++)
        any |= a.nvalues[i] > 0;
    if (!del && !any) {
        rc = cli_error(CLI_USAGE, "edit checkin: give a field to change (--stress, --note, ...)");
        goto clear_given;
    }
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person(ctx, &a, &st, &p)) != CLI_OK)
        goto clear_given;
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    bool found = false;
    kn_rc krc = kn_store_checkin_get(st, p.id, day, &old, &found);
    if (krc != KN_OK)
        kn_store_error(st, &err);
    else if (!found)
        krc = kn_err_set(&err, KN_ENOTFOUND, "no check-in on %s for this person", a.pos[0]);
    bool changed = false;
    if (krc == KN_OK) {
        given.person_id = p.id;
        given.day = day;
        krc = del ? kn_store_checkin_delete(st, p.id, day)
                  : kn_store_checkin_put(st, &given, &changed);
        if (krc != KN_OK)
            kn_store_error(st, &err);
    }
    rc = cli_write_done(st, krc, &err);
    char date[KN_DATE_LEN];
    kn_date_format(day, date);
    if (rc == CLI_OK && del)
        printf("Deleted the check-in of %s (with its %zu tag%s and %zu treatment%s).\n", date,
               old.ntags, old.ntags == 1 ? "" : "s", old.ntreatments,
               old.ntreatments == 1 ? "" : "s");
    else if (rc == CLI_OK)
        printf("%s the check-in of %s.\n", changed ? "Changed" : "Nothing changed in", date);
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
clear_given:
    kn_checkin_clear(&old);
    kn_checkin_clear(&given);
    return rc;
}

/* ---- sessions ---- */

/* therapist: the name on record of the therapist --therapist names (NULL: not given). */
static kn_rc session_apply(const cli_args *a, const char *therapist, kn_session *s, kn_err *err)
{
    const char *v;
    kn_rc rc = KN_OK;
    if ((v = cli_get(a, "--minutes")))
        rc = kn_parse_int(v, 1, 600, "--minutes", &s->minutes, err);
    if (rc == KN_OK && therapist) {
        free(s->therapist);
        s->therapist = NULL;
        rc = kn_parse_text(therapist, KN_NAME_MAX, "--therapist", &s->therapist, err);
    }
    if (rc == KN_OK && cli_has(a, "--work")) {
        s->nwork = 0;
        for (size_t i = 0; rc == KN_OK && i < cli_count(a, "--work"); i++) {
            kn_work w;
            rc = kn_parse_work(cli_nth(a, "--work", i), "--work", &w, err);
            if (rc == KN_OK)
                rc = kn_session_add_work(s, &w, err);
        }
    }
    if (rc == KN_OK && cli_has(a, "--technique")) {
        for (size_t i = 0; i < s->ntechniques; i++)
            free(s->techniques[i]);
        s->ntechniques = 0;
        for (size_t i = 0; rc == KN_OK && i < cli_count(a, "--technique"); i++) {
            char *t = NULL;
            rc = kn_parse_word(cli_nth(a, "--technique", i), "--technique", &t, err);
            if (rc == KN_OK)
                rc = kn_session_add_technique(s, t, err);
            free(t);
        }
    }
    if (rc == KN_OK && (v = cli_get(a, "--pre")))
        rc = kn_parse_int(v, 0, 10, "--pre", &s->pre_pain, err);
    if (rc == KN_OK && (v = cli_get(a, "--post")))
        rc = kn_parse_int(v, 0, 10, "--post", &s->post_pain, err);
    if (rc == KN_OK && (v = cli_get(a, "--note"))) {
        free(s->note);
        s->note = NULL;
        if (*v)
            rc = kn_parse_text(v, KN_NOTE_MAX, "--note", &s->note, err);
    }
    return rc;
}

static int session_change(cli_ctx *ctx, bool del, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false},    {"--minutes", true, false},
                                   {"--therapist", true, false}, {"--work", true, true},
                                   {"--technique", true, true},  {"--pre", true, false},
                                   {"--post", true, false},      {"--note", true, false}};
    const char *cmd = del ? "delete session" : "edit session";
    cli_args a;
    int rc = cli_parse(cmd, opts, del ? 1 : NOPTS(opts), argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help(del ? "delete" : "edit") : rc;
    if ((rc = one_key(&a, cmd, "session id")) != CLI_OK)
        return rc;
    kn_err err = {0};
    int64_t id;
    if (kn_parse_id(a.pos[0], "session", &id, &err) != KN_OK)
        return cli_fail(&err);
    bool any = false;
    for (size_t i = 1; i < NOPTS(opts); i++)
        any |= a.nvalues[i] > 0;
    if (!del && !any)
        return cli_error(CLI_USAGE, "edit session: give a field to change (--minutes, ...)");
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    kn_session s;
    kn_session_init(&s);
    char was[KN_NAME_MAX + 64], now[KN_NAME_MAX + 64];
    char *therapist = NULL;
    int64_t therapist_id;
    if (!del && cli_has(&a, "--therapist") &&
        (rc = cli_therapist(st, cli_get(&a, "--therapist"), &therapist_id, &therapist)) != CLI_OK)
        goto close_store;
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    kn_live_session live;
    kn_rc krc = kn_store_live_get(st, id, &live);
    if (krc == KN_OK && live.person_id == p.id)
        krc = kn_store_session_get(st, id, &s);
    if (krc == KN_ENOTFOUND || (krc == KN_OK && live.person_id != p.id))
        krc = kn_err_set(&err, KN_ENOTFOUND, "no session %lld for this person", (long long)id);
    else if (krc != KN_OK)
        kn_store_error(st, &err);
    else if (live.state == KN_SESSION_SIGNED)
        krc = kn_err_set(&err, KN_EREFUSED,
                         "session %lld is signed: it cannot be %s; amend its note instead "
                         "(knead session amend %lld --therapist ID --reason TEXT ...)",
                         (long long)id, del ? "deleted" : "edited", (long long)id);
    if (krc == KN_OK) {
        session_words(&s, was, sizeof was);
        krc = del ? KN_OK : session_apply(&a, therapist, &s, &err);
        if (krc == KN_OK) {
            krc = del ? kn_store_session_delete(st, id) : kn_store_session_update(st, &s);
            if (krc != KN_OK)
                kn_store_error(st, &err);
        }
    }
    rc = cli_write_done(st, krc, &err);
    if (rc == CLI_OK && del) {
        printf("Deleted session %lld (%s)%s.\n", (long long)id, was,
               live.state == KN_SESSION_RECORDED ? "" : " with its events and notes");
    } else if (rc == CLI_OK) {
        session_words(&s, now, sizeof now);
        printf("Changed session %lld: now %s (was %s).\n", (long long)id, now, was);
    }
close_store:
    free(therapist);
    kn_session_clear(&s);
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}

static int dispatch(cli_ctx *ctx, bool del, int argc, char **argv)
{
    const char *cmd = del ? "delete" : "edit";
    if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
        return cli_help(cmd);
    if (argc >= 1 && strcmp(argv[0], "pain") == 0)
        return pain_change(ctx, del, argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "checkin") == 0)
        return checkin_change(ctx, del, argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "session") == 0)
        return session_change(ctx, del, argc - 1, argv + 1);
    cli_error(CLI_USAGE, "%s: say pain ID, checkin YYYY-MM-DD or session ID", cmd);
    cli_usage_hint(cmd);
    return CLI_USAGE;
}

int cmd_edit(cli_ctx *ctx, int argc, char **argv)
{
    return dispatch(ctx, false, argc, argv);
}

int cmd_delete(cli_ctx *ctx, int argc, char **argv)
{
    return dispatch(ctx, true, argc, argv);
}

/* ---- erasing a person ---- */

int cmd_person_delete(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--yes", false, false}};
    cli_args a;
    int rc = cli_parse("person delete", opts, NOPTS(opts), argc, argv, &a);
    if (rc != CLI_OK || a.help)
        return a.help ? cli_help("person") : rc;
    if ((rc = one_key(&a, "person delete", "person id")) != CLI_OK)
        return rc;
    kn_err err = {0};
    int64_t id;
    if (kn_parse_id(a.pos[0], "person", &id, &err) != KN_OK)
        return cli_fail(&err);
    kn_store *st;
    if ((rc = cli_open(ctx, false, &st)) != CLI_OK)
        return rc;
    kn_person p;
    kn_person_init(&p);
    kn_footprint f;
    if (kn_store_begin(st) != KN_OK) {
        rc = cli_store_fail(st);
        goto close_store;
    }
    kn_rc krc = kn_store_person_get(st, id, &p);
    if (krc == KN_OK)
        krc = kn_store_person_footprint(st, id, &f);
    if (krc != KN_OK) {
        kn_store_error(st, &err);
        rc = cli_write_done(st, krc, &err);
        goto close_store;
    }
    char what[512];
    const int64_t n[] = {f.pain,    f.checkins,   f.sessions,   f.events, f.notes,
                         f.intakes, f.screenings, f.clearances, f.plans};
    static const char *const one[] = {"pain entry",     "check-in",     "session",
                                      "feedback event", "note version", "intake version",
                                      "screening",      "clearance",    "plan"};
    static const char *const many[] = {"pain entries",    "check-ins",     "sessions",
                                       "feedback events", "note versions", "intake versions",
                                       "screenings",      "clearances",    "plans"};
    size_t len = 0;
    for (size_t i = 0; i < 9; i++)
        len += (size_t)snprintf(what + len, sizeof what - len, "%s%lld %s",
                                i == 0   ? ""
                                : i == 8 ? " and "
                                         : ", ",
                                (long long)n[i], n[i] == 1 ? one[i] : many[i]);
    if (!cli_has(&a, "--yes")) {
        kn_store_rollback(st);
        rc = cli_error(CLI_USAGE,
                       "person delete: this erases %s (person %lld) and everything of theirs: "
                       "%s; it cannot be undone. Say --yes to erase.",
                       p.name, (long long)id, what);
        goto close_store;
    }
    krc = kn_store_person_delete(st, id);
    if (krc != KN_OK)
        kn_store_error(st, &err);
    rc = cli_write_done(st, krc, &err);
    if (rc == CLI_OK)
        printf("Erased %s (person %lld) with %s.\n", p.name, (long long)id, what);
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}
