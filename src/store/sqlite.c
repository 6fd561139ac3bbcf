/* The SQLite backend of the storage interface: schema and migrations (PRAGMA user_version),
 * refusal of foreign files, WAL and foreign keys, prepared statements kept for the handle's
 * life. The SQL stays portable (no SQLite-only syntax in the data statements) so that a
 * PostgreSQL backend can follow. */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "store/backend.h"
#include "store/sqlite_shared.h"

/* "knea" in ASCII: marks a file as a knead database (PRAGMA application_id). */
#define KNEAD_APPLICATION_ID 0x6b6e6561

typedef enum stmt_id {
    S_PERSON_ADD,
    S_PERSON_GET,
    S_PERSON_LIST,
    S_PAIN_ADD,
    S_PAIN_ADD_MANY,
    S_PAIN_LIST,
    S_PAIN_DIGEST,
    S_PAIN_DIGEST_ALL,
    S_CHECKIN_DELETE,
    S_CHECKIN_ADD,
    S_TAG_DELETE,
    S_TAG_ADD,
    S_TREATMENT_DELETE,
    S_TREATMENT_ADD,
    S_CHECKIN_LIST,
    S_CHECKIN_DIGEST,
    S_CHECKIN_DIGEST_ALL,
    S_CHECKIN_TAG_LIST,
    S_CHECKIN_TAG_LIST_ALL,
    S_CHECKIN_TREATMENT_LIST,
    S_CHECKIN_TREATMENT_LIST_ALL,
    S_TREATMENT_DIGEST,
    S_TREATMENT_DIGEST_ALL,
    S_SESSION_ADD,
    S_SESSION_WORK_ADD,
    S_SESSION_TECHNIQUE_ADD,
    S_SESSION_LIST,
    S_SESSION_DIGEST,
    S_SESSION_WORK_LIST,
    S_SESSION_TECHNIQUE_LIST,
    S_COUNTS,
    S_SCREENING_ADD,
    S_SCREENING_LIST,
    S_COUNT
} stmt_id;

/* The multi-row pain INSERT (S_PAIN_ADD_MANY, see sq_pain_add_many) takes PAIN_BATCH entries.
 * One statement per entry spent as much time starting and finishing (cursors opened on the
 * table and both indexes, the parent lookup, the halt) as inserting, and its cursors could
 * not stay on the last leaf from one entry to the next. ?1 is the person of every entry; an
 * entry's other columns follow from ?2 on, PAIN_PARAMS of them. */
#define PAIN_BATCH 512
#define PAIN_PARAMS 7
/* The page cache of a handle once it has made a bulk insert (KiB): enough that the pages a
 * large import keeps changing (the right edge of the table and of both indexes) stay in
 * memory instead of being spilled to the WAL again and again before the commit. */
#define PAIN_BULK_CACHE_KIB 32768
/* How much of a database file a handle reads through a memory map (bytes, as SQL text). */
#define MMAP_BYTES "1073741824"
#define PAIN_ROW "(?, ?, ?, ?, ?, ?, ?, ?)"
#define PAIN_INSERT                                                                                \
    "INSERT INTO pain(person_id, at_utc, offset_min, local_date, region, intensity, qualities, "   \
    "note) VALUES "
#define PAIN_ON_CONFLICT " ON CONFLICT (person_id, at_utc, region) DO NOTHING"
/* The lists of a range are read in the order of an index on (person_id, local_date), so that
 * SQLite sorts nothing; the order within a day (instant, then id) is put right in C
 * (sort_list): a sorter in the statement took as long as the rest of the read. */
#define PAIN_LIST_FROM                                                                             \
    " FROM pain WHERE person_id = ? AND local_date >= ? AND local_date <= ? ORDER BY local_date"
#define SESSION_LIST_FROM                                                                          \
    " FROM session WHERE person_id = ? AND local_date >= ? AND local_date <= ? AND id NOT IN "     \
    "(SELECT session_id FROM live_session WHERE state IN ('open', 'cancelled')) ORDER BY "         \
    "local_date"

/* The reads of a diary digest (kn_store_digest_read) over a range, each also without bounds
 * (its _ALL twin, used when both ends are open): a bound is compared on every row read, which
 * costs a fifth of a diary's pain read. */
#define DAY_RANGE " AND local_date >= ? AND local_date <= ?"
/* Only what the pain index holds (schema 4), so the table is never visited. */
#define PAIN_DIGEST_SQL(range)                                                                     \
    "SELECT local_date, region, intensity FROM pain WHERE person_id = ?" range                     \
    " ORDER BY local_date"
/* No note, and routine as 1 (disrupted), 0 (normal) or NULL. The small fields are read one
 * column each: packing them into one integer in SQL took SQLite more work per row than the
 * column reads it saved. */
#define CHECKIN_DIGEST_SQL(range)                                                                  \
    "SELECT local_date, sleep_hours, stress, sleep_quality, pain_free, peg_pain, peg_enjoyment, "  \
    "peg_activity, routine = 'disrupted' FROM checkin WHERE person_id = ?" range                   \
    " ORDER BY local_date"
#define TAG_LIST_SQL(range)                                                                        \
    "SELECT local_date, tag FROM checkin_tag "                                                     \
    "WHERE person_id = ?" range " ORDER BY local_date, pos"
/* The digest takes a treatment's name, not its dose. */
#define TREATMENT_DIGEST_SQL(range)                                                                \
    "SELECT local_date, name FROM checkin_treatment WHERE person_id = ?" range                     \
    " ORDER BY local_date, pos"
#define TREATMENT_LIST_SQL(range)                                                                  \
    "SELECT local_date, name, dose FROM checkin_treatment WHERE person_id = ?" range               \
    " ORDER BY local_date, pos"

static const char *const stmt_sql[S_COUNT] = {
    [S_PERSON_ADD] = "INSERT INTO person(name, born, zone, created) VALUES (?, ?, ?, ?)",
    [S_PERSON_GET] = "SELECT id, name, born, zone FROM person WHERE id = ?",
    [S_PERSON_LIST] = "SELECT id, name, born, zone FROM person ORDER BY id",
    [S_PAIN_ADD] = PAIN_INSERT PAIN_ROW PAIN_ON_CONFLICT,
    /* S_PAIN_ADD_MANY is written out when first needed (pain_many_sql) */
    [S_PAIN_LIST] =
        "SELECT id, at_utc, offset_min, region, intensity, qualities, note" PAIN_LIST_FROM,
    [S_PAIN_DIGEST] = PAIN_DIGEST_SQL(DAY_RANGE),
    [S_PAIN_DIGEST_ALL] = PAIN_DIGEST_SQL(""),
    [S_CHECKIN_DELETE] = "DELETE FROM checkin WHERE person_id = ? AND local_date = ?",
    [S_CHECKIN_ADD] = "INSERT INTO checkin(person_id, local_date, stress, sleep_hours, "
                      "sleep_quality, routine, pain_free, peg_pain, peg_enjoyment, peg_activity, "
                      "note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_TAG_DELETE] = "DELETE FROM checkin_tag WHERE person_id = ? AND local_date = ?",
    [S_TAG_ADD] = "INSERT INTO checkin_tag(person_id, local_date, pos, tag) VALUES (?, ?, ?, ?)",
    [S_TREATMENT_DELETE] = "DELETE FROM checkin_treatment WHERE person_id = ? AND local_date = ?",
    [S_TREATMENT_ADD] = "INSERT INTO checkin_treatment(person_id, local_date, pos, name, dose) "
                        "VALUES (?, ?, ?, ?, ?)",
    /* A range of check-ins is three statements, whatever the number of days: the check-ins,
     * then every tag and every treatment of the range in the same day order, merged in. */
    [S_CHECKIN_LIST] = "SELECT local_date, stress, sleep_hours, sleep_quality, routine, pain_free, "
                       "peg_pain, peg_enjoyment, peg_activity, note FROM checkin "
                       "WHERE person_id = ? AND local_date >= ? AND local_date <= ? "
                       "ORDER BY local_date",
    [S_CHECKIN_DIGEST] = CHECKIN_DIGEST_SQL(DAY_RANGE),
    [S_CHECKIN_DIGEST_ALL] = CHECKIN_DIGEST_SQL(""),
    [S_CHECKIN_TAG_LIST] = TAG_LIST_SQL(DAY_RANGE),
    [S_CHECKIN_TAG_LIST_ALL] = TAG_LIST_SQL(""),
    [S_CHECKIN_TREATMENT_LIST] = TREATMENT_LIST_SQL(DAY_RANGE),
    [S_CHECKIN_TREATMENT_LIST_ALL] = TREATMENT_LIST_SQL(""),
    [S_TREATMENT_DIGEST] = TREATMENT_DIGEST_SQL(DAY_RANGE),
    [S_TREATMENT_DIGEST_ALL] = TREATMENT_DIGEST_SQL(""),
    [S_SESSION_ADD] = "INSERT INTO session(person_id, at_utc, offset_min, local_date, therapist, "
                      "minutes, pre_pain, post_pain, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT (person_id, at_utc) DO NOTHING",
    [S_SESSION_WORK_ADD] = "INSERT INTO session_work(session_id, pos, region, pressure, "
                           "discomfort) VALUES (?, ?, ?, ?, ?)",
    [S_SESSION_TECHNIQUE_ADD] = "INSERT INTO session_technique(session_id, pos, technique) "
                                "VALUES (?, ?, ?)",
    [S_SESSION_LIST] = "SELECT id, at_utc, offset_min, therapist, minutes, pre_pain, post_pain, "
                       "note" SESSION_LIST_FROM,
    [S_SESSION_DIGEST] = "SELECT at_utc, offset_min, pre_pain, post_pain" SESSION_LIST_FROM,
    /* The work and techniques of every session of a range, by session id (the order of their
     * primary keys), merged into the sessions by id. Open sessions come too and are passed
     * over. */
    [S_SESSION_WORK_LIST] = "SELECT session_id, region, pressure, discomfort FROM session_work "
                            "WHERE session_id IN (SELECT id FROM session WHERE person_id = ? AND "
                            "local_date >= ? AND local_date <= ?) ORDER BY session_id, pos",
    [S_SESSION_TECHNIQUE_LIST] = "SELECT session_id, technique FROM session_technique "
                                 "WHERE session_id IN (SELECT id FROM session WHERE person_id = ? "
                                 "AND local_date >= ? AND local_date <= ?) "
                                 "ORDER BY session_id, pos",
    [S_COUNTS] = "SELECT (SELECT count(*) FROM pain WHERE person_id = ?1), "
                 "(SELECT count(*) FROM checkin WHERE person_id = ?1), "
                 "(SELECT count(*) FROM session WHERE person_id = ?1)",
    [S_SCREENING_ADD] = "INSERT INTO screening(person_id, at_utc, offset_min, verdict, "
                        "max_pressure, answers) VALUES (?, ?, ?, ?, ?, ?)",
    [S_SCREENING_LIST] = "SELECT id, at_utc, offset_min, verdict, max_pressure, answers "
                         "FROM screening WHERE person_id = ? ORDER BY at_utc DESC, id DESC "
                         "LIMIT ?",
};

