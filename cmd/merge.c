/*
 * merge.c: relec merge: national files mapped onto the standard through
 * crosswalk maps (lib/map.h, schemas/maps.md), written as one CSV with
 * source_file and source_row on every row.
 *
 * Accounting: every input row is either written out or written to
 * --rejects with its reason; the per-source summary prints rows in, out
 * and rejected, and in = out + rejected by construction.
 *
 * Duplicates across and within sources are decided on the schema's first
 * unique field (incident_id, person_id): a repeat whose mapped content is
 * the same as the first row's is rejected as a duplicate (it adds nothing,
 * and the output must keep the field unique: "the same" is decided by a
 * 64-bit hash of the mapped cells and, when the hashes match, confirmed
 * byte for byte against the first row's line read back from -o's
 * temporary file, or from a private spill file when -o is no CSV, so a
 * hash collision is never a lost row); a repeat with different
 * content is a conflict: reported on stderr and in --conflicts, and kept
 * (default) or rejected (--conflict-rows reject). Memory grows with the
 * rows only through that key set (merge_keys: 16 to 32 bytes of slots, the
 * key plus about 5 bytes, and 24 bytes of first sighting a row) and with the
 * conflicts (the later row's mapped cells each). The fields a conflict differs
 * in are found at the end by reading the first row's file again and mapping
 * that row once more (mapping is deterministic), so no row content is kept for
 * rows that never conflict.
 *
 * Performance (5M rows, bench/bench-merge.sh): the key set is lib/keyset's
 * table of 8-byte slots (a 24-bit tag of the hash, an arena offset),
 * probed once per row and prefetched while the row is validated, so a new
 * key costs one cache miss and a key comparison only on a tag match; rows are
 * encoded into one line buffer and written with one fwrite into a 1 MB stdio
 * buffer; row numbers are formatted without printf.
 */
#include "buf.h"
#include "check.h"
#include "cmd.h"
#include "keyset.h"
#include "map.h"
#include "mask.h"
#include "outfile.h"
#include "report.h"
#include "schema.h"
#include "sink.h"
#include "source.h"

#include <errno.h>
#include <getopt.h> /* optind */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One --map group: a map and the inputs it applies to. */
typedef struct merge_group {
    const char *map_path; /* --map value */
    map *m;               /* loaded map */
    const char **inputs;  /* files after it (pointers into argv) */
    int ninputs;          /* how many */
    const char **hnames;  /* the map's source columns: what a header
                             names (source_opts.header_names) */
} merge_group;

/* First sighting of a key: content hash and where. */
typedef struct merge_seen {
    uint64_t hash; /* hash of the mapped row */
    uint64_t off;  /* where its encoded cells start in merge_run.vfp */
    uint32_t file; /* index into merge_run.names */
    uint32_t row;  /* spreadsheet row */
} merge_seen;

/* The keys seen: an exact key set (lib/keyset.h) from each key to the
 * index of its first sighting. */
typedef struct merge_keys {
    keyset set;            /* key -> index into seen */
    merge_seen *seen;      /* first sightings, in order */
    size_t nseen, capseen; /* use and size */
} merge_keys;

/* A conflict: where both rows are, the later row's mapped cells, and,
 * once resolved, the fields that differ. */
typedef struct merge_conflict {
    uint32_t first_file, first_row; /* the first row with the key */
    uint32_t file, row;             /* the later row */
    size_t off;    /* in merge_run.carena: the key, then per field a 4-byte
                      length and the bytes of the later row's cell */
    size_t keylen; /* key length */
    char *fields;  /* the fields that differ, ;-separated (owned), or NULL
                      until resolved */
} merge_conflict;

/* An input read, by its file index (merge_seen.file, conflicts). */
typedef struct merge_input {
    char *name;         /* its source name (owned) */
    const char *path;   /* its path as given */
    merge_group *group; /* the --map group it belongs to */
} merge_input;

/* Options and state of one run. */
typedef struct merge_run {
    merge_group *groups;             /* --map groups */
    int ngroups;                     /* how many */
    const char *out_path;            /* -o, default "-" */
    const char *rejects_path;        /* --rejects */
    const char *conflicts_path;      /* --conflicts */
    int reject_conflicts;            /* --conflict-rows reject */
    int validate;                    /* --validate */
    cmd_list reports;                /* -r values */
    const char **inputs;             /* every INPUT, in order */
    int ninputs;                     /* how many */
    source_opts sopts;               /* sheet, delimiter */
    int per_kind;                    /* --max-per-kind */
    int quiet;                       /* -q */
    int show_personal;               /* --show-personal */
    const schema *s;                 /* output schema (the first map's) */
    check *chk;                      /* checker, when validating */
    report *rep;                     /* findings */
    sink_set outs;                   /* every output */
    sink *out, *rejects, *conflicts; /* outputs, or NULL */
    FILE *ofp;       /* -o as CSV: its stream, written by write_row() */
    FILE *vfp;       /* where first rows are read back to confirm a hash match:
                        ofp, or a private spill file when -o is no CSV */
    uint64_t vbytes; /* bytes written to vfp */
    uint64_t vflushed;    /* of which surely out of stdio's buffer */
    int vbad;             /* a row went to vfp unencoded (out of memory) */
    char *vbuf;           /* first rows read back: a window of vfp */
    size_t vcap;          /* its size */
    uint64_t voff;        /* where the window starts in vfp */
    size_t vlen;          /* bytes in it */
    int hash_hook;        /* RELEC_TEST_MERGE_HASH: every content hash is 0,
                             so that tests can force collisions */
    source_cell *cells;   /* output row: fields + 3 */
    unsigned char *kinds; /* per field: the workbook cell kind it was
                             copied from (SOURCE_CELL_*), for the checker */
    int key;              /* unique field index, or -1 */
    int ckey;    /* no unique field, but the schema's table key (key:): rows
                    are keyed on its fields' values, joined by ", " */
    char *kbuf;  /* ckey: this row's key (empty cells as their defaults) */
    size_t kcap; /* its size */
    source_cell kcell;     /* this row's key: a cell, or kbuf; n = 0 for none */
    merge_keys keys;       /* keys seen */
    merge_conflict *conf;  /* conflicts, in order */
    size_t nconf, capconf; /* use and size */
    char *carena;          /* their keys and cells */
    size_t calen, cacap;   /* use and size */
    long conf_lost;        /* conflicts not kept (out of memory) */
    merge_input *files;    /* the inputs read, by file index */
    size_t nfiles, capfiles;                  /* use and size */
    char *line;                               /* an encoded output row */
    size_t lcap;                              /* its size */
    buf reason;                               /* reject reason */
    long in, out_rows, rejected, conflicts_n; /* totals */
    const char *cur;                          /* name of the input read */
} merge_run;

