/*
 * fuzz_map.c: libFuzzer target for the merge map loader: any bytes as a
 * map file (placed in examples/maps so its relative schema path resolves)
 * must load or fail with a message; a map that loads is run over the
 * Pakistan example's header and rows.
 */
#include "map.h"
#include "outfile.h"
#include "source.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[] = "examples/maps/.fuzz-map-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    char err[1024];
    map *m = map_load(path, err, sizeof err);
    if (m) {
        source *src = source_open("examples/national/pak-fia-2025-03.csv", NULL,
                                  err, sizeof err);
        source_row row;
        if (src && source_next(src, &row) > 0 &&
            map_header(m, &row, "pak", err, sizeof err) == 0)
            while (source_next(src, &row) > 0)
                map_row(m, &row);
        source_close(src);
        map_free(m);
    }
    unlink(path);
    outfile_reset(); /* the run's inputs: one input, one run */
    return 0;
}
