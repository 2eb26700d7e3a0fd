#!/bin/sh
# j2k_profile.sh: where OpenJPEG spends the time when it decodes the
# 20-slice JPEG 2000 CT (../shared/data/ct-totalseg-j2k) on one thread, the
# measurement behind BENCHMARKS.md's "Why not 2x". It fetches Debian's
# source of the installed libopenjp2-7 through apt (the only registry it
# uses), checks it against pinned sha256 sums, builds it twice (-O2 -g as
# Debian does, and -O3), and prints:
#   - ms/frame of the system library and of both rebuilds, alternated;
#   - perf's share of the time per function of the -O2 -g rebuild;
#   - the MQ decisions per frame in each coding pass (a counter patched
#     into a third copy);
#   - cachegrind's simulated branch mispredictions per function (one pass).
# Needs root (apt-get), gcc, patch, perf (Debian linux-perf), valgrind and Debian's
# pydicom; nothing is installed and nothing in the repository changes.
# Run on an otherwise idle machine; not part of CI.
set -eu
cd "$(dirname "$0")/.."
repo=$PWD
. "$repo/bench/openjpeg_source.sh"
for tool in gcc patch perf valgrind cg_annotate; do
    command -v $tool >/dev/null || { echo "j2k_profile.sh: $tool not found" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/myeloview-j2k-profile.XXXXXX")
trap 'rm -rf "$work"' EXIT

openjpeg_source "$work"
sources() { openjpeg_sources "$1"; }
driver=$repo/bench/j2k_profile_driver.c

# A copy with a counter of MQ decisions, by coding pass.
cp -r "$lib" "$work/counted_src"
sed -i -e '/#define opj_mqc_decode_macro/i extern unsigned long myv_symbols[3]; extern int myv_pass;' \
    -e '/#define opj_mqc_decode_macro/,/^}/ s/a -= (\*curctx)->qeval;/myv_symbols[myv_pass]++; &/' "$work/counted_src/mqc_inl.h"
sed -i 's/^\( *\)switch (passtype) {/\1myv_pass = (int)passtype;\n&/' "$work/counted_src/t1.c"

build() { # name dir flags...
    name=$1 dir=$2
    shift 2
    gcc "$@" -DMUTEX_pthread -DOPJ_STATIC -I"$dir" $(sources "$dir") "$driver" -o "$work/$name" -lm -lpthread
}
gcc -O2 -I/usr/include/openjpeg-2.5 "$driver" -o "$work/system" -lopenjp2
build rebuilt_O2g "$lib" -O2 -g
build rebuilt_O3 "$lib" -O3
build counted "$work/counted_src" -O2 -DMYV_COUNT

# The codestreams, one per slice.
openjpeg_frames "$work/frames"
frames=$(ls "$work"/frames/*.j2k)

echo "OpenJPEG $openjpeg_version, one thread, 20 slices, mean of 3 passes over the series:"
for round in 1 2 3; do
    for name in system rebuilt_O2g rebuilt_O3; do
        echo "  round $round, $name: $("$work/$name" 3 $frames)"
    done
done
echo "Where the time goes (perf, rebuilt -O2 -g, share of samples):"
perf record -q -o "$work/perf.data" "$work/rebuilt_O2g" 10 $frames >/dev/null 2>&1
perf report -q -i "$work/perf.data" --no-children --sort symbol --stdio 2>/dev/null | grep '%' | head -12
echo "MQ decisions (patched copy):"
"$work/counted" 1 $frames
echo "Branches (cachegrind's simulated predictor, rebuilt -O2 -g, one pass over the 20 slices; divide by 20 per slice):"
valgrind -q --tool=cachegrind --cache-sim=no --branch-sim=yes --cachegrind-out-file="$work/cg.out" "$work/rebuilt_O2g" 1 $frames >/dev/null
cg_annotate --show=Ir,Bc,Bcm --sort=Bcm "$work/cg.out" 2>/dev/null | grep -E 'PROGRAM TOTALS|t1\.c:' | head -7
