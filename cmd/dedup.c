/*
 * dedup.c: relec dedup: the same person or incident recorded by several
 * agencies, in several scripts and months, joined into clusters.
 *
 * Flow: every input row is read into one arena (dedup needs all rows at
 * once: the exception to streaming), the compared values are prepared
 * once per row by lib/link, past rows come from the --registry, pairs are
 * scored within blocks and clustered (lib/link), then every input row is
 * written in input order with cluster_id and match_score.
 *
 * Memory: the raw rows (their bytes + 4 per cell + 18 per row) plus
 * lib/link's prepared values; for 1M person rows about 0.5 GB in all.
 */
#include "buf.h"
#include "cmd.h"
#include "errclass.h"
#include "keyset.h"
#include "link.h"
#include "outfile.h"
#include "registry.h"
#include "schema.h"
#include "sink.h"
#include "source.h"
#include "strmap.h"

#include <getopt.h> /* optind */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DD_MAX_INPUTS 256 /* input files per run */
/* Out of memory: the run could not make what it was asked for (README,
 * "Exit status"). */
#define DD_OOM errclass_exit(ERRCLASS_MEMORY)

/* The rows of every input, encoded as [uint32 length][bytes] per cell in
 * output column order. */
typedef struct dd_rows {
    char *buf;        /* cells */
    size_t len, cap;  /* use and size of buf */
    uint64_t *off;    /* per row: offset of its first cell */
    uint16_t *ncells; /* per row: cells stored (later columns empty) */
    uint16_t *file;   /* per row: input index */
    uint32_t *rownum; /* per row: spreadsheet row number */
    size_t n, rcap;   /* rows, capacity of the per-row arrays */
} dd_rows;

/* Options and state of one run. */
typedef struct dd_run {
    const char *schema_path;          /* -s */
    const char *out_path;             /* -o */
    const char *dropped_path;         /* --dropped */
    const char *explain_path;         /* --explain */
    const char *pairs_path;           /* --pairs */
    const char *registry_path;        /* --registry */
    int drop;                         /* --drop */
    int keep;                         /* 0 first, 1 most-complete, 2 latest */
    double floor;                     /* --floor */
    int train;                        /* --train */
    int has_threshold;                /* --threshold given */
    double threshold;                 /* its value */
    int threads;                      /* --threads */
    int quiet;                        /* -q */
    long kept_rows, dropped_rows;     /* --drop: counted by write_rows(),
                                         said once the outputs are in place */
    int one_per_file;                 /* --one-per-file (encoded files) */
    source_opts sopts;                /* sheet, delimiter */
    schema *s;                        /* schema */
    link_config *cfg;                 /* its dedup section */
    const char *files[DD_MAX_INPUTS]; /* input names as printed */
    int nfiles;                       /* how many */
    char **cols;                      /* output columns: union of the headers */
    size_t ncols, ccap;               /* how many, capacity */
    dd_rows rows;                     /* every input row */
    source_cell *cells;               /* decode buffer, ncols + 8 */
    char fmt[8][32];                  /* number buffers of the extra cells */
    const char *ref_incident;         /* --ref incident=FILE, or NULL */
    const char *same_col;             /* --completeness COLUMN, or NULL */
    strmap ref_ids;   /* its incident_id -> (offset << 8 | length) of
                         the incident_date in ref_dates */
    buf ref_dates;    /* the incident dates, one after the other */
    long ref_missing; /* rows whose incident_id is not in the file */
} dd_run;

static int known_field(void *ctx, const char *name) {
    return schema_field_index(ctx, name, strlen(name)) >= 0;
}

static long col_index(dd_run *R, const char *name, size_t n) {
    for (size_t i = 0; i < R->ncols; i++)
        if (strlen(R->cols[i]) == n && !memcmp(R->cols[i], name, n))
            return (long)i;
    return -1;
}

static long col_add(dd_run *R, const char *name, size_t n) {
    long i = col_index(R, name, n);
    if (i >= 0) return i;
    if (R->ncols == R->ccap) {
        size_t cap = R->ccap ? R->ccap * 2 : 32;
        char **c = realloc(R->cols, cap * sizeof *c);
        if (!c) return -1;
        R->cols = c;
        R->ccap = cap;
    }
    char *s = malloc(n + 1);
    if (!s) return -1;
    memcpy(s, name, n);
    s[n] = 0;
    R->cols[R->ncols] = s;
    return (long)R->ncols++;
}

static int rows_reserve(dd_rows *w, size_t more) {
    if (buf_grow(&w->buf, &w->cap, w->len + more, 1)) return -1;
    if (w->n == w->rcap) {
        size_t cap = w->rcap ? w->rcap * 2 : 4096;
        uint64_t *o = realloc(w->off, cap * sizeof *o);
        if (!o) return -1;
        w->off = o;
        uint16_t *nc = realloc(w->ncells, cap * sizeof *nc);
        if (!nc) return -1;
        w->ncells = nc;
        uint16_t *f = realloc(w->file, cap * sizeof *f);
        if (!f) return -1;
        w->file = f;
        uint32_t *r = realloc(w->rownum, cap * sizeof *r);
        if (!r) return -1;
        w->rownum = r;
        w->rcap = cap;
    }
    return 0;
}

/* Stores one row: output column c takes cell INV[c] of the file (-1 or
 * past the row's end: empty); NC = the file's last mapped column + 1.
 * Cost: one copy per cell (INV is built once per file). */
static int rows_add(dd_run *R, const source_row *row, const long *inv,
                    size_t nc, int file) {
    dd_rows *w = &R->rows;
    size_t need = 4 * nc;
    for (size_t c = 0; c < nc; c++)
        if (inv[c] >= 0 && (size_t)inv[c] < row->ncells)
            need += row->cells[inv[c]].n;
    if (rows_reserve(w, need) < 0) return -1;
    w->off[w->n] = w->len;
    for (size_t c = 0; c < nc; c++) {
        const source_cell *cell = inv[c] >= 0 && (size_t)inv[c] < row->ncells
                                      ? &row->cells[inv[c]]
                                      : NULL;
        uint32_t l = cell ? (uint32_t)cell->n : 0;
        memcpy(w->buf + w->len, &l, 4);
        w->len += 4;
        if (l) memcpy(w->buf + w->len, cell->p, l);
        w->len += l;
    }
    w->ncells[w->n] = (uint16_t)nc;
    w->file[w->n] = (uint16_t)file;
    w->rownum[w->n] = (uint32_t)row->row;
    w->n++;
    return 0;
}

/* Decodes stored row I into R->cells[0..ncols). */
static void rows_get(dd_run *R, size_t i) {
    const dd_rows *w = &R->rows;
    const char *p = w->buf + w->off[i];
    for (size_t c = 0; c < R->ncols; c++) {
        if (c < w->ncells[i]) {
            uint32_t l;
            memcpy(&l, p, 4);
            R->cells[c] = (source_cell){p + 4, l};
            p += 4 + l;
        } else {
            R->cells[c] = (source_cell){"", 0};
        }
    }
}

