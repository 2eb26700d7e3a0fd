#!/bin/sh
# j2k_tier1.sh: could a faster JPEG 2000 tier-1 (entropy) decoder reach the
# codecs issue's 2x? It rebuilds Debian's source of the installed OpenJPEG
# (bench/openjpeg_source.sh) with a hook that dumps every code-block it
# decodes from the 20-slice CT (../shared/data/ct-totalseg-j2k), then runs
# bench/j2k_tier1/harness: our independent tier-1 decoder
# (bench/j2k_tier1/t1fast.c) must reproduce OpenJPEG's output for every
# block, bit for bit, and both decoders are timed on the same blocks in one
# process, alternated, best of REPS (default 8).
# Needs root (apt-get), gcc, patch and Debian's pydicom; nothing is
# installed and nothing in the repository changes. Run on an otherwise idle
# machine; not part of CI.
set -eu
cd "$(dirname "$0")/.."
repo=$PWD
reps=${1:-8}
case $reps in ''|*[!0-9]*|0) echo "usage: j2k_tier1.sh [REPS]: REPS a positive number" >&2; exit 2 ;; esac
for tool in gcc patch apt-get; do
    command -v $tool >/dev/null || { echo "j2k_tier1.sh: $tool not found" >&2; exit 1; }
done
. "$repo/bench/openjpeg_source.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/myeloview-j2k-tier1.XXXXXX")
trap 'rm -rf "$work"' EXIT
openjpeg_source "$work"
here=$repo/bench/j2k_tier1
flags="-O2 -DMUTEX_pthread -DOPJ_STATIC"

# OpenJPEG with the dump hook, run once over the 20 slices.
cp -r "$lib" "$work/dump_src"
/usr/bin/python3 "$here/patch_t1.py" "$work/dump_src/t1.c" dump
gcc $flags -I"$work/dump_src" $(openjpeg_sources "$work/dump_src") "$repo/bench/j2k_profile_driver.c" -o "$work/dumper" -lm -lpthread
openjpeg_frames "$work/frames"
MYV_DUMP="$work/blocks.bin" "$work/dumper" 1 "$work"/frames/*.j2k >/dev/null

# OpenJPEG with the wrapper (its tier-1 on one block) beside t1fast.
cp -r "$lib" "$work/wrap_src"
/usr/bin/python3 "$here/patch_t1.py" "$work/wrap_src/t1.c" wrapper
mkdir "$work/obj"
(cd "$work/obj" && gcc $flags -c -I"$work/wrap_src" $(openjpeg_sources "$work/wrap_src"))
gcc -O2 -Wall "$here/t1fast.c" "$here/harness.c" "$work"/obj/*.o -o "$work/harness" -lm -lpthread
echo "OpenJPEG $openjpeg_version against t1fast, $(nproc) cores, one thread:"
"$work/harness" "$work/blocks.bin" "$reps"
