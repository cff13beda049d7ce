/*
 * source_csv.c: RFC 4180 text (comma, semicolon or tab) through libcsv.
 *
 * Performance: libcsv calls us once per field with a pointer into its own
 * entry buffer; we append the bytes to one arena and an (offset, length)
 * pair to one array, both reused for every chunk. No allocation happens per
 * field or per row once the arrays have grown to fit the widest chunk, and
 * memory stays flat in the number of rows: a chunk of 64 KiB is parsed,
 * its complete rows are handed out one by one, then the arena is reset.
 */
#include "source_impl.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (64 * 1024)
/* A cell may hold at most this much: beyond it the file is not a table. */
#define CELL_LIMIT ((size_t)256 * 1024 * 1024)

/* Where a queued row's cells are in the arena. */
typedef struct csv_qrow {
    size_t first;  /* index of the row's first cell in cells[] */
    size_t ncells; /* how many cells */
    long row;      /* spreadsheet row number */
    unsigned flags; /* SOURCE_ROW_* */
} csv_qrow;

/* One cell of a queued row, as an offset: the arena may move while filling. */
typedef struct csv_qcell {
    size_t off; /* start in arena */
    size_t n;   /* length */
} csv_qcell;

/* The reader's state. */
typedef struct csv_state {
    FILE *fp;                 /* the stream */
    int is_stdin;             /* do not fclose stdin */
    struct csv_parser parser; /* libcsv state, carried across chunks */
    unsigned char *chunk;     /* read buffer, CHUNK bytes */
    unsigned char head[4];    /* bytes peeked by source_open */
    size_t nhead;             /* how many of head are still to be parsed */
    char *arena;              /* bytes of queued cells */
    size_t alen, acap;        /* arena use and size */
    csv_qcell *cells;         /* queued cells */
    size_t ncells, ccap;      /* queued cells and capacity */
    size_t row_first;         /* first cell of the row being parsed */
    unsigned row_flags;       /* flags of the row being parsed */
    csv_qrow *rows;           /* queued complete rows */
    size_t nrows, rcap;       /* queued rows and capacity */
    size_t head_row;          /* next queued row to hand out */
    source_cell *out;         /* the cells handed out for one row */
    size_t outcap;            /* capacity of out */
    long rownum;              /* spreadsheet number of the last row ended */
    int last_term;            /* terminator of the last record: '\r', '\n' */
    int at_eof;               /* csv_fini done */
    int oom;                  /* an allocation failed inside a callback */
    unsigned long long bytes; /* bytes read from the stream */
} csv_state;

static int no_space(unsigned char c) {
    (void)c;
    return 0; /* keep every blank: " THB" is not a code, and we must say so */
}

/* libcsv grows its entry buffer without bound; refusing to grow past the
 * cell limit turns a runaway field into CSV_ENOMEM, reported as such. */
static void *bounded_realloc(void *p, size_t n) {
    if (n > CELL_LIMIT + 64) return NULL;
    return realloc(p, n);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need) n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q) return -1;
    *p = q;
    *cap = n;
    return 0;
}

static void on_field(void *data, size_t len, void *ctx) {
    csv_state *st = ctx;
    if (st->oom) return;
    if (grow((void **)&st->arena, &st->acap, st->alen + len + 1, 1) < 0 ||
        grow((void **)&st->cells, &st->ccap, st->ncells + 1,
             sizeof *st->cells) < 0) {
        st->oom = 1;
        return;
    }
    if (len) {
        memcpy(st->arena + st->alen, data, len);
        if (memchr(data, 0, len)) st->row_flags |= SOURCE_ROW_NUL;
    }
    st->cells[st->ncells].off = st->alen;
    st->cells[st->ncells].n = len;
    st->ncells++;
    st->alen += len;
}

