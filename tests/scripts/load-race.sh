# Two loads of the same file at the same moment make one batch: the check
# for "already loaded" is asked again inside the load's transaction.
# A writer holds the store's lock while both loads start, so both get past
# the first check and wait; when it lets go, they run one after the other.
. tests/testlib.sh
DB=$T/race.db
q() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
$RELEC load -q --db $DB examples/aggregate.csv examples/person.csv 2>$T/err
check "the store is made" [ $? -eq 0 ]
python3 - "$DB" "$T/locked" "$T/go" <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
while not os.path.exists(sys.argv[3]):
    time.sleep(0.05)
c.execute("ROLLBACK")
PY
holder=$!
while [ ! -e $T/locked ]; do sleep 0.05; done
$RELEC load -q --db $DB examples/incident.csv 2>$T/err1 &
a=$!
$RELEC load -q --db $DB examples/incident.csv 2>$T/err2 &
b=$!
sleep 2 # both loads reach the lock (a longer wait changes nothing)
touch $T/go
wait $a
ra=$?
wait $b
rb=$?
wait $holder
check "both loads exit 0 ($ra, $rb)" [ "$ra$rb" = 00 ]
check "one batch of the incident file" [ "$(q "select count(*) from batches where record_type='incident'")" = 1 ]
check "its rows once" [ "$(q 'select count(*) from incident')" = 47 ]
check "one of the two says the file is already in the store" sh -c "cat $T/err1 $T/err2 | grep -q 'nothing changed'"
finish
