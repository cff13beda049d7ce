#!/bin/sh
# make fuzz: builds every tests/fuzz/fuzz_*.c with clang's libFuzzer, ASan
# and UBSan against lib/, and runs each for FUZZ_SECONDS (default 60),
# starting from tests/fuzz/corpus-<name>/ (kept small, committed) and
# keeping what it finds in tests/fuzz/out/<name>/ (not committed); a
# crash's input goes to tests/fuzz/out/<name>-crash-..., the run's output
# to tests/fuzz/out/<name>.log. Prints each target's inputs a second.
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
# Every target makes and removes files at each input (its input as a file,
# temp files, libxlsxwriter's tmpfile()s in /tmp); on ext4 each new inode
# then costs up to a millisecond (the kernel scans for recently deleted
# ones). As root, each target runs with a private tmpfs on /tmp (a mount
# namespace of its own: nothing outside sees it); else on /tmp as it is.
private_tmp=
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
    private_tmp=1
fi
run_target() {
    if [ -n "$private_tmp" ]; then
        unshare -m sh -c 'mount --make-rprivate / &&
            mount -t tmpfs -o size=1g relec-fuzz /tmp && exec "$@"' sh "$@"
    else
        "$@"
    fi
}
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    short=${name#fuzz_}
    case $short in *"${FUZZ_ONLY:-}"*) ;; *) continue ;; esac
    clang $CFLAGS -fsanitize=fuzzer -o "$out/$name" "$t" $objs $(pkg-config --libs $PKGS) -lcsv -lglpk -lm
    mkdir -p "$out/$short"
    echo "== $name: ${secs}s"
    # the CPU time too (GNU time, when there): inputs per CPU second hold
    # on a busy machine, where inputs per second fall with the load
    timed=
    [ -x /usr/bin/time ] && timed="/usr/bin/time -f %U+%S -o $out/$short.cpu"
    rm -f "$out/$short.cpu"
    # libxlsxwriter leaks a string per dropdown it writes (xlsxzip.c names
    # it for LeakSanitizer), so after every input with one libFuzzer ran
    # the input again and scanned the heap for leaks: half the workbook
    # targets' time. They check for leaks themselves every 1,024 inputs
    # (and LeakSanitizer at exit), so libFuzzer's own check is off.
    flags=
    case $short in workbook*) flags=-detect_leaks=0 ;; esac
    run_target $timed "$out/$name" $flags -max_total_time="$secs" -max_len=65536 \
        -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$out/$short-" \
        "$out/$short" "tests/fuzz/corpus-$short" >"$out/$short.log" 2>&1 || true
    grep -E '^(Done|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' \
        "$out/$short.log" || true
    runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' "$out/$short.log")
    cpu=$(tail -n 1 "$out/$short.cpu" 2>/dev/null | grep -E '^[0-9.]+\+[0-9.]+$' || true)
    if [ -n "$runs" ]; then
        echo "$runs ${cpu:-0+0} $(cut -d' ' -f1 /proc/loadavg)" | awk '{
            split($3, c, "+"); t = c[1] + c[2];
            printf "%s: %d inputs a second", n, $1 / $2;
            if (t > 0) printf ", %d per CPU second", $1 / t;
            printf " (load average %s)\n", $4 }' n="$name"
    fi
done
