/*
 * link.c: the `dedup:` section compiled (link_config_parse), rows prepared
 * once (link_add) and pairs compared level by level (link_level_of). The
 * blocking, scoring threads, training and clustering are in link_run.c.
 *
 * Memory per row: one link_val (16 bytes) per comparison, the prepared
 * strings in one arena (a name costs its normalised text, its key and its
 * sorted key, NUL-terminated), one block number (4 bytes) per key. For 1M
 * person rows with the person.yaml section that is about 250 MB.
 */
#include "calendar.h"
#include "link_impl.h"
#include "similar.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- config ---------------------------------------------------------- */

static char *dupstr(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

/* Parser state. */
typedef struct cparse {
    const ydoc *doc;                    /* for messages */
    int (*known)(void *, const char *); /* field exists? */
    void *ctx;                          /* known's context */
    char *err;                          /* message out */
    size_t errlen;                      /* its size */
    link_config *c;                     /* being built */
} cparse;

static int field_ref(cparse *P, const ydoc_node *at, const char *name,
                     size_t n) {
    char buf[128];
    if (n == 0 || n >= sizeof buf)
        return ydoc_fail(P->err, P->errlen, P->doc, at,
                         "empty or long field "
                         "name in dedup");
    memcpy(buf, name, n);
    buf[n] = 0;
    if (P->known && !P->known(P->ctx, buf))
        return ydoc_fail(P->err, P->errlen, P->doc, at,
                         "dedup: '%s' is not a field of the schema", buf);
    for (int i = 0; i < P->c->nfields; i++)
        if (!strcmp(P->c->fields[i], buf)) return i;
    if (P->c->nfields == LINK_MAX_FIELDS)
        return ydoc_fail(P->err, P->errlen, P->doc, at,
                         "dedup: more than %d fields", LINK_MAX_FIELDS);
    P->c->fields[P->c->nfields] = dupstr(buf, n);
    return P->c->nfields++;
}

static const struct {
    const char *name;
    link_kfn fn;
} kfns[] = {{"value", LINK_K_VALUE},       {"id", LINK_K_ID},
            {"key", LINK_K_KEY},           {"sorted", LINK_K_SORTED},
            {"first", LINK_K_FIRST},       {"soundex", LINK_K_SOUNDEX},
            {"digits", LINK_K_DIGITS},     {"year", LINK_K_YEAR},
            {"monthday", LINK_K_MONTHDAY}, {"prefix", LINK_K_PREFIX},
            {"initials", LINK_K_INITIALS}, {"dateset", LINK_K_DATESET},
            {"born", LINK_K_BORN}};

/* "fn(a, b)" or "field" into a key part. */
static int parse_part(cparse *P, const ydoc_node *n, link_kpart *kp) {
    if (n->kind != YDOC_SCALAR)
        return ydoc_fail(P->err, P->errlen, P->doc, n,
                         "dedup: a key part is fn(field) or a field name");
    const char *s = n->str, *open = strchr(s, '(');
    memset(kp, 0, sizeof *kp);
    kp->fn = LINK_K_VALUE;
    if (!open) {
        int f = field_ref(P, n, s, strlen(s));
        if (f < 0) return -1;
        kp->fields[kp->nfields++] = f;
        return 0;
    }
    size_t fl = (size_t)(open - s);
    int found = 0;
    for (size_t i = 0; i < sizeof kfns / sizeof kfns[0]; i++)
        if (strlen(kfns[i].name) == fl && !memcmp(kfns[i].name, s, fl)) {
            kp->fn = kfns[i].fn;
            found = 1;
        }
    if (!found)
        return ydoc_fail(P->err, P->errlen, P->doc, n,
                         "dedup: unknown key function '%.*s' (value id key "
                         "sorted first soundex digits year monthday prefix "
                         "initials dateset born)",
                         (int)fl, s);
    const char *close = strrchr(s, ')');
    if (!close || close < open || close[1])
        return ydoc_fail(P->err, P->errlen, P->doc, n,
                         "dedup: '%s': missing ')'", s);
    const char *p = open + 1;
    while (p < close) {
        while (p < close && (*p == ' ' || *p == ','))
            p++;
        const char *q = p;
        while (q < close && *q != ',' && *q != ' ')
            q++;
        const char *e = q;
        while (e > p && e[-1] == ' ')
            e--;
        if (e > p) {
            if ((kp->fn == LINK_K_PREFIX || kp->fn == LINK_K_BORN) &&
                isdigit((unsigned char)*p)) {
                kp->arg = atoi(p);
            } else {
                if (kp->nfields == LINK_MAX_ARGS)
                    return ydoc_fail(P->err, P->errlen, P->doc, n,
                                     "dedup: too many fields in '%s'", s);
                int f = field_ref(P, n, p, (size_t)(e - p));
                if (f < 0) return -1;
                kp->fields[kp->nfields++] = f;
            }
        }
        p = q + 1;
    }
    if (!kp->nfields)
        return ydoc_fail(P->err, P->errlen, P->doc, n,
                         "dedup: '%s' names no field", s);
    if (kp->fn == LINK_K_PREFIX && kp->arg <= 0)
        return ydoc_fail(P->err, P->errlen, P->doc, n,
                         "dedup: prefix(FIELD, N) needs N > 0");
    if (kp->fn == LINK_K_BORN && (kp->nfields != 3 || kp->arg > 1))
        return ydoc_fail(P->err, P->errlen, P->doc, n,
                         "dedup: born(DATE AGE AT) or born(DATE AGE AT 1): "
                         "three fields and a shift of 0 or 1");
    return 0;
}

static int parse_keys(cparse *P, const ydoc_node *seq, int exact) {
    if (!seq) return 0;
    if (seq->kind != YDOC_SEQ)
        return ydoc_fail(P->err, P->errlen, P->doc, seq,
                         "dedup: %s must be a list of keys",
                         exact ? "exact" : "blocking");
    link_config *c = P->c;
    link_key *k = realloc(c->keys, (c->nkeys + seq->n) * sizeof *k);
    if (!k) return ydoc_fail(P->err, P->errlen, P->doc, seq, "out of memory");
    c->keys = k;
    for (size_t i = 0; i < seq->n; i++) {
        const ydoc_node *it = seq->items[i];
        link_key *key = &c->keys[c->nkeys];
        memset(key, 0, sizeof *key);
        key->exact = exact;
        const ydoc_node *one, *const *parts;
        size_t np = ydoc_list(it, &one, &parts);
        if (np == 0 || np > LINK_MAX_PARTS)
            return ydoc_fail(P->err, P->errlen, P->doc, it,
                             "dedup: a key has 1 to %d parts", LINK_MAX_PARTS);
        char text[512];
        size_t tl = 0;
        for (size_t j = 0; j < np; j++) {
            if (parse_part(P, parts[j], &key->parts[j]) < 0) return -1;
            tl += (size_t)snprintf(text + tl,
                                   tl < sizeof text ? sizeof text - tl : 0,
                                   "%s%s", j ? " + " : "", parts[j]->str);
            if (tl >= sizeof text) tl = sizeof text - 1;
        }
        key->nparts = (int)np;
        key->text = dupstr(text, strlen(text));
        c->nkeys++;
    }
    return 0;
}

static const struct {
    const char *name;
    link_test t;
    const char *param; /* "min", "max" or NULL */
} tests[] = {
    {"exact", LINK_T_EXACT, NULL},        {"key", LINK_T_KEY, NULL},
    {"swap", LINK_T_SWAP, NULL},          {"jw", LINK_T_JW, "min"},
    {"token_jw", LINK_T_TOKEN_JW, "min"}, {"dl", LINK_T_DL, "max"},
    {"soundex", LINK_T_SOUNDEX, NULL},    {"date_swap", LINK_T_DATE_SWAP, NULL},
    {"year", LINK_T_DATE_YEAR, "max"},    {"days", LINK_T_DAYS, "max"},
    {"within", LINK_T_WITHIN, "max"},     {"month", LINK_T_MONTH, NULL},
    {"years", LINK_T_YEARS, "max"},       {"nisba", LINK_T_NISBA, NULL},
    {"key_jw", LINK_T_KEY_JW, "min"},     {"subset", LINK_T_SUBSET, NULL},
    {"key_dl", LINK_T_KEY_DL, "max"},     {"else", LINK_T_ELSE, NULL}};

static const struct {
    const char *name;
    link_prep p;
} preps[] = {{"name", LINK_PREP_NAME}, {"text", LINK_PREP_TEXT},
             {"id", LINK_PREP_ID},     {"digits", LINK_PREP_DIGITS},
             {"date", LINK_PREP_DATE}, {"number", LINK_PREP_NUMBER},
             {"age", LINK_PREP_AGE}};

static int prob(cparse *P, const ydoc_node *lv, const char *key, double *out) {
    const ydoc_node *n = ydoc_get(lv, key);
    if (!n || ydoc_double(n, out) < 0 || !(*out > 0 && *out < 1))
        return ydoc_fail(P->err, P->errlen, P->doc, n ? n : lv,
                         "dedup: level needs %s, a probability between 0 and "
                         "1 (exclusive)",
                         key);
    return 0;
}

static int parse_cmp(cparse *P, const ydoc_node *m, link_cmp *cmp) {
    memset(cmp, 0, sizeof *cmp);
    if (m->kind != YDOC_MAP)
        return ydoc_fail(P->err, P->errlen, P->doc, m,
                         "dedup: a comparison is a mapping with fields, "
                         "prepare and levels");
    const ydoc_node *f = ydoc_get(m, "fields"), *nm = ydoc_get(m, "name");
    if (!f) f = ydoc_get(m, "field");
    if (!f)
        return ydoc_fail(P->err, P->errlen, P->doc, m,
                         "dedup: comparison without fields");
    const ydoc_node *one, *const *fs;
    size_t nf = ydoc_list(f, &one, &fs);
    if (nf == 0 || nf > LINK_MAX_ARGS)
        return ydoc_fail(P->err, P->errlen, P->doc, f,
                         "dedup: a comparison reads 1 to %d fields",
                         LINK_MAX_ARGS);
    for (size_t i = 0; i < nf; i++) {
        if (fs[i]->kind != YDOC_SCALAR)
            return ydoc_fail(P->err, P->errlen, P->doc, fs[i],
                             "dedup: field name expected");
        int x = field_ref(P, fs[i], fs[i]->str, fs[i]->len);
        if (x < 0) return -1;
        cmp->fields[cmp->nfields++] = x;
    }
    const char *name = nm && nm->kind == YDOC_SCALAR ? nm->str : fs[0]->str;
    cmp->name = dupstr(name, strlen(name));
    const ydoc_node *pr = ydoc_get(m, "prepare");
    cmp->prep = LINK_PREP_TEXT;
    if (pr) {
        int ok = 0;
        for (size_t i = 0; i < sizeof preps / sizeof preps[0]; i++)
            if (pr->kind == YDOC_SCALAR && !strcmp(pr->str, preps[i].name)) {
                cmp->prep = preps[i].p;
                ok = 1;
            }
        if (!ok)
            return ydoc_fail(P->err, P->errlen, P->doc, pr,
                             "dedup: prepare is name, text, id, digits, date, "
                             "number or age");
    }
    cmp->precision = cmp->scope = cmp->age_at = cmp->age_dob = -1;
    static const struct {
        const char *key; /* option */
        size_t off;      /* where its field index goes */
        int prep;        /* the prepare it needs, or -1 */
    } opt[] = {{"precision", offsetof(link_cmp, precision), LINK_PREP_DATE},
               {"scope", offsetof(link_cmp, scope), -1},
               {"at", offsetof(link_cmp, age_at), LINK_PREP_AGE},
               {"dob", offsetof(link_cmp, age_dob), LINK_PREP_AGE}};
    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++) {
        const ydoc_node *o = ydoc_get(m, opt[i].key);
        if (!o) continue;
        if (o->kind != YDOC_SCALAR ||
            (opt[i].prep >= 0 && (int)cmp->prep != opt[i].prep))
            return ydoc_fail(P->err, P->errlen, P->doc, o,
                             "dedup: %s names a field (%s)", opt[i].key,
                             opt[i].prep == LINK_PREP_DATE  ? "prepare: date"
                             : opt[i].prep == LINK_PREP_AGE ? "prepare: age"
                                                            : "any prepare");
        int x = field_ref(P, o, o->str, o->len);
        if (x < 0) return -1;
        *(int *)((char *)cmp + opt[i].off) = x;
    }
    const ydoc_node *nu = ydoc_get(m, "null");
    if (nu && nu->kind == YDOC_SEQ && nu->n) {
        cmp->nulls = calloc(nu->n, sizeof *cmp->nulls);
        if (!cmp->nulls) return -1;
        for (size_t i = 0; i < nu->n; i++) {
            if (nu->items[i]->kind != YDOC_SCALAR) continue;
            cmp->nulls[cmp->nnulls++] =
                dupstr(nu->items[i]->str, nu->items[i]->len);
        }
    }
    const ydoc_node *lv = ydoc_get(m, "levels");
    if (!lv || lv->kind != YDOC_SEQ || lv->n == 0)
        return ydoc_fail(P->err, P->errlen, P->doc, m,
                         "dedup: comparison '%s' needs levels", cmp->name);
    if (lv->n > LINK_MAX_LEVELS)
        return ydoc_fail(P->err, P->errlen, P->doc, lv,
                         "dedup: at most %d levels", LINK_MAX_LEVELS);
    double sm = 0, su = 0;
    for (size_t i = 0; i < lv->n; i++) {
        const ydoc_node *l = lv->items[i], *t = ydoc_get(l, "test");
        link_level *L = &cmp->levels[i];
        if (!t || t->kind != YDOC_SCALAR)
            return ydoc_fail(P->err, P->errlen, P->doc, l,
                             "dedup: level needs test");
        int ok = -1;
        for (size_t j = 0; j < sizeof tests / sizeof tests[0]; j++)
            if (!strcmp(t->str, tests[j].name)) ok = (int)j;
        if (ok < 0)
            return ydoc_fail(P->err, P->errlen, P->doc, t,
                             "dedup: unknown test '%s' (exact key swap jw "
                             "token_jw dl soundex date_swap year days within "
                             "month years nisba key_jw subset key_dl else)",
                             t->str);
        L->test = tests[ok].t;
        if (L->test == LINK_T_ELSE && i + 1 != lv->n)
            return ydoc_fail(P->err, P->errlen, P->doc, t,
                             "dedup: else must be the last level");
        char label[64];
        snprintf(label, sizeof label, "%s", tests[ok].name);
        if (tests[ok].param) {
            const ydoc_node *a = ydoc_get(l, tests[ok].param);
            if (!a && L->test == LINK_T_DATE_YEAR) {
                L->arg = 1;
            } else if (!a && L->test == LINK_T_YEARS) {
                L->arg = 0;
            } else if (!a || ydoc_double(a, &L->arg) < 0) {
                return ydoc_fail(P->err, P->errlen, P->doc, l,
                                 "dedup: test %s needs %s: a number",
                                 tests[ok].name, tests[ok].param);
            }
            snprintf(label, sizeof label, "%s%s%g", tests[ok].name,
                     tests[ok].param[1] == 'i' ? ">=" : "<=", L->arg);
        }
        const ydoc_node *tf = ydoc_get(l, "tf");
        if (tf) {
            if (ydoc_bool(tf, &L->tf) < 0 ||
                !(L->test == LINK_T_EXACT ||
                  ((L->test == LINK_T_KEY || L->test == LINK_T_SWAP ||
                    L->test == LINK_T_NISBA) &&
                   cmp->prep == LINK_PREP_NAME)) ||
                cmp->prep == LINK_PREP_NUMBER || cmp->prep == LINK_PREP_AGE)
                return ydoc_fail(P->err, P->errlen, P->doc, tf,
                                 "dedup: tf: true is for an exact level of "
                                 "text or a date or a key, swap or nisba "
                                 "level of a name");
            if (L->tf) snprintf(label, sizeof label, "%s(tf)", tests[ok].name);
        }
        const ydoc_node *vt = ydoc_get(l, "veto");
        if (vt && ydoc_bool(vt, &L->veto) < 0)
            return ydoc_fail(P->err, P->errlen, P->doc, vt,
                             "dedup: veto is true or false");
        if (L->veto && L->test == LINK_T_EXACT)
            return ydoc_fail(P->err, P->errlen, P->doc, vt,
                             "dedup: an exact level cannot veto");
        if (L->veto) {
            size_t ll = strlen(label);
            snprintf(label + ll, sizeof label - ll, "(veto)");
        }
        L->label = dupstr(label, strlen(label));
        cmp->nlevels++; /* counted now so that link_config_free frees it */
        if (prob(P, l, "m", &L->m) < 0 || prob(P, l, "u", &L->u) < 0) return -1;
        sm += L->m;
        su += L->u;
    }
    if (cmp->levels[cmp->nlevels - 1].test != LINK_T_ELSE) {
        if (cmp->nlevels == LINK_MAX_LEVELS)
            return ydoc_fail(P->err, P->errlen, P->doc, lv,
                             "dedup: no room for the else level");
        if (sm >= 1 || su >= 1)
            return ydoc_fail(P->err, P->errlen, P->doc, lv,
                             "dedup: the m (or u) of the levels add up to 1 "
                             "or more: give an else level");
        link_level *L = &cmp->levels[cmp->nlevels++];
        L->test = LINK_T_ELSE;
        L->m = 1 - sm;
        L->u = 1 - su;
        L->label = dupstr("else", 4);
    }
    return 0;
}

