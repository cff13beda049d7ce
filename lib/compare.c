/*
 * compare.c: the tables of compare.h: accumulation, level resolution,
 * region totals and suppression.
 *
 * Performance: rows are streamed; per row a handful of hash look-ups on
 * small packed binary keys (group: country, period, indicator, breakdown;
 * cell: group, category) and additions. Memory grows with the cells of the
 * tables (countries x periods x indicators x categories: thousands), not
 * with rows, except for the incident index kept when person rows follow
 * (a key set, about 60 bytes an incident) and 16 bytes an aggregate row
 * for the set-aside accounting. Suppression works per indicator and
 * period on graphs of a few hundred nodes: bridges by one DFS, cycles by
 * an O(V^2) Dijkstra over the complete bipartite table.
 */
#include "compare.h"
#include "strmap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NIND 12
#define NBY 6
#define NSLOT                                                                  \
    25 /* 0 records; 1 + rank*8 + mask of the specific                         \
          dimensions (sex 1, age 2, nationality 4) of aggregates */
#define NONE UINT32_MAX

static const char *const ind_names[NIND] = {
    "thb_incidents",      "thb_victims",          "som_incidents",
    "smuggled_migrants",  "irregular_entries",    "irregular_exits",
    "irregular_stays",    "document_fraud_cases", "suspects_arrested",
    "persons_prosecuted", "persons_convicted",    "migrant_deaths"};
enum {
    I_THB_INC,
    I_THB_VIC,
    I_SOM_INC,
    I_SMUGGLED,
    I_IRR_ENTRY,
    I_IRR_EXIT,
    I_IRR_STAY,
    I_DOC,
    I_SUSPECTS,
    I_PROSECUTED,
    I_CONVICTED,
    I_DEATHS
};
static const char *const by_names[NBY] = {"total",        "sex",
                                          "age_group",    "nationality",
                                          "offence_type", "exploitation_form"};
enum { B_TOTAL, B_SEX, B_AGE, B_NAT, B_OFFENCE, B_FORM };
#define BIT(b) (1u << ((b)-1))
#define PERSON_BY (BIT(B_SEX) | BIT(B_AGE) | BIT(B_NAT))
/* Breakdowns that make sense for each indicator. */
static const unsigned applies[NIND] = {
    BIT(B_FORM),                /* thb_incidents */
    PERSON_BY | BIT(B_FORM),    /* thb_victims */
    0,                          /* som_incidents */
    PERSON_BY | BIT(B_OFFENCE), /* smuggled_migrants */
    PERSON_BY,
    PERSON_BY,
    PERSON_BY,                   /* irregular_* */
    0,                           /* document_fraud_cases */
    PERSON_BY | BIT(B_OFFENCE),  /* suspects_arrested */
    PERSON_BY | BIT(B_OFFENCE),  /* persons_prosecuted */
    PERSON_BY | BIT(B_OFFENCE),  /* persons_convicted */
    PERSON_BY | BIT(B_OFFENCE)}; /* migrant_deaths */

static const char *const offences[6] = {"THB",
                                        "SOM",
                                        "IRREGULAR_ENTRY",
                                        "IRREGULAR_EXIT",
                                        "IRREGULAR_STAY",
                                        "DOCUMENT_FRAUD"};

/* A table group: the cells of one country, period, indicator, breakdown. */
typedef struct cmp_group {
    uint32_t country; /* name id */
    uint32_t period;  /* name id */
    uint8_t ind;      /* indicator */
    uint8_t by;       /* breakdown */
    uint8_t best;     /* winning slot; NSLOT = none yet */
} cmp_group;

/* A cell while accumulating and once resolved. */
typedef struct cmp_cell {
    uint32_t group;     /* its group */
    uint32_t cat;       /* category name id */
    uint32_t present;   /* slots that received rows */
    int64_t val[NSLOT]; /* known sum per slot */
    int32_t unk[NSLOT]; /* "<5" values per slot */
    int64_t value;      /* resolved value */
    uint8_t unknown;    /* resolved: holds a "<5" */
    uint8_t single;     /* resolved: exactly one "<5" and nothing else */
    uint8_t exists;     /* published */
    uint8_t state;      /* compare_state */
} cmp_cell;

/* An incident kept for the person join. */
typedef struct cmp_inc {
    uint32_t country, period; /* name ids */
    uint32_t formcat;         /* exploitation form category name id */
    int32_t date;             /* incident_date as YYYYMMDD, 0 unknown */
    int32_t declared[4];      /* victims, smuggled, irregular, suspects */
    int32_t seen[4];          /* person rows of each role so far */
    uint8_t offence;          /* index in offences, 255 other */
    uint8_t stage;            /* 1 prosecuted/acquitted, 2 convicted, 0 */
    uint8_t has_deaths;       /* deaths_count given */
} cmp_inc;

/* Incidents alike in everything the tables read, summed: most rows only
 * add to one bucket (one hash look-up), and the buckets are spread into
 * the tables at the end. */
typedef struct cmp_bucket {
    cmp_inc in;      /* the shared attributes (counts unused) */
    int64_t n;       /* incidents */
    int64_t cnt[4];  /* summed victims, smuggled, irregular, suspects */
    int64_t deaths;  /* summed deaths_count */
    int64_t ndeaths; /* incidents that gave deaths_count */
} cmp_bucket;

/* Columns compare reads, per kind. */
enum {
    IC_ID,
    IC_COUNTRY,
    IC_PERIOD,
    IC_DATE,
    IC_OFFENCE,
    IC_FORMS,
    IC_VICTIMS,
    IC_SMUGGLED,
    IC_IRREG,
    IC_SUSPECTS,
    IC_DEATHS,
    IC_STAGE,
    IC_N
};
static const char *const inc_cols[IC_N] = {"incident_id",
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
                                           "case_stage"};
static const unsigned char inc_need[IC_N] = {0, 1, 1, 0, 1, 0,
                                             1, 1, 1, 1, 0, 1};
enum { PC_INCIDENT, PC_ROLE, PC_SEX, PC_DOB, PC_AGE, PC_NAT, PC_N };
static const char *const per_cols[PC_N] = {
    "incident_id", "role", "sex", "date_of_birth", "age", "nationality"};
