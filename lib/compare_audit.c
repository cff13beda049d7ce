/*
 * compare_audit.c: the attacker's linear programme (compare_audit.h).
 *
 * One GLPK problem per indicator and period: a column per hidden cell, a
 * fixed row per published line that holds one. The interval of a cell is
 * two simplex solves (minimise, maximise) that start from the previous
 * basis, so a table of a few hundred hidden cells costs milliseconds.
 * compare_audit_cells() finds the lines of a published table from its
 * cells by two sorts (by country and breakdown; by breakdown, category and
 * country), not by pairwise search.
 */
#include "compare_audit.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct compare_audit {
    glp_prob *lp; /* the programme */
    int *var;     /* cell -> column (1-based), 0 when shown */
    int ncells;   /* cells */
    int last;     /* column of the last objective, 0 none */
    int nv;       /* columns */
    double *olo;  /* per column: least value seen in a solution so far */
    double *ohi;  /* per column: greatest value seen in a solution */
    int seen;     /* spread() has run */
};

compare_audit *compare_audit_new(const cmp_acell *cells, int ncells,
                                 const int *lines, size_t len, int k) {
    compare_audit *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->var = calloc((size_t)ncells + 1, sizeof *a->var);
    size_t nz = 0;
    for (size_t p = 0; p < len; p += 2 + (size_t)lines[p])
        nz += 1 + (size_t)lines[p];
    int *ia = malloc((nz + 1) * sizeof *ia),
        *ja = malloc((nz + 1) * sizeof *ja);
    double *ar = malloc((nz + 1) * sizeof *ar);
    if (!a->var || !ia || !ja || !ar) {
        free(ia);
        free(ja);
        free(ar);
        compare_audit_free(a);
        return NULL;
    }
    a->ncells = ncells;
    glp_term_out(GLP_OFF);
    a->lp = glp_create_prob();
    int nv = 0;
    for (int i = 0; i < ncells; i++)
        if (cells[i].state != COMPARE_SHOWN) a->var[i] = ++nv;
    if (nv) glp_add_cols(a->lp, nv);
    a->nv = nv;
    a->olo = malloc(((size_t)nv + 1) * sizeof *a->olo);
    a->ohi = malloc(((size_t)nv + 1) * sizeof *a->ohi);
    if (!a->olo || !a->ohi) {
        free(ia);
        free(ja);
        free(ar);
        compare_audit_free(a);
        return NULL;
    }
    for (int j = 0; j <= nv; j++) {
        a->olo[j] = HUGE_VAL;
        a->ohi[j] = -HUGE_VAL;
    }
    for (int i = 0; i < ncells; i++) {
        int j = a->var[i];
        if (!j) continue;
        const cmp_acell *x = &cells[i];
        if (x->state == COMPARE_PRIMARY)
            glp_set_col_bnds(a->lp, j, k > 2 ? GLP_DB : GLP_FX, 1, k - 1);
        else if (x->state == COMPARE_UNKNOWN && x->single)
            glp_set_col_bnds(a->lp, j, GLP_DB, 1, 4);
        else
            glp_set_col_bnds(
                a->lp, j, GLP_LO,
                x->state == COMPARE_SECONDARY ? (double)x->floor : 0, 0);
    }
    int ne = 0;
    for (size_t p = 0; p < len; p += 2 + (size_t)lines[p]) {
        int n = lines[p], t = lines[p + 1], hidden = 0;
        double rhs = 0;
        for (int m = 0; m <= n; m++) {
            int i = m == 0 ? t : lines[p + 1 + (size_t)m];
            double sign = m == 0 ? -1 : 1;
            if (a->var[i])
                hidden++;
            else
                rhs -= sign * (double)cells[i].value;
        }
        if (!hidden) continue;
        int row = glp_add_rows(a->lp, 1);
        glp_set_row_bnds(a->lp, row, GLP_FX, rhs, rhs);
        int first = ne + 1; /* the row's first entry */
        for (int m = 0; m <= n; m++) {
            int i = m == 0 ? t : lines[p + 1 + (size_t)m];
            if (!a->var[i]) continue;
            /* a cell twice on a line (a category named like the total,
             * ALL): one entry, coefficients summed; GLPK aborts the
             * process on a (row, column) given twice */
            int e = first;
            while (e <= ne && ja[e] != a->var[i])
                e++;
            if (e > ne) {
                ne++;
                ia[ne] = row;
                ja[ne] = a->var[i];
                ar[ne] = 0;
            }
            ar[e] += m == 0 ? -1 : 1;
        }
        int kept = first; /* entries summed to 0 are no entries */
        for (int e = first; e <= ne; e++)
            if (ar[e] != 0) {
                ja[kept] = ja[e];
                ar[kept++] = ar[e];
            }
        ne = kept - 1;
    }
    if (ne) glp_load_matrix(a->lp, ne, ia, ja, ar);
    free(ia);
    free(ja);
    free(ar);
    return a;
}

