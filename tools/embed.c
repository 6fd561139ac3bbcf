/* Build-time tool: turns a data/ table into a C source file holding its text as one
 * NUL-terminated string, so the clinical tables are compiled into the binary. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: embed INPUT SYMBOL OUTPUT\n");
        return 2;
    }
    int rc = 1;
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    FILE *out = fopen(argv[3], "wb");
    if (!out) {
        perror(argv[3]);
        goto close_in;
    }
    fprintf(out, "/* Generated from %s; do not edit. */\nconst char %s[] = {\n", argv[1], argv[2]);
    int c;
    unsigned long n = 0;
    while ((c = fgetc(in)) != EOF) {
        fprintf(out, "0x%02x,%s", (unsigned)c, (++n % 16) ? "" : "\n");
    }
    fprintf(out, "0x00};\n");
    if (ferror(in) || fclose(out) != 0) {
        fprintf(stderr, "embed: write failed\n");
        goto close_in;
    }
    rc = 0;
close_in:
    fclose(in);
    return rc;
}
