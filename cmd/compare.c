/*
 * compare.c: relec compare: cross-border comparison tables from incident
 * and person records, aggregate files, or the regional store. The tables
 * and the suppression are lib/compare.h's; this file reads the inputs in
 * the order the join needs (incidents, persons, aggregates), checks file
 * rows against the standard, and writes long CSV, wide CSV and XLSX.
 */
#include "compare.h"
#include "check.h"
#include "cmd.h"
#include "compare_audit.h"
#include "compare_xlsx.h"
#include "outfile.h"
#include "schema.h"
#include "sha256.h"
#include "sink.h"
#include "source.h"
#include "store.h"
#include "strmap.h"

#include <getopt.h> /* optind */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One input and its record type. */
typedef struct cmp_input {
    const char *path;  /* file, or the store */
    int kind;          /* compare_kind */
    int from_store;    /* a table of --db */
    const char *shown; /* name in messages: the path, or <stdin> */
} cmp_input;

/* Options and state of one run. */
typedef struct compare_run {
    const char *db;         /* --db */
    const char *schema_dir; /* --schemas */
    const char *long_path;  /* --long / -o */
    const char *wide_path;  /* --wide */
    const char *xlsx_path;  /* --xlsx / -o .xlsx */
    compare_opts co;        /* period, breakdowns, suppression */
    source_opts sopts;      /* sheet, delimiter */
    int quiet;              /* -q */
    int audit;              /* --audit */
    int layout;             /* --layout: 0 long, 1 aggregate */
    int region;             /* --region: ALL rows, x and .. in aggregate */
    int k_given;            /* -k was given */
    const char *pop_path;   /* --rates: the population table, or NULL */
    struct cmp_pop *pops;   /* its rows */
    size_t npops;           /* how many */
    schema *schemas[3];     /* incident, person, aggregate */
    check *checks[3];       /* one checker per record type */
    long errors[3];         /* rows with errors per kind, not counted */
    cmp_input *inputs;      /* files and store tables */
    int ninputs;            /* how many */
} compare_run;

static const char *const kind_names[3] = {"incident", "person", "aggregate"};

static int load_schemas(compare_run *v) {
    char err[1024], path[4096];
    const char *dir = store_schema_dir(v->schema_dir);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s.yaml", dir, kind_names[i]);
        v->schemas[i] = schema_load(path, err, sizeof err);
        if (!v->schemas[i]) {
            fprintf(stderr, "%s\n", err);
            cmd_error("compare", "the standard schemas are needed: give "
                                 "--schemas DIR");
            return EXIT_INPUT;
        }
        v->checks[i] = check_new(v->schemas[i]);
    }
    return 0;
}

/* Runs the store's table of kind K (if any) through that kind's checker,
 * for its unique sets only: those rows were checked when loaded and are
 * counted from the store. Returns 0, or -1 after a message. */
static int seed_keys(compare_run *v, int k) {
    char err[1024];
    int has = store_has_table(v->db, kind_names[k], err, sizeof err);
    if (has <= 0) {
        if (has < 0) cmd_error("compare", "%s", err);
        return has;
    }
    source_opts so = {0};
    so.table = kind_names[k];
    source *src = source_open(v->db, &so, err, sizeof err);
    if (!src) {
        cmd_error("compare", "cannot open '%s': %s", v->db, err);
        return -1;
    }
    source_row row;
    int rc = source_next(src, &row);
    if (rc > 0) {
        check_header(v->checks[k], &row);
        while ((rc = source_next(src, &row)) > 0)
            check_row(v->checks[k], &row);
    }
    if (rc < 0) cmd_error("compare", "'%s': %s", v->db, source_error(src));
    source_close(src);
    return rc < 0 ? -1 : 0;
}

/* Says what stopped CMP (compare_error(); NULL: an audit out of memory);
 * returns its exit code. */
static int cmp_failed(const compare *cmp) {
    if (compare_audit_failure()) /* GLPK's own allocator */
        cmd_error("compare", "out of memory in the solver (GLPK: %s)",
                  compare_audit_failure());
    else
        cmd_error("compare", "out of memory");
    return errclass_exit(cmp ? compare_error(cmp) : ERRCLASS_MEMORY);
}

/* Reads one input into CMP; returns an exit code (0, 3, or 4 when out of
 * memory). */
static int read_input(compare_run *v, compare *cmp, const cmp_input *in) {
    char err[1024];
    if (in->from_store) { /* rows checked when loaded; a narrow SELECT */
        if (compare_read_store(cmp, in->path, (compare_kind)in->kind,
                               v->co.with_persons, err, sizeof err) < 0) {
            if (compare_error(cmp)) return cmp_failed(cmp);
            cmd_error("compare", "'%s': %s", in->shown, err);
            return EXIT_INPUT;
        }
        return EXIT_OK;
    }
    source *src = cmd_open("compare", in->path, in->shown, &v->sopts);
    if (!src) return EXIT_INPUT;
    source_row row;
    int rc;
    if (cmd_read_header("compare", src, NULL, &row)) return EXIT_INPUT;
    if (compare_header(cmp, (compare_kind)in->kind, &row, err, sizeof err) <
        0) {
        cmd_error("compare", "'%s': %s", source_name(src), err);
        source_close(src);
        return EXIT_INPUT;
    }
    /* file rows are checked here, and those with errors are not counted */
    check *chk = v->checks[in->kind];
    if (chk) check_header(chk, &row);
    cmd_progress prog;
    cmd_progress_start(&prog, v->quiet);
    long nread = 0;
    while ((rc = source_next(src, &row)) > 0) {
        cmd_progress_tick(&prog, "compare", in->shown, ++nread, "rows");
        if (chk && check_row(chk, &row)) {
            v->errors[in->kind]++;
            continue;
        }
        if (compare_row(cmp, &row) < 0) break;
    }
    int result = EXIT_OK;
    if (compare_error(cmp)) {
        source_close(src);
        return cmp_failed(cmp);
    }
    if (rc < 0) {
        cmd_error("compare", "'%s': %s (the rest of the file is not read)",
                  source_name(src), source_error(src));
        result = EXIT_INPUT;
    }
    source_close(src);
    return result;
}

