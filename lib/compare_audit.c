/*
 * compare_audit.c: the attacker's linear programme (compare_audit.h).
 *
 * The programme of one indicator and period splits into connected
 * components: hidden cells linked by the lines that hold them (a shown
 * cell is a constant and links nothing). The feasible tables are the
 * product of the components', so a cell's interval is the one its own
 * component gives, and each component is solved alone: a GLPK problem
 * built on its first use, a column per hidden cell and a fixed row per
 * line. A component of one cell needs no solver: its lines pin it, or
 * its bounds are its room. The interval of a cell is two simplex solves
 * (minimise, maximise) that start from the previous basis.
 * compare_audit_cells() finds the lines of a published table from its
 * cells by two sorts (by country and breakdown; by breakdown, category and
 * country), not by pairwise search.
 *
 * GLPK's errors (its allocator's out of memory above all) call the hook
 * set here, which jumps back to the guarded call (guarded()); GLPK's
 * environment is then freed with every problem in it, as its manual
 * asks, and every audit made before is dead (its calls return -2).
 */
#include "compare_audit.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One connected component of the programme. */
typedef struct cmp_comp {
    glp_prob *lp; /* built on first need (never for one column) */
    int col0;     /* its first column in compare_audit.cols */
    int ncols;    /* its columns */
    int row0;     /* its first row in compare_audit.rows */
    int nrows;    /* its rows */
    int last;     /* local column of the last objective, 0 none */
    int seen;     /* spread() has run */
    int prop;     /* propagate(): 0 not yet, 1 done, -1 no room */
} cmp_comp;

struct compare_audit {
    int *var;        /* cell -> column (1-based), 0 when shown */
    int ncells;      /* cells */
    int nv;          /* columns */
    int *type;       /* per column: GLP_DB, GLP_FX or GLP_LO */
    double *lb, *ub; /* per column: its bounds (ub unused for GLP_LO) */
    double *olo;     /* per column: least value seen in a solution so far */
    double *ohi;     /* per column: greatest value seen in a solution */
    double *plo;     /* per column: least value the rows allow (propagate) */
    double *phi;     /* per column: greatest value they allow */
    int *comp;       /* per column: its component */
    int *loc;        /* per column: its column in its component (1-based) */
    int *cols;       /* columns grouped by component */
    cmp_comp *comps; /* the components */
    int ncomp;       /* how many */
    int nrows;       /* rows (lines that hold a hidden cell) */
    int *rstart;     /* per row: its first entry; [nrows] ends the last */
    int *rcol;       /* per entry: its column */
    double *rval;    /* per entry: its coefficient */
    double *rhs;     /* per row: the fixed value */
    int *rows;       /* rows grouped by component */
    int *ia, *ja;    /* scratch for glp_load_matrix(): nz + 1 each */
    double *ar;      /* scratch: coefficients */
    int contradict;  /* a line of shown cells alone that does not add up */
    unsigned gen;    /* GLPK environment it was made in (glp_gen) */
};

/* ---- GLPK's errors --------------------------------------------------- */

static jmp_buf *glp_jump; /* where a GLPK error goes, while relec calls it */
static unsigned glp_gen;  /* GLPK environments freed after an error */
static char glp_msg[160]; /* GLPK's last words before its error */
static size_t glp_msglen; /* bytes in glp_msg */

static void on_glp_error(void *info) {
    (void)info;
    longjmp(*glp_jump, 1);
}

/* GLPK's terminal output: kept (its error's message), never printed. */
static int on_glp_text(void *info, const char *s) {
    (void)info;
    size_t n = strlen(s);
    if (n > sizeof glp_msg - 1 - glp_msglen)
        n = sizeof glp_msg - 1 - glp_msglen;
    memcpy(glp_msg + glp_msglen, s, n);
    glp_msglen += n;
    glp_msg[glp_msglen] = 0;
    return 1;
}

