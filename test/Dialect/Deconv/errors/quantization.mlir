// RUN: deconv-opt %s -split-input-file -verify-diagnostics
// Every rule of deconv.quantize and deconv.dequantize (IR.md,
// "Quantization"), one case each.

func.func @no_scale(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{needs at least one scale}}
  %q = deconv.quantize %x {scale = array<f32>, zero_point = array<i64>} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// -----

func.func @lengths(%x: tensor<2x4xf32>) -> tensor<2x4xi8> {
  // expected-error @+1 {{has 2 scales but 1 zero points}}
  %q = deconv.quantize %x {scale = array<f32: 0.5, 0.25>, zero_point = array<i64: 0>, axis = 0 : i64} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}

// -----

func.func @no_axis(%x: tensor<2x4xf32>) -> tensor<2x4xi8> {
  // expected-error @+1 {{has 2 scales (per channel) but no axis to apply them along}}
  %q = deconv.quantize %x {scale = array<f32: 0.5, 0.25>, zero_point = array<i64: 0, 0>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}

// -----

func.func @axis_range(%x: tensor<2x4xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{axis 2 is outside [0, 2)}}
  %d = deconv.dequantize %x {scale = array<f32: 0.5>, zero_point = array<i64: 0>, axis = 2 : i64} : tensor<2x4xi8> -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

// -----

func.func @negative_axis(%x: tensor<2x4xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{axis -1 is outside [0, 2)}}
  %d = deconv.dequantize %x {scale = array<f32: 0.5, 0.5, 0.5, 0.5>, zero_point = array<i64: 0, 0, 0, 0>, axis = -1 : i64} : tensor<2x4xi8> -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

// -----

func.func @axis_length(%x: tensor<2x4xi8>) -> tensor<2x4xf32> {
  // expected-error @+1 {{has 3 scales but dimension 1 has size 4}}
  %d = deconv.dequantize %x {scale = array<f32: 0.5, 0.5, 0.5>, zero_point = array<i64: 0, 0, 0>, axis = 1 : i64} : tensor<2x4xi8> -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

// -----

func.func @dynamic_axis(%x: tensor<?x4xi8>) -> tensor<?x4xf32> {
  // expected-error @+1 {{takes scales per index of axis 0, which must then be static}}
  %d = deconv.dequantize %x {scale = array<f32: 0.5, 0.5>, zero_point = array<i64: 0, 0>, axis = 0 : i64} : tensor<?x4xi8> -> tensor<?x4xf32>
  return %d : tensor<?x4xf32>
}

// -----

func.func @zero_scale(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{scale 0 is 0.000000e+00: scales must be positive and finite}}
  %q = deconv.quantize %x {scale = array<f32: 0.0>, zero_point = array<i64: 0>} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// -----

func.func @negative_scale(%x: tensor<2xf32>) -> tensor<2xi8> {
  // expected-error @+1 {{scale 1 is -2.500000e-01: scales must be positive and finite}}
  %q = deconv.quantize %x {scale = array<f32: 0.5, -0.25>, zero_point = array<i64: 0, 0>, axis = 0 : i64} : tensor<2xf32> -> tensor<2xi8>
  return %q : tensor<2xi8>
}

// -----

func.func @infinite_scale(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{scale 0 is INF: scales must be positive and finite}}
  %q = deconv.quantize %x {scale = array<f32: 0x7F800000>, zero_point = array<i64: 0>} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// -----

func.func @nan_scale(%x: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{scale 0 is nan: scales must be positive and finite}}
  %d = deconv.dequantize %x {scale = array<f32: 0x7FC00000>, zero_point = array<i64: 0>} : tensor<4xi8> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

func.func @signed_range(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{zero point 0 is 128, outside the 'i8' range [-128, 127]}}
  %q = deconv.quantize %x {scale = array<f32: 0.5>, zero_point = array<i64: 128>} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// -----

func.func @unsigned_range(%x: tensor<4xui8>) -> tensor<4xf32> {
  // expected-error @+1 {{zero point 0 is -1, outside the 'ui8' range [0, 255]}}
  %d = deconv.dequantize %x {scale = array<f32: 0.5>, zero_point = array<i64: -1>} : tensor<4xui8> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

func.func @integer_side(%x: tensor<4xf32>) -> tensor<4xi16> {
  // expected-error @+1 {{result #0 must be ranked tensor of 8-bit signless integer or 8-bit unsigned integer values}}
  %q = deconv.quantize %x {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<4xf32> -> tensor<4xi16>
  return %q : tensor<4xi16>
}

// -----

func.func @float_side(%x: tensor<4xi8>) -> tensor<4xf64> {
  // expected-error @+1 {{result #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float values}}
  %d = deconv.dequantize %x {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<4xi8> -> tensor<4xf64>
  return %d : tensor<4xf64>
}

// -----

func.func @shape(%x: tensor<4xf32>) -> tensor<5xi8> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %q = deconv.quantize %x {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<4xf32> -> tensor<5xi8>
  return %q : tensor<5xi8>
}
