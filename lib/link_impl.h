/*
 * link_impl.h: the inside of a link, shared by link.c (config, rows,
 * comparison) and link_run.c (blocks, scoring, EM, clusters). Not for
 * other modules.
 *
 * Ownership: as link.h: the link owns everything here except cfg.
 */
#ifndef RELEC_LINK_IMPL_H
#define RELEC_LINK_IMPL_H
#include "link.h"
#include "normalize.h"
#include "strmap.h"

#define LINK_TEXT_MAX 256          /* prepared values are cut to 255 bytes */
#define LINK_NONE UINT32_MAX       /* row has no block for a key */
#define LINK_NO_DATE (-1e300)      /* a date that did not parse */
#define LINK_TF_MIN_COUNT 10       /* values rarer than this get no tf */

/* The prepared value of one comparison in one row (16 bytes). */
typedef struct link_val {
    uint32_t off;    /* arena offset: norm NUL key NUL sorted NUL */
    uint8_t nn;      /* length of the normalised text */
    uint8_t nk;      /* length of the name key (names only) */
    uint8_t ns;      /* length of the sorted key (names only) */
    uint8_t present; /* 0: missing (empty, null value, bad date) */
    double num;      /* dates: day number; numbers: value; text with a
                        tf level: share of rows with this value */
} link_val;

/* A block: rows [start, start+n) of a key's member array. */
struct link_ctx {
    const link_config *cfg;  /* the section as parsed (not owned) */
    link_config trained;     /* shallow copy whose cmps EM may change */
    norm_ctx *norm;          /* ICU context, used by link_add only */
    size_t nrows, rcap;      /* rows added, capacity of the arrays */
    size_t nprior;           /* rows from the registry */
    link_val *vals;          /* nrows * ncmps prepared values */
    uint8_t *prior;          /* per row: from the registry */
    char *arena;             /* prepared strings */
    size_t alen, acap;       /* arena use and size (< 4 GiB) */
    strmap *keymaps;         /* per key: key text -> block number (freed
                                after blocking) */
    uint32_t **block_of;     /* per key, per row: block number or LINK_NONE */
    uint32_t **bstart;       /* per key: CSR block starts (nblocks + 1) */
    uint32_t **members;      /* per key: rows ordered by block */
    size_t *nblocks;         /* per key: block count */
    uint32_t *parent;        /* union-find parent per row */
    float *best;             /* best accepted weight per row (NAN none) */
    link_pair *pairs;        /* kept pairs, sorted */
    size_t npairs;           /* how many */
    uint32_t (*joins)[2];    /* link_join calls before the run */
    size_t njoins, jcap;     /* how many, capacity */
    link_stats stats;        /* figures */
    char t0[1024];           /* scratch: joined raw value */
    char t1[LINK_TEXT_MAX];  /* scratch: prepared value */
    char kbuf[1024];         /* scratch: block key */
};

#endif
