/*
 * fuzz_file.h: the fuzz targets' input as a file. fuzz_file() makes a
 * temporary file from the template PATH (mkstemps: its last SUFFIX bytes
 * kept, e.g. ".db") and writes the input to it; the caller unlinks PATH.
 */
#ifndef RELEC_FUZZ_FILE_H
#define RELEC_FUZZ_FILE_H
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* 0 with the input in PATH, -1 (no file left) when it cannot be made. */
static int fuzz_file(char *path, int suffix, const uint8_t *data, size_t size) {
    int fd = mkstemps(path, suffix);
    if (fd < 0) return -1;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return -1;
    }
    close(fd);
    return 0;
}

#endif
