/*
 * pprl.c: keyed pseudonyms, CLK Bloom-filter encodings, keyed blocking
 * keys and Dice linkage (see pprl.h and sop/data-protection.md).
 *
 * CLK: one 1024-bit Bloom filter per row holds the q-grams (q = 2, the
 * value padded with a space at each end) of every personal field. Each
 * q-gram sets k bits whose positions come from a keyed BLAKE2b of the
 * q-gram, with a key derived from the link key and the field ("random
 * hashing", Niedermeyer et al. 2014, instead of the double hashing of
 * Schnell et al. 2009 whose structure their attack uses). A name adds the
 * q-grams of its romanised form and of its skeleton (normalize.h), so the
 * scripts and romanisations of one name share bits; a date adds its year,
 * month and day as three tokens.
 */
#include "pprl.h"
#include "buf.h"
#include "normalize.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PPRL_MAX_STATES 64 /* cached keyed hash states (field, part) */
/* Bits set per token, by what the token is (the field weights of the
 * CLK): a whole birth date or document number agreeing says more than a
 * q-gram of a common name. */
enum {
    PPRL_K_TEXT,   /* q-gram of a romanised given or family name */
    PPRL_K_SKEL,   /* q-gram of a name skeleton */
    PPRL_K_FTEXT,  /* q-gram of the romanised father's name */
    PPRL_K_FSKEL,  /* q-gram of the father's name skeleton */
    PPRL_K_DATE,   /* year, month or day of a date */
    PPRL_K_FULL,   /* the whole date */
    PPRL_K_ID,     /* q-gram of a document number or other text */
    PPRL_K_IDFULL, /* the whole document number */
    PPRL_K_OTHER,  /* q-gram of other text (an address) */
    PPRL_K_WORD,   /* a whole word of a name skeleton */
    PPRL_NK
};
static const int weights[PPRL_NK] = {2, 3, 2, 3, 10, 20, 4, 20, 2, 12};
#define W(i) weights[i]
#define PPRL_TOKEN_MAX 1024 /* bytes of a token hashed */
/* A cluster's rows all score at least the threshold less this with each
 * other (0: complete linkage; 1.5 still let 14-row clusters of namesakes
 * form in 200,000 synthetic persons, and cost 0.04 of F1 there). */
#define PPRL_COMPLETE_MARGIN 0

static const char name_domain[] = "name"; /* the key domain of all names */
static const char block_domain[] = "blk"; /* ... of the blocking keys */

/* The key of one field's (and part's) tokens: SipHash-2-4 with 128-bit
 * output (libsodium crypto_shorthash_siphashx24), a keyed PRF ~10 times
 * cheaper than BLAKE2b on a q-gram. */
typedef struct pprl_state {
    const char *field; /* pointer compared */
    char part;         /* 't', 'k', 'd', ... */
    unsigned char key[crypto_shorthash_siphashx24_KEYBYTES]; /* derived key */
    uint8_t *qg;   /* 65536 x 16: the first SipHash output of each q-gram
                      (2 bytes), made on first use; NULL until then */
    uint8_t *have; /* 65536: that q-gram's output is in qg */
} pprl_state;

struct pprl {
    unsigned char key[32];              /* owner's key */
    unsigned char link_key[32];         /* link key */
    int has_link;                       /* link_key given */
    norm_ctx *nc;                       /* normaliser */
    char a[1024], b[1024];              /* normalisation scratch */
    pprl_state states[PPRL_MAX_STATES]; /* cached per-field states */
    int nstates;                        /* in use */
};

pprl *pprl_new(const unsigned char *key, const unsigned char *link_key,
               char *err, size_t errlen) {
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium cannot be initialised");
        return NULL;
    }
    pprl *p = sodium_malloc(sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    memset(p, 0, sizeof *p);
    memcpy(p->key, key, 32);
    if (link_key) {
        memcpy(p->link_key, link_key, 32);
        p->has_link = 1;
    }
    if (!(p->nc = norm_open(err, errlen))) {
        sodium_free(p);
        return NULL;
    }
    return p;
}

