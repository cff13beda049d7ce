/*
 * cmd.h: the subcommands of relec and what they share: exit codes (a
 * contract, documented in README.md and every --help) and small helpers.
 */
#ifndef RELEC_CMD_H
#define RELEC_CMD_H
#include "source.h"
#include <stdio.h>

/* Exit codes: a contract for scripts. */
enum {
    EXIT_OK = 0,    /* done; no errors in the data (warnings allowed) */
    EXIT_DATA = 1,  /* done; errors found in the data */
    EXIT_USAGE = 2, /* wrong options or arguments */
    EXIT_INPUT = 3, /* unreadable input, bad schema or map */
    EXIT_OUTPUT = 4 /* cannot write an output */
};

#define EXIT_CODES_HELP                                                        \
    "exit status: 0 no errors (warnings allowed), 1 errors found in the "      \
    "data,\n2 usage error, 3 unreadable input or bad schema, 4 cannot write "  \
    "output\n"

int cmd_validate(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_dedup(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_pseudonymise(int argc, char **argv);

/* Prints "relec CMD: message" on stderr (printf-style). */
void cmd_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "relec CMD: ..." for a usage error plus a pointer to --help; returns 2. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Option values every command parses the same way. Each returns 0, or
 * EXIT_USAGE after saying what is wrong (so `return rc` ends the command).
 * --delimiter: , ; | or tab, into *DELIM. */
int cmd_opt_delimiter(const char *cmd, const char *arg, char *delim);

/* --max-per-kind: -1 (all) to 1,000,000, into *OUT. */
int cmd_opt_per_kind(const char *cmd, const char *arg, int *out);

/* getopt_long's ':' (value missing) and '?' (unknown option) cases. */
int cmd_opt_bad(const char *cmd, int c, char **argv);

struct check;
struct schema;
struct source;
struct source_opts;

/* --lang: one of LANG_LIST (lang.h) or a locale name; makes it the
 * language of messages and of the workbooks written. */
int cmd_opt_lang(const char *cmd, const char *arg);

/* --header-row: 1 to 1048576, into *OUT. */
int cmd_opt_header_row(const char *cmd, const char *arg, long *out);

/* Makes SO find the header by the names of S's fields: sets header_names
 * to an array the caller frees. -1 when out of memory. */
int cmd_header_names(struct source_opts *so, const struct schema *s);

/* After the header is read: a note when it was not row 1. */
void cmd_header_note(const char *cmd, const struct source *src);

struct check_finding;
struct source_row;
/* The warning a total row gets (source_next() left it out), into *F; its
 * strings point into ROW or are static. */
void cmd_total_finding(const struct source_row *row, struct check_finding *f);

/* ", N skipped (E empty, T total)" for a summary line, into BUF; "" when no
 * row was left out. Returns the length. */
size_t cmd_skipped_text(char *buf, size_t cap, const struct source *src);
/* --ref [TABLE=]FILE: loads FILE as the table schema S's foreign keys refer
 * to (TABLE may be left out when S refers to one table). Returns 0, or
 * EXIT_USAGE / EXIT_INPUT after a message. */
int cmd_load_ref(const char *cmd, struct check *chk, const struct schema *s,
                 const char *arg, const struct source_opts *so);

/* relec dedup on files of relec pseudonymise --link-key (dedup_pprl.c). */
typedef struct dedup_pprl_opts {
    const char *out_path;     /* -o, or NULL for stdout */
    double threshold;         /* Dice threshold, or -1 for the default */
    int one_per_file;         /* a cluster holds one row of each file */
    int quiet;                /* -q */
    int unsupported;          /* an option encoded files do not take */
    struct source_opts sopts; /* sheet, delimiter */
} dedup_pprl_opts;

/* Whether PATH is such a file (its header has a clk column). */
int dedup_pprl_detect(const char *path, const struct source_opts *so);

/* Links INPUTS by Dice (lib/pprl.h); returns the exit code. */
int dedup_pprl(char **inputs, int ninputs, const dedup_pprl_opts *o);

/* Reads the key in PATH (lib/key.h) into KEY (32 bytes). Returns 0, or
 * EXIT_INPUT after a message (unreadable, not a key, or readable by group
 * or others). */
int cmd_read_key(const char *cmd, const char *path, unsigned char *key);

#endif
