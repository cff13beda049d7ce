/*
 * sink.c: the outputs of a run (sink.h). A set is a list of sinks in the
 * order opened; a sink is a temp file (CSV, JSON Lines), a worksheet
 * (link_xlsx) or a writer with its own commit and abort.
 */
#include "sink.h"
#include "link_xlsx.h"
#include "outfile.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct sink {
    sink *next;     /* the next of its set */
    sink_kind kind; /* what it writes */
    outfile out;    /* CSV, JSON Lines: the temporary file */
    link_xlsx *x;   /* XLSX: the worksheet */
    char **keys;    /* JSON Lines: the header's names (one block) */
    size_t nkeys;   /* how many */
    long rows;      /* rows written by sink_row() */
    int through;    /* stdout, a device or FIFO: copied, not renamed, so
                       put in place before the renames */
    void *w;        /* a writer of its own (sink_add_writer), or NULL */
    int (*commit)(void *w, char *err, size_t errlen); /* puts w in place */
    void (*abort)(void *w);                           /* drops w */
};

/* Whether DEST is stdout, a device or a FIFO: written through. */
static int written_through(const char *dest) {
    struct stat st;
    return !strcmp(dest, "-") || (stat(dest, &st) == 0 &&
                                  !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode));
}

/* The extensions known, and what they name. */
static const struct {
    const char *ext; /* with its dot */
    sink_kind kind;  /* what it names */
} exts[] = {{".csv", SINK_CSV},
            {".jsonl", SINK_JSONL},
            {".xlsx", SINK_XLSX},
            {".db", SINK_STORE},
            {".sqlite", SINK_STORE}};

/* "name it .csv, .jsonl or .xlsx, or - for stdout" for the kinds in
 * ALLOWED, into BUF. */
static const char *kinds_text(unsigned allowed, char *buf, size_t cap) {
    const char *names[4];
    size_t n = 0;
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if ((allowed & exts[i].kind) && strcmp(exts[i].ext, ".sqlite"))
            names[n++] = exts[i].ext;
    size_t o = (size_t)snprintf(buf, cap, "name it");
    for (size_t i = 0; i < n && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%s",
                              !i          ? " "
                              : i + 1 < n ? ", "
                                          : " or ",
                              names[i]);
    if (o < cap && (allowed & (SINK_CSV | SINK_XLSX)))
        snprintf(buf + o, cap - o, ", or - for stdout");
    return buf;
}

int sink_kind_of(const char *dest, unsigned allowed, sink_kind *kind, char *err,
                 size_t errlen) {
    char want[96];
    const char *slash = strrchr(dest, '/');
    const char *base = slash ? slash + 1 : dest;
    const char *dot = strrchr(base, '.');
    /* an input of the run is refused as that, whatever its name */
    if (outfile_check(dest, err, errlen) < 0) return -ERRCLASS_OUTPUT;
    sink_kind k = SINK_CSV; /* "-", no extension, a device or FIFO */
    if (dot && dot > base && !written_through(dest)) {
        size_t i = 0, n = sizeof exts / sizeof *exts;
        while (i < n && strcmp(dot, exts[i].ext))
            i++;
        if (i == n) {
            snprintf(err, errlen, "'%s': unknown output kind '%s': %s", dest,
                     dot, kinds_text(allowed, want, sizeof want));
            return -ERRCLASS_USAGE;
        }
        k = exts[i].kind;
    }
    if (!strcmp(dest, "-") && !(allowed & SINK_CSV) && (allowed & SINK_XLSX))
        k = SINK_XLSX; /* a workbook to stdout, when complete */
    if (!(allowed & k)) {
        snprintf(err, errlen, "'%s': this output cannot be %s: %s", dest,
                 k == SINK_CSV     ? "CSV"
                 : k == SINK_JSONL ? "JSON Lines"
                 : k == SINK_XLSX  ? "a workbook"
                                   : "a store",
                 kinds_text(allowed, want, sizeof want));
        return -ERRCLASS_USAGE;
    }
    *kind = k;
    return 0;
}

static void append(sink_set *set, sink *s) {
    if (set->last)
        set->last->next = s;
    else
        set->first = s;
    set->last = s;
}

/* Copies the header's names into one block for JSON Lines keys. */
static int copy_keys(sink *s, const char *const *cols, size_t ncols) {
    size_t bytes = ncols * sizeof *s->keys;
    for (size_t i = 0; i < ncols; i++)
        bytes += strlen(cols[i]) + 1;
    s->keys = malloc(bytes ? bytes : 1);
    if (!s->keys) return -1;
    char *p = (char *)(s->keys + ncols);
    for (size_t i = 0; i < ncols; i++) {
        size_t n = strlen(cols[i]) + 1;
        s->keys[i] = memcpy(p, cols[i], n);
        p += n;
    }
    s->nkeys = ncols;
    return 0;
}

