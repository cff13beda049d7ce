/*
 * map_compile.c: the crosswalk compiler behind relec merge: a map YAML (the
 * language of schemas/maps.md) with its target schema into a compiled map
 * (map_impl.h): rules in evaluation order, recode tables of folded labels,
 * the columns to find in each file. Loading is done once and may allocate
 * freely; every error names the map's line and column.
 */
#include "buf.h"
#include "calendar.h"
#include "catalog.h"
#include "map_impl.h"
#include "mask.h"

#include <libgen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A malloc'd copy of the fold of S. */
static char *fold_dup(map *m, const char *s, size_t n, size_t *outn) {
    size_t k;
    const char *f = map_fold(m, s, n, &k);
    char *r = malloc(k + 1);
    if (!r) return NULL;
    memcpy(r, f, k);
    r[k] = 0;
    if (outn) *outn = k;
    return r;
}

/* ---------------------------------------------------------------- load -- */

typedef struct loader loader;
static int check_int_codes(loader *L, const schema_field *f,
                           const ydoc_node *def, const char *tname);

/* Index + 1 of code string V in m->vals, adding it. 0 = out of memory. */
static uint64_t val_index(map *m, const char *v) {
    size_t n = strlen(v);
    int added;
    uint64_t *slot = strmap_put(&m->valset, v, n, &added);
    if (!slot) return 0;
    if (!added) return *slot;
    if (buf_grow(&m->vals, &m->capvals, m->nvals + 1, sizeof *m->vals))
        return 0;
    m->vals[m->nvals] = strdup(v);
    if (!m->vals[m->nvals]) return 0;
    m->nvals++;
    if (n > m->maxval) m->maxval = n;
    *slot = m->nvals;
    return *slot;
}

/* Adds LABEL -> code index VI to KEYS. Explicit entries win over automatic
 * ones; two automatic entries for different codes make the label
 * ambiguous. Returns 0, -1 on out of memory, 1 when an explicit label is
 * given twice for different codes. */
static int add_label(map *m, strmap *keys, const char *label, size_t n,
                     uint64_t vi, int expl) {
    size_t k;
    const char *f = map_fold(m, label, n, &k);
    if (!k) return 0;
    int added;
    uint64_t *slot = strmap_put(keys, f, k, &added);
    if (!slot) return -1;
    /* high bit marks an explicit entry */
    const uint64_t EXPL = 1ull << 62;
    if (added) {
        *slot = vi | (expl ? EXPL : 0);
        return 0;
    }
    uint64_t old = *slot;
    if (old != AMBIGUOUS && (old & ~EXPL) == vi) {
        if (expl) *slot = vi | EXPL;
        return 0;
    }
    if (expl) {
        if (old != AMBIGUOUS && (old & EXPL)) return 1;
        *slot = vi | EXPL;
        return 0;
    }
    if (old != AMBIGUOUS && (old & EXPL)) return 0; /* explicit wins */
    *slot = AMBIGUOUS;
    return 0;
}

/* Adds the codes and labels of code list L to table T, automatically. */
static int add_codelist(map *m, strmap *keys, const schema_codelist *l) {
    for (size_t i = 0; l && i < l->ncodes; i++) {
        uint64_t vi = val_index(m, l->codes[i]);
        if (!vi) return -1;
        if (add_label(m, keys, l->codes[i], strlen(l->codes[i]), vi, 0) < 0)
            return -1;
        if (l->labels && l->labels[i] &&
            add_label(m, keys, l->labels[i], strlen(l->labels[i]), vi, 0) < 0)
            return -1;
    }
    return 0;
}

/* Loader state. */
struct loader {
    map *m;        /* map being built */
    ydoc *d;       /* the map file */
    char *dir;     /* directory of the map file (owned) */
    char *err;     /* error buffer */
    size_t errlen; /* its size */
};