/* A total row is no record: a warning; nor is a row of labels under the
 * header: a note. */
static void on_skip(void *ud, const source_row *row, source_skip why) {
    merge_run *r = ud;
    if (why == SOURCE_SKIP_LABELS && !r->quiet)
        cmd_labels_note("merge", r->cur, row);
    if (why != SOURCE_SKIP_TOTAL) return;
    check_finding f;
    cmd_total_finding(row, &f);
    report_finding(r->rep, r->cur, &f);
}

/* The header of G's inputs is the row that names most of its map's
 * columns (unless --header-row says where it is). */
static void use_header_names(merge_run *r, const merge_group *g) {
    r->sopts.header_names = g->hnames;
    r->sopts.nheader_names = map_ncolumns(g->m);
}

static uint64_t row_hash(const source_cell *c, size_t n) {
    /* one pass, 8 bytes a step; each cell's length is mixed in, so that
     * "a","" and "","a" differ */
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < n; i++) {
        const char *p = c[i].p;
        size_t k = c[i].n;
        h = (h ^ (k + 1)) * 0xff51afd7ed558ccdull;
        for (; k >= 8; k -= 8, p += 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
            h ^= h >> 29;
        }
        if (k) {
            uint64_t w = 0;
            memcpy(&w, p, k);
            h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
            h ^= h >> 29;
        }
    }
    return h;
}

/* Decimal digits of V into OUT (at least 21 bytes); returns the length. */
static size_t fmt_u(unsigned long v, char *out) {
    char t[24];
    size_t n = 0;
    do
        t[n++] = (char)('0' + v % 10);
    while (v /= 10);
    for (size_t i = 0; i < n; i++)
        out[i] = t[n - 1 - i];
    out[n] = 0;
    return n;
}

/* Encodes N cells as one CSV line into r->line, quoting as
 * outfile_csv_cell does (a delimiter, quote or newline, or a space at
 * either end), no newline. Returns its length, or SIZE_MAX out of memory.
 * The encoding is one-to-one: a line read back is the same cells. */
static size_t encode_row(merge_run *r, const source_cell *c, size_t n) {
    size_t need = 1;
    for (size_t i = 0; i < n; i++)
        need += c[i].n * 2 + 3;
    if (buf_grow(&r->line, &r->lcap, need, 1)) return SIZE_MAX;
    char *o = r->line;
    for (size_t i = 0; i < n; i++) {
        const char *p = c[i].p;
        size_t k = c[i].n;
        if (i) *o++ = ',';
        int quote = k && (p[0] == ' ' || p[k - 1] == ' ');
        for (size_t j = 0; j < k && !quote; j++) {
            char ch = p[j];
            quote = ch == ',' || ch == '"' || ch == '\n' || ch == '\r' ||
                    ch == ';' || ch == '\t';
        }
        if (!quote) {
            memcpy(o, p, k);
            o += k;
            continue;
        }
        *o++ = '"';
        for (size_t j = 0; j < k; j++) {
            if (p[j] == '"') *o++ = '"';
            *o++ = p[j];
        }
        *o++ = '"';
    }
    return (size_t)(o - r->line);
}

/* Writes one CSV row of N cells to FP: one fwrite a row. Bytes written to
 * r->vfp are counted. */
static void write_row(merge_run *r, FILE *fp, const source_cell *c, size_t n) {
    size_t len = encode_row(r, c, n);
    if (len == SIZE_MAX) {
        /* no room for the line: cell by cell, as sink_row does */
        for (size_t i = 0; i < n; i++) {
            if (i) putc(',', fp);
            outfile_csv_cell(fp, c[i].p, c[i].n);
        }
        putc('\n', fp);
        if (fp == r->vfp) r->vbad = 1;
        return;
    }
    r->line[len++] = '\n';
    fwrite(r->line, 1, len, fp);
    if (fp == r->vfp) r->vbytes += len;
}

/* Whether the row in r->cells has the same mapped content as FIRST's, byte
 * for byte: a content hash match alone is no proof. FIRST's line is read
 * back from r->vfp and compared with this row's encoding (its first NF
 * cells, then the delimiter after them). Not known (out of memory, a read
 * error) is "not the same": the row is then kept as a conflict, never lost
 * as a duplicate. */
