/*
 * registry.c: see registry.h. Statements are prepared once; every change
 * of a run is inside one BEGIN IMMEDIATE ... COMMIT, so inserting 1M rows
 * costs one fsync.
 */
#include "registry.h"
#include "outfile.h"
#include "strmap.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct registry {
    sqlite3 *db;         /* the file */
    char *table;         /* "dedup_<kind>", checked to be [a-z0-9_] */
    size_t nfields;      /* schema columns */
    char **fields;       /* their names (copies) */
    sqlite3_stmt *ins;   /* INSERT OR IGNORE of one row */
    sqlite3_stmt *find;  /* the rows of one fingerprint, suffixed or not */
    sqlite3_stmt *ren;   /* UPDATE cluster id */
    sqlite3_stmt *score; /* UPDATE match score */
    int in_tx;           /* the run's transaction is open */
    char added[32];      /* this run's time stamp, UTC ISO 8601 */
};

static int fail(registry *r, char *err, size_t errlen, const char *what) {
    snprintf(err, errlen, "registry: %s: %s", what,
             r && r->db ? sqlite3_errmsg(r->db) : "out of memory");
    return -1;
}

/* Appends "name" quoted as an SQL identifier to buf. */
static void put_ident(char *buf, size_t cap, size_t *len, const char *name) {
    *len += (size_t)snprintf(buf + *len, *len < cap ? cap - *len : 0, "\"");
    for (const char *p = name; *p && *len + 3 < cap; p++) {
        if (*p == '"') buf[(*len)++] = '"';
        buf[(*len)++] = *p;
    }
    *len += (size_t)snprintf(buf + *len, *len < cap ? cap - *len : 0, "\"");
}

