# sop/ and schemas/ agree: every record type's fields (names, order, types,
# required, code lists) and every code list's codes, as written in
# sop/data-standard.md, equal what schemas/*.yaml and schemas/codes/ say.
# The standard's field tables (its copy in tests/data/standard, renewed by
# scripts/sync-standard.sh) are held against sop/ too.
. tests/testlib.sh
python3 tests/scripts/sop_schemas.py
# a finish line is printed by the script itself
