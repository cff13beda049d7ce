/*
 * pseudonymise.c: relec pseudonymise: a person file that may leave the
 * owner's machine. Every personal field becomes a keyed pseudonym of its
 * normalised value, dates of birth are coarsened, notes dropped, every
 * other field kept; with a link key, linkage encodings are added (lib/pprl).
 * Streams: one row in, one row out.
 */
#include "calendar.h"
#include "cmd.h"
#include "key.h"
#include "outfile.h"
#include "pprl.h"
#include "schema.h"
#include "sink.h"
#include "source.h"

#include <getopt.h> /* optind */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Options and state of one run. */
typedef struct ps_run {
    const char *schema_path; /* -s */
    const char *key_path;    /* --key */
    const char *link_path;   /* --link-key */
    const char *out_path;    /* -o */
    int dob_month;           /* --dob month */
    int quiet;               /* -q */
    source_opts sopts;       /* sheet, delimiter */
    schema *s;               /* the schema */
    pprl *enc;               /* encoder */
    int link;                /* link key given */
    sink_set outs;           /* its one output, -o */
    sink *out;               /* that output */
    size_t ncols;            /* output columns */
    source_cell *cells;      /* output row */
    char *buf;               /* pseudonyms and dates of the row */
    int *col_of;             /* per field: input column, or -1 */
    pprl_kind *kind;         /* per field: how it is encoded */
    pprl_role *role;         /* per field: its linkage role */
    int notes, dob_prec;     /* field index of notes, dob_precision, or -1 */
    size_t hdr_cells;        /* cells in the current header */
    long rows, bad;          /* rows written; values left empty */
    long wide;               /* rows with cells beyond the header */
    long bad_first;          /* row of the first value left empty */
    const char *bad_field;   /* its field */
} ps_run;

/* Maps the header HDR of NAME to fields; notes the columns left out. */
/* Maps the header's columns to fields. Returns how many cells name a
 * field: 0 means the row is no header but a person (nothing is printed of
 * it). */
static size_t map_header(ps_run *r, const char *name, const source_row *hdr) {
    size_t known = 0;
    r->hdr_cells = hdr->ncells;
    for (size_t f = 0; f < r->s->nfields; f++)
        r->col_of[f] = -1;
    for (size_t i = 0; i < hdr->ncells; i++) {
        source_cell c = cmd_trim(hdr->cells[i]);
        known += schema_field_index(r->s, c.p, c.n) >= 0;
    }
    for (size_t i = 0; known && i < hdr->ncells; i++) {
        source_cell c = cmd_trim(hdr->cells[i]);
        int f = schema_field_index(r->s, c.p, c.n);
        if (f >= 0 && r->col_of[f] < 0)
            r->col_of[f] = (int)i;
        else if (!r->quiet && c.n)
            fprintf(stderr,
                    "relec pseudonymise: note: %s: column '%.*s' is %s; it "
                    "is left out\n",
                    name, (int)c.n, c.p,
                    f >= 0 ? "a second column of that field"
                           : "not in the schema");
    }
    return known;
}

