/*
 * validate.c: relec validate: checks files against a schema, row by row,
 * and says what breaks the SOP where. Streams: memory does not grow with
 * rows except for unique and foreign-key sets.
 */
#include "buf.h"
#include "check.h"
#include "cmd.h"
#include "outfile.h"
#include "report.h"
#include "schema.h"
#include "sink.h"
#include "source.h"
#include "workbook.h"

#include <getopt.h> /* optind */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Options and state of one run. */
typedef struct validate_run {
    const char *schema_path;                      /* -s */
    cmd_list refs;                                /* --ref values */
    cmd_list reports;                             /* -r values */
    const char *valid_path;                       /* --valid */
    const char *rejects_path;                     /* --rejects */
    source_opts sopts;                            /* sheet, delimiter */
    int per_kind;                                 /* --max-per-kind */
    int quiet;                                    /* -q */
    int show_personal;                            /* --show-personal */
    int pseudo;                                   /* --pseudonymised */
    schema *s;                                    /* loaded schema */
    check *chk;                                   /* checker */
    report *rep;                                  /* findings sinks */
    void *xrep;                                   /* xlsx report, when asked */
    sink_set outs;                                /* every output */
    sink *valid, *rejects;                        /* row splits, or NULL */
    source_cell *cells;                           /* output row buffer */
    buf reason;                                   /* reject reason */
    long total_rows, total_valid, total_rejected; /* across files */
    schema **ref_schemas; /* per reftable: the referenced schema, or NULL;
                             loaded when an input may be such a table */
    const char *cur;      /* name of the input being read */
    long total_skipped;   /* empty and total rows, across files */
} validate_run;

/* The marked workbook as a writer of the run's sink set. */
static int commit_xrep(void *w, char *err, size_t errlen) {
    return workbook_report_close(w, cmd_notes("validate"), err, errlen);
}

static int open_outputs(validate_run *v, char *err, size_t errlen) {
    const schema *s = v->s;
    const char **cols = calloc(s->nfields + 3, sizeof *cols);
    if (!cols) {
        snprintf(err, errlen, "out of memory");
        return -ERRCLASS_OUTPUT;
    }
    for (size_t i = 0; i < s->nfields; i++)
        cols[i] = s->fields[i].name;
    int rc = 0;
    if (v->valid_path)
        rc = sink_open(&v->outs, &v->valid, v->valid_path, SINK_ROWS, "Valid",
                       cols, s->nfields, err, errlen);
    if (rc == 0 && v->rejects_path) {
        cols[s->nfields] = "source_file";
        cols[s->nfields + 1] = "source_row";
        cols[s->nfields + 2] = "reject_reason";
        rc = sink_open(&v->outs, &v->rejects, v->rejects_path, SINK_ROWS,
                       "Rejects", cols, s->nfields + 3, err, errlen);
    }
    free(cols);
    v->cells = calloc(s->nfields + 3, sizeof *v->cells);
    if (!v->cells && rc == 0) {
        snprintf(err, errlen, "out of memory");
        rc = -ERRCLASS_OUTPUT;
    }
    return rc;
}

static void split_row(validate_run *v, const char *file, const source_row *row,
                      int errors, const check_finding *f, size_t nf) {
    const schema *s = v->s;
    if (errors ? !v->rejects : !v->valid) return;
    for (size_t i = 0; i < s->nfields; i++) {
        int col = check_column(v->chk, (int)i);
        if (check_value(v->chk, row->row, (int)i, &v->cells[i].p,
                        &v->cells[i].n) == 0)
            continue; /* as checked: a date-time cell's date */
        if (col >= 0 && (size_t)col < row->ncells)
            v->cells[i] = row->cells[col];
        else
            v->cells[i] = (source_cell){"", 0};
    }
    if (!errors) {
        sink_row(v->valid, v->cells, s->nfields);
        return;
    }
    char num[32];
    buf_clear(&v->reason);
    for (size_t i = 0; i < nf; i++)
        if (f[i].severity == CHECK_ERROR) cmd_reason_finding(&v->reason, &f[i]);
    snprintf(num, sizeof num, "%ld", row->row);
    v->cells[s->nfields] = (source_cell){file, strlen(file)};
    v->cells[s->nfields + 1] = (source_cell){num, strlen(num)};
    v->cells[s->nfields + 2] = cmd_reason_cell(&v->reason);
    sink_row(v->rejects, v->cells, s->nfields + 3);
}

