// RUN: deconv-opt %s -split-input-file -verify-diagnostics

// Channel counts must be static, even with dynamic shapes (TensorRT's rule).
func.func @input(%x: tensor<1x?x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{input channel count (dimension 1) must be static}}
  %y = deconv.deconv %x, %w : (tensor<1x?x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @input_channels_last(%x: tensor<1x3x?xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x5x1xf32> {
  // expected-error @+1 {{input channel count (dimension 2) must be static}}
  %y = deconv.deconv %x, %w {data_format = #deconv.data_format<channels_last>} : (tensor<1x3x?xf32>, tensor<1x1x3xf32>) -> tensor<1x5x1xf32>
  return %y : tensor<1x5x1xf32>
}

// -----

func.func @result(%x: tensor<1x1x3xf32>, %w: tensor<1x2x3xf32>) -> tensor<1x?x5xf32> {
  // expected-error @+1 {{result channel count (dimension 1) must be static, expected 2}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x2x3xf32>) -> tensor<1x?x5xf32>
  return %y : tensor<1x?x5xf32>
}

// -----

func.func @empty(%x: tensor<1x0x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{input channel count must be >= 1, got 0}}
  %y = deconv.deconv %x, %w : (tensor<1x0x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
