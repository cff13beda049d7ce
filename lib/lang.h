/*
 * lang.h: the languages relec speaks to its users (en, ur, fa, ps, ar, bn,
 * tr) and the message catalogue of the run's language.
 *
 * A run has one language for its messages, chosen once by --lang or the
 * locale (LC_ALL, LC_MESSAGES, LANG), and one for the workbooks it writes,
 * chosen by --lang only (a workbook goes to other people: the sender's
 * locale does not choose its language). Codes, field names, finding codes
 * and severities are the same in every language; only the words change.
 *
 * The catalogue of language XX is SCHEMAS/lang/XX.yaml (a map from the
 * English message, a printf format, to its translation), read with libyaml
 * through ydoc. A translation whose conversions (%s, %zu, %.*s ...) differ
 * from the English one is not used; anything untranslated, a missing or
 * broken file included, is said in English: a translation never fails a
 * run.
 *
 * Ownership: the catalogue is this module's process-wide state (like
 * gettext's), loaded by lang_use() and freed by lang_use(LANG_EN); strings
 * returned are the catalogue's or the caller's and live until the next
 * lang_use(). iso-codes' catalogues (lang_iso_name) are process-wide too,
 * opened on first use and kept until the process ends; a lang_mo from
 * lang_mo_open() is its caller's, and the strings found in it live until
 * lang_mo_free().
 */
#ifndef RELEC_LANG_H
#define RELEC_LANG_H
#include <stddef.h>

/* The languages, in the order of `--help`. fa is Dari as written in
 * Afghanistan and Persian as written in Iran: one code, one catalogue. */
enum {
    LANG_EN,
    LANG_UR,
    LANG_FA,
    LANG_PS,
    LANG_AR,
    LANG_BN,
    LANG_TR,
    LANG_COUNT /* number of languages */
};

/* "en, ur, fa, ps, ar, bn, tr", for usage messages and --help. */
#define LANG_LIST "en, ur, fa, ps, ar, bn, tr"

/* The language NAME stands for: a code (ur), a locale (ur_PK.UTF-8,
 * fa-AF, ar_IQ@x) or prs (Dari, ISO 639-3) and pes (Iranian Persian), case
 * ignored; -1 when it is none of ours. */
int lang_parse(const char *name);

/* The language of the locale: LC_ALL, else LC_MESSAGES, else LANG (the
 * first one set and non-empty); LANG_EN for C, POSIX, an unknown
 * language or none. */
int lang_from_env(void);

/* Two-letter code of L ("ur"); "en" for an L out of range. */
const char *lang_code(int l);

/* Whether L is written right to left (ur, fa, ps, ar). */
int lang_rtl(int l);

/* Makes L the language of messages, loading SCHEMA_DIR/lang/CODE.yaml
 * (SCHEMA_DIR NULL: catalog_dir(NULL)). A file that cannot be read, or a
 * translation that cannot be used, is a warning on stderr prefixed PROG,
 * once; the messages it lacks stay English. Returns the number of
 * translations in use. */
size_t lang_use(int l, const char *schema_dir, const char *prog);

/* The language of messages (LANG_EN until lang_use()). */
int lang_messages(void);

/* The language of workbooks: set by --lang (lang_set_workbooks), else
 * LANG_EN. */
int lang_workbooks(void);
void lang_set_workbooks(int l);

/* The translation of the English format FMT into the language of
 * messages, or FMT itself. */
const char *lang_tr(const char *fmt) __attribute__((format_arg(1)));

/* The translation of FMT into the language of workbooks: lang_tr(FMT)
 * when the catalogue loaded is that language's, else FMT (LANG=fa without
 * --lang: messages in Dari, the workbook's own texts in English). */
const char *lang_trw(const char *fmt) __attribute__((format_arg(1)));

/* Whether formats A and B have the same conversions in the same order
 * ("%s ... %zu" and "%s ... %zu"), %% aside. 1 yes, 0 no. */
int lang_same_conversions(const char *a, const char *b);

/* Loads the catalogue at PATH into the current language without warnings;
 * for tests. Returns translations used, and sets *REJECTED to those not
 * used (conversions differ) and ERR to the first reason, or -1 with ERR
 * when the file cannot be read. */
long lang_load_file(const char *path, size_t *rejected, char *err,
                    size_t errlen);

/* A gettext catalogue: a GNU .mo file (either byte order, major revision
 * 0 or 1) read whole and checked once (magic, every offset and length in
 * the file, every string NUL-ended, the msgids sorted), so that a lookup
 * is a binary search that cannot read outside it. Owned by the caller of
 * lang_mo_open(); the strings found live until lang_mo_free(). */
typedef struct lang_mo lang_mo;

/* Reads the .mo file at PATH; NULL with ERR ("cannot open 'x.mo': No such
 * file or directory", "'x.mo' is not a gettext catalogue ...") when it
 * cannot be read or is not a sound catalogue. */
lang_mo *lang_mo_open(const char *path, char *err, size_t errlen);

/* The translation of MSGID in MO (its first form, for a plural entry), or
 * NULL when MO has none or an empty one. */
const char *lang_mo_find(const lang_mo *mo, const char *msgid);

/* Number of entries of MO, the header ("" msgid) included. */
size_t lang_mo_count(const lang_mo *mo);

void lang_mo_free(lang_mo *mo);

/* The gettext domains of Debian's iso-codes that relec reads, as bits: a
 * code list's `translations:` names one (iso_3166-1: country names,
 * iso_3166-2: subdivision names). */
enum { LANG_ISO_3166_1 = 1, LANG_ISO_3166_2 = 2 };

/* The bit of domain NAME ("iso_3166-1"); 0 when it is none of them. */
unsigned lang_iso_domain(const char *name);

/* The English name EN (iso-codes' msgid: "Pakistan", "Punjab") in
 * language L, from the first of DOMAINS whose catalogue translates it, or
 * NULL. The catalogues are LOCALEDIR/CODE/LC_MESSAGES/DOMAIN.mo, LOCALEDIR
 * $RELEC_LOCALEDIR or /usr/share/locale, read without setlocale() (the
 * run's locale need not be installed), opened on first use and kept until
 * the process ends (process-wide, like the catalogue of messages; a lock
 * guards the opening). A country catalogue that is missing, or any that is
 * broken, is a warning on stderr once; iso-codes has subdivision names in
 * few languages, so a missing subdivision catalogue is not. */
const char *lang_iso_name(unsigned domains, int l, const char *en);

#endif
