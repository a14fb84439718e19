// RUN: split-file %s %t
// RUN: deconv-translate --emit-cuda %t/symmetric.mlir --cuda-strategy=implicit_gemm | FileCheck %s
// RUN: deconv-translate --emit-cuda %t/input-zero-point.mlir --cuda-strategy=implicit_gemm | FileCheck %s --check-prefix=SPLIT
// RUN: not deconv-translate --emit-cuda %t/asymmetric.mlir --cuda-strategy=implicit_gemm 2>&1 | FileCheck %s --check-prefix=ASYMMETRIC
// RUN: not deconv-translate --emit-cuda %t/symmetric.mlir --cuda-strategy=implicit_gemm --cuda-arch=sm_75 2>&1 | FileCheck %s --check-prefix=ARCH
// RUN: not deconv-translate --emit-cuda %t/symmetric.mlir --cuda-strategy=gemm_d2s 2>&1 | FileCheck %s --check-prefix=FLOAT
// RUN: deconv-translate --emit-cuda %t/asymmetric.mlir | FileCheck %s --check-prefix=DIRECT
// RUN: %if nvrtc %{ deconv-translate --emit-cuda %t/symmetric.mlir --cuda-strategy=implicit_gemm --cuda-arch=sm_80,sm_90 --cuda-resource-usage > %t/usage %}
// RUN: %if nvrtc %{ deconv-translate --emit-cuda %t/symmetric.mlir --cuda-strategy=implicit_gemm --cuda-tile=128x128 --cuda-arch=sm_80,sm_90 --cuda-resource-usage >> %t/usage %}
// RUN: %if nvrtc %{ deconv-translate --emit-cuda %t/input-zero-point.mlir --cuda-strategy=implicit_gemm --cuda-arch=sm_80,sm_90 --cuda-resource-usage >> %t/usage %}
// RUN: %if nvrtc %{ not grep -E "[1-9][0-9]* bytes (spill|stack)" %t/usage %}

// An integer deconvolution on the implicit GEMM: 8-bit tensor cores
// (mma.sync m16n8k32 s8) over the operands' bytes as stored. The ui8 input
// (zero point 128) is filled with 128 where it has no element and has its
// sign bits flipped in the fragments, making each byte q - 128; the i8
// weight is taken as it is. The epilogue requantizes with per-channel
// tables of f32(sx * sw[c]) = 0.5 * (0.25, 0.125, 1.5) and the output's
// per-channel scales and zero points.
// CHECK: static __device__ const float deconv_multiplier[3] = {0.125f, 0.0625f, 0.75f};
// CHECK: static __device__ const float deconv_output_scale[3] = {2.0f, 1.0f, 0.5f};
// CHECK: static __device__ const float deconv_output_zero_point[3] = {-3.0f, 0.0f, 4.0f};
// CHECK: (DECONV_GLOBAL(const unsigned char) input, DECONV_GLOBAL(const signed char) weight, DECONV_GLOBAL(const float) bias, DECONV_GLOBAL(signed char) result)
// CHECK: int acc[2][4][4] = {};
// CHECK: unsigned char value = 128;
// CHECK: a[mi][r] ^= 0x80808080u;
// CHECK-NOT: b[nj][0] ^=
// CHECK: deconv_mma_m16n8k32_s8(acc[mi][nj], a[mi], b[nj], acc[mi][nj]);
// CHECK: __fmul_rn((float)(acc[mi][nj][half * 2 + j]), deconv_multiplier[g * 3LL + co]) + bias[g * 3LL + co];
// CHECK: rintf
// An input zero point other than 0 (i8) or 128 (ui8): q - 3 needs 9 bits,
// so the input is fetched centered (0 where it has no element) and split
// into v >> 1 and v & 1 in two tiles; each slice multiplies the high half
// twice and the low half once.
// SPLIT: 64x64x64 mma.sync s8 (input in two halves)
// SPLIT: int fetchedA[32];
// SPLIT: value = (int)(input + ({{.*}}))[0] - 3;
// SPLIT: = (unsigned char)(fetchedA[s] >> 1);
// SPLIT: = (unsigned char)(fetchedA[s] & 1);
// SPLIT: deconv_ldmatrix_x4(low[mi], tileLow +
// SPLIT-NOT: ^= 0x80808080u
// SPLIT: deconv_mma_m16n8k32_s8(acc[mi][nj], a[mi], b[nj], acc[mi][nj]);
// SPLIT-NEXT: deconv_mma_m16n8k32_s8(acc[mi][nj], a[mi], b[nj], acc[mi][nj]);
// SPLIT-NEXT: deconv_mma_m16n8k32_s8(acc[mi][nj], low[mi], b[nj], acc[mi][nj]);
// A weight zero point other than 0 (i8) or 128 (ui8) is refused.
// ASYMMETRIC: CUDA strategy 'implicit_gemm' cannot take this op: its integer GEMM takes a symmetric weight only (i8 with zero point 0, ui8 with 128); other weight zero points run on direct
// ARCH: CUDA strategy 'implicit_gemm' cannot take this op: its integer GEMM needs the 8-bit tensor cores of sm_80 and later, not sm_75
// FLOAT: CUDA strategy 'gemm_d2s' cannot take this op: it computes in floats, and an integer deconvolution runs on implicit_gemm or direct
// An integer deconvolution the GEMM cannot take runs on direct.
// DIRECT: (strategy: direct)

//--- symmetric.mlir
func.func @main(%x: tensor<2x4x6x6xui8>, %w: tensor<4x3x3x3xi8>, %b: tensor<3xf32>) -> tensor<2x3x13x13xi8> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, quantization = #deconv.quantization<input_scale = [0.5], input_zero_point = [128], weight_scale = [0.25, 0.125, 1.5], weight_zero_point = [0, 0, 0], output_scale = [2.0, 1.0, 0.5], output_zero_point = [-3, 0, 4]>} : (tensor<2x4x6x6xui8>, tensor<4x3x3x3xi8>, tensor<3xf32>) -> tensor<2x3x13x13xi8>
  return %y : tensor<2x3x13x13xi8>
}

//--- input-zero-point.mlir
func.func @main(%x: tensor<2x4x6x6xui8>, %w: tensor<4x3x3x3xi8>) -> tensor<2x3x13x13xi8> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, quantization = #deconv.quantization<input_scale = [0.5], input_zero_point = [3], weight_scale = [0.25], weight_zero_point = [0], output_scale = [2.0], output_zero_point = [0]>} : (tensor<2x4x6x6xui8>, tensor<4x3x3x3xi8>) -> tensor<2x3x13x13xi8>
  return %y : tensor<2x3x13x13xi8>
}

//--- asymmetric.mlir
func.func @main(%x: tensor<2x4x6x6xui8>, %w: tensor<4x3x3x3xi8>) -> tensor<2x3x13x13xi8> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, quantization = #deconv.quantization<input_scale = [0.5], input_zero_point = [128], weight_scale = [0.25, 0.5, 1.0], weight_zero_point = [0, 2, 0], output_scale = [2.0], output_zero_point = [0]>} : (tensor<2x4x6x6xui8>, tensor<4x3x3x3xi8>) -> tensor<2x3x13x13xi8>
  return %y : tensor<2x3x13x13xi8>
}
