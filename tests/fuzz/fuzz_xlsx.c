/*
 * fuzz_xlsx.c: libFuzzer target for the .xlsx reader. Each input is written
 * to one temporary file (minizip needs a real, seekable file) and read to
 * the end twice: the first sheet with some columns flagged as dates, and
 * sheet "2". Every byte of every cell, its kind, the sheet names and the
 * dropdowns are read so that ASan checks the pointers the reader hands
 * out. Errors are fine; crashes, leaks, hangs and
 * undefined behaviour are not.
 *
 * Build (CRC checks are skipped in this mode so mutated XML reaches expat;
 * seed files store their parts uncompressed for the same reason):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -Ilib \
 *     tests/fuzz/fuzz_xlsx.c lib/source_xlsx.c \
 *     $(pkg-config --cflags --libs minizip expat) -lm -o /tmp/fuzz_xlsx
 * Run:
 *   /tmp/fuzz_xlsx -max_total_time=60 /tmp/corpus tests/fuzz/corpus-xlsx
 */
#include "source_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[256];  /* the temporary file every input goes through */
volatile unsigned sink; /* keeps the reads of cell bytes from being dropped */

static void remove_tmp(void) {
    if (path[0]) unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    const char *t = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/fuzz-xlsx-XXXXXX",
             t && *t && strlen(t) < 200 ? t : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        abort();
    }
    close(fd);
    atexit(remove_tmp);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);

    static const unsigned char datecols[4] = {0, 1, 0, 1};
    const char *sheets[2] = {NULL, "2"};
    for (int k = 0; k < 2; k++) {
        source_opts o;
        memset(&o, 0, sizeof o);
        o.sheet = sheets[k];
        o.date_columns = k ? NULL : datecols;
        o.ndate_columns = k ? 0 : sizeof datecols;
        source_reader r;
        char err[256];
        if (source_xlsx_open(path, &o, &r, err, sizeof err) != 0) {
            if (!err[0]) abort(); /* a failure must say why */
            continue;
        }
        source_row row;
        unsigned sum = 0;
        int rc;
        long rows = 0;
        while ((rc = r.next(r.state, &row, err, sizeof err)) == 1) {
            rows++;
            for (size_t i = 0; i < row.ncells; i++) {
                for (size_t j = 0; j < row.cells[i].n; j++)
                    sum += (unsigned char)row.cells[i].p[j];
                sum += row.kinds ? row.kinds[i] : 0; /* kinds, per cell */
                if (row.look) /* styles and formulas, per cell */
                    for (size_t j = 0; j < row.look[i].fn; j++)
                        sum +=
                            (unsigned char)row.look[i].f[j] + row.look[i].style;
            }
        }
        /* the sheet names, and its dropdowns once the rows are read */
        for (size_t i = 0; i < r.nsheets; i++)
            sum += (unsigned char)r.sheets[i][0];
        size_t nd = 0;
        const source_dropdown *dd =
            rc == 0 && r.dropdowns ? r.dropdowns(r.state, &nd) : NULL;
        for (size_t i = 0; i < nd; i++)
            sum += (unsigned)strlen(dd[i].range) + strlen(dd[i].formula);
        /* and the sheet's layout: styles, merged ranges, columns, links
         * (their addresses read from the sheet's rels now), row heights */
        source_layout lay = {0};
        if (rc == 0 && r.layout) r.layout(r.state, &lay);
        for (size_t i = 0; i < lay.nstyles; i++)
            sum +=
                lay.styles[i].fmtid + lay.styles[i].bold +
                (lay.styles[i].numfmt ? (unsigned)strlen(lay.styles[i].numfmt)
                                      : 0);
        for (size_t i = 0; i < lay.nmerges; i++)
            sum += (unsigned)strlen(lay.merges[i]);
        for (size_t i = 0; i < lay.ncols; i++)
            sum += (unsigned)lay.cols[i].last;
        for (size_t i = 0; i < lay.nstyles; i++) /* fonts, fills, borders */
            sum += (lay.styles[i].font ? (unsigned)strlen(lay.styles[i].font)
                                       : 0) +
                   (unsigned)lay.styles[i].fill + lay.styles[i].border[3];
        for (size_t i = 0; i < lay.nlinks; i++) /* hyperlinks, their rels */
            sum +=
                (unsigned)strlen(lay.links[i].ref) +
                (lay.links[i].url ? (unsigned)strlen(lay.links[i].url) : 0) +
                (lay.links[i].location ? (unsigned)strlen(lay.links[i].location)
                                       : 0);
        for (size_t i = 0; i < lay.nheights; i++)
            sum += (unsigned)lay.heights[i].height;
        if (rc < 0 && !err[0]) abort();
        if (rc == 0 && r.next(r.state, &row, err, sizeof err) != 0)
            abort(); /* the end stays the end */
        r.close(r.state);
        sink = sum + (unsigned)rows;
    }
    return 0;
}
