# sop/ and schemas/ agree: every record type's fields (names, order, types,
# required, code lists) and every code list's codes, as written in
# sop/data-standard.md, equal what schemas/*.yaml and schemas/codes/ say.
# The shared standard's field tables are held against sop/ too, when the
# standard is there to read (../shared/standard/README.md).
. tests/testlib.sh
python3 tests/scripts/sop_schemas.py
# a finish line is printed by the script itself