static const unsigned char per_need[PC_N] = {1, 1, 1, 0, 0, 1};
enum { AC_COUNTRY, AC_PERIOD, AC_IND, AC_SEX, AC_AGE, AC_NAT, AC_VALUE, AC_N };
static const char *const agg_cols[AC_N] = {
    "reporting_country", "reporting_period", "indicator", "sex",
    "age_group",         "nationality",      "value"};

struct compare {
    compare_opts o;        /* options */
    strmap names;          /* string -> id + 1 */
    char **name;           /* id -> NUL-terminated copy */
    size_t nname, capname; /* names used and capacity */
    strmap gmap;           /* packed group key -> index + 1 */
    cmp_group *groups;     /* groups */
    size_t ngroups, capgroups;
    strmap cmap;     /* packed cell key -> index + 1 */
    cmp_cell *cells; /* cells */
    size_t ncells, capcells;
    strmap incmap; /* incident_id -> index + 1 into incs */
    cmp_inc *incs; /* incidents kept for persons */
    size_t nincs, capincs;
    strmap bmap;         /* packed incident attributes -> bucket + 1 */
    cmp_bucket *buckets; /* incident buckets */
    size_t nbuckets, capbuckets;
    uint32_t *aggpairs; /* 4 (group << 5 | slot) per aggregate row */
    size_t naggrows, capagg;
    compare_kind kind;        /* kind of the current file */
    int col[16];              /* column of each needed field, or -1 */
    compare_counts counts[3]; /* per kind */
    uint32_t id_total, id_all, id_notrec, id_multiple, id_unknown, id_child,
        id_adult;         /* frequent names */
    size_t *gstart;       /* CSR after resolve: group -> first in gcell */
    uint32_t *gcell;      /* cells of each group, resolved ones */
    size_t ngres;         /* groups covered by the CSR */
    compare_cell *out;    /* published cells, sorted */
    size_t nout;          /* how many */
    compare_cell *wide;   /* the same, sorted for wide tables */
    const char **periods; /* distinct periods, sorted */
    size_t nperiods;      /* how many */
};

static void *grow(void *p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return p;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * elem);
    if (!q) {
        fprintf(stderr, "relec: out of memory\n");
        exit(3);
    }
    *cap = n;
    return q;
}

static uint32_t intern(compare *c, const char *p, size_t n) {
    int added;
    uint64_t *v = strmap_put(&c->names, p, n, &added);
    if (!v) exit(3);
    if (!added) return (uint32_t)(*v - 1);
    c->name = grow(c->name, &c->capname, c->nname + 1, sizeof *c->name);
    char *s = malloc(n + 1);
    if (!s) exit(3);
    memcpy(s, p, n);
    s[n] = 0;
    c->name[c->nname] = s;
    *v = ++c->nname;
    return (uint32_t)(c->nname - 1);
}
static uint32_t intern_s(compare *c, const char *s) {
    return intern(c, s, strlen(s));
}

compare *compare_new(const compare_opts *o) {
    compare *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->o = *o;
    strmap_init(&c->names);
    strmap_init(&c->gmap);
    strmap_init(&c->cmap);
    strmap_init(&c->incmap);
    strmap_init(&c->bmap);
    c->id_total = intern_s(c, "total");
    c->id_all = intern_s(c, "ALL");
    c->id_notrec = intern_s(c, "not_recorded");
    c->id_multiple = intern_s(c, "multiple");
    c->id_unknown = intern_s(c, "unknown");
    c->id_child = intern_s(c, "child");
    c->id_adult = intern_s(c, "adult");
    return c;
}

void compare_free(compare *c) {
    if (!c) return;
    for (size_t i = 0; i < c->nname; i++)
        free(c->name[i]);
    free(c->name);
    strmap_free(&c->names);
    strmap_free(&c->gmap);
    strmap_free(&c->cmap);
    strmap_free(&c->incmap);
    strmap_free(&c->bmap);
    free(c->buckets);
    free(c->groups);
    free(c->cells);
    free(c->incs);
    free(c->aggpairs);
    free(c->out);
    free(c->wide);
    free(c->periods);
    free(c->gstart);
    free(c->gcell);
    free(c);
}

static uint32_t group_of(compare *c, uint32_t country, uint32_t period, int ind,
                         int by) {
    unsigned char key[10];
    memcpy(key, &country, 4);
    memcpy(key + 4, &period, 4);
    key[8] = (unsigned char)ind;
    key[9] = (unsigned char)by;
    int added;
    uint64_t *v = strmap_put(&c->gmap, (const char *)key, sizeof key, &added);
    if (!v) exit(3);
    if (added) {
        c->groups =
            grow(c->groups, &c->capgroups, c->ngroups + 1, sizeof *c->groups);
        c->groups[c->ngroups] =
            (cmp_group){country, period, (uint8_t)ind, (uint8_t)by, NSLOT};
        *v = ++c->ngroups;
    }
    return (uint32_t)(*v - 1);
}

static uint32_t find_group(const compare *c, uint32_t country, uint32_t period,
                           int ind, int by) {
    unsigned char key[10];
    memcpy(key, &country, 4);
    memcpy(key + 4, &period, 4);
    key[8] = (unsigned char)ind;
    key[9] = (unsigned char)by;
    uint64_t *v = strmap_get(&c->gmap, (const char *)key, sizeof key);
    return v ? (uint32_t)(*v - 1) : NONE;
}

static uint32_t cell_of(compare *c, uint32_t group, uint32_t cat) {
    unsigned char key[8];
    memcpy(key, &group, 4);
    memcpy(key + 4, &cat, 4);
    int added;
    uint64_t *v = strmap_put(&c->cmap, (const char *)key, sizeof key, &added);
    if (!v) exit(3);
    if (added) {
        c->cells =
            grow(c->cells, &c->capcells, c->ncells + 1, sizeof *c->cells);
        memset(&c->cells[c->ncells], 0, sizeof *c->cells);
        c->cells[c->ncells].group = group;
        c->cells[c->ncells].cat = cat;
        *v = ++c->ncells;
    }
    return (uint32_t)(*v - 1);
}

static uint32_t find_cell(const compare *c, uint32_t group, uint32_t cat) {
    if (group == NONE) return NONE;
    unsigned char key[8];
    memcpy(key, &group, 4);
    memcpy(key + 4, &cat, 4);
    uint64_t *v = strmap_get(&c->cmap, (const char *)key, sizeof key);
    return v ? (uint32_t)(*v - 1) : NONE;
}

