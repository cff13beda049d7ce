/*
 * mask.c: masked forms of personal values (see mask.h).
 */
#include "mask.h"

#include <stdio.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#define MASK_MAX_CHARS 32 /* mask characters before "..." */
#define MASK_ID_DIGITS 12 /* digits from which some are shown */
#define MASK_MAX_SCRIPTS 4

/* Counts of one value's characters. */
typedef struct mask_stats {
    size_t chars;   /* code points (an invalid byte counts as one) */
    size_t letters; /* alphabetic */
    size_t digits;  /* decimal digits of any script */
    size_t spaces;  /* white space */
    size_t other;   /* punctuation, symbols, controls, invalid bytes */
    UScriptCode scripts[MASK_MAX_SCRIPTS]; /* scripts of the letters */
    int nscripts;                          /* how many */
} mask_stats;

/* Appends S (LEN bytes) to OUT at *O when it fits. */
static void put(char *out, size_t cap, size_t *o, const char *s, size_t len) {
    if (*o + len + 1 > cap) return;
    memcpy(out + *o, s, len);
    *o += len;
    out[*o] = 0;
}

static void add_script(mask_stats *st, UChar32 ch) {
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(ch, &e);
    if (U_FAILURE(e) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED) return;
    for (int i = 0; i < st->nscripts; i++)
        if (st->scripts[i] == sc) return;
    if (st->nscripts < MASK_MAX_SCRIPTS) st->scripts[st->nscripts++] = sc;
}

static void stats_of(const char *p, size_t n, mask_stats *st) {
    memset(st, 0, sizeof *st);
    const uint8_t *s = (const uint8_t *)p;
    int32_t i = 0, len = n > INT32_MAX ? INT32_MAX : (int32_t)n;
    while (i < len) {
        UChar32 ch;
        U8_NEXT(s, i, len, ch);
        st->chars++;
        if (ch < 0)
            st->other++;
        else if (u_isdigit(ch))
            st->digits++;
        else if (u_isalpha(ch)) {
            st->letters++;
            add_script(st, ch);
        } else if (u_isUWhiteSpace(ch))
            st->spaces++;
        else
            st->other++;
    }
}

static void describe(const mask_stats *st, char *out, size_t cap, size_t *o) {
    char buf[256];
    size_t b = 0;
    const char *sep = "";
#define PART(cnt, one, many)                                                   \
    if (cnt && b < sizeof buf)                                                 \
        b += (size_t)snprintf(buf + b, sizeof buf - b, "%s%zu %s", sep, cnt,   \
                              cnt == 1 ? one : many),                          \
            sep = ", ";
    int one = st->letters == st->chars || st->digits == st->chars;
    if (one) {
        PART(st->letters, "letter", "letters");
        PART(st->digits, "digit", "digits");
    } else {
        b += (size_t)snprintf(buf, sizeof buf, "%zu character%s: ", st->chars,
                              st->chars == 1 ? "" : "s");
        PART(st->letters, "letter", "letters");
        PART(st->digits, "digit", "digits");
        PART(st->spaces, "space", "spaces");
        PART(st->other, "other", "other");
    }
#undef PART
    for (int i = 0; i < st->nscripts && b < sizeof buf; i++)
        b += (size_t)snprintf(buf + b, sizeof buf - b, "%s%s",
                              i == 0                  ? (one ? ", " : "; ")
                              : i == st->nscripts - 1 ? " and "
                                                      : ", ",
                              uscript_getName(st->scripts[i]));
    if (b >= sizeof buf) b = sizeof buf - 1;
    put(out, cap, o, " (", 2);
    put(out, cap, o, buf, b);
    put(out, cap, o, ")", 1);
}

size_t mask_value(const char *p, size_t n, int desc, char *out, size_t cap) {
    size_t o = 0;
    if (cap == 0) return 0;
    out[0] = 0;
    if (n == 0) return 0;
    mask_stats st;
    stats_of(p, n, &st);
    const uint8_t *s = (const uint8_t *)p;
    int32_t i = 0, len = n > INT32_MAX ? INT32_MAX : (int32_t)n;
    size_t chars = 0, letters = 0, digits = 0;
    int id = st.digits >= MASK_ID_DIGITS;
    while (i < len) {
        int32_t at = i;
        UChar32 ch;
        U8_NEXT(s, i, len, ch);
        if (++chars > MASK_MAX_CHARS) {
            put(out, cap, &o, "...", 3);
            break;
        }
        char m = '?';
        if (ch < 0) {
            m = '?';
        } else if (u_isdigit(ch)) {
            digits++;
            if (id && (digits <= 4 || digits == st.digits)) {
                put(out, cap, &o, p + at, (size_t)(i - at));
                continue;
            }
            m = '*';
        } else if (u_isalpha(ch)) {
            letters++;
            m = letters > 2     ? '*'
                : u_isupper(ch) ? 'A'
                : u_islower(ch) ? 'a'
                                : '*';
        } else if (u_isUWhiteSpace(ch)) {
            m = ' ';
        } else if (ch < 0x80 && ch > 0x20 && ch != 0x7F) {
            m = (char)ch; /* ASCII punctuation: - / . ' ( ) */
        }
        put(out, cap, &o, &m, 1);
    }
    if (desc) describe(&st, out, cap, &o);
    return o;
}
