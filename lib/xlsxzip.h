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

/* Returns XLSXZIP_LEVEL. The workbook writers call it so that the linker
 * takes xlsxzip.o out of librelec.a (an archive member no one refers to is
 * left out, and the replacement with it). */
int xlsxzip_level(void);

#endif
