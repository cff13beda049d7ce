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
static dev_t guard_dev[MAX_GUARD];  /* inputs of this run: devices ... */
static ino_t guard_ino[MAX_GUARD];  /* ... and inodes (existing files) */
static char *guard_name[MAX_GUARD]; /* inputs by canonical name, also those
                                       not made yet (a new registry) */
static int nguard;                  /* how many */
static char *out_name[MAX_GUARD];   /* outputs opened in this run */
static int nout;                    /* how many */

/* PATH made absolute with links resolved; a file that does not exist yet is
 * named through its directory's real path. Malloc'd, or NULL. */
static char *canonical(const char *path) {
    char *r = realpath(path, NULL);
    if (r) return r;
    const char *slash = strrchr(path, '/');
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1,
             slash ? (slash == path ? "/" : path) : ".");
    char *d = realpath(dir, NULL);
    if (!d) return NULL;
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(d) + strlen(base) + 2;
    char *c = malloc(n);
    if (c) snprintf(c, n, "%s/%s", d, base);
    free(d);
    return c;
}

void outfile_guard(const char *path) {
    struct stat st;
    if (nguard >= MAX_GUARD || !strcmp(path, "-")) return;
    if (stat(path, &st) == 0) {
        guard_dev[nguard] = st.st_dev;
        guard_ino[nguard] = st.st_ino;
    }
    guard_name[nguard] = canonical(path);
    nguard++;
}

static int is_input(const char *dest) {
    struct stat st;
    int exists = stat(dest, &st) == 0;
    char *c = canonical(dest);
    int hit = 0;
    for (int i = 0; i < nguard && !hit; i++)
        hit = (exists && guard_name[i] && guard_dev[i] == st.st_dev &&
               guard_ino[i] == st.st_ino && guard_ino[i] != 0) ||
              (c && guard_name[i] && !strcmp(c, guard_name[i]));
    free(c);
    return hit;
}

int outfile_claim(const char *dest, char *err, size_t errlen) {
    if (!strcmp(dest, "-")) return 0;
    if (is_input(dest)) {
        snprintf(err, errlen,
                 "refusing to write '%s': it is an input of "
                 "this run",
                 dest);
        return -1;
    }
    char *c = canonical(dest);
    for (int i = 0; c && i < nout; i++)
        if (!strcmp(c, out_name[i])) {
            snprintf(err, errlen,
                     "refusing to write '%s' twice: two outputs "
                     "of this run are named so",
                     dest);
            free(c);
            return -1;
        }
    if (c && nout < MAX_GUARD)
        out_name[nout++] = c;
    else
        free(c);
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
    if (outfile_claim(dest, err, errlen) < 0) return -1;
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

/* An aborted output gives its name back (a writer may probe a name first
 * and open it for real later). */
static void unclaim(const char *dest) {
    char *c = canonical(dest);
    for (int i = 0; c && i < nout; i++)
        if (!strcmp(c, out_name[i])) {
            free(out_name[i]);
            out_name[i] = out_name[--nout];
            break;
        }
    free(c);
}

void outfile_abort(outfile *o) {
    if (o->path) unclaim(o->path);
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
