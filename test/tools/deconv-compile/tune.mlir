// --tune on the host emulator: every strategy and tile that can take the op
// is timed (the times mean nothing there; the code path, the choice and the
// records are what is tested), the fastest is kept in a record under the
// kernel cache directory, and the next compile reads it instead of timing.
// REQUIRES: cuda-emulator
// RUN: rm -rf %t && mkdir -p %t
// Candidates for 2 -> 3 channels, K = 4, S = 2, f32 exact: direct,
// thin_channel and implicit_gemm's two FFMA tiles (depthwise needs one input
// channel per group, gemm_d2s a kernel equal to its stride).
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --tune --tune-target=cuda-emulator --describe 2>&1 | FileCheck %s --check-prefix=FIRST
// FIRST-NOT: warning
// FIRST: kernel 0: deconv_kernel_0 (strategy: {{direct|thin_channel|implicit_gemm}}{{.*}}, tuned: fastest of 4 in {{[0-9.e+-]+}} ms), grid
// RUN: cat %t/cache/tuning/*.tune | FileCheck %s --check-prefix=RECORD
// RECORD: deconv tuning record 1
// RECORD-NEXT: key deconv-codegen-3 | cuda-emulator {{.*}} | sm_90 | exact | deconv.grouped_deconv {dilation = array<i64: 1>, post_padding = array<i64: 1>, pre_padding = array<i64: 1>, stride = array<i64: 2>} : (tensor<1x1x2x5xf32>, tensor<1x2x3x4xf32>, tensor<1x3xf32>) -> tensor<1x1x3x10xf32>
// RECORD-NEXT: choice {{direct auto|thin_channel auto|implicit_gemm 64x64|implicit_gemm 128x128}} {{[0-9.e+-]+$}}
// RECORD-DAG: candidate direct auto {{[0-9.e+-]+$}}
// RECORD-DAG: candidate thin_channel auto {{[0-9.e+-]+$}}
// RECORD-DAG: candidate implicit_gemm 64x64 {{[0-9.e+-]+$}}
// RECORD-DAG: candidate implicit_gemm 128x128 {{[0-9.e+-]+$}}

// The next compile of the same op reads the record.
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --tune --tune-target=cuda-emulator --describe 2>&1 | FileCheck %s --check-prefix=REUSED
// REUSED-NOT: warning
// REUSED: kernel 0: deconv_kernel_0 (strategy: {{.*}}, tuning record: {{[0-9.e+-]+}} ms), grid

// Damaged or stale records are ignored with a warning and replaced; each
// compile below times the four candidates again and writes a good record.
// RUN: %python %inputs/edit_tuning_record.py %t/cache/tuning --write garbage
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --tune --tune-target=cuda-emulator --describe 2>&1 | FileCheck %s --check-prefix=GARBAGE
// GARBAGE: deconv-compile: warning: ignoring tuning record '{{.*}}.tune': not a tuning record
// GARBAGE: tuned: fastest of 4
// RUN: %python %inputs/edit_tuning_record.py %t/cache/tuning --replace "| sm_90 |" "| sm_80 |"
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --tune --tune-target=cuda-emulator --describe 2>&1 | FileCheck %s --check-prefix=STALE
// STALE: warning: ignoring tuning record '{{.*}}': its key is for another op, compiler or version
// STALE: tuned: fastest of 4
// RUN: %python %inputs/edit_tuning_record.py %t/cache/tuning --choice "depthwise auto 1"
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --tune --tune-target=cuda-emulator --describe 2>&1 | FileCheck %s --check-prefix=DEPTHWISE
// DEPTHWISE: warning: ignoring tuning record '{{.*}}': its strategy 'depthwise' cannot take this op: it takes one input channel per group, not 2
// DEPTHWISE: tuned: fastest of 4
// RUN: %python %inputs/edit_tuning_record.py %t/cache/tuning --choice "fastest auto 1"
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --tune --tune-target=cuda-emulator --describe 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: warning: ignoring tuning record '{{.*}}': it names no strategy of this compiler ('fastest')
// RUN: %python %inputs/edit_tuning_record.py %t/cache/tuning --choice "implicit_gemm 32x32 1"
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --tune --tune-target=cuda-emulator --describe 2>&1 | FileCheck %s --check-prefix=TILE
// TILE: warning: ignoring tuning record '{{.*}}': its tile '32x32' is not a tile of strategy 'implicit_gemm'
// RUN: %python %inputs/edit_tuning_record.py %t/cache/tuning --choice "direct auto nan"
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --tune --tune-target=cuda-emulator --describe 2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: %python %inputs/edit_tuning_record.py %t/cache/tuning --choice "direct auto"
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --tune --tune-target=cuda-emulator --describe 2>&1 | FileCheck %s --check-prefix=MALFORMED
// MALFORMED: warning: ignoring tuning record '{{.*}}': its choice line is malformed
// MALFORMED: tuned: fastest of 4
// The record the last compile wrote is good again.
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --tune --tune-target=cuda-emulator --describe 2>&1 | FileCheck %s --check-prefix=REUSED

// A forced strategy is not tuned, and says so.
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --tune --tune-target=cuda-emulator --cuda-strategy=direct --describe | FileCheck %s --check-prefix=FORCED
// FORCED: (strategy: direct, forced, not tuned)

