// RUN: deconv-opt %s -deconv-lower-to-vectors="vector-width=8 tile-rows=6 tile-vectors=2" -canonicalize -cse | FileCheck %s
// RUN: deconv-opt %s -deconv-lower-to-vectors="form=phases" | FileCheck %s --check-prefix=PHASES
// RUN: not deconv-opt %s -deconv-lower-to-vectors="form=rows" 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: form must be auto, phases or columns, not 'rows'
// PHASES-NOT: memref.collapse_shape

// The column form, which auto takes here: an image has 2 input positions and
// the op 16 input channels per group. One GEMM over Cin/G = 16 from the
// input and weight as they are (flattened, not copied): a row of the weight
// is Cout/G x K = 3 x 4 = 12 columns, so the one block has 2 vectors and the
// second masks its loads to 4 lanes. The block is first packed into a panel
// of 16 rows x 16 floats (prefetching the weight's rows ahead), which the
// tile reads. The buffer of columns holds 2 positions x 16 (12 rounded up to
// the vector width) = 32 floats. Rows 2..5 of the 6-row tile repeat
// position 1. Then per (co, phase) each output sums the columns of its
// taps: K = 4, S = 2, so every phase has taps 2 apart.
// CHECK-LABEL: func.func @columns
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x1x3x6xf32>
// CHECK: %[[X:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] : memref<1x1x16x2xf32> into memref<32xf32>
// CHECK: %[[W:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] : memref<1x16x3x4xf32> into memref<192xf32>
// CHECK: %[[COLS:.*]] = memref.alloc() {alignment = 64 : i64} : memref<32xf32>
// CHECK: %[[PANEL:.*]] = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
// CHECK: %[[MASK:.*]] = vector.constant_mask [4] : vector<8xi1>
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c1 {
// CHECK: %[[ROW:.*]] = arith.muli %{{.*}}, %c12 : index
// CHECK: memref.prefetch %[[W]]
// CHECK: vector.load %[[W]][%[[ROW]]] : memref<192xf32>, vector<8xf32>
// CHECK: vector.store %{{.*}}, %[[PANEL]]
// CHECK: vector.maskedload %[[W]][%{{.*}}], %[[MASK]]
// CHECK: vector.store %{{.*}}, %[[PANEL]]
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args
// CHECK-COUNT-2: vector.load %[[PANEL]]
// CHECK: memref.load %[[X]]
// CHECK-COUNT-2: vector.fma
// CHECK: memref.load %[[X]]
// CHECK-COUNT-10: vector.fma
// CHECK: vector.store %{{.*}}, %[[COLS]][%c0]
// CHECK: vector.store %{{.*}}, %[[COLS]][%c8]
// CHECK: vector.store %{{.*}}, %[[COLS]][%c16]
// CHECK: vector.store %{{.*}}, %[[COLS]][%c24]
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c3, %c2)
// CHECK: tensor.extract %arg2
// CHECK: scf.for
// CHECK: scf.for {{.*}} -> (f32)
// CHECK: memref.load %[[COLS]]
// CHECK: arith.addf
// CHECK: memref.store %{{.*}}, %[[OUT]]
func.func @columns(%x: tensor<1x1x16x2xf32>, %w: tensor<1x16x3x4xf32>, %b: tensor<1x3xf32>) -> tensor<1x1x3x6xf32> {
  %y = deconv.grouped_deconv %x, %w, %b {stride = array<i64: 2>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>}
      : (tensor<1x1x16x2xf32>, tensor<1x16x3x4xf32>, tensor<1x3xf32>) -> tensor<1x1x3x6xf32>
  return %y : tensor<1x1x3x6xf32>
}

// bf16 weights are widened once, into the panel.
// CHECK-LABEL: func.func @narrow
// CHECK: vector.load %{{.*}} : memref<{{[0-9]+}}xbf16>, vector<8xbf16>
// CHECK: arith.extf %{{.*}} : vector<8xbf16> to vector<8xf32>
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @narrow(%x: tensor<1x1x16x2xbf16>, %w: tensor<1x16x2x4xbf16>) -> tensor<1x1x2x6xbf16> {
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 2>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>}
      : (tensor<1x1x16x2xbf16>, tensor<1x16x2x4xbf16>) -> tensor<1x1x2x6xbf16>
  return %y : tensor<1x1x2x6xbf16>
}
