/* test_sink.c: the outputs of a run (lib/sink.h): kinds by name, JSON Lines
 * rows, and a set committed or removed as one. */
#include "outfile.h"
#include "sink.h"
#include "t.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/test_sink.XXXXXX"; /* made by main() */

/* DIR/NAME into BUF. */
static const char *in_dir(char *buf, size_t cap, const char *name) {
    snprintf(buf, cap, "%s/%s", dir, name);
    return buf;
}

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* The whole of PATH into BUF (NUL-ended). */
static const char *slurp(const char *path, char *buf, size_t cap) {
    FILE *fp = fopen(path, "rb");
    size_t n = fp ? fread(buf, 1, cap - 1, fp) : 0;
    if (fp) fclose(fp);
    buf[n] = 0;
    return buf;
}

/* How many entries DIR holds (temporary files too). */
static int entries(void) {
    char cmd[128], out[64];
    snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = p && fgets(out, sizeof out, p) ? atoi(out) : -1;
    if (p) pclose(p);
    return n;
}

T_TEST(kinds_by_name) {
    char err[256];
    sink_kind k;
    T_CHECK_INT(sink_kind_of("a.csv", SINK_ROWS, &k, err, sizeof err), 0);
    T_CHECK_INT(k, SINK_CSV);
    T_CHECK_INT(sink_kind_of("d.x/a.jsonl", SINK_ROWS, &k, err, sizeof err), 0);
    T_CHECK_INT(k, SINK_JSONL);
    T_CHECK_INT(sink_kind_of("a.xlsx", SINK_ROWS, &k, err, sizeof err), 0);
    T_CHECK_INT(k, SINK_XLSX);
    T_CHECK_INT(sink_kind_of("-", SINK_ROWS, &k, err, sizeof err), 0);
    T_CHECK_INT(k, SINK_CSV);
    /* no extension (a dot in the directory does not count), a device */
    T_CHECK_INT(sink_kind_of("d.x/out", SINK_ROWS, &k, err, sizeof err), 0);
    T_CHECK_INT(k, SINK_CSV);
    T_CHECK_INT(sink_kind_of("/dev/null", SINK_ROWS, &k, err, sizeof err), 0);
    T_CHECK_INT(k, SINK_CSV);
    /* "-" for an output that can only be a workbook is that workbook */
    T_CHECK_INT(sink_kind_of("-", SINK_XLSX, &k, err, sizeof err), 0);
    T_CHECK_INT(k, SINK_XLSX);
    T_CHECK_INT(sink_kind_of("a.txt", SINK_ROWS, &k, err, sizeof err),
                -ERRCLASS_USAGE);
    T_CHECK_STR(err, "'a.txt': unknown output kind '.txt': name it .csv, "
                     ".jsonl or .xlsx, or - for stdout");
    T_CHECK_INT(sink_kind_of("a.jsonl", SINK_CSV, &k, err, sizeof err),
                -ERRCLASS_USAGE);
    T_CHECK_STR(err, "'a.jsonl': this output cannot be JSON Lines: name it "
                     ".csv, or - for stdout");
    T_CHECK_INT(sink_kind_of("a.db", SINK_ROWS, &k, err, sizeof err),
                -ERRCLASS_USAGE);
    T_CHECK_INT(sink_kind_of("a.db", SINK_STORE, &k, err, sizeof err), 0);
    T_CHECK_INT(k, SINK_STORE);
    T_CHECK_INT(sink_kind_of(dir, SINK_ROWS, &k, err, sizeof err),
                -ERRCLASS_OUTPUT); /* a directory: never an output */
}

T_TEST(rows_and_commit) {
    char p1[256], p2[256], err[256], text[512];
    sink_set set = {0};
    sink *a, *b;
    static const char *const cols[] = {"id", "note"};
    T_CHECK_INT(sink_open(&set, &a, in_dir(p1, sizeof p1, "r.csv"), SINK_ROWS,
                          NULL, cols, 2, err, sizeof err),
                0);
    T_CHECK_INT(sink_open(&set, &b, in_dir(p2, sizeof p2, "r.jsonl"), SINK_ROWS,
                          NULL, cols, 2, err, sizeof err),
                0);
    source_cell row[2] = {{"A,1", 3}, {"say \"hi\"\n\x01", 10}};
    sink_row(a, row, 2);
    sink_row(b, row, 2);
    T_CHECK_INT(sink_rows(a), 1);
    T_CHECK_INT(sink_kind_get(b), SINK_JSONL);
    T_CHECK(!exists(p1) && !exists(p2)); /* nothing in place before commit */
    T_CHECK_INT(sink_commit(&set, err, sizeof err), 0);
    T_CHECK_STR(slurp(p1, text, sizeof text),
                "id,note\n\"A,1\",\"say \"\"hi\"\"\n\x01\"\n");
    T_CHECK_STR(slurp(p2, text, sizeof text),
                "{\"id\":\"A,1\",\"note\":\"say \\\"hi\\\"\\n\\u0001\"}\n");
    T_CHECK(set.first == NULL);
    unlink(p1);
    unlink(p2);
    T_CHECK_INT(entries(), 0); /* no temporary file left */
}

T_TEST(abort_leaves_nothing) {
    char p1[256], err[256];
    sink_set set = {0};
    sink *a;
    T_CHECK_INT(sink_open(&set, &a, in_dir(p1, sizeof p1, "x.csv"), SINK_ROWS,
                          NULL, NULL, 0, err, sizeof err),
                0);
    fputs("a,b\n", sink_stream(a));
    T_CHECK_INT(entries(), 1); /* the temporary file */
    sink_abort(&set);
    T_CHECK_INT(entries(), 0);
    sink_abort(&set); /* an empty set: nothing to do */
}

T_TEST(one_failure_leaves_none) {
    char p1[256], err[256];
    sink_set set = {0};
    sink *a, *b;
    if (access("/dev/full", W_OK) != 0) return; /* no such device here */
    /* the regular file comes first: it is finished, then the device's
     * copy fails, and the file is never renamed into place */
    T_CHECK_INT(sink_open(&set, &a, in_dir(p1, sizeof p1, "ok.csv"), SINK_ROWS,
                          NULL, NULL, 0, err, sizeof err),
                0);
    T_CHECK_INT(sink_open(&set, &b, "/dev/full", SINK_ROWS, NULL, NULL, 0, err,
                          sizeof err),
                0);
    fputs("x\n", sink_stream(a));
    fputs("y\n", sink_stream(b));
    T_CHECK_INT(sink_commit(&set, err, sizeof err), -1);
    T_CHECK(strstr(err, "No space left on device") != NULL);
    T_CHECK(!exists(p1));
    T_CHECK_INT(entries(), 0);
}

T_TEST(one_stdout_at_most) {
    char err[256];
    sink_set set = {0};
    sink *a, *b;
    T_CHECK_INT(
        sink_open(&set, &a, "-", SINK_ROWS, NULL, NULL, 0, err, sizeof err), 0);
    T_CHECK_INT(
        sink_open(&set, &b, "-", SINK_ROWS, NULL, NULL, 0, err, sizeof err),
        -ERRCLASS_USAGE);
    T_CHECK(strstr(err, "two outputs of this run go to stdout") != NULL);
    sink_abort(&set); /* the spool goes; stdout got nothing */
}

int main(void) {
    if (!mkdtemp(dir)) return 1;
    T_RUN(kinds_by_name);
    T_RUN(rows_and_commit);
    T_RUN(abort_leaves_nothing);
    T_RUN(one_failure_leaves_none);
    T_RUN(one_stdout_at_most);
    rmdir(dir);
    return T_END();
}
