/*
 * compare.c: the tables of compare.h: accumulation, the one rule for
 * records and aggregates, region totals and suppression.
 *
 * Performance: rows are streamed; per row a handful of hash look-ups on
 * small packed binary keys (group: country, period, indicator, breakdown,
 * layer; cell: group, category, slot) and additions. Memory grows with the
 * cells of the tables (countries x periods x indicators x categories:
 * thousands), not with rows, except for the incident index kept when
 * person rows follow (a key set, about 60 bytes an incident) and 28 bytes
 * an aggregate row for the set-aside accounting.
 *
 * Two layers of groups: layer 0 holds what the inputs say at their own
 * period (records by month, aggregates at the period they give, each
 * aggregate cut in its own slot); layer 1 holds the published figures at
 * --period, made from layer 0 by the rule of compare.h (resolve()).
 */
#include "compare.h"
#include "compare_audit.h"
#include "strmap.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NIND 19  /* indicators */
#define NREC 12  /* the first NREC are counted from records too */
#define NBY 17   /* breakdowns, total included */
#define NPLACE 8 /* breakdowns by where and how: B_PLACE .. B_ROUTE */
#define NDIM 6   /* breakdown columns of the aggregate table */
#define NXBY (NBY + COMPARE_MAXCROSS)       /* and cross-tabs: NBY + j */
#define NPAIR (1 + NDIM + COMPARE_MAXCROSS) /* aggpairs per row */
#define REC                                                                    \
    64 /* slot of records; 0..63: aggregate rows by the mask of                \
          their specific breakdown columns */
#define NOSLOT 255
#define NONE UINT32_MAX

static const char *const ind_names[NIND] = {
    "thb_incidents",      "thb_victims",          "som_incidents",
    "smuggled_migrants",  "irregular_entries",    "irregular_exits",
    "irregular_stays",    "document_fraud_cases", "suspects_arrested",
    "persons_prosecuted", "persons_convicted",    "migrant_deaths",
    "refusals_of_entry",  "offloaded_passengers", "return_decisions",
    "returns_forced",     "returns_voluntary",    "deportees_received",
    "readmissions"};
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
static const char *const by_names[NBY] = {"total",
                                          "sex",
                                          "age_group",
                                          "nationality",
                                          "offence_type",
                                          "exploitation_form",
                                          "border_type",
                                          "reason",
                                          "partner_country",
                                          "place_type",
                                          "admin1",
                                          "border_crossing_point",
                                          "transport_mode",
                                          "route_origin",
                                          "route_transit",
                                          "route_destination",
                                          "route"};
enum {
    B_TOTAL,
    B_SEX,
    B_AGE,
    B_NAT,
    B_OFFENCE,
    B_FORM,
    B_BORDER,
    B_REASON,
    B_PARTNER,
    B_PLACE, /* the incident's place and route: B_PLACE + i */
    B_ADMIN1,
    B_BCP,
    B_TRANSPORT,
    B_ORIGIN,
    B_TRANSIT,
    B_DEST,
    B_ROUTE /* origin>destination */
};
#define BIT(b) (1u << ((b)-1))
#define PERSON_BY (BIT(B_SEX) | BIT(B_AGE) | BIT(B_NAT))
#define REFUSAL_BY (PERSON_BY | BIT(B_BORDER) | BIT(B_REASON))
#define RETURN_BY (PERSON_BY | BIT(B_BORDER) | BIT(B_PARTNER))
#define PLACE_BY                                                               \
    (BIT(B_PLACE) | BIT(B_ADMIN1) | BIT(B_BCP) | BIT(B_TRANSPORT) |            \
     BIT(B_ORIGIN) | BIT(B_TRANSIT) | BIT(B_DEST) | BIT(B_ROUTE))
/* Breakdowns that make sense for each indicator. */
static const unsigned applies[NIND] = {
    PLACE_BY | BIT(B_FORM),                /* thb_incidents */
    PLACE_BY | PERSON_BY | BIT(B_FORM),    /* thb_victims */
    PLACE_BY,                              /* som_incidents */
    PLACE_BY | PERSON_BY | BIT(B_OFFENCE), /* smuggled_migrants */
    PLACE_BY | PERSON_BY,
    PLACE_BY | PERSON_BY,
    PLACE_BY | PERSON_BY,                  /* irregular_* */
    PLACE_BY,                              /* document_fraud_cases */
    PLACE_BY | PERSON_BY | BIT(B_OFFENCE), /* suspects_arrested */
    PLACE_BY | PERSON_BY | BIT(B_OFFENCE), /* persons_prosecuted */
    PLACE_BY | PERSON_BY | BIT(B_OFFENCE), /* persons_convicted */
    PLACE_BY | PERSON_BY | BIT(B_OFFENCE), /* migrant_deaths */
    REFUSAL_BY,                            /* refusals_of_entry */
    REFUSAL_BY,                            /* offloaded_passengers */
    RETURN_BY,                             /* return_decisions */
    RETURN_BY,                             /* returns_forced */
    RETURN_BY,                             /* returns_voluntary */
    RETURN_BY,                             /* deportees_received */
    RETURN_BY};                            /* readmissions */

static const char *const offences[6] = {"THB",
                                        "SOM",
                                        "IRREGULAR_ENTRY",
                                        "IRREGULAR_EXIT",
                                        "IRREGULAR_STAY",
                                        "DOCUMENT_FRAUD"};

/* A table group: the cells of one country, period, indicator, breakdown
 * in one layer. */
typedef struct cmp_group {
    uint32_t country;   /* name id */
    uint32_t period;    /* name id */
    uint8_t ind;        /* indicator */
    uint8_t by;         /* breakdown */
    uint8_t layer;      /* 0 as fed, 1 published */
    uint8_t rec;        /* layer 0: records gave cells */
    uint8_t best;       /* layer 0: the aggregate slot used, NOSLOT none */
    uint8_t incomplete; /* layer 1: months of the period are missing */
    uint8_t coarse;     /* layer 1: a period coarser than --period */
    uint8_t agg;        /* layer 1: an aggregate gave part of it (a
                           breakdown: and its total came from other
                           rows) */
    uint64_t aggmask;   /* layer 0: aggregate slots that received rows */
    uint64_t used;      /* layer 0: aggregate slots published */
} cmp_group;

/* A cell: a slot of a layer-0 group, or a published layer-1 cell. */
typedef struct cmp_cell {
    uint32_t group;  /* its group */
    uint32_t cat;    /* category name id */
    uint8_t slot;    /* layer 0: REC or an aggregate mask; layer 1: 0 */
    uint8_t unknown; /* layer 1: holds a "<5" */
    uint8_t single;  /* layer 1: exactly one "<5" and nothing else */
    uint8_t exists;  /* layer 1: published */
    uint8_t state;   /* compare_state */
    uint8_t partial; /* layer 1: a sum of aggregate rows that may leave
                        some out (hidden where they came from): "..",
                        not a number */
    int32_t unk;     /* "<5" values summed in */
    int64_t val;     /* known sum */
    int64_t value;   /* layer 1: the figure */
} cmp_cell;

/* An incident kept for the person join. */
typedef struct cmp_inc {
    uint32_t country, period; /* name ids */
    uint32_t stage_period;    /* month of stage_date, else period */
    uint32_t formcat;         /* exploitation form category name id */
    uint32_t place[NPLACE];   /* category of B_PLACE + i, NONE empty */
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
    IC_STAGE_DATE,
    IC_PLACE, /* place_type, admin1, border_crossing_point,
                 transport_mode, route_origin, route_transit,
                 route_destination */
    IC_ADMIN1,
    IC_BCP,
    IC_TRANSPORT,
    IC_ORIGIN,
    IC_TRANSIT,
    IC_DEST,
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
                                           "case_stage",
                                           "stage_date",
                                           "place_type",
                                           "admin1",
                                           "border_crossing_point",
                                           "transport_mode",
                                           "route_origin",
                                           "route_transit",
                                           "route_destination"};
static const unsigned char inc_need[IC_N] = {0, 1, 1, 0, 1, 0, 1, 1, 1, 1,
                                             0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
enum { PC_INCIDENT, PC_ROLE, PC_SEX, PC_DOB, PC_AGE, PC_NAT, PC_N };
static const char *const per_cols[PC_N] = {
    "incident_id", "role", "sex", "date_of_birth", "age", "nationality"};
static const unsigned char per_need[PC_N] = {1, 1, 1, 0, 0, 1};
enum {
    AC_COUNTRY,
    AC_PERIOD,
    AC_IND,
    AC_SEX, /* the NDIM breakdown columns follow in dim_by order */
    AC_AGE,
    AC_NAT,
    AC_BORDER,
    AC_REASON,
    AC_PARTNER,
    AC_VALUE,
    AC_N
};
static const char *const agg_cols[AC_N] = {
    "reporting_country", "reporting_period",
    "indicator",         "sex",
    "age_group",         "nationality",
    "border_type",       "reason",
    "partner_country",   "value"};
static const unsigned char agg_need[AC_N] = {1, 1, 1, 1, 1, 1, 0, 0, 0, 1};
/* The breakdown of each aggregate column AC_SEX + i. */
static const int dim_by[NDIM] = {B_SEX,    B_AGE,    B_NAT,
                                 B_BORDER, B_REASON, B_PARTNER};

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
    strmap recmon;      /* (country, month) that have incident rows */
    uint32_t *aggpairs; /* NPAIR (group << 7 | slot) per aggregate row */
    size_t naggrows, capagg;
    compare_kind kind;        /* kind of the current file */
    int col[24];              /* column of each needed field, or -1 */
    compare_counts counts[3]; /* per kind */
    uint32_t id_total, id_all, id_notrec, id_multiple, id_unknown, id_child,
        id_adult, id_rest;            /* frequent names; id_rest: the
                                         unpublished rest of an open
                                         breakdown */
    int nx;                           /* cross-tabs */
    int xa[COMPARE_MAXCROSS];         /* breakdown of a cross-tab's rows */
    int xb[COMPARE_MAXCROSS];         /* and of its columns */
    uint32_t xname[COMPARE_MAXCROSS]; /* name id: "sex*age_group" */
    int layer;       /* layer group_of() and find_group() use */
    int addmode;     /* add_inc(): 0 everything, 1 but the place
                        breakdowns (buckets), 2 those only (rows) */
    char **findings; /* disagreements between sources */
    size_t nfindings, capfindings;
    size_t *gstart;         /* CSR after resolve: group -> first in gcell */
    uint32_t *gcell;        /* cells of each group, published ones */
    size_t ngres;           /* groups covered by the CSR */
    compare_cell *out;      /* published cells, sorted */
    size_t nout;            /* how many */
    compare_cell *wide;     /* the same, sorted for wide tables */
    const char **periods;   /* distinct periods, sorted */
    size_t nperiods;        /* how many */
    errclass err;           /* the error that stopped it, or ERRCLASS_NONE */
    jmp_buf *on_fail;       /* where fail() returns to: the public call */
    void *held[8];          /* temporaries of the running call, freed when
                               it fails */
    struct cmp_lpset *lp;   /* the running call's line set, freed so too */
    struct cmp_table *tabs; /* finish_one()'s NXBY tables, freed so too */
    uint32_t **cats;        /* finish_one()'s category list, freed so too */
    struct cmp_fin *fin;    /* compare_finish()'s lists, freed so too */
};

errclass compare_error(const compare *c) {
    return c->err;
}

/* Test hook (compare_fail_alloc()): allocations until one fails, 0 off. */
static long fail_after;

long compare_fail_alloc(long n) {
    long left = fail_after;
    fail_after = n;
    return left;
}

static void *c_realloc(void *p, size_t n) {
    if (fail_after > 0 && --fail_after == 0) return NULL;
    return realloc(p, n);
}

