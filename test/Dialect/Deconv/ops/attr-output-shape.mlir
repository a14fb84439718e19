// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// output_shape (MXNet target_shape, ONNX/Dragon output_shape) overrides every
// other padding attribute, smaller or larger than the natural size (7x7).
// CHECK-LABEL: func.func @smaller
// CHECK: output_shape = array<i64: 4, 6>
// CHECK-SAME: -> tensor<1x1x4x6xf32>
func.func @smaller(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x4x6xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, output_shape = array<i64: 4, 6>, padding_mode = #deconv.padding_mode<same_upper>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x6xf32>
  return %y : tensor<1x1x4x6xf32>
}

// CHECK-LABEL: func.func @larger
// CHECK: output_shape = array<i64: 9, 12>
// CHECK-SAME: -> tensor<1x1x9x12xf32>
func.func @larger(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x9x12xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, output_shape = array<i64: 9, 12>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x9x12xf32>
  return %y : tensor<1x1x9x12xf32>
}
