/*
 * workbook.h: the .xlsx files relec writes, through libxlsxwriter (whose
 * types never leave workbook*.c: workbook_export.c, workbook_template.c,
 * workbook_report.c, and workbook.c for what they share, declared in the
 * private workbook_impl.h; the zip layer under them is xlsxzip.c):
 *   - the ministry's standard workbook (`relec export`): sheets Data,
 *     Summary, Codes, Issues, About; written in libxlsxwriter's
 *     constant-memory mode, so memory stays flat in rows;
 *   - the data-entry template (`relec template`);
 *   - the analyst's report of `relec validate --report FILE.xlsx`: the input
 *     rows with bad cells marked, and a Findings sheet.
 * Every workbook is written to a temporary name beside its destination and
 * renamed only when complete (outfile_temp_name, outfile_rename).
 *
 * Ownership: each writer owns its libxlsxwriter workbook, temp files and
 * buffers until its close or abort; the schema is borrowed and must outlive
 * the writer; rows, cells and findings passed in are copied or written at
 * once, so the caller may reuse its buffers right after each call.
 */
#ifndef RELEC_WORKBOOK_H
#define RELEC_WORKBOOK_H
#include "check.h"
#include "note.h"
#include "schema.h"
#include "source.h"

#include <stddef.h>

/* Excel's limits, which the writers respect. */
#define WORKBOOK_MAX_ROWS 1048576L /* rows per sheet, header included */
#define WORKBOOK_MAX_CELL 32767    /* characters in one cell */

/* ---------------------------------------------------------------------- */
/* relec export                                                           */

typedef struct workbook_export workbook_export;

/* Starts the standard workbook for schema S at DEST. BIG_INPUT: the inputs
 * may make a sheet part over 4 GB (turns ZIP64 on). NULL with ERR on
 * failure. */
workbook_export *workbook_export_open(const char *dest, const schema *s,
                                      int big_input, char *err, size_t errlen);

/* Starts input FILE (name as printed), read as FORMAT ("csv", "xlsx"),
 * whose SHA-256 is SHA256 (NULL when it could not be taken, e.g. stdin). */
void workbook_export_file(workbook_export *w, const char *file,
                          const char *format, const char *sha256);

/* Findings of the current file's header (listed in Issues, no Data row). */
void workbook_export_header(workbook_export *w, const check_finding *f,
                            size_t nf);

/* One input row (spreadsheet row SRC_ROW of its file): CELLS holds the
 * schema's fields in schema order (empty cells for missing columns).
 * Written to Data as typed cells, counted for Summary; its findings F go to
 * Issues with the Data row they refer to. A value longer than a cell holds
 * is cut to fit and becomes a `length` warning in Issues too. Returns the
 * number of those warnings (for the caller's count). */
long workbook_export_row(workbook_export *w, const source_cell *cells,
                         long src_row, const check_finding *f, size_t nf);

/* Rows written to Data so far. */
long workbook_export_rows(const workbook_export *w);

/* Writes Summary, Codes, Issues and About, closes and renames into place.
 * Returns 0, or -1 with ERR (nothing left at DEST). Frees W either way.
 * Notes (truncated cells, findings beyond Excel's row limit) go to NOTES
 * (NULL: dropped). */
int workbook_export_close(workbook_export *w, const note_sink *notes, char *err,
                          size_t errlen);

/* Drops the workbook and its temporary files; NULL is fine. */
void workbook_export_abort(workbook_export *w);

/* ---------------------------------------------------------------------- */
/* relec template                                                         */

/* Writes the data-entry template for S to DEST: sheet Data with one column
 * per field (description as cell comment and input message, required
 * columns marked, number/date/length validation, dropdowns from a hidden
 * Lists sheet, a valid example row 2), Codes, and About. With COUNTRY (an
 * alpha-3 code; NULL: all), lists with parents (ISO 3166-2) hold only that
 * country's codes. 0, or -1 + ERR. */
int workbook_template_write(const char *dest, const schema *s,
                            const char *country, char *err, size_t errlen);

/* ---------------------------------------------------------------------- */
/* relec validate --report FILE.xlsx                                      */

/* Cells (rows x widest row) up to which the report carries each finding
 * as a cell comment. Comments need libxlsxwriter's non-constant mode,
 * which holds every cell in memory: about 100 bytes a cell (measured:
 * 99,000 rows x 22 columns, 221 MB peak). Above this the report is written
 * in constant memory with highlights, the findings column and the Findings
 * sheet, but no comments, and stderr says so. 1,000,000 cells is about
 * 100 MB, 45,000 rows of the incident schema. */
#define WORKBOOK_REPORT_COMMENT_CELLS 1000000L

/* Starts a report at PATH for schema S. Rows and findings are spooled to
 * a temporary file as they come, and the workbook is written at close, when
 * the row count (and so the mode) is known. NULL with ERR on failure. */
void *workbook_report_open(const char *path, const schema *s, char *err,
                           size_t errlen);

/* Starts input FILE; HDR is its header row, copied as the sheet's row 1,
 * and F its header findings (unknown, duplicate, missing columns). */
/* Names the next input before its rows: FILE, read from worksheet SHEET
 * (NULL for a CSV), whose name the marked sheet keeps. Optional: without
 * it, workbook_report_header() names the input and the sheet is named
 * after the file. */
void workbook_report_file(void *w, const char *file, const char *sheet);

/* The data validations of the sheet just given (the one checked, or
 * another one copied), after its rows (source_dropdowns()): kept, instead
 * of the schema's dropdowns on the same columns. */
void workbook_report_dropdowns(void *w, const source_dropdown *d, size_t n);

/* The layout of the sheet just given (source_layout_get()), after its
 * rows: its cells keep their number formats and fonts, its merged ranges
 * and column widths are kept. Copied; optional. */
void workbook_report_layout(void *w, const source_layout *l);

/* Another sheet of the input (not the one checked), copied as it is, in
 * tab order with the others: SHEET starts it, then each of its rows. */
void workbook_report_sheet(void *w, const char *sheet, int hidden);
void workbook_report_copy(void *w, const source_row *row);

/* A row above the header (a title), kept in its place, after
 * workbook_report_file(). */
void workbook_report_title(void *w, const source_row *row);

void workbook_report_header(void *w, const char *file, const source_row *hdr,
                            const check_finding *f, size_t nf);

/* One data row of the current file and its findings F. */
void workbook_report_row(void *w, const source_row *row, const check_finding *f,
                         size_t nf);

/* Findings of the current file that need all of its rows (sums): on the
 * Findings sheet only, since their rows are written already. */
void workbook_report_findings(void *w, const check_finding *f, size_t nf);

/* Writes the workbook (one sheet per input, then Findings), renames into
 * place and frees W. 0, or -1 with ERR. Notes (no cell comments on a large
 * sheet, cells cut or repaired) go to NOTES (NULL: dropped). */
int workbook_report_close(void *w, const note_sink *notes, char *err,
                          size_t errlen);

/* Drops the report without writing; NULL is fine. */
void workbook_report_abort(void *w);

#endif
