/*
 * normalize.h: name and document-number normalisation for record linkage
 * (dedup) of person records written in Latin, Perso-Arabic, Urdu, Pashto or
 * Bengali script and in several romanisations (see the standard, section
 * "Identity documents and names in the region").
 *
 * Ownership: norm_open() returns a context the caller owns and must release
 * with norm_close(); the context owns its ICU transliterator and its scratch
 * buffers (the NFKC_Casefold normaliser is an ICU singleton, never closed).
 * norm_close() hands the transliterator back to a small process-wide pool
 * for the next norm_open() (normalize.c says why); the pool lives until the
 * process ends.
 * Every other function writes only into the caller's out buffer and keeps no
 * pointer to any argument. Inputs are (pointer, length) pairs and need not be
 * NUL-terminated; a NULL pointer with length 0 is the empty text.
 *
 * Output convention for every function that fills out[cap]: the return value
 * is the length of the complete result (like snprintf); out receives at most
 * cap-1 bytes plus a NUL (nothing when cap is 0), so ret >= cap means the
 * result was truncated. Results are ASCII, so truncation never splits a
 * character; a space left at the end by truncation is removed.
 *
 * A norm_ctx is not thread-safe: use one per thread. Only norm_open,
 * norm_close and norm_text need a context.
 */
#ifndef RELEC_NORMALIZE_H
#define RELEC_NORMALIZE_H
#include <stddef.h>

/* Returned by norm_text when ICU fails, memory runs out or in is > 16 MiB. */
#define NORM_ERROR ((size_t)-1)

typedef struct norm_ctx norm_ctx;

/* Opens the ICU objects (NFKC_Casefold normaliser, "Any-Latin; Latin-ASCII"
 * transliterator) once. On failure returns NULL and writes a message to
 * err[errlen] (when errlen > 0). */
norm_ctx *norm_open(char *err, size_t errlen);

/* Releases ctx and everything it owns; NULL is a no-op. */
void norm_close(norm_ctx *ctx);

/* Normalises a name (UTF-8, invalid bytes count as separators) to lowercase
 * ASCII words separated by single spaces, in this order:
 *  1. NFKC with case folding (fullwidth letters, ligatures such as U+FDF2,
 *     Arabic presentation forms); default-ignorables are dropped.
 *  2. Arabic-script folding (lib/fold.h's fold_arabic(), the one map
 *     labels use too, plus the letters after "Urdu/Pashto/Kurdish"): alef
 *     forms U+0623 U+0625 U+0622 U+0671 U+0672
 *     U+0673 -> U+0627; yeh forms U+064A U+0649 U+06CC U+06D0 U+06CD U+06D2
 *     U+06D3 U+06CE -> U+06CC; kaf U+0643 -> keheh U+06A9; heh forms U+06C1
 *     U+06BE U+06D5 U+06C0 U+06C2 U+06C3 and teh marbuta U+0629 -> U+0647;
 *     waw forms U+0624 U+06C6 -> U+0648; Urdu/Pashto/Kurdish letters ICU does
 *     not transliterate are folded to their base (U+0679 U+067C -> t, U+0688
 *     U+0689 -> d, U+0691 U+0693 U+0695 -> r, U+06BA U+06BC -> n, U+0696 ->
 *     zh, U+069A -> sh, U+0681 -> z, U+0685 -> s, U+06AB -> g, U+06B5 -> l);
 *     zad U+0636 -> zah U+0638, so it romanises "z" as in Persian, Urdu,
 *     Dari, Pashto and Turkish names (Fazl, Raza, Ramazan), not "d";
 *     tatweel U+0640, harakat U+064B..U+065F, superscript alef U+0670,
 *     Quranic marks U+06D6..U+06ED, ZWNJ, ZWJ, LRM, RLM, ALM and bidi
 *     controls are removed.
 *  3. Every decimal digit (Arabic-Indic, Extended Arabic-Indic, Bengali, ...)
 *     -> ASCII digit.
 *  4. Apostrophes in the input (' ` U+2018 U+2019 U+02BB U+02BC ...) -> space.
 *     Bengali: a word-final consonant gets a hasanta so that the inherent
 *     vowel is not written ("mohammad", not "mohammada"), and ca U+099A
 *     is folded to cha U+099B ("chaudhuri", as names are romanised).
 *  5. If anything non-ASCII is left, the transliterator "Any-Latin;
 *     Latin-ASCII" runs. Apostrophes it inserts (Bengali syllable marks) are
 *     deleted; the ain/hamza signs U+02BF/U+02BE it writes become "a" at the
 *     start of a word before a consonant (Arabic-script Ali -> "aly", Omar
 *     -> "amr") and are deleted elsewhere; other non-ASCII letters, marks and
 * numbers are deleted, other non-ASCII characters become spaces.
 *  6. ASCII letters lowercased, digits kept, everything else (punctuation,
 *     hyphens, dots) -> space; whitespace collapsed and trimmed.
 * Pure-ASCII input takes a fast path that never calls ICU (steps 1 and 6
 * only, which give the same result the full path would). Returns NORM_ERROR
 * (and out = "") on failure. */
size_t norm_text(norm_ctx *ctx, const char *in, size_t n, char *out,
                 size_t cap);

