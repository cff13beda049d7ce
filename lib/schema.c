/*
 * schema.c: loads a schema YAML (language: schemas/README.md) into the plan
 * of schema.h. Everything costly is done here, once: patterns compiled and
 * JIT-compiled, code lists hashed, names resolved to indexes, so that the
 * per-row checker only compares bytes and follows indexes.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schema.h"
#include "buf.h"
#include "catalog.h"
#include "outfile.h"
#include "ydoc.h"

#include <errno.h>
#include <libgen.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Loader state: the schema being built and where to report errors. */
typedef struct loader {
    schema *s;     /* schema being built */
    ydoc *doc;     /* the schema file */
    char *dir;     /* directory of the schema file */
    char *err;     /* error buffer */
    size_t errlen; /* its size */
} loader;

const char *schema_type_name(schema_type t) {
    static const char *names[] = {"string",  "integer", "number", "date",
                                  "boolean", "code",    "list",   "period"};
    return (unsigned)t < sizeof names / sizeof *names ? names[t] : "?";
}

/* FNV-1a: codes are short, and this is the whole cost of a lookup. */
static uint32_t hash(const char *p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

static int codelist_index(schema_codelist *l) {
    size_t ns = 16;
    while (ns < 2 * l->ncodes + 2)
        ns *= 2;
    l->slots = calloc(ns, sizeof *l->slots);
    l->lens = malloc((l->ncodes + 1) * sizeof *l->lens);
    if (!l->slots || !l->lens) return -1;
    l->nslots = ns;
    for (size_t i = 0; i < l->ncodes; i++) {
        size_t n = l->lens[i] = strlen(l->codes[i]);
        size_t j = hash(l->codes[i], n) & (ns - 1);
        while (l->slots[j]) {
            if (strcmp(l->codes[l->slots[j] - 1], l->codes[i]) == 0) break;
            j = (j + 1) & (ns - 1);
        }
        if (!l->slots[j]) l->slots[j] = (unsigned)i + 1;
    }
    return 0;
}

/* Per row this runs once per code cell: the stored lengths turn the
 * comparison into one integer compare and, only on a length match, one
 * memcmp (strncmp had to look for NUL bytes on both sides). */
long schema_code_find(const schema_codelist *l, const char *code, size_t n) {
    if (!l || !l->nslots) return -1;
    size_t j = hash(code, n) & (l->nslots - 1);
    while (l->slots[j]) {
        size_t i = l->slots[j] - 1;
        const char *c = l->codes[i];
        if (l->lens ? l->lens[i] == n && memcmp(c, code, n) == 0
                    : strncmp(c, code, n) == 0 && c[n] == 0)
            return (long)i;
        j = (j + 1) & (l->nslots - 1);
    }
    return -1;
}

static void codelist_free(schema_codelist *l) {
    if (!l || l->shared) return;
    for (size_t i = 0; l->tlabels && i < l->ncodes * LANG_COUNT; i++)
        free(l->tlabels[i]);
    free(l->tlabels);
    for (size_t i = 0; i < l->ncodes; i++) {
        free(l->codes[i]);
        if (l->labels) free(l->labels[i]);
        if (l->parents) free(l->parents[i]);
    }
    free(l->codes);
    free(l->labels);
    free(l->parents);
    free(l->slots);
    free(l->lens);
    free(l->name);
    free(l->title);
    free(l);
}

static int add_list(schema *s, schema_codelist *l) {
    schema_codelist **v = realloc(s->lists, (s->nlists + 1) * sizeof *v);
    if (!v) return -1;
    s->lists = v;
    s->lists[s->nlists++] = l;
    return 0;
}

const char *schema_tr(char *const *tr, const char *en, int lang) {
    return lang > LANG_EN && lang < LANG_COUNT && tr[lang] ? tr[lang] : en;
}

const char *schema_label(const schema_codelist *l, size_t k, int lang) {
    const char *t = l->tlabels && lang > LANG_EN && lang < LANG_COUNT
                        ? l->tlabels[k * LANG_COUNT + (size_t)lang]
                        : NULL;
    if (!t && l->iso && l->labels)
        t = lang_iso_name(l->iso, lang, l->labels[k]);
    return t ? t : l->labels ? l->labels[k] : NULL;
}

/* A text's translations, `{ur: "...", fa: "..."}`, into OUT[LANG_COUNT]
 * (strdup'ed; en is the untranslated key's own and refused here). WHAT
 * names the key for messages. 0, or -1 with the error in D's terms. */
static int parse_tr(loader *L, const ydoc *d, const ydoc_node *n,
                    const char *what, char **out) {
    if (n->kind != YDOC_MAP)
        return ydoc_fail(L->err, L->errlen, d, n,
                         "%s must be a map of languages to texts, e.g. "
                         "{ur: \"...\", fa: \"...\"}",
                         what);
    for (size_t i = 0; i < n->n; i++) {
        const ydoc_node *k = n->items[2 * i], *v = n->items[2 * i + 1];
        int l = k->kind == YDOC_SCALAR && k->len == 2 ? lang_parse(k->str) : -1;
        if (l <= LANG_EN)
            return ydoc_fail(L->err, L->errlen, d, k,
                             "%s: '%s' is not a language relec translates "
                             "into (ur, fa, ps, ar, bn, tr)",
                             what, k->str);
        if (v->kind != YDOC_SCALAR)
            return ydoc_fail(L->err, L->errlen, d, v,
                             "%s: the %s text must be a string", what, k->str);
        if (v->len && !out[l] && !(out[l] = strdup(v->str))) return -1;
    }
    return 0;
}

/* Builds a code list from a YAML sequence of scalars or of maps
 * {code, label, labels, parent}. */
static schema_codelist *list_from_seq(loader *L, const ydoc *d,
                                      const ydoc_node *seq, const char *name) {
    if (!seq || seq->kind != YDOC_SEQ) {
        ydoc_fail(L->err, L->errlen, d, seq,
                  "code list '%s' must be a sequence of codes", name);
        return NULL;
    }
    schema_codelist *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->name = strdup(name);
    l->codes = calloc(seq->n + 1, sizeof *l->codes);
    l->labels = calloc(seq->n + 1, sizeof *l->labels);
    int has_parent = 0;
    for (size_t i = 0; i < seq->n; i++)
        if (ydoc_get(seq->items[i], "parent")) has_parent = 1;
    if (has_parent) l->parents = calloc(seq->n + 1, sizeof *l->parents);
    for (size_t i = 0; i < seq->n; i++) {
        const ydoc_node *it = seq->items[i];
        const ydoc_node *code =
            it->kind == YDOC_MAP ? ydoc_get(it, "code") : it;
        if (!code || code->kind != YDOC_SCALAR || code->len == 0) {
            ydoc_fail(L->err, L->errlen, d, it,
                      "code list '%s': entry needs a non-empty code", name);
            l->ncodes = i;
            codelist_free(l);
            return NULL;
        }
        l->codes[i] = strdup(code->str);
        const ydoc_node *lab = ydoc_get(it, "label");
        if (lab && lab->kind == YDOC_SCALAR) l->labels[i] = strdup(lab->str);
        const ydoc_node *labs = ydoc_get(it, "labels");
        if (labs && !l->tlabels &&
            !(l->tlabels = calloc(seq->n * LANG_COUNT, sizeof *l->tlabels))) {
            l->ncodes = i + 1;
            codelist_free(l);
            return NULL;
        }
        if (labs &&
            parse_tr(L, d, labs, "labels", l->tlabels + i * LANG_COUNT) < 0) {
            l->ncodes = i + 1;
            codelist_free(l);
            return NULL;
        }
        const ydoc_node *par = ydoc_get(it, "parent");
        if (l->parents && par && par->kind == YDOC_SCALAR)
            l->parents[i] = strdup(par->str);
        l->ncodes = i + 1;
    }
    if (codelist_index(l) < 0) {
        codelist_free(l);
        return NULL;
    }
    for (size_t i = 0; i < l->ncodes; i++)
        if (schema_code_find(l, l->codes[i], strlen(l->codes[i])) != (long)i) {
            ydoc_fail(L->err, L->errlen, d, seq->items[i],
                      "code list '%s': code '%s' is listed twice", name,
                      l->codes[i]);
            codelist_free(l);
            return NULL;
        }
    return l;
}

static schema_codelist *find_list(schema *s, const char *name) {
    for (size_t i = 0; i < s->nlists; i++)
        if (strcmp(s->lists[i]->name, name) == 0) return s->lists[i];
    return NULL;
}

/* The process-wide code-list cache. A code list file (schemas/codes/X.yaml)
 * is read and hashed once per process however many schemas, maps or
 * checkers name it: each load of the incident schema read the ISO lists
 * again (about 10 ms). An entry is keyed by the file's resolved path and
 * identity (device, inode, size, modification time), so that a file
 * replaced or edited since is read again; a list in the cache is marked
 * shared, never changed and never freed (schema_free leaves it), and lives
 * until the process ends. Lookups and inserts hold a lock (dedup's scoring
 * runs in threads). */
typedef struct cache_entry {
    char *path;         /* realpath() of the file */
    struct stat id;     /* its identity when read */
    schema_codelist *l; /* the list, shared */
} cache_entry;

static cache_entry *cache;      /* entries, newest last */
static size_t ncache, capcache; /* entries used and allocated */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static int same_file(const struct stat *a, const struct stat *b) {
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The cached list for PATH as ST describes it, or NULL. */
static schema_codelist *cache_get(const char *path, const struct stat *st) {
    char *real = realpath(path, NULL);
    schema_codelist *l = NULL;
    if (!real) return NULL;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = ncache; i-- > 0 && !l;)
        if (same_file(&cache[i].id, st) && !strcmp(cache[i].path, real))
            l = cache[i].l;
    pthread_mutex_unlock(&cache_lock);
    free(real);
    return l;
}

/* Adds L, read from PATH (identity ST), to the cache and marks it shared;
 * when that fails L stays the schema's own. */
static void cache_put(const char *path, const struct stat *st,
                      schema_codelist *l) {
    char *real = realpath(path, NULL);
    if (!real) return;
    pthread_mutex_lock(&cache_lock);
    if (!buf_grow(&cache, &capcache, ncache + 1, sizeof *cache)) {
        cache[ncache++] = (cache_entry){real, *st, l};
        l->shared = 1;
        real = NULL;
    }
    pthread_mutex_unlock(&cache_lock);
    free(real);
}

static char *codes_path(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 16;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/codes/%s.yaml", dir, name);
    return p;
}

/* Loads schemas/codes/NAME.yaml (relative to the schema file). */
static schema_codelist *load_named_list(loader *L, const char *name,
                                        const ydoc_node *at) {
    schema_codelist *l = find_list(L->s, name);
    if (l) return l;
    for (const char *c = name; *c; c++)
        if (!(*c == '_' || *c == '-' || (*c >= 'a' && *c <= 'z') ||
              (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))) {
            ydoc_fail(L->err, L->errlen, L->doc, at,
                      "code list name '%s' has characters other than letters, "
                      "digits, '_' and '-'",
                      name);
            return NULL;
        }
    char *path = codes_path(L->dir, name);
    struct stat before;
    int known = path && stat(path, &before) == 0;
    if (known && (l = cache_get(path, &before))) {
        outfile_guard(path); /* as ydoc_load would: no output over it */
        free(path);
        return add_list(L->s, l) < 0 ? NULL : l;
    }
    char err2[1024];
    ydoc *d = path ? ydoc_load(path, err2, sizeof err2) : NULL;
    if (!d) {
        ydoc_fail(L->err, L->errlen, L->doc, at,
                  "cannot load code list '%s': %s", name, err2);
        free(path);
        return NULL;
    }
    const ydoc_node *codes = ydoc_get(d->root, "codes");
    const ydoc_node *declared = ydoc_get(d->root, "codelist");
    if (declared && strcmp(declared->str, name) != 0) {
        ydoc_fail(L->err, L->errlen, d, declared,
                  "file declares code list '%s' but is named '%s'",
                  declared->str, name);
        ydoc_free(d);
        free(path);
        return NULL;
    }
    l = codes ? list_from_seq(L, d, codes, name) : NULL;
    if (!codes)
        ydoc_fail(L->err, L->errlen, d, d->root, "no 'codes:' in code list");
    if (l) {
        const ydoc_node *t = ydoc_get(d->root, "title");
        if (t && t->kind == YDOC_SCALAR) l->title = strdup(t->str);
        const ydoc_node *tr = ydoc_get(d->root, "translations");
        if (tr &&
            !(tr->kind == YDOC_SCALAR && (l->iso = lang_iso_domain(tr->str)))) {
            ydoc_fail(L->err, L->errlen, d, tr,
                      "translations: expected iso_3166-1 or iso_3166-2 "
                      "(the iso-codes catalogue of the labels)");
            codelist_free(l);
            l = NULL;
        }
    }
    ydoc_free(d);
    struct stat after;
    /* cached only when the file read is the one stat()ed before */
    if (l && known && stat(path, &after) == 0 && same_file(&before, &after))
        cache_put(path, &after, l);
    free(path);
    if (l && add_list(L->s, l) < 0) {
        codelist_free(l);
        return NULL;
    }
    return l;
}

/* The union of several named lists, e.g. ISO alpha-3 plus XXA and XXX. */
static schema_codelist *union_lists(loader *L, const ydoc_node *names) {
    size_t total = 0;
    char key[512] = "";
    for (size_t i = 0; i < names->n; i++) {
        const ydoc_node *nm = names->items[i];
        if (nm->kind != YDOC_SCALAR) {
            ydoc_fail(L->err, L->errlen, L->doc, nm,
                      "codelist: expected a list name");
            return NULL;
        }
        schema_codelist *l = load_named_list(L, nm->str, nm);
        if (!l) return NULL;
        total += l->ncodes;
        if (strlen(key) + nm->len + 2 < sizeof key) {
            if (i) strcat(key, "+");
            strcat(key, nm->str);
        }
    }
    schema_codelist *u = find_list(L->s, key);
    if (u) return u;
    u = calloc(1, sizeof *u);
    if (!u) return NULL;
    u->name = strdup(key);
    u->codes = calloc(total + 1, sizeof *u->codes);
    u->labels = calloc(total + 1, sizeof *u->labels);
    u->tlabels = calloc(total * LANG_COUNT + 1, sizeof *u->tlabels);
    if (!u->codes || !u->labels || !u->tlabels) {
        codelist_free(u);
        return NULL;
    }
    for (size_t i = 0; i < names->n; i++) {
        schema_codelist *l = find_list(L->s, names->items[i]->str);
        u->iso |= l->iso;
        for (size_t j = 0; j < l->ncodes; j++) {
            u->codes[u->ncodes] = strdup(l->codes[j]);
            u->labels[u->ncodes] = l->labels[j] ? strdup(l->labels[j]) : NULL;
            for (int t = 1; l->tlabels && t < LANG_COUNT; t++) {
                const char *x = l->tlabels[j * LANG_COUNT + (size_t)t];
                if (x)
                    u->tlabels[u->ncodes * LANG_COUNT + (size_t)t] = strdup(x);
            }
            u->ncodes++;
        }
    }
    if (codelist_index(u) < 0 || add_list(L->s, u) < 0) {
        codelist_free(u);
        return NULL;
    }
    return u;
}

const schema_codelist *schema_codelist_get(schema *s, const char *name) {
    schema_codelist *l = find_list(s, name);
    if (l) return l;
    char err[1024];
    char *dir = strdup(s->path);
    loader L = {s, NULL, dirname(dir), err, sizeof err};
    ydoc fake = {s->path, NULL};
    L.doc = &fake;
    l = load_named_list(&L, name, NULL);
    free(dir);
    return l;
}

int schema_field_index(const schema *s, const char *name, size_t n) {
    /* NAME is N bytes that may hold a NUL (a header cell): compare
     * lengths first, then bytes; strncmp would stop at the NUL and then
     * read past a shorter field name */
    for (size_t i = 0; i < s->nfields; i++)
        if (strlen(s->fields[i].name) == n &&
            memcmp(s->fields[i].name, name, n) == 0)
            return (int)i;
    return -1;
}

/* ---- check digits ---- */

int schema_iran_code_valid(const char *p, size_t n) {
    if (n != 10) return 0;
    int same = 1, sum = 0;
    for (size_t i = 0; i < 10; i++) {
        if (p[i] < '0' || p[i] > '9') return 0;
        if (p[i] != p[0]) same = 0;
        if (i < 9) sum += (p[i] - '0') * (int)(10 - i);
    }
    if (same) return 0;
    int r = sum % 11, check = p[9] - '0';
    return r < 2 ? check == r : check == 11 - r;
}

int schema_cnic_valid(const char *p, size_t n, const char *sex, size_t nsex) {
    /* #####-#######-#: first digit the province 1-7, last never 0 and odd
     * for men, even for women */
    if (n != 15 || p[5] != '-' || p[13] != '-') return 0;
    for (size_t i = 0; i < n; i++)
        if (i != 5 && i != 13 && (p[i] < '0' || p[i] > '9')) return 0;
    if (p[0] < '1' || p[0] > '7') return 0;
    int last = p[14] - '0';
    if (last == 0) return 0;
    if (sex && nsex == 4 && memcmp(sex, "male", 4) == 0) return last % 2 == 1;
    if (sex && nsex == 6 && memcmp(sex, "female", 6) == 0) return last % 2 == 0;
    return 1;
}

/* ---- fields and constraints ---- */

static int is_key(const ydoc_node *k, const char *const *allowed) {
    for (; *allowed; allowed++)
        if (strcmp(k->str, *allowed) == 0) return 1;
    return 0;
}

/* Refuses unknown keys: a typo like "requried" must not pass silently. */
static int check_keys(loader *L, const ydoc_node *m, const char *what,
                      const char *const *allowed) {
    if (!m || m->kind != YDOC_MAP)
        return ydoc_fail(L->err, L->errlen, L->doc, m, "%s must be a mapping",
                         what);
    for (size_t i = 0; i < m->n; i++) {
        const ydoc_node *k = m->items[2 * i];
        if (k->kind != YDOC_SCALAR || !is_key(k, allowed))
            return ydoc_fail(L->err, L->errlen, L->doc, k,
                             "unknown key '%s' in %s", k->str, what);
    }
    return 0;
}

static int compile_pattern(loader *L, const ydoc_node *n,
                           schema_constraint *c) {
    if (n->kind != YDOC_SCALAR)
        return ydoc_fail(L->err, L->errlen, L->doc, n,
                         "pattern must be a string");
    int ec;
    PCRE2_SIZE off;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)n->str, n->len, PCRE2_UTF, &ec, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        return ydoc_fail(L->err, L->errlen, L->doc, n,
                         "bad pattern at offset %zu: %s", (size_t)off,
                         (char *)msg);
    }
    /* JIT once here; a failed JIT (no support) falls back to the
     * interpreter without changing results */
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    c->pattern = re;
    c->pattern_src = strdup(n->str);
    return 0;
}

