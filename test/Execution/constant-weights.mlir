// Constant weights in every element type and form of constant reach both CPU
// micro-kernel forms: the phase form packs them at compile time, the column
// form reads them in place. x = 1 2 3 under w = 1 0.5 0.25 (exact in f16 and
// bf16), stride 1, no padding: 1, 2.5, 4.25, 2, 0.75.
// RUN: deconv-run %s --target=cpu --function=f32 --cpu-kernel=phases --input="1x1x3xf32=1 2 3" | FileCheck %s
// RUN: deconv-run %s --target=cpu --function=f32 --cpu-kernel=columns --input="1x1x3xf32=1 2 3" | FileCheck %s
// RUN: deconv-run %s --target=cpu --function=f16 --cpu-kernel=phases --input="1x1x3xf16=1 2 3" | FileCheck %s
// RUN: deconv-run %s --target=cpu --function=f16 --cpu-kernel=columns --input="1x1x3xf16=1 2 3" | FileCheck %s
// RUN: deconv-run %s --target=cpu --function=bf16 --cpu-kernel=phases --input="1x1x3xbf16=1 2 3" | FileCheck %s
// RUN: deconv-run %s --target=cpu --function=bf16 --cpu-kernel=columns --input="1x1x3xbf16=1 2 3" | FileCheck %s
// RUN: deconv-run %s --target=cpu --function=resource --cpu-kernel=phases --input="1x1x3xf32=1 2 3" | FileCheck %s
// RUN: deconv-run %s --target=cpu --function=resource --cpu-kernel=columns --input="1x1x3xf32=1 2 3" | FileCheck %s
// RUN: deconv-run %s --target=cpu --function=splat --input="1x1x3xf32=1 2 3" | FileCheck %s --check-prefix=SPLAT
// CHECK: {{\[\[\[}}1 2.5 4.25 2 0.75]]]
// A splat of 2: 2, 6, 12, 10, 6.
// SPLAT: {{\[\[\[}}2 6 12 10 6]]]
func.func @f32(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense<[[[1.0, 0.5, 0.25]]]> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
func.func @f16(%x: tensor<1x1x3xf16>) -> tensor<1x1x5xf16> {
  %w = arith.constant dense<[[[1.0, 0.5, 0.25]]]> : tensor<1x1x3xf16>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf16>, tensor<1x1x3xf16>) -> tensor<1x1x5xf16>
  return %y : tensor<1x1x5xf16>
}
func.func @bf16(%x: tensor<1x1x3xbf16>) -> tensor<1x1x5xbf16> {
  %w = arith.constant dense<[[[1.0, 0.5, 0.25]]]> : tensor<1x1x3xbf16>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xbf16>, tensor<1x1x3xbf16>) -> tensor<1x1x5xbf16>
  return %y : tensor<1x1x5xbf16>
}
func.func @resource(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense_resource<weights> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
func.func @splat(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense<2.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F0000003F0000803E"
    }
  }
#-}
