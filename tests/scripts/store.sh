# The regional store: relec load (idempotent, corrected files replace,
# invalid rows refused or set aside, every row accounted for) and relec
# compare reading the store as it reads the files.
. tests/testlib.sh
DB=$T/relec.db
q() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }

$RELEC load --db $DB examples/incident.csv examples/person.csv examples/aggregate.csv 2>$T/err
check "load of the examples exits 0" [ $? -eq 0 ]
check "incident rows all loaded" [ "$(q 'select count(*) from incident')" = 47 ]
check "person rows all loaded" [ "$(q 'select count(*) from person')" = 72 ]
check "aggregate rows all loaded" [ "$(q 'select count(*) from aggregate')" = 33 ]
check "three batches with their SHA-256" [ "$(q "select count(*) from batches where length(sha256)=64")" = 3 ]
check "batch records the file's SHA-256" [ "$(q "select sha256 from batches where record_type='incident'")" = "$(sha256sum examples/incident.csv | cut -d' ' -f1)" ]
check "the source row is kept" [ "$(q "select source_row from incident where incident_id='PAK-2025-LHR-0001'")" = 2 ]
check "'<5' is kept as text" [ "$(q "select count(*) from aggregate where value='<5'")" = "$(grep -c ',<5$' examples/aggregate.csv)" ]