/* One row of the population table. */
typedef struct cmp_pop {
    char country[8]; /* ISO 3166 alpha-3 */
    int year;        /* YYYY */
    long long n;     /* population */
    char *source;    /* its source as the file says, or NULL */
} cmp_pop;

/* Reads the population table at V->pop_path (country,year,population
 * [,source]). Returns an exit code after a message. */
static int load_population(compare_run *v) {
    source_opts so = {0};
    source *src = cmd_open("compare", v->pop_path, NULL, &so);
    if (!src) return EXIT_INPUT;
    source_row row;
    int rc = source_next(src, &row), result = EXIT_OK,
        col[4] = {-1, -1, -1, -1};
    static const char *const names[4] = {"country", "year", "population",
                                         "source"};
    for (size_t i = 0; rc > 0 && i < row.ncells; i++)
        for (int f = 0; f < 4; f++)
            if (row.cells[i].n == strlen(names[f]) &&
                !memcmp(row.cells[i].p, names[f], row.cells[i].n))
                col[f] = (int)i;
    if (rc <= 0 || col[0] < 0 || col[1] < 0 || col[2] < 0) {
        cmd_error("compare",
                  "%s:1: error: header: a population table has the columns "
                  "country, year, population (and source)",
                  v->pop_path);
        source_close(src);
        return EXIT_INPUT;
    }
    size_t cap = 0;
    while ((rc = source_next(src, &row)) > 0) {
        source_cell f[4] = {{"", 0}, {"", 0}, {"", 0}, {"", 0}};
        for (int i = 0; i < 4; i++)
            if (col[i] >= 0 && (size_t)col[i] < row.ncells)
                f[i] = row.cells[col[i]];
        char yb[8] = "", nb[24] = "", *e1 = NULL, *e2 = NULL;
        if (f[1].n < sizeof yb) memcpy(yb, f[1].p, f[1].n);
        if (f[2].n < sizeof nb) memcpy(nb, f[2].p, f[2].n);
        long y = strtol(yb, &e1, 10);
        long long n = strtoll(nb, &e2, 10);
        if (f[0].n != 3 || f[1].n != 4 || *e1 || y < 1900 || !f[2].n || *e2 ||
            n <= 0) {
            cmd_error("compare",
                      "%s:%ld: error: row: '%.*s,%.*s,%.*s' is not a country "
                      "code, a year and a population over 0",
                      v->pop_path, row.row, (int)f[0].n, f[0].p, (int)f[1].n,
                      f[1].p, (int)f[2].n, f[2].p);
            result = EXIT_INPUT;
            break;
        }
        if (buf_grow(&v->pops, &cap, v->npops + 1, sizeof *v->pops)) {
            cmd_error("compare", "out of memory");
            result = errclass_exit(ERRCLASS_MEMORY);
            break;
        }
        cmp_pop *p = &v->pops[v->npops++];
        memcpy(p->country, f[0].p, 3);
        p->country[3] = 0;
        p->year = (int)y;
        p->n = n;
        p->source = f[3].n ? strndup(f[3].p, f[3].n) : NULL;
    }
    if (rc < 0) {
        cmd_error("compare", "'%s': %s", v->pop_path, source_error(src));
        result = EXIT_INPUT;
    }
    source_close(src);
    return result;
}

/* The population of COUNTRY in the year of PERIOD (else the latest year
 * before it); 0 when the table has none. */
static long long population_of(const compare_run *v, const char *country,
                               const char *period) {
    int year = atoi(period), best = 0;
    long long n = 0;
    for (size_t i = 0; i < v->npops; i++)
        if (!strcmp(v->pops[i].country, country) && v->pops[i].year <= year &&
            v->pops[i].year > best) {
            best = v->pops[i].year;
            n = v->pops[i].n;
        }
    return n;
}

/* The population of row X: its country's, or for ALL the sum over the
 * countries of the same indicator, period and breakdown in CELLS (0 when
 * one has none). */
static long long population_row(const compare_run *v, const compare_cell *cells,
                                size_t n, size_t i) {
    const compare_cell *x = &cells[i];
    if (strcmp(x->country, "ALL"))
        return population_of(v, x->country, x->period);
    long long sum = 0;
    /* the countries of the row are the total cells before it (sorted) */
    for (size_t j = 0; j < n; j++) {
        const compare_cell *y = &cells[j];
        if (y->indicator != x->indicator || strcmp(y->period, x->period) ||
            strcmp(y->breakdown, "total") || !strcmp(y->country, "ALL"))
            continue;
        long long p = population_of(v, y->country, y->period);
        if (!p) return 0;
        sum += p;
    }
    return sum;
}

/* A CSV output of the run's set OUTS: its stream, or NULL with ERR. */
static FILE *open_csv(sink_set *outs, const char *path, char *err,
                      size_t errlen) {
    sink *o;
    return sink_open(outs, &o, path, SINK_CSV, NULL, NULL, 0, err, errlen)
               ? NULL
               : sink_stream(o);
}

