# Workbooks relec writes: export, template, the validate report, compare
# and dedup.
# Each is opened with openpyxl (sheets, typed cells, frozen header,
# autofilter, validations, comments, highlights) and converted by gnumeric's
# ssconvert; round trips: export -> validate gives the same rows as the
# input; a template filled by openpyxl, and the same re-saved by ssconvert,
# validates clean; filled wrongly, it does not.
. tests/testlib.sh
need_openpyxl
HAVE_SSCONVERT=0
command -v ssconvert >/dev/null 2>&1 && HAVE_SSCONVERT=1
[ $HAVE_SSCONVERT = 1 ] || fail "ssconvert (gnumeric) is not installed (make deps)"

# ssconvert NAME FILE: gnumeric reads FILE and writes its first sheet as CSV
ssconv() {
    [ $HAVE_SSCONVERT = 1 ] || return 1
    ssconvert "$2" "$T/$1.ssconv.csv" >"$T/$1.ssconv.err" 2>&1 &&
        [ -s "$T/$1.ssconv.csv" ]
}

# --- export ---------------------------------------------------------------
$RELEC export -s schemas/incident.yaml -o $T/inc.xlsx examples/incident.csv 2>$T/exp.err
check "export of clean incidents exits 0" [ $? -eq 0 ]
NROWS=$($PY -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8"))) - 1)' examples/incident.csv)
check "export prints the row count" grep -q "wrote $T/inc.xlsx: $NROWS rows in Data" $T/exp.err
check "export: ssconvert reads the workbook" ssconv inc $T/inc.xlsx
check "export: ssconvert's Data has every row" [ "$($PY -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))))' $T/inc.ssconv.csv)" = $((NROWS + 1)) ]

$PY - $T/inc.xlsx examples/incident.csv schemas/incident.yaml >$T/exp.py.out 2>&1 <<'PY'
import csv, hashlib, re, sys, datetime, collections
import openpyxl
wb_path, csv_path, schema = sys.argv[1:4]
fields = [m.group(1) for m in re.finditer(r'^  - name: (\S+)', open(schema).read(), re.M)]
rows = list(csv.DictReader(open(csv_path, encoding='utf-8')))
wb = openpyxl.load_workbook(wb_path)
def ok(name, cond):
    print(('ok ' if cond else 'FAIL ') + name)
ok('sheets Data Summary Codes Issues About', wb.sheetnames == ['Data', 'Summary', 'Codes', 'Issues', 'About'])
d = wb['Data']
ok('Data header is the schema fields in order', [c.value for c in d[1]] == fields)
ok('Data has one row per input row', d.max_row == len(rows) + 1)
ok('Data header frozen', d.freeze_panes == 'A2')
ok('Data has an autofilter over the table', (d.auto_filter.ref or '').startswith('A1:') and d.auto_filter.ref.endswith(str(len(rows) + 1)))
ok('Data column widths set', all(d.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width >= 8 for i in range(len(fields))))
col = {f: i for i, f in enumerate(fields)}
r2 = [c for c in d[2]]
ok('dates are date cells', r2[col['incident_date']].is_date and isinstance(r2[col['incident_date']].value, datetime.datetime))
ok('date value kept', r2[col['incident_date']].value.date().isoformat() == rows[0]['incident_date'])
ok('counts are numbers', isinstance(r2[col['victims_count']].value, int) and r2[col['victims_count']].value == int(rows[0]['victims_count']))
ok('codes are strings', r2[col['offence_type']].data_type == 's' and r2[col['offence_type']].value == rows[0]['offence_type'])
ok('months stay text', all(d.cell(i + 2, col['reporting_period'] + 1).value == r['reporting_period'] for i, r in enumerate(rows)))
ok('every cell as in the input', all(
    (lambda v: '' if v is None else v.date().isoformat() if isinstance(v, datetime.datetime) else str(v))(d.cell(i + 2, j + 1).value) == r[f]
    for i, r in enumerate(rows) for j, f in enumerate(fields)))
# Summary: month x offence type counts agree with the input
s = wb['Summary']
grid = [[c.value for c in row] for row in s.iter_rows()]
hdr_i = next(i for i, row in enumerate(grid) if row and row[0] == 'reporting_period')
hdr = grid[hdr_i]
want = collections.Counter((r['reporting_period'], r['offence_type']) for r in rows)
got = collections.Counter()
i = hdr_i + 1
while grid[i][0] != 'total':
    for j, name in enumerate(hdr):
        if j >= 1 and name not in (None, 'total', 'label') and grid[i][j]:
            got[(grid[i][0], name)] = grid[i][j]
    i += 1
ok('Summary month x offence type matches the input', got == want)
ok('Summary grand total is the row count', grid[i][hdr.index('total')] == len(rows))
ok('Summary has a chart', len(s._charts) >= 1)
c = wb['Codes']
codes = {(r[0], r[1]): r[2] for r in c.iter_rows(min_row=2, values_only=True)}
ok('Codes lists offence_type THB with its label', ('offence_type', 'THB') in codes and codes[('offence_type', 'THB')])
ok('Codes lists every relec_country', all(('relec_country', k) in codes for k in ['AFG', 'BGD', 'IRN', 'IRQ', 'PAK', 'TUR']))
a = wb['About']
about = {r[0]: r for r in a.iter_rows(values_only=True) if r and r[0]}
sha = hashlib.sha256(open(csv_path, 'rb').read()).hexdigest()
ok('About names the schema and version', about['schema'][1] == 'incident' and about['schema version'][1] == '1.0')
ok('About has the tool and time', about['tool'][1].startswith('relec ') and re.match(r'\d{4}-\d\d-\d\dT', about['generated at'][1]))
ok('About lists the input with rows and SHA-256', about[csv_path][3] == len(rows) and about[csv_path][4] == sha)
i = wb['Issues']
ok('Issues says there are no findings', i.cell(2, 1).value == 'no findings')
PY
while read -r line; do
    case $line in ok*) pass "export: ${line#ok }" ;; *) fail "export: $line" ;; esac
