/*
 * outfile.h: an output written to a temporary file beside its destination
 * and renamed over it only on success, so that a crash or an error never
 * leaves half a file; "-" writes to stdout. Only regular files are replaced:
 * a symbolic link is followed (the file it names is replaced, the link
 * stays), a character device or FIFO gets the finished data written through
 * (never replaced), and a directory, block device, socket or dangling link
 * is refused. Refuses to write over a file the run reads (outfile_guard),
 * told by device and inode. Temporary files are removed when the run is
 * killed by SIGINT, SIGTERM, SIGHUP or SIGPIPE.
 *
 * Ownership: an outfile owns its FILE and names until commit or abort; the
 * module owns its lists of inputs, outputs and live temporary files.
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

/* Remembers PATH as an input of this run (compared by device and inode,
 * and by canonical name for a file not made yet); "-" remembers the file
 * behind stdin, if any. No limit on how many. */
void outfile_guard(const char *path);

/* Forgets every input and output of the run (the next run in the same
 * process: fuzzers, tests). Temporary files alive stay tracked. */
void outfile_reset(void);

/* Claims DEST as an output of this run: -1 with ERR when it is an input
 * (by inode, or by name for one not made yet) or already an output. Called
 * by outfile_open(); writers that make their own temp file call it first. */
int outfile_claim(const char *dest, char *err, size_t errlen);

/* outfile_claim()'s checks without the claim: -1 with ERR when DEST is an
 * input of the run, already an output, or can never be written (a
 * directory, a dangling link). lib/sink.c asks first, so that such a name
 * is refused as that even when its extension is wrong too. */
int outfile_check(const char *dest, char *err, size_t errlen);

/* Opens DEST ("-" = stdout). Returns 0, or -1 with a message in ERR. */
int outfile_open(outfile *o, const char *dest, char *err, size_t errlen);

/* Flushes, syncs and renames into place. Returns 0, or -1 with ERR. */
int outfile_commit(outfile *o, char *err, size_t errlen);

/* outfile_commit() in two steps, so that several outputs are all finished
 * before any is put in place (lib/sink.h): outfile_finish() flushes, syncs
 * and closes (-1 with ERR: the output is aborted), outfile_place() renames
 * (stdout: copies) a finished output into place. */
int outfile_finish(outfile *o, char *err, size_t errlen);
int outfile_place(outfile *o, char *err, size_t errlen);

/* Opens DEST like outfile_open(), but "-" too goes to a temporary file,
 * copied to stdout only by outfile_place(): a run that fails writes
 * nothing there. */
int outfile_open_spooled(outfile *o, const char *dest, char *err,
                         size_t errlen);

/* Removes the temporary file. Safe after commit and on a zeroed outfile. */
void outfile_abort(outfile *o);

/* A temporary path beside DEST (in $TMPDIR for a device, FIFO or "-") for
 * writers that need a name (libxlsxwriter, SQLite); the caller puts it in
 * place with outfile_rename() ("-": copied to stdout when complete), or
 * removes it with outfile_drop_temp().
 * Returns malloc'd, or NULL with errno. */
char *outfile_temp_name(const char *dest);

/* Puts TMP in place as DEST (see above: a link's file is replaced, a device
 * or FIFO written through) after checking again that DEST is no input; TMP
 * is gone afterwards. Returns 0, or -1 with ERR. */
int outfile_rename(const char *tmp, const char *dest, char *err, size_t errlen);

/* Temporary files made elsewhere (a spooled stdin) are removed on a signal
 * too while tracked. outfile_drop_temp() unlinks and untracks. */
int outfile_track_temp(const char *tmp);
void outfile_untrack_temp(const char *tmp);
void outfile_drop_temp(const char *tmp);

/* Writes one CSV cell, quoted when it holds a delimiter, quote or newline,
 * or starts or ends with a space (RFC 4180). */
void outfile_csv_cell(FILE *fp, const char *p, size_t n);

#endif
