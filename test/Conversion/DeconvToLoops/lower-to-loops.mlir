// RUN: deconv-opt %s -deconv-lower-to-loops -canonicalize -cse | FileCheck %s

// The gather form with stride-phase decomposition, on the cookbook's stride-2
// case in 1-D: I = 3, K = 3, S = 2, L = 1, no crop, O = 7. Per phase p the
// taps are k = k0 + 2m with k0 = p (g = 1, S' = 2, inv(1) = 1), so phase 0
// has 2 taps and phase 1 one; the input read is i = q + c0 - m.

// CHECK-LABEL: func.func @stride2
// CHECK: %[[Y:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x2x3x1x7xf32>
// Outer loops: n, g, co and the phase, all parallel.
// CHECK: scf.parallel (%[[N:.*]], %[[G:.*]], %[[CO:.*]], %[[P:.*]]) = (%c0, %c0, %c0, %c0) to (%c2, %c2, %c3, %c2)
// The phase's first tap and tap count: k0 = p mod 2, M = (2 - k0) floordiv 2 + 1.
// CHECK: %[[K0:.*]] = arith.remui %[[P]], %c2
// CHECK: arith.cmpi slt, %[[K0]], %c3
// CHECK: %[[M:.*]] = arith.select
// Q = ceildiv(7 - p, 2) outputs in the phase, each computed once.
// CHECK: %[[Q:.*]] = arith.ceildivsi
// CHECK: scf.parallel (%[[QI:.*]]) = (%c0) to (%[[Q]]) step (%c1)
// The tap range clipped to the input, computed once per output.
// CHECK: %[[LO:.*]] = arith.maxsi
// CHECK: %[[HI:.*]] = arith.minsi %[[M]]
// Bias first, then input channels, then only the taps that reach.
// CHECK: %[[INIT:.*]] = tensor.extract %arg2[%[[G]], %[[CO]]]
// CHECK: scf.for %[[CI:.*]] = %c0 to %c2 step %c1 iter_args(%[[ACC:.*]] = %[[INIT]])
// CHECK: scf.for %[[TAP:.*]] = %[[LO]] to %[[HI]] step %c1 iter_args
// CHECK-NOT: arith.remui
// CHECK: tensor.extract %arg0[%[[N]], %[[G]], %[[CI]], %c0, %{{.*}}]
// CHECK: tensor.extract %arg1[%[[G]], %[[CI]], %[[CO]], %c0, %{{.*}}]
// CHECK: arith.mulf
// CHECK: arith.addf
// One store per output, at o = p + 2q.
// CHECK: memref.store %{{.*}}, %[[Y]][%[[N]], %[[G]], %[[CO]], %c0, %{{.*}}]
// CHECK: bufferization.to_tensor %[[Y]] restrict writable
func.func @stride2(%x: tensor<2x2x2x1x3xf32>, %w: tensor<2x2x3x1x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x2x3x1x7xf32> {
  %y = deconv.grouped_deconv %x, %w, %b {stride = array<i64: 1, 2>, dilation = array<i64: 1, 1>, pre_padding = array<i64: 0, 0>, post_padding = array<i64: 0, 0>}
      : (tensor<2x2x2x1x3xf32>, tensor<2x2x3x1x3xf32>, tensor<2x3xf32>) -> tensor<2x2x3x1x7xf32>
  return %y : tensor<2x2x3x1x7xf32>
}

// Dynamic sizes stay SSA values: the batch and O = (I-1)*2 + 3 - 1 - 0 come
// from the input buffer. Without bias the accumulator starts at 0; f16 loads
// widen to f32 and the result narrows once.
// CHECK-LABEL: func.func @dynamic_f16
// CHECK-DAG: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK-DAG: %[[I:.*]] = tensor.dim %arg0, %c3
// CHECK: %[[Y:.*]] = memref.alloc(%[[N]], %{{.*}}) {alignment = 64 : i64} : memref<?x1x1x?xf16>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %cst)
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @dynamic_f16(%x: tensor<?x1x1x?xf16>, %w: tensor<1x1x1x3xf16>) -> tensor<?x1x1x?xf16> {
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 2>, dilation = array<i64: 1>, pre_padding = array<i64: 1>, post_padding = array<i64: 0>}
      : (tensor<?x1x1x?xf16>, tensor<1x1x1x3xf16>) -> tensor<?x1x1x?xf16>
  return %y : tensor<?x1x1x?xf16>
}

// When the stride and the dilation share a factor (S = 4, L = 2: g = 2),
// odd residues have no taps: the nest tests r mod g once per phase.
// CHECK-LABEL: func.func @shared_factor
// CHECK: arith.remui %{{.*}}, %c2
// CHECK: arith.cmpi eq
// CHECK: arith.andi
func.func @shared_factor(%x: tensor<1x1x1x3xf32>, %w: tensor<1x1x1x3xf32>) -> tensor<1x1x1x13xf32> {
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 4>, dilation = array<i64: 2>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>}
      : (tensor<1x1x1x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x1x1x13xf32>
  return %y : tensor<1x1x1x13xf32>
}
