// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @dynamic_kernel(%x: tensor<1x1x3xf32>, %w: tensor<1x1x?xf32>) -> tensor<1x1x?xf32> {
  // expected-error @+1 {{weight shape must be static, dimension 2 is dynamic}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x?xf32>) -> tensor<1x1x?xf32>
  return %y : tensor<1x1x?xf32>
}

// -----

func.func @empty_kernel(%x: tensor<1x1x3xf32>, %w: tensor<1x1x0xf32>) -> tensor<1x1x3xf32> {
  // expected-error @+1 {{weight dimension 2 must be >= 1, got 0}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x0xf32>) -> tensor<1x1x3xf32>
  return %y : tensor<1x1x3xf32>
}
