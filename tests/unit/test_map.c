/* test_map.c: unit tests for lib/map.c, the merge crosswalk. Run from the
 * repository top (tests/run.sh does): maps point at schemas/ there. */
#include "map.h"
#include "t.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/test_map.XXXXXX"; /* scratch for map files */
static char cwd[4096];                      /* repository top */

/* Writes BODY, after a schema line for SCHEMA, to a map file; loads it.
 * On a load error returns NULL with the message in ERR. */
static map *load(const char *schema, const char *body, char *err,
                 size_t errlen) {
    static int n;
    char path[4200];
    snprintf(path, sizeof path, "%s/m%d.yaml", dir, n++);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fprintf(f, "schema: %s/schemas/%s.yaml\n%s", cwd, schema, body);
    fclose(f);
    return map_load(path, err, errlen);
}

/* A header and rows of up to 8 cells, as a source would hand them out. */
typedef struct trow {
    source_cell c[8]; /* cells */
    source_row r;     /* the row */
} trow;

static const source_row *mk(trow *t, long rowno, const char *a, const char *b,
                            const char *c) {
    const char *v[3] = {a, b, c};
    size_t n = 0;
    for (; n < 3 && v[n]; n++)
        t->c[n] = (source_cell){v[n], strlen(v[n])};
    t->r = (source_row){t->c, n, rowno, 0, NULL, NULL};
    return &t->r;
}

/* The mapped value of FIELD as a NUL-terminated string. */
static const char *val(map *m, const char *field) {
    static char buf[512];
    int i = schema_field_index(map_schema(m), field, strlen(field));
    if (i < 0) return "(no field)";
    const source_cell *c = &map_cells(m)[i];
    snprintf(buf, sizeof buf, "%.*s", (int)c->n, c->p);
    return buf;
}

/* Maps the one-column value V through a map whose field FIELD reads
 * column "x" with SPEC; returns the mapped value, or "REJECT". */
static const char *one(map *m, const char *v) {
    trow h, r;
    char err[512];
    if (map_header(m, mk(&h, 1, "x", NULL, NULL), "t.csv", err, sizeof err))
        return "HEADER";
    if (map_row(m, mk(&r, 2, v, NULL, NULL))) return "REJECT";
    return NULL;
}

static const char *date(map *m, const char *v) {
    const char *r = one(m, v);
    return r ? r : val(m, "incident_date");
}

T_TEST(test_fold) {
    size_t n;
    const char *f = map_fold(NULL, "  Human \t TRAFFICKING  ", 23, &n);
    T_CHECK_INT(n, 17);
    T_CHECK(!memcmp(f, "human trafficking", 17));
    /* Arabic yeh and hamza-on-alef fold onto the Persian spelling */
    char a[64], b[64], c[64];
    f = map_fold(NULL, "ایران", strlen("ایران"), &n);
    snprintf(a, sizeof a, "%.*s", (int)n, f);
    f = map_fold(NULL, "إيران", strlen("إيران"), &n);
    snprintf(b, sizeof b, "%.*s", (int)n, f);
    f = map_fold(NULL, "ايران", strlen("ايران"), &n);
    snprintf(c, sizeof c, "%.*s", (int)n, f);
    T_CHECK_STR(b, a);
    T_CHECK_STR(c, a);
    /* Arabic kaf = Persian keheh; ZWNJ and tatweel vanish */
    f = map_fold(NULL, "كار", strlen("كار"), &n);
    snprintf(a, sizeof a, "%.*s", (int)n, f);
    f = map_fold(NULL, "کار", strlen("کار"), &n);
    snprintf(b, sizeof b, "%.*s", (int)n, f);
    T_CHECK_STR(a, b);
    f = map_fold(NULL, "کوره\u200cخشت", strlen("کوره\u200cخشت"), &n);
    snprintf(a, sizeof a, "%.*s", (int)n, f);
    T_CHECK_STR(a, "کورهخشت");
    /* digits: Persian and Arabic-Indic to ASCII; fullwidth via NFKC */
    f = map_fold(NULL, "۱۲ ٣", strlen("۱۲ ٣"), &n);
    snprintf(a, sizeof a, "%.*s", (int)n, f);
    T_CHECK_STR(a, "12 3");
    f = map_fold(NULL, "ＴＨＢ", strlen("ＴＨＢ"), &n);
    snprintf(a, sizeof a, "%.*s", (int)n, f);
    T_CHECK_STR(a, "thb");
}

