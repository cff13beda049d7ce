/*
 * workbook_template.c: `relec template`, the data-entry template (see
 * workbook.h).
 */
#include "lang.h"
#include "workbook_impl.h"

#include "calendar.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* relec template                                                         */

#define TEMPLATE_ROWS 5000 /* rows below the header that get validations */

/* The example of field NAME from the schema file, or NULL. */
static const char *field_example(const schema *s, const char *name) {
    if (!s->doc || !s->doc->root) return NULL;
    const ydoc_node *fs = ydoc_get(s->doc->root, "fields");
    if (!fs || fs->kind != YDOC_SEQ) return NULL;
    for (size_t i = 0; i < fs->n; i++) {
        const ydoc_node *nm = ydoc_get(fs->items[i], "name");
        if (!nm || nm->kind != YDOC_SCALAR || strcmp(nm->str, name)) continue;
        const ydoc_node *ex = ydoc_get(fs->items[i], "example");
        return ex && ex->kind == YDOC_SCALAR ? ex->str : NULL;
    }
    return NULL;
}

/* lxw_datetime of "YYYY-MM-DD" (a zero date when it is not one). */
static lxw_datetime wb_dt(const char *iso) {
    lxw_datetime d = {0, 0, 0, 0, 0, 0};
    int y, m, dd;
    if (iso && iso[0] &&
        cal_parse_iso_date(iso, strlen(iso), &y, &m, &dd) == 0) {
        d.year = y;
        d.month = m;
        d.day = dd;
    }
    return d;
}

/* Characters (not bytes) in UTF-8 text P. */
static size_t utf8_len(const char *p) {
    size_t n = 0;
    for (; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return n;
}

/* Copies S into OUT (CAP bytes) up to MAX characters, on a character
 * boundary: an input message holds 255 characters, whatever their bytes. */
static void cut_chars(const char *s, char *out, size_t cap, size_t max) {
    size_t i = 0, n = 0;
    while (s[i] && i + 4 < cap) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max) break;
        out[i] = s[i];
        i++;
    }
    while (i && ((unsigned char)s[i] & 0xC0) == 0x80) /* cut mid-character */
        i--;
    out[i] = 0;
}

/* The codes of L with their labels in language LANG, "THB = ...; SOM
 * = ..." after OUT[K..], when all fit in an input message (255
 * characters); else nothing. */
static size_t codes_text(const schema_codelist *l, int lang, char *out,
                         size_t k, size_t cap) {
    if (!l || l->parents || l->ncodes > 12) return k;
    size_t start = k;
    for (size_t i = 0; i < l->ncodes && k < cap; i++) {
        const char *lb = schema_label(l, i, lang);
        k += (size_t)snprintf(out + k, cap - k, "%s%s%s%s", i ? "; " : " ",
                              l->codes[i], lb ? " = " : "", lb ? lb : "");
    }
    if (k >= cap || utf8_len(out) > 250) { /* the Codes sheet has them */
        out[start] = 0;
        return start;
    }
    return k;
}

/* What a field takes, in a sentence for the comment and input message, in
 * the language of workbooks (its schema texts and the catalogue's). */
