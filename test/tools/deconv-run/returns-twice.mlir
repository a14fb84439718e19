// A function that returns one value twice gets two equal results (the
// buffer is handed over once and copied once, never freed twice).
// RUN: deconv-run %s --target=cpu --input="1x1x3xf32=1 2 3" --input="1x1x2xf32=1 10" | FileCheck %s
// Hand-derived: y[o] = x[o] + 10 x[o-1], o = 0..3.
// CHECK: result 0: tensor<1x1x4xf32>
// CHECK-NEXT: {{\[\[\[}}1 12 23 30]]]
// CHECK: result 1: tensor<1x1x4xf32>
// CHECK-NEXT: {{\[\[\[}}1 12 23 30]]]
func.func @main(%x: tensor<1x1x3xf32>, %w: tensor<1x1x2xf32>) -> (tensor<1x1x4xf32>, tensor<1x1x4xf32>) {
  %y = deconv.deconv %x, %w {stride = array<i64: 1>} : (tensor<1x1x3xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
  return %y, %y : tensor<1x1x4xf32>, tensor<1x1x4xf32>
}
