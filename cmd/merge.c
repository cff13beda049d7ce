/*
 * merge.c: relec merge: national files mapped onto the standard through
 * crosswalk maps (lib/map.h, schemas/maps.md), written as one CSV with
 * source_file and source_row on every row.
 *
 * Accounting: every input row is either written out or written to
 * --rejects with its reason; the per-source summary prints rows in, out
 * and rejected, and in = out + rejected by construction.
 *
 * Duplicates across and within sources are decided on the schema's first
 * unique field (incident_id, person_id): a repeat whose mapped content is
 * the same as the first row's is rejected as a duplicate (it adds nothing,
 * and the output must keep the field unique); a repeat with different
 * content is a conflict: reported on stderr and in --conflicts, and kept
 * (default) or rejected (--conflict-rows reject). Memory grows with the
 * rows only through that key set: one strmap entry and 16 bytes a row.
 */
#include "check.h"
#include "cmd.h"
#include "map.h"
#include "report.h"
#include "rowout.h"
#include "schema.h"
#include "source.h"
#include "strmap.h"

#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: relec merge --map MAP.yaml INPUT... [--map MAP2.yaml INPUT2...]\n"
    "                   [options]\n"
    "\n"
    "Maps national CSV, TSV or .xlsx files (- = stdin) onto a record type of\n"
    "the standard, each through the crosswalk MAP given before it (see\n"
    "schemas/maps.md), and writes one CSV: the schema's fields in order plus\n"
    "source_file and source_row. A value a map cannot place is not guessed:\n"
    "its row goes to --rejects with the reason, or it is kept with a warning,\n"
    "as the map says. Prints per source: rows in, out and rejected.\n"
    "\n"
    "  -m, --map FILE         the crosswalk for the INPUTs that follow it\n"
    "  -o, --output FILE      merged rows (default: stdout)\n"
    "      --rejects FILE     rows not merged: the mapped fields so far,\n"
    "                         source_file, source_row, reject_reason\n"
    "      --conflicts FILE   CSV of keys seen twice with different content:\n"
    "                         key,first_file,first_row,file,row\n"
    "      --conflict-rows keep|reject\n"
    "                         what to do with the later row of a conflict\n"
    "                         (default keep: it is merged and flagged)\n"
    "      --validate         run the schema's checks on mapped rows; rows\n"
    "                         with errors go to --rejects (also when a map\n"
    "                         says validate: true)\n"
    "  -r, --report FILE      findings to FILE (.csv or .jsonl), columns as\n"
    "                         relec validate --report\n"
    "      --sheet NAME|N     worksheet of .xlsx inputs (default: the first)\n"
    "  -d, --delimiter C      CSV delimiter: , ; | or tab (default: guessed)\n"
    "      --max-per-kind N   print at most N findings per field and code\n"
    "                         (default 10; -1 = all)\n"
    "  -q, --quiet            print only the summary\n"
    "  -h, --help             this help\n"
    "\n"
    "exit status: 0 every row merged, no conflict; 1 rows rejected or\n"
    "conflicts; 2 usage error; 3 unreadable input or bad map or schema;\n"
    "4 cannot write an output\n";

/* One --map group: a map and the inputs it applies to. */
typedef struct merge_group {
    const char *map_path; /* --map value */
    map *m;               /* loaded map */
    const char **inputs;  /* files after it (pointers into argv) */
    int ninputs;          /* how many */
} merge_group;

/* First sighting of a key: content hash and where. */
typedef struct merge_seen {
    uint64_t hash; /* hash of the mapped row */
    uint32_t file; /* index into merge_run.names */
    uint32_t row;  /* spreadsheet row */
} merge_seen;

