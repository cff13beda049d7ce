/*
 * workbook.c: see workbook.h. The only module that includes <xlsxwriter.h>.
 *
 * Memory. The export and the big report use libxlsxwriter's constant-memory
 * mode: each worksheet row goes to a temp file as soon as the next row
 * starts, and strings are written inline, so nothing grows with rows there.
 * What grows with rows lives on disk: findings are spooled to a tmpfile()
 * in a compact record format and read back when the Issues/Findings sheet
 * is written at close (findings of a file arrive in row order, so the
 * sheet comes out sorted by file and row without a sort). The Summary
 * counts are hash maps keyed by the few values of a code or a month, so
 * they grow with distinct values, not with rows.
 *
 * Time. Per cell the export does one copy into a scratch buffer (to
 * NUL-terminate and to make the bytes valid XML text: invalid UTF-8 and
 * control characters would make Excel ask to repair the file), or one
 * strtod/date parse for typed cells; per row, one hash per Summary table.
 * The rest is libxlsxwriter's XML writing and zlib's deflate of the sheet,
 * which dominate (see bench/bench-export.sh).
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "workbook.h"

#include "calendar.h"
#include "outfile.h"
#include "strmap.h"

#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <minizip/zip.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#ifndef RELEC_VERSION
#define RELEC_VERSION "0.0.0"
#endif

#define WB_MAX_ROW ((lxw_row_t)(WORKBOOK_MAX_ROWS - 1)) /* last 0-based row */
#define WB_SUMMARY_MAX_ROWS 1000 /* distinct values listed down a table */
#define WB_SUMMARY_MAX_COLS 40   /* distinct values listed across */
#define WB_CHART_MAX_SERIES 20   /* series in the Summary chart */
#define WB_WIDTH_MAX 60.0        /* widest column set, in characters */
#define WB_MAX_COMMENTS 10000    /* cell comments in one report workbook */
#define WB_ROW_COMMENTS                                                        \
    50 /* a row with more findings gets none: its                              \
          findings column lists them all */

/* ---------------------------------------------------------------------- */
/* zip compression level                                                  */

/* libxlsxwriter deflates every part at zlib's default level 6 and has no
 * option for it. For a million-row Data sheet (about 0.9 GB of XML) that
 * deflate alone took about 40% of the export's CPU time; level 1 deflates
 * about three times faster for a file about 25% larger (measured by
 * bench/bench-export.sh). Debian's libxlsxwriter calls minizip's
 * zipOpenNewFileInZip4_64 from the shared libminizip, so this definition
 * in the executable takes its place for every workbook relec writes, and
 * passes the call on to minizip with level Z_BEST_SPEED. A libxlsxwriter
 * with minizip built in would not see it, and would only be slower. */
typedef int (*wb_zip_open_fn)(zipFile, const char *, const zip_fileinfo *,
                              const void *, uInt, const void *, uInt,
                              const char *, int, int, int, int, int, int,
                              const char *, uLong, uLong, uLong, int);

int zipOpenNewFileInZip4_64(
    zipFile file, const char *filename, const zip_fileinfo *zipfi,
    const void *extrafield_local, uInt size_extrafield_local,
    const void *extrafield_global, uInt size_extrafield_global,
    const char *comment, int method, int level, int raw, int windowBits,
    int memLevel, int strategy, const char *password, uLong crcForCrypting,
    uLong versionMadeBy, uLong flagBase, int zip64) {
    static wb_zip_open_fn real;
    if (!real) {
        void *sym = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
        if (!sym) return ZIP_INTERNALERROR;
        memcpy(&real, &sym, sizeof real); /* object -> function pointer */
    }
    if (method == Z_DEFLATED && level != 0) level = Z_BEST_SPEED;
    return real(file, filename, zipfi, extrafield_local, size_extrafield_local,
                extrafield_global, size_extrafield_global, comment, method,
                level, raw, windowBits, memLevel, strategy, password,
                crcForCrypting, versionMadeBy, flagBase, zip64);
}

/* libxlsxwriter 1.1.4 leaks one copy of the formula of each list-formula
 * data validation (worksheet_data_validation_range, about 17 bytes a
 * dropdown of the template). Nothing outside the library can free it; the
 * LeakSanitizer hook below names it, so sanitizer runs (make check-asan)
 * report leaks of ours only. The library has no frame pointers, so the
 * stack LeakSanitizer sees ends at lxw_strdup: that is the name matched
 * (the library's string copies; everything else it allocates, such as a
 * workbook never closed, is still reported). Unused in ordinary builds. */
const char *__lsan_default_suppressions(void) __attribute__((used));
const char *__lsan_default_suppressions(void) {
    return "leak:worksheet_data_validation_range\nleak:lxw_strdup\n";
}
/* ... and quietly: the list of suppressions used would go to stderr. */
const char *__lsan_default_options(void) __attribute__((used));
const char *__lsan_default_options(void) {
    return "print_suppressions=0";
}

/* ---------------------------------------------------------------------- */
/* text for cells                                                         */

/* A growable scratch buffer, reused for every cell. */
typedef struct wb_buf {
    char *p;    /* bytes; NUL-terminated after wb_text() */
    size_t cap; /* allocated size */
} wb_buf;

static int buf_reserve(wb_buf *b, size_t n) {
    if (n <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < n)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

/* Copies P..P+N into B as text Excel accepts, NUL-terminated: invalid UTF-8
 * bytes, C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF become
 * U+FFFD (*FIXED set); longer than WORKBOOK_MAX_CELL characters is cut
 * (*CUT set). Returns B's text, or "" when out of memory. */
static const char *wb_text(wb_buf *b, const char *p, size_t n, int *fixed,
                           int *cut) {
    if (buf_reserve(b, n * 3 + 1) < 0) return "";
    const unsigned char *s = (const unsigned char *)p;
    char *o = b->p;
    size_t i = 0, chars = 0;
    while (i < n) {
        if (chars == WORKBOOK_MAX_CELL) {
            *cut = 1;
            break;
        }
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x80) {
            *o++ = (char)c;
            i++;
        } else if (c == '\t' || c == '\n' || c == '\r') {
            *o++ = (char)c;
            i++;
        } else {
            size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
            int ok = k > 0 && k <= 4 && c < 0xF5 && i + k <= n;
            for (size_t j = 1; ok && j < k; j++)
                if ((s[i + j] & 0xC0) != 0x80) ok = 0;
            if (ok && k == 3) {
                unsigned cp = (c & 0x0F) << 12 | (s[i + 1] & 0x3Fu) << 6 |
                              (s[i + 2] & 0x3Fu);
                if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) ||
                    cp == 0xFFFE || cp == 0xFFFF)
                    ok = 0;
            } else if (ok && k == 4) {
                unsigned cp = (c & 0x07) << 18 | (s[i + 1] & 0x3Fu) << 12;
                if (cp < 0x10000 || cp > 0x10FFFF) ok = 0;
            }
            if (ok) {
                memcpy(o, s + i, k);
                o += k;
                i += k;
            } else {
                memcpy(o, "\xEF\xBF\xBD", 3);
                o += 3;
                i++;
                *fixed = 1;
            }
        }
        chars++;
    }
    *o = 0;
    return b->p;
}

/* The value of P..P+N when the text is a number in the form the .xlsx
 * reader gives back for a numeric cell: an integer of at most 15 digits
 * without leading zeros ("0", "-12"), or what "%.16G" prints (how
 * libxlsxwriter stores a double, e.g. "12.5"). Anything else ("007",
 * "1.0", "1e3", " 5") stays text, so export -> validate sees the very
 * same values. Returns 1 and sets *V, else 0. */
static int wb_number(const char *p, size_t n, double *v) {
    char tmp[40], back[40];
    if (n == 0 || n >= sizeof tmp) return 0;
    memcpy(tmp, p, n);
    tmp[n] = 0;
    const char *d = tmp + (tmp[0] == '-');
    size_t nd = strlen(d);
    int integer = nd > 0 && nd <= 15 && (d[0] != '0' || nd == 1) &&
                  strspn(d, "0123456789") == nd && strcmp(tmp, "-0") != 0;
    if (!integer && !strpbrk(tmp, ".")) return 0;
    char *end;
    errno = 0;
    double x = strtod(tmp, &end);
    if (*end || errno || !isfinite(x)) return 0;
    if (!integer) {
        snprintf(back, sizeof back, "%.16G", x);
        if (strcmp(back, tmp) != 0) return 0;
    }
    *v = x;
    return 1;
}

/* Excel 1900-system serial of an ISO date; 0 when Excel cannot show it as
 * a date (before 1900-03-01, where Excel's fictitious 1900-02-29 shifts
 * serials, or after 9999). */
static double wb_serial(const char *p, size_t n) {
    int y, m, d;
    if (n != 10 || cal_parse_iso_date(p, n, &y, &m, &d) != 0) return 0;
    if (y < 1900 || y > 9999 || (y == 1900 && m < 3)) return 0;
    return (double)(cal_days_from_civil(y, m, d) -
                    cal_days_from_civil(1899, 12, 30));
}

/* Display width of a cell text, roughly: characters, not bytes. */
static double wb_width(const char *p, size_t n) {
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80) chars++;
    return (double)chars;
}

