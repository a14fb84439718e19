// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// Grouped: Cin = 4, G = 2, weight (Cin, Cout/G, K) = (4, 3, 3): Cout = 6.
// CHECK-LABEL: func.func @grouped
// CHECK: deconv.deconv %arg0, %arg1, %arg2 {groups = 2 : i64} : (tensor<1x4x5xf32>, tensor<4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x7xf32>
func.func @grouped(%x: tensor<1x4x5xf32>, %w: tensor<4x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x7xf32> {
  %y = deconv.deconv %x, %w, %b {groups = 2}
      : (tensor<1x4x5xf32>, tensor<4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x7xf32>
  return %y : tensor<1x6x7xf32>
}

// Depthwise (CenterNet IDAUp): G = Cin = Cout = 64, k4 s2 p1: 64 -> 128.
// CHECK-LABEL: func.func @depthwise
// CHECK: groups = 64 : i64
// CHECK-SAME: -> tensor<32x64x128x128xf32>
func.func @depthwise(%x: tensor<32x64x64x64xf32>, %w: tensor<64x1x4x4xf32>) -> tensor<32x64x128x128xf32> {
  %y = deconv.deconv %x, %w {groups = 64, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>}
      : (tensor<32x64x64x64xf32>, tensor<64x1x4x4xf32>) -> tensor<32x64x128x128xf32>
  return %y : tensor<32x64x128x128xf32>
}