const char *compare_audit_failure(void) {
    if (!glp_gen) return NULL;
    const char *nl = strchr(glp_msg, '\n');
    static char first[sizeof glp_msg];
    size_t n = nl ? (size_t)(nl - glp_msg) : strlen(glp_msg);
    memcpy(first, glp_msg, n);
    first[n] = 0;
    return first;
}

void compare_audit_mem_limit(int mb) {
    if (glp_init_env() <= 1) glp_mem_limit(mb);
}

/* Runs FN(A, M, ARG) with GLPK's errors caught: FN's result, or -2 after
 * an error (or when A was made in an environment freed since). FN must
 * allocate nothing of its own: a jump out of it would leak it. */
static int guarded(compare_audit *a, cmp_comp *m, void *arg,
                   int (*fn)(compare_audit *, cmp_comp *, void *)) {
    if (a->gen != glp_gen) return -2;
    int e = glp_init_env(); /* 0: made now, 1: there; else no memory */
    if (e != 0 && e != 1) return -2;
    jmp_buf jb;
    glp_jump = &jb;
    glp_msglen = 0;
    glp_msg[0] = 0;
    glp_term_hook(on_glp_text, NULL);
    glp_error_hook(on_glp_error, NULL);
    if (setjmp(jb)) {
        glp_jump = NULL;
        glp_free_env(); /* every problem with it: the manual's way out */
        glp_gen++;
        return -2;
    }
    int r = fn(a, m, arg);
    glp_jump = NULL;
    return r;
}

/* ---- the programme --------------------------------------------------- */

static int uf_find(int *up, int x) {
    while (up[x] != x)
        x = up[x] = up[up[x]];
    return x;
}

