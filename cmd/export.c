/*
 * export.c: relec export: the standard workbook a ministry receives.
 * Streams: each input row is checked (lib/check.h) and written at once to
 * the Data sheet in constant memory; findings are spooled for Issues;
 * Summary counts grow with distinct months and codes, not with rows.
 */
#include "check.h"
#include "cmd.h"
#include "outfile.h"
#include "schema.h"
#include "sha256.h"
#include "source.h"
#include "workbook.h"

#include <errno.h>
#include <getopt.h> /* optind */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Options and state of one run. */
typedef struct export_run {
    const char *schema_path; /* -s */
    const char *out;         /* -o */
    const char *db;          /* --db: the store, read as one more input */
    cmd_list refs;           /* --ref values */
    source_opts sopts;       /* sheet, delimiter */
    int quiet;               /* -q */
    schema *s;               /* loaded schema */
    check *chk;              /* checker */
    workbook_export *wb;     /* the workbook being written */
    source_cell *cells;      /* one row in schema order */
    long errors, warnings;   /* findings over all inputs */
    const char *cur;         /* name of the input read */
} export_run;

/* A total row is no record: a warning in Issues, no Data row; nor is a
 * row of labels under the header: a note. */
static void on_skip(void *ud, const source_row *row, source_skip why) {
    export_run *x = ud;
    if (why == SOURCE_SKIP_LABELS && !x->quiet)
        cmd_labels_note("export", x->cur, row);
    if (why != SOURCE_SKIP_TOTAL) return;
    check_finding f;
    cmd_total_finding(row, &f);
    workbook_export_header(x->wb, &f, 1);
    x->warnings++;
}

static void count(export_run *x, const check_finding *f, size_t nf) {
    for (size_t i = 0; i < nf; i++) {
        if (f[i].severity == CHECK_ERROR)
            x->errors++;
        else
            x->warnings++;
    }
}

/* Exports one input; returns EXIT_OK or EXIT_INPUT. */
static int export_file(export_run *x, const char *path) {
    char hex[65];
    int hashed = 0;
    if (strcmp(path, "-") != 0) {
        if (sha256_file(path, hex) < 0) {
            cmd_error("export", "cannot open '%s': %s", path, strerror(errno));
            return EXIT_INPUT;
        }
        hashed = 1;
    }
    source *src = cmd_open("export", path, NULL, &x->sopts);
    if (!src) return EXIT_INPUT;
    const char *name = source_name(src);
    x->cur = name;
    source_row row;
    int rc;
    if (cmd_read_header("export", src, NULL, &row)) return EXIT_INPUT;
    workbook_export_file(x->wb, name, source_format(src), hashed ? hex : NULL);
    if (!x->quiet) cmd_header_note("export", src, "the schema's fields");
    size_t nf;
    check_header(x->chk, &row);
    const check_finding *f = check_findings(x->chk, &nf);
    count(x, f, nf);
    workbook_export_header(x->wb, f, nf);
    const schema *s = x->s;
    long rows = 0;
    cmd_progress prog;
    cmd_progress_start(&prog, x->quiet);
    while ((rc = source_next(src, &row)) > 0) {
        check_row(x->chk, &row);
        f = check_findings(x->chk, &nf);
        count(x, f, nf);
        for (size_t i = 0; i < s->nfields; i++) {
            int col = check_column(x->chk, (int)i);
            if (check_value(x->chk, row.row, (int)i, &x->cells[i].p,
                            &x->cells[i].n) == 0)
                continue; /* as checked: a date-time cell's date */
            x->cells[i] = col >= 0 && (size_t)col < row.ncells
                              ? row.cells[col]
                              : (source_cell){"", 0};
        }
        x->warnings += workbook_export_row(x->wb, x->cells, row.row, f, nf);
        rows++;
        cmd_progress_tick(&prog, "export", name, rows, "rows");
    }
    if (rc < 0) {
        cmd_error("export", "'%s': %s (after row %ld; no workbook written)",
                  name, source_error(src), rows + 1);
        source_close(src);
        return EXIT_INPUT;
    }
    char skipped[96];
    cmd_skipped_text(skipped, sizeof skipped, src);
    long nskip = cmd_skipped_rows(src);
    if (!x->quiet && nskip)
        fprintf(stderr, "%s: %ld rows: %ld exported%s\n", name, rows + nskip,
                rows, skipped);
    else if (!x->quiet)
        fprintf(stderr, "%s: %ld row%s\n", name, rows, rows == 1 ? "" : "s");
    source_close(src);
    return EXIT_OK;
}

