/* test_link.c: the dedup section, comparison levels, blocking and
 * clustering of lib/link. */
#include "link.h"
#include "t.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char ybuf[4096];

/* Parses YAML text (a document whose root has dedup:) into a config. */
static link_config *cfg_of(const char *yaml, char *err, size_t errlen) {
    char path[] = "/tmp/test_link_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, "w");
    fputs(yaml, f);
    fclose(f);
    ydoc *d = ydoc_load(path, err, errlen);
    unlink(path);
    if (!d) return NULL;
    link_config *c = link_config_parse(d, ydoc_get(d->root, "dedup"), NULL,
                                       NULL, err, errlen);
    ydoc_free(d);
    return c;
}

/* Adds a row with fields a and b (and c, when the config has it), by
 * name: the config numbers fields in order of first mention. */
static long add_abc(link_ctx *L, const link_config *c, const char *a,
                    const char *b, const char *cc, int prior) {
    const char *v[3];
    size_t n[3];
    for (int i = 0; i < c->nfields && i < 3; i++) {
        const char *x = !strcmp(c->fields[i], "a")   ? a
                        : !strcmp(c->fields[i], "b") ? b
                                                     : cc;
        v[i] = x;
        n[i] = strlen(x);
    }
    return link_add(L, v, n, prior);
}

/* Adds a row by field name: NAMES[i] = VALS[i]; other fields empty. */
static long add_named(link_ctx *L, const link_config *c, int n,
                      const char *const *names, const char *const *vals) {
    const char *v[LINK_MAX_FIELDS];
    size_t l[LINK_MAX_FIELDS];
    for (int f = 0; f < c->nfields; f++) {
        v[f] = "";
        for (int i = 0; i < n; i++)
            if (!strcmp(c->fields[f], names[i])) v[f] = vals[i];
        l[f] = strlen(v[f]);
    }
    return link_add(L, v, l, 0);
}

/* A one-comparison config on field "a" with the given prepare and level. */
static link_config *one_level(const char *prep, const char *level) {
    char err[512];
    snprintf(ybuf, sizeof ybuf,
             "dedup:\n  threshold: 1\n  blocking: [b]\n  compare:\n"
             "    - field: a\n      prepare: %s\n      levels:\n"
             "        - %s\n        - {test: else, m: 0.1, u: 0.9}\n",
             prep, level);
    link_config *c = cfg_of(ybuf, err, sizeof err);
    if (!c) fprintf(stderr, "config: %s\n", err);
    return c;
}

/* Level index of comparing values x and y under (prep, level). */
static int level(const char *prep, const char *lvl, const char *x,
                 const char *y) {
    char err[256];
    link_config *c = one_level(prep, lvl);
    if (!c) return -9;
    link_ctx *L = link_new(c, err, sizeof err);
    add_abc(L, c, x, "k", "", 0);
    add_abc(L, c, y, "k", "", 0);
    double w;
    int l = link_level_of(L, 0, 0, 1, &w);
    link_free(L);
    link_config_free(c);
    return l;
}

T_TEST(config_errors) {
    char err[512];
    T_CHECK(cfg_of("dedup:\n  blocking: [a]\n  compare: []\n", err,
                   sizeof err) == NULL);
    T_CHECK(strstr(err, "threshold") != NULL);
    T_CHECK(
        cfg_of("dedup:\n  threshold: 3\n  blocking: [nosuch(a)]\n  compare:\n"
               "    - {field: a, levels: [{test: exact, m: 0.9, u: 0.1}]}\n",
               err, sizeof err) == NULL);
    T_CHECK(strstr(err, "unknown key function") != NULL);
    T_CHECK(
        cfg_of("dedup:\n  threshold: 3\n  blocking: [a]\n  compare:\n"
               "    - {field: a, levels: [{test: exact, m: 1.5, u: 0.1}]}\n",
               err, sizeof err) == NULL);
    T_CHECK(strstr(err, "probability") != NULL);
    T_CHECK(strstr(err, ":5:") != NULL); /* says where */
    T_CHECK(cfg_of("dedup:\n  threshold: 3\n  blocking: [a]\n  compare:\n"
                   "    - {field: a, levels: [{test: tf, m: 0.5, u: 0.1}]}\n",
                   err, sizeof err) == NULL);
    T_CHECK(strstr(err, "unknown test") != NULL);
    T_CHECK(cfg_of("dedup:\n  threshold: 3\n  bogus: 1\n", err, sizeof err) ==
            NULL);
    T_CHECK(strstr(err, "unknown key 'bogus'") != NULL);
}