void compare_audit_free(compare_audit *a) {
    if (!a) return;
    if (a->lp) glp_delete_prob(a->lp);
    free(a->var);
    free(a->olo);
    free(a->ohi);
    free(a);
}

/* One solve; 0 with *V, 1 unbounded, -1 infeasible. The solution's
 * values widen what has been seen of every column. */
static int solve(compare_audit *a, int dir, double *v) {
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    glp_set_obj_dir(a->lp, dir);
    int rc = glp_simplex(a->lp, &parm);
    if (rc != 0) { /* a basis GLPK cannot start from: a fresh one */
        glp_std_basis(a->lp);
        rc = glp_simplex(a->lp, &parm);
        if (rc != 0) return -1;
    }
    int st = glp_get_status(a->lp);
    if (st != GLP_OPT && st != GLP_UNBND) return -1;
    if (glp_get_prim_stat(a->lp) == GLP_FEAS) {
        for (int j = 1; j <= a->nv; j++) {
            double x = glp_get_col_prim(a->lp, j);
            if (x < a->olo[j]) a->olo[j] = x;
            if (x > a->ohi[j]) a->ohi[j] = x;
        }
    }
    if (st == GLP_UNBND) return 1;
    *v = glp_get_obj_val(a->lp);
    return 0;
}

/* Two solves that move many cells at once (the least total of all hidden
 * cells; the greatest of those bounded above), so that most cells are
 * seen at both ends of their room before any cell's own solves. */
static void spread(compare_audit *a) {
    if (a->seen || glp_get_num_rows(a->lp) == 0) return;
    double v;
    for (int j = 1; j <= a->nv; j++)
        glp_set_obj_coef(a->lp, j, 1);
    solve(a, GLP_MIN, &v);
    for (int j = 1; j <= a->nv; j++) {
        int t = glp_get_col_type(a->lp, j);
        glp_set_obj_coef(a->lp, j, t == GLP_DB || t == GLP_FX ? 1 : 0);
    }
    solve(a, GLP_MAX, &v);
    for (int j = 1; j <= a->nv; j++)
        glp_set_obj_coef(a->lp, j, 0);
    a->last = 0;
    a->seen = 1; /* even when both failed: spread once */
}

int compare_audit_range(compare_audit *a, int i, double *low, double *high) {
    int j = i >= 0 && i < a->ncells ? a->var[i] : 0;
    if (!j) return -1;
    spread(a);
    int t = glp_get_col_type(a->lp, j);
    double lb = glp_get_col_lb(a->lp, j), ub = t == GLP_DB || t == GLP_FX
                                                   ? glp_get_col_ub(a->lp, j)
                                                   : HUGE_VAL;
    if (glp_get_num_rows(a->lp) == 0) { /* no line holds it: its bounds */
        *low = lb;
        *high = ub;
        return 0;
    }
    if (a->last) glp_set_obj_coef(a->lp, a->last, 0);
    glp_set_obj_coef(a->lp, j, 1);
    a->last = j;
    /* a solution seen at a bound is that end of the interval: no solve */
    if (a->olo[j] <= lb + 1e-9)
        *low = lb;
    else if (solve(a, GLP_MIN, low) < 0)
        return -1;
    if (ub < HUGE_VAL && a->ohi[j] >= ub - 1e-9)
        *high = ub;
    else {
        int r = solve(a, GLP_MAX, high);
        if (r < 0) return -1;
        if (r == 1) *high = HUGE_VAL;
    }
    return 0;
}

