/*
 * store.c: loading standard files into the regional SQLite store (layout
 * and rules in store.h).
 *
 * Performance: a load is one transaction with one prepared INSERT stepped
 * per row (values bound straight from the source's cell buffer with
 * SQLITE_STATIC: SQLite copies them during the step; integer fields bound
 * as int64), the rollback journal in DELETE mode (appended pages are not
 * journaled, unlike WAL which writes every page twice; one transaction a
 * file, so deleting the journal at commit costs nothing and leaves no
 * stray file beside the store), synchronous=OFF (a power cut
 * during a load can cost the store; the loaded files are the backup).
 * When the table is empty its indexes are dropped first and built once at
 * the end, which is much cheaper than keeping them up to date row by row.
 * Replacement, the store-wide incident_id rule and the orphan count run
 * only when the table held rows before: per distinct key of the new batch
 * (a few (country, period) pairs, or the incident ids of a person file)
 * one indexed count and one indexed DELETE; one indexed probe per new
 * incident row. No per-row SELECT during the insert loop.
 *
 * Memory: the page cache is 4 MiB and temporary data (the index sorts)
 * goes to temporary files, not RAM. Profiled (perf, 1M incident rows):
 * the sort of an index build is dominated by cache misses in SQLite's
 * in-memory merge, and a 256 MiB cache with temp_store=MEMORY made it
 * slower (bigger runs merged in RAM) and cost 256 MiB to 700 MiB of RSS;
 * a small cache sorts in chunks that fit the CPU cache and spills merged
 * runs to temporary files. What stays in RSS is the checker's unique set.
 */
#include "store.h"
#include "buf.h"
#include "catalog.h"
#include "check.h"
#include "outfile.h"
#include "sha256.h"
#include "strmap.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* An open store. */
struct store {
    sqlite3 *db; /* read-write connection */
};

static int exec(sqlite3 *db, const char *sql, char *err, size_t errlen) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "store: %s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* The class of the store's last SQLite error: a file that is no database
 * (or not ours) is an input problem, the rest cannot be written. */
static errclass sql_class(sqlite3 *db) {
    int e = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
    return e == SQLITE_NOTADB || e == SQLITE_CORRUPT || e == SQLITE_ERROR
               ? ERRCLASS_INPUT
           : e == SQLITE_NOMEM ? ERRCLASS_MEMORY
                               : ERRCLASS_OUTPUT;
}

store *store_open(const char *path, errclass *cls, char *err, size_t errlen) {
    errclass dummy;
    if (!cls) cls = &dummy;
    *cls = ERRCLASS_NONE;
    store *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "out of memory");
        *cls = ERRCLASS_MEMORY;
        return NULL;
    }
    outfile_guard(path);
    if (sqlite3_open_v2(path, &st->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open store '%s': %s", path,
                 st->db ? sqlite3_errmsg(st->db) : "out of memory");
        *cls = st->db ? ERRCLASS_OUTPUT : ERRCLASS_MEMORY;
        goto fail;
    }
    sqlite3_busy_timeout(st->db, 10000);
    char e[512];
    if (exec(st->db,
             /* page_size: a new store only; 16 KiB pages halve the
              * b-tree overhead per row of 4 KiB ones for rows of ~150 B */
             "PRAGMA page_size=16384; PRAGMA journal_mode=DELETE;"
             "PRAGMA synchronous=OFF;"
             "PRAGMA cache_size=-4096;"
             "CREATE TABLE IF NOT EXISTS batches ("
             " batch_id INTEGER PRIMARY KEY, record_type TEXT NOT NULL,"
             " file TEXT NOT NULL, sha256 TEXT NOT NULL,"
             " rows INTEGER NOT NULL, loaded INTEGER NOT NULL,"
             " rejected INTEGER NOT NULL, removed INTEGER NOT NULL DEFAULT 0,"
             " loaded_at TEXT NOT NULL, country TEXT, period TEXT,"
             " replaced_by INTEGER);"
             "CREATE TABLE IF NOT EXISTS rejects ("
             " batch_id INTEGER NOT NULL, source_row INTEGER NOT NULL,"
             " reason TEXT NOT NULL);",
             e, sizeof e) < 0) {
        snprintf(err, errlen, "cannot use '%s' as a store: %s", path, e + 7);
        *cls = sql_class(st->db);
        goto fail;
    }
    /* a store of another layout (an older relec, another program's
     * database) is named now, not as "no such column" in mid-load */
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT batch_id, record_type, file, sha256, rows,"
                           " loaded, rejected, removed, loaded_at, country,"
                           " period, replaced_by FROM batches LIMIT 0;",
                           -1, &q, NULL) != SQLITE_OK ||
        (sqlite3_finalize(q), q = NULL,
         sqlite3_prepare_v2(st->db,
                            "SELECT batch_id, source_row, reason FROM rejects"
                            " LIMIT 0;",
                            -1, &q, NULL) != SQLITE_OK)) {
        snprintf(err, errlen,
                 "cannot use '%s' as a store: its tables are not a relec "
                 "store's (%s)",
                 path, sqlite3_errmsg(st->db));
        sqlite3_finalize(q);
        *cls = ERRCLASS_INPUT;
        goto fail;
    }
    sqlite3_finalize(q);
    return st;