registry *registry_open(const char *path, const char *kind,
                        const char *const *fields, size_t nfields, char *err,
                        size_t errlen) {
    registry *r = calloc(1, sizeof *r);
    if (!r) {
        fail(NULL, err, errlen, "open");
        return NULL;
    }
    for (const char *p = kind; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_')) {
            snprintf(err, errlen,
                     "registry: record type '%s' is not a table "
                     "name",
                     kind);
            free(r);
            return NULL;
        }
    size_t tl = strlen(kind) + 7;
    r->table = malloc(tl);
    r->fields = calloc(nfields ? nfields : 1, sizeof *r->fields);
    if (!r->table || !r->fields) goto oom;
    snprintf(r->table, tl, "dedup_%s", kind);
    r->nfields = nfields;
    for (size_t i = 0; i < nfields; i++)
        if (!(r->fields[i] = strdup(fields[i]))) goto oom;
    outfile_guard(path);
    if (sqlite3_open_v2(path, &r->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open '%s': %s", path,
                 r->db ? sqlite3_errmsg(r->db) : "out of memory");
        registry_close(r);
        return NULL;
    }
    sqlite3_busy_timeout(r->db, 10000);
    size_t cap = 256 + nfields * 80, len = 0;
    char *sql = malloc(cap);
    if (!sql) goto oom;
    len = (size_t)snprintf(sql, cap,
                           "CREATE TABLE IF NOT EXISTS %s (_rowid INTEGER "
                           "PRIMARY KEY, _cluster_id TEXT NOT NULL, "
                           "_fingerprint TEXT NOT NULL UNIQUE, _match_score "
                           "REAL, _source_file TEXT, _source_row INTEGER, "
                           "_added TEXT",
                           r->table);
    for (size_t i = 0; i < nfields; i++) {
        len += (size_t)snprintf(sql + len, cap - len, ", ");
        put_ident(sql, cap, &len, fields[i]);
        len += (size_t)snprintf(sql + len, cap - len, " TEXT");
    }
    snprintf(sql + len, cap - len, ")");
    char *msg = NULL;
    if (sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot use '%s' as a registry: %s", path,
                 msg ? msg : sqlite3_errmsg(r->db));
        sqlite3_free(msg);
        free(sql);
        registry_close(r);
        return NULL;
    }
    r->in_tx = 1;
    if (sqlite3_exec(r->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot use '%s' as a registry: %s", path,
                 msg ? msg : "");
        sqlite3_free(msg);
        free(sql);
        registry_close(r);
        return NULL;
    }
    /* Columns an older table lacks (the schema grew). */
    for (size_t i = 0; i < nfields; i++) {
        len =
            (size_t)snprintf(sql, cap, "ALTER TABLE %s ADD COLUMN ", r->table);
        put_ident(sql, cap, &len, fields[i]);
        snprintf(sql + len, cap - len, " TEXT");
        sqlite3_exec(r->db, sql, NULL, NULL, NULL); /* fails when present */
    }
    len = (size_t)snprintf(sql, cap,
                           "INSERT OR IGNORE INTO %s (_cluster_id, "
                           "_fingerprint, _match_score, _source_file, "
                           "_source_row, _added",
                           r->table);
    for (size_t i = 0; i < nfields; i++) {
        len += (size_t)snprintf(sql + len, cap - len, ", ");
        put_ident(sql, cap, &len, fields[i]);
    }
    len += (size_t)snprintf(sql + len, cap - len, ") VALUES (?,?,?,?,?,?");
    for (size_t i = 0; i < nfields; i++)
        len += (size_t)snprintf(sql + len, cap - len, ",?");
    snprintf(sql + len, cap - len, ")");
    int rc = sqlite3_prepare_v2(r->db, sql, -1, &r->ins, NULL);
    if (rc == SQLITE_OK) {
        snprintf(sql, cap,
                 "UPDATE %s SET _cluster_id = ?2 WHERE _cluster_id = ?1",
                 r->table);
        rc = sqlite3_prepare_v2(r->db, sql, -1, &r->ren, NULL);
    }
    if (rc == SQLITE_OK) {
        snprintf(sql, cap, "UPDATE %s SET _match_score = ?2 WHERE _rowid = ?1",
                 r->table);
        rc = sqlite3_prepare_v2(r->db, sql, -1, &r->score, NULL);
    }
    if (rc == SQLITE_OK) {
        /* "P", "P-2", "P-3", ...: '-' sorts just before '.'; in index
         * order (an ORDER BY would cost a sort per call) */
        len = (size_t)snprintf(sql, cap, "SELECT _rowid");
        for (size_t i = 0; i < nfields; i++) {
            len += (size_t)snprintf(sql + len, cap - len, ", ");
            put_ident(sql, cap, &len, fields[i]);
        }
        snprintf(sql + len, cap - len,
                 " FROM %s WHERE _fingerprint >= ?1 AND _fingerprint < ?1 "
                 "|| '.'",
                 r->table);
        rc = sqlite3_prepare_v2(r->db, sql, -1, &r->find, NULL);
    }
    free(sql);
    if (rc != SQLITE_OK) {
        fail(r, err, errlen, "prepare");
        registry_close(r);
        return NULL;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(r->added, sizeof r->added, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return r;
oom:
    fail(NULL, err, errlen, "open");
    registry_close(r);
    return NULL;
}

int registry_each(registry *r, registry_row_fn fn, void *ctx, char *err,
                  size_t errlen) {
    size_t cap = 128 + r->nfields * 80, len;
    char *sql = malloc(cap);
    const char **vals = calloc(r->nfields + 1, sizeof *vals);
    size_t *lens = calloc(r->nfields + 1, sizeof *lens);
    if (!sql || !vals || !lens) {
        free(sql);
        free(vals);
        free(lens);
        return fail(NULL, err, errlen, "read");
    }
    len = (size_t)snprintf(sql, cap,
                           "SELECT _rowid, _cluster_id, _match_score, "
                           "_fingerprint");
    for (size_t i = 0; i < r->nfields; i++) {
        len += (size_t)snprintf(sql + len, cap - len, ", ");
        put_ident(sql, cap, &len, r->fields[i]);
    }
    snprintf(sql + len, cap - len, " FROM %s ORDER BY _rowid", r->table);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(r->db, sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK) {
        free(vals);
        free(lens);
        return fail(r, err, errlen, "read");
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t i = 0; i < r->nfields; i++) {
            const unsigned char *v = sqlite3_column_text(st, (int)i + 4);
            vals[i] = v ? (const char *)v : "";
            lens[i] = v ? (size_t)sqlite3_column_bytes(st, (int)i + 4) : 0;
        }
        const unsigned char *cid = sqlite3_column_text(st, 1);
        const unsigned char *fp = sqlite3_column_text(st, 3);
        double sc = sqlite3_column_type(st, 2) == SQLITE_NULL
                        ? NAN
                        : sqlite3_column_double(st, 2);
        if (fn(ctx, (long)sqlite3_column_int64(st, 0),
               cid ? (const char *)cid : "", sc, fp ? (const char *)fp : "",
               vals, lens))
            break;
    }
    int bad = rc != SQLITE_ROW && rc != SQLITE_DONE;
    sqlite3_finalize(st);
    free(vals);
    free(lens);
    return bad ? fail(r, err, errlen, "read") : 0;
}

