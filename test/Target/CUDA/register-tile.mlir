// REQUIRES: nvrtc
// RUN: split-file %s %t
// The register-tile kernels (depthwise, thin_channel): layers shaped like
// the benchmark suite's memory-bound ones keep their tiles in registers:
// ptxas (through NVRTC, for sm_80 and sm_90) reports no spill, static and
// dynamic sizes, f32, f16 and bf16.
// RUN: deconv-translate --emit-cuda %t/depthwise.mlir --cuda-strategy=depthwise --cuda-arch=sm_80,sm_90 --cuda-resource-usage > %t/depthwise.out
// RUN: deconv-translate --emit-cuda %t/depthwise.mlir --cuda-strategy=thin_channel --cuda-arch=sm_80,sm_90 --cuda-resource-usage > %t/depthwise-thin.out
// RUN: deconv-translate --emit-cuda %t/thin.mlir --cuda-strategy=thin_channel --cuda-arch=sm_80,sm_90 --cuda-resource-usage > %t/thin.out
// RUN: FileCheck %s --check-prefix=USAGE < %t/depthwise.out
// RUN: cat %t/depthwise.out %t/depthwise-thin.out %t/thin.out | grep -c "0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads" | FileCheck %s --check-prefix=COUNT
// RUN: not grep -E "[1-9][0-9]* bytes (spill|stack)" %t/depthwise.out %t/depthwise-thin.out %t/thin.out
// USAGE: (strategy: depthwise, 1 channel x 16 outputs per thread)
// USAGE: sm_80: ptxas {{.*}} 0 bytes spill stores, 0 bytes spill loads
// USAGE: (strategy: depthwise, 1 channel x 32 outputs per thread)
// USAGE: (strategy: depthwise, 1 channel x 24 outputs per thread)
// Eight ops (three twice), two architectures.
// COUNT: 16

// The cost model picks them for these layers.
// RUN: deconv-translate --emit-cuda %t/depthwise.mlir | FileCheck %s --check-prefix=AUTO
// RUN: deconv-translate --emit-cuda %t/thin.mlir | FileCheck %s --check-prefix=AUTO-THIN
// AUTO-COUNT-3: (strategy: depthwise,
// AUTO-THIN: (strategy: thin_channel, 3 channels x 8 outputs per thread)
// AUTO-THIN: (strategy: thin_channel, 4 channels x 8 outputs per thread)

// A strategy refuses what it cannot take, in one line.
// RUN: not deconv-translate --emit-cuda %t/thin.mlir --cuda-strategy=depthwise 2>&1 | FileCheck %s --check-prefix=REFUSED
// REFUSED: error: 'deconv.grouped_deconv' op CUDA strategy 'depthwise' cannot take this op: it takes one input channel per group, not 64
// RUN: not deconv-translate --emit-cuda %t/wide.mlir --cuda-strategy=thin_channel 2>&1 | FileCheck %s --check-prefix=WIDE
// WIDE: error: 'deconv.grouped_deconv' op CUDA strategy 'thin_channel' cannot take this op: it takes at most 32 output channels per group, not 33
// RUN: not deconv-translate --emit-cuda %t/wide.mlir --cuda-strategy=depthwise 2>&1 | FileCheck %s --check-prefix=STRIDE
// STRIDE: cannot take this op: the innermost stride (200) needs more than 128 accumulators per thread

