#!/bin/sh
# Copies the data standard (shared/standard/README.md of the workplace,
# beside this repository) into tests/data/standard/, the copy the tests
# read, and runs the sop-schemas test against it: red until sop/ and
# schemas/ follow the standard. Run it when the standard changes; the
# tests themselves never read outside the repository.
set -e
cd "$(dirname "$0")/.."
src=${1:-../shared/standard/README.md}
[ -f "$src" ] || { echo "sync-standard: no standard at '$src'" >&2; exit 1; }
if cmp -s "$src" tests/data/standard/README.md; then
    echo "sync-standard: tests/data/standard/README.md is current"
else
    cp "$src" tests/data/standard/README.md
    echo "sync-standard: tests/data/standard/README.md updated from $src"
fi
python3 tests/scripts/sop_schemas.py | tail -n 1
