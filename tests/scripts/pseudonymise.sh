# relec key and relec pseudonymise: keys made 0600 and never printed, keys
# others may read refused; pseudonyms of the normalised personal values
# (one per name across scripts), dates of birth coarsened, notes dropped,
# every other field and every row kept; the output validates with
# --pseudonymised; --link-key adds the CLK and blocking keys. Keys are made
# here, in the test's temporary directory, and protect nothing.
. tests/testlib.sh
PY=python3
cd $T || exit 1
R=$RELEC
S=$OLDPWD/schemas/person.yaml
EX=$OLDPWD/examples/person.csv

# --- relec key ----------------------------------------------------------
umask 022
$R key new -o k1 >out 2>err
check "key new exits 0" [ $? -eq 0 ]
check "key new prints nothing" [ ! -s out ] && [ ! -s err ]
check "key file is 0600 (whatever the umask)" [ "$(stat -c %a k1)" = 600 ]
check "key file holds 64 hex digits" grep -qE '^[0-9a-f]{64}$' k1
HEX=$(grep -E '^[0-9a-f]{64}$' k1)
$R key new -o k1 2>err
check "an existing key is never overwritten (exit 4)" [ $? -eq 4 ]
check "... and is unchanged" grep -q "$HEX" k1
check "... says so" grep -q 'never overwritten' err
$R key new -o - 2>err
check "a key never goes to stdout (exit 2)" [ $? -eq 2 ]
$R key new 2>/dev/null
check "key new without -o is a usage error" [ $? -eq 2 ]
$R key new -o k2 && $R key new -o k3
check "two keys differ" [ "$(grep -v '^#' k1)" != "$(grep -v '^#' k2)" ]
ID1=$($R key id k1)
check "key id prints a 16-digit fingerprint" sh -c "echo '$ID1' | grep -qE '^[0-9a-f]{16}$'"
check "the fingerprint is stable" [ "$($R key id k1)" = "$ID1" ]
check "the fingerprint is not part of the key" sh -c "! grep -q '$ID1' k1"
cp k1 kpub && chmod 644 kpub
$R key id kpub >out 2>err
check "a key others may read is refused (exit 3)" [ $? -eq 3 ]
check "... with what to do" grep -q 'chmod 600' err
check "... and the key is not printed" sh -c "! grep -q '$HEX' out err"
cp k1 kgrp && chmod 640 kgrp
$R pseudonymise -s $S --key kgrp $EX >out 2>err
check "pseudonymise refuses a key the group may read (exit 3)" [ $? -eq 3 ]
check "... and writes no row" [ ! -s out ]
printf 'not a key\n' >kbad && chmod 600 kbad
$R pseudonymise -s $S --key kbad $EX >out 2>err
check "a file that is not a key is refused (exit 3)" [ $? -eq 3 ]
$R pseudonymise -s $S --key k1 --link-key k1 $EX >out 2>err
check "the link key is not the owner's key (exit 2)" [ $? -eq 2 ]

# --- pseudonymise -------------------------------------------------------
$R pseudonymise -s $S --key k1 -o p1.csv $EX 2>err
check "pseudonymise exits 0" [ $? -eq 0 ]
check "no key on stderr" sh -c "! grep -q '$HEX' err p1.csv"
$PY - $EX p1.csv <<'PYEOF' >py.out 2>&1
import csv, re, sys
src = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
out = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
bad = []
if len(src) != len(out): bad.append("rows %d -> %d" % (len(src), len(out)))
personal = ["family_name", "given_name", "father_name", "id_document_number"]
text = open(sys.argv[2], encoding="utf-8").read()
for a, b in zip(src, out):
    for f, v in a.items():
        if f in personal:
            if v.strip() and not re.fullmatch(r"ps1-[0-9a-f]{32}", b[f]): bad.append("%s not a pseudonym: %s" % (f, b[f]))
            if not v.strip() and b[f]: bad.append("empty %s got a value" % f)
            if len(v.strip()) > 3 and v.strip() in text: bad.append("clear %s in output" % f)
        elif f == "date_of_birth":
            if b[f] != v[:4]: bad.append("dob %s -> %s" % (v, b[f]))
        elif f == "dob_precision":
            want = "year" if a["date_of_birth"] else v
            if b[f] != want: bad.append("dob_precision %s -> %s" % (v, b[f]))
        elif f == "notes":
            if b[f]: bad.append("notes kept")
        elif b[f] != v: bad.append("%s changed: %s -> %s" % (f, v, b[f]))