// The unrolled step, derived by hand. K = 3, S = 2, padding 1: phase 0
// takes tap 1 at input q, phase 1 taps 0 and 2 at inputs q + 1 and q. One
// channel, R = 8 positions of each phase (T = 16 outputs), so the window is
// x0..x8 = inputs 8j .. 8j + 8; output t = 2r + p.
// RUN: deconv-translate --emit-cuda %t/step.mlir --cuda-strategy=depthwise | FileCheck %s --check-prefix=STEP
// STEP: const long long j = rest % 1LL; rest /= 1LL;
// STEP: const long long windowStart = j * 8LL + 0LL;
// STEP: const float x0 = (windowStart >= 0 && windowStart < 8LL) ? input[inputRow + windowStart] : 0.f;
// STEP: const float x8 = ((windowStart + 8LL) >= 0 && (windowStart + 8LL) < 8LL)
// STEP-NOT: const float x9
// STEP: const float w0_1 = weight[weightRow0 + 1LL];
// STEP-NEXT: acc0_0 = fmaf(w0_1, x0, acc0_0);
// STEP-NEXT: acc0_2 = fmaf(w0_1, x1, acc0_2);
// STEP: acc0_14 = fmaf(w0_1, x7, acc0_14);
// STEP-NEXT: const float w0_0 = weight[weightRow0 + 0LL];
// STEP-NEXT: acc0_1 = fmaf(w0_0, x1, acc0_1);
// STEP: acc0_15 = fmaf(w0_0, x8, acc0_15);
// STEP-NEXT: const float w0_2 = weight[weightRow0 + 2LL];
// STEP-NEXT: acc0_1 = fmaf(w0_2, x0, acc0_1);
// STEP: acc0_15 = fmaf(w0_2, x7, acc0_15);
// Output padding 1 makes the row 16 long: four 16-byte stores with the bias.
// STEP: const float b = bias[g * 1LL + co0];
// STEP: packed.x = acc0_0 + b;
// STEP: deconv_pointer_cast<float4>(result + (at + 0LL))[0] = packed;
// STEP: deconv_pointer_cast<float4>(result + (at + 12LL))[0] = packed;
// bf16 packs two values a word, eight a store.
// STEP-LABEL: @step_bf16
// STEP: packed.x = __uint_as_float((unsigned)deconv_float_to_bfloat16(acc0_0 + b) | (unsigned)deconv_float_to_bfloat16(acc0_1 + b) << 16);
// STEP: deconv_pointer_cast<float4>(result + (at + 8LL))[0] = packed;
// STEP-NOT: deconv_pointer_cast<float4>(result + (at + 16LL))
// A partial last chunk of channels: 20 channels at most 8 a thread are 3
// chunks of 7, the last storing 6; 7 channels x 2 x 2 accumulators are
// within the target of 32 (R = 2), twice as many would not.
// RUN: deconv-translate --emit-cuda %t/chunks.mlir --cuda-strategy=thin_channel | FileCheck %s --check-prefix=CHUNKS
// CHUNKS: (strategy: thin_channel, 7 channels x 4 outputs per thread)
// CHUNKS: const long long co6 = min(chunk * 7LL + 6LL, 19LL);
// CHUNKS: if (chunk * 7LL + 6LL < 20LL) {

// Channels-last data: the kernel reads the input and writes the result
// where they lie, so the plan has no transpose (the channels-first GEMM
// plan of the same layer transposes both). Consecutive threads take
// consecutive channels; a channel's inputs and outputs are C apart.
// RUN: deconv-compile %t/channels-last.mlir --describe | FileCheck %s --check-prefix=LAST
// LAST: buffer 0: input 0, 2x5x6x4xf32
// LAST: kernel 0: deconv_kernel_0 (strategy: depthwise, 1 channel x 16 outputs per thread)
// LAST-NOT: transpose
// LAST: step 0: kernel 0 on buffers 0 1 2 3
// LAST-NEXT: output 0: buffer 3 as 2x10x12x4xf32
// RUN: deconv-compile %t/channels-last.mlir --describe --cuda-strategy=implicit_gemm | FileCheck %s --check-prefix=GEMM-LAST
// GEMM-LAST-COUNT-2: (strategy: transpose)
// RUN: deconv-translate --emit-cuda %t/channels-last.mlir | FileCheck %s --check-prefix=LAST-SOURCE
// LAST-SOURCE: const long long chunk = rest % 1LL; rest /= 1LL;
// LAST-SOURCE-NEXT: const long long g = rest % 4LL; rest /= 4LL;
// LAST-SOURCE-NEXT: const long long j = rest % 1LL; rest /= 1LL;
// LAST-SOURCE: const long long inputRow = (((n) * 5LL + i0) * 6LL + 0LL) * 4LL + g * 1LL + ci;
// LAST-SOURCE: ? input[inputRow + windowStart * 4LL] : 0.f;
// LAST-SOURCE: const long long at = (((n) * 10LL + o0) * 12LL + o1) * 4LL + g * 1LL + co0;
// LAST-SOURCE: if (o1 + 1LL < 12LL) result[at + 1LL * 4LL] = acc0_1 + b;
// LAST-SOURCE-NOT: float4

