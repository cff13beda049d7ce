#!/bin/sh
# bench-validate: throughput and memory of `relec validate` (issue 2).
#   - generates ROWS (default 1,000,000) valid incident rows (~140 MB) in a
#     temporary directory with bench/gen-incidents.c
#   - times a bare libcsv parse of the file (bench/bare-csv.c, the baseline)
#     and `relec validate -q -s schemas/incident.yaml FILE`, best of 3 each
#   - prints rows/s, MB/s, the ratio validate/bare and peak RSS, with PASS or
#     MISS against the targets: >= 100 MB/s, within 1.5x of the bare parse,
#     peak RSS under 64 MB (a miss is printed, not an error)
#   - shows that memory is flat in rows: peak RSS at ROWS/10 and ROWS rows
#     with a schema that has no unique field (only key sets may grow)
# Wall time is the figure judged; CPU time (user+sys) is printed beside it,
# as it is the steadier of the two on a shared machine.
cd "$(dirname "$0")/.." || exit 2
RELEC=${RELEC:-bin/relec}
ROWS=${ROWS:-1000000}
CC=${CC:-cc}
if [ ! -x "$RELEC" ]; then
    echo "bench-validate: $RELEC is not built (make)" >&2
    exit 1
fi
TIME=/usr/bin/time
if [ ! -x $TIME ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null 2>&1
    fi
fi
if [ ! -x $TIME ]; then
    echo "bench-validate: /usr/bin/time is missing (apt-get install time)" >&2
    exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/relec-bench-XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

$CC -O2 -o "$T/gen" bench/gen-incidents.c || exit 1
$CC -O2 -o "$T/bare" bench/bare-csv.c -lcsv || exit 1
"$T/gen" "$ROWS" > "$T/inc.csv" || exit 1
SMALL=$((ROWS / 10))
"$T/gen" "$SMALL" > "$T/small.csv" || exit 1
BYTES=$(wc -c < "$T/inc.csv")

# best of 3 runs of a command: sets WALL, CPU (seconds) and RSS (KB, the
# largest of the runs); fails if the command fails
best3() {
    : > "$T/times"
    for i in 1 2 3; do
        if ! $TIME -f "%e %U %S %M" -o "$T/time" "$@" >/dev/null 2>"$T/err"; then
            echo "bench-validate: '$*' failed:" >&2
            tail -n 5 "$T/err" >&2
            return 1
        fi
        tail -n 1 "$T/time" >> "$T/times"
    done
    WALL=$(awk 'NR == 1 || $1 < w { w = $1 } END { printf "%.2f", w }' "$T/times")
    CPU=$(awk 'NR == 1 || $2 + $3 < c { c = $2 + $3 } END { printf "%.2f", c }' "$T/times")
    RSS=$(awk '$4 > m { m = $4 } END { print m + 0 }' "$T/times")
}

rate() { # seconds -> "N rows/s, N MB/s"
    echo "$1" | awk -v r="$ROWS" -v b="$BYTES" '{ s = $1 > 0 ? $1 : 0.001;
        printf "%.0f rows/s, %.1f MB/s", r / s, b / s / 1e6 }'
}

best3 "$T/bare" "$T/inc.csv" || exit 1
BW=$WALL; BC=$CPU
best3 "$RELEC" validate -q -s schemas/incident.yaml "$T/inc.csv" || exit 1
VW=$WALL; VC=$CPU; VRSS=$RSS

printf 'file: %s rows, %.1f MB\n' "$ROWS" "$(echo "$BYTES" | awk '{ print $1 / 1e6 }')"
echo "bare libcsv parse:  wall ${BW} s: $(rate "$BW");  cpu ${BC} s: $(rate "$BC")"
echo "relec validate:     wall ${VW} s: $(rate "$VW");  cpu ${VC} s: $(rate "$VC")"
RW=$(echo "$VW $BW" | awk '{ printf "%.2f", $1 / ($2 > 0 ? $2 : 0.001) }')
RC=$(echo "$VC $BC" | awk '{ printf "%.2f", $1 / ($2 > 0 ? $2 : 0.001) }')
echo "ratio validate/bare: wall ${RW}x, cpu ${RC}x"
echo "peak RSS of validate: $((VRSS / 1024)) MB (${VRSS} KB)"

verdict() { if [ "$1" = 1 ]; then echo PASS; else echo MISS; fi; }
MBS=$(echo "$BYTES $VW" | awk '{ print ($1 / ($2 > 0 ? $2 : 0.001) / 1e6 >= 100) ? 1 : 0 }')
R15=$(echo "$RW" | awk '{ print ($1 <= 1.5) ? 1 : 0 }')
M64=$([ "$VRSS" -lt 65536 ] && echo 1 || echo 0)
echo "target >= 100 MB/s (wall):      $(verdict "$MBS")"
echo "target <= 1.5x bare (wall):     $(verdict "$R15")"
echo "target peak RSS < 64 MB:        $(verdict "$M64")"

# memory flat in rows: the same schema without its unique field
mkdir -p "$T/schemas"
ln -s "$(pwd)/schemas/codes" "$T/schemas/codes"
sed 's/unique: true/unique: false/' schemas/incident.yaml > "$T/schemas/incident.yaml"
best3 "$RELEC" validate -q -s "$T/schemas/incident.yaml" "$T/small.csv" || exit 1
S1=$RSS
best3 "$RELEC" validate -q -s "$T/schemas/incident.yaml" "$T/inc.csv" || exit 1
S2=$RSS
echo "peak RSS without unique fields: ${SMALL} rows $((S1 / 1024)) MB (${S1} KB), ${ROWS} rows $((S2 / 1024)) MB (${S2} KB)"
FLAT=$(echo "$S1 $S2" | awk '{ print ($2 - $1 <= 2048) ? 1 : 0 }')
echo "memory flat in rows (grows < 2 MB for 10x rows): $(verdict "$FLAT")"
exit 0