static int same_content(merge_run *r, const merge_seen *first, size_t nf) {
    size_t n = r->vfp && !r->vbad ? encode_row(r, r->cells, nf) : SIZE_MAX;
    if (n == SIZE_MAX) return 0;
    uint64_t off = first->off;
    if (off < r->voff || off + n + 1 > r->voff + r->vlen) {
        /* a window from OFF: the first rows asked next are often the
         * ones after it (a file merged twice), one pread for many */
        size_t want = n + 1 > 65536 ? n + 1 : 65536, got = 0;
        r->vlen = 0;
        if (buf_grow(&r->vbuf, &r->vcap, want, 1)) return 0;
        if (off + n + 1 > r->vflushed) {
            if (fflush(r->vfp) != 0) return 0;
            r->vflushed = r->vbytes;
        }
        while (got < want) { /* what is in the file is final: appended */
            ssize_t k = pread(fileno(r->vfp), r->vbuf + got, want - got,
                              (off_t)(off + got));
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) break;
            got += (size_t)k;
        }
        r->voff = off;
        r->vlen = got;
        if (got < n + 1) return 0;
    }
    const char *p = r->vbuf + (off - r->voff);
    return !memcmp(p, r->line, n) && (p[n] == ',' || p[n] == '\n');
}

/* Finds or adds KEY, whose keyset_hash() is H. Returns its merge_seen
 * (*ADDED = 1 when new; the caller fills hash, file and row), or NULL when
 * out of memory. */
static merge_seen *keys_put(merge_keys *k, const char *key, size_t n,
                            uint64_t h, int *added) {
    uint64_t first;
    *added = 0;
    if (buf_grow(&k->seen, &k->capseen, k->nseen + 1, sizeof *k->seen))
        return NULL;
    int a = keyset_add_hashed(&k->set, key, n, h, k->nseen, &first);
    if (a < 0) return NULL;
    if (a == 0) return &k->seen[first];
    *added = 1;
    merge_seen *e = &k->seen[k->nseen++];
    memset(e, 0, sizeof *e);
    return e;
}

static void keys_free(merge_keys *k) {
    keyset_free(&k->set);
    free(k->seen);
}

/* This row's key into r->kcell: the unique field's cell, or the table
 * key's values joined by ", " (an empty cell as its default, so that an
 * empty border_type and "total" are one key); n = 0 when the row has no
 * key, or a key value holds a comma (then it is not keyed: a joined key
 * must be exact). */
static void row_key(merge_run *r) {
    r->kcell = (source_cell){"", 0};
    if (r->key >= 0) {
        r->kcell = r->cells[r->key];
        return;
    }
    if (!r->ckey) return;
    const schema_key *key = &r->s->key;
    size_t len = 0;
    for (size_t k = 0; k < key->n; k++) {
        const source_cell *c = &r->cells[key->fields[k]];
        const char *p = c->p;
        size_t n = c->n;
        if (!n && key->defaults[k]) p = key->defaults[k], n = strlen(p);
        if (memchr(p, ',', n)) return;
        if (buf_grow(&r->kbuf, &r->kcap, len + n + 2, 1)) return;
        if (k) memcpy(r->kbuf + len, ", ", 2), len += 2;
        memcpy(r->kbuf + len, p, n);
        len += n;
    }
    r->kcell = (source_cell){r->kbuf, len};
}

/* Records a conflict: the later row's cells are kept to diff at the end. */
static void add_conflict(merge_run *r, const merge_seen *first, uint32_t file,
                         uint32_t row) {
    size_t nf = r->s->nfields;
    const source_cell *kc = &r->kcell;
    size_t need = kc->n;
    for (size_t i = 0; i < nf; i++)
        need += 4 + r->cells[i].n;
    if (buf_grow(&r->conf, &r->capconf, r->nconf + 1, sizeof *r->conf) ||
        buf_grow(&r->carena, &r->cacap, r->calen + need, 1)) {
        r->conf_lost++; /* said at the end: never a silent gap */
        return;
    }
    merge_conflict *c = &r->conf[r->nconf++];
    *c = (merge_conflict){first->file, first->row, file, row,
                          r->calen,    kc->n,      NULL};
    char *o = r->carena + r->calen;
    memcpy(o, kc->p, kc->n);
    o += kc->n;
    for (size_t i = 0; i < nf; i++) {
        uint32_t n = (uint32_t)r->cells[i].n;
        memcpy(o, &n, 4);
        memcpy(o + 4, r->cells[i].p, n);
        o += 4 + n;
    }
    r->calen += need;
}

/* Writes ROW's mapped cells to rejects with r->reason. */
static void write_reject(merge_run *r, const char *name, long row) {
    if (!r->rejects) return;
    size_t nf = r->s->nfields;
    char num[32];
    snprintf(num, sizeof num, "%ld", row);
    r->cells[nf] = (source_cell){name, strlen(name)};
    r->cells[nf + 1] = (source_cell){num, strlen(num)};
    r->cells[nf + 2] = cmd_reason_cell(&r->reason);
    sink_row(r->rejects, r->cells, nf + 3);
}

/* Per-file counts. */
typedef struct merge_counts {
    long in, out, rejected, conflicts; /* rows */
} merge_counts;

/* Decides a merged row against the key set. Returns 0 write it, 1 reject
 * it (reason set). */