/* Adds AMOUNT (or one unknown) to a cell; returns its group. */
static uint32_t add(compare *c, uint32_t country, uint32_t period, int ind,
                    int by, uint32_t cat, int slot, long long amount,
                    int unknown) {
    uint32_t g = group_of(c, country, period, ind, by);
    uint32_t ci = cell_of(c, g, cat); /* may move c->cells: index first */
    cmp_cell *cell = &c->cells[ci];
    cell->present |= 1u << slot;
    if (unknown)
        cell->unk[slot]++;
    else
        cell->val[slot] += amount;
    return g;
}

int compare_header(compare *c, compare_kind kind, const source_row *hdr,
                   char *err, size_t errlen) {
    const char *const *cols = kind == COMPARE_INCIDENT ? inc_cols
                              : kind == COMPARE_PERSON ? per_cols
                                                       : agg_cols;
    size_t n = kind == COMPARE_INCIDENT ? IC_N
               : kind == COMPARE_PERSON ? PC_N
                                        : AC_N;
    c->kind = kind;
    for (size_t f = 0; f < n; f++) {
        c->col[f] = -1;
        size_t len = strlen(cols[f]);
        for (size_t i = 0; i < hdr->ncells; i++) {
            const char *p = hdr->cells[i].p;
            size_t pn = hdr->cells[i].n;
            if (i == 0 && pn >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
                p += 3;
                pn -= 3;
            }
            if (pn == len && !memcmp(p, cols[f], len)) {
                c->col[f] = (int)i;
                break;
            }
        }
        int need = kind == COMPARE_INCIDENT ? inc_need[f]
                   : kind == COMPARE_PERSON ? per_need[f]
                                            : 1;
        if (c->col[f] < 0 && need) {
            snprintf(err, errlen, "no column '%s'", cols[f]);
            return -1;
        }
    }
    return 0;
}

static source_cell cellv(const compare *c, const source_row *row, int f) {
    int col = c->col[f];
    if (col >= 0 && (size_t)col < row->ncells) return row->cells[col];
    return (source_cell){"", 0};
}

/* Whether V is the text S. No strlen: called ~10 times a row against
 * code words, most of which differ at the first byte. */
static int eq(source_cell v, const char *s) {
    size_t i = 0;
    for (; i < v.n; i++)
        if (!s[i] || s[i] != v.p[i]) return 0;
    return s[i] == 0;
}

/* A whole number >= 0; -1 when not one. Empty is 0 when EMPTY_OK. */
static long long count_of(source_cell v, int empty_ok) {
    if (v.n == 0) return empty_ok ? 0 : -1;
    if (v.n > 15) return -1;
    long long x = 0;
    for (size_t i = 0; i < v.n; i++) {
        if (v.p[i] < '0' || v.p[i] > '9') return -1;
        x = x * 10 + (v.p[i] - '0');
    }
    return x;
}

/* Granularity of a period text: 0 month, 1 quarter, 2 year, -1 bad. */
static int gran_of(source_cell v) {
    if (v.n == 7 && v.p[4] == '-' && v.p[5] != 'Q') return 0;
    if (v.n == 7 && v.p[4] == '-' && v.p[5] == 'Q') return 1;
    if (v.n == 4) return 2;
    return -1;
}

/* The table period of V (granularity G) and its rank (levels rolled up). */
static uint32_t period_id(compare *c, source_cell v, int g, int *rank) {
    char buf[16];
    int t = c->o.period;
    *rank = 0;
    if (g >= t) return intern(c, v.p, v.n); /* same, or coarser: kept */
    *rank = t - g;
    if (t == COMPARE_YEAR) return intern(c, v.p, 4);
    int m = (v.p[5] - '0') * 10 + (v.p[6] - '0');
    snprintf(buf, sizeof buf, "%.4s-Q%d", v.p, (m - 1) / 3 + 1);
    return intern_s(c, buf);
}

/* Adds an incident's AMOUNT for IND: total, offence and form categories. */
static void add_inc(compare *c, const cmp_inc *in, int ind, long long amount) {
    add(c, in->country, in->period, ind, B_TOTAL, c->id_total, 0, amount, 0);
    unsigned want = c->o.by & applies[ind];
    if (want & BIT(B_OFFENCE))
        add(c, in->country, in->period, ind, B_OFFENCE,
            in->offence < 6 ? intern_s(c, offences[in->offence])
                            : c->id_unknown,
            0, amount, 0);
    if (want & BIT(B_FORM))
        add(c, in->country, in->period, ind, B_FORM, in->formcat, 0, amount, 0);
}

/* The indicators a role counts in, for incident IN; returns how many. */
static int role_indicators(const cmp_inc *in, int role, int out[3]) {
    int n = 0;
    switch (role) {
    case 0:
        if (in->offence == 0) out[n++] = I_THB_VIC;
        break;
    case 1:
        out[n++] = I_SMUGGLED;
        break;
    case 2:
        if (in->offence >= 2 && in->offence <= 4)
            out[n++] = I_IRR_ENTRY + (in->offence - 2);
        break;
    case 3:
        out[n++] = I_SUSPECTS;
        if (in->stage >= 1) out[n++] = I_PROSECUTED;
        if (in->stage == 2) out[n++] = I_CONVICTED;
        break;
    }
    return n;
}

