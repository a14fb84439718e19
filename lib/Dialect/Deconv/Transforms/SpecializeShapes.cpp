//===- SpecializeShapes.cpp - concrete shapes for a function --------------===//
//
// The arguments take the concrete shapes; every op after them refines its
// results through ShapeRefiningOpInterface, in program order (upstream ops
// such as tensor.cast through external models, ShapeRefiningModels.h).
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/Transforms/SpecializeShapes.h"

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <limits>

using namespace mlir;
using namespace mlir::deconv;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Error
mlir::deconv::specializeShapes(func::FuncOp function,
                               ArrayRef<SmallVector<int64_t>> inputShapes) {
  if (inputShapes.size() != function.getNumArguments())
    return fail("@" + function.getName() + " takes " +
                llvm::Twine(function.getNumArguments()) + " inputs, got " +
                llvm::Twine(inputShapes.size()));
  for (auto [index, argument] : llvm::enumerate(function.getArguments())) {
    auto type = dyn_cast<RankedTensorType>(argument.getType());
    if (!type)
      return fail("argument " + llvm::Twine(index) + " is not a ranked tensor");
    ArrayRef<int64_t> shape = inputShapes[index];
    bool agrees = (int64_t)shape.size() == type.getRank();
    for (size_t d = 0; agrees && d < shape.size(); ++d)
      agrees = shape[d] >= 0 &&
               (type.isDynamicDim(d) || type.getDimSize(d) == shape[d]);
    if (!agrees)
      return fail("input " + llvm::Twine(index) + " has shape " +
                  formatShape(shape) + " but the signature wants " +
                  formatShape(type.getShape()));
    argument.setType(RankedTensorType::get(shape, type.getElementType()));
  }

  for (Operation &op : function.getBody().front()) {
    if (auto refining = dyn_cast<ShapeRefiningOpInterface>(op)) {
      if (llvm::Error error = refining.refineResultTypes())
        return fail("'" + op.getName().getStringRef() + "' op " +
                    llvm::toString(std::move(error)));
      continue;
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      // The entry block's argument types: the function type's inputs are
      // still the unspecialized ones.
      function.setType(FunctionType::get(function.getContext(),
                                         function.front().getArgumentTypes(),
                                         ret.getOperandTypes()));
      continue;
    }
    if (isa<arith::ConstantOp>(op))
      continue;
    return fail("cannot propagate shapes through '" +
                op.getName().getStringRef() + "'");
  }
  return llvm::Error::success();
}

int64_t mlir::deconv::countFunctionMacs(func::FuncOp function) {
  int64_t macs = 0;
  function.walk([&](DeconvOp op) {
    llvm::Expected<DeconvGeometry> geometry = op.resolveGeometry();
    if (!geometry) {
      llvm::consumeError(geometry.takeError());
      return;
    }
    // Saturates, as each op's count does.
    if (__builtin_add_overflow(macs, countUsefulMacs(*geometry), &macs))
      macs = std::numeric_limits<int64_t>::max();
  });
  return macs;
}
