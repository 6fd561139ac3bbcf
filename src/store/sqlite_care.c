/* The SQLite backend of the care workflow's records (schema 3): therapists, intake versions,
 * plans and their blocks, live sessions with their feedback events and SOAP note versions.
 * The statements are portable SQL; each is prepared with its parameters bound, run, and
 * finalised (these operations run a few times per command, not in bulk). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/backend.h"
#include "store/sqlite_shared.h"

typedef struct q {
    sqlite3 *db;
    const char *path;
    sqlite3_stmt *st;
} q;

/* Care records refer to persons, therapists, plans and sessions. */
static kn_rc q_error(q *x, kn_err *err, const char *what)
{
    return kn_sqlite_error(x->db, x->path, what, "a referenced record does not exist", err);
}

static kn_rc q_prepare(void *impl, q *x, const char *sql, kn_err *err)
{
    x->db = kn_sqlite_db(impl);
    x->path = kn_sqlite_path(impl);
    x->st = NULL;
    if (sqlite3_prepare_v2(x->db, sql, -1, &x->st, NULL) != SQLITE_OK)
        return q_error(x, err, "prepare");
    return KN_OK;
}

static void q_done(q *x)
{
    sqlite3_finalize(x->st);
    x->st = NULL;
}

/* Steps a statement that returns no rows. */
static kn_rc q_exec(q *x, kn_err *err, const char *what)
{
    kn_rc rc = sqlite3_step(x->st) == SQLITE_DONE ? KN_OK : q_error(x, err, what);
    q_done(x);
    return rc;
}

static void bind_id(q *x, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(x->st, i, id);
    else
        sqlite3_bind_null(x->st, i);
}

/* ---- therapists ---- */

static kn_rc sqc_therapist_add(void *impl, kn_therapist *t, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "INSERT INTO therapist(name, license, board_certified, amta_member) "
                         "VALUES (?, ?, ?, ?)",
                         err);
    if (rc != KN_OK)
        return rc;
    bind_opt_text(x.st, 1, t->name);
    bind_opt_text(x.st, 2, t->license);
    sqlite3_bind_int(x.st, 3, t->board_certified);
    sqlite3_bind_int(x.st, 4, t->amta_member);
    if ((rc = q_exec(&x, err, "add therapist")) != KN_OK)
        return rc;
    t->id = sqlite3_last_insert_rowid(x.db);
    for (size_t i = 0; i < t->nspecialties && rc == KN_OK; i++) {
        if ((rc = q_prepare(impl, &x,
                            "INSERT INTO therapist_specialty(therapist_id, pos, specialty) "
                            "VALUES (?, ?, ?)",
                            err)) != KN_OK)
            return rc;
        sqlite3_bind_int64(x.st, 1, t->id);
        sqlite3_bind_int(x.st, 2, (int)i);
        bind_opt_text(x.st, 3, t->specialties[i]);
        rc = q_exec(&x, err, "add therapist specialty");
    }
    return rc;
}

static kn_rc read_specialties(void *impl, kn_therapist *t, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(
        impl, &x, "SELECT specialty FROM therapist_specialty WHERE therapist_id = ? ORDER BY pos",
        err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, t->id);
    int step;
    while (rc == KN_OK && (step = sqlite3_step(x.st)) == SQLITE_ROW)
        rc = kn_therapist_add_specialty(t, (const char *)sqlite3_column_text(x.st, 0), err);
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = q_error(&x, err, "read therapist specialties");
    q_done(&x);
    return rc;
}

static kn_rc read_therapists(void *impl, int64_t id, kn_therapist_list *out, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         id ? "SELECT id, name, license, board_certified, amta_member FROM "
                              "therapist WHERE id = ?"
                            : "SELECT id, name, license, board_certified, amta_member FROM "
                              "therapist ORDER BY id",
                         err);
    if (rc != KN_OK)
        return rc;
    if (id)
        sqlite3_bind_int64(x.st, 1, id);
    int step;
    int oom = 0;
    while (rc == KN_OK && (step = sqlite3_step(x.st)) == SQLITE_ROW) {
        kn_therapist *t = list_slot((void **)&out->items, &out->n, &out->cap, sizeof *t);
        if (!t) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        out->n++;
        t->id = sqlite3_column_int64(x.st, 0);
        t->name = col_opt_text(x.st, 1, &oom);
        t->license = col_opt_text(x.st, 2, &oom);
        t->board_certified = sqlite3_column_int(x.st, 3) != 0;
        t->amta_member = sqlite3_column_int(x.st, 4) != 0;
        if (oom)
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = q_error(&x, err, "read therapists");
    q_done(&x);
    for (size_t i = 0; i < out->n && rc == KN_OK; i++)
        rc = read_specialties(impl, &out->items[i], err);
    return rc;
}

