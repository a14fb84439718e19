// REQUIRES: nvrtc
// Every kernel the plans of the execution test cases launch (deconvolutions
// and layout transposes), emitted as CUDA and compiled by NVRTC to CUBIN for
// sm_80 and sm_90 (compile-only: no GPU needed); deconv-translate fails if
// one does not compile. First the 300 cases of Execution/differential.mlir
// (same seed), then each seed example.
// RUN: %python %inputs/differential.py --seed 1 --count 300 --workdir %t --write-module %t.cases.mlir
// Each strategy forced in turn.
// RUN: deconv-translate --emit-cuda %t.cases.mlir --cuda-arch=sm_80,sm_90 --cuda-strategy=direct > %t.cuda
// RUN: grep -c "^// function @case" %t.cuda | FileCheck %s --check-prefix=COUNT
// RUN: deconv-translate --emit-cuda %t.cases.mlir --cuda-arch=sm_80,sm_90 --cuda-strategy=implicit_gemm > %t.gemm.cuda
// RUN: grep -c "^// function @case" %t.gemm.cuda | FileCheck %s --check-prefix=COUNT
// COUNT: 300
// gemm_d2s on 150 kernel == stride cases.
// RUN: %python %inputs/differential.py --seed 4 --count 150 --max-dims 4 --shape-class d2s --workdir %t --write-module %t.d2s.mlir
// RUN: deconv-translate --emit-cuda %t.d2s.mlir --cuda-arch=sm_80,sm_90 --cuda-strategy=gemm_d2s > %t.d2s.cuda
// RUN: grep -c "^// function @case" %t.d2s.cuda | FileCheck %s --check-prefix=D2S
// D2S: 150
// The seeds' f32 kernels once more under the tf32 policy (TF32 tensor cores).
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-groups.mlir --cuda-arch=sm_80,sm_90 --cuda-strategy=implicit_gemm --precision=tf32 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-3d.mlir --cuda-arch=sm_80,sm_90 --cuda-strategy=implicit_gemm --precision=tf32 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-3d.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-caffe-round-down.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-caffe-round-up.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-explicit-round-down.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-explicit-round-up.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-groups.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-initial.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-padding-0-1.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-padding-1-0.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-padding-1-1.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-padding-2-2.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-post-padding-0-1.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-post-padding-1-0.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-post-padding-1-1.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-pre-padding-0-1.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-pre-padding-1-0.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-pre-padding-1-1.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-runtime-weights.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-same-lower.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-same-upper.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-stride-1-2.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-stride-2-1.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/cookbook-stride-2-2.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// RUN: deconv-translate --emit-cuda %S/../../Execution/seeds/dragon-conv3d-transpose.mlir --cuda-arch=sm_80,sm_90 | FileCheck %s
// CHECK: // deconv_kernel_0: CUBIN for sm_80
// CHECK: // deconv_kernel_0: CUBIN for sm_90
