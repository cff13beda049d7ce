# Builds a persons workbook with what an analyst's workbook carries beyond
# its values (openpyxl): a merged bold title, a bold header, number formats
# (built-in and custom), formulas (a string one, a sum), column widths and
# a hidden column, data validations of every kind (a list, whole numbers,
# decimals, dates, a text length, a custom formula) with their messages,
# and a dropdown Excel keeps in the sheet's extension list
# (x14:dataValidation, a list on another sheet), which openpyxl cannot
# write: it is put into the saved file's sheet XML.
# usage: fidelity.py OUT.xlsx
import os, sys, datetime, openpyxl
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sheetedit import rewrite_part
out = sys.argv[1]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Persons"
hdr = ("person_id,incident_id,role,family_name,given_name,father_name,sex,"
       "date_of_birth,age,nationality,id_document_type,id_document_number,"
       "exploitation_form,referral,notes").split(',')
ws['A1'] = "Persons recorded, Q1 2025 (FIA Lahore)"
ws['A1'].font = Font(bold=True, size=14)
ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
ws.merge_cells('H2:I2')
ws['H2'] = "Born"
ws['H2'].font = Font(italic=True)
for i, h in enumerate(hdr):
    ws.cell(row=3, column=i + 1, value=h).font = Font(bold=True)
rows = [
    ["PAK-2025-P-0001", "PAK-2025-LHR-0001", "victim", "Masih", "Boota",
     "Barkat Masih", "male", datetime.datetime(1983, 7, 15), 41, "PAK",
     "cnic", "35102-4417823-5", "forced_labour", "legal", "first"],
    ["PAK-2025-P-0002", "PAK-2025-LHR-0001", "victim", "Bibi", "=UPPER(\"sana\")",
     "Allah Ditta", "female", datetime.datetime(1990, 5, 2), "=30+4", "PAK",
     "none", None, "forced_labour", "shelter", None],
    ["PAK-2025-P-0003", "PAK-2025-LHR-0001", "victim", "Khan", "Ali", "Gul",
     "male", datetime.datetime(2001, 1, 9), 240, "PAK", "none", None,
     "forced_labour", "shelter", "age wrong"],
]
for r, row in enumerate(rows, start=4):
    for j, v in enumerate(row):
        c = ws.cell(row=r, column=j + 1, value=v)
    ws.cell(row=r, column=8).number_format = 'dd/mm/yyyy'      # custom
    ws.cell(row=r, column=9).number_format = '0.0'             # custom
    ws.cell(row=r, column=1).font = Font(bold=True)
ws.cell(row=4, column=9).number_format = '#,##0'               # built-in 3
ws['A7'] = "Total"
ws['A7'].font = Font(bold=True)
ws['I7'] = "=SUM(I4:I6)"
ws['I7'].number_format = '#,##0.00'                            # built-in 4
ws.column_dimensions['A'].width = 22
ws.column_dimensions['D'].width = 30
ws.column_dimensions['O'].hidden = True
dvs = [
    DataValidation(type="list", formula1='"victim,smuggled_migrant,witness"',
                   allow_blank=True, showErrorMessage=True,
                   errorTitle="Role", error="Pick a role from the list"),
    DataValidation(type="whole", operator="between", formula1="0",
                   formula2="120", showInputMessage=True, promptTitle="Age",
                   prompt="Age in years, 0 to 120"),
    DataValidation(type="decimal", operator="greaterThanOrEqual",
                   formula1="0"),
    DataValidation(type="date", operator="between", formula1="1",
                   formula2="46022", errorStyle="warning"),
    DataValidation(type="textLength", operator="lessThanOrEqual",
                   formula1="200"),
    DataValidation(type="custom", formula1='ISNUMBER(SEARCH("-",A4))'),
]
for dv, rng in zip(dvs, ["C4:C500", "I4:I500", "P4:P500", "H4:H500",
                         "O4:O500", "A4:A500"]):
    ws.add_data_validation(dv)
    dv.add(rng)
lists = wb.create_sheet("Lists")
for i, v in enumerate(["cnic", "passport", "nid_bd", "iran_national_code",
                       "none"], start=1):
    lists.cell(row=i, column=1, value=v)
wb.save(out)

# the x14 dropdown, as Excel writes a list on another sheet
X14 = ('<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
       'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
       '<x14:dataValidations count="1" '
       'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
       '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" '
       'showErrorMessage="1"><x14:formula1><xm:f>Lists!$A$1:$A$5</xm:f>'
       '</x14:formula1><xm:sqref>K4:K500</xm:sqref></x14:dataValidation>'
       '</x14:dataValidations></ext></extLst>')


def add_x14(s):
    assert "<extLst>" not in s
    return s.replace("</worksheet>", X14 + "</worksheet>")


rewrite_part(out, add_x14)
