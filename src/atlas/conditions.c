/* The eight condition guides (data/conditions.tsv) with the muscles to assess for each
 * (data/condition_muscles.tsv) and their standard codes (data/condition_codes.tsv), and the
 * match of a pain map against the guides. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atlas/load.h"
#include "base/text.h"

extern const char kn_data_conditions_tsv[];
extern const char kn_data_condition_muscles_tsv[];
extern const char kn_data_condition_codes_tsv[];
extern const char kn_data_condition_course_tsv[];

#define CONDITION_CAP 16
#define LINK_CAP 160
#define CODE_CAP 64

/* The guides the seed asks for, by id; the table must hold exactly these. */
static const char *const expected[] = {"tmjd",       "headache", "carpal_tunnel",
                                       "stiff_neck", "sciatica", "plantar_fasciitis",
                                       "it_band",    "si_joint"};

static kn_table cond_table, link_table, code_table, course_table;
static kn_condition conditions[CONDITION_CAP];
static size_t nconditions;
static kn_condition_muscle links[LINK_CAP]; /* grouped by condition, in rank order */
static size_t nlinks;
static kn_code codes[CODE_CAP]; /* grouped by condition */
static size_t ncodes;

static kn_condition *find_condition(const char *id)
{
    for (size_t i = 0; i < nconditions; i++)
        if (strcmp(conditions[i].id, id) == 0)
            return &conditions[i];
    return NULL;
}

static void load_condition_rows(void)
{
    static const char *const names[] = {
        "id",           "tag",           "name",      "summary",          "presentation",
        "core_regions", "other_regions", "self_care", "self_care_source", "source"};
    int c[10];
    if (!kn_atlas_table("conditions.tsv", kn_data_conditions_tsv, &cond_table, names, c, 10))
        return;
    for (size_t i = 1; i < cond_table.nrows; i++) {
        char **row = cond_table.rows[i];
        const char *id = row[c[0]];
        kn_atlas_check_source("conditions.tsv", i, row[c[9]]);
        kn_atlas_check_source("conditions.tsv (self_care_source)", i, row[c[8]]);
        if (!kn_atlas_valid_id(id) || find_condition(id)) {
            kn_atlas_problem("conditions.tsv row %zu: bad or repeated id '%s'", i, id);
            continue;
        }
        if (nconditions == CONDITION_CAP)
            break;
        for (int k = 1; k <= 7; k++)
            if (k != 5 && k != 6 && !*row[c[k]])
                kn_atlas_problem("conditions.tsv row %zu (%s): %s is required", i, id, names[k]);
        kn_condition *cd = &conditions[nconditions++];
        *cd = (kn_condition){.id = id,
                             .tag = row[c[1]],
                             .name = row[c[2]],
                             .summary = row[c[3]],
                             .presentation = row[c[4]],
                             .self_care = row[c[7]],
                             .self_care_source = row[c[8]],
                             .source = row[c[9]]};
        cd->ncore = kn_atlas_region_list("conditions.tsv", i, "core_regions", row[c[5]], cd->core,
                                         KN_CONDITION_REGIONS_MAX);
        cd->nother = kn_atlas_region_list("conditions.tsv", i, "other_regions", row[c[6]],
                                          cd->other, KN_CONDITION_REGIONS_MAX);
        if (!cd->ncore)
            kn_atlas_problem("conditions.tsv row %zu (%s): no core region", i, id);
    }
    for (size_t k = 0; k < sizeof expected / sizeof expected[0]; k++)
        if (!find_condition(expected[k]))
            kn_atlas_problem("conditions.tsv: the guide %s is missing", expected[k]);
    if (nconditions != sizeof expected / sizeof expected[0])
        kn_atlas_problem("conditions.tsv: %zu guides; the seed has exactly 8", nconditions);
}