static kn_rc sqc_therapist_get(void *impl, int64_t id, kn_therapist *out, kn_err *err)
{
    kn_therapist_list l = {0};
    kn_rc rc = read_therapists(impl, id, &l, err);
    if (rc == KN_OK && l.n == 0)
        rc = kn_err_field(err, KN_ENOTFOUND, "therapist", "therapist %lld: no such therapist",
                          (long long)id);
    if (rc == KN_OK) {
        *out = l.items[0];
        l.n = 0; /* moved out */
    }
    kn_therapist_list_free(&l);
    return rc;
}

static kn_rc sqc_therapist_list(void *impl, kn_therapist_list *out, kn_err *err)
{
    return read_therapists(impl, 0, out, err);
}

/* ---- intakes ---- */

static kn_rc sqc_intake_count(void *impl, int64_t person, int *out, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x, "SELECT COUNT(*) FROM intake WHERE person_id = ?", err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, person);
    if (sqlite3_step(x.st) == SQLITE_ROW)
        *out = sqlite3_column_int(x.st, 0);
    else
        rc = q_error(&x, err, "count intakes");
    q_done(&x);
    return rc;
}

static kn_rc sqc_intake_add(void *impl, kn_intake *in, kn_err *err)
{
    int count = 0;
    kn_rc rc = sqc_intake_count(impl, in->person_id, &count, err);
    if (rc != KN_OK)
        return rc;
    in->version = count + 1;
    q x;
    if ((rc = q_prepare(impl, &x,
                        "INSERT INTO intake(person_id, version, at_utc, offset_min, answers, "
                        "screening_id) VALUES (?, ?, ?, ?, ?, ?)",
                        err)) != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, in->person_id);
    sqlite3_bind_int(x.st, 2, in->version);
    sqlite3_bind_int64(x.st, 3, in->at.utc);
    sqlite3_bind_int(x.st, 4, in->at.offset_min);
    bind_opt_text(x.st, 5, in->answers);
    bind_id(&x, 6, in->screening_id);
    if ((rc = q_exec(&x, err, "add intake")) == KN_OK)
        in->id = sqlite3_last_insert_rowid(x.db);
    for (size_t i = 0; rc == KN_OK && i < in->nonsets; i++) {
        const kn_intake_onset *o = &in->onsets[i];
        char date[KN_DATE_LEN];
        kn_date_format(o->onset, date);
        if ((rc = q_prepare(impl, &x,
                            "INSERT INTO intake_onset(intake_id, region, onset, exact) "
                            "VALUES (?, ?, ?, ?)",
                            err)) != KN_OK)
            break;
        sqlite3_bind_int64(x.st, 1, in->id);
        sqlite3_bind_text(x.st, 2, o->region, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(x.st, 3, date, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(x.st, 4, o->exact ? 1 : 0);
        rc = q_exec(&x, err, "add intake onset");
    }
    return rc;
}

/* The pain onsets of intake version id, by region. */
static kn_rc read_onsets(void *impl, kn_intake *out, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "SELECT region, onset, exact FROM intake_onset WHERE intake_id = ? "
                         "ORDER BY region",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, out->id);
    int step = SQLITE_DONE;
    while (rc == KN_OK && (step = sqlite3_step(x.st)) == SQLITE_ROW) {
        kn_intake_onset *grown = realloc(out->onsets, (out->nonsets + 1) * sizeof *grown);
        if (!grown) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        out->onsets = grown;
        kn_intake_onset *o = &out->onsets[out->nonsets];
        memset(o, 0, sizeof *o);
        const char *region = (const char *)sqlite3_column_text(x.st, 0);
        const char *onset = (const char *)sqlite3_column_text(x.st, 1);
        snprintf(o->region, sizeof o->region, "%s", region ? region : "");
        o->exact = sqlite3_column_int(x.st, 2) == 1;
        if (!onset || kn_date_parse(onset, "intake_onset.onset", &o->onset, err) != KN_OK)
            rc = kn_err_set(err, KN_EDB, "intake_onset of intake %lld: bad onset",
                            (long long)out->id);
        else
            out->nonsets++;
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = q_error(&x, err, "read intake onsets");
    q_done(&x);
    return rc;
}

static kn_rc sqc_intake_latest(void *impl, int64_t person, kn_intake *out, bool *found, kn_err *err)
{
    *found = false;
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "SELECT id, version, at_utc, offset_min, answers, screening_id FROM "
                         "intake WHERE person_id = ? ORDER BY version DESC LIMIT 1",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, person);
    int step = sqlite3_step(x.st);
    if (step == SQLITE_ROW) {
        int oom = 0;
        out->id = sqlite3_column_int64(x.st, 0);
        out->person_id = person;
        out->version = sqlite3_column_int(x.st, 1);
        out->at = (kn_instant){sqlite3_column_int64(x.st, 2), sqlite3_column_int(x.st, 3)};
        out->answers = col_opt_text(x.st, 4, &oom);
        out->screening_id = sqlite3_column_int64(x.st, 5);
        *found = true;
        if (oom)
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
    } else if (step != SQLITE_DONE) {
        rc = q_error(&x, err, "read intake");
    }
    q_done(&x);
    if (rc == KN_OK && *found)
        rc = read_onsets(impl, out, err);
    return rc;
}

/* ---- plans ---- */

static const char *side_text(char side)
{
    return side == 'l' ? "l" : side == 'r' ? "r" : side == 'b' ? "both" : NULL;
}

static char side_of(const unsigned char *t)
{
    if (!t)
        return 0;
    return strcmp((const char *)t, "both") == 0 ? 'b' : (char)t[0];
}

/* Sided region ids joined by ";". */
static void regions_text(const kn_regionset *set, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = 0;
    for (int i = kn_regionset_next(set, 0); i >= 0 && len < cap;
         i = kn_regionset_next(set, i + 1)) {
        snprintf(buf + len, cap - len, "%s%s", len ? ";" : "", kn_sided_id(i));
        len = strlen(buf);
    }
}

static kn_regionset regions_of(const unsigned char *text)
{
    kn_regionset set = {{0}};
    char buf[KN_SIDED_MAX * KN_REGION_MAX];
    snprintf(buf, sizeof buf, "%s", text ? (const char *)text : "");
    for (char *save = NULL, *tok = strtok_r(buf, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        int k = kn_sided_find(tok);
        if (k >= 0) /* a region the tables no longer have is passed over */
            kn_regionset_add(&set, k);
    }
    return set;
}

static kn_rc sqc_plan_add(void *impl, kn_plan *p, kn_err *err)
{
    char buf[KN_SIDED_MAX * KN_REGION_MAX];
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "INSERT INTO plan(person_id, therapist_id, at_utc, offset_min, minutes, "
                         "max_pressure, avoid) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         err);
    if (rc != KN_OK)
        return rc;
    regions_text(&p->avoid, buf, sizeof buf);
    sqlite3_bind_int64(x.st, 1, p->person_id);
    bind_id(&x, 2, p->therapist_id);
    sqlite3_bind_int64(x.st, 3, p->at.utc);
    sqlite3_bind_int(x.st, 4, p->at.offset_min);
    sqlite3_bind_int(x.st, 5, p->minutes);
    bind_opt_int(x.st, 6, p->max_pressure ? p->max_pressure : KN_NONE);
    bind_opt_text(x.st, 7, buf);
    if ((rc = q_exec(&x, err, "add plan")) != KN_OK)
        return rc;
    p->id = sqlite3_last_insert_rowid(x.db);
    for (size_t i = 0; i < p->nblocks && rc == KN_OK; i++) {
        const kn_plan_block *b = &p->blocks[i];
        if ((rc = q_prepare(impl, &x,
                            "INSERT INTO plan_block(plan_id, pos, kind, minutes, regions, "
                            "muscle, side, technique, pressure, why, pressure_reason) VALUES (?, "
                            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            err)) != KN_OK)
            return rc;
        regions_text(&b->regions, buf, sizeof buf);
        sqlite3_bind_int64(x.st, 1, p->id);
        sqlite3_bind_int(x.st, 2, (int)i);
        bind_opt_text(x.st, 3, kn_block_kind_name(b->kind));
        sqlite3_bind_int(x.st, 4, b->minutes);
        bind_opt_text(x.st, 5, buf);
        bind_opt_text(x.st, 6, b->muscle ? b->muscle->id : NULL);
        bind_opt_text(x.st, 7, side_text(b->side));
        bind_opt_text(x.st, 8, b->technique);
        sqlite3_bind_int(x.st, 9, b->pressure);
        bind_opt_text(x.st, 10, b->why);
        bind_opt_text(x.st, 11, b->pressure_reason[0] ? b->pressure_reason : NULL);
        rc = q_exec(&x, err, "add plan block");
    }
    return rc;
}

static kn_block_kind kind_of(const unsigned char *t)
{
    if (t && strcmp((const char *)t, "warmup") == 0)
        return KN_BLOCK_WARMUP;
    if (t && strcmp((const char *)t, "closing") == 0)
        return KN_BLOCK_CLOSING;
    return KN_BLOCK_FOCUS;
}

static kn_rc sqc_plan_get(void *impl, int64_t id, kn_plan *out, kn_err *err)
{
    memset(out, 0, sizeof *out);
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "SELECT person_id, therapist_id, at_utc, offset_min, minutes, "
                         "max_pressure, avoid FROM plan WHERE id = ?",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, id);
    int step = sqlite3_step(x.st);
    if (step == SQLITE_ROW) {
        out->id = id;
        out->person_id = sqlite3_column_int64(x.st, 0);
        out->therapist_id = sqlite3_column_int64(x.st, 1);
        out->at = (kn_instant){sqlite3_column_int64(x.st, 2), sqlite3_column_int(x.st, 3)};
        out->minutes = sqlite3_column_int(x.st, 4);
        int cap = col_opt_int(x.st, 5);
        out->max_pressure = cap == KN_NONE ? 0 : cap;
        out->avoid = regions_of(sqlite3_column_text(x.st, 6));
    } else if (step == SQLITE_DONE) {
        rc = kn_err_set(err, KN_ENOTFOUND, "plan %lld: no such plan", (long long)id);
    } else {
        rc = q_error(&x, err, "read plan");
    }
    q_done(&x);
    if (rc != KN_OK)
        return rc;
    if ((rc = q_prepare(impl, &x,
                        "SELECT kind, minutes, regions, muscle, side, technique, pressure, why, "
                        "pressure_reason FROM plan_block WHERE plan_id = ? ORDER BY pos",
                        err)) != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, id);
    while ((step = sqlite3_step(x.st)) == SQLITE_ROW && out->nblocks < KN_PLAN_BLOCKS_MAX) {
        kn_plan_block *b = &out->blocks[out->nblocks++];
        b->kind = kind_of(sqlite3_column_text(x.st, 0));
        b->minutes = sqlite3_column_int(x.st, 1);
        b->regions = regions_of(sqlite3_column_text(x.st, 2));
        const unsigned char *m = sqlite3_column_text(x.st, 3);
        b->muscle = m ? kn_muscle_find((const char *)m) : NULL;
        b->side = side_of(sqlite3_column_text(x.st, 4));
        const unsigned char *technique = sqlite3_column_text(x.st, 5);
        snprintf(b->technique, sizeof b->technique, "%s", technique ? (const char *)technique : "");
        b->pressure = sqlite3_column_int(x.st, 6);
        const unsigned char *why = sqlite3_column_text(x.st, 7);
        snprintf(b->why, sizeof b->why, "%s", why ? (const char *)why : "");
        const unsigned char *reason = sqlite3_column_text(x.st, 8);
        snprintf(b->pressure_reason, sizeof b->pressure_reason, "%s",
                 reason ? (const char *)reason : "");
    }
    if (step != SQLITE_DONE && step != SQLITE_ROW)
        rc = q_error(&x, err, "read plan blocks");
    q_done(&x);
    return rc;
}

/* ---- live sessions ---- */

static kn_rc sqc_live_start(void *impl, kn_session *s, int64_t plan_id, int64_t therapist_id,
                            kn_err *err)
{
    char date[KN_DATE_LEN];
    kn_date_format(s->day, date);
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "INSERT INTO session(person_id, at_utc, offset_min, local_date, "
                         "therapist, minutes, pre_pain, post_pain, note) VALUES (?, ?, ?, ?, "
                         "?, ?, ?, ?, ?)",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, s->person_id);
    sqlite3_bind_int64(x.st, 2, s->at.utc);
    sqlite3_bind_int(x.st, 3, s->at.offset_min);
    bind_opt_text(x.st, 4, date);
    bind_opt_text(x.st, 5, s->therapist);
    sqlite3_bind_int(x.st, 6, s->minutes);
    bind_opt_int(x.st, 7, s->pre_pain);
    bind_opt_int(x.st, 8, s->post_pain);
    bind_opt_text(x.st, 9, s->note);
    int step = sqlite3_step(x.st);
    if (step != SQLITE_DONE) {
        rc = sqlite3_extended_errcode(x.db) == SQLITE_CONSTRAINT_UNIQUE
                 ? kn_err_field(err, KN_EINVAL, "at", "at: a session at that instant is recorded")
                 : q_error(&x, err, "start session");
        q_done(&x);
        return rc;
    }
    q_done(&x);
    s->id = sqlite3_last_insert_rowid(x.db);
    if ((rc = q_prepare(impl, &x,
                        "INSERT INTO live_session(session_id, state, plan_id, therapist_id) "
                        "VALUES (?, 'open', ?, ?)",
                        err)) != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, s->id);
    bind_id(&x, 2, plan_id);
    bind_id(&x, 3, therapist_id);
    return q_exec(&x, err, "start session");
}

