/*
 * source.c: opens a path or stdin, tells the format by its first bytes and
 * hands rows through the format's reader. Workbooks on stdin are spooled to
 * a temporary file first, since a zip is read from its end.
 *
 * Rows that are not data are left out here, once for every tool: rows
 * above the header (a title, a note: the header is the first row naming
 * most of the schema's fields, found by reading at most SOURCE_HEADER_LOOK
 * rows ahead, copied), empty rows and total rows. They are counted and told
 * to the caller's on_skip, so that nothing is dropped silently.
 */
#include "source.h"
#include "outfile.h"
#include "source_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* A row read ahead while looking for the header: a copy. */
typedef struct held_row {
    source_cell *cells;   /* cells, pointing into text */
    unsigned char *kinds; /* copy of the row's kinds, or NULL */
    source_look *look;    /* copy of the row's looks, or NULL */
    char *text;           /* the cells' bytes, then the formulas' */
    size_t ncells;        /* entries in cells */
    long row;             /* its row number */
    unsigned flags;       /* its SOURCE_ROW_* bits */
} held_row;

/* An open source: the reader behind it and what to say about it. */
struct source {
    source_reader reader; /* the format's reader (owns its state) */
    char *name;           /* path as given, or "<stdin>" */
    const char *format;   /* "csv" or "xlsx" */
    char *spool;          /* temporary copy of a workbook read from stdin */
    char err[512];        /* last error message */
    source_opts opts;     /* as opened (header_names not owned) */
    int started;          /* the header has been handed out */
    long header_row;      /* the header's row number */
    size_t width;         /* cells of the header: sparse rows padded to it */
    held_row held[SOURCE_HEADER_LOOK]; /* rows read ahead */
    size_t nheld, next_held;           /* held, and the next to give out */
    source_cell *pad;                  /* a padded row's cells ... */
    unsigned char *padkinds;           /* ... and kinds ... */
    source_look *padlook;              /* ... and looks ... */
    size_t cappad;                     /* ... allocated entries */
    long skipped[SOURCE_NSKIP];        /* rows left out, per reason */
    int at_end;                        /* the reader said end of input */
    char *hfold;  /* the header's cells folded (fold_name()), back to
                     back; NULL once the row under it is judged */
    size_t *hoff; /* per header cell: offset in hfold; hoff[i + 1] ends it */
};

/* NAME folded for comparing a header cell with a label: ASCII letters
 * lowercased, ASCII characters other than letters and digits dropped
 * ("Case Owner" and "cas_CaseOwner" give "caseowner", "cascaseowner");
 * other bytes kept. Writes at most N bytes to OUT; returns the length. */
static size_t fold_name(const char *p, size_t n, char *out) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 'A' && c <= 'Z')
            out[k++] = (char)(c + 32);
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
            out[k++] = (char)c;
    }
    return k;
}

/* Keeps the header's cells folded, for is_label_row(). */
static void keep_header(source *src, const source_row *row) {
    size_t len = 0;
    for (size_t i = 0; i < row->ncells; i++)
        len += row->cells[i].n;
    src->hfold = malloc(len + 1);
    src->hoff = malloc((row->ncells + 1) * sizeof *src->hoff);
    if (!src->hfold || !src->hoff) { /* no label check: nothing is lost */
        free(src->hfold), free(src->hoff);
        src->hfold = NULL, src->hoff = NULL;
        return;
    }
    size_t o = 0;
    for (size_t i = 0; i < row->ncells; i++) {
        src->hoff[i] = o;
        o += fold_name(row->cells[i].p, row->cells[i].n, src->hfold + o);
    }
    src->hoff[row->ncells] = o;
}

/* Whether ROW, right under the header, is a row of labels: a second header
 * row that names the columns in words, as templates have (HTCDS: "Case
 * Owner" under cas_CaseOwner, "Gender" under prs_Gender). Most of its
 * non-empty cells, and at least two, name their column (folded, equal, the
 * header's name ending with it, or it beginning with the header's name),
 * and none is a number or a date. */
