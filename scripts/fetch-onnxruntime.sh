#!/usr/bin/env bash
# fetch-onnxruntime.sh installs the pinned ONNX Runtime shared library that
# MyeloView's inference package loads at run time (github.com/yalue/onnxruntime_go
# v1.27.0 needs ORT >= 1.24.1, C API version 24).
#
# The only source used is the npm registry, through npm itself: the Linux x86-64
# library ships inside the onnxruntime-node package. `npm pack` only downloads the
# tarball; it runs no install scripts (we pass --ignore-scripts as well).
#
#   Result:  <repo>/third_party/onnxruntime/1.24.1/libonnxruntime.so.1
#
# Properties:
#   - idempotent and fast: if the installed library already has the pinned
#     sha256 the script prints its path and exits without touching the network;
#   - pinned: both the npm tarball and the extracted library are checked against
#     the sha256 values below; any mismatch stops the script with a one-line reason;
#   - no root needed: everything is written under the repository and a temp dir.
#
# Environment (optional):
#   ORT_NPM_TARBALL  path to an already downloaded onnxruntime-node-1.24.1.tgz;
#                    it is still verified against the pinned sha256.
set -euo pipefail

readonly ORT_VERSION="1.24.1"
readonly NPM_SPEC="onnxruntime-node@${ORT_VERSION}"
readonly TARBALL_SHA256="57181cf6e6e711b155c5b942d591fd63ded0b5de5c4922d51fd994e7f6ac2772"
readonly LIB_MEMBER="package/bin/napi-v6/linux/x64/libonnxruntime.so.1"
readonly LIB_SHA256="53ef1ac028dd1b05554b8da28d9159eb3876f99868193d2aaa6e67f0243c23d4"

die() {
	echo "fetch-onnxruntime: error: $*" >&2
	exit 1
}

sha256_of() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d' ' -f1
	else
		die "neither sha256sum nor shasum is installed; cannot verify downloads"
	fi
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/.." && pwd)"
dest_dir="${repo_root}/third_party/onnxruntime/${ORT_VERSION}"
dest="${dest_dir}/libonnxruntime.so.1"

# Fast path: already installed and intact.
if [[ -f "${dest}" ]]; then
	have="$(sha256_of "${dest}")"
	if [[ "${have}" == "${LIB_SHA256}" ]]; then
		echo "${dest}"
		exit 0
	fi
	echo "fetch-onnxruntime: ${dest} has sha256 ${have}, want ${LIB_SHA256}; reinstalling" >&2
fi

os="$(uname -s)"
arch="$(uname -m)"
if [[ "${os}" != "Linux" || ( "${arch}" != "x86_64" && "${arch}" != "amd64" ) ]]; then
	die "only Linux x86-64 is pinned (this is ${os} ${arch}); install ONNX Runtime ${ORT_VERSION} yourself and set MYELOVIEW_ORT_LIB"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/myeloview-ort.XXXXXX")"
trap 'rm -rf "${tmp}"' EXIT

if [[ -n "${ORT_NPM_TARBALL:-}" ]]; then
	[[ -f "${ORT_NPM_TARBALL}" ]] || die "ORT_NPM_TARBALL=${ORT_NPM_TARBALL} does not exist"
	tarball="${ORT_NPM_TARBALL}"
else
	command -v npm >/dev/null 2>&1 || die "npm is not installed; install Node.js/npm, or set ORT_NPM_TARBALL or MYELOVIEW_ORT_LIB"
	echo "fetch-onnxruntime: downloading ${NPM_SPEC} with npm pack" >&2
	name="$(cd "${tmp}" && npm pack "${NPM_SPEC}" --ignore-scripts --silent 2>"${tmp}/npm.err" | tail -n 1)" ||
		die "npm pack ${NPM_SPEC} failed: $(tr '\n' ' ' <"${tmp}/npm.err" | cut -c1-300)"
	tarball="${tmp}/${name}"
	[[ -f "${tarball}" ]] || die "npm pack ${NPM_SPEC} produced no tarball (got '${name}')"
fi

got="$(sha256_of "${tarball}")"
[[ "${got}" == "${TARBALL_SHA256}" ]] ||
	die "tarball ${tarball} sha256 mismatch: expected ${TARBALL_SHA256}, got ${got}"

tar -xzf "${tarball}" -C "${tmp}" "${LIB_MEMBER}" 2>"${tmp}/tar.err" ||
	die "tarball lacks ${LIB_MEMBER}: $(tr '\n' ' ' <"${tmp}/tar.err" | cut -c1-200)"

got="$(sha256_of "${tmp}/${LIB_MEMBER}")"
[[ "${got}" == "${LIB_SHA256}" ]] ||
	die "extracted libonnxruntime.so.1 sha256 mismatch: expected ${LIB_SHA256}, got ${got}"

mkdir -p "${dest_dir}"
# Install atomically so that a concurrent reader never sees a partial file.
staged="${dest}.partial.$$"
cp "${tmp}/${LIB_MEMBER}" "${staged}"
chmod 0755 "${staged}"
mv -f "${staged}" "${dest}"
echo "${dest}"