/* Stops the public call running on C: it frees its temporaries and
 * returns -1 with class CLS. */
static void drop_held(compare *c);

static _Noreturn void fail(compare *c, errclass cls) {
    c->err = cls;
    drop_held(c); /* while the frames that hold them are there */
    longjmp(*c->on_fail, 1);
}

/* P, or fail() for out of memory when NULL (the call's temporaries that
 * are held are freed). */
static void *need(compare *c, void *p) {
    if (!p) fail(c, ERRCLASS_MEMORY);
    return p;
}

/* N bytes (calloc'ed when ZERO) or fail(). */
static void *alloc(compare *c, size_t n, int zero) {
    void *p = c_realloc(NULL, n ? n : 1);
    if (p && zero) memset(p, 0, n ? n : 1);
    return need(c, p);
}

/* Holds temporary P of the running call: freed if the call fails. */
static void *hold(compare *c, void *p) {
    for (int i = 0; i < 8; i++)
        if (!c->held[i]) {
            c->held[i] = p;
            return p;
        }
    abort(); /* more than 8 at once: a bug here */
}

/* Lets go of temporary P: no longer freed if the call fails. */
static void *let_go(compare *c, void *p) {
    for (int i = 0; p && i < 8; i++)
        if (c->held[i] == p) c->held[i] = NULL;
    return p;
}

/* Frees temporary P (held or not). */
static void drop(compare *c, void *p) {
    free(let_go(c, p));
}

static void lpset_free(struct cmp_lpset *s);
static void tables_free(struct cmp_table *tables);
static void fin_free(struct cmp_fin *f);

/* Frees what the failed call held. */
static void drop_held(compare *c) {
    for (int i = 0; i < 8; i++) {
        free(c->held[i]);
        c->held[i] = NULL;
    }
    if (c->lp) lpset_free(c->lp);
    if (c->tabs) tables_free(c->tabs);
    if (c->cats) free(*c->cats);
    if (c->fin) fin_free(c->fin);
    c->lp = NULL;
    c->tabs = NULL;
    c->cats = NULL;
    c->fin = NULL;
}

/* Runs FN(C, ARG) as a public call: 0, or -1 when it failed (fail()),
 * what it held freed. */
static int run_guarded(compare *c, void (*fn)(compare *, const void *),
                       const void *arg) {
    if (c->err) return -1;
    jmp_buf jb;
    c->on_fail = &jb;
    if (setjmp(jb)) {
        c->on_fail = NULL;
        return -1;
    }
    fn(c, arg);
    c->on_fail = NULL;
    return 0;
}

static void *grow(compare *c, void *p, size_t *cap, size_t need_n,
                  size_t elem) {
    if (need_n <= *cap) return p;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need_n)
        n *= 2;
    void *q = need(c, c_realloc(p, n * elem));
    *cap = n;
    return q;
}

static uint32_t intern(compare *c, const char *p, size_t n) {
    int added;
    uint64_t *v = strmap_put(&c->names, p, n, &added);
    need(c, v);
    if (!added) return (uint32_t)(*v - 1);
    c->name = grow(c, c->name, &c->capname, c->nname + 1, sizeof *c->name);
    char *s = alloc(c, n + 1, 0);
    memcpy(s, p, n);
    s[n] = 0;
    c->name[c->nname] = s;
    *v = ++c->nname;
    return (uint32_t)(c->nname - 1);
}
static uint32_t intern_s(compare *c, const char *s) {
    return intern(c, s, strlen(s));
}

static void setup(compare *c, const void *arg) {
    const compare_opts *o = arg;
    c->o = *o;
    strmap_init(&c->names);
    strmap_init(&c->gmap);
    strmap_init(&c->cmap);
    strmap_init(&c->incmap);
    strmap_init(&c->bmap);
    strmap_init(&c->recmon);
    c->id_total = intern_s(c, "total");
    c->id_all = intern_s(c, "ALL");
    c->id_notrec = intern_s(c, "not_recorded");
    c->id_multiple = intern_s(c, "multiple");
    c->id_unknown = intern_s(c, "unknown");
    c->id_child = intern_s(c, "child");
    c->id_adult = intern_s(c, "adult");
    c->id_rest = intern_s(c, "*rest*");
    for (; c->nx < COMPARE_MAXCROSS && o->cross[c->nx]; c->nx++) {
        unsigned x = o->cross[c->nx];
        int j = c->nx;
        c->xa[j] = __builtin_ctz(x) + 1;
        c->xb[j] = __builtin_ctz(x & (x - 1)) + 1;
        char buf[64];
        snprintf(buf, sizeof buf, "%s*%s", by_names[c->xa[j]],
                 by_names[c->xb[j]]);
        c->xname[j] = intern_s(c, buf);
    }
}

compare *compare_new(const compare_opts *o) {
    compare *c = c_realloc(NULL, sizeof *c);
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    if (run_guarded(c, setup, o) < 0) {
        compare_free(c);
        return NULL;
    }
    return c;
}

/* Whether breakdown BY (a cross-tab: NBY + j) is published for IND. */
static int wants(const compare *c, int ind, int by) {
    unsigned w = c->o.by & applies[ind];
    if (by == B_TOTAL) return 1;
    if (by < NBY) return (w & BIT(by)) != 0;
    return (w & BIT(c->xa[by - NBY])) && (w & BIT(c->xb[by - NBY]));
}

static const char *by_name(const compare *c, int by) {
    return by < NBY ? by_names[by] : c->name[c->xname[by - NBY]];
}

