// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @result_rank(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x5x5xf32> {
  // expected-error @+1 {{result must have rank 4 (the input's), got rank 3}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x5x5xf32>
  return %y : tensor<1x5x5xf32>
}
