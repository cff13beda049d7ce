/*
 * link_run.c: blocking, training (u), pair scoring on threads and
 * union-find clustering (see link.h).
 *
 * Blocks: each key's block numbers (given by link_add through a strmap)
 * become a CSR array (starts + members), 8 bytes per row and key. A pair
 * is scored once: in key k it is skipped when an earlier key k' (not over
 * the cap) already put both rows in one block, a check of k' array reads
 * instead of a pair hash set. Blocks over cfg->max_block rows are skipped
 * and counted (other keys still join their rows).
 *
 * Threads: the blocks are dealt round-robin to the threads (block i to
 * thread i mod T); each thread keeps its own pair vector, merged and
 * sorted afterwards so the output does not depend on the thread count.
 */
#include "calendar.h"
#include "link_impl.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void link_free(link_ctx *L) {
    if (!L) return;
    int nk = L->cfg->nkeys;
    for (int k = 0; k < nk; k++) {
        if (L->keymaps) strmap_free(&L->keymaps[k]);
        if (L->block_of) free(L->block_of[k]);
        if (L->bstart) free(L->bstart[k]);
        if (L->members) free(L->members[k]);
    }
    free(L->keymaps);
    free(L->block_of);
    free(L->bstart);
    free(L->members);
    free(L->nblocks);
    free(L->vals);
    free(L->prior);
    free(L->arena);
    free(L->parent);
    free(L->best);
    free(L->pairs);
    free(L->joins);
    free(L->tfc);
    for (int c = 0; c < LINK_MAX_CMP; c++)
        free(L->scopeh[c]);
    norm_close(L->norm);
    free(L);
}

void link_join(link_ctx *L, long a, long b) {
    if (L->njoins == L->jcap) {
        size_t cap = L->jcap ? L->jcap * 2 : 256;
        uint32_t(*j)[2] = realloc(L->joins, cap * sizeof *j);
        if (!j) return;
        L->joins = j;
        L->jcap = cap;
    }
    L->joins[L->njoins][0] = (uint32_t)a;
    L->joins[L->njoins][1] = (uint32_t)b;
    L->njoins++;
}

/* ---- blocks ---------------------------------------------------------- */

static int build_blocks(link_ctx *L) {
    int nk = L->cfg->nkeys;
    L->bstart = calloc((size_t)nk, sizeof *L->bstart);
    L->members = calloc((size_t)nk, sizeof *L->members);
    L->nblocks = calloc((size_t)nk, sizeof *L->nblocks);
    if (!L->bstart || !L->members || !L->nblocks) return -1;
    for (int k = 0; k < nk; k++) {
        size_t nb = L->keymaps[k].count;
        strmap_free(&L->keymaps[k]); /* the texts are no longer needed */
        L->nblocks[k] = nb;
        uint32_t *st = calloc(nb + 1, sizeof *st);
        uint32_t *mem = malloc((L->nrows ? L->nrows : 1) * sizeof *mem);
        if (!st || !mem) {
            free(st);
            free(mem);
            return -1;
        }
        const uint32_t *bo = L->block_of[k];
        for (size_t i = 0; i < L->nrows; i++)
            if (bo[i] != LINK_NONE) st[bo[i] + 1]++;
        for (size_t b = 0; b < nb; b++)
            st[b + 1] += st[b];
        uint32_t *fill = malloc((nb ? nb : 1) * sizeof *fill);
        if (!fill) {
            free(st);
            free(mem);
            return -1;
        }
        memcpy(fill, st, nb * sizeof *fill);
        for (size_t i = 0; i < L->nrows; i++) /* rows ascend in each block */
            if (bo[i] != LINK_NONE) mem[fill[bo[i]]++] = (uint32_t)i;
        free(fill);
        L->bstart[k] = st;
        L->members[k] = mem;
        for (size_t b = 0; b < nb; b++) {
            uint32_t s = st[b + 1] - st[b];
            if (s < 2) continue;
            if (s > (uint32_t)L->cfg->max_block) {
                L->stats.skipped_blocks++;
                L->stats.skipped_rows += s;
            } else {
                L->stats.blocks++;
            }
        }
    }
    return 0;
}

