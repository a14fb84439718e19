//===- PlanBuilder.h - compiled plans from deconv IR ------------*- C++ -*-===//
//
// Turns a function (after the front half) into a runtime plan: one buffer per
// argument, constant and computed tensor (reshapes and casts alias their
// source), one kernel per canonical op and per layout transpose, and the
// steps that launch them. Dynamic sizes become size expressions over the
// inputs' sizes (IN<i>_D<d>); kernels without dynamic sizes are compiled to
// CUBINs for the requested architectures.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_TARGET_CUDA_PLANBUILDER_H
#define DECONV_TARGET_CUDA_PLANBUILDER_H

#include "deconv/Runtime/Plan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir::deconv {

/// Runs the front half on `module` and plans `function`. Fails with a
/// diagnostic on ops the CUDA target cannot plan, or with NVRTC's log.
FailureOr<::deconv::Plan> buildPlan(ModuleOp module, StringRef function,
                                    const std::vector<std::string> &archs);

/// Plans `function`, whose module already went through the front half.
FailureOr<::deconv::Plan> planFunction(func::FuncOp function,
                                       const std::vector<std::string> &archs);

} // namespace mlir::deconv

#endif // DECONV_TARGET_CUDA_PLANBUILDER_H
