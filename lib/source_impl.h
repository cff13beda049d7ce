/*
 * source_impl.h: what a format reader gives source.c. Only lib/source*.c
 * include this. Each reader owns its state; source.c owns the reader.
 */
#ifndef RELEC_SOURCE_IMPL_H
#define RELEC_SOURCE_IMPL_H
#include "source.h"

/* The reader of one format: an open instance and its two operations. */
typedef struct source_reader {
    void *state; /* reader-owned state */
    /* next row: 1 row, 0 end, -1 error with a message in err */
    int (*next)(void *state, source_row *row, char *err, size_t errlen);
    void (*close)(void *state);          /* frees state */
    unsigned long long (*bytes)(void *); /* bytes consumed; may be NULL */
    int sparse; /* rows end at their last non-empty cell (a sheet): pad */
    const char *sheet; /* the worksheet's name, owned by the state; or NULL */
    const char *const *sheets;         /* every sheet's name in tab order (a
                                          workbook), owned by the state; or NULL */
    size_t nsheets;                    /* entries in sheets */
    const unsigned char *sheet_hidden; /* per sheet: hidden; or NULL */
    /* the sheet's dropdowns, *N of them (after the last row); may be NULL */
    const source_dropdown *(*dropdowns)(void *state, size_t *n);
    /* the sheet's styles, merged ranges and columns; may be NULL */
    void (*layout)(void *state, source_layout *l);
} source_reader;

/* Delimited text from an open stream whose first NHEAD bytes were already
 * read into HEAD. Takes ownership of FP (closed at close unless IS_STDIN). */
int source_csv_open(void *fp, int is_stdin, const unsigned char *head,
                    size_t nhead, const source_opts *opts, source_reader *out,
                    char *err, size_t errlen);

/* An .xlsx workbook at PATH (a real file: zip needs random access). */
int source_xlsx_open(const char *path, const source_opts *opts,
                     source_reader *out, char *err, size_t errlen);

/* Formula F..F+N of a shared formula's first cell as another cell of it
 * gets it: relative references shifted by DROW rows and DCOL columns
 * ($A$1 stays; off the sheet: #REF!), into OUT, which has room for
 * 13 * N + 16 bytes. Returns the bytes written (not NUL-terminated). */
size_t source_xlsx_shift_formula(const char *f, size_t n, long drow, long dcol,
                                 char *out);

/* A table of the SQLite store at PATH (lib/store.c writes it). */
int source_sqlite_open(const char *path, const source_opts *opts,
                       source_reader *out, char *err, size_t errlen);

#endif