void link_config_weights(link_config *c) {
    for (int i = 0; i < c->ncmps; i++)
        for (int j = 0; j < c->cmps[i].nlevels; j++) {
            link_level *L = &c->cmps[i].levels[j];
            L->w = log2(L->m / L->u);
        }
}

link_config *link_config_parse(const ydoc *doc, const ydoc_node *node,
                               int (*known)(void *ctx, const char *name),
                               void *ctx, char *err, size_t errlen) {
    link_config *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->prior = 0.01;
    c->max_block = LINK_DEFAULT_MAX_BLOCK;
    cparse P = {doc, known, ctx, err, errlen, c};
    if (!node || node->kind != YDOC_MAP) {
        ydoc_fail(err, errlen, doc, node ? node : doc->root,
                  "dedup: the schema has no dedup section (a mapping)");
        goto fail;
    }
    static const char *allowed[] = {
        "threshold",   "exact",     "blocking",  "compare",
        "prior",       "latest_by", "max_block", "threshold_rows",
        "cluster_min", "exact_min", NULL};
    for (size_t i = 0; i < node->n; i++) {
        const ydoc_node *k = node->items[2 * i];
        int ok = 0;
        for (int j = 0; allowed[j]; j++)
            if (!strcmp(k->str, allowed[j])) ok = 1;
        if (!ok) {
            ydoc_fail(err, errlen, doc, k, "dedup: unknown key '%s'", k->str);
            goto fail;
        }
    }
    const ydoc_node *t = ydoc_get(node, "threshold");
    if (!t || ydoc_double(t, &c->threshold) < 0) {
        ydoc_fail(err, errlen, doc, t ? t : node,
                  "dedup: threshold (a match weight, e.g. 10) is required");
        goto fail;
    }
    if ((t = ydoc_get(node, "prior")) &&
        (ydoc_double(t, &c->prior) < 0 || !(c->prior > 0 && c->prior < 1))) {
        ydoc_fail(err, errlen, doc, t, "dedup: prior is a probability");
        goto fail;
    }
    if ((t = ydoc_get(node, "threshold_rows")) &&
        (ydoc_double(t, &c->threshold_rows) < 0 || !(c->threshold_rows >= 2))) {
        ydoc_fail(err, errlen, doc, t,
                  "dedup: threshold_rows is a row count "
                  "(2 or more)");
        goto fail;
    }
    if ((t = ydoc_get(node, "cluster_min")) &&
        ydoc_double(t, &c->cluster_min) < 0) {
        ydoc_fail(err, errlen, doc, t, "dedup: cluster_min is a match weight");
        goto fail;
    }
    c->exact_min = c->cluster_min;
    if ((t = ydoc_get(node, "exact_min")) &&
        ydoc_double(t, &c->exact_min) < 0) {
        ydoc_fail(err, errlen, doc, t, "dedup: exact_min is a match weight");
        goto fail;
    }
    long mb;
    if ((t = ydoc_get(node, "max_block"))) {
        if (ydoc_long(t, &mb) < 0 || mb < 2 || mb > 1000000) {
            ydoc_fail(err, errlen, doc, t, "dedup: max_block is 2..1000000");
            goto fail;
        }
        c->max_block = (int)mb;
    }
    if ((t = ydoc_get(node, "latest_by"))) {
        if (field_ref(&P, t, t->str, t->len) < 0) goto fail;
        c->latest_by = dupstr(t->str, t->len);
    }
    if (parse_keys(&P, ydoc_get(node, "exact"), 1) < 0) goto fail;
    if (parse_keys(&P, ydoc_get(node, "blocking"), 0) < 0) goto fail;
    if (c->nkeys == 0) {
        ydoc_fail(err, errlen, doc, node,
                  "dedup: give blocking keys (or exact keys)");
        goto fail;
    }
    const ydoc_node *cm = ydoc_get(node, "compare");
    if (!cm || cm->kind != YDOC_SEQ || cm->n == 0) {
        ydoc_fail(err, errlen, doc, cm ? cm : node,
                  "dedup: compare must list the comparisons");
        goto fail;
    }
    if (cm->n > LINK_MAX_CMP) {
        ydoc_fail(err, errlen, doc, cm, "dedup: at most %d comparisons",
                  LINK_MAX_CMP);
        goto fail;
    }
    for (size_t i = 0; i < cm->n; i++) {
        if (parse_cmp(&P, cm->items[i], &c->cmps[i]) < 0) {
            c->ncmps = (int)i + 1;
            goto fail;
        }
        c->ncmps = (int)i + 1;
    }
    link_config_weights(c);
    return c;
fail:
    link_config_free(c);
    return NULL;
}

