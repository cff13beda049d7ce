# Outputs never destroy (issue 14, items 1, 2 and 4): a device, FIFO or
# symbolic link is written through, never replaced; no output goes over a
# file the run reads (data, schema, code list, map, stdin, --ref), told by
# device and inode and with no limit on how many; temporary files go when
# the run is killed; a run that ends with exit 3 leaves no output.
. tests/testlib.sh
cp -r schemas $T/schemas
S=$T/schemas/incident.yaml
IN=$T/in.csv
cp examples/incident.csv $IN
exists_tmp() { ls -a "$1" | grep -q '\.tmp-'; }
$RELEC validate -q -s $S $IN --valid $T/ref.csv

# devices of our own (as root), so that a fault cannot break the system's
if mknod -m 666 $T/null c 1 3 2>/dev/null && mknod -m 666 $T/full c 1 7; then
    NULL=$T/null FULL=$T/full
else
    NULL=/dev/null FULL=/dev/full # not root: the run cannot replace them
fi

# a device, and a symbolic link to one: the device is written, never
# replaced, and the link stays
$RELEC validate -q -s $S $IN --valid $NULL 2>$T/err
check "--valid to a null device exits 0" [ $? -eq 0 ]
check "the null device is still a character device" [ -c $NULL ]
ln -s $NULL $T/null-link
$RELEC validate -q -s $S $IN --valid $T/null-link 2>$T/err
check "--valid through a link to a null device exits 0" [ $? -eq 0 ]
check "the link to the null device is still a link" [ -L $T/null-link ]
check "the null device is still a character device after that" [ -c $NULL ]

# a link to a full device: the write fails with exit 4, the link stays
ln -s $FULL $T/full.csv
$RELEC validate -q -s $S $IN --report $T/full.csv 2>$T/err
check "--report through a link to /dev/full exits 4" [ $? -eq 4 ]
check "it says no space" grep -q "No space left on device" $T/err
check "the link to the full device is still a link" [ -L $T/full.csv ]
check "the full device is still a character device" [ -c $FULL ]
check "no temporary file is left beside it" sh -c "! ls -a $T | grep -q '\.full\.csv\.tmp'"

# a link to a regular file: the file gets the output, the link stays
echo old >$T/real.csv
ln -s real.csv $T/link.csv
$RELEC validate -q -s $S $IN --valid $T/link.csv 2>$T/err
check "--valid through a link exits 0" [ $? -eq 0 ]
check "the link is still a link" [ -L $T/link.csv ]
check "the file it names holds the valid rows" cmp -s $T/real.csv $T/ref.csv

# a FIFO: its reader gets the rows, the FIFO stays
mkfifo $T/fifo
timeout 20 cat $T/fifo >$T/from-fifo &
reader=$!
$RELEC validate -q -s $S $IN --valid $T/fifo 2>$T/err
check "--valid to a FIFO exits 0" [ $? -eq 0 ]
wait $reader
check "the FIFO's reader got the valid rows" cmp -s $T/from-fifo $T/ref.csv
check "the FIFO is still a FIFO" [ -p $T/fifo ]

# a directory or a dangling link: exit 4 before any work
mkdir $T/dir
$RELEC validate -q -s $S $IN --valid $T/dir 2>$T/err
check "--valid to a directory exits 4" [ $? -eq 4 ]
check "it says it is a directory" grep -q "it is a directory" $T/err
ln -s $T/nowhere/x.csv $T/dangling.csv
$RELEC validate -q -s $S $IN --valid $T/dangling.csv 2>$T/err
check "--valid to a dangling link exits 4" [ $? -eq 4 ]
check "the dangling link stays" [ -L $T/dangling.csv ]

