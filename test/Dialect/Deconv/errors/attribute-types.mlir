// RUN: deconv-opt %s -split-input-file -verify-diagnostics

func.func @stride_not_array(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{'deconv.deconv' op attribute 'stride' failed to satisfy constraint: i64 dense array attribute}}
  %y = deconv.deconv %x, %w {stride = [2]} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @groups_not_integer(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{'deconv.deconv' op attribute 'groups' failed to satisfy constraint: 64-bit signless integer attribute}}
  %y = deconv.deconv %x, %w {groups = 1.0} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @padding_mode_not_enum(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{'deconv.deconv' op attribute 'padding_mode' failed to satisfy constraint: how the crops of a deconvolution are chosen}}
  %y = deconv.deconv %x, %w {padding_mode = "same_upper"} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @data_format_wrong_enum(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{'deconv.deconv' op attribute 'data_format' failed to satisfy constraint: position of the channel axis in input and result}}
  %y = deconv.deconv %x, %w {data_format = #deconv.kernel_format<cin_k_cout>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
