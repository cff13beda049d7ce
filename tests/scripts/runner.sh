# tests/run.sh counts every failure: a test program or script that prints
# its result line and then exits non-zero is a failure; a skip is reported
# as a skip and not counted as a pass.
. tests/testlib.sh
mkdir -p $T/build/tests $T/cli $T/scripts
# a unit test whose checks pass but whose exit says otherwise (LeakSanitizer)
cat >$T/build/tests/test_leaky <<'X'
#!/bin/sh
echo "3 passed, 0 failed"
exit 23
X
chmod +x $T/build/tests/test_leaky
# a script with one pass and one skip, and one that fails after its line
printf '. tests/testlib.sh\npass one\nskip "two (no tool here)"\nfinish\n' >$T/scripts/skips.sh
printf 'echo "1 passed, 0 failed"\nexit 1\n' >$T/scripts/late.sh
TESTS= BUILD=$T/build CLI=$T/cli SCRIPTS=$T/scripts sh tests/run.sh >$T/out 2>&1
rc=$?
check "run.sh exits non-zero" [ $rc -ne 0 ]
check "the unit test exiting 23 after its line is a failure" grep -q "FAIL test_leaky" $T/out
check "the script exiting 1 after its line is a failure" grep -q "FAIL late" $T/out
check "the skip is listed as a skip" grep -q "^SKIP two" $T/out
check "the skip is counted apart" grep -q "^1 skipped" $T/out
check "the totals count two failures and no skip as a pass" [ "$(tail -n 1 $T/out)" = "5 passed, 2 failed" ]
finish
