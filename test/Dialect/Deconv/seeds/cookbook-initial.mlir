// RUN: deconv-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// Cookbook, initial example and num_output_maps/kernel_size_nd: (1,1,5,5).
// Input (1,1,3,3), weight (1,1,3,3) = 1e4 ... 1e-4; the shapes below are the
// ones the TensorRT cookbook (seed 001) prints for each setting.

// CHECK-LABEL: func.func @initial
// CHECK-SAME: -> tensor<1x1x5x5xf32>
func.func @initial(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x5x5xf32> {
  %y = deconv.deconv %x, %w, %b : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}

// CHECK-LABEL: func.func @num_output_maps_kernel_size
// CHECK-SAME: -> tensor<1x1x5x5xf32>
func.func @num_output_maps_kernel_size(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x5x5xf32> {
  %y = deconv.deconv %x, %w, %b {num_output_maps = 1, kernel_size = array<i64: 3, 3>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}

// -----

func.func @wrong(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  // expected-error @+1 {{result shape 1x1x3x3 does not match the computed shape 1x1x5x5 (dimension 2)}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}