static void incident_row(compare *c, const source_row *row) {
    compare_counts *k = &c->counts[COMPARE_INCIDENT];
    cmp_inc in;
    memset(&in, 0, sizeof in);
    source_cell per = cellv(c, row, IC_PERIOD);
    int g = gran_of(per), rank;
    long long cnt[4], deaths = count_of(cellv(c, row, IC_DEATHS), 1);
    static const int cf[4] = {IC_VICTIMS, IC_SMUGGLED, IC_IRREG, IC_SUSPECTS};
    int bad = g < 0 || deaths < 0;
    for (int i = 0; i < 4; i++) {
        cnt[i] = count_of(cellv(c, row, cf[i]), 0);
        if (cnt[i] < 0 || cnt[i] > INT32_MAX) bad = 1;
    }
    source_cell country = cellv(c, row, IC_COUNTRY);
    if (bad || country.n == 0) {
        k->bad++;
        return;
    }
    in.country = intern(c, country.p, country.n);
    in.period = period_id(c, per, g, &rank);
    source_cell off = cellv(c, row, IC_OFFENCE);
    in.offence = 255;
    for (int i = 0; i < 6; i++)
        if (eq(off, offences[i])) in.offence = (uint8_t)i;
    source_cell st = cellv(c, row, IC_STAGE);
    in.stage = eq(st, "convicted")                           ? 2
               : eq(st, "prosecuted") || eq(st, "acquitted") ? 1
                                                             : 0;
    source_cell forms = cellv(c, row, IC_FORMS);
    in.formcat = forms.n == 0                    ? c->id_unknown
                 : memchr(forms.p, ';', forms.n) ? c->id_multiple
                                                 : intern(c, forms.p, forms.n);
    in.has_deaths = cellv(c, row, IC_DEATHS).n > 0;
    for (int i = 0; i < 4; i++)
        in.declared[i] = (int32_t)cnt[i];
    source_cell d = cellv(c, row, IC_DATE);
    if (d.n == 10) {
        long long y = count_of((source_cell){d.p, 4}, 0),
                  m = count_of((source_cell){d.p + 5, 2}, 0),
                  dd = count_of((source_cell){d.p + 8, 2}, 0);
        if (y > 0 && m > 0 && dd > 0)
            in.date = (int32_t)(y * 10000 + m * 100 + dd);
    }
    k->counted++;
    unsigned char key[14];
    memcpy(key, &in.country, 4);
    memcpy(key + 4, &in.period, 4);
    memcpy(key + 8, &in.formcat, 4);
    key[12] = in.offence;
    key[13] = in.stage;
    int badded;
    uint64_t *bv = strmap_put(&c->bmap, (const char *)key, sizeof key, &badded);
    if (!bv) exit(3);
    if (badded) {
        c->buckets = grow(c->buckets, &c->capbuckets, c->nbuckets + 1,
                          sizeof *c->buckets);
        memset(&c->buckets[c->nbuckets], 0, sizeof *c->buckets);
        c->buckets[c->nbuckets].in = in;
        *bv = ++c->nbuckets;
    }
    cmp_bucket *b = &c->buckets[*bv - 1];
    b->n++;
    for (int i = 0; i < 4; i++)
        b->cnt[i] += cnt[i];
    if (in.has_deaths) {
        b->deaths += deaths;
        b->ndeaths++;
    }
    if (c->o.with_persons) {
        source_cell id = cellv(c, row, IC_ID);
        int added;
        uint64_t *v = strmap_put(&c->incmap, id.p, id.n, &added);
        if (!v) exit(3);
        if (added) {
            c->incs = grow(c->incs, &c->capincs, c->nincs + 1, sizeof *c->incs);
            c->incs[c->nincs] = in;
            *v = ++c->nincs;
        }
    }
}

static void person_row(compare *c, const source_row *row) {
    compare_counts *k = &c->counts[COMPARE_PERSON];
    source_cell id = cellv(c, row, PC_INCIDENT);
    uint64_t *v = strmap_get(&c->incmap, id.p, id.n);
    if (!v) {
        k->unmatched++;
        return;
    }
    cmp_inc *in = &c->incs[*v - 1];
    source_cell role = cellv(c, row, PC_ROLE);
    int r = eq(role, "victim")              ? 0
            : eq(role, "smuggled_migrant")  ? 1
            : eq(role, "irregular_migrant") ? 2
            : eq(role, "suspect")           ? 3
                                            : -1;
    int inds[3], n = r >= 0 ? role_indicators(in, r, inds) : 0;
    if (n == 0) {
        k->no_fit++;
        return;
    }
    k->counted++;
    /* more person rows than the incident's count: the rows win */
    if (++in->seen[r] > in->declared[r])
        for (int i = 0; i < n; i++)
            add_inc(c, in, inds[i], 1);
    source_cell sex = cellv(c, row, PC_SEX), nat = cellv(c, row, PC_NAT);
    uint32_t age = c->id_unknown;
    long long a = count_of(cellv(c, row, PC_AGE), 0);
    source_cell dob = cellv(c, row, PC_DOB);
    if (a < 0 && dob.n == 10 && in->date) {
        long long y = count_of((source_cell){dob.p, 4}, 0),
                  m = count_of((source_cell){dob.p + 5, 2}, 0),
                  d = count_of((source_cell){dob.p + 8, 2}, 0);
        if (y > 0 && m > 0 && d > 0)
            a = (in->date - (y * 10000 + m * 100 + d)) / 10000;
    }
    if (a >= 0) age = a < 18 ? c->id_child : c->id_adult;
    for (int i = 0; i < n; i++) {
        unsigned want = c->o.by & applies[inds[i]];
        if (want & BIT(B_SEX))
            add(c, in->country, in->period, inds[i], B_SEX,
                sex.n ? intern(c, sex.p, sex.n) : c->id_unknown, 0, 1, 0);
        if (want & BIT(B_AGE))
            add(c, in->country, in->period, inds[i], B_AGE, age, 0, 1, 0);
        if (want & BIT(B_NAT))
            add(c, in->country, in->period, inds[i], B_NAT,
                nat.n ? intern(c, nat.p, nat.n) : c->id_unknown, 0, 1, 0);
    }
}

static void aggregate_row(compare *c, const source_row *row) {
    compare_counts *k = &c->counts[COMPARE_AGGREGATE];
    source_cell per = cellv(c, row, AC_PERIOD), val = cellv(c, row, AC_VALUE);
    source_cell country = cellv(c, row, AC_COUNTRY),
                ind = cellv(c, row, AC_IND);
    int g = gran_of(per), rank, iv = -1;
    for (int i = 0; i < NIND; i++)
        if (eq(ind, ind_names[i])) iv = i;
    int unknown = eq(val, "<5");
    long long amount = unknown ? 0 : count_of(val, 0);
    size_t ri = c->naggrows;
    c->aggpairs =
        grow(c->aggpairs, &c->capagg, 4 * (ri + 1), sizeof *c->aggpairs);
    for (int i = 0; i < 4; i++)
        c->aggpairs[4 * ri + i] = NONE;
    c->naggrows++;
    if (g < 0 || iv < 0 || amount < 0 || country.n == 0) {
        k->bad++;
        return;
    }
    source_cell dim[3] = {cellv(c, row, AC_SEX), cellv(c, row, AC_AGE),
                          cellv(c, row, AC_NAT)};
    static const int dby[3] = {B_SEX, B_AGE, B_NAT};
    int specific[3], mask = 0;
    for (int i = 0; i < 3; i++) {
        specific[i] = !(eq(dim[i], "total") || eq(dim[i], "TOTAL"));
        if (specific[i]) mask |= 1 << i;
    }
    uint32_t cid = intern(c, country.p, country.n);
    uint32_t pid = period_id(c, per, g, &rank);
    int base = 1 + rank * 8, np = 0;
    uint32_t gr = add(c, cid, pid, iv, B_TOTAL, c->id_total, base + mask,
                      amount, unknown);
    c->aggpairs[4 * ri + np++] = gr << 5 | (uint32_t)(base + mask);
    for (int i = 0; i < 3; i++) {
        if (!specific[i] || !(c->o.by & applies[iv] & BIT(dby[i]))) continue;
        int slot = base + (mask & ~(1 << i));
        gr = add(c, cid, pid, iv, dby[i], intern(c, dim[i].p, dim[i].n), slot,
                 amount, unknown);
        c->aggpairs[4 * ri + np++] = gr << 5 | (uint32_t)slot;
    }
}