fail:
    sqlite3_close(st->db);
    free(st);
    return NULL;
}

int store_close(store *st, char *err, size_t errlen) {
    if (!st) return 0;
    int rc = sqlite3_close(st->db) == SQLITE_OK ? 0 : -1;
    if (rc < 0) snprintf(err, errlen, "cannot close the store");
    free(st);
    return rc;
}

int store_has_table(const char *path, const char *table, char *err,
                    size_t errlen) {
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int rc = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM sqlite_master WHERE"
                           " type='table' AND name=?1",
                           -1, &q, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot read store '%s': %s", path,
                 db ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        snprintf(err, errlen, "cannot read store '%s': %s", path,
                 sqlite3_errmsg(db));
        goto done;
    }
    rc = sqlite3_column_int(q, 0) > 0;
done:
    sqlite3_finalize(q);
    sqlite3_close(db);
    return rc;
}

const char *store_schema_dir(const char *given) {
    return catalog_dir(given);
}

int store_pick_schema(schema *const *cands, size_t n, const source_row *hdr) {
    int best = -1;
    size_t best_known = 0;
    for (size_t k = 0; k < n; k++) {
        const schema *s = cands[k];
        size_t known = 0;
        unsigned char *seen = calloc(s->nfields ? s->nfields : 1, 1);
        if (!seen) return -1;
        for (size_t i = 0; i < hdr->ncells; i++) {
            const char *p = hdr->cells[i].p;
            size_t len = hdr->cells[i].n;
            if (i == 0 && len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
                p += 3; /* a byte-order mark is the checker's to report */
                len -= 3;
            }
            int f = schema_field_index(s, p, len);
            if (f >= 0 && !seen[f]) {
                seen[f] = 1;
                known++;
            }
        }
        int complete = 1;
        for (size_t f = 0; f < s->nfields; f++)
            if (s->fields[f].required && !seen[f]) complete = 0;
        free(seen);
        if (complete && known > best_known) {
            best = (int)k;
            best_known = known;
        }
    }
    return best;
}

/* ---- one load ---------------------------------------------------------- */

/* State of one store_load(). */
typedef struct load_ctx {
    sqlite3 *db;               /* the store's connection */
    const schema *s;           /* record type */
    int key[3];                /* replacement key fields: country, period
                                  and, for aggregates, indicator */
    int nkey;                  /* how many key fields */
    int f_country, f_period;   /* fields for batches.country/period; -1 */
    int f_incident;            /* incident_id (person: country prefix) */
    int is_incident;           /* the incident table (store-wide ids) */
    int has_person;            /* the store has a person table */
    int has_incident;          /* the store has an incident table */
    sqlite3_int64 lo;          /* max rowid before the batch: the batch's
                                  rows are the rowids above it */
    strmap keys;               /* distinct replacement keys of the batch */
    strmap countries, periods; /* distinct values for the batches row */
    char *buf;                 /* scratch for keys and reasons */
    size_t cap;                /* its size */
} load_ctx;

/* Cell of field F in ROW through the checker's column map. */
static source_cell field_cell(const check *chk, const source_row *row, int f) {
    int col = f >= 0 ? check_column(chk, f) : -1;
    if (col >= 0 && (size_t)col < row->ncells) return row->cells[col];
    return (source_cell){"", 0};
}

/* Whether P..N is a plain decimal integer SQLite can hold exactly. */
static int parse_int(const char *p, size_t n, long long *v) {
    size_t i = 0;
    int neg = 0;
    if (n && (p[0] == '-' || p[0] == '+')) {
        neg = p[0] == '-';
        i = 1;
    }
    if (i == n || n - i > 18) return 0;
    long long x = 0;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return 0;
        x = x * 10 + (p[i] - '0');
    }
    *v = neg ? -x : x;
    return 1;
}

/* Joins the keys of M, sorted, with ';' into OUT (truncated with "..."). */
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}
static void join_set(const strmap *m, char *out, size_t outlen) {
    out[0] = 0;
    if (!m->count) return;
    char **v = calloc(m->count, sizeof *v);
    if (!v) return;
    size_t k = 0;
    for (size_t i = 0; i < m->nslots && k < m->count; i++) {
        if (!m->slots[i].hash) continue;
        size_t n;
        const char *p = strmap_key(m, i, &n);
        v[k] = malloc(n + 1);
        if (!v[k]) break;
        memcpy(v[k], p, n);
        v[k++][n] = 0;
    }
    qsort(v, k, sizeof *v, cmp_str);
    size_t len = 0;
    for (size_t i = 0; i < k; i++) {
        size_t n = strlen(v[i]);
        if (len + n + 5 >= outlen) {
            snprintf(out + len, outlen - len, "%s...", len ? ";" : "");
            break;
        }
        len += (size_t)snprintf(out + len, outlen - len, "%s%s", len ? ";" : "",
                                v[i]);
    }
    for (size_t i = 0; i < k; i++)
        free(v[i]);
    free(v);
}

