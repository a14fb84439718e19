// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @disagrees(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x2xf32>) -> tensor<1x1x5x4xf32> {
  // expected-error @+1 {{'kernel_size' = [3, 3] disagrees with the weight's spatial sizes [3, 2]}}
  %y = deconv.deconv %x, %w {kernel_size = array<i64: 3, 3>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x5x4xf32>
  return %y : tensor<1x1x5x4xf32>
}
