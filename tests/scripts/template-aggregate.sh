# relec template -s aggregate: the workbook a ministry fills with a month's
# enforcement figures. Dropdowns for indicator, reason and partner country,
# the value column refusing counts 1 to 4 (write <5), the key, <5 and sums
# rules on sheet About; a filled template validates clean, and one with a
# small count, a repeated row or a wrong total does not.
. tests/testlib.sh
PY=python3
$PY -c 'import openpyxl' 2>/dev/null || PY=/usr/bin/python3
$RELEC template -s schemas/aggregate.yaml -o $T/agg.xlsx 2>/dev/null
check "template -s aggregate exits 0" [ $? -eq 0 ]
$PY - $T/agg.xlsx >$T/py.out 2>&1 <<'PY'
import re, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def ok(name, cond): print(('ok ' if cond else 'FAIL ') + name)
d = wb['Data']
hdr = [c.value for c in d[1]]
by_col = {}
for v in d.data_validations.dataValidation:
    for rng in str(v.sqref).split():
        by_col[re.match(r'[A-Z]+', rng).group(0)] = v
def v_of(f): return by_col.get(openpyxl.utils.get_column_letter(hdr.index(f) + 1))
def codes(f):
    col = v_of(f).formula1.split('!')[1].split(':')[0].replace('$', '')
    return [c.value for c in wb['Lists'][re.match(r'[A-Z]+', col).group(0)][1:] if c.value]
ok('indicator dropdown holds the enforcement indicators', v_of('indicator').type == 'list' and {'refusals_of_entry', 'offloaded_passengers', 'return_decisions', 'returns_forced', 'returns_voluntary', 'deportees_received', 'readmissions'} <= set(codes('indicator')))
ok('reason dropdown holds A-I, P, S, O and TOTAL', codes('reason') == list('ABCDEFGHIPSO') + ['TOTAL'])
ok('partner_country dropdown holds ISO alpha-3 and TOTAL', {'IRN', 'PAK', 'SAU', 'TOTAL'} <= set(codes('partner_country')))
ok('border_type dropdown', codes('border_type') == ['land', 'sea', 'air', 'total'])
vv = v_of('value')
ok('value: <5 or a whole number 0 or from 5, else refused', vv.type == 'custom' and vv.formula1 == 'OR(J2="<5",AND(ISNUMBER(J2),J2=INT(J2),OR(J2=0,J2>=5)))' and vv.errorStyle in (None, 'stop'))
ok('value: the input message says how to write 1 to 4', 'write <5' in vv.prompt)
ok('example row is an enforcement figure of a month', [c.value for c in d[2]][:3] == ['PAK', '2025-03', 'offloaded_passengers'])
about = ' '.join(str(c) for r in wb['About'].iter_rows(values_only=True) for c in r if c)
ok('About: one row per key, empty border_type means total', 'One row per reporting_country' in about and 'border_type empty means total' in about)
ok('About: small counts and sums', 'a count of 1 to 4 is written <5' in about and 'Breakdowns add up' in about)
PY
while read -r line; do
    case $line in ok*) pass "${line#ok }" ;; *) fail "${line#FAIL }" ;; esac
done <$T/py.out

# a month of Pakistan's enforcement figures, typed as a user would: counts
# as numbers, <5 as text, optional cells left empty
fill() { # $1 output, $2 good | small | repeat | total
    $PY - $T/agg.xlsx "$1" "$2" <<'PY'
import sys, openpyxl
tpl, out, mode = sys.argv[1:4]
wb = openpyxl.load_workbook(tpl)
d = wb['Data']
rows = [
    # country, period, indicator, sex, age, nationality, border, reason, partner, value
    ('PAK', '2025-03', 'offloaded_passengers', 'total', 'total', 'TOTAL', 'air', 'P', None, 412),
    ('PAK', '2025-03', 'offloaded_passengers', 'total', 'total', 'TOTAL', 'air', 'S', None, 37),
    ('PAK', '2025-03', 'offloaded_passengers', 'total', 'total', 'TOTAL', 'air', 'O', None, '<5'),
    ('PAK', '2025-03', 'offloaded_passengers', 'male', 'total', 'TOTAL', 'air', None, None, 430),
    ('PAK', '2025-03', 'offloaded_passengers', 'female', 'total', 'TOTAL', 'air', None, None, 22),
    ('PAK', '2025-03', 'offloaded_passengers', 'total', 'total', 'TOTAL', 'air', 'TOTAL', 'TOTAL', 452),
    ('PAK', '2025-03', 'refusals_of_entry', 'total', 'total', 'AFG', 'land', 'C', None, 1450),
    ('PAK', '2025-03', 'refusals_of_entry', 'total', 'total', 'IRN', 'land', 'C', None, 36),
    ('PAK', '2025-03', 'refusals_of_entry', 'total', 'total', 'TOTAL', 'land', 'C', None, 1486),
    ('PAK', '2025-03', 'deportees_received', 'total', 'total', 'PAK', 'air', None, 'SAU', 2210),
    ('PAK', '2025-03', 'deportees_received', 'total', 'total', 'PAK', 'air', None, 'ARE', 1750),
    ('PAK', '2025-03', 'deportees_received', 'total', 'total', 'PAK', 'air', None, 'OMN', '<5'),
    ('PAK', '2025-03', 'deportees_received', 'total', 'total', 'PAK', 'air', None, None, 3962),
    ('PAK', '2025-03', 'returns_forced', 'total', 'total', 'AFG', 'land', None, 'AFG', 0),
]
if mode == 'small':
    rows[2] = rows[2][:9] + (3,)
if mode == 'repeat':
    rows.append(rows[5][:6] + ('air', None, None, 452))
if mode == 'total':
    rows[12] = rows[12][:9] + (3900,)
for i, r in enumerate(rows):
    for j, v in enumerate(r):
        d.cell(i + 2, j + 1).value = v
wb.save(out)
PY
}
fill $T/good.xlsx good
$RELEC validate -s schemas/aggregate.yaml $T/good.xlsx 2>$T/err
check "a month's enforcement figures entered in the template validate clean" [ $? -eq 0 ]
check "... all 14 rows valid" grep -q ": 14 rows: 14 valid, 0 rejected" $T/err
fill $T/small.xlsx small
$RELEC validate -s schemas/aggregate.yaml $T/small.xlsx 2>$T/err
check "a count of 3 typed as a number fails (exit 1)" [ $? -eq 1 ]
check "... as a range finding on its row" grep -q "small.xlsx:4: error: value: 3 is a count under 5: write it as <5 (0 stays 0) \[range\]" $T/err
fill $T/repeat.xlsx repeat
$RELEC validate -s schemas/aggregate.yaml $T/repeat.xlsx 2>$T/err
check "the total row entered twice (empty reason = TOTAL) fails" grep -q "repeat.xlsx:16: error: the key (PAK, 2025-03, offloaded_passengers, total, total, TOTAL, air, TOTAL, TOTAL) repeats row 7; one row per key \[unique\]" $T/err
fill $T/total.xlsx total
$RELEC validate -s schemas/aggregate.yaml $T/total.xlsx 2>$T/err
check "deportees by country above their total fail on the total's row" grep -q "total.xlsx:14: error: value: the 3 rows by partner_country of this total (from row 11) add up to at least 3961, more than its 3900 \[rule\]" $T/err
rm -rf "$T"
finish
