#!/bin/sh
# leak-audit.sh: written by a tester who had not read relec's code, from the
# words of issue 10 alone (2026-11-29), and kept as a regression test. Four
# of its checks are turned to the project's decisions, marked DECISION:
# the --conflicts file is a data output (like --rejects, it holds keys);
# a document number's mask keeps its first four and last digit, as issue
# 10 asks ("3520*-*******-2"); a total row is no person: pseudonymise skips
# it and says so (rows in = pseudonymised + skipped).
#
# black-box regression test of relec's promise that findings
# never carry the value of a `personal: true` field unless --show-personal
# is given, that relec pseudonymise leaves no clear personal value, and that
# keys are private and never printed.
#
#   RELEC=/path/to/relec SCHEMAS=/path/to/schemas EXAMPLES=/path/to/examples sh leak-audit.sh
#
# Prints `ok ...` / `FAIL ...` lines, then `N passed, N failed`; exit 1 if
# any check failed. Makes its own data in a temporary folder (removed at the
# end unless KEEP=1). Needs: sh, awk, sed, grep, unzip, zip, od;
# sqlite3 optional (store checks are skipped without it).

# In the repository (tests/run.sh): the binary under test, its schemas and
# examples, taken before the script changes folder.
RELEC=${RELEC:-$(pwd)/bin/relec}
SCHEMAS=${SCHEMAS:-$(pwd)/schemas}
EXAMPLES=${EXAMPLES:-$(pwd)/examples}
P=$SCHEMAS/person.yaml
# load and compare find their record types by name: in the schemas under
# test, wherever the binary is (the ASan build is not beside ./schemas)
RELEC_SCHEMAS=$SCHEMAS
export RELEC_SCHEMAS

