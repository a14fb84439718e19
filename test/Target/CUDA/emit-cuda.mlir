// RUN: deconv-translate --emit-cuda %s --cuda-strategy=direct | FileCheck %s
// REQUIRES: nvrtc
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=direct --cuda-arch=sm_80,sm_90 | FileCheck %s --check-prefix=CUBIN
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=implicit_gemm --cuda-arch=sm_80,sm_90 | FileCheck %s --check-prefix=GEMM
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=implicit_gemm --precision=tf32 --cuda-arch=sm_80,sm_90 | FileCheck %s --check-prefix=TF32
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=implicit_gemm --cuda-arch=sm_75 | FileCheck %s --check-prefix=REGISTERS

// The cookbook's stride-2 case: every size a literal, one thread per output
// element over (n, g, co, o...) with o innermost, so consecutive threads
// write consecutive outputs; each takes phase o % 2 and position o / 2.
// CHECK-LABEL: // function @stride2: 1 kernels
// CHECK: // deconv: deconv_kernel_0 (strategy: direct), generated from
// CHECK: #include "deconv_device.h"
// CHECK-NOT: #ifndef
// CHECK: #define DECONV_TOTAL_THREADS (1LL * 1LL * 1LL * 7LL * 7LL)
// CHECK: extern "C" __global__ void __launch_bounds__(256)
// CHECK-NEXT: deconv_kernel_0(DECONV_GLOBAL(const float) input, DECONV_GLOBAL(const float) weight, DECONV_GLOBAL(const float) bias, DECONV_GLOBAL(float) result) {
// CHECK: if (thread >= DECONV_TOTAL_THREADS)
// CHECK: long long const [[OX:v[0-9]+]] = thread % 7LL; thread /= 7LL;
// CHECK: long long const [[OY:v[0-9]+]] = thread % 7LL; thread /= 7LL;
// CHECK: long long const v{{[0-9]+}} = [[OY]] % 2LL;
// CHECK: long long const v{{[0-9]+}} = [[OY]] / 2LL;
// CHECK: long long const v{{[0-9]+}} = [[OX]] % 2LL;
// CHECK: long long const v{{[0-9]+}} = [[OX]] / 2LL;
// No guard but the thread count: o < O keeps every phase position valid.
// CHECK-NOT: return;
// The bias, then a loop over input channels and one over reaching taps.
// CHECK: bias[
// CHECK: for (long long
// CHECK: for (long long
// CHECK-NOT: %
// CHECK: input[
// CHECK: weight[
// CHECK: result[{{.*}}] = v{{[0-9]+}};
// The implicit GEMM of the same op: first the kernel that packs the weight
// per phase (one thread an element, zero past the phase's taps and Cout/G:
// 4 phases x 16 deep x 64 wide here), then the GEMM. Its block takes its
// group and phase from blockIdx.z, the phase's constants follow, blocks
// past the phase's positions leave, and K is walked in 16-deep slices
// through three stages of shared memory: A's elements and B's 16-byte rows
// arrive by cp.async two slices ahead (A zero-filled outside the input),
// each slice waits for its own copies, then one barrier.
// GEMM-LABEL: // function @stride2: 2 kernels
// GEMM: // deconv: deconv_kernel_0_pack (strategy: implicit_gemm, weight packing, 4 x 16 x 64), generated from
// GEMM: deconv_kernel_0_pack(DECONV_GLOBAL(const float) weight, DECONV_GLOBAL(float) packed) {
// GEMM: if (i >= 4096LL)
// GEMM: const long long k = rest / 64LL;
// GEMM: const long long tapsAll = (taps0 * taps1);
// GEMM: const bool inside = ((k < tapsAll) && (column < 1LL));
// GEMM: const long long tap0 = (firstTap0 + (m0 * 2LL));
// GEMM: value = weight[((((((g + ci) + column) * 3LL) + tap0) * 3LL) + tap1)];
// GEMM-NEXT: packed[i] = value;
// GEMM: // deconv: deconv_kernel_0 (strategy: implicit_gemm, 64x64x16 ffma, 3-stage cp.async), generated from
// GEMM: __launch_bounds__(256, 1)
// GEMM-NEXT: deconv_kernel_0(
// GEMM-NEXT: DECONV_DYNAMIC_SHARED(float, tiles);
// GEMM-NEXT: const long long g = blockIdx.z % 1LL;
// GEMM: const long long p1 = phaseRest % 2LL;
// GEMM: const long long p0 = phaseRest % 2LL;
// GEMM: const long long taps0 =
// GEMM: if (rowBase >= rows)
// GEMM: packedB = weight + (long long)blockIdx.z * 1024LL;
// GEMM: const long long slices = (depth + 16 - 1) / 16;
// GEMM: #pragma unroll 1
// GEMM-NEXT: for (int fill = 0; fill < 2; ++fill) {
// GEMM-NEXT: if (fill < slices) {
// GEMM: unsigned bytes = 0;
// GEMM: bytes = 4;
// GEMM: deconv_cp_async(tiles + (fill) * 1024 + kk * 64 + threadIdx.x % 64, from, 4, bytes);
// GEMM: deconv_cp_async(tiles + 3072 + (fill) * 1024 + line * 64 + part, packedB + (fill * 16LL + line) * 64 + columnBase + part, 16, 16);
// GEMM: deconv_cp_async_commit();
// GEMM: for (long long slice = 0; slice < slices; ++slice) {
// GEMM-NEXT: const int stage = (int)(slice % 3);
// GEMM-NEXT: deconv_cp_async_wait<1>();
// GEMM-NEXT: __syncthreads();
// GEMM-NEXT: if (slice + 2 < slices) {
// GEMM: deconv_cp_async(tiles + 3072 + ((stage + 2) % 3) * 1024 + line * 64 + part, packedB + ((slice + 2) * 16LL + line) * 64 + columnBase + part, 16, 16);
// GEMM: deconv_cp_async_commit();
// GEMM-NEXT: DECONV_SHARED_PTR(float) const tileA = tiles + (stage) * 1024;
// GEMM: acc[i][j] = fmaf(as[i], bs[j], acc[i][j]);
// GEMM: deconv_cp_async_wait<0>();
// GEMM: const float value = acc[i][j] + bias[g * 1LL + co];
// GEMM: result[rowStart + co * ((7LL) * 7LL)] = value;
// GEMM: // deconv_kernel_0_pack: CUBIN for sm_80
// GEMM: // deconv_kernel_0_pack: CUBIN for sm_90
// GEMM: // deconv_kernel_0: CUBIN for sm_80
// GEMM: // deconv_kernel_0: CUBIN for sm_90
// Before sm_80 (no cp.async) the next slice is loaded into registers while
// the current one is computed, then stored into the other of two stages.
// REGISTERS-LABEL: // function @stride2: 2 kernels
// REGISTERS: (strategy: implicit_gemm, 64x64x16 ffma), generated from
// REGISTERS: float fetchedA[4];
// REGISTERS-NEXT: float fetchedB[4];
// REGISTERS-NOT: cp_async
// REGISTERS: const int stage = (int)(slice % 2);
// REGISTERS-NEXT: __syncthreads();
// REGISTERS-NEXT: const bool more = slice + 1 < slices;
// REGISTERS: fetchedB[s] = packedB[((slice + 1) * 16LL + kk) * 64 + columnBase + at];
// REGISTERS: (tiles + 2048 + ((stage + 1) % 2) * 1024)[kk * 64 + at] = fetchedB[s];
// REGISTERS: // deconv_kernel_0: CUBIN for sm_75
// Under the tf32 policy f32 data run on tensor cores too, each operand
// rounded with cvt.rna.tf32.f32.
// TF32-LABEL: // function @stride2: 2 kernels
// TF32: (strategy: implicit_gemm, 64x64x32 mma.sync tf32, 3-stage cp.async)
// TF32: a[mi][0] = deconv_float_to_tf32(tileA[r * 36 + ks + member]);
// TF32: deconv_mma_m16n8k8_tf32(acc[mi][nj], a[mi], b[nj], acc[mi][nj]);
// TF32: // deconv_kernel_0: CUBIN for sm_80
// TF32: // deconv_kernel_0: CUBIN for sm_90
// CUBIN-LABEL: // function @stride2
// CUBIN: // deconv_kernel_0: CUBIN for sm_80, {{[0-9]+}} bytes
// CUBIN: // deconv_kernel_0: CUBIN for sm_90, {{[0-9]+}} bytes
func.func @stride2(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x7x7xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}