/* Copies at most MAX-1 bytes of S into OUT on a UTF-8 boundary. */
static void wb_cut(const char *s, char *out, size_t max) {
    size_t n = strlen(s);
    if (n >= max) {
        n = max - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = 0;
}

/* A sheet name from a file name: the base name without extension, with
 * []:*?/\ replaced, at most 31 bytes on a UTF-8 boundary, and unique among
 * TAKEN (N names), by a " (k)" suffix. Writes into OUT[32]. */
static void wb_sheet_name(const char *file, char **taken, size_t n,
                          char out[32]) {
    const char *b = strrchr(file, '/');
    b = b ? b + 1 : file;
    const char *dot = strrchr(b, '.');
    size_t len = dot && dot > b ? (size_t)(dot - b) : strlen(b);
    if (file[0] == '\t') /* a sheet's own name, marked so: kept whole */
        b = file + 1, len = strlen(b);
    char base[32];
    size_t k = 0;
    for (size_t i = 0; i < len && k < 25; i++) {
        char c = b[i];
        if (strchr("[]:*?/\\<>", c)) c = '_';
        base[k++] = c;
    }
    while (k > 0 && ((unsigned char)base[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0 && ((unsigned char)base[k - 1] & 0xC0) == 0xC0) k--;
    while (k > 0 && base[k - 1] == '\'')
        k--;
    base[k] = 0;
    if (k == 0 || base[0] == '\'') snprintf(base, sizeof base, "input");
    for (int suffix = 1;; suffix++) {
        char full[64];
        if (suffix == 1)
            snprintf(full, sizeof full, "%s", base);
        else
            snprintf(full, sizeof full, "%s (%d)", base, suffix);
        wb_cut(full, out, 32);
        int clash = !strcmp(out, "Findings");
        for (size_t i = 0; i < n && !clash; i++)
            if (!strcasecmp(taken[i], out)) clash = 1;
        if (!clash) return;
    }
}

/* "field: message [code]" into B (NUL-terminated); returns its length. */
static size_t wb_finding_text(wb_buf *b, const char *field, size_t flen,
                              const char *msg, size_t mlen, const char *code) {
    size_t clen = strlen(code);
    if (buf_reserve(b, flen + mlen + clen + 8) < 0) return 0;
    size_t k = 0;
    if (flen) {
        memcpy(b->p, field, flen);
        memcpy(b->p + flen, ": ", 2);
        k = flen + 2;
    }
    memcpy(b->p + k, msg, mlen);
    k += mlen;
    b->p[k++] = ' ';
    b->p[k++] = '[';
    memcpy(b->p + k, code, clen);
    k += clen;
    b->p[k++] = ']';
    b->p[k] = 0;
    return k;
}

/* Finishes a workbook: closes it (writing the zip) and renames TMP to
 * DEST. Returns 0, or -1 with ERR; TMP is removed on failure. */
static int wb_finish(lxw_workbook *wb, const char *tmp, const char *dest,
                     char *err, size_t errlen) {
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "cannot write '%s': %s", dest, lxw_strerror(e));
        outfile_drop_temp(tmp);
        return -1;
    }
    if (outfile_rename(tmp, dest, err, errlen) < 0) {
        outfile_drop_temp(tmp);
        return -1;
    }
    return 0;
}

/* Opens a workbook at a temp name beside DEST ("-": in $TMPDIR, copied to
 * stdout when complete); *TMP gets the name. outfile_claim() refuses an
 * input of the run; the temp file has the usual 0666 & ~umask mode
 * (libxlsxwriter reopens it with fopen, which keeps the mode). */
static lxw_workbook *wb_new(const char *dest, int constant, int zip64,
                            char **tmp, char *err, size_t errlen) {
    if (outfile_claim(dest, err, errlen) < 0) return NULL;
    if (!(*tmp = outfile_temp_name(dest))) {
        snprintf(err, errlen, "cannot write '%s': %s", dest, strerror(errno));
        return NULL;
    }
    lxw_workbook_options opts = {.constant_memory = (uint8_t)(constant != 0),
                                 .tmpdir = NULL,
                                 .use_zip64 = (uint8_t)(zip64 != 0)};
    lxw_workbook *wb = workbook_new_opt(*tmp, &opts);
    if (!wb) {
        snprintf(err, errlen, "cannot write '%s': cannot start a workbook",
                 dest);
        outfile_drop_temp(*tmp);
        free(*tmp);
        *tmp = NULL;
    }
    return wb;
}

/* Drops an unfinished workbook: libxlsxwriter has no abort, so the zip is
 * written to the temp name and removed. */
static void wb_drop(lxw_workbook *wb, char *tmp) {
    if (wb) workbook_close(wb);
    if (tmp) outfile_drop_temp(tmp);
    free(tmp);
}

/* ---------------------------------------------------------------------- */
/* findings spool                                                         */

/* Findings parked on disk until their sheet is written: fixed header plus
 * field, value and message bytes. About 40 bytes plus the texts each. */
typedef struct wb_spool {
    FILE *fp;      /* tmpfile(); NULL until the first finding */
    long count;    /* findings written */
    long errors;   /* of which errors */
    long warnings; /* of which warnings */
    int failed;    /* a write failed (disk full) */
} wb_spool;

/* The fixed part of a spooled finding. */
typedef struct wb_frec {
    uint32_t file;    /* input index */
    uint32_t flen;    /* field name bytes */
    int64_t row;      /* spreadsheet row of the input */
    int64_t data_row; /* row in the Data sheet (1-based), 0 = none */
    uint32_t vlen;    /* value bytes (cut to WORKBOOK_MAX_CELL * 4) */
    uint32_t mlen;    /* message bytes */
    uint8_t code;     /* check_code */
    uint8_t severity; /* check_severity */
} wb_frec;

static void spool_put(wb_spool *sp, uint32_t file, long data_row,
                      const check_finding *f) {
    if (sp->failed) return;
    if (!sp->fp && !(sp->fp = tmpfile())) {
        sp->failed = 1;
        return;
    }
    wb_frec r = {0};
    r.file = file;
    r.row = f->row;
    r.data_row = data_row;
    r.flen = (uint32_t)strlen(f->field);
    r.vlen =
        (uint32_t)(f->vlen < WORKBOOK_MAX_CELL * 4u ? f->vlen
                                                    : WORKBOOK_MAX_CELL * 4u);
    r.mlen = (uint32_t)strlen(f->message);
    r.code = (uint8_t)f->code;
    r.severity = (uint8_t)f->severity;
    if (fwrite(&r, sizeof r, 1, sp->fp) != 1 ||
        fwrite(f->field, 1, r.flen, sp->fp) != r.flen ||
        fwrite(f->value, 1, r.vlen, sp->fp) != r.vlen ||
        fwrite(f->message, 1, r.mlen, sp->fp) != r.mlen)
        sp->failed = 1;
    sp->count++;
    if (f->severity == CHECK_ERROR)
        sp->errors++;
    else
        sp->warnings++;
}

/* Reads the next spooled finding; its texts go to B (field, then value,
 * then message, back to back). 1 read, 0 end, -1 error. */
static int spool_next(wb_spool *sp, wb_frec *r, wb_buf *b) {
    if (fread(r, sizeof *r, 1, sp->fp) != 1) return feof(sp->fp) ? 0 : -1;
    size_t n = (size_t)r->flen + r->vlen + r->mlen;
    if (buf_reserve(b, n + 1) < 0) return -1;
    if (fread(b->p, 1, n, sp->fp) != n) return -1;
    b->p[n] = 0;
    return 1;
}

/* Writes the findings of SP to WS from row 0: a header and one row each,
 * up to Excel's limit. FILES names the inputs. DATA_ROW adds that column.
 * Returns findings left out for want of rows. */
static long spool_sheet(wb_spool *sp, lxw_worksheet *ws, char **files,
                        lxw_format *hdr, lxw_format *err_fmt,
                        lxw_format *warn_fmt, int data_row, wb_buf *text,
                        int *fixed, int *cut) {
    static const char *cols[] = {"file", "row",      "field",   "value",
                                 "code", "severity", "message", "data_row"};
    static const double widths[] = {24, 8, 24, 24, 12, 9, 70, 9};
    int ncols = data_row ? 8 : 7;
    for (int c = 0; c < ncols; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c], hdr);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t r = 0;
    long left = 0;
    if (sp->fp && !sp->failed) {
        rewind(sp->fp);
        wb_frec f;
        wb_buf b = {0};
        while (spool_next(sp, &f, &b) > 0) {
            if (r == WB_MAX_ROW) {
                left++;
                continue;
            }
            r++;
            const char *field = b.p, *value = b.p + f.flen,
                       *msg = b.p + f.flen + f.vlen;
            lxw_format *sf = f.severity == CHECK_ERROR ? err_fmt : warn_fmt;
            worksheet_write_string(ws, r, 0, files[f.file], NULL);
            worksheet_write_number(ws, r, 1, (double)f.row, NULL);
            worksheet_write_string(
                ws, r, 2, wb_text(text, field, f.flen, fixed, cut), NULL);
            if (f.vlen)
                worksheet_write_string(
                    ws, r, 3, wb_text(text, value, f.vlen, fixed, cut), NULL);
            worksheet_write_string(ws, r, 4,
                                   check_code_name((check_code)f.code), NULL);
            worksheet_write_string(
                ws, r, 5, f.severity == CHECK_ERROR ? "error" : "warning", sf);
            worksheet_write_string(
                ws, r, 6, wb_text(text, msg, f.mlen, fixed, cut), NULL);
            if (data_row && f.data_row > 0)
                worksheet_write_number(ws, r, 7, (double)f.data_row, NULL);
        }
        free(b.p);
    }
    if (r == 0) {
        worksheet_write_string(ws, 1, 0, "no findings", NULL);
    }
    worksheet_autofilter(ws, 0, 0, r, (lxw_col_t)(ncols - 1));
    return left;
}

static void spool_free(wb_spool *sp) {
    if (sp->fp) fclose(sp->fp);
    sp->fp = NULL;
}

/* ---------------------------------------------------------------------- */
/* Summary tables                                                         */

/* How a Summary dimension reads its field. */
enum { DIM_VALUE, DIM_MONTH, DIM_AGE };

/* One dimension of a Summary table. */
typedef struct wb_dim {
    int field; /* schema field index, -1 = none */
    int mode;  /* DIM_* */
} wb_dim;

/* One Summary table: counts of rows by one or two fields. */
typedef struct wb_table {
    const char *title; /* heading written above the table */
    wb_dim down;       /* values down the first column */
    wb_dim across;     /* values across; field -1 = a single Rows column */
    int by_count;      /* list values down by count, largest first */
    strmap counts;     /* "down\x1Facross" -> rows */
} wb_table;

/* The first of NAMES (NULL-terminated) that S has, or -1. */
static int wb_find_field(const schema *s, const char *const *names) {
    for (; *names; names++) {
        int f = schema_field_index(s, *names, strlen(*names));
        if (f >= 0) return f;
    }
    return -1;
}

/* The dimension's value of a row into OUT (at most 63 bytes); "" = blank. */
static size_t dim_value(const wb_dim *d, const source_cell *cells, char *out) {
    const source_cell *c = &cells[d->field];
    const char *p = c->p;
    size_t n = c->n;
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n == 0) return 0;
    if (d->mode == DIM_MONTH) {
        int y, m, dd;
        if (n == 10 && cal_parse_iso_date(p, n, &y, &m, &dd) == 0) n = 7;
    } else if (d->mode == DIM_AGE) {
        double a;
        const char *g = !wb_number(p, n, &a) || a < 0 ? "unknown"
                        : a < 18                      ? "child"
                                                      : "adult";
        size_t k = strlen(g);
        memcpy(out, g, k);
        return k;
    }
    if (n > 63) n = 63;
    memcpy(out, p, n);
    return n;
}

/* ---------------------------------------------------------------------- */
/* relec export                                                           */

/* An input file as the About sheet lists it. */
typedef struct wb_source {
    char *name;   /* as printed */
    char *format; /* "csv", "xlsx", ... */
    char sha[65]; /* SHA-256 hex, or "" */
    long rows;    /* data rows read (= rows written to Data) */
} wb_source;

struct workbook_export {
    const schema *s;     /* borrowed */
    char *dest, *tmp;    /* destination and temp name */
    lxw_workbook *wb;    /* the workbook */
    lxw_worksheet *data; /* the Data sheet (part) being written */
    int part;            /* Data part number, 1 = "Data" */
    lxw_row_t next;      /* next 0-based row in the current part */
    long rows;           /* data rows written over all parts */
    lxw_format *hdr, *date, *err_fmt, *warn_fmt, *bold, *title; /* formats */
    double *width;       /* per field: widest cell seen, characters */
    wb_table tables[3];  /* Summary tables whose fields exist */
    int ntables;         /* how many */
    wb_spool issues;     /* findings for Issues */
    wb_source *src;      /* inputs, for About */
    size_t nsrc;         /* how many */
    wb_buf text;         /* scratch for cell text */
    int fixed, cut;      /* some cell needed U+FFFD / was cut */
    lxw_error first_err; /* first libxlsxwriter error on a cell */
};

/* Writes the Data header into the current part and freezes it. */
static void export_header(workbook_export *w) {
    for (size_t i = 0; i < w->s->nfields; i++)
        worksheet_write_string(w->data, 0, (lxw_col_t)i, w->s->fields[i].name,
                               w->hdr);
    worksheet_freeze_panes(w->data, 1, 0);
    w->next = 1;
}

/* Column widths and autofilter of the finished Data part. */
static void export_finish_part(workbook_export *w) {
    size_t nf = w->s->nfields;
    for (size_t i = 0; i < nf; i++) {
        double wd = w->width[i] + 2;
        if (wd < 8) wd = 8;
        if (wd > WB_WIDTH_MAX) wd = WB_WIDTH_MAX;
        worksheet_set_column(w->data, (lxw_col_t)i, (lxw_col_t)i, wd, NULL);
    }
    worksheet_autofilter(w->data, 0, 0, w->next > 1 ? w->next - 1 : 1,
                         (lxw_col_t)(nf ? nf - 1 : 0));
}

workbook_export *workbook_export_open(const char *dest, const schema *s,
                                      int big_input, char *err, size_t errlen) {
    workbook_export *w = calloc(1, sizeof *w);
    if (!w || !(w->width = calloc(s->nfields + 1, sizeof *w->width)) ||
        !(w->dest = strdup(dest))) {
        snprintf(err, errlen, "out of memory");
        if (w) free(w->width);
        free(w);
        return NULL;
    }
    if (s->nfields > 16384) {
        snprintf(err, errlen, "schema %s has %zu fields; a sheet holds 16384",
                 s->name, s->nfields);
        workbook_export_abort(w);
        return NULL;
    }
    w->s = s;
    w->wb = wb_new(dest, 1, big_input, &w->tmp, err, errlen);
    if (!w->wb) {
        workbook_export_abort(w);
        return NULL;
    }
    w->hdr = workbook_add_format(w->wb);
    format_set_bold(w->hdr);
    format_set_bg_color(w->hdr, 0xD9E1F2);
    format_set_bottom(w->hdr, LXW_BORDER_THIN);
    w->date = workbook_add_format(w->wb);
    format_set_num_format(w->date, "yyyy-mm-dd");
    w->err_fmt = workbook_add_format(w->wb);
    format_set_bg_color(w->err_fmt, 0xFFC7CE);
    format_set_font_color(w->err_fmt, 0x9C0006);
    w->warn_fmt = workbook_add_format(w->wb);
    format_set_bg_color(w->warn_fmt, 0xFFEB9C);
    format_set_font_color(w->warn_fmt, 0x9C5700);
    w->bold = workbook_add_format(w->wb);
    format_set_bold(w->bold);
    w->title = workbook_add_format(w->wb);
    format_set_bold(w->title);
    format_set_font_size(w->title, 13);
    w->data = workbook_add_worksheet(w->wb, "Data");
    w->part = 1;
    export_header(w);
    for (size_t i = 0; i < s->nfields; i++)
        w->width[i] = wb_width(s->fields[i].name, strlen(s->fields[i].name));

    /* Summary tables adapt to the schema: a table is kept when its first
     * dimension exists; a missing second dimension leaves a plain count. */
    static const char *const period[] = {"reporting_period", NULL};
    static const char *const dated[] = {"incident_date", NULL};
    static const char *const offence[] = {"offence_type", "indicator", NULL};
    static const char *const nat[] = {"nationality", NULL};
    static const char *const sex[] = {"sex", NULL};
    static const char *const agegrp[] = {"age_group", NULL};
    static const char *const age[] = {"age", NULL};
    wb_table *t = &w->tables[0];
    memset(t, 0, sizeof *t);
    t->title = "Rows by month and offence type";
    t->down.field = wb_find_field(s, period);
    t->down.mode = DIM_MONTH;
    if (t->down.field < 0) t->down.field = wb_find_field(s, dated);
    t->across.field = wb_find_field(s, offence);
    if (t->across.field < 0) t->title = "Rows by month";
    if (t->down.field < 0 && t->across.field >= 0) {
        t->title = "Rows by offence type";
        t->down = t->across;
        t->across.field = -1;
    }
    if (t->down.field >= 0) t++;
    memset(t, 0, sizeof *t);
    t->title = "Rows by nationality";
    t->down.field = wb_find_field(s, nat);
    t->across.field = -1;
    t->by_count = 1;
    if (t->down.field >= 0) t++;
    memset(t, 0, sizeof *t);
    t->title = "Rows by sex and age group";
    t->down.field = wb_find_field(s, sex);
    t->across.field = wb_find_field(s, agegrp);
    if (t->across.field < 0 && (t->across.field = wb_find_field(s, age)) >= 0)
        t->across.mode = DIM_AGE;
    if (t->across.field < 0) t->title = "Rows by sex";
    if (t->down.field < 0 && t->across.field >= 0) {
        t->title = "Rows by age group";
        t->down = t->across;
        t->across.field = -1;
    }
    if (t->down.field >= 0) t++;
    w->ntables = (int)(t - w->tables);
    for (int i = 0; i < w->ntables; i++)
        strmap_init(&w->tables[i].counts);
    return w;
}

