/*
 * source.h: rows from a CSV/TSV file, an .xlsx workbook or stdin, through one
 * interface, so that no tool knows the format it reads.
 *
 * Ownership: a source owns every buffer it hands out. The cells of a row
 * point into the source's reused buffer and stay valid only until the next
 * source_next() or source_close(). Callers copy what they keep.
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

/* One row of the file, the header included. */
typedef struct source_row {
    const source_cell *cells; /* cells in file order; valid until next call */
    size_t ncells;            /* how many cells the row has */
    long row;                 /* row number a spreadsheet shows; header = 1 */
    unsigned flags;           /* SOURCE_ROW_* bits */
} source_row;

/* How to open a source; zero-initialise for the defaults. */
typedef struct source_opts {
    const char *sheet; /* xlsx: sheet name or 1-based number; NULL = first */
    char delim;        /* CSV delimiter; 0 = guess from the header line */
    const unsigned char *date_columns; /* xlsx: nonzero for column i (0-based)
                                          whose numbers are date serials */
    size_t ndate_columns;              /* entries in date_columns */
    const char *table; /* SQLite store: table to read; NULL = the only one */
    const char *name;  /* name to print instead of the path (a spool of
                          stdin: "<stdin>"); NULL = the path */
} source_opts;

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
 * read (message from source_error()). */
int source_next(source *src, source_row *row);

/* The last error's message, or "" */
const char *source_error(const source *src);

/* The name to print for this source: the path, or "<stdin>". */
const char *source_name(const source *src);

/* "csv", "xlsx" or "sqlite" */
const char *source_format(const source *src);

/* Bytes consumed so far (CSV), for progress and throughput figures. */
unsigned long long source_bytes(const source *src);

/* Close and free; NULL is fine. */
void source_close(source *src);

#endif
