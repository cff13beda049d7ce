#!/usr/bin/env python3
"""eval_pairs.py - pairwise precision / recall / F1 of a deduplication result.

Truth file: either person_id,entity_id (truth.csv: rows with the same
entity_id are the same real person) or person_id_a,person_id_b (truth_ab.csv:
the true cross pairs between two files).

Prediction: a CSV with person_id and a cluster column (--cluster-col,
default cluster_id), or --pairs FILE with person_id_a,person_id_b.

    eval_pairs.py truth.csv result.csv [--cluster-col cluster_id]
    eval_pairs.py truth.csv --pairs links.csv [--closure]
    eval_pairs.py truth_ab.csv --pairs links.csv
    eval_pairs.py truth_ab.csv result.csv --a country_a.csv --b country_b.csv

A pair is an unordered pair of different person_ids.  With clusters, the
predicted pairs are all pairs inside a cluster; they are counted from cluster
sizes and cluster x entity co-membership counts, never enumerated, so a
million rows and very large clusters cost only a few seconds.

Rules: persons of the truth missing from a cluster file, or with an empty
cluster value, are singletons; persons not in the truth are ignored (and
counted).  Precision with no predicted pair is reported as undefined and
F1 as 0.  Standard library only.
"""

import argparse
import csv
import json
import sys
from collections import Counter

csv.field_size_limit(1 << 30)


def c2(n):
    return n * (n - 1) // 2


