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
#include "compare_xlsx.h"
#include "outfile.h"
#include "schema.h"
#include "source.h"
#include "store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
    "usage: relec compare [options] [INPUT...] [--db STORE]\n"
    "\n"
    "Cross-border comparison tables: indicator x country x period, with\n"
    "breakdowns and totals, from standard incident and person files,\n"
    "aggregate files (CSV, TSV or .xlsx; the record type is told by the\n"
    "header) and/or the regional store made by relec load. Indicators are\n"
    "the aggregate codes (thb_incidents, thb_victims, ...). File rows that\n"
    "break the standard are not counted (relec validate tells why); every\n"
    "row is accounted for on stderr.\n"
    "\n"
    "  -D, --db FILE          read the store's incident, person and\n"
    "                         aggregate tables too\n"
    "  -p, --period P         month (default), quarter or year\n"
    "  -b, --by LIST          breakdowns, comma-separated: sex, age_group,\n"
    "                         nationality, offence_type, exploitation_form\n"
    "                         (or all); the total is always there\n"
    "  -k, --suppress K       show counts 1..K-1 as <K and hide (x) enough\n"
    "                         other cells that none can be worked out from\n"
    "                         the totals\n"
    "  -o, --output FILE      .xlsx: the workbook; otherwise long CSV\n"
    "                         (country,period,indicator,breakdown,category,\n"
    "                         value,flag); default: long CSV on stdout\n"
    "      --long FILE        long CSV\n"
    "      --wide FILE        wide CSV: periods as columns\n"
    "      --xlsx FILE        workbook: a sheet per indicator, a chart per\n"
    "                         table\n"
    "      --schemas DIR      where the standard schemas are\n"
    "      --sheet NAME|N     worksheet of .xlsx inputs (default: the first)\n"
    "  -d, --delimiter C      CSV delimiter: , ; | or tab (default: guessed)\n"
    "  -q, --quiet            no row accounting on stderr\n"
    "  -h, --help             this help\n"
    "\n"
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
    "rows that tell the category (e.g. victims without a person row).\n"
    "\n" EXIT_CODES_HELP;

