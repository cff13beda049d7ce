/*
 * normalize.c: see normalize.h.
 *
 * Measured cost of norm_text (gcc -O2, ICU 72, warm context, one core of the
 * development container; /tmp loop of 2M ASCII / 200k non-ASCII calls):
 *   "Muhammad Al-Tamimi"  ASCII fast path, no ICU        ~75 ns/call
 *   "محمد حسین احمدی"     Perso-Arabic: NFKC + translit   ~8.5-9.5 us/call
 *   "মোহাম্মদ হোসেন"      Bengali: NFKC + translit        ~8-9 us/call
 *   "Ömer Şahin"          Latin with diacritics           ~3 us/call
 * (norm_name_key on "muhammad al tamimi": ~0.4 us/call.)
 * Nearly all of the non-ASCII cost is utrans_transUChars ("Any-Latin" is a
 * compound of script-specific rule sets); normalising once per record and
 * caching the result is the intended use.
 */
#include "normalize.h"
#include "buf.h"
#include "fold.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#define NORM_MAX_IN (16u << 20) /* largest input norm_text accepts, bytes */

struct norm_ctx {
    const UNormalizer2 *nfkc_cf;  /* NFKC_Casefold singleton, owned by ICU */
    UTransliterator *translit;    /* "Any-Latin; Latin-ASCII", owned */
    UChar *a;                     /* scratch: UTF-16 input, then folded text */
    int32_t acap;                 /* capacity of a, in UChars */
    UChar *b;                     /* scratch: NFKC_Casefold output */
    int32_t bcap;                 /* capacity of b, in UChars */
    UChar *c;                     /* scratch: transliterator in/out */
    int32_t ccap;                 /* capacity of c, in UChars */
    unsigned long icu_calls;      /* norm_text calls that used ICU */
    unsigned long translit_calls; /* ... of which ran the transliterator */
};

/* ---- output helper shared by all functions ---------------------------- */

typedef struct {
    char *out;  /* caller buffer (may be NULL when cap is 0) */
    size_t cap; /* its size */
    size_t len; /* length of the complete result so far */
    int space;  /* a separator is pending (emitted before the next char) */
} emit_t;

static void emit_init(emit_t *e, char *out, size_t cap) {
    e->out = out;
    e->cap = cap;
    e->len = 0;
    e->space = 0;
}

static void emit_put(emit_t *e, char ch) {
    if (e->cap && e->len < e->cap - 1) e->out[e->len] = ch;
    e->len++;
}

/* A separator: collapsed, never leading, never trailing. */
static void emit_sep(emit_t *e) {
    if (e->len) e->space = 1;
}

static void emit_char(emit_t *e, char ch) {
    if (e->space) {
        emit_put(e, ' ');
        e->space = 0;
    }
    emit_put(e, ch);
}

static int emit_at_word_start(const emit_t *e) {
    return e->len == 0 || e->space;
}

static size_t emit_end(emit_t *e) {
    if (e->cap) {
        size_t w = e->len < e->cap - 1 ? e->len : e->cap - 1;
        if (w && w < e->len && e->out[w - 1] == ' ') w--;
        e->out[w] = '\0';
    }
    return e->len;
}

static char lower_ascii(char ch) {
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

static int is_alnum_ascii(int ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9');
}

/* ---- context ---------------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *what, UErrorCode st) {
    if (err && errlen)
        snprintf(err, errlen, "normalize: %s: %s", what, u_errorName(st));
}

/* The transliterator is opened once per process and cloned for each
 * context: opening compiles ICU's rules (about 0.5 ms, 50 ms the first
 * time), a clone costs next to nothing. "Any-Latin" builds its per-script
 * transliterators (Arabic-Latin, Bengali-Latin, ...) on first use in each
 * instance, another ~0.5 ms each, and a clone starts without them; so
 * norm_close() keeps up to TRANSLIT_POOL instances for the next norm_open()
 * (dedup opens a context per run and per thread, a fuzz target one per
 * input). The prototype is never used to transliterate, only cloned; it
 * and the pool are held under the lock and live until the process ends. */
#define TRANSLIT_POOL 8
static UTransliterator *translit_proto; /* "Any-Latin; Latin-ASCII" */
static UTransliterator *translit_pool[TRANSLIT_POOL]; /* kept by norm_close */
static int translit_npool;                            /* entries in the pool */
static pthread_mutex_t translit_lock = PTHREAD_MUTEX_INITIALIZER;

static UTransliterator *translit_open(UErrorCode *st) {
    static const char id8[] = "Any-Latin; Latin-ASCII";
    UChar id[sizeof id8];
    UParseError pe;
    UTransliterator *t = NULL;
    pthread_mutex_lock(&translit_lock);
    if (translit_npool) {
        t = translit_pool[--translit_npool];
    } else {
        if (!translit_proto) {
            u_charsToUChars(id8, id, (int32_t)sizeof id8);
            translit_proto =
                utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, st);
            if (U_FAILURE(*st)) translit_proto = NULL;
        }
        if (translit_proto) t = utrans_clone(translit_proto, st);
    }
    pthread_mutex_unlock(&translit_lock);
    return U_FAILURE(*st) ? NULL : t;
}