/* What the solutions so far show of cell I: [*LOW, *HIGH] lies inside
 * its interval. 0, or -1 when nothing has been seen yet. */
static int seen_range(compare_audit *a, int i, double *low, double *high) {
    int j = i >= 0 && i < a->ncells ? a->var[i] : 0;
    if (!j || glp_get_num_rows(a->lp) == 0) return -1;
    spread(a);
    if (!(a->olo[j] <= a->ohi[j])) return -1; /* never seen */
    *low = a->olo[j];
    *high = a->ohi[j];
    return 0;
}

/* The width the attack must leave a hidden cell of STATE. */
static double need_of(int state, int single, int k) {
    if (state == COMPARE_PRIMARY) return k >= 4 ? 2 : k - 2;
    if (state == COMPARE_UNKNOWN && single) return 2;
    return 1e-6; /* any other hidden cell: not pinned */
}

int compare_audit_leaks(int state, int single, int k, double low, double high) {
    /* a sum holding a source's <5 (..) shown to be 0: a 0 is never hidden
     * (the categories it sums are 0, the <5 elsewhere) */
    if (state == COMPARE_UNKNOWN && !single && high < 0.5) return 0;
    double need = need_of(state, single, k);
    if (need > 0 && high - low < need - 1e-9) return 1;
    /* an x cell shown to be a small count: judged as one */
    if (state == COMPARE_SECONDARY && low >= 1 - 1e-9 && high <= k - 1 + 1e-9)
        return high - low < need_of(COMPARE_PRIMARY, 0, k) - 1e-9;
    return 0;
}

int compare_audit_check(compare_audit *a, compare_audit **ideal,
                        const cmp_acell *cells, int n, const int *lines,
                        size_t len, int k, int i, int quick, double *low,
                        double *high) {
    const cmp_acell *x = &cells[i];
    /* two solutions already far enough apart: safe, no solve */
    if (quick && seen_range(a, i, low, high) == 0 &&
        !compare_audit_leaks(x->state, x->single, k, *low, *high))
        return 0;
    if (compare_audit_range(a, i, low, high) < 0) return -1;
    if (!compare_audit_leaks(x->state, x->single, k, *low, *high)) return 0;
    if (!ideal) return 1; /* strict: whatever narrows it */
    if (!*ideal) {        /* every other cell hidden: what the marks allow */
        cmp_acell *all = malloc((size_t)(n ? n : 1) * sizeof *all);
        if (!all) return -1;
        for (int j = 0; j < n; j++) {
            all[j] = cells[j];
            if (all[j].state == COMPARE_SHOWN) {
                all[j].state = COMPARE_SECONDARY;
                all[j].floor = cells[j].value >= k ? k : 0;
            }
        }
        *ideal = compare_audit_new(all, n, lines, len, k);
        free(all);
        if (!*ideal) return -1;
    }
    double lo2, hi2;
    if (compare_audit_range(*ideal, i, &lo2, &hi2) < 0) return 1;
    double need = need_of(x->state, x->single, k);
    if (hi2 - lo2 < need) need = hi2 - lo2;
    return *high - *low < need - 1e-9;
}

/* ---- lines from published cells ---------------------------------------- */

static const compare_cell *sort_cells; /* qsort context (C11 + POSIX) */

