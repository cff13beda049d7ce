/*
 * compare_audit.h: the attacker of a published comparison: a linear
 * programme over one indicator and period, in which every published line
 * holds (a country's categories add up to its total; the countries add up
 * to the region ALL; a cross-tab "A*B"'s cells "a*..." add up to A's a,
 * and "...*b" to B's b), shown figures are fixed and each hidden cell is a
 * variable within what its mark tells (<K: 1 to K-1; x: 0 or more, or K
 * or more when the caller knows it is; a source's <5: 1 to 4; "..": 0 or
 * more). The narrowest interval of a hidden cell is the minimum and the
 * maximum of that cell over the programme, found by GLPK's simplex
 * over the connected component of the programme that holds the cell.
 *
 * GLPK (libglpk-dev) is the solver sdcTable uses for the same attack and
 * for its secondary suppression; it is in Debian, small, and its simplex
 * re-solves one programme for many objectives from the last basis.
 *
 * Ownership: an audit copies what it is given; compare_audit_free()
 * frees it.
 */
#ifndef RELEC_COMPARE_AUDIT_H
#define RELEC_COMPARE_AUDIT_H
#include "compare.h"
#include <stddef.h>

/* A cell as the attacker sees it. */
typedef struct cmp_acell {
    long long value; /* the figure when shown */
    int state;       /* compare_state */
    int single;      /* UNKNOWN from exactly one source "<5" */
    long long floor; /* x cells: the least value the attacker may assume */
} cmp_acell;

typedef struct compare_audit compare_audit;

/* Whether SIDE (0: before the '*', 1: after) of cross-tab category XCAT
 * ("female*child") is the category MCAT of a margin ("female"). */
int compare_audit_side(const char *xcat, const char *mcat, int side);

/* The programme over NCELLS cells and the lines LINES, a flat list of
 * LEN ints: n, total, member_1 .. member_n, then the next line. K: the
 * threshold of the <K marks. NULL when out of memory. */
compare_audit *compare_audit_new(const cmp_acell *cells, int ncells,
                                 const int *lines, size_t len, int k);

/* The interval [*LOW, *HIGH] of hidden cell I (HIGH is HUGE_VAL when
 * unbounded). 0, -1 when the published figures contradict each other
 * (no table fits them), or -2 when GLPK failed (out of memory; see
 * compare_audit_failure()). */
int compare_audit_range(compare_audit *a, int i, double *low, double *high);

void compare_audit_free(compare_audit *a);

/* Whether the attack A gives hidden cell I of CELLS away: its interval
 * (*LOW, *HIGH) is one compare_audit_leaks() rejects. With IDEAL not
 * NULL, only when the marks alone (the same programme with every shown
 * cell hidden, made in *IDEAL on first need; the caller frees it) leave
 * it more room. 1 yes, 0 no, -1 when the figures contradict each other,
 * -2 when GLPK failed (out of memory).
 * QUICK: when two solutions seen by earlier solves are already far enough
 * apart, say 0 without solving, and (IDEAL NULL) when the bounds the lines
 * give by propagation alone already leak, say 1 without solving (*LOW,
 * *HIGH are then what was seen, or the propagated bounds, not the
 * narrowest interval). -2 also when out of memory. */
int compare_audit_check(compare_audit *a, compare_audit **ideal,
                        const cmp_acell *cells, int n, const int *lines,
                        size_t len, int k, int i, int quick, double *low,
                        double *high);

/* Whether [LOW, HIGH] gives away a hidden cell of STATE (SINGLE: a
 * source's "<5"): a <K or <5 cell left fewer than three possible values
 * (an interval under 2 wide; for K = 3 under 1, for K = 2 never, as the
 * mark itself tells that much); an x cell pinned to one value, or shown
 * to lie in 1..K-1 and there left fewer than three values; a sum holding
 * a source's <5 (..) pinned to a value other than 0. The marks can
 * give cells away by themselves (four <5 cells whose sum is <5 are 1
 * each): the suppression then shows one of them as x. */
int compare_audit_leaks(int state, int single, int k, double low, double high);

/* GLPK's message (its first line) when a GLPK call failed in this
 * process, else NULL. After a failure every audit made before it is dead:
 * its calls return -2, and compare_audit_free() is all it is good for. */
const char *compare_audit_failure(void);

/* Test hook: GLPK may hold at most MB megabytes (glp_mem_limit()) until
 * a GLPK call fails. */
void compare_audit_mem_limit(int mb);

/* Audits published CELLS (any order; N of them) with threshold K: per
 * hidden cell its interval in LOW[i], HIGH[i] (shown cells: their value).
 * LEAK[i] (when not NULL): 1 when compare_audit_check() says cell i is
 * given away. Lines are found from the cells themselves (country, breakdown,
 * category, with "total" and ALL as margins), so a table read back from
 * its long CSV is audited as its maker would. Returns the number of
 * leaking cells, or -1 when out of memory (GLPK's too); *INFEASIBLE counts the
 * tables whose figures contradict each other. */
long compare_audit_cells(const compare_cell *cells, size_t n, int k,
                         double *low, double *high, char *leak,
                         long *infeasible);

#endif
