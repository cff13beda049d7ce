/*
 * fold.c: see fold.h.
 *
 * Performance: fold_label() is on the per-row path of merge (recode keys).
 * ASCII is lower-cased while copied; Arabic-script text, ZW marks and
 * Bengali digits are folded byte by byte without ICU; only other text
 * pays for NFKC_Casefold (about a microsecond a value), behind a cache of
 * recent folds.
 */
#include "fold.h"
#include "buf.h"
#include "calendar.h"
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

struct fold_ctx {
    char *fbuf;                  /* folded UTF-8 */
    size_t fcap;                 /* its size */
    UChar *ua, *ub;              /* UTF-16 scratch */
    int32_t uacap, ubcap;        /* their sizes in UChars */
    const UNormalizer2 *nfkc_cf; /* ICU NFKC_Casefold, NULL until needed */
    struct fold_cache *cache;    /* recent non-ASCII folds; NULL until needed */
};

unsigned fold_arabic(unsigned c) {
    if (c < 0x00AD) return c;
    if (c >= 0x064B && c <= 0x065F) /* harakat, hamza and madda marks */
        return FOLD_DROP;
    if (c >= 0x06D6 && c <= 0x06ED) /* Quranic annotation marks */
        return FOLD_DROP;
    switch (c) {
    case 0x0623: /* alef forms */
    case 0x0625:
    case 0x0622:
    case 0x0671:
    case 0x0672:
    case 0x0673:
        return 0x0627;
    case 0x064A: /* yeh forms -> Persian yeh */
    case 0x0649:
    case 0x06D0:
    case 0x06CD:
    case 0x06D2:
    case 0x06D3:
    case 0x06CE:
        return 0x06CC;
    case 0x0643: /* kaf -> keheh */
        return 0x06A9;
    case 0x06C1: /* heh forms, teh marbuta -> heh */
    case 0x06BE:
    case 0x06D5:
    case 0x06C0:
    case 0x06C2:
    case 0x06C3:
    case 0x0629:
        return 0x0647;
    case 0x0624: /* waw with hamza, Kurdish o -> waw */
    case 0x06C6:
        return 0x0648;
    case 0x0640: /* tatweel, superscript alef, joiners, bidi marks */
    case 0x0670:
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x200E:
    case 0x200F:
    case 0x061C:
    case 0x202A:
    case 0x202B:
    case 0x202C:
    case 0x202D:
    case 0x202E:
    case 0x2066:
    case 0x2067:
    case 0x2068:
    case 0x2069:
    case 0x2060:
    case 0xFEFF:
    case 0x00AD:
        return FOLD_DROP;
    default:
        return c;
    }
}

fold_ctx *fold_open(void) {
    return calloc(1, sizeof(fold_ctx));
}

void fold_close(fold_ctx *m) {
    if (!m) return;
    free(m->fbuf);
    free(m->ua);
    free(m->ub);
    free(m->cache);
    free(m);
}

/* Trims and collapses ASCII whitespace in place; returns the new length. */
static size_t squeeze(char *s, size_t n) {
    size_t o = 0;
    int space = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
            c == '\f') {
            if (!space) s[o++] = ' ';
            space = 1;
        } else {
            s[o++] = (char)c;
            space = 0;
        }
    }
    if (o && s[o - 1] == ' ') o--;
    return o;
}

/* Code points of the Arabic block that NFKC_Casefold leaves alone and that
 * take part in no composition or reordering, so that fold_utf8_fast may
 * handle them without ICU. Excluded: the prepended number signs
 * (U+0600-0605), the combining hamza and madda and other marks that
 * compose or reorder (U+0653-065F, U+06D6-06ED), and the high-hamza
 * letters with compatibility decompositions (U+0675-0678), and the
 * separators cal_digits_to_ascii converts. */
static int arabic_stable(unsigned cp) {
    if (cp <= 0x0605) return 0;
    /* date, decimal and thousands separators: made ASCII by
     * cal_digits_to_ascii on the ICU path */
    if (cp == 0x060D || cp == 0x066B || cp == 0x066C) return 0;
    if (cp >= 0x0653 && cp <= 0x065F) return 0;
    if (cp >= 0x0675 && cp <= 0x0678) return 0;
    if (cp >= 0x06D6 && cp <= 0x06ED) return 0;
    return 1;
}

/* The fold without ICU for text of ASCII, the Arabic block (above),
 * ZWNJ/ZWJ/bidi marks, BOM and Bengali digits: what NFKC_Casefold would
 * do to those is lower-casing ASCII and dropping the default-ignorables,
 * so the result equals the ICU path's (tests/unit/test_map.c compares the
 * two for every code point of the block). Writes to m->fbuf (capacity
 * >= n + 1); returns 0 with *OUTN set, or -1 when the text needs ICU. */
static int fold_utf8_fast(fold_ctx *m, const char *s, size_t n, size_t *outn) {
    const unsigned char *u = (const unsigned char *)s;
    char *o = m->fbuf;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        if (c < 0x80) {
            o[k++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            i++;
        } else if (c >= 0xD8 && c <= 0xDB && i + 1 < n &&
                   (u[i + 1] & 0xC0) == 0x80) {
            unsigned cp = ((c & 0x1F) << 6) | (u[i + 1] & 0x3F);
            i += 2;
            if (!arabic_stable(cp)) return -1;
            if (cp >= 0x0660 && cp <= 0x0669) {
                o[k++] = (char)('0' + cp - 0x0660);
                continue;
            }
            if (cp >= 0x06F0 && cp <= 0x06F9) {
                o[k++] = (char)('0' + cp - 0x06F0);
                continue;
            }
            cp = fold_arabic(cp);
            if (cp == FOLD_DROP) continue;
            o[k++] = (char)(0xC0 | (cp >> 6));
            o[k++] = (char)(0x80 | (cp & 0x3F));
        } else if (c == 0xE2 && i + 2 < n && u[i + 1] == 0x80 &&
                   u[i + 2] >= 0x8C && u[i + 2] <= 0x8F) {
            i += 3; /* ZWNJ, ZWJ, LRM, RLM */
        } else if (c == 0xEF && i + 2 < n && u[i + 1] == 0xBB &&
                   u[i + 2] == 0xBF) {
            i += 3; /* BOM / zero-width no-break space */
        } else if (c == 0xE0 && i + 2 < n && u[i + 1] == 0xA7 &&
                   u[i + 2] >= 0xA6 && u[i + 2] <= 0xAF) {
            o[k++] = (char)('0' + u[i + 2] - 0xA6); /* Bengali digit */
            i += 3;
        } else {
            return -1;
        }
    }
    *outn = squeeze(o, k);
    return 0;
}

