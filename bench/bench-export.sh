#!/bin/sh
# bench-export.sh: relec export of a generated incident CSV (default
# 1,000,000 rows; BENCH_ROWS=N to change) into the standard workbook, in
# libxlsxwriter's constant-memory mode. Prints wall and CPU time and peak
# RSS (/usr/bin/time -v), against the targets (< 15 s, < 100 MB), and the
# ratio to `relec validate` of the same file in the same run (the baseline:
# reading and checking without writing a workbook). The data is generated
# under a temp directory and removed; nothing big is kept.
set -u
RELEC=${RELEC:-bin/relec}
N=${BENCH_ROWS:-1000000}
CC=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-export.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
$CC -O2 -o "$tmp/gen" bench/gen-incidents.c || exit 1
"$tmp/gen" "$N" 1 PAK,AFG,IRN,TUR >"$tmp/in.csv" || exit 1
bytes=$(wc -c <"$tmp/in.csv")

# field VALUE of /usr/bin/time -v output FILE
tv() { sed -n "s/^[[:space:]]*$2: //p" "$1" | head -n 1; }
secs() { # h:mm:ss or m:ss.cc -> seconds
    echo "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'
}

/usr/bin/time -v "$RELEC" validate -q -s schemas/incident.yaml "$tmp/in.csv" \
    2>"$tmp/v.time" >/dev/null
v_wall=$(secs "$(tv "$tmp/v.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")

/usr/bin/time -v "$RELEC" export -s schemas/incident.yaml -o "$tmp/out.xlsx" \
    "$tmp/in.csv" 2>"$tmp/e.time" >/dev/null
rc=$?
e_wall=$(secs "$(tv "$tmp/e.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")
e_user=$(tv "$tmp/e.time" 'User time (seconds)')
e_sys=$(tv "$tmp/e.time" 'System time (seconds)')
e_rss=$(tv "$tmp/e.time" 'Maximum resident set size (kbytes)')
out=$(wc -c <"$tmp/out.xlsx" 2>/dev/null || echo 0)
rows=$(sed -n 's/^wrote .*: \([0-9]*\) rows in Data.*/\1/p' "$tmp/e.time")

echo "export: $N incident rows, CSV $((bytes / 1048576)) MB -> xlsx $((out / 1048576)) MB (exit $rc)"
echo "export: rows in Data: ${rows:-?} (want $N)"
echo "export: wall ${e_wall} s, cpu $(echo "$e_user $e_sys" | awk '{ printf "%.2f", $1 + $2 }') s (user $e_user, sys $e_sys), peak RSS $((e_rss / 1024)) MB"
echo "export: baseline validate of the same file: wall ${v_wall} s; export/validate $(echo "$e_wall $v_wall" | awk '{ printf "%.1f", ($2 > 0 ? $1 / $2 : 0) }')x"
echo "export: targets wall < 15 s: $(echo "$e_wall" | awk '{ print ($1 < 15) ? "met" : "MISSED" }'), RSS < 100 MB: $( [ "$e_rss" -lt 102400 ] && echo met || echo MISSED)"
echo "export: load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (wall time is shared)"
