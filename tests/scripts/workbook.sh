# The analyst's workbook: workbooks made the way people make them (openpyxl
# for Excel, ssconvert for gnumeric/LibreOffice), with title rows, blank and
# total rows, numbers where text belongs, dates where months belong and
# formulas never calculated. Each problem is one finding, in plain words;
# rows that are not data are counted and skipped, never errors.
. tests/testlib.sh
need_openpyxl
D=tests/data/workbook
$PY $D/persons.py $T/p.xlsx
check "openpyxl builds the persons workbook" [ -s $T/p.xlsx ]
GN=0
if command -v ssconvert >/dev/null 2>&1 &&
    ssconvert $T/p.xlsx $T/pg.xlsx >/dev/null 2>&1; then
    GN=1
fi
check "ssconvert re-saves it as gnumeric does" [ $GN = 1 ]

# persons: one finding per real problem, none for title, blank or total rows
for f in p pg; do
    [ $f = pg ] && [ $GN = 0 ] && continue
    $RELEC validate -s schemas/person.yaml --valid $T/$f.valid.csv \
        --rejects $T/$f.rej.csv $T/$f.xlsx >$T/$f.out 2>$T/$f.err
    check "$f: exit 1 (errors)" [ $? -eq 1 ]
    check "$f: the header is found on row 3, said in a note" \
        grep -q "note: '$T/$f.xlsx': the header is row 3" $T/$f.err
    check "$f: no row-shape error for the title rows" \
        sh -c "! grep -q 'error.*row-shape' $T/$f.err"
    check "$f: the 17-digit NID lost digits, and how to type it" \
        grep -q "$f.xlsx:5: error: id_document_number: .* was typed as a number, and Excel keeps only 15 significant digits.*format the column as Text" $T/$f.err
    check "$f: the Iran code lost its leading zeros, and says why" \
        grep -q "$f.xlsx:6: error: id_document_number: '\*\*\*\*\*\*\*\*' (8 digits).*the cell is a number, and a number drops its leading zeros" $T/$f.err
    check "$f: a date and time in a date field is its date, with a note" \
        grep -q "$f.xlsx:7: warning: date_of_birth: '.*' (.*) is a date and time; its date is taken" $T/$f.err
    check "$f: the personal values are masked in those findings (issue 10)" \
        sh -c "! grep -Eq '12345679|1990-05-02' $T/$f.err"
    check "$f: the total row is a warning" \
        grep -q "$f.xlsx:11: warning: the row is a total" $T/$f.err
    check "$f: no finding on the empty and numbered rows" \
        sh -c "! grep -Eq '$f.xlsx:(9|10|1[2-9]):' $T/$f.err"
    check "$f: the valid rows carry the date, not the date-time" \
        grep -q '^PAK-2025-P-0004,.*,1990-05-02,,34,' $T/$f.valid.csv
    check "$f: the valid rows carry the first row's date" \
        grep -q '^PAK-2025-P-0001,.*,1983-07-15,,41,' $T/$f.valid.csv
    check "$f: the total row is no record, valid or rejected" \
        sh -c "! grep -qi '^total' $T/$f.valid.csv $T/$f.rej.csv"
done
check "p: the formula never calculated: open and save the file" \
    grep -q "p.xlsx:8: error: given_name: the cell holds a formula whose result was never saved: open the file in Excel or LibreOffice and save it" $T/p.err
check "p: rows conserved: valid + rejected + skipped = input" \
    grep -q "p.xlsx: 8 rows: 2 valid, 3 rejected, 3 skipped (2 empty, 1 total)" $T/p.err
check "p: valid and rejects files hold 2 and 3 rows" \
    [ "$(($(wc -l <$T/p.valid.csv) - 1)):$(($(wc -l <$T/p.rej.csv) - 1))" = 2:3 ]
if [ $GN = 1 ]; then
    check "pg: gnumeric calculated the formula: no finding on row 8" \
        sh -c "! grep -q 'pg.xlsx:8:' $T/pg.err"
    check "pg: rows conserved" \
        grep -q "pg.xlsx: 8 rows: 3 valid, 2 rejected, 3 skipped (2 empty, 1 total)" $T/pg.err
fi

