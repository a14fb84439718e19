// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// Channels-last data: input (N, H, W, Cin), result (N, Ho, Wo, Cout).
// CHECK-LABEL: func.func @channels_last
// CHECK: data_format = #deconv.data_format<channels_last>
// CHECK-SAME: (tensor<2x3x4x8xf32>, tensor<8x16x2x2xf32>, tensor<16xf32>) -> tensor<2x6x8x16xf32>
func.func @channels_last(%x: tensor<2x3x4x8xf32>, %w: tensor<8x16x2x2xf32>, %b: tensor<16xf32>) -> tensor<2x6x8x16xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, data_format = #deconv.data_format<channels_last>}
      : (tensor<2x3x4x8xf32>, tensor<8x16x2x2xf32>, tensor<16xf32>) -> tensor<2x6x8x16xf32>
  return %y : tensor<2x6x8x16xf32>
}

// CHECK-LABEL: func.func @channels_first
// CHECK: data_format = #deconv.data_format<channels_first>
func.func @channels_first(%x: tensor<2x8x3x4xf32>, %w: tensor<8x16x2x2xf32>) -> tensor<2x16x6x8xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, data_format = #deconv.data_format<channels_first>}
      : (tensor<2x8x3x4xf32>, tensor<8x16x2x2xf32>) -> tensor<2x16x6x8xf32>
  return %y : tensor<2x16x6x8xf32>
}
