// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// TensorRT's num_output_maps and kernel_size_nd are kept when they agree
// with the weight (they carry no information of their own).
// CHECK-LABEL: func.func @redundant
// CHECK: deconv.deconv %arg0, %arg1 {groups = 2 : i64, kernel_size = array<i64: 3, 2>, num_output_maps = 4 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x3x2xf32>) -> tensor<1x4x5x4xf32>
func.func @redundant(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x2xf32>) -> tensor<1x4x5x4xf32> {
  %y = deconv.deconv %x, %w {num_output_maps = 4, kernel_size = array<i64: 3, 2>, groups = 2}
      : (tensor<1x2x3x3xf32>, tensor<2x2x3x2xf32>) -> tensor<1x4x5x4xf32>
  return %y : tensor<1x4x5x4xf32>
}
