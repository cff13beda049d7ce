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
finish