void workbook_export_file(workbook_export *w, const char *file,
                          const char *format, const char *sha256) {
    wb_source *v = realloc(w->src, (w->nsrc + 1) * sizeof *v);
    if (!v) return;
    w->src = v;
    wb_source *x = &w->src[w->nsrc];
    x->name = strdup(file);
    x->format = strdup(format ? format : "");
    snprintf(x->sha, sizeof x->sha, "%s", sha256 ? sha256 : "");
    x->rows = 0;
    if (!x->name || !x->format) {
        free(x->name);
        free(x->format);
        return;
    }
    w->nsrc++;
}

void workbook_export_header(workbook_export *w, const check_finding *f,
                            size_t nf) {
    uint32_t file = w->nsrc ? (uint32_t)(w->nsrc - 1) : 0;
    for (size_t i = 0; i < nf; i++)
        spool_put(&w->issues, file, 0, &f[i]);
}

long workbook_export_row(workbook_export *w, const source_cell *cells,
                         long src_row, const check_finding *f, size_t nf) {
    long ncut = 0;
    uint32_t file = w->nsrc ? (uint32_t)(w->nsrc - 1) : 0;
    const schema *s = w->s;
    if (w->next > WB_MAX_ROW) { /* Excel's row limit: continue on Data (k) */
        export_finish_part(w);
        char name[32];
        snprintf(name, sizeof name, "Data (%d)", ++w->part);
        w->data = workbook_add_worksheet(w->wb, name);
        export_header(w);
    }
    lxw_row_t r = w->next++;
    w->rows++;
    for (size_t i = 0; i < s->nfields; i++) {
        const char *p = cells[i].p;
        size_t n = cells[i].n;
        if (n == 0) continue;
        lxw_col_t c = (lxw_col_t)i;
        lxw_error e = LXW_NO_ERROR;
        double v;
        double wd = 0;
        switch (s->fields[i].type) {
        case SCHEMA_INTEGER:
        case SCHEMA_NUMBER:
            if (wb_number(p, n, &v)) {
                e = worksheet_write_number(w->data, r, c, v, NULL);
                wd = (double)n;
                goto done;
            }
            break;
        case SCHEMA_DATE:
            if ((v = wb_serial(p, n)) > 0) {
                e = worksheet_write_number(w->data, r, c, v, w->date);
                wd = 10;
                goto done;
            }
            break;
        case SCHEMA_BOOLEAN:
            if ((n == 4 && !memcmp(p, "true", 4)) ||
                (n == 5 && !memcmp(p, "false", 5))) {
                e = worksheet_write_boolean(w->data, r, c, n == 4, NULL);
                wd = 5;
                goto done;
            }
            break;
        default:
            break;
        }
        int cut = 0;
        e = worksheet_write_string(
            w->data, r, c, wb_text(&w->text, p, n, &w->fixed, &cut), NULL);
        if (cut) {
            /* never cut in silence: a finding beside the stderr note */
            w->cut = 1;
            ncut++;
            char msg[160];
            snprintf(msg, sizeof msg,
                     "value is longer than a workbook cell holds (%d "
                     "characters): cut to fit",
                     WORKBOOK_MAX_CELL);
            check_finding cf = {
                src_row,      s->fields[i].name, p,  n < 64 ? n : 64,
                CHECK_LENGTH, CHECK_WARNING,     msg};
            spool_put(&w->issues, file, (long)r + 1, &cf);
        }
        wd = wb_width(p, n);
    done:
        if (e != LXW_NO_ERROR && w->first_err == LXW_NO_ERROR) w->first_err = e;
        if (wd > w->width[i]) w->width[i] = wd;
    }
    char key[128];
    for (int t = 0; t < w->ntables; t++) {
        wb_table *tb = &w->tables[t];
        size_t k = dim_value(&tb->down, cells, key);
        key[k++] = '\x1F';
        if (tb->across.field >= 0) k += dim_value(&tb->across, cells, key + k);
        int added;
        uint64_t *cnt = strmap_put(&tb->counts, key, k, &added);
        if (cnt) (*cnt)++;
    }
    if (w->nsrc) w->src[w->nsrc - 1].rows++;
    for (size_t i = 0; i < nf; i++)
        spool_put(&w->issues, file, (long)r + 1, &f[i]);
    return ncut;
}

long workbook_export_rows(const workbook_export *w) {
    return w->rows;
}

/* A distinct value of a Summary dimension and its total. */
typedef struct wb_val {
    const char *p;  /* bytes in the map's arena */
    size_t n;       /* length; 0 = blank */
    long rank;      /* code-list index, or LONG_MAX-ish for other values */
    uint64_t total; /* rows with this value */
} wb_val;

static const schema_codelist *wb_dim_list(const schema *s, const wb_dim *d) {
    if (d->field < 0 || d->mode == DIM_AGE) return NULL;
    return s->fields[d->field].codes;
}

/* Adds value P..P+N with COUNT to the set V (linear: sets are small, and
 * capped by the caller). Returns its index. */
static size_t val_add(wb_val **v, size_t *nv, size_t *cap, const char *p,
                      size_t n, uint64_t count) {
    for (size_t i = 0; i < *nv; i++)
        if ((*v)[i].n == n && !memcmp((*v)[i].p, p, n)) {
            (*v)[i].total += count;
            return i;
        }
    if (*nv == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        wb_val *x = realloc(*v, c * sizeof *x);
        if (!x) return (size_t)-1;
        *v = x;
        *cap = c;
    }
    (*v)[*nv] = (wb_val){p, n, 0, count};
    return (*nv)++;
}

static int val_cmp_rank(const void *a, const void *b) {
    const wb_val *x = a, *y = b;
    if ((x->n == 0) != (y->n == 0)) return x->n == 0 ? 1 : -1; /* blank last */
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    size_t m = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, m);
    return c ? c : (x->n < y->n ? -1 : x->n > y->n);
}

static int val_cmp_count(const void *a, const void *b) {
    const wb_val *x = a, *y = b;
    if (x->total != y->total) return x->total > y->total ? -1 : 1;
    return val_cmp_rank(a, b);
}

static size_t val_find(const wb_val *v, size_t nv, const char *p, size_t n) {
    for (size_t i = 0; i < nv; i++)
        if (v[i].n == n && !memcmp(v[i].p, p, n)) return i;
    return nv;
}

/* Sorts a dimension's values and keeps MAX of them (the rest are summed
 * into "(other values)" by the caller: index >= *NV). */
static void val_order(wb_val *v, size_t *nv, const schema_codelist *l,
                      int by_count, size_t max) {
    for (size_t i = 0; i < *nv; i++) {
        long k = l && v[i].n ? schema_code_find(l, v[i].p, v[i].n) : -1;
        v[i].rank = k >= 0 ? k : 1L << 30;
    }
    if (*nv > max) { /* keep the most frequent, then order them */
        qsort(v, *nv, sizeof *v, val_cmp_count);
        *nv = max;
    }
    /* no rows: V is NULL, and qsort(NULL, 0, ...) is undefined */
    if (*nv > 1)
        qsort(v, *nv, sizeof *v, by_count ? val_cmp_count : val_cmp_rank);
}

/* Writes one table at *ROW of WS; returns the table's data rows so the
 * caller can chart them (first data row in *FIRST, columns in *NCOLS). */
static size_t summary_table(workbook_export *w, lxw_worksheet *ws, wb_table *t,
                            lxw_row_t *row, lxw_row_t *first, size_t *ncols,
                            int *has_label) {
    const schema *s = w->s;
    wb_val *dv = NULL, *av = NULL;
    size_t nd = 0, na = 0, cd = 0, ca = 0;
    uint64_t total = 0;
    for (size_t i = 0; i < t->counts.nslots; i++) {
        const strmap_slot *sl = &t->counts.slots[i];
        if (!sl->hash) continue;
        const char *k = t->counts.arena + sl->off;
        const char *sep = memchr(k, '\x1F', sl->len);
        size_t n1 = (size_t)(sep - k);
        val_add(&dv, &nd, &cd, k, n1, sl->value);
        val_add(&av, &na, &ca, sep + 1, sl->len - n1 - 1, sl->value);
        total += sl->value;
    }
    size_t nd_all = nd, na_all = na;
    const schema_codelist *dl = wb_dim_list(s, &t->down);
    const schema_codelist *al = wb_dim_list(s, &t->across);
    val_order(dv, &nd, dl, t->by_count, WB_SUMMARY_MAX_ROWS);
    val_order(av, &na, al, 0, WB_SUMMARY_MAX_COLS);
    int other_d = nd < nd_all, other_a = na < na_all;
    int across = t->across.field >= 0;
    size_t cols = across ? na + (size_t)other_a : 1; /* count columns */
    size_t rows = nd + (size_t)other_d;
    uint64_t *m = calloc((rows ? rows : 1) * (cols ? cols : 1), sizeof *m);
    if (!m) goto out;
    for (size_t i = 0; i < t->counts.nslots; i++) {
        const strmap_slot *sl = &t->counts.slots[i];
        if (!sl->hash) continue;
        const char *k = t->counts.arena + sl->off;
        const char *sep = memchr(k, '\x1F', sl->len);
        size_t n1 = (size_t)(sep - k);
        size_t r = val_find(dv, nd, k, n1);
        size_t c = across ? val_find(av, na, sep + 1, sl->len - n1 - 1) : 0;
        m[r * cols + c] += sl->value;
    }
    /* heading, header row, values, total row */
    lxw_row_t r0 = *row;
    worksheet_write_string(ws, r0, 0, t->title, w->title);
    lxw_row_t hr = r0 + 1;
    const schema_field *fd = &s->fields[t->down.field];
    worksheet_write_string(
        ws, hr, 0, t->down.mode == DIM_AGE ? "age group" : fd->name, w->hdr);
    lxw_col_t c0 = 1;
    *has_label = dl != NULL;
    if (dl) worksheet_write_string(ws, hr, c0++, "label", w->hdr);
    for (size_t c = 0; c < cols; c++) {
        const char *name = "rows";
        if (across) {
            if (c == na)
                name = "(other values)";
            else
                name = av[c].n ? wb_text(&w->text, av[c].p, av[c].n, &w->fixed,
                                         &w->cut)
                               : "(blank)";
        }
        worksheet_write_string(ws, hr, (lxw_col_t)(c0 + c), name, w->hdr);
    }
    if (across)
        worksheet_write_string(ws, hr, (lxw_col_t)(c0 + cols), "total", w->hdr);
    for (size_t r = 0; r < rows; r++) {
        lxw_row_t xr = hr + 1 + (lxw_row_t)r;
        if (r == nd) {
            worksheet_write_string(ws, xr, 0, "(other values)", NULL);
        } else {
            worksheet_write_string(ws, xr, 0,
                                   dv[r].n ? wb_text(&w->text, dv[r].p, dv[r].n,
                                                     &w->fixed, &w->cut)
                                           : "(blank)",
                                   NULL);
            long k =
                dl && dv[r].n ? schema_code_find(dl, dv[r].p, dv[r].n) : -1;
            if (k >= 0 && dl->labels[k])
                worksheet_write_string(ws, xr, 1, dl->labels[k], NULL);
        }
        uint64_t sum = 0;
        for (size_t c = 0; c < cols; c++) {
            sum += m[r * cols + c];
            worksheet_write_number(ws, xr, (lxw_col_t)(c0 + c),
                                   (double)m[r * cols + c], NULL);
        }
        if (across)
            worksheet_write_number(ws, xr, (lxw_col_t)(c0 + cols), (double)sum,
                                   NULL);
    }
    lxw_row_t tr = hr + 1 + (lxw_row_t)rows;
    worksheet_write_string(ws, tr, 0, "total", w->bold);
    for (size_t c = 0; c <= cols; c++) {
        if (c == cols && !across) break;
        uint64_t sum = 0;
        for (size_t r = 0; r < rows; r++)
            sum += c < cols ? m[r * cols + c] : 0;
        if (c == cols) sum = total;
        worksheet_write_number(ws, tr, (lxw_col_t)(c0 + c), (double)sum,
                               w->bold);
    }
    *first = hr;
    *ncols = cols;
    *row = tr + 3;
out:
    free(m);
    free(dv);
    free(av);
    return rows;
}