static kn_session_state state_of(const unsigned char *t)
{
    if (!t)
        return KN_SESSION_RECORDED;
    if (strcmp((const char *)t, "open") == 0)
        return KN_SESSION_OPEN;
    if (strcmp((const char *)t, "finished") == 0)
        return KN_SESSION_FINISHED;
    if (strcmp((const char *)t, "cancelled") == 0)
        return KN_SESSION_CANCELLED;
    return KN_SESSION_SIGNED;
}

static kn_rc sqc_live_get(void *impl, int64_t id, kn_live_session *out, kn_err *err)
{
    memset(out, 0, sizeof *out);
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "SELECT s.person_id, s.at_utc, s.offset_min, l.state, l.plan_id, "
                         "l.therapist_id, l.ended_utc, l.ended_offset, l.signed_utc, "
                         "l.signed_offset, l.signed_by FROM session s LEFT JOIN live_session l ON "
                         "l.session_id = s.id WHERE s.id = ?",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, id);
    int step = sqlite3_step(x.st);
    if (step == SQLITE_ROW) {
        out->id = id;
        out->person_id = sqlite3_column_int64(x.st, 0);
        out->started = (kn_instant){sqlite3_column_int64(x.st, 1), sqlite3_column_int(x.st, 2)};
        out->state = state_of(sqlite3_column_text(x.st, 3));
        out->plan_id = sqlite3_column_int64(x.st, 4);
        out->therapist_id = sqlite3_column_int64(x.st, 5);
        out->ended = (kn_instant){sqlite3_column_int64(x.st, 6), sqlite3_column_int(x.st, 7)};
        out->signed_at = (kn_instant){sqlite3_column_int64(x.st, 8), sqlite3_column_int(x.st, 9)};
        out->signed_by = sqlite3_column_int64(x.st, 10);
    } else if (step == SQLITE_DONE) {
        rc = kn_err_set(err, KN_ENOTFOUND, "session %lld: no such session", (long long)id);
    } else {
        rc = q_error(&x, err, "read session");
    }
    q_done(&x);
    return rc;
}