static void field_rule_text(const schema_field *f, char *out, size_t cap) {
    size_t k = 0;
    int wl = lang_workbooks();
    const char *d = schema_tr(f->descriptions, f->description, wl);
    const char *hint = schema_tr(f->hints, f->hint, wl);
    if (!d) d = "";
    size_t dn = strlen(d);
    k += (size_t)snprintf(
        out + k, cap - k, "%s%s%s",
        f->required ? lang_trw("Required. ") : lang_trw("Optional. "), d,
        dn && d[dn - 1] != '.' && f->type == SCHEMA_STRING && hint ? "." : "");
    if (k >= cap) return;
    switch (f->type) {
    case SCHEMA_DATE:
        snprintf(out + k, cap - k, "%s", lang_trw(" Date, YYYY-MM-DD."));
        break;
    case SCHEMA_INTEGER:
        if (f->c.has_min && f->c.has_max)
            k += (size_t)snprintf(out + k, cap - k,
                                  lang_trw(" Whole number, %g to %g."),
                                  f->c.min, f->c.max);
        else if (f->c.has_min)
            k += (size_t)snprintf(out + k, cap - k,
                                  lang_trw(" Whole number, at least %g."),
                                  f->c.min);
        else
            k += (size_t)snprintf(out + k, cap - k, "%s",
                                  lang_trw(" Whole number."));
        if (k < cap && f->suppress_below)
            snprintf(out + k, cap - k,
                     lang_trw(" A count of 1 to %ld: write <%ld."),
                     f->suppress_below - 1, f->suppress_below);
        break;
    case SCHEMA_NUMBER:
        snprintf(out + k, cap - k, "%s", lang_trw(" Number."));
        break;
    case SCHEMA_CODE:
        k += (size_t)snprintf(out + k, cap - k,
                              lang_trw(" Pick a code from the list (sheet "
                                       "Codes: %s)."),
                              f->codes ? f->codes->name : "");
        if (k < cap) codes_text(f->codes, wl, out, k, cap);
        break;
    case SCHEMA_LIST:
        k += (size_t)snprintf(out + k, cap - k,
                              lang_trw(" Codes joined by '%c' (sheet Codes: "
                                       "%s)."),
                              f->separator ? f->separator : ';',
                              f->codes ? f->codes->name : "");
        if (k < cap) codes_text(f->codes, wl, out, k, cap);
        break;
    case SCHEMA_BOOLEAN:
        snprintf(out + k, cap - k, "%s", lang_trw(" true or false."));
        break;
    default: /* words, never the pattern: a hint, an example */
        if (hint)
            k += (size_t)snprintf(out + k, cap - k, lang_trw(" Write %s."),
                                  hint);
        if (k < cap && f->example && f->c.pattern_src)
            snprintf(out + k, cap - k, lang_trw(" For example %s."),
                     f->example);
        break;
    }
}

/* The validation of a count field with suppress_below K: one of the allow
 * literals ("<5"), or a whole number that is 0 or from K (to the maximum);
 * a count of 1 to K-1 is refused, as relec validate refuses it. */
static void small_count_formula(const schema_field *f, lxw_col_t c, char *out,
                                size_t cap, lxw_data_validation *dv) {
    char col[16], cell[24];
    lxw_col_to_name(col, c, 0);
    snprintf(cell, sizeof cell, "%s2", col);
    size_t k = (size_t)snprintf(out, cap, "=OR(");
    for (size_t i = 0; i < f->nallow && k < cap; i++)
        if (!strchr(f->allow[i], '"'))
            k += (size_t)snprintf(out + k, cap - k, "%s=\"%s\",", cell,
                                  f->allow[i]);
    if (k >= cap) return;
    k += (size_t)snprintf(out + k, cap - k,
                          "AND(ISNUMBER(%s),%s=INT(%s),OR(%s=0,%s>=%ld)", cell,
                          cell, cell, cell, cell, f->suppress_below);
    if (k < cap && f->c.has_max)
        k += (size_t)snprintf(out + k, cap - k, ",%s<=%.0f", cell, f->c.max);
    if (k < cap) snprintf(out + k, cap - k, "))");
    if (k >= cap) return;
    dv->validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
    dv->value_formula = out;
    dv->criteria = LXW_VALIDATION_CRITERIA_NONE;
    dv->error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
}

/* About lines for a table key, small counts and sums: what a row must be
 * besides its cells. Returns the next free row. */
