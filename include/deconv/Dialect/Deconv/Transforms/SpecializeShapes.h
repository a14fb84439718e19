//===- SpecializeShapes.h - concrete shapes for a function ------*- C++ -*-===//
//
// Dynamic sizes are fixed per run. Refining a function to the sizes of one
// run checks them with the verifier's own rules (a size that would empty an
// output is an error, not a crash) and gives the result shapes.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_TRANSFORMS_SPECIALIZESHAPES_H
#define DECONV_DIALECT_DECONV_TRANSFORMS_SPECIALIZESHAPES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"

namespace mlir::deconv {

/// Sets `function`'s argument types to `inputShapes` (which must agree with
/// every static size) and propagates them through its deconv ops to its
/// result types. Fails with a one-line message naming the argument, the op or
/// the rule. Works on deconv.deconv graphs (constants, chained deconvs).
llvm::Error specializeShapes(func::FuncOp function,
                             ArrayRef<SmallVector<int64_t>> inputShapes);

/// Useful multiply-adds of all deconv ops of a function with static shapes.
int64_t countFunctionMacs(func::FuncOp function);

} // namespace mlir::deconv

#endif // DECONV_DIALECT_DECONV_TRANSFORMS_SPECIALIZESHAPES_H
