/*
 * source.h: rows from a CSV/TSV file, an .xlsx workbook or stdin, through one
 * interface, so that no tool knows the format it reads.
 *
 * Ownership: a source owns every buffer it hands out. The cells of a row
 * point into the source's reused buffer and stay valid only until the next
 * source_next() or source_close(). Callers copy what they keep. What
 * source_opts points to (header_names) is the caller's and must outlive the
 * source; a row given to on_skip is valid during the call only. Sheet
 * names and dropdowns are the source's, valid until source_close().
 */
#ifndef RELEC_SOURCE_H
#define RELEC_SOURCE_H
#include <stddef.h>
#include <stdio.h>

/* One cell: bytes as the file holds them (UTF-8 expected, not checked here). */
typedef struct source_cell {
    const char *p; /* first byte; not NUL-terminated */
    size_t n;      /* length in bytes */
} source_cell;

/* Row flags: what the reader noticed about the row's shape. */
enum {
    SOURCE_ROW_UNTERMINATED = 1u << 0, /* a quoted cell ran to end of file */
    SOURCE_ROW_NUL = 1u << 1 /* the row held NUL bytes (kept in cells) */
};

/* What a workbook cell held (kinds[] of a row), so that a checker can say
 * what Excel did to a value: the low bits are one SOURCE_CELL_* kind, the
 * high bits SOURCE_CELL_FORMULA and SOURCE_CELL_COLSUM. */
enum {
    SOURCE_CELL_TEXT = 0,    /* a string, boolean or error cell */
    SOURCE_CELL_NUMBER = 1,  /* a number cell, its digits as stored */
    SOURCE_CELL_DATE = 2,    /* a date or time cell, given as ISO 8601 */
    SOURCE_CELL_NOVALUE = 3, /* a formula whose result was never saved:
                                the text is empty */
    SOURCE_CELL_KIND = 7,    /* mask of the kind bits */
    SOURCE_CELL_FORMULA = 8, /* the cell holds a formula */
    SOURCE_CELL_COLSUM = 16  /* its formula sums cells above it in its own
                                column (SUM(D2:D9) in D10): a total */
};

/* How a workbook cell looks and what it computes, for a copy of the
 * sheet (the marked workbook): its style and its formula. */
typedef struct source_look {
    unsigned style; /* index into source_layout_get()'s styles; 0 = default */
    const char *f;  /* the formula without its "=", or NULL: none; a
                       shared formula's other cells get its first cell's
                       text with their relative references shifted */
    size_t fn;      /* bytes of f */
} source_look;

/* One row of the file, the header included. */
typedef struct source_row {
    const source_cell *cells;   /* cells in file order; valid until next */
    size_t ncells;              /* how many cells the row has */
    long row;                   /* row number a spreadsheet shows */
    unsigned flags;             /* SOURCE_ROW_* bits */
    const unsigned char *kinds; /* per cell SOURCE_CELL_* bits; NULL when
                                   the format has no types (CSV): all text */
    const source_look *look;    /* per cell style and formula; NULL when
                                   the format has none (CSV, a store) */
} source_row;

/* Why source_next() left a row out (source_opts.on_skip). */
typedef enum source_skip {
    SOURCE_SKIP_TITLE,  /* above the header: a title, a note, a blank */
    SOURCE_SKIP_EMPTY,  /* no value, or only a running number */
    SOURCE_SKIP_TOTAL,  /* a total: a label such as Total first in the row
                           (within its first three cells), or sums of the
                           column above */
    SOURCE_SKIP_LABELS, /* the row right under the header names the columns
                           in words (a second header row, as HTCDS has):
                           most of its cells, at least two, name their
                           column, and none is a number or a date; looked
                           for when header_names are given */
    SOURCE_NSKIP
} source_skip;

