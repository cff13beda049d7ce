/*
 * options.c: the option tables of cmd.h at work: getopt_long's tables
 * built from a command's table, the parse, and --help. The man page is
 * man.c's, from the same tables.
 */
#include "cmd.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* The help option every command has, after its own. */
static const cmd_option help_option = {
    "help", 'h', NULL, "this help", CMD_OPT_SET, 0, 0, NULL, NULL};

/* getopt_long's val of option I of a table: its letter, or 256 + I. */
static int opt_val(const cmd_option *o, int i) {
    return o->letter ? o->letter : 256 + i;
}

int cmd_getopt_tables(const cmd_spec *spec, char *optstring,
                      struct option *longopts) {
    int n = 0;
    char *s = optstring;
    if (spec->in_order) *s++ = '-';
    *s++ = ':';
    for (const cmd_option *o = spec->opts; o->name; o++, n++) {
        if (n == CMD_OPT_MAX) return -1;
        longopts[n] =
            (struct option){o->name, o->arg ? required_argument : no_argument,
                            0, opt_val(o, n)};
        if (o->letter) {
            *s++ = (char)o->letter;
            if (o->arg) *s++ = ':';
        }
    }
    longopts[n] = (struct option){"help", no_argument, 0, 'h'};
    longopts[n + 1] = (struct option){0, 0, 0, 0};
    *s++ = 'h';
    *s = 0;
    return n;
}

/* getopt_long's ':' (value missing) and '?' (unknown option) cases. */
static int cmd_opt_bad(const char *cmd, int c, char **argv) {
    if (c == ':')
        return cmd_usage_error(cmd, "option '%s' needs a value",
                               argv[optind - 1]);
    return cmd_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

/* "--NAME 'ARG': use A, B or C" for a value not among O's choices. */
static int bad_choice(const char *cmd, const cmd_option *o, const char *arg) {
    char words[512];
    size_t len = 0;
    int k = 0;
    while (o->choices[k])
        k++;
    words[0] = 0;
    for (int i = 0; i < k && len < sizeof words; i++) {
        const char *sep = i == 0 ? "" : i == k - 1 ? " or " : ", ";
        int w = snprintf(words + len, sizeof words - len, "%s%s", sep,
                         o->choices[i]);
        if (w > 0) len += (size_t)w;
    }
    return cmd_usage_error(cmd, "--%s '%s': use %s", o->name, arg, words);
}

/* Does what option O says with ARG, into RUN. Returns 0 or an exit code. */
static int apply(const char *cmd, const cmd_option *o, const char *arg,
                 void *run) {
    char *p = (char *)run + o->off;
    switch (o->kind) {
    case CMD_OPT_STR:
        *(const char **)p = arg;
        return 0;
    case CMD_OPT_SET:
        *(int *)p = o->val;
        return 0;
    case CMD_OPT_CHOICE:
        for (int i = 0; o->choices[i]; i++)
            if (!strcmp(arg, o->choices[i])) {
                *(int *)p = i;
                return 0;
            }
        return bad_choice(cmd, o, arg);
    case CMD_OPT_NUMBER: {
        char *end;
        double d = strtod(arg, &end);
        if (*end || end == arg)
            return cmd_usage_error(cmd, "--%s '%s': not a number", o->name,
                                   arg);
        *(double *)p = d;
        return 0;
    }
    case CMD_OPT_LIST: {
        cmd_list *l = (cmd_list *)p;
        if (l->n == o->val || l->n == 8)
            return cmd_usage_error(cmd, "too many --%s", o->name);
        l->v[l->n++] = arg;
        return 0;
    }
    case CMD_OPT_FN:
        return o->fn(cmd, arg, p);
    }
    return 0;
}

int cmd_parse(const cmd_spec *spec, void *run, int argc, char **argv) {
    char optstring[2 + 3 * CMD_OPT_MAX + 2];
    struct option longopts[CMD_OPT_MAX + 2];
    int n = cmd_getopt_tables(spec, optstring, longopts);
    if (n < 0) {
        cmd_error(spec->name, "more than %d options", CMD_OPT_MAX);
        return EXIT_USAGE;
    }
    optind = 0; /* glibc: start afresh, optstring's leading - included */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
        if (c == 1) {
            int rc = spec->operand(spec->name, optarg, run);
            if (rc) return rc;
            continue;
        }
        if (c == 'h') {
            cmd_help(spec, stdout);
            return EXIT_OK;
        }
        const cmd_option *o = NULL;
        for (int i = 0; i < n && !o; i++)
            if (opt_val(&spec->opts[i], i) == c) o = &spec->opts[i];
        if (!o) return cmd_opt_bad(spec->name, c, argv);
        int rc = apply(spec->name, o, optarg, run);
        if (rc) return rc;
    }
    return -1;
}

/* Writes option O's line(s) of --help: the names padded to column 25 (or
 * alone on their line when longer), then the help, continuation lines
 * indented to column 25. */
static void help_option_lines(const cmd_option *o, FILE *fp) {
    char left[128];
    int w =
        snprintf(left, sizeof left, "  %c%c%c --%s%s%s", o->letter ? '-' : ' ',
                 o->letter ? o->letter : ' ', o->letter ? ',' : ' ', o->name,
                 o->arg ? " " : "", o->arg ? o->arg : "");
    if (w <= 24)
        fprintf(fp, "%-25s", left);
    else
        fprintf(fp, "%s\n%25s", left, "");
    for (const char *h = o->help; *h;) {
        size_t len = strcspn(h, "\n");
        fprintf(fp, "%.*s\n", (int)len, h);
        h += len;
        if (*h == '\n' && *++h) fprintf(fp, "%25s", "");
    }
}

void cmd_help(const cmd_spec *spec, FILE *fp) {
    for (int i = 0; i < 3 && spec->usage[i]; i++)
        fprintf(fp, "%s relec %s %s\n", i ? "      " : "usage:", spec->name,
                spec->usage[i]);
    fprintf(fp, "\n%s\n", spec->about);
    for (const cmd_option *o = spec->opts; o->name; o++)
        help_option_lines(o, fp);
    help_option_lines(&help_option, fp);
    if (spec->notes) fprintf(fp, "\n%s", spec->notes);
    if (spec->examples) {
        fputs("\nexamples:\n", fp);
        for (const char *e = spec->examples; *e;) {
            size_t len = strcspn(e, "\n");
            fprintf(fp, "  %.*s\n", (int)len, e);
            e += len + (e[len] == '\n');
        }
    }
    fprintf(fp, "\n%s",
            spec->exit_status ? spec->exit_status : EXIT_CODES_HELP);
}
