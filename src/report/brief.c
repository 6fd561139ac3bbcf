/* The brief a person hands their therapist: one page that starts with the screening verdict
 * and avoid zones, then the worst regions on a small text body map, chronic regions, recent
 * flares, likely drivers, trigger-point candidates, how past sessions went (pressure,
 * discomfort, the change over the next days), the PEG trend, and the person's own words and
 * pressure preferences. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"
#include "knead/report.h"
#include "report/page.h"

#define BRIEF_CAP (256 * 1024)
#define BRIEF_REGIONS 8
#define BRIEF_CANDIDATES 5

static kn_rc store_err(kn_store *st, kn_err *err)
{
    return kn_store_error(st, err);
}

static void pick_sessions(kn_brief *b)
{
    for (size_t i = b->sessions.n; i-- > 0 && b->nrecent < KN_BRIEF_SESSIONS;) {
        const kn_session *s = &b->sessions.items[i];
        kn_brief_session *r = &b->recent[b->nrecent++];
        r->session = s;
        r->effect = NULL;
        for (size_t k = 0; k < b->insights.massage.nsessions; k++)
            if (b->insights.massage.sessions[k].at.utc == s->at.utc)
                r->effect = &b->insights.massage.sessions[k];
    }
}

static kn_rc pick_peg(kn_store *st, kn_brief *b, kn_err *err)
{
    kn_checkin_list c;
    if (kn_store_checkin_list(st, b->person.id, KN_DAY_ANY, b->today, &c) != KN_OK)
        return store_err(st, err);
    size_t total = 0;
    for (size_t i = 0; i < c.n; i++)
        total += c.items[i].peg[0] != KN_NONE;
    size_t skip = total > KN_BRIEF_PEG_POINTS ? total - KN_BRIEF_PEG_POINTS : 0;
    for (size_t i = 0; i < c.n; i++) {
        const kn_checkin *k = &c.items[i];
        if (k->peg[0] == KN_NONE || k->peg[1] == KN_NONE || k->peg[2] == KN_NONE)
            continue;
        if (skip) {
            skip--;
            continue;
        }
        b->peg[b->npeg++] = (kn_peg_point){k->day, (k->peg[0] + k->peg[1] + k->peg[2]) / 3.0};
    }
    kn_checkin_list_free(&c);
    return KN_OK;
}

kn_rc kn_brief_load(kn_store *st, int64_t person, kn_day today, int days, kn_brief *out,
                    kn_err *err)
{
    memset(out, 0, sizeof *out);
    kn_person_init(&out->person);
    kn_intake_answers_init(&out->intake);
    out->today = today;
    out->days = days;
    if (days < 1 || days > 3650)
        return kn_err_field(err, KN_EINVAL, "days", "days %d: must be 1-3650", days);
    if (kn_store_person_get(st, person, &out->person) != KN_OK)
        return store_err(st, err);
    kn_screening_init(&out->screening);
    kn_rc rc = kn_care_gate(st, person, &out->gate, err);
    if (rc == KN_OK &&
        (kn_store_screening_latest(st, person, &out->screening, &out->has_screening) != KN_OK ||
         kn_store_clearance_list(st, person, &out->clearances) != KN_OK))
        rc = store_err(st, err);
    if (rc == KN_OK && out->has_screening)
        rc = kn_screen_evaluate_cleared(&out->screening, out->clearances.items, out->clearances.n,
                                        &out->screen, err);
    if (rc == KN_OK)
        rc =
            kn_intake_latest(st, person, &out->intake, &out->intake_version, &out->has_intake, err);
    if (rc == KN_OK)
        rc = kn_care_painmap_burden(st, person, today, days, &out->map, out->burden, &out->entries,
                                    err);
    if (rc == KN_OK)
        rc = kn_rank(&out->map, BRIEF_CANDIDATES, &out->ranking, err);
    if (rc == KN_OK)
        rc = kn_insights_load(st, person, KN_DAY_ANY, today, &out->insights, err);
    if (rc == KN_OK &&
        kn_store_session_list(st, person, today - 179, today, &out->sessions) != KN_OK)
        rc = store_err(st, err);
    if (rc == KN_OK)
        rc = pick_peg(st, out, err);
    if (rc == KN_OK)
        pick_sessions(out);
    return rc;
}

void kn_brief_free(kn_brief *b)
{
    kn_person_clear(&b->person);
    kn_intake_answers_clear(&b->intake);
    kn_insights_free(&b->insights);
    kn_session_list_free(&b->sessions);
    kn_screening_clear(&b->screening);
    kn_clearance_list_free(&b->clearances);
    memset(b, 0, sizeof *b);
}

/* ---- rendering ---- */

