// RUN: deconv-compile %s --describe --cuda-strategy=implicit_gemm --function=symmetric | FileCheck %s
// RUN: deconv-compile %s --describe --cuda-strategy=implicit_gemm --function=asymmetric | FileCheck %s --check-prefix=FLOAT
// RUN: deconv-compile %s --describe --cuda-strategy=implicit_gemm --function=symmetric --arch=sm_75 | FileCheck %s --check-prefix=FLOAT

// A quantized layer whose int8 weight is a constant. Symmetric (input and
// weight i8 with zero point 0), the CUDA target fuses it into an integer
// deconvolution on 8-bit tensor cores: quantize the input, then one GEMM
// whose weight the planner packed (no packing kernel) and whose epilogue
// requantizes.
// CHECK: kernel 0: {{.*}}(strategy: quantize, per tensor)
// CHECK-NEXT: kernel 1: {{.*}}(strategy: implicit_gemm, 64x64x64 mma.sync s8,
// CHECK-NOT: kernel 2
// CHECK-NOT: _pack
func.func @symmetric(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x8x8xi8> {
  %wq = arith.constant dense<[[[[1, -2], [3, -4]], [[5, -6], [7, -8]], [[9, -10], [11, -12]]],
                              [[[-1, 2], [-3, 4]], [[-5, 6], [-7, 8]], [[-9, 10], [-11, 12]]]]> : tensor<2x3x2x2xi8>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25, 0.5, 1.0>, zero_point = array<i64: 0, 0, 0>, axis = 1 : i64} : tensor<2x3x2x2xi8> -> tensor<2x3x2x2xf32>
  %xq = deconv.quantize %x {scale = array<f32: 0.125>, zero_point = array<i64: 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xi8>
  %xd = deconv.dequantize %xq {scale = array<f32: 0.125>, zero_point = array<i64: 0>} : tensor<1x2x4x4xi8> -> tensor<1x2x4x4xf32>
  %y = deconv.deconv %xd, %w {stride = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<2x3x2x2xf32>) -> tensor<1x3x8x8xf32>
  %yq = deconv.quantize %y {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xi8>
  return %yq : tensor<1x3x8x8xi8>
}

// A weight zero point that is not 0 (or, above, an architecture before
// sm_80, which has no 8-bit tensor cores): the layer runs as written. The
// front half dequantizes the weight at compile time
// (-deconv-fold-dequantize), so the plan has no dequantize kernel for it and
// the float GEMM's weight is packed by the planner: quantize and dequantize
// the input, the GEMM, quantize the result.
// FLOAT: kernel 0: {{.*}}(strategy: quantize, per tensor)
// FLOAT-NEXT: kernel 1: {{.*}}(strategy: dequantize, per tensor)
// FLOAT-NEXT: kernel 2: {{.*}}(strategy: implicit_gemm, 64x64x16 ffma
// FLOAT-NEXT: kernel 3: {{.*}}(strategy: quantize, per tensor)
// FLOAT-NOT: kernel 4
// FLOAT-NOT: _pack
func.func @asymmetric(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x8x8xi8> {
  %wq = arith.constant dense<[[[[1, -2], [3, -4]], [[5, -6], [7, -8]], [[9, -10], [11, -12]]],
                              [[[-1, 2], [-3, 4]], [[-5, 6], [-7, 8]], [[-9, 10], [-11, 12]]]]> : tensor<2x3x2x2xi8>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25, 0.5, 1.0>, zero_point = array<i64: 0, 3, 0>, axis = 1 : i64} : tensor<2x3x2x2xi8> -> tensor<2x3x2x2xf32>
  %xq = deconv.quantize %x {scale = array<f32: 0.125>, zero_point = array<i64: 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xi8>
  %xd = deconv.dequantize %xq {scale = array<f32: 0.125>, zero_point = array<i64: 0>} : tensor<1x2x4x4xi8> -> tensor<1x2x4x4xf32>
  %y = deconv.deconv %xd, %w {stride = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<2x3x2x2xf32>) -> tensor<1x3x8x8xf32>
  %yq = deconv.quantize %y {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xi8>
  return %yq : tensor<1x3x8x8xi8>
}
