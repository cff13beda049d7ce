/*
 * compare_store.c: compare_read_store() (compare.h): the rows of one table
 * of the regional store into the comparison.
 *
 * Decision: the store is read with one narrow SELECT of the columns the
 * tables need (6 to 20 of the 26 an incident row has), and the rows go
 * through the same compare_header()/compare_row() as file rows, so that
 * the tables over the store are those over the files by construction (the
 * test in tests/scripts/store.sh compares the two outputs byte for byte).
 *
 * Why not GROUP BY in SQL: measured with the sqlite3 shell on a store of
 * 1,000,000 incidents (SQLite 3.40): the GROUP BY of the bucket key
 * (country, period, offence type, stage, form) with the sums takes 1.75 s
 * of CPU, because SQLite groups by sorting; the narrow scan of the same
 * columns takes 0.37 s, and compare's own bucketing (one hash look-up per
 * row on a packed key, see compare.c) adds about 0.2 s. The scan is the
 * faster of the two by about 3x and needs no second implementation of the
 * indicator rules in SQL.
 *
 * Performance: the SELECT skips what the tables do not read (the id and
 * date of incidents when no person rows follow, the notes, places, routes
 * and the bookkeeping columns); cells point into SQLite's column buffers,
 * valid until the next step (the source contract), so nothing is copied
 * or allocated per row. (A memory map of the file, mmap_size, saved no
 * measurable time and made the file count in RSS.)
 */
#include "compare.h"
#include "outfile.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const table_of[3] = {"incident", "person", "aggregate"};

int compare_read_store(compare *c, const char *path, compare_kind kind,
                       int with_ids, char *err, size_t errlen) {
    size_t nwant; /* the columns compare reads (compare_columns()); a
                     column the table lacks is left out, compare_header()
                     says which required one is missing */
    const char *const *want = compare_columns(kind, &nwant);
    const char *table = table_of[kind];
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    source_cell cells[24];
    int ncols = 0, rc = -1;
    char sql[2048];
    outfile_guard(path);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open the store: %s",
                 db ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(db, 5000);
    /* which of the wanted columns the table has */
    snprintf(sql, sizeof sql, "PRAGMA table_info(\"%s\")", table);
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) goto sqlerr;
    unsigned have = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 1);
        for (size_t i = 0; name && i < nwant; i++)
            if (!strcmp(name, want[i])) have |= 1u << i;
    }
    sqlite3_finalize(q);
    q = NULL;
    size_t len = (size_t)snprintf(sql, sizeof sql, "SELECT ");
    for (size_t i = 0; i < nwant && ncols < 24; i++) {
        if (!(have & 1u << i)) continue;
        /* incident_id and incident_date of incidents serve the person
         * join only */
        if (kind == COMPARE_INCIDENT && !with_ids &&
            (!strcmp(want[i], "incident_id") ||
             !strcmp(want[i], "incident_date")))
            continue;
        len += (size_t)snprintf(sql + len, sizeof sql - len, "%s\"%s\"",
                                ncols ? "," : "", want[i]);
        cells[ncols] = (source_cell){want[i], strlen(want[i])};
        ncols++;
    }
    if (ncols == 0) {
        snprintf(err, errlen,
                 "table '%s' has none of the columns compare "
                 "reads",
                 table);
        goto done;
    }
    snprintf(sql + len, sizeof sql - len, " FROM \"%s\" ORDER BY rowid", table);
    source_row row = {cells, (size_t)ncols, 1, 0, NULL, NULL};
    if (compare_header(c, kind, &row, err, errlen) < 0) goto done;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) goto sqlerr;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++) {
            const unsigned char *t = sqlite3_column_text(q, i);
            cells[i] =
                (source_cell){t ? (const char *)t : "",
                              t ? (size_t)sqlite3_column_bytes(q, i) : 0};
        }
        row.row++;
        if (compare_row(c, &row) < 0) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
    }
    if (r != SQLITE_DONE) goto sqlerr;
    rc = 0;
    goto done;
sqlerr:
    snprintf(err, errlen, "cannot read table '%s': %s", table,
             sqlite3_errmsg(db));
done:
    sqlite3_finalize(q);
    sqlite3_close(db);
    return rc;
}

int compare_store_sources(const char *path, char ***lines, size_t *n, char *err,
                          size_t errlen) {
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int rc = -1;
    *lines = NULL;
    *n = 0;
    size_t cap = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open the store: %s",
                 db ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    if (sqlite3_prepare_v2(db,
                           "SELECT record_type, file, loaded, sha256 FROM "
                           "batches ORDER BY batch_id",
                           -1, &q, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot read the batches: %s",
                 sqlite3_errmsg(db));
        goto done;
    }
    while (sqlite3_step(q) == SQLITE_ROW) {
        char buf[1024];
        const char *t = (const char *)sqlite3_column_text(q, 0),
                   *f = (const char *)sqlite3_column_text(q, 1),
                   *h = (const char *)sqlite3_column_text(q, 3);
        snprintf(buf, sizeof buf, "%s, %s (in the store %s), %lld rows, %s",
                 t ? t : "", f ? f : "", path,
                 (long long)sqlite3_column_int64(q, 2), h ? h : "");
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            char **l = realloc(*lines, cap * sizeof *l);
            if (!l) goto done;
            *lines = l;
        }
        if (!((*lines)[*n] = strdup(buf))) goto done;
        ++*n;
    }
    rc = 0;
done:
    sqlite3_finalize(q);
    sqlite3_close(db);
    return rc;
}
