//===- TransposeKernel.h - layout transposes on the GPU ---------*- C++ -*-===//
//
// The kernel a plan launches for a layout transpose (channels-last data,
// runtime weights in another kernel format): one thread per output element,
// consecutive threads writing consecutive outputs.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_TARGET_CUDA_TRANSPOSEKERNEL_H
#define DECONV_TARGET_CUDA_TRANSPOSEKERNEL_H

#include "deconv/Runtime/Plan.h"

#include "llvm/ADT/ArrayRef.h"

#include <string>
#include <vector>

namespace mlir::deconv {

/// result[o] = input[source(o)] for `permutation` (result dimension k is
/// input dimension permutation[k]). `inputShape` holds size expressions over
/// the plan's IN<i>_D<d> (literals where static); dynamic ones become
/// macros DECONV_IN_DIM<d> of the kernel.
::deconv::PlanKernel
emitTransposeKernel(const std::string &name, ::deconv::ElementType type,
                    const std::vector<std::string> &inputShape,
                    llvm::ArrayRef<int64_t> permutation);

} // namespace mlir::deconv

#endif // DECONV_TARGET_CUDA_TRANSPOSEKERNEL_H