void link_config_free(link_config *c) {
    if (!c) return;
    for (int i = 0; i < c->nfields; i++)
        free(c->fields[i]);
    for (int i = 0; i < c->nkeys; i++)
        free(c->keys[i].text);
    free(c->keys);
    for (int i = 0; i < c->ncmps; i++) {
        free(c->cmps[i].name);
        for (size_t j = 0; j < c->cmps[i].nnulls; j++)
            free(c->cmps[i].nulls[j]);
        free(c->cmps[i].nulls);
        for (int j = 0; j < c->cmps[i].nlevels; j++)
            free(c->cmps[i].levels[j].label);
    }
    free(c->latest_by);
    free(c);
}

/* ---- rows ------------------------------------------------------------ */

link_ctx *link_new(const link_config *c, char *err, size_t errlen) {
    link_ctx *L = calloc(1, sizeof *L);
    if (!L) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    L->cfg = c;
    L->trained = *c;
    L->norm = norm_open(err, errlen);
    L->keymaps = calloc((size_t)c->nkeys, sizeof *L->keymaps);
    L->block_of = calloc((size_t)c->nkeys, sizeof *L->block_of);
    if (!L->norm || !L->keymaps || !L->block_of) {
        if (L->norm) snprintf(err, errlen, "out of memory");
        link_free(L);
        return NULL;
    }
    for (int k = 0; k < c->nkeys; k++)
        strmap_init(&L->keymaps[k]);
    return L;
}

