// RUN: not deconv-opt %s 2>&1 | FileCheck %s

// Invalid IR ends in a diagnostic and a non-zero exit, never a crash (`not`
// fails on a crash, and a crash would print a stack dump).
// CHECK: error: 'deconv.deconv' op 'stride' must be >= 1, got 0 on spatial axis 0
// CHECK-NOT: Stack dump
// CHECK-NOT: PLEASE submit
func.func @bad(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 0>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
