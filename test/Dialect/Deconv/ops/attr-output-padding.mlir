// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// PyTorch's output_padding with padding: (3-1)*2 + 3 - 2*1 + 1 = 6.
// CHECK-LABEL: func.func @output_padding
// CHECK: deconv.deconv %arg0, %arg1 {output_padding = array<i64: 1, 1>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32>
func.func @output_padding(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, output_padding = array<i64: 1, 1>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}

// output_padding may also be below the dilation instead of the stride:
// F = 2 + 2*2 + 1 = 7, E = 8.
// CHECK-LABEL: func.func @output_padding_dilation
// CHECK: deconv.deconv %arg0, %arg1 {dilation = array<i64: 2>, output_padding = array<i64: 1>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x8xf32>
func.func @output_padding_dilation(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x8xf32> {
  %y = deconv.deconv %x, %w {dilation = array<i64: 2>, output_padding = array<i64: 1>}
      : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x8xf32>
  return %y : tensor<1x1x8xf32>
}
