# Builds a persons workbook the way people make one in Excel (openpyxl):
# a merged title row and a blank row above the header, a 17-digit
# Bangladesh NID and an Iran national code typed as numbers, a date of birth
# with a time of day, a formula never calculated (openpyxl saves no result),
# a styled empty row, a row holding only a running number, a total row with
# a SUM of the column, and styled empty rows at the end.
# usage: persons.py OUT.xlsx
import sys, datetime, openpyxl
from openpyxl.styles import PatternFill, Font
def iran(base):
    s=sum(int(base[i])*(10-i) for i in range(9)); r=s%11
    return base+str(r if r<2 else 11-r)
code=iran("001234567")
out=sys.argv[1]
wb=openpyxl.Workbook(); ws=wb.active; ws.title="Persons"
hdr="person_id,incident_id,role,family_name,given_name,father_name,sex,date_of_birth,age,nationality,id_document_type,id_document_number,exploitation_form,referral,notes".split(',')
ws['A1']="Persons recorded, Q1 2025 (FIA Lahore)"; ws['A1'].font=Font(bold=True, size=14)
ws.merge_cells(start_row=1,start_column=1,end_row=1,end_column=len(hdr))
ws.append([]) if False else None
for i,h in enumerate(hdr): ws.cell(row=3,column=i+1,value=h)
rows=[
 ["PAK-2025-P-0001","PAK-2025-LHR-0001","victim","Masih","Boota","Barkat Masih","male",datetime.datetime(1983,7,15),41,"PAK","cnic","35102-4417823-5","forced_labour","legal",None],
 ["BGD-2025-P-0002","PAK-2025-LHR-0001","victim","Akter","Rina","Abdul","female",None,24,"BGD","nid_bd",20051234567890123,"forced_labour","shelter",None],
 ["IRN-2025-P-0003","PAK-2025-LHR-0001","smuggled_migrant","Ahmadi","Reza","Ali","male",None,30,"IRN","iran_national_code",int(code),None,"none",None],
 ["PAK-2025-P-0004","PAK-2025-LHR-0001","victim","Bibi","Sana","Allah Ditta","female",datetime.datetime(1990,5,2,14,30),34,"PAK","none",None,"forced_labour","shelter",None],
 ["PAK-2025-P-0005","PAK-2025-LHR-0001","victim","Khan","=UPPER(\"ali\")","Gul","male",None,20,"PAK","none",None,"forced_labour","shelter",None],
]
r=4
for row in rows:
    for j,v in enumerate(row):
        c=ws.cell(row=r,column=j+1,value=v)
        if isinstance(v,datetime.datetime): c.number_format='yyyy-mm-dd'
    r+=1
fill=PatternFill("solid", fgColor="FFFF00")
for j in range(len(hdr)): ws.cell(row=r,column=j+1).fill=fill   # styled empty row
r+=1
ws.cell(row=r,column=1,value=r-3)   # a running number only
r+=1
ws.cell(row=r,column=1,value="Total"); ws.cell(row=r,column=9,value="=SUM(I4:I%d)"%(r-1))
r+=1
for k in range(3):
    for j in range(len(hdr)): ws.cell(row=r,column=j+1).fill=fill
    r+=1
wb.save(out)
