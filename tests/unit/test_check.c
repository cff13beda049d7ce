/*
 * test_check.c: every check of the validator on one small schema: each test
 * feeds a row and expects the exact findings (field and code), so removing
 * a check makes its test fail. Also the schema loader's errors.
 */
#include "check.h"
#include "schema.h"
#include "strmap.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/test_check-XXXXXX";
static schema *S;

static const char *schema_text =
    "schema: t\n"
    "version: \"1\"\n"
    "fields:\n"
    "  - {name: id, type: string, required: true, unique: true, pattern: "
    "'^[A-Z]{3}-[0-9]+$'}\n"
    "  - {name: cc, type: code, required: true, codes: [PAK, AFG]}\n"
    "  - {name: agency, type: string, length: {min: 2, max: 5}}\n"
    "  - {name: day, type: date, min: 2000-01-01}\n"
    "  - {name: period, type: string, pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$'}\n"
    "  - {name: n, type: integer, min: 0, max: 9}\n"
    "  - {name: kind, type: code, codes: [THB, SOM]}\n"
    "  - {name: forms, type: list, codes: [a, b], separator: ';'}\n"
    "  - {name: sub, type: code, codelist: iso3166_2}\n"
    "  - {name: doc, type: code, codes: [cnic, iran]}\n"
    "  - {name: num, type: string}\n"
    "  - {name: sex, type: code, codes: [male, female]}\n"
    "  - {name: ok, type: boolean}\n"
    "  - {name: x, type: number}\n"
    "  - {name: v, type: integer, allow: ['<5']}\n"
    "rules:\n"
    "  - id: prefix\n"
    "    message: id prefix\n"
    "    compare: {left: {field: id, prefix: 3}, op: '==', right: cc}\n"
    "  - id: in-period\n"
    "    message: day after period\n"
    "    compare: {left: day, op: '<=', right: {field: period, period_end: "
    "true}}\n"
    "  - id: sub-of-cc\n"
    "    message: sub not in cc\n"
    "    compare: {left: {field: sub, parent: true}, op: '==', right: cc}\n"
    "  - id: thb-forms\n"
    "    message: forms needed\n"
    "    when: {field: kind, in: [THB]}\n"
    "    then: {field: forms, required: true}\n"
    "  - id: forms-only-thb\n"
    "    message: forms only for THB\n"
    "    when: {field: kind, not_in: [THB]}\n"
    "    then: {field: forms, empty: true}\n"
    "  - id: thb-n\n"
    "    message: n at least 1 for THB\n"
    "    when: {field: kind, in: [THB]}\n"
    "    then: {field: n, min: 1}\n"
    "  - id: cnic\n"
    "    message: cnic\n"
    "    when: {field: doc, in: [cnic]}\n"
    "    then: {field: num, pattern: '^[0-9]{5}-[0-9]{7}-[0-9]$', check: "
    "cnic, sex_field: sex}\n"
    "  - id: iran\n"
    "    message: iran\n"
    "    when: {field: doc, in: [iran]}\n"
    "    then: {field: num, check: iran_national_code}\n";

static const char *header[] = {"id",  "cc",   "agency", "day", "period",
                               "n",   "kind", "forms",  "sub", "doc",
                               "num", "sex",  "ok",     "x",   "v"};
#define NCOLS 15

static check *C;
static long rowno;

static const unsigned char *kinds; /* cell kinds of the next row, or NULL */

/* Runs a row given as NCOLS strings; returns "field:code ..." of errors. */
static const char *run(const char **vals) {
    static char out[1024];
    static source_cell cells[NCOLS]; /* check_value() points into them */
    for (int i = 0; i < NCOLS; i++)
        cells[i] = (source_cell){vals[i], strlen(vals[i])};
    source_row r = {cells, NCOLS, ++rowno, 0, kinds, NULL};
    check_row(C, &r);
    size_t n;
    const check_finding *f = check_findings(C, &n);
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (f[i].severity != CHECK_ERROR) continue;
        if (out[0]) strcat(out, " ");
        strcat(out, f[i].field);
        strcat(out, ":");
        strcat(out, check_code_name(f[i].code));
    }
    return out;
}

