// RUN: %python %inputs/random_deconvs.py --seed 1 --count 150 > %t.seed1.mlir
// RUN: deconv-opt %t.seed1.mlir --deconv-front-half | FileCheck %t.seed1.mlir
// RUN: %python %inputs/random_deconvs.py --seed 2 --count 150 > %t.seed2.mlir
// RUN: deconv-opt %t.seed2.mlir --deconv-front-half | FileCheck %t.seed2.mlir

// 300 random valid deconvolutions (D = 1..4, groups, depthwise, every padding
// form, both data formats, every kernel format, dynamic batch and spatial
// sizes, f32/f16/bf16). The generator computes each result shape and the
// canonical crops from the IR contract's rules on its own (Inputs/
// deconv_cases.py, no code shared with the compiler): the
// verifier must accept every result type it writes, and the pipeline must
// turn every op into the grouped op with exactly the crops it expects.