/* The cross-tab category "A*B" of categories A and B. */
static uint32_t intern_pair(compare *c, uint32_t a, uint32_t b) {
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s*%s", c->name[a], c->name[b]);
    return intern(c, buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

void compare_free(compare *c) {
    if (!c) return;
    for (size_t i = 0; i < c->nname; i++)
        free(c->name[i]);
    free(c->name);
    for (size_t i = 0; i < c->nfindings; i++)
        free(c->findings[i]);
    free(c->findings);
    strmap_free(&c->names);
    strmap_free(&c->gmap);
    strmap_free(&c->cmap);
    strmap_free(&c->incmap);
    strmap_free(&c->bmap);
    strmap_free(&c->recmon);
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

static void group_key(unsigned char key[11], uint32_t country, uint32_t period,
                      int ind, int by, int layer) {
    memcpy(key, &country, 4);
    memcpy(key + 4, &period, 4);
    key[8] = (unsigned char)ind;
    key[9] = (unsigned char)by;
    key[10] = (unsigned char)layer;
}

static uint32_t group_of(compare *c, uint32_t country, uint32_t period, int ind,
                         int by) {
    unsigned char key[11];
    group_key(key, country, period, ind, by, c->layer);
    int added;
    uint64_t *v = strmap_put(&c->gmap, (const char *)key, sizeof key, &added);
    need(c, v);
    if (added) {
        c->groups = grow(c, c->groups, &c->capgroups, c->ngroups + 1,
                         sizeof *c->groups);
        memset(&c->groups[c->ngroups], 0, sizeof *c->groups);
        cmp_group *g = &c->groups[c->ngroups];
        g->country = country;
        g->period = period;
        g->ind = (uint8_t)ind;
        g->by = (uint8_t)by;
        g->layer = (uint8_t)c->layer;
        g->best = NOSLOT;
        *v = ++c->ngroups;
    }
    return (uint32_t)(*v - 1);
}

static uint32_t find_group_in(const compare *c, uint32_t country,
                              uint32_t period, int ind, int by, int layer) {
    unsigned char key[11];
    group_key(key, country, period, ind, by, layer);
    uint64_t *v = strmap_get(&c->gmap, (const char *)key, sizeof key);
    return v ? (uint32_t)(*v - 1) : NONE;
}
static uint32_t find_group(const compare *c, uint32_t country, uint32_t period,
                           int ind, int by) {
    return find_group_in(c, country, period, ind, by, c->layer);
}

static uint32_t cell_slot(compare *c, uint32_t group, uint32_t cat, int slot) {
    unsigned char key[9];
    memcpy(key, &group, 4);
    memcpy(key + 4, &cat, 4);
    key[8] = (unsigned char)slot;
    int added;
    uint64_t *v = strmap_put(&c->cmap, (const char *)key, sizeof key, &added);
    need(c, v);
    if (added) {
        c->cells =
            grow(c, c->cells, &c->capcells, c->ncells + 1, sizeof *c->cells);
        memset(&c->cells[c->ncells], 0, sizeof *c->cells);
        c->cells[c->ncells].group = group;
        c->cells[c->ncells].cat = cat;
        c->cells[c->ncells].slot = (uint8_t)slot;
        *v = ++c->ncells;
    }
    return (uint32_t)(*v - 1);
}
static uint32_t cell_of(compare *c, uint32_t group, uint32_t cat) {
    return cell_slot(c, group, cat, 0);
}

static uint32_t find_slot(const compare *c, uint32_t group, uint32_t cat,
                          int slot) {
    if (group == NONE) return NONE;
    unsigned char key[9];
    memcpy(key, &group, 4);
    memcpy(key + 4, &cat, 4);
    key[8] = (unsigned char)slot;
    uint64_t *v = strmap_get(&c->cmap, (const char *)key, sizeof key);
    return v ? (uint32_t)(*v - 1) : NONE;
}
static uint32_t find_cell(const compare *c, uint32_t group, uint32_t cat) {
    return find_slot(c, group, cat, 0);
}

/* Adds AMOUNT (or one unknown) to a layer-0 cell; returns its group. */
static uint32_t add(compare *c, uint32_t country, uint32_t period, int ind,
                    int by, uint32_t cat, int slot, long long amount,
                    int unknown) {
    uint32_t g = group_of(c, country, period, ind, by);
    uint32_t ci = cell_slot(c, g, cat, slot); /* may move c->cells */
    cmp_cell *cell = &c->cells[ci];
    if (slot == REC)
        c->groups[g].rec = 1;
    else
        c->groups[g].aggmask |= 1ull << slot;
    if (unknown)
        cell->unk++;
    else
        cell->val += amount;
    return g;
}

const char *const *compare_columns(compare_kind kind, size_t *n) {
    *n = kind == COMPARE_INCIDENT ? IC_N : kind == COMPARE_PERSON ? PC_N : AC_N;
    return kind == COMPARE_INCIDENT ? inc_cols
           : kind == COMPARE_PERSON ? per_cols
                                    : agg_cols;
}

int compare_header(compare *c, compare_kind kind, const source_row *hdr,
                   char *err, size_t errlen) {
    const char *const *cols = kind == COMPARE_INCIDENT ? inc_cols
                              : kind == COMPARE_PERSON ? per_cols
                                                       : agg_cols;
    const unsigned char *need = kind == COMPARE_INCIDENT ? inc_need
                                : kind == COMPARE_PERSON ? per_need
                                                         : agg_need;
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
        if (c->col[f] < 0 && need[f]) {
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

/* ---- periods ------------------------------------------------------------ */

/* A period: year, granularity (0 month, 1 quarter, 2 year) and the month
 * 1-12 or quarter 1-4. */
typedef struct cmp_per {
    int y, g, i;
} cmp_per;

/* Parses YYYY-MM, YYYY-Qn or YYYY; -1 when none of them. */
static int per_parse(const char *s, size_t n, cmp_per *p) {
    source_cell y = {s, 4};
    if (n < 4 || count_of(y, 0) < 0) return -1;
    p->y = (int)count_of(y, 0);
    if (n == 4) {
        p->g = 2;
        p->i = 1;
        return 0;
    }
    if (n != 7 || s[4] != '-') return -1;
    if (s[5] == 'Q') {
        p->g = 1;
        p->i = s[6] - '0';
        return p->i >= 1 && p->i <= 4 ? 0 : -1;
    }
    long long m = count_of((source_cell){s + 5, 2}, 0);
    p->g = 0;
    p->i = (int)m;
    return m >= 1 && m <= 12 ? 0 : -1;
}

static uint32_t per_id(compare *c, cmp_per p) {
    char buf[16];
    if (p.g == 2)
        snprintf(buf, sizeof buf, "%04d", p.y);
    else if (p.g == 1)
        snprintf(buf, sizeof buf, "%04d-Q%d", p.y, p.i);
    else
        snprintf(buf, sizeof buf, "%04d-%02d", p.y, p.i);
    return intern_s(c, buf);
}

/* P rolled up to granularity G (>= P's). */
static cmp_per per_up(cmp_per p, int g) {
    if (p.g == 0 && g >= 1) p = (cmp_per){p.y, 1, (p.i - 1) / 3 + 1};
    if (p.g == 1 && g >= 2) p = (cmp_per){p.y, 2, 1};
    return p;
}

/* The month of a date YYYY-MM-DD (or YYYY-MM), NONE when not one. */
static uint32_t month_of(compare *c, source_cell d) {
    cmp_per p;
    if (d.n < 7 || per_parse(d.p, 7, &p) < 0 || p.g != 0) return NONE;
    return intern(c, d.p, 7);
}

/* ---- rows --------------------------------------------------------------- */

/* The period an incident's counts of IND fall in: prosecutions and
 * convictions in the month of stage_date when it is given. */
static uint32_t period_for(const cmp_inc *in, int ind) {
    return ind == I_PROSECUTED || ind == I_CONVICTED ? in->stage_period
                                                     : in->period;
}

/* Whether BY is a breakdown of person rows; of the incident. */
static int person_by(int by) {
    return by >= B_SEX && by <= B_NAT;
}
static int incident_by(int by) {
    return by == B_OFFENCE || by == B_FORM || by >= B_PLACE;
}

/* The category of incident breakdown BY of IN (an empty place: not
 * recorded). */
static uint32_t inc_cat(compare *c, const cmp_inc *in, int by) {
    if (by == B_OFFENCE)
        return in->offence < 6 ? intern_s(c, offences[in->offence])
                               : c->id_unknown;
    if (by == B_FORM) return in->formcat;
    return in->place[by - B_PLACE] != NONE ? in->place[by - B_PLACE]
                                           : c->id_notrec;
}

/* Adds AMOUNT to the cross-tabs of IND that pair an incident breakdown
 * with an incident breakdown or a person breakdown (not recorded); with
 * PERSON (a person's category of each person breakdown), only to those
 * with a person breakdown, in PERSON's categories. */
static void add_inc_cross(compare *c, const cmp_inc *in, int ind,
                          const uint32_t *person, long long amount) {
    uint32_t p = period_for(in, ind);
    for (int j = 0; j < c->nx; j++) {
        int a = c->xa[j], b = c->xb[j];
        if (!incident_by(b) || !wants(c, ind, NBY + j)) continue;
        if (!person_by(a) && (person || !incident_by(a))) continue;
        int place = a >= B_PLACE || b >= B_PLACE;
        if (!person &&
            ((place && c->addmode == 1) || (!place && c->addmode == 2)))
            continue; /* added in the other pass */
        uint32_t ca = person_by(a) ? person ? person[a] : c->id_notrec
                                   : inc_cat(c, in, a);
        add(c, in->country, p, ind, NBY + j,
            intern_pair(c, ca, inc_cat(c, in, b)), REC, amount, 0);
    }
}

/* Adds an incident's AMOUNT for IND: total, offence and form categories. */
static void add_inc(compare *c, const cmp_inc *in, int ind, long long amount) {
    add_inc_cross(c, in, ind, NULL, amount);
    uint32_t p = period_for(in, ind);
    unsigned want = c->o.by & applies[ind];
    if (c->addmode == 2) want &= PLACE_BY; /* row by row: places only */
    if (c->addmode == 1) want &= ~PLACE_BY;
    if (c->addmode != 2)
        add(c, in->country, p, ind, B_TOTAL, c->id_total, REC, amount, 0);
    if (want & BIT(B_OFFENCE))
        add(c, in->country, p, ind, B_OFFENCE,
            in->offence < 6 ? intern_s(c, offences[in->offence])
                            : c->id_unknown,
            REC, amount, 0);
    if (want & BIT(B_FORM))
        add(c, in->country, p, ind, B_FORM, in->formcat, REC, amount, 0);
    for (int i = 0; i < NPLACE; i++) /* an empty field: not recorded */
        if ((want & BIT(B_PLACE + i)) && in->place[i] != NONE)
            add(c, in->country, p, ind, B_PLACE + i, in->place[i], REC, amount,
                0);
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

static void spread_inc(compare *c, const cmp_inc *in, int64_t n,
                       const int64_t cnt[4], int64_t deaths, int64_t ndeaths);

static void incident_row(compare *c, const source_row *row) {
    compare_counts *k = &c->counts[COMPARE_INCIDENT];
    cmp_inc in;
    memset(&in, 0, sizeof in);
    source_cell per = cellv(c, row, IC_PERIOD);
    cmp_per pp;
    long long cnt[4], deaths = count_of(cellv(c, row, IC_DEATHS), 1);
    static const int cf[4] = {IC_VICTIMS, IC_SMUGGLED, IC_IRREG, IC_SUSPECTS};
    int bad = per_parse(per.p, per.n, &pp) < 0 || pp.g != 0 || deaths < 0;
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
    in.period = intern(c, per.p, per.n);
    in.stage_period = month_of(c, cellv(c, row, IC_STAGE_DATE));
    if (in.stage_period == NONE) in.stage_period = in.period;
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
    for (int i = 0; i < NPLACE; i++)
        in.place[i] = NONE;
    for (int i = 0; i < NPLACE - 1; i++) {
        if (!(c->o.by & BIT(B_PLACE + i)) &&
            !(i == 4 && (c->o.by & BIT(B_ROUTE))) &&
            !(i == 6 && (c->o.by & BIT(B_ROUTE))))
            continue; /* not asked for: not in the bucket key */
        source_cell v = cellv(c, row, IC_PLACE + i);
        if (v.n == 0) continue;
        /* several transit countries: "multiple", counted once */
        in.place[i] = i == 5 && memchr(v.p, ';', v.n) ? c->id_multiple
                                                      : intern(c, v.p, v.n);
    }
    if ((c->o.by & BIT(B_ROUTE)) && in.place[4] != NONE &&
        in.place[6] != NONE) {
        char pair[64];
        snprintf(pair, sizeof pair, "%s>%s", c->name[in.place[4]],
                 c->name[in.place[6]]);
        in.place[7] = intern_s(c, pair);
    }
    if (!(c->o.by & BIT(B_ORIGIN))) in.place[4] = NONE;
    if (!(c->o.by & BIT(B_DEST))) in.place[6] = NONE;
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
    unsigned char key[18];
    memcpy(key, &in.country, 4);
    memcpy(key + 4, &in.period, 4);
    memcpy(key + 8, &in.formcat, 4);
    memcpy(key + 12, &in.stage_period, 4);
    key[16] = in.offence;
    key[17] = in.stage;
    /* the place breakdowns go row by row: in the bucket key they would
     * make a bucket of nearly every incident */
    if (c->o.by & PLACE_BY) {
        int64_t one[4] = {cnt[0], cnt[1], cnt[2], cnt[3]};
        c->addmode = 2;
        spread_inc(c, &in, 1, one, in.has_deaths ? deaths : 0, in.has_deaths);
        c->addmode = 0;
    }
    int badded;
    uint64_t *bv = strmap_put(&c->bmap, (const char *)key, sizeof key, &badded);
    need(c, bv);
    if (badded) {
        c->buckets = grow(c, c->buckets, &c->capbuckets, c->nbuckets + 1,
                          sizeof *c->buckets);
        memset(&c->buckets[c->nbuckets], 0, sizeof *c->buckets);
        c->buckets[c->nbuckets].in = in;
        *bv = ++c->nbuckets;
        /* the month is covered by records: an indicator without a count
         * in it is 0 there, not missing */
        int a;
        need(c, strmap_put(&c->recmon, (const char *)key, 8, &a));
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
        need(c, v);
        if (added) {
            c->incs =
                grow(c, c->incs, &c->capincs, c->nincs + 1, sizeof *c->incs);
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
    uint32_t cat[B_NAT + 1] = {
        0, sex.n ? intern(c, sex.p, sex.n) : c->id_unknown, age,
        nat.n ? intern(c, nat.p, nat.n) : c->id_unknown};
    for (int i = 0; i < n; i++) {
        unsigned want = c->o.by & applies[inds[i]];
        uint32_t p = period_for(in, inds[i]);
        for (int by = B_SEX; by <= B_NAT; by++)
            if (want & BIT(by))
                add(c, in->country, p, inds[i], by, cat[by], REC, 1, 0);
        for (int j = 0; j < c->nx; j++)
            if (c->xb[j] <= B_NAT && wants(c, inds[i], NBY + j))
                add(c, in->country, p, inds[i], NBY + j,
                    intern_pair(c, cat[c->xa[j]], cat[c->xb[j]]), REC, 1, 0);
        /* with an incident breakdown: from not recorded to this person */
        uint32_t nr[B_NAT + 1] = {0, c->id_notrec, c->id_notrec, c->id_notrec};
        add_inc_cross(c, in, inds[i], nr, -1);
        add_inc_cross(c, in, inds[i], cat, 1);
    }
}

/* The aggregate column (index in dim_by) of breakdown BY, -1 none. */
static int dim_of(int by) {
    for (int d = 0; d < NDIM; d++)
        if (dim_by[d] == by) return d;
    return -1;
}

/* Whether an aggregate breakdown value means "all of them". */
static int is_total(source_cell v) {
    return v.n == 0 || eq(v, "total") || eq(v, "TOTAL");
}

static void aggregate_row(compare *c, const source_row *row) {
    compare_counts *k = &c->counts[COMPARE_AGGREGATE];
    source_cell per = cellv(c, row, AC_PERIOD), val = cellv(c, row, AC_VALUE);
    source_cell country = cellv(c, row, AC_COUNTRY),
                ind = cellv(c, row, AC_IND);
    cmp_per pp;
    int iv = -1, g = per_parse(per.p, per.n, &pp);
    for (int i = 0; i < NIND; i++)
        if (eq(ind, ind_names[i])) iv = i;
    int unknown = eq(val, "<5");
    long long amount = unknown ? 0 : count_of(val, 0);
    size_t ri = c->naggrows;
    c->aggpairs =
        grow(c, c->aggpairs, &c->capagg, NPAIR * (ri + 1), sizeof *c->aggpairs);
    for (int i = 0; i < NPAIR; i++)
        c->aggpairs[NPAIR * ri + i] = NONE;
    c->naggrows++;
    if (g < 0 || iv < 0 || amount < 0 || country.n == 0) {
        k->bad++;
        return;
    }
    int specific[NDIM], mask = 0;
    source_cell dim[NDIM];
    for (int i = 0; i < NDIM; i++) {
        dim[i] = cellv(c, row, AC_SEX + i);
        specific[i] = !is_total(dim[i]);
        if (specific[i]) mask |= 1 << i;
    }
    uint32_t cid = intern(c, country.p, country.n);
    uint32_t pid = intern(c, per.p, per.n);
    uint32_t *pairs = &c->aggpairs[NPAIR * ri];
    int np = 0;
    uint32_t gr =
        add(c, cid, pid, iv, B_TOTAL, c->id_total, mask, amount, unknown);
    if (gr >= (1u << 25)) fail(c, ERRCLASS_MEMORY); /* too many to pack */
    pairs[np++] = gr << 7 | (uint32_t)mask;
    for (int i = 0; i < NDIM; i++) {
        if (!specific[i] || !(c->o.by & applies[iv] & BIT(dim_by[i]))) continue;
        int slot = mask & ~(1 << i);
        gr = add(c, cid, pid, iv, dim_by[i], intern(c, dim[i].p, dim[i].n),
                 slot, amount, unknown);
        if (gr >= (1u << 25)) fail(c, ERRCLASS_MEMORY); /* too many to pack */
        pairs[np++] = gr << 7 | (uint32_t)slot;
    }
    for (int j = 0; j < c->nx; j++) { /* rows that give both columns */
        int da = dim_of(c->xa[j]), db = dim_of(c->xb[j]);
        if (da < 0 || db < 0 || !specific[da] || !specific[db] ||
            !wants(c, iv, NBY + j))
            continue;
        int slot = mask & ~(1 << da | 1 << db);
        gr = add(c, cid, pid, iv, NBY + j,
                 intern_pair(c, intern(c, dim[da].p, dim[da].n),
                             intern(c, dim[db].p, dim[db].n)),
                 slot, amount, unknown);
        if (gr >= (1u << 25)) fail(c, ERRCLASS_MEMORY); /* too many to pack */
        pairs[np++] = gr << 7 | (uint32_t)slot;
    }
}

static void row_in(compare *c, const void *arg) {
    const source_row *row = arg;
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

int compare_row(compare *c, const source_row *row) {
    return run_guarded(c, row_in, row);
}

/* Spreads the incident buckets into the tables, and gives every indicator
 * counted from records a 0 in the months records cover (deaths only where
 * deaths_count was given). */
/* Adds the counts of N incidents alike (IN, summed counts CNT, deaths
 * summed DEATHS over NDEATHS that gave them) to their indicators. */
static void spread_inc(compare *c, const cmp_inc *in, int64_t n,
                       const int64_t cnt[4], int64_t deaths, int64_t ndeaths) {
    switch (in->offence) {
    case 0:
        add_inc(c, in, I_THB_INC, n);
        add_inc(c, in, I_THB_VIC, cnt[0]);
        break;
    case 1:
        add_inc(c, in, I_SOM_INC, n);
        break;
    case 2:
    case 3:
    case 4:
        add_inc(c, in, I_IRR_ENTRY + (in->offence - 2), cnt[2]);
        break;
    case 5:
        add_inc(c, in, I_DOC, n);
        break;
    }
    add_inc(c, in, I_SMUGGLED, cnt[1]);
    add_inc(c, in, I_SUSPECTS, cnt[3]);
    if (in->stage >= 1) add_inc(c, in, I_PROSECUTED, cnt[3]);
    if (in->stage == 2) add_inc(c, in, I_CONVICTED, cnt[3]);
    if (ndeaths) add_inc(c, in, I_DEATHS, deaths);
}

static void spread_buckets(compare *c) {
    c->addmode = 1; /* the place breakdowns were added row by row */
    for (size_t i = 0; i < c->nbuckets; i++) {
        const cmp_bucket *b = &c->buckets[i];
        spread_inc(c, &b->in, b->n, b->cnt, b->deaths, b->ndeaths);
    }
    c->addmode = 0;
    for (size_t s = 0; s < c->recmon.nslots; s++) {
        if (!c->recmon.slots[s].hash) continue;
        size_t n;
        const char *key = strmap_key(&c->recmon, s, &n);
        uint32_t country, period;
        memcpy(&country, key, 4);
        memcpy(&period, key + 4, 4);
        for (int ind = 0; ind < NREC; ind++)
            if (ind != I_DEATHS)
                add(c, country, period, ind, B_TOTAL, c->id_total, REC, 0, 0);
    }
}

/* ---- the one rule: records, aggregates, periods ------------------------- */

/* Precedence of an aggregate slot (lower wins): the fewest specific
 * columns, then a fixed order of the mask, so that rows of two different
 * cuts (sex totals, nationality totals) are never added together. */
static int prio(int mask) {
    return __builtin_popcount((unsigned)mask) * 64 + mask;
}

/* One source of a figure: a layer-0 period and whether records give it. */
typedef struct cmp_plan {
    int n;               /* parts */
    uint32_t period[12]; /* layer-0 period of each part */
    uint8_t rec[12];     /* 1: records; 0: the period's aggregate */
    int complete;        /* every month of the period is covered */
    int own;             /* the period's own aggregate (one part) */
} cmp_plan;

static uint32_t native_total(const compare *c, uint32_t country, uint32_t p,
                             int ind) {
    return find_group_in(c, country, p, ind, B_TOTAL, 0);
}

/* The figure of COUNTRY, IND in period P: a month is its records, else
 * its aggregate; a quarter (year) is the sum of its months (quarters)
 * when all have a figure, else its own aggregate, else the sum of those
 * there are, marked incomplete. OWN_OK: the period's own aggregate may
 * serve. */
static void plan_of(compare *c, uint32_t country, int ind, cmp_per p,
                    int own_ok, cmp_plan *out) {
    memset(out, 0, sizeof *out);
    uint32_t pid = per_id(c, p);
    uint32_t g = native_total(c, country, pid, ind);
    int has_agg = g != NONE && c->groups[g].aggmask;
    if (p.g == 0) {
        if (g != NONE && (c->groups[g].rec || has_agg)) {
            out->n = 1;
            out->period[0] = pid;
            out->rec[0] = c->groups[g].rec;
            out->complete = 1;
        }
        return;
    }
    int nsub = p.g == 1 ? 3 : 4, all = 1;
    cmp_plan sub;
    cmp_plan acc;
    memset(&acc, 0, sizeof acc);
    for (int i = 0; i < nsub; i++) {
        cmp_per s = p.g == 1 ? (cmp_per){p.y, 0, (p.i - 1) * 3 + 1 + i}
                             : (cmp_per){p.y, 1, 1 + i};
        plan_of(c, country, ind, s, 1, &sub);
        all &= sub.complete;
        for (int j = 0; j < sub.n && acc.n < 12; j++) {
            acc.period[acc.n] = sub.period[j];
            acc.rec[acc.n++] = sub.rec[j];
        }
    }
    if (all) {
        *out = acc;
        out->complete = 1;
    } else if (own_ok && has_agg) {
        out->n = 1;
        out->period[0] = pid;
        out->rec[0] = 0;
        out->complete = 1;
        out->own = 1;
    } else {
        *out = acc;
        out->complete = 0;
    }
}

/* The slot of layer-0 group G a part uses; NOSLOT when G gives nothing. */
static int slot_for(const compare *c, uint32_t g, int rec) {
    if (g == NONE) return NOSLOT;
    if (rec) return c->groups[g].rec ? REC : NOSLOT;
    return c->groups[g].best;
}

/* The total of a plan: its value and "<5"s. */
static void plan_total(compare *c, uint32_t country, int ind,
                       const cmp_plan *pl, long long *val, int *unk) {
    *val = 0;
    *unk = 0;
    for (int i = 0; i < pl->n; i++) {
        uint32_t g = native_total(c, country, pl->period[i], ind);
        int s = slot_for(c, g, pl->rec[i]);
        uint32_t ci = s == NOSLOT ? NONE : find_slot(c, g, c->id_total, s);
        if (ci == NONE) continue;
        *val += c->cells[ci].val;
        *unk += c->cells[ci].unk;
    }
}

static void finding(compare *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void finding(compare *c, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    c->findings =
        grow(c, c->findings, &c->capfindings, c->nfindings + 1, sizeof(char *));
    c->findings[c->nfindings] = strcpy(alloc(c, strlen(buf) + 1, 0), buf);
    c->nfindings++;
}

/* A figure as text: "12", "<5" or ".." */
static const char *fig_text(long long val, int unk, char buf[32]) {
    if (unk == 1 && val == 0)
        snprintf(buf, 32, "<5");
    else if (unk)
        snprintf(buf, 32, "..");
    else
        snprintf(buf, 32, "%lld", val);
    return buf;
}

/* Whether two figures can be the same count (a "<5" is 1 to 4). */
static int agree(long long a, int ua, long long b, int ub) {
    if (ua > 1 || ub > 1 || (ua && a) || (ub && b)) return 1; /* sums: ? */
    if (ua && ub) return 1;
    if (ua) return b >= 1 && b <= 4;
    if (ub) return a >= 1 && a <= 4;
    return a == b;
}

/* Findings: an aggregate of layer-0 total group G that the finer figure
 * (records of the month; the months of a quarter; the quarters of a
 * year) contradicts. */
static void check_aggregate(compare *c, uint32_t g) {
    cmp_group *gr = &c->groups[g];
    cmp_per p;
    const char *pname = c->name[gr->period];
    if (per_parse(pname, strlen(pname), &p) < 0) return;
    uint32_t ci = find_slot(c, g, c->id_total, gr->best);
    if (ci == NONE) return;
    long long av = c->cells[ci].val, fv;
    int au = c->cells[ci].unk, fu;
    cmp_plan pl;
    if (p.g == 0) {
        if (!gr->rec) return;
        pl = (cmp_plan){1, {gr->period}, {1}, 1, 0};
    } else {
        plan_of(c, gr->country, gr->ind, p, 0, &pl);
        if (!pl.complete) return;
    }
    plan_total(c, gr->country, gr->ind, &pl, &fv, &fu);
    if (agree(av, au, fv, fu)) return;
    char b1[32], b2[32];
    static const char *const finer[3] = {"the records", "its months",
                                         "its quarters"};
    finding(c,
            "%s %s %s: %s give %s, the aggregate %s; %s are counted "
            "[disagree]",
            c->name[gr->country], pname, ind_names[gr->ind], finer[p.g],
            fig_text(fv, fu, b1), fig_text(av, au, b2), finer[p.g]);
}

/* The category CAT of breakdown BY is published as: itself, or with
 * --layout aggregate the standard's code (sex and age group: other and
 * not recorded -> unknown; nationality: unknown -> not_recorded, which
 * like XXA and XXX has no code in the aggregate table). */
static uint32_t fold(compare *c, int by, uint32_t cat) {
    if (!c->o.aggregate_codes) return cat;
    const char *n = c->name[cat];
    if (by >= NBY) { /* a cross-tab: each side */
        const char *star = strchr(n, '*');
        if (!star) return cat;
        uint32_t a = intern(c, n, (size_t)(star - n));
        uint32_t b = intern_s(c, c->name[cat] + (star - n) + 1);
        return intern_pair(c, fold(c, c->xa[by - NBY], a),
                           fold(c, c->xb[by - NBY], b));
    }
    if (by == B_SEX && strcmp(n, "female") && strcmp(n, "male"))
        return c->id_unknown;
    if (by == B_AGE && strcmp(n, "child") && strcmp(n, "adult"))
        return c->id_unknown;
    if (by == B_NAT && cat == c->id_unknown) return c->id_notrec;
    return cat;
}

/* Whether the aggregate rows of slot S of layer-0 group G (rows that
 * name more than G's breakdown: summed over the rest) are all there: they
 * add up to the total of TG, the same country and period, with no "<5"
 * on either side. A table read back from one whose hidden cells were
 * left out lacks some: a category summed from what is left is not its
 * figure. */
static int rows_complete(const compare *c, uint32_t g, int s, uint32_t tg) {
    uint32_t tc = find_slot(c, tg, c->id_total, c->groups[tg].best);
    if (tc == NONE || c->cells[tc].unk) return 0;
    long long sum = 0;
    for (size_t j = c->gstart[g]; j < c->gstart[g + 1]; j++) {
        const cmp_cell *x = &c->cells[c->gcell[j]];
        if (x->slot != s) continue;
        if (x->unk) return 0;
        sum += x->val;
    }
    return sum == c->cells[tc].val;
}

/* Builds the layer-1 groups of COUNTRY, IND, period P from plan PL. */
static void publish_plan(compare *c, uint32_t country, int ind, cmp_per p,
                         const cmp_plan *pl) {
    uint32_t pid = per_id(c, p);
    for (int by = B_TOTAL; by < NBY + c->nx; by++) {
        if (!wants(c, ind, by)) continue;
        c->layer = 1;
        uint32_t og = group_of(c, country, pid, ind, by);
        c->groups[og].incomplete = (uint8_t)!pl->complete;
        c->groups[og].coarse = (uint8_t)(p.g != c->o.period);
        c->layer = 0;
        for (int i = 0; i < pl->n; i++) {
            uint32_t g = find_group_in(c, country, pl->period[i], ind, by, 0);
            int s = slot_for(c, g, pl->rec[i]), partial = 0;
            if (s == NOSLOT) continue;
            if (s != REC) {
                c->groups[g].used |= 1ull << s;
                if (by == B_TOTAL) c->groups[og].agg = 1;
                /* the total from other rows than these: a category the
                 * rows leave out is not known to be 0 */
                uint32_t tg = native_total(c, country, pl->period[i], ind);
                int bit = 0;
                for (int d = 0; d < NDIM; d++)
                    if (dim_by[d] == by ||
                        (by >= NBY && (dim_by[d] == c->xa[by - NBY] ||
                                       dim_by[d] == c->xb[by - NBY])))
                        bit |= 1 << d;
                if (by != B_TOTAL && tg != NONE &&
                    c->groups[tg].best != (s | bit)) {
                    c->groups[og].agg = 1;
                    partial = s != 0 && !rows_complete(c, g, s, tg);
                }
            }
            size_t from = c->gstart[g], to = c->gstart[g + 1];
            for (size_t j = from; j < to; j++) {
                uint32_t src = c->gcell[j];
                if (c->cells[src].slot != s) continue;
                uint32_t oc = cell_of(c, og, fold(c, by, c->cells[src].cat));
                c->cells[oc].val += c->cells[src].val;
                c->cells[oc].unk += c->cells[src].unk;
                c->cells[oc].partial |= (uint8_t)partial;
                c->cells[oc].exists = 1;
            }
        }
        if (by == B_TOTAL) { /* a total of nothing given is 0 */
            uint32_t oc = cell_of(c, og, c->id_total);
            c->cells[oc].exists = 1;
        }
    }
}

static int u64_cmp(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Layer 0 to layer 1: the published figures at --period. */
static void resolve(compare *c) {
    /* the aggregate slot of every layer-0 group */
    for (size_t i = 0; i < c->ngroups; i++) {
        cmp_group *g = &c->groups[i];
        for (int s = 0; s < 64; s++)
            if ((g->aggmask >> s & 1) &&
                (g->best == NOSLOT || prio(s) < prio(g->best)))
                g->best = (uint8_t)s;
    }
    /* cells of each layer-0 group (counting sort) */
    size_t ng0 = c->ngroups, nc0 = c->ncells;
    c->gstart = alloc(c, (ng0 + 1) * sizeof *c->gstart, 1);
    c->gcell = alloc(c, (nc0 ? nc0 : 1) * sizeof *c->gcell, 0);
    size_t *fill = hold(c, alloc(c, (ng0 + 1) * sizeof *fill, 1));
    for (size_t i = 0; i < nc0; i++)
        c->gstart[c->cells[i].group + 1]++;
    for (size_t g = 0; g < ng0; g++)
        c->gstart[g + 1] += c->gstart[g];
    for (size_t i = 0; i < nc0; i++) {
        uint32_t g = c->cells[i].group;
        c->gcell[c->gstart[g] + fill[g]++] = (uint32_t)i;
    }
    drop(c, fill);
    /* findings, and per country and indicator the periods to publish */
    uint64_t *todo = hold(c, alloc(c, (ng0 ? ng0 : 1) * sizeof *todo, 0));
    size_t ntodo = 0;
    for (size_t i = 0; i < ng0; i++) {
        cmp_group *g = &c->groups[i];
        if (g->by != B_TOTAL) continue;
        if (g->aggmask) check_aggregate(c, (uint32_t)i);
        const char *pn = c->name[g->period];
        cmp_per p;
        if (per_parse(pn, strlen(pn), &p) < 0) continue;
        /* a period at or finer than --period rolls up; a coarser one is
         * published when its own aggregate gives it */
        cmp_per q = p.g <= c->o.period ? per_up(p, c->o.period) : p;
        uint64_t code = (uint64_t)q.y * 64 + (uint64_t)q.g * 16 + (uint64_t)q.i;
        todo[ntodo++] =
            (uint64_t)g->country << 40 | (uint64_t)g->ind << 32 | code;
    }
    qsort(todo, ntodo, sizeof *todo, u64_cmp);
    for (size_t i = 0; i < ntodo; i++) {
        if (i && todo[i] == todo[i - 1]) continue;
        uint32_t country = (uint32_t)(todo[i] >> 40);
        int ind = (int)(todo[i] >> 32 & 0xff);
        uint64_t code = todo[i] & 0xffffffffu;
        cmp_per p = {(int)(code / 64), (int)(code % 64 / 16), (int)(code % 16)};
        cmp_plan pl;
        plan_of(c, country, ind, p, 1, &pl);
        /* a coarser period only where the finer ones fall short */
        if (pl.n == 0 || (p.g > c->o.period && !pl.own)) continue;
        publish_plan(c, country, ind, p, &pl);
    }
    drop(c, todo);
    c->layer = 1;
    /* the figures, and the cells of each layer-1 group for finish_one */
    for (size_t i = nc0; i < c->ncells; i++) {
        cmp_cell *x = &c->cells[i];
        x->value = x->val;
        x->unknown = x->unk > 0 || x->partial;
        x->single = x->unk == 1 && x->val == 0 && !x->partial;
    }
    free(c->gstart);
    free(c->gcell);
    c->gstart = NULL;
    c->gcell = NULL;
    c->ngres = c->ngroups;
    c->gstart = alloc(c, (c->ngroups + 1) * sizeof *c->gstart, 1);
    c->gcell = alloc(c, (c->ncells ? c->ncells : 1) * sizeof *c->gcell, 0);
    fill = hold(c, alloc(c, (c->ngroups + 1) * sizeof *fill, 1));
    for (size_t i = 0; i < c->ncells; i++)
        if (c->cells[i].exists) c->gstart[c->cells[i].group + 1]++;
    for (size_t g = 0; g < c->ngroups; g++)
        c->gstart[g + 1] += c->gstart[g];
    for (size_t i = 0; i < c->ncells; i++)
        if (c->cells[i].exists) {
            uint32_t g = c->cells[i].group;
            c->gcell[c->gstart[g] + fill[g]++] = (uint32_t)i;
        }
    drop(c, fill);
    /* aggregate rows: counted when a slot of theirs was published */
    compare_counts *k = &c->counts[COMPARE_AGGREGATE];
    for (size_t r = 0; r < c->naggrows; r++) {
        uint32_t *p = &c->aggpairs[NPAIR * r];
        if (p[0] == NONE) continue; /* bad row, counted already */
        int used = 0;
        for (int i = 0; i < NPAIR && p[i] != NONE; i++)
            if (c->groups[p[i] >> 7].used >> (p[i] & 127) & 1) used = 1;
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
    int by;           /* its breakdown (NBY + j: a cross-tab) */
    uint32_t *rest;   /* per column: NONE, or an unpublished cell (x, 0 or
                         more) that holds what the column's categories
                         leave of its total: an aggregate whose rows fall
                         short of its total row */
    uint8_t *open;    /* per country column: finish_one()'s open flags */
} cmp_table;

/* Node of row R / column K, with ground merging: node 0 is the ground. */
static int node_row(const cmp_table *t, int r) {
    return t->row_ground ? 0 : 1 + r;
}
static int node_col(const cmp_table *t, int k) {
    return t->col_ground || (t->rest && t->rest[k] != NONE) ? 0
                                                            : 1 + t->nrows + k;
}
static int hidden(const compare *c, uint32_t cell) {
    return c->cells[cell].state != COMPARE_SHOWN;
}
/* Whether a hidden cell must keep its room: <K, x, and a source's "<5"
 * or a sum holding one (the country's own totals must not give it away
 * either). */
static int protect(const compare *c, uint32_t cell) {
    return c->cells[cell].state != COMPARE_SHOWN;
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
    double *dist = hold(c, alloc(c, (size_t)n * sizeof *dist, 0));
    int *prev = hold(c, alloc(c, (size_t)n * sizeof *prev, 0)); /* edge in */
    char *done = hold(c, alloc(c, (size_t)n, 1));
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
            double w = cell->state != COMPARE_SHOWN ? 0
                       : cell->value == 0           ? 1e9 /* a hidden 0 protects
                                                             nothing upwards */
                                          : (double)cell->value + 1.0;
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
    drop(c, dist);
    drop(c, prev);
    drop(c, done);
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
                            hold(c, alloc(c, (size_t)n * sizeof(int), 1)),
                            hold(c, alloc(c, (size_t)n * sizeof(int), 1)),
                            0,
                            -1};
            for (int u = 0; u < n && b.found < 0; u++)
                if (!b.disc[u]) dfs(&b, u, -1);
            drop(c, b.disc);
            drop(c, b.low);
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

/* ---- secondary suppression against the LP attack ----------------------- */

/* One indicator and period as the attacker's programme sees it. */
typedef struct cmp_lpset {
    uint32_t *ids; /* cells (global indices), sorted */
    int n;         /* how many */
    int *lines;    /* flat lines over local numbers (compare_audit.h) */
    size_t len;    /* ints in lines */
    cmp_acell *ac; /* the cells as the attacker sees them */
} cmp_lpset;

static int u32_sort(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int local_of(const cmp_lpset *s, uint32_t cell) {
    const uint32_t *p =
        bsearch(&cell, s->ids, (size_t)s->n, sizeof *s->ids, u32_sort);
    return p ? (int)(p - s->ids) : -1;
}

static void lp_push(compare *c, cmp_lpset *s, size_t *cap, int v) {
    s->lines = grow(c, s->lines, cap, s->len + 1, sizeof *s->lines);
    s->lines[s->len++] = v;
}

/* The margin lines of cross-tab T: in each column, the cells of T whose
 * category's SIDE (0: before the '*', 1: after) is category a of the
 * one-way table U add up to U's cell a. */
static void lp_margins(compare *c, const cmp_table *t, const cmp_table *u,
                       int side, cmp_lpset *s, size_t *cap) {
    for (int a = 0; a < u->nrows - 1; a++) {
        const char *ac = c->name[c->cells[u->cell[a * u->ncols]].cat];
        int n = 0;
        for (int r = 0; r < t->nrows - 1; r++)
            n += compare_audit_side(
                c->name[c->cells[t->cell[r * t->ncols]].cat], ac, side);
        if (!n) continue;
        for (int k = 0; k < t->ncols; k++) {
            if ((t->rest && t->rest[k] != NONE) ||
                (u->rest && u->rest[k] != NONE))
                continue; /* a margin line need not hold there */
            lp_push(c, s, cap, n);
            lp_push(c, s, cap, local_of(s, u->cell[a * u->ncols + k]));
            for (int r = 0; r < t->nrows - 1; r++)
                if (compare_audit_side(
                        c->name[c->cells[t->cell[r * t->ncols]].cat], ac, side))
                    lp_push(c, s, cap, local_of(s, t->cell[r * t->ncols + k]));
        }
    }
}

/* Sorts the cells of S and drops repeats (local_of() searches them). */
static void lpset_sort(cmp_lpset *s) {
    qsort(s->ids, (size_t)s->n, sizeof *s->ids, u32_sort);
    int u = 0;
    for (int i = 0; i < s->n; i++)
        if (!u || s->ids[u - 1] != s->ids[i]) s->ids[u++] = s->ids[i];
    s->n = u;
}

/* The unpublished rest cell SLOT of group G: x, 0 or more, in lines
 * only. */
static uint32_t rest_cell(compare *c, uint32_t g, int slot) {
    uint32_t ri = cell_slot(c, g, c->id_rest, slot);
    cmp_cell *x = &c->cells[ri];
    x->exists = 0; /* never published */
    x->value = 0;
    x->unknown = 1;
    x->single = 0;
    x->state = COMPARE_UNKNOWN;
    return ri;
}

/* The cells and lines of TABLES. */
static void lpset_build(compare *c, cmp_table *tables, int ntables,
                        cmp_lpset *s) {
    memset(s, 0, sizeof *s);
    c->lp = s; /* freed if this fails */
    size_t total = 0, cap = 0;
    for (int i = 0; i < ntables; i++)
        total += (size_t)(tables[i].nrows + 1) * (size_t)tables[i].ncols;
    s->ids = alloc(c, (total ? total : 1) * sizeof *s->ids, 0);
    for (int i = 0; i < ntables; i++) {
        for (int e = 0; e < tables[i].nrows * tables[i].ncols; e++)
            s->ids[s->n++] = tables[i].cell[e];
        for (int k = 0; tables[i].rest && k < tables[i].ncols; k++)
            if (tables[i].rest[k] != NONE) s->ids[s->n++] = tables[i].rest[k];
    }
    lpset_sort(s);
    for (int i = 0; i < ntables; i++) {
        const cmp_table *t = &tables[i];
        if (!t->col_ground) /* a column's categories add up to its total */
            for (int k = 0; k < t->ncols; k++) {
                int open = t->rest && t->rest[k] != NONE;
                lp_push(c, s, &cap, t->nrows - 1 + open);
                lp_push(c, s, &cap,
                        local_of(s, t->cell[(t->nrows - 1) * t->ncols + k]));
                for (int r = 0; r < t->nrows - 1; r++)
                    lp_push(c, s, &cap, local_of(s, t->cell[r * t->ncols + k]));
                if (open) lp_push(c, s, &cap, local_of(s, t->rest[k]));
            }
        if (!t->row_ground) /* a row's countries add up to ALL */
            for (int r = 0; r < t->nrows; r++) {
                lp_push(c, s, &cap, t->ncols - 1);
                lp_push(c, s, &cap,
                        local_of(s, t->cell[r * t->ncols + t->ncols - 1]));
                for (int k = 0; k < t->ncols - 1; k++)
                    lp_push(c, s, &cap, local_of(s, t->cell[r * t->ncols + k]));
            }
        if (t->by >= NBY) /* a cross-tab: its margins */
            for (int m = 0; m < ntables; m++) {
                const cmp_table *u = &tables[m];
                int side = u->by == c->xa[t->by - NBY]   ? 0
                           : u->by == c->xb[t->by - NBY] ? 1
                                                         : -1;
                if (side >= 0) lp_margins(c, t, u, side, s, &cap);
            }
    }
    s->ac = alloc(c, (size_t)(s->n ? s->n : 1) * sizeof *s->ac, 0);
}

/* The attacker's view of the cells now. A hidden x cell is K or more
 * when its value is (relec hides no 0 unless nothing else is left), which
 * an attacker may assume: the stronger attacker is the one protected
 * against. */
static void lpset_view(const compare *c, cmp_lpset *s) {
    int k = c->o.suppress;
    for (int i = 0; i < s->n; i++) {
        const cmp_cell *x = &c->cells[s->ids[i]];
        s->ac[i] =
            (cmp_acell){x->value, x->state, x->single, x->value >= k ? k : 0};
    }
}

static void lpset_free(cmp_lpset *s) {
    free(s->ids);
    free(s->lines);
    free(s->ac);
    memset(s, 0, sizeof *s);
}

/* Whether local cell I is in the line at P. */
static int in_line(const int *l, size_t p, int i) {
    for (int m = 0; m <= l[p]; m++)
        if (l[p + 1 + (size_t)m] == i) return 1;
    return 0;
}

/* Lines of cell Q that hold no hidden cell but Q's own. */
static int lonely_lines(const cmp_lpset *s, int q) {
    int n = 0;
    for (size_t p = 0; p < s->len; p += 2 + (size_t)s->lines[p]) {
        if (!in_line(s->lines, p, q)) continue;
        int hid = 0;
        for (int m = 0; m <= s->lines[p]; m++) {
            int i = s->lines[p + 1 + (size_t)m];
            hid += i != q && s->ac[i].state != COMPARE_SHOWN;
        }
        n += hid == 0;
    }
    return n;
}

/* The visible cell to hide so that exposed cell P gains room: the
 * cheapest of P's lines whose value is K or more, avoiding cells that
 * would sit alone in another line; then 0s; then any line with a hidden
 * cell. -1 when nothing is left to hide. */
static int pick_secondary(const cmp_lpset *s, int k, int p) {
    for (int pass = 0; pass < 4; pass++) {
        int best = -1;
        double bestcost = 0;
        for (size_t l = 0; l < s->len; l += 2 + (size_t)s->lines[l]) {
            int mine = in_line(s->lines, l, p);
            if (pass < 2 && !mine) continue;
            if (pass >= 2) { /* any line that holds a hidden cell */
                int hid = 0;
                for (int m = 0; m <= s->lines[l]; m++)
                    hid |= s->ac[s->lines[l + 1 + (size_t)m]].state !=
                           COMPARE_SHOWN;
                if (!hid) continue;
            }
            for (int m = 0; m <= s->lines[l]; m++) {
                int q = s->lines[l + 1 + (size_t)m];
                const cmp_acell *x = &s->ac[q];
                if (x->state != COMPARE_SHOWN) continue;
                if ((pass == 0 || pass == 2) && x->value < k) continue;
                double cost = (double)x->value + 1e12 * lonely_lines(s, q);
                if (best < 0 || cost < bestcost) {
                    best = q;
                    bestcost = cost;
                }
            }
        }
        if (best >= 0) return best;
    }
    return -1;
}

/* Whether hidden cell Q tells more than x: <K, or a source's <5. */
static int marked(const cmp_acell *q) {
    return q->state == COMPARE_PRIMARY ||
           (q->state == COMPARE_UNKNOWN && q->single);
}

/* A <K (or a source's <5) cell on a line of P, other than P, to show as
 * x: the line's total when it is one, else the largest; -1 when none. */
static int unmark_for(const cmp_lpset *s, int p) {
    int best = -1;
    for (size_t l = 0; l < s->len; l += 2 + (size_t)s->lines[l]) {
        if (!in_line(s->lines, l, p)) continue;
        int t = s->lines[l + 1];
        if (t != p && marked(&s->ac[t])) return t;
        for (int m = 1; m <= s->lines[l]; m++) {
            int q = s->lines[l + 1 + (size_t)m];
            if (q != p && marked(&s->ac[q]) &&
                (best < 0 || s->ac[q].value > s->ac[best].value))
                best = q;
        }
    }
    return best;
}

/* Hides cells of TABLES until the attack narrows no primary cell; returns
 * how many it hid. */
static long suppress_lp(compare *c, cmp_table *tables, int ntables) {
    cmp_lpset s;
    lpset_build(c, tables, ntables, &s);
    lpset_view(c, &s);
    int k = c->o.suppress, nexp = 0;
    int *exposed =
        hold(c, alloc(c, (size_t)(s.n ? s.n : 1) * sizeof *exposed, 0));
    long hid = 0;
    compare_audit *a = need(c, compare_audit_new(s.ac, s.n, s.lines, s.len, k)),
                  *ideal = NULL;
    for (int i = 0; i < s.n; i++) {
        double lo, hi;
        if (s.ac[i].state == COMPARE_SHOWN || !c->cells[s.ids[i]].exists)
            continue; /* <K, x, <5, .. (not a rest, unpublished) */
        int r = compare_audit_check(a, NULL, s.ac, s.n, s.lines, s.len, k, i, 1,
                                    &lo, &hi);
        if (r == -2) goto oom;
        if (r) exposed[nexp++] = i;
    }
    char *touched = hold(c, c_realloc(NULL, (size_t)(s.n ? s.n : 1)));
    cmp_acell *all =
        hold(c, c_realloc(NULL, (size_t)(s.n ? s.n : 1) * sizeof *all));
    if (!touched || !all) goto oom;
    while (nexp > 0) {
        /* one cell for each exposed cell whose lines no other pick of
         * this round touched; then one new programme */
        memset(touched, 0, (size_t)s.n);
        int picks = 0, m0 = nexp;
        for (int e = 0; e < m0; e++) {
            int p = exposed[e], busy = 0;
            for (size_t l = 0; l < s.len && !busy; l += 2 + (size_t)s.lines[l])
                if (in_line(s.lines, l, p))
                    for (int t = 0; t <= s.lines[l]; t++)
                        busy |= touched[s.lines[l + 1 + (size_t)t]];
            if (busy && picks) continue;
            /* the marks alone narrow it (four <5 cells whose sum is <5):
             * hiding numbers cannot help; show a <K cell of its lines as
             * x instead (a margin first) */
            if (!ideal) {
                for (int j = 0; j < s.n; j++) {
                    all[j] = s.ac[j];
                    if (all[j].state == COMPARE_SHOWN) {
                        all[j].state = COMPARE_SECONDARY;
                        all[j].floor = s.ac[j].value >= k ? k : 0;
                    }
                }
                ideal = compare_audit_new(all, s.n, s.lines, s.len, k);
                if (!ideal) goto oom;
            }
            double ilo, ihi;
            int q = -1, was = 0, r = compare_audit_range(ideal, p, &ilo, &ihi);
            if (r == -2) goto oom;
            if (r == 0 && compare_audit_leaks(s.ac[p].state, s.ac[p].single, k,
                                              ilo, ihi)) {
                q = unmark_for(&s, p);
                if (q >= 0) {
                    compare_audit_free(ideal);
                    ideal = NULL;
                    was = 1;
                }
            }
            if (q < 0) q = pick_secondary(&s, k, p);
            if (q < 0) continue;
            c->cells[s.ids[q]].state = COMPARE_SECONDARY;
            s.ac[q].state = COMPARE_SECONDARY;
            /* a new x cell must not be pinned (a <K cell shown as x may
             * be in the list already) */
            int listed = 0;
            for (int j = 0; was && j < nexp && !listed; j++)
                listed = exposed[j] == q;
            if (!listed) exposed[nexp++] = q;
            hid++;
            picks++;
            for (size_t l = 0; l < s.len; l += 2 + (size_t)s.lines[l])
                if (in_line(s.lines, l, p) && in_line(s.lines, l, q))
                    for (int t = 0; t <= s.lines[l]; t++)
                        touched[s.lines[l + 1 + (size_t)t]] = 1;
        }
        if (!picks) break; /* everything is hidden already */
        lpset_view(c, &s);
        compare_audit_free(a);
        a = compare_audit_new(s.ac, s.n, s.lines, s.len, k);
        if (!a) goto oom;
        /* hiding only widens intervals: recheck the exposed ones only */
        int m = 0;
        for (int j = 0; j < nexp; j++) {
            double lo, hi;
            int i = exposed[j],
                r = compare_audit_check(a, NULL, s.ac, s.n, s.lines, s.len, k,
                                        i, 1, &lo, &hi);
            if (r == -2) goto oom;
            if (r) exposed[m++] = i;
        }
        nexp = m;
    }
    drop(c, touched);
    drop(c, all);
    compare_audit_free(ideal);
    compare_audit_free(a);
    drop(c, exposed);
    lpset_free(&s);
    c->lp = NULL;
    return hid;
oom: /* the held temporaries and S go with fail() */
    compare_audit_free(ideal);
    compare_audit_free(a);
    fail(c, ERRCLASS_MEMORY);
}

/* ---- the standard table as its reader sees it ------------------------- */

/* Whether category CAT of breakdown BY has no code in the aggregate
 * table (not_recorded; nationality XXA, XXX), on either side of a
 * cross-tab. */
static int codeless(const compare *c, int by, uint32_t cat) {
    const char *n = c->name[cat];
    if (by >= NBY) {
        const char *star = strchr(n, '*');
        if (!star) return 0;
        int a = c->xa[by - NBY], b = c->xb[by - NBY];
        size_t la = (size_t)(star - n);
        return (la == 12 && !memcmp(n, "not_recorded", 12)) ||
               !strcmp(star + 1, "not_recorded") ||
               (a == B_NAT && la == 3 &&
                (!memcmp(n, "XXA", 3) || !memcmp(n, "XXX", 3))) ||
               (b == B_NAT &&
                (!strcmp(star + 1, "XXA") || !strcmp(star + 1, "XXX")));
    }
    return cat == c->id_notrec ||
           (by == B_NAT && (!strcmp(n, "XXA") || !strcmp(n, "XXX")));
}

/* Whether published cell I is left out of the standard table. */
static int left_out(const compare *c, uint32_t i, int by) {
    const cmp_cell *x = &c->cells[i];
    const cmp_group *g = &c->groups[x->group];
    return g->country == c->id_all || g->incomplete ||
           x->state == COMPARE_SECONDARY ||
           (x->state == COMPARE_UNKNOWN && !x->single) ||
           codeless(c, by, x->cat);
}

/* The lines of TABLES as a reader of the standard table finds them: no
 * region; per country, the written categories of each breakdown add up
 * to its written total, or, when in some breakdown they cannot (the
 * country's rows are known to leave some out), to no more than it. A
 * country whose total is left out is left out whole. Rest cells are
 * made for the "no more" (unpublished). */
static void lpset_build_view(compare *c, cmp_table *tables, int ntables,
                             cmp_lpset *s) {
    memset(s, 0, sizeof *s);
    c->lp = s; /* freed if this fails */
    size_t total = 0, cap = 0;
    int ncols = tables[0].ncols,
        nc = ncols - !tables[0].row_ground; /* countries */
    for (int i = 0; i < ntables; i++)
        total += (size_t)(tables[i].nrows + 1) * (size_t)ncols;
    s->ids = alloc(c, (total ? total : 1) * sizeof *s->ids, 0);
    char *isshort = hold(c, alloc(c, (size_t)ncols, 1));
    uint32_t *restc =
        hold(c, alloc(c, (size_t)ntables * (size_t)ncols * sizeof *restc, 0));
    /* which countries' rows are known to leave some out */
    for (int i = 0; i < ntables; i++) {
        const cmp_table *t = &tables[i];
        if (t->col_ground) continue;
        for (int k = 0; k < nc; k++) {
            const cmp_cell *tot =
                &c->cells[t->cell[(t->nrows - 1) * ncols + k]];
            long long sum = 0, nsingle = 0;
            for (int r = 0; r < t->nrows - 1; r++) {
                uint32_t ci = t->cell[r * ncols + k];
                if (left_out(c, ci, t->by)) continue;
                const cmp_cell *x = &c->cells[ci];
                if (x->state == COMPARE_SHOWN)
                    sum += x->value;
                else
                    nsingle++; /* <K or a source's <5: 1 to 4 */
            }
            long long tlo = tot->state == COMPARE_SHOWN ? tot->value : 1,
                      thi = tot->state == COMPARE_SHOWN ? tot->value : 4;
            if (thi < sum + nsingle || sum + 4 * nsingle < tlo) isshort[k] = 1;
        }
    }
    for (int i = 0; i < ntables; i++)
        for (int e = 0; e < tables[i].nrows * ncols; e++)
            s->ids[s->n++] = tables[i].cell[e];
    /* a rest cell per line of a short country (unpublished): one per
     * country would tie its breakdowns together, which the reader
     * cannot */
    for (int i = 0; i < ntables; i++)
        for (int k = 0; k < ncols; k++) {
            restc[i * ncols + k] = NONE;
            if (k >= nc || !isshort[k] || tables[i].col_ground) continue;
            uint32_t tc = tables[i].cell[(tables[i].nrows - 1) * ncols + k];
            uint32_t ri = rest_cell(c, c->cells[tc].group, 1 + i);
            restc[i * ncols + k] = ri;
            s->ids[s->n++] = ri;
        }
    lpset_sort(s);
    for (int i = 0; i < ntables; i++) {
        const cmp_table *t = &tables[i];
        if (t->col_ground) continue;
        for (int k = 0; k < nc; k++) {
            uint32_t tc = t->cell[(t->nrows - 1) * ncols + k];
            if (left_out(c, tc, B_TOTAL)) continue; /* the country is out */
            uint32_t ri = restc[i * ncols + k];
            int n = 0;
            for (int r = 0; r < t->nrows - 1; r++)
                n += !left_out(c, t->cell[r * ncols + k], t->by);
            lp_push(c, s, &cap, n + (ri != NONE));
            lp_push(c, s, &cap, local_of(s, tc));
            for (int r = 0; r < t->nrows - 1; r++)
                if (!left_out(c, t->cell[r * ncols + k], t->by))
                    lp_push(c, s, &cap, local_of(s, t->cell[r * ncols + k]));
            if (ri != NONE) lp_push(c, s, &cap, local_of(s, ri));
        }
        if (t->by < NBY) continue;
        /* a cross-tab: its written cells of a category of a margin add
         * up to that margin's written cell */
        for (int m = 0; m < ntables; m++) {
            const cmp_table *mt = &tables[m];
            int side = mt->by == c->xa[t->by - NBY]   ? 0
                       : mt->by == c->xb[t->by - NBY] ? 1
                                                      : -1;
            if (side < 0) continue;
            for (int a = 0; a < mt->nrows - 1; a++) {
                const char *ac = c->name[c->cells[mt->cell[a * ncols]].cat];
                for (int k = 0; k < nc; k++) {
                    uint32_t mc = mt->cell[a * ncols + k];
                    if (isshort[k] || left_out(c, mc, mt->by) ||
                        left_out(c, t->cell[(t->nrows - 1) * ncols + k],
                                 B_TOTAL))
                        continue;
                    int n = 0;
                    for (int r = 0; r < t->nrows - 1; r++) {
                        uint32_t xc = t->cell[r * ncols + k];
                        n += !left_out(c, xc, t->by) &&
                             compare_audit_side(c->name[c->cells[xc].cat], ac,
                                                side);
                    }
                    if (!n) continue;
                    lp_push(c, s, &cap, n);
                    lp_push(c, s, &cap, local_of(s, mc));
                    for (int r = 0; r < t->nrows - 1; r++) {
                        uint32_t xc = t->cell[r * ncols + k];
                        if (!left_out(c, xc, t->by) &&
                            compare_audit_side(c->name[c->cells[xc].cat], ac,
                                               side))
                            lp_push(c, s, &cap, local_of(s, xc));
                    }
                }
            }
        }
    }
    drop(c, isshort);
    drop(c, restc);
    s->ac = alloc(c, (size_t)(s->n ? s->n : 1) * sizeof *s->ac, 0);
}

/* Hides cells until a reader of the standard table (lpset_build_view())
 * narrows no <K cell and no source's <5 written in it: a visible cell of
 * a line of the narrowed cell as x (left out), else the cell itself. */
static void suppress_view(compare *c, cmp_table *tables, int ntables) {
    int k = c->o.suppress;
    for (int round = 0; round < 10000; round++) {
        cmp_lpset s;
        lpset_build_view(c, tables, ntables, &s);
        lpset_view(c, &s);
        compare_audit *a =
            need(c, compare_audit_new(s.ac, s.n, s.lines, s.len, k));
        int hid = 0;
        for (int i = 0; i < s.n && !hid; i++) {
            const cmp_cell *x = &c->cells[s.ids[i]];
            if (!x->exists || left_out(c, s.ids[i], B_TOTAL) ||
                x->state == COMPARE_SHOWN)
                continue;
            int in = 0; /* on a line of the view at all */
            for (size_t l = 0; l < s.len && !in; l += 2 + (size_t)s.lines[l])
                in = in_line(s.lines, l, i);
            if (!in) continue;
            double lo, hi;
            int r = compare_audit_check(a, NULL, s.ac, s.n, s.lines, s.len, k,
                                        i, 1, &lo, &hi);
            if (r == -2) {
                compare_audit_free(a);
                fail(c, ERRCLASS_MEMORY); /* S goes with it */
            }
            if (!r) continue;
            int q = pick_secondary(&s, k, i);
            if (q < 0 || !c->cells[s.ids[q]].exists) q = i;
            c->cells[s.ids[q]].state = COMPARE_SECONDARY;
            hid = 1;
        }
        compare_audit_free(a);
        lpset_free(&s);
        c->lp = NULL;
        if (!hid) break;
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

/* Gives an unpublished rest cell to the columns whose categories need
 * not add up to their total. A country's aggregate whose rows of some
 * breakdown cannot add up to its total row (its <5s are 1 to 4) is a
 * table with rows left out (a published table without its x cells):
 * each open breakdown of that country gets a rest; an attacker knows
 * only that its categories add up to no more than its total. Where the
 * rows can add up, they are taken to (the stronger attacker). The region
 * column gets one when a country's does. */
static void add_rests(compare *c, cmp_table *tables, int ntables, int ind,
                      uint32_t p, const uint32_t *countries,
                      size_t ncountries) {
    for (size_t k = 0; k < ncountries; k++) {
        int isshort = 0;
        for (int i = 0; i < ntables; i++)
            isshort |= tables[i].open && (tables[i].open[k] & 2);
        if (!isshort) continue;
        for (int i = 0; i < ntables; i++) {
            cmp_table *t = &tables[i];
            if (!t->open || !(t->open[k] & 1)) continue;
            size_t ncols = (size_t)t->ncols;
            if (!t->rest) {
                t->rest = alloc(c, ncols * sizeof *t->rest, 0);
                for (size_t j = 0; j < ncols; j++)
                    t->rest[j] = NONE;
            }
            for (int side = 0; side < 2; side++) { /* its column, ALL */
                size_t j = side ? ncountries : k;
                if (j >= ncols || t->rest[j] != NONE) continue;
                uint32_t country = j < ncountries ? countries[j] : c->id_all;
                t->rest[j] =
                    rest_cell(c, group_of(c, country, p, ind, t->by), 0);
            }
        }
    }
}

/* Frees the NXBY TABLES of finish_one() (zeroed where unused). */
static void tables_free(cmp_table *tables) {
    for (int i = 0; i < NXBY; i++) {
        free(tables[i].cell);
        free(tables[i].rest);
        free(tables[i].open);
    }
}

/* compare_finish()'s temporaries: indicator x period -> countries with a
 * total. */
typedef struct cmp_fin {
    strmap tk;                /* (period, indicator) -> index + 1 */
    strmap seen;              /* (country, indicator) seen */
    uint32_t **lists;         /* countries of each (ntk) */
    size_t *nlist, *caplist;  /* their lengths and capacities */
    size_t ntk;               /* how many */
    size_t captk, capn, capc; /* capacities of lists, nlist, caplist */
    uint32_t *tkp;            /* period of each */
    uint8_t *tki;             /* indicator of each */
    size_t cap_p, cap_i;      /* capacities of tkp, tki */
} cmp_fin;

static void fin_free(cmp_fin *f) {
    for (size_t t = 0; t < f->ntk; t++)
        free(f->lists[t]);
    free(f->lists);
    free(f->nlist);
    free(f->caplist);
    free(f->tkp);
    free(f->tki);
    strmap_free(&f->tk);
    strmap_free(&f->seen);
}

/* Builds the tables of indicator IND and period P and suppresses them. */
static void finish_one(compare *c, int ind, uint32_t p, uint32_t *countries,
                       size_t ncountries, size_t nind_countries) {
    sort_ctx = c;
    qsort(countries, ncountries, sizeof *countries, cmp_name_q);
    /* the region: not for a period coarser than --period (only some
     * countries have one); incomplete when a country is missing or is
     * incomplete itself */
    uint32_t g0 = find_group(c, countries[0], p, ind, B_TOTAL);
    int with_all = ncountries >= 2 && !c->groups[g0].coarse;
    int all_incomplete = ncountries < nind_countries;
    for (size_t k = 0; k < ncountries; k++)
        all_incomplete |=
            c->groups[find_group(c, countries[k], p, ind, B_TOTAL)].incomplete;
    size_t ncols = ncountries + (size_t)with_all;
    cmp_table tables[NXBY] = {0};
    int ntables = 0;
    uint32_t *cats = NULL;
    size_t ncats = 0, capcats = 0;
    c->tabs = tables; /* freed if this fails */
    c->cats = &cats;
    /* region totals of the total breakdown */
    uint32_t all_total = NONE;
    if (with_all) {
        uint32_t g = group_of(c, c->id_all, p, ind, B_TOTAL);
        c->groups[g].incomplete = (uint8_t)all_incomplete;
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
    for (int by = B_SEX; by < NBY + c->nx; by++) {
        if (!wants(c, ind, by)) continue;
        ncats = 0;
        /* the union of categories */
        for (size_t k = 0; k < ncountries; k++) {
            uint32_t g = group_of(c, countries[k], p, ind, by);
            size_t from = g < c->ngres ? c->gstart[g] : 0,
                   to = g < c->ngres ? c->gstart[g + 1] : 0;
            for (size_t j = from; j < to; j++) {
                uint32_t cat = c->cells[c->gcell[j]].cat;
                if (!has_u32(cats, ncats, cat)) {
                    cats = grow(c, cats, &capcats, ncats + 1, sizeof *cats);
                    cats[ncats++] = cat;
                }
            }
        }
        /* not_recorded per country: what its total holds beyond its
         * categories; an aggregate whose rows of the breakdown fall short
         * of its total row does not say what the rest is (not recorded,
         * or hidden in the table it came from) */
        uint32_t nrcat =
            by < NBY ? fold(c, by, c->id_notrec)
                     : intern_pair(c, fold(c, c->xa[by - NBY], c->id_notrec),
                                   fold(c, c->xb[by - NBY], c->id_notrec));
        uint8_t *open = hold(c, alloc(c, ncountries, 1)); /* 1: categories it
                                                   lacks are not known to be 0;
                                                   3: and they hold some of
                                                   its total */
        for (size_t k = 0; k < ncountries; k++) {
            uint32_t tg = find_group(c, countries[k], p, ind, B_TOTAL);
            const cmp_cell tot = c->cells[find_cell(c, tg, c->id_total)];
            uint32_t g = group_of(c, countries[k], p, ind, by);
            long long sum = 0, nsingle = 0;
            int unknown = 0, any = 0, sums = 0;
            size_t from = g < c->ngres ? c->gstart[g] : 0,
                   to = g < c->ngres ? c->gstart[g + 1] : 0;
            for (size_t j = from; j < to; j++) {
                const cmp_cell *x = &c->cells[c->gcell[j]];
                sum += x->value;
                unknown |= x->unknown;
                nsingle += x->unknown && x->single;
                sums |= x->unknown && !x->single;
                any = 1;
            }
            long long rem = tot.value - sum;
            /* an aggregate that gave no row of this breakdown does not
             * say it is all not recorded (read back from a table whose
             * cells of it were all hidden, it would) */
            open[k] = (c->groups[g].agg && (unknown || tot.unknown || rem)) ||
                      (!any && c->groups[tg].agg);
            /* the rows cannot add up to the total (its <5s are 1 to 4):
             * categories nobody here publishes hold the rest */
            long long tlo = tot.value + (tot.unknown && tot.single),
                      thi = tot.value + (tot.single ? 4 : 0),
                      slo = sum + nsingle, shi = sum + 4 * nsingle;
            if (open[k] &&
                (!any || (!(tot.unknown && !tot.single) && thi < slo) ||
                 (!sums && shi < tlo)))
                open[k] = 3;
            if (open[k]) continue;
            if ((!any) || (!unknown && !tot.unknown && rem > 0) ||
                (tot.unknown && !any)) {
                uint32_t ni = cell_of(c, g, nrcat);
                cmp_cell *nr = &c->cells[ni];
                if (!nr->exists) {
                    nr->exists = 1;
                    nr->value = 0;
                    nr->unknown = 0;
                }
                nr->value += any ? rem : tot.value;
                nr->unknown |= tot.unknown;
                nr->single = 0;
                if (!has_u32(cats, ncats, nrcat)) {
                    cats = grow(c, cats, &capcats, ncats + 1, sizeof *cats);
                    cats[ncats++] = nrcat;
                }
            }
        }
        sort_ctx = c;
        if (ncats) qsort(cats, ncats, sizeof *cats, cmp_name_q);
        cmp_table *t = &tables[ntables++];
        t->nrows = (int)ncats + 1;
        t->ncols = (int)ncols;
        t->row_ground = !with_all;
        t->col_ground = 0;
        t->by = by;
        t->cell = alloc(c, (size_t)t->nrows * ncols * sizeof *t->cell, 1);
        t->rest = NULL;
        t->open = NULL;
        for (size_t k = 0; k < ncols; k++) {
            uint32_t country = k < ncountries ? countries[k] : c->id_all;
            uint32_t g = group_of(c, country, p, ind, by);
            if (k == ncountries)
                c->groups[g].incomplete = (uint8_t)all_incomplete;
            for (size_t r = 0; r < ncats; r++) {
                uint32_t ci = cell_of(c, g, cats[r]);
                cmp_cell *x = &c->cells[ci];
                if (!x->exists) { /* a category this country lacks: 0,
                                     unknown when an aggregate leaves it out */
                    x->exists = 1;
                    x->value = 0;
                    x->unknown = k < ncountries && open[k];
                    x->single = 0;
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
        t->open = let_go(c, open); /* freed with the table */
    }
    if (ntables == 0) { /* totals only: one line, countries to ALL */
        cmp_table *t = &tables[ntables++];
        t->nrows = 1;
        t->ncols = (int)ncols;
        t->row_ground = !with_all;
        t->col_ground = 1;
        t->by = B_TOTAL;
        t->cell = alloc(c, ncols * sizeof *t->cell, 1);
        t->rest = NULL;
        t->open = NULL;
        for (size_t k = 0; k < ncountries; k++)
            t->cell[k] = find_cell(
                c, find_group(c, countries[k], p, ind, B_TOTAL), c->id_total);
        if (with_all) t->cell[ncountries] = all_total;
    }
    add_rests(c, tables, ntables, ind, p, countries, ncountries);
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
    if (c->o.suppress > 0) {
        suppress_tables(c, tables, ntables);
        suppress_lp(c, tables, ntables);
        if (c->o.standard_table) suppress_view(c, tables, ntables);
    }
    tables_free(tables);
    free(cats);
    c->tabs = NULL;
    c->cats = NULL;
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
    for (int i = 0; i < NBY + sort_ctx->nx; i++) {
        if (x->breakdown == by_name(sort_ctx, i)) bx = i;
        if (y->breakdown == by_name(sort_ctx, i)) byy = i;
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

static void finish(compare *c, const void *unused) {
    (void)unused;
    spread_buckets(c);
    resolve(c);
    /* indicator x period -> countries with a total */
    cmp_fin f = {0};
    strmap_init(&f.tk);
    strmap_init(&f.seen);
    c->fin = &f; /* freed if this fails */
    size_t ngroups = c->ngroups;
    for (size_t gi = 0; gi < ngroups; gi++) {
        cmp_group *g = &c->groups[gi];
        if (g->layer != 1 || g->by != B_TOTAL) continue;
        if (find_cell(c, (uint32_t)gi, c->id_total) == NONE ||
            !c->cells[find_cell(c, (uint32_t)gi, c->id_total)].exists)
            continue;
        unsigned char key[5];
        memcpy(key, &g->period, 4);
        key[4] = g->ind;
        int added;
        uint64_t *v = need(c, strmap_put(&f.tk, (const char *)key, 5, &added));
        if (added) {
            size_t n = f.ntk;
            f.lists = grow(c, f.lists, &f.captk, n + 1, sizeof *f.lists);
            f.lists[n] = NULL; /* before ntk counts it */
            f.nlist = grow(c, f.nlist, &f.capn, n + 1, sizeof *f.nlist);
            f.caplist = grow(c, f.caplist, &f.capc, n + 1, sizeof *f.caplist);
            f.tkp = grow(c, f.tkp, &f.cap_p, n + 1, sizeof *f.tkp);
            f.tki = grow(c, f.tki, &f.cap_i, n + 1, sizeof *f.tki);
            f.nlist[n] = f.caplist[n] = 0;
            f.tkp[n] = g->period;
            f.tki[n] = g->ind;
            *v = ++f.ntk;
        }
        size_t t = *v - 1;
        f.lists[t] = grow(c, f.lists[t], &f.caplist[t], f.nlist[t] + 1,
                          sizeof **f.lists);
        f.lists[t][f.nlist[t]++] = g->country;
    }
    /* countries per indicator, for the region's completeness */
    size_t nctry[NIND] = {0};
    for (size_t gi = 0; gi < ngroups; gi++) {
        const cmp_group *g = &c->groups[gi];
        if (g->layer != 1 || g->by != B_TOTAL) continue;
        unsigned char key[5];
        memcpy(key, &g->country, 4);
        key[4] = g->ind;
        int added;
        need(c, strmap_put(&f.seen, (const char *)key, 5, &added));
        nctry[g->ind] += (size_t)added;
    }
    for (size_t t = 0; t < f.ntk; t++)
        finish_one(c, f.tki[t], f.tkp[t], f.lists[t], f.nlist[t],
                   nctry[f.tki[t]]);
    fin_free(&f);
    c->fin = NULL;
    /* publish: only cells of tables built above (totals, and breakdowns
     * that were asked for and apply) */
    size_t cap = 0;
    for (size_t i = 0; i < c->ncells; i++) {
        const cmp_cell *x = &c->cells[i];
        const cmp_group *g = &c->groups[x->group];
        if (!x->exists || g->layer != 1) continue;
        if (!wants(c, g->ind, g->by)) continue;
        if (g->by == B_TOTAL && x->cat != c->id_total) continue;
        c->out = grow(c, c->out, &cap, c->nout + 1, sizeof *c->out);
        c->out[c->nout++] = (compare_cell){
            c->name[g->country],     c->name[g->period], ind_names[g->ind],
            by_name(c, g->by),       c->name[x->cat],    x->value,
            (compare_state)x->state, x->single,          g->incomplete};
    }
    sort_ctx = c;
    if (c->nout) /* qsort of NULL is undefined, even for no items */
        qsort(c->out, c->nout, sizeof *c->out, out_cmp);
    c->wide = alloc(c, (c->nout ? c->nout : 1) * sizeof *c->wide, 0);
    c->periods = alloc(c, (c->nout ? c->nout : 1) * sizeof *c->periods, 0);
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

const char *const *compare_findings(const compare *c, size_t *n) {
    *n = c->nfindings;
    return (const char *const *)c->findings;
}

void compare_hidden(const compare *c, long *primary, long *secondary,
                    long *unknown) {
    *primary = *secondary = *unknown = 0;
    for (size_t i = 0; i < c->nout; i++) {
        *primary += c->out[i].state == COMPARE_PRIMARY;
        *secondary += c->out[i].state == COMPARE_SECONDARY;
        *unknown += c->out[i].state == COMPARE_UNKNOWN;
    }
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

int compare_finish(compare *c) {
    return run_guarded(c, finish, NULL);
}
