// RUN: deconv-opt %s -split-input-file -verify-diagnostics

// With kernel_format cout_k_cin the weight states Cout, which must split too.
func.func @cout(%x: tensor<1x4x3xf32>, %w: tensor<3x3x2xf32>) -> tensor<1x3x5xf32> {
  // expected-error @+1 {{output channel count 3 (weight dimension 0) is not divisible by 'groups' = 2}}
  %y = deconv.deconv %x, %w {groups = 2, kernel_format = #deconv.kernel_format<cout_k_cin>} : (tensor<1x4x3xf32>, tensor<3x3x2xf32>) -> tensor<1x3x5xf32>
  return %y : tensor<1x3x5xf32>
}