/* Reads one input into the row store; returns an exit code. */
static int read_input(dd_run *R, const char *path, int file) {
    source *src = cmd_open("dedup", path, NULL, &R->sopts);
    if (!src) return EXIT_INPUT;
    const char *name = source_name(src);
    R->files[file] = strcmp(path, "-") ? path : "<stdin>";
    source_row row;
    int rc;
    if (cmd_read_header("dedup", src, NULL, &row)) return EXIT_INPUT;
    size_t nmap = row.ncells;
    long *map = calloc(nmap ? nmap : 1, sizeof *map);
    if (!map) {
        cmd_error("dedup", "out of memory reading '%s'", name);
        source_close(src);
        return DD_OOM;
    }
    for (size_t i = 0; i < nmap; i++) {
        source_cell h = cmd_trim(row.cells[i]);
        map[i] = -1;
        if (!h.n) continue;
        if (col_index(R, h.p, h.n) >= 0) {
            int dup = 0;
            for (size_t j = 0; j < i; j++)
                if (map[j] >= 0 && map[j] == col_index(R, h.p, h.n)) dup = 1;
            if (dup) {
                cmd_error("dedup",
                          "'%s': column '%.*s' appears twice; the "
                          "second is not read",
                          name, (int)h.n, h.p);
                continue;
            }
        }
        map[i] = col_add(R, h.p, h.n);
        if (R->ncols > 60000) {
            cmd_error("dedup", "'%s': too many columns", name);
            free(map);
            source_close(src);
            return EXIT_INPUT;
        }
    }
    for (int f = 0; f < R->cfg->nfields; f++) {
        const char *fn = R->cfg->fields[f];
        int have = 0;
        for (size_t i = 0; i < nmap; i++)
            if (map[i] >= 0 && !strcmp(R->cols[map[i]], fn)) have = 1;
        if (!have && !R->quiet)
            fprintf(stderr,
                    "relec dedup: note: '%s' has no column %s: it is "
                    "read as empty\n",
                    name, fn);
    }
    size_t nc = 0;
    for (size_t i = 0; i < nmap; i++)
        if (map[i] >= 0 && (size_t)map[i] + 1 > nc) nc = (size_t)map[i] + 1;
    long *inv = malloc((nc ? nc : 1) * sizeof *inv);
    if (!inv) {
        cmd_error("dedup", "out of memory reading '%s'", name);
        free(map);
        source_close(src);
        return DD_OOM;
    }
    for (size_t c = 0; c < nc; c++)
        inv[c] = -1;
    for (size_t i = 0; i < nmap; i++)
        if (map[i] >= 0) inv[map[i]] = (long)i;
    long n = 0;
    cmd_progress prog;
    cmd_progress_start(&prog, R->quiet);
    while ((rc = source_next(src, &row)) > 0) {
        if (rows_add(R, &row, inv, nc, file) < 0) {
            cmd_error("dedup", "out of memory after %zu rows", R->rows.n);
            free(inv);
            free(map);
            source_close(src);
            return DD_OOM;
        }
        n++;
        cmd_progress_tick(&prog, "dedup", name, n, "rows read");
    }
    free(inv);
    free(map);
    int result = EXIT_OK;
    if (rc < 0) {
        cmd_error("dedup",
                  "'%s': %s (after row %ld; the rest of the file is "
                  "not read)",
                  name, source_error(src), n + 1);
        result = EXIT_INPUT;
    }
    source_close(src);
    return result;
}

/* Reads --ref incident=FILE: incident_id -> incident_date into
 * R->ref_ids; returns an exit code. */
static int read_ref_incident(dd_run *R) {
    source *src = cmd_open("dedup", R->ref_incident, NULL, &R->sopts);
    if (!src) return EXIT_INPUT;
    const char *name = source_name(src);
    source_row row;
    int rc = source_next(src, &row);
    long ci = -1, cd = -1;
    for (size_t i = 0; rc > 0 && i < row.ncells; i++) {
        source_cell h = cmd_trim(row.cells[i]);
        if (h.n == 11 && !memcmp(h.p, "incident_id", 11)) ci = (long)i;
        if (h.n == 13 && !memcmp(h.p, "incident_date", 13)) cd = (long)i;
    }
    if (rc <= 0 || ci < 0 || cd < 0) {
        cmd_error("dedup",
                  "'%s': %s (--ref incident=FILE needs the columns "
                  "incident_id and incident_date)",
                  name,
                  rc < 0    ? source_error(src)
                  : rc == 0 ? "file is empty"
                  : ci < 0  ? "no column incident_id"
                            : "no column incident_date");
        source_close(src);
        return EXIT_INPUT;
    }
    while ((rc = source_next(src, &row)) > 0) {
        source_cell id = (size_t)ci < row.ncells ? cmd_trim(row.cells[ci])
                                                 : (source_cell){"", 0};
        source_cell d = (size_t)cd < row.ncells ? cmd_trim(row.cells[cd])
                                                : (source_cell){"", 0};
        if (!id.n || !d.n) continue; /* no date: the id's year is used */
        if (d.n > 255) d.n = 255;
        int added;
        uint64_t *v = strmap_put(&R->ref_ids, id.p, id.n, &added);
        if (v && !added) {
            cmd_error("dedup",
                      "'%s': row %ld: incident_id '%.*s' appears "
                      "twice",
                      name, row.row, (int)id.n, id.p);
            source_close(src);
            return EXIT_INPUT;
        }
        size_t off = R->ref_dates.len;
        if (!v || buf_add(&R->ref_dates, d.p, d.n) < 0) {
            cmd_error("dedup", "out of memory reading '%s'", name);
            source_close(src);
            return DD_OOM;
        }
        *v = (uint64_t)off << 8 | d.n;
    }
    if (rc < 0) {
        cmd_error("dedup", "'%s': %s", name, source_error(src));
        source_close(src);
        return EXIT_INPUT;
    }
    source_close(src);
    return EXIT_OK;
}

/* With --ref incident=FILE: the incident_date of link field F of a row
 * (VALS/LENS), put in their place, when F is incident_id and the id is in
 * the file; an id not in it is counted and kept (its year is used). */
static void ref_swap(dd_run *R, int f, const char **vals, size_t *lens) {
    if (!R->ref_incident || strcmp(R->cfg->fields[f], "incident_id")) return;
    source_cell id = cmd_trim((source_cell){vals[f], lens[f]});
    if (!id.n) return;
    const uint64_t *v = strmap_get(&R->ref_ids, id.p, id.n);
    if (!v) {
        R->ref_missing++;
        return;
    }
    vals[f] = R->ref_dates.p + (*v >> 8);
    lens[f] = (size_t)(*v & 0xff);
}