static int parse_date_bound(loader *L, const ydoc_node *n, char out[11]) {
    if (n->kind != YDOC_SCALAR || n->len != 10 || n->str[4] != '-' ||
        n->str[7] != '-')
        return ydoc_fail(L->err, L->errlen, L->doc, n,
                         "date bound must be YYYY-MM-DD");
    memcpy(out, n->str, 11);
    return 0;
}

/* Reads min, max, length, pattern and check of map M into C, for a field
 * of type TYPE: min and max only where they mean something (numbers and
 * dates), never contradicting each other. */
static int parse_constraint(loader *L, const ydoc_node *m, schema_constraint *c,
                            schema_type type) {
    int date = type == SCHEMA_DATE;
    const ydoc_node *bound = ydoc_get(m, "min");
    if (!bound) bound = ydoc_get(m, "max");
    if (bound && !date && type != SCHEMA_INTEGER && type != SCHEMA_NUMBER)
        return ydoc_fail(L->err, L->errlen, L->doc, bound,
                         "min and max apply to integer, number and date "
                         "fields, not to a %s field",
                         schema_type_name(type));
    c->min_len = c->max_len = -1;
    c->check_sex_field = -1;
    const ydoc_node *n;
    if ((n = ydoc_get(m, "min"))) {
        if (date) {
            if (parse_date_bound(L, n, c->min_date) < 0) return -1;
        } else if (ydoc_double(n, &c->min) < 0)
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "min must be a number");
        c->has_min = !date;
    }
    if ((n = ydoc_get(m, "max"))) {
        if (date) {
            if (parse_date_bound(L, n, c->max_date) < 0) return -1;
        } else if (ydoc_double(n, &c->max) < 0)
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "max must be a number");
        c->has_max = !date;
    }
    if ((n = ydoc_get(m, "length"))) {
        const ydoc_node *a = ydoc_get(n, "min"), *b = ydoc_get(n, "max");
        if (n->kind == YDOC_SCALAR) {
            if (ydoc_long(n, &c->min_len) < 0)
                return ydoc_fail(L->err, L->errlen, L->doc, n,
                                 "length must be a number or {min, max}");
            c->max_len = c->min_len;
        } else if ((a && ydoc_long(a, &c->min_len) < 0) ||
                   (b && ydoc_long(b, &c->max_len) < 0) || (!a && !b))
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "length must be a number or {min, max}");
        if ((a && c->min_len < 0) || (b && c->max_len < 0) ||
            (n->kind == YDOC_SCALAR && c->min_len < 0))
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "length cannot be negative");
        if (c->max_len >= 0 && c->min_len > c->max_len)
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "length: min %ld is more than max %ld", c->min_len,
                             c->max_len);
    }
    if (c->has_min && c->has_max && c->min > c->max)
        return ydoc_fail(L->err, L->errlen, L->doc, ydoc_get(m, "max"),
                         "max %g is less than min %g", c->max, c->min);
    if (c->min_date[0] && c->max_date[0] &&
        strcmp(c->min_date, c->max_date) > 0)
        return ydoc_fail(L->err, L->errlen, L->doc, ydoc_get(m, "max"),
                         "max %s is before min %s", c->max_date, c->min_date);
    if ((n = ydoc_get(m, "pattern")) && compile_pattern(L, n, c) < 0) return -1;
    if ((n = ydoc_get(m, "check"))) {
        if (!strcmp(n->str, "iran_national_code"))
            c->check = SCHEMA_CHECK_IRAN_NATIONAL_CODE;
        else if (!strcmp(n->str, "cnic"))
            c->check = SCHEMA_CHECK_CNIC;
        else
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "unknown check '%s' (known: iran_national_code, "
                             "cnic)",
                             n->str);
    }
    return 0;
}

