/*
 * mask.h: a masked form of a personal value (a name, a document number, a
 * date of birth) for findings and messages: what helps fix the cell (its
 * length, character classes, scripts, separators) without the value.
 *
 *   "35202-1234567-2" -> "3520*-*******-2 (15 characters: 13 digits, 2 other)"
 *   "Ahmad"           -> "Aa*** (5 letters, Latin)"
 *   "محمد 12"         -> "**** ** (7 characters: 4 letters, 2 digits, 1
 *                         space; Arabic)"
 *
 * Letters become '*' except the case of the first two ('A' upper, 'a'
 * lower); digits become '*' except, in a value of 12 digits or more (an
 * identity number), the first four and the last; spaces and ASCII
 * punctuation stay; anything else (symbols, control and invalid bytes)
 * becomes '?'. The mask stops after 32 characters ("...").
 *
 * Ownership: functions write only into the caller's buffer.
 */
#ifndef RELEC_MASK_H
#define RELEC_MASK_H
#include <stddef.h>

/* Writes the mask of P (N bytes of UTF-8, maybe invalid) and, when DESCRIBE,
 * its description in parentheses after a space, into OUT (CAP bytes, NUL
 * terminated, cut if need be). Returns the length written. */
size_t mask_value(const char *p, size_t n, int describe, char *out, size_t cap);

#endif