static long one_long(registry *r, const char *fmt) {
    char sql[256];
    snprintf(sql, sizeof sql, fmt, r->table);
    sqlite3_stmt *st;
    long v = 0;
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) return 0;
    if (sqlite3_step(st) == SQLITE_ROW) v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

long registry_count(registry *r) {
    return one_long(r, "SELECT count(*) FROM %s");
}

long registry_max_cluster(registry *r) {
    return one_long(r,
                    "SELECT coalesce(max(CAST(substr(_cluster_id, 2) AS "
                    "INTEGER)), 0) FROM %s WHERE _cluster_id GLOB 'C[0-9]*'");
}

static void trim_value(const char **p, size_t *l);

int registry_same(const char *const *a, const size_t *alens,
                  const char *const *b, const size_t *blens, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const char *p = a[i], *q = b[i];
        size_t pn = alens[i], qn = blens[i];
        trim_value(&p, &pn);
        trim_value(&q, &qn);
        if (pn != qn || (pn && memcmp(p, q, pn))) return 0;
    }
    return 1;
}

/* Whether the FIND row now stepped holds VALS/LENS. */
static int same_row(registry *r, const char *const *vals, const size_t *lens) {
    for (size_t i = 0; i < r->nfields; i++) {
        const char *a = (const char *)sqlite3_column_text(r->find, (int)i + 1);
        size_t an = a ? (size_t)sqlite3_column_bytes(r->find, (int)i + 1) : 0;
        if (!registry_same(&a, &an, vals + i, lens + i, 1)) return 0;
    }
    return 1;
}

/* registry_find(), and the number of rows sharing the print in *GROUP. */
static long find_row(registry *r, const char *fingerprint,
                     const char *const *vals, const size_t *lens, long *group,
                     char *err, size_t errlen) {
    sqlite3_stmt *st = r->find;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, fingerprint, -1, SQLITE_TRANSIENT);
    long found = 0, n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        n++;
        if (!found && same_row(r, vals, lens))
            found = (long)sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fail(r, err, errlen, "read");
    if (group) *group = n;
    return found;
}

long registry_find(registry *r, const char *fingerprint,
                   const char *const *vals, const size_t *lens, char *err,
                   size_t errlen) {
    return find_row(r, fingerprint, vals, lens, NULL, err, errlen);
}

/* Inserts a row under print KEY: 1 added, 0 the print is taken, -1. */
static int insert(registry *r, const char *key, const char *cluster_id,
                  double score, const char *file, long row,
                  const char *const *vals, const size_t *lens, char *err,
                  size_t errlen) {
    sqlite3_stmt *st = r->ins;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, cluster_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    if (isnan(score))
        sqlite3_bind_null(st, 3);
    else
        sqlite3_bind_double(st, 3, score);
    sqlite3_bind_text(st, 4, file, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, row);
    sqlite3_bind_text(st, 6, r->added, -1, SQLITE_STATIC);
    for (size_t i = 0; i < r->nfields; i++) {
        if (lens[i])
            sqlite3_bind_text(st, (int)i + 7, vals[i], (int)lens[i],
                              SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, (int)i + 7);
    }
    if (sqlite3_step(st) != SQLITE_DONE) return fail(r, err, errlen, "insert");
    return sqlite3_changes(r->db) > 0;
}

