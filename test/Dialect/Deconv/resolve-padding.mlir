// RUN: deconv-opt %s -deconv-resolve-padding | FileCheck %s
// RUN: deconv-opt %s -deconv-resolve-padding | deconv-opt -deconv-resolve-padding | FileCheck %s

// Every padding convention becomes pre_padding = B and post_padding = A - op
// relative to the full scatter F = (I-1)*S + L*(K-1) + 1. Unless noted the
// input has I = 3 and the kernel K = 3. Expected crops are worked by hand from
// the IR contract's rules. The second RUN line checks that the pass is
// idempotent.

// CHECK-LABEL: func.func @default
// CHECK: deconv.deconv %arg0, %arg1 {post_padding = array<i64: 0>, pre_padding = array<i64: 0>} : {{.*}} -> tensor<1x1x5xf32>
func.func @default(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// CHECK-LABEL: func.func @padding
// CHECK: {post_padding = array<i64: 1, 0>, pre_padding = array<i64: 1, 0>}
func.func @padding(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x3x5xf32> {
  %y = deconv.deconv %x, %w {padding = array<i64: 1, 0>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x5xf32>
  return %y : tensor<1x1x3x5xf32>
}

// pre_padding alone: the end keeps `padding` (0 by default).
// CHECK-LABEL: func.func @pre_only
// CHECK: {post_padding = array<i64: 0, 0>, pre_padding = array<i64: 1, 0>}
func.func @pre_only(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x4x5xf32> {
  %y = deconv.deconv %x, %w {pre_padding = array<i64: 1, 0>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x5xf32>
  return %y : tensor<1x1x4x5xf32>
}

// pre_padding over padding at the start; padding still sets the end.
// CHECK-LABEL: func.func @pre_over_padding
// CHECK: {post_padding = array<i64: 1>, pre_padding = array<i64: 2>}
func.func @pre_over_padding(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x2xf32> {
  %y = deconv.deconv %x, %w {padding = array<i64: 1>, pre_padding = array<i64: 2>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x2xf32>
  return %y : tensor<1x1x2xf32>
}

// CHECK-LABEL: func.func @post_over_padding
// CHECK: {post_padding = array<i64: 0>, pre_padding = array<i64: 1>}
func.func @post_over_padding(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x4xf32> {
  %y = deconv.deconv %x, %w {padding = array<i64: 1>, post_padding = array<i64: 0>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x4xf32>
  return %y : tensor<1x1x4xf32>
}

// The explicit and caffe modes round nothing in a deconvolution: padding 1.
// CHECK-LABEL: func.func @explicit_round_down
// CHECK: {post_padding = array<i64: 1>, pre_padding = array<i64: 1>, stride = array<i64: 2>}
func.func @explicit_round_down(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding = array<i64: 1>, padding_mode = #deconv.padding_mode<explicit_round_down>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// CHECK-LABEL: func.func @explicit_round_up
// CHECK: {post_padding = array<i64: 1>, pre_padding = array<i64: 1>, stride = array<i64: 2>}
func.func @explicit_round_up(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding = array<i64: 1>, padding_mode = #deconv.padding_mode<explicit_round_up>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// CHECK-LABEL: func.func @caffe_round_down
// CHECK: {post_padding = array<i64: 1>, pre_padding = array<i64: 1>, stride = array<i64: 2>}
func.func @caffe_round_down(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding = array<i64: 1>, padding_mode = #deconv.padding_mode<caffe_round_down>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// CHECK-LABEL: func.func @caffe_round_up
// CHECK: {post_padding = array<i64: 1>, pre_padding = array<i64: 1>, stride = array<i64: 2>}
func.func @caffe_round_up(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding = array<i64: 1>, padding_mode = #deconv.padding_mode<caffe_round_up>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// The cookbook's SAME cases (stride 2): P = max(DK - S, 0) = 1. SAME_UPPER
// drops the last row, SAME_LOWER the first. `padding` is ignored.
// CHECK-LABEL: func.func @same_upper
// CHECK: {post_padding = array<i64: 1, 1>, pre_padding = array<i64: 0, 0>, stride = array<i64: 2, 2>}
func.func @same_upper(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 2, 2>, padding_mode = #deconv.padding_mode<same_upper>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}

// CHECK-LABEL: func.func @same_lower
// CHECK: {post_padding = array<i64: 0, 0>, pre_padding = array<i64: 1, 1>, stride = array<i64: 2, 2>}
func.func @same_lower(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, pre_padding = array<i64: 2, 2>, padding_mode = #deconv.padding_mode<same_lower>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}

// SAME with output padding and dilation: I=4, K=3, L=2, S=3, op=1. DK = 5,
// P = max(5+1-3, 0) = 3; same_lower: A = 1, B = 2; post = A - op = 0.
// CHECK-LABEL: func.func @same_output_padding_dilation
// CHECK: {dilation = array<i64: 2>, post_padding = array<i64: 0>, pre_padding = array<i64: 2>, stride = array<i64: 3>} : {{.*}} -> tensor<1x1x12xf32>
func.func @same_output_padding_dilation(%x: tensor<1x1x4xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x12xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 3>, dilation = array<i64: 2>, output_padding = array<i64: 1>, padding_mode = #deconv.padding_mode<same_lower>} : (tensor<1x1x4xf32>, tensor<1x1x3xf32>) -> tensor<1x1x12xf32>
  return %y : tensor<1x1x12xf32>
}

// SAME where the kernel is smaller than the stride: P = max(2 - 4, 0) = 0.
// CHECK-LABEL: func.func @same_no_crop
// CHECK: {post_padding = array<i64: 0>, pre_padding = array<i64: 0>, stride = array<i64: 4>} : {{.*}} -> tensor<1x1x10xf32>
func.func @same_no_crop(%x: tensor<1x1x3xf32>, %w: tensor<1x1x2xf32>) -> tensor<1x1x10xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 4>, padding_mode = #deconv.padding_mode<same_upper>} : (tensor<1x1x3xf32>, tensor<1x1x2xf32>) -> tensor<1x1x10xf32>
  return %y : tensor<1x1x10xf32>
}

// `valid` crops nothing, whatever `padding` says.
// CHECK-LABEL: func.func @valid
// CHECK: {post_padding = array<i64: 0>, pre_padding = array<i64: 0>}
func.func @valid(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %y = deconv.deconv %x, %w {padding = array<i64: 1>, padding_mode = #deconv.padding_mode<valid>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// output_shape over everything. S = 2 gives E = 7. Target 4 leaves T = 3:
// any mode but same_upper puts the larger half at the start (B=2, A=1).
// CHECK-LABEL: func.func @output_shape_smaller
// CHECK: {post_padding = array<i64: 1>, pre_padding = array<i64: 2>, stride = array<i64: 2>} : {{.*}} -> tensor<1x1x4xf32>
func.func @output_shape_smaller(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x4xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding = array<i64: 0>, padding_mode = #deconv.padding_mode<same_lower>, output_shape = array<i64: 4>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x4xf32>
  return %y : tensor<1x1x4xf32>
}

// same_upper puts the larger half at the end (B=1, A=2).
// CHECK-LABEL: func.func @output_shape_same_upper
// CHECK: {post_padding = array<i64: 2>, pre_padding = array<i64: 1>, stride = array<i64: 2>} : {{.*}} -> tensor<1x1x4xf32>
func.func @output_shape_same_upper(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x4xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding_mode = #deconv.padding_mode<same_upper>, output_shape = array<i64: 4>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x4xf32>
  return %y : tensor<1x1x4xf32>
}

// Target 9 > E = 7: T = -2, the output grows at the end (negative crop).
// CHECK-LABEL: func.func @output_shape_larger
// CHECK: {post_padding = array<i64: -2>, pre_padding = array<i64: 0>, stride = array<i64: 2>} : {{.*}} -> tensor<1x1x9xf32>
func.func @output_shape_larger(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x9xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding = array<i64: 1>, output_shape = array<i64: 9>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x9xf32>
  return %y : tensor<1x1x9xf32>
}

// output_shape counts output_padding: E = 8, target 8, T = 0, post = -1.
// CHECK-LABEL: func.func @output_shape_with_output_padding
// CHECK: {post_padding = array<i64: -1>, pre_padding = array<i64: 0>, stride = array<i64: 2>}
func.func @output_shape_with_output_padding(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x8xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, output_padding = array<i64: 1>, output_shape = array<i64: 8>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x8xf32>
  return %y : tensor<1x1x8xf32>
}

// output_padding alone: one zero row past the scatter, post = 0 - 1.
// CHECK-LABEL: func.func @output_padding
// CHECK: {post_padding = array<i64: -1>, pre_padding = array<i64: 0>, stride = array<i64: 2>} : {{.*}} -> tensor<1x1x8xf32>
func.func @output_padding(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x8xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, output_padding = array<i64: 1>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x8xf32>
  return %y : tensor<1x1x8xf32>
}

// PyTorch's usual upsampler, padding 1 and output_padding 1: B = 1, A = 1,
// post = 0, O = 7 - 1 = 6 = 2 * I.
// CHECK-LABEL: func.func @output_padding_with_padding
// CHECK: {post_padding = array<i64: 0>, pre_padding = array<i64: 1>, stride = array<i64: 2>} : {{.*}} -> tensor<1x1x6xf32>
func.func @output_padding_with_padding(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x6xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2>, padding = array<i64: 1>, output_padding = array<i64: 1>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x6xf32>
  return %y : tensor<1x1x6xf32>
}

// Negative padding extends on both sides.
// CHECK-LABEL: func.func @negative_padding
// CHECK: {post_padding = array<i64: -2>, pre_padding = array<i64: -2>}
func.func @negative_padding(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x9xf32> {
  %y = deconv.deconv %x, %w {padding = array<i64: -2>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x9xf32>
  return %y : tensor<1x1x9xf32>
}

// Redundant attributes go; groups, dilation, layouts and the bias stay.
// CHECK-LABEL: func.func @keeps_the_rest
// CHECK: deconv.deconv %arg0, %arg1, %arg2 {data_format = #deconv.data_format<channels_last>, dilation = array<i64: 2>, groups = 2 : i64, kernel_format = #deconv.kernel_format<cin_k_cout>, post_padding = array<i64: 1>, pre_padding = array<i64: 1>} : (tensor<1x5x4xf32>, tensor<4x3x3xf32>, tensor<6xf32>) -> tensor<1x7x6xf32>
// CHECK-NOT: num_output_maps
func.func @keeps_the_rest(%x: tensor<1x5x4xf32>, %w: tensor<4x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x7x6xf32> {
  %y = deconv.deconv %x, %w, %b {padding = array<i64: 1>, dilation = array<i64: 2>, groups = 2, num_output_maps = 6, kernel_size = array<i64: 3>,
                                 data_format = #deconv.data_format<channels_last>, kernel_format = #deconv.kernel_format<cin_k_cout>}
      : (tensor<1x5x4xf32>, tensor<4x3x3xf32>, tensor<6xf32>) -> tensor<1x7x6xf32>
  return %y : tensor<1x7x6xf32>
}

// Dynamic sizes: the crops do not depend on them.
// CHECK-LABEL: func.func @dynamic
// CHECK: {post_padding = array<i64: 1, 0>, pre_padding = array<i64: 0, 1>, stride = array<i64: 2, 2>} : (tensor<?x1x?x?xf32>, tensor<1x1x3x3xf32>) -> tensor<?x1x?x?xf32>
func.func @dynamic(%x: tensor<?x1x?x?xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<?x1x?x?xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, padding_mode = #deconv.padding_mode<same_upper>, output_padding = array<i64: 0, 1>}
      : (tensor<?x1x?x?xf32>, tensor<1x1x3x3xf32>) -> tensor<?x1x?x?xf32>
  return %y : tensor<?x1x?x?xf32>
}
