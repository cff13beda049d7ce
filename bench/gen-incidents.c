/*
 * gen-incidents.c: writes N valid incident rows (the standard's columns) to
 * stdout, deterministic for a seed, for benchmarks. About 120 bytes a row.
 *   gen-incidents N [SEED] [COUNTRIES]   (COUNTRIES: e.g. PAK,AFG,IRN)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long state;
static unsigned rnd(unsigned n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((state >> 33) % n);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000;
    state = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    const char *countries[8] = {"PAK"};
    int ncountries = 1;
    if (argc > 3) {
        ncountries = 0;
        char *list = strdup(argv[3]);
        for (char *t = strtok(list, ","); t && ncountries < 8;
             t = strtok(NULL, ","))
            countries[ncountries++] = t;
    }
    static const char *admin[][2] = {{"PAK", "PK-PB"}, {"AFG", "AF-KAB"},
                                     {"IRN", "IR-07"}, {"IRQ", "IQ-BG"},
                                     {"BGD", "BD-13"}, {"TUR", "TR-34"}};
    static const char *offences[] = {"THB",
                                     "SOM",
                                     "IRREGULAR_ENTRY",
                                     "IRREGULAR_EXIT",
                                     "IRREGULAR_STAY",
                                     "DOCUMENT_FRAUD"};
    static const char *places[] = {"land_border", "airport", "seaport",
                                   "inland",      "at_sea",  "online"};
    static const char *forms[] = {"sexual_exploitation", "forced_labour",
                                  "domestic_servitude;forced_labour",
                                  "forced_marriage"};
    static const char *stages[] = {
        "detected", "registered", "under_investigation",
        "charged",  "prosecuted", "convicted"};
    static const char *nat[] = {"AFG", "PAK", "BGD", "IRN", "IRQ", "IND"};
    puts("incident_id,reporting_country,reporting_agency,reporting_period,"
         "incident_date,offence_type,place_type,admin1,place_name,"
         "border_crossing_point,exploitation_forms,route_origin,"
         "route_transit,route_destination,transport_mode,victims_count,"
         "smuggled_migrants_count,irregular_migrants_count,suspects_count,"
         "deaths_count,case_stage,notes");
    for (long i = 0; i < n; i++) {
        const char *cc = countries[rnd((unsigned)ncountries)];
        const char *a1 = "";
        for (int k = 0; k < 6; k++)
            if (!strcmp(admin[k][0], cc)) a1 = admin[k][1];
        int o = (int)rnd(6), p = (int)rnd(6);
        int year = 2020 + (int)rnd(6), month = 1 + (int)rnd(12);
        int day = 1 + (int)rnd(28);
        int border = p <= 2;
        printf("%s-%d-R%08ld,%s,%s Unit %u,%d-%02d,%d-%02d-%02d,%s,%s,%s,"
               "Town %u,%s,%s,%s,%s,%s,%s,%d,%d,%d,%u,%u,%s,%s\n",
               cc, year, i, cc, cc, rnd(40), year, month, year, month, day,
               offences[o], places[p], a1, rnd(500),
               border ? "Crossing Point" : "", o == 0 ? forms[rnd(4)] : "",
               nat[rnd(6)], rnd(3) ? "" : "IRN", "TUR", p == 1 ? "air" : "land",
               o == 0 ? 1 + (int)rnd(5) : 0, o == 1 ? 1 + (int)rnd(30) : 0,
               o >= 2 && o <= 4 ? 1 + (int)rnd(9) : 0, rnd(4), rnd(2),
               stages[rnd(6)],
               rnd(10) ? "" : "\"seized, with notes \"\"quoted\"\"\"");
    }
    return 0;
}