/* A row source_next() left out: a total row is a warning; empty and total
 * rows keep their place in the marked workbook. */
static void on_skip(void *ud, const source_row *row, source_skip why) {
    validate_run *v = ud;
    if (why == SOURCE_SKIP_TITLE) {
        if (v->xrep) workbook_report_title(v->xrep, row);
        return;
    }
    if (why == SOURCE_SKIP_LABELS && !v->quiet)
        cmd_labels_note("validate", v->cur, row);
    check_finding f;
    cmd_total_finding(row, &f);
    size_t nf = 0;
    if (why == SOURCE_SKIP_TOTAL) {
        report_finding(v->rep, v->cur, &f);
        nf = 1;
    }
    if (v->xrep) workbook_report_row(v->xrep, row, &f, nf);
}

/* The validations and layout of the sheet SRC has read to its end, into
 * the marked workbook. */
static void report_layout(validate_run *v, source *src) {
    size_t ndd;
    const source_dropdown *dd = source_dropdowns(src, &ndd);
    source_layout lay;
    source_layout_get(src, &lay);
    workbook_report_dropdowns(v->xrep, dd, ndd);
    workbook_report_layout(v->xrep, &lay);
}

/* Copies the sheets of workbook PATH from FROM to TO (tab order, the sheet
 * checked excluded) into the marked workbook, as they are. */
static void copy_sheets(validate_run *v, const char *path, source *src,
                        size_t from, size_t to) {
    size_t n;
    const char *const *names = source_sheets(src, &n);
    const char *checked = source_sheet(src);
    for (size_t i = from; i < to && i < n; i++) {
        if (names[i] == checked) continue;
        char err[1024];
        source_opts o = {0};
        o.sheet = names[i];
        o.keep_nondata = 1;
        source *s = source_open(path, &o, err, sizeof err);
        source_row row;
        int rc = s ? 1 : -1;
        if (s)
            workbook_report_sheet(v->xrep, names[i],
                                  source_sheet_hidden(src, i));
        while (s && (rc = source_next(s, &row)) > 0)
            workbook_report_copy(v->xrep, &row);
        if (rc == 0) report_layout(v, s);
        if (rc < 0 && !v->quiet)
            fprintf(stderr,
                    "relec validate: note: sheet '%s' of '%s' is not in the "
                    "marked workbook: %s\n",
                    names[i], path, s ? source_error(s) : err);
        source_close(s);
    }
}

/* The position of the sheet SRC reads among its workbook's sheets. */
static size_t sheet_index(source *src) {
    size_t n, i = 0;
    const char *const *names = source_sheets(src, &n);
    while (i < n && names[i] != source_sheet(src))
        i++;
    return i;
}

