// One weight read by two ops with different groups: each op reshapes it
// differently (4x1x1x2 as 2 groups of 2, then as 4 groups of 1) before the
// same transpose, so the plan must not share one transposed copy.
// REQUIRES: cuda-emulator
// RUN: deconv-run %s --target=cuda-emulator --input="1x4x1x1xf32=1 2 3 4" --input="1x8x1x1xf32=1 2 3 4 5 6 7 8" --input="4x1x1x2xf32=1 2 3 4 5 6 7 8" | FileCheck %s
// RUN: deconv-run %s --target=cpu --input="1x4x1x1xf32=1 2 3 4" --input="1x8x1x1xf32=1 2 3 4 5 6 7 8" --input="4x1x1x2xf32=1 2 3 4 5 6 7 8" | FileCheck %s
// Weight row co is [2co+1, 2co+2] over the group's input channels.
// Two groups: y[co] = x[2g] w[co][0] + x[2g+1] w[co][1], g = co / 2:
// 1*1+2*2, 1*3+2*4, 3*5+4*6, 3*7+4*8.
// CHECK: result 0: tensor<1x4x1x1xf32>
// CHECK-NEXT: {{\[\[\[\[}}5]]
// CHECK-NEXT: {{\[\[}}11]]
// CHECK-NEXT: {{\[\[}}39]]
// CHECK-NEXT: {{\[\[}}53]]]]
// Four groups: y[co] = x[2co] w[co][0] + x[2co+1] w[co][1]:
// 1*1+2*2, 3*3+4*4, 5*5+6*6, 7*7+8*8.
// CHECK: result 1: tensor<1x4x1x1xf32>
// CHECK-NEXT: {{\[\[\[\[}}5]]
// CHECK-NEXT: {{\[\[}}25]]
// CHECK-NEXT: {{\[\[}}61]]
// CHECK-NEXT: {{\[\[}}113]]]]
func.func @main(%x1: tensor<1x4x1x1xf32>, %x2: tensor<1x8x1x1xf32>, %w: tensor<4x1x1x2xf32>) -> (tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) {
  %y1 = deconv.deconv %x1, %w {groups = 2, kernel_format = #deconv.kernel_format<cout_k_cin>}
      : (tensor<1x4x1x1xf32>, tensor<4x1x1x2xf32>) -> tensor<1x4x1x1xf32>
  %y2 = deconv.deconv %x2, %w {groups = 4, kernel_format = #deconv.kernel_format<cout_k_cin>}
      : (tensor<1x8x1x1xf32>, tensor<4x1x1x2xf32>) -> tensor<1x4x1x1xf32>
  return %y1, %y2 : tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>
}