/* A direct-mapped cache of non-ASCII folds. National files repeat a few
 * hundred labels millions of times; ICU normalisation costs about a
 * microsecond a value, a cache probe a hash of the bytes. */
#define FOLD_CACHE_SLOTS 4096 /* power of two */
#define FOLD_CACHE_IN 64      /* longest input cached, in bytes */
#define FOLD_CACHE_OUT 192    /* longest fold cached, in bytes */
typedef struct fold_entry {
    uint64_t hash;               /* hash of the input; 0 = empty */
    unsigned char inlen, outlen; /* lengths */
    char in[FOLD_CACHE_IN];      /* the input bytes */
    char out[FOLD_CACHE_OUT];    /* its fold */
} fold_entry;
struct fold_cache {
    fold_entry e[FOLD_CACHE_SLOTS]; /* slots by hash */
};

const char *fold_label(fold_ctx *m, const char *s, size_t n, size_t *outn) {
    *outn = 0;
    if (buf_grow(&m->fbuf, &m->fcap, n + 1, 1)) return "";
    /* ASCII fast path: lower-case while copying, no digit or ICU pass */
    size_t i = 0;
    for (; i < n; i++) {
        char c = s[i];
        if ((unsigned char)c >= 0x80) break;
        m->fbuf[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    if (i == n) {
        *outn = squeeze(m->fbuf, n);
        return m->fbuf;
    }
    /* Arabic-script text and digits: no ICU (a case number like
     * "ق-۰۰۱۲" differs on every row and would miss the cache below) */
    if (fold_utf8_fast(m, s, n, outn) == 0) return m->fbuf;
    size_t k = cal_digits_to_ascii(s, n, m->fbuf, n + 1);
    int ascii = 1;
    for (size_t j = 0; j < k; j++)
        if ((unsigned char)m->fbuf[j] >= 0x80) {
            ascii = 0;
            break;
        }
    if (ascii) {
        for (size_t j = 0; j < k; j++) {
            char c = m->fbuf[j];
            if (c >= 'A' && c <= 'Z') m->fbuf[j] = (char)(c + 32);
        }
        *outn = squeeze(m->fbuf, k);
        return m->fbuf;
    }
    fold_entry *ce = NULL;
    uint64_t ch = 0;
    if (n <= FOLD_CACHE_IN) {
        if (!m->cache) m->cache = calloc(1, sizeof *m->cache);
        if (m->cache) {
            ch = strmap_hash(s, n);
            ce = &m->cache->e[ch & (FOLD_CACHE_SLOTS - 1)];
            if (ce->hash == ch && ce->inlen == n && !memcmp(ce->in, s, n)) {
                *outn = ce->outlen;
                return ce->out;
            }
        }
    }
    UErrorCode st = U_ZERO_ERROR;
    if (!m->nfkc_cf) {
        m->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
        if (U_FAILURE(st)) {
            m->nfkc_cf = NULL;
            return "";
        }
    }
    int32_t ulen = 0;
    if (buf_grow_i32(&m->ua, &m->uacap, k + 1, sizeof(UChar))) return "";
    u_strFromUTF8WithSub(m->ua, m->uacap, &ulen, m->fbuf, (int32_t)k, 0xFFFD,
                         NULL, &st);
    if (U_FAILURE(st)) return "";
    int32_t blen;
    for (;;) {
        st = U_ZERO_ERROR;
        blen = unorm2_normalize(m->nfkc_cf, m->ua, ulen, m->ub, m->ubcap, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            if (buf_grow_i32(&m->ub, &m->ubcap, (size_t)blen + 1,
                             sizeof(UChar)))
                return "";
            continue;
        }
        if (U_FAILURE(st)) return "";
        break;
    }
    int32_t o = 0;
    for (int32_t i = 0; i < blen; i++) {
        unsigned c = fold_arabic(m->ub[i]);
        if (c != FOLD_DROP) m->ub[o++] = (UChar)c;
    }
    /* back to UTF-8: at most 3 bytes per UTF-16 unit */
    size_t need = (size_t)o * 3 + 1;
    if (buf_grow(&m->fbuf, &m->fcap, need, 1)) return "";
    int32_t n8 = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8(m->fbuf, (int32_t)m->fcap, &n8, m->ub, o, &st);
    if (U_FAILURE(st)) return "";
    /* NFKC turned exotic spaces into U+0020; digits were ASCII already, but
     * NFKC may map other digit forms, which is fine */
    *outn = squeeze(m->fbuf, (size_t)n8);
    if (ce && *outn <= FOLD_CACHE_OUT) {
        ce->hash = ch;
        ce->inlen = (unsigned char)n;
        memcpy(ce->in, s, n);
        ce->outlen = (unsigned char)*outn;
        memcpy(ce->out, m->fbuf, *outn);
    }
    return m->fbuf;
}
