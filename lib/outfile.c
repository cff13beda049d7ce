/*
 * outfile.c: temp-and-rename outputs. The temporary file lives in the
 * destination's directory so that rename() is atomic on one file system.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_GUARD 256
static dev_t guard_dev[MAX_GUARD]; /* inputs of this run: devices ... */
static ino_t guard_ino[MAX_GUARD]; /* ... and inodes */
static int nguard;                 /* how many */

void outfile_guard(const char *path) {
    struct stat st;
    if (nguard < MAX_GUARD && strcmp(path, "-") && stat(path, &st) == 0) {
        guard_dev[nguard] = st.st_dev;
        guard_ino[nguard] = st.st_ino;
        nguard++;
    }
}

static int is_input(const char *dest) {
    struct stat st;
    if (stat(dest, &st) != 0) return 0;
    for (int i = 0; i < nguard; i++)
        if (guard_dev[i] == st.st_dev && guard_ino[i] == st.st_ino) return 1;
    return 0;
}

char *outfile_temp_name(const char *dest) {
    size_t n = strlen(dest) + 32;
    char *t = malloc(n);
    if (!t) return NULL;
    const char *slash = strrchr(dest, '/');
    int dirlen = slash ? (int)(slash - dest + 1) : 0;
    snprintf(t, n, "%.*s.%s.tmp-XXXXXX", dirlen, dest,
             slash ? slash + 1 : dest);
    int fd = mkstemp(t);
    if (fd < 0) {
        free(t);
        return NULL;
    }
    close(fd);
    return t;
}

int outfile_rename(const char *tmp, const char *dest, char *err,
                   size_t errlen) {
    if (rename(tmp, dest) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", dest, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int outfile_open(outfile *o, const char *dest, char *err, size_t errlen) {
    memset(o, 0, sizeof *o);
    if (!strcmp(dest, "-")) {
        o->fp = stdout;
        return 0;
    }
    if (is_input(dest)) {
        snprintf(err, errlen,
                 "refusing to write '%s': it is an input of "
                 "this run",
                 dest);
        return -1;
    }
    o->path = strdup(dest);
    o->tmp = outfile_temp_name(dest);
    if (!o->tmp) {
        snprintf(err, errlen, "cannot write '%s': %s", dest, strerror(errno));
        free(o->path);
        o->path = NULL;
        return -1;
    }
    o->fp = fopen(o->tmp, "wb");
    if (!o->fp) {
        snprintf(err, errlen, "cannot write '%s': %s", dest, strerror(errno));
        outfile_abort(o);
        return -1;
    }
    /* mkstemp makes 0600; outputs get the usual 0666 & ~umask */
    mode_t um = umask(0);
    umask(um);
    fchmod(fileno(o->fp), 0666 & ~um);
    return 0;
}

int outfile_commit(outfile *o, char *err, size_t errlen) {
    if (!o->fp) return 0;
    if (!o->path) {
        int bad = fflush(o->fp) != 0 || ferror(o->fp);
        o->fp = NULL;
        if (bad) {
            snprintf(err, errlen, "cannot write to stdout: %s",
                     strerror(errno));
            return -1;
        }
        return 0;
    }
    int bad = fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0;
    int e = errno;
    bad |= fclose(o->fp) != 0;
    o->fp = NULL;
    if (bad) {
        snprintf(err, errlen, "cannot write '%s': %s", o->path, strerror(e));
        outfile_abort(o);
        return -1;
    }
    int rc = outfile_rename(o->tmp, o->path, err, errlen);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    return rc;
}

void outfile_abort(outfile *o) {
    if (o->fp && o->path) fclose(o->fp);
    o->fp = NULL;
    if (o->tmp) unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
}

void outfile_csv_cell(FILE *fp, const char *p, size_t n) {
    int quote = n && (p[0] == ' ' || p[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++)
        quote = p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r' ||
                p[i] == ';' || p[i] == '\t';
    if (!quote) {
        fwrite(p, 1, n, fp);
        return;
    }
    putc('"', fp);
    const char *s = p, *e = p + n;
    while (s < e) {
        const char *q = memchr(s, '"', (size_t)(e - s));
        if (!q) {
            fwrite(s, 1, (size_t)(e - s), fp);
            break;
        }
        fwrite(s, 1, (size_t)(q - s + 1), fp);
        putc('"', fp);
        s = q + 1;
    }
    putc('"', fp);
}
