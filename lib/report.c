/*
 * report.c: finding sinks.
 */
#include "report.h"
#include "outfile.h"

#include <stdlib.h>
#include <string.h>

#define MAX_KINDS 512
#define MAX_FILES 4

/* How many findings of one field and code were seen, and where. */
typedef struct report_kind {
    char field[64];                 /* field name (cut at 63 bytes) */
    check_code code;                /* finding code */
    long seen;                      /* findings of this kind */
    long first_hidden, last_hidden; /* rows of the ones not printed */
    char file[256];                 /* file of the last hidden one */
} report_kind;

/* A machine output. */
typedef struct report_out {
    FILE *fp;  /* its sink's stream */
    int jsonl; /* JSON Lines instead of CSV */
} report_out;

struct report {
    FILE *human;                  /* human stream, or NULL */
    int per_kind;                 /* printed lines per kind */
    report_kind kinds[MAX_KINDS]; /* per field and code */
    int nkinds;                   /* kinds in use */
    long codes[CHECK_NCODES][2];  /* per code: errors, warnings */
    report_out outs[MAX_FILES];   /* machine outputs */
    int nouts;                    /* how many */
    int summary_only;             /* human stream: the summary only */
};

void report_summary_only(report *r) {
    if (r) r->summary_only = 1;
}

report *report_new(FILE *human, int per_kind) {
    report *r = calloc(1, sizeof *r);
    if (r) {
        r->human = human;
        r->per_kind = per_kind;
    }
    return r;
}

int report_add_file(report *r, sink_set *set, const char *path, char *err,
                    size_t errlen) {
    /* stricter than the sink layer: a report is named .csv or .jsonl (a
     * device or a name without an extension is refused), or "-" */
    size_t n = strlen(path);
    if (!(n > 6 && !strcmp(path + n - 6, ".jsonl")) &&
        !(n > 4 && !strcmp(path + n - 4, ".csv")) && strcmp(path, "-")) {
        snprintf(err, errlen, "report '%s': name it .csv or .jsonl (or .xlsx)",
                 path);
        return -ERRCLASS_USAGE;
    }
    if (r->nouts == MAX_FILES) {
        snprintf(err, errlen, "too many reports (at most %d)", MAX_FILES);
        return -ERRCLASS_USAGE;
    }
    static const char *const cols[] = {"file", "row",      "field",  "value",
                                       "code", "severity", "message"};
    sink *s;
    int rc = sink_open(set, &s, path, SINK_CSV | SINK_JSONL, NULL, cols, 7, err,
                       errlen);
    if (rc) return rc;
    r->outs[r->nouts].fp = sink_stream(s);
    r->outs[r->nouts++].jsonl = sink_kind_get(s) == SINK_JSONL;
    return 0;
}

void report_json_string(FILE *fp, const char *s, size_t n) {
    putc('"', fp);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            putc('\\', fp);
            putc(c, fp);
        } else if (c == '\n') {
            fputs("\\n", fp);
        } else if (c == '\r') {
            fputs("\\r", fp);
        } else if (c == '\t') {
            fputs("\\t", fp);
        } else if (c < 0x20 || c == 0x7F) {
            fprintf(fp, "\\u%04x", c);
        } else if (c >= 0x80) {
            /* invalid UTF-8 cannot go into JSON as is: each byte of a value
             * that breaks the encoding becomes U+FFFD */
            size_t len = (c & 0xE0) == 0xC0   ? 2
                         : (c & 0xF0) == 0xE0 ? 3
                         : (c & 0xF8) == 0xF0 ? 4
                                              : 0;
            if (len && i + len <= n && check_utf8_valid(s + i, len)) {
                fwrite(s + i, 1, len, fp);
                i += len - 1;
            } else {
                fputs("\\ufffd", fp);
            }
        } else {
            putc(c, fp);
        }
    }
    putc('"', fp);
}

static report_kind *kind(report *r, const char *field, check_code code) {
    for (int i = 0; i < r->nkinds; i++)
        if (r->kinds[i].code == code &&
            !strncmp(r->kinds[i].field, field, sizeof r->kinds[i].field - 1))
            return &r->kinds[i];
    if (r->nkinds == MAX_KINDS) return NULL;
    report_kind *k = &r->kinds[r->nkinds++];
    snprintf(k->field, sizeof k->field, "%s", field);
    k->code = code;
    return k;
}

