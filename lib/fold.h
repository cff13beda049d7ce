/*
 * fold.h: the one Arabic-script folding of the project, and the label fold
 * built on it. Labels (map recodes and headers, lib/map.h) and names
 * (record linkage, lib/normalize.h) fold the same letter variants the same
 * way; normalize adds only what romanising a name needs on top (Urdu and
 * Pashto letters to their base, zad as zah, apostrophes, Bengali).
 *
 * Ownership: fold_open() returns a context the caller owns and releases
 * with fold_close(); it owns its scratch buffers and its cache. The text
 * fold_label() returns stays valid until the next call on that context.
 * A context is not thread-safe: use one per thread.
 */
#ifndef RELEC_FOLD_H
#define RELEC_FOLD_H
#include <stddef.h>
#include <stdint.h>

/* fold_arabic() for a character that is removed. */
#define FOLD_DROP 0xFFFFu

/* The Arabic-script fold of one BMP code unit, applied after NFKC and case
 * folding: its replacement, FOLD_DROP, or C itself. Folded together:
 *  - alef with hamza above or below, with madda, wasla, wavy hamza
 *    (U+0623 U+0625 U+0622 U+0671 U+0672 U+0673) -> alef U+0627;
 *  - Arabic yeh U+064A, alef maksura U+0649 and the Urdu/Pashto yeh forms
 *    (U+06D0 U+06CD U+06D2 U+06D3 U+06CE) -> Persian yeh U+06CC;
 *  - Arabic kaf U+0643 -> keheh U+06A9;
 *  - teh marbuta U+0629 and the heh forms (U+06C1 U+06BE U+06D5 U+06C0
 *    U+06C2 U+06C3) -> heh U+0647;
 *  - waw with hamza U+0624 and U+06C6 -> waw U+0648.
 * Removed: harakat and hamza/madda marks U+064B..U+065F, superscript alef
 * U+0670, Quranic marks U+06D6..U+06ED, tatweel U+0640, ZWSP, ZWNJ, ZWJ,
 * LRM, RLM, ALM, the bidi embeddings and isolates, word joiner, BOM and
 * soft hyphen. Digits are not handled here (each caller makes every
 * decimal digit, Arabic-Indic and Persian ones included, ASCII). */
unsigned fold_arabic(unsigned c);

typedef struct fold_ctx fold_ctx;

/* A context for fold_label(), or NULL when out of memory. */
fold_ctx *fold_open(void);

/* Releases CTX; NULL is fine. */
void fold_close(fold_ctx *ctx);

/* The fold of a label (a recode key, a column name): NFKC_Casefold (ICU,
 * only for text that needs it), fold_arabic(), Arabic-Indic, Persian and
 * Bengali digits to ASCII (fullwidth ones through NFKC), ASCII whitespace
 * trimmed and collapsed to one space. Returns the folded bytes and their length
 * in *OUTN; "" (length 0) when ICU fails or memory runs out. Text of ASCII, of
 * the Arabic block and of ZW and bidi marks takes a path without ICU that gives
 * the same result. */
const char *fold_label(fold_ctx *ctx, const char *s, size_t n, size_t *outn);

#endif