static kn_rc sqc_session_get(void *impl, int64_t id, kn_session *out, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "SELECT person_id, at_utc, offset_min, therapist, minutes, pre_pain, "
                         "post_pain, note FROM session WHERE id = ?",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, id);
    int step = sqlite3_step(x.st);
    int oom = 0;
    if (step == SQLITE_ROW) {
        out->id = id;
        out->person_id = sqlite3_column_int64(x.st, 0);
        out->at = (kn_instant){sqlite3_column_int64(x.st, 1), sqlite3_column_int(x.st, 2)};
        out->day = kn_instant_day(out->at);
        out->therapist = col_opt_text(x.st, 3, &oom);
        out->minutes = sqlite3_column_int(x.st, 4);
        out->pre_pain = col_opt_int(x.st, 5);
        out->post_pain = col_opt_int(x.st, 6);
        out->note = col_opt_text(x.st, 7, &oom);
        if (oom)
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
    } else if (step == SQLITE_DONE) {
        rc = kn_err_set(err, KN_ENOTFOUND, "session %lld: no such session", (long long)id);
    } else {
        rc = q_error(&x, err, "read session");
    }
    q_done(&x);
    if (rc != KN_OK)
        return rc;
    if ((rc = q_prepare(impl, &x,
                        "SELECT region, pressure, discomfort FROM session_work WHERE session_id "
                        "= ? ORDER BY pos",
                        err)) != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, id);
    while (rc == KN_OK && (step = sqlite3_step(x.st)) == SQLITE_ROW) {
        kn_work w;
        snprintf(w.region, sizeof w.region, "%s", (const char *)sqlite3_column_text(x.st, 0));
        w.pressure = sqlite3_column_int(x.st, 1);
        w.discomfort = col_opt_int(x.st, 2);
        rc = kn_session_add_work(out, &w, err);
    }
    q_done(&x);
    if (rc != KN_OK)
        return rc;
    if ((rc = q_prepare(impl, &x,
                        "SELECT technique FROM session_technique WHERE session_id = ? ORDER BY "
                        "pos",
                        err)) != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, id);
    while (rc == KN_OK && (step = sqlite3_step(x.st)) == SQLITE_ROW)
        rc = kn_session_add_technique(out, (const char *)sqlite3_column_text(x.st, 0), err);
    q_done(&x);
    return rc;
}

