/*
 * lang.c: language codes, the locale, and the message catalogue (a YAML map
 * from English printf formats to their translations, lang.h).
 *
 * Why YAML read with libyaml rather than glibc's gettext: gettext finds a
 * translation only when the locale is installed on the machine (a Debian
 * server has C.UTF-8 and little else; ur_PK or ps_AF are rarely generated),
 * so `--lang ur` could not be honoured from a flag alone; its .mo files
 * need msgfmt at build time; and a second reader edits one plain UTF-8
 * file per language beside the schemas, checked at load (same conversions
 * as the English) so that a slip in a translation can never make printf
 * read an argument that is not there.
 *
 * Country and subdivision names are another matter: Debian's iso-codes
 * ships them translated (and reviewed by its translators) only as gettext
 * .mo files, so relec reads those with the small reader below rather than
 * through gettext (which would need the locale installed and setlocale()),
 * and rather than converting them into the schemas at build time (5,376
 * names x 6 languages copied into the repository, stale when iso-codes is
 * updated, and a build step that needs iso-codes on the build machine).
 */
#include "lang.h"
#include "catalog.h"
#include "strmap.h"
#include "ydoc.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const codes[LANG_COUNT] = {"en", "ur", "fa", "ps",
                                              "ar", "bn", "tr"};

static struct {
    int msg_lang; /* language of messages */
    int wb_lang;  /* language of workbooks */
    ydoc *doc;    /* the loaded catalogue; its strings are the values */
    strmap map;   /* English format -> translation (a char * as value) */
} L;

int lang_parse(const char *name) {
    if (!name) return -1;
    size_t n = strcspn(name, "_-.@");
    if (n == 3 &&
        (!strncasecmp(name, "prs", 3) || !strncasecmp(name, "pes", 3)))
        return LANG_FA;
    if (n != 2) return -1;
    for (int l = 0; l < LANG_COUNT; l++)
        if (!strncasecmp(name, codes[l], 2)) return l;
    return -1;
}

int lang_from_env(void) {
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v) continue;
        int l = lang_parse(v);
        return l < 0 ? LANG_EN : l;
    }
    return LANG_EN;
}

const char *lang_code(int l) {
    return l >= 0 && l < LANG_COUNT ? codes[l] : "en";
}

int lang_rtl(int l) {
    return l == LANG_UR || l == LANG_FA || l == LANG_PS || l == LANG_AR;
}

int lang_messages(void) {
    return L.msg_lang;
}

int lang_workbooks(void) {
    return L.wb_lang;
}

void lang_set_workbooks(int l) {
    L.wb_lang = l >= 0 && l < LANG_COUNT ? l : LANG_EN;
}

const char *lang_tr(const char *fmt) {
    if (!L.doc || !fmt) return fmt;
    uint64_t *v = strmap_get(&L.map, fmt, strlen(fmt));
    return v ? (const char *)(uintptr_t)*v : fmt;
}

const char *lang_trw(const char *fmt) {
    return L.wb_lang == L.msg_lang ? lang_tr(fmt) : fmt;
}

/* The next conversion of F from *I ("%.*s", "%zu"), copied into OUT (at
 * most CAP-1 bytes); 0 at the end. "%%" is skipped. */
static int next_conv(const char *f, size_t *i, char *out, size_t cap) {
    for (;;) {
        const char *p = strchr(f + *i, '%');
        if (!p) return 0;
        size_t k = (size_t)(p - f) + 1;
        if (f[k] == '%') {
            *i = k + 1;
            continue;
        }
        /* flags, width, precision, length, then the conversion letter */
        while (f[k] && strchr("-+ #0123456789.*'$hlLqjzt", f[k]))
            k++;
        if (f[k]) k++;
        size_t n = k - (size_t)(p - f);
        if (n >= cap) n = cap - 1;
        memcpy(out, p, n);
        out[n] = 0;
        *i = k;
        return 1;
    }
}

int lang_same_conversions(const char *a, const char *b) {
    size_t i = 0, j = 0;
    char ca[32], cb[32];
    for (;;) {
        int ha = next_conv(a, &i, ca, sizeof ca);
        int hb = next_conv(b, &j, cb, sizeof cb);
        if (ha != hb) return 0;
        if (!ha) return 1;
        if (strcmp(ca, cb) != 0) return 0;
    }
}

static void drop(void) {
    strmap_free(&L.map);
    ydoc_free(L.doc);
    L.doc = NULL;
}

