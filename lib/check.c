/*
 * check.c: the per-row checker.
 *
 * Performance: a row costs one pass over its bytes for UTF-8, then per field
 * a type parse and at most one hash probe or one JIT regex match. Findings
 * and their messages go into buffers owned by the checker and reused for
 * every row; nothing is allocated per row except when a unique or foreign
 * key set grows, which is the one thing that must grow with the rows.
 *
 * Measured on 1M incident rows (bench/bench-validate.sh), what keeps that
 * near the cost of parsing the file:
 *  - everything a row compares against is prepared in check_new(): code
 *    lists packed into inline 16-byte slots (no pointer chase, no strlen),
 *    lengths of allow and rule values, which fields have constraints at all,
 *    which fields are keys;
 *  - most cells are a few ASCII bytes: one or two overlapping word loads
 *    decide UTF-8 validity and give the character count;
 *  - the per-cell functions are inlined into the row loop; error paths are
 *    out of line (COLD), so a clean cell costs no call;
 *  - unique values go to a keyset (8-byte slots, exact keys, ~40 MB at a
 *    million keys instead of ~110 MB), hashed and prefetched before the
 *    row's fields are checked so that the probe's cache miss overlaps them;
 *  - patterns run through pcre2_jit_match() when every pattern was JIT-
 *    compiled (values are valid UTF-8 by then, so its skipped checks are
 *    not needed).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "check.h"
#include "buf.h"
#include "calendar.h"
#include "keyset.h"
#include "lang.h"
#include "mask.h"
#include "pprl.h"
#include "strmap.h"

#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSGBUF (64 * 1024)
#define SHOWN_CAP 256 /* a value quoted in a message, or its mask */
/* PCRE2 limits per value: a pattern that backtracks catastrophically
 * (^(a+)+$) is cut off after this many steps and reported, not run for
 * the 10,000,000 steps of the default (14 ms a row) */
#define CHECK_MATCH_LIMIT 1000000
#define CHECK_DEPTH_LIMIT 100000

/* One value carried from a reference table: where it is in carry_arena. */
typedef struct check_carried {
    size_t off; /* offset in carry_arena */
    size_t len; /* bytes */
} check_carried;

/* A loaded reference table: keys and the columns rules read through it. */
typedef struct check_ref {
    const schema_reftable *t; /* what the schema asked for */
    int loaded;               /* a file was given */
    strmap keys;              /* key -> index of its carried values */
    check_carried *carry;     /* ncarry values per key, in key order */
    size_t nrows, ccap;       /* keys stored; carry's size in values */
    char *carry_arena;        /* carried bytes */
    size_t alen, acap;        /* arena use and size */
    char *path;               /* file it came from, for messages */
} check_ref;

/* One entry of a packed code table: a code of at most 16 bytes, inline. */
typedef struct check_code_slot {
    uint64_t w[2]; /* the code's bytes, zero-padded to 16 */
    uint32_t len;  /* its length; UINT32_MAX = empty slot */
    int32_t idx;   /* its index in the code list */
} check_code_slot;

/* A code list packed for the per-row lookups (see code_index()). */
typedef struct check_codes {
    const schema_codelist *l; /* the list (the schema's) */
    check_code_slot *slots;   /* open addressing, linear probing */
    unsigned shift;           /* 64 - log2(number of slots) */
    size_t mask;              /* number of slots - 1 */
    int has_long;             /* some code is longer than 16 bytes */
    int cached;               /* slots held by the process-wide table
                                 cache (a shared list): not freed */
} check_codes;

/* A sums group: the rows that share a key but for one breakdown field,
 * and the total row among them. Counts are intervals: "<5" is 1 to 4. */
typedef struct check_sum {
    double lo, hi;   /* the parts' sum: the least and the most it can be */
    long trow;       /* the total row's number; 0 = none seen yet */
    long prow;       /* the first part's row number */
    uint32_t nparts; /* part rows (distinct codes: keys are unique) */
    uint32_t field;  /* the breakdown: index into the schema's sums */
} check_sum;

/* A group whose sum cannot be right, for sorting by its total's row. */
typedef struct check_bad {
    long row;       /* the total row's number */
    uint32_t field; /* the breakdown */
    size_t group;   /* index into the checker's sums accumulators */
} check_bad;

/* A value a field holds in the current row, once checked. */
typedef struct check_val {
    const char *p; /* bytes (trimmed) */
    size_t n;      /* length */
    int present;   /* non-empty */
    int valid;     /* passed every check of its own: rules may read it */
    int ascii;     /* every byte is 0x01-0x7F: characters = bytes */
    double num;    /* integer and number fields: the value */
    long code;     /* code fields: index in the code list, or -1 */
} check_val;

struct check {
    const schema *s;      /* the plan (not owned) */
    int *col_of;          /* per field: column in the current file, or -1 */
    size_t hdr_cells;     /* cells in the current header */
    char **hdr_names;     /* header names of the current file */
    keyset *uniq;         /* per field: value -> first row (unique only) */
    check_ref *refs;      /* per schema reftable */
    check_val *vals;      /* per field: this row's value */
    check_finding *finds; /* findings of the last call */
    size_t nfinds, fcap;  /* count and capacity */
    char *msg;            /* message buffer, MSGBUF bytes, reset per call */
    size_t msglen;        /* bytes used */
    pcre2_match_data *md; /* one match block for every pattern */
    pcre2_match_context *mctx; /* match and depth limits (a catastrophic
                                  pattern costs at most ~1 ms a value) */
    size_t **allow_len;        /* per field: byte length of each allow value */
    long vals_row;             /* row whose fields vals holds; 0: none */
    const source_row *row_now; /* the row check_row() is checking, while it
                                  checks it (a hint may read a later cell) */
    size_t **when_len;         /* per rule: byte length of each when_in value */
    uint64_t *when_mask;       /* per rule: bit i set when code i of the when
                                  field's list is in when_in ... */
    unsigned char *when_use_mask; /* ... used when that list has <= 64 codes
                                     and every when_in value is one */
    size_t **then_len;     /* per rule: byte length of each then_codes value */
    uint64_t *uhash;       /* per unique field: hash of this row's value,
                              computed (and its slot prefetched) early */
    const char **uhash_p;  /* per unique field: the bytes hashed, or NULL */
    check_codes *codes;    /* packed tables, one per code list in use */
    size_t ncodes;         /* entries in codes */
    check_codes **fcodes;  /* per field: its packed table, or NULL */
    unsigned char *fcons;  /* per field: its own constraint asks anything */
    size_t *kfields;       /* fields that are unique or foreign keys, in
                              schema order: the only ones the key pass of
                              check_row() visits */
    size_t nkfields;       /* entries in kfields */
    int jit;               /* every pattern is JIT-compiled: match with
                              pcre2_jit_match() (no per-call sanity checks;
                              values are valid UTF-8 by then) */
    long file_no;          /* files started, for unique messages */
    int lost_errors;       /* errors of this call whose finding could not be
                              stored (out of memory): still counted */
    char missing[256];     /* names of references not loaded */
    char pe_in[16];        /* last period given to period_end ... */
    size_t pe_n;           /* ... its length (0: none yet) ... */
    char pe_out[11];       /* ... and its last day, YYYY-MM-DD */
    keyset tkey;           /* the table key: encoded values -> file << 40 |
                              first row (spans files, like unique fields) */
    char *kbuf;            /* one encoded key (table key or sums group) */
    size_t kcap;           /* its size */
    long *kdef;            /* per key field: its default's code index, -1
                              none; -2: not encoded as a code index */
    keyset sgroups;        /* sums, this file: encoded group -> index in
                              sacc */
    check_sum *sacc;       /* sums: one accumulator per group */
    size_t nsacc, sacap;   /* count and capacity */
    double (*rval)[2];     /* sums, this file: the value of each row in the
                              table key, by row number (NaN: none) ... */
    size_t rvn, rvcap;     /* ... rows recorded (up to), and capacity */
    long *stotal;          /* per sums field: code index of its total */
    size_t *sparts;        /* per sums field: codes that are not its total */
    size_t *sgroups_of;    /* per sums field: groups made in this file (a
                              total looks for its group only when some) */
    check_bad *sbad;       /* groups whose sum cannot be right, by row ... */
    size_t nsbad, sbad_at; /* ... how many, and how many check_end() gave */
    char endval[64][40];   /* check_end(): each finding's total, as text */
    int show_personal;     /* findings carry personal values as they are */
    int pseudo;            /* the file is pseudonymised (check_pseudonymised) */
};

static inline uint64_t rotl64(uint64_t x, int r) {
    return (x << r) | (x >> (64 - r));
}

/* For the few functions run per cell: inlined into the row loop, they cost
 * no call and no register spills per cell (measured: a fifth of a row's
 * instructions were prologues and epilogues). */
#if defined(__GNUC__)
#define HOT_INLINE static inline __attribute__((always_inline))
#define COLD static __attribute__((noinline, cold))
#else
#define HOT_INLINE static inline
#define COLD static
#endif

static const char *const code_names[] = {
#define X(id, s) s,
    CHECK_CODES
#undef X
};

const char *check_code_name(check_code code) {
    return (unsigned)code < CHECK_NCODES ? code_names[code] : "?";
}

/* UTF-8 per RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF,
 * and no NUL (a NUL in a CSV cell is a broken export, not text). The ASCII
 * fast path checks eight bytes at a time. */
/* Whether P[0..N) is ASCII with no NUL: one or two overlapping word loads
 * for a short cell (most cells are a few bytes: a byte loop would cost more
 * than every other check of the cell), words for a long one. */
static inline int ascii_clean(const char *p, size_t n) {
    const uint64_t H = 0x8080808080808080ull, L = 0x0101010101010101ull;
    uint64_t a, b;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            memcpy(&a, p + i, 8);
            if ((a & H) || ((a - L) & ~a & H)) return 0;
        }
        if (i == n) return 1;
        memcpy(&a, p + n - 8, 8);
        return !((a & H) || ((a - L) & ~a & H));
    }
    if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, p, 4);
        memcpy(&y, p + n - 4, 4);
        a = (uint64_t)x << 32 | y;
    } else if (n) {
        /* bytes 0, n/2 and n-1 cover a cell of 1 to 3 bytes */
        a = 0x0101010101000000ull | (unsigned char)p[0] |
            (uint64_t)(unsigned char)p[n >> 1] << 8 |
            (uint64_t)(unsigned char)p[n - 1] << 16;
    } else {
        return 1;
    }
    b = a;
    return !((b & H) || ((b - L) & ~b & H));
}

int check_utf8_valid(const char *sp, size_t n) {
    if (ascii_clean(sp, n)) return 1;
    const unsigned char *p = (const unsigned char *)sp, *e = p + n;
    while (p < e) {
        if (e - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            /* no high bit and no zero byte in the word */
            if (!(w & 0x8080808080808080ull) &&
                !((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull)) {
                p += 8;
                continue;
            }
        }
        unsigned c = *p;
        if (c == 0) return 0;
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t len;
        unsigned min;
        if ((c & 0xE0) == 0xC0)
            len = 2, min = 0x80, c &= 0x1F;
        else if ((c & 0xF0) == 0xE0)
            len = 3, min = 0x800, c &= 0x0F;
        else if ((c & 0xF8) == 0xF0)
            len = 4, min = 0x10000, c &= 0x07;
        else
            return 0;
        if ((size_t)(e - p) < len) return 0;
        for (size_t i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80) return 0;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
        p += len;
    }
    return 1;
}

static size_t utf8_chars(const char *p, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)p[i] & 0xC0) != 0x80;
    return k;
}

/* ---- packed code tables ----
 *
 * A row has a dozen code cells. schema_code_find() hashes byte by byte,
 * then follows a pointer to the code's own allocation to compare it: for a
 * list of thousands of codes (ISO 3166-2) that is a cache miss per cell.
 * Here every code of at most 16 bytes (all of the standard's) sits inline in
 * a 24-byte slot: the cell is loaded as two zero-padded words, hashed with
 * one multiply, and compared as two words. Longer codes, and lists that
 * have any, fall back to schema_code_find() for long cells. */

