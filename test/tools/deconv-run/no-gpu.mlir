// Without a usable GPU: auto falls back to the CPU and says why; the CUDA
// target, plans and CUDA-only flags refuse with one line.
// UNSUPPORTED: cuda-runtime
// RUN: deconv-run %s --input="1x1x3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=AUTO
// AUTO: deconv-run: target cpu (no usable CUDA device: {{.*}})
// AUTO-NEXT: result 0: tensor<1x1x5xf32>
// RUN: not deconv-run %s --target=cuda --input="1x1x3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=CUDA
// CUDA: deconv-run: no usable CUDA device: {{.*}}
// Flags only a CUDA target honours make the fallback an error rather than
// being dropped.
// RUN: not deconv-run %s --cuda-strategy=direct --input="1x1x3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=FORCED
// RUN: not deconv-run %s --cuda-tile=64x64 --input="1x1x3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=FORCED
// RUN: not deconv-run %s --device-io --input="1x1x3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=FORCED
// RUN: not deconv-run %s --precision=tf32 --input="1x1x3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=FORCED
// FORCED-NOT: target cpu
// FORCED: deconv-run: no usable CUDA device: {{.*}}
// RUN: deconv-compile %s -o %t.plan
// RUN: not deconv-run %t.plan --input="1x1x3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=CUDA
// RUN: not deconv-run-runtime %t.plan --device-io --input="1x1x3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=CUDA
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
