/*
 * key.c: key files (see key.h).
 */
#include "key.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_COMMENT                                                            \
    "# relec key: secret; do not mail, print or commit; mode 0600\n"

int key_new(const char *path, char *err, size_t errlen) {
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium cannot be initialised");
        return -1;
    }
    unsigned char key[KEY_BYTES];
    char hex[2 * KEY_BYTES + 1], text[sizeof KEY_COMMENT + sizeof hex + 1];
    /* O_EXCL: never over a file (or through a link) already there; the
     * mode is 0600 from the first moment (umask can only narrow it) */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create '%s': %s%s", path, strerror(errno),
                 errno == EEXIST ? " (a key is never overwritten)" : "");
        return -1;
    }
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    int n = snprintf(text, sizeof text, "%s%s\n", KEY_COMMENT, hex);
    int ok = fchmod(fd, 0600) == 0 && write(fd, text, (size_t)n) == n &&
             fsync(fd) == 0;
    int e = errno;
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    sodium_memzero(text, sizeof text);
    if (close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        unlink(path);
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
        return -1;
    }
    return 0;
}

int key_read(const char *path, unsigned char key[KEY_BYTES], char *err,
             size_t errlen) {
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium cannot be initialised");
        return -1;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open key '%s': %s", path,
                 strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        snprintf(err, errlen, "key '%s' is not a regular file", path);
        return -1;
    }
    if (st.st_mode & 077) {
        close(fd);
        snprintf(err, errlen,
                 "key '%s' may be read or changed by others (mode %03o): "
                 "make it private with chmod 600 '%s' and think whether it "
                 "has leaked",
                 path, (unsigned)(st.st_mode & 0777), path);
        return -2;
    }
    char text[512];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    int rc = -1;
    if (n > 0) {
        text[n] = 0;
        const char *p = text;
        while (*p == '#') { /* comment lines */
            const char *nl = strchr(p, '\n');
            p = nl ? nl + 1 : p + strlen(p);
        }
        size_t len = 0;
        const char *end;
        if (sodium_hex2bin(key, KEY_BYTES, p, strlen(p), NULL, &len, &end) ==
                0 &&
            len == KEY_BYTES && (*end == 0 || (*end == '\n' && !end[1])))
            rc = 0;
    }
    sodium_memzero(text, sizeof text);
    if (rc < 0) {
        sodium_memzero(key, KEY_BYTES);
        snprintf(err, errlen,
                 "'%s' is not a relec key (make one with relec key new)", path);
    }
    return rc;
}

void key_fingerprint(const unsigned char key[KEY_BYTES], char out[17]) {
    unsigned char h[8];
    static const char what[] = "relec key fingerprint";
    crypto_generichash(h, sizeof h, (const unsigned char *)what,
                       sizeof what - 1, key, KEY_BYTES);
    sodium_bin2hex(out, 17, h, sizeof h);
}
