// RUN: deconv-opt %s -verify-diagnostics | FileCheck %s

// Cookbook, 3-D deconvolution: the input (1,1,2,3,3) is a 5-D tensor whose
// depth is the seed's two channels; the weight (1,1,2,3,3) moves along it.
// Depth 2 with kernel 2 gives 3, height and width 5: (1,1,3,5,5).
// CHECK-LABEL: func.func @three_d
// CHECK-SAME: -> tensor<1x1x3x5x5xf32>
func.func @three_d(%x: tensor<1x1x2x3x3xf32>, %w: tensor<1x1x2x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x3x5x5xf32> {
  %y = deconv.deconv %x, %w, %b
      : (tensor<1x1x2x3x3xf32>, tensor<1x1x2x3x3xf32>, tensor<1xf32>) -> tensor<1x1x3x5x5xf32>
  return %y : tensor<1x1x3x5x5xf32>
}
