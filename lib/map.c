/*
 * map.c: the crosswalk compiler and per-row mapper behind relec merge. The
 * language is documented in schemas/maps.md.
 *
 * Performance: loading is done once and may allocate freely. Per row the
 * work is, per mapped field, one trim, at most one fold (ASCII fast path;
 * ICU only for non-ASCII text) and one strmap probe, all into buffers that
 * only grow; a 5-million-row merge therefore costs no malloc after the
 * first rows. Unknown markers are only folded and probed when the value is
 * no longer than the longest marker.
 */
#include "map.h"
#include "calendar.h"
#include "catalog.h"
#include "mask.h"
#include "strmap.h"
#include "ydoc.h"

#include <libgen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#define MAP_MASKED SIZE_MAX /* fvoff of a finding whose value is a mask */

/* Where a rule's raw value comes from. */
enum { SRC_NONE, SRC_COLUMN, SRC_CONST, SRC_TEMPLATE };
/* What is done to the raw value. */
enum { CONV_NONE, CONV_RECODE, CONV_COUNTRY, CONV_DATE, CONV_INTEGER };
/* What happens to a value the conversion cannot place. */
enum { UNPLACED_REJECT, UNPLACED_KEEP, UNPLACED_EMPTY };
/* Template parts. */
enum { PART_LIT, PART_COL, PART_FIELD, PART_ROW, PART_SOURCE };
/* Template modifiers. */
enum { MOD_NONE, MOD_YEAR, MOD_MONTH, MOD_UPPER, MOD_ID };

/* strmap value for a label that more than one code claims. */
#define AMBIGUOUS UINT64_MAX

/* One piece of a template. */
typedef struct map_part {
    int kind;   /* PART_* */
    int mod;    /* MOD_* */
    char *lit;  /* PART_LIT: the text (owned) */
    size_t len; /* its length */
    int idx;    /* PART_COL: column slot; PART_FIELD: field index */
} map_part;

/* A recode table: folded labels to codes. */
typedef struct map_table {
    char *name;    /* name in recodes:, or "field NAME" for inline ones */
    strmap keys;   /* folded label -> index + 1 into map.vals, or AMBIGUOUS */
    int explicit_; /* 1 once entries of the map itself are in */
} map_table;

/* How one standard field is filled. */
typedef struct map_rule {
    int field;        /* target field index in the schema */
    int line, col;    /* where the map defines it */
    int src;          /* SRC_* */
    int colslot;      /* SRC_COLUMN: index into map.cols */
    char *constant;   /* SRC_CONST: the value (owned) */
    map_part *parts;  /* SRC_TEMPLATE: pieces (owned) */
    size_t nparts;    /* entries in parts */
    int conv;         /* CONV_* */
    map_table *table; /* CONV_RECODE: the table (owned by map.tables) */
    const schema_codelist *codes; /* the field's code list, or NULL */
    char date_fmt[32];            /* CONV_DATE: a cal_parse_date_fmt format */
    char split[8];   /* source list separators; "" = a single value */
    char join;       /* separator of the standard list field */
    int digits;      /* non-ASCII digits to ASCII (dates, integers: on) */
    int unplaced;    /* UNPLACED_* */
    char *dflt;      /* value when empty or unknown (owned); NULL = none */
    char **unknown;  /* extra folded unknown markers (owned) */
    size_t nunknown; /* entries in unknown */
    char *msg;       /* finding message for an unplaced value (owned) */
    int intcodes;    /* integer field with a recode: labels give counts
                        or the field's allow: literals ("<5"); other
                        values are read as whole numbers */
    struct map_vcache *vc; /* SRC_COLUMN: raw value -> mapped value (owned,
                              allocated on first use) */
} map_rule;

/* A source column the map reads. */
typedef struct map_col {
    char *name;    /* as written in the map (owned) */
    char *folded;  /* folded, for header matching (owned) */
    int line, col; /* first place the map names it */
    int idx;       /* column index in the current file; -1 = absent */
} map_col;

struct map {
    char *path;            /* map file as given (owned) */
    ydoc *doc;             /* the parsed map, kept for positions */
    schema *s;             /* target schema (owned) */
    int validate;          /* validate: true */
    int unplaced;          /* default UNPLACED_* */
    map_rule *rules;       /* evaluation order: columns/constants, templates */
    size_t nrules;         /* entries in rules */
    int *rule_of;          /* field index -> rule index, or -1 */
    map_col *cols;         /* columns read */
    size_t ncols;          /* entries in cols */
    map_table **tables;    /* recode tables (owned) */
    size_t ntables;        /* entries in tables */
    strmap unknown;        /* folded global unknown markers */
    size_t unk_max;        /* longest marker in bytes, before folding * 4 */
    strmap countries;      /* folded name/alpha-2/alpha-3 -> vals index + 1 */
    int have_countries;    /* countries loaded */
    char **vals;           /* code strings the tables point at (owned) */
    size_t nvals, capvals; /* use and size */
    strmap valset;         /* code string -> vals index + 1 (dedup) */
    size_t maxval;         /* longest code in bytes */
    /* per file */
    char *source; /* {#source}: file name without directory (owned) */
    /* per row, reused */
    char *buf;               /* mapped values */
    size_t blen, bcap;       /* use and size */
    size_t *off, *len;       /* per field: value offset and length in buf */
    source_cell *cells;      /* per field, built at the end of map_row */
    char *reason;            /* reject reason */
    size_t rlen, rcap;       /* use and size */
    check_finding *finds;    /* findings of the row */
    size_t *fvoff;           /* per finding: value offset in buf + 1, 0 when
                                the value points into the row, or
                                MAP_MASKED: the value is a mask, after the
                                message in mbuf */
    size_t *fmoff;           /* per finding: message offset in mbuf */
    char *mbuf;              /* finding messages of the row */
    size_t mlen, mcap;       /* use and size */
    size_t nfinds, capfinds; /* use and size */
    long row;                /* current row number */
    int show_personal;       /* findings keep personal values */
    /* fold scratch */
    char *fbuf;                  /* folded UTF-8 */
    size_t fcap;                 /* its size */
    UChar *ua, *ub;              /* UTF-16 scratch */
    int32_t uacap, ubcap;        /* their sizes in UChars */
    const UNormalizer2 *nfkc_cf; /* ICU NFKC_Casefold, NULL until needed */
    struct fold_cache *cache;    /* recent non-ASCII folds; NULL until needed */
    char digits[64]; /* scratch for a date or number in ASCII digits */
};

/* ---------------------------------------------------------------- fold -- */

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int ugrow(UChar **p, int32_t *cap, size_t need) {
    size_t c = (size_t)*cap;
    if (need > INT32_MAX / 2) return -1;
    if (grow((void **)p, &c, need, sizeof(UChar))) return -1;
    *cap = (int32_t)c;
    return 0;
}

/* Unicode letters folded together beyond NFKC_Casefold: Arabic-script
 * variants that national files mix, and marks that carry no meaning for a
 * label. Returns the replacement, or 0 to drop the character. */
static UChar fold_arabic(UChar c) {
    switch (c) {
    case 0x064A:
    case 0x0649:
        return 0x06CC; /* Arabic yeh, alef maksura */
    case 0x0643:
        return 0x06A9; /* Arabic kaf -> keheh */
    case 0x0623:
    case 0x0625:
    case 0x0622:
    case 0x0671:
        return 0x0627;
    case 0x0629:
        return 0x0647; /* teh marbuta -> heh */
    case 0x0640:
    case 0x200C:
    case 0x200D:
    case 0x200E:
    case 0x200F:
    case 0x061C:
    case 0xFEFF:
        return 0; /* tatweel, ZWNJ/ZWJ, bidi */
    default:
        if (c >= 0x064B && c <= 0x0652) return 0; /* harakat */
        if (c == 0x0670) return 0;                /* superscript alef */
        return c;
    }
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

static map fold_static; /* map_fold(NULL, ...) context, for tests */

uint64_t map_hash_bytes(const char *p, size_t n) {
    /* 8 bytes per step (FNV-1a is one byte per step: on 5M rows of
     * ~25 cells it showed as 6% of a merge) */
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)n * 0xff51afd7ed558ccdull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return h ? h : 1;
}

/* Per-rule cache of whole conversions, keyed by the raw (trimmed) bytes of
 * a column value: national files repeat a few hundred labels and dates
 * millions of times, and a hit replaces the unknown-marker test, the fold,
 * the table probe or the date parse by one hash and one compare. Only
 * conversions that placed the value without a finding are stored, so a hit
 * never hides a finding. Direct-mapped (a collision overwrites); a column
 * whose values do not repeat (case numbers) turns its cache off after
 * VCACHE_TRIAL probes with fewer than a quarter hits, and gets another
 * trial with each file (map_header). */
