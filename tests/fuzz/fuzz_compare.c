/*
 * fuzz_compare.c: libFuzzer target for compare's accumulation. The first
 * byte chooses the options (period, breakdowns, suppression) and the record
 * type; the rest is a CSV file fed through compare_header()/compare_row()
 * as `relec compare` feeds it, then every published cell is formatted.
 * Holds: every row fed is counted as fed (nothing lost), and a cell shown
 * under suppression is never below k.
 */
#include "compare.h"
#include "outfile.h"
#include "source.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned o = data[0];
    char path[] = "/tmp/fuzz-compare-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    compare_opts co = {.period = (int)(o & 3) % 3,
                       .by = (o >> 2) & 0x1F,
                       .suppress = (o & 0x80) ? 5 : 0,
                       .with_persons = 1};
    compare_kind kind = (compare_kind)((o >> 5) % 3);
    compare *c = compare_new(&co);
    char err[512];
    source *src = c ? source_open(path, NULL, err, sizeof err) : NULL;
    source_row row;
    long fed = 0;
    if (src && source_next(src, &row) > 0 &&
        compare_header(c, kind, &row, err, sizeof err) == 0) {
        while (source_next(src, &row) > 0) {
            compare_row(c, &row);
            fed++;
        }
        compare_finish(c);
        const compare_counts *k = compare_counts_of(c, kind);
        if (!k || k->rows != fed) abort(); /* every row fed is counted */
        size_t n;
        const compare_cell *cells = compare_cells(c, &n);
        for (size_t i = 0; i < n; i++) {
            if (co.suppress && cells[i].state == COMPARE_SHOWN &&
                cells[i].value > 0 && cells[i].value < co.suppress)
                abort(); /* a small count shown under suppression */
            char buf[32];
            if (!compare_format(c, &cells[i], buf)) abort();
        }
        cells = compare_cells_wide(c, &n);
        size_t np;
        compare_periods(c, &np);
    }
    source_close(src);
    compare_free(c);
    unlink(path);
    outfile_reset();
    return 0;
}
