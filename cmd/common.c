/*
 * common.c: what every command parses or loads the same way: option values
 * and --ref tables. Messages follow the house style (cmd_error).
 */
#include "check.h"
#include "cmd.h"
#include "outfile.h"
#include "schema.h"
#include "source.h"

#include <getopt.h>
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
