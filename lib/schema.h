/*
 * schema.h: a record type's fields, code lists and rules, loaded once from
 * YAML (schemas/README.md is the language's reference) and compiled into a
 * plan the checker runs per row: patterns compiled with PCRE2 JIT, code
 * lists hashed, rules resolved to field indexes.
 *
 * Ownership: a schema owns everything it points to (names, code lists,
 * compiled patterns); all of it lives until schema_free(). The exception:
 * a code list read from a file (codes/NAME.yaml) is held by a process-wide
 * cache, marked `shared`, read-only and shared by every schema that names
 * it; it lives until the process ends.
 */
#ifndef RELEC_SCHEMA_H
#define RELEC_SCHEMA_H
#include "lang.h"
#include "ydoc.h"
#include <stddef.h>

/* Field types. */
typedef enum schema_type {
    SCHEMA_STRING,
    SCHEMA_INTEGER,
    SCHEMA_NUMBER,
    SCHEMA_DATE,    /* ISO 8601 YYYY-MM-DD, a real calendar day */
    SCHEMA_BOOLEAN, /* true or false */
    SCHEMA_CODE,    /* one code of a code list */
    SCHEMA_LIST,    /* codes joined by a separator */
    SCHEMA_PERIOD   /* YYYY-MM, YYYY-Qn or YYYY, as allowed */
} schema_type;

/* Period granularities a period field accepts (bits). */
enum {
    SCHEMA_PERIOD_MONTH = 1,
    SCHEMA_PERIOD_QUARTER = 2,
    SCHEMA_PERIOD_YEAR = 4
};

/* Precisions a date field accepts (bits): a full day YYYY-MM-DD, a month
 * YYYY-MM, a year YYYY (`precision: [day, month, year]`; default day). */
enum { SCHEMA_DATE_DAY = 1, SCHEMA_DATE_MONTH = 2, SCHEMA_DATE_YEAR = 4 };

/* A code list: codes with labels and optional attributes, hashed. */
typedef struct schema_codelist {
    char *name;      /* list name, e.g. "relec_country" */
    char *title;     /* one-line description; may be NULL */
    size_t ncodes;   /* number of codes */
    char **codes;    /* the codes, in file order */
    char **labels;   /* English label per code; entries may be NULL */
    char **tlabels;  /* translated labels (`labels: {ur: ...}`): code K in
                        language L at [K * LANG_COUNT + L], NULL where
                        untranslated; NULL when the list has none */
    char **parents;  /* "parent" attribute per code (ISO 3166-2 country);
                        NULL when the list has none */
    unsigned iso;    /* iso-codes domains whose gettext catalogues
                        translate the English labels (LANG_ISO_* bits,
                        from `translations:`); 0 for none */
    unsigned *slots; /* open-addressing hash: code index + 1, 0 empty */
    size_t nslots;   /* power of two, at least 2 * ncodes */
    size_t *lens;    /* byte length of each code, so that a lookup
                        compares lengths, then memcmp: no strlen */
    int shared;      /* read from a code list file and held by the
                        process-wide cache: read-only, shared by every
                        schema naming it, never freed by schema_free */
} schema_codelist;

/* Named check-digit checks. */
typedef enum schema_digit_check {
    SCHEMA_CHECK_NONE,
    SCHEMA_CHECK_IRAN_NATIONAL_CODE, /* 10 digits, mod-11 check digit */
    SCHEMA_CHECK_CNIC                /* province 1-7, last digit by sex */
} schema_digit_check;

/* What a field, or a rule's "then", requires of a value. */
typedef struct schema_constraint {
    int has_min, has_max;     /* whether min/max apply */
    double min, max;          /* bounds (integers, numbers) */
    char min_date[11];        /* "YYYY-MM-DD" lower bound, or "" */
    char max_date[11];        /* upper bound, or "" */
    long min_len, max_len;    /* length bounds in characters; -1 = none */
    void *pattern;            /* pcre2_code *, JIT-compiled; NULL = none */
    char *pattern_src;        /* the pattern as written, for messages */
    schema_digit_check check; /* check-digit algorithm, if any */
    int check_sex_field;      /* CNIC: field index of sex, or -1 */
} schema_constraint;

