# relec compare --layout aggregate: the standard's aggregate table, which
# validates clean against schemas/aggregate.yaml and, loaded into another
# store, gives the same table back; the enforcement indicators with their
# border_type, reason and partner_country breakdowns; the one-number rule
# and --audit seen from the command line.
. tests/testlib.sh
EX="examples/incident.csv examples/person.csv examples/aggregate.csv"

# the examples: records, persons and a country's aggregates
$RELEC compare -q --layout aggregate --by all $EX >$T/a.csv 2>$T/a.err
check "layout aggregate exits 0" [ $? -eq 0 ]
check "its header is the aggregate table's" \
    [ "$(head -1 $T/a.csv)" = "reporting_country,reporting_period,indicator,sex,age_group,nationality,border_type,reason,partner_country,value" ]
check "it has rows" [ "$(wc -l <$T/a.csv)" -gt 50 ]
$RELEC validate -q -s schemas/aggregate.yaml $T/a.csv >$T/v.out 2>&1
check "it validates clean against schemas/aggregate.yaml" [ $? -eq 0 ]
check "one row per key" [ -z "$(cut -d, -f1-9 $T/a.csv | sort | uniq -d)" ]
check "counts 1 to 4 are <5, never a number" \
    [ -z "$(awk -F, 'NR > 1 && $10 ~ /^[1-4]$/' $T/a.csv)" ]
check "no x, no .., no region row" \
    [ -z "$(awk -F, 'NR > 1 && ($10 == "x" || $10 == ".." || $1 == "ALL")' $T/a.csv)" ]
$RELEC load -q --db $T/s2.db $T/a.csv 2>$T/l.err
check "it loads into another store" [ $? -eq 0 ]
$RELEC compare -q --layout aggregate --by all --db $T/s2.db >$T/b.csv
check "the other store gives the same table back" cmp -s $T/a.csv $T/b.csv

# generated records of six countries, by quarter: incomplete quarters are
# left out (said on stderr), the rest validates and comes back the same
cc -O2 -o $T/gen bench/gen-incidents.c
$T/gen 4000 5 PAK,AFG,IRN,IRQ,BGD,TUR | awk -F, 'NR == 1 || $4 ~ /^2024/' >$T/in.csv
awk -F, -v seed=5 -f bench/gen-persons-of.awk $T/in.csv >$T/pe.csv
$RELEC load -q --db $T/s3.db $T/in.csv $T/pe.csv 2>/dev/null
for p in month quarter; do
    $RELEC compare --layout aggregate -p $p --by sex,age_group,nationality --db $T/s3.db >$T/g-$p.csv 2>$T/g-$p.err
    check "generated ($p): exits 0" [ $? -eq 0 ]
    $RELEC validate -q -s schemas/aggregate.yaml $T/g-$p.csv >/dev/null 2>&1
    check "generated ($p): validates clean" [ $? -eq 0 ]
    check "generated ($p): has small counts as <5" grep -q ',<5$' $T/g-$p.csv
    $RELEC load -q --db $T/r-$p.db $T/g-$p.csv 2>/dev/null
    $RELEC compare -q --layout aggregate -p $p --by sex,age_group,nationality --db $T/r-$p.db >$T/h-$p.csv
    check "generated ($p): the same table back" cmp -s $T/g-$p.csv $T/h-$p.csv