compare_audit *compare_audit_new(const cmp_acell *cells, int ncells,
                                 const int *lines, size_t len, int k) {
    compare_audit *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->gen = glp_gen;
    a->ncells = ncells;
    a->var = calloc((size_t)ncells + 1, sizeof *a->var);
    size_t nz = 0, nl = 0;
    for (size_t p = 0; p < len; p += 2 + (size_t)lines[p]) {
        nz += 1 + (size_t)lines[p];
        nl++;
    }
    if (!a->var) goto oom;
    int nv = 0;
    for (int i = 0; i < ncells; i++)
        if (cells[i].state != COMPARE_SHOWN) a->var[i] = ++nv;
    a->nv = nv;
    size_t cols = (size_t)nv + 1;
    a->type = malloc(cols * sizeof *a->type);
    a->lb = malloc(cols * sizeof *a->lb);
    a->ub = malloc(cols * sizeof *a->ub);
    a->olo = malloc(cols * sizeof *a->olo);
    a->ohi = malloc(cols * sizeof *a->ohi);
    a->plo = malloc(cols * sizeof *a->plo);
    a->phi = malloc(cols * sizeof *a->phi);
    a->comp = malloc(cols * sizeof *a->comp);
    a->loc = malloc(cols * sizeof *a->loc);
    a->cols = malloc(cols * sizeof *a->cols);
    a->rstart = malloc((nl + 1) * sizeof *a->rstart);
    a->rhs = malloc((nl + 1) * sizeof *a->rhs);
    a->rows = malloc((nl + 1) * sizeof *a->rows);
    a->rcol = malloc((nz + 1) * sizeof *a->rcol);
    a->rval = malloc((nz + 1) * sizeof *a->rval);
    a->ia = malloc((nz + 1) * sizeof *a->ia);
    a->ja = malloc((nz + 1) * sizeof *a->ja);
    a->ar = malloc((nz + 1) * sizeof *a->ar);
    if (!a->type || !a->lb || !a->ub || !a->olo || !a->ohi || !a->plo ||
        !a->phi || !a->comp || !a->loc || !a->cols || !a->rstart || !a->rhs ||
        !a->rows || !a->rcol || !a->rval || !a->ia || !a->ja || !a->ar)
        goto oom;
    for (int i = 0; i < ncells; i++) {
        int j = a->var[i];
        if (!j) continue;
        const cmp_acell *x = &cells[i];
        a->olo[j] = HUGE_VAL;
        a->ohi[j] = -HUGE_VAL;
        a->ub[j] = 0;
        if (x->state == COMPARE_PRIMARY) {
            a->type[j] = k > 2 ? GLP_DB : GLP_FX;
            a->lb[j] = 1;
            a->ub[j] = k - 1;
        } else if (x->state == COMPARE_UNKNOWN && x->single) {
            a->type[j] = GLP_DB;
            a->lb[j] = 1;
            a->ub[j] = 4;
        } else {
            a->type[j] = GLP_LO;
            a->lb[j] = x->state == COMPARE_SECONDARY ? (double)x->floor : 0;
        }
    }
    /* the rows: a line that holds a hidden cell, its shown cells summed
     * into the fixed value */
    int ne = 0, nr = 0;
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
        int first = ne; /* the row's first entry */
        for (int m = 0; m <= n; m++) {
            int i = m == 0 ? t : lines[p + 1 + (size_t)m];
            if (!a->var[i]) continue;
            /* a cell twice on a line (a category named like the total,
             * ALL): one entry, coefficients summed; GLPK errs on a (row,
             * column) given twice */
            int e = first;
            while (e < ne && a->rcol[e] != a->var[i])
                e++;
            if (e == ne) {
                a->rcol[ne] = a->var[i];
                a->rval[ne++] = 0;
            }
            a->rval[e] += m == 0 ? -1 : 1;
        }
        int kept = first; /* entries summed to 0 are no entries */
        for (int e = first; e < ne; e++)
            if (a->rval[e] != 0) {
                a->rcol[kept] = a->rcol[e];
                a->rval[kept++] = a->rval[e];
            }
        ne = kept;
        if (ne == first) { /* 0 = rhs */
            if (fabs(rhs) > 1e-9) a->contradict = 1;
            continue;
        }
        a->rstart[nr] = first;
        a->rhs[nr++] = rhs;
    }
    a->rstart[nr] = ne;
    a->nrows = nr;
    /* components: columns joined by the rows that hold them (union-find
     * in a->loc, then numbered in a->comp) */
    int *up = a->loc;
    for (int j = 0; j <= nv; j++)
        up[j] = j;
    for (int r = 0; r < nr; r++)
        for (int e = a->rstart[r] + 1; e < a->rstart[r + 1]; e++) {
            int x = uf_find(up, a->rcol[a->rstart[r]]),
                y = uf_find(up, a->rcol[e]);
            if (x != y) up[y] = x;
        }
    int nc = 0;
    for (int j = 1; j <= nv; j++)
        a->comp[j] = -1;
    for (int j = 1; j <= nv; j++) {
        int root = uf_find(up, j);
        if (a->comp[root] < 0) a->comp[root] = nc++;
        a->comp[j] = a->comp[root];
    }
    a->comps = calloc((size_t)(nc ? nc : 1), sizeof *a->comps);
    if (!a->comps) goto oom;
    a->ncomp = nc;
    for (int j = 1; j <= nv; j++)
        a->comps[a->comp[j]].ncols++;
    for (int r = 0; r < nr; r++)
        a->comps[a->comp[a->rcol[a->rstart[r]]]].nrows++;
    for (int m = 0, c0 = 0, r0 = 0; m < nc; m++) {
        a->comps[m].col0 = c0;
        a->comps[m].row0 = r0;
        c0 += a->comps[m].ncols;
        r0 += a->comps[m].nrows;
        a->comps[m].ncols = a->comps[m].nrows = 0; /* filled again below */
    }
    for (int j = 1; j <= nv; j++) {
        cmp_comp *m = &a->comps[a->comp[j]];
        a->cols[m->col0 + m->ncols++] = j;
        a->loc[j] = m->ncols;
    }
    for (int r = 0; r < nr; r++) {
        cmp_comp *m = &a->comps[a->comp[a->rcol[a->rstart[r]]]];
        a->rows[m->row0 + m->nrows++] = r;
    }
    return a;
oom:
    compare_audit_free(a);
    return NULL;
}

