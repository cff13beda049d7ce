/*
 * buf.c: see buf.h.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int buf_realloc(void *pp, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem) return -1;
        c *= 2;
    }
    void *p;
    memcpy(&p, pp, sizeof p); /* *pp is a pointer of the caller's type */
    void *q = realloc(p, c * elem);
    if (!q) return -1;
    memcpy(pp, &q, sizeof q);
    *cap = c;
    return 0;
}

int buf_grow_i32(void *pp, int32_t *cap, size_t need, size_t elem) {
    size_t c = (size_t)*cap;
    if (need > INT32_MAX / 2) return -1; /* doubling stays below INT32_MAX */
    if (buf_grow(pp, &c, need, elem)) return -1;
    *cap = (int32_t)c;
    return 0;
}

int buf_reserve(buf *b, size_t more) {
    if (more > SIZE_MAX - b->len - 1) return -1;
    return buf_grow(&b->p, &b->cap, b->len + more + 1, 1);
}

int buf_add(buf *b, const void *p, size_t n) {
    if (buf_reserve(b, n)) return -1;
    if (n) memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

int buf_adds(buf *b, const char *s) {
    return buf_add(b, s, strlen(s));
}

int buf_addf(buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || buf_reserve(b, (size_t)n)) return -1;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void buf_clear(buf *b) {
    b->len = 0;
    if (b->p) b->p[0] = 0;
}

void buf_free(buf *b) {
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
