/*
 * test_schema_cache.c: the process-wide code-list cache (schema.h) and the
 * checker's tables built from it (check.c): a code list file is read once
 * per process and shared, outlives the schema that first read it, is read
 * again once the file changes, and still guards its file against outputs.
 */
#include "check.h"
#include "outfile.h"
#include "schema.h"
#include "source.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/test_schema_cache-XXXXXX";
static char schema_path[128], list_path[128];

static void put(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static const char *list_v1 = "codelist: colour\n"
                             "codes:\n"
                             "  - {code: red, label: Red}\n"
                             "  - {code: blue, label: Blue}\n";

static const char *list_v2 = "codelist: colour\n"
                             "codes:\n"
                             "  - {code: red, label: Red}\n"
                             "  - {code: blue, label: Blue}\n"
                             "  - {code: green, label: Green}\n";

static schema *load(void) {
    char err[1024];
    schema *s = schema_load(schema_path, err, sizeof err);
    if (!s) fprintf(stderr, "%s\n", err);
    return s;
}

/* A code list file is read once: a second schema shares the first's list,
 * which outlives the first schema. */
T_TEST(test_list_shared) {
    schema *a = load(), *b = load();
    T_CHECK(a && b);
    if (!a || !b) return;
    const schema_codelist *la = a->fields[1].codes, *lb = b->fields[1].codes;
    T_CHECK(la && la == lb);
    T_CHECK_INT(la->shared, 1);
    T_CHECK(a->fields[2].codes && !a->fields[2].codes->shared); /* inline */
    schema_free(a);
    T_CHECK_INT(schema_code_find(lb, "blue", 4), 1);
    T_CHECK_INT(schema_code_find(lb, "green", 5), -1);
    schema_free(b);
}

/* A changed file is read again; a schema loaded before keeps what it read. */
T_TEST(test_list_changed) {
    schema *a = load();
    put(list_path, list_v2);
    schema *b = load();
    T_CHECK(a && b);
    if (a && b) {
        T_CHECK(a->fields[1].codes != b->fields[1].codes);
        T_CHECK_INT(schema_code_find(a->fields[1].codes, "green", 5), -1);
        T_CHECK_INT(schema_code_find(b->fields[1].codes, "green", 5), 2);
    }
    schema_free(a);
    schema_free(b);
    put(list_path, list_v1);
}

/* A list from the cache still guards its file: no output over it. */
T_TEST(test_list_guarded) {
    schema *a = load();
    schema_free(a);
    outfile_reset();    /* a new run: nothing guarded */
    schema *b = load(); /* the list comes from the cache */
    T_CHECK(b != NULL);
    outfile o;
    char err[512] = "";
    T_CHECK_INT(outfile_open(&o, list_path, err, sizeof err), -1);
    T_CHECK(strstr(err, "colour.yaml") != NULL);
    schema_free(b);
    outfile_reset();
}

/* Checkers share the table of a shared list: one freed, the other still
 * finds codes and reports a code not in the list. */
T_TEST(test_checker_tables) {
    schema *s = load();
    T_CHECK(s != NULL);
    if (!s) return;
    char csv[128];
    snprintf(csv, sizeof csv, "%s/in.csv", dir);
    put(csv, "id,colour,size\n1,blue,S\n2,pink,L\n3,red,M\n");
    check *c1 = check_new(s), *c2 = check_new(s);
    T_CHECK(c1 && c2);
    check_free(c1);
    char err[512];
    source *src = source_open(csv, NULL, err, sizeof err);
    T_CHECK(src != NULL);
    source_row row;
    int first = 1;
    size_t n = 0, bad = 0; /* findings, and of them pink's on row 3 */
    while (src && c2 && source_next(src, &row) > 0) {
        size_t k = 0;
        if (first)
            check_header(c2, &row);
        else
            check_row(c2, &row);
        first = 0;
        const check_finding *f = check_findings(c2, &k);
        n += k;
        for (size_t i = 0; i < k; i++)
            bad += f[i].code == CHECK_CODELIST && f[i].row == 3;
    }
    T_CHECK_INT(n, 1); /* pink only; blue and red are codes */
    T_CHECK_INT(bad, 1);
    source_close(src);
    check_free(c2);
    schema_free(s);
    outfile_reset();
}

int main(void) {
    if (!mkdtemp(dir)) return 1;
    char codes[96];
    snprintf(codes, sizeof codes, "%s/codes", dir);
    mkdir(codes, 0700);
    snprintf(schema_path, sizeof schema_path, "%s/t.yaml", dir);
    snprintf(list_path, sizeof list_path, "%s/codes/colour.yaml", dir);
    put(schema_path, "schema: t\n"
                     "version: \"1\"\n"
                     "fields:\n"
                     "  - {name: id, type: string}\n"
                     "  - {name: colour, type: code, codelist: colour}\n"
                     "  - {name: size, type: code, codes: [S, M, L]}\n");
    put(list_path, list_v1);
    T_RUN(test_list_shared);
    T_RUN(test_list_changed);
    T_RUN(test_list_guarded);
    T_RUN(test_checker_tables);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) return 1;
    return T_END();
}
