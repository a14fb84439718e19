// Every malformed .npy is one line naming the problem and a non-zero exit.
// RUN: %python %inputs/make_npy.py bad-magic %t.bad-magic.npy
// RUN: not deconv-run %s --input=@%t.bad-magic.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: deconv-run: input 0: '{{.*}}.npy': malformed .npy: missing the \x93NUMPY magic string
// RUN: %python %inputs/make_npy.py bad-version %t.bad-version.npy
// RUN: not deconv-run %s --input=@%t.bad-version.npy 2>&1 | FileCheck %s --check-prefix=VERSION
// VERSION: malformed .npy: unsupported format version 7.0
// RUN: %python %inputs/make_npy.py truncated %t.truncated.npy
// RUN: not deconv-run %s --input=@%t.truncated.npy 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: malformed .npy: data holds 20 bytes but shape (1x1x3x3) of f32 needs 36 (truncated file)
// RUN: %python %inputs/make_npy.py extra %t.extra.npy
// RUN: not deconv-run %s --input=@%t.extra.npy 2>&1 | FileCheck %s --check-prefix=EXTRA
// EXTRA: malformed .npy: data holds 40 bytes but shape (1x1x3x3) of f32 needs 36
// RUN: %python %inputs/make_npy.py fortran %t.fortran.npy
// RUN: not deconv-run %s --input=@%t.fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: Fortran-order .npy data is not supported; save a C order array (np.ascontiguousarray)
// RUN: %python %inputs/make_npy.py big-endian %t.big-endian.npy
// RUN: not deconv-run %s --input=@%t.big-endian.npy 2>&1 | FileCheck %s --check-prefix=BIG
// BIG: unsupported .npy dtype '>f4': big-endian data is not supported
// RUN: %python %inputs/make_npy.py float64 %t.float64.npy
// RUN: not deconv-run %s --input=@%t.float64.npy 2>&1 | FileCheck %s --check-prefix=F64
// F64: unsupported .npy dtype '<f8' (supported: '<f4' f32, '<f2' f16, 'bfloat16' bf16, '|i1' int8, '|u1' uint8)
// RUN: %python %inputs/make_npy.py no-shape %t.no-shape.npy
// RUN: not deconv-run %s --input=@%t.no-shape.npy 2>&1 | FileCheck %s --check-prefix=NOSHAPE
// NOSHAPE: malformed .npy: header has no 'shape' tuple
// RUN: %python %inputs/make_npy.py bad-shape %t.bad-shape.npy
// RUN: not deconv-run %s --input=@%t.bad-shape.npy 2>&1 | FileCheck %s --check-prefix=BADSHAPE
// BADSHAPE: malformed .npy: bad size in 'shape' (1, x, 3)
// RUN: %python %inputs/make_npy.py header-overrun %t.overrun.npy
// RUN: not deconv-run %s --input=@%t.overrun.npy 2>&1 | FileCheck %s --check-prefix=HEADER
// HEADER: malformed .npy: header of 65535 bytes runs past the end of the file
// RUN: %python %inputs/make_npy.py empty %t.empty.npy
// RUN: not deconv-run %s --input=@%t.empty.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// RUN: not deconv-run %s --input=@%t.does-not-exist.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: deconv-run: input 0: cannot open '{{.*}}does-not-exist.npy': No such file or directory

// Versions 2.0 and 3.0 headers are read like 1.0.
// RUN: %python %inputs/make_npy.py good-v2 %t.v2.npy
// RUN: deconv-run %s --input=@%t.v2.npy 2>/dev/null | FileCheck %s --check-prefix=GOOD
// RUN: %python %inputs/make_npy.py good-v3 %t.v3.npy
// RUN: deconv-run %s --input=@%t.v3.npy 2>/dev/null | FileCheck %s --check-prefix=GOOD
// GOOD: result 0: tensor<1x1x3x3xf32>
// GOOD-NEXT: {{\[}}{{\[}}{{\[}}[2 4 6]

func.func @main(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %w = arith.constant dense<2.0> : tensor<1x1x1x1xf32>
  %y = deconv.deconv %x, %w : (tensor<1x1x3x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}