//--- depthwise.mlir
func.func @centernet_k4(%x: tensor<?x64x64x64xf32>, %w: tensor<64x1x4x4xf32>, %b: tensor<64xf32>) -> tensor<?x64x128x128xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, groups = 64} : (tensor<?x64x64x64xf32>, tensor<64x1x4x4xf32>, tensor<64xf32>) -> tensor<?x64x128x128xf32>
  return %y : tensor<?x64x128x128xf32>
}
func.func @centernet_k8_bf16(%x: tensor<32x64x32x32xbf16>, %w: tensor<64x1x8x8xbf16>) -> tensor<32x64x128x128xbf16> {
  %y = deconv.deconv %x, %w {stride = array<i64: 4, 4>, padding = array<i64: 2, 2>, groups = 64} : (tensor<32x64x32x32xbf16>, tensor<64x1x8x8xbf16>) -> tensor<32x64x128x128xbf16>
  return %y : tensor<32x64x128x128xbf16>
}
func.func @depthwise_1d(%x: tensor<16x512x?xf32>, %w: tensor<512x1x6xf32>) -> tensor<16x512x?xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 3>, padding = array<i64: 2>, output_padding = array<i64: 1>, groups = 512} : (tensor<16x512x?xf32>, tensor<512x1x6xf32>) -> tensor<16x512x?xf32>
  return %y : tensor<16x512x?xf32>
}
//--- thin.mlir
func.func @dcgan_last_f16(%x: tensor<64x64x32x32xf16>, %w: tensor<64x3x4x4xf16>) -> tensor<64x3x64x64xf16> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<64x64x32x32xf16>, tensor<64x3x4x4xf16>) -> tensor<64x3x64x64xf16>
  return %y : tensor<64x3x64x64xf16>
}
func.func @fcn(%x: tensor<1x21x64x64xf32>, %w: tensor<21x21x16x16xf32>) -> tensor<1x21x520x520xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 8, 8>} : (tensor<1x21x64x64xf32>, tensor<21x21x16x16xf32>) -> tensor<1x21x520x520xf32>
  return %y : tensor<1x21x520x520xf32>
}
//--- wide.mlir
func.func @wide(%x: tensor<1x1x3xf32>, %w: tensor<1x33x2xf32>) -> tensor<1x33x402xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 200>} : (tensor<1x1x3xf32>, tensor<1x33x2xf32>) -> tensor<1x33x402xf32>
  return %y : tensor<1x33x402xf32>
}
//--- step.mlir
func.func @step(%x: tensor<1x1x8xf32>, %w: tensor<1x1x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x16xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>, output_padding = array<i64: 1>} : (tensor<1x1x8xf32>, tensor<1x1x3xf32>, tensor<1xf32>) -> tensor<1x1x16xf32>
  return %y : tensor<1x1x16xf32>
}
func.func @step_bf16(%x: tensor<1x1x8xbf16>, %w: tensor<1x1x3xbf16>, %b: tensor<1xbf16>) -> tensor<1x1x16xbf16> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>, output_padding = array<i64: 1>} : (tensor<1x1x8xbf16>, tensor<1x1x3xbf16>, tensor<1xbf16>) -> tensor<1x1x16xbf16>
  return %y : tensor<1x1x16xbf16>
}
//--- chunks.mlir
func.func @chunks(%x: tensor<1x2x5xf32>, %w: tensor<2x20x4xf32>) -> tensor<1x20x10xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<1x2x5xf32>, tensor<2x20x4xf32>) -> tensor<1x20x10xf32>
  return %y : tensor<1x20x10xf32>
}
//--- channels-last.mlir
func.func @main(%x: tensor<2x5x6x4xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x10x12x4xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, groups = 4, data_format = #deconv.data_format<channels_last>} : (tensor<2x5x6x4xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<2x10x12x4xf32>
  return %y : tensor<2x10x12x4xf32>
}