/* The first N <= 16 bytes at P as two zero-padded words, as memcpy into
 * zeroed words gives (the table is built with memcpy; lookups use
 * overlapping loads on little-endian machines: no call, no byte loop). */
static inline void code_words(const char *p, size_t n, uint64_t w[2]) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t a, b;
    uint32_t x, y;
    if (n >= 8) {
        memcpy(&a, p, 8);
        w[0] = a;
        if (n == 8) {
            w[1] = 0;
        } else {
            memcpy(&b, p + n - 8, 8);
            w[1] = b >> ((16 - n) * 8);
        }
    } else if (n >= 4) {
        memcpy(&x, p, 4);
        memcpy(&y, p + n - 4, 4);
        w[0] = x | ((uint64_t)y >> ((8 - n) * 8)) << 32;
        w[1] = 0;
    } else {
        /* bytes 0, n/2 and n-1 cover a code of 1 to 3 bytes */
        w[0] = n ? (uint64_t)(unsigned char)p[0] |
                       (uint64_t)(unsigned char)p[n >> 1] << (8 * (n >> 1)) |
                       (uint64_t)(unsigned char)p[n - 1] << (8 * (n - 1))
                 : 0;
        w[1] = 0;
    }
#else
    w[0] = w[1] = 0;
    memcpy(w, p, n);
#endif
}

static inline size_t code_home(const check_codes *t, const uint64_t w[2],
                               size_t n) {
    uint64_t h = (w[0] ^ rotl64(w[1], 29) ^ n) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> t->shift);
}

/* Index of code P[0..N) in T's list, or -1: schema_code_find()'s answer. */
HOT_INLINE long code_index(const check_codes *t, const char *p, size_t n) {
    if (n > 16) return t->has_long ? schema_code_find(t->l, p, n) : -1;
    uint64_t w[2];
    code_words(p, n, w);
    for (size_t j = code_home(t, w, n);; j = (j + 1) & t->mask) {
        const check_code_slot *sl = &t->slots[j];
        if (sl->len == UINT32_MAX) return -1;
        if (sl->len == n && sl->w[0] == w[0] && sl->w[1] == w[1])
            return sl->idx;
    }
}

/* Equal N-byte strings; up to 16 bytes as words (code_words()), with no
 * memcmp call: rules compare short codes such as "THB" on every row. */
HOT_INLINE int bytes_eq(const char *a, const char *b, size_t n) {
    if (n > 16) return memcmp(a, b, n) == 0;
    uint64_t x[2], y[2];
    code_words(a, n, x);
    code_words(b, n, y);
    return x[0] == y[0] && x[1] == y[1];
}

/* Tables of shared code lists (schema.h: read from a file, read-only and
 * never freed), built once per process rather than once per checker: the
 * ISO 3166-2 list alone is 5,000 codes and 16,384 slots. Guarded by a lock
 * (dedup's scoring runs in threads). */
static check_codes *table_cache; /* tables of shared lists */
static size_t ntable_cache;      /* entries in table_cache */
static size_t captable_cache;    /* its size */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static int build_table(check_codes *t, const schema_codelist *l);

/* T: the table of L, from the cache when L is shared. */
static int code_table(check_codes *t, const schema_codelist *l) {
    if (!l->shared) return build_table(t, l);
    int rc = 0;
    pthread_mutex_lock(&table_lock);
    size_t i = 0;
    while (i < ntable_cache && table_cache[i].l != l)
        i++;
    if (i == ntable_cache) {
        int full = buf_grow(&table_cache, &captable_cache, ntable_cache + 1,
                            sizeof *table_cache);
        if (!full) memset(&table_cache[i], 0, sizeof *table_cache);
        if (full || build_table(&table_cache[i], l) < 0)
            rc = -1;
        else
            table_cache[ntable_cache++].cached = 1;
    }
    if (rc == 0) *t = table_cache[i];
    pthread_mutex_unlock(&table_lock);
    return rc;
}

static int build_table(check_codes *t, const schema_codelist *l) {
    size_t ns = 16;
    unsigned bits = 4;
    while (ns < 2 * l->ncodes + 2)
        ns *= 2, bits++;
    t->l = l;
    t->slots = malloc(ns * sizeof *t->slots);
    if (!t->slots) return -1;
    t->mask = ns - 1;
    t->shift = 64 - bits;
    for (size_t j = 0; j < ns; j++)
        t->slots[j].len = UINT32_MAX;
    for (size_t i = 0; i < l->ncodes; i++) {
        size_t n = strlen(l->codes[i]);
        if (n > 16) {
            t->has_long = 1;
            continue;
        }
        uint64_t w[2] = {0, 0};
        memcpy(w, l->codes[i], n);
        size_t j = code_home(t, w, n);
        for (;; j = (j + 1) & t->mask) {
            check_code_slot *sl = &t->slots[j];
            if (sl->len == UINT32_MAX) {
                sl->w[0] = w[0];
                sl->w[1] = w[1];
                sl->len = (uint32_t)n;
                sl->idx = (int32_t)i;
                break;
            }
            if (sl->len == n && sl->w[0] == w[0] && sl->w[1] == w[1])
                break; /* listed twice (a union of lists): the first wins */
        }
    }
    return 0;
}

static int pattern_jitted(void *re) {
    size_t size = 0;
    return pcre2_pattern_info((pcre2_code *)re, PCRE2_INFO_JITSIZE, &size) ==
               0 &&
           size > 0;
}

/* strlen of each of N strings, in a new array (never NULL unless out of
 * memory, even for N = 0). */
static size_t *lengths(char **v, size_t n) {
    size_t *l = malloc((n + 1) * sizeof *l);
    for (size_t i = 0; l && i < n; i++)
        l[i] = strlen(v[i]);
    return l;
}

check *check_new(const schema *s) {
    check *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->s = s;
    c->col_of = malloc(s->nfields * sizeof *c->col_of);
    c->uniq = calloc(s->nfields, sizeof *c->uniq);
    c->vals = calloc(s->nfields, sizeof *c->vals);
    c->refs = calloc(s->nrefs + 1, sizeof *c->refs);
    c->msg = malloc(MSGBUF);
    c->md = pcre2_match_data_create(4, NULL);
    c->mctx = pcre2_match_context_create(NULL);
    if (c->mctx) {
        pcre2_set_match_limit(c->mctx, CHECK_MATCH_LIMIT);
        pcre2_set_depth_limit(c->mctx, CHECK_DEPTH_LIMIT);
    }
    c->allow_len = calloc(s->nfields, sizeof *c->allow_len);
    c->when_len = calloc(s->nrules + 1, sizeof *c->when_len);
    c->when_mask = calloc(s->nrules + 1, sizeof *c->when_mask);
    c->when_use_mask = calloc(s->nrules + 1, 1);
    c->then_len = calloc(s->nrules + 1, sizeof *c->then_len);
    c->uhash = calloc(s->nfields, sizeof *c->uhash);
    c->uhash_p = calloc(s->nfields, sizeof *c->uhash_p);
    if (!c->col_of || !c->uniq || !c->vals || !c->refs || !c->msg || !c->md ||
        !c->mctx || !c->allow_len || !c->when_len || !c->then_len ||
        !c->uhash || !c->when_mask || !c->when_use_mask || !c->uhash_p) {
        check_free(c);
        return NULL;
    }
    /* lengths of the literal values compared per row, so that a row costs
     * no strlen */
    for (size_t i = 0; i < s->nfields; i++)
        if (!(c->allow_len[i] =
                  lengths(s->fields[i].allow, s->fields[i].nallow))) {
            check_free(c);
            return NULL;
        }
    c->codes = calloc(s->nfields + 1, sizeof *c->codes);
    c->fcodes = calloc(s->nfields + 1, sizeof *c->fcodes);
    if (!c->codes || !c->fcodes) {
        check_free(c);
        return NULL;
    }
    for (size_t i = 0; i < s->nfields; i++) {
        const schema_codelist *l = s->fields[i].codes;
        if (!l) continue;
        size_t k = 0;
        while (k < c->ncodes && c->codes[k].l != l)
            k++;
        if (k == c->ncodes) {
            if (code_table(&c->codes[k], l) < 0) {
                check_free(c);
                return NULL;
            }
            c->ncodes++;
        }
    }
    c->fcons = calloc(s->nfields + 1, 1);
    c->kfields = calloc(s->nfields + 1, sizeof *c->kfields);
    if (!c->fcons || !c->kfields) {
        check_free(c);
        return NULL;
    }
    c->jit = 1;
    for (size_t i = 0; i < s->nfields; i++)
        if (s->fields[i].unique || s->fields[i].ref)
            c->kfields[c->nkfields++] = i;
    for (size_t i = 0; i < s->nfields; i++) {
        const schema_constraint *k = &s->fields[i].c;
        c->fcons[i] = k->min_len >= 0 || k->max_len >= 0 || k->pattern ||
                      k->has_min || k->has_max || k->min_date[0] ||
                      k->max_date[0] || k->check != SCHEMA_CHECK_NONE ||
                      s->fields[i].suppress_below;
        if (k->pattern && !pattern_jitted(k->pattern)) c->jit = 0;
    }
    for (size_t i = 0; i < s->nrules; i++)
        if (s->rules[i].then.pattern &&
            !pattern_jitted(s->rules[i].then.pattern))
            c->jit = 0;
    /* pointers only once the array is final */
    for (size_t i = 0; i < s->nfields; i++)
        for (size_t k = 0; s->fields[i].codes && k < c->ncodes; k++)
            if (c->codes[k].l == s->fields[i].codes)
                c->fcodes[i] = &c->codes[k];
    for (size_t i = 0; i < s->nrules; i++)
        if (!(c->when_len[i] =
                  lengths(s->rules[i].when_in, s->rules[i].nwhen)) ||
            !(c->then_len[i] =
                  lengths(s->rules[i].then_codes, s->rules[i].nthen_codes))) {
            check_free(c);
            return NULL;
        }
    /* A condition on a code field becomes one bit test per row: the
     * field's code index is known from its own check, so the rule needs
     * no string compares (five of incident.yaml's rules test offence_type
     * or place_type on every row). */
    for (size_t i = 0; i < s->nrules; i++) {
        const schema_rule *r = &s->rules[i];
        if (r->when_field < 0 || r->when_present) continue;
        const schema_field *wf = &s->fields[r->when_field];
        if (wf->type != SCHEMA_CODE || !wf->codes || wf->codes->ncodes > 64)
            continue;
        uint64_t mask = 0;
        int all = 1;
        for (size_t k = 0; k < r->nwhen && all; k++) {
            long ix = schema_code_find(wf->codes, r->when_in[k],
                                       strlen(r->when_in[k]));
            if (ix < 0)
                all = 0;
            else
                mask |= 1ull << ix;
        }
        c->when_mask[i] = mask;
        c->when_use_mask[i] = (unsigned char)all;
    }
    for (size_t i = 0; i < s->nrefs; i++)
        c->refs[i].t = &s->refs[i];
    for (size_t i = 0; i < s->nfields; i++)
        c->col_of[i] = -1;
    c->kdef = calloc(s->key.n + 1, sizeof *c->kdef);
    if (!c->kdef) {
        check_free(c);
        return NULL;
    }
    for (size_t k = 0; k < s->key.n; k++) {
        int fi = s->key.fields[k];
        const char *d = s->key.defaults[k];
        c->kdef[k] = -2;
        /* a code by its index, unless the field takes literals besides
         * its codes (they have no index) */
        if (s->fields[fi].type == SCHEMA_CODE && c->fcodes[fi] &&
            !s->fields[fi].nallow && s->fields[fi].codes->ncodes < 0xFFFF)
            c->kdef[k] = d ? code_index(c->fcodes[fi], d, strlen(d)) : -1;
    }
    c->stotal = calloc(s->sums.n + 1, sizeof *c->stotal);
    c->sparts = calloc(s->sums.n + 1, sizeof *c->sparts);
    c->sgroups_of = calloc(s->sums.n + 1, sizeof *c->sgroups_of);
    if (!c->stotal || !c->sparts || !c->sgroups_of) {
        check_free(c);
        return NULL;
    }
    /* the total's index as a row's code is found (code_index(), the
     * packed table: where a union lists a code twice, the first) */
    for (size_t i = 0; i < s->sums.n; i++) {
        int fi = s->sums.fields[i];
        c->stotal[i] = code_index(c->fcodes[fi], s->sums.totals[i],
                                  strlen(s->sums.totals[i]));
        c->sparts[i] = s->fields[fi].codes->ncodes - 1;
    }
    return c;
}

