/*
 * fuzz_workbook.c: libFuzzer target for the workbook writers (workbook.h).
 * The first byte picks the writer (bit 0: the standard workbook of relec
 * export, else the report of relec validate --report); the schema is
 * tests/fuzz/workbook.yaml, small and quick (every field type, short code
 * lists). fuzz_workbook_std.c builds this file again with
 * FUZZ_WORKBOOK_STD: there bits 1-2 pick one of the standard's incident
 * (0 and 1), person and aggregate schemas, whose ISO code lists go into
 * every workbook (Codes, the report's lists) and make an input cost five
 * to ten times more; two targets, so that the quick one is not held back
 * by the slow one. Each schema is loaded once. The rest is a CSV
 * file, read and checked as the commands do and its rows written. The
 * written .xlsx is read back through the xlsx reader:
 *   - export: sheet Data holds a row per row written, in order, and a text
 *     cell comes back as it went in (when it is valid UTF-8 without
 *     control characters, and fits a cell);
 *   - report: the first sheet holds the header and every data row, cells
 *     as they went in (the same text cells), those of a row longer than
 *     the header too: the findings column follows the widest row.
 * Files go to /dev/shm (the writers' temp files beside them). Leaks are
 * checked every 1,024 inputs, not after each (run.sh).
 */
#include "check.h"
#include "outfile.h"
#include "schema.h"
#include "source.h"
#include "workbook.h"

#include <sanitizer/lsan_interface.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXROWS 64

#ifndef FUZZ_WORKBOOK_STD
#define FUZZ_WORKBOOK_STD 0 /* 1: the standard's schemas (see above) */
#endif

static const char *const paths[] = {
    "tests/fuzz/workbook.yaml", "schemas/incident.yaml", "schemas/person.yaml",
    "schemas/aggregate.yaml"};
static schema *schemas[4]; /* loaded once: the target's only */
static char dir[64];       /* the run's folder in /dev/shm */

/* What the writers keep of rows: each row's cells as written, packed. */
typedef struct kept {
    char *text;              /* every cell's bytes, one after another */
    size_t len, cap;         /* bytes used and allocated */
    size_t *cell;            /* per cell: its end offset in text */
    size_t ncells, ccap;     /* cells used and allocated */
    size_t row[MAXROWS + 2]; /* per row: its first cell; row[n] = end */
    size_t nrows;            /* rows kept */
} kept;

static void keep_cell(kept *k, const char *p, size_t n) {
    if (k->len + n > k->cap) {
        k->cap = (k->len + n) * 2 + 64;
        if (!(k->text = realloc(k->text, k->cap))) abort();
    }
    if (k->ncells == k->ccap) {
        k->ccap = k->ccap * 2 + 64;
        if (!(k->cell = realloc(k->cell, k->ccap * sizeof *k->cell))) abort();
    }
    if (n) memcpy(k->text + k->len, p, n);
    k->len += n;
    k->cell[k->ncells++] = k->len;
}

static void keep_row(kept *k, const source_cell *c, size_t n) {
    k->row[k->nrows++] = k->ncells;
    for (size_t i = 0; i < n; i++)
        keep_cell(k, c[i].p, c[i].n);
    k->row[k->nrows] = k->ncells;
}

/* Whether kept row R has only empty cells. */
static int kept_blank(const kept *k, size_t r) {
    size_t a = k->row[r] ? k->cell[k->row[r] - 1] : 0;
    return k->cell && k->row[r + 1] > k->row[r]
               ? k->cell[k->row[r + 1] - 1] == a
               : 1;
}

/* Whether text P..P+N comes back from a cell as it went in: valid UTF-8
 * (the writer puts U+FFFD for a bad byte), no control character (no
 * carriage return either: XML turns it into a line feed), no longer than a
 * cell holds, and no surrounding space or number-like form (CSV cells are
 * not trimmed, but the check may read a value otherwise). */
