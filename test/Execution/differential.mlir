// RUN: %python %inputs/differential.py --seed 1 --count 300 --workdir %t | FileCheck %s

// 300 random valid deconvolutions run through deconv-run --target=cpu and
// compared with the NumPy float64 reference of Inputs/deconv_cases.py (written
// from the IR contract, no code shared with the compiler): D = 1..3, groups
// and depthwise, stride, dilation, every padding form, both data formats,
// every kernel format, bias or not, dynamic batch and spatial sizes, f32 (at
// 1e-5 normwise relative error), f16 and bf16.
// CHECK: 300 passed, 0 failed
