/*
 * test_source_xlsx.c: the streaming .xlsx reader, called directly through
 * its source_reader. Reads real Excel-made workbooks under tests/data/
 * (htcds/, ctdc-sample/: copies of the shared datasets), a gnumeric-made
 * fixture under
 * tests/data/xlsx/, workbooks written here with libxlsxwriter, and small
 * hand-made zips (minizip's zip.h) for what libxlsxwriter cannot write:
 * 1904 dates, inline strings, phonetic runs, prefixed elements, broken
 * parts. Everything written goes to a mkdtemp() directory, removed at exit.
 *
 * Build: gcc ... -Ilib tests/unit/test_source_xlsx.c lib/source_xlsx.c
 *        $(pkg-config --cflags --libs minizip expat xlsxwriter) -lm
 */
#include "t.h"

#include "source_impl.h"

#include <minizip/zip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#ifndef DATASETS
#define DATASETS "tests/data"
#endif
#ifndef TEST_DATA
#define TEST_DATA "tests/data/xlsx"
#endif

static char tmpdir[64]; /* mkdtemp() directory for written workbooks */

/* A file under tmpdir; four rotating buffers so calls can be nested. */
static const char *tpath(const char *name) {
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* The datasets live in tests/data (copies of the shared datasets): their
 * absence is a broken set-up, so it fails the test that needs them. */
static int have(const char *path) {
    if (access(path, R_OK) == 0) return 1;
    fprintf(stderr, "%s is missing (run from the repo top)\n", path);
    t_failed_checks++;
    return 0;
}

/* ------------------------------------------------------------------ */
/* a reader with its current row                                       */

typedef struct rd {
    source_reader r; /* the reader under test */
    source_row row;  /* the last row read */
    char err[512];   /* the last error */
    int rc;          /* last return of open (0/-1) or next (1/0/-1) */
} rd;

static int rd_open_opts(rd *d, const char *path, const source_opts *o) {
    memset(d, 0, sizeof *d);
    d->rc = source_xlsx_open(path, o, &d->r, d->err, sizeof d->err);
    if (d->rc != 0) d->r.state = NULL;
    return d->rc;
}

static int rd_open(rd *d, const char *path, const char *sheet) {
    source_opts o = {0};
    o.sheet = sheet;
    return rd_open_opts(d, path, &o);
}

static int rd_next(rd *d) {
    d->rc = d->r.next(d->r.state, &d->row, d->err, sizeof d->err);
    return d->rc;
}

static void rd_close(rd *d) {
    if (d->r.state) d->r.close(d->r.state);
    d->r.state = NULL;
}

/* Cell I of the current row as a C string ("" past the end), copied into
 * one of eight rotating buffers so several can appear in one check. */
static const char *cell(const rd *d, size_t i) {
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    if (i >= d->row.ncells) return "";
    size_t n = d->row.cells[i].n < 511 ? d->row.cells[i].n : 511;
    memcpy(buf[k], d->row.cells[i].p, n);
    buf[k][n] = '\0';
    return buf[k];
}

/* Read to the end; returns the rows read, or -1 on an error. */
static long rd_count(rd *d) {
    long n = 0;
    while (rd_next(d) == 1)
        n++;
    return d->rc < 0 ? -1 : n;
}

/* Opening PATH must fail with a message starting with WANT. */
static int open_fails(const char *path, const char *sheet, const char *want) {
    rd d;
    int rc = rd_open(&d, path, sheet);
    rd_close(&d);
    if (rc == 0) {
        fprintf(stderr, "open %s succeeded, want \"%s\"\n", path, want);
        return 0;
    }
    if (strncmp(d.err, want, strlen(want)) != 0) {
        fprintf(stderr, "open %s: \"%s\", want \"%s...\"\n", path, d.err, want);
        return 0;
    }
    return 1;
}

/* Reading PATH must end in an error (at open or at a row) starting with
 * WANT, never a crash. */
static int read_fails(const char *path, const char *want) {
    rd d;
    if (rd_open(&d, path, NULL) == 0) {
        rd_count(&d);
        int again = rd_next(&d); /* an error sticks */
        rd_close(&d);
        if (d.rc != -1 || again != -1) {
            fprintf(stderr, "reading %s did not fail, want \"%s\"\n", path,
                    want);
            return 0;
        }
    }
    if (strncmp(d.err, want, strlen(want)) != 0) {
        fprintf(stderr, "%s: \"%s\", want \"%s...\"\n", path, d.err, want);
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* writing files                                                       */

static void write_file(const char *path, const void *p, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        perror(path);
        exit(2);
    }
    fclose(f);
}

static char *read_whole(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return b;
}

/* A zip at PATH with PARTS = name, text, name, text, ..., NULL; METHOD 0
 * stores, Z_DEFLATED compresses. */
static void write_zip(const char *path, const char *const *parts, int method) {
    zipFile z = zipOpen(path, APPEND_STATUS_CREATE);
    if (!z) {
        fprintf(stderr, "zipOpen %s failed\n", path);
        exit(2);
    }
    for (; parts[0]; parts += 2) {
        zip_fileinfo zi;
        memset(&zi, 0, sizeof zi);
        if (zipOpenNewFileInZip(z, parts[0], &zi, NULL, 0, NULL, 0, NULL,
                                method,
                                method ? Z_DEFAULT_COMPRESSION : 0) != ZIP_OK ||
            zipWriteInFileInZip(z, parts[1], (unsigned)strlen(parts[1])) !=
                ZIP_OK ||
            zipCloseFileInZip(z) != ZIP_OK) {
            fprintf(stderr, "zip write %s failed\n", path);
            exit(2);
        }
    }
    zipClose(z, NULL);
}

#define XMLDECL                                                                \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL                                                                 \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_TYPE(t) NS_REL "/" t

static const char *const content_types =
    XMLDECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
            "content-types\"><Default Extension=\"xml\" "
            "ContentType=\"application/xml\"/></Types>";

/* Workbook with one sheet "Sheet1" at xl/worksheets/sheet1.xml, shared
 * strings SST (NULL: none) and sheet xml SHEET; METHOD as write_zip. */
static void write_simple(const char *path, const char *sst, const char *sheet,
                         int method) {
    const char *parts[] = {
        "[Content_Types].xml",
        content_types,
        "xl/workbook.xml",
        XMLDECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
                "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>"
                "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels",
        XMLDECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
                "package/2006/relationships\">"
                "<Relationship Id=\"rId1\" Type=\"" REL_TYPE(
                    "worksheet") "\" Target=\"worksheets/sheet1.xml\"/>"
                                 "<Relationship Id=\"rId2\" Type=\"" REL_TYPE(
                                     "sharedStrings") "\" "
                                                      "Target=\"sharedStrings."
                                                      "xml\"/></Relationships>",
        "xl/worksheets/sheet1.xml",
        sheet,
        sst ? "xl/sharedStrings.xml" : NULL,
        sst,
        NULL};
    write_zip(path, parts, method);
}

#define SHEET(rows)                                                            \
    XMLDECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" rows                \
            "</sheetData></worksheet>"

/* ------------------------------------------------------------------ */
/* real workbooks                                                      */

T_TEST(test_htcds_plain) {
    const char *p = DATASETS "/htcds/htcds-v2.0.xlsx";
    if (!have(p)) return;
    rd d;
    T_CHECK_INT(rd_open(&d, p, NULL), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 1);
    T_CHECK_INT(d.row.ncells, 39); /* A..AM, A empty */
    T_CHECK_STR(cell(&d, 0), "");
    T_CHECK_STR(cell(&d, 1), "cas_CaseOwner");
    T_CHECK_STR(cell(&d, 2), "prs_Salutation");
    T_CHECK_STR(cell(&d, 35), ""); /* AJ1 skipped in the file */
    T_CHECK_STR(cell(&d, 38), "cas_ReasonForCaseClosure");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 2);
    T_CHECK_STR(cell(&d, 1), "Case Owner");
    T_CHECK_STR(cell(&d, 6), "Birthdate");
    T_CHECK_STR(cell(&d, 35), "Reason for Outgoing Referral");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 3);
    /* styled empty cells trimmed, then padded to the header's 39 */
    T_CHECK_INT(d.row.ncells, 39);
    T_CHECK_STR(cell(&d, 0), "1");
    T_CHECK_STR(cell(&d, 38), "");
    T_CHECK_INT(rd_count(&d), 999);
    T_CHECK_INT(d.row.row, 1002);
    T_CHECK_INT(d.r.bytes(d.r.state), 82939); /* the sheet, inflated */
    T_CHECK_INT(rd_next(&d), 0);              /* end stays the end */
    rd_close(&d);
}

