#!/usr/bin/python3
"""selftest.py - small hand-made tables with known answers for lp_attack.py.
Usage: selftest.py   (exit 0 when every case gives the expected result)"""
import csv
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
H = "reporting_country,reporting_period,indicator,sex,age_group,nationality,value,note\n"


def rows(*r):
    return H + "".join(x + "\n" for x in r)


def nat(c, p, n, v, ind="thb_victims"):
    return "%s,%s,%s,total,total,%s,%s," % (c, p, ind, n, v)


CASES = [
    # name, table, extra args, expected exit, {nationality/period: (lo, hi)}
    ("lone <5 in a row is disclosed",
     rows(nat("PAK", "2024-01", "TOTAL", 7), nat("PAK", "2024-01", "AFG", "<5"),
          nat("PAK", "2024-01", "IRN", 3), nat("PAK", "2024-01", "PAK", 0)),
     [], 1, {"AFG": (4, 4)}),
    ("two <5 and an x: protected",
     rows(nat("PAK", "2024-01", "TOTAL", 12), nat("PAK", "2024-01", "AFG", "<5"),
          nat("PAK", "2024-01", "IRN", "<5"), nat("PAK", "2024-01", "PAK", "x"),
          nat("PAK", "2024-01", "SYR", 5)),
     [], 0, {"AFG": (1, 4), "IRN": (1, 4), "PAK": (0, 5)}),
    ("months sum to quarter: narrowed to [2,4], ok by auto",
     rows(nat("IRN", "2024-Q1", "TOTAL", 6), nat("IRN", "2024-01", "TOTAL", "<5"),
          nat("IRN", "2024-02", "TOTAL", "<5"), nat("IRN", "2024-03", "TOTAL", 0)),
     [], 0, {"2024-01": (2, 4), "2024-02": (2, 4)}),
    ("same, --min-width full: leak",
     rows(nat("IRN", "2024-Q1", "TOTAL", 6), nat("IRN", "2024-01", "TOTAL", "<5"),
          nat("IRN", "2024-02", "TOTAL", "<5"), nat("IRN", "2024-03", "TOTAL", 0)),
     ["--min-width", "full"], 1, {"2024-01": (2, 4)}),
    ("'..' child: the sum is not used",
     rows(nat("PAK", "2024-01", "TOTAL", 7), nat("PAK", "2024-01", "AFG", "<5"),
          nat("PAK", "2024-01", "IRN", 3), nat("PAK", "2024-01", "PAK", "..")),
     [], 0, {"AFG": (1, 4)}),
    ("child value missing for this parent (indicator scope): no sum",
     rows(nat("PAK", "2024-01", "TOTAL", 7), nat("PAK", "2024-01", "AFG", "<5"),
          nat("PAK", "2024-01", "IRN", 3),
          nat("TUR", "2024-01", "TOTAL", 9), nat("TUR", "2024-01", "SYR", 9)),
     [], 0, {"AFG": (1, 4)}),
    ("same, --child-scope parent: the row is taken as exhaustive",
     rows(nat("PAK", "2024-01", "TOTAL", 7), nat("PAK", "2024-01", "AFG", "<5"),
          nat("PAK", "2024-01", "IRN", 3),
          nat("TUR", "2024-01", "TOTAL", 9), nat("TUR", "2024-01", "SYR", 9)),
     ["--child-scope", "parent"], 1, {"AFG": (4, 4)}),
    ("ALL = sum of countries, across two sums",
     rows(nat("ALL", "2024-01", "TOTAL", 20), nat("PAK", "2024-01", "TOTAL", "x"),
          nat("TUR", "2024-01", "TOTAL", 15),
          nat("PAK", "2024-01", "AFG", "<5"), nat("PAK", "2024-01", "IRN", 3),
          nat("TUR", "2024-01", "AFG", 15), nat("TUR", "2024-01", "IRN", 0),
          nat("ALL", "2024-01", "AFG", 17), nat("ALL", "2024-01", "IRN", 3)),
     [], 1, {"AFG": (2, 2)}),
    ("2x2 of <5 with margins: no single cell pinned (pairs are, see README)",
     rows("PAK,2024-01,thb_victims,female,child,TOTAL,<5,",
          "PAK,2024-01,thb_victims,female,adult,TOTAL,<5,",
          "PAK,2024-01,thb_victims,male,child,TOTAL,<5,",
          "PAK,2024-01,thb_victims,male,adult,TOTAL,<5,",
          "PAK,2024-01,thb_victims,female,total,TOTAL,5,",
          "PAK,2024-01,thb_victims,male,total,TOTAL,5,",
          "PAK,2024-01,thb_victims,total,child,TOTAL,5,",
          "PAK,2024-01,thb_victims,total,adult,TOTAL,5,",
          "PAK,2024-01,thb_victims,total,total,TOTAL,10,"),
     [], 0, {}),
    ("contradictory table: infeasible, exit 3",
     rows(nat("PAK", "2024-01", "TOTAL", 20), nat("PAK", "2024-01", "AFG", "<5"),
          nat("PAK", "2024-01", "IRN", 3)),
     [], 3, {}),
    ("x proven small and pinned is a leak",
     rows(nat("PAK", "2024-01", "TOTAL", 5), nat("PAK", "2024-01", "AFG", "x"),
          nat("PAK", "2024-01", "IRN", 3)),
     [], 1, {"AFG": (2, 2)}),
    ("x pinned to a large value: reported, leak only with --strict-x",
     rows(nat("PAK", "2024-01", "TOTAL", 50), nat("PAK", "2024-01", "AFG", "x"),
          nat("PAK", "2024-01", "IRN", 30)),
     [], 0, {"AFG": (20, 20)}),
    ("same with --strict-x: leak",
     rows(nat("PAK", "2024-01", "TOTAL", 50), nat("PAK", "2024-01", "AFG", "x"),
          nat("PAK", "2024-01", "IRN", 30)),
     ["--strict-x"], 1, {"AFG": (20, 20)}),
    ("optional columns present: border_type sums to total",
     "reporting_country,reporting_period,indicator,sex,age_group,nationality,"
     "border_type,reason,partner_country,value,flag\n"
     "TUR,2024,refusals_of_entry,total,total,TOTAL,total,TOTAL,TOTAL,40,\n"
     "TUR,2024,refusals_of_entry,total,total,TOTAL,land,TOTAL,TOTAL,<5,\n"
     "TUR,2024,refusals_of_entry,total,total,TOTAL,sea,TOTAL,TOTAL,x,\n"
     "TUR,2024,refusals_of_entry,total,total,TOTAL,air,TOTAL,TOTAL,38,\n",
     [], 1, {"TOTAL": (1, 2)}),
    ("two <5 summing to 3: each pinned to {1,2}, a leak by auto",
     rows(nat("PAK", "2024-01", "TOTAL", 3), nat("PAK", "2024-01", "AFG", "<5"),
          nat("PAK", "2024-01", "IRN", "<5"), nat("PAK", "2024-01", "PAK", 0)),
     [], 1, {"AFG": (1, 2), "IRN": (1, 2)}),
]


def main():
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        for i, (name, table, args, rc, want) in enumerate(CASES):
            t = os.path.join(d, "t%d.csv" % i)
            o = os.path.join(d, "o%d.csv" % i)
            with open(t, "w") as f:
                f.write(table)
            for ilp in ([], ["--ilp"]):
                p = subprocess.run([sys.executable or "/usr/bin/python3",
                                    os.path.join(HERE, "lp_attack.py"), t,
                                    "--csv", o, "-q"] + args + ilp,
                                   capture_output=True, text=True)
                got = {}
                if os.path.exists(o):
                    for r in csv.DictReader(open(o)):
                        for k in (r["nationality"], r["reporting_period"]):
                            got.setdefault(k, (int(r["lo"]), int(r["hi"])))
                ok = p.returncode == rc and all(
                    got.get(k) == v for k, v in want.items())
                print("%s  %s%s" % ("ok  " if ok else "FAIL", name,
                                    " (--ilp)" if ilp else ""))
                if not ok:
                    bad += 1
                    print("   exit %d (want %d), got %s, want %s\n%s"
                          % (p.returncode, rc, got, want, p.stdout + p.stderr))
                if os.path.exists(o):
                    os.remove(o)
    print("%d failure(s)" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