#define VCACHE_SLOTS 1024  /* power of two; 128 KB a rule */
#define VCACHE_IN 48       /* longest raw value cached, in bytes */
#define VCACHE_OUT 69      /* longest mapped value cached, in bytes */
#define VCACHE_UNKNOWN 255 /* outlen of a value that is an unknown marker */
#define VCACHE_TRIAL 4096  /* probes before judging the hit rate */
typedef struct map_vc_entry {
    uint64_t hash;               /* map_hash_bytes of in; 0 = empty */
    unsigned char inlen, outlen; /* lengths; outlen VCACHE_UNKNOWN = marker */
    char in[VCACHE_IN];          /* the raw bytes */
    char out[VCACHE_OUT];        /* the mapped value */
} map_vc_entry;
struct map_vcache {
    map_vc_entry e[VCACHE_SLOTS]; /* slots by hash */
    unsigned long probes, hits;   /* since the last map_header */
    int off;                      /* 1 = not worth it for this file */
};

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
static int fold_utf8_fast(map *m, const char *s, size_t n, size_t *outn) {
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
            cp = fold_arabic((UChar)cp);
            if (!cp) continue;
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

const char *map_fold(map *m, const char *s, size_t n, size_t *outn) {
    if (!m) m = &fold_static;
    *outn = 0;
    if (grow((void **)&m->fbuf, &m->fcap, n + 1, 1)) return "";
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
    if (ugrow(&m->ua, &m->uacap, k + 1)) return "";
    u_strFromUTF8WithSub(m->ua, m->uacap, &ulen, m->fbuf, (int32_t)k, 0xFFFD,
                         NULL, &st);
    if (U_FAILURE(st)) return "";
    int32_t blen;
    for (;;) {
        st = U_ZERO_ERROR;
        blen = unorm2_normalize(m->nfkc_cf, m->ua, ulen, m->ub, m->ubcap, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            if (ugrow(&m->ub, &m->ubcap, (size_t)blen + 1)) return "";
            continue;
        }
        if (U_FAILURE(st)) return "";
        break;
    }
    int32_t o = 0;
    for (int32_t i = 0; i < blen; i++) {
        UChar c = fold_arabic(m->ub[i]);
        if (c) m->ub[o++] = c;
    }
    /* back to UTF-8: at most 3 bytes per UTF-16 unit */
    size_t need = (size_t)o * 3 + 1;
    if (grow((void **)&m->fbuf, &m->fcap, need, 1)) return "";
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

/* A malloc'd copy of the fold of S. */
static char *fold_dup(map *m, const char *s, size_t n, size_t *outn) {
    size_t k;
    const char *f = map_fold(m, s, n, &k);
    char *r = malloc(k + 1);
    if (!r) return NULL;
    memcpy(r, f, k);
    r[k] = 0;
    if (outn) *outn = k;
    return r;
}

/* ---------------------------------------------------------------- load -- */

static int is_integer(const char *p, size_t n);
typedef struct loader loader;
static int check_int_codes(loader *L, const schema_field *f,
                           const ydoc_node *def, const char *tname);

/* Index + 1 of code string V in m->vals, adding it. 0 = out of memory. */
static uint64_t val_index(map *m, const char *v) {
    size_t n = strlen(v);
    int added;
    uint64_t *slot = strmap_put(&m->valset, v, n, &added);
    if (!slot) return 0;
    if (!added) return *slot;
    if (grow((void **)&m->vals, &m->capvals, m->nvals + 1, sizeof *m->vals))
        return 0;
    m->vals[m->nvals] = strdup(v);
    if (!m->vals[m->nvals]) return 0;
    m->nvals++;
    if (n > m->maxval) m->maxval = n;
    *slot = m->nvals;
    return *slot;
}

/* Adds LABEL -> code index VI to KEYS. Explicit entries win over automatic
 * ones; two automatic entries for different codes make the label
 * ambiguous. Returns 0, -1 on out of memory, 1 when an explicit label is
 * given twice for different codes. */
static int add_label(map *m, strmap *keys, const char *label, size_t n,
                     uint64_t vi, int expl) {
    size_t k;
    const char *f = map_fold(m, label, n, &k);
    if (!k) return 0;
    int added;
    uint64_t *slot = strmap_put(keys, f, k, &added);
    if (!slot) return -1;
    /* high bit marks an explicit entry */
    const uint64_t EXPL = 1ull << 62;
    if (added) {
        *slot = vi | (expl ? EXPL : 0);
        return 0;
    }
    uint64_t old = *slot;
    if (old != AMBIGUOUS && (old & ~EXPL) == vi) {
        if (expl) *slot = vi | EXPL;
        return 0;
    }
    if (expl) {
        if (old != AMBIGUOUS && (old & EXPL)) return 1;
        *slot = vi | EXPL;
        return 0;
    }
    if (old != AMBIGUOUS && (old & EXPL)) return 0; /* explicit wins */
    *slot = AMBIGUOUS;
    return 0;
}

/* Strips the explicit mark from a looked-up value. */
static uint64_t slot_val(uint64_t v) {
    return v == AMBIGUOUS ? v : (v & ~(1ull << 62));
}

/* Adds the codes and labels of code list L to table T, automatically. */
static int add_codelist(map *m, strmap *keys, const schema_codelist *l) {
    for (size_t i = 0; l && i < l->ncodes; i++) {
        uint64_t vi = val_index(m, l->codes[i]);
        if (!vi) return -1;
        if (add_label(m, keys, l->codes[i], strlen(l->codes[i]), vi, 0) < 0)
            return -1;
        if (l->labels && l->labels[i] &&
            add_label(m, keys, l->labels[i], strlen(l->labels[i]), vi, 0) < 0)
            return -1;
    }
    return 0;
}

/* Loader state. */
struct loader {
    map *m;        /* map being built */
    ydoc *d;       /* the map file */
    char *dir;     /* directory of the map file (owned) */
    char *err;     /* error buffer */
    size_t errlen; /* its size */
};

static int fail(loader *L, const ydoc_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(loader *L, const ydoc_node *n, const char *fmt, ...) {
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ydoc_fail(L->err, L->errlen, L->d, n, "%s", msg);
}

static int is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Finds the schema a map names: a path relative to the map file, or a
 * record type name looked up as schemas/NAME.yaml from the working
 * directory and from the map's ../../schemas and ../schemas. */
static int load_schema(loader *L, const ydoc_node *n) {
    if (!n || n->kind != YDOC_SCALAR || !n->len)
        return fail(L, n ? n : L->d->root,
                    "the map needs 'schema:', the target schema: a path "
                    "relative to the map (../../schemas/incident.yaml) or a "
                    "name (incident)");
    char path[4096];
    int named = !strchr(n->str, '/') && !strstr(n->str, ".yaml");
    if (!named) {
        if (n->str[0] == '/')
            snprintf(path, sizeof path, "%s", n->str);
        else
            snprintf(path, sizeof path, "%s/%s", L->dir, n->str);
    } else {
        if (catalog_find(n->str, NULL, L->dir, path, sizeof path) == n->str)
            return fail(L, n,
                        "schema '%s' not found (looked in $RELEC_SCHEMAS, "
                        "./schemas, beside the map and the installed "
                        "schemas)",
                        n->str);
    }
    char serr[1024];
    L->m->s = schema_load(path, serr, sizeof serr);
    if (!L->m->s) {
        if (!is_file(path)) return fail(L, n, "cannot open schema '%s'", path);
        return fail(L, n, "schema '%s' does not load: %s", path, serr);
    }
    return 0;
}

/* The global country table: ISO 3166-1 codes, alpha-2 and English names
 * from schemas/codes/iso3166_1_alpha3.yaml beside the schema, then the
 * map's countries: entries (explicit, winning over names). */
static int load_countries(loader *L, const ydoc_node *at) {
    map *m = L->m;
    if (m->have_countries) return 0;
    m->have_countries = 1;
    char *sp = strdup(m->s->path);
    if (!sp) return fail(L, at, "out of memory");
    char path[4096];
    snprintf(path, sizeof path, "%s/codes/iso3166_1_alpha3.yaml", dirname(sp));
    free(sp);
    char e[1024];
    ydoc *d = ydoc_load(path, e, sizeof e);
    if (!d) return fail(L, at, "country names: %s", e);
    const ydoc_node *codes = ydoc_get(d->root, "codes");
    for (size_t i = 0; codes && codes->kind == YDOC_SEQ && i < codes->n; i++) {
        const ydoc_node *c = ydoc_get(codes->items[i], "code");
        if (!c || c->kind != YDOC_SCALAR) continue;
        uint64_t vi = val_index(m, c->str);
        if (!vi) {
            ydoc_free(d);
            return fail(L, at, "out of memory");
        }
        const char *keys[] = {"code", "alpha2", "label"};
        for (size_t k = 0; k < 3; k++) {
            const ydoc_node *v = ydoc_get(codes->items[i], keys[k]);
            if (v && v->kind == YDOC_SCALAR &&
                add_label(m, &m->countries, v->str, v->len, vi, 0) < 0) {
                ydoc_free(d);
                return fail(L, at, "out of memory");
            }
        }
    }
    ydoc_free(d);
    const ydoc_node *extra = ydoc_get(L->d->root, "countries");
    if (!extra) return 0;
    if (extra->kind != YDOC_MAP)
        return fail(L, extra, "countries: expected CODE: [name, ...] pairs");
    for (size_t i = 0; i < extra->n; i++) {
        const ydoc_node *k = extra->items[2 * i], *v = extra->items[2 * i + 1];
        if (k->len != 3 || strspn(k->str, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
            return fail(L, k, "countries: '%s' is not an alpha-3 code", k->str);
        uint64_t vi = val_index(m, k->str);
        const ydoc_node *one, *const *items;
        size_t nn = ydoc_list(v, &one, &items);
        for (size_t j = 0; j < nn; j++) {
            if (items[j]->kind != YDOC_SCALAR)
                return fail(L, items[j], "countries: expected a name");
            int r = add_label(m, &m->countries, items[j]->str, items[j]->len,
                              vi, 1);
            if (r < 0) return fail(L, items[j], "out of memory");
            if (r > 0)
                return fail(L, items[j],
                            "countries: '%s' is given for two countries",
                            items[j]->str);
        }
    }
    return 0;
}

/* Fills table T from a CODE: [labels] mapping, checking codes against L. */
static int fill_table(loader *L, map_table *t, const ydoc_node *n,
                      const schema_codelist *l, const char *field) {
    if (n->kind != YDOC_MAP)
        return fail(L, n, "recode '%s': expected CODE: [label, ...] pairs",
                    t->name);
    for (size_t i = 0; i < n->n; i++) {
        const ydoc_node *k = n->items[2 * i], *v = n->items[2 * i + 1];
        if (k->kind != YDOC_SCALAR)
            return fail(L, k, "recode '%s': expected a code", t->name);
        if (l && schema_code_find(l, k->str, k->len) < 0)
            return fail(L, k,
                        "recode '%s': '%s' is not a code of %s (field "
                        "%s)",
                        t->name, k->str, l->name, field);
        uint64_t vi = val_index(L->m, k->str);
        if (!vi) return fail(L, k, "out of memory");
        const ydoc_node *one, *const *items;
        size_t nn = ydoc_list(v, &one, &items);
        for (size_t j = 0; j < nn; j++) {
            if (items[j]->kind != YDOC_SCALAR)
                return fail(L, items[j], "recode '%s': expected a label",
                            t->name);
            int r =
                add_label(L->m, &t->keys, items[j]->str, items[j]->len, vi, 1);
            if (r < 0) return fail(L, items[j], "out of memory");
            if (r > 0)
                return fail(L, items[j],
                            "recode '%s': label '%s' is given "
                            "for two codes",
                            t->name, items[j]->str);
        }
    }
    t->explicit_ = 1;
    return 0;
}

static map_table *new_table(map *m, const char *name) {
    map_table **v = realloc(m->tables, (m->ntables + 1) * sizeof *v);
    if (!v) return NULL;
    m->tables = v;
    map_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->name = strdup(name);
    m->tables[m->ntables++] = t;
    return t;
}

static map_table *find_table(map *m, const char *name) {
    for (size_t i = 0; i < m->ntables; i++)
        if (!strcmp(m->tables[i]->name, name)) return m->tables[i];
    return NULL;
}

/* Column slot for NAME, adding it. */
static int col_slot(loader *L, const char *name, size_t n,
                    const ydoc_node *at) {
    map *m = L->m;
    size_t k;
    const char *f = map_fold(m, name, n, &k);
    for (size_t i = 0; i < m->ncols; i++)
        if (strlen(m->cols[i].folded) == k && !memcmp(m->cols[i].folded, f, k))
            return (int)i;
    map_col *v = realloc(m->cols, (m->ncols + 1) * sizeof *v);
    if (!v) return fail(L, at, "out of memory"), -1;
    m->cols = v;
    map_col *c = &m->cols[m->ncols];
    c->name = strndup(name, n);
    c->folded = fold_dup(m, name, n, NULL);
    c->line = at->line;
    c->col = at->col;
    c->idx = -1;
    return (int)m->ncols++;
}

/* Parses a template "text {Column} {=field:year} {#row} {#source}". */
/* Frees N parts and their literal texts (error paths of parse_template). */
static void free_parts(map_part *parts, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(parts[i].lit);
    free(parts);
}

static int parse_template(loader *L, map_rule *r, const ydoc_node *n) {
    const char *s = n->str;
    size_t len = n->len, i = 0;
    map_part *parts = NULL;
    size_t np = 0;
    while (i < len) {
        map_part p = {PART_LIT, MOD_NONE, NULL, 0, -1};
        if (s[i] == '{') {
            const char *close = memchr(s + i, '}', len - i);
            if (!close) {
                free_parts(parts, np);
                return fail(L, n, "template: '{' without '}'");
            }
            const char *a = s + i + 1;
            size_t an = (size_t)(close - a);
            const char *colon = NULL;
            for (size_t j = an; j-- > 0;)
                if (a[j] == ':') {
                    colon = a + j;
                    break;
                }
            size_t nn = an;
            if (colon) {
                const char *mod = colon + 1;
                size_t mn = (size_t)(close - mod);
                if (mn == 4 && !memcmp(mod, "year", 4))
                    p.mod = MOD_YEAR;
                else if (mn == 5 && !memcmp(mod, "month", 5))
                    p.mod = MOD_MONTH;
                else if (mn == 5 && !memcmp(mod, "upper", 5))
                    p.mod = MOD_UPPER;
                else if (mn == 2 && !memcmp(mod, "id", 2))
                    p.mod = MOD_ID;
                else
                    colon = NULL; /* part of a column name */
                if (colon) nn = (size_t)(colon - a);
            }
            if (nn == 4 && !memcmp(a, "#row", 4))
                p.kind = PART_ROW;
            else if (nn == 7 && !memcmp(a, "#source", 7))
                p.kind = PART_SOURCE;
            else if (nn > 1 && a[0] == '=') {
                p.kind = PART_FIELD;
                p.idx = schema_field_index(L->m->s, a + 1, nn - 1);
                if (p.idx < 0) {
                    free_parts(parts, np);
                    return fail(L, n,
                                "template: '%.*s' is not a field of "
                                "schema %s",
                                (int)(nn - 1), a + 1, L->m->s->name);
                }
            } else if (nn > 0 && a[0] != '#') {
                p.kind = PART_COL;
                p.idx = col_slot(L, a, nn, n);
                if (p.idx < 0) {
                    free_parts(parts, np);
                    return -1;
                }
            } else {
                free_parts(parts, np);
                return fail(L, n,
                            "template: '{%.*s}' is not {Column}, "
                            "{=field}, {#row} or {#source}",
                            (int)an, a);
            }
            i = (size_t)(close - s) + 1;
        } else {
            const char *open = memchr(s + i, '{', len - i);
            size_t end = open ? (size_t)(open - s) : len;
            p.lit = strndup(s + i, end - i);
            p.len = end - i;
            i = end;
        }
        map_part *v = realloc(parts, (np + 1) * sizeof *v);
        if (!v) {
            free_parts(parts, np);
            return fail(L, n, "out of memory");
        }
        parts = v;
        parts[np++] = p;
    }
    r->parts = parts;
    r->nparts = np;
    return 0;
}

static int parse_unplaced(loader *L, const ydoc_node *n, int *out) {
    if (n->kind == YDOC_SCALAR) {
        if (!strcmp(n->str, "reject")) {
            *out = UNPLACED_REJECT;
            return 0;
        }
        if (!strcmp(n->str, "keep")) {
            *out = UNPLACED_KEEP;
            return 0;
        }
        if (!strcmp(n->str, "empty")) {
            *out = UNPLACED_EMPTY;
            return 0;
        }
    }
    return fail(L, n, "unplaced: expected reject, keep or empty");
}

/* Adds the markers of sequence N (or one scalar) to OUT/NOUT folded, or to
 * the global unknown set when OUT is NULL. */
static int parse_unknown(loader *L, const ydoc_node *n, char ***out,
                         size_t *nout) {
    const ydoc_node *one, *const *items;
    size_t nn = ydoc_list(n, &one, &items);
    for (size_t j = 0; j < nn; j++) {
        if (items[j]->kind != YDOC_SCALAR)
            return fail(L, items[j], "unknown: expected a marker such as -99");
        size_t k;
        char *f = fold_dup(L->m, items[j]->str, items[j]->len, &k);
        if (!f) return fail(L, items[j], "out of memory");
        if (items[j]->len * 4 > L->m->unk_max)
            L->m->unk_max = items[j]->len * 4;
        if (!out) {
            strmap_put(&L->m->unknown, f, k, NULL);
            free(f);
        } else {
            char **v = realloc(*out, (*nout + 1) * sizeof *v);
            if (!v) {
                free(f);
                return fail(L, items[j], "out of memory");
            }
            *out = v;
            v[(*nout)++] = f;
        }
    }
    return 0;
}

static char *msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *msgf(const char *fmt, ...) {
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    return strdup(b);
}

static int finish_rule(loader *L, map_rule *r, const schema_field *f,
                       const ydoc_node *recode, int no_auto,
                       const ydoc_node *v);

/* Compiles the spec of field FI (key node K, value V) into rule R. */
static int parse_rule(loader *L, map_rule *r, int fi, const ydoc_node *k,
                      const ydoc_node *v, int constant) {
    map *m = L->m;
    const schema_field *f = &m->s->fields[fi];
    memset(r, 0, sizeof *r);
    r->field = fi;
    r->line = k->line;
    r->col = k->col;
    r->colslot = -1;
    r->unplaced = m->unplaced;
    r->codes = f->codes;
    r->join = f->type == SCHEMA_LIST ? (f->separator ? f->separator : ';') : 0;
    if (f->type == SCHEMA_DATE || f->type == SCHEMA_INTEGER ||
        f->type == SCHEMA_NUMBER)
        r->digits = 1;
    if (f->type == SCHEMA_INTEGER) r->conv = CONV_INTEGER;
    if (constant || v->kind == YDOC_SCALAR) {
        if (v->kind != YDOC_SCALAR)
            return fail(L, v, "constant for %s: expected a value", f->name);
        if (constant) {
            r->src = SRC_CONST;
            r->constant = strdup(v->str);
            r->conv = CONV_NONE;
            r->msg = msgf("is not a value of %s", f->name);
            return r->msg ? 0 : fail(L, v, "out of memory");
        }
        r->src = SRC_COLUMN;
        r->colslot = col_slot(L, v->str, v->len, v);
        if (r->colslot < 0) return -1;
        return finish_rule(L, r, f, NULL, 0, v);
    }
    if (v->kind != YDOC_MAP)
        return fail(L, v,
                    "field %s: expected a column name or {from: ..., "
                    "...}",
                    f->name);
    const ydoc_node *recode = NULL;
    int no_auto = 0;
    for (size_t i = 0; i < v->n; i++) {
        const ydoc_node *kk = v->items[2 * i], *vv = v->items[2 * i + 1];
        const char *key = kk->str;
        int nsrc = r->src != SRC_NONE;
        if (!strcmp(key, "from")) {
            if (nsrc || vv->kind != YDOC_SCALAR || !vv->len)
                return fail(L, vv,
                            nsrc ? "field %s: give one of from, value, "
                                   "template"
                                 : "field %s: from: expected a column "
                                   "name",
                            f->name);
            r->src = SRC_COLUMN;
            r->colslot = col_slot(L, vv->str, vv->len, vv);
            if (r->colslot < 0) return -1;
        } else if (!strcmp(key, "value")) {
            if (nsrc || vv->kind != YDOC_SCALAR)
                return fail(L, vv,
                            "field %s: give one of from, value, "
                            "template",
                            f->name);
            r->src = SRC_CONST;
            r->constant = strdup(vv->str);
        } else if (!strcmp(key, "template")) {
            if (nsrc || vv->kind != YDOC_SCALAR)
                return fail(L, vv,
                            "field %s: give one of from, value, "
                            "template",
                            f->name);
            r->src = SRC_TEMPLATE;
            if (parse_template(L, r, vv) < 0) return -1;
        } else if (!strcmp(key, "recode") && vv->kind == YDOC_SCALAR &&
                   !strcmp(vv->str, "none")) {
            no_auto = 1; /* values pass as they are */
        } else if (!strcmp(key, "recode")) {
            if (r->conv == CONV_COUNTRY || r->conv == CONV_DATE)
                return fail(L, vv,
                            "field %s: recode, country and date "
                            "exclude each other",
                            f->name);
            r->conv = CONV_RECODE;
            recode = vv;
        } else if (!strcmp(key, "country")) {
            int b;
            if (ydoc_bool(vv, &b) < 0)
                return fail(L, vv, "country: expected true or false");
            if (!b) continue;
            if (r->conv == CONV_RECODE || r->conv == CONV_DATE)
                return fail(L, vv,
                            "field %s: recode, country and date "
                            "exclude each other",
                            f->name);
            r->conv = CONV_COUNTRY;
            if (load_countries(L, vv) < 0) return -1;
        } else if (!strcmp(key, "date")) {
            if (vv->kind != YDOC_SCALAR || !cal_date_fmt_known(vv->str) ||
                vv->len >= sizeof r->date_fmt)
                return fail(L, vv,
                            "date: '%s' is not a known format (DD/MM/"
                            "YYYY, MM/DD/YYYY, DD-MM-YYYY, DD.MM.YYYY, "
                            "YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, excel, "
                            "jalali:YYYY/MM/DD, jalali:YYYY-MM-DD, "
                            "jalali:DD/MM/YYYY; months: MM/YYYY, YYYY-MM, "
                            "jalali:YYYY/MM, jalali:YYYY-MM)",
                            vv->str);
            if (r->conv == CONV_RECODE || r->conv == CONV_COUNTRY)
                return fail(L, vv,
                            "field %s: recode, country and date "
                            "exclude each other",
                            f->name);
            r->conv = CONV_DATE;
            memcpy(r->date_fmt, vv->str, vv->len + 1);
        } else if (!strcmp(key, "split")) {
            if (vv->kind != YDOC_SCALAR || !vv->len ||
                vv->len >= sizeof r->split)
                return fail(L, vv,
                            "split: expected separator characters "
                            "such as \",;\"");
            if (f->type != SCHEMA_LIST)
                return fail(L, vv, "split: %s is not a list field", f->name);
            memcpy(r->split, vv->str, vv->len + 1);
        } else if (!strcmp(key, "default")) {
            if (vv->kind != YDOC_SCALAR)
                return fail(L, vv, "default: expected a value");
            if (f->codes && vv->len &&
                schema_code_find(f->codes, vv->str, vv->len) < 0)
                return fail(L, vv, "default: '%s' is not a code of %s", vv->str,
                            f->codes->name);
            r->dflt = strdup(vv->str);
        } else if (!strcmp(key, "unknown")) {
            if (parse_unknown(L, vv, &r->unknown, &r->nunknown) < 0) return -1;
        } else if (!strcmp(key, "unplaced")) {
            if (parse_unplaced(L, vv, &r->unplaced) < 0) return -1;
        } else if (!strcmp(key, "digits")) {
            if (ydoc_bool(vv, &r->digits) < 0)
                return fail(L, vv, "digits: expected true or false");
        } else {
            return fail(L, kk,
                        "field %s: unknown key '%s' (from, value, "
                        "template, recode, country, date, split, "
                        "default, unknown, unplaced, digits)",
                        f->name, key);
        }
    }
    if (r->src == SRC_NONE)
        return fail(L, v,
                    "field %s: say where the value comes from: from, "
                    "value or template",
                    f->name);
    return finish_rule(L, r, f, recode, no_auto, v);
}

/* The conversion a rule gets by default, its recode table and message. */
static int finish_rule(loader *L, map_rule *r, const schema_field *f,
                       const ydoc_node *recode, int no_auto,
                       const ydoc_node *v) {
    map *m = L->m;
    if (r->src == SRC_CONST && r->conv == CONV_INTEGER) r->conv = CONV_NONE;
    if (r->conv == CONV_NONE && !no_auto && r->src != SRC_CONST && f->codes) {
        /* a code field without a conversion: country names for country
         * lists, else the list's own codes and labels, folded */
        if (strstr(f->codes->name, "iso3166_1_alpha3")) {
            r->conv = CONV_COUNTRY;
            if (load_countries(L, v) < 0) return -1;
        } else {
            r->conv = CONV_RECODE;
        }
    }
    if (r->join && !r->split[0] && r->conv != CONV_NONE)
        memcpy(r->split, ";,", 3); /* list items: ; or , unless the map says */
    if (r->conv == CONV_RECODE) {
        char tname[256];
        map_table *t;
        if (!recode) {
            snprintf(tname, sizeof tname, "codes of %s", f->codes->name);
            t = find_table(m, tname);
            if (!t && !(t = new_table(m, tname)))
                return fail(L, v, "out of memory");
        } else if (recode->kind == YDOC_SCALAR) {
            t = find_table(m, recode->str);
            if (!t)
                return fail(L, recode,
                            "recode '%s' is not defined under "
                            "recodes:",
                            recode->str);
        } else {
            snprintf(tname, sizeof tname, "field %s", f->name);
            t = new_table(m, tname);
            if (!t) return fail(L, recode, "out of memory");
            if (fill_table(L, t, recode, f->codes, f->name) < 0) return -1;
        }
        if (f->codes && add_codelist(m, &t->keys, f->codes) < 0)
            return fail(L, recode, "out of memory");
        r->table = t;
        r->msg = msgf("has no code in recode '%s' (%s:%d)", t->name, m->path,
                      recode ? recode->line : r->line);
        if (f->type == SCHEMA_INTEGER) {
            /* counts: the recode names special values ("<5"); anything
             * else must be a whole number */
            r->intcodes = 1;
            r->digits = 1;
            if (recode && recode->kind == YDOC_MAP &&
                check_int_codes(L, f, recode, t->name) < 0)
                return -1;
            for (size_t i = 0; i < f->nallow; i++) {
                uint64_t vi = val_index(m, f->allow[i]);
                if (!vi || add_label(m, &t->keys, f->allow[i],
                                     strlen(f->allow[i]), vi, 0) < 0)
                    return fail(L, recode, "out of memory");
            }
            free(r->msg);
            r->msg = msgf("is neither a whole number nor a label of recode "
                          "'%s' (%s:%d)",
                          t->name, m->path, recode ? recode->line : r->line);
        }
    } else if (r->conv == CONV_COUNTRY) {
        r->msg = msgf("is not a country name, alpha-2 or alpha-3 code the "
                      "map knows (add it under countries: in %s)",
                      m->path);
    } else if (r->conv == CONV_DATE) {
        r->msg = msgf("is not a real date in %s", r->date_fmt);
    } else if (r->conv == CONV_INTEGER) {
        r->msg = msgf("is not a whole number");
    } else {
        r->msg = msgf("is not a value of %s", f->name);
    }
    return r->msg ? 0 : fail(L, v, "out of memory");
}

/* Recode tables named under recodes: (their codes are checked against the
 * code list of each field that uses them, at that field). */
static int load_recodes(loader *L) {
    const ydoc_node *rc = ydoc_get(L->d->root, "recodes");
    if (!rc) return 0;
    if (rc->kind != YDOC_MAP)
        return fail(L, rc, "recodes: expected NAME: {CODE: [label, ...]}");
    for (size_t i = 0; i < rc->n; i++) {
        const ydoc_node *k = rc->items[2 * i];
        if (find_table(L->m, k->str))
            return fail(L, k, "recode '%s' is defined twice", k->str);
        map_table *t = new_table(L->m, k->str);
        if (!t) return fail(L, k, "out of memory");
        if (fill_table(L, t, rc->items[2 * i + 1], NULL, "") < 0) return -1;
    }
    return 0;
}

/* Checks a named table's codes against the field's list, once wired. */
/* Whether S is a code an integer field's recode may give: a whole number
 * or one of the field's allow: literals. */
static int int_code_ok(const schema_field *f, const char *s, size_t n) {
    if (is_integer(s, n)) return 1;
    for (size_t i = 0; i < f->nallow; i++)
        if (strlen(f->allow[i]) == n && !memcmp(f->allow[i], s, n)) return 1;
    return 0;
}

/* Checks the codes of recode definition DEF for integer field F. */
static int check_int_codes(loader *L, const schema_field *f,
                           const ydoc_node *def, const char *tname) {
    for (size_t i = 0; def && def->kind == YDOC_MAP && i < def->n; i++) {
        const ydoc_node *k = def->items[2 * i];
        if (!int_code_ok(f, k->str, k->len))
            return fail(L, k,
                        "recode '%s': '%s' is not a whole number or "
                        "an allowed value of %s",
                        tname, k->str, f->name);
    }
    return 0;
}

static int check_table_codes(loader *L, const map_rule *r,
                             const ydoc_node *rc) {
    if (r->intcodes && r->table && rc)
        return check_int_codes(L, &L->m->s->fields[r->field],
                               ydoc_get(rc, r->table->name), r->table->name);
    if (!r->table || !r->codes || !rc) return 0;
    const ydoc_node *def = ydoc_get(rc, r->table->name);
    for (size_t i = 0; def && def->kind == YDOC_MAP && i < def->n; i++) {
        const ydoc_node *k = def->items[2 * i];
        if (schema_code_find(r->codes, k->str, k->len) < 0)
            return fail(L, k,
                        "recode '%s': '%s' is not a code of %s (field "
                        "%s)",
                        r->table->name, k->str, r->codes->name,
                        L->m->s->fields[r->field].name);
    }
    return 0;
}

static const char *const top_keys[] = {
    "map",      "title",     "description", "schema",    "validate", "unknown",
    "unplaced", "countries", "recodes",     "constants", "fields",   NULL};

map *map_load(const char *path, char *err, size_t errlen) {
    ydoc *d = ydoc_load(path, err, errlen);
    if (!d) return NULL;
    map *m = calloc(1, sizeof *m);
    char *pc = strdup(path);
    loader L = {m, d, NULL, err, errlen};
    if (!m || !pc) {
        snprintf(err, errlen, "%s: out of memory", path);
        free(m);
        free(pc);
        ydoc_free(d);
        return NULL;
    }
    L.dir = strdup(dirname(pc));
    free(pc);
    m->path = strdup(path);
    m->doc = d;
    int rc = -1;
    const ydoc_node *root = d->root;
    if (!root || root->kind != YDOC_MAP) {
        fail(&L, root, "a map is a YAML mapping with schema: and fields:");
        goto out;
    }
    for (size_t i = 0; i < root->n; i++) {
        const char *k = root->items[2 * i]->str;
        size_t j = 0;
        while (top_keys[j] && strcmp(top_keys[j], k))
            j++;
        if (!top_keys[j]) {
            fail(&L, root->items[2 * i],
                 "unknown key '%s' (schema, validate, "
                 "unknown, unplaced, countries, "
                 "recodes, constants, fields)",
                 k);
            goto out;
        }
    }
    if (load_schema(&L, ydoc_get(root, "schema")) < 0) goto out;
    const ydoc_node *n;
    if ((n = ydoc_get(root, "validate")) && ydoc_bool(n, &m->validate) < 0) {
        fail(&L, n, "validate: expected true or false");
        goto out;
    }
    if ((n = ydoc_get(root, "unplaced")) &&
        parse_unplaced(&L, n, &m->unplaced) < 0)
        goto out;
    if ((n = ydoc_get(root, "unknown")) && parse_unknown(&L, n, NULL, NULL) < 0)
        goto out;
    if (load_recodes(&L) < 0) goto out;
    const schema *s = m->s;
    m->rule_of = malloc(s->nfields * sizeof *m->rule_of);
    m->rules = calloc(s->nfields, sizeof *m->rules);
    m->off = calloc(s->nfields, sizeof *m->off);
    m->len = calloc(s->nfields, sizeof *m->len);
    m->cells = calloc(s->nfields, sizeof *m->cells);
    if (!m->rule_of || !m->rules || !m->off || !m->len || !m->cells) {
        fail(&L, root, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < s->nfields; i++)
        m->rule_of[i] = -1;
    /* constants first, then fields; templates are evaluated last */
    const ydoc_node *secs[2] = {ydoc_get(root, "constants"),
                                ydoc_get(root, "fields")};
    if (!secs[1] && !secs[0]) {
        fail(&L, root, "the map needs 'fields:', one entry per standard field");
        goto out;
    }
    map_rule *tmpl = calloc(s->nfields, sizeof *tmpl);
    size_t ntmpl = 0;
    if (!tmpl) goto out;
    for (int sec = 0; sec < 2; sec++) {
        const ydoc_node *fs = secs[sec];
        if (!fs) continue;
        if (fs->kind != YDOC_MAP) {
            fail(&L, fs, "%s: expected FIELD: spec pairs",
                 sec ? "fields" : "constants");
            goto out_t;
        }
        for (size_t i = 0; i < fs->n; i++) {
            const ydoc_node *k = fs->items[2 * i], *v = fs->items[2 * i + 1];
            int fi = schema_field_index(s, k->str, k->len);
            if (fi < 0) {
                fail(&L, k, "'%s' is not a field of schema %s", k->str,
                     s->name);
                goto out_t;
            }
            if (m->rule_of[fi] != -1) {
                fail(&L, k, "field %s is mapped twice", k->str);
                goto out_t;
            }
            map_rule r;
            if (parse_rule(&L, &r, fi, k, v, sec == 0) < 0) {
                /* r may own pieces: release through a temporary slot */
                m->rules[m->nrules] = r;
                m->rule_of[fi] = -2;
                m->nrules++;
                goto out_t;
            }
            if (check_table_codes(&L, &r, ydoc_get(root, "recodes")) < 0) {
                m->rules[m->nrules++] = r;
                goto out_t;
            }
            m->rule_of[fi] = -2; /* placed below */
            if (r.src == SRC_TEMPLATE)
                tmpl[ntmpl++] = r;
            else
                m->rules[m->nrules++] = r;
        }
    }
    for (size_t i = 0; i < ntmpl; i++)
        m->rules[m->nrules++] = tmpl[i];
    ntmpl = 0;
    for (size_t i = 0; i < m->nrules; i++)
        m->rule_of[m->rules[i].field] = (int)i;
    /* a template may read a field computed before it */
    for (size_t i = 0; i < m->nrules; i++) {
        const map_rule *r = &m->rules[i];
        for (size_t j = 0; j < r->nparts; j++) {
            if (r->parts[j].kind != PART_FIELD) continue;
            int ri = m->rule_of[r->parts[j].idx];
            if (ri < 0 || (size_t)ri >= i) {
                ydoc_node at = {0};
                at.line = r->line;
                at.col = r->col;
                fail(&L, &at, "template of %s reads {=%s}, which %s",
                     s->fields[r->field].name, s->fields[r->parts[j].idx].name,
                     ri < 0 ? "the map does not fill"
                            : "is a template given later: move it up");
                goto out_t;
            }
        }
    }
    rc = 0;
out_t:
    for (size_t i = 0; i < ntmpl; i++)
        m->rules[m->nrules++] = tmpl[i];
    free(tmpl);
out:
    free(L.dir);
    if (rc < 0) {
        map_free(m);
        return NULL;
    }
    return m;
}

void map_free(map *m) {
    if (!m) return;
    for (size_t i = 0; i < m->nrules; i++) {
        map_rule *r = &m->rules[i];
        free(r->constant);
        for (size_t j = 0; j < r->nparts; j++)
            free(r->parts[j].lit);
        free(r->parts);
        free(r->dflt);
        for (size_t j = 0; j < r->nunknown; j++)
            free(r->unknown[j]);
        free(r->unknown);
        free(r->msg);
        free(r->vc);
    }
    free(m->rules);
    free(m->rule_of);
    for (size_t i = 0; i < m->ncols; i++) {
        free(m->cols[i].name);
        free(m->cols[i].folded);
    }
    free(m->cols);
    for (size_t i = 0; i < m->ntables; i++) {
        strmap_free(&m->tables[i]->keys);
        free(m->tables[i]->name);
        free(m->tables[i]);
    }
    free(m->tables);
    strmap_free(&m->unknown);
    strmap_free(&m->countries);
    for (size_t i = 0; i < m->nvals; i++)
        free(m->vals[i]);
    free(m->vals);
    strmap_free(&m->valset);
    free(m->source);
    free(m->buf);
    free(m->off);
    free(m->len);
    free(m->cells);
    free(m->reason);
    free(m->finds);
    free(m->fvoff);
    free(m->fmoff);
    free(m->mbuf);
    free(m->fbuf);
    free(m->ua);
    free(m->ub);
    free(m->cache);
    schema_free(m->s);
    ydoc_free(m->doc);
    free(m->path);
    free(m);
}

const schema *map_schema(const map *m) {
    return m->s;
}
const char *map_path(const map *m) {
    return m->path;
}
int map_wants_validate(const map *m) {
    return m->validate;
}

size_t map_ncolumns(const map *m) {
    return m->ncols;
}

const char *map_column(const map *m, size_t i) {
    return i < m->ncols ? m->cols[i].name : NULL;
}

int map_field_column(const map *m, size_t field) {
    if (field >= m->s->nfields || m->rule_of[field] < 0) return -1;
    const map_rule *r = &m->rules[m->rule_of[field]];
    if (r->src != SRC_COLUMN || r->conv != CONV_NONE) return -1;
    return m->cols[r->colslot].idx;
}

int map_header(map *m, const source_row *hdr, const char *name, char *err,
               size_t errlen) {
    free(m->source);
    const char *slash = strrchr(name, '/');
    m->source = strdup(slash ? slash + 1 : name);
    char *dot = m->source ? strrchr(m->source, '.') : NULL;
    if (dot && dot != m->source) *dot = 0;
    for (size_t i = 0; i < m->ncols; i++)
        m->cols[i].idx = -1;
    for (size_t i = 0; i < m->nrules; i++)
        if (m->rules[i].vc) {
            /* a new file may repeat its values where the last did not */
            m->rules[i].vc->probes = m->rules[i].vc->hits = 0;
            m->rules[i].vc->off = 0;
        }
    for (size_t c = 0; c < hdr->ncells; c++) {
        size_t k;
        const char *f = map_fold(m, hdr->cells[c].p, hdr->cells[c].n, &k);
        /* a UTF-8 BOM on the first header cell is not part of the name */
        if (c == 0 && k >= 3 && !memcmp(f, "\xEF\xBB\xBF", 3)) f += 3, k -= 3;
        for (size_t i = 0; i < m->ncols; i++)
            if (m->cols[i].idx < 0 && strlen(m->cols[i].folded) == k &&
                !memcmp(m->cols[i].folded, f, k))
                m->cols[i].idx = (int)c;
    }
    size_t off = 0, missing = 0;
    for (size_t i = 0; i < m->ncols; i++)
        missing += m->cols[i].idx < 0;
    if (!missing) return 0;
    int w = snprintf(err, errlen,
                     "%zu column%s of map %s %s not in the "
                     "header:",
                     missing, missing == 1 ? "" : "s", m->path,
                     missing == 1 ? "is" : "are");
    off = w > 0 ? (size_t)w : 0;
    size_t shown = 0;
    for (size_t i = 0; i < m->ncols && off < errlen; i++) {
        if (m->cols[i].idx >= 0) continue;
        if (shown++ == 8) {
            snprintf(err + off, errlen - off, " ...");
            break;
        }
        w = snprintf(err + off, errlen - off, "%s '%s' (line %d)",
                     shown > 1 ? "," : "", m->cols[i].name, m->cols[i].line);
        if (w > 0) off += (size_t)w;
    }
    return missing ? -1 : 0;
}

/* ----------------------------------------------------------------- row -- */

static void reason_add(map *m, const char *p, size_t n) {
    if (grow((void **)&m->reason, &m->rcap, m->rlen + n + 1, 1)) return;
    memcpy(m->reason + m->rlen, p, n);
    m->rlen += n;
    m->reason[m->rlen] = 0;
}

static void finding(map *m, const map_rule *r, const char *v, size_t vn,
                    check_severity sev, const char *msg) {
    size_t cap = m->capfinds, cap2 = m->capfinds;
    if (grow((void **)&m->finds, &m->capfinds, m->nfinds + 1,
             sizeof *m->finds) ||
        grow((void **)&m->fvoff, &cap, m->nfinds + 1, sizeof *m->fvoff) ||
        grow((void **)&m->fmoff, &cap2, m->nfinds + 1, sizeof *m->fmoff))
        return;
    /* a value inside the output buffer is kept as an offset: a later rule
     * may grow (move) the buffer; map_row re-points it at the end */
    m->fvoff[m->nfinds] =
        v >= m->buf && v < m->buf + m->bcap ? (size_t)(v - m->buf) + 1 : 0;
    /* the message quotes the value: "'Kidnap' has no code in ..."; a
     * personal value only by its mask, which is also the finding's value */
    char mask[256];
    size_t mk = 0, md = 0;
    if (m->s->fields[r->field].personal && !m->show_personal) {
        mk = mask_value(v, vn, 0, mask, sizeof mask);
        md = mask_value(v, vn, 1, mask, sizeof mask);
        if (md) m->fvoff[m->nfinds] = MAP_MASKED;
    }
    size_t ml = strlen(msg), shown = vn > 200 ? 200 : vn;
    if (grow((void **)&m->mbuf, &m->mcap, m->mlen + shown + ml + 2 * md + 10,
             1))
        return;
    m->fmoff[m->nfinds] = m->mlen;
    char *o = m->mbuf + m->mlen;
    *o++ = '\'';
    memcpy(o, md ? mask : v, md ? mk : shown);
    o += md ? mk : shown;
    if (!md && shown < vn) *o++ = '.', *o++ = '.', *o++ = '.';
    *o++ = '\'';
    if (md) memcpy(o, mask + mk, md - mk), o += md - mk;
    *o++ = ' ';
    memcpy(o, msg, ml);
    o += ml;
    *o++ = 0;
    size_t mn = (size_t)(o - (m->mbuf + m->mlen)) - 1;
    if (md) {
        memcpy(o, mask, md + 1);
        vn = md;
    }
    m->mlen += mn + 1 + (md ? md + 1 : 0);
    check_finding *f = &m->finds[m->nfinds++];
    f->row = m->row;
    f->field = m->s->fields[r->field].name;
    f->value = v;
    f->vlen = vn;
    f->code = r->conv == CONV_DATE || r->conv == CONV_INTEGER || r->intcodes
                  ? CHECK_TYPE
                  : CHECK_CODELIST;
    f->severity = sev;
    f->message = NULL; /* set from fmoff at the end of map_row */
    if (sev == CHECK_ERROR) {
        const char *fn = f->field, *code = check_code_name(f->code);
        if (m->rlen) reason_add(m, "; ", 2);
        reason_add(m, fn, strlen(fn));
        reason_add(m, ": ", 2);
        reason_add(m, m->mbuf + m->fmoff[m->nfinds - 1], mn);
        reason_add(m, " [", 2);
        reason_add(m, code, strlen(code));
        reason_add(m, "]", 1);
    }
}

/* Appends to the output buffer (capacity reserved by the caller). */
static void put(map *m, const char *p, size_t n) {
    memcpy(m->buf + m->blen, p, n);
    m->blen += n;
}

static int reserve(map *m, size_t n) {
    return grow((void **)&m->buf, &m->bcap, m->blen + n, 1);
}

static void trim(const char **p, size_t *n) {
    while (*n && (**p == ' ' || **p == '\t' || **p == '\r' || **p == '\n'))
        (*p)++, (*n)--;
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t' ||
                  (*p)[*n - 1] == '\r' || (*p)[*n - 1] == '\n'))
        (*n)--;
}

static int is_unknown(map *m, const map_rule *r, const char *p, size_t n) {
    if (n > m->unk_max) return 0;
    size_t k;
    const char *f = map_fold(m, p, n, &k);
    if (m->unknown.count && strmap_get(&m->unknown, f, k)) return 1;
    for (size_t i = 0; i < r->nunknown; i++)
        if (strlen(r->unknown[i]) == k && !memcmp(r->unknown[i], f, k))
            return 1;
    return 0;
}

/* The cell of column slot S in ROW, or an empty one. */
static source_cell cell_of(const map *m, const source_row *row, int s) {
    int c = m->cols[s].idx;
    if (c >= 0 && (size_t)c < row->ncells) return row->cells[c];
    return (source_cell){"", 0};
}

/* Expands R's template into the buffer; returns the raw value's offset. */
static size_t expand(map *m, const map_rule *r, const source_row *row,
                     size_t *outn) {
    size_t start = m->blen;
    char num[24];
    for (size_t i = 0; i < r->nparts; i++) {
        const map_part *p = &r->parts[i];
        const char *s = "";
        size_t n = 0;
        switch (p->kind) {
        case PART_LIT:
            s = p->lit;
            n = p->len;
            break;
        case PART_ROW:
            n = (size_t)snprintf(num, sizeof num, "%ld", row->row);
            s = num;
            break;
        case PART_SOURCE:
            s = m->source ? m->source : "";
            n = strlen(s);
            break;
        case PART_COL: {
            source_cell c = cell_of(m, row, p->idx);
            s = c.p;
            n = c.n;
            trim(&s, &n);
            if (is_unknown(m, r, s, n)) n = 0;
            break;
        }
        case PART_FIELD:
            /* offsets survive a realloc; the pointer is taken after reserve */
            n = m->len[p->idx];
            break;
        }
        if (p->mod == MOD_YEAR && n > 4) n = 4;
        if (p->mod == MOD_MONTH && n > 7) n = 7;
        if (reserve(m, n * 2 + 1)) return start;
        if (p->kind == PART_FIELD) s = m->buf + m->off[p->idx];
        if (p->mod == MOD_UPPER || p->mod == MOD_ID) {
            size_t k = cal_digits_to_ascii(s, n, m->digits, sizeof m->digits);
            if (n < sizeof m->digits) s = m->digits, n = k;
            int dash = 1;
            size_t o0 = m->blen;
            for (size_t j = 0; j < n; j++) {
                char c = s[j];
                if (c >= 'a' && c <= 'z') c = (char)(c - 32);
                if (p->mod == MOD_ID &&
                    !((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                    if (!dash) m->buf[m->blen++] = '-';
                    dash = 1;
                    continue;
                }
                m->buf[m->blen++] = c;
                dash = 0;
            }
            if (p->mod == MOD_ID && m->blen > o0 && m->buf[m->blen - 1] == '-')
                m->blen--;
        } else {
            put(m, s, n);
        }
    }
    *outn = m->blen - start;
    return start;
}

/* Looks a (trimmed) value up in the rule's table: the code, or NULL; sets
 * *AMBIG when more than one code claims the label. */
static const char *lookup(map *m, const map_rule *r, const char *p, size_t n,
                          int *ambig) {
    size_t k;
    const char *f = map_fold(m, p, n, &k);
    *ambig = 0;
    uint64_t *v = NULL;
    if (r->conv == CONV_RECODE)
        v = strmap_get(&r->table->keys, f, k);
    else if (r->conv == CONV_COUNTRY)
        v = strmap_get(&m->countries, f, k);
    if (v) {
        uint64_t x = slot_val(*v);
        if (x == AMBIGUOUS) {
            *ambig = 1;
            return NULL;
        }
        return m->vals[x - 1];
    }
    if (r->conv == CONV_COUNTRY && r->codes && n <= 3 && n > 0) {
        /* codes of the field's own list (XXA, XXX), any case */
        char up[4];
        for (size_t i = 0; i < n; i++)
            up[i] = (char)((p[i] >= 'a' && p[i] <= 'z') ? p[i] - 32 : p[i]);
        long ci = schema_code_find(r->codes, up, n);
        if (ci >= 0) return r->codes->codes[ci];
    }
    return NULL;
}

static int is_integer(const char *p, size_t n) {
    size_t i = (n && (p[0] == '-' || p[0] == '+')) ? 1 : 0;
    if (i == n) return 0;
    for (; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return 0;
    return 1;
}

/* Handles a value the conversion cannot place. Returns 1 when the row is
 * rejected. The raw value is at RAW (NUL not required). */
static int unplaced(map *m, const map_rule *r, const char *raw, size_t n,
                    const char *msg, size_t *vn) {
    if (r->unplaced == UNPLACED_REJECT) {
        finding(m, r, raw, n, CHECK_ERROR, msg);
        return 1;
    }
    finding(m, r, raw, n, CHECK_WARNING, msg);
    if (r->unplaced == UNPLACED_EMPTY) *vn = 0;
    return 0;
}

/* Applies rule R to ROW; the value lands at m->off/len[r->field].
 * Returns 1 when R rejects the row. */
static int apply(map *m, map_rule *r, const source_row *row) {
    const char *raw = "";
    size_t n = 0, rawoff = 0;
    int inbuf = 0;
    struct map_vcache *vc = NULL; /* store the result here when it places */
    uint64_t vh = 0;              /* raw value's hash for vc */
    size_t nfinds0 = m->nfinds;   /* a finding means: do not cache */
    int date_cell = 0;            /* the cell is a workbook date: its text
                                     is the ISO day Excel holds */
    switch (r->src) {
    case SRC_COLUMN: {
        source_cell c = cell_of(m, row, r->colslot);
        int ci = m->cols[r->colslot].idx;
        date_cell = row->kinds && ci >= 0 && (size_t)ci < row->ncells &&
                    (row->kinds[ci] & SOURCE_CELL_KIND) == SOURCE_CELL_DATE;
        raw = c.p;
        n = c.n;
        trim(&raw, &n);
        if (n && n <= VCACHE_IN && !date_cell) {
            if (!r->vc) r->vc = calloc(1, sizeof *r->vc);
            vc = r->vc;
            if (vc && vc->off) vc = NULL;
        }
        if (vc) {
            vh = map_hash_bytes(raw, n);
            map_vc_entry *e = &vc->e[vh & (VCACHE_SLOTS - 1)];
            vc->probes++;
            if (e->hash == vh && e->inlen == n && !memcmp(e->in, raw, n)) {
                vc->hits++;
                if (e->outlen == VCACHE_UNKNOWN) {
                    n = 0; /* to the default below */
                    vc = NULL;
                    break;
                }
                size_t fi = (size_t)r->field;
                if (reserve(m, e->outlen)) return 0;
                m->off[fi] = m->blen;
                put(m, e->out, e->outlen);
                m->len[fi] = e->outlen;
                return 0;
            }
            if (vc->probes == VCACHE_TRIAL && vc->hits < VCACHE_TRIAL / 4)
                vc->off = 1;
        }
        if (n && is_unknown(m, r, raw, n)) {
            if (vc) {
                map_vc_entry *e = &vc->e[vh & (VCACHE_SLOTS - 1)];
                e->hash = vh;
                e->inlen = (unsigned char)n;
                memcpy(e->in, raw, n);
                e->outlen = VCACHE_UNKNOWN;
                vc = NULL;
            }
            n = 0;
        }
        break;
    }
    case SRC_CONST:
        raw = r->constant;
        n = strlen(raw);
        break;
    case SRC_TEMPLATE:
        rawoff = expand(m, r, row, &n);
        inbuf = 1;
        break;
    }
    size_t fi = (size_t)r->field;
    if (n == 0) {
        const char *d = r->dflt ? r->dflt : "";
        size_t dn = strlen(d);
        if (reserve(m, dn)) return 0;
        m->off[fi] = m->blen;
        put(m, d, dn);
        m->len[fi] = dn;
        return 0;
    }
    /* room for the worst case: every byte an item mapped to the longest
     * code plus a separator; so no realloc below moves RAW */
    size_t need =
        n * (r->conv == CONV_RECODE || r->conv == CONV_COUNTRY ? m->maxval + 1
                                                               : 1) +
        32;
    if (reserve(m, need)) return 0;
    if (inbuf) raw = m->buf + rawoff;
    size_t vo = m->blen, vn = 0;
    int rej = 0;
    if (r->conv == CONV_NONE || r->conv == CONV_INTEGER) {
        if (r->digits && cal_has_non_ascii_digits(raw, n)) {
            vn = cal_digits_to_ascii(raw, n, m->buf + vo, n + 1);
        } else {
            memcpy(m->buf + vo, raw, n);
            vn = n;
        }
        if (r->join && r->split[0]) {
            /* a list passed through: separators made standard */
            for (size_t i = 0; i < vn; i++)
                if (strchr(r->split, m->buf[vo + i])) m->buf[vo + i] = r->join;
        }
        if (r->conv == CONV_INTEGER && !is_integer(m->buf + vo, vn) &&
            !int_code_ok(&m->s->fields[fi], m->buf + vo, vn)) {
            size_t keep = vn;
            rej = unplaced(m, r, raw, n, r->msg, &vn);
            if (!rej && vn) vn = keep;
        }
    } else if (r->conv == CONV_DATE) {
        int y, mo, d;
        int pr = cal_parse_date_fmt(raw, n, r->date_fmt, &y, &mo, &d);
        /* a date cell of a workbook is a day already (Excel's serial, read
         * as YYYY-MM-DD, a time after a 'T'), whatever text format the
         * national file's typed dates follow */
        if (pr != 0 && date_cell && n >= 10 && (n == 10 || raw[10] == 'T'))
            pr = cal_parse_iso_date(raw, 10, &y, &mo, &d);
        if (pr == 0) {
            char iso[11];
            cal_format_ymd(y, mo, d, iso);
            /* a month format gives a period, YYYY-MM */
            vn = cal_date_fmt_is_month(r->date_fmt) ? 7 : 10;
            memcpy(m->buf + vo, iso, vn);
        } else {
            memcpy(m->buf + vo, raw, n);
            vn = n;
            rej = unplaced(m, r, raw, n, r->msg, &vn);
        }
    } else {
        /* recode or country, per item for a list */
        size_t i = 0;
        int first = 1;
        while (i <= n) {
            size_t j = i;
            if (r->split[0])
                while (j < n && !strchr(r->split, raw[j]))
                    j++;
            else
                j = n;
            const char *it = raw + i;
            size_t in = j - i;
            trim(&it, &in);
            i = j + 1;
            if (!in) continue;
            if (is_unknown(m, r, it, in)) continue;
            int ambig;
            const char *code = lookup(m, r, it, in, &ambig);
            if (!first) m->buf[vo + vn++] = r->join ? r->join : ';';
            first = 0;
            if (code) {
                size_t cn = strlen(code);
                memcpy(m->buf + vo + vn, code, cn);
                vn += cn;
                continue;
            }
            if (r->intcodes && !ambig) {
                /* not a label: a count in any digits? (the reservation
                 * above has room: ASCII digits are never longer) */
                char *o = m->buf + vo + vn;
                size_t k = cal_digits_to_ascii(it, in, o, in + 1);
                if (is_integer(o, k)) {
                    vn += k;
                    continue;
                }
            }
            size_t before = vn;
            memcpy(m->buf + vo + vn, it, in);
            vn += in;
            size_t keepn = 1;
            const char *msg = ambig ? "matches more than one code: add it to "
                                      "a recode of the map"
                                    : r->msg;
            if (unplaced(m, r, it, in, msg, &keepn))
                rej = 1;
            else if (!keepn) {
                vn = before; /* UNPLACED_EMPTY: the item is left out */
                if (vn && m->buf[vo + vn - 1] == (r->join ? r->join : ';'))
                    vn--;
                first = vn == 0;
            }
        }
    }
    m->blen = vo + vn;
    m->off[fi] = vo;
    m->len[fi] = vn;
    if (vc && !rej && m->nfinds == nfinds0 && vn <= VCACHE_OUT) {
        map_vc_entry *e = &vc->e[vh & (VCACHE_SLOTS - 1)];
        e->hash = vh;
        e->inlen = (unsigned char)n;
        memcpy(e->in, raw, n);
        e->outlen = (unsigned char)vn;
        memcpy(e->out, m->buf + vo, vn);
    }
    return rej;
}

int map_row(map *m, const source_row *row) {
    const schema *s = m->s;
    m->blen = 0;
    m->rlen = 0;
    if (m->reason) m->reason[0] = 0;
    m->nfinds = 0;
    m->mlen = 0;
    m->row = row->row;
    for (size_t i = 0; i < s->nfields; i++)
        m->off[i] = m->len[i] = 0;
    int rej = 0;
    for (size_t i = 0; i < m->nrules; i++)
        rej |= apply(m, &m->rules[i], row);
    for (size_t i = 0; i < s->nfields; i++) {
        m->cells[i].p = m->len[i] ? m->buf + m->off[i] : "";
        m->cells[i].n = m->len[i];
    }
    for (size_t i = 0; i < m->nfinds; i++) {
        m->finds[i].message = m->mbuf + m->fmoff[i];
        if (m->fvoff[i] == MAP_MASKED)
            m->finds[i].value =
                m->finds[i].message + strlen(m->finds[i].message) + 1;
        else if (m->fvoff[i])
            m->finds[i].value = m->buf + m->fvoff[i] - 1;
    }
    return rej;
}

const source_cell *map_cells(const map *m) {
    return m->cells;
}
const char *map_reason(const map *m) {
    return m->reason ? m->reason : "";
}
void map_show_personal(map *m, int show) {
    m->show_personal = show;
}

const check_finding *map_findings(const map *m, size_t *n) {
    *n = m->nfinds;
    return m->finds;
}
