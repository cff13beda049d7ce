/*
 * template.c: relec template: the data-entry workbook a province fills.
 * All the work is in lib/workbook_template.c (workbook_template_write).
 */
#include "cmd.h"
#include "schema.h"
#include "workbook.h"

#include <getopt.h> /* optind */
#include <string.h>

/* Whether a code list of S with parents (ISO 3166-2) has codes of C. */
/* Whether any code list of S has parents (subdivisions of countries). */
static int has_subdivisions(const schema *s) {
    for (size_t i = 0; i < s->nlists; i++)
        if (s->lists[i]->parents) return 1;
    return 0;
}

static int has_country(const schema *s, const char *c) {
    for (size_t i = 0; i < s->nlists; i++)
        for (size_t k = 0; s->lists[i]->parents && k < s->lists[i]->ncodes; k++)
            if (s->lists[i]->parents[k] && !strcmp(s->lists[i]->parents[k], c))
                return 1;
    return 0;
}

/* Options of one run. */
typedef struct template_run {
    const char *schema_path; /* -s */
    const char *out;         /* -o */
    const char *country;     /* -c, or NULL */
} template_run;

static const cmd_option template_options[] = {
    CMD_SCHEMA(template_run, schema_path),
    CMD_STR("output", 'o', "FILE",
            "the workbook to write (.xlsx; - for stdout)", template_run, out),
    CMD_STR("country", 'c', "CCC",
            "for one country (alpha-3, e.g. PAK): the\n"
            "province dropdown lists only its subdivisions",
            template_run, country),
    CMD_LANG("labels and descriptions in LL: en, ur, fa\n"
             "(Dari, Persian), ps, ar, bn, tr; sheets right\n"
             "to left for ur, fa, ps, ar; codes, field and\n"
             "sheet names stay the same in every language"),
    CMD_END};

const cmd_spec cmd_template_spec = {
    "template",
    cmd_template,
    "write a data-entry workbook for provinces",
    {"-s SCHEMA -o OUT.xlsx [--country CCC]"},
    "Writes a data-entry workbook for SCHEMA. Sheet Data has one column per\n"
    "field, headed by the field name (required columns in orange), with the\n"
    "field's description as the header's comment and as the input message\n"
    "of its cells; dropdowns for code fields (from a hidden Lists sheet),\n"
    "number, date and length validation; text columns formatted as text so\n"
    "codes and months stay as typed; and a valid example in row 2 (overwrite\n"
    "or delete it). Sheets Codes and About explain the codes and the file,\n"
    "and About states the table's key, small-count and sums rules (the\n"
    "aggregate table: a count of 1 to 4 is refused in the cell; write <5).\n"
    "A filled template is checked with relec validate -s SCHEMA FILE.xlsx.\n",
    template_options,
    NULL,
    "relec template -s incident -o incident-template.xlsx\n"
    "relec template -s incident --country PAK -o pak-incident.xlsx\n"
    "relec template -s aggregate -o - > aggregate-template.xlsx\n",
    NULL,
    0,
    NULL};

int cmd_template(int argc, char **argv) {
    template_run o = {NULL, NULL, NULL};
    int rc = cmd_parse(&cmd_template_spec, &o, argc, argv);
    if (rc >= 0) return rc;
    if (!o.schema_path)
        return cmd_usage_error("template", "no schema: give -s SCHEMA.yaml");
    if (!o.out)
        return cmd_usage_error("template", "no output: give -o OUT.xlsx");
    size_t n = strlen(o.out);
    if ((n < 6 || strcmp(o.out + n - 5, ".xlsx") != 0) && strcmp(o.out, "-"))
        return cmd_usage_error("template", "output '%s': name it .xlsx", o.out);
    if (optind < argc)
        return cmd_usage_error("template", "unexpected argument '%s'",
                               argv[optind]);
    char err[1024];
    schema *s = schema_load(o.schema_path, err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return EXIT_INPUT;
    }
    if (o.country && !has_subdivisions(s)) {
        /* person, aggregate: nothing to choose by country */
        fprintf(stderr,
                "relec template: note: schema %s has no list of provinces: "
                "the template is the same for every country\n",
                s->name);
        o.country = NULL;
    } else if (o.country && !has_country(s, o.country)) {
        schema_free(s);
        return cmd_usage_error("template",
                               "--country '%s': no subdivision of the "
                               "schema's code lists has it as its country "
                               "(give an alpha-3 code such as PAK)",
                               o.country);
    }
    rc = workbook_template_write(o.out, s, o.country, err, sizeof err);
    if (rc < 0)
        cmd_error("template", "%s", err);
    else
        fprintf(stderr, "wrote %s: template for %s %s, %zu columns\n", o.out,
                s->name, s->version ? s->version : "", s->nfields);
    schema_free(s);
    return rc < 0 ? EXIT_OUTPUT : EXIT_OK;
}
