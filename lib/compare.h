/*
 * compare.h: cross-border comparison tables: indicator x country x period,
 * with breakdowns, totals and small-cell suppression, from incident and
 * person records or from aggregate files, or from the store's tables.
 *
 * Indicators are the aggregate codes of schemas/codes/indicator.yaml. From
 * incident rows (country = reporting_country, period = reporting_period):
 *   thb_incidents, som_incidents, document_fraud_cases: incidents of that
 *     offence type;
 *   thb_victims: victims_count of THB incidents;
 *   smuggled_migrants: smuggled_migrants_count (every incident);
 *   irregular_entries/exits/stays: irregular_migrants_count of
 *     IRREGULAR_ENTRY/EXIT/STAY incidents;
 *   suspects_arrested: suspects_count; migrant_deaths: deaths_count;
 *   persons_prosecuted: suspects_count of incidents whose case_stage is
 *     prosecuted, convicted or acquitted (the stage reached);
 *   persons_convicted: suspects_count of convicted incidents.
 * The counts of the incident are the totals. Person rows (joined to their
 * incident by incident_id; incidents must be fed first) give the sex, age
 * group (child: under 18, from age, else date_of_birth at the incident
 * date) and nationality breakdowns of victims (THB), smuggled migrants,
 * irregular migrants and suspects; what the counts hold beyond the person
 * rows is the category "not_recorded". An incident with more person rows
 * of a role than its count counts its person rows (the larger).
 * Offence type breakdown: the incident's; exploitation form: the
 * incident's exploitation_forms ("multiple" when it lists several).
 * A cross-tab A*B (compare_opts.cross) counts each person row (and each
 * aggregate row giving both columns) in category "a*b"; with an incident
 * breakdown, what the counts hold beyond the person rows is
 * "not_recorded*b"; an empty place is "not_recorded". Its margins are
 * the tables of A and B.
 *
 * From aggregate rows: the value as given; "<5" is kept as unknown, never
 * a number, and a sum that holds it is unknown too (shown ".."). Within
 * one period of an aggregate source the least detailed rows give each
 * table (a TOTAL row over its sex rows); two cuts are never added. A
 * table summed from rows that name more than its breakdown (sex from the
 * sex*age_group rows) is unknown ("..") unless those rows add up to the
 * total with no "<5": a table that left its hidden cells out lacks some.
 *
 * One number per cell (the rule of sop/data-standard.md): a month is the
 * country's records when it sent incident rows for that month (0 when
 * none counts), else its aggregate for the month; a quarter (year) is
 * the sum of its months (quarters) when all have a figure, else its own
 * aggregate, else the sum of those there are, flagged incomplete. A
 * quarter or year only its own aggregate gives is published as a period
 * of its own at a finer --period (without ALL). An aggregate that the
 * finer figure contradicts is a finding (compare_findings()). Prosecuted
 * and convicted count in the month of stage_date when given.
 *
 * Suppression (k > 0): cells 1..k-1 are primary ("<k"), and a source's
 * "<5" (or a sum holding one) is protected as they are; then secondary
 * cells ("x") are chosen over all tables of an indicator and period at
 * once (they share the country totals and the region column ALL): first
 * cycles of hidden cells in each two-way table (bridges of the bipartite
 * graph of lines), then the attacker's linear programme
 * (compare_audit.h) over every line (a cross-tab's too: its cells "a*b"
 * of one category a add up to its margin a, per country and in ALL), hiding the
 * cheapest visible cell on a line of each cell it still narrows (or, when the
 * <k marks alone narrow it, showing a <k margin of its line as x), until it
 * narrows none.
 *
 * Errors: nothing here prints or exits. A call that runs out of memory
 * (or past the 2^25 groups a table index packs) frees what it held and
 * returns -1; compare_error() then says ERRCLASS_MEMORY, and the compare
 * is good only for compare_free() (every later call returns -1).
 *
 * Ownership: the compare owns every string and cell; pointers returned by
 * compare_cells() stay valid until compare_free().
 */
#ifndef RELEC_COMPARE_H
#define RELEC_COMPARE_H
#include "errclass.h"
#include "source.h"
#include <stddef.h>

/* Period of the tables. */
enum { COMPARE_MONTH, COMPARE_QUARTER, COMPARE_YEAR };

/* Breakdowns (bits of compare_opts.by). */
enum {
    COMPARE_BY_SEX = 1u << 0,
    COMPARE_BY_AGE = 1u << 1,
    COMPARE_BY_NATIONALITY = 1u << 2,
    COMPARE_BY_OFFENCE = 1u << 3,
    COMPARE_BY_FORM = 1u << 4
};

/* Cross-tabs at most (compare_opts.cross). */
#define COMPARE_MAXCROSS 4

/* Record types fed. */
typedef enum compare_kind {
    COMPARE_INCIDENT,
    COMPARE_PERSON,
    COMPARE_AGGREGATE
} compare_kind;

/* What to build; zero-initialise for month tables, no breakdowns, no
 * suppression. */