int registry_add(registry *r, const char *cluster_id, const char *fingerprint,
                 double score, const char *file, long row,
                 const char *const *vals, const size_t *lens, char *err,
                 size_t errlen) {
    /* the usual case: a print not stored yet, so neither is the row */
    int a = insert(r, fingerprint, cluster_id, score, file, row, vals, lens,
                   err, errlen);
    if (a != 0) return a;
    /* the print is taken: this very row again, or a hash collision */
    long group = 0;
    long id = find_row(r, fingerprint, vals, lens, &group, err, errlen);
    if (id != 0) return id < 0 ? -1 : 0; /* stored already */
    /* a different row: the next free suffix, so that neither row hides the
     * other */
    char key[48];
    for (long k = group + 1; a == 0; k++) {
        snprintf(key, sizeof key, "%.16s-%ld", fingerprint, k);
        a = insert(r, key, cluster_id, score, file, row, vals, lens, err,
                   errlen);
    }
    return a;
}

long registry_rename(registry *r, const char *from, const char *to, char *err,
                     size_t errlen) {
    sqlite3_reset(r->ren);
    sqlite3_bind_text(r->ren, 1, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r->ren, 2, to, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(r->ren) != SQLITE_DONE)
        return fail(r, err, errlen, "update");
    return sqlite3_changes(r->db);
}

int registry_set_score(registry *r, long rowid, double score, char *err,
                       size_t errlen) {
    sqlite3_reset(r->score);
    sqlite3_bind_int64(r->score, 1, rowid);
    sqlite3_bind_double(r->score, 2, score);
    if (sqlite3_step(r->score) != SQLITE_DONE)
        return fail(r, err, errlen, "update");
    return 0;
}

int registry_commit(registry *r, char *err, size_t errlen) {
    if (!r->in_tx) return 0;
    if (sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return fail(r, err, errlen, "commit");
    r->in_tx = 0;
    return 0;
}

void registry_close(registry *r) {
    if (!r) return;
    sqlite3_finalize(r->ins);
    sqlite3_finalize(r->ren);
    sqlite3_finalize(r->score);
    sqlite3_finalize(r->find);
    if (r->in_tx) sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    if (r->db) sqlite3_close(r->db);
    for (size_t i = 0; i < r->nfields; i++)
        free(r->fields[i]);
    free(r->fields);
    free(r->table);
    free(r);
}

/* Spaces and tabs at either end of a value (and a CR at its end) do not
 * count. */
static void trim_value(const char **p, size_t *l) {
    while (*l && (**p == ' ' || **p == '\t'))
        (*p)++, (*l)--;
    while (*l && ((*p)[*l - 1] == ' ' || (*p)[*l - 1] == '\t' ||
                  (*p)[*l - 1] == '\r'))
        (*l)--;
}

/* FNV-1a over the trimmed values, a separator after each. */
static uint64_t fnv_rows(const char *const *vals, const size_t *lens,
                         size_t n) {
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        const char *p = vals[i];
        size_t l = lens[i];
        trim_value(&p, &l);
        for (size_t j = 0; j < l; j++) {
            h ^= (unsigned char)p[j];
            h *= 1099511628211ULL;
        }
        h ^= 0x1f; /* field separator, so "ab","" differs from "a","b" */
        h *= 1099511628211ULL;
    }
    return h;
}

registry_hash_fn registry_hash_hook;

void registry_fingerprint(const char *const *vals, const size_t *lens, size_t n,
                          char out[17]) {
    uint64_t h =
        (registry_hash_hook ? registry_hash_hook : fnv_rows)(vals, lens, n);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}
