# The validator against the examples: clean files give no finding; each
# error file gives exactly the findings examples/errors/EXPECTED.csv lists
# (file, row, field, code), no more and no fewer.
. tests/testlib.sh
E=examples/errors

for s in incident person aggregate; do
    ref=""
    [ $s = person ] && ref="--ref incident=examples/incident.csv"
    $RELEC validate -q -s schemas/$s.yaml $ref -r $T/$s.csv examples/$s.csv
    rc=$?
    check "clean $s.csv exits 0" [ $rc -eq 0 ]
    check "clean $s.csv has no findings" [ "$(wc -l <$T/$s.csv)" -eq 1 ]
done

schema_of() {
    case $1 in person*) echo person ;; aggregate*) echo aggregate ;; *) echo incident ;; esac
}
: >$T/got
for f in $(tail -n +2 $E/EXPECTED.csv | cut -d, -f1 | sort -u); do
    s=$(schema_of $f)
    ref=""
    [ $s = person ] && ref="--ref incident=examples/incident.csv"
    (cd $E && $RELEC validate -q -s ../../schemas/$s.yaml $(echo $ref | sed 's|=|=../../|') -r $T/r.csv $f)
    rc=$?
    check "$f exits 1" [ $rc -eq 1 ]
    # severity error only; the file,row,field,code columns
    python3 - "$T/r.csv" >>$T/got <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8", errors="replace")):
    if r["severity"] == "error":
        print(",".join([r["file"], r["row"], r["field"], r["code"]]))
PY
done
tail -n +2 $E/EXPECTED.csv | sort >$T/want
sort $T/got >$T/got.sorted
if diff $T/want $T/got.sorted >$T/diff; then
    pass "error files: findings equal EXPECTED.csv ($(wc -l <$T/want) findings)"
else
    fail "error files: findings differ from EXPECTED.csv (< expected, > got)"
    cat $T/diff
fi
# every finding code appears in the oracle
for code in required type pattern codelist range length unique foreign-key rule header row-shape encoding; do
    check "oracle exercises code $code" grep -q ",$code\$" $E/EXPECTED.csv
done
finish