void compare_row(compare *c, const source_row *row) {
    c->counts[c->kind].rows++;
    switch (c->kind) {
    case COMPARE_INCIDENT:
        incident_row(c, row);
        break;
    case COMPARE_PERSON:
        person_row(c, row);
        break;
    case COMPARE_AGGREGATE:
        aggregate_row(c, row);
        break;
    }
}

/* Spreads the incident buckets into the tables. */
static void spread_buckets(compare *c) {
    for (size_t i = 0; i < c->nbuckets; i++) {
        const cmp_bucket *b = &c->buckets[i];
        const cmp_inc *in = &b->in;
        switch (in->offence) {
        case 0:
            add_inc(c, in, I_THB_INC, b->n);
            add_inc(c, in, I_THB_VIC, b->cnt[0]);
            break;
        case 1:
            add_inc(c, in, I_SOM_INC, b->n);
            break;
        case 2:
        case 3:
        case 4:
            add_inc(c, in, I_IRR_ENTRY + (in->offence - 2), b->cnt[2]);
            break;
        case 5:
            add_inc(c, in, I_DOC, b->n);
            break;
        }
        add_inc(c, in, I_SMUGGLED, b->cnt[1]);
        add_inc(c, in, I_SUSPECTS, b->cnt[3]);
        if (in->stage >= 1) add_inc(c, in, I_PROSECUTED, b->cnt[3]);
        if (in->stage == 2) add_inc(c, in, I_CONVICTED, b->cnt[3]);
        if (b->ndeaths) add_inc(c, in, I_DEATHS, b->deaths);
    }
}

/* ---- finishing ---------------------------------------------------------- */

/* Precedence of a slot (lower wins): records; then the coarsest period;
 * then the fewest specific dimensions; then a fixed order of the mask, so
 * that rows of two different cuts (sex totals, nationality totals) are
 * never added together. */
static int prio(int slot) {
    if (slot == 0) return 0;
    int rank = (slot - 1) / 8, mask = (slot - 1) % 8;
    int bits = (mask & 1) + (mask >> 1 & 1) + (mask >> 2 & 1);
    return 1 + rank * 100 + bits * 10 + mask;
}

/* Resolves every cell to its group's best slot. */
static void resolve(compare *c) {
    for (size_t i = 0; i < c->ncells; i++) {
        cmp_cell *cell = &c->cells[i];
        cmp_group *g = &c->groups[cell->group];
        for (int s = 0; s < NSLOT; s++)
            if ((cell->present & (1u << s)) &&
                (g->best == NSLOT || prio(s) < prio(g->best)))
                g->best = (uint8_t)s;
    }
    for (size_t i = 0; i < c->ncells; i++) {
        cmp_cell *cell = &c->cells[i];
        int s = c->groups[cell->group].best;
        if (s >= NSLOT || !(cell->present & (1u << s))) continue;
        cell->exists = 1;
        cell->value = cell->val[s];
        cell->unknown = cell->unk[s] > 0;
        cell->single = cell->unk[s] == 1 && cell->val[s] == 0;
    }
    /* cells of each group (counting sort), for finish_one */
    c->ngres = c->ngroups;
    c->gstart = calloc(c->ngroups + 1, sizeof *c->gstart);
    c->gcell = malloc((c->ncells ? c->ncells : 1) * sizeof *c->gcell);
    if (!c->gstart || !c->gcell) exit(3);
    for (size_t i = 0; i < c->ncells; i++)
        if (c->cells[i].exists) c->gstart[c->cells[i].group + 1]++;
    for (size_t g = 0; g < c->ngroups; g++)
        c->gstart[g + 1] += c->gstart[g];
    size_t *fill = calloc(c->ngroups + 1, sizeof *fill);
    if (!fill) exit(3);
    for (size_t i = 0; i < c->ncells; i++)
        if (c->cells[i].exists) {
            uint32_t g = c->cells[i].group;
            c->gcell[c->gstart[g] + fill[g]++] = (uint32_t)i;
        }
    free(fill);
    compare_counts *k = &c->counts[COMPARE_AGGREGATE];
    for (size_t r = 0; r < c->naggrows; r++) {
        uint32_t *p = &c->aggpairs[4 * r];
        if (p[0] == NONE) continue; /* bad row, counted already */
        int used = 0;
        for (int i = 0; i < 4 && p[i] != NONE; i++)
            if (c->groups[p[i] >> 5].best == (p[i] & 31)) used = 1;
        if (used)
            k->counted++;
        else
            k->set_aside++;
    }
}

/* A table of one indicator and period for suppression. */
typedef struct cmp_table {
    int nrows, ncols; /* rows: categories + total; cols: countries (+ ALL) */
    uint32_t *cell;   /* nrows x ncols cell indices */
    int row_ground;   /* row lines have no total (no ALL column) */
    int col_ground;   /* column lines have no total (no categories) */
} cmp_table;

/* Node of row R / column K, with ground merging: node 0 is the ground. */
static int node_row(const cmp_table *t, int r) {
    return t->row_ground ? 0 : 1 + r;
}
static int node_col(const cmp_table *t, int k) {
    return t->col_ground ? 0 : 1 + t->nrows + k;
}
static int hidden(const compare *c, uint32_t cell) {
    return c->cells[cell].state != COMPARE_SHOWN;
}
static int protect(const compare *c, uint32_t cell) {
    int s = c->cells[cell].state;
    return s == COMPARE_PRIMARY || s == COMPARE_SECONDARY;
}