static void load_link_rows(void)
{
    static const char *const names[] = {"condition", "rank", "muscle", "tier", "note", "source"};
    int c[6];
    if (!kn_atlas_table("condition_muscles.tsv", kn_data_condition_muscles_tsv, &link_table, names,
                        c, 6))
        return;
    /* Rows are kept in file order within each condition: the file gives the order to assess. */
    for (size_t k = 0; k < nconditions; k++) {
        kn_condition *cd = &conditions[k];
        cd->muscles = &links[nlinks];
        long last_rank = 0;
        bool then_seen = false;
        for (size_t i = 1; i < link_table.nrows; i++) {
            char **row = link_table.rows[i];
            if (strcmp(row[c[0]], cd->id) != 0)
                continue;
            kn_atlas_check_source("condition_muscles.tsv", i, row[c[5]]);
            const kn_muscle *m = kn_muscle_find(row[c[2]]);
            long rank = strtol(row[c[1]], NULL, 10);
            bool first = strcmp(row[c[3]], "first") == 0;
            if (!m) {
                kn_atlas_problem("condition_muscles.tsv row %zu: unknown muscle '%s'", i,
                                 row[c[2]]);
                continue;
            }
            if (!first && strcmp(row[c[3]], "then") != 0)
                kn_atlas_problem("condition_muscles.tsv row %zu: tier must be first or then", i);
            if (rank != last_rank + 1)
                kn_atlas_problem("condition_muscles.tsv row %zu: rank %s should be %ld", i,
                                 row[c[1]], last_rank + 1);
            if (first && then_seen)
                kn_atlas_problem("condition_muscles.tsv row %zu: a first muscle after a then", i);
            last_rank = rank;
            then_seen |= !first;
            for (size_t j = 0; j < cd->nmuscles; j++)
                if (cd->muscles[j].muscle == m)
                    kn_atlas_problem("condition_muscles.tsv row %zu: %s listed twice for %s", i,
                                     m->id, cd->id);
            if (nlinks == LINK_CAP)
                return;
            links[nlinks++] = (kn_condition_muscle){m, first, row[c[4]], row[c[5]]};
            cd->nmuscles++;
        }
        if (!cd->nmuscles || !cd->muscles[0].first)
            kn_atlas_problem("condition_muscles.tsv: %s has no muscle to assess first", cd->id);
    }
    for (size_t i = 1; i < link_table.nrows; i++)
        if (!find_condition(link_table.rows[i][c[0]]))
            kn_atlas_problem("condition_muscles.tsv row %zu: unknown condition '%s'", i,
                             link_table.rows[i][c[0]]);
}

static bool one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return true;
    return false;
}

static void load_code_rows(void)
{
    static const char *const names[] = {"condition", "system", "code", "meaning",
                                        "role",      "status", "note", "source"};
    static const char *const systems[] = {"icd11", "snomed", "icd10cm"};
    static const char *const roles[] = {"condition", "chronic_pain", "body_site"};
    int c[8];
    if (!kn_atlas_table("condition_codes.tsv", kn_data_condition_codes_tsv, &code_table, names, c,
                        8))
        return;
    for (size_t k = 0; k < nconditions; k++) {
        kn_condition *cd = &conditions[k];
        cd->codes = &codes[ncodes];
        for (size_t i = 1; i < code_table.nrows; i++) {
            char **row = code_table.rows[i];
            if (strcmp(row[c[0]], cd->id) != 0)
                continue;
            kn_atlas_check_source("condition_codes.tsv", i, row[c[7]]);
            bool confirmed = strcmp(row[c[5]], "confirmed") == 0;
            if (!confirmed && strcmp(row[c[5]], "unconfirmed") != 0)
                kn_atlas_problem("condition_codes.tsv row %zu: status must be confirmed or "
                                 "unconfirmed",
                                 i);
            if (!one_of(row[c[1]], systems, 3) || !one_of(row[c[4]], roles, 3) || !*row[c[2]] ||
                !*row[c[3]]) {
                kn_atlas_problem("condition_codes.tsv row %zu: bad system, role, code or meaning",
                                 i);
                continue;
            }
            if (ncodes == CODE_CAP)
                return;
            codes[ncodes++] = (kn_code){row[c[1]], row[c[2]], row[c[3]], row[c[4]],
                                        confirmed, row[c[6]], row[c[7]]};
            cd->ncodes++;
        }
    }
    for (size_t i = 1; i < code_table.nrows; i++)
        if (!find_condition(code_table.rows[i][c[0]]))
            kn_atlas_problem("condition_codes.tsv row %zu: unknown condition '%s'", i,
                             code_table.rows[i][c[0]]);
}

