#!/bin/sh
# dedup.sh: relec dedup end to end: --drop conserves rows under every keep
# policy, threads do not change the result, the registry carries cluster
# ids across months and adds nothing twice, and the match quality on the
# synthetic Silk Routes persons and FEBRL stays above a floor.
. tests/testlib.sh
S=schemas/person.yaml
PERSONS=tests/cli/dedup/three-agencies/persons.csv

python3 bench/gen-persons.py 3000 7 >"$T/p.csv"
rows=$(($(wc -l <"$T/p.csv") - 1))

"$RELEC" dedup -q -s $S "$T/p.csv" -o "$T/all.csv"
check "every row out, with cluster_id and match_score" \
    python3 -c "
import csv,sys
r=list(csv.DictReader(open('$T/all.csv')))
i=list(csv.DictReader(open('$T/p.csv')))
sys.exit(not (len(r)==len(i)==$rows and [x['person_id'] for x in r]==[x['person_id'] for x in i]
  and all(x['cluster_id'].startswith('C') for x in r)
  and all((x['match_score']=='')==(sum(1 for y in r if y['cluster_id']==x['cluster_id'])==1) for x in r)))"

for keep in first most-complete latest; do
    "$RELEC" dedup -q -s $S --drop --keep $keep --dropped "$T/dropped.csv" \
        "$T/p.csv" -o "$T/kept.csv"
    check "--drop --keep $keep: kept + dropped = input, one row per cluster" \
        python3 -c "
import csv,sys
k=list(csv.DictReader(open('$T/kept.csv')))
d=list(csv.DictReader(open('$T/dropped.csv')))
a=list(csv.DictReader(open('$T/all.csv')))
ids=sorted(x['person_id'] for x in k+d)
ok = ids==sorted(x['person_id'] for x in a) and len(k)+len(d)==$rows
ok = ok and len({x['cluster_id'] for x in k})==len(k)==len({x['cluster_id'] for x in a})
kept={(x['cluster_id']) for x in k}
ok = ok and all(x['cluster_id'] in kept and x['kept_row'] and x['source_row'] for x in d)
sys.exit(not ok)"
done

"$RELEC" dedup -q -s $S --threads 1 "$T/p.csv" -o "$T/t1.csv"
check "one thread and two give the same clusters" cmp -s "$T/t1.csv" "$T/all.csv"

cat "$T/p.csv" | "$RELEC" dedup -q -s $S - >"$T/stdin.csv"
check "stdin in, stdout out" cmp -s "$T/stdin.csv" "$T/all.csv"

check "synthetic persons: pairwise F1 >= 0.90" sh -c "
python3 bench/dedup-eval.py '$T/all.csv' true_id | awk '{exit !(\$6 >= 0.90)}'"

FEBRL=tests/data/febrl
"$RELEC" dedup -q -s schemas/febrl.yaml "$FEBRL/dataset1.csv" -o "$T/f1.csv"
check "FEBRL dataset1: pairwise F1 >= 0.98" sh -c "
python3 bench/dedup-eval.py '$T/f1.csv' rec_id | awk '{exit !(\$6 >= 0.98)}'"

# Registry: month 1 holds the Taftan record and a Muhammad Khan; month 2
# the Quetta and Lahore records of the same migrant and new people.
head -n 3 $PERSONS >"$T/m1.csv"
{ head -n 1 $PERSONS; tail -n +4 $PERSONS; } >"$T/m2.csv"
"$RELEC" dedup -q -s $S --registry "$T/relec.db" "$T/m1.csv" -o "$T/o1.csv"
"$RELEC" dedup -q -s $S --registry "$T/relec.db" "$T/m2.csv" -o "$T/o2.csv"
count() { python3 -c "import sqlite3;print(sqlite3.connect('$T/relec.db').execute('select count(*) from dedup_person').fetchone()[0])"; }
check "registry holds both months" test "$(count)" = 7
check "month 2 rows of the Taftan migrant get his month 1 cluster" sh -c "
grep -c '^PAK-2025-P-0101,.*,C000001,' '$T/o1.csv' | grep -qx 1 &&
grep -c ',C000001,' '$T/o2.csv' | grep -qx 2"
check "new people numbered after the registry's clusters" sh -c "
! grep -q ',C000002,' '$T/o2.csv' && grep -q ',C000003,' '$T/o2.csv'"
"$RELEC" dedup -s $S --registry "$T/relec.db" "$T/m2.csv" -o "$T/o2b.csv" 2>"$T/err"
check "re-running month 2 adds nothing" test "$(count)" = 7
check "re-running month 2 says so" grep -q '5 seen again, 0 added' "$T/err"
check "re-running month 2 gives the same ids" sh -c "
cut -d, -f1,16 '$T/o2.csv' >'$T/a' && cut -d, -f1,16 '$T/o2b.csv' >'$T/b' && cmp -s '$T/a' '$T/b'"
"$RELEC" dedup -q -s $S --registry "$T/relec.db" "$T/m1.csv" -o "$T/o1b.csv"
check "month 1 again keeps its ids" sh -c "
cut -d, -f1,16 '$T/o1.csv' >'$T/a' && cut -d, -f1,16 '$T/o1b.csv' >'$T/b' && cmp -s '$T/a' '$T/b'"

