/*
 * link.h: record linkage for relec dedup: the `dedup:` section of a schema
 * (schemas/dedup.md is its reference) compiled into exact keys, blocking
 * keys and Fellegi-Sunter comparisons; rows added once (every compared
 * value normalised once per row, never per pair); candidate pairs from the
 * blocks scored on N threads; optional training of the u probabilities
 * on random pairs; clusters by union-find over the accepted pairs.
 *
 * Ownership: a link_config owns its names and levels (freed by
 * link_config_free); it keeps no pointer into the schema or the ydoc. A
 * link owns the prepared values of every row, its blocks, pairs and
 * clusters (freed by link_free); it points to its config, which must
 * outlive it. Cell values passed to link_add are copied.
 *
 * Cost: link_add is one norm_text per compared name (about 75 ns ASCII,
 * 9 us Perso-Arabic or Bengali: ICU) plus a name key; blocking is one hash
 * insert per row and key; scoring is linear in the candidate pairs, which
 * the blocking keys and the block cap (LINK_DEFAULT_MAX_BLOCK) keep near
 * linear in the rows.
 */
#ifndef RELEC_LINK_H
#define RELEC_LINK_H
#include "ydoc.h"
#include <stddef.h>
#include <stdint.h>

#define LINK_MAX_FIELDS 64          /* distinct fields a config may read */
#define LINK_MAX_CMP 16             /* comparisons per config */
#define LINK_MAX_LEVELS 8           /* levels per comparison, "else" included */
#define LINK_MAX_PARTS 4            /* parts of one blocking or exact key */
#define LINK_MAX_ARGS 4             /* fields joined into one value */
#define LINK_DEFAULT_MAX_BLOCK 5000 /* larger blocks are skipped */

/* How a compared value is prepared, once per row. */
typedef enum link_prep {
    LINK_PREP_NAME,   /* norm_text + variant key + sorted key */
    LINK_PREP_TEXT,   /* norm_text */
    LINK_PREP_ID,     /* norm_text without spaces (document numbers) */
    LINK_PREP_DIGITS, /* digits only (any script) */
    LINK_PREP_DATE,   /* YYYY-MM-DD or YYYYMMDD, any digits -> day number */
    LINK_PREP_NUMBER, /* a decimal number */
    LINK_PREP_AGE     /* a range of birth years: the year of a birth date,
                         else an age at a year (age_at) */
} link_prep;

/* The test of one comparison level. */
typedef enum link_test {
    LINK_T_EXACT,     /* prepared values equal */
    LINK_T_KEY,       /* variant-tolerant name keys equal, in order */
    LINK_T_SWAP,      /* name keys equal as sets of tokens (any order) */
    LINK_T_JW,        /* Jaro-Winkler >= arg */
    LINK_T_TOKEN_JW,  /* token Jaro-Winkler >= arg */
    LINK_T_DL,        /* Damerau-Levenshtein (OSA) distance <= arg */
    LINK_T_SOUNDEX,   /* Soundex codes of the first word equal */
    LINK_T_DATE_SWAP, /* day and month swapped, same year */
    LINK_T_DATE_YEAR, /* same day and month, years differ by <= arg */
    LINK_T_DAYS,      /* dates within arg days */
    LINK_T_MONTH,     /* dates: a side known to the month only (or a
                         placeholder day), same year and month */
    LINK_T_YEARS,     /* dates: a side known to the year only (or a
                         placeholder day), years differ by <= arg */
    LINK_T_NISBA,     /* name keys equal as sets of words once a final
                         -i/-y is dropped (Ahmad ~ Ahmadi) */
    LINK_T_KEY_JW,    /* word-order-free Jaro-Winkler of the name keys
                         >= arg (graded across scripts) */
    LINK_T_SUBSET,    /* every word of the shorter name key is in the
                         other (Akbar ~ Akbar Khan) */
    LINK_T_KEY_DL,    /* Damerau-Levenshtein (OSA) distance of the name
                         keys, spaces dropped, <= arg (Amirhossein ~ Amir
                         Hossein, Keim ~ Karim): a typo or a compound
                         written apart, not another name */
    LINK_T_WITHIN,    /* numbers within arg; birth-year ranges (prepare
                         age) whose gap is <= arg years */
    LINK_T_ELSE       /* anything else (the last level) */
} link_test;

