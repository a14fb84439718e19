// RUN: deconv-opt %s | deconv-opt | FileCheck %s
// RUN: deconv-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// The bias is optional; without it the type list has two operands.
// CHECK-LABEL: func.func @no_bias
// CHECK: deconv.deconv %arg0, %arg1 : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
// GENERIC: "deconv.deconv"(%arg0, %arg1) : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
func.func @no_bias(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  %y = deconv.deconv %x, %w : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}
