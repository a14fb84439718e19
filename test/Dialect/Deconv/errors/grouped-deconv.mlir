// RUN: deconv-opt %s -split-input-file -verify-diagnostics

// The canonical op's own verifier: every rule, with the numbers involved.

func.func @rank(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  // expected-error @+1 {{input must have rank >= 4 (batch, group, channel and at least one spatial axis), got rank 3}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64>, dilation = array<i64>, pre_padding = array<i64>, post_padding = array<i64>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// -----

func.func @weight_rank(%x: tensor<1x1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x1x5xf32> {
  // expected-error @+1 {{weight must have rank 4 (the input's), got rank 3}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>} : (tensor<1x1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x1x5xf32>
  return %y : tensor<1x1x1x5xf32>
}

// -----

func.func @array_length(%x: tensor<1x1x1x3xf32>, %w: tensor<1x1x1x3xf32>) -> tensor<1x1x1x5xf32> {
  // expected-error @+1 {{'pre_padding' must have 1 entries (one per spatial axis), got 2}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0, 0>, post_padding = array<i64: 0>} : (tensor<1x1x1x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x1x1x5xf32>
  return %y : tensor<1x1x1x5xf32>
}

// -----

func.func @missing_attribute(%x: tensor<1x1x1x3xf32>, %w: tensor<1x1x1x3xf32>) -> tensor<1x1x1x5xf32> {
  // expected-error @+1 {{requires attribute 'post_padding'}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>} : (tensor<1x1x1x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x1x1x5xf32>
  return %y : tensor<1x1x1x5xf32>
}

// -----

func.func @stride(%x: tensor<1x1x1x3xf32>, %w: tensor<1x1x1x3xf32>) -> tensor<1x1x1x5xf32> {
  // expected-error @+1 {{'stride' must be >= 1, got 0 on spatial axis 0}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 0>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>} : (tensor<1x1x1x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x1x1x5xf32>
  return %y : tensor<1x1x1x5xf32>
}

// -----

func.func @empty_output(%x: tensor<1x1x1x3xf32>, %w: tensor<1x1x1x3xf32>) -> tensor<1x1x1x1xf32> {
  // expected-error @+1 {{output size on spatial axis 0 would be 0 (below 1)}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 3>, post_padding = array<i64: 2>} : (tensor<1x1x1x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}

// -----

func.func @dynamic_weight(%x: tensor<1x1x1x3xf32>, %w: tensor<1x1x1x?xf32>) -> tensor<1x1x1x?xf32> {
  // expected-error @+1 {{weight shape must be static with sizes >= 1, got 1x1x1x?}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>} : (tensor<1x1x1x3xf32>, tensor<1x1x1x?xf32>) -> tensor<1x1x1x?xf32>
  return %y : tensor<1x1x1x?xf32>
}

// -----

func.func @dynamic_groups(%x: tensor<1x?x1x3xf32>, %w: tensor<1x1x1x3xf32>) -> tensor<1x1x1x5xf32> {
  // expected-error @+1 {{input group and channel counts (dimensions 1 and 2) must be static and >= 1, got 1x?x1x3}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>} : (tensor<1x?x1x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x1x1x5xf32>
  return %y : tensor<1x1x1x5xf32>
}

// -----

func.func @weight_groups(%x: tensor<1x2x3x3xf32>, %w: tensor<1x3x1x3xf32>) -> tensor<1x2x1x5xf32> {
  // expected-error @+1 {{weight must start with the input's groups and channels per group (2, 3), got 1x3x1x3}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>} : (tensor<1x2x3x3xf32>, tensor<1x3x1x3xf32>) -> tensor<1x2x1x5xf32>
  return %y : tensor<1x2x1x5xf32>
}

// -----

func.func @bias(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x1x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x1x5xf32> {
  // expected-error @+1 {{bias must have shape (2, 1), got 2}}
  %y = deconv.grouped_deconv %x, %w, %b {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>} : (tensor<1x2x3x3xf32>, tensor<2x3x1x3xf32>, tensor<2xf32>) -> tensor<1x2x1x5xf32>
  return %y : tensor<1x2x1x5xf32>
}

// -----

func.func @result_shape(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x1x3xf32>) -> tensor<1x2x1x6xf32> {
  // expected-error @+1 {{result shape 1x2x1x6 does not match the computed shape 1x2x1x5 (dimension 3)}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>} : (tensor<1x2x3x3xf32>, tensor<2x3x1x3xf32>) -> tensor<1x2x1x6xf32>
  return %y : tensor<1x2x1x6xf32>
}

// -----

func.func @result_groups(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x1x3xf32>) -> tensor<1x?x1x5xf32> {
  // expected-error @+1 {{result group count (dimension 1) must be static, expected 2}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>} : (tensor<1x2x3x3xf32>, tensor<2x3x1x3xf32>) -> tensor<1x?x1x5xf32>
  return %y : tensor<1x?x1x5xf32>
}

// -----

func.func @element_type(%x: tensor<1x1x1x3xf32>, %w: tensor<1x1x1x3xf16>) -> tensor<1x1x1x5xf32> {
  // expected-error @+1 {{element types must match: input has 'f32' but weight has 'f16'}}
  %y = deconv.grouped_deconv %x, %w {stride = array<i64: 1>, dilation = array<i64: 1>, pre_padding = array<i64: 0>, post_padding = array<i64: 0>} : (tensor<1x1x1x3xf32>, tensor<1x1x1x3xf16>) -> tensor<1x1x1x5xf32>
  return %y : tensor<1x1x1x5xf32>
}
