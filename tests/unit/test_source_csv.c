/*
 * test_source_csv.c: the CSV reader through source_open(): the fast path
 * (lines without quotes, split in place) and the libcsv path (quoted cells,
 * doubled quotes, line breaks inside quotes), and the seams between them:
 * records across the 64 KiB read chunks, cells longer than a chunk, row
 * numbers, CRLF, blank lines, BOM, delimiters, NUL bytes, unterminated
 * quotes, empty files, stdin.
 *
 * Every result is compared with a rendering of what was written: each row
 * as "ROW:NCELLS:FLAGS|cell|cell" with \n, \r and \0 escaped.
 */
#include "t.h"

#include "source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64]; /* mkdtemp() directory, removed at exit */

static const char *tpath(const char *name) {
    static char buf[256];
    snprintf(buf, sizeof buf, "%s/%s", tmpdir, name);
    return buf;
}

static void write_file(const char *path, const char *p, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
}

/* A growing string. */
typedef struct sbuf {
    char *p;    /* bytes, NUL-terminated */
    size_t n;   /* length */
    size_t cap; /* capacity */
} sbuf;

static void sb_put(sbuf *b, const char *p, size_t n) {
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) exit(2);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void sb_str(sbuf *b, const char *s) {
    sb_put(b, s, strlen(s));
}

static void sb_cell(sbuf *b, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n')
            sb_str(b, "\\n");
        else if (p[i] == '\r')
            sb_str(b, "\\r");
        else if (p[i] == 0)
            sb_str(b, "\\0");
        else if (p[i] == '\\')
            sb_str(b, "\\\\");
        else if (p[i] == '|')
            sb_str(b, "\\|");
        else
            sb_put(b, p + i, 1);
    }
}

/* Reads SRC to the end; returns the rendering (caller frees), *RC the last
 * source_next() result. */
static char *render_src(source *src, int *rc) {
    sbuf b = {0};
    sb_str(&b, "");
    source_row row;
    while ((*rc = source_next(src, &row)) > 0) {
        char head[64];
        snprintf(head, sizeof head, "%ld:%zu:%u", row.row, row.ncells,
                 row.flags);
        sb_str(&b, head);
        for (size_t i = 0; i < row.ncells; i++) {
            sb_str(&b, "|");
            sb_cell(&b, row.cells[i].p, row.cells[i].n);
        }
        sb_str(&b, "\n");
    }
    return b.p;
}

/* Reads DATA with header names NAMES (NULL-ended) and header row HROW as a
 * tool does: rows left out are rendered as "-REASON:ROW". */
static void on_skip(void *ud, const source_row *row, source_skip why) {
    char buf[32];
    snprintf(buf, sizeof buf, "-%d:%ld\n", (int)why, row->row);
    sb_str(ud, buf);
}

static char *parse_data(const char *data, const char *const *names, long hrow,
                        long counts[SOURCE_NSKIP], long *hdr) {
    const char *path = tpath("d.csv");
    write_file(path, data, strlen(data));
    sbuf b = {0};
    sb_str(&b, "");
    source_opts o = {0};
    size_t n = 0;
    while (names && names[n])
        n++;
    o.header_names = names;
    o.nheader_names = n;
    o.header_row = hrow;
    o.on_skip = on_skip;
    o.on_skip_ud = &b;
    char err[512];
    source *src = source_open(path, &o, err, sizeof err);
    if (!src) return strdup("");
    int rc;
    char *r = render_src(src, &rc);
    if (rc < 0) {
        sb_str(&b, "error: ");
        sb_str(&b, source_error(src));
    }
    for (int i = 0; i < SOURCE_NSKIP; i++)
        counts[i] = source_skipped(src, (source_skip)i);
    *hdr = source_header_row(src);
    source_close(src);
    sb_str(&b, r);
    free(r);
    return b.p;
}

