/*
 * main.c: relec's dispatcher. One binary, one subcommand per cmd/ file.
 */
#include "cmd.h"
#include "lang.h"

#include <stdlib.h>
#include <string.h>

#ifndef RELEC_VERSION
#define RELEC_VERSION "0.0.0"
#endif

static void usage(FILE *fp) {
    fprintf(fp, "usage: relec COMMAND [options] [FILE...]\n\n%s\ncommands:\n",
            cmd_intro);
    for (size_t i = 0; cmd_specs[i]; i++)
        fprintf(fp, "  %-13s %s\n", cmd_specs[i]->name, cmd_specs[i]->summary);
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
    if (!strcmp(name, "--man")) { /* the man page, for make install */
        cmd_man(stdout, RELEC_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; cmd_specs[i]; i++)
        if (!strcmp(name, cmd_specs[i]->name)) {
            /* messages in the locale's language until --lang says more */
            lang_use(lang_from_env(), NULL, "relec");
            int rc = cmd_specs[i]->run(argc - 1, argv + 1);
            lang_use(LANG_EN, NULL, "relec"); /* frees the catalogue */
            return rc;
        }
    fprintf(stderr, "relec: '%s' is not a relec command\n", name);
    usage(stderr);
    return EXIT_USAGE;
}
