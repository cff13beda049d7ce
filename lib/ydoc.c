/*
 * ydoc.c: a YAML file read through libyaml's event parser into a plain tree.
 * Limits are checked while parsing, before the work they bound: the file's
 * size, the nesting depth (a document nested 200,000 deep stops at level
 * 65, not after libyaml has built it), and the node count (which also bounds
 * what aliases expand to). A mapping may not repeat a key: the second is an
 * error with its line and column, never a silent first-one-wins.
 */
#include "ydoc.h"
#include "buf.h"
#include "outfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#define MAX_NODES 2000000
#define MAX_DEPTH 64
#define MAX_BYTES (64L << 20) /* schemas, maps and code lists are small */

static void free_node(ydoc_node *n);

/* An open sequence or mapping while its events arrive. */
typedef struct frame {
    ydoc_node *node; /* the container */
    size_t cap;      /* items allocated */
    char *anchor;    /* its anchor, set when it ends (malloc'd) */
} frame;

/* An anchored node, for aliases to copy. */
typedef struct anchor {
    char *name;      /* anchor name (malloc'd) */
    ydoc_node *node; /* the node (owned by the tree) */
} anchor;

/* Parse state. */
typedef struct build {
    frame stack[MAX_DEPTH + 1]; /* open containers, outermost first */
    int depth;                  /* how many are open */
    size_t nodes;               /* nodes made so far */
    anchor *anchors;            /* anchored nodes */
    size_t nanchors, capanchors;
    ydoc_node *root; /* the document's root, once made */
} build;

static ydoc_node *new_node(build *b, ydoc_kind kind, const yaml_mark_t *m) {
    if (++b->nodes > MAX_NODES) return NULL;
    ydoc_node *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->kind = kind;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    return n;
}

/* A deep copy of N (an alias), counted against the node bound. */
static ydoc_node *copy_node(build *b, const ydoc_node *n) {
    if (++b->nodes > MAX_NODES) return NULL;
    ydoc_node *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    *c = *n;
    c->items = NULL;
    c->n = 0;
    size_t cnt = n->kind == YDOC_MAP ? 2 * n->n : n->n;
    c->str = malloc(n->len + 1);
    if (c->str) memcpy(c->str, n->str, n->len + 1);
    if (c->str && n->kind != YDOC_SCALAR) {
        c->items = calloc(cnt ? cnt : 1, sizeof *c->items);
        c->n = c->items ? n->n : 0; /* NULL slots are safe to free */
        for (size_t i = 0; c->items && i < cnt; i++)
            if (!(c->items[i] = copy_node(b, n->items[i]))) break;
    }
    int ok = c->str && (n->kind == YDOC_SCALAR ||
                        (c->items && (!cnt || c->items[cnt - 1])));
    if (!ok) {
        free_node(c);
        return NULL;
    }
    return c;
}

static int remember(build *b, const yaml_char_t *name, ydoc_node *n) {
    if (!name) return 0;
    if (buf_grow(&b->anchors, &b->capanchors, b->nanchors + 1,
                 sizeof *b->anchors))
        return -1;
    char *s = strdup((const char *)name);
    if (!s) return -1;
    b->anchors[b->nanchors++] = (anchor){s, n};
    return 0;
}

/* Adds N to the open container (or makes it the root). */
static int attach(build *b, ydoc_node *n) {
    if (b->depth == 0) {
        if (b->root) free_node(b->root); /* a second document: ignored */
        b->root = n;
        return 0;
    }
    frame *f = &b->stack[b->depth - 1];
    ydoc_node *c = f->node;
    size_t used = c->kind == YDOC_MAP ? 2 * c->n + (size_t)c->quoted : c->n;
    if (buf_grow(&c->items, &f->cap, used + 1, sizeof *c->items)) return -1;
    c->items[used] = n;
    /* a mapping counts its pairs; quoted marks a key waiting for a value */
    if (c->kind == YDOC_SEQ)
        c->n++;
    else if (c->quoted)
        c->n++, c->quoted = 0;
    else
        c->quoted = 1;
    return 0;
}

static int cmp_key(const void *a, const void *b) {
    const ydoc_node *x = *(ydoc_node *const *)a, *y = *(ydoc_node *const *)b;
    int c = x->len != y->len ? (x->len < y->len ? -1 : 1)
                             : memcmp(x->str, y->str, x->len);
    if (c) return c;
    return x->line != y->line ? x->line - y->line : x->col - y->col;
}