T_TEST(test_htcds_single_select) {
    const char *p = DATASETS "/htcds/htcds-single-select-v2.0.xlsx";
    if (!have(p)) return;
    rd d;
    /* default: the first sheet in tab order */
    T_CHECK_INT(rd_open(&d, p, NULL), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 1), "cas_CaseOwner");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 1), "Case Owner");
    T_CHECK_INT(rd_count(&d), 1000);
    rd_close(&d);

    T_CHECK_INT(rd_open(&d, p, "about"), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 0), "Microsoft Excel HTCDS 2.0");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 0), "https://github.com/UNMigration/HTCDS");
    T_CHECK_INT(rd_next(&d), 0);
    rd_close(&d);

    /* tab 3 is "validation", stored as sheet3.xml; tab 2 "about" is
     * sheet2.xml: order comes from workbook.xml, not file names */
    const char *sel[] = {"3", "validation", "VALIDATION"};
    for (int i = 0; i < 3; i++) {
        T_CHECK_INT(rd_open(&d, p, sel[i]), 0);
        T_CHECK_INT(rd_next(&d), 1);
        T_CHECK_INT(d.row.row, 1);
        T_CHECK_STR(cell(&d, 0), "Validation Lookups");
        T_CHECK_INT(rd_next(&d), 1);
        T_CHECK_INT(d.row.row, 3); /* row 2 is not in the file */
        T_CHECK_STR(cell(&d, 1), "Gender");
        T_CHECK_STR(cell(&d, 2), "Date Start");
        T_CHECK_INT(rd_next(&d), 1);
        T_CHECK_STR(cell(&d, 1), "Feminine");
        T_CHECK_STR(cell(&d, 2), "1900-01-01"); /* numFmtId 14 */
        T_CHECK_STR(cell(&d, 4), "Afghanistan");
        T_CHECK_INT(rd_next(&d), 1);
        T_CHECK_STR(cell(&d, 4), "\xc3\x85land Islands");
        T_CHECK_INT(rd_next(&d), 1);
        T_CHECK_STR(cell(&d, 2), "2100-01-01");
        rd_close(&d);
    }
    T_CHECK_INT(rd_open(&d, p, "2"), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 0), "Microsoft Excel HTCDS 2.0");
    rd_close(&d);

    T_CHECK(open_fails(p, "Cases",
                       "no sheet \"Cases\" in the workbook; sheets: \"Case "
                       "Sheet\", \"about\", \"validation\""));
    T_CHECK(open_fails(p, "4",
                       "no sheet 4: the workbook has 3 sheets: \"Case "
                       "Sheet\", \"about\", \"validation\""));
    T_CHECK(open_fails(p, "0", "no sheet 0"));
}

T_TEST(test_ctdc_definitions) {
    const char *p = DATASETS "/ctdc-sample/ctdc-sample-definitions.xlsx";
    if (!have(p)) return;
    rd d;
    T_CHECK_INT(rd_open(&d, p, NULL), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 0), "Column Name");
    T_CHECK_STR(cell(&d, 1), "Definition");
    T_CHECK_STR(cell(&d, 2), "Additional Notes");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 0), "registration_year");
    T_CHECK_INT(rd_count(&d), 16);
    rd_close(&d);

    T_CHECK_INT(rd_open(&d, p, "labor"), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 1), "parent_category_value");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 0), "Sexual");
    T_CHECK_STR(cell(&d, 1), "0");
    T_CHECK_STR(cell(&d, 2), "typeOfSexProstitution");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.ncells, 3);
    T_CHECK_STR(cell(&d, 0), "");
    T_CHECK_STR(cell(&d, 2), "typeOfSexPornography");
    rd_close(&d);

    T_CHECK_INT(rd_open(&d, p, "4"), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 0), "relationship_category");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 0), "recruiterRelationIntimatePartner");
    T_CHECK_STR(cell(&d, 1), "0");
    rd_close(&d);
}

/* Made with gnumeric (ssconvert gnumeric-from-csv.csv ...xlsx): inline
 * strings, pretty-printed XML, date1904="0", no sharedStrings.xml. */
T_TEST(test_gnumeric_fixture) {
    const char *p = TEST_DATA "/gnumeric-from-csv.xlsx";
    if (!have(p)) return;
    rd d;
    T_CHECK_INT(rd_open(&d, p, NULL), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.ncells, 5);
    T_CHECK_STR(cell(&d, 0), "case_id");
    T_CHECK_STR(cell(&d, 3), "reported");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 1), "Amina Khan");
    T_CHECK_STR(cell(&d, 2), "34");
    T_CHECK_STR(cell(&d, 3), "2024-03-01");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 1), "\xd9\x85\xd8\xb1\xdb\x8c\xd9\x85 "
                             "\xd8\xa7\xd8\xad\xd9\x85\xd8\xaf\xdb\x8c");
    T_CHECK_STR(cell(&d, 2), "");
    T_CHECK_STR(cell(&d, 3), "2023-12-31");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 1), "Doe, Jane");
    T_CHECK_STR(cell(&d, 2), "17.5");
    T_CHECK_STR(cell(&d, 3), "");
    T_CHECK_STR(cell(&d, 4), "UA");
    T_CHECK_INT(rd_next(&d), 0);
    rd_close(&d);
}

/* ------------------------------------------------------------------ */
/* libxlsxwriter workbooks                                             */

#define UR_VICTIM                                                              \
    "\xd9\x85\xd8\xaa\xd8\xa7\xd8\xab\xd8\xb1\xdb\x81 "                        \
    "\xd8\xb4\xd8\xae\xd8\xb5" /* Urdu: affected person */
#define FA_TRAFFICKING                                                         \
    "\xd9\x82\xd8\xa7\xda\x86\xd8\xa7\xd9\x82 "                                \
    "\xd8\xa7\xd9\x86\xd8\xb3\xd8\xa7\xd9\x86" /* Persian */

