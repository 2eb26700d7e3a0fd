#!/usr/bin/env bash
# e2e.sh: end-to-end test of the real viewer binary under a virtual X
# server. It starts bin/myeloview (built first if missing) with no path, so
# it generates and opens the bundled sample study, takes a screenshot,
# checks that the image area is not blank, presses Page Down and checks
# that the image changed (another slice is shown), then that a quarter
# turn and a thick slab change it too. With ../shared/data
# beside the checkout it also opens a real MR whose overlay plane marks a
# lesion, checks that the plane is drawn, and that G hides it.
#
# Needs xvfb-run, xdotool and ImageMagick (scripts/setup.sh test installs
# them). Exits non-zero with a message saying what failed; leaves no
# process behind. Screenshots and the viewer's log are kept in $E2E_OUT
# (default: a temporary folder, printed at the end).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="/usr/local/go/bin:$PATH"
export MYELOVIEW_SCRIPTS="$root/scripts" # the inner scripts source viewer-window.sh from there

fail() { echo "e2e: FAIL: $*" >&2; exit 1; }

for tool in xvfb-run xdotool import convert compare; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (run: scripts/setup.sh test)"
done
# Build (a no-op when bin/myeloview is up to date; the first build of
# Fyne's cgo code takes minutes) so the test never runs a stale binary.
[[ -x bin/myeloview ]] || echo "e2e: building bin/myeloview (the first build takes a few minutes)" >&2
go build -o bin/myeloview . || fail "go build failed"

out="${E2E_OUT:-$(mktemp -d /tmp/myeloview-e2e.XXXXXX)}"
mkdir -p "$out"
work="$(mktemp -d /tmp/myeloview-e2e-home.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# The inner script runs inside xvfb-run, which stops the X server when it
# returns; the inner trap stops the viewer first.
cat >"$work/inner.sh" <<'INNER'
#!/usr/bin/env bash
set -euo pipefail
out="$1"; bin="$2"
fail() { echo "e2e: FAIL: $*" >&2; exit 1; }

source "$MYELOVIEW_SCRIPTS/viewer-window.sh"
start_viewer "$out/viewer.log" "$bin"

# The viewport is the middle of the window (browser on the left, overlay
# panel on the right): check a region well inside it.
cw=$((WIDTH * 40 / 100)); ch=$((HEIGHT * 60 / 100))
cx=$((X + WIDTH * 30 / 100)); cy=$((Y + HEIGHT * 18 / 100))
crop="${cw}x${ch}+${cx}+${cy}"
shot() { import -window root "$1"; convert "$1" -crop "$crop" +repage "$2"; }
spread() { convert "$1" -colorspace Gray -format '%[fx:standard_deviation*1000]' info: | cut -d. -f1; }

# Wait for the sample study to be generated, loaded and drawn.
sd=0
for _ in $(seq 1 180); do
  kill -0 "$pid" 2>/dev/null || fail "the viewer exited while loading (log: $out/viewer.log)"
  shot "$out/before-full.png" "$out/before.png"
  sd="$(spread "$out/before.png")"
  (( sd > 40 )) && break
  sleep 0.5
done
(( sd > 40 )) || fail "the viewport stayed blank for 90 s (grey-level spread ${sd}/1000; see $out/before-full.png)"
echo "e2e: viewport not blank (grey-level spread ${sd}/1000)"

# The pointer over the image gives the window the keyboard (no window
# manager: focus follows the pointer). Then wait until the view is
# steady, so that a change after the key press is the key's doing.
xdotool mousemove "$((cx + cw / 2))" "$((cy + ch / 2))"
steady=0
for _ in $(seq 1 40); do
  sleep 0.5
  shot "$out/before-full.png" "$out/before.png"
  sleep 0.5
  shot "$out/steady-full.png" "$out/steady.png"
  moved="$(compare -metric AE -fuzz 2% "$out/before.png" "$out/steady.png" null: 2>&1 | cut -d' ' -f1 | cut -d. -f1 || true)"
  if (( moved < 50 )); then steady=1; break; fi
done
(( steady )) || fail "the viewport kept changing without input (see $out/before-full.png, $out/steady-full.png)"