/* The columns of the check-in tables: created by schema 1, laid out anew by schema 4. */
#define CHECKIN_COLUMNS                                                                            \
    "  person_id INTEGER NOT NULL REFERENCES person(id),"                                          \
    "  local_date TEXT NOT NULL,"                                                                  \
    "  stress INTEGER CHECK (stress BETWEEN 0 AND 10),"                                            \
    "  sleep_hours REAL CHECK (sleep_hours BETWEEN 0 AND 24),"                                     \
    "  sleep_quality INTEGER CHECK (sleep_quality BETWEEN 0 AND 10),"                              \
    "  routine TEXT CHECK (routine IN ('normal', 'disrupted')),"                                   \
    "  pain_free INTEGER CHECK (pain_free = 1),"                                                   \
    "  peg_pain INTEGER CHECK (peg_pain BETWEEN 0 AND 10),"                                        \
    "  peg_enjoyment INTEGER CHECK (peg_enjoyment BETWEEN 0 AND 10),"                              \
    "  peg_activity INTEGER CHECK (peg_activity BETWEEN 0 AND 10),"                                \
    "  note TEXT,"
#define TAG_COLUMNS                                                                                \
    "  person_id INTEGER NOT NULL,"                                                                \
    "  local_date TEXT NOT NULL,"                                                                  \
    "  pos INTEGER NOT NULL,"                                                                      \
    "  tag TEXT NOT NULL,"
#define TREATMENT_COLUMNS                                                                          \
    "  person_id INTEGER NOT NULL,"                                                                \
    "  local_date TEXT NOT NULL,"                                                                  \
    "  pos INTEGER NOT NULL,"                                                                      \
    "  name TEXT NOT NULL,"                                                                        \
    "  dose TEXT,"

/* Schema migrations: migration[i] takes user_version i to i+1. */
static const char *const migrations[] = {
    "CREATE TABLE person ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  born INTEGER,"
    "  zone TEXT NOT NULL,"
    "  created TEXT NOT NULL);"
    "CREATE TABLE pain ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES person(id),"
    "  at_utc INTEGER NOT NULL,"
    "  offset_min INTEGER NOT NULL,"
    "  local_date TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  intensity INTEGER NOT NULL CHECK (intensity BETWEEN 0 AND 10),"
    "  qualities INTEGER NOT NULL DEFAULT 0,"
    "  note TEXT,"
    "  UNIQUE (person_id, at_utc, region));"
    "CREATE INDEX pain_by_day ON pain(person_id, local_date);"
    "CREATE TABLE checkin (" CHECKIN_COLUMNS "  PRIMARY KEY (person_id, local_date));"
    "CREATE TABLE checkin_tag (" TAG_COLUMNS "  PRIMARY KEY (person_id, local_date, pos),"
    "  FOREIGN KEY (person_id, local_date) REFERENCES checkin(person_id, local_date)"
    "    ON DELETE CASCADE);"
    "CREATE TABLE checkin_treatment (" TREATMENT_COLUMNS
    "  PRIMARY KEY (person_id, local_date, pos),"
    "  FOREIGN KEY (person_id, local_date) REFERENCES checkin(person_id, local_date)"
    "    ON DELETE CASCADE);"
    "CREATE TABLE session ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES person(id),"
    "  at_utc INTEGER NOT NULL,"
    "  offset_min INTEGER NOT NULL,"
    "  local_date TEXT NOT NULL,"
    "  therapist TEXT NOT NULL,"
    "  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600),"
    "  pre_pain INTEGER CHECK (pre_pain BETWEEN 0 AND 10),"
    "  post_pain INTEGER CHECK (post_pain BETWEEN 0 AND 10),"
    "  note TEXT,"
    "  UNIQUE (person_id, at_utc));"
    "CREATE INDEX session_by_day ON session(person_id, local_date);"
    "CREATE TABLE session_work ("
    "  session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  region TEXT NOT NULL,"
    "  pressure INTEGER NOT NULL CHECK (pressure BETWEEN 1 AND 10),"
    "  discomfort INTEGER CHECK (discomfort BETWEEN 0 AND 10),"
    "  PRIMARY KEY (session_id, pos));"
    "CREATE TABLE session_technique ("
    "  session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  technique TEXT NOT NULL,"
    "  PRIMARY KEY (session_id, pos));",
    /* 2: red-flag and contraindication screenings (knead screen); answers is JSON text. */
    "CREATE TABLE screening ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES person(id),"
    "  at_utc INTEGER NOT NULL,"
    "  offset_min INTEGER NOT NULL,"
    "  verdict TEXT NOT NULL CHECK (verdict IN ('emergency', 'refer', 'caution', 'clear')),"
    "  max_pressure INTEGER CHECK (max_pressure BETWEEN 1 AND 10),"
    "  answers TEXT NOT NULL);"
    "CREATE INDEX screening_by_person ON screening(person_id, at_utc);",
    /* 3: the care workflow: therapists, intake versions, plans, live sessions with their
     * feedback events and SOAP note versions. */
    "CREATE TABLE therapist ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  license TEXT,"
    "  board_certified INTEGER NOT NULL DEFAULT 0 CHECK (board_certified IN (0, 1)),"
    "  amta_member INTEGER NOT NULL DEFAULT 0 CHECK (amta_member IN (0, 1)));"
    "CREATE TABLE therapist_specialty ("
    "  therapist_id INTEGER NOT NULL REFERENCES therapist(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  specialty TEXT NOT NULL,"
    "  PRIMARY KEY (therapist_id, pos));"
    "CREATE TABLE intake ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES person(id),"
    "  version INTEGER NOT NULL,"
    "  at_utc INTEGER NOT NULL,"
    "  offset_min INTEGER NOT NULL,"
    "  answers TEXT NOT NULL,"
    "  screening_id INTEGER REFERENCES screening(id),"
    "  UNIQUE (person_id, version));"
    "CREATE TABLE plan ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES person(id),"
    "  therapist_id INTEGER REFERENCES therapist(id),"
    "  at_utc INTEGER NOT NULL,"
    "  offset_min INTEGER NOT NULL,"
    "  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600),"
    "  max_pressure INTEGER CHECK (max_pressure BETWEEN 1 AND 10),"
    "  avoid TEXT NOT NULL);"
    "CREATE TABLE plan_block ("
    "  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('warmup', 'focus', 'closing')),"
    "  minutes INTEGER NOT NULL CHECK (minutes >= 1),"
    "  regions TEXT NOT NULL,"
    "  muscle TEXT,"
    "  side TEXT CHECK (side IN ('l', 'r', 'both')),"
    "  technique TEXT NOT NULL,"
    "  pressure INTEGER NOT NULL CHECK (pressure BETWEEN 1 AND 10),"
    "  why TEXT NOT NULL,"
    "  PRIMARY KEY (plan_id, pos));"
    "CREATE TABLE live_session ("
    "  session_id INTEGER PRIMARY KEY REFERENCES session(id),"
    "  state TEXT NOT NULL CHECK (state IN ('open', 'finished', 'signed')),"
    "  plan_id INTEGER REFERENCES plan(id),"
    "  therapist_id INTEGER REFERENCES therapist(id),"
    "  ended_utc INTEGER,"
    "  ended_offset INTEGER,"
    "  signed_utc INTEGER,"
    "  signed_offset INTEGER);"
    "CREATE TABLE session_event ("
    "  id INTEGER PRIMARY KEY,"
    "  session_id INTEGER NOT NULL REFERENCES session(id),"
    "  at_utc INTEGER NOT NULL,"
    "  offset_min INTEGER NOT NULL,"
    "  region TEXT NOT NULL,"
    "  pressure INTEGER NOT NULL CHECK (pressure BETWEEN 1 AND 10),"
    "  discomfort INTEGER CHECK (discomfort BETWEEN 0 AND 10),"
    "  guarding INTEGER NOT NULL CHECK (guarding IN (0, 1)),"
    "  warned INTEGER NOT NULL CHECK (warned IN (0, 1)),"
    "  note TEXT);"
    "CREATE INDEX session_event_by_session ON session_event(session_id, at_utc);"
    "CREATE TABLE session_note ("
    "  session_id INTEGER NOT NULL REFERENCES session(id),"
    "  version INTEGER NOT NULL,"
    "  at_utc INTEGER NOT NULL,"
    "  offset_min INTEGER NOT NULL,"
    "  subjective TEXT,"
    "  objective TEXT,"
    "  assessment TEXT,"
    "  plan TEXT,"
    "  reason TEXT,"
    "  PRIMARY KEY (session_id, version));",
    /* 4: tables laid out for reading a person's diary in date order. The check-ins and their
     * tags and treatments are kept in the order of their keys (WITHOUT ROWID), so a range is
     * one run of pages instead of an index walk with a table lookup per row; the pain index
     * also holds what analysis reads of an entry (local_date, region, intensity), so that
     * read never visits the table. The old tables are copied and dropped children first;
     * renaming a new table rewrites the references to it. */
    "CREATE TABLE checkin_v4 (" CHECKIN_COLUMNS
    "  PRIMARY KEY (person_id, local_date)) WITHOUT ROWID;"
    "CREATE TABLE checkin_tag_v4 (" TAG_COLUMNS "  PRIMARY KEY (person_id, local_date, pos),"
    "  FOREIGN KEY (person_id, local_date) REFERENCES checkin_v4(person_id, local_date)"
    "    ON DELETE CASCADE) WITHOUT ROWID;"
    "CREATE TABLE checkin_treatment_v4 (" TREATMENT_COLUMNS
    "  PRIMARY KEY (person_id, local_date, pos),"
    "  FOREIGN KEY (person_id, local_date) REFERENCES checkin_v4(person_id, local_date)"
    "    ON DELETE CASCADE) WITHOUT ROWID;"
    "INSERT INTO checkin_v4 SELECT person_id, local_date, stress, sleep_hours, sleep_quality,"
    "  routine, pain_free, peg_pain, peg_enjoyment, peg_activity, note FROM checkin;"
    "INSERT INTO checkin_tag_v4 SELECT person_id, local_date, pos, tag FROM checkin_tag;"
    "INSERT INTO checkin_treatment_v4 SELECT person_id, local_date, pos, name, dose"
    "  FROM checkin_treatment;"
    "DROP TABLE checkin_tag;"
    "DROP TABLE checkin_treatment;"
    "DROP TABLE checkin;"
    "ALTER TABLE checkin_v4 RENAME TO checkin;"
    "ALTER TABLE checkin_tag_v4 RENAME TO checkin_tag;"
    "ALTER TABLE checkin_treatment_v4 RENAME TO checkin_treatment;"
    "DROP INDEX pain_by_day;"
    "CREATE INDEX pain_by_day ON pain(person_id, local_date, region, intensity);",
    /* 5: correction and accountability. A clearance is a clinician's recorded decision that
     * lifts a red-flag answer (never deleted). A live session can be cancelled (kept, out of
     * analysis) and records who signed it; each note version records who wrote it. The
     * live_session table is rebuilt because its state check gains a value; no table refers
     * to it. */
    "CREATE TABLE clearance ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES person(id),"
    "  question TEXT NOT NULL,"
    "  at_utc INTEGER NOT NULL,"
    "  offset_min INTEGER NOT NULL,"
    "  cleared_by TEXT NOT NULL,"
    "  note TEXT,"
    "  max_pressure INTEGER CHECK (max_pressure BETWEEN 1 AND 10));"
    "CREATE INDEX clearance_by_person ON clearance(person_id, at_utc);"
    "CREATE TABLE live_session_v5 ("
    "  session_id INTEGER PRIMARY KEY REFERENCES session(id),"
    "  state TEXT NOT NULL CHECK (state IN ('open', 'finished', 'signed', 'cancelled')),"
    "  plan_id INTEGER REFERENCES plan(id),"
    "  therapist_id INTEGER REFERENCES therapist(id),"
    "  ended_utc INTEGER,"
    "  ended_offset INTEGER,"
    "  signed_utc INTEGER,"
    "  signed_offset INTEGER,"
    "  signed_by INTEGER REFERENCES therapist(id));"
    "INSERT INTO live_session_v5 SELECT session_id, state, plan_id, therapist_id, ended_utc,"
    "  ended_offset, signed_utc, signed_offset, NULL FROM live_session;"
    "DROP TABLE live_session;"
    "ALTER TABLE live_session_v5 RENAME TO live_session;"
    "ALTER TABLE session_note ADD COLUMN therapist_id INTEGER REFERENCES therapist(id);",
    /* 5 -> 6: where each block's pressure came from, in words (NULL in older plans) */
    "ALTER TABLE plan_block ADD COLUMN pressure_reason TEXT;",
    /* 6 -> 7: when each painful region's pain began, as an intake version told it, resolved
     * to a day (older intakes have none) */
    "CREATE TABLE intake_onset ("
    "  intake_id INTEGER NOT NULL REFERENCES intake(id),"
    "  region TEXT NOT NULL,"
    "  onset TEXT NOT NULL,"
    "  exact INTEGER NOT NULL CHECK (exact IN (0, 1)),"
    "  PRIMARY KEY (intake_id, region));",
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])
_Static_assert(NMIGRATIONS == KN_SCHEMA_VERSION, "one migration per schema version");