"$RELEC" dedup -s $S --train "$T/p.csv" -o "$T/tr.csv" 2>"$T/err"
check "--train estimates u and prints m/u" grep -q 'trained: u from random pairs' "$T/err"
# the line is printed with or without training: its effect is other
# weights, so other match scores than the schema's give
scores_differ() { python3 -c "
import csv, sys
a, b = ([r['match_score'] for r in csv.DictReader(open(f, encoding='utf-8'))]
        for f in sys.argv[1:3])
sys.exit(not (a and len(a) == len(b) and a != b))" "$1" "$2"; }
check "--train changes the match scores" scores_differ "$T/all.csv" "$T/tr.csv"
check "--train scores at least as well as the schema's weights (F1)" sh -c "
a=\$(python3 bench/dedup-eval.py '$T/all.csv' true_id | cut -d' ' -f6)
b=\$(python3 bench/dedup-eval.py '$T/tr.csv' true_id | cut -d' ' -f6)
awk -v a=\$a -v b=\$b 'BEGIN{exit !(b >= a && b >= 0.90)}'"

# the independent regional file (bench/indep, written from issue 8 alone):
# namesake and sibling groups, where EM's m once made --train lower F1
python3 bench/indep/regional_persons.py --rows 3000 --seed 2 -o "$T/reg" -q >/dev/null
"$RELEC" dedup -q -s $S "$T/reg/persons.csv" -o "$T/r0.csv"
"$RELEC" dedup -q -s $S --train "$T/reg/persons.csv" -o "$T/r1.csv"
check "--train does not lower F1 on a file of namesakes (regional, 3000 rows)" sh -c "
a=\$(python3 bench/dedup-eval.py '$T/r0.csv' person_id --truth '$T/reg/truth.csv' | cut -d' ' -f6)
b=\$(python3 bench/dedup-eval.py '$T/r1.csv' person_id --truth '$T/reg/truth.csv' | cut -d' ' -f6)
awk -v a=\$a -v b=\$b 'BEGIN{exit !(b >= a && a > 0.5)}'"
check "--train changes the match scores (regional)" scores_differ "$T/r0.csv" "$T/r1.csv"

PY=python3
$PY -c 'import openpyxl' 2>/dev/null || PY=/usr/bin/python3
"$RELEC" dedup -q -s $S -o "$T/x.xlsx" --drop --dropped "$T/xd.xlsx" \
    --pairs "$T/xp.xlsx" $PERSONS
"$RELEC" dedup -q -s $S -o "$T/x.csv" --drop --dropped "$T/xd.csv" \
    --pairs "$T/xp.csv" $PERSONS
if $PY -c 'import openpyxl' 2>/dev/null; then
    check "xlsx outputs hold the same cells as the csv ones" $PY -c "
import csv, openpyxl, sys
ok = True
for n, sheet in (('x', 'Rows'), ('xd', 'Dropped'), ('xp', 'Pairs')):
    ws = openpyxl.load_workbook('$T/%s.xlsx' % n, read_only=True)[sheet]
    x = [[c if c is not None else '' for c in r] for r in ws.iter_rows(values_only=True)]
    c = list(csv.reader(open('$T/%s.csv' % n, encoding='utf-8')))
    x = [r + [''] * (len(c[0]) - len(r)) for r in x]
    ok = ok and x == c and len(c) > 1
sys.exit(not ok)"
else
    fail "python3-openpyxl is not installed: xlsx output not checked"
fi
"$RELEC" dedup -q -s $S -o - --pairs "$T/missing-dir/p.xlsx" $PERSONS >/dev/null 2>"$T/err"
check "xlsx to a missing directory: exit 4" test $? = 4
check "xlsx to a missing directory: says what is wrong" grep -q "cannot.*missing-dir" "$T/err"
"$RELEC" dedup -s $S -o $PERSONS $PERSONS 2>"$T/err"
check "never writes over its input" test $? = 4

# "kept N, dropped M" is said only once the outputs are in place: a --dropped
# that cannot be written (/dev/full) is exit 4 and no such line
"$RELEC" dedup -s $S -o "$T/k.csv" --drop --dropped /dev/full $PERSONS 2>"$T/full.err"
check "--dropped /dev/full: exit 4" test $? = 4
check "--dropped /dev/full: no 'kept ... dropped' line" sh -c "! grep -q 'kept .* rows, dropped' '$T/full.err'"
"$RELEC" dedup -s $S -o "$T/k.csv" --drop --dropped "$T/kd.csv" $PERSONS 2>"$T/ok.err"
check "--drop: 'kept ... dropped' said after a good run" grep -q "kept .* rows, dropped .* input rows" "$T/ok.err"

rm -rf "$T"
finish
