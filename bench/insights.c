/* bench/insights: computes the insights of every person in a knead database and prints them
 * as one JSON line per person (the object of `knead insights --json`), for bench/insights.sh
 * to time against the pandas + scipy reference and to compare with it. */
#include <stdio.h>
#include <stdlib.h>

#include "knead/insight.h"
#include "knead/interop.h"
#include "knead/store.h"

/* Writes v as one compact line through a buffer that is kept from line to line: one write a
 * person instead of one a token. */
static kn_rc write_line(json_t *v, char **buf, size_t *cap)
{
    size_t flags = JSON_COMPACT | JSON_REAL_PRECISION(17);
    size_t n = json_dumpb(v, *buf, *cap, flags);
    if (n == 0)
        return KN_ENOMEM;
    if (n + 1 > *cap) {
        char *grown = realloc(*buf, 2 * n + 1);
        if (!grown)
            return KN_ENOMEM;
        *buf = grown;
        *cap = 2 * n + 1;
        if (json_dumpb(v, *buf, *cap, flags) != n)
            return KN_ENOMEM;
    }
    (*buf)[n] = '\n';
    return fwrite(*buf, 1, n + 1, stdout) == n + 1 ? KN_OK : KN_EIO;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DATABASE\n", argv[0]);
        return 2;
    }
    kn_err err = {0};
    kn_store *st = NULL;
    if (kn_store_open(argv[1], KN_STORE_READ, &st, &err) != KN_OK) {
        fprintf(stderr, "insights: %s\n", err.msg);
        return 1;
    }
    int status = 1;
    kn_person_list persons = {0};
    char *line = NULL;
    size_t cap = 0;
    /* One read transaction for the whole run (every person's loads join it). */
    if (kn_store_begin_read(st) != KN_OK) {
        fprintf(stderr, "insights: %s\n", kn_store_errmsg(st));
        goto close_store;
    }
    if (kn_store_person_list(st, &persons) != KN_OK) {
        fprintf(stderr, "insights: %s\n", kn_store_errmsg(st));
        goto end_read;
    }
    for (size_t i = 0; i < persons.n; i++) {
        kn_insights ins;
        kn_rc rc = kn_insights_load(st, persons.items[i].id, KN_DAY_ANY, KN_DAY_ANY, &ins, &err);
        if (rc != KN_OK) {
            kn_insights_free(&ins);
            fprintf(stderr, "insights: person %lld: %s\n", (long long)persons.items[i].id, err.msg);
            goto free_persons;
        }
        json_t *v = kn_json_insights(&ins);
        kn_insights_free(&ins);
        if (!v || write_line(v, &line, &cap) != KN_OK) {
            json_decref(v);
            fprintf(stderr, "insights: cannot write the output\n");
            goto free_persons;
        }
        json_decref(v);
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "insights: cannot write the output\n");
        goto free_persons;
    }
    status = 0;
free_persons:
    free(line);
    kn_person_list_free(&persons);
end_read:
    kn_store_rollback(st);
close_store:
    kn_store_close(st);
    return status;
}