/* One level of a comparison. */
typedef struct link_level {
    link_test test; /* what must hold */
    double arg;     /* threshold, distance, days or difference */
    double m, u;    /* P(level | same entity), P(level | different) */
    double w;       /* log2(m / u): the match weight of the level */
    int tf;         /* exact only: u is at least the share of rows with
                       the value (common names weigh less) */
    int veto;       /* the level blocks a link (a clear disagreement);
                       for dates only between two exact, non-placeholder
                       days; with link_cmp.scope only when both rows
                       share the scope value */
    char *label;    /* e.g. "jw>=0.92", for --explain */
} link_level;

/* One comparison: fields joined, prepared, tested level by level. */
typedef struct link_cmp {
    char *name;                /* column name in --explain */
    int fields[LINK_MAX_ARGS]; /* indexes into link_config.fields */
    int nfields;               /* how many (joined by a space) */
    link_prep prep;            /* preparation */
    char **nulls;              /* prepared values that count as missing */
    size_t nnulls;             /* entries in nulls */
    link_level levels[LINK_MAX_LEVELS]; /* first that holds wins */
    int nlevels;                        /* levels, the last is LINK_T_ELSE */
    int precision; /* dates: field giving day, month or year, or -1 */
    int scope;     /* field whose equal values a veto needs, or -1 */
    int age_at;    /* prepare age: field whose year (an ISO date or the
                      YYYY of CCC-YYYY-...) the age was given at, or -1 */
    int age_dob;   /* prepare age: the birth date field, whose year is
                      used when given (two rows with birth dates: not
                      compared here), or -1 */
} link_cmp;

/* Key functions of blocking and exact keys. */
typedef enum link_kfn {
    LINK_K_VALUE,    /* norm_text of the joined fields */
    LINK_K_ID,       /* norm_text without spaces */
    LINK_K_KEY,      /* variant-tolerant name key, tokens in order */
    LINK_K_SORTED,   /* the same, tokens sorted (swaps block together) */
    LINK_K_FIRST,    /* first token of the name key */
    LINK_K_SOUNDEX,  /* Soundex of the first word */
    LINK_K_DIGITS,   /* digits only */
    LINK_K_YEAR,     /* the year of a date */
    LINK_K_MONTHDAY, /* month and day of a date (year typos) */
    LINK_K_PREFIX,   /* first arg bytes of norm_text */
    LINK_K_DATESET,  /* a date with day and month in either order: a
                        day/month swap keeps the key */
    LINK_K_BORN,     /* born(DATE AGE AT [1]): the birth year (of DATE,
                        else AT's year - AGE) in two-year bins, shifted a
                        year with 1: two keys (0 and 1) put years within
                        one of each other in a common bin */
    LINK_K_INITIALS  /* first letters of the words of the sorted name
                        key ("khan muhammad" -> "km"): splits a block of
                        one birth date ~100 ways, yet holds through swaps,
                        romanisations, scripts and typos after the first
                        letter */
} link_kfn;

/* One part of a key: fn(field, ...). */
typedef struct link_kpart {
    link_kfn fn;               /* key function */
    int fields[LINK_MAX_ARGS]; /* indexes into link_config.fields */
    int nfields;               /* how many */
    int arg;                   /* LINK_K_PREFIX: bytes; LINK_K_BORN: shift */
} link_kpart;

/* A blocking key (rows sharing it are compared) or an exact key (rows
 * sharing it are the same entity). A row with an empty part has no key. */
typedef struct link_key {
    char *text;                       /* as written, for messages */
    link_kpart parts[LINK_MAX_PARTS]; /* joined */
    int nparts;                       /* how many */
    int exact;                        /* an exact key */
} link_key;

/* The compiled `dedup:` section. */
typedef struct link_config {
    char *fields[LINK_MAX_FIELDS]; /* names of the fields read, in order */
    int nfields;                   /* how many */
    link_key *keys;                /* exact keys first, then blocking keys */
    int nkeys;                     /* how many */
    link_cmp cmps[LINK_MAX_CMP];   /* comparisons */
    int ncmps;                     /* how many */
    double threshold;              /* accept a pair when its weight >= this */
    double threshold_rows;         /* > 0: threshold is for files of this
                                      many rows; larger files add
                                      log2(rows / threshold_rows) (0: off) */
    double prior;                  /* read and unused (it was EM's start;
                                      --train runs no EM now) */
    char *latest_by;               /* --keep latest: field to order by, or
                                      NULL for input order */
    int max_block;                 /* block size cap */
    double cluster_min;            /* two clusters join only when every
                                      pair across them weighs at least
                                      this and none is vetoed */
    double exact_min;              /* an exact key joins a pair weighing
                                      at least this (default cluster_min) */
} link_config;

