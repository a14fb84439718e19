//===- ShapeRefiningModels.h - the interface on upstream ops ----*- C++ -*-===//
//
// ShapeRefiningOpInterface attached to the upstream ops deconv IR uses
// between its own (external models), so that shape specialization asks
// every op the same way.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_IR_SHAPEREFININGMODELS_H
#define DECONV_DIALECT_DECONV_IR_SHAPEREFININGMODELS_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::deconv {

/// Attaches ShapeRefiningOpInterface to `tensor.cast` when the tensor
/// dialect loads.
void registerShapeRefiningExternalModels(DialectRegistry &registry);

} // namespace mlir::deconv

#endif // DECONV_DIALECT_DECONV_IR_SHAPEREFININGMODELS_H
