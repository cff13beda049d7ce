# Irregular migration beyond detections, end to end: Afghanistan's Dari
# table of deportees received by border crossing (Solar Hijri months,
# Persian digits, "کمتر از ۵") and Pakistan FIA's return of offloaded
# passengers by ground (English/Urdu headers) through merge -> validate ->
# load -> compare; and the aggregate table's key and sums on mistakes such
# sheets make.
. tests/testlib.sh
N=examples/national
M=examples/maps
src=$N/afg-returns-1403-q4.csv

$RELEC merge --map $M/afg-returns.yaml $src -o $T/afg.csv 2>$T/err
check "Afghan returns merge with no reject (exit 0)" [ $? -eq 0 ]
check "... every row out (26 in, 26 out)" grep -q "26 rows in, 26 out, 0 rejected" $T/err
check "... each Solar Hijri month is the Gregorian month holding most of it, each count its Persian digits, کمتر از ۵ is <5" python3 -c '
import csv, sys
src = list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:]
out = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
fa = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
month = {"1403/11": "2025-02", "1403/12": "2025-03"}
ok = len(src) == len(out) == 26
for s, o in zip(src, out):
    ok = ok and o["reporting_period"] == month[s[0].translate(fa)]
    ok = ok and o["value"] == ("<5" if s[5] == "کمتر از ۵" else s[5].translate(fa))
    ok = ok and o["indicator"] == "deportees_received" and o["nationality"] == "AFG"
    ok = ok and o["border_type"] == {"اسلام قلعه": "land", "تورخم": "land", "مجموع": "total"}.get(s[1], "air")
    ok = ok and o["partner_country"] == {"ایران": "IRN", "پاکستان": "PAK", "ترکیه": "TUR", "مجموع": "TOTAL"}[s[2]]
sys.exit(0 if ok else 1)' $src $T/afg.csv

$RELEC validate -s schemas/aggregate.yaml $T/afg.csv 2>$T/err
check "... validates clean against the aggregate schema (key, <5, sums)" [ $? -eq 0 ]

# a sheet with Spin Boldak beside Torkham (both from Pakistan: one key) and
# a men's figure above its total: merge maps both, validate finds both
python3 - $src $T/bad.csv <<'PY'
import sys
rows = open(sys.argv[1], encoding="utf-8").read().splitlines()
out = [rows[0]]
for r in rows[1:]:
    out.append(r)
    if r.startswith("۱۴۰۳/۱۲,تورخم,پاکستان,مجموع,مجموع,"):
        out.append("۱۴۰۳/۱۲,سپین بولدک,پاکستان,مجموع,مجموع,۲۱۰۴")
out = [r.replace("۱۴۰۳/۱۱,اسلام قلعه,ایران,مرد,مجموع,۳۱۲۰۸", "۱۴۰۳/۱۱,اسلام قلعه,ایران,مرد,مجموع,۴۱۲۰۸") for r in out]
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
$RELEC merge --map $M/afg-returns.yaml $T/bad.csv -o $T/bad-merged.csv \
    --conflicts $T/conf.csv 2>$T/err
check "merge keys aggregate rows on the table key: the second crossing is a conflict, kept" grep -q "bad.csv:23: warning: key: 'AFG, 2025-03, deportees_received, total, total, AFG, land, TOTAL, PAK' is also at .*bad.csv:22 with different content \[conflict\]" $T/err
check "... and listed with the field that differs (value)" grep -q '^"AFG, 2025-03, deportees_received, total, total, AFG, land, TOTAL, PAK",.*bad.csv,22,.*bad.csv,23,value$' $T/conf.csv
printf '%s\n' "$(head -n 1 $src)" "$(sed -n 2p $src)" "$(sed -n 2p $src)" >$T/twice.csv
$RELEC merge --map $M/afg-returns.yaml $T/twice.csv -o $T/twice-merged.csv 2>$T/err
check "... the same row twice is a duplicate, rejected" grep -q "1 rejected" $T/err
$RELEC validate -s schemas/aggregate.yaml $T/bad-merged.csv 2>$T/err
check "a second crossing facing the same country is a repeated key (exit 1)" [ $? -eq 1 ]
check "... reported on its row [unique]" grep -q "bad-merged.csv:23: error: the key (AFG, 2025-03, deportees_received, total, total, AFG, land, TOTAL, PAK) repeats row 22; one row per key \[unique\]" $T/err
check "... and men above their total on the total's row [rule]" grep -q "bad-merged.csv:5: error: value: the 2 rows by sex of this total (from row 2) add up to 46220, more than its 36220 \[rule\]" $T/err

PY=python3
$PY -c 'import openpyxl' 2>/dev/null || PY=/usr/bin/python3
$RELEC validate -q -s schemas/aggregate.yaml -r $T/rep.xlsx $T/bad-merged.csv
check "the .xlsx report's Findings sheet has the sums finding, on the total's row" $PY -c '
import sys, openpyxl
f = list(openpyxl.load_workbook(sys.argv[1])["Findings"].iter_rows(values_only=True))[1:]
sys.exit(0 if any(r[1] == 5 and r[4] == "rule" and r[3] == "36220" for r in f) else 1)' $T/rep.xlsx

