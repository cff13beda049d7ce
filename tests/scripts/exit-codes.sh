# Exit codes by error class (issue 14 item 5): every case gives the
# documented code and a message naming the real cause.
. tests/testlib.sh
head -c 3000 /dev/urandom >$T/random.xlsx
printf 'a,b\n1,2\n' >$T/notdb.db
cp examples/aggregate.csv $T/agg.csv
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table batches(x)'); c.commit()" $T/other.db

$RELEC validate -s schemas/incident.yaml $T/random.xlsx 2>$T/err
check "random bytes named .xlsx: exit 3" [ $? -eq 3 ]
check "... saying it is not a workbook" grep -q "not a workbook" $T/err
$RELEC export -s incident --db $T/notdb.db -o $T/x.xlsx 2>$T/err
check "export --db of a CSV named .db: exit 3" [ $? -eq 3 ]
check "... saying it is not a store" grep -q "not a store" $T/err
check "... and writing nothing" [ ! -e $T/x.xlsx ]
$RELEC load --db $T/agg.csv examples/incident.csv 2>$T/err
check "load --db on a CSV: exit 3" [ $? -eq 3 ]
check "... saying it is not a database" grep -q "not a database" $T/err
check "... leaving it as it was" cmp -s $T/agg.csv examples/aggregate.csv
$RELEC load --db $T/other.db examples/incident.csv 2>$T/err
check "load --db on a database of another layout: exit 3" [ $? -eq 3 ]
check "... saying its tables are not a store's" grep -q "not a relec store" $T/err
$RELEC load --db $T/missing/s.db examples/incident.csv 2>$T/err
check "load --db in a missing folder: exit 4" [ $? -eq 4 ]
$RELEC compare -o $T/missing/c.xlsx examples/aggregate.csv 2>$T/err
check "compare -o in a missing folder: exit 4" [ $? -eq 4 ]
check "... naming the cause, not memory" grep -q "cannot write .*No such file or directory" $T/err
$RELEC validate -s schemas/incident.yaml examples/incident.csv --report $T/r.txt 2>$T/err
check "a report not named .csv/.jsonl/.xlsx: exit 2" [ $? -eq 2 ]
$RELEC merge --map examples/maps/pak-fia.yaml examples/national/pak-fia-2025-03.csv --report $T/r.txt 2>$T/err
check "merge: a report not named .csv/.jsonl: exit 2" [ $? -eq 2 ]
finish
