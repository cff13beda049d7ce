/*
 * fuzz_store.c: libFuzzer target for the readers of SQLite files: any bytes
 * as a store read through source_open() (the incident table, then the only
 * table), and as a dedup registry (opened, counted, walked). A damaged or
 * foreign database must fail with a message, never crash. SQLite's own
 * corruption checks do the heavy lifting; this holds relec's use of them.
 */
#include "fuzz_file.h"
#include "outfile.h"
#include "registry.h"
#include "source.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int count_row(void *ctx, long rowid, const char *cluster_id,
                     double score, const char *fingerprint,
                     const char *const *vals, const size_t *lens) {
    (void)rowid, (void)cluster_id, (void)score, (void)fingerprint;
    size_t sum = 0;
    for (int i = 0; i < 2; i++)
        sum += vals[i] ? lens[i] : 0; /* reads what the registry hands out */
    *(long *)ctx += (long)(sum & 1) + 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[] = "/tmp/fuzz-store-XXXXXX.db";
    if (fuzz_file(path, 3, data, size) < 0) return 0;
    char err[1024];
    const char *tables[2] = {"incident", NULL};
    for (int k = 0; k < 2; k++) {
        source_opts o;
        memset(&o, 0, sizeof o);
        o.table = tables[k];
        err[0] = 0;
        source *src = source_open(path, &o, err, sizeof err);
        if (!src) {
            if (!err[0]) abort(); /* a failure must say why */
            continue;
        }
        source_row row;
        while (source_next(src, &row) > 0)
            ;
        source_close(src);
    }
    static const char *const fields[] = {"family_name", "given_name"};
    registry *r = registry_open(path, "person", fields, 2, err, sizeof err);
    if (r) {
        long n = 0;
        registry_count(r);
        registry_max_cluster(r);
        registry_each(r, count_row, &n, err, sizeof err);
        registry_close(r);
    } else if (!err[0]) {
        abort();
    }
    unlink(path);
    outfile_reset();
    return 0;
}
