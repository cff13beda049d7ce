#!/usr/bin/python3
"""lp_attack.py - independent LP (linear programming) attack on a published
table of suppressed counts in the aggregate ("long") layout.

Written from a description of the table layout only, without reading the
tool's source code, tests or benchmarks (see README.md, section "LP attack").

Usage:
    lp_attack.py TABLE.csv [--min-width W|auto|full] [--k K] [--ilp]
                 [--child-scope indicator|parent] [--strict-x]
                 [--truth TRUE.csv] [--only-narrowed] [--csv OUT.csv] [-q]

Exit status: 0 no leak; 1 at least one leak (see --min-width); 2 bad input
or usage; 3 no leak, but some constraint components were infeasible (the
table contradicts the inferred sums, so those cells could not be judged).

Runs under Debian's /usr/bin/python3 with python3-scipy (HiGHS via
scipy.optimize.linprog; scipy.optimize.milp for --ilp).
"""

import argparse
import csv
import math
import re
import sys
import time
from collections import defaultdict

try:
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix
except ImportError as e:  # pragma: no cover
    sys.stderr.write("lp_attack.py: needs numpy and scipy (apt-get install -y "
                     "python3-scipy python3-numpy; run with /usr/bin/python3): "
                     "%s\n" % e)
    sys.exit(2)

BIG = 1e9  # stands for no upper bound in the solver (see solve_component)

KEY = ["reporting_country", "reporting_period", "indicator", "sex",
       "age_group", "nationality", "border_type", "reason", "partner_country"]
OPTIONAL = {"border_type", "reason", "partner_country"}
TOT = "TOTAL"            # canonical "all" value of every breakdown dimension
# Dimensions whose totals are found by the generic rule (children = the
# non-total values of that dimension).  reporting_country is generic too,
# with ALL (or TOTAL) as its total; the period and indicator are special.
GENERIC_DIMS = [0, 3, 4, 5, 6, 7, 8]
PER, IND = 1, 2

RE_LT = re.compile(r"^<\s*(\d+)$")
RE_INT = re.compile(r"^[+]?\d+$")
RE_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
RE_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
RE_YEAR = re.compile(r"^(\d{4})$")

EPS = 1e-6


def die(msg):
    sys.stderr.write("lp_attack.py: %s\n" % msg)
    sys.exit(2)


def norm_dim(i, v):
    """Canonical form of a key value; the 'all' value becomes TOT."""
    v = (v or "").strip()
    if i == PER or i == IND:
        return v
    if v == "" and KEY[i] in OPTIONAL:
        return TOT
    if v.upper() == "TOTAL" or (i == 0 and v.upper() == "ALL"):
        return TOT
    return v


class Cell:
    __slots__ = ("key", "shown", "raw", "kind", "value", "k", "var")

    def __init__(self, key, raw, shown=None):
        self.key = key
        self.shown = shown or key     # key as written in the file
        self.raw = raw
        self.var = None
        self.k = None
        self.value = None
        s = raw.strip()
        m = RE_LT.match(s)
        if RE_INT.match(s):
            self.kind = "num"
            self.value = int(s)
        elif m:
            self.kind = "lt"
            self.k = int(m.group(1))
            if self.k < 2:
                die("bad suppression symbol %r (need <K with K >= 2)" % raw)
        elif s.lower() == "x":
            self.kind = "x"
        elif s == ".." or s == "":
            self.kind = "na"        # not available: in no constraint
        else:
            die("unrecognised value %r for key %s" % (raw, "|".join(key)))


