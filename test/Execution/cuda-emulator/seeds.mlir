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
