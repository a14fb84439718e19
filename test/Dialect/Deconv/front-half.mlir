// RUN: deconv-opt %s --deconv-front-half | FileCheck %s
// RUN: deconv-opt %s --deconv-front-half > %t.once.mlir
// RUN: deconv-opt %t.once.mlir --deconv-front-half > %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir

// The whole front half: after it only deconv.grouped_deconv remains, and a
// second run changes nothing (the diff above).

// Channels-last data, OHWI weights with groups, SAME padding, runtime weights.
// Axis 0: K = 3, S = 2: P = 1 -> (0, 1). Axis 1: K = 2, S = 2: P = 0.
// CHECK-LABEL: func.func @everything
// CHECK-NOT: deconv.deconv
// CHECK: %[[IN:.*]] = linalg.transpose ins(%arg0 : tensor<?x3x3x4xf32>)
// CHECK: tensor.expand_shape %arg1 {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 3, 2, 2] : tensor<6x3x2x2xf32> into tensor<2x3x3x2x2xf32>
// CHECK: %[[Y:.*]] = deconv.grouped_deconv {{.*}} {dilation = array<i64: 1, 1>, post_padding = array<i64: 1, 0>, pre_padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<?x2x2x3x3xf32>, tensor<2x2x3x3x2xf32>, tensor<2x3xf32>) -> tensor<?x2x3x6x6xf32>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[Y]] {{\[}}[0], [1, 2], [3], [4]] : tensor<?x2x3x6x6xf32> into tensor<?x6x6x6xf32>
// CHECK: %[[OUT:.*]] = linalg.transpose ins(%[[C]] : tensor<?x6x6x6xf32>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK: return %[[OUT]]
func.func @everything(%x: tensor<?x3x3x4xf32>, %w: tensor<6x3x2x2xf32>, %b: tensor<6xf32>) -> tensor<?x6x6x6xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, groups = 2, padding_mode = #deconv.padding_mode<same_upper>,
                                 data_format = #deconv.data_format<channels_last>, kernel_format = #deconv.kernel_format<cout_k_cin>}
      : (tensor<?x3x3x4xf32>, tensor<6x3x2x2xf32>, tensor<6xf32>) -> tensor<?x6x6x6xf32>
  return %y : tensor<?x6x6x6xf32>
}

// A constant channels-last weight ends as one constant in canonical layout:
// w[ci][k][co] (Cin 2, K 2, Cout/G 1, G 2) -> w'[g][ci'][co][k].
// CHECK-LABEL: func.func @constant_weight
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[1.000000e+00, 2.000000e+00]]], {{\[}}{{\[}}[3.000000e+00, 4.000000e+00]]]]> : tensor<2x1x1x2xf32>
// CHECK-NOT: linalg.transpose ins(%[[W]]
// CHECK: deconv.grouped_deconv %{{.*}}, %[[W]] {dilation = array<i64: 1>, post_padding = array<i64: 1>, pre_padding = array<i64: 1>, stride = array<i64: 1>} : (tensor<1x2x1x4xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x1x3xf32>
func.func @constant_weight(%x: tensor<1x2x4xf32>) -> tensor<1x2x3xf32> {
  %w = arith.constant dense<[[[1.0], [2.0]], [[3.0], [4.0]]]> : tensor<2x2x1xf32>
  %y = deconv.deconv %x, %w {groups = 2, padding = array<i64: 1>, kernel_format = #deconv.kernel_format<cin_k_cout>}
      : (tensor<1x2x4xf32>, tensor<2x2x1xf32>) -> tensor<1x2x3xf32>
  return %y : tensor<1x2x3xf32>
}

// Chained ops in one function are all canonicalized.
// CHECK-LABEL: func.func @chain
// CHECK-NOT: deconv.deconv
// CHECK: deconv.grouped_deconv
// CHECK: deconv.grouped_deconv
// CHECK-NOT: deconv.deconv
func.func @chain(%x: tensor<1x1x4x4xf32>, %w0: tensor<1x2x2x2xf32>, %w1: tensor<2x1x3x3xf32>) -> tensor<1x1x8x8xf32> {
  %y0 = deconv.deconv %x, %w0 {stride = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x8x8xf32>
  %y1 = deconv.deconv %y0, %w1 {padding = array<i64: 1, 1>} : (tensor<1x2x8x8xf32>, tensor<2x1x3x3xf32>) -> tensor<1x1x8x8xf32>
  return %y1 : tensor<1x1x8x8xf32>
}
