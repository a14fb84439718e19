//===- SerializeNestedParallel.cpp - inner scf.parallel to scf.for --------===//
//
// -deconv-serialize-nested-parallel: only the outermost parallel loop of a
// nest runs on threads; the ones inside become sequential loops.
//
//===----------------------------------------------------------------------===//

#include "deconv/Target/CPU/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::deconv {
#define GEN_PASS_DEF_SERIALIZENESTEDPARALLELPASS
#include "deconv/Target/CPU/Passes.h.inc"

namespace {

/// Replaces `loop` (no reductions) with a nest of scf.for over its bounds.
void serialize(scf::ParallelOp loop) {
  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  SmallVector<Value> ivs;
  Block *body = nullptr;
  for (auto [lower, upper, step] : llvm::zip(
           loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    auto forOp = scf::ForOp::create(builder, loc, lower, upper, step);
    ivs.push_back(forOp.getInductionVar());
    body = forOp.getBody();
    builder.setInsertionPoint(body->getTerminator());
  }
  IRMapping mapping;
  mapping.map(loop.getInductionVars(), ivs);
  for (Operation &op : loop.getBody()->without_terminator())
    builder.clone(op, mapping);
  loop.erase();
}

// --deconv-serialize-nested-parallel
struct SerializeNestedParallelPass
    : impl::SerializeNestedParallelPassBase<SerializeNestedParallelPass> {
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> nested;
    getOperation()->walk([&](scf::ParallelOp loop) {
      if (loop->getParentOfType<scf::ParallelOp>() &&
          loop.getNumReductions() == 0)
        nested.push_back(loop);
    });
    // Inner loops first (post-order walk), so outer clones see serial bodies.
    for (scf::ParallelOp loop : nested)
      serialize(loop);
  }
};

} // namespace
} // namespace mlir::deconv
