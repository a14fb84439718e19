// The CUDA target's own plans and kernels on the host emulator, against the
// NumPy float64 reference of Inputs/deconv_cases.py: 300 random valid
// deconvolutions of every attribute (D = 1..4, groups and depthwise, stride,
// dilation, every padding form, both data formats, every kernel format, bias
// or not, dynamic batch and spatial sizes, f32 at 1e-5 normwise, f16, bf16),
// every strategy forced in turn, through host memory and then over device
// memory (the C++ API's runOnDevice path; its kernels come from the cache).
// implicit_gemm runs f16 and bf16 cases on (emulated) tensor cores.
// REQUIRES: cuda-emulator
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %inputs/differential.py --seed 2 --count 300 --max-dims 4 --target cuda-emulator --extra-arg=--cuda-strategy=direct --workdir %t/direct | FileCheck %s
// RUN: %python %inputs/differential.py --seed 2 --count 300 --max-dims 4 --target cuda-emulator --extra-arg=--cuda-strategy=direct --extra-arg=--device-io --workdir %t/direct-device | FileCheck %s
// RUN: %python %inputs/differential.py --seed 2 --count 300 --max-dims 4 --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --workdir %t/implicit-gemm | FileCheck %s
// RUN: %python %inputs/differential.py --seed 2 --count 300 --max-dims 4 --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --extra-arg=--device-io --workdir %t/implicit-gemm-device | FileCheck %s
// Under the tf32 policy f32 takes TF32 tensor cores (1e-3 normwise).
// RUN: %python %inputs/differential.py --seed 2 --count 300 --max-dims 4 --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --extra-arg=--precision=tf32 --f32-tolerance 1e-3 --workdir %t/implicit-gemm-tf32 | FileCheck %s
// CHECK: 300 passed, 0 failed
// The larger tiles, forced, on 100 more cases: 128x128 (FFMA 8x8 per thread
// for f32, 4x4 warps for f16/bf16), 128x64 under tf32 (every case on
// tensor cores) and 128x128 under tf32 (the two-stage cp.async pipeline).
// RUN: %python %inputs/differential.py --seed 3 --count 100 --max-dims 4 --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --extra-arg=--cuda-tile=128x128 --workdir %t/large-tile | FileCheck %s --check-prefix=TILES
// RUN: %python %inputs/differential.py --seed 3 --count 100 --max-dims 4 --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --extra-arg=--cuda-tile=128x64 --extra-arg=--precision=tf32 --f32-tolerance 1e-3 --workdir %t/tall-tile | FileCheck %s --check-prefix=TILES
// RUN: %python %inputs/differential.py --seed 14 --count 100 --max-dims 4 --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --extra-arg=--cuda-tile=128x128 --extra-arg=--precision=tf32 --f32-tolerance 1e-3 --workdir %t/large-tf32 | FileCheck %s --check-prefix=TILES
// TILES: 100 passed, 0 failed
// gemm_d2s on 150 random kernel == stride cases (no dilation, no extending
// crop), host and device memory, tf32 on a 128x64 tile, and 128x128.
// RUN: %python %inputs/differential.py --seed 4 --count 150 --max-dims 4 --shape-class d2s --target cuda-emulator --extra-arg=--cuda-strategy=gemm_d2s --workdir %t/d2s | FileCheck %s --check-prefix=D2S
// RUN: %python %inputs/differential.py --seed 4 --count 150 --max-dims 4 --shape-class d2s --target cuda-emulator --extra-arg=--cuda-strategy=gemm_d2s --extra-arg=--device-io --workdir %t/d2s-device | FileCheck %s --check-prefix=D2S
// RUN: %python %inputs/differential.py --seed 4 --count 150 --max-dims 4 --shape-class d2s --target cuda-emulator --extra-arg=--cuda-strategy=gemm_d2s --extra-arg=--precision=tf32 --extra-arg=--cuda-tile=128x64 --f32-tolerance 1e-3 --workdir %t/d2s-tf32 | FileCheck %s --check-prefix=D2S
// RUN: %python %inputs/differential.py --seed 4 --count 150 --max-dims 4 --shape-class d2s --target cuda-emulator --extra-arg=--cuda-strategy=gemm_d2s --extra-arg=--cuda-tile=128x128 --workdir %t/d2s-large | FileCheck %s --check-prefix=D2S
// D2S: 150 passed, 0 failed
// An emulated sm_75 takes the GEMMs' pre-sm_80 form (no cp.async: A and
// the packed B through registers, two stages; FFMA for every element type).
// RUN: env DECONV_EMULATOR_ARCH=sm_75 %python %inputs/differential.py --seed 12 --count 100 --max-dims 4 --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --workdir %t/sm75 | FileCheck %s --check-prefix=TILES
// RUN: env DECONV_EMULATOR_ARCH=sm_75 %python %inputs/differential.py --seed 13 --count 60 --max-dims 4 --shape-class d2s --target cuda-emulator --extra-arg=--cuda-strategy=gemm_d2s --extra-arg=--cuda-tile=128x128 --workdir %t/sm75-d2s | FileCheck %s --check-prefix=SM75D2S
// SM75D2S: 60 passed, 0 failed
// The register-tile strategies on their shape classes (D = 1..3, strides up
// to 8 and kernels up to 17 on the innermost axis, lengths across whole and
// partial tiles, channel chunks with a partial last one, every padding
// form, dilation, dynamic sizes, f32/f16/bf16), host and device memory, and
// thin_channel on the general random cases it takes.
// RUN: %python %inputs/differential.py --seed 5 --count 150 --max-dims 3 --shape-class depthwise --target cuda-emulator --extra-arg=--cuda-strategy=depthwise --workdir %t/depthwise | FileCheck %s --check-prefix=TILED
// RUN: %python %inputs/differential.py --seed 6 --count 150 --max-dims 3 --shape-class depthwise --target cuda-emulator --extra-arg=--cuda-strategy=depthwise --extra-arg=--device-io --workdir %t/depthwise-device | FileCheck %s --check-prefix=TILED
// RUN: %python %inputs/differential.py --seed 7 --count 150 --max-dims 3 --shape-class thin --target cuda-emulator --extra-arg=--cuda-strategy=thin_channel --workdir %t/thin | FileCheck %s --check-prefix=TILED
// RUN: %python %inputs/differential.py --seed 8 --count 150 --max-dims 3 --shape-class thin --target cuda-emulator --extra-arg=--cuda-strategy=thin_channel --extra-arg=--device-io --workdir %t/thin-device | FileCheck %s --check-prefix=TILED
// TILED: 150 passed, 0 failed
// RUN: %python %inputs/differential.py --seed 9 --count 100 --max-dims 4 --target cuda-emulator --extra-arg=--cuda-strategy=thin_channel --workdir %t/thin-general | FileCheck %s --check-prefix=GENERAL
// GENERAL: 100 passed, 0 failed
// --tune: each case's op timed over every strategy and tile that takes it
// (f16/bf16 on emulated tensor cores too), the fastest kept; the numbers
// stay right whichever wins. Records go to a directory of this test's own.
// RUN: env DECONV_KERNEL_CACHE_DIR=%t/tune-cache %python %inputs/differential.py --seed 11 --count 24 --max-dims 3 --target cuda-emulator --extra-arg=--tune --workdir %t/tune | FileCheck %s --check-prefix=TUNED
// TUNED: 24 passed, 0 failed
