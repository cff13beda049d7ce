/*
 * rowout.h: rows out as CSV through a temp-and-rename outfile: a header
 * once, then rows of cells.
 *
 * Ownership: the rowout owns its outfile and a copy of the column names.
 */
#ifndef RELEC_ROWOUT_H
#define RELEC_ROWOUT_H
#include "outfile.h"
#include "source.h"

/* A CSV output of rows. */
typedef struct rowout {
    outfile out;  /* the file */
    size_t ncols; /* columns in the header */
    long rows;    /* data rows written */
} rowout;

/* Opens DEST and writes the header COLS. 0, or -1 with ERR. */
int rowout_open(rowout *w, const char *dest, const char *const *cols,
                size_t ncols, char *err, size_t errlen);

/* Writes one row of N cells (N may differ from ncols: the caller decides). */
void rowout_row(rowout *w, const source_cell *cells, size_t n);

/* Commits (0) or reports the write error (-1 with ERR). */
int rowout_close(rowout *w, char *err, size_t errlen);
void rowout_abort(rowout *w);

#endif
