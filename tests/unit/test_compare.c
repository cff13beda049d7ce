/*
 * test_compare.c: the comparison tables and their suppression. The key
 * test plays the attacker: it takes the published cells, and over every
 * published line (a country's categories and its total; a category over
 * the countries and the region column ALL; the country totals and the
 * region total) repeatedly solves any line with exactly one unknown. No
 * cell hidden by suppression may be recovered. The same attack with the
 * secondary cells revealed must recover some, so the test has teeth.
 */
#include "compare.h"
#include "compare_audit.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>

/* A row of cells made from C strings. */
typedef struct trow {
    source_cell cells[16]; /* the cells */
    source_row row;        /* the row pointing at them */
} trow;

static const source_row *mk(trow *r, int n, const char **v) {
    for (int i = 0; i < n; i++)
        r->cells[i] = (source_cell){v[i], strlen(v[i])};
    r->row = (source_row){r->cells, (size_t)n, 2, 0, NULL, NULL};
    return &r->row;
}

static const char *agg_hdr[7] = {
    "reporting_country", "reporting_period", "indicator", "sex",
    "age_group",         "nationality",      "value"};

/* The incident columns compare reads (stage_date last). */
static const char *inc_hdr[13] = {"incident_id",
                                  "reporting_country",
                                  "reporting_period",
                                  "incident_date",
                                  "offence_type",
                                  "exploitation_forms",
                                  "victims_count",
                                  "smuggled_migrants_count",
                                  "irregular_migrants_count",
                                  "suspects_count",
                                  "deaths_count",
                                  "case_stage",
                                  "stage_date"};

static void agg(compare *c, const char *country, const char *period,
                const char *ind, const char *sex, const char *nat,
                const char *value) {
    trow r;
    const char *v[7] = {country, period, ind, sex, "total", nat, value};
    compare_row(c, mk(&r, 7, v));
}

static compare *agg_compare(int k, unsigned by, int period) {
    compare_opts o = {period, by, k, 0, 0, {0}, 0};
    compare *c = compare_new(&o);
    trow r;
    char err[256];
    compare_header(c, COMPARE_AGGREGATE, mk(&r, 7, agg_hdr), err, sizeof err);
    return c;
}

/* Published cell lookup for the attack. */
typedef struct pub {
    const char *country, *breakdown, *category; /* key within the table */
    long long value;                            /* truth */
    int known;                                  /* attacker knows it */
    int hidden;                                 /* hidden by suppression */
} pub;

static pub *find(pub *p, size_t n, const char *country, const char *by,
                 const char *cat) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(p[i].country, country) && !strcmp(p[i].breakdown, by) &&
            !strcmp(p[i].category, cat))
            return &p[i];
    return NULL;
}

/* Solves one line (members sum to total); returns 1 when it learned a
 * cell. */
static int solve(pub **members, int n, pub *total) {
    if (!total) return 0;
    int unknown = 0;
    pub *u = NULL;
    long long sum = 0;
    for (int i = 0; i < n; i++) {
        if (!members[i]->known) {
            unknown++;
            u = members[i];
        } else {
            sum += members[i]->value;
        }
    }
    if (!total->known) {
        if (unknown == 0) {
            total->known = 1;
            return 1;
        }
        return 0;
    }
    if (unknown == 1) {
        /* the attacker's figure must be the truth: the lines are right */
        T_CHECK_INT(total->value - sum, u->value);
        u->known = 1;
        return 1;
    }
    return 0;
}

/* Runs the attack over the single-period cells P; returns how many
 * hidden cells it recovered. */
static int attack(pub *p, size_t n, const char *by) {
    const char *countries[16], *cats[32];
    int nc = 0, nk = 0;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        if (strcmp(p[i].country, "ALL")) {
            for (int j = 0; j < nc; j++)
                seen |= !strcmp(countries[j], p[i].country);
            if (!seen && nc < 16) countries[nc++] = p[i].country;
        }
        if (!strcmp(p[i].breakdown, by)) {
            seen = 0;
            for (int j = 0; j < nk; j++)
                seen |= !strcmp(cats[j], p[i].category);
            if (!seen && nk < 32) cats[nk++] = p[i].category;
        }
    }
    pub *m[32];
    int progress = 1;
    while (progress) {
        progress = 0;
        for (int j = 0; j < nc; j++) { /* a country: categories = total */
            int n2 = 0;
            for (int k = 0; k < nk; k++) {
                pub *x = find(p, n, countries[j], by, cats[k]);
                if (x) m[n2++] = x;
            }
            progress |=
                solve(m, n2, find(p, n, countries[j], "total", "total"));
        }
        for (int k = 0; k < nk; k++) { /* a category: countries = ALL */
            int n2 = 0;
            for (int j = 0; j < nc; j++) {
                pub *x = find(p, n, countries[j], by, cats[k]);
                if (x) m[n2++] = x;
            }
            progress |= solve(m, n2, find(p, n, "ALL", by, cats[k]));
        }
        int n2 = 0; /* country totals = region total */
        for (int j = 0; j < nc; j++)
            m[n2++] = find(p, n, countries[j], "total", "total");
        progress |= solve(m, n2, find(p, n, "ALL", "total", "total"));
        n2 = 0; /* region categories = region total */
        for (int k = 0; k < nk; k++) {
            pub *x = find(p, n, "ALL", by, cats[k]);
            if (x) m[n2++] = x;
        }
        progress |= solve(m, n2, find(p, n, "ALL", "total", "total"));
    }
    int recovered = 0;
    for (size_t i = 0; i < n; i++)
        recovered += p[i].hidden && p[i].known;
    return recovered;
}

