// A dense_resource blob shorter than its type is one line on every path
// (deconv-compile once wrote a plan the runtime then refused): two floats
// for three.
// RUN: not deconv-run %s --target=cpu --input="1x1x3xf32=1 2 3" 2>&1 | FileCheck %s
// RUN: not deconv-run %s --target=cuda-emulator --input="1x1x3xf32=1 2 3" 2>&1 | FileCheck %s
// RUN: rm -f %t.plan
// RUN: not deconv-compile %s -o %t.plan 2>&1 | FileCheck %s
// RUN: %python -c "import os, sys; sys.exit(os.path.exists(sys.argv[1]))" %t.plan
// CHECK: 'arith.constant' op is a dense_resource of 8 bytes for 3 'f32' elements (12 bytes)
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense_resource<weights> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F0000003F"
    }
  }
#-}
