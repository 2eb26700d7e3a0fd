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
version=2.5.0-2+deb12u3
orig_sha=007e19d772c8b6b22e35379630b06ff3549e49ba719d96453607a36ad7b4de73
debian_sha=36dedb0ca4c1659c173feac97c19b31985656f4cd112b1a4d54d54bc4133ad37
installed=$(dpkg-query -W -f '${Version}' libopenjp2-7)
if [ "$installed" != "$version" ]; then
    echo "j2k_profile.sh: libopenjp2-7 is $installed, this script is pinned to $version" >&2
    exit 1
fi
for tool in gcc patch perf valgrind cg_annotate; do
    command -v $tool >/dev/null || { echo "j2k_profile.sh: $tool not found" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/myeloview-j2k-profile.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Debian's source package, from the machine's own Debian mirror.
mkdir -p "$work/apt/lists/partial" "$work/apt/parts"
uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
cat > "$work/apt/parts/src.sources" <<SRC
Types: deb-src
URIs: ${uri:-http://deb.debian.org/debian}
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$work/apt/parts -o Dir::State::Lists=$work/apt/lists -o Debug::NoLocking=1"
apt-get $apt -qq update
(cd "$work" && apt-get $apt -qq source --download-only "openjpeg2=$version" 2>/dev/null)
echo "$orig_sha  $work/openjpeg2_2.5.0.orig.tar.xz" | sha256sum -c --quiet
echo "$debian_sha  $work/openjpeg2_$version.debian.tar.xz" | sha256sum -c --quiet
src=$work/openjpeg-2.5.0
tar -xf "$work/openjpeg2_2.5.0.orig.tar.xz" -C "$work"
tar -xf "$work/openjpeg2_$version.debian.tar.xz" -C "$src"
(cd "$src" && for p in $(cat debian/patches/series); do patch -s -p1 < "debian/patches/$p"; done)
lib=$src/src/lib/openjp2
printf '#define OPJ_HAVE_STDINT_H 1\n#define OPJ_VERSION_MAJOR 2\n#define OPJ_VERSION_MINOR 5\n#define OPJ_VERSION_BUILD 0\n' > "$lib/opj_config.h"
printf '#define OPJ_HAVE_INTTYPES_H 1\n#define OPJ_PACKAGE_VERSION "2.5.0"\n#define OPJ_HAVE_FSEEKO 1\n#define OPJ_HAVE_POSIX_MEMALIGN 1\n#if !defined(_POSIX_C_SOURCE)\n#define _POSIX_C_SOURCE 200112L\n#endif\n' > "$lib/opj_config_private.h"
sources() { ls "$1"/*.c | grep -v -E '/(bench_dwt|test_sparse_array|t1_generate_luts|t1_ht_generate_luts|opj_clock|cidx_manager|phix_manager|ppix_manager|thix_manager|tpix_manager)\.c$'; }
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
mkdir "$work/frames"
/usr/bin/python3 - "$repo/../shared/data/ct-totalseg-j2k" "$work/frames" <<'PY'
import glob, os, sys
import pydicom
from pydicom.encaps import generate_pixel_data_frame
paths = sorted(glob.glob(os.path.join(sys.argv[1], "CT.*")))
assert len(paths) == 20, "want 20 slices in %s, found %d" % (sys.argv[1], len(paths))
for i, p in enumerate(paths):
    ds = pydicom.dcmread(p)
    with open(os.path.join(sys.argv[2], "%02d.j2k" % i), "wb") as f:
        f.write(next(generate_pixel_data_frame(ds.PixelData)))
PY
frames=$(ls "$work"/frames/*.j2k)

echo "OpenJPEG $version, one thread, 20 slices, mean of 3 passes over the series:"
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