void pprl_free(pprl *p) {
    if (!p) return;
    for (int i = 0; i < p->nstates; i++) {
        if (p->states[i].qg) sodium_memzero(p->states[i].qg, 65536 * 16);
        free(p->states[i].qg);
        free(p->states[i].have);
    }
    norm_close(p->nc);
    sodium_free(p); /* wipes the keys and states */
}

pprl_kind pprl_kind_of(const char *field, int is_date) {
    size_t n = strlen(field);
    if (is_date || !strcmp(field, "date_of_birth") || !strcmp(field, "dob"))
        return PPRL_DATE;
    if ((n >= 4 && !strcmp(field + n - 4, "name")) || !strcmp(field, "surname"))
        return PPRL_NAME;
    return PPRL_TEXT;
}

pprl_role pprl_role_of(const char *field) {
    static const struct {
        const char *name;
        pprl_role role;
    } roles[] = {
        {"family_name", PPRL_ROLE_FAMILY}, {"surname", PPRL_ROLE_FAMILY},
        {"given_name", PPRL_ROLE_GIVEN},   {"father_name", PPRL_ROLE_FATHER},
        {"date_of_birth", PPRL_ROLE_DOB},  {"id_document_number", PPRL_ROLE_ID},
        {"soc_sec_id", PPRL_ROLE_ID}};
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        if (!strcmp(field, roles[i].name)) return roles[i].role;
    return PPRL_ROLE_NONE;
}

/* Leading words that say "son of", "daughter of", "wife of" before a
 * father's name, as romanised by norm_text: S/O, D/O, W/O, son of, bin,
 * ibn, bint, walad, ولد (wld), ... */
static size_t kinship_prefix(const char *a, size_t n) {
    static const char *const words[] = {
        "s",        "o",    "d",    "w",    "son",  "of",
        "daughter", "wife", "bin",  "ibn",  "bint", "walad",
        "wald",     "wld",  "wold", "oglu", "kizi", "binti"};
    size_t at = 0;
    for (;;) {
        size_t e = at;
        while (e < n && a[e] != ' ')
            e++;
        int hit = 0;
        for (size_t i = 0; i < sizeof words / sizeof *words && !hit; i++)
            hit =
                strlen(words[i]) == e - at && !memcmp(a + at, words[i], e - at);
        if (!hit || e >= n) return at;
        at = e + 1;
    }
}

/* The normalised form of V by KIND into P->b; its length or -1. For a name
 * the romanised form is left in P->a. A father's name (FATHER) loses its
 * "s/o" or "walad". */
static long normal(pprl *p, pprl_kind kind, int father, const char *v,
                   size_t n) {
    size_t k;
    p->a[0] = p->b[0] = 0;
    if (kind == PPRL_DATE) {
        k = norm_digits_only(v, n, p->b, sizeof p->b);
        return k >= sizeof p->b ? (long)sizeof p->b - 1 : (long)k;
    }
    k = norm_text(p->nc, v, n, p->a, sizeof p->a);
    if (k == NORM_ERROR) return -1;
    if (k >= sizeof p->a) k = sizeof p->a - 1;
    if (kind == PPRL_NAME) {
        if (father) {
            size_t cut = kinship_prefix(p->a, k);
            memmove(p->a, p->a + cut, k - cut + 1);
            k -= cut;
        }
        k = norm_name_key(p->a, k, p->b, sizeof p->b);
        return k >= sizeof p->b ? (long)sizeof p->b - 1 : (long)k;
    }
    size_t o = 0; /* text: spaces out (35202-1234567-1 = 3520212345671) */
    for (size_t i = 0; i < k; i++)
        if (p->a[i] != ' ') p->b[o++] = p->a[i];
    p->b[o] = 0;
    return (long)o;
}

