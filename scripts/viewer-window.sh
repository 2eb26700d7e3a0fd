# viewer-window.sh: sourced by the scripts that drive the real viewer under
# a virtual X server (e2e.sh, screenshots.sh), inside xvfb-run.
#
# start_viewer LOG COMMAND...: starts the viewer (COMMAND, its output in
# LOG), arranges for it to be stopped when the calling script exits, and
# waits up to 60 s for its window. Sets pid and the window's X, Y, WIDTH
# and HEIGHT. The caller defines fail MESSAGE.
start_viewer() {
  local log="$1" wid=""
  shift
  "$@" >"$log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || fail "the viewer exited early (log: $log): $(tail -5 "$log")"
    wid="$(xdotool search --name '^MyeloView' 2>/dev/null | head -1 || true)"
    [[ -n "$wid" ]] && break
    sleep 0.5
  done
  [[ -n "$wid" ]] || fail "no MyeloView window appeared within 60 s (log: $log)"
  eval "$(xdotool getwindowgeometry --shell "$wid")" # X Y WIDTH HEIGHT
}