static int block_ok(const link_ctx *L, int k, uint32_t b) {
    uint32_t s = L->bstart[k][b + 1] - L->bstart[k][b];
    return s >= 2 && s <= (uint32_t)L->cfg->max_block;
}

/* Whether pair (i, j), met in key k, is scored there: not two registry
 * rows, and no earlier usable key joins them. */
static int pair_first_here(const link_ctx *L, int k, uint32_t i, uint32_t j) {
    if (L->prior[i] && L->prior[j]) return 0;
    for (int e = 0; e < k; e++) {
        uint32_t bi = L->block_of[e][i];
        if (bi != LINK_NONE && bi == L->block_of[e][j] && block_ok(L, e, bi))
            return 0;
    }
    return 1;
}

/* ---- scoring --------------------------------------------------------- */

/* The weight of pair (a, b); the levels into LV (when not NULL); the
 * first vetoing comparison + 1 into *VETO (when not NULL), else 0. */
static double score(const link_ctx *L, uint32_t a, uint32_t b, int8_t *lv,
                    int8_t *veto) {
    double total = 0, w;
    if (veto) *veto = 0;
    for (int c = 0; c < L->cfg->ncmps; c++) {
        int l = link_level_of(L, c, a, b, &w);
        if (lv) lv[c] = (int8_t)l;
        if (veto && !*veto && link_vetoes(L, c, l, a, b))
            *veto = (int8_t)(c + 1);
        total += w;
    }
    return total;
}

/* A vector of pairs. */
typedef struct pvec {
    link_pair *p;  /* pairs */
    size_t n, cap; /* use, size */
    int oom;       /* an allocation failed */
} pvec;

static void pvec_push(pvec *v, link_pair p) {
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4096;
        link_pair *q = realloc(v->p, cap * sizeof *q);
        if (!q) {
            v->oom = 1;
            return;
        }
        v->p = q;
        v->cap = cap;
    }
    v->p[v->n++] = p;
}

/* One scoring thread's work. */
typedef struct worker {
    link_ctx *L;        /* the run */
    const link_opts *o; /* options */
    int id, nthreads;   /* this thread, of how many */
    pvec out;           /* kept pairs */
    long long compared; /* pairs scored */
    long long accepted; /* accepted */
    long long vetoed;   /* over the threshold, vetoed */
    long long same;     /* scored pairs of one o->same id */
} worker;

static void *work(void *arg) {
    worker *W = arg;
    link_ctx *L = W->L;
    const link_config *c = L->cfg;
    double thr = c->threshold, last = now();
    size_t item = 0, total = 0;
    for (int k = 0; k < c->nkeys; k++)
        total += L->nblocks[k];
    size_t done = 0;
    for (int k = 0; k < c->nkeys; k++) {
        const uint32_t *st = L->bstart[k], *mem = L->members[k];
        for (size_t b = 0; b < L->nblocks[k]; b++, done++) {
            if (!block_ok(L, k, (uint32_t)b)) continue;
            if ((item++ % (size_t)W->nthreads) != (size_t)W->id) continue;
            for (uint32_t x = st[b]; x < st[b + 1]; x++)
                for (uint32_t y = x + 1; y < st[b + 1]; y++) {
                    uint32_t i = mem[x], j = mem[y];
                    if (!pair_first_here(L, k, i, j)) continue;
                    int8_t veto;
                    double w = score(L, i, j, NULL, &veto);
                    W->compared++;
                    if (W->o->same && W->o->same[i] &&
                        W->o->same[i] == W->o->same[j])
                        W->same++;
                    int ex = c->keys[k].exact && w >= c->exact_min;
                    int acc = (ex || w >= thr) && !veto;
                    if ((ex || w >= thr) && veto) W->vetoed++;
                    if (acc) W->accepted++;
                    if (acc || (W->o->keep_floor && w >= W->o->floor))
                        pvec_push(
                            &W->out,
                            (link_pair){i, j, (float)w,
                                        (int8_t)(c->keys[k].exact ? k + 1 : 0),
                                        (int8_t)acc, veto, 0});
                }
            if (W->o->progress && W->id == 0 && (done & 1023) == 0 &&
                now() - last > 1) {
                last = now();
                W->o->progress->fn(W->o->progress->ctx,
                                   total ? (int)(done * 100 / total) : 100);
            }
        }
    }
    return NULL;
}