static void heading(page *p, const char *title)
{
    if (p->md)
        put(p, "\n## %s\n\n", title);
    else
        put(p, "\n%s\n", title);
}

static void item(page *p, const char *text)
{
    put(p, "%s%s\n", p->md ? "- " : "  ", text);
}

static void set_text(const kn_regionset *s, char *buf, size_t cap)
{
    kn_name_regions(s, buf, cap);
}

static const char *date_text(kn_day d, char buf[KN_DATE_LEN])
{
    kn_date_format(d, buf);
    return buf;
}

/* The red flags that stand, each with the date its answer was given, the clearances that
 * lifted others, and how much of the questionnaire is unanswered. */
static void screening_lines(page *p, const kn_brief *b)
{
    if (!b->has_screening)
        return;
    const kn_screen_result *r = &b->screen;
    char date[KN_DATE_LEN];
    for (size_t i = 0; i < r->nreasons; i++)
        if (r->reasons[i]->outcome >= KN_OUTCOME_REFER)
            put(p, "%sRed flag, answered yes on %s: %s\n", p->md ? "- " : "  ",
                date_text(kn_instant_day(r->given[i]), date), r->reasons[i]->text);
    for (size_t i = 0; i < r->ncleared; i++) {
        const kn_clearance *c = r->clearance[i];
        put(p, "%sCleared: %s (cleared by %s on %s", p->md ? "- " : "  ", r->cleared[i]->text,
            c->cleared_by, date_text(kn_instant_day(c->at), date));
        if (c->max_pressure != KN_NONE)
            put(p, "; pressure at most %d of 10", c->max_pressure);
        put(p, ")\n");
    }
    put(p,
        p->md ? "**Unanswered:** %zu of %zu questions%s\n" : "Unanswered: %zu of %zu questions%s\n",
        r->nunanswered, kn_question_count(),
        r->nunanswered ? " (the verdict covers only the answers given)" : "");
}

