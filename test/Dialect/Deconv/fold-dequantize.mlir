// RUN: deconv-opt %s --deconv-fold-dequantize --split-input-file | FileCheck %s

// Constant int8 weights are dequantized at compile time, exactly as the
// lowering computes it: float(q - zero_point) * scale in f32, then rounded to
// the result type. Values derived by hand.

// (q - 1) * 0.5 for q = -128, -1, 0, 1, 127.
// CHECK-LABEL: func.func @per_tensor
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<[-6.450000e+01, -1.000000e+00, -5.000000e-01, 0.000000e+00, 6.300000e+01]> : tensor<5xf32>
// CHECK-NEXT: return %[[C]]
func.func @per_tensor() -> tensor<5xf32> {
  %q = arith.constant dense<[-128, -1, 0, 1, 127]> : tensor<5xi8>
  %d = deconv.dequantize %q {scale = array<f32: 0.5>, zero_point = array<i64: 1>} : tensor<5xi8> -> tensor<5xf32>
  return %d : tensor<5xf32>
}

// -----

// Per channel along axis 0, ui8: row 0 (q - 128) * 0.25, row 1 (q - 10) * 2.
// CHECK-LABEL: func.func @per_channel
// CHECK-NEXT: arith.constant dense<{{\[\[}}-3.200000e+01, 3.175000e+01], [0.000000e+00, 2.000000e+01]]> : tensor<2x2xf32>
func.func @per_channel() -> tensor<2x2xf32> {
  %q = arith.constant dense<[[0, 255], [10, 20]]> : tensor<2x2xui8>
  %d = deconv.dequantize %q {scale = array<f32: 0.25, 2.0>, zero_point = array<i64: 128, 10>, axis = 0 : i64} : tensor<2x2xui8> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// -----

// One scale with an axis named is still per tensor (as the lowering and the
// CUDA kernels read it): (q - 1) * 0.5 everywhere.
// CHECK-LABEL: func.func @one_scale_with_axis
// CHECK-NEXT: arith.constant dense<{{\[\[}}0.000000e+00, 5.000000e-01, 1.000000e+00, 1.500000e+00], [2.000000e+00, 2.500000e+00, 3.000000e+00, 3.500000e+00]]> : tensor<2x4xf32>
func.func @one_scale_with_axis() -> tensor<2x4xf32> {
  %q = arith.constant dense<[[1, 2, 3, 4], [5, 6, 7, 8]]> : tensor<2x4xi8>
  %d = deconv.dequantize %q {scale = array<f32: 0.5>, zero_point = array<i64: 1>, axis = 1 : i64} : tensor<2x4xi8> -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

// -----

// f16: 3 * 0.1f is 0.3000000119 in f32, 0.300048828125 once rounded to f16.
// CHECK-LABEL: func.func @half
// CHECK-NEXT: arith.constant dense<3.000490e-01> : tensor<1xf16>
func.func @half() -> tensor<1xf16> {
  %q = arith.constant dense<3> : tensor<1xi8>
  %d = deconv.dequantize %q {scale = array<f32: 0.1>, zero_point = array<i64: 0>} : tensor<1xi8> -> tensor<1xf16>
  return %d : tensor<1xf16>
}

// -----

// A splat input with per-channel scales gives a full tensor: 2 * [0.5, 4].
// CHECK-LABEL: func.func @splat
// CHECK-NEXT: arith.constant dense<{{\[\[}}1.000000e+00], [8.000000e+00]]> : tensor<2x1xf32>
func.func @splat() -> tensor<2x1xf32> {
  %q = arith.constant dense<2> : tensor<2x1xi8>
  %d = deconv.dequantize %q {scale = array<f32: 0.5, 4.0>, zero_point = array<i64: 0, 0>, axis = 0 : i64} : tensor<2x1xi8> -> tensor<2x1xf32>
  return %d : tensor<2x1xf32>
}

// -----

// A weight blob stays a blob (1.0f and 2.0f, little-endian, alignment 4),
// and the deconvolution now reads a constant; the int8 blob is gone.
// CHECK-LABEL: func.func @resource
// CHECK-NEXT: %[[W:.*]] = arith.constant dense_resource<[[BLOB:wq.*]]> : tensor<1x1x2xf32>
// CHECK-NEXT: deconv.deconv %{{.*}}, %[[W]]
// CHECK-NOT: deconv.dequantize
// CHECK: [[BLOB]]: "0x040000000000803F00000040"
// CHECK-NOT: "0x0100000001
func.func @resource(%x: tensor<1x1x3xf32>) -> tensor<1x1x4xf32> {
  %q = arith.constant dense_resource<wq> : tensor<1x1x2xi8>
  %w = deconv.dequantize %q {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x1x2xi8> -> tensor<1x1x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
  return %y : tensor<1x1x4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      wq: "0x010000000102"
    }
  }
#-}

// -----

// A dequantization of a run-time value stays.
// CHECK-LABEL: func.func @runtime
// CHECK: deconv.dequantize %arg0
func.func @runtime(%q: tensor<2xi8>) -> tensor<2xf32> {
  %d = deconv.dequantize %q {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<2xi8> -> tensor<2xf32>
  return %d : tensor<2xf32>
}