long lang_load_file(const char *path, size_t *rejected, char *err,
                    size_t errlen) {
    drop();
    *rejected = 0;
    if (err && errlen) err[0] = 0;
    ydoc *d = ydoc_load(path, err, errlen);
    if (!d) return -1;
    const ydoc_node *m = ydoc_get(d->root, "messages");
    if (!m || m->kind != YDOC_MAP) {
        ydoc_fail(err, errlen, d, m ? m : d->root,
                  "no 'messages:' map of English messages to translations");
        ydoc_free(d);
        return -1;
    }
    strmap_init(&L.map);
    long used = 0;
    for (size_t i = 0; i < m->n; i++) {
        const ydoc_node *k = m->items[2 * i], *v = m->items[2 * i + 1];
        if (k->kind != YDOC_SCALAR || v->kind != YDOC_SCALAR || !v->len)
            continue; /* untranslated: English */
        if (!lang_same_conversions(k->str, v->str)) {
            if (!*rejected && err)
                ydoc_fail(err, errlen, d, v,
                          "the translation's %%-conversions differ from the "
                          "English '%s': not used",
                          k->str);
            (*rejected)++;
            continue;
        }
        int added = 0;
        uint64_t *slot = strmap_put(&L.map, k->str, k->len, &added);
        if (!slot) break;
        *slot = (uint64_t)(uintptr_t)v->str;
        used += added;
    }
    L.doc = d;
    return used;
}

size_t lang_use(int l, const char *schema_dir, const char *prog) {
    drop();
    L.msg_lang = l >= 0 && l < LANG_COUNT ? l : LANG_EN;
    if (L.msg_lang == LANG_EN) return 0;
    const char *dir = schema_dir ? schema_dir : catalog_dir(NULL);
    char path[4096], err[1024];
    snprintf(path, sizeof path, "%s/lang/%s.yaml", dir, codes[L.msg_lang]);
    size_t rejected = 0;
    long n = lang_load_file(path, &rejected, err, sizeof err);
    if (n < 0 || rejected)
        fprintf(stderr, "%s: warning: %s%s; %s in English\n", prog, err,
                rejected > 1 ? " (and others)" : "",
                n < 0 ? "messages" : "those messages");
    return n < 0 ? 0 : (size_t)n;
}

/* ---- gettext .mo files (GNU gettext manual, "The Format of GNU MO Files")
 * offset 0: magic 0x950412de in the file's byte order; 4: revision; 8: N,
 * the number of strings; 12: O, the table of msgids; 16: T, the table of
 * translations; each table N pairs (length without the NUL, offset). The
 * msgids are sorted (msgfmt sorts them), so a lookup is a binary search. */

struct lang_mo {
    unsigned char *buf; /* the whole file */
    size_t size;        /* its length in bytes */
    int swap;           /* the file's byte order is not the machine's */
    uint32_t n;         /* number of strings */
    uint32_t orig;      /* offset of the msgid table */
    uint32_t trans;     /* offset of the translation table */
};

static uint32_t mo_u32(const lang_mo *m, size_t off) {
    uint32_t v;
    memcpy(&v, m->buf + off, 4);
    return m->swap ? __builtin_bswap32(v) : v;
}

/* String I of the table at TAB: its bytes, NUL-ended (checked at open). */
static const char *mo_str(const lang_mo *m, uint32_t tab, uint32_t i,
                          uint32_t *len) {
    *len = mo_u32(m, (size_t)tab + 8 * (size_t)i);
    return (const char *)m->buf + mo_u32(m, (size_t)tab + 8 * (size_t)i + 4);
}

/* Whether table TAB's N entries lie in the file, each string NUL-ended. */
static int mo_table_ok(const lang_mo *m, uint32_t tab) {
    if (tab > m->size || (m->size - tab) / 8 < m->n) return 0;
    for (uint32_t i = 0; i < m->n; i++) {
        uint32_t len = mo_u32(m, (size_t)tab + 8 * (size_t)i);
        uint32_t off = mo_u32(m, (size_t)tab + 8 * (size_t)i + 4);
        if (off >= m->size || m->size - off <= len || m->buf[off + len])
            return 0;
    }
    return 1;
}