/* Appends bytes to the arena; returns the offset or UINT32_MAX. */
static uint32_t arena_put(link_ctx *L, const char *s, size_t n) {
    if (L->alen + n + 1 > L->acap) {
        size_t cap = L->acap ? L->acap * 2 : 1 << 20;
        while (cap < L->alen + n + 1)
            cap *= 2;
        if (cap > UINT32_MAX) cap = UINT32_MAX;
        if (L->alen + n + 1 > cap) return UINT32_MAX;
        char *a = realloc(L->arena, cap);
        if (!a) return UINT32_MAX;
        L->arena = a;
        L->acap = cap;
    }
    uint32_t off = (uint32_t)L->alen;
    memcpy(L->arena + L->alen, s, n);
    L->arena[L->alen + n] = 0;
    L->alen += n + 1;
    return off;
}

/* Joins fields F[0..nf) of the row into buf with single spaces. */
static size_t join(const int *f, int nf, const char *const *vals,
                   const size_t *lens, char *buf, size_t cap) {
    size_t n = 0;
    for (int i = 0; i < nf; i++) {
        const char *p = vals[f[i]];
        size_t l = lens[f[i]];
        while (l && (*p == ' ' || *p == '\t'))
            p++, l--;
        while (l && (p[l - 1] == ' ' || p[l - 1] == '\t'))
            l--;
        if (!l) continue;
        if (n && n < cap) buf[n++] = ' ';
        if (n + l > cap) l = cap - n;
        memcpy(buf + n, p, l);
        n += l;
    }
    return n;
}

