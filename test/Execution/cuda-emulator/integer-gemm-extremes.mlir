// RUN: split-file %s %t
// RUN: deconv-run %t/largest.mlir --target=cpu --input="1x64x3xui8=255" | FileCheck %s --check-prefix=LARGEST
// RUN: deconv-run %t/largest.mlir --target=cuda-emulator --cuda-strategy=implicit_gemm --input="1x64x3xui8=255" | FileCheck %s --check-prefix=LARGEST
// RUN: deconv-run %t/largest.mlir --target=cuda-emulator --cuda-strategy=implicit_gemm --cuda-tile=128x64 --input="1x64x3xui8=255" | FileCheck %s --check-prefix=LARGEST
// RUN: deconv-run %t/largest.mlir --target=cuda-emulator --cuda-strategy=direct --input="1x64x3xui8=255" | FileCheck %s --check-prefix=LARGEST
// RUN: deconv-run %t/smallest.mlir --target=cpu --input="1x64x3xi8=-128" | FileCheck %s --check-prefix=SMALLEST
// RUN: deconv-run %t/smallest.mlir --target=cuda-emulator --cuda-strategy=implicit_gemm --input="1x64x3xi8=-128" | FileCheck %s --check-prefix=SMALLEST
// RUN: deconv-run %t/smallest.mlir --target=cuda-emulator --cuda-strategy=implicit_gemm --cuda-tile=128x128 --input="1x64x3xi8=-128" | FileCheck %s --check-prefix=SMALLEST
// RUN: deconv-run %t/smallest.mlir --target=cuda-emulator --cuda-strategy=direct --input="1x64x3xi8=-128" | FileCheck %s --check-prefix=SMALLEST
// RUN: deconv-run %t/infinite.mlir --target=cpu --input="1x4x3xi8=1" | FileCheck %s --check-prefix=INFINITE
// RUN: deconv-run %t/infinite.mlir --target=cuda-emulator --cuda-strategy=implicit_gemm --input="1x4x3xi8=1" | FileCheck %s --check-prefix=INFINITE
// RUN: deconv-run %t/infinite.mlir --target=cuda-emulator --cuda-strategy=direct --input="1x4x3xi8=1" | FileCheck %s --check-prefix=INFINITE
// RUN: deconv-run %t/infinite.mlir --target=cpu --input="1x4x3xi8=0" | FileCheck %s --check-prefix=NAN
// RUN: deconv-run %t/infinite.mlir --target=cuda-emulator --cuda-strategy=implicit_gemm --input="1x4x3xi8=0" | FileCheck %s --check-prefix=NAN
// RUN: deconv-run %t/infinite.mlir --target=cuda-emulator --cuda-strategy=direct --input="1x4x3xi8=0" | FileCheck %s --check-prefix=NAN
// REQUIRES: cuda-emulator

// The integer GEMM at the ends of its operands' ranges, on the CPU, the
// integer GEMM's tiles and direct; values derived by hand. 1-D, 64 input
// channels, kernel 2, stride 1: the first and last outputs take one tap,
// the middle two take two.

// The largest centered input, 255 (ui8 with zero point 0: split into
// 127 and 1), times the weight -128: 64 * 255 * -128 = -2088960 per tap.
// Divided by the output scale 65536: -31.875 and -63.75, rounded to -32 and
// -64; channel 1's weight scale 0.5 halves them: -15.9375 -> -16, -31.875
// -> -32.
// LARGEST: result 0: tensor<1x2x4xi8>
// LARGEST-NEXT: {{\[\[\[}}-32 -64 -64 -32]
// LARGEST-NEXT: {{^}}  [-16 -32 -32 -16]]]

// The smallest, -128 - 127 = -255 (i8 with zero point 127), times a ui8
// weight of 255 with zero point 128 (127 after the sign flip): 64 * -255 *
// 127 = -2072640 per tap; / 65536 = -31.626 and -63.252, rounded to -32
// and -63, plus the output zero point 100 (ui8): 68 and 37.
// SMALLEST: result 0: tensor<1x1x4xui8>
// SMALLEST-NEXT: {{\[\[\[}}68 37 37 68]]]

// A multiplier f32(1e20 * 1e20) that overflows to infinity: every nonzero
// sum requantizes to +infinity, saturated to 127; a zero sum gives
// 0 * infinity, a NaN, which becomes the output zero point 5.
// INFINITE: result 0: tensor<1x1x4xi8>
// INFINITE-NEXT: {{\[\[\[}}127 127 127 127]]]
// NAN: result 0: tensor<1x1x4xi8>
// NAN-NEXT: {{\[\[\[}}5 5 5 5]]]

//--- largest.mlir
func.func @main(%x: tensor<1x64x3xui8>) -> tensor<1x2x4xi8> {
  %w = arith.constant dense<-128> : tensor<64x2x2xi8>
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [0], weight_scale = [1.0, 0.5], weight_zero_point = [0, 0], output_scale = [65536.0], output_zero_point = [0]>} : (tensor<1x64x3xui8>, tensor<64x2x2xi8>) -> tensor<1x2x4xi8>
  return %y : tensor<1x2x4xi8>
}

//--- smallest.mlir
func.func @main(%x: tensor<1x64x3xi8>) -> tensor<1x1x4xui8> {
  %w = arith.constant dense<255> : tensor<64x1x2xui8>
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0], input_zero_point = [127], weight_scale = [1.0], weight_zero_point = [128], output_scale = [65536.0], output_zero_point = [100]>} : (tensor<1x64x3xi8>, tensor<64x1x2xui8>) -> tensor<1x1x4xui8>
  return %y : tensor<1x1x4xui8>
}

//--- infinite.mlir
func.func @main(%x: tensor<1x4x3xi8>) -> tensor<1x1x4xi8> {
  %w = arith.constant dense<1> : tensor<4x1x2xi8>
  %y = deconv.deconv %x, %w {quantization = #deconv.quantization<input_scale = [1.0e+20], input_zero_point = [0], weight_scale = [1.0e+20], weight_zero_point = [0], output_scale = [1.0], output_zero_point = [5]>} : (tensor<1x4x3xi8>, tensor<4x1x2xi8>) -> tensor<1x1x4xi8>
  return %y : tensor<1x1x4xi8>
}
