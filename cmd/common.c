/*
 * common.c: what every command parses or loads the same way: option values
 * and --ref tables. Messages follow the house style (cmd_error).
 */
#include "check.h"
#include "cmd.h"
#include "lang.h"
#include "outfile.h"
#include "schema.h"
#include "source.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_opt_delimiter(const char *cmd, const char *arg, char *delim) {
    if (!strcmp(arg, "tab") || !strcmp(arg, "\\t"))
        *delim = '\t';
    else if (strlen(arg) == 1 && strchr(",;\t|", arg[0]))
        *delim = arg[0];
    else
        return cmd_usage_error(cmd, "--delimiter '%s': use , ; | or tab", arg);
    return 0;
}

int cmd_opt_per_kind(const char *cmd, const char *arg, int *out) {
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

int cmd_opt_lang(const char *cmd, const char *arg) {
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

int cmd_opt_header_row(const char *cmd, const char *arg, long *out) {
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

int cmd_opt_bad(const char *cmd, int c, char **argv) {
    if (c == ':')
        return cmd_usage_error(cmd, "option '%s' needs a value",
                               argv[optind - 1]);
    return cmd_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
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
