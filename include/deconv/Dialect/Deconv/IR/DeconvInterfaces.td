//===- DeconvInterfaces.td - deconv op interfaces ----------*- tablegen -*-===//
//
// Shape specialization (SpecializeShapes.cpp) asks each op for its result
// shapes through this interface instead of switching over op kinds, as Toy's
// shape inference does; a new op opts in by implementing it.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_IR_DECONVINTERFACES_TD
#define DECONV_DIALECT_DECONV_IR_DECONVINTERFACES_TD

include "mlir/IR/OpBase.td"

def Deconv_ShapeRefiningOpInterface : OpInterface<"ShapeRefiningOpInterface"> {
  let cppNamespace = "::mlir::deconv";
  let description = [{
    An op whose result shapes follow from its operands' shapes and its
    attributes. After its operands' types change (a function specialized to
    concrete input shapes), `refineResultTypes` sets its results' types to
    what the op's rules compute (for `deconv.deconv`, the shape helper of
    DeconvShape.h), keeping their element types.
  }];
  let methods = [
    InterfaceMethod<
      "Sets the results' shapes from the operands' current types; fails "
      "with the verifier's message when the shapes break a rule.",
      "::llvm::Error", "refineResultTypes">,
  ];
}

#endif // DECONV_DIALECT_DECONV_IR_DECONVINTERFACES_TD
