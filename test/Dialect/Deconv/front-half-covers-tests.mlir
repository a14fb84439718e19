// Every valid op of the round-trip and seed suites reaches the canonical form.
// RUN: deconv-opt %S/ops/rank-1d.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/rank-2d.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/rank-3d.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/rank-4d.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/no-bias.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/attr-stride-dilation.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/attr-padding.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/attr-pre-post-padding.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/attr-output-padding.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/attr-output-shape.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/attr-padding-mode.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/attr-groups.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/attr-num-output-maps-kernel-size.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/attr-data-format.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/attr-kernel-format.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/element-types.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/dynamic.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/dynamic-channels-last.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/graph.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/negative-crops.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/ops/bytecode.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/seeds/cookbook-3d.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/seeds/cookbook-groups.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/seeds/cookbook-padding-mode.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/seeds/cookbook-pre-padding.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/seeds/cookbook-post-padding.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/seeds/cookbook-set-input.mlir --deconv-front-half | FileCheck %s
// RUN: deconv-opt %S/seeds/mxnet-target-shape.mlir --deconv-front-half | FileCheck %s

// CHECK: deconv.grouped_deconv
// CHECK-NOT: deconv.deconv
