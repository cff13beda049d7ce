#!/bin/sh
# bench-merge-cpu.sh: the CPU time (user+sys, /usr/bin/time) of relec merge
# over ROWS (default 1,000,000) rows of bench/gen-national.py (six maps,
# --rejects and -o files), and of relec validate over the merged output;
# then the worst case of merge's duplicate check: every file given twice,
# so that every row of the second copy is a content-hash match confirmed by
# reading its first row back. Best of 3 each. With BASE_RELEC=path/to/older
# relec, that binary runs alternately on the same data and the ratios
# this/baseline are printed, and whether the outputs are byte-identical.
cd "$(dirname "$0")/.." || exit 2
RELEC=${RELEC:-bin/relec}
ROWS=${ROWS:-1000000}
TIME=/usr/bin/time
if [ ! -x $TIME ]; then
    echo "bench-merge-cpu: /usr/bin/time is missing (apt-get install time)" >&2
    exit 1
fi
D=$(mktemp -d "${TMPDIR:-/tmp}/bench-merge-cpu.XXXXXX") || exit 1
trap 'rm -rf "$D"' EXIT INT TERM
python3 bench/gen-national.py "$D" "$ROWS" >/dev/null || exit 1
ONCE= TWICE=
for c in pak afg irq irn tur bgd; do
    ONCE="$ONCE --map $D/$c.yaml $D/$c.csv"
    TWICE="$TWICE --map $D/$c.yaml $D/$c.csv $D/$c.csv"
done
# cpu OUT CMD...: the CPU seconds of CMD (its exit status may be 1)
cpu() {
    o=$1
    shift
    $TIME -f "%U %S" -o "$D/t" "$@" >"$o" 2>/dev/null
    tail -n 1 "$D/t" | awk '{ print $1 + $2 }'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
bins=this
[ -n "${BASE_RELEC:-}" ] && bins="this base"
for i in 1 2 3; do
    for b in $bins; do
        R=$RELEC
        [ $b = base ] && R=$BASE_RELEC
        # shellcheck disable=SC2086 # the map list is split on purpose
        m=$(cpu /dev/null "$R" merge -q $ONCE --rejects "$D/rej-$b.csv" -o "$D/out-$b.csv")
        v=$(cpu /dev/null "$R" validate -q -s schemas/incident.yaml "$D/out-$b.csv")
        # shellcheck disable=SC2086
        w=$(cpu /dev/null "$R" merge -q $TWICE --rejects "$D/rej2-$b.csv" -o "$D/out2-$b.csv")
        eval "m_$b=\$(min \"\${m_$b:-}\" $m); v_$b=\$(min \"\${v_$b:-}\" $v); w_$b=\$(min \"\${w_$b:-}\" $w)"
    done
done
dups=$(grep -c 'duplicate: same content' "$D/rej2-this.csv")
echo "merge-cpu: $ROWS rows: merge $m_this s CPU, validate of its output $v_this s"
echo "merge-cpu: every file twice: merge $w_this s CPU ($dups duplicates confirmed)"
if [ -n "${BASE_RELEC:-}" ]; then
    same=yes
    for f in out rej out2 rej2; do
        cmp -s "$D/$f-this.csv" "$D/$f-base.csv" || same=NO
    done
    awk -v m="$m_this" -v mb="$m_base" -v v="$v_this" -v vb="$v_base" \
        -v w="$w_this" -v wb="$w_base" -v same="$same" 'BEGIN {
        printf "merge-cpu: baseline %s: merge %.2f s, validate %.2f s, twice %.2f s\n", ENVIRON["BASE_RELEC"], mb, vb, wb
        printf "merge-cpu: this/baseline: merge %.3f, validate %.3f, twice %.3f; outputs identical: %s\n", m / mb, v / vb, w / wb, same
    }'
fi
