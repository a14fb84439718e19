//===- TransposeKernel.h - layout transposes on the GPU ---------*- C++ -*-===//
//
// The kernel a plan launches for a layout transpose (channels-last data,
// runtime weights in another kernel format): one thread per output element,
// consecutive threads writing consecutive outputs. Also the element-type
// helpers every kernel source writer shares (storage types, conversions,
// dimensions as C expressions).
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_TARGET_CUDA_TRANSPOSEKERNEL_H
#define DECONV_TARGET_CUDA_TRANSPOSEKERNEL_H

#include "deconv/Runtime/Plan.h"

#include "llvm/ADT/ArrayRef.h"

#include <string>
#include <vector>

namespace mlir::deconv {

/// The C type kernels store elements of `type` in: float, the 16-bit word
/// of f16/bf16, signed or unsigned char.
std::string getCudaStorageType(::deconv::ElementType type);
/// A C expression: `value` of a float type's storage widened to float (the
/// device prelude's conversions for f16/bf16), and a float narrowed back.
std::string widenToFloat(::deconv::ElementType type, const std::string &value);
std::string narrowFromFloat(::deconv::ElementType type,
                            const std::string &value);

/// The dimensions of `shape` (size expressions over IN<i>_D<d>) as C
/// expressions of a kernel: literals where static, else macros
/// DECONV_IN_DIM<d> recorded in `kernel`.
std::vector<std::string>
getKernelDimensions(::deconv::PlanKernel &kernel,
                    const std::vector<std::string> &shape);

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