static void load_course_rows(void)
{
    static const char *const names[] = {"condition", "course", "settles_weeks", "note", "source"};
    int c[5];
    if (!kn_atlas_table("condition_course.tsv", kn_data_condition_course_tsv, &course_table, names,
                        c, 5))
        return;
    for (size_t i = 1; i < course_table.nrows; i++) {
        char **row = course_table.rows[i];
        kn_condition *cd = find_condition(row[c[0]]);
        kn_atlas_check_source("condition_course.tsv", i, row[c[4]]);
        if (!cd || cd->course_note) {
            kn_atlas_problem("condition_course.tsv row %zu: unknown or repeated condition '%s'", i,
                             row[c[0]]);
            continue;
        }
        bool acute = strcmp(row[c[1]], "acute") == 0;
        char *end = NULL;
        long weeks = strtol(row[c[2]], &end, 10);
        if (!acute && strcmp(row[c[1]], "any") != 0)
            kn_atlas_problem("condition_course.tsv row %zu: course must be acute or any", i);
        else if (acute && (end == row[c[2]] || *end || weeks < 1 || weeks > 52))
            kn_atlas_problem("condition_course.tsv row %zu: an acute course needs settles_weeks "
                             "1-52",
                             i);
        else if (!acute && *row[c[2]])
            kn_atlas_problem("condition_course.tsv row %zu: settles_weeks is for an acute course",
                             i);
        if (!*row[c[3]])
            kn_atlas_problem("condition_course.tsv row %zu: note is required", i);
        cd->acute = acute;
        cd->settles_days = acute ? (int)weeks * 7 : 0;
        cd->course_note = row[c[3]];
        cd->course_source = row[c[4]];
    }
    for (size_t k = 0; k < nconditions; k++)
        if (!conditions[k].course_note)
            kn_atlas_problem("condition_course.tsv: no course for %s", conditions[k].id);
}

void kn_atlas_load_conditions(void)
{
    load_condition_rows();
    load_link_rows();
    load_code_rows();
    load_course_rows();
}

size_t kn_condition_count(void)
{
    kn_atlas_ready();
    return nconditions;
}

const kn_condition *kn_condition_at(size_t i)
{
    kn_atlas_ready();
    return i < nconditions ? &conditions[i] : NULL;
}

const kn_condition *kn_condition_find(const char *id)
{
    kn_atlas_ready();
    return find_condition(id);
}

/* ---- matching a pain map against the guides (docs/RANKING.md) ---- */

#define CORE_WEIGHT 1.0
#define OTHER_WEIGHT 0.5
#define RESEMBLES_SCORE 0.35 /* below this a guide is not named */

/* The fit of the marks to the guide's typical pain map: the cosine between the map (per base
 * region, its strongest side) and the guide's region weights. Side does not matter here:
 * the guides describe one-sided and two-sided pictures alike. */
static double map_fit(const kn_painmap *map, const kn_condition *cd, kn_regionset *typical)
{
    double dot = 0, mass = 0, norm = 0;
    size_t nregions = kn_region_count();
    double by_base[128] = {0};
    for (size_t k = 0; k < map->n; k++) {
        size_t base = (size_t)(kn_sided_region(map->region[k]) - kn_region_at(0));
        if (base < nregions && map->weight[k] > by_base[base])
            by_base[base] = map->weight[k];
    }
    for (size_t b = 0; b < nregions; b++)
        mass += by_base[b] * by_base[b];
    for (int pass = 0; pass < 2; pass++) {
        const kn_region *const *list = pass ? cd->other : cd->core;
        size_t n = pass ? cd->nother : cd->ncore;
        double w = pass ? OTHER_WEIGHT : CORE_WEIGHT;
        for (size_t k = 0; k < n; k++) {
            size_t base = (size_t)(list[k] - kn_region_at(0));
            norm += w * w;
            dot += w * by_base[base];
            for (int i = kn_regionset_next(&map->set, 0); i >= 0;
                 i = kn_regionset_next(&map->set, i + 1))
                if (kn_sided_region(i) == list[k])
                    kn_regionset_add(typical, i);
        }
    }
    return mass > 0 && norm > 0 ? dot / (sqrt(mass) * sqrt(norm)) : 0;
}

/* Its assess-first muscles as ranked for this map, best first. */
static double muscle_fit(const kn_painmap *map, kn_condition_match *out)
{
    const kn_condition *cd = out->condition;
    for (size_t k = 0; k < cd->nmuscles; k++) {
        if (!cd->muscles[k].first)
            continue;
        const kn_muscle *m = cd->muscles[k].muscle;
        double l = kn_rank_score(map, m, 'l'), r = kn_rank_score(map, m, 'r');
        double s = l > r ? l : r;
        char side = l == r ? 'b' : l > r ? 'l' : 'r';
        if (s <= 0)
            continue;
        size_t pos = out->nmuscles;
        while (pos > 0 && out->muscle_scores[pos - 1] < s)
            pos--;
        if (pos >= KN_MATCH_MUSCLES_MAX)
            continue;
        size_t last =
            out->nmuscles < KN_MATCH_MUSCLES_MAX ? out->nmuscles : KN_MATCH_MUSCLES_MAX - 1;
        for (size_t j = last; j > pos; j--) {
            out->muscles[j] = out->muscles[j - 1];
            out->sides[j] = out->sides[j - 1];
            out->muscle_scores[j] = out->muscle_scores[j - 1];
        }
        out->muscles[pos] = m;
        out->sides[pos] = side;
        out->muscle_scores[pos] = s;
        if (out->nmuscles < KN_MATCH_MUSCLES_MAX)
            out->nmuscles++;
    }
    return out->nmuscles ? out->muscle_scores[0] : 0;
}

