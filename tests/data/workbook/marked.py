# Builds a persons workbook with what issue 11 found the marked workbook
# (validate --report) lost (openpyxl, then its sheet XML edited where
# openpyxl cannot write the thing):
#   - row 4 longer than its header (two cells beyond the last column);
#   - G3 a formula whose result was never saved (openpyxl saves none);
#   - G5:G7 one shared formula (relative, absolute and mixed references),
#     its saved results 41, as Excel writes a formula filled down;
#   - A2 a font of its own (name, size, colour, single underline), B2 a
#     solid fill, C2 thin borders, row 3 a custom height, D2 a hyperlink.
# usage: marked.py OUT.xlsx [EXTRA]
import os, sys, openpyxl
from openpyxl.styles import Font, PatternFill, Border, Side
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sheetedit import rewrite_part

out = sys.argv[1]
extra = int(sys.argv[2]) if len(sys.argv) > 2 else 0
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Persons"
ws.append("person_id,incident_id,role,family_name,given_name,sex,age,"
          "nationality,notes".split(','))
ws.append(["PAK-2025-P-0001", "PAK-2025-LHR-0001", "victim", "Masih",
           "Boota", "male", 41, "PAK", "first"])
ws.append(["PAK-2025-P-0002", "PAK-2025-LHR-0001", "victim", "Bibi", "Sana",
           "female", "=30+4", "PAK", None])
ws.append(["PAK-2025-P-0003", "PAK-2025-LHR-0001", "victim", "Khan", "Ali",
           "male", 30, "PAK", "long row", "extra 1", 77])
for i in range(5, 8):
    ws.append(["PAK-2025-P-000%d" % (i - 1), "PAK-2025-LHR-0001", "victim",
               "Gul", "Zar", "male", "SHARED%d" % i, "PAK", None])
ws['A2'].font = Font(name="Courier New", size=14, color="FFFF0000",
                     underline="single")
ws['B2'].fill = PatternFill(fill_type="solid", fgColor="FFFFFF00")
thin = Side(style="thin", color="FF000000")
ws['C2'].border = Border(left=thin, right=thin, top=thin, bottom=thin)
ws.row_dimensions[3].height = 30
ws['D2'].hyperlink = "https://example.org/case/1"
wb.save(out)

# the shared formula, as Excel writes one filled down G5:G7; and EXTRA
# rows that are no data (a number in column Z): over 1,000,000 cells of
# the marked workbook make it written in constant memory
master = '<f t="shared" ref="G5:G7" si="0">$G$2+0*G4+0*$G4+0*G$4</f><v>41</v>'
child = '<f t="shared" si="0"/><v>41</v>'


def edit(s):
    for i in range(5, 8):
        # openpyxl wrote the placeholder as an inline string: the cell goes
        at = s.index('r="G%d"' % i)
        start = s.rindex('<c ', 0, at)
        end = s.index('</c>', at) + 4
        s = (s[:start] + '<c r="G%d">' % i + (master if i == 5 else child) +
             '</c>' + s[end:])
    rows = ''.join('<row r="%d"><c r="Z%d"><v>%d</v></c></row>' % (r, r, r)
                   for r in range(20, 20 + extra))
    return s.replace('</sheetData>', rows + '</sheetData>')


rewrite_part(out, edit)
