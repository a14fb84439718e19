// RUN: deconv-opt %s -verify-diagnostics | FileCheck %s

// Cookbook, num_groups = 2: input (1,2,3,3), weight (Cin, Cout/G, 3, 3) =
// (2,1,3,3). The seed prints two 5x5 matrices, one per group (its caption
// "(1,2,4,7)" contradicts its own printout and the formula).
// CHECK-LABEL: func.func @groups
// CHECK: {groups = 2 : i64}
// CHECK-SAME: -> tensor<1x2x5x5xf32>
func.func @groups(%x: tensor<1x2x3x3xf32>, %w: tensor<2x1x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x5x5xf32> {
  %y = deconv.deconv %x, %w, %b {groups = 2}
      : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}
