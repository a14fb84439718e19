// RUN: deconv-opt %s | deconv-opt | FileCheck %s
// RUN: deconv-opt %s --mlir-print-op-generic | deconv-opt | FileCheck %s

// The canonical op: (N, G, Cin/G, I...) x (G, Cin/G, Cout/G, K...) with crops
// relative to the full scatter. 32 -> (31*2 + 3*(4-1)+1 - 1 - 2) = 69.
// CHECK-LABEL: func.func @grouped
// CHECK: deconv.grouped_deconv %arg0, %arg1, %arg2 {dilation = array<i64: 1, 3>, post_padding = array<i64: 1, 2>, pre_padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<8x2x16x32x32xf32>, tensor<2x16x8x4x4xf32>, tensor<2x8xf32>) -> tensor<8x2x8x64x69xf32>
func.func @grouped(%x: tensor<8x2x16x32x32xf32>, %w: tensor<2x16x8x4x4xf32>, %b: tensor<2x8xf32>) -> tensor<8x2x8x64x69xf32> {
  %y = deconv.grouped_deconv %x, %w, %b {stride = array<i64: 2, 2>, dilation = array<i64: 1, 3>, pre_padding = array<i64: 1, 1>, post_padding = array<i64: 1, 2>}
      : (tensor<8x2x16x32x32xf32>, tensor<2x16x8x4x4xf32>, tensor<2x8xf32>) -> tensor<8x2x8x64x69xf32>
  return %y : tensor<8x2x8x64x69xf32>
}

// Negative crops, no bias, dynamic batch and spatial sizes.
// CHECK-LABEL: func.func @dynamic_negative
// CHECK: deconv.grouped_deconv %arg0, %arg1 {{.*}} : (tensor<?x1x3x?xf32>, tensor<1x3x2x5xf32>) -> tensor<?x1x2x?xf32>
func.func @dynamic_negative(%x: tensor<?x1x3x?xf32>, %w: tensor<1x3x2x5xf32>) -> tensor<?x1x2x?xf32> {
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 3>, dilation = array<i64: 1>, pre_padding = array<i64: -1>, post_padding = array<i64: -2>}
      : (tensor<?x1x3x?xf32>, tensor<1x3x2x5xf32>) -> tensor<?x1x2x?xf32>
  return %y : tensor<?x1x2x?xf32>
}
