func.func @main(%x: tensor<?x3x3x4xf32>, %w: tensor<6x3x2x2xf32>, %b: tensor<6xf32>) -> tensor<?x6x6x6xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, groups = 2, padding_mode = #deconv.padding_mode<same_upper>, data_format = #deconv.data_format<channels_last>, kernel_format = #deconv.kernel_format<cout_k_cin>}
      : (tensor<?x3x3x4xf32>, tensor<6x3x2x2xf32>, tensor<6xf32>) -> tensor<?x6x6x6xf32>
  return %y : tensor<?x6x6x6xf32>
}

// Two ops reading one channels-last tensor share its transpose (steps 1 and
// 3 read buffer 3); a constant in another layout is rearranged in the plan
// (buffer 8), not by a kernel on every run.
// RUN: deconv-compile %t/shared.mlir --describe | FileCheck %s --check-prefix=SHARED
// SHARED: buffer 8: constant, 1x2x3xf32 (24 bytes)
// SHARED: kernel 0: deconv_kernel_0 (strategy: transpose)
// SHARED: kernel 6: deconv_kernel_6 (strategy: transpose)
// SHARED-NOT: kernel 7
// SHARED: step 0: kernel 0 on buffers 0 3
// SHARED-NEXT: step 1: kernel 1 on buffers 3 1 4
// SHARED: step 3: kernel 3 on buffers 3 1 6
// SHARED: step 5: kernel 5 on buffers 9 1 10