int sink_open(sink_set *set, sink **out, const char *dest, unsigned allowed,
              const char *sheet, const char *const *cols, size_t ncols,
              char *err, size_t errlen) {
    sink_kind kind;
    int rc = sink_kind_of(dest, allowed, &kind, err, errlen);
    if (rc) return rc;
    int to_stdout = !strcmp(dest, "-");
    if (to_stdout && set->stdout_n) {
        snprintf(err, errlen,
                 "two outputs of this run go to stdout ('-'): give one of "
                 "them a file name");
        return -ERRCLASS_USAGE;
    }
    sink *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -ERRCLASS_OUTPUT;
    }
    s->kind = kind;
    s->through = written_through(dest);
    if (kind == SINK_XLSX) {
        s->x = link_xlsx_open(dest, sheet ? sheet : "Rows", cols, ncols, err,
                              errlen);
        if (!s->x) {
            free(s);
            return -ERRCLASS_OUTPUT;
        }
    } else if (outfile_open_spooled(&s->out, dest, err, errlen) < 0 ||
               (kind == SINK_JSONL && copy_keys(s, cols, ncols) < 0)) {
        if (s->out.fp) snprintf(err, errlen, "out of memory");
        outfile_abort(&s->out);
        free(s);
        return -ERRCLASS_OUTPUT;
    } else if (kind == SINK_CSV && ncols) {
        for (size_t i = 0; i < ncols; i++) {
            if (i) putc(',', s->out.fp);
            outfile_csv_cell(s->out.fp, cols[i], strlen(cols[i]));
        }
        putc('\n', s->out.fp);
    }
    set->stdout_n += to_stdout;
    append(set, s);
    *out = s;
    return 0;
}

void sink_row(sink *s, const source_cell *cells, size_t n) {
    s->rows++;
    if (s->x) {
        link_xlsx_row(s->x, cells, n);
        return;
    }
    FILE *fp = s->out.fp;
    if (s->kind == SINK_CSV) {
        for (size_t i = 0; i < n; i++) {
            if (i) putc(',', fp);
            outfile_csv_cell(fp, cells[i].p, cells[i].n);
        }
        putc('\n', fp);
        return;
    }
    putc('{', fp);
    for (size_t i = 0; i < n && i < s->nkeys; i++) {
        if (i) putc(',', fp);
        report_json_string(fp, s->keys[i], strlen(s->keys[i]));
        putc(':', fp);
        report_json_string(fp, cells[i].p, cells[i].n);
    }
    fputs("}\n", fp);
}

FILE *sink_stream(sink *s) {
    return s->x ? NULL : s->out.fp;
}

sink_kind sink_kind_get(const sink *s) {
    return s->kind;
}

long sink_rows(const sink *s) {
    return s->rows;
}

int sink_add_writer(sink_set *set, void *w,
                    int (*commit)(void *w, char *err, size_t errlen),
                    void (*abort)(void *w)) {
    sink *s = calloc(1, sizeof *s);
    if (!s) {
        abort(w);
        return -1;
    }
    s->w = w;
    s->commit = commit;
    s->abort = abort;
    append(set, s);
    return 0;
}

/* Drops S's output (whatever step it is at) and frees S. */
static void drop(sink *s) {
    if (s->w)
        s->abort(s->w);
    else if (s->x)
        link_xlsx_abort(s->x);
    else
        outfile_abort(&s->out);
    free(s->keys);
    free(s);
}

void sink_abort(sink_set *set) {
    for (sink *s = set->first, *next; s; s = next) {
        next = s->next;
        drop(s);
    }
    memset(set, 0, sizeof *set);
}

int sink_commit(sink_set *set, char *err, size_t errlen) {
    int rc = 0;
    /* 1: every file finished (a full disk shows here) */
    for (sink *s = set->first; s && rc == 0; s = s->next)
        if (!s->w && !s->x) rc = outfile_finish(&s->out, err, errlen);
    /* 2: the workbooks and writers put in place; 3: the files written
     * through (stdout, a device: these can fail late); 4: the renames */
    for (int step = 2; step <= 4; step++)
        for (sink *s = set->first; s && rc == 0; s = s->next) {
            if (step == 2 && (s->w || s->x)) {
                rc = s->w ? s->commit(s->w, err, errlen)
                          : link_xlsx_close(s->x, err, errlen);
                s->w = NULL;
                s->x = NULL;
            } else if (step > 2 && !s->w && !s->x &&
                       s->through == (step == 3)) {
                rc = outfile_place(&s->out, err, errlen);
            }
        }
    /* what is not in place is removed: drop() on a placed or committed
     * sink has nothing left to remove */
    for (sink *s = set->first, *next; s; s = next) {
        next = s->next;
        if (s->w || s->x || s->out.tmp || s->out.fp) {
            drop(s);
            continue;
        }
        free(s->keys);
        free(s);
    }
    memset(set, 0, sizeof *set);
    return rc;
}