done <$T/exp.py.out

# round trip: export -> validate gives the same rows, byte for byte
$RELEC validate -q -s schemas/incident.yaml --valid $T/a.csv examples/incident.csv
$RELEC validate -q -s schemas/incident.yaml --valid $T/b.csv $T/inc.xlsx
check "round trip export -> validate exits 0" [ $? -eq 0 ]
check "round trip export -> validate: same rows" cmp -s $T/a.csv $T/b.csv

# export of data with errors: every row in Data, every finding in Issues
E=examples/errors/incident-errors.csv
$RELEC validate -s schemas/incident.yaml -r $T/errs.csv $E 2>$T/errs.err
n=$(sed -n "s|^$E: \([0-9]*\) rows.*|\1|p" $T/errs.err)
$RELEC export -q -s schemas/incident.yaml -o $T/err.xlsx $E
check "export of data with errors exits 1" [ $? -eq 1 ]
check "export with errors: ssconvert reads it" ssconv err $T/err.xlsx
$PY - $T/err.xlsx $T/errs.csv "$n" >$T/err.py.out 2>&1 <<'PY'
import csv, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
want = [(r['row'], r['field'], r['value'], r['code'], r['severity'], r['message']) for r in csv.DictReader(open(sys.argv[2], encoding='utf-8', errors='replace'))]
iss = wb['Issues']
hdr = [c.value for c in iss[1]]
def s(v): return '' if v is None else str(v)
got = [tuple(s(r[hdr.index(k)]) for k in ('row', 'field', 'value', 'code', 'severity', 'message')) for r in iss.iter_rows(min_row=2, values_only=True)]
print(('ok ' if len(want) > 5 and got == want else 'FAIL ') + 'Issues lists exactly the findings of validate, in row order')
print(('ok ' if int(sys.argv[3]) > 5 and wb['Data'].max_row - 1 == int(sys.argv[3]) else 'FAIL ') + 'Data holds every input row')
d = wb['Data']
dh = [c.value for c in d[1]]
good = 0
for r in iss.iter_rows(min_row=2, values_only=True):
    dr, field, value = r[hdr.index('data_row')], r[hdr.index('field')], r[hdr.index('value')]
    if dr and field in dh and value:
        v = d.cell(dr, dh.index(field) + 1).value
        good += str(v) == str(value) or hasattr(v, 'date')
