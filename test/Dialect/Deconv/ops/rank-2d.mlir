// RUN: deconv-opt %s | deconv-opt | FileCheck %s
// RUN: deconv-opt %s --mlir-print-op-generic | deconv-opt | FileCheck %s

// The example of the IR contract: the cookbook's stride-2 case.
// CHECK-LABEL: func.func @main
// CHECK: deconv.deconv %arg0, %arg1, %arg2 {stride = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x7xf32>
func.func @main(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>)
    -> tensor<1x1x7x7xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}
