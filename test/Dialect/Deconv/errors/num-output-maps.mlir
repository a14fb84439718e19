// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @disagrees(%x: tensor<1x2x3xf32>, %w: tensor<2x3x3xf32>) -> tensor<1x6x5xf32> {
  // expected-error @+1 {{'num_output_maps' = 3 disagrees with the weight, which gives 6 output channels}}
  %y = deconv.deconv %x, %w {groups = 2, num_output_maps = 3} : (tensor<1x2x3xf32>, tensor<2x3x3xf32>) -> tensor<1x6x5xf32>
  return %y : tensor<1x6x5xf32>
}