/* Validates one input; returns the exit code it earns (0, 1 or 3). */
static int validate_file(validate_run *v, const char *path) {
    source *src = cmd_open("validate", path, NULL, &v->sopts);
    if (!src) return EXIT_INPUT;
    const char *name = source_name(src);
    v->cur = name;
    /* the marked workbook: the sheets before the one checked, as they are */
    int copy = v->xrep && source_sheet(src) && strcmp(path, "-") != 0;
    if (copy) copy_sheets(v, path, src, 0, sheet_index(src));
    if (v->xrep) workbook_report_file(v->xrep, name, source_sheet(src));
    source_row row;
    int rc, result = EXIT_OK;
    if (cmd_read_header("validate", src, NULL, &row)) return EXIT_INPUT;
    int blank = 1; /* a first row with no name in it is no header */
    for (size_t i = 0; i < row.ncells && blank; i++)
        for (size_t k = 0; k < row.cells[i].n && blank; k++)
            blank = row.cells[i].p[k] == ' ' || row.cells[i].p[k] == '\t';
    if (blank) {
        cmd_error("validate", "'%s': no header row: row 1 is empty", name);
        source_close(src);
        return EXIT_INPUT;
    }
    if (!v->quiet) cmd_header_note("validate", src, "the schema's fields");
    size_t nf;
    const check_finding *f;
    if (check_header(v->chk, &row)) result = EXIT_DATA;
    f = check_findings(v->chk, &nf);
    for (size_t i = 0; i < nf; i++)
        report_finding(v->rep, name, &f[i]);
    if (v->xrep) workbook_report_header(v->xrep, name, &row, f, nf);
    long rows = 0, valid = 0, rejected = 0;
    cmd_progress prog;
    cmd_progress_start(&prog, v->quiet);
    while ((rc = source_next(src, &row)) > 0) {
        int errors = check_row(v->chk, &row);
        f = check_findings(v->chk, &nf);
        for (size_t i = 0; i < nf; i++)
            report_finding(v->rep, name, &f[i]);
        if (v->xrep) workbook_report_row(v->xrep, &row, f, nf);
        split_row(v, name, &row, errors, f, nf);
        rows++;
        if (errors) {
            rejected++;
            result = EXIT_DATA;
        } else {
            valid++;
        }
        cmd_progress_tick(&prog, "validate", name, rows, "rows");
    }
    /* findings that need every row (sums), on their rows' numbers; the
     * rows are split already, so they stay where their own checks put
     * them. A file not read to its end is not judged as a whole. */
    while (rc == 0 && check_end(v->chk) > 0) {
        f = check_findings(v->chk, &nf);
        for (size_t i = 0; i < nf; i++) {
            report_finding(v->rep, name, &f[i]);
            if (f[i].severity == CHECK_ERROR) result = EXIT_DATA;
        }
        if (v->xrep) workbook_report_findings(v->xrep, f, nf);
    }
    if (rc < 0) {
        cmd_error("validate",
                  "'%s': %s (after row %ld; the rest of the file "
                  "is not read)",
                  name, source_error(src), rows + 1);
        result = EXIT_INPUT;
    }
    char skipped[96];
    long nskip = cmd_skipped_rows(src);
    cmd_skipped_text(skipped, sizeof skipped, src);
    rows += nskip;
    fprintf(stderr, "%s: %ld row%s: %ld valid, %ld rejected%s\n", name, rows,
            rows == 1 ? "" : "s", valid, rejected, skipped);
    v->total_skipped += nskip;
    v->total_rows += rows;
    if (v->xrep && rc == 0) report_layout(v, src);
    if (copy && rc == 0)
        copy_sheets(v, path, src, sheet_index(src) + 1, SIZE_MAX);
    v->total_valid += valid;
    v->total_rejected += rejected;
    source_close(src);
    return result;
}

/* The schemas foreign keys refer to (schemas/incident.yaml beside
 * person.yaml), loaded once into V->ref_schemas; entries may be NULL. */
static void load_ref_schemas(validate_run *v) {
    char err[1024], buf[4096];
    const char *slash = strrchr(v->s->path, '/');
    int dirlen = slash ? (int)(slash - v->s->path) : 1;
    v->ref_schemas = calloc(v->s->nrefs + 1, sizeof *v->ref_schemas);
    for (size_t r = 0; v->ref_schemas && r < v->s->nrefs; r++) {
        snprintf(buf, sizeof buf, "%.*s/%s.yaml", dirlen,
                 slash ? v->s->path : ".", v->s->refs[r].table);
        v->ref_schemas[r] = schema_load(buf, err, sizeof err);
    }
}

/* Whether PATH is the table a foreign key refers to, given among the inputs
 * (`relec validate -s person.yaml person.csv incident.csv`): its header
 * holds every required field of the referenced schema. Returns the
 * reftable or NULL. */
static const schema_reftable *ref_input(validate_run *v, const source_opts *so,
                                        const char *path) {
    if (!strcmp(path, "-") || v->s->nrefs == 0) return NULL;
    if (!v->ref_schemas) load_ref_schemas(v);
    if (!v->ref_schemas) return NULL;
    source_row hdr;
    source *src = cmd_peek(path, so, &hdr);
    const schema_reftable *found = NULL;
    if (!src) return NULL;
    for (size_t r = 0; r < v->s->nrefs && !found; r++) {
        const schema *rs = v->ref_schemas[r];
        int all = rs != NULL;
        for (size_t f = 0; rs && f < rs->nfields && all; f++) {
            if (!rs->fields[f].required) continue;
            int seen = 0;
            for (size_t c = 0; c < hdr.ncells && !seen; c++)
                seen =
                    hdr.cells[c].n == strlen(rs->fields[f].name) &&
                    !memcmp(hdr.cells[c].p, rs->fields[f].name, hdr.cells[c].n);
            all = seen;
        }
        if (all) found = &v->s->refs[r];
    }
    source_close(src);
    return found;
}

