// RUN: deconv-run %s --target=cpu --input="1x8xf32=0.25 0.75 -0.25 -0.75 1.25 100 -100 nan" | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %inputs/quantized_differential.py --seed 2 --count 100 --workdir %t | FileCheck %s --check-prefix=GRAPHS
// RUN: %python %inputs/quantized_differential.py --seed 7 --count 40 --constant-weights --workdir %t/constant | FileCheck %s --check-prefix=CONSTANT
// RUN: %python %inputs/quantized_differential.py --seed 12 --count 40 --layers fusable --any-scales --workdir %t/fused | FileCheck %s --check-prefix=FUSED
// RUN: %python %inputs/quantized_differential.py --seed 13 --count 20 --layers fusable --any-scales --constant-weights --workdir %t/fused-constant | FileCheck %s --check-prefix=FUSED-CONSTANT
// RUN: %python %inputs/quantized_differential.py --seed 14 --count 20 --layers unfusable --workdir %t/unfused | FileCheck %s --check-prefix=UNFUSED
// RUN: %python %inputs/quantized_differential.py --seed 15 --count 12 --layers fusable --any-scales --wide --workdir %t/wide | FileCheck %s --check-prefix=WIDE
// RUN: %python %inputs/quantized_differential.py --seed 16 --count 8 --layers fusable --any-scales --wide --constant-weights --workdir %t/wide-constant | FileCheck %s --check-prefix=WIDE-CONSTANT

// deconv.quantize and deconv.dequantize by their definition (IR.md,
// "Quantization"), values derived by hand. x / 0.5 = 0.5, 1.5, -0.5, -1.5,
// 2.5, 200, -200, NaN: half to even gives 0, 2, 0, -2, 2; 200 and -200
// saturate; a NaN becomes the zero point.
// CHECK: result 0: tensor<1x8xi8>
// CHECK-NEXT: {{\[\[}}0 2 0 -2 2 127 -128 0]]
// With zero point 128 into ui8 (saturating at 255 and 0):
// CHECK: result 1: tensor<1x8xui8>
// CHECK-NEXT: {{\[\[}}128 130 128 126 130 255 0 128]]
// (u - 128) * 0.1 in f32, then rounded once to f16: 2 * 0.1f is 0.2, whose
// nearest f16 is 0.199951171875; 127 * 0.1 = 12.7 -> 12.703125 (f16 steps
// are 1/128 there); -12.8 -> -12.796875.
// CHECK: result 2: tensor<1x8xf16>
// CHECK-NEXT: {{\[\[}}0 0.199951172 0 -0.199951172 0.199951172 12.703125 -12.796875 0]]
// (q + 1) * 3 to bf16: -127 * 3 = -381 lies halfway between bf16's -380
// and -382 (steps of 2 above 256): the even mantissa, -380.
// CHECK: result 3: tensor<1x8xbf16>
// CHECK-NEXT: {{\[\[}}3 9 3 -3 9 384 -380 3]]

// Q -> DQ -> deconv -> Q graphs (quantized_differential.py): random
// deconvolutions of every attribute with per-tensor and per-channel i8/ui8
// quantization, against NumPy's unfused definition, equal to the last bit;
// the CPU runs the fusable ones as integer deconvolutions
// (-deconv-fuse-quantized).
// GRAPHS: {{^}}100 passed, 0 failed ({{[1-9][0-9]*}} fusable)
// The same with the int8 weights as constants (dense and dense_resource),
// dequantized at compile time by -deconv-fold-dequantize where not fused.
// CONSTANT: {{^}}40 passed, 0 failed ({{[1-9][0-9]*}} fusable)
// Fused layers with arbitrary scales, equal to the integer definition
// (DeconvOps.td) to the last bit; and layers that stay in floats.
// FUSED: {{^}}40 passed, 0 failed (40 fusable)
// FUSED-CONSTANT: {{^}}20 passed, 0 failed (20 fusable)
// UNFUSED: {{^}}20 passed, 0 failed (0 fusable)
// Layers with 150 to 400 input channels per group, which the CPU sums in
// several exact f32 slices (-deconv-integer-deconv-as-floats).
// WIDE: {{^}}12 passed, 0 failed (12 fusable)
// WIDE-CONSTANT: {{^}}8 passed, 0 failed (8 fusable)

func.func @main(%x: tensor<1x8xf32>) -> (tensor<1x8xi8>, tensor<1x8xui8>, tensor<1x8xf16>, tensor<1x8xbf16>) {
  %q = deconv.quantize %x {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x8xf32> -> tensor<1x8xi8>
  %u = deconv.quantize %x {scale = array<f32: 0.5>, zero_point = array<i64: 128>} : tensor<1x8xf32> -> tensor<1x8xui8>
  %h = deconv.dequantize %u {scale = array<f32: 0.1>, zero_point = array<i64: 128>} : tensor<1x8xui8> -> tensor<1x8xf16>
  %b = deconv.dequantize %q {scale = array<f32: 3.0>, zero_point = array<i64: -1>} : tensor<1x8xi8> -> tensor<1x8xbf16>
  return %q, %u, %h, %b : tensor<1x8xi8>, tensor<1x8xui8>, tensor<1x8xf16>, tensor<1x8xbf16>
}
