# relec compare --by A*B: cross-tabs (sex x age group: girls, boys, women,
# men) in every layout, their margins the one-way tables, and a
# suppression that the LP attack cannot undo through those margins, where
# a naive suppression of the cross-tab as a table of its own leaks.
. tests/testlib.sh

cc -O2 -o $T/gen bench/gen-incidents.c
$T/gen 3000 7 PAK,AFG,IRN,IRQ,BGD,TUR | awk -F, 'NR == 1 || $4 ~ /^2024/' >$T/in.csv
awk -F, -v seed=7 -f bench/gen-persons-of.awk $T/in.csv >$T/pe.csv
$RELEC load -q --db $T/s.db $T/in.csv $T/pe.csv 2>/dev/null
BY='sex*age_group,nationality'

# long: breakdown sex*age_group, category female*child
$RELEC compare -q -k 5 --by "$BY" --db $T/s.db >$T/long.csv
check "long: exits 0" [ $? -eq 0 ]
check "long: cross-tab cells" grep -q ',thb_victims,sex\*age_group,female\*child,' $T/long.csv
check "long: margins published with it" grep -q ',thb_victims,sex,female,' $T/long.csv
check "long: no cross-tab of an indicator without persons" \
    [ -z "$(grep ',thb_incidents,sex\*age_group,' $T/long.csv)" ]
# unsuppressed: each margin is the sum of its cross cells
$RELEC compare -q --by "$BY" --db $T/s.db >$T/raw.csv
awk -F, 'NR > 1 && $4 == "sex*age_group" { split($5, c, "*"); s[$1 "," $2 "," $3 "," c[1]] += $6 }
         NR > 1 && $4 == "sex" { m[$1 "," $2 "," $3 "," $5] = $6 }
         END { bad = 0; for (k in m) if (m[k] != s[k]) bad++; for (k in s) if (!(k in m)) bad++; print bad }' \
    $T/raw.csv >$T/margins
check "raw: every sex margin is the sum of its cross cells" [ "$(cat $T/margins)" = 0 ]
# --audit: relec's suppression leaves every hidden cell safe
$RELEC compare -q -k 5 --by "$BY" --audit --db $T/s.db >$T/aud.csv
check "--audit with a cross-tab: exit 0" [ $? -eq 0 ]
check "--audit: every hidden cell safe" [ -z "$(awk -F, 'NR > 1 && $NF != "safe"' $T/aud.csv)" ]
check "--audit: it attacked cross-tab cells" grep -q ',sex\*age_group,.*,safe$' $T/aud.csv
$RELEC compare -q --audit $T/long.csv >$T/aud2.csv
check "--audit of the long file: exit 0" [ $? -eq 0 ]

# naive: the one-way tables and totals as relec suppresses them alone
# (safe on their own), and the cross-tab suppressed as a table of its own:
# <5 for 1 to 4, and in a table with a single <5 its smallest other cell
# hidden too; the margins give the cross cells away
$RELEC compare -q -k 5 --by sex,age_group,nationality --db $T/s.db >$T/one.csv
awk -F, 'BEGIN { OFS = "," }
    NR == 1 || $4 != "sex*age_group" { next }
    { k = $1 SUBSEP $2 SUBSEP $3; n++; key[n] = k; row[n] = $1 "," $2 "," $3 "," $4 "," $5; v[n] = $6
      if ($6 >= 1 && $6 <= 4) prim[k]++
      else if ($6 >= 5 && (!(k in small) || $6 < v[small[k]])) small[k] = n }
    END { for (i = 1; i <= n; i++) {
            s = v[i]
            if (s >= 1 && s <= 4) s = "<5"
            else if (prim[key[i]] == 1 && small[key[i]] == i) s = "x"
            print row[i], s } }' $T/raw.csv >$T/cross-naive.csv