# --header-row says where the header is
$RELEC validate -s schemas/person.yaml --header-row 3 $T/p.xlsx >/dev/null 2>$T/h3.err
check "--header-row 3: the same findings" \
    [ "$(grep -c ': error: ' $T/h3.err)" = "$(grep -c ': error: ' $T/p.err)" ]
$RELEC validate -s schemas/person.yaml --header-row 2 $T/p.xlsx >/dev/null 2>$T/h2.err
check "--header-row 2 (an empty row): exit 3 and a message" \
    grep -q "no header in row 2" $T/h2.err
$RELEC validate -s schemas/person.yaml --header-row 0 $T/p.xlsx >/dev/null 2>$T/h0.err
check "--header-row 0: a usage error" [ $? -eq 2 ]

# the marked workbook keeps the input: sheet name, title rows, typed cells,
# the total row; bad cells shaded and explained; the schema's dropdowns
$RELEC validate -q -s schemas/person.yaml -r $T/rep.xlsx $T/p.xlsx 2>/dev/null
$PY - $T/rep.xlsx >$T/rep.py.out 2>&1 <<'PY'
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def ok(name, cond): print(('ok ' if cond else 'FAIL ') + name)
ok('sheets: the input sheet by its name, Findings, hidden lists',
   wb.sheetnames == ['Persons', 'Findings', 'relec lists'] and wb['relec lists'].sheet_state == 'hidden')
ws = wb['Persons']
ok('the title row stays in row 1', ws['A1'].value == 'Persons recorded, Q1 2025 (FIA Lahore)')
ok('the header stays in row 3, frozen under it', ws['A3'].value == 'person_id' and ws.freeze_panes == 'A4')
hdr = [c.value for c in ws[3]]
col = lambda n: hdr.index(n) + 1
dob = ws.cell(row=4, column=col('date_of_birth'))
ok('a date stays a date', isinstance(dob.value, datetime.datetime) and dob.value.date() == datetime.date(1983, 7, 15) and 'yy' in dob.number_format)
ok('a date-time stays a date-time', ws.cell(row=7, column=col('date_of_birth')).value == datetime.datetime(1990, 5, 2, 14, 30))
ok('a count stays a number', ws.cell(row=4, column=col('age')).value == 41)
nid = ws.cell(row=5, column=col('id_document_number'))
ok('the NID cell is shaded and explained', nid.fill.fgColor.rgb.endswith('FFC7CE') and nid.comment and 'lost' in nid.comment.text)
ok('the total row stays, marked as such', ws['A11'].value == 'Total' and 'total' in (ws.cell(row=11, column=len(hdr)).value or ''))
ok('the findings column is headed', hdr[-1] == 'relec findings')
dvs = {str(v.sqref).split(':')[0]: v for v in ws.data_validations.dataValidation}
role = openpyxl.utils.get_column_letter(col('role'))
ok('the role column has the schema dropdown', role + '4' in dvs and dvs[role + '4'].type == 'list')
ok('Findings lists the errors', sum(1 for r in wb['Findings'].iter_rows(min_row=2, values_only=True) if 'error' in r) == 3)
PY
while read -r line; do
    case $line in ok*) pass "report: ${line#ok }" ;; *) fail "report: $line" ;; esac
done <$T/rep.py.out
$RELEC validate -s schemas/person.yaml $T/rep.xlsx >/dev/null 2>$T/rep2.err
check "report read back: the NID and Iran findings again, on their rows" \
    sh -c "grep -q 'rep.xlsx:5: error: id_document_number: .*lost' $T/rep2.err && grep -q 'rep.xlsx:6: error: id_document_number: .*leading zeros' $T/rep2.err"
check "report read back: the total row is still a total" grep -q "rep.xlsx:11: warning: the row is a total" $T/rep2.err
if [ $GN = 1 ]; then
    ssconvert $T/rep.xlsx $T/rep.csv >/dev/null 2>&1
    check "report: gnumeric reads it, the date as a date" grep -Eq '^PAK-2025-P-0001,.*,1983[-/]07[-/]15,41,' $T/rep.csv
fi

