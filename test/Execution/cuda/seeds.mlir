// The cookbook seeds on the GPU, compiled from .mlir and from plans, checked
// against the seed's printed values.
// REQUIRES: cuda-runtime
// RUN: deconv-run %S/../seeds/cookbook-stride-2-2.mlir --target=cuda --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t.stride.npy
// RUN: %python %inputs/check_npy.py %t.stride.npy %S/../seeds/cookbook-stride-2-2.mlir
// RUN: deconv-compile %S/../seeds/cookbook-same-lower.mlir -o %t.same.plan
// RUN: deconv-run %t.same.plan --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t.same.npy
// RUN: %python %inputs/check_npy.py %t.same.npy %S/../seeds/cookbook-same-lower.mlir
// RUN: deconv-run %S/../seeds/cookbook-groups.mlir --target=cuda --input="1x2x3x3xf32=1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7 8 9" --output=@%t.groups.npy
// RUN: %python %inputs/check_npy.py %t.groups.npy %S/../seeds/cookbook-groups.mlir
// RUN: deconv-run %S/../seeds/cookbook-3d.mlir --target=cuda --input="1x1x2x3x3xf32=1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7 8 9" --output=@%t.3d.npy
// RUN: %python %inputs/check_npy.py %t.3d.npy %S/../seeds/cookbook-3d.mlir
// RUN: deconv-run %S/../seeds/dragon-conv3d-transpose.mlir --target=cuda --input="1x2x2x2x2xf32=1" --input="2x3x1x1x1xf32=1" --output=@%t.dragon.npy
// RUN: %python %inputs/check_npy.py %t.dragon.npy %S/../seeds/dragon-conv3d-transpose.mlir
