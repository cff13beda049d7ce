# load reads stdin (-): spooled to a private file, hashed and loaded as
# "<stdin>"; the same bytes again change nothing; no spool is left; and
# the pipeline the README promises works: merge | validate --valid - |
# load -.
. tests/testlib.sh
DB=$T/s.db
q() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
spools() { ls -a "${TMPDIR:-/tmp}" | grep -c '^relec-stdin-'; }
before=$(spools)
$RELEC load -q --db $DB - <examples/incident.csv 2>$T/err
check "load - exits 0" [ $? -eq 0 ]
check "the batch is named <stdin>" [ "$(q "select file from batches")" = "<stdin>" ]
check "its rows are loaded" [ "$(q 'select count(*) from incident')" = 47 ]
check "the batch has the SHA-256 of the bytes" [ "$(q 'select sha256 from batches')" = "$(sha256sum examples/incident.csv | cut -d' ' -f1)" ]
cat examples/incident.csv | $RELEC load --db $DB - 2>$T/err
check "the same bytes again change nothing" grep -q "<stdin>: already in the store" $T/err
check "no spool is left" [ "$(spools)" = "$before" ]
$RELEC load --db $DB - - <examples/incident.csv 2>$T/err
check "stdin twice is a usage error" [ $? -eq 2 ]
$RELEC merge -q --map examples/maps/pak-fia.yaml examples/national/pak-fia-2025-03.csv 2>/dev/null |
    $RELEC validate -q -s schemas/incident.yaml - --valid - 2>/dev/null |
    $RELEC load -q --db $T/p.db - 2>$T/err
check "merge | validate --valid - | load - exits 0" [ $? -eq 0 ]
check "... and loads the merged valid rows" [ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from incident").fetchone()[0])' $T/p.db)" -gt 0 ]
finish