# the marked workbook keeps the other sheets, in their order
HS=tests/data/htcds/htcds-single-select-v2.0.xlsx
if [ -f $HS ]; then
    $RELEC validate -q -s schemas/person.yaml -r $T/hs.xlsx $HS 2>/dev/null
    $RELEC validate -q -s schemas/person.yaml --sheet about -r $T/hs2.xlsx $HS 2>/dev/null
    $PY -W ignore - $HS $T/hs.xlsx $T/hs2.xlsx >$T/hs.py.out 2>&1 <<'PY'
import sys, openpyxl
src = openpyxl.load_workbook(sys.argv[1])
a = openpyxl.load_workbook(sys.argv[2])
b = openpyxl.load_workbook(sys.argv[3])
def ok(name, cond): print(('ok ' if cond else 'FAIL ') + name)
ok('other sheets: every sheet in tab order, then Findings',
   a.sheetnames[:3] == src.sheetnames and a.sheetnames[3] == 'Findings')
ok('other sheets: the sheet checked in its place (--sheet about)',
   b.sheetnames[:3] == src.sheetnames)
vals = lambda ws: [[c for c in r] for r in ws.iter_rows(values_only=True)]
ok('other sheets: the lookups copied cell for cell',
   vals(a['validation']) == vals(src['validation']))
ok('other sheets: the about sheet copied', vals(a['about']) == vals(src['about']))
# the template's dropdowns are x14 validations (lists on sheet validation),
# which openpyxl does not read: taken from the sheet's XML
import re, zipfile
x = zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml').decode()
want = set((k, f, r) for k, f, s in re.findall(r'<x14:dataValidation type="(\w+)".*?<xm:f>(.*?)</xm:f>.*?<xm:sqref>(.*?)</xm:sqref>', x)
           for r in s.split())
got = set((v.type, v.formula1, r) for v in a['Case Sheet'].data_validations.dataValidation
          for r in str(v.sqref).split())
ok('the %d x14 dropdowns of the HTCDS template are kept' % len(want), len(want) >= 10 and want <= got)
PY
    while read -r line; do
        case $line in ok*) pass "report: ${line#ok }" ;; *) fail "report: $line" ;; esac
    done <$T/hs.py.out
else
    fail "the HTCDS workbook $HS is missing"
fi

# the marked workbook keeps the input's own dropdowns (a relec template's)
$RELEC template -s schemas/incident.yaml -o $T/tpl.xlsx 2>/dev/null
$RELEC validate -q -s schemas/incident.yaml -r $T/tplr.xlsx $T/tpl.xlsx 2>/dev/null
$PY -W ignore - $T/tpl.xlsx $T/tplr.xlsx >$T/tplr.py.out 2>&1 <<'PY'
import sys, openpyxl
wa = openpyxl.load_workbook(sys.argv[1])
wb = openpyxl.load_workbook(sys.argv[2])
a, b = wa['Data'], wb['Data']
lists = lambda ws: sorted((str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation if v.type == 'list')
hidden = [n for n in wb.sheetnames if wb[n].sheet_state == 'hidden']
print('ok' if lists(a) and lists(a) == lists(b) and 'Lists' in hidden and wb.active.title == 'Data'
      else 'FAIL %s %s %s' % (lists(a), lists(b), hidden))
PY
check "report: the input's dropdowns are kept, not the schema's over them; its hidden Lists stays hidden" grep -qx ok $T/tplr.py.out

# the marked workbook keeps what the input carries beyond its values:
# number formats, fonts, merged ranges, formulas with their saved results,
# validations of every kind (an x14 one too), column widths; as openpyxl
# sees the input (built by openpyxl, and re-saved by gnumeric, which
# calculates the formulas), in the ordinary mode and in constant memory
$PY $D/fidelity.py $T/f.xlsx
check "openpyxl builds the fidelity workbook" [ -s $T/f.xlsx ]
FL=f
if [ $GN = 1 ]; then
    ssconvert $T/f.xlsx $T/fg.xlsx >/dev/null 2>&1
    check "ssconvert re-saves the fidelity workbook" [ -s $T/fg.xlsx ]
    FL="f fg"
    $PY - $T/fg.xlsx $T/fgbig.xlsx 64000 <<'PY'
# the gnumeric workbook with 64,000 numbered rows more (rows that are not
# data, but cells of the marked workbook: over 1,000,000, constant memory)
import sys, zipfile
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = ''.join('<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r)
               for r in range(8, 8 + n))
with zipfile.ZipFile(src) as zi, zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as zo:
    for it in zi.infolist():
        data = zi.read(it.filename)
        if it.filename == 'xl/worksheets/sheet1.xml':
            data = data.replace(b'</sheetData>', rows.encode() + b'</sheetData>')
        zo.writestr(it, data)
PY
fi
for f in $FL; do
    $RELEC validate -q -s schemas/person.yaml -r $T/${f}r.xlsx $T/$f.xlsx 2>/dev/null
    check "$f: the marked workbook is written (exit 1: the age of row 6)" [ $? -eq 1 ]
    $PY $D/fidelity_check.py $T/$f.xlsx $T/${f}r.xlsx Persons 3 >$T/$f.fid 2>&1
    while read -r line; do
        case $line in ok*) pass "$f: report: ${line#ok }" ;; *) fail "$f: report: $line" ;; esac
    done <$T/$f.fid
    check "$f: the fidelity checks ran" [ "$(grep -c '^ok' $T/$f.fid)" = 9 ]
    $RELEC validate -s schemas/person.yaml $T/${f}r.xlsx >/dev/null 2>$T/${f}r.err
    check "$f: the marked workbook read back: the same age error on row 6" \
        grep -q "${f}r.xlsx:6: error: age: 240 is above the maximum 120" $T/${f}r.err