/* OUT (OUTLEN bytes) = BLAKE2b keyed with KEY of TAG (with its NUL), NAME
 * (with its NUL) and DATA (N bytes): the one construction behind the
 * pseudonyms, the per-field CLK keys and the blocking keys, each under
 * its own TAG. */
static void keyed_hash(unsigned char *out, size_t outlen,
                       const unsigned char *key, const char *tag,
                       const char *name, const void *data, size_t n) {
    crypto_generichash_state st;
    crypto_generichash_init(&st, key, 32, outlen);
    crypto_generichash_update(&st, (const unsigned char *)tag, strlen(tag) + 1);
    crypto_generichash_update(&st, (const unsigned char *)name,
                              strlen(name) + 1);
    crypto_generichash_update(&st, data, n);
    crypto_generichash_final(&st, out, outlen);
}

size_t pprl_pseudonym(pprl *p, const char *field, pprl_kind kind, const char *v,
                      size_t n, char *out) {
    out[0] = 0;
    long k = normal(p, kind, 0, v, n);
    if (k < 0) return (size_t)-1;
    if (k == 0) return 0;
    unsigned char h[16];
    keyed_hash(h, sizeof h, p->key, "ps1", field, p->b, (size_t)k);
    memcpy(out, "ps1-", 4);
    sodium_bin2hex(out + 4, 33, h, sizeof h);
    return PPRL_PSEUDO_LEN;
}

int pprl_is_pseudonym(const char *v, size_t n) {
    if (n != PPRL_PSEUDO_LEN || memcmp(v, "ps1-", 4)) return 0;
    for (size_t i = 4; i < n; i++)
        if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
            return 0;
    return 1;
}

void pprl_rec_begin(pprl_rec *r) {
    memset(r->clk, 0, sizeof r->clk);
    for (int i = 0; i < PPRL_NROLES; i++)
        r->key[i][0] = 0;
}

/* The token key of FIELD and PART: a BLAKE2b of both keyed with the link
 * key, made once per run. */
static pprl_state *state_get(pprl *p, const char *field, char part) {
    for (int i = 0; i < p->nstates; i++)
        if (p->states[i].field == field && p->states[i].part == part)
            return &p->states[i];
    /* the fields and parts of one schema are far fewer than the slots */
    pprl_state *s = &p->states[p->nstates < PPRL_MAX_STATES ? p->nstates++ : 0];
    keyed_hash(s->key, sizeof s->key, p->link_key, "clk1", field, &part, 1);
    s->field = field;
    s->part = part;
    return s;
}

static const unsigned char *state_of(pprl *p, const char *field, char part) {
    return state_get(p, field, part)->key;
}

/* The CLK's segments: [first bit, bits) of each. */
static const unsigned seg_at[PPRL_NSEGS][2] = {
    {0, 384}, {384, 192}, {576, 64}, {640, 128}, {768, 128}, {896, 128}};

/* Sets K bits of segment SEG of R for token T (N bytes) under token key
 * KEY: 8 positions per SipHash call, the token and the call's number
 * hashed ("random hashing": no position is derived from another). */
static void set_bits(pprl_rec *r, int seg, const unsigned char *key,
                     const char *t, size_t n, int k) {
    unsigned char buf[PPRL_TOKEN_MAX + 1], h[16];
    if (n > PPRL_TOKEN_MAX) n = PPRL_TOKEN_MAX;
    memcpy(buf, t, n);
    for (int i = 0; i < k; i++) {
        if (i % 8 == 0) {
            buf[n] = (unsigned char)(i / 8);
            crypto_shorthash_siphashx24(h, buf, n + 1, key);
        }
        unsigned j = (unsigned)(i % 8) * 2;
        unsigned pos =
            seg_at[seg][0] +
            ((unsigned)h[j] | (unsigned)h[j + 1] << 8) % seg_at[seg][1];
        r->clk[pos >> 3] |= (uint8_t)(1u << (pos & 7));
    }
}

