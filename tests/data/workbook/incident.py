# An incident workbook whose reporting_period Excel turned into a date (one
# types 2025-03, Excel stores 2025-03-01) and whose incident_date is a date
# cell; the rest copied from examples/incident.csv (row 2); then a styled
# empty row and a total row summing victims_count, as analysts add them.
# usage: incident.py examples/incident.csv OUT.xlsx
import csv, datetime, sys
import openpyxl
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))
wb = openpyxl.Workbook()
ws = wb.active
ws.title = 'Incidents'
ws.append(rows[0])
r = rows[1][:]
i_per = rows[0].index('reporting_period')
i_date = rows[0].index('incident_date')
y, m = map(int, r[i_per].split('-'))
r[i_per] = datetime.datetime(y, m, 1)
r[i_date] = datetime.datetime.strptime(r[i_date], '%Y-%m-%d')
for k in ('victims_count', 'suspects_count', 'smuggled_migrants_count',
          'irregular_migrants_count'):
    j = rows[0].index(k)
    if r[j] != '':
        r[j] = int(r[j])
ws.append([v if v != '' else None for v in r])
ws.cell(row=2, column=i_per + 1).number_format = 'yyyy-mm'
ws.cell(row=2, column=i_date + 1).number_format = 'dd/mm/yyyy'
from openpyxl.styles import PatternFill
fill = PatternFill('solid', fgColor='DDEBF7')
for j in range(len(rows[0])):
    ws.cell(row=3, column=j + 1).fill = fill
j = rows[0].index('victims_count') + 1
ws.cell(row=4, column=1, value='Total')
col = openpyxl.utils.get_column_letter(j)
ws.cell(row=4, column=j, value='=SUM(%s2:%s3)' % (col, col))
wb.save(sys.argv[2])