static void verdict_section(page *p, const kn_brief *b)
{
    char verdict[16];
    snprintf(verdict, sizeof verdict, "%s",
             b->gate.screened ? kn_verdict_name(b->gate.verdict) : "not screened");
    for (char *c = verdict; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (char)(*c - 'a' + 'A');
    put(p, p->md ? "**Screening verdict: %s.** %s\n" : "Screening verdict: %s. %s\n", verdict,
        b->gate.message);
    char set[2048];
    kn_regionset avoid = b->gate.avoid;
    for (size_t i = 0; i < sizeof avoid.bits / sizeof avoid.bits[0]; i++)
        avoid.bits[i] |= b->intake.avoid.bits[i];
    set_text(&avoid, set, sizeof set);
    put(p, p->md ? "**Avoid:** %s\n" : "Avoid: %s\n", *set ? set : "no zones");
    if (b->gate.max_pressure)
        put(p, p->md ? "**Pressure cap:** %d of 10\n" : "Pressure cap: %d of 10\n",
            b->gate.max_pressure);
    screening_lines(p, b);
    char today[KN_DATE_LEN];
    put(p,
        p->md ? "\n# Brief for %s\n\n%d days to %s; %s\n" : "\nBrief for %s: %d days to %s\n%s\n",
        b->person.name, b->days, date_text(b->today, today), KN_NOT_A_DIAGNOSIS);
}

static void body_map(page *p, const kn_brief *b)
{
    heading(p, "Worst regions (by pain x days: the mean of each day's worst, on the days it "
               "hurt; L | R)");
    /* the regions by burden, most first; a row (both sides of a region) where its heavier
     * side falls */
    int order[KN_SIDED_MAX], n = 0;
    for (int i = 0; i < (int)kn_sided_count(); i++)
        if (b->burden[i] > 0)
            order[n++] = i;
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && b->burden[order[k]] > b->burden[order[k - 1]]; k--) {
            int t = order[k];
            order[k] = order[k - 1];
            order[k - 1] = t;
        }
    if (n == 0) {
        item(p, "No pain logged in these days.");
        return;
    }
    bool drawn[KN_SIDED_MAX] = {false};
    if (p->md)
        put(p, "```\n");
    for (int row = 0; row < n && row < BRIEF_REGIONS; row++) {
        int i = order[row];
        if (drawn[i])
            continue; /* drawn with its other side */
        const kn_region *r = kn_sided_region(i);
        char side = kn_sided_side(i);
        char cell[2][48];
        for (int s = 0; s < 2; s++) {
            int k = side ? kn_sided_of(r, s == 0 ? 'l' : 'r') : (s == 0 ? i : -1);
            int m = k >= 0 ? kn_painmap_find(&b->map, k) : -1;
            if (k >= 0)
                drawn[k] = true;
            if (k < 0 || (side == 0 && s == 1)) {
                snprintf(cell[s], sizeof cell[s], "%s", side ? "" : "(midline)");
            } else if (m < 0) {
                snprintf(cell[s], sizeof cell[s], "-");
            } else {
                double v = b->map.intensity[m];
                char bar[11];
                int w = (int)lround(v);
                for (int j = 0; j < 10; j++)
                    bar[j] = j < w ? '#' : '.';
                bar[10] = 0;
                kn_snprintf_c(cell[s], sizeof cell[s], "%s %4.1f on %d of %d day%s", bar, v,
                              b->map.days[m], b->days, b->days == 1 ? "" : "s");
            }
        }
        put(p, "  %-28s L %-32s R %s\n", r->label, cell[0], side ? cell[1] : "");
    }
    if (p->md)
        put(p, "```\n");
}

static void chronic_section(page *p, const kn_brief *b)
{
    heading(p, "Chronic (pain over more than three months)");
    int shown = 0, unsure = 0;
    for (size_t i = 0; i < b->insights.nchronic; i++) {
        const kn_chronic_region *c = &b->insights.chronic[i];
        unsure += c->status == KN_CHRONIC_TOO_LITTLE_HISTORY;
        if (!c->chronic)
            continue;
        char line[512], a[KN_DATE_LEN], name[KN_LABEL_MAX];
        kn_name_region(c->region, name, sizeof name);
        if (c->basis == KN_BASIS_INTAKE)
            kn_snprintf_c(line, sizeof line, "%s since %s%s (as the intake says)", name,
                          c->onset_exact ? "" : "about ", date_text(c->onset, a));
        else
            kn_snprintf_c(line, sizeof line,
                          "%s since %s, %d days with pain in %d months, mean %.1f", name,
                          date_text(c->first, a), c->entry_days, c->months, c->mean_intensity);
        item(p, line);
        shown++;
    }
    if (unsure) {
        char line[256];
        snprintf(line, sizeof line,
                 "%d region%s with too little history to say: ask since when it has hurt.", unsure,
                 unsure == 1 ? "" : "s");
        item(p, line);
    } else if (!shown) {
        item(p, "None yet.");
    }
}

