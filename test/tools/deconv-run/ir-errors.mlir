// IR that does not parse or verify, and sizes that fail at run time.
// RUN: split-file %s %t

// RUN: not deconv-run %t/parse.mlir --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=PARSE
// PARSE: deconv-run: {{.*}}parse.mlir:2:{{[0-9]+}}: expected ':'
//--- parse.mlir
func.func @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %y = deconv.deconv %x, %x
  return %y : tensor<1x1x5xf32>
}

// RUN: not deconv-run %t/verify.mlir --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=VERIFY
// VERIFY: deconv-run: {{.*}}verify.mlir:2:{{[0-9]+}}: 'deconv.deconv' op 'stride' must be >= 1, got 0 on spatial axis 0
//--- verify.mlir
func.func @main(%x: tensor<1x1x3xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 0>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

// A dynamic size that empties the output is caught before running.
// RUN: not deconv-run %t/dynamic.mlir --input=1x1x1xf32=1 --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: deconv-run: 'deconv.deconv' op output size on spatial axis 0 would be -1 (below 1): input 1, kernel 3, stride 1, dilation 1, output_padding 0, crops 2 at the start and 2 at the end
// RUN: deconv-run %t/dynamic.mlir --input=1x1x4xf32=1 --input=1x1x3xf32=1 2>/dev/null | FileCheck %s --check-prefix=DYN
// DYN: result 0: tensor<1x1x2xf32>
// DYN-NEXT: {{\[}}{{\[}}[3 3]]]
//--- dynamic.mlir
func.func @main(%x: tensor<1x1x?xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x?xf32> {
  %y = deconv.deconv %x, %w {padding = array<i64: 2>} : (tensor<1x1x?xf32>, tensor<1x1x3xf32>) -> tensor<1x1x?xf32>
  return %y : tensor<1x1x?xf32>
}

// Several functions and no @main: name one.
// RUN: not deconv-run %t/two.mlir --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=TWO
// TWO: deconv-run: '{{.*}}two.mlir' has 2 functions and no @main; name one with --function
// RUN: deconv-run %t/two.mlir --function=b --input=1x1x3xf32=2 2>/dev/null | FileCheck %s --check-prefix=PICK
// PICK: {{\[}}{{\[}}[2 2 2]]]
//--- two.mlir
func.func @a(%x: tensor<1x1x3xf32>) -> tensor<1x1x3xf32> {
  return %x : tensor<1x1x3xf32>
}
func.func @b(%x: tensor<1x1x3xf32>) -> tensor<1x1x3xf32> {
  return %x : tensor<1x1x3xf32>
}

// A signature the CPU target cannot take is an error, not a crash.
// RUN: not deconv-run %t/scalar.mlir --input=1xf32=1 2>&1 | FileCheck %s --check-prefix=SCALAR
// SCALAR: deconv-run: input 0 is tensor<1xf32> but argument 0 of @main is f32
//--- scalar.mlir
func.func @main(%x: f32) -> f32 {
  return %x : f32
}

// Sizes known only at run time whose product passes int64: one line, no
// crash in the generated code.
// RUN: not deconv-run %t/elements.mlir --target=cpu --input="1x1x2x2xf32=1" 2>&1 | FileCheck %s --check-prefix=ELEMENTS
// ELEMENTS: deconv-run: 'deconv.deconv' op result 1x1x2147483649x2147483649 has more elements than int64 byte offsets reach
//--- elements.mlir
func.func @main(%x: tensor<1x1x?x?xf32>) -> tensor<1x1x?x?xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
  %y = deconv.deconv %x, %w {stride = array<i64: 2147483647, 2147483647>} : (tensor<1x1x?x?xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x?x?xf32>
  return %y : tensor<1x1x?x?xf32>
}
