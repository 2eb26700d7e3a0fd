#!/bin/sh
# run.sh runs the project's benchmarks; BENCHMARKS.md records their figures
# with the machine they ran on. Run on an otherwise idle machine.
#
#   bench/run.sh                 decoding, display and inference benchmarks
#   SERIES500=1 bench/run.sh     plus the 500-slice 512² series runs
set -eu
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
bt="${BENCHTIME:-10x}"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== dicomio: native decode, scan and load"
if [ "${SERIES500:-0}" = 1 ]; then pattern='ReadFrame|Sample500'; else pattern='ReadFrame'; fi
go test -run '^$' -bench "$pattern" -benchtime "$bt" ./dicomio/ | grep -E '^Benchmark'
echo "== codecs: per-frame decode"
go test -run '^$' -bench . -benchtime "$bt" ./codec/... | grep -E '^(Benchmark|pkg:)'
echo "== render: frame path (W/L LUT + conversion to RGBA)"
go test -run '^$' -bench 'RenderRGBA|NewGreyLUT' -benchtime 200x ./render/ | grep -E '^Benchmark'
echo "== ui: viewport refresh (frame -> window -> RGBA -> device-pixel view) and blit"
go test -run '^$' -bench 'ViewportRefresh|Blit' -benchtime 200x ./ui/ | grep -E '^Benchmark'
if [ -f bench/j2k_pydicom.py ]; then
  echo "== pydicom+GDCM reference on the same J2K series"
  /usr/bin/python3 bench/j2k_pydicom.py
fi
echo "== inference"
./bench/inference.sh