def read_table(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rd = csv.DictReader(f)
        if rd.fieldnames is None:
            die("%s: empty file" % path)
        cols = [c.strip() for c in rd.fieldnames]
        rd.fieldnames = cols
        if "value" not in cols:
            die("%s: no 'value' column" % path)
        for c in KEY:
            if c not in cols and c not in OPTIONAL:
                sys.stderr.write("lp_attack.py: warning: column %s absent, "
                                 "treated as TOTAL\n" % c)
        cells = {}
        for lineno, row in enumerate(rd, start=2):
            key = tuple(norm_dim(i, row.get(c, "")) if c in row else TOT
                        for i, c in enumerate(KEY))
            if key in cells:
                die("%s:%d: repeated key %s" % (path, lineno, "|".join(key)))
            shown = tuple((row.get(c) or "").strip() or TOT if c in row
                          else TOT for c in KEY)
            cells[key] = Cell(key, row.get("value") or "", shown)
    return cells


def period_children(p):
    """Lists of child-period sets whose sum equals period p (calendar)."""
    m = RE_QUARTER.match(p)
    if m:
        y, q = m.group(1), int(m.group(2))
        return [["%s-%02d" % (y, mo) for mo in range(3 * q - 2, 3 * q + 1)]]
    m = RE_YEAR.match(p)
    if m:
        y = m.group(1)
        return [["%s-Q%d" % (y, q) for q in range(1, 5)],
                ["%s-%02d" % (y, mo) for mo in range(1, 13)]]
    return []


def infer_relations(cells, scope):
    """Return (relations, stats).  A relation is (parent_key, [child_keys]):
    value(parent) = sum(value(children)).

    scope 'indicator': the children of dimension d are ALL non-total values
    of d that occur anywhere in the table for that indicator; the relation
    is only used when the parent and every such child are in the table.
    scope 'parent': the children are the non-total values of d present for
    exactly this parent's other coordinates (the published children are
    assumed exhaustive row by row)."""
    childset = defaultdict(set)           # (indicator, dim) -> values
    present = defaultdict(set)            # (dim, key with d=TOT) -> values
    for key in cells:
        for d in GENERIC_DIMS:
            if key[d] != TOT:
                childset[(key[IND], d)].add(key[d])
                if scope == "parent":
                    present[(d, key[:d] + (TOT,) + key[d + 1:])].add(key[d])
    bad_period = set()
    rels = []
    stats = defaultdict(int)
    for key in cells:
        for d in GENERIC_DIMS:
            if key[d] != TOT:
                continue
            if scope == "parent":
                vals = present.get((d, key))
            else:
                vals = childset.get((key[IND], d))
            if not vals:
                continue
            kids = [key[:d] + (v,) + key[d + 1:] for v in sorted(vals)]
            if all(k in cells for k in kids):
                rels.append((key, kids))
                stats["sum over " + KEY[d]] += 1
            else:
                stats["skipped (child missing) over " + KEY[d]] += 1
        p = key[PER]
        if not (RE_MONTH.match(p) or RE_QUARTER.match(p) or RE_YEAR.match(p)):
            bad_period.add(p)
            continue
        for ps in period_children(p):
            kids = [key[:PER] + (c,) + key[PER + 1:] for c in ps]
            if all(k in cells for k in kids):
                rels.append((key, kids))
                stats["sum over reporting_period"] += 1
    for p in sorted(bad_period):
        sys.stderr.write("lp_attack.py: warning: period %r not YYYY-MM, "
                         "YYYY-Qn or YYYY: no period sums\n" % p)
    return rels, stats


class DSU:
    def __init__(self, n):
        self.p = list(range(n))

    def find(self, a):
        p = self.p
        while p[a] != a:
            p[a] = p[p[a]]
            a = p[a]
        return a

    def union(self, a, b):
        a, b = self.find(a), self.find(b)
        if a != b:
            self.p[a] = b


def solve_component(vars_, rows, lb, ub, use_ilp):
    """vars_: global var ids; rows: list of (dict var->coef, rhs).
    Returns (lo, hi, status) arrays over vars_ (floats, before rounding)."""
    n = len(vars_)
    loc = {v: i for i, v in enumerate(vars_)}
    data, ri, ci, b = [], [], [], []
    for r, (coefs, rhs) in enumerate(rows):
        for v, c in coefs.items():
            if c != 0:
                data.append(c)
                ri.append(r)
                ci.append(loc[v])
        b.append(rhs)
    A = csr_matrix((data, (ri, ci)), shape=(len(rows), n))
    b = np.array(b, dtype=float)
    l = np.array([lb[v] for v in vars_], dtype=float)
    u = np.array([ub[v] for v in vars_], dtype=float)
    # An unbounded maximisation made HiGHS (scipy 1.10.1, Debian 12) abort
    # the process (std::length_error in highs-ds, found 2026-11-29 on a
    # relec --layout aggregate --region table): a cell without an upper
    # bound gets BIG instead, and a maximum at BIG means no upper bound.
    bounds = [(l[i], BIG if math.isinf(u[i]) else u[i]) for i in range(n)]
    nlp = 0

    def lp(c):
        nonlocal nlp
        nlp += 1
        return linprog(c, A_eq=A, b_eq=b, bounds=bounds, method="highs")

    res = lp(np.zeros(n))
    if res.status == 2:
        return None, None, "infeasible", nlp
    if res.status != 0:
        return None, None, "solver: " + res.message, nlp
    seen_lo = res.x.copy()
    seen_hi = res.x.copy()
    lo = np.empty(n)
    hi = np.empty(n)
    for i in range(n):
        # min x_i (skip when a known feasible point already sits on the bound)
        if seen_lo[i] <= l[i] + EPS:
            lo[i] = l[i]
        else:
            c = np.zeros(n)
            c[i] = 1.0
            r = lp(c)
            if r.status != 0:
                return None, None, "solver: " + r.message, nlp
            lo[i] = r.fun
            np.minimum(seen_lo, r.x, out=seen_lo)
            np.maximum(seen_hi, r.x, out=seen_hi)
        if not math.isinf(u[i]) and seen_hi[i] >= u[i] - EPS:
            hi[i] = u[i]
        else:
            c = np.zeros(n)
            c[i] = -1.0
            r = lp(c)
            if r.status == 3:
                hi[i] = math.inf
            elif r.status != 0:
                return None, None, "solver: " + r.message, nlp
            elif math.isinf(u[i]) and -r.fun >= BIG * (1 - 1e-9):
                hi[i] = math.inf
                np.minimum(seen_lo, r.x, out=seen_lo)
            else:
                hi[i] = -r.fun
                np.minimum(seen_lo, r.x, out=seen_lo)
                np.maximum(seen_hi, r.x, out=seen_hi)
    if use_ilp:
        lo, hi, k = ilp_refine(A, b, l, u, lo, hi)
        nlp += k
    return lo, hi, "ok", nlp


def ilp_refine(A, b, l, u, lo, hi):
    """Integer bounds (exact attacker knowledge) by MILP, starting from the
    LP bounds (which are valid, so they are added as bounds)."""
    from scipy.optimize import milp, LinearConstraint, Bounds
    n = len(l)
    L = np.maximum(l, np.ceil(lo - EPS))
    U = np.where(np.isinf(hi), np.inf, np.minimum(u, np.floor(hi + EPS)))
    cons = LinearConstraint(A, b, b)
    integ = np.ones(n)
    calls = 0
    nlo, nhi = L.copy(), U.copy()
    for i in range(n):
        for sgn in (1.0, -1.0):
            if sgn < 0 and math.isinf(U[i]):
                continue
            if (sgn > 0 and L[i] == U[i]) or (sgn < 0 and nlo[i] == nhi[i]):
                continue
            c = np.zeros(n)
            c[i] = sgn
            calls += 1
            r = milp(c, constraints=cons, integrality=integ,
                     bounds=Bounds(L, U))
            if r.status != 0 or r.x is None:
                continue            # keep the LP bound (still valid)
            if sgn > 0:
                nlo[i] = max(nlo[i], round(r.fun))
            else:
                nhi[i] = min(nhi[i], round(-r.fun))
    return nlo, nhi, calls


def fmt_bound(v):
    return "inf" if math.isinf(v) else str(int(v))


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="LP attack on a suppressed aggregate table: bounds every "
        "hidden cell (<K, x) from the additive structure.")
    ap.add_argument("table")
    ap.add_argument("--min-width", default="auto",
                    help="a <K cell (or an x cell proven to lie in [1,K-1]) "
                    "leaks when hi-lo < W after integer rounding. 'auto' "
                    "(default): W = min(2, K-2), i.e. for K=5 at least three "
                    "of the four values 1..4 must stay possible; 'full': "
                    "W = K-2, no narrowing of [1,K-1] at all; or an integer")
    ap.add_argument("--k", type=int, default=None,
                    help="threshold K used for x cells (default: largest K "
                    "among the table's <K cells, else 5)")
    ap.add_argument("--strict-x", action="store_true",
                    help="also count an exactly disclosed x cell (any value) "
                    "as a leak")
    ap.add_argument("--child-scope", choices=["indicator", "parent"],
                    default="indicator",
                    help="which children make a total (see README)")
    ap.add_argument("--ilp", action="store_true",
                    help="refine LP bounds to exact integer bounds (MILP)")
    ap.add_argument("--truth", help="CSV of true counts, same keys: check "
                    "that each true value lies in its interval (self-test)")
    ap.add_argument("--only-narrowed", action="store_true",
                    help="print only hidden cells that were narrowed")
    ap.add_argument("--csv", help="also write the intervals to this CSV")
    ap.add_argument("-q", "--quiet", action="store_true",
                    help="print the summary only")
    a = ap.parse_args(argv)

    t0 = time.time()
    cells = read_table(a.table)
    ks = [c.k for c in cells.values() if c.kind == "lt"]
    kx = a.k if a.k is not None else (max(ks) if ks else 5)

    def width_needed(k):
        if a.min_width == "auto":
            return max(0, min(2, k - 2))
        if a.min_width == "full":
            return max(0, k - 2)
        try:
            return int(a.min_width)
        except ValueError:
            die("--min-width: 'auto', 'full' or an integer")

    width_needed(kx)

    # variables: hidden cells
    hidden = [c for c in cells.values() if c.kind in ("lt", "x")]
    lb, ub = [], []
    for i, c in enumerate(hidden):
        c.var = i
        if c.kind == "lt":
            lb.append(1.0)
            ub.append(float(c.k - 1))
        else:
            lb.append(0.0)
            ub.append(math.inf)

    rels, rstats = infer_relations(cells, a.child_scope)

    # turn relations into rows over variables
    rows = []
    n_dropped_na = n_known_ok = 0
    inconsistent = []
    for parent, kids in rels:
        coefs = defaultdict(float)
        rhs = 0.0
        ok = True
        for key, sgn in [(parent, 1.0)] + [(k, -1.0) for k in kids]:
            c = cells[key]
            if c.kind == "na":
                ok = False
                break
            if c.kind == "num":
                rhs -= sgn * c.value
            else:
                coefs[c.var] += sgn
        if not ok:
            n_dropped_na += 1
            continue
        coefs = {v: x for v, x in coefs.items() if x != 0}
        if not coefs:
            if abs(rhs) > EPS:
                inconsistent.append((parent, kids, rhs))
            else:
                n_known_ok += 1
            continue
        rows.append((coefs, rhs))

    # independent connected components
    dsu = DSU(len(hidden))
    for coefs, _ in rows:
        vs = list(coefs)
        for v in vs[1:]:
            dsu.union(vs[0], v)
    comp_rows = defaultdict(list)
    for r in rows:
        comp_rows[dsu.find(next(iter(r[0])))].append(r)
    comp_vars = defaultdict(list)
    for v in range(len(hidden)):
        comp_vars[dsu.find(v)].append(v)

    LO = list(lb)
    HI = list(ub)
    status = ["free"] * len(hidden)      # free: in no usable relation
    n_lp = 0
    n_infeasible_comp = 0
    biggest = 0
    for root, vs in comp_vars.items():
        rs = comp_rows.get(root)
        if not rs:
            continue
        biggest = max(biggest, len(vs))
        lo, hi, st, k = solve_component(vs, rs, lb, ub, a.ilp)
        n_lp += k
        if st != "ok":
            n_infeasible_comp += 1
            sys.stderr.write("lp_attack.py: warning: component of %d hidden "
                             "cells / %d sums: %s\n" % (len(vs), len(rs), st))
            for v in vs:
                status[v] = "infeasible"
            continue
        for i, v in enumerate(vs):
            LO[v] = max(lb[v], math.ceil(lo[i] - EPS))
            HI[v] = hi[i] if math.isinf(hi[i]) else \
                min(ub[v], math.floor(hi[i] + EPS))
            status[v] = "ok"

    truth = None
    if a.truth:
        tcells = read_table(a.truth)
        truth = {}
        for key, c in tcells.items():
            if c.kind == "num":
                truth[key] = c.value

    # judge
    out = []
    counts = defaultdict(int)
    leaks = 0
    truth_bad = 0
    for c in hidden:
        v = c.var
        lo, hi = LO[v], HI[v]
        k = c.k if c.kind == "lt" else kx
        W = width_needed(k)
        verdict = []
        if status[v] == "infeasible":
            verdict.append("INFEASIBLE")
        else:
            if c.kind == "lt":
                narrowed = lo > 1 or hi < k - 1
                small = True
            else:
                narrowed = lo > 0 or hi <= kx - 1
                small = lo >= 1 and hi <= kx - 1
            exact = lo == hi
            w2 = (hi - lo) < 2
            leak = (small and (hi - lo) < W) or \
                (a.strict_x and c.kind == "x" and exact)
            cls = "<K" if c.kind == "lt" else "x"
            counts[(cls, "cells")] += 1
            if narrowed:
                counts[(cls, "narrowed")] += 1
                verdict.append("narrowed")
            if w2:
                counts[(cls, "width<2")] += 1
            if exact:
                counts[(cls, "exact")] += 1
                verdict.append("EXACT")
            if leak:
                counts[(cls, "leak")] += 1
                leaks += 1
                verdict.append("LEAK")
            if not verdict:
                verdict.append("ok")
        tv = ""
        if truth is not None:
            t = truth.get(c.key)
            tv = "" if t is None else str(t)
            if t is not None and status[v] == "ok" and not (lo <= t <= hi):
                truth_bad += 1
                verdict.append("TRUTH-OUTSIDE")
        out.append((c, lo, hi, ",".join(verdict), tv))
    for c in hidden:
        if status[c.var] == "infeasible":
            counts[("<K" if c.kind == "lt" else "x", "infeasible")] += 1

    def keystr(c):
        return "\t".join(c.shown)

    if not a.quiet:
        hdr = KEY + ["published", "lo", "hi", "verdict"]
        if truth is not None:
            hdr.append("true")
        print("\t".join(hdr))
        for c, lo, hi, verdict, tv in sorted(out, key=lambda t: t[0].key):
            if a.only_narrowed and verdict == "ok":
                continue
            line = [keystr(c), c.raw.strip(), fmt_bound(lo),
                    fmt_bound(hi), verdict]
            if truth is not None:
                line.append(tv)
            print("\t".join(line))
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(KEY + ["published", "lo", "hi", "verdict"] +
                       (["true"] if truth is not None else []))
            for c, lo, hi, verdict, tv in sorted(out, key=lambda t: t[0].key):
                w.writerow(list(c.shown) +
                           [c.raw.strip(), fmt_bound(lo), fmt_bound(hi),
                            verdict] + ([tv] if truth is not None else []))

    el = time.time() - t0
    nlt = sum(1 for c in hidden if c.kind == "lt")
    nx = len(hidden) - nlt
    P = print
    P("# ---- summary: %s" % a.table)
    P("# cells: %d (hidden: %d = %d <K + %d x; not available: %d)"
      % (len(cells), len(hidden), nlt, nx,
         sum(1 for c in cells.values() if c.kind == "na")))
    P("# sums used: %d with a hidden cell, %d fully published and consistent,"
      " %d dropped (a '..'/empty cell), %d fully published but INCONSISTENT"
      " (dropped)" % (len(rows), n_known_ok, n_dropped_na, len(inconsistent)))
    for k in sorted(rstats):
        P("#   %s: %d" % (k, rstats[k]))
    for parent, kids, rhs in inconsistent[:5]:
        P("#   inconsistent: %s != sum of %d children (diff %+g)"
          % ("|".join(parent), len(kids), -rhs))
    P("# components: %d with sums (largest %d hidden cells), %d infeasible; "
      "LP%s solved: %d" % (sum(1 for r in comp_vars if r in comp_rows),
                           biggest, n_infeasible_comp,
                           "+MILP" if a.ilp else "", n_lp))
    P("# a-priori: <K in [1,K-1]; x in [0,inf). x 'narrowed' = proven >0 or "
      "proven <K (K=%d)" % kx)
    P("# protection rule: min-width %s (leak when hi-lo < W for a <K cell, or "
      "an x cell proven in [1,K-1])%s"
      % (a.min_width, "; strict-x: exact x is a leak" if a.strict_x else ""))
    P("# %-6s %7s %9s %8s %6s %6s" % ("class", "hidden", "narrowed",
                                       "width<2", "exact", "LEAKS"))
    for cls, n in (("<K", nlt), ("x", nx)):
        P("# %-6s %7d %9d %8d %6d %6d" % (
            cls, n, counts[(cls, "narrowed")], counts[(cls, "width<2")],
            counts[(cls, "exact")], counts[(cls, "leak")]))
    P("# %-6s %7d %9d %8d %6d %6d" % (
        "all", len(hidden),
        counts[("<K", "narrowed")] + counts[("x", "narrowed")],
        counts[("<K", "width<2")] + counts[("x", "width<2")],
        counts[("<K", "exact")] + counts[("x", "exact")], leaks))
    if truth is not None:
        P("# truth check: %d hidden cells with a true value outside their "
          "interval (must be 0)" % truth_bad)
    P("# time: %.2f s" % el)
    if truth_bad:
        return 2
    if leaks:
        P("# RESULT: LEAK (%d cells)" % leaks)
        return 1
    if n_infeasible_comp:
        P("# RESULT: no leak found, but %d component(s) infeasible"
          % n_infeasible_comp)
        return 3
    P("# RESULT: no leak")
    return 0


if __name__ == "__main__":
    sys.exit(main())
