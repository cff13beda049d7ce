# relec compare -k: a country's own "<5" (an aggregate cell it sent
# hidden) is protected like a <K cell: its lines get secondary
# suppression, so that the country's own totals, published beside it, do
# not give it away. Reproduces the leak the suppression once left (PAK
# offloaded passengers, reason B exactly 3 from 412 - 310 - 99) on the
# table as it was published, and shows none after, both by relec's
# --audit and, when scipy is there, by the independent bench/indep
# attack.
. tests/testlib.sh

cat >$T/pak.csv <<'CSV'
reporting_country,reporting_period,indicator,sex,age_group,nationality,border_type,reason,partner_country,value
PAK,2025-03,offloaded_passengers,total,total,TOTAL,total,TOTAL,TOTAL,412
PAK,2025-03,offloaded_passengers,total,total,TOTAL,total,P,TOTAL,310
PAK,2025-03,offloaded_passengers,total,total,TOTAL,total,S,TOTAL,99
PAK,2025-03,offloaded_passengers,total,total,TOTAL,total,B,TOTAL,<5
AFG,2025-03,deportees_received,total,total,TOTAL,total,TOTAL,TOTAL,5120
CSV
BY=reason

# the table as the suppression once published it: every figure shown but
# the source's <5 (nothing was under 5 of relec's own)
$RELEC compare -q --by $BY $T/pak.csv >$T/before.csv
check "before: reason B published as the source's <5" \
    grep -q '^PAK,2025-03,offloaded_passengers,reason,B,<5,' $T/before.csv
check "before: nothing else hidden" [ "$(grep -c ',x,' $T/before.csv)" = 0 ]
$RELEC compare --audit $T/before.csv >$T/before-aud.csv 2>$T/before-aud.err
check "before: the audit finds the leak (exit 1)" [ $? -eq 1 ]
check "before: reason B narrowed to exactly 3" \
    grep -q '^PAK,2025-03,offloaded_passengers,reason,B,<5,3,3,narrowed$' $T/before-aud.csv

# now: -k 5 hides another cell of the reason line, and the audit of what
# it publishes finds nothing
$RELEC compare -q -k 5 --by $BY $T/pak.csv >$T/after.csv
check "after: exit 0" [ $? -eq 0 ]
check "after: reason B still the source's <5" \
    grep -q '^PAK,2025-03,offloaded_passengers,reason,B,<5,' $T/after.csv
check "after: one reason figure hidden as x" \
    [ "$(grep -c '^PAK,2025-03,offloaded_passengers,reason,[PS],x,' $T/after.csv)" = 1 ]
check "after: the total stays shown" \
    grep -q '^PAK,2025-03,offloaded_passengers,total,total,412,' $T/after.csv
$RELEC compare -q -k 5 --by $BY --audit $T/pak.csv >$T/after-aud.csv
check "after: --audit exit 0" [ $? -eq 0 ]
check "after: --audit attacked the source's <5" \
    grep -q '^PAK,2025-03,offloaded_passengers,reason,B,<5,1,4,safe$' $T/after-aud.csv
check "after: every hidden cell safe" [ -z "$(awk -F, 'NR > 1 && $NF != "safe"' $T/after-aud.csv)" ]
# the published file audited as it is (what a reader of it can do)
$RELEC compare --audit $T/after.csv >$T/after-aud2.csv 2>/dev/null
check "after: the published file's audit exit 0" [ $? -eq 0 ]
$RELEC compare -q --layout aggregate --region --by $BY $T/pak.csv >$T/after-agg.csv
check "after: --layout aggregate --region has the x" grep -q ',x$' $T/after-agg.csv

# national tables of six countries (bench/indep/make_table.py, written by a
# different hand), each sent with its own small cells as <5: sex, age
# group, nationality and their cross-tab
python3 bench/indep/make_table.py --seed 1 -o $T/true.csv
python3 bench/indep/naive_suppress.py $T/true.csv -o $T/naive.csv 2>/dev/null
grep -v "^ALL," $T/naive.csv | sed "s/,XXX,/,IND,/" >$T/nat.csv  # XXX has no code in the aggregate table
check "national tables hold <5 cells" [ "$(grep -c ',<5,' $T/nat.csv)" -gt 300 ]
NBY='sex,age_group,nationality,sex*age_group'
$RELEC compare -q --by "$NBY" $T/nat.csv >$T/nat-before.csv 2>/dev/null
$RELEC compare --audit $T/nat-before.csv >$T/nat-before-aud.csv 2>/dev/null
check "national, as once published: the audit finds leaks (exit 1)" [ $? -eq 1 ]
check "national, as once published: sources' <5 narrowed" \
    [ "$(awk -F, '$6 == "<5" && $NF == "narrowed"' $T/nat-before-aud.csv | wc -l)" -gt 50 ]
$RELEC compare -q -k 5 --by "$NBY" --audit $T/nat.csv >$T/nat-aud.csv 2>/dev/null
check "national -k 5: the audit attacked the sources' <5" \
    [ "$(awk -F, '$6 == "<5"' $T/nat-aud.csv | wc -l)" -gt 300 ]
check "national -k 5: every hidden cell safe" [ -z "$(awk -F, 'NR > 1 && $NF != "safe"' $T/nat-aud.csv)" ]
for p in month quarter; do
    $RELEC compare -q -k 5 --layout aggregate --region -p $p --by "$NBY" $T/nat.csv >$T/nat-$p.csv 2>/dev/null
    check "national ($p): aggregate table written" [ "$(wc -l <$T/nat-$p.csv)" -gt 100 ]
    if /usr/bin/python3 -c 'import scipy' 2>/dev/null; then
        /usr/bin/python3 bench/indep/lp_attack.py -q $T/nat-$p.csv >$T/lp-$p.out 2>&1
        check "national ($p): bench/indep/lp_attack.py finds no leak" [ $? -eq 0 ]
    else
        skip "national ($p): bench/indep/lp_attack.py (python3-scipy not installed)"
    fi
done
rm -rf $T
finish