void compare_audit_free(compare_audit *a) {
    if (!a) return;
    for (int m = 0; m < a->ncomp && a->gen == glp_gen; m++)
        if (a->comps[m].lp) glp_delete_prob(a->comps[m].lp);
    free(a->comps);
    free(a->var);
    free(a->type);
    free(a->lb);
    free(a->ub);
    free(a->olo);
    free(a->ohi);
    free(a->plo);
    free(a->phi);
    free(a->comp);
    free(a->loc);
    free(a->cols);
    free(a->rstart);
    free(a->rcol);
    free(a->rval);
    free(a->rhs);
    free(a->rows);
    free(a->ia);
    free(a->ja);
    free(a->ar);
    free(a);
}

/* Makes the GLPK problem of component M (guarded()). */
static int build(compare_audit *a, cmp_comp *m) {
    glp_term_out(GLP_OFF);
    m->lp = glp_create_prob();
    glp_add_cols(m->lp, m->ncols);
    for (int l = 1; l <= m->ncols; l++) {
        int j = a->cols[m->col0 + l - 1];
        glp_set_col_bnds(m->lp, l, a->type[j], a->lb[j], a->ub[j]);
    }
    glp_add_rows(m->lp, m->nrows);
    int ne = 0;
    for (int q = 0; q < m->nrows; q++) {
        int r = a->rows[m->row0 + q];
        glp_set_row_bnds(m->lp, q + 1, GLP_FX, a->rhs[r], a->rhs[r]);
        for (int e = a->rstart[r]; e < a->rstart[r + 1]; e++) {
            ne++;
            a->ia[ne] = q + 1;
            a->ja[ne] = a->loc[a->rcol[e]];
            a->ar[ne] = a->rval[e];
        }
    }
    glp_load_matrix(m->lp, ne, a->ia, a->ja, a->ar);
    return 0;
}

/* One solve of component M; 0 with *V, 1 unbounded, -1 infeasible. The
 * solution's values widen what has been seen of its columns. */
static int solve(compare_audit *a, cmp_comp *m, int dir, double *v) {
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    glp_set_obj_dir(m->lp, dir);
    int rc = glp_simplex(m->lp, &parm);
    if (rc != 0) { /* a basis GLPK cannot start from: a fresh one */
        glp_std_basis(m->lp);
        rc = glp_simplex(m->lp, &parm);
        if (rc != 0) return -1;
    }
    int st = glp_get_status(m->lp);
    if (st != GLP_OPT && st != GLP_UNBND) return -1;
    if (glp_get_prim_stat(m->lp) == GLP_FEAS) {
        for (int l = 1; l <= m->ncols; l++) {
            int j = a->cols[m->col0 + l - 1];
            double x = glp_get_col_prim(m->lp, l);
            if (x < a->olo[j]) a->olo[j] = x;
            if (x > a->ohi[j]) a->ohi[j] = x;
        }
    }
    if (st == GLP_UNBND) return 1;
    *v = glp_get_obj_val(m->lp);
    return 0;
}

/* Builds M when it is not yet, then two solves that move many cells at
 * once (the least total of all its hidden cells; the greatest of those
 * bounded above), so that most cells are seen at both ends of their room
 * before any cell's own solves (guarded()). */
static int spread(compare_audit *a, cmp_comp *m, void *unused) {
    (void)unused;
    if (!m->lp) build(a, m);
    if (m->seen) return 0;
    double v;
    for (int l = 1; l <= m->ncols; l++)
        glp_set_obj_coef(m->lp, l, 1);
    solve(a, m, GLP_MIN, &v);
    for (int l = 1; l <= m->ncols; l++) {
        int t = glp_get_col_type(m->lp, l);
        glp_set_obj_coef(m->lp, l, t == GLP_DB || t == GLP_FX ? 1 : 0);
    }
    solve(a, m, GLP_MAX, &v);
    for (int l = 1; l <= m->ncols; l++)
        glp_set_obj_coef(m->lp, l, 0);
    m->last = 0;
    m->seen = 1; /* even when both failed: spread once */
    return 0;
}

