/*
 * workbook.c: see workbook.h; what the writers share (workbook_impl.h): cell
 * text, workbook start/finish, the findings spool, the Codes sheet.
 *
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
#include "lang.h"
#include "workbook_impl.h"

#include "calendar.h"
#include "outfile.h"
#include "xlsxzip.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------------- */

/* ---------------------------------------------------------------------- */
/* text for cells                                                         */

int wb_reserve(wb_buf *b, size_t n) {
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
const char *wb_text(wb_buf *b, const char *p, size_t n, int *fixed, int *cut) {
    if (wb_reserve(b, n * 3 + 1) < 0) return "";
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
int wb_number(const char *p, size_t n, double *v) {
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
double wb_serial(const char *p, size_t n) {
    int y, m, d;
    if (n != 10 || cal_parse_iso_date(p, n, &y, &m, &d) != 0) return 0;
    if (y < 1900 || y > 9999 || (y == 1900 && m < 3)) return 0;
    return (double)(cal_days_from_civil(y, m, d) -
                    cal_days_from_civil(1899, 12, 30));
}

/* Display width of a cell text, roughly: characters, not bytes. */
double wb_width(const char *p, size_t n) {
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80) chars++;
    return (double)chars;
}

/* Copies at most MAX-1 bytes of S into OUT on a UTF-8 boundary. */
void wb_cut(const char *s, char *out, size_t max) {
    size_t n = strlen(s);
    if (n >= max) {
        n = max - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = 0;
}

/* Finishes a workbook: closes it (writing the zip) and renames TMP to
 * DEST. Returns 0, or -1 with ERR; TMP is removed on failure. */
int wb_finish(lxw_workbook *wb, const char *tmp, const char *dest, char *err,
              size_t errlen) {
    if (lang_rtl(lang_workbooks())) { /* --lang ur, fa, ps, ar */
        lxw_worksheet *ws;
        LXW_FOREACH_WORKSHEET(ws, wb) {
            worksheet_right_to_left(ws);
        }
    }
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
lxw_workbook *wb_new(const char *dest, int constant, int zip64, char **tmp,
                     char *err, size_t errlen) {
    (void)xlsxzip_level(); /* links the zip layer in (xlsxzip.h) */
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
void wb_drop(lxw_workbook *wb, char *tmp) {
    if (wb) workbook_close(wb);
    if (tmp) outfile_drop_temp(tmp);
    free(tmp);
}

/* ---------------------------------------------------------------------- */
/* findings spool                                                         */

void wb_spool_put(wb_spool *sp, uint32_t file, long data_row,
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
static int wb_spool_next(wb_spool *sp, wb_frec *r, wb_buf *b) {
    if (fread(r, sizeof *r, 1, sp->fp) != 1) return feof(sp->fp) ? 0 : -1;
    size_t n = (size_t)r->flen + r->vlen + r->mlen;
    if (wb_reserve(b, n + 1) < 0) return -1;
    if (fread(b->p, 1, n, sp->fp) != n) return -1;
    b->p[n] = 0;
    return 1;
}

/* Writes the findings of SP to WS from row 0: a header and one row each,
 * up to Excel's limit. FILES names the inputs. DATA_ROW adds that column.
 * Returns findings left out for want of rows. */
long wb_spool_sheet(wb_spool *sp, lxw_worksheet *ws, char **files,
                    lxw_format *hdr, lxw_format *err_fmt, lxw_format *warn_fmt,
                    int data_row, wb_buf *text, int *fixed, int *cut) {
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
        while (wb_spool_next(sp, &f, &b) > 0) {
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
        worksheet_write_string(ws, 1, 0, lang_trw("no findings"), NULL);
    }
    worksheet_autofilter(ws, 0, 0, r, (lxw_col_t)(ncols - 1));
    return left;
}

void wb_spool_free(wb_spool *sp) {
    if (sp->fp) fclose(sp->fp);
    sp->fp = NULL;
}
/* Whether list L is the union of others (named "a+b"), listed by its parts. */
int wb_union_list(const schema_codelist *l) {
    return l->name && strchr(l->name, '+') != NULL;
}

/* Whether code K of L is for COUNTRY: any code when COUNTRY is NULL or L
 * has no parents, else a subdivision of COUNTRY. */
int wb_for_country(const schema_codelist *l, size_t k, const char *country) {
    return !country || !l->parents ||
           (l->parents[k] && !strcmp(l->parents[k], country));
}

/* The Codes sheet: every code list with its labels (and parents); of a
 * list with parents, only COUNTRY's codes (NULL: all). Labels are in the
 * language of workbooks; in another language than English, a last column
 * "label (en)" keeps the English ones. */
void wb_write_codes(lxw_workbook *wb, const schema *s, lxw_format *hdr,
                    wb_buf *text, int *fixed, int *cut, const char *country) {
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Codes");
    int parents = 0;
    for (size_t i = 0; i < s->nlists; i++)
        if (!wb_union_list(s->lists[i]) && s->lists[i]->parents) parents = 1;
    static const char *cols[] = {"list", "code", "label", "parent"};
    static const double widths[] = {22, 18, 50, 10};
    int nc = parents ? 4 : 3, wl = lang_workbooks();
    for (int c = 0; c < nc; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c], hdr);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    if (wl != LANG_EN) {
        worksheet_write_string(ws, 0, (lxw_col_t)nc, "label (en)", hdr);
        worksheet_set_column(ws, (lxw_col_t)nc, (lxw_col_t)nc, 50, NULL);
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
            const char *lb = schema_label(l, k, wl);
            if (lb)
                worksheet_write_string(
                    ws, r, 2, wb_text(text, lb, strlen(lb), fixed, cut), NULL);
            if (wl != LANG_EN && l->labels[k])
                worksheet_write_string(ws, r, (lxw_col_t)nc,
                                       wb_text(text, l->labels[k],
                                               strlen(l->labels[k]), fixed,
                                               cut),
                                       NULL);
            if (parents && l->parents && l->parents[k])
                worksheet_write_string(ws, r, 3, l->parents[k], NULL);
        }
    }
    worksheet_autofilter(ws, 0, 0, r ? r : 1,
                         (lxw_col_t)(wl != LANG_EN ? nc : nc - 1));
}

/* Current UTC time as ISO 8601 into OUT. */
void wb_now(char out[32]) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void wb_about_pair(lxw_worksheet *ws, lxw_row_t r, const char *k, const char *v,
                   lxw_format *bold) {
    worksheet_write_string(ws, r, 0, k, bold);
    worksheet_write_string(ws, r, 1, v ? v : "", NULL);
}