/* Romanisation-tolerant key of one normalised name (output of norm_text;
 * bytes other than [a-z0-9] are treated as separators, A-Z as a-z). Tokens
 * stay separated by single spaces. Per token:
 *  - articles al el ul ol and the assimilated forms ad ud ar ur as us az uz
 *    an un at ut ash ush are joined to the next token (al tamimi ->
 *    altamimi), as is a leading "abd"-compound (abd, abdu, abdul, abdal,
 *    abdel, abdur, abdus, ...: abdul rahman -> abdulrahman); the article
 *    inside "abd"+vowel+l / "abd"+vowel+doubled consonant is dropped, so
 *    Abdul Rahman, Abd al-Rahman, Abdurrahman and Abdulrahman agree;
 *  - theophoric suffixes, alone or glued to a stem of 3+ letters (not an
 *    abd-compound), get fixed keys: uddin uddeen addin eddin aldin uldin
 *    aldeen aldyn uddyn -> "dn" (Nasiruddin = Nasir Uddin = Nasir ud-Din =
 *    نصیرالدین -> "nsr dn"); ullah ollah allah ulla ullh allh -> "alh"
 *    (Habibullah = Habib Ullah = حبیب‌الله -> "hb alh");
 *  - abbreviations md mhd mohd muhd -> muhammad;
 *  - the words bin ibn bint binti walad wald ben and s/o d/o w/o (son,
 *    daughter, wife of) are dropped when other words remain;
 *  - a word of 4+ letters ending in -i or -y (the nisba: Ahmadi, Qasimi,
 *    Hosseini) keeps a final "y" in its key (norm_key_drop_nisba removes
 *    it), so Ahmadi != Ahmad as keys;
 *  - a final dh / zh is read as d / z + heh (Alizadeh = علیزاده, Hamza =
 *    حمزه);
 *  - digraphs: ph->f, ck->k, kh->x, gh->g, sh->s, ch->c, th->s, dh->z
 *    (not zh: Zahra = زهرا, "zhra" without its short vowel); q->k,
 *    x->ks, v->w, c (alone; Turkish c) -> j;
 *  - skeleton: the first letter is kept (any vowel a e i o u -> "a"), then
 *    vowels a e i o u and y w are dropped, a token-final h is dropped,
 *    repeated symbols collapse, also across dropped vowels (mm -> m,
 *    tamimi -> tm), and a final t/p becomes d/b
 *    (Turkish Mehmet, Ahmet, Recep).
 * Equal keys: Muhammad Mohammad Mohammed Muhammed Mohamed Muhammet Mehmet Mohd
 * Md and the script forms of محمد / মোহাম্মদ -> "mhmd"; Hussain Hussein
 * Hossein Husain Hossain حسین -> "hsn" (Hossaini Hussaini حسینی -> "hsny");
 * Ahmad Ahmed Ahmet احمد -> "ahmd"; Al-Tamimi Al Tamimi Altamimi التميمي ->
 * "altmy"; Khan Khaan
 * -> "xn"; Rahman Rehman -> "rhmn"; Ali Aly علی -> "al".
 * Known collisions (a blocking key, not a verdict): Hassan = Hussain ("hsn"),
 * Muhammad = Mahmood ("mhmd"), Zahra = Zahir ("zhr"), Omar = Amr ("amr").
 * Jaro-Winkler on the norm_text output separates some of them: muhammad/
 * mahmood 0.74 against 0.85 for the variant pair muhammad/mohammed; but
 * hassan/hussain (0.86) and zahra/zahir (0.91) score as high as true
 * variants (hussain/hossein 0.83), so for those other fields (date of
 * birth, father's name, document number) must decide. A token longer than
 * 255 bytes is cut at 255. */
size_t norm_name_key(const char *norm, size_t n, char *out, size_t cap);

/* Drops the nisba marker (a word-final "y" after the first letter, which
 * norm_name_key writes for a word of 4+ letters ending in -i or -y: Ahmadi
 * -> "ahmdy", Ahmad -> "ahmd") from every word of KEY[0..n), in place.
 * Returns the new length. */
size_t norm_key_drop_nisba(char *key, size_t n);

/* Drops the Arabic article from every word of KEY[0..n) that begins with
 * "al" (al-, el-, ال, written apart or joined: the key writes them all
 * "al") and keeps 3 or more letters after it: Al-Tamimi, التميمي "altmy"
 * -> "tmy" = Tamimi; Ali "al", Altaf "altf", Alam "alm" stay. In place;
 * returns the new length. For the variant levels and blocking keys, never
 * for equality: a few names begin so (Alamgir "almgr" -> "mgr"). */
size_t norm_key_drop_article(char *key, size_t n);

/* The space-separated tokens of in (bytes <= ' ' separate) sorted by byte
 * value, joined by single spaces; duplicates are kept. For family/given name
 * swaps: norm_sorted_tokens(norm_name_key(x)). No allocation; time is
 * quadratic in the token count (names have few tokens). */
size_t norm_sorted_tokens(const char *in, size_t n, char *out, size_t cap);

/* Only the digits of in (UTF-8), with Arabic-Indic U+0660.., Extended
 * Arabic-Indic U+06F0.., Bengali U+09E6.., Devanagari U+0966.. and fullwidth
 * U+FF10.. digits converted to ASCII; everything else is dropped
 * ("35202-1234567-1" -> "3520212345671"). Needs no context, no ICU. */
size_t norm_digits_only(const char *in, size_t n, char *out, size_t cap);

/* How many norm_text calls on ctx used ICU at all, and how many of those ran
 * the transliterator (for tests and profiling). */
unsigned long norm_icu_calls(const norm_ctx *ctx);
unsigned long norm_translit_calls(const norm_ctx *ctx);

#endif
