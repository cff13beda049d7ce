/*
 * outfile.h: an output written to a temporary file beside its destination
 * and renamed over it only on success, so that a crash or an error never
 * leaves half a file; "-" writes to stdout. Refuses to write over a file
 * the run reads (outfile_guard).
 *
 * Ownership: an outfile owns its FILE and names until commit or abort.
 */
#ifndef RELEC_OUTFILE_H
#define RELEC_OUTFILE_H
#include <stdio.h>

/* An output in progress. */
typedef struct outfile {
    FILE *fp;   /* write here */
    char *path; /* destination, or NULL for stdout */
    char *tmp;  /* temporary path beside the destination */
} outfile;

/* Remembers PATH as an input of this run (compared by device and inode). */
void outfile_guard(const char *path);

/* Claims DEST as an output of this run: -1 with ERR when it is an input
 * (by inode, or by name for one not made yet) or already an output. Called
 * by outfile_open(); writers that make their own temp file call it first. */
int outfile_claim(const char *dest, char *err, size_t errlen);

/* Opens DEST ("-" = stdout). Returns 0, or -1 with a message in ERR. */
int outfile_open(outfile *o, const char *dest, char *err, size_t errlen);

/* Flushes, syncs and renames into place. Returns 0, or -1 with ERR. */
int outfile_commit(outfile *o, char *err, size_t errlen);

/* Removes the temporary file. Safe after commit and on a zeroed outfile. */
void outfile_abort(outfile *o);

/* A temporary path beside DEST for writers that need a name (libxlsxwriter,
 * SQLite); the caller renames it with outfile_rename(). Returns malloc'd. */
char *outfile_temp_name(const char *dest);
int outfile_rename(const char *tmp, const char *dest, char *err, size_t errlen);

/* Writes one CSV cell, quoted when it holds a delimiter, quote or newline,
 * or starts or ends with a space (RFC 4180). */
void outfile_csv_cell(FILE *fp, const char *p, size_t n);

#endif
