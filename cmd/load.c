/*
 * load.c: relec load: standard files (incident, person, aggregate; CSV,
 * TSV or .xlsx) into the regional SQLite store. The rules (idempotence,
 * replacement of a corrected file, invalid rows) are lib/store.h's.
 */
#include "cmd.h"
#include "outfile.h"
#include "report.h"
#include "schema.h"
#include "source.h"
#include "store.h"

#include <getopt.h> /* optind */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Options and state of one run. */
typedef struct load_run {
    const char *db;          /* --db */
    const char *schema_path; /* -s */
    const char *schema_dir;  /* --schemas */
    store_policy policy;     /* --skip-invalid */
    source_opts sopts;       /* sheet, delimiter */
    int per_kind;            /* --max-per-kind */
    int quiet;               /* -q */
    schema *cands[3];        /* incident, person, aggregate (or -s) */
    size_t ncands;           /* loaded candidates */
} load_run;

/* The schema of PATH: -s, or the candidate its header fits. */
static const schema *schema_for(load_run *v, const char *path) {
    if (v->schema_path) return v->cands[0];
    source_row row;
    source *src = cmd_peek(path, &v->sopts, &row);
    if (!src) return NULL; /* store_load says why */
    int k = store_pick_schema(v->cands, v->ncands, &row);
    source_close(src);
    if (k == -1) {
        cmd_error("load",
                  "'%s': the header fits no record type (incident, person, "
                  "aggregate): a required column is missing; name one with "
                  "-s to see which",
                  v->sopts.name ? v->sopts.name : path);
        return (const schema *)-1;
    }
    return k >= 0 ? v->cands[k] : NULL;
}

static int load_schemas(load_run *v) {
    char err[1024], path[4096];
    if (v->schema_path) {
        v->cands[0] = schema_load(v->schema_path, err, sizeof err);
        if (!v->cands[0]) {
            fprintf(stderr, "%s\n", err);
            return EXIT_INPUT;
        }
        v->ncands = 1;
        return 0;
    }
    static const char *names[] = {"incident", "person", "aggregate"};
    const char *dir = store_schema_dir(v->schema_dir);
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s.yaml", dir, names[i]);
        v->cands[i] = schema_load(path, err, sizeof err);
        if (!v->cands[i]) {
            fprintf(stderr, "%s\n", err);
            cmd_error("load", "the standard schemas are needed: give "
                              "--schemas DIR or -s SCHEMA");
            return EXIT_INPUT;
        }
        v->ncands++;
    }
    return 0;
}

/* Says N totals (aggregate sums) cannot be right, after SEP. */
static void say_totals(const char *sep, long n) {
    fprintf(stderr, "%s%ld total%s that %s breakdown%s cannot add up to", sep,
            n, n == 1 ? "" : "s", n == 1 ? "its" : "their", n == 1 ? "" : "s");
}

#define V load_run
static const cmd_option load_options[] = {
    CMD_STR("db", 'D', "FILE", "the store (required)", V, db),
    CMD_STR("schema", 's', "FILE",
            "record type for every input (default: told by\n"
            "the header among incident, person, aggregate)",
            V, schema_path),
    CMD_STR("schemas", 0, "DIR",
            "where the standard schemas are (default:\n"
            "$RELEC_SCHEMAS, ./schemas, share/relec/schemas)",
            V, schema_dir),
    CMD_SET("skip-invalid", 0, "load valid rows, set invalid ones aside", V,
            policy, STORE_SKIP_INVALID),
    CMD_SHEET(V),
    CMD_DELIMITER(V),
    CMD_MAX_PER_KIND(V, "print at most N findings per field and code"),
    CMD_QUIET(V, "print only the totals"),
    CMD_END};
#undef V

