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
