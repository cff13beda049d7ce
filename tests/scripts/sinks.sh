# The sink layer (lib/sink.h, issue 12): every output's kind is chosen once
# by its name (an unknown extension is one clear error, exit 2, from every
# command, before anything is written); .jsonl and .xlsx rows; "-" for every
# output that can go to stdout; the outputs of a run are committed or removed
# together: an output that fails leaves none of the others, and a run that
# ends with exit 2 or 3 writes nothing, stdout included.
. tests/testlib.sh
S=schemas/incident.yaml
IN=examples/errors/incident-errors.csv
M=examples/maps/pak-fia.yaml
PAK=examples/national/pak-fia-2025-03.csv
C=tests/cli/merge/conflicts
$RELEC key new -o $T/k || fail "key new"

# an unknown extension: exit 2, the same words from every command, no file
unknown() { # NAME FILE COMMAND...: COMMAND names FILE as an output
    what=$1 f=$2
    shift 2
    "$@" >$T/out 2>$T/err
    rc=$?
    check "$what: an unknown extension is exit 2" [ $rc -eq 2 ]
    check "$what: ... saying what is wrong" grep -q "'$f': unknown output kind '.txt': name it .csv" $T/err
    check "$what: ... one error line" [ "$(wc -l <$T/err)" -eq 1 ]
    check "$what: ... and writing nothing" sh -c "[ ! -e $f ] && [ ! -s $T/out ] && ! ls -a $T | grep -q '\.tmp-'"
}
unknown "validate --valid" $T/v.txt $RELEC validate -q -s $S $IN --valid $T/v.txt
unknown "validate --rejects" $T/r.txt $RELEC validate -q -s $S $IN --rejects $T/r.txt --valid $T/ok.csv
unknown "merge -o" $T/m.txt $RELEC merge -q --map $M $PAK -o $T/m.txt --rejects $T/ok.csv
unknown "merge --rejects" $T/m.txt $RELEC merge -q --map $M $PAK --rejects $T/m.txt
unknown "merge --conflicts" $T/m.txt $RELEC merge -q --map $M $PAK --conflicts $T/m.txt
unknown "pseudonymise -o" $T/p.txt $RELEC pseudonymise -q -s schemas/person.yaml --key $T/k examples/person.csv -o $T/p.txt
unknown "dedup -o" $T/d.txt $RELEC dedup -q -s schemas/person.yaml examples/person.csv -o $T/d.txt
unknown "dedup --pairs" $T/d.txt $RELEC dedup -q -s schemas/person.yaml examples/person.csv --pairs $T/d.txt
unknown "compare --long" $T/c.txt $RELEC compare -q examples/incident.csv --long $T/c.txt
unknown "compare --wide" $T/c.txt $RELEC compare -q examples/incident.csv --wide $T/c.txt --long $T/ok.csv
check "no output of a refused run is left" [ ! -e $T/ok.csv ]
$RELEC validate -q -s $S $IN --valid $T/v.json 2>$T/err
check "the whole message for rows" grep -qx "relec validate: '$T/v.json': unknown output kind '.json': name it .csv, .jsonl or .xlsx, or - for stdout" $T/err
$RELEC compare -q examples/incident.csv --long $T/c.jsonl 2>$T/err
check "a kind known but not for this output: exit 2" [ $? -eq 2 ]
check "... saying which kinds it takes" grep -qx "relec compare: '$T/c.jsonl': this output cannot be JSON Lines: name it .csv, or - for stdout" $T/err
$RELEC dedup -q -s schemas/person.yaml examples/person.csv -o $T/d.jsonl --pairs $T/p.xlsx
check "dedup -o .jsonl --pairs .xlsx: exit 0" [ $? -eq 0 ]
check "... one JSON object a row, with cluster_id" python3 -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
assert rows and all('cluster_id' in r and 'person_id' in r for r in rows)
" $T/d.jsonl
check "... and a pairs workbook" sh -c "unzip -l $T/p.xlsx | grep -q sheet1.xml"

# a report keeps its own words
$RELEC validate -q -s $S $IN -r $T/f.txt 2>$T/err
check "validate -r f.txt: exit 2" [ $? -eq 2 ]
check "... in the report's words" grep -q "report '$T/f.txt': name it .csv or .jsonl (or .xlsx)" $T/err

