/*
 * workbook_report.c: `relec validate --report FILE.xlsx`, the marked
 * workbook (see workbook.h).
 */
#include "lang.h"
#include "workbook_impl.h"

#include "buf.h"
#include "calendar.h"
#include "outfile.h"
#include "xlsxzip.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* names and texts                                                        */

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
    if (wb_reserve(b, flen + mlen + clen + 8) < 0) return 0;
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

/* A hyperlink of the input: its cell and what Excel opens. */
typedef struct rep_link {
    lxw_row_t row; /* its cell */
    lxw_col_t col;
    char *url; /* "https://...", or "internal:Sheet2!A1"; owned */
    char *tip; /* its tip (cut to 255 characters), or NULL; owned */
} rep_link;

/* The layout of one sheet of the input (source_layout), copied: kept in
 * memory (it does not grow with rows: the reader keeps at most 65,536 row
 * heights and hyperlinks), as merged ranges must be known when the sheet
 * starts and the input gives them after its rows. */
typedef struct rep_layout {
    size_t unit;          /* the sheet it belongs to (rep_unit()) */
    source_style *styles; /* styles, numfmt strings owned */
    size_t nstyles;       /* entries in styles */
    char **merges;        /* merged ranges */
    size_t nmerges;       /* entries in merges */
    source_column *cols;  /* column widths */
    size_t ncols;         /* entries in cols */

    rep_link *links;           /* hyperlinks, by row and column */
    size_t nlinks;             /* entries in links */
    source_rowheight *heights; /* rows of custom height, in order */
    size_t nheights;           /* entries in heights */
} rep_layout;

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
    size_t units;    /* sheets begun so far (rep_unit()) */
    int titles;      /* the current sheet began with title rows */
    rep_layout *lay; /* layouts given, by unit */
    size_t nlay;     /* how many */
    size_t *wide;    /* per unit: its widest row, so that the findings
                        column goes after every cell of a row longer
                        than its header */
    size_t capwide;  /* entries allocated (0 for units not seen) */
} wb_report;

/* Whether a record with TAG begins a sheet of the marked workbook (another
 * sheet of an input; the first title row or the header of an input), as
 * the spool is written and as it is read back; *TITLES tracks title rows
 * above a header. */
static int rep_unit(int tag, int *titles) {
    if (tag == REC_SHEET) {
        *titles = 0;
        return 1;
    }
    if (tag != REC_HEADER && tag != REC_TITLE) return 0;
    int starts = !*titles;
    *titles = tag == REC_TITLE;
    return starts;
}

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
        /* its look: bit 0 a style follows, bit 1 a formula */
        const source_look *lk = row->look ? &row->look[i] : NULL;
        unsigned char has =
            (unsigned char)((lk && lk->style ? 1 : 0) | (lk && lk->fn ? 2 : 0));
        rep_put(r, &has, 1);
        if (has & 1) rep_u32(r, lk->style);
        if (has & 2) {
            rep_u32(r, (uint32_t)lk->fn);
            rep_put(r, lk->f, lk->fn);
        }
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
        wb_spool_put(&r->finds, (uint32_t)(r->nfiles - 1), 0, &f[i]);
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
    if (rep_unit(tag[0], &r->titles)) r->units++;
    size_t had = r->capwide;
    if (r->units &&
        buf_grow(&r->wide, &r->capwide, r->units, sizeof *r->wide) < 0) {
        r->failed = 1;
    } else if (r->units) {
        for (size_t i = had; i < r->capwide; i++)
            r->wide[i] = 0;
        if (row->ncells > r->wide[r->units - 1])
            r->wide[r->units - 1] = row->ncells;
    }
    rep_put(r, tag, 1);
    int64_t rn = row->row;
    rep_put(r, &rn, sizeof rn);
    rep_cells(r, row);
}

void workbook_report_sheet(void *vw, const char *sheet, int hidden) {
    wb_report *r = vw;
    source_cell c[2] = {{sheet, strlen(sheet)}, {"h", hidden ? 1u : 0u}};
    source_row row = {c, 2, 0, 0, NULL, NULL};
    rep_record(r, "S", &row);
    rep_u32(r, 0);
}

/* The cells of a validation record, in this order. */
enum {
    DV_RANGE,
    DV_FORMULA,
    DV_TYPE,
    DV_OP,
    DV_FORMULA2,
    DV_PTITLE,
    DV_PROMPT,
    DV_ETITLE,
    DV_ERROR,
    DV_FLAGS,
    DV_NCELLS
};

