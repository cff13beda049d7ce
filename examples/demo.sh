#!/bin/sh
# make demo: validates the clean Pakistan month, then a copy with errors,
# and shows what an analyst sees. Outputs go to a temporary folder.
RELEC=${RELEC:-bin/relec}
out=$(mktemp -d "${TMPDIR:-/tmp}/relec-demo.XXXXXX")
echo "== relec validate: a clean month from Pakistan (FIA), 2025-03"
$RELEC validate -s schemas/incident.yaml examples/incident.csv
$RELEC validate -s schemas/person.yaml --ref incident=examples/incident.csv examples/person.csv
$RELEC validate -s schemas/aggregate.yaml examples/aggregate.csv
echo
echo "== relec validate: the same month with errors (exit 1 expected)"
$RELEC validate -s schemas/incident.yaml --max-per-kind 3 \
    --report "$out/findings.csv" --valid "$out/valid.csv" --rejects "$out/rejects.csv" \
    examples/errors/incident-errors.csv
echo "exit status $? (1 = errors found in the data)"
echo
echo "findings (CSV): $out/findings.csv"
echo "valid rows: $out/valid.csv"
echo "rejected rows with reasons: $out/rejects.csv"
