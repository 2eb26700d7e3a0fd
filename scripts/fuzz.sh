#!/usr/bin/env bash
# fuzz.sh runs every `go test -fuzz` target of the project for a while each
# (default 30s): the parsers and decoders that read untrusted files.
#   scripts/fuzz.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30s}"
status=0
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "== $pkg $target ($duration)"
    if ! go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$duration"; then
      status=1
    fi
  done
done
exit $status