/* Makes sure table S->name exists with the schema's columns. */
static int ensure_table(load_ctx *c, char *err, size_t errlen) {
    const schema *s = c->s;
    char sql[8192];
    snprintf(sql, sizeof sql, "PRAGMA table_info(\"%s\")", s->name);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(c->db, sql, -1, &q, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "store: %s", sqlite3_errmsg(c->db));
        return -1;
    }
    size_t ncol = 0;
    int mismatch = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 1);
        if (ncol < s->nfields && (!name || strcmp(name, s->fields[ncol].name)))
            mismatch = 1;
        ncol++;
    }
    sqlite3_finalize(q);
    if (ncol) {
        if (mismatch || ncol != s->nfields + 2) {
            snprintf(err, errlen,
                     "the store's table '%s' has other columns than %s "
                     "(another version of the schema?)",
                     s->name, s->path);
            return -1;
        }
        return 0;
    }
    size_t len =
        (size_t)snprintf(sql, sizeof sql, "CREATE TABLE \"%s\" (", s->name);
    for (size_t f = 0; f < s->nfields && len < sizeof sql; f++)
        len += (size_t)snprintf(
            sql + len, sizeof sql - len, "\"%s\" %s, ", s->fields[f].name,
            s->fields[f].type == SCHEMA_INTEGER ? "INTEGER" : "TEXT");
    if (len < sizeof sql)
        snprintf(sql + len, sizeof sql - len,
                 "batch_id INTEGER NOT NULL, source_row INTEGER NOT NULL)");
    return exec(c->db, sql, err, errlen);
}

/* The reject reason of the last checked row, into c->buf. */
static const char *reason(load_ctx *c, const check *chk) {
    size_t nf, len = 0;
    const check_finding *f = check_findings(chk, &nf);
    if (buf_grow(&c->buf, &c->cap, 64, 1) < 0) return "";
    c->buf[0] = 0;
    for (size_t i = 0; i < nf; i++) {
        if (f[i].severity != CHECK_ERROR) continue;
        const char *code = check_code_name(f[i].code);
        size_t need =
            len + strlen(f[i].field) + strlen(f[i].message) + strlen(code) + 16;
        if (buf_grow(&c->buf, &c->cap, need, 1) < 0) break;
        len += (size_t)snprintf(c->buf + len, c->cap - len, "%s%s%s%s [%s]",
                                len ? "; " : "", f[i].field,
                                f[i].field[0] ? ": " : "", f[i].message, code);
    }
    return c->buf;
}

/* Adds the replacement key and the country/period of a loaded row. */
static int note_keys(load_ctx *c, const check *chk, const source_row *row,
                     int track_keys) {
    int added;
    if (track_keys) {
        size_t len = 0;
        for (int k = 0; k < c->nkey; k++) {
            source_cell v = field_cell(chk, row, c->key[k]);
            if (buf_grow(&c->buf, &c->cap, len + v.n + 2, 1) < 0) return -1;
            if (k) c->buf[len++] = '\x1f';
            memcpy(c->buf + len, v.p, v.n);
            len += v.n;
        }
        if (!strmap_put(&c->keys, c->buf, len, &added)) return -1;
    }
    if (c->f_country >= 0) {
        source_cell v = field_cell(chk, row, c->f_country);
        if (!strmap_put(&c->countries, v.p, v.n, &added)) return -1;
    } else if (c->f_incident >= 0) {
        source_cell v = field_cell(chk, row, c->f_incident);
        size_t n = 0;
        while (n < v.n && v.p[n] != '-')
            n++;
        if (!strmap_put(&c->countries, v.p, n, &added)) return -1;
    }
    /* periods: bounded, the batches row shows a few */
    if (c->f_period >= 0 && c->periods.count < 4096) {
        source_cell v = field_cell(chk, row, c->f_period);
        if (!strmap_put(&c->periods, v.p, v.n, &added)) return -1;
    }
    return 0;
}

