/*
 * cmd.h: the subcommands of relec and what they share: exit codes (a
 * contract, documented in README.md and every --help), the option tables
 * every command declares (cmd_spec) and small helpers.
 *
 * Ownership: option tables and specs are static const; what cmd_parse()
 * stores in a run struct points into argv, which outlives the run.
 */
#ifndef RELEC_CMD_H
#define RELEC_CMD_H
#include "buf.h"
#include "note.h"
#include "source.h"
#include <stddef.h>
#include <stdio.h>
#include <time.h>

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

/* A note sink (lib/note.h) that prints "relec CMD: note: TEXT" on stderr,
 * for library calls that have notes; valid for the whole run. */
const note_sink *cmd_notes(const char *cmd);

/* "relec CMD: ..." for a usage error plus a pointer to --help; returns 2. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Options: one declarative table per command (git's parse-options, curl's
 * table), from which cmd_parse() parses, cmd_help() writes --help and
 * cmd_man() the man page, so the three never drift. A table is static
 * const: an option names where its value goes by offset into the
 * command's run struct (CMD_AT), never by a pointer to a local.
 */

/* What an option does with its value. */
typedef enum cmd_opt_kind {
    CMD_OPT_STR,    /* the value, a const char * at off */
    CMD_OPT_SET,    /* no value; the int at off becomes val */
    CMD_OPT_CHOICE, /* one of choices; the int at off becomes its index */
    CMD_OPT_NUMBER, /* a decimal number, the double at off */
    CMD_OPT_LIST,   /* one more value of the cmd_list at off (at most val:
                       "too many --NAME" past it) */
    CMD_OPT_FN      /* fn(cmd, value, run + off) checks and stores it */
} cmd_opt_kind;

/* One option of a command. */
typedef struct cmd_option {
    const char *name;  /* long name without "--" */
    int letter;        /* short option letter, or 0 for none */
    const char *arg;   /* the value's name in --help (FILE, N), or NULL
                          when the option takes no value */
    const char *help;  /* --help text; '\n' starts a continuation line */
    cmd_opt_kind kind; /* what is done with the value */
    size_t off;        /* offset of the target in the run struct */
    int val;           /* CMD_OPT_SET: the value set */
    const char *const *choices; /* CMD_OPT_CHOICE: the words, NULL-ended */
    int (*fn)(const char *cmd, const char *arg, void *p); /* CMD_OPT_FN:
                           returns 0, or an exit code after a message */
} cmd_option;

/* The values of an option given more than once (--ref, --report). */
typedef struct cmd_list {
    const char *v[8]; /* the values, in order */
    int n;            /* how many */
} cmd_list;

/* Offset of MEMBER in the run struct TYPE. */
#define CMD_AT(type, member) offsetof(type, member)

/* Table rows. L: short letter or 0; A: the value's name; H: help. */
#define CMD_STR(N, L, A, H, type, m)                                           \
    { N, L, A, H, CMD_OPT_STR, CMD_AT(type, m), 0, NULL, NULL }
#define CMD_SET(N, L, H, type, m, v)                                           \
    { N, L, NULL, H, CMD_OPT_SET, CMD_AT(type, m), v, NULL, NULL }
#define CMD_FLAG(N, L, H, type, m) CMD_SET(N, L, H, type, m, 1)
#define CMD_CHOICE(N, L, A, H, type, m, words)                                 \
    { N, L, A, H, CMD_OPT_CHOICE, CMD_AT(type, m), 0, words, NULL }
#define CMD_NUMBER(N, L, A, H, type, m)                                        \
    { N, L, A, H, CMD_OPT_NUMBER, CMD_AT(type, m), 0, NULL, NULL }
#define CMD_LIST(N, L, A, H, type, m, max)                                     \
    { N, L, A, H, CMD_OPT_LIST, CMD_AT(type, m), max, NULL, NULL }
#define CMD_FN(N, L, A, H, off, f)                                             \
    { N, L, A, H, CMD_OPT_FN, off, 0, NULL, f }
/* Rows many commands share, the same words everywhere (git's OPT__QUIET):
 * -s into TYPE's member M; --sheet and -d into TYPE's sopts. */
#define CMD_SCHEMA(type, m)                                                    \
    CMD_STR("schema", 's', "FILE", "schema YAML, e.g. schemas/incident.yaml",  \
            type, m)
/* --lang LL: the language of messages and of the workbooks written
 * (cmd_opt_lang); HELP says what it changes in this command. */