/* Published cells of C as attack input; REVEAL_SECONDARY shows "x". */
static size_t publish(const compare *c, pub *p, size_t cap,
                      int reveal_secondary, int *nprimary) {
    size_t n, k = 0;
    const compare_cell *cells = compare_cells(c, &n);
    *nprimary = 0;
    for (size_t i = 0; i < n && k < cap; i++) {
        pub *x = &p[k++];
        x->country = cells[i].country;
        x->breakdown = cells[i].breakdown;
        x->category = cells[i].category;
        x->value = cells[i].value;
        x->hidden = cells[i].state == COMPARE_PRIMARY ||
                    cells[i].state == COMPARE_SECONDARY;
        x->known = cells[i].state == COMPARE_SHOWN ||
                   (reveal_secondary && cells[i].state == COMPARE_SECONDARY);
        if (cells[i].state == COMPARE_PRIMARY) {
            ++*nprimary;
            T_CHECK(x->value >= 1 && x->value < 5);
        }
        if (reveal_secondary && cells[i].state == COMPARE_SECONDARY)
            x->hidden = 0;
    }
    return k;
}

static unsigned rng = 12345u;
static unsigned rnd(unsigned n) {
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) % n;
}

/* Random tables: no hidden cell may be recovered from the totals. */
T_TEST(suppression_cannot_be_undone) {
    static const char *countries[] = {"AFG", "BGD", "IRN", "IRQ", "PAK", "TUR"};
    static const char *nats[] = {"AFG", "BGD", "IND", "IRN", "PAK", "XXA"};
    int tables = 0, with_primary = 0, teeth = 0;
    for (int trial = 0; trial < 300; trial++) {
        compare *c = agg_compare(5, COMPARE_BY_NATIONALITY, COMPARE_MONTH);
        int nc = 1 + (int)rnd(6), nk = 1 + (int)rnd(6);
        for (int j = 0; j < nc; j++)
            for (int k = 0; k < nk; k++) {
                unsigned r = rnd(10);
                char v[16];
                snprintf(v, sizeof v, "%u", r < 4 ? rnd(5) : rnd(40));
                agg(c, countries[j], "2025-03", "thb_victims", "total", nats[k],
                    v);
            }
        compare_finish(c);
        pub p[256];
        int nprim;
        size_t n = publish(c, p, 256, 0, &nprim);
        int rec = attack(p, n, "nationality");
        if (rec)
            fprintf(stderr, "trial %d: %d hidden cells recovered\n", trial,
                    rec);
        T_CHECK_INT(rec, 0);
        /* the LP attack (GLPK) narrows no hidden cell either */
        size_t ncell;
        const compare_cell *cells = compare_cells(c, &ncell);
        double lo[256], hi[256];
        long infeasible;
        T_CHECK_INT(ncell <= 256, 1);
        T_CHECK_INT(
            compare_audit_cells(cells, ncell, 5, lo, hi, NULL, &infeasible), 0);
        T_CHECK_INT(infeasible, 0);
        tables++;
        if (nprim) {
            with_primary++;
            n = publish(c, p, 256, 1, &nprim);
            if (attack(p, n, "nationality") > 0) teeth++;
        }
        compare_free(c);
    }
    T_CHECK_INT(tables, 300);
    T_CHECK(with_primary > 100); /* the test met many small cells */
    T_CHECK(teeth > 50);         /* without the x cells they would leak */
}

/* Two breakdowns share the country totals: hiding one of those in one
 * table hides it in the other, and neither table leaks. */