print(('ok ' if good > 5 else 'FAIL ') + 'data_row points at the Data cell of a finding')
PY
while read -r line; do
    case $line in ok*) pass "export errors: ${line#ok }" ;; *) fail "export errors: $line" ;; esac
done <$T/err.py.out
$RELEC validate -q -s schemas/incident.yaml --valid $T/ea.csv --rejects $T/ej.csv $E
$RELEC validate -q -s schemas/incident.yaml --valid $T/eb.csv --rejects $T/ek.csv $T/err.xlsx
check "round trip with errors: same valid rows" cmp -s $T/ea.csv $T/eb.csv
check "round trip with errors: same rejected rows" [ "$(cut -d, -f1 $T/ej.csv | sort | md5sum)" = "$(cut -d, -f1 $T/ek.csv | sort | md5sum)" ]

# other schemas: the Summary adapts to the fields there are
$RELEC export -q -s schemas/person.yaml -o $T/per.xlsx examples/person.csv
check "export person exits 0" [ $? -eq 0 ]
$RELEC export -q -s schemas/aggregate.yaml -o $T/agg.xlsx examples/aggregate.csv
check "export aggregate exits 0" [ $? -eq 0 ]
check "export person: ssconvert reads it" ssconv per $T/per.xlsx
check "export aggregate: ssconvert reads it" ssconv agg $T/agg.xlsx
$PY - $T/per.xlsx $T/agg.xlsx >$T/sum.py.out 2>&1 <<'PY'
import sys, openpyxl
p = openpyxl.load_workbook(sys.argv[1])['Summary']
first = [r[0] for r in p.iter_rows(values_only=True)]
print(('ok ' if 'Rows by nationality' in first and 'Rows by sex and age group' in first and 'Rows by month and offence type' not in first else 'FAIL ') + 'person Summary: nationality, sex x age group')
hdr = next(r for r in p.iter_rows(values_only=True) if r[0] == 'sex')
print(('ok ' if 'child' in hdr and 'adult' in hdr else 'FAIL ') + 'person Summary: ages grouped child/adult')
a = openpyxl.load_workbook(sys.argv[2])['Summary']
first = [r[0] for r in a.iter_rows(values_only=True)]
print(('ok ' if 'Rows by month and offence type' in first and 'Rows by sex and age group' in first else 'FAIL ') + 'aggregate Summary: period x indicator, sex x age_group')
PY
while read -r line; do
    case $line in ok*) pass "summary: ${line#ok }" ;; *) fail "summary: $line" ;; esac
done <$T/sum.py.out

# --- template ---------------------------------------------------------------
for s in incident person aggregate; do
    $RELEC template -s schemas/$s.yaml -o $T/tpl-$s.xlsx 2>/dev/null
    check "template $s exits 0" [ $? -eq 0 ]
    check "template $s: ssconvert reads it" ssconv tpl-$s $T/tpl-$s.xlsx
    $RELEC validate -q -s schemas/$s.yaml $T/tpl-$s.xlsx 2>/dev/null
    check "template $s: the example row validates" [ $? -eq 0 ]
done
$PY - $T/tpl-incident.xlsx schemas/incident.yaml >$T/tpl.py.out 2>&1 <<'PY'
import re, sys, openpyxl
fields = [m.group(1) for m in re.finditer(r'^  - name: (\S+)', open(sys.argv[2]).read(), re.M)]
wb = openpyxl.load_workbook(sys.argv[1])
def ok(name, cond): print(('ok ' if cond else 'FAIL ') + name)
ok('sheets Data Codes About Lists', wb.sheetnames == ['Data', 'Codes', 'About', 'Lists'])
ok('Lists is hidden', wb['Lists'].sheet_state == 'hidden')
d = wb['Data']
ok('header is the schema fields', [c.value for c in d[1]] == fields)
ok('header frozen', d.freeze_panes == 'A2')
ok('every header has a comment', all(c.comment is not None and len(c.comment.text) > 10 for c in d[1]))
ok('required columns marked', d.cell(1, fields.index('incident_id') + 1).fill.fgColor.rgb != d.cell(1, fields.index('notes') + 1).fill.fgColor.rgb and 'Required' in d.cell(1, 1).comment.text)
dv = d.data_validations.dataValidation
by_col = {}
for v in dv:
    for rng in str(v.sqref).split():
        by_col[re.match(r'[A-Z]+', rng).group(0)] = v
