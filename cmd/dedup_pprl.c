/*
 * dedup_pprl.c: relec dedup on files written by relec pseudonymise
 * --link-key: rows are linked by the match score of their CLK encodings
 * (per-segment Dice, lib/pprl) within blocks of equal keyed blocking keys,
 * never by a name. Two passes over the inputs: the encodings are read first,
 * then every row is written in input order with cluster_id and
 * match_score (the score joining it), so memory holds the encodings only.
 */
#include "cmd.h"
#include "outfile.h"
#include "pprl.h"
#include "sink.h"
#include "source.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DP_DEFAULT_THRESHOLD 3.5 /* score accepted by default ... */
#define DP_THRESHOLD_ROWS 20000  /* ... up to this many rows, then ... */
#define DP_THRESHOLD_STEP 0.2    /* ... this much more per doubling */
#define DP_MAX_BLOCK 1000        /* rows of a block compared pairwise */

static int column(const source_row *hdr, const char *name) {
    size_t n = strlen(name);
    for (size_t i = 0; i < hdr->ncells; i++)
        if (hdr->cells[i].n == n && !memcmp(hdr->cells[i].p, name, n))
            return (int)i;
    return -1;
}

int dedup_pprl_detect(const char *path, const source_opts *so) {
    if (!strcmp(path, "-")) return 0;
    source_row hdr;
    source *src = cmd_peek(path, so, &hdr);
    int yes = src && column(&hdr, "clk") >= 0;
    source_close(src);
    return yes;
}

/* Opens INPUT I and reads its header; the columns of clk and blk1..9 go
 * to COLS. NULL after a message. */
static source *open_input(const char *path, const source_opts *so,
                          source_row *hdr, int cols[1 + PPRL_NBLOCKS]) {
    source *src = cmd_open("dedup", path, NULL, so);
    if (!src) return NULL;
    if (source_next(src, hdr) <= 0) {
        cmd_error("dedup", "'%s': %s", path,
                  source_error(src) ? source_error(src) : "file is empty");
        source_close(src);
        return NULL;
    }
    cols[0] = column(hdr, "clk");
    for (int i = 0; i < PPRL_NBLOCKS; i++) {
        char name[16];
        snprintf(name, sizeof name, "blk%d", i + 1);
        cols[1 + i] = column(hdr, name);
    }
    if (cols[0] < 0) {
        cmd_error("dedup",
                  "'%s' has no clk column: give only files of relec "
                  "pseudonymise --link-key",
                  path);
        source_close(src);
        return NULL;
    }
    return src;
}

static source_cell cell_at(const source_row *row, int col) {
    if (col < 0 || (size_t)col >= row->ncells) return (source_cell){"", 0};
    return row->cells[col];
}

