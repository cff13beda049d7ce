/*
 * man.c: the man page relec(1), written by relec --man from the command
 * specs (cmd.h): SYNOPSIS, the commands' DESCRIPTION, OPTIONS and
 * EXAMPLES come from the same tables as parsing and --help, so the page
 * cannot disagree with the program. The rest (ENVIRONMENT, FILES, EXIT
 * STATUS) is here, once.
 */
#include "cmd.h"

#include <string.h>

/* The exit-code contract, as README.md's "Exit status" table says it. */
static const struct {
    int code;            /* the exit status */
    const char *meaning; /* README's words */
} exit_codes[] = {
    {EXIT_OK, "done; no errors in the data (warnings allowed)"},
    {EXIT_DATA, "done; errors found in the data"},
    {EXIT_USAGE, "usage error (unknown option, missing argument)"},
    {EXIT_INPUT, "unreadable input (missing file, empty file, UTF-16, "
                 "corrupt workbook) or bad schema/map"},
    {EXIT_OUTPUT, "cannot write an output"},
};

/* Writes N bytes of S as roff text: backslashes escaped, a line's leading
 * . or ' made literal; with CODE, '-' is a hyphen-minus (\-) as in a
 * command line. */
static void roff(FILE *fp, const char *s, size_t n, int code) {
    for (size_t i = 0; i < n; i++) {
        if ((i == 0 || s[i - 1] == '\n') && (s[i] == '.' || s[i] == '\''))
            fputs("\\&", fp);
        unsigned char b = (unsigned char)s[i];
        if (b >= 0xc0 && b < 0xf8) { /* UTF-8: \[uXXXX], no preconv needed */
            int len = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
            unsigned long cp = b & (0x3f >> (len - 1));
            for (int k = 1; k < len && i + 1 < n; k++)
                cp = cp << 6 | ((unsigned char)s[++i] & 0x3f);
            fprintf(fp, "\\[u%04lX]", cp);
        } else if (s[i] == '\\')
            fputs("\\e", fp);
        else if (s[i] == '-' && code)
            fputs("\\-", fp);
        else
            fputc(s[i], fp);
    }
}

/* Writes TEXT (plain, as in --help) as roff paragraphs: a blank line
 * starts one; a paragraph with an indented line is kept as laid out. */
static void roff_block(FILE *fp, const char *text) {
    int first = 1;
    while (*text) {
        const char *end = strstr(text, "\n\n");
        size_t n = end ? (size_t)(end - text) + 1 : strlen(text);
        int laid_out = 0;
        for (size_t i = 0; i < n && !laid_out; i++)
            laid_out = text[i] == ' ' && (i == 0 || text[i - 1] == '\n');
        if (!first) fputs(".PP\n", fp);
        first = 0;
        if (laid_out) fputs(".nf\n", fp);
        roff(fp, text, n, 0);
        if (n && text[n - 1] != '\n') fputc('\n', fp);
        if (laid_out) fputs(".fi\n", fp);
        text += n;
        while (*text == '\n')
            text++;
    }
}

/* Writes option O as a .TP item: its names bold, its value italic, its
 * help filled. */
static void man_option(FILE *fp, const cmd_option *o) {
    fputs(".TP\n", fp);
    if (o->letter) fprintf(fp, "\\fB\\-%c\\fR, ", o->letter);
    fputs("\\fB\\-\\-", fp);
    roff(fp, o->name, strlen(o->name), 1);
    fputs("\\fR", fp);
    if (o->arg) {
        fputs(" \\fI", fp);
        roff(fp, o->arg, strlen(o->arg), 1);
        fputs("\\fR", fp);
    }
    fputc('\n', fp);
    roff(fp, o->help, strlen(o->help), 0);
    fputc('\n', fp);
}

/* What the page says once, after the commands: a month's work end to end,
 * the environment, the files. */
static const char workflow[] =
    ".SS \"A month, end to end\"\n"
    "A data officer maps the national files onto the standard, checks\n"
    "them, and loads them into the regional store; a coordinator makes the\n"
    "comparison tables with small cells suppressed and the suppression\n"
    "audited; what leaves the country is pseudonymised first:\n"
    ".PP\n"
    ".nf\n"
    "  relec merge \\-\\-map maps/pak\\-fia.yaml pak\\-fia\\-2025\\-03.csv "
    "\\e\n"
    "      \\-\\-rejects rejects.csv |\n"
    "    relec validate \\-s incident \\- \\-\\-valid \\- |\n"
    "    relec load \\-\\-db store.db \\-\n"
    "  relec compare \\-\\-db store.db \\-\\-period quarter \\-k 5 \\-\\-audit "
    "\\e\n"
    "      \\-o compare.xlsx\n"
    "  relec key new \\-o owner.key\n"
    "  relec pseudonymise \\-s person \\-\\-key owner.key \\-o shared.csv "
    "person.csv\n"
    ".fi\n";

static const char environment[] =
    ".SH ENVIRONMENT\n"
    ".TP\n"
    ".B RELEC_SCHEMAS\n"
    "A folder of schemas searched first for a schema named without a path\n"
    "(\\-s incident, a map's schema: incident, the record types of load and\n"
    "compare).\n"
    ".TP\n"
    ".B TMPDIR\n"
    "Where stdin is spooled when a command must read it twice (load,\n"
    "compare); /tmp when unset.\n"
    ".TP\n"
    ".BR LC_ALL \", \" LC_MESSAGES \", \" LANG\n"
    "The language of messages (findings, errors): the first of them that is\n"
    "set and not empty, by its language part (fa_AF.UTF-8 and prs_AF are\n"
    "fa); ur, fa, ps, ar, bn or tr, English for any other. \\-\\-lang\n"
    "(template, export, validate) chooses the language of the workbooks\n"
    "written, and of that command's messages too. Numbers are read and\n"
    "written with a decimal point whatever the locale, so that a file means\n"
    "the same on every machine.\n";

