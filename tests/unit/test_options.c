/*
 * test_options.c: the option tables of cmd.h. Iterates every command's
 * table: an option the parser accepts (the getopt tables cmd_parse builds)
 * must be in that command's --help; no two options alike; help within 80
 * columns. And cmd_parse itself on a table of every kind. Linked with
 * the objects of cmd/ but main.o (Makefile).
 */
#include "check.h"
#include "cmd.h"
#include "t.h"

#include <getopt.h>
#include <stdlib.h>

/* SPEC's --help, malloc'd. */
static char *help_of(const cmd_spec *spec) {
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp) return NULL;
    cmd_help(spec, fp);
    fclose(fp);
    return buf;
}

/* Whether HELP has an option line for NAME ("  -x, --NAME" or
 * "      --NAME", then a space or the line's end). */
static int help_has(const char *help, const char *name, int letter) {
    char want[96];
    if (letter)
        snprintf(want, sizeof want, "\n  -%c, --%s", letter, name);
    else
        snprintf(want, sizeof want, "\n      --%s", name);
    for (const char *p = strstr(help, want); p; p = strstr(p + 1, want)) {
        char after = p[strlen(want)];
        if (after == ' ' || after == '\n') return 1;
    }
    return 0;
}

T_TEST(every_accepted_option_is_in_help) {
    int ncmds = 0;
    for (size_t i = 0; cmd_specs[i]; i++, ncmds++) {
        const cmd_spec *c = cmd_specs[i];
        char optstring[2 + 3 * CMD_OPT_MAX + 2];
        struct option lo[CMD_OPT_MAX + 2];
        int n = cmd_getopt_tables(c, optstring, lo);
        T_CHECK(n > 0);
        char *help = help_of(c);
        T_CHECK(help != NULL);
        if (!help || n < 0) continue;
        /* every long option, with the letter that is its short form */
        for (int k = 0; lo[k].name; k++) {
            int letter = lo[k].val < 256 ? lo[k].val : 0;
            if (!help_has(help, lo[k].name, letter)) {
                fprintf(stderr, "relec %s: --%s is parsed, not in --help\n",
                        c->name, lo[k].name);
                T_CHECK(0);
            }
        }
        /* every short option is the short form of one of them */
        for (const char *s = optstring; *s; s++) {
            if (*s == ':' || *s == '-') continue;
            int found = 0;
            for (int k = 0; lo[k].name && !found; k++)
                found = lo[k].val == *s;
            if (!found)
                fprintf(stderr, "relec %s: -%c has no long form\n", c->name,
                        *s);
            T_CHECK(found);
        }
        T_CHECK(strncmp(help, "usage: relec ", 13) == 0);
        T_CHECK(strstr(help, "exit status: ") != NULL);
        free(help);
    }
    T_CHECK_INT(ncmds, 9);
}

T_TEST(no_two_options_alike) {
    for (size_t i = 0; cmd_specs[i]; i++) {
        const cmd_option *o = cmd_specs[i]->opts;
        for (int a = 0; o[a].name; a++) {
            T_CHECK(strcmp(o[a].name, "help") != 0 && o[a].letter != 'h');
            T_CHECK(o[a].help && *o[a].help);
            T_CHECK(o[a].kind != CMD_OPT_SET || !o[a].arg);
            for (int b = a + 1; o[b].name; b++) {
                if (!strcmp(o[a].name, o[b].name) ||
                    (o[a].letter && o[a].letter == o[b].letter)) {
                    fprintf(stderr, "relec %s: --%s and --%s alike\n",
                            cmd_specs[i]->name, o[a].name, o[b].name);
                    T_CHECK(0);
                }
            }
        }
    }
}

T_TEST(help_within_80_columns) {
    for (size_t i = 0; cmd_specs[i]; i++) {
        char *help = help_of(cmd_specs[i]);
        T_CHECK(help != NULL);
        for (const char *p = help; p && *p;) {
            size_t n = strcspn(p, "\n");
            if (n > 80)
                fprintf(stderr, "relec %s --help: %.40s... is %zu wide\n",
                        cmd_specs[i]->name, p, n);
            T_CHECK(n <= 80);
            p += n + (p[n] == '\n');
        }
        free(help);
    }
}

/* A run struct with a target of every kind. */
typedef struct fake_run {
    const char *out;         /* -o */
    int quiet;               /* -q */
    int keep;                /* --keep */
    double floor;            /* --floor */
    cmd_list refs;           /* --ref */
    char delim;              /* -d */
    const char *operands[8]; /* in order */
    int nops;                /* how many */
} fake_run;

static int fake_operand(const char *cmd, const char *arg, void *p) {
    fake_run *r = p;
    (void)cmd;
    if (r->nops == 8) return EXIT_USAGE;
    r->operands[r->nops++] = arg;
    return 0;
}

static const char *const fake_words[] = {"first", "last", "middle", NULL};
static const cmd_option fake_options[] = {
    CMD_STR("output", 'o', "FILE", "out", fake_run, out),
    CMD_FLAG("quiet", 'q', "quiet", fake_run, quiet),
    CMD_CHOICE("keep", 0, "WHICH", "which", fake_run, keep, fake_words),
    CMD_NUMBER("floor", 0, "W", "floor", fake_run, floor),
    CMD_LIST("ref", 0, "FILE", "refs", fake_run, refs, 2),
    CMD_FN("delimiter", 'd', "C", "delim", CMD_AT(fake_run, delim),
           cmd_opt_delimiter),
    CMD_END};
