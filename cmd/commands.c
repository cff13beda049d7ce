/*
 * commands.c: the list of relec's commands (their specs are in their own
 * files) and what relec is, for relec --help and the man page.
 */
#include "cmd.h"

#include <stddef.h>

/* Every command, in relec --help's order. */
const cmd_spec *const cmd_specs[] = {&cmd_validate_spec,     &cmd_export_spec,
                                     &cmd_template_spec,     &cmd_dedup_spec,
                                     &cmd_merge_spec,        &cmd_load_spec,
                                     &cmd_compare_spec,      &cmd_key_spec,
                                     &cmd_pseudonymise_spec, NULL};

const char cmd_intro[] =
    "relec checks, merges and compares the data interior ministries collect "
    "on\ntrafficking in human beings, smuggling of migrants and irregular "
    "migration,\nfollowing the RELEC SOP on data collection.\n";