/* Bridge search state (Tarjan, edges = hidden cells). */
typedef struct bridge_ctx {
    const compare *c;   /* cells */
    const cmp_table *t; /* table */
    int nnodes;         /* nodes incl. ground */
    int *disc, *low;    /* discovery time, low link */
    int time;           /* clock */
    int found;          /* a protected bridge: its cell index in t */
} bridge_ctx;

static void dfs(bridge_ctx *b, int u, int parent_edge) {
    const cmp_table *t = b->t;
    b->disc[u] = b->low[u] = ++b->time;
    for (int e = 0; e < t->nrows * t->ncols && b->found < 0; e++) {
        uint32_t cell = t->cell[e];
        if (!hidden(b->c, cell) || e == parent_edge) continue;
        int r = e / t->ncols, k = e % t->ncols;
        int x = node_row(t, r), y = node_col(t, k);
        if (x == y) continue; /* a self-loop is a cycle */
        int v = x == u ? y : y == u ? x : -1;
        if (v < 0) continue;
        if (!b->disc[v]) {
            dfs(b, v, e);
            if (b->found >= 0) return;
            if (b->low[v] < b->low[u]) b->low[u] = b->low[v];
            if (b->low[v] > b->disc[u] && protect(b->c, cell)) b->found = e;
        } else if (b->disc[v] < b->low[u]) {
            b->low[u] = b->disc[v];
        }
    }
}

/* Hides the cheapest visible cells that close a cycle through edge E.
 * Returns how many cells were hidden. */
static int close_cycle(compare *c, const cmp_table *t, int e, int n) {
    int r0 = e / t->ncols, k0 = e % t->ncols;
    int src = node_col(t, k0), dst = node_row(t, r0);
    double *dist = malloc((size_t)n * sizeof *dist);
    int *prev = malloc((size_t)n * sizeof *prev); /* edge into node */
    char *done = calloc((size_t)n, 1);
    for (int i = 0; i < n; i++) {
        dist[i] = 1e300;
        prev[i] = -1;
    }
    dist[src] = 0;
    for (;;) {
        int u = -1;
        for (int i = 0; i < n; i++)
            if (!done[i] && dist[i] < 1e299 && (u < 0 || dist[i] < dist[u]))
                u = i;
        if (u < 0 || u == dst) break;
        done[u] = 1;
        for (int f = 0; f < t->nrows * t->ncols; f++) {
            if (f == e) continue;
            int x = node_row(t, f / t->ncols), y = node_col(t, f % t->ncols);
            int v = x == u ? y : y == u ? x : -1;
            if (v < 0 || v == u || done[v]) continue;
            const cmp_cell *cell = &c->cells[t->cell[f]];
            /* hidden cells are free; visible ones cost their value, and a
             * little per cell so that fewer cells win among equals */
            double w =
                cell->state != COMPARE_SHOWN ? 0 : (double)cell->value + 1.0;
            if (dist[u] + w < dist[v]) {
                dist[v] = dist[u] + w;
                prev[v] = f;
            }
        }
    }
    int hid = 0;
    if (dist[dst] < 1e299) {
        int v = dst;
        while (v != src && prev[v] >= 0) {
            int f = prev[v];
            cmp_cell *cell = &c->cells[t->cell[f]];
            if (cell->state == COMPARE_SHOWN) {
                cell->state = COMPARE_SECONDARY;
                hid++;
            }
            int x = node_row(t, f / t->ncols), y = node_col(t, f % t->ncols);
            v = x == v ? y : x;
        }
    }
    free(dist);
    free(prev);
    free(done);
    return hid;
}

/* Suppresses until no protected cell of TABLES is a bridge. */
static void suppress_tables(compare *c, cmp_table *tables, int ntables) {
    int changed = 1, guard = 0;
    while (changed && guard++ < 100000) {
        changed = 0;
        for (int i = 0; i < ntables; i++) {
            cmp_table *t = &tables[i];
            int n = 1 + t->nrows + t->ncols;
            bridge_ctx b = {c,
                            t,
                            n,
                            calloc((size_t)n, sizeof(int)),
                            calloc((size_t)n, sizeof(int)),
                            0,
                            -1};
            for (int u = 0; u < n && b.found < 0; u++)
                if (!b.disc[u]) dfs(&b, u, -1);
            free(b.disc);
            free(b.low);
            if (b.found >= 0) {
                if (close_cycle(c, t, b.found, n) == 0) {
                    /* no cycle exists (a table too small to protect):
                     * hide the line's other cells rather than leak */
                    int r = b.found / t->ncols;
                    for (int k = 0; k < t->ncols; k++)
                        if (c->cells[t->cell[r * t->ncols + k]].state ==
                            COMPARE_SHOWN)
                            c->cells[t->cell[r * t->ncols + k]].state =
                                COMPARE_SECONDARY;
                    /* nothing visible left in the line: stop this table */
                    int left = 0;
                    for (int k = 0; k < t->ncols; k++)
                        left += !hidden(c, t->cell[r * t->ncols + k]);
                    if (!left) {
                        int k = b.found % t->ncols;
                        for (int rr = 0; rr < t->nrows; rr++)
                            if (c->cells[t->cell[rr * t->ncols + k]].state ==
                                COMPARE_SHOWN)
                                c->cells[t->cell[rr * t->ncols + k]].state =
                                    COMPARE_SECONDARY;
                    }
                }
                changed = 1;
            }
        }
    }
}

static int cmp_name(const void *a, const void *b, void *ctx) {
    const compare *c = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    /* ALL, not_recorded and total sort last */
    int rx = x == c->id_total    ? 3
             : x == c->id_notrec ? 2
             : x == c->id_all    ? 1
                                 : 0;
    int ry = y == c->id_total    ? 3
             : y == c->id_notrec ? 2
             : y == c->id_all    ? 1
                                 : 0;
    if (rx != ry) return rx - ry;
    return strcmp(c->name[x], c->name[y]);
}

/* qsort_r is a GNU extension; a file-level context keeps C11 + POSIX. */
static const compare *sort_ctx;
static int cmp_name_q(const void *a, const void *b) {
    return cmp_name(a, b, (void *)sort_ctx);
}

