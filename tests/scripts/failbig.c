/* failbig.c: an LD_PRELOAD library for tests of out-of-memory paths:
 * malloc, calloc and realloc of RELEC_FAIL_BIG bytes or more return NULL;
 * smaller ones are glibc's. */
#include <stdlib.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t k);
void *__libc_realloc(void *p, size_t n);

static int too_big(size_t n) {
    static size_t lim;
    if (!lim) {
        const char *s = getenv("RELEC_FAIL_BIG");
        lim = s ? (size_t)strtoull(s, NULL, 10) : (size_t)-1;
    }
    return n >= lim;
}

void *malloc(size_t n) {
    return too_big(n) ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t k) {
    return k && n > (size_t)-1 / k ? NULL
           : too_big(n * k)        ? NULL
                                   : __libc_calloc(n, k);
}

void *realloc(void *p, size_t n) {
    return too_big(n) ? NULL : __libc_realloc(p, n);
}
