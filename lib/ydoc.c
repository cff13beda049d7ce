/*
 * ydoc.c: libyaml's document loader, copied into a plain tree. Schemas and
 * maps are small and read once, so clarity wins over speed here; a bound on
 * nodes and depth keeps alias bombs and deep nesting from hanging us.
 */
#include "ydoc.h"
#include "outfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_NODES 2000000
#define MAX_DEPTH 64

static void free_node(ydoc_node *n);

typedef struct build {
    yaml_document_t *doc; /* source document */
    size_t nodes;         /* nodes made so far */
} build;

static ydoc_node *convert(build *b, yaml_node_t *y, int depth) {
    if (!y || depth > MAX_DEPTH || ++b->nodes > MAX_NODES) return NULL;
    ydoc_node *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->line = (int)y->start_mark.line + 1;
    n->col = (int)y->start_mark.column + 1;
    switch (y->type) {
    case YAML_SCALAR_NODE:
        n->kind = YDOC_SCALAR;
        n->len = y->data.scalar.length;
        n->str = malloc(n->len + 1);
        if (!n->str) break;
        memcpy(n->str, y->data.scalar.value, n->len);
        n->str[n->len] = 0;
        n->quoted = y->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                    y->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        return n;
    case YAML_SEQUENCE_NODE: {
        n->kind = YDOC_SEQ;
        size_t cnt =
            (size_t)(y->data.sequence.items.top - y->data.sequence.items.start);
        n->items = calloc(cnt ? cnt : 1, sizeof *n->items);
        n->str = strdup("");
        if (!n->items || !n->str) break;
        for (size_t i = 0; i < cnt; i++) {
            n->items[i] = convert(
                b,
                yaml_document_get_node(b->doc, y->data.sequence.items.start[i]),
                depth + 1);
            if (!n->items[i]) goto fail;
            n->n++;
        }
        return n;
    }
    case YAML_MAPPING_NODE: {
        n->kind = YDOC_MAP;
        size_t cnt =
            (size_t)(y->data.mapping.pairs.top - y->data.mapping.pairs.start);
        n->items = calloc(cnt ? 2 * cnt : 1, sizeof *n->items);
        n->str = strdup("");
        if (!n->items || !n->str) break;
        for (size_t i = 0; i < cnt; i++) {
            yaml_node_pair_t *p = &y->data.mapping.pairs.start[i];
            n->items[2 * i] =
                convert(b, yaml_document_get_node(b->doc, p->key), depth + 1);
            n->items[2 * i + 1] =
                n->items[2 * i]
                    ? convert(b, yaml_document_get_node(b->doc, p->value),
                              depth + 1)
                    : NULL;
            n->n++;
            if (!n->items[2 * i + 1]) goto fail;
        }
        return n;
    }
    default:
        break;
    }
fail:
    free_node(n);
    return NULL;
}

static void free_node(ydoc_node *n) {
    if (!n) return;
    size_t cnt = n->kind == YDOC_MAP ? 2 * n->n : n->n;
    for (size_t i = 0; i < cnt; i++)
        free_node(n->items[i]);
    free(n->items);
    free(n->str);
    free(n);
}

ydoc *ydoc_load(const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    outfile_guard(path); /* a schema, code list or map: no output over it */
    yaml_parser_t parser;
    yaml_document_t doc;
    ydoc *d = NULL;
    if (!yaml_parser_initialize(&parser)) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc)) {
        yaml_mark_t m = parser.problem_mark;
        snprintf(err, errlen, "%s:%zu:%zu: error: %s%s%s", path, m.line + 1,
                 m.column + 1, parser.problem ? parser.problem : "bad YAML",
                 parser.context ? " " : "",
                 parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        fclose(f);
        return NULL;
    }
    d = calloc(1, sizeof *d);
    if (d) d->path = strdup(path);
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (d && root) {
        build b = {&doc, 0};
        d->root = convert(&b, root, 0);
        if (!d->root) {
            snprintf(err, errlen,
                     "%s:1:1: error: document too large or too deeply nested "
                     "(or out of memory)",
                     path);
            ydoc_free(d);
            d = NULL;
        }
    } else if (!d) {
        snprintf(err, errlen, "%s: out of memory", path);
    }
    yaml_document_delete(&doc);
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
