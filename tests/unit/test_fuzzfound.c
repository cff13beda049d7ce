/*
 * test_fuzzfound.c: inputs the fuzz targets found to break lib, kept as
 * tests (each fails under make check-asan without its fix):
 *  - a header cell holding a NUL byte: schema_field_index() compared with
 *    strncmp, stopped at the NUL and read past a shorter field name
 *    (fuzz_csv, heap-buffer-overflow);
 *  - an empty key in a strmap whose arena was never allocated: NULL + 0
 *    in the lookup and in strmap_key() (fuzz_compare, UBSan);
 *  - an export of a file with a header and no rows: the Summary sheet
 *    sorted a table of no values, qsort(NULL, 0, ...) (fuzz_workbook,
 *    UBSan);
 *  - a reporting country written ALL, the name of the total, with
 *    suppression: the total cell was twice on its line of the suppression
 *    LP, and GLPK aborts the process on a (row, column) given twice
 *    (fuzz_compare, abort in glp_load_matrix).
 */
#include "t.h"

#include "compare.h"
#include "outfile.h"
#include "schema.h"
#include "source.h"
#include "strmap.h"
#include "workbook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

T_TEST(field_name_with_nul) {
    char path[] = "/tmp/test_fuzzfound-XXXXXX";
    int fd = mkstemp(path);
    T_CHECK(fd >= 0);
    const char *y = "schema: t\nversion: \"1\"\nfields:\n"
                    "  - {name: id, type: string}\n"
                    "  - {name: country, type: string}\n";
    T_CHECK(write(fd, y, strlen(y)) == (ssize_t)strlen(y));
    close(fd);
    char err[512];
    schema *s = schema_load(path, err, sizeof err);
    unlink(path);
    T_CHECK(s != NULL);
    if (!s) return;
    /* "id" then a NUL and more: not the field id */
    char *cell = malloc(6); /* exactly the cell's bytes, no terminator */
    memcpy(cell, "id\0xyz", 6);
    T_CHECK_INT(schema_field_index(s, cell, 6), -1);
    T_CHECK_INT(schema_field_index(s, cell, 2), 0);
    T_CHECK_INT(schema_field_index(s, "country", 7), 1);
    T_CHECK_INT(schema_field_index(s, "countr", 6), -1);
    free(cell);
    schema_free(s);
}

T_TEST(empty_key_without_arena) {
    strmap m;
    strmap_init(&m);
    int added = 0;
    T_CHECK_INT(strmap_get(&m, "", 0) == NULL, 1);
    uint64_t *v = strmap_put(&m, "", 0, &added);
    T_CHECK(v != NULL);
    T_CHECK_INT(added, 1);
    if (v) *v = 7;
    /* found again, not added twice; its key is the empty string */
    v = strmap_put(&m, "", 0, &added);
    T_CHECK(v != NULL && *v == 7);
    T_CHECK_INT(added, 0);
    for (size_t i = 0; i < m.nslots; i++) {
        if (!m.slots[i].hash) continue;
        size_t n = 99;
        const char *k = strmap_key(&m, i, &n);
        T_CHECK_INT((long)n, 0);
        T_CHECK(k != NULL);
    }
    strmap_free(&m);
}

T_TEST(export_without_rows) {
    char dir[] = "/tmp/test_fuzzfound-XXXXXX", path[64], out[64];
    T_CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    snprintf(out, sizeof out, "%s/out.xlsx", dir);
    FILE *f = fopen(path, "w");
    T_CHECK(f != NULL);
    if (!f) return;
    fputs("schema: t\nversion: \"1\"\nfields:\n"
          "  - {name: reporting_period, type: string}\n"
          "  - {name: offence_type, type: code, codes: [thb, som]}\n"
          "  - {name: nationality, type: code, codes: [AFG, PAK]}\n"
          "  - {name: sex, type: code, codes: [female, male]}\n",
          f);
    fclose(f);
    char err[512];
    schema *s = schema_load(path, err, sizeof err);
    T_CHECK(s != NULL);
    if (!s) return;
    workbook_export *w = workbook_export_open(out, s, 0, err, sizeof err);
    T_CHECK(w != NULL);
    if (w) {
        workbook_export_file(w, "in.csv", "csv", NULL);
        workbook_export_header(w, NULL, 0);
        T_CHECK_INT(workbook_export_close(w, NULL, err, sizeof err), 0);
    }
    /* a workbook whose Data sheet is the header alone */
    source_opts o = {0};
    o.sheet = "Data";
    source *src = source_open(out, &o, err, sizeof err);
    T_CHECK(src != NULL);
    source_row row;
    long rows = 0;
    while (src && source_next(src, &row) > 0)
        rows++;
    T_CHECK_INT(rows, 1);
    source_close(src);
    schema_free(s);
    unlink(out);
    unlink(path);
    rmdir(dir);
    outfile_reset();
}

T_TEST(country_named_like_the_total) {
    char path[] = "/tmp/test_fuzzfound-XXXXXX";
    int fd = mkstemp(path);
    T_CHECK(fd >= 0);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    fputs("incident_id,reporting_country,reporting_agency,reporting_period,"
          "incident_date,offence_type,place_type,admin1,place_name,"
          "border_crossing_point,exploitation_forms,route_origin,"
          "route_transit,route_destination,transport_mode,victims_count,"
          "smuggled_migrants_count,irregular_migrants_count,suspects_count,"
          "deaths_count,case_stage,stage_date,notes\n"
          "0001,ALL,FIA,2025-03,2025-03-03,THB,inland,,x,,forced_labour,PAK,,"
          "PAK,land,6,0,0,2,,,,\n"
          "0002,PAK,FIA,2025-03,2025-03-03,THB,inland,PK-PB,x,,forced_labour,"
          "PAK,,PAK,land,6,0,0,2,,,,\n",
          f);
    fclose(f);
    /* fuzz_compare's option byte 0xD9: by quarter; by age, nationality
     * and form; suppression under 5 */
    compare_opts co = {.period = COMPARE_QUARTER,
                       .by = COMPARE_BY_AGE | COMPARE_BY_NATIONALITY |
                             COMPARE_BY_FORM,
                       .suppress = 5,
                       .with_persons = 1};
    compare *c = compare_new(&co);
    char err[512];
    source *src = c ? source_open(path, NULL, err, sizeof err) : NULL;
    T_CHECK(src != NULL);
    source_row row;
    long fed = 0;
    if (src && source_next(src, &row) > 0 &&
        compare_header(c, COMPARE_INCIDENT, &row, err, sizeof err) == 0) {
        while (source_next(src, &row) > 0) {
            compare_row(c, &row);
            fed++;
        }
        compare_finish(c); /* aborted here */
        const compare_counts *k = compare_counts_of(c, COMPARE_INCIDENT);
        T_CHECK(k && k->rows == 2);
        size_t n;
        const compare_cell *cells = compare_cells(c, &n);
        for (size_t i = 0; i < n; i++) /* nothing under 5 shown */
            T_CHECK(!(cells[i].state == COMPARE_SHOWN && cells[i].value > 0 &&
                      cells[i].value < 5));
    }
    T_CHECK_INT(fed, 2);
    source_close(src);
    compare_free(c);
    unlink(path);
    outfile_reset();
}

int main(void) {
    T_RUN(field_name_with_nul);
    T_RUN(empty_key_without_arena);
    T_RUN(export_without_rows);
    T_RUN(country_named_like_the_total);
    return T_END();
}
