/*
 * strmap.c: open addressing with linear probing at load <= 1/2. The full
 * hash is kept in the slot so that growing never rereads keys and most
 * probes that miss are decided without touching the arena.
 */
#include "strmap.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

uint64_t strmap_hash(const char *key, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)key[i]) * 1099511628211ull;
    return h ? h : 1;
}

void strmap_init(strmap *m) {
    memset(m, 0, sizeof *m);
}

void strmap_free(strmap *m) {
    free(m->slots);
    free(m->arena);
    memset(m, 0, sizeof *m);
}

static strmap_slot *find(const strmap *m, const char *key, size_t n,
                         uint64_t h) {
    if (!m->nslots) return NULL;
    size_t mask = m->nslots - 1, j = (size_t)h & mask;
    for (;;) {
        strmap_slot *s = &m->slots[j];
        if (!s->hash) return s;
        /* an empty key has no bytes in the arena, which may be NULL */
        if (s->hash == h && s->len == n &&
            (n == 0 || memcmp(m->arena + s->off, key, n) == 0))
            return s;
        j = (j + 1) & mask;
    }
}

uint64_t *strmap_get(const strmap *m, const char *key, size_t n) {
    strmap_slot *s = find(m, key, n, strmap_hash(key, n));
    return s && s->hash ? &s->value : NULL;
}

static int rehash(strmap *m, size_t nslots) {
    strmap_slot *old = m->slots;
    size_t nold = m->nslots;
    m->slots = calloc(nslots, sizeof *m->slots);
    if (!m->slots) {
        m->slots = old;
        return -1;
    }
    m->nslots = nslots;
    for (size_t i = 0; i < nold; i++) {
        if (!old[i].hash) continue;
        size_t j = (size_t)old[i].hash & (nslots - 1);
        while (m->slots[j].hash)
            j = (j + 1) & (nslots - 1);
        m->slots[j] = old[i];
    }
    free(old);
    return 0;
}

uint64_t *strmap_put(strmap *m, const char *key, size_t n, int *added) {
    if (added) *added = 0;
    if ((m->count + 1) * 2 > m->nslots &&
        rehash(m, m->nslots ? m->nslots * 2 : 64) < 0)
        return NULL;
    uint64_t h = strmap_hash(key, n);
    strmap_slot *s = find(m, key, n, h);
    if (s->hash) return &s->value;
    if (buf_grow(&m->arena, &m->acap, m->alen + n, 1)) return NULL;
    if (n) memcpy(m->arena + m->alen, key, n);
    s->hash = h;
    s->off = m->alen;
    s->len = n;
    s->value = 0;
    m->alen += n;
    m->count++;
    if (added) *added = 1;
    return &s->value;
}

const char *strmap_key(const strmap *m, size_t i, size_t *n) {
    *n = m->slots[i].len;
    return m->arena ? m->arena + m->slots[i].off : ""; /* empty keys only */
}
