// CUDA strategy and precision options: checked before anything runs.
// RUN: not deconv-run %s --target=cuda-emulator --cuda-strategy=fastest --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: deconv-run: unknown CUDA strategy 'fastest' (auto, direct, depthwise, thin_channel, gemm_d2s, implicit_gemm)
// RUN: not deconv-run %s --target=cpu --cuda-strategy=direct --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=CPU
// CPU: deconv-run: --cuda-strategy, --cuda-tile, --precision=tf32, --device-io and --tune need a CUDA target
// TF32 on the CPU is refused, not ignored; under --target=auto without a GPU
// it does not fall back to the CPU quietly either.
// RUN: not deconv-run %s --target=cpu --precision=tf32 --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: not deconv-run %s --target=cuda-emulator --precision=fp8 --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=PRECISION
// PRECISION: deconv-run: unknown --precision 'fp8' (exact or tf32)
// RUN: deconv-compile %s -o %t.plan
// RUN: not deconv-run %t.plan --target=cuda-emulator --cuda-strategy=direct --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=PLAN
// PLAN: deconv-run: a plan's kernels were chosen when it was compiled; pass --cuda-strategy, --cuda-tile, --precision and --tune to deconv-compile
// RUN: not deconv-run %t.plan --target=cuda-emulator --precision=tf32 --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=PLAN
// A tile the strategy does not have is one line naming those it has.
// RUN: not deconv-run %s --target=cuda-emulator --cuda-strategy=implicit_gemm --cuda-tile=32x32 --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=TILE
// TILE: 'deconv.grouped_deconv' op CUDA strategy 'implicit_gemm' cannot take this op: no 32x32 tile for 64x64x16 ffma, only 64x64, 128x128
// The forced strategy runs (1 2 3 under an all-ones kernel of 3).
// RUN: deconv-run %s --target=cuda-emulator --cuda-strategy=direct --precision=tf32 --input="1x1x3xf32=1 2 3" | FileCheck %s --check-prefix=RUNS
// RUNS: {{\[\[\[}}1 3 6 5 3]]]
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