/* The Summary sheet: the tables, one under the other, and a chart of the
 * first one to its right. */
static void export_summary(workbook_export *w) {
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, "Summary");
    lxw_row_t row = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s: %ld rows", w->s->name, w->rows);
    worksheet_write_string(ws, row, 0, buf, w->title);
    row += 2;
    worksheet_set_column(ws, 0, 0, 22, NULL);
    worksheet_set_column(ws, 1, 1, 18, NULL);
    if (w->ntables == 0) {
        worksheet_write_string(ws, row, 0,
                               "no fields to summarise by (reporting_period, "
                               "offence_type, nationality, sex, age)",
                               NULL);
        return;
    }
    for (int i = 0; i < w->ntables; i++) {
        lxw_row_t first = 0;
        size_t ncols = 0;
        int label = 0;
        size_t n =
            summary_table(w, ws, &w->tables[i], &row, &first, &ncols, &label);
        if (i != 0 || n == 0) continue;
        lxw_chart *ch = workbook_add_chart(w->wb, w->tables[0].across.field >= 0
                                                      ? LXW_CHART_COLUMN_STACKED
                                                      : LXW_CHART_COLUMN);
        if (!ch) continue;
        lxw_col_t c0 = (lxw_col_t)(label ? 2 : 1);
        size_t ns = ncols < WB_CHART_MAX_SERIES ? ncols : WB_CHART_MAX_SERIES;
        for (size_t k = 0; k < ns; k++) {
            lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
            chart_series_set_categories(se, "Summary", first + 1, 0,
                                        first + (lxw_row_t)n, 0);
            chart_series_set_values(se, "Summary", first + 1,
                                    (lxw_col_t)(c0 + k), first + (lxw_row_t)n,
                                    (lxw_col_t)(c0 + k));
            chart_series_set_name_range(se, "Summary", first,
                                        (lxw_col_t)(c0 + k));
        }
        chart_title_set_name(ch, w->tables[0].title);
        chart_axis_set_name(ch->y_axis, "rows");
        lxw_chart_options co = {.x_scale = 1.5, .y_scale = 1.3};
        worksheet_insert_chart_opt(ws, first, (lxw_col_t)(c0 + ncols + 2), ch,
                                   &co);
    }
}

/* Whether list L is the union of others (named "a+b"), listed by its parts. */
static int wb_union_list(const schema_codelist *l) {
    return l->name && strchr(l->name, '+') != NULL;
}

/* Whether code K of L is for COUNTRY: any code when COUNTRY is NULL or L
 * has no parents, else a subdivision of COUNTRY. */
static int wb_for_country(const schema_codelist *l, size_t k,
                          const char *country) {
    return !country || !l->parents ||
           (l->parents[k] && !strcmp(l->parents[k], country));
}

/* The Codes sheet: every code list with its labels (and parents); of a
 * list with parents, only COUNTRY's codes (NULL: all). */
static void write_codes(lxw_workbook *wb, const schema *s, lxw_format *hdr,
                        wb_buf *text, int *fixed, int *cut,
                        const char *country) {
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Codes");
    int parents = 0;
    for (size_t i = 0; i < s->nlists; i++)
        if (!wb_union_list(s->lists[i]) && s->lists[i]->parents) parents = 1;
    static const char *cols[] = {"list", "code", "label", "parent"};
    static const double widths[] = {22, 18, 50, 10};
    int nc = parents ? 4 : 3;
    for (int c = 0; c < nc; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c], hdr);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t r = 0;
    for (size_t i = 0; i < s->nlists; i++) {
        const schema_codelist *l = s->lists[i];
        if (wb_union_list(l)) continue;
        for (size_t k = 0; k < l->ncodes && r < WB_MAX_ROW; k++) {
            if (!wb_for_country(l, k, country)) continue;
            r++;
            worksheet_write_string(ws, r, 0, l->name, NULL);
            worksheet_write_string(
                ws, r, 1,
                wb_text(text, l->codes[k], strlen(l->codes[k]), fixed, cut),
                NULL);
            if (l->labels[k])
                worksheet_write_string(ws, r, 2,
                                       wb_text(text, l->labels[k],
                                               strlen(l->labels[k]), fixed,
                                               cut),
                                       NULL);
            if (parents && l->parents && l->parents[k])
                worksheet_write_string(ws, r, 3, l->parents[k], NULL);
        }
    }
    worksheet_autofilter(ws, 0, 0, r ? r : 1, (lxw_col_t)(nc - 1));
}

/* Current UTC time as ISO 8601 into OUT. */
static void wb_now(char out[32]) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void about_pair(lxw_worksheet *ws, lxw_row_t r, const char *k,
                       const char *v, lxw_format *bold) {
    worksheet_write_string(ws, r, 0, k, bold);
    worksheet_write_string(ws, r, 1, v ? v : "", NULL);
}

static void export_about(workbook_export *w) {
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, "About");
    const schema *s = w->s;
    char buf[256], now[32];
    worksheet_set_column(ws, 0, 0, 22, NULL);
    worksheet_set_column(ws, 1, 1, 40, NULL);
    worksheet_set_column(ws, 2, 2, 10, NULL);
    worksheet_set_column(ws, 3, 3, 10, NULL);
    worksheet_set_column(ws, 4, 4, 66, NULL);
    lxw_row_t r = 0;
    worksheet_write_string(ws, r++, 0, "RELEC standard workbook", w->title);
    about_pair(ws, r++, "schema", s->name, w->bold);
    about_pair(ws, r++, "schema version", s->version, w->bold);
    about_pair(ws, r++, "schema title", s->title, w->bold);
    about_pair(ws, r++, "schema file", s->path, w->bold);
    wb_now(now);
    about_pair(ws, r++, "generated at", now, w->bold);
    about_pair(ws, r++, "tool", "relec " RELEC_VERSION, w->bold);
    worksheet_write_string(ws, r, 0, "rows", w->bold);
    worksheet_write_number(ws, r++, 1, (double)w->rows, NULL);
    snprintf(buf, sizeof buf, "%ld (%ld errors, %ld warnings)", w->issues.count,
             w->issues.errors, w->issues.warnings);
    about_pair(ws, r++, "findings", buf, w->bold);
    if (w->part > 1) {
        snprintf(buf, sizeof buf,
                 "Data to Data (%d): Excel holds %ld rows a "
                 "sheet",
                 w->part, WORKBOOK_MAX_ROWS);
        about_pair(ws, r++, "data sheets", buf, w->bold);
    }
    r++;
    static const char *cols[] = {"source file", "", "format", "rows", "sha256"};
    for (int c = 0; c < 5; c++)
        if (cols[c][0])
            worksheet_write_string(ws, r, (lxw_col_t)c, cols[c], w->hdr);
    worksheet_write_blank(ws, r, 1, w->hdr);
    for (size_t i = 0; i < w->nsrc; i++) {
        r++;
        worksheet_write_string(ws, r, 0,
                               wb_text(&w->text, w->src[i].name,
                                       strlen(w->src[i].name), &w->fixed,
                                       &w->cut),
                               NULL);
        worksheet_write_string(ws, r, 2, w->src[i].format, NULL);
        worksheet_write_number(ws, r, 3, (double)w->src[i].rows, NULL);
        worksheet_write_string(ws, r, 4,
                               w->src[i].sha[0] ? w->src[i].sha
                                                : "(not hashed: not a file)",
                               NULL);
    }
}

static void export_free(workbook_export *w) {
    for (int i = 0; i < w->ntables; i++)
        strmap_free(&w->tables[i].counts);
    for (size_t i = 0; i < w->nsrc; i++) {
        free(w->src[i].name);
        free(w->src[i].format);
    }
    free(w->src);
    spool_free(&w->issues);
    free(w->text.p);
    free(w->width);
    free(w->dest);
    free(w->tmp);
    free(w);
}

int workbook_export_close(workbook_export *w, const char *prog, char *err,
                          size_t errlen) {
    if (w->issues.failed) {
        snprintf(err, errlen, "cannot write '%s': cannot spool findings: %s",
                 w->dest, strerror(errno));
        workbook_export_abort(w);
        return -1;
    }
    if (w->first_err != LXW_NO_ERROR) {
        snprintf(err, errlen, "cannot write '%s': %s", w->dest,
                 lxw_strerror(w->first_err));
        workbook_export_abort(w);
        return -1;
    }
    export_finish_part(w);
    export_summary(w);
    write_codes(w->wb, w->s, w->hdr, &w->text, &w->fixed, &w->cut, NULL);
    lxw_worksheet *iss = workbook_add_worksheet(w->wb, "Issues");
    char **files = calloc(w->nsrc + 1, sizeof *files);
    for (size_t i = 0; files && i < w->nsrc; i++)
        files[i] = w->src[i].name;
    if (files && !w->nsrc) files[0] = "";
    long left = files
                    ? spool_sheet(&w->issues, iss, files, w->hdr, w->err_fmt,
                                  w->warn_fmt, 1, &w->text, &w->fixed, &w->cut)
                    : 0;
    free(files);
    export_about(w);
    lxw_workbook *wb = w->wb;
    w->wb = NULL;
    int rc = wb_finish(wb, w->tmp, w->dest, err, errlen);
    if (rc == 0 && prog) {
        if (left)
            fprintf(stderr,
                    "%s: note: Issues lists the first %ld findings; %ld more "
                    "did not fit a sheet (use validate --report FILE.csv)\n",
                    prog, (long)WB_MAX_ROW, left);
        if (w->fixed)
            fprintf(stderr,
                    "%s: note: some cells held bytes a workbook "
                    "cannot (invalid UTF-8 or control characters): "
                    "written as U+FFFD\n",
                    prog);
        if (w->cut)
            fprintf(stderr,
                    "%s: note: some cells were longer than %d "
                    "characters and were cut to fit\n",
                    prog, WORKBOOK_MAX_CELL);
    }
    export_free(w);
    return rc;
}

void workbook_export_abort(workbook_export *w) {
    if (!w) return;
    wb_drop(w->wb, w->tmp);
    w->tmp = NULL;
    w->wb = NULL;
    export_free(w);
}

/* ---------------------------------------------------------------------- */
/* relec template                                                         */

#define TEMPLATE_ROWS 5000 /* rows below the header that get validations */

/* The example of field NAME from the schema file, or NULL. */
static const char *field_example(const schema *s, const char *name) {
    if (!s->doc || !s->doc->root) return NULL;
    const ydoc_node *fs = ydoc_get(s->doc->root, "fields");
    if (!fs || fs->kind != YDOC_SEQ) return NULL;
    for (size_t i = 0; i < fs->n; i++) {
        const ydoc_node *nm = ydoc_get(fs->items[i], "name");
        if (!nm || nm->kind != YDOC_SCALAR || strcmp(nm->str, name)) continue;
        const ydoc_node *ex = ydoc_get(fs->items[i], "example");
        return ex && ex->kind == YDOC_SCALAR ? ex->str : NULL;
    }
    return NULL;
}

/* lxw_datetime of "YYYY-MM-DD" (a zero date when it is not one). */
static lxw_datetime wb_dt(const char *iso) {
    lxw_datetime d = {0, 0, 0, 0, 0, 0};
    int y, m, dd;
    if (iso && iso[0] &&
        cal_parse_iso_date(iso, strlen(iso), &y, &m, &dd) == 0) {
        d.year = y;
        d.month = m;
        d.day = dd;
    }
    return d;
}

