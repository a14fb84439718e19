//===- FoldDequantize.cpp - constant dequantization at compile time -------===//
//
// -deconv-fold-dequantize: a `deconv.dequantize` of a constant becomes the
// constant of its result (LayoutRewrites.cpp computes it on the raw bytes),
// so weights given as int8 constants cost nothing per run.
//
//===----------------------------------------------------------------------===//

#include "deconv/Dialect/Deconv/IR/DeconvOps.h"
#include "deconv/Dialect/Deconv/Transforms/LayoutRewrites.h"
#include "deconv/Dialect/Deconv/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir::deconv {
#define GEN_PASS_DEF_FOLDDEQUANTIZEPASS
#include "deconv/Dialect/Deconv/Transforms/Passes.h.inc"

namespace {

// --deconv-fold-dequantize
struct FoldDequantizePass : impl::FoldDequantizePassBase<FoldDequantizePass> {
  void runOnOperation() override {
    SmallVector<DequantizeOp> ops;
    getOperation()->walk([&](DequantizeOp op) { ops.push_back(op); });
    for (DequantizeOp op : ops) {
      OpBuilder builder(op);
      Value folded = foldDequantizeOfConstant(builder, op);
      if (!folded)
        continue;
      Value input = op.getInput();
      op.getResult().replaceAllUsesWith(folded);
      op.erase();
      eraseIfDeadConstant(input);
    }
  }
};

} // namespace
} // namespace mlir::deconv
