/*
 * main.c: relec's dispatcher. One binary, one subcommand per cmd/ file.
 */
#include "cmd.h"
#include "lang.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#ifndef RELEC_VERSION
#define RELEC_VERSION "0.0.0"
#endif

/* A subcommand: its name, entry point and one-line summary. */
struct cmd_entry {
    const char *name;         /* as typed */
    int (*run)(int, char **); /* cmd_<name>() */
    const char *summary;      /* for relec --help */
};

static const struct cmd_entry commands[] = {
    {"validate", cmd_validate, "check CSV/XLSX files against a schema"},
    {"export", cmd_export, "write the standard workbook for a ministry"},
    {"template", cmd_template, "write a data-entry workbook for provinces"},
    {"dedup", cmd_dedup, "find the same person or incident across files"},
    {"merge", cmd_merge, "map national files onto the standard"},
    {"load", cmd_load, "load standard files into the regional SQLite store"},
    {"compare", cmd_compare, "cross-border comparison tables"},
    {"key", cmd_key, "make a secret key for pseudonymise"},
    {"pseudonymise", cmd_pseudonymise,
     "replace personal data by keyed pseudonyms and linkage encodings"},
};

void cmd_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "relec %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cmd_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "relec %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'relec %s --help'\n", cmd);
    return EXIT_USAGE;
}

static void usage(FILE *fp) {
    fprintf(fp, "usage: relec COMMAND [options] [FILE...]\n\n"
                "relec checks, merges and compares the data interior "
                "ministries collect on\ntrafficking in human beings, "
                "smuggling of migrants and irregular migration,\n"
                "following the RELEC SOP on data collection.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(fp, "  %-13s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\n'relec COMMAND --help' tells more. Files named - are "
                "stdin or stdout.\n"
                "Languages (--lang, or LANG for messages): " LANG_LIST
                " (fa: Dari and Persian).\n" EXIT_CODES_HELP);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") ||
        !strcmp(name, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(name, "--version")) {
        printf("relec %s\n", RELEC_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(name, commands[i].name)) {
            /* messages in the locale's language until --lang says more */
            lang_use(lang_from_env(), NULL, "relec");
            int rc = commands[i].run(argc - 1, argv + 1);
            lang_use(LANG_EN, NULL, "relec"); /* frees the catalogue */
            return rc;
        }
    fprintf(stderr, "relec: '%s' is not a relec command\n", name);
    usage(stderr);
    return EXIT_USAGE;
}
