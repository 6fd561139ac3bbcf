/* CSV import: tells each file's kind by its header row, turns rows into diary records with
 * the diary field parsers, and writes all files in one transaction so that a bad row anywhere
 * leaves the database as it was. The formats are described in docs/CSV.md. Also reads a full
 * export (docs/EXPORT.md) back into an empty database. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/buf.h"
#include "knead/interop.h"

/* Progress is reported every this many rows: a few times a second at import speed. */
#define PROGRESS_ROWS 16384
/* Slots of the cache of region ids already checked: a power of two, over twice the number
 * of sided regions so that probes stay short. */
#define REGION_SLOTS 512
/* Pain entries parsed and waiting for the store, which adds them many to a statement
 * (kn_store_pain_add_many): one statement per row was half of a million-row import. */
#define PAIN_PENDING 4096

static const char *const kind_names[] = {
    [KN_KIND_PAIN] = "pain",
    [KN_KIND_CHECKIN] = "checkin",
    [KN_KIND_SESSION] = "session",
};

static const char *const kind_headers[] = {
    [KN_KIND_PAIN] = "at,region,intensity,qualities,note",
    [KN_KIND_CHECKIN] = ("date,stress,sleep_hours,sleep_quality,routine,pain_free,tags,treatments,"
                         "peg_pain,peg_enjoyment,peg_activity,note"),
    [KN_KIND_SESSION] = "at,minutes,therapist,work,techniques,pre_pain,post_pain,note",
};

/* Column positions, in header order. */
enum { P_AT, P_REGION, P_INTENSITY, P_QUALITIES, P_NOTE, P_NCOLS };
enum {
    C_DATE,
    C_STRESS,
    C_SLEEP_HOURS,
    C_SLEEP_QUALITY,
    C_ROUTINE,
    C_PAIN_FREE,
    C_TAGS,
    C_TREATMENTS,
    C_PEG_PAIN,
    C_PEG_ENJOYMENT,
    C_PEG_ACTIVITY,
    C_NOTE,
    C_NCOLS
};
enum {
    S_AT,
    S_MINUTES,
    S_THERAPIST,
    S_WORK,
    S_TECHNIQUES,
    S_PRE_PAIN,
    S_POST_PAIN,
    S_NOTE,
    S_NCOLS
};

static const size_t kind_ncols[] = {
    [KN_KIND_PAIN] = P_NCOLS,
    [KN_KIND_CHECKIN] = C_NCOLS,
    [KN_KIND_SESSION] = S_NCOLS,
};

