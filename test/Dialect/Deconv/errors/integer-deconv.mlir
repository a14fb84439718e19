// RUN: deconv-opt %s -split-input-file -verify-diagnostics
// Every rule of the integer deconvolution (a deconv op with a quantization
// attribute, DeconvOps.td) and of the attribute itself, one case each.

func.func @float_input(%x: tensor<1x1x3xf32>, %w: tensor<1x1x2xi8>) -> tensor<1x1x4xi8> {
  // expected-error @+1 {{is an integer deconvolution (it has a quantization attribute), so its input must be i8 or ui8, got 'f32'}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x3xf32>, tensor<1x1x2xi8>) -> tensor<1x1x4xi8>
  return %y : tensor<1x1x4xi8>
}

// -----

func.func @float_weight(%x: tensor<1x1x3xi8>, %w: tensor<1x1x2xbf16>) -> tensor<1x1x4xi8> {
  // expected-error @+1 {{so its weight must be i8 or ui8, got 'bf16'}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x3xi8>, tensor<1x1x2xbf16>) -> tensor<1x1x4xi8>
  return %y : tensor<1x1x4xi8>
}

// -----

func.func @float_result(%x: tensor<1x1x3xi8>, %w: tensor<1x1x2xi8>) -> tensor<1x1x4xf32> {
  // expected-error @+1 {{so its result must be i8 or ui8, got 'f32'}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x3xi8>, tensor<1x1x2xi8>) -> tensor<1x1x4xf32>
  return %y : tensor<1x1x4xf32>
}

// -----

func.func @half_bias(%x: tensor<1x1x3xi8>, %w: tensor<1x1x2xi8>, %b: tensor<1xf16>) -> tensor<1x1x4xi8> {
  // expected-error @+1 {{is an integer deconvolution, so its bias must be f32, got 'f16'}}
  %y = deconv.deconv %x, %w, %b {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x3xi8>, tensor<1x1x2xi8>, tensor<1xf16>) -> tensor<1x1x4xi8>
  return %y : tensor<1x1x4xi8>
}

// -----

func.func @weight_scale_count(%x: tensor<1x1x3xi8>, %w: tensor<1x2x2xi8>) -> tensor<1x2x4xi8> {
  // expected-error @+1 {{has 3 weight scales: one (per tensor) or one per output channel (2)}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0, 1.0, 1.0], weight_zero_point = [0, 0, 0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x3xi8>, tensor<1x2x2xi8>) -> tensor<1x2x4xi8>
  return %y : tensor<1x2x4xi8>
}

// -----

func.func @output_scale_count(%x: tensor<1x1x3xi8>, %w: tensor<1x2x2xi8>) -> tensor<1x2x4xi8> {
  // expected-error @+1 {{has 4 output scales: one (per tensor) or one per output channel (2)}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0, 1.0, 1.0, 1.0], output_zero_point = [0, 0, 0, 0]>} : (tensor<1x1x3xi8>, tensor<1x2x2xi8>) -> tensor<1x2x4xi8>
  return %y : tensor<1x2x4xi8>
}

// -----

func.func @input_zero_point(%x: tensor<1x1x3xui8>, %w: tensor<1x1x2xi8>) -> tensor<1x1x4xi8> {
  // expected-error @+1 {{input zero point 0 is -1, outside the 'ui8' range [0, 255]}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [-1], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x3xui8>, tensor<1x1x2xi8>) -> tensor<1x1x4xi8>
  return %y : tensor<1x1x4xi8>
}

// -----

func.func @weight_zero_point(%x: tensor<1x1x3xi8>, %w: tensor<1x2x2xi8>) -> tensor<1x2x4xi8> {
  // expected-error @+1 {{weight zero point 1 is 200, outside the 'i8' range [-128, 127]}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0, 1.0], weight_zero_point = [0, 200], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x3xi8>, tensor<1x2x2xi8>) -> tensor<1x2x4xi8>
  return %y : tensor<1x2x4xi8>
}

// -----

