/* load.c: relec load (not built yet: says so and exits 2). */
#include "cmd.h"

int cmd_load(int argc, char **argv) {
    (void)argc;
    (void)argv;
    cmd_error("load", "not implemented yet");
    return EXIT_USAGE;
}