static int parse_type(loader *L, const ydoc_node *n, schema_type *t) {
    static const char *names[] = {"string",  "integer", "number", "date",
                                  "boolean", "code",    "list",   "period"};
    if (n && n->kind == YDOC_SCALAR)
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (!strcmp(n->str, names[i])) {
                *t = (schema_type)i;
                return 0;
            }
    return ydoc_fail(L->err, L->errlen, L->doc, n,
                     "unknown type '%s' (known: string, integer, number, "
                     "date, boolean, code, list, period)",
                     n ? n->str : "");
}

static int parse_codes(loader *L, const ydoc_node *f, schema_field *fd) {
    const ydoc_node *inl = ydoc_get(f, "codes"), *ref = ydoc_get(f, "codelist");
    if (inl && ref)
        return ydoc_fail(L->err, L->errlen, L->doc, ref,
                         "give either codes (inline) or codelist (by name), "
                         "not both");
    if (inl) {
        schema_codelist *l = list_from_seq(L, L->doc, inl, fd->name);
        if (!l || add_list(L->s, l) < 0) {
            codelist_free(l);
            return -1;
        }
        fd->codes = l;
    } else if (ref && ref->kind == YDOC_SCALAR) {
        if (!(fd->codes = load_named_list(L, ref->str, ref))) return -1;
    } else if (ref && ref->kind == YDOC_SEQ) {
        if (!(fd->codes = union_lists(L, ref))) return -1;
    } else {
        return ydoc_fail(L->err, L->errlen, L->doc, f,
                         "field '%s' of type %s needs codes or codelist",
                         fd->name, schema_type_name(fd->type));
    }
    return 0;
}

