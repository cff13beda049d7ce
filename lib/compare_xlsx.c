/*
 * compare_xlsx.c: the comparison workbook (see compare_xlsx.h). Written in
 * libxlsxwriter's normal mode (not constant-memory): the charts refer to
 * the tables, and the tables are small (cells, not rows).
 */
#include "compare_xlsx.h"
#include "outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_SERIES 12 /* more lines than this make a chart unreadable */

/* Writes one breakdown table at ROW; returns the next free row. */
static int write_table(lxw_workbook *wb, lxw_worksheet *ws, const char *sheet,
                       const compare *c, const compare_cell *cells, size_t n,
                       const char *const *periods, size_t np, int row,
                       lxw_format *bold, lxw_format *inc) {
    const char *by = cells[0].breakdown;
    worksheet_write_string(ws, (lxw_row_t)row, 0, "breakdown", bold);
    worksheet_write_string(ws, (lxw_row_t)row, 1, by, bold);
    int head = row + 1;
    worksheet_write_string(ws, (lxw_row_t)head, 0, "country", bold);
    worksheet_write_string(ws, (lxw_row_t)head, 1, "category", bold);
    for (size_t p = 0; p < np; p++)
        worksheet_write_string(ws, (lxw_row_t)head, (lxw_col_t)(2 + p),
                               periods[p], bold);
    int r = head;
    char buf[32];
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(cells[i].country, cells[i - 1].country) ||
            strcmp(cells[i].category, cells[i - 1].category)) {
            r++;
            worksheet_write_string(ws, (lxw_row_t)r, 0, cells[i].country, NULL);
            worksheet_write_string(ws, (lxw_row_t)r, 1, cells[i].category,
                                   NULL);
        }
        size_t p = 0;
        while (p < np && strcmp(periods[p], cells[i].period))
            p++;
        /* an incomplete period: the number stays a number, shown with
         * "(incomplete)" after it (see About) */
        if (cells[i].state == COMPARE_SHOWN) {
            worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)(2 + p),
                                   (double)cells[i].value,
                                   cells[i].incomplete ? inc : NULL);
        } else {
            char text[64];
            snprintf(text, sizeof text, "%s%s",
                     compare_format(c, &cells[i], buf),
                     cells[i].incomplete ? " (incomplete)" : "");
            worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)(2 + p), text,
                                   NULL);
        }
    }
    /* the chart: one series per row but the region's (ALL), periods
     * across; hidden cells are text and so gaps */
    lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_COLUMN);
    char title[128];
    snprintf(title, sizeof title, "%s by %s", cells[0].indicator, by);
    chart_title_set_name(chart, title);
    int series = 0;
    for (int x = head + 1; x <= r && series < MAX_SERIES; x++) {
        lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(s, sheet, (lxw_row_t)head, 2,
                                    (lxw_row_t)head, (lxw_col_t)(1 + np));
        chart_series_set_values(s, sheet, (lxw_row_t)x, 2, (lxw_row_t)x,
                                (lxw_col_t)(1 + np));
        chart_series_set_name_range(s, sheet, (lxw_row_t)x,
                                    strcmp(by, "total") ? 1 : 0);
        series++;
    }
    lxw_chart_options opt = {0};
    opt.x_offset = 10;
    worksheet_insert_chart_opt(ws, (lxw_row_t)row, (lxw_col_t)(3 + np), chart,
                               &opt);
    int next = r + 2;
    return next < row + 18 ? row + 18 : next; /* a chart is ~15 rows high */
}

/* Writes one line of text at *ROW of the About sheet (bold: a heading). */
static void line(lxw_worksheet *ws, int *row, const char *text, lxw_format *f) {
    worksheet_write_string(ws, (lxw_row_t)(*row)++, 0, text, f);
}

