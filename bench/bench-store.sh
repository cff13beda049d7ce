#!/bin/sh
# bench-store.sh: relec load of ROWS (default 5,000,000) generated standard
# incident rows from six countries (bench/gen-incidents.c) into a fresh
# store, then relec compare over the store, with peak RSS of each. As a
# baseline in the same run: relec validate over the same file (load =
# validate + SQLite inserts), and compare over the CSV file (store vs file).
# Also the idempotent second load (hashes the file, changes nothing). The
# data is generated into a temporary folder and removed afterwards.
set -e
RELEC=${RELEC:-bin/relec}
ROWS=${ROWS:-5000000}
CC=${CC:-cc}
D=$(mktemp -d "${TMPDIR:-/tmp}/bench-store.XXXXXX")
trap 'rm -rf "$D"' EXIT INT TERM
$CC -O2 -o "$D/gen" bench/gen-incidents.c
"$D/gen" "$ROWS" 7 PAK,AFG,IRN,IRQ,BGD,TUR >"$D/in.csv"
# run LABEL CMD...: elapsed s, peak RSS (KiB), CPU s of CMD into $D/LABEL
# (CPU time too: on a shared 2-core machine elapsed time depends on the
# neighbours)
run() {
    label=$1; shift
    /usr/bin/time -f '%e %M %U %S' -o "$D/$label.t" "$@" >"$D/$label.out" 2>"$D/$label.err" || true
}
run validate "$RELEC" validate -q -s schemas/incident.yaml "$D/in.csv"
run load "$RELEC" load -q --db "$D/s.db" "$D/in.csv"
run reload "$RELEC" load -q --db "$D/s.db" "$D/in.csv"
run cmp_db "$RELEC" compare -q --by offence_type,exploitation_form -k 5 --db "$D/s.db" --long "$D/c1.csv"
run cmp_csv "$RELEC" compare -q --by offence_type,exploitation_form -k 5 "$D/in.csv" --long "$D/c2.csv"
loaded=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from incident").fetchone()[0])' "$D/s.db")
same=no; cmp -s "$D/c1.csv" "$D/c2.csv" && same=yes
f() { cat "$D/$1.t"; }
awk -v rows="$ROWS" -v loaded="$loaded" -v same="$same" \
    -v va="$(f validate)" -v lo="$(f load)" -v re="$(f reload)" \
    -v cd="$(f cmp_db)" -v cc="$(f cmp_csv)" -v size="$(wc -c <"$D/s.db")" 'BEGIN {
    split(va, v, " "); split(lo, l, " "); split(re, r, " "); split(cd, d, " "); split(cc, c, " ")
    printf "load: %d rows from 6 countries, %d in the store (%.0f MiB)\n", rows, loaded, size / 1048576
    printf "load: %.1f s (%.1f s CPU), %.0f rows/s, peak RSS %.0f MiB (target with merge: under 120 s)\n", l[1], l[3] + l[4], rows / l[1], l[2] / 1024
    printf "baseline validate of the same file: %.1f s; load/validate = %.2f\n", v[1], l[1] / v[1]
    printf "second load of the same file (nothing changes): %.1f s\n", r[1]
    printf "compare over the store: %.1f s (%.1f s CPU), peak RSS %.0f MiB\n", d[1], d[3] + d[4], d[2] / 1024
    printf "baseline compare over the CSV file: %.1f s; store/file = %.2f; same tables: %s\n", c[1], d[1] / c[1], same
}'
