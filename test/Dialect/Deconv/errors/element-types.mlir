// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @weight(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf16>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{element types must match: input has 'f32' but weight has 'f16'}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf16>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @bias(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>, %b: tensor<1xbf16>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{element types must match: input has 'f32' but bias has 'bf16'}}
  %y = deconv.deconv %x, %w, %b : (tensor<1x1x3xf32>, tensor<1x1x3xf32>, tensor<1xbf16>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @result(%x: tensor<1x1x3xf16>, %w: tensor<1x1x3xf16>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{element types must match: input has 'f16' but result has 'f32'}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf16>, tensor<1x1x3xf16>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

// Integers enter through quantize/dequantize; an integer deconv op is the
// fused form, which carries its quantization.
func.func @integer(%x: tensor<1x1x3xi8>, %w: tensor<1x1x3xi8>) -> tensor<1x1x5xi8> {
  // expected-error @+1 {{takes 'i8' input only as an integer deconvolution, which needs a quantization attribute}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3xi8>, tensor<1x1x3xi8>) -> tensor<1x1x5xi8>
  return %y : tensor<1x1x5xi8>
}

// -----

func.func @unranked(%x: tensor<*xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{operand #0 must be ranked tensor}}
  %y = deconv.deconv %x, %w : (tensor<*xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @i32(%x: tensor<1x1x3xi32>, %w: tensor<1x1x3xi32>) -> tensor<1x1x5xi32> {
  // expected-error @+1 {{operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 8-bit signless integer or 8-bit unsigned integer values, but got 'tensor<1x1x3xi32>'}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3xi32>, tensor<1x1x3xi32>) -> tensor<1x1x5xi32>
  return %y : tensor<1x1x5xi32>
}
