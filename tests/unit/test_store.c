/*
 * test_store.c: the store module: the record type told by the header, an
 * idempotent load (same SHA-256: nothing changes), the store read back
 * through source_open() row for row as the file it came from, and the
 * persons left without their incident by a corrected incident file
 * (counted, not deleted) with the person batch's period.
 */
#include "source.h"
#include "store.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static schema *load_schema(const char *name) {
    char path[256], err[512];
    snprintf(path, sizeof path, "schemas/%s.yaml", name);
    schema *s = schema_load(path, err, sizeof err);
    if (!s) fprintf(stderr, "%s\n", err);
    return s;
}

T_TEST(pick_schema_from_header) {
    schema *s[3] = {load_schema("incident"), load_schema("person"),
                    load_schema("aggregate")};
    const char *files[3] = {"examples/incident.csv", "examples/person.csv",
                            "examples/aggregate.csv"};
    for (int i = 0; i < 3; i++) {
        char err[256];
        source *src = source_open(files[i], NULL, err, sizeof err);
        T_CHECK(src != NULL);
        if (!src) continue;
        source_row row;
        T_CHECK_INT(source_next(src, &row), 1);
        T_CHECK_INT(store_pick_schema(s, 3, &row), i);
        source_close(src);
    }
    for (int i = 0; i < 3; i++)
        schema_free(s[i]);
}

T_TEST(idempotent_load_and_read_back) {
    char db[] = "/tmp/test_store.XXXXXX";
    int fd = mkstemp(db);
    close(fd);
    unlink(db); /* the store makes it */
    schema *s = load_schema("incident");
    char err[512];
    store *st = store_open(db, NULL, err, sizeof err);
    T_CHECK(st != NULL);
    if (!st || !s) return;
    store_load_stats a, b;
    T_CHECK_INT(store_load(st, s, "examples/incident.csv", NULL,
                           STORE_REFUSE_INVALID, NULL, &a, err, sizeof err),
                STORE_LOADED);
    T_CHECK_INT(a.rows, 47);
    T_CHECK_INT(a.loaded, 47);
    T_CHECK_INT(store_load(st, s, "examples/incident.csv", NULL,
                           STORE_REFUSE_INVALID, NULL, &b, err, sizeof err),
                STORE_DUPLICATE);
    T_CHECK_INT(b.batch_id, a.batch_id);
    T_CHECK_STR(b.sha256, a.sha256);
    T_CHECK_INT(store_close(st, err, sizeof err), 0);
    T_CHECK_INT(store_has_table(db, "incident", err, sizeof err), 1);
    T_CHECK_INT(store_has_table(db, "person", err, sizeof err), 0);
    /* the store reads as the file: same header, same cells, row numbers
     * 1.. as a spreadsheet of the table shows them */
    source *f = source_open("examples/incident.csv", NULL, err, sizeof err);
    source *d = source_open(db, NULL, err, sizeof err);
    T_CHECK(f && d);
    if (f && d) {
        T_CHECK_STR(source_format(d), "sqlite");
        source_row rf, rd;
        long rows = 0, same = 0;
        while (source_next(f, &rf) > 0) {
            T_CHECK_INT(source_next(d, &rd), 1);
            rows++;
            int eq = rf.ncells == rd.ncells;
            for (size_t i = 0; eq && i < rf.ncells; i++)
                eq = rf.cells[i].n == rd.cells[i].n &&
                     !memcmp(rf.cells[i].p, rd.cells[i].p, rf.cells[i].n);
            same += eq;
            T_CHECK_INT(rd.row, rows);
        }
        T_CHECK_INT(source_next(d, &rd), 0);
        T_CHECK_INT(rows, 48);
        T_CHECK_INT(same, rows);
    }
    source_close(f);
    source_close(d);
    schema_free(s);
    unlink(db);
}

/* The first N lines of SRC into DST. */
static void head_lines(const char *src, const char *dst, int n) {
    FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
    int c, lines = 0;
    while (in && out && lines < n && (c = fgetc(in)) != EOF) {
        fputc(c, out);
        if (c == '\n') lines++;
    }
    if (in) fclose(in);
    if (out) fclose(out);
}

T_TEST(orphans_counted_not_deleted) {
    char db[] = "/tmp/test_store.XXXXXX", fewer[] = "/tmp/test_store.XXXXXX";
    close(mkstemp(db));
    unlink(db);
    close(mkstemp(fewer));
    head_lines("examples/incident.csv", fewer, 11);
    schema *inc = load_schema("incident"), *per = load_schema("person");
    char err[512];
    store *st = store_open(db, NULL, err, sizeof err);
    T_CHECK(st && inc && per);
    if (!st || !inc || !per) return;
    store_load_stats a, b, c;
    T_CHECK_INT(store_load(st, inc, "examples/incident.csv", NULL,
                           STORE_REFUSE_INVALID, NULL, &a, err, sizeof err),
                STORE_LOADED);
    T_CHECK_INT(store_load(st, per, "examples/person.csv", NULL,
                           STORE_REFUSE_INVALID, NULL, &b, err, sizeof err),
                STORE_LOADED);
    T_CHECK_STR(b.period, "2025-03"); /* from its incidents */
    T_CHECK_INT(b.orphans, 0);
    T_CHECK_INT(store_load(st, inc, fewer, NULL, STORE_REFUSE_INVALID, NULL, &c,
                           err, sizeof err),
                STORE_LOADED);
    T_CHECK_INT(c.replaced_rows, a.loaded);
    T_CHECK(c.orphans > 0);
    T_CHECK(c.orphans < b.loaded); /* the persons of kept incidents are not */
    T_CHECK(strncmp(c.orphan_ids, "PAK-", 4) == 0);
    T_CHECK_INT(store_close(st, err, sizeof err), 0);
    /* every person row is still there */
    source_opts so = {0};
    so.table = "person";
    source *d = source_open(db, &so, err, sizeof err);
    T_CHECK(d != NULL);
    long rows = 0;
    source_row r;
    while (d && source_next(d, &r) > 0)
        rows++;
    T_CHECK_INT(rows - 1, b.loaded);
    source_close(d);
    schema_free(inc);
    schema_free(per);
    unlink(db);
    unlink(fewer);
}

int main(void) {
    T_RUN(pick_schema_from_header);
    T_RUN(idempotent_load_and_read_back);
    T_RUN(orphans_counted_not_deleted);
    return T_END();
}
