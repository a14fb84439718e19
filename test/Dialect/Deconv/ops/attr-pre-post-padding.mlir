// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// pre/post padding replace `padding` (TensorRT's priority):
// rows B = 2, A = 1: 5 - 3 = 2; columns B = 1, A = 0: 5 - 1 = 4.
// CHECK-LABEL: func.func @pre_post
// CHECK: deconv.deconv %arg0, %arg1 {padding = array<i64: 1, 1>, post_padding = array<i64: 1, 0>, pre_padding = array<i64: 2, 1>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x2x4xf32>
func.func @pre_post(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x2x4xf32> {
  %y = deconv.deconv %x, %w {padding = array<i64: 1, 1>, pre_padding = array<i64: 2, 1>, post_padding = array<i64: 1, 0>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x2x4xf32>
  return %y : tensor<1x1x2x4xf32>
}

// Only pre_padding: A falls back to `padding` (1), B = 0: 5 - 1 = 4.
// CHECK-LABEL: func.func @pre_only
// CHECK: pre_padding = array<i64: 0>
// CHECK-SAME: -> tensor<1x1x4xf32>
func.func @pre_only(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x4xf32> {
  %y = deconv.deconv %x, %w {padding = array<i64: 1>, pre_padding = array<i64: 0>}
      : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x4xf32>
  return %y : tensor<1x1x4xf32>
}
