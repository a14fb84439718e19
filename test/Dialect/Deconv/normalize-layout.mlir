// RUN: deconv-opt %s -deconv-normalize-layout | FileCheck %s
// RUN: deconv-opt %s -deconv-normalize-layout | deconv-opt -deconv-normalize-layout | FileCheck %s

// Data becomes channels-first, weights (Cin, Cout/G, K...). Constant weights
// are rearranged at compile time; the values below are worked by hand.

// Channels-last data: transposed in, computed channels-first, transposed out.
// CHECK-LABEL: func.func @channels_last
// CHECK: %[[E0:.*]] = tensor.empty(%{{.*}}) : tensor<?x8x3x4xf32>
// CHECK: %[[IN:.*]] = linalg.transpose ins(%arg0 : tensor<?x3x4x8xf32>) outs(%[[E0]] : tensor<?x8x3x4xf32>) permutation = [0, 3, 1, 2]
// CHECK: %[[Y:.*]] = deconv.deconv %[[IN]], %arg1, %arg2 {stride = array<i64: 2, 2>} : (tensor<?x8x3x4xf32>, tensor<8x16x2x2xf32>, tensor<16xf32>) -> tensor<?x16x6x8xf32>
// CHECK: %[[OUT:.*]] = linalg.transpose ins(%[[Y]] : tensor<?x16x6x8xf32>) outs(%{{.*}} : tensor<?x6x8x16xf32>) permutation = [0, 2, 3, 1]
// CHECK: return %[[OUT]]
func.func @channels_last(%x: tensor<?x3x4x8xf32>, %w: tensor<8x16x2x2xf32>, %b: tensor<16xf32>) -> tensor<?x6x8x16xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, data_format = #deconv.data_format<channels_last>}
      : (tensor<?x3x4x8xf32>, tensor<8x16x2x2xf32>, tensor<16xf32>) -> tensor<?x6x8x16xf32>
  return %y : tensor<?x6x8x16xf32>
}

