/*
 * fuzz_schema.c: libFuzzer target for the schema loader (libyaml, the
 * schema language, pattern compilation): any bytes must load or fail with
 * a message, never crash or hang. Code lists resolve from schemas/codes.
 */
#include "fuzz_file.h"
#include "outfile.h"
#include "schema.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[] = "schemas/.fuzz-schema-XXXXXX";
    if (fuzz_file(path, 0, data, size) < 0) return 0;
    char err[1024];
    schema *s = schema_load(path, err, sizeof err);
    schema_free(s);
    unlink(path);
    outfile_reset(); /* the run's inputs: one input, one run */
    return 0;
}
