/*
 * keyset.c: open addressing with linear probing at load <= 1/2, 8-byte
 * slots.
 *
 * Performance: with every key new (the usual case for a unique column), an
 * add costs one hash, one probe run in the slot table (its one likely cache
 * miss: 8 slots share a cache line, so a run rarely spans two) and an append
 * to the arena, which is written sequentially. The 24-bit tag is taken from
 * the low bits of the hash and the home slot from the high bits, so the two
 * are independent: a probe meets a foreign key with the same tag with
 * probability 2^-24, and only then reads the arena. Growing does not read
 * the old table: it walks the arena (sequential) and rehashes each key, so
 * the old table is freed before the new one is touched and the peak is the
 * new table alone.
 */
#include "keyset.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define OFF_BITS 40
#define OFF_MASK ((1ull << OFF_BITS) - 1)
#define TAG_MASK 0xFFFFFFull

static inline uint64_t rotl(uint64_t x, int r) {
    return (x << r) | (x >> (64 - r));
}

/* Rounds of xxh64 over 8-byte words, then murmur3's fmix64 so that the
 * high bits (the home slot) and the low bits (the tag) both depend on every
 * input bit. */
uint64_t keyset_hash(const char *key, size_t n) {
    const uint64_t P1 = 0x9E3779B185EBCA87ull, P2 = 0xC2B2AE3D27D4EB4Full,
                   P4 = 0x85EBCA77C2B2AE63ull;
    const unsigned char *p = (const unsigned char *)key;
    const size_t len = n;
    uint64_t h = 0x27D4EB2F165667C5ull + (uint64_t)n * P1;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h ^= rotl(w * P2, 31) * P1;
        h = rotl(h, 27) * P1 + P4;
    }
    if (n) {
        /* the last 1-7 bytes as one word, read without a byte loop or a
         * memcpy call: overlapping loads (the length is in the seed, and
         * equal keys give equal words, which is all a hash needs) */
        uint64_t w;
        if (len >= 8) {
            memcpy(&w, p + n - 8, 8);
        } else if (n >= 4) {
            uint32_t a, b;
            memcpy(&a, p, 4);
            memcpy(&b, p + n - 4, 4);
            w = (uint64_t)a << 32 | b;
        } else {
            w = (uint64_t)p[0] << 16 | (uint64_t)p[n >> 1] << 8 | p[n - 1];
        }
        h ^= rotl(w * P2, 31) * P1;
        h = rotl(h, 27) * P1 + P4;
    }
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h;
}

void keyset_init(keyset *s) {
    memset(s, 0, sizeof *s);
}

/* A slot table of 4 MB or more is mapped on its own and asked for huge
 * pages: probes land on random slots, and with 4 KB pages nearly every one
 * would also miss the TLB (a 16 MB table spans 4096 pages; 2 MB pages make
 * it 8). Mapped memory is zeroed, like calloc's. */
#define BIG_TABLE ((size_t)4 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

