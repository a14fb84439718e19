// RUN: deconv-opt %s | deconv-opt | FileCheck %s
// RUN: deconv-opt %s --mlir-print-op-generic | deconv-opt | FileCheck %s

// Four spatial axes: nothing in the rules is specific to D <= 3.
// Per axis (I-1)*S + L*(K-1) + 1 - pads: 1*1+2 = 3; 2*2+2 = 6; 3*3+3 = 12 - 2 = 10;
// 4*1 + 2*(2-1)+1 = 7.
// CHECK-LABEL: func.func @rank_4d
// CHECK: deconv.deconv %arg0, %arg1, %arg2 {dilation = array<i64: 1, 1, 1, 2>, padding = array<i64: 0, 0, 1, 0>, stride = array<i64: 1, 2, 3, 1>} : (tensor<1x2x2x3x4x5xf32>, tensor<2x3x2x2x3x2xf32>, tensor<3xf32>) -> tensor<1x3x3x6x10x7xf32>
func.func @rank_4d(%x: tensor<1x2x2x3x4x5xf32>, %w: tensor<2x3x2x2x3x2xf32>, %b: tensor<3xf32>) -> tensor<1x3x3x6x10x7xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 1, 2, 3, 1>, dilation = array<i64: 1, 1, 1, 2>, padding = array<i64: 0, 0, 1, 0>}
      : (tensor<1x2x2x3x4x5xf32>, tensor<2x3x2x2x3x2xf32>, tensor<3xf32>) -> tensor<1x3x3x6x10x7xf32>
  return %y : tensor<1x3x3x6x10x7xf32>
}