/* The row ROW of NAME, pseudonymised, written. */
static void do_row(ps_run *r, const source_row *row) {
    const schema *s = r->s;
    char *b = r->buf;
    r->wide += row->ncells > r->hdr_cells;
    pprl_rec rec;
    if (r->link) pprl_rec_begin(&rec);
    int dob_out = 0; /* precision written for the date of birth: 0 none,
                        1 year, 2 month, 3 day (not coarsened) */
    for (size_t f = 0; f < s->nfields; f++) {
        const schema_field *fd = &s->fields[f];
        int col = r->col_of[f];
        source_cell c = {"", 0};
        if (col >= 0 && (size_t)col < row->ncells) c = row->cells[col];
        r->cells[f] = c;
        if ((int)f == r->notes) {
            r->cells[f] = (source_cell){"", 0};
            continue;
        }
        if (!fd->personal) continue;
        source_cell t = cmd_trim(c);
        r->cells[f] = (source_cell){"", 0};
        if (!t.n) continue;
        if (r->link && pprl_rec_add(r->enc, &rec, fd->name, r->kind[f],
                                    r->role[f], t.p, t.n) < 0)
            goto bad;
        if (fd->type == SCHEMA_DATE) {
            int y, m, d;
            if (cal_parse_partial_date(t.p, t.n, &y, &m, &d) < 0) goto bad;
            int k = r->dob_month && m ? 7 : 4;
            memcpy(b, t.p, (size_t)k);
            r->cells[f] = (source_cell){b, (size_t)k};
            b += k;
            if (!strcmp(fd->name, "date_of_birth")) dob_out = k == 7 ? 2 : 1;
            continue;
        }
        size_t n = pprl_pseudonym(r->enc, fd->name, r->kind[f], t.p, t.n, b);
        if (n == (size_t)-1) goto bad;
        r->cells[f] = (source_cell){b, n};
        b += n + 1;
        continue;
    bad:
        if (!r->bad++) {
            r->bad_first = row->row;
            r->bad_field = fd->name;
        }
    }
    /* dob_precision says what the coarsened date holds */
    if (r->dob_prec >= 0 && dob_out) {
        source_cell *p = &r->cells[r->dob_prec];
        int was = p->n == 4 && !memcmp(p->p, "year", 4)    ? 1
                  : p->n == 5 && !memcmp(p->p, "month", 5) ? 2
                                                           : 3;
        if (dob_out < was)
            *p = dob_out == 1 ? (source_cell){"year", 4}
                              : (source_cell){"month", 5};
    }
    size_t nc = s->nfields;
    if (r->link) {
        pprl_rec_clk(&rec, b);
        r->cells[nc++] = (source_cell){b, strlen(b)};
        b += PPRL_CLK_B64;
        for (int i = 0; i < PPRL_NBLOCKS; i++) {
            size_t n = pprl_rec_block(r->enc, &rec, i, b);
            r->cells[nc++] = (source_cell){b, n};
            b += PPRL_BLOCK_LEN + 1;
        }
    }
    sink_row(r->out, r->cells, nc);
    r->rows++;
}

static int do_file(ps_run *r, const char *path) {
    source *src = cmd_open("pseudonymise", path, NULL, &r->sopts);
    if (!src) return EXIT_INPUT;
    const char *name = source_name(src);
    source_row row;
    int rc;
    if (cmd_read_header("pseudonymise", src, NULL, &row)) return EXIT_INPUT;
    if (!map_header(r, name, &row)) {
        cmd_error("pseudonymise",
                  "'%s': row %ld names none of the fields of schema %s: is "
                  "the header row missing? (its cells are not shown: they "
                  "may be personal data)",
                  name, row.row, r->s->name);
        source_close(src);
        return EXIT_INPUT;
    }
    long before = r->rows;
    cmd_progress prog;
    cmd_progress_start(&prog, r->quiet);
    while ((rc = source_next(src, &row)) > 0) {
        do_row(r, &row);
        cmd_progress_tick(&prog, "pseudonymise", name, r->rows - before,
                          "rows");
    }
    int result = EXIT_OK;
    if (rc < 0) {
        cmd_error("pseudonymise",
                  "'%s': %s (after row %ld; the rest of the file is not read)",
                  name, source_error(src), r->rows - before + 1);
        result = EXIT_INPUT;
    }
    /* empty and total rows are no persons: not written, but said, so that
     * rows in = pseudonymised + skipped */
    char skipped[96];
    cmd_skipped_text(skipped, sizeof skipped, src);
    if (!r->quiet || skipped[0])
        fprintf(stderr, "%s: %ld row%s pseudonymised%s\n", name,
                r->rows - before, r->rows - before == 1 ? "" : "s", skipped);
    source_close(src);
    return result;
}

static const char *const dob_words[] = {"year", "month", NULL};

