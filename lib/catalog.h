/*
 * catalog.h: where the standard's schemas are. One resolver for every
 * command and map, so that `-s incident`, a map's `schema: incident` and
 * the store's record types find the same file.
 *
 * A bare name (incident, person.yaml) is looked up, in order, in:
 *   1. $RELEC_SCHEMAS (a folder), when set;
 *   2. the folder the caller names (--schemas DIR), when given;
 *   3. ./schemas (a source tree or a project folder);
 *   4. beside a map: MAPDIR/../../schemas, MAPDIR/../schemas, MAPDIR;
 *   5. beside the binary: BIN/../schemas (the source tree's bin/relec) and
 *      BIN/../share/relec/schemas (installed with any PREFIX: no rebuild);
 *   6. the folder compiled in (RELEC_SCHEMA_DIR), /usr/local/share/relec/
 *      schemas and /usr/share/relec/schemas.
 * A name with a '/' (or an existing file) is a path and taken as given,
 * relative to the map's folder for a map's schema.
 *
 * Ownership: the returned strings are the caller's buffer or static
 * storage of this module (valid until the next call); nothing to free.
 */
#ifndef RELEC_CATALOG_H
#define RELEC_CATALOG_H
#include <stddef.h>

/* The file a schema NAME stands for, written into BUF (CAP bytes), or
 * NAME itself when it is a path or nothing is found (so that opening it
 * gives the usual "cannot open" error). GIVEN_DIR is --schemas or NULL;
 * MAP_DIR the folder of the map naming it, or NULL. */
const char *catalog_find(const char *name, const char *given_dir,
                         const char *map_dir, char *buf, size_t cap);

/* The folder of the standard schemas (the one holding incident.yaml),
 * looked up as above; "schemas" when none is found. */
const char *catalog_dir(const char *given_dir);

#endif
