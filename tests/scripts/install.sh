# The schema catalog (lib/catalog.h): `make install PREFIX=DIR` gives a
# relec that finds its schemas from any folder without a rebuild;
# RELEC_SCHEMAS is honoured by -s NAME, by a map's `schema: NAME`, by load
# and by compare.
. tests/testlib.sh
TOP=$(pwd)
make -s --no-print-directory install-files PREFIX="$T/inst" BIN="$(dirname "$RELEC")" \
    BUILD="${BUILD:-build}" >"$T/make.out" 2>&1
check "make install-files into a temporary PREFIX" [ $? -eq 0 -a -x "$T/inst/bin/relec" ]
check "the schemas and code lists are installed" \
    [ -f "$T/inst/share/relec/schemas/incident.yaml" -a -f "$T/inst/share/relec/schemas/codes/dob_precision.yaml" ]
check "the man page is installed" [ -s "$T/inst/share/man/man1/relec.1" ]
MAN="$T/inst/share/man/man1/relec.1"
for sec in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES ENVIRONMENT FILES '"EXIT STATUS"'; do
    check "man page has the section $sec" grep -q "^\.SH $sec" "$MAN"
done
for c in $("$RELEC" --help | awk '/^commands:/{on=1;next} on && /^  [a-z]/{print $1} on && /^$/{on=0}'); do
    check "man page documents relec $c" grep -q "^\.SS \"relec $c\"" "$MAN"
done
if command -v groff >/dev/null 2>&1; then
    check "groff reads the man page without a warning" \
        sh -c "preconv '$MAN' | groff -man -Tutf8 -ww -z 2>'$T/groff.err' && [ ! -s '$T/groff.err' ]"
fi
mkdir "$T/elsewhere"
cp examples/incident.csv examples/person.csv "$T/elsewhere/"
cd "$T/elsewhere" || exit 1
R="$T/inst/bin/relec"
env -u RELEC_SCHEMAS "$R" validate -q -s incident incident.csv 2>"$T/v.err"
check "installed relec validates with -s incident from another folder" [ $? -eq 0 ]
env -u RELEC_SCHEMAS "$R" validate -q --lang ur -s incident incident.csv 2>"$T/lang.err"
check "installed relec validates with --lang ur" [ $? -eq 0 ]
check "installed relec finds its message catalogues (no warning)" \
    sh -c "! grep -q 'warning:.*lang/ur.yaml' '$T/lang.err'"
env -u RELEC_SCHEMAS "$R" load -q --db s.db incident.csv person.csv 2>"$T/l.err"
check "installed relec loads (it finds the record types)" [ $? -eq 0 ]
env -u RELEC_SCHEMAS "$R" compare -q --db s.db >c.csv 2>"$T/c.err"
check "installed relec compares" [ $? -eq 0 -a -s c.csv ]
cp "$TOP/examples/maps/pak-fia.yaml" "$T/elsewhere/map.yaml"
sed -i 's|^schema: .*|schema: incident|' map.yaml
# (the example file has two bad rows: 8 in, 6 out, exit 1)
env -u RELEC_SCHEMAS "$R" merge --map map.yaml "$TOP/examples/national/pak-fia-2025-03.csv" -o m.csv 2>"$T/m.err"
check "a map's schema: incident is found by the installed relec" grep -q "8 rows in, 6 out, 2 rejected" "$T/m.err"
# RELEC_SCHEMAS first: a folder whose incident.yaml differs wins everywhere
mkdir -p "$T/alt/codes"
cp "$TOP"/schemas/codes/*.yaml "$T/alt/codes/"
cp "$TOP"/schemas/*.yaml "$T/alt/"
sed -i 's/^title: .*/title: the alternative incident schema/' "$T/alt/incident.yaml"
printf 'schema: broken\nfields: [\n' >"$T/alt/broken.yaml"
RELEC_SCHEMAS="$T/alt" "$R" validate -s broken incident.csv 2>"$T/b.err"
check "-s NAME looks in RELEC_SCHEMAS first (its broken schema is the one reported)" \
    grep -q "$T/alt/broken.yaml" "$T/b.err"
sed 's|^schema: .*|schema: broken|' map.yaml >map2.yaml
RELEC_SCHEMAS="$T/alt" "$R" merge --map map2.yaml "$TOP/examples/national/pak-fia-2025-03.csv" -o m2.csv 2>"$T/m2.err"
check "a map's schema: NAME looks in RELEC_SCHEMAS" grep -q "$T/alt/broken.yaml" "$T/m2.err"
cd "$TOP" || exit 1
rm -rf "$T"
finish