static void make_lxw(const char *path) {
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "cases");
    lxw_worksheet *ws2 = workbook_add_worksheet(wb, "second");
    lxw_worksheet *ws3 = workbook_add_worksheet(wb, "third sheet");
    lxw_format *fdate = workbook_add_format(wb);
    format_set_num_format(fdate, "yyyy-mm-dd");
    lxw_format *fdt = workbook_add_format(wb);
    format_set_num_format(fdt, "dd/mm/yyyy hh:mm:ss");
    lxw_format *ftime = workbook_add_format(wb);
    format_set_num_format(ftime, "hh:mm");
    lxw_format *fbold = workbook_add_format(wb);
    format_set_bold(fbold);

    const char *head[] = {"id",   "name_ur", "name_fa", "age",   "minor",
                          "date", "seen",    "time",    "serial"};
    for (int i = 0; i < 9; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)i, head[i], fbold);
    lxw_datetime dt = {2024, 3, 1, 0, 0, 0};
    lxw_datetime seen = {2024, 3, 1, 13, 45, 30};
    lxw_datetime tm = {0, 0, 0, 12, 30, 0};
    worksheet_write_number(ws, 1, 0, 1, NULL);
    worksheet_write_string(ws, 1, 1, UR_VICTIM, NULL);
    worksheet_write_string(ws, 1, 2, FA_TRAFFICKING, NULL);
    worksheet_write_number(ws, 1, 3, 34, NULL);
    worksheet_write_boolean(ws, 1, 4, 0, NULL);
    worksheet_write_datetime(ws, 1, 5, &dt, fdate);
    worksheet_write_datetime(ws, 1, 6, &seen, fdt);
    worksheet_write_datetime(ws, 1, 7, &tm, ftime);
    worksheet_write_number(ws, 1, 8, 45352, NULL);
    /* row 3 (index 2) left out; row 4 with columns skipped */
    worksheet_write_number(ws, 3, 1, 3.5, NULL);
    worksheet_write_boolean(ws, 3, 2, 1, NULL);
    worksheet_write_number(ws, 3, 4, -7, NULL);
    worksheet_write_number(ws, 3, 5, 1000.0, NULL);
    worksheet_write_number(ws, 3, 6, 1e20, NULL);
    worksheet_write_string(ws, 3, 7, UR_VICTIM, NULL); /* shared again */
    worksheet_write_string(ws, 3, 8,
                           "ctl\x01"
                           "char",
                           NULL);
    worksheet_write_blank(ws, 3, 12, fbold); /* styled blank: trimmed */
    worksheet_write_formula_str(ws, 4, 0, "=\"a\"&\"b\"", NULL, "ab");
    worksheet_write_formula_num(ws, 4, 1, "=40+2", NULL, 42);
    worksheet_write_string(ws2, 0, 0, "second-a1", NULL);
    worksheet_write_string(ws3, 2, 1, "third-b3", NULL);
    if (workbook_close(wb) != LXW_NO_ERROR) {
        fprintf(stderr, "libxlsxwriter failed on %s\n", path);
        exit(2);
    }
}

T_TEST(test_xlsxwriter_values) {
    const char *p = tpath("lxw.xlsx");
    make_lxw(p);
    rd d;
    T_CHECK_INT(rd_open(&d, p, NULL), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 1);
    T_CHECK_INT(d.row.ncells, 9);
    T_CHECK_STR(cell(&d, 0), "id");
    T_CHECK_STR(cell(&d, 8), "serial");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 2);
    T_CHECK_STR(cell(&d, 0), "1");
    T_CHECK_STR(cell(&d, 1), UR_VICTIM);
    T_CHECK_STR(cell(&d, 2), FA_TRAFFICKING);
    T_CHECK_STR(cell(&d, 3), "34");
    T_CHECK_STR(cell(&d, 4), "false");
    T_CHECK_STR(cell(&d, 5), "2024-03-01");
    T_CHECK_STR(cell(&d, 6), "2024-03-01T13:45:30");
    T_CHECK_STR(cell(&d, 7), "12:30:00");
    T_CHECK_STR(cell(&d, 8), "45352"); /* not flagged as a date column */
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 4);    /* row 3 skipped */
    T_CHECK_INT(d.row.ncells, 9); /* the styled blank M4 is trimmed */
    T_CHECK_STR(cell(&d, 0), "");
    T_CHECK_STR(cell(&d, 1), "3.5");
    T_CHECK_STR(cell(&d, 2), "true");
    T_CHECK_STR(cell(&d, 3), "");
    T_CHECK_STR(cell(&d, 4), "-7");
    T_CHECK_STR(cell(&d, 5), "1000");
    T_CHECK_STR(cell(&d, 6), "1E+20"); /* beyond 1e15: as stored */
    T_CHECK_STR(cell(&d, 7), UR_VICTIM);
    T_CHECK_STR(cell(&d, 8), "ctl\x01"
                             "char"); /* _x0001_ decoded */
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 5);
    T_CHECK_STR(cell(&d, 0), "ab");
    T_CHECK_STR(cell(&d, 1), "42");
    T_CHECK_INT(rd_next(&d), 0);
    rd_close(&d);

    /* a flagged column turns its serials into dates */
    unsigned char dc[9] = {0};
    dc[8] = 1;
    source_opts o = {0};
    o.date_columns = dc;
    o.ndate_columns = 9;
    T_CHECK_INT(rd_open_opts(&d, p, &o), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 8), "serial"); /* strings untouched */
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 8), "2024-03-01");
    rd_close(&d);

    T_CHECK_INT(rd_open(&d, p, "second"), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 0), "second-a1");
    T_CHECK_INT(rd_next(&d), 0);
    rd_close(&d);
    T_CHECK_INT(rd_open(&d, p, "3"), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 3);
    T_CHECK_INT(d.row.ncells, 2);
    T_CHECK_STR(cell(&d, 1), "third-b3");
    rd_close(&d);
    T_CHECK_INT(rd_open(&d, p, "third sheet"), 0);
    rd_close(&d);
    T_CHECK(open_fails(p, "fourth",
                       "no sheet \"fourth\" in the workbook; sheets: "
                       "\"cases\", \"second\", \"third sheet\""));
}

/* ------------------------------------------------------------------ */
/* hand-made workbooks                                                 */

static const char *const hm_sst = XMLDECL
    "<sst xmlns=\"" NS_MAIN "\" count=\"5\" uniqueCount=\"5\">"
    "<si><t>plain</t></si>"
    "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">bold </t></r>"
    "<r><t>and normal</t></r></si>"
    "<si><t>\xe6\x9d\xb1\xe4\xba\xac</t><rPh sb=\"0\" eb=\"2\"><t>"
    "\xe3\x83\x88\xe3\x82\xa6\xe3\x82\xad\xe3\x83\xa7\xe3\x82\xa6</t></rPh>"
    "<phoneticPr fontId=\"1\"/></si>"
    "<si><t>line_x000D_break_x005F_x0041_</t></si>"
    "<si/></sst>";

static const char *const hm_styles = XMLDECL
    "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"5\">"
    "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"[h]:mm\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"h:mm\"/>"
    "<numFmt numFmtId=\"167\" formatCode=\"&quot;d&quot;0\"/>"
    "<numFmt numFmtId=\"168\" formatCode=\"[$-409]mmm\\-yy;@\"/>"
    "</numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/>"
    "<xf numFmtId=\"168\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";