static void translit_close(UTransliterator *t) {
    pthread_mutex_lock(&translit_lock);
    if (translit_npool < TRANSLIT_POOL) {
        translit_pool[translit_npool++] = t;
        t = NULL;
    }
    pthread_mutex_unlock(&translit_lock);
    if (t) utrans_close(t);
}

norm_ctx *norm_open(char *err, size_t errlen) {
    UErrorCode st = U_ZERO_ERROR;
    norm_ctx *ctx = calloc(1, sizeof *ctx);

    if (!ctx) {
        set_err(err, errlen, "out of memory", U_MEMORY_ALLOCATION_ERROR);
        return NULL;
    }
    ctx->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st)) {
        set_err(err, errlen, "NFKC_Casefold", st);
        free(ctx);
        return NULL;
    }
    ctx->translit = translit_open(&st);
    if (!ctx->translit) {
        set_err(err, errlen, "transliterator Any-Latin; Latin-ASCII", st);
        free(ctx);
        return NULL;
    }
    return ctx;
}

void norm_close(norm_ctx *ctx) {
    if (!ctx) return;
    if (ctx->translit) translit_close(ctx->translit);
    free(ctx->a);
    free(ctx->b);
    free(ctx->c);
    free(ctx);
}

unsigned long norm_icu_calls(const norm_ctx *ctx) {
    return ctx ? ctx->icu_calls : 0;
}

unsigned long norm_translit_calls(const norm_ctx *ctx) {
    return ctx ? ctx->translit_calls : 0;
}

/* ---- step 2-4: Arabic-script folding, digits, apostrophes --------------- */

#define FOLD_SPACE 0x0020u /* becomes a separator */

/* Maps one BMP code unit for the folding pass: the shared Arabic-script
 * fold (lib/fold.h), then what romanising a name needs on top. Returns c
 * when unchanged, FOLD_DROP to remove it. */
static UChar fold_unit(UChar c) {
    if (c < 0x80) return (c == '\'' || c == '`') ? FOLD_SPACE : c;
    unsigned f = fold_arabic(c);
    if (f != c) return (UChar)f;
    switch (c) {
    /* Urdu / Pashto / Kurdish letters ICU 72 leaves untransliterated */
    case 0x0679:
    case 0x067C:
        return 0x062A; /* tteh -> teh */
    case 0x0688:
    case 0x0689:
        return 0x062F; /* ddal -> dal */
    case 0x0691:
    case 0x0693:
    case 0x0695:
        return 0x0631; /* rreh -> reh */
    case 0x06BA:
    case 0x06BC:
        return 0x0646; /* noon ghunna -> noon */
    case 0x0696:
        return 0x0698; /* Pashto zhe -> jeh */
    case 0x069A:
        return 0x0634; /* Pashto shin -> sheen */
    case 0x0681:
        return 0x0632; /* Pashto dze -> zain */
    case 0x0685:
        return 0x0633; /* Pashto tse -> seen */
    case 0x06AB:
        return 0x06AF; /* Pashto gaf -> gaf */
    case 0x06B5:
        return 0x0644; /* Kurdish lam -> lam */
    case 0x0636:
        return 0x0638; /* zad -> zah: z as in Fazl */
    /* Bengali ca -> cha: ICU writes "c", names are romanised "ch" */
    case 0x099A:
        return 0x099B;
    /* apostrophe-like marks in the input */
    case 0x00B4:
    case 0x2018:
    case 0x2019:
    case 0x201B:
    case 0x2032:
    case 0x02B9:
    case 0x02BB:
    case 0x02BC:
        return FOLD_SPACE;
    default:
        return c;
    }
}

