// RUN: deconv-opt %s --deconv-fuse-quantized=symmetric-weights-only=true --split-input-file | FileCheck %s
// RUN: deconv-opt %s --deconv-fuse-quantized --split-input-file | FileCheck %s --check-prefix=ALL

// With symmetric-weights-only the pass fuses a layer only where the
// weight's q - zero point is an i8 itself (i8 with zero points 0, ui8 with
// 128), what the CUDA target's integer GEMM takes; the input's zero point is
// free. Without, it fuses every layer it can.

// i8 input and weight with zero points 0, the weight per channel.
// CHECK-LABEL: func.func @signed_zero
// CHECK: deconv.deconv %arg0, %arg1 {quantization = #deconv.quantization<input_scale = [5.000000e-01], input_zero_point = [0], weight_scale = [2.500000e-01, 1.250000e-01], weight_zero_point = [0, 0], output_scale = [1.000000e+00], output_zero_point = [5]>
// CHECK-NOT: deconv.dequantize
// ALL-LABEL: func.func @signed_zero
// ALL: quantization = #deconv.quantization
func.func @signed_zero(%xq: tensor<1x1x3xi8>, %wq: tensor<1x2x2xi8>) -> tensor<1x2x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x3xi8> -> tensor<1x1x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25, 0.125>, zero_point = array<i64: 0, 0>, axis = 1 : i64} : tensor<1x2x2xi8> -> tensor<1x2x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x2x2xf32>) -> tensor<1x2x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 5>} : tensor<1x2x4xf32> -> tensor<1x2x4xi8>
  return %q : tensor<1x2x4xi8>
}

// -----

// ui8 input and weight with zero points 128; the output's zero point is
// free.
// CHECK-LABEL: func.func @unsigned_128
// CHECK: input_zero_point = [128], weight_scale = [2.500000e-01], weight_zero_point = [128]
// ALL-LABEL: func.func @unsigned_128
// ALL: quantization = #deconv.quantization
func.func @unsigned_128(%xq: tensor<1x1x3xui8>, %wq: tensor<1x1x2xui8>) -> tensor<1x1x4xui8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 128>} : tensor<1x1x3xui8> -> tensor<1x1x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25>, zero_point = array<i64: 128>} : tensor<1x1x2xui8> -> tensor<1x1x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 7>} : tensor<1x1x4xf32> -> tensor<1x1x4xui8>
  return %q : tensor<1x1x4xui8>
}

// -----

// A ui8 input with zero point 0 (q - 0 spans 0..255) and a symmetric
// weight: fused.
// CHECK-LABEL: func.func @unsigned_zero
// CHECK: input_zero_point = [0]
// ALL-LABEL: func.func @unsigned_zero
// ALL: quantization = #deconv.quantization
func.func @unsigned_zero(%xq: tensor<1x1x3xui8>, %wq: tensor<1x1x2xi8>) -> tensor<1x1x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x3xui8> -> tensor<1x1x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25>, zero_point = array<i64: 0>} : tensor<1x1x2xi8> -> tensor<1x1x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x1x4xf32> -> tensor<1x1x4xi8>
  return %q : tensor<1x1x4xi8>
}

// -----

// One weight channel's zero point is not 0. Left as written.
// CHECK-LABEL: func.func @one_channel_asymmetric
// CHECK-NOT: quantization =
// CHECK: deconv.quantize
// ALL-LABEL: func.func @one_channel_asymmetric
// ALL: quantization = #deconv.quantization
func.func @one_channel_asymmetric(%xq: tensor<1x1x3xi8>, %wq: tensor<1x2x2xi8>) -> tensor<1x2x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x3xi8> -> tensor<1x1x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25, 0.125>, zero_point = array<i64: 0, 1>, axis = 1 : i64} : tensor<1x2x2xi8> -> tensor<1x2x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x2x2xf32>) -> tensor<1x2x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x2x4xf32> -> tensor<1x2x4xi8>
  return %q : tensor<1x2x4xi8>
}

// -----

// An i8 input with zero point -1 (q + 1 reaches 128): fused.
// CHECK-LABEL: func.func @signed_off_zero
// CHECK: input_zero_point = [-1]
// ALL-LABEL: func.func @signed_off_zero
// ALL: quantization = #deconv.quantization
func.func @signed_off_zero(%xq: tensor<1x1x3xi8>, %wq: tensor<1x1x2xi8>) -> tensor<1x1x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: -1>} : tensor<1x1x3xi8> -> tensor<1x1x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25>, zero_point = array<i64: 0>} : tensor<1x1x2xi8> -> tensor<1x1x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x1x4xf32> -> tensor<1x1x4xi8>
  return %q : tensor<1x1x4xi8>
}

// -----

// A ui8 weight whose zero point is 127, not 128. Left as written.
// CHECK-LABEL: func.func @unsigned_weight_127
// CHECK-NOT: quantization =
// CHECK: deconv.quantize
// ALL-LABEL: func.func @unsigned_weight_127
// ALL: quantization = #deconv.quantization
func.func @unsigned_weight_127(%xq: tensor<1x1x3xi8>, %wq: tensor<1x1x2xui8>) -> tensor<1x1x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x3xi8> -> tensor<1x1x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25>, zero_point = array<i64: 127>} : tensor<1x1x2xui8> -> tensor<1x1x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x1x4xf32> -> tensor<1x1x4xi8>
  return %q : tensor<1x1x4xi8>
}