static const char *const field_keys[] = {
    "name",           "type",     "required",     "unique",  "description",
    "codes",          "codelist", "separator",    "min",     "max",
    "length",         "pattern",  "check",        "periods", "allow",
    "references",     "personal", "example",      "label",   "precision",
    "suppress_below", "hint",     "descriptions", "hints",   NULL};

/* Names become column headers, SQL identifiers (the store) and sheet
 * titles: only [A-Za-z_][A-Za-z0-9_]*, so that no name can carry quotes or
 * SQL into the store. */
static int ident_ok(const char *p) {
    size_t n = strlen(p);
    if (n == 0 || n > 64 || (p[0] >= '0' && p[0] <= '9')) return 0;
    for (size_t i = 0; i < n; i++)
        if (!(p[i] == '_' || (p[i] >= 'a' && p[i] <= 'z') ||
              (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
            return 0;
    return 1;
}

/* A list of words from WORDS as bits (the first word is bit 0): periods:
 * [month, year], precision: [day, year]. At least one word is required. */
static int word_bits(loader *L, const ydoc_node *n, const char *what,
                     const char *const *words, unsigned *bits) {
    char known[128] = "";
    for (size_t k = 0; words[k]; k++)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
                 k ? ", " : "", words[k]);
    *bits = 0;
    for (size_t i = 0; n->kind == YDOC_SEQ && i < n->n; i++) {
        const char *p = n->items[i]->str;
        size_t w = 0;
        while (words[w] && strcmp(p, words[w]))
            w++;
        if (!words[w])
            return ydoc_fail(L->err, L->errlen, L->doc, n->items[i],
                             "unknown %s '%s' (%s)", what, p, known);
        *bits |= 1u << w;
    }
    if (!*bits)
        return ydoc_fail(L->err, L->errlen, L->doc, n,
                         "%s must be a list of %s", what, known);
    return 0;
}

static int parse_field(loader *L, const ydoc_node *f, schema_field *fd) {
    if (check_keys(L, f, "a field", field_keys) < 0) return -1;
    const ydoc_node *n = ydoc_get(f, "name");
    if (!n || n->kind != YDOC_SCALAR || !n->len)
        return ydoc_fail(L->err, L->errlen, L->doc, f, "field has no name");
    if (!ident_ok(n->str))
        return ydoc_fail(L->err, L->errlen, L->doc, n,
                         "field name '%s': use letters, digits and '_' "
                         "(starting with a letter or '_'), at most 64",
                         n->str);
    fd->name = strdup(n->str);
    fd->line = f->line;
    fd->separator = ';';
    if (parse_type(L, ydoc_get(f, "type"), &fd->type) < 0) return -1;
    if ((n = ydoc_get(f, "required")) && ydoc_bool(n, &fd->required) < 0)
        return ydoc_fail(L->err, L->errlen, L->doc, n,
                         "required must be true or false");
    if ((n = ydoc_get(f, "unique")) && ydoc_bool(n, &fd->unique) < 0)
        return ydoc_fail(L->err, L->errlen, L->doc, n,
                         "unique must be true or false");
    if ((n = ydoc_get(f, "personal")) && ydoc_bool(n, &fd->personal) < 0)
        return ydoc_fail(L->err, L->errlen, L->doc, n,
                         "personal must be true or false");
    if ((n = ydoc_get(f, "description")) && n->kind == YDOC_SCALAR)
        fd->description = strdup(n->str);
    if ((n = ydoc_get(f, "hint")) && n->kind == YDOC_SCALAR && n->len)
        fd->hint = strdup(n->str);
    if ((n = ydoc_get(f, "descriptions")) &&
        parse_tr(L, L->doc, n, "descriptions", fd->descriptions) < 0)
        return -1;
    if ((n = ydoc_get(f, "hints")) &&
        parse_tr(L, L->doc, n, "hints", fd->hints) < 0)
        return -1;
    if ((n = ydoc_get(f, "example")) && n->kind == YDOC_SCALAR && n->len)
        fd->example = strdup(n->str);
    if (parse_constraint(L, f, &fd->c, fd->type) < 0) return -1;
    if (fd->type == SCHEMA_CODE || fd->type == SCHEMA_LIST) {
        if (parse_codes(L, f, fd) < 0) return -1;
    } else if (ydoc_get(f, "codes") || ydoc_get(f, "codelist")) {
        return ydoc_fail(L->err, L->errlen, L->doc, f,
                         "codes are for fields of type code or list");
    }
    if ((n = ydoc_get(f, "separator"))) {
        if (n->kind != YDOC_SCALAR || n->len != 1)
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "separator must be one character");
        fd->separator = n->str[0];
    }
    static const char *const period_words[] = {"month", "quarter", "year",
                                               NULL};
    static const char *const precision_words[] = {"day", "month", "year", NULL};
    if (fd->type == SCHEMA_PERIOD) {
        fd->periods =
            SCHEMA_PERIOD_MONTH | SCHEMA_PERIOD_QUARTER | SCHEMA_PERIOD_YEAR;
        if ((n = ydoc_get(f, "periods")) &&
            word_bits(L, n, "period", period_words, &fd->periods) < 0)
            return -1;
    }
    fd->precisions = SCHEMA_DATE_DAY;
    if ((n = ydoc_get(f, "precision"))) {
        if (fd->type != SCHEMA_DATE)
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "precision is for fields of type date");
        if (word_bits(L, n, "precision", precision_words, &fd->precisions) < 0)
            return -1;
        if (!(fd->precisions & SCHEMA_DATE_DAY))
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "precision must list day (and month or year)");
    }
    if ((n = ydoc_get(f, "allow"))) {
        if (n->kind != YDOC_SEQ)
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "allow must be a list of values");
        fd->allow = calloc(n->n + 1, sizeof *fd->allow);
        for (size_t i = 0; i < n->n; i++)
            fd->allow[fd->nallow++] = strdup(n->items[i]->str);
    }
    if ((n = ydoc_get(f, "suppress_below"))) {
        char tok[32];
        if (fd->type != SCHEMA_INTEGER)
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "suppress_below is for fields of type integer");
        if (ydoc_long(n, &fd->suppress_below) < 0 || fd->suppress_below < 2 ||
            fd->suppress_below > 1000000)
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "suppress_below must be a whole number from 2");
        snprintf(tok, sizeof tok, "<%ld", fd->suppress_below);
        size_t i = 0;
        while (i < fd->nallow && strcmp(fd->allow[i], tok))
            i++;
        if (i == fd->nallow)
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "suppress_below: %ld needs allow: [\"%s\"], the "
                             "value small counts are written as",
                             fd->suppress_below, tok);
    }
    if ((n = ydoc_get(f, "references"))) {
        const ydoc_node *t = ydoc_get(n, "table"), *k = ydoc_get(n, "field");
        if (!t || !k || t->kind != YDOC_SCALAR || k->kind != YDOC_SCALAR)
            return ydoc_fail(L->err, L->errlen, L->doc, n,
                             "references needs table and field");
        fd->ref = calloc(1, sizeof *fd->ref);
        fd->ref->table = strdup(t->str);
        fd->ref->field = strdup(k->str);
    }
    return 0;
}

