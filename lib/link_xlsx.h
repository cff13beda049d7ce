/*
 * link_xlsx.h: rows out as one .xlsx sheet for relec dedup (-o, --dropped,
 * --explain, --pairs FILE.xlsx): a header row, then rows of text cells.
 * lib/workbook.h writes the standard workbooks but has no plain
 * rows-to-sheet writer, so this small one sits beside it. libxlsxwriter
 * runs in constant-memory mode (one row in memory), so memory stays flat
 * in rows; its types stay inside link_xlsx.c. The workbook is written to a
 * temporary name beside DEST and renamed at close (outfile.h).
 *
 * Ownership: a link_xlsx owns its workbook, temp name and cell buffer
 * until close or abort; cells passed in are written at once.
 */
#ifndef RELEC_LINK_XLSX_H
#define RELEC_LINK_XLSX_H
#include "source.h"

#include <stddef.h>

#define LINK_XLSX_MAX_ROWS 1048576L /* Excel's rows per sheet, header too */
#define LINK_XLSX_MAX_CELL 32767    /* characters kept per cell */

typedef struct link_xlsx link_xlsx;

/* Starts DEST (not "-") with sheet NAME and header COLS. NULL + ERR. */
link_xlsx *link_xlsx_open(const char *dest, const char *sheet,
                          const char *const *cols, size_t ncols, char *err,
                          size_t errlen);

/* Writes one row of N text cells. Past Excel's row limit the row is not
 * written and close fails (never a silent loss). */
void link_xlsx_row(link_xlsx *x, const source_cell *cells, size_t n);

/* Closes and renames into place: 0, or -1 with ERR (nothing left at DEST).
 * Frees X either way. */
int link_xlsx_close(link_xlsx *x, char *err, size_t errlen);

/* Drops the workbook; NULL is fine. */
void link_xlsx_abort(link_xlsx *x);

#endif