void workbook_report_dropdowns(void *vw, const source_dropdown *d, size_t n) {
    wb_report *r = vw;
    for (size_t i = 0; i < n; i++) {
        const char *v[DV_NCELLS] = {d[i].range,    d[i].formula,
                                    d[i].type,     d[i].op,
                                    d[i].formula2, d[i].prompt_title,
                                    d[i].prompt,   d[i].error_title,
                                    d[i].error,    NULL};
        char flags[5] = {
            (char)('0' + d[i].allow_blank), (char)('0' + d[i].show_input),
            (char)('0' + d[i].show_error), (char)('0' + d[i].error_style),
            (char)('0' + d[i].no_dropdown)};
        source_cell c[DV_NCELLS];
        for (int k = 0; k < DV_FLAGS; k++)
            c[k] = (source_cell){v[k] ? v[k] : "", v[k] ? strlen(v[k]) : 0};
        c[DV_FLAGS] = (source_cell){flags, sizeof flags};
        if (!d[i].type) c[DV_TYPE] = (source_cell){"list", 4};
        source_row row = {c, DV_NCELLS, 0, 0, NULL, NULL};
        rep_record(r, "V", &row);
        rep_u32(r, 0);
    }
}

static void rep_layout_free(rep_layout *l) {
    for (size_t i = 0; i < l->nstyles; i++) {
        free((char *)l->styles[i].numfmt);
        free((char *)l->styles[i].font);
    }
    free(l->styles);
    for (size_t i = 0; i < l->nmerges; i++)
        free(l->merges[i]);
    free(l->merges);
    free(l->cols);
    for (size_t i = 0; i < l->nlinks; i++)
        free(l->links[i].url), free(l->links[i].tip);
    free(l->links);
    free(l->heights);
}