/* ---- rules ---- */

static int field_by_node(loader *L, const ydoc_node *n, int *out) {
    if (!n || n->kind != YDOC_SCALAR)
        return ydoc_fail(L->err, L->errlen, L->doc, n, "expected a field name");
    int i = schema_field_index(L->s, n->str, n->len);
    if (i < 0)
        return ydoc_fail(L->err, L->errlen, L->doc, n, "no field named '%s'",
                         n->str);
    *out = i;
    return 0;
}

static int add_carry(loader *L, int via, const char *column) {
    schema *s = L->s;
    const schema_ref *ref = s->fields[via].ref;
    schema_reftable *t = NULL;
    for (size_t i = 0; i < s->nrefs; i++)
        if (s->refs[i].from_field == via) t = &s->refs[i];
    if (!t) return -1;
    for (size_t i = 0; i < t->ncarry; i++)
        if (!strcmp(t->carry[i], column)) return (int)i;
    char *copy = strdup(column);
    char **v = copy ? realloc(t->carry, (t->ncarry + 1) * sizeof *v) : NULL;
    if (!v) {
        free(copy);
        return -1;
    }
    t->carry = v;
    t->carry[t->ncarry] = copy;
    (void)ref;
    return (int)t->ncarry++;
}

static const char *const operand_keys[] = {"field",  "prefix", "period_end",
                                           "parent", "via",    NULL};

