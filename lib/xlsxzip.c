/*
 * xlsxzip.c: see xlsxzip.h.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "xlsxzip.h"

#include <dlfcn.h>
#include <minizip/zip.h>
#include <string.h>

/* libxlsxwriter deflates every part at zlib's default level 6 and has no
 * option for it. For a million-row Data sheet (about 0.9 GB of XML) that
 * deflate alone took about 40% of the export's CPU time; level 1 deflates
 * about three times faster for a file about 25% larger (measured by
 * bench/bench-export.sh). Debian's libxlsxwriter calls minizip's
 * zipOpenNewFileInZip4_64 from the shared libminizip, so this definition
 * in the executable takes its place for every workbook relec writes, and
 * passes the call on to minizip with level XLSXZIP_LEVEL. A libxlsxwriter
 * with minizip built in would not see it, and would only be slower. */
int xlsxzip_level(void) {
    return XLSXZIP_LEVEL;
}

typedef int (*xlsxzip_open_fn)(zipFile, const char *, const zip_fileinfo *,
                               const void *, uInt, const void *, uInt,
                               const char *, int, int, int, int, int, int,
                               const char *, uLong, uLong, uLong, int);

int zipOpenNewFileInZip4_64(
    zipFile file, const char *filename, const zip_fileinfo *zipfi,
    const void *extrafield_local, uInt size_extrafield_local,
    const void *extrafield_global, uInt size_extrafield_global,
    const char *comment, int method, int level, int raw, int windowBits,
    int memLevel, int strategy, const char *password, uLong crcForCrypting,
    uLong versionMadeBy, uLong flagBase, int zip64) {
    static xlsxzip_open_fn real;
    if (!real) {
        void *sym = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
        if (!sym) return ZIP_INTERNALERROR;
        memcpy(&real, &sym, sizeof real); /* object -> function pointer */
    }
    if (method == Z_DEFLATED && level != 0) level = XLSXZIP_LEVEL;
    return real(file, filename, zipfi, extrafield_local, size_extrafield_local,
                extrafield_global, size_extrafield_global, comment, method,
                level, raw, windowBits, memLevel, strategy, password,
                crcForCrypting, versionMadeBy, flagBase, zip64);
}

/* libxlsxwriter 1.1.4 leaks one copy of the formula of each list-formula
 * data validation (worksheet_data_validation_range, about 17 bytes a
 * dropdown of the template). Nothing outside the library can free it; the
 * LeakSanitizer hook below names it, so sanitizer runs (make check-asan)
 * report leaks of ours only. The library has no frame pointers, so the
 * stack LeakSanitizer sees ends at lxw_strdup: that is the name matched
 * (the library's string copies; everything else it allocates, such as a
 * workbook never closed, is still reported). Unused in ordinary builds. */
const char *__lsan_default_suppressions(void) __attribute__((used));
const char *__lsan_default_suppressions(void) {
    return "leak:worksheet_data_validation_range\nleak:lxw_strdup\n";
}
/* ... and quietly: the list of suppressions used would go to stderr. */
const char *__lsan_default_options(void) __attribute__((used));
const char *__lsan_default_options(void) {
    return "print_suppressions=0";
}