static int check_key(merge_run *r, uint32_t fidx, const char *name, long row,
                     uint64_t keyhash, merge_counts *k) {
    const source_cell *kc = &r->kcell;
    if (!kc->n) return 0;
    size_t nf = r->s->nfields;
    uint64_t h = r->hash_hook ? 0 : row_hash(r->cells, nf);
    int added;
    merge_seen *first = keys_put(&r->keys, kc->p, kc->n, keyhash, &added);
    if (!first) return 0;
    if (added) {
        first->hash = h;
        first->file = fidx;
        first->row = (uint32_t)row;
        /* its cells are the next line of vfp: -o's, or the spill's now */
        first->off = r->vbytes;
        if (r->vfp && r->vfp != r->ofp) write_row(r, r->vfp, r->cells, nf);
        return 0;
    }
    const char *fname = r->files[first->file].name;
    char where[64];
    snprintf(where, sizeof where, ":%u", first->row);
    const char *kname = r->key >= 0 ? r->s->fields[r->key].name : "key";
    if (first->hash == h && same_content(r, first, nf)) {
        buf_clear(&r->reason);
        buf_addf(&r->reason, "%s: duplicate: same content as %s%s [duplicate]",
                 kname, fname, where);
        return 1;
    }
    k->conflicts++;
    r->conflicts_n++;
    if (!r->quiet) {
        /* a key of a personal field (a document number) is shown masked */
        char shown[160];
        if (r->key >= 0 && r->s->fields[r->key].personal && !r->show_personal) {
            char m[128]; /* 'mask' (description), as findings show it */
            size_t k = mask_value(kc->p, kc->n, 0, m, sizeof m);
            int w = snprintf(shown, sizeof shown, "'%s'", m);
            mask_value(kc->p, kc->n, 1, m, sizeof m);
            if (w > 0 && (size_t)w < sizeof shown)
                snprintf(shown + w, sizeof shown - (size_t)w, "%s", m + k);
        } else
            snprintf(shown, sizeof shown, "'%.*s'", (int)kc->n, kc->p);
        fprintf(stderr,
                "%s:%ld: warning: %s: %s is also at %s%s with different "
                "content [conflict]\n",
                name, row, kname, shown, fname, where);
    }
    if (r->conflicts) add_conflict(r, first, fidx, (uint32_t)row);
    if (r->reject_conflicts) {
        buf_clear(&r->reason);
        buf_addf(&r->reason,
                 "%s: conflict: different content at %s%s [conflict]", kname,
                 fname, where);
        return 1;
    }
    return 0;
}

/* A conflict's place in the order its first rows are read again. */
typedef struct merge_conf_ref {
    uint32_t file, row; /* first row */
    size_t idx;         /* index into merge_run.conf */
} merge_conf_ref;