T_TEST(suppression_linked_tables) {
    compare *c =
        agg_compare(5, COMPARE_BY_SEX | COMPARE_BY_NATIONALITY, COMPARE_MONTH);
    /* PAK: 3 female, 40 male; AFG 12 female 30 male; nationality cut */
    agg(c, "PAK", "2025-03", "thb_victims", "female", "TOTAL", "3");
    agg(c, "PAK", "2025-03", "thb_victims", "male", "TOTAL", "40");
    agg(c, "AFG", "2025-03", "thb_victims", "female", "TOTAL", "12");
    agg(c, "AFG", "2025-03", "thb_victims", "male", "TOTAL", "30");
    agg(c, "PAK", "2025-03", "thb_victims", "total", "PAK", "41");
    agg(c, "PAK", "2025-03", "thb_victims", "total", "AFG", "2");
    agg(c, "AFG", "2025-03", "thb_victims", "total", "AFG", "42");
    compare_finish(c);
    pub p[128];
    int nprim;
    size_t n = publish(c, p, 128, 0, &nprim);
    T_CHECK_INT(nprim, 2);
    T_CHECK_INT(attack(p, n, "sex"), 0);
    /* a second attacker with the sex cut's knowledge on the same cells */
    for (size_t i = 0; i < n; i++)
        p[i].known = !p[i].hidden && p[i].known;
    T_CHECK_INT(attack(p, n, "nationality"), 0);
    /* the totals: PAK 43, AFG 42, ALL 85, from the total of either cut
     * (the sex rows are the same cut as the total: no double count) */
    size_t nc;
    const compare_cell *cells = compare_cells(c, &nc);
    long long pak = -1;
    for (size_t i = 0; i < nc; i++)
        if (!strcmp(cells[i].country, "PAK") &&
            !strcmp(cells[i].breakdown, "total"))
            pak = cells[i].value;
    T_CHECK_INT(pak, 43);
    compare_free(c);
}

/* "<5" from a source is unknown, never a number, and makes sums unknown. */
T_TEST(source_small_counts_stay_unknown) {
    compare *c = agg_compare(0, COMPARE_BY_SEX, COMPARE_MONTH);
    agg(c, "BGD", "2025-03", "thb_victims", "female", "TOTAL", "<5");
    agg(c, "BGD", "2025-03", "thb_victims", "male", "TOTAL", "20");
    compare_finish(c);
    size_t n;
    const compare_cell *cells = compare_cells(c, &n);
    char buf[32];
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        const char *f = compare_format(c, &cells[i], buf);
        if (!strcmp(cells[i].category, "female")) {
            T_CHECK_STR(f, "<5");
            seen++;
        }
        if (!strcmp(cells[i].breakdown, "total")) {
            T_CHECK_STR(f, "..");
            seen++;
        }
        if (!strcmp(cells[i].category, "male")) {
            T_CHECK_STR(f, "20");
            seen++;
        }
    }
    T_CHECK_INT(seen, 3);
    compare_free(c);
}

/* Months roll up into quarters, but a quarter's own row wins over its
 * months, and the set-aside rows are counted. */
T_TEST(periods_roll_up_without_double_counting) {
    compare *c = agg_compare(0, 0, COMPARE_QUARTER);
    agg(c, "IRQ", "2025-01", "som_incidents", "total", "TOTAL", "10");
    agg(c, "IRQ", "2025-02", "som_incidents", "total", "TOTAL", "11");
    agg(c, "IRQ", "2025-04", "som_incidents", "total", "TOTAL", "7");
    agg(c, "IRQ", "2025-Q2", "som_incidents", "total", "TOTAL", "30");
    agg(c, "IRQ", "2025", "som_incidents", "total", "TOTAL", "99");
    compare_finish(c);
    size_t n;
    const compare_cell *cells = compare_cells(c, &n);
    T_CHECK_INT(n, 3);
    T_CHECK_STR(cells[0].period, "2025");
    T_CHECK_INT(cells[0].value, 99);
    T_CHECK_STR(cells[1].period, "2025-Q1");
    T_CHECK_INT(cells[1].value, 21);
    T_CHECK_STR(cells[2].period, "2025-Q2");
    T_CHECK_INT(cells[2].value, 30);
    const compare_counts *k = compare_counts_of(c, COMPARE_AGGREGATE);
    T_CHECK_INT(k->rows, 5);
    T_CHECK_INT(k->counted, 4);
    T_CHECK_INT(k->set_aside, 1);
    compare_free(c);
}

/* Incidents and persons: victims by sex with what the counts hold beyond
 * the person rows as not_recorded; more person rows than the count win. */
