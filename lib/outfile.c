/*
 * outfile.c: temp-and-rename outputs. The temporary file lives in the
 * directory of the file the destination names (through a link) so that
 * rename() is atomic on one file system; a device, FIFO or stdout gets a
 * private temporary file in $TMPDIR whose bytes are copied to it when
 * complete. The run's inputs are remembered by device and inode, and the
 * live temporary files are removed by a signal handler.
 */
#include "outfile.h"
#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file this run reads. */
typedef struct guard {
    dev_t dev;  /* device ... */
    ino_t ino;  /* ... and inode, when it exists */
    int has_id; /* dev and ino are set */
    char *name; /* canonical name, also for one not made yet (a new
                   registry); NULL for stdin */
} guard;

/* A growable list of names. */
typedef struct namelist {
    char **v;   /* malloc'd names */
    size_t n;   /* in use */
    size_t cap; /* allocated */
} namelist;

static guard *guards;   /* inputs of this run (no fixed cap) */
static size_t nguard;   /* how many */
static size_t capguard; /* allocated */
static int guard_oom;   /* an input could not be remembered */
static namelist outs;   /* outputs claimed by this run (canonical) */
static namelist temps;  /* temporary files alive now (for signals) */
static int signals_set; /* handlers installed */
static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE}; /* handled */

static int namelist_add(namelist *l, char *name) {
    if (buf_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v)) return -1;
    l->v[l->n++] = name;
    return 0;
}

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
    int is_stdin = !strcmp(path, "-");
    if (buf_grow(&guards, &capguard, nguard + 1, sizeof *guards)) {
        guard_oom = 1;
        return;
    }
    guard *g = &guards[nguard];
    memset(g, 0, sizeof *g);
    /* stdin counts when a file is behind it (`< in.csv`); a character
     * device (/dev/null, a terminal) is no file to protect */
    if ((is_stdin ? fstat(STDIN_FILENO, &st) : stat(path, &st)) == 0 &&
        (S_ISREG(st.st_mode) || (!is_stdin && S_ISFIFO(st.st_mode)))) {
        g->dev = st.st_dev;
        g->ino = st.st_ino;
        g->has_id = 1;
    }
    if (!is_stdin) {
        g->name = canonical(path);
        if (!g->name && !g->has_id) guard_oom = 1;
    }
    if (g->has_id || g->name) nguard++;
}

void outfile_reset(void) {
    for (size_t i = 0; i < nguard; i++)
        free(guards[i].name);
    free(guards);
    guards = NULL;
    nguard = capguard = 0;
    guard_oom = 0;
    for (size_t i = 0; i < outs.n; i++)
        free(outs.v[i]);
    free(outs.v);
    memset(&outs, 0, sizeof outs);
}

static int is_input(const char *dest) {
    struct stat st;
    int exists = stat(dest, &st) == 0;
    char *c = canonical(dest);
    int hit = 0;
    for (size_t i = 0; i < nguard && !hit; i++)
        hit = (exists && guards[i].has_id && guards[i].dev == st.st_dev &&
               guards[i].ino == st.st_ino) ||
              (c && guards[i].name && !strcmp(c, guards[i].name));
    free(c);
    return hit;
}

/* Where an output to DEST really goes: DEST, or the file a symbolic link
 * names (the link stays). *SPECIAL is set for a character device or FIFO,
 * which is written through, never replaced. Malloc'd, or NULL with ERR for
 * what cannot be written: a directory, a block device, a socket, a link to
 * nothing. */
static char *dest_target(const char *dest, int *special, char *err,
                         size_t errlen) {
    struct stat st;
    *special = 0;
    if (lstat(dest, &st) != 0) return strdup(dest);
    char *t = S_ISLNK(st.st_mode) ? realpath(dest, NULL) : strdup(dest);
    if (!t) {
        snprintf(err, errlen,
                 "cannot write '%s': it is a symbolic link to a missing "
                 "file",
                 dest);
        return NULL;
    }
    if (stat(t, &st) != 0 || S_ISREG(st.st_mode)) return t;
    const char *what = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : NULL;
    if (what) {
        snprintf(err, errlen, "cannot write '%s': it is %s", dest, what);
        free(t);
        return NULL;
    }
    *special = 1;
    return t;
}