static void free_hdr(check *c) {
    for (size_t i = 0; c->hdr_names && i < c->hdr_cells; i++)
        free(c->hdr_names[i]);
    free(c->hdr_names);
    c->hdr_names = NULL;
    c->hdr_cells = 0;
}

void check_free(check *c) {
    if (!c) return;
    free_hdr(c);
    for (size_t i = 0; c->uniq && i < c->s->nfields; i++)
        keyset_free(&c->uniq[i]);
    for (size_t i = 0; c->refs && i < c->s->nrefs; i++) {
        strmap_free(&c->refs[i].keys);
        free(c->refs[i].carry);
        free(c->refs[i].carry_arena);
        free(c->refs[i].path);
    }
    pcre2_match_data_free(c->md);
    pcre2_match_context_free(c->mctx);
    for (size_t i = 0; c->allow_len && i < c->s->nfields; i++)
        free(c->allow_len[i]);
    for (size_t i = 0; c->when_len && i < c->s->nrules; i++) {
        free(c->when_len[i]);
        free(c->then_len ? c->then_len[i] : NULL);
    }
    free(c->allow_len);
    free(c->when_len);
    free(c->when_mask);
    free(c->when_use_mask);
    free(c->then_len);
    free(c->uhash);
    free(c->uhash_p);
    for (size_t i = 0; c->codes && i < c->ncodes; i++)
        if (!c->codes[i].cached) free(c->codes[i].slots);
    free(c->codes);
    free(c->fcodes);
    free(c->fcons);
    free(c->kfields);
    keyset_free(&c->tkey);
    keyset_free(&c->sgroups);
    free(c->kbuf);
    free(c->kdef);
    free(c->sacc);
    free(c->rval);
    free(c->stotal);
    free(c->sparts);
    free(c->sgroups_of);
    free(c->sbad);
    free(c->refs);
    free(c->uniq);
    free(c->vals);
    free(c->col_of);
    free(c->finds);
    free(c->msg);
    free(c);
}

/* ---- findings ---- */

/* Writes VALUE for a message: quoted, at most 40 bytes (cut on a character
 * boundary), control bytes escaped so a finding stays on one line. */
/* U+200E LEFT-TO-RIGHT MARK: in a right-to-left message (ur, fa, ps, ar) a
 * quoted value is put between two, so that its quotes and any '<', '>' or
 * bracket in it keep their order ('<5' would show as '5>'), as the count
 * messages' catalogues do; messages in the other languages get none. */
#define LRM "\xE2\x80\x8E"

static size_t put_lrm(char *out, size_t o, int rtl) {
    if (!rtl) return o;
    memcpy(out + o, LRM, 3);
    return o + 3;
}

/* show_raw() with the marks (RTL) or without (0). */
static void show_raw_dir(char *out, size_t cap, const char *p, size_t n,
                         int rtl) {
    size_t o = 0;
    size_t room = rtl ? 14 : 8; /* quotes, marks, an escape, "..." and NUL */
    if (cap < room + 1) return;
    o = put_lrm(out, o, rtl);
    out[o++] = '\'';
    for (size_t i = 0; i < n && o + room < cap; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (o > 42 && (ch & 0xC0) != 0x80) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (ch < 0x20 || ch == 0x7F)
            o += (size_t)snprintf(out + o, cap - o, "\\x%02X", ch);
        else
            out[o++] = (char)ch;
    }
    out[o++] = '\'';
    o = put_lrm(out, o, rtl);
    out[o] = 0;
}

static void show_raw(char *out, size_t cap, const char *p, size_t n) {
    show_raw_dir(out, cap, p, n, lang_rtl(lang_messages()));
}

/* Whether findings on F must not carry its value. */
static int masked(const check *c, const schema_field *f) {
    return f->personal && !c->show_personal;
}

/* show_raw_dir(), or for a personal field its mask: 'Aa***' (5 letters,
 * Latin). */
static void show_dir(const check *c, const schema_field *f, char *out,
                     size_t cap, const char *p, size_t n, int rtl) {
    if (!masked(c, f)) {
        show_raw_dir(out, cap, p, n, rtl);
        return;
    }
    char m[SHOWN_CAP];
    size_t k = mask_value(p, n, 0, m, sizeof m);
    int w = snprintf(out, cap, "%s'%s'%s", rtl ? LRM : "", m, rtl ? LRM : "");
    if (w > 0 && (size_t)w < cap)
        mask_value(p, n, 1, m, sizeof m),
            snprintf(out + w, cap - (size_t)w, "%s", m + k);
}

/* A value as a message quotes it (marked in a right-to-left language). */
static void show(const check *c, const schema_field *f, char *out, size_t cap,
                 const char *p, size_t n) {
    show_dir(c, f, out, cap, p, n, lang_rtl(lang_messages()));
}

static void add(check *c, long row, const char *field, const char *v, size_t vn,
                check_code code, check_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static void sums_reset(check *c);

static void add(check *c, long row, const char *field, const char *v, size_t vn,
                check_code code, check_severity sev, const char *fmt, ...) {
    if (buf_grow(&c->finds, &c->fcap, c->nfinds + 1, sizeof *c->finds)) {
        /* out of memory: the finding is lost, not the error */
        c->lost_errors += sev == CHECK_ERROR;
        return;
    }
    const char *m = "(message too long)";
    if (c->msglen + 512 < MSGBUF) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(c->msg + c->msglen, 512, lang_tr(fmt), ap);
        va_end(ap);
        m = c->msg + c->msglen;
        c->msglen += (k < 0 ? 0 : (k >= 512 ? 511 : (size_t)k)) + 1;
    }
    for (size_t i = 0; vn && !c->show_personal && i < c->s->nfields; i++) {
        if (c->s->fields[i].name != field || !c->s->fields[i].personal)
            continue;
        if (c->msglen + 256 < MSGBUF) {
            vn = mask_value(v, vn, 1, c->msg + c->msglen, 256);
            v = c->msg + c->msglen;
            c->msglen += vn + 1;
        } else {
            v = "(masked)";
            vn = 8;
        }
        break;
    }
    check_finding *f = &c->finds[c->nfinds++];
    f->row = row;
    f->field = field;
    f->value = v;
    f->vlen = vn;
    f->code = code;
    f->severity = sev;
    f->message = m;
}

void check_show_personal(check *c, int show) {
    c->show_personal = show;
}

void check_pseudonymised(check *c, int on) {
    c->pseudo = on;
}

const check_finding *check_findings(const check *c, size_t *n) {
    *n = c->nfinds;
    return c->finds;
}

int check_column(const check *c, int field) {
    return c->col_of[field];
}

static int count_errors(const check *c) {
    int k = c->lost_errors;
    for (size_t i = 0; i < c->nfinds; i++)
        k += c->finds[i].severity == CHECK_ERROR;
    return k;
}

/* ---- header ---- */

static inline void trim(const char **p, size_t *n) {
    while (*n && ((*p)[0] == ' ' || (*p)[0] == '\t'))
        (*p)++, (*n)--;
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
        (*n)--;
}

int check_header(check *c, const source_row *hdr) {
    const schema *s = c->s;
    c->nfinds = c->msglen = 0;
    c->lost_errors = 0;
    c->file_no++;
    free_hdr(c);
    sums_reset(c);
    c->hdr_names = calloc(hdr->ncells + 1, sizeof *c->hdr_names);
    c->hdr_cells = c->hdr_names ? hdr->ncells : 0;
    for (size_t i = 0; i < s->nfields; i++)
        c->col_of[i] = -1;
    /* a row that names none of the fields is no header but data (a file
     * without its header row): one finding that quotes none of its cells,
     * which may be a person's name, birth date or document number */
    size_t known = 0;
    for (size_t i = 0; i < hdr->ncells; i++) {
        const char *p = hdr->cells[i].p;
        size_t n = hdr->cells[i].n;
        trim(&p, &n);
        if (n && schema_field_index(s, p, n) >= 0) known++;
    }
    int no_header = known == 0 && hdr->ncells > 0;
    if (no_header)
        add(c, hdr->row, "", "", 0, CHECK_HEADER, CHECK_ERROR,
            "row %ld is not a header: none of its %zu cells names a field of "
            "schema %s (is the header row missing? its cells are not shown: "
            "they may be personal data)",
            hdr->row, hdr->ncells, s->name);
    for (size_t i = 0; i < hdr->ncells; i++) {
        const char *p = hdr->cells[i].p;
        size_t n = hdr->cells[i].n;
        trim(&p, &n);
        char *name = malloc(n + 1);
        if (!name || !c->hdr_names) {
            free(name);
            continue;
        }
        memcpy(name, p, n);
        name[n] = 0;
        c->hdr_names[i] = name;
        if (!check_utf8_valid(p, n)) {
            add(c, hdr->row, "", p, n, CHECK_ENCODING, CHECK_ERROR,
                "column %zu: header is not valid UTF-8", i + 1);
            continue;
        }
        if (n == 0) {
            if (!no_header)
                add(c, hdr->row, "", p, n, CHECK_HEADER, CHECK_WARNING,
                    "column %zu has no name; it is ignored", i + 1);
            continue;
        }
        int f = schema_field_index(s, p, n);
        /* lineage columns that relec merge adds to every row: known, not
         * fields of the record type, so no warning */
        if (f < 0 &&
            (!strcmp(name, "source_file") || !strcmp(name, "source_row")))
            continue;
        /* the linkage encodings of relec pseudonymise --link-key */
        if (f < 0 && c->pseudo &&
            (!strcmp(name, "clk") ||
             (n == 4 && !strncmp(name, "blk", 3) && name[3] >= '1' &&
              name[3] <= '0' + PPRL_NBLOCKS)))
            continue;
        if (f < 0 && no_header) {
            continue;
        } else if (f < 0) {
            add(c, hdr->row, name, p, n, CHECK_HEADER, CHECK_WARNING,
                "unknown column '%s' is not in schema %s; it is ignored", name,
                s->name);
        } else if (c->col_of[f] >= 0) {
            add(c, hdr->row, name, p, n, CHECK_HEADER, CHECK_ERROR,
                "duplicate column '%s' (columns %d and %zu); the first is used",
                name, c->col_of[f] + 1, i + 1);
        } else {
            c->col_of[f] = (int)i;
        }
    }
    for (size_t f = 0; f < s->nfields; f++)
        if (c->col_of[f] < 0 && s->fields[f].required)
            add(c, hdr->row, s->fields[f].name, "", 0, CHECK_HEADER,
                CHECK_ERROR, "missing required column '%s'", s->fields[f].name);
    return count_errors(c);
}

/* ---- references ---- */

