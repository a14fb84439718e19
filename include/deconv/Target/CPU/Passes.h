//===- Passes.h - CPU target passes -----------------------------*- C++ -*-===//

#ifndef DECONV_TARGET_CPU_PASSES_H
#define DECONV_TARGET_CPU_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace scf {
class SCFDialect;
} // namespace scf
} // namespace mlir

namespace mlir::deconv {

#define GEN_PASS_DECL
#include "deconv/Target/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "deconv/Target/CPU/Passes.h.inc"

} // namespace mlir::deconv

#endif // DECONV_TARGET_CPU_PASSES_H
