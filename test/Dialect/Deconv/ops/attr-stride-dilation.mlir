// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// I=4, K=3, S=3, L=2: DK = 5, F = 3*3 + 5 = 14.
// CHECK-LABEL: func.func @stride_dilation
// CHECK: deconv.deconv %arg0, %arg1 {dilation = array<i64: 2>, stride = array<i64: 3>} : (tensor<1x1x4xf32>, tensor<1x1x3xf32>) -> tensor<1x1x14xf32>
func.func @stride_dilation(%x: tensor<1x1x4xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x14xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 3>, dilation = array<i64: 2>}
      : (tensor<1x1x4xf32>, tensor<1x1x3xf32>) -> tensor<1x1x14xf32>
  return %y : tensor<1x1x14xf32>
}

// Dilation alone: DK = 3*(3-1)+1 = 7, F = 4 + 6 = 10.
// CHECK-LABEL: func.func @dilation_only
// CHECK: deconv.deconv %arg0, %arg1 {dilation = array<i64: 3>} : (tensor<1x1x4xf32>, tensor<1x1x3xf32>) -> tensor<1x1x10xf32>
func.func @dilation_only(%x: tensor<1x1x4xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x10xf32> {
  %y = deconv.deconv %x, %w {dilation = array<i64: 3>}
      : (tensor<1x1x4xf32>, tensor<1x1x3xf32>) -> tensor<1x1x10xf32>
  return %y : tensor<1x1x10xf32>
}
