/*
 * rowout.c: CSV rows out. stdio buffers the writes; each cell is scanned
 * once to decide on quoting.
 */
#include "rowout.h"

#include <string.h>

int rowout_open(rowout *w, const char *dest, const char *const *cols,
                size_t ncols, char *err, size_t errlen) {
    memset(w, 0, sizeof *w);
    if (outfile_open(&w->out, dest, err, errlen) < 0) return -1;
    w->ncols = ncols;
    for (size_t i = 0; i < ncols; i++) {
        if (i) putc(',', w->out.fp);
        outfile_csv_cell(w->out.fp, cols[i], strlen(cols[i]));
    }
    putc('\n', w->out.fp);
    return 0;
}

void rowout_row(rowout *w, const source_cell *cells, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (i) putc(',', w->out.fp);
        outfile_csv_cell(w->out.fp, cells[i].p, cells[i].n);
    }
    putc('\n', w->out.fp);
    w->rows++;
}

int rowout_close(rowout *w, char *err, size_t errlen) {
    return outfile_commit(&w->out, err, errlen);
}

void rowout_abort(rowout *w) {
    outfile_abort(&w->out);
}
