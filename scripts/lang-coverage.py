#!/usr/bin/env python3
"""Which code lists carry translated labels, and how many, per language.
Run from the repo top:
    python3 scripts/lang-coverage.py [--check]
Prints one line a code list: its codes and, per language, the codes with a
label in that language. A list generated from Debian's iso-codes
(`translations: DOMAIN`) has no `labels:`: relec reads its names from
iso-codes' catalogues (/usr/share/locale/XX/LC_MESSAGES/DOMAIN.mo), and
the counts shown are the names those catalogues translate here, with the
six RELEC countries' subdivisions apart.
--check prints ok/FAIL lines instead (tests/scripts/lang.sh): every other
list labels every code in every language, and no two codes of a list share
a label in one language (the 'did you mean' hint would be ambiguous). Two
labels are the same when they are up to a ' (': the hint matches a typed
value against a label up to its end or its first ' (' (lib/check.c), so
'X (a) y' and 'X (b) z' both answer 'X'."""
import gettext, glob, sys
import yaml

LANGS = ["ur", "fa", "ps", "ar", "bn", "tr"]
RELEC = ("AFG", "BGD", "IRN", "IRQ", "PAK", "TUR")

def iso_counts(domain, codes):
    """Per language, (translated, of the RELEC countries' codes translated,
    RELEC codes), or None where iso-codes has no catalogue."""
    out = {}
    for l in LANGS:
        try:
            t = gettext.translation(domain, "/usr/share/locale", [l])
        except OSError:
            out[l] = None
            continue
        tr = [c for c in codes if t._catalog.get(c["label"])]  # an entry
        mine = [c for c in codes if c.get("parent", c["code"]) in RELEC]
        out[l] = (len(tr), sum(1 for c in tr if c in mine), len(mine))
    return out

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
        yield f, d, first.startswith("# GENERATED"), len(codes), have, dups

def main():
    check = "--check" in sys.argv
    for f, d, generated, n, have, dups in lists():
        name = d.get("codelist")
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
        elif d.get("translations"):
            counts = iso_counts(d["translations"], d["codes"])
            print("%-22s %5d codes  from iso-codes %s: %s" % (
                name, n, d["translations"], "  ".join(
                    "%s %s" % (l, "none" if counts[l] is None else
                               "%d (RELEC countries %d of %d)" % counts[l])
                    for l in LANGS)))
        else:
            print("%-22s %5d codes  %s" % (
                name, n, "  ".join("%s %d" % (l, have[l]) for l in LANGS)))

main()
