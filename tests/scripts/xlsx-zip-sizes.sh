# A workbook part's size as the zip directory gives it (issue 14: "an XLSX
# part over 2 GiB is damaged"). Sizes are written by hand into a small
# workbook (tests/data/xlsx/gnumeric-from-csv.xlsx); no 2 GiB file is made.
# relec has no limit on a part's size: a real sheet part of 2.1 GiB (the
# example sheet with 2,148 MiB of spaces after <sheetData>, zip64, written
# by Python's zipfile: 9.8 MB) was read on 2026-11-29 by `relec validate -s
# incident` in 12.8 s, exit 1 with the 3 rows' findings (too costly to
# repeat here). What it refuses is a part whose sizes disagree:
#  - the zip directory and the part's own header giving different sizes,
#    either way: a damaged workbook (exit 3) whose message gives both;
#  - a part holding fewer bytes than both headers give: damaged too
#    (minizip checks the CRC only when they agree), never read as whole;
#  - a checksum that differs between the two headers: named.
. tests/testlib.sh
SRC=tests/data/xlsx/gnumeric-from-csv.xlsx
PART=xl/worksheets/sheet1.xml
BIG=2415919104 # 2.25 GiB

# craft OUT WHERE SIZE [FIELD]: SRC with FIELD (usize, csize or crc) of the
# sheet part set to SIZE in the zip directory (c), its local header (l) or
# both (cl)
craft() {
    python3 - "$SRC" "$1" "$2" "$3" "${4:-usize}" <<'PY'
import struct, sys
src, dst, where, value, field = sys.argv[1:6]
value = int(value)
b = bytearray(open(src, 'rb').read())
name = b'xl/worksheets/sheet1.xml'
# central directory record: crc +16, csize +20, usize +24, name length +28,
# local header offset +42; local header: crc +14, csize +18, usize +22
cd_at = {'crc': 16, 'csize': 20, 'usize': 24}[field]
i = 0
while (i := b.find(b'PK\x01\x02', i)) >= 0:
    n = struct.unpack_from('<H', b, i + 28)[0]
    if b[i + 46:i + 46 + n] == name:
        if 'c' in where:
            struct.pack_into('<I', b, i + cd_at, value)
        if 'l' in where:
            off = struct.unpack_from('<I', b, i + 42)[0]
            struct.pack_into('<I', b, off + cd_at - 2, value)
    i += 4
open(dst, 'wb').write(b)
PY
}

craft $T/both.xlsx cl $BIG
$RELEC validate -s incident $T/both.xlsx >$T/both.out 2>$T/both.err
rc=$?
# the part holds 3079 bytes, not 2.25 GiB: damaged, said with both sizes
check "a part short of the size both headers give: exit 3" [ $rc -eq 3 ]
check "... the message gives both sizes" grep -q "damaged zip entry $PART: the zip directory gives it $BIG bytes uncompressed, it holds 3079" $T/both.err
check "... no row read as if whole" [ ! -s $T/both.out ]

craft $T/dir.xlsx c $BIG
$RELEC validate -s incident $T/dir.xlsx >$T/dir.out 2>$T/dir.err
check "directory over 2 GiB, header not: exit 3" [ $? -eq 3 ]
check "... the message names the sizes, not just damaged" grep -q "the zip directory gives $PART $BIG bytes uncompressed, its own header 3079" $T/dir.err

craft $T/hdr.xlsx l $BIG
$RELEC validate -s incident $T/hdr.xlsx >$T/hdr.out 2>$T/hdr.err
check "header over 2 GiB, directory not: exit 3" [ $? -eq 3 ]
check "... the message names both sizes" grep -q "the zip directory gives $PART 3079 bytes uncompressed, its own header $BIG" $T/hdr.err

craft $T/crc.xlsx l 12345 crc
$RELEC validate -s incident $T/crc.xlsx >$T/crc.out 2>$T/crc.err
check "checksums disagree: exit 3" [ $? -eq 3 ]
check "... the message says the checksums differ" grep -q "the zip directory and the header of $PART give different checksums" $T/crc.err

# the untouched workbook reads (3 data rows), so the cases above fail for
# their sizes alone
$RELEC validate -s incident $SRC >$T/ok.out 2>$T/ok.err
check "the workbook untouched is read (exit 1: findings)" [ $? -eq 1 ]
check "... all 3 rows" grep -q "3 rows: 0 valid, 3 rejected" $T/ok.err

rm -rf "$T"
finish