/* Foreign key: this field's value must be a key of another table. */
typedef struct schema_ref {
    char *table; /* referenced record type, e.g. "incident" */
    char *field; /* its key field, e.g. "incident_id" */
} schema_ref;

/* One column of the record type. */
typedef struct schema_field {
    char *name;        /* field name, the column header */
    char *description; /* for templates and --help; may be NULL */
    char *hint;        /* the form a value takes, in words ("a month,
                          YYYY-MM"), said instead of a pattern; or NULL */
    char *example;     /* a value as the SOP writes it; may be NULL */
    char *descriptions[LANG_COUNT]; /* description per language
                                       (`descriptions: {ur: ...}`); NULL
                                       where untranslated (and for en) */
    char *hints[LANG_COUNT];        /* hint per language, likewise */
    schema_type type;               /* value type */
    int required;                   /* must be non-empty */
    int unique;                     /* no two rows share a value */
    int personal; /* personal data: pseudonymise before sharing */
    const schema_codelist *codes; /* CODE and LIST: the list (owned by the
                                     schema's codelist table) */
    char separator;               /* LIST: separator, default ';' */
    unsigned periods;             /* PERIOD: SCHEMA_PERIOD_* bits */
    unsigned precisions;          /* DATE: SCHEMA_DATE_* bits (day only
                                     unless the schema says more) */
    char **allow;                 /* extra literal values accepted ("<5") */
    size_t nallow;                /* entries in allow */
    schema_constraint c;          /* bounds, length, pattern, check digits */
    schema_ref *ref;              /* foreign key; NULL = none */
    long suppress_below;          /* K > 1: a count 1 to K-1 must be
                                     written "<K" (0 stays 0); 0 = none */
    int line;                     /* 1-based line in the schema file */
} schema_field;

/* A value a rule reads: a field, optionally transformed. */
typedef struct schema_operand {
    int field;       /* field index; -1 = none */
    int prefix;      /* > 0: only the first PREFIX characters */
    int period_end;  /* the last day of the period in the field */
    int parent;      /* the code's "parent" attribute (ISO 3166-2 country) */
    int via;         /* >= 0: FIELD names a column of the table that field
                        VIA references; the value is looked up there */
    char *via_field; /* with via: the referenced table's column name */
    int ref_slot;    /* with via: index into the reference's carried columns */
} schema_operand;

/* Comparison operators of compare rules. */
typedef enum schema_op {
    SCHEMA_OP_EQ,
    SCHEMA_OP_NE,
    SCHEMA_OP_LT,
    SCHEMA_OP_LE,
    SCHEMA_OP_GT,
    SCHEMA_OP_GE,
    SCHEMA_OP_AGE /* left age in years agrees with the years from right (a
                     date of birth) to AT, within TOLERANCE */
} schema_op;

/* A cross-field rule: "when ... then ..." or "compare". */
typedef struct schema_rule {
    char *id;      /* short name, shown in findings */
    char *message; /* what a breach means, in the analyst's words */
    char *messages[LANG_COUNT]; /* message per language (`messages: {ur:
                                   ...}`); NULL where untranslated */
    int when_field;             /* condition field, or -1 for always */
    char **when_in;             /* condition: value is one of these ... */
    size_t nwhen;               /* ... entries */
    int when_negate;            /* not_in instead of in */
    int when_present;           /* condition: the field is non-empty */
    int then_field;         /* field the consequence applies to; -1 = compare */
    int then_required;      /* consequence: non-empty */
    int then_empty;         /* consequence: empty */
    schema_constraint then; /* consequence: bounds, pattern, check digits */
    int then_has_codes;     /* consequence: value in then_codes */
    char **then_codes;      /* allowed values */
    size_t nthen_codes;     /* entries in then_codes */
    schema_operand left, right, at; /* compare operands (at: for AGE) */
    schema_op op;                   /* compare operator */
    double tolerance;               /* AGE: allowed difference in years */
    int line;                       /* 1-based line in the schema file */
} schema_rule;

