/*
 * sink.h: the outputs of a run. Every output a command writes (rows, a
 * findings file, a workbook) is a sink of one sink_set; its kind is chosen
 * once, from the name, by sink_kind_of(): .csv is CSV, .jsonl JSON Lines
 * (one object a row, the header's names as keys), .xlsx one worksheet, a
 * name with no extension, a device or FIFO is CSV, and "-" is CSV on stdout
 * (for an output that can only be a workbook, that workbook);
 * any other extension is refused before the data is read. Each sink is
 * written to a temporary file (lib/outfile.h; "-" too: stdout gets the
 * bytes when the run commits), and the set is committed or aborted as one:
 * sink_commit() first finishes every file (flush and sync, where a full
 * disk shows), then closes the workbooks, then renames, so an output that
 * fails leaves none of the others; sink_abort() (a run ending with exit 2
 * or 3, or any error) leaves nothing at all, stdout included. Commands keep
 * only their own logic: they open their sinks, write rows and call one of
 * the two.
 *
 * Ownership: a sink_set owns its sinks, their files and copies of their
 * names and headers until sink_commit() or sink_abort(), which free them;
 * a writer added with sink_add_writer() is the set's from then on (its
 * commit or abort function frees it). Cells passed to sink_row() are
 * written at once and not kept.
 */
#ifndef RELEC_SINK_H
#define RELEC_SINK_H
#include "errclass.h"
#include "source.h"

#include <stddef.h>
#include <stdio.h>

/* What a sink writes. The values are bits, so a caller can say which
 * kinds an output allows. */
typedef enum sink_kind {
    SINK_CSV = 1,   /* comma-separated, RFC 4180 quoting */
    SINK_JSONL = 2, /* JSON Lines: an object a row, keys from the header */
    SINK_XLSX = 4,  /* one worksheet of text cells (lib/link_xlsx.h) */
    SINK_STORE = 8  /* a SQLite store (.db, .sqlite): relec load's only */
} sink_kind;

/* Every kind a table of rows can go to. */
#define SINK_ROWS (SINK_CSV | SINK_JSONL | SINK_XLSX)

typedef struct sink sink;

/* The outputs of one run. Zero-initialise. */
typedef struct sink_set {
    sink *first;  /* sinks, in the order opened */
    sink *last;   /* the last, to append */
    int stdout_n; /* sinks writing to "-" (at most one) */
} sink_set;

/* The kind DEST names (see above). 0 with *KIND, or -ERRCLASS_USAGE with
 * "'DEST': ..." in ERR when the extension is unknown or not one of
 * ALLOWED (a mask of sink_kind), or -ERRCLASS_OUTPUT when DEST can be no
 * output of this run (outfile_check(): an input, a directory). */
int sink_kind_of(const char *dest, unsigned allowed, sink_kind *kind, char *err,
                 size_t errlen);

/* Opens DEST as a sink of SET, of the kind its name says among ALLOWED,
 * with the header COLS (written first; SHEET names an .xlsx worksheet).
 * Returns 0 with *OUT, or -ERRCLASS_USAGE (an unknown or unfitting kind, a
 * second "-") or -ERRCLASS_OUTPUT (cannot write: an input of the run, a
 * directory, no space) with a message in ERR. */
int sink_open(sink_set *set, sink **out, const char *dest, unsigned allowed,
              const char *sheet, const char *const *cols, size_t ncols,
              char *err, size_t errlen);

/* Writes one row of N cells (CSV: N cells whatever the header; JSONL: the
 * first N keys; XLSX: text cells). */
void sink_row(sink *s, const source_cell *cells, size_t n);

/* The stream of a CSV or JSON Lines sink, for a writer that formats its
 * own lines (a findings file); NULL for a workbook. */
FILE *sink_stream(sink *s);

/* What S writes, and the rows written through sink_row(). */
sink_kind sink_kind_get(const sink *s);
long sink_rows(const sink *s);

/* Puts a writer with its own temporary file (a workbook) in SET: COMMIT
 * puts it in place (0, or -1 with ERR) and ABORT drops it; either frees
 * W. W is committed after every file of the set is finished and before
 * any is renamed. Returns 0, or -1 out of memory (W is then aborted). */
int sink_add_writer(sink_set *set, void *w,
                    int (*commit)(void *w, char *err, size_t errlen),
                    void (*abort)(void *w));

/* Commits every output of SET (see above) and empties it. 0, or -1 with
 * the first error in ERR; then what was not yet in place is removed. */
int sink_commit(sink_set *set, char *err, size_t errlen);

/* Removes every output of SET and empties it. Safe on an empty set. */
void sink_abort(sink_set *set);

#endif
