// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @empty_spatial(%x: tensor<1x1x0xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x2xf32> {
  // expected-error @+1 {{input size must be >= 1, got 0 on spatial axis 0}}
  %y = deconv.deconv %x, %w : (tensor<1x1x0xf32>, tensor<1x1x3xf32>) -> tensor<1x1x2xf32>
  return %y : tensor<1x1x2xf32>
}