/* Parses a date (digits already ASCII) at the precision its digits give:
 * YYYY-MM-DD or YYYYMMDD (day), YYYY-MM (month), YYYY (year). Returns the
 * day number of its first day, or LINK_NO_DATE; *prec is LINK_DAY,
 * LINK_MONTH or LINK_YEAR. */
static double parse_date_p(const char *s, size_t n, int *prec) {
    char d[16];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof d; i++)
        if (s[i] >= '0' && s[i] <= '9') d[k++] = s[i];
    if (k != 8 && k != 6 && k != 4) return LINK_NO_DATE;
    int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 +
            (d[3] - '0');
    int m = k > 4 ? (d[4] - '0') * 10 + (d[5] - '0') : 1;
    int dd = k > 6 ? (d[6] - '0') * 10 + (d[7] - '0') : 1;
    if (!cal_valid_ymd(y, m, dd)) return LINK_NO_DATE;
    *prec = k == 8 ? LINK_DAY : k == 6 ? LINK_MONTH : LINK_YEAR;
    return (double)cal_days_from_civil(y, m, dd);
}

/* The year an age was given at: of an ISO date, or the first four digits
 * after a '-' (CCC-YYYY-...), 1900..2100; 0 when none. */
static int year_at(const char *s, size_t n) {
    for (size_t i = 0; i + 4 <= n; i++) {
        if (i && s[i - 1] != '-') continue;
        if (!isdigit((unsigned char)s[i]) ||
            !isdigit((unsigned char)s[i + 1]) ||
            !isdigit((unsigned char)s[i + 2]) ||
            !isdigit((unsigned char)s[i + 3]) ||
            (i + 4 < n && isdigit((unsigned char)s[i + 4])))
            continue;
        int y = atoi(s + i);
        if (y >= 1900 && y <= 2100) return y;
    }
    return 0;
}

/* FNV-1a of s[0..n), never 0 (0: no value). */
static uint32_t hash32(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h ? h : 1;
}

/* Removes spaces in place. */
static size_t squeeze(char *s, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ') s[k++] = s[i];
    s[k] = 0;
    return k;
}

/* Prepares the joined value of fields F under PREP into L->t1 (norm) and
 * returns its length; NORM_ERROR-free (an error gives ""). */
static size_t prepare(link_ctx *L, link_prep prep, const int *f, int nf,
                      const char *const *vals, const size_t *lens) {
    size_t n = join(f, nf, vals, lens, L->t0, sizeof L->t0);
    size_t r;
    switch (prep) {
    case LINK_PREP_DIGITS:
        r = norm_digits_only(L->t0, n, L->t1, sizeof L->t1);
        break;
    case LINK_PREP_DATE:
        r = norm_digits_only(L->t0, n, L->t1, sizeof L->t1);
        break;
    case LINK_PREP_AGE:
    case LINK_PREP_NUMBER: {
        r = cal_digits_to_ascii(L->t0, n, L->t1, sizeof L->t1);
        break;
    }
    default:
        r = norm_text(L->norm, L->t0, n, L->t1, sizeof L->t1);
        if (r == NORM_ERROR) r = 0;
        if (prep == LINK_PREP_ID)
            r = squeeze(L->t1, r < sizeof L->t1 ? r : sizeof L->t1 - 1);
    }
    if (r >= sizeof L->t1) r = sizeof L->t1 - 1;
    L->t1[r] = 0;
    return r;
}

/* The latest birth year of a row: the year of field FDATE (>= 0, a date
 * at any precision; *range = 0), else the year of field FAT less the age
 * in field FAGE (*range = 1: born that year or the one before); 0 when
 * neither is known. */
static int birth_year(link_ctx *L, int fdate, int fage, int fat,
                      const char *const *vals, const size_t *lens, int *range) {
    int p, y, m, d;
    *range = 0;
    size_t n =
        fdate >= 0 ? prepare(L, LINK_PREP_DATE, &fdate, 1, vals, lens) : 0;
    double day = n ? parse_date_p(L->t1, n, &p) : LINK_NO_DATE;
    if (day != LINK_NO_DATE) {
        cal_civil_from_days((long)day, &y, &m, &d);
        return y;
    }
    if (fage < 0 || fat < 0) return 0;
    n = join(&fat, 1, vals, lens, L->t0, sizeof L->t0);
    int at = year_at(L->t0, n);
    n = prepare(L, LINK_PREP_NUMBER, &fage, 1, vals, lens);
    char *end;
    double age = strtod(L->t1, &end);
    if (!at || !n || end == L->t1 || age < 0 || age > 150) return 0;
    *range = 1;
    return at - (int)age;
}

