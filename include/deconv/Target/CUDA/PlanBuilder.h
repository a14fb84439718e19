//===- PlanBuilder.h - compiled plans from deconv IR ------------*- C++ -*-===//
//
// Turns a function (after the front half) into a runtime plan: one buffer per
// argument, constant and computed tensor (reshapes and casts alias their
// source), the kernels of each canonical op's strategy and one per layout
// transpose of a run-time tensor (constants are rearranged here), and the
// steps that launch them. Dynamic sizes become size expressions over the
// inputs' sizes (IN<i>_D<d>); kernels without dynamic sizes are compiled to
// CUBINs for the requested architectures.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_TARGET_CUDA_PLANBUILDER_H
#define DECONV_TARGET_CUDA_PLANBUILDER_H

#include "deconv/Runtime/Plan.h"
#include "deconv/Target/CUDA/KernelStrategy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::deconv {

/// Adds the front half as the CUDA target runs it: quantized layers are
/// fused into integer deconvolutions only where the integer GEMM
/// (implicit_gemm on 8-bit tensor cores, sm_80 and later) takes them:
/// layers whose weight is quantized symmetrically. The others keep their
/// float GEMMs.
void buildCudaFrontHalf(OpPassManager &pm, const CudaTargetOptions &options);

/// Runs the front half on `module` and plans `function`: each canonical op
/// through the strategy the options force or the cost model picks, CUBINs
/// for `options.archs`. Fails with a diagnostic on ops the CUDA target
/// cannot plan (or the forced strategy cannot take), or with NVRTC's log.
FailureOr<::deconv::Plan> buildPlan(ModuleOp module, StringRef function,
                                    const CudaTargetOptions &options);

/// Plans `function`, whose module already went through the front half.
FailureOr<::deconv::Plan> planFunction(func::FuncOp function,
                                       const CudaTargetOptions &options);

} // namespace mlir::deconv

#endif // DECONV_TARGET_CUDA_PLANBUILDER_H