T_TEST(records_victims_by_sex) {
    compare_opts o = {COMPARE_MONTH, COMPARE_BY_SEX, 0, 1, 0, {0}, 0};
    compare *c = compare_new(&o);
    char err[256];
    trow r;
    T_CHECK_INT(compare_header(c, COMPARE_INCIDENT, mk(&r, 12, inc_hdr), err,
                               sizeof err),
                0);
    const char *i1[12] = {
        "PAK-2025-A", "PAK", "2025-03", "2025-03-02", "THB", "forced_labour",
        "6",          "0",   "0",       "2",          "",    "convicted"};
    const char *i2[12] = {
        "PAK-2025-B", "PAK", "2025-03",
        "2025-03-04", "THB", "sexual_exploitation;forced_labour",
        "1",          "0",   "0",
        "1",          "",    "registered"};
    compare_row(c, mk(&r, 12, i1));
    compare_row(c, mk(&r, 12, i2));
    const char *ph[6] = {"incident_id",   "role", "sex",
                         "date_of_birth", "age",  "nationality"};
    T_CHECK_INT(
        compare_header(c, COMPARE_PERSON, mk(&r, 6, ph), err, sizeof err), 0);
    const char *p1[6] = {"PAK-2025-A", "victim", "female", "", "30", "PAK"};
    const char *p2[6] = {"PAK-2025-B", "victim", "male", "", "15", "PAK"};
    const char *p3[6] = {"PAK-2025-B", "victim", "male", "", "16", "PAK"};
    const char *p4[6] = {"PAK-2025-X", "victim", "male", "", "16", "PAK"};
    compare_row(c, mk(&r, 6, p1));
    compare_row(c, mk(&r, 6, p2));
    compare_row(c, mk(&r, 6, p3)); /* a second victim where the count is 1 */
    compare_row(c, mk(&r, 6, p4)); /* no such incident */
    compare_finish(c);
    size_t n;
    const compare_cell *cells = compare_cells(c, &n);
    long long total = -1, female = -1, male = -1, notrec = -1, convicted = -1;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(cells[i].indicator, "persons_convicted"))
            convicted = cells[i].value;
        if (strcmp(cells[i].indicator, "thb_victims")) continue;
        if (!strcmp(cells[i].breakdown, "total")) total = cells[i].value;
        if (!strcmp(cells[i].category, "female")) female = cells[i].value;
        if (!strcmp(cells[i].category, "male")) male = cells[i].value;
        if (!strcmp(cells[i].category, "not_recorded")) notrec = cells[i].value;
    }
    T_CHECK_INT(total, 8); /* 6 + max(1, 2) */
    T_CHECK_INT(female, 1);
    T_CHECK_INT(male, 2);
    T_CHECK_INT(notrec, 5);
    T_CHECK_INT(convicted, 2);
    const compare_counts *k = compare_counts_of(c, COMPARE_PERSON);
    T_CHECK_INT(k->rows, 4);
    T_CHECK_INT(k->counted, 3);
    T_CHECK_INT(k->unmatched, 1);
    compare_free(c);
}

/* The figure of a cell, or -1 (and the incomplete mark in *INC). */
static long long figure(const compare *c, const char *country,
                        const char *period, const char *ind, int *inc) {
    size_t n;
    const compare_cell *cells = compare_cells(c, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(cells[i].country, country) &&
            !strcmp(cells[i].period, period) &&
            !strcmp(cells[i].indicator, ind) &&
            !strcmp(cells[i].breakdown, "total")) {
            if (inc) *inc = cells[i].incomplete;
            return cells[i].value;
        }
    return -1;
}

/* PAK's thb_incidents of the issue: records of March (13), March's own
 * aggregate (38), the quarter's aggregate (103); IRQ's months 59, 2, 35
 * and a quarter row of 2; AFG has January only. One rule at any period. */
static compare *one_rule(int period) {
    compare_opts o = {period, 0, 0, 1, 0, {0}, 0};
    compare *c = compare_new(&o);
    char err[256];
    trow r;
    compare_header(c, COMPARE_INCIDENT, mk(&r, 13, inc_hdr), err, sizeof err);
    for (int i = 0; i < 13; i++) {
        char id[32];
        snprintf(id, sizeof id, "PAK-2025-%d", i);
        /* one conviction in March whose stage_date is in May */
        const char *v[13] = {id,
                             "PAK",
                             "2025-03",
                             "2025-03-02",
                             "THB",
                             "forced_labour",
                             "1",
                             "0",
                             "0",
                             "1",
                             "",
                             i ? "registered" : "convicted",
                             i ? "" : "2025-05-20"};
        compare_row(c, mk(&r, 13, v));
    }
    compare_header(c, COMPARE_AGGREGATE, mk(&r, 7, agg_hdr), err, sizeof err);
    agg(c, "PAK", "2025-03", "thb_incidents", "total", "TOTAL", "38");
    agg(c, "PAK", "2025-Q1", "thb_incidents", "total", "TOTAL", "103");
    agg(c, "IRQ", "2025-01", "thb_incidents", "total", "TOTAL", "59");
    agg(c, "IRQ", "2025-02", "thb_incidents", "total", "TOTAL", "2");
    agg(c, "IRQ", "2025-03", "thb_incidents", "total", "TOTAL", "35");
    agg(c, "IRQ", "2025-Q1", "thb_incidents", "total", "TOTAL", "2");
    agg(c, "AFG", "2025-01", "thb_incidents", "total", "TOTAL", "4");
    compare_finish(c);
    return c;
}