cat $T/one.csv $T/cross-naive.csv >$T/naive.csv
$RELEC compare --audit $T/naive.csv >$T/naive-aud.csv 2>$T/naive-aud.err
check "--audit of a naive cross-tab suppression: exit 1" [ $? -eq 1 ]
check "--audit: narrowed cross-tab cells are listed" grep -q ',sex\*age_group,.*,narrowed$' $T/naive-aud.csv
# the same cells under another name (no margin lines): the cross-tab's
# own lines leak too, but the margins narrow many more cells
sed 's/,sex\*age_group,/,sex_by_age_group,/' $T/naive.csv >$T/naive-flat.csv
$RELEC compare -q --audit $T/naive-flat.csv >$T/flat-aud.csv 2>/dev/null
check "--audit: the margins narrow more cells than the cross-tab alone" \
    [ "$(grep -c ',narrowed$' $T/naive-aud.csv)" -gt "$(grep -c ',narrowed$' $T/flat-aud.csv)" ]

# wide CSV and the workbook carry the cross-tab
$RELEC compare -q -k 5 --by "$BY" --db $T/s.db --wide $T/w.csv -o $T/l2.csv
check "wide: cross-tab rows" grep -q '^thb_victims,sex\*age_group,PAK,female\*child,' $T/w.csv
check "-o long and stdout agree" cmp -s $T/l2.csv $T/long.csv
$RELEC compare -q -k 5 --by "$BY" --db $T/s.db --xlsx $T/w.xlsx
check "xlsx: written" [ -s $T/w.xlsx ]
check "xlsx: cross-tab inside" sh -c "unzip -p $T/w.xlsx xl/sharedStrings.xml 2>/dev/null | grep -q 'female\*child' || unzip -p $T/w.xlsx 'xl/worksheets/*.xml' | grep -q 'female\*child'"

# --layout aggregate: rows with both columns set, valid, and the same
# table back from another store
$RELEC compare -q --layout aggregate --by "$BY" --db $T/s.db >$T/a.csv
check "aggregate: girls row (sex female, age_group child)" \
    grep -q '^[A-Z]*,2024-[0-9]*,thb_victims,female,child,TOTAL,' $T/a.csv
$RELEC validate -q -s schemas/aggregate.yaml $T/a.csv >/dev/null 2>&1
check "aggregate: validates clean" [ $? -eq 0 ]
check "aggregate: one row per key" [ -z "$(cut -d, -f1-9 $T/a.csv | sort | uniq -d)" ]
$RELEC load -q --db $T/r.db $T/a.csv 2>/dev/null
check "aggregate: it loads into another store" [ $? -eq 0 ]
$RELEC compare -q --layout aggregate --by "$BY" --db $T/r.db | sort >$T/b.s
check "aggregate: every cross-tab row comes back the same" \
    [ -z "$(awk -F, '$4 != "total" && $5 != "total"' $T/a.csv | sort | comm -23 - $T/b.s)" ]

# an enforcement indicator from aggregate rows giving sex and age_group
# (no one-way rows: the margins are the cross rows' sums); -k 10 makes
# primary cells of them
{
    echo reporting_country,reporting_period,indicator,sex,age_group,nationality,border_type,reason,partner_country,value
    for r in PAK,total,total,42 PAK,female,child,5 PAK,female,adult,9 PAK,male,child,6 PAK,male,adult,22 \
        AFG,total,total,33 AFG,female,child,7 AFG,female,adult,8 AFG,male,child,6 AFG,male,adult,12; do
        echo "$r" | awk -F, '{ print $1 ",2025-03,refusals_of_entry," $2 "," $3 ",TOTAL,total,TOTAL,TOTAL," $4 }'
    done
} >$T/enf.csv
$RELEC compare -q -k 10 --by 'sex*age_group' --audit $T/enf.csv -o $T/enf-long.csv >$T/enf-aud.csv
check "enforcement: --audit exit 0" [ $? -eq 0 ]
check "enforcement: girls refused, <10" grep -q '^PAK,2025-03,refusals_of_entry,sex\*age_group,female\*child,<10,$' $T/enf-long.csv
check "enforcement: AFG's female margin is attacked too" grep -q '^AFG,2025-03,refusals_of_entry,sex,female,' $T/enf-aud.csv
$RELEC compare -q --by 'sex*age_group' $T/enf.csv >$T/enf-raw.csv
check "enforcement: AFG's female margin is 7 + 8" grep -q '^AFG,2025-03,refusals_of_entry,sex,female,15,$' $T/enf-raw.csv
check "enforcement: the region's men (22 + 12) hidden" grep -q '^ALL,2025-03,refusals_of_entry,sex\*age_group,male\*adult,x,' $T/enf-aud.csv
check "enforcement: every hidden cell safe" [ -z "$(awk -F, 'NR > 1 && $NF != "safe"' $T/enf-aud.csv)" ]