/* The block key of row values for key K into L->kbuf; 0 = no key. */
static size_t make_key(link_ctx *L, const link_key *key,
                       const char *const *vals, const size_t *lens) {
    size_t kl = 0;
    for (int p = 0; p < key->nparts; p++) {
        const link_kpart *kp = &key->parts[p];
        if (kp->fn == LINK_K_BORN) { /* two-year bins, shifted by arg */
            int range, y = birth_year(L, kp->fields[0], kp->fields[1],
                                      kp->fields[2], vals, lens, &range);
            if (!y || kl + 16 > sizeof L->kbuf) return 0;
            if (p) L->kbuf[kl++] = '\x1f';
            kl += (size_t)snprintf(L->kbuf + kl, 16, "%d", (y + kp->arg) / 2);
            continue;
        }
        link_prep prep = LINK_PREP_TEXT;
        if (kp->fn == LINK_K_ID)
            prep = LINK_PREP_ID;
        else if (kp->fn == LINK_K_DIGITS)
            prep = LINK_PREP_DIGITS;
        else if (kp->fn == LINK_K_YEAR || kp->fn == LINK_K_MONTHDAY ||
                 kp->fn == LINK_K_DATESET)
            prep = LINK_PREP_DATE;
        size_t n = prepare(L, prep, kp->fields, kp->nfields, vals, lens);
        if (!n) return 0;
        const char *v = L->t1;
        char tmp[LINK_TEXT_MAX], tmp2[LINK_TEXT_MAX];
        switch (kp->fn) {
        case LINK_K_KEY:
        case LINK_K_SORTED:
        case LINK_K_FIRST:
        case LINK_K_INITIALS:
            n = norm_name_key(L->t1, n, tmp, sizeof tmp);
            if (n >= sizeof tmp) n = sizeof tmp - 1;
            n = norm_key_drop_article(tmp, n); /* Al-Tamimi with Tamimi */
            n = norm_key_drop_nisba(tmp, n);   /* Ahmadi with Ahmad */
            v = tmp;
            if (kp->fn == LINK_K_SORTED || kp->fn == LINK_K_INITIALS) {
                n = norm_sorted_tokens(tmp, n, tmp2, sizeof tmp2);
                if (n >= sizeof tmp2) n = sizeof tmp2 - 1;
                v = tmp2;
                if (kp->fn == LINK_K_INITIALS) { /* first letter of each
                                                    (sorted) word, in place */
                    size_t k = 0;
                    for (size_t i = 0; i < n; i++)
                        if (tmp2[i] != ' ' && (i == 0 || tmp2[i - 1] == ' '))
                            tmp2[k++] = tmp2[i];
                    n = k;
                }
            } else if (kp->fn == LINK_K_FIRST) {
                const char *sp = memchr(tmp, ' ', n);
                if (sp) n = (size_t)(sp - tmp);
            }
            break;
        case LINK_K_SOUNDEX:
            n = sim_soundex(L->t1, n, tmp);
            v = tmp;
            break;
        case LINK_K_YEAR:
        case LINK_K_MONTHDAY:
        case LINK_K_DATESET: {
            int prec;
            double d = parse_date_p(L->t1, n, &prec);
            if (d == LINK_NO_DATE) return 0;
            if (kp->fn != LINK_K_YEAR && prec != LINK_DAY) return 0;
            int y, m, dd;
            cal_civil_from_days((long)d, &y, &m, &dd);
            if (kp->fn == LINK_K_YEAR)
                n = (size_t)snprintf(tmp, sizeof tmp, "%d", y);
            else if (kp->fn == LINK_K_MONTHDAY)
                n = (size_t)snprintf(tmp, sizeof tmp, "%02d%02d", m, dd);
            else
                n = (size_t)snprintf(tmp, sizeof tmp, "%d-%02d-%02d", y,
                                     m < dd ? m : dd, m < dd ? dd : m);
            v = tmp;
            break;
        }
        case LINK_K_PREFIX:
            if (n > (size_t)kp->arg) n = (size_t)kp->arg;
            break;
        default:
            break;
        }
        if (!n) return 0;
        if (kl + n + 1 > sizeof L->kbuf) return 0;
        if (p) L->kbuf[kl++] = '\x1f';
        memcpy(L->kbuf + kl, v, n);
        kl += n;
    }
    return kl;
}

long link_add(link_ctx *L, const char *const *vals, const size_t *lens,
              int prior) {
    const link_config *c = L->cfg;
    if (L->nrows >= 0x7fffffffL) return -1;
    if (L->nrows == L->rcap) {
        size_t cap = L->rcap ? L->rcap * 2 : 4096;
        link_val *v = realloc(L->vals, cap * (size_t)c->ncmps * sizeof *v);
        if (!v) return -1;
        L->vals = v;
        uint8_t *pr = realloc(L->prior, cap);
        if (!pr) return -1;
        L->prior = pr;
        for (int k = 0; k < c->nkeys; k++) {
            uint32_t *b = realloc(L->block_of[k], cap * sizeof *b);
            if (!b) return -1;
            L->block_of[k] = b;
        }
        for (int i = 0; i < c->ncmps; i++) {
            if (c->cmps[i].scope < 0) continue;
            uint32_t *h = realloc(L->scopeh[i], cap * sizeof *h);
            if (!h) return -1;
            L->scopeh[i] = h;
        }
        L->rcap = cap;
    }
    size_t row = L->nrows;
    L->prior[row] = prior ? 1 : 0;
    if (prior) L->nprior++;
    for (int i = 0; i < c->ncmps; i++) {
        const link_cmp *cmp = &c->cmps[i];
        link_val *v = &L->vals[row * (size_t)c->ncmps + (size_t)i];
        memset(v, 0, sizeof *v);
        if (cmp->scope >= 0) {
            size_t n = prepare(L, LINK_PREP_ID, &cmp->scope, 1, vals, lens);
            L->scopeh[i][row] = n ? hash32(L->t1, n) : 0;
        }
        int prec = LINK_DAY;
        if (cmp->precision >= 0) { /* dob_precision: day, month or year */
            size_t n =
                prepare(L, LINK_PREP_TEXT, &cmp->precision, 1, vals, lens);
            if (n && L->t1[0] == 'y') prec = LINK_YEAR;
            if (n && L->t1[0] == 'm') prec = LINK_MONTH;
        }
        size_t n, nk = 0, ns = 0;
        if (cmp->prep == LINK_PREP_AGE) { /* a range of birth years */
            int range, y = birth_year(L, cmp->age_dob, cmp->fields[0],
                                      cmp->age_at, vals, lens, &range);
            if (!y) continue;
            v->num = y;
            nk = range ? 1 : 2;
            n = (size_t)(range ? snprintf(L->t1, sizeof L->t1, "born %d-%d",
                                          y - 1, y)
                               : snprintf(L->t1, sizeof L->t1, "born %d", y));
        } else {
            n = prepare(L, cmp->prep, cmp->fields, cmp->nfields, vals, lens);
        }
        for (size_t j = 0; j < cmp->nnulls && n; j++)
            if (strlen(cmp->nulls[j]) == n && !memcmp(cmp->nulls[j], L->t1, n))
                n = 0;
        if (!n) continue;
        if (cmp->prep == LINK_PREP_DATE) {
            int p;
            v->num = parse_date_p(L->t1, n, &p);
            if (v->num == LINK_NO_DATE) continue;
            if (p < prec) p = prec; /* the precision field can only lower */
            int y, m, d;
            cal_civil_from_days((long)v->num, &y, &m, &d);
            if (p >= LINK_MONTH) d = 1;
            if (p == LINK_YEAR) m = 1;
            v->num = (double)cal_days_from_civil(y, m, d);
            n = (size_t)(p == LINK_YEAR
                             ? snprintf(L->t1, sizeof L->t1, "%04d", y)
                         : p == LINK_MONTH
                             ? snprintf(L->t1, sizeof L->t1, "%04d-%02d", y, m)
                             : snprintf(L->t1, sizeof L->t1, "%04d-%02d-%02d",
                                        y, m, d));
            nk = (size_t)p;
        } else if (cmp->prep == LINK_PREP_NUMBER) {
            char *end;
            v->num = strtod(L->t1, &end);
            if (end == L->t1) continue;
        }
        char buf[3 * LINK_TEXT_MAX];
        size_t bl = n + 1;
        memcpy(buf, L->t1, n + 1);
        if (cmp->prep == LINK_PREP_NAME) {
            char tmp[LINK_TEXT_MAX];
            nk = norm_name_key(L->t1, n, tmp, sizeof tmp);
            if (nk >= sizeof tmp) nk = sizeof tmp - 1;
            memcpy(buf + bl, tmp, nk);
            buf[bl + nk] = 0;
            ns = norm_sorted_tokens(tmp, nk, buf + bl + nk + 1, LINK_TEXT_MAX);
            if (ns >= LINK_TEXT_MAX) ns = LINK_TEXT_MAX - 1;
            bl += nk + 1 + ns + 1;
        }
        uint32_t off = arena_put(L, buf, bl - 1);
        if (off == UINT32_MAX) return -1;
        v->off = off;
        v->nn = (uint8_t)n;
        v->nk = (uint8_t)(nk > 255 ? 255 : nk);
        v->ns = (uint8_t)(ns > 255 ? 255 : ns);
        v->present = 1;
    }
    for (int k = 0; k < c->nkeys; k++) {
        size_t kl = make_key(L, &c->keys[k], vals, lens);
        if (!kl) {
            L->block_of[k][row] = LINK_NONE;
            continue;
        }
        int added;
        uint64_t *slot = strmap_put(&L->keymaps[k], L->kbuf, kl, &added);
        if (!slot) return -1;
        if (added) *slot = L->keymaps[k].count - 1;
        L->block_of[k][row] = (uint32_t)*slot;
    }
    L->nrows++;
    return (long)row;
}

