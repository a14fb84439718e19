//===- LoweringSupport.cpp - what the grouped_deconv lowerings share ------===//

#include "deconv/Conversion/LoweringSupport.h"
#include "deconv/Dialect/Deconv/IR/DeconvOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <functional>

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

void mlir::deconv::buildParallelLoop(
    OpBuilder &builder, Location loc, ArrayRef<Value> upper,
    llvm::function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  IndexMath math(builder, loc);
  SmallVector<Value> lower(upper.size(), math.constant(0)),
      steps(upper.size(), math.constant(1));
  scf::ParallelOp::create(builder, loc, lower, upper, steps, body);
}

void mlir::deconv::buildPhaseParallelLoop(OpBuilder &builder, Location loc,
                                          Value result,
                                          ArrayRef<PhaseAxis> axes,
                                          PhaseLoopBody body) {
  IndexMath math(builder, loc);
  SmallVector<Value> upper = {math.dim(result, 0), math.dim(result, 1),
                              math.dim(result, 2)};
  for (const PhaseAxis &axis : axes)
    upper.push_back(math.constant(axis.stride));
  buildParallelLoop(builder, loc, upper,
                    [&](OpBuilder &b, Location loc, ValueRange ivs) {
                      IndexMath math(b, loc);
                      SmallVector<Phase<Value>> phases;
                      for (size_t a = 0; a < axes.size(); ++a)
                        phases.push_back(computePhase(math, axes[a], ivs[3 + a],
                                                      math.dim(result, 3 + a)));
                      body(b, loc, ivs[0], ivs[1], ivs[2], phases);
                    });
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

SmallVector<Value>
mlir::deconv::buildNestedLoops(OpBuilder &builder, Location loc,
                               ArrayRef<Value> lower, ArrayRef<Value> upper,
                               ValueRange carried, NestedLoopBody body) {
  SmallVector<Value> ivs;
  std::function<SmallVector<Value>(OpBuilder &, Location, ValueRange)> nest =
      [&](OpBuilder &b, Location loc, ValueRange values) {
        const size_t depth = ivs.size();
        if (depth == upper.size())
          return body(b, loc, ivs, values);
        auto loop = scf::ForOp::create(
            b, loc, lower[depth], upper[depth],
            arith::ConstantIndexOp::create(b, loc, 1), values,
            [&](OpBuilder &b, Location loc, Value iv, ValueRange inner) {
              ivs.push_back(iv);
              SmallVector<Value> next = nest(b, loc, inner);
              ivs.pop_back();
              scf::YieldOp::create(b, loc, next);
            });
        return SmallVector<Value>(loop.getResults());
      };
  return nest(builder, loc, carried);
}

SmallVector<Value> mlir::deconv::buildNestedLoops(OpBuilder &builder,
                                                  Location loc,
                                                  ArrayRef<Value> upper,
                                                  ValueRange carried,
                                                  NestedLoopBody body) {
  SmallVector<Value> lower(upper.size(),
                           arith::ConstantIndexOp::create(builder, loc, 0));
  return buildNestedLoops(builder, loc, lower, upper, carried, body);
}

void mlir::deconv::replaceWithResult(RewriterBase &rewriter, GroupedDeconvOp op,
                                     Value result) {
  rewriter.replaceOp(op, bufferization::ToTensorOp::create(
                             rewriter, op.getLoc(), op.getResult().getType(),
                             result, /*restrict=*/rewriter.getUnitAttr(),
                             /*writable=*/rewriter.getUnitAttr()));
}