static int write_long(const compare_run *v, const compare *cmp, sink_set *outs,
                      const char *path, char *err, size_t errlen) {
    FILE *fp = open_csv(outs, path, err, errlen);
    if (!fp) return -1;
    size_t n;
    const compare_cell *cells = compare_cells(cmp, &n);
    char buf[32];
    fputs(v->pop_path ? "country,period,indicator,breakdown,category,value,"
                        "flag,rate_per_100000\n"
                      : "country,period,indicator,breakdown,category,value,"
                        "flag\n",
          fp);
    long norate = 0;
    long long allpop = -1; /* the region's, per indicator and period */
    const char *allkey_ind = NULL, *allkey_per = NULL;
    for (size_t i = 0; i < n; i++) {
        const compare_cell *x = &cells[i];
        outfile_csv_cell(fp, x->country, strlen(x->country));
        fputc(',', fp);
        outfile_csv_cell(fp, x->period, strlen(x->period));
        fprintf(fp, ",%s,%s,", x->indicator, x->breakdown);
        outfile_csv_cell(fp, x->category, strlen(x->category));
        fprintf(fp, ",%s,%s", compare_format(cmp, x, buf),
                x->incomplete ? "incomplete" : "");
        if (v->pop_path) {
            long long pop;
            if (strcmp(x->country, "ALL")) {
                pop = population_of(v, x->country, x->period);
            } else { /* once per indicator and period */
                if (x->indicator != allkey_ind ||
                    strcmp(x->period, allkey_per)) {
                    allpop = population_row(v, cells, n, i);
                    allkey_ind = x->indicator;
                    allkey_per = x->period;
                }
                pop = allpop;
            }
            fputc(',', fp);
            if (x->state != COMPARE_SHOWN) /* hidden: so is its rate */
                fputs(buf, fp);
            else if (pop > 0)
                fprintf(fp, "%.2f", (double)x->value * 100000.0 / (double)pop);
            else
                norate++;
        }
        fputc('\n', fp);
    }
    if (norate && !v->quiet)
        fprintf(stderr,
                "compare: note: %ld cells without a rate (no population of "
                "their country and year in '%s')\n",
                norate, v->pop_path);
    return 0;
}

/* The standard's aggregate table (schemas/aggregate.yaml): one row per
 * key, a breakdown's category in its column and the others total. Left
 * out: cells hidden as x and unknown sums (..), and every breakdown of a
 * total so hidden, unless --region (which also writes the region ALL and
 * x and ..), periods flagged incomplete (a quarter row
 * stands for the whole quarter), and categories the table has no code
 * for (not_recorded of nationality, border_type, reason, partner_country;
 * nationality XXA and XXX). */
/* Whether category CAT of aggregate column COL has no code there. */
static int no_code(int col, const char *cat) {
    return !strcmp(cat, "not_recorded") ||
           (col == 2 && (!strcmp(cat, "XXA") || !strcmp(cat, "XXX")));
}

static int write_aggregate(const compare_run *v, const compare *cmp,
                           sink_set *outs, const char *path, char *err,
                           size_t errlen) {
    FILE *fp = open_csv(outs, path, err, errlen);
    if (!fp) return -1;
    static const char *const cols[] = {"sex",         "age_group",
                                       "nationality", "border_type",
                                       "reason",      "partner_country"};
    static const char *const totals[] = {"total", "total", "TOTAL",
                                         "total", "TOTAL", "TOTAL"};
    size_t n;
    const compare_cell *cells = compare_cells(cmp, &n);
    long rows = 0, hidden = 0, incomplete = 0, norec = 0;
    char buf[32], key[256];
    /* a country, period and indicator whose total is not written is left
     * out whole: read back, its breakdown rows would make a total */
    strmap gone;
    strmap_init(&gone);
    for (size_t i = 0; i < n && !v->region; i++) {
        const compare_cell *x = &cells[i];
        if (strcmp(x->breakdown, "total")) continue;
        const char *val = compare_format(cmp, x, buf);
        if (strcmp(val, "x") && strcmp(val, "..")) continue;
        int kn = snprintf(key, sizeof key, "%s|%s|%s", x->country, x->period,
                          x->indicator);
        int added;
        if (!strmap_put(&gone, key, (size_t)kn, &added)) {
            snprintf(err, errlen, "out of memory");
            strmap_free(&gone);
            return -1;
        }
    }
    fputs("reporting_country,reporting_period,indicator,sex,age_group,"
          "nationality,border_type,reason,partner_country,value\n",
          fp);
    for (size_t i = 0; i < n; i++) {
        const compare_cell *x = &cells[i];
        if (!v->region && !strcmp(x->country, "ALL")) continue;
        if (x->incomplete) {
            incomplete++;
            continue;
        }
        const char *val = compare_format(cmp, x, buf);
        int kn = snprintf(key, sizeof key, "%s|%s|%s", x->country, x->period,
                          x->indicator);
        if (!v->region && (!strcmp(val, "x") || !strcmp(val, "..") ||
                           strmap_get(&gone, key, (size_t)kn))) {
            hidden++;
            continue;
        }
        /* a cross-tab "sex*age_group", "female*child": both columns */
        const char *bs = strchr(x->breakdown, '*'),
                   *cs = strchr(x->category, '*');
        size_t bn = bs ? (size_t)(bs - x->breakdown) : strlen(x->breakdown),
               cn = cs ? (size_t)(cs - x->category) : strlen(x->category);
        int col = -1, col2 = -1;
        for (int d = 0; d < 6; d++) {
            if (strlen(cols[d]) == bn && !memcmp(x->breakdown, cols[d], bn))
                col = d;
            if (bs && cs && !strcmp(bs + 1, cols[d])) col2 = d;
        }
        const char *c2 = col2 >= 0 ? cs + 1 : "";
        char c1[128];
        snprintf(c1, sizeof c1, "%.*s", (int)cn, x->category);
        if (!v->region && (no_code(col, c1) || no_code(col2, c2))) {
            norec++; /* no code in the aggregate table */
            continue;
        }
        if ((col < 0 || (bs && col2 < 0)) && strcmp(x->breakdown, "total"))
            continue;
        outfile_csv_cell(fp, x->country, strlen(x->country));
        fputc(',', fp);
        outfile_csv_cell(fp, x->period, strlen(x->period));
        fprintf(fp, ",%s", x->indicator);
        for (int d = 0; d < 6; d++) {
            const char *t = d == col ? x->category : d == col2 ? c2 : totals[d];
            size_t tn = d == col ? cn : strlen(t);
            fputc(',', fp);
            outfile_csv_cell(fp, t, tn);
        }
        fprintf(fp, ",%s\n", val);
        rows++;
    }
    strmap_free(&gone);
    if (!v->quiet) {
        fprintf(stderr, "aggregate table: %ld rows", rows);
        if (hidden)
            fprintf(stderr,
                    "; %ld hidden cells left out (x, .., and the breakdowns "
                    "of a total hidden as x or ..)",
                    hidden);
        if (incomplete)
            fprintf(stderr,
                    "; %ld cells of incomplete periods left out (a row "
                    "stands for the whole period: use a finer --period)",
                    incomplete);
        if (norec)
            fprintf(stderr,
                    "; %ld cells without a code in the table left out "
                    "(not_recorded; nationality XXA, XXX)",
                    norec);
        fputc('\n', stderr);
    }
    return 0;
}