static void make_handmade(const char *path, int d1904) {
    const char *wb =
        d1904 ? XMLDECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL
                        "\"><workbookPr date1904=\"1\"/><sheets>"
                        "<sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/>"
                        "<sheet name=\"Pre\" sheetId=\"2\" r:id=\"rId2\"/>"
                        "</sheets></workbook>"
              : XMLDECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL
                        "\"><workbookPr/><sheets>"
                        "<sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/>"
                        "<sheet name=\"Pre\" sheetId=\"2\" r:id=\"rId2\"/>"
                        "</sheets></workbook>";
    const char *rels = XMLDECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
        "package/2006/relationships\">"
        "<Relationship Id=\"rId3\" Type=\"" REL_TYPE(
            "sharedStrings") "\" Target=\"strings.xml\"/>"
                             "<Relationship Id=\"rId1\" Type=\"" REL_TYPE(
                                 "worksheet") "\" "
                                              "Target=\"/xl/worksheets/"
                                              "data.xml\"/>"
                                              "<Relationship Id=\"rId2\" "
                                              "Type=\"" REL_TYPE(
                                                  "worksheet") "\" "
                                                               "Target=\"./"
                                                               "worksheets/../"
                                                               "worksheets/"
                                                               "pre.xml\"/>"
                                                               "<Relationship "
                                                               "Id=\"rId4\" "
                                                               "Type="
                                                               "\"" REL_TYPE(
                                                                   "styles") "\" Target=\"styles.xml\"/>"
                                                                             "<"
                                                                             "R"
                                                                             "e"
                                                                             "l"
                                                                             "a"
                                                                             "t"
                                                                             "i"
                                                                             "o"
                                                                             "n"
                                                                             "s"
                                                                             "h"
                                                                             "i"
                                                                             "p"
                                                                             " "
                                                                             "I"
                                                                             "d"
                                                                             "="
                                                                             "\"rId9\" Type=\"" REL_TYPE(
                                                                                 "hyperlink") "\" Target=\"https://example.org/\" TargetMode=\"External\"/>"
                                                                                              "</Relationships>";
    const char *data = XMLDECL
        "<worksheet xmlns=\"" NS_MAIN "\" xmlns:x=\"" NS_MAIN "\">"
        "<sheetPr/><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\">"
        "<v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\">"
        "<v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c></row>"
        /* no r on the row or its cells */
        "<row><c><v>1</v></c><c t=\"b\"><v>1</v></c><c t=\"b\"><v>0</v></c>"
        "<c t=\"e\"><v>#N/A</v></c>"
        "<c t=\"str\"><f>A1&amp;B1</f><v>ab</v></c>"
        "<c t=\"inlineStr\"><is><r><t>in</t></r><r><rPr/><t>line</t></r>"
        "<rPh><t>x</t></rPh></is></c>"
        "<c t=\"d\"><v>2024-03-01T00:00:00</v></c>"
        "<c t=\"d\"><v>2024-03-01T10:20:00</v></c>"
        "<c t=\"s\"/></row>"
        "<row r=\"5\"><c r=\"B5\"><v>3.0000000000000004</v></c>"
        "<c r=\"D5\"><v>1E3</v></c><c r=\"E5\"><v>3.0</v></c>"
        "<c r=\"F5\"><v>-0</v></c><c r=\"G5\"><v>0.1</v></c>"
        "<c r=\"H5\"><v>1E+20</v></c><c r=\"I5\"><v>-12</v></c>"
        "<c r=\"J5\"><v>123456789012345678</v></c></row>"
        "<row r=\"6\"><c r=\"A6\" s=\"1\"><v>0</v></c>"
        "<c r=\"B6\" s=\"1\"><v>43831</v></c><c r=\"C6\" s=\"2\"><v>1.5</v></c>"
        "<c r=\"D6\" s=\"3\"><v>0.5</v></c><c r=\"E6\" s=\"4\"><v>7</v></c>"
        "<c r=\"F6\" s=\"5\"><v>45000.25</v></c>"
        "<c r=\"G6\" s=\"6\"><v>1</v></c><c r=\"H6\" s=\"1\"><v>-1</v></c>"
        "<c r=\"I6\" s=\"99\"><v>5</v></c></row>"
        "<x:row r=\"7\"><x:c r=\"C7\" t=\"inlineStr\"><x:is><x:t>pref</x:t>"
        "</x:is></x:c></x:row>"
        "<row r=\"8\"/>"
        "<row r=\"9\"><c r=\"A9\" s=\"1\"/><c r=\"Z9\" s=\"1\"/></row>"
        "<row r=\"10\"><c r=\"XFD10\"><v>9</v></c></row>"
        "</sheetData><mergeCells count=\"0\"/></worksheet>";
    const char *pre = SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
                            "</row>");
    const char *parts[] = {"[Content_Types].xml",
                           content_types,
                           "xl/workbook.xml",
                           wb,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/strings.xml",
                           hm_sst,
                           "xl/styles.xml",
                           hm_styles,
                           "xl/worksheets/data.xml",
                           data,
                           "xl/worksheets/pre.xml",
                           pre,
                           NULL};
    write_zip(path, parts, Z_DEFLATED);
}

T_TEST(test_handmade_1904) {
    const char *p = tpath("hand1904.xlsx");
    make_handmade(p, 1);
    rd d;
    T_CHECK_INT(rd_open(&d, p, NULL), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.ncells, 4); /* E1 is the empty string */
    T_CHECK_STR(cell(&d, 0), "plain");
    T_CHECK_STR(cell(&d, 1), "bold and normal");
    T_CHECK_STR(cell(&d, 2), "\xe6\x9d\xb1\xe4\xba\xac"); /* no furigana */
    T_CHECK_STR(cell(&d, 3), "line\rbreak_x0041_");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 2);
    T_CHECK_INT(d.row.ncells, 8);
    T_CHECK_STR(cell(&d, 0), "1");
    T_CHECK_STR(cell(&d, 1), "true");
    T_CHECK_STR(cell(&d, 2), "false");
    T_CHECK_STR(cell(&d, 3), "#N/A");
    T_CHECK_STR(cell(&d, 4), "ab");
    T_CHECK_STR(cell(&d, 5), "inline");
    T_CHECK_STR(cell(&d, 6), "2024-03-01");
    T_CHECK_STR(cell(&d, 7), "2024-03-01T10:20:00");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 5);
    T_CHECK_INT(d.row.ncells, 10);
    T_CHECK_STR(cell(&d, 0), "");
    T_CHECK_STR(cell(&d, 1), "3.0000000000000004");
    T_CHECK_STR(cell(&d, 2), "");
    T_CHECK_STR(cell(&d, 3), "1000");
    T_CHECK_STR(cell(&d, 4), "3");
    T_CHECK_STR(cell(&d, 5), "0");
    T_CHECK_STR(cell(&d, 6), "0.1");
    T_CHECK_STR(cell(&d, 7), "1E+20");
    T_CHECK_STR(cell(&d, 8), "-12");
    T_CHECK_STR(cell(&d, 9), "123456789012345678");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 6);
    T_CHECK_STR(cell(&d, 0), "1904-01-01");
    T_CHECK_STR(cell(&d, 1), "2024-01-02");
    T_CHECK_STR(cell(&d, 2), "1.5");      /* [h]:mm elapsed: a number */
    T_CHECK_STR(cell(&d, 3), "12:00:00"); /* h:mm */
    T_CHECK_STR(cell(&d, 4), "7");        /* "d"0: quoted, not a date */
    T_CHECK_STR(cell(&d, 5), "2027-03-16T06:00:00");
    T_CHECK_STR(cell(&d, 6), "1904-01-02"); /* built-in 14 */
    T_CHECK_STR(cell(&d, 7), "-1");
    T_CHECK_STR(cell(&d, 8), "5"); /* style index out of range: plain */
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 7);
    T_CHECK_INT(d.row.ncells, 4); /* 3 cells, padded to the header's 4 */
    T_CHECK_STR(cell(&d, 2), "pref");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 8);
    T_CHECK_INT(d.row.ncells, 4); /* no cells: all empty */
    T_CHECK_STR(cell(&d, 0), "");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 9);
    T_CHECK_INT(d.row.ncells, 4);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 10);
    T_CHECK_INT(d.row.ncells, 16384);
    T_CHECK_STR(cell(&d, 16383), "9");
    T_CHECK_STR(cell(&d, 100), "");
    T_CHECK_INT(rd_next(&d), 0);
    rd_close(&d);

    const char *sel[] = {"Pre", "2"};
    for (int i = 0; i < 2; i++) {
        T_CHECK_INT(rd_open(&d, p, sel[i]), 0);
        T_CHECK_INT(rd_next(&d), 1);
        T_CHECK_STR(cell(&d, 0), "plain");
        T_CHECK_INT(rd_next(&d), 0);
        rd_close(&d);
    }
}

