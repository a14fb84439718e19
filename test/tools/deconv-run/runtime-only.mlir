// The runtime-only deconv-run takes plans alone, with one-line errors.
// RUN: deconv-compile %s -o %t.plan
// RUN: not deconv-run-runtime 2>&1 | FileCheck %s --check-prefix=USAGE
// USAGE: deconv-run: usage: deconv-run FILE.plan --input=@x.npy ... [--output=@y.npy ...] [--benchmark=N] [--target=auto|cuda|cuda-emulator] [--device-io]
// RUN: not deconv-run-runtime %t.plan --target=cpu --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=CPU
// CPU: deconv-run: this build runs plans on the GPU only; the CPU target needs the compiler build
// RUN: not deconv-run-runtime %s --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=NOTPLAN
// NOTPLAN: deconv-run: '{{.*}}runtime-only.mlir': not a deconv plan (no DECONV-PLAN header)
// RUN: not deconv-run-runtime %t.plan 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: deconv-run: @main takes 1 inputs, got 0 --input
// RUN: not deconv-run-runtime %t.plan --input=1x1x3xf32=1 --benchmark=many 2>&1 | FileCheck %s --check-prefix=BENCH
// BENCH: deconv-run: --benchmark needs a number of runs, got 'many'
// RUN: not deconv-run-runtime %t.plan --input=@%t.missing.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: deconv-run: input 0: cannot open '{{.*}}missing.npy': No such file or directory
// RUN: not deconv-run-runtime %t.plan --input=1x1x3xf32=1 --frobnicate 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: deconv-run: unknown option '--frobnicate'
// RUN: not deconv-run-runtime %t.plan --input=1x1x3xf32=1 --target=tpu 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: deconv-run: unknown --target 'tpu' (auto, cpu, cuda or cuda-emulator)
// On the host emulator the runtime-only build runs plans too, both ways:
// 1 2 3 under an all-ones kernel of 3 gives the running sums.
// RUN: deconv-run-runtime %t.plan --target=cuda-emulator --input="1x1x3xf32=1 2 3" | FileCheck %s --check-prefix=EMULATED
// RUN: deconv-run-runtime %t.plan --target=cuda-emulator --device-io --input="1x1x3xf32=1 2 3" | FileCheck %s --check-prefix=EMULATED
// EMULATED: {{\[\[\[}}1 3 6 5 3]]]
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
