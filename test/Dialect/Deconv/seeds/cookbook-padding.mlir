// RUN: deconv-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// Cookbook, padding_nd: (1,1) -> 3x3, (1,0) -> 3x5, (0,1) -> 5x3, (2,2) -> 1x1.
// Input (1,1,3,3), weight (1,1,3,3) = 1e4 ... 1e-4; the shapes below are the
// ones the TensorRT cookbook (seed 001) prints for each setting.

// CHECK-LABEL: func.func @padding_1_1
// CHECK-SAME: -> tensor<1x1x3x3xf32>
func.func @padding_1_1(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x3x3xf32> {
  %y = deconv.deconv %x, %w, %b {padding = array<i64: 1, 1>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// CHECK-LABEL: func.func @padding_1_0
// CHECK-SAME: -> tensor<1x1x3x5xf32>
func.func @padding_1_0(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x3x5xf32> {
  %y = deconv.deconv %x, %w, %b {padding = array<i64: 1, 0>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x3x5xf32>
  return %y : tensor<1x1x3x5xf32>
}

// CHECK-LABEL: func.func @padding_0_1
// CHECK-SAME: -> tensor<1x1x5x3xf32>
func.func @padding_0_1(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x5x3xf32> {
  %y = deconv.deconv %x, %w, %b {padding = array<i64: 0, 1>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x5x3xf32>
  return %y : tensor<1x1x5x3xf32>
}

// CHECK-LABEL: func.func @padding_2_2
// CHECK-SAME: -> tensor<1x1x1x1xf32>
func.func @padding_2_2(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x1x1xf32> {
  %y = deconv.deconv %x, %w, %b {padding = array<i64: 2, 2>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}

// -----

// One more row of padding empties the output.
func.func @too_much(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32> {
  // expected-error @+1 {{output size on spatial axis 0 would be -1 (below 1)}}
  %y = deconv.deconv %x, %w {padding = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}
