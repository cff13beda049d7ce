/*
 * template.c: relec template: the data-entry workbook a province fills.
 * All the work is in lib/workbook_template.c (workbook_template_write).
 */
#include "cmd.h"
#include "schema.h"
#include "workbook.h"

#include <getopt.h>
#include <string.h>

static const char usage_text[] =
    "usage: relec template -s SCHEMA -o OUT.xlsx [--country CCC]\n"
    "\n"
    "Writes a data-entry workbook for SCHEMA. Sheet Data has one column per\n"
    "field, headed by the field name (required columns in orange), with the\n"
    "field's description as the header's comment and as the input message\n"
    "of its cells; dropdowns for code fields (from a hidden Lists sheet),\n"
    "number, date and length validation; text columns formatted as text so\n"
    "codes and months stay as typed; and a valid example in row 2 (overwrite\n"
    "or delete it). Sheets Codes and About explain the codes and the file,\n"
    "and About states the table's key, small-count and sums rules (the\n"
    "aggregate table: a count of 1 to 4 is refused in the cell; write <5).\n"
    "A filled template is checked with relec validate -s SCHEMA FILE.xlsx.\n"
    "\n"
    "  -s, --schema FILE      schema YAML, e.g. schemas/incident.yaml\n"
    "  -o, --output FILE      the workbook to write (.xlsx; - for stdout)\n"
    "  -c, --country CCC      for one country (alpha-3, e.g. PAK): the\n"
    "                         province dropdown lists only its subdivisions\n"
    "      --lang LL          labels and descriptions in LL: en, ur, fa\n"
    "                         (Dari, Persian), ps, ar, bn, tr; sheets right\n"
    "                         to left for ur, fa, ps, ar; codes, field and\n"
    "                         sheet names stay the same in every language\n"
    "  -h, --help             this help\n"
    "\n" EXIT_CODES_HELP;

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

int cmd_template(int argc, char **argv) {
    static const struct option opts[] = {{"schema", required_argument, 0, 's'},
                                         {"output", required_argument, 0, 'o'},
                                         {"country", required_argument, 0, 'c'},
                                         {"lang", required_argument, 0, 'L'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *schema_path = NULL, *out = NULL, *country = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":s:o:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            schema_path = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'c':
            country = optarg;
            break;
        case 'L':
            if (cmd_opt_lang("template", optarg)) return EXIT_USAGE;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cmd_opt_bad("template", c, argv);
        }
    }
    if (!schema_path)
        return cmd_usage_error("template", "no schema: give -s SCHEMA.yaml");
    if (!out) return cmd_usage_error("template", "no output: give -o OUT.xlsx");
    size_t n = strlen(out);
    if ((n < 6 || strcmp(out + n - 5, ".xlsx") != 0) && strcmp(out, "-"))
        return cmd_usage_error("template", "output '%s': name it .xlsx", out);
    if (optind < argc)
        return cmd_usage_error("template", "unexpected argument '%s'",
                               argv[optind]);
    char err[1024];
    schema *s = schema_load(schema_path, err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return EXIT_INPUT;
    }
    if (country && !has_subdivisions(s)) {
        /* person, aggregate: nothing to choose by country */
        fprintf(stderr,
                "relec template: note: schema %s has no list of provinces: "
                "the template is the same for every country\n",
                s->name);
        country = NULL;
    } else if (country && !has_country(s, country)) {
        schema_free(s);
        return cmd_usage_error("template",
                               "--country '%s': no subdivision of the "
                               "schema's code lists has it as its country "
                               "(give an alpha-3 code such as PAK)",
                               country);
    }
    int rc = workbook_template_write(out, s, country, err, sizeof err);
    if (rc < 0)
        cmd_error("template", "%s", err);
    else
        fprintf(stderr, "wrote %s: template for %s %s, %zu columns\n", out,
                s->name, s->version ? s->version : "", s->nfields);
    schema_free(s);
    return rc < 0 ? EXIT_OUTPUT : EXIT_OK;
}
