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
 */
#include "lang.h"
#include "catalog.h"
#include "strmap.h"
#include "ydoc.h"

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
