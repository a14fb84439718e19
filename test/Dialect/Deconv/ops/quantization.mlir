// RUN: deconv-opt %s | deconv-opt | FileCheck %s
// RUN: deconv-opt %s -emit-bytecode | deconv-opt | FileCheck %s
// deconv.quantize and deconv.dequantize round-trip: per tensor and per
// channel, i8 and ui8, every float type, dynamic sizes off the axis.

// CHECK-LABEL: func.func @per_tensor
// CHECK: deconv.quantize %{{.*}} {scale = array<f32: 5.000000e-02>, zero_point = array<i64: 0>} : tensor<1x8x16x16xf32> -> tensor<1x8x16x16xi8>
func.func @per_tensor(%x: tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xi8> {
  %q = deconv.quantize %x {scale = array<f32: 0.05>, zero_point = array<i64: 0>} : tensor<1x8x16x16xf32> -> tensor<1x8x16x16xi8>
  return %q : tensor<1x8x16x16xi8>
}

// CHECK-LABEL: func.func @per_channel
// CHECK: deconv.dequantize %{{.*}} {axis = 0 : i64, scale = array<f32: 1.000000e-01, 2.000000e-01, 3.000000e-01, 4.000000e-01>, zero_point = array<i64: 0, 0, 0, 0>} : tensor<4x2x3x3xi8> -> tensor<4x2x3x3xf32>
func.func @per_channel(%w: tensor<4x2x3x3xi8>) -> tensor<4x2x3x3xf32> {
  %d = deconv.dequantize %w {scale = array<f32: 0.1, 0.2, 0.3, 0.4>, zero_point = array<i64: 0, 0, 0, 0>, axis = 0 : i64} : tensor<4x2x3x3xi8> -> tensor<4x2x3x3xf32>
  return %d : tensor<4x2x3x3xf32>
}

// CHECK-LABEL: func.func @unsigned_halves
// CHECK: deconv.quantize %{{.*}} : tensor<?x3xbf16> -> tensor<?x3xui8>
// CHECK: deconv.dequantize %{{.*}} : tensor<?x3xui8> -> tensor<?x3xf16>
func.func @unsigned_halves(%x: tensor<?x3xbf16>) -> tensor<?x3xf16> {
  %q = deconv.quantize %x {scale = array<f32: 0.5, 0.25, 2.0>, zero_point = array<i64: 128, 0, 255>, axis = 1 : i64} : tensor<?x3xbf16> -> tensor<?x3xui8>
  %d = deconv.dequantize %q {scale = array<f32: 0.5>, zero_point = array<i64: 128>} : tensor<?x3xui8> -> tensor<?x3xf16>
  return %d : tensor<?x3xf16>
}

// The integer deconvolution -deconv-fuse-quantized makes, with its
// quantization (weight and output per output channel), and its canonical
// form.
// CHECK-LABEL: func.func @integer_deconv
// CHECK: deconv.deconv %{{.*}}, %{{.*}}, %{{.*}} {quantization = #deconv.quantization<input_scale = [5.000000e-01], input_zero_point = [128], weight_scale = [2.500000e-01, 1.250000e-01], weight_zero_point = [0, -1], output_scale = [2.000000e+00], output_zero_point = [-3]>, stride = array<i64: 2>} : (tensor<?x1x3xui8>, tensor<1x2x2xi8>, tensor<2xf32>) -> tensor<?x2x6xi8>
// CHECK: deconv.grouped_deconv %{{.*}}, %{{.*}} {dilation = array<i64: 1>, post_padding = array<i64: 0>, pre_padding = array<i64: 0>, quantization = #deconv.quantization<input_scale = [1.000000e+00], input_zero_point = [0], weight_scale = [1.000000e+00], weight_zero_point = [0], output_scale = [1.000000e+00], output_zero_point = [255]>, stride = array<i64: 1>} : (tensor<1x1x1x3xi8>, tensor<1x1x1x2xui8>) -> tensor<1x1x1x4xui8>
func.func @integer_deconv(%x: tensor<?x1x3xui8>, %w: tensor<1x2x2xi8>, %b: tensor<2xf32>, %x2: tensor<1x1x1x3xi8>, %w2: tensor<1x1x1x2xui8>) -> (tensor<?x2x6xi8>, tensor<1x1x1x4xui8>) {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2>, quantization = #deconv.quantization<input_scale = [0.5], input_zero_point = [128], weight_scale = [0.25, 0.125], weight_zero_point = [0, -1], output_scale = [2.0], output_zero_point = [-3]>} : (tensor<?x1x3xui8>, tensor<1x2x2xi8>, tensor<2xf32>) -> tensor<?x2x6xi8>
  %z = deconv.grouped_deconv %x2, %w2 {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>, quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [255]>} : (tensor<1x1x1x3xi8>, tensor<1x1x1x2xui8>) -> tensor<1x1x1x4xui8>
  return %y, %z : tensor<?x2x6xi8>, tensor<1x1x1x4xui8>
}
