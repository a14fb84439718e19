// RUN: split-file %s %t
// REQUIRES: nvrtc

// Static sizes: the kernel is compiled ahead for each --arch.
// RUN: deconv-compile %t/static.mlir -o %t/static.plan --arch=sm_80,sm_90 --describe | FileCheck %s --check-prefix=STATIC
// STATIC: plan @main (format 3)
// STATIC-NEXT: input 0: 1x1x3x3xf32
// STATIC-NEXT: buffer 0: input 0, 1x1x3x3xf32
// STATIC-NEXT: buffer 1: splat constant, 1x1x1x3x3xf32 (one value)
// STATIC-NEXT: buffer 2: intermediate, 1x1x1x7x7xf32
// STATIC-NEXT: kernel 0: deconv_kernel_0 (strategy: depthwise, 1 channel x 16 outputs per thread), grid (1) x (1) x (1), block 128x1x1, 0 bytes of dynamic shared memory, CUBIN sm_80 ({{[0-9]+}} bytes), CUBIN sm_90 ({{[0-9]+}} bytes)
// STATIC-NEXT: step 0: kernel 0 on buffers 0 1 2
// STATIC-NEXT: output 0: buffer 2 as 1x1x7x7xf32
//--- static.mlir
func.func @main(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x7x7xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3x3xf32>
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}

// Dynamic sizes: no CUBIN; the macros are size expressions over the inputs.
// RUN: deconv-compile %t/dynamic.mlir --arch=sm_90 --describe | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: input 0: ?x2x?xf32
// DYNAMIC: buffer 0: input 0, (IN0_D0)x2x(IN0_D2)xf32
// DYNAMIC: buffer 3: intermediate, (IN0_D0)x1x2x((IN0_D2 - 1) * 2 + 1)xf32
// DYNAMIC: kernel 0: deconv_kernel_0 (strategy: thin_channel, 2 channels x 16 outputs per thread), grid (deconv_ceildiv({{.*}}, 128)) x (1) x (1), block 128x1x1, {{.*}}, DECONV_INPUT_DIM0 = IN0_D0, DECONV_INPUT_DIM3 = IN0_D2
// DYNAMIC-NOT: CUBIN
// DYNAMIC: output 0: buffer 3 as (IN0_D0)x2x((IN0_D2 - 1) * 2 + 1)xf32
//--- dynamic.mlir
func.func @main(%x: tensor<?x2x?xf32>, %w: tensor<2x2x3xf32>, %b: tensor<2xf32>) -> tensor<?x2x?xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<?x2x?xf32>, tensor<2x2x3xf32>, tensor<2xf32>) -> tensor<?x2x?xf32>
  return %y : tensor<?x2x?xf32>
}

// Channels-last data and a runtime OHWI weight with groups: layout
// transposes become kernels of their own around the deconvolution.
// RUN: deconv-compile %t/layouts.mlir --arch=sm_90 --describe | FileCheck %s --check-prefix=LAYOUT
// LAYOUT: kernel 0: deconv_kernel_0 (strategy: transpose), {{.*}}DECONV_IN_DIM0 = IN0_D0
// LAYOUT: kernel 1: deconv_kernel_1 (strategy: transpose), {{.*}}CUBIN sm_90
// LAYOUT: kernel 2: deconv_kernel_2 (strategy: thin_channel, 3 channels x 8 outputs per thread), {{.*}}DECONV_INPUT_DIM0 = IN0_D0
// LAYOUT: kernel 3: deconv_kernel_3 (strategy: transpose), {{.*}}DECONV_IN_DIM0 = IN0_D0
// LAYOUT: step 0: kernel 0 on buffers 0 3
// LAYOUT: step 1: kernel 1 on buffers 1 4
// LAYOUT: step 2: kernel 2 on buffers 3 4 2 5
// LAYOUT: step 3: kernel 3 on buffers 5 6
// LAYOUT: output 0: buffer 6 as (IN0_D0)x6x6x6xf32
//--- layouts.mlir
func.func @main(%x: tensor<?x3x3x4xf32>, %w: tensor<6x3x2x2xf32>, %b: tensor<6xf32>) -> tensor<?x6x6x6xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, groups = 2, padding_mode = #deconv.padding_mode<same_upper>, data_format = #deconv.data_format<channels_last>, kernel_format = #deconv.kernel_format<cout_k_cin>}
      : (tensor<?x3x3x4xf32>, tensor<6x3x2x2xf32>, tensor<6xf32>) -> tensor<?x6x6x6xf32>
  return %y : tensor<?x6x6x6xf32>
}