static int is_label_row(const source *src, const source_row *row) {
    if (row->row != src->header_row + 1) return 0;
    size_t nonempty = 0, named = 0;
    for (size_t i = 0; i < row->ncells; i++) {
        const char *p = row->cells[i].p;
        size_t n = row->cells[i].n;
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        if (!n) continue;
        nonempty++;
        unsigned k = row->kinds ? row->kinds[i] & SOURCE_CELL_KIND : 0;
        if (k == SOURCE_CELL_NUMBER || k == SOURCE_CELL_DATE) return 0;
        if (i >= src->width) continue;
        char buf[256];
        if (n > sizeof buf) continue;
        size_t cn = fold_name(p, n, buf);
        const char *h = src->hfold + src->hoff[i];
        size_t hn = src->hoff[i + 1] - src->hoff[i];
        if (cn < 3 || hn < 3) continue;
        if ((hn >= cn && !memcmp(h + hn - cn, buf, cn)) ||
            (cn >= hn && !memcmp(buf, h, hn)))
            named++;
    }
    return named >= 2 && 2 * named > nonempty;
}

/* Copies HEAD then the rest of IN to a tracked temporary file named with
 * SUFFIX ("" or ".xlsx"); *PATH_OUT gets its malloc'd name. */
static int spool_stdin(FILE *in, const unsigned char *head, size_t nhead,
                       const char *suffix, char **path_out, char *err,
                       size_t errlen) {
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/relec-stdin-XXXXXX%s",
             dir && *dir ? dir : "/tmp", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0) {
        snprintf(err, errlen, "cannot spool stdin to a temporary file: %s",
                 strerror(errno));
        return -1;
    }
    outfile_track_temp(path);
    FILE *out = fdopen(fd, "wb");
    int ok = out && (!nhead || fwrite(head, 1, nhead, out) == nhead);
    char buf[65536];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (ferror(in)) ok = 0;
    if (out ? fclose(out) != 0 : close(fd) != 0) ok = 0;
    if (!ok) {
        snprintf(err, errlen, "cannot spool stdin to '%s': %s", path,
                 strerror(errno));
        outfile_drop_temp(path);
        return -1;
    }
    *path_out = strdup(path);
    return 0;
}

char *source_spool(FILE *in, char *err, size_t errlen) {
    char *path = NULL;
    if (spool_stdin(in, NULL, 0, "", &path, err, errlen) < 0) return NULL;
    if (!path) snprintf(err, errlen, "out of memory");
    return path;
}