T_TEST(one_number_per_cell) {
    compare *m = one_rule(COMPARE_MONTH), *q = one_rule(COMPARE_QUARTER),
            *y = one_rule(COMPARE_YEAR);
    int inc = -1;
    /* records win in March, and the disagreement is a finding with both */
    T_CHECK_INT(figure(m, "PAK", "2025-03", "thb_incidents", &inc), 13);
    size_t nf;
    const char *const *f = compare_findings(m, &nf);
    int both = 0, irq = 0;
    for (size_t i = 0; i < nf; i++) {
        both += strstr(f[i], "PAK 2025-03 thb_incidents") &&
                strstr(f[i], "13") && strstr(f[i], "38");
        irq += strstr(f[i], "IRQ 2025-Q1") && strstr(f[i], "96") &&
               strstr(f[i], "aggregate 2;") != NULL;
    }
    T_CHECK_INT(both, 1);
    T_CHECK_INT(irq, 1);
    /* PAK's quarter: its months are incomplete, its own aggregate serves,
     * the same at month (as a row of its own) and quarter level */
    T_CHECK_INT(figure(m, "PAK", "2025-Q1", "thb_incidents", &inc), 103);
    T_CHECK_INT(figure(q, "PAK", "2025-Q1", "thb_incidents", &inc), 103);
    T_CHECK_INT(inc, 0);
    /* IRQ's quarter is the sum of its months at every level */
    T_CHECK_INT(figure(q, "IRQ", "2025-Q1", "thb_incidents", &inc), 96);
    T_CHECK_INT(inc, 0);
    T_CHECK_INT(figure(m, "IRQ", "2025-Q1", "thb_incidents", NULL), -1);
    /* AFG: one month of three is incomplete, at quarter and year level */
    T_CHECK_INT(figure(q, "AFG", "2025-Q1", "thb_incidents", &inc), 4);
    T_CHECK_INT(inc, 1);
    T_CHECK_INT(figure(y, "AFG", "2025", "thb_incidents", &inc), 4);
    T_CHECK_INT(inc, 1);
    T_CHECK_INT(figure(m, "AFG", "2025-01", "thb_incidents", &inc), 4);
    T_CHECK_INT(inc, 0);
    /* the region of an incomplete period is incomplete */
    figure(q, "ALL", "2025-Q1", "thb_incidents", &inc);
    T_CHECK_INT(inc, 1);
    /* the conviction counts in May (stage_date), not March */
    T_CHECK_INT(figure(m, "PAK", "2025-05", "persons_convicted", NULL), 1);
    T_CHECK_INT(figure(m, "PAK", "2025-03", "persons_convicted", NULL), 0);
    /* set aside: PAK's March aggregate (records win) */
    T_CHECK_INT(compare_counts_of(m, COMPARE_AGGREGATE)->set_aside, 2);
    compare_free(m);
    compare_free(q);
    compare_free(y);
}

/* The naive suppression: AFG <5, IRQ <5, PAK 10, ALL 12. The
 * attack pins both small cells to 1; relec's suppression of the same
 * figures leaves them anywhere in 1..4. */