/* Options and state of one run. */
typedef struct merge_run {
    merge_group *groups;      /* --map groups */
    int ngroups;              /* how many */
    const char *out_path;     /* -o, default "-" */
    const char *rejects_path; /* --rejects */
    const char *conflicts_path; /* --conflicts */
    int reject_conflicts;     /* --conflict-rows reject */
    int validate;             /* --validate */
    const char *reports[4];   /* -r values */
    int nreports;             /* how many */
    source_opts sopts;        /* sheet, delimiter */
    int per_kind;             /* --max-per-kind */
    int quiet;                /* -q */
    const schema *s;          /* output schema (the first map's) */
    check *chk;               /* checker, when validating */
    report *rep;              /* findings */
    rowout out, rejects, conflicts; /* outputs */
    int have_out, have_rejects, have_conflicts; /* opened */
    source_cell *cells;       /* output row: fields + 3 */
    int key;                  /* unique field index, or -1 */
    strmap keys;              /* key -> index + 1 into seen */
    merge_seen *seen;         /* first sightings */
    size_t nseen, capseen;    /* use and size */
    char **names;             /* source names, by file index (owned) */
    size_t nnames;            /* how many */
    char *reason;             /* reject reason buffer */
    size_t rlen, rcap;        /* its use and size */
    long in, out_rows, rejected, conflicts_n; /* totals */
} merge_run;

static void radd(merge_run *r, const char *p, size_t n) {
    if (r->rlen + n + 1 > r->rcap) {
        size_t cap = (r->rcap ? r->rcap : 256) * 2 + n;
        char *x = realloc(r->reason, cap);
        if (!x) return;
        r->reason = x;
        r->rcap = cap;
    }
    memcpy(r->reason + r->rlen, p, n);
    r->rlen += n;
    r->reason[r->rlen] = 0;
}

static uint64_t row_hash(const source_cell *c, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < c[i].n; j++)
            h = (h ^ (unsigned char)c[i].p[j]) * 1099511628211ull;
        h = (h ^ 0x1F) * 1099511628211ull; /* cell separator */
    }
    return h;
}

/* Writes ROW's mapped cells to rejects with r->reason. */
static void write_reject(merge_run *r, const char *name, long row) {
    if (!r->have_rejects) return;
    size_t nf = r->s->nfields;
    char num[32];
    snprintf(num, sizeof num, "%ld", row);
    r->cells[nf] = (source_cell){name, strlen(name)};
    r->cells[nf + 1] = (source_cell){num, strlen(num)};
    r->cells[nf + 2] = (source_cell){r->reason ? r->reason : "", r->rlen};
    rowout_row(&r->rejects, r->cells, nf + 3);
}

/* Per-file counts. */
typedef struct merge_counts {
    long in, out, rejected, conflicts; /* rows */
} merge_counts;

/* Decides a merged row against the key set. Returns 0 write it, 1 reject
 * it (reason set). */
static int check_key(merge_run *r, uint32_t fidx, const char *name, long row,
                     merge_counts *k) {
    if (r->key < 0) return 0;
    const source_cell *kc = &r->cells[r->key];
    if (!kc->n) return 0;
    size_t nf = r->s->nfields;
    uint64_t h = row_hash(r->cells, nf);
    int added;
    uint64_t *slot = strmap_put(&r->keys, kc->p, kc->n, &added);
    if (!slot) return 0;
    if (added) {
        if (r->nseen == r->capseen) {
            size_t cap = r->capseen ? r->capseen * 2 : 4096;
            merge_seen *v = realloc(r->seen, cap * sizeof *v);
            if (!v) return 0;
            r->seen = v;
            r->capseen = cap;
        }
        r->seen[r->nseen] = (merge_seen){h, fidx, (uint32_t)row};
        *slot = ++r->nseen;
        return 0;
    }
    const merge_seen *first = &r->seen[*slot - 1];
    const char *fname = r->names[first->file];
    char where[64];
    snprintf(where, sizeof where, ":%u", first->row);
    const char *kname = r->s->fields[r->key].name;
    if (first->hash == h) {
        r->rlen = 0;
        radd(r, kname, strlen(kname));
        radd(r, ": duplicate: same content as ", 29);
        radd(r, fname, strlen(fname));
        radd(r, where, strlen(where));
        radd(r, " [duplicate]", 12);
        return 1;
    }
    k->conflicts++;
    r->conflicts_n++;
    if (!r->quiet)
        fprintf(stderr, "%s:%ld: warning: %s: '%.*s' is also at %s%s with "
                        "different content [conflict]\n",
                name, row, kname, (int)kc->n, kc->p, fname, where);
    if (r->have_conflicts) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%u", first->row);
        snprintf(b, sizeof b, "%ld", row);
        source_cell c[5] = {*kc,
                            {fname, strlen(fname)},
                            {a, strlen(a)},
                            {name, strlen(name)},
                            {b, strlen(b)}};
        rowout_row(&r->conflicts, c, 5);
    }
    if (r->reject_conflicts) {
        r->rlen = 0;
        radd(r, kname, strlen(kname));
        radd(r, ": conflict: different content at ", 33);
        radd(r, fname, strlen(fname));
        radd(r, where, strlen(where));
        radd(r, " [conflict]", 11);
        return 1;
    }
    return 0;
}