print("\n".join(bad[:10]) or "same")
PYEOF
check "rows kept, personal fields pseudonymised, others as they were" grep -qx same py.out
[ -s py.out ] && grep -vx same py.out | head -5
$R validate --pseudonymised -s $S -q p1.csv 2>err
check "the output validates with --pseudonymised" [ $? -eq 0 ]
$R validate --pseudonymised -s $S $EX 2>err
check "the clear file does not" [ $? -eq 1 ]
check "... the report says which fields are clear" grep -qF "given_name: 'Aa***' (5 letters, Latin) is not a pseudonym" err
$R pseudonymise -s $S --key k1 -o p1b.csv $EX 2>/dev/null
check "same key, same pseudonyms" cmp -s p1.csv p1b.csv
$R pseudonymise -s $S --key k2 -o p2.csv $EX 2>/dev/null
check "another key, other pseudonyms" sh -c "! cmp -s p1.csv p2.csv"
H=person_id,incident_id,role,family_name,given_name,father_name,sex,date_of_birth,dob_precision,age,nationality,id_document_type,id_document_number,exploitation_form,referral,notes
{
    echo "$H"
    echo "X-1,I-1,victim,Khan,Muhammad,Ali,male,1990-05-06,,35,PAK,cnic,35202-1234567-1,,,lives in Quetta"
    echo "X-2,I-1,victim,خان,محمد,علی,male,1990-05,,35,PAK,cnic,3520212345671,,,"
    echo "X-3,I-1,victim,Khan,Mohammed,Aly,male,15/07/1986,,35,PAK,cnic,35202-1234567-1,,,"
    echo "X-4,I-1,victim,Khan,Hamid,,male,,,35,PAK,,,,,"
} >scripts.csv
$R pseudonymise -s $S --key k1 --dob month -o ps.csv scripts.csv 2>err
check "a birth date that is no date: exit 1" [ $? -eq 1 ]
check "... said on stderr" grep -q 'left empty, the first in row 4, date_of_birth' err
check "... and its row is still written" [ "$(wc -l <ps.csv)" = 5 ]
$PY - ps.csv <<'PYEOF' >py.out 2>&1
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
ok = (r[0]["given_name"] == r[1]["given_name"] == r[2]["given_name"]
      and r[0]["family_name"] == r[1]["family_name"] == r[3]["family_name"]
      and r[0]["father_name"] == r[1]["father_name"] == r[2]["father_name"]
      and r[0]["id_document_number"] == r[1]["id_document_number"]
      and r[0]["given_name"] != r[3]["given_name"]
      and r[0]["date_of_birth"] == "1990-05" and r[1]["date_of_birth"] == "1990-05"
      and r[0]["dob_precision"] == "month" and r[2]["date_of_birth"] == ""
      and r[0]["notes"] == "" and r[3]["father_name"] == "")
print("same" if ok else r)
PYEOF
check "Muhammad = محمد = Mohammed, Khan = خان, CNIC with or without dashes" grep -qx same py.out
$R validate --pseudonymised -s $S -q ps.csv 2>/dev/null
check "--dob month output validates" [ $? -eq 0 ]

printf 'person_id,incident_id,role,family_name,sex,nationality,phone\nA,I,victim,Khan,male,PAK,0300,extra\n' >wide.csv
$R pseudonymise -s $S --key k1 -o wide-out.csv wide.csv 2>err
check "a column not in the schema is left out, and said" grep -q "column 'phone' is not in the schema; it is left out" err
check "cells beyond the header are said" grep -q '1 row had more cells than the header' err
check "... and the row is written without them" sh -c "[ \$(wc -l <wide-out.csv) = 2 ] && ! grep -q '0300\|extra' wide-out.csv"

# --- linkage encodings --------------------------------------------------
$R pseudonymise -s $S --key k1 --link-key k3 -o pl.csv $EX 2>err
check "--link-key exits 0" [ $? -eq 0 ]
$PY - pl.csv <<'PYEOF' >py.out 2>&1
import base64, csv, re, sys
r = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
ok = all(len(base64.b64decode(x["clk"])) == 128 for x in r) and all(
    re.fullmatch(r"([0-9a-f]{16})?", x["blk%d" % i]) for x in r for i in range(1, 10))