# crosses with the incident's breakdowns (records): person x incident
# (what the counts hold beyond the person rows: not_recorded*THB, ...)
# and incident x incident (an empty place: not_recorded)
# margins A B FILE CROSS: cells of the cross-tab FILE's A*B whose side is
# a category, summed, against the margin's cell; prints the mismatches
margins() {
    awk -F, -v A="$1" -v B="$2" 'NR > 1 && $4 == A "*" B { split($5, c, "*"); s[$1 "," $2 "," $3 ",A," c[1]] += $6; s[$1 "," $2 "," $3 ",B," c[2]] += $6; x = 1 }
         NR > 1 && $4 == A { m[$1 "," $2 "," $3 ",A," $5] = $6 }
         NR > 1 && $4 == B { m[$1 "," $2 "," $3 ",B," $5] = $6 }
         END { bad = 0; for (k in s) if (s[k] != m[k]) bad++; print x ? bad : "no cross-tab" }' "$3"
}
XBY='sex*offence_type,offence_type*place_type,nationality*route_origin'
$RELEC compare -q --by "$XBY" --db $T/s.db >$T/xraw.csv
check "sex*offence_type: margins are the sums" [ "$(margins sex offence_type $T/xraw.csv)" = 0 ]
check "offence_type*place_type: margins are the sums" [ "$(margins offence_type place_type $T/xraw.csv)" = 0 ]
check "nationality*route_origin: margins are the sums" [ "$(margins nationality route_origin $T/xraw.csv)" = 0 ]
check "sex*offence_type: suspects beyond the person rows" grep -q ',suspects_arrested,sex\*offence_type,not_recorded\*[A-Z_]*,[1-9]' $T/xraw.csv
$RELEC compare -q -k 5 --by "$XBY" --audit --db $T/s.db >$T/xaud.csv
check "incident cross-tabs: --audit exit 0" [ $? -eq 0 ]
check "incident cross-tabs: every hidden cell safe" [ -z "$(awk -F, 'NR > 1 && $NF != "safe"' $T/xaud.csv)" ]
$RELEC compare --layout aggregate --by "$XBY,sex*age_group" --db $T/s.db >$T/xa.csv 2>$T/xa.err
check "aggregate: cross-tabs without a column left out, said" grep -q 'no column in the aggregate' $T/xa.err
check "aggregate: sex*age_group still written" grep -q '^[A-Z]*,2024-[0-9]*,thb_victims,female,child,TOTAL,' $T/xa.csv

# usage errors
$RELEC compare --by 'sex*sex' --db $T/s.db >/dev/null 2>$T/e1
check "sex*sex: usage error" [ $? -eq 2 ]
check "sex*sex: says what a cross-tab is" grep -q "a cross-tab is two different breakdowns" $T/e1
$RELEC compare --by 'sex*nowhere' --db $T/s.db >/dev/null 2>$T/e2
check "sex*nowhere: usage error" [ $? -eq 2 ]
finish