static int write_wide(const compare *cmp, sink_set *outs, const char *path,
                      char *err, size_t errlen) {
    FILE *fp = open_csv(outs, path, err, errlen);
    if (!fp) return -1;
    size_t n, np;
    const compare_cell *cells = compare_cells_wide(cmp, &n);
    const char *const *periods = compare_periods(cmp, &np);
    char buf[32];
    fputs("indicator,breakdown,country,category", fp);
    for (size_t p = 0; p < np; p++)
        fprintf(fp, ",%s", periods[p]);
    fputs(",incomplete\n", fp);
    size_t i = 0;
    while (i < n) {
        const compare_cell *x = &cells[i];
        size_t first = i;
        fprintf(fp, "%s,%s,", x->indicator, x->breakdown);
        outfile_csv_cell(fp, x->country, strlen(x->country));
        fputc(',', fp);
        outfile_csv_cell(fp, x->category, strlen(x->category));
        for (size_t p = 0; p < np; p++) {
            fputc(',', fp); /* an empty cell: no figure for that period */
            if (i < n && cells[i].indicator == x->indicator &&
                cells[i].breakdown == x->breakdown &&
                !strcmp(cells[i].country, x->country) &&
                !strcmp(cells[i].category, x->category) &&
                !strcmp(cells[i].period, periods[p]))
                fputs(compare_format(cmp, &cells[i++], buf), fp);
        }
        /* the periods of this line with months missing */
        fputc(',', fp);
        for (size_t j = first, sep = 0; j < i; j++)
            if (cells[j].incomplete) {
                fprintf(fp, "%s%s", sep++ ? ";" : "", cells[j].period);
            }
        fputc('\n', fp);
        if (i < n && &cells[i] == x) i++; /* never stall */
    }
    return 0;
}

static void account(const compare_run *v, const compare *cmp) {
    size_t nf;
    const char *const *f = compare_findings(cmp, &nf);
    for (size_t i = 0; i < nf; i++)
        fprintf(stderr, "compare: warning: %s\n", f[i]);
    for (int k = 0; k < 3; k++) {
        const compare_counts *c = compare_counts_of(cmp, (compare_kind)k);
        long rows = c->rows + v->errors[k];
        if (!rows) continue;
        fprintf(stderr, "%s: %ld row%s: %ld counted", kind_names[k], rows,
                rows == 1 ? "" : "s", c->counted);
        if (v->errors[k])
            fprintf(stderr, ", %ld with errors (not counted)", v->errors[k]);
        if (c->set_aside)
            fprintf(stderr,
                    ", %ld set aside (records, finer periods or less "
                    "detailed rows give the same figure)",
                    c->set_aside);
        if (c->unmatched)
            fprintf(stderr, ", %ld whose incident is not among the inputs",
                    c->unmatched);
        if (c->no_fit)
            fprintf(stderr, ", %ld whose role counts in no indicator",
                    c->no_fit);
        if (c->bad) fprintf(stderr, ", %ld unreadable", c->bad);
        fputc('\n', stderr);
    }
    if (v->co.suppress > 0) { /* how much the suppression hid */
        size_t n;
        compare_cells(cmp, &n);
        long prim, sec, unk;
        compare_hidden(cmp, &prim, &sec, &unk);
        fprintf(stderr, "suppression: %zu cells, %ld under %d (<%d), ", n, prim,
                v->co.suppress, v->co.suppress);
        if (unk)
            fprintf(stderr, "%ld sources' <5 or sums holding one (..), ", unk);
        fprintf(stderr,
                "%ld more hidden (x) so that no attack on the published "
                "figures narrows them\n",
                sec);
    }
}

/* The header of compare's long table. */
static const char long_header[] =
    "country,period,indicator,breakdown,category,value";

/* Whether PATH starts with compare's long header. */
static int is_published(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char buf[128];
    int yes = fgets(buf, sizeof buf, f) &&
              !strncmp(buf, long_header, sizeof long_header - 1);
    fclose(f);
    return yes;
}

/* Prints the attack on CELLS (threshold K) as CSV on stdout and a summary
 * on stderr; returns EXIT_DATA when a hidden cell is narrowed. */
static int audit_print(const compare_cell *cells, size_t n, int k, int quiet) {
    double *lo = malloc((n ? n : 1) * sizeof *lo),
           *hi = malloc((n ? n : 1) * sizeof *hi);
    char *leakv = malloc(n ? n : 1);
    long infeasible = 0, leaks = -1;
    if (lo && hi && leakv)
        leaks = compare_audit_cells(cells, n, k, lo, hi, leakv, &infeasible);
    if (leaks < 0) {
        free(lo);
        free(hi);
        free(leakv);
        return cmp_failed(NULL);
    }
    long nprim = 0, nsec = 0, nunk = 0;
    char buf[32];
    fputs("country,period,indicator,breakdown,category,value,low,high,"
          "status\n",
          stdout);
    for (size_t i = 0; i < n; i++) {
        const compare_cell *x = &cells[i];
        if (x->state == COMPARE_SHOWN) continue;
        nprim += x->state == COMPARE_PRIMARY;
        nsec += x->state == COMPARE_SECONDARY;
        nunk += x->state == COMPARE_UNKNOWN;
        int leak = leakv[i];
        fprintf(stdout, "%s,%s,%s,%s,%s,%s,%g,", x->country, x->period,
                x->indicator, x->breakdown, x->category,
                x->state == COMPARE_PRIMARY
                    ? (snprintf(buf, sizeof buf, "<%d", k), buf)
                : x->state == COMPARE_SECONDARY ? "x"
                : x->single_unknown             ? "<5"
                                                : "..",
                lo[i]);
        if (isinf(hi[i]))
            fputs("inf", stdout);
        else
            fprintf(stdout, "%g", hi[i]);
        fprintf(stdout, ",%s\n", leak ? "narrowed" : "safe");
    }
    if (!quiet) {
        fprintf(stderr,
                "audit: %ld hidden cells (%ld under %d, %ld hidden to "
                "protect them, %ld unknown from sources): %ld narrowed by "
                "the attack",
                nprim + nsec + nunk, nprim, k, nsec, nunk, leaks);
        if (infeasible)
            fprintf(stderr, "; %ld tables whose figures contradict each other",
                    infeasible);
        fputc('\n', stderr);
    }
    free(lo);
    free(hi);
    free(leakv);
    return leaks || infeasible ? EXIT_DATA : EXIT_OK;
}

