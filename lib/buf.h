/*
 * buf.h: the one growable buffer of the project. Two shapes share one
 * growth rule (double from a first size until the need fits, overflow
 * checked): a byte string that is appended to (buf: always NUL-terminated
 * once anything is in it), and any array grown in place (buf_grow).
 *
 * Ownership: a buf owns its bytes until buf_free(); buf_grow() reallocates
 * the caller's array, which the caller frees. Pointers into either move
 * when it grows.
 */
#ifndef RELEC_BUF_H
#define RELEC_BUF_H
#include <stddef.h>
#include <stdint.h>

/* A byte string. Zero-initialise. */
typedef struct buf {
    char *p;    /* the bytes, NUL-terminated after a buf_add; NULL at first */
    size_t len; /* bytes in use, not counting the NUL */
    size_t cap; /* bytes allocated */
} buf;

/* The growing part of buf_grow(), out of line. */
int buf_realloc(void *pp, size_t *cap, size_t need, size_t elem);

/* Grows the array *PP of *CAP elements of ELEM bytes to hold at least NEED
 * (doubling; the first size is 16 elements or NEED). PP is the address of
 * the array pointer, of any type. 0, or -1 out of memory (the array and
 * *CAP are then unchanged). Inline: per-field callers pay one compare when
 * the array is big enough. */
static inline int buf_grow(void *pp, size_t *cap, size_t need, size_t elem) {
    return need <= *cap ? 0 : buf_realloc(pp, cap, need, elem);
}

/* buf_grow() for an array whose capacity is an int32_t (ICU's UChar
 * buffers); fails rather than exceed INT32_MAX elements. */
int buf_grow_i32(void *pp, int32_t *cap, size_t need, size_t elem);

/* Makes room for MORE bytes after len, and the NUL. 0, or -1. */
int buf_reserve(buf *b, size_t more);

/* Appends N bytes of P and keeps the NUL. 0, or -1 out of memory (B is
 * then unchanged). */
int buf_add(buf *b, const void *p, size_t n);

/* Appends the C string S. */
int buf_adds(buf *b, const char *s);

/* Appends printf-style text. 0, or -1 out of memory or a bad format (B
 * is then unchanged). */
int buf_addf(buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Empties B, keeping its memory. */
void buf_clear(buf *b);

/* Frees the bytes; B is empty and reusable. */
void buf_free(buf *b);

#endif