// Two ops reading one channels-last tensor share its transpose (steps 1 and
// 3 read buffer 2); a constant in another layout is rearranged in the plan
// (buffer 7), not by a kernel on every run, and the plan keeps only that
// layout (the constant as written is read by no step).
// RUN: deconv-compile %t/shared.mlir --describe | FileCheck %s --check-prefix=SHARED
// SHARED: buffer 6: intermediate
// SHARED-NEXT: buffer 7: constant, 1x1x2x3xf32 (24 bytes)
// SHARED-NEXT: buffer 8: intermediate
// SHARED-NEXT: buffer 9: intermediate
// SHARED-NEXT: kernel 0: deconv_kernel_0 (strategy: transpose)
// SHARED: kernel 6: deconv_kernel_6 (strategy: transpose)
// SHARED-NOT: kernel 7
// SHARED: step 0: kernel 0 on buffers 0 2
// SHARED-NEXT: step 1: kernel 1 on buffers 2 1 3
// SHARED: step 3: kernel 3 on buffers 2 1 5
// SHARED: step 5: kernel 5 on buffers 7 1 8
//--- shared.mlir
func.func @main(%x: tensor<1x3x2xf32>, %w: tensor<2x2x3xf32>) -> (tensor<1x5x2xf32>, tensor<1x5x2xf32>, tensor<1x5x2xf32>) {
  %c = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]]> : tensor<1x3x2xf32>
  %a = deconv.deconv %x, %w {data_format = #deconv.data_format<channels_last>} : (tensor<1x3x2xf32>, tensor<2x2x3xf32>) -> tensor<1x5x2xf32>
  %b = deconv.deconv %x, %w {data_format = #deconv.data_format<channels_last>, pre_padding = array<i64: 1>, post_padding = array<i64: -1>} : (tensor<1x3x2xf32>, tensor<2x2x3xf32>) -> tensor<1x5x2xf32>
  %d = deconv.deconv %c, %w {data_format = #deconv.data_format<channels_last>} : (tensor<1x3x2xf32>, tensor<2x2x3xf32>) -> tensor<1x5x2xf32>
  return %a, %b, %d : tensor<1x5x2xf32>, tensor<1x5x2xf32>, tensor<1x5x2xf32>
}

// A constant weight is packed per phase here, at compile time: 4 phases x
// (4 input channels x at most 2 x 2 taps = 16 deep) x (2 output channels,
// padded to the tile's 64), so the plan holds 4096 floats, no packing
// kernel, and not the weight as written.
// RUN: deconv-compile %t/packed.mlir --describe --cuda-strategy=implicit_gemm | FileCheck %s --check-prefix=PACKED
// PACKED: buffer 0: input 0, 1x4x5x5xf32
// PACKED-NEXT: buffer 1: intermediate, 1x1x2x11x11xf32
// PACKED-NEXT: buffer 2: constant, 4096xf32 (16384 bytes)
// PACKED-NEXT: kernel 0: deconv_kernel_0 (strategy: implicit_gemm, 64x64x16 ffma, 3-stage cp.async)
// PACKED-NEXT: step 0: kernel 0 on buffers 0 2 1
//--- packed.mlir
func.func @main(%x: tensor<1x4x5x5xf32>) -> tensor<1x2x11x11xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]> : tensor<4x2x3x3xf32>
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x11x11xf32>
  return %y : tensor<1x2x11x11xf32>
}

// Quantization ops become one kernel each, integer buffers keep their
// types, and per-channel scales and zero points are f32 constants of the
// plan (2 channels: 8 bytes each).
// RUN: deconv-compile %t/quantized.mlir --describe | FileCheck %s --check-prefix=QUANT
// QUANT: input 1: 2x1x3x3xi8
// QUANT: buffer 2: intermediate, 1x2x3x3xi8
// QUANT: buffer 4: constant, 2xf32 (8 bytes)
// QUANT-NEXT: buffer 5: constant, 2xf32 (8 bytes)
// QUANT: buffer 8: intermediate, 1x1x5x5xui8
// QUANT-NEXT: kernel 0: deconv_kernel_0 (strategy: quantize, per tensor)
// QUANT-NEXT: kernel 1: deconv_kernel_1 (strategy: dequantize, per tensor)
// QUANT-NEXT: kernel 2: deconv_kernel_2 (strategy: dequantize, per channel (axis 0))
// QUANT: kernel 4: deconv_kernel_4 (strategy: quantize, per tensor)
// QUANT: step 2: kernel 2 on buffers 1 4 5 6
// QUANT: output 0: buffer 8 as 1x1x5x5xui8
//--- quantized.mlir
func.func @main(%x: tensor<1x2x3x3xf32>, %wq: tensor<2x1x3x3xi8>) -> tensor<1x1x5x5xui8> {
  %q = deconv.quantize %x {scale = array<f32: 0.05>, zero_point = array<i64: 3>} : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xi8>
  %xd = deconv.dequantize %q {scale = array<f32: 0.05>, zero_point = array<i64: 3>} : tensor<1x2x3x3xi8> -> tensor<1x2x3x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.1, 0.2>, zero_point = array<i64: 0, -2>, axis = 0 : i64} : tensor<2x1x3x3xi8> -> tensor<2x1x3x3xf32>
  %y = deconv.deconv %xd, %w : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  %yq = deconv.quantize %y {scale = array<f32: 0.02>, zero_point = array<i64: 128>} : tensor<1x1x5x5xf32> -> tensor<1x1x5x5xui8>
  return %yq : tensor<1x1x5x5xui8>
}

