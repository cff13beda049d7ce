/*
 * link_xlsx.c: see link_xlsx.h. Cost: one libxlsxwriter string write per
 * cell (constant-memory mode writes strings inline, no shared-string
 * table), so a row costs its bytes plus one NUL-terminated copy.
 */
#include "link_xlsx.h"
#include "outfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* A sheet being written. */
struct link_xlsx {
    lxw_workbook *wb;  /* the workbook (libxlsxwriter) */
    lxw_worksheet *ws; /* its one sheet */
    char *dest;        /* final name */
    char *tmp;         /* temporary name beside it */
    long row;          /* next row (0-based; 0 is the header) */
    long over;         /* rows not written: past Excel's limit */
    char *buf;         /* NUL-terminated copy of a cell */
};

/* Writes N bytes of P to (row, col) as text, cut to Excel's cell limit at
 * a UTF-8 character boundary. */
static void put(link_xlsx *x, long row, size_t col, const char *p, size_t n) {
    if (!n) return;
    if (n > LINK_XLSX_MAX_CELL) { /* bytes >= characters: cut safely */
        n = LINK_XLSX_MAX_CELL;
        while (n && ((unsigned char)p[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(x->buf, p, n);
    x->buf[n] = 0;
    worksheet_write_string(x->ws, (lxw_row_t)row, (lxw_col_t)col, x->buf, NULL);
}

link_xlsx *link_xlsx_open(const char *dest, const char *sheet,
                          const char *const *cols, size_t ncols, char *err,
                          size_t errlen) {
    if (!strcmp(dest, "-")) {
        snprintf(err, errlen,
                 "cannot write .xlsx to standard output: give a "
                 "file name");
        return NULL;
    }
    if (ncols > 16384) {
        snprintf(err, errlen,
                 "cannot write '%s': %zu columns (.xlsx holds "
                 "16384)",
                 dest, ncols);
        return NULL;
    }
    link_xlsx *x = calloc(1, sizeof *x);
    outfile o;
    if (!x || outfile_open(&o, dest, err, errlen) < 0) {
        if (!x) snprintf(err, errlen, "out of memory");
        free(x);
        return NULL;
    }
    fclose(o.fp);
    free(o.path);
    x->tmp = o.tmp;
    x->dest = strdup(dest);
    x->buf = malloc(LINK_XLSX_MAX_CELL + 1);
    lxw_workbook_options opts = {
        .constant_memory = 1, .tmpdir = NULL, .use_zip64 = 1};
    if (x->dest && x->buf) x->wb = workbook_new_opt(x->tmp, &opts);
    if (x->wb) x->ws = workbook_add_worksheet(x->wb, sheet);
    if (!x->ws) {
        snprintf(err, errlen, "cannot write '%s': cannot start a workbook",
                 dest);
        link_xlsx_abort(x);
        return NULL;
    }
    for (size_t c = 0; c < ncols; c++)
        put(x, 0, c, cols[c], strlen(cols[c]));
    x->row = 1;
    return x;
}

void link_xlsx_row(link_xlsx *x, const source_cell *cells, size_t n) {
    if (x->row >= LINK_XLSX_MAX_ROWS) {
        x->over++;
        return;
    }
    for (size_t c = 0; c < n && c < 16384; c++)
        put(x, x->row, c, cells[c].p, cells[c].n);
    x->row++;
}

static void drop(link_xlsx *x) {
    if (x->tmp) outfile_drop_temp(x->tmp);
    free(x->tmp);
    free(x->dest);
    free(x->buf);
    free(x);
}

int link_xlsx_close(link_xlsx *x, char *err, size_t errlen) {
    lxw_error e = workbook_close(x->wb);
    x->wb = NULL;
    int rc = 0;
    if (x->over) {
        snprintf(err, errlen,
                 "cannot write '%s': %ld rows do not fit a sheet "
                 "(at most %ld): write .csv",
                 x->dest, x->row - 1 + x->over, LINK_XLSX_MAX_ROWS - 1);
        rc = -1;
    } else if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "cannot write '%s': %s", x->dest,
                 lxw_strerror(e));
        rc = -1;
    } else if (outfile_rename(x->tmp, x->dest, err, errlen) < 0) {
        rc = -1;
    } else {
        free(x->tmp);
        x->tmp = NULL; /* renamed: nothing to remove */
    }
    drop(x);
    return rc;
}

void link_xlsx_abort(link_xlsx *x) {
    if (!x) return;
    if (x->wb) workbook_close(x->wb);
    drop(x);
}
