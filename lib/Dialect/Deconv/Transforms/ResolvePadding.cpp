//===- ResolvePadding.cpp - padding conventions to canonical crops --------===//
//
// -deconv-resolve-padding: every padding attribute of `deconv.deconv`
// collapses into `pre_padding`/`post_padding` relative to the full scatter.
// The crops are the shape helper's, so the pass and the verifier agree by
// construction; the result type does not change.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/Transforms/Passes.h"

namespace mlir::deconv {
#define GEN_PASS_DEF_RESOLVEPADDINGPASS
#include "deconv/Dialect/Deconv/Transforms/Passes.h.inc"

namespace {

LogicalResult resolvePadding(DeconvOp op) {
  llvm::Expected<DeconvGeometry> geometry = op.resolveGeometry();
  if (!geometry)
    return op.emitOpError() << llvm::toString(geometry.takeError());
  SmallVector<int64_t> pre, post;
  for (const AxisGeometry &axis : geometry->axes) {
    pre.push_back(axis.preCrop);
    post.push_back(axis.postCrop);
  }
  op.setPrePadding(pre);
  op.setPostPadding(post);
  op.removePaddingAttr();
  op.removeOutputPaddingAttr();
  op.removeOutputShapeAttr();
  op.removePaddingModeAttr();
  op.removeNumOutputMapsAttr();
  op.removeKernelSizeAttr();
  return success();
}

// --deconv-resolve-padding
struct ResolvePaddingPass
    : impl::ResolvePaddingPassBase<ResolvePaddingPass> {
  void runOnOperation() override {
    WalkResult result = getOperation()->walk([](DeconvOp op) {
      return failed(resolvePadding(op)) ? WalkResult::interrupt()
                                        : WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::deconv
