// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// A small graph: constant weights and bias, two chained deconvolutions, and a
// dense_resource blob for a larger weight.
// CHECK-LABEL: func.func @chain
// CHECK-DAG: %[[W0:.*]] = arith.constant dense<1.000000e+00> : tensor<1x2x2x2xf32>
// CHECK-DAG: %[[B0:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[W1:.*]] = arith.constant dense_resource<w1> : tensor<2x1x3x3xf32>
// CHECK: %[[Y0:.*]] = deconv.deconv %arg0, %[[W0]], %[[B0]] {stride = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
// CHECK: %[[Y1:.*]] = deconv.deconv %[[Y0]], %[[W1]] {padding = array<i64: 1, 1>} : (tensor<1x2x8x8xf32>, tensor<2x1x3x3xf32>) -> tensor<1x1x8x8xf32>
// CHECK: return %[[Y1]]
func.func @chain(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x8x8xf32> {
  %w0 = arith.constant dense<1.0> : tensor<1x2x2x2xf32>
  %b0 = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %w1 = arith.constant dense_resource<w1> : tensor<2x1x3x3xf32>
  %y0 = deconv.deconv %x, %w0, %b0 {stride = array<i64: 2, 2>}
      : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
  %y1 = deconv.deconv %y0, %w1 {padding = array<i64: 1, 1>}
      : (tensor<1x2x8x8xf32>, tensor<2x1x3x3xf32>) -> tensor<1x1x8x8xf32>
  return %y1 : tensor<1x1x8x8xf32>
}

// Weights supplied at run time (TensorRT's set_input) are plain arguments.
// CHECK-LABEL: func.func @runtime_weights
// CHECK: deconv.deconv %arg0, %arg1, %arg2
func.func @runtime_weights(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x5x5xf32> {
  %y = deconv.deconv %x, %w, %b : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w1: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F"
    }
  }
#-}