T_TEST(config_else_added_and_weights) {
    char err[512];
    link_config *c =
        cfg_of("dedup:\n  threshold: 3\n  blocking: [a]\n  compare:\n"
               "    - {field: a, levels: [{test: exact, m: 0.8, u: 0.1}]}\n",
               err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    T_CHECK_INT(c->cmps[0].nlevels, 2);
    T_CHECK(c->cmps[0].levels[1].test == LINK_T_ELSE);
    T_CHECK(fabs(c->cmps[0].levels[0].w - 3.0) < 1e-9); /* log2(0.8/0.1) */
    T_CHECK(fabs(c->cmps[0].levels[1].m - 0.2) < 1e-9);
    T_CHECK(fabs(c->cmps[0].levels[1].u - 0.9) < 1e-9);
    link_config_free(c);
}

T_TEST(level_exact_key_swap) {
    const char *ex = "{test: exact, m: 0.5, u: 0.01}";
    const char *key = "{test: key, m: 0.5, u: 0.01}";
    const char *sw = "{test: swap, m: 0.5, u: 0.01}";
    T_CHECK_INT(level("name", ex, "Muhammad Khan", "  MUHAMMAD   KHAN "), 0);
    T_CHECK_INT(level("name", ex, "Muhammad Khan", "Mohammad Khan"), 1);
    /* romanisation variants and scripts share the key */
    T_CHECK_INT(level("name", key, "Mohammad Hossaini", "MUHAMMAD HUSSAINI"),
                0);
    T_CHECK_INT(level("name", key, "محمد حسینی", "Muhammad Hussaini"), 0);
    T_CHECK_INT(level("name", key, "মোহাম্মদ রহমান", "Mohammed Rahman"), 0);
    T_CHECK_INT(level("name", key, "Al-Tamimi", "Altamimi"), 0);
    T_CHECK_INT(level("name", key, "Ahmad", "Ahmed"), 0);
    T_CHECK_INT(level("name", key, "Ahmad Karimi", "Karimi Ahmad"), 1);
    /* family and given name swapped */
    T_CHECK_INT(level("name", sw, "Karimi Ahmad", "Ahmed Karimi"), 0);
    T_CHECK_INT(level("name", sw, "Karimi Ahmad", "Ahmed Rahimi"), 1);
    /* a key test on text preparation never holds */
    T_CHECK_INT(level("text", key, "Ahmad", "Ahmad"), 1);
}

T_TEST(level_similarity) {
    T_CHECK_INT(level("text", "{test: jw, min: 0.9, m: 0.5, u: 0.01}", "martha",
                      "marhta"),
                0);
    T_CHECK_INT(level("text", "{test: jw, min: 0.9, m: 0.5, u: 0.01}", "martha",
                      "smith"),
                1);
    T_CHECK_INT(level("name", "{test: token_jw, min: 0.95, m: 0.5, u: 0.01}",
                      "hussain muhammad", "Muhammad Hussain"),
                0);
    T_CHECK_INT(
        level("text", "{test: dl, max: 1, m: 0.5, u: 0.01}", "4011", "4101"),
        0);
    T_CHECK_INT(
        level("text", "{test: dl, max: 1, m: 0.5, u: 0.01}", "4011", "5102"),
        1);
    T_CHECK_INT(
        level("text", "{test: soundex, m: 0.5, u: 0.01}", "Robert", "Rupert"),
        0);
    T_CHECK_INT(
        level("text", "{test: soundex, m: 0.5, u: 0.01}", "Robert", "Smith"),
        1);
    T_CHECK_INT(level("id", "{test: exact, m: 0.5, u: 0.01}", "35202-1234567-1",
                      "3520212345671"),
                0);
    T_CHECK_INT(
        level("digits", "{test: exact, m: 0.5, u: 0.01}", "۳۵۲۰۲", "35202"), 0);
}

T_TEST(level_dates_numbers) {
    const char *sw = "{test: date_swap, m: 0.5, u: 0.01}";
    T_CHECK_INT(level("date", sw, "1998-04-09", "1998-09-04"), 0);
    T_CHECK_INT(level("date", sw, "1998-04-09", "1998-04-09"), 1);
    T_CHECK_INT(level("date", sw, "1998-04-09", "1997-09-04"), 1);
    T_CHECK_INT(level("date", "{test: exact, m: 0.5, u: 0.01}", "۱۹۹۸-۰۴-۰۹",
                      "19980409"),
                0);
    T_CHECK_INT(level("date", "{test: year, max: 1, m: 0.5, u: 0.01}",
                      "1998-04-09", "1999-04-09"),
                0);
    T_CHECK_INT(level("date", "{test: year, max: 1, m: 0.5, u: 0.01}",
                      "1998-04-09", "2000-04-09"),
                1);
    T_CHECK_INT(level("date", "{test: days, max: 31, m: 0.5, u: 0.01}",
                      "1998-04-09", "1998-05-01"),
                0);
    T_CHECK_INT(level("date", "{test: days, max: 31, m: 0.5, u: 0.01}",
                      "1998-04-09", "1998-06-01"),
                1);
    /* not a real day: missing */
    T_CHECK_INT(level("date", "{test: days, max: 31, m: 0.5, u: 0.01}",
                      "1998-02-30", "1998-02-28"),
                -1);
    T_CHECK_INT(
        level("number", "{test: within, max: 1, m: 0.5, u: 0.01}", "26", "27"),
        0);
    T_CHECK_INT(
        level("number", "{test: within, max: 1, m: 0.5, u: 0.01}", "26", "29"),
        1);
    T_CHECK_INT(
        level("number", "{test: within, max: 1, m: 0.5, u: 0.01}", "", "29"),
        -1);
}

/* Rows (a, b): blocking on b, comparing a exactly. */
static link_ctx *run_rows(const char *yaml, const char *const (*rows)[2],
                          size_t n, link_config **cp) {
    char err[512];
    link_config *c = cfg_of(yaml, err, sizeof err);
    *cp = c;
    if (!c) {
        fprintf(stderr, "config: %s\n", err);
        return NULL;
    }
    link_ctx *L = link_new(c, err, sizeof err);
    for (size_t i = 0; i < n; i++)
        add_abc(L, c, rows[i][0], rows[i][1], "", 0);
    link_opts o = {2, 0, 1, -100, 0, 0};
    link_run(L, &o, err, sizeof err);
    return L;
}

static const char *exact_yaml =
    "dedup:\n  threshold: 3\n  max_block: 3\n  blocking: [b, prefix(a 1)]\n"
    "  compare:\n    - {field: a, levels: [{test: exact, m: 0.9, u: 0.1}]}\n";

T_TEST(blocking_and_dedupe) {
    /* rows in different blocks of every key are never compared */
    static const char *const rows[][2] = {
        {"x1", "k1"}, {"x1", "k1"}, {"y1", "k2"}, {"x1", "k3"}};
    link_config *c;
    link_ctx *L = run_rows(exact_yaml, rows, 4, &c);
    T_CHECK(L != NULL);
    if (!L) return;
    const link_stats *st = link_get_stats(L);
    /* pairs: key b joins (0,1); prefix "x" joins 0,1,3: (0,1) again (not
     * rescored), (0,3), (1,3) -> 3 pairs scored once each */
    T_CHECK_INT(st->compared, 3);
    T_CHECK_INT(link_cluster(L, 3), 0);
    T_CHECK_INT(link_cluster(L, 2), 2); /* y1 alone */
    T_CHECK(isnan(link_best(L, 2)));
    T_CHECK(fabs(link_best(L, 1) - log2(9.0)) < 1e-6);
    link_free(L);
    link_config_free(c);
}

/* link_run hands its progress to the caller (only cmd/ prints): at the
 * least the final -1, after which the line is cleared. */
static int progress_calls, progress_last;
static void on_progress(void *ctx, int percent) {
    (void)ctx;
    progress_calls++;
    progress_last = percent;
}

T_TEST(progress_goes_to_the_callback) {
    char err[512];
    link_config *c = cfg_of(exact_yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    add_abc(L, c, "x1", "k1", "", 0);
    add_abc(L, c, "x1", "k1", "", 0);
    link_prog p = {on_progress, NULL};
    link_opts o = {2, 0, 1, -100, &p, 0};
    T_CHECK_INT(link_run(L, &o, err, sizeof err), 0);
    T_CHECK(progress_calls >= 1);
    T_CHECK_INT(progress_last, -1);
    link_free(L);
    link_config_free(c);
}

T_TEST(oversize_block_skipped) {
    static const char *const rows[][2] = {
        {"x1", "k"}, {"x1", "k"}, {"x1", "k"}, {"x1", "k"}, {"z", "j"}};
    link_config *c;
    link_ctx *L = run_rows(exact_yaml, rows, 5, &c);
    if (!L) return;
    const link_stats *st = link_get_stats(L);
    /* block k (4 rows) and prefix x (4 rows) exceed max_block 3 */
    T_CHECK_INT(st->skipped_blocks, 2);
    T_CHECK_INT(st->compared, 0);
    T_CHECK_INT(link_cluster(L, 1), 1);
    link_free(L);
    link_config_free(c);
}

/* 0~1 share a, 1~2 share an exact key c, 0 and 2 share nothing (weight
 * -3.17); row 3 is alone. Runs them under CLUSTER_MIN (a YAML line or "")
 * and returns the link (NULL on error). */
static link_ctx *chain_rows(const char *cluster_min, link_config **cp) {
    char err[512];
    snprintf(ybuf, sizeof ybuf,
             "dedup:\n  threshold: 3\n%s  exact: [c]\n  blocking: [a]\n"
             "  compare:\n"
             "    - {field: a, levels: [{test: exact, m: 0.9, u: 0.1}]}\n",
             cluster_min);
    link_config *c = *cp = cfg_of(ybuf, err, sizeof err);
    if (!c) return NULL;
    link_ctx *L = link_new(c, err, sizeof err);
    const char *r[4][2] = {{"", "p"}, {"N1", "p"}, {"N1", "q"}, {"", "s"}};
    for (int i = 0; i < 4; i++)
        add_abc(L, c, r[i][1], "", r[i][0], 0);
    link_opts o = {1, 0, 0, 0, 0, 0};
    if (link_run(L, &o, err, sizeof err) < 0) {
        link_free(L);
        return NULL;
    }
    return L;
}

T_TEST(transitive_clusters) {
    /* cluster_min -10 allows the pair 0-2: one cluster through row 1 */
    link_config *c;
    link_ctx *L = chain_rows("  cluster_min: -10\n", &c);
    T_CHECK(L != NULL);
    if (!L) return;
    T_CHECK_INT(link_cluster(L, 1), 0);
    T_CHECK_INT(link_cluster(L, 2), 0);
    T_CHECK_INT(link_cluster(L, 3), 3);
    size_t np;
    const link_pair *p = link_pairs(L, &np);
    T_CHECK_INT(np, 2);
    if (np == 2) {
        T_CHECK(p[0].a == 0 && p[0].b == 1 && !p[0].exact);
        T_CHECK(p[1].a == 1 && p[1].b == 2 && p[1].exact == 1 && p[1].accepted);
    }
    link_free(L);
    link_config_free(c);
}

T_TEST(clusters_do_not_chain) {
    /* the default cluster_min 0, exact_min -10: the exact key 1-2 comes
     * first, but its own pair weighs -3.17 < 0 (the only field compared
     * is against it): refused; then 0~1 joins */
    link_config *c;
    link_ctx *L = chain_rows("  exact_min: -10\n", &c);
    T_CHECK(L != NULL);
    if (!L) return;
    T_CHECK(c->cluster_min == 0);
    T_CHECK_INT(link_cluster(L, 0), 0);
    T_CHECK_INT(link_cluster(L, 1), 0);
    T_CHECK_INT(link_cluster(L, 2), 2);
    size_t np;
    const link_pair *p = link_pairs(L, &np);
    T_CHECK_INT(np, 2);
    if (np == 2) {
        T_CHECK(p[0].a == 0 && p[0].b == 1 && p[0].accepted && !p[0].refused);
        T_CHECK(p[1].exact == 1 && p[1].accepted && p[1].refused);
    }
    T_CHECK_INT(link_get_stats(L)->refused, 1);
    T_CHECK_INT(link_get_stats(L)->largest, 2);
    link_free(L);
    link_config_free(c);
}

T_TEST(exact_min_bounds_an_exact_key) {
    /* the default exact_min (cluster_min, 0): the exact key 1-2 weighing
     * -3.17 is not accepted at all, not kept; 0~1 joins */
    link_config *c;
    link_ctx *L = chain_rows("", &c);
    T_CHECK(L != NULL);
    if (!L) return;
    T_CHECK(c->exact_min == 0);
    T_CHECK_INT(link_cluster(L, 1), 0);
    T_CHECK_INT(link_cluster(L, 2), 2);
    size_t np;
    const link_pair *p = link_pairs(L, &np);
    T_CHECK_INT(np, 1);
    T_CHECK_INT(link_get_stats(L)->refused, 0);
    T_CHECK(np == 1 && p[0].a == 0 && p[0].b == 1);
    link_free(L);
    link_config_free(c);
}

/* Namesakes: rows 0-1 and 1-2 agree on the name and father (over the
 * threshold), 0 and 2 have other fathers: the father's else level vetoes
 * 0-2, so 1 joins one of them and the other stays apart. */
T_TEST(veto_blocks_and_clusters_do_not_chain) {
    static const char *yaml =
        "dedup:\n  threshold: 5\n  blocking: [b]\n  compare:\n"
        "    - {field: a, prepare: name, levels: [{test: exact, m: 0.9, u: "
        "0.01}]}\n"
        "    - {field: c, prepare: name, levels: [{test: exact, m: 0.8, u: "
        "0.05}, {test: else, veto: true, m: 0.1, u: 0.9}]}\n";
    char err[512];
    link_config *c = cfg_of(yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    T_CHECK(c->cmps[1].levels[1].veto);
    T_CHECK_STR(c->cmps[1].levels[1].label, "else(veto)");
    link_ctx *L = link_new(c, err, sizeof err);
    add_abc(L, c, "Muhammad Khan", "k", "Akbar", 0);
    add_abc(L, c, "Muhammad Khan", "k", "", 0); /* no father: no veto */
    add_abc(L, c, "Muhammad Khan", "k", "Gul", 0);
    link_opts o = {1, 0, 0, 0, 0, 0};
    T_CHECK_INT(link_run(L, &o, err, sizeof err), 0);
    T_CHECK(link_cluster(L, 0) != link_cluster(L, 2));
    T_CHECK_INT(link_get_stats(L)->vetoed, 0); /* 0-2 is under 5 anyway */
    T_CHECK_INT(link_get_stats(L)->refused, 1);
    T_CHECK_INT(link_get_stats(L)->largest, 2);
    double w;
    T_CHECK_INT(link_level_of(L, 1, 0, 2, &w), 1);
    T_CHECK(link_vetoes(L, 1, 1, 0, 2));
    T_CHECK(!link_vetoes(L, 1, 0, 0, 2));
    link_free(L);
    link_config_free(c);
    /* scope: a passport number against a national id's is not compared
     * (missing, no weight), two passports are (and veto) */
    static const char *scoped =
        "dedup:\n  threshold: 5\n  blocking: [b]\n  compare:\n"
        "    - {field: a, prepare: id, scope: c, levels: [{test: exact, m: "
        "0.6, u: 0.0001}, {test: else, veto: true, m: 0.3, u: 0.9}]}\n";
    c = cfg_of(scoped, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    L = link_new(c, err, sizeof err);
    add_abc(L, c, "P123", "k", "passport", 0);
    add_abc(L, c, "4210112345671", "k", "cnic", 0);
    add_abc(L, c, "P999", "k", "passport", 0);
    add_abc(L, c, "P999", "k", "", 0);
    T_CHECK_INT(link_level_of(L, 0, 0, 1, &w), -1);
    T_CHECK(w == 0);
    T_CHECK_INT(link_level_of(L, 0, 0, 2, &w), 1);
    T_CHECK(link_vetoes(L, 0, 1, 0, 2));
    T_CHECK_INT(link_level_of(L, 0, 2, 3, &w), 0); /* no type: compared */
    T_CHECK_INT(link_level_of(L, 0, 0, 3, &w), 1);
    T_CHECK(!link_vetoes(L, 0, 1, 0, 3)); /* ... but no veto */
    link_free(L);
    link_config_free(c);
    /* an exact level cannot veto */
    T_CHECK(cfg_of("dedup:\n  threshold: 3\n  blocking: [a]\n  compare:\n"
                   "    - {field: a, levels: [{test: exact, veto: true, m: "
                   "0.5, u: 0.1}]}\n",
                   err, sizeof err) == NULL);
    T_CHECK(strstr(err, "cannot veto") != NULL);
}

T_TEST(dates_at_their_precision) {
    const char *ex = "{test: exact, m: 0.5, u: 0.01}";
    const char *mo = "{test: month, m: 0.5, u: 0.01}";
    const char *yr = "{test: years, max: 0, m: 0.5, u: 0.01}";
    const char *y1 = "{test: years, max: 1, m: 0.5, u: 0.01}";
    const char *dl = "{test: dl, max: 1, m: 0.5, u: 0.01}";
    const char *dy = "{test: days, max: 31, m: 0.5, u: 0.01}";
    T_CHECK_INT(level("date", ex, "1994-06-15", "19940615"), 0);
    /* a year-only date is never exact, not even against itself */
    T_CHECK_INT(level("date", ex, "1994", "1994"), 1);
    T_CHECK_INT(level("date", ex, "1994", "1994-01-01"), 1);
    T_CHECK_INT(level("date", yr, "1994", "1994-06-15"), 0);
    T_CHECK_INT(level("date", yr, "1994", "1995-06-15"), 1);
    T_CHECK_INT(level("date", y1, "1994", "1995-06-15"), 0);
    T_CHECK_INT(level("date", yr, "1994-06-15", "1994-08-02"), 1);
    T_CHECK_INT(level("date", mo, "1994-06", "1994-06-15"), 0);
    T_CHECK_INT(level("date", mo, "1994-06", "1994-07-15"), 1);
    T_CHECK_INT(level("date", dy, "1994-06", "1994-06-15"), 1);
    /* one digit mistyped, only between two days */
    T_CHECK_INT(level("date", dl, "1994-06-15", "1994-08-15"), 0);
    T_CHECK_INT(level("date", dl, "1994-06", "1994-08"), 1);
    T_CHECK_INT(level("date", ex, "1994-13-01", "1994-13-01"), -1);
}

/* Ages: birth-year ranges from the year of the incident; a birth date's
 * year stands in for a missing age; two birth dates are not compared. */
T_TEST(age_as_birth_year_range) {
    static const char *yaml =
        "dedup:\n  threshold: 3\n  blocking: [b]\n  compare:\n"
        "    - {field: a, prepare: age, at: b, dob: c, levels: [{test: "
        "within, max: 0, m: 0.8, u: 0.1}, {test: within, max: 1, m: 0.1, u: "
        "0.1}]}\n";
    char err[512];
    link_config *c = cfg_of(yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    add_abc(L, c, "52", "AFG-2021-X-1", "", 0);   /* born 1968-1969 */
    add_abc(L, c, "54", "AFG-2023-Y-2", "", 0);   /* born 1968-1969 */
    add_abc(L, c, "", "AFG-2023-Y-3", "1969", 0); /* born 1969 */
    add_abc(L, c, "30", "AFG-2023-Y-4", "1969-05-02", 0);
    add_abc(L, c, "50", "AFG-2021-X-5", "", 0); /* born 1970-1971 */
    add_abc(L, c, "50", "no year", "", 0);
    double w;
    T_CHECK_INT(link_level_of(L, 0, 0, 1, &w), 0);
    T_CHECK_INT(link_level_of(L, 0, 0, 2, &w), 0);
    T_CHECK_INT(link_level_of(L, 0, 2, 3, &w), -1); /* two birth dates */
    T_CHECK_INT(link_level_of(L, 0, 0, 3, &w), 0);  /* the date's year */
    T_CHECK_INT(link_level_of(L, 0, 0, 4, &w), 1);
    T_CHECK_INT(link_level_of(L, 0, 2, 4, &w), 1);
    T_CHECK_INT(link_level_of(L, 0, 0, 5, &w), -1); /* no year: missing */
    T_CHECK_STR(link_prepared(L, 0, 0), "born 1968-1969");
    T_CHECK_STR(link_prepared(L, 0, 3), "born 1969");
    link_free(L);
    link_config_free(c);
}

/* Year-only dates stored as YYYY-01-01: the day is a placeholder (far
 * more rows than its share), agreeing on it weighs little (tf) and two
 * of them never veto. */
T_TEST(placeholder_days_and_date_tf) {
    static const char *yaml =
        "dedup:\n  threshold: 3\n  blocking: [b]\n  compare:\n"
        "    - {field: a, prepare: date, levels: [{test: exact, tf: true, m: "
        "0.6, u: 0.0003}, {test: years, max: 0, m: 0.1, u: 0.02}, {test: "
        "else, veto: true, m: 0.1, u: 0.9}]}\n";
    char err[512];
    link_config *c = cfg_of(yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    char d[16];
    /* 0-9 1980-01-01, 10-19 1981-01-01, 20-57 distinct days of 1990,
     * 58-59 1975-05-17, 60 1980-07-04 */
    for (int i = 0; i < 61; i++) {
        if (i < 20)
            snprintf(d, sizeof d, "%d-01-01", i < 10 ? 1980 : 1981);
        else if (i < 58)
            snprintf(d, sizeof d, "1990-%02d-%02d", 1 + i % 12, 2 + i % 27);
        else
            snprintf(d, sizeof d, i < 60 ? "1975-05-17" : "1980-07-04");
        add_abc(L, c, d, "k", "", 0);
    }
    link_opts o = {1, 0, 0, 0, 0, 0};
    T_CHECK_INT(link_run(L, &o, err, sizeof err), 0);
    double wp, wr, w;
    T_CHECK_INT(link_level_of(L, 0, 0, 1, &wp), 0);   /* 1980-01-01 twice */
    T_CHECK_INT(link_level_of(L, 0, 58, 59, &wr), 0); /* a real day twice */
    T_CHECK(wr > wp + 2);
    /* the placeholder is read as a year: 1980 = 1980-07-04, no veto
     * against 1990; two real days that differ veto */
    T_CHECK_INT(link_level_of(L, 0, 0, 60, &w), 1);
    T_CHECK_INT(link_level_of(L, 0, 0, 20, &w), 2);
    T_CHECK(!link_vetoes(L, 0, 2, 0, 20));
    T_CHECK_INT(link_level_of(L, 0, 20, 21, &w), 2);
    T_CHECK(link_vetoes(L, 0, 2, 20, 21));
    link_free(L);
    link_config_free(c);
}

T_TEST(name_levels_nisba_key_jw) {
    const char *key = "{test: key, m: 0.5, u: 0.01}";
    const char *nis = "{test: nisba, m: 0.5, u: 0.01}";
    const char *kjw = "{test: key_jw, min: 0.9, m: 0.5, u: 0.01}";
    T_CHECK_INT(level("name", key, "Ahmad", "Ahmadi"), 1);
    T_CHECK_INT(level("name", nis, "Ahmad", "Ahmadi"), 0);
    T_CHECK_INT(level("name", nis, "Karim Qasimi", "Qasim Karimi"), 0);
    T_CHECK_INT(level("name", nis, "Karim Qasimi", "Karim Hashimi"), 1);
    /* the article is a variant too: التميمي ~ Tamimi, not key-equal */
    T_CHECK_INT(level("name", nis, "التميمي محمد", "Tamimi Muhammed"), 0);
    T_CHECK_INT(level("name", key, "التميمي محمد", "Tamimi Muhammed"), 1);
    T_CHECK_INT(level("name", nis, "Altaf Khan", "Taf Khan"), 1);
    /* a typo against the Perso-Arabic form: graded on the keys */
    T_CHECK_INT(level("name", kjw, "Mohammad Hossaini", "محمد حسيني"), 0);
    T_CHECK_INT(level("name", kjw, "Mohammad Hossainy", "محمد حسینی"), 0);
    T_CHECK_INT(level("name", kjw, "Mohammad Hossaini", "محمد کریمی"), 1);
    const char *sub = "{test: subset, m: 0.5, u: 0.01}";
    T_CHECK_INT(level("name", sub, "Akbar", "Akbar Khan"), 0);
    T_CHECK_INT(level("name", sub, "Gul Akbar Khan", "Akbar"), 0);
    T_CHECK_INT(level("name", sub, "Akbar Gul", "Akbar Khan"), 1);
    T_CHECK_INT(level("name", sub, "Akbar", "Akbari Khan"), 0);
    /* an initial is found in a word it begins */
    T_CHECK_INT(level("name", sub, "Afridi M.", "Afridi Muhammad"), 0);
    T_CHECK_INT(level("name", sub, "Sheikh M.", "Sheikh Mohammed"), 0);
    T_CHECK_INT(level("name", sub, "Afridi K.", "Afridi Muhammad"), 1);
    /* key_dl: a typo or a compound written apart, on the keys */
    const char *kdl = "{test: key_dl, max: 1, m: 0.5, u: 0.01}";
    T_CHECK_INT(level("name", kdl, "Amirhossein", "Amir Hossein"), 0);
    T_CHECK_INT(level("name", kdl, "فرزند امیرحسین", "AMIR HOSSEIN"), 0);
    T_CHECK_INT(level("name", kdl, "Keim", "Karim"), 0);
    T_CHECK_INT(level("name", kdl, "Karim", "Rahim"), 1);
    /* a known collision (hmd ~ mhmd): why the level weighs little */
    T_CHECK_INT(level("name", kdl, "Hamid", "Mahmud"), 0);
    T_CHECK_INT(level("name", kdl, "Hamid", "Rashid"), 1);
    T_CHECK_INT(level("text", kdl, "Karim", "Karim"), 1); /* names only */
}

/* dateset: a day/month swap keeps the block; a typo in the name (not its
 * first letter) keeps the initials. */
T_TEST(dateset_key_survives_a_swap) {
    static const char *yaml =
        "dedup:\n  threshold: 3\n  blocking: [[dateset(b), initials(a)]]\n"
        "  compare:\n    - {field: a, levels: [{test: exact, m: 0.9, u: "
        "0.1}]}\n";
    char err[512];
    link_config *c = cfg_of(yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    add_abc(L, c, "Karim Qasimi", "1990-03-07", "", 0);
    add_abc(L, c, "Krim Qasemi", "1990-07-03", "", 0);
    add_abc(L, c, "Karim Qasimi", "1990-07-04", "", 0);
    add_abc(L, c, "Karim Qasimi", "1990", "", 0); /* no day: no key */
    link_opts o = {1, 0, 0, 0, 0, 0};
    T_CHECK_INT(link_run(L, &o, err, sizeof err), 0);
    T_CHECK_INT(link_get_stats(L)->compared, 1);
    link_free(L);
    link_config_free(c);
}

/* born(DATE AGE AT) and born(DATE AGE AT 1): birth years within one of
 * each other share a block in one of the two keys; an age without a year
 * to count from has no key. */
T_TEST(born_keys_meet_within_a_year) {
    static const char *yaml =
        "dedup:\n  threshold: 3\n  blocking: [[born(a b c)], [born(a b c "
        "1)]]\n  compare:\n    - {field: a, levels: [{test: exact, m: "
        "0.9, u: 0.1}]}\n";
    char err[512];
    link_config *c = cfg_of(yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    const char *names[3] = {"a", "b", "c"};
    const char *rows[6][3] = {{"1989-05-02", "", ""},          /* 1989 */
                              {"", "32", "AFG-2022-X-1"},      /* 1990 */
                              {"", "31", "AFG-2021-X-2"},      /* 1990 */
                              {"1991", "", ""},                /* 1991 */
                              {"", "30", "no year"},           /* none */
                              {"1994-01-01", "", "AFG-2022"}}; /* 1994 */
    for (int i = 0; i < 6; i++)
        add_named(L, c, 3, names, rows[i]);
    link_opts o = {1, 0, 0, 0, 0, 0};
    T_CHECK_INT(link_run(L, &o, err, sizeof err), 0);
    /* 0-1 0-2 1-2 1-3 2-3: every pair within a year, once; 0-3 (two
     * years) and the rows 4 and 5 in none */
    T_CHECK_INT(link_get_stats(L)->compared, 5);
    link_free(L);
    link_config_free(c);
    T_CHECK(cfg_of("dedup:\n  threshold: 3\n  blocking: [born(a b)]\n"
                   "  compare:\n    - {field: a, levels: [{test: exact, m: "
                   "0.9, u: 0.1}]}\n",
                   err, sizeof err) == NULL);
    T_CHECK(strstr(err, "three fields") != NULL);
}

/* A date read as a day by a blocking key: rows with a year or a month
 * only have no such key (a block of a whole year). */
T_TEST(vague_dates_do_not_block) {
    static const char *yaml =
        "dedup:\n  threshold: 3\n  blocking: [a]\n  compare:\n"
        "    - {field: a, prepare: date, levels: [{test: exact, m: 0.9, u: "
        "0.1}]}\n";
    char err[512];
    link_config *c = cfg_of(yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    const char *d[6] = {"1990",    "1990",       "1990-05",
                        "1990-05", "1990-05-05", "1990-05-05"};
    for (int i = 0; i < 6; i++)
        add_abc(L, c, d[i], "", "", 0);
    link_opts o = {1, 0, 0, 0, 0, 0};
    T_CHECK_INT(link_run(L, &o, err, sizeof err), 0);
    T_CHECK_INT(link_get_stats(L)->compared, 1);
    link_free(L);
    link_config_free(c);
}

T_TEST(prior_rows_not_compared_but_joined) {
    char err[512];
    link_config *c = cfg_of(exact_yaml, err, sizeof err);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    add_abc(L, c, "x1", "k", "", 1);
    add_abc(L, c, "x1", "k", "", 1);
    add_abc(L, c, "x1", "k", "", 0);
    link_join(L, 0, 1);
    link_opts o = {1, 0, 0, 0, 0, 0};
    link_run(L, &o, err, sizeof err);
    /* (0,1) both prior: skipped; (0,2) and (1,2) compared */
    T_CHECK_INT(link_get_stats(L)->compared, 2);
    T_CHECK_INT(link_cluster(L, 2), 0);
    link_free(L);
    link_config_free(c);
}

T_TEST(tf_common_values_weigh_less) {
    static const char *yaml =
        "dedup:\n  threshold: 3\n  blocking: [b]\n  compare:\n"
        "    - {field: a, prepare: name, levels: [{test: exact, tf: true, m: "
        "0.5, u: 0.001},"
        " {test: key, m: 0.3, u: 0.2}]}\n";
    char err[512];
    link_config *c = cfg_of(yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    /* 40 rows: 16 Muhammad Khan, 12 Zarghuna Popal, 2 Ali Reza, 10 others */
    char other[16];
    for (int i = 0; i < 40; i++) {
        snprintf(other, sizeof other, "x%c", 'a' + i);
        add_abc(L, c,
                i < 16   ? "muhammad khan"
                : i < 28 ? "zarghuna popal"
                : i < 30 ? "ali reza"
                         : other,
                "k", "", 0);
    }
    link_opts o = {1, 0, 0, 0, 0, 0};
    link_run(L, &o, err, sizeof err);
    double common, rarer, rare;
    link_level_of(L, 0, 0, 1, &common);
    link_level_of(L, 0, 16, 17, &rarer);
    link_level_of(L, 0, 28, 29, &rare);
    T_CHECK(rarer > common);
    T_CHECK(rare > rarer);
    /* u = (other rows with the value + 1000 u_level) / (40 + 1000) */
    T_CHECK(fabs(common - log2(0.5 / ((15 + 1000 * 0.001) / 1040.0))) < 1e-9);
    T_CHECK(fabs(rarer - log2(0.5 / ((11 + 1000 * 0.001) / 1040.0))) < 1e-9);
    /* 2 rows of 40: the share says little, u stays near the level's own */
    T_CHECK(fabs(rare - log2(0.5 / ((1 + 1000 * 0.001) / 1040.0))) < 1e-9);
    link_free(L);
    link_config_free(c);
}

T_TEST(training_moves_weights) {
    char err[512];
    static const char *yaml =
        "dedup:\n  threshold: 3\n  blocking: [b]\n  compare:\n"
        "    - {field: a, levels: [{test: exact, m: 0.5, u: 0.4}]}\n"
        "    - {field: c, levels: [{test: exact, m: 0.5, u: 0.4}]}\n";
    link_config *c = cfg_of(yaml, err, sizeof err);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    char a[16], b[16];
    for (int i = 0; i < 200; i++) { /* 100 blocks of a matching pair */
        snprintf(a, sizeof a, "v%d", i / 2);
        snprintf(b, sizeof b, "k%d", i / 4);
        add_abc(L, c, a, b, a, 0); /* c agrees exactly when a does */
    }
    link_opts o = {1, 1, 0, 0, 0, 0};
    link_run(L, &o, err, sizeof err);
    const link_config *t = link_get_config(L);
    /* 100 values of 2 rows each: two random rows agree once in ~200, not
     * 0.4 times: the weight of agreeing grows from log2(0.5/0.4) to
     * several bits */
    T_CHECK(t->cmps[0].levels[0].w > c->cmps[0].levels[0].w + 3);
    link_free(L);
    link_config_free(c);
}

/* A level no random pair reaches gets a u of half a pair: trained, it
 * would weigh more than the exact level above it; it is held at the
 * exact level's weight (the schema weighs it less). Field c's schema
 * weighs its dl level more than its exact one: that order is the
 * schema's, and its trained weight is not held down. */
T_TEST(training_keeps_levels_in_order) {
    char err[512];
    static const char *yaml =
        "dedup:\n  threshold: 3\n  blocking: [b]\n  compare:\n"
        "    - field: a\n      levels:\n"
        "        - {test: exact, m: 0.5, u: 0.4}\n"
        "        - {test: dl, max: 1, m: 0.3, u: 0.3}\n"
        "        - {test: else, m: 0.2, u: 0.3}\n"
        "    - field: c\n      levels:\n"
        "        - {test: exact, m: 0.5, u: 0.4}\n"
        "        - {test: dl, max: 1, m: 0.3, u: 0.001}\n"
        "        - {test: else, m: 0.2, u: 0.3}\n";
    link_config *c = cfg_of(yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    for (int i = 0; i < 100; i++) /* two values 4 edits apart */
        add_abc(L, c, i % 2 ? "aaaa" : "bbbb", "k", i % 2 ? "aaaa" : "bbbb",
                0);
    link_opts o = {1, 1, 0, 0, 0, 0};
    T_CHECK_INT(link_run(L, &o, err, sizeof err), 0);
    const link_level *lv = link_get_config(L)->cmps[0].levels;
    T_CHECK(fabs(lv[0].u - 0.5) < 0.05); /* measured: half the pairs */
    T_CHECK(fabs(lv[0].w - log2(0.5 / lv[0].u)) < 1e-9);
    T_CHECK(fabs(lv[1].w - lv[0].w) < 1e-9); /* not log2(0.3 / tiny) */
    T_CHECK(lv[1].m == 0.3);
    T_CHECK(lv[2].w < 0);
    /* c: trained, its dl level (u half a pair) weighs log2(0.3 / tiny),
     * well over its exact level, as the schema has it */
    const link_level *lc = link_get_config(L)->cmps[1].levels;
    T_CHECK(fabs(lc[0].w - lv[0].w) < 1e-9);
    T_CHECK(lc[1].w > lc[0].w + 5);
    T_CHECK(fabs(lc[1].w - log2(0.3 / lc[1].u)) < 1e-9);
    link_free(L);
    link_config_free(c);
}

static uint32_t lcg(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

T_TEST(training_recovers_u_and_keeps_m) {
    /* 2,000 people, 2 records each, 400 blocks of 5 people (block b).
     * Field x (x = a, c, d) takes one of K values at random (u = 1/K:
     * 0.2, 0.1, 0.05); a duplicate keeps it with probability m (0.9, 0.7,
     * 0.8), else takes another. The blocking field b is compared too: all
     * pairs of a block agree on it, random pairs almost never (u 1/400);
     * u taken from the candidate pairs would say 1. The schema gives
     * every level m 0.5 u 0.4; training keeps m and measures u. */
    static const char *yaml =
        "dedup:\n  threshold: 3\n  prior: 0.3\n  blocking: [b]\n  compare:\n"
        "    - {field: a, levels: [{test: exact, m: 0.5, u: 0.4}]}\n"
        "    - {field: c, levels: [{test: exact, m: 0.5, u: 0.4}]}\n"
        "    - {field: d, levels: [{test: exact, m: 0.5, u: 0.4}]}\n"
        "    - {field: b, levels: [{test: exact, m: 0.5, u: 0.4}]}\n";
    char err[512];
    link_config *c = cfg_of(yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    const double m[3] = {0.9, 0.7, 0.8};
    const int K[3] = {5, 10, 20};
    const char *names[4] = {"a", "c", "d", "b"};
    uint32_t seed = 42;
    for (int e = 0; e < 2000; e++) {
        int orig[3];
        for (int f = 0; f < 3; f++)
            orig[f] = (int)(lcg(&seed) % (uint32_t)K[f]);
        for (int copy = 0; copy < 2; copy++) {
            char buf[4][16];
            const char *vals[4];
            for (int f = 0; f < 3; f++) {
                int v = orig[f];
                if (copy && (lcg(&seed) % 10000) >= (uint32_t)(m[f] * 10000))
                    v = (v + 1 + (int)(lcg(&seed) % (uint32_t)(K[f] - 1))) %
                        K[f];
                snprintf(buf[f], sizeof buf[f], "v%d", v);
                vals[f] = buf[f];
            }
            snprintf(buf[3], sizeof buf[3], "k%d", e / 5);
            vals[3] = buf[3];
            add_named(L, c, 4, names, vals);
        }
    }
    link_opts o = {2, 1, 0, 0, 0, 0};
    T_CHECK_INT(link_run(L, &o, err, sizeof err), 0);
    const link_config *t = link_get_config(L);
    for (int f = 0; f < 3; f++) {
        double want = 0.5; /* the schema's m, whatever the data's */
        double tm = t->cmps[f].levels[0].m, tu = t->cmps[f].levels[0].u;
        if (!(fabs(tm - want) < 0.04 &&
              fabs(tu - 1.0 / K[f]) < 0.01 / K[f] * 20))
            fprintf(stderr, "field %d: m %.4f (want %.2f) u %.4f (true %.4f)\n",
                    f, tm, want, tu, 1.0 / K[f]);
        T_CHECK(tm == want);
        T_CHECK(fabs(tu - 1.0 / K[f]) < 0.1 / K[f]); /* within 10% */
    }
    /* the blocking field: u from random pairs, not from the blocks */
    T_CHECK(t->cmps[3].levels[0].u < 0.01);
    T_CHECK(t->cmps[3].levels[0].m == 0.5);
    link_free(L);
    link_config_free(c);
}

T_TEST(initials_key_splits_a_date) {
    /* one birth date: the initials of the sorted name key split it, yet a
     * swapped, re-spelt or Perso-Arabic name stays in the block */
    static const char *yaml =
        "dedup:\n  threshold: 1\n  blocking: [[dob, initials(f g)]]\n  "
        "compare:\n"
        "    - {field: f, levels: [{test: exact, m: 0.9, u: 0.1}]}\n";
    char err[512];
    link_config *c = cfg_of(yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    const char *names[3] = {"f", "g", "dob"};
    const char *rows[][3] = {{"Khan", "Muhammad", "1990-01-02"},
                             {"Mohammad", "KHAN", "1990-01-02"},
                             {"خان", "محمد", "1990-01-02"},
                             {"Rahimi", "Ali", "1990-01-02"},
                             {"Karimi", "Muhammad", "1990-01-02"}};
    for (int i = 0; i < 5; i++)
        add_named(L, c, 3, names, rows[i]);
    link_opts o = {1, 0, 0, 0, 0, 0};
    T_CHECK_INT(link_run(L, &o, err, sizeof err), 0);
    /* only the three Muhammad Khans are compared: 3 pairs, not 10 */
    T_CHECK_INT(link_get_stats(L)->compared, 3);
    link_free(L);
    link_config_free(c);
}

T_TEST(threshold_rises_with_rows) {
    static const char *yaml =
        "dedup:\n  threshold: 3\n  threshold_rows: 2\n  blocking: [b]\n  "
        "compare:\n"
        "    - {field: a, levels: [{test: exact, m: 0.9, u: 0.1}]}\n";
    char err[512];
    link_config *c = cfg_of(yaml, err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    link_ctx *L = link_new(c, err, sizeof err);
    /* 8 rows: threshold 3 + log2(8 / 2) = 5 > log2(9) */
    for (int i = 0; i < 8; i++)
        add_abc(L, c, i < 2 ? "x" : "y", i < 2 ? "k" : "j", "", 0);
    link_opts o = {1, 0, 0, 0, 0, 0};
    link_run(L, &o, err, sizeof err);
    T_CHECK(fabs(link_get_stats(L)->threshold - 5) < 1e-9);
    T_CHECK_INT(link_cluster(L, 1), 1);
    link_free(L);
    /* 2 rows: the threshold as written, the pair accepted */
    L = link_new(c, err, sizeof err);
    add_abc(L, c, "x", "k", "", 0);
    add_abc(L, c, "x", "k", "", 0);
    link_run(L, &o, err, sizeof err);
    T_CHECK(fabs(link_get_stats(L)->threshold - 3) < 1e-9);
    T_CHECK_INT(link_cluster(L, 1), 0);
    link_free(L);
    link_config_free(c);
}

int main(void) {
    T_RUN(config_errors);
    T_RUN(progress_goes_to_the_callback);
    T_RUN(config_else_added_and_weights);
    T_RUN(level_exact_key_swap);
    T_RUN(level_similarity);
    T_RUN(level_dates_numbers);
    T_RUN(blocking_and_dedupe);
    T_RUN(oversize_block_skipped);
    T_RUN(transitive_clusters);
    T_RUN(clusters_do_not_chain);
    T_RUN(exact_min_bounds_an_exact_key);
    T_RUN(veto_blocks_and_clusters_do_not_chain);
    T_RUN(dates_at_their_precision);
    T_RUN(age_as_birth_year_range);
    T_RUN(placeholder_days_and_date_tf);
    T_RUN(name_levels_nisba_key_jw);
    T_RUN(dateset_key_survives_a_swap);
    T_RUN(born_keys_meet_within_a_year);
    T_RUN(vague_dates_do_not_block);
    T_RUN(prior_rows_not_compared_but_joined);
    T_RUN(tf_common_values_weigh_less);
    T_RUN(training_moves_weights);
    T_RUN(training_recovers_u_and_keeps_m);
    T_RUN(training_keeps_levels_in_order);
    T_RUN(initials_key_splits_a_date);
    T_RUN(threshold_rises_with_rows);
    return T_END();
}