#define R ps_run
static const cmd_option pseudonymise_options[] = {
    CMD_STR("schema", 's', "FILE", "schema YAML, e.g. schemas/person.yaml", R,
            schema_path),
    CMD_STR("key", 0, "FILE",
            "the owner's key (relec key new); the same key\n"
            "gives the same pseudonyms in every file",
            R, key_path),
    CMD_STR("link-key", 0, "FILE",
            "a second key, agreed for linkage between two\n"
            "owners: adds the columns clk (a Bloom-filter\n"
            "encoding of the personal fields, base64) and\n"
            "blk1..blk9 (keyed blocking keys) that relec\n"
            "dedup links by Dice similarity",
            R, link_path),
    CMD_STR("output", 'o', "FILE", "rows out (default: stdout)", R, out_path),
    CMD_CHOICE("dob", 0, "year|month",
               "precision dates of birth keep (default year)", R, dob_month,
               dob_words),
    CMD_SHEET(R),
    CMD_DELIMITER(R),
    CMD_QUIET(R, "no summary on stderr"),
    CMD_END};
#undef R

const cmd_spec cmd_pseudonymise_spec = {
    "pseudonymise",
    cmd_pseudonymise,
    "replace personal data by keyed pseudonyms and linkage encodings",
    {"-s SCHEMA --key FILE [options] INPUT..."},
    "Writes the rows of INPUT (CSV, TSV or .xlsx; - = stdin) with every\n"
    "field the schema marks personal: true replaced: a name, document\n"
    "number or other text by its pseudonym, ps1- and 32 hex digits of a\n"
    "keyed hash (BLAKE2b, libsodium) of its normalised form (script,\n"
    "digits and romanisation folded as relec dedup does: Muhammad and\n"
    "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf give the same pseudonym); a date of "
    "birth by its year (or month).\n"
    "notes is emptied; every other field of the schema is kept, columns\n"
    "not in the schema are left out. One row out for every row in, in\n"
    "input order, in schema order. The output validates with relec\n"
    "validate --pseudonymised. See sop/data-protection.md.\n",
    pseudonymise_options,
    "A key that group or others may read is refused (exit 3).\n",
    "relec pseudonymise -s person --key owner.key -o shared.csv "
    "person.csv\n"
    "relec pseudonymise -s person --key owner.key --link-key "
    "pak-afg.key \\\n"
    "    --dob month -o linkable.csv person.csv\n",
    "exit status: 0 every row written; 1 some personal values could not "
    "be\n"
    "pseudonymised and were left empty (said on stderr); 2 usage error;\n"
    "3 unreadable input, key or schema; 4 cannot write the output\n",
    0,
    NULL};