static uint64_t *table_new(keyset *s, size_t nslots) {
    size_t bytes = nslots * sizeof(uint64_t);
    s->map = NULL;
    s->maplen = 0;
    if (bytes < BIG_TABLE) return calloc(nslots, sizeof(uint64_t));
    size_t len = bytes + HUGE_PAGE;
    void *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return NULL;
    uintptr_t a = ((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
#ifdef MADV_HUGEPAGE
    madvise((void *)a, bytes, MADV_HUGEPAGE);
#endif
    s->map = m;
    s->maplen = len;
    return (uint64_t *)a;
}

static void table_free(keyset *s) {
    if (s->map)
        munmap(s->map, s->maplen);
    else
        free(s->slots);
    s->map = NULL;
    s->maplen = 0;
    s->slots = NULL;
}

void keyset_free(keyset *s) {
    table_free(s);
    free(s->arena);
    memset(s, 0, sizeof *s);
}

/* A record is [key length: varint][key][value: varint of its low 40 bits,
 * varint of its high 24 bits]. Values are usually a row number (low bits)
 * tagged with a small file number (high bits): 4 bytes instead of 8. */
static size_t put_varint(unsigned char *a, uint64_t v) {
    size_t i = 0;
    do {
        unsigned char b = v & 0x7F;
        v >>= 7;
        a[i++] = (unsigned char)(b | (v ? 0x80 : 0));
    } while (v);
    return i;
}

static size_t get_varint(const unsigned char *a, uint64_t *v) {
    size_t i = 0;
    unsigned sh = 0;
    *v = 0;
    for (;;) {
        unsigned char b = a[i++];
        *v |= (uint64_t)(b & 0x7F) << sh;
        if (!(b & 0x80)) return i;
        sh += 7;
    }
}

/* Record at OFF: its key and length; returns the offset of its value. */
static size_t record_key(const unsigned char *a, size_t off, const char **key,
                         size_t *n) {
    uint64_t len;
    size_t i = off + get_varint(a + off, &len);
    *key = (const char *)a + i;
    *n = (size_t)len;
    return i + (size_t)len;
}

/* The value of the record at OFF; returns the offset after the record. */
static size_t record_value(const unsigned char *a, size_t off,
                           uint64_t *value) {
    const char *k;
    size_t n;
    uint64_t lo, hi;
    size_t i = record_key(a, off, &k, &n);
    i += get_varint(a + i, &lo);
    i += get_varint(a + i, &hi);
    *value = hi << OFF_BITS | lo;
    return i;
}

/* Slot index of KEY, or of the empty slot where it would go. */
static size_t find(const keyset *s, const char *key, size_t n, uint64_t h,
                   int *found) {
    size_t mask = s->nslots - 1, j = (size_t)(h >> s->shift);
    uint64_t tag = h & TAG_MASK;
    for (;;) {
        uint64_t v = s->slots[j];
        if (!v) break;
        if ((v >> OFF_BITS) == tag) {
            const char *k;
            size_t kn;
            record_key(s->arena, (size_t)(v & OFF_MASK) - 1, &k, &kn);
            if (kn == n && memcmp(k, key, n) == 0) {
                *found = 1;
                return j;
            }
        }
        j = (j + 1) & mask;
    }
    *found = 0;
    return j;
}

static int regrow(keyset *s, size_t nslots) {
    table_free(s); /* rebuilt from the arena: the old table is not read */
    uint64_t *t = table_new(s, nslots);
    if (!t) {
        s->nslots = 0;
        return -1;
    }
    s->slots = t;
    s->nslots = nslots;
    unsigned bits = 0;
    while (((size_t)1 << bits) < nslots)
        bits++;
    s->shift = 64 - bits;
    /* Each insert lands on a random slot of a table bigger than the cache:
     * keys are hashed RING records ahead of their insert and their slots
     * prefetched, so that the cache misses overlap instead of queueing. */
    enum { RING = 16 };
    uint64_t rh[RING], v;
    size_t roff[RING], in = 0, out = 0, off = 0;
    while (off < s->alen || out < in) {
        if (off < s->alen && in - out < RING) {
            const char *k;
            size_t kn;
            record_key(s->arena, off, &k, &kn);
            uint64_t h = keyset_hash(k, kn);
#if defined(__GNUC__)
            __builtin_prefetch(&t[h >> s->shift], 1);
#endif
            rh[in % RING] = h;
            roff[in % RING] = off;
            in++;
            off = record_value(s->arena, off, &v);
            continue;
        }
        uint64_t h = rh[out % RING];
        size_t j = (size_t)(h >> s->shift);
        while (t[j])
            j = (j + 1) & (nslots - 1);
        t[j] = (h & TAG_MASK) << OFF_BITS | ((uint64_t)roff[out % RING] + 1);
        out++;
    }
    return 0;
}

uint64_t keyset_prefetch(const keyset *s, const char *key, size_t n) {
    uint64_t h = keyset_hash(key, n);
#if defined(__GNUC__)
    if (s->nslots) __builtin_prefetch(&s->slots[h >> s->shift]);
#endif
    return h;
}

int keyset_add(keyset *s, const char *key, size_t n, uint64_t value,
               uint64_t *old) {
    return keyset_add_hashed(s, key, n, keyset_hash(key, n), value, old);
}

int keyset_add_hashed(keyset *s, const char *key, size_t n, uint64_t h,
                      uint64_t value, uint64_t *old) {
    if ((s->count + 1) * 2 > s->nslots &&
        regrow(s, s->nslots ? s->nslots * 2 : 1024) < 0)
        return -1;
    int found;
    size_t j = find(s, key, n, h, &found);
    if (found) {
        if (old)
            record_value(s->arena, (size_t)(s->slots[j] & OFF_MASK) - 1, old);
        return 0;
    }
    size_t need = s->alen + 10 + n + 10; /* two varints of <= 10 bytes */
    if (need > OFF_MASK) return -1;
    if (buf_grow(&s->arena, &s->acap, need, 1)) return -1;
    size_t off = s->alen, i = off + put_varint(s->arena + off, n);
    if (n) memcpy(s->arena + i, key, n);
    i += n;
    i += put_varint(s->arena + i, value & OFF_MASK);
    i += put_varint(s->arena + i, value >> OFF_BITS);
    s->alen = i;
    s->slots[j] = (h & TAG_MASK) << OFF_BITS | ((uint64_t)off + 1);
    s->count++;
    return 1;
}

int keyset_get(const keyset *s, const char *key, size_t n, uint64_t *value) {
    if (!s->nslots) return 0;
    int found;
    size_t j = find(s, key, n, keyset_hash(key, n), &found);
    if (found && value)
        record_value(s->arena, (size_t)(s->slots[j] & OFF_MASK) - 1, value);
    return found;
}