static int has_u32(const uint32_t *v, size_t n, uint32_t x) {
    for (size_t i = 0; i < n; i++)
        if (v[i] == x) return 1;
    return 0;
}

/* Builds the tables of indicator IND and period P and suppresses them. */
static void finish_one(compare *c, int ind, uint32_t p, uint32_t *countries,
                       size_t ncountries) {
    sort_ctx = c;
    qsort(countries, ncountries, sizeof *countries, cmp_name_q);
    int with_all = ncountries >= 2;
    size_t ncols = ncountries + (size_t)with_all;
    unsigned want = c->o.by & applies[ind];
    cmp_table tables[NBY];
    int ntables = 0;
    uint32_t *cats = NULL;
    size_t ncats = 0, capcats = 0;
    /* region totals of the total breakdown */
    uint32_t all_total = NONE;
    if (with_all) {
        uint32_t g = group_of(c, c->id_all, p, ind, B_TOTAL);
        c->groups[g].best = 0;
        all_total = cell_of(c, g, c->id_total);
        cmp_cell *a = &c->cells[all_total];
        a->exists = 1;
        for (size_t k = 0; k < ncountries; k++) {
            const cmp_cell *t = &c->cells[find_cell(
                c, find_group(c, countries[k], p, ind, B_TOTAL), c->id_total)];
            a = &c->cells[all_total];
            a->value += t->value;
            a->unknown |= t->unknown;
        }
    }
    for (int by = B_SEX; by < NBY; by++) {
        if (!(want & BIT(by))) continue;
        ncats = 0;
        /* not_recorded per country, and the union of categories */
        for (size_t k = 0; k < ncountries; k++) {
            uint32_t tg = find_group(c, countries[k], p, ind, B_TOTAL);
            const cmp_cell tot = c->cells[find_cell(c, tg, c->id_total)];
            uint32_t g = group_of(c, countries[k], p, ind, by);
            long long sum = 0;
            int unknown = 0, any = 0;
            size_t from = g < c->ngres ? c->gstart[g] : 0,
                   to = g < c->ngres ? c->gstart[g + 1] : 0;
            for (size_t j = from; j < to; j++) {
                const cmp_cell *x = &c->cells[c->gcell[j]];
                sum += x->value;
                unknown |= x->unknown;
                any = 1;
                if (!has_u32(cats, ncats, x->cat)) {
                    cats = grow(cats, &capcats, ncats + 1, sizeof *cats);
                    cats[ncats++] = x->cat;
                }
            }
            long long rem = tot.value - sum;
            if ((!any) || (!unknown && !tot.unknown && rem > 0) ||
                (tot.unknown && !any)) {
                if (c->groups[g].best == NSLOT) c->groups[g].best = 0;
                uint32_t ni = cell_of(c, g, c->id_notrec);
                cmp_cell *nr = &c->cells[ni];
                nr->exists = 1;
                nr->value = any ? rem : tot.value;
                nr->unknown = tot.unknown;
                if (!has_u32(cats, ncats, c->id_notrec)) {
                    cats = grow(cats, &capcats, ncats + 1, sizeof *cats);
                    cats[ncats++] = c->id_notrec;
                }
            }
        }
        sort_ctx = c;
        qsort(cats, ncats, sizeof *cats, cmp_name_q);
        cmp_table *t = &tables[ntables++];
        t->nrows = (int)ncats + 1;
        t->ncols = (int)ncols;
        t->row_ground = !with_all;
        t->col_ground = 0;
        t->cell = calloc((size_t)t->nrows * ncols, sizeof *t->cell);
        for (size_t k = 0; k < ncols; k++) {
            uint32_t country = k < ncountries ? countries[k] : c->id_all;
            uint32_t g = group_of(c, country, p, ind, by);
            if (c->groups[g].best == NSLOT) c->groups[g].best = 0;
            for (size_t r = 0; r < ncats; r++) {
                uint32_t ci = cell_of(c, g, cats[r]);
                cmp_cell *x = &c->cells[ci];
                if (!x->exists) { /* a category this country lacks: 0 */
                    x->exists = 1;
                    x->value = 0;
                }
                if (k == ncountries) { /* region column: sum */
                    x->value = 0;
                    x->unknown = 0;
                    for (size_t j = 0; j < ncountries; j++) {
                        const cmp_cell *y = &c->cells[t->cell[r * ncols + j]];
                        x->value += y->value;
                        x->unknown |= y->unknown;
                    }
                    x->single = 0;
                }
                t->cell[r * ncols + k] = ci;
            }
            uint32_t tg = find_group(c, country, p, ind, B_TOTAL);
            t->cell[ncats * ncols + k] = find_cell(c, tg, c->id_total);
        }
    }
    if (ntables == 0) { /* totals only: one line, countries to ALL */
        cmp_table *t = &tables[ntables++];
        t->nrows = 1;
        t->ncols = (int)ncols;
        t->row_ground = !with_all;
        t->col_ground = 1;
        t->cell = calloc(ncols, sizeof *t->cell);
        for (size_t k = 0; k < ncountries; k++)
            t->cell[k] = find_cell(
                c, find_group(c, countries[k], p, ind, B_TOTAL), c->id_total);
        if (with_all) t->cell[ncountries] = all_total;
    }
    /* primary: 1..k-1; unknown stays unknown */
    for (int i = 0; i < ntables; i++)
        for (int e = 0; e < tables[i].nrows * tables[i].ncols; e++) {
            cmp_cell *x = &c->cells[tables[i].cell[e]];
            if (x->unknown)
                x->state = COMPARE_UNKNOWN;
            else if (c->o.suppress > 0 && x->value > 0 &&
                     x->value < c->o.suppress && x->state == COMPARE_SHOWN)
                x->state = COMPARE_PRIMARY;
        }
    if (c->o.suppress > 0) suppress_tables(c, tables, ntables);
    for (int i = 0; i < ntables; i++)
        free(tables[i].cell);
    free(cats);
}

