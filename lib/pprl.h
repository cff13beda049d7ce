/*
 * pprl.h: privacy-preserving record linkage. Keyed pseudonyms of personal
 * values (for one owner's files), and for linkage between owners who share
 * a second key: cryptographic long-term key (CLK) Bloom-filter encodings
 * of a person's names, father's name, birth date and document number
 * (Schnell, Bachteler and Reiher 2009 and 2011, as anonlink does), keyed
 * blocking keys, and linkage of encoded rows by Dice similarity. See
 * sop/data-protection.md for the design, its hardening and its limits.
 *
 * Ownership: a pprl encoder owns copies of its keys (wiped at pprl_free)
 * and a normaliser context; a pprl_link owns the encodings added to it.
 * Neither is thread-safe.
 */
#ifndef RELEC_PPRL_H
#define RELEC_PPRL_H
#include <stddef.h>
#include <stdint.h>

#define PPRL_CLK_BITS 1024 /* bits of one CLK */
#define PPRL_CLK_BYTES (PPRL_CLK_BITS / 8)
#define PPRL_CLK_B64 176   /* room for a CLK in base64 (172) and the NUL */
#define PPRL_PSEUDO_LEN 36 /* "ps1-" and 32 hex digits */
#define PPRL_NBLOCKS 9     /* blocking keys per row */
#define PPRL_BLOCK_LEN 16  /* hex digits of one blocking key */

/* How a personal field is normalised and encoded. */
typedef enum pprl_kind {
    PPRL_NAME, /* a name: romanisation skeleton (normalize.h) */
    PPRL_DATE, /* a date (YYYY-MM-DD, YYYYMMDD, YYYY-MM, YYYY) */
    PPRL_TEXT  /* anything else: document numbers, addresses */
} pprl_kind;

/* What a field is for linkage (the standard's names; FEBRL's aliases). */
typedef enum pprl_role {
    PPRL_ROLE_NONE,
    PPRL_ROLE_FAMILY, /* family_name, surname */
    PPRL_ROLE_GIVEN,  /* given_name */
    PPRL_ROLE_FATHER, /* father_name */
    PPRL_ROLE_DOB,    /* date_of_birth */
    PPRL_ROLE_ID,     /* id_document_number, soc_sec_id */
    PPRL_NROLES
} pprl_role;

typedef struct pprl pprl;

/* An encoder with the owner's KEY (32 bytes) and, for linkage encodings,
 * the LINK_KEY (32 bytes; NULL = none). NULL with ERR on failure. */
pprl *pprl_new(const unsigned char *key, const unsigned char *link_key,
               char *err, size_t errlen);
void pprl_free(pprl *p);

/* The kind and role of a field by its name and whether it is a date. */
pprl_kind pprl_kind_of(const char *field, int is_date);
pprl_role pprl_role_of(const char *field);

/* Writes the pseudonym of V (N bytes) of FIELD into OUT (PPRL_PSEUDO_LEN +
 * 1 bytes): "ps1-" and 32 hex digits of a keyed BLAKE2b of the field name
 * and the normalised value. An empty value (after normalisation: a
 * name of punctuation only) gives "" (returns 0). Returns the length, or
 * (size_t)-1 when normalisation fails. */
size_t pprl_pseudonym(pprl *p, const char *field, pprl_kind kind, const char *v,
                      size_t n, char *out);

/* Whether V (N bytes) has the form of a pseudonym. */
int pprl_is_pseudonym(const char *v, size_t n);

/* One row's linkage encoding, built field by field. */
typedef struct pprl_rec {
    uint8_t clk[PPRL_CLK_BYTES]; /* the CLK */
    char key[PPRL_NROLES][256];  /* per role: name skeleton / digits */
} pprl_rec;

/* Starts R (clears it). */
void pprl_rec_begin(pprl_rec *r);

