/*
 * map_row.c: the mapper behind relec merge: a compiled map (map_compile.c)
 * applied to the header of each file and to each row of it.
 *
 * Performance: per row the work is, per mapped field, one trim, at most one
 * fold (ASCII fast path; ICU only for non-ASCII text) and one strmap probe,
 * all into buffers that only grow; a 5-million-row merge therefore costs no
 * malloc after the first rows. Unknown markers are only folded and probed
 * when the value is no longer than the longest marker.
 */
#include "buf.h"
#include "calendar.h"
#include "catalog.h"
#include "map_impl.h"
#include "mask.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- fold -- */

static fold_ctx *fold_static; /* map_fold(NULL, ...) context, for tests */

const char *map_fold(map *m, const char *s, size_t n, size_t *outn) {
    fold_ctx **f = m ? &m->fold : &fold_static;
    *outn = 0;
    if (!*f && !(*f = fold_open())) return "";
    return fold_label(*f, s, n, outn);
}

uint64_t map_hash_bytes(const char *p, size_t n) {
    /* 8 bytes per step (FNV-1a is one byte per step: on 5M rows of
     * ~25 cells it showed as 6% of a merge) */
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)n * 0xff51afd7ed558ccdull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return h ? h : 1;
}

/* Per-rule cache of whole conversions, keyed by the raw (trimmed) bytes of
 * a column value: national files repeat a few hundred labels and dates
 * millions of times, and a hit replaces the unknown-marker test, the fold,
 * the table probe or the date parse by one hash and one compare. Only
 * conversions that placed the value without a finding are stored, so a hit
 * never hides a finding. Direct-mapped (a collision overwrites); a column
 * whose values do not repeat (case numbers) turns its cache off after
 * VCACHE_TRIAL probes with fewer than a quarter hits, and gets another
 * trial with each file (map_header). */
#define VCACHE_SLOTS 1024  /* power of two; 128 KB a rule */
#define VCACHE_IN 48       /* longest raw value cached, in bytes */
#define VCACHE_OUT 69      /* longest mapped value cached, in bytes */
#define VCACHE_UNKNOWN 255 /* outlen of a value that is an unknown marker */
#define VCACHE_TRIAL 4096  /* probes before judging the hit rate */
typedef struct map_vc_entry {
    uint64_t hash;               /* map_hash_bytes of in; 0 = empty */
    unsigned char inlen, outlen; /* lengths; outlen VCACHE_UNKNOWN = marker */
    char in[VCACHE_IN];          /* the raw bytes */
    char out[VCACHE_OUT];        /* the mapped value */
} map_vc_entry;
struct map_vcache {
    map_vc_entry e[VCACHE_SLOTS]; /* slots by hash */
    unsigned long probes, hits;   /* since the last map_header */
    int off;                      /* 1 = not worth it for this file */
};

int map_header(map *m, const source_row *hdr, const char *name, char *err,
               size_t errlen) {
    free(m->source);
    const char *slash = strrchr(name, '/');
    m->source = strdup(slash ? slash + 1 : name);
    char *dot = m->source ? strrchr(m->source, '.') : NULL;
    if (dot && dot != m->source) *dot = 0;
    for (size_t i = 0; i < m->ncols; i++)
        m->cols[i].idx = -1;
    for (size_t i = 0; i < m->nrules; i++)
        if (m->rules[i].vc) {
            /* a new file may repeat its values where the last did not */
            m->rules[i].vc->probes = m->rules[i].vc->hits = 0;
            m->rules[i].vc->off = 0;
        }
    for (size_t c = 0; c < hdr->ncells; c++) {
        size_t k;
        const char *f = map_fold(m, hdr->cells[c].p, hdr->cells[c].n, &k);
        /* a UTF-8 BOM on the first header cell is not part of the name */
        if (c == 0 && k >= 3 && !memcmp(f, "\xEF\xBB\xBF", 3)) f += 3, k -= 3;
        for (size_t i = 0; i < m->ncols; i++)
            if (m->cols[i].idx < 0 && strlen(m->cols[i].folded) == k &&
                !memcmp(m->cols[i].folded, f, k))
                m->cols[i].idx = (int)c;
    }
    size_t off = 0, missing = 0;
    for (size_t i = 0; i < m->ncols; i++)
        missing += m->cols[i].idx < 0;
    if (!missing) return 0;
    int w = snprintf(err, errlen,
                     "%zu column%s of map %s %s not in the "
                     "header:",
                     missing, missing == 1 ? "" : "s", m->path,
                     missing == 1 ? "is" : "are");
    off = w > 0 ? (size_t)w : 0;
    size_t shown = 0;
    for (size_t i = 0; i < m->ncols && off < errlen; i++) {
        if (m->cols[i].idx >= 0) continue;
        if (shown++ == 8) {
            snprintf(err + off, errlen - off, " ...");
            break;
        }
        w = snprintf(err + off, errlen - off, "%s '%s' (line %d)",
                     shown > 1 ? "," : "", m->cols[i].name, m->cols[i].line);
        if (w > 0) off += (size_t)w;
    }
    return missing ? -1 : 0;
}

