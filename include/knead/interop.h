/* Getting diary data in and out: the CSV reader, import and export in CSV and JSON, the one
 * JSON encoder every face shares, and the synthetic demo person. */
#ifndef KNEAD_INTEROP_H
#define KNEAD_INTEROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "knead/care.h"
#include "knead/diary.h"
#include "knead/insight.h"
#include "knead/report.h"
#include "knead/store.h"

/* ---- CSV (RFC 4180: quoted fields, doubled quotes, embedded newlines; UTF-8 with an
 * optional BOM; CRLF or LF line ends) ---- */
typedef struct kn_csv kn_csv;

kn_rc kn_csv_open(FILE *in, kn_csv **out, kn_err *err);
void kn_csv_free(kn_csv *csv);
/* Reads the next record: 1 = a record, 0 = end of input, negative = malformed (err says why).
 * Fields stay valid until the next call. */
int kn_csv_next(kn_csv *csv, kn_err *err);
size_t kn_csv_nfields(const kn_csv *csv);
const char *kn_csv_field(const kn_csv *csv, size_t i);
/* The line on which the current record starts (1-based). */
long kn_csv_line(const kn_csv *csv);
/* Bytes consumed so far (for progress). */
int64_t kn_csv_offset(const kn_csv *csv);

/* Writes one CSV field, quoted when it must be. */
void kn_csv_write_field(FILE *out, const char *s);

/* ---- import / export ---- */
typedef enum kn_kind { KN_KIND_PAIN, KN_KIND_CHECKIN, KN_KIND_SESSION } kn_kind;
typedef enum kn_format { KN_FORMAT_CSV, KN_FORMAT_JSON } kn_format;

kn_rc kn_kind_parse(const char *s, const char *field, kn_kind *out, kn_err *err);
kn_rc kn_format_parse(const char *s, const char *field, kn_format *out, kn_err *err);
const char *kn_kind_name(kn_kind k);
/* The exact CSV header row of a kind (docs/CSV.md), without a line end. */
const char *kn_kind_header(kn_kind k);

typedef struct kn_import_result {
    int64_t read;    /* data rows read */
    int64_t added;   /* rows that changed the database */
    int64_t skipped; /* rows already recorded */
} kn_import_result;

/* Called now and then with bytes done and total (total 0 when unknown). */
typedef void (*kn_progress_fn)(void *ctx, int64_t done, int64_t total);

/* Imports CSV files (the kind is told by the header row) for a person in one transaction:
 * on the first bad row nothing is written and err reads "FILE:LINE: field: reason". */
kn_rc kn_import_files(kn_store *st, int64_t person, const char *const *paths, size_t npaths,
                      kn_progress_fn progress, void *progress_ctx, kn_import_result *res,
                      kn_err *err);

kn_rc kn_export(kn_store *st, int64_t person, kn_kind kind, kn_format format, FILE *out,
                kn_err *err);

/* The full export (docs/EXPORT.md): everything stored of the person, as one JSON document
 * of format KN_EXPORT_VERSION. */
#define KN_EXPORT_FORMAT "knead-export"
#define KN_EXPORT_VERSION 1
kn_rc kn_export_all(kn_store *st, int64_t person, FILE *out, kn_err *err);
/* Reads a full export back, unchanged and ids included, into a database holding no person,
 * in one transaction; sets *person. Errors name the place in the document. */
kn_rc kn_import_all(kn_store *st, const char *path, int64_t *person, kn_err *err);
/* Whether the file at path looks like a full export (a JSON object, not CSV). */
bool kn_import_is_full(const char *path);

/* ---- the JSON encoder (shared by the CLI and the HTTP face) ---- */
json_t *kn_json_person(const kn_person *p);
json_t *kn_json_pain(const kn_pain *p);
json_t *kn_json_checkin(const kn_checkin *c);
json_t *kn_json_session(const kn_session *s);
json_t *kn_json_region(const kn_region *r);
/* A set of sided regions: their ids in atlas order. */
json_t *kn_json_regionset(const kn_regionset *set);
json_t *kn_json_diary(const kn_diary *d, const kn_diary_summary *s);
/* Writes v (and a newline) to out and releases it. */
kn_rc kn_json_write(json_t *v, FILE *out, kn_err *err);
/* The same with every real at full double precision (17 significant digits), for figures
 * that others recompute and compare (insights). */
