/*
 * source_xlsx.c: rows of one worksheet of an .xlsx workbook, streamed.
 *
 * Ownership: the reader state owns everything: the zip handle, the expat
 * parser, the shared-string arena, the style table and the row buffers.
 * Cells handed out point into the row arena or the shared-string arena and
 * stay valid until the next call of next() or close().
 *
 * How it works. At open we read the small parts whole, each streamed through
 * expat: xl/workbook.xml (sheet names, order, r:id, date1904), its .rels
 * (sheet part paths), xl/sharedStrings.xml (kept in memory: cells refer to
 * them by index, in any order) and xl/styles.xml (which cell styles show
 * dates). The worksheet itself is never loaded whole: next() inflates 64 KiB
 * at a time straight into expat's own buffer (XML_GetBuffer, so no extra
 * copy) and parses until a </row> closes; the </row> handler suspends the
 * parser (XML_StopParser resumable), next() hands the row out, and the
 * following call resumes where the parser stopped. Suspension replaces a
 * queue of completed rows: exactly one row lives in memory, in buffers that
 * grow to the widest row and are then reused, so the hot path does no
 * malloc per cell or per row. Shared-string cells point into the arena of
 * shared strings, not copied.
 *
 * Cost, measured on a 200,000 x 20 libxlsxwriter sheet (160 MB of XML in a
 * 17 MB file): 1.7 s and 2.3 MB resident; inflating alone takes 0.6 s, and
 * our handlers under 5% of the total, the rest being expat's tokenizer. So
 * speed comes from touching each byte few times (no copy into expat, no
 * per-cell allocation), not from cleverer handlers.
 *
 * What a cell becomes (all text, as the other readers give):
 *   t="s"          the shared string (pointer into the arena, no copy)
 *   t="inlineStr"  the <is> text, rich-text runs joined, phonetic runs skipped
 *   t="str"        the formula's cached string result
 *   t="b"          "true" or "false" (lowercase, by choice: not Excel's TRUE)
 *   t="e"          the error text, e.g. "#N/A"
 *   t="d"          the ISO 8601 text as stored, "T00:00:00" dropped
 *   t="n"/absent   the number as stored, except: an exactly integral number
 *                  below 1e15 prints as an integer ("1E3" -> "1000"); with a
 *                  date style, or in a column flagged in opts->date_columns,
 *                  "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS" with a time of day;
 *                  with a clock-time style (h:mm, no date part) and a serial
 *                  below 1, "HH:MM:SS"; an elapsed-time style ([h]:mm) keeps
 *                  the number. 1900 serial 60 (the fictitious 1900-02-29) and
 *                  serials outside 0001..9999 keep the number.
 * Each cell's kind goes with it (row->kinds): a number, a date (a number
 * written as a date above, or t="d"), text, or a formula whose result was
 * never saved (an <f> without <v>, as openpyxl writes them; its text is
 * empty); a formula is flagged, and one that sums the cells above it in its
 * column (SUM(D2:D9) in D10) is flagged as a column sum: a total row.
 * Excel's _xHHHH_ escapes in strings are decoded. Trailing empty cells are
 * trimmed: ncells is the last non-empty cell's column + 1, except that data
 * rows are padded with empty cells to the first row's (the header's) width,
 * as a spreadsheet has no row shape to lose. Rows without a non-empty cell
 * at the end of the sheet are dropped: they are styled blank rows (a
 * template re-saved by LibreOffice or gnumeric has thousands), invisible in
 * the spreadsheet; empty rows followed by data are given out as before.
 *
 * For a copy of the sheet (the marked workbook) each cell also gives its
 * look (row->look): its style index and its formula's text, kept in a
 * second per-row arena (a shared formula's text is in its first cell only;
 * the others get it with their relative references shifted, as Excel
 * reads them, from the first cell's text kept per shared index).
 * styles.xml is read for each cell style's number format (id, and code
 * when the workbook defines it), font (bold, italic, underline; name, size
 * and RGB colour where they differ from the default font), solid fill and
 * borders; the sheet for its column widths (<cols>, before the rows), rows
 * of custom height, merged ranges, hyperlinks and data validations of
 * every type (after the rows), those in the extension list
 * (x14:dataValidation, whose formula and range are elements, not
 * attributes) too; the sheet's rels, once its rows are read, for the
 * addresses of its hyperlinks.
 */
#include "buf.h"
#include "source_impl.h"

#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <minizip/unzip.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define XLSX_CHUNK (64 * 1024)     /* bytes inflated per XML_ParseBuffer */
#define XLSX_MAX_COLS 16384        /* Excel's limit: columns A..XFD */
#define XLSX_MAX_ROW 1048576L      /* Excel's last row */
#define XLSX_CELL_MAX (32u << 20)  /* one cell's text, bytes */
#define XLSX_ROW_MAX (256u << 20)  /* one row's text, bytes */
#define XLSX_SST_MAX (1024u << 20) /* all shared strings, bytes */
#define XLSX_SST_MAX_STRINGS (64u << 20) /* shared strings (Excel: 1M rows) */
#define XLSX_SST_PREALLOC (1u << 20)     /* trust uniqueCount up to this */

/* What a cell style's number format shows. */
enum { FMT_NONE = 0, FMT_DATE = 1, FMT_TIME = 2 };

/* Cell types from the t attribute. */
enum { CT_N, CT_S, CT_INLINE, CT_STR, CT_B, CT_E, CT_D };

/* One sheet entry of xl/workbook.xml. */
typedef struct xsheet {
    char *name;   /* sheet name as shown on its tab */
    char *rid;    /* r:id, the key into workbook.xml.rels */
    char *target; /* zip path of the part, resolved; NULL until rels read */
    int chart;    /* nonzero when the rel says chartsheet/dialogsheet */
    int hidden;   /* state="hidden" or "veryHidden" */
} xsheet;

/* One Relationship of xl/_rels/workbook.xml.rels. */
typedef struct xrel {
    char *id;     /* Id="rIdN" */
    char *target; /* resolved zip path */
    char *type;   /* last segment of Type: worksheet, sharedStrings, ... */
} xrel;

/* One custom <numFmt> of xl/styles.xml. */
typedef struct xnumfmt {
    unsigned id; /* numFmtId, usually >= 164 */
    int kind;    /* FMT_* of its formatCode */
    char *code;  /* the formatCode */
} xnumfmt;

/* One <xf> of cellXfs: what a cell's s="N" refers to. */
typedef struct xxf {
    unsigned fmt;    /* numFmtId */
    unsigned font;   /* fontId */
    unsigned fill;   /* fillId */
    unsigned border; /* borderId */
} xxf;

/* One <font> of styles.xml, as a copy keeps it. */
typedef struct xfont {
    unsigned char bi; /* 1 bold, 2 italic */
    unsigned char u;  /* underline (source_style.underline) */
    double sz;        /* size in points, 0 = not given */
    long rgb;         /* colour 0xRRGGBB, -1 = none or not an rgb one */
    char *name;       /* its name, or NULL */
} xfont;

/* One <fill>: a solid one's colour. */
typedef struct xfill {
    long rgb; /* 0xRRGGBB, -1 = not solid, or not an rgb colour */
} xfill;

/* One <border>: left, right, top, bottom. */
typedef struct xborder {
    unsigned char style[4]; /* source_style.border */
    long rgb[4];            /* their colours, -1 = default */
} xborder;

/* One cell of the row being built, before pointers are fixed. */
typedef struct xslot {
    const char *p;      /* text outside the row arena (shared string, literal);
                           NULL = text at off in the row arena */
    size_t off;         /* offset in the row arena when p is NULL */
    size_t n;           /* length in bytes */
    unsigned char kind; /* SOURCE_CELL_* bits */
    unsigned style;     /* the s attribute */
    size_t foff, fn;    /* its formula in the formula arena; fn 0 = none */
} xslot;

/* Limits on a sheet's layout (beyond them, the rest is not kept). */
#define XLSX_MAX_DV 4096       /* data validations */
#define XLSX_MAX_MERGES 65536  /* merged ranges */
#define XLSX_MAX_COLRUNS 16384 /* <col> entries */
#define XLSX_FORMULA_MAX                                                       \
    16384u                    /* one formula's text, bytes (Excel: 8192        \
                                 characters) */
#define XLSX_MAX_SHARED 65536 /* shared formulas kept (si 0 .. this - 1) */
#define XLSX_MAX_LINKS 65536  /* hyperlinks kept */

/* A shared formula's first cell (<f t="shared" ref=.. si=..>text</f>),
 * kept so that the others (<f t="shared" si=../>) get its text with their
 * references shifted. */
typedef struct xshared {
    char *f;       /* its text (NULL: none seen with that si) */
    size_t n;      /* bytes of f */
    long row, col; /* its cell: 1-based row, 0-based column */
} xshared;