const cmd_spec cmd_load_spec = {
    "load",
    cmd_load,
    "load standard files into the regional SQLite store",
    {"--db STORE [options] INPUT... (- for stdin)"},
    "Loads standard files (CSV, TSV or .xlsx) into the regional store, an\n"
    "SQLite file made when missing: one table per record type (incident,\n"
    "person, aggregate) and a table of batches (file, SHA-256, rows, time).\n"
    "The record type is told by the header row, or named with -s.\n"
    "\n"
    "  - loading the same file again changes nothing;\n"
    "  - a corrected file for the same country and month replaces the rows\n"
    "    the earlier file loaded for them (persons: for the same incidents),\n"
    "    in one transaction;\n"
    "  - a file with rows that break the standard is refused whole, with\n"
    "    its findings; --skip-invalid loads its valid rows and keeps each\n"
    "    invalid row's number and reason in the store's rejects table;\n"
    "  - an aggregate file whose breakdowns cannot add up to a total is\n"
    "    refused too (no row alone is wrong: --skip-invalid loads it and\n"
    "    counts those totals on stderr; exit status 1);\n"
    "  - incident_id is unique in the whole store: an incident already\n"
    "    loaded for another country or month is a finding like any other;\n"
    "  - person rows of incidents that a corrected incident file drops are\n"
    "    kept, and counted on stderr (load the corrected person file).\n",
    load_options,
    NULL,
    "relec load --db store.db incident.csv person.csv\n"
    "relec load --db store.db --skip-invalid aggregate-2025-q1.xlsx\n"
    "relec merge --map maps/pak-fia.yaml pak.csv | relec load --db store.db "
    "-\n",
    NULL,
    0,
    NULL};

