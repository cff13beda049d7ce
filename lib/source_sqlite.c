/* source_sqlite.c: rows of a table of the regional store (not built yet). */
#include "source_impl.h"

#include <stdio.h>

int source_sqlite_open(const char *path, const source_opts *opts,
                       source_reader *out, char *err, size_t errlen) {
    (void)path;
    (void)opts;
    (void)out;
    snprintf(err, errlen, "reading the SQLite store is not built yet");
    return -1;
}