/* Removes rows of earlier batches that share a key with batch BID. */
static int replace_earlier(load_ctx *c, long bid, store_load_stats *out,
                           char *err, size_t errlen) {
    const schema *s = c->s;
    char where[512], sql[1024];
    size_t wl = 0;
    err[0] = 0;
    for (int k = 0; k < c->nkey; k++)
        wl += (size_t)snprintf(where + wl, sizeof where - wl, "\"%s\"=?%d AND ",
                               s->fields[c->key[k]].name, k + 1);
    snprintf(where + wl, sizeof where - wl, "batch_id<>?%d", c->nkey + 1);
    sqlite3_stmt *cnt = NULL, *del = NULL, *upd = NULL, *gone = NULL;
    int rc = -1;
    /* incidents about to be removed, for the orphan count */
    if (c->is_incident && c->has_person) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO temp.relec_gone SELECT incident_id FROM"
                 " \"%s\" WHERE %s",
                 s->name, where);
        if (exec(c->db,
                 "CREATE TEMP TABLE IF NOT EXISTS relec_gone (id TEXT);"
                 "DELETE FROM temp.relec_gone",
                 err, errlen) < 0 ||
            sqlite3_prepare_v2(c->db, sql, -1, &gone, NULL) != SQLITE_OK)
            goto done;
    }
    snprintf(sql, sizeof sql,
             "SELECT batch_id, count(*) FROM \"%s\" WHERE %s GROUP BY batch_id",
             s->name, where);
    if (sqlite3_prepare_v2(c->db, sql, -1, &cnt, NULL) != SQLITE_OK) goto done;
    snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE %s", s->name, where);
    if (sqlite3_prepare_v2(c->db, sql, -1, &del, NULL) != SQLITE_OK) goto done;
    if (sqlite3_prepare_v2(c->db,
                           "UPDATE batches SET removed=removed+?1,"
                           " replaced_by=CASE WHEN removed+?1>=loaded THEN ?2"
                           " ELSE replaced_by END WHERE batch_id=?3",
                           -1, &upd, NULL) != SQLITE_OK)
        goto done;
    strmap hit; /* earlier batch id (as text) -> rows removed */
    strmap_init(&hit);
    for (size_t i = 0; i < c->keys.nslots; i++) {
        if (!c->keys.slots[i].hash) continue;
        size_t n;
        const char *p = strmap_key(&c->keys, i, &n);
        /* the key's parts, joined by \x1f in note_keys() */
        const char *parts[3] = {p, NULL, NULL};
        size_t plen[3] = {n, 0, 0};
        int np = 1;
        for (const char *q = p, *end = p + n, *sep;
             np < c->nkey && (sep = memchr(q, '\x1f', (size_t)(end - q)));
             q = sep + 1) {
            plen[np - 1] = (size_t)(sep - parts[np - 1]);
            parts[np] = sep + 1;
            plen[np] = (size_t)(end - sep - 1);
            np++;
        }
        if (np != c->nkey) continue;
        for (int k = 0; k < c->nkey; k++) {
            sqlite3_bind_text(cnt, k + 1, parts[k], (int)plen[k],
                              SQLITE_STATIC);
            sqlite3_bind_text(del, k + 1, parts[k], (int)plen[k],
                              SQLITE_STATIC);
            if (gone)
                sqlite3_bind_text(gone, k + 1, parts[k], (int)plen[k],
                                  SQLITE_STATIC);
        }
        if (gone) sqlite3_bind_int64(gone, c->nkey + 1, bid);
        sqlite3_bind_int64(cnt, c->nkey + 1, bid);
        sqlite3_bind_int64(del, c->nkey + 1, bid);
        int any = 0;
        while (sqlite3_step(cnt) == SQLITE_ROW) {
            char b[32];
            int added;
            int bl = snprintf(b, sizeof b, "%lld",
                              (long long)sqlite3_column_int64(cnt, 0));
            uint64_t *v = strmap_put(&hit, b, (size_t)bl, &added);
            if (!v) break;
            *v += (uint64_t)sqlite3_column_int64(cnt, 1);
            any = 1;
        }
        sqlite3_reset(cnt);
        if (any && gone) {
            int grc = sqlite3_step(gone);
            sqlite3_reset(gone);
            if (grc != SQLITE_DONE) {
                strmap_free(&hit);
                goto done;
            }
        }
        if (any && sqlite3_step(del) != SQLITE_DONE) {
            sqlite3_reset(del);
            strmap_free(&hit);
            goto done;
        }
        sqlite3_reset(del);
    }
    for (size_t i = 0; i < hit.nslots; i++) {
        if (!hit.slots[i].hash) continue;
        size_t n;
        const char *p = strmap_key(&hit, i, &n);
        /* the key's bytes are not NUL-ended: strtoll on them read on into
         * whatever followed in the arena, and a digit there named another
         * batch (store.sh failed now and then) */
        char idtext[32];
        if (n >= sizeof idtext) n = sizeof idtext - 1;
        memcpy(idtext, p, n);
        idtext[n] = 0;
        long long old = strtoll(idtext, NULL, 10);
        sqlite3_bind_int64(upd, 1, (sqlite3_int64)hit.slots[i].value);
        sqlite3_bind_int64(upd, 2, bid);
        sqlite3_bind_int64(upd, 3, old);
        if (sqlite3_step(upd) != SQLITE_DONE) {
            strmap_free(&hit);
            goto done;
        }
        sqlite3_reset(upd);
        out->replaced_rows += (long)hit.slots[i].value;
        out->replaced_batches++;
    }
    strmap_free(&hit);
    rc = 0;
