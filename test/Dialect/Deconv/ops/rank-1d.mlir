// RUN: deconv-opt %s | deconv-opt | FileCheck %s
// RUN: deconv-opt %s --mlir-print-op-generic | deconv-opt | FileCheck %s

// 1-D (HiFi-GAN-like upsampler): I=8, K=16, S=8, padding 4 -> 7*8+16-8 = 64.
// CHECK-LABEL: func.func @rank_1d
// CHECK: %[[Y:.*]] = deconv.deconv %arg0, %arg1, %arg2 {padding = array<i64: 4>, stride = array<i64: 8>} : (tensor<2x16x8xf32>, tensor<16x4x16xf32>, tensor<4xf32>) -> tensor<2x4x64xf32>
// CHECK: return %[[Y]]
func.func @rank_1d(%x: tensor<2x16x8xf32>, %w: tensor<16x4x16xf32>, %b: tensor<4xf32>) -> tensor<2x4x64xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 8>, padding = array<i64: 4>}
      : (tensor<2x16x8xf32>, tensor<16x4x16xf32>, tensor<4xf32>) -> tensor<2x4x64xf32>
  return %y : tensor<2x4x64xf32>
}