/* A referenced table the checker must load: its key and carried columns. */
typedef struct schema_reftable {
    char *table;    /* record type name */
    char *key;      /* key column */
    char **carry;   /* columns rules read through "via" */
    size_t ncarry;  /* entries in carry */
    int from_field; /* field of this schema holding the key */
} schema_reftable;

/* The table's key (`key:`): no two rows share the values of these fields,
 * an empty cell counting as its field's default (so that an empty
 * border_type and an explicit "total" are the same key). */
typedef struct schema_key {
    int *fields;     /* field indexes, in key order */
    char **defaults; /* per key field: what an empty cell stands for, or
                        NULL (empty is then a value of its own) */
    size_t n;        /* key fields; 0 = the schema has no key */
    int line;        /* 1-based line of `key:` in the schema file */
} schema_key;

/* Breakdowns that add up to their total row (`sums:`): for each breakdown
 * field, the rows that differ from a total row only in that field add up to
 * it. Every breakdown field is a key field. */
typedef struct schema_sums {
    int value;     /* the count field summed; -1 = no sums */
    int *fields;   /* breakdown fields */
    char **totals; /* per breakdown field: the code of its total row */
    size_t n;      /* breakdown fields */
} schema_sums;

/* A loaded schema. */
typedef struct schema {
    char *path;              /* file it came from */
    char *name;              /* record type, e.g. "incident" */
    char *version;           /* schema version string */
    char *title;             /* one line */
    schema_field *fields;    /* fields in schema order */
    size_t nfields;          /* number of fields */
    schema_rule *rules;      /* cross-field rules */
    size_t nrules;           /* number of rules */
    schema_codelist **lists; /* every code list loaded (owned) */
    size_t nlists;           /* number of lists */
    schema_reftable *refs;   /* tables referenced by foreign keys */
    size_t nrefs;            /* number of referenced tables */
    schema_key key;          /* the table's composite key, if any */
    schema_sums sums;        /* breakdowns that add up, if any */
    ydoc *doc;               /* the schema file, kept for sections other
                                modules read (dedup:) */
} schema;

/* Load and compile PATH. On error returns NULL and writes
 * "PATH:LINE:COL: error: message" to ERR. */
schema *schema_load(const char *path, char *err, size_t errlen);
void schema_free(schema *s);

/* Field index by name, or -1. */
int schema_field_index(const schema *s, const char *name, size_t n);

/* Index of CODE in LIST, or -1. */
long schema_code_find(const schema_codelist *list, const char *code, size_t n);

/* A code list by name, loading schemas/codes/NAME.yaml beside the schema if
 * not loaded yet; NULL if none. */
const schema_codelist *schema_codelist_get(schema *s, const char *name);

/* TR[LANG] when translated, else EN (the English text, may be NULL):
 * schema_tr(f->hints, f->hint, lang_messages()). */
const char *schema_tr(char *const *tr, const char *en, int lang);

/* The label of code K of L in language LANG (its `labels:`, else for a
 * list with `translations:` iso-codes' name, lang_iso_name()), else its
 * English label (NULL when it has none). */
const char *schema_label(const schema_codelist *l, size_t k, int lang);

/* Name of a type, for messages. */
const char *schema_type_name(schema_type t);

/* Check-digit algorithms, exposed for tests and for merge. Return 1 valid. */
int schema_iran_code_valid(const char *s, size_t n);
int schema_cnic_valid(const char *s, size_t n, const char *sex, size_t nsex);

#endif