static int rep_link_cmp(const void *a, const void *b) {
    const rep_link *x = a, *y = b;
    if (x->row != y->row) return x->row < y->row ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* Copies the hyperlinks of L into C, as libxlsxwriter takes them (an
 * address with its place after "#", a place as "internal:"), sorted by
 * cell; those too long for Excel (2,079 characters) are left out. */
static int rep_copy_links(rep_layout *c, const source_layout *l) {
    if (!l->nlinks) return 0;
    if (!(c->links = calloc(l->nlinks, sizeof *c->links))) return -1;
    for (size_t i = 0; i < l->nlinks; i++) {
        const source_link *s = &l->links[i];
        if (!s->url && !s->location) continue;
        size_t n = (s->url ? strlen(s->url) : 9) +
                   (s->location ? strlen(s->location) + 1 : 0);
        if (n > 2079) continue;
        rep_link *k = &c->links[c->nlinks];
        if (!(k->url = malloc(n + 1))) return -1;
        snprintf(k->url, n + 1, "%s%s%s", s->url ? s->url : "internal:",
                 s->url && s->location ? "#" : "",
                 s->location ? s->location : "");
        if (s->tooltip) {
            if (!(k->tip = malloc(256))) return -1;
            wb_cut(s->tooltip, k->tip, 256);
        }
        k->row = lxw_name_to_row(s->ref);
        k->col = lxw_name_to_col(s->ref);
        c->nlinks++;
    }
    qsort(c->links, c->nlinks, sizeof *c->links, rep_link_cmp);
    return 0;
}

void workbook_report_layout(void *vw, const source_layout *l) {
    wb_report *r = vw;
    if (!r->units ||
        (!l->nstyles && !l->nmerges && !l->ncols && !l->nlinks && !l->nheights))
        return;
    rep_layout *v = realloc(r->lay, (r->nlay + 1) * sizeof *v);
    if (!v) {
        r->failed = 1;
        return;
    }
    r->lay = v;
    rep_layout *c = memset(&v[r->nlay++], 0, sizeof *c);
    c->unit = r->units - 1;
    c->styles = calloc(l->nstyles + 1, sizeof *c->styles);
    c->merges = calloc(l->nmerges + 1, sizeof *c->merges);
    c->cols = malloc((l->ncols + 1) * sizeof *c->cols);
    if (!c->styles || !c->merges || !c->cols) {
        r->failed = 1;
        return;
    }
    for (size_t i = 0; i < l->nstyles; i++, c->nstyles++) {
        c->styles[i] = l->styles[i];
        if (l->styles[i].numfmt &&
            !(c->styles[i].numfmt = strdup(l->styles[i].numfmt)))
            r->failed = 1;
        if (l->styles[i].font &&
            !(c->styles[i].font = strdup(l->styles[i].font)))
            r->failed = 1;
    }
    for (size_t i = 0; i < l->nmerges; i++, c->nmerges++)
        if (!(c->merges[i] = strdup(l->merges[i]))) r->failed = 1;
    if (l->ncols) memcpy(c->cols, l->cols, l->ncols * sizeof *c->cols);
    c->ncols = l->ncols;
    if (rep_copy_links(c, l) < 0) r->failed = 1;
    if (l->nheights && !(c->heights = malloc(l->nheights * sizeof *c->heights)))
        r->failed = 1;
    else if (l->nheights)
        memcpy(c->heights, l->heights, l->nheights * sizeof *c->heights),
            c->nheights = l->nheights;
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
        wb_spool_put(&r->finds, (uint32_t)(r->nfiles - 1), 0, &f[i]);
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
    const rep_layout *lay;      /* the current sheet's input layout, or
                                   NULL */
    lxw_format **sfmt;          /* formats made of its styles, by style,
                                   mark and date kind (REP_SFMT); lazily */
    size_t link;                /* its next hyperlink (cells go in order) */
    size_t height;              /* its next row height (rows go in order) */
} rep_out;

/* Formats per input style: mark (none, error, warning) x date kind (the
 * style's own number format, or one of REP_NDATE where it has none). */
#define REP_SFMT (3 * (REP_NDATE + 1))

/* Whether style S of the layout carries anything a copy keeps. */
static int rep_styled(const rep_out *o, unsigned s) {
    if (!o->lay || !s || s >= o->lay->nstyles) return 0;
    const source_style *st = &o->lay->styles[s];
    return (st->fmtid && st->fmtid < 50) || st->numfmt || st->bold ||
           st->italic || st->font || st->size > 0 || st->color >= 0 ||
           st->underline || st->fill >= 0 || st->border[0] || st->border[1] ||
           st->border[2] || st->border[3];
}

/* The format of a cell of input style S (rep_styled()), with mark MARK
 * (0 none, 1 error, 2 warning), for a date of kind DK (-1: none). */
static lxw_format *rep_style_format(rep_out *o, unsigned s, int mark, int dk) {
    const source_style *st = &o->lay->styles[s];
    /* a number format of its own: the workbook's code, or one of Excel's
     * built-in 1-49 (50-163 are reserved for locales: left out) */
    int own = st->numfmt || (st->fmtid && st->fmtid < 50);
    int v = mark * (REP_NDATE + 1) + (own || dk < 0 ? 0 : dk + 1);
    if (!o->sfmt &&
        !(o->sfmt = calloc(o->lay->nstyles * REP_SFMT, sizeof *o->sfmt)))
        return NULL;
    lxw_format **slot = &o->sfmt[(size_t)s * REP_SFMT + (size_t)v];
    if (*slot) return *slot;
    static const char *const dcode[REP_NDATE] = {
        "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss", "hh:mm:ss"};
    lxw_format *f = *slot = workbook_add_format(o->wb);
    if (!f) return NULL;
    if (st->numfmt)
        format_set_num_format(f, st->numfmt);
    else if (own)
        format_set_num_format_index(f, (uint8_t)st->fmtid);
    else if (!own && dk >= 0)
        format_set_num_format(f, dcode[dk]);
    if (st->bold) format_set_bold(f);
    if (st->italic) format_set_italic(f);
    if (st->font) format_set_font_name(f, st->font);
    if (st->size > 0) format_set_font_size(f, st->size);
    if (st->underline && st->underline <= LXW_UNDERLINE_DOUBLE_ACCOUNTING)
        format_set_underline(f, st->underline);
    /* the mark's colours over the input's own */
    if (st->color >= 0 && !mark)
        format_set_font_color(f, (lxw_color_t)st->color);
    if (st->fill >= 0 && !mark) format_set_bg_color(f, (lxw_color_t)st->fill);
    if (mark) format_set_bg_color(f, mark == 1 ? 0xFFC7CE : 0xFFEB9C);
    if (mark) format_set_font_color(f, mark == 1 ? 0x9C0006 : 0x9C5700);
    /* borders: ST_BorderStyle's order is libxlsxwriter's LXW_BORDER_* */
    void (*const side[4])(lxw_format *, uint8_t) = {
        format_set_left, format_set_right, format_set_top, format_set_bottom};
    void (*const color[4])(lxw_format *, lxw_color_t) = {
        format_set_left_color, format_set_right_color, format_set_top_color,
        format_set_bottom_color};
    for (int k = 0; k < 4; k++) {
        if (!st->border[k] || st->border[k] > LXW_BORDER_SLANT_DASH_DOT)
            continue;
        side[k](f, st->border[k]);
        if (st->border_color[k] >= 0)
            color[k](f, (lxw_color_t)st->border_color[k]);
    }
    return f;
}

/* The input's hyperlink on cell (ROW, COL) of a row that keeps its place
 * (spreadsheet row RN), or NULL. Cells come in order, so one cursor. */
static const rep_link *rep_link_at(rep_out *o, lxw_row_t row, lxw_col_t col,
                                   int64_t rn) {
    if (!o->lay || (int64_t)row != rn - 1) return NULL;
    const rep_link *l = o->lay->links;
    while (o->link < o->lay->nlinks &&
           (l[o->link].row < row ||
            (l[o->link].row == row && l[o->link].col < col)))
        o->link++;
    if (o->link < o->lay->nlinks && l[o->link].row == row &&
        l[o->link].col == col)
        return &l[o->link];
    return NULL;
}

/* The input's custom height of spreadsheet row RN, or 0. Rows come in
 * order, so one cursor. */
static double rep_height_at(rep_out *o, int64_t rn) {
    if (!o->lay) return 0;
    const source_rowheight *h = o->lay->heights;
    while (o->height < o->lay->nheights && h[o->height].row < rn)
        o->height++;
    return o->height < o->lay->nheights && h[o->height].row == rn
               ? h[o->height].height
               : 0;
}

/* A new sheet begins: its input layout (unit UNIT), and its merged
 * ranges, set before any of its cells is written (in constant memory,
 * rows are written once and in order). */
static void rep_start_layout(rep_out *o, const wb_report *r, size_t unit) {
    free(o->sfmt);
    o->sfmt = NULL;
    o->lay = NULL;
    o->link = 0;
    o->height = 0;
    for (size_t i = 0; i < r->nlay && !o->lay; i++)
        if (r->lay[i].unit == unit) o->lay = &r->lay[i];
    for (size_t i = 0; o->lay && i < o->lay->nmerges; i++) {
        const char *m = o->lay->merges[i];
        if (!strchr(m, ':')) continue;
        lxw_row_t r1 = lxw_name_to_row(m), r2 = lxw_name_to_row_2(m);
        lxw_col_t c1 = lxw_name_to_col(m), c2 = lxw_name_to_col_2(m);
        if (r2 < r1 || c2 < c1 || (r1 == r2 && c1 == c2)) continue;
        /* "" with no format writes no cell: the first cell's own value
         * comes with its row */
        worksheet_merge_range(o->ws, r1, c1, r2, c2, "", NULL);
    }
}

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
/* A data validation of the input (the DV_* cells at CELLS), on the
 * current sheet; the schema's dropdown gives way on its columns. */
static void rep_dropdown(rep_out *o, const char *cells, const size_t *off,
                         const size_t *len, wb_buf *b) {
    size_t need = 0;
    for (int k = 0; k < DV_NCELLS; k++)
        need += len[k] + 2;
    if (!o->ws || len[DV_RANGE] > 4000 || len[DV_FORMULA] > 1000 ||
        len[DV_FORMULA2] > 1000 || len[DV_FLAGS] != 5 ||
        wb_reserve(b, need) < 0)
        return;
    /* each cell NUL-terminated in B; formulas get their "=" */
    char *v[DV_NCELLS];
    size_t at = 0;
    for (int k = 0; k < DV_NCELLS; k++) {
        int eq = (k == DV_FORMULA || k == DV_FORMULA2) && len[k];
        v[k] = b->p + at;
        if (eq) b->p[at++] = '=';
        memcpy(b->p + at, cells + off[k], len[k]);
        at += len[k];
        b->p[at++] = 0;
    }
    /* Excel's limits on the messages: 32 and 255 characters */
    char pt[33], pm[256], et[33], em[256];
    wb_cut(v[DV_PTITLE], pt, sizeof pt);
    wb_cut(v[DV_PROMPT], pm, sizeof pm);
    wb_cut(v[DV_ETITLE], et, sizeof et);
    wb_cut(v[DV_ERROR], em, sizeof em);
    static const char *const types[] = {"list", "whole",      "decimal", "date",
                                        "time", "textLength", "custom"};
    static const uint8_t vtypes[] = {LXW_VALIDATION_TYPE_LIST_FORMULA,
                                     LXW_VALIDATION_TYPE_INTEGER_FORMULA,
                                     LXW_VALIDATION_TYPE_DECIMAL_FORMULA,
                                     LXW_VALIDATION_TYPE_DATE_FORMULA,
                                     LXW_VALIDATION_TYPE_TIME_FORMULA,
                                     LXW_VALIDATION_TYPE_LENGTH_FORMULA,
                                     LXW_VALIDATION_TYPE_CUSTOM_FORMULA};
    static const char *const ops[] = {"between",
                                      "notBetween",
                                      "equal",
                                      "notEqual",
                                      "greaterThan",
                                      "lessThan",
                                      "greaterThanOrEqual",
                                      "lessThanOrEqual"};
    static const uint8_t crit[] = {
        LXW_VALIDATION_CRITERIA_BETWEEN,
        LXW_VALIDATION_CRITERIA_NOT_BETWEEN,
        LXW_VALIDATION_CRITERIA_EQUAL_TO,
        LXW_VALIDATION_CRITERIA_NOT_EQUAL_TO,
        LXW_VALIDATION_CRITERIA_GREATER_THAN,
        LXW_VALIDATION_CRITERIA_LESS_THAN,
        LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO,
        LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO};
    size_t ti = 0, oi = 0;
    while (ti < sizeof types / sizeof *types && strcmp(v[DV_TYPE], types[ti]))
        ti++;
    while (*v[DV_OP] && oi < sizeof ops / sizeof *ops &&
           strcmp(v[DV_OP], ops[oi]))
        oi++;
    if (ti == sizeof types / sizeof *types || oi == sizeof ops / sizeof *ops)
        return;
    const char *fl = v[DV_FLAGS];
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    dv.validate = vtypes[ti];
    if (ti == 0 || ti == 6) { /* a list ("a,b" is a formula too), custom */
        dv.value_formula = v[DV_FORMULA];
    } else {
        dv.criteria = crit[oi];
        if (oi < 2) { /* between, notBetween: both bounds */
            if (!len[DV_FORMULA2]) return;
            dv.minimum_formula = v[DV_FORMULA];
            dv.maximum_formula = v[DV_FORMULA2];
        } else {
            dv.value_formula = v[DV_FORMULA];
        }
    }
    dv.ignore_blank = fl[0] == '1' ? LXW_VALIDATION_ON : LXW_VALIDATION_OFF;
    dv.show_input = fl[1] == '1' ? LXW_VALIDATION_ON : LXW_VALIDATION_OFF;
    dv.show_error = fl[2] == '1' ? LXW_VALIDATION_ON : LXW_VALIDATION_OFF;
    dv.error_type = fl[3] == '1'   ? LXW_VALIDATION_ERROR_TYPE_WARNING
                    : fl[3] == '2' ? LXW_VALIDATION_ERROR_TYPE_INFORMATION
                                   : LXW_VALIDATION_ERROR_TYPE_STOP;
    if (ti == 0)
        dv.dropdown = fl[4] == '1' ? LXW_VALIDATION_OFF : LXW_VALIDATION_ON;
    if (*pt) dv.input_title = pt;
    if (*pm) dv.input_message = pm;
    if (*et) dv.error_title = et;
    if (*em) dv.error_message = em;
    char *range = v[DV_RANGE];
    for (char *t = strtok(range, " "); t; t = strtok(NULL, " ")) {
        char *colon = strchr(t, ':');
        lxw_row_t r1 = lxw_name_to_row(t), r2 = r1;
        lxw_col_t c1 = lxw_name_to_col(t), c2 = c1;
        if (colon) r2 = lxw_name_to_row_2(t), c2 = lxw_name_to_col_2(t);
        if (r2 < r1 || c2 < c1) continue;
        worksheet_data_validation_range(o->ws, r1, c1, r2, c2, &dv);
        for (lxw_col_t c = c1; !o->plain && o->dv && c <= c2 && c < o->nwidth;
             c++)
            o->dv[c] = -1;
    }
}

/* The width to give libxlsxwriter for a column stored as W: it stores
 * n + 5/7 for n characters of Calibri 11 (7 pixels a digit, 5 of padding). */
static double rep_col_width(double w) {
    return w > 1 ? w - 5.0 / 7.0 : w;
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
    /* widths: the input's where it set them, else to fit the cells;
     * one column at a time where both may apply, as libxlsxwriter writes
     * overlapping runs as they come (a file Excel repairs) */
    size_t nfit =
        o->nwidth < (size_t)o->fcol + 1 ? o->nwidth : (size_t)o->fcol + 1;
    for (size_t c = 0; c < nfit; c++) {
        double wd = o->width[c] + 2;
        if (wd < 8) wd = 8;
        if (wd > WB_WIDTH_MAX) wd = WB_WIDTH_MAX;
        int hidden = 0;
        for (size_t k = 0; o->lay && k < o->lay->ncols; k++) {
            const source_column *sc = &o->lay->cols[k];
            if ((long)c < sc->first || (long)c > sc->last) continue;
            if (sc->width > 0) wd = rep_col_width(sc->width);
            hidden = sc->hidden;
        }
        lxw_row_col_options opt = {.hidden = (uint8_t)hidden};
        worksheet_set_column_opt(o->ws, (lxw_col_t)c, (lxw_col_t)c, wd, NULL,
                                 &opt);
    }
    for (size_t k = 0; o->lay && k < o->lay->ncols; k++) {
        const source_column *sc = &o->lay->cols[k];
        long first = sc->first > (long)nfit ? sc->first : (long)nfit;
        if (first > sc->last || (sc->width <= 0 && !sc->hidden)) continue;
        lxw_row_col_options opt = {.hidden = sc->hidden};
        worksheet_set_column_opt(o->ws, (lxw_col_t)first, (lxw_col_t)sc->last,
                                 sc->width > 0 ? rep_col_width(sc->width)
                                               : LXW_DEF_COL_WIDTH,
                                 NULL, &opt);
    }
    if (o->plain) return; /* copied as it was: no filter, no marks */
    worksheet_autofilter(o->ws, o->hrow, 0,
                         o->last > o->hrow ? o->last : o->hrow + 1, o->fcol);
    char range[64];
    lxw_rowcol_to_range(range, 0, 0, o->last ? o->last : 1, o->fcol);
    worksheet_ignore_errors(o->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, range);
}

int workbook_report_close(void *vw, const note_sink *notes, char *err,
                          size_t errlen) {
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
        note_say(notes,
                 "%s: %ld rows of %zu columns: too many "
                 "for cell comments; bad cells are highlighted, and the "
                 "findings are in the last column and on sheet Findings",
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
    int novalue = 0; /* a formula never calculated was written */
    size_t file = 0;
    int part = 1, titles = 0; /* titles: the sheet began with title rows */
    char name[32];
    /* per row: marks, as (column + 1, severity, text) */
    uint32_t *mcol = NULL, *msev = NULL;
    size_t *moff = NULL, mcap = 0;
    wb_buf cells = {0}, marks = {0}, join = {0}, ckind = {0}, forms = {0};
    size_t *coff = NULL, *clen = NULL, ccap = 0;
    uint32_t *cstyle = NULL; /* per cell: its input style */
    size_t *foff = NULL;     /* per cell: its formula in forms ... */
    uint32_t *flen = NULL;   /* ... and its length, 0 = none */
    int utitles = 0;         /* rep_unit()'s state, as when spooled */
    size_t units = 0;        /* sheets of the input begun */
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
            size_t *a = realloc(coff, (nc + 1) * sizeof *a), *b, *d;
            if (a) coff = a;
            b = realloc(clen, (nc + 1) * sizeof *b);
            if (b) clen = b;
            d = realloc(foff, (nc + 1) * sizeof *d);
            if (d) foff = d;
            uint32_t *s = realloc(cstyle, (nc + 1) * sizeof *s), *l;
            if (s) cstyle = s;
            l = realloc(flen, (nc + 1) * sizeof *l);
            if (l) flen = l;
            if (!a || !b || !d || !s || !l) {
                rc = -1;
                break;
            }
            ccap = nc;
        }
        size_t used = 0, fused = 0;
        if (wb_reserve(&ckind, nc + 1) < 0) rc = -1;
        for (uint32_t i = 0; i < nc && rc == 0; i++) {
            uint32_t n;
            unsigned char has;
            if (rd_u32(r->rows, &n) || wb_reserve(&cells, used + n + 1) < 0 ||
                fread(cells.p + used, 1, n, r->rows) != n ||
                fread(ckind.p + i, 1, 1, r->rows) != 1 ||
                fread(&has, 1, 1, r->rows) != 1) {
                rc = -1;
                break;
            }
            coff[i] = used;
            clen[i] = n;
            used += n;
            cstyle[i] = 0;
            flen[i] = 0;
            if ((has & 1) && rd_u32(r->rows, &cstyle[i])) rc = -1;
            if ((has & 2) &&
                (rd_u32(r->rows, &flen[i]) ||
                 wb_reserve(&forms, fused + flen[i] + 2) < 0 ||
                 fread(forms.p + fused + 1, 1, flen[i], r->rows) != flen[i]))
                rc = -1;
            if (rc == 0 && (has & 2)) { /* "=" and the formula */
                foff[i] = fused;
                forms.p[fused] = '=';
                forms.p[fused + 1 + flen[i]] = 0;
                fused += flen[i] + 2;
            }
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
                rd_u32(r->rows, &n) || wb_reserve(&marks, mused + n + 1) < 0 ||
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
            if (nc == DV_NCELLS) rep_dropdown(&o, cells.p, coff, clen, &join);
            continue;
        }
        int unit_starts = rep_unit(tag, &utitles);
        size_t unit = unit_starts ? units++ : SIZE_MAX;
        /* the findings column: after the header and after the widest row
         * of its sheet, so that no cell of a longer row is lost */
        size_t wide = units && units <= r->capwide ? r->wide[units - 1] : 0;
        lxw_col_t hcol = (lxw_col_t)(nc > wide ? nc : wide);
        int is_hdr = tag == REC_HEADER, is_title = tag == REC_TITLE;
        int is_sheet = tag == REC_SHEET, is_copy = tag == REC_COPY;
        if (is_sheet ||
            ((is_hdr || is_title) ? !titles
                                  : !is_copy && o.next > WB_MAX_ROW)) {
            /* a new sheet: another sheet of an input, a new input (its
             * title rows, or its header), or Excel's row limit */
            rep_finish_sheet(&o);
            if (is_sheet) { /* "\t" marks a sheet's own name */
                if (nc < 1 || wb_reserve(&join, clen[0] + 2) < 0) {
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
            rep_start_layout(&o, r, unit); /* none for a continuation */
            if (!is_sheet) worksheet_freeze_panes(o.ws, 1, 0);
            if (is_sheet && nc > 1 && clen[1]) worksheet_hide(o.ws);
            if ((is_hdr || is_title) && file == 1) /* the input's: shown */
                worksheet_activate(o.ws);
            o.plain = is_sheet;
            o.fcol = is_hdr ? hcol : o.fcol;
            for (size_t c = 0; c < o.nwidth; c++)
                o.width[c] = 0;
            o.next = 0;
            o.last = 0;
            o.hrow = 0;
            titles = is_title;
            if (is_sheet) continue;
            if (!is_hdr && !is_title) { /* the header cannot repeat: say so */
                worksheet_write_string(o.ws, 0, 0,
                                       lang_trw("(continued: rows beyond "
                                                "Excel's limit; header on the "
                                                "first part)"),
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
        /* the input's own row height, where the row keeps its place (set
         * before its cells: in constant memory a row is written once) */
        double height = rep_height_at(&o, rn);
        if (height > 0 && (int64_t)xr == rn - 1)
            worksheet_set_row(o.ws, xr, height, NULL);
        if (is_hdr && titles) { /* under title rows: its own place */
            titles = 0;
            o.fcol = hcol;
        }
        if (is_hdr && xr > 0) {
            o.hrow = xr;
            worksheet_freeze_panes(o.ws, xr + 1, 0);
        }
        if (is_hdr && o.dv && o.lu) rep_dropdowns(&o, cells.p, coff, clen, nc);
        lxw_col_t ncol = is_title || is_copy ? (lxw_col_t)nc : o.fcol;
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
            /* the input's number format and font, with the mark */
            int mark = sev == CHECK_ERROR ? 1 : sev == CHECK_WARNING ? 2 : 0;
            int styled = !is_hdr && rep_styled(&o, cstyle[i]);
            if (styled) fm = rep_style_format(&o, cstyle[i], mark, -1);
            const char *fx = !is_hdr && flen[i] ? forms.p + foff[i] : NULL;
            if (clen[i] == 0 && !fm && !fx) continue;
            const char *t =
                wb_text(&r->text, cells.p + coff[i], clen[i], &fixed, &cut);
            /* as the input had it: numbers, dates and times typed; a
             * formula with the value it had */
            unsigned kd = is_hdr ? SOURCE_CELL_TEXT
                                 : (unsigned char)ckind.p[i] & SOURCE_CELL_KIND;
            lxw_col_t xc = (lxw_col_t)i;
            double v;
            int dk;
            char *end;
            const rep_link *lk;
            if (kd == SOURCE_CELL_NUMBER && clen[i] &&
                (v = strtod(t, &end), !*end && isfinite(v))) {
                if (fx)
                    worksheet_write_formula_num(o.ws, xr, xc, fx, fm, v);
                else
                    worksheet_write_number(o.ws, xr, xc, v, fm);
            } else if (kd == SOURCE_CELL_DATE &&
                       rep_serial(t, clen[i], &v, &dk)) {
                lxw_format *df = styled
                                     ? rep_style_format(&o, cstyle[i], mark, dk)
                                     : o.dfmt[dk][mark];
                if (fx)
                    worksheet_write_formula_num(o.ws, xr, xc, fx, df, v);
                else
                    worksheet_write_number(o.ws, xr, xc, v, df);
            } else if (fx && kd == SOURCE_CELL_NOVALUE) {
                /* no value, so that Excel computes it (xlsxzip.h) */
                worksheet_write_formula_num(o.ws, xr, xc, fx, fm, NAN);
                novalue = 1;
            } else if (fx) {
                worksheet_write_formula_str(o.ws, xr, xc, fx, fm, t);
            } else if (clen[i] == 0) {
                worksheet_write_blank(o.ws, xr, xc, fm);
            } else if (!is_hdr && (lk = rep_link_at(&o, xr, xc, rn)) &&
                       worksheet_write_url_opt(o.ws, xr, xc, lk->url, fm, t,
                                               lk->tip) == LXW_NO_ERROR) {
                /* a text cell with its hyperlink */
            } else {
                worksheet_write_string(o.ws, xr, xc, t, fm);
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
                    if (wb_reserve(&join, jl + n + 2) < 0) break;
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
                if (wb_reserve(&join, jl + n + 2) < 0) break;
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
        wb_spool_sheet(&r->finds, fs, r->nfiles ? r->files : none, o.hdr, o.err,
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
    free(foff);
    free(flen);
    free(cstyle);
    free(forms.p);
    free(o.sfmt);
    free(cells.p);
    free(ckind.p);
    free(marks.p);
    free(join.p);
    if (rc == -1)
        snprintf(err, errlen,
                 "cannot write '%s': cannot read back the row "
                 "spool",
                 r->dest);
    xlsxzip_drop_nan_values(novalue);
    if (rc == 0)
        rc = wb_finish(wb, tmp, r->dest, err, errlen);
    else
        wb_drop(wb, NULL), outfile_drop_temp(tmp);
    xlsxzip_drop_nan_values(0);
    free(tmp);
    if (rc == 0 && (fixed || cut))
        note_say(notes, "%s: some cells %s", r->dest,
                 fixed ? "held bytes a workbook cannot hold: written as U+FFFD"
                       : "were too long for a cell and were cut");
    workbook_report_abort(r);
    return rc ? -1 : 0;
}

void workbook_report_abort(void *vw) {
    wb_report *r = vw;
    if (!r) return;
    if (r->rows) fclose(r->rows);
    wb_spool_free(&r->finds);
    rep_free_hdr(r);
    for (size_t i = 0; i < r->nfiles; i++) {
        free(r->files[i]);
        free(r->sheets ? r->sheets[i] : NULL);
    }
    free(r->files);
    free(r->sheets);
    for (size_t i = 0; i < r->nlay; i++)
        rep_layout_free(&r->lay[i]);
    free(r->lay);
    free(r->wide);
    free(r->text.p);
    free(r->dest);
    free(r);
}