source *source_open(const char *path, const source_opts *opts, char *err,
                    size_t errlen) {
    static const source_opts defaults;
    if (!opts) opts = &defaults;
    int is_stdin = strcmp(path, "-") == 0;
    outfile_guard(path); /* no output of the run over it */
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    source *src = calloc(1, sizeof *src);
    if (!src) {
        snprintf(err, errlen, "out of memory");
        if (!is_stdin) fclose(fp);
        return NULL;
    }
    src->name = strdup(opts->name ? opts->name : is_stdin ? "<stdin>" : path);
    src->opts = *opts;

    /* Peek at the magic: a zip is a workbook. ungetc() gives back only one
     * byte, so stdin workbooks are spooled and files are rewound. */
    unsigned char head[16];
    size_t nhead = fread(head, 1, sizeof head, fp);
    int is_zip = nhead >= 4 && memcmp(head, "PK\3\4", 4) == 0;
    int is_sqlite = nhead == 16 && memcmp(head, "SQLite format 3", 16) == 0;
    int is_ole =
        nhead >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
    int rc;
    /* a name that promises a format the bytes do not have is an error,
     * not a file read as CSV */
    const char *dot = is_stdin ? NULL : strrchr(path, '.');
    if (dot && strchr(dot, '/')) dot = NULL;
    if (dot && !is_zip && !is_ole &&
        (!strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xlsm"))) {
        snprintf(err, errlen,
                 "not a workbook: an .xlsx file is a zip, and this one does "
                 "not start like one");
        goto fail;
    }
    if (dot && !is_sqlite &&
        (!strcasecmp(dot, ".db") || !strcasecmp(dot, ".sqlite") ||
         !strcasecmp(dot, ".sqlite3"))) {
        snprintf(err, errlen, "not a store: it is not an SQLite database");
        goto fail;
    }
    if (is_ole) {
        /* an OLE compound file: a legacy .xls, or an .xlsx that Excel
         * encrypted with a password (it wraps the zip in OLE) */
        snprintf(err, errlen,
                 "an encrypted workbook or a legacy .xls, not a readable "
                 ".xlsx: save it as .xlsx without a password");
        goto fail;
    }
    if (is_sqlite && !is_stdin) {
        fclose(fp);
        fp = NULL;
        src->format = "sqlite";
        rc = source_sqlite_open(path, opts, &src->reader, err, errlen);
    } else if (is_zip) {
        const char *zpath = path;
        if (is_stdin) {
            if (spool_stdin(fp, head, nhead, ".xlsx", &src->spool, err,
                            errlen) < 0)
                goto fail;
            zpath = src->spool;
        } else {
            fclose(fp);
        }
        fp = NULL;
        src->format = "xlsx";
        rc = source_xlsx_open(zpath, opts, &src->reader, err, errlen);
    } else {
        /* the peeked bytes go to the reader as a prefix: stdin cannot be
         * rewound, and ungetc() promises only one byte */
        src->format = "csv";
        rc = source_csv_open(fp, is_stdin, head, nhead, opts, &src->reader, err,
                             errlen);
        fp = NULL;
    }
    if (rc < 0) goto fail;
    return src;
fail:
    if (fp && !is_stdin) fclose(fp);
    source_close(src);
    return NULL;
}

/* The next row from the read-ahead copies, then from the reader. */
static int raw_next(source *src, source_row *row) {
    if (src->next_held < src->nheld) {
        const held_row *h = &src->held[src->next_held++];
        row->cells = h->cells;
        row->kinds = h->kinds;
        row->look = h->look;
        row->ncells = h->ncells;
        row->row = h->row;
        row->flags = h->flags;
        return 1;
    }
    if (src->at_end) return 0; /* a reader is not asked again after its end */
    row->kinds = NULL;         /* readers without types leave it alone */
    row->look = NULL;          /* ... and without looks */
    int rc =
        src->reader.next(src->reader.state, row, src->err, sizeof src->err);
    if (rc == 0) src->at_end = 1;
    return rc;
}

static void skip(source *src, const source_row *row, source_skip why) {
    src->skipped[why]++;
    if (src->opts.on_skip) src->opts.on_skip(src->opts.on_skip_ud, row, why);
}

static int hold(source *src, const source_row *row) {
    held_row *h = &src->held[src->nheld];
    size_t len = 0;
    for (size_t i = 0; i < row->ncells; i++)
        len += row->cells[i].n + (row->look ? row->look[i].fn : 0);
    h->cells = malloc((row->ncells + 1) * sizeof *h->cells);
    h->text = malloc(len + 1);
    h->kinds = row->kinds ? malloc(row->ncells + 1) : NULL;
    h->look = row->look ? malloc((row->ncells + 1) * sizeof *h->look) : NULL;
    if (!h->cells || !h->text || (row->kinds && !h->kinds) ||
        (row->look && !h->look)) {
        free(h->cells), free(h->text), free(h->kinds), free(h->look);
        snprintf(src->err, sizeof src->err, "out of memory");
        return -1;
    }
    size_t o = 0;
    for (size_t i = 0; i < row->ncells; i++) {
        memcpy(h->text + o, row->cells[i].p, row->cells[i].n);
        h->cells[i] = (source_cell){h->text + o, row->cells[i].n};
        o += row->cells[i].n;
    }
    if (h->kinds) memcpy(h->kinds, row->kinds, row->ncells);
    for (size_t i = 0; h->look && i < row->ncells; i++) {
        h->look[i] = row->look[i];
        if (!row->look[i].fn) continue;
        memcpy(h->text + o, row->look[i].f, row->look[i].fn);
        h->look[i].f = h->text + o;
        o += row->look[i].fn;
    }
    h->ncells = row->ncells;
    h->row = row->row;
    h->flags = row->flags;
    src->nheld++;
    return 0;
}

/* How many cells of ROW name a field of the header names. */
static size_t name_score(const source *src, const source_row *row) {
    size_t k = 0;
    for (size_t i = 0; i < row->ncells; i++) {
        const char *p = row->cells[i].p;
        size_t n = row->cells[i].n;
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        for (size_t j = 0; n && j < src->opts.nheader_names; j++)
            if (strlen(src->opts.header_names[j]) == n &&
                !memcmp(src->opts.header_names[j], p, n)) {
                k++;
                break;
            }
    }
    return k;
}

/* The header into *ROW: row header_row, or the first naming most of the
 * header names, or the first row. Rows above it are titles. */
static int find_header(source *src, source_row *row) {
    long want = src->opts.header_row;
    int rc;
    if (want > 0) {
        while ((rc = raw_next(src, row)) > 0 && row->row < want)
            skip(src, row, SOURCE_SKIP_TITLE);
        if (rc == 0 || (rc > 0 && row->row > want)) {
            snprintf(src->err, sizeof src->err,
                     "no header in row %ld: the row is empty or beyond the "
                     "end of the file",
                     want);
            return -1;
        }
        return rc;
    }
    if (!src->opts.nheader_names) return raw_next(src, row);
    size_t best = 0, best_score = 0, n = src->opts.nheader_names;
    while (src->nheld < SOURCE_HEADER_LOOK) {
        src->next_held = src->nheld; /* from the reader, not the copies */
        rc = raw_next(src, row);
        if (rc < 0) return rc;
        if (rc == 0) break;
        if (hold(src, row) < 0) return -1;
        size_t k = name_score(src, row);
        if (k > best_score) {
            best_score = k;
            best = src->nheld - 1;
        }
        if (2 * k >= n && k > 0) break;
    }
    src->next_held = 0;
    for (size_t i = 0; i < best; i++) {
        raw_next(src, row);
        skip(src, row, SOURCE_SKIP_TITLE);
    }
    return raw_next(src, row);
}

/* ROW, padded with empty cells to the header's width. */
static int pad_row(source *src, source_row *row) {
    if (src->cappad < src->width) {
        free(src->pad), free(src->padkinds), free(src->padlook);
        src->pad = malloc(src->width * sizeof *src->pad);
        src->padkinds = malloc(src->width);
        src->padlook = malloc(src->width * sizeof *src->padlook);
        src->cappad =
            src->pad && src->padkinds && src->padlook ? src->width : 0;
        if (!src->cappad) {
            snprintf(src->err, sizeof src->err, "out of memory");
            return -1;
        }
    }
    memcpy(src->pad, row->cells, row->ncells * sizeof *row->cells);
    memset(src->padkinds, 0, src->width);
    if (row->kinds) memcpy(src->padkinds, row->kinds, row->ncells);
    memset(src->padlook, 0, src->width * sizeof *src->padlook);
    if (row->look)
        memcpy(src->padlook, row->look, row->ncells * sizeof *row->look);
    for (size_t i = row->ncells; i < src->width; i++)
        src->pad[i] = (source_cell){"", 0};
    row->cells = src->pad;
    row->kinds = row->kinds ? src->padkinds : NULL;
    row->look = row->look ? src->padlook : NULL;
    row->ncells = src->width;
    return 0;
}

int source_next(source *src, source_row *row) {
    int rc;
    if (!src->started) {
        src->started = 1;
        rc = find_header(src, row);
        if (rc > 0) {
            src->header_row = row->row;
            src->width = row->ncells;
            if (!src->opts.keep_nondata && src->opts.nheader_names)
                keep_header(src, row); /* a schema-aware reader */
        }
        return rc;
    }
    for (;;) {
        rc = raw_next(src, row);
        if (rc <= 0) return rc;
        if (src->hfold) { /* the row right under the header: labels? */
            int labels = is_label_row(src, row);
            free(src->hfold), free(src->hoff);
            src->hfold = NULL, src->hoff = NULL;
            if (labels) {
                skip(src, row, SOURCE_SKIP_LABELS);
                continue;
            }
        }
        if (!src->opts.keep_nondata) {
            source_skip k = source_row_kind(row);
            if (k != SOURCE_NSKIP) {
                skip(src, row, k);
                continue;
            }
        }
        if (src->reader.sparse && row->ncells < src->width &&
            pad_row(src, row) < 0)
            return -1;
        return 1;
    }
}

const char *source_sheet(const source *src) {
    return src->reader.sheet;
}

const char *const *source_sheets(const source *src, size_t *n) {
    *n = src->reader.nsheets;
    return src->reader.sheets;
}

const source_dropdown *source_dropdowns(const source *src, size_t *n) {
    *n = 0;
    return src->reader.dropdowns ? src->reader.dropdowns(src->reader.state, n)
                                 : NULL;
}

void source_layout_get(const source *src, source_layout *l) {
    memset(l, 0, sizeof *l);
    if (src->reader.layout) src->reader.layout(src->reader.state, l);
}

int source_sheet_hidden(const source *src, size_t i) {
    return src->reader.sheet_hidden && i < src->reader.nsheets &&
           src->reader.sheet_hidden[i];
}

long source_skipped(const source *src, source_skip why) {
    return src->skipped[why];
}

long source_header_row(const source *src) {
    return src->header_row;
}

/* Labels of a total row, in the languages of the users (compared without
 * ASCII case, after trimming blanks and a trailing colon). */
static const char *const total_words[] = {
    "total",    "totals", "grand total",  "sub-total",  "subtotal", "sub total",
    "sum",      "toplam", "genel toplam", "ara toplam", "المجموع", /* ar */
    "مجموع",                                                       /* ar, fa */
    "الإجمالي",                                                    /* ar */
    "الاجمالي",                                                    /* ar */
    "مجموعه",                                                      /* fa, ps */
    "کل",                                                          /* ur, fa */
    "جمع",                                                         /* fa */
    "جمع کل",                                                      /* fa */
    "میزان",                                                       /* ur */
    "ټول",                                                         /* ps */
    "মোট",                                                         /* bn */
    "সর্বমোট",                                                      /* bn */
};

static int is_total_label(const char *p, size_t n) {
    /* most first values start with none of the labels' first bytes: one
     * test, not a loop over the words, per row */
    unsigned char c0 = (unsigned char)(*p | 0x20);
    if (c0 != 't' && c0 != 's' && c0 != 'g' && c0 != 'a' && *p >= 0 &&
        *p != ' ' && *p != '\t')
        return 0;
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == ':'))
        n--;
    for (size_t i = 0; i < sizeof total_words / sizeof *total_words; i++) {
        const char *w = total_words[i];
        size_t wn = strlen(w);
        /* "Total", or "Total victims" (a word, then more) */
        if (n >= wn && !strncasecmp(w, p, wn) && (n == wn || p[wn] == ' '))
            return 1;
    }
    return 0;
}