/* The fold without ICU (Arabic block, ZW marks, Bengali digits) must give
 * what the ICU path gives: "é" (not in the fast set) sends a value to ICU,
 * and NFKC_Casefold leaves "é" alone, so fold("é" X) = "é" fold(X). */
T_TEST(test_fold_fast_path_equals_icu) {
    unsigned cps[300];
    size_t ncp = 0;
    for (unsigned c = 0x0600; c <= 0x06FF; c++)
        cps[ncp++] = c;
    for (unsigned c = 0x200C; c <= 0x200F; c++)
        cps[ncp++] = c;
    for (unsigned c = 0x09E6; c <= 0x09EF; c++)
        cps[ncp++] = c;
    cps[ncp++] = 0xFEFF;
    int bad = 0;
    for (size_t i = 0; i < ncp; i++) {
        char in[32], slow_in[40], fast[64], slow[64], want[72];
        unsigned c = cps[i];
        char u[4];
        size_t un;
        if (c < 0x800) {
            u[0] = (char)(0xC0 | (c >> 6));
            u[1] = (char)(0x80 | (c & 0x3F));
            un = 2;
        } else {
            u[0] = (char)(0xE0 | (c >> 12));
            u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
            u[2] = (char)(0x80 | (c & 0x3F));
            un = 3;
        }
        int n1 = snprintf(in, sizeof in, "aB %.*s\xd8\xa8Z", (int)un, u);
        int n2 = snprintf(slow_in, sizeof slow_in, "\xc3\xa9%s", in);
        size_t k;
        const char *f = map_fold(NULL, in, (size_t)n1, &k);
        snprintf(fast, sizeof fast, "%.*s", (int)k, f);
        f = map_fold(NULL, slow_in, (size_t)n2, &k);
        snprintf(slow, sizeof slow, "%.*s", (int)k, f);
        snprintf(want, sizeof want, "\xc3\xa9%s", fast);
        if (strcmp(want, slow)) {
            if (bad++ < 5)
                fprintf(stderr, "  U+%04X: fast '%s' icu '%s'\n", c, fast,
                        slow);
        }
    }
    T_CHECK_INT(bad, 0);
    /* and the fast path is taken: Persian digits and yeh in a case number */
    size_t k;
    const char *f = map_fold(NULL, "ق-۰۰۱۲ ي", strlen("ق-۰۰۱۲ ي"), &k);
    char a[64];
    snprintf(a, sizeof a, "%.*s", (int)k, f);
    T_CHECK_STR(a, "ق-0012 ی");
}

/* Repeated values come from the per-column cache: results and findings
 * must be those of the first time, past the cache's trial period. */
