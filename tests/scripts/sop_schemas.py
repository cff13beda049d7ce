"""Holds sop/data-standard.md, schemas/*.yaml and the data standard (its copy in tests/data/standard)
together. Prints one line per check and "N passed, N failed" last.
Reads YAML with a tiny reader of the subset our schemas use (PyYAML is not
a dependency), so it parses fields, names, types and codes only."""
import os, re, sys

P = F = 0
def check(name, ok, detail=""):
    global P, F
    if ok:
        P += 1; print("ok", name)
    else:
        F += 1; print("FAIL", name, detail)

def sop_tables(path):
    """{record type: [(field, type, required)]} and {list: [codes]}."""
    text = open(path, encoding="utf-8").read()
    tables, lists = {}, {}
    cur = None
    for line in text.splitlines():
        m = re.match(r"^## Record type: (\w+)", line)
        if m:
            cur = m.group(1); tables[cur] = []; continue
        if line.startswith("## "):
            cur = None
        if cur and line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            tables[cur].append((cells[0].strip("`"), cells[1], cells[2]))
    cur = None
    for line in text.splitlines():
        m = re.match(r"^### code list: (\w+)", line)
        if m:
            cur = m.group(1); lists[cur] = []; continue
        if line.startswith("#"):
            cur = None
        m = re.match(r"^- `([^`]+)`", line)
        if cur and m:
            lists[cur].append(m.group(1))
    return tables, lists

def standard_tables(path):
    """The shared standard's field tables: {type: [(field, type, required)]}."""
    text = open(path, encoding="utf-8").read()
    tables, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^### (incident|person|aggregate)\b", line)
        if m:
            cur = m.group(1); tables[cur] = []; continue
        if line.startswith("#"):
            cur = None
        if cur and line.startswith("| ") and not line.startswith("| field") \
                and not line.startswith("| ---"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            tables[cur].append((cells[0].strip("`"), cells[1], cells[2]))
    return tables

def schema_fields(path):
    """[(name, type, required, codelist)] from a schema YAML (our subset)."""
    fields, cur, in_fields = [], None, False
    for line in open(path, encoding="utf-8"):
        if re.match(r"^fields:", line): in_fields = True; continue
        if re.match(r"^\w", line): in_fields = False
        if not in_fields: continue
        m = re.match(r"^  - name: (\S+)", line)
        if m:
            cur = {"name": m.group(1), "type": None, "required": False,
                   "codelist": None}
            fields.append(cur); continue
        m = re.match(r"^    (\w+): (.*)$", line)
        if m and cur is not None:
            k, v = m.group(1), m.group(2).strip()
            if k == "type": cur["type"] = v
            if k == "required": cur["required"] = v == "true"
            if k == "codelist": cur["codelist"] = v
    return fields

def rule_required_fields(path):
    """Fields some rule makes required (then: {field: X, required: true})."""
    out = set()
    for line in open(path, encoding="utf-8"):
        m = re.search(r"then: \{field: (\w+), required: true", line)
        if m: out.add(m.group(1))
    return out

def codes_of(name):
    codes = []
    for line in open(f"schemas/codes/{name}.yaml", encoding="utf-8"):
        m = re.match(r"^  - \{code: ([^,}]+)", line)
        if m: codes.append(m.group(1).strip())
    return codes

def expected_list(sop_type):
    """The schema codelist a sop type names."""
    t = sop_type
    if "ISO 3166-2" in t: return "iso3166_2"
    if "ISO 3166-1" in t and "XXA" in t: return "[iso3166_1_alpha3, icao_nationality]"
    if "ISO 3166-1" in t and "TOTAL" in t: return "[iso3166_1_alpha3, aggregate_total]"
    if "ISO 3166-1" in t: return "iso3166_1_alpha3"
    m = re.search(r"code: (\w+)", t)
    return m.group(1) if m else None

def expected_type(sop_type):
    if sop_type.startswith("list of"): return "list"
    if sop_type.startswith("code"): return "code"
    if sop_type.startswith("integer"): return "integer"
    return sop_type.split()[0]

sop, sop_lists = sop_tables("sop/data-standard.md")
check("sop has the three record types",
      sorted(sop) == ["aggregate", "incident", "person"], str(sorted(sop)))
for rt in ("incident", "person", "aggregate"):
    fields = schema_fields(f"schemas/{rt}.yaml")
    req_by_rule = rule_required_fields(f"schemas/{rt}.yaml")
    names_s = [f["name"] for f in fields]
    names_p = [f[0] for f in sop.get(rt, [])]
    check(f"{rt}: same fields in the same order in sop and schema",
          names_s == names_p, f"sop {names_p} schema {names_s}")
    byname = {f["name"]: f for f in fields}
    for name, typ, req in sop.get(rt, []):
        f = byname.get(name)
        if not f: continue
        check(f"{rt}.{name}: type {expected_type(typ)}",
              f["type"] == expected_type(typ), f"schema says {f['type']}")
        if req == "yes":
            check(f"{rt}.{name}: required", f["required"])
        elif req == "no":
            check(f"{rt}.{name}: optional", not f["required"])
        else:  # "when ...": a rule makes it required
            check(f"{rt}.{name}: required by a rule ({req[:40]})",
                  not f["required"] and name in req_by_rule)
        if f["type"] in ("code", "list"):
            check(f"{rt}.{name}: code list {expected_list(typ)}",
                  f["codelist"] == expected_list(typ), f"schema says {f['codelist']}")

for name, codes in sop_lists.items():
    path = f"schemas/codes/{name}.yaml"
    check(f"code list {name} exists in schemas/codes", os.path.exists(path))
    if os.path.exists(path):
        check(f"code list {name}: same codes in sop and schema",
              codes_of(name) == codes, f"sop {codes} schema {codes_of(name)}")

# the repository's copy of the standard (scripts/sync-standard.sh renews it)
std = "tests/data/standard/README.md"
if os.path.exists(std):
    st = standard_tables(std)
    for rt in ("incident", "person", "aggregate"):
        check(f"{rt}: sop fields are the standard's",
              [f[0] for f in st.get(rt, [])] == [f[0] for f in sop.get(rt, [])])
    text = open(std, encoding="utf-8").read()
    m = re.search(r"exploitation_form: (.*?)\(HTCDS", text, re.S)
    if m:
        std_forms = [c.strip() for c in m.group(1).replace("\n", " ").split(",")]
        check("exploitation_form: the standard's codes",
              codes_of("exploitation_form") == std_forms, str(std_forms))
print(f"{P} passed, {F} failed")
sys.exit(1 if F else 0)
