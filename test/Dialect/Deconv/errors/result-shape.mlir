// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @mismatch(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x5x6xf32> {
  // expected-error @+1 {{result shape 1x1x5x6 does not match the computed shape 1x1x5x5 (dimension 3)}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x6xf32>
  return %y : tensor<1x1x5x6xf32>
}

// -----

// A static result size cannot be promised for a dynamic input size.
func.func @static_from_dynamic(%x: tensor<1x1x?xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{result shape 1x1x5 does not match the computed shape 1x1x? (dimension 2)}}
  %y = deconv.deconv %x, %w : (tensor<1x1x?xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @batch(%x: tensor<2x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{result shape 1x1x5 does not match the computed shape 2x1x5 (dimension 0)}}
  %y = deconv.deconv %x, %w : (tensor<2x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @channels(%x: tensor<1x1x3xf32>, %w: tensor<1x2x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{result shape 1x1x5 does not match the computed shape 1x2x5 (dimension 1)}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x2x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
