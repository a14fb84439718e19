func.func @main(%x: tensor<?x2x?xf32>, %w: tensor<2x2x3xf32>, %b: tensor<2xf32>) -> tensor<?x2x?xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<?x2x?xf32>, tensor<2x2x3xf32>, tensor<2xf32>) -> tensor<?x2x?xf32>
  return %y : tensor<?x2x?xf32>
}

// Channels-last data and a runtime OHWI weight with groups: layout
// transposes become kernels of their own around the deconvolution.
// RUN: deconv-compile %t/layouts.mlir --arch=sm_90 --describe | FileCheck %s --check-prefix=LAYOUT
// LAYOUT: kernel 0: deconv_kernel_0 (strategy: transpose), {{.*}}DECONV_IN_DIM0 = IN0_D0
// LAYOUT: kernel 1: deconv_kernel_1 (strategy: transpose), {{.*}}CUBIN sm_90
// LAYOUT: kernel 2: deconv_kernel_2 (strategy: thin_channel, 3 channels x 8 outputs per thread), {{.*}}DECONV_INPUT_DIM0 = IN0_D0
// LAYOUT: kernel 3: deconv_kernel_3 (strategy: transpose), {{.*}}DECONV_IN_DIM0 = IN0_D0
// LAYOUT: step 0: kernel 0 on buffers 0 3
// LAYOUT: step 1: kernel 1 on buffers 1 4
// LAYOUT: step 2: kernel 2 on buffers 3 4 2 5
// LAYOUT: step 3: kernel 3 on buffers 5 6
// LAYOUT: output 0: buffer 6 as (IN0_D0)x6x6x6xf32
