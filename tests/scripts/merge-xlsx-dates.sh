# merge reads a national workbook whose dates Excel holds as date cells: a
# map's `date: DD/MM/YYYY` is for dates typed as text; a date cell is a day
# already and is taken as it is (found by a black-box test of issue 11)
. tests/testlib.sh
need_openpyxl
$PY - examples/national/pak-fia-2025-03.csv $T/text.xlsx $T/dates.xlsx <<'PY'
import csv, sys, datetime as dt, openpyxl
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
for out, as_dates in ((sys.argv[2], False), (sys.argv[3], True)):
    wb = openpyxl.Workbook(); ws = wb.active
    for r in rows:
        cells = []
        for v in r:
            if as_dates and v.count("/") == 2:
                try:
                    d, m, y = map(int, v.split("/")); v = dt.datetime(y, m, d)
                except ValueError:
                    pass  # 31/02/2025 stays text: still a finding
            cells.append(v)
        ws.append(cells)
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, dt.datetime): c.number_format = "dd/mm/yyyy"
    wb.save(out)
PY
check "openpyxl writes the two workbooks" [ -s $T/text.xlsx -a -s $T/dates.xlsx ]
$RELEC merge --map examples/maps/pak-fia.yaml $T/text.xlsx -o $T/text.csv 2>$T/text.err
$RELEC merge --map examples/maps/pak-fia.yaml $T/dates.xlsx -o $T/dates.csv 2>$T/dates.err
check "dates typed as text: 6 rows merged" grep -q "8 rows in, 6 out, 2 rejected" $T/text.err
check "the same dates as Excel date cells: 6 rows merged too" grep -q "8 rows in, 6 out, 2 rejected" $T/dates.err
check "the impossible 31/02/2025 is still a finding" grep -q "incident_date: '31/02/2025' is not a real date" $T/dates.err
check "the merged incident dates are the same days" \
    [ "$(cut -d, -f5 $T/text.csv)" = "$(cut -d, -f5 $T/dates.csv)" ]
rm -rf "$T"
finish