/* The interval of a column alone in its component: what its rows pin it
 * to, else its bounds. 0, or -1 when they contradict each other. */
static int single(const compare_audit *a, const cmp_comp *m, int j, double *low,
                  double *high) {
    double lb = a->lb[j], ub = a->type[j] == GLP_LO ? HUGE_VAL : a->ub[j];
    for (int q = 0; q < m->nrows; q++) {
        int r = a->rows[m->row0 + q], e = a->rstart[r];
        double x = a->rhs[r] / a->rval[e], tol = 1e-9 * (1 + fabs(x));
        if (x < lb - tol || x > ub + tol) return -1;
        lb = ub = x;
    }
    *low = lb;
    *high = ub;
    return 0;
}

/* Bounds every table of component M allows its columns, found by
 * propagating each column's bounds through the rows (a few sweeps): an
 * interval that holds the narrowest one, made without the solver, in
 * a->plo, a->phi. -1 when the rows leave no room (the solver says
 * more). */
static int propagate(compare_audit *a, cmp_comp *m) {
    if (m->prop) return m->prop > 0 ? 0 : -1;
    for (int l = 0; l < m->ncols; l++) {
        int j = a->cols[m->col0 + l];
        a->plo[j] = a->lb[j];
        a->phi[j] = a->type[j] == GLP_LO ? HUGE_VAL : a->ub[j];
    }
    int changed = 1;
    for (int sweep = 0; sweep < 8 && changed; sweep++) {
        changed = 0;
        for (int q = 0; q < m->nrows; q++) {
            int r = a->rows[m->row0 + q];
            /* the row's least and greatest sum; infinite parts counted */
            double smin = 0, smax = 0;
            int nmin = 0, nmax = 0;
            for (int e = a->rstart[r]; e < a->rstart[r + 1]; e++) {
                int j = a->rcol[e];
                double v = a->rval[e],
                       lo = v > 0 ? v * a->plo[j] : v * a->phi[j],
                       hi = v > 0 ? v * a->phi[j] : v * a->plo[j];
                if (isinf(lo))
                    nmin++;
                else
                    smin += lo;
                if (isinf(hi))
                    nmax++;
                else
                    smax += hi;
            }
            for (int e = a->rstart[r]; e < a->rstart[r + 1]; e++) {
                int j = a->rcol[e];
                double v = a->rval[e],
                       lo = v > 0 ? v * a->plo[j] : v * a->phi[j],
                       hi = v > 0 ? v * a->phi[j] : v * a->plo[j];
                /* v x_j = rhs - the others: between these */
                double olo = -HUGE_VAL, ohi = HUGE_VAL;
                if (nmax - isinf(hi) == 0)
                    olo = a->rhs[r] - (smax - (isinf(hi) ? 0 : hi));
                if (nmin - isinf(lo) == 0)
                    ohi = a->rhs[r] - (smin - (isinf(lo) ? 0 : lo));
                double nlo = v > 0 ? olo / v : ohi / v,
                       nhi = v > 0 ? ohi / v : olo / v;
                if (nlo > a->plo[j] + 1e-9) {
                    a->plo[j] = nlo;
                    changed = 1;
                }
                if (nhi < a->phi[j] - 1e-9) {
                    a->phi[j] = nhi;
                    changed = 1;
                }
                if (a->plo[j] > a->phi[j] + 1e-6) {
                    m->prop = -1;
                    return -1;
                }
            }
        }
    }
    m->prop = 1;
    return 0;
}

/* What compare_audit_range() asks of a component. */
typedef struct range_arg {
    int j;              /* the column */
    double *low, *high; /* its interval */
} range_arg;

