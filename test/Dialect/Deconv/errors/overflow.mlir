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

// -----

// Every axis legal, their product not: 3037000500^2 elements of 8 bytes
// pass 2^63.
func.func @input_elements(%x: tensor<1x1x3037000500x3037000500xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x1x3037000500x3037000500xf32> {
  // expected-error @+1 {{input 1x1x3037000500x3037000500 has more elements than int64 byte offsets reach}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3037000500x3037000500xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x3037000500x3037000500xf32>
  return %y : tensor<1x1x3037000500x3037000500xf32>
}

// -----

func.func @result_elements(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x?x?xf32> {
  // expected-error @+1 {{result 1x1x2147483649x2147483649 has more elements than int64 byte offsets reach}}
  %y = deconv.deconv %x, %w {stride = array<i64: 2147483647, 2147483647>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x?x?xf32>
  return %y : tensor<1x1x?x?xf32>
}
