/*
 * link_impl.h: the inside of a link, shared by link.c (config, rows,
 * comparison) and link_run.c (blocks, scoring, training, clusters). Not for
 * other modules.
 *
 * Ownership: as link.h: the link owns everything here except cfg.
 */
#ifndef RELEC_LINK_IMPL_H
#define RELEC_LINK_IMPL_H
#include "link.h"
#include "normalize.h"
#include "strmap.h"

#define LINK_TEXT_MAX 256     /* prepared values are cut to 255 bytes */
#define LINK_NONE UINT32_MAX  /* row has no block for a key */
#define LINK_NO_DATE (-1e300) /* a date that did not parse */
#define LINK_DAY 0            /* link_val.nk of a date: known to the day */
#define LINK_MONTH 1          /* ... to the month */
#define LINK_YEAR 2           /* ... to the year */
/* A day of the year (MMDD) is a placeholder (year-only dates stored as
 * YYYY-01-01) when more than LINK_PLACEHOLDER_X times its share of a
 * uniform spread of LINK_PLACEHOLDER_MIN or more dated rows carry it. */
#define LINK_PLACEHOLDER_X 4.0
#define LINK_PLACEHOLDER_MIN 5
#define LINK_CHECK_MAX                                                         \
    4096 /* cluster check: pairs across two clusters at                        \
            most (more: the link is refused) */
/* Term frequency: the u of a tf level for value v is
 *   (rows with v other than this one + LINK_TF_PRIOR_ROWS * u_level)
 *   / (rows with a value + LINK_TF_PRIOR_ROWS),
 * the share of v in the file pulled towards the level's own u as if the
 * file had LINK_TF_PRIOR_ROWS more rows. In a file of 40 rows a name met
 * twice says little (u stays near the level's); in a file of a million
 * rows "muhammad khan" (7,500 rows) weighs 6 bits and a name met twice 17,
 * which is what lets a rare name with age and nationality join two records
 * without birth date or father's name. */
#define LINK_TF_PRIOR_ROWS 1000.0
#define LINK_U_PAIRS 1000000L /* --train: random pairs for u */
#define LINK_U_MIN_PAIRS 100  /* fewer with a value: the schema's u */

/* The prepared value of one comparison in one row (16 bytes). */
typedef struct link_val {
    uint32_t off;    /* arena offset: norm NUL key NUL sorted NUL */
    uint8_t nn;      /* length of the normalised text */
    uint8_t nk;      /* length of the name key (names); precision of a
                        date (LINK_DAY...); an age has its year (1) */
    uint8_t ns;      /* length of the sorted key (names); a date on a
                        placeholder day (1) */
    uint8_t present; /* 0: missing (empty, null value, bad date) */
    double num;      /* dates: day number (of the first day known);
                        numbers: value; ages: the latest birth year */
} link_val;

/* A block: rows [start, start+n) of a key's member array. */
struct link_ctx {
    const link_config *cfg; /* the section as parsed (not owned) */
    link_config trained;    /* shallow copy whose cmps --train changes */
    norm_ctx *norm;         /* ICU context, used by link_add only */
    size_t nrows, rcap;     /* rows added, capacity of the arrays */
    size_t nprior;          /* rows from the registry */
    link_val *vals;         /* nrows * ncmps prepared values */
    uint8_t *prior;         /* per row: from the registry */
    char *arena;            /* prepared strings */
    size_t alen, acap;      /* arena use and size (< 4 GiB) */
    strmap *keymaps;        /* per key: key text -> block number (freed
                               after blocking) */
    uint32_t **block_of;    /* per key, per row: block number or LINK_NONE */
    uint32_t **bstart;      /* per key: CSR block starts (nblocks + 1) */
    uint32_t **members;     /* per key: rows ordered by block */
    size_t *nblocks;        /* per key: block count */
    uint32_t *parent;       /* union-find parent per row */
    float *best;            /* best accepted weight per row (NAN none) */
    link_pair *pairs;       /* kept pairs, sorted */
    size_t npairs;          /* how many */
    uint32_t (*joins)[2];   /* link_join calls before the run */
    size_t njoins, jcap;    /* how many, capacity */
    link_stats stats;       /* figures */
    double tfden[LINK_MAX_CMP];     /* per comparison with a tf level: rows with
                                       a value + LINK_TF_PRIOR_ROWS */
    float *tfc;                     /* nrows * ncmps: other rows with the value
                                       (comparisons with a tf level) */
    uint32_t *scopeh[LINK_MAX_CMP]; /* per comparison with a scope: per row
                                       the hash of the scope value, 0 none */
    char t0[1024];                  /* scratch: joined raw value */
    char t1[LINK_TEXT_MAX];         /* scratch: prepared value */
    char kbuf[1024];                /* scratch: block key */
};

#endif