static const char files[] =
    ".SH FILES\n"
    "A schema named without a path is looked for, in order, in\n"
    ".BR $RELEC_SCHEMAS ,\n"
    "the folder given with \\-\\-schemas,\n"
    ".IR ./schemas ,\n"
    "beside a map\n"
    ".RI ( MAPDIR/../../schemas \", \" MAPDIR/../schemas \", \" MAPDIR ),\n"
    "beside the binary\n"
    ".RI ( BIN/../schemas \", \" BIN/../share/relec/schemas ,\n"
    "so that an installation under any prefix finds its own), in the\n"
    "folder chosen when relec was built, and in\n"
    ".I /usr/local/share/relec/schemas\n"
    "and\n"
    ".IR /usr/share/relec/schemas .\n"
    ".TP\n"
    ".I schemas/incident.yaml, person.yaml, aggregate.yaml\n"
    "the record types of the RELEC data standard\n"
    ".TP\n"
    ".I schemas/codes/*.yaml\n"
    "their code lists\n"
    ".PP\n"
    "Outputs are written to a temporary file beside the output\n"
    ".RI ( .NAME.tmp\\-XXXXXX )\n"
    "and renamed when complete; the temporary file is removed when the run\n"
    "fails or is interrupted. No output may go over a file the run reads.\n";

void cmd_man(FILE *fp, const char *version) {
    fprintf(fp, ".TH RELEC 1 \"\" \"relec %s\" \"User Commands\"\n", version);
    fputs(".SH NAME\n"
          "relec \\- check, merge and compare THB, SoM and irregular "
          "migration data (RELEC SOP)\n"
          ".SH SYNOPSIS\n",
          fp);
    for (size_t i = 0; cmd_specs[i]; i++)
        for (int u = 0; u < 3 && cmd_specs[i]->usage[u]; u++) {
            const char *s = cmd_specs[i]->usage[u];
            fprintf(fp, ".B relec %s\n", cmd_specs[i]->name);
            while (*s) { /* one line: --help's wrapping is not the page's */
                size_t n = strcspn(s, "\n");
                roff(fp, s, n, 1);
                s += n;
                while (*s == '\n' || *s == ' ')
                    s++;
                if (*s) fputc(' ', fp);
            }
            fputs("\n.br\n", fp);
        }
    fputs(".SH DESCRIPTION\n", fp);
    roff_block(fp, cmd_intro);
    fputs(".PP\nFiles named \\- are stdin or stdout. Each command is told "
          "below; its options are under OPTIONS, examples under EXAMPLES.\n",
          fp);
    for (size_t i = 0; cmd_specs[i]; i++) {
        const cmd_spec *c = cmd_specs[i];
        fprintf(fp, ".SS \"relec %s\"\n", c->name);
        roff(fp, c->summary, strlen(c->summary), 0);
        fputs(".\n.PP\n", fp);
        roff_block(fp, c->about);
        if (c->notes) {
            fputs(".PP\n", fp);
            roff_block(fp, c->notes);
        }
    }
    fputs(".SH OPTIONS\n"
          "Every command takes \\fB\\-h\\fR, \\fB\\-\\-help\\fR (its help "
          "on stdout, exit 0); \\fBrelec \\-\\-help\\fR lists the commands "
          "and \\fBrelec \\-\\-version\\fR prints the version.\n",
          fp);
    for (size_t i = 0; cmd_specs[i]; i++) {
        fprintf(fp, ".SS \"relec %s\"\n", cmd_specs[i]->name);
        for (const cmd_option *o = cmd_specs[i]->opts; o->name; o++)
            man_option(fp, o);
    }
    fputs(".SH EXAMPLES\n", fp);
    for (size_t i = 0; cmd_specs[i]; i++) {
        if (!cmd_specs[i]->examples) continue;
        const char *e = cmd_specs[i]->examples;
        fprintf(fp, ".SS \"relec %s\"\n.nf\n", cmd_specs[i]->name);
        while (*e) {
            size_t n = strcspn(e, "\n");
            fputs("  ", fp);
            roff(fp, e, n, 1);
            fputc('\n', fp);
            e += n + (e[n] == '\n');
        }
        fputs(".fi\n", fp);
    }
    fputs(workflow, fp);
    fputs(environment, fp);
    fputs(files, fp);
    fputs(".SH \"EXIT STATUS\"\nA contract: scripts may rely on it.\n", fp);
    for (size_t i = 0; i < sizeof exit_codes / sizeof *exit_codes; i++)
        fprintf(fp, ".TP\n.B %d\n%s\n", exit_codes[i].code,
                exit_codes[i].meaning);
    fputs(".PP\nCommands that say more:\n", fp);
    for (size_t i = 0; cmd_specs[i]; i++) {
        const char *x = cmd_specs[i]->exit_status;
        if (!x) continue;
        fprintf(fp, ".TP\n.B relec %s\n", cmd_specs[i]->name);
        if (!strncmp(x, "exit status: ", 13)) x += 13;
        roff(fp, x, strlen(x), 0);
    }
    fputs(".SH \"SEE ALSO\"\n"
          "The data standard in the source tree's\n"
          ".IR sop/data\\-standard.md ,\n"
          "the schema language in\n"
          ".IR schemas/README.md ,\n"
          "the crosswalks in\n"
          ".IR schemas/maps.md .\n",
          fp);
}