# JSON Lines and workbook rows
$RELEC validate -q -s $S $IN --valid $T/v.csv --rejects $T/r.jsonl
check "--valid .csv and --rejects .jsonl: exit 1 (rows rejected)" [ $? -eq 1 ]
python3 - $T/v.csv $T/r.jsonl >$T/py 2>&1 <<'PY'
import csv, json, sys
valid = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
rej = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert valid and rej, (len(valid), len(rej))
keys = list(valid[0].keys()) + ["source_file", "source_row", "reject_reason"]
for r in rej:
    assert list(r.keys()) == keys, list(r.keys())
    assert r["reject_reason"].endswith("]"), r["reject_reason"]
print(len(valid) + len(rej))
PY
check "the .jsonl rejects are JSON objects keyed by the header, with reasons" [ $? -eq 0 ]
total=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8"))) - 1)' $IN)
check "valid + rejected rows = the input's $total rows" [ "$(tail -1 $T/py)" = "$total" ]
$RELEC validate -q -s $S $IN --valid $T/v.xlsx 2>$T/err
rc=$?
check "--valid .xlsx: a workbook" sh -c "[ $rc -eq 1 ] && unzip -l $T/v.xlsx | grep -q 'xl/worksheets/sheet1.xml'"
check "... whose sheet holds the first valid incident" sh -c "unzip -p $T/v.xlsx xl/worksheets/sheet1.xml | grep -q \"\$(sed -n 2p $T/v.csv | cut -d, -f1)\""

# "-": every output that can go to stdout, and never two
$RELEC validate -q -s $S $IN --valid - >$T/o 2>/dev/null
check "validate --valid -: the valid rows on stdout" cmp -s $T/o $T/v.csv
$RELEC validate -q -s $S $IN --rejects - >$T/o 2>/dev/null
check "validate --rejects -: the rejects on stdout" sh -c "head -1 $T/o | grep -q 'source_row,reject_reason$' && [ \$(wc -l <$T/o) -gt 1 ]"
$RELEC validate -q -s $S $IN -r - >$T/o 2>/dev/null
check "validate -r -: the findings on stdout" sh -c "head -1 $T/o | grep -qx 'file,row,field,value,code,severity,message' && [ \$(wc -l <$T/o) -gt 1 ]"
$RELEC merge -q --map $M $PAK --rejects - -o $T/m.csv >$T/o 2>/dev/null
check "merge --rejects -: on stdout" sh -c "head -1 $T/o | grep -q 'reject_reason$'"
$RELEC merge -q --map $M $C/a.csv $C/b.csv --conflicts - -o $T/m.csv >$T/o 2>/dev/null
check "merge --conflicts -: on stdout" sh -c "head -1 $T/o | grep -qx 'key,first_file,first_row,file,row,fields' && grep -q QTA-0031 $T/o"
$RELEC pseudonymise -q -s schemas/person.yaml --key $T/k examples/person.csv >$T/o 2>/dev/null
check "pseudonymise -o - (the default): on stdout" [ "$(wc -l <$T/o)" -gt 1 ]
$RELEC validate -q -s $S $IN --valid - --rejects - >$T/o 2>$T/err
check "two outputs to -: exit 2" [ $? -eq 2 ]
check "... saying so" grep -q "two outputs of this run go to stdout" $T/err
check "... with nothing on stdout" [ ! -s $T/o ]

# an output that fails leaves none of the others: /dev/full as --valid
# (written through at commit) after the report, the rejects and the
# workbook are finished
FULL=/dev/full
[ -c $FULL ] || FULL=
if [ -n "$FULL" ]; then
    rm -f $T/f.csv $T/r.csv $T/w.xlsx
    $RELEC validate -q -s $S $IN -r $T/f.csv --rejects $T/r.csv --valid $FULL 2>$T/err
    check "--valid /dev/full: exit 4" [ $? -eq 4 ]
    check "... no space" grep -q "No space left on device" $T/err
    check "... and no report, no rejects left" sh -c "[ ! -e $T/f.csv ] && [ ! -e $T/r.csv ] && ! ls -a $T | grep -q '\.tmp-'"
    $RELEC merge -q --map $M $C/a.csv $C/b.csv -r $T/f.csv --rejects $T/r.csv --conflicts $T/c.csv -o $FULL 2>$T/err
    check "merge -o /dev/full: exit 4" [ $? -eq 4 ]
    check "... and none of its other outputs left" sh -c "[ ! -e $T/f.csv ] && [ ! -e $T/r.csv ] && [ ! -e $T/c.csv ] && ! ls -a $T | grep -q '\.tmp-'"
    rm -f $T/w.csv
    $RELEC compare -q examples/incident.csv --long $FULL --wide $T/w.csv 2>$T/err
    rc=$?
    check "compare --long /dev/full: exit 4, and no --wide left" sh -c "[ $rc -eq 4 ] && [ ! -e $T/w.csv ]"
    $RELEC dedup -q -s schemas/person.yaml examples/person.csv -o $FULL --pairs $T/p2.csv --explain $T/x2.jsonl 2>$T/err
    rc=$?
    check "dedup -o /dev/full: exit 4, and no --pairs, no --explain left" sh -c "[ $rc -eq 4 ] && [ ! -e $T/p2.csv ] && [ ! -e $T/x2.jsonl ]"