T_TEST(audit_finds_naive_leaks) {
    compare_cell naive[4] = {{"AFG", "2025-Q1", "som_incidents", "total",
                              "total", 1, COMPARE_PRIMARY, 0, 0},
                             {"IRQ", "2025-Q1", "som_incidents", "total",
                              "total", 1, COMPARE_PRIMARY, 0, 0},
                             {"PAK", "2025-Q1", "som_incidents", "total",
                              "total", 10, COMPARE_SHOWN, 0, 0},
                             {"ALL", "2025-Q1", "som_incidents", "total",
                              "total", 12, COMPARE_SHOWN, 0, 0}};
    double lo[4], hi[4];
    long infeasible;
    T_CHECK_INT(compare_audit_cells(naive, 4, 5, lo, hi, NULL, &infeasible), 2);
    T_CHECK(lo[0] == 1 && hi[0] == 1);
    T_CHECK(lo[1] == 1 && hi[1] == 1);
    /* four <5 cells that must add up to 5 (the second case) */
    compare_cell four[6] = {{"AFG", "2025-03", "thb_victims", "total", "total",
                             2, COMPARE_PRIMARY, 0, 0},
                            {"BGD", "2025-03", "thb_victims", "total", "total",
                             1, COMPARE_PRIMARY, 0, 0},
                            {"IRN", "2025-03", "thb_victims", "total", "total",
                             1, COMPARE_PRIMARY, 0, 0},
                            {"IRQ", "2025-03", "thb_victims", "total", "total",
                             1, COMPARE_PRIMARY, 0, 0},
                            {"PAK", "2025-03", "thb_victims", "total", "total",
                             40, COMPARE_SHOWN, 0, 0},
                            {"ALL", "2025-03", "thb_victims", "total", "total",
                             45, COMPARE_SHOWN, 0, 0}};
    double lo6[6], hi6[6];
    T_CHECK_INT(compare_audit_cells(four, 6, 5, lo6, hi6, NULL, &infeasible),
                4);
    T_CHECK(hi6[0] < 2.5); /* at most 2 */
    /* relec on the same figures */
    compare *c = agg_compare(5, 0, COMPARE_QUARTER);
    agg(c, "AFG", "2025-Q1", "som_incidents", "total", "TOTAL", "1");
    agg(c, "IRQ", "2025-Q1", "som_incidents", "total", "TOTAL", "1");
    agg(c, "PAK", "2025-Q1", "som_incidents", "total", "TOTAL", "10");
    compare_finish(c);
    size_t n;
    const compare_cell *cells = compare_cells(c, &n);
    double l2[8], h2[8];
    T_CHECK_INT(n, 4);
    T_CHECK_INT(compare_audit_cells(cells, n, 5, l2, h2, NULL, &infeasible), 0);
    int secondary = 0;
    for (size_t i = 0; i < n; i++) {
        secondary += cells[i].state == COMPARE_SECONDARY;
        if (cells[i].state == COMPARE_PRIMARY)
            T_CHECK(l2[i] <= 1 && h2[i] >= 4);
    }
    T_CHECK(secondary >= 1);
    compare_free(c);
    /* four <5 cells whose region total is <5: the marks alone make each
     * 1; relec shows the region total as x instead */
    c = agg_compare(5, 0, COMPARE_MONTH);
    const char *cs[4] = {"AFG", "BGD", "IRN", "IRQ"};
    for (int i = 0; i < 4; i++)
        agg(c, cs[i], "2025-03", "thb_victims", "total", "TOTAL", "1");
    compare_finish(c);
    cells = compare_cells(c, &n);
    T_CHECK_INT(n, 5);
    T_CHECK_INT(compare_audit_cells(cells, n, 5, l2, h2, NULL, &infeasible), 0);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(cells[i].country, "ALL"))
            T_CHECK_INT(cells[i].state, COMPARE_SECONDARY);
    compare_free(c);
}

/* Random thb_victims by sex and age group of five countries, as
 * aggregate rows giving both, suppressed with k 5 (CROSS: as a cross-tab
 * too); finished. */
static compare *random_sex_age(unsigned cross) {
    static const char *countries[] = {"AFG", "BGD", "IRN", "IRQ", "PAK"};
    static const char *sexes[] = {"female", "male"};
    compare_opts o = {
        COMPARE_MONTH, COMPARE_BY_SEX | COMPARE_BY_AGE, 5, 0, 0, {cross}, 0};
    compare *c = compare_new(&o);
    trow r;
    char err[256];
    compare_header(c, COMPARE_AGGREGATE, mk(&r, 7, agg_hdr), err, sizeof err);
    for (int j = 0; j < 5; j++)
        for (int s = 0; s < 2; s++)
            for (int a = 0; a < 2; a++) {
                char v[16];
                snprintf(v, sizeof v, "%u", rnd(3) ? rnd(6) : rnd(30));
                const char *row[7] = {countries[j],
                                      "2025-03",
                                      "thb_victims",
                                      sexes[s],
                                      a ? "adult" : "child",
                                      "TOTAL",
                                      v};
                compare_row(c, mk(&r, 7, row));
            }
    compare_finish(c);
    return c;
}

/* Breakdowns that share the totals, with the region: no cell of any
 * table is narrowed, over random tables of two breakdowns at once (and,
 * every other time, their cross-tab). */
T_TEST(audit_linked_breakdowns) {
    int leaks = 0, primaries = 0, crosscells = 0;
    for (int trial = 0; trial < 120; trial++) {
        int x = trial % 2; /* odd trials: the sex*age_group cross-tab too */
        compare *c = random_sex_age(x ? COMPARE_BY_SEX | COMPARE_BY_AGE : 0);
        size_t n;
        const compare_cell *cells = compare_cells(c, &n);
        double lo[256], hi[256];
        long infeasible;
        T_CHECK_INT(n <= 256, 1);
        leaks +=
            (int)compare_audit_cells(cells, n, 5, lo, hi, NULL, &infeasible);
        T_CHECK_INT(infeasible, 0);
        for (size_t i = 0; i < n; i++) {
            primaries += cells[i].state == COMPARE_PRIMARY;
            if (!x || strcmp(cells[i].breakdown, "sex")) continue;
            /* each margin is the sum of its cross cells */
            long long sum = 0;
            for (size_t m = 0; m < n; m++)
                if (!strcmp(cells[m].breakdown, "sex*age_group") &&
                    !strcmp(cells[m].country, cells[i].country) &&
                    compare_audit_side(cells[m].category, cells[i].category,
                                       0)) {
                    sum += cells[m].value;
                    crosscells++;
                }
            T_CHECK_INT(sum, cells[i].value);
        }
        compare_free(c);
    }
    T_CHECK_INT(leaks, 0);
    T_CHECK(primaries > 120);
    T_CHECK(crosscells > 60 * 5 * 2);
}

