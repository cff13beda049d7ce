/*
 * strmap.h: a hash map from byte strings to a 64-bit value, for the key sets
 * that must grow with the rows (unique fields, foreign keys, registries).
 * Keys are copied into one arena, so an insert costs no malloc once the
 * arena and table have grown.
 *
 * Ownership: the map owns its keys; pointers it returns stay valid until
 * the next insert (the arena may move) or strmap_free().
 */
#ifndef RELEC_STRMAP_H
#define RELEC_STRMAP_H
#include <stddef.h>
#include <stdint.h>

/* One slot of the table. */
typedef struct strmap_slot {
    uint64_t hash;  /* full hash; 0 = empty slot */
    size_t off;     /* key offset in the arena */
    size_t len;     /* key length */
    uint64_t value; /* caller's value */
} strmap_slot;

/* The map. Zero-initialise, or use strmap_init(). */
typedef struct strmap {
    strmap_slot *slots; /* open addressing, linear probing */
    size_t nslots;      /* power of two */
    size_t count;       /* keys stored */
    char *arena;        /* key bytes */
    size_t alen, acap;  /* arena use and size */
} strmap;

void strmap_init(strmap *m);
void strmap_free(strmap *m);

/* Finds KEY; returns its value slot, or NULL. */
uint64_t *strmap_get(const strmap *m, const char *key, size_t n);

/* Finds or adds KEY (value 0 when new, *ADDED set to 1). Returns the value
 * slot, or NULL when out of memory. */
uint64_t *strmap_put(strmap *m, const char *key, size_t n, int *added);

/* Key bytes of slot I (for iteration over slots[0..nslots)). */
const char *strmap_key(const strmap *m, size_t i, size_t *n);

/* The hash strmap uses (FNV-1a 64, never 0), for callers who shard. */
uint64_t strmap_hash(const char *key, size_t n);

#endif