T_TEST(test_handmade_1900_serials) {
    const char *p = tpath("hand1900.xlsx");
    make_handmade(p, 0);
    rd d;
    T_CHECK_INT(rd_open(&d, p, NULL), 0);
    while (rd_next(&d) == 1 && d.row.row != 6)
        ;
    T_CHECK_INT(d.row.row, 6);
    T_CHECK_STR(cell(&d, 0), "0"); /* 1900-01-00 does not exist */
    T_CHECK_STR(cell(&d, 1), "2020-01-01");
    T_CHECK_STR(cell(&d, 5), "2023-03-15T06:00:00");
    T_CHECK_STR(cell(&d, 6), "1900-01-01");
    rd_close(&d);

    /* serial edge cases, all in a date-flagged column A */
    const char *sheet =
        SHEET("<row r=\"1\"><c r=\"A1\"><v>59</v></c></row>"
              "<row r=\"2\"><c r=\"A2\"><v>60</v></c></row>"
              "<row r=\"3\"><c r=\"A3\"><v>61</v></c></row>"
              "<row r=\"4\"><c r=\"A4\"><v>45352.5</v></c></row>"
              "<row r=\"5\"><c r=\"A5\"><v>2958465</v></c></row>"
              "<row r=\"6\"><c r=\"A6\"><v>2958466</v></c></row>"
              "<row r=\"7\"><c r=\"A7\"><v>0.75</v></c></row>"
              "<row r=\"8\"><c r=\"A8\"><v>45351.99999999</v></c></row>"
              "<row r=\"9\"><c r=\"A9\"><v>n/a</v></c><c r=\"B9\"><v>60</v></c>"
              "</row>");
    p = tpath("serials.xlsx");
    write_simple(p, NULL, sheet, 0);
    unsigned char dc[1] = {1};
    source_opts o = {0};
    o.date_columns = dc;
    o.ndate_columns = 1;
    const char *want[] = {
        "1900-02-28", "60",      "1900-03-01", "2024-03-01T12:00:00",
        "9999-12-31", "2958466", "18:00:00",   "2024-03-01"};
    T_CHECK_INT(rd_open_opts(&d, p, &o), 0);
    for (int i = 0; i < 8; i++) {
        T_CHECK_INT(rd_next(&d), 1);
        T_CHECK_STR(cell(&d, 0), want[i]);
    }
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 0), "n/a");
    T_CHECK_STR(cell(&d, 1), "60");
    T_CHECK_INT(rd_next(&d), 0);
    rd_close(&d);
}

/* Each cell's kind: number, date, text, a formula without a saved result,
 * and a formula summing the cells above it in its column. */
T_TEST(test_cell_kinds) {
    const char *sheet =
        SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is>"
              "</c><c r=\"B1\" t=\"inlineStr\"><is><t>n</t></is></c></row>"
              "<row r=\"2\"><c r=\"A2\"><v>20051234567890123</v></c>"
              "<c r=\"B2\" t=\"d\"><v>2025-03-22T14:30:00</v></c>"
              "<c r=\"C2\"><f>A2*2</f></c>"
              "<c r=\"D2\" t=\"str\"><f>A2&amp;\"\"</f><v>x</v></c></row>"
              "<row r=\"3\"><c r=\"A3\"><f>SUM(A$2:A2)</f><v>7</v></c>"
              "<c r=\"B3\"><f>SUM(A2:A2)</f></c>"
              "<c r=\"C3\"><f>SUBTOTAL(9,C1:C2)</f></c>"
              "<c r=\"D3\"><f>SUM(A3:C3)</f><v>1</v></c></row>");
    const char *p = tpath("kinds.xlsx");
    write_simple(p, NULL, sheet, 0);
    rd d;
    T_CHECK_INT(rd_open(&d, p, NULL), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK(d.row.kinds != NULL);
    T_CHECK_INT(d.row.kinds[0], SOURCE_CELL_TEXT);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.ncells, 4); /* C2 has no text but is a formula */
    T_CHECK_STR(cell(&d, 0), "20051234567890123");
    T_CHECK_INT(d.row.kinds[0], SOURCE_CELL_NUMBER);
    T_CHECK_STR(cell(&d, 1), "2025-03-22T14:30:00");
    T_CHECK_INT(d.row.kinds[1], SOURCE_CELL_DATE);
    T_CHECK_STR(cell(&d, 2), "");
    T_CHECK_INT(d.row.kinds[2], SOURCE_CELL_NOVALUE | SOURCE_CELL_FORMULA);
    T_CHECK_INT(d.row.kinds[3], SOURCE_CELL_TEXT | SOURCE_CELL_FORMULA);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.kinds[0],
                SOURCE_CELL_NUMBER | SOURCE_CELL_FORMULA | SOURCE_CELL_COLSUM);
    /* another column's sum, not the cell's own */
    T_CHECK_INT(d.row.kinds[1], SOURCE_CELL_NOVALUE | SOURCE_CELL_FORMULA);
    T_CHECK_INT(d.row.kinds[2],
                SOURCE_CELL_NOVALUE | SOURCE_CELL_FORMULA | SOURCE_CELL_COLSUM);
    /* a sum across the row is data, not a total */
    T_CHECK_INT(d.row.kinds[3], SOURCE_CELL_NUMBER | SOURCE_CELL_FORMULA);
    T_CHECK_INT(rd_next(&d), 0);
    rd_close(&d);
}

/* The minimal workbook has no styles.xml; a sheet with no rows at all. */
T_TEST(test_minimal_and_empty) {
    const char *p = tpath("empty-sheet.xlsx");
    write_simple(p, NULL,
                 XMLDECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData/>"
                         "</worksheet>",
                 Z_DEFLATED);
    rd d;
    T_CHECK_INT(rd_open(&d, p, NULL), 0);
    T_CHECK_INT(rd_next(&d), 0);
    T_CHECK_INT(rd_next(&d), 0);
    rd_close(&d);
    T_CHECK(open_fails(p, "Sheet2", "no sheet \"Sheet2\""));
}

/* ------------------------------------------------------------------ */
/* errors                                                              */

T_TEST(test_error_not_xlsx) {
    const char *p = tpath("text.xlsx");
    write_file(p, "id,name\n1,a\n", 12);
    T_CHECK(open_fails(p, NULL, "not an xlsx workbook: not a zip archive"));
    p = tpath("empty.xlsx");
    write_file(p, "", 0);
    T_CHECK(open_fails(p, NULL, "not an xlsx workbook: the file is empty"));
    p = tpath("ole.xlsx");
    static const unsigned char ole[16] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1,
                                          0x1A, 0xE1, 0,    0,    0,    0};
    write_file(p, ole, sizeof ole);
    T_CHECK(open_fails(p, NULL,
                       "encrypted or legacy .xls workbook; save it as .xlsx "
                       "without a password"));
    p = tpath("x2003.xlsx");
    write_file(p, "<?xml version=\"1.0\"?><Workbook/>", 32);
    T_CHECK(open_fails(p, NULL, "not an xlsx workbook: an xml file"));
    T_CHECK(open_fails(tpath("does-not-exist.xlsx"), NULL,
                       "cannot open the file: no such file or directory"));
    T_CHECK(open_fails(tmpdir, NULL, "cannot read the file: is a directory"));

    const char *ods = DATASETS "/htcds/htcds-field-standards-2.0.ods";
    if (have(ods))
        T_CHECK(open_fails(ods, NULL,
                           "not an xlsx workbook (no xl/workbook.xml); an "
                           ".ods? save it as .xlsx"));
    const char *docx[] = {"[Content_Types].xml", content_types,
                          "word/document.xml", "<w:document/>", NULL};
    p = tpath("word.xlsx");
    write_zip(p, docx, Z_DEFLATED);
    T_CHECK(open_fails(p, NULL, "not an xlsx workbook (no xl/workbook.xml)"));
}

