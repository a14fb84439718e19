// RUN: deconv-run %s --target=cpu --input="1x2x5xf32=1 1 1 1 1 1 1 1 1 1" | FileCheck %s
// RUN: deconv-run %s --target=cuda-emulator --input="1x2x5xf32=1 1 1 1 1 1 1 1 1 1" | FileCheck %s
// REQUIRES: cuda-emulator

// A tensor.cast in the function (here making a dynamic batch static for the
// deconvolution) takes its source's concrete shape when the function is
// specialized to its inputs (it was refused: "cannot propagate shapes").
// All-ones input and weight, stride 2, padding 1, bias 1 2 3: each output is
// the bias plus the taps that reach it, 2 channels x (1 or 2) taps.
// CHECK: result 0: tensor<1x3x10xf32>
// CHECK-NEXT: [3 5 5 5 5 5 5 5 5 3]
// CHECK-NEXT: [4 6 6 6 6 6 6 6 6 4]
// CHECK-NEXT: [5 7 7 7 7 7 7 7 7 5]
func.func @main(%x: tensor<?x2x5xf32>) -> tensor<1x3x10xf32> {
  %w = arith.constant dense<1.0> : tensor<2x3x4xf32>
  %b = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %c = tensor.cast %x : tensor<?x2x5xf32> to tensor<1x2x5xf32>
  %y = deconv.deconv %c, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<1x2x5xf32>, tensor<2x3x4xf32>, tensor<3xf32>) -> tensor<1x3x10xf32>
  return %y : tensor<1x3x10xf32>
}
