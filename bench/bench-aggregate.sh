#!/bin/sh
# bench-aggregate: what the aggregate table's key and sums cost `relec
# validate` (issue 13 / issue 9 "schema language").
#   - generates ROWS (default 1,000,000) aggregate rows whose breakdowns add
#     up, with <5 cells (bench/gen-aggregate.py), in a temporary directory
#   - times `relec validate -q -s schemas/aggregate.yaml FILE` beside the
#     same schema without key:, sums: and suppress_below (the baseline, in
#     the same run), best of 3 each: wall and CPU seconds, peak RSS, ratio
#   - checks the file validates clean (no false sums finding on <5 cells)
#   - peak RSS at ROWS/10 and ROWS: the key set and the sums groups grow
#     with the rows of a file (a few dozen bytes a row), nothing else does
cd "$(dirname "$0")/.." || exit 2
RELEC=${RELEC:-bin/relec}
ROWS=${ROWS:-1000000}
TIME=/usr/bin/time
if [ ! -x "$RELEC" ] || [ ! -x $TIME ]; then
    echo "bench-aggregate: needs $RELEC (make) and /usr/bin/time" >&2
    exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/relec-bench-XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
python3 bench/gen-aggregate.py "$ROWS" "$T/agg.csv" || exit 1
python3 bench/gen-aggregate.py $((ROWS / 10)) "$T/small.csv" || exit 1
# the baseline: the same schema with no key, sums or small-count rule
sed -e '/^key:/,/^rules:/{/^rules:/!d}' -e '/suppress_below:/d' \
    schemas/aggregate.yaml >"$T/aggregate.yaml"
cp -r schemas/codes "$T/codes"

best() { # $1 schema, $2 file: best of 3 (by wall time) as "wall cpu rss"
    for i in 1 2 3; do
        $TIME -f "%e %U %S %M" -o "$T/t" "$RELEC" validate -q -s "$1" "$2" 2>/dev/null
        tail -n 1 "$T/t"
    done | awk 'NR == 1 || $1 < w { w = $1; c = $2 + $3; m = $4 }
                END { printf "%s %.2f %s\n", w, c, m }'
}
set -- $(best "$T/aggregate.yaml" "$T/agg.csv")
bw=$1 bc_=$2 brss=$3
set -- $(best schemas/aggregate.yaml "$T/agg.csv")
kw=$1 kc=$2 krss=$3
set -- $(best schemas/aggregate.yaml "$T/small.csv")
srss=$3
printf 'rows: %d (%s MB)\n' "$ROWS" "$(($(wc -c <"$T/agg.csv") / 1000000))"
printf 'without key/sums: %6.2f s wall, %6.2f s cpu, %7d KB peak\n' "$bw" "$bc_" "$brss"
printf 'with key and sums: %5.2f s wall, %6.2f s cpu, %7d KB peak\n' "$kw" "$kc" "$krss"
printf 'ratio (wall): %.1fx; peak RSS at %d rows: %d KB, at %d rows: %d KB\n' \
    "$(awk -v a="$kw" -v b="$bw" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
    $((ROWS / 10)) "$srss" "$ROWS" "$krss"
if "$RELEC" validate -q -s schemas/aggregate.yaml "$T/agg.csv" 2>/dev/null; then
    echo "PASS validates clean (breakdowns that add up, <5 cells: no finding)"
else
    echo "MISS a table whose breakdowns add up gave findings"
fi
