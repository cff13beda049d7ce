#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of a `relec dedup` output against the
ground truth of its rows.

usage: dedup-eval.py OUT.csv TRUTH_COLUMN [--split N]

TRUTH_COLUMN names the entity: for FEBRL it is rec_id (rec-N-org and
rec-N-dup-K are entity N); for the synthetic Silk Routes persons it is
true_id (the generator's entity number). With --split N the run is a
linkage of two files (rows 1..N of OUT from the first): only pairs with one
row from each side count. Prints "pairs_true pairs_found tp precision
recall f1" on one line; everything is computed from the files.
"""
import csv
import re
import sys
from collections import Counter


def entity(value, column):
    v = value.strip()
    if column == "rec_id":
        m = re.match(r"rec-(\d+)-", v)
        return m.group(1) if m else v
    return v


def pairs_within(counter):
    return sum(n * (n - 1) // 2 for n in counter.values())


def main():
    args = sys.argv[1:]
    split = None
    if "--split" in args:
        i = args.index("--split")
        split = int(args[i + 1])
        del args[i:i + 2]
    path, column = args
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ent = [entity(r[column], column) for r in rows]
    clu = [r["cluster_id"] for r in rows]
    if split is None:
        true = pairs_within(Counter(ent))
        found = pairs_within(Counter(clu))
        tp = pairs_within(Counter(zip(ent, clu)))
    else:
        def cross(keys):
            a = Counter(keys[:split])
            b = Counter(keys[split:])
            return sum(n * b[k] for k, n in a.items())
        true = cross(ent)
        found = cross(clu)
        tp = cross(list(zip(ent, clu)))
    p = tp / found if found else 1.0
    r = tp / true if true else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{true} {found} {tp} {p:.4f} {r:.4f} {f1:.4f}")


if __name__ == "__main__":
    main()