/* What a field takes, in a sentence for the comment and input message. */
static void field_rule_text(const schema_field *f, char *out, size_t cap) {
    size_t k = 0;
    const char *d = f->description ? f->description : "";
    size_t dn = strlen(d);
    k += (size_t)snprintf(
        out + k, cap - k, "%s%s%s", f->required ? "Required. " : "Optional. ",
        d,
        dn && d[dn - 1] != '.' && f->type == SCHEMA_STRING && f->hint ? "."
                                                                      : "");
    if (k >= cap) return;
    switch (f->type) {
    case SCHEMA_DATE:
        snprintf(out + k, cap - k, " Date, YYYY-MM-DD.");
        break;
    case SCHEMA_INTEGER:
        if (f->c.has_min && f->c.has_max)
            k += (size_t)snprintf(out + k, cap - k, " Whole number, %g to %g.",
                                  f->c.min, f->c.max);
        else if (f->c.has_min)
            k += (size_t)snprintf(out + k, cap - k,
                                  " Whole number, at least %g.", f->c.min);
        else
            k += (size_t)snprintf(out + k, cap - k, " Whole number.");
        if (k < cap && f->suppress_below)
            snprintf(out + k, cap - k, " A count of 1 to %ld: write <%ld.",
                     f->suppress_below - 1, f->suppress_below);
        break;
    case SCHEMA_NUMBER:
        snprintf(out + k, cap - k, " Number.");
        break;
    case SCHEMA_CODE:
        snprintf(out + k, cap - k,
                 " Pick a code from the list (sheet Codes: "
                 "%s).",
                 f->codes ? f->codes->name : "");
        break;
    case SCHEMA_LIST:
        snprintf(out + k, cap - k, " Codes joined by '%c' (sheet Codes: %s).",
                 f->separator ? f->separator : ';',
                 f->codes ? f->codes->name : "");
        break;
    case SCHEMA_BOOLEAN:
        snprintf(out + k, cap - k, " true or false.");
        break;
    default: /* words, never the pattern: a hint, an example */
        if (f->hint)
            k += (size_t)snprintf(out + k, cap - k, " Write %s.", f->hint);
        if (k < cap && f->example && f->c.pattern_src)
            snprintf(out + k, cap - k, " For example %s.", f->example);
        break;
    }
}

/* The validation of a count field with suppress_below K: one of the allow
 * literals ("<5"), or a whole number that is 0 or from K (to the maximum);
 * a count of 1 to K-1 is refused, as relec validate refuses it. */
static void small_count_formula(const schema_field *f, lxw_col_t c, char *out,
                                size_t cap, lxw_data_validation *dv) {
    char col[16], cell[24];
    lxw_col_to_name(col, c, 0);
    snprintf(cell, sizeof cell, "%s2", col);
    size_t k = (size_t)snprintf(out, cap, "=OR(");
    for (size_t i = 0; i < f->nallow && k < cap; i++)
        if (!strchr(f->allow[i], '"'))
            k += (size_t)snprintf(out + k, cap - k, "%s=\"%s\",", cell,
                                  f->allow[i]);
    if (k >= cap) return;
    k += (size_t)snprintf(out + k, cap - k,
                          "AND(ISNUMBER(%s),%s=INT(%s),OR(%s=0,%s>=%ld)", cell,
                          cell, cell, cell, cell, f->suppress_below);
    if (k < cap && f->c.has_max)
        k += (size_t)snprintf(out + k, cap - k, ",%s<=%.0f", cell, f->c.max);
    if (k < cap) snprintf(out + k, cap - k, "))");
    if (k >= cap) return;
    dv->validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
    dv->value_formula = out;
    dv->criteria = LXW_VALIDATION_CRITERIA_NONE;
    dv->error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
}

/* About lines for a table key, small counts and sums: what a row must be
 * besides its cells. Returns the next free row. */
static lxw_row_t about_table_rules(lxw_worksheet *about, lxw_row_t r,
                                   const schema *s) {
    char buf[1024];
    size_t k;
    if (s->key.n) {
        k = (size_t)snprintf(buf, sizeof buf, "One row per ");
        for (size_t i = 0; i < s->key.n && k < sizeof buf; i++)
            k +=
                (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", i ? ", " : "",
                                 s->fields[s->key.fields[i]].name);
        for (size_t i = 0, first = 1; i < s->key.n && k < sizeof buf; i++) {
            if (!s->key.defaults[i]) continue;
            k += (size_t)snprintf(buf + k, sizeof buf - k,
                                  "%s%s empty means %s", first ? "; " : ", ",
                                  s->fields[s->key.fields[i]].name,
                                  s->key.defaults[i]);
            first = 0;
        }
        if (k < sizeof buf)
            snprintf(buf + k, sizeof buf - k,
                     ". A repeated row is an error, never a sum.");
        about_pair(about, r++, "", buf, NULL);
    }
    for (size_t i = 0; i < s->nfields; i++) {
        const schema_field *f = &s->fields[i];
        if (!f->suppress_below) continue;
        snprintf(buf, sizeof buf,
                 "%s: a count of 1 to %ld is written <%ld; 0 stays 0.", f->name,
                 f->suppress_below - 1, f->suppress_below);
        about_pair(about, r++, "", buf, NULL);
    }
    if (s->sums.n) {
        k = (size_t)snprintf(buf, sizeof buf,
                             "Breakdowns add up: the rows that differ from a "
                             "total row only in ");
        for (size_t i = 0; i < s->sums.n && k < sizeof buf; i++)
            k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s (%s)",
                                  i == 0               ? ""
                                  : i + 1 == s->sums.n ? " or "
                                                       : ", ",
                                  s->fields[s->sums.fields[i]].name,
                                  s->sums.totals[i]);
        if (k < sizeof buf)
            snprintf(buf + k, sizeof buf - k,
                     " add up to it, where both are given.");
        about_pair(about, r++, "", buf, NULL);
    }
    return r;
}

/* The examples a template for COUNTRY gives instead of the schema's, so
 * that its example row still keeps the rules (NULL entries: the schema's):
 * the field a subdivision's country is compared with is COUNTRY, and a
 * field whose first letters are compared with that one starts with it.
 * Returns a calloc'd array of malloc'd strings, nfields long. */
static char **country_examples(const schema *s, const char *country) {
    char **ex = calloc(s->nfields + 1, sizeof *ex);
    if (!ex || !country) return ex;
    size_t cn = strlen(country);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < s->nrules; i++) {
            const schema_rule *r = &s->rules[i];
            if (r->then_field >= 0 || r->op != SCHEMA_OP_EQ) continue;
            for (int side = 0; side < 2; side++) {
                const schema_operand *a = side ? &r->right : &r->left;
                const schema_operand *b = side ? &r->left : &r->right;
                if (b->field < 0 || b->via >= 0 || a->field < 0 || a->via >= 0)
                    continue;
                if (pass == 0 && a->parent && !ex[b->field])
                    ex[b->field] = strdup(country);
                const char *old = field_example(s, s->fields[a->field].name);
                if (pass == 1 && (size_t)a->prefix == cn && ex[b->field] &&
                    !ex[a->field] && old && strlen(old) >= cn) {
                    ex[a->field] = strdup(old);
                    if (ex[a->field]) memcpy(ex[a->field], country, cn);
                }
            }
        }
    return ex;
}

