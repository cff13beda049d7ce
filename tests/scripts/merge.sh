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
    --map $M/ctdc-victims.yaml ../shared/datasets/ctdc-sample/ctdc-sample.csv \
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
    pass "xlsx input (ssconvert not available: skipped)"
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
finish