L = openpyxl.utils.get_column_letter
def v_of(f): return by_col.get(L(fields.index(f) + 1))
ok('every column has a validation with an input message', all(v_of(f) is not None and v_of(f).prompt for f in fields))
ok('code columns are dropdowns from Lists', all(v_of(f).type == 'list' and 'Lists!' in v_of(f).formula1 for f in ('reporting_country', 'offence_type', 'place_type', 'admin1', 'case_stage')))
ok('counts are whole-number validations with the minimum', v_of('victims_count').type == 'whole' and v_of('victims_count').formula1 == '0')
ok('dates are date validations', v_of('incident_date').type == 'date')
ok('lengths are checked', v_of('reporting_agency').type == 'textLength')
lists = wb['Lists']
col = v_of('offence_type').formula1.split('!')[1].split(':')[0].replace('$', '')
codes = [c.value for c in lists[re.match(r'[A-Z]+', col).group(0)][1:] if c.value]
ok('the offence_type dropdown holds the codes', codes == ['THB', 'SOM', 'IRREGULAR_ENTRY', 'IRREGULAR_EXIT', 'IRREGULAR_STAY', 'DOCUMENT_FRAUD'])
ok('example row filled', all(d.cell(2, fields.index(f) + 1).value is not None for f in ('incident_id', 'incident_date', 'victims_count')))
ok('text columns are text-formatted', d.column_dimensions[L(fields.index('reporting_period') + 1)].number_format == '@' or d.cell(2, fields.index('reporting_period') + 1).number_format == '@')
PY
while read -r line; do
    case $line in ok*) pass "template: ${line#ok }" ;; *) fail "template: $line" ;; esac
done <$T/tpl.py.out

# fill the template as a province would (typed cells: dates as dates, counts
# as numbers), with the example row replaced; then check it
fill() { # $1 template, $2 output, $3 "good" or "bad"
    $PY - "$1" "$2" "$3" examples/incident.csv <<'PY'
import csv, datetime, sys, openpyxl
tpl, out, mode, src = sys.argv[1:5]
wb = openpyxl.load_workbook(tpl)
d = wb['Data']
hdr = [c.value for c in d[1]]
rows = list(csv.DictReader(open(src, encoding='utf-8')))[:12]
for i, r in enumerate(rows):
    for j, f in enumerate(hdr):
        v = r[f]
        if v == '':
            d.cell(i + 2, j + 1).value = None
            continue
        if f == 'incident_date':
            v = datetime.date.fromisoformat(v)
        elif f.endswith('_count'):
            v = int(v)
        d.cell(i + 2, j + 1).value = v
if mode == 'bad':
    d.cell(3, hdr.index('offence_type') + 1).value = 'SMUGGLING'
wb.save(out)
PY
}
fill $T/tpl-incident.xlsx $T/filled.xlsx good
$RELEC validate -s schemas/incident.yaml $T/filled.xlsx 2>$T/filled.err
check "filled template validates clean" [ $? -eq 0 ]
check "filled template: all 12 rows read" grep -q ": 12 rows: 12 valid, 0 rejected" $T/filled.err
$RELEC validate -q -s schemas/incident.yaml --valid $T/fv.csv $T/filled.xlsx
# the first 12 records of the clean rows (records, not lines: notes hold
# line breaks)
$PY -c 'import csv, sys
r = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))[:13]
w = csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"), lineterminator="\n")
w.writerows(r)' $T/a.csv $T/a12.csv
same_records() { # CSV files $1 and $2 hold the same records
    $PY -c 'import csv, sys
r = [list(csv.reader(open(f, newline="", encoding="utf-8"))) for f in sys.argv[1:3]]
sys.exit(0 if len(r[0]) > 1 and r[0] == r[1] else 1)' "$1" "$2"
}
check "filled template: the rows come back as entered (dates ISO)" same_records $T/a12.csv $T/fv.csv
fill $T/tpl-incident.xlsx $T/filled-bad.xlsx bad
$RELEC validate -q -s schemas/incident.yaml $T/filled-bad.xlsx 2>/dev/null
check "template filled with a wrong code fails validation" [ $? -eq 1 ]
if [ $HAVE_SSCONVERT = 1 ]; then
    ssconvert $T/filled.xlsx $T/filled-gnumeric.xlsx >/dev/null 2>&1
    check "ssconvert re-saves the filled template" [ -s $T/filled-gnumeric.xlsx ]
    $RELEC validate -s schemas/incident.yaml $T/filled-gnumeric.xlsx 2>$T/fg.err
    check "filled template re-saved by gnumeric validates clean" [ $? -eq 0 ]
    check "re-saved by gnumeric: 12 valid rows" grep -q ": 12 rows: 12 valid, 0 rejected" $T/fg.err
    $RELEC validate -q -s schemas/incident.yaml --valid $T/fgv.csv $T/filled-gnumeric.xlsx
    check "re-saved by gnumeric: same rows" same_records $T/a12.csv $T/fgv.csv
