//===- InitAllDialects.h - every dialect deconv IR uses ---------*- C++ -*-===//
//
// What a tool registers, decided here and not in each tool (as upstream's
// mlir/InitAllDialects.h and CIRCT's do). Two levels: the dialects deconv IR
// and the front half are written in, which the CUDA tools need, and those
// plus the CPU target's (LLVM, OpenMP, vector, bufferization models, LLVM IR
// translations), which only tools that lower or run on the CPU link.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DRIVER_INITALLDIALECTS_H
#define DECONV_DRIVER_INITALLDIALECTS_H

#include "deconv/Dialect/Deconv/IR/DeconvDialect.h"
#include "deconv/Dialect/Deconv/IR/ShapeRefiningModels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

namespace mlir::deconv {

/// The deconv dialect and the upstream dialects its IR, the front half and
/// the loop-nest lowering use: enough to parse, verify and plan for CUDA;
/// and the deconv interfaces on upstream ops.
inline void registerCoreDialects(DialectRegistry &registry) {
  registry.insert<DeconvDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, func::FuncDialect,
                  linalg::LinalgDialect, memref::MemRefDialect, scf::SCFDialect,
                  tensor::TensorDialect>();
  registerShapeRefiningExternalModels(registry);
}

/// The CPU target's dialects, models and translations (CpuTarget.h).
void registerCpuTargetDialects(DialectRegistry &registry);

/// Every dialect, interface model and translation of the project; the
/// caller links the CPU target (DeconvCpuTarget).
inline void registerAllDialects(DialectRegistry &registry) {
  registerCoreDialects(registry);
  registerCpuTargetDialects(registry);
}

} // namespace mlir::deconv

#endif // DECONV_DRIVER_INITALLDIALECTS_H
