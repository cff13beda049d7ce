/*
 * source_csv.c: RFC 4180 text (comma, semicolon or tab): a fast path for
 * lines without quotes, libcsv for everything else.
 *
 * Performance. libcsv walks every byte through a state machine and calls us
 * back once per field, and we then copied each field into an arena: that
 * alone cost more than all the checks of a row. But almost every line of a
 * real export holds no quote character, and such a line is simply its bytes
 * split on the delimiter. So:
 *
 *  - The stream is read in CHUNK reads into one buffer [pos, end). A line is
 *    found with memchr('\n') (glibc scans 16-32 bytes per instruction).
 *  - A line with no '"' and no CR (other than the CR of a CRLF) is split in
 *    place, 8 bytes per step (SWAR: a word compare finds every delimiter of
 *    the word at once, and the same pass looks for '"', CR and NUL). Its
 *    cells point straight into the read buffer: no copy, no callback, no
 *    allocation. The buffer is compacted (the unread tail moved to the
 *    front) only when a line runs past its end.
 *  - A line holding a quote or a stray CR goes to libcsv, the parser of
 *    record for quoted fields, doubled quotes and line breaks inside quotes.
 *    It is fed line by line until, after a '\n', libcsv is back at the start
 *    of a row: then the record, however many lines it spans, is complete and
 *    one spreadsheet row. Its fields are copied to an arena (the only copy)
 *    and queued as rows; the queue is drained before the next line is read,
 *    so rows come out in file order and numbered as before.
 *  - A line longer than the buffer (a cell of a megabyte) is streamed into
 *    libcsv chunk by chunk, so the read buffer never grows; libcsv's entry
 *    buffer grows to the cell, up to CELL_LIMIT.
 *
 * Both paths give the same cells and row numbers for any input: the fast
 * path only takes lines whose meaning under libcsv (no quotes, no spaces
 * trimmed, CR LF as one terminator) is exactly "split on the delimiter".
 * Memory is flat in rows: one CHUNK buffer, plus the arena and cell arrays,
 * which grow to the largest quoted record and are reused.
 */
#include "buf.h"
#include "source_impl.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define CHUNK (64 * 1024)
/* A cell may hold at most this much: beyond it the file is not a table. */
#define CELL_LIMIT ((size_t)256 * 1024 * 1024)

/* libcsv 3's parser states (csv_parser.pstate); only "between rows" is
 * needed: a record is complete when the parser is back there after a '\n'. */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN 2