/* A valid row with one column changed. */
static const char *with(int col, const char *val) {
    static char ids[32];
    static int next;
    const char *v[NCOLS] = {
        "PAK-1", "PAK", "FIA",   "2025-03-04", "2025-03",         "2",
        "THB",   "a;b", "PK-PB", "cnic",       "35202-1234567-3", "male",
        "true",  "1.5", "<5"};
    snprintf(ids, sizeof ids, "PAK-%d", ++next); /* unique per call */
    v[0] = ids;
    if (col >= 0) v[col] = val;
    return run(v);
}

/* A valid row with column COL a workbook cell of kind KIND. */
static const char *with_kind(int col, const char *val, unsigned kind) {
    unsigned char k[NCOLS] = {0};
    k[col] = (unsigned char)kind;
    kinds = k;
    const char *r = with(col, val);
    kinds = NULL;
    return r;
}

/* Message of the first finding on FIELD of the last row, or "". */
static const char *message_of(const char *field) {
    size_t n;
    const check_finding *f = check_findings(C, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(f[i].field, field)) return f[i].message;
    return "";
}

static const char *value_of(int field) {
    static char buf[64];
    const char *p;
    size_t n;
    if (check_value(C, rowno, field, &p, &n) < 0) return "(none)";
    snprintf(buf, sizeof buf, "%.*s", (int)n, p);
    return buf;
}

T_TEST(excel_cells) {
    /* a long number in a text field lost digits */
    T_CHECK_STR(with_kind(10, "20051234567890123", SOURCE_CELL_NUMBER),
                "num:type");
    T_CHECK(strstr(message_of("num"), "15 significant digits") != NULL);
    T_CHECK_STR(with_kind(10, "2.0051234567890124E+16", SOURCE_CELL_NUMBER),
                "num:type");
    /* the same digits typed as text are not judged so */
    T_CHECK_STR(with_kind(2, "1234", SOURCE_CELL_NUMBER), "");
    /* a formula never calculated */
    T_CHECK_STR(with_kind(2, "", SOURCE_CELL_NOVALUE | SOURCE_CELL_FORMULA),
                "agency:type");
    T_CHECK(strstr(message_of("agency"), "open the file") != NULL);
    /* a date-time in a date field: its date, with a warning */
    T_CHECK_STR(with_kind(3, "2025-03-04T10:30:00", SOURCE_CELL_DATE), "");
    T_CHECK(strstr(message_of("day"), "its date 2025-03-04") != NULL);
    T_CHECK_STR(value_of(3), "2025-03-04");
    /* a date where a month is asked: its month */
    T_CHECK_STR(with_kind(4, "2025-03-01", SOURCE_CELL_DATE), "");
    T_CHECK(strstr(message_of("period"), "its month 2025-03") != NULL);
    T_CHECK_STR(value_of(4), "2025-03");
    /* as text, the same date is a pattern error */
    T_CHECK_STR(with(4, "2025-03-01"), "period:pattern");
    T_CHECK_STR(value_of(4), "2025-03-01");
    /* a number that lost its leading zero: the finding says why */
    kinds = (unsigned char[NCOLS]){[10] = SOURCE_CELL_NUMBER};
    const char *v[NCOLS] = {"PAK-77",  "PAK",  "FIA",        "2025-03-04",
                            "2025-03", "2",    "THB",        "a;b",
                            "PK-PB",   "cnic", "3520212345", "male",
                            "true",    "1.5",  "<5"};
    T_CHECK_STR(run(v), "num:pattern");
    kinds = NULL;
    T_CHECK(strstr(message_of("num"), "drops its leading zeros") != NULL);
    /* a row not read field by field has no values */
    source_row e = {NULL, 0, ++rowno, 0, NULL, NULL};
    check_row(C, &e);
    T_CHECK_STR(value_of(3), "(none)");
}

