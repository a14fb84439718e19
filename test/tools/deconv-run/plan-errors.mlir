// A plan is checked whole when it loads: anything damaged is one line.
// RUN: deconv-compile %s -o %t.plan
// RUN: %python -c "import sys; d=open(sys.argv[1],'rb').read(); open(sys.argv[2],'wb').write(d[:len(d)//2])" %t.plan %t.truncated.plan
// RUN: not deconv-run %t.truncated.plan --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: deconv-run: '{{.*}}truncated.plan': truncated plan ({{[0-9]+}} of {{[0-9]+}} payload bytes)
// RUN: %python -c "import sys; d=bytearray(open(sys.argv[1],'rb').read()); d[-5]^=1; open(sys.argv[2],'wb').write(d)" %t.plan %t.corrupt.plan
// RUN: not deconv-run %t.corrupt.plan --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=CORRUPT
// CORRUPT: deconv-run: '{{.*}}corrupt.plan': corrupt plan: checksum mismatch
// RUN: not deconv-run %t.plan --target=cpu --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=CPU
// CPU: deconv-run: plans run on the CUDA target; give the .mlir file for --target=cpu
// An input dimension that is neither '?' nor a size (once an uncaught
// exception from std::stoll).
// RUN: %python %inputs/plan_tool.py set-dim %t.plan %t.letter.plan input 0 2 a
// RUN: not deconv-run %t.letter.plan --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=DIM-A
// DIM-A: deconv-run: '{{.*}}letter.plan': inconsistent plan: input 0 has dimension 'a' (neither '?' nor a size)
// RUN: %python %inputs/plan_tool.py set-dim %t.plan %t.huge.plan input 0 2 99999999999999999999
// RUN: not deconv-run %t.huge.plan --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=DIM-HUGE
// DIM-HUGE: deconv-run: '{{.*}}huge.plan': inconsistent plan: input 0 has dimension '99999999999999999999' (neither '?' nor a size)
// RUN: not deconv-run %t.plan 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: deconv-run: @main takes 1 inputs, got 0 --input
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
