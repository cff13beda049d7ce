/*
 * similar.h: string similarity measures for record linkage of names that
 * have been through norm_text (lowercase ASCII words separated by spaces).
 *
 * Ownership: nothing is allocated and no pointer is kept; every function
 * works on caller (pointer, length) pairs, which need not be NUL-terminated
 * (NULL with length 0 is the empty string). Comparison is bytewise and
 * case-sensitive, so normalise first.
 *
 * Limits: work buffers live on the stack, so each input is cut to its first
 * SIM_MAX_LEN bytes, and sim_token_jaro_winkler looks at no more than
 * SIM_MAX_TOKENS tokens per side (further tokens are ignored). Names are far
 * shorter; longer text is compared on its prefix only.
 */
#ifndef RELEC_SIMILAR_H
#define RELEC_SIMILAR_H
#include <stddef.h>

#define SIM_MAX_LEN 128   /* bytes of each input that are compared */
#define SIM_MAX_TOKENS 16 /* tokens per side in sim_token_jaro_winkler */

/* Jaro-Winkler similarity in [0, 1]: Jaro with match window
 * max(an, bn)/2 - 1, plus the Winkler bonus l * 0.1 * (1 - jaro) for a
 * common prefix of l <= 4 bytes (applied at every Jaro value, no 0.7
 * threshold). Two empty strings give 1.0 (identical); one empty gives 0.0.
 * MARTHA/MARHTA 0.9611, DWAYNE/DUANE 0.84, DIXON/DICKSONX 0.8133. */
double sim_jaro_winkler(const char *a, size_t an, const char *b, size_t bn);

/* Optimal string alignment distance (restricted Damerau-Levenshtein):
 * insertions, deletions, substitutions and transpositions of adjacent
 * bytes, each costing 1, with no substring edited twice (so "ca" -> "abc"
 * is 3, not 2). kitten/sitting 3, ab/ba 1. */
int sim_damerau_levenshtein(const char *a, size_t an, const char *b, size_t bn);

/* Order-independent similarity of multi-word names: tokens are split on
 * bytes <= ' '; every token of each side is paired with its best
 * Jaro-Winkler match on the other side, and the result is the mean over the
 * tokens of both sides (symmetric, so an extra token on either side lowers
 * it). "hussain muhammad" vs "muhammad hussain" is 1.0. No tokens on both
 * sides gives 1.0; no tokens on one side gives 0.0. */
double sim_token_jaro_winkler(const char *a, size_t an, const char *b,
                              size_t bn);

/* American Soundex (letter + 3 digits, e.g. "R163") of the first run of
 * ASCII letters in s (case-insensitive; other bytes are skipped before it
 * and end it). h and w do not separate equal codes, vowels and y do; the
 * first letter's own code suppresses an equal code after it (Pfister
 * P236). Writes a NUL-terminated code into out and returns 4, or writes ""
 * and returns 0 when s has no letter. */
size_t sim_soundex(const char *s, size_t n, char out[5]);

#endif
