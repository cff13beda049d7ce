# relec merge end to end: conservation per source (rows in = out + rejected,
# counted in the files themselves), the pipeline into validate, stdin and
# .xlsx inputs, several --map groups, outputs that must not be written.
. tests/testlib.sh
N=examples/national
M=examples/maps

# count data rows per source_file in a merged or rejects CSV
per_source() {
    python3 - "$1" <<'PY'
import csv, sys, collections
c = collections.Counter(r["source_file"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")))
for k, v in sorted(c.items()): print(k, v)
PY
}
rows_in() { python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8"))) - 1)' "$1"; }

$RELEC merge --map $M/pak-fia.yaml $N/pak-fia-2025-03.csv \
    --map $M/afg-moi.yaml $N/afg-moi-1403-12.csv \
    --map $M/irq-moi.yaml $N/irq-moi-2025-03.csv \
    --map $M/ctdc-victims.yaml tests/data/ctdc-sample/ctdc-sample.csv \
    -o $T/x.csv 2>$T/err
rc=$?
check "maps onto two record types are refused (exit 2)" [ $rc -eq 2 ]
check "... saying so" grep -q "one merge makes one record type" $T/err
check "... and writing no output" [ ! -e $T/x.csv ]

$RELEC merge --map $M/pak-fia.yaml $N/pak-fia-2025-03.csv \
    --map $M/afg-moi.yaml $N/afg-moi-1403-12.csv \
    --map $M/irq-moi.yaml $N/irq-moi-2025-03.csv \
    --rejects $T/rej.csv -o $T/out.csv 2>$T/err
rc=$?
check "rows rejected: exit 1" [ $rc -eq 1 ]
per_source $T/out.csv >$T/outc
per_source $T/rej.csv >$T/rejc
for f in $N/pak-fia-2025-03.csv $N/afg-moi-1403-12.csv $N/irq-moi-2025-03.csv; do
    in=$(rows_in $f)
    out=$(awk -v f=$f '$1 == f {print $2}' $T/outc); out=${out:-0}
    rej=$(awk -v f=$f '$1 == f {print $2}' $T/rejc); rej=${rej:-0}
    check "$f: $in rows in = $out out + $rej rejected (files)" [ $((out + rej)) -eq $in ]
    check "$f: the summary line says the same" \
        grep -qx "$f: $in rows in, $out out, $rej rejected" $T/err
done
check "every reject has a reason" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
sys.exit(0 if rows and all(r["reject_reason"] for r in rows) else 1)' $T/rej.csv
check "the merged file validates (exit 0)" \
    $RELEC validate -q -s schemas/incident.yaml $T/out.csv
check "rows carry source_row as the spreadsheet row" \
    grep -q '^AFG-2025-AF-NIM-0045,.*afg-moi-1403-12.csv,3$' $T/out.csv
check "Solar Hijri 1403/12/05 in Persian digits is 2025-02-23" \
    grep -q '^AFG-2025-AF-NIM-0045,AFG,[^,]*,2025-02,2025-02-23,SOM,' $T/out.csv

# the pipeline of the issue: merge | validate -
$RELEC merge -q --map $M/afg-moi.yaml $N/afg-moi-1403-12.csv \
    --map $M/irq-moi.yaml $N/irq-moi-2025-03.csv 2>/dev/null |
    $RELEC validate -q -s schemas/incident.yaml - 
check "merge | validate -s schemas/incident.yaml - exits 0" [ $? -eq 0 ]

# stdin input, and the same file given as .xlsx (made by gnumeric)
$RELEC merge --map $M/irq-moi.yaml - <$N/irq-moi-2025-03.csv -o $T/stdin.csv 2>$T/err
check "stdin input merges (exit 0)" [ $? -eq 0 ]
check "stdin summary" grep -qx "<stdin>: 4 rows in, 4 out, 0 rejected" $T/err
if command -v ssconvert >/dev/null 2>&1 &&
    ssconvert $N/afg-moi-1403-12.csv $T/afg.xlsx >/dev/null 2>&1; then
    $RELEC merge --map $M/afg-moi.yaml $T/afg.xlsx -o $T/x1.csv 2>/dev/null
    $RELEC merge --map $M/afg-moi.yaml $N/afg-moi-1403-12.csv -o $T/x2.csv 2>/dev/null
    check "xlsx and csv of the Dari file merge to the same rows" \
        [ "$(cut -d, -f1-22 $T/x1.csv)" = "$(cut -d, -f1-22 $T/x2.csv)" ]
else
    skip "xlsx input (ssconvert not available)"
fi

# outputs: never over an input; an unwritable place is exit 4
$RELEC merge --map $M/irq-moi.yaml $N/irq-moi-2025-03.csv -o $N/irq-moi-2025-03.csv 2>$T/err
rc=$?
check "refuses to write over its input" [ $rc -ne 0 ]
check "... and the input is intact" [ "$(rows_in $N/irq-moi-2025-03.csv)" -eq 4 ]
$RELEC merge --map $M/irq-moi.yaml $N/irq-moi-2025-03.csv -o /nonexistent/dir/o.csv 2>$T/err
check "unwritable output: exit 4" [ $? -eq 4 ]
$RELEC merge --help >$T/help
check "--help exits 0 and documents --rejects" grep -q -- "--rejects" $T/help
$RELEC merge --map $M/irq-moi.yaml $T/none.csv 2>$T/err
check "missing input: exit 3" [ $? -eq 3 ]
check "... 'cannot open'" grep -q "cannot open '$T/none.csv'" $T/err
# Bangladesh: aggregates only, Bengali labels and digits, "<5" and "৫ এর কম"
$RELEC merge --map $M/bgd-aggregates.yaml $N/bgd-mha-2025-q1.csv \
    -o $T/bgd.csv 2>$T/err
check "Bangladesh aggregates merge with no reject (exit 0)" [ $? -eq 0 ]
bin=$(rows_in $N/bgd-mha-2025-q1.csv)
check "... every row out ($bin)" [ "$(rows_in $T/bgd.csv)" -eq "$bin" ]
$RELEC validate -q -s schemas/aggregate.yaml - <$T/bgd.csv
check "... and validate -s schemas/aggregate.yaml - exits 0" [ $? -eq 0 ]
check "... each Bengali small count (৫ এর কম, <5) is <5 and every other a number" python3 -c '
import csv, sys
src = list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:]
out = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
small = [i for i, r in enumerate(src) if "এর কম" in r[6] or r[6] == "<5"]
bn = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
ok = len(small) >= 2 and all(out[i]["value"] == "<5" for i in small) and all(
    out[i]["value"] == src[i][6].translate(bn) for i in range(len(src)) if i not in small)
ok = ok and all(r["reporting_period"].isascii() for r in out)
sys.exit(0 if ok else 1)' $N/bgd-mha-2025-q1.csv $T/bgd.csv

# conflicts: which fields differ, also when the first file is read again
python3 - $N/pak-fia-2025-03.csv $T/pak2.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
rows[1][13] = str(int(rows[1][13] or 0) + 1)   # Victims
rows[1][16] = str(int(rows[1][16] or 0) + 2)   # Accused
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows[:2])
PY
$RELEC merge --map $M/pak-fia.yaml $N/pak-fia-2025-03.csv $T/pak2.csv \
    --conflicts $T/conf.csv -o $T/c.csv 2>/dev/null
check "--conflicts lists the fields that differ" python3 -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
sys.exit(0 if len(r) == 1 and r[0]["fields"] == "victims_count;suspects_count" and r[0]["first_row"] == "2" else 1)' $T/conf.csv
$RELEC merge --map $M/pak-fia.yaml - $T/pak2.csv --conflicts $T/conf2.csv \
    -o $T/c2.csv <$N/pak-fia-2025-03.csv 2>/dev/null
check "... and says when the first file was stdin (read once)" \
    grep -q "standard input is read once" $T/conf2.csv

# the issue's "done when": three national files in one merge, piped into
# validate, loaded into a store, and compared into a workbook whose totals
# are the merged rows' sums
$RELEC merge --map $M/pak-fia.yaml $N/pak-fia-2025-03.csv \
    --map $M/afg-moi.yaml $N/afg-moi-1403-12.csv \
    --map $M/irq-moi.yaml $N/irq-moi-2025-03.csv \
    --rejects $T/p-rej.csv 2>$T/p-err | tee $T/p.csv |
    $RELEC validate -q -s schemas/incident.yaml -
check "pipeline: merge of PAK, AFG, IRQ | validate - exits 0" [ $? -eq 0 ]
pin=$(( $(rows_in $N/pak-fia-2025-03.csv) + $(rows_in $N/afg-moi-1403-12.csv) + $(rows_in $N/irq-moi-2025-03.csv) ))
check "pipeline: $pin rows in = merged + rejected" \
    [ $(( $(rows_in $T/p.csv) + $(rows_in $T/p-rej.csv) )) -eq $pin ]
check "pipeline: three countries in the merged file" \
    [ "$(cut -d, -f2 $T/p.csv | sed 1d | sort -u | tr '\n' ' ')" = "AFG IRQ PAK " ]
$RELEC load -q --db $T/store.db $T/p.csv 2>$T/l-err
check "pipeline: load --db of the merged file exits 0" [ $? -eq 0 ]
$RELEC compare -q --db $T/store.db -o $T/cmp.xlsx 2>$T/c-err
check "pipeline: compare --db -o cmp.xlsx exits 0" [ $? -eq 0 ]
PY=
for p in python3 /usr/bin/python3; do
    if $p -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
if [ -n "$PY" ]; then
    $PY - $T/p.csv $T/cmp.xlsx schemas/codes/indicator.yaml >$T/wb 2>&1 <<'PY'
import csv, re, sys, collections, openpyxl
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
codes = set(re.findall(r"code: (\w+)", open(sys.argv[3], encoding="utf-8").read()))
n = lambda r, f: int(r[f]) if r[f] else 0
# the simple indicators, from the merged rows (compare's definitions:
# incidents by offence, counts summed over all offences)
want = collections.defaultdict(lambda: collections.Counter())
for r in rows:
    k = (r["reporting_country"], r["reporting_period"])
    for ind in ("thb_incidents", "thb_victims", "som_incidents"):
        want[ind][k] += 0  # a month with records: 0, not missing
    if r["offence_type"] == "THB":
        want["thb_incidents"][k] += 1
        want["thb_victims"][k] += n(r, "victims_count")
    if r["offence_type"] == "SOM":
        want["som_incidents"][k] += 1
    want["smuggled_migrants"][k] += n(r, "smuggled_migrants_count")
    want["suspects_arrested"][k] += n(r, "suspects_count")
wb = openpyxl.load_workbook(sys.argv[2])
names = wb.sheetnames
bad = [s for s in names if s not in codes and s != "About"]
print("sheets:", " ".join(names))
if bad: print("not indicators:", bad); sys.exit(1)
ok = True
for ind, cells in want.items():
    if ind not in names:
        print("no sheet for", ind); ok = False; continue
    ws = wb[ind]
    got, periods = {}, None
    for row in ws.iter_rows(values_only=True):
        if row[0] == "country": periods = row[2:]; continue
        if periods is None: continue
        if row[0] is None: break
        if row[0] == "ALL" or row[1] != "total": continue
        for p, v in zip(periods, row[2:]):
            if v is not None: got[(row[0], p)] = v
    exp = {k: v for k, v in cells.items() if v or k in got}
    if got != exp:
        print(ind, "workbook", sorted(got.items()), "merged", sorted(exp.items())); ok = False
    else:
        print(ind, "total", sum(got.values()), "=", sum(cells.values()))
sys.exit(0 if ok and len(want) == 5 else 1)
PY
    check "pipeline: a sheet per indicator, totals = the merged rows' sums" [ $? -eq 0 ]
else
    skip "pipeline: workbook check (python3 with openpyxl not available)"
fi
finish