int workbook_template_write(const char *dest, const schema *s,
                            const char *country, char *err, size_t errlen) {
    if (s->nfields > 16384) {
        snprintf(err, errlen, "schema %s has %zu fields; a sheet holds 16384",
                 s->name, s->nfields);
        return -1;
    }
    char *tmp;
    lxw_workbook *wb = wb_new(dest, 0, 0, &tmp, err, errlen);
    if (!wb) return -1;
    lxw_format *req = workbook_add_format(wb);
    format_set_bold(req);
    format_set_bg_color(req, 0xF8CBAD);
    format_set_bottom(req, LXW_BORDER_THIN);
    lxw_format *opt = workbook_add_format(wb);
    format_set_bold(opt);
    format_set_bg_color(opt, 0xD9E1F2);
    format_set_bottom(opt, LXW_BORDER_THIN);
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *intf = workbook_add_format(wb);
    format_set_num_format(intf, "0");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *ex_text = workbook_add_format(wb);
    format_set_num_format(ex_text, "@");
    format_set_italic(ex_text);
    format_set_font_color(ex_text, 0x595959);
    lxw_format *ex_date = workbook_add_format(wb);
    format_set_num_format(ex_date, "yyyy-mm-dd");
    format_set_italic(ex_date);
    format_set_font_color(ex_date, 0x595959);
    lxw_format *ex_int = workbook_add_format(wb);
    format_set_num_format(ex_int, "0");
    format_set_italic(ex_int);
    format_set_font_color(ex_int, 0x595959);

    lxw_worksheet *ws = workbook_add_worksheet(wb, "Data");
    wb_buf tb = {0};
    int fixed = 0, cut = 0;
    write_codes(wb, s, opt, &tb, &fixed, &cut, country);
    lxw_worksheet *about = workbook_add_worksheet(wb, "About");
    lxw_worksheet *lists = workbook_add_worksheet(wb, "Lists");
    worksheet_hide(lists);
    worksheet_activate(ws);

    /* hidden Lists: one column per code list a field uses */
    const schema_codelist **used = calloc(s->nfields + 1, sizeof *used);
    int *lcol = calloc(s->nfields + 1, sizeof *lcol);
    size_t *lcount = calloc(s->nfields + 1, sizeof *lcount); /* per list */
    char **exo = country_examples(s, country);
    size_t nused = 0;
    if (!used || !lcol || !lcount || !exo) {
        free(used);
        free(lcol);
        free(lcount);
        free(exo);
        free(tb.p);
        wb_drop(wb, tmp);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < s->nfields; i++) {
        const schema_field *f = &s->fields[i];
        lcol[i] = -1;
        if ((f->type != SCHEMA_CODE && f->type != SCHEMA_LIST) || !f->codes ||
            f->codes->ncodes == 0)
            continue;
        size_t j = 0;
        while (j < nused && used[j] != f->codes)
            j++;
        if (j == nused) {
            used[nused++] = f->codes;
            worksheet_write_string(lists, 0, (lxw_col_t)j, f->codes->name,
                                   bold);
            for (size_t k = 0; k < f->codes->ncodes && lcount[j] < WB_MAX_ROW;
                 k++)
                if (wb_for_country(f->codes, k, country))
                    worksheet_write_string(lists, (lxw_row_t)++lcount[j],
                                           (lxw_col_t)j, f->codes->codes[k],
                                           text);
        }
        lcol[i] = lcount[j] ? (int)j : -1;
    }

    char msg[1024], title[40], input[256], formula[64], col[16];
    char cformula[512];
    for (size_t i = 0; i < s->nfields; i++) {
        const schema_field *f = &s->fields[i];
        lxw_col_t c = (lxw_col_t)i;
        worksheet_write_string(ws, 0, c, f->name, f->required ? req : opt);
        field_rule_text(f, msg, sizeof msg);
        lxw_comment_options co = {
            .author = "relec", .width = 300, .height = 120};
        worksheet_write_comment_opt(ws, 0, c, msg, &co);
        double width = wb_width(f->name, strlen(f->name)) + 3;
        lxw_format *cf = text, *ef = ex_text;
        if (f->type == SCHEMA_DATE) cf = date, ef = ex_date;
        if (f->type == SCHEMA_INTEGER) cf = intf, ef = ex_int;
        if (f->type == SCHEMA_NUMBER || f->type == SCHEMA_BOOLEAN)
            cf = NULL, ef = ex_int;
        if (f->type == SCHEMA_NUMBER || f->type == SCHEMA_BOOLEAN) {
            ef = workbook_add_format(wb);
            format_set_italic(ef);
            format_set_font_color(ef, 0x595959);
        }
        if (width < 12) width = 12;
        if (f->type == SCHEMA_STRING && width < 20) width = 20;
        worksheet_set_column(ws, c, c, width, cf);

        /* the validation of rows 2.. */
        lxw_data_validation dv;
        memset(&dv, 0, sizeof dv);
        dv.ignore_blank = LXW_VALIDATION_ON;
        dv.show_input = LXW_VALIDATION_ON;
        dv.show_error = LXW_VALIDATION_ON;
        dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
        char *bools[] = {"true", "false", NULL};
        switch (f->type) {
        case SCHEMA_CODE:
        case SCHEMA_LIST:
            if (lcol[i] < 0) { /* no codes: only the message */
                dv.validate = LXW_VALIDATION_TYPE_LENGTH;
                dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
                dv.minimum_number = 0;
                dv.maximum_number = WORKBOOK_MAX_CELL;
                break;
            }
            lxw_col_to_name(col, (lxw_col_t)lcol[i], 1);
            snprintf(formula, sizeof formula, "=Lists!%s$2:%s$%zu", col, col,
                     lcount[lcol[i]] + 1);
            dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
            dv.value_formula = formula;
            /* a list field holds several codes: offer the list, accept
             * joined codes (relec validate checks each) */
            if (f->type == SCHEMA_LIST)
                dv.error_type = LXW_VALIDATION_ERROR_TYPE_INFORMATION;
            break;
        case SCHEMA_BOOLEAN:
            dv.validate = LXW_VALIDATION_TYPE_LIST;
            dv.value_list = bools;
            break;
        case SCHEMA_INTEGER:
        case SCHEMA_NUMBER:
            dv.validate = f->type == SCHEMA_INTEGER
                              ? LXW_VALIDATION_TYPE_INTEGER
                              : LXW_VALIDATION_TYPE_DECIMAL;
            dv.minimum_number = f->c.has_min ? f->c.min : -1e15;
            dv.maximum_number = f->c.has_max ? f->c.max : 1e15;
            dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
            /* extra literals such as "<5" must stay enterable */
            if (f->nallow) dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
            /* small counts: "<K" or a whole number that is 0 or at least
             * K, refused otherwise (the formula is relative to row 2) */
            if (f->suppress_below && f->type == SCHEMA_INTEGER)
                small_count_formula(f, c, cformula, sizeof cformula, &dv);
            break;
        case SCHEMA_DATE:
            dv.validate = LXW_VALIDATION_TYPE_DATE;
            dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
            dv.minimum_datetime =
                wb_dt(f->c.min_date[0] ? f->c.min_date : "1900-03-01");
            dv.maximum_datetime =
                wb_dt(f->c.max_date[0] ? f->c.max_date : "9999-12-31");
            break;
        default:
            /* a length check always: without bounds it is Excel's cell
             * limit, and carries the input message (libxlsxwriter 1.1.4
             * leaks the messages of TYPE_ANY validations) */
            dv.validate = LXW_VALIDATION_TYPE_LENGTH;
            dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
            dv.minimum_number = f->c.min_len >= 0 ? (double)f->c.min_len : 0;
            dv.maximum_number =
                f->c.max_len >= 0 ? (double)f->c.max_len : WORKBOOK_MAX_CELL;
            break;
        }
        wb_cut(f->name, title, 33);
        wb_cut(msg, input, 256);
        dv.input_title = title;
        dv.input_message = input;
        dv.error_title = title;
        dv.error_message = input;
        worksheet_data_validation_range(ws, 1, c, TEMPLATE_ROWS, c, &dv);

        /* the example, typed as a user would enter it; a subdivision of
         * another country gives way to the first of COUNTRY's */
        const char *ex = exo[i] ? exo[i] : field_example(s, f->name);
        if (ex && country && f->type == SCHEMA_CODE && f->codes->parents) {
            long k = schema_code_find(f->codes, ex, strlen(ex));
            for (size_t j = 0;
                 k >= 0 && !wb_for_country(f->codes, (size_t)k, country) &&
                 j < f->codes->ncodes;
                 j++)
                if (wb_for_country(f->codes, j, country)) k = (long)j;
            ex = k >= 0 ? f->codes->codes[k] : NULL;
        }
        if (!ex || !ex[0]) continue;
        double v;
        if (f->type == SCHEMA_DATE && wb_serial(ex, strlen(ex)) > 0)
            worksheet_write_number(ws, 1, c, wb_serial(ex, strlen(ex)), ef);
        else if ((f->type == SCHEMA_INTEGER || f->type == SCHEMA_NUMBER) &&
                 wb_number(ex, strlen(ex), &v))
            worksheet_write_number(ws, 1, c, v, ef);
        else if (f->type == SCHEMA_BOOLEAN &&
                 (!strcmp(ex, "true") || !strcmp(ex, "false")))
            worksheet_write_boolean(ws, 1, c, ex[0] == 't', ef);
        else
            worksheet_write_string(
                ws, 1, c, wb_text(&tb, ex, strlen(ex), &fixed, &cut), ef);
    }
    worksheet_freeze_panes(ws, 1, 0);

    /* About: what the template is and how to fill it */
    char now[32];
    wb_now(now);
    worksheet_set_column(about, 0, 0, 22, NULL);
    worksheet_set_column(about, 1, 1, 90, NULL);
    lxw_row_t r = 0;
    worksheet_write_string(about, r++, 0, "RELEC data-entry template", bold);
    about_pair(about, r++, "schema", s->name, bold);
    about_pair(about, r++, "schema version", s->version, bold);
    about_pair(about, r++, "schema title", s->title, bold);
    about_pair(about, r++, "generated at", now, bold);
    about_pair(about, r++, "tool", "relec " RELEC_VERSION, bold);
    r++;
    about_pair(about, r++, "how to fill",
               "One row per record on sheet Data, from row 2. Row 2 is an "
               "example: overwrite it or delete it.",
               bold);
    about_pair(about, r++, "",
               "Orange headers are required columns; blue ones are optional. "
               "Hover a header for what the column takes.",
               NULL);
    about_pair(about, r++, "",
               "Do not rename, reorder or delete the header row. Codes and "
               "their meanings are on sheet Codes.",
               NULL);
    r = about_table_rules(about, r, s);
    snprintf(msg, sizeof msg,
             "Check the file with: relec validate -s %s.yaml "
             "FILE.xlsx",
             s->name);
    about_pair(about, r++, "", msg, NULL);

    free(used);
    free(lcol);
    free(lcount);
    for (size_t i = 0; i < s->nfields; i++)
        free(exo[i]);
    free(exo);
    free(tb.p);
    int rc = wb_finish(wb, tmp, dest, err, errlen);
    free(tmp);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* relec validate --report FILE.xlsx                                      */

/* Spool record tags. */
enum {
    REC_HEADER = 'H',
    REC_ROW = 'R',
    REC_TITLE = 'T',
    REC_SHEET = 'S',   /* another sheet of the input: name, "h" hidden */
    REC_COPY = 'O',    /* a row of that sheet, copied */
    REC_DROPDOWN = 'V' /* a dropdown of the sheet checked: range, formula */
};

/* The report in progress: rows spooled until close. */
typedef struct wb_report {
    const schema *s; /* borrowed */
    char *dest;      /* destination */
    FILE *rows;      /* spool of header and row records */
    wb_spool finds;  /* every finding, for the Findings sheet */
    char **files;    /* input names, in order */
    char **sheets;   /* per input: "\t" and its sheet's name, or NULL */
    size_t nfiles;   /* how many */
    int announced;   /* workbook_report_file() named the current input */
    char **hdr;      /* current file's header names (trimmed) */
    size_t nhdr;     /* how many */
    long nrows;      /* data rows spooled */
    size_t maxcols;  /* widest row */
    int failed;      /* a spool write failed */
    wb_buf text;     /* scratch */
} wb_report;

static void rep_put(wb_report *r, const void *p, size_t n) {
    if (!r->failed && n && fwrite(p, 1, n, r->rows) != n) r->failed = 1;
}

static void rep_u32(wb_report *r, uint32_t v) {
    rep_put(r, &v, sizeof v);
}

void *workbook_report_open(const char *path, const schema *s, char *err,
                           size_t errlen) {
    wb_report *r = calloc(1, sizeof *r);
    if (!r || !(r->dest = strdup(path))) {
        free(r);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->s = s;
    /* fail early on an unwritable destination or an input of the run */
    outfile probe;
    if (strcmp(path, "-") == 0) {
        snprintf(err, errlen,
                 "cannot write a workbook to standard output: "
                 "give a file name");
        free(r->dest);
        free(r);
        return NULL;
    }
    if (outfile_open(&probe, path, err, errlen) < 0) {
        free(r->dest);
        free(r);
        return NULL;
    }
    outfile_abort(&probe);
    r->rows = tmpfile();
    if (!r->rows) {
        snprintf(err, errlen, "cannot write '%s': no temporary file: %s", path,
                 strerror(errno));
        free(r->dest);
        free(r);
        return NULL;
    }
    return r;
}

static void rep_free_hdr(wb_report *r) {
    for (size_t i = 0; i < r->nhdr; i++)
        free(r->hdr[i]);
    free(r->hdr);
    r->hdr = NULL;
    r->nhdr = 0;
}

/* Column of FIELD in the current file's header, or -1. */
static int rep_column(const wb_report *r, const char *field) {
    if (!field[0]) return -1;
    for (size_t i = 0; i < r->nhdr; i++)
        if (r->hdr[i] && !strcmp(r->hdr[i], field)) return (int)i;
    return -1;
}

/* Spools the cells of a row, each with its kind (SOURCE_CELL_*). */
static void rep_cells(wb_report *r, const source_row *row) {
    rep_u32(r, (uint32_t)row->ncells);
    for (size_t i = 0; i < row->ncells; i++) {
        size_t n = row->cells[i].n;
        unsigned char k = row->kinds ? row->kinds[i] : SOURCE_CELL_TEXT;
        rep_u32(r, (uint32_t)n);
        rep_put(r, row->cells[i].p, n);
        rep_put(r, &k, 1);
    }
    if (row->ncells > r->maxcols) r->maxcols = row->ncells;
}

/* Spools the marks of findings F: column, severity, text. */
static void rep_marks(wb_report *r, const check_finding *f, size_t nf) {
    rep_u32(r, (uint32_t)nf);
    for (size_t i = 0; i < nf; i++) {
        int col = rep_column(r, f[i].field);
        /* a header finding on a named column marks that header cell */
        size_t n = wb_finding_text(&r->text, f[i].field, strlen(f[i].field),
                                   f[i].message, strlen(f[i].message),
                                   check_code_name(f[i].code));
        rep_u32(r, (uint32_t)(col + 1));
        rep_u32(r, (uint32_t)f[i].severity);
        rep_u32(r, (uint32_t)n);
        rep_put(r, r->text.p, n);
        spool_put(&r->finds, (uint32_t)(r->nfiles - 1), 0, &f[i]);
    }
}

/* Adds input FILE, read from sheet SHEET (NULL: a CSV). */
static void rep_add_file(wb_report *r, const char *file, const char *sheet) {
    char **v = realloc(r->files, (r->nfiles + 1) * sizeof *v);
    if (v) r->files = v;
    char **w = realloc(r->sheets, (r->nfiles + 1) * sizeof *w);
    if (w) r->sheets = w;
    if (!v || !w || !(v[r->nfiles] = strdup(file))) {
        r->failed = 1;
        return;
    }
    w[r->nfiles] = NULL;
    if (sheet && (w[r->nfiles] = malloc(strlen(sheet) + 2)))
        w[r->nfiles][0] = '\t', strcpy(w[r->nfiles] + 1, sheet);
    r->nfiles++;
}

void workbook_report_file(void *vw, const char *file, const char *sheet) {
    wb_report *r = vw;
    rep_add_file(r, file, sheet);
    r->announced = 1;
}

/* Spools a record's tag, row number and cells (its marks follow). */
static void rep_record(wb_report *r, const char *tag, const source_row *row) {
    rep_put(r, tag, 1);
    int64_t rn = row->row;
    rep_put(r, &rn, sizeof rn);
    rep_cells(r, row);
}

void workbook_report_sheet(void *vw, const char *sheet, int hidden) {
    wb_report *r = vw;
    source_cell c[2] = {{sheet, strlen(sheet)}, {"h", hidden ? 1u : 0u}};
    source_row row = {c, 2, 0, 0, NULL};
    rep_record(r, "S", &row);
    rep_u32(r, 0);
}

void workbook_report_dropdowns(void *vw, const source_dropdown *d, size_t n) {
    wb_report *r = vw;
    for (size_t i = 0; i < n; i++) {
        source_cell c[2] = {{d[i].range, strlen(d[i].range)},
                            {d[i].formula, strlen(d[i].formula)}};
        source_row row = {c, 2, 0, 0, NULL};
        rep_record(r, "V", &row);
        rep_u32(r, 0);
    }
}

void workbook_report_copy(void *vw, const source_row *row) {
    wb_report *r = vw;
    rep_record(r, "O", row);
    rep_u32(r, 0);
}

void workbook_report_title(void *vw, const source_row *row) {
    wb_report *r = vw;
    if (!r->announced) return;
    rep_record(r, "T", row);
    rep_u32(r, 0); /* no marks */
}

void workbook_report_header(void *vw, const char *file, const source_row *hdr,
                            const check_finding *f, size_t nf) {
    wb_report *r = vw;
    if (!r->announced) rep_add_file(r, file, NULL);
    r->announced = 0;
    if (r->failed) return;
    rep_free_hdr(r);
    r->hdr = calloc(hdr->ncells + 1, sizeof *r->hdr);
    if (!r->hdr) {
        r->failed = 1;
        return;
    }
    r->nhdr = hdr->ncells;
    for (size_t i = 0; i < hdr->ncells; i++) {
        const char *p = hdr->cells[i].p;
        size_t n = hdr->cells[i].n;
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        r->hdr[i] = strndup(p, n);
    }
    rep_record(r, "H", hdr);
    rep_marks(r, f, nf);
}

void workbook_report_row(void *vw, const source_row *row,
                         const check_finding *f, size_t nf) {
    wb_report *r = vw;
    if (!r->nfiles) return;
    rep_record(r, "R", row);
    rep_marks(r, f, nf);
    r->nrows++;
}

void workbook_report_findings(void *vw, const check_finding *f, size_t nf) {
    wb_report *r = vw;
    if (!r->nfiles) return;
    for (size_t i = 0; i < nf; i++)
        spool_put(&r->finds, (uint32_t)(r->nfiles - 1), 0, &f[i]);
}

static int rd_u32(FILE *fp, uint32_t *v) {
    return fread(v, sizeof *v, 1, fp) == 1 ? 0 : -1;
}

/* Number formats of the date and time cells a reader gives (REP_*). */
enum { REP_DATE, REP_DATETIME, REP_TIME, REP_NDATE };

/* The serial of a date or time cell's ISO text ("2025-03-02",
 * "2025-03-02T14:30:00", "14:30:00"), and which REP_* shows it; 0 when it
 * is none Excel can show. */
static int rep_serial(const char *p, size_t n, double *v, int *kind) {
    unsigned hh, mi, ss;
    char t[9];
    const char *tp = NULL;
    int y, m, d;
    if (n == 8) {
        tp = p, *v = 0, *kind = REP_TIME;
    } else if (n == 19 && p[10] == 'T' && (*v = wb_serial(p, 10)) > 0) {
        tp = p + 11, *kind = REP_DATETIME;
    } else if (n == 10 && cal_parse_iso_date(p, n, &y, &m, &d) == 0 &&
               y == 1900 && m < 3) { /* serials 1-59, before Excel's 02-29 */
        *kind = REP_DATE;
        *v = (double)(cal_days_from_civil(y, m, d) -
                      cal_days_from_civil(1899, 12, 31));
        return 1;
    } else {
        *kind = REP_DATE;
        return (*v = wb_serial(p, n)) > 0;
    }
    memcpy(t, tp, 8);
    t[8] = 0;
    if (sscanf(t, "%2u:%2u:%2u", &hh, &mi, &ss) != 3 || hh > 23 || mi > 59 ||
        ss > 59)
        return 0;
    *v += (hh * 3600.0 + mi * 60.0 + ss) / 86400.0;
    return 1;
}

/* Formats and state for replaying the spool into sheets. */
typedef struct rep_out {
    lxw_workbook *wb; /* the workbook */
    int comments;     /* findings as cell comments */
    long ncomments;   /* comments written: libxlsxwriter places each one
                         by summing the columns before it, so they are
                         bounded (WB_MAX_COMMENTS, WB_ROW_COMMENTS) */
    lxw_format *hdr, *err, *warn, *hdr_err, *hdr_warn; /* formats */
    lxw_format *dfmt[REP_NDATE][3]; /* date formats: plain, error, warning */
    lxw_worksheet *ws;              /* current sheet */
    lxw_row_t next;                 /* first row index free in ws */
    lxw_row_t last;                 /* last row written */
    lxw_row_t hrow;                 /* the header's row */
    int plain;       /* the sheet is another sheet of the input, copied */
    const schema *s; /* the schema, for dropdowns */
    const schema_codelist **lu; /* lists of the hidden sheet, by column */
    size_t nlu;                 /* how many */
    int *dv;                    /* per column: its code list's column in
                                   lists, or -1 (nwidth entries) */
    lxw_col_t fcol;             /* the findings column */
    double *width;              /* column widths seen */
    size_t nwidth;              /* entries in width */
} rep_out;

/* Finishes the current sheet: widths, autofilter, ignore numbers-as-text. */
/* The column of code list L on the hidden lists sheet (written last, by
 * rep_write_lists()); -1 when there is no room. */
static int rep_list(rep_out *o, const schema_codelist *l) {
    for (size_t j = 0; j < o->nlu; j++)
        if (o->lu[j] == l) return (int)j;
    if (o->nlu >= o->s->nfields || o->nlu >= 16384) return -1;
    o->lu[o->nlu] = l;
    return (int)o->nlu++;
}

/* The hidden sheet the dropdowns read, after every other sheet. */
static void rep_write_lists(rep_out *o) {
    if (!o->nlu) return;
    lxw_worksheet *ws = workbook_add_worksheet(o->wb, "relec lists");
    if (!ws) return;
    worksheet_hide(ws);
    for (size_t j = 0; j < o->nlu; j++) {
        const schema_codelist *l = o->lu[j];
        worksheet_write_string(ws, 0, (lxw_col_t)j, l->name, NULL);
        for (size_t k = 0; k < l->ncodes && k < WB_MAX_ROW; k++)
            worksheet_write_string(ws, (lxw_row_t)(k + 1), (lxw_col_t)j,
                                   l->codes[k], NULL);
    }
}

/* After the header of a sheet: which columns are code fields, whose cells
 * get the schema's dropdown. */
static void rep_dropdowns(rep_out *o, const char *cells, const size_t *off,
                          const size_t *len, size_t nc) {
    for (size_t c = 0; c < o->nwidth; c++)
        o->dv[c] = -1;
    for (size_t c = 0; c < nc && c < o->nwidth; c++) {
        const char *p = cells + off[c];
        size_t n = len[c];
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        int f = n ? schema_field_index(o->s, p, n) : -1;
        if (f < 0) continue;
        const schema_field *fd = &o->s->fields[f];
        if ((fd->type == SCHEMA_CODE || fd->type == SCHEMA_LIST) && fd->codes &&
            fd->codes->ncodes)
            o->dv[c] = rep_list(o, fd->codes);
    }
}

/* A dropdown of the input (range and formula, cells 0 and 1 at CELLS),
 * on the current sheet; the schema's gives way on its columns. */
static void rep_dropdown(rep_out *o, const char *cells, const size_t *off,
                         const size_t *len, wb_buf *b) {
    if (!o->ws || o->plain || len[0] > 4000 || len[1] > 1000 ||
        buf_reserve(b, len[0] + len[1] + 4) < 0)
        return;
    char *range = b->p, *f = b->p + len[0] + 1;
    memcpy(range, cells + off[0], len[0]);
    range[len[0]] = 0;
    f[0] = '=';
    memcpy(f + 1, cells + off[1], len[1]);
    f[len[1] + 1] = 0;
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    dv.value_formula = f; /* a literal list "a,b" is a formula too */
    dv.ignore_blank = LXW_VALIDATION_ON;
    dv.show_error = LXW_VALIDATION_ON;
    for (char *t = strtok(range, " "); t; t = strtok(NULL, " ")) {
        char *colon = strchr(t, ':');
        lxw_row_t r1 = lxw_name_to_row(t), r2 = r1;
        lxw_col_t c1 = lxw_name_to_col(t), c2 = c1;
        if (colon) r2 = lxw_name_to_row_2(t), c2 = lxw_name_to_col_2(t);
        if (r2 < r1 || c2 < c1) continue;
        worksheet_data_validation_range(o->ws, r1, c1, r2, c2, &dv);
        for (lxw_col_t c = c1; o->dv && c <= c2 && c < o->nwidth; c++)
            o->dv[c] = -1;
    }
}

static void rep_finish_sheet(rep_out *o) {
    if (!o->ws) return;
    /* the schema's dropdowns on code columns, for the rows there are and
     * a thousand more; a warning, not a stop, as bad values stand */
    lxw_row_t last = o->last + 1000 < WB_MAX_ROW ? o->last + 1000 : WB_MAX_ROW;
    for (size_t c = 0; o->dv && c < o->nwidth && c < o->fcol; c++) {
        if (o->dv[c] < 0) continue;
        char col[16], formula[64];
        lxw_col_to_name(col, (lxw_col_t)o->dv[c], 1);
        snprintf(formula, sizeof formula, "='relec lists'!%s$2:%s$%zu", col,
                 col, o->lu[o->dv[c]]->ncodes + 1);
        lxw_data_validation dv;
        memset(&dv, 0, sizeof dv);
        dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
        dv.value_formula = formula;
        dv.ignore_blank = LXW_VALIDATION_ON;
        dv.show_error = LXW_VALIDATION_ON;
        dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
        worksheet_data_validation_range(o->ws, o->hrow + 1, (lxw_col_t)c, last,
                                        (lxw_col_t)c, &dv);
        o->dv[c] = -1;
    }
    for (size_t c = 0; c < o->nwidth && c <= o->fcol; c++) {
        double wd = o->width[c] + 2;
        if (wd < 8) wd = 8;
        if (wd > WB_WIDTH_MAX) wd = WB_WIDTH_MAX;
        worksheet_set_column(o->ws, (lxw_col_t)c, (lxw_col_t)c, wd, NULL);
    }
    if (o->plain) return; /* copied as it was: no filter, no marks */
    worksheet_autofilter(o->ws, o->hrow, 0,
                         o->last > o->hrow ? o->last : o->hrow + 1, o->fcol);
    char range[64];
    lxw_rowcol_to_range(range, 0, 0, o->last ? o->last : 1, o->fcol);
    worksheet_ignore_errors(o->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, range);
}

int workbook_report_close(void *vw, char *err, size_t errlen) {
    wb_report *r = vw;
    if (r->failed || r->finds.failed || fflush(r->rows) != 0) {
        snprintf(err, errlen, "cannot write '%s': cannot spool rows: %s",
                 r->dest, strerror(errno));
        workbook_report_abort(r);
        return -1;
    }
    int constant = (double)r->nrows * (double)(r->maxcols + 1) >
                   (double)WORKBOOK_REPORT_COMMENT_CELLS;
    long spool_bytes = ftell(r->rows);
    char *tmp;
    lxw_workbook *wb =
        wb_new(r->dest, constant, spool_bytes > (1L << 30), &tmp, err, errlen);
    if (!wb) {
        workbook_report_abort(r);
        return -1;
    }
    if (constant)
        fprintf(stderr,
                "relec validate: note: %s: %ld rows of %zu columns: too many "
                "for cell comments; bad cells are highlighted, and the "
                "findings are in the last column and on sheet Findings\n",
                r->dest, r->nrows, r->maxcols);
    rep_out o = {0};
    o.wb = wb;
    o.comments = !constant;
    o.hdr = workbook_add_format(wb);
    format_set_bold(o.hdr);
    format_set_bg_color(o.hdr, 0xD9E1F2);
    format_set_bottom(o.hdr, LXW_BORDER_THIN);
    o.err = workbook_add_format(wb);
    format_set_bg_color(o.err, 0xFFC7CE);
    format_set_font_color(o.err, 0x9C0006);
    o.warn = workbook_add_format(wb);
    format_set_bg_color(o.warn, 0xFFEB9C);
    format_set_font_color(o.warn, 0x9C5700);
    o.hdr_err = workbook_add_format(wb);
    format_set_bold(o.hdr_err);
    format_set_bg_color(o.hdr_err, 0xFFC7CE);
    format_set_font_color(o.hdr_err, 0x9C0006);
    o.hdr_warn = workbook_add_format(wb);
    format_set_bold(o.hdr_warn);
    format_set_bg_color(o.hdr_warn, 0xFFEB9C);
    format_set_font_color(o.hdr_warn, 0x9C5700);
    static const char *const dcode[REP_NDATE] = {
        "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss", "hh:mm:ss"};
    for (int d = 0; d < REP_NDATE; d++)
        for (int k = 0; k < 3; k++) {
            lxw_format *f = o.dfmt[d][k] = workbook_add_format(wb);
            format_set_num_format(f, dcode[d]);
            if (k) format_set_bg_color(f, k == 1 ? 0xFFC7CE : 0xFFEB9C);
            if (k) format_set_font_color(f, k == 1 ? 0x9C0006 : 0x9C5700);
        }
    o.nwidth = r->maxcols + 1;
    o.width = calloc(o.nwidth, sizeof *o.width);
    o.s = r->s;
    o.dv = malloc(o.nwidth * sizeof *o.dv);
    o.lu = calloc(r->s->nfields + 1, sizeof *o.lu);
    for (size_t c = 0; o.dv && c < o.nwidth; c++)
        o.dv[c] = -1;
    /* sheet names: one per input, continuation parts named on the fly */
    char **names = calloc(r->nfiles + 1, sizeof *names);
    size_t nnames = 0;
    int fixed = 0, cut = 0, rc = 0;
    size_t file = 0;
    int part = 1, titles = 0; /* titles: the sheet began with title rows */
    char name[32];
    /* per row: marks, as (column + 1, severity, text) */
    uint32_t *mcol = NULL, *msev = NULL;
    size_t *moff = NULL, mcap = 0;
    wb_buf cells = {0}, marks = {0}, join = {0}, ckind = {0};
    size_t *coff = NULL, *clen = NULL, ccap = 0;
    rewind(r->rows);
    int tag;
    if (!o.width || !names) rc = -1;
    while (rc == 0 && (tag = fgetc(r->rows)) != EOF) {
        int64_t rn;
        uint32_t nc, nm;
        if (fread(&rn, sizeof rn, 1, r->rows) != 1 || rd_u32(r->rows, &nc)) {
            rc = -1;
            break;
        }
        /* cells */
        if (nc > ccap || !coff) {
            size_t *a = realloc(coff, (nc + 1) * sizeof *a), *b;
            if (a) coff = a;
            b = realloc(clen, (nc + 1) * sizeof *b);
            if (b) clen = b;
            if (!a || !b) {
                rc = -1;
                break;
            }
            ccap = nc;
        }
        size_t used = 0;
        if (buf_reserve(&ckind, nc + 1) < 0) rc = -1;
        for (uint32_t i = 0; i < nc && rc == 0; i++) {
            uint32_t n;
            if (rd_u32(r->rows, &n) || buf_reserve(&cells, used + n + 1) < 0 ||
                fread(cells.p + used, 1, n, r->rows) != n ||
                fread(ckind.p + i, 1, 1, r->rows) != 1) {
                rc = -1;
                break;
            }
            coff[i] = used;
            clen[i] = n;
            used += n;
        }
        if (rc || rd_u32(r->rows, &nm)) {
            rc = -1;
            break;
        }
        if (nm > mcap || !moff) {
            uint32_t *a = realloc(mcol, (nm + 1) * sizeof *a), *b;
            if (a) mcol = a;
            b = realloc(msev, (nm + 1) * sizeof *b);
            if (b) msev = b;
            size_t *c = realloc(moff, (nm + 1) * sizeof *c);
            if (c) moff = c;
            if (!a || !b || !c) {
                rc = -1;
                break;
            }
            mcap = nm;
        }
        size_t mused = 0;
        for (uint32_t i = 0; i < nm; i++) {
            uint32_t n;
            if (rd_u32(r->rows, &mcol[i]) || rd_u32(r->rows, &msev[i]) ||
                rd_u32(r->rows, &n) || buf_reserve(&marks, mused + n + 1) < 0 ||
                fread(marks.p + mused, 1, n, r->rows) != n) {
                rc = -1;
                break;
            }
            moff[i] = mused;
            marks.p[mused + n] = 0;
            mused += n + 1;
        }
        if (rc) break;
        moff[nm] = mused;

        if (tag == REC_DROPDOWN) {
            if (nc == 2) rep_dropdown(&o, cells.p, coff, clen, &join);
            continue;
        }
        int is_hdr = tag == REC_HEADER, is_title = tag == REC_TITLE;
        int is_sheet = tag == REC_SHEET, is_copy = tag == REC_COPY;
        if (is_sheet ||
            ((is_hdr || is_title) ? !titles
                                  : !is_copy && o.next > WB_MAX_ROW)) {
            /* a new sheet: another sheet of an input, a new input (its
             * title rows, or its header), or Excel's row limit */
            rep_finish_sheet(&o);
            if (is_sheet) { /* "\t" marks a sheet's own name */
                if (nc < 1 || buf_reserve(&join, clen[0] + 2) < 0) {
                    rc = -1;
                    break;
                }
                join.p[0] = '\t';
                memcpy(join.p + 1, cells.p + coff[0], clen[0]);
                join.p[clen[0] + 1] = 0;
                wb_sheet_name(join.p, names, nnames, name);
                part = 1;
            } else if (is_hdr || is_title) {
                wb_sheet_name(r->sheets[file] ? r->sheets[file]
                                              : r->files[file],
                              names, nnames, name);
                file++;
                part = 1;
            } else {
                char base[26], full[64];
                wb_cut(names[nnames - 1], base, sizeof base);
                snprintf(full, sizeof full, "%s (%d)", base, ++part);
                wb_cut(full, name, sizeof name);
            }
            names[nnames] = strdup(name);
            if (!names[nnames]) {
                rc = -1;
                break;
            }
            char **grow = realloc(names, (nnames + 2) * sizeof *grow);
            if (!grow) {
                rc = -1;
                break;
            }
            names = grow;
            nnames++;
            o.ws = workbook_add_worksheet(wb, names[nnames - 1]);
            if (!o.ws) {
                snprintf(err, errlen, "cannot write '%s': bad sheet name '%s'",
                         r->dest, names[nnames - 1]);
                rc = -2;
                break;
            }
            if (!is_sheet) worksheet_freeze_panes(o.ws, 1, 0);
            if (is_sheet && nc > 1 && clen[1]) worksheet_hide(o.ws);
            if ((is_hdr || is_title) && file == 1) /* the input's: shown */
                worksheet_activate(o.ws);
            o.plain = is_sheet;
            o.fcol = (lxw_col_t)(is_hdr ? nc : o.fcol);
            for (size_t c = 0; c < o.nwidth; c++)
                o.width[c] = 0;
            o.next = 0;
            o.last = 0;
            o.hrow = 0;
            titles = is_title;
            if (is_sheet) continue;
            if (!is_hdr && !is_title) { /* the header cannot repeat: say so */
                worksheet_write_string(o.ws, 0, 0,
                                       "(continued: rows beyond Excel's "
                                       "limit; header on the first part)",
                                       o.hdr);
                o.next = 1;
            }
        }
        /* the row index: the spreadsheet's own row when it can be kept */
        lxw_row_t xr = o.next;
        if (part == 1 && rn >= 1 && (lxw_row_t)(rn - 1) >= o.next &&
            rn - 1 <= (int64_t)WB_MAX_ROW)
            xr = (lxw_row_t)(rn - 1);
        o.next = xr + 1;
        o.last = xr;
        if (is_hdr && titles) { /* under title rows: its own place */
            titles = 0;
            o.fcol = (lxw_col_t)nc;
        }
        if (is_hdr && xr > 0) {
            o.hrow = xr;
            worksheet_freeze_panes(o.ws, xr + 1, 0);
        }
        if (is_hdr && o.dv && o.lu) rep_dropdowns(&o, cells.p, coff, clen, nc);
        lxw_col_t ncol = is_hdr || is_title || is_copy ? (lxw_col_t)nc : o.fcol;
        if (is_copy && o.plain && ncol > o.fcol) o.fcol = ncol; /* widths */
        for (uint32_t i = 0; i < nc && i < (uint32_t)ncol; i++) {
            /* the worst severity of the marks on this cell */
            int sev = -1;
            for (uint32_t k = 0; k < nm; k++)
                if (mcol[k] == i + 1 && (sev < 0 || (int)msev[k] < sev))
                    sev = (int)msev[k];
            lxw_format *fm = is_hdr ? (sev == CHECK_ERROR     ? o.hdr_err
                                       : sev == CHECK_WARNING ? o.hdr_warn
                                                              : o.hdr)
                                    : (sev == CHECK_ERROR     ? o.err
                                       : sev == CHECK_WARNING ? o.warn
                                                              : NULL);
            if (clen[i] == 0 && !fm) continue;
            const char *t =
                wb_text(&r->text, cells.p + coff[i], clen[i], &fixed, &cut);
            /* as the input had it: numbers, dates and times typed */
            unsigned kd = is_hdr ? SOURCE_CELL_TEXT
                                 : (unsigned char)ckind.p[i] & SOURCE_CELL_KIND;
            double v;
            int dk;
            char *end;
            if (clen[i] == 0) {
                worksheet_write_blank(o.ws, xr, (lxw_col_t)i, fm);
            } else if (kd == SOURCE_CELL_NUMBER &&
                       (v = strtod(t, &end), !*end && isfinite(v))) {
                worksheet_write_number(o.ws, xr, (lxw_col_t)i, v, fm);
            } else if (kd == SOURCE_CELL_DATE &&
                       rep_serial(t, clen[i], &v, &dk)) {
                worksheet_write_number(o.ws, xr, (lxw_col_t)i, v,
                                       o.dfmt[dk][sev == CHECK_ERROR     ? 1
                                                  : sev == CHECK_WARNING ? 2
                                                                         : 0]);
            } else {
                worksheet_write_string(o.ws, xr, (lxw_col_t)i, t, fm);
            }
            double wd = wb_width(cells.p + coff[i], clen[i]);
            if (i < o.nwidth && wd > o.width[i]) o.width[i] = wd;
            if (sev >= 0 && o.comments && o.ncomments < WB_MAX_COMMENTS &&
                nm <= WB_ROW_COMMENTS) {
                o.ncomments++;
                size_t jl = 0;
                for (uint32_t k = 0; k < nm; k++) {
                    if (mcol[k] != i + 1) continue;
                    size_t n = strlen(marks.p + moff[k]);
                    if (buf_reserve(&join, jl + n + 2) < 0) break;
                    if (jl) join.p[jl++] = '\n';
                    memcpy(join.p + jl, marks.p + moff[k], n);
                    jl += n;
                    join.p[jl] = 0;
                }
                if (jl) {
                    lxw_comment_options co = {
                        .author = "relec", .width = 320, .height = 90};
                    worksheet_write_comment_opt(
                        o.ws, xr, (lxw_col_t)i,
                        wb_text(&r->text, join.p, jl, &fixed, &cut), &co);
                }
            }
        }
        /* missing cells that a finding names (e.g. a required field left
         * out of a short row) are marked blank */
        for (uint32_t k = 0; k < nm && !is_hdr; k++)
            if (mcol[k] > nc && mcol[k] <= (uint32_t)ncol)
                worksheet_write_blank(o.ws, xr, (lxw_col_t)(mcol[k] - 1),
                                      msev[k] == CHECK_ERROR ? o.err : o.warn);
        /* the findings column: every finding of the row, one a line */
        if (is_hdr) {
            worksheet_write_string(o.ws, xr, ncol, "relec findings", o.hdr);
        } else if (nm) {
            size_t jl = 0;
            int worst = CHECK_WARNING;
            for (uint32_t k = 0; k < nm; k++) {
                size_t n = strlen(marks.p + moff[k]);
                if (buf_reserve(&join, jl + n + 2) < 0) break;
                if (jl) join.p[jl++] = '\n';
                memcpy(join.p + jl, marks.p + moff[k], n);
                jl += n;
                join.p[jl] = 0;
                if ((int)msev[k] == CHECK_ERROR) worst = CHECK_ERROR;
            }
            worksheet_write_string(o.ws, xr, ncol,
                                   wb_text(&r->text, join.p, jl, &fixed, &cut),
                                   worst == CHECK_ERROR ? o.err : o.warn);
            if (ncol < o.nwidth) o.width[ncol] = 50;
        }
    }
    if (rc == 0 && ferror(r->rows)) rc = -1;
    if (rc == 0) {
        rep_finish_sheet(&o);
        lxw_worksheet *fs = workbook_add_worksheet(wb, "Findings");
        char *none[] = {"", NULL};
        spool_sheet(&r->finds, fs, r->nfiles ? r->files : none, o.hdr, o.err,
                    o.warn, 0, &r->text, &fixed, &cut);
        rep_write_lists(&o);
    }
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    free(o.width);
    free(o.dv);
    free(o.lu);
    free(mcol);
    free(msev);
    free(moff);
    free(coff);
    free(clen);
    free(cells.p);
    free(ckind.p);
    free(marks.p);
    free(join.p);
    if (rc == -1)
        snprintf(err, errlen,
                 "cannot write '%s': cannot read back the row "
                 "spool",
                 r->dest);
    if (rc == 0)
        rc = wb_finish(wb, tmp, r->dest, err, errlen);
    else
        wb_drop(wb, NULL), outfile_drop_temp(tmp);
    free(tmp);
    if (rc == 0 && (fixed || cut))
        fprintf(stderr, "relec validate: note: %s: some cells %s\n", r->dest,
                fixed ? "held bytes a workbook cannot hold: written as U+FFFD"
                      : "were too long for a cell and were cut");
    workbook_report_abort(r);
    return rc ? -1 : 0;
}

void workbook_report_abort(void *vw) {
    wb_report *r = vw;
    if (!r) return;
    if (r->rows) fclose(r->rows);
    spool_free(&r->finds);
    rep_free_hdr(r);
    for (size_t i = 0; i < r->nfiles; i++) {
        free(r->files[i]);
        free(r->sheets ? r->sheets[i] : NULL);
    }
    free(r->files);
    free(r->sheets);
    free(r->text.p);
    free(r->dest);
    free(r);
}
