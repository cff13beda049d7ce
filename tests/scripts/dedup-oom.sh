#!/bin/sh
# dedup-oom.sh: relec dedup out of memory exits 4 (README, "Exit status":
# the run could not make what it was asked for), says so, and leaves no
# output: allocations of RELEC_FAIL_BIG bytes or more fail under the
# LD_PRELOAD library tests/scripts/failbig.c. An --ref table of 200,000
# incidents needs more than 2 MB; the persons file and the schema less.
. tests/testlib.sh
if ldd "$RELEC" 2>/dev/null | grep -q 'libasan\|libubsan'; then
    skip "the sanitizers' allocator comes before any LD_PRELOAD library"
    finish
    exit 0
fi
if ! ${CC:-cc} -shared -fPIC -O2 -o "$T/failbig.so" tests/scripts/failbig.c; then
    fail "tests/scripts/failbig.c does not build"
    finish
    exit 1
fi
python3 -c "
print('incident_id,reporting_country,incident_date')
for i in range(200000): print(f'MOI-{i},AFG,2019-05-{i % 28 + 1:02d}')
" >"$T/inc.csv"
PERSONS=tests/cli/dedup/ref-incident/persons.csv
oom() { RELEC_FAIL_BIG=2000000 LD_PRELOAD="$T/failbig.so" "$@"; }

"$RELEC" dedup -q -s schemas/person.yaml --ref incident="$T/inc.csv" "$PERSONS" \
    -o "$T/ok.csv" 2>/dev/null
check "--ref of 200,000 incidents, memory enough: exit 0" test $? -eq 0

oom "$RELEC" dedup -q -s schemas/person.yaml --ref incident="$T/inc.csv" "$PERSONS" \
    -o "$T/out.csv" 2>"$T/err"
rc=$?
check "--ref, out of memory: exit 4 (was 3)" test $rc -eq 4
check "--ref, out of memory: said" \
    grep -qx "relec dedup: out of memory reading '$T/inc.csv'" "$T/err"
check "--ref, out of memory: no output written" test ! -e "$T/out.csv"

oom "$RELEC" dedup -q -s schemas/person.yaml "$PERSONS" -o "$T/small.csv"
check "no allocation that large without --ref: exit 0" test $? -eq 0
finish