done
check "secondary cells are counted on stderr" grep -q 'more hidden (x)' $T/g-month.err
# cross-tabs: the margins a table leaves out (hidden as x) are not summed
# back from the cross rows left in it (some of them were hidden too): the
# other store gives the same table back, suppressed cells included
for by in 'sex*age_group' 'sex*age_group,nationality' 'sex*nationality,age_group*nationality'; do
    $RELEC compare --layout aggregate --by "$by" --db $T/s3.db >$T/x.csv 2>$T/x.err
    check "cross $by: exits 0" [ $? -eq 0 ]
    check "cross $by: hides cells as x" grep -Eq 'more hidden \(x\)' $T/x.err
    check "cross $by: has cross rows and <5" [ -n "$(awk -F, '($4 != "total") + ($5 != "total") + ($6 != "TOTAL") >= 2 && $10 == "<5"' $T/x.csv)" ]
    $RELEC validate -q -s schemas/aggregate.yaml $T/x.csv >/dev/null 2>&1
    check "cross $by: validates clean" [ $? -eq 0 ]
    rm -f $T/x.db
    $RELEC load -q --db $T/x.db $T/x.csv 2>/dev/null
    $RELEC compare -q --layout aggregate --by "$by" --db $T/x.db >$T/y.csv
    check "cross $by: the same table back" cmp -s $T/x.csv $T/y.csv
done
# --region: the region and the x cells too, and relec's own attack on it
# finds nothing
$RELEC compare -q --layout aggregate --region --by sex,age_group,nationality --db $T/s3.db >$T/reg.csv
check "--region writes ALL rows" grep -q '^ALL,' $T/reg.csv
check "--region writes x cells" grep -q ',x$' $T/reg.csv
$RELEC compare -q -k 5 --by sex,age_group,nationality --audit --db $T/s3.db >$T/aud.csv
check "--audit of relec's suppression: exit 0" [ $? -eq 0 ]
check "--audit: every hidden cell safe" [ -z "$(awk -F, 'NR > 1 && $NF != "safe"' $T/aud.csv)" ]
check "--audit: it attacked many cells" [ "$(wc -l <$T/aud.csv)" -gt 50 ]
# the same table with the x cells shown as numbers (primary suppression
# only): the audit finds the leaks
$RELEC compare -q -k 5 --by sex,age_group,nationality --db $T/s3.db >$T/sup.csv
$RELEC compare -q --by sex,age_group,nationality --db $T/s3.db >$T/raw.csv
paste -d, $T/sup.csv $T/raw.csv | awk -F, 'BEGIN { OFS = "," } NR == 1 { print "country,period,indicator,breakdown,category,value"; next } { v = $6 == "x" ? $13 : $6; print $1, $2, $3, $4, $5, v }' >$T/naive.csv
$RELEC compare --audit $T/naive.csv >$T/naive-aud.csv 2>$T/naive-aud.err
check "--audit of primary-only suppression: exit 1" [ $? -eq 1 ]
check "--audit: narrowed cells are listed" grep -q ',narrowed$' $T/naive-aud.csv

# options
$RELEC compare --layout aggregate -k 3 $EX >/dev/null 2>$T/e
check "--layout aggregate -k 3: exit 2 (the standard's <5)" [ $? -eq 2 ]
$RELEC compare --region $EX >/dev/null 2>$T/e
check "--region without --layout aggregate: exit 2" [ $? -eq 2 ]
$RELEC compare --layout wide $EX >/dev/null 2>$T/e
check "--layout wide: exit 2" [ $? -eq 2 ]

