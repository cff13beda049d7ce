# The XLSX report bounds its cell comments (libxlsxwriter places each one by
# summing the columns before it: 5,000 of them took 22 s): a row with more
# than 50 findings, such as a header of 2,000 unknown columns, gets none
# (its cells are still highlighted and its findings listed); an ordinary
# report keeps its comments.
. tests/testlib.sh
python3 -c "
print(','.join(['incident_id'] + ['c%d' % i for i in range(2000)]))
print(','.join(['PAK-2025-X-1'] + ['v'] * 2000))" >$T/wide.csv
$RELEC validate -q -s schemas/incident.yaml $T/wide.csv --report $T/wide.xlsx 2>$T/err
check "a report of 2,000 unknown columns is written (exit 1)" [ $? -eq 1 ]
cat >$T/xl.py <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[2])
names = z.namelist()
text = "".join(z.read(n).decode("utf-8", "replace") for n in names
               if n == "xl/sharedStrings.xml" or n.startswith("xl/worksheets/"))
if sys.argv[1] == "comments":
    sys.exit(0 if any("comments" in n for n in names) else 1)
sys.exit(0 if sys.argv[1] in text else 1)
PY
check "... with no cell comments" sh -c "! python3 $T/xl.py comments $T/wide.xlsx"
check "... and still lists the unknown columns' findings" python3 $T/xl.py "unknown column 'c0'" $T/wide.xlsx
$RELEC validate -q -s schemas/incident.yaml examples/errors/incident-errors.csv --report $T/errors.xlsx 2>$T/err
check "an ordinary report keeps its cell comments" python3 $T/xl.py comments $T/errors.xlsx
finish
