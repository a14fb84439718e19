// RUN: deconv-opt %s -cse -canonicalize | FileCheck %s

// The op has no side effects: identical ops merge and unused ones vanish.
// CHECK-LABEL: func.func @pure
// CHECK: %[[Y:.*]] = deconv.deconv %arg0, %arg1
// CHECK-NOT: deconv.deconv
// CHECK: return %[[Y]], %[[Y]]
func.func @pure(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> (tensor<1x1x5xf32>, tensor<1x1x5xf32>) {
  %y0 = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  %y1 = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  %dead = deconv.deconv %x, %w {stride = array<i64: 2>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x7xf32>
  return %y0, %y1 : tensor<1x1x5xf32>, tensor<1x1x5xf32>
}