static int bengali_consonant(UChar c) {
    return (c >= 0x0995 && c <= 0x09B9) || c == 0x09DC || c == 0x09DD ||
           c == 0x09DF || c == 0x09F0 || c == 0x09F1;
}

static int bengali_unit(UChar c) {
    return c >= 0x0980 && c <= 0x09FF;
}

/* Folds src[0..len) into dst (capacity >= 2*len). Returns the new length
 * and sets *non_ascii when anything >= 0x80 remains. */
static int32_t fold_pass(const UChar *src, int32_t len, UChar *dst,
                         int *non_ascii) {
    int32_t i = 0, o = 0;
    int na = 0;

    while (i < len) {
        UChar32 cp;
        U16_NEXT(src, i, len, cp);
        if (cp >= 0x80 && u_charType(cp) == U_DECIMAL_DIGIT_NUMBER) {
            int32_t v = u_charDigitValue(cp);
            dst[o++] = (UChar)('0' + (v >= 0 && v <= 9 ? v : 0));
            continue;
        }
        if (cp > 0xFFFF) {
            U16_APPEND_UNSAFE(dst, o, cp);
            na = 1;
            continue;
        }
        UChar c = fold_unit((UChar)cp);
        if (c == FOLD_DROP) continue;
        if (c == FOLD_SPACE && cp != ' ' && o > 0 && u_isalpha(dst[o - 1]) &&
            i < len && u_isalpha(src[i]))
            continue; /* an apostrophe inside a word: Ja’far = Jafar */
        dst[o++] = c;
        if (c >= 0x80) na = 1;
        /* Bengali: hasanta after a word-final consonant (optionally with
         * nukta) so the inherent vowel is not transliterated. */
        if (bengali_consonant(c) ||
            (c == 0x09BC && o >= 2 && bengali_consonant(dst[o - 2]))) {
            if (i >= len || !bengali_unit(src[i])) dst[o++] = 0x09CD;
        }
    }
    *non_ascii = na;
    return o;
}

/* ---- norm_text -------------------------------------------------------- */

static size_t norm_ascii(const char *in, size_t n, char *out, size_t cap) {
    emit_t e;
    size_t i;

    emit_init(&e, out, cap);
    for (i = 0; i < n; i++) {
        char ch = in[i];
        if (is_alnum_ascii((unsigned char)ch))
            emit_char(&e, lower_ascii(ch));
        else if ((ch == '\'' || ch == '`') && i && i + 1 < n &&
                 is_alnum_ascii((unsigned char)in[i - 1]) &&
                 is_alnum_ascii((unsigned char)in[i + 1]))
            continue; /* inside a word: Ja'far = Jafar */
        else
            emit_sep(&e);
    }
    return emit_end(&e);
}

static int ascii_consonant(UChar c) {
    if (c >= 'A' && c <= 'Z') c = (UChar)(c - 'A' + 'a');
    return c >= 'a' && c <= 'z' && !strchr("aeiou", (char)c);
}

/* Step 6 on the UTF-16 result. */
static size_t final_pass(const UChar *s, int32_t len, char *out, size_t cap) {
    emit_t e;
    int32_t i = 0;

    emit_init(&e, out, cap);
    while (i < len) {
        UChar32 cp;
        U16_NEXT(s, i, len, cp);
        if (cp < 0x80) {
            if (is_alnum_ascii(cp))
                emit_char(&e, lower_ascii((char)cp));
            else if (cp != '\'') /* transliterator syllable separator */
                emit_sep(&e);
        } else if (cp == 0x02BF || cp == 0x02BE || cp == 0x02BB ||
                   cp == 0x02BC) {
            /* ain / hamza: a vowel onset at the start of a word */
            if (emit_at_word_start(&e) && i < len && ascii_consonant(s[i]))
                emit_char(&e, 'a');
        } else if (!(U_GET_GC_MASK(cp) &
                     (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK))) {
            emit_sep(&e);
        }
        /* other letters, marks, numbers ICU could not romanise: dropped */
    }
    return emit_end(&e);
}