/* --audit of a long table made by compare (or by hand): read as it is. */
static int audit_file(const compare_run *v, const char *path) {
    source *src = cmd_open("compare", path, NULL, &v->sopts);
    if (!src) return EXIT_INPUT;
    compare_cell *cells = NULL;
    char **strs = NULL;
    size_t n = 0, ccap = 0, scap = 0, ns = 0;
    int k = v->co.suppress, rc, result = EXIT_OK;
    source_row row;
    rc = source_next(src, &row); /* the header */
    while (rc > 0 && (rc = source_next(src, &row)) > 0) {
        if (row.ncells < 6) {
            cmd_error("compare", "%s:%ld: error: row: fewer than 6 cells", path,
                      row.row);
            result = EXIT_INPUT;
            break;
        }
        if (buf_grow(&cells, &ccap, n + 1, sizeof *cells) ||
            buf_grow(&strs, &scap, ns + 5, sizeof *strs)) {
            cmd_error("compare", "out of memory");
            result = errclass_exit(ERRCLASS_MEMORY);
            break;
        }
        int f = 0;
        for (; f < 5 && (strs[ns] = strndup(row.cells[f].p, row.cells[f].n));
             f++)
            ns++;
        if (f < 5) {
            cmd_error("compare", "out of memory");
            result = errclass_exit(ERRCLASS_MEMORY);
            break;
        }
        char **t = &strs[ns - 5];
        compare_cell *x = &cells[n++];
        memset(x, 0, sizeof *x);
        x->country = t[0];
        x->period = t[1];
        x->indicator = t[2];
        x->breakdown = t[3];
        x->category = t[4];
        source_cell val = row.cells[5];
        char vb[32];
        snprintf(vb, sizeof vb, "%.*s", (int)(val.n < 31 ? val.n : 31), val.p);
        char *end;
        if (vb[0] == '<') {
            long kk = strtol(vb + 1, &end, 10);
            x->state = COMPARE_PRIMARY;
            if (*end || kk < 2) x->state = COMPARE_UNKNOWN;
            if (!k && !*end && kk >= 2) k = (int)kk;
        } else if (!strcmp(vb, "x")) {
            x->state = COMPARE_SECONDARY;
        } else if (!strcmp(vb, "..")) {
            x->state = COMPARE_UNKNOWN;
        } else {
            x->value = strtoll(vb, &end, 10);
            if (*end || !vb[0]) {
                cmd_error("compare",
                          "%s:%ld: error: value: '%s' is not a "
                          "figure, <K, x or ..",
                          path, row.row, vb);
                result = EXIT_INPUT;
                break;
            }
        }
    }
    if (rc < 0) {
        cmd_error("compare", "'%s': %s", path, source_error(src));
        result = EXIT_INPUT;
    }
    source_close(src);
    if (result == EXIT_OK)
        result = audit_print(cells, n, k > 0 ? k : 5, v->quiet);
    for (size_t i = 0; i < ns; i++)
        free(strs[i]);
    free(strs);
    free(cells);
    return result;
}

/* Appends a copy of LINE to *SRC (*N lines); -1 when out of memory (*SRC
 * freed). */
static int push_line(char ***src, size_t *n, const char *line) {
    char **l = realloc(*src, (*n + 1) * sizeof *l);
    if (!l || !(l[*n] = strdup(line))) {
        for (size_t i = 0; i < *n; i++)
            free((l ? l : *src)[i]);
        free(l ? l : *src);
        *src = NULL;
        *n = 0;
        return -1;
    }
    *src = l;
    (*n)++;
    return 0;
}

/* The workbook, with its About sheet: the sources are the files (with
 * their SHA-256) and the store's batches. */
