/*
 * test_fuzzfound.c: inputs the fuzz targets found to break lib, kept as
 * tests (each fails under make check-asan without its fix):
 *  - a header cell holding a NUL byte: schema_field_index() compared with
 *    strncmp, stopped at the NUL and read past a shorter field name
 *    (fuzz_csv, heap-buffer-overflow);
 *  - an empty key in a strmap whose arena was never allocated: NULL + 0
 *    in the lookup and in strmap_key() (fuzz_compare, UBSan).
 */
#include "t.h"

#include "schema.h"
#include "strmap.h"

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

int main(void) {
    T_RUN(field_name_with_nul);
    T_RUN(empty_key_without_arena);
    return T_END();
}
