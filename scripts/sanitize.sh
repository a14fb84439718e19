#!/usr/bin/env bash
# The project (not LLVM) built with AddressSanitizer and UndefinedBehavior-
# Sanitizer (clang), and its tests run there:
#
#   scripts/sanitize.sh [CTEST_REGEX]     (default: every test)
#   scripts/sanitize.sh --ci              (the part the test command runs)
#
# --ci runs every unit test and fuzz target and a representative part of
# the lit suite: the dialect's round trips and errors, the lowerings, the
# examples, the seeds on the CPU JIT and on the CUDA emulator, the planted
# kernel bugs, the quantization tests, the CUDA emission and the ONNX
# importer with ONNX's node tests (about 330 tests; on 2 cores the
# instrumented build took 4.5 minutes and the tests 3). The
# rest (the differential suites, the tools' tests that compile hundreds of
# kernels with NVRTC) runs by hand: no argument, or a regex.
#
# Builds into build-asan/ (-O1 with line tables only: reports keep their
# file and line). Leak checking is on. OpenMP (the CPU target's JIT) runs
# one thread unless OMP_NUM_THREADS says otherwise: LeakSanitizer was
# reported to crash in processes whose OpenMP runtime keeps several worker
# threads. (On a 2-core machine the CPU target's unit tests also passed
# with two threads, three runs out of three.) The lit tests that compile
# hundreds of kernels with NVRTC (not instrumented, but every allocation
# goes through ASan) are much slower here than in the normal build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-asan"
"$root/scripts/setup.sh"
if ! command -v clang++-22 >/dev/null ||
  [ ! -d /usr/lib/llvm-22/lib/clang/22/lib/linux ]; then
  echo "sanitize: installing clang-22 libclang-rt-22-dev"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends clang-22 \
    libclang-rt-22-dev >/dev/null
fi
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE= \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit >/dev/null
fi
cmake --build "$build"
selection="${1:-}"
if [ "$selection" = "--ci" ]; then
  selection='^(lit/(Dialect|Conversion|Examples|Execution/seeds|Import)/|lit/Execution/cuda-emulator/(seeds|planted-bugs|quantization|integer-gemm-extremes)\.mlir$|lit/Execution/(quantization|integer-deconv-rounding)\.mlir$|lit/Target/CUDA/(emit-cuda|integer-gemm)\.mlir$|lit/Target/CPU/integer-deconv-as-floats\.mlir$|fuzz/|[A-Z][A-Za-z]*[./])'
fi
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# LLVM's allocator headers poison memory when compiled with ASan, and
# libMLIR.so, built without it, does not unpoison what it hands out: the
# suite reported use-after-poison inside MLIR's own attribute storage.
# User poisoning off; ASan's own checks stay.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allow_user_poisoning=0"
export UBSAN_OPTIONS="print_stacktrace=1"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" ${selection:+-R "$selection"}