/* Writes DATA to a file and reads it back; "" on open failure. */
static char *parse(const char *data, size_t n, char delim) {
    const char *path = tpath("t.csv");
    write_file(path, data, n);
    source_opts o = {0};
    o.delim = delim;
    o.keep_nondata = 1; /* the reader's rows, blank ones too */
    char err[512];
    source *src = source_open(path, &o, err, sizeof err);
    if (!src) {
        fprintf(stderr, "open failed: %s\n", err);
        t_failed_checks++;
        return strdup("");
    }
    int rc;
    char *r = render_src(src, &rc);
    T_CHECK_INT(rc, 0);
    T_CHECK(source_bytes(src) == n);
    source_close(src);
    return r;
}

#define CHECK_PARSE(lit, want)                                                 \
    do {                                                                       \
        char *got_ = parse(lit, sizeof lit - 1, 0);                            \
        T_CHECK_STR(got_, want);                                               \
        free(got_);                                                            \
    } while (0)

/* ------------------------------------------------------------------ */

T_TEST(test_plain_rows) {
    CHECK_PARSE("id,name,n\n1,Ali,3\n2,,\n",
                "1:3:0|id|name|n\n2:3:0|1|Ali|3\n3:3:0|2||\n");
    /* a blank cell keeps its spaces: " THB" is not a code */
    CHECK_PARSE("a,b\n THB , x\n", "1:2:0|a|b\n2:2:0| THB | x\n");
    /* no newline after the last line */
    CHECK_PARSE("a,b\n1,2", "1:2:0|a|b\n2:2:0|1|2\n");
    /* a line longer than 16 bytes (the vector step) with a delimiter on
     * every position class */
    CHECK_PARSE("h\n0123456789abcdef,0123456,x,0123456789abcdefghi,\n",
                "1:1:0|h\n2:5:0|0123456789abcdef|0123456|x|"
                "0123456789abcdefghi|\n");
}

T_TEST(test_quoted_cells) {
    CHECK_PARSE("a,b,c\n\"x,y\",\"q\"\"q\",plain\n",
                "1:3:0|a|b|c\n2:3:0|x,y|q\"q|plain\n");
    /* the quote in the last cell only: the cells before it split fast */
    CHECK_PARSE("a,b,c\n1,2,\"n, \"\"quoted\"\"\"\n3,4,5\n",
                "1:3:0|a|b|c\n2:3:0|1|2|n, \"quoted\"\n3:3:0|3|4|5\n");
    /* a quote inside an unquoted cell is kept (libcsv, not strict) */
    CHECK_PARSE("a,b\nx\"y,z\n", "1:2:0|a|b\n2:2:0|x\"y|z\n");
    /* an empty quoted cell and an empty last cell */
    CHECK_PARSE("a,b,c\n\"\",x,\n", "1:3:0|a|b|c\n2:3:0||x|\n");
}

T_TEST(test_quoted_newlines_keep_row_numbers) {
    /* a record over three lines is one spreadsheet row: the next is 3 */
    CHECK_PARSE("id,notes\n1,\"line one\nline two\nline three\"\n2,x\n",
                "1:2:0|id|notes\n2:2:0|1|line one\\nline two\\nline three\n"
                "3:2:0|2|x\n");
    /* CRLF inside quotes is kept; the CRLF ending the record is not */
    CHECK_PARSE("a,b\r\n\"x\r\ny\",2\r\n3,4\r\n",
                "1:2:0|a|b\n2:2:0|x\\r\\ny|2\n3:2:0|3|4\n");
}

T_TEST(test_crlf_and_blank_lines) {
    CHECK_PARSE("a,b\r\n1,2\r\n\r\n3,4\r\n",
                "1:2:0|a|b\n2:2:0|1|2\n3:0:0\n4:2:0|3|4\n");
    /* blank lines keep their numbers, on both paths */
    CHECK_PARSE("a\n\n\n\"q\"\n\nb\n",
                "1:1:0|a\n2:0:0\n3:0:0\n4:1:0|q\n5:0:0\n6:1:0|b\n");
    /* a lone CR ends a record too (old Mac files) */
    CHECK_PARSE("a,b\r1,2\r", "1:2:0|a|b\n2:2:0|1|2\n");
    /* LF CR: a row, then a blank row ended by the CR */
    CHECK_PARSE("a\n\rb\n", "1:1:0|a\n2:0:0\n3:1:0|b\n");
    /* a trailing CR before end of file */
    CHECK_PARSE("a,b\n1,2\r", "1:2:0|a|b\n2:2:0|1|2\n");
}