static void on_record(int term, void *ctx) {
    csv_state *st = ctx;
    if (st->oom) return;
    size_t n = st->ncells - st->row_first;
    /* CSV_REPALL_NL reports the LF of a CRLF pair as an empty record; a
     * lone CR or LF with no fields is a blank line a spreadsheet would show
     * as an empty row, so it keeps its number. */
    if (n == 0 && term == '\n' && st->last_term == '\r') {
        st->last_term = term;
        return;
    }
    st->last_term = term;
    if (grow((void **)&st->rows, &st->rcap, st->nrows + 1, sizeof *st->rows) <
        0) {
        st->oom = 1;
        return;
    }
    csv_qrow *r = &st->rows[st->nrows++];
    r->first = st->row_first;
    r->ncells = n;
    r->row = ++st->rownum;
    r->flags = st->row_flags;
    st->row_first = st->ncells;
    st->row_flags = 0;
}

/* Guess the delimiter from the first line: the most frequent of , ; TAB
 * outside quotes. Comma wins ties, as RFC 4180 says. */
static unsigned char guess_delim(const unsigned char *p, size_t n) {
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c == '"') quoted = !quoted;
        else if (quoted) continue;
        else if (c == '\n' || c == '\r') break;
        else if (c == ',') comma++;
        else if (c == ';') semi++;
        else if (c == '\t') tab++;
    }
    if (tab > comma && tab >= semi) return '\t';
    if (semi > comma) return ';';
    return ',';
}

/* Looks at the first chunk: refuses UTF-16/32 (say what to do instead),
 * skips a UTF-8 BOM, picks the delimiter. Returns bytes to skip, or -1. */
static long first_chunk(csv_state *st, const source_opts *opts,
                        unsigned char *buf, size_t n, char *err,
                        size_t errlen) {
    if (n >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) ||
                   (buf[0] == 0xFE && buf[1] == 0xFF))) {
        snprintf(err, errlen,
                 "file is UTF-16 (Excel's \"Unicode text\"); save it as "
                 "\"CSV UTF-8\" and try again");
        return -1;
    }
    size_t nul = 0;
    for (size_t i = 0; i < n && i < 4096; i++) nul += buf[i] == 0;
    if (n >= 8 && nul * 4 >= (n < 4096 ? n : 4096)) {
        snprintf(err, errlen,
                 "file looks like UTF-16 or binary (%zu NUL bytes in its "
                 "first %zu); save it as \"CSV UTF-8\"",
                 nul, n < 4096 ? n : 4096);
        return -1;
    }
    long skip = 0;
    if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) skip = 3;
    unsigned char delim =
        opts->delim ? (unsigned char)opts->delim
                    : guess_delim(buf + skip, n - (size_t)skip);
    csv_set_delim(&st->parser, delim);
    return skip;
}