fi

# --- validate --report FILE.xlsx -------------------------------------------
$RELEC validate -q -s schemas/incident.yaml -r $T/rep.xlsx -r $T/rep.csv $E
check "validate --report .xlsx exits 1 on bad data" [ $? -eq 1 ]
check "report: ssconvert reads it" ssconv rep $T/rep.xlsx
$PY - $T/rep.xlsx $T/rep.csv $E >$T/rep.py.out 2>&1 <<'PY'
import csv, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def ok(name, cond): print(('ok ' if cond else 'FAIL ') + name)
ok('sheets: the input, then Findings, then the hidden lists of the dropdowns', wb.sheetnames == ['incident-errors', 'Findings', 'relec lists'] and wb['relec lists'].sheet_state == 'hidden')
want = list(csv.DictReader(open(sys.argv[2], encoding='utf-8', errors='replace')))
f = wb['Findings']
hdr = [c.value for c in f[1]]
ok('Findings has the report columns', hdr == ['file', 'row', 'field', 'value', 'code', 'severity', 'message'])
got = [[('' if v is None else str(v)) for v in r] for r in f.iter_rows(min_row=2, values_only=True)]
ok('Findings lists every finding of validate', len(want) > 5 and got == [[w[k] for k in hdr] for w in want])
ok('Findings sorted by row', [int(g[1]) for g in got] == sorted(int(g[1]) for g in got))
d = wb['incident-errors']
dh = [c.value for c in d[1]]
ok('the input sheet starts with the header and a findings column', dh[-1] == 'relec findings' and dh[0] == 'incident_id')
marked = commented = total = 0
for w in want:
    if w['severity'] != 'error' or w['field'] not in dh or w['row'] == '1':
        continue
    total += 1
    c = d.cell(int(w['row']), dh.index(w['field']) + 1)
    marked += c.fill.fgColor.rgb.endswith('FFC7CE')
    commented += c.comment is not None and w['message'] in c.comment.text
ok('every bad cell highlighted on its own row', total > 5 and marked == total)
ok('every bad cell carries its finding as a comment', total > 5 and commented == total)
rows = list(csv.reader(open(sys.argv[3], encoding='utf-8', errors='replace')))
ok('cells kept as in the input', d.cell(2, 1).value == rows[1][0])
ok('header frozen and filtered', d.freeze_panes == 'A2' and d.auto_filter.ref.startswith('A1:'))
PY
while read -r line; do
    case $line in ok*) pass "report: ${line#ok }" ;; *) fail "report: $line" ;; esac
done <$T/rep.py.out

# a clean file: the report has no marks, Findings says so
$RELEC validate -q -s schemas/incident.yaml -r $T/clean.xlsx examples/incident.csv
check "report of clean data exits 0" [ $? -eq 0 ]
check "clean report: Findings says no findings" $PY -c "
import openpyxl, sys
wb = openpyxl.load_workbook('$T/clean.xlsx')
sys.exit(0 if wb['Findings'].cell(2, 1).value == 'no findings' and wb['incident'].max_row == $NROWS + 1 else 1)"