// 1-D with dilation and a negative crop (the output grows at the end), no
// bias: the accumulator starts at zero.
// CHECK-LABEL: // function @dilated: 1 kernels
// CHECK: #define DECONV_TOTAL_THREADS (2LL * 1LL * 4LL * 15LL)
// CHECK: deconv_kernel_0(DECONV_GLOBAL(const float) input, DECONV_GLOBAL(const float) weight, DECONV_GLOBAL(float) result) {
// CHECK: float v{{[0-9]+}} = 0.0f;
// CUBIN-LABEL: // function @dilated
// CUBIN: // deconv_kernel_0: CUBIN for sm_80
// CUBIN: // deconv_kernel_0: CUBIN for sm_90
func.func @dilated(%x: tensor<2x3x4xf32>, %w: tensor<3x4x3xf32>) -> tensor<2x4x15xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 3>, dilation = array<i64: 2>, post_padding = array<i64: -1>}
      : (tensor<2x3x4xf32>, tensor<3x4x3xf32>) -> tensor<2x4x15xf32>
  return %y : tensor<2x4x15xf32>
}

// 3-D with groups: the group is its own thread dimension (G = 2).
// CHECK-LABEL: // function @grouped_3d: 1 kernels
// CHECK: #define DECONV_TOTAL_THREADS (1LL * 2LL * 3LL * 6LL * 6LL * 6LL)
// CUBIN-LABEL: // function @grouped_3d
// CUBIN: // deconv_kernel_0: CUBIN for sm_80
// CUBIN: // deconv_kernel_0: CUBIN for sm_90
func.func @grouped_3d(%x: tensor<1x4x3x3x3xf32>, %w: tensor<4x3x2x2x2xf32>) -> tensor<1x6x6x6x6xf32> {
  %y = deconv.deconv %x, %w {groups = 2, stride = array<i64: 2, 2, 2>}
      : (tensor<1x4x3x3x3xf32>, tensor<4x3x2x2x2xf32>) -> tensor<1x6x6x6x6xf32>
  return %y : tensor<1x6x6x6x6xf32>
}