#define V validate_run
static const cmd_option validate_options[] = {
    CMD_SCHEMA(V, schema_path),
    CMD_LIST("ref", 0, "[TABLE=]FILE",
             "table that foreign keys refer to, e.g.\n"
             "--ref incident=incident.csv for person.yaml;\n"
             "an INPUT with the referenced table's columns\n"
             "is taken as such a table too",
             V, refs, 8),
    CMD_LIST("report", 'r', "FILE",
             "every finding to FILE: .csv (columns file,row,\n"
             "field,value,code,severity,message), .jsonl, or\n"
             ".xlsx (the input with bad cells marked)",
             V, reports, 4),
    CMD_STR("valid", 0, "FILE",
            "rows without errors, in schema order\n"
            "(.csv, .jsonl or .xlsx; - = stdout)",
            V, valid_path),
    CMD_STR("rejects", 0, "FILE",
            "rows with errors, with source_file, source_row\n"
            "and reject_reason; valid + rejects = input",
            V, rejects_path),
    CMD_SHEET(V),
    CMD_HEADER_ROW(V, "the header is row N (default: the first row\n"
                      "naming most of the schema's fields); rows\n"
                      "above it are not data"),
    CMD_DELIMITER(V),
    CMD_MAX_PER_KIND(V, "print at most N findings per field and code,\n"
                        "then summarise (default 10; -1 = all)"),
    CMD_FLAG("pseudonymised", 0,
             "INPUT is written by relec pseudonymise: its\n"
             "personal fields must hold pseudonyms (or a\n"
             "year or month of birth), notes nothing",
             V, pseudo),
    CMD_FLAG("show-personal", 0,
             "findings show the values of personal fields\n"
             "(names, birth dates, document numbers); by\n"
             "default every report and stderr show a mask,\n"
             "e.g. 'Aa*** (5 letters, Latin)'; the .xlsx\n"
             "report's Data sheet keeps the cells as they are",
             V, show_personal),
    CMD_LANG("messages (and the .xlsx report) in LL: en,\n"
             "ur, fa (Dari, Persian), ps, ar, bn, tr; without\n"
             "it, messages follow LC_ALL/LC_MESSAGES/LANG"),
    CMD_QUIET(V, "print only the summary"),
    CMD_END};
#undef V

const cmd_spec cmd_validate_spec = {
    "validate",
    cmd_validate,
    "check CSV/XLSX files against a schema",
    {"-s SCHEMA [options] INPUT..."},
    "Checks CSV, TSV or .xlsx files (- = stdin) against SCHEMA and prints\n"
    "every finding as FILE:ROW: error: FIELD: message [code], where ROW is\n"
    "the row a spreadsheet shows. Empty rows (or ones holding only a\n"
    "running number) are skipped; total rows are a warning, not records.\n",
    validate_options,
    "codes: required type pattern codelist range length unique foreign-key\n"
    "       rule header row-shape encoding\n"
    "\n"
    "A schema with a table key (aggregate.yaml) reports a repeated key as\n"
    "unique on the later row; one with sums reports a total its breakdowns\n"
    "cannot add up to as rule on the total's row, after the file's last row\n"
    "(each file judged alone; the rows stay where --valid/--rejects put "
    "them).\n",
    "relec validate -s incident incident.xlsx --report marked.xlsx\n"
    "relec validate -s person person.csv --ref incident=incident.csv \\\n"
    "    --valid ok.csv --rejects rejects.csv\n",
    NULL,
    0,
    NULL};