# inputs that are not data files
cp $S $T/before.yaml
$RELEC validate -q -s $S $IN --valid $S 2>$T/err
check "--valid over the schema exits 4" [ $? -eq 4 ]
check "the schema is unchanged" cmp -s $S $T/before.yaml
check "it names the refusal" grep -q "refusing to write" $T/err
C=$T/schemas/codes/offence_type.yaml
cp $C $T/before-codes.yaml
$RELEC validate -q -s $S $IN --valid $C 2>$T/err
check "--valid over a code list exits 4" [ $? -eq 4 ]
check "the code list is unchanged" cmp -s $C $T/before-codes.yaml
cp examples/maps/pak-fia.yaml $T/map.yaml
sed -i "s#^schema: .*#schema: $T/schemas/incident.yaml#" $T/map.yaml
cp $T/map.yaml $T/before-map.yaml
$RELEC merge -q --map $T/map.yaml examples/national/pak-fia-2025-03.csv -o $T/map.yaml 2>$T/err
check "merge -o over its map exits 4" [ $? -eq 4 ]
check "the map is unchanged" cmp -s $T/map.yaml $T/before-map.yaml
cp $IN $T/stdin.csv
$RELEC validate -q -s $S - --valid $T/stdin.csv <$T/stdin.csv 2>$T/err
check "--valid over the file behind stdin exits 4" [ $? -eq 4 ]
check "the file behind stdin is unchanged" cmp -s $T/stdin.csv $IN
(cd $T && $RELEC validate -q -s $S ./in.csv --valid in.csv 2>err)
check "--valid over ./in.csv spelt in.csv exits 4" [ $? -eq 4 ]
ln -s in.csv $T/in-link.csv
$RELEC validate -q -s $S $T/in-link.csv --valid $IN 2>$T/err
check "--valid over an input read through a link exits 4" [ $? -eq 4 ]
check "that input is unchanged" cmp -s $IN examples/incident.csv

# no fixed cap: the 300th of 300 inputs is guarded
mkdir $T/many
i=0
while [ $i -lt 300 ]; do cp $IN $T/many/$i.csv; i=$((i + 1)); done
$RELEC validate -q -s $S $T/many/*.csv --valid $T/many/299.csv 2>$T/err
check "--valid over the last of 300 inputs exits 4" [ $? -eq 4 ]
check "the last of 300 inputs is unchanged" cmp -s $T/many/299.csv $IN

# a run that ends with exit 3 leaves no output
$RELEC validate -q -s $S $IN $T/missing.csv --valid $T/v3.csv --rejects $T/r3.csv --report $T/f3.csv 2>$T/err
check "a missing second input exits 3" [ $? -eq 3 ]
check "no --valid, --rejects or --report is left" sh -c "! ls $T/v3.csv $T/r3.csv $T/f3.csv 2>/dev/null"
$RELEC merge -q --map examples/maps/pak-fia.yaml $T/missing.csv -o $T/m3.csv --rejects $T/mr3.csv 2>$T/err
check "merge of a missing input exits 3" [ $? -eq 3 ]
check "merge leaves no -o or --rejects" sh -c "! ls $T/m3.csv $T/mr3.csv 2>/dev/null"
$RELEC merge -q --map examples/maps/pak-fia.yaml examples/national/pak-fia-2025-03.csv --rejects examples/national/pak-fia-2025-03.csv >$T/out 2>$T/err
check "merge --rejects over its input exits 4" [ $? -eq 4 ]
check "and writes nothing to stdout" [ ! -s $T/out ]

# killed runs leave no temporary file; stdin stays open so the run waits
for sig in TERM INT HUP PIPE; do
    mkdir $T/sig-$sig
    mkfifo $T/sig-$sig/feed
    (cat $IN; sleep 30) >$T/sig-$sig/feed &
    feeder=$!
    env --default-signal=$sig $RELEC validate -q -s $S - --valid $T/sig-$sig/v.csv <$T/sig-$sig/feed 2>/dev/null &
    pid=$!
    n=0
    while ! exists_tmp $T/sig-$sig && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    check "SIG$sig: a temporary file exists while the run works" exists_tmp $T/sig-$sig
    kill -$sig $pid
    wait $pid 2>/dev/null
    rc=$?
    kill $feeder 2>/dev/null
    check "SIG$sig: the run dies of the signal (exit $rc)" [ $rc -gt 128 ]
    check "SIG$sig: no temporary file is left" sh -c "! ls -a $T/sig-$sig | grep -q '\.tmp-'"
done
finish