/* How to open a source; zero-initialise for the defaults. */
typedef struct source_opts {
    const char *sheet; /* xlsx: sheet name or 1-based number; NULL = first */
    char delim;        /* CSV delimiter; 0 = guess from the header line */
    const unsigned char *date_columns; /* xlsx: nonzero for column i (0-based)
                                          whose numbers are date serials */
    size_t ndate_columns;              /* entries in date_columns */
    const char *table; /* SQLite store: table to read; NULL = the only one */
    const char *const *header_names; /* names that make a row the header
                                        (a schema's fields): the first row
                                        naming most of them, within the
                                        first SOURCE_HEADER_LOOK rows, is
                                        the header; NULL: the first row */
    size_t nheader_names;            /* entries in header_names */
    long header_row;                 /* > 0: the header is this row */
    int keep_nondata;                /* give empty and total rows out too */
    /* called for each row left out, with the reason; may be NULL */
    void (*on_skip)(void *ud, const source_row *row, source_skip why);
    void *on_skip_ud; /* first argument of on_skip */
    const char *name; /* name to print instead of the path (a spool of
                         stdin: "<stdin>"); NULL = the path */
} source_opts;

/* Rows searched for a header by name. */
#define SOURCE_HEADER_LOOK 30

typedef struct source source;

/* Open PATH ("-" = stdin). The format is told by content: a zip (PK\3\4)
 * is read as .xlsx, an SQLite file as a store, anything else as delimited
 * text; a name that promises .xlsx or .db the bytes do not have is refused.
 * On failure returns NULL with a one-line message in ERR (no file name
 * prefix). */
source *source_open(const char *path, const source_opts *opts, char *err,
                    size_t errlen);

/* Copies IN (stdin) to a private temporary file, for a command that reads
 * its input twice or hashes it first (load, compare). Returns the file's
 * malloc'd path (remove it with outfile_drop_temp(); it is removed on a
 * signal too), or NULL with ERR. */
char *source_spool(FILE *in, char *err, size_t errlen);

/* Next row into *ROW: 1 a row, 0 end of input, -1 an error that ends the
 * read (message from source_error()). The first row given is the header;
 * rows above it, and after it empty and total rows and a row of labels
 * right under it, are left out (unless keep_nondata), counted and told to
 * on_skip. Workbook rows that end early
 * (a sheet stores no trailing empty cells) are padded to the header's
 * width. */
int source_next(source *src, source_row *row);

/* The last error's message, or "" */
const char *source_error(const source *src);

/* The name to print for this source: the path, or "<stdin>". */
const char *source_name(const source *src);

/* "csv", "xlsx" or "sqlite" */
const char *source_format(const source *src);

/* Bytes consumed so far (CSV), for progress and throughput figures. */
unsigned long long source_bytes(const source *src);

/* The name of the worksheet read (its tab), or NULL for a CSV or store. */
const char *source_sheet(const source *src);

/* The names of the workbook's sheets in tab order (worksheets and chart
 * sheets), *N of them; NULL for a CSV or store. */
const char *const *source_sheets(const source *src, size_t *n);

/* Whether sheet I of source_sheets() is hidden from the tabs. */
int source_sheet_hidden(const source *src, size_t i);

/* A data validation of a worksheet: a dropdown (type "list"), or a rule on
 * numbers, dates, times, text lengths or a custom formula. Those Excel
 * keeps in the sheet's extension list (x14:dataValidation, such as a list
 * on another sheet) are given the same way. Texts not given are NULL. */
typedef struct source_dropdown {
    const char *range;    /* the cells, e.g. "C2:C500 E2:E500" */
    const char *formula;  /* formula1: the list, "\"a,b\"" or a range,
                             Lists!$A$2:$A$9; or the (first) bound */
    const char *type;     /* "list", "whole", "decimal", "date", "time",
                             "textLength" or "custom" */
    const char *op;       /* operator: "between" (NULL too), "notBetween",
                             "equal", "notEqual", "greaterThan", "lessThan",
                             "greaterThanOrEqual", "lessThanOrEqual" */
    const char *formula2; /* the second bound of between/notBetween */
    const char *prompt_title, *prompt; /* the input message */
    const char *error_title, *error;   /* the error message */
    unsigned char allow_blank;         /* blank cells pass */
    unsigned char show_input;          /* the input message is shown */
    unsigned char show_error;          /* a bad value gets the message */
    unsigned char error_style;         /* 0 stop, 1 warning, 2 information */
    unsigned char no_dropdown;         /* a list without its in-cell arrow */
} source_dropdown;