static int plain(const char *p, size_t n) {
    size_t chars = 0;
    for (size_t i = 0; i < n; chars++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n') return 0;
            if (c == 0x7F) return 0;
            i++;
            continue;
        }
        size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (!k || c >= 0xF5 || i + k > n) return 0;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)p[i + j] & 0xC0) != 0x80) return 0;
        unsigned cp = k == 2 ? (c & 0x1Fu) << 6 | (p[i + 1] & 0x3Fu)
                      : k == 3
                          ? (c & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 |
                                (p[i + 2] & 0x3Fu)
                          : (c & 0x07u) << 18 | (p[i + 1] & 0x3Fu) << 12 |
                                (p[i + 2] & 0x3Fu) << 6 | (p[i + 3] & 0x3Fu);
        if ((k == 3 &&
             (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp >= 0xFFFE)) ||
            (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        if (cp >= 0x80 && cp < 0xA0) return 0; /* C1 controls */
        i += k;
    }
    return chars <= WORKBOOK_MAX_CELL;
}

/* Reads sheet SHEET of PATH back and checks it against K: a row per kept
 * row, in order, and every plain text cell the same. TYPED[i] (i < NTYPED):
 * column i is written typed (a number, date or boolean when it reads as one)
 * and is not compared. */
static void read_back(const char *path, const char *sheet, const kept *k,
                      const unsigned char *typed, size_t ntyped) {
    char err[1024];
    source_opts o = {0};
    o.sheet = sheet;
    o.keep_nondata = 1;
    source *src = source_open(path, &o, err, sizeof err);
    if (!src) {
        fprintf(stderr, "cannot read back '%s': %s\n", path, err);
        abort();
    }
    source_row row;
    size_t r = 0;
    int rc;
    while ((rc = source_next(src, &row)) > 0) {
        int blank = 1;
        for (size_t i = 0; i < row.ncells; i++)
            blank &= row.cells[i].n == 0;
        if (r < k->nrows && blank && !kept_blank(k, r))
            continue; /* a row the writer left out: none in between */
        if (!blank)
            while (r < k->nrows && kept_blank(k, r))
                r++; /* an empty row written need not be in the sheet */
        if (r >= k->nrows) {
            if (!blank) abort(); /* a row no one wrote */
            continue;
        }
        size_t first = k->row[r], n = k->row[r + 1] - first;
        for (size_t i = 0; i < n; i++) {
            size_t a = first + i ? k->cell[first + i - 1] : 0,
                   b = k->cell[first + i];
            const char *p = k->text + a;
            size_t len = b - a;
            if (i < ntyped && typed[i]) continue;
            if (!plain(p, len)) continue;
            const source_cell *got =
                i < row.ncells ? &row.cells[i] : &(source_cell){"", 0};
            if (got->n != len || memcmp(got->p, p, len) != 0) {
                fprintf(stderr, "row %zu cell %zu: wrote '%.*s', read '%.*s'\n",
                        r + 1, i, (int)len, p, (int)got->n, got->p);
                abort();
            }
        }
        r++;
    }
    if (rc < 0) {
        fprintf(stderr, "'%s': %s\n", path, source_error(src));
        abort();
    }
    while (r < k->nrows && kept_blank(k, r))
        r++;
    if (r != k->nrows) {
        fprintf(stderr, "'%s': %zu rows read back, %zu written\n", path, r,
                k->nrows);
        abort();
    }
    source_close(src);
}

/* At exit: the folder goes (it is in /dev/shm, memory); an input that
 * crashed may leave its two files. */
static void remove_dir(void) {
    char p[128];
    snprintf(p, sizeof p, "%s/in.csv", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/out.xlsx", dir);
    unlink(p);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    char err[1024];
    for (int i = FUZZ_WORKBOOK_STD; i < (FUZZ_WORKBOOK_STD ? 4 : 1); i++)
        if (!(schemas[i] = schema_load(paths[i], err, sizeof err))) {
            fprintf(stderr, "%s\n", err);
            abort();
        }
    snprintf(dir, sizeof dir, "/dev/shm/fuzz-workbook-XXXXXX");
    if (!mkdtemp(dir)) abort();
    atexit(remove_dir);
    outfile_reset();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int export = data[0] & 1;
    int sk = (data[0] >> 1) & 3;
    const schema *s = schemas[FUZZ_WORKBOOK_STD ? (sk ? sk : 1) : 0];
    char in[96], out[96], err[1024];
    snprintf(in, sizeof in, "%s/in.csv", dir);
    snprintf(out, sizeof out, "%s/out.xlsx", dir);
    FILE *f = fopen(in, "wb");
    if (!f) abort();
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    source *src = source_open(in, NULL, err, sizeof err);
    source_row row;
    if (!src || source_next(src, &row) <= 0) {
        source_close(src);
        unlink(in);
        outfile_reset();
        return 0;
    }
    check *c = check_new(s);
    if (!c) abort();
    kept k = {0};
    unsigned char typed[256] = {0};
    size_t nf;
    const check_finding *fd;
    check_header(c, &row);
    fd = check_findings(c, &nf);
    if (export) {
        workbook_export *w = workbook_export_open(out, s, 0, err, sizeof err);
        if (!w) {
            fprintf(stderr, "%s\n", err);
            abort();
        }
        workbook_export_file(w, "in.csv", "csv", NULL);
        workbook_export_header(w, fd, nf);
        source_cell *cells = calloc(s->nfields + 1, sizeof *cells);
        if (!cells) abort();
        for (size_t i = 0; i < s->nfields && i < sizeof typed; i++)
            typed[i] = s->fields[i].type == SCHEMA_INTEGER ||
                       s->fields[i].type == SCHEMA_NUMBER ||
                       s->fields[i].type == SCHEMA_DATE ||
                       s->fields[i].type == SCHEMA_BOOLEAN;
        /* the header row: the schema's field names */
        for (size_t i = 0; i < s->nfields; i++)
            cells[i] =
                (source_cell){s->fields[i].name, strlen(s->fields[i].name)};
        keep_row(&k, cells, s->nfields);
        while (k.nrows <= MAXROWS && source_next(src, &row) > 0) {
            check_row(c, &row);
            fd = check_findings(c, &nf);
            for (size_t i = 0; i < s->nfields; i++) {
                int col = check_column(c, (int)i);
                if (check_value(c, row.row, (int)i, &cells[i].p, &cells[i].n) ==
                    0)
                    continue;
                cells[i] = col >= 0 && (size_t)col < row.ncells
                               ? row.cells[col]
                               : (source_cell){"", 0};
            }
            keep_row(&k, cells, s->nfields);
            workbook_export_row(w, cells, row.row, fd, nf);
        }
        free(cells);
        if (workbook_export_close(w, NULL, err, sizeof err) < 0) {
            fprintf(stderr, "%s\n", err);
            abort();
        }
        read_back(out, "Data", &k, typed, s->nfields);
    } else {
        void *w = workbook_report_open(out, s, err, sizeof err);
        if (!w) {
            fprintf(stderr, "%s\n", err);
            abort();
        }
        workbook_report_file(w, "in.csv", NULL);
        workbook_report_header(w, "in.csv", &row, fd, nf);
        keep_row(&k, row.cells, row.ncells);
        while (k.nrows <= MAXROWS && source_next(src, &row) > 0) {
            check_row(c, &row);
            fd = check_findings(c, &nf);
            keep_row(&k, row.cells, row.ncells);
            workbook_report_row(w, &row, fd, nf);
        }
        while (check_end(c) > 0) {
            fd = check_findings(c, &nf);
            workbook_report_findings(w, fd, nf);
        }
        if (workbook_report_close(w, NULL, err, sizeof err) < 0) {
            fprintf(stderr, "%s\n", err);
            abort();
        }
        read_back(out, NULL, &k, typed, 0);
    }
    check_free(c);
    source_close(src);
    free(k.text);
    free(k.cell);
    unlink(in);
    unlink(out);
    outfile_reset();
    /* leaks, every 1,024 inputs: run.sh turns libFuzzer's check after
     * each input off (libxlsxwriter's own leak made it run each input
     * twice); a leak of ours stops the run here, its stack in the log */
    static unsigned long inputs;
    if (++inputs % 1024 == 0 && __lsan_do_recoverable_leak_check()) abort();
    return 0;
}
