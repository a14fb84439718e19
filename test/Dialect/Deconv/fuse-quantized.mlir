// RUN: deconv-opt %s --deconv-fuse-quantized --split-input-file | FileCheck %s

// dequantize -> deconv -> quantize becomes one integer deconvolution over the
// quantized operands; the scales and zero points land in its `quantization`
// attribute, weight and output ones in output-channel order (c = g*Cout/G + j).

// Per tensor everywhere, with a bias; the deconvolution's own attributes stay.
// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x3xui8>, %[[W:.*]]: tensor<2x3x2x2xi8>, %[[B:.*]]: tensor<3xf32>)
// CHECK-NEXT: %[[Y:.*]] = deconv.deconv %[[X]], %[[W]], %[[B]] {padding = array<i64: 1, 1>, quantization = #deconv.quantization<input_scale = [5.000000e-01], input_zero_point = [128], weight_scale = [2.500000e-01], weight_zero_point = [-2], output_scale = [2.000000e+00], output_zero_point = [-3]>, stride = array<i64: 2, 2>} : (tensor<1x2x3x3xui8>, tensor<2x3x2x2xi8>, tensor<3xf32>) -> tensor<1x3x4x4xi8>
// CHECK-NEXT: return %[[Y]]
func.func @per_tensor(%xq: tensor<1x2x3x3xui8>, %wq: tensor<2x3x2x2xi8>, %b: tensor<3xf32>) -> tensor<1x3x4x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 128>} : tensor<1x2x3x3xui8> -> tensor<1x2x3x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25>, zero_point = array<i64: -2>} : tensor<2x3x2x2xi8> -> tensor<2x3x2x2xf32>
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x3x2x2xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 2.0>, zero_point = array<i64: -3>} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4xi8>
  return %q : tensor<1x3x4x4xi8>
}

// -----

// cin_cout_k with 2 groups: the weight's axis 1 holds j of Cout/G = 2, so
// the two scales repeat for each group: c = 0, 1, 2, 3 take j = 0, 1, 0, 1.
// The output is per channel along axis 1.
// CHECK-LABEL: func.func @groups_per_channel
// CHECK: weight_scale = [2.500000e-01, 1.250000e-01, 2.500000e-01, 1.250000e-01], weight_zero_point = [1, -1, 1, -1], output_scale = [1.000000e+00, 2.000000e+00, 4.000000e+00, 8.000000e+00], output_zero_point = [0, 1, 2, 3]
// CHECK-NOT: deconv.quantize
func.func @groups_per_channel(%xq: tensor<1x4x3xi8>, %wq: tensor<4x2x3xi8>) -> tensor<1x4x5xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x4x3xi8> -> tensor<1x4x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25, 0.125>, zero_point = array<i64: 1, -1>, axis = 1 : i64} : tensor<4x2x3xi8> -> tensor<4x2x3xf32>
  %y = deconv.deconv %x, %w {groups = 2 : i64} : (tensor<1x4x3xf32>, tensor<4x2x3xf32>) -> tensor<1x4x5xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0, 2.0, 4.0, 8.0>, zero_point = array<i64: 0, 1, 2, 3>, axis = 1 : i64} : tensor<1x4x5xf32> -> tensor<1x4x5xi8>
  return %q : tensor<1x4x5xi8>
}

// -----

// cout_k_cin (Cout, K, Cin/G): axis 0 is the output channel itself.
// CHECK-LABEL: func.func @cout_k_cin
// CHECK: weight_scale = [1.000000e+00, 5.000000e-01, 2.500000e-01, 1.250000e-01], weight_zero_point = [0, 0, 0, 0]
func.func @cout_k_cin(%xq: tensor<1x4x3xi8>, %wq: tensor<4x3x2xi8>) -> tensor<1x4x5xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x4x3xi8> -> tensor<1x4x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 1.0, 0.5, 0.25, 0.125>, zero_point = array<i64: 0, 0, 0, 0>, axis = 0 : i64} : tensor<4x3x2xi8> -> tensor<4x3x2xf32>
  %y = deconv.deconv %x, %w {groups = 2 : i64, kernel_format = #deconv.kernel_format<cout_k_cin>} : (tensor<1x4x3xf32>, tensor<4x3x2xf32>) -> tensor<1x4x5xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x4x5xf32> -> tensor<1x4x5xi8>
  return %q : tensor<1x4x5xi8>
}

