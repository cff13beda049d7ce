"""Every English message a catalogue (schemas/lang/XX.yaml) translates is a
string of relec's source (adjacent C literals joined), so that a message
changed in the code cannot leave its translations silently unused; and
every catalogue translates the same messages. Prints ok/FAIL lines."""
import glob, re, sys
import yaml

def literals(src):
    src = re.sub(r'/\*.*?\*/', ' ', src, flags=re.S)
    src = re.sub(r"'(\\.|[^'\\])'", ' ', src)  # char constants
    out, cur, i = set(), None, 0
    tok = re.compile(r'"((?:\\.|[^"\\])*)"|(\S)', re.S)
    for m in tok.finditer(src):
        if m.group(1) is not None:
            s = m.group(1).encode().decode('unicode_escape').encode('latin-1').decode('utf-8', 'replace')
            cur = s if cur is None else cur + s
        else:
            if cur is not None:
                out.add(cur)
            cur = None
    return out

lits = set()
for f in glob.glob('lib/*.c') + glob.glob('cmd/*.c'):
    lits |= literals(open(f, encoding='utf-8').read())
keys = {}
for f in sorted(glob.glob('schemas/lang/*.yaml')):
    d = yaml.safe_load(open(f, encoding='utf-8'))
    keys[f] = set(d['messages'])
    stale = [k for k in d['messages'] if k not in lits]
    print(('ok ' if not stale else 'FAIL ') + '%s: every message is in the source%s' %
          (f, '' if not stale else ': not found: ' + '; '.join(repr(s) for s in stale)))
    print(('ok ' if d.get('status') else 'FAIL ') + '%s: has a status' % f)
ref = keys.get('schemas/lang/ur.yaml', set())
for f, k in keys.items():
    print(('ok ' if k == ref else 'FAIL ') + '%s: the same messages as ur.yaml' % f)