static int parse_operand(loader *L, const ydoc_node *n, schema_operand *o) {
    o->field = o->via = -1;
    if (n && n->kind == YDOC_SCALAR) return field_by_node(L, n, &o->field);
    if (check_keys(L, n, "an operand", operand_keys) < 0) return -1;
    const ydoc_node *v = ydoc_get(n, "via");
    const ydoc_node *f = ydoc_get(n, "field");
    if (!f)
        return ydoc_fail(L->err, L->errlen, L->doc, n, "operand needs a field");
    if (v) {
        if (field_by_node(L, v, &o->via) < 0) return -1;
        if (!L->s->fields[o->via].ref)
            return ydoc_fail(L->err, L->errlen, L->doc, v,
                             "via: field '%s' has no references",
                             L->s->fields[o->via].name);
        o->via_field = strdup(f->str);
        o->ref_slot = add_carry(L, o->via, f->str);
        if (o->ref_slot < 0) return -1;
    } else if (field_by_node(L, f, &o->field) < 0) {
        return -1;
    }
    const ydoc_node *x;
    long pre = 0;
    if ((x = ydoc_get(n, "prefix")) && (ydoc_long(x, &pre) < 0 || pre < 1))
        return ydoc_fail(L->err, L->errlen, L->doc, x,
                         "prefix must be a positive number");
    o->prefix = (int)pre;
    if ((x = ydoc_get(n, "period_end")) && ydoc_bool(x, &o->period_end) < 0)
        return ydoc_fail(L->err, L->errlen, L->doc, x,
                         "period_end must be true or false");
    if ((x = ydoc_get(n, "parent")) && ydoc_bool(x, &o->parent) < 0)
        return ydoc_fail(L->err, L->errlen, L->doc, x,
                         "parent must be true or false");
    if (o->parent && (o->field < 0 || !L->s->fields[o->field].codes ||
                      !L->s->fields[o->field].codes->parents))
        return ydoc_fail(L->err, L->errlen, L->doc, x,
                         "parent: the field's code list has no parents");
    return 0;
}

static int parse_values(loader *L, const ydoc_node *n, char ***out,
                        size_t *nout) {
    if (!n) return 0;
    if (n->kind == YDOC_MAP)
        return ydoc_fail(L->err, L->errlen, L->doc, n,
                         "expected a value or a list of values");
    const ydoc_node *one, *const *items;
    size_t nn = ydoc_list(n, &one, &items);
    *out = calloc(nn + 1, sizeof **out);
    if (!*out) return ydoc_fail(L->err, L->errlen, L->doc, n, "out of memory");
    for (size_t i = 0; i < nn; i++) {
        if (items[i]->kind != YDOC_SCALAR)
            return ydoc_fail(L->err, L->errlen, L->doc, items[i],
                             "expected a value");
        (*out)[(*nout)++] = strdup(items[i]->str);
    }
    return 0;
}

static const char *const rule_keys[] = {"id",   "message", "messages", "when",
                                        "then", "compare", NULL};
static const char *const when_keys[] = {"field", "in", "not_in", "present",
                                        NULL};
static const char *const then_keys[] = {
    "field", "required",  "empty", "min",    "max", "pattern",
    "check", "sex_field", "in",    "length", NULL};
static const char *const cmp_keys[] = {"left", "op",        "right",
                                       "at",   "tolerance", NULL};

static int parse_rule(loader *L, const ydoc_node *r, schema_rule *ru) {
    if (check_keys(L, r, "a rule", rule_keys) < 0) return -1;
    ru->line = r->line;
    ru->when_field = ru->then_field = -1;
    ru->left.field = ru->right.field = ru->at.field = -1;
    ru->left.via = ru->right.via = ru->at.via = -1;
    const ydoc_node *id = ydoc_get(r, "id"), *msg = ydoc_get(r, "message");
    if (!id || id->kind != YDOC_SCALAR)
        return ydoc_fail(L->err, L->errlen, L->doc, r, "rule has no id");
    ru->id = strdup(id->str);
    ru->message = strdup(msg && msg->kind == YDOC_SCALAR ? msg->str : id->str);
    const ydoc_node *msgs = ydoc_get(r, "messages");
    if (msgs && parse_tr(L, L->doc, msgs, "messages", ru->messages) < 0)
        return -1;
    const ydoc_node *w = ydoc_get(r, "when"), *t = ydoc_get(r, "then"),
                    *c = ydoc_get(r, "compare");
    if (!!t == !!c)
        return ydoc_fail(L->err, L->errlen, L->doc, r,
                         "rule '%s' needs either then or compare", ru->id);
    if (w) {
        if (check_keys(L, w, "when", when_keys) < 0 ||
            field_by_node(L, ydoc_get(w, "field"), &ru->when_field) < 0)
            return -1;
        const ydoc_node *in = ydoc_get(w, "in"), *nin = ydoc_get(w, "not_in"),
                        *pres = ydoc_get(w, "present");
        if (!!in + !!nin + !!pres != 1)
            return ydoc_fail(L->err, L->errlen, L->doc, w,
                             "when needs one of in, not_in, present");
        if (pres && ydoc_bool(pres, &ru->when_present) < 0)
            return ydoc_fail(L->err, L->errlen, L->doc, pres,
                             "present must be true");
        ru->when_negate = nin != NULL;
        if (parse_values(L, in ? in : nin, &ru->when_in, &ru->nwhen) < 0)
            return -1;
    }
    if (t) {
        if (check_keys(L, t, "then", then_keys) < 0 ||
            field_by_node(L, ydoc_get(t, "field"), &ru->then_field) < 0)
            return -1;
        const ydoc_node *x;
        if ((x = ydoc_get(t, "required")) &&
            ydoc_bool(x, &ru->then_required) < 0)
            return ydoc_fail(L->err, L->errlen, L->doc, x,
                             "required must be true or false");
        if ((x = ydoc_get(t, "empty")) && ydoc_bool(x, &ru->then_empty) < 0)
            return ydoc_fail(L->err, L->errlen, L->doc, x,
                             "empty must be true or false");
        if (parse_constraint(L, t, &ru->then,
                             L->s->fields[ru->then_field].type) < 0)
            return -1;
        if ((x = ydoc_get(t, "sex_field")) &&
            field_by_node(L, x, &ru->then.check_sex_field) < 0)
            return -1;
        if ((x = ydoc_get(t, "in"))) {
            ru->then_has_codes = 1;
            if (parse_values(L, x, &ru->then_codes, &ru->nthen_codes) < 0)
                return -1;
        }
    } else {
        if (check_keys(L, c, "compare", cmp_keys) < 0) return -1;
        const ydoc_node *op = ydoc_get(c, "op");
        static const char *ops[] = {"==", "!=", "<", "<=", ">", ">=", "age"};
        size_t k = 0;
        for (; op && op->kind == YDOC_SCALAR && k < 7; k++)
            if (!strcmp(op->str, ops[k])) break;
        if (!op || k == 7)
            return ydoc_fail(L->err, L->errlen, L->doc, op ? op : c,
                             "op must be one of == != < <= > >= age");
        ru->op = (schema_op)k;
        if (parse_operand(L, ydoc_get(c, "left"), &ru->left) < 0 ||
            parse_operand(L, ydoc_get(c, "right"), &ru->right) < 0)
            return -1;
        if (ru->op == SCHEMA_OP_AGE) {
            if (parse_operand(L, ydoc_get(c, "at"), &ru->at) < 0) return -1;
            const ydoc_node *tol = ydoc_get(c, "tolerance");
            if (tol && ydoc_double(tol, &ru->tolerance) < 0)
                return ydoc_fail(L->err, L->errlen, L->doc, tol,
                                 "tolerance must be a number");
        }
    }
    return 0;
}