// -----

// cin_k_cout (Cin, K, Cout/G) and channels-last data: the weight's last axis
// holds j, the output's last axis the channels.
// CHECK-LABEL: func.func @channels_last
// CHECK: weight_scale = [2.500000e-01, 1.250000e-01, 2.500000e-01, 1.250000e-01], weight_zero_point = [0, 0, 0, 0], output_scale = [1.000000e+00, 1.000000e+00, 5.000000e-01, 5.000000e-01], output_zero_point = [10, 10, 20, 20]
// CHECK-SAME: -> tensor<1x5x4xui8>
func.func @channels_last(%xq: tensor<1x3x4xi8>, %wq: tensor<4x3x2xi8>) -> tensor<1x5x4xui8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x3x4xi8> -> tensor<1x3x4xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25, 0.125>, zero_point = array<i64: 0, 0>, axis = 2 : i64} : tensor<4x3x2xi8> -> tensor<4x3x2xf32>
  %y = deconv.deconv %x, %w {groups = 2 : i64, data_format = #deconv.data_format<channels_last>, kernel_format = #deconv.kernel_format<cin_k_cout>} : (tensor<1x3x4xf32>, tensor<4x3x2xf32>) -> tensor<1x5x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0, 1.0, 0.5, 0.5>, zero_point = array<i64: 10, 10, 20, 20>, axis = 2 : i64} : tensor<1x5x4xf32> -> tensor<1x5x4xui8>
  return %q : tensor<1x5x4xui8>
}

// -----

// A dequantized input with another use keeps its dequantize; the fused op
// reads the integers.
// CHECK-LABEL: func.func @shared_input
// CHECK: %[[X:.*]] = deconv.dequantize %arg0
// CHECK: deconv.deconv %arg0, %arg1 {quantization
// CHECK: return {{.*}}, %[[X]]
func.func @shared_input(%xq: tensor<1x1x3xi8>, %wq: tensor<1x1x2xi8>) -> (tensor<1x1x4xi8>, tensor<1x1x3xf32>) {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x3xi8> -> tensor<1x1x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x2xi8> -> tensor<1x1x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x1x4xf32> -> tensor<1x1x4xi8>
  return %q, %x : tensor<1x1x4xi8>, tensor<1x1x3xf32>
}

// -----

// Left as written: an input quantized per channel (its scale cannot leave
// the sum over input channels)...
// CHECK-LABEL: func.func @input_per_channel
// CHECK: deconv.deconv %{{.*}} : (tensor<1x2x3xf32>
// CHECK-NOT: quantization =
func.func @input_per_channel(%xq: tensor<1x2x3xi8>, %wq: tensor<2x1x2xi8>) -> tensor<1x1x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5, 0.25>, zero_point = array<i64: 0, 0>, axis = 1 : i64} : tensor<1x2x3xi8> -> tensor<1x2x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<2x1x2xi8> -> tensor<2x1x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x2x3xf32>, tensor<2x1x2xf32>) -> tensor<1x1x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x1x4xf32> -> tensor<1x1x4xi8>
  return %q : tensor<1x1x4xi8>
}

// -----

// ...a weight quantized per input channel (axis 0 of cin_cout_k)...
// CHECK-LABEL: func.func @weight_per_input_channel
// CHECK: deconv.deconv %{{.*}} : (tensor<1x2x3xf32>
// CHECK-NOT: quantization =
func.func @weight_per_input_channel(%xq: tensor<1x2x3xi8>, %wq: tensor<2x1x2xi8>) -> tensor<1x1x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x2x3xi8> -> tensor<1x2x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.5, 0.25>, zero_point = array<i64: 0, 0>, axis = 0 : i64} : tensor<2x1x2xi8> -> tensor<2x1x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x2x3xf32>, tensor<2x1x2xf32>) -> tensor<1x1x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x1x4xf32> -> tensor<1x1x4xi8>
  return %q : tensor<1x1x4xi8>
}

// -----