T_TEST(test_error_truncated) {
    const char *src = DATASETS "/htcds/htcds-v2.0.xlsx";
    size_t n;
    char *b;
    if (have(src) && (b = read_whole(src, &n)) != NULL) {
        const char *p = tpath("half.xlsx");
        write_file(p, b, n / 2);
        T_CHECK(open_fails(p, NULL,
                           "not an xlsx workbook: damaged or truncated zip "
                           "archive"));
        write_file(p, b, 3); /* "PK\3" only */
        T_CHECK(open_fails(p, NULL, "not an xlsx workbook: not a zip"));
        free(b);
    }

    /* stored sheet, one byte of a cell changed: the CRC catches it */
    const char *p = tpath("crc.xlsx");
    write_simple(p, NULL,
                 SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"
                       "MARKER</t></is></c></row>"),
                 0);
    b = read_whole(p, &n);
    T_CHECK(b != NULL);
    if (b) {
        char *m = NULL;
        for (size_t i = 0; i + 6 <= n; i++)
            if (memcmp(b + i, "MARKER", 6) == 0) m = b + i;
        T_CHECK(m != NULL);
        if (m) m[0] = 'N';
        write_file(p, b, n);
        free(b);
        rd d;
        T_CHECK_INT(rd_open(&d, p, NULL), 0);
        T_CHECK_INT(rd_next(&d), 1);
        T_CHECK_STR(cell(&d, 0), "NARKER");
        T_CHECK_INT(rd_next(&d), -1);
        T_CHECK_STR(d.err, "damaged zip entry xl/worksheets/sheet1.xml (crc "
                           "error); the file is corrupt");
        rd_close(&d);
    }

    /* deflated data overwritten in the middle: an error, not a crash */
    char big[20000];
    size_t o = (size_t)snprintf(big, sizeof big, "%s",
                                XMLDECL "<worksheet xmlns=\"" NS_MAIN
                                        "\"><sheetData>");
    for (int r = 1; r <= 200; r++)
        o += (size_t)snprintf(big + o, sizeof big - o,
                              "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c></row>",
                              r, r, r * 7919 % 1000);
    snprintf(big + o, sizeof big - o, "</sheetData></worksheet>");
    p = tpath("inflate.xlsx");
    write_simple(p, NULL, big, Z_DEFLATED);
    b = read_whole(p, &n);
    T_CHECK(b != NULL);
    if (b) {
        /* the sheet's data follows its local header (30 bytes + name) */
        const char *name = "xl/worksheets/sheet1.xml";
        for (size_t i = 0; i + 30 + 24 < n; i++)
            if (memcmp(b + i, "PK\3\4", 4) == 0 &&
                memcmp(b + i + 30, name, 24) == 0) {
                memset(b + i + 30 + 24 + 40, 0xA5, 64);
                break;
            }
        write_file(p, b, n);
        free(b);
        T_CHECK(read_fails(p, "damaged zip entry xl/worksheets/sheet1.xml"));
    }
}

T_TEST(test_error_bad_xml) {
    const char *p = tpath("badxml.xlsx");
    write_simple(p, NULL,
                 XMLDECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
                         "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n"
                         "<row r=\"2\"><c r=\"A2\"><v>2</v></row>"
                         "</sheetData></worksheet>",
                 Z_DEFLATED);
    rd d;
    T_CHECK_INT(rd_open(&d, p, NULL), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_STR(cell(&d, 0), "1");
    T_CHECK_INT(rd_next(&d), -1);
    T_CHECK_STR(d.err, "malformed xml in xl/worksheets/sheet1.xml line 3 "
                       "column 32: mismatched tag");
    T_CHECK_INT(rd_next(&d), -1);
    rd_close(&d);

    p = tpath("notxml.xlsx");
    write_simple(p, NULL, "this is not xml", Z_DEFLATED);
    T_CHECK(read_fails(p, "malformed xml in xl/worksheets/sheet1.xml line 1"));

    const char *wbbad[] = {"xl/workbook.xml", "<workbook><sheets>", NULL};
    p = tpath("wbbad.xlsx");
    write_zip(p, wbbad, Z_DEFLATED);
    T_CHECK(open_fails(p, NULL, "malformed xml in xl/workbook.xml line 1"));

    p = tpath("doctype.xlsx");
    write_simple(p, NULL,
                 "<!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\">]>"
                 "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&a;"
                 "</t></is></c></row></sheetData></worksheet>",
                 Z_DEFLATED);
    T_CHECK(read_fails(p, "unexpected DOCTYPE in xl/worksheets/sheet1.xml"));

    /* a truncated sheet document inside a sound zip */
    p = tpath("cutxml.xlsx");
    write_simple(p, NULL,
                 XMLDECL "<worksheet><sheetData><row r=\"1\"><c r=\"A1\">"
                         "<v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2",
                 Z_DEFLATED);
    T_CHECK(read_fails(p, "malformed xml in xl/worksheets/sheet1.xml"));
}

T_TEST(test_error_cells) {
    const char *sst = XMLDECL "<sst xmlns=\"" NS_MAIN "\"><si><t>only</t>"
                              "</si></sst>";
    const char *p = tpath("sstrange.xlsx");
    write_simple(p, sst,
                 SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
                       "<c r=\"B1\" t=\"s\"><v>5</v></c></row>"),
                 Z_DEFLATED);
    T_CHECK(read_fails(p, "shared string index 5 out of range in cell B1 "
                          "(the workbook has 1 shared strings)"));
    p = tpath("sstbad.xlsx");
    write_simple(p, sst,
                 SHEET("<row r=\"3\"><c r=\"C3\" t=\"s\"><v>x1</v></c></row>"),
                 Z_DEFLATED);
    T_CHECK(read_fails(p, "bad shared string index \"x1\" in cell C3"));
    p = tpath("nosst.xlsx");
    write_simple(p, NULL,
                 SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"),
                 Z_DEFLATED);
    T_CHECK(read_fails(p, "shared string index 0 out of range in cell A1 "
                          "(the workbook has 0 shared strings)"));

    p = tpath("xfe.xlsx");
    write_simple(p, NULL,
                 SHEET("<row r=\"7\"><c r=\"XFE7\"><v>1</v></c></row>"),
                 Z_DEFLATED);
    T_CHECK(read_fails(p, "cell reference XFE7 is beyond column XFD (16384 "
                          "columns) in row 7"));
    p = tpath("aaaa.xlsx");
    write_simple(p, NULL,
                 SHEET("<row r=\"1\"><c r=\"AAAA1\"><v>1</v></c></row>"),
                 Z_DEFLATED);
    T_CHECK(read_fails(p, "cell reference AAAA1 is beyond column XFD"));
    p = tpath("badrow.xlsx");
    write_simple(p, NULL, SHEET("<row r=\"abc\"><c><v>1</v></c></row>"),
                 Z_DEFLATED);
    T_CHECK(read_fails(p, "bad row number \"abc\" after row 0"));

    /* 16385 cells without r in one row */
    size_t cap = 16385 * 16 + 512, o;
    char *big = malloc(cap);
    T_CHECK(big != NULL);
    if (!big) return;
    o = (size_t)snprintf(big, cap, "%s",
                         XMLDECL "<worksheet xmlns=\"" NS_MAIN
                                 "\"><sheetData><row r=\"2\">");
    for (int i = 0; i < 16385; i++)
        o += (size_t)snprintf(big + o, cap - o, "<c><v>1</v></c>");
    snprintf(big + o, cap - o, "</row></sheetData></worksheet>");
    p = tpath("wide.xlsx");
    write_simple(p, NULL, big, Z_DEFLATED);
    free(big);
    T_CHECK(read_fails(p, "row 2 has more than 16384 cells"));

    /* one inline string over the 32 MiB cap */
    size_t huge = (33u << 20) + 1024;
    big = malloc(huge);
    T_CHECK(big != NULL);
    if (!big) return;
    o = (size_t)snprintf(big, huge, "%s",
                         XMLDECL "<worksheet xmlns=\"" NS_MAIN
                                 "\"><sheetData><row r=\"4\"><c r=\"B4\" "
                                 "t=\"inlineStr\"><is><t>");
    memset(big + o, 'a', (33u << 20));
    o += 33u << 20;
    snprintf(big + o, huge - o, "</t></is></c></row></sheetData></worksheet>");
    p = tpath("hugecell.xlsx");
    write_simple(p, NULL, big, Z_DEFLATED);
    free(big);
    T_CHECK(read_fails(p, "cell B4 is larger than 32 MiB"));

    /* a sheet listed in workbook.xml whose part is missing */
    const char *parts[] = {
        "xl/workbook.xml",
        XMLDECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
                "<sheets><sheet name=\"Gone\" sheetId=\"1\" r:id=\"rId1\"/>"
                "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels",
        XMLDECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
        "package/2006/relationships\"><Relationship Id=\"rId1\" "
        "Type=\"" REL_TYPE(
            "worksheet") "\" "
                         "Target=\"worksheets/sheet1.xml\"/></Relationships>",
        NULL};
    p = tpath("gone.xlsx");
    write_zip(p, parts, Z_DEFLATED);
    T_CHECK(open_fails(p, NULL,
                       "damaged workbook: sheet \"Gone\" part "
                       "xl/worksheets/sheet1.xml is missing"));
}