/* A cross-tab's margins are the one-way tables: a suppression that treats
 * the cross-tab as a table of its own leaks through them (here female:
 * f*c + f*a = 7 and male: m*c + m*a = 8 pin m*c to 3), and the audit finds
 * it (relec's suppression of random cross-tabs: audit_linked_breakdowns). */
T_TEST(cross_tab_margins) {
    static const char *by[] = {"sex*age_group", "sexXage_group"};
    for (int naive = 0; naive < 2; naive++) {
        compare_cell x[9] = {{"PAK", "2025-03", "thb_victims", "total", "total",
                              15, COMPARE_SHOWN, 0, 0},
                             {"PAK", "2025-03", "thb_victims", "sex", "female",
                              7, COMPARE_SHOWN, 0, 0},
                             {"PAK", "2025-03", "thb_victims", "sex", "male", 8,
                              COMPARE_SHOWN, 0, 0},
                             {"PAK", "2025-03", "thb_victims", "age_group",
                              "adult", 10, COMPARE_SHOWN, 0, 0},
                             {"PAK", "2025-03", "thb_victims", "age_group",
                              "child", 5, COMPARE_SHOWN, 0, 0},
                             {"PAK", "2025-03", "thb_victims", by[naive],
                              "female*adult", 5, COMPARE_SECONDARY, 0, 0},
                             {"PAK", "2025-03", "thb_victims", by[naive],
                              "female*child", 2, COMPARE_PRIMARY, 0, 0},
                             {"PAK", "2025-03", "thb_victims", by[naive],
                              "male*adult", 5, COMPARE_SHOWN, 0, 0},
                             {"PAK", "2025-03", "thb_victims", by[naive],
                              "male*child", 3, COMPARE_PRIMARY, 0, 0}};
        double lo[9], hi[9];
        long infeasible;
        long leaks = compare_audit_cells(x, 9, 5, lo, hi, NULL, &infeasible);
        T_CHECK_INT(infeasible, 0);
        if (naive) { /* no margins known: the cross-tab alone is safe */
            T_CHECK_INT(leaks, 0);
        } else {
            T_CHECK(leaks >= 1);
            T_CHECK(lo[8] == 3 && hi[8] == 3);
        }
    }
}

/* One run of every phase (incidents, persons, aggregates; a breakdown, a
 * cross-tab, suppression with the standard table's view): the published
 * cell count, or -1 when a call failed. A failed call must say
 * ERRCLASS_MEMORY and every later call fail too, never exit. */
static long oom_run(int *fails) {
    compare_opts o = {COMPARE_MONTH,
                      COMPARE_BY_SEX | COMPARE_BY_AGE,
                      5,
                      1,
                      1,
                      {COMPARE_BY_SEX | COMPARE_BY_AGE},
                      1};
    compare *c = compare_new(&o);
    if (!c) return -1;
    char err[256];
    trow r;
    int bad = 0;
    compare_header(c, COMPARE_INCIDENT, mk(&r, 12, inc_hdr), err, sizeof err);
    static const char *ctry[] = {"AFG", "IRN", "PAK"};
    for (int i = 0; i < 9; i++) {
        char id[32], n[8];
        snprintf(id, sizeof id, "%s-%d", ctry[i % 3], i);
        snprintf(n, sizeof n, "%d", 1 + i % 4);
        const char *v[12] = {id,
                             ctry[i % 3],
                             i < 6 ? "2025-03" : "2025-04",
                             "2025-03-02",
                             "THB",
                             "forced_labour",
                             n,
                             "0",
                             "0",
                             "1",
                             "",
                             "registered"};
        bad |= compare_row(c, mk(&r, 12, v)) < 0;
    }
    const char *ph[6] = {"incident_id",   "role", "sex",
                         "date_of_birth", "age",  "nationality"};
    compare_header(c, COMPARE_PERSON, mk(&r, 6, ph), err, sizeof err);
    for (int i = 0; i < 9; i++) {
        char id[32];
        snprintf(id, sizeof id, "%s-%d", ctry[i % 3], i);
        const char *v[6] = {
            id,   "victim", i % 2 ? "male" : "female", "", i % 3 ? "30" : "15",
            "PAK"};
        bad |= compare_row(c, mk(&r, 6, v)) < 0;
    }
    compare_header(c, COMPARE_AGGREGATE, mk(&r, 7, agg_hdr), err, sizeof err);
    for (int i = 0; i < 3; i++) {
        const char *v[7] = {
            "BGD",   "2025-03", "thb_victims",  i ? "female" : "total",
            "total", "TOTAL",   i ? "<5" : "12"};
        bad |= compare_row(c, mk(&r, 7, v)) < 0;
    }
    bad |= compare_finish(c) < 0;
    long n = -1;
    if (bad) {
        T_CHECK_INT(compare_error(c), ERRCLASS_MEMORY);
        T_CHECK_INT(compare_finish(c), -1); /* stays failed */
        (*fails)++;
    } else {
        T_CHECK_INT(compare_error(c), ERRCLASS_NONE);
        size_t nc;
        compare_cells(c, &nc);
        n = (long)nc;
    }
    compare_free(c);
    return n;
}