T_TEST(valid_row_has_no_findings) {
    T_CHECK_STR(with(-1, ""), "");
}
T_TEST(required) {
    T_CHECK_STR(with(1, ""), "cc:required");
}
T_TEST(blank_is_empty) {
    T_CHECK_STR(with(1, "  "), "cc:required");
}
T_TEST(pattern) {
    T_CHECK_STR(with(0, "pak-1"), "id:pattern");
}
T_TEST(codelist_exact) {
    T_CHECK_STR(with(1, " PAK"), "cc:codelist");
    T_CHECK_STR(with(1, "pak"), "cc:codelist");
    T_CHECK_STR(with(1, "IRN"), "cc:codelist");
}
T_TEST(list_codes) {
    T_CHECK_STR(with(7, "a;c"), "forms:codelist");
}
T_TEST(length) {
    T_CHECK_STR(with(2, "F"), "agency:length");
    T_CHECK_STR(with(2, "FIAXYZ"), "agency:length");
    T_CHECK_STR(with(2, "فیا"), ""); /* characters, not bytes */
}
T_TEST(date_type_and_range) {
    T_CHECK_STR(with(3, "2021-02-29"), "day:type");
    T_CHECK_STR(with(3, "04/03/2025"), "day:type");
    T_CHECK_STR(with(3, "1999-12-31"), "day:range");
}
T_TEST(integer_type_and_range) {
    T_CHECK_STR(with(5, "2.5"), "n:type");
    T_CHECK_STR(with(5, "-1"), "n:range");
    T_CHECK_STR(with(5, "10"), "n:range");
}
T_TEST(number_boolean_allow) {
    T_CHECK_STR(with(13, "1,5"), "x:type");
    T_CHECK_STR(with(12, "yes"), "ok:type");
    T_CHECK_STR(with(14, "<3"), "v:type");
    T_CHECK_STR(with(14, "7"), "");
}
T_TEST(encoding) {
    T_CHECK_STR(with(2, "F\xe9IA"), "agency:encoding");
    T_CHECK_STR(with(2, "\xc0\xaf"), "agency:encoding"); /* overlong */
}
T_TEST(unique_on_later_rows) {
    const char *v[NCOLS] = {"AFG-77", "AFG",  "FIA",  "2025-03-04", "2025-03",
                            "2",      "SOM",  "",     "",           "",
                            "",       "male", "true", "1",          "3"};
    T_CHECK_STR(run(v), "");
    T_CHECK_STR(run(v), "id:unique");
    T_CHECK_STR(run(v), "id:unique");
}
T_TEST(rule_prefix) {
    T_CHECK_STR(with(1, "AFG"), "id:rule sub:rule");
}
T_TEST(rule_period_end) {
    T_CHECK_STR(with(3, "2025-04-01"), "day:rule");
    T_CHECK_STR(with(3, "2025-03-31"), "");
}
T_TEST(rule_parent) {
    T_CHECK_STR(with(8, "AF-KAB"), "sub:rule");
}
T_TEST(rule_when_then) {
    T_CHECK_STR(with(7, ""), "forms:required");
    T_CHECK_STR(with(5, "0"), "n:rule");
    const char *v[NCOLS] = {"PAK-900", "PAK",  "FIA",  "2025-03-04", "2025-03",
                            "0",       "SOM",  "a",    "",           "",
                            "",        "male", "true", "1",          "3"};
    T_CHECK_STR(run(v), "forms:rule");
}
T_TEST(rule_check_digits) {
    T_CHECK_STR(with(10, "35202-1234567-4"), "num:rule"); /* even for a man */
    T_CHECK_STR(with(10, "35202-1234567-0"), "num:rule");
    T_CHECK_STR(with(10, "95202-1234567-3"), "num:rule"); /* province 9 */
    T_CHECK_STR(with(10, "3520212345673"), "num:pattern");
    T_CHECK(schema_iran_code_valid("0499370899", 10));
    T_CHECK(!schema_iran_code_valid("0499370898", 10));
    T_CHECK(!schema_iran_code_valid("1111111111", 10));
}
T_TEST(no_cascade_from_bad_values) {
    /* a bad date gives its type finding, not also the period rule */
    T_CHECK_STR(with(3, "2025-13-01"), "day:type");
    T_CHECK_STR(with(1, "XXX"), "cc:codelist");
}
T_TEST(row_shape) {
    source_cell cells[3] = {{"a", 1}, {"b", 1}, {"c", 1}};
    source_row r = {cells, 3, ++rowno, 0, NULL, NULL};
    T_CHECK_INT(check_row(C, &r), 1);
    size_t n;
    const check_finding *f = check_findings(C, &n);
    T_CHECK(n == 1 && f[0].code == CHECK_ROW_SHAPE);
    source_row e = {cells, 0, ++rowno, 0, NULL, NULL};
    T_CHECK_INT(check_row(C, &e), 1);
    source_row u = {cells, 3, ++rowno, SOURCE_ROW_UNTERMINATED, NULL, NULL};
    T_CHECK_INT(check_row(C, &u), 1);
}

