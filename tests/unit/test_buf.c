/* test_buf.c: the one growable buffer (lib/buf.h). */
#include "buf.h"
#include "t.h"

#include <stdint.h>
#include <stdlib.h>

T_TEST(append_keeps_nul_and_bytes) {
    buf b = {0};
    T_CHECK_INT(buf_adds(&b, "abc"), 0);
    T_CHECK_STR(b.p, "abc");
    T_CHECK_INT(b.len, 3);
    T_CHECK_INT(buf_add(&b, "x\0y", 3), 0); /* any bytes, a NUL too */
    T_CHECK_INT(b.len, 6);
    T_CHECK(memcmp(b.p, "abcx\0y", 7) == 0);
    for (int i = 0; i < 1000; i++) /* grows past many doublings */
        T_CHECK_INT(buf_adds(&b, "0123456789"), 0);
    T_CHECK_INT(b.len, 10006);
    T_CHECK(b.cap > b.len);
    T_CHECK_INT(b.p[b.len], 0);
    T_CHECK(memcmp(b.p + 9996, "0123456789", 10) == 0);
    buf_clear(&b);
    T_CHECK_INT(buf_addf(&b, "%s:%d [%s]", "x.csv", 12, "duplicate"), 0);
    T_CHECK_INT(buf_addf(&b, "; %ld", 3L), 0);
    T_CHECK_STR(b.p, "x.csv:12 [duplicate]; 3");
    T_CHECK_INT(b.len, 23);
    buf_clear(&b);
    T_CHECK_INT(b.len, 0);
    T_CHECK_STR(b.p, "");
    buf_free(&b);
    T_CHECK(b.p == NULL);
    T_CHECK_INT(b.cap, 0);
    buf_free(&b); /* twice is fine */
}

T_TEST(grow_arrays_of_any_type) {
    long *v = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < 100; i++) {
        T_CHECK_INT(buf_grow(&v, &cap, i + 1, sizeof *v), 0);
        v[i] = (long)i * 3;
    }
    T_CHECK(cap >= 100);
    T_CHECK_INT(v[99], 297);
    size_t before = cap;
    T_CHECK_INT(buf_grow(&v, &cap, 10, sizeof *v), 0); /* never shrinks */
    T_CHECK_INT(cap, before);
    /* a size that cannot be allocated: -1, the array untouched */
    T_CHECK_INT(buf_grow(&v, &cap, SIZE_MAX / 4, sizeof *v), -1);
    T_CHECK_INT(cap, before);
    T_CHECK_INT(v[99], 297);
    free(v);
    uint16_t *u = NULL;
    int32_t ucap = 0;
    T_CHECK_INT(buf_grow_i32(&u, &ucap, 40, sizeof *u), 0);
    T_CHECK(ucap >= 40);
    T_CHECK_INT(buf_grow_i32(&u, &ucap, (size_t)INT32_MAX, sizeof *u), -1);
    T_CHECK(ucap >= 40 && ucap < 1000);
    free(u);
}

int main(void) {
    T_RUN(append_keeps_nul_and_bytes);
    T_RUN(grow_arrays_of_any_type);
    return T_END();
}
