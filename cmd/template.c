/* template.c: relec template (not built yet: says so and exits 2). */
#include "cmd.h"

int cmd_template(int argc, char **argv) {
    (void)argc;
    (void)argv;
    cmd_error("template", "not implemented yet");
    return EXIT_USAGE;
}
