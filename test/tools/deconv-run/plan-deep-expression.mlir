// A plan (valid checksum) whose output size expression nests 50,000 brackets
// deep is one short line, not a stack overflow.
// RUN: deconv-compile %s -o %t.plan
// RUN: %python -c "print('(' * 50000 + 'IN0_D2 + 2' + ')' * 50000, end='')" > %t.deep
// RUN: %python %inputs/plan_tool.py set-dim %t.plan %t.deep.plan output 0 2 @%t.deep
// RUN: not deconv-run %t.deep.plan --target=cuda-emulator --input=1x1x3xf32=1 2>&1 | FileCheck %s
// CHECK: deconv-run: size expression '{{\(+}}...': nests deeper than 200 at offset 200
func.func @main(%x: tensor<1x1x?xf32>) -> tensor<1x1x?xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x?xf32>, tensor<1x1x3xf32>) -> tensor<1x1x?xf32>
  return %y : tensor<1x1x?xf32>
}
