#!/usr/bin/env bash
# The main job on a bundled example: installs what is missing, builds, then
# runs the TensorRT cookbook's stride-2 deconvolution on the CPU and prints
# its 7x7 result (the seed prints the same matrix).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${DECONV_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
DECONV_BUILD_DIR="$build" "$root/scripts/build.sh" >/dev/null
"$build/bin/deconv-run" "$root/examples/cookbook-stride.mlir" --target=cpu \
  --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9"
