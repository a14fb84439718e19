#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (the lit suite, one ctest test per file, and the GoogleTest unit tests),
# then the unit tests and a representative part of the lit suite again in a
# build with ASan and UBSan (scripts/sanitize.sh --ci; DECONV_SANITIZE=0
# skips that stage).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${DECONV_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
DECONV_BUILD_DIR="$build" "$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
if [ "${DECONV_SANITIZE:-1}" != 0 ]; then
  "$root/scripts/sanitize.sh" --ci
fi
