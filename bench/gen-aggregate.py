#!/usr/bin/env python3
"""Synthetic aggregate tables whose breakdowns add up (bench-aggregate.sh).

Usage: gen-aggregate.py ROWS OUT.csv

For each country, month and indicator, base counts by sex (3), age group
(3), nationality (7) and border type (3); every row with one or more of
those four columns at its total holds the sum over them, so each total is
its breakdowns' sum. Base counts 1 to 4 are written <5 (a total is exact:
it is the sum of exact counts). reason and partner_country are TOTAL. Rows
come in blocks of 4 x 4 x 8 x 4 = 512 per (country, month, indicator),
until ROWS rows are written.
"""
import itertools
import random
import sys

rows, out = int(sys.argv[1]), sys.argv[2]
random.seed(7)
countries = ["AFG", "BGD", "IRN", "IRQ", "PAK", "TUR"]
inds = ["refusals_of_entry", "offloaded_passengers", "deportees_received",
        "returns_forced", "thb_victims", "smuggled_migrants"]
dims = [["female", "male", "unknown"], ["child", "adult", "unknown"],
        ["AFG", "PAK", "IRN", "IRQ", "SYR", "BGD", "IND"],
        ["land", "air", "sea"]]
totals = ["total", "total", "TOTAL", "total"]
n = 0
with open(out, "w") as f:
    f.write("reporting_country,reporting_period,indicator,sex,age_group,"
            "nationality,border_type,reason,partner_country,value\n")
    for y in itertools.count(2000):
        for m, c, ind in itertools.product(range(1, 13), countries, inds):
            base = {k: random.choice([0, 0, 1, 3, 6, 12, 40])
                    for k in itertools.product(*dims)}
            sums = {}  # every cell, totals included: sums over the base
            for k, val in base.items():
                for mask in itertools.product((0, 1), repeat=4):
                    cell = tuple(totals[i] if mask[i] else k[i] for i in range(4))
                    sums[cell] = sums.get(cell, 0) + val
            for cell in itertools.product(*[d + [t] for d, t in zip(dims, totals)]):
                if n == rows:
                    sys.exit(0)
                v = sums[cell]
                shown = "<5" if 1 <= v <= 4 else str(v)
                f.write(f"{c},{y}-{m:02d},{ind},{cell[0]},{cell[1]},{cell[2]},"
                        f"{cell[3]},TOTAL,TOTAL,{shown}\n")
                n += 1