int cmd_pseudonymise(int argc, char **argv) {
    ps_run r;
    memset(&r, 0, sizeof r);
    r.out_path = "-";
    int rc = cmd_parse(&cmd_pseudonymise_spec, &r, argc, argv);
    if (rc >= 0) return rc;
    if (!r.schema_path)
        return cmd_usage_error("pseudonymise",
                               "no schema: give -s SCHEMA.yaml");
    if (!r.key_path)
        return cmd_usage_error("pseudonymise",
                               "no key: give --key FILE (relec key new)");
    if (optind >= argc)
        return cmd_usage_error("pseudonymise",
                               "no input: give one or more files, or - for "
                               "stdin");
    char err[1024];
    unsigned char key[KEY_BYTES], link_key[KEY_BYTES];
    if ((rc = cmd_read_key("pseudonymise", r.key_path, key))) return rc;
    if (r.link_path &&
        (rc = cmd_read_key("pseudonymise", r.link_path, link_key))) {
        sodium_memzero(key, sizeof key);
        return rc;
    }
    if (r.link_path && !sodium_memcmp(key, link_key, sizeof key)) {
        sodium_memzero(key, sizeof key);
        sodium_memzero(link_key, sizeof link_key);
        cmd_error("pseudonymise",
                  "--key and --link-key are the same key: the link key is "
                  "shared, the owner's key never is");
        return EXIT_USAGE;
    }
    r.link = r.link_path != NULL;
    r.enc = pprl_new(key, r.link ? link_key : NULL, err, sizeof err);
    sodium_memzero(key, sizeof key);
    sodium_memzero(link_key, sizeof link_key);
    if (!r.enc) {
        cmd_error("pseudonymise", "%s", err);
        return EXIT_INPUT;
    }
    int result = EXIT_OK;
    r.s = schema_load(r.schema_path, err, sizeof err);
    if (!r.s) {
        if (!strncmp(err, "cannot open", 11))
            cmd_error("pseudonymise", "%s", err);
        else
            fprintf(stderr, "%s\n", err);
        pprl_free(r.enc);
        return EXIT_INPUT;
    }
    const schema *s = r.s;
    size_t npers = 0;
    r.notes = r.dob_prec = -1;
    r.col_of = calloc(s->nfields + 1, sizeof *r.col_of);
    r.kind = calloc(s->nfields + 1, sizeof *r.kind);
    r.role = calloc(s->nfields + 1, sizeof *r.role);
    r.ncols = s->nfields + (r.link ? 1 + PPRL_NBLOCKS : 0);
    r.cells = calloc(r.ncols, sizeof *r.cells);
    r.buf = malloc((s->nfields + 1) * (PPRL_PSEUDO_LEN + 1) + PPRL_CLK_B64 +
                   PPRL_NBLOCKS * (PPRL_BLOCK_LEN + 1));
    const char **cols = calloc(r.ncols, sizeof *cols);
    if (!r.col_of || !r.kind || !r.role || !r.cells || !r.buf || !cols) {
        cmd_error("pseudonymise", "out of memory");
        result = EXIT_INPUT;
        goto done;
    }
    for (size_t f = 0; f < s->nfields; f++) {
        const schema_field *fd = &s->fields[f];
        cols[f] = fd->name;
        r.kind[f] = pprl_kind_of(fd->name, fd->type == SCHEMA_DATE);
        r.role[f] = pprl_role_of(fd->name);
        npers += fd->personal != 0;
        if (!strcmp(fd->name, "notes")) r.notes = (int)f;
        if (!strcmp(fd->name, "dob_precision")) r.dob_prec = (int)f;
    }
    if (!npers && !r.quiet)
        fprintf(stderr,
                "relec pseudonymise: note: schema %s marks no field "
                "personal: true; only notes change\n",
                s->name);
    if (r.link) {
        static const char *extra[] = {"clk",  "blk1", "blk2", "blk3", "blk4",
                                      "blk5", "blk6", "blk7", "blk8", "blk9"};
        for (size_t i = 0; i < 1 + PPRL_NBLOCKS; i++)
            cols[s->nfields + i] = extra[i];
    }
    for (int i = optind; i < argc; i++)
        outfile_guard(argv[i]);
    rc = sink_open(&r.outs, &r.out, r.out_path, SINK_ROWS, "Rows", cols,
                   r.ncols, err, sizeof err);
    if (rc) {
        cmd_error("pseudonymise", "%s", err);
        result = errclass_exit((errclass)-rc);
        goto done;
    }
    for (int i = optind; i < argc && result != EXIT_INPUT; i++) {
        int x = do_file(&r, argv[i]);
        if (x > result) result = x;
    }
    if (result == EXIT_INPUT) {
        sink_abort(&r.outs);
        goto done;
    }
    if (sink_commit(&r.outs, err, sizeof err) < 0) {
        cmd_error("pseudonymise", "%s", err);
        result = EXIT_OUTPUT;
        goto done;
    }
    if (r.wide && !r.quiet)
        fprintf(stderr,
                "relec pseudonymise: note: %ld row%s had more cells than "
                "the header; the cells beyond it were left out (relec "
                "validate finds them)\n",
                r.wide, r.wide == 1 ? "" : "s");
    if (r.bad) {
        cmd_error("pseudonymise",
                  "%ld personal value%s could not be pseudonymised (not a "
                  "date, or not text) and %s left empty, the first in row "
                  "%ld, %s; relec validate finds them",
                  r.bad, r.bad == 1 ? "" : "s", r.bad == 1 ? "was" : "were",
                  r.bad_first, r.bad_field);
        result = EXIT_DATA;
    }
done:
    sink_abort(&r.outs);
    free(cols);
    free(r.col_of);
    free(r.kind);
    free(r.role);
    free(r.cells);
    free(r.buf);
    schema_free(r.s);
    pprl_free(r.enc);
    return result;
}
