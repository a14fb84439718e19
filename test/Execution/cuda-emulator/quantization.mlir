// RUN: deconv-run %S/../quantization.mlir --target=cuda-emulator --input="1x8xf32=0.25 0.75 -0.25 -0.75 1.25 100 -100 nan" | FileCheck %S/../quantization.mlir
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %inputs/quantized_differential.py --seed 3 --count 60 --target cuda-emulator --workdir %t/auto | FileCheck %s
// RUN: %python %inputs/quantized_differential.py --seed 4 --count 30 --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --workdir %t/gemm | FileCheck %s --check-prefix=GEMM
// RUN: %python %inputs/quantized_differential.py --seed 8 --count 20 --constant-weights --target cuda-emulator --workdir %t/constant | FileCheck %s --check-prefix=CONSTANT
// RUN: %python %inputs/quantized_differential.py --seed 9 --count 10 --constant-weights --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --workdir %t/constant-gemm | FileCheck %s --check-prefix=CONSTANT-GEMM
// RUN: %python %inputs/quantized_differential.py --seed 10 --count 40 --layers fusable --any-scales --prefuse --target cuda-emulator --workdir %t/fused | FileCheck %s --check-prefix=FUSED
// RUN: %python %inputs/quantized_differential.py --seed 11 --count 15 --layers fusable --constant-weights --prefuse --target cuda-emulator --workdir %t/fused-constant | FileCheck %s --check-prefix=FUSED-CONSTANT
// RUN: %python %inputs/quantized_differential.py --seed 17 --count 6 --layers fusable --any-scales --wide --prefuse --target cuda-emulator --workdir %t/wide | FileCheck %s --check-prefix=WIDE
// RUN: %python %inputs/quantized_differential.py --seed 25 --count 30 --layers fusable --symmetric --any-scales --target cuda-emulator --workdir %t/symmetric | FileCheck %s --check-prefix=SYMMETRIC
// RUN: %python %inputs/quantized_differential.py --seed 26 --count 30 --layers fusable --symmetric --any-scales --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --workdir %t/symmetric-gemm | FileCheck %s --check-prefix=SYMMETRIC-GEMM
// RUN: %python %inputs/quantized_differential.py --seed 27 --count 10 --layers fusable --symmetric --any-scales --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --extra-arg=--cuda-tile=128x128 --workdir %t/symmetric-large | FileCheck %s --check-prefix=SYMMETRIC-LARGE
// RUN: %python %inputs/quantized_differential.py --seed 28 --count 15 --layers fusable --symmetric --constant-weights --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --workdir %t/symmetric-constant | FileCheck %s --check-prefix=SYMMETRIC-CONSTANT
// RUN: %python %inputs/quantized_differential.py --seed 29 --count 6 --layers fusable --symmetric --any-scales --wide --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --workdir %t/symmetric-wide | FileCheck %s --check-prefix=SYMMETRIC-WIDE
// RUN: %python %inputs/quantized_differential.py --seed 30 --count 25 --layers fusable --symmetric=weights --any-scales --target cuda-emulator --workdir %t/input-zero | FileCheck %s --check-prefix=INPUT-ZERO
// RUN: %python %inputs/quantized_differential.py --seed 31 --count 25 --layers fusable --symmetric=weights --any-scales --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --workdir %t/input-zero-gemm | FileCheck %s --check-prefix=INPUT-ZERO-GEMM
// RUN: %python %inputs/quantized_differential.py --seed 32 --count 8 --layers fusable --symmetric=weights --any-scales --wide --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --extra-arg=--cuda-tile=128x128 --workdir %t/input-zero-wide | FileCheck %s --check-prefix=INPUT-ZERO-WIDE
// RUN: deconv-opt %S/../integer-deconv-rounding.mlir --deconv-fuse-quantized -o %t/rounding.mlir
// RUN: not deconv-run %t/rounding.mlir --target=cuda-emulator --cuda-strategy=gemm_d2s --input="1x1x255xi8=0" 2>&1 | FileCheck %s --check-prefix=FORCED
// REQUIRES: cuda-emulator

// The quantization ops on the CUDA target's kernels (one thread per
// element), on the emulator: the hand-derived values of
// Execution/quantization.mlir, and random Q -> DQ -> deconv -> Q graphs
// equal to NumPy's definition to the last bit. The CUDA target fuses only
// layers with a symmetric weight (its integer GEMM's), so most random
// layers (weight zero points drawn from -20..20) run unfused
// on the cost model's float strategies and with implicit_gemm forced (its
// weight, dequantized at run time, packed by its kernel); with constant int8
// weights they are dequantized at compile time and the GEMM's weight packed
// then.
// CONSTANT: {{^}}20 passed, 0 failed
// CONSTANT-GEMM: {{^}}10 passed, 0 failed
// GEMM: {{^}}30 passed, 0 failed
// CHECK: {{^}}{{[0-9]+}} passed, 0 failed ({{[1-9][0-9]*}} fusable)
// Layers fused by -deconv-fuse-quantized before they reach the CUDA target
// (--prefuse), whatever their zero points, so they run as integer
// deconvolutions (on direct, or the integer GEMM where symmetric), with
// arbitrary scales: equal to the integer definition (DeconvOps.td) to the
// last bit, with weights as inputs and as constants.
// FUSED: {{^}}40 passed, 0 failed (40 fusable)
// FUSED-CONSTANT: {{^}}15 passed, 0 failed (15 fusable)
// WIDE: {{^}}6 passed, 0 failed (6 fusable)
// Symmetric layers (i8 with zero point 0 or ui8 with 128, input and
// weight), which the CUDA target fuses itself and its GEMM multiplies as
// they are: by the cost model, and on
// the integer GEMM (8-bit tensor cores) forced, in both tile sizes, with
// constant weights (packed by the planner), and with hundreds of input
// channels (many K slices).
// SYMMETRIC: {{^}}30 passed, 0 failed (30 fusable)
// SYMMETRIC-GEMM: {{^}}30 passed, 0 failed (30 fusable)
// SYMMETRIC-LARGE: {{^}}10 passed, 0 failed (10 fusable)
// SYMMETRIC-CONSTANT: {{^}}15 passed, 0 failed (15 fusable)
// SYMMETRIC-WIDE: {{^}}6 passed, 0 failed (6 fusable)
// A symmetric weight and an input with any zero point, which the GEMM
// splits in two halves: by the cost model, forced, and forced on the
// 128x128 tile with hundreds of input channels.
// INPUT-ZERO: {{^}}25 passed, 0 failed (25 fusable)
// INPUT-ZERO-GEMM: {{^}}25 passed, 0 failed (25 fusable)
// INPUT-ZERO-WIDE: {{^}}8 passed, 0 failed (8 fusable)
// A float strategy forced on an integer deconvolution says why it cannot.
// FORCED: CUDA strategy 'gemm_d2s' cannot take this op: it computes in floats, and an integer deconvolution runs on implicit_gemm or direct
