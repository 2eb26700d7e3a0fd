# openjpeg_source.sh: sourced by bench/j2k_profile.sh and bench/j2k_tier1.sh,
# which run under set -eu: a failing step stops them.
# openjpeg_source WORK fetches Debian's source of the installed libopenjp2-7
# through apt (the machine's own Debian mirror, the only registry used),
# checks it against pinned sha256 sums, unpacks and patches it under WORK,
# writes the two generated config headers, and sets $lib to the library's
# source folder. openjpeg_sources DIR lists the library's .c files (tools
# and tests left out). Needs root (apt-get) and patch.
# OpenJPEG sizes its decoder's thread pool from OPJ_NUM_THREADS; the
# measurements are of one thread, and the tier-1 dump hook is not
# thread-safe.
export OPJ_NUM_THREADS=1
openjpeg_version=2.5.0-2+deb12u3
openjpeg_orig_sha=007e19d772c8b6b22e35379630b06ff3549e49ba719d96453607a36ad7b4de73
openjpeg_debian_sha=36dedb0ca4c1659c173feac97c19b31985656f4cd112b1a4d54d54bc4133ad37

openjpeg_source() {
    oj_work=$1
    oj_installed=$(dpkg-query -W -f '${Version}' libopenjp2-7)
    if [ "$oj_installed" != "$openjpeg_version" ]; then
        echo "openjpeg_source: libopenjp2-7 is $oj_installed, the scripts are pinned to $openjpeg_version" >&2
        return 1
    fi
    mkdir -p "$oj_work/apt/lists/partial" "$oj_work/apt/parts"
    oj_uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    cat > "$oj_work/apt/parts/src.sources" <<SRC
Types: deb-src
URIs: ${oj_uri:-http://deb.debian.org/debian}
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    oj_apt="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$oj_work/apt/parts -o Dir::State::Lists=$oj_work/apt/lists -o Debug::NoLocking=1"
    apt-get $oj_apt -qq update
    (cd "$oj_work" && apt-get $oj_apt -qq source --download-only "openjpeg2=$openjpeg_version" 2>/dev/null)
    echo "$openjpeg_orig_sha  $oj_work/openjpeg2_2.5.0.orig.tar.xz" | sha256sum -c --quiet
    echo "$openjpeg_debian_sha  $oj_work/openjpeg2_$openjpeg_version.debian.tar.xz" | sha256sum -c --quiet
    oj_src=$oj_work/openjpeg-2.5.0
    tar -xf "$oj_work/openjpeg2_2.5.0.orig.tar.xz" -C "$oj_work"
    tar -xf "$oj_work/openjpeg2_$openjpeg_version.debian.tar.xz" -C "$oj_src"
    (cd "$oj_src" && for p in $(cat debian/patches/series); do patch -s -p1 < "debian/patches/$p"; done)
    lib=$oj_src/src/lib/openjp2
    printf '#define OPJ_HAVE_STDINT_H 1\n#define OPJ_VERSION_MAJOR 2\n#define OPJ_VERSION_MINOR 5\n#define OPJ_VERSION_BUILD 0\n' > "$lib/opj_config.h"
    printf '#define OPJ_HAVE_INTTYPES_H 1\n#define OPJ_PACKAGE_VERSION "2.5.0"\n#define OPJ_HAVE_FSEEKO 1\n#define OPJ_HAVE_POSIX_MEMALIGN 1\n#if !defined(_POSIX_C_SOURCE)\n#define _POSIX_C_SOURCE 200112L\n#endif\n' > "$lib/opj_config_private.h"
}

openjpeg_sources() {
    ls "$1"/*.c | grep -v -E '/(bench_dwt|test_sparse_array|t1_generate_luts|t1_ht_generate_luts|opj_clock|cidx_manager|phix_manager|ppix_manager|thix_manager|tpix_manager)\.c$'
}

# openjpeg_frames DIR: one raw codestream per slice of the 20-slice JPEG
# 2000 CT in ../shared/data/ct-totalseg-j2k, written to DIR as NN.j2k
# (Debian's pydicom).
openjpeg_frames() {
    mkdir -p "$1"
    /usr/bin/python3 - "$repo/../shared/data/ct-totalseg-j2k" "$1" <<'PY'
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
}