static size_t fail(char *out, size_t cap) {
    if (cap) out[0] = '\0';
    return NORM_ERROR;
}

size_t norm_text(norm_ctx *ctx, const char *in, size_t n, char *out,
                 size_t cap) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t len, blen, flen;
    int non_ascii = 0;
    size_t i;

    if (!in) n = 0;
    for (i = 0; i < n; i++)
        if ((unsigned char)in[i] >= 0x80) break;
    if (i == n) return norm_ascii(in, n, out, cap);
    if (!ctx || n > NORM_MAX_IN) return fail(out, cap);
    ctx->icu_calls++;

    /* UTF-8 -> UTF-16 (invalid bytes -> U+FFFD, later a separator) */
    if (buf_grow_i32(&ctx->a, &ctx->acap, (size_t)n + 1, sizeof(UChar)))
        return fail(out, cap);
    u_strFromUTF8WithSub(ctx->a, ctx->acap, &len, in, (int32_t)n, 0xFFFD, NULL,
                         &st);
    if (U_FAILURE(st)) return fail(out, cap);

    /* 1. NFKC_Casefold into b */
    for (;;) {
        st = U_ZERO_ERROR;
        blen =
            unorm2_normalize(ctx->nfkc_cf, ctx->a, len, ctx->b, ctx->bcap, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            if (buf_grow_i32(&ctx->b, &ctx->bcap, (size_t)blen + 1,
                             sizeof(UChar)))
                return fail(out, cap);
            continue;
        }
        if (U_FAILURE(st)) return fail(out, cap);
        break;
    }

    /* 2-4. folding into a */
    if (buf_grow_i32(&ctx->a, &ctx->acap, 2 * (size_t)blen + 1, sizeof(UChar)))
        return fail(out, cap);
    flen = fold_pass(ctx->b, blen, ctx->a, &non_ascii);
    if (!non_ascii) return final_pass(ctx->a, flen, out, cap);

    /* 5. transliteration in c (a keeps the source for a retry) */
    ctx->translit_calls++;
    if (buf_grow_i32(&ctx->c, &ctx->ccap, 4 * (size_t)flen + 16, sizeof(UChar)))
        return fail(out, cap);
    for (;;) {
        int32_t tlen = flen, limit = flen;
        st = U_ZERO_ERROR;
        memcpy(ctx->c, ctx->a, (size_t)flen * sizeof *ctx->c);
        utrans_transUChars(ctx->translit, ctx->c, &tlen, ctx->ccap, 0, &limit,
                           &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            int64_t need = (int64_t)ctx->ccap * 2;
            if (tlen > need) need = tlen;
            if (buf_grow_i32(&ctx->c, &ctx->ccap, (size_t)need, sizeof(UChar)))
                return fail(out, cap);
            continue;
        }
        if (U_FAILURE(st)) return fail(out, cap);
        return final_pass(ctx->c, tlen, out, cap);
    }
}

/* ---- norm_name_key ---------------------------------------------------- */

#define KEY_TOK                                                                \
    256 /* token buffer (bytes incl. NUL); longer tokens are cut               \
         */

static int is_vowel(char ch) {
    return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u';
}

static int is_article(const char *t) {
    static const char *const art[] = {
        "al", "el", "ul", "ol", "ad", "ud", "ar",  "ur",  "as", "us",
        "az", "uz", "an", "un", "at", "ut", "ash", "ush", NULL};
    for (int i = 0; art[i]; i++)
        if (strcmp(t, art[i]) == 0) return 1;
    return 0;
}

/* abd, abdu, abdul, abdal, abdel, abdol, abdur, abdus, abdush, ... */
static int is_abd_compound(const char *t) {
    if (strncmp(t, "abd", 3) != 0) return 0;
    t += 3;
    if (is_vowel(*t)) t++;
    if (*t == '\0') return 1;
    if (strcmp(t, "sh") == 0) return 1;
    return strchr("ldrsznt", *t) && t[1] == '\0';
}