T_TEST(header_findings) {
    check *c = check_new(S);
    source_cell cells[4] = {{"id", 2}, {"id", 2}, {"extra", 5}, {"agency", 6}};
    source_row h = {cells, 4, 1, 0, NULL, NULL};
    T_CHECK_INT(check_header(c, &h), 2); /* duplicate id, missing cc */
    size_t n;
    const check_finding *f = check_findings(c, &n);
    int dup = 0, unknown = 0, missing = 0;
    for (size_t i = 0; i < n; i++) {
        dup += f[i].code == CHECK_HEADER && !strcmp(f[i].field, "id");
        unknown +=
            f[i].severity == CHECK_WARNING && !strcmp(f[i].field, "extra");
        missing += !strcmp(f[i].field, "cc");
    }
    T_CHECK_INT(dup, 1);
    T_CHECK_INT(unknown, 1);
    T_CHECK_INT(missing, 1);
    check_free(c);
}

static int load_error(const char *text, const char *want) {
    char path[256], err[1024];
    snprintf(path, sizeof path, "%s/bad.yaml", dir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    schema *s = schema_load(path, err, sizeof err);
    schema_free(s);
    if (s || !strstr(err, want)) {
        fprintf(stderr, "schema error was: %s (want %s)\n", s ? "none" : err,
                want);
        return 0;
    }
    return 1;
}

T_TEST(schema_errors_have_positions) {
    T_CHECK(load_error("schema: x\nfields:\n  - {name: a, type: strin}\n",
                       "bad.yaml:3:21: error: unknown type 'strin'"));
    T_CHECK(load_error("schema: x\nfields:\n  - {name: a, type: string}\n"
                       "  - {name: a, type: string}\n",
                       ":4:5: error: field 'a' is defined twice"));
    T_CHECK(load_error("schema: x\nfields: []\n", "non-empty list"));
    T_CHECK(load_error("schema: x\nfields:\n  - {name: a, type: code}\n",
                       "needs codes or codelist"));
    T_CHECK(load_error("schema: x\nfields:\n  - {name: a, type: code, codes: "
                       "[A, A]}\n",
                       "listed twice"));
    T_CHECK(load_error("schema: x\nfields:\n  - {name: a, type: string}\n"
                       "rules:\n  - {id: r, compare: {left: a, op: '=~', "
                       "right: a}}\n",
                       "op must be one of"));
    T_CHECK(load_error("schema: x\nfields:\n  - {name: a, type: string\n",
                       "bad.yaml:4:1: error:"));
    T_CHECK(load_error("", "a schema is a mapping"));
}

T_TEST(strmap_grows_and_finds) {
    strmap m;
    strmap_init(&m);
    char k[32];
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(k, sizeof k, "key-%d", i), added;
        uint64_t *v = strmap_put(&m, k, (size_t)n, &added);
        T_CHECK(v && added);
        if (v) *v = (uint64_t)i;
    }
    int bad = 0;
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(k, sizeof k, "key-%d", i);
        uint64_t *v = strmap_get(&m, k, (size_t)n);
        bad += !v || *v != (uint64_t)i;
    }
    T_CHECK_INT(bad, 0);
    T_CHECK(strmap_get(&m, "key-100000", 10) == NULL);
    T_CHECK_INT(m.count, 100000);
    strmap_free(&m);
}

