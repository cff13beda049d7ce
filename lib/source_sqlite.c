/*
 * source_sqlite.c: rows of one record table of the regional store (written
 * by lib/store.c), so that every relec tool reads the store as if it were a
 * CSV file: the header row first (the column names), then one row per
 * stored record in load order (rowid order: batches in the order they were
 * loaded, rows in file order).
 *
 * Decisions:
 *  - Data columns only: the store's bookkeeping columns batch_id and
 *    source_row are left out, so a table reads exactly like the standard
 *    file it came from and validates without "unknown column" warnings.
 *    Where a row came from is in the store (batches, source_row) for who
 *    asks with SQL.
 *  - Row numbers are spreadsheet-like: header 1, first record 2, as if the
 *    table were written out as one CSV.
 *  - NULL (an empty cell at load) reads as an empty cell; INTEGER columns
 *    read as their decimal text.
 *
 * Performance: one prepared SELECT stepped once per row; cells point into
 * SQLite's own column buffers (valid until the next step, which is exactly
 * the source contract), so nothing is copied or allocated per row.
 */
#include "source_impl.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bookkeeping columns of record tables, not data (see lib/store.h). */
static int is_meta_column(const char *name) {
    return !strcmp(name, "batch_id") || !strcmp(name, "source_row") ||
           !strcmp(name, "source_file");
}

/* Tables of the store that hold no records. */
static int is_meta_table(const char *name) {
    return !strcmp(name, "batches") || !strcmp(name, "rejects") ||
           !strncmp(name, "sqlite_", 7);
}

/* The reader's state. */
typedef struct sqlite_state {
    sqlite3 *db;        /* read-only connection */
    sqlite3_stmt *stmt; /* SELECT of the data columns */
    int ncols;          /* data columns */
    char **names;       /* column names (owned), the header row */
    source_cell *cells; /* ncols cells handed out per row */
    long row;           /* row number of the last row handed out */
} sqlite_state;

static void sqlite_close_state(void *p) {
    sqlite_state *s = p;
    if (!s) return;
    sqlite3_finalize(s->stmt);
    sqlite3_close(s->db);
    if (s->names)
        for (int i = 0; i < s->ncols; i++)
            free(s->names[i]);
    free(s->names);
    free(s->cells);
    free(s);
}

static int sqlite_next(void *p, source_row *row, char *err, size_t errlen) {
    sqlite_state *s = p;
    if (s->row == 0) { /* the header */
        for (int i = 0; i < s->ncols; i++)
            s->cells[i] = (source_cell){s->names[i], strlen(s->names[i])};
    } else {
        int rc = sqlite3_step(s->stmt);
        if (rc == SQLITE_DONE) return 0;
        if (rc != SQLITE_ROW) {
            snprintf(err, errlen, "cannot read the store: %s",
                     sqlite3_errmsg(s->db));
            return -1;
        }
        for (int i = 0; i < s->ncols; i++) {
            const unsigned char *t = sqlite3_column_text(s->stmt, i);
            int n = sqlite3_column_bytes(s->stmt, i);
            s->cells[i] =
                (source_cell){t ? (const char *)t : "", t ? (size_t)n : 0};
        }
    }
    row->cells = s->cells;
    row->ncells = (size_t)s->ncols;
    row->row = ++s->row;
    row->flags = 0;
    return 1;
}

/* Picks the table: OPTS->table, or the only record table. */
static int pick_table(sqlite3 *db, const source_opts *opts, char *out,
                      size_t outlen, char *err, size_t errlen) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_master WHERE type='table'"
                           " ORDER BY name",
                           -1, &q, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "not a relec store: %s", sqlite3_errmsg(db));
        return -1;
    }
    char list[512] = "";
    int found = 0, nrecord = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        if (!name || is_meta_table(name)) continue;
        if (opts && opts->table) {
            if (!strcmp(name, opts->table)) found = 1;
        } else if (nrecord++ == 0) {
            snprintf(out, outlen, "%s", name);
        }
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", l ? ", " : "", name);
    }
    sqlite3_finalize(q);
    if (opts && opts->table) {
        if (!found) {
            snprintf(err, errlen, "the store has no table '%s' (it has: %s)",
                     opts->table, *list ? list : "none");
            return -1;
        }
        snprintf(out, outlen, "%s", opts->table);
        return 0;
    }
    if (nrecord == 0) {
        snprintf(err, errlen, "the store holds no records yet");
        return -1;
    }
    if (nrecord > 1) {
        snprintf(err, errlen,
                 "the store has several tables (%s): say which one", list);
        return -1;
    }
    return 0;
}

int source_sqlite_open(const char *path, const source_opts *opts,
                       source_reader *out, char *err, size_t errlen) {
    sqlite_state *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char table[256], sql[8192];
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open the store: %s",
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (pick_table(s->db, opts, table, sizeof table, err, errlen) < 0)
        goto fail;
    if (strchr(table, '"')) {
        snprintf(err, errlen, "table name '%s' is not usable", table);
        goto fail;
    }
    /* the data columns, in table order */
    snprintf(sql, sizeof sql, "PRAGMA table_info(\"%s\")", table);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot read the store: %s",
                 sqlite3_errmsg(s->db));
        goto fail;
    }
    size_t cap = 0;
    size_t len = (size_t)snprintf(sql, sizeof sql, "SELECT ");
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 1);
        if (!name || is_meta_column(name) || strchr(name, '"')) continue;
        if ((size_t)s->ncols == cap) {
            cap = cap ? cap * 2 : 32;
            char **n = realloc(s->names, cap * sizeof *n);
            if (!n) break;
            s->names = n;
        }
        s->names[s->ncols++] = strdup(name);
        if (len + strlen(name) + 8 < sizeof sql)
            len += (size_t)snprintf(sql + len, sizeof sql - len, "%s\"%s\"",
                                    s->ncols > 1 ? "," : "", name);
    }
    sqlite3_finalize(q);
    if (s->ncols == 0) {
        snprintf(err, errlen, "table '%s' has no data columns", table);
        goto fail;
    }
    snprintf(sql + len, sizeof sql - len, " FROM \"%s\" ORDER BY rowid", table);
    if (sqlite3_prepare_v2(s->db, sql, -1, &s->stmt, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot read table '%s': %s", table,
                 sqlite3_errmsg(s->db));
        goto fail;
    }
    s->cells = calloc((size_t)s->ncols, sizeof *s->cells);
    if (!s->cells) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    out->state = s;
    out->next = sqlite_next;
    out->close = sqlite_close_state;
    out->bytes = NULL;
    return 0;
fail:
    sqlite_close_state(s);
    return -1;
}
