#!/bin/sh
# Runs every test and prints, last, "N passed, N failed".
#  - unit tests: $BUILD/tests/test_* (each prints "N passed, N failed")
#  - CLI golden tests: tests/cli/<tool>/<case>/cmd, a shell script run from
#    the repo top with $RELEC set; its stdout, stderr and exit status are
#    compared with expected-out, expected-err and expected-rc where present
#  - scripted tests: tests/scripts/*.sh (each prints "N passed, N failed",
#    with ", N skipped" when a check cannot run here)
# A test program that prints its result line and then exits non-zero (a
# LeakSanitizer report, a crash at exit) counts one more failure; skips are
# listed and counted apart, never as passes.
# TESTS=pattern runs only the matching ones.
BUILD=${BUILD:-build}
CLI=${CLI:-tests/cli}             # where the golden cases are
SCRIPTS=${SCRIPTS:-tests/scripts} # where the scripted tests are
RELEC=${RELEC:-bin/relec}
case $RELEC in /*) ;; *) RELEC=$(pwd)/$RELEC ;; esac
export RELEC BUILD
pass=0
fail=0
skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

add_counts() { # $1 = output file; adds the last "N passed, N failed"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    if [ -z "$line" ]; then
        return 1
    fi
    p=${line%% passed*}
    f=${line#*passed, }
    f=${f%% failed*}
    pass=$((pass + p))
    fail=$((fail + f))
    case $line in
    *skipped*)
        k=${line#*failed, }
        skipped=$((skipped + ${k%% skipped*}))
        grep '^SKIP ' "$1"
        ;;
    esac
}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    case $t in *"${TESTS:-}"*) ;; *) continue ;; esac
    name=$(basename "$t")
    if "$t" >"$tmp/out" 2>"$tmp/err"; then rc=0; else rc=$?; fi
    if ! add_counts "$tmp/out"; then
        echo "FAIL $name: no result line (exit $rc)"
        tail -n 20 "$tmp/err"
        fail=$((fail + 1))
    elif [ $rc -ne 0 ]; then
        echo "FAIL $name: exit $rc after its result line"
        [ "$f" -eq 0 ] && fail=$((fail + 1))
        grep -v '^[0-9]* passed' "$tmp/err" | tail -n 40
    else
        echo "ok   $name: $(tail -n 1 "$tmp/out")"
    fi
done

for dir in "$CLI"/*/*/; do
    [ -f "$dir/cmd" ] || continue
    case $dir in *"${TESTS:-}"*) ;; *) continue ;; esac
    name=${dir#"$CLI"/}
    name=${name%/}
    rm -rf "$tmp/case"
    mkdir "$tmp/case"
    TESTDIR=$dir TMPDIR=$tmp/case sh "$dir/cmd" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    ok=1
    why=""
    want=0
    [ -f "$dir/expected-rc" ] && want=$(cat "$dir/expected-rc")
    if [ "$rc" != "$want" ]; then ok=0; why="exit $rc, want $want"; fi
    if [ -f "$dir/expected-out" ] && ! diff -u "$dir/expected-out" "$tmp/out" >"$tmp/diff"; then
        ok=0; why="$why stdout differs"; cat "$tmp/diff" | head -n 30 >"$tmp/show"
    fi
    if [ -f "$dir/expected-err" ] && ! diff -u "$dir/expected-err" "$tmp/err" >"$tmp/diff"; then
        ok=0; why="$why stderr differs"; cat "$tmp/diff" | head -n 30 >>"$tmp/show"
    fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL cli/$name: $why"
        [ -f "$tmp/show" ] && cat "$tmp/show"
        rm -f "$tmp/show"
    fi
done
echo "ok   cli: golden tests run"

for s in "$SCRIPTS"/*.sh; do
    [ -f "$s" ] || continue
    case $s in *"${TESTS:-}"*) ;; *) continue ;; esac
    name=$(basename "$s" .sh)
    rm -rf "$tmp/case"
    mkdir "$tmp/case"
    TMPDIR=$tmp/case sh "$s" >"$tmp/out" 2>&1
    rc=$?
    if ! add_counts "$tmp/out"; then
        echo "FAIL $name: no result line (exit $rc)"
        tail -n 30 "$tmp/out"
        fail=$((fail + 1))
    elif [ $rc -ne 0 ]; then
        echo "FAIL $name: exit $rc after its result line"
        [ "$f" -eq 0 ] && fail=$((fail + 1))
        grep -v '^ok ' "$tmp/out" | tail -n 40
    else
        echo "ok   $name: $(tail -n 1 "$tmp/out")"
    fi
done
[ "$skipped" -gt 0 ] && echo "$skipped skipped (not counted as passed)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