/* The key of M given twice (its second place), or NULL. Sorted copies of
 * the key pointers: n log n, whatever the mapping's size. */
static const ydoc_node *repeated_key(const ydoc_node *m, int *oom) {
    if (m->n < 2) return NULL;
    const ydoc_node **k = malloc(m->n * sizeof *k);
    if (!k) {
        *oom = 1;
        return NULL;
    }
    size_t nk = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->items[2 * i]->kind == YDOC_SCALAR) k[nk++] = m->items[2 * i];
    qsort(k, nk, sizeof *k, cmp_key);
    const ydoc_node *dup = NULL;
    for (size_t i = 1; i < nk; i++)
        if (k[i]->len == k[i - 1]->len &&
            !memcmp(k[i]->str, k[i - 1]->str, k[i]->len) &&
            (!dup || cmp_key(&k[i], &dup) < 0))
            dup = k[i];
    free(k);
    return dup;
}

static void free_node(ydoc_node *n) {
    if (!n) return;
    /* a mapping cut short may hold a key without its value (quoted) */
    size_t cnt = n->kind == YDOC_MAP ? 2 * n->n + (size_t)n->quoted : n->n;
    for (size_t i = 0; i < cnt && n->items; i++)
        free_node(n->items[i]);
    free(n->items);
    free(n->str);
    free(n);
}

static void build_free(build *b) {
    for (int i = 0; i < b->depth; i++) {
        free(b->stack[i].anchor);
        /* an open container not yet attached is owned by its frame */
        free_node(b->stack[i].node);
    }
    for (size_t i = 0; i < b->nanchors; i++)
        free(b->anchors[i].name);
    free(b->anchors);
    free_node(b->root);
}

/* Reads every event; returns 0, or -1 with ERR. */
static int parse(build *b, yaml_parser_t *parser, const char *path, char *err,
                 size_t errlen) {
    yaml_event_t ev;
    for (;;) {
        if (!yaml_parser_parse(parser, &ev)) {
            yaml_mark_t m = parser->problem_mark;
            snprintf(err, errlen, "%s:%zu:%zu: error: %s%s%s", path, m.line + 1,
                     m.column + 1,
                     parser->problem ? parser->problem : "bad YAML",
                     parser->context ? " " : "",
                     parser->context ? parser->context : "");
            return -1;
        }
        yaml_mark_t m = ev.start_mark;
        const char *fault = NULL;
        ydoc_node *n = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            yaml_event_delete(&ev);
            return 0;
        case YAML_SCALAR_EVENT:
            if (!(n = new_node(b, YDOC_SCALAR, &m))) break;
            n->len = ev.data.scalar.length;
            if ((n->str = malloc(n->len + 1))) {
                memcpy(n->str, ev.data.scalar.value, n->len);
                n->str[n->len] = 0;
            }
            n->quoted =
                ev.data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
            if (!n->str || attach(b, n) < 0) {
                free_node(n);
                n = NULL;
                break;
            }
            if (remember(b, ev.data.scalar.anchor, n) < 0) n = NULL;
            break;
        case YAML_ALIAS_EVENT: {
            const ydoc_node *a = NULL;
            for (size_t i = b->nanchors; i-- > 0 && !a;)
                if (!strcmp(b->anchors[i].name,
                            (const char *)ev.data.alias.anchor))
                    a = b->anchors[i].node;
            if (!a) {
                fault = "alias to an unknown anchor";
                break;
            }
            if ((n = copy_node(b, a))) {
                n->line = (int)m.line + 1;
                n->col = (int)m.column + 1;
                if (attach(b, n) < 0) free_node(n), n = NULL;
            }
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            if (b->depth == MAX_DEPTH) {
                fault = "nested deeper than 64 levels";
                break;
            }
            int map = ev.type == YAML_MAPPING_START_EVENT;
            const yaml_char_t *an = map ? ev.data.mapping_start.anchor
                                        : ev.data.sequence_start.anchor;
            if (!(n = new_node(b, map ? YDOC_MAP : YDOC_SEQ, &m))) break;
            if (!(n->str = strdup(""))) {
                free_node(n);
                n = NULL;
                break;
            }
            frame *f = &b->stack[b->depth++];
            *f = (frame){n, 0, an ? strdup((const char *)an) : NULL};
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            frame f = b->stack[--b->depth];
            n = f.node;
            int oom = 0;
            const ydoc_node *dup =
                n->kind == YDOC_MAP ? repeated_key(n, &oom) : NULL;
            if (dup) {
                snprintf(err, errlen,
                         "%s:%d:%d: error: key '%s' is given twice in this "
                         "mapping",
                         path, dup->line, dup->col, dup->str);
                free(f.anchor);
                free_node(n);
                yaml_event_delete(&ev);
                return -1;
            }
            if (oom || attach(b, n) < 0) {
                free(f.anchor);
                free_node(n);
                n = NULL;
                break;
            }
            if (f.anchor && remember(b, (const yaml_char_t *)f.anchor, n) < 0)
                n = NULL;
            free(f.anchor);
            break;
        }
        default: /* stream, document start and end: nothing to make */
            yaml_event_delete(&ev);
            continue;
        }
        yaml_event_delete(&ev);
        if (fault || !n) {
            snprintf(err, errlen, "%s:%zu:%zu: error: %s", path, m.line + 1,
                     m.column + 1,
                     fault                  ? fault
                     : b->nodes > MAX_NODES ? "more than 2,000,000 nodes"
                                            : "out of memory");
            return -1;
        }
    }
}