// ...unless each group has one input channel (depthwise): output channel c
// sums over input channel g = c / (Cout/G) alone, so that channel's scale
// and zero point are c's. Here G = 2, Cout/G = 2.
// CHECK-LABEL: func.func @depthwise_weight_per_input_channel
// CHECK: weight_scale = [5.000000e-01, 5.000000e-01, 2.500000e-01, 2.500000e-01], weight_zero_point = [1, 1, -2, -2]
// CHECK-NOT: deconv.quantize
func.func @depthwise_weight_per_input_channel(%xq: tensor<1x2x3xi8>, %wq: tensor<2x2x2xi8>) -> tensor<1x4x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x2x3xi8> -> tensor<1x2x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.5, 0.25>, zero_point = array<i64: 1, -2>, axis = 0 : i64} : tensor<2x2x2xi8> -> tensor<2x2x2xf32>
  %y = deconv.deconv %x, %w {groups = 2 : i64} : (tensor<1x2x3xf32>, tensor<2x2x2xf32>) -> tensor<1x4x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x4x4xf32> -> tensor<1x4x4xi8>
  return %q : tensor<1x4x4xi8>
}

// -----

// The same in cout_k_cin, whose last axis (Cin/G) has one index: its one
// entry is the whole tensor's.
// CHECK-LABEL: func.func @depthwise_cout_k_cin_per_input_channel
// CHECK: weight_scale = [2.500000e-01], weight_zero_point = [3]
// CHECK-NOT: deconv.quantize
func.func @depthwise_cout_k_cin_per_input_channel(%xq: tensor<1x2x3xi8>, %wq: tensor<4x2x1xi8>) -> tensor<1x4x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x2x3xi8> -> tensor<1x2x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25>, zero_point = array<i64: 3>, axis = 2 : i64} : tensor<4x2x1xi8> -> tensor<4x2x1xf32>
  %y = deconv.deconv %x, %w {groups = 2 : i64, kernel_format = #deconv.kernel_format<cout_k_cin>} : (tensor<1x2x3xf32>, tensor<4x2x1xf32>) -> tensor<1x4x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x4x4xf32> -> tensor<1x4x4xi8>
  return %q : tensor<1x4x4xi8>
}

// -----

// ...an output quantized along a spatial axis...
// CHECK-LABEL: func.func @output_per_position
// CHECK: deconv.deconv %{{.*}} : (tensor<1x1x3xf32>
// CHECK-NOT: quantization =
func.func @output_per_position(%xq: tensor<1x1x3xi8>, %wq: tensor<1x1x2xi8>) -> tensor<1x1x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x3xi8> -> tensor<1x1x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x2xi8> -> tensor<1x1x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0, 2.0, 1.0, 2.0>, zero_point = array<i64: 0, 0, 0, 0>, axis = 2 : i64} : tensor<1x1x4xf32> -> tensor<1x1x4xi8>
  return %q : tensor<1x1x4xi8>
}

// -----

// ...an f16 graph (it rounds between the ops, the integer form would not)...
// CHECK-LABEL: func.func @half
// CHECK: deconv.deconv %{{.*}} : (tensor<1x1x3xf16>
// CHECK-NOT: quantization =
func.func @half(%xq: tensor<1x1x3xi8>, %wq: tensor<1x1x2xi8>) -> tensor<1x1x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x3xi8> -> tensor<1x1x3xf16>
  %w = deconv.dequantize %wq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x2xi8> -> tensor<1x1x2xf16>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf16>, tensor<1x1x2xf16>) -> tensor<1x1x4xf16>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x1x4xf16> -> tensor<1x1x4xi8>
  return %q : tensor<1x1x4xi8>
}

// -----

// ...a float result that is also used as it is...
// CHECK-LABEL: func.func @float_result_used
// CHECK: %[[Y:.*]] = deconv.deconv %{{.*}} : (tensor<1x1x3xf32>
// CHECK-NOT: quantization =
// CHECK: return %{{.*}}, %[[Y]]
func.func @float_result_used(%xq: tensor<1x1x3xi8>, %wq: tensor<1x1x2xi8>) -> (tensor<1x1x4xi8>, tensor<1x1x4xf32>) {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x3xi8> -> tensor<1x1x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1x2xi8> -> tensor<1x1x2xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x1x4xf32> -> tensor<1x1x4xi8>
  return %q, %y : tensor<1x1x4xi8>, tensor<1x1x4xf32>
}

// -----