// Bad invocations are one line.
// RUN: not deconv-compile %t/static.mlir 2>&1 | FileCheck %s --check-prefix=NOOUT
// NOOUT: deconv-compile: name the plan file with -o (or pass --describe)
// RUN: not deconv-compile %t/static.mlir --function=absent --describe 2>&1 | FileCheck %s --check-prefix=NOFUNC
// NOFUNC: deconv-compile: no function @absent in '{{.*}}static.mlir'
// RUN: not deconv-compile %t/missing.mlir -o %t/x.plan 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: deconv-compile: cannot open '{{.*}}missing.mlir': No such file or directory
// RUN: not deconv-compile %t/static.mlir -o %t/static.plan --arch=sm_1 2>&1 | FileCheck %s --check-prefix=ARCH
// ARCH: deconv-compile: {{.*}}NVRTC failed to compile deconv_kernel_0 for sm_1

// Strategies: forced by name, listed by --help, unknown names refused.
// RUN: deconv-compile %t/static.mlir --describe --cuda-strategy=direct | FileCheck %s --check-prefix=FORCED
// FORCED: kernel 0: deconv_kernel_0 (strategy: direct)
// RUN: deconv-compile --help | FileCheck %s --check-prefix=HELP
// HELP: CUDA kernel strategies (--cuda-strategy):
// HELP-NEXT: auto - the cost model picks per op (default)
// HELP-NEXT: direct - one thread per output element, coalesced stores (every op)
// HELP-NEXT: depthwise - register tiles of a phase's outputs per thread, taps unrolled (one input channel per group)
// HELP-NEXT: thin_channel - register tiles of a phase's outputs per thread, taps unrolled (at most 32 output channels per group)
// HELP-NEXT: gemm_d2s - kernel == stride, no dilation: one GEMM per group whose epilogue stores each row's taps to their outputs
// HELP-NEXT: implicit_gemm - a GEMM per stride phase, input gathered into shared-memory tiles (every float op; integer ops with a symmetric weight on sm_80 and later)
// RUN: not deconv-compile %t/static.mlir --describe --cuda-strategy=fastest 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: deconv-compile: unknown CUDA strategy 'fastest' (auto, direct, depthwise, thin_channel, gemm_d2s, implicit_gemm)

// The cost model: a GEMM for many channels, register tiles for a depthwise
// layer. The GEMM's weight, given at run time, is packed per phase by a
// kernel of its own (4 phases x 512 deep x 128 wide, buffer 5) that runs
// first; the cost model charges that launch, so a GEMM needs more work than
// a single 8x8 image of this layer gives to win.
// RUN: deconv-compile %t/select.mlir --describe | FileCheck %s --check-prefix=SELECT
// SELECT: buffer 5: intermediate, 262144xf32
// SELECT: kernel 0: deconv_kernel_0_pack (strategy: implicit_gemm, weight packing, 4 x 512 x 128), grid (1024) x (1) x (1), block 256x1x1
// SELECT-NEXT: kernel 1: deconv_kernel_0 (strategy: implicit_gemm, 64x64x16 ffma, 3-stage cp.async), grid (32) x (2) x (4), block 256x1x1, 24576 bytes of dynamic shared memory
// SELECT-NEXT: kernel 2: deconv_kernel_2 (strategy: depthwise, 1 channel x 16 outputs per thread)
// SELECT-NEXT: step 0: kernel 0 on buffers 1 5
// SELECT-NEXT: step 1: kernel 1 on buffers 0 5 4
//--- select.mlir
func.func @main(%x: tensor<8x128x16x16xf32>, %w: tensor<128x128x4x4xf32>, %d: tensor<1x64x8x8xf32>, %wd: tensor<64x1x4x4xf32>) -> (tensor<8x128x32x32xf32>, tensor<1x64x16x16xf32>) {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<8x128x16x16xf32>, tensor<128x128x4x4xf32>) -> tensor<8x128x32x32xf32>
  %z = deconv.deconv %d, %wd {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, groups = 64} : (tensor<1x64x8x8xf32>, tensor<64x1x4x4xf32>) -> tensor<1x64x16x16xf32>
  return %y, %z : tensor<8x128x32x32xf32>, tensor<1x64x16x16xf32>
}
// RUN: not deconv-compile %t/static.mlir --describe --precision=fp8 2>&1 | FileCheck %s --check-prefix=PRECISION
// PRECISION: deconv-compile: unknown --precision 'fp8' (exact or tf32)