typedef struct sq_store {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmt[S_COUNT];
    /* The offsets bound to S_PAIN_ADD_MANY by the batch before (INT32_MIN: none), so that a
     * batch binds only those that changed, which they rarely do. Its note parameters are NULL
     * between batches (as in a newly prepared statement): most entries have no note. */
    int32_t bulk_offset[PAIN_BATCH];
    bool bulk_refused; /* this SQLite could not prepare S_PAIN_ADD_MANY (its limits) */
    bool reading;      /* the open transaction is a read transaction (sq_begin_read) */
} sq_store;

kn_rc kn_sqlite_error(sqlite3 *db, const char *path, const char *what, const char *missing_ref,
                      kn_err *err)
{
    int code = sqlite3_extended_errcode(db);
    if ((code & 0xff) == SQLITE_READONLY || (code & 0xff) == SQLITE_CANTOPEN ||
        (code & 0xff) == SQLITE_PERM)
        return kn_err_set(err, KN_EIO, "%s: cannot write the database (%s)", path,
                          sqlite3_errmsg(db));
    if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
        return kn_err_set(err, KN_ENOTFOUND, "%s: %s", what, missing_ref);
    if ((code & 0xff) == SQLITE_NOTADB)
        return kn_err_set(err, KN_EFOREIGN, "%s: not a knead database", path);
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        return kn_err_set(err, KN_EBUSY, "%s: %s: the database is busy; try again", path, what);
    return kn_err_set(err, KN_EDB, "%s: %s: %s", path, what, sqlite3_errmsg(db));
}

/* The diary's records all belong to a person: a missing reference is a missing person. */
static kn_rc db_error(sq_store *s, kn_err *err, const char *what)
{
    return kn_sqlite_error(s->db, s->path, what, "no such person", err);
}

static kn_rc prepare(sq_store *s, stmt_id id, sqlite3_stmt **out, kn_err *err)
{
    if (!s->stmt[id] && sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                           &s->stmt[id], NULL) != SQLITE_OK)
        return db_error(s, err, "prepare");
    sqlite3_reset(s->stmt[id]);
    sqlite3_clear_bindings(s->stmt[id]);
    *out = s->stmt[id];
    return KN_OK;
}

static void day_text(kn_day d, char out[KN_DATE_LEN])
{
    kn_date_format(d, out);
}

#define OPEN_FROM "0000-00-00"
#define OPEN_TO "9999-99-99"

/* Range bounds as text; open ends become dates no diary reaches. */
static void range_text(kn_day from, kn_day to, char f[KN_DATE_LEN], char t[KN_DATE_LEN])
{
    if (from == KN_DAY_ANY)
        strcpy(f, OPEN_FROM);
    else
        day_text(from, f);
    if (to == KN_DAY_ANY)
        strcpy(t, OPEN_TO);
    else
        day_text(to, t);
}

/* Whether text has the shape of a date the store writes (YYYY-MM-DD). */
__attribute__((unused)) static bool is_stored_date(const unsigned char *t)
{
    for (int i = 0; i < KN_DATE_LEN - 1; i++)
        if (i == 4 || i == 7 ? t[i] != '-' : !isdigit(t[i]))
            return false;
    return t[KN_DATE_LEN - 1] == '\0';
}

/* The day of a date the store wrote: digit arithmetic, without kn_date_parse's checks and
 * messages, since analysis parses one for nearly every row it reads. */
static kn_day parse_day(const unsigned char *t)
{
    assert(t && is_stored_date(t) && "stored dates are valid");
    int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    int m = (t[5] - '0') * 10 + (t[6] - '0');
    int d = (t[8] - '0') * 10 + (t[9] - '0');
    return kn_day_from_civil(y, m, d);
}

