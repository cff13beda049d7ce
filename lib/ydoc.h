/*
 * ydoc.h: a YAML file as a small tree with 1-based line and column on every
 * node, so that schema, map and dedup loaders can say where a problem is.
 * The only module that includes <yaml.h>.
 *
 * Ownership: a ydoc owns all its nodes and strings; they live until
 * ydoc_free().
 */
#ifndef RELEC_YDOC_H
#define RELEC_YDOC_H
#include <stddef.h>

typedef enum ydoc_kind { YDOC_SCALAR, YDOC_SEQ, YDOC_MAP } ydoc_kind;

/* One node. A map's pairs are items[2*i] (key) and items[2*i+1] (value). */
typedef struct ydoc_node {
    ydoc_kind kind;           /* scalar, sequence or mapping */
    char *str;                /* scalar text, NUL-terminated ("" otherwise) */
    size_t len;               /* scalar length in bytes */
    int quoted;               /* the scalar was quoted: never null or bool */
    int line, col;            /* 1-based position of the node's start */
    struct ydoc_node **items; /* children */
    size_t n;                 /* sequence items, or map pairs */
} ydoc_node;

/* A loaded file. */
typedef struct ydoc {
    char *path;      /* file name, for messages */
    ydoc_node *root; /* document root; NULL for an empty file */
} ydoc;

/* Load PATH. On error returns NULL with "PATH:LINE:COL: error: ..." in ERR. */
ydoc *ydoc_load(const char *path, char *err, size_t errlen);
void ydoc_free(ydoc *d);

/* Value of KEY in map M, or NULL (also when M is not a map). */
const ydoc_node *ydoc_get(const ydoc_node *m, const char *key);

/* Writes "PATH:LINE:COL: error: <message>" to ERR; returns -1. */
int ydoc_fail(char *err, size_t errlen, const ydoc *d, const ydoc_node *n,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* N as a list, for keys that take one value or a list of them: a
 * sequence's items, or N alone (*ONE is the caller's slot for it). Returns
 * the count and points *ITEMS at the nodes. */
size_t ydoc_list(const ydoc_node *n, const ydoc_node **one,
                 const ydoc_node *const **items);

/* Scalar helpers: 0 ok, -1 wrong kind or syntax. */
int ydoc_bool(const ydoc_node *n, int *out);
int ydoc_double(const ydoc_node *n, double *out);
int ydoc_long(const ydoc_node *n, long *out);

#endif
