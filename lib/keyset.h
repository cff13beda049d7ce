/*
 * keyset.h: a compact exact set of byte-string keys, each with a 64-bit
 * value, for the sets that must grow with the rows (a unique field's values
 * and the row each was first seen in).
 *
 * Why not strmap: strmap keeps a 40-byte slot per key at load <= 1/2, so a
 * million keys cost 80 MB of slots alone, and a growing table briefly holds
 * both the old and the new one. A keyset slot is 8 bytes: a 24-bit tag of
 * the hash and a 40-bit offset of the key's record in an arena; the record
 * is [length: varint][key bytes][value: two varints]. For a million 18-byte
 * incident ids that is 16 MB of slots plus 23 MB of records. Keys are kept
 * whole, so membership is exact: a hash collision costs a byte compare,
 * never a false "repeats the value of row N" (a hash-only set of 64-bit
 * hashes would be smaller still, but wrong with probability ~n^2/2^65,
 * 3e-8 at a million keys, and a wrong finding is worse than 16 MB).
 *
 * Ownership: the set owns its keys. Nothing it returns points into it.
 */
#ifndef RELEC_KEYSET_H
#define RELEC_KEYSET_H
#include <stddef.h>
#include <stdint.h>

/* The set. Zero-initialise, or use keyset_init(). */
typedef struct keyset {
    uint64_t *slots;      /* 0 empty, else tag << 40 | (record offset + 1) */
    size_t nslots;        /* power of two, or 0 before the first add */
    unsigned shift;       /* 64 - log2(nslots): home slot = hash >> shift */
    size_t count;         /* keys stored */
    unsigned char *arena; /* records, in insertion order */
    size_t alen, acap;    /* arena use and size */
    void *map;            /* a big table's own mapping, or NULL (calloc) */
    size_t maplen;        /* its length */
} keyset;

void keyset_init(keyset *s);
void keyset_free(keyset *s);

/* Adds KEY with VALUE unless present. Returns 1 when added, 0 when already
 * there (its value then in *OLD when OLD is not NULL), -1 out of memory. */
int keyset_add(keyset *s, const char *key, size_t n, uint64_t value,
               uint64_t *old);

/* keyset_add() for a key whose keyset_hash() is H. */
int keyset_add_hashed(keyset *s, const char *key, size_t n, uint64_t h,
                      uint64_t value, uint64_t *old);

/* Hashes KEY and asks the CPU to start loading its slot; returns the hash
 * for keyset_add_hashed(). Calling it well before the add (one row's field
 * checks before) hides the cache miss of a set larger than the cache. */
uint64_t keyset_prefetch(const keyset *s, const char *key, size_t n);

/* Whether KEY is present; its value in *VALUE when VALUE is not NULL. */
int keyset_get(const keyset *s, const char *key, size_t n, uint64_t *value);

/* The hash keyset uses (64-bit, well mixed in every bit). */
uint64_t keyset_hash(const char *key, size_t n);

#endif