else
    skip "no /dev/full here"
fi

# exit 3 writes nothing: stdout stays empty, no file is made
$RELEC validate -q -s $S $IN $T/none.csv --valid - --rejects $T/r2.csv >$T/o 2>$T/err
check "validate a missing second input: exit 3" [ $? -eq 3 ]
check "... nothing on stdout, no rejects file" sh -c "[ ! -s $T/o ] && [ ! -e $T/r2.csv ]"
$RELEC merge -q --map $M $PAK $T/none.csv --rejects $T/r2.csv >$T/o 2>$T/err
rc=$?
check "merge a missing second input: exit 3, nothing on stdout, no rejects" sh -c "[ $rc -eq 3 ] && [ ! -s $T/o ] && [ ! -e $T/r2.csv ]"
$RELEC pseudonymise -q -s schemas/person.yaml --key $T/k examples/person.csv $T/none.csv >$T/o 2>$T/err
rc=$?
check "pseudonymise a missing second input: exit 3 and nothing on stdout" sh -c "[ $rc -eq 3 ] && [ ! -s $T/o ]"

# merge: a content hash match is confirmed by the contents.
# RELEC_TEST_MERGE_HASH makes every content hash 0, so every repeated key
# is a hash match; b.csv's QTA-0031 differs (15 migrants, not 14): still a
# conflict, kept; its QTA-0032 maps to the same row: still a duplicate.
for o in csv jsonl; do
    RELEC_TEST_MERGE_HASH=1 $RELEC merge --map $M $C/a.csv $C/b.csv \
        --rejects $T/hr.csv -o $T/h.$o 2>$T/herr
    check "forced collisions ($o): exit 1" [ $? -eq 1 ]
    check "... QTA-0031 is a conflict, not a duplicate" grep -q "QTA-0031' is also at .* with different content \[conflict\]" $T/herr
    check "... and both its rows are kept" [ "$(grep -c QTA-0031 $T/h.$o)" -eq 2 ]
    check "... QTA-0032 is a duplicate" grep -q "QTA-0032.*duplicate: same content as" $T/hr.csv
    check "... the one duplicate" [ "$(grep -c 'duplicate: same content' $T/hr.csv)" -eq 1 ]
done
# a file merged twice, over 64 KiB: every row of the second copy is
# confirmed a duplicate by reading its first row back (a window of the
# output is read at a time), none is taken for a conflict
python3 bench/gen-national.py $T/nat 3000 >/dev/null
RELEC_TEST_MERGE_HASH=1 $RELEC merge --map $T/nat/pak.yaml $T/nat/pak.csv $T/nat/pak.csv \
    --map $T/nat/irq.yaml $T/nat/irq.csv $T/nat/irq.csv --rejects $T/tr.csv -o $T/t.csv 2>$T/terr
rows=$(($(wc -l <$T/t.csv) - 1))
check "twice over: the merged output is over 64 KiB" [ "$(wc -c <$T/t.csv)" -gt 65536 ]
check "... every second copy a confirmed duplicate ($rows rows)" [ "$(grep -c 'duplicate: same content' $T/tr.csv)" -eq "$rows" ]
check "... no conflict" sh -c "! grep -q '\[conflict\]' $T/terr && grep -q ', 0 conflicts' $T/terr"
$RELEC merge --map $M $C/a.csv $C/b.csv --rejects $T/nr.csv -o $T/n.csv 2>/dev/null
check "without the hook: the same rows out" cmp -s $T/n.csv $T/h.csv
check "... and the same rejects" cmp -s $T/nr.csv $T/hr.csv
finish