int cmd_validate(int argc, char **argv) {
    validate_run v;
    char *is_ref = NULL; /* per argv: the input is a reference table */
    memset(&v, 0, sizeof v);
    v.per_kind = 10;
    int rc = cmd_parse(&cmd_validate_spec, &v, argc, argv);
    if (rc >= 0) return rc;
    if (!v.schema_path)
        return cmd_usage_error("validate", "no schema: give -s SCHEMA.yaml");
    if (optind >= argc)
        return cmd_usage_error("validate",
                               "no input: give one or more files, or - for "
                               "stdin");
    char err[1024];
    v.s = schema_load(v.schema_path, err, sizeof err);
    if (!v.s) {
        /* schema errors carry their own FILE:LINE:COL; an unopenable
         * schema gets the command's prefix like any other file */
        if (!strncmp(err, "cannot open", 11))
            cmd_error("validate", "%s", err);
        else
            fprintf(stderr, "%s\n", err);
        return EXIT_INPUT;
    }
    int result = EXIT_OK;
    /* a store holds several tables: read the one of this record type */
    v.sopts.table = v.s->name;
    v.chk = check_new(v.s);
    if (v.chk) {
        check_show_personal(v.chk, v.show_personal);
        check_pseudonymised(v.chk, v.pseudo);
    }
    source_opts plain = v.sopts; /* for reference tables: their own header */
    if (cmd_header_names(&v.sopts, v.s) < 0) {
        cmd_error("validate", "out of memory");
        result = EXIT_INPUT;
        goto done;
    }
    v.sopts.on_skip = on_skip;
    v.sopts.on_skip_ud = &v;
    for (int i = optind; i < argc; i++)
        outfile_guard(argv[i]);
    for (int i = 0; i < v.refs.n && result == EXIT_OK; i++) {
        int r = cmd_load_ref("validate", v.chk, v.s, v.refs.v[i], &plain);
        if (r) result = r;
    }
    if (result != EXIT_OK) goto done;
    /* reference tables given as inputs are loaded, not validated */
    is_ref = calloc((size_t)argc + 1, 1);
    for (int i = optind; i < argc && is_ref; i++) {
        const schema_reftable *t = ref_input(&v, &plain, argv[i]);
        if (!t) continue;
        if (check_load_ref(v.chk, t->table, argv[i], &plain, err, sizeof err) <
            0) {
            cmd_error("validate", "%s", err);
            result = EXIT_INPUT;
            goto done;
        }
        is_ref[i] = 1;
        if (!v.quiet)
            fprintf(stderr,
                    "relec validate: note: '%s' is read as the %s table "
                    "that %s refers to, not validated against %s\n",
                    argv[i], t->table, v.s->fields[t->from_field].name,
                    v.s->name);
    }
    if (!v.quiet && check_missing_ref(v.chk))
        fprintf(stderr,
                "relec validate: note: foreign keys to %s are not checked: "
                "give --ref TABLE=FILE\n",
                check_missing_ref(v.chk));
    /* -q: the row counts and the findings per code, no finding lines */
    v.rep = report_new(stderr, v.per_kind);
    if (v.quiet) report_summary_only(v.rep);
    for (int i = 0; i < v.reports.n; i++) {
        const char *p = v.reports.v[i];
        size_t n = strlen(p);
        if (n > 5 && !strcmp(p + n - 5, ".xlsx")) {
            if (v.xrep) { /* the input is marked once: one workbook */
                result = cmd_usage_error(
                    "validate",
                    "--report: one .xlsx report at most (a second: '%s')", p);
                goto done;
            }
            v.xrep = workbook_report_open(p, v.s, err, sizeof err);
            if (!v.xrep || sink_add_writer(&v.outs, v.xrep, commit_xrep,
                                           workbook_report_abort) < 0) {
                cmd_error("validate", "%s", v.xrep ? "out of memory" : err);
                result = EXIT_OUTPUT;
                goto done;
            }
        } else if ((rc = report_add_file(v.rep, &v.outs, p, err, sizeof err))) {
            cmd_error("validate", "%s", err);
            result = errclass_exit((errclass)-rc);
            goto done;
        }
    }
    if ((rc = open_outputs(&v, err, sizeof err)) < 0) {
        cmd_error("validate", "%s", err);
        result = errclass_exit((errclass)-rc);
        goto done;
    }
    int nvalidated = 0;
    for (int i = optind; i < argc; i++) {
        if (is_ref && is_ref[i]) continue;
        int r = validate_file(&v, argv[i]);
        if (r > result) result = r;
        nvalidated++;
    }
    if (nvalidated > 1)
        fprintf(stderr, "total: %ld rows: %ld valid, %ld rejected%s%.0ld%s\n",
                v.total_rows, v.total_valid, v.total_rejected,
                v.total_skipped ? ", " : "", v.total_skipped,
                v.total_skipped ? " skipped" : "");
    /* a run that could not read all its input writes nothing */
    if (result >= EXIT_USAGE) goto done;
    report_close(v.rep, err, sizeof err);
    v.rep = NULL;
    if (sink_commit(&v.outs, err, sizeof err) < 0) {
        cmd_error("validate", "%s", err);
        result = EXIT_OUTPUT;
    }
done:
    free(is_ref);
    free((void *)v.sopts.header_names);
    report_abort(v.rep);
    sink_abort(&v.outs);
    free(v.cells);
    buf_free(&v.reason);
    for (size_t r = 0; v.ref_schemas && r < v.s->nrefs; r++)
        schema_free(v.ref_schemas[r]);
    free(v.ref_schemas);
    check_free(v.chk);
    schema_free(v.s);
    return result;
}