lang_mo *lang_mo_open(const char *path, char *err, size_t errlen) {
    lang_mo *m = calloc(1, sizeof *m);
    FILE *f = m ? fopen(path, "rb") : NULL;
    const char *why = NULL;
    if (!f) {
        if (err)
            snprintf(err, errlen, "cannot open '%s': %s", path,
                     strerror(m ? errno : ENOMEM));
        free(m);
        return NULL;
    }
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        why = "cannot find its size";
    } else if (size < 28 || size > (long)UINT32_MAX) {
        why = size < 28 ? "too short for the header" : "larger than 4 GB";
    } else if (!(m->buf = malloc((size_t)size))) {
        why = "out of memory";
    } else if (fread(m->buf, 1, (size_t)size, f) != (size_t)size) {
        why = "cannot read it";
    }
    fclose(f);
    if (!why) {
        m->size = (size_t)size;
        uint32_t magic;
        memcpy(&magic, m->buf, 4);
        m->swap = magic == 0xde120495u;
        if (magic != 0x950412deu && !m->swap)
            why = "no gettext magic number at its start";
        else if (mo_u32(m, 4) >> 16 > 1)
            why = "a revision other than 0 or 1";
    }
    if (!why) {
        m->n = mo_u32(m, 8);
        m->orig = mo_u32(m, 12);
        m->trans = mo_u32(m, 16);
        if (!mo_table_ok(m, m->orig) || !mo_table_ok(m, m->trans))
            why = "a string runs outside the file or is not NUL-ended";
        for (uint32_t i = 1; !why && i < m->n; i++) {
            uint32_t la, lb;
            const char *a = mo_str(m, m->orig, i - 1, &la);
            const char *b = mo_str(m, m->orig, i, &lb);
            if (strcmp(a, b) >= 0) why = "its messages are not sorted";
        }
    }
    if (why) {
        if (err)
            snprintf(err, errlen, "'%s' is not a gettext catalogue: %s", path,
                     why);
        lang_mo_free(m);
        return NULL;
    }
    return m;
}

const char *lang_mo_find(const lang_mo *m, const char *msgid) {
    if (!m || !msgid) return NULL;
    uint32_t lo = 0, hi = m->n, len;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(msgid, mo_str(m, m->orig, mid, &len));
        if (c == 0) {
            const char *t = mo_str(m, m->trans, mid, &len);
            return len && *t ? t : NULL;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

size_t lang_mo_count(const lang_mo *m) {
    return m ? m->n : 0;
}

void lang_mo_free(lang_mo *m) {
    if (!m) return;
    free(m->buf);
    free(m);
}

/* ---- Debian iso-codes' names */

static const char *const iso_domains[] = {"iso_3166-1", "iso_3166-2"};
#define ISO_N (sizeof iso_domains / sizeof *iso_domains)

static struct {
    pthread_mutex_t lock;           /* guards the opening */
    lang_mo *mo[ISO_N][LANG_COUNT]; /* catalogue per domain and language */
    char tried[ISO_N][LANG_COUNT];  /* opening tried (the file may lack) */
} ISO = {PTHREAD_MUTEX_INITIALIZER, {{0}}, {{0}}};

unsigned lang_iso_domain(const char *name) {
    for (size_t d = 0; name && d < ISO_N; d++)
        if (!strcmp(name, iso_domains[d])) return 1u << d;
    return 0;
}

/* The catalogue of domain D in language L, opened on first use. */
static const lang_mo *iso_mo(size_t d, int l) {
    pthread_mutex_lock(&ISO.lock);
    if (!ISO.tried[d][l]) {
        ISO.tried[d][l] = 1;
        const char *dir = getenv("RELEC_LOCALEDIR");
        char path[4096], err[4200];
        snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/%s.mo",
                 dir && *dir ? dir : "/usr/share/locale", codes[l],
                 iso_domains[d]);
        ISO.mo[d][l] = lang_mo_open(path, err, sizeof err);
        int missing = !ISO.mo[d][l] && !strncmp(err, "cannot open", 11);
        if (!ISO.mo[d][l] && (!missing || d == 0))
            fprintf(stderr, "relec: warning: %s; %s names in English%s\n", err,
                    d == 0 ? "country" : "subdivision",
                    missing ? " (is iso-codes installed?)" : "");
    }
    const lang_mo *m = ISO.mo[d][l];
    pthread_mutex_unlock(&ISO.lock);
    return m;
}

const char *lang_iso_name(unsigned domains, int l, const char *en) {
    if (!en || l <= LANG_EN || l >= LANG_COUNT) return NULL;
    for (size_t d = 0; d < ISO_N; d++) {
        if (!(domains & (1u << d))) continue;
        const char *t = lang_mo_find(iso_mo(d, l), en);
        if (t) return t;
    }
    return NULL;
}