func.func @output_zero_point(%x: tensor<1x1x3xi8>, %w: tensor<1x1x2xi8>) -> tensor<1x1x4xui8> {
  // expected-error @+1 {{output zero point 0 is 256, outside the 'ui8' range [0, 255]}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [256]>} : (tensor<1x1x3xi8>, tensor<1x1x2xi8>) -> tensor<1x1x4xui8>
  return %y : tensor<1x1x4xui8>
}

// -----

// 1100 input channels x 64 taps of |x - 0| <= 255 (ui8) times |w - 0| <= 128.
func.func @overflow(%x: tensor<1x1100x1xui8>, %w: tensor<1100x1x64xi8>) -> tensor<1x1x64xi8> {
  // expected-error @+1 {{could overflow its i32 accumulator: 70400 products (input channels per group x kernel taps) of up to 32640 each}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1100x1xui8>, tensor<1100x1x64xi8>) -> tensor<1x1x64xi8>
  return %y : tensor<1x1x64xi8>
}

// -----

// The canonical op checks the same: 6000 input channels x 8 x 8 taps of up
// to 255 * 255 (an i8 input with zero point 127, ui8 weights with 0).
func.func @grouped_overflow(%x: tensor<1x1x6000x1x1xi8>, %w: tensor<1x6000x1x8x8xui8>) -> tensor<1x1x1x8x8xi8> {
  // expected-error @+1 {{could overflow its i32 accumulator: 384000 products (input channels per group x kernel taps) of up to 65025 each}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pre_padding = array<i64: 0, 0>, post_padding = array<i64: 0, 0>, quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [127], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x6000x1x1xi8>, tensor<1x6000x1x8x8xui8>) -> tensor<1x1x1x8x8xi8>
  return %y : tensor<1x1x1x8x8xi8>
}

// -----

func.func @lengths(%x: tensor<1x1x3xi8>, %w: tensor<1x2x2xi8>) -> tensor<1x2x4xi8> {
  // expected-error @+1 {{quantization has 2 weight scales but 1 zero points}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0, 1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x3xi8>, tensor<1x2x2xi8>) -> tensor<1x2x4xi8>
  return %y : tensor<1x2x4xi8>
}

// -----

func.func @no_scale(%x: tensor<1x1x3xi8>, %w: tensor<1x1x2xi8>) -> tensor<1x1x4xi8> {
  // expected-error @+1 {{quantization needs at least one output scale}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [], output_zero_point = []>} : (tensor<1x1x3xi8>, tensor<1x1x2xi8>) -> tensor<1x1x4xi8>
  return %y : tensor<1x1x4xi8>
}

// -----

func.func @zero_scale(%x: tensor<1x1x3xi8>, %w: tensor<1x1x2xi8>) -> tensor<1x1x4xi8> {
  // expected-error @+1 {{quantization's weight scale 0 is 0.000000e+00: scales must be positive and finite}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [0.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x3xi8>, tensor<1x1x2xi8>) -> tensor<1x1x4xi8>
  return %y : tensor<1x1x4xi8>
}

// -----

func.func @negative_scale(%x: tensor<1x1x3xi8>, %w: tensor<1x1x2xi8>) -> tensor<1x1x4xi8> {
  // expected-error @+1 {{quantization's input scale 0 is -5.000000e-01: scales must be positive and finite}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [-0.5], input_zero_point = [0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x3xi8>, tensor<1x1x2xi8>) -> tensor<1x1x4xi8>
  return %y : tensor<1x1x4xi8>
}

// -----

func.func @input_per_channel(%x: tensor<1x2x3xi8>, %w: tensor<2x1x2xi8>) -> tensor<1x1x4xi8> {
  // expected-error @+1 {{quantization has 2 input scales: the input is quantized per tensor}}
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0, 2.0], input_zero_point = [0, 0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x2x3xi8>, tensor<2x1x2xi8>) -> tensor<1x1x4xi8>
  return %y : tensor<1x1x4xi8>
}
