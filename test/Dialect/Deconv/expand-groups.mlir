// RUN: deconv-opt %s -deconv-expand-groups | FileCheck %s
// RUN: deconv-opt %s -deconv-expand-groups | deconv-opt -deconv-expand-groups | FileCheck %s

// Groups become a tensor dimension: data (N, G, Cin/G, I...), weights
// (G, Cin/G, Cout/G, K...), bias (G, Cout/G), result (N, G, Cout/G, O...).

// G = 1 is the same op with a unit group axis.
// CHECK-LABEL: func.func @one_group
// CHECK: %[[X:.*]] = tensor.expand_shape %arg0 {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 1, 1, 3, 3] : tensor<1x1x3x3xf32> into tensor<1x1x1x3x3xf32>
// CHECK: %[[W:.*]] = tensor.expand_shape %arg1 {{\[}}[0, 1], [2], [3], [4]] output_shape [1, 1, 1, 3, 3] : tensor<1x1x3x3xf32> into tensor<1x1x1x3x3xf32>
// CHECK: %[[B:.*]] = tensor.expand_shape %arg2 {{\[}}[0, 1]] output_shape [1, 1] : tensor<1xf32> into tensor<1x1xf32>
// CHECK: %[[Y:.*]] = deconv.grouped_deconv %[[X]], %[[W]], %[[B]] {dilation = array<i64: 1, 1>, post_padding = array<i64: 0, 0>, pre_padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x1x1x3x3xf32>, tensor<1x1x1x3x3xf32>, tensor<1x1xf32>) -> tensor<1x1x1x7x7xf32>
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[Y]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x1x1x7x7xf32> into tensor<1x1x7x7xf32>
// CHECK: return %[[R]]
func.func @one_group(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x7x7xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}

// Two groups with constant weight and bias: the reshapes fold into the
// constants (same values, new shapes). The padding is resolved on the way:
// SAME with K = 2, S = 2, op = 1 gives P = 1, B = 0, A = 1, post = A - op = 0.
// CHECK-LABEL: func.func @two_groups_constant
// CHECK: %[[X:.*]] = tensor.expand_shape %arg0 {{\[}}[0], [1, 2], [3]] output_shape [1, 2, 1, 4] : tensor<1x2x4xf32> into tensor<1x2x1x4xf32>
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[1.000000e+00, 2.000000e+00]]], {{\[}}{{\[}}[3.000000e+00, 4.000000e+00]]]]> : tensor<2x1x1x2xf32>
// CHECK: %[[B:.*]] = arith.constant dense<{{\[}}[5.000000e-01], [-5.000000e-01]]> : tensor<2x1xf32>
// CHECK: %[[Y:.*]] = deconv.grouped_deconv %[[X]], %[[W]], %[[B]] {dilation = array<i64: 1>, post_padding = array<i64: 0>, pre_padding = array<i64: 0>, stride = array<i64: 2>} : (tensor<1x2x1x4xf32>, tensor<2x1x1x2xf32>, tensor<2x1xf32>) -> tensor<1x2x1x8xf32>
// CHECK-NOT: arith.constant
func.func @two_groups_constant(%x: tensor<1x2x4xf32>) -> tensor<1x2x8xf32> {
  %w = arith.constant dense<[[[1.0, 2.0]], [[3.0, 4.0]]]> : tensor<2x1x2xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %y = deconv.deconv %x, %w, %b {groups = 2, stride = array<i64: 2>, padding_mode = #deconv.padding_mode<same_upper>, output_padding = array<i64: 1>}
      : (tensor<1x2x4xf32>, tensor<2x1x2xf32>, tensor<2xf32>) -> tensor<1x2x8xf32>
  return %y : tensor<1x2x8xf32>
}

// Depthwise (CenterNet IDAUp): G = Cin = Cout = 64, one channel per group.
// CHECK-LABEL: func.func @depthwise
// CHECK: deconv.grouped_deconv %{{.*}}, %{{.*}} {dilation = array<i64: 1, 1>, post_padding = array<i64: 1, 1>, pre_padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<32x64x1x64x64xf32>, tensor<64x1x1x4x4xf32>) -> tensor<32x64x1x128x128xf32>
func.func @depthwise(%x: tensor<32x64x64x64xf32>, %w: tensor<64x1x4x4xf32>) -> tensor<32x64x128x128xf32> {
  %y = deconv.deconv %x, %w {groups = 64, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>}
      : (tensor<32x64x64x64xf32>, tensor<64x1x4x4xf32>) -> tensor<32x64x128x128xf32>
  return %y : tensor<32x64x128x128xf32>
}

// Dynamic batch and spatial sizes pass through the reshapes.
// CHECK-LABEL: func.func @dynamic
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[H:.*]] = tensor.dim %arg0, %c2
// CHECK: %[[X:.*]] = tensor.expand_shape %arg0 {{\[}}[0], [1, 2], [3], [4]] output_shape [%[[N]], 2, 2, %[[H]], 5] : tensor<?x4x?x5xf32> into tensor<?x2x2x?x5xf32>
// CHECK: %[[Y:.*]] = deconv.grouped_deconv %[[X]], %{{.*}} {{.*}} : (tensor<?x2x2x?x5xf32>, tensor<2x2x3x3x3xf32>) -> tensor<?x2x3x?x7xf32>
// CHECK: tensor.collapse_shape %[[Y]] {{\[}}[0], [1, 2], [3], [4]] : tensor<?x2x3x?x7xf32> into tensor<?x6x?x7xf32>
func.func @dynamic(%x: tensor<?x4x?x5xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<?x6x?x7xf32> {
  %y = deconv.deconv %x, %w {groups = 2}
      : (tensor<?x4x?x5xf32>, tensor<4x3x3x3xf32>) -> tensor<?x6x?x7xf32>
  return %y : tensor<?x6x?x7xf32>
}

// A result that writes `?` for a known size gets a cast back to it.
// CHECK-LABEL: func.func @relaxed_result
// CHECK: %[[C:.*]] = tensor.collapse_shape %{{.*}} : tensor<1x2x1x5xf32> into tensor<1x2x5xf32>
// CHECK: %[[R:.*]] = tensor.cast %[[C]] : tensor<1x2x5xf32> to tensor<?x2x?xf32>
// CHECK: return %[[R]]
func.func @relaxed_result(%x: tensor<1x2x3xf32>, %w: tensor<2x1x3xf32>) -> tensor<?x2x?xf32> {
  %y = deconv.deconv %x, %w {groups = 2} : (tensor<1x2x3xf32>, tensor<2x1x3xf32>) -> tensor<?x2x?xf32>
  return %y : tensor<?x2x?xf32>
}