[ -x "$RELEC" ] || { echo "FAIL relec not found: $RELEC"; echo "0 passed, 1 failed"; exit 1; }
[ -f "$P" ] || { echo "FAIL schema not found: $P"; echo "0 passed, 1 failed"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/relec-leak-audit.XXXXXX") || exit 2
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
umask 022

npass=0; nfail=0
ok()   { npass=$((npass+1)); echo "ok $*"; }
fail() { nfail=$((nfail+1)); echo "FAIL $*"; }

# ------------------------------------------------------------------ helpers
# tokens: one fixed string per line that must not appear
# noleak LABEL TOKENS FILE...: no token of TOKENS occurs in any FILE
noleak() {
  _l=$1; _tok=$2; shift 2
  for _f in "$@"; do [ -e "$_f" ] || { fail "$_l: output $_f was not written"; return; }; done
  _hits=$(cat "$@" 2>/dev/null | grep -o -F -f "$_tok" | sort -u | tr '\n' ' ')
  if [ -z "$_hits" ]; then ok "$_l"; else fail "$_l: leaked: $_hits"; fi
}
# has LABEL STRING FILE...: STRING occurs (positive checks)
has() {
  _l=$1; _s=$2; shift 2
  if cat "$@" 2>/dev/null | grep -q -F -- "$_s"; then ok "$_l"; else fail "$_l: '$_s' not found"; fi
}
# rc LABEL EXPECTED ACTUAL
rc() { if [ "$2" = "$3" ]; then ok "$1 (exit $3)"; else fail "$1: exit $3, expected $2"; fi; }
# col FILE NAME: the CSV column NAME (simple CSV only: no quoted commas in the header)
colno() { head -1 "$1" | tr ',' '\n' | grep -n -x -F "$2" | cut -d: -f1; }
# csvcol FILE NAME: the values of column NAME of an RFC 4180 file (quoted
# cells may hold commas, quotes and newlines), one per line
csvcol() {
  awk -v want="$2" 'BEGIN { RS = "\001" }
  { s = $0; n = length(s); f = ""; col = 0; row = 0; q = 0; wc = 0
    for (i = 1; i <= n + 1; i++) {
      ch = (i <= n) ? substr(s, i, 1) : "\n"
      if (q) { if (ch == "\"") { if (substr(s, i + 1, 1) == "\"") { f = f "\""; i++ } else q = 0 } else f = f ch; continue }
      if (ch == "\"") { q = 1; continue }
      if (ch == "," || ch == "\n") {
        col++
        if (row == 0 && f == want) wc = col
        if (row > 0 && col == wc) { gsub(/\n/, " ", f); print f }
        f = ""
        if (ch == "\n") { if (i < n || col > 1) row++; col = 0 }
        continue }
      if (ch != "\r") f = f ch
    } }' "$1"
}
lastcol() { csvcol "$1" reject_reason; }

# xlsx_dump XLSX DIR: DIR/sheet-<name>.txt (texts of cells, shared strings
# resolved), DIR/comments.txt, DIR/other.txt (docProps, drawings, charts)
xlsx_dump() {
  _x=$1; _d=$2; rm -rf "$_d"; mkdir -p "$_d/z"
  (cd "$_d/z" && unzip -o -q "$_x") || return 1
  if [ -f "$_d/z/xl/sharedStrings.xml" ]; then
    tr '\n' ' ' < "$_d/z/xl/sharedStrings.xml" | awk 'BEGIN{RS="<si>"} NR>1 { s=$0; sub(/<\/si>.*/,"",s); gsub(/<[^>]*>/,"",s); print s }' > "$_d/ss.txt"
  else : > "$_d/ss.txt"; fi
  tr '\n' ' ' < "$_d/z/xl/workbook.xml" | sed 's/<sheet /\
<sheet /g' | grep '^<sheet ' | sed 's:/>.*::' | while IFS= read -r line; do
    nm=$(printf '%s' "$line" | sed 's/.* name="\([^"]*\)".*/\1/')
    rid=$(printf '%s' "$line" | sed 's/.* r:id="\([^"]*\)".*/\1/')
    tgt=$(tr '\n' ' ' < "$_d/z/xl/_rels/workbook.xml.rels" | sed 's/<Relationship /\
<Relationship /g' | grep "Id=\"$rid\"" | sed 's/.*Target="\([^"]*\)".*/\1/')
    tgt=${tgt#/xl/}
    nm=$(printf '%s' "$nm" | tr ' /' '__')
    awk -v ssf="$_d/ss.txt" 'BEGIN{ n=0; while ((getline l < ssf) > 0) ss[n++]=l; RS="<c " }
      NR>1 { c=$0; sub(/<\/c>.*/,"",c); isS = (c ~ /^[^>]*t="s"/);
        if (isS) { v=c; sub(/.*<v>/,"",v); sub(/<\/v>.*/,"",v); print ss[v+0] }
        else { t=c; sub(/^[^>]*>/,"",t); gsub(/<[^>]*>/," ",t); print t } }' "$_d/z/xl/$tgt" > "$_d/sheet-$nm.txt"
  done
  cat "$_d"/z/xl/comments*.xml 2>/dev/null | sed 's/<[^>]*>/ /g' > "$_d/comments.txt"
  cat "$_d"/z/docProps/*.xml "$_d"/z/xl/drawings/* "$_d"/z/xl/charts/* 2>/dev/null | sed 's/<[^>]*>/ /g' > "$_d/other.txt"
}
# every sheet of a workbook but NAME (the user's own cells)
sheets_but() { for _f in "$1"/sheet-*.txt; do [ "$_f" = "$1/sheet-$2.txt" ] || echo "$_f"; done; }

# mkxlsx OUT.xlsx: a person workbook with typed cells (a date-typed date of
# birth, serial 32104 = 1987-11-23; a numeric document number; a formula)
mkxlsx() {
  _o=$1; _t=$T/mkx; rm -rf "$_t"; mkdir -p "$_t/_rels" "$_t/xl/_rels" "$_t/xl/worksheets"
  cat > "$_t/[Content_Types].xml" <<'X'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
X
  cat > "$_t/_rels/.rels" <<'X'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
X
  cat > "$_t/xl/workbook.xml" <<'X'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="persons" sheetId="1" r:id="rId1"/></sheets></workbook>
X
  cat > "$_t/xl/_rels/workbook.xml.rels" <<'X'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
X
  cat > "$_t/xl/styles.xml" <<'X'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>
X
  is() { printf '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' "$1" "$2"; }
  _h=""; _c=0
  for f in person_id incident_id role family_name given_name father_name sex date_of_birth age nationality id_document_type id_document_number exploitation_form referral notes; do
    _c=$((_c+1)); _col=$(echo ABCDEFGHIJKLMNO | cut -c$_c); _h="$_h$(is ${_col}1 $f)"; done
  {
  printf '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">%s</row>' "$_h"
  printf '<row r="2">%s%s%s%s%s%s%s<c r="H2" s="1"><v>32104</v></c><c r="I2"><v>37</v></c>%s%s<c r="L2"><v>3520276543219</v></c>%s</row>' \
    "$(is A2 X1)" "$(is B2 PAK-2025-LHR-0001)" "$(is C2 victim)" "$(is D2 XLSLEAKFAM)" "$(is E2 XLSLEAKGIV)" "$(is F2 XLSLEAKFAT)" "$(is G2 male)" "$(is J2 PAK)" "$(is K2 passport)" "$(is O2 XLSNOTELEAK)"
  printf '<row r="3">%s%s%s<c r="D3" t="str"><f>"XLSFORMULA"&amp;"LEAK"</f><v>XLSFORMULALEAK</v></c>%s%s%s<c r="H3"><v>32104.5</v></c>%s%s%s</row>' \
    "$(is A3 X2)" "$(is B3 PAK-2025-LHR-0001)" "$(is C3 victim)" "$(is E3 A)" "$(is F3 B)" "$(is G3 male)" "$(is J3 PAK)" "$(is K3 passport)" "$(is L3 ab9988776)"
  printf '</sheetData></worksheet>\n'
  } > "$_t/xl/worksheets/sheet1.xml"
  rm -f "$_o"; (cd "$_t" && zip -q -X -r "$_o" '[Content_Types].xml' _rels xl)
}

# ------------------------------------------------------------------ data
H='person_id,incident_id,role,family_name,given_name,father_name,sex,date_of_birth,age,nationality,id_document_type,id_document_number,exploitation_form,referral,notes'
I=PAK-2025-LHR-0001
cat > incident.csv <<'EOF'
incident_id,reporting_country,reporting_agency,reporting_period,incident_date,offence_type,place_type,admin1,place_name,border_crossing_point,exploitation_forms,route_origin,route_transit,route_destination,transport_mode,victims_count,smuggled_migrants_count,irregular_migrants_count,suspects_count,deaths_count,case_stage,stage_date,notes
PAK-2025-LHR-0001,PAK,FIA Anti-Human Trafficking Circle Lahore,2025-03,2025-03-03,THB,inland,PK-PB,"Brick kiln, Kasur",,forced_labour,PAK,,PAK,land,6,0,0,2,,under_investigation,,"Bonded labour"
EOF
REF="--ref incident=$T/incident.csv"

# the dirty person file: every kind of finding on a personal field
{
echo "$H,mother_name"
echo "P01,$I,victim,ZZQXLEAKNAME,QQGIVENLEAK,FFATHERLEAK,male,1987-11-23,37,PAK,cnic,35202-7654321-3,forced_labour,none,NOTESLEAK ZZQXLEAKNAME,EXTRACOLLEAK"
echo "P02,$I,victim,LEAKTYPEFAM,LEAKTYPEGIV,LEAKTYPEFAT,male,1987-13-45,37,PAK,,,,,,EXTRACOLLEAK2"
echo "P03,$I,victim,LEAKAGEFAM,LEAKAGEGIV,LEAKAGEFAT,male,1986-10-22,5,PAK,,,,,,"
echo "P04,$I,victim,LEAKFUTFAM,LEAKFUTGIV,LEAKFUTFAT,male,2026-01-17,,PAK,,,,,,"
echo "P05,$I,victim,LEAKPRECFAM,LEAKPRECGIV,LEAKPRECFAT,male,1985-09-14,39,PAK,,,,,,"
echo "P06,$I,victim,LEAKCNICPFAM,A,B,male,,,PAK,cnic,3520276543219,,,,"
echo "P07,$I,victim,LEAKCNICCFAM,A,B,female,,,PAK,cnic,35202-1234567-1,,,,"
echo "P08,$I,victim,LEAKIRANFAM,A,B,male,,,IRN,iran_national_code,3710042861,,,,"
echo "P09,$I,victim,LEAKPASSFAM,A,B,male,,,PAK,passport,ab9988776,,,,"
echo "P10,$I,victim,LEAKNIDFAM,A,B,male,,,BGD,nid_bd,12345678901,,,,"
echo "P11,$I,victim,LEAKREQFAM,A,B,male,,,PAK,cnic,,,,,"
echo "P12,$I,victim,LEAKQFAM,A,B,male,,,PAK,passport,\"QUO\"\"TELEAK,COMMALEAK"
echo "NEWLINELEAK\",,,,"
echo "P13,$I,victim,محمدتستی,حسینتستی,غلامتستی,male,,,PAK,passport,محمدپاسپورت,,,,"
echo "P14,$I,victim,LEAKARDIGFAM,A,B,male,۱۹۸۷-۱۱-۲۹,,PAK,cnic,۳۵۲۰۲-۷۶۵۴۳۲۱-۳,,,,"
echo "P15,$I,victim,LEAKLONGFAM,A,B,male,,,PAK,passport,LONGLEAK$(printf '%0300d' 7),,,,"
echo "P16,$I,victim,LEAKSLASHFAM,A,B,male,23/11/1987,,PAK,,,,,,"
echo "P17,$I,victim,LEAKIR1FAM,A,B,male,,,IRN,iran_national_code,1111111111,,,,"
echo "P18,$I,victim,LEAKCN0FAM,A,B,male,,,PAK,cnic,04402-1187365-3,,,,"
echo "P19,$I,victim,  LEAKSPACEFAM  ,A ,B,male,,,PAK,,,,,,"
echo "P20,$I,victim,LEAKMONFAM,A,B,male,1984,,PAK,,,,,,"
echo "P21,$I,victim,LEAKRAGFAM,A,B,male,,,PAK,,,,,,,RAGGEDLEAK1,RAGGEDLEAK2"
echo "P22,$I,victim,LEAKSHORT,A,B,male,,,PAK"
echo "P23,$I,suspect,LEAKEXPFAM,A,B,male,1988-02-11,,PAK,,,forced_labour,,,"
echo "P01,$I,victim,LEAKDUPFAM,A,B,male,1989-05-06,,PAK,,,,,,"
echo "P24,PAK-2025-LHR-0999,victim,LEAKFKFAM,A,B,male,1990-05-06,,PAK,,,,,,"
echo "P25,$I,victim,LEAKSEXFAM,LEAKSEXGIV,B,F,1991-05-06,,PAK,,,,,,"
echo "P26,$I,victim,LEAKAGEBAD,A,B,male,1992-06-07,twenty,PAK,,,,,,"
echo "P27,$I,victim,LEAKDAYFAM,A,B,male,1993-07,,PAK,,,,,,"
} > person.csv
NROWS=28
# dob_precision rules (pattern and required by rule on date_of_birth)
{
echo "person_id,incident_id,role,family_name,given_name,father_name,sex,date_of_birth,dob_precision,age,nationality,id_document_type,id_document_number,exploitation_form,referral,notes"
echo "Q1,$I,victim,LEAKPY,A,B,male,1985-09-14,year,,PAK,,,,,"
echo "Q2,$I,victim,LEAKPM,A,B,male,1984-02-03,month,,PAK,,,,,"
echo "Q3,$I,victim,LEAKPD,A,B,male,1983-04,day,,PAK,,,,,"
echo "Q4,$I,victim,LEAKPN,A,B,male,,day,,PAK,,,,,"
} > prec.csv
# invalid UTF-8 and NUL in personal cells; an unterminated quote; a total row
{ echo "$H"; printf 'E1,%s,victim,LEAKENC\351NAME,A,B,male,,,PAK,,,,,\n' "$I"; printf 'E2,%s,victim,LEAKNUL,A\000NULLEAK,B,male,,,PAK,,,,,\n' "$I"; } > enc.csv
{ echo "$H"; echo "U1,$I,victim,\"LEAKUNTERM,A,B,male,1987-11-23,,PAK,,,,,"; } > unterm.csv
{ echo "$H"; echo "T1,$I,victim,LEAKOK,A,B,male,,,PAK,,,,,"; echo "Total,,,LEAKTOTALFAM,LEAKTOTALGIV,,,,,,,,,,"; } > total.csv
# a stricter person schema: unique, length, pattern, required, range on personal fields
mkdir -p sch && cp -R "$SCHEMAS"/. sch/
awk '
/^  - name: family_name/ {f=1} /^  - name: given_name/ {g=1} /^  - name: father_name/ {h=1} /^  - name: date_of_birth/ {d=1}
{print}
/^    personal: true/ { if (f) {print "    unique: true"; print "    length: {min: 3, max: 12}"; f=0}
  if (g) {print "    pattern: \047^[A-Z][a-z]+$\047"; g=0}
  if (h) {print "    required: true"; h=0}
  if (d) {print "    min: 1950-01-01"; d=0} }' "$P" > sch/person-strict.yaml
# a schema keyed on the document number (merge keys rows on it)
awk '/^  - name: person_id/{p=1} p && /unique: true/ {p=0; next} /^  - name: id_document_number/{d=1} {print} d && /personal: true/ {print "    unique: true"; d=0}' "$P" > sch/person-bydoc.yaml
{ echo "$H"; echo "S1,$I,victim,LEAKUNIQ,Ahmad,Fa,male,,,PAK,,,,,"; echo "S2,$I,victim,LEAKUNIQ,Ahmad,Fa,male,,,PAK,,,,,"
  echo "S3,$I,victim,LEAKTOOLONGFAMILYNAME,Ahmad,Fa,male,,,PAK,,,,,"; echo "S4,$I,victim,Ab,LEAKPATGIV,Fa,male,,,PAK,,,,,"
  echo "S5,$I,victim,Abc,Ahmad,,male,,,PAK,,,,,"; echo "S6,$I,victim,Abd,Ahmad,Fa,male,1901-02-03,,PAK,,,,,"
  echo "S7,$I,victim,محمدتستی,Ahmad,Fa,male,,,PAK,,,,,"; echo "S8,$I,victim,محمدتستی,Ahmad,Fa,male,,,PAK,,,,,"; } > strict.csv
# no header row: the first person is read as the header
{ echo "N1,$I,victim,HDRLESSFAMLEAK,HDRLESSGIVLEAK,HDRLESSFATLEAK,male,1987-11-23,37,PAK,cnic,35202-7654321-3,,,"
  echo "N2,$I,victim,SECONDFAM,B,C,male,1988-01-02,,PAK,,,,,"; } > noheader.csv
# document numbers whose mask would show their digits (17/18-digit NID starts with the birth year)
{ echo "$H"; echo "D1,$I,victim,A,B,C,male,,,BGD,nid_bd,198735202765432190,,,"
  echo "D2,$I,victim,A,B,C,male,,,BGD,passport,19873520276543219,,,"
  echo "D3,$I,victim,A,B,C,female,,,PAK,cnic,35202-7654321-3,,,"; } > digits.csv
# romanisations and scripts
{ echo "$H"; echo "A1,$I,victim,Khan,Muhammad,Ghulam Ali,male,1987-11-23,37,PAK,,,,,NAMENOTELEAK"
  echo "A2,$I,victim,خان,محمد,غلام علی,male,1987-11-23,37,PAK,,,,,"
  echo "A3,$I,victim,KHAN,Mohammad,ghulam  ali,male,1987-11-23,37,PAK,,,,,"; } > names.csv
mkxlsx "$T/typed.xlsx"

# the merge: a national person file and its map
cat > nat.csv <<EOF
ID,Case,Role,Surname,Name,Father,Gender,DOB,Age,DocType,DocNo,Remarks,Phone
1,$I,V,MZZQXLEAKNAME,MGIVLEAK,MFATHLEAK,M,23/11/1987,37,CNIC,35202-7654321-3,ok,EXTRAPHONELEAK
2,$I,V,MBADDATEFAM,MBADDATEGIV,X,M,31/02/1987,,,,,
3,$I,V,MISODATEFAM,A,X,M,1987-11-23,,,,,
4,$I,V,MCNICFAM,A,X,F,,,CNIC,35202-7654321-3,,
6,$I,X,MROLEFAM,A,X,M,,,,,,
7,$I,V,MPERSFAM,A,X,M,,,CNIC,۳۵۲۰۲۷۶۵۴۳۲۱۳,,
1,$I,V,MCONFLICTFAM,MGIVLEAK,MFATHLEAK,M,23/11/1987,37,CNIC,35202-7654321-3,ok,
9,$I,V,MGIVRECODE,RECODELEAKGIV,X,M,,,,,,
EOF
mkmap() { # SCHEMA OUT
cat > "$2" <<EOF
map: audit-persons
schema: $1
validate: true
unknown: ["-99"]
unplaced: reject
constants:
  nationality: PAK
fields:
  person_id: {template: "PAK-{ID:id}"}
  incident_id: Case
  role: {from: Role, recode: {victim: [V], suspect: [S]}}
  family_name: Surname
  given_name: {from: Name, recode: {Muhammad: [Mohd]}, unplaced: keep}
  father_name: Father
  sex: {from: Gender, recode: {male: [M], female: [F]}}
  date_of_birth: {from: DOB, date: DD/MM/YYYY}
  age: Age
  id_document_type: {from: DocType, recode: {cnic: [CNIC], passport: [PP]}}
  id_document_number: {from: DocNo, digits: true}
  notes: Remarks
EOF
}
mkmap "$P" map.yaml
mkmap "$T/sch/person-bydoc.yaml" mapdoc.yaml
cat > nat2.csv <<EOF
ID,Case,Role,Surname,Name,Father,Gender,DOB,Age,DocType,DocNo,Remarks
1,$I,V,KEYLEAKA,Mohd,X,M,23/11/1987,37,CNIC,35202-7654321-3,
2,$I,V,KEYLEAKB,Mohd,X,M,23/11/1987,37,CNIC,35202-7654321-3,
EOF

# the values that must never show (masked or absent)
cat > tok.txt <<'EOF'
LEAK
محمد
تستی
پاسپورت
1987-11-23
1987-13-45
1986-10-22
2026-01-17
23/11/1987
1985-09-14
1984-02-03
1983-04
1901-02-03
۱۹۸۷
۷۶۵۴۳۲۱
7654321
3520276543219
1234567-1
3710042861
ab9988776
12345678901
1111111111
1187365
EOF
# pseudonymised files: also no year-month-day, no notes, no extra columns
cp tok.txt tokps.txt

# ------------------------------------------------------------------ validate
"$RELEC" validate -s "$P" $REF --max-per-kind -1 -r v.csv -r v.jsonl -r v.xlsx --valid v.valid.csv --rejects v.rej.csv person.csv >v.out 2>v.err
rc "validate dirty person file" 1 $?
noleak "validate: stdout+stderr carry no personal value" tok.txt v.out v.err
noleak "validate --report .csv carries no personal value" tok.txt v.csv
noleak "validate --report .jsonl carries no personal value" tok.txt v.jsonl
xlsx_dump "$T/v.xlsx" vx
noleak "validate --report .xlsx: Findings sheet" tok.txt vx/sheet-Findings.txt
noleak "validate --report .xlsx: comments" tok.txt vx/comments.txt
noleak "validate --report .xlsx: other sheets, properties, drawings" tok.txt $(sheets_but vx person | grep -v Findings) vx/other.txt
has "validate --report .xlsx: the marked sheet keeps the user's cells (name)" ZZQXLEAKNAME vx/sheet-person.txt
has "validate --report .xlsx: the marked sheet keeps the user's cells (Arabic)" محمدپاسپورت vx/sheet-person.txt
has "validate --report .xlsx: the marked sheet keeps the user's cells (bad date)" 1987-13-45 vx/sheet-person.txt
lastcol v.rej.csv > v.rej.reason
noleak "validate --rejects reject_reason carries no personal value" tok.txt v.rej.reason
has "validate --rejects keeps the rows themselves" LEAKTYPEFAM v.rej.csv
for c in type pattern rule required unique foreign-key codelist row-shape header; do
  has "validate found a '$c' finding (coverage)" ",$c," v.csv; done
for f in prec.csv enc.csv unterm.csv total.csv; do
  "$RELEC" validate -s "$P" $REF -r "$f.r.csv" -r "$f.r.jsonl" -r "$f.r.xlsx" --rejects "$f.rej.csv" "$f" >"$f.out" 2>"$f.err"
  xlsx_dump "$T/$f.r.xlsx" "$f.x"; lastcol "$f.rej.csv" > "$f.reason"
  noleak "validate $f: stderr, .csv, .jsonl, Findings, comments, reject_reason" tok.txt "$f.out" "$f.err" "$f.r.csv" "$f.r.jsonl" "$f.x/sheet-Findings.txt" "$f.x/comments.txt" "$f.reason"
done
has "validate prec.csv: a rule pattern finding on date_of_birth" "date_of_birth" prec.csv.r.csv
has "validate enc.csv: an encoding finding" ",encoding," enc.csv.r.csv
"$RELEC" validate -s sch/person-strict.yaml $REF -r s.csv -r s.jsonl -r s.xlsx --rejects s.rej.csv strict.csv >s.out 2>s.err
xlsx_dump "$T/s.xlsx" sx; lastcol s.rej.csv > s.reason
for c in unique length pattern required range; do has "validate strict schema: a '$c' finding on a personal field" ",$c," s.csv; done
noleak "validate strict schema (unique/length/pattern/required/range): all outputs" tok.txt s.out s.err s.csv s.jsonl sx/sheet-Findings.txt sx/comments.txt s.reason
"$RELEC" validate -s "$P" $REF -r t.csv -r t.xlsx typed.xlsx >t.out 2>t.err
xlsx_dump "$T/t.xlsx" tx
noleak "validate an .xlsx input with typed cells: all outputs" tok.txt t.out t.err t.csv tx/sheet-Findings.txt tx/comments.txt
"$RELEC" validate -s "$P" $REF -r stdin.csv - < person.csv >stdin.out 2>stdin.err
noleak "validate stdin (-): stderr and report" tok.txt stdin.out stdin.err stdin.csv
"$RELEC" validate -s "$P" $REF person.csv >mpk.out 2>mpk.err
noleak "validate default --max-per-kind summary lines" tok.txt mpk.out mpk.err
"$RELEC" validate -s "$P" --pseudonymised -r pv.csv -r pv.xlsx person.csv >pv.out 2>pv.err
xlsx_dump "$T/pv.xlsx" pvx
noleak "validate --pseudonymised on a clear file: stderr masked" tok.txt pv.out pv.err
noleak "validate --pseudonymised on a clear file: .csv report (the notes finding's value column)" tok.txt pv.csv
noleak "validate --pseudonymised on a clear file: .xlsx Findings sheet and comments" tok.txt pvx/sheet-Findings.txt pvx/comments.txt
has "validate --pseudonymised flags clear values" "not a pseudonym" pv.err

# ------------------------------------------------------------------ --show-personal
"$RELEC" validate -s "$P" $REF --show-personal --max-per-kind -1 -r sp.csv -r sp.jsonl -r sp.xlsx person.csv >sp.out 2>sp.err
xlsx_dump "$T/sp.xlsx" spx
for v in 1987-13-45 3520276543219 ab9988776 محمدپاسپورت; do
  has "--show-personal shows '$v' on stderr" "$v" sp.err
  has "--show-personal shows '$v' in .csv" "$v" sp.csv
  has "--show-personal shows '$v' in .jsonl" "$v" sp.jsonl
  has "--show-personal shows '$v' in the Findings sheet" "$v" spx/sheet-Findings.txt
  has "--show-personal shows '$v' in comments" "$v" spx/comments.txt
done
"$RELEC" merge --map map.yaml nat.csv --show-personal -o msp.csv >msp.out 2>msp.err
has "merge --show-personal shows the bad date" "31/02/1987" msp.err

# ------------------------------------------------------------------ export
"$RELEC" export -s "$P" $REF -o e.xlsx person.csv >e.out 2>e.err
rc "export dirty person file" 1 $?
xlsx_dump "$T/e.xlsx" ex
noleak "export: stdout+stderr" tok.txt e.out e.err
noleak "export: Issues sheet" tok.txt ex/sheet-Issues.txt
noleak "export: Summary, Codes, About, comments, properties" tok.txt $(sheets_but ex Data | grep -v Issues) ex/comments.txt ex/other.txt
has "export: Data sheet keeps the rows" ZZQXLEAKNAME ex/sheet-Data.txt

# ------------------------------------------------------------------ merge
"$RELEC" merge --map map.yaml nat.csv -o m.csv --rejects m.rej.csv --conflicts m.conf.csv -r m.r.csv -r m.r.jsonl >m.out 2>m.err
rc "merge national person file" 1 $?
lastcol m.rej.csv > m.reason
noleak "merge: stdout+stderr" tok.txt m.out m.err
noleak "merge: --report .csv/.jsonl" tok.txt m.r.csv m.r.jsonl
noleak "merge: --rejects reject_reason" tok.txt m.reason
noleak "merge: --conflicts" tok.txt m.conf.csv
has "merge: a date finding on date_of_birth" "date_of_birth" m.err
has "merge: a recode finding on given_name" "given_name" m.err
"$RELEC" merge --map mapdoc.yaml nat2.csv -o md.csv --rejects md.rej.csv --conflicts md.conf.csv -r md.r.csv >md.out 2>md.err
noleak "merge keyed on a personal field: conflict finding on stderr" tok.txt md.out md.err
# DECISION: --conflicts lists the keys, as --rejects holds the rows
noleak "merge keyed on a personal field: --report" tok.txt md.r.csv
"$RELEC" merge --map mapdoc.yaml nat2.csv --conflict-rows reject -o md2.csv --rejects md2.rej.csv >md2.out 2>md2.err
lastcol md2.rej.csv > md2.reason
noleak "merge --conflict-rows reject: stderr" tok.txt md2.out md2.err
noleak "merge --conflict-rows reject: reject_reason" tok.txt md2.reason

# ------------------------------------------------------------------ load
"$RELEC" load --db st.db incident.csv >/dev/null 2>&1
"$RELEC" load --db st.db -s "$P" person.csv >l1.out 2>l1.err
rc "load refuses a dirty person file" 1 $?
noleak "load (refused): stdout+stderr" tok.txt l1.out l1.err
"$RELEC" load --db st.db --skip-invalid --max-per-kind -1 person.csv >l2.out 2>l2.err
noleak "load --skip-invalid: stdout+stderr" tok.txt l2.out l2.err
if command -v sqlite3 >/dev/null 2>&1; then
  sqlite3 st.db 'select reason from rejects' > l.rejects 2>&1
  has "load --skip-invalid: the store's rejects table has reasons" "date_of_birth" l.rejects
  noleak "load --skip-invalid: the store's rejects table" tok.txt l.rejects
else echo "skip load rejects table (no sqlite3)"; fi

# ------------------------------------------------------------------ compare, dedup
"$RELEC" compare incident.csv person.csv -b all -o c.xlsx --long c.csv --wide cw.csv >c.out 2>c.err
xlsx_dump "$T/c.xlsx" cx
noleak "compare files: stdout, stderr, long, wide, workbook" tok.txt c.out c.err c.csv cw.csv cx/*.txt
"$RELEC" compare --db st.db -b all >c2.out 2>c2.err
noleak "compare --db: stdout+stderr" tok.txt c2.out c2.err
"$RELEC" dedup -s "$P" person.csv enc.csv -o d.csv >d.out 2>d.err
noleak "dedup: stderr" tok.txt d.out d.err

# ------------------------------------------------------------------ no header row
"$RELEC" validate -s "$P" $REF -r nh.csv -r nh.jsonl -r nh.xlsx noheader.csv >nh.out 2>nh.err
xlsx_dump "$T/nh.xlsx" nhx
noleak "validate, file without a header row: stderr" tok.txt nh.out nh.err
noleak "validate, file without a header row: .csv/.jsonl" tok.txt nh.csv nh.jsonl
noleak "validate, file without a header row: Findings sheet and comments" tok.txt nhx/sheet-Findings.txt nhx/comments.txt
"$RELEC" validate -s "$P" --header-row 2 person.csv >hr.out 2>hr.err
noleak "validate --header-row on a data row: stderr" tok.txt hr.out hr.err
"$RELEC" export -s "$P" -o nhe.xlsx noheader.csv >nhe.out 2>nhe.err
xlsx_dump "$T/nhe.xlsx" nhex
noleak "export, file without a header row: stderr and Issues sheet" tok.txt nhe.out nhe.err nhex/sheet-Issues.txt
"$RELEC" load --db nh.db -s "$P" noheader.csv >nhl.out 2>nhl.err
noleak "load, file without a header row: stderr" tok.txt nhl.out nhl.err

# ------------------------------------------------------------------ masks
"$RELEC" validate -s "$P" -r dg.csv digits.csv >dg.out 2>dg.err
printf '%s\n' 1987 3520 > tokdig.txt
# DECISION: a number of 12 digits or more keeps its first four and last
# digit in its mask (issue 10's example); nothing beyond them is shown
printf '%s\n' 7654321 > tokdig2.txt
noleak "masks show no more than the first four and last digit of a document number" tokdig2.txt dg.out dg.err dg.csv

# ------------------------------------------------------------------ keys
"$RELEC" key new -o k1 >kn.out 2>kn.err
rc "key new" 0 $?
mode=$(ls -l k1 | cut -c1-10)
if [ "$mode" = "-rw-------" ]; then ok "key new writes mode 0600"; else fail "key new writes mode $mode"; fi
umask 000; "$RELEC" key new -o k0 >/dev/null 2>&1; umask 022
mode=$(ls -l k0 | cut -c1-10)
if [ "$mode" = "-rw-------" ]; then ok "key new writes 0600 under umask 000"; else fail "key new under umask 000 writes mode $mode"; fi
KHEX=$(grep -v '^#' k1 | tr -d ' \n')
if printf '%s' "$KHEX" | grep -q -x '[0-9a-f]\{64\}'; then ok "key holds 32 bytes (64 hex digits)"; else fail "key is not 32 bytes of hex: $(wc -c < k1) bytes"; fi
KB64=""
if command -v xxd >/dev/null 2>&1 && command -v base64 >/dev/null 2>&1; then
  KB64=$(printf '%s' "$KHEX" | xxd -r -p | base64 | tr -d '\n'); fi
printf '%s\n' "$KHEX" > tokkey.txt
[ -n "$KB64" ] && printf '%s\n' "$KB64" | cut -c1-24 >> tokkey.txt
cp k1 k1.before
"$RELEC" key new -o k1 >kn2.out 2>kn2.err
r=$?; if [ $r -ne 0 ] && cmp -s k1 k1.before; then ok "key new never overwrites (exit $r)"; else fail "key new over an existing key: exit $r"; fi
"$RELEC" key new -o - >kn3.out 2>kn3.err
r=$?; if [ $r -ne 0 ] && [ ! -s kn3.out ]; then ok "key new refuses stdout (exit $r)"; else fail "key new -o -: exit $r"; fi
"$RELEC" key id k1 >kid.out 2>kid.err
if grep -q -x '[0-9a-f]\{16\}' kid.out; then ok "key id prints a 16-hex fingerprint"; else fail "key id printed: $(cat kid.out)"; fi
noleak "key new / key id never print the key" tokkey.txt kn.out kn.err kn2.out kn2.err kn3.out kn3.err kid.out kid.err
"$RELEC" key new -o kl >/dev/null 2>&1
for m in 640 604 644 660 606 620 602 610 601 664; do
  cp k1 km$m; chmod $m km$m
  "$RELEC" key id km$m >kg.out 2>kg.err; rc "key id refuses a key of mode $m" 3 $?
  "$RELEC" pseudonymise -s "$P" --key km$m person.csv >kg2.out 2>kg2.err; rc "pseudonymise --key refuses a key of mode $m" 3 $?
  [ -s kg2.out ] && fail "pseudonymise with a refused key wrote rows"
  "$RELEC" pseudonymise -s "$P" --key kl --link-key km$m person.csv >kg3.out 2>kg3.err; rc "pseudonymise --link-key refuses a key of mode $m" 3 $?
  noleak "refusals of a mode-$m key never print it" tokkey.txt kg.out kg.err kg2.err kg3.err
done
ln -s km644 ksym
"$RELEC" key id ksym >/dev/null 2>&1; rc "key id refuses a symlink to a readable key" 3 $?
printf 'MYSECRETPASSPHRASE-NOT-A-KEY\n' > kbad; chmod 600 kbad
"$RELEC" key id kbad >kb.out 2>kb.err; rc "key id refuses a file that is not a key" 3 $?
noleak "a bad key file's content is not printed" tokkey.txt kb.out kb.err
if grep -q MYSECRETPASSPHRASE kb.out kb.err; then fail "a bad key file's content is printed"; else ok "a bad key file's content is not printed (text)"; fi
cp person.csv pkey.csv; chmod 600 pkey.csv
"$RELEC" pseudonymise -s "$P" --key pkey.csv person.csv >pk.out 2>pk.err; rc "pseudonymise refuses a data file as key" 3 $?
noleak "pseudonymise with a data file as key prints none of it" tok.txt pk.out pk.err
"$RELEC" pseudonymise -s "$P" --key k1 --link-key k1 person.csv >same.out 2>same.err
r=$?; if [ $r -ne 0 ] && [ ! -s same.out ]; then ok "pseudonymise refuses --key = --link-key (exit $r)"; else fail "pseudonymise accepts the same key twice (exit $r)"; fi

# ------------------------------------------------------------------ pseudonymise
"$RELEC" pseudonymise -s "$P" --key k1 -o ps.csv person.csv >ps.out 2>ps.err
noleak "pseudonymise: output holds no clear personal value" tokps.txt ps.csv
noleak "pseudonymise: stdout+stderr hold no personal value" tok.txt ps.out ps.err
noleak "pseudonymise: output, stdout and stderr hold no key" tokkey.txt ps.csv ps.out ps.err
n=$(awk 'END{print NR-1}' ps.csv)
if [ "$n" = "$NROWS" ]; then ok "pseudonymise: $n rows in, $n out"; else fail "pseudonymise: $NROWS rows in, $n out"; fi
nc=$(colno ps.csv notes); nn=$(awk -F, -v c="$nc" 'NR>1 && $c!=""' ps.csv | wc -l)
if [ "$nn" -eq 0 ]; then ok "pseudonymise: notes emptied"; else fail "pseudonymise: $nn notes kept"; fi
if head -1 ps.csv | grep -q mother_name; then fail "pseudonymise: unknown column kept"; else ok "pseudonymise: unknown column left out"; fi
dc=$(colno ps.csv date_of_birth); bad=$(awk -F, -v c="$dc" 'NR>1 && $c!="" && $c !~ /^[0-9][0-9][0-9][0-9]$/' ps.csv | wc -l)
if [ "$bad" -eq 0 ]; then ok "pseudonymise: dates of birth are years"; else fail "pseudonymise: $bad dates of birth not a year"; fi
fc=$(colno ps.csv family_name); bad=$(awk -F, -v c="$fc" 'NR>1 && $c!="" && !($c ~ /^ps1-[0-9a-f]+$/ && length($c) == 36)' ps.csv | wc -l)
if [ "$bad" -eq 0 ]; then ok "pseudonymise: names are ps1- pseudonyms"; else fail "pseudonymise: $bad names not pseudonyms"; fi
has "pseudonymise keeps other fields (incident_id)" "PAK-2025-LHR-0001" ps.csv
for f in enc.csv unterm.csv total.csv prec.csv strict.csv noheader.csv; do
  "$RELEC" pseudonymise -s "$P" --key k1 "$f" >"ps-$f" 2>"pse-$f"
  noleak "pseudonymise $f: output" tokps.txt "ps-$f"
  noleak "pseudonymise $f: stderr" tok.txt "pse-$f"
done
n=$(awk 'END{print NR-1}' ps-total.csv)
# DECISION: the total row is skipped, and said
if [ "$n" = 1 ] && grep -q "1 row pseudonymised, 1 skipped (total)" pse-total.csv; then ok "pseudonymise total.csv: 2 rows in, 1 out and 1 total row skipped, said"; else fail "pseudonymise total.csv: 2 rows in (one a total row), $n out, not said"; fi
"$RELEC" pseudonymise -s "$P" --key k1 typed.xlsx >ps-typed.csv 2>pse-typed
printf '32104\n' > tokserial.txt; cat tokps.txt >> tokserial.txt
noleak "pseudonymise .xlsx with typed cells: output (incl. date serial)" tokserial.txt ps-typed.csv pse-typed
"$RELEC" pseudonymise -s "$P" --key k1 names.csv >ps-names.csv 2>/dev/null
fc=$(colno ps-names.csv family_name); gc=$(colno ps-names.csv given_name); hc=$(colno ps-names.csv father_name)
u=$(awk -F, -v a="$fc" -v b="$gc" -v c="$hc" 'NR>1{print $a, $b, $c}' ps-names.csv | sort -u | wc -l)
if [ "$u" -eq 1 ]; then ok "pseudonymise: Muhammad Khan s/o Ghulam Ali = محمد خان = Mohammad KHAN"; else fail "pseudonymise: $u different pseudonym triples for one name in 3 forms"; fi
"$RELEC" validate -s "$P" --pseudonymised ps-names.csv >/dev/null 2>&1; rc "pseudonymised file validates --pseudonymised" 0 $?
"$RELEC" pseudonymise -s "$P" --key k1 "$EXAMPLES/person.csv" >ps-ex.csv 2>/dev/null
"$RELEC" validate -s "$P" --pseudonymised ps-ex.csv >/dev/null 2>&1; rc "pseudonymised examples/person.csv validates --pseudonymised" 0 $?
"$RELEC" pseudonymise -s "$P" --key k1 --link-key kl -o psl.csv names.csv "$EXAMPLES/persons-three-agencies.csv" >psl.out 2>psl.err
has "pseudonymise --link-key adds clk" ",clk," psl.csv
noleak "pseudonymise --link-key: output holds no clear value" tokps.txt psl.csv
noleak "pseudonymise --link-key: output holds neither key" tokkey.txt psl.csv psl.out psl.err
grep -v '^#' kl | tr -d ' \n' > tokkl.txt; echo >> tokkl.txt
noleak "pseudonymise --link-key: the link key is not in the output" tokkl.txt psl.csv psl.out psl.err
"$RELEC" dedup -s "$P" psl.csv -o psl-dd.csv >psd.out 2>psd.err
nclu=$(awk -F, 'NR>1{print $(NF-1)}' psl-dd.csv | sort -u | wc -l); nrow=$(awk 'END{print NR-1}' psl-dd.csv)
if [ "$nrow" -gt 0 ] && [ "$nclu" -lt "$nrow" ]; then ok "dedup links encoded rows without names ($nrow rows, $nclu clusters)"; else fail "dedup of encoded rows: $nrow rows, $nclu clusters"; fi
noleak "dedup of encoded rows: stderr" tok.txt psd.out psd.err

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