/* The q-grams of S (N bytes), padded with a space at each end. */
static void add_qgrams(pprl_rec *r, int seg, pprl_state *st, const char *s,
                       size_t n, int k) {
    if (!n) return;
    /* a q-gram's positions are hashed once per run and kept: the same few
     * thousand q-grams make up every name */
    if (k <= 8 && !st->qg) {
        st->qg = malloc(65536 * 16);
        st->have = calloc(65536, 1);
        if (!st->qg || !st->have) {
            free(st->qg);
            free(st->have);
            st->qg = st->have = NULL;
        }
    }
    unsigned char g[3];
    for (size_t i = 0; i <= n; i++) {
        g[0] = i ? (unsigned char)s[i - 1] : ' ';
        g[1] = i < n ? (unsigned char)s[i] : ' ';
        if (k > 8 || !st->qg) {
            set_bits(r, seg, st->key, (const char *)g, 2, k);
            continue;
        }
        unsigned ix = (unsigned)g[0] << 8 | g[1];
        uint8_t *h = st->qg + (size_t)ix * 16;
        if (!st->have[ix]) { /* as set_bits: the q-gram and call number 0 */
            g[2] = 0;
            crypto_shorthash_siphashx24(h, g, 3, st->key);
            st->have[ix] = 1;
        }
        for (int j = 0; j < k; j++) {
            unsigned pos = seg_at[seg][0] +
                           ((unsigned)h[2 * j] | (unsigned)h[2 * j + 1] << 8) %
                               seg_at[seg][1];
            r->clk[pos >> 3] |= (uint8_t)(1u << (pos & 7));
        }
    }
}

int pprl_rec_add(pprl *p, pprl_rec *r, const char *field, pprl_kind kind,
                 pprl_role role, const char *v, size_t n) {
    long k = normal(p, kind, role == PPRL_ROLE_FATHER, v, n);
    if (k < 0) return -1;
    if (k == 0) return 0;
    /* given and family names under one key: written the other way round
     * they set the same bits; the father's name apart */
    const char *dom = role == PPRL_ROLE_FAMILY || role == PPRL_ROLE_GIVEN
                          ? name_domain
                          : field;
    if (kind == PPRL_DATE && k == 8 && !memcmp(p->b + 4, "0101", 4))
        k = 4; /* 1 January: the year only (YYYY-01-01 stands for YYYY) */
    if (kind == PPRL_DATE) {
        static const char tag[] = "ymd";
        static const int at[] = {0, 4, 6, 8};
        char t[12];
        for (int i = 0; i < 3 && k >= at[i + 1]; i++) {
            t[0] = tag[i];
            memcpy(t + 1, p->b + at[i], (size_t)(at[i + 1] - at[i]));
            set_bits(r, i ? PPRL_SEG_DAY : PPRL_SEG_YEAR, state_of(p, dom, 'd'),
                     t, (size_t)(1 + at[i + 1] - at[i]), W(PPRL_K_DATE));
        }
        if (k >= 4) { /* a year off by one shares one of two tokens */
            int y = atoi((char[5]){p->b[0], p->b[1], p->b[2], p->b[3], 0});
            for (int d = 0; d < 2; d++) {
                int n2 = snprintf(t, sizeof t, "b%d", y + d);
                set_bits(r, PPRL_SEG_YEAR, state_of(p, dom, 'd'), t, (size_t)n2,
                         W(PPRL_K_DATE));
            }
        }
        if (k >= 8) { /* day and month the other way round */
            int sw = memcmp(p->b + 4, p->b + 6, 2) > 0;
            t[0] = 's';
            memcpy(t + 1, p->b + (sw ? 6 : 4), 2);
            memcpy(t + 3, p->b + (sw ? 4 : 6), 2);
            set_bits(r, PPRL_SEG_DAY, state_of(p, dom, 'd'), t, 5,
                     W(PPRL_K_DATE));
        }
        if (k >= 8) { /* the whole date agreeing counts more than parts */
            t[0] = 'f';
            memcpy(t + 1, p->b, 8);
            set_bits(r, PPRL_SEG_DAY, state_of(p, dom, 'd'), t, 9,
                     W(PPRL_K_FULL));
        }
    } else if (kind == PPRL_NAME) {
        int f = role == PPRL_ROLE_FATHER;
        add_qgrams(r, f ? PPRL_SEG_FATHER : PPRL_SEG_NAME,
                   state_get(p, dom, 't'), p->a, strlen(p->a),
                   f ? W(PPRL_K_FTEXT) : W(PPRL_K_TEXT));
        add_qgrams(r, f ? PPRL_SEG_FATHER : PPRL_SEG_NAME,
                   state_get(p, dom, 'k'), p->b, (size_t)k,
                   f ? W(PPRL_K_FSKEL) : W(PPRL_K_SKEL));
        /* whole words: two names sharing q-grams (Ahmadi, Ahmed) agree
         * less than two sharing a word */
        for (const char *w = p->b, *e; *w; w = *e ? e + 1 : e) {
            e = strchr(w, ' ');
            if (!e) e = w + strlen(w);
            set_bits(r, f ? PPRL_SEG_FATHER : PPRL_SEG_NAME,
                     state_of(p, dom, 'w'), w, (size_t)(e - w), W(PPRL_K_WORD));
        }
    } else {
        int seg = role == PPRL_ROLE_ID ? PPRL_SEG_ID : PPRL_SEG_OTHER;
        add_qgrams(r, seg, state_get(p, dom, 't'), p->b, (size_t)k,
                   W(seg == PPRL_SEG_ID ? PPRL_K_ID : PPRL_K_OTHER));
        if (seg == PPRL_SEG_ID)
            set_bits(r, seg, state_of(p, dom, 'f'), p->b, (size_t)k,
                     W(PPRL_K_IDFULL));
    }
    if (role != PPRL_ROLE_NONE && !r->key[role][0]) {
        snprintf(r->key[role], sizeof r->key[role], "%.255s", p->b);
    }
    return 0;
}

