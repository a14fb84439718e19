// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// Channels-last with dynamic batch and spatial sizes and SAME padding: the
// crops do not depend on the input size, the output size does (?).
// CHECK-LABEL: func.func @dynamic_nhwc
// CHECK-SAME: -> tensor<?x?x?x8xf32>
func.func @dynamic_nhwc(%x: tensor<?x?x?x4xf32>, %w: tensor<4x3x3x8xf32>) -> tensor<?x?x?x8xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, padding_mode = #deconv.padding_mode<same_upper>,
                             data_format = #deconv.data_format<channels_last>,
                             kernel_format = #deconv.kernel_format<cin_k_cout>}
      : (tensor<?x?x?x4xf32>, tensor<4x3x3x8xf32>) -> tensor<?x?x?x8xf32>
  return %y : tensor<?x?x?x8xf32>
}