static int conf_ref_cmp(const void *a, const void *b) {
    const merge_conf_ref *x = a, *y = b;
    if (x->file != y->file) return x->file < y->file ? -1 : 1;
    if (x->row != y->row) return x->row < y->row ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Sets C->fields from the first row's mapped CELLS and the later row kept
 * in the conflict arena. */
static void diff_conflict(merge_run *r, merge_conflict *c,
                          const source_cell *cells) {
    size_t nf = r->s->nfields;
    const char *p = r->carena + c->off + c->keylen;
    buf out = {0};
    int bad = buf_adds(&out, "");
    for (size_t i = 0; i < nf && !bad; i++) {
        uint32_t n;
        memcpy(&n, p, 4);
        const char *v = p + 4;
        p += 4 + n;
        if (n == cells[i].n && !memcmp(v, cells[i].p, n)) continue;
        bad = (out.len && buf_adds(&out, ";")) ||
              buf_adds(&out, r->s->fields[i].name);
    }
    c->fields = out.p; /* out of memory: the fields found so far */
}

/* Finds the fields each conflict differs in: reads each file that holds
 * first rows of conflicts once more, maps those rows again and compares.
 * Standard input cannot be read twice: its conflicts say so. */
static void resolve_conflicts(merge_run *r) {
    if (!r->nconf) return;
    merge_conf_ref *refs = malloc(r->nconf * sizeof *refs);
    if (!refs) return;
    for (size_t i = 0; i < r->nconf; i++)
        refs[i] =
            (merge_conf_ref){r->conf[i].first_file, r->conf[i].first_row, i};
    qsort(refs, r->nconf, sizeof *refs, conf_ref_cmp);
    char err[2048];
    for (size_t i = 0; i < r->nconf;) {
        uint32_t f = refs[i].file;
        size_t end = i;
        while (end < r->nconf && refs[end].file == f)
            end++;
        const char *path = r->files[f].path;
        map *m = r->files[f].group->m;
        use_header_names(r, r->files[f].group);
        source *src = strcmp(path, "-")
                          ? source_open(path, &r->sopts, err, sizeof err)
                          : NULL;
        source_row row;
        if (src && source_next(src, &row) > 0 &&
            map_header(m, &row, r->files[f].name, err, sizeof err) == 0) {
            size_t j = i;
            while (j < end && source_next(src, &row) > 0) {
                if (row.row < (long)refs[j].row) continue;
                if (row.row == (long)refs[j].row) {
                    map_row(m, &row);
                    const source_cell *cells = map_cells(m);
                    while (j < end && refs[j].row == (uint32_t)row.row)
                        diff_conflict(r, &r->conf[refs[j++].idx], cells);
                } else {
                    j++; /* the file changed under us: left unresolved */
                }
            }
        }
        if (src) source_close(src);
        i = end;
    }
    free(refs);
}

/* Writes the conflicts CSV rows, in the order the conflicts were met. */
static void write_conflicts(merge_run *r) {
    resolve_conflicts(r);
    for (size_t i = 0; i < r->nconf; i++) {
        const merge_conflict *c = &r->conf[i];
        char a[24], b[24];
        const char *ff = r->files[c->first_file].name;
        const char *lf = r->files[c->file].name;
        const char *fields = c->fields ? c->fields
                             : !strcmp(r->files[c->first_file].path, "-")
                                 ? "(not known: standard input is read once)"
                                 : "(not known: the first file could not be "
                                   "read again)";
        source_cell cells[6] = {
            {r->carena + c->off, c->keylen}, {ff, strlen(ff)},
            {a, fmt_u(c->first_row, a)},     {lf, strlen(lf)},
            {b, fmt_u(c->row, b)},           {fields, strlen(fields)}};
        sink_row(r->conflicts, cells, 6);
    }
}

/* The kinds of the mapped cells (SOURCE_CELL_*): a field copied as it is
 * from a workbook cell has that cell's, so that the checker can say what
 * Excel did to it (digits lost, a date-time); NULL when ROW has none. */
static const unsigned char *cell_kinds(merge_run *r, const map *m,
                                       const source_row *row) {
    if (!row->kinds || !r->kinds) return NULL;
    for (size_t f = 0; f < r->s->nfields; f++) {
        int col = map_field_column(m, f);
        const source_cell *raw =
            col >= 0 && (size_t)col < row->ncells ? &row->cells[col] : NULL;
        r->kinds[f] = raw && raw->n == r->cells[f].n &&
                              !memcmp(raw->p, r->cells[f].p, raw->n)
                          ? row->kinds[col]
                          : SOURCE_CELL_TEXT;
    }
    return r->kinds;
}

/* Merges one input through G's map; returns the exit code it earns. */
/* Starts a file for the checker: mapped rows come in schema order, so its
 * header is the field names. Each input is a file of its own for the
 * checks that need all of a file's rows (sums). 0, or -1 out of memory. */
static int check_start(merge_run *r) {
    source_cell *h = calloc(r->s->nfields, sizeof *h);
    if (!h) return -1;
    for (size_t f = 0; f < r->s->nfields; f++)
        h[f] =
            (source_cell){r->s->fields[f].name, strlen(r->s->fields[f].name)};
    source_row hr = {h, r->s->nfields, 1, 0, NULL, NULL};
    check_header(r->chk, &hr);
    free(h);
    return 0;
}

/* After a validated file's last row: the findings that need all of its
 * rows (a total its breakdowns cannot add up to), on its own row numbers.
 * The rows are written already; the findings make the exit status 1.
 * Returns the number of errors. */
static long check_file_end(merge_run *r, const char *name) {
    long errors = 0;
    while (check_end(r->chk) > 0) {
        size_t n;
        const check_finding *f = check_findings(r->chk, &n);
        for (size_t i = 0; i < n; i++) {
            report_finding(r->rep, name, &f[i]);
            errors += f[i].severity == CHECK_ERROR;
        }
    }
    return errors;
}

static int merge_file(merge_run *r, merge_group *g, const char *path) {
    char err[2048];
    use_header_names(r, g);
    source *src = cmd_open("merge", path, NULL, &r->sopts);
    if (!src) return EXIT_INPUT;
    const char *name = source_name(src);
    r->cur = name;
    source_row row;
    int rc;
    if (cmd_read_header("merge", src, NULL, &row)) return EXIT_INPUT;
    if (map_header(g->m, &row, name, err, sizeof err) < 0) {
        cmd_error("merge", "'%s': %s; the file is not merged", name, err);
        source_close(src);
        return EXIT_INPUT;
    }
    if (!r->quiet) cmd_header_note("merge", src, "the map's columns");
    char *copy = NULL;
    if (buf_grow(&r->files, &r->capfiles, r->nfiles + 1, sizeof *r->files) ||
        !(copy = strdup(name))) {
        cmd_error("merge", "out of memory");
        source_close(src);
        return EXIT_INPUT;
    }
    r->files[r->nfiles] = (merge_input){copy, path, g};
    uint32_t fidx = (uint32_t)r->nfiles++;
    size_t hdr_cells = row.ncells; /* rows of another width are rejects */
    int validate = r->chk && (r->validate || map_wants_validate(g->m));
    if (validate && check_start(r) < 0) {
        cmd_error("merge", "out of memory");
        source_close(src);
        return EXIT_INPUT;
    }
    size_t nf = r->s->nfields;
    merge_counts k = {0, 0, 0, 0};
    int result = EXIT_OK;
    cmd_progress prog;
    cmd_progress_start(&prog, r->quiet);
    char num[32];
    size_t namelen = strlen(name);
    while ((rc = source_next(src, &row)) > 0) {
        k.in++;
        char shape[160];
        const char *bad = check_row_shape(&row, hdr_cells, shape, sizeof shape);
        int rej = map_row(g->m, &row);
        if (bad) {
            /* as validate does: a finding and a reject (with the cells as
             * mapped, to look at), never a row cut or padded in silence */
            check_finding sf = {row.row,         "",          "", 0,
                                CHECK_ROW_SHAPE, CHECK_ERROR, bad};
            report_finding(r->rep, name, &sf);
            memcpy(r->cells, map_cells(g->m), nf * sizeof *r->cells);
            buf_clear(&r->reason);
            buf_adds(&r->reason, bad);
            buf_adds(&r->reason, " [row-shape]");
            k.rejected++;
            write_reject(r, name, row.row);
            continue;
        }
        size_t n;
        const check_finding *f = map_findings(g->m, &n);
        for (size_t i = 0; i < n; i++)
            report_finding(r->rep, name, &f[i]);
        memcpy(r->cells, map_cells(g->m), nf * sizeof *r->cells);
        buf_clear(&r->reason);
        /* the key's slot is a cache miss in a table of millions: start
         * fetching it now, so that it arrives during validation */
        uint64_t keyhash = 0;
        row_key(r);
        if (r->kcell.n)
            keyhash = keyset_prefetch(&r->keys.set, r->kcell.p, r->kcell.n);
        if (rej) {
            const char *why = map_reason(g->m);
            buf_adds(&r->reason, why);
        } else if (validate) {
            source_row mr = {
                r->cells, nf, row.row, 0, cell_kinds(r, g->m, &row), NULL};
            check_row(r->chk, &mr);
            for (size_t i = 0; i < nf && mr.kinds; i++) /* as checked */
                check_value(r->chk, row.row, (int)i, &r->cells[i].p,
                            &r->cells[i].n);
            f = check_findings(r->chk, &n);
            for (size_t i = 0; i < n; i++) {
                /* repeats of the key are merge's to judge (check_key) */
                if (f[i].code == CHECK_UNIQUE) continue;
                report_finding(r->rep, name, &f[i]);
                if (f[i].severity != CHECK_ERROR) continue;
                rej = 1;
                cmd_reason_finding(&r->reason, &f[i]);
            }
        }
        if (!rej) rej = check_key(r, fidx, name, row.row, keyhash, &k);
        if (rej) {
            k.rejected++;
            write_reject(r, name, row.row);
        } else {
            k.out++;
            r->cells[nf] = (source_cell){name, namelen};
            r->cells[nf + 1] =
                (source_cell){num, fmt_u((unsigned long)row.row, num)};
            if (r->ofp)
                write_row(r, r->ofp, r->cells, nf + 2);
            else
                sink_row(r->out, r->cells, nf + 2);
        }
        cmd_progress_tick(&prog, "merge", name, k.in, "rows");
    }
    if (rc < 0) {
        cmd_error("merge",
                  "'%s': %s (after row %ld; the rest of the file is "
                  "not read)",
                  name, source_error(src), k.in + 1);
        result = EXIT_INPUT;
    }
    long sums = validate && rc == 0 ? check_file_end(r, name) : 0;
    if (sums && result == EXIT_OK) result = EXIT_DATA;
    char skipped[96];
    long nskip = cmd_skipped_rows(src);
    cmd_skipped_text(skipped, sizeof skipped, src);
    k.in += nskip; /* in = out + rejected + skipped */
    fprintf(stderr, "%s: %ld rows in, %ld out, %ld rejected%s", name, k.in,
            k.out, k.rejected, skipped);
    if (k.conflicts) fprintf(stderr, ", %ld conflicts", k.conflicts);
    fputc('\n', stderr);
    if ((k.rejected || k.conflicts) && result == EXIT_OK) result = EXIT_DATA;
    r->in += k.in;
    r->out_rows += k.out;
    r->rejected += k.rejected;
    source_close(src);
    return result;
}

static int open_outputs(merge_run *r, char *err, size_t errlen) {
    const schema *s = r->s;
    const char **cols = calloc(s->nfields + 3, sizeof *cols);
    if (!cols) {
        snprintf(err, errlen, "out of memory");
        return -ERRCLASS_OUTPUT;
    }
    for (size_t i = 0; i < s->nfields; i++)
        cols[i] = s->fields[i].name;
    cols[s->nfields] = "source_file";
    cols[s->nfields + 1] = "source_row";
    cols[s->nfields + 2] = "reject_reason";
    /* the side outputs first: a refused name stops the run before the
     * header is written */
    int rc = 0;
    if (r->rejects_path)
        rc = sink_open(&r->outs, &r->rejects, r->rejects_path, SINK_ROWS,
                       "Rejects", cols, s->nfields + 3, err, errlen);
    if (rc == 0 && r->conflicts_path) {
        static const char *const cc[] = {"key",  "first_file", "first_row",
                                         "file", "row",        "fields"};
        rc = sink_open(&r->outs, &r->conflicts, r->conflicts_path, SINK_ROWS,
                       "Conflicts", cc, 6, err, errlen);
    }
    /* the merged rows: CSV goes through write_row() and a 1 MB stdio
     * buffer, set before the header (so the sink writes none) */
    sink_kind k = SINK_CSV;
    if (rc == 0) rc = sink_kind_of(r->out_path, SINK_ROWS, &k, err, errlen);
    if (rc == 0)
        rc = sink_open(&r->outs, &r->out, r->out_path, SINK_ROWS, "Merged",
                       cols, k == SINK_CSV ? 0 : s->nfields + 2, err, errlen);
    if (rc == 0 && k == SINK_CSV) {
        static char obuf[1 << 20]; /* static: stdout may outlive the run */
        r->ofp = r->vfp = sink_stream(r->out);
        setvbuf(r->ofp, obuf, _IOFBF, sizeof obuf);
        size_t nh = s->nfields + 2;
        source_cell *h = calloc(nh, sizeof *h);
        if (h) {
            for (size_t i = 0; i < nh; i++)
                h[i] = (source_cell){cols[i], strlen(cols[i])};
            write_row(r, r->ofp, h, nh);
            free(h);
        }
    }
    free(cols);
    if (rc == 0 && !r->vfp && !(r->vfp = tmpfile())) {
        snprintf(err, errlen, "cannot make a temporary file: %s",
                 strerror(errno));
        rc = -ERRCLASS_OUTPUT;
    }
    return rc;
}

/* An INPUT: it belongs to the --map before it. */
static int opt_input(const char *cmd, const char *arg, void *p) {
    merge_run *r = p;
    if (!r->ngroups)
        return cmd_usage_error(cmd,
                               "input '%s' comes before any --map: give "
                               "--map MAP.yaml first",
                               arg);
    r->inputs[r->ninputs] = arg;
    if (!r->groups[r->ngroups - 1].inputs)
        r->groups[r->ngroups - 1].inputs = &r->inputs[r->ninputs];
    r->groups[r->ngroups - 1].ninputs++;
    r->ninputs++;
    return 0;
}

/* -m: a new group; the one before must have inputs. */
static int opt_map(const char *cmd, const char *arg, void *p) {
    merge_run *r = p;
    if (r->ngroups && !r->groups[r->ngroups - 1].ninputs)
        return cmd_usage_error(cmd, "--map %s has no input files after it",
                               r->groups[r->ngroups - 1].map_path);
    r->groups[r->ngroups++].map_path = arg;
    return 0;
}

static const char *const conflict_words[] = {"keep", "reject", NULL};

#define R merge_run
static const cmd_option merge_options[] = {
    CMD_FN("map", 'm', "FILE", "the crosswalk for the INPUTs that follow it", 0,
           opt_map),
    CMD_STR("output", 'o', "FILE", "merged rows (default: stdout)", R,
            out_path),
    CMD_STR("rejects", 0, "FILE",
            "rows not merged: the mapped fields so far,\n"
            "source_file, source_row, reject_reason",
            R, rejects_path),
    CMD_STR("conflicts", 0, "FILE",
            "keys seen twice with different content:\n"
            "key,first_file,first_row,file,row,fields (the\n"
            "fields that differ, ;-separated)",
            R, conflicts_path),
    CMD_CHOICE("conflict-rows", 0, "keep|reject",
               "what to do with the later row of a conflict\n"
               "(default keep: it is merged and flagged)",
               R, reject_conflicts, conflict_words),
    CMD_FLAG("validate", 0,
             "run the schema's checks on mapped rows; rows\n"
             "with errors go to --rejects (also when a map\n"
             "says validate: true)",
             R, validate),
    CMD_LIST("report", 'r', "FILE",
             "findings to FILE (.csv or .jsonl), columns as\n"
             "relec validate --report",
             R, reports, 4),
    CMD_SHEET(R),
    CMD_HEADER_ROW(R, "the inputs' header is row N (default: 1);\n"
                      "rows above it are not data"),
    CMD_DELIMITER(R),
    CMD_MAX_PER_KIND(R, "print at most N findings per field and code\n"
                        "(default 10; -1 = all)"),
    CMD_FLAG("show-personal", 0,
             "findings show the values of personal fields;\n"
             "by default reports and stderr show a mask",
             R, show_personal),
    CMD_QUIET(R, "print only the summary"),
    CMD_END};
#undef R

const cmd_spec cmd_merge_spec = {
    "merge",
    cmd_merge,
    "map national files onto the standard",
    {"--map MAP.yaml INPUT... [--map MAP2.yaml INPUT2...]\n"
     "                   [options]"},
    "Maps national CSV, TSV or .xlsx files (- = stdin) onto a record type of\n"
    "the standard, each through the crosswalk MAP given before it (see\n"
    "schemas/maps.md), and writes one CSV: the schema's fields in order plus\n"
    "source_file and source_row. A value a map cannot place is not guessed:\n"
    "its row goes to --rejects with the reason, or it is kept with a warning,\n"
    "as the map says. Prints per source: rows in, out and rejected.\n"
    "Empty rows (or ones holding only a running number) and total rows are\n"
    "not records: they are counted as skipped (a total is a warning).\n",
    merge_options,
    NULL,
    "relec merge --map maps/pak-fia.yaml pak-fia-2025-03.csv \\\n"
    "    --map maps/afg-moi.yaml afg-moi-1403-12.csv --rejects rejects.csv \\\n"
    "    -o merged.csv\n"
    "relec merge --map maps/irq-moi.yaml irq-moi-2025-03.csv --validate \\\n"
    "    --conflicts conflicts.csv | relec validate -s incident -\n",
    "exit status: 0 every row merged, no conflict; 1 rows rejected or\n"
    "conflicts; 2 usage error; 3 unreadable input or bad map or schema;\n"
    "4 cannot write an output\n",
    1, /* "-": inputs come back in order, so each belongs to its --map */
    opt_input};

int cmd_merge(int argc, char **argv) {
    merge_run r;
    memset(&r, 0, sizeof r);
    r.per_kind = 10;
    r.out_path = "-";
    r.key = -1;
    int result = EXIT_OK;
    r.groups = calloc((size_t)argc + 1, sizeof *r.groups);
    r.inputs = calloc((size_t)argc + 1, sizeof *r.inputs);
    if (!r.groups || !r.inputs) {
        free(r.groups);
        free(r.inputs);
        cmd_error("merge", "out of memory");
        return EXIT_INPUT;
    }
    int any_map_validates = 0;
    int rc = cmd_parse(&cmd_merge_spec, &r, argc, argv);
    r.hash_hook = getenv("RELEC_TEST_MERGE_HASH") != NULL;
    if (rc >= 0) {
        result = rc;
        goto done;
    }
    if (!r.ngroups) {
        result = cmd_usage_error("merge", "no map: give --map MAP.yaml "
                                          "INPUT...");
        goto done;
    }
    if (!r.groups[r.ngroups - 1].ninputs) {
        result = cmd_usage_error("merge",
                                 "--map %s has no input files after "
                                 "it",
                                 r.groups[r.ngroups - 1].map_path);
        goto done;
    }
    char err[2048];
    for (int i = 0; i < r.ngroups; i++) {
        r.groups[i].m = map_load(r.groups[i].map_path, err, sizeof err);
        if (!r.groups[i].m) {
            fprintf(stderr, "%s\n", err);
            result = EXIT_INPUT;
            goto done;
        }
        map_show_personal(r.groups[i].m, r.show_personal);
        size_t nc = map_ncolumns(r.groups[i].m);
        if (!(r.groups[i].hnames = calloc(nc + 1, sizeof(char *)))) {
            cmd_error("merge", "out of memory");
            result = EXIT_INPUT;
            goto done;
        }
        for (size_t c = 0; c < nc; c++)
            r.groups[i].hnames[c] = map_column(r.groups[i].m, c);
        const schema *s = map_schema(r.groups[i].m);
        if (i == 0) {
            r.s = s;
        } else if (strcmp(s->name, r.s->name) || s->nfields != r.s->nfields) {
            cmd_error("merge",
                      "%s maps onto %s but %s onto %s: one merge "
                      "makes one record type",
                      r.groups[0].map_path, r.s->name, r.groups[i].map_path,
                      s->name);
            result = EXIT_USAGE;
            goto done;
        } else {
            for (size_t f = 0; f < s->nfields; f++)
                if (strcmp(s->fields[f].name, r.s->fields[f].name)) {
                    cmd_error("merge",
                              "%s and %s target different versions "
                              "of schema %s",
                              r.groups[0].map_path, r.groups[i].map_path,
                              s->name);
                    result = EXIT_USAGE;
                    goto done;
                }
        }
        if (map_wants_validate(r.groups[i].m)) any_map_validates = 1;
    }
    for (size_t f = 0; f < r.s->nfields; f++)
        if (r.s->fields[f].unique) {
            r.key = (int)f;
            break;
        }
    r.ckey = r.key < 0 && r.s->key.n > 0;
    for (int i = 0; i < r.ninputs; i++)
        outfile_guard(r.inputs[i]);
    if (r.validate || any_map_validates) {
        r.chk = check_new(r.s);
        if (r.chk) check_show_personal(r.chk, r.show_personal);
        if (!r.chk || check_start(&r) < 0) {
            cmd_error("merge", "out of memory");
            result = EXIT_INPUT;
            goto done;
        }
    }
    r.rep = report_new(r.quiet ? NULL : stderr, r.per_kind);
    r.sopts.on_skip = on_skip;
    r.sopts.on_skip_ud = &r;
    for (int i = 0; i < r.reports.n; i++)
        if ((result = report_add_file(r.rep, &r.outs, r.reports.v[i], err,
                                      sizeof err))) {
            cmd_error("merge", "%s", err);
            result = errclass_exit((errclass)-result);
            goto done;
        }
    r.cells = calloc(r.s->nfields + 3, sizeof *r.cells);
    r.kinds = calloc(r.s->nfields + 1, 1);
    if (!r.cells || (result = open_outputs(&r, err, sizeof err)) < 0) {
        cmd_error("merge", "%s", r.cells ? err : "out of memory");
        result = r.cells ? errclass_exit((errclass)-result) : EXIT_OUTPUT;
        goto done;
    }
    for (int gi = 0; gi < r.ngroups; gi++)
        for (int j = 0; j < r.groups[gi].ninputs; j++) {
            int rc = merge_file(&r, &r.groups[gi], r.groups[gi].inputs[j]);
            if (rc > result) result = rc;
        }
    if (r.ninputs > 1)
        fprintf(stderr,
                "total: %ld rows in, %ld out, %ld rejected, %ld "
                "conflicts\n",
                r.in, r.out_rows, r.rejected, r.conflicts_n);
    /* a run that could not read all its input writes nothing */
    if (result >= EXIT_USAGE) goto done;
    report_close(r.rep, err, sizeof err);
    r.rep = NULL;
    if (r.conf_lost) {
        cmd_error("merge",
                  "out of memory: %ld conflicts could not be kept for "
                  "--conflicts; nothing is written",
                  r.conf_lost);
        result = EXIT_OUTPUT;
        goto done;
    }
    if (r.conflicts) write_conflicts(&r);
    if (sink_commit(&r.outs, err, sizeof err) < 0) {
        cmd_error("merge", "%s", err);
        result = EXIT_OUTPUT;
    }
done:
    report_abort(r.rep);
    sink_abort(&r.outs);
    if (r.vfp && r.vfp != r.ofp) fclose(r.vfp);
    free(r.vbuf);
    check_free(r.chk);
    for (int i = 0; i < r.ngroups; i++) {
        map_free(r.groups[i].m);
        free(r.groups[i].hnames);
    }
    free(r.kinds);
    for (size_t i = 0; i < r.nfiles; i++)
        free(r.files[i].name);
    free(r.files);
    free(r.groups);
    free(r.inputs);
    free(r.cells);
    buf_free(&r.reason);
    keys_free(&r.keys);
    free(r.kbuf);
    for (size_t i = 0; i < r.nconf; i++)
        free(r.conf[i].fields);
    free(r.conf);
    free(r.carena);
    free(r.line);
    return result;
}
