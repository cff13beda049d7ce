/*
 * map.h: a compiled crosswalk from one national file layout to a record
 * type of the standard (schemas/maps.md is the language's reference). A map
 * YAML names its target schema and says, per standard field, where the
 * value comes from (a column, a constant or a template of columns and other
 * fields) and how it is turned into the standard: unknown markers, value
 * recodes on a folded key (NFKC, case fold, Arabic letter variants, spaces),
 * dates in national formats and the Solar Hijri calendar, country names and
 * alpha-2 codes to alpha-3, defaults. A value the map cannot place is never
 * guessed: the row is rejected with a reason, or the value is kept with a
 * warning finding, as the map says.
 *
 * Applying a map to a row allocates nothing once its buffers have grown:
 * mapped values go into one reused byte buffer, findings into a reused
 * array, folded keys into a reused scratch buffer. Each column rule keeps
 * a 128 KB cache from raw value to mapped value (lib/map.c: map_vcache),
 * so a label or date is converted once per distinct value, not per row.
 *
 * Ownership: a map owns its schema, tables and buffers. The cells from
 * map_cells(), the findings from map_findings() and the text of
 * map_reason() stay valid until the next map_row() or map_free().
 */
#ifndef RELEC_MAP_H
#define RELEC_MAP_H
#include "check.h"
#include "schema.h"
#include "source.h"
#include <stddef.h>
#include <stdint.h>

typedef struct map map;

/* Loads and compiles the map at PATH, with its target schema. On error
 * returns NULL with "PATH:LINE:COL: error: message" in ERR. */
map *map_load(const char *path, char *err, size_t errlen);
void map_free(map *m);

/* The target schema (owned by the map). */
const schema *map_schema(const map *m);

/* The map file's path, as given. */
const char *map_path(const map *m);

/* Whether the map says `validate: true` (run the checker on mapped rows). */
int map_wants_validate(const map *m);

/* The source columns the map reads, as it names them: map_ncolumns() of
 * them, in the map's order (to find the header among title rows). */
size_t map_ncolumns(const map *m);
const char *map_column(const map *m, size_t i);

/* The column of the current file whose cell field FIELD takes as it is
 * (a column copied, no recode or conversion), or -1. After map_header(). */
int map_field_column(const map *m, size_t field);

/* Starts a file: resolves the columns the map names against the header row
 * (folded: case, spaces and letter variants do not matter). NAME is what
 * {#source} expands to. Returns 0, or -1 with a message in ERR naming the
 * missing columns and the map lines that want them. */
int map_header(map *m, const source_row *hdr, const char *name, char *err,
               size_t errlen);

/* Maps one data row. Returns 0 when the row maps, 1 when the map rejects
 * it (reason in map_reason()). Warnings for kept values either way. */
int map_row(map *m, const source_row *row);

/* The mapped row: one cell per schema field, in schema order. After a
 * reject, fields not reached or not placed hold the raw value. */
const source_cell *map_cells(const map *m);

/* Why the last row was rejected ("" when it was not). */
const char *map_reason(const map *m);

/* Whether findings on `personal: true` fields carry their values (SHOW) or,
 * by default, a mask (mask.h) in the value and the message. */
void map_show_personal(map *m, int show);

/* Findings of the last map_row(): warnings for values kept unplaced and
 * errors for the values that rejected the row (code codelist or type). */
const check_finding *map_findings(const map *m, size_t *n);

/* The label fold used for recode keys and headers (fold_label() of
 * lib/fold.h, the Arabic-script folding shared with lib/normalize.h), into
 * the map's scratch buffer: NFKC + case fold (ICU, only for non-ASCII),
 * Arabic-script letter variants unified (ي ى ے -> ی, ك -> ک, أ إ آ -> ا,
 * ة ہ -> ه), harakat, tatweel, ZWNJ and bidi marks removed, non-ASCII
 * digits to ASCII, spaces trimmed and collapsed. Returns the folded bytes
 * (valid until the next call) and their length in *OUTN. M may be a map or NULL
 * (a static context: not thread-safe; for tests). */
const char *map_fold(map *m, const char *s, size_t n, size_t *outn);

/* A 64-bit hash of N bytes, never 0, 8 bytes a step (for the value caches
 * and for merge's row content hashes). */
uint64_t map_hash_bytes(const char *p, size_t n);

#endif