static int out_cmp(const void *a, const void *b) {
    const compare_cell *x = a, *y = b;
    int d;
    int ix = 0, iy = 0, bx = 0, byy = 0;
    for (int i = 0; i < NIND; i++) {
        if (x->indicator == ind_names[i]) ix = i;
        if (y->indicator == ind_names[i]) iy = i;
    }
    if (ix != iy) return ix - iy;
    if ((d = strcmp(x->period, y->period))) return d;
    for (int i = 0; i < NBY; i++) {
        if (x->breakdown == by_names[i]) bx = i;
        if (y->breakdown == by_names[i]) byy = i;
    }
    if (bx != byy) return bx - byy;
    int ax = !strcmp(x->country, "ALL"), ay = !strcmp(y->country, "ALL");
    if (ax != ay) return ax - ay;
    if ((d = strcmp(x->country, y->country))) return d;
    int nx = !strcmp(x->category, "not_recorded"),
        ny = !strcmp(y->category, "not_recorded");
    if (nx != ny) return nx - ny;
    return strcmp(x->category, y->category);
}

/* Wide order: the period last. */
static int wide_cmp(const void *a, const void *b) {
    const compare_cell *x = a, *y = b;
    compare_cell xx = *x, yy = *y;
    xx.period = yy.period = "";
    int d = out_cmp(&xx, &yy);
    return d ? d : strcmp(x->period, y->period);
}
static int str_cmp(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void compare_finish(compare *c) {
    spread_buckets(c);
    resolve(c);
    /* indicator x period -> countries with a total */
    strmap tk;
    strmap_init(&tk);
    uint32_t **lists = NULL;
    size_t *nlist = NULL, *caplist = NULL, ntk = 0, captk = 0, capn = 0,
           capc = 0;
    uint32_t *tkp = NULL;
    uint8_t *tki = NULL;
    size_t cap_p = 0, cap_i = 0;
    size_t ngroups = c->ngroups;
    for (size_t gi = 0; gi < ngroups; gi++) {
        cmp_group *g = &c->groups[gi];
        if (g->by != B_TOTAL || g->best == NSLOT) continue;
        if (find_cell(c, (uint32_t)gi, c->id_total) == NONE ||
            !c->cells[find_cell(c, (uint32_t)gi, c->id_total)].exists)
            continue;
        unsigned char key[5];
        memcpy(key, &g->period, 4);
        key[4] = g->ind;
        int added;
        uint64_t *v = strmap_put(&tk, (const char *)key, 5, &added);
        if (added) {
            lists = grow(lists, &captk, ntk + 1, sizeof *lists);
            nlist = grow(nlist, &capn, ntk + 1, sizeof *nlist);
            caplist = grow(caplist, &capc, ntk + 1, sizeof *caplist);
            tkp = grow(tkp, &cap_p, ntk + 1, sizeof *tkp);
            tki = grow(tki, &cap_i, ntk + 1, sizeof *tki);
            lists[ntk] = NULL;
            nlist[ntk] = caplist[ntk] = 0;
            tkp[ntk] = g->period;
            tki[ntk] = g->ind;
            *v = ++ntk;
        }
        size_t t = *v - 1;
        lists[t] = grow(lists[t], &caplist[t], nlist[t] + 1, sizeof **lists);
        lists[t][nlist[t]++] = g->country;
    }
    for (size_t t = 0; t < ntk; t++) {
        finish_one(c, tki[t], tkp[t], lists[t], nlist[t]);
        free(lists[t]);
    }
    free(lists);
    free(nlist);
    free(caplist);
    free(tkp);
    free(tki);
    strmap_free(&tk);
    /* publish: only cells of tables built above (totals, and breakdowns
     * that were asked for and apply) */
    size_t cap = 0;
    for (size_t i = 0; i < c->ncells; i++) {
        const cmp_cell *x = &c->cells[i];
        const cmp_group *g = &c->groups[x->group];
        if (!x->exists) continue;
        if (g->by != B_TOTAL && !(c->o.by & applies[g->ind] & BIT(g->by)))
            continue;
        if (g->by == B_TOTAL && x->cat != c->id_total) continue;
        c->out = grow(c->out, &cap, c->nout + 1, sizeof *c->out);
        c->out[c->nout++] = (compare_cell){
            c->name[g->country],     c->name[g->period], ind_names[g->ind],
            by_names[g->by],         c->name[x->cat],    x->value,
            (compare_state)x->state, x->single};
    }
    if (c->nout) /* qsort of NULL is undefined, even for no items */
        qsort(c->out, c->nout, sizeof *c->out, out_cmp);
    c->wide = malloc((c->nout ? c->nout : 1) * sizeof *c->wide);
    c->periods = malloc((c->nout ? c->nout : 1) * sizeof *c->periods);
    if (!c->wide || !c->periods) exit(3);
    if (c->nout) memcpy(c->wide, c->out, c->nout * sizeof *c->wide);
    qsort(c->wide, c->nout, sizeof *c->wide, wide_cmp);
    for (size_t i = 0; i < c->nout; i++)
        c->periods[i] = c->out[i].period;
    qsort(c->periods, c->nout, sizeof *c->periods, str_cmp);
    size_t np = 0;
    for (size_t i = 0; i < c->nout; i++)
        if (!np || strcmp(c->periods[np - 1], c->periods[i]))
            c->periods[np++] = c->periods[i];
    c->nperiods = np;
}

const compare_cell *compare_cells_wide(const compare *c, size_t *n) {
    *n = c->nout;
    return c->wide;
}

const char *const *compare_periods(const compare *c, size_t *n) {
    *n = c->nperiods;
    return c->periods;
}

const compare_cell *compare_cells(const compare *c, size_t *n) {
    *n = c->nout;
    return c->out;
}

const compare_counts *compare_counts_of(const compare *c, compare_kind kind) {
    return &c->counts[kind];
}

const char *compare_format(const compare *c, const compare_cell *cell,
                           char buf[32]) {
    switch (cell->state) {
    case COMPARE_PRIMARY:
        snprintf(buf, 32, "<%d", c->o.suppress);
        break;
    case COMPARE_SECONDARY:
        snprintf(buf, 32, "x");
        break;
    case COMPARE_UNKNOWN:
        snprintf(buf, 32, "%s", cell->single_unknown ? "<5" : "..");
        break;
    default:
        snprintf(buf, 32, "%lld", cell->value);
        break;
    }
    return buf;
}

unsigned compare_breakdown_parse(const char *name, size_t n) {
    for (int i = 1; i < NBY; i++)
        if (strlen(by_names[i]) == n && !memcmp(by_names[i], name, n))
            return BIT(i);
    if (n == 3 && !memcmp(name, "age", 3)) return BIT(B_AGE);
    if (n == 7 && !memcmp(name, "offence", 7)) return BIT(B_OFFENCE);
    return 0;
}