# Keys that must change the image: Page Down (ten slices on), then a
# quarter turn (.), then a thick slab (D twice: an average over 20 mm,
# five of the sample's 5 mm slices). Each is compared with the view before
# it.
changes() { # $1: what, rest: keys
  local what="$1"; shift
  xdotool key "$@"
  changed=0
  for _ in $(seq 1 20); do
    sleep 0.25
    shot "$out/after-full.png" "$out/after.png"
    changed="$(compare -metric AE -fuzz 2% "$out/before.png" "$out/after.png" null: 2>&1 | cut -d' ' -f1 | cut -d. -f1 || true)"
    (( changed > 500 )) && break
  done
  (( changed > 500 )) || fail "the image did not change after $what (${changed} pixels differ; see $out/before-full.png and $out/after-full.png)"
  cp "$out/after-full.png" "$out/$(echo "$what" | tr -c 'a-z0-9\n' '-').png"
  echo "e2e: $what changed ${changed} pixels of the viewport"
  kill -0 "$pid" 2>/dev/null || fail "the viewer exited after $what (log: $out/viewer.log)"
  cp "$out/after.png" "$out/before.png"
  cp "$out/after-full.png" "$out/before-full.png"
}
changes "Page Down" Page_Down
changes "a quarter turn" period
changes "a 20 mm slab" d d
INNER
chmod +x "$work/inner.sh"

mkdir -p "$work/home"
HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" MYELOVIEW_CACHE_DIR="$work/cache" LANG=C.UTF-8 \
  timeout 300 xvfb-run -a -s "-screen 0 1440x900x24" "$work/inner.sh" "$out" "$root/bin/myeloview" \
  || fail "see above (screenshots and log in $out)"

# DICOM overlay planes in the real window: a Siemens MR whose overlay marks
# a lesion (../shared/data, when present). Its plane is drawn in the overlay
# colour (render.OverlayPlaneColour, 90 200 255), and G hides it.
mr="$root/../shared/data/pydicom-data/MR-SIEMENS-DICOM-WithOverlays.dcm"
if [[ -f "$mr" ]]; then
  cat >"$work/overlay.sh" <<'INNER'
#!/usr/bin/env bash
set -euo pipefail
out="$1"; bin="$2"; file="$3"
fail() { echo "e2e: FAIL: $*" >&2; exit 1; }
source "$MYELOVIEW_SCRIPTS/viewer-window.sh"
start_viewer "$out/viewer-overlay.log" "$bin" "$file"
crop="$((WIDTH * 58 / 100))x$((HEIGHT * 80 / 100))+$((X + WIDTH * 21 / 100))+$((Y + HEIGHT * 10 / 100))"
# pixels of exactly the overlay colour in the viewport
blue() { import -window root "$1"; convert "$1" -crop "$crop" +repage -fill black +opaque 'rgb(90,200,255)' -fill white -opaque 'rgb(90,200,255)' -format '%[fx:int(mean*w*h+0.5)]' info:; }
n=0
for _ in $(seq 1 60); do
  sleep 0.5
  n="$(blue "$out/overlay-on.png")"
  (( n > 100 )) && break
done
(( n > 100 )) || fail "no overlay plane drawn on the MR (${n} pixels of its colour; see $out/overlay-on.png)"
echo "e2e: overlay plane drawn (${n} pixels)"
xdotool mousemove "$((X + WIDTH / 2))" "$((Y + HEIGHT / 2))"
sleep 0.5
xdotool key g
m="$n"
for _ in $(seq 1 20); do
  sleep 0.25
  m="$(blue "$out/overlay-off.png")"
  (( m == 0 )) && break
done
(( m == 0 )) || fail "G did not hide the overlay plane (${m} pixels left; see $out/overlay-off.png)"
echo "e2e: G hid the overlay plane"
INNER
  chmod +x "$work/overlay.sh"
  HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" MYELOVIEW_CACHE_DIR="$work/cache" LANG=C.UTF-8 \
    timeout 300 xvfb-run -a -s "-screen 0 1440x900x24" "$work/overlay.sh" "$out" "$root/bin/myeloview" "$mr" \
    || fail "see above (screenshots and log in $out)"
else
  echo "e2e: overlay-plane check skipped: $mr not found (../shared/data is absent)"
fi
echo "e2e: PASS (screenshots and log in $out)"
