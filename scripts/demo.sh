#!/usr/bin/env bash
# The main job on a bundled example: installs what is missing, builds, then
# parses and verifies examples/cookbook-stride.mlir and prints it back.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${DECONV_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
DECONV_BUILD_DIR="$build" "$root/scripts/build.sh" >/dev/null
"$build/bin/deconv-opt" "${1:-$root/examples/cookbook-stride.mlir}"