/* The reader's whole state. */
typedef struct xlsx {
    unzFile zf;                    /* the open zip */
    int entry_open;                /* a zip entry is open for reading */
    unsigned long long entry_size; /* its size as the zip directory gives */
    char *zip;        /* the workbook's path: a local header that minizip
                         refuses is read again here to say why */
    char err[512];    /* message of the error that ended the read */
    int failed;       /* an error ended the read; next() repeats it */
    const char *part; /* zip path being parsed, for messages */
    XML_Parser xp;    /* parser of the part being parsed */

    /* workbook */
    xsheet *sheets;            /* sheets in workbook order */
    size_t nsheets, capsheets; /* used and allocated entries */
    int in_sheets;             /* inside <sheets> */
    int date1904;              /* workbookPr date1904: serial 0 = 1904-01-01 */
    const char *sheet_name;    /* name of the sheet read (in sheets[]) */
    char **sheet_names;        /* every sheet's name (in sheets[]) */
    unsigned char *sheet_hidden; /* per sheet: hidden from the tabs */
    source_dropdown *dd;         /* validations of the sheet (owned) */
    size_t ndd, capdd;           /* used and allocated */
    int in_dv;                   /* inside <dataValidation> */
    int vcollect;                /* collecting 1 formula1, 2 formula2,
                                    3 sqref (of an x14 validation) */
    char vtext[4096];            /* its text so far */
    size_t vlen;                 /* bytes in vtext */
    char **merges;               /* merged ranges of the sheet (owned) */
    size_t nmerges, capmerges;   /* used and allocated */
    source_column *cols;         /* column runs of the sheet */
    size_t ncols, capcols;       /* used and allocated */
    xrel *rels;                  /* relationships of the workbook */
    size_t nrels, caprels;       /* used and allocated entries */

    /* shared strings: one arena, offsets[i]..offsets[i+1] is string i */
    char *ss;             /* arena of all strings, back to back */
    size_t sslen, sscap;  /* bytes used and allocated */
    uint32_t *ssoff;      /* nss+1 offsets (arena capped below 4 GiB) */
    size_t nss, capss;    /* strings stored, offsets allocated */
    int in_si, in_t, rph; /* inside <si>, collecting <t>, <rPh> depth */
    size_t si_start;      /* arena offset where the current <si> began */

    /* styles */
    xxf *xf;                /* each cellXfs <xf> */
    size_t nxf, capxf;      /* used and allocated entries */
    xfont *font;            /* each <font> */
    size_t nfont, capfont;  /* used and allocated entries */
    int in_fonts, in_font;  /* inside <fonts>, and one <font> */
    xfill *fill;            /* each <fill> */
    size_t nfill, capfill;  /* used and allocated entries */
    int in_fills;           /* inside <fills> */
    xborder *border;        /* each <border> */
    size_t nbord, capbord;  /* used and allocated entries */
    int in_borders;         /* inside <borders> */
    int bside;              /* the side of the border inside (0-3), or -1 */
    source_style *styles;   /* per cell style: what a copy keeps */
    xnumfmt *cf;            /* custom numFmts of styles.xml */
    size_t ncf, capcf;      /* used and allocated entries */
    int in_cellxfs;         /* inside <cellXfs> */
    unsigned char *xf_kind; /* FMT_* of each cell style, from the above */

    /* options */
    unsigned char *datecol; /* copy of opts->date_columns */
    size_t ndatecol;        /* entries in datecol */

    /* sheet streaming */
    int suspended;            /* parser suspended after a row */
    int final_sent;           /* the last (empty, final) buffer was parsed */
    int finished;             /* end of rows reached */
    int row_ready;            /* the </row> handler completed a row */
    unsigned long long bytes; /* uncompressed sheet bytes inflated */
    int in_sheetdata;         /* inside <sheetData> */
    int in_row;               /* inside <row> */
    int in_cell;              /* inside <c> */
    int in_is;                /* inside <is> of an inline string cell */
    int collect;              /* character data goes to the row arena */
    long rownum;              /* the current row's number */
    long prevrow;             /* the previous row's number (0 before any) */
    long col;                 /* the current cell's 0-based column */
    int ctype;                /* the current cell's CT_* */
    unsigned cstyle;          /* the current cell's s attribute */
    size_t cell_start;        /* row arena offset of the current cell's text */
    int cformula;             /* the current cell has an <f> */
    int cvalue;               /* the current cell has a <v> */
    int cdate;                /* its number was written as a date or time */
    int in_f;                 /* inside <f>: text goes to ftext */
    char ftext[64];           /* the formula's first bytes */
    size_t flen;              /* bytes in ftext */
    size_t fstart;            /* formula arena offset of the cell's <f> */
    int fdrop;                /* the formula is too long to keep */
    char *farena;             /* formulas of the current row's cells */
    size_t falen, facap;      /* bytes used and allocated */
    source_look *look;        /* what next() hands out: styles, formulas */

    /* shared formulas, hyperlinks and row heights of the sheet */
    long fsi;                    /* the <f>'s shared index, or -1: not shared */
    int fmaster;                 /* it is a shared formula's first cell */
    xshared *shared;             /* shared formulas by si (key set) */
    size_t capshared;            /* entries allocated (zeroed) */
    source_link *links;          /* hyperlinks; texts owned */
    char **link_rid;             /* per link: its r:id, or NULL */
    size_t nlinks, caplinks;     /* used and allocated entries */
    int links_resolved;          /* the sheet's rels were read for them */
    source_rowheight *heights;   /* rows of custom height */
    size_t nheights, capheights; /* used and allocated entries */

    /* the row: reused buffers, grown to the widest row seen */
    char *arena;             /* texts of the current row's cells */
    size_t alen, acap;       /* bytes used and allocated */
    xslot *slots;            /* one per column up to the last cell seen */
    size_t nslots, capslots; /* used and allocated */
    size_t last_nonempty;    /* last non-empty column + 1 */
    size_t width;            /* cells of the first row (the header), to
                                which shorter rows are padded; 0 before */
    int have_width;          /* the first row has been handed out */
    long *empties;           /* numbers of data rows with no non-empty cell
                                not handed out yet: given out only when a
                                non-empty row follows, so trailing ones
                                (styled blank rows that LibreOffice and
                                gnumeric write) are never seen */
    size_t nempty, capempty; /* used and allocated entries */
    size_t empty_next;       /* next of empties to hand out */
    int held;                /* a complete row waits behind the empties */
    source_cell *cells;      /* what next() hands out */
    unsigned char *kinds;    /* SOURCE_CELL_* bits of each cell handed out */
    size_t capcells;         /* allocated entries of cells (and kinds) */
} xlsx;

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static void fail(xlsx *x, const char *fmt, ...) {
    if (x->failed)
        return; /* keep the first message: later ones are consequences */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err, sizeof x->err, fmt, ap);
    va_end(ap);
    x->failed = 1;
}

/* From a handler: record the error and abort the parse. */
static void hfail(xlsx *x, const char *fmt, ...) {
    if (!x->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->err, sizeof x->err, fmt, ap);
        va_end(ap);
        x->failed = 1;
    }
    XML_StopParser(x->xp, XML_FALSE);
}

/* Local name of an element or attribute: "x:row" -> "row". Some writers
 * prefix the main namespace; we do not run expat in namespace mode (it
 * would build "uri|name" strings for every element). */
static const char *lname(const char *s) {
    const char *c = strrchr(s, ':');
    return c ? c + 1 : s;
}

/* Attribute NAME (local name) of an element; namespace declarations
 * ("xmlns:r") are never taken for an attribute "r". */
static const char *attr(const char **a, const char *name) {
    for (; a[0]; a += 2)
        if (strcmp(lname(a[0]), name) == 0 && strncmp(a[0], "xmlns", 5) != 0)
            return a[1];
    return NULL;
}

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Resolve a relationship target against BASE ("xl/"): absolute targets
 * ("/xl/worksheets/sheet1.xml") drop the slash, relative ones join BASE;
 * "." and ".." segments are folded. Returns a malloc'd path or NULL. */
static char *resolve(const char *base, const char *target) {
    size_t bl = strlen(base), tl = strlen(target);
    char *j = malloc(bl + tl + 1);
    if (!j) return NULL;
    if (target[0] == '/') {
        memcpy(j, target + 1, tl);
    } else {
        memcpy(j, base, bl);
        memcpy(j + bl, target, tl + 1);
    }
    /* fold segments in place: w writes, r reads, both at segment starts */
    char *w = j, *r = j;
    while (*r) {
        char *e = strchr(r, '/');
        size_t sl = e ? (size_t)(e - r) : strlen(r);
        if (sl == 0 || (sl == 1 && r[0] == '.')) {
            /* skip empty and "." */
        } else if (sl == 2 && r[0] == '.' && r[1] == '.') {
            if (w > j) { /* drop the last written segment */
                w--;
                while (w > j && w[-1] != '/')
                    w--;
            }
        } else {
            memmove(w, r, sl);
            w += sl;
            if (e) *w++ = '/';
        }
        r += sl + (e ? 1 : 0);
    }
    if (w > j && w[-1] == '/') w--;
    *w = '\0';
    return j;
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Decode Excel's _xHHHH_ escapes (control characters, and _x005F_ for a
 * literal underscore before "x") in place; UTF-8 of a BMP code point is at
 * most 3 bytes, shorter than the 7-byte escape, so the text only shrinks.
 * NUL and lone surrogates are left escaped. Returns the new length. The
 * memchr makes the common case (no underscore) one fast scan. */
static size_t unescape_x(char *s, size_t n) {
    char *u = memchr(s, '_', n);
    if (!u) return n;
    size_t i = (size_t)(u - s), o = i;
    while (i < n) {
        if (s[i] == '_' && n - i >= 7 && s[i + 1] == 'x' && s[i + 6] == '_') {
            int h0 = hexval((unsigned char)s[i + 2]);
            int h1 = hexval((unsigned char)s[i + 3]);
            int h2 = hexval((unsigned char)s[i + 4]);
            int h3 = hexval((unsigned char)s[i + 5]);
            if (h0 >= 0 && h1 >= 0 && h2 >= 0 && h3 >= 0) {
                unsigned cp = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
                if (cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
                    if (cp < 0x80) {
                        s[o++] = (char)cp;
                    } else if (cp < 0x800) {
                        s[o++] = (char)(0xC0 | cp >> 6);
                        s[o++] = (char)(0x80 | (cp & 0x3F));
                    } else {
                        s[o++] = (char)(0xE0 | cp >> 12);
                        s[o++] = (char)(0x80 | (cp >> 6 & 0x3F));
                        s[o++] = (char)(0x80 | (cp & 0x3F));
                    }
                    i += 7;
                    continue;
                }
            }
        }
        s[o++] = s[i++];
    }
    return o;
}

/* ------------------------------------------------------------------ */
/* dates                                                               */

/* Days since 1970-01-01 -> proleptic Gregorian y/m/d (H. Hinnant's
 * civil_from_days, exact for any int range we feed it). */
static void civil_from_days(long z, long *y, unsigned *m, unsigned *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long)yoe + era * 400 + (*m <= 2);
}

/* Excel serial V as ISO text into OUT (>= 24 bytes); KIND is FMT_DATE or
 * FMT_TIME. Returns the length, or 0 to keep the number as stored. */
static size_t serial_text(double v, int kind, int d1904, char *out) {
    if (!(v >= 0 && v < 3e6)) /* NaN, negative, beyond 9999-12-31 */
        return 0;
    /* round to the second: Excel stores 12:30 as 0.520833333333333 */
    long long t = (long long)floor(v * 86400.0 + 0.5);
    long days = (long)(t / 86400);
    long secs = (long)(t % 86400);
    unsigned hh = (unsigned)(secs / 3600), mi = (unsigned)(secs / 60 % 60),
             ss = (unsigned)(secs % 60);
    long z;
    if (kind == FMT_TIME && days == 0)
        return (size_t)snprintf(out, 24, "%02u:%02u:%02u", hh, mi, ss);
    if (d1904) {
        z = days - 24107; /* 1904-01-01 */
    } else {
        if (days == 60) /* 1900-02-29 does not exist: Excel's Lotus bug */
            return 0;
        if (days == 0) { /* Excel shows "1900-01-00": no date */
            if (secs == 0) return 0;
            return (size_t)snprintf(out, 24, "%02u:%02u:%02u", hh, mi, ss);
        }
        /* serials 1..59 count from 1899-12-31, later ones from 1899-12-30
         * because of the phantom leap day */
        z = days < 60 ? days - 25568 : days - 25569;
    }
    long y;
    unsigned m, d;
    civil_from_days(z, &y, &m, &d);
    if (y < 1 || y > 9999) return 0;
    if (secs == 0) return (size_t)snprintf(out, 24, "%04ld-%02u-%02u", y, m, d);
    return (size_t)snprintf(out, 24, "%04ld-%02u-%02uT%02u:%02u:%02u", y, m, d,
                            hh, mi, ss);
}

/* What a number format code shows. Sections, quoted text, backslash
 * escapes, _x padding, *x fill and [..] (colours, locales, conditions) are
 * skipped; [h] [mm] [ss] mark elapsed time. d or y means a date; m is a
 * month unless the code also has h or s (then it is minutes). */
static int fmt_kind(const char *s) {
    int date = 0, time = 0, m = 0, elapsed = 0;
    for (; *s; s++) {
        char c = *s;
        if (c == '"') {
            const char *e = strchr(s + 1, '"');
            if (!e) break;
            s = e;
        } else if (c == '\\' || c == '_' || c == '*') {
            if (!s[1]) break;
            s++;
        } else if (c == '[') {
            const char *e = strchr(s + 1, ']');
            if (!e) break;
            if (e > s + 1) {
                const char *q = s + 1;
                char c0 = (char)tolower((unsigned char)*q);
                if (c0 == 'h' || c0 == 'm' || c0 == 's') {
                    while (q < e && tolower((unsigned char)*q) == c0)
                        q++;
                    if (q == e) elapsed = 1;
                }
            }
            s = e;
        } else {
            switch (tolower((unsigned char)c)) {
            case 'd':
            case 'y':
                date = 1;
                break;
            case 'h':
            case 's':
                time = 1;
                break;
            case 'm':
                m = 1;
                break;
            default:
                break;
            }
        }
    }
    if (date || (m && !time && !elapsed)) return FMT_DATE;
    if (elapsed) return FMT_NONE; /* a duration: keep the number */
    if (time || m) return FMT_TIME;
    return FMT_NONE;
}

/* Built-in number formats (ECMA-376 18.8.30): 14-17, 22 dates; 18-21, 45,
 * 47 clock times; 46 [h]:mm:ss elapsed; 27-36, 50-58 East Asian dates. */
static int builtin_kind(unsigned id) {
    if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) ||
        (id >= 50 && id <= 58))
        return FMT_DATE;
    if ((id >= 18 && id <= 21) || id == 45 || id == 47) return FMT_TIME;
    return FMT_NONE;
}

