# --help and the man page, both made from the commands' option tables
# (cmd.h): every command's --help exits 0 on stdout; the man page has
# every section, every command and every option its --help lists; the
# EXIT STATUS of the page is README's table; the examples use only options
# the command has; groff reads the page without a warning.
. tests/testlib.sh
cmds=$("$RELEC" --help | awk '/^commands:/{on=1;next} on && /^  [a-z]/{print $1} on && /^$/{on=0}')
check "relec --help lists nine commands" [ "$(echo "$cmds" | wc -w)" -eq 9 ]
"$RELEC" --man >"$T/relec.1" 2>"$T/man.err"
check "relec --man exits 0, nothing on stderr" [ $? -eq 0 -a ! -s "$T/man.err" ]
MAN="$T/relec.1"
for sec in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES ENVIRONMENT FILES '"EXIT STATUS"' '"SEE ALSO"'; do
    check "man page has the section $sec" grep -q "^\.SH $sec\$" "$MAN"
done
for v in RELEC_SCHEMAS TMPDIR LANG; do
    check "ENVIRONMENT names $v" sh -c "sed -n '/^\.SH ENVIRONMENT/,/^\.SH FILES/p' '$MAN' | grep -q '$v'"
done
# the man page's OPTIONS block of command $1
man_opts() { sed -n "/^\.SH OPTIONS/,/^\.SH EXAMPLES/p" "$MAN" | sed -n "/^\.SS \"relec $1\"/,/^\.S[SH]/p"; }
for c in $cmds; do
    "$RELEC" "$c" --help >"$T/$c.help" 2>"$T/$c.err"
    check "relec $c --help exits 0 with usage on stdout, nothing on stderr" \
        [ $? -eq 0 -a ! -s "$T/$c.err" ]
    check "relec $c --help starts with its usage" grep -q "^usage: relec $c " "$T/$c.help"
    "$RELEC" "$c" -h >"$T/$c.h" 2>&1
    check "relec $c -h is --help" cmp -s "$T/$c.h" "$T/$c.help"
    check "man page describes relec $c" grep -q "^\.SS \"relec $c\"" "$MAN"
    check "man page SYNOPSIS has relec $c" sh -c "sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' '$MAN' | grep -q '^\.B relec $c\$'"
    man_opts "$c" >"$T/$c.manopts"
    # every option line of --help (but --help) is an option of the page
    sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}--\([a-z-]*\).*/\2/p; s/^      --\([a-z-]*\).*/\1/p' "$T/$c.help" |
        sort -u | grep -v '^help$' >"$T/$c.opts"
    check "relec $c --help lists options" [ -s "$T/$c.opts" ]
    missing=
    while read -r o; do
        e=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
        grep -q "^\\\\fB\\\\-\\\\-$e\\\\fR\|, \\\\fB\\\\-\\\\-$e\\\\fR" "$T/$c.manopts" || missing="$missing --$o"
    done <"$T/$c.opts"
    check "man page OPTIONS of relec $c has every option of its --help${missing:+ (missing:$missing)}" [ -z "$missing" ]
    # every --option an example uses is one of the command's
    bad=
    # (continuation lines joined, each command of a pipe apart)
    for o in $(sed -n '/^examples:/,/^$/p' "$T/$c.help" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' |
        tr '|' '\n' | grep "^ *relec $c " | grep -o -- " --[a-z-]*" | sed 's/^ --//' | sort -u); do
        grep -qx -- "$o" "$T/$c.opts" || bad="$bad --$o"
    done
    check "relec $c's examples use only its options${bad:+ (not its:$bad)}" [ -z "$bad" ]
done
# EXIT STATUS is README's contract, row by row
rows=$(sed -n '/^### Exit status/,/^### /p' README.md | grep -E '^\| [0-9] \|')
check "README has five exit-status rows" [ "$(echo "$rows" | wc -l)" -eq 5 ]
echo "$rows" | while IFS='|' read -r _ code meaning _; do
    code=$(echo $code)
    meaning=$(echo $meaning)
    if sed -n '/^\.SH "EXIT STATUS"/,/^\.SH/p' "$MAN" | grep -A1 -x "\.B $code" | grep -qxF -- "$meaning"; then
        echo "ok exit $code"
    else
        echo "FAIL exit $code: README says '$meaning', the man page not"
    fi
done >"$T/exit.out"
check "the man page's EXIT STATUS says what README's table says" [ "$(grep -c '^ok' "$T/exit.out")" -eq 5 ]
grep FAIL "$T/exit.out"
if command -v groff >/dev/null 2>&1; then
    check "groff reads the man page without a warning" \
        sh -c "groff -man -Tutf8 -ww -z '$MAN' 2>'$T/groff.err' && [ ! -s '$T/groff.err' ]"
    cat "$T/groff.err" 2>/dev/null | head -5
else
    skip "groff is not installed: the page is not rendered"
fi
rm -rf "$T"
finish