static void cleanup(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (tmpdir[0] && system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
}

/* Short rows are padded to the header's width; empty rows between data
 * rows are given out; styled blank rows at the end (as LibreOffice and
 * gnumeric write under a formatted range) are not. */
T_TEST(test_padding_and_trailing_blank_rows) {
    const char *p = tpath("blank-tail.xlsx");
    lxw_workbook *wb = workbook_new(p);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    lxw_format *f = workbook_add_format(wb);
    format_set_bg_color(f, 0xFFFF00);
    worksheet_write_string(ws, 0, 0, "a", NULL);
    worksheet_write_string(ws, 0, 1, "b", NULL);
    worksheet_write_string(ws, 0, 2, "c", NULL);
    worksheet_write_string(ws, 1, 0, "1", NULL); /* b, c empty */
    worksheet_write_blank(ws, 2, 1, f);          /* styled, empty */
    worksheet_write_string(ws, 3, 1, "x", NULL);
    for (lxw_row_t r = 4; r < 400; r++)
        worksheet_write_blank(ws, r, 2, f);
    workbook_close(wb);
    rd d;
    T_CHECK_INT(rd_open(&d, p, NULL), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.ncells, 3);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 2);
    T_CHECK_INT(d.row.ncells, 3);
    T_CHECK_STR(cell(&d, 0), "1");
    T_CHECK_STR(cell(&d, 2), "");
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 3); /* empty, but data follows */
    T_CHECK_INT(d.row.ncells, 3);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.row, 4);
    T_CHECK_STR(cell(&d, 1), "x");
    T_CHECK_INT(rd_next(&d), 0); /* rows 5..400 are styled blanks */
    rd_close(&d);
}

/* What a copy of the sheet needs beyond its values (the marked workbook):
 * each cell's style (number format, bold, italic) and formula, the
 * column widths, merged ranges and data validations, those of the x14
 * extension list too. */
