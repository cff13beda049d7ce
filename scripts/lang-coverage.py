#!/usr/bin/env python3
"""Which code lists carry translated labels, and how many, per language.
Run from the repo top:
    python3 scripts/lang-coverage.py [--check]
Prints one line a code list: its codes and, per language, the codes with a
label in that language. A list generated from Debian's iso-codes
(`# GENERATED` on its first line) has no `labels:` and is marked so.
--check prints ok/FAIL lines instead (tests/scripts/lang.sh): every other
list labels every code in every language, and no two codes of a list share
a label in one language (the 'did you mean' hint would be ambiguous). Two
labels are the same when they are up to a ' (': the hint matches a typed
value against a label up to its end or its first ' (' (lib/check.c), so
'X (a) y' and 'X (b) z' both answer 'X'."""
import glob, sys
import yaml

LANGS = ["ur", "fa", "ps", "ar", "bn", "tr"]

def hint_head(label):
    """What of a label the 'did you mean' hint matches: up to its first ' ('
    (lib/check.c), compared without case as strncasecmp does (ASCII)."""
    if not label:
        return None
    i = label.find(" (")
    head = label if i < 0 else label[:i]
    return "".join(c.lower() if c < "\x80" else c for c in head)

def lists():
    for f in sorted(glob.glob("schemas/codes/*.yaml")):
        first = open(f, encoding="utf-8").readline()
        d = yaml.safe_load(open(f, encoding="utf-8"))
        codes = d.get("codes") or []
        have, dups = {}, {}
        for l in LANGS:
            labs = [(c.get("labels") or {}).get(l) for c in codes]
            have[l] = sum(1 for x in labs if x)
            heads = [hint_head(x) for x in labs]
            dups[l] = sorted({x for x, h in zip(labs, heads)
                              if x and heads.count(h) > 1})
        yield f, d.get("codelist"), first.startswith("# GENERATED"), len(codes), have, dups

def main():
    check = "--check" in sys.argv
    for f, name, generated, n, have, dups in lists():
        if check:
            if generated:
                continue
            short = [l for l in LANGS if have[l] < n]
            print(("ok " if not short else "FAIL ") +
                  "%s: every code labelled in %s%s" %
                  (f, " ".join(LANGS),
                   "" if not short else ": short in " + ", ".join(
                       "%s (%d of %d)" % (l, have[l], n) for l in short)))
            same = ["%s %s" % (l, x) for l in LANGS for x in dups[l]]
            print(("ok " if not same else "FAIL ") +
                  "%s: no two codes with the same label%s" %
                  (f, "" if not same else ": " + "; ".join(same)))
        else:
            print("%-22s %5d codes  %s%s" % (
                name, n, "  ".join("%s %d" % (l, have[l]) for l in LANGS),
                "  (generated from iso-codes)" if generated else ""))

main()