/* Reads and parses chunks until a row is queued or the input ends. */
static int fill(csv_state *st, char *err, size_t errlen) {
    /* Every queued row was handed out: keep only the row still being
     * parsed (its cells may span chunks) and move it to the front. */
    size_t pend = st->ncells - st->row_first;
    size_t pend_off = pend ? st->cells[st->row_first].off : st->alen;
    memmove(st->arena, st->arena + pend_off, st->alen - pend_off);
    st->alen -= pend_off;
    for (size_t i = 0; i < pend; i++) {
        st->cells[i] = st->cells[st->row_first + i];
        st->cells[i].off -= pend_off;
    }
    st->ncells = pend;
    st->row_first = 0;
    st->head_row = st->nrows = 0;
    while (st->nrows == 0 && !st->at_eof) {
        size_t n = 0;
        if (st->nhead) {
            memcpy(st->chunk, st->head, st->nhead);
            n = st->nhead;
            st->nhead = 0;
        }
        n += fread(st->chunk + n, 1, CHUNK - n, st->fp);
        if (n == 0 && ferror(st->fp)) {
            snprintf(err, errlen, "read error: %s", strerror(errno));
            return -1;
        }
        st->bytes += n;
        size_t skip = 0;
        if (n == 0) {
            /* A quote opened and never closed swallows the rest of the
             * file: hand out what we have, flagged, rather than lose it. */
            if (st->parser.quoted && st->parser.pstate == 2)
                st->row_flags |= SOURCE_ROW_UNTERMINATED;
            if (csv_fini(&st->parser, on_field, on_record, st) != 0) {
                snprintf(err, errlen, "cannot parse: %s",
                         csv_strerror(csv_error(&st->parser)));
                return -1;
            }
            st->at_eof = 1;
            break;
        }
        if (csv_parse(&st->parser, st->chunk + skip, n - skip, on_field,
                      on_record, st) != n - skip) {
            int e = csv_error(&st->parser);
            if (e == CSV_ENOMEM)
                snprintf(err, errlen,
                         "row %ld: a cell is larger than %zu MiB or memory "
                         "ran out",
                         st->rownum + 1, CELL_LIMIT >> 20);
            else
                snprintf(err, errlen, "row %ld: %s", st->rownum + 1,
                         csv_strerror(e));
            return -1;
        }
        if (st->oom) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    return 0;
}

static int csv_next(void *state, source_row *row, char *err, size_t errlen) {
    csv_state *st = state;
    if (st->head_row >= st->nrows) {
        if (st->at_eof) return 0;
        if (fill(st, err, errlen) < 0) return -1;
        if (st->nrows == 0) return 0;
    }
    csv_qrow *q = &st->rows[st->head_row++];
    if (grow((void **)&st->out, &st->outcap, q->ncells + 1,
             sizeof *st->out) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < q->ncells; i++) {
        st->out[i].p = st->arena + st->cells[q->first + i].off;
        st->out[i].n = st->cells[q->first + i].n;
    }
    row->cells = st->out;
    row->ncells = q->ncells;
    row->row = q->row;
    row->flags = q->flags;
    return 1;
}

static void csv_close(void *state) {
    csv_state *st = state;
    if (!st) return;
    if (st->fp && !st->is_stdin) fclose(st->fp);
    csv_free(&st->parser);
    free(st->chunk);
    free(st->arena);
    free(st->cells);
    free(st->rows);
    free(st->out);
    free(st);
}

static unsigned long long csv_bytes(void *state) {
    return ((csv_state *)state)->bytes;
}

int source_csv_open(void *fpv, int is_stdin, const unsigned char *head,
                    size_t nhead, const source_opts *opts, source_reader *out,
                    char *err, size_t errlen) {
    FILE *fp = fpv;
    csv_state *st = calloc(1, sizeof *st);
    if (!st || !(st->chunk = malloc(CHUNK))) {
        free(st);
        if (!is_stdin) fclose(fp);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    st->fp = fp;
    st->is_stdin = is_stdin;
    /* CSV_REPALL_NL: blank lines are reported, so row numbers stay those a
     * spreadsheet shows */
    if (csv_init(&st->parser, CSV_REPALL_NL) != 0) {
        csv_close(st);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    csv_set_space_func(&st->parser, no_space);
    csv_set_realloc_func(&st->parser, bounded_realloc);
    csv_set_blk_size(&st->parser, 4096);

    /* The first chunk decides encoding, BOM and delimiter. */
    memcpy(st->chunk, head, nhead);
    size_t n = nhead + fread(st->chunk + nhead, 1, CHUNK - nhead, fp);
    long skip = first_chunk(st, opts, st->chunk, n, err, errlen);
    if (skip < 0) {
        csv_close(st);
        return -1;
    }
    st->bytes = n;
    if (n > (size_t)skip &&
        csv_parse(&st->parser, st->chunk + skip, n - (size_t)skip, on_field,
                  on_record, st) != n - (size_t)skip) {
        snprintf(err, errlen, "cannot parse: %s",
                 csv_strerror(csv_error(&st->parser)));
        csv_close(st);
        return -1;
    }
    if (n < CHUNK && feof(fp)) {
        if (st->parser.quoted && st->parser.pstate == 2)
            st->row_flags |= SOURCE_ROW_UNTERMINATED;
        csv_fini(&st->parser, on_field, on_record, st);
        st->at_eof = 1;
    }
    out->state = st;
    out->next = csv_next;
    out->close = csv_close;
    out->bytes = csv_bytes;
    return 0;
}
