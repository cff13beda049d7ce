/*
 * test_sha256.c: SHA-256 against the FIPS 180-4 / NIST example vectors
 * ("abc", the 448-bit message, one million 'a'), fed whole and in odd
 * pieces, plus sha256_file() on a written file and a missing one.
 */
#include "t.h"

#include "sha256.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void hash(const char *s, size_t n, size_t piece, char hex[65]) {
    sha256_ctx c;
    unsigned char d[32];
    sha256_init(&c);
    for (size_t i = 0; i < n; i += piece)
        sha256_update(&c, s + i, n - i < piece ? n - i : piece);
    sha256_final(&c, d);
    sha256_hex(d, hex);
}

static const char *M448 =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

T_TEST(abc) {
    char hex[65];
    hash("abc", 3, 3, hex);
    T_CHECK_STR(
        hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hash("abc", 3, 1, hex);
    T_CHECK_STR(
        hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

T_TEST(empty) {
    char hex[65];
    hash("", 0, 1, hex);
    T_CHECK_STR(
        hex,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

T_TEST(bits448) {
    char hex[65];
    size_t pieces[] = {56, 1, 7, 13, 55, 64};
    for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++) {
        hash(M448, 56, pieces[i], hex);
        T_CHECK_STR(
            hex,
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
}

T_TEST(million_a) {
    char *a = malloc(1000000);
    T_CHECK(a != NULL);
    if (!a) return;
    memset(a, 'a', 1000000);
    char hex[65];
    size_t pieces[] = {1000000, 1000, 63, 65};
    for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++) {
        hash(a, 1000000, pieces[i], hex);
        T_CHECK_STR(
            hex,
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    free(a);
}

T_TEST(file) {
    char path[] = "/tmp/relec-sha256-XXXXXX";
    int fd = mkstemp(path);
    T_CHECK(fd >= 0);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "wb");
    /* 200,000 bytes so the file spans several read chunks */
    for (int i = 0; i < 1000000 / 5; i++)
        fputc('a', f);
    fclose(f);
    char hex[65], want[65];
    T_CHECK_INT(sha256_file(path, hex), 0);
    char *a = malloc(200000);
    memset(a, 'a', 200000);
    hash(a, 200000, 200000, want);
    free(a);
    T_CHECK_STR(hex, want);
    unlink(path);
    errno = 0;
    T_CHECK_INT(sha256_file(path, hex), -1);
    T_CHECK_INT(errno, ENOENT);
}

int main(void) {
    T_RUN(abc);
    T_RUN(empty);
    T_RUN(bits448);
    T_RUN(million_a);
    T_RUN(file);
    return T_END();
}
