/*
 * fuzz_link.c: libFuzzer target for dedup's record linkage (lib/link*.c).
 * The first byte picks the `dedup:` section (person, incident or febrl
 * schema, each loaded once), EM training and a second run on two threads;
 * the rest is a header line naming columns, then up to 12 rows, one a
 * line, cells split at commas and tabs (no quoting). The rows are scored and
 * clustered; then:
 *   - every row has a root, its cluster's smallest row, and a root is its
 *     own root;
 *   - the pairs are sorted, within the rows, and a pair is accepted only
 *     with a weight at or over the threshold or by an exact key;
 *   - the clusters are exactly the groups the accepted, unrefused pairs
 *     join (nothing joined that no pair joins, no pair's rows left apart);
 *   - no two rows of a cluster are vetoed by a comparison (no chaining);
 *   - on two threads the clusters are the same as on one.
 */
#include "link.h"
#include "outfile.h"
#include "schema.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXROWS 12

static const char *const paths[] = {
    "schemas/person.yaml", "schemas/incident.yaml", "schemas/febrl.yaml"};
static schema *schemas[3];      /* loaded once */
static link_config *configs[3]; /* their dedup: sections */

static int known(void *ctx, const char *name) {
    return schema_field_index(ctx, name, strlen(name)) >= 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    char err[1024];
    for (int i = 0; i < 3; i++) {
        schemas[i] = schema_load(paths[i], err, sizeof err);
        if (!schemas[i]) {
            fprintf(stderr, "%s\n", err);
            abort();
        }
        const ydoc_node *d = ydoc_get(schemas[i]->doc->root, "dedup");
        configs[i] = link_config_parse(schemas[i]->doc, d, known, schemas[i],
                                       err, sizeof err);
        if (!configs[i]) {
            fprintf(stderr, "%s\n", err);
            abort();
        }
    }
    outfile_reset();
    return 0;
}

static long root(long *p, long x) {
    while (p[x] != x)
        x = p[x];
    return x;
}

/* Runs L over the rows already added; 0, or -1 when it refused (out of
 * memory only: a fuzzed row is no reason to fail). */
static int run(link_ctx *L, int threads, int train) {
    char err[512];
    link_opts o = {threads, train, 0, 0, 0, 0};
    if (link_run(L, &o, err, sizeof err) < 0) {
        fprintf(stderr, "link_run: %s\n", err);
        abort();
    }
    return 0;
}

/* The next line of DATA[*K..SIZE) split at commas and tabs into at most
 * MAX cells (the rest of the line joins the last); returns the count, or -1
 * at the end. */
static int line(const uint8_t *data, size_t size, size_t *k, const char **v,
                size_t *len, int max) {
    if (*k >= size) return -1;
    int n = 0;
    size_t start = *k;
    for (;; (*k)++) {
        int end = *k == size || data[*k] == '\n';
        if (end || ((data[*k] == ',' || data[*k] == '\t') && n < max - 1)) {
            v[n] = (const char *)data + start;
            len[n++] = *k - start;
            start = *k + 1;
        }
        if (end) break;
    }
    (*k)++;
    return n;
}

/* Adds the rows of DATA (a header line naming columns, then rows) to a new
 * link over config C; a column the section does not read is left out, a
 * field no column names is empty. Returns the link. */
static link_ctx *add_rows(const link_config *c, const uint8_t *data,
                          size_t size, long *nrows) {
    char err[512];
    link_ctx *L = link_new(c, err, sizeof err);
    if (!L) abort();
    enum { MAXCOLS = 64 };
    const char *cell[MAXCOLS], *vals[LINK_MAX_FIELDS];
    size_t clen[MAXCOLS], lens[LINK_MAX_FIELDS];
    int col[LINK_MAX_FIELDS]; /* per field: its column, or -1 */
    size_t k = 0;
    int nh = line(data, size, &k, cell, clen, MAXCOLS);
    for (int f = 0; f < c->nfields; f++) {
        col[f] = -1;
        for (int j = 0; j < nh && col[f] < 0; j++)
            if (clen[j] == strlen(c->fields[f]) &&
                !memcmp(cell[j], c->fields[f], clen[j]))
                col[f] = j;
    }
    *nrows = 0;
    int nc;
    while (*nrows < MAXROWS &&
           (nc = line(data, size, &k, cell, clen, MAXCOLS)) >= 0) {
        for (int f = 0; f < c->nfields; f++) {
            int j = col[f];
            vals[f] = j >= 0 && j < nc ? cell[j] : "";
            lens[f] = j >= 0 && j < nc ? clen[j] : 0;
        }
        if (link_add(L, vals, lens, 0) != *nrows) abort(); /* every row */
        (*nrows)++;
    }
    return L;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int which = data[0] % 3, train = data[0] & 4, twice = data[0] & 8;
    const link_config *c = configs[which];
    long n;
    link_ctx *L = add_rows(c, data + 1, size - 1, &n);
    run(L, 1, train);
    if (link_get_stats(L)->rows != n) abort();
    long p[MAXROWS]; /* union-find over the accepted, unrefused pairs */
    for (long i = 0; i < n; i++)
        p[i] = i;
    size_t np;
    const link_pair *pairs = link_pairs(L, &np);
    double threshold = link_get_stats(L)->threshold;
    for (size_t i = 0; i < np; i++) {
        const link_pair *q = &pairs[i];
        if (q->a >= q->b || q->b >= (uint32_t)n) abort();
        if (i && (pairs[i - 1].a > q->a ||
                  (pairs[i - 1].a == q->a && pairs[i - 1].b >= q->b)))
            abort(); /* sorted by (a, b), no pair twice */
        if (!isfinite(q->weight)) abort();
        if (q->accepted && !q->exact && q->weight + 1e-4 < threshold)
            abort(); /* (a float weight against a double threshold) */
        if (q->accepted && !q->refused) {
            long ra = root(p, q->a), rb = root(p, q->b);
            if (ra != rb) p[ra > rb ? ra : rb] = ra < rb ? ra : rb;
        }
    }
    for (long i = 0; i < n; i++) {
        long r = link_cluster(L, i);
        if (r < 0 || r > i || link_cluster(L, r) != r) abort();
        if (r != root(p, i)) abort(); /* the pairs' groups, exactly */
        double b = link_best(L, i);
        if (!isnan(b) && !isfinite(b)) abort();
        for (long j = r; j < i; j++) { /* no veto inside a cluster */
            if (link_cluster(L, j) != r) continue;
            for (int k = 0; k < c->ncmps; k++) {
                double w;
                int lv = link_level_of(L, k, j, i, &w);
                if (lv < -1 || lv >= c->cmps[k].nlevels) abort();
                if (lv >= 0 && link_vetoes(L, k, lv, j, i)) abort();
            }
        }
    }
    if (twice) { /* two threads: the same clusters */
        long n2;
        link_ctx *L2 = add_rows(c, data + 1, size - 1, &n2);
        run(L2, 2, train);
        if (n2 != n) abort();
        for (long i = 0; i < n; i++)
            if (link_cluster(L2, i) != link_cluster(L, i)) abort();
        link_free(L2);
    }
    link_free(L);
    outfile_reset();
    return 0;
}
