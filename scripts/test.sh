#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (the lit suite, one ctest test per file, and the GoogleTest unit tests).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${DECONV_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
DECONV_BUILD_DIR="$build" "$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