kn_rc kn_json_write_exact(json_t *v, FILE *out, kn_err *err);
/* ---- the care workflow (docs/CARE.md) ---- */
/* A session plan; gate first when given. */
json_t *kn_json_plan(const kn_plan *p, const kn_gate *gate);
json_t *kn_json_therapist(const kn_therapist *t);
json_t *kn_json_therapist_matches(const kn_therapist_match *m, size_t n);
json_t *kn_json_intake(const kn_intake_answers *a, int version);
/* What recording an intake did: its version, whether it changed, the screening it ran
 * (verdict and pressure cap null when nothing changed). */
json_t *kn_json_intake_result(const kn_intake_result *r);
/* The brief: gate first, then every section of the page. */
json_t *kn_json_brief(const kn_brief *b);
json_t *kn_json_clearance(const kn_clearance *c);
/* The medicine entries that data/medications.tsv does not know (kn_medication_match), as
 * they were given: each is to be asked about, never passed over. */
json_t *kn_json_unknown_medications(char *const *medications, size_t n);
/* What kn_plan_clamp changed in plan (as stored): [{"block": N (1-based), "kind", "muscle",
 * "change": "pressure"|"regions"|"dropped", "from", "to", "regions", "why"}]. */
json_t *kn_json_plan_changes(const kn_plan *plan, const kn_plan_change *c, size_t n);
/* A screening as it stands with the person's clearances (c, n): kn_json_screening with the
 * verdict, reasons, regions and cap worked out again, each reason with the date its answer
 * was given, the "cleared" questions with who cleared them and when, and "unanswered_count". */
json_t *kn_json_screening_cleared(const kn_screening *s, const kn_clearance *c, size_t n);
/* A live session: its state, diary record, feedback timeline, note versions and plan. */
json_t *kn_json_live_session(const kn_live_session *live, const kn_session *s,
                             const kn_event_list *events, const kn_note_list *notes,
                             const kn_plan *plan);
/* The insights of docs/INSIGHTS.md ("person" first) as JSON text, generated straight from
 * the record (no tree): on one line, or indented by 2 when pretty; either way ending in a
 * newline, with numbers as kn_json_write_exact prints them. The caller frees *out. */
kn_rc kn_json_insights_text(const kn_insights *ins, bool pretty, char **out, size_t *len,
                            kn_err *err);

/* ---- demo ---- */
typedef struct kn_demo_opts {
    int days;         /* length of the diary, 1-3650 */
    uint64_t seed;    /* same seed + same end day = same diary */
    kn_day end;       /* last diary day */
    const char *name; /* NULL = "Demo Person" */
} kn_demo_opts;

/* Creates a synthetic person with chronic right neck/shoulder pain and temple headaches
 * that follow stress, short sleep and weekly massage. Sets *person. */
kn_rc kn_demo_create(kn_store *st, const kn_demo_opts *opts, int64_t *person, kn_err *err);

/* ---- JSON of the clinical atlas and of screening (knead triggers, condition, screen) ----
 * gate may be NULL (no person); when given, "gate" is the first key, so that its message
 * comes before anything else. Outputs naming muscles or conditions carry "notice". */
json_t *kn_json_gate(const kn_gate *g);
json_t *kn_json_ranking(const kn_painmap *map, const kn_ranking *r, const kn_gate *gate);
json_t *kn_json_condition(const kn_condition *c, const kn_gate *gate);
json_t *kn_json_conditions(void);
json_t *kn_json_condition_matches(const kn_painmap *map, const kn_condition_match *m, size_t n,
                                  const kn_gate *gate);
json_t *kn_json_question(const kn_question *q);
/* A stored screening with its reasons (worked out again from its answers; the stored verdict
 * and pressure cap stand). */
json_t *kn_json_screening(const kn_screening *s);

#endif