done:
    if (rc < 0 && !*err)
        snprintf(err, errlen, "store: %s", sqlite3_errmsg(c->db));
    sqlite3_finalize(gone);
    sqlite3_finalize(cnt);
    sqlite3_finalize(del);
    sqlite3_finalize(upd);
    return rc;
}

/* Index NAME on TABLE(COLS...) of N columns: CREATE (when CREATE) or DROP. */
static int index_sql(load_ctx *c, int create, const char *name, const int *cols,
                     int n, char *err, size_t errlen) {
    char sql[1024];
    const schema *s = c->s;
    if (!create) {
        snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS \"%s\"", name);
        return exec(c->db, sql, err, errlen);
    }
    size_t len = (size_t)snprintf(sql, sizeof sql,
                                  "CREATE INDEX IF NOT EXISTS \"%s\" ON "
                                  "\"%s\" (",
                                  name, s->name);
    for (int k = 0; k < n && len < sizeof sql; k++)
        len += (size_t)snprintf(sql + len, sizeof sql - len, "%s\"%s\"",
                                k ? "," : "", s->fields[cols[k]].name);
    if (len < sizeof sql) snprintf(sql + len, sizeof sql - len, ")");
    return exec(c->db, sql, err, errlen);
}

/* The indexes of the table (store.h): created, or dropped before a bulk
 * insert into an empty table. */
static int indexes(load_ctx *c, int create, char *err, size_t errlen) {
    char name[300];
    if (c->nkey) {
        snprintf(name, sizeof name, "%s_key", c->s->name);
        if (index_sql(c, create, name, c->key, c->nkey, err, errlen) < 0)
            return -1;
    }
    if (c->is_incident && index_sql(c, create, "incident_ids", &c->f_incident,
                                    1, err, errlen) < 0)
        return -1;
    return 0;
}

/* Integer result of SQL (with ?1 = the batch's LO when it has one); -1 on
 * failure. */
static sqlite3_int64 scalar(sqlite3 *db, const char *sql, sqlite3_int64 lo) {
    sqlite3_stmt *q = NULL;
    sqlite3_int64 v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) return -1;
    if (sqlite3_bind_parameter_count(q) > 0) sqlite3_bind_int64(q, 1, lo);
    if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* The store-wide incident_id rule (store.h): rows of batch BID whose id is
 * still held by a row of another batch. Each is a "unique" finding; with
 * SKIP they move to rejects, else the batch is refused (*REFUSED). */
static int id_clashes(load_ctx *c, long bid, const char *file,
                      store_policy policy, report *rep, store_load_stats *out,
                      int *refused, char *err, size_t errlen) {
    sqlite3_stmt *q = NULL, *del = NULL, *rej = NULL;
    int rc = -1;
    /* new rows by rowid range; the earlier row by the incident_ids index.
     * MIN(): one earlier row is enough to name. */
    if (sqlite3_prepare_v2(
            c->db,
            "SELECT n.rowid, n.source_row, n.incident_id, o.batch_id,"
            " o.reporting_country, o.reporting_period"
            " FROM incident n JOIN incident o"
            " ON o.incident_id = n.incident_id AND o.rowid <= ?1"
            " WHERE n.rowid > ?1 GROUP BY n.rowid ORDER BY n.rowid",
            -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, "DELETE FROM incident WHERE rowid=?1", -1,
                           &del, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, "INSERT INTO rejects VALUES (?1, ?2, ?3)", -1,
                           &rej, NULL) != SQLITE_OK)
        goto done;
    sqlite3_bind_int64(q, 1, c->lo);
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        char msg[256];
        const char *id = (const char *)sqlite3_column_text(q, 2);
        int idn = sqlite3_column_bytes(q, 2);
        const char *oc = (const char *)sqlite3_column_text(q, 4);
        const char *op = (const char *)sqlite3_column_text(q, 5);
        snprintf(msg, sizeof msg,
                 "already in the store as an incident of %s %s (batch %lld)",
                 oc ? oc : "-", op ? op : "-",
                 (long long)sqlite3_column_int64(q, 3));
        check_finding f = {sqlite3_column_int64(q, 1),
                           "incident_id",
                           id ? id : "",
                           id ? (size_t)idn : 0,
                           CHECK_UNIQUE,
                           CHECK_ERROR,
                           msg};
        if (rep) report_finding(rep, file, &f);
        out->id_clashes++;
        out->rejected++;
        out->loaded--;
        if (policy == STORE_REFUSE_INVALID) {
            *refused = 1;
            continue;
        }
        char reason[320];
        snprintf(reason, sizeof reason, "incident_id: %s [unique]", msg);
        sqlite3_bind_int64(rej, 1, bid);
        sqlite3_bind_int64(rej, 2, sqlite3_column_int64(q, 1));
        sqlite3_bind_text(rej, 3, reason, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(del, 1, sqlite3_column_int64(q, 0));
        if (sqlite3_step(rej) != SQLITE_DONE ||
            sqlite3_step(del) != SQLITE_DONE)
            goto done;
        sqlite3_reset(rej);
        sqlite3_reset(del);
    }
    if (r != SQLITE_DONE) goto done;
    rc = 0;
done:
    if (rc < 0) snprintf(err, errlen, "store: %s", sqlite3_errmsg(c->db));
    sqlite3_finalize(q);
    sqlite3_finalize(del);
    sqlite3_finalize(rej);
    return rc;
}

