// The emulator is a real check: a plan whose kernel is made wrong on
// purpose (with test/Inputs/plan_tool.py, outside the compiler) fails.
// REQUIRES: cuda-emulator
// RUN: rm -rf %t && mkdir -p %t
// RUN: deconv-compile %S/../seeds/cookbook-stride-2-2.mlir -o %t/good.plan --cuda-strategy=direct
// RUN: deconv-run %t/good.plan --target=cuda-emulator --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t/good.npy
// RUN: %python %inputs/check_npy.py %t/good.npy %S/../seeds/cookbook-stride-2-2.mlir

// An output index shifted by one: the last thread writes past the result.
// RUN: %python %inputs/plan_tool.py replace %t/good.plan %t/shifted.plan "result[" "result[1 + "
// RUN: not deconv-run %t/shifted.plan --target=cuda-emulator --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" 2>&1 | FileCheck %s --check-prefix=SHIFTED
// SHIFTED: deconv-run: cuLaunchKernel failed: out-of-bounds write of 4 bytes at byte offset 196 of a buffer of 196 bytes (thread (48,0,0) of block (0,0,0) in deconv_kernel_0)

// Two outputs mapped to one element: conflicting writes.
// RUN: %python %inputs/plan_tool.py replace %t/good.plan %t/folded.plan "thread % 7LL;" "(thread % 7LL) / 2 * 2;"
// RUN: not deconv-run %t/folded.plan --target=cuda-emulator --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" 2>&1 | FileCheck %s --check-prefix=FOLDED
// FOLDED: conflicting writes: two threads of one launch write byte

// A weight index run backwards reads before the weights' start.
// RUN: %python %inputs/plan_tool.py replace %t/good.plan %t/tap.plan "weight[" "weight[8 - "
// RUN: not deconv-run %t/tap.plan --target=cuda-emulator --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" 2>&1 | FileCheck %s --check-prefix=TAP
// TAP: deconv-run: cuLaunchKernel failed: out-of-bounds read of 4 bytes at byte offset 36 of a buffer of 36 bytes

// A wrong value that breaks no rule runs, and the numbers say so.
// RUN: %python %inputs/plan_tool.py replace %t/good.plan %t/scaled.plan "] = v" "] = 0.5f * v"
// RUN: deconv-run %t/scaled.plan --target=cuda-emulator --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t/scaled.npy
// RUN: not %python %inputs/check_npy.py %t/scaled.npy %S/../seeds/cookbook-stride-2-2.mlir

// The implicit GEMM stages K slices (72 deep here: five of 16) through
// three stages of shared memory filled by cp.async two slices ahead: each
// slice waits for its own copies, then one barrier. Without the barrier a
// thread reads what another has not copied; without the wait, or with a
// wait that leaves this slice's copies in flight, or refilling the stage
// being computed instead of the one computed last, a read meets a copy
// still landing.
// RUN: deconv-compile %s -o %t/gemm.plan --cuda-strategy=implicit_gemm
// RUN: %python -c "import numpy as n, sys; n.save(sys.argv[1], n.random.default_rng(0).uniform(-1, 1, (1, 8, 5, 5)).astype(n.float32))" %t/x.npy
// RUN: %python %inputs/plan_tool.py replace %t/gemm.plan %t/no-barrier.plan "__syncthreads();" ""
// RUN: not deconv-run %t/no-barrier.plan --target=cuda-emulator --input=@%t/x.npy 2>&1 | FileCheck %s --check-prefix=NOBARRIER
// NOBARRIER: deconv-run: cuLaunchKernel failed: read of never-written shared memory
// RUN: %python %inputs/plan_tool.py replace %t/gemm.plan %t/no-wait.plan "deconv_cp_async_wait<1>();" ""
// RUN: not deconv-run %t/no-wait.plan --target=cuda-emulator --input=@%t/x.npy 2>&1 | FileCheck %s --check-prefix=INFLIGHT
// RUN: %python %inputs/plan_tool.py replace %t/gemm.plan %t/loose-wait.plan "deconv_cp_async_wait<1>();" "deconv_cp_async_wait<2>();"
// RUN: not deconv-run %t/loose-wait.plan --target=cuda-emulator --input=@%t/x.npy 2>&1 | FileCheck %s --check-prefix=INFLIGHT
// RUN: %python %inputs/plan_tool.py replace %t/gemm.plan %t/same-stage.plan "((stage + 2) % 3)" "((stage + 3) % 3)"
// RUN: not deconv-run %t/same-stage.plan --target=cuda-emulator --input=@%t/x.npy 2>&1 | FileCheck %s --check-prefix=INFLIGHT
// INFLIGHT: deconv-run: cuLaunchKernel failed: reads shared byte {{[0-9]+}} while a cp.async still writes it (no cp.async wait before the read)
// Before sm_80 the slices go through registers and two stages: the next
// one is stored after the compute, into the stage computed before; the
// barrier makes it visible.
// RUN: deconv-compile %s -o %t/gemm75.plan --cuda-strategy=implicit_gemm --arch=sm_75
// RUN: %python %inputs/plan_tool.py replace %t/gemm75.plan %t/no-barrier75.plan "__syncthreads();" ""
// RUN: not deconv-run %t/no-barrier75.plan --target=cuda-emulator --input=@%t/x.npy 2>&1 | FileCheck %s --check-prefix=NOBARRIER
// RUN: %python %inputs/plan_tool.py replace %t/gemm75.plan %t/overwrite75.plan "((stage + 1) % 2)" "(stage)"
// RUN: not deconv-run %t/overwrite75.plan --target=cuda-emulator --input=@%t/x.npy 2>&1 | FileCheck %s --check-prefix=RACE75
// RACE75: deconv-run: cuLaunchKernel failed: race: thread {{[0-9]+}} reads shared byte {{[0-9]+}} that thread {{[0-9]+}} wrote with no barrier between
// RUN: deconv-run %t/gemm75.plan --target=cuda-emulator --input=@%t/x.npy --output=@%t/gemm75.npy
// And the plan as compiled is right.
// RUN: deconv-run %t/gemm.plan --target=cuda-emulator --input=@%t/x.npy --output=@%t/gemm.npy
// RUN: deconv-run %s --target=cpu --input=@%t/x.npy --output=@%t/cpu.npy
// RUN: %python -c "import numpy as n, sys; a = n.load(sys.argv[1]); b = n.load(sys.argv[2]); sys.exit(0 if n.abs(a - b).max() <= 1e-5 * n.abs(b).max() else 1)" %t/gemm.npy %t/cpu.npy
// RUN: %python -c "import numpy as n, sys; a = n.load(sys.argv[1]); b = n.load(sys.argv[2]); sys.exit(0 if n.abs(a - b).max() <= 1e-5 * n.abs(b).max() else 1)" %t/gemm75.npy %t/cpu.npy

