/*
 * common.c: what every command parses or loads the same way: option values
 * and --ref tables. Messages follow the house style (cmd_error).
 */
#include "check.h"
#include "cmd.h"
#include "lang.h"
#include "outfile.h"
#include "schema.h"
#include "sink.h"
#include "source.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_opt_delimiter(const char *cmd, const char *arg, void *p) {
    char *delim = p;
    if (!strcmp(arg, "tab") || !strcmp(arg, "\\t"))
        *delim = '\t';
    else if (strlen(arg) == 1 && strchr(",;\t|", arg[0]))
        *delim = arg[0];
    else
        return cmd_usage_error(cmd, "--delimiter '%s': use , ; | or tab", arg);
    return 0;
}

int cmd_opt_per_kind(const char *cmd, const char *arg, void *p) {
    int *out = p;
    char *end;
    long k = strtol(arg, &end, 10);
    if (!*arg || *end || k < -1 || k > 1000000)
        return cmd_usage_error(cmd,
                               "--max-per-kind '%s': not a number from -1 "
                               "to 1000000",
                               arg);
    *out = (int)k;
    return 0;
}

int cmd_opt_lang(const char *cmd, const char *arg, void *p) {
    (void)p;
    int l = lang_parse(arg);
    if (l < 0)
        return cmd_usage_error(cmd,
                               "--lang '%s': not a language relec has: "
                               "use one of " LANG_LIST,
                               arg);
    lang_use(l, NULL, "relec");
    lang_set_workbooks(l);
    return 0;
}

int cmd_opt_header_row(const char *cmd, const char *arg, void *p) {
    long *out = p;
    char *end;
    long k = strtol(arg, &end, 10);
    if (!*arg || *end || k < 1 || k > 1048576)
        return cmd_usage_error(cmd,
                               "--header-row '%s': not a row number from 1 "
                               "to 1048576",
                               arg);
    *out = k;
    return 0;
}

int cmd_header_names(source_opts *so, const schema *s) {
    const char **names = calloc(s->nfields + 1, sizeof *names);
    if (!names) return -1;
    for (size_t i = 0; i < s->nfields; i++)
        names[i] = s->fields[i].name;
    so->header_names = names;
    so->nheader_names = s->nfields;
    return 0;
}

static void print_note(void *cmd, const char *text) {
    fprintf(stderr, "relec %s: note: %s\n", (const char *)cmd, text);
}

const note_sink *cmd_notes(const char *cmd) {
    static note_sink sink; /* one command runs per process */
    sink = (note_sink){print_note, (void *)cmd};
    return &sink;
}

void cmd_header_note(const char *cmd, const source *src, const char *what) {
    long h = source_header_row(src);
    if (h <= 1) return;
    fprintf(stderr,
            "relec %s: note: '%s': the header is row %ld, the first that "
            "names %s; %s above it %s not data (say --header-row N if the "
            "header is elsewhere)\n",
            cmd, source_name(src), h, what, h == 2 ? "the row" : "the rows",
            h == 2 ? "is" : "are");
}

void cmd_total_finding(const source_row *row, check_finding *f) {
    *f = (check_finding){row->row,
                         "",
                         "",
                         0,
                         CHECK_ROW_SHAPE,
                         CHECK_WARNING,
                         "the row is a total, not a record: it is not checked "
                         "and not counted as data"};
    for (size_t i = 0; i < row->ncells && !f->vlen; i++)
        if (row->cells[i].n) {
            f->value = row->cells[i].p;
            f->vlen = row->cells[i].n;
        }
}

long cmd_skipped_rows(const source *src) {
    return source_skipped(src, SOURCE_SKIP_EMPTY) +
           source_skipped(src, SOURCE_SKIP_TOTAL) +
           source_skipped(src, SOURCE_SKIP_LABELS);
}

size_t cmd_skipped_text(char *buf, size_t cap, const source *src) {
    static const char *const one[] = {"empty", "total", "a row of labels"};
    static const char *const many[] = {"empty", "total", "row of labels"};
    long k[3] = {source_skipped(src, SOURCE_SKIP_EMPTY),
                 source_skipped(src, SOURCE_SKIP_TOTAL),
                 source_skipped(src, SOURCE_SKIP_LABELS)};
    buf[0] = 0;
    int kinds = (k[0] > 0) + (k[1] > 0) + (k[2] > 0);
    if (!kinds) return 0;
    int w = snprintf(buf, cap, ", %ld skipped (", k[0] + k[1] + k[2]);
    for (int i = 0, first = 1; i < 3 && w > 0 && (size_t)w < cap; i++) {
        if (!k[i]) continue;
        int m = kinds == 1 ? snprintf(buf + w, cap - (size_t)w, "%s", one[i])
                           : snprintf(buf + w, cap - (size_t)w, "%s%ld %s",
                                      first ? "" : ", ", k[i], many[i]);
        w = m < 0 ? -1 : w + m;
        first = 0;
    }
    if (w > 0 && (size_t)w + 1 < cap) buf[w++] = ')', buf[w] = 0;
    return w < 0 || (size_t)w >= cap ? 0 : (size_t)w;
}