/* ---- key and sums ---- */

/* Whether VALUE may stand in field FI: a code of its list, for code
 * fields (other types take any text). */
static int value_fits(loader *L, int fi, const ydoc_node *v) {
    const schema_field *f = &L->s->fields[fi];
    if (v->kind != YDOC_SCALAR || !v->len)
        return ydoc_fail(L->err, L->errlen, L->doc, v, "expected a value");
    if (f->type == SCHEMA_CODE &&
        schema_code_find(f->codes, v->str, v->len) < 0)
        return ydoc_fail(L->err, L->errlen, L->doc, v,
                         "'%s' is not a code of %s (field %s)", v->str,
                         f->codes->name, f->name);
    return 0;
}

static const char *const key_keys[] = {"fields", "defaults", NULL};

static int parse_key(loader *L, const ydoc_node *k) {
    schema_key *key = &L->s->key;
    if (check_keys(L, k, "key", key_keys) < 0) return -1;
    const ydoc_node *fl = ydoc_get(k, "fields"), *df = ydoc_get(k, "defaults");
    if (!fl || fl->kind != YDOC_SEQ || fl->n == 0)
        return ydoc_fail(L->err, L->errlen, L->doc, fl ? fl : k,
                         "key needs fields: a non-empty list of field names");
    key->line = k->line;
    key->fields = calloc(fl->n, sizeof *key->fields);
    key->defaults = calloc(fl->n, sizeof *key->defaults);
    if (!key->fields || !key->defaults)
        return ydoc_fail(L->err, L->errlen, L->doc, k, "out of memory");
    for (size_t i = 0; i < fl->n; i++) {
        int fi;
        if (field_by_node(L, fl->items[i], &fi) < 0) return -1;
        for (size_t j = 0; j < key->n; j++)
            if (key->fields[j] == fi)
                return ydoc_fail(L->err, L->errlen, L->doc, fl->items[i],
                                 "field '%s' is in the key twice",
                                 fl->items[i]->str);
        key->fields[key->n++] = fi;
    }
    if (df && df->kind != YDOC_MAP)
        return ydoc_fail(L->err, L->errlen, L->doc, df,
                         "defaults must map key fields to values");
    for (size_t i = 0; df && i < df->n; i++) {
        int fi;
        size_t j = 0;
        if (field_by_node(L, df->items[2 * i], &fi) < 0) return -1;
        while (j < key->n && key->fields[j] != fi)
            j++;
        if (j == key->n)
            return ydoc_fail(L->err, L->errlen, L->doc, df->items[2 * i],
                             "'%s' has a default but is not a key field",
                             df->items[2 * i]->str);
        if (value_fits(L, fi, df->items[2 * i + 1]) < 0) return -1;
        free(key->defaults[j]);
        key->defaults[j] = strdup(df->items[2 * i + 1]->str);
    }
    return 0;
}

static const char *const sums_keys[] = {"value", "totals", NULL};

static int parse_sums(loader *L, const ydoc_node *m) {
    schema_sums *su = &L->s->sums;
    if (check_keys(L, m, "sums", sums_keys) < 0) return -1;
    if (!L->s->key.n)
        return ydoc_fail(L->err, L->errlen, L->doc, m,
                         "sums needs a key: (the rows a total stands for "
                         "are those that share its key but one field)");
    if (field_by_node(L, ydoc_get(m, "value"), &su->value) < 0) return -1;
    schema_type vt = L->s->fields[su->value].type;
    if (vt != SCHEMA_INTEGER && vt != SCHEMA_NUMBER)
        return ydoc_fail(L->err, L->errlen, L->doc, ydoc_get(m, "value"),
                         "sums: value must be a field of type integer or "
                         "number");
    const ydoc_node *t = ydoc_get(m, "totals");
    if (!t || t->kind != YDOC_MAP || t->n == 0)
        return ydoc_fail(L->err, L->errlen, L->doc, t ? t : m,
                         "sums needs totals: a map from each breakdown "
                         "field to the code of its total row");
    su->fields = calloc(t->n, sizeof *su->fields);
    su->totals = calloc(t->n, sizeof *su->totals);
    if (!su->fields || !su->totals)
        return ydoc_fail(L->err, L->errlen, L->doc, m, "out of memory");
    for (size_t i = 0; i < t->n; i++) {
        int fi;
        size_t j = 0;
        if (field_by_node(L, t->items[2 * i], &fi) < 0) return -1;
        while (j < L->s->key.n && L->s->key.fields[j] != fi)
            j++;
        if (j == L->s->key.n || L->s->fields[fi].type != SCHEMA_CODE)
            return ydoc_fail(L->err, L->errlen, L->doc, t->items[2 * i],
                             "breakdown '%s' must be a key field of type code",
                             t->items[2 * i]->str);
        if (value_fits(L, fi, t->items[2 * i + 1]) < 0) return -1;
        su->fields[su->n] = fi;
        su->totals[su->n++] = strdup(t->items[2 * i + 1]->str);
    }
    return 0;
}