def read_header(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return next(csv.reader(f), [])


def read_columns(path, cols):
    """Yields tuples of the named columns."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        r = csv.reader(f)
        head = next(r, None)
        if head is None:
            sys.exit("%s: empty file" % path)
        head = [h.strip() for h in head]
        try:
            idx = [head.index(c) for c in cols]
        except ValueError:
            sys.exit("%s: needs columns %s, has %s" % (path, ", ".join(cols), ", ".join(head)))
        m = max(idx)
        for row in r:
            if len(row) <= m:
                if not row:
                    continue
                row = row + [""] * (m + 1 - len(row))
            yield tuple(row[i] for i in idx)


def read_pairs(path, known=None):
    """Set of unordered pairs (a, b) with a < b; self-pairs dropped."""
    pairs = set()
    unknown = 0
    for a, b in read_columns(path, ("person_id_a", "person_id_b")):
        a, b = a.strip(), b.strip()
        if not a or not b or a == b:
            continue
        if known is not None and (a not in known or b not in known):
            unknown += 1
            continue
        pairs.add((a, b) if a < b else (b, a))
    return pairs, unknown


class UF:
    def __init__(self):
        self.p = {}

    def find(self, x):
        p = self.p
        root = x
        while p.get(root, root) != root:
            root = p[root]
        while p.get(x, x) != root:
            nxt = p[x]
            p[x] = root
            x = nxt
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[ra] = rb


def components(ids, pairs):
    uf = UF()
    for a, b in pairs:
        uf.union(a, b)
    return {i: uf.find(i) for i in ids}


def summary(tp, npred, ntrue):
    prec = tp / npred if npred else None
    rec = tp / ntrue if ntrue else None
    if prec is None or rec is None or prec + rec == 0:
        f1 = 0.0
    else:
        f1 = 2 * prec * rec / (prec + rec)
    return prec, rec, f1


def cluster_vs_entity(truth, pred):
    """truth: pid -> entity; pred: pid -> cluster (for the same pids)."""
    ne = Counter(truth.values())
    nc = Counter()
    nce = Counter()
    for pid, e in truth.items():
        c = pred.get(pid)
        if c is None or c == "":
            c = ("\0single", pid)
        nc[c] += 1
        nce[(c, e)] += 1
    tp = sum(c2(n) for n in nce.values())
    npred = sum(c2(n) for n in nc.values())
    ntrue = sum(c2(n) for n in ne.values())
    return tp, npred, ntrue, len(nc), max(nc.values()) if nc else 0


def hard_negative_merges(truth, pred, groups):
    """Predicted pairs joining two DIFFERENT people of one hard-negative group
    (common-name group or siblings), per group kind."""
    n_cg = Counter()
    n_ce = Counter()
    for pid, e in truth.items():
        g = groups.get(e)
        if g is None:
            continue
        c = pred.get(pid)
        if c is None or c == "":
            continue
        n_cg[(c, g)] += 1
        n_ce[(c, e)] += 1
    out = Counter()
    for (c, g), n in n_cg.items():
        out[g[0]] += c2(n)
    for (c, e), n in n_ce.items():
        out[groups[e][0]] -= c2(n)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="pairwise precision/recall/F1 of a dedup result")
    ap.add_argument("truth", help="truth.csv (person_id,entity_id) or truth_ab.csv "
                                  "(person_id_a,person_id_b)")
    ap.add_argument("pred", nargs="?", help="result CSV with person_id and a cluster column")
    ap.add_argument("--cluster-col", default="cluster_id")
    ap.add_argument("--id-col", default="person_id")
    ap.add_argument("--pairs", help="predicted pairs CSV (person_id_a,person_id_b) instead")
    ap.add_argument("--closure", action="store_true",
                    help="with --pairs and an entity truth: score the transitive "
                         "closure (connected components) of the pairs as clusters")
    ap.add_argument("--a", help="with a pair truth and a cluster result: file A (person_id)")
    ap.add_argument("--b", help="with a pair truth and a cluster result: file B (person_id)")
    ap.add_argument("--entities", help="entities.csv of the generator: also count "
                    "predicted pairs that merge different people of one common-name "
                    "or sibling group (hard negatives)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args(argv)
    if bool(a.pred) == bool(a.pairs):
        ap.error("give either a cluster result file or --pairs FILE")

    head = [h.strip() for h in read_header(a.truth)]
    pair_truth = "person_id_a" in head and "person_id_b" in head
    out = {}
    if not pair_truth:
        truth = dict(read_columns(a.truth, ("person_id", "entity_id")))
        out["truth_rows"] = len(truth)
        if a.pred:
            pred = {}
            outside = 0
            for pid, c in read_columns(a.pred, (a.id_col, a.cluster_col)):
                if pid in truth:
                    pred[pid] = c.strip()
                else:
                    outside += 1
            out["result_rows_not_in_truth"] = outside
            out["truth_rows_missing_from_result"] = len(truth) - len(pred)
            tp, npred, ntrue, ncl, big = cluster_vs_entity(truth, pred)
            hn_pred = pred
        else:
            pairs, unknown = read_pairs(a.pairs, truth)
            out["pairs_with_unknown_person"] = unknown
            comp = components(truth.keys(), pairs)
            hn_pred = comp
            if a.closure:
                tp, npred, ntrue, ncl, big = cluster_vs_entity(truth, comp)
                out["scored"] = "transitive closure of the pairs"
            else:
                tp = sum(1 for x, y in pairs if truth[x] == truth[y])
                hn_pred = None
                npred = len(pairs)
                ntrue = sum(c2(n) for n in Counter(truth.values()).values())
                sizes = Counter(comp.values())
                ncl, big = len(sizes), max(sizes.values()) if sizes else 0
                out["scored"] = "pairs as listed (clusters = connected components)"
    else:
        tpairs, _ = read_pairs(a.truth)
        out["true_cross_pairs"] = len(tpairs)
        if a.pairs:
            pairs, _ = read_pairs(a.pairs)
            if a.a and a.b:       # keep only the cross pairs A x B
                ida = {x for (x,) in read_columns(a.a, ("person_id",))}
                idb = {x for (x,) in read_columns(a.b, ("person_id",))}
                pairs = {p for p in pairs if (p[0] in ida and p[1] in idb)
                         or (p[0] in idb and p[1] in ida)}
                out["scored_only_cross_pairs"] = True
            tp = len(pairs & tpairs)
            npred = len(pairs)
            ntrue = len(tpairs)
            ids = {x for p in pairs for x in p}
            comp = components(ids, pairs)
            sizes = Counter(comp.values())
            ncl, big = len(sizes), max(sizes.values()) if sizes else 0
            out["scored"] = "listed pairs against the true cross pairs"
        else:
            if not (a.a and a.b):
                ap.error("a pair truth with a cluster result needs --a and --b "
                         "(the two person files)")
            ida = {x for (x,) in read_columns(a.a, ("person_id",))}
            idb = {x for (x,) in read_columns(a.b, ("person_id",))}
            clus = {}
            for pid, c in read_columns(a.pred, (a.id_col, a.cluster_col)):
                if c.strip():
                    clus[pid] = c.strip()
            na, nb = Counter(), Counter()
            for pid in ida:
                if pid in clus:
                    na[clus[pid]] += 1
            for pid in idb:
                if pid in clus:
                    nb[clus[pid]] += 1
            npred = sum(n * nb[c] for c, n in na.items() if c in nb)
            tp = sum(1 for x, y in tpairs
                     if clus.get(x) is not None and clus.get(x) == clus.get(y)
                     and ((x in ida and y in idb) or (x in idb and y in ida)))
            ntrue = len(tpairs)
            sizes = Counter(clus.values())
            ncl, big = len(sizes), max(sizes.values()) if sizes else 0
            out["scored"] = "cross pairs (A x B) inside the result's clusters"
    if a.entities and not pair_truth:
        groups = {}
        for eid, kind, gid in read_columns(a.entities, ("entity_id", "group_kind", "group_id")):
            if kind:
                groups[eid] = (kind, gid)
        if hn_pred is not None:
            hn = hard_negative_merges(truth, hn_pred, groups)
        else:      # listed pairs
            hn = Counter()
            for x, y in pairs:
                gx, gy = groups.get(truth[x]), groups.get(truth[y])
                if gx is not None and gx == gy and truth[x] != truth[y]:
                    hn[gx[0]] += 1
        out["false_pairs_within_common_name_groups"] = hn.get("common", 0)
        out["false_pairs_within_sibling_groups"] = hn.get("sibling", 0)
    prec, rec, f1 = summary(tp, npred, ntrue)
    out.update({"true_pairs": ntrue, "predicted_pairs": npred, "true_positive_pairs": tp,
                "precision": prec, "recall": rec, "f1": f1,
                "predicted_clusters": ncl, "largest_cluster": big})
    if a.json:
        print(json.dumps(out))
        return 0
    for k, v in out.items():
        if k in ("precision", "recall", "f1"):
            v = "undefined" if v is None else "%.4f" % v
        print("%-34s %s" % (k, v))
    return 0


if __name__ == "__main__":
    sys.exit(main())