void cmd_labels_note(const char *cmd, const char *name, const source_row *row) {
    char shown[160];
    size_t o = 0, k = 0;
    for (size_t i = 0; i < row->ncells && k < 3 && o + 50 < sizeof shown; i++) {
        if (!row->cells[i].n) continue;
        int n = row->cells[i].n > 40 ? 40 : (int)row->cells[i].n;
        while (n < (int)row->cells[i].n && n > 0 &&
               ((unsigned char)row->cells[i].p[n] & 0xC0) == 0x80)
            n--; /* on a UTF-8 boundary */
        o += (size_t)snprintf(shown + o, sizeof shown - o, "%s'%.*s'",
                              k++ ? ", " : "", n, row->cells[i].p);
    }
    fprintf(stderr,
            "relec %s: note: '%s': row %ld under the header names the "
            "columns in words (%s, ...): a second header row, not data; it is "
            "skipped\n",
            cmd, name, row->row, shown);
}

int cmd_load_ref(const char *cmd, struct check *chk, const struct schema *s,
                 const char *arg, const struct source_opts *so) {
    char err[1024], table[128];
    const char *eq = strchr(arg, '=');
    const char *path = arg;
    if (eq && (size_t)(eq - arg) < sizeof table) {
        memcpy(table, arg, (size_t)(eq - arg));
        table[eq - arg] = 0;
        path = eq + 1;
    } else if (s->nrefs == 1) {
        snprintf(table, sizeof table, "%s", s->refs[0].table);
    } else {
        return cmd_usage_error(cmd,
                               "--ref %s: say which table, as TABLE=FILE "
                               "(schema %s refers to %zu tables)",
                               arg, s->name, s->nrefs);
    }
    outfile_guard(path);
    if (check_load_ref(chk, table, path, so, err, sizeof err) < 0) {
        cmd_error(cmd, "%s", err);
        return EXIT_INPUT;
    }
    return 0;
}

/* "relec CMD: " and the message, no newline. */
static void say(const char *cmd, const char *fmt, va_list ap) {
    fprintf(stderr, "relec %s: ", cmd);
    vfprintf(stderr, fmt, ap);
}

void cmd_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    say(cmd, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cmd_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    say(cmd, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'relec %s --help'\n", cmd);
    return EXIT_USAGE;
}

source *cmd_open(const char *cmd, const char *path, const char *shown,
                 const source_opts *so) {
    char err[1024];
    source *src = source_open(path, so, err, sizeof err);
    if (!src) cmd_error(cmd, "cannot open '%s': %s", shown ? shown : path, err);
    return src;
}

int cmd_check_outputs(const char *cmd, const char *const *paths, size_t n,
                      unsigned allowed) {
    char err[1024];
    sink_kind k;
    for (size_t i = 0; i < n; i++) {
        int rc =
            paths[i] ? sink_kind_of(paths[i], allowed, &k, err, sizeof err) : 0;
        if (rc) {
            cmd_error(cmd, "%s", err);
            return errclass_exit((errclass)-rc);
        }
    }
    return 0;
}

source *cmd_peek(const char *path, const source_opts *so, source_row *row) {
    char err[1024];
    source *src = source_open(path, so, err, sizeof err);
    if (src && source_next(src, row) <= 0) {
        source_close(src);
        src = NULL;
    }
    return src;
}

int cmd_read_header(const char *cmd, source *src, const char *shown,
                    source_row *row) {
    int rc = source_next(src, row);
    if (rc > 0) return 0;
    cmd_error(cmd, "'%s': %s", shown ? shown : source_name(src),
              rc < 0 ? source_error(src)
                     : "file is empty: no header row and no data");
    source_close(src);
    return EXIT_INPUT;
}

source_cell cmd_trim(source_cell c) {
    while (c.n && (*c.p == ' ' || *c.p == '\t'))
        c.p++, c.n--;
    while (c.n && (c.p[c.n - 1] == ' ' || c.p[c.n - 1] == '\t' ||
                   c.p[c.n - 1] == '\r'))
        c.n--;
    return c;
}

void cmd_progress_start(cmd_progress *p, int quiet) {
    p->on = !quiet && isatty(2);
    p->last = time(NULL);
}

void cmd_progress_show(cmd_progress *p, const char *cmd, const char *name,
                       long rows, const char *what) {
    time_t now = time(NULL);
    if (now == p->last) return;
    p->last = now;
    fprintf(stderr, "relec %s: %s: %ld %s...\r", cmd, name, rows, what);
}

void cmd_reason_finding(buf *r, const check_finding *f) {
    if (r->len) buf_adds(r, "; ");
    if (f->field[0]) {
        buf_adds(r, f->field);
        buf_adds(r, ": ");
    }
    buf_adds(r, f->message);
    const char *code = check_code_name(f->code);
    buf_adds(r, " [");
    buf_adds(r, code);
    buf_adds(r, "]");
}

source_cell cmd_reason_cell(const buf *r) {
    return (source_cell){r->p ? r->p : "", r->len};
}