static void constraint_free(schema_constraint *c) {
    pcre2_code_free(c->pattern);
    free(c->pattern_src);
}

static void strv_free(char **v, size_t n) {
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void schema_free(schema *s) {
    if (!s) return;
    for (size_t i = 0; i < s->nfields; i++) {
        schema_field *f = &s->fields[i];
        free(f->name);
        free(f->description);
        free(f->hint);
        for (int l = 0; l < LANG_COUNT; l++) {
            free(f->descriptions[l]);
            free(f->hints[l]);
        }
        free(f->example);
        strv_free(f->allow, f->nallow);
        constraint_free(&f->c);
        if (f->ref) {
            free(f->ref->table);
            free(f->ref->field);
            free(f->ref);
        }
    }
    for (size_t i = 0; i < s->nrules; i++) {
        schema_rule *r = &s->rules[i];
        free(r->id);
        free(r->message);
        for (int l = 0; l < LANG_COUNT; l++)
            free(r->messages[l]);
        strv_free(r->when_in, r->nwhen);
        strv_free(r->then_codes, r->nthen_codes);
        constraint_free(&r->then);
        free(r->left.via_field);
        free(r->right.via_field);
        free(r->at.via_field);
    }
    for (size_t i = 0; i < s->nrefs; i++) {
        free(s->refs[i].table);
        free(s->refs[i].key);
        strv_free(s->refs[i].carry, s->refs[i].ncarry);
    }
    strv_free(s->key.defaults, s->key.n);
    free(s->key.fields);
    strv_free(s->sums.totals, s->sums.n);
    free(s->sums.fields);
    for (size_t i = 0; i < s->nlists; i++)
        codelist_free(s->lists[i]);
    free(s->lists);
    free(s->refs);
    free(s->rules);
    free(s->fields);
    free(s->path);
    free(s->name);
    free(s->version);
    free(s->title);
    ydoc_free(s->doc);
    free(s);
}

static const char *const top_keys[] = {
    "schema", "version", "title", "description", "fields",
    "rules",  "dedup",   "key",   "sums",        NULL};

/* A bare name such as "incident" is found by the catalog (catalog.h); a
 * path is taken as given. */
static const char *resolve(const char *name, char *buf, size_t cap) {
    return catalog_find(name, NULL, NULL, buf, cap);
}

schema *schema_load(const char *path_in, char *err, size_t errlen) {
    char found[4096];
    const char *path = resolve(path_in, found, sizeof found);
    ydoc *d = ydoc_load(path, err, errlen);
    if (!d) return NULL;
    schema *s = calloc(1, sizeof *s);
    char *dircopy = strdup(path);
    loader L = {s, d, dirname(dircopy), err, errlen};
    s->path = strdup(path);
    s->doc = d;
    const ydoc_node *root = d->root, *n;
    if (!root || root->kind != YDOC_MAP) {
        ydoc_fail(err, errlen, d, root,
                  "a schema is a mapping with schema, "
                  "version and fields");
        goto fail;
    }
    if (check_keys(&L, root, "the schema", top_keys) < 0) goto fail;
    if (!(n = ydoc_get(root, "schema")) || n->kind != YDOC_SCALAR) {
        ydoc_fail(err, errlen, d, root, "missing 'schema: NAME'");
        goto fail;
    }
    if (!ident_ok(n->str)) {
        ydoc_fail(err, errlen, d, n,
                  "schema name '%s': use letters, digits and '_' (starting "
                  "with a letter or '_'), at most 64",
                  n->str);
        goto fail;
    }
    s->name = strdup(n->str);
    n = ydoc_get(root, "version");
    s->version = strdup(n && n->kind == YDOC_SCALAR ? n->str : "0");
    n = ydoc_get(root, "title");
    s->title = strdup(n && n->kind == YDOC_SCALAR ? n->str : s->name);
    const ydoc_node *fields = ydoc_get(root, "fields");
    if (!fields || fields->kind != YDOC_SEQ || fields->n == 0) {
        ydoc_fail(err, errlen, d, fields ? fields : root,
                  "'fields' must be a non-empty list");
        goto fail;
    }
    s->fields = calloc(fields->n, sizeof *s->fields);
    if (!s->fields) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    for (size_t i = 0; i < fields->n; i++) {
        s->nfields = i + 1;
        if (parse_field(&L, fields->items[i], &s->fields[i]) < 0) goto fail;
        if (schema_field_index(s, s->fields[i].name,
                               strlen(s->fields[i].name)) != (int)i) {
            ydoc_fail(err, errlen, d, fields->items[i],
                      "field '%s' is defined twice", s->fields[i].name);
            goto fail;
        }
    }
    /* foreign keys become reference tables the checker loads: counted
     * first, so the array is made once */
    size_t nref = 0;
    for (size_t i = 0; i < s->nfields; i++)
        nref += s->fields[i].ref != NULL;
    if (nref && !(s->refs = calloc(nref, sizeof *s->refs))) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    for (size_t i = 0; i < s->nfields; i++) {
        if (!s->fields[i].ref) continue;
        schema_reftable *t = &s->refs[s->nrefs++];
        t->table = strdup(s->fields[i].ref->table);
        t->key = strdup(s->fields[i].ref->field);
        t->from_field = (int)i;
        if (!t->table || !t->key) {
            snprintf(err, errlen, "%s: out of memory", path);
            goto fail;
        }
    }
    const ydoc_node *rules = ydoc_get(root, "rules");
    if (rules) {
        if (rules->kind != YDOC_SEQ) {
            ydoc_fail(err, errlen, d, rules, "'rules' must be a list");
            goto fail;
        }
        s->rules = calloc(rules->n + 1, sizeof *s->rules);
        for (size_t i = 0; i < rules->n; i++) {
            s->nrules = i + 1;
            if (parse_rule(&L, rules->items[i], &s->rules[i]) < 0) goto fail;
        }
    }
    s->sums.value = -1;
    if ((n = ydoc_get(root, "key")) && parse_key(&L, n) < 0) goto fail;
    if ((n = ydoc_get(root, "sums")) && parse_sums(&L, n) < 0) goto fail;
    free(dircopy);
    return s;
fail:
    free(dircopy);
    schema_free(s);
    return NULL;
}
