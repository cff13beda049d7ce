/* test_registry.c: the SQLite registry of lib/registry. */
#include "registry.h"
#include "t.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static const char *fields[] = {"person_id", "given_name"};

/* Collects the rows registry_each hands out. */
typedef struct seen {
    int n;            /* rows */
    char cid[8][16];  /* their cluster ids */
    char name[8][32]; /* their given_name */
    double score[8];  /* their scores */
} seen;

static int collect(void *ctx, long rowid, const char *cluster_id, double score,
                   const char *fp, const char *const *vals,
                   const size_t *lens) {
    seen *s = ctx;
    (void)rowid;
    (void)fp;
    if (s->n < 8) {
        snprintf(s->cid[s->n], sizeof s->cid[0], "%s", cluster_id);
        snprintf(s->name[s->n], sizeof s->name[0], "%.*s", (int)lens[1],
                 vals[1]);
        s->score[s->n] = score;
    }
    s->n++;
    return 0;
}

static int add(registry *r, const char *cid, const char *id, const char *name,
               double score) {
    const char *v[2] = {id, name};
    size_t l[2] = {strlen(id), strlen(name)};
    char fp[17], err[256];
    registry_fingerprint(v, l, 2, fp);
    return registry_add(r, cid, fp, score, "m1.csv", 2, v, l, err, sizeof err);
}

T_TEST(fingerprint) {
    const char *a[2] = {"P1", "Ali"}, *b[2] = {" P1 ", "Ali\r"},
               *c[2] = {"P1A", "li"};
    size_t la[2] = {2, 3}, lb[2] = {4, 4}, lc[2] = {3, 2};
    char fa[17], fb[17], fc[17];
    registry_fingerprint(a, la, 2, fa);
    registry_fingerprint(b, lb, 2, fb);
    registry_fingerprint(c, lc, 2, fc);
    T_CHECK_STR(fa, fb);          /* spaces at the ends do not count */
    T_CHECK(strcmp(fa, fc) != 0); /* the field boundary does */
    T_CHECK_INT(strlen(fa), 16);
}

T_TEST(add_each_rename_commit) {
    char path[] = "/tmp/test_registry_XXXXXX", err[256];
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    registry *r = registry_open(path, "person", fields, 2, err, sizeof err);
    T_CHECK(r != NULL);
    if (!r) return;
    T_CHECK_INT(add(r, "C000001", "P1", "Ali", NAN), 1);
    T_CHECK_INT(add(r, "C000002", "P2", "Reza", 14.5), 1);
    T_CHECK_INT(add(r, "C000009", "P2", "Reza", 1), 0); /* seen: ignored */
    T_CHECK_INT(registry_count(r), 2);
    T_CHECK_INT(registry_max_cluster(r), 2);
    T_CHECK_INT(registry_rename(r, "C000002", "C000001", err, sizeof err), 1);
    T_CHECK_INT(registry_commit(r, err, sizeof err), 0);
    registry_close(r);
    r = registry_open(path, "person", fields, 2, err, sizeof err);
    T_CHECK(r != NULL);
    if (!r) return;
    seen s = {0};
    T_CHECK_INT(registry_each(r, collect, &s, err, sizeof err), 0);
    T_CHECK_INT(s.n, 2);
    T_CHECK_STR(s.cid[1], "C000001");
    T_CHECK_STR(s.name[1], "Reza");
    T_CHECK(isnan(s.score[0]));
    T_CHECK(s.score[1] == 14.5);
    /* not committed: rolled back on close */
    T_CHECK_INT(add(r, "C000003", "P3", "Omar", NAN), 1);
    registry_close(r);
    r = registry_open(path, "person", fields, 2, err, sizeof err);
    T_CHECK_INT(registry_count(r), 2);
    registry_close(r);
    unlink(path);
}

T_TEST(bad_table_name) {
    char err[256];
    T_CHECK(registry_open("/tmp/x.db", "pers on", fields, 2, err, sizeof err) ==
            NULL);
    T_CHECK(strstr(err, "not a table name") != NULL);
    T_CHECK(registry_open("/nonexistent/dir/x.db", "person", fields, 2, err,
                          sizeof err) == NULL);
    T_CHECK(strstr(err, "cannot open") != NULL);
}

/* Every row hashes alike: a forced 64-bit collision. */
static uint64_t same_hash(const char *const *vals, const size_t *lens,
                          size_t n) {
    (void)vals, (void)lens, (void)n;
    return 42;
}

T_TEST(hash_collision_keeps_both_rows) {
    char path[] = "/tmp/test_registry_XXXXXX", err[256];
    int fd = mkstemp(path);
    close(fd);
    const char *fields[] = {"name", "dob"};
    registry_hash_hook = same_hash;
    registry *r = registry_open(path, "person", fields, 2, err, sizeof err);
    T_CHECK(r != NULL);
    T_CHECK_INT(add(r, "C000001", "Ali", "1990-01-01", NAN), 1);
    /* another row, the same hash: a second row, not "seen before" */
    T_CHECK_INT(add(r, "C000002", "Reza", "1985-05-05", NAN), 1);
    T_CHECK_INT(add(r, "C000003", "Omar", "1970-07-07", NAN), 1);
    T_CHECK_INT(registry_count(r), 3);
    /* each of them again, spaces around values too: nothing added */
    T_CHECK_INT(add(r, "C000009", "Ali", "1990-01-01", NAN), 0);
    T_CHECK_INT(add(r, "C000009", " Reza ", "1985-05-05", NAN), 0);
    T_CHECK_INT(add(r, "C000009", "Omar", "1970-07-07", NAN), 0);
    T_CHECK_INT(registry_count(r), 3);
    /* the exact row is found among those sharing the print */
    const char *v[2] = {"Reza", "1985-05-05"};
    size_t l[2] = {4, 10};
    char fp[17];
    registry_fingerprint(v, l, 2, fp);
    T_CHECK_INT(registry_find(r, fp, v, l, err, sizeof err), 2);
    v[0] = "Omar", v[1] = "1970-07-07";
    T_CHECK_INT(registry_find(r, fp, v, l, err, sizeof err), 3);
    v[0] = "Ali", l[0] = 3;
    T_CHECK_INT(registry_find(r, fp, v, l, err, sizeof err), 0);
    v[1] = "1990-01-01";
    T_CHECK_INT(registry_find(r, fp, v, l, err, sizeof err), 1);
    T_CHECK_INT(registry_commit(r, err, sizeof err), 0);
    registry_close(r);
    registry_hash_hook = NULL;
    unlink(path);
}

T_TEST(same_values) {
    const char *a[2] = {" Ali", "1990\r"}, *b[2] = {"Ali ", "1990"},
               *c[2] = {"Al", "i1990"}, *d[2] = {"Ali", "1991"};
    size_t la[2] = {4, 5}, lb[2] = {4, 4}, lc[2] = {2, 5}, ld[2] = {3, 4};
    T_CHECK(registry_same(a, la, b, lb, 2));  /* ends do not count */
    T_CHECK(!registry_same(b, lb, c, lc, 2)); /* the field boundary does */
    T_CHECK(!registry_same(b, lb, d, ld, 2));
    T_CHECK(registry_same(b, lb, d, ld, 1)); /* only N values compared */
}

int main(void) {
    T_RUN(fingerprint);
    T_RUN(add_each_rename_commit);
    T_RUN(bad_table_name);
    T_RUN(hash_collision_keeps_both_rows);
    T_RUN(same_values);
    return T_END();
}
