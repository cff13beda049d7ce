# Rewrites one part of a saved .xlsx (by default its first sheet's XML)
# in place, for what openpyxl cannot write: EDIT gets the part's text and
# returns the new text. Used by the workbook builders of this folder.
import shutil, zipfile


def rewrite_part(path, edit, part="xl/worksheets/sheet1.xml"):
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as zin, \
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zo:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                data = edit(data.decode("utf-8")).encode("utf-8")
            zo.writestr(item, data)
    shutil.move(tmp, path)
