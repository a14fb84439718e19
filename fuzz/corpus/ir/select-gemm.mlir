func.func @main(%x: tensor<1x128x8x8xf32>, %w: tensor<128x128x4x4xf32>, %d: tensor<1x64x8x8xf32>, %wd: tensor<64x1x4x4xf32>) -> (tensor<1x128x16x16xf32>, tensor<1x64x16x16xf32>) {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<1x128x8x8xf32>, tensor<128x128x4x4xf32>) -> tensor<1x128x16x16xf32>
  %z = deconv.deconv %d, %wd {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, groups = 64} : (tensor<1x64x8x8xf32>, tensor<64x1x4x4xf32>) -> tensor<1x64x16x16xf32>
  return %y, %z : tensor<1x128x16x16xf32>, tensor<1x64x16x16xf32>
}
// RUN: not deconv-compile %t/static.mlir --describe --precision=fp8 2>&1 | FileCheck %s --check-prefix=PRECISION
// PRECISION: deconv-compile: unknown --precision 'fp8' (exact or tf32)
