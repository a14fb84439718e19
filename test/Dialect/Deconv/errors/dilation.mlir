// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @zero(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  // expected-error @+1 {{'dilation' must be >= 1, got 0 on spatial axis 0}}
  %y = deconv.deconv %x, %w {dilation = array<i64: 0, 1>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}