# above WORKBOOK_REPORT_COMMENT_CELLS cells the report is written in constant
# memory: highlights and the findings column, no comments, said on stderr
{ head -n 1 examples/incident.csv
  awk 'BEGIN { for (i = 1; i <= 50000; i++)
    printf "PAK-2025-X%d,PAK,FIA Lahore,2025-03,2025-03-03,%s,inland,PK-PB,Kasur,,,PAK,,PAK,land,0,3,0,1,,registered,,\n",
        i, i % 1000 == 0 ? "NOPE" : "SOM" }'; } >$T/big.csv
$RELEC validate -q -s schemas/incident.yaml -r $T/big.xlsx $T/big.csv 2>$T/big.err
check "big report exits 1" [ $? -eq 1 ]
check "big report: says comments are left out" grep -q "too many for cell comments" $T/big.err
$PY - $T/big.xlsx >$T/big.py.out 2>&1 <<'PY'
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
print(('ok ' if not any('comments' in n for n in names) else 'FAIL ') + 'no comments part')
wbx = z.read('xl/workbook.xml').decode()
print(('ok ' if 'name="big"' in wbx and 'name="Findings"' in wbx else 'FAIL ') + 'input and Findings sheets')
f = z.read('xl/worksheets/sheet2.xml').decode()
print(('ok ' if f.count('<row ') == 51 else 'FAIL ') + 'Findings has the 50 findings')
d = z.read('xl/worksheets/sheet1.xml').decode()
print(('ok ' if d.count('offence_type: ') == 50 else 'FAIL ') + 'the findings column holds each finding')
PY
while read -r line; do
    case $line in ok*) pass "big report: ${line#ok }" ;; *) fail "big report: $line" ;; esac
done <$T/big.py.out

# --- the other tools' workbooks: compare and dedup --------------------------
# each opens in openpyxl with every sheet readable, and gnumeric converts it
$RELEC load -q --db $T/s.db examples/incident.csv examples/person.csv 2>/dev/null
$RELEC compare -q --db $T/s.db --suppress 5 -o $T/cmp.xlsx 2>$T/cmp.err
check "compare writes its workbook" [ $? -eq 0 -a -s $T/cmp.xlsx ]
$RELEC dedup -q -s schemas/person.yaml -o $T/dd.xlsx examples/persons-three-agencies.csv 2>$T/dd.err
check "dedup writes its workbook" [ $? -eq 0 -a -s $T/dd.xlsx ]
for w in cmp dd; do
    check "$w.xlsx: ssconvert reads it" ssconv $w $T/$w.xlsx
    check "$w.xlsx: openpyxl reads every sheet" $PY -c "
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames, 'no sheets'
for ws in wb.worksheets:
    rows = list(ws.iter_rows(values_only=True))
    assert rows and any(v is not None for v in rows[0]), ws.title + ': no header'
" $T/$w.xlsx
done
check "compare.xlsx has a sheet per indicator with a chart" $PY -c "
import openpyxl, sys, zipfile
wb = openpyxl.load_workbook(sys.argv[1])
names = [n for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.startswith('xl/charts/chart')]
assert 'thb_incidents' in wb.sheetnames, wb.sheetnames
assert len(names) >= 1, 'no chart parts'
" $T/cmp.xlsx
# the About sheet: first, with the legend, the rule, the sources with
# their SHA-256 and the suppression counts; an incomplete period is marked
$RELEC compare -q -p quarter --suppress 5 -o $T/cmp2.xlsx examples/incident.csv examples/person.csv examples/aggregate.csv 2>/dev/null
check "compare.xlsx: About first, with legend, rule, sources, method" $PY -c "
import openpyxl, sys, hashlib
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames[0] == 'About', wb.sheetnames
text = '\n'.join(str(r[0]) for r in wb['About'].iter_rows(values_only=True) if r[0])
for want in ('<5', 'x ', '..', 'not_recorded', '(incomplete)', 'One number per cell',
             'tau-ARGUS', 'secondary', 'Findings',
             hashlib.sha256(open('examples/aggregate.csv', 'rb').read()).hexdigest()):
    assert want in text, want
inc = [c for ws in wb.worksheets[1:] for row in ws.iter_rows() for c in row
       if (c.number_format or '').endswith('(incomplete)\"') or
          (isinstance(c.value, str) and c.value.endswith('(incomplete)'))]
assert inc, 'no incomplete cell marked'
" $T/cmp2.xlsx

rm -rf "$T"
finish
