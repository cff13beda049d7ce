#!/usr/bin/env python3
"""Where the missed pairs of a `relec dedup` run on the independent
regional file go: never compared (by what the two rows hold), or compared
and left out (by the evidence beyond the name), with the false pairs of
the same kind that weigh 10 or more (how ambiguous that kind is).

usage: dedup-misses.py PERSONS.csv TRUTH.csv OUT.csv EXPLAIN.csv

EXPLAIN is `relec dedup --explain FILE --floor -1e9` of the same run (every
compared pair). Prints two Markdown tables; everything is computed from
the files.
"""
import csv
import itertools
import sys
from collections import Counter, defaultdict


def kind(r):
    """The kind of a compared pair left out, from its --explain row."""
    if "veto: " in r["rule"]:
        return "vetoed: " + r["rule"].split("veto: ")[1]
    if "refused" in r["rule"]:
        return "refused for the cluster's sake"
    name, father = r["name_level"], r["father_level"]
    if not name.startswith(("exact", "key(", "swap")):
        return "the names only alike (%s)" % name.split(">")[0].split("(")[0]
    if father.startswith(("exact", "key(")):
        return "name and father agree, no birth date on a side"
    year = (r["dob_level"].startswith("years") or r["dob_level"] == "month"
            or r["age_level"].startswith("within"))
    if father == "missing" and year:
        return "name and birth year (a year-only date or an age), no father on a side"
    if father == "missing" and r["dob_level"] == r["age_level"] == "missing":
        return "name only (no father, date or age on a side)"
    return "other"


def main():
    persons, truth, out, explain = sys.argv[1:5]
    with open(persons, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(truth, newline="", encoding="utf-8") as f:
        of = {r[0]: r[1] for r in csv.reader(f)}
    with open(out, newline="", encoding="utf-8") as f:
        clu = [r["cluster_id"] for r in csv.DictReader(f)]
    ent = [of[r["person_id"]] for r in rows]
    left, false, compared = Counter(), Counter(), set()
    with open(explain, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            a, b = int(r["left_row"]) - 2, int(r["right_row"]) - 2
            compared.add((min(a, b), max(a, b)))
            if clu[a] == clu[b]:
                continue
            if ent[a] == ent[b]:
                left[kind(r)] += 1
            elif float(r["match_weight"]) >= 10:
                false[kind(r)] += 1
    members = defaultdict(list)
    for i, e in enumerate(ent):
        members[e].append(i)
    never = Counter()
    for ids in members.values():
        for a, b in itertools.combinations(ids, 2):
            if (a, b) in compared or clu[a] == clu[b]:
                continue
            x, y = rows[a], rows[b]
            dob = ("birth dates on both" if x["date_of_birth"] and y["date_of_birth"]
                   else "a birth date on one side or none")
            fa = ("fathers on both" if x["father_name"] and y["father_name"]
                  else "a father on one side or none")
            same = (x["family_name"] + x["given_name"]).upper() == (y["family_name"] + y["given_name"]).upper()
            never[(dob, fa, "same name" if same else "names differ")] += 1
    print("| missed, never compared: the two rows hold | true pairs |")
    print("| --- | --- |")
    for k, n in never.most_common():
        print("| %s | %d |" % (", ".join(k), n))
    print()
    print("| missed, compared: left out as | true pairs | false pairs >= 10 of that kind |")
    print("| --- | --- | --- |")
    for k, n in left.most_common():
        print("| %s | %d | %d |" % (k, n, false[k]))


if __name__ == "__main__":
    main()