/* The data validations of the worksheet read, *N of them; known once
 * source_next() has said end of input (a sheet stores them after its
 * rows). */
const source_dropdown *source_dropdowns(const source *src, size_t *n);

/* A cell style of a workbook (cellXfs), reduced to what a copy keeps. */
typedef struct source_style {
    unsigned fmtid;       /* numFmtId: 0 General, below 164 Excel's own */
    const char *numfmt;   /* its format code when the workbook defines it,
                             e.g. "yyyy-mm-dd" or "#,##0.00"; else NULL */
    unsigned char bold;   /* the font is bold */
    unsigned char italic; /* the font is italic */
    /* where its font differs from the workbook's default (the first) */
    const char *font;        /* font name, or NULL */
    double size;             /* font size in points, or 0 */
    long color;              /* font colour 0xRRGGBB, or -1 (theme and
                                indexed colours are not kept) */
    unsigned char underline; /* 0 none, 1 single, 2 double, 3 single and
                                4 double accounting */
    long fill;               /* a solid fill's colour 0xRRGGBB, or -1 */
    unsigned char border[4]; /* left, right, top, bottom: ST_BorderStyle's
                                index (0 none, 1 thin, 2 medium, 3 dashed,
                                4 dotted, 5 thick, 6 double, 7 hair, ...
                                13 slantDashDot) */
    long border_color[4];    /* their colours 0xRRGGBB, or -1 */
} source_style;

/* A run of columns with the same width. */
typedef struct source_column {
    long first, last;     /* 0-based columns */
    double width;         /* as the file stores it, in characters */
    unsigned char hidden; /* hidden */
} source_column;

/* A row of custom height. */
typedef struct source_rowheight {
    long row;      /* its number, as a spreadsheet shows it */
    double height; /* in points */
} source_rowheight;

/* A hyperlink of the worksheet read. */
typedef struct source_link {
    const char *ref;      /* its cell, or range (its first cell counts) */
    const char *url;      /* an address outside the workbook, or NULL */
    const char *location; /* a place inside it ("Sheet2!A1"), or NULL */
    const char *tooltip;  /* its tip, or NULL */
} source_link;

/* The look of the worksheet read, beyond its cells: known once
 * source_next() has said end of input (a sheet stores merged cells after
 * its rows); the styles are known from the start. */
typedef struct source_layout {
    const source_style *styles; /* by source_look.style */
    size_t nstyles;             /* entries in styles */
    const char *const *merges;  /* merged ranges, e.g. "A1:F1" */
    size_t nmerges;             /* entries in merges */
    const source_column *cols;  /* column widths set */
    size_t ncols;               /* entries in cols */

    const source_link *links;        /* hyperlinks (after the rows) */
    size_t nlinks;                   /* entries in links */
    const source_rowheight *heights; /* rows of custom height, in order
                                        (the first 65,536) */
    size_t nheights;                 /* entries in heights */
} source_layout;

/* The layout of the worksheet read into *L (all empty for a CSV). */
void source_layout_get(const source *src, source_layout *l);

/* Rows left out so far, by source_skip reason. */
long source_skipped(const source *src, source_skip why);

/* The header's row number (1 unless rows above it were left out); 0 before
 * the first source_next(). */
long source_header_row(const source *src);

/* Whether row R is empty (blank cells, or only a running number) or a
 * total, as source_next() judges it: SOURCE_SKIP_EMPTY, SOURCE_SKIP_TOTAL,
 * or SOURCE_NSKIP for a row of data. */
source_skip source_row_kind(const source_row *r);

/* Close and free; NULL is fine. */
void source_close(source *src);

#endif
