#!/bin/sh
# j2k.sh: decode time per slice of the 20-slice JPEG 2000 CT
# (../shared/data/ct-totalseg-j2k), ours (a series load, frames decoded in
# parallel on every core, as the viewer loads it) against pydicom+GDCM
# (one slice after another, as a pydicom script decodes a series), in the
# same run, and their ratio. Run on an otherwise idle machine.
set -eu
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
ours=$(go test -run '^$' -bench 'LoadJ2KSeries' -benchtime 20x ./dicomio/ | awk '/ms\/slice/ {for (i=1;i<=NF;i++) if ($(i+1)=="ms/slice") print $i}')
theirs=$(/usr/bin/python3 bench/j2k_pydicom.py | awk '/mean/ {for (i=1;i<=NF;i++) if ($i=="mean") print $(i+1)}')
echo "cores: $(nproc)"
echo "myeloview (dicomio Series.Load, parallel): ${ours} ms/slice"
echo "pydicom $(/usr/bin/python3 -c 'import pydicom; print(pydicom.__version__)') + GDCM (sequential):   ${theirs} ms/slice"
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "speed-up: %.2fx\n", b / a }'
