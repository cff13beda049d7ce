/*
 * test_workbook.c: the workbooks of lib/workbook*.c read back with relec's
 * own .xlsx reader (source_open): export keeps every value exactly (typed
 * where the text is canonical, text otherwise), makes bytes a workbook
 * cannot hold valid, counts Summary tables, lists findings in Issues; the
 * validate report keeps the input rows at their own row numbers with a
 * Findings sheet; the template has the header and a typed example row.
 * Workbooks go to a mkdtemp() directory, removed at exit.
 */
#include "t.h"

#include "check.h"
#include "schema.h"
#include "source.h"
#include "workbook.h"

#include <minizip/unzip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64]; /* mkdtemp() directory */

static const char *path_of(const char *name) {
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void cleanup(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

/* A small schema with every cell type. */
static schema *small_schema(void) {
    const char *p = path_of("small.yaml");
    FILE *f = fopen(p, "w");
    fputs("schema: small\nversion: \"0.1\"\ntitle: test\nfields:\n"
          "  - {name: id, type: string, required: true, example: A-1}\n"
          "  - {name: n, type: integer, min: 0, example: 12}\n"
          "  - {name: x, type: number, example: \"2.5\"}\n"
          "  - {name: d, type: date, example: 2025-03-04}\n"
          "  - {name: b, type: boolean, example: \"true\"}\n"
          "  - {name: sex, type: code, codes: [{code: female, label: Female},"
          " {code: male, label: Male}], example: male}\n"
          "  - {name: reporting_period, type: string, example: 2025-03}\n",
          f);
    fclose(f);
    char err[512];
    schema *s = schema_load(p, err, sizeof err);
    if (!s) fprintf(stderr, "%s\n", err);
    return s;
}

/* The text of entry NAME of zip PATH (malloc'd), or NULL. */
static char *zip_text(const char *path, const char *name) {
    unzFile z = unzOpen(path);
    if (!z) return NULL;
    char *buf = NULL;
    if (unzLocateFile(z, name, 0) == UNZ_OK &&
        unzOpenCurrentFile(z) == UNZ_OK) {
        unz_file_info info;
        unzGetCurrentFileInfo(z, &info, NULL, 0, NULL, 0, NULL, 0);
        buf = malloc(info.uncompressed_size + 1);
        int n = unzReadCurrentFile(z, buf, (unsigned)info.uncompressed_size);
        buf[n > 0 ? n : 0] = 0;
        unzCloseCurrentFile(z);
    }
    unzClose(z);
    return buf;
}

/* Reads sheet SHEET of PATH; returns rows read, with row R's cells copied
 * into got[R - 1][c] (rows up to 8, cells up to 8, text up to 63 bytes). */
static char got[8][8][64];
static long got_ncells[8];
static long read_sheet(const char *path, const char *sheet) {
    memset(got, 0, sizeof got);
    memset(got_ncells, 0, sizeof got_ncells);
    source_opts o = {0};
    o.sheet = sheet;
    char err[256];
    source *src = source_open(path, &o, err, sizeof err);
    if (!src) {
        fprintf(stderr, "%s: %s\n", path, err);
        return -1;
    }
    source_row r;
    long n = 0;
    while (source_next(src, &r) > 0) {
        n++;
        if (r.row < 1 || r.row > 8) continue;
        got_ncells[r.row - 1] = (long)r.ncells;
        for (size_t c = 0; c < r.ncells && c < 8; c++) {
            size_t k = r.cells[c].n < 63 ? r.cells[c].n : 63;
            memcpy(got[r.row - 1][c], r.cells[c].p, k);
        }
    }
    source_close(src);
    return n;
}

/* The notes a workbook hands back (the library prints none itself). */
static char notes[512];
static void collect_note(void *ctx, const char *text) {
    size_t n = strlen(notes);
    (void)ctx;
    snprintf(notes + n, sizeof notes - n, "%s\n", text);
}

static source_cell C(const char *s) {
    return (source_cell){s, strlen(s)};
}

T_TEST(export_values_round_trip) {
    schema *s = small_schema();
    T_CHECK(s != NULL);
    if (!s) return;
    char err[256];
    const char *p = path_of("e.xlsx");
    workbook_export *w = workbook_export_open(p, s, 0, err, sizeof err);
    T_CHECK(w != NULL);
    if (!w) return;
    workbook_export_file(w, "in.csv", "csv", NULL);
    /* canonical values become typed cells, the rest stay text as given */
    source_cell r1[] = {C("A-1"),  C("12"),   C("2.5"),    C("2025-03-04"),
                        C("true"), C("male"), C("2025-03")};
    source_cell r2[] = {C("A-2"),  C("007"),    C("1.0"),    C("2025-02-30"),
                        C("TRUE"), C("female"), C("2025-04")};
    source_cell r3[] = {C("bad\xff\x01"), C(""), C("-0"),
                        C("1899-12-31"),  C(""), C("male"),
                        C("2025-03")};
    check_finding f = {3, "n", "x", 1, CHECK_TYPE, CHECK_ERROR, "not a number"};
    workbook_export_row(w, r1, 2, NULL, 0);
    workbook_export_row(w, r2, 3, &f, 1);
    workbook_export_row(w, r3, 4, NULL, 0);
    T_CHECK_INT(workbook_export_rows(w), 3);
    note_sink ns = {collect_note, NULL};
    notes[0] = 0;
    T_CHECK_INT(workbook_export_close(w, &ns, err, sizeof err), 0);
    T_CHECK_STR(notes, "some cells held bytes a workbook cannot (invalid "
                       "UTF-8 or control characters): written as U+FFFD\n");
    T_CHECK_INT(read_sheet(p, "Data"), 4);
    T_CHECK_STR(got[0][0], "id");
    T_CHECK_STR(got[1][1], "12");
    T_CHECK_STR(got[1][2], "2.5");
    T_CHECK_STR(got[1][3], "2025-03-04"); /* a date cell, read back as ISO */
    T_CHECK_STR(got[1][4], "true");
    T_CHECK_STR(got[1][6], "2025-03");
    T_CHECK_STR(got[2][1], "007");
    T_CHECK_STR(got[2][2], "1.0");
    T_CHECK_STR(got[2][3], "2025-02-30");
    T_CHECK_STR(got[2][4], "TRUE");
    T_CHECK_STR(got[3][0], "bad\xef\xbf\xbd\xef\xbf\xbd"); /* U+FFFD twice */
    T_CHECK_STR(got[3][2], "-0");
    T_CHECK_STR(got[3][3], "1899-12-31");
    /* typed cells in the sheet XML: numbers and dates as <v>, not text */
    char *x = zip_text(p, "xl/worksheets/sheet1.xml");
    T_CHECK(x != NULL);
    if (x) {
        T_CHECK(strstr(x, "<c r=\"B2\"><v>12</v></c>") != NULL);
        T_CHECK(strstr(x, "<c r=\"D2\" s=\"") != NULL); /* date style */
        T_CHECK(strstr(x, "<c r=\"E2\" t=\"b\"><v>1</v>") != NULL);
        T_CHECK(strstr(x, "<c r=\"B3\" t=\"inlineStr\">") != NULL);
        T_CHECK(strstr(x, "<autoFilter ref=\"A1:G4\"/>") != NULL);
        T_CHECK(strstr(x, "state=\"frozen\"") != NULL);
        free(x);
    }
    /* Issues: the finding with its Data row */
    T_CHECK_INT(read_sheet(p, "Issues"), 2);
    T_CHECK_STR(got[0][7], "data_row");
    T_CHECK_STR(got[1][0], "in.csv");
    T_CHECK_STR(got[1][1], "3");
    T_CHECK_STR(got[1][4], "type");
    T_CHECK_STR(got[1][7], "3"); /* the Data sheet's row 3 */
    /* Summary: tables for the fields there are; sex counts 2 male,
     * 1 female; months 2025-03 twice, 2025-04 once */
    T_CHECK(read_sheet(p, "Summary") > 5);
    char *sx = zip_text(p, "xl/worksheets/sheet2.xml");
    T_CHECK(sx && strstr(sx, "Rows by sex<") != NULL);
    T_CHECK(sx && strstr(sx, "Rows by month<") != NULL);
    /* code-list order: female (listed first) above male */
    T_CHECK(sx && strstr(sx, ">female<") && strstr(sx, ">male<") &&
            strstr(sx, ">female<") < strstr(sx, ">male<"));
    T_CHECK(sx && strstr(sx, "nationality") == NULL);
    free(sx);
    source_opts so = {0};
    so.sheet = "Summary";
    source *src = source_open(p, &so, err, sizeof err);
    source_row row;
    int male = 0, female = 0, march = 0;
    while (src && source_next(src, &row) > 0) {
        if (row.ncells < 2) continue;
        if (row.ncells > 2 && row.cells[0].n == 4 &&
            !memcmp(row.cells[0].p, "male", 4))
            male = row.cells[2].n == 1 && row.cells[2].p[0] == '2';
        if (row.ncells > 2 && row.cells[0].n == 6 &&
            !memcmp(row.cells[0].p, "female", 6))
            female = row.cells[2].n == 1 && row.cells[2].p[0] == '1';
        if (row.cells[0].n == 7 && !memcmp(row.cells[0].p, "2025-03", 7))
            march = row.cells[1].n == 1 && row.cells[1].p[0] == '2';
    }
    source_close(src);
    T_CHECK(male && female && march);
    T_CHECK(read_sheet(p, "About") > 5);
    schema_free(s);
}

T_TEST(export_long_cell_cut) {
    schema *s = small_schema();
    if (!s) return;
    char err[256];
    const char *p = path_of("long.xlsx");
    workbook_export *w = workbook_export_open(p, s, 0, err, sizeof err);
    T_CHECK(w != NULL);
    if (!w) return;
    size_t n = 40000;
    char *big = malloc(n);
    memset(big, 'z', n);
    source_cell r[] = {{big, n}, C("1"), C(""), C(""), C(""), C(""), C("")};
    workbook_export_row(w, r, 2, NULL, 0);
    T_CHECK_INT(workbook_export_close(w, NULL, err, sizeof err), 0);
    source_opts o = {0};
    o.sheet = "Data";
    source *src = source_open(p, &o, err, sizeof err);
    T_CHECK(src != NULL);
    source_row row;
    if (src) {
        T_CHECK_INT(source_next(src, &row), 1);
        T_CHECK_INT(source_next(src, &row), 1);
        T_CHECK_INT(row.cells[0].n, WORKBOOK_MAX_CELL);
        source_close(src);
    }
    free(big);
    schema_free(s);
}

T_TEST(export_abort_leaves_nothing) {
    schema *s = small_schema();
    if (!s) return;
    char err[256];
    const char *p = path_of("abort.xlsx");
    workbook_export *w = workbook_export_open(p, s, 0, err, sizeof err);
    T_CHECK(w != NULL);
    workbook_export_abort(w);
    T_CHECK(access(p, F_OK) != 0);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -q abort.xlsx", dir);
    T_CHECK(system(cmd) != 0); /* no temp file either */
    schema_free(s);
}

T_TEST(report_rows_and_findings) {
    schema *s = small_schema();
    if (!s) return;
    char err[256];
    const char *p = path_of("report.xlsx");
    void *r = workbook_report_open(p, s, err, sizeof err);
    T_CHECK(r != NULL);
    if (!r) return;
    source_cell h[] = {C("id"), C("n")};
    source_row hdr = {h, 2, 1, 0, NULL, NULL};
    workbook_report_header(r, "dir/prov.csv", &hdr, NULL, 0);
    source_cell a[] = {C("A-1"), C("x")};
    source_row ra = {a, 2, 2, 0, NULL, NULL};
    check_finding f = {2, "n", "x", 1, CHECK_TYPE, CHECK_ERROR, "not a number"};
    workbook_report_row(r, &ra, &f, 1);
    source_cell b[] = {C("A-2"), C("5")};
    source_row rb = {b, 2,    5,
                     0, NULL, NULL}; /* rows 3, 4 absent in the input */
    workbook_report_row(r, &rb, NULL, 0);
    T_CHECK_INT(workbook_report_close(r, NULL, err, sizeof err), 0);
    T_CHECK_INT(read_sheet(p, "prov"), 3);
    T_CHECK_STR(got[0][2], "relec findings");
    T_CHECK_STR(got[1][1], "x");
    T_CHECK_STR(got[1][2], "n: not a number [type]");
    T_CHECK_STR(got[4][0], "A-2"); /* kept at its own row number */
    T_CHECK_INT(read_sheet(p, "Findings"), 2);
    T_CHECK_STR(got[1][0], "dir/prov.csv");
    T_CHECK_STR(got[1][1], "2");
    T_CHECK_STR(got[1][2], "n");
    T_CHECK_STR(got[1][4], "type");
    char *c = zip_text(p, "xl/comments1.xml");
    T_CHECK(c && strstr(c, "not a number") != NULL); /* comment on B2 */
    free(c);
    schema_free(s);
}

T_TEST(template_header_and_example) {
    schema *s = small_schema();
    if (!s) return;
    char err[256];
    const char *p = path_of("tpl.xlsx");
    T_CHECK_INT(workbook_template_write(p, s, NULL, err, sizeof err), 0);
    T_CHECK_INT(read_sheet(p, NULL), 2);
    T_CHECK_STR(got[0][0], "id");
    T_CHECK_STR(got[0][6], "reporting_period");
    T_CHECK_STR(got[1][1], "12");
    T_CHECK_STR(got[1][3], "2025-03-04");
    T_CHECK_STR(got[1][4], "true");
    T_CHECK_STR(got[1][6], "2025-03");
    char *x = zip_text(p, "xl/worksheets/sheet1.xml");
    T_CHECK(x && strstr(x, "<dataValidation type=\"list\"") != NULL);
    T_CHECK(x && strstr(x, "Lists!$A$2:$A$3") != NULL);
    T_CHECK(x && strstr(x, "type=\"whole\"") != NULL);
    T_CHECK(x && strstr(x, "type=\"date\"") != NULL);
    free(x);
    schema_free(s);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/relec-wb-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    atexit(cleanup);
    T_RUN(export_values_round_trip);
    T_RUN(export_long_cell_cut);
    T_RUN(export_abort_leaves_nothing);
    T_RUN(report_rows_and_findings);
    T_RUN(template_header_and_example);
    return T_END();
}
