// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// The enum attributes parse and print on their own, outside the op.
// CHECK-LABEL: func.func @enums
// CHECK-SAME: deconv.data = #deconv.data_format<channels_last>
// CHECK-SAME: deconv.kernel = #deconv.kernel_format<cout_k_cin>
// CHECK-SAME: deconv.modes = [#deconv.padding_mode<explicit_round_down>, #deconv.padding_mode<explicit_round_up>, #deconv.padding_mode<same_upper>, #deconv.padding_mode<same_lower>, #deconv.padding_mode<caffe_round_down>, #deconv.padding_mode<caffe_round_up>, #deconv.padding_mode<valid>]
func.func @enums() attributes {
  deconv.modes = [#deconv.padding_mode<explicit_round_down>, #deconv.padding_mode<explicit_round_up>,
                  #deconv.padding_mode<same_upper>, #deconv.padding_mode<same_lower>,
                  #deconv.padding_mode<caffe_round_down>, #deconv.padding_mode<caffe_round_up>,
                  #deconv.padding_mode<valid>],
  deconv.data = #deconv.data_format<channels_last>,
  deconv.kernel = #deconv.kernel_format<cout_k_cin>} {
  return
}