/* Theophoric suffixes written as part of a name or as a word of their own
 * (Nasiruddin / Nasir Uddin / Nasir ud-Din / نصیرالدین; Habibullah / Habib
 * Ullah / حبیب‌الله). Each form has a fixed key: "dn" and "alh". */
static const struct {
    const char *form; /* spelling, as norm_text writes it */
    const char *key;  /* key of the suffix token */
} key_suffix[] = {
    {"uddin", "dn"}, {"uddeen", "dn"}, {"addin", "dn"},  {"eddin", "dn"},
    {"aldin", "dn"}, {"uldin", "dn"},  {"aldeen", "dn"}, {"aldyn", "dn"},
    {"uddyn", "dn"}, {"ullah", "alh"}, {"ollah", "alh"}, {"allah", "alh"},
    {"ulla", "alh"}, {"ullh", "alh"},  {"allh", "alh"},  {NULL, NULL}};

/* Index of the key_suffix entry t[0..len) equals, or -1. */
static int suffix_form(const char *t, size_t len) {
    for (int i = 0; key_suffix[i].form; i++)
        if (strlen(key_suffix[i].form) == len &&
            memcmp(t, key_suffix[i].form, len) == 0)
            return i;
    return -1;
}

static void key_skeleton(emit_t *e, const char *t);

/* Key of one token: a suffix form alone, stem + suffix (stem of at least 3
 * letters, not an abd-compound: Abdullah stays one word), or a skeleton. */
static void key_token(emit_t *e, const char *t) {
    size_t len = strlen(t);
    int k = suffix_form(t, len);

    if (k < 0 && strncmp(t, "abd", 3) != 0) {
        for (int i = 0; key_suffix[i].form; i++) {
            size_t fl = strlen(key_suffix[i].form);
            if (len >= fl + 3 &&
                memcmp(t + len - fl, key_suffix[i].form, fl) == 0) {
                char stem[KEY_TOK];
                memcpy(stem, t, len - fl);
                stem[len - fl] = '\0';
                key_skeleton(e, stem);
                k = i;
                break;
            }
        }
    }
    if (k < 0) {
        key_skeleton(e, t);
        return;
    }
    emit_sep(e);
    for (const char *p = key_suffix[k].key; *p; p++)
        emit_char(e, *p);
}

/* Consonant skeleton of one token t (lowercase [a-z0-9]). */
static void key_skeleton(emit_t *e, const char *t) {
    char sym[2 * KEY_TOK]; /* digraph-reduced symbols */
    char buf[KEY_TOK];
    size_t ns = 0, i, len;
    char last = 0;

    /* abbreviations of Muhammad; moh is the Bengali মোঃ */
    if (!strcmp(t, "md") || !strcmp(t, "mhd") || !strcmp(t, "mohd") ||
        !strcmp(t, "muhd") || !strcmp(t, "moh"))
        t = "muhammad";

    /* article inside an abd-compound: abd+V+l..., abd+V+CC... -> abd... */
    len = strlen(t);
    if (len > 5 && strncmp(t, "abd", 3) == 0 && is_vowel(t[3]) &&
        (t[4] == 'l' || (t[4] == t[5] && strchr("dnrstz", t[4])))) {
        snprintf(buf, sizeof buf, "abd%s", t + (t[4] == 'l' ? 5 : 4));
        t = buf;
        len = strlen(t);
    }

    /* final "dh"/"zh" in script forms is dal/zain + heh: -zadeh, Hamzah */
    if (len >= 3 && t[len - 1] == 'h' &&
        (t[len - 2] == 'd' || t[len - 2] == 'z'))
        len--;

    for (i = 0; i < len; i++) {
        char ch = t[i], nx = i + 1 < len ? t[i + 1] : '\0';
        /* not zh: a script form without short vowels writes Zahra
         * (ز + ه) as "zhra", and ژ (zh) is rare in names */
        if (nx == 'h' && strchr("pkgscdt", ch)) {
            static const char from[] = "pkgscdt", to[] = "fxgsczs";
            sym[ns++] = to[strchr(from, ch) - from];
            i++;
            continue;
        }
        switch (ch) {
        case 'c':
            sym[ns++] = nx == 'k' ? 'k' : 'j';
            if (nx == 'k') i++;
            break;
        case 'q':
            sym[ns++] = 'k';
            break;
        case 'x':
            sym[ns++] = 'k';
            sym[ns++] = 's';
            break;
        case 'v':
            sym[ns++] = 'w';
            break;
        default:
            sym[ns++] = ch;
            break;
        }
    }
    if (ns >= 2 && sym[ns - 1] == 't') /* final devoicing: Mehmet */
        sym[ns - 1] = 'd';
    else if (ns >= 2 && sym[ns - 1] == 'p') /* Recep */
        sym[ns - 1] = 'b';
    if (ns >= 2 && sym[ns - 1] == 'h') /* token-final h: Fatimah */
        ns--;

    emit_sep(e);
    for (i = 0; i < ns; i++) {
        char ch = sym[i];
        if (i == 0)
            ch = is_vowel(ch) ? 'a' : ch;
        else if (is_vowel(ch) || ch == 'y' || ch == 'w' || ch == last)
            continue;
        emit_char(e, ch);
        last = ch;
    }
    /* nisba: a final -i / -y of 4+ letters is kept as a final "y" (never
     * emitted otherwise after the first letter), so Ahmadi is not Ahmad */
    if (len >= 4 && (t[len - 1] == 'i' || t[len - 1] == 'y')) emit_char(e, 'y');
}

