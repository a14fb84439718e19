//===- Passes.h - deconv conversions ----------------------------*- C++ -*-===//
//
// Conversion passes out of the deconv dialect.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_CONVERSION_PASSES_H
#define DECONV_CONVERSION_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace arith {
class ArithDialect;
} // namespace arith
namespace bufferization {
class BufferizationDialect;
} // namespace bufferization
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace math {
class MathDialect;
} // namespace math
namespace memref {
class MemRefDialect;
} // namespace memref
namespace scf {
class SCFDialect;
} // namespace scf
namespace tensor {
class TensorDialect;
} // namespace tensor
namespace vector {
class VectorDialect;
} // namespace vector
} // namespace mlir

namespace mlir::deconv {

#define GEN_PASS_DECL
#include "deconv/Conversion/Passes.h.inc"

/// Patterns that lower `deconv.grouped_deconv` to loop nests (see the
/// `-deconv-lower-to-loops` pass).
void populateDeconvToLoopsPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "deconv/Conversion/Passes.h.inc"

} // namespace mlir::deconv

#endif // DECONV_CONVERSION_PASSES_H
