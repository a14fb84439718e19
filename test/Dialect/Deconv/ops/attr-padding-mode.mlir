// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// Every padding mode prints as #deconv.padding_mode<...>. Stride 2 on a 3x3
// input and kernel: SAME gives min(I*S, E) = 6, the others the full 7.

// CHECK-LABEL: func.func @explicit_round_down
// CHECK: padding_mode = #deconv.padding_mode<explicit_round_down>
// CHECK-SAME: -> tensor<1x1x7xf32>
func.func @explicit_round_down(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x7xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding_mode = #deconv.padding_mode<explicit_round_down>}
      : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x7xf32>
  return %y : tensor<1x1x7xf32>
}

// CHECK-LABEL: func.func @explicit_round_up
// CHECK: padding_mode = #deconv.padding_mode<explicit_round_up>
// CHECK-SAME: -> tensor<1x1x7xf32>
func.func @explicit_round_up(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x7xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding_mode = #deconv.padding_mode<explicit_round_up>}
      : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x7xf32>
  return %y : tensor<1x1x7xf32>
}

// CHECK-LABEL: func.func @same_upper
// CHECK: padding_mode = #deconv.padding_mode<same_upper>
// CHECK-SAME: -> tensor<1x1x6xf32>
func.func @same_upper(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x6xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding_mode = #deconv.padding_mode<same_upper>}
      : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x6xf32>
  return %y : tensor<1x1x6xf32>
}

// CHECK-LABEL: func.func @same_lower
// CHECK: padding_mode = #deconv.padding_mode<same_lower>
// CHECK-SAME: -> tensor<1x1x6xf32>
func.func @same_lower(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x6xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding_mode = #deconv.padding_mode<same_lower>}
      : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x6xf32>
  return %y : tensor<1x1x6xf32>
}

// CHECK-LABEL: func.func @caffe_round_down
// CHECK: padding_mode = #deconv.padding_mode<caffe_round_down>
// CHECK-SAME: -> tensor<1x1x7xf32>
func.func @caffe_round_down(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x7xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding_mode = #deconv.padding_mode<caffe_round_down>}
      : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x7xf32>
  return %y : tensor<1x1x7xf32>
}

// CHECK-LABEL: func.func @caffe_round_up
// CHECK: padding_mode = #deconv.padding_mode<caffe_round_up>
// CHECK-SAME: -> tensor<1x1x7xf32>
func.func @caffe_round_up(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x7xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding_mode = #deconv.padding_mode<caffe_round_up>}
      : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x7xf32>
  return %y : tensor<1x1x7xf32>
}

// `valid` ignores `padding`: the full 7.
// CHECK-LABEL: func.func @valid
// CHECK: padding_mode = #deconv.padding_mode<valid>
// CHECK-SAME: -> tensor<1x1x7xf32>
func.func @valid(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x7xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding = array<i64: 1>, padding_mode = #deconv.padding_mode<valid>}
      : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x7xf32>
  return %y : tensor<1x1x7xf32>
}
