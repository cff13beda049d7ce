# gen-persons-of.awk: person rows for the incidents of a standard incident
# CSV (bench/gen-incidents.c), for compare's breakdowns: per incident up to
# two persons of each role its counts give (so some are not recorded),
# with a sex, an age (or none) and a nationality drawn from the region.
#   awk -F, -v seed=7 -f bench/gen-persons-of.awk incidents.csv > persons.csv
BEGIN {
    srand(seed ? seed : 1)
    print "person_id,incident_id,role,sex,age,nationality"
    split("victim,smuggled_migrant,irregular_migrant,suspect", role, ",")
    split("female,male,male,unknown", sexes, ",")
    split("AFG,AFG,PAK,PAK,BGD,IRN,IRQ,SYR,IND,TUR,XXA", nats, ",")
    n = 0
}
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{
    cnt[1] = $col["victims_count"]; cnt[2] = $col["smuggled_migrants_count"]
    cnt[3] = $col["irregular_migrants_count"]; cnt[4] = $col["suspects_count"]
    for (r = 1; r <= 4; r++) {
        m = cnt[r] < 2 ? cnt[r] : 2
        for (j = 0; j < m; j++) {
            n++
            age = rand() < 0.15 ? "" : int(rand() * 60)
            printf "P%09d,%s,%s,%s,%s,%s\n", n, $1, role[r],
                sexes[1 + int(rand() * 4)], age, nats[1 + int(rand() * 11)]
        }
    }
}
