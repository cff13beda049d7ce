/* compare.c: relec compare (not built yet: says so and exits 2). */
#include "cmd.h"

int cmd_compare(int argc, char **argv) {
    (void)argc;
    (void)argv;
    cmd_error("compare", "not implemented yet");
    return EXIT_USAGE;
}