/* One input and its record type. */
typedef struct cmp_input {
    const char *path; /* file, or the store */
    int kind;         /* compare_kind */
    int from_store;   /* a table of --db */
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

/* Reads one input into CMP; returns an exit code (0 or 3). */
static int read_input(compare_run *v, compare *cmp, const cmp_input *in) {
    char err[1024];
    if (in->from_store) { /* rows checked when loaded; a narrow SELECT */
        if (compare_read_store(cmp, in->path, (compare_kind)in->kind,
                               v->co.with_persons, err, sizeof err) < 0) {
            cmd_error("compare", "'%s': %s", in->path, err);
            return EXIT_INPUT;
        }
        return EXIT_OK;
    }
    source_opts so = v->sopts;
    source *src = source_open(in->path, &so, err, sizeof err);
    if (!src) {
        cmd_error("compare", "cannot open '%s': %s", in->path, err);
        return EXIT_INPUT;
    }
    source_row row;
    int rc = source_next(src, &row);
    if (rc <= 0) {
        cmd_error("compare", "'%s': %s", source_name(src),
                  rc < 0 ? source_error(src)
                         : "file is empty: no header row and no data");
        source_close(src);
        return EXIT_INPUT;
    }
    if (compare_header(cmp, (compare_kind)in->kind, &row, err, sizeof err) <
        0) {
        cmd_error("compare", "'%s': %s", source_name(src), err);
        source_close(src);
        return EXIT_INPUT;
    }
    /* file rows are checked here, and those with errors are not counted */
    check *chk = v->checks[in->kind];
    if (chk) check_header(chk, &row);
    while ((rc = source_next(src, &row)) > 0) {
        if (chk && check_row(chk, &row)) {
            v->errors[in->kind]++;
            continue;
        }
        compare_row(cmp, &row);
    }
    int result = EXIT_OK;
    if (rc < 0) {
        cmd_error("compare", "'%s': %s (the rest of the file is not read)",
                  source_name(src), source_error(src));
        result = EXIT_INPUT;
    }
    source_close(src);
    return result;
}

static int write_long(const compare *cmp, const char *path, char *err,
                      size_t errlen) {
    outfile o;
    if (outfile_open(&o, path, err, errlen) < 0) return -1;
    size_t n;
    const compare_cell *cells = compare_cells(cmp, &n);
    char buf[32];
    fputs("country,period,indicator,breakdown,category,value,flag\n", o.fp);
    for (size_t i = 0; i < n; i++) {
        const compare_cell *x = &cells[i];
        outfile_csv_cell(o.fp, x->country, strlen(x->country));
        fputc(',', o.fp);
        outfile_csv_cell(o.fp, x->period, strlen(x->period));
        fprintf(o.fp, ",%s,%s,", x->indicator, x->breakdown);
        outfile_csv_cell(o.fp, x->category, strlen(x->category));
        fprintf(o.fp, ",%s,%s\n", compare_format(cmp, x, buf),
                x->incomplete ? "incomplete" : "");
    }
    if (outfile_commit(&o, err, errlen) < 0) {
        outfile_abort(&o);
        return -1;
    }
    return 0;
}

static int write_wide(const compare *cmp, const char *path, char *err,
                      size_t errlen) {
    outfile o;
    if (outfile_open(&o, path, err, errlen) < 0) return -1;
    size_t n, np;
    const compare_cell *cells = compare_cells_wide(cmp, &n);
    const char *const *periods = compare_periods(cmp, &np);
    char buf[32];
    fputs("indicator,breakdown,country,category", o.fp);
    for (size_t p = 0; p < np; p++)
        fprintf(o.fp, ",%s", periods[p]);
    fputs(",incomplete\n", o.fp);
    size_t i = 0;
    while (i < n) {
        const compare_cell *x = &cells[i];
        size_t first = i;
        fprintf(o.fp, "%s,%s,", x->indicator, x->breakdown);
        outfile_csv_cell(o.fp, x->country, strlen(x->country));
        fputc(',', o.fp);
        outfile_csv_cell(o.fp, x->category, strlen(x->category));
        for (size_t p = 0; p < np; p++) {
            fputc(',', o.fp); /* an empty cell: no figure for that period */
            if (i < n && cells[i].indicator == x->indicator &&
                cells[i].breakdown == x->breakdown &&
                !strcmp(cells[i].country, x->country) &&
                !strcmp(cells[i].category, x->category) &&
                !strcmp(cells[i].period, periods[p]))
                fputs(compare_format(cmp, &cells[i++], buf), o.fp);
        }
        /* the periods of this line with months missing */
        fputc(',', o.fp);
        for (size_t j = first, sep = 0; j < i; j++)
            if (cells[j].incomplete) {
                fprintf(o.fp, "%s%s", sep++ ? ";" : "", cells[j].period);
            }
        fputc('\n', o.fp);
        if (i < n && &cells[i] == x) i++; /* never stall */
    }
    if (outfile_commit(&o, err, errlen) < 0) {
        outfile_abort(&o);
        return -1;
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
}

int cmd_compare(int argc, char **argv) {
    static const struct option opts[] = {
        {"db", required_argument, 0, 'D'},
        {"period", required_argument, 0, 'p'},
        {"by", required_argument, 0, 'b'},
        {"suppress", required_argument, 0, 'k'},
        {"output", required_argument, 0, 'o'},
        {"long", required_argument, 0, 'L'},
        {"wide", required_argument, 0, 'W'},
        {"xlsx", required_argument, 0, 'X'},
        {"schemas", required_argument, 0, 'C'},
        {"sheet", required_argument, 0, 'S'},
        {"delimiter", required_argument, 0, 'd'},
        {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    compare_run v;
    memset(&v, 0, sizeof v);
    int c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":D:p:b:k:o:d:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'D':
            v.db = optarg;
            break;
        case 'p':
            if (!strcmp(optarg, "month"))
                v.co.period = COMPARE_MONTH;
            else if (!strcmp(optarg, "quarter"))
                v.co.period = COMPARE_QUARTER;
            else if (!strcmp(optarg, "year"))
                v.co.period = COMPARE_YEAR;
            else
                return cmd_usage_error("compare",
                                       "--period '%s': use month, quarter "
                                       "or year",
                                       optarg);
            break;
        case 'b': {
            const char *p = optarg;
            while (*p) {
                size_t n = strcspn(p, ",");
                unsigned bit = compare_breakdown_parse(p, n);
                if (n == 3 && !memcmp(p, "all", 3)) bit = ~0u;
                if (!bit)
                    return cmd_usage_error(
                        "compare",
                        "--by '%.*s': use sex, age_group, nationality, "
                        "offence_type, exploitation_form or all",
                        (int)n, p);
                v.co.by |= bit;
                p += n;
                if (*p == ',') p++;
            }
            break;
        }
        case 'k': {
            char *end;
            long k = strtol(optarg, &end, 10);
            if (*end || k < 0 || k > 1000000)
                return cmd_usage_error(
                    "compare", "--suppress '%s': give a whole number", optarg);
            v.co.suppress = (int)k;
            break;
        }
        case 'o': {
            size_t n = strlen(optarg);
            if (n > 5 && !strcmp(optarg + n - 5, ".xlsx"))
                v.xlsx_path = optarg;
            else
                v.long_path = optarg;
            break;
        }
        case 'L':
            v.long_path = optarg;
            break;
        case 'W':
            v.wide_path = optarg;
            break;
        case 'X':
            v.xlsx_path = optarg;
            break;
        case 'C':
            v.schema_dir = optarg;
            break;
        case 'S':
            v.sopts.sheet = optarg;
            break;
        case 'd':
            if ((rc = cmd_opt_delimiter("compare", optarg, &v.sopts.delim)))
                return rc;
            break;
        case 'q':
            v.quiet = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cmd_opt_bad("compare", c, argv);
        }
    }
    if (optind >= argc && !v.db)
        return cmd_usage_error("compare",
                               "no input: give files, or --db STORE");
    if (!v.long_path && !v.wide_path && !v.xlsx_path) v.long_path = "-";
    for (int i = optind; i < argc; i++)
        outfile_guard(argv[i]);
    if (v.db) outfile_guard(v.db);
    int result = load_schemas(&v);
    compare *cmp = NULL;
    char err[1024];
    if (result) goto done;
    v.inputs = calloc((size_t)(argc - optind) + 3, sizeof *v.inputs);
    if (!v.inputs) {
        result = EXIT_INPUT;
        goto done;
    }
    /* the record type of each file, from its header */
    for (int i = optind; i < argc; i++) {
        source *src = source_open(argv[i], &v.sopts, err, sizeof err);
        if (!src) {
            cmd_error("compare", "cannot open '%s': %s", argv[i], err);
            result = EXIT_INPUT;
            goto done;
        }
        if (!strcmp(argv[i], "-")) {
            source_close(src);
            cmd_error("compare", "compare reads its files twice (record "
                                 "type, then rows): give a file, not stdin");
            result = EXIT_USAGE;
            goto done;
        }
        source_row row;
        int rc = source_next(src, &row);
        int k = rc > 0 ? store_pick_schema(v.schemas, 3, &row) : -1;
        if (rc <= 0 || k < 0) {
            cmd_error("compare", "'%s': %s", argv[i],
                      rc < 0    ? source_error(src)
                      : rc == 0 ? "file is empty: no header row and no data"
                                : "the header fits no record type (incident, "
                                  "person, aggregate)");
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
        v.inputs[v.ninputs++] = (cmp_input){argv[i], k, 0};
    }
    if (v.db)
        for (int k = 0; k < 3; k++) {
            int has = store_has_table(v.db, kind_names[k], err, sizeof err);
            if (has < 0) {
                cmd_error("compare", "%s", err);
                result = EXIT_INPUT;
                goto done;
            }
            if (has) v.inputs[v.ninputs++] = (cmp_input){v.db, k, 1};
        }
    for (int i = 0; i < v.ninputs; i++)
        if (v.inputs[i].kind == COMPARE_PERSON) v.co.with_persons = 1;
    cmp = compare_new(&v.co);
    if (!cmp) {
        result = EXIT_INPUT;
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
    compare_finish(cmp);
    if (!v.quiet) account(&v, cmp);
    if (v.errors[0] || v.errors[1] || v.errors[2]) result = EXIT_DATA;
    if ((v.long_path && write_long(cmp, v.long_path, err, sizeof err) < 0) ||
        (v.wide_path && write_wide(cmp, v.wide_path, err, sizeof err) < 0) ||
        (v.xlsx_path &&
         compare_xlsx_write(cmp, v.xlsx_path, err, sizeof err) < 0)) {
        cmd_error("compare", "%s", err);
        result = EXIT_OUTPUT;
    }
done:
    compare_free(cmp);
    free(v.inputs);
    for (int i = 0; i < 3; i++) {
        check_free(v.checks[i]);
        schema_free(v.schemas[i]);
    }
    return result;
}