static int fail(loader *L, const ydoc_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(loader *L, const ydoc_node *n, const char *fmt, ...) {
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ydoc_fail(L->err, L->errlen, L->d, n, "%s", msg);
}

static int is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Finds the schema a map names: a path relative to the map file, or a
 * record type name looked up as schemas/NAME.yaml from the working
 * directory and from the map's ../../schemas and ../schemas. */
static int load_schema(loader *L, const ydoc_node *n) {
    if (!n || n->kind != YDOC_SCALAR || !n->len)
        return fail(L, n ? n : L->d->root,
                    "the map needs 'schema:', the target schema: a path "
                    "relative to the map (../../schemas/incident.yaml) or a "
                    "name (incident)");
    char path[4096];
    int named = !strchr(n->str, '/') && !strstr(n->str, ".yaml");
    if (!named) {
        if (n->str[0] == '/')
            snprintf(path, sizeof path, "%s", n->str);
        else
            snprintf(path, sizeof path, "%s/%s", L->dir, n->str);
    } else {
        if (catalog_find(n->str, NULL, L->dir, path, sizeof path) == n->str)
            return fail(L, n,
                        "schema '%s' not found (looked in $RELEC_SCHEMAS, "
                        "./schemas, beside the map and the installed "
                        "schemas)",
                        n->str);
    }
    char serr[1024];
    L->m->s = schema_load(path, serr, sizeof serr);
    if (!L->m->s) {
        if (!is_file(path)) return fail(L, n, "cannot open schema '%s'", path);
        return fail(L, n, "schema '%s' does not load: %s", path, serr);
    }
    return 0;
}

/* The global country table: ISO 3166-1 codes, alpha-2 and English names
 * from schemas/codes/iso3166_1_alpha3.yaml beside the schema, then the
 * map's countries: entries (explicit, winning over names). */
static int load_countries(loader *L, const ydoc_node *at) {
    map *m = L->m;
    if (m->have_countries) return 0;
    m->have_countries = 1;
    char *sp = strdup(m->s->path);
    if (!sp) return fail(L, at, "out of memory");
    char path[4096];
    snprintf(path, sizeof path, "%s/codes/iso3166_1_alpha3.yaml", dirname(sp));
    free(sp);
    char e[1024];
    ydoc *d = ydoc_load(path, e, sizeof e);
    if (!d) return fail(L, at, "country names: %s", e);
    const ydoc_node *codes = ydoc_get(d->root, "codes");
    for (size_t i = 0; codes && codes->kind == YDOC_SEQ && i < codes->n; i++) {
        const ydoc_node *c = ydoc_get(codes->items[i], "code");
        if (!c || c->kind != YDOC_SCALAR) continue;
        uint64_t vi = val_index(m, c->str);
        if (!vi) {
            ydoc_free(d);
            return fail(L, at, "out of memory");
        }
        const char *keys[] = {"code", "alpha2", "label"};
        for (size_t k = 0; k < 3; k++) {
            const ydoc_node *v = ydoc_get(codes->items[i], keys[k]);
            if (v && v->kind == YDOC_SCALAR &&
                add_label(m, &m->countries, v->str, v->len, vi, 0) < 0) {
                ydoc_free(d);
                return fail(L, at, "out of memory");
            }
        }
    }
    ydoc_free(d);
    const ydoc_node *extra = ydoc_get(L->d->root, "countries");
    if (!extra) return 0;
    if (extra->kind != YDOC_MAP)
        return fail(L, extra, "countries: expected CODE: [name, ...] pairs");
    for (size_t i = 0; i < extra->n; i++) {
        const ydoc_node *k = extra->items[2 * i], *v = extra->items[2 * i + 1];
        if (k->len != 3 || strspn(k->str, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
            return fail(L, k, "countries: '%s' is not an alpha-3 code", k->str);
        uint64_t vi = val_index(m, k->str);
        const ydoc_node *one, *const *items;
        size_t nn = ydoc_list(v, &one, &items);
        for (size_t j = 0; j < nn; j++) {
            if (items[j]->kind != YDOC_SCALAR)
                return fail(L, items[j], "countries: expected a name");
            int r = add_label(m, &m->countries, items[j]->str, items[j]->len,
                              vi, 1);
            if (r < 0) return fail(L, items[j], "out of memory");
            if (r > 0)
                return fail(L, items[j],
                            "countries: '%s' is given for two countries",
                            items[j]->str);
        }
    }
    return 0;
}

/* Fills table T from a CODE: [labels] mapping, checking codes against L. */
static int fill_table(loader *L, map_table *t, const ydoc_node *n,
                      const schema_codelist *l, const char *field) {
    if (n->kind != YDOC_MAP)
        return fail(L, n, "recode '%s': expected CODE: [label, ...] pairs",
                    t->name);
    for (size_t i = 0; i < n->n; i++) {
        const ydoc_node *k = n->items[2 * i], *v = n->items[2 * i + 1];
        if (k->kind != YDOC_SCALAR)
            return fail(L, k, "recode '%s': expected a code", t->name);
        if (l && schema_code_find(l, k->str, k->len) < 0)
            return fail(L, k,
                        "recode '%s': '%s' is not a code of %s (field "
                        "%s)",
                        t->name, k->str, l->name, field);
        uint64_t vi = val_index(L->m, k->str);
        if (!vi) return fail(L, k, "out of memory");
        const ydoc_node *one, *const *items;
        size_t nn = ydoc_list(v, &one, &items);
        for (size_t j = 0; j < nn; j++) {
            if (items[j]->kind != YDOC_SCALAR)
                return fail(L, items[j], "recode '%s': expected a label",
                            t->name);
            int r =
                add_label(L->m, &t->keys, items[j]->str, items[j]->len, vi, 1);
            if (r < 0) return fail(L, items[j], "out of memory");
            if (r > 0)
                return fail(L, items[j],
                            "recode '%s': label '%s' is given "
                            "for two codes",
                            t->name, items[j]->str);
        }
    }
    t->explicit_ = 1;
    return 0;
}

static map_table *new_table(map *m, const char *name) {
    map_table **v = realloc(m->tables, (m->ntables + 1) * sizeof *v);
    if (!v) return NULL;
    m->tables = v;
    map_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->name = strdup(name);
    m->tables[m->ntables++] = t;
    return t;
}

static map_table *find_table(map *m, const char *name) {
    for (size_t i = 0; i < m->ntables; i++)
        if (!strcmp(m->tables[i]->name, name)) return m->tables[i];
    return NULL;
}

/* Column slot for NAME, adding it. */
static int col_slot(loader *L, const char *name, size_t n,
                    const ydoc_node *at) {
    map *m = L->m;
    size_t k;
    const char *f = map_fold(m, name, n, &k);
    for (size_t i = 0; i < m->ncols; i++)
        if (strlen(m->cols[i].folded) == k && !memcmp(m->cols[i].folded, f, k))
            return (int)i;
    map_col *v = realloc(m->cols, (m->ncols + 1) * sizeof *v);
    if (!v) return fail(L, at, "out of memory"), -1;
    m->cols = v;
    map_col *c = &m->cols[m->ncols];
    c->name = strndup(name, n);
    c->folded = fold_dup(m, name, n, NULL);
    c->line = at->line;
    c->col = at->col;
    c->idx = -1;
    return (int)m->ncols++;
}

/* Parses a template "text {Column} {=field:year} {#row} {#source}". */
/* Frees N parts and their literal texts (error paths of parse_template). */
static void free_parts(map_part *parts, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(parts[i].lit);
    free(parts);
}

static int parse_template(loader *L, map_rule *r, const ydoc_node *n) {
    const char *s = n->str;
    size_t len = n->len, i = 0;
    map_part *parts = NULL;
    size_t np = 0;
    while (i < len) {
        map_part p = {PART_LIT, MOD_NONE, NULL, 0, -1};
        if (s[i] == '{') {
            const char *close = memchr(s + i, '}', len - i);
            if (!close) {
                free_parts(parts, np);
                return fail(L, n, "template: '{' without '}'");
            }
            const char *a = s + i + 1;
            size_t an = (size_t)(close - a);
            const char *colon = NULL;
            for (size_t j = an; j-- > 0;)
                if (a[j] == ':') {
                    colon = a + j;
                    break;
                }
            size_t nn = an;
            if (colon) {
                const char *mod = colon + 1;
                size_t mn = (size_t)(close - mod);
                if (mn == 4 && !memcmp(mod, "year", 4))
                    p.mod = MOD_YEAR;
                else if (mn == 5 && !memcmp(mod, "month", 5))
                    p.mod = MOD_MONTH;
                else if (mn == 5 && !memcmp(mod, "upper", 5))
                    p.mod = MOD_UPPER;
                else if (mn == 2 && !memcmp(mod, "id", 2))
                    p.mod = MOD_ID;
                else
                    colon = NULL; /* part of a column name */
                if (colon) nn = (size_t)(colon - a);
            }
            if (nn == 4 && !memcmp(a, "#row", 4))
                p.kind = PART_ROW;
            else if (nn == 7 && !memcmp(a, "#source", 7))
                p.kind = PART_SOURCE;
            else if (nn > 1 && a[0] == '=') {
                p.kind = PART_FIELD;
                p.idx = schema_field_index(L->m->s, a + 1, nn - 1);
                if (p.idx < 0) {
                    free_parts(parts, np);
                    return fail(L, n,
                                "template: '%.*s' is not a field of "
                                "schema %s",
                                (int)(nn - 1), a + 1, L->m->s->name);
                }
            } else if (nn > 0 && a[0] != '#') {
                p.kind = PART_COL;
                p.idx = col_slot(L, a, nn, n);
                if (p.idx < 0) {
                    free_parts(parts, np);
                    return -1;
                }
            } else {
                free_parts(parts, np);
                return fail(L, n,
                            "template: '{%.*s}' is not {Column}, "
                            "{=field}, {#row} or {#source}",
                            (int)an, a);
            }
            i = (size_t)(close - s) + 1;
        } else {
            const char *open = memchr(s + i, '{', len - i);
            size_t end = open ? (size_t)(open - s) : len;
            p.lit = strndup(s + i, end - i);
            p.len = end - i;
            i = end;
        }
        map_part *v = realloc(parts, (np + 1) * sizeof *v);
        if (!v) {
            free_parts(parts, np);
            return fail(L, n, "out of memory");
        }
        parts = v;
        parts[np++] = p;
    }
    r->parts = parts;
    r->nparts = np;
    return 0;
}

static int parse_unplaced(loader *L, const ydoc_node *n, int *out) {
    if (n->kind == YDOC_SCALAR) {
        if (!strcmp(n->str, "reject")) {
            *out = UNPLACED_REJECT;
            return 0;
        }
        if (!strcmp(n->str, "keep")) {
            *out = UNPLACED_KEEP;
            return 0;
        }
        if (!strcmp(n->str, "empty")) {
            *out = UNPLACED_EMPTY;
            return 0;
        }
    }
    return fail(L, n, "unplaced: expected reject, keep or empty");
}

/* Adds the markers of sequence N (or one scalar) to OUT/NOUT folded, or to
 * the global unknown set when OUT is NULL. */
static int parse_unknown(loader *L, const ydoc_node *n, char ***out,
                         size_t *nout) {
    const ydoc_node *one, *const *items;
    size_t nn = ydoc_list(n, &one, &items);
    for (size_t j = 0; j < nn; j++) {
        if (items[j]->kind != YDOC_SCALAR)
            return fail(L, items[j], "unknown: expected a marker such as -99");
        size_t k;
        char *f = fold_dup(L->m, items[j]->str, items[j]->len, &k);
        if (!f) return fail(L, items[j], "out of memory");
        if (items[j]->len * 4 > L->m->unk_max)
            L->m->unk_max = items[j]->len * 4;
        if (!out) {
            strmap_put(&L->m->unknown, f, k, NULL);
            free(f);
        } else {
            char **v = realloc(*out, (*nout + 1) * sizeof *v);
            if (!v) {
                free(f);
                return fail(L, items[j], "out of memory");
            }
            *out = v;
            v[(*nout)++] = f;
        }
    }
    return 0;
}

static char *msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *msgf(const char *fmt, ...) {
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    return strdup(b);
}

static int finish_rule(loader *L, map_rule *r, const schema_field *f,
                       const ydoc_node *recode, int no_auto,
                       const ydoc_node *v);

/* Compiles the spec of field FI (key node K, value V) into rule R. */
static int parse_rule(loader *L, map_rule *r, int fi, const ydoc_node *k,
                      const ydoc_node *v, int constant) {
    map *m = L->m;
    const schema_field *f = &m->s->fields[fi];
    memset(r, 0, sizeof *r);
    r->field = fi;
    r->line = k->line;
    r->col = k->col;
    r->colslot = -1;
    r->unplaced = m->unplaced;
    r->codes = f->codes;
    r->join = f->type == SCHEMA_LIST ? (f->separator ? f->separator : ';') : 0;
    if (f->type == SCHEMA_DATE || f->type == SCHEMA_INTEGER ||
        f->type == SCHEMA_NUMBER)
        r->digits = 1;
    if (f->type == SCHEMA_INTEGER) r->conv = CONV_INTEGER;
    if (constant || v->kind == YDOC_SCALAR) {
        if (v->kind != YDOC_SCALAR)
            return fail(L, v, "constant for %s: expected a value", f->name);
        if (constant) {
            r->src = SRC_CONST;
            r->constant = strdup(v->str);
            r->conv = CONV_NONE;
            r->msg = msgf("is not a value of %s", f->name);
            return r->msg ? 0 : fail(L, v, "out of memory");
        }
        r->src = SRC_COLUMN;
        r->colslot = col_slot(L, v->str, v->len, v);
        if (r->colslot < 0) return -1;
        return finish_rule(L, r, f, NULL, 0, v);
    }
    if (v->kind != YDOC_MAP)
        return fail(L, v,
                    "field %s: expected a column name or {from: ..., "
                    "...}",
                    f->name);
    const ydoc_node *recode = NULL;
    int no_auto = 0;
    for (size_t i = 0; i < v->n; i++) {
        const ydoc_node *kk = v->items[2 * i], *vv = v->items[2 * i + 1];
        const char *key = kk->str;
        int nsrc = r->src != SRC_NONE;
        if (!strcmp(key, "from")) {
            if (nsrc || vv->kind != YDOC_SCALAR || !vv->len)
                return fail(L, vv,
                            nsrc ? "field %s: give one of from, value, "
                                   "template"
                                 : "field %s: from: expected a column "
                                   "name",
                            f->name);
            r->src = SRC_COLUMN;
            r->colslot = col_slot(L, vv->str, vv->len, vv);
            if (r->colslot < 0) return -1;
        } else if (!strcmp(key, "value")) {
            if (nsrc || vv->kind != YDOC_SCALAR)
                return fail(L, vv,
                            "field %s: give one of from, value, "
                            "template",
                            f->name);
            r->src = SRC_CONST;
            r->constant = strdup(vv->str);
        } else if (!strcmp(key, "template")) {
            if (nsrc || vv->kind != YDOC_SCALAR)
                return fail(L, vv,
                            "field %s: give one of from, value, "
                            "template",
                            f->name);
            r->src = SRC_TEMPLATE;
            if (parse_template(L, r, vv) < 0) return -1;
        } else if (!strcmp(key, "recode") && vv->kind == YDOC_SCALAR &&
                   !strcmp(vv->str, "none")) {
            no_auto = 1; /* values pass as they are */
        } else if (!strcmp(key, "recode")) {
            if (r->conv == CONV_COUNTRY || r->conv == CONV_DATE)
                return fail(L, vv,
                            "field %s: recode, country and date "
                            "exclude each other",
                            f->name);
            r->conv = CONV_RECODE;
            recode = vv;
        } else if (!strcmp(key, "country")) {
            int b;
            if (ydoc_bool(vv, &b) < 0)
                return fail(L, vv, "country: expected true or false");
            if (!b) continue;
            if (r->conv == CONV_RECODE || r->conv == CONV_DATE)
                return fail(L, vv,
                            "field %s: recode, country and date "
                            "exclude each other",
                            f->name);
            r->conv = CONV_COUNTRY;
            if (load_countries(L, vv) < 0) return -1;
        } else if (!strcmp(key, "date")) {
            if (vv->kind != YDOC_SCALAR || !cal_date_fmt_known(vv->str) ||
                vv->len >= sizeof r->date_fmt)
                return fail(L, vv,
                            "date: '%s' is not a known format (DD/MM/"
                            "YYYY, MM/DD/YYYY, DD-MM-YYYY, DD.MM.YYYY, "
                            "YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, excel, "
                            "jalali:YYYY/MM/DD, jalali:YYYY-MM-DD, "
                            "jalali:DD/MM/YYYY; months: MM/YYYY, YYYY-MM, "
                            "jalali:YYYY/MM, jalali:YYYY-MM)",
                            vv->str);
            if (r->conv == CONV_RECODE || r->conv == CONV_COUNTRY)
                return fail(L, vv,
                            "field %s: recode, country and date "
                            "exclude each other",
                            f->name);
            r->conv = CONV_DATE;
            memcpy(r->date_fmt, vv->str, vv->len + 1);
        } else if (!strcmp(key, "split")) {
            if (vv->kind != YDOC_SCALAR || !vv->len ||
                vv->len >= sizeof r->split)
                return fail(L, vv,
                            "split: expected separator characters "
                            "such as \",;\"");
            if (f->type != SCHEMA_LIST)
                return fail(L, vv, "split: %s is not a list field", f->name);
            memcpy(r->split, vv->str, vv->len + 1);
        } else if (!strcmp(key, "default")) {
            if (vv->kind != YDOC_SCALAR)
                return fail(L, vv, "default: expected a value");
            if (f->codes && vv->len &&
                schema_code_find(f->codes, vv->str, vv->len) < 0)
                return fail(L, vv, "default: '%s' is not a code of %s", vv->str,
                            f->codes->name);
            r->dflt = strdup(vv->str);
        } else if (!strcmp(key, "unknown")) {
            if (parse_unknown(L, vv, &r->unknown, &r->nunknown) < 0) return -1;
        } else if (!strcmp(key, "unplaced")) {
            if (parse_unplaced(L, vv, &r->unplaced) < 0) return -1;
        } else if (!strcmp(key, "digits")) {
            if (ydoc_bool(vv, &r->digits) < 0)
                return fail(L, vv, "digits: expected true or false");
        } else {
            return fail(L, kk,
                        "field %s: unknown key '%s' (from, value, "
                        "template, recode, country, date, split, "
                        "default, unknown, unplaced, digits)",
                        f->name, key);
        }
    }
    if (r->src == SRC_NONE)
        return fail(L, v,
                    "field %s: say where the value comes from: from, "
                    "value or template",
                    f->name);
    return finish_rule(L, r, f, recode, no_auto, v);
}

/* The conversion a rule gets by default, its recode table and message. */
static int finish_rule(loader *L, map_rule *r, const schema_field *f,
                       const ydoc_node *recode, int no_auto,
                       const ydoc_node *v) {
    map *m = L->m;
    if (r->src == SRC_CONST && r->conv == CONV_INTEGER) r->conv = CONV_NONE;
    if (r->conv == CONV_NONE && !no_auto && r->src != SRC_CONST && f->codes) {
        /* a code field without a conversion: country names for country
         * lists, else the list's own codes and labels, folded */
        if (strstr(f->codes->name, "iso3166_1_alpha3")) {
            r->conv = CONV_COUNTRY;
            if (load_countries(L, v) < 0) return -1;
        } else {
            r->conv = CONV_RECODE;
        }
    }
    if (r->join && !r->split[0] && r->conv != CONV_NONE)
        memcpy(r->split, ";,", 3); /* list items: ; or , unless the map says */
    if (r->conv == CONV_RECODE) {
        char tname[256];
        map_table *t;
        if (!recode) {
            snprintf(tname, sizeof tname, "codes of %s", f->codes->name);
            t = find_table(m, tname);
            if (!t && !(t = new_table(m, tname)))
                return fail(L, v, "out of memory");
        } else if (recode->kind == YDOC_SCALAR) {
            t = find_table(m, recode->str);
            if (!t)
                return fail(L, recode,
                            "recode '%s' is not defined under "
                            "recodes:",
                            recode->str);
        } else {
            snprintf(tname, sizeof tname, "field %s", f->name);
            t = new_table(m, tname);
            if (!t) return fail(L, recode, "out of memory");
            if (fill_table(L, t, recode, f->codes, f->name) < 0) return -1;
        }
        if (f->codes && add_codelist(m, &t->keys, f->codes) < 0)
            return fail(L, recode, "out of memory");
        r->table = t;
        r->msg = msgf("has no code in recode '%s' (%s:%d)", t->name, m->path,
                      recode ? recode->line : r->line);
        if (f->type == SCHEMA_INTEGER) {
            /* counts: the recode names special values ("<5"); anything
             * else must be a whole number */
            r->intcodes = 1;
            r->digits = 1;
            if (recode && recode->kind == YDOC_MAP &&
                check_int_codes(L, f, recode, t->name) < 0)
                return -1;
            for (size_t i = 0; i < f->nallow; i++) {
                uint64_t vi = val_index(m, f->allow[i]);
                if (!vi || add_label(m, &t->keys, f->allow[i],
                                     strlen(f->allow[i]), vi, 0) < 0)
                    return fail(L, recode, "out of memory");
            }
            free(r->msg);
            r->msg = msgf("is neither a whole number nor a label of recode "
                          "'%s' (%s:%d)",
                          t->name, m->path, recode ? recode->line : r->line);
        }
    } else if (r->conv == CONV_COUNTRY) {
        r->msg = msgf("is not a country name, alpha-2 or alpha-3 code the "
                      "map knows (add it under countries: in %s)",
                      m->path);
    } else if (r->conv == CONV_DATE) {
        r->msg = msgf("is not a real date in %s", r->date_fmt);
    } else if (r->conv == CONV_INTEGER) {
        r->msg = msgf("is not a whole number");
    } else {
        r->msg = msgf("is not a value of %s", f->name);
    }
    return r->msg ? 0 : fail(L, v, "out of memory");
}

/* Recode tables named under recodes: (their codes are checked against the
 * code list of each field that uses them, at that field). */
static int load_recodes(loader *L) {
    const ydoc_node *rc = ydoc_get(L->d->root, "recodes");
    if (!rc) return 0;
    if (rc->kind != YDOC_MAP)
        return fail(L, rc, "recodes: expected NAME: {CODE: [label, ...]}");
    for (size_t i = 0; i < rc->n; i++) {
        const ydoc_node *k = rc->items[2 * i];
        if (find_table(L->m, k->str))
            return fail(L, k, "recode '%s' is defined twice", k->str);
        map_table *t = new_table(L->m, k->str);
        if (!t) return fail(L, k, "out of memory");
        if (fill_table(L, t, rc->items[2 * i + 1], NULL, "") < 0) return -1;
    }
    return 0;
}

int map_int_code_ok(const schema_field *f, const char *s, size_t n) {
    if (map_is_integer(s, n)) return 1;
    for (size_t i = 0; i < f->nallow; i++)
        if (strlen(f->allow[i]) == n && !memcmp(f->allow[i], s, n)) return 1;
    return 0;
}

/* Checks the codes of recode definition DEF for integer field F. */
static int check_int_codes(loader *L, const schema_field *f,
                           const ydoc_node *def, const char *tname) {
    for (size_t i = 0; def && def->kind == YDOC_MAP && i < def->n; i++) {
        const ydoc_node *k = def->items[2 * i];
        if (!map_int_code_ok(f, k->str, k->len))
            return fail(L, k,
                        "recode '%s': '%s' is not a whole number or "
                        "an allowed value of %s",
                        tname, k->str, f->name);
    }
    return 0;
}

/* Checks a named table's codes against the field's list, once wired. */
static int check_table_codes(loader *L, const map_rule *r,
                             const ydoc_node *rc) {
    if (r->intcodes && r->table && rc)
        return check_int_codes(L, &L->m->s->fields[r->field],
                               ydoc_get(rc, r->table->name), r->table->name);
    if (!r->table || !r->codes || !rc) return 0;
    const ydoc_node *def = ydoc_get(rc, r->table->name);
    for (size_t i = 0; def && def->kind == YDOC_MAP && i < def->n; i++) {
        const ydoc_node *k = def->items[2 * i];
        if (schema_code_find(r->codes, k->str, k->len) < 0)
            return fail(L, k,
                        "recode '%s': '%s' is not a code of %s (field "
                        "%s)",
                        r->table->name, k->str, r->codes->name,
                        L->m->s->fields[r->field].name);
    }
    return 0;
}

static const char *const top_keys[] = {
    "map",      "title",     "description", "schema",    "validate", "unknown",
    "unplaced", "countries", "recodes",     "constants", "fields",   NULL};

map *map_load(const char *path, char *err, size_t errlen) {
    ydoc *d = ydoc_load(path, err, errlen);
    if (!d) return NULL;
    map *m = calloc(1, sizeof *m);
    char *pc = strdup(path);
    loader L = {m, d, NULL, err, errlen};
    if (!m || !pc) {
        snprintf(err, errlen, "%s: out of memory", path);
        free(m);
        free(pc);
        ydoc_free(d);
        return NULL;
    }
    L.dir = strdup(dirname(pc));
    free(pc);
    m->path = strdup(path);
    m->doc = d;
    int rc = -1;
    const ydoc_node *root = d->root;
    if (!root || root->kind != YDOC_MAP) {
        fail(&L, root, "a map is a YAML mapping with schema: and fields:");
        goto out;
    }
    for (size_t i = 0; i < root->n; i++) {
        const char *k = root->items[2 * i]->str;
        size_t j = 0;
        while (top_keys[j] && strcmp(top_keys[j], k))
            j++;
        if (!top_keys[j]) {
            fail(&L, root->items[2 * i],
                 "unknown key '%s' (schema, validate, "
                 "unknown, unplaced, countries, "
                 "recodes, constants, fields)",
                 k);
            goto out;
        }
    }
    if (load_schema(&L, ydoc_get(root, "schema")) < 0) goto out;
    const ydoc_node *n;
    if ((n = ydoc_get(root, "validate")) && ydoc_bool(n, &m->validate) < 0) {
        fail(&L, n, "validate: expected true or false");
        goto out;
    }
    if ((n = ydoc_get(root, "unplaced")) &&
        parse_unplaced(&L, n, &m->unplaced) < 0)
        goto out;
    if ((n = ydoc_get(root, "unknown")) && parse_unknown(&L, n, NULL, NULL) < 0)
        goto out;
    if (load_recodes(&L) < 0) goto out;
    const schema *s = m->s;
    m->rule_of = malloc(s->nfields * sizeof *m->rule_of);
    m->rules = calloc(s->nfields, sizeof *m->rules);
    m->off = calloc(s->nfields, sizeof *m->off);
    m->len = calloc(s->nfields, sizeof *m->len);
    m->cells = calloc(s->nfields, sizeof *m->cells);
    if (!m->rule_of || !m->rules || !m->off || !m->len || !m->cells) {
        fail(&L, root, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < s->nfields; i++)
        m->rule_of[i] = -1;
    /* constants first, then fields; templates are evaluated last */
    const ydoc_node *secs[2] = {ydoc_get(root, "constants"),
                                ydoc_get(root, "fields")};
    if (!secs[1] && !secs[0]) {
        fail(&L, root, "the map needs 'fields:', one entry per standard field");
        goto out;
    }
    map_rule *tmpl = calloc(s->nfields, sizeof *tmpl);
    size_t ntmpl = 0;
    if (!tmpl) goto out;
    for (int sec = 0; sec < 2; sec++) {
        const ydoc_node *fs = secs[sec];
        if (!fs) continue;
        if (fs->kind != YDOC_MAP) {
            fail(&L, fs, "%s: expected FIELD: spec pairs",
                 sec ? "fields" : "constants");
            goto out_t;
        }
        for (size_t i = 0; i < fs->n; i++) {
            const ydoc_node *k = fs->items[2 * i], *v = fs->items[2 * i + 1];
            int fi = schema_field_index(s, k->str, k->len);
            if (fi < 0) {
                fail(&L, k, "'%s' is not a field of schema %s", k->str,
                     s->name);
                goto out_t;
            }
            if (m->rule_of[fi] != -1) {
                fail(&L, k, "field %s is mapped twice", k->str);
                goto out_t;
            }
            map_rule r;
            if (parse_rule(&L, &r, fi, k, v, sec == 0) < 0) {
                /* r may own pieces: release through a temporary slot */
                m->rules[m->nrules] = r;
                m->rule_of[fi] = -2;
                m->nrules++;
                goto out_t;
            }
            if (check_table_codes(&L, &r, ydoc_get(root, "recodes")) < 0) {
                m->rules[m->nrules++] = r;
                goto out_t;
            }
            m->rule_of[fi] = -2; /* placed below */
            if (r.src == SRC_TEMPLATE)
                tmpl[ntmpl++] = r;
            else
                m->rules[m->nrules++] = r;
        }
    }
    for (size_t i = 0; i < ntmpl; i++)
        m->rules[m->nrules++] = tmpl[i];
    ntmpl = 0;
    for (size_t i = 0; i < m->nrules; i++)
        m->rule_of[m->rules[i].field] = (int)i;
    /* a template may read a field computed before it */
    for (size_t i = 0; i < m->nrules; i++) {
        const map_rule *r = &m->rules[i];
        for (size_t j = 0; j < r->nparts; j++) {
            if (r->parts[j].kind != PART_FIELD) continue;
            int ri = m->rule_of[r->parts[j].idx];
            if (ri < 0 || (size_t)ri >= i) {
                ydoc_node at = {0};
                at.line = r->line;
                at.col = r->col;
                fail(&L, &at, "template of %s reads {=%s}, which %s",
                     s->fields[r->field].name, s->fields[r->parts[j].idx].name,
                     ri < 0 ? "the map does not fill"
                            : "is a template given later: move it up");
                goto out_t;
            }
        }
    }
    rc = 0;
out_t:
    for (size_t i = 0; i < ntmpl; i++)
        m->rules[m->nrules++] = tmpl[i];
    free(tmpl);
out:
    free(L.dir);
    if (rc < 0) {
        map_free(m);
        return NULL;
    }
    return m;
}

void map_free(map *m) {
    if (!m) return;
    for (size_t i = 0; i < m->nrules; i++) {
        map_rule *r = &m->rules[i];
        free(r->constant);
        for (size_t j = 0; j < r->nparts; j++)
            free(r->parts[j].lit);
        free(r->parts);
        free(r->dflt);
        for (size_t j = 0; j < r->nunknown; j++)
            free(r->unknown[j]);
        free(r->unknown);
        free(r->msg);
        free(r->vc);
    }
    free(m->rules);
    free(m->rule_of);
    for (size_t i = 0; i < m->ncols; i++) {
        free(m->cols[i].name);
        free(m->cols[i].folded);
    }
    free(m->cols);
    for (size_t i = 0; i < m->ntables; i++) {
        strmap_free(&m->tables[i]->keys);
        free(m->tables[i]->name);
        free(m->tables[i]);
    }
    free(m->tables);
    strmap_free(&m->unknown);
    strmap_free(&m->countries);
    for (size_t i = 0; i < m->nvals; i++)
        free(m->vals[i]);
    free(m->vals);
    strmap_free(&m->valset);
    free(m->source);
    free(m->buf);
    free(m->off);
    free(m->len);
    free(m->cells);
    buf_free(&m->reason);
    free(m->finds);
    free(m->fvoff);
    free(m->fmoff);
    free(m->mbuf);
    fold_close(m->fold);
    schema_free(m->s);
    ydoc_free(m->doc);
    free(m->path);
    free(m);
}

const schema *map_schema(const map *m) {
    return m->s;
}
const char *map_path(const map *m) {
    return m->path;
}
int map_wants_validate(const map *m) {
    return m->validate;
}

size_t map_ncolumns(const map *m) {
    return m->ncols;
}

const char *map_column(const map *m, size_t i) {
    return i < m->ncols ? m->cols[i].name : NULL;
}

int map_field_column(const map *m, size_t field) {
    if (field >= m->s->nfields || m->rule_of[field] < 0) return -1;
    const map_rule *r = &m->rules[m->rule_of[field]];
    if (r->src != SRC_COLUMN || r->conv != CONV_NONE) return -1;
    return m->cols[r->colslot].idx;
}
