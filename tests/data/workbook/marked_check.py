# Reads the marked workbook of marked.py's input back (openpyxl) and
# prints one "ok NAME" or "FAIL NAME why" line per property of issue 11.
# usage: marked_check.py MARKED.xlsx FINDINGS_COLUMN (1-based)
import sys, warnings, openpyxl
warnings.simplefilter("ignore")
out, want_fcol = sys.argv[1], int(sys.argv[2])
b = openpyxl.load_workbook(out)["Persons"]
bv = openpyxl.load_workbook(out, data_only=True)["Persons"]


def ok(name, cond, why=''):
    print(('ok ' if cond else 'FAIL ') + name +
          ('' if cond else ' ' + str(why)[:600]))


hdr = [c.value for c in b[1]]
fcol = hdr.index("relec findings") + 1 if "relec findings" in hdr else 0
ok("the findings column comes after the longest row", fcol == want_fcol, hdr)
ok("the cells of the row longer than its header are kept (J4, K4)",
   bv["J4"].value == "extra 1" and bv["K4"].value == 77,
   (bv["J4"].value, bv["K4"].value))
f4 = bv.cell(row=4, column=fcol).value if fcol else None
ok("the long row's findings are in the findings column",
   f4 is not None and "row-shape" in f4, f4)
ok("a formula never calculated stays a formula (G3)",
   str(b["G3"].value).replace(' ', '') == "=30+4", b["G3"].value)
ok("a formula never calculated gets no value (not 0) (G3)",
   bv["G3"].value is None, bv["G3"].value)
want = {5: "=$G$2+0*G4+0*$G4+0*G$4", 6: "=$G$2+0*G5+0*$G5+0*G$4",
        7: "=$G$2+0*G6+0*$G6+0*G$4"}
got = {r: b["G%d" % r].value for r in want}
ok("a shared formula is in every cell, its references shifted (G5:G7)",
   got == want, got)
ok("a shared formula's saved results kept (G5:G7)",
   [bv["G%d" % r].value for r in want] == [41, 41, 41],
   [bv["G%d" % r].value for r in want])
f = b["A2"].font
ok("a font's name, size, colour and underline kept (A2)",
   f.name == "Courier New" and f.sz == 14 and f.u == "single" and
   f.color is not None and str(f.color.rgb).upper().endswith("FF0000"),
   (f.name, f.sz, f.u, f.color.rgb if f.color else None))
fl = b["B2"].fill
ok("a solid fill kept (B2)",
   fl.fill_type == "solid" and str(fl.fgColor.rgb).upper().endswith("FFFF00"),
   (fl.fill_type, fl.fgColor.rgb))
bd = b["C2"].border
ok("borders kept (C2)",
   all(getattr(bd, s).style == "thin"
       for s in ("left", "right", "top", "bottom")),
   [getattr(bd, s).style for s in ("left", "right", "top", "bottom")])
ok("a custom row height kept (row 3)",
   b.row_dimensions[3].height == 30, b.row_dimensions[3].height)
h = b["D2"].hyperlink
ok("a hyperlink kept (D2)",
   h is not None and h.target == "https://example.org/case/1" and
   bv["D2"].value == "Masih", (h.target if h else None, bv["D2"].value))
