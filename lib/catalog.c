/*
 * catalog.c: where the standard's schemas are (catalog.h has the order).
 * A handful of stat() calls per command run: no caching is worth having.
 */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RELEC_SCHEMA_DIR
#define RELEC_SCHEMA_DIR "/usr/local/share/relec/schemas"
#endif

static int is_file(const char *p) {
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The folder of the running binary (from /proc/self/exe), or "". */
static const char *exe_dir(void) {
    static char dir[4096];
    static int done;
    if (!done) {
        done = 1;
        ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
        dir[n > 0 ? n : 0] = 0;
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = 0;
        else
            dir[0] = 0;
    }
    return dir;
}

/* The candidate folders, in order, into DIRS (at most 12); returns how
 * many. Entries point into BUFS (12 x 4096). */
static size_t candidates(const char *given_dir, const char *map_dir,
                         const char **dirs, char bufs[][4096]) {
    size_t n = 0, b = 0;
    const char *env = getenv("RELEC_SCHEMAS");
    if (env && *env) dirs[n++] = env;
    if (given_dir && *given_dir) dirs[n++] = given_dir;
    dirs[n++] = "schemas";
    if (map_dir && *map_dir) {
        const char *rel[] = {"%s/../../schemas", "%s/../schemas", "%s"};
        for (size_t i = 0; i < 3; i++) {
            int w = snprintf(bufs[b], 4096, rel[i], map_dir);
            if (w > 0 && w < 4096) dirs[n++] = bufs[b++]; /* else too long */
        }
    }
    const char *exe = exe_dir();
    if (*exe) {
        const char *rel[] = {"%s/../schemas", "%s/../share/relec/schemas"};
        for (size_t i = 0; i < 2; i++) {
            int w = snprintf(bufs[b], 4096, rel[i], exe);
            if (w > 0 && w < 4096) dirs[n++] = bufs[b++]; /* else too long */
        }
    }
    dirs[n++] = RELEC_SCHEMA_DIR;
    dirs[n++] = "/usr/local/share/relec/schemas";
    dirs[n++] = "/usr/share/relec/schemas";
    return n;
}

const char *catalog_find(const char *name, const char *given_dir,
                         const char *map_dir, char *buf, size_t cap) {
    if (strchr(name, '/')) {
        if (name[0] != '/' && map_dir && *map_dir) {
            snprintf(buf, cap, "%s/%s", map_dir, name);
            return buf;
        }
        return name;
    }
    if (!map_dir && is_file(name)) return name;
    const char *dirs[12];
    char bufs[12][4096];
    size_t n = candidates(given_dir, map_dir, dirs, bufs);
    size_t len = strlen(name);
    int has_ext = len > 5 && !strcmp(name + len - 5, ".yaml");
    for (size_t i = 0; i < n; i++) {
        snprintf(buf, cap, "%s/%s%s", dirs[i], name, has_ext ? "" : ".yaml");
        if (is_file(buf)) return buf;
    }
    return name;
}

const char *catalog_dir(const char *given_dir) {
    static char found[4096];
    if (given_dir && *given_dir) return given_dir;
    const char *dirs[12];
    char bufs[12][4096];
    size_t n = candidates(NULL, NULL, dirs, bufs);
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(found, sizeof found, "%s/incident.yaml", dirs[i]);
        if (w < 0 || (size_t)w >= sizeof found) continue; /* too long */
        if (is_file(found)) {
            snprintf(found, sizeof found, "%s", dirs[i]);
            return found;
        }
    }
    return "schemas";
}
