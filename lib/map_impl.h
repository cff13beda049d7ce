/*
 * map_impl.h: what the map compiler (map_compile.c: map YAML to a compiled
 * map) and the mapper (map_row.c: one row to one row) share; not for other
 * modules, which use map.h.
 *
 * Ownership: as in map.h; every pointer field below says what owns it.
 */
#ifndef RELEC_MAP_IMPL_H
#define RELEC_MAP_IMPL_H
#include "buf.h"
#include "fold.h"
#include "map.h"
#include "strmap.h"
#include "ydoc.h"

#include <stdint.h>

#define MAP_MASKED SIZE_MAX /* fvoff of a finding whose value is a mask */

/* Where a rule's raw value comes from. */
enum { SRC_NONE, SRC_COLUMN, SRC_CONST, SRC_TEMPLATE };
/* What is done to the raw value. */
enum { CONV_NONE, CONV_RECODE, CONV_COUNTRY, CONV_DATE, CONV_INTEGER };
/* What happens to a value the conversion cannot place. */
enum { UNPLACED_REJECT, UNPLACED_KEEP, UNPLACED_EMPTY };
/* Template parts. */
enum { PART_LIT, PART_COL, PART_FIELD, PART_ROW, PART_SOURCE };
/* Template modifiers. */
enum { MOD_NONE, MOD_YEAR, MOD_MONTH, MOD_UPPER, MOD_ID };

/* strmap value for a label that more than one code claims. */
#define AMBIGUOUS UINT64_MAX

/* One piece of a template. */
typedef struct map_part {
    int kind;   /* PART_* */
    int mod;    /* MOD_* */
    char *lit;  /* PART_LIT: the text (owned) */
    size_t len; /* its length */
    int idx;    /* PART_COL: column slot; PART_FIELD: field index */
} map_part;

/* A recode table: folded labels to codes. */
typedef struct map_table {
    char *name;    /* name in recodes:, or "field NAME" for inline ones */
    strmap keys;   /* folded label -> index + 1 into map.vals, or AMBIGUOUS */
    int explicit_; /* 1 once entries of the map itself are in */
} map_table;

/* How one standard field is filled. */
typedef struct map_rule {
    int field;        /* target field index in the schema */
    int line, col;    /* where the map defines it */
    int src;          /* SRC_* */
    int colslot;      /* SRC_COLUMN: index into map.cols */
    char *constant;   /* SRC_CONST: the value (owned) */
    map_part *parts;  /* SRC_TEMPLATE: pieces (owned) */
    size_t nparts;    /* entries in parts */
    int conv;         /* CONV_* */
    map_table *table; /* CONV_RECODE: the table (owned by map.tables) */
    const schema_codelist *codes; /* the field's code list, or NULL */
    char date_fmt[32];            /* CONV_DATE: a cal_parse_date_fmt format */
    char split[8];   /* source list separators; "" = a single value */
    char join;       /* separator of the standard list field */
    int digits;      /* non-ASCII digits to ASCII (dates, integers: on) */
    int unplaced;    /* UNPLACED_* */
    char *dflt;      /* value when empty or unknown (owned); NULL = none */
    char **unknown;  /* extra folded unknown markers (owned) */
    size_t nunknown; /* entries in unknown */
    char *msg;       /* finding message for an unplaced value (owned) */
    int intcodes;    /* integer field with a recode: labels give counts
                        or the field's allow: literals ("<5"); other
                        values are read as whole numbers */
    struct map_vcache *vc; /* SRC_COLUMN: raw value -> mapped value (owned,
                              allocated on first use) */
} map_rule;

/* A source column the map reads. */
typedef struct map_col {
    char *name;    /* as written in the map (owned) */
    char *folded;  /* folded, for header matching (owned) */
    int line, col; /* first place the map names it */
    int idx;       /* column index in the current file; -1 = absent */
} map_col;

struct map {
    char *path;            /* map file as given (owned) */
    ydoc *doc;             /* the parsed map, kept for positions */
    schema *s;             /* target schema (owned) */
    int validate;          /* validate: true */
    int unplaced;          /* default UNPLACED_* */
    map_rule *rules;       /* evaluation order: columns/constants, templates */
    size_t nrules;         /* entries in rules */
    int *rule_of;          /* field index -> rule index, or -1 */
    map_col *cols;         /* columns read */
    size_t ncols;          /* entries in cols */
    map_table **tables;    /* recode tables (owned) */
    size_t ntables;        /* entries in tables */
    strmap unknown;        /* folded global unknown markers */
    size_t unk_max;        /* longest marker in bytes, before folding * 4 */
    strmap countries;      /* folded name/alpha-2/alpha-3 -> vals index + 1 */
    int have_countries;    /* countries loaded */
    char **vals;           /* code strings the tables point at (owned) */
    size_t nvals, capvals; /* use and size */
    strmap valset;         /* code string -> vals index + 1 (dedup) */
    size_t maxval;         /* longest code in bytes */
    /* per file */
    char *source; /* {#source}: file name without directory (owned) */
    /* per row, reused */
    char *buf;               /* mapped values */
    size_t blen, bcap;       /* use and size */
    size_t *off, *len;       /* per field: value offset and length in buf */
    source_cell *cells;      /* per field, built at the end of map_row */
    buf reason;              /* reject reason */
    check_finding *finds;    /* findings of the row */
    size_t *fvoff;           /* per finding: value offset in buf + 1, 0 when
                                the value points into the row, or
                                MAP_MASKED: the value is a mask, after the
                                message in mbuf */
    size_t *fmoff;           /* per finding: message offset in mbuf */
    char *mbuf;              /* finding messages of the row */
    size_t mlen, mcap;       /* use and size */
    size_t nfinds, capfinds; /* use and size */
    long row;                /* current row number */
    int show_personal;       /* findings keep personal values */
    fold_ctx *fold;          /* label folds (lib/fold.h); NULL until needed */
    char digits[64];         /* scratch for a date or number in ASCII digits */
};

/* A recode table's value as looked up: the explicit mark (bit 62, set on
 * the labels the map itself gives) stripped. */
static inline uint64_t map_slot_val(uint64_t v) {
    return v == AMBIGUOUS ? v : (v & ~(1ull << 62));
}

/* Whether S is a code an integer field's recode may give: a whole number
 * or one of the field's allow: literals. */
int map_int_code_ok(const schema_field *f, const char *s, size_t n);

/* Whether P[0..N) is a whole number, with an optional sign. */
int map_is_integer(const char *p, size_t n);

#endif
