# The ISO code lists in schemas/codes are what scripts/gen-iso-codes.py
# makes from Debian's iso-codes, and they hold what the rules rely on.
. tests/testlib.sh
check "generated ISO lists are current" python3 scripts/gen-iso-codes.py --check
check "PK-PB is a subdivision of PAK" grep -q "code: PK-PB, .*parent: PAK" schemas/codes/iso3166_2.yaml
check "AF-KAB is a subdivision of AFG" grep -q "code: AF-KAB, .*parent: AFG" schemas/codes/iso3166_2.yaml
check "alpha-3 list has 249 countries" [ "$(grep -c '  - {code:' schemas/codes/iso3166_1_alpha3.yaml)" -eq 249 ]
finish