T_TEST(test_bom_and_delimiters) {
    CHECK_PARSE("\xEF\xBB\xBFid,x\n1,2\n", "1:2:0|id|x\n2:2:0|1|2\n");
    CHECK_PARSE("id;name;n\n1;A,B;3\n", "1:3:0|id|name|n\n2:3:0|1|A,B|3\n");
    CHECK_PARSE("id\tname\n1\t\"a\tb\"\n", "1:2:0|id|name\n2:2:0|1|a\tb\n");
    /* semicolons inside quotes do not count when guessing */
    CHECK_PARSE("\"a;b;c\",d\n1,2\n", "1:2:0|a;b;c|d\n2:2:0|1|2\n");
    /* a delimiter given wins over the guess */
    char *got = parse("a;b,c\n", 6, ';');
    T_CHECK_STR(got, "1:2:0|a|b,c\n");
    free(got);
}

T_TEST(test_unterminated_quote) {
    CHECK_PARSE("a,b\n1,\"open\n2,3\n", "1:2:0|a|b\n2:2:1|1|open\\n2,3\\n\n");
    /* a closed quote at end of file is not flagged */
    CHECK_PARSE("a,b\n1,\"closed\"", "1:2:0|a|b\n2:2:0|1|closed\n");
}

T_TEST(test_empty_and_header_only) {
    CHECK_PARSE("", "");
    CHECK_PARSE("a,b\n", "1:2:0|a|b\n");
    CHECK_PARSE("a,b", "1:2:0|a|b\n");
    CHECK_PARSE("\xEF\xBB\xBF", "");
}

T_TEST(test_nul_bytes) {
    /* kept in the cell and flagged, on the fast path ... */
    CHECK_PARSE("a,b\nx\0y,z\n", "1:2:0|a|b\n2:2:2|x\\0y|z\n");
    /* ... in the first 16 bytes of a long line (the vector step) ... */
    CHECK_PARSE("a,b\nab\0cdefghijklmnopqrstuvwxyz,z\n",
                "1:2:0|a|b\n2:2:2|ab\\0cdefghijklmnopqrstuvwxyz|z\n");
    /* ... beyond the first 16 bytes of a line ... */
    CHECK_PARSE("a,b\n0123456789abcdefgh\0,z\n",
                "1:2:0|a|b\n2:2:2|0123456789abcdefgh\\0|z\n");
    /* ... and on the quoted path */
    CHECK_PARSE("a,b\n\"x\0y\",z\n2,3\n",
                "1:2:0|a|b\n2:2:2|x\\0y|z\n3:2:0|2|3\n");
}

/* A cell of N bytes of 'x' between two small cells; QUOTED wraps it in
 * quotes with a doubled quote and a line break in the middle. */
static void big_cell(size_t n, int quoted) {
    sbuf in = {0}, want = {0};
    sb_str(&in, "a,b,c\n1,");
    sb_str(&want, "1:3:0|a|b|c\n2:3:0|1|");
    char *cell = malloc(n);
    memset(cell, 'x', n);
    if (quoted) {
        sb_str(&in, "\"");
        sb_put(&in, cell, n / 2);
        sb_str(&in, "\"\"\n");
        sb_put(&in, cell, n - n / 2);
        sb_str(&in, "\"");
        sb_put(&want, cell, n / 2);
        sb_str(&want, "\"\\n");
        sb_put(&want, cell, n - n / 2);
    } else {
        sb_put(&in, cell, n);
        sb_put(&want, cell, n);
    }
    sb_str(&in, ",3\n4,5,6\n");
    sb_str(&want, "|3\n");
    sb_str(&want, quoted ? "3:3:0|4|5|6\n" : "3:3:0|4|5|6\n");
    char *got = parse(in.p, in.n, 0);
    T_CHECK(strcmp(got, want.p) == 0);
    if (strcmp(got, want.p) != 0)
        fprintf(stderr, "big cell %zu%s: got %zu bytes, want %zu\n", n,
                quoted ? " quoted" : "", strlen(got), want.n);
    free(got);
    free(cell);
    free(in.p);
    free(want.p);
}

