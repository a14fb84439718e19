// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// The three weight layouts with G = 2, Cin = 4, Cout = 6, kernel 3x2.

// CHECK-LABEL: func.func @cin_cout_k
// CHECK: kernel_format = #deconv.kernel_format<cin_cout_k>
// CHECK-SAME: -> tensor<1x6x5x4xf32>
func.func @cin_cout_k(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x2xf32>) -> tensor<1x6x5x4xf32> {
  %y = deconv.deconv %x, %w {groups = 2, kernel_format = #deconv.kernel_format<cin_cout_k>}
      : (tensor<1x4x3x3xf32>, tensor<4x3x3x2xf32>) -> tensor<1x6x5x4xf32>
  return %y : tensor<1x6x5x4xf32>
}

// Dragon with NHWC: (Cin, K..., Cout/G).
// CHECK-LABEL: func.func @cin_k_cout
// CHECK: kernel_format = #deconv.kernel_format<cin_k_cout>
// CHECK-SAME: -> tensor<1x5x4x6xf32>
func.func @cin_k_cout(%x: tensor<1x3x3x4xf32>, %w: tensor<4x3x2x3xf32>) -> tensor<1x5x4x6xf32> {
  %y = deconv.deconv %x, %w {groups = 2, data_format = #deconv.data_format<channels_last>, kernel_format = #deconv.kernel_format<cin_k_cout>}
      : (tensor<1x3x3x4xf32>, tensor<4x3x2x3xf32>) -> tensor<1x5x4x6xf32>
  return %y : tensor<1x5x4x6xf32>
}

// TOSA transpose_conv2d (OHWI): (Cout, K..., Cin/G).
// CHECK-LABEL: func.func @cout_k_cin
// CHECK: kernel_format = #deconv.kernel_format<cout_k_cin>
// CHECK-SAME: -> tensor<1x6x5x4xf32>
func.func @cout_k_cin(%x: tensor<1x4x3x3xf32>, %w: tensor<6x3x2x2xf32>) -> tensor<1x6x5x4xf32> {
  %y = deconv.deconv %x, %w {groups = 2, kernel_format = #deconv.kernel_format<cout_k_cin>}
      : (tensor<1x4x3x3xf32>, tensor<6x3x2x2xf32>) -> tensor<1x6x5x4xf32>
  return %y : tensor<1x6x5x4xf32>
}