static int by_score(const void *a, const void *b)
{
    const kn_condition_match *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->condition > y->condition) - (x->condition < y->condition);
}

kn_rc kn_condition_match_map(const kn_painmap *map, kn_condition_match *out, size_t cap, size_t *n,
                             kn_err *err)
{
    kn_atlas_ready();
    *n = 0;
    if (cap < nconditions)
        return kn_err_set(err, KN_EINVAL, "condition match: room for %zu guides, need %zu", cap,
                          nconditions);
    for (size_t k = 0; k < nconditions; k++) {
        kn_condition_match *m = &out[k];
        memset(m, 0, sizeof *m);
        m->condition = &conditions[k];
        m->duration_days = -1;
        m->map_fit = map_fit(map, m->condition, &m->typical);
        m->muscle_fit = muscle_fit(map, m);
        m->score = (m->map_fit + m->muscle_fit) / 2;
        /* Naming a guide needs both: marks where it usually hurts, and a good score. */
        m->resembles = m->score >= RESEMBLES_SCORE && !kn_regionset_empty(&m->typical);
    }
    *n = nconditions;
    qsort(out, nconditions, sizeof *out, by_score);
    return KN_OK;
}

/* Appends printf-style text to buf, keeping it NUL-terminated when it does not fit. */
static void append(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t cap, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    kn_vsnprintf_c(buf + len, cap - len, fmt, ap);
    va_end(ap);
}

void kn_condition_match_reason(const kn_painmap *map, const kn_condition_match *m, char *buf,
                               size_t cap)
{
    if (!cap)
        return;
    buf[0] = '\0';
    int typical = kn_regionset_count(&m->typical);
    if (typical) {
        char names[2048];
        append(buf, cap, "%d of the %zu marked regions (%s) lie in its typical pain map", typical,
               map->n, kn_name_regions(&m->typical, names, sizeof names));
    } else {
        append(buf, cap, "none of the marked regions lies in its typical pain map");
    }
    if (m->nmuscles) {
        append(buf, cap, "; of the muscles it assesses first, ");
        for (size_t k = 0; k < m->nmuscles; k++)
            append(buf, cap, "%s%s (%s, %.2f)",
                   k == 0                 ? ""
                   : k + 1 == m->nmuscles ? " and "
                                          : ", ",
                   m->muscles[k]->name,
                   m->sides[k] == 'b'   ? "both sides"
                   : m->sides[k] == 'l' ? "left"
                                        : "right",
                   m->muscle_scores[k]);
        append(buf, cap, " %s for this map", m->nmuscles == 1 ? "scores" : "score");
    }
    append(buf, cap, ".");
}

void kn_condition_match_course(kn_condition_match *m, size_t n, const int duration[KN_SIDED_MAX])
{
    for (size_t k = 0; k < n; k++) {
        int longest = -1;
        for (int i = kn_regionset_next(&m[k].typical, 0); i >= 0;
             i = kn_regionset_next(&m[k].typical, i + 1))
            if (duration[i] > longest)
                longest = duration[i];
        m[k].duration_days = longest;
        const kn_condition *cd = m[k].condition;
        m[k].course_misfit = cd->acute && longest > cd->settles_days;
        if (m[k].course_misfit) {
            m[k].score /= 2;
            m[k].resembles = m[k].resembles && m[k].score >= RESEMBLES_SCORE;
        }
    }
    qsort(m, n, sizeof *m, by_score);
}

/* "3 days", "5 weeks", "8 months", "2 years": the largest unit that fits twice. */
static void duration_words(int days, char *buf, size_t cap)
{
    if (days < 14)
        snprintf(buf, cap, "%d day%s", days, days == 1 ? "" : "s");
    else if (days < 61)
        snprintf(buf, cap, "%d weeks", days / 7);
    else if (days < 730)
        snprintf(buf, cap, "%d months", days * 12 / 365);
    else
        snprintf(buf, cap, "%d years", days / 365);
}

void kn_condition_course_reason(const kn_condition_match *m, char *buf, size_t cap)
{
    if (!cap)
        return;
    buf[0] = '\0';
    if (!m->course_misfit)
        return;
    char lasted[32];
    duration_words(m->duration_days, lasted, sizeof lasted);
    snprintf(buf, cap,
             "%s usually settles within %d weeks, and this pain has lasted at least %s, so it "
             "is ranked down.",
             m->condition->name, m->condition->settles_days / 7, lasted);
}