# idempotent: the same files again change nothing
cp $DB $T/before.db
$RELEC load --db $DB examples/incident.csv examples/person.csv examples/aggregate.csv 2>$T/err
check "second load exits 0" [ $? -eq 0 ]
check "second load says nothing changed" [ "$(grep -c 'nothing changed' $T/err)" = 3 ]
check "second load adds no batch" [ "$(q 'select count(*) from batches')" = 3 ]
check "second load adds no row" [ "$(q 'select count(*) from incident')" = 47 ]
dump() { python3 -c 'import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
for t in ("incident","person","aggregate","batches"):
    for r in c.execute("select * from %s order by rowid" % t): print(t, r)' "$1"; }
dump $T/before.db >$T/d1; dump $DB >$T/d2
check "second load leaves the store byte-for-byte equal in content" cmp -s $T/d1 $T/d2

# a corrected file for the same country and month replaces the batch
sed 's/Bonded labour: family of six/Bonded labour: a family of six/' examples/incident.csv >$T/incident-corrected.csv
head -n 11 $T/incident-corrected.csv >$T/incident-fewer.csv
$RELEC load --db $DB $T/incident-fewer.csv 2>$T/err
check "corrected file loads" [ $? -eq 0 ]
check "corrected file says what it replaces" grep -q 'replaces 47 rows of 1 earlier batch' $T/err
nrows() { python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8", errors="replace")))) - 1)' "$1"; }
check "only the corrected rows remain" [ "$(q 'select count(*) from incident')" = "$(nrows $T/incident-fewer.csv)" ]
check "the corrected value is in the store" [ "$(q "select count(*) from incident where notes like 'Bonded labour: a family%'")" = 1 ]
check "the old batch is marked replaced" [ "$(q "select replaced_by from batches where batch_id=1")" = 4 ]
check "old batch: all its rows removed" [ "$(q "select removed from batches where batch_id=1")" = 47 ]
# loading the original again restores it (it was replaced, so it is new)
$RELEC load --db $DB examples/incident.csv 2>$T/err
check "the original again replaces the correction" [ "$(q 'select count(*) from incident')" = 47 ]

# a file with errors is refused whole; nothing of it is loaded
n0=$(q 'select count(*) from batches')
$RELEC load --db $DB -q examples/errors/incident-errors.csv 2>$T/err
check "file with errors exits 1" [ $? -eq 1 ]
check "file with errors: refused" grep -q 'refused' $T/err
check "file with errors: no batch" [ "$(q 'select count(*) from batches')" = "$n0" ]
check "file with errors: rows unchanged" [ "$(q 'select count(*) from incident')" = 47 ]
# --skip-invalid: valid rows load, invalid ones are kept with their reason
$RELEC load --db $DB -q --skip-invalid examples/errors/incident-errors.csv 2>$T/err
check "--skip-invalid exits 1" [ $? -eq 1 ]
bid=$(q 'select max(batch_id) from batches')
rows=$(q "select rows from batches where batch_id=$bid")
check "--skip-invalid: rows = loaded + rejected" [ "$rows" = "$(q "select loaded+rejected from batches where batch_id=$bid")" ]
check "--skip-invalid: rows = data rows of the file" [ "$rows" = "$($RELEC validate -s schemas/incident.yaml examples/errors/incident-errors.csv 2>&1 | sed -n 's/.*: \([0-9]*\) rows: .*/\1/p')" ]
check "--skip-invalid: every rejected row in rejects" [ "$(q "select count(*) from rejects where batch_id=$bid")" = "$(q "select rejected from batches where batch_id=$bid")" ]
check "--skip-invalid: a reason names the code" [ "$(q "select count(*) from rejects where batch_id=$bid and reason like '%[%]%'")" -gt 0 ]

# usage and input errors
$RELEC load examples/incident.csv 2>/dev/null
check "no --db is a usage error" [ $? -eq 2 ]
$RELEC load --db $DB $T/missing.csv 2>$T/err
check "missing input exits 3" [ $? -eq 3 ]
check "missing input message" grep -q "cannot open '$T/missing.csv'" $T/err
$RELEC load --db $DB $DB 2>/dev/null
check "the store as its own input is refused" [ $? -eq 2 ]

# the store reads like the files: compare over both gives the same tables
DB2=$T/fresh.db
$RELEC load -q --db $DB2 examples/incident.csv examples/person.csv 2>/dev/null
$RELEC compare -q --by all -k 5 examples/incident.csv examples/person.csv >$T/files.csv
$RELEC compare -q --by all -k 5 --db $DB2 >$T/store.csv
check "compare over the store equals compare over the files" cmp -s $T/files.csv $T/store.csv
check "compare output is not empty" [ "$(wc -l <$T/files.csv)" -gt 20 ]
# with aggregates too, and quarters; the store is read by its own narrow
# SELECT (lib/compare_store.c), the files through the sources
$RELEC load -q --db $DB2 examples/aggregate.csv 2>/dev/null
for p in month quarter; do
    $RELEC compare -q -p $p --by all -k 3 examples/incident.csv examples/person.csv examples/aggregate.csv >$T/files-$p.csv 2>$T/files-$p.err
    $RELEC compare -q -p $p --by all -k 3 --db $DB2 >$T/store-$p.csv
    check "compare -p $p over the store (3 tables) equals the files" cmp -s $T/files-$p.csv $T/store-$p.csv
done
check "compare reads the aggregates of the store" grep -q '^PAK,2025-Q1,' $T/store-quarter.csv
$RELEC compare --by all --db $DB2 >/dev/null 2>$T/acc-store
$RELEC compare --by all examples/incident.csv examples/person.csv examples/aggregate.csv >/dev/null 2>$T/acc-files
check "row accounting over the store equals the files" cmp -s $T/acc-files $T/acc-store

# the person batch takes the period of its incidents
check "a person batch has its incidents' period" [ "$(q "select period from batches where record_type='person' and replaced_by is null" )" = 2025-03 ]

# incident_id is unique in the whole store: the same id for another month
DB3=$T/ids.db
$RELEC load -q --db $DB3 examples/incident.csv examples/person.csv 2>/dev/null
python3 - examples/incident.csv $T/apr.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
h = rows[0]
ip, idt, ii = h.index('reporting_period'), h.index('incident_date'), h.index('incident_id')
out = [h]
for k, r in enumerate(rows[1:3]):
    r = list(r); r[ip] = '2025-04'; r[idt] = '2025-04-03'
    if k == 1: r[ii] = 'PAK-2025-LHR-9001'
    out.append(r)
csv.writer(open(sys.argv[2], 'w', newline='', encoding='utf-8'), lineterminator='\n').writerows(out)
PY
q3() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB3" "$1"; }
$RELEC load --db $DB3 $T/apr.csv 2>$T/err
check "an id already in the store for another month: exit 1" [ $? -eq 1 ]
check "an id already in the store: a unique finding at its row" grep -q "apr.csv:2: error: incident_id: already in the store as an incident of PAK 2025-03 .*\[unique\]" $T/err
check "an id already in the store: the file is refused" [ "$(q3 "select count(*) from incident where reporting_period='2025-04'")" = 0 ]
$RELEC load --db $DB3 --skip-invalid $T/apr.csv 2>$T/err
check "--skip-invalid: the other row loads" [ "$(q3 "select count(*) from incident where reporting_period='2025-04'")" = 1 ]
check "--skip-invalid: the clash is in rejects" [ "$(q3 "select count(*) from rejects where source_row=2 and reason like 'incident_id: already in the store%[unique]'")" = 1 ]
check "--skip-invalid: the first load of the id stays" [ "$(q3 "select reporting_period from incident where incident_id='PAK-2025-LHR-0001'")" = 2025-03 ]
check "--skip-invalid: rows = loaded + rejected" [ "$(q3 "select rows||' '||(loaded+rejected)||' '||rejected from batches where batch_id=3")" = "2 2 1" ]
# a corrected incident file that drops incidents: their persons stay, and
# are reported
head -n 11 examples/incident.csv >$T/incident-fewer.csv
$RELEC load --db $DB3 $T/incident-fewer.csv 2>$T/err
check "dropping incidents with persons still loads" [ $? -eq 0 ]
orph=$(q3 "select count(*) from person where incident_id not in (select incident_id from incident)")
check "there are orphans to report" [ "$orph" -gt 0 ]
check "the orphans are counted on stderr" grep -q "incident-fewer.csv: $orph person rows of incidents this file no longer has (PAK-" $T/err
check "no person row is deleted" [ "$(q3 'select count(*) from person')" = 72 ]
$RELEC load --db $DB3 examples/incident.csv $T/apr.csv 2>$T/err
check "the summary counts no orphans when the incidents come back" grep -q '; 0 person rows without their incident$' $T/err
# aggregates are replaced by country, period and indicator: a month's
# enforcement figures in a file of their own leave its THB figures, and a
# corrected file replaces only the indicators it carries
H=reporting_country,reporting_period,indicator,sex,age_group,nationality,value
printf '%s\n' $H PAK,2025-03,thb_victims,total,total,TOTAL,38 PAK,2025-03,som_incidents,total,total,TOTAL,12 >$T/agg-thb.csv
printf '%s\n' $H PAK,2025-03,offloaded_passengers,total,total,TOTAL,3049 >$T/agg-enf.csv
printf '%s\n' $H PAK,2025-03,thb_victims,total,total,TOTAL,41 >$T/agg-fix.csv
$RELEC load -q --db $T/agg.db $T/agg-thb.csv $T/agg-enf.csv 2>$T/err
qa() { sqlite3 $T/agg.db "$1"; }
check "an enforcement file beside the THB file of the same month: both kept" \
    [ "$(qa "select count(*) from aggregate")" = 3 ]
$RELEC load -q --db $T/agg.db $T/agg-fix.csv 2>$T/err
check "a corrected THB figure replaces that indicator only" \
    [ "$(qa "select group_concat(indicator || '=' || value, ' ') from (select * from aggregate order by indicator)")" = "offloaded_passengers=3049 som_incidents=12 thb_victims=41" ]
# a file that replaces rows of two earlier batches marks both replaced: the
# batch ids are read from a table's keys, which are not NUL-ended (reading
# on past one gave "12" for batch 1, and batch 2 stayed live)
R=$T/two.db
qr() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$R" "$1"; }
sed 's/,2025-03,/,2025-04,/; s/PAK-2025-/PAK-2025-B/' examples/incident.csv >$T/apr.csv
{ cat examples/incident.csv; tail -n +2 $T/apr.csv; } >$T/both.csv
$RELEC load -q --db $R examples/incident.csv $T/apr.csv 2>$T/err
$RELEC load --db $R $T/both.csv 2>$T/err
check "a file over two batches says it replaces both" grep -q 'replaces 94 rows of 2 earlier batches' $T/err
check "both earlier batches are marked replaced by it" [ "$(qr "select group_concat(batch_id || ':' || removed || ':' || replaced_by, ' ') from (select * from batches where batch_id < 3 order by batch_id)")" = "1:47:3 2:47:3" ]
check "reloading the March file after it is a new batch" [ "$($RELEC load --db $R examples/incident.csv 2>&1 | grep -c 'nothing changed')" = 0 ]
finish
