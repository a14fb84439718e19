// A run whose results would pass the memory budget is refused before the
// compiled code allocates them (which cannot report a failed allocation).
// The result is 1 x 1 x 1026 x 1026 f32 = 4,210,704 bytes, about 4.0 MB.
// RUN: not deconv-run %s --target=cpu --max-memory=4M --input="1x1x1024x1024xf32=1" 2>&1 | FileCheck %s --check-prefix=OVER
// OVER: deconv-run: the results of @main take 4.0 MB, more than the memory budget of 4.0 MB
// RUN: not deconv-run %s --target=cpu --max-memory=3000K --input="1x1x1024x1024xf32=1" 2>&1 | FileCheck %s --check-prefix=KILO
// KILO: deconv-run: the results of @main take 4.0 MB, more than the memory budget of 2.9 MB
// RUN: deconv-run %s --target=cpu --max-memory=5M --input="1x1x1024x1024xf32=1" --output=@%t.npy
// Bad sizes are one line each.
// RUN: not deconv-run %s --target=cpu --max-memory=lots --input="1x1x2x2xf32=1" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not deconv-run %s --target=cpu --max-memory=0 --input="1x1x2x2xf32=1" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not deconv-run %s --target=cpu --max-memory=99999999999T --input="1x1x2x2xf32=1" 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: deconv-run: --max-memory: a memory size is a positive number of bytes with an optional K, M, G or T, not
// RUN: not deconv-run %s --target=cuda-emulator --max-memory=1G --input="1x1x2x2xf32=1" 2>&1 | FileCheck %s --check-prefix=CUDA
// CUDA: deconv-run: --cpu-kernel, --cpu-tile and --max-memory need --target=cpu
func.func @main(%x: tensor<1x1x?x?xf32>) -> tensor<1x1x?x?xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x?x?xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x?x?xf32>
  return %y : tensor<1x1x?x?xf32>
}
