/* merge.c: relec merge (not built yet: says so and exits 2). */
#include "cmd.h"

int cmd_merge(int argc, char **argv) {
    (void)argc;
    (void)argv;
    cmd_error("merge", "not implemented yet");
    return EXIT_USAGE;
}