// A plan of the previous format is refused by number.
// RUN: %python %inputs/plan_tool.py version %t/good.plan %t/old.plan 1
// RUN: not deconv-run %t/old.plan --target=cuda-emulator --input="1x1x3x3xf32=1" 2>&1 | FileCheck %s --check-prefix=OLD
// OLD: deconv-run: '{{.*}}old.plan': unsupported plan version 1 (this runtime reads 3)

// A CUBIN the device refuses (the emulator takes none) is compiled again
// from the plan's source, and the run says so.
// REQUIRES: nvrtc
// RUN: deconv-compile %S/../seeds/cookbook-stride-2-2.mlir -o %t/cubin.plan --arch=sm_90
// RUN: deconv-run %t/cubin.plan --target=cuda-emulator --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t/cubin.npy 2>&1 | FileCheck %s --check-prefix=REFUSED
// REFUSED: deconv-run: note: deconv_kernel_0: the device refused the plan's sm_90 CUBIN (cuModuleLoadData failed: device kernel image is invalid (not a kernel object of the emulator: a CUBIN for a real GPU?)); compiled it again from source for this device
// RUN: %python %inputs/check_npy.py %t/cubin.npy %S/../seeds/cookbook-stride-2-2.mlir

func.func @main(%x: tensor<1x8x5x5xf32>) -> tensor<1x4x7x7xf32> {
  %w = arith.constant dense<0.5> : tensor<8x4x3x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x8x5x5xf32>, tensor<8x4x3x3xf32>) -> tensor<1x4x7x7xf32>
  return %y : tensor<1x4x7x7xf32>
}

// The depthwise register tile: its stores past the row's end unguarded
// (the seventh output of a 7-wide row lands on the next row's first, which
// another thread writes), and its input window read one position late (no
// rule broken: the numbers are wrong).
// RUN: deconv-compile %S/../seeds/cookbook-stride-2-2.mlir -o %t/depthwise.plan --cuda-strategy=depthwise
// RUN: deconv-run %t/depthwise.plan --target=cuda-emulator --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t/depthwise.npy
// RUN: %python %inputs/check_npy.py %t/depthwise.npy %S/../seeds/cookbook-stride-2-2.mlir
// RUN: %python %inputs/plan_tool.py replace %t/depthwise.plan %t/unguarded.plan "if (o1 + 7LL < 7LL) " ""
// RUN: not deconv-run %t/unguarded.plan --target=cuda-emulator --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" 2>&1 | FileCheck %s --check-prefix=UNGUARDED
// UNGUARDED: deconv-run: cuLaunchKernel failed: conflicting writes: two threads of one launch write byte 28 of a buffer of 196 bytes
// RUN: %python %inputs/plan_tool.py replace %t/depthwise.plan %t/late.plan "windowStart = j * 8LL + -1LL;" "windowStart = j * 8LL + 0LL;"
// RUN: deconv-run %t/late.plan --target=cuda-emulator --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t/late.npy
// RUN: not %python %inputs/check_npy.py %t/late.npy %S/../seeds/cookbook-stride-2-2.mlir
