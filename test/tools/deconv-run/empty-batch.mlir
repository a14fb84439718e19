// A 128-byte .npy with batch 0 and a spatial size of 9e17 for a dynamic
// graph: an empty result at once (counting the useful multiply-adds once
// looped over every input position).
// RUN: %python -c "import sys; h=\"{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1, 900000000000000000), }\"; h=h+' '*(117-len(h))+'\n'; open(sys.argv[1],'wb').write(b'\x93NUMPY\x01\x00'+len(h).to_bytes(2,'little')+h.encode())" %t.npy
// RUN: deconv-run %s --target=cpu --input=@%t.npy --benchmark=1 | FileCheck %s
// CHECK: benchmark: 1 runs, median {{[0-9.]+}} ms{{$}}
// CHECK: result 0: tensor<0x1x900000000000000002xf32>
// A plan (the CUDA target) refuses an empty batch in one line that says so.
// RUN: %python -c "import sys; h=\"{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1, 4), }\"; h=h+' '*(117-len(h))+'\n'; open(sys.argv[1],'wb').write(b'\x93NUMPY\x01\x00'+len(h).to_bytes(2,'little')+h.encode())" %t.small.npy
// RUN: not deconv-run %s --target=cuda-emulator --input=@%t.small.npy 2>&1 | FileCheck %s --check-prefix=PLAN
// PLAN: deconv-run: input 0 is tensor<0x1x4xf32>: size 0 on axis 0; plans run sizes of at least 1 (an empty batch runs on the CPU target)
func.func @main(%x: tensor<?x1x?xf32>) -> tensor<?x1x?xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<?x1x?xf32>, tensor<1x1x3xf32>) -> tensor<?x1x?xf32>
  return %y : tensor<?x1x?xf32>
}
