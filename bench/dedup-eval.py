#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of a `relec dedup` output against the
ground truth of its rows, with the largest cluster, pair completeness and
an order check.

usage: dedup-eval.py OUT.csv TRUTH_COLUMN [--split N] [--truth FILE]
                     [--explain FILE] [--input FILE]

TRUTH_COLUMN names the entity: for FEBRL it is rec_id (rec-N-org and
rec-N-dup-K are entity N); for the synthetic Silk Routes persons it is
true_id (the generator's entity number). With --truth FILE (a CSV whose
first column is an id and second the entity, as the independent regional
generator's truth.csv: person_id,entity_id) TRUTH_COLUMN is the id column
of OUT looked up there. With --split N the run is a linkage of two files
(rows 1..N of OUT from the first): only pairs with one row from each side
count. With --explain FILE (a `relec dedup --explain` of the same run with
a floor low enough to list every compared pair) pair completeness is the
share of true pairs that were compared at all. With --input FILE every row
of FILE must come out once, in order, as read (OUT = FILE plus
cluster_id, match_score).

Prints "pairs_true pairs_found tp precision recall f1 largest_cluster
completeness order" on one line (completeness "-" without --explain, order
"-" without --input, else "ok" or "BROKEN"); everything is computed from
the files.
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


def option(args, name):
    if name not in args:
        return None
    i = args.index(name)
    value = args[i + 1]
    del args[i:i + 2]
    return value


def main():
    args = sys.argv[1:]
    split = option(args, "--split")
    split = int(split) if split is not None else None
    truth = option(args, "--truth")
    explain = option(args, "--explain")
    inp = option(args, "--input")
    path, column = args
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if truth:
        with open(truth, newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            next(r)
            of = {row[0]: row[1] for row in r}
        ent = [of[row[column]] for row in rows]
    else:
        ent = [entity(row[column], column) for row in rows]
    clu = [row["cluster_id"] for row in rows]
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
    largest = max(Counter(clu).values()) if clu else 0
    comp = "-"
    if explain:
        seen = set()
        with open(explain, newline="", encoding="utf-8") as f:
            pairs = list(csv.DictReader(f))
        # rows are numbered from 2 (the header is line 1) in each file; in
        # a pair across files the left one is the first file
        first = next((x["left_file"] for x in pairs
                      if x["left_file"] != x["right_file"]), None)
        for x in pairs:
            a = int(x["left_row"]) - 2
            b = int(x["right_row"]) - 2
            if split is not None:
                a += 0 if x["left_file"] == first else split
                b += 0 if x["right_file"] == first else split
                if (a < split) == (b < split):
                    continue
            if ent[a] == ent[b]:
                seen.add((min(a, b), max(a, b)))
        comp = f"{len(seen) / true:.4f}" if true else "1.0000"
    order = "-"
    if inp:
        with open(inp, newline="", encoding="utf-8") as f:
            src = list(csv.reader(f))
        with open(path, newline="", encoding="utf-8") as f:
            out = list(csv.reader(f))
        # header names are written trimmed (FEBRL's ", " separators)
        order = "ok" if len(src) == len(out) and [
            c.strip() for c in src[0]] == out[0][:-2] and all(
            o[:-2] == s for o, s in zip(out[1:], src[1:])) else "BROKEN"
    print(f"{true} {found} {tp} {p:.4f} {r:.4f} {f1:.4f} {largest} {comp} {order}")


if __name__ == "__main__":
    main()
