/*
 * sha256.h: SHA-256 (FIPS 180-4), for the checksums of source files that
 * `relec export` and `relec load` record. Streaming: feed any number of
 * byte ranges, then take the 32-byte digest. No allocation.
 *
 * Ownership: the caller owns the context (on its stack is fine) and every
 * buffer passed in; nothing here keeps a pointer past the call.
 */
#ifndef RELEC_SHA256_H
#define RELEC_SHA256_H
#include <stddef.h>
#include <stdint.h>

/* A running hash. Set up with sha256_init(). */
typedef struct sha256_ctx {
    uint32_t h[8];         /* chaining state H0..H7 */
    uint64_t nbytes;       /* message bytes fed so far */
    unsigned char buf[64]; /* the partial block not yet compressed */
    size_t nbuf;           /* bytes used in buf (0..63) */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
/* Pads, writes the digest to OUT and leaves C spent (init again to reuse). */
void sha256_final(sha256_ctx *c, unsigned char out[32]);

/* Lowercase hex of a digest, NUL-terminated. */
void sha256_hex(const unsigned char d[32], char hex[65]);

/* Hashes the file at PATH into HEX; 0, or -1 with errno set when it cannot
 * be opened or read. */
int sha256_file(const char *path, char hex[65]);

#endif