#define CMD_LANG(H) CMD_FN("lang", 0, "LL", H, 0, cmd_opt_lang)
#define CMD_SHEET(type)                                                        \
    CMD_STR("sheet", 0, "NAME|N",                                              \
            "worksheet of .xlsx inputs (default: the first)", type,            \
            sopts.sheet)
#define CMD_DELIMITER(type)                                                    \
    CMD_FN("delimiter", 'd', "C",                                              \
           "CSV delimiter: , ; | or tab (default: guessed)",                   \
           CMD_AT(type, sopts.delim), cmd_opt_delimiter)
/* Rows more than one command has; HELP says what it means in this one. */
#define CMD_HEADER_ROW(type, H)                                                \
    CMD_FN("header-row", 0, "N", H, CMD_AT(type, sopts.header_row),            \
           cmd_opt_header_row)
#define CMD_MAX_PER_KIND(type, H)                                              \
    CMD_FN("max-per-kind", 0, "N", H, CMD_AT(type, per_kind), cmd_opt_per_kind)
#define CMD_QUIET(type, H) CMD_FLAG("quiet", 'q', H, type, quiet)
#define CMD_END                                                                \
    { NULL, 0, NULL, NULL, CMD_OPT_STR, 0, 0, NULL, NULL }

/* A command as --help, the man page and the dispatcher see it. Text is
 * plain, wrapped at 72 columns; a blank line starts a paragraph and a
 * line that starts with a space is kept as it is in the man page. */
typedef struct cmd_spec {
    const char *name;         /* as typed after relec */
    int (*run)(int, char **); /* cmd_<name>() */
    const char *summary;      /* one line for relec --help and NAME */
    const char *usage[3];     /* usage lines after "relec NAME " */
    const char *about;        /* what the command does */
    const cmd_option *opts;   /* ended by CMD_END; --help is added */
    const char *notes;        /* after the options, or NULL */
    const char *examples;     /* command lines, one a line, or NULL */
    const char *exit_status;  /* "exit status: ..." when it is not the
                                 contract's (EXIT_CODES_HELP), or NULL */
    int in_order;             /* operands go to operand() in order, among
                                 the options (merge's --map FILE...) */
    int (*operand)(const char *cmd, const char *arg, void *run); /* with
                                  in_order: takes one operand */
} cmd_spec;

/* Each command's spec (in cmd/<name>.c). */
extern const cmd_spec cmd_validate_spec, cmd_export_spec, cmd_template_spec,
    cmd_dedup_spec, cmd_merge_spec, cmd_load_spec, cmd_compare_spec,
    cmd_key_spec, cmd_pseudonymise_spec;

/* Every command, in relec --help's order, NULL-ended (main.c). */
extern const cmd_spec *const cmd_specs[];

/* Parses ARGV (ARGV[0] the command's name) by SPEC into RUN. Returns -1
 * when the command goes on (its operands are argv[optind..]), else the
 * exit code to end it with: 0 after --help, 2 after a usage error. */
int cmd_parse(const cmd_spec *spec, void *run, int argc, char **argv);

/* Writes SPEC's --help to FP. */
void cmd_help(const cmd_spec *spec, FILE *fp);

/* The getopt_long tables cmd_parse() uses for SPEC: OPTSTRING (at least
 * 2 + 3 per option bytes) and LONGOPTS (one more than the options plus
 * --help, the last zero). Returns how many options, -1 when there are
 * more than CMD_OPT_MAX. */
#define CMD_OPT_MAX 48
struct option;
int cmd_getopt_tables(const cmd_spec *spec, char *optstring,
                      struct option *longopts);

/* What relec is, for relec --help and the man page's DESCRIPTION. */
extern const char cmd_intro[];

/* Writes the man page relec(1) to FP, from the tables (man.c). */
void cmd_man(FILE *fp, const char *version);

/* Option values every command parses the same way (CMD_FN handlers).
 * Each returns 0, or EXIT_USAGE after saying what is wrong.
 * --delimiter: , ; | or tab, into the char at P. */
int cmd_opt_delimiter(const char *cmd, const char *arg, void *p);

/* --max-per-kind: -1 (all) to 1,000,000, into the int at P. */
int cmd_opt_per_kind(const char *cmd, const char *arg, void *p);

struct check;
struct schema;
struct source;
struct source_opts;

/* --lang: one of LANG_LIST (lang.h) or a locale name; makes it the
 * language of messages and of the workbooks written. */
