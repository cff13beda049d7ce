/*
 * fuzz_outfile.c: libFuzzer target for the output layer. The input is a
 * program of small steps in a fresh folder: make an input file and guard
 * it (by one of several spellings: plain, ./, a symbolic link), open an
 * output under one of those names, write to it, commit or abort. After
 * every program: no input changed, no temporary file left, every committed
 * output holds what was written, and a name that was an input was refused.
 */
#include "outfile.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NNAMES 4

static char dir[64];

/* Name I (of NNAMES) spelt way W: plain, ./-prefixed, or through a link. */
static void spell(char *buf, size_t n, int i, int w) {
    if (w == 1)
        snprintf(buf, n, "%s/./f%d", dir, i);
    else if (w == 2)
        snprintf(buf, n, "%s/l%d", dir, i);
    else
        snprintf(buf, n, "%s/f%d", dir, i);
}

static void clean(void) {
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[256];
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    if (d) closedir(d);
}

static int temps_left(void) {
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        n += strstr(e->d_name, ".tmp-") != NULL;
    if (d) closedir(d);
    return n;
}

static long file_size(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

/* At exit: the folder goes (it is in /dev/shm, memory). */
static void remove_dir(void) {
    clean();
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    snprintf(dir, sizeof dir, "/dev/shm/fuzz-outfile-XXXXXX");
    if (!mkdtemp(dir)) abort();
    atexit(remove_dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    clean();
    int input[NNAMES] = {0};    /* name i is a guarded input */
    long in_size[NNAMES] = {0}; /* its size when guarded */
    long committed[NNAMES];     /* bytes committed to name i, or -1 */
    for (int i = 0; i < NNAMES; i++) {
        char f[128], l[128];
        committed[i] = -1;
        spell(f, sizeof f, i, 0);
        snprintf(l, sizeof l, "f%d", i);
        spell(f, sizeof f, i, 2);
        if (symlink(l, f) != 0) abort();
    }
    char err[512], name[128];
    for (size_t k = 0; k + 1 < size; k += 2) {
        int op = data[k] & 3, i = (data[k] >> 2) % NNAMES,
            w = (data[k] >> 4) % 3, n = data[k + 1];
        spell(name, sizeof name, i, w);
        if (op == 0 && !input[i]) { /* make and guard an input */
            char f[128];
            spell(f, sizeof f, i, 0);
            FILE *fp = fopen(f, "wb");
            if (!fp) abort();
            for (int j = 0; j < n; j++)
                putc('a' + j % 26, fp);
            fclose(fp);
            outfile_guard(name);
            input[i] = 1;
            in_size[i] = n;
            committed[i] = -1;
            continue;
        }
        outfile o;
        if (outfile_open(&o, name, err, sizeof err) < 0) {
            if (!err[0]) abort(); /* a refusal says why */
            continue;
        }
        if (input[i]) abort(); /* an input was opened as an output */
        for (int j = 0; j < n; j++)
            putc('0' + j % 10, o.fp);
        if (op == 3) {
            outfile_abort(&o);
        } else if (outfile_commit(&o, err, sizeof err) == 0) {
            committed[i] = n;
        } else {
            abort(); /* a plain file in /tmp must commit */
        }
    }
    for (int i = 0; i < NNAMES; i++) {
        char f[128], l[128];
        spell(f, sizeof f, i, 0);
        spell(l, sizeof l, i, 2);
        struct stat st;
        if (lstat(l, &st) != 0 || !S_ISLNK(st.st_mode)) abort(); /* link kept */
        if (input[i] && file_size(f) != in_size[i]) abort(); /* input intact */
        if (!input[i] && committed[i] >= 0 && file_size(f) != committed[i])
            abort(); /* a commit lands at the name, through the link too */
    }
    if (temps_left()) abort();
    outfile_reset();
    return 0;
}
