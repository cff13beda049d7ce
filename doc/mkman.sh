#!/bin/sh
# Writes relec.1 (man page) on stdout. NAME, SYNOPSIS and one section per
# command come from the binary's own --help texts, so the page never
# disagrees with the program; EXAMPLES, ENVIRONMENT, FILES and EXIT STATUS
# are written here, the exit codes checked against the binary's help.
# Usage: doc/mkman.sh bin/relec
relec=${1:-bin/relec}
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/" -e 's/^-/\\-/'; }
commands=$($relec --help | awk '/^commands:/{on=1;next} on && /^  [a-z]/{print $1} on && /^$/{on=0}')
echo ".TH RELEC 1 \"$(date +%Y-%m-%d)\" \"relec $($relec --version | cut -d' ' -f2)\" \"User Commands\""
echo ".SH NAME"
echo "relec \\- check, merge and compare THB, SoM and irregular migration data (RELEC SOP)"
echo ".SH SYNOPSIS"
for c in $commands; do
    line=$($relec "$c" --help 2>&1 | sed -n 's/^usage: relec //p' | head -n 1)
    echo ".br"
    echo ".B relec"
    echo "$line" | esc
done
echo ".SH DESCRIPTION"
echo ".nf"
$relec --help | esc
echo ".fi"
echo ".SH COMMANDS"
for c in $commands; do
    echo ".SS \"relec $c\""
    echo ".nf"
    $relec "$c" --help 2>&1 | esc
    echo ".fi"
done
cat <<'EOF'
.SH EXAMPLES
An analyst checks a province's month and sends back a marked-up workbook:
.PP
.nf
  relec validate \-s incident incident.xlsx \-\-report marked.xlsx
  relec validate \-s person person.csv incident.csv \e
        \-\-report findings.csv \-\-valid ok.csv \-\-rejects rejects.csv
.fi
.PP
A data officer merges national files and keeps the regional store:
.PP
.nf
  relec merge \-\-map maps/pak\-fia.yaml pak\-fia\-2025\-03.csv \e
              \-\-map maps/afg\-moi.yaml afg\-moi\-1403\-12.csv \e
              \-\-rejects rejects.csv | relec validate \-s incident \-
  relec dedup \-s person person.csv \-\-explain why.csv
  relec load \-\-db store.db incident.csv person.csv
.fi
.PP
A regional coordinator makes the comparison tables, small cells
suppressed and the suppression audited:
.PP
.nf
  relec compare \-\-db store.db \-\-period quarter \-\-suppress 5 \-\-audit \e
                \-o compare.xlsx
.fi
.PP
What leaves the country is pseudonymised with a key only its owner holds:
.PP
.nf
  relec key new \-o owner.key
  relec pseudonymise \-s person \-\-key owner.key \-o shared.csv person.csv
.fi
.SH ENVIRONMENT
.TP
.B RELEC_SCHEMAS
A folder of schemas searched first for a schema named without a path
(\-s incident, a map's schema: incident, the record types of load and
compare).
.TP
.B TMPDIR
Where stdin is spooled when a command must read it twice.
.TP
.BR LC_ALL ", " LC_MESSAGES ", " LANG
The language of messages (findings, errors): the first of them that is
set and not empty, by its language part (fa_AF.UTF-8 and prs_AF are fa);
ur, fa, ps, ar, bn or tr, English for any other. \-\-lang (template,
export, validate) chooses the language of the workbooks written, and of
that command's messages too.
.SH FILES
A schema named without a path is looked for, in order, in
.BR $RELEC_SCHEMAS ,
the folder given with \-\-schemas,
.IR ./schemas ,
beside a map
.RI ( MAPDIR/../../schemas ", " MAPDIR/../schemas ", " MAPDIR ),
beside the binary
.RI ( BIN/../schemas ", " BIN/../share/relec/schemas ,
so that an installation under any prefix finds its own), and in
.I /usr/local/share/relec/schemas
and
.IR /usr/share/relec/schemas .
.TP
.I schemas/incident.yaml, person.yaml, aggregate.yaml
the record types of the RELEC data standard
.TP
.I schemas/codes/*.yaml
their code lists
.PP
Outputs are written to a temporary file beside the output
.RI ( .NAME.tmp\-XXXXXX )
and renamed when complete; the temporary file is removed when the run
fails or is interrupted.
.SH "EXIT STATUS"
A contract: scripts may rely on it.
.TP
.B 0
done; no errors in the data (warnings allowed)
.TP
.B 1
done; errors found in the data
.TP
.B 2
usage error (unknown option, missing argument)
.TP
.B 3
unreadable input (missing file, empty file, UTF\-16, corrupt workbook) or a
bad schema, map or key
.TP
.B 4
cannot write an output
.SH "SEE ALSO"
The data standard in the source tree's
.IR sop/data\-standard.md ,
the schema language in
.IR schemas/README.md .
EOF
# the exit codes above are the binary's: fail loudly if they drift
$relec --help | grep -q "0 no errors (warnings allowed), 1 errors found in the data" || {
    echo "mkman.sh: the exit codes in --help changed: update EXIT STATUS" >&2
    exit 1
}
