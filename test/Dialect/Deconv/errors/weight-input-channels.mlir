// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @cin_cout_k(%x: tensor<1x2x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  // expected-error @+1 {{weight dimension 0 must be the input channel count 2 for kernel_format cin_cout_k, got 1}}
  %y = deconv.deconv %x, %w : (tensor<1x2x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}

// -----

func.func @cin_k_cout(%x: tensor<1x3x3x2xf32>, %w: tensor<4x3x3x1xf32>) -> tensor<1x5x5x1xf32> {
  // expected-error @+1 {{weight dimension 0 must be the input channel count 2 for kernel_format cin_k_cout, got 4}}
  %y = deconv.deconv %x, %w {data_format = #deconv.data_format<channels_last>, kernel_format = #deconv.kernel_format<cin_k_cout>} : (tensor<1x3x3x2xf32>, tensor<4x3x3x1xf32>) -> tensor<1x5x5x1xf32>
  return %y : tensor<1x5x5x1xf32>
}

// -----

func.func @cout_k_cin(%x: tensor<1x4x3xf32>, %w: tensor<4x3x4xf32>) -> tensor<1x4x5xf32> {
  // expected-error @+1 {{weight dimension 2 must be the input channels per group (4 / 'groups' 2 = 2) for kernel_format cout_k_cin, got 4}}
  %y = deconv.deconv %x, %w {groups = 2, kernel_format = #deconv.kernel_format<cout_k_cin>} : (tensor<1x4x3xf32>, tensor<4x3x4xf32>) -> tensor<1x4x5xf32>
  return %y : tensor<1x4x5xf32>
}
