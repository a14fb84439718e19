// A splat constant stays one value through the planner, however large its
// tensor: a 4 GB weight of ones plans at once into a small plan (it used to
// be expanded: out of memory). A splat read in another layout is the same
// splat.
// REQUIRES: cuda-emulator
// RUN: split-file %s %t
// RUN: deconv-compile %t/huge.mlir -o %t/huge.plan --describe | FileCheck %s --check-prefix=HUGE
// HUGE: buffer 1: splat constant, 1x8x8x4000x4000xf32 (one value)
// HUGE: kernel 0: deconv_kernel_0
// RUN: %python -c "import os, sys; size = os.path.getsize(sys.argv[1]); print('small' if size < 100000 else size)" %t/huge.plan | FileCheck %s --check-prefix=SIZE
// SIZE: small

// Run on the emulator: weights of twos in (Cout, K, Cin) order, transposed
// as a splat. Stride 1, K = 2: y[o] = 2 * (x[o - 1] + x[o]) for each of the
// two output channels, each summing both input channels (x = 1 2 3 and
// 10 20 30): 2 * 11 = 22, 2 * (11 + 22) = 66, 2 * (22 + 33) = 110,
// 2 * 33 = 66.
// RUN: deconv-compile %t/small.mlir --describe | FileCheck %s --check-prefix=SMALL
// SMALL: buffer 1: splat constant, 1x2x2x2xf32 (one value)
// SMALL-NOT: strategy: transpose
// RUN: deconv-run %t/small.mlir --target=cuda-emulator --input="1x2x3xf32=1 2 3 10 20 30" | FileCheck %s --check-prefix=VALUES
// RUN: deconv-run %t/small.mlir --target=cuda-emulator --device-io --input="1x2x3xf32=1 2 3 10 20 30" | FileCheck %s --check-prefix=VALUES
// VALUES: {{\[\[\[}}22 66 110 66]
// VALUES-NEXT: [22 66 110 66]]]

//--- huge.mlir
func.func @main(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4003x4003xf32> {
  %w = arith.constant dense<1.0> : tensor<8x8x4000x4000xf32>
  %y = deconv.deconv %x, %w : (tensor<1x8x4x4xf32>, tensor<8x8x4000x4000xf32>) -> tensor<1x8x4003x4003xf32>
  return %y : tensor<1x8x4003x4003xf32>
}
//--- small.mlir
func.func @main(%x: tensor<1x2x3xf32>) -> tensor<1x2x4xf32> {
  %w = arith.constant dense<2.0> : tensor<2x2x2xf32>
  %y = deconv.deconv %x, %w {kernel_format = #deconv.kernel_format<cout_k_cin>} : (tensor<1x2x3xf32>, tensor<2x2x2xf32>) -> tensor<1x2x4xf32>
  return %y : tensor<1x2x4xf32>
}