/* Merges one input through G's map; returns the exit code it earns. */
static int merge_file(merge_run *r, merge_group *g, const char *path) {
    char err[2048];
    source *src = source_open(path, &r->sopts, err, sizeof err);
    if (!src) {
        cmd_error("merge", "cannot open '%s': %s", path, err);
        return EXIT_INPUT;
    }
    const char *name = source_name(src);
    source_row row;
    int rc = source_next(src, &row);
    if (rc <= 0) {
        cmd_error("merge", "'%s': %s", name,
                  rc < 0 ? source_error(src)
                         : "file is empty: no header row and no data");
        source_close(src);
        return EXIT_INPUT;
    }
    if (map_header(g->m, &row, name, err, sizeof err) < 0) {
        cmd_error("merge", "'%s': %s; the file is not merged", name, err);
        source_close(src);
        return EXIT_INPUT;
    }
    char **nv = realloc(r->names, (r->nnames + 1) * sizeof *nv);
    if (!nv || !(nv[r->nnames] = strdup(name))) {
        if (nv) r->names = nv;
        cmd_error("merge", "out of memory");
        source_close(src);
        return EXIT_INPUT;
    }
    r->names = nv;
    uint32_t fidx = (uint32_t)r->nnames++;
    int validate = r->chk && (r->validate || map_wants_validate(g->m));
    size_t nf = r->s->nfields;
    merge_counts k = {0, 0, 0, 0};
    int result = EXIT_OK;
    int tty = !r->quiet && isatty(2);
    time_t last = time(NULL);
    char num[32];
    while ((rc = source_next(src, &row)) > 0) {
        k.in++;
        int rej = map_row(g->m, &row);
        size_t n;
        const check_finding *f = map_findings(g->m, &n);
        for (size_t i = 0; i < n; i++) report_finding(r->rep, name, &f[i]);
        memcpy(r->cells, map_cells(g->m), nf * sizeof *r->cells);
        r->rlen = 0;
        if (rej) {
            const char *why = map_reason(g->m);
            radd(r, why, strlen(why));
        } else if (validate) {
            source_row mr = {r->cells, nf, row.row, 0};
            check_row(r->chk, &mr);
            f = check_findings(r->chk, &n);
            for (size_t i = 0; i < n; i++) {
                /* repeats of the key are merge's to judge (check_key) */
                if (f[i].code == CHECK_UNIQUE) continue;
                report_finding(r->rep, name, &f[i]);
                if (f[i].severity != CHECK_ERROR) continue;
                rej = 1;
                if (r->rlen) radd(r, "; ", 2);
                if (f[i].field[0]) {
                    radd(r, f[i].field, strlen(f[i].field));
                    radd(r, ": ", 2);
                }
                radd(r, f[i].message, strlen(f[i].message));
                const char *code = check_code_name(f[i].code);
                radd(r, " [", 2);
                radd(r, code, strlen(code));
                radd(r, "]", 1);
            }
        }
        if (!rej) rej = check_key(r, fidx, name, row.row, &k);
        if (rej) {
            k.rejected++;
            write_reject(r, name, row.row);
        } else {
            k.out++;
            snprintf(num, sizeof num, "%ld", row.row);
            r->cells[nf] = (source_cell){name, strlen(name)};
            r->cells[nf + 1] = (source_cell){num, strlen(num)};
            if (r->have_out) rowout_row(&r->out, r->cells, nf + 2);
        }
        if (tty && (k.in & 0xFFFF) == 0 && time(NULL) != last) {
            last = time(NULL);
            fprintf(stderr, "relec merge: %s: %ld rows...\r", name, k.in);
        }
    }
    if (rc < 0) {
        cmd_error("merge", "'%s': %s (after row %ld; the rest of the file is "
                           "not read)", name, source_error(src), k.in + 1);
        result = EXIT_INPUT;
    }
    fprintf(stderr, "%s: %ld rows in, %ld out, %ld rejected", name, k.in,
            k.out, k.rejected);
    if (k.conflicts) fprintf(stderr, ", %ld conflicts", k.conflicts);
    fputc('\n', stderr);
    if ((k.rejected || k.conflicts) && result == EXIT_OK) result = EXIT_DATA;
    r->in += k.in;
    r->out_rows += k.out;
    r->rejected += k.rejected;
    source_close(src);
    return result;
}

