#!/usr/bin/python3
"""naive_suppress.py - primary suppression only: every count 1..K-1 in the
`value` column becomes `<K`; zeros and counts >= K stay as they are; no
secondary suppression. Other columns are copied unchanged.

--secondary adds a deliberately simple secondary suppression, to give
lp_attack.py tables with `x` cells: in every sum (total = its children, as
lp_attack.py infers them) that holds exactly one hidden cell, the smallest
published positive cell of that sum is also hidden as `x`; repeated until no
sum holds exactly one hidden cell. This is the textbook "no lone hidden cell
per row" rule; it does NOT protect against combining several sums, which is
what lp_attack.py is for. It is not the tool's method (which was not read).

Usage: naive_suppress.py TRUE.csv [--k 5] [--secondary] [-o OUT.csv]
"""
import argparse
import csv
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("table")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--secondary", action="store_true",
                    help="also hide cells so that no sum has one lone "
                    "hidden cell (weak heuristic, see the docstring)")
    ap.add_argument("-o", "--out", default="-")
    a = ap.parse_args()
    with open(a.table, newline="", encoding="utf-8-sig") as f:
        rd = csv.reader(f)
        hdr = next(rd)
        vi = [h.strip() for h in hdr].index("value")
        rows = list(rd)
    n = 0
    for r in rows:
        s = r[vi].strip()
        if s.isdigit() and 1 <= int(s) <= a.k - 1:
            r[vi] = "<%d" % a.k
            n += 1
    nx = 0
    if a.secondary:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import lp_attack as L
        cells = L.read_table(a.table)          # same row order as `rows`
        keys = list(cells)
        row_of = {k: rows[i] for i, k in enumerate(keys)}
        rels, _ = L.infer_relations(cells, "indicator")
        groups = [[p] + kids for p, kids in rels]

        def hidden(k):
            v = row_of[k][vi].strip()
            return v.startswith("<") or v == "x"

        changed = True
        while changed:
            changed = False
            for g in groups:
                h = [k for k in g if hidden(k)]
                if len(h) != 1:
                    continue
                cand = [k for k in g if not hidden(k)
                        and row_of[k][vi].strip().isdigit()
                        and int(row_of[k][vi]) > 0]
                if not cand:
                    continue
                best = min(cand, key=lambda k: (int(row_of[k][vi]),
                                                k == g[0]))
                row_of[best][vi] = "x"
                nx += 1
                changed = True
    out = sys.stdout if a.out == "-" else open(a.out, "w", newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(hdr)
    for r in rows:
        w.writerow(r)
    if out is not sys.stdout:
        out.close()
    sys.stderr.write("naive_suppress.py: %d of %d cells -> <%d, %d -> x\n"
                     % (n, len(rows), a.k, nx))


if __name__ == "__main__":
    main()