static lxw_row_t about_table_rules(lxw_worksheet *about, lxw_row_t r,
                                   const schema *s) {
    char buf[1024], keys[512], defs[512];
    size_t k;
    if (s->key.n) {
        size_t kk = 0, kd = 0;
        keys[0] = defs[0] = 0;
        for (size_t i = 0; i < s->key.n && kk < sizeof keys; i++)
            kk += (size_t)snprintf(keys + kk, sizeof keys - kk, "%s%s",
                                   i ? ", " : "",
                                   s->fields[s->key.fields[i]].name);
        for (size_t i = 0; i < s->key.n && kd < sizeof defs; i++) {
            if (!s->key.defaults[i]) continue;
            if (kd) kd += (size_t)snprintf(defs + kd, sizeof defs - kd, ", ");
            if (kd < sizeof defs)
                kd += (size_t)snprintf(
                    defs + kd, sizeof defs - kd, lang_trw("%s empty means %s"),
                    s->fields[s->key.fields[i]].name, s->key.defaults[i]);
        }
        if (kd)
            snprintf(buf, sizeof buf,
                     lang_trw("One row per %s; %s. A repeated row is an "
                              "error, never a sum."),
                     keys, defs);
        else
            snprintf(buf, sizeof buf,
                     lang_trw("One row per %s. A repeated row is an error, "
                              "never a sum."),
                     keys);
        wb_about_pair(about, r++, "", buf, NULL);
    }
    for (size_t i = 0; i < s->nfields; i++) {
        const schema_field *f = &s->fields[i];
        if (!f->suppress_below) continue;
        snprintf(buf, sizeof buf,
                 lang_trw("%s: a count of 1 to %ld is written <%ld; 0 stays "
                          "0."),
                 f->name, f->suppress_below - 1, f->suppress_below);
        wb_about_pair(about, r++, "", buf, NULL);
    }
    if (s->sums.n) {
        char parts[512];
        k = 0;
        parts[0] = 0;
        for (size_t i = 0; i < s->sums.n && k < sizeof parts; i++)
            k += (size_t)snprintf(parts + k, sizeof parts - k, "%s%s (%s)",
                                  i == 0               ? ""
                                  : i + 1 == s->sums.n ? lang_trw(" or ")
                                                       : ", ",
                                  s->fields[s->sums.fields[i]].name,
                                  s->sums.totals[i]);
        snprintf(buf, sizeof buf,
                 lang_trw("Breakdowns add up: the rows that differ from a "
                          "total row only in %s add up to it, where both are "
                          "given."),
                 parts);
        wb_about_pair(about, r++, "", buf, NULL);
    }
    return r;
}

/* The examples a template for COUNTRY gives instead of the schema's, so
 * that its example row still keeps the rules (NULL entries: the schema's):
 * the field a subdivision's country is compared with is COUNTRY, and a
 * field whose first letters are compared with that one starts with it.
 * Returns a calloc'd array of malloc'd strings, nfields long. */
static char **country_examples(const schema *s, const char *country) {
    char **ex = calloc(s->nfields + 1, sizeof *ex);
    if (!ex || !country) return ex;
    size_t cn = strlen(country);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < s->nrules; i++) {
            const schema_rule *r = &s->rules[i];
            if (r->then_field >= 0 || r->op != SCHEMA_OP_EQ) continue;
            for (int side = 0; side < 2; side++) {
                const schema_operand *a = side ? &r->right : &r->left;
                const schema_operand *b = side ? &r->left : &r->right;
                if (b->field < 0 || b->via >= 0 || a->field < 0 || a->via >= 0)
                    continue;
                if (pass == 0 && a->parent && !ex[b->field])
                    ex[b->field] = strdup(country);
                const char *old = field_example(s, s->fields[a->field].name);
                if (pass == 1 && (size_t)a->prefix == cn && ex[b->field] &&
                    !ex[a->field] && old && strlen(old) >= cn) {
                    ex[a->field] = strdup(old);
                    if (ex[a->field]) memcpy(ex[a->field], country, cn);
                }
            }
        }
    return ex;
}

