/*
 * workbook_export.c: `relec export`, the standard workbook (see workbook.h).
 */
#include "lang.h"
#include "workbook_impl.h"

#include "calendar.h"
#include "strmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
        wb_spool_put(&w->issues, file, 0, &f[i]);
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
            wb_spool_put(&w->issues, file, (long)r + 1, &cf);
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
        wb_spool_put(&w->issues, file, (long)r + 1, &f[i]);
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
    worksheet_write_string(ws, r0, 0, lang_trw(t->title), w->title);
    lxw_row_t hr = r0 + 1;
    const schema_field *fd = &s->fields[t->down.field];
    worksheet_write_string(
        ws, hr, 0, t->down.mode == DIM_AGE ? lang_trw("age group") : fd->name,
        w->hdr);
    lxw_col_t c0 = 1;
    *has_label = dl != NULL;
    if (dl) worksheet_write_string(ws, hr, c0++, lang_trw("label"), w->hdr);
    for (size_t c = 0; c < cols; c++) {
        const char *name = lang_trw("rows");
        if (across) {
            if (c == na)
                name = lang_trw("(other values)");
            else
                name = av[c].n ? wb_text(&w->text, av[c].p, av[c].n, &w->fixed,
                                         &w->cut)
                               : lang_trw("(blank)");
        }
        worksheet_write_string(ws, hr, (lxw_col_t)(c0 + c), name, w->hdr);
    }
    if (across)
        worksheet_write_string(ws, hr, (lxw_col_t)(c0 + cols),
                               lang_trw("total"), w->hdr);
    for (size_t r = 0; r < rows; r++) {
        lxw_row_t xr = hr + 1 + (lxw_row_t)r;
        if (r == nd) {
            worksheet_write_string(ws, xr, 0, lang_trw("(other values)"), NULL);
        } else {
            worksheet_write_string(ws, xr, 0,
                                   dv[r].n ? wb_text(&w->text, dv[r].p, dv[r].n,
                                                     &w->fixed, &w->cut)
                                           : lang_trw("(blank)"),
                                   NULL);
            long k =
                dl && dv[r].n ? schema_code_find(dl, dv[r].p, dv[r].n) : -1;
            const char *lb =
                k >= 0 ? schema_label(dl, (size_t)k, lang_workbooks()) : NULL;
            if (lb) worksheet_write_string(ws, xr, 1, lb, NULL);
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
    worksheet_write_string(ws, tr, 0, lang_trw("total"), w->bold);
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
    snprintf(buf, sizeof buf, lang_trw("%s: %ld rows"), w->s->name, w->rows);
    worksheet_write_string(ws, row, 0, buf, w->title);
    row += 2;
    worksheet_set_column(ws, 0, 0, 22, NULL);
    worksheet_set_column(ws, 1, 1, 18, NULL);
    if (w->ntables == 0) {
        worksheet_write_string(ws, row, 0,
                               lang_trw("no fields to summarise by "
                                        "(reporting_period, offence_type, "
                                        "nationality, sex, age)"),
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
        chart_title_set_name(ch, lang_trw(w->tables[0].title));
        chart_axis_set_name(ch->y_axis, lang_trw("rows"));
        lxw_chart_options co = {.x_scale = 1.5, .y_scale = 1.3};
        worksheet_insert_chart_opt(ws, first, (lxw_col_t)(c0 + ncols + 2), ch,
                                   &co);
    }
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
    worksheet_write_string(ws, r++, 0, lang_trw("RELEC standard workbook"),
                           w->title);
    wb_about_pair(ws, r++, lang_trw("schema"), s->name, w->bold);
    wb_about_pair(ws, r++, lang_trw("schema version"), s->version, w->bold);
    wb_about_pair(ws, r++, lang_trw("schema title"), s->title, w->bold);
    wb_about_pair(ws, r++, lang_trw("schema file"), s->path, w->bold);
    wb_now(now);
    wb_about_pair(ws, r++, lang_trw("generated at"), now, w->bold);
    wb_about_pair(ws, r++, lang_trw("tool"), "relec " RELEC_VERSION, w->bold);
    worksheet_write_string(ws, r, 0, lang_trw("rows"), w->bold);
    worksheet_write_number(ws, r++, 1, (double)w->rows, NULL);
    snprintf(buf, sizeof buf, lang_trw("%ld (%ld errors, %ld warnings)"),
             w->issues.count, w->issues.errors, w->issues.warnings);
    wb_about_pair(ws, r++, lang_trw("findings"), buf, w->bold);
    if (w->part > 1) {
        snprintf(buf, sizeof buf,
                 lang_trw("Data to Data (%d): Excel holds %ld rows a sheet"),
                 w->part, WORKBOOK_MAX_ROWS);
        wb_about_pair(ws, r++, lang_trw("data sheets"), buf, w->bold);
    }
    r++;
    const char *cols[] = {lang_trw("source file"), "", lang_trw("format"),
                          lang_trw("rows"), "sha256"};
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
                               w->src[i].sha[0]
                                   ? w->src[i].sha
                                   : lang_trw("(not hashed: not a file)"),
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
    wb_spool_free(&w->issues);
    free(w->text.p);
    free(w->width);
    free(w->dest);
    free(w->tmp);
    free(w);
}

int workbook_export_close(workbook_export *w, const note_sink *notes, char *err,
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
    wb_write_codes(w->wb, w->s, w->hdr, &w->text, &w->fixed, &w->cut, NULL);
    lxw_worksheet *iss = workbook_add_worksheet(w->wb, "Issues");
    char **files = calloc(w->nsrc + 1, sizeof *files);
    for (size_t i = 0; files && i < w->nsrc; i++)
        files[i] = w->src[i].name;
    if (files && !w->nsrc) files[0] = "";
    long left =
        files ? wb_spool_sheet(&w->issues, iss, files, w->hdr, w->err_fmt,
                               w->warn_fmt, 1, &w->text, &w->fixed, &w->cut)
              : 0;
    free(files);
    export_about(w);
    lxw_workbook *wb = w->wb;
    w->wb = NULL;
    int rc = wb_finish(wb, w->tmp, w->dest, err, errlen);
    if (rc == 0) {
        if (left)
            note_say(notes,
                     "Issues lists the first %ld findings; %ld more "
                     "did not fit a sheet (use validate --report FILE.csv)",
                     (long)WB_MAX_ROW, left);
        if (w->fixed)
            note_say(notes, "some cells held bytes a workbook "
                            "cannot (invalid UTF-8 or control characters): "
                            "written as U+FFFD");
        if (w->cut)
            note_say(notes,
                     "some cells were longer than %d "
                     "characters and were cut to fit",
                     WORKBOOK_MAX_CELL);
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