static kn_rc sqc_event_add(void *impl, kn_session_event *e, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "INSERT INTO session_event(session_id, at_utc, offset_min, region, "
                         "pressure, discomfort, guarding, warned, note) VALUES (?, ?, ?, ?, ?, "
                         "?, ?, ?, ?)",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, e->session_id);
    sqlite3_bind_int64(x.st, 2, e->at.utc);
    sqlite3_bind_int(x.st, 3, e->at.offset_min);
    bind_opt_text(x.st, 4, e->region);
    sqlite3_bind_int(x.st, 5, e->pressure);
    bind_opt_int(x.st, 6, e->discomfort);
    sqlite3_bind_int(x.st, 7, e->guarding);
    sqlite3_bind_int(x.st, 8, e->warned);
    bind_opt_text(x.st, 9, e->note);
    if ((rc = q_exec(&x, err, "add feedback")) == KN_OK)
        e->id = sqlite3_last_insert_rowid(x.db);
    return rc;
}

static kn_rc sqc_event_list(void *impl, int64_t session, kn_event_list *out, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "SELECT id, at_utc, offset_min, region, pressure, discomfort, guarding, "
                         "warned, note FROM session_event WHERE session_id = ? ORDER BY at_utc, "
                         "id",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, session);
    int step;
    int oom = 0;
    while (rc == KN_OK && (step = sqlite3_step(x.st)) == SQLITE_ROW) {
        kn_session_event *e = list_slot((void **)&out->items, &out->n, &out->cap, sizeof *e);
        if (!e) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        out->n++;
        e->id = sqlite3_column_int64(x.st, 0);
        e->session_id = session;
        e->at = (kn_instant){sqlite3_column_int64(x.st, 1), sqlite3_column_int(x.st, 2)};
        snprintf(e->region, sizeof e->region, "%s", (const char *)sqlite3_column_text(x.st, 3));
        e->pressure = sqlite3_column_int(x.st, 4);
        e->discomfort = col_opt_int(x.st, 5);
        e->guarding = sqlite3_column_int(x.st, 6) != 0;
        e->warned = sqlite3_column_int(x.st, 7) != 0;
        e->note = col_opt_text(x.st, 8, &oom);
        if (oom)
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = q_error(&x, err, "read feedback");
    q_done(&x);
    return rc;
}