/* Compile NODE (the value of `dedup:`) of DOC. KNOWN(name) says whether a
 * field exists (NULL: any name). Returns NULL with "PATH:LINE:COL: error:
 * ..." in ERR. */
link_config *link_config_parse(const ydoc *doc, const ydoc_node *node,
                               int (*known)(void *ctx, const char *name),
                               void *ctx, char *err, size_t errlen);
void link_config_free(link_config *c);

/* Recomputes every level's weight from m and u. */
void link_config_weights(link_config *c);

/* A linkage run. */
typedef struct link_ctx link_ctx;

/* A scored pair. */
typedef struct link_pair {
    uint32_t a, b;   /* row indexes, a < b */
    float weight;    /* total match weight */
    int8_t exact;    /* joined by exact key number exact-1, or 0 */
    int8_t accepted; /* weight >= threshold (not vetoed), or exact key */
    int8_t veto;     /* vetoed by comparison veto-1, or 0 */
    int8_t refused;  /* accepted, but its clusters disagree as wholes (a
                        pair across them vetoed or under cluster_min):
                        not joined */
} link_pair;

/* Where link_run reports its progress (only cmd/ prints). */
typedef struct link_prog {
    void (*fn)(void *ctx, int percent); /* percent of blocks scored, -1 at
                                           the end; at most once a second,
                                           from a scoring thread */
    void *ctx;                          /* its first argument */
} link_prog;

/* Options of link_run. */
typedef struct link_opts {
    int threads;          /* scoring threads (>= 1) */
    int train;            /* estimate u from random pairs before scoring */
    int keep_floor;       /* also keep pairs with weight >= floor */
    double floor;         /* see keep_floor */
    link_prog *progress;  /* scoring progress, or NULL */
    const uint32_t *same; /* per row an id (0: none), or NULL: compared pairs
                             of one id are counted (link_stats.same) */
} link_opts;

/* Run statistics. */
typedef struct link_stats {
    long rows;           /* rows added */
    long blocks;         /* non-trivial blocks (>= 2 rows) over all keys */
    long skipped_blocks; /* blocks over the cap, not compared */
    long skipped_rows;   /* rows in those blocks (with repeats) */
    long long compared;  /* pairs scored */
    long long accepted;  /* pairs accepted */
    long long vetoed;    /* pairs over the threshold but vetoed */
    long long refused;   /* accepted pairs not joined (cluster check) */
    long long same;      /* pairs scored of one link_opts.same id */
    long largest;        /* rows in the largest cluster */
    double threshold;    /* the threshold applied (threshold_rows) */
    double seconds_prepare, seconds_block, seconds_score; /* timings */
} link_stats;

link_ctx *link_new(const link_config *c, char *err, size_t errlen);
void link_free(link_ctx *L);

/* Adds a row: VALS[i] is the value of c->fields[i] (n may be 0). PRIOR:
 * the row comes from the registry, and pairs of two prior rows are not
 * compared (their clusters are given with link_join). Returns the row
 * index, or -1 when out of memory or over 2^31 rows. */
long link_add(link_ctx *L, const char *const *vals, const size_t *lens,
              int prior);

/* Joins two rows before the run (the registry's existing clusters). */
void link_join(link_ctx *L, long a, long b);

/* Blocks, (trains,) scores and clusters. 0, or -1 with ERR. */
int link_run(link_ctx *L, const link_opts *o, char *err, size_t errlen);

/* After link_run: the cluster root of row I (the smallest row index of
 * its cluster) and the best accepted weight joining it (NAN: none). */
long link_cluster(const link_ctx *L, long i);
double link_best(const link_ctx *L, long i);

/* After link_run: accepted pairs (and, with keep_floor, those above the
 * floor), sorted by (a, b). */
const link_pair *link_pairs(const link_ctx *L, size_t *n);

/* The level index of comparison C for pair (A, B), or -1 when a value is
 * missing; fills *W with the level weight (0 when missing). */
int link_level_of(const link_ctx *L, int c, long a, long b, double *w);

/* Whether level LV of comparison C (from link_level_of) vetoes pair
 * (A, B): a veto level, dates exact to the day on both sides and no
 * placeholder, and the scope values equal. */
int link_vetoes(const link_ctx *L, int c, int lv, long a, long b);

/* The prepared (normalised) value of comparison C in row I, for --explain. */
const char *link_prepared(const link_ctx *L, int c, long i);

const link_stats *link_get_stats(const link_ctx *L);
const link_config *link_get_config(const link_ctx *L);

#endif