/* ------------------------------------------------------------------ */
/* parsing a whole small part                                          */

static uint32_t le32(const unsigned char *p) {
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Why minizip would not open entry PATH, whose zip directory record is FI:
 * the record and the entry's local header (ZIP APPNOTE 4.3.7, 4.3.12) are
 * read again here and compared, so that the message names what disagrees
 * (a size the directory gives that the entry does not have, say) instead
 * of "damaged". */
static void local_header_problem(xlsx *x, const char *path,
                                 const unz_file_info64 *fi) {
    unsigned char cd[46], lh[30];
    ZPOS64_T at = unzGetOffset64(x->zf);
    FILE *f = x->zip ? fopen(x->zip, "rb") : NULL;
    int ok = f && fseeko(f, (off_t)at, SEEK_SET) == 0 &&
             fread(cd, 1, sizeof cd, f) == sizeof cd && le32(cd) == 0x02014b50;
    uint64_t off = ok ? le32(cd + 42) : 0;
    if (ok && off == 0xFFFFFFFFu) { /* in the zip64 extra field */
        unsigned name = cd[28] | cd[29] << 8, extra = cd[30] | cd[31] << 8;
        unsigned char ex[256];
        size_t n = extra < sizeof ex ? extra : sizeof ex;
        ok = fseeko(f, (off_t)(at + 46 + name), SEEK_SET) == 0 &&
             fread(ex, 1, n, f) == n;
        for (size_t i = 0; ok && i + 4 <= n;) {
            unsigned id = ex[i] | ex[i + 1] << 8,
                     len = ex[i + 2] | ex[i + 3] << 8;
            if (id == 1) { /* sizes first when the record's are 0xFFFFFFFF */
                size_t k = i + 4 +
                           8 * ((le32(cd + 24) == 0xFFFFFFFFu) +
                                (le32(cd + 20) == 0xFFFFFFFFu));
                if (k + 8 <= n)
                    off = le32(ex + k) | (uint64_t)le32(ex + k + 4) << 32;
                break;
            }
            i += 4 + len;
        }
    }
    int lok = ok && fseeko(f, (off_t)off, SEEK_SET) == 0 &&
              fread(lh, 1, sizeof lh, f) == sizeof lh;
    if (f) fclose(f);
    if (ok && (!lok || le32(lh) != 0x04034b50)) {
        fail(x,
             "damaged zip archive: no local header for %s at offset %llu, "
             "where the zip directory puts it",
             path, (unsigned long long)off);
        return;
    }
    /* sizes and CRC, unless a data descriptor after the data holds them */
    for (int k = 0; ok && !(lh[6] & 8) && k < 2; k++) {
        uint32_t got = le32(lh + (k ? 18 : 22));
        unsigned long long want =
            k ? fi->compressed_size : fi->uncompressed_size;
        if (got != 0xFFFFFFFFu && got != want) { /* 0xFFFFFFFF: zip64 */
            fail(x,
                 "damaged zip archive: the zip directory gives %s %llu bytes "
                 "%s, its own header %lu",
                 path, want, k ? "compressed" : "uncompressed",
                 (unsigned long)got);
            return;
        }
    }
    if (ok && !(lh[6] & 8) && le32(lh + 14) != fi->crc)
        fail(x,
             "damaged zip archive: the zip directory and the header of %s "
             "give different checksums",
             path);
    else
        fail(x, "damaged zip archive: cannot open %s", path);
}

static int open_entry(xlsx *x, const char *path) {
    unz_file_info64 fi;
    if (unzLocateFile(x->zf, path, 2) != UNZ_OK) /* 2: case-insensitive, as
                                                    OPC part names are */
        return 0;
    if (unzGetCurrentFileInfo64(x->zf, &fi, NULL, 0, NULL, 0, NULL, 0) !=
        UNZ_OK) {
        fail(x, "damaged zip archive: cannot read the entry of %s", path);
        return -1;
    }
    if (fi.flag & 1) {
        fail(x,
             "encrypted zip entry %s; save the workbook as .xlsx without "
             "a password",
             path);
        return -1;
    }
    if (fi.compression_method != 0 && fi.compression_method != Z_DEFLATED) {
        fail(x, "unsupported zip compression method %lu for %s",
             (unsigned long)fi.compression_method, path);
        return -1;
    }
    if (unzOpenCurrentFile(x->zf) != UNZ_OK) {
        local_header_problem(x, path, &fi);
        return -1;
    }
    x->entry_open = 1;
    x->entry_size = fi.uncompressed_size;
    return 1;
}

/* Close the open entry, read to its end; -1 on a CRC mismatch (damaged or
 * truncated data) or when it held another number of bytes than the zip
 * directory gives (minizip checks the CRC only when the two agree). */
static int close_entry(xlsx *x, const char *path) {
    if (!x->entry_open) return 0;
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    unsigned long long got = (unsigned long long)unztell64(x->zf);
    if (got != x->entry_size) {
        x->entry_open = 0;
        unzCloseCurrentFile(x->zf);
        fail(x,
             "damaged zip entry %s: the zip directory gives it %llu bytes "
             "uncompressed, it holds %llu",
             path, x->entry_size, got);
        return -1;
    }
#endif
    x->entry_open = 0;
    int rc = unzCloseCurrentFile(x->zf);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    /* let mutated XML through to the parser instead of stopping at CRC */
    if (rc == UNZ_CRCERROR) rc = UNZ_OK;
#endif
    if (rc != UNZ_OK) {
        fail(x, "damaged zip entry %s (crc error); the file is corrupt", path);
        return -1;
    }
    return 0;
}

static void xml_error(xlsx *x, const char *path) {
    fail(x, "malformed xml in %s line %lu column %lu: %s", path,
         (unsigned long)XML_GetCurrentLineNumber(x->xp),
         (unsigned long)XML_GetCurrentColumnNumber(x->xp) + 1,
         XML_ErrorString(XML_GetErrorCode(x->xp)));
}

static void XMLCALL no_doctype(void *ud, const XML_Char *name,
                               const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal) {
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    /* no OOXML part has a DTD; refusing one rules out entity tricks */
    hfail(ud, "unexpected DOCTYPE in %s", ((xlsx *)ud)->part);
}

static XML_Parser new_parser(xlsx *x, XML_StartElementHandler st,
                             XML_EndElementHandler en,
                             XML_CharacterDataHandler cd) {
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p) {
        fail(x, "out of memory");
        return NULL;
    }
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, st, en);
    if (cd) XML_SetCharacterDataHandler(p, cd);
    XML_SetStartDoctypeDeclHandler(p, no_doctype);
    return p;
}

/* Stream the part at PATH through handlers. 1 parsed, 0 absent, -1 error. */
static int parse_part(xlsx *x, const char *path, XML_StartElementHandler st,
                      XML_EndElementHandler en, XML_CharacterDataHandler cd) {
    int rc = open_entry(x, path);
    if (rc <= 0) return rc;
    x->part = path;
    x->xp = new_parser(x, st, en, cd);
    if (!x->xp) return -1;
    int ret = 1;
    for (;;) {
        void *buf = XML_GetBuffer(x->xp, XLSX_CHUNK);
        if (!buf) {
            fail(x, "out of memory");
            ret = -1;
            break;
        }
        int n = unzReadCurrentFile(x->zf, buf, XLSX_CHUNK);
        if (n < 0) {
            fail(x,
                 "damaged zip entry %s (inflate error %d); the file is "
                 "corrupt or truncated",
                 path, n);
            ret = -1;
            break;
        }
        if (XML_ParseBuffer(x->xp, n, n == 0) != XML_STATUS_OK) {
            if (!x->failed) xml_error(x, path);
            ret = -1;
            break;
        }
        if (n == 0) break;
    }
    XML_ParserFree(x->xp);
    x->xp = NULL;
    if (ret < 0) {
        x->entry_open = 0;
        unzCloseCurrentFile(x->zf);
        return -1;
    }
    return close_entry(x, path) < 0 ? -1 : 1;
}

/* ------------------------------------------------------------------ */
/* workbook.xml and its rels                                           */

static void XMLCALL wb_start(void *ud, const XML_Char *name,
                             const XML_Char **a) {
    xlsx *x = ud;
    const char *n = lname(name);
    if (strcmp(n, "sheets") == 0) {
        x->in_sheets = 1;
    } else if (x->in_sheets && strcmp(n, "sheet") == 0) {
        const char *nm = attr(a, "name"), *id = attr(a, "id");
        if (!nm) return;
        if (buf_grow(&x->sheets, &x->capsheets, x->nsheets + 1,
                     sizeof *x->sheets)) {
            hfail(x, "out of memory");
            return;
        }
        xsheet *s = &x->sheets[x->nsheets];
        memset(s, 0, sizeof *s);
        s->name = xstrdup(nm);
        s->rid = xstrdup(id ? id : "");
        const char *st = attr(a, "state");
        s->hidden = st && strcmp(st, "visible") != 0;
        if (!s->name || !s->rid) {
            free(s->name), free(s->rid);
            hfail(x, "out of memory");
            return;
        }
        x->nsheets++;
    } else if (strcmp(n, "workbookPr") == 0) {
        const char *v = attr(a, "date1904");
        if (v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0))
            x->date1904 = 1;
    }
}

static void XMLCALL wb_end(void *ud, const XML_Char *name) {
    xlsx *x = ud;
    if (strcmp(lname(name), "sheets") == 0) x->in_sheets = 0;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name,
                               const XML_Char **a) {
    xlsx *x = ud;
    if (strcmp(lname(name), "Relationship") != 0) return;
    const char *id = attr(a, "Id"), *tg = attr(a, "Target"),
               *ty = attr(a, "Type"), *mode = attr(a, "TargetMode");
    if (!id || !tg || !ty || (mode && strcmp(mode, "External") == 0)) return;
    if (buf_grow(&x->rels, &x->caprels, x->nrels + 1, sizeof *x->rels)) {
        hfail(x, "out of memory");
        return;
    }
    const char *slash = strrchr(ty, '/');
    xrel *r = &x->rels[x->nrels];
    r->id = xstrdup(id);
    r->type = xstrdup(slash ? slash + 1 : ty);
    r->target = resolve("xl/", tg);
    if (!r->id || !r->type || !r->target) {
        free(r->id), free(r->type), free(r->target);
        hfail(x, "out of memory");
        return;
    }
    x->nrels++;
}

static const xrel *rel_by_type(const xlsx *x, const char *type) {
    for (size_t i = 0; i < x->nrels; i++)
        if (strcmp(x->rels[i].type, type) == 0) return &x->rels[i];
    return NULL;
}

/* ------------------------------------------------------------------ */
/* sharedStrings.xml                                                   */

static int ss_push_offset(xlsx *x) {
    /* 600 million empty strings (3 GB of <si/> in a 4.5 MB zip) stop at
     * the bound, not after 2.4 GB of offsets */
    if (x->nss >= XLSX_SST_MAX_STRINGS) {
        hfail(x, "more than %u shared strings: not a workbook relec reads",
              XLSX_SST_MAX_STRINGS);
        return 0;
    }
    if (x->nss + 2 > x->capss &&
        buf_grow(&x->ssoff, &x->capss, x->nss + 2, sizeof *x->ssoff))
        return -1;
    x->ssoff[x->nss] = (uint32_t)x->si_start;
    x->nss++;
    x->ssoff[x->nss] = (uint32_t)x->sslen;
    return 0;
}

