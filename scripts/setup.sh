#!/usr/bin/env bash
# setup.sh installs what MyeloView needs on a Debian 12 machine, idempotently
# and quickly when everything is already there. Run as root or with sudo.
#
#   scripts/setup.sh run     build and run the viewer (Fyne build packages,
#                            codec libraries, the ONNX Runtime library)
#   scripts/setup.sh test    everything `run` needs, plus the test tools
#                            (Xvfb, xdotool, pydicom, numpy, GDCM, dcmtk,
#                            dicom3tools' dciodvfy)
#   scripts/setup.sh train   everything `test` needs, plus PyTorch and ONNX
#                            for training the reference model (about 1.3 GB)
#
# Only Debian's apt, the Go module proxy and the npm registry are used.
set -euo pipefail

mode="${1:-run}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Fyne (OpenGL, X11) and the cgo codecs (OpenJPEG, CharLS).
run_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev libopenjp2-7-dev libcharls-dev)
# A real window under Xvfb, screenshots, and the reference decoders.
test_pkgs=(xvfb xauth xdotool x11-apps imagemagick python3-pydicom python3-numpy python3-gdcm dcmtk dicom3tools)
train_pkgs=(python3-torch python3-onnx python3-scipy python3-nibabel)

want=("${run_pkgs[@]}")
case "$mode" in
run) ;;
test) want+=("${test_pkgs[@]}") ;;
train) want+=("${test_pkgs[@]}" "${train_pkgs[@]}") ;;
*) echo "usage: scripts/setup.sh run|test|train" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches the ONNX Runtime library. Any npm will do: a machine may have
# Node.js from outside Debian, whose npm Debian's package would conflict with.
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# Go: the project needs Go 1.24 or later (go.mod); a newer toolchain is
# fetched by the go command itself through the module proxy if needed.
if ! command -v go >/dev/null; then
  if [[ -x /usr/local/go/bin/go ]]; then
    export PATH="/usr/local/go/bin:$PATH"
  else
    echo "setup: Go is not installed; install Go 1.24 or later in /usr/local/go (https://go.dev/doc/install)" >&2
    exit 1
  fi
fi

# The ONNX Runtime shared library, pinned and checksummed, from npm.
"$here/fetch-onnxruntime.sh" >/dev/null