// deconv-run tunes the function specialized to its inputs' sizes (a dynamic
// batch is tuned too) and computes the same numbers. All ones, bias 1 2 3:
// output o of a channel has 1 tap at the ends and 2 between, each summing
// both input channels.
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/run-cache deconv-run %s --function=dynamic --target=cuda-emulator --tune --input="2x2x5xf32=1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1" --input="2x3x4xf32=1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1" --input="3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=OUT
// RUN: cat %t/run-cache/tuning/*.tune | FileCheck %s --check-prefix=OUT-RECORD
// OUT-NOT: warning
// OUT: [3 5 5 5 5 5 5 5 5 3]
// OUT-NEXT: [4 6 6 6 6 6 6 6 6 4]
// OUT-NEXT: [5 7 7 7 7 7 7 7 7 5]
// OUT: [3 5 5 5 5 5 5 5 5 3]
// OUT-RECORD: -> tensor<2x1x3x10xf32>
// deconv-compile keeps the cost model's choice where sizes are dynamic.
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cache deconv-compile %s --function=dynamic --tune --tune-target=cuda-emulator --describe | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: cost model: sizes known only at run time

// A constant weight is timed as it will run: a constant in the timed
// module (the GEMM's packing done at compile time, no packing kernel), and
// a key of its own. The numbers stay those of the definition: all-ones
// input and weight, bias 1 2 3, as above (one image).
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/constant-cache deconv-run %s --function=constant --target=cuda-emulator --tune --input="1x2x5xf32=1 1 1 1 1 1 1 1 1 1" --input="3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=CONSTOUT
// RUN: cat %t/constant-cache/tuning/*.tune | FileCheck %s --check-prefix=CONSTANT
// CONSTOUT-NOT: warning
// CONSTOUT: [3 5 5 5 5 5 5 5 5 3]
// CONSTOUT-NEXT: [4 6 6 6 6 6 6 6 6 4]
// CONSTOUT-NEXT: [5 7 7 7 7 7 7 7 7 5]
// CONSTANT: -> tensor<1x1x3x10xf32> | constant weight
// CONSTANT: candidate implicit_gemm 64x64
// A constant reaching the op through a tensor.cast is one too: the planner
// aliases casts, so the cost model and the tuner must see through them.
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/cast-cache deconv-run %s --function=cast_constant --target=cuda-emulator --tune --input="1x2x5xf32=1 1 1 1 1 1 1 1 1 1" --input="3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=CONSTOUT
// RUN: cat %t/cast-cache/tuning/*.tune | FileCheck %s --check-prefix=CONSTANT

// Flags that do not fit.
// RUN: not deconv-compile %s --tune --tune-target=gpu --describe 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: deconv-compile: --tune-target must be cuda or cuda-emulator, not 'gpu'
// RUN: not deconv-compile %s --tune-target=cuda-emulator --describe 2>&1 | FileCheck %s --check-prefix=ALONE
// ALONE: deconv-compile: --tune-target needs --tune
// RUN: not deconv-run %s --target=cpu --tune --input="1x2x5xf32=1 1 1 1 1 1 1 1 1 1" --input="2x3x4xf32=1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1" --input="3xf32=1 2 3" 2>&1 | FileCheck %s --check-prefix=CPU
// CPU: deconv-run: --cuda-strategy, --cuda-tile, --precision=tf32, --device-io and --tune need a CUDA target
// RUN: deconv-compile %s -o %t/main.plan
// RUN: not deconv-run %t/main.plan --target=cuda-emulator --tune 2>&1 | FileCheck %s --check-prefix=PLAN
// PLAN: deconv-run: a plan's kernels were chosen when it was compiled; pass --cuda-strategy, --cuda-tile, --precision and --tune to deconv-compile

func.func @main(%x: tensor<1x2x5xf32>, %w: tensor<2x3x4xf32>, %b: tensor<3xf32>) -> tensor<1x3x10xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<1x2x5xf32>, tensor<2x3x4xf32>, tensor<3xf32>) -> tensor<1x3x10xf32>
  return %y : tensor<1x3x10xf32>
}
func.func @dynamic(%x: tensor<?x2x5xf32>, %w: tensor<2x3x4xf32>, %b: tensor<3xf32>) -> tensor<?x3x10xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<?x2x5xf32>, tensor<2x3x4xf32>, tensor<3xf32>) -> tensor<?x3x10xf32>
  return %y : tensor<?x3x10xf32>
}
func.func @constant(%x: tensor<1x2x5xf32>, %b: tensor<3xf32>) -> tensor<1x3x10xf32> {
  %w = arith.constant dense<[[[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]], [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]]> : tensor<2x3x4xf32>
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<1x2x5xf32>, tensor<2x3x4xf32>, tensor<3xf32>) -> tensor<1x3x10xf32>
  return %y : tensor<1x3x10xf32>
}

func.func @cast_constant(%x: tensor<1x2x5xf32>, %b: tensor<3xf32>) -> tensor<1x3x10xf32> {
  %c = arith.constant dense<1.0> : tensor<2x3x4xf32>
  %w = tensor.cast %c : tensor<2x3x4xf32> to tensor<2x3x4xf32>
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<1x2x5xf32>, tensor<2x3x4xf32>, tensor<3xf32>) -> tensor<1x3x10xf32>
  return %y : tensor<1x3x10xf32>
}
