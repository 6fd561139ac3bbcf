/* Writes a large, realistic pain CSV for the import benchmark (bench/import.sh): entries every
 * few minutes through the waking day, mostly right neck and shoulder with temple headaches,
 * now and then a quoted note. The same row count always gives the same file.
 * usage: gen_pain_csv ROWS FILE */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const regions[] = {
    "neck_back_r",    "neck_back_r", "shoulder_top_r", "shoulder_top_r",
    "neck_side_r",    "neck_side_r", "scapula_r",      "interscapular_r",
    "temple_r",       "temple_r",    "forehead_r",     "occiput_r",
    "shoulder_top_l", "neck_side_l", "lowback_r",      "lowback_l",
};
static const char *const qualities[] = {
    "aching", "aching;stiffness", "stiffness",        "aching;tender",
    "tender", "throbbing",        "throbbing;tender", "dull",
    "",
};
static const char *const notes[] = {
    "woke up with it",
    "after a long meeting",
    "\"drove 3 h, then this\"",
    "\"said \"\"ouch\"\" turning left\"",
};

#define NREGIONS (sizeof regions / sizeof regions[0])
#define NQUALITIES (sizeof qualities / sizeof qualities[0])
#define NNOTES (sizeof notes / sizeof notes[0])

/* xorshift64*: fast and fixed, so the file does not depend on the C library. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dULL;
}

/* Civil date from days since 1970-01-01 (H. Hinnant's algorithm). */
static void civil(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_pain_csv ROWS FILE\n");
        return 2;
    }
    long rows = strtol(argv[1], NULL, 10);
    FILE *out = fopen(argv[2], "w");
    if (rows <= 0 || !out) {
        fprintf(stderr, "gen_pain_csv: bad row count or cannot write %s\n", argv[2]);
        return 1;
    }
    static char buf[1 << 20];
    setvbuf(out, buf, _IOFBF, sizeof buf);
    fputs("at,region,intensity,qualities,note\n", out);
    uint64_t s = 0x9e3779b97f4a7c15ULL;
    long day = 3652; /* 1980-01-01: a million rows at ~67 a day end around 2021, in the past */
    int minute = 8 * 60;
    int y = 0, m = 0, d = 0;
    long civil_day = -1;
    for (long i = 0; i < rows; i++) {
        minute += 3 + (int)(next(&s) % 20);
        if (minute >= 22 * 60) {
            day++;
            minute = 8 * 60 + (int)(next(&s) % 30);
        }
        if (day != civil_day) {
            civil(day, &y, &m, &d);
            civil_day = day;
        }
        uint64_t r = next(&s);
        const char *region = regions[r % NREGIONS];
        int intensity = 1 + (int)((r >> 8) % 5) + (int)((r >> 16) % 5);
        const char *q = qualities[(r >> 24) % NQUALITIES];
        const char *note = (r >> 32) % 50 == 0 ? notes[(r >> 40) % NNOTES] : "";
        fprintf(out, "%04d-%02d-%02dT%02d:%02d:00+01:00,%s,%d,%s,%s\n", y, m, d, minute / 60,
                minute % 60, region, intensity, q, note);
    }
    if (fclose(out) != 0) {
        fprintf(stderr, "gen_pain_csv: write to %s failed\n", argv[2]);
        return 1;
    }
    return 0;
}
