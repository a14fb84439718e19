//===- ShapeRefiningModels.cpp - the interface on upstream ops ------------===//

#include "deconv/Dialect/Deconv/IR/ShapeRefiningModels.h"

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::deconv;

namespace {

/// A cast only forgets or asserts sizes: its result takes its source's type.
struct CastShapeRefiningModel
    : public ShapeRefiningOpInterface::ExternalModel<CastShapeRefiningModel,
                                                     tensor::CastOp> {
  llvm::Error refineResultTypes(Operation *op) const {
    auto cast = llvm::cast<tensor::CastOp>(op);
    cast.getResult().setType(cast.getSource().getType());
    return llvm::Error::success();
  }
};

} // namespace

void mlir::deconv::registerShapeRefiningExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, tensor::TensorDialect *) {
    tensor::CastOp::attachInterface<CastShapeRefiningModel>(*context);
  });
}
