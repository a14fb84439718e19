// RUN: deconv-opt %s -deconv-lower-quantization | FileCheck %s

// The identity map and the per-channel map along axis 1 (used below).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>

// Per tensor, f16 into ui8: one element-wise generic over the dynamic
// shape, the scale and zero point as constants; divide in f32, round half
// to even, add the zero point, saturate to [0, 255], a NaN to the zero
// point, and the i8 bits handed out as ui8.
// CHECK-LABEL: func.func @per_tensor
// CHECK: %[[DIM:.*]] = tensor.dim %arg0
// CHECK: tensor.empty(%[[DIM]]) : tensor<?x4xui8>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<?x4xf16>) outs({{.*}} : tensor<?x4xui8>)
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 1.280000e+02 : f32
// CHECK: %[[WIDE:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: %[[SCALED:.*]] = arith.divf %[[WIDE]], %[[SCALE]] : f32
// CHECK: %[[ROUNDED:.*]] = math.roundeven %[[SCALED]] : f32
// CHECK: %[[SHIFTED:.*]] = arith.addf %[[ROUNDED]], %[[ZERO]] : f32
// CHECK-DAG: %[[LOW:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[HIGH:.*]] = arith.constant 2.550000e+02 : f32
// CHECK: %[[ABOVE:.*]] = arith.maximumf %[[SHIFTED]], %[[LOW]] : f32
// CHECK: %[[BELOW:.*]] = arith.minimumf %[[ABOVE]], %[[HIGH]] : f32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[SCALED]], %[[SCALED]] : f32
// CHECK: %[[CHOSEN:.*]] = arith.select %[[NAN]], %[[ZERO]], %[[BELOW]] : f32
// CHECK: %[[INT:.*]] = arith.fptosi %[[CHOSEN]] : f32 to i32
// CHECK: %[[BYTE:.*]] = arith.trunci %[[INT]] : i32 to i8
// CHECK: %[[UNSIGNED:.*]] = builtin.unrealized_conversion_cast %[[BYTE]] : i8 to ui8
// CHECK: linalg.yield %[[UNSIGNED]] : ui8
func.func @per_tensor(%x: tensor<?x4xf16>) -> tensor<?x4xui8> {
  %q = deconv.quantize %x {scale = array<f32: 0.5>, zero_point = array<i64: 128>} : tensor<?x4xf16> -> tensor<?x4xui8>
  return %q : tensor<?x4xui8>
}

// Per channel along axis 1: the scales and zero points are constant
// vectors read at that index; (q - zero point) in i32, times the scale in
// f32, rounded once to bf16.
// CHECK-LABEL: func.func @per_channel
// CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<[2.500000e-01, 2.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[ZEROS:.*]] = arith.constant dense<[1, 0, -3]> : tensor<3xi32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[ID]]]{{.*}} ins(%arg0, %[[SCALES]], %[[ZEROS]] :
// CHECK: ^bb0(%[[Q:.*]]: i8, %[[S:.*]]: f32, %[[Z:.*]]: i32, %{{.*}}: bf16):
// CHECK: %[[WIDE:.*]] = arith.extsi %[[Q]] : i8 to i32
// CHECK: %[[CENTERED:.*]] = arith.subi %[[WIDE]], %[[Z]] : i32
// CHECK: %[[FLOAT:.*]] = arith.sitofp %[[CENTERED]] : i32 to f32
// CHECK: %[[VALUE:.*]] = arith.mulf %[[FLOAT]], %[[S]] : f32
// CHECK: %[[ROUNDED:.*]] = arith.truncf %[[VALUE]] : f32 to bf16
// CHECK: linalg.yield %[[ROUNDED]] : bf16
func.func @per_channel(%w: tensor<2x3xi8>) -> tensor<2x3xbf16> {
  %d = deconv.dequantize %w {scale = array<f32: 0.25, 2.0, 4.0>, zero_point = array<i64: 1, 0, -3>, axis = 1 : i64} : tensor<2x3xi8> -> tensor<2x3xbf16>
  return %d : tensor<2x3xbf16>
}

// A ui8 input is read as the same bits of i8 and widened unsigned.
// CHECK-LABEL: func.func @unsigned_input
// CHECK: %[[BITS:.*]] = builtin.unrealized_conversion_cast %{{.*}} : ui8 to i8
// CHECK: arith.extui %[[BITS]] : i8 to i32
func.func @unsigned_input(%u: tensor<4xui8>) -> tensor<4xf32> {
  %d = deconv.dequantize %u {scale = array<f32: 0.5>, zero_point = array<i64: 128>} : tensor<4xui8> -> tensor<4xf32>
  return %d : tensor<4xf32>
}