static void XMLCALL ss_start(void *ud, const XML_Char *name,
                             const XML_Char **a) {
    xlsx *x = ud;
    const char *n = lname(name);
    if (strcmp(n, "si") == 0) {
        x->in_si = 1;
        x->rph = 0;
        x->si_start = x->sslen;
    } else if (strcmp(n, "t") == 0) {
        x->in_t = x->in_si && x->rph == 0;
    } else if (strcmp(n, "rPh") == 0) {
        x->rph++; /* phonetic guide (furigana): not part of the value */
    } else if (strcmp(n, "sst") == 0) {
        /* preallocate the offsets from uniqueCount, within reason */
        const char *u = attr(a, "uniqueCount");
        unsigned long c = u ? strtoul(u, NULL, 10) : 0;
        if (c > XLSX_SST_PREALLOC) c = XLSX_SST_PREALLOC;
        if (c && buf_grow(&x->ssoff, &x->capss, c + 1, sizeof *x->ssoff))
            hfail(x, "out of memory");
    }
}

static void XMLCALL ss_end(void *ud, const XML_Char *name) {
    xlsx *x = ud;
    const char *n = lname(name);
    if (strcmp(n, "t") == 0) {
        x->in_t = 0;
    } else if (strcmp(n, "rPh") == 0) {
        if (x->rph) x->rph--;
    } else if (strcmp(n, "si") == 0 && x->in_si) {
        x->in_si = 0;
        x->in_t = 0;
        size_t len = x->sslen - x->si_start;
        x->sslen = x->si_start + unescape_x(x->ss + x->si_start, len);
        if (ss_push_offset(x)) hfail(x, "out of memory");
    }
}

static void XMLCALL ss_text(void *ud, const XML_Char *s, int len) {
    xlsx *x = ud;
    if (!x->in_t || len <= 0) return;
    size_t n = (size_t)len;
    if (x->sslen - x->si_start + n > XLSX_CELL_MAX) {
        hfail(x, "shared string %zu is larger than %u MiB", x->nss,
              XLSX_CELL_MAX >> 20);
        return;
    }
    if (x->sslen + n > XLSX_SST_MAX) {
        hfail(x, "shared strings are larger than %u MiB", XLSX_SST_MAX >> 20);
        return;
    }
    if (buf_grow(&x->ss, &x->sscap, x->sslen + n, 1)) {
        hfail(x, "out of memory");
        return;
    }
    memcpy(x->ss + x->sslen, s, n);
    x->sslen += n;
}

/* ------------------------------------------------------------------ */
/* styles.xml                                                          */

/* An ARGB colour attribute ("FFFF0000") as 0xRRGGBB; -1 when there is
 * none (a theme or indexed colour is not kept). */
static long argb(const char *v) {
    if (!v || strlen(v) != 8 || strspn(v, "0123456789abcdefABCDEF") != 8)
        return -1;
    return (long)(strtoul(v, NULL, 16) & 0xFFFFFFul);
}

/* The side a border element names: 0 left (or start), 1 right (end),
 * 2 top, 3 bottom; -1 another element. */
static int border_side(const char *n) {
    static const char *const sides[] = {"left",   "right", "top",
                                        "bottom", "start", "end"};
    for (int k = 0; k < 6; k++)
        if (!strcmp(n, sides[k])) return k % 4;
    return -1;
}

/* ST_BorderStyle's index of a style name (source_style.border); 0 none. */
static unsigned char border_style(const char *v) {
    static const char *const names[] = {"none",
                                        "thin",
                                        "medium",
                                        "dashed",
                                        "dotted",
                                        "thick",
                                        "double",
                                        "hair",
                                        "mediumDashed",
                                        "dashDot",
                                        "mediumDashDot",
                                        "dashDotDot",
                                        "mediumDashDotDot",
                                        "slantDashDot"};
    for (unsigned char k = 0; v && k < 14; k++)
        if (!strcmp(v, names[k])) return k;
    return 0;
}

static void XMLCALL st_start(void *ud, const XML_Char *name,
                             const XML_Char **a) {
    xlsx *x = ud;
    const char *n = lname(name);
    if (strcmp(n, "cellXfs") == 0) {
        x->in_cellxfs = 1;
    } else if (x->in_cellxfs && strcmp(n, "xf") == 0) {
        const char *id = attr(a, "numFmtId"), *font = attr(a, "fontId");
        if (buf_grow(&x->xf, &x->capxf, x->nxf + 1, sizeof *x->xf)) {
            hfail(x, "out of memory");
            return;
        }
        const char *fill = attr(a, "fillId"), *border = attr(a, "borderId");
        xxf *f = &x->xf[x->nxf++];
        f->fmt = id ? (unsigned)strtoul(id, NULL, 10) : 0;
        f->font = font ? (unsigned)strtoul(font, NULL, 10) : 0;
        f->fill = fill ? (unsigned)strtoul(fill, NULL, 10) : 0;
        f->border = border ? (unsigned)strtoul(border, NULL, 10) : 0;
    } else if (strcmp(n, "fonts") == 0) {
        x->in_fonts = 1;
    } else if (x->in_fonts && strcmp(n, "font") == 0) {
        if (buf_grow(&x->font, &x->capfont, x->nfont + 1, sizeof *x->font)) {
            hfail(x, "out of memory");
            return;
        }
        x->font[x->nfont++] = (xfont){0, 0, 0, -1, NULL};
        x->in_font = 1;
    } else if (x->in_font && (!strcmp(n, "b") || !strcmp(n, "i"))) {
        const char *v = attr(a, "val"); /* <b/>, <b val="1"/>, "true" */
        if (!v || !strcmp(v, "1") || !strcmp(v, "true"))
            x->font[x->nfont - 1].bi |= n[0] == 'b' ? 1 : 2;
    } else if (x->in_font && !strcmp(n, "u")) {
        static const char *const us[] = {
            "none", "single", "double", "singleAccounting", "doubleAccounting"};
        const char *v = attr(a, "val"); /* <u/>: single */
        unsigned char u = 1;
        for (unsigned char k = 0; v && k < 5; k++)
            if (!strcmp(v, us[k])) u = k;
        x->font[x->nfont - 1].u = u;
    } else if (x->in_font && !strcmp(n, "sz")) {
        const char *v = attr(a, "val");
        double sz = v ? strtod(v, NULL) : 0;
        if (sz >= 1 && sz <= 409) x->font[x->nfont - 1].sz = sz;
    } else if (x->in_font && !strcmp(n, "color")) {
        x->font[x->nfont - 1].rgb = argb(attr(a, "rgb"));
    } else if (x->in_font && !strcmp(n, "name")) {
        const char *v = attr(a, "val");
        xfont *f = &x->font[x->nfont - 1];
        if (v && *v && strlen(v) < 32 && !f->name && !(f->name = xstrdup(v))) {
            hfail(x, "out of memory");
            return;
        }
    } else if (strcmp(n, "fills") == 0) {
        x->in_fills = 1;
    } else if (x->in_fills && strcmp(n, "fill") == 0) {
        if (buf_grow(&x->fill, &x->capfill, x->nfill + 1, sizeof *x->fill)) {
            hfail(x, "out of memory");
            return;
        }
        x->fill[x->nfill++].rgb = -1;
    } else if (x->in_fills && x->nfill && strcmp(n, "patternFill") == 0) {
        const char *t = attr(a, "patternType");
        x->fill[x->nfill - 1].rgb = t && !strcmp(t, "solid") ? -2 : -1;
    } else if (x->in_fills && x->nfill && strcmp(n, "fgColor") == 0) {
        xfill *f = &x->fill[x->nfill - 1];
        if (f->rgb == -2) f->rgb = argb(attr(a, "rgb"));
    } else if (strcmp(n, "borders") == 0) {
        x->in_borders = 1;
    } else if (x->in_borders && strcmp(n, "border") == 0) {
        if (buf_grow(&x->border, &x->capbord, x->nbord + 1,
                     sizeof *x->border)) {
            hfail(x, "out of memory");
            return;
        }
        x->border[x->nbord++] = (xborder){{0}, {-1, -1, -1, -1}};
        x->bside = -1;
    } else if (x->in_borders && x->nbord && x->bside >= 0 &&
               strcmp(n, "color") == 0) {
        x->border[x->nbord - 1].rgb[x->bside] = argb(attr(a, "rgb"));
    } else if (x->in_borders && x->nbord && (x->bside = border_side(n)) >= 0) {
        x->border[x->nbord - 1].style[x->bside] =
            border_style(attr(a, "style"));
    } else if (strcmp(n, "numFmt") == 0) {
        const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
        if (!id || !code) return;
        if (buf_grow(&x->cf, &x->capcf, x->ncf + 1, sizeof *x->cf)) {
            hfail(x, "out of memory");
            return;
        }
        x->cf[x->ncf].id = (unsigned)strtoul(id, NULL, 10);
        x->cf[x->ncf].kind = fmt_kind(code);
        if (!(x->cf[x->ncf].code = xstrdup(code))) {
            hfail(x, "out of memory");
            return;
        }
        x->ncf++;
    }
}

static void XMLCALL st_end(void *ud, const XML_Char *name) {
    xlsx *x = ud;
    const char *n = lname(name);
    if (strcmp(n, "cellXfs") == 0) x->in_cellxfs = 0;
    if (strcmp(n, "fonts") == 0) x->in_fonts = 0;
    if (strcmp(n, "font") == 0) x->in_font = 0;
    if (strcmp(n, "fills") == 0) x->in_fills = 0;
    if (strcmp(n, "borders") == 0) x->in_borders = 0;
    if (x->in_borders && border_side(n) >= 0) x->bside = -1;
}

/* Resolve every cell style to FMT_* and to what a copy keeps: a custom
 * numFmt with the id wins over the built-in meaning (some writers
 * redefine 14). */
