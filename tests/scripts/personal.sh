# Personal data stays out of findings: relec validate and relec merge on a
# dirty person file give reports (CSV, JSONL, the .xlsx Findings sheet and
# comments), reject reasons and stderr that hold none of the values of
# personal: true fields, only their masks; --show-personal shows them; the
# .xlsx Data sheet keeps the user's cells.
. tests/testlib.sh
PY=python3
$PY -c 'import openpyxl' 2>/dev/null || PY=/usr/bin/python3
cp -r schemas $T/schemas
# names get constraints here so that they give findings too
$PY - $T/schemas/person.yaml <<'PYEOF'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace("""    personal: true
    description: Family name (personal data)""", """    personal: true
    length: {max: 12}
    description: Family name (personal data)""")
s = s.replace("""    personal: true
    description: Given name (personal data)""", """    personal: true
    pattern: '^[^0-9]*$'
    description: Given name (personal data)""")
open(p, "w", encoding="utf-8").write(s)
PYEOF
H=person_id,incident_id,role,family_name,given_name,father_name,sex,date_of_birth,age,nationality,id_document_type,id_document_number,exploitation_form,referral,notes
{
    echo "$H"
    echo "P-1,I-1,victim,Qureshimalikzada,Boota,Barkat Masih,male,1983-07-15,41,PAK,cnic,35102-4417823-0,forced_labour,legal,"
    echo "P-2,I-1,victim,Bibi,Rasheedan7,Allah Ditta,female,1990-02-30,,PAK,cnic,35202-9183362-5,,shelter,"
    echo "P-3,I-1,smuggled_migrant,حسینیزادهمحمدی,محمد۱۲,Gul Khan,male,15/07/1986,,AFG,passport,ab12345,,none,"
    echo "P-5,I-1,Victim,Khan,Gul,Gul Ahmad,male,1980,44,PAK,,,,,"
    printf 'P-4,I-1,suspect,Tar\344r,Kashif,Muhammad Aslam,male,1980-06-02,44,PAK,cnic,34402-1187365-4,,,\n'
} >$T/p.csv
RAW="Qureshimalikzada Rasheedan7 حسینیزادهمحمدی محمد۱۲ 1990-02-30 15/07/1986 35102-4417823-0 35202-9183362-5 ab12345"
$RELEC validate -s $T/schemas/person.yaml --max-per-kind -1 -r $T/r.csv \
    -r $T/r.jsonl -r $T/r.xlsx --rejects $T/rej.csv $T/p.csv 2>$T/err
check "dirty file exits 1" [ $? -eq 1 ]

# reject_reason: the last column of the rejects file; the rows themselves
# are the user's own
$PY -c 'import csv,sys; [print(r["reject_reason"]) for r in csv.DictReader(open(sys.argv[1], encoding="utf-8", errors="replace"))]' $T/rej.csv >$T/reasons
# the Findings sheet and every comment of the .xlsx report; its Data sheet
$PY - $T/r.xlsx $T/xf $T/xd <<'PYEOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
with open(sys.argv[2], "w", encoding="utf-8") as f, open(sys.argv[3], "w", encoding="utf-8") as d:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.comment: f.write(c.comment.text + "\n")
                if c.value is None: continue
                (f if ws.title == "Findings" else d).write(str(c.value) + "\n")
PYEOF
check "xlsx report read" [ -s $T/xf ]
for v in $RAW; do
    for o in r.csv r.jsonl err reasons xf; do
        if LC_ALL=C grep -qF "$v" $T/$o; then fail "$o holds '$v'"; else pass "$o has no '$v'"; fi
    done
done
# the Latin-1 byte of Tar\344r is not valid UTF-8: no output holds the name
for o in r.csv err reasons xf; do
    check "$o has no Tar?r" sh -c "! LC_ALL=C grep -q 'Tar.r' $T/$o"
done
check "CNIC mask in the CSV report" grep -qF '3510*-*******-0 (15 characters: 13 digits, 2 other)' $T/r.csv
check "name mask on stderr" grep -qF "'Aa********' (10 characters: 9 letters, 1 digit; Latin)" $T/err
check "Arabic-script mask" grep -qF '(14 letters, Arabic)' $T/r.jsonl
check "date mask" grep -qF "'**/**/****' (10 characters: 8 digits, 2 other)" $T/err
check "long name: length shown" grep -qF '(16 letters, Latin)' $T/r.csv
check "invalid byte shown as ?" grep -qF 'Aa*?* (5 characters: 4 letters, 1 other; Latin)' $T/r.csv
check "xlsx Data sheet keeps the cells" grep -qF Qureshimalikzada $T/xd
check "other values still shown" grep -qF "'Victim'" $T/err
# the same findings with --show-personal
$RELEC validate -s $T/schemas/person.yaml --max-per-kind -1 --show-personal \
    -r $T/s.csv -r $T/s.xlsx $T/p.csv 2>$T/serr
for v in Qureshimalikzada Rasheedan7 1990-02-30 35102-4417823-0 ab12345; do
    check "--show-personal: report has $v" grep -qF "$v" $T/s.csv
done
for v in Rasheedan7 1990-02-30 35102-4417823-0 ab12345; do
    check "--show-personal: stderr has $v" grep -qF "$v" $T/serr
done
check "same number of findings either way" [ "$(wc -l <$T/s.csv)" = "$(wc -l <$T/r.csv)" ]
# merge: a national file whose birth dates do not parse
cat >$T/m.yaml <<MEOF
map: t
schema: $T/schemas/person.yaml
constants: {role: victim, incident_id: I-1, sex: unknown, nationality: PAK}
fields:
  person_id: {from: id}
  family_name: {from: name}
  date_of_birth: {from: dob, date: DD/MM/YYYY}
MEOF
printf 'id,name,dob\nN-1,Khan,31/02/1991\nN-2,Ali,12/03/1990\n' >$T/n.csv
$RELEC merge --map $T/m.yaml $T/n.csv -o $T/merged.csv --rejects $T/mrej.csv -r $T/m.csv 2>$T/merr
check "merge rejects the bad date" grep -q 'N-1' $T/mrej.csv
for o in merr m.csv; do
    check "merge $o has no 31/02/1991" sh -c "! grep -qF 31/02/1991 $T/$o"
done
check "merge report has the mask" grep -qF '**/**/**** (10 characters: 8 digits, 2 other)' $T/m.csv
$RELEC merge --show-personal --map $T/m.yaml $T/n.csv -o $T/merged2.csv -r $T/m2.csv 2>/dev/null
check "merge --show-personal shows it" grep -qF 31/02/1991 $T/m2.csv
finish