/* Adds V (N bytes) of FIELD (kind KIND, role ROLE) to R. Returns 0, -1
 * when normalisation fails. Needs a link key. */
int pprl_rec_add(pprl *p, pprl_rec *r, const char *field, pprl_kind kind,
                 pprl_role role, const char *v, size_t n);

/* The CLK of R as base64 (PPRL_CLK_B64 bytes with the NUL). */
void pprl_rec_clk(const pprl_rec *r, char *out);

/* Blocking key I (0 .. PPRL_NBLOCKS-1) of R as PPRL_BLOCK_LEN hex digits
 * (OUT needs PPRL_BLOCK_LEN + 1), keyed with the link key; "" (returns
 * 0) when R lacks what the key needs. */
size_t pprl_rec_block(pprl *p, const pprl_rec *r, int i, char *out);

/* The CLK's segments, one per kind of field (a record-level Bloom filter
 * built of field segments; Durham et al. 2014). */
enum {
    PPRL_SEG_NAME,   /* given and family names: bits 0-383 */
    PPRL_SEG_FATHER, /* father's name: 384-575 */
    PPRL_SEG_YEAR,   /* year of birth: 576-639 */
    PPRL_SEG_DAY,    /* month and day of birth, the whole date: 640-767 */
    PPRL_SEG_ID,     /* document number: 768-895 */
    PPRL_SEG_OTHER,  /* other personal text (addresses): 896-1023 */
    PPRL_NSEGS
};

/* Dice coefficient of two CLKs: 2|A and B| / (|A| + |B|). */
double pprl_dice(const uint8_t *a, const uint8_t *b);

/* Match score of two CLKs: per segment filled on both sides, its Dice d
 * mapped to [-1, 1] ((d - 0.5) / 0.4, clipped) times the segment's weight
 * (names 2, father 1.5, birth year 1, month and day 2.5, document 3,
 * other 1.5); a segment
 * empty on either side adds nothing. A name alone scores at most 2. */
double pprl_score(const uint8_t *a, const uint8_t *b);

/* ---- linkage of encoded rows ---- */

typedef struct pprl_link pprl_link;

/* Figures of one linkage run. */
typedef struct pprl_link_stats {
    uint64_t compared;   /* pairs whose Dice was computed */
    uint64_t accepted;   /* pairs at or above the threshold */
    uint64_t big_blocks; /* blocks skipped for their size */
    uint64_t big_rows;   /* rows in those blocks */
    uint64_t no_clk;     /* rows without a CLK (alone) */
    uint64_t refused;    /* pairs not joined: a row of one cluster
                            disagrees with a row of the other */
} pprl_link_stats;

pprl_link *pprl_link_new(void);
void pprl_link_free(pprl_link *l);

/* Adds one row of input FILE: its CLK as base64 (CLK_N bytes; empty = a
 * row that links to nothing) and its blocking keys (NB cells). Returns 0,
 * or -1 when the CLK is not one (bad base64 or length) or memory runs out. */
int pprl_link_add(pprl_link *l, int file, const char *clk, size_t clk_n,
                  const char *const *blk, const size_t *blk_n, size_t nb);

/* Links the rows: pairs sharing a blocking key (blocks of at most
 * MAX_BLOCK rows) with pprl_score() >= THRESHOLD, joined best first, two
 * clusters only when every row of one scores at least THRESHOLD with
 * every row of the other (complete linkage: no chains of namesakes); with
 * ONE_PER_FILE a cluster holds at most one row of each input file. */
void pprl_link_run(pprl_link *l, double threshold, int one_per_file,
                   size_t max_block, pprl_link_stats *st);

/* Row I's cluster (0-based, numbered by first row; rows alone get their
 * own) and the best Dice joining it (-1 for a row alone). */
size_t pprl_link_cluster(const pprl_link *l, size_t i);
double pprl_link_score(const pprl_link *l, size_t i);
size_t pprl_link_rows(const pprl_link *l);

#endif
