# Sourced by bench scripts: run LABEL CMD... times CMD with /usr/bin/time
# into $D/LABEL.t ("wall_s peak_kb user_s sys_s"), its output into
# $D/LABEL.out and $D/LABEL.err; a failure stops the bench with the tail
# of its stderr. Needs D (the bench's temporary folder) and BENCH (its
# name, for the message).
run() {
    label=$1; shift
    if ! /usr/bin/time -f '%e %M %U %S' -o "$D/$label.t" "$@" >"$D/$label.out" 2>"$D/$label.err"; then
        echo "$BENCH: '$label' failed:" >&2
        tail -n 5 "$D/$label.err" >&2
        exit 1
    fi
}