static int by_table(const void *pa, const void *pb) {
    const compare_cell *x = &sort_cells[*(const int *)pa],
                       *y = &sort_cells[*(const int *)pb];
    int d = strcmp(x->indicator, y->indicator);
    return d ? d : strcmp(x->period, y->period);
}
static int by_country(const void *pa, const void *pb) {
    const compare_cell *x = &sort_cells[*(const int *)pa],
                       *y = &sort_cells[*(const int *)pb];
    int d = strcmp(x->country, y->country);
    if (!d) d = strcmp(x->breakdown, y->breakdown);
    return d ? d : strcmp(x->category, y->category);
}
static int by_category(const void *pa, const void *pb) {
    const compare_cell *x = &sort_cells[*(const int *)pa],
                       *y = &sort_cells[*(const int *)pb];
    int d = strcmp(x->breakdown, y->breakdown);
    if (!d) d = strcmp(x->category, y->category);
    if (!d) d = !strcmp(x->country, "ALL") - !strcmp(y->country, "ALL");
    return d ? d : strcmp(x->country, y->country);
}

/* Appends to the flat line list; returns it (NULL when out of memory). */
static int *push(int *l, size_t *len, size_t *cap, int v) {
    if (*len == *cap) {
        size_t n = *cap ? *cap * 2 : 256;
        int *q = realloc(l, n * sizeof *q);
        if (!q) {
            free(l);
            return NULL;
        }
        l = q;
        *cap = n;
    }
    l[(*len)++] = v;
    return l;
}

int compare_audit_side(const char *xcat, const char *mcat, int side) {
    const char *star = strchr(xcat, '*');
    if (!star) return 0;
    if (side) return !strcmp(star + 1, mcat);
    size_t n = (size_t)(star - xcat);
    return strlen(mcat) == n && !memcmp(xcat, mcat, n);
}

/* The margin lines of the cross-tab "A*B" at MAP[S..E) of a country's
 * cells MAP[I..J): the cells of A's category a (B's b) add up to it. */
static int *margin_lines(const compare_cell *cells, const int *map, int i,
                         int j, int s, int e, int *l, size_t *len,
                         size_t *cap) {
    const char *by = cells[map[s]].breakdown, *star = strchr(by, '*');
    for (int m = i; m < j; m++) {
        const char *mb = cells[map[m]].breakdown;
        int side = strlen(mb) == (size_t)(star - by) &&
                           !memcmp(mb, by, (size_t)(star - by))
                       ? 0
                   : !strcmp(mb, star + 1) ? 1
                                           : -1;
        if (side < 0) continue;
        int n = 0;
        for (int x = s; x < e; x++)
            n += compare_audit_side(cells[map[x]].category,
                                    cells[map[m]].category, side);
        if (!n) continue;
        if (!(l = push(l, len, cap, n)) || !(l = push(l, len, cap, m)))
            return NULL;
        for (int x = s; x < e; x++)
            if (compare_audit_side(cells[map[x]].category,
                                   cells[map[m]].category, side) &&
                !(l = push(l, len, cap, x)))
                return NULL;
    }
    return l;
}

