// RUN: deconv-translate --emit-cuda %s --cuda-strategy=direct | FileCheck %s
// REQUIRES: nvrtc
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=direct --cuda-arch=sm_80,sm_90 | FileCheck %s --check-prefix=CUBIN
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=implicit_gemm --cuda-arch=sm_80,sm_90 | FileCheck %s --check-prefix=GEMM
// RUN: deconv-translate --emit-cuda %s --cuda-strategy=implicit_gemm --precision=tf32 --cuda-arch=sm_80,sm_90 | FileCheck %s --check-prefix=TF32

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
// The implicit GEMM of the same op: the block takes its group and phase
// from blockIdx.z, the phase's constants follow, blocks past the phase's
// positions leave, and K is walked in 16-deep slices through a two-stage
// pipeline: the next slice is fetched into registers while the current one
// is computed, then deposited into the other stage; one barrier a slice.
// GEMM-LABEL: // function @stride2: 1 kernels
// GEMM: // deconv: deconv_kernel_0 (strategy: implicit_gemm, 64x64x16 ffma), generated from
// GEMM: __launch_bounds__(256, 1)
// GEMM-NEXT: deconv_kernel_0(
// GEMM-NEXT: DECONV_DYNAMIC_SHARED(float, tiles);
// GEMM-NEXT: const long long g = blockIdx.z % 1LL;
// GEMM: const long long p1 = phaseRest % 2LL;
// GEMM: const long long p0 = phaseRest % 2LL;
// GEMM: const long long taps0 =
// GEMM: if (rowBase >= rows)
// GEMM: float fetchedA[4], fetchedB[4];
// GEMM: tiles[(0) * 1024 + kk * 64 + at] = fetchedA[s];
// GEMM: __syncthreads();
// GEMM: for (long long kBase = 0; kBase < depth; kBase += 16) {
// GEMM: if (more) {
// GEMM: fetchedA[s] = value;
// GEMM: DECONV_SHARED_PTR(float) const tileA = tiles + stage * 1024;
// GEMM: acc[i][j] = fmaf(as[i], bs[j], acc[i][j]);
// GEMM: tiles[(stage ^ 1) * 1024 + kk * 64 + at] = fetchedA[s];
// GEMM: __syncthreads();
// GEMM-NEXT: stage ^= 1;
// GEMM: const float value = acc[i][j] + bias[g * 1LL + co];
// GEMM: result[rowStart + co * ((7LL) * 7LL)] = value;
// GEMM: // deconv_kernel_0: CUBIN for sm_80
// GEMM: // deconv_kernel_0: CUBIN for sm_90
// Under the tf32 policy f32 data run on tensor cores too, each operand
// rounded with cvt.rna.tf32.f32.
// TF32-LABEL: // function @stride2: 1 kernels
// TF32: (strategy: implicit_gemm, 64x64x32 mma.sync tf32)
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
// CHECK: float v{{[0-9]+}} = 0.00000000e+00f;
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
// accumulators, which the epilogue rounds once.
// GEMM-LABEL: // function @bf16: 1 kernels
// GEMM: // deconv: deconv_kernel_0 (strategy: implicit_gemm, 64x64x32 mma.sync bf16)
// GEMM: __launch_bounds__(128, 1)
// GEMM: DECONV_DYNAMIC_SHARED(unsigned short, tiles);
// GEMM: deconv_ldmatrix_x4(a[mi], tileA + (warpRow + mi * 16 + lane % 16) * 40 + ks + (lane / 16) * 8);
// GEMM: deconv_ldmatrix_x2(b[nj], tileB + (warpColumn + nj * 8 + lane % 8) * 40 + ks + ((lane / 8) % 2) * 8);
// GEMM: deconv_mma_m16n8k16_bf16(acc[mi][nj], a[mi], b[nj], acc[mi][nj]);
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