done
$PY -W ignore - $T/fr.xlsx >$T/fx.out 2>&1 <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['Persons']
print([(str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation
       if v.type == 'list' and str(v.sqref).startswith('K4')])
PY
check "f: the x14 dropdown (a list on sheet Lists) is kept, the schema's not over it" \
    grep -qx "\[('K4:K500', 'Lists!\$A\$1:\$A\$5')\]" $T/fx.out
if [ $GN = 1 ]; then
    $RELEC validate -s schemas/person.yaml -r $T/fgbigr.xlsx $T/fgbig.xlsx >/dev/null 2>$T/fgbig.err
    check "fgbig: the marked workbook is written in constant memory" \
        grep -q "too many for cell comments" $T/fgbig.err
    $PY $D/fidelity_check.py $T/fg.xlsx $T/fgbigr.xlsx Persons 3 >$T/fgbig.fid 2>&1
    check "fgbig: in constant memory too, all 9 fidelity checks pass" \
        [ "$(grep -c '^ok' $T/fgbig.fid)" = 9 ]
fi

# a referenced table made by hand: its header under a title row
$PY - examples/incident.csv $T/ref.xlsx <<'PY'
import csv, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(['Incidents of March 2025'])
ws.append([])
for r in csv.reader(open(sys.argv[1], encoding='utf-8')):
    ws.append(r)
wb.save(sys.argv[2])
PY
$RELEC validate -s schemas/person.yaml --ref incident=$T/ref.xlsx examples/person.csv >/dev/null 2>$T/ref.err
check "--ref workbook with a title row: its header is found, persons valid" \
    grep -q "person.csv: [0-9]* rows: \([0-9]*\) valid, 0 rejected" $T/ref.err

# export: blank and total rows are not records in Data or Summary
$RELEC export -s schemas/person.yaml -o $T/e.xlsx $T/p.xlsx >/dev/null 2>$T/e.err
check "export: rows conserved in its summary line" \
    grep -q "p.xlsx: 8 rows: 5 exported, 3 skipped (2 empty, 1 total)" $T/e.err
$PY - $T/e.xlsx >$T/e.py.out 2>&1 <<'PY'
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
d = wb['Data']
ids = [r[0] for r in d.iter_rows(min_row=2, values_only=True)]
print('ids', ids)
assert ids == ['PAK-2025-P-0001', 'BGD-2025-P-0002', 'IRN-2025-P-0003',
               'PAK-2025-P-0004', 'PAK-2025-P-0005'], ids
hdr = [c.value for c in d[1]]
dob = d.cell(row=5, column=hdr.index('date_of_birth') + 1).value
assert isinstance(dob, datetime.datetime) and dob.date() == datetime.date(1990, 5, 2), dob
iss = [r for r in wb['Issues'].iter_rows(values_only=True)]
assert any('total' in ' '.join(str(v) for v in r) for r in iss), iss
print('ok')
PY
check "export: Data holds the 5 records, the date of the date-time; Issues the total" \
    grep -qx ok $T/e.py.out

# merge: the HTCDS template's 1,000 pre-numbered empty rows are no victims
H=tests/data/htcds/htcds-v2.0.xlsx
if [ -f $H ]; then
    $RELEC merge --map $D/htcds-victims.yaml -o $T/h.csv $H 2>$T/h.err
    check "merge htcds: 1,000 numbered rows and the row of labels skipped, none out, none rejected" \
        grep -q "htcds-v2.0.xlsx: 1001 rows in, 0 out, 0 rejected, 1001 skipped (1000 empty, 1 row of labels)" $T/h.err
    check "merge htcds: the row of labels under the header is said in a note" \
        grep -q "note: '$H': row 2 under the header names the columns in words ('Case Owner', 'Salutation', 'First Name', ...): a second header row, not data; it is skipped" $T/h.err
    check "merge htcds: the output holds the header alone" [ "$(wc -l <$T/h.csv)" = 1 ]
    $RELEC validate -q -s schemas/person-victim.yaml -r $T/hv.xlsx $H >/dev/null 2>$T/hv.err
    check "validate htcds: the row of labels is no finding" sh -c "! grep -q 'htcds-v2.0.xlsx:2:' $T/hv.err"
    $PY -W ignore - $T/hv.xlsx >$T/hv.out 2>&1 <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
print('ok' if ws['B2'].value == 'Case Owner' and ws['B1'].value == 'cas_CaseOwner' else 'FAIL %r' % ws['B2'].value)
PY
    check "validate htcds: the marked workbook keeps the row of labels in its place" grep -qx ok $T/hv.out
else
    fail "the HTCDS workbook $H is missing"
fi

# merge finds the header under the title rows as validate does, and the
# checker sees the workbook's cells: a 17-digit number as Excel shows it
# (openpyxl stores it in E-notation), a date-time in a date field its date
M=$D/persons-map.yaml
$RELEC merge --map $M -o $T/pm.csv $T/p.xlsx 2>$T/pm.err
check "merge: the header is found on row 3, said in a note" \
    grep -q "relec merge: note: '$T/p.xlsx': the header is row 3, the first that names the map's columns" $T/pm.err
check "merge: rows conserved (the formula never calculated is a reject, the date-time row out)" \
    grep -q "p.xlsx: 8 rows in, 2 out, 3 rejected, 3 skipped (2 empty, 1 total)" $T/pm.err
check "merge: the 17-digit NID lost digits, and how to type it" \
    grep -q "p.xlsx:5: error: id_document_number: .* (17 digits) was typed as a number, and Excel keeps only 15 significant digits" $T/pm.err
check "merge: the date-time gives its date, with a note, in the output" \
    sh -c "grep -q 'p.xlsx:7: warning: date_of_birth: .* is a date and time; its date is taken' $T/pm.err && grep -q '^PAK-2025-P-0004,.*,1990-05-02,' $T/pm.csv"
$RELEC merge --show-personal --map $M -o $T/pm2.csv $T/p.xlsx 2>$T/pm2.err
check "merge --show-personal: the NID as Excel shows it, not in E-notation" \
    sh -c "grep -q \"p.xlsx:5: error: id_document_number: '20051234567890100' was typed as a number\" $T/pm2.err && ! grep -q 'e+16' $T/pm2.err"
$RELEC validate --show-personal -s schemas/person.yaml $T/p.xlsx >/dev/null 2>$T/pv.err
check "validate --show-personal: the NID as Excel shows it, not in E-notation" \
    sh -c "grep -q \"p.xlsx:5: error: id_document_number: '20051234567890100' was typed as a number\" $T/pv.err && ! grep -q 'e+16' $T/pv.err"
$RELEC merge --header-row 3 --map $M -o $T/pm3.csv $T/p.xlsx 2>$T/pm3.err
check "merge --header-row 3: the same rows out" cmp -s $T/pm.csv $T/pm3.csv
$RELEC merge --header-row 2 --map $M -o $T/pm4.csv $T/p.xlsx 2>$T/pm4.err
check "merge --header-row 2 (an empty row): exit 3 and a message" \
    sh -c "[ \$? -ne 0 ] ; grep -q 'no header in row 2' $T/pm4.err"

# a row of labels under a CSV header: skipped with a note; a data row
# whose values happen to repeat a header name or two is still data
{ head -n 1 examples/person.csv
  echo 'Person ID,Incident ID,Role,Family name,Given name,Father name,Sex,Date of birth,Age,Nationality,ID document type,ID document number,Exploitation form,Referral,Notes'
  tail -n +2 examples/person.csv; } >$T/lab.csv
$RELEC validate -s schemas/person.yaml $T/lab.csv >/dev/null 2>$T/lab.err
N=$(($(wc -l <examples/person.csv) - 1))
check "csv: the row of labels is said in a note" \
    grep -q "note: '$T/lab.csv': row 2 under the header names the columns in words ('Person ID', 'Incident ID', 'Role', ...)" $T/lab.err
check "csv: the row of labels is no finding, and is counted" \
    sh -c "! grep -q 'lab.csv:2:' $T/lab.err && grep -q 'lab.csv: $((N + 1)) rows: .*, 1 skipped (a row of labels)' $T/lab.err"
$RELEC export -s schemas/person.yaml -o $T/lab.xlsx $T/lab.csv >/dev/null 2>$T/labx.err
check "export: the row of labels is no record: said, counted, not in Data" \
    sh -c "grep -q \"note: '$T/lab.csv': row 2 under the header\" $T/labx.err && grep -q 'lab.csv: $((N + 1)) rows: $N exported, 1 skipped (a row of labels)' $T/labx.err"
{ head -n 1 examples/person.csv
  echo 'PAK-2025-P-0009,PAK-2025-LHR-0001,Role,Khan,Ali,Gul,male,,30,PAK,none,,forced_labour,shelter,Notes'; } >$T/nolab.csv
$RELEC validate -s schemas/person.yaml $T/nolab.csv >/dev/null 2>$T/nolab.err
check "csv: a data row with two cells naming their columns (of 13) is data" \
    sh -c "! grep -q 'labels' $T/nolab.err && grep -q 'nolab.csv:2: error: role:' $T/nolab.err"

# incident: a month Excel made a date, a date cell in a date field
$PY $D/incident.py examples/incident.csv $T/i.xlsx
$RELEC validate -s schemas/incident.yaml --valid $T/i.valid.csv $T/i.xlsx >$T/i.out 2>$T/i.err
check "incident: exit 0" [ $? -eq 0 ]
check "incident: the date in reporting_period gives its month, with a note" \
    grep -q "i.xlsx:2: warning: reporting_period: Excel made the cell the date 2025-03-01; its month 2025-03 is taken" $T/i.err
check "incident: the valid row has 2025-03 and the incident date" \
    grep -q '^PAK-2025-LHR-0001,PAK,[^,]*,2025-03,2025-03-03,' $T/i.valid.csv
check "incident: 3 rows, 1 valid, 2 skipped" \
    grep -q "i.xlsx: 3 rows: 1 valid, 0 rejected, 2 skipped (1 empty, 1 total)" $T/i.err
$RELEC export -s schemas/incident.yaml -o $T/ie.xlsx $T/i.xlsx >/dev/null 2>$T/ie.err
$PY - $T/ie.xlsx >$T/ie.py.out 2>&1 <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
vals = [v for r in wb['Summary'].iter_rows(values_only=True) for v in r if v is not None]
assert '(blank)' not in vals, vals
d = wb['Data']
assert d.max_row == 2, d.max_row
h = [c.value for c in d[1]]
assert d.cell(row=2, column=h.index('reporting_period') + 1).value == '2025-03'
print('ok')
PY
check "export: Summary has no (blank) line, Data one row with its month" grep -qx ok $T/ie.py.out

# CSV: blank lines and a total line are skipped, not errors
{ head -n 3 examples/incident.csv; echo ',,,,'; echo; echo '  ,'; echo 'TOTAL,,,,,,,,,,,,,,,,,,,,,,'; } >$T/c.csv
$RELEC validate -s schemas/incident.yaml $T/c.csv >/dev/null 2>$T/c.err
check "csv: blank lines skipped, total a warning, exit 0" [ $? -eq 0 ]
check "csv: rows conserved" \
    grep -q "c.csv: 6 rows: 2 valid, 0 rejected, 4 skipped (3 empty, 1 total)" $T/c.err
# messages in plain words: a hint and an example instead of a pattern, the
# code whose label was written, the values a rule compared
$PY - examples/incident.csv $T/w.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
r = dict(rows[0])
r['incident_id'] = 'pak/2025/1'
r['reporting_period'] = '2025/03'
r['offence_type'] = 'Trafficking in human beings'
r['admin1'] = 'AF-KAB'
w = csv.DictWriter(open(sys.argv[2], 'w', encoding='utf-8', newline=''), fieldnames=list(r))
w.writeheader()
w.writerow(r)
PY
$RELEC validate -s schemas/incident.yaml $T/w.csv >/dev/null 2>$T/w.err
check "words: the field's hint and example, no regex" \
    grep -q "w.csv:2: error: reporting_period: '2025/03' is not a month, YYYY-MM (for example 2025-03) \[pattern\]" $T/w.err
check "words: no pattern shown anywhere" sh -c "! grep -q 'pattern \^' $T/w.err"
check "words: a label written for its code: did you mean THB?" \
    grep -q "offence_type: 'Trafficking in human beings' is not a code of offence_type (that is the label of code 'THB': did you mean THB?)" $T/w.err
check "words: the rule shows the values it compared" \
    grep -q "admin1: admin1 is not a subdivision of reporting_country (admin1 'AF-KAB', reporting_country 'PAK')" $T/w.err
# template --country: only that country's subdivisions; prompts in words
$RELEC template -s schemas/incident.yaml --country PAK -o $T/t.xlsx 2>/dev/null
check "template --country PAK: exit 0" [ $? -eq 0 ]
NPK=$(grep -c 'parent: PAK}' schemas/codes/iso3166_2.yaml)
$PY - $T/t.xlsx $NPK >$T/t.py.out 2>&1 <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
l = wb['Lists']
hdr = [c.value for c in l[1]]
j = hdr.index('iso3166_2') + 1
codes = [l.cell(row=r, column=j).value for r in range(2, l.max_row + 1)]
codes = [c for c in codes if c]
assert len(codes) == int(sys.argv[2]) and all(c.startswith('PK-') for c in codes), codes
d = wb['Data']
h = [c.value for c in d[1]]
col = openpyxl.utils.get_column_letter(h.index('admin1') + 1)
dv = [v for v in d.data_validations.dataValidation if str(v.sqref).startswith(col + '2')]
assert dv and dv[0].formula1.endswith('$%d' % (len(codes) + 1)), [v.formula1 for v in dv]
prompts = [v.prompt or '' for v in d.data_validations.dataValidation]
assert not any('^' in p or '[0-9]' in p for p in prompts), prompts
comments = [c.comment.text for c in d[1] if c.comment]
assert not any('^' in t for t in comments), comments
assert any('Write a month, YYYY-MM' in p for p in prompts), prompts
codes_sheet = [r[1] for r in wb['Codes'].iter_rows(min_row=2, values_only=True) if r[0] == 'iso3166_2']
assert len(codes_sheet) == len(codes), len(codes_sheet)
print('ok')
PY
check "template --country PAK: the province list holds PAK's $NPK, prompts hold no regex" \
    grep -qx ok $T/t.py.out
$RELEC validate -s schemas/incident.yaml $T/t.xlsx >/dev/null 2>&1
check "template --country PAK: its example row validates" [ $? -eq 0 ]
$RELEC template -s schemas/incident.yaml --country AFG -o $T/ta.xlsx 2>/dev/null &&
    $RELEC validate -s schemas/incident.yaml $T/ta.xlsx >/dev/null 2>&1
check "template --country AFG: its example row (AFG, an Afghan province) validates" [ $? -eq 0 ]
$RELEC template -s schemas/incident.yaml --country XYZ -o $T/tx.xlsx 2>$T/tx.err
check "template --country XYZ: a usage error" [ $? -eq 2 ]

rm -rf $T
finish