/* Person rows left without their incident by this batch's replacement
 * (temp.relec_gone holds the removed ids): counted, a few ids named. */
static int count_orphans(load_ctx *c, store_load_stats *out, char *err,
                         size_t errlen) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(
            c->db,
            "SELECT g.id, count(*) FROM (SELECT DISTINCT id FROM"
            " temp.relec_gone) g JOIN person p ON p.incident_id = g.id"
            " WHERE NOT EXISTS (SELECT 1 FROM incident i"
            " WHERE i.incident_id = g.id) GROUP BY g.id ORDER BY g.id",
            -1, &q, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "store: %s", sqlite3_errmsg(c->db));
        return -1;
    }
    size_t len = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(q, 0);
        out->orphans += (long)sqlite3_column_int64(q, 1);
        size_t n = id ? strlen(id) : 0;
        if (len + n + 5 < sizeof out->orphan_ids)
            len += (size_t)snprintf(out->orphan_ids + len,
                                    sizeof out->orphan_ids - len, "%s%s",
                                    len ? ";" : "", id ? id : "");
        else if (len + 4 < sizeof out->orphan_ids &&
                 (len < 3 || strcmp(out->orphan_ids + len - 3, "...")))
            len += (size_t)snprintf(out->orphan_ids + len,
                                    sizeof out->orphan_ids - len, "%s...",
                                    len ? ";" : "");
    }
    sqlite3_finalize(q);
    if (r != SQLITE_DONE) {
        snprintf(err, errlen, "store: %s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

/* A person batch's periods: those of its incidents in the store. */
static int person_periods(load_ctx *c, char *err, size_t errlen) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(
            c->db,
            "SELECT DISTINCT i.reporting_period FROM person p JOIN incident i"
            " ON i.incident_id = p.incident_id WHERE p.rowid > ?1"
            " AND i.reporting_period IS NOT NULL LIMIT 4096",
            -1, &q, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "store: %s", sqlite3_errmsg(c->db));
        return -1;
    }
    sqlite3_bind_int64(q, 1, c->lo);
    int r, added;
    while ((r = sqlite3_step(q)) == SQLITE_ROW)
        if (!strmap_put(&c->periods, (const char *)sqlite3_column_text(q, 0),
                        (size_t)sqlite3_column_bytes(q, 0), &added))
            r = SQLITE_NOMEM;
    sqlite3_finalize(q);
    if (r != SQLITE_DONE) {
        snprintf(err, errlen, "store: %s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

static void now_iso(char out[32]) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Whether the bytes of OUT->sha256 are loaded as a record of TYPE and not
 * replaced since: 1 (with OUT's batch and counts set), 0, or -1 (SQL). */
static int already_loaded(sqlite3 *db, const char *type,
                          store_load_stats *out) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(
            db,
            "SELECT batch_id, rows, loaded, rejected FROM batches"
            " WHERE sha256=?1 AND record_type=?2 AND"
            " replaced_by IS NULL ORDER BY batch_id LIMIT 1",
            -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(q, 1, out->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, type, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->batch_id = (long)sqlite3_column_int64(q, 0);
        out->rows = (long)sqlite3_column_int64(q, 1);
        out->loaded = (long)sqlite3_column_int64(q, 2);
        out->rejected = (long)sqlite3_column_int64(q, 3);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

store_result store_load(store *st, const schema *s, const char *path,
                        const source_opts *opts, store_policy policy,
                        report *rep, store_load_stats *out, char *err,
                        size_t errlen) {
    memset(out, 0, sizeof *out);
    if (!strcmp(path, "-")) {
        snprintf(err, errlen,
                 "load reads files, not stdin: a batch records "
                 "the file's SHA-256");
        return STORE_EINPUT;
    }
    if (sha256_file(path, out->sha256) < 0) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return STORE_EINPUT;
    }
    sqlite3 *db = st->db;
    sqlite3_stmt *q = NULL, *ins = NULL, *rej = NULL;
    /* idempotence: the same bytes already loaded and still in the store
     * (asked again inside the transaction, where no other load can be) */
    int dup = already_loaded(db, s->name, out);
    if (dup) {
        if (dup < 0) snprintf(err, errlen, "store: %s", sqlite3_errmsg(db));
        return dup < 0 ? STORE_EOUTPUT : STORE_DUPLICATE;
    }

    source *src = source_open(path, opts, err, errlen);
    if (!src) {
        char e[512];
        snprintf(e, sizeof e, "%s", err);
        snprintf(err, errlen, "cannot open '%s': %s", path, e);
        return STORE_EINPUT;
    }
    const char *name = source_name(src);
    source_row row;
    int r = source_next(src, &row);
    if (r <= 0) {
        snprintf(err, errlen, "'%s': %s", name,
                 r < 0 ? source_error(src)
                       : "file is empty: no header row and no data");
        source_close(src);
        return STORE_EINPUT;
    }
    load_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.s = s;
    c.f_country = schema_field_index(s, "reporting_country", 17);
    c.f_period = schema_field_index(s, "reporting_period", 16);
    c.f_incident = schema_field_index(s, "incident_id", 11);
    c.is_incident = !strcmp(s->name, "incident") && c.f_incident >= 0 &&
                    c.f_country >= 0 && c.f_period >= 0;
    if (c.f_country >= 0 && c.f_period >= 0) {
        c.key[0] = c.f_country;
        c.key[1] = c.f_period;
        c.nkey = 2;
        /* an aggregate batch replaces the earlier figures of its own
         * indicators only: a month's enforcement figures sent in a file
         * of their own leave that month's THB figures in place */
        int f_indicator = schema_field_index(s, "indicator", 9);
        if (f_indicator >= 0) c.key[c.nkey++] = f_indicator;
    } else if (c.f_incident >= 0) {
        c.key[0] = c.f_incident;
        c.nkey = 1;
    }
    strmap_init(&c.keys);
    strmap_init(&c.countries);
    strmap_init(&c.periods);
    check *chk = check_new(s);
    store_result result = STORE_EOUTPUT;
    int in_tx = 0, refused = 0;
    long bid = 0;
    char sql[8192], when[32];
    size_t nf;
    const check_finding *f;

    check_header(chk, &row);
    f = check_findings(chk, &nf);
    if (rep)
        for (size_t i = 0; i < nf; i++)
            report_finding(rep, name, &f[i]);

    if (exec(db, "BEGIN IMMEDIATE", err, errlen) < 0) goto out;
    in_tx = 1;
    /* a load of the same bytes that ran while this one waited for the
     * lock: one batch, not two */
    if ((dup = already_loaded(db, s->name, out)) < 0) goto sqlerr;
    if (dup) {
        result = STORE_DUPLICATE;
        goto out;
    }
    if (ensure_table(&c, err, errlen) < 0) goto out;
    snprintf(sql, sizeof sql, "SELECT coalesce(max(rowid), 0) FROM \"%s\"",
             s->name);
    c.lo = scalar(db, sql, 0);
    if (c.lo < 0) goto sqlerr;
    const int had_rows = c.lo > 0;
    c.has_person = scalar(db,
                          "SELECT count(*) FROM sqlite_master WHERE"
                          " type='table' AND name='person'",
                          0) > 0;
    c.has_incident = scalar(db,
                            "SELECT count(*) FROM sqlite_master WHERE"
                            " type='table' AND name='incident'",
                            0) > 0;
    /* empty table: the indexes are built once at the end */
    if (!had_rows && indexes(&c, 0, err, errlen) < 0) goto out;
    now_iso(when);
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO batches (record_type, file, sha256,"
                           " rows, loaded, rejected, loaded_at)"
                           " VALUES (?1, ?2, ?3, 0, 0, 0, ?4)",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlerr;
    sqlite3_bind_text(q, 1, s->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, out->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, when, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE) goto sqlerr;
    sqlite3_finalize(q);
    q = NULL;
    bid = (long)sqlite3_last_insert_rowid(db);

    size_t len = (size_t)snprintf(sql, sizeof sql,
                                  "INSERT INTO \"%s\" VALUES (", s->name);
    for (size_t i = 0; i < s->nfields + 2 && len < sizeof sql; i++)
        len +=
            (size_t)snprintf(sql + len, sizeof sql - len, "%s?", i ? "," : "");
    if (len < sizeof sql) snprintf(sql + len, sizeof sql - len, ")");
    if (sqlite3_prepare_v2(db, sql, -1, &ins, NULL) != SQLITE_OK) goto sqlerr;
    if (sqlite3_prepare_v2(db, "INSERT INTO rejects VALUES (?1, ?2, ?3)", -1,
                           &rej, NULL) != SQLITE_OK)
        goto sqlerr;
    const int nfield = (int)s->nfields;
    while ((r = source_next(src, &row)) > 0) {
        out->rows++;
        int errors = check_row(chk, &row);
        f = check_findings(chk, &nf);
        if (rep)
            for (size_t i = 0; i < nf; i++)
                report_finding(rep, name, &f[i]);
        if (errors) {
            out->rejected++;
            if (policy == STORE_REFUSE_INVALID) {
                refused = 1;
                continue;
            }
            sqlite3_bind_int64(rej, 1, bid);
            sqlite3_bind_int64(rej, 2, row.row);
            sqlite3_bind_text(rej, 3, reason(&c, chk), -1, SQLITE_STATIC);
            if (sqlite3_step(rej) != SQLITE_DONE) goto sqlerr;
            sqlite3_reset(rej);
            continue;
        }
        if (refused) continue; /* keep checking: every finding is shown */
        for (int i = 0; i < nfield; i++) {
            source_cell v = field_cell(chk, &row, i);
            long long iv;
            if (v.n == 0)
                sqlite3_bind_null(ins, i + 1);
            else if (s->fields[i].type == SCHEMA_INTEGER &&
                     parse_int(v.p, v.n, &iv))
                sqlite3_bind_int64(ins, i + 1, iv);
            else
                sqlite3_bind_text(ins, i + 1, v.p, (int)v.n, SQLITE_STATIC);
        }
        sqlite3_bind_int64(ins, nfield + 1, bid);
        sqlite3_bind_int64(ins, nfield + 2, row.row);
        if (sqlite3_step(ins) != SQLITE_DONE) goto sqlerr;
        sqlite3_reset(ins);
        out->loaded++;
        if (note_keys(&c, chk, &row, had_rows && c.nkey) < 0) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    if (r < 0) {
        snprintf(err, errlen,
                 "'%s': %s (after row %ld; nothing of the file "
                 "is loaded)",
                 name, source_error(src), out->rows + 1);
        result = STORE_EINPUT;
        goto out;
    }
    /* findings that need every row of the file (a total its breakdowns
     * cannot add up to): the file is refused like one with a bad row, or,
     * with --skip-invalid, loaded (no row alone is wrong) and said */
    while (check_end(chk) > 0) {
        f = check_findings(chk, &nf);
        for (size_t i = 0; i < nf; i++) {
            if (rep) report_finding(rep, name, &f[i]);
            out->totals_wrong += f[i].severity == CHECK_ERROR;
        }
    }
    if (out->totals_wrong && policy == STORE_REFUSE_INVALID) refused = 1;
    if (refused) {
        out->loaded = 0;
        result = STORE_REFUSED;
        goto out; /* rolls back */
    }
    if (indexes(&c, 1, err, errlen) < 0) goto out;
    if (had_rows && c.nkey && replace_earlier(&c, bid, out, err, errlen) < 0)
        goto out;
    if (had_rows && c.is_incident) {
        if (id_clashes(&c, bid, name, policy, rep, out, &refused, err, errlen) <
            0)
            goto out;
        if (refused) {
            out->loaded = 0;
            result = STORE_REFUSED;
            goto out; /* rolls back */
        }
        if (out->replaced_rows && c.has_person &&
            count_orphans(&c, out, err, errlen) < 0)
            goto out;
    }
    if (!c.is_incident && c.f_incident >= 0 && c.f_period < 0 &&
        c.has_incident && person_periods(&c, err, errlen) < 0)
        goto out;
    join_set(&c.countries, out->country, sizeof out->country);
    join_set(&c.periods, out->period, sizeof out->period);
    if (sqlite3_prepare_v2(db,
                           "UPDATE batches SET rows=?1, loaded=?2, rejected=?3,"
                           " country=?4, period=?5 WHERE batch_id=?6",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlerr;
    sqlite3_bind_int64(q, 1, out->rows);
    sqlite3_bind_int64(q, 2, out->loaded);
    sqlite3_bind_int64(q, 3, out->rejected);
    sqlite3_bind_text(q, 4, out->country, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, out->period, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 6, bid);
    if (sqlite3_step(q) != SQLITE_DONE) goto sqlerr;
    sqlite3_finalize(q);
    q = NULL;
    if (exec(db, "COMMIT", err, errlen) < 0) goto out;
    in_tx = 0;
    out->batch_id = bid;
    result = STORE_LOADED;
    goto out;
sqlerr:
    snprintf(err, errlen, "store: %s", sqlite3_errmsg(db));
    result = STORE_EOUTPUT;
out:
    sqlite3_finalize(q);
    sqlite3_finalize(ins);
    sqlite3_finalize(rej);
    if (in_tx) {
        char e[256];
        exec(db, "ROLLBACK", e, sizeof e);
    }
    if (result != STORE_LOADED && result != STORE_DUPLICATE) out->batch_id = 0;
    check_free(chk);
    source_close(src);
    strmap_free(&c.keys);
    strmap_free(&c.countries);
    strmap_free(&c.periods);
    free(c.buf);
    return result;
}