/* Out of memory at each allocation of compare.c in turn: the call returns
 * -1 with ERRCLASS_MEMORY (or compare_new() NULL), frees what it held
 * (ASan: no leak, no double free) and the process goes on. */
T_TEST(out_of_memory_returns) {
    int fails = 0, nulls = 0;
    long want = oom_run(&fails), runs = 0;
    T_CHECK(want > 20);
    T_CHECK_INT(fails, 0);
    for (long at = 1; at < 100000; at++) {
        compare_fail_alloc(at);
        int before = fails;
        long n = oom_run(&fails);
        long left = compare_fail_alloc(0);
        runs++;
        if (left > 0) { /* fewer allocations than AT: the whole run */
            T_CHECK_INT(n, want);
            break;
        }
        if (n < 0 && fails == before) nulls++; /* compare_new() NULL */
        T_CHECK_INT(n, -1);
    }
    T_CHECK_INT(fails + nulls, runs - 1);
    T_CHECK(nulls >= 1); /* in compare_new() */
    T_CHECK(fails > 50); /* rows and finish */
}

/* GLPK's allocator past its limit (glp_mem_limit(), the same path as a
 * malloc that fails inside GLPK): the audit call returns -2 and the
 * compare ERRCLASS_MEMORY, never an abort; the next programme works. */
T_TEST(glpk_out_of_memory_returns) {
    enum { N = 20000 };
    /* a chain: hidden cells i and i+1 add up to shown cell N + i */
    cmp_acell *cells = calloc(2 * N, sizeof *cells);
    int *lines = malloc((size_t)N * 4 * sizeof *lines);
    T_CHECK(cells && lines);
    if (!cells || !lines) return;
    size_t len = 0;
    for (int i = 0; i < N; i++) {
        cells[i] = (cmp_acell){2, COMPARE_PRIMARY, 0, 0};
        cells[N + i] = (cmp_acell){4, COMPARE_SHOWN, 0, 0};
        if (i + 1 < N) {
            lines[len++] = 2;
            lines[len++] = N + i;
            lines[len++] = i;
            lines[len++] = i + 1;
        }
    }
    double lo = -1, hi = -1;
    compare_audit *a = compare_audit_new(cells, 2 * N, lines, len, 5);
    T_CHECK(a != NULL);
    compare_audit_mem_limit(1);
    T_CHECK_INT(compare_audit_range(a, 7, &lo, &hi), -2);
    T_CHECK(compare_audit_failure() != NULL);
    T_CHECK_INT(compare_audit_range(a, 8, &lo, &hi), -2); /* dead */
    compare_audit_free(a);
    /* a new one in a new environment, no limit: 1 to 3 */
    a = compare_audit_new(cells, 2 * N, lines, len, 5);
    T_CHECK_INT(compare_audit_range(a, 7, &lo, &hi), 0);
    T_CHECK(lo == 1 && hi == 3);
    compare_audit_free(a);
    free(cells);
    free(lines);
    /* through the suppression: many small counts in one programme */
    compare *c = agg_compare(5, COMPARE_BY_NATIONALITY, COMPARE_MONTH);
    for (int i = 0; i < 3000; i++) {
        char nat[16];
        snprintf(nat, sizeof nat, "N%04d", i);
        agg(c, "PAK", "2025-03", "thb_victims", "total", nat,
            i % 3 ? "2" : "9");
        agg(c, "AFG", "2025-03", "thb_victims", "total", nat,
            i % 2 ? "3" : "8");
    }
    compare_audit_mem_limit(1);
    T_CHECK_INT(compare_finish(c), -1);
    T_CHECK_INT(compare_error(c), ERRCLASS_MEMORY);
    compare_free(c);
}

int main(void) {
    T_RUN(suppression_cannot_be_undone);
    T_RUN(suppression_linked_tables);
    T_RUN(source_small_counts_stay_unknown);
    T_RUN(periods_roll_up_without_double_counting);
    T_RUN(records_victims_by_sex);
    T_RUN(one_number_per_cell);
    T_RUN(audit_finds_naive_leaks);
    T_RUN(audit_linked_breakdowns);
    T_RUN(cross_tab_margins);
    T_RUN(out_of_memory_returns);
    T_RUN(glpk_out_of_memory_returns);
    return T_END();
}
