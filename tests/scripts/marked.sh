# The marked workbook (validate --report on an .xlsx) keeps what the input
# had that the reader sees (issue 11): the cells of a row longer than its
# header, a formula never calculated (as a formula, with no value), every
# cell of a shared formula, fonts, fills, borders, row heights and
# hyperlinks; read back by openpyxl, in the ordinary mode and in constant
# memory (a sheet too big for cell comments).
. tests/testlib.sh
need_openpyxl
D=tests/data/workbook
$PY $D/marked.py $T/m.xlsx
check "openpyxl builds the workbook" [ -s $T/m.xlsx ]
# the same with 42,400 rows that are no data (a number in column Z): over
# 1,000,000 cells of the marked workbook, written in constant memory
$PY $D/marked.py $T/mbig.xlsx 42400
for f in m mbig; do
    $RELEC validate -s schemas/person.yaml -r $T/${f}r.xlsx $T/$f.xlsx >/dev/null 2>$T/$f.err
    check "$f: the marked workbook is written (exit 1: errors)" [ $? -eq 1 ]
    fc=12; [ $f = mbig ] && fc=27
    $PY $D/marked_check.py $T/${f}r.xlsx $fc >$T/$f.chk 2>&1
    while read -r line; do
        case $line in ok*) pass "$f: ${line#ok }" ;; *) fail "$f: $line" ;; esac
    done <$T/$f.chk
    check "$f: all 12 checks ran" [ "$(grep -c "^ok\|^FAIL" $T/$f.chk)" = 12 ]
done
check "mbig: written in constant memory" grep -q "too many for cell comments" $T/mbig.err
# the note alone says nothing of the mode: constant memory writes its
# strings inline, the ordinary mode into a shared string table
check "mbig: ... its strings inline (no shared string table)" \
    sh -c "! unzip -l $T/mbigr.xlsx | grep -q sharedStrings.xml"
check "m: the ordinary mode (a shared string table)" \
    sh -c "unzip -l $T/mr.xlsx | grep -q sharedStrings.xml"
# read back, the marked workbook still holds the formula never calculated
$RELEC validate -s schemas/person.yaml $T/mr.xlsx >/dev/null 2>$T/m.v2
check "the marked workbook read back: G3 is still a formula never calculated" \
    grep -q "mr.xlsx:3: error: age: the cell holds a formula whose result was never saved" $T/m.v2
rm -rf $T
finish