const char *kn_kind_name(kn_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

const char *kn_kind_header(kn_kind k)
{
    return (unsigned)k < sizeof kind_headers / sizeof kind_headers[0] ? kind_headers[k] : "";
}

kn_rc kn_kind_parse(const char *s, const char *field, kn_kind *out, kn_err *err)
{
    for (size_t k = 0; k < sizeof kind_names / sizeof kind_names[0]; k++) {
        if (strcmp(s, kind_names[k]) == 0) {
            *out = (kn_kind)k;
            return KN_OK;
        }
    }
    return kn_err_field(err, KN_EINVAL, field, "%s '%s': must be pain, checkin or session", field,
                        s);
}

kn_rc kn_format_parse(const char *s, const char *field, kn_format *out, kn_err *err)
{
    if (strcmp(s, "csv") == 0)
        *out = KN_FORMAT_CSV;
    else if (strcmp(s, "json") == 0)
        *out = KN_FORMAT_JSON;
    else
        return kn_err_field(err, KN_EINVAL, field, "%s '%s': must be csv or json", field, s);
    return KN_OK;
}

typedef struct importer {
    kn_store *st;
    const kn_person *person;
    /* The person's zone, opened once for the local times of every row; NULL when it could not
     * be, and then each local time asks by name (and says why that fails). */
    kn_zone *zone;
    kn_import_result *res;
    kn_buf item; /* one list item, copied out of its cell */
    kn_progress_fn progress;
    void *progress_ctx;
    int64_t done_before; /* bytes of the files already imported */
    int64_t total;       /* bytes of all files, 0 when unknown */
    /* Region ids seen valid. kn_region_parse scans the atlas with strcmp, which was a sixth
     * of a million-row import; a pain file names the same few dozen regions again and again. */
    char regions[REGION_SLOTS][KN_REGION_MAX];
    kn_pain *pain;   /* PAIN_PENDING entries, npain of them parsed and not yet stored */
    long *pain_line; /* the line each of them starts on */
    size_t npain;
    /* The plausible dates (kn_plausible_day), worked out once: a row is two comparisons. */
    kn_day earliest;    /* 1 January of the birth year, or INT32_MIN */
    int64_t latest_utc; /* a day ahead of the clock at the start */
} importer;

/* ---- cells ---- */

static kn_rc required(const char *s, const char *field, kn_err *err)
{
    return *s ? KN_OK : kn_err_set(err, KN_EINVAL, "%s: is required", field);
}

/* An empty cell is "not recorded": absent, never 0. */
static kn_rc opt_int(const char *s, long lo, long hi, const char *field, int *out, kn_err *err)
{
    *out = KN_NONE;
    return *s ? kn_parse_int(s, lo, hi, field, out, err) : KN_OK;
}

static kn_rc opt_text(const char *s, size_t max, const char *field, char **out, kn_err *err)
{
    *out = NULL;
    return *s ? kn_parse_text(s, max, field, out, err) : KN_OK;
}

typedef kn_rc (*item_fn)(void *rec, const char *item, const char *field, kn_err *err);

/* Calls fn on each ';'-separated item of cell, trimmed of spaces; an empty cell has none. */
static kn_rc each_item(importer *im, const char *cell, const char *field, item_fn fn, void *rec,
                       kn_err *err)
{
    const char *p = cell;
    while (*p) {
        const char *semi = strchr(p, ';');
        const char *end = semi ? semi : p + strlen(p);
        const char *b = p;
        while (b < end && (*b == ' ' || *b == '\t'))
            b++;
        const char *e = end;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (b == e)
            return kn_err_field(err, KN_EINVAL, field, "%s '%.80s': empty item in list", field,
                                cell);
        kn_buf_reset(&im->item);
        if (kn_buf_append(&im->item, b, (size_t)(e - b)) != KN_OK)
            return kn_err_set(err, KN_ENOMEM, "%s: out of memory", field);
        kn_rc rc = fn(rec, kn_buf_str(&im->item), field, err);
        if (rc != KN_OK)
            return rc;
        if (!semi)
            break;
        p = semi + 1;
        if (!*p)
            return kn_err_field(err, KN_EINVAL, field, "%s '%.80s': empty item in list", field,
                                cell);
    }
    return KN_OK;
}

static kn_rc add_tag(void *rec, const char *item, const char *field, kn_err *err)
{
    char *word = NULL;
    kn_rc rc = kn_parse_tag(item, field, &word, err);
    if (rc == KN_OK)
        rc = kn_checkin_add_tag(rec, word, err);
    free(word);
    return rc;
}

static kn_rc add_treatment(void *rec, const char *item, const char *field, kn_err *err)
{
    kn_treatment t = {0};
    kn_rc rc = kn_parse_treatment(item, field, &t, err);
    if (rc == KN_OK)
        rc = kn_checkin_add_treatment(rec, &t, err);
    free(t.name);
    free(t.dose);
    return rc;
}

static kn_rc add_work(void *rec, const char *item, const char *field, kn_err *err)
{
    kn_work w;
    kn_rc rc = kn_parse_work(item, field, &w, err);
    return rc == KN_OK ? kn_session_add_work(rec, &w, err) : rc;
}

static kn_rc add_technique(void *rec, const char *item, const char *field, kn_err *err)
{
    char *word = NULL;
    kn_rc rc = kn_parse_word(item, field, &word, err);
    if (rc == KN_OK)
        rc = kn_session_add_technique(rec, word, err);
    free(word);
    return rc;
}

/* Checks a sided region id through the cache and copies it into out. */
static kn_rc parse_region(importer *im, const char *s, char out[KN_REGION_MAX], kn_err *err)
{
    size_t len = strlen(s);
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    size_t slot = h & (REGION_SLOTS - 1);
    if (len < KN_REGION_MAX) {
        for (size_t probe = 0; probe < 8 && im->regions[slot][0]; probe++) {
            if (memcmp(im->regions[slot], s, len + 1) == 0) {
                memcpy(out, s, len + 1);
                return KN_OK;
            }
            slot = (slot + 1) & (REGION_SLOTS - 1);
        }
    }
    const kn_region *r;
    char side;
    kn_rc rc = kn_region_parse(s, "region", &r, &side, err);
    if (rc != KN_OK)
        return rc;
    /* kn_region_parse refuses ids that do not fit KN_REGION_MAX */
    memcpy(out, s, len + 1);
    if (!im->regions[slot][0])
        memcpy(im->regions[slot], s, len + 1);
    return KN_OK;
}

static kn_rc parse_at(const char *s, const importer *im, kn_instant *at, kn_day *day, kn_err *err)
{
    kn_rc rc = required(s, "at", err);
    if (rc == KN_OK)
        rc = im->zone ? kn_instant_parse_in(s, im->zone, "at", at, err)
                      : kn_instant_parse(s, im->person->zone, "at", at, err);
    if (rc == KN_OK)
        *day = kn_instant_day(*at);
    if (rc == KN_OK && (*day < im->earliest || at->utc > im->latest_utc))
        rc = kn_plausible_instant(*at, im->person->born, "at", err);
    return rc;
}

/* ---- rows: parse, then store; the message of a failure is the field's own. Whole-record
 * rules (kn_*_validate) are checked by kn_store_*_add/put before it writes, and its message
 * becomes the row's; checking them here as well cost a tenth of a large import. ---- */

/* Frees the pending pain entries without storing them. */
static void drop_pain(importer *im)
{
    for (size_t i = 0; i < im->npain; i++)
        kn_pain_clear(&im->pain[i]);
    im->npain = 0;
}

/* Stores the pending pain entries of file name; a failure names the line of the one at
 * fault. */
static kn_rc flush_pain(importer *im, const char *name, kn_err *err)
{
    size_t added = 0, failed = 0;
    kn_rc rc = KN_OK;
    if (im->npain)
        rc = kn_store_pain_add_many(im->st, im->pain, im->npain, &added, &failed);
    if (rc != KN_OK) {
        kn_store_error(im->st, err);
        kn_err_prefix(err, "%s:%ld", name, im->pain_line[failed < im->npain ? failed : 0]);
        goto drop;
    }
    im->res->added += (int64_t)added;
    im->res->skipped += (int64_t)(im->npain - added);
drop:
    drop_pain(im);
    return rc;
}

/* Parses a pain row into the next pending entry; flush_pain stores it. */
static kn_rc import_pain(importer *im, const kn_csv *csv, kn_err *err)
{
    kn_pain *p = &im->pain[im->npain];
    kn_pain_init(p);
    p->person_id = im->person->id;
    kn_rc rc = parse_at(kn_csv_field(csv, P_AT), im, &p->at, &p->day, err);
    if (rc == KN_OK)
        rc = parse_region(im, kn_csv_field(csv, P_REGION), p->region, err);
    if (rc == KN_OK)
        rc = kn_parse_int(kn_csv_field(csv, P_INTENSITY), 0, 10, "intensity", &p->intensity, err);
    if (rc == KN_OK)
        rc = kn_qualities_parse(kn_csv_field(csv, P_QUALITIES), ';', "qualities", &p->qualities,
                                err);
    if (rc == KN_OK)
        rc = opt_text(kn_csv_field(csv, P_NOTE), KN_NOTE_MAX, "note", &p->note, err);
    if (rc != KN_OK) {
        kn_pain_clear(p);
        return rc;
    }
    im->pain_line[im->npain++] = kn_csv_line(csv);
    return KN_OK;
}

static kn_rc import_checkin(importer *im, const kn_csv *csv, kn_err *err)
{
    static const char *const peg_fields[] = {"peg_pain", "peg_enjoyment", "peg_activity"};
    kn_checkin c;
    kn_checkin_init(&c);
    c.person_id = im->person->id;
    const char *date = kn_csv_field(csv, C_DATE);
    kn_rc rc = required(date, "date", err);
    if (rc == KN_OK)
        rc = kn_date_parse(date, "date", &c.day, err);
    if (rc == KN_OK && (c.day < im->earliest || (int64_t)c.day * 86400 > im->latest_utc))
        rc = kn_plausible_day(c.day, im->person->born, "date", err);
    if (rc == KN_OK)
        rc = opt_int(kn_csv_field(csv, C_STRESS), 0, 10, "stress", &c.stress, err);
    const char *sleep = kn_csv_field(csv, C_SLEEP_HOURS);
    if (rc == KN_OK && *sleep)
        rc = kn_parse_tenths(sleep, 0, 24, "sleep_hours", &c.sleep_hours, err);
    if (rc == KN_OK)
        rc = opt_int(kn_csv_field(csv, C_SLEEP_QUALITY), 0, 10, "sleep_quality", &c.sleep_quality,
                     err);
    const char *routine = kn_csv_field(csv, C_ROUTINE);
    if (rc == KN_OK && *routine)
        rc = kn_parse_routine(routine, "routine", &c.routine, err);
    const char *pain_free = kn_csv_field(csv, C_PAIN_FREE);
    if (rc == KN_OK && *pain_free) {
        if (strcmp(pain_free, "yes") == 0)
            c.pain_free = 1;
        else
            rc = kn_err_set(err, KN_EINVAL, "pain_free '%.80s': must be yes or empty", pain_free);
    }
    if (rc == KN_OK)
        rc = each_item(im, kn_csv_field(csv, C_TAGS), "tags", add_tag, &c, err);
    if (rc == KN_OK)
        rc = each_item(im, kn_csv_field(csv, C_TREATMENTS), "treatments", add_treatment, &c, err);
    for (int i = 0; rc == KN_OK && i < 3; i++)
        rc = opt_int(kn_csv_field(csv, C_PEG_PAIN + (size_t)i), 0, 10, peg_fields[i], &c.peg[i],
                     err);
    int pegs = (c.peg[0] != KN_NONE) + (c.peg[1] != KN_NONE) + (c.peg[2] != KN_NONE);
    if (rc == KN_OK && pegs != 0 && pegs != 3)
        rc = kn_err_set(err, KN_EINVAL,
                        "peg_pain, peg_enjoyment, peg_activity: give all three or none");
    if (rc == KN_OK)
        rc = opt_text(kn_csv_field(csv, C_NOTE), KN_NOTE_MAX, "note", &c.note, err);
    if (rc != KN_OK)
        goto clear_checkin;
    bool changed = false;
    rc = kn_store_checkin_put(im->st, &c, &changed);
    if (rc != KN_OK) {
        kn_store_error(im->st, err);
        goto clear_checkin;
    }
    if (changed)
        im->res->added++;
    else
        im->res->skipped++;
clear_checkin:
    kn_checkin_clear(&c);
    return rc;
}

static kn_rc import_session(importer *im, const kn_csv *csv, kn_err *err)
{
    kn_session s;
    kn_session_init(&s);
    s.person_id = im->person->id;
    kn_rc rc = parse_at(kn_csv_field(csv, S_AT), im, &s.at, &s.day, err);
    if (rc == KN_OK)
        rc = kn_parse_int(kn_csv_field(csv, S_MINUTES), 1, 600, "minutes", &s.minutes, err);
    const char *therapist = kn_csv_field(csv, S_THERAPIST);
    if (rc == KN_OK)
        rc = required(therapist, "therapist", err);
    if (rc == KN_OK)
        rc = kn_parse_text(therapist, KN_NAME_MAX, "therapist", &s.therapist, err);
    const char *work = kn_csv_field(csv, S_WORK);
    if (rc == KN_OK)
        rc = required(work, "work", err);
    if (rc == KN_OK)
        rc = each_item(im, work, "work", add_work, &s, err);
    if (rc == KN_OK)
        rc = each_item(im, kn_csv_field(csv, S_TECHNIQUES), "techniques", add_technique, &s, err);
    if (rc == KN_OK)
        rc = opt_int(kn_csv_field(csv, S_PRE_PAIN), 0, 10, "pre_pain", &s.pre_pain, err);
    if (rc == KN_OK)
        rc = opt_int(kn_csv_field(csv, S_POST_PAIN), 0, 10, "post_pain", &s.post_pain, err);
    if (rc == KN_OK)
        rc = opt_text(kn_csv_field(csv, S_NOTE), KN_NOTE_MAX, "note", &s.note, err);
    if (rc != KN_OK)
        goto clear_session;
    bool added = false;
    rc = kn_store_session_add(im->st, &s, &added);
    if (rc != KN_OK) {
        kn_store_error(im->st, err);
        goto clear_session;
    }
    if (added)
        im->res->added++;
    else
        im->res->skipped++;
clear_session:
    kn_session_clear(&s);
    return rc;
}

/* ---- files ---- */

static bool header_is(const kn_csv *csv, kn_kind k)
{
    if (kn_csv_nfields(csv) != kind_ncols[k])
        return false;
    const char *h = kind_headers[k];
    for (size_t i = 0; i < kind_ncols[k]; i++) {
        const char *f = kn_csv_field(csv, i);
        size_t n = strlen(f);
        if (strncmp(h, f, n) != 0 || (h[n] != ',' && h[n] != '\0'))
            return false;
        h += n + (h[n] == ',');
    }
    return true;
}

static kn_rc unknown_header(const char *what, kn_err *err)
{
    return kn_err_set(err, KN_EINVAL,
                      "%s; the first row must be one of these headers: pain '%s', "
                      "checkin '%s', session '%s' (see docs/CSV.md)",
                      what, kind_headers[KN_KIND_PAIN], kind_headers[KN_KIND_CHECKIN],
                      kind_headers[KN_KIND_SESSION]);
}

/* The size of a regular file, or -1 when it has none worth showing (a pipe, a terminal). */
static int64_t regular_size(int fd, const char *path)
{
    struct stat sb;
    int rc = fd >= 0 ? fstat(fd, &sb) : stat(path, &sb);
    return rc == 0 && S_ISREG(sb.st_mode) ? (int64_t)sb.st_size : -1;
}

static kn_rc import_stream(importer *im, FILE *in, const char *name, kn_err *err)
{
    kn_csv *csv = NULL;
    kn_rc rc = kn_csv_open(in, &csv, err);
    if (rc != KN_OK)
        return rc;
    int got = kn_csv_next(csv, err);
    if (got < 0) {
        kn_err_prefix(err, "%s:%ld", name, kn_csv_line(csv));
        rc = err->code;
        goto free_csv;
    }
    if (got == 0) {
        rc = unknown_header("empty file", err);
        kn_err_prefix(err, "%s", name);
        goto free_csv;
    }
    kn_kind kind = KN_KIND_PAIN;
    while (kind <= KN_KIND_SESSION && !header_is(csv, kind))
        kind++;
    if (kind > KN_KIND_SESSION) {
        rc = unknown_header("unknown header row", err);
        kn_err_prefix(err, "%s:%ld", name, kn_csv_line(csv));
        goto free_csv;
    }
    size_t ncols = kind_ncols[kind];
    int64_t rows = 0;
    while ((got = kn_csv_next(csv, err)) > 0) {
        im->res->read++;
        if (kn_csv_nfields(csv) != ncols) {
            rc = kn_err_set(err, KN_EINVAL, "%zu fields, but the %s header has %zu",
                            kn_csv_nfields(csv), kind_names[kind], ncols);
        } else if (kind == KN_KIND_PAIN) {
            rc = import_pain(im, csv, err);
        } else if (kind == KN_KIND_CHECKIN) {
            rc = import_checkin(im, csv, err);
        } else {
            rc = import_session(im, csv, err);
        }
        if (rc != KN_OK) {
            kn_err_prefix(err, "%s:%ld", name, kn_csv_line(csv));
            goto free_csv;
        }
        if (im->npain == PAIN_PENDING && (rc = flush_pain(im, name, err)) != KN_OK)
            goto free_csv;
        if (++rows % PROGRESS_ROWS == 0 && im->progress)
            im->progress(im->progress_ctx, im->done_before + kn_csv_offset(csv), im->total);
    }
    if (got < 0) {
        kn_err_prefix(err, "%s:%ld", name, kn_csv_line(csv));
        rc = err->code;
        goto free_csv;
    }
    rc = flush_pain(im, name, err);
    if (rc != KN_OK)
        goto free_csv;
    im->done_before += kn_csv_offset(csv);
    if (im->progress)
        im->progress(im->progress_ctx, im->done_before, im->total);
free_csv:
    kn_csv_free(csv);
    return rc;
}

static kn_rc import_path(importer *im, const char *path, kn_err *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "stdin" : path;
    FILE *in = is_stdin ? stdin : fopen(path, "rb");
    if (!in) {
        char why[KN_ERRNO_TEXT_MAX];
        return kn_err_set(err, KN_EIO, "%s: cannot open: %s", path,
                          kn_errno_text(errno, why, sizeof why));
    }
    kn_rc rc = import_stream(im, in, name, err);
    if (!is_stdin)
        fclose(in);
    return rc;
}

kn_rc kn_import_files(kn_store *st, int64_t person, const char *const *paths, size_t npaths,
                      kn_progress_fn progress, void *progress_ctx, kn_import_result *res,
                      kn_err *err)
{
    kn_import_result own;
    if (!res)
        res = &own;
    memset(res, 0, sizeof *res);
    /* err may be NULL, and the row code reads back the message it prefixes */
    kn_err e = {0};
    kn_person p;
    kn_person_init(&p);
    importer im = {
        .st = st, .person = &p, .res = res, .progress = progress, .progress_ctx = progress_ctx};
    kn_buf_init(&im.item, (size_t)1 << 20);
    im.pain = malloc(PAIN_PENDING * sizeof *im.pain);
    im.pain_line = malloc(PAIN_PENDING * sizeof *im.pain_line);
    kn_rc rc = KN_OK;
    if (!im.pain || !im.pain_line) {
        rc = kn_err_set(&e, KN_ENOMEM, "out of memory");
        goto clear_person;
    }
    rc = kn_store_person_get(st, person, &p);
    if (rc == KN_ENOTFOUND) {
        kn_err_field(&e, rc, "person", "person %lld: no such person", (long long)person);
        goto clear_person;
    }
    if (rc != KN_OK) {
        kn_store_error(st, &e);
        goto clear_person;
    }
    if (kn_zone_open(p.zone, &im.zone, NULL) != KN_OK)
        im.zone = NULL;
    im.earliest = p.born != KN_NONE ? kn_day_from_civil(p.born, 1, 1) : INT32_MIN;
    im.latest_utc = (int64_t)time(NULL) + KN_FUTURE_SLACK_S;
    for (size_t i = 0; i < npaths; i++) {
        int64_t size = regular_size(strcmp(paths[i], "-") == 0 ? fileno(stdin) : -1, paths[i]);
        if (size < 0) {
            im.total = 0;
            break;
        }
        im.total += size;
    }
    rc = kn_store_begin(st);
    if (rc != KN_OK) {
        kn_store_error(st, &e);
        goto clear_person;
    }
    for (size_t i = 0; i < npaths && rc == KN_OK; i++)
        rc = import_path(&im, paths[i], &e);
    if (rc == KN_OK) {
        rc = kn_store_commit(st);
        if (rc != KN_OK)
            kn_store_error(st, &e);
    }
    if (rc != KN_OK) {
        kn_store_rollback(st);
        res->added = res->skipped = 0; /* nothing was written */
    }
clear_person:
    kn_zone_close(im.zone);
    drop_pain(&im);
    free(im.pain);
    free(im.pain_line);
    kn_buf_free(&im.item);
    kn_person_clear(&p);
    if (rc != KN_OK && err) { /* whole, with the field the row's error names */
        *err = e;
        err->code = rc;
    }
    return rc;
}

/* ---- the full export read back ---- */

bool kn_import_is_full(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    int c;
    while ((c = fgetc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t')
        ;
    fclose(f);
    return c == '{';
}

static kn_rc value_of(json_t *v, const char *where, kn_value *out, kn_err *err)
{
    memset(out, 0, sizeof *out);
    if (json_is_null(v))
        return KN_OK;
    if (json_is_integer(v)) {
        *out = (kn_value){.type = KN_VALUE_INT, .i = (int64_t)json_integer_value(v)};
        return KN_OK;
    }
    if (json_is_real(v)) {
        *out = (kn_value){.type = KN_VALUE_REAL, .r = json_real_value(v)};
        return KN_OK;
    }
    if (json_is_string(v)) {
        out->type = KN_VALUE_TEXT;
        out->text = kn_strdup(json_string_value(v));
        return out->text ? KN_OK : kn_err_set(err, KN_ENOMEM, "out of memory");
    }
    return kn_err_set(err, KN_EINVAL, "%s: must be a number, a string or null", where);
}

/* One table of the document into out: the columns are the first row's keys, and every row
 * must have the same. */
static kn_rc table_of(json_t *t, size_t ti, kn_table_rows *out, kn_err *err)
{
    json_t *name = json_object_get(t, "table"), *rows = json_object_get(t, "rows");
    if (!json_is_string(name) || !json_is_array(rows))
        return kn_err_set(err, KN_EINVAL,
                          "tables[%zu]: needs \"table\" (text) and \"rows\" (a list)", ti);
    out->table = kn_strdup(json_string_value(name));
    if (!out->table)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    size_t n = json_array_size(rows);
    if (!n)
        return KN_OK;
    json_t *first = json_array_get(rows, 0);
    if (!json_is_object(first) || !json_object_size(first))
        return kn_err_set(err, KN_EINVAL, "tables.%s.rows[0]: must be an object of columns",
                          out->table);
    out->ncolumns = json_object_size(first);
    out->columns = calloc(out->ncolumns, sizeof *out->columns);
    out->values = calloc(n * out->ncolumns, sizeof *out->values);
    if (!out->columns || !out->values)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    const char *key;
    json_t *v;
    size_t c = 0;
    json_object_foreach(first, key, v)
    {
        if (!(out->columns[c++] = kn_strdup(key)))
            return kn_err_set(err, KN_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < n; r++) {
        json_t *row = json_array_get(rows, r);
        char where[256];
        if (!json_is_object(row) || json_object_size(row) != out->ncolumns)
            return kn_err_set(err, KN_EINVAL,
                              "tables.%s.rows[%zu]: must have the columns of the first row",
                              out->table, r);
        out->nrows++;
        for (c = 0; c < out->ncolumns; c++) {
            snprintf(where, sizeof where, "tables.%s.rows[%zu].%s", out->table, r, out->columns[c]);
            json_t *cell = json_object_get(row, out->columns[c]);
            if (!cell)
                return kn_err_set(err, KN_EINVAL, "%s: missing", where);
            kn_rc rc = value_of(cell, where, &out->values[r * out->ncolumns + c], err);
            if (rc != KN_OK)
                return rc;
            /* the export's null therapist of a session is the stored placeholder again */
            kn_value *val = &out->values[r * out->ncolumns + c];
            if (json_is_null(cell) && strcmp(out->table, "session") == 0 &&
                strcmp(out->columns[c], "therapist") == 0) {
                val->type = KN_VALUE_TEXT;
                if (!(val->text = kn_strdup(KN_THERAPIST_NOT_RECORDED)))
                    return kn_err_set(err, KN_ENOMEM, "out of memory");
            }
        }
    }
    return KN_OK;
}

/* The column of t named name, or -1. */
static int column_of(const kn_table_rows *t, const char *name)
{
    for (size_t c = 0; c < t->ncolumns; c++)
        if (strcmp(t->columns[c], name) == 0)
            return (int)c;
    return -1;
}

/* The dated records of a full export must be plausible for its person, as any record made
 * otherwise: instants (at_utc with offset_min) of pain entries, sessions and feedback, and
 * the days of check-ins. */
static kn_rc check_dates(const kn_rowset *rows, kn_err *err)
{
    int born = KN_NONE;
    for (size_t t = 0; t < rows->ntables; t++) {
        const kn_table_rows *tr = &rows->tables[t];
        int c = column_of(tr, "born");
        if (strcmp(tr->table, "person") == 0 && tr->nrows && c >= 0 &&
            tr->values[c].type == KN_VALUE_INT)
            born = (int)tr->values[c].i;
    }
    static const char *const instants[] = {"pain", "session", "session_event"};
    for (size_t t = 0; t < rows->ntables; t++) {
        const kn_table_rows *tr = &rows->tables[t];
        bool dated = false;
        for (size_t k = 0; k < 3; k++)
            dated |= strcmp(tr->table, instants[k]) == 0;
        int utc = column_of(tr, "at_utc"), off = column_of(tr, "offset_min"),
            date = column_of(tr, "local_date");
        for (size_t r = 0; r < tr->nrows; r++) {
            const kn_value *row = &tr->values[r * tr->ncolumns];
            char where[128];
            kn_rc rc = KN_OK;
            if (dated && utc >= 0 && off >= 0 && row[utc].type == KN_VALUE_INT &&
                row[off].type == KN_VALUE_INT) {
                snprintf(where, sizeof where, "tables.%s.rows[%zu].at_utc", tr->table, r);
                kn_instant at = {row[utc].i, (int)row[off].i};
                rc = kn_plausible_instant(at, born, where, err);
            } else if (strcmp(tr->table, "checkin") == 0 && date >= 0 &&
                       row[date].type == KN_VALUE_TEXT) {
                snprintf(where, sizeof where, "tables.checkin.rows[%zu].local_date", r);
                kn_day day;
                rc = kn_date_parse(row[date].text, where, &day, err);
                if (rc == KN_OK)
                    rc = kn_plausible_day(day, born, where, err);
            }
            if (rc != KN_OK)
                return rc;
        }
    }
    return KN_OK;
}

kn_rc kn_import_all(kn_store *st, const char *path, int64_t *person, kn_err *err)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    if (!doc)
        return kn_err_set(err, KN_EINVAL, "%s:%d: not JSON (%s)", path, jerr.line, jerr.text);
    kn_rowset rows = {0};
    kn_rc rc = KN_OK;
    json_t *format = json_object_get(doc, "format"),
           *version = json_object_get(doc, "format_version");
    json_t *schema = json_object_get(doc, "schema_version"),
           *tables = json_object_get(doc, "tables");
    json_t *who = json_object_get(doc, "person");
    if (!json_is_string(format) || strcmp(json_string_value(format), KN_EXPORT_FORMAT) != 0) {
        rc = kn_err_set(err, KN_EINVAL, "%s: format: not a knead full export", path);
        goto free_doc;
    }
    if (!json_is_integer(version) || json_integer_value(version) != KN_EXPORT_VERSION) {
        rc = kn_err_set(err, KN_EINVAL, "%s: format_version: this knead reads version %d", path,
                        KN_EXPORT_VERSION);
        goto free_doc;
    }
    if (!json_is_integer(schema) || json_integer_value(schema) > kn_store_schema_version(st)) {
        rc = kn_err_set(err, KN_EINVAL,
                        "%s: schema_version: written by a newer knead (schema %d here)", path,
                        kn_store_schema_version(st));
        goto free_doc;
    }
    if (!json_is_integer(who) || !json_is_array(tables)) {
        rc = kn_err_set(err, KN_EINVAL, "%s: needs \"person\" (an id) and \"tables\" (a list)",
                        path);
        goto free_doc;
    }
    rows.tables = calloc(json_array_size(tables) + 1, sizeof *rows.tables);
    if (!rows.tables) {
        rc = kn_err_set(err, KN_ENOMEM, "out of memory");
        goto free_doc;
    }
    for (size_t t = 0; t < json_array_size(tables) && rc == KN_OK; t++) {
        rows.ntables++;
        rc = table_of(json_array_get(tables, t), t, &rows.tables[t], err);
    }
    if (rc == KN_OK)
        rc = check_dates(&rows, err);
    if (rc != KN_OK) {
        kn_err_prefix(err, "%s", path);
        goto free_rows;
    }
    if ((rc = kn_store_begin(st)) != KN_OK) {
        kn_store_error(st, err);
        goto free_rows;
    }
    rc = kn_store_person_rows_put(st, &rows);
    if (rc == KN_OK)
        rc = kn_store_commit(st);
    if (rc != KN_OK) {
        kn_store_error(st, err);
        kn_err_prefix(err, "%s", path);
        kn_store_rollback(st);
        goto free_rows;
    }
    *person = (int64_t)json_integer_value(who);
free_rows:
    kn_rowset_free(&rows);
free_doc:
    json_decref(doc);
    return rc;
}
