/* export.c: relec export (not built yet: says so and exits 2). */
#include "cmd.h"

int cmd_export(int argc, char **argv) {
    (void)argc;
    (void)argv;
    cmd_error("export", "not implemented yet");
    return EXIT_USAGE;
}
