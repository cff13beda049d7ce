#!/bin/sh
# bench-merge.sh: relec merge over ROWS (default 5,000,000) generated rows
# from six countries in three national shapes (bench/gen-national.py), maps
# with validate: true. Prints rows in/out, seconds, rows per second, and as
# a baseline in the same run, relec validate over the merged output (the
# same rows already in the standard): merge/validate is the cost of mapping.
# BASE_RELEC=path/to/older/relec also times that binary's merge on the same
# data (before/after of a change). The data is generated into a temporary
# folder and removed afterwards.
set -e
RELEC=${RELEC:-bin/relec}
ROWS=${ROWS:-5000000}
D=$(mktemp -d "${TMPDIR:-/tmp}/bench-merge.XXXXXX")
trap 'rm -rf "$D"' EXIT INT TERM
now() { date +%s.%N; }
t0=$(now)
python3 bench/gen-national.py "$D" "$ROWS"
t1=$(now)
set -- 
for c in pak afg irq irn tur bgd; do set -- "$@" --map "$D/$c.yaml" "$D/$c.csv"; done
"$RELEC" merge -q "$@" --rejects "$D/rej.csv" -o "$D/out.csv" 2>"$D/err" || true
t2=$(now)
"$RELEC" validate -q -s schemas/incident.yaml "$D/out.csv" 2>/dev/null || true
t3=$(now)
# the whole target: the merged rows loaded into a fresh store, then
# the comparison tables over that store
"$RELEC" load -q --db "$D/store.db" "$D/out.csv" 2>"$D/load.err" || true
t4=$(now)
"$RELEC" compare --db "$D/store.db" -o "$D/cmp.csv" 2>/dev/null || true
t5=$(now)
loaded=$(sqlite3 "$D/store.db" "select count(*) from incident" 2>/dev/null || echo "?")
tb=
if [ -n "${BASE_RELEC:-}" ]; then
    "$BASE_RELEC" merge -q "$@" -o "$D/base.csv" 2>/dev/null || true
    tb=$(now)
    cmp -s "$D/base.csv" "$D/out.csv" && same=yes || same=NO
    rm -f "$D/base.csv"
fi
out=$(($(wc -l <"$D/out.csv") - 1))
rej=$(($(wc -l <"$D/rej.csv") - 1))
awk -v rows="$ROWS" -v out="$out" -v rej="$rej" -v g="$t0" -v a="$t1" -v b="$t2" -v c="$t3" 'BEGIN {
    m = b - a; v = c - b
    printf "merge: %d rows from 6 countries (generated in %.1f s)\n", rows, a - g
    printf "merge: %d out, %d rejected, in = out + rejected: %s\n", out, rej, (out + rej == rows) ? "yes" : "NO"
    printf "merge: %.1f s, %.0f rows/s (target: merge and load of 5M rows under 120 s)\n", m, rows / m
    printf "baseline validate of the merged rows: %.1f s; merge/validate = %.2f\n", v, m / v
    printf "merge: %s (target: well under 60 s for 5M rows, load takes the rest)\n", (rows < 5000000 || m < 60) ? "PASS" : "MISS"
}'
awk -v rows="$ROWS" -v loaded="$loaded" -v a="$t1" -v b="$t2" -v c="$t3" -v d="$t4" -v e="$t5" 'BEGIN {
    m = b - a; l = d - c; t = m + l
    printf "load of the merged rows: %.1f s, %s rows in the store\n", l, loaded
    printf "merge + load: %.1f s for %d rows (target < 120 s for 5,000,000): %s\n", t, rows, (t < 120 * rows / 5000000) ? "PASS" : "MISS"
    printf "compare over that store: %.1f s\n", e - d
}'
if [ -n "$tb" ]; then
    awk -v a="$t5" -v b="$tb" -v m0="$t1" -v m1="$t2" -v same="$same" 'BEGIN {
        printf "baseline %s: %.1f s; this/baseline = %.2f; same output: %s\n", ENVIRON["BASE_RELEC"], b - a, (m1 - m0) / (b - a), same
    }'
fi
tail -n 7 "$D/err" | sed 's/^/merge: /'
