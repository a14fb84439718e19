// RUN: deconv-opt %s -split-input-file -verify-diagnostics

// The input needs batch, channel and at least one spatial axis.
func.func @rank2(%x: tensor<1x1xf32>, %w: tensor<1x1xf32>) -> tensor<1x1xf32> {
  // expected-error @+1 {{input must have rank >= 3 (batch, channel and at least one spatial axis), got rank 2}}
  %y = deconv.deconv %x, %w : (tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