int check_load_ref(check *c, const char *table, const char *path,
                   const source_opts *opts, char *err, size_t errlen) {
    check_ref *r = NULL;
    for (size_t i = 0; i < c->s->nrefs; i++)
        if (!strcmp(c->s->refs[i].table, table)) r = &c->refs[i];
    if (!r) {
        snprintf(err, errlen, "schema %s refers to no table named '%s'",
                 c->s->name, table);
        return -1;
    }
    char e2[512];
    /* a store holds several tables: read the referenced one */
    source_opts ropts = opts ? *opts : (source_opts){0};
    ropts.table = table;
    /* its header is the row naming its key (and the columns rules read),
     * under any title rows; its rows left out are its own business */
    const schema_reftable *t0 = r->t;
    const char *names[65];
    size_t nn = 0;
    names[nn++] = t0->key;
    for (size_t k = 0; k < t0->ncarry && nn < 65; k++)
        names[nn++] = t0->carry[k];
    ropts.header_names = names;
    ropts.nheader_names = nn;
    ropts.on_skip = NULL;
    source *src = source_open(path, &ropts, e2, sizeof e2);
    if (!src) {
        snprintf(err, errlen, "cannot open '%s': %s", path, e2);
        return -1;
    }
    const schema_reftable *t = r->t;
    source_row row;
    int rc = source_next(src, &row);
    if (rc <= 0) {
        snprintf(err, errlen, "'%s': %s", path,
                 rc < 0 ? source_error(src) : "empty file, no header");
        source_close(src);
        return -1;
    }
    int keycol = -1;
    int carrycol[64];
    size_t nc = t->ncarry < 64 ? t->ncarry : 64;
    for (size_t k = 0; k < nc; k++)
        carrycol[k] = -1;
    for (size_t i = 0; i < row.ncells; i++) {
        const char *p = row.cells[i].p;
        size_t n = row.cells[i].n;
        trim(&p, &n);
        if (n == strlen(t->key) && !memcmp(p, t->key, n)) keycol = (int)i;
        for (size_t k = 0; k < nc; k++)
            if (n == strlen(t->carry[k]) && !memcmp(p, t->carry[k], n))
                carrycol[k] = (int)i;
    }
    if (keycol < 0) {
        snprintf(err, errlen, "'%s' has no column '%s' to refer to", path,
                 t->key);
        source_close(src);
        return -1;
    }
    while ((rc = source_next(src, &row)) > 0) {
        if ((size_t)keycol >= row.ncells) continue;
        const char *p = row.cells[keycol].p;
        size_t n = row.cells[keycol].n;
        trim(&p, &n);
        if (!n) continue;
        int added;
        uint64_t *v = strmap_put(&r->keys, p, n, &added);
        if (!v || (added && buf_grow(&r->carry, &r->ccap, (r->nrows + 1) * nc,
                                     sizeof *r->carry))) {
            rc = -2; /* out of memory: no table rather than part of one */
            break;
        }
        if (!added) continue; /* a repeated key: its first row wins */
        *v = r->nrows;
        for (size_t k = 0; k < nc && rc > 0; k++) {
            const char *q = "";
            size_t qn = 0;
            if (carrycol[k] >= 0 && (size_t)carrycol[k] < row.ncells) {
                q = row.cells[carrycol[k]].p;
                qn = row.cells[carrycol[k]].n;
                trim(&q, &qn);
            }
            if (buf_grow(&r->carry_arena, &r->acap, r->alen + qn, 1)) {
                rc = -2;
                break;
            }
            if (qn) memcpy(r->carry_arena + r->alen, q, qn);
            r->carry[r->nrows * nc + k] = (check_carried){r->alen, qn};
            r->alen += qn;
        }
        if (rc < 0) break;
        r->nrows++;
    }
    if (rc < 0) {
        snprintf(err, errlen, "'%s': %s", path,
                 rc == -2 ? "out of memory" : source_error(src));
        source_close(src);
        return -1;
    }
    source_close(src);
    r->loaded = 1;
    free(r->path);
    r->path = strdup(path);
    return 0;
}

const char *check_missing_ref(const check *c) {
    char *m = ((check *)c)->missing;
    m[0] = 0;
    for (size_t i = 0; i < c->s->nrefs; i++)
        if (!c->refs[i].loaded &&
            strlen(m) + strlen(c->refs[i].t->table) + 3 < sizeof c->missing) {
            if (m[0]) strcat(m, ", ");
            strcat(m, c->refs[i].t->table);
        }
    return m[0] ? m : NULL;
}

/* ---- fields ---- */

/* P..N without Unicode's direction marks (LRM, RLM, ALM, LRE..RLO,
 * LRI..PDI), copied into OUT (CAP bytes, NUL-ended); its length, or 0 when
 * P has none of them or does not fit. A value copied out of right-to-left
 * text can carry them, invisible: "<5" typed as U+200E "<5". */
static size_t strip_bidi(const char *p, size_t n, char *out, size_t cap) {
    size_t k = 0, marks = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *u = (const unsigned char *)p + i;
        size_t len = 0;
        if (i + 2 < n && u[0] == 0xE2 && u[1] == 0x80 &&
            (u[2] == 0x8E || u[2] == 0x8F || (u[2] >= 0xAA && u[2] <= 0xAE)))
            len = 3; /* LRM, RLM, LRE, RLE, PDF, LRO, RLO */
        else if (i + 2 < n && u[0] == 0xE2 && u[1] == 0x81 && u[2] >= 0xA6 &&
                 u[2] <= 0xA9)
            len = 3; /* LRI, RLI, FSI, PDI */
        else if (i + 1 < n && u[0] == 0xD8 && u[1] == 0x9C)
            len = 2; /* ALM */
        if (len) {
            marks++;
            i += len - 1;
            continue;
        }
        if (k + 1 >= cap) return 0;
        out[k++] = p[i];
    }
    out[k] = 0;
    return marks && k ? k : 0;
}

static int parse_int(const char *p, size_t n, double *out) {
    size_t i = 0;
    if (n && (p[0] == '-' || p[0] == '+')) i = 1;
    if (i == n || n - i > 15) return -1;
    long long v = 0;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return -1;
        v = v * 10 + (p[i] - '0');
    }
    *out = (double)(p[0] == '-' ? -v : v);
    return 0;
}

