/*
 * key.h: secret keys for pseudonyms and linkage encodings: 32 random bytes
 * from libsodium, kept in a file only its owner can read. The file holds
 * the key as 64 hexadecimal digits and a newline, after a comment line
 * saying what it is. A key is never printed; key_fingerprint() names one
 * (so that two countries can tell they hold the same link key) without
 * revealing it.
 *
 * Ownership: functions write only into the caller's buffers; a key read
 * into a caller's buffer should be wiped with sodium_memzero() after use.
 */
#ifndef RELEC_KEY_H
#define RELEC_KEY_H
#include <stddef.h>

#define KEY_BYTES 32 /* key length */

/* Creates PATH (never over an existing file: O_EXCL, mode 0600 from the
 * start) holding a new random key. Returns 0, or -1 with ERR. */
int key_new(const char *path, char *err, size_t errlen);

/* Reads the key in PATH into KEY. Returns 0; -1 with ERR when the file
 * cannot be read or is not a key; -2 with ERR when group or others may
 * read or write it (a key must be 0600 or 0400). */
int key_read(const char *path, unsigned char key[KEY_BYTES], char *err,
             size_t errlen);

/* A 16-hex-digit name of KEY (a keyed hash of a fixed text; says nothing
 * of the key). OUT needs 17 bytes. */
void key_fingerprint(const unsigned char key[KEY_BYTES], char out[17]);

#endif
