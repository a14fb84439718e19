// --cpu-kernel forces one CPU micro-kernel form and --cpu-tile one tile;
// both are checked before anything runs.
// RUN: not deconv-run %s --target=cpu --cpu-kernel=rows --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: deconv-run: --cpu-kernel must be auto, phases or columns, not 'rows'
// RUN: not deconv-run %s --target=cuda-emulator --cpu-kernel=columns --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=CUDA
// CUDA: deconv-run: --cpu-kernel, --cpu-tile and --max-memory need --target=cpu
// RUN: not deconv-run %s --target=cpu --cpu-tile=8x6 --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=TILE
// RUN: not deconv-run %s --target=cpu --cpu-tile=8x0x2 --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=TILE
// TILE: deconv-run: a CPU tile is LANESxROWSxVECTORS with each from 1 to 64 (e.g. 8x6x2), not
// Both forms give x * (1 2 3) with x = (1 2): 1 2 3 plus 2 4 6 shifted by
// one, and a bias of 10.
// RUN: deconv-run %s --target=cpu --cpu-kernel=phases --input="1x1x2xf32=1 2" | FileCheck %s
// RUN: deconv-run %s --target=cpu --cpu-kernel=columns --input="1x1x2xf32=1 2" | FileCheck %s
// RUN: deconv-run %s --target=cpu --cpu-kernel=columns --cpu-tile=4x1x1 --input="1x1x2xf32=1 2" | FileCheck %s
// CHECK: {{\[\[\[}}11 14 17 16]]]
func.func @main(%x: tensor<1x1x2xf32>) -> tensor<1x1x4xf32> {
  %w = arith.constant dense<[[[1.0, 2.0, 3.0]]]> : tensor<1x1x3xf32>
  %b = arith.constant dense<10.0> : tensor<1xf32>
  %y = deconv.deconv %x, %w, %b : (tensor<1x1x2xf32>, tensor<1x1x3xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  return %y : tensor<1x1x4xf32>
}
