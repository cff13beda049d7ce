/*
 * workbook_impl.h: what the workbook writers share (workbook.c), private to
 * workbook.c, workbook_export.c, workbook_template.c and workbook_report.c:
 * the only files that include <xlsxwriter.h>.
 *
 * Ownership: a wb_buf owns its bytes (the caller frees .p); a wb_spool owns
 * its tmpfile() until wb_spool_free(); the helpers borrow everything else.
 */
#ifndef RELEC_WORKBOOK_IMPL_H
#define RELEC_WORKBOOK_IMPL_H
#include "check.h"
#include "schema.h"
#include "workbook.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <xlsxwriter.h>

#ifndef RELEC_VERSION
#define RELEC_VERSION "0.0.0"
#endif

#define WB_MAX_ROW ((lxw_row_t)(WORKBOOK_MAX_ROWS - 1)) /* last 0-based row */
#define WB_SUMMARY_MAX_ROWS 1000 /* distinct values listed down a table */
#define WB_SUMMARY_MAX_COLS 40   /* distinct values listed across */
#define WB_CHART_MAX_SERIES 20   /* series in the Summary chart */
#define WB_WIDTH_MAX 60.0        /* widest column set, in characters */
#define WB_MAX_COMMENTS 10000    /* cell comments in one report workbook */
#define WB_ROW_COMMENTS                                                        \
    50 /* a row with more findings gets none: its                              \
          findings column lists them all */

/* A growable scratch buffer, reused for every cell. */
typedef struct wb_buf {
    char *p;    /* bytes; NUL-terminated after wb_text() */
    size_t cap; /* allocated size */
} wb_buf;

/* Findings parked on disk until their sheet is written: fixed header plus
 * field, value and message bytes. About 40 bytes plus the texts each. */
typedef struct wb_spool {
    FILE *fp;      /* tmpfile(); NULL until the first finding */
    long count;    /* findings written */
    long errors;   /* of which errors */
    long warnings; /* of which warnings */
    int failed;    /* a write failed (disk full) */
} wb_spool;

/* The fixed part of a spooled finding. */
typedef struct wb_frec {
    uint32_t file;    /* input index */
    uint32_t flen;    /* field name bytes */
    int64_t row;      /* spreadsheet row of the input */
    int64_t data_row; /* row in the Data sheet (1-based), 0 = none */
    uint32_t vlen;    /* value bytes (cut to WORKBOOK_MAX_CELL * 4) */
    uint32_t mlen;    /* message bytes */
    uint8_t code;     /* check_code */
    uint8_t severity; /* check_severity */
} wb_frec;

/* Grows B to hold at least N bytes. 0, or -1 when out of memory. */
int wb_reserve(wb_buf *b, size_t n);

/* Copies P..P+N into B as text Excel accepts, NUL-terminated: invalid UTF-8
 * bytes, C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF become
 * U+FFFD (*FIXED set); longer than WORKBOOK_MAX_CELL characters is cut
 * (*CUT set). Returns B's text, or "" when out of memory. */
const char *wb_text(wb_buf *b, const char *p, size_t n, int *fixed, int *cut);

/* The value of P..P+N when the text is a number in the form the .xlsx
 * reader gives back for a numeric cell: an integer of at most 15 digits
 * without leading zeros ("0", "-12"), or what "%.16G" prints (how
 * libxlsxwriter stores a double, e.g. "12.5"). Anything else ("007",
 * "1.0", "1e3", " 5") stays text, so export -> validate sees the very
 * same values. Returns 1 and sets *V, else 0. */
int wb_number(const char *p, size_t n, double *v);

/* Excel 1900-system serial of an ISO date; 0 when Excel cannot show it as
 * a date (before 1900-03-01, where Excel's fictitious 1900-02-29 shifts
 * serials, or after 9999). */
double wb_serial(const char *p, size_t n);

/* Display width of a cell text, roughly: characters, not bytes. */
double wb_width(const char *p, size_t n);

/* Copies at most MAX-1 bytes of S into OUT on a UTF-8 boundary. */
void wb_cut(const char *s, char *out, size_t max);

/* Finishes a workbook: closes it (writing the zip) and renames TMP to
 * DEST. Returns 0, or -1 with ERR; TMP is removed on failure. */
int wb_finish(lxw_workbook *wb, const char *tmp, const char *dest, char *err,
              size_t errlen);

/* Opens a workbook at a temp name beside DEST ("-": in $TMPDIR, copied to
 * stdout when complete); *TMP gets the name. outfile_claim() refuses an
 * input of the run; the temp file has the usual 0666 & ~umask mode
 * (libxlsxwriter reopens it with fopen, which keeps the mode). */
lxw_workbook *wb_new(const char *dest, int constant, int zip64, char **tmp,
                     char *err, size_t errlen);

/* Drops an unfinished workbook: libxlsxwriter has no abort, so the zip is
 * written to the temp name and removed. */
void wb_drop(lxw_workbook *wb, char *tmp);

/* Parks finding F of input FILE (Data row DATA_ROW, 0 = none) in SP;
 * a failed write sets SP->failed. */
void wb_spool_put(wb_spool *sp, uint32_t file, long data_row,
                  const check_finding *f);

/* Writes the findings of SP to WS from row 0: a header and one row each,
 * up to Excel's limit. FILES names the inputs. DATA_ROW adds that column.
 * Returns findings left out for want of rows. */
long wb_spool_sheet(wb_spool *sp, lxw_worksheet *ws, char **files,
                    lxw_format *hdr, lxw_format *err_fmt, lxw_format *warn_fmt,
                    int data_row, wb_buf *text, int *fixed, int *cut);

/* Closes the spool's file. */
void wb_spool_free(wb_spool *sp);

/* Whether list L is the union of others (named "a+b"), listed by its parts. */
int wb_union_list(const schema_codelist *l);

/* Whether code K of L is for COUNTRY: any code when COUNTRY is NULL or L
 * has no parents, else a subdivision of COUNTRY. */
int wb_for_country(const schema_codelist *l, size_t k, const char *country);

/* The Codes sheet: every code list with its labels (and parents); of a
 * list with parents, only COUNTRY's codes (NULL: all). */
void wb_write_codes(lxw_workbook *wb, const schema *s, lxw_format *hdr,
                    wb_buf *text, int *fixed, int *cut, const char *country);

/* Current UTC time as ISO 8601 into OUT. */
void wb_now(char out[32]);

/* Row R of an About sheet: key K in bold, value V ("" for NULL). */
void wb_about_pair(lxw_worksheet *ws, lxw_row_t r, const char *k, const char *v,
                   lxw_format *bold);

#endif
