#!/bin/sh
# make demo: the main jobs on examples/, as the users meet them. Outputs go
# to a temporary folder, named at the end.
RELEC=${RELEC:-bin/relec}
out=$(mktemp -d "${TMPDIR:-/tmp}/relec-demo.XXXXXX")
step() { printf '\n== %s\n' "$*"; }

step "relec validate: a clean month from Pakistan (FIA), 2025-03"
$RELEC validate -s schemas/incident.yaml examples/incident.csv
$RELEC validate -s schemas/person.yaml examples/person.csv examples/incident.csv
$RELEC validate -s schemas/aggregate.yaml examples/aggregate.csv

step "relec validate: the same month with errors (exit status 1 expected)"
$RELEC validate -s schemas/incident.yaml --max-per-kind 1 \
    --report "$out/findings.csv" --report "$out/marked.xlsx" \
    --valid "$out/valid.csv" --rejects "$out/rejects.csv" \
    examples/errors/incident-errors.csv
echo "exit status $? (1 = errors found in the data)"

step "relec export and relec template: the ministry's workbook, the provinces' template"
$RELEC export -s schemas/incident.yaml -o "$out/PAK-2025-03.xlsx" examples/incident.csv
$RELEC template -s schemas/incident.yaml -o "$out/incident-template.xlsx" && echo "wrote $out/incident-template.xlsx"

step "relec merge: Pakistan, Afghanistan (Dari, Solar Hijri) and Iraq (Arabic) onto the standard"
$RELEC merge --map examples/maps/pak-fia.yaml examples/national/pak-fia-2025-03.csv \
    --map examples/maps/afg-moi.yaml examples/national/afg-moi-1403-12.csv \
    --map examples/maps/irq-moi.yaml examples/national/irq-moi-2025-03.csv \
    --rejects "$out/merge-rejects.csv" -o "$out/merged.csv"
$RELEC validate -s schemas/incident.yaml "$out/merged.csv"

step "relec dedup: one migrant recorded by three agencies in two scripts; three Muhammad Khans"
$RELEC dedup -s schemas/person.yaml examples/persons-three-agencies.csv \
    -o "$out/persons-clustered.csv" --explain "$out/why.csv"
cut -d, -f1,4,5,16,17 "$out/persons-clustered.csv"

step "relec load and relec compare: the regional store and a comparison workbook"
$RELEC load --db "$out/store.db" "$out/merged.csv"
$RELEC compare --db "$out/store.db" --period quarter --suppress 5 -o "$out/compare.xlsx"

step "outputs in $out"
ls "$out"
