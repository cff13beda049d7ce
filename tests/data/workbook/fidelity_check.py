# Compares a marked workbook with its input, as openpyxl sees both: what
# the input carries (number formats, bold and italic, merged ranges,
# formulas and their saved results, data validations, column widths and
# hidden columns, values) must be in the marked workbook. Prints one
# "ok NAME" or "FAIL NAME why" line per property.
# usage: fidelity_check.py INPUT.xlsx MARKED.xlsx SHEET HEADER_ROW
import sys, warnings, openpyxl
warnings.simplefilter("ignore")
src, out, sheet = sys.argv[1], sys.argv[2], sys.argv[3]
hrow = int(sys.argv[4])
a = openpyxl.load_workbook(src)[sheet]
b = openpyxl.load_workbook(out)[sheet]
av = openpyxl.load_workbook(src, data_only=True)[sheet]
bv = openpyxl.load_workbook(out, data_only=True)[sheet]
def ok(name, cond, why=''):
    print(('ok ' if cond else 'FAIL ') + name + ('' if cond else ' ' + str(why)[:600]))
cells = [c for r in a.iter_rows() for c in r if c.value is not None and c.row != hrow]
bad = [(c.coordinate, c.number_format, b[c.coordinate].number_format) for c in cells
       if c.number_format != 'General' and b[c.coordinate].number_format != c.number_format]
ok('number formats kept (%d cells with one)' % sum(c.number_format != 'General' for c in cells),
   any(c.number_format != 'General' for c in cells) and not bad, bad)
bad = [(c.coordinate) for c in cells if c.font.b and not b[c.coordinate].font.b]
ok('bold kept (%d cells)' % sum(bool(c.font.b) for c in cells), any(c.font.b for c in cells) and not bad, bad)
bad = [(c.coordinate) for c in cells if c.font.i and not b[c.coordinate].font.i]
ok('italic kept', not bad, bad)
ma = sorted(str(m) for m in a.merged_cells.ranges)
mb = sorted(str(m) for m in b.merged_cells.ranges)
ok('merged ranges kept %s' % ma, ma and ma == mb, mb)
fa = [c for c in cells if c.data_type == 'f']
bad = [(c.coordinate, c.value, b[c.coordinate].value) for c in fa
       if str(b[c.coordinate].value).replace(' ', '') != str(c.value).replace(' ', '')]
ok('formulas kept (%d)' % len(fa), fa and not bad, bad)
bad = [(c.coordinate, av[c.coordinate].value, bv[c.coordinate].value) for c in fa
       if av[c.coordinate].value is not None and av[c.coordinate].value != bv[c.coordinate].value]
ok('formula results kept (%d saved)' % sum(av[c.coordinate].value is not None for c in fa), not bad, bad)
def dvs(ws):
    return sorted((str(v.sqref), v.type, v.operator or 'between', v.formula1, v.formula2,
                   bool(v.allow_blank), bool(v.showErrorMessage), v.errorStyle or 'stop',
                   v.prompt or '', v.error or '')
                  for v in ws.data_validations.dataValidation)
da, db = dvs(a), dvs(b)
ok('validations kept (%d: %s)' % (len(da), sorted(set(d[1] for d in da))),
   da and all(d in db for d in da), [d for d in da if d not in db])
wa = {k: (round(d.width or 0, 1), bool(d.hidden)) for k, d in a.column_dimensions.items()
      if d.customWidth or d.hidden}
bad = [(k, wa[k], b.column_dimensions[k].width, b.column_dimensions[k].hidden) for k in wa
       if abs((b.column_dimensions[k].width or 0) - wa[k][0]) > 0.6 or bool(b.column_dimensions[k].hidden) != wa[k][1]]
ok('column widths and hidden columns kept (%d)' % len(wa), wa and not bad, bad)
# values: those saved (a formula never calculated has none, and gets 0)
bad = [(c.coordinate, c.value, bv[c.coordinate].value) for r in av.iter_rows() for c in r
       if c.value is not None and c.row != hrow and c.value != bv[c.coordinate].value]
ok('values kept (%d)' % sum(1 for r in av.iter_rows() for c in r if c.value is not None), not bad, bad)
