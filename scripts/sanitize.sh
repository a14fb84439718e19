#!/usr/bin/env bash
# The project (not LLVM) built with AddressSanitizer and UndefinedBehavior-
# Sanitizer (clang), and its tests run there:
#
#   scripts/sanitize.sh [CTEST_REGEX]     (default: every test)
#
# Builds into build-asan/. Leak checking is on. OpenMP (the CPU target's JIT)
# runs one thread unless OMP_NUM_THREADS says otherwise: LeakSanitizer was
# reported to crash in processes whose OpenMP runtime keeps several worker
# threads. (On a 2-core machine the CPU target's unit tests also passed
# with two threads, three runs out of three.) The lit tests that compile
# hundreds of kernels with NVRTC (not instrumented, but every allocation
# goes through ASan) are much slower here than in the normal build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-asan"
"$root/scripts/setup.sh"
if ! command -v clang++-22 >/dev/null; then
  apt-get install -y clang-22 libclang-rt-22-dev >/dev/null
fi
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit >/dev/null
fi
cmake --build "$build"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# LLVM's allocator headers poison memory when compiled with ASan, and
# libMLIR.so, built without it, does not unpoison what it hands out: the
# suite reported use-after-poison inside MLIR's own attribute storage.
# User poisoning off; ASan's own checks stay.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allow_user_poisoning=0"
export UBSAN_OPTIONS="print_stacktrace=1"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" ${1:+-R "$1"}