// ...and a layer whose i32 sum could overflow: 1100 input channels x 64 taps
// of products up to 255 * 128 (ui8 input with zero point 0, i8 weight) make
// 70400 > 2^31 / 32640 = 65793.
// CHECK-LABEL: func.func @overflow
// CHECK: deconv.deconv %{{.*}} : (tensor<1x1100x1xf32>
// CHECK-NOT: quantization =
func.func @overflow(%xq: tensor<1x1100x1xui8>) -> tensor<1x1x64xi8> {
  %wq = arith.constant dense<1> : tensor<1100x1x64xi8>
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1100x1xui8> -> tensor<1x1100x1xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1100x1x64xi8> -> tensor<1100x1x64xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1100x1xf32>, tensor<1100x1x64xf32>) -> tensor<1x1x64xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x1x64xf32> -> tensor<1x1x64xi8>
  return %q : tensor<1x1x64xi8>
}

// -----

// 1000 input channels x 64 taps = 64000 products fit: fused.
// CHECK-LABEL: func.func @just_fits
// CHECK: deconv.deconv %arg0, %{{.*}} {quantization
func.func @just_fits(%xq: tensor<1x1000x1xui8>) -> tensor<1x1x64xi8> {
  %wq = arith.constant dense<1> : tensor<1000x1x64xi8>
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1x1000x1xui8> -> tensor<1x1000x1xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.5>, zero_point = array<i64: 0>} : tensor<1000x1x64xi8> -> tensor<1000x1x64xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1000x1xf32>, tensor<1000x1x64xf32>) -> tensor<1x1x64xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 0>} : tensor<1x1x64xf32> -> tensor<1x1x64xi8>
  return %q : tensor<1x1x64xi8>
}

// -----

// The fused op keeps the float deconvolution's shapes; where the
// quantization ops wrote other ones (a `?` the deconvolution knows, or the
// reverse), casts bridge them.
// CHECK-LABEL: func.func @refined_shapes
// CHECK: %[[X:.*]] = tensor.cast %arg0 : tensor<?x2x3xui8> to tensor<1x2x3xui8>
// CHECK: deconv.deconv %[[X]], %arg1 {{.*}}quantization{{.*}} : (tensor<1x2x3xui8>, tensor<2x2x2xi8>) -> tensor<1x4x4xi8>
// CHECK-LABEL: func.func @forgotten_shapes
// CHECK: %[[Y:.*]] = deconv.deconv %arg0, %arg1 {{.*}}quantization{{.*}} -> tensor<?x4x4xi8>
// CHECK: tensor.cast %[[Y]] : tensor<?x4x4xi8> to tensor<1x4x4xi8>
func.func @refined_shapes(%xq: tensor<?x2x3xui8>, %wq: tensor<2x2x2xi8>) -> tensor<1x4x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 128>} : tensor<?x2x3xui8> -> tensor<1x2x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25>, zero_point = array<i64: 1>} : tensor<2x2x2xi8> -> tensor<2x2x2xf32>
  %y = deconv.deconv %x, %w {groups = 2 : i64} : (tensor<1x2x3xf32>, tensor<2x2x2xf32>) -> tensor<1x4x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 5>} : tensor<1x4x4xf32> -> tensor<1x4x4xi8>
  return %q : tensor<1x4x4xi8>
}
func.func @forgotten_shapes(%xq: tensor<?x2x3xui8>, %wq: tensor<2x2x2xi8>) -> tensor<1x4x4xi8> {
  %x = deconv.dequantize %xq {scale = array<f32: 0.5>, zero_point = array<i64: 128>} : tensor<?x2x3xui8> -> tensor<?x2x3xf32>
  %w = deconv.dequantize %wq {scale = array<f32: 0.25>, zero_point = array<i64: 1>} : tensor<2x2x2xi8> -> tensor<2x2x2xf32>
  %y = deconv.deconv %x, %w {groups = 2 : i64} : (tensor<?x2x3xf32>, tensor<2x2x2xf32>) -> tensor<?x4x4xf32>
  %q = deconv.quantize %y {scale = array<f32: 1.0>, zero_point = array<i64: 5>} : tensor<?x4x4xf32> -> tensor<1x4x4xi8>
  return %q : tensor<1x4x4xi8>
}
