#!/bin/sh
# Runs every bench/bench-*.sh in name order; each prints its own figures.
# `make bench` builds bin/relec first and calls this. RELEC=path overrides
# the binary. A benchmark that fails is reported and the others still run;
# the exit status is 1 if any failed (a target missed is not a failure: the
# scripts print PASS or MISS for those).
cd "$(dirname "$0")/.." || exit 2
RELEC=${RELEC:-bin/relec}
case $RELEC in /*) ;; *) RELEC=$(pwd)/$RELEC ;; esac
export RELEC
status=0
for b in bench/bench-*.sh; do
    [ -f "$b" ] || continue
    echo "== $(basename "$b" .sh)"
    if ! sh "$b"; then
        echo "FAILED $(basename "$b" .sh)"
        status=1
    fi
    echo
done
exit $status