void pprl_rec_clk(const pprl_rec *r, char *out) {
    sodium_bin2base64(out, PPRL_CLK_B64, r->clk, sizeof r->clk,
                      sodium_base64_VARIANT_ORIGINAL);
}

size_t pprl_rec_block(pprl *p, const pprl_rec *r, int i, char *out) {
    char names[520], sorted[520], text[1100];
    const char *fam = r->key[PPRL_ROLE_FAMILY], *giv = r->key[PPRL_ROLE_GIVEN],
               *fat = r->key[PPRL_ROLE_FATHER], *dob = r->key[PPRL_ROLE_DOB],
               *id = r->key[PPRL_ROLE_ID];
    out[0] = 0;
    int nl = snprintf(names, sizeof names, "%s %s", fam, giv);
    size_t sl = norm_sorted_tokens(names, (size_t)nl, sorted, sizeof sorted);
    size_t dl = strlen(dob);
    char initials[64];
    size_t il = 0;
    for (size_t j = 0; j < sl && il + 1 < sizeof initials; j++)
        if (sorted[j] != ' ' && (j == 0 || sorted[j - 1] == ' '))
            initials[il++] = sorted[j];
    initials[il] = 0;
    int ok = 0;
    switch (i) {
    case 0: /* the names and the birth year */
        ok = sl && dl >= 4;
        snprintf(text, sizeof text, "%s|%.4s", sorted, dob);
        break;
    case 1: /* the names and the father's name */
        ok = sl && fat[0];
        snprintf(text, sizeof text, "%s|%s", sorted, fat);
        break;
    case 2: /* the names and the day of the year of birth */
        ok = sl && dl >= 8;
        snprintf(text, sizeof text, "%s|%.4s", sorted, dl >= 8 ? dob + 4 : "");
        break;
    case 3: /* the father's name and the birth date */
        ok = fat[0] && dl >= 8;
        snprintf(text, sizeof text, "%s|%s", fat, dob);
        break;
    case 4: /* the birth date and the initials */
        ok = dl >= 8 && il;
        snprintf(text, sizeof text, "%s|%s", dob, initials);
        break;
    case 6: /* the birth date alone (a name may change between files) */
        ok = dl >= 8;
        snprintf(text, sizeof text, "%s", dob);
        break;
    case 7: /* the family name and the birth year */
        ok = fam[0] && dl >= 4;
        snprintf(text, sizeof text, "%s|%.4s", fam, dob);
        break;
    case 8: /* the names alone (no birth date, no father: rare names) */
        ok = sl > 0;
        snprintf(text, sizeof text, "%s", sorted);
        break;
    default: /* the document number */
        ok = strlen(id) >= 5;
        snprintf(text, sizeof text, "%s", id);
        break;
    }
    if (!ok || !p->has_link) return 0;
    /* SipHash under a key of its own per blocking key (as for q-grams) */
    unsigned char h[crypto_shorthash_siphashx24_BYTES];
    crypto_shorthash_siphashx24(h, (const unsigned char *)text, strlen(text),
                                state_of(p, block_domain, (char)('0' + i)));
    sodium_bin2hex(out, PPRL_BLOCK_LEN + 1, h, PPRL_BLOCK_LEN / 2);
    return PPRL_BLOCK_LEN;
}

