// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %inputs/integer_rounding.py input %t/x.npy
// RUN: deconv-opt %s --deconv-fuse-quantized | FileCheck %s --check-prefix=FUSED
// RUN: deconv-run %s --target=cpu --input=@%t/x.npy --output=@%t/cpu.npy
// RUN: %python %inputs/integer_rounding.py check %t/cpu.npy | FileCheck %s
// RUN: deconv-opt %s --deconv-fuse-quantized -o %t/fused.mlir
// RUN: %if cuda-emulator %{ deconv-run %t/fused.mlir --target=cuda-emulator --input=@%t/x.npy --output=@%t/emulator.npy %}
// RUN: %if cuda-emulator %{ %python %inputs/integer_rounding.py check %t/emulator.npy | FileCheck %s %}
// RUN: %if cuda-emulator %{ deconv-run %s --target=cuda-emulator --cuda-strategy=implicit_gemm --input=@%t/x.npy --output=@%t/gemm.npy %}
// RUN: %if cuda-emulator %{ %python %inputs/integer_rounding.py check %t/gemm.npy | FileCheck %s %}

// The integer deconvolution rounds as DeconvOps.td defines it, step by step
// in f32, on a layer built so that the rounding matters: every odd x is a tie
// in exact arithmetic (x * 0.1 * 0.3 / 0.06 = x / 2), and on the biased
// channel a fused multiply-add would round differently
// (integer_rounding.py computes the definition and both alternatives). The
// CPU fuses the layer itself; so does the CUDA target (the layer is
// symmetric), tested on its integer GEMM; its direct kernel gets it fused.
// FUSED: deconv.deconv %arg0, %{{.*}}, %{{.*}} {quantization
// CHECK: 510 values equal the definition
// CHECK-NEXT: exact arithmetic would differ at {{[1-9][0-9]*$}}
// CHECK-NEXT: a fused multiply-add would differ at {{[1-9][0-9]*$}}

func.func @main(%xq: tensor<1x1x255xi8>) -> tensor<1x2x255xi8> {
  %wq = arith.constant dense<1> : tensor<1x2x1xi8>
  %b = arith.constant dense<[0.0, 0.09]> : tensor<2xf32>
  %x = deconv.dequantize %xq {scale = array<f32: 0.1>, zero_point = array<i64: 0>} : tensor<1x1x255xi8> -> tensor<1x1x255xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.3>, zero_point = array<i64: 0>} : tensor<1x2x1xi8> -> tensor<1x2x1xf32>
  %y = deconv.deconv %x, %w, %b : (tensor<1x1x255xf32>, tensor<1x2x1xf32>, tensor<2xf32>) -> tensor<1x2x255xf32>
  %q = deconv.quantize %y {scale = array<f32: 0.06>, zero_point = array<i64: 0>} : tensor<1x2x255xf32> -> tensor<1x2x255xi8>
  return %q : tensor<1x2x255xi8>
}
