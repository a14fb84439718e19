// RUN: deconv-opt %s -deconv-expand-groups -split-input-file -verify-diagnostics

// expand-groups only reshapes: other layouts must be normalized first.
func.func @channels_last(%x: tensor<1x3x2xf32>, %w: tensor<2x1x3xf32>) -> tensor<1x5x1xf32> {
  // expected-error @+1 {{needs channels_first data and cin_cout_k weights to expand groups; run -deconv-normalize-layout first}}
  %y = deconv.deconv %x, %w {data_format = #deconv.data_format<channels_last>} : (tensor<1x3x2xf32>, tensor<2x1x3xf32>) -> tensor<1x5x1xf32>
  return %y : tensor<1x5x1xf32>
}

// -----

func.func @cout_k_cin(%x: tensor<1x2x3xf32>, %w: tensor<1x3x2xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{needs channels_first data and cin_cout_k weights to expand groups; run -deconv-normalize-layout first}}
  %y = deconv.deconv %x, %w {kernel_format = #deconv.kernel_format<cout_k_cin>} : (tensor<1x2x3xf32>, tensor<1x3x2xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
