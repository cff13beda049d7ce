/*
 * fuzz_csv.c: libFuzzer target for the CSV reader and the checker: the
 * input is written to a file, read as rows and checked against
 * schemas/incident.yaml, as `relec validate` would. Run from the repo top.
 */
#include "check.h"
#include "outfile.h"
#include "schema.h"
#include "source.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static schema *sch; /* loaded once */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[1024];
    if (!sch && !(sch = schema_load("schemas/incident.yaml", err, sizeof err)))
        abort();
    char path[] = "/dev/shm/fuzz-csv-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    source *src = source_open(path, NULL, err, sizeof err);
    if (src) {
        check *c = check_new(sch);
        source_row row;
        int first = 1;
        while (source_next(src, &row) > 0) {
            if (first)
                check_header(c, &row);
            else
                check_row(c, &row);
            first = 0;
        }
        check_free(c);
        source_close(src);
    }
    unlink(path);
    outfile_reset(); /* the run's inputs: one input, one run */
    return 0;
}