size_t norm_key_drop_nisba(char *key, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (key[i] == 'y' && i > 0 && key[i - 1] != ' ' &&
            (i + 1 == n || key[i + 1] == ' '))
            continue;
        key[k++] = key[i];
    }
    if (k < n) key[k] = '\0';
    return k;
}

size_t norm_key_drop_article(char *key, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && key[j] != ' ')
            j++;
        size_t from = i;
        if (j - i >= 5 && key[i] == 'a' && key[i + 1] == 'l') from = i + 2;
        if (k && i) key[k++] = ' ';
        memmove(key + k, key + from, j - from);
        k += j - from;
        i = j < n ? j + 1 : j;
    }
    if (k < n) key[k] = '\0';
    return k;
}

/* Words that join a name to the father's (bin, ibn, walad, s/o): dropped
 * from the key when other words remain. Also as transliterated from the
 * scripts: bnt (بنت, bint), frznd (فرزند, child of), dkhtr (دختر, daughter
 * of), psr (پسر, son of); and the Bengali label pita (পিতা, father:). */
static int is_connector(const char *t) {
    static const char *const con[] = {
        "bin",     "ibn",     "bint",  "binti", "walad", "wald",  "wld",
        "ben",     "farzand", "frznd", "bn",    "bnt",   "dkhtr", "dokhtar",
        "dukhtar", "psr",     "pesar", "pisar", "pita",  "pitah", NULL};
    for (int i = 0; con[i]; i++)
        if (strcmp(t, con[i]) == 0) return 1;
    return 0;
}

size_t norm_name_key(const char *norm, size_t n, char *out, size_t cap) {
    emit_t e;
    char pend[KEY_TOK]; /* article / abd-compound waiting for its token */
    char tok[KEY_TOK];
    size_t i = 0, pl = 0;

    emit_init(&e, out, cap);
    if (!norm) n = 0;
    pend[0] = '\0';
    while (i < n) {
        size_t tl = 0;
        while (i < n && !is_alnum_ascii((unsigned char)norm[i]))
            i++;
        if (i >= n) break;
        /* token = pending prefix + this word */
        memcpy(tok, pend, pl);
        tl = pl;
        while (i < n && is_alnum_ascii((unsigned char)norm[i])) {
            if (tl < KEY_TOK - 1) tok[tl++] = lower_ascii(norm[i]);
            i++;
        }
        tok[tl] = '\0';
        pl = 0;
        {
            size_t j = i;
            int more;
            while (j < n && !is_alnum_ascii((unsigned char)norm[j]))
                j++;
            more = j < n;
            /* s/o, d/o, w/o, son of, daughter of, wife of: both go */
            if (more && ((tl == 1 && strchr("sdw", tok[0]) && norm[j] == 'o' &&
                          (j + 1 == n ||
                           !is_alnum_ascii((unsigned char)norm[j + 1]))) ||
                         ((!strcmp(tok, "son") || !strcmp(tok, "daughter") ||
                           !strcmp(tok, "wife")) &&
                          !strncmp(norm + j, "of", 2) &&
                          (j + 2 == n ||
                           !is_alnum_ascii((unsigned char)norm[j + 2]))))) {
                i = j + (tl == 1 ? 1 : 2);
                continue;
            }
            if ((more || e.len) && is_connector(tok)) continue;
            if (more && (is_article(tok) || is_abd_compound(tok))) {
                memcpy(pend, tok, tl + 1);
                pl = tl;
                continue;
            }
        }
        key_token(&e, tok);
    }
    return emit_end(&e);
}