// A runtime cin_k_cout weight (Cin, K..., Cout/G) gets a transpose.
// CHECK-LABEL: func.func @cin_k_cout_runtime
// CHECK: %[[W:.*]] = linalg.transpose ins(%arg1 : tensor<4x3x2x3xf32>) outs(%{{.*}} : tensor<4x3x3x2xf32>) permutation = [0, 3, 1, 2]
// CHECK: deconv.deconv %arg0, %[[W]] {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x3x3x2xf32>) -> tensor<1x6x5x4xf32>
func.func @cin_k_cout_runtime(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x2x3xf32>) -> tensor<1x6x5x4xf32> {
  %y = deconv.deconv %x, %w {groups = 2, kernel_format = #deconv.kernel_format<cin_k_cout>}
      : (tensor<1x4x3x3xf32>, tensor<4x3x2x3xf32>) -> tensor<1x6x5x4xf32>
  return %y : tensor<1x6x5x4xf32>
}

// A constant one is rearranged in place: w[ci][k][co] = 10*ci + 3*co + k
// (Cin 2, K 3, Cout 2) becomes w'[ci][co][k].
// CHECK-LABEL: func.func @cin_k_cout_constant
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[
// CHECK-SAME: [0.000000e+00, 1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00, 5.000000e+00]],
// CHECK-SAME: [1.000000e+01, 1.100000e+01, 1.200000e+01], [1.300000e+01, 1.400000e+01, 1.500000e+01]]]> : tensor<2x2x3xf32>
// CHECK-NOT: linalg.transpose
// CHECK: deconv.deconv %arg0, %[[W]] : (tensor<1x2x4xf32>, tensor<2x2x3xf32>) -> tensor<1x2x6xf32>
func.func @cin_k_cout_constant(%x: tensor<1x2x4xf32>) -> tensor<1x2x6xf32> {
  %w = arith.constant dense<[[[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]], [[10.0, 13.0], [11.0, 14.0], [12.0, 15.0]]]> : tensor<2x3x2xf32>
  %y = deconv.deconv %x, %w {kernel_format = #deconv.kernel_format<cin_k_cout>}
      : (tensor<1x2x4xf32>, tensor<2x3x2xf32>) -> tensor<1x2x6xf32>
  return %y : tensor<1x2x6xf32>
}

// cout_k_cin without groups is a plain transpose (Cout, K, Cin) -> (Cin, Cout, K).
// CHECK-LABEL: func.func @cout_k_cin_runtime
// CHECK: %[[W:.*]] = linalg.transpose ins(%arg1 : tensor<6x3x2x4xf32>) outs(%{{.*}} : tensor<4x6x3x2xf32>) permutation = [3, 0, 1, 2]
// CHECK: deconv.deconv %arg0, %[[W]] : (tensor<1x4x3x3xf32>, tensor<4x6x3x2xf32>) -> tensor<1x6x5x4xf32>
func.func @cout_k_cin_runtime(%x: tensor<1x4x3x3xf32>, %w: tensor<6x3x2x4xf32>) -> tensor<1x6x5x4xf32> {
  %y = deconv.deconv %x, %w {kernel_format = #deconv.kernel_format<cout_k_cin>}
      : (tensor<1x4x3x3xf32>, tensor<6x3x2x4xf32>) -> tensor<1x6x5x4xf32>
  return %y : tensor<1x6x5x4xf32>
}

// With groups the channels regroup: (Cout, K, Cin/G) -> (G, Cout/G, K, Cin/G)
// -> (G, Cin/G, Cout/G, K) -> (Cin, Cout/G, K).
// CHECK-LABEL: func.func @cout_k_cin_groups_runtime
// CHECK: %[[E:.*]] = tensor.expand_shape %arg1 {{\[}}[0, 1], [2], [3]] output_shape [2, 3, 2, 2] : tensor<6x2x2xf32> into tensor<2x3x2x2xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[E]] : tensor<2x3x2x2xf32>) outs(%{{.*}} : tensor<2x2x3x2xf32>) permutation = [0, 3, 1, 2]
// CHECK: %[[W:.*]] = tensor.collapse_shape %[[T]] {{\[}}[0, 1], [2], [3]] : tensor<2x2x3x2xf32> into tensor<4x3x2xf32>
// CHECK: deconv.deconv %arg0, %[[W]] {groups = 2 : i64} : (tensor<1x4x5xf32>, tensor<4x3x2xf32>) -> tensor<1x6x6xf32>
func.func @cout_k_cin_groups_runtime(%x: tensor<1x4x5xf32>, %w: tensor<6x2x2xf32>) -> tensor<1x6x6xf32> {
  %y = deconv.deconv %x, %w {groups = 2, kernel_format = #deconv.kernel_format<cout_k_cin>}
      : (tensor<1x4x5xf32>, tensor<6x2x2xf32>) -> tensor<1x6x6xf32>
  return %y : tensor<1x6x6xf32>
}

// Constant, Cin 4, G 2, Cout 2, K 1: w[co][0][i] = 10*co + i. Input channel
// g*2 + i of group g = co meets output channel co: w'[ci][0][0] =
// w[ci / 2][0][ci % 2], i.e. 0, 1, 10, 11.
// CHECK-LABEL: func.func @cout_k_cin_groups_constant
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}[0.000000e+00]], {{\[}}[1.000000e+00]], {{\[}}[1.000000e+01]], {{\[}}[1.100000e+01]]]> : tensor<4x1x1xf32>
// CHECK-NOT: linalg.transpose
// CHECK: deconv.deconv %arg0, %[[W]] {groups = 2 : i64} : (tensor<1x4x3xf32>, tensor<4x1x1xf32>) -> tensor<1x2x3xf32>
func.func @cout_k_cin_groups_constant(%x: tensor<1x4x3xf32>) -> tensor<1x2x3xf32> {
  %w = arith.constant dense<[[[0.0, 1.0]], [[10.0, 11.0]]]> : tensor<2x1x2xf32>
  %y = deconv.deconv %x, %w {groups = 2, kernel_format = #deconv.kernel_format<cout_k_cin>}
      : (tensor<1x4x3xf32>, tensor<2x1x2xf32>) -> tensor<1x2x3xf32>
  return %y : tensor<1x2x3xf32>
}

// A splat stays a splat.
// CHECK-LABEL: func.func @splat
// CHECK: %[[W:.*]] = arith.constant dense<5.000000e-01> : tensor<3x2x2xf32>
// CHECK: deconv.deconv %arg0, %[[W]]
func.func @splat(%x: tensor<1x3x4xf32>) -> tensor<1x2x5xf32> {
  %w = arith.constant dense<0.5> : tensor<3x2x2xf32>
  %y = deconv.deconv %x, %w {kernel_format = #deconv.kernel_format<cin_k_cout>}
      : (tensor<1x3x4xf32>, tensor<3x2x2xf32>) -> tensor<1x2x5xf32>
  return %y : tensor<1x2x5xf32>
}

// f16 constants move two bytes per element; w[ci][k][co] -> w'[ci][co][k].
// CHECK-LABEL: func.func @f16
// CHECK: arith.constant dense<{{\[}}{{\[}}[1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]]> : tensor<1x2x2xf16>
func.func @f16(%x: tensor<1x1x4xf16>) -> tensor<1x2x5xf16> {
  %w = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf16>
  %y = deconv.deconv %x, %w {kernel_format = #deconv.kernel_format<cin_k_cout>}
      : (tensor<1x1x4xf16>, tensor<1x2x2xf16>) -> tensor<1x2x5xf16>
  return %y : tensor<1x2x5xf16>
}

// A dense_resource weight stays a resource. The blob holds the f32 values
// 1, 2, 3, 4 as (Cin 1, K 2, Cout 2): w'[0][co][k] = 1, 3, 2, 4.
// CHECK-LABEL: func.func @resource
// CHECK: %[[W:.*]] = arith.constant dense_resource<[[$NAME:.*]]> : tensor<1x2x2xf32>
// CHECK: deconv.deconv %arg0, %[[W]]
func.func @resource(%x: tensor<1x1x4xf32>) -> tensor<1x2x5xf32> {
  %w = arith.constant dense_resource<weights> : tensor<1x2x2xf32>
  %y = deconv.deconv %x, %w {kernel_format = #deconv.kernel_format<cin_k_cout>}
      : (tensor<1x1x4xf32>, tensor<1x2x2xf32>) -> tensor<1x2x5xf32>
  return %y : tensor<1x2x5xf32>
}

// Channels-last data and a channels-last weight together, with runtime
// weights and a result that writes `?` for a size the op knows (5).
// CHECK-LABEL: func.func @both
// CHECK: %[[IN:.*]] = linalg.transpose ins(%arg0 : tensor<2x3x4xf32>) {{.*}} permutation = [0, 2, 1]
// CHECK: %[[W:.*]] = linalg.transpose ins(%arg1 : tensor<4x3x2xf32>) {{.*}} permutation = [0, 2, 1]
// CHECK: %[[Y:.*]] = deconv.deconv %[[IN]], %[[W]] : (tensor<2x4x3xf32>, tensor<4x2x3xf32>) -> tensor<2x2x?xf32>
// CHECK: linalg.transpose ins(%[[Y]] : tensor<2x2x?xf32>) {{.*}} : tensor<2x?x2xf32>) permutation = [0, 2, 1]
func.func @both(%x: tensor<2x3x4xf32>, %w: tensor<4x3x2xf32>) -> tensor<2x?x2xf32> {
  %y = deconv.deconv %x, %w {data_format = #deconv.data_format<channels_last>, kernel_format = #deconv.kernel_format<cin_k_cout>}
      : (tensor<2x3x4xf32>, tensor<4x3x2xf32>) -> tensor<2x?x2xf32>
  return %y : tensor<2x?x2xf32>
}

// Spelled-out defaults are dropped; nothing else changes.
// CHECK-LABEL: func.func @defaults
// CHECK: deconv.deconv %arg0, %arg1 : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
func.func @defaults(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %y = deconv.deconv %x, %w {data_format = #deconv.data_format<channels_first>, kernel_format = #deconv.kernel_format<cin_cout_k>}
      : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// The rearranged blob keeps the source's 4-byte alignment (the first word).
// CHECK: dialect_resources
// CHECK: [[$NAME]]: "0x040000000000803F000040400000004000008040"

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