ydoc *ydoc_load(const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    outfile_guard(path); /* a schema, code list or map: no output over it */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_size > MAX_BYTES) {
        snprintf(err, errlen,
                 "%s:1:1: error: %lld bytes is too large for a schema, map "
                 "or code list (at most %ld)",
                 path, (long long)st.st_size, MAX_BYTES);
        fclose(f);
        return NULL;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    yaml_parser_set_input_file(&parser, f);
    build *b = calloc(1, sizeof *b);
    ydoc *d = b ? calloc(1, sizeof *d) : NULL;
    if (!d || !(d->path = strdup(path))) {
        snprintf(err, errlen, "%s: out of memory", path);
        if (d) free(d);
        d = NULL;
    } else if (parse(b, &parser, path, err, errlen) < 0) {
        ydoc_free(d);
        d = NULL;
    } else {
        d->root = b->root;
        b->root = NULL;
    }
    if (b) build_free(b);
    free(b);
    yaml_parser_delete(&parser);
    fclose(f);
    return d;
}

void ydoc_free(ydoc *d) {
    if (!d) return;
    free_node(d->root);
    free(d->path);
    free(d);
}

const ydoc_node *ydoc_get(const ydoc_node *m, const char *key) {
    if (!m || m->kind != YDOC_MAP) return NULL;
    for (size_t i = 0; i < m->n; i++) {
        const ydoc_node *k = m->items[2 * i];
        if (k->kind == YDOC_SCALAR && strcmp(k->str, key) == 0)
            return m->items[2 * i + 1];
    }
    return NULL;
}

int ydoc_fail(char *err, size_t errlen, const ydoc *d, const ydoc_node *n,
              const char *fmt, ...) {
    int off = snprintf(err, errlen, "%s:%d:%d: error: ", d ? d->path : "?",
                       n ? n->line : 1, n ? n->col : 1);
    if (off < 0 || (size_t)off >= errlen) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + off, errlen - (size_t)off, fmt, ap);
    va_end(ap);
    return -1;
}

size_t ydoc_list(const ydoc_node *n, const ydoc_node **one,
                 const ydoc_node *const **items) {
    if (n->kind == YDOC_SEQ) {
        *items = (const ydoc_node *const *)n->items;
        return n->n;
    }
    *one = n;
    *items = one;
    return 1;
}

int ydoc_bool(const ydoc_node *n, int *out) {
    if (!n || n->kind != YDOC_SCALAR || n->quoted) return -1;
    if (!strcmp(n->str, "true") || !strcmp(n->str, "yes"))
        *out = 1;
    else if (!strcmp(n->str, "false") || !strcmp(n->str, "no"))
        *out = 0;
    else
        return -1;
    return 0;
}

int ydoc_double(const ydoc_node *n, double *out) {
    if (!n || n->kind != YDOC_SCALAR || !n->len) return -1;
    char *end;
    errno = 0;
    double v = strtod(n->str, &end);
    if (*end || errno) return -1;
    *out = v;
    return 0;
}

int ydoc_long(const ydoc_node *n, long *out) {
    if (!n || n->kind != YDOC_SCALAR || !n->len) return -1;
    char *end;
    errno = 0;
    long v = strtol(n->str, &end, 10);
    if (*end || errno) return -1;
    *out = v;
    return 0;
}