static kn_rc run_for_session(void *impl, const char *sql, int64_t id, kn_err *err, const char *what)
{
    q x;
    kn_rc rc = q_prepare(impl, &x, sql, err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, id);
    return q_exec(&x, err, what);
}

static kn_rc sqc_live_finish(void *impl, const kn_session *s, kn_instant ended, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "UPDATE session SET minutes = ?, pre_pain = ?, post_pain = ?, note = ? "
                         "WHERE id = ?",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int(x.st, 1, s->minutes);
    bind_opt_int(x.st, 2, s->pre_pain);
    bind_opt_int(x.st, 3, s->post_pain);
    bind_opt_text(x.st, 4, s->note);
    sqlite3_bind_int64(x.st, 5, s->id);
    if ((rc = q_exec(&x, err, "finish session")) != KN_OK)
        return rc;
    if ((rc = run_for_session(impl, "DELETE FROM session_work WHERE session_id = ?", s->id, err,
                              "finish session")) != KN_OK ||
        (rc = run_for_session(impl, "DELETE FROM session_technique WHERE session_id = ?", s->id,
                              err, "finish session")) != KN_OK)
        return rc;
    for (size_t i = 0; i < s->nwork && rc == KN_OK; i++) {
        if ((rc = q_prepare(impl, &x,
                            "INSERT INTO session_work(session_id, pos, region, pressure, "
                            "discomfort) VALUES (?, ?, ?, ?, ?)",
                            err)) != KN_OK)
            return rc;
        sqlite3_bind_int64(x.st, 1, s->id);
        sqlite3_bind_int(x.st, 2, (int)i);
        bind_opt_text(x.st, 3, s->work[i].region);
        sqlite3_bind_int(x.st, 4, s->work[i].pressure);
        bind_opt_int(x.st, 5, s->work[i].discomfort);
        rc = q_exec(&x, err, "finish session");
    }
    for (size_t i = 0; i < s->ntechniques && rc == KN_OK; i++) {
        if ((rc = q_prepare(impl, &x,
                            "INSERT INTO session_technique(session_id, pos, technique) VALUES "
                            "(?, ?, ?)",
                            err)) != KN_OK)
            return rc;
        sqlite3_bind_int64(x.st, 1, s->id);
        sqlite3_bind_int(x.st, 2, (int)i);
        bind_opt_text(x.st, 3, s->techniques[i]);
        rc = q_exec(&x, err, "finish session");
    }
    if (rc != KN_OK)
        return rc;
    if ((rc = q_prepare(impl, &x,
                        "UPDATE live_session SET state = 'finished', ended_utc = ?, "
                        "ended_offset = ? WHERE session_id = ?",
                        err)) != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, ended.utc);
    sqlite3_bind_int(x.st, 2, ended.offset_min);
    sqlite3_bind_int64(x.st, 3, s->id);
    return q_exec(&x, err, "finish session");
}