fia=$N/pak-fia-offloading-2025-02-03.csv
$RELEC merge --map $M/pak-fia-offloading.yaml $fia -o $T/pak.csv 2>$T/err
check "FIA offloading return merges with no reject (22 in, 22 out)" grep -q "22 rows in, 22 out, 0 rejected" $T/err
check "... grounds become reason codes, months periods, Less than 5 <5" python3 -c '
import csv, sys
src = list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:]
out = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
ground = {"Protector stamp not available": "P", "Suspected human smuggling / trafficking": "S",
          "Fake visa": "D", "Visa not valid": "C", "Insufficient funds": "G", "Others": "O",
          "Fake / forged passport": "B", "Total": "TOTAL"}
ok = len(src) == len(out) == 22
for s, o in zip(src, out):
    ok = ok and o["reason"] == ground[s[1]] and o["border_type"] == "air"
    ok = ok and o["reporting_period"] == s[0][3:] + "-" + s[0][:2]
    ok = ok and o["value"] == ("<5" if s[4] == "Less than 5" else s[4])
sys.exit(0 if ok else 1)' $fia $T/pak.csv
$RELEC validate -s schemas/aggregate.yaml $T/pak.csv 2>/dev/null
check "... validates clean (the grounds add up to each month's total)" [ $? -eq 0 ]
sed 's/^03\/2025,Suspected human smuggling \/ trafficking,Total,Total,318$/03\/2025,Suspected human smuggling \/ trafficking,Total,Total,418/' $fia >$T/fia-bad.csv
$RELEC merge --map $M/pak-fia-offloading.yaml $T/fia-bad.csv 2>$T/merr |
    $RELEC validate -s schemas/aggregate.yaml - 2>$T/err
check "... a ground 100 too many: the month's total is wrong [rule]" grep -q "^<stdin>:23: error: value: the 7 rows by reason of this total (from row 13) add up to at least 3147, more than its 3049 \[rule\]" $T/err
check "... and merge says so on the national file's row, after its last row" grep -q "fia-bad.csv:23: error: value: the 7 rows by reason of this total (from row 13) add up to at least 3147, more than its 3049 \[rule\]" $T/merr
$RELEC merge --map $M/pak-fia-offloading.yaml $T/fia-bad.csv -o $T/fia-bad-merged.csv 2>/dev/null
check "... exit 1, every row still out" [ $? -eq 1 ] && [ "$(($(wc -l <$T/fia-bad-merged.csv) - 1))" -eq 22 ]

# a store with Iraq's detections of the month too (load keeps one batch
# per country and period: Pakistan's figures of March come in one file)
printf '%s\n' reporting_country,reporting_period,indicator,sex,age_group,nationality,value \
    IRQ,2025-03,thb_victims,total,total,TOTAL,34 IRQ,2025-03,thb_incidents,total,total,TOTAL,12 >$T/irq.csv
$RELEC load --db $T/s.db $T/irq.csv $T/afg.csv $T/pak.csv 2>$T/err
check "load takes every row (2 + 26 + 22 loaded)" [ "$(grep -c ", 0 rejected" $T/err)" -eq 3 ]
$RELEC compare --db $T/s.db --long $T/cmp.csv 2>$T/err
check "compare exits 0" [ $? -eq 0 ]
# every row is accounted for: counted, or set aside with the reason said
check "compare accounts for all 50 aggregate rows" python3 -c '
import re, sys
m = re.search(r"aggregate: 50 rows: (.*)", open(sys.argv[1]).read())
sys.exit(0 if m and sum(int(n) for n in re.findall(r"(\d+) [a-z]", m.group(1))) == 50 else 1)' $T/err
check "compare: AFG's deportees received, the table's grand totals (2025-02: 48943, 2025-03: 59006)" python3 -c '
import csv, sys
got = {(r["period"], r["value"]) for r in csv.DictReader(open(sys.argv[1]))
   if r["country"] == "AFG" and r["indicator"] == "deportees_received"
   and r["breakdown"] == "total"}
sys.exit(0 if {("2025-02", "48943"), ("2025-03", "59006")} <= got else 1)' $T/cmp.csv
check "compare: PAK's offloaded passengers, each month's total (2828, 3049)" python3 -c '
import csv, sys
got = {(r["period"], r["value"]) for r in csv.DictReader(open(sys.argv[1]))
   if r["country"] == "PAK" and r["indicator"] == "offloaded_passengers"
   and r["breakdown"] == "total"}
sys.exit(0 if {("2025-02", "2828"), ("2025-03", "3049")} <= got else 1)' $T/cmp.csv
# no false finding: a generated table whose breakdowns (sex, age group,
# nationality, border type) add up, <5 cells included, validates clean;
# one total changed is one finding, on its row
python3 bench/gen-aggregate.py 5120 $T/gen.csv
$RELEC validate -s schemas/aggregate.yaml $T/gen.csv 2>$T/err
check "a generated table whose breakdowns add up (5120 rows, <5 cells) validates clean" [ $? -eq 0 ]
awk -F, 'NR == 513 { $10 = $10 + 1000 } { print }' OFS=, $T/gen.csv >$T/gen-bad.csv
$RELEC validate -s schemas/aggregate.yaml $T/gen-bad.csv 2>$T/err
check "... its grand total 1000 too big: three findings on row 513 (sex, age_group, border_type; the nationalities leave codes out, so theirs may add up to less)" \
    [ "$(grep -c '^.*gen-bad.csv:513: error: value: the .* less than its .*\[rule\]' $T/err)" -eq 3 ]
rm -rf "$T"
finish
