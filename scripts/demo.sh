#!/usr/bin/env bash
# The main job on a bundled example: installs what is missing, builds, then
# runs the TensorRT cookbook's stride-2 deconvolution on the CPU and prints
# its 7x7 result (the seed prints the same matrix).
#
# The result alone goes to stdout; what the script is doing goes to stderr,
# one line per stage, the build's progress condensed by scripts/progress.sh
# (the first build takes several minutes). A failed build shows the
# compiler's errors. With everything built, one line precedes the result.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${DECONV_BUILD_DIR:-$root/build}"
shown="${build#"$root"/}/"
say() { echo "demo: $*" >&2; }

# setup.sh is quiet when nothing is missing; it says what it installs.
if [ -f "$build/build.ninja" ]; then
  "$root/scripts/setup.sh" >&2
else
  say "checking the packages the build needs (scripts/setup.sh installs what is missing)"
  "$root/scripts/setup.sh" >&2
  say "configuring $shown (CMake, Ninja, Release)"
fi
mkdir -p "$build"
DECONV_BUILD_DIR="$build" "$root/scripts/progress.sh" demo "$build/build.log" \
  "$root/scripts/build.sh"

example="examples/cookbook-stride.mlir"
if grep -qE '^\[[1-9][0-9]*/[0-9]+\] ' "$build/build.log"; then
  say "running $example on the CPU"
else
  say "$shown is up to date; running $example on the CPU"
fi
"$build/bin/deconv-run" "$root/$example" --target=cpu \
  --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9"
