#!/bin/sh
# bench-pprl.sh: relec pseudonymise and linkage without names (issue 10),
# every figure computed here.
#  1. FEBRL 4 (../shared/datasets/febrl 4a + 4b): pairwise F1 of relec
#     dedup in clear beside relec dedup on the two files encoded by relec
#     pseudonymise --link-key (each with its own owner key, one link key).
#     Target: encoded F1 no more than 0.03 below clear.
#  2. Two countries: the independent generator (INDEP, default
#     /work/main/bench/indep/regional_persons.py --split, REG_ROWS rows)
#     when present, else bench/gen-persons.py split in two; the same
#     figures on the cross-border pairs.
#  3. Scale: ROWS (default 1,000,000) synthetic persons: relec validate
#     (baseline), pseudonymise without and with --link-key (target < 20 s),
#     then two encoded files of ROWS rows each (one 2*ROWS population split
#     in two) linked by relec dedup (target < 5 minutes); peak RSS.
# Keys are made for the run in a temporary directory and removed with it.
RELEC=${RELEC:-bin/relec}
FEBRL=${FEBRL:-../shared/datasets/febrl}
[ -d "$FEBRL" ] || FEBRL=/work/shared/datasets/febrl
INDEP=${INDEP:-/work/main/bench/indep/regional_persons.py}
ROWS=${ROWS:-1000000}
REG_ROWS=${REG_ROWS:-20000}
S=schemas/person.yaml
W=$(mktemp -d "${TMPDIR:-/tmp}/bench-pprl.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
"$RELEC" key new -o "$W/owner_a" && "$RELEC" key new -o "$W/owner_b" &&
    "$RELEC" key new -o "$W/link" || exit 1
enc() { # enc OWNER IN OUT [SCHEMA]
    "$RELEC" pseudonymise -q -s "${4:-$S}" --key "$W/$1" --link-key "$W/link" -o "$3" "$2"
}
verdict() { awk -v d="$1" -v lim="$2" 'BEGIN { print (d <= lim ? "PASS" : "MISS") }'; }

echo "== FEBRL 4: linkage in clear and on encodings"
if [ -f "$FEBRL/dataset4a.csv" ]; then
    n4a=$(($(wc -l <"$FEBRL/dataset4a.csv") - 1))
    "$RELEC" dedup -q -s schemas/febrl.yaml -o "$W/f_clear.csv" "$FEBRL/dataset4a.csv" "$FEBRL/dataset4b.csv"
    enc owner_a "$FEBRL/dataset4a.csv" "$W/f_a.csv" schemas/febrl.yaml
    enc owner_b "$FEBRL/dataset4b.csv" "$W/f_b.csv" schemas/febrl.yaml
    "$RELEC" dedup -q -s schemas/febrl.yaml -o "$W/f_enc.csv" "$W/f_a.csv" "$W/f_b.csv"
    "$RELEC" dedup -q -s schemas/febrl.yaml --one-per-file -o "$W/f_enc1.csv" "$W/f_a.csv" "$W/f_b.csv"
    c=$(python3 bench/dedup-eval.py "$W/f_clear.csv" rec_id --split "$n4a")
    e=$(python3 bench/dedup-eval.py "$W/f_enc.csv" rec_id --split "$n4a")
    e1=$(python3 bench/dedup-eval.py "$W/f_enc1.csv" rec_id --split "$n4a")
    echo "$c" | awk '{printf "clear                 P %.4f  R %.4f  F1 %.4f\n", $4, $5, $6}'
    echo "$e" | awk '{printf "encoded               P %.4f  R %.4f  F1 %.4f\n", $4, $5, $6}'
    echo "$e1" | awk '{printf "encoded --one-per-file P %.4f  R %.4f  F1 %.4f\n", $4, $5, $6}'
    d=$(echo "$c $e" | awk '{print $6 - $12}')
    echo "F1 clear - encoded: $d (target <= 0.03): $(verdict "$d" 0.03)"
else
    echo "FEBRL files not found: skipped"
fi

echo "== two countries: cross-border pairs in clear and on encodings"
if [ -f "$INDEP" ]; then
    /usr/bin/python3 "$INDEP" --seed 3 --rows "$REG_ROWS" -o "$W/reg" --split >/dev/null
    A=$W/reg/country_a.csv B=$W/reg/country_b.csv
    "$RELEC" dedup -q -s $S -o "$W/r_clear.csv" "$A" "$B"
    enc owner_a "$A" "$W/r_a.csv" && enc owner_b "$B" "$W/r_b.csv"
    "$RELEC" dedup -q -s $S -o "$W/r_enc.csv" "$W/r_a.csv" "$W/r_b.csv"
    f1() { /usr/bin/python3 "$(dirname "$INDEP")/eval_pairs.py" "$W/reg/truth_ab.csv" "$1" --a "$A" --b "$B" |
        awk '$1 == "precision" {p = $2} $1 == "recall" {r = $2} $1 == "f1" {f = $2} END {print p, r, f}'; }
    c=$(f1 "$W/r_clear.csv"); e=$(f1 "$W/r_enc.csv")
    echo "regional_persons.py --split, $REG_ROWS rows: $(($(wc -l <"$A") - 1)) + $(($(wc -l <"$B") - 1))"
    echo "$c" | awk '{printf "clear                 P %.4f  R %.4f  F1 %.4f\n", $1, $2, $3}'
    echo "$e" | awk '{printf "encoded               P %.4f  R %.4f  F1 %.4f\n", $1, $2, $3}'
    d=$(echo "$c $e" | awk '{print $3 - $6}')
    echo "F1 clear - encoded: $d (target <= 0.03): $(verdict "$d" 0.03)"
else
    echo "$INDEP not found: skipped"
fi

echo "== scale: $ROWS persons"
python3 bench/gen-persons.py $((2 * ROWS)) 11 >"$W/all.csv"
head -n $((ROWS + 1)) "$W/all.csv" >"$W/a.csv"
{ head -n 1 "$W/all.csv"; tail -n +$((ROWS + 2)) "$W/all.csv"; } >"$W/b.csv"
rm -f "$W/all.csv"
run() { # run NAME CMD...: wall time, CPU and peak RSS
    name=$1; shift
    /usr/bin/time -q -f "%e %U %S %M" -o "$W/time" "$@"
    [ $? -le 1 ] || echo "$name FAILED" # validate: 1 = findings
    awk -v n="$name" '{printf "%-34s %7.2f s wall  %7.2f s cpu  %5d MB\n", n, $1, $2 + $3, $4 / 1024}' "$W/time"
    cut -d' ' -f1 "$W/time" >"$W/wall"
}
run "validate (baseline)" "$RELEC" validate -q -s $S "$W/a.csv"; base=$(cat "$W/wall")
run "pseudonymise" "$RELEC" pseudonymise -q -s $S --key "$W/owner_a" -o "$W/ps.csv" "$W/a.csv"
ps=$(cat "$W/wall")
echo "pseudonymise / validate: $(echo "$ps $base" | awk '{printf "%.2f", $1 / $2}'); target < 20 s: $(verdict "$ps" 20)"
run "pseudonymise --link-key (A)" "$RELEC" pseudonymise -q -s $S --key "$W/owner_a" --link-key "$W/link" -o "$W/ea.csv" "$W/a.csv"
pl=$(cat "$W/wall")
echo "pseudonymise --link-key / validate: $(echo "$pl $base" | awk '{printf "%.2f", $1 / $2}'); target < 20 s: $(verdict "$pl" 20)"
enc owner_b "$W/b.csv" "$W/eb.csv"
rows_in=$(($(wc -l <"$W/ea.csv") + $(wc -l <"$W/eb.csv") - 2))
run "dedup: link A x B ($ROWS rows each)" "$RELEC" dedup -s $S -o "$W/link.csv" "$W/ea.csv" "$W/eb.csv"
lk=$(cat "$W/wall")
rows_out=$(($(wc -l <"$W/link.csv") - 1))
echo "rows in $rows_in, rows out $rows_out; target < 300 s: $(verdict "$lk" 300)"
python3 - "$W/a.csv" "$W/b.csv" "$W/link.csv" <<'PYEOF'
import csv, sys
from collections import Counter
truth = {}
for p in sys.argv[1:3]:
    for r in csv.DictReader(open(p, encoding="utf-8")):
        truth[r["person_id"] + p[-5]] = r["true_id"]
rows = list(csv.DictReader(open(sys.argv[3], encoding="utf-8")))
n = sum(1 for _ in open(sys.argv[1])) - 1
keys = [r["person_id"] + ("a" if i < n else "b") for i, r in enumerate(rows)]
pairs = lambda c: sum(k * (k - 1) // 2 for k in c.values())
t = pairs(Counter(truth[k] for k in keys))
p = pairs(Counter(r["cluster_id"] for r in rows))
tp = pairs(Counter((r["cluster_id"], truth[k]) for r, k in zip(rows, keys)))
print("encoded linkage at this scale: P %.4f  R %.4f  F1 %.4f" % (tp / max(p, 1), tp / max(t, 1), 2 * tp / max(t + p, 1)))
PYEOF
