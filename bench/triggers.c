/* Ranking benchmark: how many pain maps kn_rank turns into muscles worth checking (top 5
 * plus the cover) per second on one core, against a full scan measured in the same run
 * (kn_rank_score for every muscle side, then the best 5: what ranking costs without the
 * inverted index). Goal: at least 1,000,000 rankings per second per core.
 * usage: triggers [RANKINGS]   (default 2000000; the maps are random, seeded, 1-6 marks) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "knead/atlas.h"

#define NMAPS 4096
#define TOP 5
#define GOAL 1e6

/* xorshift64*: fixed, so every run ranks the same maps. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t next_random(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Random maps shaped like real ones: mostly one side, a few marks, mixed intensities. */
static void make_maps(kn_painmap *maps)
{
    int ns = (int)kn_sided_count();
    kn_err err = {0};
    for (size_t k = 0; k < NMAPS; k++) {
        kn_painmap_init(&maps[k]);
        int marks = 1 + (int)(next_random() % 6);
        char side = next_random() % 2 ? 'l' : 'r';
        for (int j = 0; j < marks; j++) {
            int i = (int)(next_random() % (uint64_t)ns);
            char s = next_random() % 8 ? side : (side == 'l' ? 'r' : 'l');
            i = kn_sided_of(kn_sided_region(i), s);
            double intensity = 1 + (double)(next_random() % 10);
            if (kn_painmap_add(&maps[k], kn_sided_id(i), intensity, "bench", &err) != KN_OK) {
                fprintf(stderr, "triggers bench: %s\n", err.msg);
                exit(1);
            }
        }
    }
}

/* The baseline: score every muscle side, keep the best TOP. */
static const kn_muscle *full_scan(const kn_painmap *map, double *best_score)
{
    const kn_muscle *best[TOP] = {0};
    double score[TOP] = {0};
    for (size_t m = 0; m < kn_muscle_count(); m++) {
        const kn_muscle *mu = kn_muscle_at(m);
        for (int side = 0; side < 2; side++) {
            double s = kn_rank_score(map, mu, side ? 'r' : 'l');
            int pos = TOP;
            while (pos > 0 && s > score[pos - 1])
                pos--;
            if (pos == TOP)
                continue;
            for (int j = TOP - 1; j > pos; j--) {
                best[j] = best[j - 1];
                score[j] = score[j - 1];
            }
            best[pos] = mu;
            score[pos] = s;
        }
    }
    *best_score = score[0];
    return best[0];
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2000000;
    if (n < NMAPS) {
        fprintf(stderr, "usage: triggers [RANKINGS >= %d]\n", NMAPS);
        return 2;
    }
    static kn_painmap maps[NMAPS];
    make_maps(maps);
    kn_ranking r;
    kn_err err = {0};
    /* Warm up, and check that both ways agree on the best score. */
    for (size_t k = 0; k < NMAPS; k++) {
        double s;
        full_scan(&maps[k], &s);
        if (kn_rank(&maps[k], TOP, &r, &err) != KN_OK || r.ntop == 0 || s - r.top[0].score > 1e-5 ||
            r.top[0].score - s > 1e-5) {
            fprintf(stderr, "triggers bench: map %zu: kn_rank and the full scan disagree\n", k);
            return 1;
        }
    }
    size_t checksum = 0;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        kn_rank(&maps[i % NMAPS], TOP, &r, &err);
        checksum += r.ncover;
    }
    double ranked = now() - t0;
    long nscan = n / 10;
    t0 = now();
    for (long i = 0; i < nscan; i++) {
        double s;
        checksum += (size_t)(full_scan(&maps[i % NMAPS], &s) != NULL);
    }
    double scanned = now() - t0;
    double rate = (double)n / ranked, base = (double)nscan / scanned;
    printf("ranking %ld random pain maps (1-6 marks) for the top %d muscles and the cover, "
           "one core (checksum %zu)\n",
           n, TOP, checksum);
    printf("  kn_rank    %8.2f M rankings/s  (%.3f us each)\n", rate / 1e6, 1e6 / rate);
    printf("  full scan  %8.2f M rankings/s  (baseline: kn_rank_score for all %zu muscle "
           "sides, top %d, no cover)\n",
           base / 1e6, 2 * kn_muscle_count(), TOP);
    printf("  ratio kn_rank/full scan %.1f  (goal >= %.0f rankings/s per core: %s)\n", rate / base,
           GOAL, rate >= GOAL ? "met" : "NOT met");
    return 0;
}
