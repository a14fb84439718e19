//===- LoweringSupport.cpp - what the grouped_deconv lowerings share ------===//

#include "deconv/Conversion/LoweringSupport.h"
#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"

using namespace mlir;
using namespace mlir::deconv;

Value mlir::deconv::getReadBuffer(OpBuilder &builder, Location loc,
                                  Value tensor) {
  if (!tensor)
    return nullptr;
  auto type = cast<RankedTensorType>(tensor.getType());
  return bufferization::ToBufferOp::create(
      builder, loc, MemRefType::get(type.getShape(), type.getElementType()),
      tensor, /*read_only=*/true);
}

Value mlir::deconv::allocateResult(OpBuilder &builder, Location loc,
                                   GroupedDeconvOp op, ArrayRef<PhaseAxis> axes,
                                   Value input) {
  RankedTensorType resultType = op.getResult().getType();
  IndexMath math(builder, loc);
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < resultType.getRank(); ++d) {
    if (!resultType.isDynamicDim(d))
      continue;
    dynamicSizes.push_back(
        d == 0 ? math.dim(input, 0)
               : computeOutputSize(math, axes[d - 3], math.dim(input, d)));
  }
  return memref::AllocOp::create(
      builder, loc,
      MemRefType::get(resultType.getShape(), resultType.getElementType()),
      dynamicSizes, builder.getI64IntegerAttr(64));
}
