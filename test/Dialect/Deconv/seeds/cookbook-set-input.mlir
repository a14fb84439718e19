// RUN: deconv-opt %s -verify-diagnostics | FileCheck %s

// Cookbook, set_input: the weight comes from another layer at run time rather
// than from the layer's own constants; the output is still (1,1,5,5).
// CHECK-LABEL: func.func @set_input
// CHECK: deconv.deconv %arg0, %arg1 : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
func.func @set_input(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  %y = deconv.deconv %x, %w : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}
