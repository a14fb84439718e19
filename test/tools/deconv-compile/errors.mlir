// What the CUDA target cannot plan is one line naming the op.
// RUN: split-file %s %t

// RUN: not deconv-compile %t/call.mlir --describe 2>&1 | FileCheck %s --check-prefix=CALL
// CALL: deconv-compile: {{.*}}call.mlir:{{[0-9]+}}:{{[0-9]+}}: 'func.call' op cannot be planned for the CUDA target
//--- call.mlir
func.func @helper(%x: tensor<1x1x3xf32>) -> tensor<1x1x3xf32> {
  return %x : tensor<1x1x3xf32>
}
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x3xf32> {
  %y = func.call @helper(%x) : (tensor<1x1x3xf32>) -> tensor<1x1x3xf32>
  return %y : tensor<1x1x3xf32>
}

// RUN: not deconv-compile %t/resource.mlir --describe 2>&1 | FileCheck %s --check-prefix=RESOURCE
// RESOURCE: deconv-compile: {{.*}}resource.mlir:{{[0-9]+}}:{{[0-9]+}}: 'arith.constant' op is a dense_resource without data
//--- resource.mlir
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense_resource<absent> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
