#!/usr/bin/env bash
# screenshots.sh: takes the README screenshots of the real viewer under a
# virtual X server, on the bundled sample study:
#
#   docs/screenshot-viewer.png     the viewer: bone window, a ruler
#                                  measurement, the value under the pointer
#   docs/screenshot-analysis.png   after Run model (R) and Next finding (N):
#                                  the heatmap overlay and the findings list
#   docs/screenshot-compare.png    a comparison (B) with a second sample
#                                  study, both in a thick slab (D, D)
#
# The analysis uses the model built into the binary when there is one
# (assets/model); otherwise, or with MODEL=test, it uses the band test
# network of inference/inferencetest (a test fixture that marks trabecular
# bone, not a lesion detector) and names the file
# docs/screenshot-analysis-testnet.png so it is not mistaken for the model.
# MODEL=DIR uses the bundle in DIR.
#
# Needs xvfb-run, xdotool and ImageMagick (scripts/setup.sh test). Builds
# bin/myeloview if missing. Leaves no process behind.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="/usr/local/go/bin:$PATH"
export MYELOVIEW_SCRIPTS="$root/scripts" # the inner scripts source viewer-window.sh from there
fail() { echo "screenshots: FAIL: $*" >&2; exit 1; }

for tool in xvfb-run xdotool import convert; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (run: scripts/setup.sh test)"
done
go build -o bin/myeloview . || fail "go build failed"

work="$(mktemp -d /tmp/myeloview-shots.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p docs "$work/home"

model_args=()
analysis_png="docs/screenshot-analysis.png"
model="${MODEL:-}"
if [[ -z "$model" && ! -f assets/model/model.json ]]; then
  model=test
fi
if [[ "$model" == test ]]; then
  go run ./ui/internal/testbundle "$work/bundle" || fail "writing the test bundle"
  model_args=(--model "$work/bundle" --provider cpu)
  analysis_png="docs/screenshot-analysis-testnet.png"
elif [[ -n "$model" ]]; then
  model_args=(--model "$model")
fi

cat >"$work/inner.sh" <<'INNER'
#!/usr/bin/env bash
set -euo pipefail
work="$1"; bin="$2"; viewer_png="$3"; analysis_png="$4"; shift 4
fail() { echo "screenshots: FAIL: $*" >&2; exit 1; }

source "$MYELOVIEW_SCRIPTS/viewer-window.sh"
start_viewer "$work/viewer.log" "$bin" "$@"
at() { echo "$((X + WIDTH * $1 / 1000)) $((Y + HEIGHT * $2 / 1000))"; }
window_shot() { import -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$1"; }

# Wait until the image is drawn.
for _ in $(seq 1 180); do
  import -window root -crop "$((WIDTH * 40 / 100))x$((HEIGHT * 60 / 100))+$((X + WIDTH * 30 / 100))+$((Y + HEIGHT * 18 / 100))" +repage "$work/probe.png"
  sd="$(convert "$work/probe.png" -colorspace Gray -format '%[fx:standard_deviation*1000]' info: | cut -d. -f1)"
  (( sd > 40 )) && break
  sleep 0.5
done
sleep 2

# A ruler across the vertebral body of the middle slice, then the pointer
# on the body for the HU readout.
xdotool mousemove $(at 500 574); sleep 0.2
xdotool key m; sleep 0.2
xdotool mousemove $(at 477 574) mousedown 1
for x in 485 495 505 515 528; do xdotool mousemove $(at $x 574); sleep 0.05; done
xdotool mouseup 1; sleep 0.2
xdotool key Escape
xdotool mousemove $(at 502 560); sleep 0.8
window_shot "$viewer_png"

# Run the model, wait for the findings list (the right panel's lower half
# changes when it fills), then go to the first finding with N.
panel() { import -window root -crop "$((WIDTH * 19 / 100))x$((HEIGHT * 35 / 100))+$((X + WIDTH * 805 / 1000))+$((Y + HEIGHT * 42 / 100))" +repage "$1"; }
panel "$work/p0.png"
xdotool key r
filled=""
for _ in $(seq 1 240); do
  grep -q "panic" "$work/viewer.log" && fail "the viewer crashed: $(tail -5 "$work/viewer.log")"
  sleep 1
  panel "$work/p1.png"
  diff="$(compare -metric AE -fuzz 2% "$work/p0.png" "$work/p1.png" null: 2>&1 | cut -d' ' -f1 | cut -d. -f1 || true)"
  if (( diff > 1500 )); then filled=1; break; fi
done
[[ -n "$filled" ]] || fail "no findings list after Run model (log: $(tail -3 "$work/viewer.log"))"
sleep 1
window_shot "$work/a.png"
xdotool key n; sleep 1.5
window_shot "$work/b.png"
diff="$(compare -metric AE -fuzz 2% "$work/a.png" "$work/b.png" null: 2>&1 | cut -d' ' -f1 | cut -d. -f1 || true)"
(( diff > 2000 )) || fail "Next finding (N) did not change the view"
xdotool mousemove $(at 502 300); sleep 0.8
window_shot "$analysis_png"
INNER
chmod +x "$work/inner.sh"

HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" MYELOVIEW_CACHE_DIR="$work/cache" LANG=C.UTF-8 \
  timeout 600 xvfb-run -a -s "-screen 0 1440x900x24" \
  "$work/inner.sh" "$work" "$root/bin/myeloview" "$root/docs/screenshot-viewer.png" "$root/$analysis_png" "${model_args[@]}" \
  || fail "see above"

# The comparison: the sample study beside a "prior" of another seed and
# 10 mm slices, both in an average slab of 20 mm asked (five of the 5 mm
# slices, three of the 10 mm ones).
"$root/bin/myeloview" sample --out "$work/current" >/dev/null || fail "sample (current)"
"$root/bin/myeloview" sample --out "$work/prior" --seed 7 --slices 60 >/dev/null || fail "sample (prior)"
cat >"$work/compare.sh" <<'INNER'
#!/usr/bin/env bash
set -euo pipefail
work="$1"; bin="$2"; png="$3"; shift 3
fail() { echo "screenshots: FAIL: $*" >&2; exit 1; }
source "$MYELOVIEW_SCRIPTS/viewer-window.sh"
start_viewer "$work/compare.log" "$bin" "$@"
at() { echo "$((X + WIDTH * $1 / 1000)) $((Y + HEIGHT * $2 / 1000))"; }
sleep 6
xdotool mousemove $(at 450 500); sleep 0.2
xdotool key b; sleep 1
xdotool key Return; sleep 4
xdotool key d; sleep 0.5; xdotool key d; sleep 1.5
xdotool mousemove $(at 330 560); sleep 0.8
import -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$png"
grep -q "panic" "$work/compare.log" && fail "the viewer crashed: $(tail -5 "$work/compare.log")"
true
INNER
chmod +x "$work/compare.sh"
mkdir -p "$work/home2" # a configuration of its own: no measurement kept from the first session
HOME="$work/home2" XDG_CONFIG_HOME="$work/home2/.config" MYELOVIEW_CACHE_DIR="$work/cache" LANG=C.UTF-8 \
  timeout 300 xvfb-run -a -s "-screen 0 1440x900x24" \
  "$work/compare.sh" "$work" "$root/bin/myeloview" "$root/docs/screenshot-compare.png" "$work/current" "$work/prior" \
  || fail "see above (comparison)"
echo "screenshots: wrote docs/screenshot-viewer.png, $analysis_png and docs/screenshot-compare.png"
