// RUN: deconv-run %S/../quantization.mlir --target=cuda-emulator --input="1x8xf32=0.25 0.75 -0.25 -0.75 1.25 100 -100 nan" | FileCheck %S/../quantization.mlir
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %inputs/quantized_differential.py --seed 3 --count 60 --target cuda-emulator --workdir %t/auto | FileCheck %s
// RUN: %python %inputs/quantized_differential.py --seed 4 --count 30 --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --workdir %t/gemm | FileCheck %s
// RUN: %python %inputs/quantized_differential.py --seed 8 --count 20 --constant-weights --target cuda-emulator --workdir %t/constant | FileCheck %s --check-prefix=CONSTANT
// RUN: %python %inputs/quantized_differential.py --seed 9 --count 10 --constant-weights --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --workdir %t/constant-gemm | FileCheck %s --check-prefix=CONSTANT-GEMM
// REQUIRES: cuda-emulator

// The quantization ops on the CUDA target's kernels (one thread per
// element), on the emulator: the hand-derived values of
// Execution/quantization.mlir, and random Q -> DQ -> deconv -> Q graphs
// equal to NumPy's unfused definition to the last bit, by the cost model's
// strategies and with implicit_gemm forced (its weight, dequantized at run
// time, packed by its kernel). With constant int8 weights they are
// dequantized at compile time and the GEMM's weight packed then.
// CONSTANT: {{^}}20 passed, 0 failed
// CONSTANT-GEMM: {{^}}10 passed, 0 failed
// CHECK: {{^}}{{[0-9]+}} passed, 0 failed