static int cmp_pair(const void *x, const void *y) {
    const link_pair *a = x, *b = y;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    if (a->b != b->b) return a->b < b->b ? -1 : 1;
    return 0;
}

/* ---- training -------------------------------------------------------- */

/* splitmix64: the random pairs of estimate_u, seeded by a constant so a
 * run is reproducible. */
static uint64_t splitmix(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Adds the levels LV of one pair to the per-level counts. */
static void count_levels(const link_config *c, const int8_t *lv,
                         double cnt[][LINK_MAX_LEVELS], double *tot) {
    for (int i = 0; i < c->ncmps; i++)
        if (lv[i] >= 0) {
            cnt[i][lv[i]]++;
            tot[i]++;
        }
}

/* u, the level shares among pairs of different entities, from random pairs
 * of rows: in a file of n rows two random rows are the same entity with
 * probability about (records per entity - 1) / n, so random pairs are
 * non-matches but for a negligible share. Pairs from the blocks are not:
 * they were chosen for agreeing on a name or a date, and a u taken from
 * them makes every agreement look common (the cause of --train losing
 * two thirds of the matches on the person data). Every pair when there are
 * at most LINK_U_PAIRS, else LINK_U_PAIRS random ones: about 0.1 s per
 * million pairs. A level never met gets half a pair (no zero u). Missing
 * values count in no level (their weight is 0, not estimated). */
static void estimate_u(link_ctx *L, double u[][LINK_MAX_LEVELS]) {
    const link_config *c = &L->trained;
    double cnt[LINK_MAX_CMP][LINK_MAX_LEVELS] = {{0}};
    double tot[LINK_MAX_CMP] = {0};
    int8_t lv[LINK_MAX_CMP];
    uint64_t n = L->nrows;
    if (n >= 2 && n * (n - 1) / 2 <= LINK_U_PAIRS) {
        for (uint32_t a = 0; a < n; a++)
            for (uint32_t b = a + 1; b < n; b++) {
                score(L, a, b, lv, NULL);
                count_levels(c, lv, cnt, tot);
            }
    } else if (n >= 2) {
        uint64_t seed = 0x5eed;
        for (long k = 0; k < LINK_U_PAIRS; k++) {
            uint32_t a = (uint32_t)(splitmix(&seed) % n);
            uint32_t b = (uint32_t)(splitmix(&seed) % (n - 1));
            if (b >= a) b++; /* b != a, uniform over the others */
            score(L, a, b, lv, NULL);
            count_levels(c, lv, cnt, tot);
        }
    }
    for (int i = 0; i < c->ncmps; i++)
        for (int l = 0; l < c->cmps[i].nlevels; l++)
            u[i][l] =
                tot[i] >= LINK_U_MIN_PAIRS
                    ? (cnt[i][l] + 0.5) / (tot[i] + 0.5 * c->cmps[i].nlevels)
                    : c->cmps[i].levels[l].u; /* too few: the schema's */
}

/* The schema's weight of level L of comparison C. */
static double cfg_weight(const link_config *cfg, int c, int l) {
    return log2(cfg->cmps[c].levels[l].m / cfg->cmps[c].levels[l].u);
}

/* --train: u from random pairs (estimate_u); m stays the schema's. EM
 * over the candidate pairs estimated m before and was dropped: the blocks
 * hold the namesakes (a common name, its nationality, a birth year), the
 * mixture takes them for matches, and every way of keeping its m that was
 * measured (as is, met halfway by the schema's, kept only where it did not
 * raise a level namesakes share) lowered F1 on the regional file at
 * 300,000 rows, and with it --train lowered F1 at 1,000,000
 * (bench/README.md). How often one person's records agree at a level is
 * a matter of how records are kept, which the schema states; how often two
 * different people agree by chance is a matter of the file, which its
 * random pairs measure. */
static void train(link_ctx *L) {
    link_config *c = &L->trained;
    double u[LINK_MAX_CMP][LINK_MAX_LEVELS];
    estimate_u(L, u);
    for (int i = 0; i < c->ncmps; i++) {
        link_level *lv = c->cmps[i].levels;
        for (int l = 0; l < c->cmps[i].nlevels; l++) {
            lv[l].u = u[i][l];
            /* levels stay in the schema's order of strength: a level the
             * schema weighs no more than the one before it is not made to
             * weigh more (a near miss over an exact match: a level few
             * random pairs reach gets a u of half a pair, a large weight
             * from a small count) */
            if (l && log2(lv[l].m / lv[l].u) > lv[l - 1].w &&
                cfg_weight(L->cfg, i, l) <= cfg_weight(L->cfg, i, l - 1))
                lv[l].u = lv[l].m / exp2(lv[l - 1].w);
            lv[l].w = log2(lv[l].m / lv[l].u);
        }
    }
}

/* ---- clusters -------------------------------------------------------- */

static uint32_t find(uint32_t *p, uint32_t x) {
    while (p[x] != x) {
        p[x] = p[p[x]];
        x = p[x];
    }
    return x;
}

static void unite(uint32_t *p, uint32_t a, uint32_t b) {
    a = find(p, a);
    b = find(p, b);
    if (a == b) return;
    if (a < b)
        p[b] = a; /* the root is the smallest row: stable ids */
    else
        p[a] = b;
}

/* The value whose frequency a tf level uses: a name's key (so Muhammad
 * and Mohammad count together; for an exact level this overstates the
 * share a little, so the weight errs low), else the prepared text. */
static const char *tf_text(const link_ctx *L, size_t c, const link_val *v) {
    if (L->cfg->cmps[c].prep == LINK_PREP_NAME)
        return L->arena + v->off + v->nn + 1;
    return L->arena + v->off;
}

static size_t tf_len(const link_ctx *L, size_t c, const link_val *v) {
    return L->cfg->cmps[c].prep == LINK_PREP_NAME ? v->nk : v->nn;
}

/* Term frequencies: for comparisons with a tf level, how many other rows
 * (with a value) have each row's value, kept in link_val.num, and the
 * rows with a value plus LINK_TF_PRIOR_ROWS in L->tfden. One hash insert
 * and one lookup per row. */
static int term_frequencies(link_ctx *L) {
    const link_config *c = L->cfg;
    size_t nc = (size_t)c->ncmps;
    for (size_t i = 0; i < nc; i++) {
        int tf = 0;
        for (int l = 0; l < c->cmps[i].nlevels; l++)
            tf |= c->cmps[i].levels[l].tf;
        if (!tf) continue;
        if (!L->tfc && !(L->tfc = calloc(L->nrows * nc + 1, sizeof *L->tfc)))
            return -1;
        strmap m;
        strmap_init(&m);
        size_t present = 0;
        for (size_t r = 0; r < L->nrows; r++) {
            link_val *v = &L->vals[r * nc + i];
            if (!v->present) continue;
            int added;
            uint64_t *n =
                strmap_put(&m, tf_text(L, i, v), tf_len(L, i, v), &added);
            if (!n) {
                strmap_free(&m);
                return -1;
            }
            (*n)++;
            present++;
        }
        for (size_t r = 0; r < L->nrows; r++) {
            link_val *v = &L->vals[r * nc + i];
            if (!v->present) continue;
            uint64_t cnt = *strmap_get(&m, tf_text(L, i, v), tf_len(L, i, v));
            L->tfc[r * nc + i] = (float)(cnt - 1); /* the other rows */
        }
        L->tfden[i] = (double)present + LINK_TF_PRIOR_ROWS;
        strmap_free(&m);
    }
    return 0;
}

/* Placeholder days: for each date comparison, the days of the year (MMDD)
 * that far more rows carry than a uniform spread would give (year-only
 * dates stored as YYYY-01-01 without saying so): their dates get
 * link_val.ns = 1 and compare at the year, never veto. */
static void placeholders(link_ctx *L) {
    const link_config *c = L->cfg;
    size_t nc = (size_t)c->ncmps;
    for (size_t i = 0; i < nc; i++) {
        if (c->cmps[i].prep != LINK_PREP_DATE) continue;
        uint32_t cnt[13 * 32] = {0};
        size_t dated = 0;
        int y, m, d;
        for (size_t r = 0; r < L->nrows; r++) {
            const link_val *v = &L->vals[r * nc + i];
            if (!v->present || v->nk != LINK_DAY) continue;
            cal_civil_from_days((long)v->num, &y, &m, &d);
            cnt[m * 32 + d]++;
            dated++;
        }
        double lim = LINK_PLACEHOLDER_X * (double)dated / 366.0;
        for (size_t r = 0; r < L->nrows; r++) {
            link_val *v = &L->vals[r * nc + i];
            if (!v->present || v->nk != LINK_DAY) continue;
            cal_civil_from_days((long)v->num, &y, &m, &d);
            uint32_t k = cnt[m * 32 + d];
            v->ns = k >= LINK_PLACEHOLDER_MIN && k > lim;
        }
    }
}

/* Rows in the cluster of root r: a circular list through next[]. */
typedef struct clusters {
    uint32_t *next; /* next row of the same cluster (circular) */
    uint32_t *size; /* per root: rows */
} clusters;

/* Whether the clusters of roots ra and rb agree as wholes: every pair
 * across them weighs at least cluster_min and none is vetoed. */
static int clusters_agree(const link_ctx *L, const clusters *C, uint32_t ra,
                          uint32_t rb) {
    if ((uint64_t)C->size[ra] * C->size[rb] > LINK_CHECK_MAX) return 0;
    double min = L->cfg->cluster_min;
    uint32_t x = ra;
    do {
        uint32_t y = rb;
        do {
            int8_t veto;
            double w = score(L, x < y ? x : y, x < y ? y : x, NULL, &veto);
            if (veto || w < min) return 0;
            y = C->next[y];
        } while (y != rb);
        x = C->next[x];
    } while (x != ra);
    return 1;
}

/* Joins the clusters of a and b (union-find plus the member lists). */
static void join_clusters(link_ctx *L, clusters *C, uint32_t a, uint32_t b) {
    uint32_t ra = find(L->parent, a), rb = find(L->parent, b);
    if (ra == rb) return;
    unite(L->parent, ra, rb);
    uint32_t t = C->next[ra]; /* splice the two circles */
    C->next[ra] = C->next[rb];
    C->next[rb] = t;
    uint32_t root = ra < rb ? ra : rb;
    C->size[root] = C->size[ra] + C->size[rb];
}

/* Accepted pairs by falling strength: exact keys first, then weight. */
static int cmp_strength(const void *x, const void *y) {
    const link_pair *a = *(const link_pair *const *)x,
                    *b = *(const link_pair *const *)y;
    if ((a->exact != 0) != (b->exact != 0)) return a->exact ? -1 : 1;
    if (a->weight != b->weight) return a->weight > b->weight ? -1 : 1;
    return cmp_pair(a, b);
}

/* Clusters that do not chain: the registry's joins hold; the accepted
 * pairs, exact keys first, then by falling weight, join two clusters only
 * when clusters_agree, else they are marked refused. An exact key stands
 * for the threshold, not for this check: one whose own pair is vetoed or
 * under cluster_min (every other field against it) is a shared or
 * mistyped document. */
static int cluster(link_ctx *L) {
    clusters C;
    C.next = malloc((L->nrows ? L->nrows : 1) * sizeof *C.next);
    C.size = malloc((L->nrows ? L->nrows : 1) * sizeof *C.size);
    link_pair **ord = malloc((L->npairs ? L->npairs : 1) * sizeof *ord);
    if (!C.next || !C.size || !ord) {
        free(C.next);
        free(C.size);
        free(ord);
        return -1;
    }
    for (size_t i = 0; i < L->nrows; i++) {
        L->parent[i] = (uint32_t)i;
        L->best[i] = NAN;
        C.next[i] = (uint32_t)i;
        C.size[i] = 1;
    }
    for (size_t i = 0; i < L->njoins; i++)
        join_clusters(L, &C, L->joins[i][0], L->joins[i][1]);
    size_t n = 0;
    for (size_t i = 0; i < L->npairs; i++)
        if (L->pairs[i].accepted) ord[n++] = &L->pairs[i];
    qsort(ord, n, sizeof *ord, cmp_strength);
    for (size_t i = 0; i < n; i++) {
        link_pair *p = ord[i];
        uint32_t ra = find(L->parent, p->a), rb = find(L->parent, p->b);
        if (ra != rb && !clusters_agree(L, &C, ra, rb)) {
            p->refused = 1;
            L->stats.refused++;
            continue;
        }
        join_clusters(L, &C, p->a, p->b);
        if (isnan(L->best[p->a]) || p->weight > L->best[p->a])
            L->best[p->a] = p->weight;
        if (isnan(L->best[p->b]) || p->weight > L->best[p->b])
            L->best[p->b] = p->weight;
    }
    for (size_t i = 0; i < L->nrows; i++)
        if (L->parent[i] == i && C.size[i] > (uint32_t)L->stats.largest)
            L->stats.largest = (long)C.size[i];
    free(C.next);
    free(C.size);
    free(ord);
    return 0;
}

/* A blocking key with a part that reads a date field as a day (its value,
 * dateset or monthday) leaves out the rows whose date (by the date
 * comparison of that field) is not known to the day or is a placeholder:
 * "1990" or 1990-01-01 stored for a year would make a block of a year. */
static void unblock_vague_dates(link_ctx *L) {
    const link_config *c = L->cfg;
    size_t nc = (size_t)c->ncmps;
    for (int k = 0; k < c->nkeys; k++)
        for (int p = 0; p < c->keys[k].nparts; p++) {
            const link_kpart *kp = &c->keys[k].parts[p];
            if ((kp->fn != LINK_K_VALUE && kp->fn != LINK_K_DATESET &&
                 kp->fn != LINK_K_MONTHDAY) ||
                kp->nfields != 1)
                continue;
            for (size_t i = 0; i < nc; i++) {
                const link_cmp *cmp = &c->cmps[i];
                if (cmp->prep != LINK_PREP_DATE || cmp->nfields != 1 ||
                    cmp->fields[0] != kp->fields[0])
                    continue;
                for (size_t r = 0; r < L->nrows; r++) {
                    const link_val *v = &L->vals[r * nc + i];
                    if (v->present && (v->nk != LINK_DAY || v->ns))
                        L->block_of[k][r] = LINK_NONE;
                }
            }
        }
}

int link_run(link_ctx *L, const link_opts *o, char *err, size_t errlen) {
    double t0 = now();
    placeholders(L);
    unblock_vague_dates(L);
    if (term_frequencies(L) < 0) {
        snprintf(err, errlen, "out of memory counting values");
        return -1;
    }
    L->stats.rows = (long)L->nrows;
    if (build_blocks(L) < 0) {
        snprintf(err, errlen, "out of memory building blocks");
        return -1;
    }
    double t1 = now();
    L->stats.seconds_block = t1 - t0;
    if (o->train) train(L);
    /* Fellegi-Sunter: a pair is a match when its weight beats the prior
     * odds against a match, and among n rows those fall as 1/n (each row
     * has n - 1 candidates, about one of them its duplicate): a weight
     * enough in 20,000 rows leaves a common name ambiguous in 1,000,000,
     * where it has 50 times the namesakes. So with threshold_rows the
     * threshold rises by a bit per doubling of the file. */
    if (L->trained.threshold_rows > 0 &&
        (double)L->nrows > L->trained.threshold_rows)
        L->trained.threshold +=
            log2((double)L->nrows / L->trained.threshold_rows);
    L->stats.threshold = L->trained.threshold;
    /* The workers read L->cfg: point it at the trained copy. */
    L->cfg = &L->trained;
    int nt = o->threads < 1 ? 1 : o->threads > 64 ? 64 : o->threads;
    worker *W = calloc((size_t)nt, sizeof *W);
    pthread_t *tid = calloc((size_t)nt, sizeof *tid);
    if (!W || !tid) {
        free(W);
        free(tid);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int t = 0; t < nt; t++)
        W[t] = (worker){L, o, t, nt, {0}, 0, 0, 0, 0};
    for (int t = 1; t < nt; t++)
        if (pthread_create(&tid[t], NULL, work, &W[t]) != 0)
            W[t].id = -1; /* could not start: run it on this thread */
    work(&W[0]);
    for (int t = 1; t < nt; t++) {
        if (W[t].id < 0) {
            W[t].id = t;
            work(&W[t]);
        } else {
            pthread_join(tid[t], NULL);
        }
    }
    size_t total = 0;
    int oom = 0;
    for (int t = 0; t < nt; t++) {
        total += W[t].out.n;
        oom |= W[t].out.oom;
        L->stats.compared += W[t].compared;
        L->stats.accepted += W[t].accepted;
        L->stats.vetoed += W[t].vetoed;
        L->stats.same += W[t].same;
    }
    L->pairs = malloc((total ? total : 1) * sizeof *L->pairs);
    L->parent = malloc((L->nrows ? L->nrows : 1) * sizeof *L->parent);
    L->best = malloc((L->nrows ? L->nrows : 1) * sizeof *L->best);
    if (oom || !L->pairs || !L->parent || !L->best) {
        for (int t = 0; t < nt; t++)
            free(W[t].out.p);
        free(W);
        free(tid);
        snprintf(err, errlen, "out of memory keeping pairs");
        return -1;
    }
    for (int t = 0; t < nt; t++) {
        if (W[t].out.n)
            memcpy(L->pairs + L->npairs, W[t].out.p,
                   W[t].out.n * sizeof *L->pairs);
        L->npairs += W[t].out.n;
        free(W[t].out.p);
    }
    free(W);
    free(tid);
    qsort(L->pairs, L->npairs, sizeof *L->pairs, cmp_pair);
    if (cluster(L) < 0) {
        snprintf(err, errlen, "out of memory clustering");
        return -1;
    }
    /* parent[i] <= i always (roots are the smallest row), so one pass in
     * row order points every row straight at its root. */
    for (size_t i = 0; i < L->nrows; i++)
        L->parent[i] = L->parent[L->parent[i]];
    if (o->progress) o->progress->fn(o->progress->ctx, -1);
    L->stats.seconds_score = now() - t1;
    return 0;
}

long link_cluster(const link_ctx *L, long i) {
    return (long)L->parent[i];
}

double link_best(const link_ctx *L, long i) {
    return L->best[i];
}

const link_pair *link_pairs(const link_ctx *L, size_t *n) {
    *n = L->npairs;
    return L->pairs;
}
