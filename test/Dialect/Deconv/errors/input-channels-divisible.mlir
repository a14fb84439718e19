// RUN: deconv-opt %s -split-input-file -verify-diagnostics

// Cin must split evenly into groups (TensorRT's rule).
func.func @cin(%x: tensor<1x3x3xf32>, %w: tensor<3x1x3xf32>) -> tensor<1x2x5xf32> {
  // expected-error @+1 {{input channel count 3 is not divisible by 'groups' = 2}}
  %y = deconv.deconv %x, %w {groups = 2} : (tensor<1x3x3xf32>, tensor<3x1x3xf32>) -> tensor<1x2x5xf32>
  return %y : tensor<1x2x5xf32>
}