/* ----------------------------------------------------------------- row -- */

static void finding(map *m, const map_rule *r, const char *v, size_t vn,
                    check_severity sev, const char *msg) {
    size_t cap = m->capfinds, cap2 = m->capfinds;
    if (buf_grow(&m->finds, &m->capfinds, m->nfinds + 1, sizeof *m->finds) ||
        buf_grow(&m->fvoff, &cap, m->nfinds + 1, sizeof *m->fvoff) ||
        buf_grow(&m->fmoff, &cap2, m->nfinds + 1, sizeof *m->fmoff))
        return;
    /* a value inside the output buffer is kept as an offset: a later rule
     * may grow (move) the buffer; map_row re-points it at the end */
    m->fvoff[m->nfinds] =
        v >= m->buf && v < m->buf + m->bcap ? (size_t)(v - m->buf) + 1 : 0;
    /* the message quotes the value: "'Kidnap' has no code in ..."; a
     * personal value only by its mask, which is also the finding's value */
    char mask[256];
    size_t mk = 0, md = 0;
    if (m->s->fields[r->field].personal && !m->show_personal) {
        mk = mask_value(v, vn, 0, mask, sizeof mask);
        md = mask_value(v, vn, 1, mask, sizeof mask);
        if (md) m->fvoff[m->nfinds] = MAP_MASKED;
    }
    size_t ml = strlen(msg), shown = vn > 200 ? 200 : vn;
    if (buf_grow(&m->mbuf, &m->mcap, m->mlen + shown + ml + 2 * md + 10, 1))
        return;
    m->fmoff[m->nfinds] = m->mlen;
    char *o = m->mbuf + m->mlen;
    *o++ = '\'';
    memcpy(o, md ? mask : v, md ? mk : shown);
    o += md ? mk : shown;
    if (!md && shown < vn) *o++ = '.', *o++ = '.', *o++ = '.';
    *o++ = '\'';
    if (md) memcpy(o, mask + mk, md - mk), o += md - mk;
    *o++ = ' ';
    memcpy(o, msg, ml);
    o += ml;
    *o++ = 0;
    size_t mn = (size_t)(o - (m->mbuf + m->mlen)) - 1;
    if (md) {
        memcpy(o, mask, md + 1);
        vn = md;
    }
    m->mlen += mn + 1 + (md ? md + 1 : 0);
    check_finding *f = &m->finds[m->nfinds++];
    f->row = m->row;
    f->field = m->s->fields[r->field].name;
    f->value = v;
    f->vlen = vn;
    f->code = r->conv == CONV_DATE || r->conv == CONV_INTEGER || r->intcodes
                  ? CHECK_TYPE
                  : CHECK_CODELIST;
    f->severity = sev;
    f->message = NULL; /* set from fmoff at the end of map_row */
    if (sev == CHECK_ERROR) {
        const char *fn = f->field, *code = check_code_name(f->code);
        if (m->reason.len) buf_adds(&m->reason, "; ");
        buf_addf(&m->reason, "%s: ", fn);
        buf_add(&m->reason, m->mbuf + m->fmoff[m->nfinds - 1], mn);
        buf_addf(&m->reason, " [%s]", code);
    }
}

/* Appends to the output buffer (capacity reserved by the caller). */
static void put(map *m, const char *p, size_t n) {
    memcpy(m->buf + m->blen, p, n);
    m->blen += n;
}

static int reserve(map *m, size_t n) {
    return buf_grow(&m->buf, &m->bcap, m->blen + n, 1);
}

static void trim(const char **p, size_t *n) {
    while (*n && (**p == ' ' || **p == '\t' || **p == '\r' || **p == '\n'))
        (*p)++, (*n)--;
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t' ||
                  (*p)[*n - 1] == '\r' || (*p)[*n - 1] == '\n'))
        (*n)--;
}

static int is_unknown(map *m, const map_rule *r, const char *p, size_t n) {
    if (n > m->unk_max) return 0;
    size_t k;
    const char *f = map_fold(m, p, n, &k);
    if (m->unknown.count && strmap_get(&m->unknown, f, k)) return 1;
    for (size_t i = 0; i < r->nunknown; i++)
        if (strlen(r->unknown[i]) == k && !memcmp(r->unknown[i], f, k))
            return 1;
    return 0;
}