/* State of the link step. */
typedef struct dd_link {
    link_ctx *L;      /* the linkage */
    long *lrow;       /* per input row: its link row */
    long nlink;       /* link rows (registry + new) */
    long *lfile;      /* per link row: input index, or -1 = registry */
    long *lnum;       /* per link row: spreadsheet row or registry rowid */
    long *pnum;       /* per link row: registry cluster number (0 new) */
    double *pscore;   /* per link row: registry match score (NAN) */
    long *cid;        /* per link row (root): cluster number, 0 none */
    registry *reg;    /* --registry */
    keyset inprints;  /* input rows' fingerprints -> first such row */
    long *fpnext;     /* per input row: next row of its print, or -1 */
    strmap pclusters; /* registry cluster ids -> first link row + 1 */
    char (*fp)[17];   /* per input row: fingerprint (registry only) */
    long nprior;      /* registry rows */
} dd_link;

static int grow_link(dd_link *D, long n) {
    static const size_t sz = sizeof(long);
    long **arr[] = {&D->lfile, &D->lnum, &D->pnum};
    for (size_t i = 0; i < 3; i++) {
        long *p = realloc(*arr[i], (size_t)n * sz);
        if (!p) return -1;
        *arr[i] = p;
    }
    double *s = realloc(D->pscore, (size_t)n * sizeof *s);
    if (!s) return -1;
    D->pscore = s;
    return 0;
}

/* --completeness COLUMN: per link row the number of its COLUMN value (0:
 * empty, or a row of the registry) into *IDS (the caller frees it), and
 * the pairs of input rows sharing a value into *PAIRS; an exit code. */
static int same_ids(dd_run *R, const dd_link *D, uint32_t **ids,
                    long long *pairs) {
    long col = col_index(R, R->same_col, strlen(R->same_col));
    if (col < 0) {
        cmd_error("dedup", "--completeness %s: no input has that column",
                  R->same_col);
        return EXIT_INPUT;
    }
    strmap m; /* value -> its number << 32 | rows with it */
    strmap_init(&m);
    *ids = calloc((size_t)(D->nlink ? D->nlink : 1), sizeof **ids);
    *pairs = 0;
    for (size_t i = 0; *ids && i < R->rows.n; i++) {
        if (D->lfile[D->lrow[i]] < 0) continue; /* in the registry */
        rows_get(R, i);
        source_cell v = cmd_trim(R->cells[col]);
        if (!v.n) continue;
        int added;
        uint64_t *n = strmap_put(&m, v.p, v.n, &added);
        if (!n) {
            free(*ids);
            *ids = NULL;
            break;
        }
        if (added) *n = (uint64_t)m.count << 32;
        *pairs += (long long)(*n & 0xffffffffu);
        (*n)++;
        (*ids)[D->lrow[i]] = (uint32_t)(*n >> 32);
    }
    strmap_free(&m);
    if (*ids) return EXIT_OK;
    cmd_error("dedup", "out of memory");
    return DD_OOM;
}

/* Input row I's values in schema field order (trimmed; a column the file
 * lacks is empty) into SV/SL, through SCOL (schema field -> column). */
static void schema_values(dd_run *R, size_t i, const long *scol,
                          const char **sv, size_t *sl) {
    rows_get(R, i);
    for (size_t f = 0; f < R->s->nfields; f++) {
        source_cell c =
            scol[f] >= 0 ? cmd_trim(R->cells[scol[f]]) : (source_cell){"", 0};
        sv[f] = c.p;
        sl[f] = c.n;
    }
}

/* Per registry row: into the link as a prior row. */
typedef struct dd_regctx {
    dd_run *R;       /* run */
    dd_link *D;      /* link state */
    int *sfield;     /* per link field: schema field index, or -1 */
    long *scol;      /* per schema field: input column, or -1 */
    const char **sv; /* scratch: an input row's schema values */
    size_t *sl;      /* their lengths */
    long seen;       /* input rows found in the registry */
    long cap;        /* capacity of D's per-link-row arrays */
    int oom;         /* an allocation failed */
} dd_regctx;

static int reg_row(void *ctx, long rowid, const char *cluster_id, double score,
                   const char *fingerprint, const char *const *vals,
                   const size_t *lens) {
    dd_regctx *X = ctx;
    dd_link *D = X->D;
    const link_config *c = X->R->cfg;
    const char *lv[LINK_MAX_FIELDS];
    size_t ll[LINK_MAX_FIELDS];
    for (int f = 0; f < c->nfields; f++) {
        int sf = X->sfield[f];
        lv[f] = sf >= 0 ? vals[sf] : "";
        ll[f] = sf >= 0 ? lens[sf] : 0;
        ref_swap(X->R, f, lv, ll);
    }
    if (D->nlink == X->cap) {
        X->cap = X->cap ? X->cap * 2 : 4096;
        if (grow_link(D, X->cap) < 0) return X->oom = 1;
    }
    long r = link_add(D->L, lv, ll, 1);
    if (r < 0) return X->oom = 1;
    D->lfile[r] = -1;
    D->lnum[r] = rowid;
    D->pnum[r] = cluster_id[0] == 'C' ? atol(cluster_id + 1) : 0;
    D->pscore[r] = score;
    D->nlink = r + 1;
    D->nprior++;
    /* input rows with this row's print (a collision's suffix cut) are this
     * very row when their values are equal: seen before, not added */
    uint64_t first;
    if (keyset_get(&D->inprints, fingerprint, strnlen(fingerprint, 16),
                   &first)) {
        size_t nf = X->R->s->nfields;
        for (long i = (long)first; i >= 0; i = D->fpnext[i]) {
            if (D->lrow[i] >= 0) continue;
            schema_values(X->R, (size_t)i, X->scol, X->sv, X->sl);
            if (registry_same(X->sv, X->sl, vals, lens, nf)) {
                D->lrow[i] = r;
                X->seen++;
            }
        }
    }
    int added;
    uint64_t *v =
        strmap_put(&D->pclusters, cluster_id, strlen(cluster_id), &added);
    if (!v) return X->oom = 1;
    if (added)
        *v = (uint64_t)r + 1;
    else
        link_join(D->L, (long)*v - 1, r);
    return 0;
}

static void fmt_cid(char *buf, size_t n, long id) {
    snprintf(buf, n, "C%06ld", id);
}

static void fmt_score(char *buf, size_t n, double w) {
    if (isnan(w))
        buf[0] = 0;
    else
        snprintf(buf, n, "%.2f", w);
}

static const char *ref_file(dd_run *R, dd_link *D, long lr) {
    return D->lfile[lr] < 0 ? R->registry_path : R->files[D->lfile[lr]];
}

