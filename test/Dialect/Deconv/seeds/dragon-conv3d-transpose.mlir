// RUN: deconv-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// Dragon's conv3d_transpose example (seed 003): ones((1,2,2,2,2)), a 1x1x1
// kernel, output_shape (3,3,3) -> (1,3,3,3,3). The total crop per axis is
// E - T_o = 2 - 3 = -1, so the output grows by one row at the end. The seed
// writes the weight as (3,2,1,1,1), which fits neither layout it documents;
// in its NCHW layout (Cin, Cout, k...) the weight is (2,3,1,1,1).
// CHECK-LABEL: func.func @dragon
// CHECK-SAME: -> tensor<1x3x3x3x3xf32>
func.func @dragon(%x: tensor<1x2x2x2x2xf32>, %w: tensor<2x3x1x1x1xf32>) -> tensor<1x3x3x3x3xf32> {
  %y = deconv.deconv %x, %w {kernel_size = array<i64: 1, 1, 1>, output_shape = array<i64: 3, 3, 3>}
      : (tensor<1x2x2x2x2xf32>, tensor<2x3x1x1x1xf32>) -> tensor<1x3x3x3x3xf32>
  return %y : tensor<1x3x3x3x3xf32>
}

// The same in Dragon's NHWC form: (N, D, H, W, C) data, (Cin, K..., Cout) weight.
// CHECK-LABEL: func.func @dragon_nhwc
// CHECK-SAME: -> tensor<1x3x3x3x3xf32>
func.func @dragon_nhwc(%x: tensor<1x2x2x2x2xf32>, %w: tensor<2x1x1x1x3xf32>) -> tensor<1x3x3x3x3xf32> {
  %y = deconv.deconv %x, %w {output_shape = array<i64: 3, 3, 3>, data_format = #deconv.data_format<channels_last>, kernel_format = #deconv.kernel_format<cin_k_cout>}
      : (tensor<1x2x2x2x2xf32>, tensor<2x1x1x1x3xf32>) -> tensor<1x3x3x3x3xf32>
  return %y : tensor<1x3x3x3x3xf32>
}

// -----

// The weight exactly as the seed writes it is rejected with a reason.
func.func @dragon_as_written(%x: tensor<1x2x2x2x2xf32>, %w: tensor<3x2x1x1x1xf32>) -> tensor<1x3x3x3x3xf32> {
  // expected-error @+1 {{weight dimension 0 must be the input channel count 2 for kernel_format cin_cout_k, got 3}}
  %y = deconv.deconv %x, %w {output_shape = array<i64: 3, 3, 3>}
      : (tensor<1x2x2x2x2xf32>, tensor<3x2x1x1x1xf32>) -> tensor<1x3x3x3x3xf32>
  return %y : tensor<1x3x3x3x3xf32>
}
