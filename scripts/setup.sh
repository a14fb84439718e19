#!/usr/bin/env bash
# Installs what the build needs when it is missing: LLVM/MLIR 22 (with lit and
# FileCheck), LLVM's OpenMP runtime, Ninja, CMake, GoogleTest and NumPy for
# the test tooling, and ONNX (libonnx-dev, its test data, protoc).
# Idempotent and quiet when everything is present.
set -euo pipefail

missing=()
[ -f /usr/lib/llvm-22/lib/cmake/mlir/MLIRConfig.cmake ] || missing+=(llvm-22-dev libmlir-22-dev)
[ -x /usr/lib/llvm-22/bin/mlir-opt ] || missing+=(mlir-22-tools)
[ -f /usr/lib/llvm-22/lib/libomp.so ] || missing+=(libomp-22-dev)
[ -x /usr/lib/llvm-22/bin/FileCheck ] && [ -e /usr/lib/llvm-22/bin/lit ] || missing+=(llvm-22-tools)
command -v ninja >/dev/null || missing+=(ninja-build)
command -v cmake >/dev/null || missing+=(cmake)
[ -f /usr/include/gtest/gtest.h ] || missing+=(libgtest-dev)
# ONNX's protobuf definitions and checker (the importer), its node test
# data, and protoc (the importer's tests write their models as text).
for package in libonnx-dev libonnx-testdata protobuf-compiler; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
dpkg-query -W -f='${Status}' python3-numpy 2>/dev/null | grep -q 'ok installed' || missing+=(python3-numpy)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