void report_finding(report *r, const char *file, const check_finding *f) {
    const char *sev = f->severity == CHECK_ERROR ? "error" : "warning";
    r->codes[f->code][f->severity == CHECK_ERROR ? 0 : 1]++;
    for (int i = 0; i < r->nouts; i++) {
        FILE *fp = r->outs[i].fp;
        if (r->outs[i].jsonl) {
            fputs("{\"file\":", fp);
            report_json_string(fp, file, strlen(file));
            fprintf(fp, ",\"row\":%ld,\"field\":", f->row);
            report_json_string(fp, f->field, strlen(f->field));
            fputs(",\"value\":", fp);
            report_json_string(fp, f->value, f->vlen);
            fprintf(fp, ",\"code\":\"%s\",\"severity\":\"%s\",\"message\":",
                    check_code_name(f->code), sev);
            report_json_string(fp, f->message, strlen(f->message));
            fputs("}\n", fp);
        } else {
            outfile_csv_cell(fp, file, strlen(file));
            fprintf(fp, ",%ld,", f->row);
            outfile_csv_cell(fp, f->field, strlen(f->field));
            putc(',', fp);
            outfile_csv_cell(fp, f->value, f->vlen);
            fprintf(fp, ",%s,%s,", check_code_name(f->code), sev);
            outfile_csv_cell(fp, f->message, strlen(f->message));
            putc('\n', fp);
        }
    }
    if (!r->human || r->summary_only) return;
    report_kind *k = kind(r, f->field, f->code);
    if (k && ++k->seen > r->per_kind && r->per_kind >= 0) {
        if (!k->first_hidden) k->first_hidden = f->row;
        k->last_hidden = f->row;
        snprintf(k->file, sizeof k->file, "%s", file);
        return;
    }
    if (f->field[0])
        fprintf(r->human, "%s:%ld: %s: %s: %s [%s]\n", file, f->row, sev,
                f->field, f->message, check_code_name(f->code));
    else
        fprintf(r->human, "%s:%ld: %s: %s [%s]\n", file, f->row, sev,
                f->message, check_code_name(f->code));
}

long report_errors(const report *r) {
    long n = 0;
    for (int i = 0; i < CHECK_NCODES; i++)
        n += r->codes[i][0];
    return n;
}

long report_warnings(const report *r) {
    long n = 0;
    for (int i = 0; i < CHECK_NCODES; i++)
        n += r->codes[i][1];
    return n;
}

long report_count(const report *r, check_code code) {
    return r->codes[code][0] + r->codes[code][1];
}

void report_abort(report *r) {
    free(r);
}

int report_close(report *r, char *err, size_t errlen) {
    if (r->human) {
        for (int i = 0; i < r->nkinds; i++) {
            report_kind *k = &r->kinds[i];
            if (k->seen <= r->per_kind || r->per_kind < 0 || r->summary_only)
                continue;
            fprintf(r->human,
                    "%s: ... %ld more %s findings%s%s not shown (rows %ld to "
                    "%ld; --report FILE lists all)\n",
                    k->file, k->seen - r->per_kind, check_code_name(k->code),
                    k->field[0] ? " on " : "", k->field, k->first_hidden,
                    k->last_hidden);
        }
        long e = report_errors(r), w = report_warnings(r);
        if (e + w) {
            fprintf(r->human, "findings:");
            const char *sep = " ";
            for (int c = 0; c < CHECK_NCODES; c++) {
                long n = r->codes[c][0] + r->codes[c][1];
                if (!n) continue;
                fprintf(r->human, "%s%ld %s", sep, n,
                        check_code_name((check_code)c));
                sep = ", ";
            }
            fprintf(r->human, " (%ld error%s, %ld warning%s)\n", e,
                    e == 1 ? "" : "s", w, w == 1 ? "" : "s");
        }
    }
    (void)err, (void)errlen;
    free(r);
    return 0;
}
