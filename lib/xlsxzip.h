/*
 * xlsxzip.h: the zip layer under libxlsxwriter. xlsxzip.c defines minizip's
 * zipOpenNewFileInZip4_64 in the executable, in place of the shared
 * libminizip's, so that every part of every workbook relec writes is
 * deflated at level XLSXZIP_LEVEL (libxlsxwriter has no option for it); and
 * the LeakSanitizer hooks that name libxlsxwriter's own leak.
 *
 * Ownership: nothing is allocated here; the replaced function passes its
 * arguments on to minizip's, which owns what it owns.
 */
#ifndef RELEC_XLSXZIP_H
#define RELEC_XLSXZIP_H

#define XLSXZIP_LEVEL 1 /* deflate level of every part (zlib Z_BEST_SPEED) */

/* A formula cell without a value (its result never saved: Excel computes
 * it on open), which libxlsxwriter cannot write: every formula it writes
 * gets a <v>. The report writes such a cell with worksheet_write_formula_num
 * and the value NAN (nothing else writes a NaN: libxlsxwriter prints it
 * "NAN"), and turns this on before workbook_close(): the zip layer then
 * drops "<v>NAN</v>" right after "</f>" in the worksheet parts it zips, as
 * they stream through (byte by byte only inside a match). Off again after
 * the close; off, the parts pass untouched. */
void xlsxzip_drop_nan_values(int on);

/* Returns XLSXZIP_LEVEL. The workbook writers call it so that the linker
 * takes xlsxzip.o out of librelec.a (an archive member no one refers to is
 * left out, and the replacement with it). */
int xlsxzip_level(void);

#endif
