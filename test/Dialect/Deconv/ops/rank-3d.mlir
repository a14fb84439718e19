// RUN: deconv-opt %s | deconv-opt | FileCheck %s
// RUN: deconv-opt %s --mlir-print-op-generic | deconv-opt | FileCheck %s

// nnU-Net-like 3-D up-convolution, k2 s2: 16 -> 32 on every axis.
// CHECK-LABEL: func.func @rank_3d
// CHECK: deconv.deconv %arg0, %arg1 {stride = array<i64: 2, 2, 2>} : (tensor<2x64x16x16x16xf32>, tensor<64x32x2x2x2xf32>) -> tensor<2x32x32x32x32xf32>
func.func @rank_3d(%x: tensor<2x64x16x16x16xf32>, %w: tensor<64x32x2x2x2xf32>) -> tensor<2x32x32x32x32xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2, 2>}
      : (tensor<2x64x16x16x16xf32>, tensor<64x32x2x2x2xf32>) -> tensor<2x32x32x32x32xf32>
  return %y : tensor<2x32x32x32x32xf32>
}