static int parse_num(const char *p, size_t n, double *out) {
    char buf[64];
    if (n == 0 || n >= sizeof buf) return -1;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789.eE+-", p[i])) return -1;
    memcpy(buf, p, n);
    buf[n] = 0;
    char *end;
    double v = strtod(buf, &end);
    if (*end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

static void fmt_num(char *out, size_t cap, double v) {
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(out, cap, "%.0f", v);
    else
        snprintf(out, cap, "%g", v);
}

/* Checks V against constraint K of field F; CODE_FOR_OTHER is the code for
 * bounds and check digits (range/length for a field, rule for a rule). */
static int check_constraint(check *c, long row, const schema_field *f,
                            const schema_constraint *k, check_val *v,
                            const char *rule_msg) {
    const char *name = f->name;
    char shown[SHOWN_CAP], a[32], b[32];
    int bad = 0;
    int in_rule = rule_msg != NULL;
    if (k->min_len >= 0 || k->max_len >= 0) {
        size_t len = v->ascii ? v->n : utf8_chars(v->p, v->n);
        if ((k->min_len >= 0 && len < (size_t)k->min_len) ||
            (k->max_len >= 0 && len > (size_t)k->max_len)) {
            show(c, f, shown, sizeof shown, v->p, v->n);
            if (in_rule)
                add(c, row, name, v->p, v->n, CHECK_RULE, CHECK_ERROR, "%s",
                    rule_msg);
            else if (k->min_len == k->max_len)
                add(c, row, name, v->p, v->n, CHECK_LENGTH, CHECK_ERROR,
                    "%s has %zu character%s; it must have %ld", shown, len,
                    len == 1 ? "" : "s", k->min_len);
            else if (k->min_len >= 0 && len < (size_t)k->min_len)
                add(c, row, name, v->p, v->n, CHECK_LENGTH, CHECK_ERROR,
                    "%s has %zu character%s, fewer than %ld", shown, len,
                    len == 1 ? "" : "s", k->min_len);
            else
                add(c, row, name, v->p, v->n, CHECK_LENGTH, CHECK_ERROR,
                    "value has %zu characters, more than %ld", len, k->max_len);
            bad = 1;
        }
    }
    if (!bad && k->pattern) {
        int rc =
            c->jit ? pcre2_jit_match((pcre2_code *)k->pattern, (PCRE2_SPTR)v->p,
                                     v->n, 0, 0, c->md, c->mctx)
                   : pcre2_match((pcre2_code *)k->pattern, (PCRE2_SPTR)v->p,
                                 v->n, 0, 0, c->md, c->mctx);
        if (rc < 0) {
            show(c, f, shown, sizeof shown, v->p, v->n);
            /* words for the analyst: the rule's message, the field's hint
             * or example; the pattern only when there are none */
            if (rc == PCRE2_ERROR_NOMATCH && in_rule)
                add(c, row, name, v->p, v->n, CHECK_PATTERN, CHECK_ERROR,
                    "%s does not fit: %s", shown, rule_msg);
            else if (rc == PCRE2_ERROR_NOMATCH && (f->hint || f->example))
                add(c, row, name, v->p, v->n, CHECK_PATTERN, CHECK_ERROR,
                    "%s is not %s%s%s%s", shown,
                    f->hint ? schema_tr(f->hints, f->hint, lang_messages())
                            : lang_tr("in the form asked"),
                    f->example ? lang_tr(" (for example ") : "",
                    f->example ? f->example : "", f->example ? ")" : "");
            else if (rc == PCRE2_ERROR_NOMATCH)
                add(c, row, name, v->p, v->n, CHECK_PATTERN, CHECK_ERROR,
                    "%s does not match the pattern %s", shown, k->pattern_src);
            else if (rc == PCRE2_ERROR_MATCHLIMIT ||
                     rc == PCRE2_ERROR_DEPTHLIMIT ||
                     rc == PCRE2_ERROR_HEAPLIMIT ||
                     rc == PCRE2_ERROR_JIT_STACKLIMIT)
                add(c, row, name, v->p, v->n, CHECK_PATTERN, CHECK_ERROR,
                    "%s is too costly to check against the pattern %s "
                    "(over the match limit): the pattern backtracks too much",
                    shown, k->pattern_src);
            else
                add(c, row, name, v->p, v->n, CHECK_ENCODING, CHECK_ERROR,
                    "%s cannot be matched (pcre2 error %d)", shown, rc);
            bad = 1;
        }
    }
    if (!bad && (k->has_min || k->has_max) &&
        (f->type == SCHEMA_INTEGER || f->type == SCHEMA_NUMBER)) {
        if ((k->has_min && v->num < k->min) ||
            (k->has_max && v->num > k->max)) {
            if (masked(c, f))
                snprintf(a, sizeof a, "the value");
            else
                fmt_num(a, sizeof a, v->num);
            fmt_num(b, sizeof b,
                    k->has_min && v->num < k->min ? k->min : k->max);
            if (in_rule)
                add(c, row, name, v->p, v->n, CHECK_RULE, CHECK_ERROR,
                    "%s (%s is %s)", rule_msg, a,
                    k->has_min && v->num < k->min ? lang_tr("too small")
                                                  : lang_tr("too large"));
            else
                add(c, row, name, v->p, v->n, CHECK_RANGE, CHECK_ERROR,
                    "%s is %s the %s %s", a,
                    k->has_min && v->num < k->min ? "below" : "above",
                    k->has_min && v->num < k->min ? "minimum" : "maximum", b);
            bad = 1;
        }
    }
    if (!bad && !in_rule && f->suppress_below && v->num >= 1 &&
        v->num < (double)f->suppress_below) {
        fmt_num(a, sizeof a, v->num);
        add(c, row, name, v->p, v->n, CHECK_RANGE, CHECK_ERROR,
            "%s is a count under %ld: write it as <%ld (0 stays 0)", a,
            f->suppress_below, f->suppress_below);
        bad = 1;
    }
    if (!bad && f->type == SCHEMA_DATE && (k->min_date[0] || k->max_date[0])) {
        /* a partial date (YYYY, YYYY-MM) is compared on the parts it has:
         * 1999 is before 2000-01-01, 2025 is not after 2025-03-04 */
        size_t vn = v->n < 10 ? v->n : 10;
        int lo = k->min_date[0] && memcmp(v->p, k->min_date, vn) < 0;
        int hi = k->max_date[0] && memcmp(v->p, k->max_date, vn) > 0;
        if (lo || hi) {
            if (in_rule)
                add(c, row, name, v->p, v->n, CHECK_RULE, CHECK_ERROR, "%s",
                    rule_msg);
            else
                add(c, row, name, v->p, v->n, CHECK_RANGE, CHECK_ERROR,
                    "%.*s is %s %s", masked(c, f) ? 8 : (int)vn,
                    masked(c, f) ? "the date" : v->p, lo ? "before" : "after",
                    lo ? k->min_date : k->max_date);
            bad = 1;
        }
    }
    if (!bad && k->check != SCHEMA_CHECK_NONE) {
        int ok;
        const char *what;
        if (k->check == SCHEMA_CHECK_IRAN_NATIONAL_CODE) {
            ok = schema_iran_code_valid(v->p, v->n);
            what = "not a valid Iran national code (wrong check digit, or "
                   "all digits the same)";
        } else {
            const check_val *sx =
                k->check_sex_field >= 0 ? &c->vals[k->check_sex_field] : NULL;
            ok = schema_cnic_valid(v->p, v->n, sx && sx->valid ? sx->p : NULL,
                                   sx && sx->valid ? sx->n : 0);
            what = "not a valid CNIC (the first digit is the province, 1-7; "
                   "the last is never 0, odd for men, even for women)";
        }
        if (!ok) {
            show(c, f, shown, sizeof shown, v->p, v->n);
            add(c, row, name, v->p, v->n, CHECK_RULE, CHECK_ERROR, "%s is %s",
                shown, what);
            bad = 1;
        }
    }
    return bad;
}

/* The value a code's parent must equal, when a compare rule says so (an
 * admin1 whose "parent" is reporting_country): the row's cell of the rule's
 * right field, read from the row itself (it may come later in the schema
 * than the code field). 0 when there is none. */
static int hint_parent(const check *c, size_t fi, const char **pp, size_t *pn) {
    for (size_t i = 0; c->row_now && i < c->s->nrules; i++) {
        const schema_rule *r = &c->s->rules[i];
        if (r->then_field != -1 || !r->left.parent ||
            r->left.field != (int)fi || r->right.field < 0 ||
            r->right.via >= 0 || r->right.prefix || r->right.parent ||
            r->op != SCHEMA_OP_EQ)
            continue;
        int col = c->col_of[r->right.field];
        if (col < 0 || (size_t)col >= c->row_now->ncells) return 0;
        *pp = c->row_now->cells[col].p;
        *pn = c->row_now->cells[col].n;
        trim(pp, pn);
        return *pn > 0;
    }
    return 0;
}

/* A hint for a near-miss code: spaces around it, or the wrong case, or a
 * label typed for its code. PARENT (PN bytes; NULL: none): among codes
 * with the same label, the one whose parent it is wins ("Punjab" on a
 * Pakistani row is PK-PB, not India's IN-PB). */
static const char *code_hint(const schema_codelist *l, const char *p, size_t n,
                             const char *parent, size_t pn, char *buf,
                             size_t cap) {
    const char *q = p;
    size_t m = n;
    trim(&q, &m);
    if (m != n && schema_code_find(l, q, m) >= 0) {
        snprintf(buf, cap, "%s", lang_tr(" (remove the spaces around it)"));
        return buf;
    }
    for (size_t i = 0; i < l->ncodes; i++)
        if (strlen(l->codes[i]) == n && !strncasecmp(l->codes[i], p, n)) {
            snprintf(buf, cap,
                     lang_tr(" (codes are case-sensitive: did you mean '%s'?)"),
                     l->codes[i]);
            return buf;
        }
    /* a label written for its code: "Trafficking in human beings" for THB
     * (whose label goes on: "... (ICCS 0204)"), in English or in any of
     * the list's translations (an Urdu label typed for its code) */
    long first = -1; /* the first code whose label it is */
    for (size_t i = 0; m >= 3 && l->labels && i < l->ncodes; i++)
        for (int t = 0; t < LANG_COUNT; t++) {
            const char *lb = t == LANG_EN ? l->labels[i]
                             : l->tlabels
                                 ? l->tlabels[i * LANG_COUNT + (size_t)t]
                                 : NULL;
            if (!lb || strncasecmp(lb, q, m) != 0) continue;
            if (lb[m] == 0 || (lb[m] == ' ' && lb[m + 1] == '(')) {
                if (first < 0) first = (long)i;
                const char *par = l->parents ? l->parents[i] : NULL;
                if (!parent || !par ||
                    (strlen(par) == pn && !memcmp(par, parent, pn))) {
                    first = (long)i;
                    goto found;
                }
                break; /* another parent's: look on */
            }
        }
    if (first < 0) return "";
found:
    snprintf(buf, cap,
             lang_tr(" (that is the label of code '%s': did you mean %s?)"),
             l->codes[first], l->codes[first]);
    return buf;
}

COLD int bad_code(check *c, long row, size_t fi, const char *p, size_t n) {
    const schema_field *f = &c->s->fields[fi];
    char shown[SHOWN_CAP], hint[160];
    const char *par = NULL;
    size_t pn = 0;
    if (f->codes->parents && !hint_parent(c, fi, &par, &pn)) par = NULL;
    show(c, f, shown, sizeof shown, p, n);
    add(c, row, f->name, p, n, CHECK_CODELIST, CHECK_ERROR,
        "%s is not a code of %s%s", shown, f->codes->name,
        code_hint(f->codes, p, n, par, pn, hint, sizeof hint));
    return 1;
}

HOT_INLINE int check_one_code(check *c, long row, size_t fi, const char *p,
                              size_t n) {
    long ix = code_index(c->fcodes[fi], p, n);
    c->vals[fi].code = ix;
    if (ix >= 0) return 0;
    return bad_code(c, row, fi, p, n);
}

/* In a pseudonymised file: a personal text field holds a pseudonym, a
 * personal date no day, notes nothing. Returns 1 when V is decided here. */
COLD int pseudo_field(check *c, long row, const schema_field *f, check_val *v) {
    char shown[SHOWN_CAP];
    if (!strcmp(f->name, "notes")) {
        /* the text itself stays out of every report: it may name people */
        add(c, row, f->name, "", 0, CHECK_RULE, CHECK_ERROR,
            "notes must be empty in a pseudonymised file (free text may "
            "name people; its %zu bytes are not shown)",
            v->n);
        return 1;
    }
    if (!f->personal) return 0;
    if (f->type == SCHEMA_DATE) {
        if (v->n <= 7) return 0;
        show(c, f, shown, sizeof shown, v->p, v->n);
        add(c, row, f->name, v->p, v->n, CHECK_PATTERN, CHECK_ERROR,
            "%s is a whole date: a pseudonymised file holds the year or "
            "month only",
            shown);
        return 1;
    }
    if (pprl_is_pseudonym(v->p, v->n)) {
        v->valid = 1;
        v->num = NAN;
        return 1;
    }
    show(c, f, shown, sizeof shown, v->p, v->n);
    add(c, row, f->name, v->p, v->n, CHECK_PATTERN, CHECK_ERROR,
        "%s is not a pseudonym (ps1- and 32 hex digits): a clear value in a "
        "pseudonymised file",
        shown);
    return 1;
}

/* Whether a number cell's text is a whole number of more than the 15
 * significant digits Excel keeps (20051234567890123, 2.0051234567E+16). */
static int lost_digits(const char *p, size_t n) {
    size_t i = 0, d = 0;
    char buf[64];
    if ((memchr(p, 'e', n) || memchr(p, 'E', n)) && n < sizeof buf) {
        memcpy(buf, p, n);
        buf[n] = 0;
        double v = strtod(buf, NULL);
        return fabs(v) >= 1e15 && v == floor(v);
    }
    while (i < n && (p[i] == '-' || p[i] == '+' || p[i] == '0' || p[i] == ' '))
        i++;
    for (; i < n; i++) {
        if (p[i] >= '0' && p[i] <= '9')
            d++;
        else
            break; /* a fraction: not an ID */
    }
    return d > 15;
}

/* The digits Excel shows (in its formula bar) for a whole number of more
 * than 15 digits that the file stores in E-notation, as some writers do
 * ("2.005123456789012e+16" -> "20051234567890100"): its first 15
 * significant digits, then zeros. Into OUT; 0 when P is no such number. */
static size_t excel_shows(const char *p, size_t n, char out[48]) {
    char buf[64], e[32];
    if (n >= sizeof buf || !(memchr(p, 'e', n) || memchr(p, 'E', n))) return 0;
    memcpy(buf, p, n);
    buf[n] = 0;
    char *end;
    double v = strtod(buf, &end);
    if (*end || !isfinite(v) || fabs(v) < 1e15 || fabs(v) >= 1e30) return 0;
    snprintf(e, sizeof e, "%.14e", fabs(v)); /* "2.00512345678901e+16" */
    const char *x = strchr(e, 'e');
    if (!x || x - e != 16) return 0;
    int exp = atoi(x + 1);
    size_t k = 0;
    if (v < 0) out[k++] = '-';
    out[k++] = e[0];
    memcpy(out + k, e + 2, 14);
    k += 14;
    for (int i = 14; i < exp; i++)
        out[k++] = '0';
    out[k] = 0;
    return k;
}

/* What Excel did to a workbook cell of kind KIND in field FI. Errors (the
 * field is checked no further: returns 1): a formula whose result was never
 * saved; a number in a text field that lost digits. Notes (the part of the
 * cell that is meant is taken: *CN shortened): a date and time where a date
 * is asked; a date where a month is. */
COLD int excel_cell(check *c, long row, size_t fi, unsigned kind,
                    const char *cell, size_t *cn) {
    const schema_field *f = &c->s->fields[fi];
    check_val *v = &c->vals[fi];
    char shown[SHOWN_CAP];
    unsigned k = kind & SOURCE_CELL_KIND;
    show(c, f, shown, sizeof shown, cell, *cn);
    if (k == SOURCE_CELL_NOVALUE) {
        add(c, row, f->name, cell, *cn, CHECK_TYPE, CHECK_ERROR,
            "the cell holds a formula whose result was never saved: open the "
            "file in Excel or LibreOffice and save it, so that the values "
            "are stored");
        v->present = 1;
        return 1;
    }
    if (k == SOURCE_CELL_NUMBER &&
        (f->type == SCHEMA_STRING || f->type == SCHEMA_CODE ||
         f->type == SCHEMA_LIST) &&
        lost_digits(cell, *cn)) {
        /* quoted as Excel shows it, not as the file stores it */
        char digits[48];
        size_t dn = excel_shows(cell, *cn, digits);
        const char *val = cell;
        size_t vn = *cn;
        if (dn && c->msglen + dn + 1 < MSGBUF) {
            val = memcpy(c->msg + c->msglen, digits, dn + 1);
            vn = dn;
            c->msglen += dn + 1;
            show(c, f, shown, sizeof shown, val, vn);
        }
        add(c, row, f->name, val, vn, CHECK_TYPE, CHECK_ERROR,
            "%s was typed as a number, and Excel keeps only 15 significant "
            "digits, so its last digits are lost: format the column as Text "
            "(Format Cells, Text), then type the value again",
            shown);
        v->present = 1;
        return 1;
    }
    int y, m, d;
    if (k != SOURCE_CELL_DATE || *cn < 10 ||
        cal_parse_iso_date(cell, 10, &y, &m, &d) < 0)
        return 0;
    if (f->type == SCHEMA_DATE && *cn > 10 && cell[10] == 'T') {
        if (masked(c, f)) /* a date of birth: its digits stay unsaid */
            add(c, row, f->name, cell, *cn, CHECK_TYPE, CHECK_WARNING,
                "%s is a date and time; its date is taken", shown);
        else
            add(c, row, f->name, cell, *cn, CHECK_TYPE, CHECK_WARNING,
                "%s is a date and time; its date %.10s is taken", shown, cell);
        *cn = 10;
        return 0;
    }
    int month = 0;
    if (f->type == SCHEMA_PERIOD)
        month = (f->periods & SCHEMA_PERIOD_MONTH) != 0;
    else if (f->type == SCHEMA_STRING && f->c.pattern)
        month = pcre2_match((pcre2_code *)f->c.pattern, (PCRE2_SPTR)cell, 7, 0,
                            0, c->md, NULL) >= 0;
    if (month) {
        add(c, row, f->name, cell, *cn, CHECK_TYPE, CHECK_WARNING,
            "Excel made the cell the date %.10s; its month %.7s is taken "
            "(format the column as Text to keep what is typed)",
            cell, cell);
        *cn = 7;
    }
    return 0;
}

HOT_INLINE void check_field(check *c, long row, size_t fi, const char *cell,
                            size_t cn, unsigned kind) {
    const schema_field *f = &c->s->fields[fi];
    check_val *v = &c->vals[fi];
    char shown[SHOWN_CAP];
    v->present = v->valid = 0;
    v->code = -1;
    if (kind && excel_cell(c, row, fi, kind, cell, &cn)) {
        v->p = cell;
        v->n = cn;
        return;
    }
    v->p = cell;
    v->n = cn;
    v->ascii = ascii_clean(cell, cn);
    if (!v->ascii && !check_utf8_valid(cell, cn)) {
        const char *why = memchr(cell, 0, cn)
                              ? "holds a NUL byte"
                              : "is not valid UTF-8 (a Windows-1252 or "
                                "Latin-1 export? save as \"CSV UTF-8\")";
        add(c, row, f->name, cell, cn, CHECK_ENCODING, CHECK_ERROR, "value %s",
            why);
        v->present = 1;
        return;
    }
    size_t nb = 0; /* leading blanks; the cell is empty when all are */
    while (nb < cn && (cell[nb] == ' ' || cell[nb] == '\t'))
        nb++;
    if (nb == cn) {
        if (f->required)
            add(c, row, f->name, cell, cn, CHECK_REQUIRED, CHECK_ERROR,
                "required value is missing");
        return;
    }
    v->present = 1;
    if (c->pseudo && pseudo_field(c, row, f, v)) return;
    for (size_t i = 0; i < f->nallow; i++)
        if (c->allow_len[fi][i] == cn && bytes_eq(f->allow[i], cell, cn)) {
            v->valid = 1;
            v->num = NAN;
            return;
        }
    int y, m, d;
    switch (f->type) {
    case SCHEMA_STRING:
        break;
    case SCHEMA_INTEGER:
        if (parse_int(cell, cn, &v->num) < 0) {
            char bare[64], bshown[SHOWN_CAP];
            double x;
            size_t bn = strip_bidi(cell, cn, bare, sizeof bare);
            int ok = bn && parse_int(bare, bn, &x) == 0;
            for (size_t i = 0; bn && !ok && i < f->nallow; i++)
                ok =
                    strlen(f->allow[i]) == bn && !memcmp(f->allow[i], bare, bn);
            show(c, f, shown, sizeof shown, cell, cn);
            if (ok) { /* what is shown looks right: say what is wrong */
                show(c, f, bshown, sizeof bshown, bare, bn);
                add(c, row, f->name, cell, cn, CHECK_TYPE, CHECK_ERROR,
                    "%s holds invisible direction marks (copied from "
                    "right-to-left text?): delete them, leaving %s",
                    shown, bshown);
            } else {
                add(c, row, f->name, cell, cn, CHECK_TYPE, CHECK_ERROR,
                    "%s is not a whole number", shown);
            }
            return;
        }
        break;
    case SCHEMA_NUMBER:
        if (parse_num(cell, cn, &v->num) < 0) {
            show(c, f, shown, sizeof shown, cell, cn);
            add(c, row, f->name, cell, cn, CHECK_TYPE, CHECK_ERROR,
                "%s is not a number", shown);
            return;
        }
        break;
    case SCHEMA_DATE: {
        /* a date known to the month or year (YYYY-MM, YYYY) only where the
         * field's precision allows it; the usual case stays one parse */
        int rc = f->precisions == SCHEMA_DATE_DAY
                     ? cal_parse_iso_date(cell, cn, &y, &m, &d)
                     : cal_parse_partial_date(cell, cn, &y, &m, &d);
        if (rc == 0 && ((cn == 7 && !(f->precisions & SCHEMA_DATE_MONTH)) ||
                        (cn == 4 && !(f->precisions & SCHEMA_DATE_YEAR))))
            rc = -1;
        if (rc < 0) {
            show(c, f, shown, sizeof shown, cell, cn);
            const char *form =
                (f->precisions & SCHEMA_DATE_MONTH) &&
                        (f->precisions & SCHEMA_DATE_YEAR)
                    ? "YYYY-MM-DD, YYYY-MM or YYYY"
                : f->precisions & SCHEMA_DATE_MONTH ? "YYYY-MM-DD or YYYY-MM"
                : f->precisions & SCHEMA_DATE_YEAR  ? "YYYY-MM-DD or YYYY"
                                                    : "YYYY-MM-DD";
            if (rc == -2)
                add(c, row, f->name, cell, cn, CHECK_TYPE, CHECK_ERROR,
                    "%s is not a real calendar %s", shown,
                    cn == 7 ? "month" : "day");
            else
                add(c, row, f->name, cell, cn, CHECK_TYPE, CHECK_ERROR,
                    "%s is not a date in the form %s", shown, form);
            return;
        }
        break;
    }
    case SCHEMA_BOOLEAN:
        if (!((cn == 4 && !memcmp(cell, "true", 4)) ||
              (cn == 5 && !memcmp(cell, "false", 5)))) {
            show(c, f, shown, sizeof shown, cell, cn);
            add(c, row, f->name, cell, cn, CHECK_TYPE, CHECK_ERROR,
                "%s is not true or false", shown);
            return;
        }
        break;
    case SCHEMA_PERIOD: {
        int ok = 0, fm, lm;
        if (cal_parse_period(cell, cn, &y, &fm, &lm) == 0) {
            unsigned kind = cn == 4                     ? SCHEMA_PERIOD_YEAR
                            : cn == 7 && cell[5] == 'Q' ? SCHEMA_PERIOD_QUARTER
                                                        : SCHEMA_PERIOD_MONTH;
            ok = (f->periods & kind) != 0;
        }
        if (!ok) {
            show(c, f, shown, sizeof shown, cell, cn);
            add(c, row, f->name, cell, cn, CHECK_TYPE, CHECK_ERROR,
                "%s is not a period of the form %s%s%s", shown,
                f->periods & SCHEMA_PERIOD_MONTH ? "YYYY-MM" : "",
                f->periods & SCHEMA_PERIOD_QUARTER ? ", YYYY-Qn" : "",
                f->periods & SCHEMA_PERIOD_YEAR ? ", YYYY" : "");
            return;
        }
        break;
    }
    case SCHEMA_CODE:
        if (check_one_code(c, row, fi, cell, cn)) return;
        break;
    case SCHEMA_LIST: {
        int bad = 0;
        const char *p = cell, *e = cell + cn;
        while (p <= e) {
            const char *q = memchr(p, f->separator, (size_t)(e - p));
            if (!q) q = e;
            bad |= check_one_code(c, row, fi, p, (size_t)(q - p));
            p = q + 1;
        }
        if (bad) return;
        break;
    }
    }
    if (c->fcons[fi] && check_constraint(c, row, f, &f->c, v, NULL)) return;
    v->valid = 1;
}

/* ---- rules ---- */

/* An operand's value in this row: bytes into the row, a code list, a
 * reference table, or BUF (period ends). Returns 0 when available. */
static int operand(check *c, const schema_operand *o, char buf[16],
                   const char **p, size_t *n, double *num, int *numeric) {
    *numeric = 0;
    if (o->via >= 0) {
        const check_val *k = &c->vals[o->via];
        check_ref *r = NULL;
        for (size_t i = 0; i < c->s->nrefs; i++)
            if (c->refs[i].t->from_field == o->via) r = &c->refs[i];
        if (!k->valid || !r || !r->loaded) return -1;
        uint64_t *idx = strmap_get(&r->keys, k->p, k->n);
        if (!idx) return -1;
        size_t nc = r->t->ncarry < 64 ? r->t->ncarry : 64;
        size_t at = (size_t)*idx * nc + (size_t)o->ref_slot;
        *p = r->carry_arena + r->carry[at].off;
        *n = r->carry[at].len;
        return *n ? 0 : -1;
    }
    const check_val *v = &c->vals[o->field];
    if (!v->valid) return -1;
    *p = v->p;
    *n = v->n;
    const schema_field *f = &c->s->fields[o->field];
    if (f->type == SCHEMA_INTEGER || f->type == SCHEMA_NUMBER) {
        if (isnan(v->num)) return -1; /* an allowed token such as "<5" */
        *numeric = 1;
        *num = v->num;
    }
    if (o->prefix) {
        if ((size_t)o->prefix > *n) return -1;
        *n = (size_t)o->prefix;
    }
    if (o->period_end) {
        /* a file holds one month, or a few: the last period's end is
         * reused instead of parsing and formatting a date per row */
        if (!(c->pe_n && c->pe_n == *n && bytes_eq(c->pe_in, *p, *n))) {
            int y, m, d;
            if (*n >= sizeof c->pe_in || cal_period_end(*p, *n, &y, &m, &d) < 0)
                return -1;
            cal_format_ymd(y, m, d, c->pe_out);
            memcpy(c->pe_in, *p, *n);
            c->pe_n = *n;
        }
        memcpy(buf, c->pe_out, 11);
        *p = buf;
        *n = 10;
    }
    if (o->parent) {
        long i = c->fcodes[o->field] ? code_index(c->fcodes[o->field], *p, *n)
                                     : schema_code_find(f->codes, *p, *n);
        if (i < 0 || !f->codes->parents[i]) return -1;
        *p = f->codes->parents[i];
        *n = strlen(*p);
    }
    return 0;
}

static int in_values(char **vals, const size_t *lens, size_t nv, const char *p,
                     size_t n) {
    for (size_t i = 0; i < nv; i++)
        if (lens[i] == n && bytes_eq(vals[i], p, n)) return 1;
    return 0;
}

static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn) {
    int r = memcmp(a, b, an < bn ? an : bn);
    return r ? r : (an > bn) - (an < bn);
}

/* What a compare rule read for operand O (value P, N as compared), for its
 * message: "admin1 'PK-SD'", or "incident_date '2025-03-03' of incident_id
 * 'PAK-2025-LHR-0001'" through a reference. */
static void operand_text(const check *c, const schema_operand *o, const char *p,
                         size_t n, char *out, size_t cap) {
    char a[128], b[128];
    const schema *s = c->s;
    if (o->via >= 0) { /* a column of the referenced table, and the key */
        const check_val *k = &c->vals[o->via];
        show_raw(a, sizeof a, p, n);
        show(c, &s->fields[o->via], b, sizeof b, k->p, k->n);
        snprintf(out, cap, "%s %s of %s %s", o->via_field, a,
                 s->fields[o->via].name, b);
        return;
    }
    const check_val *v = &c->vals[o->field];
    show(c, &s->fields[o->field], a, sizeof a, v->p, v->n);
    snprintf(out, cap, "%s %s", s->fields[o->field].name, a);
}
/* A rule's message in the language of messages. */
static const char *rule_text(const schema_rule *r) {
    return schema_tr(r->messages, r->message, lang_messages());
}

static void run_rule(check *c, long row, size_t ri) {
    const schema_rule *r = &c->s->rules[ri];
    const schema *s = c->s;
    if (r->when_field >= 0) {
        const check_val *w = &c->vals[r->when_field];
        if (r->when_present) {
            if (!w->present) return;
        } else {
            if (!w->valid) return;
            int in = c->when_use_mask[ri] && w->code >= 0
                         ? (int)((c->when_mask[ri] >> w->code) & 1)
                         : in_values(r->when_in, c->when_len[ri], r->nwhen,
                                     w->p, w->n);
            if (in == r->when_negate) return;
        }
    }
    if (r->then_field >= 0) {
        const schema_field *f = &s->fields[r->then_field];
        check_val *v = &c->vals[r->then_field];
        if (r->then_required && !v->present) {
            add(c, row, f->name, v->p, 0, CHECK_REQUIRED, CHECK_ERROR, "%s",
                rule_text(r));
            return;
        }
        if (r->then_empty && v->present) {
            add(c, row, f->name, v->p, v->n, CHECK_RULE, CHECK_ERROR, "%s",
                rule_text(r));
            return;
        }
        if (!v->valid) return;
        if (c->pseudo && f->personal && f->type != SCHEMA_DATE) return;
        if (r->then_has_codes && !in_values(r->then_codes, c->then_len[ri],
                                            r->nthen_codes, v->p, v->n)) {
            add(c, row, f->name, v->p, v->n, CHECK_RULE, CHECK_ERROR, "%s",
                rule_text(r));
            return;
        }
        if (isnan(v->num) &&
            (f->type == SCHEMA_INTEGER || f->type == SCHEMA_NUMBER))
            return;
        check_constraint(c, row, f, &r->then, v, rule_text(r));
        return;
    }
    char lb[16], rb[16], ab[16];
    const char *lp, *rp, *ap;
    size_t ln, rn, an;
    double lnum = 0, rnum = 0, anum;
    int lnumeric, rnumeric, anumeric;
    if (operand(c, &r->left, lb, &lp, &ln, &lnum, &lnumeric) < 0 ||
        operand(c, &r->right, rb, &rp, &rn, &rnum, &rnumeric) < 0)
        return;
    int ok;
    if (r->op == SCHEMA_OP_AGE) {
        int by, bm, bd, ay, am, ad;
        if (operand(c, &r->at, ab, &ap, &an, &anum, &anumeric) < 0 ||
            !lnumeric || cal_parse_partial_date(rp, rn, &by, &bm, &bd) < 0 ||
            cal_parse_iso_date(ap, an, &ay, &am, &ad) < 0)
            return;
        /* a birth date known to the year or month gives a range of ages:
         * born in 1990, on 2025-03-04 one is 34 or 35 */
        int oldest = ay - by, youngest = ay - by - 1;
        if (bm && (am > bm || (am == bm && bd && ad >= bd))) youngest = oldest;
        if (bm && (am < bm || (am == bm && bd && ad < bd))) oldest = youngest;
        ok = lnum >= youngest - r->tolerance && lnum <= oldest + r->tolerance;
    } else {
        int cmp = lnumeric && rnumeric ? (lnum > rnum) - (lnum < rnum)
                                       : cmp_bytes(lp, ln, rp, rn);
        switch (r->op) {
        case SCHEMA_OP_EQ:
            ok = cmp == 0;
            break;
        case SCHEMA_OP_NE:
            ok = cmp != 0;
            break;
        case SCHEMA_OP_LT:
            ok = cmp < 0;
            break;
        case SCHEMA_OP_LE:
            ok = cmp <= 0;
            break;
        case SCHEMA_OP_GT:
            ok = cmp > 0;
            break;
        default:
            ok = cmp >= 0;
            break;
        }
    }
    if (!ok) {
        int fi = r->left.via >= 0 ? r->left.via : r->left.field;
        const check_val *v = &c->vals[fi];
        char lt[320], rt[320], at[320] = "";
        operand_text(c, &r->left, lp, ln, lt, sizeof lt);
        operand_text(c, &r->right, rp, rn, rt, sizeof rt);
        if (r->op == SCHEMA_OP_AGE) {
            at[0] = ',', at[1] = ' ';
            operand_text(c, &r->at, ap, an, at + 2, sizeof at - 2);
        }
        add(c, row, s->fields[fi].name, v->p, v->n, CHECK_RULE, CHECK_ERROR,
            "%s (%s, %s%s)", rule_text(r), lt, rt, at);
    }
}

/* ---- the table key and sums ----
 *
 * A key is encoded as its fields' values: a code field as its index in its
 * list (two bytes; an empty cell as its default's index, or 0xFFFF), any
 * other field as a 4-byte length and the bytes (an empty cell as its
 * default). Exact, and short: an aggregate key is about 30 bytes.
 * Sums need every row of a file before they can be judged: each row adds
 * its value to one group per breakdown field (the rows that share its key
 * but for that field), as a part or as the group's total row; check_end()
 * reports the totals that cannot be right. */

/* The value key field K stands for in this row (the default when empty);
 * -1 when it is invalid or missing and required. */
static int key_value(const check *c, size_t k, const char **p, size_t *n) {
    const schema_key *key = &c->s->key;
    const check_val *v = &c->vals[key->fields[k]];
    if (v->present) {
        if (!v->valid) return -1;
        *p = v->p;
        *n = v->n;
        return 0;
    }
    if (c->s->fields[key->fields[k]].required) return -1;
    *p = key->defaults[k] ? key->defaults[k] : "";
    *n = strlen(*p);
    return 0;
}

/* Encodes this row's key into kbuf after TAG (one byte, 0 for the table
 * key, 1 + sums field for a group), with the value of sums field TOTAL (-1:
 * none) replaced by its total: a sums group is keyed by its total row's
 * key. Returns its length, or 0 when a key field is not usable. */
static size_t encode_key(check *c, int tag, int total) {
    int skip = total >= 0 ? c->s->sums.fields[total] : -1;
    const schema_key *key = &c->s->key;
    size_t len = 1;
    if (buf_grow(&c->kbuf, &c->kcap, 1 + 2 * key->n, 1) < 0) return 0;
    for (size_t k = 0; k < key->n; k++) {
        int fi = key->fields[k];
        const check_val *v = &c->vals[fi];
        if (c->kdef[k] != -2) {
            long ix;
            if (fi == skip) {
                ix = c->stotal[total];
            } else if (v->present) {
                if (!v->valid) return 0;
                ix = v->code;
            } else {
                if (c->s->fields[fi].required) return 0;
                ix = c->kdef[k] >= 0 ? c->kdef[k] : 0xFFFF;
            }
            uint16_t u = (uint16_t)ix;
            memcpy(c->kbuf + len, &u, 2);
            len += 2;
            continue;
        }
        const char *p;
        size_t n;
        if (fi == skip) {
            p = c->s->sums.totals[total];
            n = strlen(p);
        } else if (key_value(c, k, &p, &n) < 0) {
            return 0;
        }
        if (buf_grow(&c->kbuf, &c->kcap, len + 4 + n + 2 * key->n, 1) < 0)
            return 0;
        uint32_t n32 = (uint32_t)n;
        memcpy(c->kbuf + len, &n32, 4);
        memcpy(c->kbuf + len + 4, p, n);
        len += 4 + n;
    }
    c->kbuf[0] = (char)tag;
    return len;
}

/* The key's values for a message: "PAK, 2025-03, ..." (cut at CAP). */
static void show_key(const check *c, char *out, size_t cap) {
    const schema_key *key = &c->s->key;
    size_t o = 0;
    out[0] = 0;
    for (size_t k = 0; k < key->n && o + 8 < cap; k++) {
        const char *p = "";
        size_t n = 0;
        char shown[128];
        key_value(c, k, &p, &n);
        show_dir(c, &c->s->fields[key->fields[k]], shown, sizeof shown, p, n,
                 0); /* 'value', escaped and cut; its quotes go below */
        size_t sn = strlen(shown);
        int w = snprintf(out + o, cap - o, "%s%.*s", k ? ", " : "",
                         sn >= 2 ? (int)(sn - 2) : 0, shown + 1);
        if (w < 0) break;
        o += (size_t)w < cap - o ? (size_t)w : cap - o - 1;
    }
}

/* Whether this row's table key repeats an earlier row's: a unique finding
 * on this row (then 1), or 0. */
static int check_key(check *c, long row) {
    size_t len = encode_key(c, 0, -1);
    if (!len) return 0;
    uint64_t first;
    int added =
        keyset_add(&c->tkey, c->kbuf, len,
                   ((uint64_t)c->file_no << 40) | (uint64_t)row, &first);
    if (added != 0) return 0;
    char shown[400];
    show_key(c, shown, sizeof shown);
    long frow = (long)(first & ((1ull << 40) - 1));
    long ffile = (long)(first >> 40);
    add(c, row, "", "", 0, CHECK_UNIQUE, CHECK_ERROR,
        "the key (%s) repeats row %ld%s; one row per key", shown, frow,
        ffile == c->file_no ? "" : lang_tr(" of an earlier file"));
    return 1;
}

/* The interval a count stands for: a number is itself, "<K" is 1 to K-1
 * (0 is written 0), any other allowed token anything from 0. */
static void count_interval(const schema_field *f, const check_val *v,
                           double *lo, double *hi) {
    if (!isnan(v->num)) {
        *lo = *hi = v->num;
        return;
    }
    *lo = 0;
    *hi = INFINITY;
    if (v->n >= 2 && v->p[0] == '<') {
        double k;
        if (parse_int(v->p + 1, v->n - 1, &k) == 0) {
            *lo = f->suppress_below ? 1 : 0;
            *hi = k - 1;
        }
    }
}

static void sums_reset(check *c) {
    keyset_free(&c->sgroups);
    keyset_init(&c->sgroups);
    c->nsacc = c->nsbad = c->sbad_at = c->rvn = 0;
    for (size_t b = 0; c->sgroups_of && b < c->s->sums.n; b++)
        c->sgroups_of[b] = 0;
}

/* Records this row's value for the sums (it is in the table key). */
static int row_value(check *c, long row, double lo, double hi) {
    size_t r = (size_t)row;
    if (buf_grow(&c->rval, &c->rvcap, r + 1, sizeof *c->rval)) return -1;
    for (; c->rvn < r; c->rvn++)
        c->rval[c->rvn][0] = c->rval[c->rvn][1] = NAN;
    c->rval[r][0] = lo;
    c->rval[r][1] = hi;
    c->rvn = r + 1;
    return 0;
}

/* Adds this row to the sums: as a part, to the group of each breakdown
 * whose value is not the total (a group is made only for parts, keyed by
 * its total row's key, so that a file of totals costs no group); as a
 * total, to the groups already made for it. A group made after its total
 * finds that row in the table key. */
static void sums_add(check *c, long row) {
    const schema_sums *su = &c->s->sums;
    const check_val *v = &c->vals[su->value];
    double lo = NAN, hi = NAN;
    if (v->valid) count_interval(&c->s->fields[su->value], v, &lo, &hi);
    if (row_value(c, row, lo, hi) < 0) return;
    for (size_t b = 0; b < su->n; b++) {
        int fi = su->fields[b];
        const check_val *bv = &c->vals[fi];
        long code = bv->present ? bv->code : -2; /* -2: empty, the default */
        if (code == -1) continue;
        if (code == -2) {
            size_t k = 0;
            while (c->s->key.fields[k] != fi)
                k++;
            const char *d = c->s->key.defaults[k];
            if (!d) continue;
            code = code_index(c->fcodes[fi], d, strlen(d));
        }
        /* a total of a breakdown no row of the file has used yet: no group
         * to find (it is found in the table key if a part comes later) */
        if (code == c->stotal[b] && !c->sgroups_of[b]) continue;
        size_t len = encode_key(c, 1 + (int)b, (int)b);
        if (!len) return;
        uint64_t at;
        if (code == c->stotal[b]) {
            if (keyset_get(&c->sgroups, c->kbuf, len, &at))
                c->sacc[at].trow = row;
            continue;
        }
        if (!v->valid) continue;
        /* room first: a key never points past */
        if (buf_grow(&c->sacc, &c->sacap, c->nsacc + 1, sizeof *c->sacc))
            return;
        int added = keyset_add(&c->sgroups, c->kbuf, len, c->nsacc, &at);
        if (added < 0) return;
        if (added) {
            check_sum *g = &c->sacc[c->nsacc];
            memset(g, 0, sizeof *g);
            g->field = (uint32_t)b;
            at = c->nsacc++;
            c->sgroups_of[b]++;
            uint64_t first; /* the total row, if it came before */
            c->kbuf[0] = 0;
            if (keyset_get(&c->tkey, c->kbuf, len, &first) &&
                (long)(first >> 40) == c->file_no)
                g->trow = (long)(first & ((1ull << 40) - 1));
        }
        check_sum *g = &c->sacc[at];
        g->lo += lo;
        g->hi += hi;
        if (!g->nparts++) g->prow = row;
    }
}

/* The total row's value of group G: 0, or -1 when it has none (no total
 * row, or one whose value is not valid). */
static int sum_total(const check *c, const check_sum *g, double *lo,
                     double *hi) {
    if (!g->trow || (size_t)g->trow >= c->rvn) return -1;
    *lo = c->rval[g->trow][0];
    *hi = c->rval[g->trow][1];
    return isnan(*lo) ? -1 : 0;
}

/* Whether group G's parts cannot add up to its total. */
static int sum_wrong(const check *c, const check_sum *g) {
    double tlo, thi;
    if (!g->nparts || sum_total(c, g, &tlo, &thi) < 0) return 0;
    if (g->lo > thi) return 1;
    return g->nparts >= c->sparts[g->field] && g->hi < tlo;
}

/* Orders bad groups by their total's row, then by breakdown. */
static int by_row(const void *a, const void *b) {
    const check_bad *x = a, *y = b;
    if (x->row != y->row) return x->row < y->row ? -1 : 1;
    return (x->field > y->field) - (x->field < y->field);
}

/* A count or interval for a message: "12", "1 to 4", "at least 12". */
static void fmt_interval(char *out, size_t cap, double lo, double hi) {
    char a[32], b[32];
    fmt_num(a, sizeof a, lo);
    fmt_num(b, sizeof b, hi);
    if (lo == hi)
        snprintf(out, cap, "%s", a);
    else if (isinf(hi))
        snprintf(out, cap, "at least %s", a);
    else
        snprintf(out, cap, "%s to %s", a, b);
}

#define CHECK_END_BATCH 64 /* findings per check_end() call: endval rows */

int check_end(check *c) {
    const schema *s = c->s;
    c->nfinds = c->msglen = 0;
    c->lost_errors = 0;
    if (s->sums.value < 0) return 0;
    if (c->sbad_at == 0 && c->nsbad == 0) {
        for (size_t i = 0; i < c->nsacc; i++)
            if (sum_wrong(c, &c->sacc[i])) c->nsbad++;
        if (c->nsbad) {
            free(c->sbad);
            c->sbad = malloc(c->nsbad * sizeof *c->sbad);
            if (!c->sbad) {
                add(c, 0, "", "", 0, CHECK_RULE, CHECK_ERROR,
                    "out of memory: %zu totals that their breakdowns do not "
                    "add up to are not shown",
                    c->nsbad);
                c->sbad_at = c->nsbad;
                return (int)c->nfinds;
            }
            size_t k = 0;
            for (size_t i = 0; i < c->nsacc; i++)
                if (sum_wrong(c, &c->sacc[i]))
                    c->sbad[k++] =
                        (check_bad){c->sacc[i].trow, c->sacc[i].field, i};
            qsort(c->sbad, k, sizeof *c->sbad, by_row);
        }
    }
    const char *vname = s->fields[s->sums.value].name;
    while (c->sbad_at < c->nsbad && c->nfinds < CHECK_END_BATCH) {
        const check_sum *g = &c->sacc[c->sbad[c->sbad_at++].group];
        const char *bname = s->fields[s->sums.fields[g->field]].name;
        char parts[96], *total = c->endval[c->nfinds];
        double tlo = 0, thi = 0;
        sum_total(c, g, &tlo, &thi);
        int more = g->lo > thi;
        if (more) {
            fmt_interval(parts, sizeof parts, g->lo,
                         g->lo == g->hi ? g->hi : INFINITY);
        } else {
            char h[32];
            fmt_num(h, sizeof h, g->hi);
            snprintf(parts, sizeof parts, "%s%s",
                     g->lo == g->hi ? "" : "at most ", h);
        }
        fmt_interval(total, sizeof c->endval[0], tlo, thi);
        if (more)
            add(c, g->trow, vname, total, strlen(total), CHECK_RULE,
                CHECK_ERROR,
                "the %u row%s by %s of this total (from row %ld) add%s up "
                "to %s, more than its %s",
                g->nparts, g->nparts == 1 ? "" : "s", bname, g->prow,
                g->nparts == 1 ? "s" : "", parts, total);
        else
            add(c, g->trow, vname, total, strlen(total), CHECK_RULE,
                CHECK_ERROR,
                "the %u rows by %s of this total (from row %ld; every %s "
                "is given) add up to %s, less than its %s",
                g->nparts, bname, g->prow, bname, parts, total);
    }
    return (int)c->nfinds;
}

/* ---- rows ---- */

const char *check_row_shape(const source_row *row, size_t hdr_cells, char *buf,
                            size_t len) {
    int blank = 1;
    for (size_t i = 0; i < row->ncells && blank; i++) {
        const char *p = row->cells[i].p;
        size_t n = row->cells[i].n;
        trim(&p, &n);
        blank = n == 0;
    }
    if (row->flags & SOURCE_ROW_UNTERMINATED)
        return "a quoted cell opened in this row is never closed; the rest of "
               "the file was read into it";
    if (blank) return "row is empty";
    if (row->ncells == hdr_cells) return NULL;
    snprintf(buf, len,
             "row has %zu cells but the header has %zu; cells may have "
             "shifted, so the row is not checked further",
             row->ncells, hdr_cells);
    return buf;
}

/* A finding on a number cell of a text field whose value is all digits
 * (a code or number that lost its leading zeros in Excel) says why. */
COLD void number_hints(check *c, const source_row *row) {
    const schema *s = c->s;
    for (size_t i = 0; i < c->nfinds; i++) {
        check_finding *fd = &c->finds[i];
        if (fd->severity != CHECK_ERROR || fd->code == CHECK_TYPE ||
            fd->code == CHECK_REQUIRED || !fd->vlen)
            continue;
        int fi = schema_field_index(s, fd->field, strlen(fd->field));
        if (fi < 0 || c->col_of[fi] < 0 ||
            (size_t)c->col_of[fi] >= row->ncells ||
            (s->fields[fi].type != SCHEMA_STRING &&
             s->fields[fi].type != SCHEMA_CODE))
            continue;
        if ((row->kinds[c->col_of[fi]] & SOURCE_CELL_KIND) !=
            SOURCE_CELL_NUMBER)
            continue;
        /* the cell itself: the finding's value may be a mask (personal) */
        const source_cell *cell = &row->cells[c->col_of[fi]];
        size_t k = 0;
        while (k < cell->n && cell->p[k] >= '0' && cell->p[k] <= '9')
            k++;
        if (!k || k != cell->n || c->msglen + 512 >= MSGBUF) continue;
        int w = snprintf(c->msg + c->msglen, 512,
                         "%s; the cell is a number, and a number drops its "
                         "leading zeros: format the column as Text, then "
                         "type the value with its zeros",
                         fd->message);
        fd->message = c->msg + c->msglen;
        c->msglen += (w < 0 ? 0 : (w >= 512 ? 511 : (size_t)w)) + 1;
    }
}

int check_row(check *c, const source_row *row) {
    const schema *s = c->s;
    c->vals_row = 0; /* set once the fields are read (not for a bad row) */
    c->nfinds = c->msglen = 0;
    c->lost_errors = 0;
    char shape[160];
    const char *bad = check_row_shape(row, c->hdr_cells, shape, sizeof shape);
    if (bad) {
        add(c, row->row, "", "", 0, CHECK_ROW_SHAPE, CHECK_ERROR, "%s", bad);
        return 1;
    }
    /* A unique set of a million keys is far bigger than the cache, so its
     * probe is a cache miss (~100 ns, as much as checking the other fields
     * of the row). Hash each unique value now and prefetch its slot; the
     * field checks below run while the line is on its way. */
    for (size_t k = 0; k < c->nkfields; k++) {
        size_t f = c->kfields[k];
        c->uhash_p[f] = NULL;
        int col = c->col_of[f];
        if (s->fields[f].unique && col >= 0) {
            c->uhash_p[f] = row->cells[col].p;
            c->uhash[f] = keyset_prefetch(&c->uniq[f], row->cells[col].p,
                                          row->cells[col].n);
        }
    }
    c->row_now = row;
    for (size_t f = 0; f < s->nfields; f++) {
        int col = c->col_of[f];
        if (col >= 0)
            check_field(c, row->row, f, row->cells[col].p, row->cells[col].n,
                        row->kinds ? row->kinds[col] : 0);
        else
            check_field(c, row->row, f, "", 0, 0);
    }
    c->vals_row = row->row;
    c->row_now = NULL;
    /* unique and foreign keys after all fields: a key that is itself wrong
     * is reported once, as what is wrong with it */
    for (size_t k = 0; k < c->nkfields; k++) {
        size_t f = c->kfields[k];
        const schema_field *fd = &s->fields[f];
        check_val *v = &c->vals[f];
        if (!v->valid) continue;
        if (fd->unique) {
            uint64_t first;
            uint64_t h =
                c->uhash_p[f] == v->p ? c->uhash[f] : keyset_hash(v->p, v->n);
            int added = keyset_add_hashed(
                &c->uniq[f], v->p, v->n, h,
                ((uint64_t)c->file_no << 40) | (uint64_t)row->row, &first);
            if (added == 0) {
                char shown[SHOWN_CAP];
                show(c, fd, shown, sizeof shown, v->p, v->n);
                long frow = (long)(first & ((1ull << 40) - 1));
                long ffile = (long)(first >> 40);
                add(c, row->row, fd->name, v->p, v->n, CHECK_UNIQUE,
                    CHECK_ERROR, "%s repeats the value of row %ld%s", shown,
                    frow,
                    ffile == c->file_no ? "" : lang_tr(" of an earlier file"));
                v->valid = 0;
            }
        }
        for (size_t i = 0; fd->ref && i < s->nrefs; i++) {
            check_ref *r = &c->refs[i];
            if (r->t->from_field != (int)f || !r->loaded) continue;
            if (!strmap_get(&r->keys, v->p, v->n)) {
                char shown[SHOWN_CAP];
                show(c, fd, shown, sizeof shown, v->p, v->n);
                add(c, row->row, fd->name, v->p, v->n, CHECK_FOREIGN_KEY,
                    CHECK_ERROR, "no %s has %s %s in %s", r->t->table,
                    r->t->key, shown, r->path);
                v->valid = 0;
            }
        }
    }
    int dup = s->key.n && check_key(c, row->row);
    if (s->sums.value >= 0 && !dup) sums_add(c, row->row);
    for (size_t i = 0; i < s->nrules; i++)
        run_rule(c, row->row, i);
    if (row->kinds) number_hints(c, row);
    return count_errors(c);
}

int check_value(const check *c, long row, int field, const char **p,
                size_t *n) {
    if (c->vals_row != row) return -1;
    *p = c->vals[field].p;
    *n = c->vals[field].n;
    return 0;
}
