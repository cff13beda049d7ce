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
                       lxw_format *bold) {
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
        if (cells[i].state == COMPARE_SHOWN)
            worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)(2 + p),
                                   (double)cells[i].value, NULL);
        else
            worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)(2 + p),
                                   compare_format(c, &cells[i], buf), NULL);
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

int compare_xlsx_write(const compare *c, const char *path, char *err,
                       size_t errlen) {
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
                              row, bold);
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