/* ---- the table key, small counts and sums, on a small aggregate table ---- */

static const char *agg_text =
    "schema: a\n"
    "fields:\n"
    "  - {name: c, type: code, required: true, codes: [PAK, AFG]}\n"
    "  - {name: s, type: code, required: true, codes: [f, m, u, t]}\n"
    "  - {name: b, type: code, codes: [land, air, total]}\n"
    "  - {name: v, type: integer, required: true, min: 0, allow: ['<5'], "
    "suppress_below: 5}\n"
    "key:\n"
    "  fields: [c, s, b]\n"
    "  defaults: {b: total}\n"
    "sums:\n"
    "  value: v\n"
    "  totals: {s: t, b: total}\n";

static schema *A;

/* Checks one file of rows "c,s,b,v;c,s,b,v;..." (rows 2, 3, ...) with
 * checker K and returns its errors as "row:field:code" (field "-" for the
 * whole row), the end-of-file ones included, with each message after '='
 * when MSG. */
static const char *agg_file(check *k, const char *rows, int msg) {
    static char out[8192];
    static const char *hn[] = {"c", "s", "b", "v"};
    source_cell hc[4];
    for (int i = 0; i < 4; i++)
        hc[i] = (source_cell){hn[i], strlen(hn[i])};
    source_row h = {hc, 4, 1, 0, NULL, NULL};
    check_header(k, &h);
    out[0] = 0;
    char buf[512];
    const char *p = rows;
    long row = 1;
    size_t n;
    const check_finding *f;
    for (int more = 1; more;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        more = e != NULL;
        memcpy(buf, p, len);
        buf[len] = 0;
        p = e ? e + 1 : p + len;
        source_cell cells[4];
        char *q = buf;
        for (int i = 0; i < 4; i++) {
            char *comma = strchr(q, ',');
            if (comma) *comma = 0;
            cells[i] = (source_cell){q, strlen(q)};
            q = comma ? comma + 1 : q + strlen(q);
        }
        source_row r = {cells, 4, ++row, 0, NULL, NULL};
        check_row(k, &r);
        f = check_findings(k, &n);
        for (size_t i = 0; i < n; i++)
            snprintf(out + strlen(out), sizeof out - strlen(out),
                     "%s%ld:%s:%s%s%s", out[0] ? " " : "", f[i].row,
                     f[i].field[0] ? f[i].field : "-",
                     check_code_name(f[i].code), msg ? "=" : "",
                     msg ? f[i].message : "");
    }
    while (check_end(k) > 0) {
        f = check_findings(k, &n);
        for (size_t i = 0; i < n; i++)
            snprintf(out + strlen(out), sizeof out - strlen(out),
                     "%s%ld:%s:%s%s%s", out[0] ? " " : "", f[i].row,
                     f[i].field[0] ? f[i].field : "-",
                     check_code_name(f[i].code), msg ? "=" : "",
                     msg ? f[i].message : "");
    }
    return out;
}

/* agg_file() with a checker of its own: a file checked alone. */
static const char *agg1(const char *rows, int msg) {
    check *k = check_new(A);
    const char *out = agg_file(k, rows, msg);
    check_free(k);
    return out;
}

T_TEST(table_key_with_defaults) {
    check *k = check_new(A);
    /* an empty b is its default, total: the same key as row 2 */
    T_CHECK_STR(agg_file(k, "PAK,t,total,10;PAK,t,,10;PAK,t,land,10", 0),
                "3:-:unique");
    T_CHECK_STR(agg_file(k, "PAK,t,,10;AFG,t,,10", 1),
                "2:-:unique=the key (PAK, t, total) repeats row 2 of an "
                "earlier file; one row per key");
    /* a key with a wrong value is reported as what is wrong with it */
    T_CHECK_STR(agg_file(k, "PAK,x,,1;PAK,x,,1", 0),
                "2:s:codelist 2:v:range 3:s:codelist 3:v:range");
    check_free(k);
}

