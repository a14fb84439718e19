//===- Passes.h - deconv front-half passes ----------------------*- C++ -*-===//
//
// Declarations of the front-half passes and the pipeline that chains them.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_TRANSFORMS_PASSES_H
#define DECONV_DIALECT_DECONV_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class OpPassManager;
namespace arith {
class ArithDialect;
} // namespace arith
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace tensor {
class TensorDialect;
} // namespace tensor
} // namespace mlir

namespace mlir::deconv {

#define GEN_PASS_DECL
#include "deconv/Dialect/Deconv/Transforms/Passes.h.inc"

/// Which quantized layers the front half fuses into integer deconvolutions:
/// every one it can, only those whose weight is quantized symmetrically
/// (what the CUDA target's integer GEMM takes), or none.
enum class QuantizedFusion { All, SymmetricWeightsOnly, None };

/// Adds the front half, in order: fuse quantized layers (as `fusion` says),
/// fold dequantized constants, resolve padding, normalize layouts, expand
/// groups. Afterwards every `deconv.deconv` is a `deconv.grouped_deconv`.
void buildFrontHalfPipeline(OpPassManager &pm,
                            QuantizedFusion fusion = QuantizedFusion::All);

/// Registers the `deconv-front-half` pipeline with the global registry.
void registerFrontHalfPipeline();

#define GEN_PASS_REGISTRATION
#include "deconv/Dialect/Deconv/Transforms/Passes.h.inc"

} // namespace mlir::deconv

#endif // DECONV_DIALECT_DECONV_TRANSFORMS_PASSES_H