T_TEST(test_big_cells) {
    big_cell(100 * 1024, 0);  /* longer than a read chunk */
    big_cell(100 * 1024, 1);  /* ... quoted, across chunks */
    big_cell(1024 * 1024, 0); /* a megabyte */
    big_cell(1024 * 1024, 1);
    big_cell(64 * 1024 - 8, 0); /* just under a chunk */
}

/* Thousands of mixed rows (fast, quoted, multi-line, CRLF, blank) so that
 * records straddle every offset of the 64 KiB chunks. */
T_TEST(test_chunk_boundaries) {
    sbuf in = {0}, want = {0};
    unsigned long long st = 12345;
    sb_str(&in, "id,text,n\n");
    sb_str(&want, "1:3:0|id|text|n\n");
    long row = 1;
    for (int i = 0; i < 6000; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(st >> 33);
        char id[32], text[300], n[16];
        snprintf(id, sizeof id, "ID-%05d", i);
        size_t tl = r % 200;
        for (size_t k = 0; k < tl; k++)
            text[k] = (char)('a' + (k + r) % 26);
        text[tl] = 0;
        snprintf(n, sizeof n, "%u", r % 1000);
        const char *eol = (r & 8) ? "\r\n" : "\n";
        row++;
        char head[64];
        switch (r % 5) {
        case 0: /* quoted with a line break, a comma and a doubled quote */
            sb_str(&in, id);
            sb_str(&in, ",\"");
            sb_str(&in, text);
            sb_str(&in, ",\n\"\"x\"\"\",");
            sb_str(&in, n);
            sb_str(&in, eol);
            snprintf(head, sizeof head, "%ld:3:0|", row);
            sb_str(&want, head);
            sb_str(&want, id);
            sb_str(&want, "|");
            sb_str(&want, text);
            sb_str(&want, ",\\n\"x\"|");
            sb_str(&want, n);
            sb_str(&want, "\n");
            break;
        case 1: /* a blank line */
            sb_str(&in, eol);
            snprintf(head, sizeof head, "%ld:0:0\n", row);
            sb_str(&want, head);
            break;
        default: /* plain */
            sb_str(&in, id);
            sb_str(&in, ",");
            sb_str(&in, text);
            sb_str(&in, ",");
            sb_str(&in, n);
            sb_str(&in, eol);
            snprintf(head, sizeof head, "%ld:3:0|", row);
            sb_str(&want, head);
            sb_str(&want, id);
            sb_str(&want, "|");
            sb_str(&want, text);
            sb_str(&want, "|");
            sb_str(&want, n);
            sb_str(&want, "\n");
        }
    }
    T_CHECK(in.n > 4 * 64 * 1024);
    char *got = parse(in.p, in.n, 0);
    T_CHECK(strcmp(got, want.p) == 0);
    if (strcmp(got, want.p) != 0) {
        size_t k = 0;
        while (got[k] && got[k] == want.p[k])
            k++;
        fprintf(stderr,
                "chunks: first difference at byte %zu: got '%.60s' "
                "want '%.60s'\n",
                k, got + k, want.p + k);
    }
    free(got);
    free(in.p);
    free(want.p);
}

T_TEST(test_stdin) {
    const char data[] = "a,b\n1,\"x\ny\"\n2,3\n";
    const char *path = tpath("stdin.csv");
    write_file(path, data, sizeof data - 1);
    if (!freopen(path, "rb", stdin)) {
        T_CHECK(!"freopen");
        return;
    }
    char err[512];
    source *src = source_open("-", NULL, err, sizeof err);
    T_CHECK(src != NULL);
    if (!src) return;
    T_CHECK_STR(source_name(src), "<stdin>");
    T_CHECK_STR(source_format(src), "csv");
    int rc;
    char *got = render_src(src, &rc);
    T_CHECK_INT(rc, 0);
    T_CHECK_STR(got, "1:2:0|a|b\n2:2:0|1|x\\ny\n3:2:0|2|3\n");
    free(got);
    source_close(src);
}

