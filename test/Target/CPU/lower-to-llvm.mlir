// RUN: deconv-opt --deconv-lower-to-llvm %s | FileCheck %s
// RUN: deconv-opt --deconv-lower-to-llvm %s | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR

// The CPU target's whole pipeline as one flag: the front half, the vector
// micro-kernels or loop nests, bufferization, OpenMP and the LLVM dialect;
// nothing of the higher dialects is left, and LLVM IR translates from it.

// CHECK-LABEL: llvm.func @main(
// CHECK: omp.parallel
// CHECK-NOT: deconv.
// CHECK-NOT: tensor.
// CHECK-NOT: memref.
// CHECK-NOT: scf.
// LLVMIR: define {{.*}} @main(
func.func @main(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x7x7xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}
