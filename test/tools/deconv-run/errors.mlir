// Every bad invocation is one line naming the problem and a non-zero exit.

// RUN: not deconv-run %t.missing.mlir --input=1xf32=1 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: deconv-run: cannot open '{{.*}}missing.mlir': No such file or directory

// RUN: not deconv-run %s --function=absent --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=NOFUNC
// NOFUNC: deconv-run: no function @absent in

// RUN: not deconv-run %s 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: deconv-run: @main takes 1 inputs, got 0 --input

// RUN: not deconv-run %s --input=1x1x3xf32=1 --output=@%t.a.npy --output=@%t.b.npy 2>&1 | FileCheck %s --check-prefix=OUTCOUNT
// OUTCOUNT: deconv-run: @main has 1 results, got 2 --output

// RUN: %python %inputs/make_npy.py f16 %t.f16.npy
// RUN: not deconv-run %s --input=@%t.f16.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: deconv-run: input 0 is tensor<1x1x3x3xf16> but argument 0 of @main is tensor<1x1x3xf32>

// RUN: not deconv-run %s --input=1x1x4xf32=1 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: deconv-run: input 0 has shape 1x1x4 but the signature wants 1x1x3

// RUN: not deconv-run %s --input=1x3xf32=1 2>&1 | FileCheck %s --check-prefix=RANK
// RANK: deconv-run: input 0 has shape 1x3 but the signature wants 1x1x3

// RUN: not deconv-run %s --input=1x1x3xf32=1 --target=tpu 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: Cannot find option named 'tpu'

// RUN: not deconv-run %s --input="1x1x3xf32=1 2" 2>&1 | FileCheck %s --check-prefix=VALUES
// VALUES: deconv-run: input 0: inline input '1x1x3xf32=1 2' has 2 values for 3 elements

// RUN: not deconv-run %s --input="1x1x3xf32=1 two 3" 2>&1 | FileCheck %s --check-prefix=NUMBER
// NUMBER: deconv-run: input 0: inline input '1x1x3xf32=1 two 3': bad number at 'two 3'

// RUN: not deconv-run %s --input="1x1x3xf64=1" 2>&1 | FileCheck %s --check-prefix=ELEMENT
// ELEMENT: deconv-run: input 0: inline input '1x1x3xf64=1': unknown element type 'f64'

// RUN: not deconv-run %s --input="1x1x3xf32" 2>&1 | FileCheck %s --check-prefix=FORM
// FORM: deconv-run: input 0: inline input '1x1x3xf32' needs the form 2x3xf32=1 2 3 4 5 6

// RUN: not deconv-run %s --input=1x1x3xf32=1 --output=@%t.no-such-dir/y.npy 2>&1 | FileCheck %s --check-prefix=WRITE
// WRITE: deconv-run: cannot write '{{.*}}no-such-dir/y.npy': No such file or directory

// The inline form and printed results.
// RUN: deconv-run %s --target=cpu --input="1x1x3xf32=1, 2, 3" 2>&1 | FileCheck %s --check-prefix=OK
// RUN: deconv-run %s --function=main --input="1x1x3xf32=1 2 3" --benchmark=3 2>&1 | FileCheck %s --check-prefix=BENCH
// RUN: deconv-run %s --input=1x1x3xf32=1 --output=@%t.y.npy && %python %inputs/check_npy.py %t.y.npy %s --prefix=ONES
// OK: result 0: tensor<1x1x5xf32>
// OK-NEXT: {{\[}}{{\[}}[1 3 6 5 3]]]
// BENCH: compile: {{[0-9.]+}} ms (lowering and JIT)
// BENCH: benchmark: 3 runs, median {{[0-9.]+}} ms, {{[0-9.]+}} GFLOP/s (9 useful multiply-adds)
// ONES: 1 2 3 2 1
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x3xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}
