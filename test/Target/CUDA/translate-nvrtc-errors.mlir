// An architecture NVRTC does not know fails the compile with NVRTC's own
// reason, and the module is not printed after it.
// REQUIRES: nvrtc
// RUN: not deconv-translate --emit-cuda %s --cuda-arch=sm_99x 2>&1 >/dev/null | FileCheck %s
// CHECK: error: NVRTC failed to compile deconv_kernel_0.cu for sm_99x: NVRTC_ERROR_INVALID_OPTION
// CHECK-NEXT: nvrtc: error: invalid value for --gpu-architecture (-arch)
// CHECK-NOT: see current operation
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