/* The cell of column slot S in ROW, or an empty one. */
static source_cell cell_of(const map *m, const source_row *row, int s) {
    int c = m->cols[s].idx;
    if (c >= 0 && (size_t)c < row->ncells) return row->cells[c];
    return (source_cell){"", 0};
}

/* Expands R's template into the buffer; returns the raw value's offset. */
static size_t expand(map *m, const map_rule *r, const source_row *row,
                     size_t *outn) {
    size_t start = m->blen;
    char num[24];
    for (size_t i = 0; i < r->nparts; i++) {
        const map_part *p = &r->parts[i];
        const char *s = "";
        size_t n = 0;
        switch (p->kind) {
        case PART_LIT:
            s = p->lit;
            n = p->len;
            break;
        case PART_ROW:
            n = (size_t)snprintf(num, sizeof num, "%ld", row->row);
            s = num;
            break;
        case PART_SOURCE:
            s = m->source ? m->source : "";
            n = strlen(s);
            break;
        case PART_COL: {
            source_cell c = cell_of(m, row, p->idx);
            s = c.p;
            n = c.n;
            trim(&s, &n);
            if (is_unknown(m, r, s, n)) n = 0;
            break;
        }
        case PART_FIELD:
            /* offsets survive a realloc; the pointer is taken after reserve */
            n = m->len[p->idx];
            break;
        }
        if (p->mod == MOD_YEAR && n > 4) n = 4;
        if (p->mod == MOD_MONTH && n > 7) n = 7;
        if (reserve(m, n * 2 + 1)) return start;
        if (p->kind == PART_FIELD) s = m->buf + m->off[p->idx];
        if (p->mod == MOD_UPPER || p->mod == MOD_ID) {
            size_t k = cal_digits_to_ascii(s, n, m->digits, sizeof m->digits);
            if (n < sizeof m->digits) s = m->digits, n = k;
            int dash = 1;
            size_t o0 = m->blen;
            for (size_t j = 0; j < n; j++) {
                char c = s[j];
                if (c >= 'a' && c <= 'z') c = (char)(c - 32);
                if (p->mod == MOD_ID &&
                    !((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                    if (!dash) m->buf[m->blen++] = '-';
                    dash = 1;
                    continue;
                }
                m->buf[m->blen++] = c;
                dash = 0;
            }
            if (p->mod == MOD_ID && m->blen > o0 && m->buf[m->blen - 1] == '-')
                m->blen--;
        } else {
            put(m, s, n);
        }
    }
    *outn = m->blen - start;
    return start;
}

/* Looks a (trimmed) value up in the rule's table: the code, or NULL; sets
 * *AMBIG when more than one code claims the label. */
static const char *lookup(map *m, const map_rule *r, const char *p, size_t n,
                          int *ambig) {
    size_t k;
    const char *f = map_fold(m, p, n, &k);
    *ambig = 0;
    uint64_t *v = NULL;
    if (r->conv == CONV_RECODE)
        v = strmap_get(&r->table->keys, f, k);
    else if (r->conv == CONV_COUNTRY)
        v = strmap_get(&m->countries, f, k);
    if (v) {
        uint64_t x = map_slot_val(*v);
        if (x == AMBIGUOUS) {
            *ambig = 1;
            return NULL;
        }
        return m->vals[x - 1];
    }
    if (r->conv == CONV_COUNTRY && r->codes && n <= 3 && n > 0) {
        /* codes of the field's own list (XXA, XXX), any case */
        char up[4];
        for (size_t i = 0; i < n; i++)
            up[i] = (char)((p[i] >= 'a' && p[i] <= 'z') ? p[i] - 32 : p[i]);
        long ci = schema_code_find(r->codes, up, n);
        if (ci >= 0) return r->codes->codes[ci];
    }
    return NULL;
}

int map_is_integer(const char *p, size_t n) {
    size_t i = (n && (p[0] == '-' || p[0] == '+')) ? 1 : 0;
    if (i == n) return 0;
    for (; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return 0;
    return 1;
}

/* Handles a value the conversion cannot place. Returns 1 when the row is
 * rejected. The raw value is at RAW (NUL not required). */
static int unplaced(map *m, const map_rule *r, const char *raw, size_t n,
                    const char *msg, size_t *vn) {
    if (r->unplaced == UNPLACED_REJECT) {
        finding(m, r, raw, n, CHECK_ERROR, msg);
        return 1;
    }
    finding(m, r, raw, n, CHECK_WARNING, msg);
    if (r->unplaced == UNPLACED_EMPTY) *vn = 0;
    return 0;
}

/* Applies rule R to ROW; the value lands at m->off/len[r->field].
 * Returns 1 when R rejects the row. */
static int apply(map *m, map_rule *r, const source_row *row) {
    const char *raw = "";
    size_t n = 0, rawoff = 0;
    int inbuf = 0;
    struct map_vcache *vc = NULL; /* store the result here when it places */
    uint64_t vh = 0;              /* raw value's hash for vc */
    size_t nfinds0 = m->nfinds;   /* a finding means: do not cache */
    int date_cell = 0;            /* the cell is a workbook date: its text
                                     is the ISO day Excel holds */
    switch (r->src) {
    case SRC_COLUMN: {
        source_cell c = cell_of(m, row, r->colslot);
        int ci = m->cols[r->colslot].idx;
        date_cell = row->kinds && ci >= 0 && (size_t)ci < row->ncells &&
                    (row->kinds[ci] & SOURCE_CELL_KIND) == SOURCE_CELL_DATE;
        raw = c.p;
        n = c.n;
        trim(&raw, &n);
        if (n && n <= VCACHE_IN && !date_cell) {
            if (!r->vc) r->vc = calloc(1, sizeof *r->vc);
            vc = r->vc;
            if (vc && vc->off) vc = NULL;
        }
        if (vc) {
            vh = map_hash_bytes(raw, n);
            map_vc_entry *e = &vc->e[vh & (VCACHE_SLOTS - 1)];
            vc->probes++;
            if (e->hash == vh && e->inlen == n && !memcmp(e->in, raw, n)) {
                vc->hits++;
                if (e->outlen == VCACHE_UNKNOWN) {
                    n = 0; /* to the default below */
                    vc = NULL;
                    break;
                }
                size_t fi = (size_t)r->field;
                if (reserve(m, e->outlen)) return 0;
                m->off[fi] = m->blen;
                put(m, e->out, e->outlen);
                m->len[fi] = e->outlen;
                return 0;
            }
            if (vc->probes == VCACHE_TRIAL && vc->hits < VCACHE_TRIAL / 4)
                vc->off = 1;
        }
        if (n && is_unknown(m, r, raw, n)) {
            if (vc) {
                map_vc_entry *e = &vc->e[vh & (VCACHE_SLOTS - 1)];
                e->hash = vh;
                e->inlen = (unsigned char)n;
                memcpy(e->in, raw, n);
                e->outlen = VCACHE_UNKNOWN;
                vc = NULL;
            }
            n = 0;
        }
        break;
    }
    case SRC_CONST:
        raw = r->constant;
        n = strlen(raw);
        break;
    case SRC_TEMPLATE:
        rawoff = expand(m, r, row, &n);
        inbuf = 1;
        break;
    }
    size_t fi = (size_t)r->field;
    if (n == 0) {
        const char *d = r->dflt ? r->dflt : "";
        size_t dn = strlen(d);
        if (reserve(m, dn)) return 0;
        m->off[fi] = m->blen;
        put(m, d, dn);
        m->len[fi] = dn;
        return 0;
    }
    /* room for the worst case: every byte an item mapped to the longest
     * code plus a separator; so no realloc below moves RAW */
    size_t need =
        n * (r->conv == CONV_RECODE || r->conv == CONV_COUNTRY ? m->maxval + 1
                                                               : 1) +
        32;
    if (reserve(m, need)) return 0;
    if (inbuf) raw = m->buf + rawoff;
    size_t vo = m->blen, vn = 0;
    int rej = 0;
    if (r->conv == CONV_NONE || r->conv == CONV_INTEGER) {
        if (r->digits && cal_has_non_ascii_digits(raw, n)) {
            vn = cal_digits_to_ascii(raw, n, m->buf + vo, n + 1);
        } else {
            memcpy(m->buf + vo, raw, n);
            vn = n;
        }
        if (r->join && r->split[0]) {
            /* a list passed through: separators made standard */
            for (size_t i = 0; i < vn; i++)
                if (strchr(r->split, m->buf[vo + i])) m->buf[vo + i] = r->join;
        }
        if (r->conv == CONV_INTEGER && !map_is_integer(m->buf + vo, vn) &&
            !map_int_code_ok(&m->s->fields[fi], m->buf + vo, vn)) {
            size_t keep = vn;
            rej = unplaced(m, r, raw, n, r->msg, &vn);
            if (!rej && vn) vn = keep;
        }
    } else if (r->conv == CONV_DATE) {
        int y, mo, d;
        int pr = cal_parse_date_fmt(raw, n, r->date_fmt, &y, &mo, &d);
        /* a date cell of a workbook is a day already (Excel's serial, read
         * as YYYY-MM-DD, a time after a 'T'), whatever text format the
         * national file's typed dates follow */
        if (pr != 0 && date_cell && n >= 10 && (n == 10 || raw[10] == 'T'))
            pr = cal_parse_iso_date(raw, 10, &y, &mo, &d);
        if (pr == 0) {
            char iso[11];
            cal_format_ymd(y, mo, d, iso);
            /* a month format gives a period, YYYY-MM */
            vn = cal_date_fmt_is_month(r->date_fmt) ? 7 : 10;
            memcpy(m->buf + vo, iso, vn);
        } else {
            memcpy(m->buf + vo, raw, n);
            vn = n;
            rej = unplaced(m, r, raw, n, r->msg, &vn);
        }
    } else {
        /* recode or country, per item for a list */
        size_t i = 0;
        int first = 1;
        while (i <= n) {
            size_t j = i;
            if (r->split[0])
                while (j < n && !strchr(r->split, raw[j]))
                    j++;
            else
                j = n;
            const char *it = raw + i;
            size_t in = j - i;
            trim(&it, &in);
            i = j + 1;
            if (!in) continue;
            if (is_unknown(m, r, it, in)) continue;
            int ambig;
            const char *code = lookup(m, r, it, in, &ambig);
            if (!first) m->buf[vo + vn++] = r->join ? r->join : ';';
            first = 0;
            if (code) {
                size_t cn = strlen(code);
                memcpy(m->buf + vo + vn, code, cn);
                vn += cn;
                continue;
            }
            if (r->intcodes && !ambig) {
                /* not a label: a count in any digits? (the reservation
                 * above has room: ASCII digits are never longer) */
                char *o = m->buf + vo + vn;
                size_t k = cal_digits_to_ascii(it, in, o, in + 1);
                if (map_is_integer(o, k)) {
                    vn += k;
                    continue;
                }
            }
            size_t before = vn;
            memcpy(m->buf + vo + vn, it, in);
            vn += in;
            size_t keepn = 1;
            const char *msg = ambig ? "matches more than one code: add it to "
                                      "a recode of the map"
                                    : r->msg;
            if (unplaced(m, r, it, in, msg, &keepn))
                rej = 1;
            else if (!keepn) {
                vn = before; /* UNPLACED_EMPTY: the item is left out */
                if (vn && m->buf[vo + vn - 1] == (r->join ? r->join : ';'))
                    vn--;
                first = vn == 0;
            }
        }
    }
    m->blen = vo + vn;
    m->off[fi] = vo;
    m->len[fi] = vn;
    if (vc && !rej && m->nfinds == nfinds0 && vn <= VCACHE_OUT) {
        map_vc_entry *e = &vc->e[vh & (VCACHE_SLOTS - 1)];
        e->hash = vh;
        e->inlen = (unsigned char)n;
        memcpy(e->in, raw, n);
        e->outlen = (unsigned char)vn;
        memcpy(e->out, m->buf + vo, vn);
    }
    return rej;
}

int map_row(map *m, const source_row *row) {
    const schema *s = m->s;
    m->blen = 0;
    buf_clear(&m->reason);
    m->nfinds = 0;
    m->mlen = 0;
    m->row = row->row;
    for (size_t i = 0; i < s->nfields; i++)
        m->off[i] = m->len[i] = 0;
    int rej = 0;
    for (size_t i = 0; i < m->nrules; i++)
        rej |= apply(m, &m->rules[i], row);
    for (size_t i = 0; i < s->nfields; i++) {
        m->cells[i].p = m->len[i] ? m->buf + m->off[i] : "";
        m->cells[i].n = m->len[i];
    }
    for (size_t i = 0; i < m->nfinds; i++) {
        m->finds[i].message = m->mbuf + m->fmoff[i];
        if (m->fvoff[i] == MAP_MASKED)
            m->finds[i].value =
                m->finds[i].message + strlen(m->finds[i].message) + 1;
        else if (m->fvoff[i])
            m->finds[i].value = m->buf + m->fvoff[i] - 1;
    }
    return rej;
}

const source_cell *map_cells(const map *m) {
    return m->cells;
}
const char *map_reason(const map *m) {
    return m->reason.p ? m->reason.p : "";
}
void map_show_personal(map *m, int show) {
    m->show_personal = show;
}

const check_finding *map_findings(const map *m, size_t *n) {
    *n = m->nfinds;
    return m->finds;
}