static void flares_section(page *p, const kn_brief *b)
{
    heading(p, "Recent flares");
    int shown = 0;
    for (size_t i = 0; i < b->insights.nflares; i++) {
        const kn_flare *f = &b->insights.flares[i];
        if (f->end <= b->today - b->days)
            continue;
        char line[256], a[KN_DATE_LEN], c[KN_DATE_LEN];
        kn_snprintf_c(line, sizeof line, "%s to %s: peak %d (usual %.1f)", date_text(f->start, a),
                      date_text(f->end, c), f->peak, f->baseline);
        item(p, line);
        shown++;
    }
    if (!shown)
        item(p, "None in these days.");
}

static void drivers_section(page *p, const kn_brief *b)
{
    heading(p, "Likely drivers (associations in the diary, not proof of a cause)");
    int shown = 0;
    for (size_t i = 0; i < b->insights.nfactors; i++) {
        const kn_factor_test *t = &b->insights.factors[i];
        if (!t->driver)
            continue;
        char line[256], what[KN_FACTOR_NAME_MAX + 32];
        kn_report_factor_words(t->factor, what, sizeof what);
        if (t->kind == KN_FACTOR_CONTINUOUS)
            kn_snprintf_c(line, sizeof line, "%s, %s: rho %+.2f (q %.2g)", what,
                          t->lag ? "next day" : "same day", t->rho, t->q);
        else
            kn_snprintf_c(line, sizeof line, "%s, %s: pain %+.1f with it (q %.2g)", what,
                          t->lag ? "next day" : "same day", t->diff, t->q);
        item(p, line);
        shown++;
    }
    if (!shown)
        item(p, b->insights.nfactors ? "No factor stands out once chance is accounted for."
                                     : "Not enough data yet.");
}

static void candidates_section(page *p, const kn_brief *b)
{
    heading(p, "Trigger-point candidates (muscles worth assessing)");
    if (!b->ranking.ntop) {
        item(p, "None: no pain logged in these days.");
        return;
    }
    for (size_t i = 0; i < b->ranking.ntop; i++) {
        const kn_candidate *c = &b->ranking.top[i];
        char primary[2048], line[2400];
        set_text(&c->primary, primary, sizeof primary);
        kn_snprintf_c(line, sizeof line, "%s (%s), score %.2f%s%s", c->muscle->name,
                      c->side == 'l'   ? "left"
                      : c->side == 'r' ? "right"
                                       : "both sides",
                      c->score, *primary ? ": refers to " : "", primary);
        item(p, line);
    }
}

static void sessions_section(page *p, const kn_brief *b)
{
    heading(p, "Past sessions (pressure and discomfort; pain the 3 days after vs before)");
    if (!b->nrecent) {
        item(p, "No sessions in the last 180 days.");
        return;
    }
    for (size_t i = 0; i < b->nrecent; i++) {
        const kn_session *s = b->recent[i].session;
        const kn_massage_effect *e = b->recent[i].effect;
        kn_buf line;
        kn_buf_init(&line, 4096);
        char d[KN_DATE_LEN];
        kn_rc rc = kn_buf_printf(&line, "%s, %d min with %s:", date_text(s->day, d), s->minutes,
                                 s->therapist);
        for (size_t k = 0; k < s->nwork && rc == KN_OK; k++) {
            char name[KN_LABEL_MAX];
            rc = kn_buf_printf(&line, "%s %s %d", k ? ";" : "",
                               kn_name_region(s->work[k].region, name, sizeof name),
                               s->work[k].pressure);
            if (rc == KN_OK && s->work[k].discomfort != KN_NONE)
                rc = kn_buf_printf(&line, " (discomfort %d)", s->work[k].discomfort);
        }
        if (rc == KN_OK && e && !isnan(e->change))
            rc = kn_buf_printf(&line, "; pain %+.1f over the next days", e->change);
        if (rc == KN_OK && e && !isnan(e->immediate))
            rc = kn_buf_printf(&line, "; %+.0f right after", e->immediate);
        item(p, kn_buf_str(&line));
        kn_buf_free(&line);
    }
    const kn_massage_summary *m = &b->insights.massage;
    if (m->n >= 2) {
        char line[200];
        kn_snprintf_c(line, sizeof line, "Across %d sessions: %+.2f on average (p %.2g)", m->n,
                      m->mean_change, m->p);
        item(p, line);
    }
}

