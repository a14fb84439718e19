// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @unknown_padding_mode(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+2 {{expected ::mlir::deconv::PaddingMode to be one of: explicit_round_down, explicit_round_up, same_upper, same_lower, caffe_round_down, caffe_round_up, valid}}
  // expected-error @+1 {{failed to parse Deconv_PaddingModeAttr parameter 'value'}}
  %y = deconv.deconv %x, %w {padding_mode = #deconv.padding_mode<same>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @missing_types(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{expected ':'}}
  %y = deconv.deconv %x, %w
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @operand_count(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{custom op 'deconv.deconv' number of operands and types do not match: got 2 operands and 3 types}}
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>, tensor<1xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @unknown_attribute_kind(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{unknown attribute `layout` in dialect `deconv`}}
  %y = deconv.deconv %x, %w {data_format = #deconv.layout<nhwc>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
