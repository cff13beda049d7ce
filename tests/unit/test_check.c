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
    source_row r = {cells, NCOLS, ++rowno, 0, kinds};
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
    source_row e = {NULL, 0, ++rowno, 0, NULL};
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
    source_row r = {cells, 3, ++rowno, 0, NULL};
    T_CHECK_INT(check_row(C, &r), 1);
    size_t n;
    const check_finding *f = check_findings(C, &n);
    T_CHECK(n == 1 && f[0].code == CHECK_ROW_SHAPE);
    source_row e = {cells, 0, ++rowno, 0, NULL};
    T_CHECK_INT(check_row(C, &e), 1);
    source_row u = {cells, 3, ++rowno, SOURCE_ROW_UNTERMINATED, NULL};
    T_CHECK_INT(check_row(C, &u), 1);
}

T_TEST(header_findings) {
    check *c = check_new(S);
    source_cell cells[4] = {{"id", 2}, {"id", 2}, {"extra", 5}, {"agency", 6}};
    source_row h = {cells, 4, 1, 0, NULL};
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
    source_row h = {hc, NCOLS, ++rowno, 0, NULL};
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
    check_free(C);
    schema_free(S);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    return T_END();
}
