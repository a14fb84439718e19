// RUN: deconv-opt %s -verify-diagnostics | FileCheck %s

// MXNet Deconvolution (seed 002): "If target_shape is set, pad will be
// ignored", and adj is recomputed. Hand-derived: I=4, K=4, S=2 gives E = 10;
// target 8 -> T = 2, pad = ceil(T/2) = 1 on each side, whatever `padding` says.
// CHECK-LABEL: func.func @target_shape
// CHECK-SAME: -> tensor<1x8x8x8xf32>
func.func @target_shape(%x: tensor<1x16x4x4xf32>, %w: tensor<16x8x4x4xf32>) -> tensor<1x8x8x8xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 3, 3>, output_shape = array<i64: 8, 8>, num_output_maps = 8}
      : (tensor<1x16x4x4xf32>, tensor<16x8x4x4xf32>) -> tensor<1x8x8x8xf32>
  return %y : tensor<1x8x8x8xf32>
}
