/*
 * compare_xlsx.h: the comparison workbook of `relec compare --xlsx`: an
 * About sheet, then one sheet per indicator, on it one table per breakdown
 * (country and category down, periods across, hidden cells as text) and a
 * column chart per table. libxlsxwriter's types stay inside compare_xlsx.c.
 *
 * Ownership: nothing is kept; the workbook is written to a temporary file
 * beside PATH and renamed into place when complete.
 */
#ifndef RELEC_COMPARE_XLSX_H
#define RELEC_COMPARE_XLSX_H
#include "compare.h"

/* What the About sheet says beyond the tables. */
typedef struct compare_about {
    const char *const *sources; /* "record type, file, rows, SHA-256" lines */
    size_t nsources;            /* how many */
    int suppress;               /* K of <K; 0 = no suppression */
} compare_about;

/* Writes the tables of C (after compare_finish()) to PATH, after an About
 * sheet: the legend (<K, x, .., <5, not_recorded, incomplete), the rule of
 * one number per cell, the sources with their SHA-256, the suppression
 * method and its counts, and the findings. 0, or -1 with a message in
 * ERR. */
int compare_xlsx_write(const compare *c, const compare_about *about,
                       const char *path, char *err, size_t errlen);

#endif