static int write_xlsx(const compare_run *v, const compare *cmp, char *err,
                      size_t errlen) {
    char **src = NULL;
    size_t n = 0;
    if (v->db && compare_store_sources(v->db, &src, &n, err, errlen) < 0)
        return -1;
    for (int i = 0; i < v->ninputs; i++) {
        const cmp_input *in = &v->inputs[i];
        if (in->from_store) continue;
        char hex[65], buf[1024];
        if (sha256_file(in->path, hex) < 0) snprintf(hex, sizeof hex, "?");
        const compare_counts *k = compare_counts_of(cmp, in->kind);
        snprintf(buf, sizeof buf, "%s, %s, %ld rows of this type in all, %s",
                 kind_names[in->kind], in->shown, k->rows + v->errors[in->kind],
                 hex);
        if (push_line(&src, &n, buf) < 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    /* rates: the population table and its sources */
    for (size_t i = 0; v->pop_path && i <= v->npops; i++) {
        char buf[1024], hex[65];
        if (i == v->npops) {
            if (sha256_file(v->pop_path, hex) < 0)
                snprintf(hex, sizeof hex, "?");
            snprintf(buf, sizeof buf,
                     "population (rates per 100,000 in the long CSV), %s, "
                     "%zu rows, %s",
                     v->pop_path, v->npops, hex);
        } else {
            const cmp_pop *p = &v->pops[i];
            snprintf(buf, sizeof buf, "population of %s in %d: %lld (%s)",
                     p->country, p->year, p->n,
                     p->source ? p->source : "no source given");
        }
        if (push_line(&src, &n, buf) < 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    compare_about about = {(const char *const *)src, n, v->co.suppress};
    int rc = compare_xlsx_write(cmp, &about, v->xlsx_path, err, errlen);
    for (size_t i = 0; i < n; i++)
        free(src[i]);
    free(src);
    return rc;
}

/* --by A*B: adds the cross-tab to CO; *BIT its margins A and B. 0, or
 * the usage error's exit code. */
static int parse_cross(compare_opts *co, const char *p, size_t n,
                       unsigned *bit) {
    size_t na = (size_t)((const char *)memchr(p, '*', n) - p);
    unsigned a = compare_breakdown_parse(p, na),
             b = compare_breakdown_parse(p + na + 1, n - na - 1);
    if (!a || !b || a == b)
        return cmd_usage_error("compare",
                               "--by '%.*s': a cross-tab is two different "
                               "breakdowns (A*B, e.g. sex*age_group)",
                               (int)n, p);
    int j = 0;
    while (j < COMPARE_MAXCROSS && co->cross[j] && co->cross[j] != (a | b))
        j++;
    if (j == COMPARE_MAXCROSS)
        return cmd_usage_error("compare", "--by '%.*s': at most %d cross-tabs",
                               (int)n, p, COMPARE_MAXCROSS);
    co->cross[j] = a | b;
    *bit = a | b;
    return 0;
}

/* --by LIST: breakdowns, comma-separated, A*B a cross-tab. */
static int opt_by(const char *cmd, const char *arg, void *p) {
    compare_run *r = p;
    const char *s = arg;
    while (*s) {
        size_t n = strcspn(s, ",");
        unsigned bit = compare_breakdown_parse(s, n);
        if (memchr(s, '*', n)) {
            int rc = parse_cross(&r->co, s, n, &bit);
            if (rc) return rc;
        }
        if (n == 3 && !memcmp(s, "all", 3)) bit = ~0u;
        if (!bit)
            return cmd_usage_error(
                cmd,
                "--by '%.*s': use sex, age_group, nationality, "
                "offence_type, exploitation_form, border_type, "
                "reason, partner_country, place_type, admin1, "
                "border_crossing_point, transport_mode, "
                "route_origin, route_transit, route_destination, "
                "route or all",
                (int)n, s);
        r->co.by |= bit;
        s += n;
        if (*s == ',') s++;
    }
    return 0;
}

/* -k K: a whole number, and that it was given. */
static int opt_suppress(const char *cmd, const char *arg, void *p) {
    compare_run *r = p;
    char *end;
    long k = strtol(arg, &end, 10);
    if (*end || k < 0 || k > 1000000)
        return cmd_usage_error(cmd, "--suppress '%s': give a whole number",
                               arg);
    r->co.suppress = (int)k;
    r->k_given = 1;
    return 0;
}

/* -o FILE: a workbook when named .xlsx, else long CSV. */
static int opt_output(const char *cmd, const char *arg, void *p) {
    compare_run *r = p;
    (void)cmd;
    size_t n = strlen(arg);
    if (n > 5 && !strcmp(arg + n - 5, ".xlsx"))
        r->xlsx_path = arg;
    else
        r->long_path = arg;
    return 0;
}

static const char *const period_words[] = {"month", "quarter", "year", NULL};
static const char *const layout_words[] = {"long", "aggregate", NULL};

/* --rates: the shipped population table unless --population names one. */
static int opt_rates(const char *cmd, const char *arg, void *p) {
    compare_run *v = p;
    (void)cmd, (void)arg;
    if (!v->pop_path) v->pop_path = "";
    return 0;
}

#define V compare_run
static const cmd_option compare_options[] = {
    CMD_STR("db", 'D', "FILE",
            "read the store's incident, person and\n"
            "aggregate tables too",
            V, db),
    CMD_CHOICE("period", 'p', "P", "month (default), quarter or year", V,
               co.period, period_words),
    CMD_FN("by", 'b', "LIST",
           "breakdowns, comma-separated: sex, age_group,\n"
           "nationality, offence_type, exploitation_form,\n"
           "border_type, reason, partner_country,\n"
           "place_type, admin1, border_crossing_point,\n"
           "transport_mode, route_origin, route_transit,\n"
           "route_destination, route (origin>destination)\n"
           "(or all); the total is always there. A field\n"
           "with several values (exploitation_forms,\n"
           "route_transit) counts once, as \"multiple\"\n"
           "A*B: a cross-tab of two of them\n"
           "(sex*age_group: category female*child, the\n"
           "girls), with A and B as its margins; at most\n"
           "4, for indicators that have both (records;\n"
           "aggregate rows giving both columns)",
           0, opt_by),
    CMD_FN("suppress", 'k', "K",
           "show counts 1..K-1 as <K and hide (x) enough\n"
           "other cells, over every table of the output\n"
           "at once, that a linear-programming attack on\n"
           "all published figures leaves each <K cell\n"
           "(and each source's <5) at least three\n"
           "possible values (sop/: the method)",
           0, opt_suppress),
    CMD_FLAG("audit", 0,
             "attack the published table as an adversary\n"
             "would (a linear programme over every line,\n"
             "GLPK) and print per hidden cell the narrowest\n"
             "interval found, as CSV on stdout (the table\n"
             "then goes only to -o/--long/--wide/--xlsx);\n"
             "exit 1 when a cell is narrowed. An INPUT that\n"
             "is a long table made by compare is audited\n"
             "as it is (e.g. another tool's suppression)",
             V, audit),
    CMD_FN("output", 'o', "FILE",
           ".xlsx: the workbook; otherwise long CSV\n"
           "(country,period,indicator,breakdown,category,\n"
           "value,flag); default: long CSV on stdout",
           0, opt_output),
    CMD_STR("long", 0, "FILE", "long CSV", V, long_path),
    CMD_CHOICE("layout", 0, "L",
               "long (default) or aggregate: the standard's\n"
               "aggregate table (schemas/aggregate.yaml), one\n"
               "row per key, -k 5; x, .., incomplete periods\n"
               "and the region are left out, offence_type and\n"
               "exploitation_form too (no column)",
               V, layout, layout_words),
    CMD_FLAG("region", 0,
             "with --layout aggregate: the region ALL, x and\n"
             ".. too (a regional publication; not the\n"
             "standard's table)",
             V, region),
    CMD_FN("rates", 0, NULL,
           "long CSV: a column rate_per_100000, the count\n"
           "per 100,000 population of the country (ALL: of\n"
           "the countries in the row) in the period's year\n"
           "(else the latest year before it), from the\n"
           "shipped table (schemas/population.csv: its\n"
           "source and year on each row); a hidden count's\n"
           "rate is hidden too (its mark: <K, x, <5, ..);\n"
           "a month's rate is not annualised",
           0, opt_rates),
    CMD_STR("population", 0, "FILE",
            "--rates from FILE (CSV: country,year,\n"
            "population[,source])",
            V, pop_path),
    CMD_STR("wide", 0, "FILE", "wide CSV: periods as columns", V, wide_path),
    CMD_STR("xlsx", 0, "FILE",
            "workbook: a sheet per indicator, a chart per\n"
            "table",
            V, xlsx_path),
    CMD_STR("schemas", 0, "DIR", "where the standard schemas are", V,
            schema_dir),
    CMD_SHEET(V),
    CMD_DELIMITER(V),
    CMD_QUIET(V, "no row accounting on stderr"),
    CMD_END};
#undef V

const cmd_spec cmd_compare_spec = {
    "compare",
    cmd_compare,
    "cross-border comparison tables",
    {"[options] [INPUT...] [--db STORE]"},
    "Cross-border comparison tables: indicator x country x period, with\n"
    "breakdowns and totals, from standard incident and person files,\n"
    "aggregate files (CSV, TSV or .xlsx, - for stdin; the record type is\n"
    "told by the header) and/or the regional store made by relec load.\n"
    "Indicators are the aggregate codes (thb_incidents, thb_victims, ...).\n"
    "File rows that break the standard are not counted (relec validate\n"
    "tells why); every row is accounted for on stderr.\n",
    compare_options,
    "One number per cell. A country's figure for an indicator in a month\n"
    "is counted from its records when it sent incident rows for that\n"
    "month (0 when none of them counts), else it is its aggregate for the\n"
    "month. A quarter is the sum of its three months when all have a\n"
    "figure, else the country's aggregate for the quarter, else the sum\n"
    "of the months there are, flagged incomplete; a year likewise from its\n"
    "quarters. So a figure never depends on --period; a quarter or year\n"
    "that only its own aggregate gives is a row of its own at a finer\n"
    "--period. An aggregate that disagrees with the records of its month\n"
    "(or the months of its quarter, the quarters of its year) is a warning\n"
    "showing both figures; the finer figure is counted. Prosecutions and\n"
    "convictions count in the month of stage_date when it is given. ALL is\n"
    "the sum of the countries, incomplete when one is missing or\n"
    "incomplete. The flag column (wide CSV: the incomplete column) says\n"
    "incomplete.\n"
    "\n"
    "values: a number; <K hidden because small; x hidden to protect a small\n"
    "one; <5 as a source gave it; .. not known (holds a source's <5).\n"
    "A breakdown's category not_recorded is what the totals hold beyond the\n"
    "rows that tell the category (e.g. victims without a person row).\n",
    "relec compare --db store.db --period quarter -k 5 -o compare.xlsx\n"
    "relec compare --db store.db -b 'sex*age_group,nationality' -k 5 --audit "
    "\\\n"
    "    --long published.csv\n"
    "relec compare --db store.db --layout aggregate -o aggregate.csv\n",
    NULL,
    0,
    NULL};

int cmd_compare(int argc, char **argv) {
    compare_run v;
    memset(&v, 0, sizeof v);
    int rc = cmd_parse(&cmd_compare_spec, &v, argc, argv);
    if (rc >= 0) return rc;
    if (optind >= argc && !v.db)
        return cmd_usage_error("compare",
                               "no input: give files, or --db STORE");
    if (v.layout == 1) { /* the standard's aggregate table */
        if (v.k_given && v.co.suppress != 5)
            return cmd_usage_error("compare",
                                   "--layout aggregate publishes counts 1 to "
                                   "4 as <5 (the standard): -k 5, not %d",
                                   v.co.suppress);
        v.co.suppress = 5;
        v.co.aggregate_codes = 1;
        v.co.standard_table = !v.region;
        unsigned cols = 0;
        static const char *const dims[] = {"sex",         "age_group",
                                           "nationality", "border_type",
                                           "reason",      "partner_country"};
        for (size_t i = 0; i < sizeof dims / sizeof *dims; i++)
            cols |= compare_breakdown_parse(dims[i], strlen(dims[i]));
        if ((v.co.by & ~cols) && v.co.by != ~0u)
            fprintf(stderr, "compare: note: offence_type, "
                            "exploitation_form and the place and route "
                            "breakdowns have no column in the aggregate "
                            "table: left out\n");
        v.co.by &= cols;
        int nx = 0; /* cross-tabs of two columns only */
        for (int j = 0; j < COMPARE_MAXCROSS; j++)
            if ((v.co.cross[j] & cols) == v.co.cross[j] && v.co.cross[j])
                v.co.cross[nx++] = v.co.cross[j];
        while (nx < COMPARE_MAXCROSS)
            v.co.cross[nx++] = 0;
    } else if (v.region) {
        return cmd_usage_error("compare", "--region goes with --layout "
                                          "aggregate");
    }
    if (v.pop_path && v.layout == 1)
        return cmd_usage_error("compare", "--rates: the aggregate table has "
                                          "no rate column (use --layout long)");
    if (v.audit && optind + 1 == argc && !v.db && is_published(argv[optind]))
        return audit_file(&v, argv[optind]);
    if (!v.long_path && !v.wide_path && !v.xlsx_path && !v.audit)
        v.long_path = "-";
    for (int i = optind; i < argc; i++)
        outfile_guard(argv[i]);
    if (v.db) outfile_guard(v.db);
    const char *csvs[] = {v.long_path, v.wide_path};
    int result = cmd_check_outputs("compare", csvs, 2, SINK_CSV);
    if (!result)
        result = cmd_check_outputs("compare", &v.xlsx_path, 1, SINK_XLSX);
    sink_set outs = {0}; /* the CSV outputs, put in place together */
    if (!result) result = load_schemas(&v);
    compare *cmp = NULL;
    char err[1024], popfile[4096];
    if (!result && v.pop_path && !*v.pop_path) { /* the shipped table */
        snprintf(popfile, sizeof popfile, "%s/population.csv",
                 store_schema_dir(v.schema_dir));
        v.pop_path = popfile;
    }
    if (!result && v.pop_path) result = load_population(&v);
    char *spool = NULL; /* stdin's copy, when an input is - */
    int spool_arg = -1; /* its argument */
    if (result) goto done;
    v.inputs = calloc((size_t)(argc - optind) + 3, sizeof *v.inputs);
    if (!v.inputs) {
        result = EXIT_INPUT;
        goto done;
    }
    /* compare reads a file twice (record type, then rows): stdin is
     * spooled to a private temporary file first, as load does */
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "-")) continue;
        if (spool) {
            result = cmd_usage_error("compare", "stdin (-) given twice");
            goto done;
        }
        if (!(spool = source_spool(stdin, err, sizeof err))) {
            cmd_error("compare", "%s", err);
            result = EXIT_INPUT;
            goto done;
        }
        spool_arg = i;
        argv[i] = spool;
    }
    /* the record type of each file, from its header */
    for (int i = optind; i < argc; i++) {
        const char *name = i == spool_arg ? "<stdin>" : argv[i];
        source *src = cmd_open("compare", argv[i], name, &v.sopts);
        source_row row;
        if (!src || cmd_read_header("compare", src, name, &row)) {
            result = EXIT_INPUT;
            goto done;
        }
        int k = store_pick_schema(v.schemas, 3, &row);
        if (k < 0) {
            cmd_error("compare",
                      "'%s': the header fits no record type (incident, "
                      "person, aggregate)",
                      name);
            source_close(src);
            result = EXIT_INPUT;
            goto done;
        }
        source_close(src);
        /* the same file twice would be counted twice */
        struct stat st;
        if (stat(argv[i], &st) == 0)
            for (int j = optind; j < i; j++) {
                struct stat sj;
                if (stat(argv[j], &sj) == 0 && sj.st_dev == st.st_dev &&
                    sj.st_ino == st.st_ino) {
                    result = cmd_usage_error("compare",
                                             "'%s' is given twice (as '%s' "
                                             "too): it would be counted twice",
                                             argv[i], argv[j]);
                    goto done;
                }
            }
        v.inputs[v.ninputs++] = (cmp_input){argv[i], k, 0, name};
    }
    if (v.db)
        for (int k = 0; k < 3; k++) {
            int has = store_has_table(v.db, kind_names[k], err, sizeof err);
            if (has < 0) {
                cmd_error("compare", "%s", err);
                result = EXIT_INPUT;
                goto done;
            }
            if (has) v.inputs[v.ninputs++] = (cmp_input){v.db, k, 1, v.db};
        }
    for (int i = 0; i < v.ninputs; i++)
        if (v.inputs[i].kind == COMPARE_PERSON) v.co.with_persons = 1;
    cmp = compare_new(&v.co);
    if (!cmp) {
        cmd_error("compare", "out of memory");
        result = errclass_exit(ERRCLASS_MEMORY);
        goto done;
    }
    /* files beside a store: the store's keys go into the checkers' unique
     * sets first, so that a file row already in the store is a unique
     * finding and is not counted twice */
    if (v.db && argc > optind)
        for (int k = 0; k < 3 && result == EXIT_OK; k++)
            if (seed_keys(&v, k) < 0) result = EXIT_INPUT;
    for (int k = 0; k < 3 && result == EXIT_OK; k++)
        for (int i = 0; i < v.ninputs && result == EXIT_OK; i++)
            if (v.inputs[i].kind == k)
                result = read_input(&v, cmp, &v.inputs[i]);
    if (result) goto done;
    if (compare_finish(cmp) < 0) {
        result = cmp_failed(cmp);
        goto done;
    }
    if (!v.quiet) account(&v, cmp);
    if (v.errors[0] || v.errors[1] || v.errors[2]) result = EXIT_DATA;
    if (v.audit && v.co.suppress > 0) {
        size_t n;
        const compare_cell *cells = compare_cells(cmp, &n);
        int rc2 = audit_print(cells, n, v.co.suppress, v.quiet);
        if (rc2 && (result == EXIT_OK || rc2 > result)) result = rc2;
    } else if (v.audit) {
        result = cmd_usage_error("compare", "--audit attacks a suppressed "
                                            "table: give -k K");
        goto done;
    }
    if ((v.long_path && v.layout == 1 &&
         write_aggregate(&v, cmp, &outs, v.long_path, err, sizeof err) < 0) ||
        (v.long_path && v.layout == 0 &&
         write_long(&v, cmp, &outs, v.long_path, err, sizeof err) < 0) ||
        (v.wide_path &&
         write_wide(cmp, &outs, v.wide_path, err, sizeof err) < 0) ||
        (v.xlsx_path && write_xlsx(&v, cmp, err, sizeof err) < 0) ||
        sink_commit(&outs, err, sizeof err) < 0) {
        cmd_error("compare", "%s", err);
        result = EXIT_OUTPUT;
    }
done:
    sink_abort(&outs);
    compare_free(cmp);
    free(v.inputs);
    if (spool) {
        outfile_drop_temp(spool);
        free(spool);
    }
    for (int i = 0; i < 3; i++) {
        check_free(v.checks[i]);
        schema_free(v.schemas[i]);
    }
    for (size_t i = 0; i < v.npops; i++)
        free(v.pops[i].source);
    free(v.pops);
    return result;
}
