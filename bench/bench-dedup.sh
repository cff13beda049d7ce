#!/bin/sh
# bench-dedup.sh: relec dedup quality and cost, every figure computed here.
#  1. FEBRL (../shared/datasets/febrl): dataset1, 2, 3 deduplicated,
#     4a + 4b linked; pairwise precision, recall, F1 against rec_id; time.
#  2. Synthetic Silk Routes persons (bench/gen-persons.py, known clusters):
#     the same figures against true_id, with and without --train.
#  3. Scale: 100k and 1M synthetic persons on 2 threads: time, peak RSS,
#     compared pairs, the threshold applied (threshold_rows), P/R/F1 with
#     the schema's weights and with --train, and how the cost grows from
#     100k to 1M (ratios of time, pairs and RSS; 10.0 would be linear).
RELEC=${RELEC:-bin/relec}
FEBRL=${FEBRL:-../shared/datasets/febrl}
[ -d "$FEBRL" ] || FEBRL=/work/shared/datasets/febrl
W=$(mktemp -d "${TMPDIR:-/tmp}/bench-dedup.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
now() { date +%s.%N; }

# run NAME TRUTH SPLIT SCHEMA ARGS... : dedup, then print the figures
run() {
    name=$1 truth=$2 split=$3 schema=$4
    shift 4
    t0=$(now)
    "$RELEC" dedup -q -s "$schema" -o "$W/out.csv" "$@" || return 1
    t1=$(now)
    if [ "$split" = - ]; then set --; else set -- --split "$split"; fi
    python3 bench/dedup-eval.py "$W/out.csv" "$truth" "$@" |
        awk -v n="$name" -v t="$(echo "$t1 - $t0" | bc)" \
            '{printf "%-28s true %7d found %7d  P %.4f  R %.4f  F1 %.4f  %.2f s\n", n, $1, $2, $4, $5, $6, t}'
}

echo "== relec dedup: FEBRL ($FEBRL)"
if [ -f "$FEBRL/dataset1.csv" ]; then
    for d in 1 2 3; do
        run "febrl dataset$d (dedup)" rec_id - schemas/febrl.yaml "$FEBRL/dataset$d.csv"
    done
    n4a=$(python3 -c "import csv,sys;print(sum(1 for _ in csv.reader(open(sys.argv[1])))-1)" "$FEBRL/dataset4a.csv")
    run "febrl 4a+4b (linkage)" rec_id "$n4a" schemas/febrl.yaml "$FEBRL/dataset4a.csv" "$FEBRL/dataset4b.csv"
    run "febrl 3 --train" rec_id - schemas/febrl.yaml --train "$FEBRL/dataset3.csv"
    run "febrl 4a+4b --train" rec_id "$n4a" schemas/febrl.yaml --train "$FEBRL/dataset4a.csv" "$FEBRL/dataset4b.csv"
else
    echo "FEBRL files not found: skipped"
fi

echo "== relec dedup: synthetic Silk Routes persons (bench/gen-persons.py)"
python3 bench/gen-persons.py 20000 11 >"$W/p20k.csv"
run "synthetic 20k" true_id - schemas/person.yaml "$W/p20k.csv"
run "synthetic 20k --train" true_id - schemas/person.yaml --train "$W/p20k.csv"

echo "== relec dedup: scale, 2 threads ($(nproc) cores here)"
for n in 100000 1000000; do
    python3 bench/gen-persons.py $n 3 >"$W/p$n.csv"
    /usr/bin/time -f "%e %M" -o "$W/time$n" "$RELEC" dedup -s schemas/person.yaml \
        --threads 2 -o "$W/o$n.csv" "$W/p$n.csv" 2>"$W/err$n"
    read -r secs kb <"$W/time$n"
    pairs=$(sed -n 's/.*; \([0-9]*\) pairs compared.*/\1/p' "$W/err$n")
    thr=$(sed -n 's/.*accepted (weight >= \([0-9.]*\)).*/\1/p' "$W/err$n")
    f=$(python3 bench/dedup-eval.py "$W/o$n.csv" true_id)
    echo "$n rows: $secs s, peak RSS $((kb / 1024)) MB, $pairs pairs compared, threshold $thr, F1 $(echo "$f" | cut -d' ' -f6) (P $(echo "$f" | cut -d' ' -f4), R $(echo "$f" | cut -d' ' -f5))"
    echo "$secs $kb $pairs" >"$W/fig$n"
    /usr/bin/time -f "%e %M" -o "$W/ttime$n" "$RELEC" dedup -q -s schemas/person.yaml \
        --threads 2 --train -o "$W/o$n.csv" "$W/p$n.csv"
    read -r secs kb <"$W/ttime$n"
    f=$(python3 bench/dedup-eval.py "$W/o$n.csv" true_id)
    echo "$n rows --train: $secs s, peak RSS $((kb / 1024)) MB, F1 $(echo "$f" | cut -d' ' -f6) (P $(echo "$f" | cut -d' ' -f4), R $(echo "$f" | cut -d' ' -f5))"
    rm -f "$W/o$n.csv" "$W/p$n.csv"
done
read -r s1 k1 p1 <"$W/fig100000"
read -r s2 k2 p2 <"$W/fig1000000"
awk -v s1="$s1" -v s2="$s2" -v p1="$p1" -v p2="$p2" -v k1="$k1" -v k2="$k2" 'BEGIN {
    printf "100k -> 1M (rows x10): time x%.1f, compared pairs x%.1f, peak RSS x%.1f (10.0 = linear)\n", s2 / s1, p2 / p1, k2 / k1
    printf "1M within 60 s and 2 GB: %s (%.1f s, %.0f MB)\n", (s2 < 60 && k2 < 2097152) ? "yes" : "NO", s2, k2 / 1024 }'