T_TEST(test_utf16_refused) {
    const char data[] = "\xFF\xFE"
                        "a\0,\0b\0\n\0";
    write_file(tpath("u16.csv"), data, sizeof data - 1);
    char err[512];
    source *src = source_open(tpath("u16.csv"), NULL, err, sizeof err);
    T_CHECK(src == NULL);
    T_CHECK(strstr(err, "UTF-16") != NULL);
    source_close(src);
}

/* Rows that are not data: titles above the header, found by its names;
 * empty rows, running numbers and totals after it; all told and counted. */
T_TEST(test_nondata_rows) {
    const char *names[] = {"id", "name", "count", NULL};
    long k[SOURCE_NSKIP], hdr;
    char *got = parse_data(
        "Cases of March,,\n"
        ",,\n"
        "id,name,count\n"
        "A1,x,3\n"
        ",,\n"
        "7,,\n"
        "A2,y,4\n"
        "Total,,7\n"
        "  TOTAL: ,,7\n"
        ",Sum,7\n"
        "\xd8\xa7\xd9\x84\xd9\x85\xd8\xac\xd9\x85\xd9\x88\xd8\xb9,,7\n"
        "Totally,z,1\n"
        "A3,Total,2\n",
        names, 0, k, &hdr);
    T_CHECK_STR(got, "-0:1\n-0:2\n-1:5\n-1:6\n-2:8\n-2:9\n-2:10\n-2:11\n"
                     "3:3:0|id|name|count\n4:3:0|A1|x|3\n7:3:0|A2|y|4\n"
                     "12:3:0|Totally|z|1\n13:3:0|A3|Total|2\n");
    T_CHECK_INT(hdr, 3);
    T_CHECK_INT(k[SOURCE_SKIP_TITLE], 2);
    T_CHECK_INT(k[SOURCE_SKIP_EMPTY], 2);
    T_CHECK_INT(k[SOURCE_SKIP_TOTAL], 4);
    free(got);
    /* --header-row: said, not searched */
    got = parse_data("title\nid,name,count\nA1,x,3\n", NULL, 2, k, &hdr);
    T_CHECK_STR(got, "-0:1\n2:3:0|id|name|count\n3:3:0|A1|x|3\n");
    free(got);
    got = parse_data("id,name\n", NULL, 5, k, &hdr);
    T_CHECK(strstr(got, "error: no header in row 5") != NULL);
    free(got);
    /* no row names the fields: the first row is the header */
    got = parse_data("a,b\n1,2\n", names, 0, k, &hdr);
    T_CHECK_STR(got, "1:2:0|a|b\n2:2:0|1|2\n");
    T_CHECK_INT(hdr, 1);
    free(got);
    /* the best row when none names half of them */
    const char *many[] = {"id", "a", "b", "c", "d", "e", "f", NULL};
    got = parse_data("x\nid,a,q\n1,2,3\n", many, 0, k, &hdr);
    T_CHECK_STR(got, "-0:1\n2:3:0|id|a|q\n3:3:0|1|2|3\n");
    free(got);
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "%s", "/tmp/relec-csv-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    T_RUN(test_plain_rows);
    T_RUN(test_quoted_cells);
    T_RUN(test_quoted_newlines_keep_row_numbers);
    T_RUN(test_crlf_and_blank_lines);
    T_RUN(test_bom_and_delimiters);
    T_RUN(test_unterminated_quote);
    T_RUN(test_empty_and_header_only);
    T_RUN(test_nul_bytes);
    T_RUN(test_big_cells);
    T_RUN(test_chunk_boundaries);
    T_RUN(test_stdin);
    T_RUN(test_utf16_refused);
    T_RUN(test_nondata_rows);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", tmpdir);
    return T_END();
}
