// The 300 random cases of Execution/differential.mlir on the GPU, against
// the same NumPy float64 reference (1e-5 normwise for f32).
// REQUIRES: cuda-runtime
// RUN: %python %inputs/differential.py --seed 1 --count 300 --target cuda --workdir %t | FileCheck %s
// CHECK: 300 passed, 0 failed
