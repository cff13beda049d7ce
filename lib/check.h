/*
 * check.h: runs a schema's plan over rows and yields findings. One checker
 * serves one schema across any number of input files: unique sets and
 * reference tables span them all.
 *
 * Ownership: the checker owns its findings; a finding's strings (value,
 * message) point into the checker's buffers or the current row and stay
 * valid only until the next check_header()/check_row() call.
 */
#ifndef RELEC_CHECK_H
#define RELEC_CHECK_H
#include "schema.h"
#include "source.h"

/* Finding codes: a contract (report columns, tests, other tools). */
#define CHECK_CODES                                                            \
    X(REQUIRED, "required")                                                    \
    X(TYPE, "type")                                                            \
    X(PATTERN, "pattern")                                                      \
    X(CODELIST, "codelist")                                                    \
    X(RANGE, "range")                                                          \
    X(LENGTH, "length")                                                        \
    X(UNIQUE, "unique")                                                        \
    X(FOREIGN_KEY, "foreign-key")                                              \
    X(RULE, "rule")                                                            \
    X(HEADER, "header")                                                        \
    X(ROW_SHAPE, "row-shape")                                                  \
    X(ENCODING, "encoding")

typedef enum check_code {
#define X(id, s) CHECK_##id,
    CHECK_CODES
#undef X
        CHECK_NCODES
} check_code;

typedef enum check_severity { CHECK_ERROR, CHECK_WARNING } check_severity;

/* One finding. */
typedef struct check_finding {
    long row;                /* spreadsheet row number (header = 1) */
    const char *field;       /* field or column name; "" for the whole row */
    const char *value;       /* offending value (not NUL-terminated); on a
                                personal field its mask unless shown */
    size_t vlen;             /* its length */
    check_code code;         /* what kind of breach */
    check_severity severity; /* error or warning */
    const char *message;     /* human sentence, lowercase, no full stop */
} check_finding;

typedef struct check check;

/* A checker for schema S (not owned; must outlive the checker). */
check *check_new(const schema *s);
void check_free(check *c);

/* Loads PATH as reference table TABLE (e.g. "incident") for the schema's
 * foreign keys: its key column and the columns rules read through it.
 * Returns 0, or -1 with a message in ERR. */
int check_load_ref(check *c, const char *table, const char *path,
                   const source_opts *opts, char *err, size_t errlen);

/* Names of referenced tables not loaded (for a note); NULL when all are. */
const char *check_missing_ref(const check *c);

/* Starts a new file: maps header cells to fields. Findings: header problems.
 * Returns the number of error findings (a missing required column makes
 * every row of the file a reject). */
int check_header(check *c, const source_row *hdr);

/* Whether ROW has the shape of a header of HDR_CELLS cells: NULL, or a
 * row-shape message (an unclosed quote, an empty row, a cell count that is
 * not the header's) written into BUF. check_row() and merge use it. */
const char *check_row_shape(const source_row *row, size_t hdr_cells, char *buf,
                            size_t len);

/* Checks one data row. Returns the number of error findings. */
int check_row(check *c, const source_row *row);

/* After the last row of a file: findings that need every row (a total that
 * its breakdowns cannot add up to, on the total's row), in batches. Call
 * until it returns 0; returns the number of findings of this batch (see
 * check_findings()). Files are judged one at a time: check_header() starts
 * afresh. */
int check_end(check *c);

/* Whether findings on `personal: true` fields carry their values (SHOW) or,
 * by default, a mask (mask.h) in the value and in the message. */
void check_show_personal(check *c, int show);

/* Checks files written by relec pseudonymise (ON): a personal text field
 * must hold a pseudonym (its own constraints and rules are not checked),
 * a personal date the year or month only, notes nothing; the columns clk
 * and blk1..blk9 are known. */
void check_pseudonymised(check *c, int on);

/* The value of FIELD as the checker took it from row ROW, the last
 * check_row(): the cell, or the part of it meant (the date of a date-time
 * cell, the month of a date cell where a month is asked); "" when the file
 * has no such column. -1 when the row's fields were not checked (an empty
 * or misshapen row): use the cell. */
int check_value(const check *c, long row, int field, const char **p, size_t *n);

/* Findings of the last check_header()/check_row()/check_end() call. */
const check_finding *check_findings(const check *c, size_t *n);

/* Column index in the current file for field F, or -1. */
int check_column(const check *c, int field);

/* Name of a code. */
const char *check_code_name(check_code code);

/* Whether a UTF-8 byte string is valid (and has no NUL); for tests. */
int check_utf8_valid(const char *p, size_t n);

#endif
