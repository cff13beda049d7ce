/* dedup.c: relec dedup (not built yet: says so and exits 2). */
#include "cmd.h"

int cmd_dedup(int argc, char **argv) {
    (void)argc;
    (void)argv;
    cmd_error("dedup", "not implemented yet");
    return EXIT_USAGE;
}
