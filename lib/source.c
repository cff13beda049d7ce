/*
 * source.c: opens a path or stdin, tells the format by its first bytes and
 * hands rows through the format's reader. Workbooks on stdin are spooled to
 * a temporary file first, since a zip is read from its end.
 */
#include "source.h"
#include "outfile.h"
#include "source_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* An open source: the reader behind it and what to say about it. */
struct source {
    source_reader reader; /* the format's reader (owns its state) */
    char *name;           /* path as given, or "<stdin>" */
    const char *format;   /* "csv" or "xlsx" */
    char *spool;          /* temporary copy of a workbook read from stdin */
    char err[512];        /* last error message */
};

/* Copies HEAD then the rest of IN to a tracked temporary file named with
 * SUFFIX ("" or ".xlsx"); *PATH_OUT gets its malloc'd name. */
static int spool_stdin(FILE *in, const unsigned char *head, size_t nhead,
                       const char *suffix, char **path_out, char *err,
                       size_t errlen) {
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/relec-stdin-XXXXXX%s",
             dir && *dir ? dir : "/tmp", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0) {
        snprintf(err, errlen, "cannot spool stdin to a temporary file: %s",
                 strerror(errno));
        return -1;
    }
    outfile_track_temp(path);
    FILE *out = fdopen(fd, "wb");
    int ok = out && (!nhead || fwrite(head, 1, nhead, out) == nhead);
    char buf[65536];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (ferror(in)) ok = 0;
    if (out ? fclose(out) != 0 : close(fd) != 0) ok = 0;
    if (!ok) {
        snprintf(err, errlen, "cannot spool stdin to '%s': %s", path,
                 strerror(errno));
        outfile_drop_temp(path);
        return -1;
    }
    *path_out = strdup(path);
    return 0;
}

char *source_spool(FILE *in, char *err, size_t errlen) {
    char *path = NULL;
    if (spool_stdin(in, NULL, 0, "", &path, err, errlen) < 0) return NULL;
    if (!path) snprintf(err, errlen, "out of memory");
    return path;
}

source *source_open(const char *path, const source_opts *opts, char *err,
                    size_t errlen) {
    static const source_opts defaults;
    if (!opts) opts = &defaults;
    int is_stdin = strcmp(path, "-") == 0;
    outfile_guard(path); /* no output of the run over it */
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    source *src = calloc(1, sizeof *src);
    if (!src) {
        snprintf(err, errlen, "out of memory");
        if (!is_stdin) fclose(fp);
        return NULL;
    }
    src->name = strdup(opts->name ? opts->name : is_stdin ? "<stdin>" : path);

    /* Peek at the magic: a zip is a workbook. ungetc() gives back only one
     * byte, so stdin workbooks are spooled and files are rewound. */
    unsigned char head[16];
    size_t nhead = fread(head, 1, sizeof head, fp);
    int is_zip = nhead >= 4 && memcmp(head, "PK\3\4", 4) == 0;
    int is_sqlite = nhead == 16 && memcmp(head, "SQLite format 3", 16) == 0;
    int is_ole =
        nhead >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
    int rc;
    /* a name that promises a format the bytes do not have is an error,
     * not a file read as CSV */
    const char *dot = is_stdin ? NULL : strrchr(path, '.');
    if (dot && strchr(dot, '/')) dot = NULL;
    if (dot && !is_zip && !is_ole &&
        (!strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xlsm"))) {
        snprintf(err, errlen,
                 "not a workbook: an .xlsx file is a zip, and this one does "
                 "not start like one");
        goto fail;
    }
    if (dot && !is_sqlite &&
        (!strcasecmp(dot, ".db") || !strcasecmp(dot, ".sqlite") ||
         !strcasecmp(dot, ".sqlite3"))) {
        snprintf(err, errlen, "not a store: it is not an SQLite database");
        goto fail;
    }
    if (is_ole) {
        /* an OLE compound file: a legacy .xls, or an .xlsx that Excel
         * encrypted with a password (it wraps the zip in OLE) */
        snprintf(err, errlen,
                 "an encrypted workbook or a legacy .xls, not a readable "
                 ".xlsx: save it as .xlsx without a password");
        goto fail;
    }
    if (is_sqlite && !is_stdin) {
        fclose(fp);
        fp = NULL;
        src->format = "sqlite";
        rc = source_sqlite_open(path, opts, &src->reader, err, errlen);
    } else if (is_zip) {
        const char *zpath = path;
        if (is_stdin) {
            if (spool_stdin(fp, head, nhead, ".xlsx", &src->spool, err,
                            errlen) < 0)
                goto fail;
            zpath = src->spool;
        } else {
            fclose(fp);
        }
        fp = NULL;
        src->format = "xlsx";
        rc = source_xlsx_open(zpath, opts, &src->reader, err, errlen);
    } else {
        /* the peeked bytes go to the reader as a prefix: stdin cannot be
         * rewound, and ungetc() promises only one byte */
        src->format = "csv";
        rc = source_csv_open(fp, is_stdin, head, nhead, opts, &src->reader, err,
                             errlen);
        fp = NULL;
    }
    if (rc < 0) goto fail;
    return src;
fail:
    if (fp && !is_stdin) fclose(fp);
    source_close(src);
    return NULL;
}

int source_next(source *src, source_row *row) {
    int rc =
        src->reader.next(src->reader.state, row, src->err, sizeof src->err);
    return rc;
}

const char *source_error(const source *src) {
    return src->err;
}
const char *source_name(const source *src) {
    return src->name;
}
const char *source_format(const source *src) {
    return src->format;
}

unsigned long long source_bytes(const source *src) {
    return src->reader.bytes ? src->reader.bytes(src->reader.state) : 0;
}

void source_close(source *src) {
    if (!src) return;
    if (src->reader.close) src->reader.close(src->reader.state);
    if (src->spool) {
        outfile_drop_temp(src->spool);
        free(src->spool);
    }
    free(src->name);
    free(src);
}
