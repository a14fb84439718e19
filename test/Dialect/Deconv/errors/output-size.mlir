// RUN: deconv-opt %s -split-input-file -verify-diagnostics

// Crops may not empty the output: O >= 1 is the only bound on them.
func.func @padding(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x1xf32> {
  // expected-error @+1 {{output size on spatial axis 0 would be 0 (below 1): input 3, kernel 3, stride 1, dilation 1, output_padding 0, crops 3 at the start and 2 at the end}}
  %y = deconv.deconv %x, %w {pre_padding = array<i64: 3>, padding = array<i64: 2>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x1xf32>
  return %y : tensor<1x1x1xf32>
}

// -----

func.func @output_shape(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x1xf32> {
  // expected-error @+1 {{'output_shape' must be >= 1, got 0 on spatial axis 0}}
  %y = deconv.deconv %x, %w {output_shape = array<i64: 0>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x1xf32>
  return %y : tensor<1x1x1xf32>
}

// -----

// The crops a target shape implies depend on the input size, so the axis it
// sets must have a static one.
func.func @output_shape_dynamic_input(%x: tensor<1x1x?xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x8xf32> {
  // expected-error @+1 {{'output_shape' needs a static input size on spatial axis 0: the crops it implies depend on it}}
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, output_shape = array<i64: 8>} : (tensor<1x1x?xf32>, tensor<1x1x3xf32>) -> tensor<1x1x8xf32>
  return %y : tensor<1x1x8xf32>
}
