/*
 * bare-csv.c: the baseline for `make bench`: a bare libcsv parse of a file
 * (64 KiB reads, field and row callbacks that only count), so that relec's
 * throughput can be given as a ratio measured in the same run.
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long fields, rows;
static void on_field(void *s, size_t n, void *d) {
    (void)s;
    (void)n;
    (void)d;
    fields++;
}
static void on_row(int c, void *d) {
    (void)c;
    (void)d;
    rows++;
}

int main(int argc, char **argv) {
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
    if (!f) {
        perror("open");
        return 1;
    }
    struct csv_parser p;
    csv_init(&p, 0);
    static char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (csv_parse(&p, buf, n, on_field, on_row, NULL) != n) return 1;
    csv_fini(&p, on_field, on_row, NULL);
    csv_free(&p);
    printf("%llu rows, %llu fields\n", rows, fields);
    return 0;
}
