// RUN: deconv-opt %s -split-input-file -verify-diagnostics

// output_padding must be >= 0 and below the stride or the dilation (PyTorch).
func.func @not_below_stride_or_dilation(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x9xf32> {
  // expected-error @+1 {{'output_padding' must be >= 0 and below 'stride' (2) or 'dilation' (1), got 2 on spatial axis 0}}
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, output_padding = array<i64: 2>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x9xf32>
  return %y : tensor<1x1x9xf32>
}

// -----

func.func @negative(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x6xf32> {
  // expected-error @+1 {{'output_padding' must be >= 0 and below 'stride' (2) or 'dilation' (1), got -1 on spatial axis 0}}
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, output_padding = array<i64: -1>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x6xf32>
  return %y : tensor<1x1x6xf32>
}

// -----

func.func @stride_one(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x5x6xf32> {
  // expected-error @+1 {{'output_padding' must be >= 0 and below 'stride' (1) or 'dilation' (1), got 1 on spatial axis 1}}
  %y = deconv.deconv %x, %w {output_padding = array<i64: 0, 1>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x6xf32>
  return %y : tensor<1x1x5x6xf32>
}
