// RUN: deconv-opt %s -deconv-lower-to-vectors="vector-width=8 tile-rows=6 tile-vectors=2" -canonicalize -cse | FileCheck %s
// RUN: not deconv-opt %s -deconv-lower-to-vectors="tile-rows=0" 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: vector-width, tile-rows and tile-vectors must be >= 1

// Channel tiles (8 output channels per group). Stride 2, K = 3: phase 0 has
// taps 0 and 2 (M = 2), phase 1 tap 1, both with c0 = 0; the padding that
// keeps them inside is 1 low ((M-1) - c0) and 1 high (ceil(3/2) - 1), so the
// f32 channels-last input is 2 x 2 x (3+2) x 2 = 40 floats; the weight
// (G, K, Cin/G, Cout/G) = 2 x 3 x 2 x 8 = 96, packed per (g, ci). Parallel
// over (n, g, phase) (one chunk), a 6 x 8 tile: six accumulators, one weight
// vector per input channel, six broadcasts. The tile leaves channel by
// channel, each channel's six rows in turn, with its bias.
// CHECK-LABEL: func.func @channels
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x2x8x7xf32>
// CHECK: %[[IN:.*]] = memref.alloc() {alignment = 64 : i64} : memref<40xf32>
// CHECK: scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) = (%c0, %c0, %c0) to (%c2, %c2, %c2)
// CHECK: tensor.extract %arg0
// CHECK: %[[W:.*]] = memref.alloc() {alignment = 64 : i64} : memref<96xf32>
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c2, %c2)
// CHECK: scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) = (%c0, %c0, %c0) to (%c2, %c2, %c2)
// CHECK: %[[TILE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<6x16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c6
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args
// CHECK-COUNT-1: vector.load %[[W]]
// CHECK-COUNT-6: vector.fma
// CHECK: vector.store %{{.*}}, %[[TILE]]
// CHECK: scf.for %[[C:.*]] = %c0 to %c8 step %c1 {
// CHECK: %[[BIAS:.*]] = tensor.extract %arg2
// CHECK-COUNT-6: memref.load %[[TILE]][%{{c[0-5]}}, %[[C]]]
// CHECK: arith.addf %{{.*}}, %[[BIAS]]
// CHECK: memref.store %{{.*}}, %[[OUT]]
func.func @channels(%x: tensor<2x2x2x3xf32>, %w: tensor<2x2x8x3xf32>, %b: tensor<2x8xf32>) -> tensor<2x2x8x7xf32> {
  %y = deconv.grouped_deconv %x, %w, %b {stride = array<i64: 2>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>}
      : (tensor<2x2x2x3xf32>, tensor<2x2x8x3xf32>, tensor<2x8xf32>) -> tensor<2x2x8x7xf32>
  return %y : tensor<2x2x8x7xf32>
}

// Position tiles (3 output channels per group, f16). Stride 1, K = 3: the
// input pads by 2 on both sides (2 x 9 = 18 floats). A line of the phase has
// 7 positions, which fill 7 lanes of one vector, so the tile has one
// position vector (more would be masked off entirely) and 3 accumulators.
// Stride 1 stores each channel's vector straight to the output, as f16.
// CHECK-LABEL: func.func @positions
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<18xf32>
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: %[[MASK:.*]] = vector.constant_mask [7] : vector<8xi1>
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// CHECK: vector.maskedload %{{.*}}, %[[MASK]]
// CHECK: vector.fma
// CHECK: arith.truncf %{{.*}} : vector<8xf32> to vector<8xf16>
// CHECK: vector.maskedstore %{{.*}}[%c0, %c0, %c0, %c0], %[[MASK]]
// CHECK: vector.maskedstore %{{.*}}[%c0, %c0, %c1, %c0], %[[MASK]]
// CHECK: vector.maskedstore %{{.*}}[%c0, %c0, %c2, %c0], %[[MASK]]
func.func @positions(%x: tensor<1x1x2x5xf16>, %w: tensor<1x2x3x3xf16>) -> tensor<1x1x3x7xf16> {
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>}
      : (tensor<1x1x2x5xf16>, tensor<1x2x3x3xf16>) -> tensor<1x1x3x7xf16>
  return %y : tensor<1x1x3x7xf16>
}

// A constant weight is packed at compile time: w[ci][co][k] with ci = 0: 1 2,
// ci = 1: 3 4 becomes (G, K, Cin/G, Cout/G) = 1 3 2 4, read from a constant;
// the original weight is gone.
// CHECK-LABEL: func.func @constant_weight
// CHECK-NOT: dense<{{\[\[\[\[}}
// CHECK: %[[PACKED:.*]] = arith.constant dense<[1.000000e+00, 3.000000e+00, 2.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK-NOT: memref.alloc() {alignment = 64 : i64} : memref<4xf32>
// CHECK: tensor.extract %[[PACKED]]
// CHECK: return
func.func @constant_weight(%x: tensor<1x1x2x5xf32>) -> tensor<1x1x1x6xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0]], [[3.0, 4.0]]]]> : tensor<1x2x1x2xf32>
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>}
      : (tensor<1x1x2x5xf32>, tensor<1x2x1x2xf32>) -> tensor<1x1x1x6xf32>
  return %y : tensor<1x1x1x6xf32>
}
