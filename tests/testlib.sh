# lib.sh: helpers for scripted tests. Each script sources this, calls
# pass/fail (or check), and ends with `finish`, which prints the result.
# A check that cannot run here is a skip (not a pass): tests/run.sh lists it.
P=0
F=0
SKIPS=0
pass() { P=$((P + 1)); echo "ok $1"; }
fail() { F=$((F + 1)); echo "FAIL $1"; }
skip() { SKIPS=$((SKIPS + 1)); echo "SKIP $1"; }
# check NAME COMMAND...: passes when COMMAND succeeds
check() { name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
finish() {
    if [ "$SKIPS" -gt 0 ]; then echo "$P passed, $F failed, $SKIPS skipped"; else echo "$P passed, $F failed"; fi
    [ "$F" -eq 0 ]
}
RELEC=${RELEC:-$(pwd)/bin/relec}
T=$(mktemp -d "${TMPDIR:-/tmp}/t.XXXXXX")
# need_openpyxl: PY becomes a python3 that has openpyxl; without one the
# script fails here (make deps installs python3-openpyxl)
need_openpyxl() {
    PY=python3
    $PY -c 'import openpyxl' 2>/dev/null || PY=/usr/bin/python3
    if ! $PY -c 'import openpyxl' 2>/dev/null; then
        fail "python3-openpyxl is not installed (make deps)"
        finish
        exit 1
    fi
}
