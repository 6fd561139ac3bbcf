/* knead diary: the day-by-day diary with a short summary, as text or JSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "knead/interop.h"
#include "knead/report.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))
/* what diary shows without a range: a month, not years of entries */
#define DEFAULT_DAYS 30

static const char *weekday(kn_day d)
{
    static const char *const names[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    int i = d % 7;
    return names[i < 0 ? i + 7 : i];
}

static void print_time(kn_instant t)
{
    char at[KN_INSTANT_LEN];
    kn_instant_format(t, at);
    printf("%.5s", at + 11);
}

static void print_checkin(const kn_checkin *c)
{
    const char *sep = "";
    printf("  check-in ");
    if (c->pain_free != KN_NONE) {
        printf("%spain-free day", sep);
        sep = " · ";
    }
    if (c->stress != KN_NONE) {
        printf("%sstress %d", sep, c->stress);
        sep = " · ";
    }
    if (!isnan(c->sleep_hours)) {
        printf("%ssleep %.1f h", sep, c->sleep_hours);
        sep = " · ";
    }
    if (c->sleep_quality != KN_NONE) {
        printf("%ssleep quality %d", sep, c->sleep_quality);
        sep = " · ";
    }
    if (c->routine != KN_ROUTINE_NONE) {
        printf("%sroutine %s", sep, c->routine == KN_ROUTINE_DISRUPTED ? "disrupted" : "normal");
        sep = " · ";
    }
    if (c->ntags) {
        printf("%stags ", sep);
        for (size_t i = 0; i < c->ntags; i++)
            printf("%s%s", i ? ", " : "", c->tags[i]);
        sep = " · ";
    }
    if (c->ntreatments) {
        printf("%streatments ", sep);
        for (size_t i = 0; i < c->ntreatments; i++)
            printf("%s%s%s%s", i ? ", " : "", c->treatments[i].name,
                   c->treatments[i].dose ? " " : "",
                   c->treatments[i].dose ? c->treatments[i].dose : "");
        sep = " · ";
    }
    if (c->peg[0] != KN_NONE) {
        printf("%sPEG %d/%d/%d", sep, c->peg[0], c->peg[1], c->peg[2]);
        sep = " · ";
    }
    if (!*sep)
        printf("(nothing recorded)");
    printf("\n");
    if (c->note)
        printf("           \"%s\"\n", c->note);
}

static void print_text(const kn_diary *d, const kn_diary_summary *s, bool by_default)
{
    char from[KN_DATE_LEN] = "start", to[KN_DATE_LEN] = "today";
    if (d->ndays && d->from == KN_DAY_ANY)
        kn_date_format(d->days[0].day, from);
    else if (d->from != KN_DAY_ANY)
        kn_date_format(d->from, from);
    if (d->ndays && d->to == KN_DAY_ANY)
        kn_date_format(d->days[d->ndays - 1].day, to);
    else if (d->to != KN_DAY_ANY)
        kn_date_format(d->to, to);
    printf("Diary of %s (person %lld, zone %s), %s to %s\n", d->person.name,
           (long long)d->person.id, d->person.zone, from, to);
    if (by_default)
        printf("(the last %d days by default; --all shows everything, --from/--to a range)\n",
               DEFAULT_DAYS);
    if (!d->ndays) {
        printf("Nothing recorded in this range.\n");
        return;
    }
    printf("%d pain entr%s on %d day%s · %d check-in%s · %d massage session%s\n", s->pain_entries,
           s->pain_entries == 1 ? "y" : "ies", s->days_with_pain_entries,
           s->days_with_pain_entries == 1 ? "" : "s", s->checkins, s->checkins == 1 ? "" : "s",
           s->sessions, s->sessions == 1 ? "" : "s");
    if (s->nregions) {
        printf("Most often painful:");
        for (size_t i = 0; i < s->nregions && i < 5; i++) {
            char name[KN_LABEL_MAX];
            printf("%s %s: %d day%s, mean %.1f, worst %d", i ? ";" : "",
                   kn_name_region(s->regions[i].region, name, sizeof name), s->regions[i].days,
                   s->regions[i].days == 1 ? "" : "s", s->regions[i].mean, s->regions[i].worst);
        }
        printf("\n");
    }
    for (size_t i = 0; i < d->ndays; i++) {
        const kn_diary_day *day = &d->days[i];
        char date[KN_DATE_LEN];
        kn_date_format(day->day, date);
        printf("\n%s %s\n", weekday(day->day), date);
        for (size_t j = 0; j < day->npains; j++) {
            const kn_pain *p = &day->pains[j];
            char q[256], name[KN_LABEL_MAX];
            kn_qualities_format(p->qualities, ',', q, sizeof q);
            printf("  pain     ");
            print_time(p->at);
            printf("  %-36s %2d/10%s%s", kn_name_region(p->region, name, sizeof name), p->intensity,
                   *q ? "  " : "", q);
            if (p->note)
                printf("  \"%s\"", p->note);
            printf("  [pain %lld]\n", (long long)p->id); /* what edit and delete take */
        }
        if (day->checkin)
            print_checkin(day->checkin);
        for (size_t j = 0; j < day->nsessions; j++) {
            const kn_session *ses = &day->sessions[j];
            printf("  massage  ");
            print_time(ses->at);
            printf("  %d min with %s:", ses->minutes, ses->therapist);
            for (size_t k = 0; k < ses->nwork; k++) {
                char name[KN_LABEL_MAX];
                printf("%s %s pressure %d", k ? ";" : "",
                       kn_name_region(ses->work[k].region, name, sizeof name),
                       ses->work[k].pressure);
                if (ses->work[k].discomfort != KN_NONE)
                    printf(" discomfort %d", ses->work[k].discomfort);
            }
            if (ses->pre_pain != KN_NONE || ses->post_pain != KN_NONE) {
                printf("; pain ");
                if (ses->pre_pain != KN_NONE)
                    printf("%d", ses->pre_pain);
                else
                    printf("?");
                printf(" -> ");
                if (ses->post_pain != KN_NONE)
                    printf("%d", ses->post_pain);
                else
                    printf("?");
            }
            printf("  [session %lld]\n", (long long)ses->id);
            if (ses->ntechniques) {
                printf("           techniques: ");
                for (size_t k = 0; k < ses->ntechniques; k++)
                    printf("%s%s", k ? ", " : "", ses->techniques[k]);
                printf("\n");
            }
            if (ses->note)
                printf("           \"%s\"\n", ses->note);
        }
    }
}

int cmd_diary(cli_ctx *ctx, int argc, char **argv)
{
    static const cli_opt opts[] = {{"--person", true, false}, {"--from", true, false},
                                   {"--to", true, false},     {"--last", true, false},
                                   {"--json", false, false},  {"--all", false, false}};
    cli_args a;
    int rc;
    if (!cli_parse_options("diary", "diary", opts, NOPTS(opts), argc, argv, &a, &rc))
        return rc;
    kn_err err = {0};
    kn_day from, to;
    int last = 0;
    kn_rc krc = cli_date_range(&a, &from, &to, &err);
    if (krc == KN_OK && cli_has(&a, "--last")) {
        if (cli_has(&a, "--from"))
            krc = kn_err_set(&err, KN_EINVAL, "--last: give either --last or --from, not both");
        else
            krc = kn_parse_int(cli_get(&a, "--last"), 1, 36500, "--last", &last, &err);
    }
    bool ranged = cli_has(&a, "--from") || cli_has(&a, "--to") || cli_has(&a, "--last");
    if (krc == KN_OK && ranged && cli_has(&a, "--all"))
        krc = kn_err_set(&err, KN_EINVAL, "--all: give either --all or a range, not both");
    bool by_default = !ranged && !cli_has(&a, "--all");
    if (by_default)
        last = DEFAULT_DAYS;
    if (krc != KN_OK)
        return cli_fail(&err);
    kn_store *st;
    kn_person p;
    if ((rc = cli_open_person_read(ctx, &a, &st, &p)) != CLI_OK)
        return rc;
    if (last) {
        if (to == KN_DAY_ANY)
            to = kn_today(p.zone);
        from = to - (last - 1);
    }
    kn_diary d;
    if (kn_diary_load(st, p.id, from, to, &d, &err) != KN_OK) {
        rc = cli_fail_as(CLI_FAIL, &err);
        goto close_store;
    }
    kn_diary_summary s;
    if (kn_diary_summarize(&d, &s, &err) != KN_OK) {
        rc = cli_fail_as(CLI_FAIL, &err);
        goto free_diary;
    }
    if (cli_has(&a, "--json")) {
        if (kn_json_write(kn_json_diary(&d, &s), stdout, &err) != KN_OK)
            rc = cli_fail_as(CLI_FAIL, &err);
    } else {
        print_text(&d, &s, by_default);
    }
    kn_diary_summary_free(&s);
free_diary:
    kn_diary_free(&d);
close_store:
    kn_person_clear(&p);
    kn_store_close(st);
    return rc;
}