/* ---- comparison ------------------------------------------------------ */

/* Whether the two name keys K1[0..n1) and K2[0..n2) (sorted words) are
 * equal once a final nisba marker and an article are dropped from every
 * word (Ahmadi ~ Ahmad, Al-Tamimi ~ Tamimi). */
static int same_without_nisba(const char *k1, size_t n1, const char *k2,
                              size_t n2) {
    char x[LINK_TEXT_MAX], y[LINK_TEXT_MAX], sx[LINK_TEXT_MAX],
        sy[LINK_TEXT_MAX];
    memcpy(x, k1, n1);
    memcpy(y, k2, n2);
    n1 = norm_key_drop_nisba(x, norm_key_drop_article(x, n1));
    n2 = norm_key_drop_nisba(y, norm_key_drop_article(y, n2));
    n1 = norm_sorted_tokens(x, n1, sx, sizeof sx);
    n2 = norm_sorted_tokens(y, n2, sy, sizeof sy);
    return n1 == n2 && n1 < sizeof sx && !memcmp(sx, sy, n1);
}

/* Whether every word of the key with fewer words, S[0..ns), is a word of
 * L[0..nl) (keys with nisba markers dropped by the caller); a word of one
 * letter is an initial, found in a word it begins (M. ~ Muhammad). */
static int words_within(const char *s, size_t ns, const char *l, size_t nl) {
    if (!ns) return 0;
    for (size_t i = 0; i < ns;) {
        size_t j = i;
        while (j < ns && s[j] != ' ')
            j++;
        int found = 0;
        for (size_t p = 0; p < nl && !found;) {
            size_t q = p;
            while (q < nl && l[q] != ' ')
                q++;
            found = (q - p == j - i && !memcmp(l + p, s + i, j - i)) ||
                    (j - i == 1 && q > p && l[p] == s[i]);
            p = q + 1;
        }
        if (!found) return 0;
        i = j + 1;
    }
    return 1;
}

static int key_subset(const char *k1, size_t n1, const char *k2, size_t n2) {
    char x[LINK_TEXT_MAX], y[LINK_TEXT_MAX];
    memcpy(x, k1, n1);
    memcpy(y, k2, n2);
    n1 = norm_key_drop_nisba(x, norm_key_drop_article(x, n1));
    n2 = norm_key_drop_nisba(y, norm_key_drop_article(y, n2));
    size_t w1 = 0, w2 = 0;
    for (size_t i = 0; i < n1; i++)
        w1 += x[i] == ' ';
    for (size_t i = 0; i < n2; i++)
        w2 += y[i] == ' ';
    return w1 <= w2 ? words_within(x, n1, y, n2) : words_within(y, n2, x, n1);
}

/* The precision a date comparison works at: the coarser of the two, a
 * placeholder day (link_val.ns) counting as a year. */
static int date_prec(const link_val *va, const link_val *vb) {
    int pa = va->ns ? LINK_YEAR : va->nk, pb = vb->ns ? LINK_YEAR : vb->nk;
    return pa > pb ? pa : pb;
}