T_TEST(test_look_and_layout) {
    const char *path = tpath("look.xlsx");
    const char *styles =
        XMLDECL "<styleSheet xmlns=\"" NS_MAIN "\">"
                "<numFmts count=\"1\"><numFmt numFmtId=\"164\" "
                "formatCode=\"dd/mm/yyyy\"/></numFmts>"
                "<fonts count=\"3\"><font><sz val=\"11\"/></font>"
                "<font><b/></font><font><b val=\"0\"/><i val=\"1\"/></font>"
                "</fonts><cellStyleXfs count=\"1\"><xf numFmtId=\"3\" "
                "fontId=\"1\"/></cellStyleXfs>"
                "<cellXfs count=\"3\"><xf numFmtId=\"0\" fontId=\"0\"/>"
                "<xf numFmtId=\"164\" fontId=\"1\"/>"
                "<xf numFmtId=\"4\" fontId=\"2\"/></cellXfs></styleSheet>";
    const char *sheet = XMLDECL
        "<worksheet xmlns=\"" NS_MAIN "\" xmlns:x14=\"http://schemas."
        "microsoft.com/office/spreadsheetml/2009/9/main\" xmlns:xm=\"http://"
        "schemas.microsoft.com/office/excel/2006/main\">"
        "<cols><col min=\"1\" max=\"2\" width=\"20.7109375\" "
        "customWidth=\"1\"/><col min=\"5\" max=\"5\" width=\"9\" "
        "hidden=\"1\"/></cols><sheetData>"
        "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>45000</v></c>"
        "<c r=\"B1\" s=\"2\"><f>SUM(C1:D1)</f><v>3.5</v></c>"
        "<c r=\"C1\"><f t=\"shared\" ref=\"C1:C2\" si=\"0\">A1+$A$1</f><v>2</v>"
        "</c><c r=\"D1\" t=\"str\"><f>\"a\"&amp;\"b\"</f><v>ab</v></c></row>"
        "<row r=\"2\"><c r=\"C2\"><f t=\"shared\" si=\"0\"/><v>2</v></c>"
        "<c r=\"F2\" s=\"2\"/></row>"
        "</sheetData><mergeCells count=\"2\"><mergeCell ref=\"A3:D3\"/>"
        "<mergeCell ref=\"E1:E2\"/></mergeCells>"
        "<dataValidations count=\"2\"><dataValidation type=\"whole\" "
        "operator=\"between\" allowBlank=\"1\" showInputMessage=\"1\" "
        "promptTitle=\"Age\" prompt=\"0 to 120\" errorStyle=\"warning\" "
        "sqref=\"A2:A9 C2:C9\"><formula1>0</formula1><formula2>120"
        "</formula2></dataValidation><dataValidation type=\"none\" "
        "sqref=\"B2\"/></dataValidations>"
        "<extLst><ext uri=\"{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}\">"
        "<x14:dataValidations count=\"1\"><x14:dataValidation type=\"list\" "
        "showErrorMessage=\"1\"><x14:formula1><xm:f>Lists!$A$1:$A$5</xm:f>"
        "</x14:formula1><xm:sqref>K4:K500</xm:sqref></x14:dataValidation>"
        "</x14:dataValidations></ext></extLst></worksheet>";
    const char *parts[] = {
        "[Content_Types].xml",
        content_types,
        "xl/workbook.xml",
        XMLDECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
                "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
                "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels",
        XMLDECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
        "package/2006/relationships\"><Relationship Id=\"rId1\" "
        "Type=\"" REL_TYPE("worksheet") "\" Target=\"worksheets/"
                                        "sheet1.xml\"/><Relationship "
                                        "Id=\"rId2\" Type=\"" REL_TYPE(
                                            "styles") "\" "
                                                      "Target=\"styles.xml\"/"
                                                      "></Relationships>",
        "xl/styles.xml",
        styles,
        "xl/worksheets/sheet1.xml",
        sheet,
        NULL};
    write_zip(path, parts, Z_DEFLATED);
    rd d;
    T_CHECK_INT(rd_open(&d, path, NULL), 0);
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK(d.row.look != NULL);
    T_CHECK_INT(d.row.ncells, 4);
    T_CHECK_STR(cell(&d, 0), "2023-03-15"); /* dd/mm/yyyy: a date */
    T_CHECK_INT(d.row.look[0].style, 1);
    T_CHECK(d.row.look[0].f == NULL);
    T_CHECK_INT(d.row.look[1].style, 2);
    T_CHECK_INT(d.row.look[1].fn, 10);
    T_CHECK(d.row.look[1].f && !memcmp(d.row.look[1].f, "SUM(C1:D1)", 10));
    T_CHECK_STR(cell(&d, 1), "3.5");
    T_CHECK_INT(d.row.look[2].fn, 7); /* a shared formula's first cell */
    T_CHECK(d.row.look[3].f && !memcmp(d.row.look[3].f, "\"a\"&\"b\"", 7));
    T_CHECK_INT(rd_next(&d), 1);
    T_CHECK_INT(d.row.ncells, 4); /* padded to the header's width */
    /* its other cells: its text, references shifted (issue 11) */
    T_CHECK_INT(d.row.look[2].fn, 7);
    T_CHECK(d.row.look[2].f && !memcmp(d.row.look[2].f, "A2+$A$1", 7));
    T_CHECK_STR(cell(&d, 2), "2");
    T_CHECK_INT(rd_next(&d), 0);
    source_layout l = {0};
    d.r.layout(d.r.state, &l);
    T_CHECK_INT(l.nstyles, 3);
    T_CHECK_STR(l.styles[1].numfmt, "dd/mm/yyyy");
    T_CHECK_INT(l.styles[1].fmtid, 164);
    T_CHECK_INT(l.styles[1].bold, 1);
    T_CHECK_INT(l.styles[1].italic, 0);
    T_CHECK(l.styles[2].numfmt == NULL); /* built-in 4: by its id */
    T_CHECK_INT(l.styles[2].fmtid, 4);
    T_CHECK_INT(l.styles[2].bold, 0); /* <b val="0"/> */
    T_CHECK_INT(l.styles[2].italic, 1);
    T_CHECK_INT(l.nmerges, 2);
    T_CHECK_STR(l.merges[0], "A3:D3");
    T_CHECK_STR(l.merges[1], "E1:E2");
    T_CHECK_INT(l.ncols, 2);
    T_CHECK_INT(l.cols[0].first, 0);
    T_CHECK_INT(l.cols[0].last, 1);
    T_CHECK(l.cols[0].width > 20.7 && l.cols[0].width < 20.72);
    T_CHECK_INT(l.cols[1].first, 4);
    T_CHECK_INT(l.cols[1].hidden, 1);
    size_t n = 0;
    const source_dropdown *v = d.r.dropdowns(d.r.state, &n);
    T_CHECK_INT(n, 2); /* type="none" is no rule */
    T_CHECK_STR(v[0].type, "whole");
    T_CHECK_STR(v[0].op, "between");
    T_CHECK_STR(v[0].range, "A2:A9 C2:C9");
    T_CHECK_STR(v[0].formula, "0");
    T_CHECK_STR(v[0].formula2, "120");
    T_CHECK_STR(v[0].prompt_title, "Age");
    T_CHECK_STR(v[0].prompt, "0 to 120");
    T_CHECK_INT(v[0].allow_blank, 1);
    T_CHECK_INT(v[0].show_input, 1);
    T_CHECK_INT(v[0].show_error, 0);
    T_CHECK_INT(v[0].error_style, 1);
    T_CHECK_STR(v[1].type, "list"); /* the x14 one */
    T_CHECK_STR(v[1].range, "K4:K500");
    T_CHECK_STR(v[1].formula, "Lists!$A$1:$A$5");
    T_CHECK_INT(v[1].show_error, 1);
    rd_close(&d);
}

/* A shared formula's text for another of its cells: relative references
 * shifted, absolute ones kept, strings, sheet names and functions left
 * alone, #REF! off the sheet. */
static const char *shifted(const char *f, long drow, long dcol) {
    static char out[512];
    size_t n = strlen(f);
    if (13 * n + 16 > sizeof out) return "(too long for the test)";
    size_t k = source_xlsx_shift_formula(f, n, drow, dcol, out);
    out[k] = 0;
    return out;
}

T_TEST(test_shift_formula) {
    T_CHECK_STR(shifted("$G$2+0*G4+0*$G4+0*G$4", 1, 0),
                "$G$2+0*G5+0*$G5+0*G$4");
    T_CHECK_STR(shifted("$G$2+0*G4+0*$G4+0*G$4", 0, 2),
                "$G$2+0*I4+0*$G4+0*I$4");
    T_CHECK_STR(shifted("SUM(A1:B2)", 3, 1), "SUM(B4:C5)");
    T_CHECK_STR(shifted("SUM(A:A)+SUM(1:1)+SUM($B:$B)", 2, 2),
                "SUM(C:C)+SUM(3:3)+SUM($B:$B)");
    T_CHECK_STR(shifted("Sheet1!A1+'My sheet'!B$2", 1, 1),
                "Sheet1!B2+'My sheet'!C$2");
    T_CHECK_STR(shifted("IF(A1=\"A1\",LOG10(A1),1.5E3)", 1, 0),
                "IF(A2=\"A1\",LOG10(A2),1.5E3)");
    T_CHECK_STR(shifted("XFD1+A1048576", 1, 1), "#REF!+#REF!");
    T_CHECK_STR(shifted("a1+zz9", 1, 0), "A2+ZZ10"); /* Excel's case */
    T_CHECK_STR(shifted("Table1[Amount]+B1", 1, 0), "Table1[Amount]+B2");
}

int main(void) {
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/relec-xlsx-XXXXXX",
             t && *t && strlen(t) < 40 ? t : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    atexit(cleanup);
    T_RUN(test_htcds_plain);
    T_RUN(test_htcds_single_select);
    T_RUN(test_ctdc_definitions);
    T_RUN(test_gnumeric_fixture);
    T_RUN(test_xlsxwriter_values);
    T_RUN(test_handmade_1904);
    T_RUN(test_handmade_1900_serials);
    T_RUN(test_minimal_and_empty);
    T_RUN(test_error_not_xlsx);
    T_RUN(test_error_truncated);
    T_RUN(test_error_bad_xml);
    T_RUN(test_error_cells);
    T_RUN(test_padding_and_trailing_blank_rows);
    T_RUN(test_cell_kinds);
    T_RUN(test_look_and_layout);
    T_RUN(test_shift_formula);
    return T_END();
}
