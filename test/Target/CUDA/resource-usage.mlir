// REQUIRES: nvrtc
// The implicit GEMM's kernels keep everything in registers: ptxas (through
// NVRTC, for sm_80 and sm_90) reports no spill for layers shaped like the
// benchmark suite's, in every variant (FFMA f32, TF32, bf16 and f16 tensor
// cores), static and dynamic sizes.
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=implicit_gemm --cuda-arch=sm_80,sm_90 --cuda-resource-usage > %t.exact
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=implicit_gemm --precision=tf32 --cuda-arch=sm_80,sm_90 --cuda-resource-usage > %t.tf32
// Every tile forced too: 128x128 (FFMA 8x8 per thread, 4x4 warps; tf32 in
// two stages, three would pass the 99 KB of shared memory of sm_86) and
// 128x64 (under tf32, every op on tensor cores).
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=implicit_gemm --cuda-tile=128x128 --cuda-arch=sm_80,sm_90 --cuda-resource-usage > %t.large
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=implicit_gemm --cuda-tile=128x128 --precision=tf32 --cuda-arch=sm_80,sm_90 --cuda-resource-usage > %t.large-tf32
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=implicit_gemm --cuda-tile=128x64 --precision=tf32 --cuda-arch=sm_80,sm_90 --cuda-resource-usage > %t.tall
// RUN: cat %t.exact %t.tf32 | FileCheck %s
// RUN: cat %t.exact %t.tf32 | grep -c "bytes spill stores" | FileCheck %s --check-prefix=COUNT
// RUN: cat %t.large %t.large-tf32 %t.tall | FileCheck %s --check-prefix=TILES
// RUN: not grep -E "[1-9][0-9]* bytes (spill|stack)" %t.exact %t.tf32 %t.large %t.large-tf32 %t.tall
// TILES: 128x128x16 ffma
// TILES: 128x128x32 mma.sync bf16
// TILES: 128x128x32 mma.sync tf32, 2-stage cp.async
// TILES: 128x64x32 mma.sync tf32
// CHECK: x16 ffma
// CHECK: sm_80: ptxas {{.*}} 0 bytes spill stores, 0 bytes spill loads
// CHECK: x32 mma.sync bf16
// CHECK: x32 mma.sync f16
// CHECK: x32 mma.sync tf32
// Five ops of two kernels each (the weight packing and the GEMM), two
// architectures, two policies.
// COUNT: 40
func.func @dcgan(%x: tensor<?x512x4x4xf32>, %w: tensor<512x256x4x4xf32>, %b: tensor<256xf32>) -> tensor<?x256x8x8xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<?x512x4x4xf32>, tensor<512x256x4x4xf32>, tensor<256xf32>) -> tensor<?x256x8x8xf32>
  return %y : tensor<?x256x8x8xf32>
}
func.func @unet_bf16(%x: tensor<8x128x32x32xbf16>, %w: tensor<128x64x2x2xbf16>) -> tensor<8x64x64x64xbf16> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>} : (tensor<8x128x32x32xbf16>, tensor<128x64x2x2xbf16>) -> tensor<8x64x64x64xbf16>
  return %y : tensor<8x64x64x64xbf16>
}
func.func @nnunet_f16(%x: tensor<2x64x8x8x8xf16>, %w: tensor<64x32x2x2x2xf16>) -> tensor<2x32x16x16x16xf16> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2, 2>} : (tensor<2x64x8x8x8xf16>, tensor<64x32x2x2x2xf16>) -> tensor<2x32x16x16x16xf16>
  return %y : tensor<2x32x16x16x16xf16>
}
func.func @hifigan(%x: tensor<16x512x?xf32>, %w: tensor<512x256x16xf32>) -> tensor<16x256x?xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 8>, padding = array<i64: 4>} : (tensor<16x512x?xf32>, tensor<512x256x16xf32>) -> tensor<16x256x?xf32>
  return %y : tensor<16x256x?xf32>
}
func.func @grouped(%x: tensor<4x2048x16x16xf32>, %w: tensor<2048x256x3x3xf32>) -> tensor<4x1024x33x33xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, groups = 4} : (tensor<4x2048x16x16xf32>, tensor<2048x256x3x3xf32>) -> tensor<4x1024x33x33xf32>
  return %y : tensor<4x1024x33x33xf32>
}