/* Checks DEST as an output; with CLAIM, remembers it as one. */
static int check_dest(const char *dest, int claim, char *err, size_t errlen) {
    if (!strcmp(dest, "-")) return 0;
    if (guard_oom) {
        snprintf(err, errlen, "cannot write '%s': out of memory", dest);
        return -1;
    }
    if (is_input(dest)) {
        snprintf(err, errlen,
                 "refusing to write '%s': it is an input of "
                 "this run",
                 dest);
        return -1;
    }
    int special;
    char *t = dest_target(dest, &special, err, errlen);
    if (!t) return -1;
    free(t);
    char *c = canonical(dest);
    for (size_t i = 0; c && i < outs.n; i++)
        if (!strcmp(c, outs.v[i])) {
            snprintf(err, errlen,
                     "refusing to write '%s' twice: two outputs "
                     "of this run are named so",
                     dest);
            free(c);
            return -1;
        }
    if (!claim || (c && namelist_add(&outs, c) < 0)) free(c);
    return 0;
}

int outfile_claim(const char *dest, char *err, size_t errlen) {
    return check_dest(dest, 1, err, errlen);
}

int outfile_check(const char *dest, char *err, size_t errlen) {
    return check_dest(dest, 0, err, errlen);
}

/* Removes every temporary file alive, then dies of SIG as it would have. */
static void on_signal(int sig) {
    for (size_t i = 0; i < temps.n; i++)
        unlink(temps.v[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void block_signals(sigset_t *old) {
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof caught / sizeof *caught; i++)
        sigaddset(&set, caught[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

int outfile_track_temp(const char *tmp) {
    if (!signals_set) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < sizeof caught / sizeof *caught; i++)
            sigaddset(&sa.sa_mask, caught[i]);
        for (size_t i = 0; i < sizeof caught / sizeof *caught; i++)
            /* a signal the caller ignores (nohup) stays ignored */
            if (sigaction(caught[i], NULL, &old) == 0 &&
                old.sa_handler != SIG_IGN)
                sigaction(caught[i], &sa, NULL);
        signals_set = 1;
    }
    char *copy = strdup(tmp);
    sigset_t old;
    block_signals(&old);
    int rc = copy ? namelist_add(&temps, copy) : -1;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (rc < 0) free(copy);
    return rc;
}

void outfile_untrack_temp(const char *tmp) {
    sigset_t old;
    block_signals(&old);
    for (size_t i = 0; i < temps.n; i++)
        if (!strcmp(temps.v[i], tmp)) {
            free(temps.v[i]);
            temps.v[i] = temps.v[--temps.n];
            break;
        }
    sigprocmask(SIG_SETMASK, &old, NULL);
}

void outfile_drop_temp(const char *tmp) {
    if (!tmp) return;
    unlink(tmp);
    outfile_untrack_temp(tmp);
}

char *outfile_temp_name(const char *dest) {
    int special = 1;
    char err[8];
    /* "-": stdout gets the finished file (a workbook piped on) */
    char *target = !strcmp(dest, "-")
                       ? strdup("stdout")
                       : dest_target(dest, &special, err, sizeof err);
    const char *where = target ? target : dest;
    const char *slash = strrchr(where, '/');
    const char *base = slash ? slash + 1 : where;
    char dir[4096];
    if (special) {
        /* a device or FIFO gets the data at the end, from a private file */
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/", t && *t ? t : "/tmp");
    } else {
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - where + 1) : 0,
                 where);
    }
    size_t n = strlen(dir) + strlen(base) + 16;
    char *t = malloc(n);
    if (t) snprintf(t, n, "%s.%s.tmp-XXXXXX", dir, base);
    free(target);
    if (!t) return NULL;
    int fd = mkstemp(t);
    if (fd < 0) {
        int e = errno;
        free(t);
        errno = e;
        return NULL;
    }
    /* mkstemp makes 0600; outputs get the usual 0666 & ~umask (writers
     * that reopen the name with fopen keep the mode) */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
    close(fd);
    if (outfile_track_temp(t) < 0) {
        unlink(t);
        free(t);
        errno = ENOMEM;
        return NULL;
    }
    return t;
}

/* Copies the file TMP into the device or FIFO DEST ("-": stdout). */
static int copy_through(const char *tmp, const char *dest, char *err,
                        size_t errlen) {
    int to_stdout = !strcmp(dest, "-");
    if (to_stdout) fflush(stdout);
    int in = open(tmp, O_RDONLY);
    int out = in < 0 ? -1 : to_stdout ? STDOUT_FILENO : open(dest, O_WRONLY);
    int ok = in >= 0 && out >= 0;
    char buf[65536];
    ssize_t n;
    while (ok && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0) {
            ok = errno == EINTR;
            continue;
        }
        for (ssize_t off = 0; ok && off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w > 0)
                off += w;
            else if (w < 0 && errno != EINTR)
                ok = 0;
        }
    }
    int e = errno;
    if (out >= 0 && !to_stdout && close(out) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (in >= 0) close(in);
    if (!ok && to_stdout)
        snprintf(err, errlen, "cannot write to stdout: %s", strerror(e));
    else if (!ok)
        snprintf(err, errlen, "cannot write '%s': %s", dest, strerror(e));
    return ok ? 0 : -1;
}