// Dynamic batch and width stay macros the runtime defines (dimensions of the
// canonical op's input, here (N, G, Cin/G, W)); f16 is stored as 16-bit
// words and converted by the device prelude's helpers (PTX cvt with
// round-to-nearest-even), accumulating in f32.
// CHECK-LABEL: // function @dynamic_f16: 1 kernels
// CHECK: #ifndef DECONV_INPUT_DIM0
// CHECK: #error "DECONV_INPUT_DIM0 (a dynamic size) must be defined"
// CHECK: #ifndef DECONV_INPUT_DIM3
// CHECK: #define DECONV_TOTAL_THREADS (DECONV_INPUT_DIM0 * 1LL * 2LL * ({{.*}}DECONV_INPUT_DIM3{{.*}}))
// CHECK: deconv_kernel_0(DECONV_GLOBAL(const unsigned short) input, DECONV_GLOBAL(const unsigned short) weight, DECONV_GLOBAL(unsigned short) result) {
// CHECK: float const v{{[0-9]+}} = deconv_half_to_float(
// CHECK: unsigned short const v{{[0-9]+}} = deconv_float_to_half(
// CUBIN-LABEL: // function @dynamic_f16
// CUBIN: // deconv_kernel_0: CUBIN for sm_80
// CUBIN: // deconv_kernel_0: CUBIN for sm_90
func.func @dynamic_f16(%x: tensor<?x2x?xf16>, %w: tensor<2x2x3xf16>) -> tensor<?x2x?xf16> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding = array<i64: 1>}
      : (tensor<?x2x?xf16>, tensor<2x2x3xf16>) -> tensor<?x2x?xf16>
  return %y : tensor<?x2x?xf16>
}