static int level_holds(const link_level *lv, link_prep prep, const char *a,
                       const link_val *va, const char *b, const link_val *vb) {
    if (prep == LINK_PREP_DATE) {
        int y1, m1, d1, y2, m2, d2, p = date_prec(va, vb);
        cal_civil_from_days((long)va->num, &y1, &m1, &d1);
        cal_civil_from_days((long)vb->num, &y2, &m2, &d2);
        int dy = y1 > y2 ? y1 - y2 : y2 - y1;
        switch (lv->test) {
        case LINK_T_EXACT: /* both to the day (a placeholder by its tf) */
            return va->nk == LINK_DAY && vb->nk == LINK_DAY &&
                   va->num == vb->num;
        case LINK_T_DATE_SWAP:
            return p == LINK_DAY && y1 == y2 && m1 == d2 && d1 == m2 &&
                   m1 != d1;
        case LINK_T_DATE_YEAR:
            return p == LINK_DAY && m1 == m2 && d1 == d2 && dy <= lv->arg;
        case LINK_T_DAYS:
            return p == LINK_DAY && fabs(va->num - vb->num) <= lv->arg;
        case LINK_T_DL: /* one digit mistyped: 1994-06-15 ~ 1994-08-15 */
            return p == LINK_DAY &&
                   sim_damerau_levenshtein(a, va->nn, b, vb->nn) <= lv->arg;
        case LINK_T_MONTH:
            return p == LINK_MONTH && y1 == y2 && m1 == m2;
        case LINK_T_YEARS:
            return p == LINK_YEAR && dy <= lv->arg;
        case LINK_T_ELSE:
            return 1;
        default:
            return 0;
        }
    }
    switch (lv->test) {
    case LINK_T_EXACT:
        if (prep == LINK_PREP_NUMBER || prep == LINK_PREP_AGE)
            return va->num == vb->num;
        return va->nn == vb->nn && !memcmp(a, b, va->nn);
    case LINK_T_KEY:
        if (prep != LINK_PREP_NAME) return 0;
        return va->nk == vb->nk &&
               !memcmp(a + va->nn + 1, b + vb->nn + 1, va->nk);
    case LINK_T_SWAP:
        if (prep != LINK_PREP_NAME) return 0;
        return va->ns == vb->ns && !memcmp(a + va->nn + va->nk + 2,
                                           b + vb->nn + vb->nk + 2, va->ns);
    case LINK_T_JW:
        return sim_jaro_winkler(a, va->nn, b, vb->nn) >= lv->arg;
    case LINK_T_TOKEN_JW:
        return sim_token_jaro_winkler(a, va->nn, b, vb->nn) >= lv->arg;
    case LINK_T_DL: {
        int dl = (int)va->nn - (int)vb->nn;
        if (dl < 0) dl = -dl;
        if (dl > lv->arg) return 0;
        return sim_damerau_levenshtein(a, va->nn, b, vb->nn) <= lv->arg;
    }
    case LINK_T_SOUNDEX: {
        char x[5], y[5];
        return sim_soundex(a, va->nn, x) && sim_soundex(b, vb->nn, y) &&
               !strcmp(x, y);
    }
    case LINK_T_NISBA:
        if (prep != LINK_PREP_NAME) return 0;
        return same_without_nisba(a + va->nn + 1, va->nk, b + vb->nn + 1,
                                  vb->nk);
    case LINK_T_KEY_JW:
        if (prep != LINK_PREP_NAME) return 0;
        return sim_token_jaro_winkler(a + va->nn + 1, va->nk, b + vb->nn + 1,
                                      vb->nk) >= lv->arg;
    case LINK_T_SUBSET:
        if (prep != LINK_PREP_NAME) return 0;
        return key_subset(a + va->nn + 1, va->nk, b + vb->nn + 1, vb->nk);
    case LINK_T_KEY_DL: {
        if (prep != LINK_PREP_NAME) return 0;
        char x[LINK_TEXT_MAX], y[LINK_TEXT_MAX];
        memcpy(x, a + va->nn + 1, va->nk);
        memcpy(y, b + vb->nn + 1, vb->nk);
        size_t nx = squeeze(x, va->nk), ny = squeeze(y, vb->nk);
        if ((nx > ny ? nx - ny : ny - nx) > lv->arg) return 0;
        return sim_damerau_levenshtein(x, nx, y, ny) <= lv->arg;
    }
    case LINK_T_WITHIN:
        if (prep == LINK_PREP_AGE) { /* the gap between [num - (nk == 1),
                                        num] and the other range */
            double lo1 = va->num - (va->nk == 1), lo2 = vb->num - (vb->nk == 1);
            double gap = fmax(0, fmax(lo2 - va->num, lo1 - vb->num));
            return gap <= lv->arg;
        }
        if (prep != LINK_PREP_NUMBER) return 0;
        return fabs(va->num - vb->num) <= lv->arg;
    case LINK_T_ELSE:
        return 1;
    default: /* date tests on other values */
        return 0;
    }
}

int link_level_of(const link_ctx *L, int c, long a, long b, double *w) {
    const link_cmp *cmp = &L->trained.cmps[c];
    size_t nc = (size_t)L->cfg->ncmps;
    const link_val *va = &L->vals[(size_t)a * nc + (size_t)c];
    const link_val *vb = &L->vals[(size_t)b * nc + (size_t)c];
    *w = 0;
    if (!va->present || !vb->present) return -1;
    /* two birth dates: the date comparison decides */
    if (cmp->prep == LINK_PREP_AGE && va->nk == 2 && vb->nk == 2) return -1;
    /* a passport number against a national id's: not comparable */
    if (cmp->scope >= 0 && L->scopeh[c][a] && L->scopeh[c][b] &&
        L->scopeh[c][a] != L->scopeh[c][b])
        return -1;
    const char *sa = L->arena + va->off, *sb = L->arena + vb->off;
    for (int l = 0; l < cmp->nlevels; l++)
        if (level_holds(&cmp->levels[l], cmp->prep, sa, va, sb, vb)) {
            const link_level *lv = &cmp->levels[l];
            *w = lv->w;
            if (lv->tf && L->tfden[c] > 0) {
                /* u of this value (link_impl.h, LINK_TF_PRIOR_ROWS): for a
                 * key or swap level the commoner of the two values; an
                 * agreement never counts against */
                double na = L->tfc[(size_t)a * nc + (size_t)c];
                double nb = L->tfc[(size_t)b * nc + (size_t)c];
                double n = lv->test != LINK_T_EXACT && nb > na ? nb : na;
                double f = (n + LINK_TF_PRIOR_ROWS * lv->u) / L->tfden[c];
                *w = log2(lv->m / f);
                if (*w < 0) *w = 0;
            }
            return l;
        }
    return -1;
}

int link_vetoes(const link_ctx *L, int c, int lv, long a, long b) {
    const link_cmp *cmp = &L->trained.cmps[c];
    if (lv < 0 || !cmp->levels[lv].veto) return 0;
    size_t nc = (size_t)L->cfg->ncmps;
    const link_val *va = &L->vals[(size_t)a * nc + (size_t)c];
    const link_val *vb = &L->vals[(size_t)b * nc + (size_t)c];
    if (cmp->prep == LINK_PREP_DATE && date_prec(va, vb) != LINK_DAY)
        return 0; /* what is not known cannot disagree */
    if (cmp->scope >= 0 &&
        (!L->scopeh[c][a] || L->scopeh[c][a] != L->scopeh[c][b]))
        return 0;
    return 1;
}

const char *link_prepared(const link_ctx *L, int c, long i) {
    const link_val *v = &L->vals[(size_t)i * (size_t)L->cfg->ncmps + (size_t)c];
    return v->present ? L->arena + v->off : "";
}

const link_stats *link_get_stats(const link_ctx *L) {
    return &L->stats;
}

const link_config *link_get_config(const link_ctx *L) {
    return &L->trained;
}