/* ---- norm_sorted_tokens ----------------------------------------------- */

/* Compares token a[0..al) with b[0..bl) bytewise. */
static int tokcmp(const char *a, size_t al, const char *b, size_t bl) {
    size_t m = al < bl ? al : bl;
    int c = memcmp(a, b, m);
    if (c) return c;
    return al < bl ? -1 : al > bl ? 1 : 0;
}

static int is_sep(char ch) {
    return (unsigned char)ch <= ' ';
}

size_t norm_sorted_tokens(const char *in, size_t n, char *out, size_t cap) {
    emit_t e;
    const char *prev = NULL; /* last token emitted */
    size_t prevl = 0;

    emit_init(&e, out, cap);
    if (!in) n = 0;
    for (;;) {
        const char *best = NULL;
        size_t bestl = 0, count = 0, i = 0;
        /* smallest token greater than prev, and how often it occurs */
        while (i < n) {
            size_t s, l;
            while (i < n && is_sep(in[i]))
                i++;
            if (i >= n) break;
            s = i;
            while (i < n && !is_sep(in[i]))
                i++;
            l = i - s;
            if (prev && tokcmp(in + s, l, prev, prevl) <= 0) continue;
            if (!best || tokcmp(in + s, l, best, bestl) < 0) {
                best = in + s;
                bestl = l;
                count = 1;
            } else if (tokcmp(in + s, l, best, bestl) == 0) {
                count++;
            }
        }
        if (!best) break;
        while (count--) {
            emit_sep(&e);
            for (size_t k = 0; k < bestl; k++)
                emit_char(&e, best[k]);
        }
        prev = best;
        prevl = bestl;
    }
    return emit_end(&e);
}

/* ---- norm_digits_only ------------------------------------------------- */

size_t norm_digits_only(const char *in, size_t n, char *out, size_t cap) {
    emit_t e;
    size_t i = 0;

    emit_init(&e, out, cap);
    if (!in) n = 0;
    while (i < n) {
        unsigned char b0 = (unsigned char)in[i];
        uint32_t cp;
        size_t k;

        if (b0 < 0x80) {
            if (b0 >= '0' && b0 <= '9') emit_char(&e, (char)b0);
            i++;
            continue;
        }
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            k = 1;
            cp = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            k = 2;
            cp = b0 & 0x0F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            k = 3;
            cp = b0 & 0x07;
        } else {
            i++; /* invalid lead byte */
            continue;
        }
        if (k >= n - i) {
            i++; /* sequence runs past the end */
            continue;
        }
        {
            size_t j;
            for (j = 1; j <= k; j++) {
                unsigned char bj = (unsigned char)in[i + j];
                if ((bj & 0xC0) != 0x80) break;
                cp = (cp << 6) | (bj & 0x3F);
            }
            if (j <= k) {
                i++; /* truncated sequence */
                continue;
            }
        }
        i += k + 1;
        if (cp >= 0x0660 && cp <= 0x0669)
            emit_char(&e, (char)('0' + cp - 0x0660));
        else if (cp >= 0x06F0 && cp <= 0x06F9)
            emit_char(&e, (char)('0' + cp - 0x06F0));
        else if (cp >= 0x09E6 && cp <= 0x09EF)
            emit_char(&e, (char)('0' + cp - 0x09E6));
        else if (cp >= 0x0966 && cp <= 0x096F)
            emit_char(&e, (char)('0' + cp - 0x0966));
        else if (cp >= 0xFF10 && cp <= 0xFF19)
            emit_char(&e, (char)('0' + cp - 0xFF10));
    }
    return emit_end(&e);
}