int workbook_template_write(const char *dest, const schema *s,
                            const char *country, char *err, size_t errlen) {
    if (s->nfields > 16384) {
        snprintf(err, errlen, "schema %s has %zu fields; a sheet holds 16384",
                 s->name, s->nfields);
        return -1;
    }
    char *tmp;
    lxw_workbook *wb = wb_new(dest, 0, 0, &tmp, err, errlen);
    if (!wb) return -1;
    lxw_format *req = workbook_add_format(wb);
    format_set_bold(req);
    format_set_bg_color(req, 0xF8CBAD);
    format_set_bottom(req, LXW_BORDER_THIN);
    lxw_format *opt = workbook_add_format(wb);
    format_set_bold(opt);
    format_set_bg_color(opt, 0xD9E1F2);
    format_set_bottom(opt, LXW_BORDER_THIN);
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *intf = workbook_add_format(wb);
    format_set_num_format(intf, "0");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *ex_text = workbook_add_format(wb);
    format_set_num_format(ex_text, "@");
    format_set_italic(ex_text);
    format_set_font_color(ex_text, 0x595959);
    lxw_format *ex_date = workbook_add_format(wb);
    format_set_num_format(ex_date, "yyyy-mm-dd");
    format_set_italic(ex_date);
    format_set_font_color(ex_date, 0x595959);
    lxw_format *ex_int = workbook_add_format(wb);
    format_set_num_format(ex_int, "0");
    format_set_italic(ex_int);
    format_set_font_color(ex_int, 0x595959);

    lxw_worksheet *ws = workbook_add_worksheet(wb, "Data");
    wb_buf tb = {0};
    int fixed = 0, cut = 0;
    wb_write_codes(wb, s, opt, &tb, &fixed, &cut, country);
    lxw_worksheet *about = workbook_add_worksheet(wb, "About");
    lxw_worksheet *lists = workbook_add_worksheet(wb, "Lists");
    worksheet_hide(lists);
    worksheet_activate(ws);

    /* hidden Lists: one column per code list a field uses */
    const schema_codelist **used = calloc(s->nfields + 1, sizeof *used);
    int *lcol = calloc(s->nfields + 1, sizeof *lcol);
    size_t *lcount = calloc(s->nfields + 1, sizeof *lcount); /* per list */
    char **exo = country_examples(s, country);
    size_t nused = 0;
    if (!used || !lcol || !lcount || !exo) {
        free(used);
        free(lcol);
        free(lcount);
        free(exo);
        free(tb.p);
        wb_drop(wb, tmp);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < s->nfields; i++) {
        const schema_field *f = &s->fields[i];
        lcol[i] = -1;
        if ((f->type != SCHEMA_CODE && f->type != SCHEMA_LIST) || !f->codes ||
            f->codes->ncodes == 0)
            continue;
        size_t j = 0;
        while (j < nused && used[j] != f->codes)
            j++;
        if (j == nused) {
            used[nused++] = f->codes;
            worksheet_write_string(lists, 0, (lxw_col_t)j, f->codes->name,
                                   bold);
            for (size_t k = 0; k < f->codes->ncodes && lcount[j] < WB_MAX_ROW;
                 k++)
                if (wb_for_country(f->codes, k, country))
                    worksheet_write_string(lists, (lxw_row_t)++lcount[j],
                                           (lxw_col_t)j, f->codes->codes[k],
                                           text);
        }
        lcol[i] = lcount[j] ? (int)j : -1;
    }

    char msg[1024], title[40], input[1024], formula[64], col[16];
    char cformula[512];
    for (size_t i = 0; i < s->nfields; i++) {
        const schema_field *f = &s->fields[i];
        lxw_col_t c = (lxw_col_t)i;
        worksheet_write_string(ws, 0, c, f->name, f->required ? req : opt);
        field_rule_text(f, msg, sizeof msg);
        lxw_comment_options co = {
            .author = "relec", .width = 300, .height = 120};
        worksheet_write_comment_opt(ws, 0, c, msg, &co);
        double width = wb_width(f->name, strlen(f->name)) + 3;
        lxw_format *cf = text, *ef = ex_text;
        if (f->type == SCHEMA_DATE) cf = date, ef = ex_date;
        if (f->type == SCHEMA_INTEGER) cf = intf, ef = ex_int;
        if (f->type == SCHEMA_NUMBER || f->type == SCHEMA_BOOLEAN)
            cf = NULL, ef = ex_int;
        if (f->type == SCHEMA_NUMBER || f->type == SCHEMA_BOOLEAN) {
            ef = workbook_add_format(wb);
            format_set_italic(ef);
            format_set_font_color(ef, 0x595959);
        }
        if (width < 12) width = 12;
        if (f->type == SCHEMA_STRING && width < 20) width = 20;
        worksheet_set_column(ws, c, c, width, cf);

        /* the validation of rows 2.. */
        lxw_data_validation dv;
        memset(&dv, 0, sizeof dv);
        dv.ignore_blank = LXW_VALIDATION_ON;
        dv.show_input = LXW_VALIDATION_ON;
        dv.show_error = LXW_VALIDATION_ON;
        dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
        char *bools[] = {"true", "false", NULL};
        switch (f->type) {
        case SCHEMA_CODE:
        case SCHEMA_LIST:
            if (lcol[i] < 0) { /* no codes: only the message */
                dv.validate = LXW_VALIDATION_TYPE_LENGTH;
                dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
                dv.minimum_number = 0;
                dv.maximum_number = WORKBOOK_MAX_CELL;
                break;
            }
            lxw_col_to_name(col, (lxw_col_t)lcol[i], 1);
            snprintf(formula, sizeof formula, "=Lists!%s$2:%s$%zu", col, col,
                     lcount[lcol[i]] + 1);
            dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
            dv.value_formula = formula;
            /* a list field holds several codes: offer the list, accept
             * joined codes (relec validate checks each) */
            if (f->type == SCHEMA_LIST)
                dv.error_type = LXW_VALIDATION_ERROR_TYPE_INFORMATION;
            break;
        case SCHEMA_BOOLEAN:
            dv.validate = LXW_VALIDATION_TYPE_LIST;
            dv.value_list = bools;
            break;
        case SCHEMA_INTEGER:
        case SCHEMA_NUMBER:
            dv.validate = f->type == SCHEMA_INTEGER
                              ? LXW_VALIDATION_TYPE_INTEGER
                              : LXW_VALIDATION_TYPE_DECIMAL;
            dv.minimum_number = f->c.has_min ? f->c.min : -1e15;
            dv.maximum_number = f->c.has_max ? f->c.max : 1e15;
            dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
            /* extra literals such as "<5" must stay enterable */
            if (f->nallow) dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
            /* small counts: "<K" or a whole number that is 0 or at least
             * K, refused otherwise (the formula is relative to row 2) */
            if (f->suppress_below && f->type == SCHEMA_INTEGER)
                small_count_formula(f, c, cformula, sizeof cformula, &dv);
            break;
        case SCHEMA_DATE:
            dv.validate = LXW_VALIDATION_TYPE_DATE;
            dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
            dv.minimum_datetime =
                wb_dt(f->c.min_date[0] ? f->c.min_date : "1900-03-01");
            dv.maximum_datetime =
                wb_dt(f->c.max_date[0] ? f->c.max_date : "9999-12-31");
            break;
        default:
            /* a length check always: without bounds it is Excel's cell
             * limit, and carries the input message (libxlsxwriter 1.1.4
             * leaks the messages of TYPE_ANY validations) */
            dv.validate = LXW_VALIDATION_TYPE_LENGTH;
            dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
            dv.minimum_number = f->c.min_len >= 0 ? (double)f->c.min_len : 0;
            dv.maximum_number =
                f->c.max_len >= 0 ? (double)f->c.max_len : WORKBOOK_MAX_CELL;
            break;
        }
        wb_cut(f->name, title, 33);
        cut_chars(msg, input, sizeof input, 255); /* Excel's limit */
        dv.input_title = title;
        dv.input_message = input;
        dv.error_title = title;
        dv.error_message = input;
        worksheet_data_validation_range(ws, 1, c, TEMPLATE_ROWS, c, &dv);

        /* the example, typed as a user would enter it; a subdivision of
         * another country gives way to the first of COUNTRY's */
        const char *ex = exo[i] ? exo[i] : field_example(s, f->name);
        if (ex && country && f->type == SCHEMA_CODE && f->codes->parents) {
            long k = schema_code_find(f->codes, ex, strlen(ex));
            for (size_t j = 0;
                 k >= 0 && !wb_for_country(f->codes, (size_t)k, country) &&
                 j < f->codes->ncodes;
                 j++)
                if (wb_for_country(f->codes, j, country)) k = (long)j;
            ex = k >= 0 ? f->codes->codes[k] : NULL;
        }
        if (!ex || !ex[0]) continue;
        double v;
        if (f->type == SCHEMA_DATE && wb_serial(ex, strlen(ex)) > 0)
            worksheet_write_number(ws, 1, c, wb_serial(ex, strlen(ex)), ef);
        else if ((f->type == SCHEMA_INTEGER || f->type == SCHEMA_NUMBER) &&
                 wb_number(ex, strlen(ex), &v))
            worksheet_write_number(ws, 1, c, v, ef);
        else if (f->type == SCHEMA_BOOLEAN &&
                 (!strcmp(ex, "true") || !strcmp(ex, "false")))
            worksheet_write_boolean(ws, 1, c, ex[0] == 't', ef);
        else
            worksheet_write_string(
                ws, 1, c, wb_text(&tb, ex, strlen(ex), &fixed, &cut), ef);
    }
    worksheet_freeze_panes(ws, 1, 0);

    /* About: what the template is and how to fill it */
    char now[32];
    wb_now(now);
    worksheet_set_column(about, 0, 0, 22, NULL);
    worksheet_set_column(about, 1, 1, 90, NULL);
    lxw_row_t r = 0;
    worksheet_write_string(about, r++, 0, lang_trw("RELEC data-entry template"),
                           bold);
    wb_about_pair(about, r++, lang_trw("schema"), s->name, bold);
    wb_about_pair(about, r++, lang_trw("schema version"), s->version, bold);
    wb_about_pair(about, r++, lang_trw("schema title"), s->title, bold);
    wb_about_pair(about, r++, lang_trw("generated at"), now, bold);
    wb_about_pair(about, r++, lang_trw("tool"), "relec " RELEC_VERSION, bold);
    r++;
    wb_about_pair(about, r++, lang_trw("how to fill"),
                  lang_trw("One row per record on sheet Data, from row 2. Row "
                           "2 is an example: overwrite it or delete it."),
                  bold);
    wb_about_pair(
        about, r++, "",
        lang_trw("Orange headers are required columns; blue ones are "
                 "optional. Hover a header for what the column takes."),
        NULL);
    wb_about_pair(about, r++, "",
                  lang_trw("Do not rename, reorder or delete the header row. "
                           "Codes and their meanings are on sheet Codes."),
                  NULL);
    r = about_table_rules(about, r, s);
    snprintf(msg, sizeof msg,
             lang_trw("Check the file with: relec validate -s %s.yaml "
                      "FILE.xlsx"),
             s->name);
    wb_about_pair(about, r++, "", msg, NULL);

    free(used);
    free(lcol);
    free(lcount);
    for (size_t i = 0; i < s->nfields; i++)
        free(exo[i]);
    free(exo);
    free(tb.p);
    int rc = wb_finish(wb, tmp, dest, err, errlen);
    free(tmp);
    return rc;
}