typedef struct compare_opts {
    int period;          /* COMPARE_MONTH, _QUARTER or _YEAR */
    unsigned by;         /* COMPARE_BY_* bits */
    int suppress;        /* k: counts 1..k-1 are hidden; 0 = none */
    int with_persons;    /* person rows will follow: keep an incident index */
    int aggregate_codes; /* categories as the aggregate table's codes:
                            sex and age other/not recorded -> unknown */
    unsigned cross[COMPARE_MAXCROSS]; /* cross-tabs: two COMPARE_BY_* bits
                                         each (both also in by: the
                                         margins); 0 ends */
    int standard_table; /* the output is the standard's aggregate table
                           without the region (x, .., incomplete periods
                           and codeless categories left out): protect
                           also what a reader of that table can work out
                           taking its rows to add up where they can */
} compare_opts;

/* How a published cell is shown. */
typedef enum compare_state {
    COMPARE_SHOWN,     /* the number */
    COMPARE_PRIMARY,   /* under k: "<k" */
    COMPARE_SECONDARY, /* hidden so that a primary cell stays hidden: "x" */
    COMPARE_UNKNOWN    /* not known: a source gave "<5" ("<5" or "..") */
} compare_state;

/* One published cell. */
typedef struct compare_cell {
    const char *country;   /* reporting country, or "ALL" (the region) */
    const char *period;    /* YYYY-MM, YYYY-Qn or YYYY */
    const char *indicator; /* indicator code */
    const char *breakdown; /* total, sex, age_group, nationality,
                              offence_type, exploitation_form, ...; a
                              cross-tab "sex*age_group" */
    const char *category;  /* "total" for breakdown total; a cross-tab's
                              "female*child" */
    long long value;       /* the count (also when hidden) */
    compare_state state;   /* how it is shown */
    int single_unknown;    /* UNKNOWN and exactly one source "<5" */
    int incomplete;        /* months of the period are missing (for ALL:
                              or a country) */
} compare_cell;

/* Row accounting of one record type. */
typedef struct compare_counts {
    long rows;      /* rows fed */
    long counted;   /* rows in at least one table */
    long set_aside; /* aggregate rows superseded by other rows */
    long unmatched; /* persons whose incident was not fed */
    long no_fit;    /* persons whose role fits no indicator of their
                       incident (e.g. a victim of a SOM incident) */
    long bad;       /* rows with a value compare cannot read */
} compare_counts;

typedef struct compare compare;

/* A new compare, or NULL when out of memory. */
compare *compare_new(const compare_opts *o);
void compare_free(compare *c);

/* The class of the error that stopped C (ERRCLASS_NONE while none). */
errclass compare_error(const compare *c);

/* Test hook: the Nth allocation of compare.c from now fails (0: none).
 * Returns how many were still to go before this call (0: the last one
 * set has failed, or none was set). */
long compare_fail_alloc(long n);

/* The columns compare reads from a file of KIND (N of them). */
const char *const *compare_columns(compare_kind kind, size_t *n);

/* Starts a file of KIND: maps HDR's column names. -1 with ERR when a
 * column compare needs is missing. */
int compare_header(compare *c, compare_kind kind, const source_row *hdr,
                   char *err, size_t errlen);

/* Feeds one data row of the current file (rows assumed valid against the
 * schema; an unreadable value makes the row count as bad). 0, or -1 on
 * an error (compare_error()). */
int compare_row(compare *c, const source_row *row);

/* Feeds every row of the store's table of KIND (the store at PATH, made
 * by relec load) as compare_header() and compare_row() would get them from
 * the file: one narrow SELECT in load order (lib/compare_store.c).
 * WITH_IDS: incidents also give their id and date (person rows follow).
 * -1 with ERR when the store cannot be read or a column is missing, or
 * on an error of C (compare_error() says so; ERR "out of memory"). */
int compare_read_store(compare *c, const char *path, compare_kind kind,
                       int with_ids, char *err, size_t errlen);

/* The store's batches as "record type, file (in the store PATH), rows,
 * SHA-256" lines in *LINES (N of them; the caller frees each and the
 * array), for the workbook's About sheet. -1 with ERR. */
int compare_store_sources(const char *path, char ***lines, size_t *n, char *err,
                          size_t errlen);

/* Resolves levels, adds not_recorded and region cells, suppresses.
 * Call once, after every row. 0, or -1 on an error (compare_error()). */
int compare_finish(compare *c);

/* The published cells, sorted by indicator, period, breakdown, country
 * (ALL last) and category. */
const compare_cell *compare_cells(const compare *c, size_t *n);

/* The same cells sorted for wide tables: by indicator, breakdown,
 * country, category, then period. */
const compare_cell *compare_cells_wide(const compare *c, size_t *n);

/* The distinct periods of the cells, sorted. */
const char *const *compare_periods(const compare *c, size_t *n);

/* How many published cells are primary (<k), secondary (x) and unknown
 * from sources (<5, ..; protected as primary ones). */
void compare_hidden(const compare *c, long *primary, long *secondary,
                    long *unknown);

/* Accounting for KIND. */
const compare_counts *compare_counts_of(const compare *c, compare_kind kind);

/* Disagreements between sources (an aggregate and the records of its
 * month, the months of its quarter or the quarters of its year), one
 * sentence each showing both figures; valid until compare_free(). */
const char *const *compare_findings(const compare *c, size_t *n);

/* The text of a cell: "12", "<5", "x" or "..". BUF of 32 bytes. */
const char *compare_format(const compare *c, const compare_cell *cell,
                           char buf[32]);

/* Name of a breakdown bit, and its parse ("sex" -> COMPARE_BY_SEX; 0 when
 * unknown). */
unsigned compare_breakdown_parse(const char *name, size_t n);

#endif