int cmd_opt_lang(const char *cmd, const char *arg, void *p);

/* --header-row: 1 to 1048576, into the long at P. */
int cmd_opt_header_row(const char *cmd, const char *arg, void *p);

/* Makes SO find the header by the names of S's fields: sets header_names
 * to an array the caller frees. -1 when out of memory. */
int cmd_header_names(struct source_opts *so, const struct schema *s);

/* After the header is read: a note when it was not row 1, the first that
 * names WHAT ("the schema's fields"). */
void cmd_header_note(const char *cmd, const struct source *src,
                     const char *what);

struct check_finding;
struct source_row;
/* The warning a total row gets (source_next() left it out), into *F; its
 * strings point into ROW or are static. */
void cmd_total_finding(const struct source_row *row, struct check_finding *f);

/* ", N skipped (E empty, T total)" for a summary line, into BUF; "" when no
 * row was left out. Returns the length. */
size_t cmd_skipped_text(char *buf, size_t cap, const struct source *src);

/* Rows after the header left out as not data: empty, total, labels. */
long cmd_skipped_rows(const struct source *src);

/* The note for a row of labels under the header (SOURCE_SKIP_LABELS) of
 * input NAME: its row number and first labels. */
void cmd_labels_note(const char *cmd, const char *name,
                     const struct source_row *row);
/* --ref [TABLE=]FILE: loads FILE as the table schema S's foreign keys refer
 * to (TABLE may be left out when S refers to one table). Returns 0, or
 * EXIT_USAGE / EXIT_INPUT after a message. */
int cmd_load_ref(const char *cmd, struct check *chk, const struct schema *s,
                 const char *arg, const struct source_opts *so);

/* Opens PATH (named SHOWN in the message; PATH when NULL) as SO says.
 * NULL after "relec CMD: cannot open 'PATH': why". */
struct source *cmd_open(const char *cmd, const char *path, const char *shown,
                        const struct source_opts *so);

/* Checks, before any work, that each of the N output names in PATHS
 * (NULL: not asked for) can be an output of one of the kinds ALLOWED
 * (lib/sink.h: by its extension, and no input of the run). Returns 0, or
 * the exit code (2 or 4) after "relec CMD: why". */
int cmd_check_outputs(const char *cmd, const char *const *paths, size_t n,
                      unsigned allowed);

/* Opens PATH quietly and reads its first row into ROW, for a look at the
 * header before the real read (which record type, which table): the
 * source, to close after, or NULL when it cannot be opened or has no row
 * (the real read, through cmd_open(), says why). */
struct source *cmd_peek(const char *path, const struct source_opts *so,
                        struct source_row *row);

/* Reads SRC's first row, its header, into ROW. Returns 0, or EXIT_INPUT
 * after "relec CMD: 'NAME': why" (unreadable, or the file is empty), SRC
 * closed. NAME is SHOWN, or source_name(SRC) when NULL. */
int cmd_read_header(const char *cmd, struct source *src, const char *shown,
                    struct source_row *row);

/* C without its leading spaces and tabs and its trailing spaces, tabs
 * and CR: a view into the same bytes. */
source_cell cmd_trim(source_cell c);

/* A progress line on a terminal while a file is read: "relec CMD: NAME:
 * N rows...", looked at every 65,536 rows and shown at most once a
 * second, so a run under a second shows none. */
typedef struct cmd_progress {
    int on;      /* stderr is a terminal and -q was not given */
    time_t last; /* when the line was last shown */
} cmd_progress;

/* Starts P for a run; QUIET keeps it off. */
void cmd_progress_start(cmd_progress *p, int quiet);

/* After ROWS rows of NAME: shows "relec CMD: NAME: ROWS WHAT..." when
 * due. */
void cmd_progress_show(cmd_progress *p, const char *cmd, const char *name,
                       long rows, const char *what);
static inline void cmd_progress_tick(cmd_progress *p, const char *cmd,
                                     const char *name, long rows,
                                     const char *what) {
    if (p->on && (rows & 0xFFFF) == 0)
        cmd_progress_show(p, cmd, name, rows, what);
}

/* The reject_reason of a row (--rejects): "FIELD: message [code]" per
 * error, joined by "; ". One buffer per run, reused row after row. */
/* Appends finding F as "FIELD: message [code]", after "; " when R holds
 * one already. */
void cmd_reason_finding(buf *r, const struct check_finding *f);

/* The reason as a cell ("" when none). */
source_cell cmd_reason_cell(const buf *r);

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
