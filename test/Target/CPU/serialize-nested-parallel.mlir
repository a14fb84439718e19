// RUN: deconv-opt %s -deconv-serialize-nested-parallel | FileCheck %s

// Only the outermost scf.parallel of a nest stays parallel (the CPU runs it
// on threads); those inside become scf.for nests, one loop per dimension,
// over the same bounds and steps, with the body unchanged.
// CHECK-LABEL: func.func @nest
// CHECK: scf.parallel (%[[I:.*]]) = (%[[C0:.*]]) to (%[[C4:.*]]) step (%[[C1:.*]]) {
// CHECK-NEXT: scf.for %[[J:.*]] = %[[C0]] to %[[C8:.*]] step %[[C1]] {
// CHECK-NEXT: scf.for %[[K:.*]] = %[[C0]] to %[[C2:.*]] step %[[C1]] {
// CHECK-NEXT: memref.store %{{.*}}, %{{.*}}[%[[I]], %[[J]], %[[K]]]
// CHECK-NOT: scf.parallel
func.func @nest(%m: memref<4x8x2xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.parallel (%j, %k) = (%c0, %c0) to (%c8, %c2) step (%c1, %c1) {
      memref.store %v, %m[%i, %j, %k] : memref<4x8x2xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// A lone parallel loop is left alone.
// CHECK-LABEL: func.func @alone
// CHECK: scf.parallel
// CHECK-NOT: scf.for
func.func @alone(%m: memref<4xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    memref.store %v, %m[%i] : memref<4xf32>
    scf.reduce
  }
  return
}