ok = ok and all(x["blk1"] for x in r if x["date_of_birth"])
print("same" if ok else "bad")
PYEOF
check "clk is 1024 bits in base64, blk1..9 16 hex digits" grep -qx same py.out
$R validate --pseudonymised -s $S -q pl.csv 2>/dev/null
check "the encoded output validates" [ $? -eq 0 ]
$R pseudonymise -s $S --key k2 --link-key k3 -o pl2.csv $EX 2>/dev/null
$PY -c 'import csv,sys; print([r["clk"] + r["blk1"] for r in csv.DictReader(open(sys.argv[1]))] == [r["clk"] + r["blk1"] for r in csv.DictReader(open(sys.argv[2]))])' pl.csv pl2.csv >py.out
check "the encodings depend on the link key only" grep -qx True py.out
# --- dedup on encoded files ---------------------------------------------
# two "countries" (halves of synthetic persons with known entities), each
# pseudonymised with its own key and the shared link key
$PY $OLDPWD/bench/gen-persons.py 2000 7 >gp.csv
$PY - gp.csv <<'PYEOF'
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
for name, part in (("ga.csv", r[0::2]), ("gb.csv", r[1::2])):
    w = csv.DictWriter(open(name, "w", newline="", encoding="utf-8"), fieldnames=list(r[0]))
    w.writeheader(); w.writerows(part)
PYEOF
$R pseudonymise -q -s $S --key k1 --link-key k3 -o ea.csv ga.csv &&
    $R pseudonymise -q -s $S --key k2 --link-key k3 -o eb.csv gb.csv
check "two owners encode their files" [ $? -eq 0 ]
$R dedup -s $S --threshold 3 -o enc.csv ea.csv eb.csv 2>err
check "dedup links encoded files (exit 0)" [ $? -eq 0 ]
check "... and says how" grep -q 'encoded rows' err
$R dedup -q -s $S -o clear.csv ga.csv gb.csv
# pairwise F1 of both against the generator's entities
$PY - gp.csv clear.csv enc.csv <<'PYEOF' >py.out
import csv, sys
from collections import Counter
truth = {r["person_id"]: r["true_id"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
def f1(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    assert len(rows) == len(truth), "rows lost"
    pairs = lambda c: sum(n * (n - 1) // 2 for n in c.values())
    t = pairs(Counter(truth[r["person_id"]] for r in rows))
    p = pairs(Counter(r["cluster_id"] for r in rows))
    tp = pairs(Counter((r["cluster_id"], truth[r["person_id"]]) for r in rows))
    return 2 * tp / (t + p)
c, e = f1(sys.argv[2]), f1(sys.argv[3])
print("clear %.4f encoded %.4f" % (c, e))
print("close" if e >= c - 0.03 and e > 0.85 else "far")
PYEOF
cat py.out | head -1
check "encoded linkage F1 within 0.03 of linkage in clear" grep -qx close py.out
check "every row out, none of the names" sh -c "[ \$(wc -l <enc.csv) = 2001 ] && ! grep -qF \"\$(sed -n 2p ga.csv | cut -d, -f5)\" enc.csv"
check "cluster_id and match_score columns" sh -c "head -1 enc.csv | grep -q ',cluster_id,match_score\$'"
$R dedup -q -s $S --one-per-file -o enc1.csv ea.csv eb.csv
$PY - enc1.csv <<'PYEOF' >py.out
import csv, sys
from collections import defaultdict
c = defaultdict(list)
for i, r in enumerate(csv.DictReader(open(sys.argv[1], encoding="utf-8"))):
    c[r["cluster_id"]].append(i < 1000)
print("ok" if all(len(v) <= 2 and (len(v) < 2 or v[0] != v[1]) for v in c.values()) else "bad")
PYEOF
check "--one-per-file: at most one row of each file per cluster" grep -qx ok py.out
cut -d, -f1-3,5- ea.csv >cut.csv
$R dedup -q -s $S eb.csv cut.csv >/dev/null 2>err
check "encoded files of other columns are refused (exit 3)" [ $? -eq 3 ]
$R dedup -q -s $S --train ea.csv eb.csv >/dev/null 2>err
check "options for names are refused on encoded files (exit 2)" [ $? -eq 2 ]
sed '3s/,[A-Za-z0-9+/]*=,/,AAAA,/' ea.csv >bad.csv
$R dedup -q -s $S bad.csv eb.csv >/dev/null 2>err
check "a broken clk is an input error (exit 3)" [ $? -eq 3 ]
check "... naming the row" grep -q 'bad.csv:3: clk is not' err
finish