// The implicit GEMM of bf16 data runs on tensor cores: four warps, fragments
// by ldmatrix from [row][k] tiles of pitch 40, mma.sync with f32
// accumulators, which the epilogue rounds once. B (packed [column][k])
// arrives by 16-byte cp.async; A's 2-byte elements (cp.async has no 2-byte
// copy) through registers, one slice ahead.
// GEMM-LABEL: // function @bf16: 2 kernels
// GEMM: // deconv: deconv_kernel_0 (strategy: implicit_gemm, 64x64x32 mma.sync bf16, 3-stage cp.async)
// GEMM: __launch_bounds__(128, 1)
// GEMM: DECONV_DYNAMIC_SHARED(unsigned short, tiles);
// GEMM: unsigned short fetchedA[16];
// GEMM: deconv_cp_async(tiles + 7680 + (fill) * 2560 + line * 40 + part, packedB + (columnBase + line) * 32 + fill * 32LL + part, 16, 16);
// GEMM: deconv_ldmatrix_x4(a[mi], tileA + (warpRow + mi * 16 + lane % 16) * 40 + ks + (lane / 16) * 8);
// GEMM: deconv_ldmatrix_x2(b[nj], tileB + (warpColumn + nj * 8 + lane % 8) * 40 + ks + ((lane / 8) % 2) * 8);
// GEMM: deconv_mma_m16n8k16_bf16(acc[mi][nj], a[mi], b[nj], acc[mi][nj]);
// GEMM: (tiles + ((stage + 1) % 3) * 2560)[at * 40 + kk] = fetchedA[s];
// GEMM: result[{{.*}}] = deconv_float_to_bfloat16(value);
// GEMM: // deconv_kernel_0: CUBIN for sm_80
// GEMM: // deconv_kernel_0: CUBIN for sm_90
// bf16 the same way (cvt.rn.bf16.f32 needs sm_80 or later).
// CHECK-LABEL: // function @bf16: 1 kernels
// CHECK: float const v{{[0-9]+}} = deconv_bfloat16_to_float(
// CHECK: unsigned short const v{{[0-9]+}} = deconv_float_to_bfloat16(
// CUBIN-LABEL: // function @bf16
// CUBIN: // deconv_kernel_0: CUBIN for sm_80
// CUBIN: // deconv_kernel_0: CUBIN for sm_90
func.func @bf16(%x: tensor<1x2x3xbf16>, %w: tensor<2x2x3xbf16>) -> tensor<1x2x5xbf16> {
  %y = deconv.deconv %x, %w : (tensor<1x2x3xbf16>, tensor<2x2x3xbf16>) -> tensor<1x2x5xbf16>
  return %y : tensor<1x2x5xbf16>
}

// Channels-last data with a dynamic batch: the plan transposes in and out
// with kernels of their own, whose dynamic sizes are macros too.
// CHECK-LABEL: // function @channels_last: 3 kernels
// CHECK: // deconv: deconv_kernel_0, a layout transpose
// CHECK: #ifndef DECONV_IN_DIM0
// CHECK: result[thread] = input[source];
// CHECK: // deconv: deconv_kernel_1 (strategy: direct), generated from
// CHECK: // deconv: deconv_kernel_2, a layout transpose
// CUBIN-LABEL: // function @channels_last
// CUBIN: // deconv_kernel_0: CUBIN for sm_80
// CUBIN: // deconv_kernel_0: CUBIN for sm_90
// CUBIN: // deconv_kernel_1: CUBIN for sm_80
// CUBIN: // deconv_kernel_1: CUBIN for sm_90
// CUBIN: // deconv_kernel_2: CUBIN for sm_80
// CUBIN: // deconv_kernel_2: CUBIN for sm_90
func.func @channels_last(%x: tensor<?x3x4xf32>, %w: tensor<4x2x3xf32>) -> tensor<?x5x2xf32> {
  %y = deconv.deconv %x, %w {data_format = #deconv.data_format<channels_last>}
      : (tensor<?x3x4xf32>, tensor<4x2x3xf32>) -> tensor<?x5x2xf32>
  return %y : tensor<?x5x2xf32>
}
