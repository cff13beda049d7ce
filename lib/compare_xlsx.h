/*
 * compare_xlsx.h: the comparison workbook of `relec compare --xlsx`: one
 * sheet per indicator, on it one table per breakdown (country and category
 * down, periods across, hidden cells as text) and a column chart per table.
 * libxlsxwriter's types stay inside compare_xlsx.c.
 *
 * Ownership: nothing is kept; the workbook is written to a temporary file
 * beside PATH and renamed into place when complete.
 */
#ifndef RELEC_COMPARE_XLSX_H
#define RELEC_COMPARE_XLSX_H
#include "compare.h"

/* Writes the tables of C (after compare_finish()) to PATH. 0, or -1 with a
 * message in ERR. */
int compare_xlsx_write(const compare *c, const char *path, char *err,
                       size_t errlen);

#endif