T_TEST(small_counts_as_token) {
    T_CHECK_STR(agg1("PAK,f,,0;PAK,m,,<5;PAK,u,,5;AFG,f,,4;AFG,m,,1", 1),
                "5:v:range=4 is a count under 5: write it as <5 (0 stays 0) "
                "6:v:range=1 is a count under 5: write it as <5 (0 stays 0)");
}

T_TEST(sums_too_large) {
    /* rows by s of the total on row 2; b is the same (total) for all */
    T_CHECK_STR(agg1("PAK,t,,10;PAK,f,,6;PAK,m,total,6", 1),
                "2:v:rule=the 2 rows by s of this total (from row 3) add up "
                "to 12, more than its 10");
    /* <5 is 1 to 4: 6 + <5 can be 10 */
    T_CHECK_STR(agg1("PAK,t,,10;PAK,f,,6;PAK,m,,<5", 0), "");
    /* 9 + <5 is at least 10: can be 10 */
    T_CHECK_STR(agg1("PAK,t,,10;PAK,f,,9;PAK,m,,<5", 0), "");
    /* 10 + <5 is at least 11 */
    T_CHECK_STR(agg1("PAK,f,,10;PAK,m,,<5;PAK,t,,10", 1),
                "4:v:rule=the 2 rows by s of this total (from row 2) add up "
                "to at least 11, more than its 10");
    /* a total of <5 (1 to 4) against parts of 7 */
    T_CHECK_STR(agg1("AFG,t,air,<5;AFG,f,air,7", 1),
                "2:v:rule=the 1 row by s of this total (from row 3) adds up "
                "to 7, more than its 1 to 4");
}

T_TEST(sums_too_small_only_when_complete) {
    /* u not given: it may hold the rest */
    T_CHECK_STR(agg1("PAK,t,,20;PAK,f,,6;PAK,m,,6", 0), "");
    /* every code given: 12 cannot be 20 */
    T_CHECK_STR(agg1("PAK,t,,20;PAK,f,,6;PAK,m,,6;PAK,u,,0", 1),
                "2:v:rule=the 3 rows by s of this total (from row 3; every s "
                "is given) add up to 12, less than its 20");
    /* three <5 are at most 12 */
    T_CHECK_STR(agg1("PAK,t,,20;PAK,f,,<5;PAK,m,,<5;PAK,u,,<5", 1),
                "2:v:rule=the 3 rows by s of this total (from row 3; every s "
                "is given) add up to at most 12, less than its 20");
    T_CHECK_STR(agg1("PAK,t,,12;PAK,f,,<5;PAK,m,,<5;PAK,u,,<5", 0), "");
    /* by b (land + air) with s = t */
    T_CHECK_STR(agg1("AFG,t,land,5;AFG,t,air,5;AFG,t,,11", 0), "4:v:rule");
    /* each breakdown on its own: rows by s within b = land */
    T_CHECK_STR(agg1("AFG,t,land,5;AFG,f,land,6;AFG,t,total,100", 0),
                "2:v:rule");
    /* a repeated key is not summed twice */
    T_CHECK_STR(agg1("PAK,t,,10;PAK,f,,6;PAK,f,,6", 0), "4:-:unique");
}

T_TEST(sums_reported_in_row_order) {
    T_CHECK_STR(agg1("PAK,f,land,9;PAK,t,land,5;AFG,t,air,5;AFG,m,air,9;"
                     "AFG,t,land,0;AFG,f,land,<5;AFG,m,land,<5",
                     0),
                "3:v:rule 4:v:rule 6:v:rule");
}

/* Loads schema TEXT (at most 8 fields, NF of them) and starts a checker on
 * a file whose header is its field names; NULL on error (printed). The
 * caller frees the checker and *OUT. */
