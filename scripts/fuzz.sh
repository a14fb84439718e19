#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (clang), beyond the short runs of
# the seed corpus that every build's tests make (ctest -R fuzz/):
#
#   scripts/fuzz.sh [TARGET...] [--runs=N] [--seconds=S]
#
# TARGET: npy, inline-tensor, plan, size-expression (the runtime's parsers,
# quick to build) and ir (the compiler's front: builds the whole project
# with clang, slow). Default: the four runtime targets, 1,000,000 runs each.
# Builds into build-fuzz/ with ASan and UBSan, fuzzes a copy of each seed
# corpus (fuzz/corpus/TARGET) in build-fuzz/corpus/TARGET, and prints each
# target's executions, executions per second and corpus size. A crash
# leaves its input as build-fuzz/crash-* and fails the script.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-fuzz"
targets=()
runs=1000000
seconds=0
for argument in "$@"; do
  case "$argument" in
    --runs=*) runs="${argument#--runs=}" ;;
    --seconds=*) seconds="${argument#--seconds=}" ;;
    npy|inline-tensor|plan|size-expression|ir) targets+=("$argument") ;;
    *) echo "fuzz.sh: unknown argument '$argument'" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(npy inline-tensor plan size-expression)

"$root/scripts/setup.sh"
clang="$(command -v clang++-22 || true)"
if [ -z "$clang" ] || [ ! -d /usr/lib/llvm-22/lib/clang ]; then
  apt-get install -y clang-22 libclang-rt-22-dev >/dev/null
  clang="$(command -v clang++-22)"
fi
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER="${clang%++-22}-22" -DCMAKE_CXX_COMPILER="$clang" \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DDECONV_FUZZ=ON >/dev/null
fi
cmake --build "$build" --target $(printf 'deconv-fuzz-%s ' "${targets[@]}")

status=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  log="$build/fuzz-$target.log"
  limits=(-runs="$runs")
  [ "$seconds" = 0 ] || limits+=(-max_total_time="$seconds")
  start=$(date +%s)
  if ! (cd "$build" && ASAN_OPTIONS=detect_leaks=1 \
        "$build/bin/deconv-fuzz-$target" "${limits[@]}" -print_final_stats=1 \
        -artifact_prefix="$build/crash-$target-" "$corpus" \
        "$root/fuzz/corpus/$target" >"$log" 2>&1); then
    echo "$target: FAILED (log: $log)"; status=1; continue
  fi
  elapsed=$(( $(date +%s) - start ))
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  echo "$target: $executed runs in ${elapsed} s ($rate runs/s), corpus $(ls "$corpus" | wc -l) inputs"
done
exit $status
