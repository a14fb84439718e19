// RUN: deconv-opt %s | FileCheck %s

// The generic form, as other tools may write it, with properties in <{...}>.
// CHECK-LABEL: func.func @generic
// CHECK: deconv.deconv %arg0, %arg1 {padding_mode = #deconv.padding_mode<same_upper>, stride = array<i64: 2>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x6xf32>
func.func @generic(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x6xf32> {
  %y = "deconv.deconv"(%x, %w) <{stride = array<i64: 2>, padding_mode = #deconv.padding_mode<same_upper>}>
      : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x6xf32>
  return %y : tensor<1x1x6xf32>
}
