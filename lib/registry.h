/*
 * registry.h: the dedup registry, a SQLite file (relec.db) that keeps the
 * persons and incidents already seen with their cluster ids, so that a new
 * month is matched against the past and keeps its ids. One table per
 * record type, dedup_<type>, with the schema's fields as TEXT columns and
 * _rowid, _cluster_id, _fingerprint, _match_score, _source_file,
 * _source_row, _added. A row is identified by its values, exactly: the
 * fingerprint (a 64-bit hash, UNIQUE) only finds the candidates, whose
 * values are then compared, so re-running a month adds nothing twice and
 * two different rows whose hashes collide are both kept (the second under
 * "<print>-2", the third "-3", ...).
 * Changes of a run are made in one transaction: a failed run leaves the
 * file as it was.
 *
 * Ownership: a registry owns its SQLite handle and statements until
 * registry_close(); values passed in are copied by SQLite; values handed to
 * a registry_each callback are valid during the call only.
 */
#ifndef RELEC_REGISTRY_H
#define RELEC_REGISTRY_H
#include <stddef.h>
#include <stdint.h>

typedef struct registry registry;

/* Opens or creates PATH with the table for record type KIND and columns
 * FIELDS (missing columns of an older table are added). Starts the run's
 * transaction. NULL with ERR on failure. */
registry *registry_open(const char *path, const char *kind,
                        const char *const *fields, size_t nfields, char *err,
                        size_t errlen);

/* Called per stored row: VALS/LENS in the FIELDS order of registry_open. */
typedef int (*registry_row_fn)(void *ctx, long rowid, const char *cluster_id,
                               double score, const char *fingerprint,
                               const char *const *vals, const size_t *lens);

/* Calls FN for every row, in rowid order; stops when FN returns nonzero.
 * 0, or -1 with ERR. */
int registry_each(registry *r, registry_row_fn fn, void *ctx, char *err,
                  size_t errlen);

/* Rows stored, and the largest number N of a cluster id "C<N>" (0: none). */
long registry_count(registry *r);
long registry_max_cluster(registry *r);

/* The rowid of the stored row whose values equal VALS/LENS (spaces at
 * either end ignored, as in registry_fingerprint) and whose fingerprint is
 * FINGERPRINT, 0 when there is none, -1 with ERR on failure. */
long registry_find(registry *r, const char *fingerprint,
                   const char *const *vals, const size_t *lens, char *err,
                   size_t errlen);

/* Whether two rows of N values are one row for the registry: equal values,
 * spaces at either end ignored (as in registry_fingerprint). */
int registry_same(const char *const *a, const size_t *alens,
                  const char *const *b, const size_t *blens, size_t n);

/* Adds a row; a row whose values are stored already is ignored (returns
 * 0). FINGERPRINT is registry_fingerprint() of VALS. 1 added, -1 error with
 * ERR. SCORE NAN = none. */
int registry_add(registry *r, const char *cluster_id, const char *fingerprint,
                 double score, const char *file, long row,
                 const char *const *vals, const size_t *lens, char *err,
                 size_t errlen);

/* Renames cluster FROM to TO (two past clusters joined by a new row);
 * returns the rows changed, or -1 with ERR. */
long registry_rename(registry *r, const char *from, const char *to, char *err,
                     size_t errlen);

/* Stores a better match score for ROWID. */
int registry_set_score(registry *r, long rowid, double score, char *err,
                       size_t errlen);

/* Commits the run's transaction: 0, or -1 with ERR. */
int registry_commit(registry *r, char *err, size_t errlen);

/* Closes; an uncommitted run is rolled back. NULL is fine. */
void registry_close(registry *r);

/* The fingerprint of a row: 16 hex digits of a 64-bit hash of its values
 * (spaces at either end ignored) in FIELDS order, so the same row read
 * from another file, column order or format has the same print. */
void registry_fingerprint(const char *const *vals, const size_t *lens, size_t n,
                          char out[17]);

/* The 64-bit hash behind registry_fingerprint(). A test hook: setting it
 * (NULL restores the real one) forces collisions; not for production. */
typedef uint64_t (*registry_hash_fn)(const char *const *vals,
                                     const size_t *lens, size_t n);
extern registry_hash_fn registry_hash_hook;

#endif