static check *checker_for(const char *text, size_t nf, schema **out) {
    char path[256], err[1024];
    snprintf(path, sizeof path, "%s/x.yaml", dir);
    FILE *fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
    *out = schema_load(path, err, sizeof err);
    if (!*out || nf > 8) {
        fprintf(stderr, "%s\n", *out ? "too many fields" : err);
        return NULL;
    }
    check *k = check_new(*out);
    source_cell hc[8];
    for (size_t i = 0; i < nf; i++) {
        const char *name = (*out)->fields[i].name;
        hc[i] = (source_cell){name, strlen(name)};
    }
    source_row h = {hc, nf, 1, 0, NULL, NULL};
    check_header(k, &h);
    return k;
}

/* More wrong totals than one check_end() call gives: all come, in order. */
T_TEST(sums_in_batches) {
    schema *g;
    check *k = checker_for(
        "schema: g\nfields:\n  - {name: g, type: string, required: true}\n"
        "  - {name: s, type: code, required: true, codes: [f, t]}\n"
        "  - {name: v, type: integer}\n"
        "key: {fields: [g, s]}\nsums: {value: v, totals: {s: t}}\n",
        3, &g);
    T_CHECK(k != NULL);
    if (!k) return;
    source_cell cells[3];
    char name[32];
    for (long i = 0; i < 150; i++) {
        snprintf(name, sizeof name, "g%ld", i);
        cells[0] = (source_cell){name, strlen(name)};
        cells[1] = (source_cell){i % 2 ? "t" : "f", 1};
        cells[2] = (source_cell){i % 2 ? "1" : "2", 1};
        source_row r = {cells, 3, 2 + 2 * i, 0, NULL, NULL};
        check_row(k, &r);
        /* the total of the same group on the next row */
        cells[1] = (source_cell){"t", 1};
        cells[2] = (source_cell){"1", 1};
        r.row++;
        if (i % 2 == 0) check_row(k, &r);
    }
    long seen = 0, last = 0, calls = 0, ordered = 1;
    int got;
    while ((got = check_end(k)) > 0) {
        size_t n;
        const check_finding *f = check_findings(k, &n);
        T_CHECK_INT(n, got);
        calls++;
        for (size_t i = 0; i < n; i++) {
            ordered &= f[i].row > last;
            last = f[i].row;
        }
        seen += (long)n;
    }
    T_CHECK_INT(seen, 75); /* g0, g2, ... g148: 2 > 1 */
    T_CHECK(calls >= 2);
    T_CHECK(ordered);
    check_free(k);
    schema_free(g);
}

/* A code field that also takes a literal is keyed on its bytes: the
 * literal, an empty cell and a code are three keys. */
T_TEST(key_code_with_literal) {
    schema *l;
    check *k = checker_for(
        "schema: l\nfields:\n  - {name: c, type: code, codes: [A, B], "
        "allow: ['n/a']}\n  - {name: v, type: integer}\nkey: {fields: [c]}\n",
        2, &l);
    T_CHECK(k != NULL);
    if (!k) return;
    source_cell cells[2];
    static const char *vals[] = {"n/a", "", "A", "n/a", "", "B"};
    int dups = 0;
    long dup_row = 0;
    for (int i = 0; i < 6; i++) {
        cells[0] = (source_cell){vals[i], strlen(vals[i])};
        cells[1] = (source_cell){"1", 1};
        source_row r = {cells, 2, 2 + i, 0, NULL, NULL};
        if (check_row(k, &r)) {
            dups++;
            dup_row = dup_row ? dup_row : 2 + i;
        }
    }
    T_CHECK_INT(dups, 2); /* the second n/a and the second empty */
    T_CHECK_INT(dup_row, 5);
    check_free(k);
    schema_free(l);
}