source_skip source_row_kind(const source_row *r) {
    size_t nonempty = 0, first = 0;
    int colsum = 0;
    for (size_t i = 0; i < r->ncells; i++) {
        const char *p = r->cells[i].p;
        size_t n = r->cells[i].n;
        if (r->kinds && (r->kinds[i] & SOURCE_CELL_COLSUM)) colsum = 1;
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        if (!n) continue;
        if (!nonempty++) {
            first = i;
            /* the row's first value, in its first three cells: a label
             * such as Total (a "total" category further on is data) */
            if (i < 3 && is_total_label(p, n)) return SOURCE_SKIP_TOTAL;
        } else if (!r->kinds) {
            return SOURCE_NSKIP; /* two values, and no sums to look for */
        }
    }
    if (colsum) return SOURCE_SKIP_TOTAL;
    if (nonempty == 0) return SOURCE_SKIP_EMPTY;
    if (nonempty == 1 && first <= 1) { /* a pre-numbered row: 1, 2, ... */
        const source_cell *c = &r->cells[first];
        size_t i = 0, d = 0;
        while (i < c->n && c->p[i] == ' ')
            i++;
        for (; i < c->n && c->p[i] >= '0' && c->p[i] <= '9'; i++)
            d++;
        while (i < c->n && c->p[i] == ' ')
            i++;
        if (d > 0 && d <= 7 && i == c->n) return SOURCE_SKIP_EMPTY;
    }
    return SOURCE_NSKIP;
}

const char *source_error(const source *src) {
    return src->err;
}
const char *source_name(const source *src) {
    return src->name;
}
const char *source_format(const source *src) {
    return src->format;
}

unsigned long long source_bytes(const source *src) {
    return src->reader.bytes ? src->reader.bytes(src->reader.state) : 0;
}

void source_close(source *src) {
    if (!src) return;
    if (src->reader.close) src->reader.close(src->reader.state);
    if (src->spool) {
        outfile_drop_temp(src->spool);
        free(src->spool);
    }
    for (size_t i = 0; i < src->nheld; i++) {
        free(src->held[i].cells);
        free(src->held[i].kinds);
        free(src->held[i].look);
        free(src->held[i].text);
    }
    free(src->pad);
    free(src->padkinds);
    free(src->padlook);
    free(src->hfold);
    free(src->hoff);
    free(src->name);
    free(src);
}