/* Where a queued row's cells are in the arena. */
typedef struct csv_qrow {
    size_t first;   /* index of the row's first cell in cells[] */
    size_t ncells;  /* how many cells */
    long row;       /* spreadsheet row number */
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
    unsigned char delim;      /* the delimiter in use */
    unsigned char *buf;       /* read buffer, CHUNK bytes */
    size_t pos, end;          /* unread bytes are buf[pos..end) */
    int eof;                  /* the stream has no more bytes */
    int in_slow;              /* libcsv holds a record not yet ended */
    int done;                 /* csv_fini called: nothing more to read */
    struct csv_parser parser; /* libcsv state, carried across lines */
    char *arena;              /* bytes of queued cells (libcsv path) */
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

/* ---- the libcsv path ---- */

static void on_field(void *data, size_t len, void *ctx) {
    csv_state *st = ctx;
    if (st->oom) return;
    if (buf_grow(&st->arena, &st->acap, st->alen + len + 1, 1) ||
        buf_grow(&st->cells, &st->ccap, st->ncells + 1, sizeof *st->cells)) {
        st->oom = 1;
        return;
    }
    if (len) {
        memcpy(st->arena + st->alen, data, len);
        /* only quoted records come here, so this scan is cheap; it keeps
         * SOURCE_ROW_NUL exact on both paths */
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
    if (buf_grow(&st->rows, &st->rcap, st->nrows + 1, sizeof *st->rows) < 0) {
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

/* Feeds N bytes at P to libcsv. Returns 0, or -1 with a message. */
static int feed(csv_state *st, const unsigned char *p, size_t n, char *err,
                size_t errlen) {
    if (n && csv_parse(&st->parser, p, n, on_field, on_record, st) != n) {
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
    return 0;
}

/* End of input: a record libcsv still holds is handed out, flagged when a
 * quote opened and never closed swallowed the rest of the file. */
static int finish(csv_state *st, char *err, size_t errlen) {
    st->done = 1;
    if (st->parser.quoted && st->parser.pstate == LIBCSV_FIELD_BEGUN)
        st->row_flags |= SOURCE_ROW_UNTERMINATED;
    if (csv_fini(&st->parser, on_field, on_record, st) != 0) {
        snprintf(err, errlen, "cannot parse: %s",
                 csv_strerror(csv_error(&st->parser)));
        return -1;
    }
    if (st->oom) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* Every queued row was handed out: keep only the cells of the record libcsv
 * is still parsing (they may span many lines) and move them to the front. */
static void reset_queue(csv_state *st) {
    size_t pend = st->ncells - st->row_first;
    size_t pend_off = pend ? st->cells[st->row_first].off : st->alen;
    if (st->alen > pend_off)
        memmove(st->arena, st->arena + pend_off, st->alen - pend_off);
    st->alen -= pend_off;
    for (size_t i = 0; i < pend; i++) {
        st->cells[i] = st->cells[st->row_first + i];
        st->cells[i].off -= pend_off;
    }
    st->ncells = pend;
    st->row_first = 0;
    st->head_row = st->nrows = 0;
}

/* ---- the fast path ---- */

/* Bytes of W that are zero, as 0x80 in that byte and 0 elsewhere. Exact:
 * no carry crosses bytes (the usual (w - 0x01..) & ~w trick flags false
 * bytes above a true one, which would invent delimiters). */
#define ONES 0x0101010101010101ull
#define LOW7 0x7F7F7F7F7F7F7F7Full
static inline uint64_t zero_bytes(uint64_t w) {
    return ~(((w & LOW7) + LOW7) | w | LOW7);
}

/* Splits the line [S, E) (no '\n'; a CRLF's CR already cut) into st->out.
 * Returns the number of cells, or -1 when the line holds a quote or a CR
 * and must go to libcsv, -2 when out of memory. *NUL is set when it holds
 * a NUL byte. The cell array grows to the widest row and is then reused. */
static long split_line(csv_state *st, const unsigned char *s,
                       const unsigned char *e, int *nul) {
    const unsigned char d = st->delim;
    size_t n = 0;
    const unsigned char *cell = s, *p = s;
    uint64_t nulbits = 0;
    if (e == s) return 0; /* a blank line: libcsv reports no field */
#if defined(__SSE2__) && defined(__GNUC__)
    /* 16 bytes a step: four byte compares, three masks, then one bit per
     * delimiter (every x86-64 CPU has SSE2) */
    const __m128i vd = _mm_set1_epi8((char)d), vq = _mm_set1_epi8('"'),
                  vc = _mm_set1_epi8('\r'), vz = _mm_setzero_si128();
    for (; e - p >= 16; p += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        if (_mm_movemask_epi8(
                _mm_or_si128(_mm_cmpeq_epi8(x, vq), _mm_cmpeq_epi8(x, vc))))
            return -1;
        nulbits |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vz));
        for (unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd)); m;
             m &= m - 1) {
            if (n + 1 >= st->outcap &&
                buf_grow(&st->out, &st->outcap, n + 2, sizeof *st->out) < 0)
                return -2;
            const unsigned char *q = p + __builtin_ctz(m);
            st->out[n].p = (const char *)cell;
            st->out[n].n = (size_t)(q - cell);
            n++;
            cell = q + 1;
        }
    }
#endif
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t dw = ONES * d, qw = ONES * '"', cw = ONES * '\r';
    for (; e - p >= 8; p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        if (zero_bytes(w ^ qw) | zero_bytes(w ^ cw)) return -1;
        nulbits |= zero_bytes(w);
        for (uint64_t m = zero_bytes(w ^ dw); m; m &= m - 1) {
            if (n + 1 >= st->outcap &&
                buf_grow(&st->out, &st->outcap, n + 2, sizeof *st->out) < 0)
                return -2;
            const unsigned char *q = p + (__builtin_ctzll(m) >> 3);
            st->out[n].p = (const char *)cell;
            st->out[n].n = (size_t)(q - cell);
            n++;
            cell = q + 1;
        }
    }
#endif
    for (; p < e; p++) {
        unsigned char c = *p;
        if (c == '"' || c == '\r') return -1;
        if (c == 0) nulbits = 1;
        if (c == d) {
            if (n + 1 >= st->outcap &&
                buf_grow(&st->out, &st->outcap, n + 2, sizeof *st->out) < 0)
                return -2;
            st->out[n].p = (const char *)cell;
            st->out[n].n = (size_t)(p - cell);
            n++;
            cell = p + 1;
        }
    }
    if (n + 1 > st->outcap &&
        buf_grow(&st->out, &st->outcap, n + 1, sizeof *st->out) < 0)
        return -2;
    st->out[n].p = (const char *)cell;
    st->out[n].n = (size_t)(e - cell);
    *nul = nulbits != 0;
    return (long)n + 1;
}

/* ---- reading ---- */

/* Moves the unread bytes to the front and reads after them. Returns 0, or
 * -1 on a read error. */
static int refill(csv_state *st, char *err, size_t errlen) {
    if (st->pos) {
        memmove(st->buf, st->buf + st->pos, st->end - st->pos);
        st->end -= st->pos;
        st->pos = 0;
    }
    size_t n = fread(st->buf + st->end, 1, CHUNK - st->end, st->fp);
    if (n == 0 && ferror(st->fp)) {
        snprintf(err, errlen, "read error: %s", strerror(errno));
        return -1;
    }
    st->bytes += n;
    st->end += n;
    if (n == 0 || feof(st->fp)) st->eof = 1;
    return 0;
}

static int csv_next(void *state, source_row *row, char *err, size_t errlen) {
    csv_state *st = state;
    for (;;) {
        if (st->head_row < st->nrows) {
            csv_qrow *q = &st->rows[st->head_row++];
            if (buf_grow(&st->out, &st->outcap, q->ncells + 1,
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
        if (st->done) return 0;
        if (st->nrows) reset_queue(st);
        if (st->pos == st->end) {
            if (st->eof) {
                if (finish(st, err, errlen) < 0) return -1;
                continue;
            }
            if (refill(st, err, errlen) < 0) return -1;
            continue;
        }
        unsigned char *s = st->buf + st->pos;
        unsigned char *nl = memchr(s, '\n', st->end - st->pos);
        if (!nl && !st->eof) {
            if (st->pos > 0 || st->end < CHUNK) {
                if (refill(st, err, errlen) < 0) return -1;
                continue;
            }
            /* a line longer than the buffer: stream it into libcsv */
            if (feed(st, s, st->end - st->pos, err, errlen) < 0) return -1;
            st->pos = st->end;
            st->in_slow = 1;
            continue;
        }
        unsigned char *e = nl ? nl : st->buf + st->end; /* line end */
        size_t next = (size_t)(e - st->buf) + (nl != NULL);
        if (!st->in_slow) {
            unsigned char *ce = e > s && e[-1] == '\r' ? e - 1 : e;
            int nul = 0;
            long n = split_line(st, s, ce, &nul);
            if (n == -2) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            if (n >= 0) {
                st->pos = next;
                st->last_term = '\n';
                row->cells = st->out;
                row->ncells = (size_t)n;
                row->row = ++st->rownum;
                row->flags = nul ? SOURCE_ROW_NUL : 0;
                return 1;
            }
        }
        /* A quote or a stray CR, or the rest of a record libcsv holds.
         * Quoted cells are usually last on a line (notes): the cells before
         * the field holding the first quote hold no quote and no CR, so
         * they are split here and queued as libcsv would, and libcsv
         * parses only from that field on. It then starts "between rows",
         * which differs from "after a delimiter" only for a terminator, and
         * that field starts with no terminator. */
        if (!st->in_slow) {
            const unsigned char *q = memchr(s, '"', (size_t)(e - s));
            const unsigned char *fs = q;
            while (fs && fs > s && fs[-1] != st->delim)
                fs--;
            if (fs && fs > s && !memchr(s, '\r', (size_t)(q - s))) {
                const unsigned char *c0 = s;
                for (const unsigned char *x = s; x < fs; x++)
                    if (*x == st->delim) {
                        on_field((void *)c0, (size_t)(x - c0), st);
                        c0 = x + 1;
                    }
                if (st->oom) {
                    snprintf(err, errlen, "out of memory");
                    return -1;
                }
                st->pos = (size_t)(fs - st->buf);
                s = st->buf + st->pos;
            }
        }
        if (feed(st, s, next - st->pos, err, errlen) < 0) return -1;
        st->pos = next;
        st->in_slow = !(nl && st->parser.pstate == LIBCSV_ROW_NOT_BEGUN);
    }
}

static void csv_close(void *state) {
    csv_state *st = state;
    if (!st) return;
    if (st->fp && !st->is_stdin) fclose(st->fp);
    csv_free(&st->parser);
    free(st->buf);
    free(st->arena);
    free(st->cells);
    free(st->rows);
    free(st->out);
    free(st);
}

static unsigned long long csv_bytes(void *state) {
    return ((csv_state *)state)->bytes;
}

/* ---- opening ---- */

/* Guess the delimiter from the first line: the most frequent of , ; TAB
 * outside quotes. Comma wins ties, as RFC 4180 says. */
static unsigned char guess_delim(const unsigned char *p, size_t n) {
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '\n' || c == '\r')
            break;
        else if (c == ',')
            comma++;
        else if (c == ';')
            semi++;
        else if (c == '\t')
            tab++;
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
    for (size_t i = 0; i < n && i < 4096; i++)
        nul += buf[i] == 0;
    if (n >= 8 && nul * 4 >= (n < 4096 ? n : 4096)) {
        snprintf(err, errlen,
                 "file looks like UTF-16 or binary (%zu NUL bytes in its "
                 "first %zu); save it as \"CSV UTF-8\"",
                 nul, n < 4096 ? n : 4096);
        return -1;
    }
    long skip = 0;
    if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) skip = 3;
    st->delim = opts->delim ? (unsigned char)opts->delim
                            : guess_delim(buf + skip, n - (size_t)skip);
    csv_set_delim(&st->parser, st->delim);
    return skip;
}

int source_csv_open(void *fpv, int is_stdin, const unsigned char *head,
                    size_t nhead, const source_opts *opts, source_reader *out,
                    char *err, size_t errlen) {
    FILE *fp = fpv;
    csv_state *st = calloc(1, sizeof *st);
    if (!st || !(st->buf = malloc(CHUNK))) {
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
    if (nhead > CHUNK) nhead = CHUNK;
    memcpy(st->buf, head, nhead);
    st->end = nhead;
    if (refill(st, err, errlen) < 0) {
        csv_close(st);
        return -1;
    }
    st->bytes = st->end;
    long skip = first_chunk(st, opts, st->buf, st->end, err, errlen);
    if (skip < 0) {
        csv_close(st);
        return -1;
    }
    st->pos = (size_t)skip;
    out->state = st;
    out->next = csv_next;
    out->close = csv_close;
    out->bytes = csv_bytes;
    return 0;
}