static const cmd_spec fake_spec = {"fake",      NULL,
                                   "a test",    {"[options] FILE..."},
                                   "A test.\n", fake_options,
                                   NULL,        NULL,
                                   NULL,        0,
                                   NULL};
static const cmd_spec fake_in_order = {"fake",      NULL,
                                       "a test",    {"[options] FILE..."},
                                       "A test.\n", fake_options,
                                       NULL,        NULL,
                                       NULL,        1,
                                       fake_operand};

/* cmd_parse on ARGS (NULL-ended, without the command's name). */
static int parse(const cmd_spec *spec, fake_run *r, const char **args) {
    char *argv[16] = {"fake"};
    int argc = 1;
    while (args[argc - 1] && argc < 15) {
        argv[argc] = (char *)args[argc - 1];
        argc++;
    }
    argv[argc] = NULL;
    memset(r, 0, sizeof *r);
    return cmd_parse(spec, r, argc, argv);
}

T_TEST(parse_fills_every_kind) {
    fake_run r;
    const char *ok[] = {"-o",  "x.csv",  "--quiet", "--keep=middle", "--floor",
                        "2.5", "--ref",  "a",       "--ref=b",       "-d",
                        ";",   "in.csv", NULL};
    T_CHECK_INT(parse(&fake_spec, &r, ok), -1);
    T_CHECK_STR(r.out, "x.csv");
    T_CHECK_INT(r.quiet, 1);
    T_CHECK_INT(r.keep, 2);
    T_CHECK(r.floor == 2.5);
    T_CHECK_INT(r.refs.n, 2);
    T_CHECK_STR(r.refs.v[1], "b");
    T_CHECK_INT(r.delim, ';');
    T_CHECK_INT(optind, 12); /* the operand in.csv */
}

T_TEST(parse_refuses_with_exit_2) {
    fake_run r;
    const char *choice[] = {"--keep", "all", NULL};
    const char *number[] = {"--floor", "2x", NULL};
    const char *toomany[] = {"--ref", "a", "--ref", "b", "--ref", "c", NULL};
    const char *unknown[] = {"--nope", NULL};
    const char *missing[] = {"-o", NULL};
    const char *delim[] = {"-d", "x", NULL};
    T_CHECK_INT(parse(&fake_spec, &r, choice), EXIT_USAGE);
    T_CHECK_INT(parse(&fake_spec, &r, number), EXIT_USAGE);
    T_CHECK_INT(parse(&fake_spec, &r, toomany), EXIT_USAGE);
    T_CHECK_INT(parse(&fake_spec, &r, unknown), EXIT_USAGE);
    T_CHECK_INT(parse(&fake_spec, &r, missing), EXIT_USAGE);
    T_CHECK_INT(parse(&fake_spec, &r, delim), EXIT_USAGE);
}

T_TEST(operands_in_order) {
    fake_run r;
    const char *args[] = {"a", "-q", "b", "-o", "x", "c", NULL};
    T_CHECK_INT(parse(&fake_in_order, &r, args), -1);
    T_CHECK_INT(r.nops, 3);
    T_CHECK_STR(r.operands[0], "a");
    T_CHECK_STR(r.operands[2], "c");
    T_CHECK_INT(r.quiet, 1);
    T_CHECK_STR(r.out, "x");
}

T_TEST(reject_reason) {
    buf r = {NULL, 0, 0};
    T_CHECK_INT(cmd_reason_cell(&r).n, 0);
    check_finding a = {7,
                       "sex",
                       "X",
                       1,
                       CHECK_CODELIST,
                       CHECK_ERROR,
                       "'X' is not a code of sex"};
    check_finding b = {7,
                       "",
                       "",
                       0,
                       CHECK_ROW_SHAPE,
                       CHECK_ERROR,
                       "the row has 3 cells, the header 4"};
    cmd_reason_finding(&r, &a);
    cmd_reason_finding(&r, &b);
    T_CHECK_STR(r.p, "sex: 'X' is not a code of sex [codelist]; the row has 3 "
                     "cells, the header 4 [row-shape]");
    T_CHECK_INT(cmd_reason_cell(&r).n, strlen(r.p));
    buf_clear(&r); /* the next row's: the buffer is reused */
    char long_name[600];
    memset(long_name, 'f', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;
    T_CHECK_INT(
        buf_addf(&r, "id: duplicate: same content as %s:%d", long_name, 3), 0);
    T_CHECK_INT(r.len, strlen("id: duplicate: same content as ") + 599 + 2);
    T_CHECK(!strcmp(r.p + r.len - 2, ":3"));
    buf_free(&r);
}

T_TEST(progress_off_when_quiet) {
    cmd_progress p;
    cmd_progress_start(&p, 1);
    T_CHECK_INT(p.on, 0);
    cmd_progress_tick(&p, "fake", "x.csv", 65536, "rows"); /* prints nothing */
}

int main(void) {
    T_RUN(every_accepted_option_is_in_help);
    T_RUN(no_two_options_alike);
    T_RUN(help_within_80_columns);
    T_RUN(parse_fills_every_kind);
    T_RUN(parse_refuses_with_exit_2);
    T_RUN(operands_in_order);
    T_RUN(reject_reason);
    T_RUN(progress_off_when_quiet);
    return T_END();
}
