// RUN: deconv-opt %s -split-input-file -verify-diagnostics

// Sizes that overflow 64-bit arithmetic are an error, not a wrapped shape.
func.func @input(%x: tensor<1x1x4611686018427387904xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x?xf32> {
  // expected-error @+1 {{sizes on spatial axis 0 overflow 64-bit integers}}
  %y = deconv.deconv %x, %w {stride = array<i64: 4>} : (tensor<1x1x4611686018427387904xf32>, tensor<1x1x3xf32>) -> tensor<1x1x?xf32>
  return %y : tensor<1x1x?xf32>
}

// -----

func.func @dilation(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x?xf32> {
  // expected-error @+1 {{sizes on spatial axis 0 overflow 64-bit integers}}
  %y = deconv.deconv %x, %w {dilation = array<i64: 9223372036854775807>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x?xf32>
  return %y : tensor<1x1x?xf32>
}

// -----

func.func @padding(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x?xf32> {
  // expected-error @+1 {{sizes on spatial axis 0 overflow 64-bit integers}}
  %y = deconv.deconv %x, %w {padding = array<i64: -9223372036854775807>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x?xf32>
  return %y : tensor<1x1x?xf32>
}
