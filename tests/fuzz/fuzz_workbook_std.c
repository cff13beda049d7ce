/*
 * fuzz_workbook_std.c: fuzz_workbook.c with the standard's schemas
 * (incident, person, aggregate; bits 1-2 of the option byte), whose ISO
 * code lists go into every workbook: a target of its own, as an input
 * costs five to ten times one of tests/fuzz/workbook.yaml.
 */
#define FUZZ_WORKBOOK_STD 1
#include "fuzz_workbook.c"
