#!/usr/bin/env python3
"""gen-national.py: national files for bench/bench-merge.sh, in the shapes of
examples/national/ (Pakistan FIA English, Afghanistan Dari with Solar Hijri
dates in Persian digits, Iraq Arabic with YYYYMMDD) for six countries, and
maps for them derived from examples/maps/.

usage: gen-national.py OUTDIR TOTAL_ROWS
Writes OUTDIR/{pak,tur,bgd}.csv (FIA shape), OUTDIR/{afg,irn}.csv (Dari
shape), OUTDIR/irq.csv (Arabic shape) and OUTDIR/<c>.yaml maps. Rows are
made from the example rows with a running case number and a date that
walks through the year, so ids are unique and values realistic.
"""
import os, sys, re, csv

out, total = sys.argv[1], int(sys.argv[2])
here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(here)
ex = os.path.join(top, "examples")
per = total // 6
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

def rows(name):
    with open(os.path.join(ex, "national", name), encoding="utf-8") as f:
        r = list(csv.reader(f))
    return r[0], r[1:]

def write(path, header, body, n):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i in range(n):
            w.writerow(body(i))

def mkmap(src, dst, country, abbrev):
    s = open(os.path.join(ex, "maps", src), encoding="utf-8").read()
    s = s.replace("../../schemas/incident.yaml", os.path.join(top, "schemas", "incident.yaml"))
    s = re.sub(r"reporting_country: [A-Z]{3}", "reporting_country: " + country, s)
    s = re.sub(r'template: "[A-Z]{3}-\{=incident_date:year\}', 'template: "%s-{=incident_date:year}' % country, s)
    open(os.path.join(out, dst), "w", encoding="utf-8").write(s)

os.makedirs(out, exist_ok=True)
# Pakistan shape: only the rows that map cleanly
h, b = rows("pak-fia-2025-03.csv")
good = [r for r in b if r[3] != "Kidnapping" and not r[2].startswith("31/02")]
for c, prov in (("PAK", None), ("TUR", ""), ("BGD", "")):
    def body(i, c=c, prov=prov):
        r = list(good[i % len(good)])
        r[0] = "X%07d" % i
        r[2] = "%02d/%02d/2025" % (1 + i % 28, 1 + (i // 28) % 12)
        if prov is not None: r[5] = prov
        return r
    write(os.path.join(out, c.lower() + ".csv"), h, body, per)
    mkmap("pak-fia.yaml", c.lower() + ".yaml", c, c)
# Afghanistan shape (Dari, Jalali in Persian digits)
h, b = rows("afg-moi-1403-12.csv")
for c, prov in (("AFG", None), ("IRN", "")):
    def body(i, c=c, prov=prov):
        r = list(b[i % len(b)])
        r[0] = ("ق-%07d" % i).translate(FA)
        r[2] = ("1403/%02d/%02d" % (1 + (i // 29) % 12, 1 + i % 29)).translate(FA)
        if prov is not None: r[5] = prov
        return r
    write(os.path.join(out, c.lower() + ".csv"), h, body, per)
    mkmap("afg-moi.yaml", c.lower() + ".yaml", c, c)
# Iraq shape (Arabic, YYYYMMDD, Arabic-Indic counts)
h, b = rows("irq-moi-2025-03.csv")
def body(i):
    r = list(b[i % len(b)])
    r[0] = "B%07d" % i
    r[2] = "2025%02d%02d" % (1 + (i // 28) % 12, 1 + i % 28)
    return r
write(os.path.join(out, "irq.csv"), h, body, total - 5 * per)
mkmap("irq-moi.yaml", "irq.yaml", "IRQ", "IRQ")
