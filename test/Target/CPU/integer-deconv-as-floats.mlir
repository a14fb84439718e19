// RUN: deconv-opt %s --deconv-integer-deconv-as-floats --split-input-file | FileCheck %s

// An integer deconvolution on the CPU's f32 micro-kernels: centered
// operands, input channels sliced so every f32 partial sum is an exact
// integer (below 2^24), the slices' sums added in i32 and requantized.

// i8 x i8 with zero points 0: products up to 128 * 128 = 16384, 4 taps, so
// 2^24 / (4 * 16384) = 256 input channels per slice: 600 channels are a
// first slice of 256, the other whole slice (one) in a loop from 1 to 2, and
// the remaining 88.
// CHECK-LABEL: func.func @slices
// CHECK: tensor.extract_slice %arg0[0, 0, 0, 0] [1, 1, 256, 3]
// CHECK: tensor.extract_slice %arg1[0, 0, 0, 0] [1, 256, 2, 4]
// CHECK: arith.extsi
// CHECK: arith.sitofp
// CHECK: %[[Y0:.*]] = deconv.grouped_deconv {{.*}} : (tensor<1x1x256x3xf32>, tensor<1x256x2x4xf32>) -> tensor<1x1x2x6xf32>
// CHECK: %[[S0:.*]] = linalg.generic {{.*}} ins(%[[Y0]] : tensor<1x1x2x6xf32>)
// CHECK: arith.fptosi
// CHECK: %[[S1:.*]] = scf.for %[[I:.*]] = %{{.*}} to %c2 step %{{.*}} iter_args(%[[ACC:.*]] = %[[S0]])
// CHECK: %[[FIRST:.*]] = arith.muli %[[I]], %c256
// CHECK: tensor.extract_slice %arg0[0, 0, %[[FIRST]], 0] [1, 1, 256, 3]
// CHECK: tensor.extract_slice %arg1[0, %[[FIRST]], 0, 0] [1, 256, 2, 4]
// CHECK: %[[Y1:.*]] = deconv.grouped_deconv {{.*}} -> tensor<1x1x2x6xf32>
// CHECK: linalg.generic {{.*}} ins(%[[Y1]] : tensor<1x1x2x6xf32>) outs(%[[ACC]] : tensor<1x1x2x6xi32>)
// CHECK: arith.fptosi
// CHECK: arith.addi
// CHECK: scf.yield
// CHECK: tensor.extract_slice %arg0[0, 0, 512, 0] [1, 1, 88, 3]
// CHECK: %[[Y2:.*]] = deconv.grouped_deconv {{.*}} : (tensor<1x1x88x3xf32>, tensor<1x88x2x4xf32>) -> tensor<1x1x2x6xf32>
// CHECK: %[[S2:.*]] = linalg.generic {{.*}} ins(%[[Y2]] : tensor<1x1x2x6xf32>) outs(%[[S1]] :
// CHECK-NOT: deconv.grouped_deconv
// The epilogue: f32(sx * sw) = 0.5 * 0.25, the bias, the output scale 2.
// CHECK: linalg.generic {{.*}} ins(%[[S2]], %arg2 : tensor<1x1x2x6xi32>, tensor<1x2xf32>) outs
// CHECK: %[[ACC:.*]] = arith.sitofp
// CHECK: %[[SCALED:.*]] = arith.mulf %[[ACC]], %cst{{.*}}
// CHECK: %[[BIASED:.*]] = arith.addf %[[SCALED]]
// CHECK: arith.divf %[[BIASED]]
// CHECK: math.roundeven
// CHECK: -> tensor<1x1x2x6xi8>
func.func @slices(%x: tensor<1x1x600x3xi8>, %w: tensor<1x600x2x4xi8>, %b: tensor<1x2xf32>) -> tensor<1x1x2x6xi8> {
  %y = deconv.grouped_deconv %x, %w, %b {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>, quantization = #deconv.quantization<input_scale = [0.5], input_zero_point = [0], weight_scale = [0.25], weight_zero_point = [0], output_scale = [2.0], output_zero_point = [0]>} : (tensor<1x1x600x3xi8>, tensor<1x600x2x4xi8>, tensor<1x2xf32>) -> tensor<1x1x2x6xi8>
  return %y : tensor<1x1x2x6xi8>
}

// -----

// A constant weight is centered at compile time, with its zero point per
// output channel: (5, -3) - 2 and (7, 0) + 1. The multipliers differ per
// channel, so they are a (G, Cout/G) table: 0.5 * 0.25 and 0.5 * 0.5.
// CHECK-LABEL: func.func @constant_weight
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}3.000000e+00, -5.000000e+00], [8.000000e+00, 1.000000e+00]]]]> : tensor<1x1x2x2xf32>
// CHECK-NEXT: deconv.grouped_deconv %{{.*}}, %[[W]] {
// CHECK-NOT: quantization
// CHECK: arith.constant dense<{{\[\[}}1.250000e-01, 2.500000e-01]]> : tensor<1x2xf32>
func.func @constant_weight(%x: tensor<1x1x1x3xui8>) -> tensor<1x1x2x4xui8> {
  %w = arith.constant dense<[[[[5, -3], [7, 0]]]]> : tensor<1x1x2x2xi8>
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>, quantization = #deconv.quantization<input_scale = [0.5], input_zero_point = [128], weight_scale = [0.25, 0.5], weight_zero_point = [2, -1], output_scale = [1.0], output_zero_point = [3]>} : (tensor<1x1x1x3xui8>, tensor<1x1x2x2xi8>) -> tensor<1x1x2x4xui8>
  return %y : tensor<1x1x2x4xui8>
}

// -----

// 11 x 11 x 11 = 1331 taps of up to 16384 could pass 2^24 on their own: the
// integer loop nest keeps the op.
// CHECK-LABEL: func.func @too_many_taps
// CHECK: deconv.grouped_deconv {{.*}}quantization = #deconv.quantization
// CHECK-NOT: linalg.generic
func.func @too_many_taps(%x: tensor<1x1x1x1x1x1xi8>, %w: tensor<1x1x1x11x11x11xi8>) -> tensor<1x1x1x11x11x11xi8> {
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1, 1, 1>, dilation = array<i64: 1, 1, 1>, pre_padding = array<i64: 0, 0, 0>, post_padding = array<i64: 0, 0, 0>, quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [0]>} : (tensor<1x1x1x1x1x1xi8>, tensor<1x1x1x11x11x11xi8>) -> tensor<1x1x1x11x11x11xi8>
  return %y : tensor<1x1x1x11x11x11xi8>
}