static kn_rc sqc_live_sign(void *impl, int64_t id, kn_instant at, int64_t signed_by, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "UPDATE live_session SET state = 'signed', signed_utc = ?, "
                         "signed_offset = ?, signed_by = ? WHERE session_id = ?",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, at.utc);
    sqlite3_bind_int(x.st, 2, at.offset_min);
    sqlite3_bind_int64(x.st, 3, signed_by);
    sqlite3_bind_int64(x.st, 4, id);
    return q_exec(&x, err, "sign session");
}

static kn_rc sqc_live_cancel(void *impl, int64_t id, kn_err *err)
{
    return run_for_session(impl,
                           "UPDATE live_session SET state = 'cancelled' WHERE session_id = ? AND "
                           "state = 'open'",
                           id, err, "cancel session");
}

static kn_rc sqc_live_open(void *impl, int64_t person, int64_t *id, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "SELECT s.id FROM session s JOIN live_session l ON l.session_id = s.id "
                         "WHERE s.person_id = ? AND l.state = 'open' ORDER BY s.id LIMIT 1",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, person);
    int step = sqlite3_step(x.st);
    if (step == SQLITE_ROW)
        *id = sqlite3_column_int64(x.st, 0);
    else if (step != SQLITE_DONE)
        rc = q_error(&x, err, "read sessions");
    q_done(&x);
    return rc;
}

/* ---- notes ---- */

