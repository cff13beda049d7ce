#!/bin/sh
# make fuzz: builds every tests/fuzz/fuzz_*.c with clang's libFuzzer, ASan
# and UBSan against lib/, and runs each for FUZZ_SECONDS (default 60),
# starting from tests/fuzz/corpus-<name>/ (kept small, committed) and
# keeping what it finds in tests/fuzz/out/<name>/ (not committed).
# FUZZ_ONLY=csv runs the matching targets only.
set -e
secs=${FUZZ_SECONDS:-60}
out=tests/fuzz/out
mkdir -p "$out/obj"
PKGS="yaml-0.1 libpcre2-8 sqlite3 xlsxwriter minizip expat icu-uc icu-i18n libsodium"
CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -Ilib $(pkg-config --cflags $PKGS)"
objs=""
newest_h=$(ls -t lib/*.h | head -n 1)
# other flags than last time: rebuild everything
if [ "$(cat "$out/obj/flags" 2>/dev/null)" != "$CFLAGS" ]; then
    rm -f "$out"/obj/*.o
    printf '%s' "$CFLAGS" >"$out/obj/flags"
fi
for c in lib/*.c; do
    o="$out/obj/$(basename "$c" .c).o"
    # rebuilt only when its source or a header is newer
    if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
        clang $CFLAGS -c -o "$o" "$c"
    fi
    objs="$objs $o"
done
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    short=${name#fuzz_}
    case $short in *"${FUZZ_ONLY:-}"*) ;; *) continue ;; esac
    clang $CFLAGS -fsanitize=fuzzer -o "$out/$name" "$t" $objs $(pkg-config --libs $PKGS) -lcsv -lglpk -lm
    mkdir -p "$out/$short"
    echo "== $name: ${secs}s"
    "$out/$name" -max_total_time="$secs" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 "$out/$short" "tests/fuzz/corpus-$short" 2>&1 |
        grep -E '^(Done|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' || true
done
