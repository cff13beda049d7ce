#!/bin/sh
# Writes relec.1 (man page) on stdout from the binary's own --help texts, so
# the page never disagrees with the program. Usage: doc/mkman.sh bin/relec
relec=${1:-bin/relec}
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/"; }
echo ".TH RELEC 1 \"$(date +%Y-%m-%d)\" \"relec $($relec --version | cut -d' ' -f2)\" \"User Commands\""
echo ".SH NAME"
echo "relec \\- check, merge and compare THB, SoM and irregular migration data (RELEC SOP)"
echo ".SH SYNOPSIS"
echo ".B relec"
echo "COMMAND [options] [FILE...]"
echo ".SH DESCRIPTION"
echo ".nf"
$relec --help | esc
echo ".fi"
for c in $($relec --help | awk '/^commands:/{on=1;next} on && /^  [a-z]/{print $1} on && /^$/{on=0}'); do
    echo ".SH \"relec $c\""
    echo ".nf"
    $relec "$c" --help 2>&1 | esc
    echo ".fi"
done
