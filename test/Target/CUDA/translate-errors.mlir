// deconv-translate --emit-cuda reports bad flags in one diagnostic each,
// without printing the module after it.
// RUN: not deconv-translate --emit-cuda %s --cuda-strategy=fastest 2>&1 | FileCheck %s --check-prefix=STRATEGY
// STRATEGY: error: unknown CUDA strategy 'fastest' (auto, direct, depthwise, thin_channel, gemm_d2s, implicit_gemm)
// STRATEGY-NOT: see current operation
// RUN: not deconv-translate --emit-cuda %s --precision=fp8 2>&1 | FileCheck %s --check-prefix=PRECISION
// PRECISION: error: unknown --precision 'fp8' (exact or tf32)
// PRECISION-NOT: see current operation
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