double pprl_dice(const uint8_t *a, const uint8_t *b) {
    unsigned na = 0, nb = 0, nab = 0;
    for (size_t i = 0; i < PPRL_CLK_BYTES; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        na += (unsigned)__builtin_popcountll(x);
        nb += (unsigned)__builtin_popcountll(y);
        nab += (unsigned)__builtin_popcountll(x & y);
    }
    return na + nb ? 2.0 * nab / (na + nb) : 0.0;
}

/* Agreement weight of each segment, and the Dice at which a segment
 * neither speaks for nor against a match. */
static double seg_weight[PPRL_NSEGS] = {2.0, 1.5, 1.0, 2.5, 3.0, 1.5};
#define PPRL_NEUTRAL 0.5

double pprl_score(const uint8_t *a, const uint8_t *b) {
    double score = 0;
    for (int s = 0; s < PPRL_NSEGS; s++) {
        unsigned na = 0, nb = 0, nab = 0;
        for (unsigned i = seg_at[s][0] / 64;
             i < (seg_at[s][0] + seg_at[s][1]) / 64; i++) {
            uint64_t x, y;
            memcpy(&x, a + 8 * i, 8);
            memcpy(&y, b + 8 * i, 8);
            na += (unsigned)__builtin_popcountll(x);
            nb += (unsigned)__builtin_popcountll(y);
            nab += (unsigned)__builtin_popcountll(x & y);
        }
        if (!na || !nb) continue; /* missing on one side: says nothing */
        double d = 2.0 * nab / (na + nb);
        double f = (d - PPRL_NEUTRAL) / (0.9 - PPRL_NEUTRAL);
        score += seg_weight[s] * (f > 1 ? 1 : f < -1 ? -1 : f);
    }
    return score;
}

/* ---- linkage ---- */

/* A row under one blocking key. */
typedef struct pprl_entry {
    uint64_t key; /* the blocking key */
    uint32_t row; /* row index */
} pprl_entry;

/* A pair at or above the threshold. */
typedef struct pprl_pair {
    uint32_t a, b; /* rows, a < b */
    float dice;    /* similarity */
} pprl_pair;

struct pprl_link {
    uint8_t *clk;        /* per row: CLK, PPRL_CLK_BYTES */
    uint8_t *has;        /* per row: it has a CLK */
    uint16_t *file;      /* per row: input index */
    size_t n, cap;       /* rows and capacity */
    pprl_entry *ent;     /* (blocking key, row) */
    size_t nent, capent; /* use and size */
    uint32_t *parent;    /* union-find, then cluster numbers */
    float *score;        /* per row: best Dice joining it, or -1 */
};

