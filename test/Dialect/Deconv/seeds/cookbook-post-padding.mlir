// RUN: deconv-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// Cookbook, post_padding: (1,1) -> 4x4, (1,0) -> 4x5, (0,1) -> 5x4.
// Input (1,1,3,3), weight (1,1,3,3) = 1e4 ... 1e-4; the shapes below are the
// ones the TensorRT cookbook (seed 001) prints for each setting.

// CHECK-LABEL: func.func @post_1_1
// CHECK-SAME: -> tensor<1x1x4x4xf32>
func.func @post_1_1(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x4x4xf32> {
  %y = deconv.deconv %x, %w, %b {post_padding = array<i64: 1, 1>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// CHECK-LABEL: func.func @post_1_0
// CHECK-SAME: -> tensor<1x1x4x5xf32>
func.func @post_1_0(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x4x5xf32> {
  %y = deconv.deconv %x, %w, %b {post_padding = array<i64: 1, 0>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x4x5xf32>
  return %y : tensor<1x1x4x5xf32>
}

// CHECK-LABEL: func.func @post_0_1
// CHECK-SAME: -> tensor<1x1x5x4xf32>
func.func @post_0_1(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x5x4xf32> {
  %y = deconv.deconv %x, %w, %b {post_padding = array<i64: 0, 1>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x5x4xf32>
  return %y : tensor<1x1x5x4xf32>
}
