//===- NetworkBuilder.h - a NetworkDefinition as deconv IR ------*- C++ -*-===//
//
// The one bridge from the public network builder to the compiler: the
// network becomes a module with one function, @main, whose arguments are the
// network's inputs and whose results are its marked outputs. Everything
// after this point is the textual path's pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_LIB_JIT_NETWORKBUILDER_H
#define DECONV_LIB_JIT_NETWORKBUILDER_H

#include "deconv/Network.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlir::deconv {

/// The function name a network is built under.
inline constexpr const char *kNetworkFunctionName = "main";

/// An MLIR shape as public dims (-1 where dynamic).
::deconv::Dims toPublicDims(ArrayRef<int64_t> shape);

/// The weight shape a layer's settings give its own kernel weights.
::deconv::StatusOr<::deconv::Dims>
getDeconvolutionWeightDims(const ::deconv::DeconvolutionLayer &layer,
                           const ::deconv::Dims &inputDims);

/// The layer's result shape by the shape helper, as the verifier computes
/// it.
::deconv::StatusOr<::deconv::Dims>
getDeconvolutionResultDims(const ::deconv::DeconvolutionLayer &layer,
                           const ::deconv::Dims &inputDims,
                           const ::deconv::Dims &weightDims);

/// Builds and verifies the module of `network` in `context` (which must have
/// the deconv, func and arith dialects). Fails with the first recorded
/// misuse, else the verifier's first message prefixed with the layer's name.
::deconv::StatusOr<OwningOpRef<ModuleOp>>
buildNetworkModule(const ::deconv::NetworkDefinition &network,
                   MLIRContext &context);

} // namespace mlir::deconv

#endif // DECONV_LIB_JIT_NETWORKBUILDER_H