# enforcement indicators: refusals by border type and reason, deportees
# received by partner country; the breakdowns add up and come back
cat >$T/enf.csv <<'CSV'
reporting_country,reporting_period,indicator,sex,age_group,nationality,border_type,reason,partner_country,value
PAK,2025-03,offloaded_passengers,total,total,TOTAL,total,TOTAL,TOTAL,412
PAK,2025-03,offloaded_passengers,total,total,TOTAL,air,TOTAL,TOTAL,400
PAK,2025-03,offloaded_passengers,total,total,TOTAL,land,TOTAL,TOTAL,12
PAK,2025-03,offloaded_passengers,total,total,TOTAL,total,P,TOTAL,310
PAK,2025-03,offloaded_passengers,total,total,TOTAL,total,S,TOTAL,99
PAK,2025-03,offloaded_passengers,total,total,TOTAL,total,O,TOTAL,<5
AFG,2025-03,deportees_received,total,total,TOTAL,total,TOTAL,TOTAL,5120
AFG,2025-03,deportees_received,total,total,TOTAL,total,TOTAL,IRN,4700
AFG,2025-03,deportees_received,total,total,TOTAL,total,TOTAL,PAK,420
IRQ,2025-03,refusals_of_entry,total,total,TOTAL,air,C,TOTAL,37
CSV
$RELEC compare -q -k 5 --by border_type,reason,partner_country $T/enf.csv >$T/enf.out
check "enforcement: exit 0" [ $? -eq 0 ]
check "enforcement: offloaded by border type" grep -q '^PAK,2025-03,offloaded_passengers,border_type,air,400,' $T/enf.out
check "enforcement: offloaded by reason, the small one hidden" grep -q '^PAK,2025-03,offloaded_passengers,reason,O,<5,' $T/enf.out
check "enforcement: deportees by partner country" grep -q '^AFG,2025-03,deportees_received,partner_country,IRN,4700,' $T/enf.out
check "enforcement: a refusal row by border and reason counts in the total" grep -q '^IRQ,2025-03,refusals_of_entry,total,total,37,' $T/enf.out
$RELEC compare -q --layout aggregate --by border_type,reason,partner_country $T/enf.csv >$T/enf-a.csv
$RELEC validate -q -s schemas/aggregate.yaml $T/enf-a.csv >/dev/null 2>&1
check "enforcement: the aggregate table validates clean" [ $? -eq 0 ]
$RELEC load -q --db $T/enf.db $T/enf-a.csv 2>/dev/null
$RELEC compare -q --layout aggregate --by border_type,reason,partner_country --db $T/enf.db >$T/enf-b.csv
check "enforcement: the same table back" cmp -s $T/enf-a.csv $T/enf-b.csv
# place and route breakdowns from incident rows: each adds up to the
# total (not_recorded holds the empty fields), several transit countries
# count once as "multiple", origin>destination pairs
$RELEC compare -q --by place_type,admin1,border_crossing_point,transport_mode,route_origin,route_transit,route_destination,route examples/incident.csv >$T/pl.csv
check "place and route breakdowns: exit 0" [ $? -eq 0 ]
check "every place and route breakdown adds up to its total" awk -F, '
    NR > 1 && $4 == "total" { t[$1 SUBSEP $2 SUBSEP $3] = $6; next }
    NR > 1 { s[$1 SUBSEP $2 SUBSEP $3 SUBSEP $4] += $6 }
    END { n = 0; for (k in s) { split(k, a, SUBSEP); n++
          if (s[k] != t[a[1] SUBSEP a[2] SUBSEP a[3]]) exit 1 }
          exit n < 8 }' $T/pl.csv
check "route pairs origin>destination" grep -q ',route,PAK>SAU,' $T/pl.csv
want=$(python3 -c 'import csv; print(sum(r["offence_type"] == "THB" for r in csv.DictReader(open("examples/incident.csv", encoding="utf-8"))))')
check "thb_incidents by place_type sum to the THB rows ($want)" [ "$(awk -F, '$3 == "thb_incidents" && $4 == "place_type" { s += $6 } END { print s }' $T/pl.csv)" = "$want" ]
# two SOM incidents of the examples, one with two transit countries
python3 - $T/tr.csv <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open("examples/incident.csv", encoding="utf-8"))
        if r["offence_type"] == "SOM"][:2]
rows[0]["route_transit"], rows[1]["route_transit"] = "IRN;TUR", "IRN"
w = csv.DictWriter(open(sys.argv[1], "w", encoding="utf-8", newline=""), rows[0].keys())
w.writeheader()
w.writerows(rows)
PY
$RELEC compare -q --by route_transit $T/tr.csv >$T/tr.out 2>$T/tr.err
check "several transit countries: once, as multiple" grep -q '^PAK,2025-03,som_incidents,route_transit,multiple,1,' $T/tr.out
check "one transit country: itself" grep -q '^PAK,2025-03,som_incidents,route_transit,IRN,1,' $T/tr.out
rm -rf $T
finish
