/*
 * store.h: the regional store, one SQLite file that national files are
 * loaded into and that `relec compare` and `relec export` read.
 *
 * Layout (schema-driven):
 *  - one table per record type, named by the schema (incident, person,
 *    aggregate): the schema's fields in schema order (INTEGER for integer
 *    fields, TEXT otherwise; an empty cell is NULL; a value an integer
 *    field allows literally, such as "<5", is kept as text), plus batch_id
 *    and source_row (the row a spreadsheet shows in the loaded file). The
 *    file name is not repeated on every row: batches has it once.
 *  - batches(batch_id, record_type, file, sha256, rows, loaded, rejected,
 *    removed, loaded_at, country, period, replaced_by): one row per loaded
 *    file. rows = loaded + rejected, always; removed = rows of this batch
 *    that a later batch replaced; replaced_by = the batch that removed the
 *    last of them (NULL while any row of the batch is in the store).
 *  - rejects(batch_id, source_row, reason): rows set aside by
 *    --skip-invalid, so no row of a batch is unaccounted for.
 *  - indexes: <table>_key on the replacement key (below), and
 *    incident_ids on incident(incident_id) for the store-wide unique rule,
 *    the orphan count and the person batches' period. A batch's rows are
 *    one rowid range (rowids only grow), which load uses to find them.
 *
 * Load rules (see store_load()):
 *  - the record type is the schema's; the caller picks it from the header
 *    (store_pick_schema()) or the user names it;
 *  - idempotent: a file whose SHA-256 equals that of a batch of the same
 *    record type still in the store changes nothing;
 *  - replacement: a new batch replaces, in the same transaction, the rows
 *    of earlier batches with the same replacement key: (reporting_country,
 *    reporting_period) for incident, (reporting_country, reporting_period,
 *    indicator) for aggregate (a file of enforcement figures leaves the
 *    month's other indicators in place), incident_id for person
 *    (person rows carry neither country nor period: a corrected person file
 *    replaces the persons of the incidents it covers);
 *  - invalid rows (any error finding of lib/check.h): by default the whole
 *    file is refused and nothing of it is loaded (a batch is all of a file
 *    or nothing); with STORE_SKIP_INVALID the valid rows load and each
 *    invalid row goes to rejects with its reason. Counts are returned.
 *  - incident_id is unique across the store, not only within a file: an
 *    incident row whose id is still in the store after the replacement
 *    (so: held by another country or period) is an error finding of code
 *    "unique" and is treated as any invalid row (file refused, or the row
 *    set aside with --skip-invalid). The row already in the store stays:
 *    the first load of an id wins, as within a file.
 *  - orphans: when a corrected incident file drops an incident, the person
 *    rows of that incident are kept (nothing is deleted silently) and
 *    counted in store_load_stats.orphans so that the caller reports them.
 *  - a person batch has no period of its own: batches.period is that of
 *    the persons' incidents already in the store (empty when none is).
 *
 * Ownership: a store owns its SQLite connection and prepared statements;
 * schemas and reports passed in stay the caller's.
 */
#ifndef RELEC_STORE_H
#define RELEC_STORE_H
#include "errclass.h"
#include "report.h"
#include "schema.h"
#include "source.h"

typedef struct store store;

/* What to do with rows that have errors. */
typedef enum store_policy {
    STORE_REFUSE_INVALID, /* refuse the file: nothing of it is loaded */
    STORE_SKIP_INVALID    /* load the valid rows, the rest go to rejects */
} store_policy;

/* Outcome of one store_load(). */
typedef enum store_result {
    STORE_LOADED = 0,    /* loaded (possibly with rejected rows) */
    STORE_DUPLICATE = 1, /* same content already in the store: no change */
    STORE_REFUSED = 2,   /* rows with errors and STORE_REFUSE_INVALID */
    STORE_EINPUT = -1,   /* the file cannot be read (message in err) */
    STORE_EOUTPUT = -2   /* the store cannot be written (message in err) */
} store_result;

/* Figures of one store_load(). */
typedef struct store_load_stats {
    long rows;            /* data rows read from the file */
    long loaded;          /* rows now in the store */
    long rejected;        /* rows with errors (refused or set aside) */
    long batch_id;        /* the new batch, or the duplicate's; 0 = none */
    long replaced_rows;   /* rows of earlier batches this batch replaced */
    int replaced_batches; /* how many earlier batches lost rows */
    char sha256[65];      /* the file's SHA-256, lowercase hex */
    char country[64];     /* reporting countries covered, ';'-joined */
    char period[128];     /* reporting periods covered, ';'-joined
                             (truncated with "..." when many) */
    long orphans;         /* person rows whose incident this batch removed
                             from the store (kept; incident batches) */
    char orphan_ids[128]; /* the first of those incident ids, ';'-joined
                             (truncated with "..." when many) */
    long id_clashes;      /* rows (among rejected) whose incident_id is
                             already in the store for another country or
                             period */
    long totals_wrong;    /* totals the file's breakdowns cannot add up
                             to (aggregate sums): the file is refused, or
                             with STORE_SKIP_INVALID loaded and said */
} store_load_stats;

/* Opens (creating when missing) the store at PATH for loading.
 * NULL with a message in ERR on failure, and in *CLS (may be NULL) its
 * class: ERRCLASS_INPUT for a file that is no store or a store of another
 * layout, ERRCLASS_OUTPUT for one that cannot be made or written. */
store *store_open(const char *path, errclass *cls, char *err, size_t errlen);

/* Closes; returns 0, or -1 with ERR when the close failed. */
int store_close(store *st, char *err, size_t errlen);

/* Loads the file at PATH (not stdin: a batch records the file's SHA-256)
 * as record type S. Findings of invalid rows go to REP (may be NULL).
 * Fills *OUT. The whole load is one transaction. */
store_result store_load(store *st, const schema *s, const char *path,
                        const source_opts *opts, store_policy policy,
                        report *rep, store_load_stats *out, char *err,
                        size_t errlen);

/* Whether the store at PATH has a record table TABLE: 1, 0, or -1 with a
 * message in ERR when PATH is not a readable store. */
int store_has_table(const char *path, const char *table, char *err,
                    size_t errlen);

/* Index of the schema among CANDS (N of them) whose fields best match the
 * header HDR: every required field present, most columns known. -1 when
 * none fits. */
int store_pick_schema(schema *const *cands, size_t n, const source_row *hdr);

/* The schemas folder: GIVEN if not NULL, else $RELEC_SCHEMAS, else
 * ./schemas, else the installed share/relec/schemas. Never NULL. */
const char *store_schema_dir(const char *given);

#endif
