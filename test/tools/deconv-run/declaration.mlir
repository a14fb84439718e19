// A function without a body is refused by name, not run (it once crashed
// specializeShapes), whether found as @main or as the module's only one.
// RUN: not deconv-run %s --target=cpu --input=1x1x3xf32=1 2>&1 | FileCheck %s
// CHECK: deconv-run: @main in '{{.*}}declaration.mlir' is a declaration without a body
// RUN: sed 's/@main/@helper/' %s > %t.mlir
// RUN: not deconv-run %t.mlir --target=cpu --input=1x1x3xf32=1 2>&1 | FileCheck %s --check-prefix=ONLY
// ONLY: deconv-run: @helper in '{{.*}}' is a declaration without a body
func.func private @main(%x: tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
