// RUN: %python %inputs/differential.py --seed 11 --count 80 --shape-class tiles --workdir %t | FileCheck %s
// RUN: %python %inputs/differential.py --seed 12 --count 80 --shape-class tiles --extra-arg=--cpu-kernel=columns --workdir %t.columns | FileCheck %s
// RUN: %python %inputs/differential.py --seed 13 --count 60 --shape-class tiles --extra-arg=--cpu-tile=8x6x2 --workdir %t.avx2 | FileCheck %s --check-prefix=SIXTY
// RUN: %python %inputs/differential.py --seed 14 --count 60 --shape-class tiles --extra-arg=--cpu-tile=4x8x3 --extra-arg=--cpu-kernel=columns --workdir %t.neon | FileCheck %s --check-prefix=SIXTY

// The CPU micro-kernels' edges against the NumPy float64 reference of
// Inputs/deconv_cases.py: output channels per group of 1..7 (position tiles,
// masked lanes), 8..33 (channel tiles with 1..3 vectors in the last block),
// last axes of 7..260 positions (partial tiles, several chunks), every
// padding form, stride and dilation, f32/f16/bf16, dynamic sizes. The second
// run forces the column form, whose blocks of columns (Cout/G x taps) end in
// 1..2 vectors with 1..8 lanes on the same cases' kind. The host picks the
// tile; the last two runs force the AVX2 and NEON tiles, whatever the host.
// CHECK: 80 passed, 0 failed
// SIXTY: 60 passed, 0 failed