#define X export_run
static const cmd_option export_options[] = {
    CMD_SCHEMA(X, schema_path),
    CMD_STR("output", 'o', "FILE",
            "the workbook to write (.xlsx; - for stdout)", X, out),
    CMD_STR("db", 'D', "STORE",
            "the rows of SCHEMA's record type in the\n"
            "regional store (relec load), after INPUTs",
            X, db),
    CMD_LIST("ref", 0, "[TABLE=]FILE", "table that foreign keys refer to", X,
             refs, 8),
    CMD_SHEET(X),
    CMD_HEADER_ROW(X, "the header is row N (default: the first row\n"
                      "naming most of the schema's fields)"),
    CMD_DELIMITER(X),
    CMD_LANG("labels and descriptions in LL: en, ur, fa\n"
             "(Dari, Persian), ps, ar, bn, tr; sheets right\n"
             "to left for ur, fa, ps, ar; codes, field and\n"
             "sheet names stay the same in every language"),
    CMD_QUIET(X, "print nothing but errors"),
    CMD_END};
#undef X

const cmd_spec cmd_export_spec = {
    "export",
    cmd_export,
    "write the standard workbook for a ministry",
    {"-s SCHEMA -o OUT.xlsx [options] INPUT..."},
    "Writes the standard workbook of CSV, TSV or .xlsx inputs (- = stdin):\n"
    "  Data     one column per schema field in schema order, typed cells\n"
    "           (numbers, dates), every input row (Data (2)... past Excel's\n"
    "           1,048,576 rows a sheet)\n"
    "  Summary  rows by month and offence type, by nationality, by sex and\n"
    "           age group (the tables whose fields the schema has), a chart\n"
    "  Codes    every code list with its labels\n"
    "  Issues   the findings of relec validate, with the Data row of each\n"
    "  About    schema and version, inputs with rows and SHA-256, time, tool\n"
    "Columns of an input that are not schema fields are not exported (a\n"
    "header finding in Issues says so). Empty rows and total rows are not\n"
    "records: they are counted, not exported (a total row is a warning).\n",
    export_options,
    "The workbook is written even when the data has errors (exit 1); it is\n"
    "not written when an input cannot be read in full (exit 3).\n",
    "relec export -s incident -o incident-2025-03.xlsx incident.csv\n"
    "relec export -s person --ref incident=incident.csv -o person.xlsx \\\n"
    "    person.csv\n"
    "relec export -s incident --db store.db -o - > all.xlsx\n",
    NULL,
    0,
    NULL};