int outfile_rename(const char *tmp, const char *dest, char *err,
                   size_t errlen) {
    int special = 0, rc = -1;
    char *target = NULL;
    /* an input opened after the output was claimed is caught here */
    if (!strcmp(dest, "-"))
        rc = copy_through(tmp, dest, err, errlen), special = 1;
    else if (is_input(dest))
        snprintf(err, errlen,
                 "refusing to write '%s': it is an input of this run", dest);
    else if ((target = dest_target(dest, &special, err, errlen)) && special)
        rc = copy_through(tmp, dest, err, errlen);
    else if (target && rename(tmp, target) != 0)
        snprintf(err, errlen, "cannot write '%s': %s", dest, strerror(errno));
    else if (target)
        rc = 0;
    if (rc < 0 || special) unlink(tmp);
    outfile_untrack_temp(tmp);
    free(target);
    return rc;
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
    if (!o->tmp || !o->path) {
        snprintf(err, errlen, "cannot write '%s': %s", dest, strerror(errno));
        outfile_abort(o);
        return -1;
    }
    o->fp = fopen(o->tmp, "w+b");
    if (!o->fp) {
        snprintf(err, errlen, "cannot write '%s': %s", dest, strerror(errno));
        outfile_abort(o);
        return -1;
    }
    return 0;
}

int outfile_finish(outfile *o, char *err, size_t errlen) {
    if (!o->fp) return 0;
    if (!o->tmp) { /* stdout, written through */
        int bad = fflush(o->fp) != 0 || ferror(o->fp);
        o->fp = NULL;
        if (bad) {
            snprintf(err, errlen, "cannot write to stdout: %s",
                     strerror(errno));
            return -1;
        }
        return 0;
    }
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    /* fuzzing: the data need not reach the disk; an fsync per commit made
     * fuzz_outfile run at ~700 inputs a second */
    int bad = fflush(o->fp) != 0 || ferror(o->fp);
#else
    int bad = fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0;
#endif
    int e = errno;
    bad |= fclose(o->fp) != 0;
    o->fp = NULL;
    if (bad) {
        if (strcmp(o->path, "-"))
            snprintf(err, errlen, "cannot write '%s': %s", o->path,
                     strerror(e));
        else
            snprintf(err, errlen, "cannot write to stdout: %s", strerror(e));
        outfile_abort(o);
        return -1;
    }
    return 0;
}

int outfile_place(outfile *o, char *err, size_t errlen) {
    if (!o->tmp) return 0;
    int rc = outfile_rename(o->tmp, o->path, err, errlen);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    return rc;
}

int outfile_commit(outfile *o, char *err, size_t errlen) {
    if (!o->fp) return 0;
    if (outfile_finish(o, err, errlen) < 0) return -1;
    return outfile_place(o, err, errlen);
}

int outfile_open_spooled(outfile *o, const char *dest, char *err,
                         size_t errlen) {
    if (strcmp(dest, "-")) return outfile_open(o, dest, err, errlen);
    memset(o, 0, sizeof *o);
    o->path = strdup(dest);
    o->tmp = outfile_temp_name(dest);
    o->fp = o->tmp && o->path ? fopen(o->tmp, "w+b") : NULL;
    if (!o->fp) {
        snprintf(err, errlen, "cannot write to stdout: %s", strerror(errno));
        outfile_abort(o);
        return -1;
    }
    return 0;
}

/* An aborted output gives its name back (a writer may probe a name first
 * and open it for real later). */
static void unclaim(const char *dest) {
    char *c = canonical(dest);
    for (size_t i = 0; c && i < outs.n; i++)
        if (!strcmp(c, outs.v[i])) {
            free(outs.v[i]);
            outs.v[i] = outs.v[--outs.n];
            break;
        }
    free(c);
}

void outfile_abort(outfile *o) {
    if (o->path && strcmp(o->path, "-")) unclaim(o->path);
    if (o->fp && o->tmp) fclose(o->fp);
    o->fp = NULL;
    outfile_drop_temp(o->tmp);
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
