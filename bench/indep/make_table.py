#!/usr/bin/python3
"""make_table.py - a realistic table of TRUE counts in the aggregate ("long")
layout, from random data, for exercising lp_attack.py.

6 RELEC countries + ALL, 3 months + their quarter, several indicators, a
sex x age_group cross-tab with both margins (nationality TOTAL) and a
nationality breakdown with TOTAL (sex and age_group total). Every cell is
published (zeros included), so each breakdown is exhaustive.

Usage: make_table.py [--seed N] [--indicators N] [--scale F] [--year Y]
                     [--quarter Q | --full-year] [-o OUT.csv]
"""
import argparse
import csv
import math
import random
import sys

COUNTRIES = ["AFG", "BGD", "IRN", "IRQ", "PAK", "TUR"]
CSCALE = {"AFG": 1.0, "BGD": 0.7, "IRN": 1.4, "IRQ": 0.5, "PAK": 1.8,
          "TUR": 2.5}
# indicator -> mean count per country-month (before country scale)
INDICATORS = [("thb_victims", 9), ("smuggled_migrants", 45),
              ("suspects_arrested", 12), ("irregular_entries", 140),
              ("persons_prosecuted", 5), ("migrant_deaths", 2),
              ("thb_incidents", 4), ("refusals_of_entry", 60)]
SEX = [("female", 0.30), ("male", 0.66), ("unknown", 0.04)]
AGE = [("child", 0.18), ("adult", 0.78), ("unknown", 0.04)]
NATS = ["AFG", "BGD", "IRN", "IRQ", "PAK", "SYR", "XXX"]


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 60:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--indicators", type=int, default=4,
                    help="how many indicators (1..%d)" % len(INDICATORS))
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply every expected count")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--quarter", type=int, default=1)
    ap.add_argument("--full-year", action="store_true",
                    help="12 months, 4 quarters and the year (instead of "
                    "one quarter and its 3 months)")
    ap.add_argument("-o", "--out", default="-")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    inds = INDICATORS[:max(1, min(a.indicators, len(INDICATORS)))]
    if a.full_year:
        months = ["%d-%02d" % (a.year, m) for m in range(1, 13)]
    else:
        months = ["%d-%02d" % (a.year, m)
                  for m in range(3 * a.quarter - 2, 3 * a.quarter + 1)]

    def parents(m):                     # the month and the periods above it
        q = "%d-Q%d" % (a.year, (int(m[5:]) + 2) // 3)
        return [m, q, str(a.year)] if a.full_year else [m, q]

    # micro counts: (country, month, indicator, sex, age, nat) -> n
    micro = {}
    for c in COUNTRIES:
        # each country sees its own mix of nationalities (own nationals,
        # neighbours), Dirichlet-like weights
        w = [rng.gammavariate(0.6, 1.0) + (2.0 if n == c else 0.0)
             for n in NATS]
        pn = [x / sum(w) for x in w]
        for m in months:
            season = rng.uniform(0.7, 1.3)
            for ind, base in inds:
                lam = base * CSCALE[c] * season * a.scale
                for s, ps in SEX:
                    for g, pg in AGE:
                        for n, pnat in zip(NATS, pn):
                            micro[(c, m, ind, s, g, n)] = poisson(
                                rng, lam * ps * pg * pnat)

    agg = {}

    def add(key, v):
        agg[key] = agg.get(key, 0) + v

    T = "TOTAL"
    for (c, m, ind, s, g, n), v in micro.items():
        for cc in (c, "ALL"):
            for p in parents(m):
                for ss in (s, "total"):
                    for gg in (g, "total"):
                        add((cc, p, ind, ss, gg, T), v)
                add((cc, p, ind, "total", "total", n), v)

    f = sys.stdout if a.out == "-" else open(a.out, "w", newline="")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["reporting_country", "reporting_period", "indicator", "sex",
                "age_group", "nationality", "value", "flag"])
    order_c = {c: i for i, c in enumerate(COUNTRIES + ["ALL"])}
    for key in sorted(agg, key=lambda k: (k[2], order_c[k[0]], k[1], k[3],
                                         k[4], k[5])):
        w.writerow(list(key) + [agg[key], ""])
    if f is not sys.stdout:
        f.close()


if __name__ == "__main__":
    main()