int cmd_export(int argc, char **argv) {
    export_run x;
    memset(&x, 0, sizeof x);
    int rc = cmd_parse(&cmd_export_spec, &x, argc, argv);
    if (rc >= 0) return rc;
    if (!x.schema_path)
        return cmd_usage_error("export", "no schema: give -s SCHEMA.yaml");
    if (!x.out) return cmd_usage_error("export", "no output: give -o OUT.xlsx");
    size_t olen = strlen(x.out);
    if ((olen < 6 || strcmp(x.out + olen - 5, ".xlsx") != 0) &&
        strcmp(x.out, "-"))
        return cmd_usage_error("export", "output '%s': name it .xlsx", x.out);
    if (optind >= argc && !x.db)
        return cmd_usage_error("export", "no input: give one or more files, "
                                         "- for stdin, or --db STORE");
    /* the inputs: files as given, then the store */
    int nin = argc - optind + (x.db != NULL);
    const char **in = calloc((size_t)nin + 1, sizeof *in);
    if (!in) return EXIT_OUTPUT;
    for (int i = optind; i < argc; i++)
        in[i - optind] = argv[i];
    if (x.db) in[nin - 1] = x.db;
    int nstdin = 0;
    for (int i = 0; i < nin; i++)
        nstdin += !strcmp(in[i], "-");
    if (nstdin > 1) {
        free(in);
        return cmd_usage_error("export", "stdin (-) given more than once");
    }
    char err[1024];
    x.s = schema_load(x.schema_path, err, sizeof err);
    if (!x.s) {
        fprintf(stderr, "%s\n", err);
        free(in);
        return EXIT_INPUT;
    }
    int result = EXIT_OK;
    /* a store holds several tables: read the one of this record type */
    x.sopts.table = x.s->name;
    x.chk = check_new(x.s);
    x.cells = calloc(x.s->nfields + 1, sizeof *x.cells);
    if (!x.chk || !x.cells) {
        cmd_error("export", "out of memory");
        result = EXIT_OUTPUT;
        goto done;
    }
    /* ZIP64 only when a sheet part could pass 4 GB: inputs over 1 GB (the
     * sheet XML is about 2-3 times the CSV); smaller files stay plain zip,
     * which every reader takes. */
    unsigned long long in_bytes = 0;
    for (int i = 0; i < nin; i++) {
        struct stat st;
        outfile_guard(in[i]);
        if (strcmp(in[i], "-") && stat(in[i], &st) == 0)
            in_bytes += (unsigned long long)st.st_size;
        else if (!strcmp(in[i], "-"))
            in_bytes += 1ull << 30; /* unknown: assume big */
    }
    for (int i = 0; i < x.refs.n && result == EXIT_OK; i++) {
        int r = cmd_load_ref("export", x.chk, x.s, x.refs.v[i], &x.sopts);
        if (r) result = r;
    }
    if (cmd_header_names(&x.sopts, x.s) < 0) {
        cmd_error("export", "out of memory");
        result = EXIT_OUTPUT;
    }
    x.sopts.on_skip = on_skip;
    x.sopts.on_skip_ud = &x;
    if (result != EXIT_OK) goto done;
    if (!x.quiet && check_missing_ref(x.chk))
        fprintf(stderr,
                "relec export: note: foreign keys to %s are not checked: "
                "give --ref TABLE=FILE\n",
                check_missing_ref(x.chk));
    x.wb = workbook_export_open(x.out, x.s, in_bytes >= (1ull << 30), err,
                                sizeof err);
    if (!x.wb) {
        cmd_error("export", "%s", err);
        result = EXIT_OUTPUT;
        goto done;
    }
    for (int i = 0; i < nin; i++) {
        int r = export_file(&x, in[i]);
        if (r != EXIT_OK) {
            result = r;
            goto done;
        }
    }
    long rows = workbook_export_rows(x.wb);
    workbook_export *wb = x.wb;
    x.wb = NULL;
    if (workbook_export_close(wb, cmd_notes("export"), err, sizeof err) < 0) {
        cmd_error("export", "%s", err);
        result = EXIT_OUTPUT;
        goto done;
    }
    if (!x.quiet)
        fprintf(stderr,
                "wrote %s: %ld row%s in Data; %ld error%s, %ld warning%s in "
                "Issues\n",
                x.out, rows, rows == 1 ? "" : "s", x.errors,
                x.errors == 1 ? "" : "s", x.warnings,
                x.warnings == 1 ? "" : "s");
    result = x.errors ? EXIT_DATA : EXIT_OK;
done:
    free(in);
    free((void *)x.sopts.header_names);
    workbook_export_abort(x.wb);
    free(x.cells);
    check_free(x.chk);
    schema_free(x.s);
    return result;
}
