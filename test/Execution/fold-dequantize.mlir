// RUN: rm -rf %t && mkdir -p %t
// RUN: deconv-run %s --function=folded --target=cpu --output=@%t/folded-f16.npy --output=@%t/folded-bf16.npy
// RUN: deconv-run %s --function=runtime --target=cpu --input="2x6xi8=-128 -7 -1 0 1 2 3 4 5 99 126 127" --output=@%t/cpu-f16.npy --output=@%t/cpu-bf16.npy
// RUN: deconv-run %s --function=runtime --target=cuda-emulator --input="2x6xi8=-128 -7 -1 0 1 2 3 4 5 99 126 127" --output=@%t/cuda-f16.npy --output=@%t/cuda-bf16.npy
// RUN: %python %inputs/same_bits.py %t/folded-f16.npy %t/cpu-f16.npy %t/cuda-f16.npy | FileCheck %s --check-prefix=F16
// RUN: %python %inputs/same_bits.py %t/folded-bf16.npy %t/cpu-bf16.npy %t/cuda-bf16.npy | FileCheck %s --check-prefix=BF16
// REQUIRES: cuda-emulator

// The compile-time dequantization (-deconv-fold-dequantize) rounds as the
// run-time one does, on scales that are not powers of two and narrow result
// types: the folded constant, the CPU's lowering and the CUDA kernel give
// the same bits for every element.
// F16: 3 files, 12 elements each, the same bits
// BF16: 3 files, 12 elements each, the same bits

func.func @folded() -> (tensor<2x6xf16>, tensor<2x6xbf16>) {
  %q = arith.constant dense<[[-128, -7, -1, 0, 1, 2], [3, 4, 5, 99, 126, 127]]> : tensor<2x6xi8>
  %h = deconv.dequantize %q {scale = array<f32: 0.1, 0.37>, zero_point = array<i64: 3, -5>, axis = 0 : i64} : tensor<2x6xi8> -> tensor<2x6xf16>
  %b = deconv.dequantize %q {scale = array<f32: 0.013>, zero_point = array<i64: 7>} : tensor<2x6xi8> -> tensor<2x6xbf16>
  return %h, %b : tensor<2x6xf16>, tensor<2x6xbf16>
}

func.func @runtime(%q: tensor<2x6xi8>) -> (tensor<2x6xf16>, tensor<2x6xbf16>) {
  %h = deconv.dequantize %q {scale = array<f32: 0.1, 0.37>, zero_point = array<i64: 3, -5>, axis = 0 : i64} : tensor<2x6xi8> -> tensor<2x6xf16>
  %b = deconv.dequantize %q {scale = array<f32: 0.013>, zero_point = array<i64: 7>} : tensor<2x6xi8> -> tensor<2x6xbf16>
  return %h, %b : tensor<2x6xf16>, tensor<2x6xbf16>
}