static int range_lp(compare_audit *a, cmp_comp *m, void *arg) {
    range_arg *g = arg;
    int j = g->j, l = a->loc[j];
    spread(a, m, NULL);
    double lb = a->lb[j], ub = a->type[j] == GLP_LO ? HUGE_VAL : a->ub[j];
    if (m->last) glp_set_obj_coef(m->lp, m->last, 0);
    glp_set_obj_coef(m->lp, l, 1);
    m->last = l;
    /* a solution seen at a bound (the rows' bound: propagate()) is that
     * end of the interval: no solve */
    if (propagate(a, m) == 0) {
        lb = a->plo[j];
        ub = a->phi[j];
    }
    if (a->olo[j] <= lb + 1e-9)
        *g->low = lb;
    else if (solve(a, m, GLP_MIN, g->low) < 0)
        return -1;
    if (ub < HUGE_VAL && a->ohi[j] >= ub - 1e-9)
        *g->high = ub;
    else {
        int r = solve(a, m, GLP_MAX, g->high);
        if (r < 0) return -1;
        if (r == 1) *g->high = HUGE_VAL;
    }
    return 0;
}

int compare_audit_range(compare_audit *a, int i, double *low, double *high) {
    int j = i >= 0 && i < a->ncells ? a->var[i] : 0;
    if (!j || a->contradict) return -1;
    cmp_comp *m = &a->comps[a->comp[j]];
    if (m->ncols == 1) return single(a, m, j, low, high);
    range_arg g = {j, low, high};
    return guarded(a, m, &g, range_lp);
    return guarded(a, m, &g, range_lp);
}

/* What the solutions so far show of cell I: [*LOW, *HIGH] lies inside
 * its interval (a cell alone in its component: its interval). 0, -1 when
 * nothing has been seen yet, -2 when GLPK failed. */
static int seen_range(compare_audit *a, int i, double *low, double *high) {
    int j = i >= 0 && i < a->ncells ? a->var[i] : 0;
    if (!j || a->contradict) return -1;
    cmp_comp *m = &a->comps[a->comp[j]];
    if (m->ncols == 1) return single(a, m, j, low, high);
    int r = guarded(a, m, NULL, spread);
    if (r < 0) return r;
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
    /* the rows alone pin it closer than it may be: given away, no solve
     * (not for "..": a sum shown to be 0 is no leak, and the bounds may
     * hold more than 0) */
    int j = i >= 0 && i < a->ncells ? a->var[i] : 0;
    if (quick && !ideal && j && !a->contradict &&
        !(x->state == COMPARE_UNKNOWN && !x->single)) {
        cmp_comp *m = &a->comps[a->comp[j]];
        if (m->ncols > 1 && propagate(a, m) == 0 &&
            compare_audit_leaks(x->state, x->single, k, a->plo[j], a->phi[j])) {
            *low = a->plo[j];
            *high = a->phi[j];
            return 1;
        }
    }
    /* two solutions already far enough apart: safe, no solve */
    int r = quick ? seen_range(a, i, low, high) : -1;
    if (r == -2) return -2;
    if (r == 0 && !compare_audit_leaks(x->state, x->single, k, *low, *high))
        return 0;
    if ((r = compare_audit_range(a, i, low, high)) < 0) return r;
    if (!compare_audit_leaks(x->state, x->single, k, *low, *high)) return 0;
    if (!ideal) return 1; /* strict: whatever narrows it */
    if (!*ideal) {        /* every other cell hidden: what the marks allow */
        cmp_acell *all = malloc((size_t)(n ? n : 1) * sizeof *all);
        if (!all) return -2;
        for (int j = 0; j < n; j++) {
            all[j] = cells[j];
            if (all[j].state == COMPARE_SHOWN) {
                all[j].state = COMPARE_SECONDARY;
                all[j].floor = cells[j].value >= k ? k : 0;
            }
        }
        *ideal = compare_audit_new(all, n, lines, len, k);
        free(all);
        if (!*ideal) return -2;
    }
    double lo2, hi2;
    if ((r = compare_audit_range(*ideal, i, &lo2, &hi2)) < 0)
        return r == -2 ? -2 : 1;
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
            if (r == -2) {
                leaks = -1;
                break;
            }
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
        if (leaks < 0) break; /* GLPK failed */
        i = j;
    }
    free(idx);
    free(ac);
    return leaks;
}
