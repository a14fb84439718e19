// RUN: deconv-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// Cookbook, stride_nd: (2,2) -> 7x7, (2,1) -> 7x5, (1,2) -> 5x7.
// Input (1,1,3,3), weight (1,1,3,3) = 1e4 ... 1e-4; the shapes below are the
// ones the TensorRT cookbook (seed 001) prints for each setting.

// CHECK-LABEL: func.func @stride_2_2
// CHECK-SAME: -> tensor<1x1x7x7xf32>
func.func @stride_2_2(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x7x7xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}

// CHECK-LABEL: func.func @stride_2_1
// CHECK-SAME: -> tensor<1x1x7x5xf32>
func.func @stride_2_1(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x7x5xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 1>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x5xf32>
  return %y : tensor<1x1x7x5xf32>
}

// CHECK-LABEL: func.func @stride_1_2
// CHECK-SAME: -> tensor<1x1x5x7xf32>
func.func @stride_1_2(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x5x7xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 1, 2>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x5x7xf32>
  return %y : tensor<1x1x5x7xf32>
}

// -----

func.func @wrong(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  // expected-error @+1 {{result shape 1x1x5x5 does not match the computed shape 1x1x7x5 (dimension 2)}}
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 1>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}