/* The About sheet: legend, rule, sources, suppression, findings. */
static void write_about(lxw_workbook *wb, const compare *c,
                        const compare_about *a, lxw_format *bold) {
    lxw_worksheet *ws = workbook_add_worksheet(wb, "About");
    worksheet_set_column(ws, 0, 0, 110, NULL);
    int row = 0;
    char buf[512];
    int k = a ? a->suppress : 0;
    line(ws, &row, "Cross-border comparison (relec compare)", bold);
    row++;
    line(ws, &row, "Legend", bold);
    if (k > 0) {
        snprintf(buf, sizeof buf,
                 "<%d  a count from 1 to %d, hidden because it is small", k,
                 k - 1);
        line(ws, &row, buf, NULL);
        line(ws, &row,
             "x  a count hidden so that no <K cell can be worked out from "
             "the published figures",
             NULL);
    }
    line(ws, &row, "<5  a count of 1 to 4 as a source gave it", NULL);
    line(ws, &row,
         "..  not known: a sum that holds a source's <5, or a category an "
         "aggregate source did not give",
         NULL);
    line(ws, &row,
         "not_recorded  what a total holds beyond the rows that tell the "
         "category (e.g. victims without a person row)",
         NULL);
    line(ws, &row,
         "(incomplete)  months of the period are missing for the country "
         "(for ALL: a country is missing or incomplete)",
         NULL);
    line(ws, &row,
         "multiple (exploitation_form)  an incident with several forms, "
         "counted once; the forms are not added up",
         NULL);
    row++;
    line(ws, &row, "One number per cell", bold);
    line(ws, &row,
         "A country's month is counted from its records when it sent "
         "incident rows for that month, else it is its aggregate for the "
         "month.",
         NULL);
    line(ws, &row,
         "A quarter (year) is the sum of its months (quarters) when all have "
         "a figure, else the country's own aggregate for it, else the sum "
         "of the months there are, marked incomplete.",
         NULL);
    line(ws, &row,
         "An aggregate that disagrees with the finer figure is a finding "
         "(below); the finer figure is counted. Prosecutions and "
         "convictions count in the month of stage_date when given.",
         NULL);
    row++;
    line(ws, &row, "Sources (record type, file, rows, SHA-256)", bold);
    for (size_t i = 0; a && i < a->nsources; i++)
        line(ws, &row, a->sources[i], NULL);
    row++;
    line(ws, &row, "Suppression", bold);
    if (k > 0) {
        size_t n;
        compare_cells(c, &n);
        long prim, sec, unk;
        compare_hidden(c, &prim, &sec, &unk);
        snprintf(buf, sizeof buf,
                 "%zu cells: %ld under %d shown as <%d (primary), %ld "
                 "sources' <5 or sums holding one (protected as primary), "
                 "%ld more hidden as x (secondary).",
                 n, prim, k, k, unk, sec);
        line(ws, &row, buf, NULL);
        line(ws, &row,
             "Method (after tau-ARGUS and sdcTable): per indicator and "
             "period, every table (totals, the region ALL, each breakdown) "
             "is one set of linear lines; an attacker's linear programme "
             "(GLPK) finds each hidden cell's least and greatest value; "
             "cells are hidden until every <K cell (and every source's <5) "
             "keeps at least three possible values and no x is pinned or shown "
             "to be small (a <K "
             "margin whose marks alone would give its cells away is shown "
             "as x). relec compare --audit prints that attack.",
             NULL);
    } else {
        line(ws, &row, "none (-k not given): not for publication", NULL);
    }
    row++;
    size_t nf;
    const char *const *f = compare_findings(c, &nf);
    snprintf(buf, sizeof buf, "Findings: %zu aggregates that disagree", nf);
    line(ws, &row, buf, bold);
    for (size_t i = 0; i < nf; i++)
        line(ws, &row, f[i], NULL);
}

int compare_xlsx_write(const compare *c, const compare_about *about,
                       const char *path, char *err, size_t errlen) {
    if (outfile_claim(path, err, errlen) < 0) return -1;
    char *tmp = outfile_temp_name(path);
    if (!tmp) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        return -1;
    }
    lxw_workbook *wb = workbook_new(tmp);
    if (!wb) {
        snprintf(err, errlen, "cannot write '%s'", path);
        outfile_drop_temp(tmp);
        free(tmp);
        return -1;
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *inc = workbook_add_format(wb);
    format_set_num_format(inc, "0\" (incomplete)\"");
    format_set_italic(inc);
    write_about(wb, c, about, bold);
    size_t n, np;
    const compare_cell *cells = compare_cells_wide(c, &n);
    const char *const *periods = compare_periods(c, &np);
    if (n == 0) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, "empty");
        worksheet_write_string(ws, 0, 0, "no rows to compare", NULL);
    }
    for (size_t i = 0; i < n;) {
        const char *ind = cells[i].indicator;
        lxw_worksheet *ws = workbook_add_worksheet(wb, ind);
        worksheet_set_column(ws, 0, 1, 16, NULL);
        int row = 0;
        while (i < n && cells[i].indicator == ind) {
            size_t j = i;
            while (j < n && cells[j].indicator == ind &&
                   cells[j].breakdown == cells[i].breakdown)
                j++;
            row = write_table(wb, ws, ind, c, cells + i, j - i, periods, np,
                              row, bold, inc);
            i = j;
        }
    }
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "cannot write '%s': %s", path, lxw_strerror(e));
        outfile_drop_temp(tmp);
        free(tmp);
        return -1;
    }
    int rc = outfile_rename(tmp, path, err, errlen);
    free(tmp);
    return rc;
}
