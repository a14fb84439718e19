// RUN: deconv-opt %s | deconv-opt | FileCheck %s

// CHECK-LABEL: func.func @f16
// CHECK: deconv.deconv %arg0, %arg1, %arg2 : (tensor<1x2x3xf16>, tensor<2x2x2xf16>, tensor<2xf16>) -> tensor<1x2x4xf16>
func.func @f16(%x: tensor<1x2x3xf16>, %w: tensor<2x2x2xf16>, %b: tensor<2xf16>) -> tensor<1x2x4xf16> {
  %y = deconv.deconv %x, %w, %b : (tensor<1x2x3xf16>, tensor<2x2x2xf16>, tensor<2xf16>) -> tensor<1x2x4xf16>
  return %y : tensor<1x2x4xf16>
}

// CHECK-LABEL: func.func @bf16
// CHECK: deconv.deconv %arg0, %arg1 : (tensor<1x2x3xbf16>, tensor<2x2x2xbf16>) -> tensor<1x2x4xbf16>
func.func @bf16(%x: tensor<1x2x3xbf16>, %w: tensor<2x2x2xbf16>) -> tensor<1x2x4xbf16> {
  %y = deconv.deconv %x, %w : (tensor<1x2x3xbf16>, tensor<2x2x2xbf16>) -> tensor<1x2x4xbf16>
  return %y : tensor<1x2x4xbf16>
}
