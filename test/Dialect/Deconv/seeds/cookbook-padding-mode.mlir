// RUN: deconv-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// Cookbook, padding_mode with stride (2,2): SAME_UPPER and SAME_LOWER -> 6x6, the explicit and caffe modes -> 7x7.
// Input (1,1,3,3), weight (1,1,3,3) = 1e4 ... 1e-4; the shapes below are the
// ones the TensorRT cookbook (seed 001) prints for each setting.

// CHECK-LABEL: func.func @same_upper
// CHECK-SAME: -> tensor<1x1x6x6xf32>
func.func @same_upper(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x6x6xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding_mode = #deconv.padding_mode<same_upper>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}

// CHECK-LABEL: func.func @same_lower
// CHECK-SAME: -> tensor<1x1x6x6xf32>
func.func @same_lower(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x6x6xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding_mode = #deconv.padding_mode<same_lower>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}

// CHECK-LABEL: func.func @explicit_round_up
// CHECK-SAME: -> tensor<1x1x7x7xf32>
func.func @explicit_round_up(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x7x7xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding_mode = #deconv.padding_mode<explicit_round_up>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}

// CHECK-LABEL: func.func @explicit_round_down
// CHECK-SAME: -> tensor<1x1x7x7xf32>
func.func @explicit_round_down(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x7x7xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding_mode = #deconv.padding_mode<explicit_round_down>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}

// CHECK-LABEL: func.func @caffe_round_up
// CHECK-SAME: -> tensor<1x1x7x7xf32>
func.func @caffe_round_up(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x7x7xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding_mode = #deconv.padding_mode<caffe_round_up>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}

// CHECK-LABEL: func.func @caffe_round_down
// CHECK-SAME: -> tensor<1x1x7x7xf32>
func.func @caffe_round_down(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x7x7xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding_mode = #deconv.padding_mode<caffe_round_down>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}