T_TEST(key_and_sums_schema_errors) {
    T_CHECK(load_error("schema: x\nfields:\n  - {name: v, type: integer, "
                       "suppress_below: 5}\n",
                       "3:46: error: suppress_below: 5 needs allow: [\"<5\"]"));
    T_CHECK(load_error("schema: x\nfields:\n  - {name: v, type: string, "
                       "allow: ['<5'], suppress_below: 5}\n",
                       "suppress_below is for fields of type integer"));
    T_CHECK(load_error("schema: x\nfields:\n  - {name: a, type: code, codes: "
                       "[x, t]}\n  - {name: v, type: integer}\n"
                       "sums: {value: v, totals: {a: t}}\n",
                       "5:7: error: sums needs a key:"));
    T_CHECK(load_error("schema: x\nfields:\n  - {name: a, type: code, codes: "
                       "[x, t]}\nkey: {fields: [a], defaults: {a: total}}\n",
                       "4:34: error: 'total' is not a code of"));
    T_CHECK(load_error("schema: x\nfields:\n  - {name: a, type: string}\n"
                       "key: {fields: [a, b]}\n",
                       "4:19: error: no field named 'b'"));
    T_CHECK(load_error("schema: x\nfields:\n  - {name: a, type: string}\n"
                       "key: {fields: [a, a]}\n",
                       "is in the key twice"));
    T_CHECK(load_error("schema: x\nfields:\n  - {name: a, type: code, codes: "
                       "[x, t]}\n  - {name: b, type: code, codes: [x, t]}\n"
                       "  - {name: v, type: integer}\nkey: {fields: [a]}\n"
                       "sums: {value: v, totals: {b: t}}\n",
                       "breakdown 'b' must be a key field"));
}

int main(void) {
    char err[1024], path[256];
    if (!mkdtemp(dir)) return 1;
    snprintf(path, sizeof path, "%s/codes", dir);
    /* the schema's iso3166_2 list resolves from schemas/codes */
    char *codes = realpath("schemas/codes", NULL);
    int linked = codes && symlink(codes, path) == 0;
    free(codes);
    if (!linked) return 1;
    snprintf(path, sizeof path, "%s/t.yaml", dir);
    FILE *f = fopen(path, "w");
    fputs(schema_text, f);
    fclose(f);
    S = schema_load(path, err, sizeof err);
    if (!S) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    C = check_new(S);
    source_cell hc[NCOLS];
    for (int i = 0; i < NCOLS; i++)
        hc[i] = (source_cell){header[i], strlen(header[i])};
    source_row h = {hc, NCOLS, ++rowno, 0, NULL, NULL};
    if (check_header(C, &h) != 0) return 1;
    T_RUN(valid_row_has_no_findings);
    T_RUN(required);
    T_RUN(blank_is_empty);
    T_RUN(pattern);
    T_RUN(codelist_exact);
    T_RUN(list_codes);
    T_RUN(length);
    T_RUN(date_type_and_range);
    T_RUN(integer_type_and_range);
    T_RUN(number_boolean_allow);
    T_RUN(encoding);
    T_RUN(unique_on_later_rows);
    T_RUN(rule_prefix);
    T_RUN(rule_period_end);
    T_RUN(rule_parent);
    T_RUN(rule_when_then);
    T_RUN(rule_check_digits);
    T_RUN(no_cascade_from_bad_values);
    T_RUN(row_shape);
    T_RUN(excel_cells);
    T_RUN(header_findings);
    T_RUN(schema_errors_have_positions);
    T_RUN(strmap_grows_and_finds);
    snprintf(path, sizeof path, "%s/a.yaml", dir);
    f = fopen(path, "w");
    fputs(agg_text, f);
    fclose(f);
    A = schema_load(path, err, sizeof err);
    if (!A) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    T_RUN(table_key_with_defaults);
    T_RUN(small_counts_as_token);
    T_RUN(sums_too_large);
    T_RUN(sums_too_small_only_when_complete);
    T_RUN(sums_reported_in_row_order);
    T_RUN(sums_in_batches);
    T_RUN(key_and_sums_schema_errors);
    T_RUN(key_code_with_literal);
    schema_free(A);
    check_free(C);
    schema_free(S);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    return T_END();
}