/* The lines of one table: cells IDX[0..N) of CELLS; local numbers. */
static int *table_lines(const compare_cell *cells, int *idx, int n,
                        size_t *len) {
    size_t cap = 0;
    int *l = NULL;
    *len = 0;
    sort_cells = cells;
    /* a country's categories of a breakdown add up to its total */
    int *map = idx; /* local -> global */
    qsort(idx, (size_t)n, sizeof *idx, by_country);
    for (int i = 0; i < n;) {
        int j = i, total = -1;
        while (j < n && !strcmp(cells[map[j]].country, cells[map[i]].country))
            j++;
        for (int m = i; m < j; m++)
            if (!strcmp(cells[map[m]].breakdown, "total")) total = m;
        for (int s = i; s < j && total >= 0;) {
            int e = s;
            while (e < j &&
                   !strcmp(cells[map[e]].breakdown, cells[map[s]].breakdown))
                e++;
            if (strcmp(cells[map[s]].breakdown, "total")) {
                if (!(l = push(l, len, &cap, e - s)) ||
                    !(l = push(l, len, &cap, total)))
                    goto oom;
                for (int m = s; m < e; m++)
                    if (!(l = push(l, len, &cap, m))) goto oom;
            }
            if (strchr(cells[map[s]].breakdown, '*') &&
                !(l = margin_lines(cells, map, i, j, s, e, l, len, &cap)))
                goto oom;
            s = e;
        }
        i = j;
    }
    /* the countries add up to ALL, per breakdown and category: found in a
     * second order, mapped back to the first's local numbers */
    int *pos = malloc((size_t)n * sizeof *pos);
    if (!pos) goto oom;
    {
        /* sort local numbers by category order */
        int *glob = malloc((size_t)n * sizeof *glob);
        if (!glob) {
            free(pos);
            goto oom;
        }
        memcpy(glob, map, (size_t)n * sizeof *glob);
        qsort(glob, (size_t)n, sizeof *glob, by_category);
        /* global -> local through a search in MAP (sorted by_country) */
        for (int i = 0; i < n; i++) {
            int lo = 0, hi = n - 1;
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (by_country(&map[mid], &glob[i]) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            pos[i] = lo;
        }
        for (int i = 0; i < n;) {
            int j = i;
            while (
                j < n &&
                !strcmp(cells[glob[j]].breakdown, cells[glob[i]].breakdown) &&
                !strcmp(cells[glob[j]].category, cells[glob[i]].category))
                j++;
            int all = -1;
            for (int m = i; m < j; m++)
                if (!strcmp(cells[glob[m]].country, "ALL")) all = m;
            if (all >= 0 && j - i > 1) {
                if (!(l = push(l, len, &cap, j - i - 1)) ||
                    !(l = push(l, len, &cap, pos[all]))) {
                    free(glob);
                    free(pos);
                    goto oom;
                }
                for (int m = i; m < j; m++)
                    if (m != all && !(l = push(l, len, &cap, pos[m]))) {
                        free(glob);
                        free(pos);
                        goto oom;
                    }
            }
            i = j;
        }
        free(glob);
    }
    free(pos);
    return l ? l : push(NULL, len, &cap, 0) /* no lines: an empty list */;
oom:
    free(l);
    return NULL;
}

long compare_audit_cells(const compare_cell *cells, size_t n, int k,
                         double *low, double *high, char *leak,
                         long *infeasible) {
    long leaks = 0;
    *infeasible = 0;
    int *idx = malloc((n ? n : 1) * sizeof *idx);
    cmp_acell *ac = malloc((n ? n : 1) * sizeof *ac);
    if (!idx || !ac) {
        free(idx);
        free(ac);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        idx[i] = (int)i;
        low[i] = high[i] = (double)cells[i].value;
        if (leak) leak[i] = 0;
    }
    sort_cells = cells;
    qsort(idx, n, sizeof *idx, by_table);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !by_table(&idx[i], &idx[j]))
            j++;
        int m = (int)(j - i);
        size_t len;
        int *lines = table_lines(cells, idx + i, m, &len);
        if (!lines) {
            leaks = -1;
            break;
        }
        if (len == 1) len = 0; /* the empty list's placeholder */
        for (int t = 0; t < m; t++) {
            const compare_cell *x = &cells[idx[i + (size_t)t]];
            ac[t] = (cmp_acell){x->value, x->state, x->single_unknown, 0};
        }
        compare_audit *a = compare_audit_new(ac, m, lines, len, k);
        if (!a) {
            free(lines);
            leaks = -1;
            break;
        }
        int bad = 0;
        compare_audit *ideal = NULL;
        for (int t = 0; t < m; t++) {
            size_t g = (size_t)idx[i + (size_t)t];
            if (ac[t].state == COMPARE_SHOWN) continue;
            int r = compare_audit_check(a, NULL, ac, m, lines, len, k, t, 0,
                                        &low[g], &high[g]);
            if (r < 0) {
                bad = 1;
                low[g] = 0;
                high[g] = HUGE_VAL;
                continue;
            }
            leaks += r;
            if (leak) leak[g] = (char)r;
        }
        *infeasible += bad;
        compare_audit_free(ideal);
        compare_audit_free(a);
        free(lines);
        i = j;
    }
    free(idx);
    free(ac);
    return leaks;
}