T_TEST(test_value_cache_repeats) {
    char err[1024];
    map *m = load("incident",
                  "unknown: [\"-99\"]\n"
                  "fields:\n  offence_type: {from: x, recode: "
                  "{THB: [Human Trafficking]}, unplaced: keep}\n",
                  err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    int wrong = 0;
    for (int i = 0; i < 10000; i++) {
        const char *v = i % 3 == 0   ? "human trafficking"
                        : i % 3 == 1 ? "-99"
                                     : "Kidnapping";
        const char *want = i % 3 == 0 ? "THB" : i % 3 == 1 ? "" : "Kidnapping";
        size_t want_finds = i % 3 == 2;
        if (one(m, v) != NULL) {
            wrong++;
            continue;
        }
        size_t nf;
        map_findings(m, &nf);
        if (strcmp(val(m, "offence_type"), want) || nf != want_finds) wrong++;
    }
    T_CHECK_INT(wrong, 0);
    map_free(m);
}

/* Counts: Bengali digits, and "<5" (the field's allow:) from labels. */
T_TEST(test_integer_recode_small_counts) {
    char err[1024];
    map *m = load("aggregate",
                  "fields:\n  value: {from: x, recode: {\"<5\": [৫ এর কম]}}\n",
                  err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return;
    }
#define V(v) (one(m, v) ? one(m, v) : val(m, "value"))
    T_CHECK_STR(V("৫ এর কম"), "<5");
    T_CHECK_STR(V("৫  এর  কম"), "<5");
    T_CHECK_STR(V("<5"), "<5");
    T_CHECK_STR(V("১২৮৪"), "1284");
    T_CHECK_STR(V("17"), "17");
    T_CHECK_STR(V("প্রায় ২০"), "REJECT");
    size_t nf;
    const check_finding *f = map_findings(m, &nf);
    T_CHECK_INT(nf, 1);
    if (nf) T_CHECK_INT(f[0].code, CHECK_TYPE);
#undef V
    map_free(m);
    /* a recode code that is neither a number nor allowed is a map error */
    m = load("aggregate", "fields:\n  value: {from: x, recode: {few: [কম]}}\n",
             err, sizeof err);
    T_CHECK(m == NULL);
    T_CHECK(strstr(err, "'few' is not a whole number or an allowed value") !=
            NULL);
    map_free(m);
}

T_TEST(test_jalali_dates) {
    char err[1024];
    map *m = load("incident",
                  "fields:\n  incident_date: {from: x, date: "
                  "\"jalali:YYYY/MM/DD\"}\n",
                  err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    T_CHECK_STR(date(m, "1400/01/01"), "2021-03-21");
    T_CHECK_STR(date(m, "1403/01/01"), "2024-03-20");
    /* Persian and Arabic-Indic digits */
    T_CHECK_STR(date(m, "۱۴۰۳/۰۱/۰۱"), "2024-03-20");
    T_CHECK_STR(date(m, "١٤٠٠/٠١/٠١"), "2021-03-21");
    T_CHECK_STR(date(m, "1400/05/12"), "2021-08-03");
    /* leap years: 1399 and 1403 have 30 Esfand, 1400 does not */
    T_CHECK_STR(date(m, "1399/12/30"), "2021-03-20");
    T_CHECK_STR(date(m, "1403/12/30"), "2025-03-20");
    T_CHECK_STR(date(m, "1400/12/30"), "REJECT");
    T_CHECK(strstr(map_reason(m), "incident_date: '1400/12/30'") != NULL);
    T_CHECK(strstr(map_reason(m), "jalali:YYYY/MM/DD") != NULL);
    map_free(m);
}

T_TEST(test_gregorian_formats) {
    char err[1024];
    map *m = load("incident",
                  "fields:\n  incident_date: {from: x, date: "
                  "DD/MM/YYYY}\n",
                  err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) return;
    T_CHECK_STR(date(m, "03/04/2025"), "2025-04-03");
    T_CHECK_STR(date(m, " 3/4/2025 "), "2025-04-03");
    T_CHECK_STR(date(m, "31/02/2025"), "REJECT");
    T_CHECK_STR(date(m, "2025-04-03"), "REJECT");
    map_free(m);
    m = load("incident",
             "fields:\n  incident_date: {from: x, date: "
             "YYYYMMDD}\n",
             err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) return;
    T_CHECK_STR(date(m, "20250302"), "2025-03-02");
    T_CHECK_STR(date(m, "٢٠٢٥٠٣٠٢"), "2025-03-02");
    map_free(m);
    m = load("incident", "fields:\n  incident_date: {from: x, date: excel}\n",
             err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) return;
    T_CHECK_STR(date(m, "45000"), "2023-03-15");
    T_CHECK_STR(date(m, "45000.75"), "2023-03-15");
    map_free(m);
}

T_TEST(test_recode_and_unplaced) {
    char err[1024];
    map *m =
        load("incident",
             "unknown: [\"-99\", N/A, نامعلوم]\n"
             "recodes:\n  off:\n    THB: [Human Trafficking, قاچاق انسان]\n"
             "    SOM: Human Smuggling\n"
             "fields:\n  offence_type: {from: x, recode: off}\n",
             err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return;
    }
#define OFF(v) (one(m, v) ? one(m, v) : val(m, "offence_type"))
    T_CHECK_STR(OFF("human   TRAFFICKING"), "THB");
    T_CHECK_STR(OFF(" Human Smuggling "), "SOM");
    T_CHECK_STR(OFF("قاچاق انسان"), "THB");
    /* the code itself and its list label match too */
    T_CHECK_STR(OFF("som"), "SOM");
    T_CHECK_STR(OFF("Irregular entry"), "IRREGULAR_ENTRY");
    /* unknown markers leave the field empty */
    T_CHECK_STR(OFF("-99"), "");
    T_CHECK_STR(OFF("n/a"), "");
    T_CHECK_STR(OFF("نامعلوم"), "");
    /* a label the map does not know is never guessed: the row is rejected */
    T_CHECK_STR(OFF("Kidnapping"), "REJECT");
    T_CHECK(strstr(map_reason(m), "offence_type: 'Kidnapping' has no code") !=
            NULL);
    size_t nf;
    const check_finding *f = map_findings(m, &nf);
    T_CHECK_INT(nf, 1);
    if (nf) T_CHECK_INT(f[0].severity, CHECK_ERROR);
    map_free(m);

    /* keep: the value goes out as it is, with a warning */
    m = load("incident",
             "fields:\n  offence_type: {from: x, recode: "
             "{THB: [Human Trafficking]}, unplaced: keep}\n",
             err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) return;
    T_CHECK(one(m, "Kidnapping") == NULL);
    T_CHECK_STR(val(m, "offence_type"), "Kidnapping");
    f = map_findings(m, &nf);
    T_CHECK_INT(nf, 1);
    if (nf) {
        T_CHECK_INT(f[0].severity, CHECK_WARNING);
        T_CHECK_INT(f[0].row, 2);
        T_CHECK(strstr(f[0].message, "'Kidnapping'") != NULL);
    }
    map_free(m);

    /* empty: the field is left empty, with a warning */
    m = load("incident",
             "fields:\n  offence_type: {from: x, recode: "
             "{THB: [Human Trafficking]}, unplaced: empty}\n",
             err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) return;
    T_CHECK(one(m, "Kidnapping") == NULL);
    T_CHECK_STR(val(m, "offence_type"), "");
    f = map_findings(m, &nf);
    T_CHECK_INT(nf, 1);
    map_free(m);
#undef OFF
}

T_TEST(test_ambiguous_label_is_not_guessed) {
    char err[1024];
    /* "Punjab" is the label of PK-PB and of IN-PB in ISO 3166-2 */
    map *m = load("incident", "fields:\n  admin1: x\n", err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) return;
    T_CHECK_STR(one(m, "Punjab"), "REJECT");
    T_CHECK(strstr(map_reason(m), "more than one code") != NULL);
    T_CHECK(one(m, "Sindh") == NULL);
    T_CHECK_STR(val(m, "admin1"), "PK-SD");
    map_free(m);
    /* an explicit recode settles it */
    m = load("incident",
             "fields:\n  admin1: {from: x, recode: {PK-PB: "
             "[Punjab]}}\n",
             err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) return;
    T_CHECK(one(m, "PUNJAB") == NULL);
    T_CHECK_STR(val(m, "admin1"), "PK-PB");
    map_free(m);
}

T_TEST(test_countries) {
    char err[1024];
    map *m = load("incident",
                  "countries:\n  AFG: [افغانستان]\n  IRN: [Iran, ایران]\n"
                  "fields:\n  route_origin: {from: x, country: true}\n",
                  err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return;
    }
#define C(v) (one(m, v) ? one(m, v) : val(m, "route_origin"))
    T_CHECK_STR(C("Afghanistan"), "AFG");
    T_CHECK_STR(C("af"), "AFG");
    T_CHECK_STR(C("AFG"), "AFG");
    T_CHECK_STR(C("افغانستان"), "AFG");
    T_CHECK_STR(C("إيران"), "IRN"); /* Arabic spelling of the map's name */
    T_CHECK_STR(C("Pakistan"), "PAK");
    T_CHECK_STR(C("Narnia"), "REJECT");
#undef C
    map_free(m);
    /* a list field: items split on ; or , and joined with ; */
    m = load("incident",
             "countries:\n  IRN: [Iran]\n"
             "fields:\n  route_transit: x\n",
             err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) return;
    T_CHECK(one(m, "Iran, Turkey ;GR") != NULL); /* Turkey: label Türkiye */
    T_CHECK(one(m, "Iran, Türkiye ;GR") == NULL);
    T_CHECK_STR(val(m, "route_transit"), "IRN;TUR;GRC");
    map_free(m);
}

T_TEST(test_constants_templates_defaults) {
    char err[1024];
    map *m =
        load("incident",
             "constants:\n  reporting_country: PAK\n"
             "fields:\n"
             "  incident_id: {template: \"PAK-{=incident_date:year}-{x:id}\"}\n"
             "  reporting_period: {template: \"{=incident_date:month}\"}\n"
             "  incident_date: {from: y, date: DD/MM/YYYY}\n"
             "  notes: {template: \"row {#row} of {#source}\"}\n"
             "  victims_count: {from: z, default: \"0\"}\n",
             err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    trow h, r;
    T_CHECK_INT(map_header(m, mk(&h, 1, "X", " Y ", "z"), "dir/pak.csv", err,
                           sizeof err),
                0);
    T_CHECK_INT(map_row(m, mk(&r, 7, "lhr/0012 ", "05/03/2025", "۱۲")), 0);
    T_CHECK_STR(val(m, "incident_id"), "PAK-2025-LHR-0012");
    T_CHECK_STR(val(m, "reporting_country"), "PAK");
    T_CHECK_STR(val(m, "reporting_period"), "2025-03");
    T_CHECK_STR(val(m, "incident_date"), "2025-03-05");
    T_CHECK_STR(val(m, "notes"), "row 7 of pak");
    T_CHECK_STR(val(m, "victims_count"), "12");
    T_CHECK_INT(map_row(m, mk(&r, 8, "K-1", "06/03/2025", "")), 0);
    T_CHECK_STR(val(m, "victims_count"), "0");
    T_CHECK_STR(val(m, "incident_id"), "PAK-2025-K-1");
    T_CHECK_INT(map_row(m, mk(&r, 9, "K-2", "06/03/2025", "twelve")), 1);
    T_CHECK(strstr(map_reason(m), "victims_count: 'twelve' is not a whole "
                                  "number") != NULL);
    map_free(m);
}

T_TEST(test_missing_column) {
    char err[1024];
    map *m = load("incident", "fields:\n  notes: Remarks\n  place_name: Town\n",
                  err, sizeof err);
    T_CHECK(m != NULL);
    if (!m) return;
    trow h;
    T_CHECK_INT(map_header(m, mk(&h, 1, "remarks", "Place", NULL), "a.csv", err,
                           sizeof err),
                -1);
    T_CHECK(strstr(err, "1 column of map") != NULL);
    T_CHECK(strstr(err, "'Town' (line 4)") != NULL);
    T_CHECK(strstr(err, "Remarks") == NULL);
    map_free(m);
}

/* A bad map gives MAP:LINE:COL: error: and no map. */
static void bad(const char *body, int line, const char *want) {
    char err[1024] = "";
    map *m = load("incident", body, err, sizeof err);
    T_CHECK(m == NULL);
    map_free(m);
    char pos[32];
    snprintf(pos, sizeof pos, ".yaml:%d:", line);
    T_CHECK(strstr(err, pos) != NULL);
    T_CHECK(strstr(err, ": error: ") != NULL);
    T_CHECK(strstr(err, want) != NULL);
    if (!strstr(err, want) || !strstr(err, pos))
        fprintf(stderr, "  got: %s\n", err);
}

T_TEST(test_map_errors) {
    /* line 1 is the schema line load() writes */
    bad("fields:\n  incidnt_id: x\n", 3, "'incidnt_id' is not a field");
    bad("fields:\n  incident_date: {from: x, date: DD/MM/YY}\n", 3,
        "not a known format");
    bad("fields:\n  offence_type: {from: x, recode: {TRAFFICKING: [a]}}\n", 3,
        "'TRAFFICKING' is not a code of offence_type");
    bad("fields:\n  offence_type: {from: x, recode: nope}\n", 3,
        "recode 'nope' is not defined");
    bad("fields:\n  notes: {template: \"{=victims_count}\"}\n", 3,
        "does not fill");
    bad("fields:\n  notes: {fron: x}\n", 3, "unknown key 'fron'");
    bad("colour: red\nfields:\n  notes: x\n", 2, "unknown key 'colour'");
    bad("recodes:\n  r:\n    THB: [a]\n    SOM: [A]\n"
        "fields:\n  offence_type: {from: x, recode: r}\n",
        5, "given for two codes");
    char err[512];
    T_CHECK(map_load("/nonexistent/m.yaml", err, sizeof err) == NULL);
}

int main(void) {
    if (!getcwd(cwd, sizeof cwd) || !mkdtemp(dir)) return 2;
    T_RUN(test_fold);
    T_RUN(test_fold_fast_path_equals_icu);
    T_RUN(test_value_cache_repeats);
    T_RUN(test_integer_recode_small_counts);
    T_RUN(test_jalali_dates);
    T_RUN(test_gregorian_formats);
    T_RUN(test_recode_and_unplaced);
    T_RUN(test_ambiguous_label_is_not_guessed);
    T_RUN(test_countries);
    T_RUN(test_constants_templates_defaults);
    T_RUN(test_missing_column);
    T_RUN(test_map_errors);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    return T_END();
}
