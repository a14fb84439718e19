// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @size(%x: tensor<1x1x3xf32>, %w: tensor<1x2x3xf32>, %b: tensor<3xf32>) -> tensor<1x2x5xf32> {
  // expected-error @+1 {{bias must have shape (2), the output channel count, got 3}}
  %y = deconv.deconv %x, %w, %b : (tensor<1x1x3xf32>, tensor<1x2x3xf32>, tensor<3xf32>) -> tensor<1x2x5xf32>
  return %y : tensor<1x2x5xf32>
}

// -----

func.func @rank(%x: tensor<1x1x3xf32>, %w: tensor<1x2x3xf32>, %b: tensor<1x2xf32>) -> tensor<1x2x5xf32> {
  // expected-error @+1 {{bias must have shape (2), the output channel count, got 1x2}}
  %y = deconv.deconv %x, %w, %b : (tensor<1x1x3xf32>, tensor<1x2x3xf32>, tensor<1x2xf32>) -> tensor<1x2x5xf32>
  return %y : tensor<1x2x5xf32>
}

// -----

func.func @dynamic(%x: tensor<1x1x3xf32>, %w: tensor<1x2x3xf32>, %b: tensor<?xf32>) -> tensor<1x2x5xf32> {
  // expected-error @+1 {{bias must have shape (2), the output channel count, got ?}}
  %y = deconv.deconv %x, %w, %b : (tensor<1x1x3xf32>, tensor<1x2x3xf32>, tensor<?xf32>) -> tensor<1x2x5xf32>
  return %y : tensor<1x2x5xf32>
}