static void bind_note(q *x, const kn_session_note *n, int first)
{
    sqlite3_bind_int64(x->st, first, n->at.utc);
    sqlite3_bind_int(x->st, first + 1, n->at.offset_min);
    bind_opt_text(x->st, first + 2, n->subjective);
    bind_opt_text(x->st, first + 3, n->objective);
    bind_opt_text(x->st, first + 4, n->assessment);
    bind_opt_text(x->st, first + 5, n->plan);
    bind_opt_text(x->st, first + 6, n->reason);
    bind_id(x, first + 7, n->therapist_id);
}

static kn_rc sqc_note_add(void *impl, kn_session_note *n, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(
        impl, &x, "SELECT COALESCE(MAX(version), 0) FROM session_note WHERE session_id = ?", err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, n->session_id);
    if (sqlite3_step(x.st) != SQLITE_ROW) {
        rc = q_error(&x, err, "read notes");
        q_done(&x);
        return rc;
    }
    n->version = sqlite3_column_int(x.st, 0) + 1;
    q_done(&x);
    if ((rc = q_prepare(impl, &x,
                        "INSERT INTO session_note(at_utc, offset_min, subjective, objective, "
                        "assessment, plan, reason, therapist_id, session_id, version) VALUES (?, "
                        "?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        err)) != KN_OK)
        return rc;
    bind_note(&x, n, 1);
    sqlite3_bind_int64(x.st, 9, n->session_id);
    sqlite3_bind_int(x.st, 10, n->version);
    return q_exec(&x, err, "add note");
}

static kn_rc sqc_note_replace(void *impl, const kn_session_note *n, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "UPDATE session_note SET at_utc = ?, offset_min = ?, subjective = ?, "
                         "objective = ?, assessment = ?, plan = ?, reason = ?, therapist_id = ? "
                         "WHERE session_id = ? AND version = ?",
                         err);
    if (rc != KN_OK)
        return rc;
    bind_note(&x, n, 1);
    sqlite3_bind_int64(x.st, 9, n->session_id);
    sqlite3_bind_int(x.st, 10, n->version);
    return q_exec(&x, err, "edit note");
}

static kn_rc sqc_note_list(void *impl, int64_t session, kn_note_list *out, kn_err *err)
{
    q x;
    kn_rc rc = q_prepare(impl, &x,
                         "SELECT version, at_utc, offset_min, subjective, objective, assessment, "
                         "plan, reason, therapist_id FROM session_note WHERE session_id = ? ORDER "
                         "BY version",
                         err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(x.st, 1, session);
    int step;
    int oom = 0;
    while (rc == KN_OK && (step = sqlite3_step(x.st)) == SQLITE_ROW) {
        kn_session_note *n = list_slot((void **)&out->items, &out->n, &out->cap, sizeof *n);
        if (!n) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        out->n++;
        n->session_id = session;
        n->version = sqlite3_column_int(x.st, 0);
        n->at = (kn_instant){sqlite3_column_int64(x.st, 1), sqlite3_column_int(x.st, 2)};
        n->subjective = col_opt_text(x.st, 3, &oom);
        n->objective = col_opt_text(x.st, 4, &oom);
        n->assessment = col_opt_text(x.st, 5, &oom);
        n->plan = col_opt_text(x.st, 6, &oom);
        n->reason = col_opt_text(x.st, 7, &oom);
        n->therapist_id = sqlite3_column_int64(x.st, 8);
        if (oom)
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = q_error(&x, err, "read notes");
    q_done(&x);
    return rc;
}

const kn_care_ops kn_sqlite_care_ops = {
    .therapist_add = sqc_therapist_add,
    .therapist_get = sqc_therapist_get,
    .therapist_list = sqc_therapist_list,
    .intake_add = sqc_intake_add,
    .intake_latest = sqc_intake_latest,
    .intake_count = sqc_intake_count,
    .plan_add = sqc_plan_add,
    .plan_get = sqc_plan_get,
    .live_start = sqc_live_start,
    .live_get = sqc_live_get,
    .session_get = sqc_session_get,
    .event_add = sqc_event_add,
    .event_list = sqc_event_list,
    .live_finish = sqc_live_finish,
    .live_sign = sqc_live_sign,
    .live_cancel = sqc_live_cancel,
    .live_open = sqc_live_open,
    .note_add = sqc_note_add,
    .note_replace = sqc_note_replace,
    .note_list = sqc_note_list,
};
