// Every seed example on the host emulator, each strategy forced, through
// host and device memory, checked against the seeds' printed values.
// REQUIRES: cuda-emulator
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %inputs/run_seeds.py --target cuda-emulator --extra-arg=--cuda-strategy=direct --workdir %t/direct | FileCheck %s
// RUN: %python %inputs/run_seeds.py --target cuda-emulator --extra-arg=--cuda-strategy=direct --extra-arg=--device-io --workdir %t/direct-device | FileCheck %s
// RUN: %python %inputs/run_seeds.py --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --workdir %t/implicit-gemm | FileCheck %s
// RUN: %python %inputs/run_seeds.py --target cuda-emulator --extra-arg=--cuda-strategy=implicit_gemm --extra-arg=--device-io --workdir %t/implicit-gemm-device | FileCheck %s
// CHECK: 24 passed, 0 refused, 0 failed
// No seed has a kernel as large as its stride: gemm_d2s refuses each in one
// line.
// RUN: %python %inputs/run_seeds.py --target cuda-emulator --extra-arg=--cuda-strategy=gemm_d2s --workdir %t/gemm-d2s | FileCheck %s --check-prefix=D2S
// D2S: 0 passed, 24 refused, 0 failed
// The register-tile strategies: thin_channel takes every seed (at most 32
// output channels per group), depthwise all but the one with two input
// channels per group, through host and device memory.
// RUN: %python %inputs/run_seeds.py --target cuda-emulator --extra-arg=--cuda-strategy=thin_channel --workdir %t/thin | FileCheck %s
// RUN: %python %inputs/run_seeds.py --target cuda-emulator --extra-arg=--cuda-strategy=thin_channel --extra-arg=--device-io --workdir %t/thin-device | FileCheck %s
// RUN: %python %inputs/run_seeds.py --target cuda-emulator --extra-arg=--cuda-strategy=depthwise --workdir %t/depthwise | FileCheck %s --check-prefix=DEPTHWISE
// RUN: %python %inputs/run_seeds.py --target cuda-emulator --extra-arg=--cuda-strategy=depthwise --extra-arg=--device-io --workdir %t/depthwise-device | FileCheck %s --check-prefix=DEPTHWISE
// DEPTHWISE: 23 passed, 1 refused, 0 failed