static int open_outputs(merge_run *r, char *err, size_t errlen) {
    const schema *s = r->s;
    const char **cols = calloc(s->nfields + 3, sizeof *cols);
    if (!cols) return -1;
    for (size_t i = 0; i < s->nfields; i++) cols[i] = s->fields[i].name;
    cols[s->nfields] = "source_file";
    cols[s->nfields + 1] = "source_row";
    cols[s->nfields + 2] = "reject_reason";
    int rc = rowout_open(&r->out, r->out_path, cols, s->nfields + 2, err,
                         errlen);
    r->have_out = rc == 0;
    if (rc == 0 && r->rejects_path) {
        rc = rowout_open(&r->rejects, r->rejects_path, cols, s->nfields + 3,
                         err, errlen);
        r->have_rejects = rc == 0;
    }
    if (rc == 0 && r->conflicts_path) {
        static const char *const cc[] = {"key", "first_file", "first_row",
                                         "file", "row"};
        rc = rowout_open(&r->conflicts, r->conflicts_path, cc, 5, err, errlen);
        r->have_conflicts = rc == 0;
    }
    free(cols);
    return rc;
}

int cmd_merge(int argc, char **argv) {
    static const struct option opts[] = {
        {"map", required_argument, 0, 'm'},
        {"output", required_argument, 0, 'o'},
        {"rejects", required_argument, 0, 'J'},
        {"conflicts", required_argument, 0, 'C'},
        {"conflict-rows", required_argument, 0, 'X'},
        {"validate", no_argument, 0, 'V'},
        {"report", required_argument, 0, 'r'},
        {"sheet", required_argument, 0, 'S'},
        {"delimiter", required_argument, 0, 'd'},
        {"max-per-kind", required_argument, 0, 'K'},
        {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    merge_run r;
    memset(&r, 0, sizeof r);
    r.per_kind = 10;
    r.out_path = "-";
    r.key = -1;
    int result = EXIT_OK, c;
    r.groups = calloc((size_t)argc + 1, sizeof *r.groups);
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    if (!r.groups || !inputs) {
        free(r.groups);
        free(inputs);
        cmd_error("merge", "out of memory");
        return EXIT_INPUT;
    }
    int ninputs_total = 0, any_map_validates = 0;
    optind = 1;
    opterr = 0;
    /* "-": inputs come back in order as option 1, so each belongs to the
     * --map before it */
    while ((c = getopt_long(argc, argv, "-:m:o:r:d:qh", opts, NULL)) != -1) {
        switch (c) {
        case 1:
            if (!r.ngroups) {
                result = cmd_usage_error("merge", "input '%s' comes before "
                                                  "any --map: give --map "
                                                  "MAP.yaml first", optarg);
                goto done;
            }
            inputs[ninputs_total] = optarg;
            if (!r.groups[r.ngroups - 1].inputs)
                r.groups[r.ngroups - 1].inputs = &inputs[ninputs_total];
            r.groups[r.ngroups - 1].ninputs++;
            ninputs_total++;
            break;
        case 'm':
            if (r.ngroups && !r.groups[r.ngroups - 1].ninputs) {
                result = cmd_usage_error("merge", "--map %s has no input "
                                                  "files after it",
                                         r.groups[r.ngroups - 1].map_path);
                goto done;
            }
            r.groups[r.ngroups++].map_path = optarg;
            break;
        case 'o': r.out_path = optarg; break;
        case 'J': r.rejects_path = optarg; break;
        case 'C': r.conflicts_path = optarg; break;
        case 'X':
            if (!strcmp(optarg, "keep")) r.reject_conflicts = 0;
            else if (!strcmp(optarg, "reject")) r.reject_conflicts = 1;
            else {
                result = cmd_usage_error("merge", "--conflict-rows '%s': use "
                                                  "keep or reject", optarg);
                goto done;
            }
            break;
        case 'V': r.validate = 1; break;
        case 'r':
            if (r.nreports == 4) {
                result = cmd_usage_error("merge", "too many --report");
                goto done;
            }
            r.reports[r.nreports++] = optarg;
            break;
        case 'S': r.sopts.sheet = optarg; break;
        case 'd':
            if (!strcmp(optarg, "tab") || !strcmp(optarg, "\\t"))
                r.sopts.delim = '\t';
            else if (strlen(optarg) == 1 && strchr(",;\t|", optarg[0]))
                r.sopts.delim = optarg[0];
            else {
                result = cmd_usage_error("merge", "--delimiter '%s': use , ; "
                                                  "| or tab", optarg);
                goto done;
            }
            break;
        case 'K': {
            char *end;
            long kk = strtol(optarg, &end, 10);
            if (*end || kk < -1 || kk > 1000000) {
                result = cmd_usage_error("merge", "--max-per-kind '%s': not "
                                                  "a number", optarg);
                goto done;
            }
            r.per_kind = (int)kk;
            break;
        }
        case 'q': r.quiet = 1; break;
        case 'h':
            fputs(usage_text, stdout);
            goto done;
        case ':':
            result = cmd_usage_error("merge", "option '%s' needs a value",
                                     argv[optind - 1]);
            goto done;
        default:
            result = cmd_usage_error("merge", "unknown option '%s'",
                                     argv[optind - 1]);
            goto done;
        }
    }
    if (!r.ngroups) {
        result = cmd_usage_error("merge", "no map: give --map MAP.yaml "
                                          "INPUT...");
        goto done;
    }
    if (!r.groups[r.ngroups - 1].ninputs) {
        result = cmd_usage_error("merge", "--map %s has no input files after "
                                          "it", r.groups[r.ngroups - 1].map_path);
        goto done;
    }
    char err[2048];
    for (int i = 0; i < r.ngroups; i++) {
        r.groups[i].m = map_load(r.groups[i].map_path, err, sizeof err);
        if (!r.groups[i].m) {
            fprintf(stderr, "%s\n", err);
            result = EXIT_INPUT;
            goto done;
        }
        const schema *s = map_schema(r.groups[i].m);
        if (i == 0) {
            r.s = s;
        } else if (strcmp(s->name, r.s->name) || s->nfields != r.s->nfields) {
            cmd_error("merge", "%s maps onto %s but %s onto %s: one merge "
                               "makes one record type",
                      r.groups[0].map_path, r.s->name, r.groups[i].map_path,
                      s->name);
            result = EXIT_USAGE;
            goto done;
        } else {
            for (size_t f = 0; f < s->nfields; f++)
                if (strcmp(s->fields[f].name, r.s->fields[f].name)) {
                    cmd_error("merge", "%s and %s target different versions "
                                       "of schema %s",
                              r.groups[0].map_path, r.groups[i].map_path,
                              s->name);
                    result = EXIT_USAGE;
                    goto done;
                }
        }
        if (map_wants_validate(r.groups[i].m)) any_map_validates = 1;
    }
    for (size_t f = 0; f < r.s->nfields; f++)
        if (r.s->fields[f].unique) { r.key = (int)f; break; }
    for (int i = 0; i < ninputs_total; i++) outfile_guard(inputs[i]);
    if (r.validate || any_map_validates) {
        r.chk = check_new(r.s);
        /* mapped rows come in schema order: a header of the field names */
        source_cell *h = calloc(r.s->nfields, sizeof *h);
        if (!r.chk || !h) {
            free(h);
            cmd_error("merge", "out of memory");
            result = EXIT_INPUT;
            goto done;
        }
        for (size_t f = 0; f < r.s->nfields; f++)
            h[f] = (source_cell){r.s->fields[f].name,
                                 strlen(r.s->fields[f].name)};
        source_row hr = {h, r.s->nfields, 1, 0};
        check_header(r.chk, &hr);
        free(h);
    }
    r.rep = report_new(r.quiet ? NULL : stderr, r.per_kind);
    for (int i = 0; i < r.nreports; i++)
        if (report_add_file(r.rep, r.reports[i], err, sizeof err) < 0) {
            cmd_error("merge", "%s", err);
            result = strstr(err, "name it") ? EXIT_USAGE : EXIT_OUTPUT;
            goto done;
        }
    r.cells = calloc(r.s->nfields + 3, sizeof *r.cells);
    if (!r.cells || open_outputs(&r, err, sizeof err) < 0) {
        cmd_error("merge", "%s", r.cells ? err : "out of memory");
        result = EXIT_OUTPUT;
        goto done;
    }
    for (int gi = 0; gi < r.ngroups; gi++)
        for (int j = 0; j < r.groups[gi].ninputs; j++) {
            int rc = merge_file(&r, &r.groups[gi], r.groups[gi].inputs[j]);
            if (rc > result) result = rc;
        }
    if (ninputs_total > 1)
        fprintf(stderr, "total: %ld rows in, %ld out, %ld rejected, %ld "
                        "conflicts\n",
                r.in, r.out_rows, r.rejected, r.conflicts_n);
    int wrc = report_close(r.rep, err, sizeof err);
    r.rep = NULL;
    if (wrc == 0 && r.have_rejects) {
        wrc = rowout_close(&r.rejects, err, sizeof err);
        r.have_rejects = 0;
    }
    if (wrc == 0 && r.have_conflicts) {
        wrc = rowout_close(&r.conflicts, err, sizeof err);
        r.have_conflicts = 0;
    }
    if (wrc == 0 && r.have_out) {
        wrc = rowout_close(&r.out, err, sizeof err);
        r.have_out = 0;
    }
    if (wrc < 0) {
        cmd_error("merge", "%s", err);
        result = EXIT_OUTPUT;
    }
done:
    if (r.rep) report_abort(r.rep);
    if (r.have_out) rowout_abort(&r.out);
    if (r.have_rejects) rowout_abort(&r.rejects);
    if (r.have_conflicts) rowout_abort(&r.conflicts);
    check_free(r.chk);
    for (int i = 0; i < r.ngroups; i++) map_free(r.groups[i].m);
    for (size_t i = 0; i < r.nnames; i++) free(r.names[i]);
    free(r.names);
    free(r.groups);
    free(inputs);
    free(r.cells);
    free(r.reason);
    free(r.seen);
    strmap_free(&r.keys);
    return result;
}
