# relec compare --rates / --population: counts per 100,000 population in
# the long CSV, from the shipped table (its source and year on each row)
# or the user's; a hidden count's rate is hidden too, so that a rate never
# gives a <K count away.
. tests/testlib.sh
EX="examples/incident.csv examples/person.csv"

# the shipped table: six countries, each row with its public source
check "shipped table: the six countries" \
    [ "$(awk -F, 'NR > 1 { print $1 }' schemas/population.csv | sort -u | tr '\n' ' ')" = "AFG BGD IRN IRQ PAK TUR " ]
check "shipped table: a source on every row" \
    [ -z "$(awk -F, 'NR > 1 && $4 == ""' schemas/population.csv)" ]

# a population of 100,000: the rate is the count
printf 'country,year,population\nPAK,2025,100000\n' >$T/pop.csv
$RELEC compare -q --by sex --population $T/pop.csv $EX >$T/r.csv
check "--population: exit 0" [ $? -eq 0 ]
check "--population: the rate column" \
    [ "$(head -1 $T/r.csv)" = "country,period,indicator,breakdown,category,value,flag,rate_per_100000" ]
check "--population: per 100,000 of 100,000 is the count" \
    [ -z "$(awk -F, 'NR > 1 && $6 ~ /^[0-9]+$/ && $8 != "" && $8 != sprintf("%.2f", $6)' $T/r.csv)" ]
check "--population: rows with a rate" [ "$(awk -F, 'NR > 1 && $8 != ""' $T/r.csv | wc -l)" -gt 10 ]

# the shipped table: PAK 2025 uses the latest year before it (2020)
pak=$(awk -F, '$1 == "PAK" && $2 == 2020 { print $3 }' schemas/population.csv)
$RELEC compare -q --rates examples/incident.csv >$T/s.csv
check "--rates: exit 0" [ $? -eq 0 ]
check "--rates: 2025 rows have a rate" [ "$(awk -F, '$2 ~ /^2025/ && $8 != ""' $T/s.csv | wc -l)" -gt 5 ]
check "--rates: a year before the table's first has none" [ -z "$(awk -F, '$2 ~ /^2019/ && $8 != ""' $T/s.csv)" ]
check "--rates: value x 100000 / PAK's 2020 population" \
    [ -z "$(awk -F, -v p=$pak 'NR > 1 && $6 ~ /^[0-9]+$/ && $8 != "" && $8 != sprintf("%.2f", $6 * 100000 / p)' $T/s.csv)" ]

# suppressed: a hidden count has no rate, only its mark
$RELEC compare -q -k 5 --by sex,nationality --population $T/pop.csv $EX >$T/k.csv
check "-k 5: some counts hidden" grep -q ',<5,' $T/k.csv
check "-k 5: no hidden count has a number as its rate" \
    [ -z "$(awk -F, 'NR > 1 && $6 !~ /^[0-9]+$/ && $8 ~ /[0-9]/ && $8 != $6' $T/k.csv)" ]
check "-k 5: a <5 count's rate is <5" grep -q ',<5,[a-z]*,<5$' $T/k.csv

# a country without a population: no rate, said
printf 'country,year,population\nAFG,2025,100000\n' >$T/afg.csv
$RELEC compare --population $T/afg.csv examples/incident.csv >$T/n.csv 2>$T/n.err
check "no population of the country: exit 0" [ $? -eq 0 ]
check "no population of the country: empty rates" [ -z "$(awk -F, 'NR > 1 && $8 != ""' $T/n.csv)" ]
check "no population of the country: said" grep -q 'without a rate' $T/n.err

# errors: a bad population table, rates in the aggregate layout
printf 'country,year,population\nPAK,2025,many\n' >$T/bad.csv
$RELEC compare --population $T/bad.csv examples/incident.csv >$T/o 2>$T/e
check "bad population: exit 3" [ $? -eq 3 ]
check "bad population: the row named" grep -q "bad.csv:2: error: row:" $T/e
$RELEC compare --population $T/none.csv examples/incident.csv >$T/o 2>$T/e
check "missing population file: exit 3" [ $? -eq 3 ]
$RELEC compare --rates --layout aggregate examples/incident.csv >$T/o 2>$T/e
check "--rates --layout aggregate: exit 2" [ $? -eq 2 ]

# the workbook's About sheet names the population and its source
$RELEC compare -q --rates --xlsx $T/w.xlsx examples/incident.csv
check "xlsx: the population's source in the workbook" \
    sh -c "unzip -p $T/w.xlsx xl/sharedStrings.xml 'xl/worksheets/*.xml' 2>/dev/null | grep -q 'World Bank WDI'"
rm -rf $T
finish
