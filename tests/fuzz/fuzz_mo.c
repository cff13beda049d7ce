/*
 * fuzz_mo.c: libFuzzer target for the gettext .mo reader (lang_mo_open,
 * iso-codes' country names). The input is a .mo file: it is opened (a
 * broken one must be refused with a reason, never read past its end) and,
 * when accepted, looked up with the header, a few names and strings cut
 * from the input itself; every translation found must be NUL-ended inside
 * the file's bytes, which ASan checks as it is read.
 */
#include "fuzz_file.h"
#include "lang.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[] = "/tmp/relec-fuzz-mo-XXXXXX", err[512];
    if (fuzz_file(path, 0, data, size) < 0) return 0;
    err[0] = 0;
    lang_mo *m = lang_mo_open(path, err, sizeof err);
    unlink(path);
    if (!m) {
        if (!strstr(err, "is not a gettext catalogue")) __builtin_trap();
        return 0;
    }
    static const char *const ids[] = {"", "Pakistan", "Iraq", "Zzz", "A"};
    size_t got = 0;
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        const char *t = lang_mo_find(m, ids[i]);
        if (t) got += strlen(t);
    }
    char key[64];
    for (size_t at = 0; at + 1 < size && at < 4096; at += 7) {
        size_t n = size - at < sizeof key - 1 ? size - at : sizeof key - 1;
        memcpy(key, data + at, n);
        key[n] = 0;
        const char *t = lang_mo_find(m, key);
        if (t) got += strlen(t);
    }
    if (lang_mo_count(m) > size) __builtin_trap(); /* N was checked */
    lang_mo_free(m);
    return got == (size_t)-1;
}