/* The score of input row I: the best of this run and of the registry. */
static double row_score(dd_link *D, long i) {
    long lr = D->lrow[i];
    double w = link_best(D->L, lr), p = D->pscore[lr];
    if (isnan(w) || (!isnan(p) && p > w)) w = p;
    return w;
}

/* The outputs of the run (lib/sink.h): committed together at its end,
 * removed together when it fails. One command runs per process. */
static sink_set dd_outs;

/* An output of rows: CSV, JSON Lines or, for a .xlsx name, one sheet. */
typedef struct dd_out {
    sink *s; /* a sink of dd_outs */
} dd_out;

static int out_open(dd_out *o, const char *dest, const char *sheet,
                    const char *const *cols, size_t n, char *err,
                    size_t errlen) {
    return sink_open(&dd_outs, &o->s, dest, SINK_ROWS, sheet, cols, n, err,
                     errlen)
               ? -1
               : 0;
}

static void out_row(dd_out *o, const source_cell *cells, size_t n) {
    sink_row(o->s, cells, n);
}

static int write_explain(dd_run *R, dd_link *D, int only_accepted,
                         const char *path, char *err, size_t errlen) {
    const link_config *c = link_get_config(D->L);
    size_t ncol = only_accepted ? 7 : 8 + 4 * (size_t)c->ncmps;
    const char **cols = calloc(ncol, sizeof *cols);
    char **owned = calloc(ncol, sizeof *owned);
    source_cell *cells = calloc(ncol, sizeof *cells);
    if (!cols || !owned || !cells) {
        free(cols);
        free(owned);
        free(cells);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t k = 0;
    cols[k++] = "left_file";
    cols[k++] = "left_row";
    cols[k++] = "right_file";
    cols[k++] = "right_row";
    if (!only_accepted) {
        for (int i = 0; i < c->ncmps; i++) {
            static const char *suf[] = {"_left", "_right", "_level", "_weight"};
            for (int j = 0; j < 4; j++) {
                size_t n = strlen(c->cmps[i].name) + 10;
                owned[k] = malloc(n);
                if (owned[k])
                    snprintf(owned[k], n, "%s%s", c->cmps[i].name, suf[j]);
                cols[k] = owned[k] ? owned[k] : "?";
                k++;
            }
        }
    }
    cols[k++] = "match_weight";
    cols[k++] = "rule";
    if (!only_accepted) cols[k++] = "accepted";
    cols[k++] = "cluster_id";
    dd_out w;
    int rc = out_open(&w, path, only_accepted ? "Pairs" : "Explain", cols, k,
                      err, errlen);
    if (rc == 0) {
        size_t np;
        const link_pair *p = link_pairs(D->L, &np);
        char num[4][32], wbuf[LINK_MAX_CMP][24], total[32], cidb[32];
        char rule[300];
        for (size_t x = 0; x < np; x++) {
            if (only_accepted && (!p[x].accepted || p[x].refused)) continue;
            size_t m = 0;
            long a = p[x].a, b = p[x].b;
            const char *fa = ref_file(R, D, a), *fb = ref_file(R, D, b);
            snprintf(num[0], sizeof num[0], "%ld", D->lnum[a]);
            snprintf(num[1], sizeof num[1], "%ld", D->lnum[b]);
            cells[m++] = (source_cell){fa, strlen(fa)};
            cells[m++] = (source_cell){num[0], strlen(num[0])};
            cells[m++] = (source_cell){fb, strlen(fb)};
            cells[m++] = (source_cell){num[1], strlen(num[1])};
            if (!only_accepted) {
                for (int i = 0; i < c->ncmps; i++) {
                    double wt;
                    int l = link_level_of(D->L, i, a, b, &wt);
                    const char *va = link_prepared(D->L, i, a);
                    const char *vb = link_prepared(D->L, i, b);
                    const char *lab =
                        l < 0 ? "missing" : c->cmps[i].levels[l].label;
                    snprintf(wbuf[i], sizeof wbuf[i], "%.2f", wt);
                    cells[m++] = (source_cell){va, strlen(va)};
                    cells[m++] = (source_cell){vb, strlen(vb)};
                    cells[m++] = (source_cell){lab, strlen(lab)};
                    cells[m++] = (source_cell){wbuf[i], strlen(wbuf[i])};
                }
            }
            snprintf(total, sizeof total, "%.2f", p[x].weight);
            cells[m++] = (source_cell){total, strlen(total)};
            size_t rl = 0;
            if (p[x].exact)
                rl = (size_t)snprintf(rule, sizeof rule, "exact: %s",
                                      c->keys[p[x].exact - 1].text);
            else
                rl = (size_t)snprintf(rule, sizeof rule, "weight %s %g",
                                      p[x].weight >= c->threshold ? ">=" : "<",
                                      c->threshold);
            if (rl < sizeof rule && p[x].veto)
                rl +=
                    (size_t)snprintf(rule + rl, sizeof rule - rl, "; veto: %s",
                                     c->cmps[p[x].veto - 1].name);
            if (rl < sizeof rule && p[x].refused)
                snprintf(rule + rl, sizeof rule - rl,
                         "; refused: the clusters disagree (a pair across "
                         "them vetoed or under cluster_min %g)",
                         c->cluster_min);
            cells[m++] = (source_cell){rule, strlen(rule)};
            if (!only_accepted) {
                int yes = p[x].accepted && !p[x].refused;
                cells[m++] = (source_cell){yes ? "yes" : "no", yes ? 3u : 2u};
            }
            fmt_cid(cidb, sizeof cidb, D->cid[link_cluster(D->L, a)]);
            cells[m++] = (source_cell){cidb, strlen(cidb)};
            out_row(&w, cells, m);
        }
    }
    for (size_t i = 0; i < ncol; i++)
        free(owned[i]);
    free(owned);
    free(cols);
    free(cells);
    return rc;
}

/* Writes the rows (and with --drop the dropped ones). */
static int write_rows(dd_run *R, dd_link *D, char *err, size_t errlen) {
    size_t nr = R->rows.n;
    long *keeper = NULL;
    long *kscore = NULL;
    if (R->drop) {
        keeper = malloc((size_t)(D->nlink ? D->nlink : 1) * sizeof *keeper);
        kscore = malloc((size_t)(D->nlink ? D->nlink : 1) * sizeof *kscore);
        if (!keeper || !kscore) {
            free(keeper);
            free(kscore);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        for (long i = 0; i < D->nlink; i++)
            keeper[i] = -1;
        long lcol = -1;
        if (R->keep == 2 && R->cfg->latest_by)
            lcol = col_index(R, R->cfg->latest_by, strlen(R->cfg->latest_by));
        for (size_t i = 0; i < nr; i++) {
            long root = link_cluster(D->L, D->lrow[i]);
            if (R->keep == 0) {
                if (keeper[root] < 0) keeper[root] = (long)i;
                continue;
            }
            rows_get(R, i);
            if (R->keep == 1) {
                long filled = 0;
                for (size_t c = 0; c < R->ncols; c++)
                    if (cmd_trim(R->cells[c]).n) filled++;
                if (keeper[root] < 0 || filled > kscore[root]) {
                    keeper[root] = (long)i;
                    kscore[root] = filled;
                }
            } else if (lcol < 0 || keeper[root] < 0) {
                keeper[root] = (long)i; /* latest = last in input order */
            } else {
                source_cell a = cmd_trim(R->cells[lcol]);
                char save[64];
                size_t sn = a.n < sizeof save ? a.n : sizeof save;
                memcpy(save, a.p, sn);
                rows_get(R, (size_t)keeper[root]);
                source_cell b = cmd_trim(R->cells[lcol]);
                size_t mn = sn < b.n ? sn : b.n;
                int cmp = memcmp(save, b.p, mn);
                if (cmp > 0 || (cmp == 0 && sn >= b.n)) keeper[root] = (long)i;
            }
        }
    }
    const char **cols = calloc(R->ncols + 6, sizeof *cols);
    if (!cols) {
        free(keeper);
        free(kscore);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < R->ncols; i++)
        cols[i] = R->cols[i];
    cols[R->ncols] = "cluster_id";
    cols[R->ncols + 1] = "match_score";
    cols[R->ncols + 2] = "source_file";
    cols[R->ncols + 3] = "source_row";
    cols[R->ncols + 4] = "kept_file";
    cols[R->ncols + 5] = "kept_row";
    dd_out out, dropped;
    int rc = out_open(&out, R->out_path ? R->out_path : "-", "Rows", cols,
                      R->ncols + 2, err, errlen);
    if (rc == 0 && R->drop) {
        rc = out_open(&dropped, R->dropped_path, "Dropped", cols, R->ncols + 6,
                      err, errlen);
    }
    free(cols);
    if (rc < 0) {
        free(keeper);
        free(kscore);
        return -1;
    }
    long kept = 0, ndrop = 0;
    for (size_t i = 0; i < nr; i++) {
        long root = link_cluster(D->L, D->lrow[i]);
        rows_get(R, i);
        fmt_cid(R->fmt[0], sizeof R->fmt[0], D->cid[root]);
        fmt_score(R->fmt[1], sizeof R->fmt[1], row_score(D, (long)i));
        R->cells[R->ncols] = (source_cell){R->fmt[0], strlen(R->fmt[0])};
        R->cells[R->ncols + 1] = (source_cell){R->fmt[1], strlen(R->fmt[1])};
        if (!R->drop || keeper[root] == (long)i) {
            out_row(&out, R->cells, R->ncols + 2);
            kept++;
            continue;
        }
        const char *sf = R->files[R->rows.file[i]];
        const char *kf = R->files[R->rows.file[keeper[root]]];
        snprintf(R->fmt[2], sizeof R->fmt[2], "%u", R->rows.rownum[i]);
        snprintf(R->fmt[3], sizeof R->fmt[3], "%u",
                 R->rows.rownum[keeper[root]]);
        R->cells[R->ncols + 2] = (source_cell){sf, strlen(sf)};
        R->cells[R->ncols + 3] = (source_cell){R->fmt[2], strlen(R->fmt[2])};
        R->cells[R->ncols + 4] = (source_cell){kf, strlen(kf)};
        R->cells[R->ncols + 5] = (source_cell){R->fmt[3], strlen(R->fmt[3])};
        out_row(&dropped, R->cells, R->ncols + 6);
        ndrop++;
    }
    free(keeper);
    free(kscore);
    R->kept_rows = kept;
    R->dropped_rows = ndrop;
    return rc;
}

/* Stores the new rows, better scores and joined clusters in the registry. */
static int update_registry(dd_run *R, dd_link *D, long *added, long *renamed,
                           char *err, size_t errlen) {
    const schema *s = R->s;
    const char **vals = calloc(s->nfields + 1, sizeof *vals);
    size_t *lens = calloc(s->nfields + 1, sizeof *lens);
    long *scol = calloc(s->nfields + 1, sizeof *scol);
    if (!vals || !lens || !scol) {
        free(vals);
        free(lens);
        free(scol);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t f = 0; f < s->nfields; f++)
        scol[f] = col_index(R, s->fields[f].name, strlen(s->fields[f].name));
    int rc = 0;
    char cid[32], from[32];
    /* registry clusters joined by this run: renamed to the smallest id */
    for (long r = 0; r < D->nlink && rc == 0; r++) {
        if (D->lfile[r] >= 0) continue;
        long root = link_cluster(D->L, r);
        if (D->pnum[r] && D->pnum[r] != D->cid[root]) {
            fmt_cid(from, sizeof from, D->pnum[r]);
            fmt_cid(cid, sizeof cid, D->cid[root]);
            long n = registry_rename(D->reg, from, cid, err, errlen);
            if (n < 0)
                rc = -1;
            else
                *renamed += n;
            /* every registry row of that cluster now carries the new id */
            for (long q = r; q < D->nlink; q++)
                if (D->lfile[q] < 0 && D->pnum[q] == D->pnum[r] && q != r)
                    D->pnum[q] = D->cid[root];
            D->pnum[r] = D->cid[root];
        }
        double w = link_best(D->L, r);
        if (rc == 0 && !isnan(w) && (isnan(D->pscore[r]) || w > D->pscore[r]))
            rc = registry_set_score(D->reg, D->lnum[r], w, err, errlen);
    }
    for (size_t i = 0; i < R->rows.n && rc == 0; i++) {
        long lr = D->lrow[i];
        if (D->lfile[lr] < 0) continue; /* seen before: not added twice */
        rows_get(R, i);
        for (size_t f = 0; f < s->nfields; f++) {
            source_cell cl = scol[f] >= 0 ? cmd_trim(R->cells[scol[f]])
                                          : (source_cell){"", 0};
            vals[f] = cl.p;
            lens[f] = cl.n;
        }
        fmt_cid(cid, sizeof cid, D->cid[link_cluster(D->L, lr)]);
        int a = registry_add(D->reg, cid, D->fp[i], link_best(D->L, lr),
                             R->files[R->rows.file[i]], (long)R->rows.rownum[i],
                             vals, lens, err, errlen);
        if (a < 0)
            rc = -1;
        else
            *added += a;
    }
    free(vals);
    free(lens);
    free(scol);
    return rc;
}

/* link_run's progress on a terminal: one line, rewritten in place. */
static void print_progress(void *ctx, int percent) {
    (void)ctx;
    if (percent < 0)
        fprintf(stderr, "%60s\r", "");
    else
        fprintf(stderr, "relec dedup: scoring: %d%% of blocks\r", percent);
}

/* Links the stored rows (and the registry's), then writes everything. */
static int run_link(dd_run *R) {
    char err[1024];
    dd_link D;
    memset(&D, 0, sizeof D);
    keyset_init(&D.inprints);
    strmap_init(&D.pclusters);
    int result = EXIT_OK;
    size_t nr = R->rows.n;
    const schema *s = R->s;
    long *lcol = NULL, *scol = NULL;
    uint32_t *same = NULL; /* --completeness: per link row its id */
    const char **sv = NULL;
    size_t *sl = NULL;
    D.L = link_new(R->cfg, err, sizeof err);
    D.lrow = malloc((nr ? nr : 1) * sizeof *D.lrow);
    lcol = calloc((size_t)R->cfg->nfields + 1, sizeof *lcol);
    scol = calloc(s->nfields + 1, sizeof *scol);
    sv = calloc(s->nfields + 1, sizeof *sv);
    sl = calloc(s->nfields + 1, sizeof *sl);
    if (!D.L || !D.lrow || !lcol || !scol || !sv || !sl) {
        cmd_error("dedup", "%s", D.L ? "out of memory" : err);
        result = D.L ? DD_OOM : EXIT_INPUT;
        goto done;
    }
    long cap = 0, seen = 0;
    if (R->registry_path) {
        const char **names = calloc(s->nfields + 1, sizeof *names);
        if (!names) {
            cmd_error("dedup", "out of memory");
            result = DD_OOM;
            goto done;
        }
        for (size_t f = 0; f < s->nfields; f++)
            names[f] = s->fields[f].name;
        D.reg = registry_open(R->registry_path, s->name, names, s->nfields, err,
                              sizeof err);
        free(names);
        if (!D.reg) {
            cmd_error("dedup", "%s", err);
            result = EXIT_INPUT;
            goto done;
        }
        D.fp = malloc((nr ? nr : 1) * sizeof *D.fp);
        D.fpnext = malloc((nr ? nr : 1) * sizeof *D.fpnext);
        if (!D.fp || !D.fpnext) {
            cmd_error("dedup", "out of memory");
            result = DD_OOM;
            goto done;
        }
        for (size_t f = 0; f < s->nfields; f++)
            scol[f] =
                col_index(R, s->fields[f].name, strlen(s->fields[f].name));
        /* the input rows' prints, chained per print, before the registry
         * is read: each registry row then finds the input rows that are
         * it (equal values; a print alone can collide) in one pass */
        for (size_t i = 0; i < nr; i++) {
            schema_values(R, i, scol, sv, sl);
            registry_fingerprint(sv, sl, s->nfields, D.fp[i]);
            uint64_t first;
            int a = keyset_add(&D.inprints, D.fp[i], 16, i, &first);
            if (a < 0) {
                cmd_error("dedup", "out of memory");
                result = DD_OOM;
                goto done;
            }
            D.lrow[i] = -1; /* not seen (yet) */
            D.fpnext[i] = a ? -1 : D.fpnext[first];
            if (!a) D.fpnext[first] = (long)i;
        }
        int sfield[LINK_MAX_FIELDS];
        for (int f = 0; f < R->cfg->nfields; f++)
            sfield[f] = schema_field_index(s, R->cfg->fields[f],
                                           strlen(R->cfg->fields[f]));
        dd_regctx X = {R, &D, sfield, scol, sv, sl, 0, 0, 0};
        if (registry_each(D.reg, reg_row, &X, err, sizeof err) < 0 || X.oom) {
            cmd_error("dedup", "%s", X.oom ? "out of memory" : err);
            result = X.oom ? DD_OOM : EXIT_INPUT;
            goto done;
        }
        cap = X.cap;
        seen = X.seen;
    }
    for (int f = 0; f < R->cfg->nfields; f++)
        lcol[f] = col_index(R, R->cfg->fields[f], strlen(R->cfg->fields[f]));
    for (size_t i = 0; i < nr; i++) {
        if (D.reg && D.lrow[i] >= 0) continue; /* in the registry already */
        rows_get(R, i);
        const char *lv[LINK_MAX_FIELDS];
        size_t ll[LINK_MAX_FIELDS];
        for (int f = 0; f < R->cfg->nfields; f++) {
            lv[f] = lcol[f] >= 0 ? R->cells[lcol[f]].p : "";
            ll[f] = lcol[f] >= 0 ? R->cells[lcol[f]].n : 0;
            ref_swap(R, f, lv, ll);
        }
        if (D.nlink == cap) {
            cap = cap ? cap * 2 : 4096;
            if (grow_link(&D, cap) < 0) {
                cmd_error("dedup", "out of memory");
                result = DD_OOM;
                goto done;
            }
        }
        long r = link_add(D.L, lv, ll, 0);
        if (r < 0) {
            cmd_error("dedup", "out of memory preparing row %zu", i + 1);
            result = DD_OOM;
            goto done;
        }
        D.lrow[i] = r;
        D.lfile[r] = R->rows.file[i];
        D.lnum[r] = R->rows.rownum[i];
        D.pnum[r] = 0;
        D.pscore[r] = NAN;
        D.nlink = r + 1;
    }
    long long same_pairs = 0;
    if (R->same_col &&
        (result = same_ids(R, &D, &same, &same_pairs)) != EXIT_OK)
        goto done;
    static link_prog ticker = {print_progress, NULL};
    link_opts o = {R->threads,
                   R->train,
                   R->explain_path != NULL,
                   R->floor,
                   !R->quiet && isatty(2) ? &ticker : NULL,
                   same};
    if (link_run(D.L, &o, err, sizeof err) < 0) { /* out of memory */
        cmd_error("dedup", "%s", err);
        result = DD_OOM;
        goto done;
    }
    /* Cluster numbers: a cluster with registry rows keeps the smallest of
     * their ids; the others are numbered in input order after the
     * registry's largest. */
    D.cid = calloc((size_t)(D.nlink ? D.nlink : 1), sizeof *D.cid);
    if (!D.cid) {
        cmd_error("dedup", "out of memory");
        result = DD_OOM;
        goto done;
    }
    for (long r = 0; r < D.nlink; r++) {
        if (D.lfile[r] >= 0 || !D.pnum[r]) continue;
        long root = link_cluster(D.L, r);
        if (!D.cid[root] || D.pnum[r] < D.cid[root]) D.cid[root] = D.pnum[r];
    }
    long next = D.reg ? registry_max_cluster(D.reg) + 1 : 1, nclusters = 0,
         multi = 0, in_multi = 0;
    long *size = calloc((size_t)(D.nlink ? D.nlink : 1), sizeof *size);
    if (!size) {
        cmd_error("dedup", "out of memory");
        result = DD_OOM;
        goto done;
    }
    for (size_t i = 0; i < nr; i++) {
        long root = link_cluster(D.L, D.lrow[i]);
        if (!D.cid[root]) D.cid[root] = next++;
        if (size[root]++ == 0) nclusters++;
    }
    for (size_t i = 0; i < nr; i++) {
        long sz = size[link_cluster(D.L, D.lrow[i])];
        if (sz > 1) in_multi++;
    }
    for (long r = 0; r < D.nlink; r++)
        if (size[r] > 1) multi++;
    free(size);
    if (write_rows(R, &D, err, sizeof err) < 0) {
        cmd_error("dedup", "%s", err);
        result = EXIT_OUTPUT;
        goto done;
    }
    if (R->explain_path &&
        write_explain(R, &D, 0, R->explain_path, err, sizeof err) < 0) {
        cmd_error("dedup", "%s", err);
        result = EXIT_OUTPUT;
        goto done;
    }
    if (R->pairs_path &&
        write_explain(R, &D, 1, R->pairs_path, err, sizeof err) < 0) {
        cmd_error("dedup", "%s", err);
        result = EXIT_OUTPUT;
        goto done;
    }
    if (sink_commit(&dd_outs, err, sizeof err) < 0) {
        cmd_error("dedup", "%s", err);
        result = EXIT_OUTPUT;
        goto done;
    }
    if (R->drop && !R->quiet) /* said only once it is true */
        fprintf(stderr,
                "relec dedup: kept %ld rows, dropped %ld (kept + "
                "dropped = %zu input rows)\n",
                R->kept_rows, R->dropped_rows, R->rows.n);
    long added = 0, renamed = 0;
    if (D.reg) {
        if (update_registry(R, &D, &added, &renamed, err, sizeof err) < 0 ||
            registry_commit(D.reg, err, sizeof err) < 0) {
            cmd_error("dedup", "%s", err);
            result = EXIT_OUTPUT;
            goto done;
        }
    }
    const link_stats *st = link_get_stats(D.L);
    if (!R->quiet) {
        fprintf(stderr,
                "relec dedup: %zu rows: %ld clusters (%ld rows in %ld "
                "cluster%s of 2 or more, the largest %ld); %lld pairs "
                "compared, %lld accepted (weight >= %.2f), %lld vetoed, "
                "%lld refused for their clusters' sake\n",
                nr, nclusters, in_multi, multi, multi == 1 ? "" : "s",
                st->largest, st->compared, st->accepted, st->threshold,
                st->vetoed, st->refused);
        if (R->same_col)
            fprintf(stderr,
                    "relec dedup: %lld pairs of rows with the same %s, %lld "
                    "of them compared (pair completeness %.4f)\n",
                    same_pairs, R->same_col, st->same,
                    same_pairs ? (double)st->same / same_pairs : 1.0);
        if (st->skipped_blocks)
            fprintf(stderr,
                    "relec dedup: warning: %ld blocks of more than %d rows "
                    "(%ld rows) not compared there; other keys still join "
                    "them\n",
                    st->skipped_blocks, R->cfg->max_block, st->skipped_rows);
        if (D.reg)
            fprintf(stderr,
                    "relec dedup: registry %s: %ld rows before, %ld seen "
                    "again, %ld added, %ld relabelled (clusters joined)\n",
                    R->registry_path, D.nprior, seen, added, renamed);
        if (R->train) {
            const link_config *c = link_get_config(D.L);
            fprintf(stderr, "relec dedup: trained: u from random pairs of "
                            "rows, m the schema's:\n");
            for (int i = 0; i < c->ncmps; i++)
                for (int l = 0; l < c->cmps[i].nlevels; l++)
                    fprintf(stderr, "  %s %s: m %.4f u %.6f weight %.2f\n",
                            c->cmps[i].name, c->cmps[i].levels[l].label,
                            c->cmps[i].levels[l].m, c->cmps[i].levels[l].u,
                            c->cmps[i].levels[l].w);
        }
    }
done:
    sink_abort(&dd_outs);
    registry_close(D.reg);
    link_free(D.L);
    keyset_free(&D.inprints);
    free(D.fpnext);
    strmap_free(&D.pclusters);
    free(D.lrow);
    free(D.lfile);
    free(D.lnum);
    free(D.pnum);
    free(D.pscore);
    free(D.cid);
    free(D.fp);
    free(lcol);
    free(same);
    free(scol);
    free(sv);
    free(sl);
    return result;
}

/* --threshold: a number, and that it was given. */
static int opt_threshold(const char *cmd, const char *arg, void *p) {
    dd_run *r = p;
    char *end;
    r->threshold = strtod(arg, &end);
    r->has_threshold = 1;
    if (*end || end == arg)
        return cmd_usage_error(cmd, "--threshold '%s': not a number", arg);
    return 0;
}

/* --threads: 1 to 64, into the int at P. */
static int opt_threads(const char *cmd, const char *arg, void *p) {
    char *end;
    long n = strtol(arg, &end, 10);
    if (*end || n < 1 || n > 64)
        return cmd_usage_error(cmd, "--threads '%s': give 1 to 64", arg);
    *(int *)p = (int)n;
    return 0;
}

/* --ref incident=FILE: the only table dedup reads. */
static int opt_ref(const char *cmd, const char *arg, void *p) {
    dd_run *r = p;
    if (strncmp(arg, "incident=", 9) || !arg[9])
        return cmd_usage_error(cmd,
                               "--ref '%s': give incident=FILE (the "
                               "only table dedup reads)",
                               arg);
    r->ref_incident = arg + 9;
    return 0;
}

static const char *const keep_words[] = {"first", "most-complete", "latest",
                                         NULL};

static const cmd_option dedup_options[] = {
    CMD_STR("schema", 's', "FILE", "schema YAML with a dedup: section", dd_run,
            schema_path),
    CMD_STR("output", 'o', "FILE",
            "rows out, .csv, .jsonl or .xlsx (default:\n"
            "stdout); so may every output below be",
            dd_run, out_path),
    CMD_FLAG("drop", 0, "keep one row per cluster; needs --dropped", dd_run,
             drop),
    CMD_CHOICE("keep", 0, "POLICY",
               "which: first (default), most-complete (most\n"
               "filled cells), latest (by the section's\n"
               "latest_by field, else the last row)",
               dd_run, keep, keep_words),
    CMD_STR("dropped", 0, "FILE",
            "the other rows, with source_file, source_row,\n"
            "kept_file, kept_row; kept + dropped = input",
            dd_run, dropped_path),
    CMD_STR("explain", 0, "FILE",
            "every compared pair with weight >= the floor:\n"
            "per field the values, level and weight",
            dd_run, explain_path),
    CMD_NUMBER("floor", 0, "W", "floor of --explain (default 0)", dd_run,
               floor),
    CMD_STR("pairs", 0, "FILE", "the accepted pairs", dd_run, pairs_path),
    CMD_STR("registry", 0, "DB",
            "SQLite file of the rows seen before: new rows\n"
            "join their clusters; rows seen are not added\n"
            "twice",
            dd_run, registry_path),
    CMD_FLAG("train", 0, "measure u on random pairs of rows first", dd_run,
             train),
    CMD_FN("threshold", 0, "W",
           "accept pairs with weight >= W (default: the\n"
           "schema's, raised for large files by its\n"
           "threshold_rows)",
           0, opt_threshold),
    CMD_FN("threads", 0, "N", "scoring threads (default 2)",
           CMD_AT(dd_run, threads), opt_threads),
    CMD_FLAG("one-per-file", 0,
             "with encoded files: a cluster holds at most\n"
             "one row of each input (each file already\n"
             "deduplicated, e.g. two countries' files)",
             dd_run, one_per_file),
    CMD_SHEET(dd_run),
    CMD_FN("ref", 0, "incident=FILE",
           "the incidents (incident_id, incident_date):\n"
           "an age is taken at its incident's date, not\n"
           "at the year written in the incident_id",
           0, opt_ref),
    CMD_STR("completeness", 0, "COLUMN",
            "COLUMN holds a known id (a test set's truth):\n"
            "say how many pairs of rows with the same id\n"
            "the blocking compared (pair completeness)",
            dd_run, same_col),
    CMD_DELIMITER(dd_run),
    CMD_QUIET(dd_run, "no summary on stderr"),
    CMD_END};

const cmd_spec cmd_dedup_spec = {
    "dedup",
    cmd_dedup,
    "find the same person or incident across files",
    {"-s SCHEMA [options] INPUT..."},
    "Finds the rows of INPUT (CSV, TSV or .xlsx; - = stdin) that record the\n"
    "same person or incident, using the dedup: section of SCHEMA (see\n"
    "schemas/dedup.md), and writes every row, in input order, with two more\n"
    "columns: cluster_id (rows of one entity share it; C000001 ... numbered\n"
    "by their first row) and match_score (the best match weight joining the\n"
    "row to its cluster; empty for a row alone).\n",
    dedup_options,
    "Values are compared after trimming spaces (the FEBRL files separate\n"
    "fields by \", \"); the rows are written as read.\n"
    "\n"
    "Files of relec pseudonymise --link-key (a clk column) are linked\n"
    "without names: rows sharing a keyed blocking key (blk1..blk9) are\n"
    "joined, best first, when the score of their clk encodings (the Dice\n"
    "similarity of each field's bits, weighted; a name alone scores at\n"
    "most 2) is at least --threshold (default 3.5, and 0.2 more for each\n"
    "doubling of the rows beyond 20,000); match_score is it.\n",
    "relec dedup -s person person.csv -o clustered.csv --explain why.csv\n"
    "relec dedup -s person --drop --dropped dropped.csv -o kept.xlsx \\\n"
    "    person-pak.csv person-afg.csv\n"
    "relec dedup -s person --registry seen.db person-2025-04.csv\n",
    NULL,
    0,
    NULL};

int cmd_dedup(int argc, char **argv) {
    dd_run R;
    memset(&R, 0, sizeof R);
    R.threads = 2;
    int rc = cmd_parse(&cmd_dedup_spec, &R, argc, argv);
    if (rc >= 0) return rc;
    if (!R.schema_path)
        return cmd_usage_error("dedup", "no schema: give -s SCHEMA.yaml");
    if (optind >= argc)
        return cmd_usage_error("dedup", "no input: give one or more files, "
                                        "or - for stdin");
    if (argc - optind > DD_MAX_INPUTS)
        return cmd_usage_error("dedup", "more than %d inputs", DD_MAX_INPUTS);
    if (R.drop && !R.dropped_path)
        return cmd_usage_error("dedup", "--drop needs --dropped FILE: no row "
                                        "is dropped without a record of it");
    if (!R.drop && R.dropped_path)
        return cmd_usage_error("dedup", "--dropped is for --drop");
    /* an output over an input, or of no known kind, is refused before
     * any work */
    for (int i = optind; i < argc; i++)
        outfile_guard(argv[i]);
    if (R.registry_path) outfile_guard(R.registry_path);
    const char *outs[] = {R.out_path, R.dropped_path, R.explain_path,
                          R.pairs_path};
    if ((rc = cmd_check_outputs("dedup", outs, 4, SINK_ROWS))) return rc;
    if (dedup_pprl_detect(argv[optind], &R.sopts)) { /* dedup_pprl.c */
        dedup_pprl_opts po = {R.out_path,
                              R.has_threshold ? R.threshold : -1,
                              R.one_per_file,
                              R.quiet,
                              R.drop || R.train || R.registry_path ||
                                  R.ref_incident || R.explain_path ||
                                  R.pairs_path,
                              R.sopts};
        return dedup_pprl(argv + optind, argc - optind, &po);
    }
    char err[1024];
    R.s = schema_load(R.schema_path, err, sizeof err);
    if (!R.s) {
        fprintf(stderr, "%s\n", err);
        return EXIT_INPUT;
    }
    int result = EXIT_OK;
    R.cfg = link_config_parse(
        R.s->doc, R.s->doc ? ydoc_get(R.s->doc->root, "dedup") : NULL,
        known_field, R.s, err, sizeof err);
    if (!R.cfg) {
        fprintf(stderr, "%s\n", err);
        result = EXIT_INPUT;
        goto done;
    }
    if (R.has_threshold) { /* as given, whatever the file size */
        R.cfg->threshold = R.threshold;
        R.cfg->threshold_rows = 0;
    }
    for (int i = optind; i < argc; i++) {
        int r = read_input(&R, argv[i], i - optind);
        if (r > result) result = r;
        R.nfiles++;
    }
    if (result == EXIT_OK && R.ref_incident) result = read_ref_incident(&R);
    if (result != EXIT_OK) goto done;
    R.cells = calloc(R.ncols + 8, sizeof *R.cells);
    if (!R.cells) {
        cmd_error("dedup", "out of memory");
        result = DD_OOM;
        goto done;
    }
    result = run_link(&R);
    if (R.ref_missing)
        fprintf(stderr,
                "relec dedup: warning: %ld row%s (with those of the "
                "registry) ha%s an incident_id that is not in '%s' with a "
                "date: the year written in the id is used\n",
                R.ref_missing, R.ref_missing == 1 ? "" : "s",
                R.ref_missing == 1 ? "s" : "ve", R.ref_incident);
done:
    sink_abort(&dd_outs);
    for (size_t i = 0; i < R.ncols; i++)
        free(R.cols[i]);
    free(R.cols);
    free(R.cells);
    free(R.rows.buf);
    free(R.rows.off);
    free(R.rows.ncells);
    free(R.rows.file);
    free(R.rows.rownum);
    link_config_free(R.cfg);
    schema_free(R.s);
    strmap_free(&R.ref_ids);
    buf_free(&R.ref_dates);
    return result;
}
