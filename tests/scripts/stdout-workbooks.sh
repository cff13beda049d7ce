# export -o - and template -o - write the finished workbook to stdout (the
# README promises - for stdout); no temporary file is left behind.
. tests/testlib.sh
cd_tmp_count() { ls -a "${TMPDIR:-/tmp}" | grep -c '\.stdout\.tmp-'; }
before=$(cd_tmp_count)
$RELEC template -s schemas/incident.yaml -o - >$T/t.xlsx 2>$T/err
check "template -o - exits 0" [ $? -eq 0 ]
check "... and stdout is a workbook" python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).getinfo('xl/workbook.xml')" $T/t.xlsx
$RELEC export -q -s schemas/incident.yaml examples/incident.csv -o - >$T/e.xlsx 2>$T/err
check "export -o - exits 0" [ $? -eq 0 ]
check "... and stdout is a workbook with the rows" python3 -c "
import zipfile,sys
z = zipfile.ZipFile(sys.argv[1])
sys.exit(0 if any(b'PAK-2025-LHR-0001' in z.read(n) for n in z.namelist()) else 1)" $T/e.xlsx
check "no temporary file is left" [ "$(cd_tmp_count)" = "$before" ]
$RELEC export -q -s schemas/incident.yaml examples/incident.csv -o - >/dev/full 2>$T/err
check "export -o - to a full device exits 4" [ $? -eq 4 ]
check "... saying so" grep -q "cannot write to stdout" $T/err
finish
