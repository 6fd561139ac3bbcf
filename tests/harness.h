/* Test helpers: temporary directories and running the knead binary with captured output. */
#ifndef KN_TEST_HARNESS_H
#define KN_TEST_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

typedef struct kn_run {
    int status; /* exit code, or 128+signal */
    char *out;  /* captured stdout (NUL-terminated) */
    char *err;  /* captured stderr */
} kn_run;

/* Makes a fresh temporary directory; returns its path (static storage per call slot). */
char *kt_tmpdir(void);
/* Removes a directory tree made by kt_tmpdir and frees the path. */
void kt_rmtree(char *dir);
/* Joins dir and name into a malloc'd path. */
char *kt_path(const char *dir, const char *name);
/* Writes text into a file. */
void kt_write_file(const char *path, const char *text);
/* Reads a whole file (malloc'd, NUL-terminated), or NULL when missing. */
char *kt_read_file(const char *path);

/* Runs KNEAD_BIN with argv (NULL-terminated, without the program name), stdin from
 * stdin_text (NULL = /dev/null), in directory cwd (NULL = current). */
kn_run kt_knead(const char *cwd, const char *stdin_text, const char *const *argv);
/* Convenience: kt_knead with a NULL-terminated list of arguments. */
kn_run kt_kneadl(const char *cwd, ...);
/* The same with the arguments in ap, after "--db db" unless db is NULL. */
kn_run kt_kneadv(const char *cwd, const char *db, va_list ap);
void kt_run_free(kn_run *r);
/* kt_kneadv with the arguments listed (NULL-terminated). */
kn_run kt_kneaddb(const char *cwd, const char *db, ...);
/* Runs the listed arguments and fails the test unless they exit 0. */
void kt_run_ok(const char *cwd, const char *db, ...);
/* Fails the test, with its stderr, unless r exited 0. */
void kt_ok(const kn_run *r);
/* r's stdout as JSON (the caller json_decref's it); fails the test when it is not JSON. */
struct json_t;
struct json_t *kt_json_of(const kn_run *r);

/* A temporary directory with a database (dir/k.db) holding one person, named name in zone. */
typedef struct kt_world {
    char *dir;
    char *db;
} kt_world;
void kt_world_make(kt_world *w, const char *name, const char *zone);
/* Runs knead on w's database, in its directory, with the NULL-terminated arguments. */
kn_run kt_world_run(kt_world *w, ...);
/* Removes the directory and frees the paths. */
void kt_world_free(kt_world *w);

/* Adds a person named name in time zone zone to st in a transaction of its own (the test
 * fails when it cannot); returns the new id. */
struct kn_store;
int64_t kt_add_person(struct kn_store *st, const char *name, const char *zone);

/* The digest the store reads of person's diary in [from, to] (kn_store_digest_read) must
 * hold what the full lists of that range hold: the same pain entries (day, region,
 * intensity), check-ins field by field, tags and treatment names of each day, and sessions
 * (instant, pre and post pain), as kn_digest_add_records makes of them. Fails the test
 * otherwise; returns the number of records compared. */
size_t kt_assert_digest_of_lists(struct kn_store *st, int64_t person, int32_t from, int32_t to);

/* sha-like digest of a file's bytes to check that it did not change (0 when missing). */
uint64_t kt_file_digest(const char *path);

#endif
