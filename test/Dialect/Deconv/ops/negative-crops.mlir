// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// Negative pre/post padding (TOSA's out_pad) grows the output with zeros on
// that side: F = 7 (I=3, K=3, S=2); rows 7 + 1 + 2 = 10, columns 7 + 0 - 1 = 6.
// CHECK-LABEL: func.func @negative_crops
// CHECK: post_padding = array<i64: -2, 1>, pre_padding = array<i64: -1, 0>
// CHECK-SAME: -> tensor<1x1x10x6xf32>
func.func @negative_crops(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x10x6xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, pre_padding = array<i64: -1, 0>, post_padding = array<i64: -2, 1>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x10x6xf32>
  return %y : tensor<1x1x10x6xf32>
}