static void peg_section(page *p, const kn_brief *b)
{
    heading(p, "PEG (pain, enjoyment, activity; 0-10)");
    if (!b->npeg) {
        item(p, "No PEG answers yet.");
        return;
    }
    kn_buf line;
    kn_buf_init(&line, 1024);
    kn_rc rc = KN_OK;
    for (size_t i = 0; i < b->npeg && rc == KN_OK; i++) {
        char d[KN_DATE_LEN];
        rc = kn_buf_printf(&line, "%s%s %.1f", i ? ", " : "", date_text(b->peg[i].day, d),
                           b->peg[i].score);
    }
    item(p, kn_buf_str(&line));
    kn_buf_free(&line);
    const kn_trend *o = &b->insights.peg;
    if (o->present) {
        char text[200], words[KN_LABEL_MAX];
        kn_snprintf_c(text, sizeof text, "Since the first: %+.1f (%s)", o->change,
                      kn_name_term(kn_trend_category_name(o->category), words, sizeof words));
        item(p, text);
    }
}

static void words_list(page *p, const char *label, char *const *w, size_t n)
{
    if (!n)
        return;
    kn_buf line;
    kn_buf_init(&line, 4096);
    kn_rc rc = kn_buf_printf(&line, "%s: ", label);
    for (size_t i = 0; i < n && rc == KN_OK; i++)
        rc = kn_buf_printf(&line, "%s%s", i ? ", " : "", w[i]);
    item(p, kn_buf_str(&line));
    kn_buf_free(&line);
}

static void own_words_section(page *p, const kn_brief *b)
{
    heading(p, "In their own words");
    if (!b->has_intake) {
        item(p, "No intake yet.");
        return;
    }
    const kn_intake_answers *a = &b->intake;
    char line[KN_NOTE_MAX + 64];
    if (a->goals) {
        snprintf(line, sizeof line, "Goals: %s", a->goals);
        item(p, line);
    }
    if (a->notes) {
        snprintf(line, sizeof line, "Wants you to know: %s", a->notes);
        item(p, line);
    }
    words_list(p, "Diagnosed", a->conditions, a->nconditions);
    words_list(p, "Medications", a->medications, a->nmedications);
    for (size_t i = 0; i < a->nmedications; i++)
        if (!kn_medication_match(a->medications[i])) {
            kn_medication_unknown_text(a->medications[i], line, sizeof line);
            item(p, line);
        }
    words_list(p, "Allergies", a->allergies, a->nallergies);
    if (a->pressure != KN_NONE) {
        snprintf(line, sizeof line, "Preferred pressure: %d of 10", a->pressure);
        item(p, line);
    }
    for (int i = 0; i < (int)kn_sided_count(); i++)
        if (a->pressure_by_region[i]) {
            char name[KN_LABEL_MAX];
            snprintf(line, sizeof line, "Pressure on %s: %d of 10",
                     kn_name_sided(i, name, sizeof name), a->pressure_by_region[i]);
            item(p, line);
        }
    snprintf(line, sizeof line, "(intake version %d)", b->intake_version);
    item(p, line);
}

kn_rc kn_brief_render(const kn_brief *b, kn_brief_format format, char **out, kn_err *err)
{
    page p = {.md = format == KN_BRIEF_MARKDOWN, .rc = KN_OK};
    kn_buf_init(&p.b, BRIEF_CAP);
    verdict_section(&p, b);
    body_map(&p, b);
    chronic_section(&p, b);
    flares_section(&p, b);
    drivers_section(&p, b);
    candidates_section(&p, b);
    sessions_section(&p, b);
    peg_section(&p, b);
    own_words_section(&p, b);
    *out = p.rc == KN_OK ? kn_buf_dup(&p.b) : NULL;
    kn_buf_free(&p.b);
    if (!*out)
        return kn_err_set(err, KN_ENOMEM, "brief: out of memory");
    return KN_OK;
}