int cmd_load(int argc, char **argv) {
    load_run v;
    memset(&v, 0, sizeof v);
    v.per_kind = 10;
    v.policy = STORE_REFUSE_INVALID;
    int rc = cmd_parse(&cmd_load_spec, &v, argc, argv);
    if (rc >= 0) return rc;
    if (!v.db) return cmd_usage_error("load", "no store: give --db FILE");
    if (optind >= argc)
        return cmd_usage_error("load", "no input: give one or more files");
    /* stdin is spooled to a file: a batch records the SHA-256 of what it
     * loads, and the record type is told from the header first */
    char *spool = NULL, err[1024];
    int spool_arg = -1;
    for (int i = optind; i < argc; i++) {
        outfile_guard(argv[i]);
        if (strcmp(argv[i], "-")) continue;
        if (spool) {
            outfile_drop_temp(spool);
            free(spool);
            return cmd_usage_error("load", "stdin (-) given twice");
        }
        if (!(spool = source_spool(stdin, err, sizeof err))) {
            cmd_error("load", "%s", err);
            return EXIT_INPUT;
        }
        spool_arg = i;
        argv[i] = spool;
    }
    /* the store must not be one of the inputs (same device and inode) */
    int result = EXIT_OK;
    struct stat dbst, inst;
    if (stat(v.db, &dbst) == 0)
        for (int i = optind; i < argc; i++)
            if (stat(argv[i], &inst) == 0 && inst.st_dev == dbst.st_dev &&
                inst.st_ino == dbst.st_ino) {
                cmd_error("load", "'%s' is the store and an input",
                          i == spool_arg ? "-" : argv[i]);
                result = EXIT_USAGE;
                goto done;
            }
    if ((result = load_schemas(&v))) goto done;
    errclass cls;
    store *st = store_open(v.db, &cls, err, sizeof err);
    if (!st) {
        cmd_error("load", "%s", err);
        result = errclass_exit(cls);
        goto done;
    }
    report *rep = report_new(v.quiet ? NULL : stderr, v.per_kind);
    long t_rows = 0, t_loaded = 0, t_rejected = 0, t_dup = 0, t_replaced = 0,
         t_orphans = 0;
    for (int i = optind; i < argc && result < EXIT_INPUT; i++) {
        const char *path = argv[i];
        /* the name printed: stdin's spool is "<stdin>" */
        const char *shown = i == spool_arg ? "<stdin>" : path;
        v.sopts.name = i == spool_arg ? shown : NULL;
        const schema *s = schema_for(&v, path);
        if (s == (const schema *)-1) {
            result = EXIT_DATA > result ? EXIT_DATA : result;
            continue;
        }
        if (!s) s = v.cands[0]; /* unreadable: store_load reports it */
        store_load_stats ls;
        store_result r = store_load(st, s, path, &v.sopts, v.policy, rep, &ls,
                                    err, sizeof err);
        switch (r) {
        case STORE_LOADED:
            fprintf(stderr,
                    "%s: %s, %ld row%s: %ld loaded, %ld rejected as batch "
                    "%ld (%s %s)",
                    shown, s->name, ls.rows, ls.rows == 1 ? "" : "s", ls.loaded,
                    ls.rejected, ls.batch_id, *ls.country ? ls.country : "-",
                    *ls.period ? ls.period : "-");
            if (ls.replaced_rows)
                fprintf(stderr, "; replaces %ld row%s of %d earlier batch%s",
                        ls.replaced_rows, ls.replaced_rows == 1 ? "" : "s",
                        ls.replaced_batches,
                        ls.replaced_batches == 1 ? "" : "es");
            if (ls.totals_wrong) say_totals("; ", ls.totals_wrong);
            fputc('\n', stderr);
            if (ls.orphans) {
                fprintf(stderr,
                        "%s: %ld person row%s of incidents this file no "
                        "longer has (%s): kept in the store without their "
                        "incident; load the corrected person file\n",
                        shown, ls.orphans, ls.orphans == 1 ? "" : "s",
                        ls.orphan_ids);
                t_orphans += ls.orphans;
            }
            t_rows += ls.rows;
            t_loaded += ls.loaded;
            t_rejected += ls.rejected;
            t_replaced += ls.replaced_rows;
            if ((ls.rejected || ls.totals_wrong) && result < EXIT_DATA)
                result = EXIT_DATA;
            break;
        case STORE_DUPLICATE:
            fprintf(stderr,
                    "%s: already in the store as batch %ld (same SHA-256): "
                    "nothing changed\n",
                    shown, ls.batch_id);
            t_dup++;
            break;
        case STORE_REFUSED:
            fprintf(stderr, "%s: %s, %ld row%s: refused, %ld with errors",
                    shown, s->name, ls.rows, ls.rows == 1 ? "" : "s",
                    ls.rejected);
            if (ls.totals_wrong) say_totals(" and ", ls.totals_wrong);
            fprintf(stderr, "; nothing loaded (fix them, or --skip-invalid)\n");
            t_rows += ls.rows;
            t_rejected += ls.rows;
            if (result < EXIT_DATA) result = EXIT_DATA;
            break;
        case STORE_EINPUT:
            cmd_error("load", "%s", err);
            if (result < EXIT_INPUT) result = EXIT_INPUT;
            break;
        case STORE_EOUTPUT:
            cmd_error("load", "%s", err);
            result = EXIT_OUTPUT;
            break;
        }
    }
    if (argc - optind > 1)
        fprintf(stderr,
                "total: %ld rows: %ld loaded, %ld not loaded; %ld file%s "
                "already in the store; %ld earlier rows replaced; %ld person "
                "row%s without their incident\n",
                t_rows, t_loaded, t_rejected, t_dup, t_dup == 1 ? "" : "s",
                t_replaced, t_orphans, t_orphans == 1 ? "" : "s");
    if (report_close(rep, err, sizeof err) < 0) {
        cmd_error("load", "%s", err);
        result = EXIT_OUTPUT;
    }
    if (store_close(st, err, sizeof err) < 0) {
        cmd_error("load", "%s", err);
        result = EXIT_OUTPUT;
    }
done:
    for (size_t i = 0; i < v.ncands; i++)
        schema_free(v.cands[i]);
    outfile_drop_temp(spool);
    free(spool);
    return result;
}
