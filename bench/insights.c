/* bench/insights: computes the insights of every person in a knead database and prints them
 * as one JSON line per person (the object of `knead insights --json`), for bench/insights.sh
 * to time against the pandas + scipy reference and to compare with it. */
#include <stdio.h>
#include <stdlib.h>

#include "knead/insight.h"
#include "knead/interop.h"
#include "knead/store.h"

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
        char *line = NULL;
        size_t len = 0;
        rc = kn_json_insights_text(&ins, false, &line, &len, &err);
        kn_insights_free(&ins);
        bool written = rc == KN_OK && fwrite(line, 1, len, stdout) == len;
        free(line);
        if (!written) {
            fprintf(stderr, "insights: %s\n", rc == KN_OK ? "cannot write the output" : err.msg);
            goto free_persons;
        }
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "insights: cannot write the output\n");
        goto free_persons;
    }
    status = 0;
free_persons:
    kn_person_list_free(&persons);
end_read:
    kn_store_rollback(st);
close_store:
    kn_store_close(st);
    return status;
}
