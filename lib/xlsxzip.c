/*
 * xlsxzip.c: see xlsxzip.h.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "xlsxzip.h"

#include <dlfcn.h>
#include <minizip/zip.h>
#include <string.h>

/* xlsxzip_drop_nan_values(): whether it is on, whether the part being
 * zipped is a worksheet, and how much of NAN_AFTER_F the bytes just
 * written end with (held back until the match ends or fails). */
static int drop_on, drop_part;
static size_t drop_m;
static const char NAN_AFTER_F[] = "</f><v>NAN</v>";
#define NAN_LEN (sizeof NAN_AFTER_F - 1)

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
    drop_part = drop_on && filename && !strncmp(filename, "xl/worksheets/", 14);
    drop_m = 0;
    return real(file, filename, zipfi, extrafield_local, size_extrafield_local,
                extrafield_global, size_extrafield_global, comment, method,
                level, raw, windowBits, memLevel, strategy, password,
                crcForCrypting, versionMadeBy, flagBase, zip64);
}

void xlsxzip_drop_nan_values(int on) {
    drop_on = on;
    drop_part = 0;
    drop_m = 0;
}

/* The bytes going out, gathered so that minizip gets them in chunks. */
typedef struct xz_out {
    zipFile file; /* the zip */
    char b[8192]; /* bytes not passed on yet */
    size_t n;     /* how many */
    int rc;       /* the first error of minizip's, or ZIP_OK */
} xz_out;

typedef int (*xlsxzip_write_fn)(zipFile, const void *, unsigned);
typedef int (*xlsxzip_close_fn)(zipFile);

static xlsxzip_write_fn real_write(void) {
    static xlsxzip_write_fn fn;
    if (!fn) {
        void *sym = dlsym(RTLD_NEXT, "zipWriteInFileInZip");
        if (sym) memcpy(&fn, &sym, sizeof fn);
    }
    return fn;
}

static void xz_flush(xz_out *o) {
    xlsxzip_write_fn w = real_write();
    if (o->n && o->rc == ZIP_OK)
        o->rc = w ? w(o->file, o->b, (unsigned)o->n) : ZIP_INTERNALERROR;
    o->n = 0;
}

static void xz_put(xz_out *o, const char *p, size_t n) {
    while (n) {
        if (o->n == sizeof o->b) xz_flush(o);
        size_t k = sizeof o->b - o->n < n ? sizeof o->b - o->n : n;
        memcpy(o->b + o->n, p, k);
        o->n += k, p += k, n -= k;
    }
}

/* One byte through the match: a whole NAN_AFTER_F goes out as "</f>"; on
 * a mismatch the first byte held goes out and the others (and C) are
 * matched again, so a match that begins inside one that failed is seen. */
static void xz_feed(xz_out *o, char c) {
    for (;;) {
        if (c == NAN_AFTER_F[drop_m]) {
            if (++drop_m == NAN_LEN) {
                xz_put(o, "</f>", 4);
                drop_m = 0;
            }
            return;
        }
        if (drop_m == 0) {
            xz_put(o, &c, 1);
            return;
        }
        size_t held = drop_m;
        drop_m = 0;
        xz_put(o, NAN_AFTER_F, 1);
        for (size_t i = 1; i < held; i++)
            xz_feed(o, NAN_AFTER_F[i]);
    }
}

int zipWriteInFileInZip(zipFile file, const void *buf, unsigned len) {
    xlsxzip_write_fn w = real_write();
    if (!w) return ZIP_INTERNALERROR;
    if (!drop_part) return w(file, buf, len);
    xz_out o = {.file = file, .n = 0, .rc = ZIP_OK};
    const char *p = buf, *e = p + len;
    while (p < e && o.rc == ZIP_OK) {
        if (drop_m == 0) { /* nothing held: up to the next '<' at once */
            const char *lt = memchr(p, '<', (size_t)(e - p));
            size_t k = (size_t)((lt ? lt : e) - p);
            xz_put(&o, p, k);
            p += k;
            if (!lt) break;
        }
        xz_feed(&o, *p++);
    }
    xz_flush(&o);
    return o.rc;
}

int zipCloseFileInZip(zipFile file) {
    static xlsxzip_close_fn real;
    if (!real) {
        void *sym = dlsym(RTLD_NEXT, "zipCloseFileInZip");
        if (!sym) return ZIP_INTERNALERROR;
        memcpy(&real, &sym, sizeof real);
    }
    if (drop_part && drop_m) { /* a match cut short by the part's end */
        xz_out o = {.file = file, .n = 0, .rc = ZIP_OK};
        xz_put(&o, NAN_AFTER_F, drop_m);
        xz_flush(&o);
        drop_m = 0;
        if (o.rc != ZIP_OK) return o.rc;
    }
    drop_part = 0;
    return real(file);
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