static kn_rc exec_sql(sq_store *s, const char *sql, kn_err *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_error(s, err, "schema");
    return KN_OK;
}

static kn_rc pragma_int(sq_store *s, const char *sql, int *out, kn_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "read header");
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(s, err, "read header");
    return KN_OK;
}

/* Brings the schema to KN_SCHEMA_VERSION in one transaction. */
static kn_rc migrate(sq_store *s, int from, kn_err *err)
{
    kn_rc rc = exec_sql(s, "BEGIN IMMEDIATE", err);
    if (rc != KN_OK)
        return rc;
    if (from == 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d", KNEAD_APPLICATION_ID);
        rc = exec_sql(s, sql, err);
    }
    for (int v = from; rc == KN_OK && v < KN_SCHEMA_VERSION; v++) {
        rc = exec_sql(s, migrations[v], err);
        if (rc == KN_OK) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
            rc = exec_sql(s, sql, err);
        }
    }
    if (rc == KN_OK)
        rc = exec_sql(s, "COMMIT", err);
    if (rc != KN_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* A file we may open: missing, empty, or starting with the SQLite header. */
static kn_rc check_file(const char *path, int flags, bool *exists, kn_err *err)
{
    struct stat sb;
    *exists = stat(path, &sb) == 0;
    if (!*exists) {
        if (!(flags & KN_STORE_CREATE))
            return kn_err_field(err, KN_ENOTFOUND, "database", "database %s: no database there yet",
                                path);
        return KN_OK;
    }
    if (S_ISDIR(sb.st_mode))
        return kn_err_set(err, KN_EIO, "%s: is a directory, not a database file", path);
    if (!S_ISREG(sb.st_mode))
        return kn_err_set(err, KN_EFOREIGN, "%s: not a regular file; refusing to use it", path);
    if (sb.st_size == 0)
        return KN_OK;
    FILE *f = fopen(path, "rb");
    if (!f) {
        char why[KN_ERRNO_TEXT_MAX];
        return kn_err_set(err, KN_EIO, "%s: cannot read: %s", path,
                          kn_errno_text(errno, why, sizeof why));
    }
    char head[16] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (n < sizeof head || memcmp(head, "SQLite format 3", 16) != 0)
        return kn_err_set(err, KN_EFOREIGN,
                          "%s: not a knead database (not an SQLite file); left untouched", path);
    return KN_OK;
}

/* Opens path read-only. A WAL database needs its -shm file, which SQLite cannot make in a
 * directory the user may not write; then, and only while no -wal file holds changes the
 * main file lacks, the file is read as immutable (no locks, no -shm), which is what it is
 * to this user. */
static int open_reader(const char *path, sqlite3 **db)
{
    const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, db, flags, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_extended_result_codes(*db, 1);
    rc = sqlite3_exec(*db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    char wal[4096];
    struct stat sb;
    if (rc != SQLITE_READONLY_DIRECTORY ||
        snprintf(wal, sizeof wal, "%s-wal", path) >= (int)sizeof wal || stat(wal, &sb) == 0)
        return SQLITE_OK; /* the first read reports whatever is wrong */
    char uri[3 * sizeof wal + 32] = "file:";
    size_t n = strlen(uri);
    for (const char *p = path; *p; p++)
        n += (size_t)snprintf(uri + n, sizeof uri - n,
                              *p == '?' || *p == '#' || *p == '%' ? "%%%02X" : "%c",
                              (unsigned char)*p);
    snprintf(uri + n, sizeof uri - n, "?immutable=1");
    sqlite3_close(*db);
    *db = NULL;
    rc = sqlite3_open_v2(uri, db, flags | SQLITE_OPEN_URI, NULL);
    return rc;
}

kn_rc kn_sqlite_open(const char *path, int flags, void **impl, kn_err *err)
{
    *impl = NULL;
    bool exists, upgrade = false;
    kn_rc rc = check_file(path, flags, &exists, err);
    if (rc != KN_OK)
        return rc;
    sq_store *s = calloc(1, sizeof *s);
    if (!s)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    s->path = kn_strdup(path);
    if (!s->path) {
        rc = kn_err_set(err, KN_ENOMEM, "out of memory");
        goto free_store;
    }
    /* NOMUTEX: a handle is used by one thread at a time (a kn_store keeps its last error), so
     * SQLite need not lock the connection on every call, which it does for each column read. */
    bool readonly = (flags & KN_STORE_READONLY) && exists;
    int oflags = SQLITE_OPEN_NOMUTEX | (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                 (exists ? 0 : SQLITE_OPEN_CREATE);
    if ((readonly ? open_reader(path, &s->db) : sqlite3_open_v2(path, &s->db, oflags, NULL)) !=
        SQLITE_OK) {
        rc = kn_err_set(err, KN_EIO, "%s: cannot open database: %s", path,
                        s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto close_db;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);

    /* Decide whether the file is ours before anything writes to it. */
    int app_id = 0, version = 0, objects = 0;
    rc = pragma_int(s, "PRAGMA application_id", &app_id, err);
    if (rc == KN_OK)
        rc = pragma_int(s, "PRAGMA user_version", &version, err);
    if (rc == KN_OK)
        rc = pragma_int(s, "SELECT count(*) FROM sqlite_master", &objects, err);
    if (rc != KN_OK) {
        if (rc == KN_EDB)
            rc = kn_err_set(err, KN_EFOREIGN, "%s: not a knead database (%s); left untouched", path,
                            sqlite3_errmsg(s->db));
        goto close_db;
    }
    if (app_id != KNEAD_APPLICATION_ID && !(app_id == 0 && objects == 0 && version == 0)) {
        rc = kn_err_set(err, KN_EFOREIGN,
                        "%s: not a knead database (an SQLite file of another program); left "
                        "untouched",
                        path);
        goto close_db;
    }
    if (version > KN_SCHEMA_VERSION) {
        rc = kn_err_set(err, KN_EFOREIGN,
                        "%s: made by a newer knead (schema %d, this one knows up to %d)", path,
                        version, KN_SCHEMA_VERSION);
        goto close_db;
    }
    bool writable = access(path, W_OK) == 0;
    if (readonly && version < KN_SCHEMA_VERSION) {
        /* A reader cannot use an older schema as it is: a writable file is brought up to
         * date through a handle that may write; a read-only one is refused, untouched. */
        if (!writable) {
            rc = kn_err_set(err, KN_EIO,
                            "%s: the database has schema %d, older than this knead's %d, and is "
                            "read-only: make it writable once (then any knead command brings it "
                            "up to date)",
                            path, version, KN_SCHEMA_VERSION);
            goto close_db;
        }
        upgrade = true;
        goto close_db;
    }
    if (!readonly && !writable) {
        rc = kn_err_set(err, KN_EIO, "%s: database is read-only (no write permission)", path);
        goto close_db;
    }
    /* A reader leaves the journal mode as it is: changing it is a write. */
    rc = readonly ? KN_OK : exec_sql(s, "PRAGMA journal_mode = WAL", err);
    /* temp_store: statement journals (the undo of one statement inside a transaction, which
     * a multi-row pain insert fills with hundreds of kilobytes) stay in memory rather than
     * in a temporary file; they are never needed after a crash. */
    /* mmap_size: pages are read in place from the mapped file instead of being copied into
     * the page cache one read call at a time; reading a diary costs a third less (SQLite
     * still writes through its journal, so a crash cannot tear the file). */
    if (rc == KN_OK)
        rc = exec_sql(s,
                      "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
                      "PRAGMA temp_store = MEMORY; PRAGMA mmap_size = " MMAP_BYTES,
                      err);
    if (rc == KN_OK && version < KN_SCHEMA_VERSION)
        rc = migrate(s, version, err);
    if (rc != KN_OK)
        goto close_db;
    *impl = s;
    return KN_OK;
close_db:
    sqlite3_close(s->db);
    free(s->path);
free_store:
    free(s);
    return upgrade ? kn_sqlite_open(path, flags & ~KN_STORE_READONLY, impl, err) : rc;
}

static void sq_close(void *impl)
{
    sq_store *s = impl;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

static int sq_schema_version(void *impl)
{
    int v = 0;
    pragma_int(impl, "PRAGMA user_version", &v, NULL);
    return v;
}

static kn_rc sq_begin(void *impl, kn_err *err)
{
    return exec_sql(impl, "BEGIN IMMEDIATE", err);
}

/* A deferred BEGIN takes no lock until the first read and then only a read lock (in WAL mode
 * a reader never blocks a writer); every statement until the end reuses it, where each would
 * otherwise take and drop the file locks on its own. */
static kn_rc sq_begin_read(void *impl, bool *began, kn_err *err)
{
    sq_store *s = impl;
    *began = false;
    if (!sqlite3_get_autocommit(s->db))
        return KN_OK;
    if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return db_error(s, err, "begin reading");
    s->reading = true;
    *began = true;
    return KN_OK;
}

static kn_rc sq_commit(void *impl, kn_err *err)
{
    sq_store *s = impl;
    s->reading = false;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        kn_rc rc = db_error(s, err, "commit");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return KN_OK;
}

static void sq_rollback(void *impl)
{
    sq_store *s = impl;
    s->reading = false;
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Writes run inside the command's transaction (kn_store_begin), never a read transaction. */
#define ASSERT_IN_TRANSACTION(s) assert(!sqlite3_get_autocommit((s)->db) && !(s)->reading)

static kn_rc step_done(sq_store *s, sqlite3_stmt *st, kn_err *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_error(s, err, what);
    return KN_OK;
}

static kn_rc sq_person_add(void *impl, kn_person *p, kn_err *err)
{
    sq_store *s = impl;
    ASSERT_IN_TRANSACTION(s);
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare(s, S_PERSON_ADD, &st, err);
    if (rc != KN_OK)
        return rc;
    char today[KN_DATE_LEN];
    kn_date_format(kn_today(NULL), today);
    sqlite3_bind_text(st, 1, p->name, -1, SQLITE_STATIC);
    bind_opt_int(st, 2, p->born);
    sqlite3_bind_text(st, 3, p->zone ? p->zone : "UTC", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, today, -1, SQLITE_STATIC);
    rc = step_done(s, st, err, "add person");
    if (rc == KN_OK)
        p->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static kn_rc read_person(sqlite3_stmt *st, kn_person *p, kn_err *err)
{
    int oom = 0;
    kn_person_init(p);
    p->id = sqlite3_column_int64(st, 0);
    p->name = col_opt_text(st, 1, &oom);
    p->born = col_opt_int(st, 2);
    p->zone = col_opt_text(st, 3, &oom);
    if (oom) {
        kn_person_clear(p);
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    }
    return KN_OK;
}

static kn_rc sq_person_get(void *impl, int64_t id, kn_person *out, kn_err *err)
{
    sq_store *s = impl;
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare(s, S_PERSON_GET, &st, err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = read_person(st, out, err);
    else if (step == SQLITE_DONE)
        rc =
            kn_err_field(err, KN_ENOTFOUND, "person", "person %lld: no such person", (long long)id);
    else
        rc = db_error(s, err, "read person");
    sqlite3_reset(st);
    return rc;
}

static kn_rc sq_person_list(void *impl, kn_person_list *out, kn_err *err)
{
    sq_store *s = impl;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare(s, S_PERSON_LIST, &st, err);
    if (rc != KN_OK)
        return rc;
    size_t cap = 0;
    int step;
    while (rc == KN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
            kn_person *items = realloc(out->items, cap * sizeof *items);
            if (!items) {
                rc = kn_err_set(err, KN_ENOMEM, "out of memory");
                break;
            }
            out->items = items;
        }
        rc = read_person(st, &out->items[out->n], err);
        if (rc == KN_OK)
            out->n++;
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = db_error(s, err, "list persons");
    sqlite3_reset(st);
    if (rc != KN_OK)
        kn_person_list_free(out);
    return rc;
}

static void bind_pain(sqlite3_stmt *st, const kn_pain *p, const char *date)
{
    sqlite3_bind_int64(st, 1, p->person_id);
    sqlite3_bind_int64(st, 2, p->at.utc);
    sqlite3_bind_int(st, 3, p->at.offset_min);
    sqlite3_bind_text(st, 4, date, KN_DATE_LEN - 1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, p->region, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, p->intensity);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)p->qualities);
    bind_opt_text(st, 8, p->note);
}

static kn_rc pain_add_one(sq_store *s, const kn_pain *p, bool *added, kn_err *err)
{
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare(s, S_PAIN_ADD, &st, err);
    if (rc != KN_OK)
        return rc;
    char date[KN_DATE_LEN];
    day_text(p->day, date);
    bind_pain(st, p, date);
    rc = step_done(s, st, err, "add pain entry");
    *added = rc == KN_OK && sqlite3_changes(s->db) > 0;
    return rc;
}

static kn_rc sq_pain_add(void *impl, kn_pain *p, bool *added, kn_err *err)
{
    sq_store *s = impl;
    ASSERT_IN_TRANSACTION(s);
    kn_rc rc = pain_add_one(s, p, added, err);
    if (*added)
        p->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* The text of S_PAIN_ADD_MANY: PAIN_BATCH rows of (?1, ?n, ...). */
static kn_rc pain_many_sql(kn_buf *sql)
{
    kn_rc rc = kn_buf_puts(sql, PAIN_INSERT);
    for (int r = 0; rc == KN_OK && r < PAIN_BATCH; r++) {
        int n = 2 + r * PAIN_PARAMS;
        rc = kn_buf_printf(sql, "%s(?1, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d)", r ? ", " : "", n,
                           n + 1, n + 2, n + 3, n + 4, n + 5, n + 6);
    }
    if (rc == KN_OK)
        rc = kn_buf_puts(sql, PAIN_ON_CONFLICT);
    return rc;
}

/* S_PAIN_ADD_MANY, prepared when first needed; NULL when this SQLite refuses it (a build with
 * lower limits on parameters), and entries then go in one at a time. The first bulk insert
 * also raises the page cache of the handle (PAIN_BULK_CACHE_KIB) and ends its memory map. */
static sqlite3_stmt *pain_many_stmt(sq_store *s)
{
    if (s->stmt[S_PAIN_ADD_MANY] || s->bulk_refused)
        return s->stmt[S_PAIN_ADD_MANY];
    kn_buf sql;
    kn_buf_init(&sql, (size_t)1 << 20);
    if (pain_many_sql(&sql) != KN_OK ||
        sqlite3_prepare_v3(s->db, kn_buf_str(&sql), (int)sql.len, SQLITE_PREPARE_PERSISTENT,
                           &s->stmt[S_PAIN_ADD_MANY], NULL) != SQLITE_OK) {
        s->bulk_refused = true;
        goto free_sql;
    }
    for (size_t r = 0; r < PAIN_BATCH; r++)
        s->bulk_offset[r] = INT32_MIN;
    /* Memory-mapped reads are for reading: a handle that writes in bulk grows the file,
     * which is then mapped again and again (about a tenth of a large import). */
    char pragma[96];
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size = -%d; PRAGMA mmap_size = 0",
             PAIN_BULK_CACHE_KIB);
    sqlite3_exec(s->db, pragma, NULL, NULL, NULL); /* only a matter of speed */
free_sql:
    kn_buf_free(&sql);
    return s->stmt[S_PAIN_ADD_MANY];
}

/* Whether the PAIN_BATCH entries of items are of one person (?1 of S_PAIN_ADD_MANY). */
static bool one_person(const kn_pain *items)
{
    for (size_t r = 1; r < PAIN_BATCH; r++)
        if (items[r].person_id != items[0].person_id)
            return false;
    return true;
}

/* Inserts PAIN_BATCH entries with S_PAIN_ADD_MANY. *done says whether they went in; when they
 * did not the statement was undone, and rc is an error only when the transaction went with
 * it. */
static kn_rc pain_add_batch(sq_store *s, sqlite3_stmt *st, const kn_pain *items, size_t *added,
                            bool *done, kn_err *err)
{
    /* The texts of the days are formatted once a day, since a diary holds many entries a day,
     * and they live until the statement has run. */
    char dates[PAIN_BATCH][KN_DATE_LEN];
    const char *date = NULL;
    sqlite3_bind_int64(st, 1, items[0].person_id);
    for (size_t r = 0; r < PAIN_BATCH; r++) {
        const kn_pain *p = &items[r];
        int n = 2 + (int)r * PAIN_PARAMS;
        if (!date || p->day != items[r - 1].day) {
            day_text(p->day, dates[r]);
            date = dates[r];
        }
        sqlite3_bind_int64(st, n, p->at.utc);
        if (s->bulk_offset[r] != p->at.offset_min) {
            sqlite3_bind_int(st, n + 1, p->at.offset_min);
            s->bulk_offset[r] = p->at.offset_min;
        }
        sqlite3_bind_text(st, n + 2, date, KN_DATE_LEN - 1, SQLITE_STATIC);
        sqlite3_bind_text(st, n + 3, p->region, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, n + 4, p->intensity);
        sqlite3_bind_int64(st, n + 5, (sqlite3_int64)p->qualities);
        if (p->note)
            sqlite3_bind_text(st, n + 6, p->note, -1, SQLITE_STATIC);
    }
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    /* Back to NULL, so that no parameter points into items once the caller frees them. */
    for (size_t r = 0; r < PAIN_BATCH; r++)
        if (items[r].note)
            sqlite3_bind_null(st, 2 + (int)r * PAIN_PARAMS + 6);
    *done = step == SQLITE_DONE;
    if (*done)
        *added += (size_t)sqlite3_changes(s->db);
    else if (sqlite3_get_autocommit(s->db))
        return db_error(s, err, "add pain entries");
    return KN_OK;
}

static kn_rc sq_pain_add_many(void *impl, const kn_pain *items, size_t n, size_t *added,
                              size_t *failed, kn_err *err)
{
    sq_store *s = impl;
    ASSERT_IN_TRANSACTION(s);
    kn_rc rc = KN_OK;
    *added = 0;
    size_t i = 0;
    while (rc == KN_OK && i < n) {
        *failed = i;
        size_t end = n;
        if (n - i >= PAIN_BATCH) {
            end = i + PAIN_BATCH;
            sqlite3_stmt *st = one_person(items + i) ? pain_many_stmt(s) : NULL;
            bool done = false;
            if (st)
                rc = pain_add_batch(s, st, items + i, added, &done, err);
            if (rc != KN_OK)
                break;
            if (done) {
                i = end;
                continue;
            }
            /* Refused or undone: one entry at a time (and so finds the one at fault). */
        }
        for (; rc == KN_OK && i < end; i++) {
            bool one = false;
            *failed = i;
            rc = pain_add_one(s, &items[i], &one, err);
            *added += one;
        }
    }
    return rc;
}

/* The twin of a range statement that has no bounds, or S_COUNT. */
static stmt_id unbounded_twin(stmt_id id)
{
    switch (id) {
    case S_PAIN_DIGEST:
        return S_PAIN_DIGEST_ALL;
    case S_CHECKIN_DIGEST:
        return S_CHECKIN_DIGEST_ALL;
    case S_CHECKIN_TAG_LIST:
        return S_CHECKIN_TAG_LIST_ALL;
    case S_CHECKIN_TREATMENT_LIST:
        return S_CHECKIN_TREATMENT_LIST_ALL;
    case S_TREATMENT_DIGEST:
        return S_TREATMENT_DIGEST_ALL;
    default:
        return S_COUNT;
    }
}

/* Binds person and the range [f, t] (date texts of range_text) to the list statement id, or
 * prepares its unbounded twin when both ends are open. */
static kn_rc prepare_range(sq_store *s, stmt_id id, int64_t person, const char *f, const char *t,
                           sqlite3_stmt **out, kn_err *err)
{
    bool open = strcmp(f, OPEN_FROM) == 0 && strcmp(t, OPEN_TO) == 0;
    if (open && unbounded_twin(id) != S_COUNT) {
        kn_rc rc = prepare(s, unbounded_twin(id), out, err);
        if (rc == KN_OK)
            sqlite3_bind_int64(*out, 1, person);
        return rc;
    }
    kn_rc rc = prepare(s, id, out, err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(*out, 1, person);
    sqlite3_bind_text(*out, 2, f, -1, SQLITE_STATIC);
    sqlite3_bind_text(*out, 3, t, -1, SQLITE_STATIC);
    return KN_OK;
}

/* Copies the text of column i (never NULL) into a fixed buffer, cut to fit. */
static void col_text_into(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *text = sqlite3_column_text(st, i);
    size_t len = text ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (len >= size)
        len = size - 1;
    if (len)
        memcpy(out, text, len);
    out[len] = '\0';
}

/* Whether a record of a list (day, instant, id) belongs after another: the list order of pain
 * entries and sessions. */
static bool list_after(kn_day day_a, int64_t utc_a, int64_t id_a, kn_day day_b, int64_t utc_b,
                       int64_t id_b)
{
    if (day_a != day_b)
        return day_a > day_b;
    if (utc_a != utc_b)
        return utc_a > utc_b;
    return id_a > id_b;
}

static bool pain_after(const void *a, const void *b)
{
    const kn_pain *x = a, *y = b;
    return list_after(x->day, x->at.utc, x->id, y->day, y->at.utc, y->id);
}

static bool session_after(const void *a, const void *b)
{
    const kn_session *x = a, *y = b;
    return list_after(x->day, x->at.utc, x->id, y->day, y->at.utc, y->id);
}

/* Puts records read in day order into list order: an insertion sort, which moves only the
 * few records out of place within their day. */
static void sort_list(void *items, size_t n, size_t elem, bool (*after)(const void *, const void *))
{
    union {
        kn_pain pain;
        kn_session session;
    } moved;
    assert(elem <= sizeof moved);
    char *at = items;
    for (size_t i = 1; i < n; i++) {
        if (!after(at + (i - 1) * elem, at + i * elem))
            continue;
        memcpy(&moved, at + i * elem, elem);
        size_t j = i;
        for (; j > 0 && after(at + (j - 1) * elem, &moved); j--)
            memcpy(at + j * elem, at + (j - 1) * elem, elem);
        memcpy(at + j * elem, &moved, elem);
    }
}

/* Parses the date text of column i, reusing the day of the row before when the text is the
 * same (a diary has a few entries a day). */
typedef struct day_cache {
    char text[KN_DATE_LEN]; /* "" before the first row */
    kn_day day;
} day_cache;

static kn_day day_cache_parse(day_cache *c, sqlite3_stmt *st, int i)
{
    const char *text = (const char *)sqlite3_column_text(st, i);
    assert(text && "stored dates are never NULL");
    if (strcmp(text, c->text) != 0) {
        col_text_into(st, i, c->text, sizeof c->text);
        c->day = parse_day((const unsigned char *)c->text);
    }
    return c->day;
}

/* A pain entry from a row of S_PAIN_LIST. *oom is set when its note could not be copied. */
static void read_pain(sqlite3_stmt *st, int64_t person, kn_pain *p, int *oom)
{
    kn_pain_init(p);
    p->id = sqlite3_column_int64(st, 0);
    p->person_id = person;
    p->at.utc = sqlite3_column_int64(st, 1);
    p->at.offset_min = sqlite3_column_int(st, 2);
    p->day = kn_instant_day(p->at);
    col_text_into(st, 3, p->region, sizeof p->region);
    p->intensity = sqlite3_column_int(st, 4);
    p->qualities = (kn_qualities)sqlite3_column_int64(st, 5);
    p->note = col_opt_text(st, 6, oom);
}

static kn_rc sq_pain_list(void *impl, int64_t person, kn_day from, kn_day to, kn_pain_list *out,
                          kn_err *err)
{
    sq_store *s = impl;
    memset(out, 0, sizeof *out);
    char f[KN_DATE_LEN], t[KN_DATE_LEN];
    range_text(from, to, f, t);
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare_range(s, S_PAIN_LIST, person, f, t, &st, err);
    if (rc != KN_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        kn_pain *p = list_slot((void **)&out->items, &out->n, &out->cap, sizeof *p);
        if (!p) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        int oom = 0;
        read_pain(st, person, p, &oom);
        out->n++;
        if (oom) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            break;
        }
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = db_error(s, err, "list pain entries");
    sqlite3_reset(st);
    if (rc == KN_OK)
        sort_list(out->items, out->n, sizeof *out->items, pain_after);
    else
        kn_pain_list_free(out);
    return rc;
}

/* The scalar fields of a check-in from a row of S_CHECKIN_LIST. */
static kn_rc read_checkin(sqlite3_stmt *st, int64_t person, kn_checkin *c, kn_err *err)
{
    int oom = 0;
    kn_checkin_init(c);
    c->person_id = person;
    c->day = parse_day(sqlite3_column_text(st, 0));
    c->stress = col_opt_int(st, 1);
    c->sleep_hours = sqlite3_column_type(st, 2) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 2);
    c->sleep_quality = col_opt_int(st, 3);
    if (sqlite3_column_type(st, 4) != SQLITE_NULL)
        c->routine = strcmp((const char *)sqlite3_column_text(st, 4), "disrupted") == 0
                         ? KN_ROUTINE_DISRUPTED
                         : KN_ROUTINE_NORMAL;
    c->pain_free = col_opt_int(st, 5);
    for (int i = 0; i < 3; i++)
        c->peg[i] = col_opt_int(st, 6 + i);
    c->note = col_opt_text(st, 9, &oom);
    if (oom)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    return KN_OK;
}

/* A check-in from a row of S_CHECKIN_DIGEST. */
static void read_checkin_digest(sqlite3_stmt *st, kn_digest_checkin *c)
{
    c->day = parse_day(sqlite3_column_text(st, 0));
    c->sleep_hours = sqlite3_column_type(st, 1) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 1);
    c->stress = col_opt_int(st, 2);
    c->sleep_quality = col_opt_int(st, 3);
    c->pain_free = col_opt_int(st, 4);
    for (int i = 0; i < 3; i++)
        c->peg[i] = col_opt_int(st, 5 + i);
    int routine = col_opt_int(st, 8);
    c->routine = routine == KN_NONE ? KN_ROUTINE_NONE
                 : routine == 1     ? KN_ROUTINE_DISRUPTED
                                    : KN_ROUTINE_NORMAL;
}

/* Finds the check-in of the rows of a tag or treatment list, which come in the day order of
 * the check-ins (their day text in column 0): a walk forward. */
typedef struct day_walk {
    kn_checkin *items;
    size_t n, at;
    day_cache days;
} day_walk;

/* The check-in of the row's day (NULL: none, which foreign keys rule out). */
static kn_checkin *day_walk_find(day_walk *w, sqlite3_stmt *st)
{
    kn_day d = day_cache_parse(&w->days, st, 0);
    while (w->at < w->n && w->items[w->at].day < d)
        w->at++;
    return w->at < w->n && w->items[w->at].day == d ? &w->items[w->at] : NULL;
}

/* Merges the tags and treatments of the range into the check-ins of out (in day order). */
static kn_rc read_checkin_lists(sq_store *s, int64_t person, const char *f, const char *t,
                                kn_checkin_list *out, kn_err *err)
{
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare_range(s, S_CHECKIN_TAG_LIST, person, f, t, &st, err);
    if (rc != KN_OK)
        return rc;
    day_walk w = {.items = out->items, .n = out->n, .days = {.text = ""}};
    int step = SQLITE_DONE;
    while (rc == KN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        kn_checkin *c = day_walk_find(&w, st);
        if (c)
            rc = kn_checkin_add_tag(c, (const char *)sqlite3_column_text(st, 1), err);
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = db_error(s, err, "list tags");
    sqlite3_reset(st);
    if (rc == KN_OK)
        rc = prepare_range(s, S_CHECKIN_TREATMENT_LIST, person, f, t, &st, err);
    if (rc != KN_OK)
        return rc;
    w = (day_walk){.items = out->items, .n = out->n, .days = {.text = ""}};
    while (rc == KN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        kn_checkin *c = day_walk_find(&w, st);
        kn_treatment tr = {(char *)sqlite3_column_text(st, 1), (char *)sqlite3_column_text(st, 2)};
        if (c)
            rc = kn_checkin_add_treatment(c, &tr, err);
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = db_error(s, err, "list treatments");
    sqlite3_reset(st);
    return rc;
}

/* The check-ins of person in [f, t] (date texts), in day order, with their tags and
 * treatments: three statements for any number of days. */
static kn_rc read_checkins(sq_store *s, int64_t person, const char *f, const char *t,
                           kn_checkin_list *out, kn_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare_range(s, S_CHECKIN_LIST, person, f, t, &st, err);
    if (rc != KN_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        kn_checkin *c = list_slot((void **)&out->items, &out->n, &out->cap, sizeof *c);
        if (!c) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        rc = read_checkin(st, person, c, err);
        out->n++;
        if (rc != KN_OK)
            break;
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = db_error(s, err, "list check-ins");
    sqlite3_reset(st);
    if (rc == KN_OK && out->n)
        rc = read_checkin_lists(s, person, f, t, out, err);
    if (rc != KN_OK)
        kn_checkin_list_free(out);
    return rc;
}

static kn_rc sq_checkin_get(void *impl, int64_t person, kn_day day, kn_checkin *out, bool *found,
                            kn_err *err)
{
    *found = false;
    char date[KN_DATE_LEN];
    day_text(day, date);
    kn_checkin_list l;
    kn_rc rc = read_checkins(impl, person, date, date, &l, err);
    if (rc != KN_OK)
        return rc;
    if (l.n) {
        kn_checkin_clear(out);
        *out = l.items[0]; /* moved: the list gives up its only item */
        l.n = 0;
        *found = true;
    }
    kn_checkin_list_free(&l);
    return KN_OK;
}

static kn_rc sq_checkin_replace(void *impl, const kn_checkin *c, kn_err *err)
{
    sq_store *s = impl;
    ASSERT_IN_TRANSACTION(s);
    char date[KN_DATE_LEN];
    day_text(c->day, date);
    static const stmt_id deletes[] = {S_TAG_DELETE, S_TREATMENT_DELETE, S_CHECKIN_DELETE};
    sqlite3_stmt *st = NULL;
    kn_rc rc = KN_OK;
    for (size_t i = 0; rc == KN_OK && i < 3; i++) {
        rc = prepare(s, deletes[i], &st, err);
        if (rc != KN_OK)
            return rc;
        sqlite3_bind_int64(st, 1, c->person_id);
        sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
        rc = step_done(s, st, err, "replace check-in");
    }
    if (rc == KN_OK)
        rc = prepare(s, S_CHECKIN_ADD, &st, err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(st, 1, c->person_id);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    bind_opt_int(st, 3, c->stress);
    if (isnan(c->sleep_hours))
        sqlite3_bind_null(st, 4);
    else
        sqlite3_bind_double(st, 4, c->sleep_hours);
    bind_opt_int(st, 5, c->sleep_quality);
    bind_opt_text(st, 6,
                  c->routine == KN_ROUTINE_NONE        ? NULL
                  : c->routine == KN_ROUTINE_DISRUPTED ? "disrupted"
                                                       : "normal");
    bind_opt_int(st, 7, c->pain_free);
    for (int i = 0; i < 3; i++)
        bind_opt_int(st, 8 + i, c->peg[i]);
    bind_opt_text(st, 11, c->note);
    rc = step_done(s, st, err, "add check-in");
    for (size_t i = 0; rc == KN_OK && i < c->ntags; i++) {
        rc = prepare(s, S_TAG_ADD, &st, err);
        if (rc != KN_OK)
            break;
        sqlite3_bind_int64(st, 1, c->person_id);
        sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
        sqlite3_bind_text(st, 4, c->tags[i], -1, SQLITE_STATIC);
        rc = step_done(s, st, err, "add tag");
    }
    for (size_t i = 0; rc == KN_OK && i < c->ntreatments; i++) {
        rc = prepare(s, S_TREATMENT_ADD, &st, err);
        if (rc != KN_OK)
            break;
        sqlite3_bind_int64(st, 1, c->person_id);
        sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
        sqlite3_bind_text(st, 4, c->treatments[i].name, -1, SQLITE_STATIC);
        bind_opt_text(st, 5, c->treatments[i].dose);
        rc = step_done(s, st, err, "add treatment");
    }
    return rc;
}

static kn_rc sq_checkin_list(void *impl, int64_t person, kn_day from, kn_day to,
                             kn_checkin_list *out, kn_err *err)
{
    char f[KN_DATE_LEN], t[KN_DATE_LEN];
    range_text(from, to, f, t);
    return read_checkins(impl, person, f, t, out, err);
}

static kn_rc sq_session_add(void *impl, kn_session *ses, bool *added, kn_err *err)
{
    sq_store *s = impl;
    ASSERT_IN_TRANSACTION(s);
    *added = false;
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare(s, S_SESSION_ADD, &st, err);
    if (rc != KN_OK)
        return rc;
    char date[KN_DATE_LEN];
    day_text(ses->day, date);
    sqlite3_bind_int64(st, 1, ses->person_id);
    sqlite3_bind_int64(st, 2, ses->at.utc);
    sqlite3_bind_int(st, 3, ses->at.offset_min);
    sqlite3_bind_text(st, 4, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, ses->therapist, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, ses->minutes);
    bind_opt_int(st, 7, ses->pre_pain);
    bind_opt_int(st, 8, ses->post_pain);
    bind_opt_text(st, 9, ses->note);
    rc = step_done(s, st, err, "add session");
    if (rc != KN_OK || sqlite3_changes(s->db) == 0)
        return rc;
    ses->id = sqlite3_last_insert_rowid(s->db);
    *added = true;
    for (size_t i = 0; rc == KN_OK && i < ses->nwork; i++) {
        rc = prepare(s, S_SESSION_WORK_ADD, &st, err);
        if (rc != KN_OK)
            break;
        sqlite3_bind_int64(st, 1, ses->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_text(st, 3, ses->work[i].region, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, ses->work[i].pressure);
        bind_opt_int(st, 5, ses->work[i].discomfort);
        rc = step_done(s, st, err, "add session work");
    }
    for (size_t i = 0; rc == KN_OK && i < ses->ntechniques; i++) {
        rc = prepare(s, S_SESSION_TECHNIQUE_ADD, &st, err);
        if (rc != KN_OK)
            break;
        sqlite3_bind_int64(st, 1, ses->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_text(st, 3, ses->techniques[i], -1, SQLITE_STATIC);
        rc = step_done(s, st, err, "add session technique");
    }
    return rc;
}

/* A session of a list by id, for merging rows that come by session id. */
typedef struct session_ref {
    int64_t id;
    kn_session *ses;
} session_ref;

static int session_ref_cmp(const void *a, const void *b)
{
    int64_t x = ((const session_ref *)a)->id, y = ((const session_ref *)b)->id;
    return x < y ? -1 : x > y;
}

/* The session of refs[*at..] with id (rows come in ascending id), or NULL (an open session,
 * which lists leave out). */
static kn_session *session_ref_find(const session_ref *refs, size_t n, size_t *at, int64_t id)
{
    while (*at < n && refs[*at].id < id)
        (*at)++;
    return *at < n && refs[*at].id == id ? refs[*at].ses : NULL;
}

/* Merges the work and techniques of the sessions of the range into out: one statement each. */
static kn_rc read_session_lists(sq_store *s, int64_t person, const char *f, const char *t,
                                kn_session_list *out, kn_err *err)
{
    session_ref *refs = malloc(out->n * sizeof *refs);
    if (!refs)
        return kn_err_set(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < out->n; i++)
        refs[i] = (session_ref){out->items[i].id, &out->items[i]};
    qsort(refs, out->n, sizeof *refs, session_ref_cmp);
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare_range(s, S_SESSION_WORK_LIST, person, f, t, &st, err);
    if (rc != KN_OK)
        goto free_refs;
    size_t at = 0;
    int step = SQLITE_DONE;
    while (rc == KN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        kn_session *ses = session_ref_find(refs, out->n, &at, sqlite3_column_int64(st, 0));
        if (!ses)
            continue;
        kn_work w;
        col_text_into(st, 1, w.region, sizeof w.region);
        w.pressure = sqlite3_column_int(st, 2);
        w.discomfort = col_opt_int(st, 3);
        rc = kn_session_add_work(ses, &w, err);
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = db_error(s, err, "list session work");
    sqlite3_reset(st);
    if (rc == KN_OK)
        rc = prepare_range(s, S_SESSION_TECHNIQUE_LIST, person, f, t, &st, err);
    if (rc != KN_OK)
        goto free_refs;
    at = 0;
    while (rc == KN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        kn_session *ses = session_ref_find(refs, out->n, &at, sqlite3_column_int64(st, 0));
        if (ses)
            rc = kn_session_add_technique(ses, (const char *)sqlite3_column_text(st, 1), err);
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = db_error(s, err, "list session techniques");
    sqlite3_reset(st);
free_refs:
    free(refs);
    return rc;
}

static kn_rc sq_session_list(void *impl, int64_t person, kn_day from, kn_day to,
                             kn_session_list *out, kn_err *err)
{
    sq_store *s = impl;
    memset(out, 0, sizeof *out);
    char f[KN_DATE_LEN], t[KN_DATE_LEN];
    range_text(from, to, f, t);
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare_range(s, S_SESSION_LIST, person, f, t, &st, err);
    if (rc != KN_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        kn_session *ses = list_slot((void **)&out->items, &out->n, &out->cap, sizeof *ses);
        if (!ses) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        int oom = 0;
        kn_session_init(ses);
        out->n++;
        ses->id = sqlite3_column_int64(st, 0);
        ses->person_id = person;
        ses->at.utc = sqlite3_column_int64(st, 1);
        ses->at.offset_min = sqlite3_column_int(st, 2);
        ses->day = kn_instant_day(ses->at);
        ses->therapist = col_opt_text(st, 3, &oom);
        ses->minutes = sqlite3_column_int(st, 4);
        ses->pre_pain = col_opt_int(st, 5);
        ses->post_pain = col_opt_int(st, 6);
        ses->note = col_opt_text(st, 7, &oom);
        if (oom) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            break;
        }
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = db_error(s, err, "list sessions");
    sqlite3_reset(st);
    if (rc == KN_OK)
        sort_list(out->items, out->n, sizeof *out->items, session_after);
    if (rc == KN_OK && out->n)
        rc = read_session_lists(s, person, f, t, out, err);
    if (rc != KN_OK)
        kn_session_list_free(out);
    return rc;
}

/* ---- the digest of a diary (kn_store_digest_read) ---- */

/* The text of column i and its length ("" for NULL, which the schema rules out). */
static const char *col_text_len(sqlite3_stmt *st, int i, size_t *len)
{
    const char *text = (const char *)sqlite3_column_text(st, i);
    *len = text ? (size_t)sqlite3_column_bytes(st, i) : 0;
    return text ? text : "";
}

/* Steps the digest statement id of the range, giving each row to add; what names the read
 * in a database error. */
typedef kn_rc (*digest_row_fn)(sqlite3_stmt *st, day_cache *days, kn_digest *d);

static kn_rc digest_rows(sq_store *s, stmt_id id, int64_t person, const char *f, const char *t,
                         digest_row_fn add, kn_digest *d, const char *what, kn_err *err)
{
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare_range(s, id, person, f, t, &st, err);
    if (rc != KN_OK)
        return rc;
    day_cache days = {.text = ""};
    int step = SQLITE_DONE;
    while (rc == KN_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = add(st, &days, d);
    if (rc != KN_OK)
        kn_err_set(err, rc, "%s: %s", what, kn_digest_failure(rc));
    else if (step != SQLITE_DONE)
        rc = db_error(s, err, what);
    sqlite3_reset(st);
    return rc;
}

static kn_rc digest_pain_row(sqlite3_stmt *st, day_cache *days, kn_digest *d)
{
    kn_day day = day_cache_parse(days, st, 0);
    size_t len;
    const char *region = col_text_len(st, 1, &len);
    return kn_digest_add_pain(d, day, region, len, sqlite3_column_int(st, 2));
}

static kn_rc digest_checkin_row(sqlite3_stmt *st, day_cache *days, kn_digest *d)
{
    (void)days;
    kn_digest_checkin c;
    read_checkin_digest(st, &c);
    return kn_digest_add_checkin(d, &c);
}

static kn_rc digest_mark_row(sqlite3_stmt *st, day_cache *days, kn_digest *d, kn_word_kind kind)
{
    kn_day day = day_cache_parse(days, st, 0);
    size_t len;
    const char *name = col_text_len(st, 1, &len);
    return kn_digest_add_mark(d, day, kind, name, len);
}

static kn_rc digest_tag_row(sqlite3_stmt *st, day_cache *days, kn_digest *d)
{
    return digest_mark_row(st, days, d, KN_WORD_TAG);
}

static kn_rc digest_treatment_row(sqlite3_stmt *st, day_cache *days, kn_digest *d)
{
    return digest_mark_row(st, days, d, KN_WORD_TREATMENT);
}

static kn_rc digest_session_row(sqlite3_stmt *st, day_cache *days, kn_digest *d)
{
    (void)days;
    kn_digest_session ses;
    ses.at.utc = sqlite3_column_int64(st, 0);
    ses.at.offset_min = sqlite3_column_int(st, 1);
    ses.day = kn_instant_day(ses.at);
    ses.pre_pain = col_opt_int(st, 2);
    ses.post_pain = col_opt_int(st, 3);
    return kn_digest_add_session(d, &ses);
}

/* Five statements for any number of days, each read straight into the digest. */
static kn_rc sq_digest_read(void *impl, int64_t person, kn_day from, kn_day to, kn_digest *out,
                            kn_err *err)
{
    sq_store *s = impl;
    char f[KN_DATE_LEN], t[KN_DATE_LEN];
    range_text(from, to, f, t);
    static const struct {
        stmt_id id;
        digest_row_fn add;
        const char *what;
    } reads[] = {
        {S_PAIN_DIGEST, digest_pain_row, "list pain entries"},
        {S_CHECKIN_DIGEST, digest_checkin_row, "list check-ins"},
        {S_CHECKIN_TAG_LIST, digest_tag_row, "list tags"},
        {S_TREATMENT_DIGEST, digest_treatment_row, "list treatments"},
        {S_SESSION_DIGEST, digest_session_row, "list sessions"},
    };
    kn_rc rc = KN_OK;
    for (size_t i = 0; rc == KN_OK && i < sizeof reads / sizeof reads[0]; i++)
        rc = digest_rows(s, reads[i].id, person, f, t, reads[i].add, out, reads[i].what, err);
    return rc;
}

static kn_rc sq_counts(void *impl, int64_t person, kn_counts *out, kn_err *err)
{
    sq_store *s = impl;
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare(s, S_COUNTS, &st, err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(st, 1, person);
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->pain = sqlite3_column_int64(st, 0);
        out->checkins = sqlite3_column_int64(st, 1);
        out->sessions = sqlite3_column_int64(st, 2);
    } else {
        rc = db_error(s, err, "count records");
    }
    sqlite3_reset(st);
    return rc;
}

static kn_rc sq_screening_add(void *impl, kn_screening *scr, const char *answers_json, kn_err *err)
{
    sq_store *s = impl;
    ASSERT_IN_TRANSACTION(s);
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare(s, S_SCREENING_ADD, &st, err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(st, 1, scr->person_id);
    sqlite3_bind_int64(st, 2, scr->at.utc);
    sqlite3_bind_int(st, 3, scr->at.offset_min);
    sqlite3_bind_text(st, 4, kn_verdict_name(scr->verdict), -1, SQLITE_STATIC);
    bind_opt_int(st, 5, scr->max_pressure);
    sqlite3_bind_text(st, 6, answers_json, -1, SQLITE_STATIC);
    rc = step_done(s, st, err, "add screening");
    if (rc == KN_OK)
        scr->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static kn_rc sq_screening_list(void *impl, int64_t person, size_t limit, kn_screening_list *out,
                               kn_err *err)
{
    sq_store *s = impl;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    kn_rc rc = prepare(s, S_SCREENING_LIST, &st, err);
    if (rc != KN_OK)
        return rc;
    sqlite3_bind_int64(st, 1, person);
    sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : INT64_MAX);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        kn_screening *scr = list_slot((void **)&out->items, &out->n, &out->cap, sizeof *scr);
        if (!scr) {
            rc = kn_err_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        kn_screening_init(scr);
        out->n++;
        scr->id = sqlite3_column_int64(st, 0);
        scr->person_id = person;
        scr->at.utc = sqlite3_column_int64(st, 1);
        scr->at.offset_min = sqlite3_column_int(st, 2);
        if (kn_verdict_parse((const char *)sqlite3_column_text(st, 3), &scr->verdict) != KN_OK)
            rc = kn_err_set(err, KN_EDB, "%s: screening %lld: unknown verdict", s->path,
                            (long long)scr->id);
        scr->max_pressure = col_opt_int(st, 4);
        if (rc == KN_OK)
            rc = kn_screening_answers_from_stored((const char *)sqlite3_column_text(st, 5), scr,
                                                  err);
        if (rc != KN_OK)
            break;
    }
    if (rc == KN_OK && step != SQLITE_DONE)
        rc = db_error(s, err, "list screenings");
    sqlite3_reset(st);
    if (rc != KN_OK)
        kn_screening_list_free(out);
    return rc;
}

const kn_store_ops kn_sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .begin_read = sq_begin_read,
    .person_add = sq_person_add,
    .person_get = sq_person_get,
    .person_list = sq_person_list,
    .pain_add = sq_pain_add,
    .pain_add_many = sq_pain_add_many,
    .pain_list = sq_pain_list,
    .checkin_get = sq_checkin_get,
    .checkin_replace = sq_checkin_replace,
    .checkin_list = sq_checkin_list,
    .session_add = sq_session_add,
    .session_list = sq_session_list,
    .digest_read = sq_digest_read,
    .counts = sq_counts,
    .screening_add = sq_screening_add,
    .screening_list = sq_screening_list,
};

struct sqlite3 *kn_sqlite_db(void *impl)
{
    return ((sq_store *)impl)->db;
}

const char *kn_sqlite_path(void *impl)
{
    return ((sq_store *)impl)->path;
}