pprl_link *pprl_link_new(void) {
    return calloc(1, sizeof(pprl_link));
}

void pprl_link_free(pprl_link *l) {
    if (!l) return;
    free(l->clk);
    free(l->has);
    free(l->file);
    free(l->ent);
    free(l->parent);
    free(l->score);
    free(l);
}

static uint64_t block_hash(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

int pprl_link_add(pprl_link *l, int file, const char *clk, size_t clk_n,
                  const char *const *blk, const size_t *blk_n, size_t nb) {
    size_t cap = l->cap;
    if (l->n >= UINT32_MAX - 1) return -1;
    if (buf_grow(&l->clk, &cap, l->n + 1, PPRL_CLK_BYTES)) return -1;
    cap = l->cap;
    if (buf_grow(&l->has, &cap, l->n + 1, 1)) return -1;
    cap = l->cap;
    if (buf_grow(&l->file, &l->cap, l->n + 1, sizeof *l->file)) return -1;
    uint8_t *c = l->clk + l->n * PPRL_CLK_BYTES;
    size_t len = 0;
    const char *end = NULL;
    l->has[l->n] = 0;
    if (clk_n) {
        if (sodium_base642bin(c, PPRL_CLK_BYTES, clk, clk_n, " ", &len, &end,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            len != PPRL_CLK_BYTES || end != clk + clk_n)
            return -1;
        l->has[l->n] = 1;
    }
    l->file[l->n] = (uint16_t)file;
    for (size_t i = 0; clk_n && i < nb; i++) {
        if (!blk_n[i]) continue;
        if (buf_grow(&l->ent, &l->capent, l->nent + 1, sizeof *l->ent))
            return -1;
        /* the column takes part: blk1 and blk2 never share a key */
        l->ent[l->nent++] = (pprl_entry){block_hash(blk[i], blk_n[i]) ^
                                             (0x9E3779B97F4A7C15ull * (i + 1)),
                                         (uint32_t)l->n};
    }
    l->n++;
    return 0;
}

static int ent_cmp(const void *a, const void *b) {
    const pprl_entry *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

static int pair_rows(const void *a, const void *b) {
    const pprl_pair *x = a, *y = b;
    if (x->a != y->a) return x->a < y->a ? -1 : 1;
    return (x->b > y->b) - (x->b < y->b);
}

static int pair_best(const void *a, const void *b) {
    const pprl_pair *x = a, *y = b;
    if (x->dice != y->dice) return x->dice > y->dice ? -1 : 1;
    return pair_rows(a, b);
}

static uint32_t find(uint32_t *parent, uint32_t i) {
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

void pprl_link_run(pprl_link *l, double threshold, int one_per_file,
                   size_t max_block, pprl_link_stats *st) {
    memset(st, 0, sizeof *st);
    if (l->nent) qsort(l->ent, l->nent, sizeof *l->ent, ent_cmp);
    pprl_pair *pairs = NULL;
    size_t np = 0, cp = 0;
    for (size_t i = 0; i < l->nent;) {
        size_t j = i + 1;
        while (j < l->nent && l->ent[j].key == l->ent[i].key)
            j++;
        if (j - i > max_block) {
            st->big_blocks++;
            st->big_rows += j - i;
            i = j;
            continue;
        }
        for (size_t a = i; a < j; a++)
            for (size_t b = a + 1; b < j; b++) {
                uint32_t ra = l->ent[a].row, rb = l->ent[b].row;
                if (one_per_file && l->file[ra] == l->file[rb]) continue;
                st->compared++;
                double d = pprl_score(l->clk + (size_t)ra * PPRL_CLK_BYTES,
                                      l->clk + (size_t)rb * PPRL_CLK_BYTES);
                if (d < threshold) continue;
                if (buf_grow(&pairs, &cp, np + 1, sizeof *pairs)) continue;
                pairs[np++] = (pprl_pair){ra, rb, (float)d};
            }
        i = j;
    }
    /* a pair under several keys counts once */
    if (np) qsort(pairs, np, sizeof *pairs, pair_rows);
    size_t u = 0;
    for (size_t i = 0; i < np; i++)
        if (!u || pairs[i].a != pairs[u - 1].a || pairs[i].b != pairs[u - 1].b)
            pairs[u++] = pairs[i];
    np = u;
    st->accepted = np;
    if (np) qsort(pairs, np, sizeof *pairs, pair_best);
    free(l->parent);
    free(l->score);
    l->parent = malloc((l->n + 1) * sizeof *l->parent);
    l->score = malloc((l->n + 1) * sizeof *l->score);
    uint64_t *files = one_per_file ? calloc(l->n + 1, sizeof *files) : NULL;
    uint32_t *ring = malloc((l->n + 1) * sizeof *ring); /* cluster members */
    if (!l->parent || !l->score || (one_per_file && !files) || !ring) {
        free(pairs);
        free(files);
        free(ring);
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        l->parent[i] = (uint32_t)i;
        l->score[i] = -1;
        if (files) files[i] = 1ull << (l->file[i] & 63);
        ring[i] = (uint32_t)i;
        st->no_clk += !l->has[i];
    }
    double floor = threshold - PPRL_COMPLETE_MARGIN;
    for (size_t i = 0; i < np; i++) {
        uint32_t ra = find(l->parent, pairs[i].a),
                 rb = find(l->parent, pairs[i].b);
        if (ra == rb) continue;
        if (files && (files[ra] & files[rb])) continue;
        /* no chains: every row of one cluster must agree with every row
         * of the other; without this, namesakes join into clusters of
         * thousands in a file of a million rows */
        int ok = 1;
        uint32_t x = ra, y;
        do {
            y = rb;
            do {
                ok = (x == pairs[i].a && y == pairs[i].b) ||
                     (x == pairs[i].b && y == pairs[i].a) ||
                     pprl_score(l->clk + (size_t)x * PPRL_CLK_BYTES,
                                l->clk + (size_t)y * PPRL_CLK_BYTES) >= floor;
                y = ring[y];
            } while (ok && y != rb);
            x = ring[x];
        } while (ok && x != ra);
        if (!ok) {
            st->refused++;
            continue;
        }
        if (files) {
            files[ra] |= files[rb];
            files[rb] = files[ra];
        }
        uint32_t t = ring[ra]; /* splice the two member rings */
        ring[ra] = ring[rb];
        ring[rb] = t;
        l->parent[rb] = ra;
        if (pairs[i].dice > l->score[pairs[i].a])
            l->score[pairs[i].a] = pairs[i].dice;
        if (pairs[i].dice > l->score[pairs[i].b])
            l->score[pairs[i].b] = pairs[i].dice;
    }
    free(files);
    free(ring);
    free(pairs);
    /* cluster numbers by first row: a root's number is kept in the root's
     * score-free slot of a second array */
    uint32_t *num = malloc((l->n + 1) * sizeof *num);
    if (!num) return;
    uint32_t next = 0;
    for (size_t i = 0; i < l->n; i++)
        num[i] = UINT32_MAX;
    for (size_t i = 0; i < l->n; i++) {
        uint32_t r = find(l->parent, (uint32_t)i);
        if (num[r] == UINT32_MAX) num[r] = next++;
        num[i] = num[r];
    }
    /* num[i] for a non-root i was set after its root: every row has one */
    memcpy(l->parent, num, l->n * sizeof *num);
    free(num);
}

size_t pprl_link_cluster(const pprl_link *l, size_t i) {
    return l->parent ? l->parent[i] : i;
}

double pprl_link_score(const pprl_link *l, size_t i) {
    return l->score ? l->score[i] : -1;
}

size_t pprl_link_rows(const pprl_link *l) {
    return l->n;
}