static int styles_finish(xlsx *x) {
    if (!x->nxf) return 0;
    x->xf_kind = malloc(x->nxf);
    x->styles = calloc(x->nxf, sizeof *x->styles);
    if (!x->xf_kind || !x->styles) return -1;
    for (size_t i = 0; i < x->nxf; i++) {
        unsigned id = x->xf[i].fmt;
        int k = builtin_kind(id);
        source_style *st = &x->styles[i];
        st->fmtid = id;
        for (size_t j = 0; j < x->ncf; j++)
            if (x->cf[j].id == id)
                k = x->cf[j].kind, st->numfmt = x->cf[j].code;
        x->xf_kind[i] = (unsigned char)k;
        st->color = st->fill = -1;
        for (int k = 0; k < 4; k++)
            st->border_color[k] = -1;
        if (x->xf[i].font < x->nfont) {
            const xfont *f = &x->font[x->xf[i].font], *d = &x->font[0];
            st->bold = f->bi & 1;
            st->italic = (f->bi >> 1) & 1;
            st->underline = f->u;
            /* what differs from the workbook's default font (the first) */
            if (f->name && (!d->name || strcmp(f->name, d->name)))
                st->font = f->name;
            if (f->sz && f->sz != d->sz) st->size = f->sz;
            if (f->rgb >= 0 && f->rgb != d->rgb) st->color = f->rgb;
        }
        if (x->xf[i].fill < x->nfill) st->fill = x->fill[x->xf[i].fill].rgb;
        if (st->fill < 0) st->fill = -1;
        if (x->xf[i].border < x->nbord) {
            const xborder *b = &x->border[x->xf[i].border];
            memcpy(st->border, b->style, sizeof st->border);
            for (int k = 0; k < 4; k++)
                st->border_color[k] = b->rgb[k];
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* the worksheet                                                       */

static int arena_reserve(xlsx *x, size_t extra) {
    if (x->alen + extra <= x->acap) return 0;
    if (x->alen + extra > XLSX_ROW_MAX) {
        hfail(x, "row %ld is larger than %u MiB", x->rownum,
              XLSX_ROW_MAX >> 20);
        return -1;
    }
    if (buf_grow(&x->arena, &x->acap, x->alen + extra, 1)) {
        hfail(x, "out of memory");
        return -1;
    }
    return 0;
}

/* Column letters of r="B7" -> 1-based column; 0 when there are no
 * letters; -1 beyond XFD. */
static long ref_col(const char *r) {
    long c = 0;
    int k = 0;
    for (; *r; r++, k++) {
        int ch = (unsigned char)*r;
        if (ch >= 'a' && ch <= 'z') ch -= 'a' - 'A';
        if (ch < 'A' || ch > 'Z') break;
        if (k >= 3) return -1;
        c = c * 26 + (ch - 'A' + 1);
    }
    return c > XLSX_MAX_COLS ? -1 : c;
}

static void col_name(long col, char *out) {
    char t[8];
    int k = 0;
    for (long c = col + 1; c > 0 && k < 7; c = (c - 1) / 26)
        t[k++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < k; i++)
        out[i] = t[k - 1 - i];
    out[k] = '\0';
}

/* Whether attribute value V is a true boolean ("1", "true"). */
static unsigned char truth(const char *v) {
    return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

/* A <dataValidation> (or x14:dataValidation) starts: a new entry, its
 * formulas and (x14) its range still to come. */
static void dv_start(xlsx *x, const XML_Char **a) {
    const char *t = attr(a, "type");
    static const char *const types[] = {"list", "whole",      "decimal", "date",
                                        "time", "textLength", "custom"};
    size_t k = 0;
    while (t && k < sizeof types / sizeof *types && strcmp(t, types[k]))
        k++;
    if (!t || k == sizeof types / sizeof *types || x->ndd >= XLSX_MAX_DV)
        return; /* type "none": any value */
    if (buf_grow(&x->dd, &x->capdd, x->ndd + 1, sizeof *x->dd)) {
        hfail(x, "out of memory");
        return;
    }
    source_dropdown *d = &x->dd[x->ndd++];
    memset(d, 0, sizeof *d);
    const char *sq = attr(a, "sqref"), *op = attr(a, "operator"),
               *es = attr(a, "errorStyle");
    d->type = types[k];
    d->range = sq ? xstrdup(sq) : NULL;
    d->op = op ? xstrdup(op) : NULL;
    d->prompt_title =
        attr(a, "promptTitle") ? xstrdup(attr(a, "promptTitle")) : NULL;
    d->prompt = attr(a, "prompt") ? xstrdup(attr(a, "prompt")) : NULL;
    d->error_title =
        attr(a, "errorTitle") ? xstrdup(attr(a, "errorTitle")) : NULL;
    d->error = attr(a, "error") ? xstrdup(attr(a, "error")) : NULL;
    d->allow_blank = truth(attr(a, "allowBlank"));
    d->show_input = truth(attr(a, "showInputMessage"));
    d->show_error = truth(attr(a, "showErrorMessage"));
    d->no_dropdown = truth(attr(a, "showDropDown")); /* "1": no arrow */
    d->error_style = !es                          ? 0
                     : !strcmp(es, "warning")     ? 1
                     : !strcmp(es, "information") ? 2
                                                  : 0;
    x->in_dv = 1;
}

static void link_start(xlsx *x, const char **a);

static void XMLCALL sh_start(void *ud, const XML_Char *name,
                             const XML_Char **a) {
    xlsx *x = ud;
    const char *n = lname(name);
    /* ordered by frequency: c and v dominate a sheet */
    if (n[0] == 'c' && n[1] == '\0') {
        if (!x->in_row || x->in_cell) return;
        /* one pass over the attributes: this runs once per cell */
        const char *r = NULL, *t = NULL, *s = NULL;
        for (; a[0]; a += 2) {
            const char *an = a[0];
            if (an[0] && !an[1]) {
                if (an[0] == 'r')
                    r = a[1];
                else if (an[0] == 't')
                    t = a[1];
                else if (an[0] == 's')
                    s = a[1];
            }
        }
        long col = x->col + 1; /* no r: follows the previous cell */
        if (r) {
            long c = ref_col(r);
            if (c < 0) {
                hfail(x,
                      "cell reference %.20s is beyond column XFD (16384 "
                      "columns) in row %ld",
                      r, x->rownum);
                return;
            }
            if (c > 0) col = c - 1;
        }
        if (col >= XLSX_MAX_COLS) {
            hfail(x, "row %ld has more than %d cells", x->rownum,
                  XLSX_MAX_COLS);
            return;
        }
        if ((size_t)col >= x->nslots) {
            if (buf_grow(&x->slots, &x->capslots, (size_t)col + 1,
                         sizeof *x->slots)) {
                hfail(x, "out of memory");
                return;
            }
            for (size_t i = x->nslots; i <= (size_t)col; i++) {
                x->slots[i].p = "";
                x->slots[i].n = 0;
                x->slots[i].kind = SOURCE_CELL_TEXT;
                x->slots[i].style = 0;
                x->slots[i].fn = 0;
            }
            x->nslots = (size_t)col + 1;
        }
        x->col = col;
        x->in_cell = 1;
        x->in_is = 0;
        x->cell_start = x->alen;
        x->cstyle = s ? (unsigned)strtoul(s, NULL, 10) : 0;
        x->slots[col].style = x->cstyle;
        x->slots[col].fn = 0;
        x->ctype = CT_N;
        x->cformula = x->cvalue = x->cdate = x->in_f = 0;
        x->flen = 0;
        if (t) {
            if (strcmp(t, "s") == 0)
                x->ctype = CT_S;
            else if (strcmp(t, "inlineStr") == 0)
                x->ctype = CT_INLINE;
            else if (strcmp(t, "str") == 0)
                x->ctype = CT_STR;
            else if (strcmp(t, "b") == 0)
                x->ctype = CT_B;
            else if (strcmp(t, "e") == 0)
                x->ctype = CT_E;
            else if (strcmp(t, "d") == 0)
                x->ctype = CT_D;
        }
    } else if (n[0] == 'v' && n[1] == '\0') {
        if (x->in_cell && !x->in_is) {
            x->alen = x->cell_start; /* only the last <v> counts */
            x->collect = 1;
            x->cvalue = 1;
        }
    } else if (n[0] == 'f' && n[1] == '\0') {
        if (x->in_cell && !x->in_is) {
            x->cformula = 1;
            x->in_f = 1;
            x->fstart = x->falen;
            x->fdrop = 0;
            const char *ft = attr(a, "t"), *si = attr(a, "si");
            x->fsi = -1;
            if (ft && !strcmp(ft, "shared") && si) {
                char *e;
                long v = strtol(si, &e, 10);
                if (e != si && !*e && v >= 0 && v < XLSX_MAX_SHARED) x->fsi = v;
            }
            x->fmaster = x->fsi >= 0 && attr(a, "ref") != NULL;
        }
    } else if (strcmp(n, "t") == 0) {
        if (x->in_is == 1) /* inside <is>, not inside <rPh> */
            x->collect = 1;
    } else if (strcmp(n, "is") == 0) {
        if (x->in_cell) {
            x->in_is = 1;
            x->alen = x->cell_start;
        }
    } else if (strcmp(n, "rPh") == 0) {
        if (x->in_is) x->in_is++; /* >1: inside a phonetic run */
    } else if (strcmp(n, "row") == 0) {
        if (!x->in_sheetdata || x->in_row) return;
        const char *r = attr(a, "r");
        long rn = x->prevrow + 1;
        if (r) {
            char *e;
            errno = 0;
            rn = strtol(r, &e, 10);
            if (e == r || *e || errno || rn < 1 || rn > XLSX_MAX_ROW) {
                hfail(x, "bad row number \"%.20s\" after row %ld", r,
                      x->prevrow);
                return;
            }
        }
        if (rn > XLSX_MAX_ROW) {
            hfail(x, "more than %ld rows", XLSX_MAX_ROW);
            return;
        }
        x->rownum = rn;
        x->in_row = 1;
        x->col = -1;
        const char *ht = attr(a, "ht");
        double h = ht && truth(attr(a, "customHeight")) ? strtod(ht, NULL) : 0;
        if (h > 0 && h <= 409 && x->nheights < XLSX_MAX_LINKS) { /* Excel's */
            if (buf_grow(&x->heights, &x->capheights, x->nheights + 1,
                         sizeof *x->heights)) {
                hfail(x, "out of memory");
                return;
            }
            x->heights[x->nheights++] = (source_rowheight){rn, h};
        }
    } else if (strcmp(n, "sheetData") == 0) {
        x->in_sheetdata = 1;
    } else if (strcmp(n, "dataValidation") == 0) {
        dv_start(x, a);
    } else if (x->in_dv && !x->vcollect &&
               (!strcmp(n, "formula1") || !strcmp(n, "formula2") ||
                !strcmp(n, "sqref"))) {
        x->vcollect = n[0] == 's' ? 3 : n[7] - '0';
        x->vlen = 0;
    } else if (strcmp(n, "hyperlink") == 0 && !x->in_sheetdata) {
        link_start(x, a);
    } else if (strcmp(n, "mergeCell") == 0) {
        const char *ref = attr(a, "ref");
        if (!ref || x->nmerges >= XLSX_MAX_MERGES) return;
        if (buf_grow(&x->merges, &x->capmerges, x->nmerges + 1,
                     sizeof *x->merges) ||
            !(x->merges[x->nmerges] = xstrdup(ref))) {
            hfail(x, "out of memory");
            return;
        }
        x->nmerges++;
    } else if (strcmp(n, "col") == 0 && !x->in_sheetdata) {
        const char *mn = attr(a, "min"), *mx = attr(a, "max"),
                   *w = attr(a, "width"), *h = attr(a, "hidden");
        long c1 = mn ? strtol(mn, NULL, 10) : 0,
             c2 = mx ? strtol(mx, NULL, 10) : c1;
        if (c1 < 1 || c2 < c1 || c2 > XLSX_MAX_COLS ||
            x->ncols >= XLSX_MAX_COLRUNS)
            return;
        if (buf_grow(&x->cols, &x->capcols, x->ncols + 1, sizeof *x->cols)) {
            hfail(x, "out of memory");
            return;
        }
        source_column *c = &x->cols[x->ncols++];
        c->first = c1 - 1;
        c->last = c2 - 1;
        c->width = w ? strtod(w, NULL) : 0;
        if (!(c->width >= 0 && c->width <= 255)) c->width = 0;
        c->hidden = h && (!strcmp(h, "1") || !strcmp(h, "true"));
    }
}

/* Rewrite a numeric cell's text at T (length N, in the arena at the cell
 * start) per the style and column; returns the new length. */
static size_t number_text(xlsx *x, char *t, size_t n) {
    int kind = FMT_NONE;
    if ((size_t)x->col < x->ndatecol && x->datecol[x->col])
        kind = FMT_DATE;
    else if (x->cstyle < x->nxf && x->xf_kind)
        kind = x->xf_kind[x->cstyle];
    /* fast path, most numbers in case data: a plain integer without
     * leading zeros ("-0" and "007" go the slow way) stays as is, no
     * strtod */
    if (kind == FMT_NONE) {
        size_t i = (n && t[0] == '-') ? 1 : 0;
        if (i < n && t[i] > '0' && t[i] <= '9') {
            for (; i < n; i++)
                if (t[i] < '0' || t[i] > '9') break;
            if (i == n) return n;
        } else if (n == 1 && t[0] == '0') {
            return n;
        }
    }
    char buf[64];
    if (n == 0 || n >= sizeof buf) return n;
    memcpy(buf, t, n);
    buf[n] = '\0';
    char *e;
    double v = strtod(buf, &e);   /* the C locale: tools do not setlocale */
    if (e == buf || *e) return n; /* not a number after all: keep the text */
    if (kind != FMT_NONE) {
        char out[24];
        size_t k = serial_text(v, kind, x->date1904, out);
        if (k) { /* the arena has room: ensured by the caller */
            memcpy(t, out, k);
            x->cdate = 1;
            return k;
        }
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        if (v == 0) v = 0; /* no "-0" */
        return (size_t)snprintf(t, 24, "%.0f", v);
    }
    return n;
}

/* Column letters and row digits of a reference such as $D$2 at *P, moved
 * past; 0, or -1 when there is none. */
static int parse_ref(const char **p, const char *e, long *col, long *row) {
    const char *q = *p;
    long c = 0, r = 0;
    int k = 0;
    if (q < e && *q == '$') q++;
    for (; q < e && *q >= 'A' && *q <= 'Z' && k < 3; q++, k++)
        c = c * 26 + (*q - 'A' + 1);
    if (!k) return -1;
    if (q < e && *q == '$') q++;
    for (k = 0; q < e && *q >= '0' && *q <= '9' && k < 8; q++, k++)
        r = r * 10 + (*q - '0');
    if (!k) return -1;
    *col = c - 1;
    *row = r;
    *p = q;
    return 0;
}

/* Whether the current cell's formula sums cells above it in its column:
 * SUM(D2:D9) or SUBTOTAL(9,D2:D9) in D10. */
static int col_sum(const xlsx *x) {
    const char *p = x->ftext, *e = x->ftext + x->flen;
    while (p < e && (*p == '=' || *p == ' '))
        p++;
    if (e - p > 4 && !strncasecmp(p, "SUM(", 4)) {
        p += 4;
    } else if (e - p > 9 && !strncasecmp(p, "SUBTOTAL(", 9)) {
        p += 9;
        while (p < e && *p != ',')
            p++;
        if (p++ == e) return 0;
    } else {
        return 0;
    }
    long c1, r1, c2, r2;
    if (parse_ref(&p, e, &c1, &r1) < 0 || p == e || *p++ != ':' ||
        parse_ref(&p, e, &c2, &r2) < 0 || p == e || *p != ')')
        return 0;
    return c1 == x->col && c2 == x->col && r1 < x->rownum && r2 < x->rownum;
}

/* SOURCE_CELL_* bits of the cell just ended, whose text has N bytes. */
static unsigned char cell_kind(const xlsx *x, size_t n) {
    unsigned char k = SOURCE_CELL_TEXT;
    /* no <v>, or an empty one where a number belongs (openpyxl writes
     * <v></v>); a string formula may well give "" */
    if (x->cformula && (!x->cvalue || (!n && x->ctype == CT_N)))
        k = SOURCE_CELL_NOVALUE;
    else if (x->ctype == CT_D || (x->ctype == CT_N && x->cdate))
        k = SOURCE_CELL_DATE;
    else if (x->ctype == CT_N && n)
        k = SOURCE_CELL_NUMBER;
    if (x->cformula) k |= SOURCE_CELL_FORMULA;
    if (x->cformula && col_sum(x)) k |= SOURCE_CELL_COLSUM;
    return k;
}

static void cell_end(xlsx *x) {
    x->in_cell = 0;
    x->in_is = 0;
    x->collect = 0;
    xslot *sl = &x->slots[x->col];
    size_t start = x->cell_start, n = x->alen - start;
    /* a cell with no text before any other: the arena may not exist yet,
     * and NULL + 0 is undefined (fuzz_xlsx, UBSan) */
    static char no_text[1];
    char *t = x->arena ? x->arena + start : no_text;
    sl->p = NULL;
    sl->off = start;
    switch (x->ctype) {
    case CT_S: {
        x->alen = start; /* the index text is not kept */
        sl->p = "";
        sl->n = 0;
        size_t i = 0, k = 0;
        while (i < n &&
               (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
            i++;
        if (i == n) break; /* no <v>: an empty cell */
        unsigned long long idx = 0;
        for (; i < n && t[i] >= '0' && t[i] <= '9' && k < 12; i++, k++)
            idx = idx * 10 + (unsigned)(t[i] - '0');
        while (i < n && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r'))
            i++;
        char ref[8];
        col_name(x->col, ref);
        if (k == 0 || i != n) {
            hfail(x, "bad shared string index \"%.*s\" in cell %s%ld",
                  (int)(n < 20 ? n : 20), t, ref, x->rownum);
            return;
        }
        if (idx >= x->nss) {
            hfail(x,
                  "shared string index %llu out of range in cell %s%ld "
                  "(the workbook has %zu shared strings)",
                  idx, ref, x->rownum, x->nss);
            return;
        }
        sl->p = x->ss + x->ssoff[idx];
        sl->n = x->ssoff[idx + 1] - x->ssoff[idx];
        break;
    }
    case CT_INLINE:
    case CT_STR:
        sl->n = unescape_x(t, n);
        x->alen = start + sl->n;
        break;
    case CT_B:
        x->alen = start;
        sl->n = n;
        if (n == 1 && (t[0] == '1' || t[0] == '0')) {
            sl->p = t[0] == '1' ? "true" : "false";
            sl->n = t[0] == '1' ? 4 : 5;
        } else {
            x->alen = start + n; /* odd value: keep the text */
        }
        break;
    case CT_D:
        /* "2024-03-01T00:00:00" -> "2024-03-01" */
        if (n >= 19 && memcmp(t + 10, "T00:00:00", 9) == 0) {
            size_t j = 19;
            if (j < n && t[j] == '.') {
                j++;
                while (j < n && t[j] == '0')
                    j++;
            }
            if (j == n || (j + 1 == n && t[j] == 'Z')) n = 10;
        }
        sl->n = n;
        x->alen = start + n;
        break;
    case CT_N:
        if (n) {
            /* room for the longest rewrite ("YYYY-MM-DDTHH:MM:SS", or
             * "%.0f" below 1e15 with its NUL) */
            if (arena_reserve(x, 24)) return;
            t = x->arena + start;
            n = number_text(x, t, n);
        }
        sl->n = n;
        x->alen = start + n;
        break;
    default: /* CT_E and unknown types: the text as stored */
        sl->n = n;
        break;
    }
    sl->kind = cell_kind(x, sl->n);
    if (x->cformula && x->falen > x->fstart) {
        sl->foff = x->fstart;
        sl->fn = x->falen - x->fstart;
    }
    if (!sl->n) sl->p = ""; /* never arena + off: the arena may not exist yet */
    if ((sl->n || sl->kind) && (size_t)x->col + 1 > x->last_nonempty)
        x->last_nonempty = (size_t)x->col + 1;
}

/* Reference token T..T+N of a formula (letters and digits, '$' before
 * either), shifted by DROW rows and DCOL columns where relative, into
 * OUT: a cell (A1, $A1, A$1, $A$1), or with RANGE (a ':' next to it) a
 * whole column (A, $A) or row (1, $1); "#REF!" when it moves off the
 * sheet. Returns bytes written (at most 16), or 0: not a reference. */
static size_t shift_ref(const char *t, size_t n, int range, long drow,
                        long dcol, char *out) {
    size_t i = 0;
    int cabs = 0, rabs = 0;
    long col = 0, row = 0;
    size_t letters = 0, digits = 0;
    if (i < n && t[i] == '$') cabs = 1, i++;
    while (i < n && isalpha((unsigned char)t[i]) && letters < 4)
        col = col * 26 + (toupper((unsigned char)t[i++]) - 'A' + 1), letters++;
    if (letters && i < n && t[i] == '$') rabs = 1, i++;
    while (i < n && isdigit((unsigned char)t[i]) && digits < 8)
        row = row * 10 + (t[i++] - '0'), digits++;
    if (i != n || letters > 3 || (!letters && !digits)) return 0;
    if (!letters) { /* a whole row: "$" was read as the column's */
        rabs = cabs, cabs = 0;
        if (!range) return 0;
    }
    if (!digits && (!range || rabs)) return 0; /* a whole column: no "$" */
    if (letters && col > XLSX_MAX_COLS) return 0;
    if (digits && (row < 1 || row > 1048576)) return 0;
    if (letters && !cabs) col += dcol;
    if (digits && !rabs) row += drow;
    if ((letters && (col < 1 || col > XLSX_MAX_COLS)) ||
        (digits && (row < 1 || row > 1048576))) {
        memcpy(out, "#REF!", 5);
        return 5;
    }
    size_t k = 0;
    if (letters) {
        if (cabs) out[k++] = '$';
        col_name(col - 1, out + k);
        k += strlen(out + k);
    }
    if (digits) {
        if (rabs) out[k++] = '$';
        k += (size_t)snprintf(out + k, 12, "%ld", row);
    }
    return k;
}

/* Formula F..F+N with its relative references shifted by DROW rows and
 * DCOL columns (Excel's rule for the cells of a shared formula), into OUT
 * (room for 13 * N + 16 bytes: a reference of one byte, a whole row or
 * column, grows to 12 and a NUL at most). Strings ("..."), quoted sheet names
 * ('...') and brackets ([...]) are copied; a name followed by "(" (a function)
 * or "!" (a sheet) is no reference. Returns bytes written. */
size_t source_xlsx_shift_formula(const char *f, size_t n, long drow, long dcol,
                                 char *out) {
    size_t i = 0, k = 0;
    while (i < n) {
        char c = f[i];
        if (c == '"' || c == '\'' || c == '[') {
            char end = c == '[' ? ']' : c;
            out[k++] = f[i++];
            while (i < n && f[i] != end)
                out[k++] = f[i++];
            if (i < n) out[k++] = f[i++];
            continue;
        }
        if (!isalnum((unsigned char)c) && c != '$' && c != '_' && c != '.' &&
            c != '\\') {
            out[k++] = f[i++];
            continue;
        }
        size_t j = i;
        while (j < n && (isalnum((unsigned char)f[j]) || f[j] == '$' ||
                         f[j] == '_' || f[j] == '.' || f[j] == '\\'))
            j++;
        int before = i > 0 && f[i - 1] == ':', after = j < n && f[j] == ':';
        int name = j < n && (f[j] == '(' || f[j] == '!');
        size_t w = name ? 0
                        : shift_ref(f + i, j - i, before || after, drow, dcol,
                                    out + k);
        if (w) {
            k += w;
        } else {
            memcpy(out + k, f + i, j - i);
            k += j - i;
        }
        i = j;
    }
    return k;
}

/* The <f> of a shared formula ended: its first cell's text is kept; any
 * other cell of it (no text of its own) gets that text shifted. */
static void shared_formula(xlsx *x) {
    size_t fn = x->falen - x->fstart;
    size_t had = x->capshared;
    if (buf_grow(&x->shared, &x->capshared, (size_t)x->fsi + 1,
                 sizeof *x->shared)) {
        hfail(x, "out of memory");
        return;
    }
    if (x->capshared > had)
        memset(x->shared + had, 0, (x->capshared - had) * sizeof *x->shared);
    xshared *sh = &x->shared[x->fsi];
    if (x->fmaster && fn && !x->fdrop) {
        char *t = realloc(sh->f, fn);
        if (!t) {
            hfail(x, "out of memory");
            return;
        }
        memcpy(t, x->farena + x->fstart, fn);
        *sh = (xshared){t, fn, x->rownum, x->col};
    } else if (!x->fmaster && !fn && sh->f) {
        if (buf_grow(&x->farena, &x->facap, x->fstart + 13 * sh->n + 16, 1)) {
            hfail(x, "out of memory");
            return;
        }
        size_t k =
            source_xlsx_shift_formula(sh->f, sh->n, x->rownum - sh->row,
                                      x->col - sh->col, x->farena + x->fstart);
        if (k > XLSX_FORMULA_MAX) k = 0; /* too long: not kept */
        x->falen = x->fstart + k;
        x->flen = k < sizeof x->ftext ? k : sizeof x->ftext;
        memcpy(x->ftext, x->farena + x->fstart, x->flen);
    }
}

/* A <hyperlink> (after the rows): its cell, and its address by r:id in
 * the sheet's rels (read at layout time) or its place in the workbook. */
static void link_start(xlsx *x, const char **a) {
    const char *ref = attr(a, "ref"), *rid = attr(a, "id"),
               *loc = attr(a, "location"), *tip = attr(a, "tooltip");
    if (!ref || (!rid && !loc) || x->nlinks >= XLSX_MAX_LINKS) return;
    size_t had = x->caplinks;
    if (buf_grow(&x->links, &x->caplinks, x->nlinks + 1, sizeof *x->links)) {
        hfail(x, "out of memory");
        return;
    }
    if (x->caplinks != had) {
        char **r = realloc(x->link_rid, x->caplinks * sizeof *r);
        if (!r) {
            x->caplinks = had; /* grown again next time */
            hfail(x, "out of memory");
            return;
        }
        x->link_rid = r;
    }
    source_link *l = &x->links[x->nlinks];
    *l = (source_link){xstrdup(ref), NULL, loc ? xstrdup(loc) : NULL,
                       tip ? xstrdup(tip) : NULL};
    x->link_rid[x->nlinks] = rid ? xstrdup(rid) : NULL;
    x->nlinks++;
    if (!l->ref || (loc && !l->location) || (tip && !l->tooltip) ||
        (rid && !x->link_rid[x->nlinks - 1]))
        hfail(x, "out of memory");
}

/* A Relationship of the sheet's rels: the address of its hyperlinks. */
static void XMLCALL link_rels_start(void *ud, const XML_Char *name,
                                    const XML_Char **a) {
    xlsx *x = ud;
    if (strcmp(lname(name), "Relationship") != 0) return;
    const char *id = attr(a, "Id"), *tg = attr(a, "Target"),
               *mode = attr(a, "TargetMode");
    if (!id || !tg || !mode || strcmp(mode, "External") != 0) return;
    for (size_t i = 0; i < x->nlinks; i++)
        if (x->link_rid[i] && !x->links[i].url && !strcmp(x->link_rid[i], id))
            x->links[i].url = xstrdup(tg);
}

/* After the sheet's end: the addresses of its hyperlinks, from its rels
 * (xl/worksheets/_rels/sheet1.xml.rels for xl/worksheets/sheet1.xml).
 * A workbook without them keeps its links to places inside it only. */
static void links_resolve(xlsx *x) {
    if (x->links_resolved || !x->finished || !x->nlinks || !x->part) return;
    x->links_resolved = 1;
    int any = 0;
    for (size_t i = 0; i < x->nlinks; i++)
        any |= x->link_rid[i] != NULL;
    const char *slash = strrchr(x->part, '/');
    if (!any || !slash) return;
    size_t dir = (size_t)(slash - x->part) + 1;
    char *rels = malloc(strlen(x->part) + 16);
    if (!rels) return;
    snprintf(rels, strlen(x->part) + 16, "%.*s_rels/%s.rels", (int)dir, x->part,
             slash + 1);
    if (x->xp) XML_ParserFree(x->xp); /* the sheet's, done */
    x->xp = NULL;
    if (x->entry_open) {
        unzCloseCurrentFile(x->zf);
        x->entry_open = 0;
    }
    const char *part = x->part;
    if (parse_part(x, rels, link_rels_start, NULL, NULL) < 0)
        x->failed = 0; /* a link without its address is left out, no more */
    x->part = part;
    free(rels);
}

static void XMLCALL sh_end(void *ud, const XML_Char *name) {
    xlsx *x = ud;
    const char *n = lname(name);
    if (n[0] == 'v' && n[1] == '\0') {
        x->collect = 0;
    } else if (n[0] == 'f' && n[1] == '\0') {
        x->in_f = 0;
        if (x->in_cell && x->fsi >= 0) shared_formula(x);
    } else if (n[0] == 'c' && n[1] == '\0') {
        if (x->in_cell) cell_end(x);
    } else if (n[0] == 't' && n[1] == '\0') {
        x->collect = 0;
    } else if (strcmp(n, "rPh") == 0) {
        if (x->in_is > 1) x->in_is--;
    } else if (strcmp(n, "is") == 0) {
        x->in_is = 0;
        x->collect = 0;
    } else if (strcmp(n, "row") == 0) {
        if (!x->in_row) return;
        if (x->in_cell) cell_end(x);
        x->in_row = 0;
        x->prevrow = x->rownum;
        x->row_ready = 1;
        /* hand the row out; the next next() resumes right here */
        XML_StopParser(x->xp, XML_TRUE);
    } else if (strcmp(n, "sheetData") == 0) {
        x->in_sheetdata = 0;
    } else if (x->vcollect && (!strcmp(n, "formula1") ||
                               !strcmp(n, "formula2") || !strcmp(n, "sqref"))) {
        size_t k = x->vlen; /* trimmed */
        const char *s = x->vtext;
        while (k && isspace((unsigned char)*s))
            s++, k--;
        while (k && isspace((unsigned char)s[k - 1]))
            k--;
        char *v = malloc(k + 1);
        if (v) memcpy(v, s, k), v[k] = 0;
        source_dropdown *d = &x->dd[x->ndd - 1];
        const char **slot = x->vcollect == 1   ? &d->formula
                            : x->vcollect == 2 ? &d->formula2
                                               : &d->range;
        if (*slot)
            free(v); /* the first one counts */
        else
            *slot = v;
        x->vcollect = 0;
    } else if (strcmp(n, "dataValidation") == 0) {
        x->in_dv = 0;
        x->vcollect = 0;
    }
}

static void XMLCALL sh_text(void *ud, const XML_Char *s, int len) {
    xlsx *x = ud;
    if (x->vcollect && len > 0) {
        size_t k = sizeof x->vtext - 1 - x->vlen;
        if ((size_t)len < k) k = (size_t)len;
        memcpy(x->vtext + x->vlen, s, k);
        x->vlen += k;
        return;
    }
    if (x->in_f) { /* its start for col_sum(), all of it for a copy */
        if (len <= 0) return;
        size_t k = sizeof x->ftext - x->flen;
        if ((size_t)len < k) k = (size_t)len;
        memcpy(x->ftext + x->flen, s, k);
        x->flen += k;
        if (x->fdrop || x->falen - x->fstart + (size_t)len > XLSX_FORMULA_MAX) {
            x->falen = x->fstart; /* too long: not kept */
            x->fdrop = 1;
            return;
        }
        if (buf_grow(&x->farena, &x->facap, x->falen + (size_t)len, 1)) {
            hfail(x, "out of memory");
            return;
        }
        memcpy(x->farena + x->falen, s, (size_t)len);
        x->falen += (size_t)len;
        return;
    }
    if (!x->collect || len <= 0) return;
    size_t n = (size_t)len;
    if (x->alen - x->cell_start + n > XLSX_CELL_MAX) {
        char ref[8];
        col_name(x->col, ref);
        hfail(x, "cell %s%ld is larger than %u MiB", ref, x->rownum,
              XLSX_CELL_MAX >> 20);
        return;
    }
    if (arena_reserve(x, n)) return;
    memcpy(x->arena + x->alen, s, n);
    x->alen += n;
}

/* Room for N cells and their kinds. */
static int grow_cells(xlsx *x, size_t n) {
    size_t cap = x->capcells;
    if (buf_grow(&x->cells, &x->capcells, n, sizeof *x->cells)) return -1;
    if (x->capcells != cap || !x->kinds || !x->look) {
        size_t c = x->capcells ? x->capcells : 1;
        unsigned char *k = realloc(x->kinds, c);
        if (k) x->kinds = k;
        source_look *l = realloc(x->look, c * sizeof *l);
        if (l) x->look = l;
        if (!k || !l) {
            x->capcells = 0; /* regrown, kinds and looks too, next time */
            return -1;
        }
    }
    return 0;
}

/* A row has the header's width at least: a sheet stores no trailing empty
 * cells, so a row whose last optional columns are blank would otherwise
 * look short, which the checker reads as shifted cells (row-shape). */
static void emit(xlsx *x, source_row *row) {
    size_t nk = x->last_nonempty; /* <= nslots */
    size_t nc = x->have_width && x->width > nk ? x->width : nk;
    if (grow_cells(x, nc)) {
        fail(x, "out of memory"); /* the caller turns this into -1 */
        nc = nk = 0;
    }
    for (size_t i = 0; i < nk; i++) {
        const xslot *sl = &x->slots[i];
        x->cells[i].p = sl->p ? sl->p : x->arena + sl->off;
        x->cells[i].n = sl->n;
        x->kinds[i] = sl->kind;
        x->look[i].style = sl->style;
        x->look[i].f = sl->fn ? x->farena + sl->foff : NULL;
        x->look[i].fn = sl->fn;
    }
    for (size_t i = nk; i < nc; i++) {
        x->cells[i].p = "";
        x->cells[i].n = 0;
        x->kinds[i] = SOURCE_CELL_TEXT;
        x->look[i] =
            (source_look){i < x->nslots ? x->slots[i].style : 0, NULL, 0};
    }
    if (!x->have_width) {
        x->have_width = 1;
        x->width = nc;
    }
    row->cells = x->cells;
    row->kinds = x->kinds;
    row->look = nc ? x->look : NULL;
    row->ncells = nc;
    row->row = x->rownum;
    row->flags = 0;
}

/* An empty data row NUM: the header's width of empty cells. */
static void emit_empty(xlsx *x, source_row *row, long num) {
    size_t nc = x->width;
    if (grow_cells(x, nc)) {
        fail(x, "out of memory");
        nc = 0;
    }
    for (size_t i = 0; i < nc; i++) {
        x->cells[i].p = "";
        x->cells[i].n = 0;
        x->kinds[i] = SOURCE_CELL_TEXT;
        x->look[i] = (source_look){0, NULL, 0};
    }
    row->cells = x->cells;
    row->kinds = x->kinds;
    row->look = nc ? x->look : NULL;
    row->ncells = nc;
    row->row = num;
    row->flags = 0;
}

static int xlsx_next(void *st, source_row *row, char *err, size_t errlen) {
    xlsx *x = st;
    if (x->failed) goto failed;
    if (x->held) { /* empty rows, then the row that followed them */
        if (x->empty_next < x->nempty) {
            emit_empty(x, row, x->empties[x->empty_next++]);
            if (x->failed) goto failed;
            return 1;
        }
        x->held = 0;
        x->nempty = x->empty_next = 0;
        emit(x, row);
        if (x->failed) goto failed;
        return 1;
    }
    if (x->finished) return 0;
    /* forget the previous row; buffers stay allocated */
    x->alen = 0;
    x->falen = 0;
    x->nslots = 0;
    x->last_nonempty = 0;
    for (;;) {
        enum XML_Status s;
        if (x->suspended) {
            x->suspended = 0;
            s = XML_ResumeParser(x->xp);
        } else if (x->final_sent) {
            x->finished = 1;
            return 0;
        } else {
            void *buf = XML_GetBuffer(x->xp, XLSX_CHUNK);
            if (!buf) {
                fail(x, "out of memory");
                goto failed;
            }
            int n = unzReadCurrentFile(x->zf, buf, XLSX_CHUNK);
            if (n < 0) {
                fail(x,
                     "damaged zip entry %s (inflate error %d); the file "
                     "is corrupt or truncated",
                     x->part, n);
                goto failed;
            }
            x->bytes += (unsigned)n;
            if (n == 0) {
                x->final_sent = 1;
                if (close_entry(x, x->part) < 0) goto failed;
            }
            s = XML_ParseBuffer(x->xp, n, n == 0);
        }
        if (s == XML_STATUS_SUSPENDED) {
            x->suspended = 1;
            if (x->row_ready) {
                x->row_ready = 0;
                if (x->have_width && x->last_nonempty == 0) {
                    /* hold back an empty row until a non-empty one */
                    if (buf_grow(&x->empties, &x->capempty, x->nempty + 1,
                                 sizeof *x->empties)) {
                        fail(x, "out of memory");
                        goto failed;
                    }
                    x->empties[x->nempty++] = x->rownum;
                    x->alen = 0;
                    x->falen = 0;
                    x->nslots = 0;
                    continue;
                }
                if (x->nempty) {
                    x->held = 1;
                    x->empty_next = 1;
                    emit_empty(x, row, x->empties[0]);
                    if (x->failed) goto failed;
                    return 1;
                }
                emit(x, row);
                if (x->failed) goto failed;
                return 1;
            }
            continue;
        }
        if (s == XML_STATUS_ERROR) {
            if (!x->failed) xml_error(x, x->part);
            goto failed;
        }
        /* XML_STATUS_OK: a buffer done; a completed row always suspends,
         * so none can be pending here */
        if (x->final_sent) {
            x->finished = 1;
            return 0;
        }
    }
failed:
    snprintf(err, errlen, "%s", x->err);
    return -1;
}

static void dd_free(source_dropdown *d) {
    free((char *)d->range);
    free((char *)d->formula);
    free((char *)d->formula2);
    free((char *)d->op);
    free((char *)d->prompt_title);
    free((char *)d->prompt);
    free((char *)d->error_title);
    free((char *)d->error);
}

/* The validations read, those with a range and a formula. */
static const source_dropdown *xlsx_dropdowns(void *st, size_t *n) {
    xlsx *x = st;
    size_t k = 0;
    for (size_t i = 0; i < x->ndd; i++) /* drop those without a formula */
        if (x->dd[i].range && x->dd[i].formula)
            x->dd[k++] = x->dd[i];
        else
            dd_free(&x->dd[i]);
    x->ndd = k;
    *n = k;
    return x->dd;
}

static void xlsx_layout(void *st, source_layout *l) {
    xlsx *x = st;
    links_resolve(x);
    l->links = x->links;
    l->nlinks = x->nlinks;
    l->heights = x->heights;
    l->nheights = x->nheights;
    l->styles = x->styles;
    l->nstyles = x->styles ? x->nxf : 0;
    l->merges = (const char *const *)x->merges;
    l->nmerges = x->nmerges;
    l->cols = x->cols;
    l->ncols = x->ncols;
}

static unsigned long long xlsx_bytes(void *st) {
    return ((xlsx *)st)->bytes;
}

static void xlsx_close(void *st) {
    xlsx *x = st;
    if (!x) return;
    free(x->empties);
    if (x->xp) XML_ParserFree(x->xp);
    if (x->zf) {
        if (x->entry_open) unzCloseCurrentFile(x->zf);
        unzClose(x->zf);
    }
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].rid);
        free(x->sheets[i].target);
    }
    free(x->sheets);
    free(x->zip);
    free(x->sheet_names);
    free(x->sheet_hidden);
    for (size_t i = 0; i < x->ndd; i++)
        dd_free(&x->dd[i]);
    free(x->dd);
    for (size_t i = 0; i < x->nmerges; i++)
        free(x->merges[i]);
    free(x->merges);
    free(x->cols);
    for (size_t i = 0; i < x->ncf; i++)
        free(x->cf[i].code);
    for (size_t i = 0; i < x->nfont; i++)
        free(x->font[i].name);
    free(x->font);
    free(x->fill);
    free(x->border);
    free(x->styles);
    free(x->farena);
    for (size_t i = 0; i < x->capshared; i++)
        free(x->shared[i].f);
    free(x->shared);
    for (size_t i = 0; i < x->nlinks; i++) {
        free((char *)x->links[i].ref);
        free((char *)x->links[i].url);
        free((char *)x->links[i].location);
        free((char *)x->links[i].tooltip);
        free(x->link_rid[i]);
    }
    free(x->links);
    free(x->link_rid);
    free(x->heights);
    free(x->look);
    for (size_t i = 0; i < x->nrels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].target);
        free(x->rels[i].type);
    }
    free(x->rels);
    free(x->ss);
    free(x->ssoff);
    free(x->xf);
    free(x->cf);
    free(x->xf_kind);
    free(x->datecol);
    free(x->arena);
    free(x->slots);
    free(x->cells);
    free(x->kinds);
    free(x);
}

/* ------------------------------------------------------------------ */
/* open                                                                */

/* strerror() with a lowercase first letter, as our messages are. */
static const char *lower_strerror(int e) {
    static _Thread_local char buf[128];
    snprintf(buf, sizeof buf, "%s", strerror(e));
    buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

/* Tell what the file is from its first bytes, before minizip sees it:
 * 0 a zip, -1 not (message set). */
static int check_magic(xlsx *x, const char *path) {
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fail(x, "cannot open the file: %s", lower_strerror(errno));
        return -1;
    }
    unsigned char m[8] = {0};
    size_t n = fread(m, 1, sizeof m, fp);
    int rerr = ferror(fp) ? errno : 0;
    fclose(fp);
    if (rerr) {
        fail(x, "cannot read the file: %s", lower_strerror(rerr));
        return -1;
    }
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0,
                                         0xA1, 0xB1, 0x1A, 0xE1};
    if (n == 0) {
        fail(x, "not an xlsx workbook: the file is empty");
        return -1;
    }
    if (n >= 4 && memcmp(m, ole, 4) == 0) {
        /* Excel wraps a password-protected .xlsx in an OLE compound file,
         * the same container as a legacy .xls */
        fail(x, "encrypted or legacy .xls workbook; save it as .xlsx "
                "without a password");
        return -1;
    }
    if (n >= 4 && m[0] == 'P' && m[1] == 'K' &&
        ((m[2] == 3 && m[3] == 4) || (m[2] == 5 && m[3] == 6)))
        return 0;
    if (n >= 5 && memcmp(m, "<?xml", 5) == 0) {
        fail(x, "not an xlsx workbook: an xml file (Excel 2003 xml?); save "
                "it as .xlsx");
        return -1;
    }
    fail(x, "not an xlsx workbook: not a zip archive");
    return -1;
}

/* The sheet opts->sheet names: its index, or -1 (message set). */
static long pick_sheet(xlsx *x, const char *want) {
    if (x->nsheets == 0) {
        fail(x, "the workbook lists no sheets");
        return -1;
    }
    if (!want || !*want) { /* first worksheet in workbook (tab) order */
        for (size_t i = 0; i < x->nsheets; i++)
            if (!x->sheets[i].chart) return (long)i;
        fail(x, "the workbook has no worksheet, only chart sheets");
        return -1;
    }
    for (size_t i = 0; i < x->nsheets; i++)
        if (strcmp(x->sheets[i].name, want) == 0) return (long)i;
    /* Excel sheet names are unique regardless of case */
    for (size_t i = 0; i < x->nsheets; i++) {
        const char *a = x->sheets[i].name, *b = want;
        while (*a && tolower((unsigned char)*a) == tolower((unsigned char)*b))
            a++, b++;
        if (!*a && !*b) return (long)i;
    }
    size_t k = 0;
    while (want[k] >= '0' && want[k] <= '9')
        k++;
    if (k > 0 && k < 9 && !want[k]) {
        long num = strtol(want, NULL, 10);
        if (num >= 1 && (size_t)num <= x->nsheets) return num - 1;
    }
    char list[400];
    size_t o = 0;
    list[0] = '\0';
    for (size_t i = 0; i < x->nsheets && o < sizeof list; i++) {
        int w = snprintf(list + o, sizeof list - o, "%s\"%s\"", i ? ", " : "",
                         x->sheets[i].name);
        if (w < 0) break;
        o += (size_t)w;
    }
    if (k > 0 && !want[k])
        fail(x, "no sheet %s: the workbook has %zu sheet%s: %s", want,
             x->nsheets, x->nsheets == 1 ? "" : "s", list);
    else
        fail(x, "no sheet \"%s\" in the workbook; sheets: %s", want, list);
    return -1;
}

static int do_open(xlsx *x, const char *path, const source_opts *opts) {
    if (check_magic(x, path) < 0) return -1;
    x->zf = unzOpen64(path);
    x->zip = xstrdup(path);
    if (!x->zf) {
        fail(x, "not an xlsx workbook: damaged or truncated zip archive");
        return -1;
    }
    int rc = parse_part(x, "xl/workbook.xml", wb_start, wb_end, NULL);
    if (rc < 0) return -1;
    if (rc == 0) {
        fail(x, "not an xlsx workbook (no xl/workbook.xml); an .ods? save "
                "it as .xlsx");
        return -1;
    }
    if (parse_part(x, "xl/_rels/workbook.xml.rels", rels_start, NULL, NULL) < 0)
        return -1;

    const xrel *r = rel_by_type(x, "sharedStrings");
    rc = parse_part(x, r ? r->target : "xl/sharedStrings.xml", ss_start, ss_end,
                    ss_text);
    if (rc < 0) return -1;
    r = rel_by_type(x, "styles");
    rc = parse_part(x, r ? r->target : "xl/styles.xml", st_start, st_end, NULL);
    if (rc < 0) return -1;
    if (styles_finish(x)) {
        fail(x, "out of memory");
        return -1;
    }

    /* each sheet's part from the rels; without rels, Excel's usual names */
    for (size_t i = 0; i < x->nsheets; i++) {
        xsheet *s = &x->sheets[i];
        for (size_t j = 0; j < x->nrels; j++) {
            if (strcmp(x->rels[j].id, s->rid) != 0) continue;
            s->target = xstrdup(x->rels[j].target);
            s->chart = strcmp(x->rels[j].type, "worksheet") != 0;
            break;
        }
        if (!s->target && x->nrels == 0) {
            char buf[48];
            snprintf(buf, sizeof buf, "xl/worksheets/sheet%zu.xml", i + 1);
            s->target = xstrdup(buf);
        }
    }

    if (opts && opts->ndate_columns && opts->date_columns) {
        x->datecol = malloc(opts->ndate_columns);
        if (!x->datecol) {
            fail(x, "out of memory");
            return -1;
        }
        memcpy(x->datecol, opts->date_columns, opts->ndate_columns);
        x->ndatecol = opts->ndate_columns;
    }

    long si = pick_sheet(x, opts ? opts->sheet : NULL);
    if (si < 0) return -1;
    xsheet *s = &x->sheets[si];
    if (!s->target) {
        fail(x,
             "sheet \"%s\" has no part in the workbook (r:id \"%s\" not "
             "in xl/_rels/workbook.xml.rels)",
             s->name, s->rid);
        return -1;
    }
    if (s->chart) {
        fail(x, "sheet \"%s\" is a chart sheet, not a worksheet", s->name);
        return -1;
    }
    rc = open_entry(x, s->target);
    if (rc < 0) return -1;
    if (rc == 0) {
        fail(x, "damaged workbook: sheet \"%s\" part %s is missing", s->name,
             s->target);
        return -1;
    }
    x->part = s->target; /* owned by sheets[], lives as long as x */
    x->sheet_name = s->name;
    x->sheet_names = calloc(x->nsheets + 1, sizeof *x->sheet_names);
    if (!x->sheet_names) {
        fail(x, "out of memory");
        return -1;
    }
    x->sheet_hidden = calloc(x->nsheets + 1, 1);
    if (!x->sheet_hidden) {
        fail(x, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < x->nsheets; i++) {
        x->sheet_names[i] = x->sheets[i].name;
        x->sheet_hidden[i] = (unsigned char)x->sheets[i].hidden;
    }
    x->xp = new_parser(x, sh_start, sh_end, sh_text);
    if (!x->xp) return -1;
    return 0;
}

int source_xlsx_open(const char *path, const source_opts *opts,
                     source_reader *out, char *err, size_t errlen) {
    xlsx *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (do_open(x, path, opts) < 0) {
        snprintf(err, errlen, "%s", x->err);
        xlsx_close(x);
        return -1;
    }
    out->state = x;
    out->next = xlsx_next;
    out->close = xlsx_close;
    out->bytes = xlsx_bytes;
    out->sparse = 1;
    out->dropdowns = xlsx_dropdowns;
    out->layout = xlsx_layout;
    out->sheet = x->sheet_name;
    out->sheets = (const char *const *)x->sheet_names;
    out->nsheets = x->nsheets;
    out->sheet_hidden = x->sheet_hidden;
    return 0;
}
