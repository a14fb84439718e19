// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// Dynamic batch and spatial sizes; the static axis keeps its size.
// CHECK-LABEL: func.func @dynamic
// CHECK: deconv.deconv %arg0, %arg1 {stride = array<i64: 2, 2>} : (tensor<?x4x?x3xf32>, tensor<4x2x3x3xf32>) -> tensor<?x2x?x7xf32>
func.func @dynamic(%x: tensor<?x4x?x3xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<?x2x?x7xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>}
      : (tensor<?x4x?x3xf32>, tensor<4x2x3x3xf32>) -> tensor<?x2x?x7xf32>
  return %y : tensor<?x2x?x7xf32>
}

// output_shape with a dynamic batch.
// CHECK-LABEL: func.func @dynamic_with_target
// CHECK-SAME: -> tensor<?x2x10xf32>
func.func @dynamic_with_target(%x: tensor<?x4x4xf32>, %w: tensor<4x2x3xf32>) -> tensor<?x2x10xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, output_shape = array<i64: 10>}
      : (tensor<?x4x4xf32>, tensor<4x2x3xf32>) -> tensor<?x2x10xf32>
  return %y : tensor<?x2x10xf32>
}

// A `?` result may stand for a size the op knows statically.
// CHECK-LABEL: func.func @relaxed_result
// CHECK-SAME: -> tensor<?x2x?xf32>
func.func @relaxed_result(%x: tensor<1x4x3xf32>, %w: tensor<4x2x3xf32>) -> tensor<?x2x?xf32> {
  %y = deconv.deconv %x, %w : (tensor<1x4x3xf32>, tensor<4x2x3xf32>) -> tensor<?x2x?xf32>
  return %y : tensor<?x2x?xf32>
}
