// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// Symmetric crop, and a negative one that extends the scatter with zeros
// (TOSA's out_pad): F = 5, O = 5 + 2 + 2 = 9.
// CHECK-LABEL: func.func @padding
// CHECK: deconv.deconv %arg0, %arg1 {padding = array<i64: 1, -2>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x9xf32>
func.func @padding(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x3x9xf32> {
  %y = deconv.deconv %x, %w {padding = array<i64: 1, -2>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x9xf32>
  return %y : tensor<1x1x3x9xf32>
}
