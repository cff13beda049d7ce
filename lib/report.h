/*
 * report.h: where findings go. Human lines on a stream (long runs of one
 * kind summarised), and machine files: CSV with exactly the columns
 * file,row,field,value,code,severity,message, or JSON Lines with the same
 * keys. The files are sinks of the caller's set (lib/sink.h), committed or
 * removed with the run's other outputs.
 *
 * Ownership: the report owns its counts; its files are the sink set's.
 * Findings are copied out as they arrive, so the caller's finding buffers
 * may be reused at once.
 */
#ifndef RELEC_REPORT_H
#define RELEC_REPORT_H
#include "check.h"
#include "errclass.h"
#include "sink.h"
#include <stdio.h>

typedef struct report report;

/* A report printing human lines on HUMAN (NULL = none), at most PER_KIND
 * lines for each pair of field and code before summarising. */
report *report_new(FILE *human, int per_kind);

/* Human stream: only the summary of report_close() (the counts per code),
 * no line per finding (validate -q). */
void report_summary_only(report *r);

/* Adds a machine output, by extension: .csv or .jsonl (or "-", CSV), a
 * sink of SET. Returns 0, or -ERRCLASS_USAGE (a name that is neither, too
 * many) or -ERRCLASS_OUTPUT with a message in ERR. */
int report_add_file(report *r, sink_set *set, const char *path, char *err,
                    size_t errlen);

/* One finding of FILE. */
void report_finding(report *r, const char *file, const check_finding *f);

/* Totals so far. */
long report_errors(const report *r);
long report_warnings(const report *r);
long report_count(const report *r, check_code code);

/* Prints the summary on the human stream and frees R (its files are
 * committed with their set). Returns 0. */
int report_close(report *r, char *err, size_t errlen);

/* Frees R without a summary (its files go with their set). */
void report_abort(report *r);

/* Writes S (N bytes) as a JSON string, quotes included. */
void report_json_string(FILE *fp, const char *s, size_t n);

#endif