int dedup_pprl(char **inputs, int ninputs, const dedup_pprl_opts *o) {
    if (o->unsupported)
        return cmd_usage_error(
            "dedup", "encoded files (a clk column) are linked "
                     "by their encodings: --drop, --train, --registry, "
                     "--explain and --pairs are not for them");
    double threshold = o->threshold >= 0 ? o->threshold : DP_DEFAULT_THRESHOLD;

    for (int i = 0; i < ninputs; i++)
        if (!strcmp(inputs[i], "-"))
            return cmd_usage_error("dedup", "encoded files are read twice: "
                                            "give files, not stdin");
    pprl_link *l = pprl_link_new();
    int cols[1 + PPRL_NBLOCKS], result = EXIT_OK;
    source_row row;
    char **hdr = NULL;
    size_t nhdr = 0;
    sink_set outs = {0}; /* its one output, -o */
    sink *out;
    source_cell *cells = NULL;
    if (!l) {
        cmd_error("dedup", "out of memory");
        return EXIT_INPUT;
    }
    for (int f = 0; f < ninputs; f++)
        outfile_guard(inputs[f]);
    /* pass 1: the encodings */
    for (int f = 0; f < ninputs && result == EXIT_OK; f++) {
        source *src = open_input(inputs[f], &o->sopts, &row, cols);
        if (!src) {
            result = EXIT_INPUT;
            break;
        }
        if (f == 0) {
            nhdr = row.ncells;
            hdr = calloc(nhdr + 3, sizeof *hdr);
            for (size_t i = 0; hdr && i < nhdr; i++)
                hdr[i] = strndup(row.cells[i].p, row.cells[i].n);
        } else {
            int same = row.ncells == nhdr;
            for (size_t i = 0; same && i < nhdr; i++)
                same = row.cells[i].n == strlen(hdr[i]) &&
                       !memcmp(row.cells[i].p, hdr[i], row.cells[i].n);
            if (!same) {
                cmd_error("dedup",
                          "'%s' and '%s' have different columns: give files "
                          "of relec pseudonymise with one schema",
                          inputs[0], inputs[f]);
                result = EXIT_INPUT;
            }
        }
        int rc;
        while (result == EXIT_OK && (rc = source_next(src, &row)) > 0) {
            const char *bp[PPRL_NBLOCKS];
            size_t bn[PPRL_NBLOCKS];
            for (int i = 0; i < PPRL_NBLOCKS; i++) {
                source_cell c = cell_at(&row, cols[1 + i]);
                bp[i] = c.p;
                bn[i] = c.n;
            }
            source_cell c = cell_at(&row, cols[0]);
            if (pprl_link_add(l, f, c.p, c.n, bp, bn, PPRL_NBLOCKS) < 0) {
                cmd_error("dedup",
                          "%s:%ld: clk is not a CLK of %d bits in "
                          "base64",
                          source_name(src), row.row, PPRL_CLK_BITS);
                result = EXIT_INPUT;
            }
        }
        if (result == EXIT_OK && rc < 0) {
            cmd_error("dedup", "'%s': %s", inputs[f], source_error(src));
            result = EXIT_INPUT;
        }
        source_close(src);
    }
    if (result != EXIT_OK || !hdr) goto done;
    pprl_link_stats st;
    /* more rows, more namesakes: the default rises as the schema's
     * threshold_rows does for linkage in clear (bench/README.md) */
    if (o->threshold < 0 && pprl_link_rows(l) > DP_THRESHOLD_ROWS)
        threshold += DP_THRESHOLD_STEP *
                     log2((double)pprl_link_rows(l) / DP_THRESHOLD_ROWS);
    pprl_link_run(l, threshold, o->one_per_file, DP_MAX_BLOCK, &st);
    /* pass 2: every row with its cluster */
    hdr[nhdr] = "cluster_id";
    hdr[nhdr + 1] = "match_score";
    char err[1024];
    cells = calloc(nhdr + 2, sizeof *cells);
    int orc = !cells ? -ERRCLASS_OUTPUT
                     : sink_open(&outs, &out, o->out_path ? o->out_path : "-",
                                 SINK_ROWS, "Rows", (const char *const *)hdr,
                                 nhdr + 2, err, sizeof err);
    if (orc) {
        cmd_error("dedup", "%s", cells ? err : "out of memory");
        result = errclass_exit((errclass)-orc);
        goto done;
    }
    size_t r = 0, nclusters = 0, joined = 0;
    for (int f = 0; f < ninputs && result == EXIT_OK; f++) {
        source *src = open_input(inputs[f], &o->sopts, &row, cols);
        if (!src) {
            result = EXIT_INPUT;
            break;
        }
        int rc;
        while ((rc = source_next(src, &row)) > 0 && r < pprl_link_rows(l)) {
            char cid[32], score[32];
            size_t cl = pprl_link_cluster(l, r);
            double sc = pprl_link_score(l, r);
            if (cl + 1 > nclusters) nclusters = cl + 1;
            joined += sc >= 0;
            for (size_t i = 0; i < nhdr; i++)
                cells[i] = cell_at(&row, (int)i);
            int n1 = snprintf(cid, sizeof cid, "C%06zu", cl + 1);
            int n2 = sc >= 0 ? snprintf(score, sizeof score, "%.3f", sc) : 0;
            cells[nhdr] = (source_cell){cid, (size_t)n1};
            cells[nhdr + 1] = (source_cell){score, (size_t)n2};
            sink_row(out, cells, nhdr + 2);
            r++;
        }
        if (rc != 0) { /* changed under us, or unreadable now */
            cmd_error("dedup", "'%s' changed while it was read", inputs[f]);
            result = EXIT_INPUT;
        }
        source_close(src);
    }
    if (result == EXIT_OK && r != pprl_link_rows(l)) {
        cmd_error("dedup", "the inputs changed while they were read");
        result = EXIT_INPUT;
    }
    if (result != EXIT_OK) goto done;
    if (sink_commit(&outs, err, sizeof err) < 0) {
        cmd_error("dedup", "%s", err);
        result = EXIT_OUTPUT;
        goto done;
    }
    if (!o->quiet)
        fprintf(stderr,
                "relec dedup: %zu encoded rows, %zu clusters, %zu rows "
                "joined (score >= %.2f); %llu pairs compared, %llu "
                "accepted, %llu joins refused (a row of one cluster "
                "below the threshold with a row of the other)%s\n",
                r, nclusters, joined, threshold,
                (unsigned long long)st.compared,
                (unsigned long long)st.accepted, (unsigned long long)st.refused,
                st.no_clk ? "; rows without clk stay alone" : "");
    if (!o->quiet && st.big_blocks)
        fprintf(stderr,
                "relec dedup: note: %llu blocks of more than %d rows (%llu "
                "rows in all) were not compared pairwise; their rows are "
                "linked through their other blocking keys\n",
                (unsigned long long)st.big_blocks, DP_MAX_BLOCK,
                (unsigned long long)st.big_rows);
done:
    sink_abort(&outs);
    for (size_t i = 0; hdr && i < nhdr; i++)
        free(hdr[i]);
    free(hdr);
    free(cells);
    pprl_link_free(l);
    return result;
}
