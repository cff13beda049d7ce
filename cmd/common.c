/*
 * common.c: what every command parses or loads the same way: option values
 * and --ref tables. Messages follow the house style (cmd_error).
 */
#include "check.h"
#include "cmd.h"
#include "outfile.h"
#include "schema.h"
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

void cmd_header_note(const char *cmd, const source *src) {
    long h = source_header_row(src);
    if (h <= 1) return;
    fprintf(stderr,
            "relec %s: note: '%s': the header is row %ld, the first that "
            "names the schema's fields; %s above it %s not data (say "
            "--header-row N if the header is elsewhere)\n",
            cmd, source_name(src), h, h == 2 ? "the row" : "the rows",
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

size_t cmd_skipped_text(char *buf, size_t cap, const source *src) {
    long e = source_skipped(src, SOURCE_SKIP_EMPTY);
    long t = source_skipped(src, SOURCE_SKIP_TOTAL);
    buf[0] = 0;
    if (!e && !t) return 0;
    int w;
    if (e && t)
        w = snprintf(buf, cap, ", %ld skipped (%ld empty, %ld total)", e + t, e,
                     t);
    else
        w = snprintf(buf, cap, ", %ld skipped (%s)", e + t,
                     e ? "empty" : "total");
    return w < 0 ? 0 : (size_t)w;
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

int cmd_reason_add(cmd_reason *r, const char *s, size_t n) {
    if (r->len + n + 1 > r->cap) {
        size_t cap = (r->cap ? r->cap : 256) * 2 + n;
        char *x = realloc(r->p, cap);
        if (!x) return -1;
        r->p = x;
        r->cap = cap;
    }
    memcpy(r->p + r->len, s, n);
    r->len += n;
    r->p[r->len] = 0;
    return 0;
}

int cmd_reason_printf(cmd_reason *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || cmd_reason_add(r, "", 0) < 0) return -1;
    if (r->len + (size_t)n + 1 > r->cap) {
        size_t cap = r->len + (size_t)n + 1;
        char *x = realloc(r->p, cap);
        if (!x) return -1;
        r->p = x;
        r->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(r->p + r->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    r->len += (size_t)n;
    return 0;
}

void cmd_reason_finding(cmd_reason *r, const check_finding *f) {
    if (r->len) cmd_reason_add(r, "; ", 2);
    if (f->field[0]) {
        cmd_reason_add(r, f->field, strlen(f->field));
        cmd_reason_add(r, ": ", 2);
    }
    cmd_reason_add(r, f->message, strlen(f->message));
    const char *code = check_code_name(f->code);
    cmd_reason_add(r, " [", 2);
    cmd_reason_add(r, code, strlen(code));
    cmd_reason_add(r, "]", 1);
}

source_cell cmd_reason_cell(const cmd_reason *r) {
    return (source_cell){r->p ? r->p : "", r->len};
}
